#!/usr/bin/env bash
# vim_backend.sh - the Vim plugin with `tacit lsp` and a model server, in real
# Vim driven through tmux (tests/sh/vim_lib.sh), reading the screen. The
# model server is a test harness, bench/lsp_fake_server.py (a stand-in
# llama.cpp: GET /props, POST /infill) answering with the text in the file
# $tmp/answer, so each step knows what the "model" says. Its answer comes
# after the embedded one, as tacit/suggestionUpdated (step 2 shows text
# only the harness says: the notification is handled).
#   1. auto-pairs (`inoremap ( ()<Left>`; the embedded model's answer, the
#      model server saying nothing): after `foo(` the `)` right of the
#      cursor is covered by the item's range: the ghost is drawn around it
#      and <Tab> gives `foo(1, 2);`, not `foo(1, 2);)`;
#   2. multi-line: the first line inline at the cursor, the others as
#      virtual lines below ('below' text properties); <M-l> takes the first
#      line and leaves the rest shown, <Tab> takes the rest; `.` repeats
#      the whole insert;
#   3. re-indent: an accepted `}` on an indented line is re-indented by the
#      buffer's indent rules (cindent), as if typed.
set -eu
. "$(dirname "$0")/vim_lib.sh"
vt_need
command -v python3 >/dev/null 2>&1 || { echo "python3 not found"; exit 1; }

tmp=$(mktemp -d)
rpid=
trap '[ -n "$rpid" ] && kill "$rpid" 2>/dev/null; tm_cleanup "$tmp"' EXIT
ws=$tmp/ws
mkdir -p "$ws/.git"
tm_home "$tmp"
# Calls of foo(1, 2) for the embedded model to learn from (step 1).
cat > "$ws/main.c" <<'EOF'
int foo(int a, int b);

static int one(void)
{
    int r = foo(1, 2);
    r += foo(1, 2);
    r += foo(1, 2);
    r += foo(1, 2);
    return r;
}

static int two(void)
{
    int r = foo(1, 2);
    return r + foo(1, 2);
}

int main(void)
{
    int x = 0;
    int y = foo(1, 2);
    return 0;
}
EOF
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
: > "$tmp/answer"
python3 "$vt_repo/bench/lsp_fake_server.py" "$port" "file:$tmp/answer" &
rpid=$!
for _ in $(seq 50); do python3 -c "import socket; socket.create_connection(('127.0.0.1',$port),1)" 2>/dev/null && break; sleep 0.1; done
export TACIT_BACKEND=llama TACIT_BACKEND_LLAMA_URL=http://127.0.0.1:$port TACIT_DEADLINE_MS=20000
answer() { printf '%s' "$1" > "$tmp/answer"; }

vt_vimrc "$tmp/vimrc" "set expandtab shiftwidth=4 softtabstop=4
let g:tacit.init_options = {'threshold': 0}
inoremap ( ()<Left>"
vt_start "$ws" "$tmp/vimrc" main.c
vt_wait "status line 'ready' within 20 s" 200 has "main.c [ready]"

# 1. auto-pairs: the line reads `int z = foo(|)`, the model says `1, 2);`
answer ""
tm_keys 21G o
tm_type "int z = foo("
vt_wait "auto-pairs: the ghost \"1, 2\" before the real ')' and ';' after it" 150 ghost "1, 2~;"
tm_keys Tab
tm_keys Escape
vt_wait "normal mode" 30 normal
vt_wait "auto-pairs accept: the line is 'int z = foo(1, 2);'" 30 has "    int z = foo(1, 2);"
lacks "foo(1, 2);)" || vt_fail "the auto-inserted ')' was kept: foo(1, 2);)"
vt_ok "1. auto-pairs: the range replaced the auto-inserted ')': 'int z = foo(1, 2);'"

# 2. multi-line: on a new line after `int y = ...;`
answer $'if (y) {\n        x = y;\n    }'
tm_keys o
vt_wait "multi-line ghost: first line inline" 150 ghost "if (y) {"
vt_wait "multi-line ghost: the next lines below the cursor line" 30 eval 'ghost "        x = y;" && ghost "    }"'
has "    if (y) {" || vt_fail "the ghost's first line is not at the cursor"
tm_keys M-l
vt_wait "<M-l> took the first line; the rest still shown below" 30 eval 'ghost "        x = y;" && ! ghost "if (y) {"'
tm_keys Tab
tm_keys Escape
vt_wait "normal mode" 30 normal
vt_wait "multi-line accept: three real lines" 30 eval 'noghost && has "    if (y) {" && has "        x = y;"'
tm_screen | grep -qx -- "    }" || vt_fail "multi-line accept: no '    }' line"
tm_keys .
vt_wait "'.' repeated the multi-line insert" 30 eval '[ "$(tm_screen | grep -cx -- "        x = y;")" -eq 2 ]'
tm_keys u
vt_wait "undo" 30 eval '[ "$(tm_screen | grep -cx -- "        x = y;")" -eq 1 ]'
vt_ok "2. multi-line ghost (inline + below); <M-l> took a line, <Tab> the rest; '.' repeated it"

# 3. re-indent: inside the block, a new line (cindent: 8 spaces), the model
# says `}` written where the cursor is; accepted, it moves to 4 spaces.
answer "}"
tm_type '/x = y;'
tm_keys Enter o
vt_wait "ghost '}' on the indented line" 150 ghost "}"
tm_keys Tab Escape
vt_wait "normal mode" 30 normal
vt_wait "the accepted '}' re-indented to 4 spaces" 30 eval 'noghost && [ "$(tm_screen | grep -cx -- "    }")" -eq 2 ]'
tm_screen | grep -qx -- "        }" && vt_fail "the accepted '}' kept the 8 spaces"
vt_ok "3. the accepted '}' was re-indented"
tm_keys : 'qa!' Enter
echo "PASS vim_backend"
