#!/usr/bin/env bash
# nextedit_model_llama.sh - next edits from a real llama-server (setting
# nextEditModel): after an edit in `tacit lsp`, the edit-prediction prompt
# reaches the server (its prompt-token count grows), the reply comes back
# and is handled (tacit/stats: nextEdits.modelAnswers), the server keeps
# answering meanwhile, and the project's tiny GGUF (random weights, so its
# text is garbage) gets nothing offered. No crash; a clean shutdown.
# Skips (exit 0, "SKIP: ...") only when llama.cpp cannot be built here.
set -u
cd "$(dirname "$0")/../.."
root=$PWD
. tests/sh/llama_lib.sh
bin=${TACIT_REL_BIN:-$root/build/tacit}

say() { printf 'nextedit_model_llama: %s\n' "$*" >&2; }
fail() {
    say "FAIL: $*"
    [ -f "${log:-}" ] && { say "server log (tail):"; tail -20 "$log" >&2; }
    [ -f "${tmp:-}/lsp.err" ] && { say "tacit lsp's stderr (tail):"; tail -20 "$tmp/lsp.err" >&2; }
    exit 1
}

dir=$(bash scripts/llama.sh)
rc=$?
dir=$(printf '%s\n' "$dir" | tail -1)
if [ "$rc" -eq 2 ]; then echo "SKIP: llama.cpp cannot be built on this machine"; exit 0; fi
[ "$rc" -eq 0 ] && [ -x "$dir/llama-server" ] || fail "scripts/llama.sh failed (exit $rc)"
[ -x "$bin" ] || fail "no $bin (make build/tacit)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tacit-nextedit-llama.XXXXXX")
pid=
cleanup() {
    if [ -n "$pid" ]; then
        kill "$pid" 2>/dev/null
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

model=$tmp/model.gguf
bash scripts/gguf_gen.sh -o "$model" --seed 7 >/dev/null || fail "gguf_gen failed"

log=$tmp/server.log
llama_start "$log" "$dir/llama-server" -m "$model" --host 127.0.0.1 \
    -c 4096 -b 1024 -np 1 -t 1 --no-webui --metrics || fail "could not start llama-server"
prompt_total() { curl -s --max-time 5 "$base/metrics" | awk '/^llamacpp:prompt_tokens_total/ {print $2}'; }
before=$(prompt_total)

ws=$tmp/ws
mkdir -p "$ws"
printf 'int main(void)\n{\n    int a = 1;\n    return 0;\n}\n' >"$ws/m.c"

XDG_DATA_HOME=$tmp/data XDG_STATE_HOME=$tmp/state XDG_CONFIG_HOME=$tmp/config TACIT_CACHE_DIR=$tmp/cache \
timeout 120 python3 - "$bin" "$ws" "$base" <<'PY' || fail "the LSP session (see above)"
import json, subprocess, sys, time
binary, ws, base = sys.argv[1:4]
p = subprocess.Popen([binary, "lsp", "--no-index"], cwd=ws, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                     stderr=open(ws + "/../lsp.err", "w"))
nid = [0]
logs = []  # the server's window/logMessage texts, shown on failure
def send(m):
    b = json.dumps(m).encode()
    p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(b) + b)
    p.stdin.flush()
def read():
    n = 0
    while True:
        h = p.stdout.readline()
        if not h:
            sys.exit("the server closed its output (crashed?)")
        if h == b"\r\n":
            break
        if h.lower().startswith(b"content-length:"):
            n = int(h.split(b":")[1])
    return json.loads(p.stdout.read(n))
def request(method, params=None):
    nid[0] += 1
    send({"jsonrpc": "2.0", "id": nid[0], "method": method, "params": params})
    while True:
        m = read()
        if m.get("method") in ("window/logMessage", "window/showMessage"):
            logs.append(m["params"].get("message", ""))
        if m.get("id") == nid[0] and "method" not in m:
            return m.get("result")
uri = "file://" + ws + "/m.c"
request("initialize", {"rootUri": "file://" + ws, "capabilities": {},
                       "initializationOptions": {"nextEditModel": True, "nextEditModelDeadline": 60000,
                                                 "backend": "llama", "deadline_ms": 60000,
                                                 "backends": {"llama": {"url": base, "warmup": False,
                                                                         "connect_timeout_ms": 10000, "timeout_ms": 60000}}}})
send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
    "uri": uri, "languageId": "c", "version": 1, "text": open(ws + "/m.c").read()}}})
send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": uri, "version": 2},
      "contentChanges": [{"range": {"start": {"line": 2, "character": 12}, "end": {"line": 2, "character": 13}},
                          "text": "2"}]}})
t0 = time.time()
while True:
    st = request("tacit/stats")["nextEdits"]
    if st["modelRequests"] == 1 and not st["modelPending"]:
        break
    if time.time() - t0 > 90:
        sys.exit("no reply handled in 90 s: %r" % st)
    time.sleep(0.2)
print("stats:", st)
if st["modelAnswers"] != 1:
    sys.exit("the server's reply was not an answer: %r; the server said: %r" % (st, logs[-5:]))
if st["modelOffers"] != 0:
    sys.exit("garbage from random weights was offered: %r" % st)
if request("tacit/nextEdit", {"textDocument": {"uri": uri}, "position": {"line": 2, "character": 13}}) is not None:
    sys.exit("an edit was offered")
request("shutdown")
send({"jsonrpc": "2.0", "method": "exit"})
sys.exit(p.wait(timeout=20))
PY
after=$(prompt_total)
say "prompt tokens at the server: ${before:-?} before, ${after:-?} after"
[ -n "$after" ] && [ "${after%.*}" -gt "${before%.*}" ] 2>/dev/null || fail "the prompt never reached llama-server"
kill -0 "$pid" 2>/dev/null || fail "llama-server died"
say "ok"
