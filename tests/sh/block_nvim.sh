#!/usr/bin/env bash
# block_nvim.sh - a multi-line suggestion of the embedded engine in a real
# Neovim (in tmux, read back with capture-pane): every function of push.c
# locks, bumps and unlocks; in lib.c, on a fresh line after a new
# function's lock (its `}` below)
# the ghost text is the bump with the unlock drawn as a virtual line below;
# <Tab> inserts both lines, and the file saved holds them once, indented as
# the buffer is (no extra `}`). Every wait has a deadline.
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
bin=${TACIT_TEST_BIN:-${TACIT_REL_BIN:-$repo/build/tacit}}
case $bin in /*) ;; *) bin=$repo/$bin ;; esac
for c in nvim tmux git; do command -v $c >/dev/null 2>&1 || { echo "block_nvim: $c not found"; exit 1; }; done
[ -x "$bin" ] || { echo "block_nvim: no tacit binary at $bin"; exit 1; }

tmp=$(mktemp -d)
sock="s14-blocks-nvim-$$"
T=(tmux -L "$sock" -f /dev/null)
trap '"${T[@]}" kill-server 2>/dev/null || true; rm -rf "$tmp" 2>/dev/null || { sleep 1; rm -rf "$tmp"; }' EXIT
ws=$tmp/ws
mkdir -p "$ws" "$tmp/xdg"
{
    printf '#include "lua.h"\n'
    for i in 1 2 3 4; do
        printf '\nstatic void push%d(lua_State *L)\n{\n    lua_lock(L);\n    api_incr_top(L);\n    lua_unlock(L);\n}\n' "$i"
    done
} >"$ws/push.c"
printf '#include "lua.h"\n\nstatic void push9(lua_State *L)\n{\n    lua_lock(L);\n}\n' >"$ws/lib.c"
git -C "$ws" init -q
export TACIT_CACHE_DIR=$tmp/cache XDG_CONFIG_HOME=$tmp/xdg/config XDG_DATA_HOME=$tmp/xdg/data \
       XDG_STATE_HOME=$tmp/xdg/state XDG_CACHE_HOME=$tmp/xdg/cache
cat >"$tmp/init.lua" <<LUA
vim.o.swapfile = false
vim.o.shiftwidth = 4
vim.o.expandtab = true
vim.o.autoindent = true
require('tacit').setup({ cmd = { '$bin', 'lsp' }, debounce_ms = 50, init_options = { threshold = 0 } })
LUA

screen() { "${T[@]}" capture-pane -p -t blk; }
# wait_for SECONDS PATTERN: until the screen shows PATTERN (grep -E)
wait_for() {
    local end=$((SECONDS + $1))
    while [ $SECONDS -lt "$end" ]; do
        screen | grep -Eq -- "$2" && return 0
        sleep 0.2
    done
    echo "block_nvim: timed out waiting for: $2"
    echo "--- screen:"; screen
    exit 1
}

"${T[@]}" new-session -d -s blk -x 100 -y 50 -c "$ws" \
    "nvim -u $tmp/init.lua -i NONE --cmd 'set rtp^=$repo/editors/nvim' lib.c"
wait_for 15 'push9'
sleep 1 # the client starts and indexes
last=$(grep -n 'lua_lock(L);' "$ws/lib.c" | tail -1 | cut -d: -f1)
"${T[@]}" send-keys -t blk ":$last" Enter o
wait_for 5 '-- INSERT --'
# the ghost: the bump on the cursor's line, the unlock under it (drawn as
# a virtual line: the only one on the screen)
wait_for 30 "$(printf '^    lua_unlock\\(L\\);$')"
n=0
for _ in $(seq 100); do
    n=$(screen | grep -c '^    lua_unlock(L);$' || true)
    [ "$n" -eq 1 ] && break
    sleep 0.2
done
[ "$n" -eq 1 ] || { echo "block_nvim: no multi-line ghost (unlock lines: $n)"; screen; exit 1; }
"${T[@]}" send-keys -t blk Tab Escape
sleep 0.5
"${T[@]}" send-keys -t blk ":w" Enter
for _ in $(seq 50); do
    grep -q 'lua_unlock(L);' "$ws/lib.c" && break
    sleep 0.2
done
want=$(printf 'static void push9(lua_State *L)\n{\n    lua_lock(L);\n    api_incr_top(L);\n    lua_unlock(L);\n}')
got=$(tail -6 "$ws/lib.c")
[ "$got" = "$want" ] || { echo "block_nvim: the saved function is not the block:"; printf '%s\n' "$got"; exit 1; }
echo "block_nvim: ok"
