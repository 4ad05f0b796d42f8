#!/usr/bin/env bash
# block_nvim.sh - a multi-line suggestion of the embedded engine in a real
# Neovim (in tmux, read back with capture-pane): every function of push.c
# locks, bumps and unlocks; in lib.c, on a fresh line after a new
# function's lock (its `}` below)
# the ghost text is the bump with the unlock drawn as a virtual line below;
# <Tab> inserts both lines, and the file saved holds them once, indented as
# the buffer is (no extra `}`). Every wait has a deadline.
set -eu
. "$(dirname "$0")/nvim_lib.sh"
nv_need

tm_setup
{
    printf '#include "lua.h"\n'
    for i in 1 2 3 4; do
        printf '\nstatic void push%d(lua_State *L)\n{\n    lua_lock(L);\n    api_incr_top(L);\n    lua_unlock(L);\n}\n' "$i"
    done
} >"$ws/push.c"
printf '#include "lua.h"\n\nstatic void push9(lua_State *L)\n{\n    lua_lock(L);\n}\n' >"$ws/lib.c"
git -C "$ws" init -q
cat >"$tmp/init.lua" <<LUA
vim.o.swapfile = false
vim.o.shiftwidth = 4
vim.o.expandtab = true
vim.o.autoindent = true
require('tacit').setup({ cmd = { '$nv_bin', 'lsp' }, debounce_ms = 50, init_options = { threshold = 0 } })
LUA

nv_start "$ws" 100x50 "$tmp/init.lua" lib.c
nv_wait_for 15 'push9'
sleep 1 # the client starts and indexes
last=$(grep -n 'lua_lock(L);' "$ws/lib.c" | tail -1 | cut -d: -f1)
tm_keys ":$last" Enter o
nv_wait_for 5 '-- INSERT --'
# the ghost: the bump on the cursor's line, the unlock under it (drawn as
# a virtual line: the only one on the screen)
nv_wait_for 30 "$(printf '^    lua_unlock\\(L\\);$')"
tm_poll 200 eval '[ "$(nv_count "^    lua_unlock\(L\);$")" -eq 1 ]' ||
    nv_fail "no multi-line ghost (unlock lines: $(nv_count '^    lua_unlock\(L\);$'))"
tm_keys Tab Escape
sleep 0.5
tm_keys ":w" Enter
for _ in $(seq 50); do
    grep -q 'lua_unlock(L);' "$ws/lib.c" && break
    sleep 0.2
done
want=$(printf 'static void push9(lua_State *L)\n{\n    lua_lock(L);\n    api_incr_top(L);\n    lua_unlock(L);\n}')
got=$(tail -6 "$ws/lib.c")
[ "$got" = "$want" ] || { echo "block_nvim: the saved function is not the block:"; printf '%s\n' "$got"; exit 1; }
echo "block_nvim: ok"
