#!/usr/bin/env bash
# nvim_tmux.sh - the Neovim plugin (editors/nvim) as a user sees it: Neovim
# in a real terminal (tmux, private socket), keys sent as a user types them,
# and every check made on the SCREEN (tmux capture-pane), against the real
# `tacit lsp`. One fresh Neovim per scenario:
#   autopairs  with `:inoremap ( ()<Left>`, accepting after `api_incr_top(`
#              gives `api_incr_top(L);` (the item's range replaces the `)`),
#              and the ghost text is drawn in a grey unlike comments
#   ctrl-c     <C-c> leaves no ghost text behind (through k, j and :w)
#   alt        with suggestions off in the buffer, <M-l> runs the mapping it
#              had before setup() and <M-Right> (unmapped before) does what
#              Neovim does with it (<Esc> <Right>: back to Normal mode)
#   reindent   an accepted `}` goes to column 0 (the buffer's cindent)
#   dot        `.` repeats the typed text and the accepted text
#   cycle      <M-]> / <M-[> walk the alternatives, 1/3 2/3 3/3 shown, and
#              <Tab> takes the one shown
#   multiline  a model server's multi-line answer (a test harness: a small
#              python3 HTTP responder speaking the llama.cpp /props and
#              /infill subset, answering fixed text) drawn under the cursor
#              line, taken one line with <M-l>, then the rest with <Tab>
#   status     the status line: "tacit: ready", "tacit: off" per buffer,
#              :TacitStatus, "tacit: server down" after the server is killed
# Every wait polls the screen with a deadline; nothing asserts timing.
set -eu
. "$(dirname "$0")/nvim_lib.sh"
nv_need python3

