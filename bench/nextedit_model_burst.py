#!/usr/bin/env python3
"""nextedit_model_burst.py - edit prediction by a model server while typing:
how many prompts `tacit lsp` sends (setting nextEditModel) for a word typed
one key at a time, and how long after the last key the predicted edit is
ready (tacit/nextEditReady).

    python3 bench/nextedit_model_burst.py TACIT_BINARY [MS_PER_KEY...] [--chars N] [--words W]

A fake llama.cpp server (tests/sh/nextedit_fake_model.py, answering at
once) on 127.0.0.1; a C document; W words of N characters typed as ranged
didChanges MS_PER_KEY apart (default 100 200 300), 1.5 s between words.
Prints, per speed: prompts sent (tacit/stats nextEdits.modelRequests),
prompts that reached the fake server, and the median time from the last
key of a word to tacit/nextEditReady.
"""
import os, queue, statistics, subprocess, sys, tempfile, threading, time

from lsp_client import Lsp

HERE = os.path.dirname(os.path.abspath(__file__))


def run(binary, ms, chars, words, tmp):
    reqfile = os.path.join(tmp, "requests-%d" % ms)
    portfile = os.path.join(tmp, "port-%d" % ms)
    fake = subprocess.Popen([sys.executable, os.path.join(HERE, "..", "tests", "sh", "nextedit_fake_model.py"),
                             portfile, reqfile])
    try:
        for _ in range(100):
            if os.path.exists(portfile) and os.path.getsize(portfile):
                break
            time.sleep(0.05)
        port = int(open(portfile).read())
        env = dict(os.environ, TACIT_CACHE_DIR=os.path.join(tmp, "cache"))
        p = subprocess.Popen([binary, "lsp", "--no-index"], cwd=tmp, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, env=env)
        nid = [0]

        lsp = Lsp(p)
        send, read = lsp.send, lsp.read

        ready, replies = [], queue.Queue()

        def reader():  # every message as it comes, nextEditReady timed
            while True:
                try:
                    m = read()
                except ValueError:
                    return
                if m.get("method") == "tacit/nextEditReady":
                    ready.append(time.time())
                elif "id" in m and "method" not in m:
                    replies.put(m)

        threading.Thread(target=reader, daemon=True).start()

        def request(method, params):
            nid[0] += 1
            send({"jsonrpc": "2.0", "id": nid[0], "method": method, "params": params})
            while True:
                m = replies.get(timeout=30)
                if m.get("id") == nid[0]:
                    return m.get("result")

        request("initialize", {"capabilities": {"general": {"positionEncodings": ["utf-8"]},
                                                "experimental": {"tacit": {"nextEditReady": True}}},
                               "initializationOptions": {"nextEditModel": True, "backend": "llama",
                                                         "backends": {"llama": {"url": "http://127.0.0.1:%d" % port,
                                                                                "stream": False, "warmup": False}}}})
        send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
        uri = "file://" + os.path.join(tmp, "m.c")
        lines = ["int main(void)", "{"] + ["    int  = %d;" % i for i in range(words)] + ["    return 0;", "}", ""]
        send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
              "params": {"textDocument": {"uri": uri, "languageId": "c", "version": 1, "text": "\n".join(lines)}}})
        version, lags = 1, []
        for w in range(words):
            for c in range(chars):
                version += 1
                pos = {"line": 2 + w, "character": 8 + c}
                send({"jsonrpc": "2.0", "method": "textDocument/didChange",
                      "params": {"textDocument": {"uri": uri, "version": version},
                                 "contentChanges": [{"range": {"start": pos, "end": pos},
                                                     "text": "abcdefghijklmnop"[c % 16]}]}})
                last = time.time()
                if c + 1 < chars:
                    time.sleep(ms / 1000.0)
            time.sleep(1.5)
            after = [t for t in ready if t > last]
            if after:  # the prediction for the word as typed
                lags.append((after[0] - last) * 1000.0)
        st = request("tacit/stats", {})["nextEdits"]
        request("shutdown", None)
        send({"jsonrpc": "2.0", "method": "exit"})
        p.wait(timeout=10)
        reached = sum(1 for _ in open(reqfile)) if os.path.exists(reqfile) else 0
        return st["modelRequests"], reached, (statistics.median(lags) if lags else float("nan")), len(lags)
    finally:
        fake.kill()


def main():
    args = sys.argv[1:]
    chars, words = 8, 5
    if "--chars" in args:
        i = args.index("--chars")
        chars = int(args[i + 1])
        del args[i:i + 2]
    if "--words" in args:
        i = args.index("--words")
        words = int(args[i + 1])
        del args[i:i + 2]
    binary, speeds = os.path.abspath(args[0]), [int(a) for a in args[1:]] or [100, 200, 300]
    with tempfile.TemporaryDirectory() as tmp:
        print("%d words of %d characters, one didChange a key" % (words, chars))
        for ms in speeds:
            sent, reached, lag, nlag = run(binary, ms, chars, words, tmp)
            print("%4d ms a key: %3d prompts sent (%d reached the server), %d of %d words predicted, "
                  "last key -> nextEditReady median %.0f ms" % (ms, sent, reached, nlag, words, lag))


if __name__ == "__main__":
    main()
