#!/usr/bin/env bash
# nextedit_vim_hints.sh - next edits in real Vim 9 show their change as a
# hint at every place (tests/sh/vim_lib.sh: Vim in a private tmux, read
# back from the screen): the user adds an argument to one call; each other
# call shows "→ " and its new text after its line (the next one its mark
# as well); <M-n> previews the next place and the other places keep their
# hints; <M-a> applies them all and no hint is left. With the server's
# setting nextEditInlayHints = false the mark comes without hints. Every
# wait has a deadline.
set -eu
. "$(dirname "$0")/vim_lib.sh"
vt_need

tm_setup
tm_calls_c "$ws/w.c"
git -C "$ws" init -q
shows() { tm_screen | grep -Eq -- "$1"; }
# edit: ", ctx" before the ')' of line 3, in a fresh Vim with the vimrc
# lines EXTRA; then the mark of the next place
edit() {
    git -C "$ws" checkout -q -- w.c 2>/dev/null || true
    vt_vimrc "$tmp/vimrc" "$1"
    vt_start "$ws" "$tmp/vimrc" w.c
    vt_wait "status line 'ready'" 200 has "w.c [ready]"
    tm_keys 3G 'f)' i
    tm_type ", ctx"
    tm_keys Escape
    vt_wait "the mark 'next edit 1/3' after the edit" 100 shows 'log_msg\(x, y\);.*next edit 1/3'
}
git -C "$ws" add w.c
git -C "$ws" -c user.name=t -c user.email=t@example.com commit -qm init

edit ""
vt_wait "the hint at line 6" 50 shows '^    log_msg\(z, w\); +→ log_msg\(z, w, ctx\) *$'
vt_wait "the hint at line 7" 50 shows '^    log_msg\(p, q\); +→ log_msg\(p, q, ctx\) *$'
tm_screen | grep -E '^    log_msg\(x, y\);' | grep -qF '→ log_msg(x, y, ctx)' || vt_fail "no hint beside the mark at line 4"
lines_with "log_msg(\"a\", 1, ctx);" 1 || vt_fail "the edited line is not there once"
shows 'log_msg\("a", 1, ctx\);.*→' && vt_fail "a hint at the place just edited"
shows 'other\(1\);.*→' && vt_fail "a hint at a line that is no place"
vt_ok "1. after the edit, each other call shows '→' and its new text after its line"

tm_keys M-n
vt_wait "<M-n>: the cursor on line 4" 30 eval '[ "$(tm_cursor_row)" = 4 ]'
vt_wait "<M-n>: the preview at line 4 (one '→' there)" 50 eval \
    '[ "$(tm_screen | grep -E "^    log_msg\(x, y\);" | grep -o "→" | wc -l)" = 1 ]'
shows '^    log_msg\(z, w\); +→ log_msg\(z, w, ctx\) *$' || vt_fail "<M-n>: the hint at line 6 went"
shows '^    log_msg\(p, q\); +→ log_msg\(p, q, ctx\) *$' || vt_fail "<M-n>: the hint at line 7 went"
vt_ok "2. <M-n> previews the next place; the other places keep their hints"

tm_keys M-a
vt_wait "<M-a>: every place changed" 50 eval 'has "log_msg(z, w, ctx);" && has "log_msg(p, q, ctx);"'
vt_wait "<M-a>: no hint left" 50 lacks "→"
sleep 0.5 # a late answer would draw them again
lacks "→" || vt_fail "a hint came back after <M-a>"
vt_ok "3. <M-a> applied every place and cleared the hints"
tm_keys : 'qa!' Enter
tm_wait_exit 100

edit "let g:tacit.init_options = {'nextEditInlayHints': v:false}"
shows '^    log_msg\(z, w\);' || vt_fail "line 6 is not on the screen"
lacks "→" || vt_fail "hints with nextEditInlayHints = false"
vt_ok "4. with nextEditInlayHints = false: the mark, no hints"
tm_keys : 'qa!' Enter
tm_wait_exit 100
