#!/usr/bin/env bash
# llama_backend.sh - tacit's llama.cpp backend against a real llama-server.
#
# Builds or finds llama.cpp (scripts/llama.sh) and a tiny qwen2 model with
# the real Qwen2 tokenizer and Qwen2.5-Coder's FIM tokens
# (scripts/gguf_gen.sh), starts llama-server on 127.0.0.1 at a free port
# (-c 4096 larger than -b 1024: with -c <= -b + 2 n_predict, /infill drops
# input_extra) and checks, with bench/backend_client.c and the tacit CLI:
#   - the prompt the server reports back is byte for byte the FIM prompt
#     tacit meant (repo-level layout with retrieved chunks in input_extra);
#   - token budgets agree with the real tokenizer (tokens_evaluated and
#     /tokenize equal tacit's counts); counting never waits: one /tokenize
#     request answers every unit the first build estimated;
#   - tacit's own /infill and raw /completion requests get text (non-empty)
#     from the generated model, the same text twice (greedy, fixed seed);
#   - `tacit explain` prints the request, with secrets redacted and private
#     files absent; `tacit doctor` passes; `tacit complete --backend` works;
#   - cancellation stops the server's generation;
#   - deadlines: a server that accepts and never answers (SIGSTOP) fails
#     the request at the first-byte deadline, the embedded suggestion stays,
#     one warning, backoff;
#   - a server killed mid-reply: the request fails, the embedded
#     suggestion stands.
# Skips (exit 0, "SKIP: ...") only when llama.cpp cannot be built here.
set -u
cd "$(dirname "$0")/../.."
root=$PWD
. tests/sh/llama_lib.sh
bin=${TACIT_REL_BIN:-$root/build/tacit}

say() { printf 'llama_backend: %s\n' "$*" >&2; }
fail() { say "FAIL: $*"; [ -f "${log:-}" ] && { say "server log (tail):"; tail -20 "$log" >&2; }; exit 1; }

