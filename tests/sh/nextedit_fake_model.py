# nextedit_fake_model.py PORTFILE REQUESTS - a fake llama.cpp server for the
# next-edit tests (tests/sh/nextedit_*_model.sh) on 127.0.0.1, a free port
# (written to PORTFILE): /props, and /completion rewriting the excerpt of
# the edit-prediction prompt ("return 0;" -> "return a;"), one line
# "completion" appended to REQUESTS per request.
import http.server, json, sys
S, E = "<|editable_region_start|>", "<|editable_region_end|>"
class H(http.server.BaseHTTPRequestHandler):
    def reply(self, obj, code=200):
        b = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(b)))
        self.end_headers()
        self.wfile.write(b)
    def do_GET(self):
        if self.path.startswith("/props"):
            self.reply({"model_path": "/m/zeta.gguf", "default_generation_settings": {"n_ctx": 8192}})
        else:
            self.reply({"error": "no"}, 404)
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"{}")
        if self.path != "/completion":
            return self.reply({"error": "no"}, 404)
        p = body.get("prompt", "")
        region = p[p.index(S):p.index(E) + len(E)] if S in p and E in p else ""
        with open(sys.argv[2], "a") as f:
            f.write("completion\n")
        self.reply({"content": region.replace("return 0;", "return a;") + "\n```"})
    def log_message(self, *a):
        pass
srv = http.server.HTTPServer(("127.0.0.1", 0), H)
open(sys.argv[1], "w").write(str(srv.server_port))
srv.serve_forever()
