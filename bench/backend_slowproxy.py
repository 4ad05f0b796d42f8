# backend_slowproxy.py PORT UPSTREAM_PORT DELAY_S - for bench/backend_slow.sh: forwards
# to llama-server, every /tokenize answered DELAY_S late; GET /_count: requests per path.
import http.server, socketserver, sys, time, urllib.request, threading, json
port, up, delay = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
counts = {}
lock = threading.Lock()
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    def log_message(self, *a): pass
    def fwd(self, method):
        path = self.path.split("?")[0]
        if path == "/_count":
            b = json.dumps(counts).encode()
            self.send_response(200); self.send_header("Content-Length", str(len(b))); self.end_headers(); self.wfile.write(b); return
        with lock: counts[path] = counts.get(path, 0) + 1
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else None
        if path == "/tokenize": time.sleep(delay)
        req = urllib.request.Request(f"http://127.0.0.1:{up}{self.path}", data=body, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                data = r.read(); code = r.status
        except urllib.error.HTTPError as e:
            data = e.read(); code = e.code
        except Exception:
            return
        try:
            self.send_response(code); self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data))); self.end_headers(); self.wfile.write(data)
        except Exception:
            pass
    def do_GET(self): self.fwd("GET")
    def do_POST(self): self.fwd("POST")
class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
S(("127.0.0.1", port), H).serve_forever()
