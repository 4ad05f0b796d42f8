#!/usr/bin/env bash
# demo.sh - the main job (`make run`): index a real code base present on any
# Debian machine (the Python standard library), show real suggestions in
# context, then measure them with `tacit eval --mask`.
#   ROOT=/path/to/repo make run     uses another workspace instead
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/tacit
root=${ROOT:-/usr/lib/python3.11}
cases=${CASES:-1000}
if [ ! -d "$root" ]; then
    echo "tacit: $root is missing (Debian package libpython3.11-stdlib); set ROOT=DIR" >&2
    exit 1
fi
echo "== 1. index $root"
"$bin" index --stats "$root"
echo
echo "== 2. suggestions in context: cursors sampled from the workspace; the dim (or"
echo "      [bracketed]) text is what tacit shows; 'quiet' = not sure enough to show"
"$bin" eval -q --mask 60 --seed 7 --root "$root" --show 9 | sed -n '/^$/,$p'
echo "== 3. how often tacit is right: $cases cases masked from the workspace itself"
echo "      (ngram = plain 6-gram baseline, copy = retrieval only, full = tacit)"
"$bin" eval -q --mask "$cases" --seed 1 --root "$root" --compare
