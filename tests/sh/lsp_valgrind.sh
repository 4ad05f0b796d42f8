#!/usr/bin/env bash
# tacit lsp under valgrind (the release binary): fuzz seed sessions
# (malformed frames, invalid JSON and UTF-8, edits, suggestions, settings)
# and a session that indexes a small workspace on the background thread.
# No memory error and no definite leak. Skipped if valgrind is missing.
set -eu
bin=${TACIT_REL_BIN:-build/tacit}
if ! command -v valgrind >/dev/null; then
    echo "valgrind not installed: skipped"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
vg() { valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect "$@"; }
frame() { printf 'Content-Length: %d\r\n\r\n%s' "${#1}" "$1"; }
n=0
for name in headers errors invalid_utf8 sync typed_through too_big nested_json truncated_body rust_untitled_utf8; do
    f=fuzz/corpus/fuzz_lsp/$name
    rc=0
    TACIT_CACHE_DIR=$tmp/cache vg "$bin" lsp --no-index < "$f" > /dev/null 2> "$tmp/err" || rc=$?
    if [ "$rc" -gt 1 ] || grep -q '==[0-9]*==' "$tmp/err"; then
        echo "valgrind: $f (exit $rc)"; cat "$tmp/err"; exit 1
    fi
    n=$((n + 1))
done
# a workspace indexed in the background, then shutdown and exit
mkdir -p "$tmp/ws/pkg"
for i in 1 2 3 4 5 6; do
    printf 'def f%d(x):\n    return x + %d\n\nvalue_%d = f%d(2)\n' "$i" "$i" "$i" "$i" > "$tmp/ws/pkg/m$i.py"
done
{
    frame '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"rootUri":"file://'"$tmp"'/ws","capabilities":{"window":{"workDoneProgress":true}}}}'
    frame '{"jsonrpc":"2.0","method":"initialized","params":{}}'
    frame '{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file://'"$tmp"'/ws/pkg/new.py","languageId":"python","version":1,"text":"value_7 = f"}}}'
    frame '{"jsonrpc":"2.0","id":1,"result":null}'
    # wait for the background index (its files in the cache), not a fixed
    # time: under valgrind on loaded cores it takes well over 4 s
    for _ in $(seq 600); do
        ls "$tmp"/cache/*/model.bin >/dev/null 2>&1 && break
        sleep 0.2
    done
    sleep 1
    frame '{"jsonrpc":"2.0","id":2,"method":"textDocument/inlineCompletion","params":{"textDocument":{"uri":"file://'"$tmp"'/ws/pkg/new.py"},"position":{"line":0,"character":11}}}'
    frame '{"jsonrpc":"2.0","id":3,"method":"tacit/stats"}'
    frame '{"jsonrpc":"2.0","id":4,"method":"shutdown"}'
    frame '{"jsonrpc":"2.0","method":"exit"}'
} | TACIT_CACHE_DIR=$tmp/cache vg "$bin" lsp > "$tmp/out" 2> "$tmp/err" || { echo "workspace session: exit $?"; cat "$tmp/err"; exit 1; }
grep -q '"engine":"workspace"' "$tmp/out" || { echo "the workspace engine never took over"; cat "$tmp/out"; exit 1; }
echo "$n sessions and one indexed workspace clean under valgrind"
