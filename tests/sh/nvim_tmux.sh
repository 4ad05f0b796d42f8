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
repo=$(cd "$(dirname "$0")/../.." && pwd)
bin=${TACIT_TEST_BIN:-${TACIT_REL_BIN:-$repo/build/tacit}}
case $bin in /*) ;; *) bin=$repo/$bin ;; esac
for c in nvim tmux python3 git; do
    command -v "$c" >/dev/null 2>&1 || { echo "nvim_tmux: $c not found (scripts/deps.sh installs it)"; exit 1; }
done
[ -x "$bin" ] || { echo "nvim_tmux: no tacit binary at $bin"; exit 1; }

tmp=$(mktemp -d)
sock=tacit-nvim-tmux-$$
fake_pid=
T() { tmux -L "$sock" -f /dev/null "$@"; }
cleanup() {
    [ -n "${KEEP_TMUX:-}" ] && return # debugging: leave the tmux server and files
    T kill-server 2>/dev/null || true
    [ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null || true
    rm -rf "$tmp" 2>/dev/null || { sleep 1; rm -rf "$tmp"; }
}
trap cleanup EXIT

export TACIT_CACHE_DIR=$tmp/cache
export XDG_CONFIG_HOME=$tmp/xdg/config XDG_DATA_HOME=$tmp/xdg/data \
       XDG_STATE_HOME=$tmp/xdg/state XDG_CACHE_HOME=$tmp/xdg/cache
mkdir -p "$tmp/ws" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_STATE_HOME" "$XDG_CACHE_HOME"

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

scenario=
fail() {
    echo "nvim_tmux: $scenario: $*"
    echo "--- screen:"
    T capture-pane -p -t main 2>/dev/null | sed 's/^/  | /' || true
    exit 1
}
screen() { T capture-pane -p -t main; }
# wait_for REGEX [SECONDS]: until a screen line matches (grep -E).
wait_for() {
    local i n=$(( ${2:-15} * 10 ))
    for ((i = 0; i < n; i++)); do
        screen | grep -Eq -- "$1" && return 0
        sleep 0.1
    done
    fail "no screen line matches /$1/ within ${2:-15} s"
}
wait_gone() {
    local i n=$(( ${2:-15} * 10 ))
    for ((i = 0; i < n; i++)); do
        screen | grep -Eq -- "$1" || return 0
        sleep 0.1
    done
    fail "a screen line still matches /$1/ after ${2:-15} s"
}
count() { screen | grep -Ec -- "$1" || true; }
keys() { T send-keys -t main "$@"; }
# type TEXT: sent literally, as keystrokes (a last ";" apart: tmux would
# read it as its command separator).
type_text() {
    case $1 in
    *\;) T send-keys -t main -l -- "${1%;}"; T send-keys -t main -H 3b ;;
    *) T send-keys -t main -l -- "$1" ;;
    esac
}
normal() { wait_gone '-- INSERT --' 5; }
# wait_ghost: the new line after open_body shows the ghost "L);" after the
# typed "api_incr_top(": one more line reads "api_incr_top(L);" than when
# the scenario started, with or without the "n/N" of the alternatives (an
# answer from the server's typeahead cache has one item, so no "1/N": on a
# loaded machine the keys arrive slowly enough for that to happen).
wait_ghost() {
    local i
    for ((i = 0; i < 150; i++)); do
        [ "$(count '^    api_incr_top\(L\);( +[0-9]+/[0-9]+)?$')" -gt "$ghost_base" ] && return 0
        sleep 0.1
    done
    fail "no ghost text 'L);' after 'api_incr_top(' within 15 s"
}

# start NAME [LUA]: a fresh Neovim on lib.c; LUA runs before setup().
start() {
    scenario=$1
    T kill-server 2>/dev/null || true
    git -C "$ws" checkout -q -- lib.c
    cat > "$tmp/init.lua" <<LUA
vim.opt.runtimepath:prepend('$repo/editors/nvim')
vim.o.swapfile = false
vim.o.shiftwidth = 4
vim.o.expandtab = true
vim.o.laststatus = 2
vim.o.statusline = "%f %{v:lua.require'tacit'.statusline()}"
vim.o.shortmess = vim.o.shortmess .. 'I'
vim.cmd('inoremap <F5> <Cmd>lua require("tacit").accept()<CR>')
${2:-}
require('tacit').setup({
  cmd = { '$bin', 'lsp' }, debounce_ms = _G.TEST_DEBOUNCE or 50,
  init_options = vim.tbl_extend('force', { threshold = 0 }, _G.TEST_INIT or {}),
})
LUA
    T new-session -d -s main -x 100 -y 50 -e TERM=tmux-256color \
        "cd '$ws' && exec nvim -u '$tmp/init.lua' -i NONE -n lib.c"
    T set-option -t main escape-time 10 >/dev/null
    wait_for 'tacit: ready' 60 # the index is built first (slow on a loaded machine)
    ghost_base=$(count '^    api_incr_top\(L\);$')
}
# open_body: a new line after the last function's body line, in insert mode.
open_body() {
    keys ":$last_body" Enter
    keys o
    wait_for '-- INSERT --' 5
}

# -- autopairs, and the highlight ------------------------------------------
start autopairs "vim.cmd('inoremap ( ()<Left>')"
before=$(count '^    api_incr_top\(L\);$')
open_body
type_text 'api_incr_top('
wait_ghost # the ghost covers the auto-inserted ")"
# the colour set right before the ghost's "L" (after matchparen's on "(")
for _ in $(seq 50); do
    ghost_line=$(T capture-pane -e -p -t main | grep 'api_incr_top' | tail -1)
    g=$(printf '%s' "$ghost_line" | sed -n $'s/.*api_incr_top[^L]*\\(\x1b\\[[0-9;]*m\\)L.*/\\1/p')
    [ -n "$g" ] && break
    sleep 0.1
