#!/usr/bin/env bash
# lsp_progress.sh - issue 11: while the workspace is indexed, `tacit lsp`
# sends $/progress reports carrying a percentage: begin at 0, reports that
# never go down and stay within 0-100, the model stage at 90, then end.
# A client that offers window.workDoneProgress gets them; the workspace
# (a few thousand generated C files) is large enough for the reading of
# files to be seen part way when the machine is not very fast: the checks
# hold however many reports come.
set -eu
BIN=${TACIT_TEST_BIN:-build/dbg/tacit}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
python3 - "$T/ws" <<'PY'
import os, sys
root = sys.argv[1]
for d in range(40):
    os.makedirs(f"{root}/m{d}", exist_ok=True)
    for f in range(100):
        with open(f"{root}/m{d}/f{f}.c", "w") as fh:
            for k in range(30):
                fh.write(f"static int fn_{d}_{f}_{k}(int a, int b)\n{{\n    return a * {k} + b - {f};\n}}\n")
PY
XDG_CACHE_HOME=$T/cache python3 - "$BIN" "$T/ws" >"$T/out" 2>"$T/err" <<'PY' || { cat "$T/out" "$T/err"; echo "FAIL: client"; exit 1; }
import json, subprocess, sys, time
bin_, root = sys.argv[1], sys.argv[2]
p = subprocess.Popen([bin_, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
def send(msg):
    b = json.dumps(msg).encode()
    p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(b) + b)
    p.stdin.flush()
def recv():
    n = 0
    while True:
        line = p.stdout.readline()
        if not line:
            raise SystemExit("server closed its output")
        line = line.strip()
        if not line:
            break
        if line.lower().startswith(b"content-length:"):
            n = int(line.split(b":")[1])
    return json.loads(p.stdout.read(n))
send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
    "rootUri": "file://" + root, "capabilities": {"window": {"workDoneProgress": True}}}})
values = []
deadline = time.time() + 300
while time.time() < deadline:
    m = recv()
    if m.get("method") == "window/workDoneProgress/create":
        send({"jsonrpc": "2.0", "id": m["id"], "result": None})
    elif m.get("id") == 1:
        send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    elif m.get("method") == "$/progress":
        v = m["params"]["value"]
        values.append(v)
        print(json.dumps(v))
        if v["kind"] == "end":
            break
send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
while recv().get("id") != 2:
    pass
send({"jsonrpc": "2.0", "method": "exit"})
p.wait(timeout=30)
kinds = [v["kind"] for v in values]
assert kinds and kinds[0] == "begin" and kinds[-1] == "end", kinds
assert values[0].get("percentage") == 0, values[0]
pcts = [v["percentage"] for v in values[1:-1]]
assert len(pcts) == len(values) - 2, "a report without a percentage"
assert all(0 <= x <= 100 for x in pcts), pcts
assert pcts == sorted(pcts), "percentages went down: %r" % pcts
assert "percentage" not in values[-1]
assert values[-1]["message"].startswith("indexed 4000 files"), values[-1]
files = [v for v in values[1:-1] if v["message"] != "building the model"]
assert all(v["message"].endswith("/4000 files") and v["percentage"] <= 90 for v in files), files
assert any(v["message"] == "building the model" and v["percentage"] == 90 for v in values), values
print("reports:", len(pcts), "percentages:", pcts)
PY
cat "$T/out" | tail -1
echo "ok lsp_progress"
