#!/usr/bin/env bash
# vim_lib.sh - helpers for the Vim plugin's tests (sourced by tests/sh/vim_*.sh).
# Run on its own (as `make test` does) it compiles every function of the
# plugin (:defcompile), so a type or syntax error fails here with its message
# even in code the other tests do not reach.
#
# Real Vim (editors/vim on 'runtimepath') runs in a private tmux server
# (tests/sh/tmux_lib.sh: tm_keys, tm_type, tm_screen ...); the tests type
# with send-keys and read the screen with capture-pane: the plain text, and with -e the colours, where the
# ghost text is the TacitSuggestion grey (256-colour 244). Every wait polls
# the screen up to a deadline; nothing asserts how long anything took.
set -eu
. "$(dirname "${BASH_SOURCE[0]}")/tmux_lib.sh"
vt_repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
vt_bin=${TACIT_TEST_BIN:-${TACIT_REL_BIN:-$vt_repo/build/tacit}}
case $vt_bin in /*) ;; *) vt_bin=$vt_repo/$vt_bin ;; esac

vt_need() {
    command -v vim >/dev/null 2>&1 || { echo "vim not found (scripts/deps.sh test installs Debian's vim)"; exit 1; }
    command -v tmux >/dev/null 2>&1 || { echo "tmux not found (scripts/deps.sh test installs it)"; exit 1; }
    vim --version | grep -q '+textprop' || { echo "this vim has no +textprop"; exit 1; }
    [ -x "$vt_bin" ] || { echo "no tacit binary at $vt_bin"; exit 1; }
}

# vt_start DIR VIMRC FILE: Vim on FILE in DIR, 100x30, in a private tmux.
vt_start() {
    tm_start "vim-$$-$RANDOM" vim "$1" 100x30 "vim -u $2 -i NONE -n $3" -e TERM=xterm-256color -e HOME="$HOME"
    tm set -g escape-time 0 >/dev/null 2>&1 || true
}
# The screen with only what is drawn in the ghost's grey: each other
# character is shown as '~' (tmux writes a colour only where it changes,
# so the state is carried across lines).
vt_ghost_screen() {
    tm_screen_e | python3 -c '
import re, sys
on = False
for line in sys.stdin.read().split("\n"):
    out = []
    for tok in re.split(r"(\x1b\[[0-9;]*m)", line):
        if tok.startswith("\x1b["):
            ps = tok[2:-1].split(";")
            i = 0
            while i < len(ps):
                p = ps[i]
                if p in ("38", "48") and i + 1 < len(ps) and ps[i + 1] == "5":
                    if p == "38":
                        on = i + 2 < len(ps) and ps[i + 2] == "244"
                    i += 3
                    continue
                if p in ("", "0", "39") or (len(p) == 2 and p[0] in "39") or p.startswith("38"):
                    on = False
                i += 1
        else:
            out.append(tok if on else "~" * len(tok))
    print("".join(out))
'
}

# vt_wait WHAT TENTHS CMD...: poll (TENTHS tenths of a second at most) until CMD succeeds, else fail with the screen.
vt_wait() {
    local what=$1 tenths=$2
    shift 2
    tm_poll "$tenths" "$@" || vt_fail "$what"
}
vt_fail() {
    echo "FAIL: $1"
    echo "--- screen:"
    tm_screen 2>/dev/null | sed 's/^/| /' || true
    echo "--- what is drawn in the ghost's grey:"
    vt_ghost_screen 2>/dev/null | grep '[^~]' | sed 's/^/| /' || true
    tm_stop
    exit 1
}
vt_ok() { echo "ok: $1"; }

# Screen predicates: has TEXT (plain), ghost TEXT (TEXT drawn in the
# ghost's grey), no ghost at all, the -- INSERT
# -- mode line, a count of lines holding TEXT.
has() { tm_screen | grep -qF -- "$1"; }
lacks() { ! tm_screen | grep -qF -- "$1"; }
ghost() { vt_ghost_screen | grep -F -- "$1" >/dev/null; }
noghost() { ! vt_ghost_screen | grep '[^~]' >/dev/null; }
inserting() { tm_screen | grep -q -- '-- INSERT --'; }
normal() { ! inserting; }
lines_with() { [ "$(tm_screen | grep -cF -- "$1")" -eq "$2" ]; }

# vt_python_repo DIR: a git repository of real Python (some of the standard
# library, where `if __name__ == '__main__':` closes several modules) and a
# small tool.py to type into.
vt_python_repo() {
    local f
    mkdir -p "$1"
    for f in argparse ast shlex textwrap configparser csv dataclasses tabnanny \
             pdb profile pstats trace timeit tokenize uu quopri base64 py_compile; do
        [ -f "/usr/lib/python3.11/$f.py" ] && cp "/usr/lib/python3.11/$f.py" "$1/"
    done
    [ "$(ls "$1" | wc -l)" -ge 5 ] || { echo "need /usr/lib/python3.11 (libpython3.11-stdlib)"; exit 1; }
    printf 'import sys\n\n\ndef main():\n    return 0\n\n' > "$1/tool.py"
    git -C "$1" init -q
    git -C "$1" add -A
    git -C "$1" -c user.name=t -c user.email=t@example.com commit -qm init
}

# vt_vimrc FILE EXTRA: a vimrc with the plugin from this checkout, the
# status line showing tacit#Status(), and EXTRA lines (before the plugin
# loads, as a user's vimrc).
vt_vimrc() {
    cat > "$1" <<EOF
set nocompatible
set runtimepath^=$vt_repo/editors/vim
filetype plugin indent on
syntax on
set laststatus=2 noswapfile nobackup ttimeout ttimeoutlen=50 shortmess+=I
set statusline=%f\ [%{tacit#Status()}]
let g:tacit = {'cmd': ['$vt_bin', 'lsp']}
$2
EOF
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    vt_need
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    for f in autoload/tacit.vim autoload/tacit/nextedit.vim plugin/tacit.vim; do
        { cat "$vt_repo/editors/vim/$f"; echo defcompile; } > "$tmp/check.vim"
        vim -Nu NONE -i NONE -es --cmd "set rtp^=$vt_repo/editors/vim" \
            -c "try | source $tmp/check.vim | catch | call writefile(['$f: ' .. v:exception], '$tmp/err') | cquit | endtry" \
            -c 'qa!' || { cat "$tmp/err" 2>/dev/null; echo; echo "FAIL: editors/vim/$f does not compile"; exit 1; }
        echo "ok: editors/vim/$f compiles (:defcompile)"
    done
    # The pure functions: positions (UTF-16 code units: an emoji is 2, a CJK
    # character 1; bytes for utf-8), URIs, the next word and line.
    cat > "$tmp/units.vim" <<'EOF'
vim9script
import autoload 'tacit.vim'
var line = "a\u00e9\u4e2d\U0001F600b"   # a é 中 😀 b: bytes 1 2 3 4 1
assert_equal(0, tacit.ByteToLsp(line, 0, 'utf-16'))
assert_equal(2, tacit.ByteToLsp(line, 3, 'utf-16'))
assert_equal(3, tacit.ByteToLsp(line, 6, 'utf-16'))
assert_equal(5, tacit.ByteToLsp(line, 10, 'utf-16'))
assert_equal(10, tacit.ByteToLsp(line, 10, 'utf-8'))
assert_equal(6, tacit.LspToByte(line, 3, 'utf-16'))
assert_equal(10, tacit.LspToByte(line, 5, 'utf-16'))
assert_equal(11, tacit.LspToByte(line, 99, 'utf-16'))
assert_equal(4, tacit.LspToByte(line, 4, 'utf-8'))
assert_equal('file:///tmp/a%20b/%C3%A9.c', tacit.UriFromPath("/tmp/a b/\u00e9.c"))
assert_equal("/tmp/a b/\u00e9.c", tacit.PathFromUri('file:///tmp/a%20b/%C3%A9.c'))
assert_equal('  foo', tacit.NextWord('  foo(bar)'))
assert_equal('(', tacit.NextWord('(bar)'))
assert_equal("\n    x", tacit.NextWord("\n    x = 1"))
assert_equal('a = 1', tacit.NextLine("a = 1\nb = 2"))
assert_equal("\nb = 2", tacit.NextLine("\nb = 2\nc"))
writefile(v:errors, $UNITS_OUT)
EOF
    UNITS_OUT=$tmp/units.out vim -Nu NONE -i NONE -es --cmd "set rtp^=$vt_repo/editors/vim" \
        -c "source $tmp/units.vim" -c 'qa!' || true
    [ -f "$tmp/units.out" ] || { echo "FAIL: the checks of the plugin's functions did not run"; exit 1; }
    [ ! -s "$tmp/units.out" ] || { cat "$tmp/units.out"; echo "FAIL: the plugin's functions"; exit 1; }
    echo "ok: positions (utf-16, utf-8), URIs, next word and line"
fi
