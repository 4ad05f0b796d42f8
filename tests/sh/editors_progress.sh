#!/usr/bin/env bash
# editors_progress.sh - issue 11: the status lines of the Vim and Neovim
# plugins while a server starts, indexes and is slow to answer. The server
# is a stand-in (editors_progress_server.py: initialize answered after 4 s,
# then indexing reported at 42 % and never ended, each inlineCompletion
# answered after 3 s), so every state lasts long enough to be read on the
# screen. Each editor must show, in turn: "waiting for server" (starting),
# "indexing 42%", "waiting for server" (a request out 300 ms), and
# "indexing 42%" again once it is answered. Waits poll the screen up to a
# deadline; nothing asserts how long anything took.
set -eu
. "$(dirname "$0")/vim_lib.sh"
. "$(dirname "$0")/nvim_lib.sh"
vt_need
nv_need
fake=$vt_repo/tests/sh/editors_progress_server.py
tm_setup
printf 'import sys\n\n\ndef main():\n    return 0\n' >"$ws/tool.py"
git -C "$ws" init -q

# Vim
vt_vimrc "$tmp/vimrc" "let g:tacit.cmd = ['python3', '$fake', '4', '3']"
vt_start "$ws" "$tmp/vimrc" tool.py
vt_wait "vim: 'waiting for server' while it starts" 35 has "tool.py [waiting for server]"
vt_wait "vim: 'indexing 42%' once it reports" 100 has "tool.py [indexing 42%]"
tm_keys G o
tm_type "ret"
vt_wait "vim: 'waiting for server' with a request out" 28 has "tool.py [waiting for server]"
vt_wait "vim: 'indexing 42%' again once it is answered" 60 has "tool.py [indexing 42%]"
vt_ok "vim: waiting for server (starting), indexing 42%, waiting for server (a request out), indexing 42%"
tm_stop

# Neovim (its status line reads "tacit: ..."), same server
cat >"$tmp/init.lua" <<LUA
vim.o.swapfile = false
vim.o.laststatus = 2
vim.o.statusline = "%f [%{v:lua.require'tacit'.statusline()}]"
vim.o.shortmess = vim.o.shortmess .. 'I'
require('tacit').setup({ cmd = { 'python3', '$fake', '4', '3' }, debounce_ms = 50 })
LUA
nv_start "$ws" 100x30 "$tmp/init.lua" tool.py # the screen helpers now read this tmux
vt_wait "nvim: 'waiting for server' while it starts" 35 has "tool.py [tacit: waiting for server]"
vt_wait "nvim: 'indexing 42%' once it reports" 100 has "tool.py [tacit: indexing 42%]"
tm_keys G o
tm_type "ret"
vt_wait "nvim: 'waiting for server' with a request out" 28 has "tool.py [tacit: waiting for server]"
vt_wait "nvim: 'indexing 42%' again once it is answered" 60 has "tool.py [tacit: indexing 42%]"
vt_ok "nvim: waiting for server (starting), indexing 42%, waiting for server (a request out), indexing 42%"
tm_stop
