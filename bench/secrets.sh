#!/usr/bin/env bash
# secrets.sh - the cost of finding secrets (issue 9): the index's masking
# and the per-request window scan, beside the lexer on the same bytes, over
# the Python standard library and the C headers of /usr/include; then the
# index of the Python standard library (whole process, hyperfine if there).
set -euo pipefail
cd "$(dirname "$0")/.."
make -s build/tacit
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc -O2 -D_GNU_SOURCE -Isrc -o "$tmp/sb" bench/secrets_bench.c src/context/secrets.c src/util/buf.c src/lang/*.c \
    -lm -lpthread
find /usr/lib/python3.11 -name '*.py' -print0 | sort -z | xargs -0 cat >"$tmp/all.py"
find /usr/include -name '*.h' -print0 | sort -z | xargs -0 cat >"$tmp/all.h"
"$tmp/sb" "$tmp/all.py" python
"$tmp/sb" "$tmp/all.h" c
