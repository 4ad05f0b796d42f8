#!/usr/bin/env bash
# kill -9 in the middle of indexing (and of writing the index) leaves the
# previous index intact and usable.
set -eu
bin=${TACIT_REL_BIN:-build/tacit}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ws=$tmp/ws
cache=$tmp/cache
mkdir -p "$ws"
# A workspace big enough that indexing takes a while: the Python stdlib.
cp -r /usr/lib/python3.11/. "$ws/" 2>/dev/null || true
"$bin" index -q --cache-dir "$cache" "$ws"
"$bin" index --stats --cache-dir "$cache" "$ws" > "$tmp/before.txt"
before=$(grep '^total' "$tmp/before.txt")
# Change the tree so the next run has real work (a full rewrite of the index).
find "$ws" -name '*.py' | head -3000 | while read -r f; do echo "# edit" >> "$f"; done
kills=0
for delay in 0.02 0.05 0.1 0.2 0.3 0.5 0.8 1.2 1.6 2.0; do
    "$bin" index -q --cache-dir "$cache" "$ws" &
    pid=$!
    sleep "$delay"
    if kill -9 "$pid" 2>/dev/null; then kills=$((kills + 1)); fi
    wait "$pid" 2>/dev/null || true
    # The index left behind loads without a warning and is the old one, or
    # (if the run finished before the kill) the new one.
    "$bin" index --stats --cache-dir "$cache" "$ws" > "$tmp/after.txt" 2> "$tmp/err.txt" || {
        echo "index unusable after kill at ${delay}s"; cat "$tmp/err.txt"; exit 1; }
    if grep -q 'corrupt\|rebuilding' "$tmp/err.txt"; then
        echo "index corrupt after kill at ${delay}s"; cat "$tmp/err.txt"; exit 1
    fi
    grep -q '^total' "$tmp/after.txt"
    # restore the edited state for the next round
    find "$ws" -name '*.py' | head -3000 | while read -r f; do echo "# edit" >> "$f"; done
done
echo "killed $kills runs mid-flight; index intact each time ($before)"
[ "$kills" -gt 0 ]
