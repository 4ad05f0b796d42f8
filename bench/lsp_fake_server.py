#!/usr/bin/env python3
"""lsp_fake_server.py - a stand-in llama.cpp server for the deadline benchmarks.

usage: lsp_fake_server.py PORT MODE
  MODE  delay:SECONDS  every endpoint answers after SECONDS (GET /props, POST
                       /infill and /completion with text; others 404)
        hang-infill    /props at once; /infill and /completion never answer
                       (until the client closes the connection)
        file:PATH      at once, /infill and /completion answering the text
                       in PATH, read at each request (a test sets what the
                       "model" says)
Each connection on its own thread. For a stopped server, run it with
delay:0 and SIGSTOP it: the kernel still accepts connections, nothing answers.
"""
import http.server
import json
import sys
import time

port, mode = int(sys.argv[1]), sys.argv[2]
delay = float(mode.split(":", 1)[1]) if mode.startswith("delay:") else 0.0
answer_file = mode.split(":", 1)[1] if mode.startswith("file:") else None

PROPS = {"model_path": "/models/qwen2.5-coder-0.5b-q8_0.gguf",
         "default_generation_settings": {"n_ctx": 8192}}


class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def reply(self, code, obj):
        b = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(b)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(b)

    def hang(self):
        self.connection.settimeout(None)
        while self.connection.recv(1):  # returns b"" when the client goes
            pass

    def do_GET(self):
        time.sleep(delay)
        if self.path.startswith("/props"):
            self.reply(200, PROPS)
        else:
            self.reply(404, {"error": "no such endpoint"})

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(n)
        path = self.path.split("?")[0]
        if mode == "hang-infill" and path in ("/infill", "/completion"):
            return self.hang()
        time.sleep(delay)
        if path in ("/infill", "/completion"):
            text = "server_text()"
            if answer_file:
                with open(answer_file) as f:
                    text = f.read()
            self.reply(200, {"content": text, "stop": True, "tokens_evaluated": 100})
        else:
            self.reply(404, {"error": "no such endpoint"})


class S(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # clients that went away (abandoned requests) are expected


S(("127.0.0.1", port), H).serve_forever()