done
comment_line=$(T capture-pane -e -p -t main | grep 'push helpers')
c=$(printf '%s' "$comment_line" | grep -o $'\x1b\\[[0-9;]*m/\\*' | head -1)
c=${c%/\*}
[ -n "$g" ] && [ -n "$c" ] || fail "no colour found for the ghost or the comment: $(printf '%s' "$ghost_line" | cat -v)"
[ "$g" != "$c" ] || fail "the ghost text has the comment's colour" | tr -d '\033'
keys Tab
keys Escape
normal
[ "$(count '^    api_incr_top\(L\);$')" -eq $((before + 1)) ] || fail "after <Tab> the line is not 'api_incr_top(L);'"
[ "$(count 'api_incr_top\(L\);\)')" -eq 0 ] || fail "the auto-inserted ')' stayed: 'api_incr_top(L);)'"
echo "ok autopairs: 'api_incr_top(' + <Tab> gives 'api_incr_top(L);'; ghost colour $g, comment $c" | tr -d '\033'

# -- <C-c> -------------------------------------------------------------------
start ctrl-c
open_body
type_text 'api_incr_top('
wait_ghost
keys C-c
normal
wait_for '^    api_incr_top\($' 5
keys k; sleep 0.2; keys j; sleep 0.2
keys ':w' Enter
wait_for 'written' 5
screen | grep -Eq '^    api_incr_top\($' || fail "the line changed after k, j, :w"
screen | grep -Eq ' [0-9]/[0-9]|api_incr_top\(L\);  ' && fail "ghost text came back after k, j, :w"
echo "ok ctrl-c: no ghost text after <C-c>, k, j, :w"

# -- Alt fall-through ---------------------------------------------------------
start alt "vim.cmd('inoremap <M-l> [ML]')"
keys ':TacitDisable buffer' Enter
wait_for 'tacit: off' 5
open_body
type_text 'x'
keys M-l
wait_for '^    x\[ML\]$' 5
keys M-Right
normal
screen | grep -Eq '^    x\[ML\]$' || fail "<M-Right> changed the line"
echo "ok alt: <M-l> ran its old mapping, <M-Right> went back to Normal mode"

