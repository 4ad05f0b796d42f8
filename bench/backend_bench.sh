#!/usr/bin/env bash
# backend_bench.sh - tacit's server backend against a real llama-server.
#
#   bench/backend_bench.sh [--model PATH.gguf] [--keys N] [--file REL] [--line L] [--lines K]
#                          [--cursors N] [--no-overhead]
#
# Measures, on this machine:
#   1. overhead: tacit's whole path (context with retrieval, exact token
#      counts, request over the libcurl multi handle, streaming, post-
#      processing) minus a direct blocking /infill call with the same body,
#      both with the prompt already in the server's cache; p50/p99 over 200
#      cursors (aim: p99 <= 5 ms). Also tacit's own in-process time.
#   2. a scripted typing session over real code (default: lines of
#      src/backend/backend.c of this repository, retyped character by
#      character; indentation arrives with the line break, as editors do):
#      prompt tokens the server computes per keystroke with tacit's
#      cache-friendly ordering versus the naive one (chunks retrieved anew
#      and ordered by score at every keystroke, prefix window sliding), and
#      the p50 keystroke-to-suggestion latency of each; and the /tokenize
#      requests per keystroke (at most one: the units counted by estimate
#      go to the server in one batch) beside the units counted per keystroke.
#   3. a server that accepts and never answers (SIGSTOP): the probe and a
#      completion return by the caller's deadline D = 100, 400, 1000 ms,
#      beside the same calls without a caller's deadline (the settings'
#      first-byte timeout, 1500 ms).
# Model: a tiny generated qwen2 (scripts/gguf_gen.sh) unless --model is
# given (e.g. bench/make_qwen05b.sh for Qwen2.5-Coder-0.5B's shape). The
# token counts do not depend on the model's size; latencies do.
# Prints one JSON object per measurement and a summary; writes nothing in
# the repository.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
model= keys=400 file=src/backend/backend.c line=640 lines=30 ncur=200 overhead=1
while [ $# -gt 0 ]; do
    case "$1" in
        --model) model=$2; shift 2 ;;
        --keys) keys=$2; shift 2 ;;
        --file) file=$2; shift 2 ;;
        --line) line=$2; shift 2 ;;
        --lines) lines=$2; shift 2 ;;
        --cursors) ncur=$2; shift 2 ;;
        --no-overhead) overhead=0; shift ;;
        *) echo "usage: $0 [--model M] [--keys N] [--file REL] [--line L] [--lines K] [--cursors N]" >&2; exit 2 ;;
    esac
done
dir=$(bash scripts/llama.sh | tail -1)
[ -x "$dir/llama-server" ] || { echo "no llama-server (scripts/llama.sh)" >&2; exit 1; }
make -s build/tacit >/dev/null
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tacit-backend-bench.XXXXXX")
pid=
cleanup() { [ -n "$pid" ] && { kill "$pid" 2>/dev/null; sleep 0.5; kill -9 "$pid" 2>/dev/null; }; rm -rf "$tmp"; }
trap cleanup EXIT
bash bench/build.sh backend_client
cp build/bench/backend_client "$tmp/client"
if [ -z "$model" ]; then
    model=$tmp/model.gguf
    bash scripts/gguf_gen.sh -o "$model" --seed 7 >/dev/null
fi
# the workspace: a copy of this repository's sources (retrieval has real code)
ws=$tmp/ws
mkdir -p "$ws"
cp -r src tests bench "$ws/"
(cd "$ws" && git init -q .)
export TACIT_CACHE_DIR=$tmp/cache TACIT_CONFIG=/dev/null

