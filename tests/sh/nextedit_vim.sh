#!/usr/bin/env bash
# nextedit_vim.sh - next edits in real Vim 9 (editors/vim, in a private tmux
# through tests/sh/vim_lib.sh; HOME and the XDG folders in a temp dir): the
# user adds an argument to one call; the plugin marks the next call ("next
# edit 1/3"); <M-n> jumps there and previews the change (the text it
# replaces highlighted, the new text after the line); <Tab> applies it and
# the next place is marked; <M-a> applies the rest; a line added after a
# line is previewed above the line it goes before; the file saved holds
# every change and nothing else. Without a next edit <M-n> is <Esc> n
# (search again). The default keys, inline suggestions on. Every wait has
# a deadline.
set -eu
. "$(dirname "$0")/vim_lib.sh"
vt_need

tm_setup
tm_calls_c "$ws/w.c"
cat >> "$ws/w.c" <<'C'
void g(int n, int m)
{
    char *p = malloc(n);
    use(p);
    char *q = malloc(m * 2);
    use(q);
}
C
git -C "$ws" init -q
vt_vimrc "$tmp/vimrc" ""
vt_start "$ws" "$tmp/vimrc" w.c # the cursor's screen row is its line: the file is short

vt_wait "status line 'ready' within 20 s" 200 has "w.c [ready]"
# without a next edit, <M-n> is what it was (<Esc> then n: search again)
tm_keys / 'log_msg(' Enter
vt_wait "the search on line 3" 30 eval '[ "$(tm_cursor_row)" = 3 ]'
tm_keys M-n
vt_wait "<M-n> without a next edit: n, the next match (line 4)" 30 eval '[ "$(tm_cursor_row)" = 4 ]'
vt_ok "0. without a next edit <M-n> did what it did before (n)"
# the edit: ", ctx" before the ')' of line 3, then <Esc>
tm_keys 3G 'f)' i
tm_type ", ctx"
tm_keys Escape
vt_wait "the mark 'next edit 1/3' after the edit" 100 eval 'tm_screen | grep -Eq "log_msg\(x, y\);.*next edit 1/3"'
vt_ok "1. after the edit, the next call is marked (next edit 1/3)"

# jump: the preview shows the new text after the line
tm_keys M-n
vt_wait "<M-n>: the preview of the change" 50 eval 'tm_screen | grep -Eq "log_msg\(x, y\);.*→ log_msg\(x, y, ctx\)"'
vt_wait "<M-n>: the cursor on line 4" 30 eval '[ "$(tm_cursor_row)" = 4 ]'
# the text the change removes is highlighted (TacitNextEditRemoved: a background colour)
tm_screen_e | grep -Eq $'\e\\[48;5;[0-9]+m''log_msg\(x, y\)' || vt_fail "<M-n>: the removed text is not highlighted"
vt_ok "2. <M-n> jumped to line 4 and previews 'log_msg(x, y, ctx)', the text it replaces highlighted"

# apply: the text changes, the next place is marked
tm_keys Tab
vt_wait "<Tab>: the change applied" 50 has "log_msg(x, y, ctx);"
vt_wait "<Tab>: the next place marked (next edit 1/2)" 100 has "next edit 1/2"
lines_with "log_msg(z, w);" 1 || vt_fail "<Tab> changed more than one place"
vt_ok "3. <Tab> applied it and marked the next place (next edit 1/2)"

# apply all
tm_keys M-a
vt_wait "<M-a>: every place changed" 50 eval 'has "log_msg(z, w, ctx);" && has "log_msg(p, q, ctx);"'
vt_ok "4. <M-a> applied it at the other places"

# a line added after a line: the preview shows the new line above the
# one it goes before (highlighted, no arrow), <Tab> inserts it
tm_keys 11G o
tm_type 'if (!p) return;'
tm_keys Escape
vt_wait "the mark after adding a line" 100 has "next edit 1/1: add 1 line"
tm_keys M-n
vt_wait "<M-n>: the new line previewed above 'use(q);'" 50 eval 'tm_screen_e | grep -Eq $'"'"'\e\\[48;5;[0-9]+m    if \\(!q\\) return;'"'"
lacks "→" || vt_fail "the inserted line was previewed after the line"
tm_keys Tab
vt_wait "<Tab>: the line inserted, no preview left" 50 eval 'has "    if (!q) return;" && ! tm_screen_e | grep -q $'"'"'\e\\[48;5;'"'"
vt_ok "5. a line added: previewed above the line it goes before, <Tab> inserted it"

tm_keys ':wq' Enter
tm_wait_exit 100
want='void f(void)
{
    log_msg("a", 1, ctx);
    log_msg(x, y, ctx);
    other(1);
    log_msg(z, w, ctx);
    log_msg(p, q, ctx);
}
void g(int n, int m)
{
    char *p = malloc(n);
    if (!p) return;
    use(p);
    char *q = malloc(m * 2);
    if (!q) return;
    use(q);
}'
if [ "$(cat "$ws/w.c")" != "$want" ]; then
    echo "FAIL: the file is not as expected:"; cat "$ws/w.c"; exit 1
fi
vt_ok "6. the file saved holds every call changed and nothing else"