# -- re-indent of an accepted closer ------------------------------------------
start reindent
closers=$(count '^}$')
keys G o
wait_for '-- INSERT --' 5
type_text 'static void push7(lua_State *L)'; keys Enter
type_text '{'; keys Enter
type_text 'api_incr_top(L);'; keys Enter
wait_for '^    \}' 15 # the ghost "}" at the line's indentation
keys Tab
keys Escape
normal
[ "$(count '^}$')" -eq $((closers + 1)) ] || fail "the accepted '}' is not in column 0"
[ "$(count '^ +}')" -eq 0 ] || fail "an indented '}' is left"
# the same through the Lua API (the text is set, not typed)
keys o
wait_for '-- INSERT --' 5
type_text 'static void push8(lua_State *L)'; keys Enter
type_text '{'; keys Enter
type_text 'api_incr_top(L);'; keys Enter
wait_for '^    \}' 15
keys F5
keys Escape
normal
[ "$(count '^}$')" -eq $((closers + 2)) ] || fail "the '}' accepted by require('tacit').accept() is not in column 0"
[ "$(count '^ +}')" -eq 0 ] || fail "an indented '}' is left after accept()"
echo "ok reindent: the accepted '}' went to column 0 (<Tab>, and accept() from Lua)"

# -- dot-repeat ----------------------------------------------------------------
start dot
before=$(count '^    api_incr_top\(L\);$')
open_body
type_text 'api_incr_top('
wait_ghost
keys Tab
keys Escape
normal
wait_for "^    api_incr_top\(L\);$" 5
keys .
wait_for '^    api_incr_top\(L\);$' 5
[ "$(count '^    api_incr_top\(L\);$')" -eq $((before + 2)) ] || fail "'.' did not repeat 'api_incr_top(L);'"
[ "$(count '^    api_incr_top\($')" -eq 0 ] || fail "'.' repeated only the typed part"
echo "ok dot: '.' repeated the accepted text"

# -- cycling alternatives --------------------------------------------------------
# (a debounce longer than the typing of 'api_incr_top(' even on a loaded
# machine: one request, with every alternative; a request in between would
# leave the last keys to the server's typeahead cache, which has one item)
start cycle "_G.TEST_DEBOUNCE = 400"
open_body
type_text 'api_incr_top('
wait_for '^    api_incr_top\(.* 1/3$'
first=$(screen | grep -E '^    api_incr_top\(.* 1/3$' | sed 's/ 1\/3$//')
keys M-]
wait_for '^    api_incr_top\(.* 2/3$' 5
second=$(screen | grep -E '^    api_incr_top\(.* 2/3$' | sed 's/ 2\/3$//')
keys M-]
wait_for ' 3/3$' 5
keys M-[
wait_for '^    api_incr_top\(.* 2/3$' 5
[ "$first" != "$second" ] || fail "alternatives 1 and 2 look the same: $first"
keys Tab
keys Escape
normal
screen | grep -Fxq -- "$second" || fail "<Tab> did not take alternative 2 ($second)"
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
before=$(count '^    api_incr_top\(L\);$')
open_body
type_text 'api_incr_top('
wait_for '^    lua_settop\(L, 0\);' 20 # drawn as a virtual line under the cursor line
wait_for '^    lua_pushnil\(L\);'
keys M-l # the first line
wait_for '^    api_incr_top\(L\);$' 5
keys M-l # the second
wait_for '^    lua_settop\(L, 0\);$' 5
keys Tab # the rest
keys Escape
normal
want=$(printf '    api_incr_top(L);\n    lua_settop(L, 0);\n    lua_pushnil(L);\n}')
got=$(screen | grep -A3 -Fx '    lua_settop(L, 0);' | head -2)
[ "$(screen | grep -B1 -A2 -Fx '    lua_settop(L, 0);' | tail -4)" = "$want" ] ||
    fail "after <M-l> <M-l> <Tab> the lines are not the server's three: $got"
echo "ok multiline: drawn under the cursor line, taken line by line then whole"

# -- status line and :TacitStatus -----------------------------------------------------
start status
keys ':TacitDisable buffer' Enter
wait_for 'lib.c +tacit: off' 5
keys ':TacitEnable buffer' Enter
wait_for 'lib.c +tacit: ready' 5
keys ':TacitStatus' Enter
wait_for '^tacit: ready$' 5
wait_for '^server: running' 5
keys Enter
nvim_pid=$(T display -p -t main '#{pane_pid}')
srv=$(pgrep -P "$nvim_pid" | head -1)
[ -n "$srv" ] || fail "no server process under Neovim ($nvim_pid)"
kill -KILL "$srv"
wait_for 'lib.c +tacit: server down' 10
echo "ok status: ready, off (buffer), :TacitStatus, server down"
