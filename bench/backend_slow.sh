#!/usr/bin/env bash
# backend_slow.sh - `tacit complete --backend llama --deadline 400` against a
# llama-server whose every /tokenize answers 1 s late (a proxy in front of
# it, bench/backend_slowproxy.py, that also counts requests per endpoint),
# and against the server directly.
#
#   bench/backend_slow.sh [BASELINE_TACIT]
#
# BASELINE_TACIT: another tacit binary (e.g. main's build/tacit) run the same
# way in the same run, for a reference. Workspace: a copy of src/ and
# tests/; cursor src/backend/backend.c:640:5. One JSON line per run: which
# binary, direct or slow, wall ms, the proxy's request counts before/after.
set -u
cd "$(dirname "$0")/.."
root=$PWD
make -s build/tacit >/dev/null
dir=$(bash scripts/llama.sh 2>/dev/null | tail -1)
[ -x "$dir/llama-server" ] || { echo "no llama-server (scripts/llama.sh)" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tacit-backend-slow.XXXXXX")
spid= ppid=
cleanup() { [ -n "$ppid" ] && kill "$ppid" 2>/dev/null; [ -n "$spid" ] && kill "$spid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
bash scripts/gguf_gen.sh -o "$tmp/model.gguf" --seed 7 >/dev/null 2>&1
mkdir -p "$tmp/ws" && cp -r src tests "$tmp/ws/" && (cd "$tmp/ws" && git init -q .)
port=$((30000 + RANDOM % 20000)); pport=$((port + 1))
"$dir/llama-server" -m "$tmp/model.gguf" --host 127.0.0.1 --port $port -c 4096 -b 1024 -np 1 -t 1 --no-webui >"$tmp/log" 2>&1 &
spid=$!
for _ in $(seq 300); do [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health")" = 200 ] && break; sleep 0.1; done
python3 bench/backend_slowproxy.py $pport $port 1.0 & ppid=$!
for _ in $(seq 50); do curl -s "http://127.0.0.1:$pport/_count" >/dev/null && break; sleep 0.1; done
export TACIT_CONFIG=/dev/null TACIT_CACHE_DIR=$tmp/cache TACIT_BACKEND_LLAMA_N_BATCH=1024
"$root/build/tacit" index --root "$tmp/ws" >/dev/null 2>&1 || true
for bin in "$root/build/tacit" ${1:+"$1"}; do
    for url in "http://127.0.0.1:$port" "http://127.0.0.1:$pport"; do
        before=$(curl -s "http://127.0.0.1:$pport/_count")
        t0=$(date +%s%N)
        (cd "$tmp/ws" && TACIT_BACKEND_LLAMA_URL=$url timeout 300 "$bin" complete src/backend/backend.c:640:5 \
            --backend llama --deadline 400 --json -q >/dev/null 2>&1)
        t1=$(date +%s%N)
        after=$(curl -s "http://127.0.0.1:$pport/_count")
        printf '{"bin":"%s","server":"%s","ms":%d,"proxy_before":%s,"proxy_after":%s}\n' "$bin" \
            "$([ "$url" = "http://127.0.0.1:$port" ] && echo direct || echo slow-tokenize)" \
            $(( (t1 - t0) / 1000000 )) "$before" "$after"
    done
done
