#!/usr/bin/env bash
# lsp.sh - `tacit lsp` as an editor sees it (bench/lsp_bench.c): time to the
# first answer on a fresh cache, and keystroke -> inlineCompletion latency
# while retyping 1,000 characters of real code in /usr/lib/python3.11,
# plus the server's peak RSS. Targets: p99 <= 10 ms, first answer <= 200 ms,
# RSS <= 300 MiB.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build
cc -O2 -std=c11 -Wall -Wextra -o build/lsp_bench bench/lsp_bench.c -lcjson
bin=${TACIT_REL_BIN:-build/tacit}
[ -x "$bin" ] || make build/tacit >/dev/null
cache=$(mktemp -d)
trap 'rm -rf "$cache"' EXIT
echo "-- argparse.py, fresh cache"
build/lsp_bench --bin "$bin" --cache "$cache/a" --file /usr/lib/python3.11/argparse.py --line 200 --keys 1000
echo "-- typing.py, index already on disk"
build/lsp_bench --bin "$bin" --cache "$cache/a" --file /usr/lib/python3.11/typing.py --line 1200 --keys 1000
