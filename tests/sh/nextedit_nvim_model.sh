#!/usr/bin/env bash
# nextedit_nvim_model.sh - a model server's predicted edit in a real Neovim
# (in tmux, read back with capture-pane): with nextEditModel on and a fake
# llama.cpp server (python, on 127.0.0.1) that rewrites the excerpt it is
# sent ("return 0;" -> "return a;"), the user's edit (a literal, which no
# rule generalises) is followed by tacit/nextEditReady; the plugin marks
# the predicted edit, the jump key previews it as ghost text, <Tab>
# applies it; the file saved holds it. Every wait has a deadline.
set -eu
. "$(dirname "$0")/nvim_lib.sh"
nv_need python3

tm_setup
printf 'int main(void)\n{\n    int a = 1;\n    return 0;\n}\n' > "$ws/m.c"
git -C "$ws" init -q

tm_fake_model

cat > "$tmp/init.lua" <<LUA
vim.o.swapfile = false
vim.g.mapleader = ','
require('tacit').setup({ cmd = { '$nv_bin', 'lsp' }, enabled = false,
  init_options = { nextEditModel = true, backend = 'llama',
                   backends = { llama = { url = 'http://127.0.0.1:$port', stream = false, warmup = false } } },
  next_edits = { keys = { jump = '<leader>n' }, delay_ms = 50 } })
LUA

nv_start "$ws" 120x30 "$tmp/init.lua" m.c
nv_wait_for 15 'return 0;'
sleep 1 # the client starts
tm_type '3Gf1r2'
nv_wait_for 15 'next edit 1/1: edit predicted by the model server'
grep -q completion "$tmp/requests" || { echo "nextedit_nvim_model: no request reached the model server"; exit 1; }
tm_keys ',n'
nv_wait_for 10 'return 0;.*→ a'
tm_keys Tab
nv_wait_for 10 'return a;'
tm_keys ':wq' Enter
tm_wait_exit 100
want=$(printf 'int main(void)\n{\n    int a = 2;\n    return a;\n}')
if [ "$(cat "$ws/m.c")" != "$want" ]; then
    echo "nextedit_nvim_model: the file is not as expected:"; cat "$ws/m.c"; exit 1
fi
echo "nextedit_nvim_model: ok"