tmp=$(mktemp -d)
fake_pid=
cleanup() {
    [ -n "${KEEP_TMUX:-}" ] && return # debugging: leave the tmux server and files
    [ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null || true
    tm_cleanup "$tmp"
}
trap cleanup EXIT
tm_home "$tmp"
mkdir -p "$tmp/ws"

# A small C project whose functions all end the same way.
ws=$tmp/ws
{
    printf '#include "lua.h"\n\n/* push helpers */\n'
    for i in 1 2 3 4 5 6; do
        printf '\nstatic void push%d(lua_State *L)\n{\n    api_incr_top(L);\n}\n' "$i"
    done
} > "$ws/lib.c"
last_body=$(grep -n 'api_incr_top(L);' "$ws/lib.c" | tail -1 | cut -d: -f1)
git -C "$ws" init -q
git -C "$ws" add -A
git -C "$ws" -c user.name=t -c user.email=t@example.com commit -qm init

normal() { nv_wait_gone 5 '-- INSERT --'; }
# wait_ghost: the new line after open_body shows the ghost "L);" after the
# typed "api_incr_top(": one more line reads "api_incr_top(L);" than when
# the scenario started, with or without the "n/N" of the alternatives (an
# answer from the server's typeahead cache has one item, so no "1/N": on a
# loaded machine the keys arrive slowly enough for that to happen).
wait_ghost() {
    local i
    for ((i = 0; i < 150; i++)); do
        [ "$(nv_count '^    api_incr_top\(L\);( +[0-9]+/[0-9]+)?$')" -gt "$ghost_base" ] && return 0
        sleep 0.1
    done
    nv_fail "no ghost text 'L);' after 'api_incr_top(' within 15 s"
}

# start NAME [LUA]: a fresh Neovim on lib.c; LUA runs before setup().
start() {
    nv_name="nvim_tmux: $1" # failures name the scenario
    git -C "$ws" checkout -q -- lib.c
    cat > "$tmp/init.lua" <<LUA
vim.o.swapfile = false
vim.o.shiftwidth = 4
vim.o.expandtab = true
vim.o.laststatus = 2
vim.o.statusline = "%f %{v:lua.require'tacit'.statusline()}"
vim.o.shortmess = vim.o.shortmess .. 'I'
vim.cmd('inoremap <F5> <Cmd>lua require("tacit").accept()<CR>')
${2:-}
require('tacit').setup({
  cmd = { '$nv_bin', 'lsp' }, debounce_ms = _G.TEST_DEBOUNCE or 50,
  init_options = vim.tbl_extend('force', { threshold = 0 }, _G.TEST_INIT or {}),
})
LUA
    nv_start "$ws" 100x50 "$tmp/init.lua" lib.c
    nv_wait_for 60 'tacit: ready' # the index is built first (slow on a loaded machine)
    ghost_base=$(nv_count '^    api_incr_top\(L\);$')
}
# open_body: a new line after the last function's body line, in insert mode.
open_body() {
    tm_keys ":$last_body" Enter
    tm_keys o
    nv_wait_for 5 '-- INSERT --'
}

# -- autopairs, and the highlight ------------------------------------------
start autopairs "vim.cmd('inoremap ( ()<Left>')"
before=$(nv_count '^    api_incr_top\(L\);$')
open_body
tm_type 'api_incr_top('
wait_ghost # the ghost covers the auto-inserted ")"
# the colour set right before the ghost's "L" (after matchparen's on "(")
for _ in $(seq 50); do
    ghost_line=$(tm_screen_e | grep 'api_incr_top' | tail -1)
    g=$(printf '%s' "$ghost_line" | sed -n $'s/.*api_incr_top[^L]*\\(\x1b\\[[0-9;]*m\\)L.*/\\1/p')
    [ -n "$g" ] && break
    sleep 0.1
done
comment_line=$(tm_screen_e | grep 'push helpers')
c=$(printf '%s' "$comment_line" | grep -o $'\x1b\\[[0-9;]*m/\\*' | head -1)
c=${c%/\*}
[ -n "$g" ] && [ -n "$c" ] || nv_fail "no colour found for the ghost or the comment: $(printf '%s' "$ghost_line" | cat -v)"
[ "$g" != "$c" ] || nv_fail "the ghost text has the comment's colour" | tr -d '\033'
tm_keys Tab
tm_keys Escape
normal
[ "$(nv_count '^    api_incr_top\(L\);$')" -eq $((before + 1)) ] || nv_fail "after <Tab> the line is not 'api_incr_top(L);'"
[ "$(nv_count 'api_incr_top\(L\);\)')" -eq 0 ] || nv_fail "the auto-inserted ')' stayed: 'api_incr_top(L);)'"
echo "ok autopairs: 'api_incr_top(' + <Tab> gives 'api_incr_top(L);'; ghost colour $g, comment $c" | tr -d '\033'

# -- <C-c> -------------------------------------------------------------------
start ctrl-c
open_body
tm_type 'api_incr_top('
wait_ghost
tm_keys C-c
normal
nv_wait_for 5 '^    api_incr_top\($'
tm_keys k; sleep 0.2; tm_keys j; sleep 0.2
tm_keys ':w' Enter
nv_wait_for 5 'written'
tm_screen | grep -Eq '^    api_incr_top\($' || nv_fail "the line changed after k, j, :w"
tm_screen | grep -Eq ' [0-9]/[0-9]|api_incr_top\(L\);  ' && nv_fail "ghost text came back after k, j, :w"
echo "ok ctrl-c: no ghost text after <C-c>, k, j, :w"

# -- Alt fall-through ---------------------------------------------------------
start alt "vim.cmd('inoremap <M-l> [ML]')"
tm_keys ':TacitDisable buffer' Enter
nv_wait_for 5 'tacit: off'
open_body
tm_type 'x'
tm_keys M-l
nv_wait_for 5 '^    x\[ML\]$'
tm_keys M-Right
normal
tm_screen | grep -Eq '^    x\[ML\]$' || nv_fail "<M-Right> changed the line"
echo "ok alt: <M-l> ran its old mapping, <M-Right> went back to Normal mode"

# -- re-indent of an accepted closer ------------------------------------------
start reindent
closers=$(nv_count '^}$')
tm_keys G o
nv_wait_for 5 '-- INSERT --'
tm_type 'static void push7(lua_State *L)'; tm_keys Enter
tm_type '{'; tm_keys Enter
tm_type 'api_incr_top(L);'; tm_keys Enter
nv_wait_for 15 '^    \}' # the ghost "}" at the line's indentation
tm_keys Tab
tm_keys Escape
normal
[ "$(nv_count '^}$')" -eq $((closers + 1)) ] || nv_fail "the accepted '}' is not in column 0"
[ "$(nv_count '^ +}')" -eq 0 ] || nv_fail "an indented '}' is left"
# the same through the Lua API (the text is set, not typed)
tm_keys o
nv_wait_for 5 '-- INSERT --'
tm_type 'static void push8(lua_State *L)'; tm_keys Enter
tm_type '{'; tm_keys Enter
tm_type 'api_incr_top(L);'; tm_keys Enter
nv_wait_for 15 '^    \}'
tm_keys F5
tm_keys Escape
normal
[ "$(nv_count '^}$')" -eq $((closers + 2)) ] || nv_fail "the '}' accepted by require('tacit').accept() is not in column 0"
[ "$(nv_count '^ +}')" -eq 0 ] || nv_fail "an indented '}' is left after accept()"
echo "ok reindent: the accepted '}' went to column 0 (<Tab>, and accept() from Lua)"

# -- dot-repeat ----------------------------------------------------------------
start dot
before=$(nv_count '^    api_incr_top\(L\);$')
open_body
tm_type 'api_incr_top('
wait_ghost
tm_keys Tab
tm_keys Escape
normal
nv_wait_for 5 "^    api_incr_top\(L\);$"
tm_keys .
nv_wait_for 5 '^    api_incr_top\(L\);$'
[ "$(nv_count '^    api_incr_top\(L\);$')" -eq $((before + 2)) ] || nv_fail "'.' did not repeat 'api_incr_top(L);'"
[ "$(nv_count '^    api_incr_top\($')" -eq 0 ] || nv_fail "'.' repeated only the typed part"
echo "ok dot: '.' repeated the accepted text"

# -- cycling alternatives --------------------------------------------------------
# (a debounce longer than the typing of 'api_incr_top(' even on a loaded
# machine: one request, with every alternative; a request in between would
# leave the last tm_keys to the server's typeahead cache, which has one item)
start cycle "_G.TEST_DEBOUNCE = 400"
open_body
tm_type 'api_incr_top('
nv_wait_for 15 '^    api_incr_top\(.* 1/3$'
first=$(tm_screen | grep -E '^    api_incr_top\(.* 1/3$' | sed 's/ 1\/3$//')
tm_keys M-]
nv_wait_for 5 '^    api_incr_top\(.* 2/3$'
second=$(tm_screen | grep -E '^    api_incr_top\(.* 2/3$' | sed 's/ 2\/3$//')
tm_keys M-]
nv_wait_for 5 ' 3/3$'
tm_keys M-[
nv_wait_for 5 '^    api_incr_top\(.* 2/3$'
[ "$first" != "$second" ] || nv_fail "alternatives 1 and 2 look the same: $first"
tm_keys Tab
tm_keys Escape
normal
tm_screen | grep -Fxq -- "$second" || nv_fail "<Tab> did not take alternative 2 ($second)"
echo "ok cycle: 1/3 -> 2/3 -> 3/3 -> 2/3, <Tab> took '$(echo $second)'"

# -- multi-line from a model server (test harness) -----------------------------------
cat > "$tmp/fake.py" <<'PY'
import http.server, json, sys
TEXT = "L);\n    lua_settop(L, 0);\n    lua_pushnil(L);"
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def reply(self, obj):
        b = json.dumps(obj).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(b)))
        self.end_headers()
        self.wfile.write(b)
    def do_GET(self):
        self.reply({"model_path": "/m/qwen2.5-coder-0.5b.gguf", "default_generation_settings": {"n_ctx": 8192}})
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.reply({"content": TEXT, "stop": True, "tokens_evaluated": 10})
class S(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # tacit aborted a request (a newer one superseded it)
s = S(("127.0.0.1", 0), H)
open(sys.argv[1], "w").write(str(s.server_address[1]))
s.serve_forever()
PY
python3 "$tmp/fake.py" "$tmp/port" & fake_pid=$!
for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
port=$(cat "$tmp/port")
start multiline "_G.TEST_INIT = { backend = 'llama', deadline_ms = 10000,
  backends = { llama = { url = 'http://127.0.0.1:$port', stream = false, warmup = false } } }"
