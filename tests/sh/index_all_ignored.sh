#!/usr/bin/env bash
# index_all_ignored.sh - a tree whose ignore rules take every file (as
# Debian's linux-source ships a .gitignore ending in "/*"): `tacit index`
# says that nothing was indexed and why, instead of a silent success; a
# tree with files to index says nothing of the kind.
set -u
cd "$(dirname "$0")/../.."
bin=${TACIT_TEST_BIN:-build/dbg/tacit}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export XDG_CONFIG_HOME=$tmp/xdg
unset TACIT_BACKEND TACIT_CONFIG TACIT_DEADLINE_MS
mkdir -p "$tmp/ws/kernel"
printf 'int a;\n' >"$tmp/ws/kernel/a.c"
printf '# ignore everything at the top level\n/*\n!/debian/\n' >"$tmp/ws/.gitignore"
"$bin" index "$tmp/ws" --cache-dir "$tmp/c1" 2>"$tmp/err1" || fail "index exited $?: $(cat "$tmp/err1")"
grep -q "no file to index under .*every file is ignored" "$tmp/err1" || fail "no warning for a tree ignored whole: $(cat "$tmp/err1")"
rm "$tmp/ws/.gitignore"
"$bin" index "$tmp/ws" --cache-dir "$tmp/c2" 2>"$tmp/err2" || fail "index exited $?: $(cat "$tmp/err2")"
grep -q "no file to index" "$tmp/err2" && fail "a warning with a file to index: $(cat "$tmp/err2")"
grep -q "indexed 1 files" "$tmp/err2" || fail "the file was not indexed: $(cat "$tmp/err2")"
echo "index_all_ignored: ok"
