#!/usr/bin/env bash
# nextedit_nvim.sh - next edits in a real Neovim (in tmux, read back with
# capture-pane): the user adds an argument to one call; the plugin marks
# the next call; the jump key moves there and previews the change; <Tab>
# applies it; the apply-all key applies the rest; the file saved holds
# every call changed and nothing else. Every wait has a deadline.
set -eu
. "$(dirname "$0")/nvim_lib.sh"
nv_need

tm_setup
tm_calls_c "$ws/w.c"
git -C "$ws" init -q
cat > "$tmp/init.lua" <<LUA
vim.o.swapfile = false
vim.g.mapleader = ','
require('tacit').setup({ cmd = { '$nv_bin', 'lsp' }, enabled = false,
  next_edits = { keys = { jump = '<leader>n', apply_all = '<leader>a' }, delay_ms = 50 } })
LUA

nv_start "$ws" 120x30 "$tmp/init.lua" w.c
nv_wait_for 15 'log_msg\(p, q\);'
sleep 1 # the client starts
# the edit: ", ctx" before the ')' of line 3
tm_keys '3G' 'f)' 'i, ctx' Escape
nv_wait_for 15 'next edit 1/3'
# jump: the cursor goes to line 4, the preview shows the new text
tm_keys ',n'
nv_wait_for 10 'log_msg\(x, y\);.*→ log_msg\(x, y, ctx\)'
tm_keys Tab
nv_wait_for 10 'log_msg\(x, y, ctx\);'
nv_wait_for 10 'next edit 1/2'
# apply all
tm_keys ',a'
nv_wait_for 10 'log_msg\(p, q, ctx\);'
tm_keys ':wq' Enter
tm_wait_exit 100
want='void f(void)
{
    log_msg("a", 1, ctx);
    log_msg(x, y, ctx);
    other(1);
    log_msg(z, w, ctx);
    log_msg(p, q, ctx);
}'
if [ "$(cat "$ws/w.c")" != "$want" ]; then
    echo "nextedit_nvim: the file is not as expected:"; cat "$ws/w.c"; exit 1
fi
echo "nextedit_nvim: ok"
