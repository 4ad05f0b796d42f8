#!/usr/bin/env python3
"""nextedit_latency.py - how long after an edit the next edits are ready,
through the real `tacit lsp` on a workspace (default: 100,000 lines).

    python3 bench/nextedit_latency.py TACIT_BINARY WORKSPACE FILE LINE OLD NEW [RUNS] [--wait-warm]

Opens FILE (relative to WORKSPACE), waits for the index (with --wait-warm,
also for the server to have read the workspace's files ahead: tacit/stats
nextEdits.warm; without it the first edit comes right after indexing, while
the files may still be read), then RUNS times:
replaces OLD by NEW on LINE (0-based; a didChange) and asks tacit/nextEdit
at once (the server computes the rule and its sites, open buffers and every
indexed file, when the request comes), then undoes the edit. Prints the
first, median and worst time from sending the didChange to the reply, and, as
references measured in the same run, a tacit/stats round trip and a
textDocument/inlineCompletion at the edit.
"""
import os, statistics, subprocess, sys, time

from lsp_client import Lsp

def main():
    binary, ws, rel, line, old, new = sys.argv[1:7]
    args = [a for a in sys.argv[7:] if a != "--wait-warm"]
    wait_warm = "--wait-warm" in sys.argv[7:]
    runs = int(args[0]) if args else 20
    line = int(line)
    p = subprocess.Popen([binary, "lsp"], cwd=ws, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    nid = [0]

    lsp = Lsp(p)
    send, read = lsp.send, lsp.read

    def request(method, params):
        nid[0] += 1
        send({"jsonrpc": "2.0", "id": nid[0], "method": method, "params": params})
        while True:
            m = read()
            if m.get("id") == nid[0] and "method" not in m:
                return m.get("result")

    root = os.path.realpath(ws)
    uri = "file://" + os.path.join(root, rel)
    text = open(os.path.join(root, rel)).read()
    request("initialize", {"rootUri": "file://" + root, "capabilities": {"general": {"positionEncodings": ["utf-8"]}}})
    send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
          "params": {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}}})
    t0 = time.time()
    while request("tacit/stats", {}).get("indexing"):
        time.sleep(0.2)
    print("indexed in %.1f s: %d files" % (time.time() - t0, request("tacit/stats", {})["indexedFiles"]))
    if wait_warm:
        t0 = time.time()
        while not (request("tacit/stats", {}).get("nextEdits") or {"warm": True}).get("warm"):
            time.sleep(0.05)
        print("files read ahead in %.2f s after indexing" % (time.time() - t0))
    src = text.split("\n")[line]
    col = src.index(old)
    version = [1]

    def change(a, b, t):
        version[0] += 1
        send({"jsonrpc": "2.0", "method": "textDocument/didChange",
              "params": {"textDocument": {"uri": uri, "version": version[0]},
                         "contentChanges": [{"range": {"start": {"line": line, "character": a},
                                                       "end": {"line": line, "character": b}}, "text": t}]}})

    times, stats_t, inline_t, total = [], [], [], None
    for _ in range(runs):
        t = time.perf_counter()
        change(col, col + len(old), new)
        r = request("tacit/nextEdit", {"textDocument": {"uri": uri}, "position": {"line": line, "character": 0}})
        times.append((time.perf_counter() - t) * 1000)
        total = r and r.get("total")
        t = time.perf_counter()
        request("tacit/stats", {})
        stats_t.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        request("textDocument/inlineCompletion", {"textDocument": {"uri": uri},
                                                   "position": {"line": line, "character": col + len(new)},
                                                   "context": {"triggerKind": 1}})
        inline_t.append((time.perf_counter() - t) * 1000)
        change(col, col + len(new), old)
        request("tacit/nextEdit", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}})
    ne = request("tacit/stats", {}).get("nextEdits")
    request("shutdown", None)
    send({"jsonrpc": "2.0", "method": "exit"})
    p.wait(timeout=10)
    print("edit %r -> %r: %s places offered" % (old, new, total))
    print("next edits ready: first %.2f ms, median %.2f ms, max %.2f ms (%d runs)" %
          (times[0], statistics.median(times), max(times), runs))
    if ne:
        print("workspace files kept for next edits: %.1f MiB (texts and tokens)" % (ne["cachedBytes"] / 1048576))
    print("reference tacit/stats: median %.2f ms; inlineCompletion: median %.2f ms" %
          (statistics.median(stats_t), statistics.median(inline_t)))

main()