start() {
    local p
    for _ in 1 2 3 4 5; do
        p=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
        "$dir/llama-server" -m "$model" --host 127.0.0.1 --port "$p" -c 8192 -b 1024 -np 1 -t 1 \
            --no-webui --metrics >"$tmp/server.log" 2>&1 &
        pid=$!
        for _ in $(seq 600); do
            kill -0 "$pid" 2>/dev/null || break
            [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$p/health")" = 200 ] && { base=http://127.0.0.1:$p; return 0; }
            sleep 0.1
        done
        kill -9 "$pid" 2>/dev/null || true; pid=
    done
    echo "cannot start llama-server" >&2; exit 1
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=; }

echo "# $(nproc) cores; llama.cpp $(bash scripts/llama.sh --version); model $(basename "$model") ($(du -h "$model" | cut -f1))"
if [ $overhead = 1 ]; then
    start
    "$tmp/client" overhead "$base" "$ws" "$file" "$ncur" | tee "$tmp/overhead.json"
    stop
else
    echo '{"cursors":0,"overhead_p50_ms":0,"overhead_p99_ms":0,"tacit_own_p99_ms":0}' >"$tmp/overhead.json"
fi
# a stopped server: every call ends by the caller's deadline
start
kill -STOP "$pid"
"$tmp/client" bounded "$base" 100 400 1000 2>/dev/null | tee "$tmp/bounded.json"
kill -CONT "$pid"
stop
# each ordering on a fresh server (an empty prompt cache)
start
"$tmp/client" bench "$base" "$ws" "$file" "$line" "$lines" --n "$keys" | tee "$tmp/friendly.json"
stop
start
"$tmp/client" bench "$base" "$ws" "$file" "$line" "$lines" --n "$keys" --naive | tee "$tmp/naive.json"
stop
node -e '
const fs = require("fs");
const f = JSON.parse(fs.readFileSync(process.argv[1])), n = JSON.parse(fs.readFileSync(process.argv[2]));
const o = JSON.parse(fs.readFileSync(process.argv[3]));
const k = x => x.server_metric_prompt_tokens_per_key >= 0 ? x.server_metric_prompt_tokens_per_key : x.prompt_tokens_computed_per_key;
console.log(`overhead over a direct /infill: p50 ${o.overhead_p50_ms.toFixed(2)} ms, p99 ${o.overhead_p99_ms.toFixed(2)} ms (tacit in-process p99 ${o.tacit_own_p99_ms.toFixed(2)} ms) ${o.overhead_p99_ms <= 5 ? "<= 5 ms: ok" : "> 5 ms"}`);
console.log(`prompt tokens computed per keystroke: cache-friendly ${k(f).toFixed(1)}, naive ${k(n).toFixed(1)}: ${(k(n) / Math.max(k(f), 0.01)).toFixed(1)}x fewer`);
console.log(`tokenizer: ${f.tokenize_requests} /tokenize requests over ${f.keystrokes} keystrokes (at most ${f.tokenize_requests_per_key_max} per keystroke) for ${f.units_counted_per_key.toFixed(1)} units counted per keystroke; ${f.units_estimated} units estimated, on ${f.keys_with_estimates} keystrokes`);
console.log(`keystroke to first suggested token p50: cache-friendly ${f.first_token_p50_ms.toFixed(1)} ms, naive ${n.first_token_p50_ms.toFixed(1)} ms; server prompt time per keystroke ${f.server_prompt_ms_mean.toFixed(1)} vs ${n.server_prompt_ms_mean.toFixed(1)} ms`);
console.log(`keystroke to whole suggestion p50: cache-friendly ${f.latency_p50_ms.toFixed(1)} ms, naive ${n.latency_p50_ms.toFixed(1)} ms (${f.keystrokes} keystrokes; mean tokens generated ${f.generated_tokens_mean.toFixed(1)} vs ${n.generated_tokens_mean.toFixed(1)}: random weights, so generation lengths differ)`);
' "$tmp/friendly.json" "$tmp/naive.json" "$tmp/overhead.json"
node -e '
const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
for (const r of rows) console.log(`stopped server, ${r.deadline_ms ? "deadline " + r.deadline_ms + " ms" : "no caller deadline (first-byte timeout 1500 ms)"}: probe returns after ${r.probe_ms.toFixed(0)} ms, completion after ${r.completion_ms.toFixed(0)} ms`);
' "$tmp/bounded.json"
