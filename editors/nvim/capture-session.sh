#!/usr/bin/env bash
# capture-session.sh - record a real interactive Neovim session with tacit's
# ghost text, in tmux, into docs/nvim-session.txt.
#
#   bash editors/nvim/capture-session.sh [TACIT_BINARY]
#
# Needs nvim, tmux, git and /usr/lib/python3.11. The plugin is installed the
# way docs/editors.md says (a package under a throw-away XDG_DATA_HOME, a
# three-line init.lua), so this also checks the install instructions.
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$repo/build/tacit}
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
out=$repo/docs/nvim-session.txt
for c in nvim tmux git; do command -v "$c" >/dev/null || { echo "need $c" >&2; exit 1; }; done
[ -x "$bin" ] || { echo "no tacit binary at $bin (make build/tacit)" >&2; exit 1; }

tmp=$(mktemp -d)
sock=$tmp/tmux.sock
trap 'tmux -S "$sock" kill-server 2>/dev/null || true; rm -rf "$tmp"' EXIT
ws=$tmp/project
mkdir -p "$ws"
for f in argparse ast shlex textwrap configparser csv dataclasses tabnanny \
         pdb profile pstats trace timeit tokenize uu quopri base64 py_compile; do
    [ -f "/usr/lib/python3.11/$f.py" ] && cp "/usr/lib/python3.11/$f.py" "$ws/"
done
printf 'import sys\n\n\ndef main():\n    return 0\n\n' > "$ws/tool.py"
git -C "$ws" init -q && git -C "$ws" add -A
git -C "$ws" -c user.name=demo -c user.email=demo@example.com commit -qm init

# The install from docs/editors.md: the plugin as a start package, setup{}.
x=$tmp/xdg
mkdir -p "$x/config/nvim" "$x/data/nvim/site/pack/tacit/start" "$x/cache" "$x/state"
ln -s "$repo/editors/nvim" "$x/data/nvim/site/pack/tacit/start/tacit"
cat > "$x/config/nvim/init.lua" <<EOF
vim.g.loaded_python3_provider = 0 -- no provider probe at startup
vim.o.number = true
require('tacit').setup({ cmd = { '$bin', 'lsp' } })
EOF

t() { tmux -S "$sock" "$@"; }
t new-session -d -s demo -x 80 -y 14 -c "$ws" \
    "env XDG_CONFIG_HOME=$x/config XDG_DATA_HOME=$x/data XDG_CACHE_HOME=$x/cache \
     XDG_STATE_HOME=$x/state TACIT_CACHE_DIR=$tmp/cache TERM=xterm-256color nvim -n tool.py"
# Wait for Neovim to draw, then type like a person would.
for _ in $(seq 50); do t capture-pane -p -t demo | grep -q 'import sys' && break; sleep 0.1; done
cap() { t capture-pane -p -e -t demo; }
wait_ghost() { # until the line holds the text, at most 5 s
    for _ in $(seq 50); do t capture-pane -p -t demo | grep -qF -- "$1" && return 0; sleep 0.1; done
    echo "no ghost text showing '$1' within 5 s" >&2; return 1
}
t send-keys -t demo G o Enter 'if __name__ == '
wait_ghost "if __name__ == '__main__':"
f1=$(cap)
t send-keys -t demo M-Right; sleep 0.5
f2=$(cap)
t send-keys -t demo Tab Enter; sleep 0.3
t send-keys -t demo 'ma'
wait_ghost "main()"
f3=$(cap)
t send-keys -t demo Tab; sleep 0.3
t send-keys -t demo Escape; sleep 0.3
t send-keys -t demo ':TacitStatus' Enter; sleep 1
f4=$(cap | sed "s|$tmp|/tmp/…|g")
t send-keys -t demo Enter; sleep 0.2
t send-keys -t demo ':qa!' Enter

{
cat <<'EOF'
A real Neovim session with tacit's ghost text, captured from tmux
(`tmux capture-pane -p -e`; regenerate with editors/nvim/capture-session.sh).

Neovim 0.7.2 (Debian 12), the plugin installed as a package with
`require('tacit').setup{}`, the project a git repository of 18 modules of
the Python standard library plus a new file tool.py. ANSI colour codes are
kept: `cat docs/nvim-session.txt` in a terminal shows the ghost text in the
TacitSuggestion colour (linked to Comment: bright cyan, code 96, in the
default colour scheme). Under each frame, ^^^ marks what is ghost text
(drawn by the plugin, not in the buffer).

── 1. typed `if __name__ == ` on a new line; the repository's idiom appears
EOF
printf '%s\n' "$f1" | sed -n '8p'
echo "                   ^^^^^^^^^^^ ghost text: '__main__':"
echo
echo "   the whole screen:"
printf '%s\n' "$f1"
cat <<'EOF'

── 2. <M-Right> took one word (the quote); the rest stays shown
EOF
printf '%s\n' "$f2" | sed -n '8p'
echo "                    ^^^^^^^^^^ ghost text: __main__':"
cat <<'EOF'

── 3. <Tab> took the rest, <Enter>, typed `ma`: the next line is suggested
EOF
printf '%s\n' "$f3" | sed -n '8,9p'
echo "          ^^^^ ghost text: in()"
echo
echo "   the whole screen:"
printf '%s\n' "$f3"
cat <<'EOF'

── 4. <Tab>, <Esc>, :TacitStatus
EOF
printf '%s\n' "$f4"
} > "$out"
echo "wrote $out"