dir=$(bash scripts/llama.sh)
rc=$?
dir=$(printf '%s\n' "$dir" | tail -1)
if [ "$rc" -eq 2 ]; then echo "SKIP: llama.cpp cannot be built on this machine"; exit 0; fi
[ "$rc" -eq 0 ] && [ -x "$dir/llama-server" ] || fail "scripts/llama.sh failed (exit $rc)"
[ -x "$bin" ] || fail "no $bin (make build/tacit)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tacit-llama-backend.XXXXXX")
pid=
cleanup() {
    if [ -n "$pid" ]; then
        kill -CONT "$pid" 2>/dev/null
        kill "$pid" 2>/dev/null
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the driver, linked with the release objects ------------------------------
bash bench/build.sh backend_client || fail "cannot build bench/backend_client.c"
driver=$PWD/build/bench/backend_client

model=$tmp/model.gguf
bash scripts/gguf_gen.sh -o "$model" --seed 7 >/dev/null || fail "gguf_gen failed"

# --- a small workspace: retrieval finds util.py from main.py -----------------
ws=$tmp/ws
mkdir -p "$ws/pkg"
cat >"$ws/pkg/util.py" <<'EOF'
def parse_config(path):
    values = {}
    with open(path) as fh:
        for line in fh:
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def merge_config(base, override):
    merged = dict(base)
    merged.update(override)
    return merged
EOF
cat >"$ws/main.py" <<'EOF'
from pkg.util import parse_config, merge_config

API_TOKEN = "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"


def load(path, override):
    values = parse_config(path)
    merged = merge_config(values, override)
    for key, value in merged.items():
        print(key, value)
    return 
EOF
printf 'SECRET_KEY=very-secret-value-123\n' >"$ws/.env"
(cd "$ws" && git init -q . 2>/dev/null)
cursor="main.py:11:12"

# --- the server -----------------------------------------------------------------
log=$tmp/server.log
llama_start "$log" "$dir/llama-server" -m "$model" --host 127.0.0.1 \
    -c 4096 -b 1024 -np 1 -t 1 --no-webui --metrics || fail "could not start llama-server"
say "llama-server up on $base"
export TACIT_CONFIG=/dev/null TACIT_CACHE_DIR=$tmp/cache
export TACIT_BACKEND=llama TACIT_BACKEND_LLAMA_URL=$base TACIT_BACKEND_LLAMA_N_BATCH=1024

# --- prompt and budgets ----------------------------------------------------------
timeout 120 "$driver" check "$base" "$ws" "$cursor" || fail "prompt/budget check"
timeout 120 "$driver" infill "$base" || fail "tacit's /infill and /completion requests"

# --- tacit explain: the exact request ---------------------------------------------
timeout 60 "$bin" explain "$ws/$cursor" >"$tmp/req.txt" 2>"$tmp/explain.err" || { cat "$tmp/explain.err" >&2; fail "tacit explain"; }
head -1 "$tmp/req.txt" | grep -q "^POST $base/infill$" || fail "explain: request line: $(head -1 "$tmp/req.txt")"
grep -q '"input_extra":\[{"filename":"pkg/util.py"' "$tmp/req.txt" || fail "explain: no retrieved chunk in input_extra"
grep -q 'ghp_aBcDeF' "$tmp/req.txt" && fail "explain: a token was not redacted"
grep -q '<redacted>' "$tmp/req.txt" || fail "explain: no redaction marker"
grep -q 'very-secret-value' "$tmp/req.txt" && fail "explain: .env content was sent"
# a one-shot explain counts by estimate unless its caller waits for the
# tokenizer's one batch; either way it says which
grep -Eq '# tokens: (exact \(server tokenizer\)|estimated);' "$tmp/explain.err" || fail "explain: counts: $(cat "$tmp/explain.err")"
say "ok: tacit explain prints the request (secrets redacted, .env absent)"
# the request as printed is what the server accepts
sed '1,/^$/d' "$tmp/req.txt" >"$tmp/body.json"
curl -s --max-time 30 -H 'Content-Type: application/json' --data-binary @"$tmp/body.json" "$base/infill" \
    | grep -q '"stop":true' || fail "the printed request was not accepted by the server"
say "ok: the printed request is accepted by the server as is"
# a private file being edited: nothing would be sent
timeout 60 "$bin" explain "$ws/.env:1:3" >"$tmp/req2.txt" 2>"$tmp/explain2.err"
[ -s "$tmp/req2.txt" ] && fail "explain on .env printed a request"
grep -q "secret-file pattern" "$tmp/explain2.err" || fail "explain on .env: $(cat "$tmp/explain2.err")"
say "ok: a private file: nothing would be sent"

# --- tacit doctor, tacit complete --backend ----------------------------------------
timeout 60 "$bin" doctor >"$tmp/doctor.txt" 2>&1 || { cat "$tmp/doctor.txt" >&2; fail "tacit doctor"; }
grep -q "FIM support: yes; prompts as qwen" "$tmp/doctor.txt" || fail "doctor: FIM: $(cat "$tmp/doctor.txt")"
grep -q "tokenizer: the server's" "$tmp/doctor.txt" || fail "doctor: tokenizer"
grep -q "sample request: first byte" "$tmp/doctor.txt" || fail "doctor: sample request"
say "ok: tacit doctor: $(grep -c '^  ok' "$tmp/doctor.txt") checks ok"
out=$(timeout 60 "$bin" complete "$ws/$cursor" --backend llama --deadline 5000 --json -q) || fail "tacit complete --backend"
printf '%s' "$out" | grep -q '"source":"\(server\|embedded\|none\)"' || fail "complete --backend: $out"
say "ok: tacit complete --backend: $out"

# --- in the editor: tacit lsp with the server configured --------------------------------
# The embedded suggestion is computed first; the server's replaces it when
# it answers within the deadline. Then the server is killed: the embedded
# model answers every request, and the user gets one warning, not one per
# keystroke.
frame() { printf 'Content-Length: %d\r\n\r\n%s' "${#1}" "$1"; }
lsp_session() { # $1: number of inlineCompletion requests
    local uri="file://$ws/lspdemo.py" text='def add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    return '
    frame '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":"file://'"$ws"'","capabilities":{"textDocument":{"inlineCompletion":{}}},"initializationOptions":{}}}'
    frame '{"jsonrpc":"2.0","method":"initialized","params":{}}'
    frame '{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"'"$uri"'","languageId":"python","version":1,"text":"'"$text"'"}}}'
    local typed=""
    for i in $(seq "$1"); do
        # a keystroke, then the request at the new cursor
        [ "$i" -gt 1 ] && typed="${typed}v" &&
            frame '{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"'"$uri"'","version":'$((i + 1))'},"contentChanges":[{"text":"'"$text$typed"'"}]}}'
        frame '{"jsonrpc":"2.0","id":'$((10 + i))',"method":"textDocument/inlineCompletion","params":{"textDocument":{"uri":"'"$uri"'"},"position":{"line":5,"character":'$((11 + ${#typed}))'},"context":{"triggerKind":2}}}'
        sleep 0.5
        # $2: a process to stop once the first request went through
        if [ "$i" = 1 ] && [ -n "${2:-}" ]; then sleep 1.5; kill -STOP "$2"; fi
    done
    frame '{"jsonrpc":"2.0","id":90,"method":"tacit/stats","params":{}}'
    frame '{"jsonrpc":"2.0","id":91,"method":"shutdown"}'
    frame '{"jsonrpc":"2.0","method":"exit"}'
}
prompt_total() { curl -s --max-time 5 "$base/metrics" | awk '/^llamacpp:prompt_tokens_total/ {print $2}'; }
before=$(prompt_total)
lsp_session 1 | TACIT_DEADLINE_MS=5000 timeout 60 "$bin" lsp > "$tmp/lsp1.out" 2>"$tmp/lsp1.err" || fail "tacit lsp with a server: exit $?"
after=$(prompt_total)
grep -q '"id":11' "$tmp/lsp1.out" || fail "lsp: no inlineCompletion reply: $(head -c 600 "$tmp/lsp1.out")"
awk -v a="${before:-0}" -v b="${after:-0}" 'BEGIN { exit !(b > a) }' || fail "lsp: the server was not asked (prompt tokens $before -> $after)"
say "ok: tacit lsp asked the server (prompt tokens $before -> $after): $(grep -o '"serverAnswers":[0-9]*' "$tmp/lsp1.out")"

# --- cancellation ---------------------------------------------------------------------
timeout 60 "$driver" cancel "$base" || fail "cancellation"

# --- accepts, never answers: SIGSTOP --------------------------------------------------
kill -STOP "$pid"
timeout 30 "$driver" deadline "$base" 400
rc=$?
kill -CONT "$pid"
[ $rc -eq 0 ] || fail "deadline (server stopped)"
# and through the CLI: the embedded suggestion, at the deadline
kill -STOP "$pid"
t0=$(date +%s%N)
out=$(TACIT_BACKEND_LLAMA_FIRST_BYTE_TIMEOUT_MS=300 timeout 60 "$bin" complete "$ws/$cursor" --backend llama --json 2>"$tmp/c.err")
rc=$?
kill -CONT "$pid"
[ $rc -eq 0 ] || fail "complete with a stopped server: exit $rc"
printf '%s' "$out" | grep -q '"source":"server"' && fail "a stopped server answered?"
say "ok: stopped server: tacit complete answered from the embedded model ($out)"
# and in the editor: every request answered, one warning, the slow server
# paused (it answered the probe, then stopped): by the backoff of its
# failed calls, or after three answers later than the deadline
t0=$(date +%s%N)
lsp_session 6 "$pid" | TACIT_DEADLINE_MS=300 timeout 60 "$bin" lsp > "$tmp/lsp3.out" 2>"$tmp/lsp3.err"
rc=$?
kill -CONT "$pid"
[ $rc -eq 0 ] || fail "tacit lsp, stopped server: exit $rc"
for i in 11 12 13 14 15 16; do
    grep -q '"id":'$i'[,}]' "$tmp/lsp3.out" || fail "lsp, stopped server: no reply to request $i"
done
grep -o '"message":"[^"]*"' "$tmp/lsp3.out" > "$tmp/lsp3.msgs" || true
[ "$(grep -c "server 'llama'" "$tmp/lsp3.msgs")" -eq 1 ] || fail "lsp, stopped server: warnings: $(cat "$tmp/lsp3.msgs")"
say "ok: tacit lsp with a stopped server: 6 answers, 1 warning ($(( ($(date +%s%N) - t0) / 1000000 )) ms for the session)"

# --- killed mid-request -----------------------------------------------------------------
timeout 60 "$driver" killmid "$base" "$pid" || fail "server killed mid-request"
wait "$pid" 2>/dev/null
pid=
# the LSP server with the model server gone: answers, and one warning
lsp_session 4 | TACIT_DEADLINE_MS=2000 timeout 60 "$bin" lsp > "$tmp/lsp2.out" 2>"$tmp/lsp2.err" || fail "tacit lsp, dead server: exit $?"
for i in 11 12 13 14; do
    grep -q '"id":'$i',' "$tmp/lsp2.out" || grep -q '"id":'$i'}' "$tmp/lsp2.out" || fail "lsp, dead server: no reply to request $i"
done
grep -o '"message":"[^"]*"' "$tmp/lsp2.out" > "$tmp/lsp2.msgs" || true
warnings=$(grep -c "server 'llama'" "$tmp/lsp2.msgs")
[ "$warnings" -eq 1 ] || fail "lsp, dead server: $warnings warnings about it (want 1): $(cat "$tmp/lsp2.msgs")"
say "ok: tacit lsp with the server dead: 4 answers, 1 warning"
echo "llama_backend: all checks passed"