before=$(nv_count '^    api_incr_top\(L\);$')
open_body
tm_type 'api_incr_top('
nv_wait_for 20 '^    lua_settop\(L, 0\);' # drawn as a virtual line under the cursor line
nv_wait_for 15 '^    lua_pushnil\(L\);'
tm_keys M-l # the first line
nv_wait_for 5 '^    api_incr_top\(L\);$'
tm_keys M-l # the second
nv_wait_for 5 '^    lua_settop\(L, 0\);$'
tm_keys Tab # the rest
tm_keys Escape
normal
want=$(printf '    api_incr_top(L);\n    lua_settop(L, 0);\n    lua_pushnil(L);\n}')
got=$(tm_screen | grep -A3 -Fx '    lua_settop(L, 0);' | head -2)
[ "$(tm_screen | grep -B1 -A2 -Fx '    lua_settop(L, 0);' | tail -4)" = "$want" ] ||
    nv_fail "after <M-l> <M-l> <Tab> the lines are not the server's three: $got"
echo "ok multiline: drawn under the cursor line, taken line by line then whole"

# -- status line and :TacitStatus -----------------------------------------------------
start status
tm_keys ':TacitDisable buffer' Enter
nv_wait_for 5 'lib.c +tacit: off'
tm_keys ':TacitEnable buffer' Enter
nv_wait_for 5 'lib.c +tacit: ready'
tm_keys ':TacitStatus' Enter
nv_wait_for 5 '^tacit: ready$'
nv_wait_for 5 '^server: running'
tm_keys Enter
nvim_pid=$(tm display -p -t main '#{pane_pid}')
srv=$(pgrep -P "$nvim_pid" | head -1)
[ -n "$srv" ] || nv_fail "no server process under Neovim ($nvim_pid)"
kill -KILL "$srv"
nv_wait_for 10 'lib.c +tacit: server down'
echo "ok status: ready, off (buffer), :TacitStatus, server down"
