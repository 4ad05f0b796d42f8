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

tmp=$(mktemp -d)
fpid=
trap '[ -n "$fpid" ] && kill $fpid 2>/dev/null; vt_cleanup "$tmp"' EXIT
ws=$tmp/ws
vt_home "$tmp"
mkdir -p "$ws"
printf 'int main(void)\n{\n    int a = 1;\n    return 0;\n}\n' > "$ws/m.c"
git -C "$ws" init -q
python3 "$vt_repo/tests/sh/nextedit_fake_model.py" "$tmp/port" "$tmp/requests" &
fpid=$!
for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.1; done
port=$(cat "$tmp/port")

vt_vimrc "$tmp/vimrc" "let g:tacit.init_options = {'nextEditModel': v:true, 'backend': 'llama',
  \\ 'backends': {'llama': {'url': 'http://127.0.0.1:$port', 'stream': v:false, 'warmup': v:false}}}"
vt_start "$ws" "$tmp/vimrc" m.c
vt_wait "status line 'ready' within 20 s" 200 has "m.c [ready]"
# the edit, in Normal mode: 1 -> 2 on line 3
vt_type 3Gf1r2
vt_wait "the mark of the model's edit" 150 has "next edit 1/1: edit predicted by the model server"
grep -q completion "$tmp/requests" || vt_fail "no request reached the model server"
vt_ok "1. tacit/nextEditReady: the predicted edit is marked"
vt_keys M-n
vt_wait "<M-n>: the preview of the predicted edit" 50 eval 'vt_screen | grep -Eq "return 0;.*→ a"'
vt_keys Tab
vt_wait "<Tab>: the predicted edit applied" 50 has "return a;"
vt_ok "2. <M-n> previews it, <Tab> applies it"
vt_keys ':wq' Enter
for _ in $(seq 100); do tmux -L "$vt_sock" has-session -t vim 2>/dev/null || break; sleep 0.1; done
want=$(printf 'int main(void)\n{\n    int a = 2;\n    return a;\n}')
if [ "$(cat "$ws/m.c")" != "$want" ]; then
    echo "FAIL: the file is not as expected:"; cat "$ws/m.c"; exit 1
fi
vt_ok "3. the file saved holds the predicted edit"
