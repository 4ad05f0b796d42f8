#!/usr/bin/env python3
"""editors_progress_server.py - a stand-in for `tacit lsp` for the editors'
status-line tests (tests/sh/editors_progress.sh): it answers initialize
after INIT_DELAY seconds (the editor sees a server starting), then reports
indexing at 42 % and never ends it, and answers each inlineCompletion after
ANSWER_DELAY seconds with no items (a request out that long). Speaks LSP
framing on stdin/stdout; exits on `exit` or end of input."""
import json
import sys
import threading
import time

INIT_DELAY = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
ANSWER_DELAY = float(sys.argv[2]) if len(sys.argv) > 2 else 3.0
out_lock = threading.Lock()


def send(msg):
    msg["jsonrpc"] = "2.0"
    b = json.dumps(msg).encode()
    with out_lock:
        sys.stdout.buffer.write(b"Content-Length: %d\r\n\r\n" % len(b) + b)
        sys.stdout.buffer.flush()


def recv():
    n = None
    while True:
        line = sys.stdin.buffer.readline()
        if not line:
            return None
        line = line.strip()
        if not line:
            if n is not None:
                break
            continue
        if line.lower().startswith(b"content-length:"):
            n = int(line.split(b":")[1])
    return json.loads(sys.stdin.buffer.read(n))


def progress(value):
    send({"method": "$/progress", "params": {"token": "tacit/indexing", "value": value}})


def later(delay, fn):
    t = threading.Timer(delay, fn)
    t.daemon = True
    t.start()


while True:
    m = recv()
    if m is None:
        break
    method, mid = m.get("method"), m.get("id")
    if method == "initialize":
        time.sleep(INIT_DELAY)
        send({"id": mid, "result": {"capabilities": {
            "positionEncoding": "utf-16", "textDocumentSync": {"openClose": True, "change": 2},
            "inlineCompletionProvider": True}, "serverInfo": {"name": "fake", "version": "0"}}})
    elif method == "initialized":
        send({"id": 9999, "method": "window/workDoneProgress/create",
              "params": {"token": "tacit/indexing"}})
    elif method is None and mid == 9999:
        progress({"kind": "begin", "title": "tacit: indexing", "percentage": 0})
        progress({"kind": "report", "message": "1680/4000 files", "percentage": 42})
    elif method == "textDocument/inlineCompletion":
        later(ANSWER_DELAY, lambda i=mid: send({"id": i, "result": {"items": []}}))
    elif method == "exit":
        break
    elif mid is not None and method is not None:
        send({"id": mid, "result": None})
