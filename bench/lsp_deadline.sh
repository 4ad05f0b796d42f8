#!/usr/bin/env bash
# lsp_deadline.sh - the deadline holds whatever the server does.
#   1. `tacit complete --deadline D` (D = 100, 400, 1000) against a stopped
#      server (SIGSTOP) and one whose every endpoint answers after 1 s;
#      baseline: the same command with --backend none (the embedded model
#      alone), in the same run. Target: wall time - baseline <= D + 20 ms.
#   2. `tacit lsp` keystroke -> inlineCompletion reply (the embedded answer)
#      while the server hangs on every /infill, and with no server
#      (baseline), via bench/lsp_bench.c. Target: p99 <= 10 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${TACIT_REL_BIN:-build/tacit}
[ -x "$bin" ] || make build/tacit >/dev/null
runs=${RUNS:-7}
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill -CONT "$p" 2>/dev/null; kill "$p" 2>/dev/null; done; rm -rf "$tmp"; }
trap cleanup EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
serve() { # MODE: starts a fake server; sets $sport and $spid
    sport=$(port)
    python3 bench/lsp_fake_server.py "$sport" "$1" &
    spid=$!
    pids+=("$spid")
    for _ in $(seq 50); do python3 -c "import socket; socket.create_connection(('127.0.0.1',$sport),1)" 2>/dev/null && break; sleep 0.1; done
}
# a workspace: tacit's own sources
ws=$tmp/ws
mkdir -p "$ws/.git"
cp -r src "$ws/"
cursor="$ws/src/util/buf.c:20:5"
export TACIT_CACHE_DIR=$tmp/cache
"$bin" index -q "$ws"
# Paired runs (the machine is shared: noise is large): each run of the
# command is followed by a baseline run (--backend none). Prints the median
# and max of (wall - baseline wall), and the max of the suggestion's own
# latency_ms (from the start of the suggestion to its answer: what the
# deadline governs).
paired() { # URL D
    local i t0 t1 t2 diff=() lat=() out
    for i in $(seq "$runs"); do
        t0=$(date +%s%N)
        out=$(TACIT_BACKEND_LLAMA_URL=$1 "$bin" complete "$cursor" -q --json --backend llama --deadline "$2" 2>/dev/null || true)
        t1=$(date +%s%N)
        "$bin" complete "$cursor" -q --json --backend none >/dev/null 2>&1 || true
        t2=$(date +%s%N)
        diff+=($(( ((t1 - t0) - (t2 - t1)) / 1000000 )))
        lat+=($(printf '%s' "$out" | sed -n 's/.*"latency_ms":\([0-9.]*\).*/\1/p'))
    done
    printf '%s\n' "${diff[@]}" | sort -n | awk '{a[NR]=$1} END {printf "wall - baseline: median %5d ms  max %5d ms", a[int((NR+1)/2)], a[NR]}'
    printf '%s\n' "${lat[@]}" | sort -n | awk '{a[NR]=$1} END {printf "   latency_ms max %7.1f\n", a[NR]}'
}
serve delay:0
stopped=$sport
kill -STOP "$spid"
serve delay:1
slow=$sport
echo "== tacit complete --deadline D ($runs paired runs each; $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
for d in 100 400 1000; do
    echo "-- D = $d ms"
    printf '  stopped server (SIGSTOP)          %s\n' "$(paired "http://127.0.0.1:$stopped" "$d")"
    printf '  every endpoint answers after 1 s  %s\n' "$(paired "http://127.0.0.1:$slow" "$d")"
done
echo "== tacit lsp: keystroke -> reply while the server hangs"
cc -O2 -std=c11 -Wall -Wextra -o build/lsp_bench bench/lsp_bench.c -lcjson
serve hang-infill
hang=$sport
root=/usr/lib/python3.11/json
file=$root/decoder.py
echo "-- baseline: no server"
build/lsp_bench --bin "$bin" --root "$root" --file "$file" --line 40 --keys 300 --cache "$tmp/lc1" | grep -E "keystroke|server stats"
echo "-- server hangs on every /infill (notify mode: the embedded answer at once)"
TACIT_BACKEND=llama TACIT_BACKEND_LLAMA_URL=http://127.0.0.1:$hang TACIT_BACKEND_LLAMA_FIRST_BYTE_TIMEOUT_MS=600000 \
    TACIT_BACKEND_LLAMA_TIMEOUT_MS=600000 TACIT_DEADLINE_MS=60000 \
    build/lsp_bench --notify --bin "$bin" --root "$root" --file "$file" --line 40 --keys 300 --cache "$tmp/lc2" | grep -E "keystroke|server stats"
echo "-- server stopped (SIGSTOP)"
TACIT_BACKEND=llama TACIT_BACKEND_LLAMA_URL=http://127.0.0.1:$stopped \
    build/lsp_bench --notify --bin "$bin" --root "$root" --file "$file" --line 40 --keys 300 --cache "$tmp/lc3" | grep -E "keystroke|server stats"
