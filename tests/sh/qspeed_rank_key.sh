#!/usr/bin/env bash
# qspeed_rank_key.sh - the saved ranker (rank.txt beside the index) is keyed
# by the workspace's content, not by the order its files were indexed in: a
# tree indexed at once and the same tree grown by a file added after a first
# index (appended last in the index) save the same key, and the second
# workspace loads the ranker instead of training again when its content
# matches a saved one.
set -eu
BIN=${TACIT_TEST_BIN:-build/dbg/tacit}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
R=$T/repo
mkdir -p "$R/src"
# about 25,000 tokens of C (the ranker trains from 20,000)
for f in $(seq 0 27); do
    {
        echo "#include \"common$((f % 3)).h\""
        for k in $(seq 0 24); do
            echo "static int f${f}_$k(struct dev *d, int v)"
            echo "{"
            echo "    if (v < $k) return dev_read(d, REG_$((k % 7)), v + $f);"
            echo "    d->count$((k % 5)) += v * $k;"
            echo "    return dev_write(d, REG_$((k % 4)), v);"
            echo "}"
        done
    } >"$R/src/m$f.c"
done
key() { awk 'NR == 1 {print $4}' "$1/rank.txt"; }
# A: everything at once
"$BIN" index -q "$R" --cache-dir "$T/a"
"$BIN" complete "$R/src/m3.c:5:5" --root "$R" --cache-dir "$T/a" >/dev/null
[ -s "$T/a/rank.txt" ] || { echo "FAIL: no ranker saved"; exit 1; }
# B: m0.c (first by path) arrives after the first index, so it is indexed last
mv "$R/src/m0.c" "$T/m0.c"
"$BIN" index -q "$R" --cache-dir "$T/b"
"$BIN" complete "$R/src/m3.c:5:5" --root "$R" --cache-dir "$T/b" >/dev/null
kb1=$(key "$T/b")
mv "$T/m0.c" "$R/src/m0.c"
"$BIN" index -q "$R" --cache-dir "$T/b"
"$BIN" complete "$R/src/m3.c:5:5" --root "$R" --cache-dir "$T/b" >/dev/null
ka=$(key "$T/a")
kb=$(key "$T/b")
[ "$kb1" != "$ka" ] || { echo "FAIL: the key ignores content (one file fewer, same key $ka)"; exit 1; }
[ "$ka" = "$kb" ] || { echo "FAIL: same content, keys differ by index order: $ka / $kb"; exit 1; }
# the same content in C, D: a ranker copied from A is loaded, not retrained
mkdir -p "$T/c"
"$BIN" index -q "$R" --cache-dir "$T/c"
cp "$T/a/rank.txt" "$T/c/rank.txt"
[ ! -e "$T/a/rank.txt.list" ] || cp "$T/a/rank.txt.list" "$T/c/rank.txt.list"
touch -d '2000-01-01' "$T/c/rank.txt"
"$BIN" complete "$R/src/m3.c:5:5" --root "$R" --cache-dir "$T/c" >/dev/null
[ "$(stat -c %Y "$T/c/rank.txt")" = "$(date -d 2000-01-01 +%s)" ] ||
    { echo "FAIL: the saved ranker was trained again for the same content"; exit 1; }
echo "ok: rank.txt keyed by content ($ka)"
