#!/usr/bin/env bash
# nextedit_vim_model.sh - a model server's predicted edit in real Vim 9
# (editors/vim, in a private tmux through tests/sh/vim_lib.sh): with
# nextEditModel on and a fake llama.cpp server (tests/sh/
# nextedit_fake_model.py) that rewrites the excerpt it is sent ("return
# 0;" -> "return a;"), the user's edit (a literal, which no rule
# generalises) is followed by tacit/nextEditReady; the plugin asks again
# and marks the predicted edit, <M-n> previews it, <Tab> applies it; the
# file saved holds it. Every wait has a deadline.
set -eu
. "$(dirname "$0")/vim_lib.sh"
vt_need
command -v python3 >/dev/null 2>&1 || { echo "python3 not found"; exit 1; }

tm_setup
printf 'int main(void)\n{\n    int a = 1;\n    return 0;\n}\n' > "$ws/m.c"
git -C "$ws" init -q
tm_fake_model

vt_vimrc "$tmp/vimrc" "let g:tacit.init_options = {'nextEditModel': v:true, 'backend': 'llama',
  \\ 'backends': {'llama': {'url': 'http://127.0.0.1:$port', 'stream': v:false, 'warmup': v:false}}}"
vt_start "$ws" "$tmp/vimrc" m.c
vt_wait "status line 'ready' within 20 s" 200 has "m.c [ready]"
# the edit, in Normal mode: 1 -> 2 on line 3
tm_type 3Gf1r2
vt_wait "the mark of the model's edit" 150 has "next edit 1/1: edit predicted by the model server"
grep -q completion "$tmp/requests" || vt_fail "no request reached the model server"
vt_ok "1. tacit/nextEditReady: the predicted edit is marked"
tm_keys M-n
vt_wait "<M-n>: the preview of the predicted edit" 50 eval 'tm_screen | grep -Eq "return 0;.*→ a"'
tm_keys Tab
vt_wait "<Tab>: the predicted edit applied" 50 has "return a;"
vt_ok "2. <M-n> previews it, <Tab> applies it"
tm_keys ':wq' Enter
tm_wait_exit 100
want=$(printf 'int main(void)\n{\n    int a = 2;\n    return a;\n}')
if [ "$(cat "$ws/m.c")" != "$want" ]; then
    echo "FAIL: the file is not as expected:"; cat "$ws/m.c"; exit 1
fi
vt_ok "3. the file saved holds the predicted edit"
