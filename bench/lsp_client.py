"""lsp_client.py - the LSP framing the bench scripts speak to `tacit lsp`
over its pipes (imported by bench/nextedit_latency.py and
bench/nextedit_model_burst.py).

    lsp = Lsp(subprocess.Popen([binary, "lsp"], stdin=PIPE, stdout=PIPE))
    lsp.send({"jsonrpc": "2.0", ...}); msg = lsp.read()
"""
import json


class Lsp:
    def __init__(self, p):
        self.p = p

    def send(self, msg):
        """MSG (a JSON-RPC object) to the server, with its Content-Length header."""
        b = json.dumps(msg).encode()
        self.p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(b) + b)
        self.p.stdin.flush()

    def read(self):
        """The server's next message; ValueError (nothing to decode) once its output ended."""
        n = 0
        while True:
            h = self.p.stdout.readline()
            if h in (b"\r\n", b""):
                break
            if h.lower().startswith(b"content-length:"):
                n = int(h.split(b":")[1])
        return json.loads(self.p.stdout.read(n))
