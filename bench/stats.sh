#!/usr/bin/env bash
# stats.sh - what recording suggestion outcomes costs the editor: the
# keystroke -> inlineCompletion latency of bench/lsp_bench.c (1,000
# keystrokes retyped in argparse.py, index on disk) with stats.enabled true
# and false, alternated twice in the same run, and the events written.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${TACIT_REL_BIN:-build/tacit}
[ -x "$bin" ] || make build/tacit >/dev/null
# the driver of bench/lsp.sh (built here when it is missing or older)
[ build/lsp_bench -nt bench/lsp_bench.c ] || cc -O2 -std=c11 -Wall -Wextra -o build/lsp_bench bench/lsp_bench.c -lcjson
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_STATE_HOME=$tmp/state
run() { TACIT_STATS_ENABLED=$1 build/lsp_bench --bin "$bin" --cache "$tmp/cache" --file /usr/lib/python3.11/argparse.py --line 200 --keys 1000; }
run false > /dev/null # the index, once
for round in 1 2; do
    echo "-- round $round, stats on";  run true  | grep -i 'p50\|shown' || true
    echo "-- round $round, stats off"; run false | grep -i 'p50\|shown' || true
done
echo "-- events in the store: $(sqlite3 "$XDG_STATE_HOME/tacit/outcomes.db" 'SELECT kind, COUNT(*) FROM events GROUP BY kind' | tr '\n' ' ')"
