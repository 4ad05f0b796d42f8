#!/usr/bin/env bash
# tmux_lib.sh - a program in a private tmux server, typed into and read
# back from the screen: what the editor tests share (sourced by
# tests/sh/vim_lib.sh and tests/sh/nvim_lib.sh). Run on its own (as
# `make test` does) it checks these helpers on `cat` in tmux.
#
# One server (tmux -L $tm_sock, no user config) with one session
# ($tm_sess) at a time. Keys go in with send-keys, the screen comes back
# with capture-pane (-e: with its colours). Every wait polls up to a
# deadline; nothing asserts how long anything took.
set -eu
tm_sock=
tm_sess=

tm() { tmux -L "$tm_sock" -f /dev/null "$@"; }

# tm_start SOCK SESSION DIR COLSxROWS CMD [new-session options]: CMD (a
# shell command line) in DIR, in a fresh private server SOCK; the pane
# stays open after CMD exits only if CMD says so.
tm_start() {
    local size=$4
    tm_stop
    tm_sock=$1 tm_sess=$2
    tm new-session -d -s "$tm_sess" -x "${size%x*}" -y "${size#*x}" -c "$3" "${@:6}" "$5"
}
tm_stop() { [ -n "$tm_sock" ] && tm kill-server >/dev/null 2>&1 || true; tm_sock=; }
tm_keys() { tm send-keys -t "$tm_sess" "$@"; }
# tm_type TEXT: sent literally, as keystrokes (a last ";" apart: tmux would
# read it as its command separator).
tm_type() {
    case $1 in
    *\;) tm_keys -l -- "${1%;}"; tm_keys -H 3b ;;
    *) tm_keys -l -- "$1" ;;
    esac
}
tm_screen() { tm capture-pane -p -t "$tm_sess"; }
tm_screen_e() { tm capture-pane -p -e -t "$tm_sess"; }
tm_running() { tm has-session -t "$tm_sess" 2>/dev/null; }
# tm_cursor_row: the cursor's screen line, from 1.
tm_cursor_row() { echo $(($(tm display -p -t "$tm_sess" '#{cursor_y}') + 1)); }

# tm_poll TENTHS CMD...: until CMD succeeds (0), at most TENTHS tenths of a
# second (1).
tm_poll() {
    local n=$1 i
    shift
    for ((i = 0; i < n; i++)); do
        if "$@"; then return 0; fi
        sleep 0.1
    done
    "$@"
}
# tm_wait_exit TENTHS: until the session's program has exited (after :wq).
tm_wait_exit() { tm_poll "$1" eval '! tm_running' || true; }

# tm_home TMP: HOME, the index cache and the XDG folders under TMP, so that
# nothing of the user's is read or written.
tm_home() {
    mkdir -p "$1/home"
    export HOME=$1/home TACIT_CACHE_DIR=$1/cache XDG_CACHE_HOME=$1/xdg/cache \
           XDG_DATA_HOME=$1/xdg/data XDG_STATE_HOME=$1/xdg/state XDG_CONFIG_HOME=$1/xdg/config
}
# tm_cleanup TMP: stop the processes in $tm_pids and the server, remove TMP
# (an editor's language server may still be writing there for a moment
# after the editor quits).
tm_pids=
tm_cleanup() {
    local p
    for p in $tm_pids; do kill "$p" 2>/dev/null || true; done
    tm_stop
    rm -rf "$1" 2>/dev/null || { sleep 1; rm -rf "$1"; }
}
# tm_setup: $tmp, a temp folder (HOME, the XDG folders and the index cache:
# tm_home) removed on exit (tm_cleanup), and $ws, an empty workspace in it.
tm_setup() {
    tmp=$(mktemp -d)
    trap 'tm_cleanup "$tmp"' EXIT
    tm_home "$tmp"
    ws=$tmp/ws
    mkdir -p "$ws"
}
# tm_fake_model: tests/sh/nextedit_fake_model.py (a llama.cpp server whose
# /completion rewrites the excerpt of an edit-prediction prompt) on
# 127.0.0.1:$port, its requests logged in $tmp/requests; stopped on exit.
tm_fake_model() {
    python3 "$(dirname "${BASH_SOURCE[0]}")/nextedit_fake_model.py" "$tmp/port" "$tmp/requests" &
    tm_pids="$tm_pids $!"
    tm_poll 100 test -s "$tmp/port" || { echo "the fake model server did not start"; exit 1; }
    port=$(cat "$tmp/port")
}

# tm_calls_c FILE: the C file of the next-edit tests: a function with four
# calls of log_msg (lines 3, 4, 6, 7) and another call between them.
tm_calls_c() {
    printf '%s\n' 'void f(void)' '{' '    log_msg("a", 1);' '    log_msg(x, y);' '    other(1);' \
        '    log_msg(z, w);' '    log_msg(p, q);' '}' > "$1"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    command -v tmux >/dev/null 2>&1 || { echo "tmux not found (scripts/deps.sh test installs it)"; exit 1; }
    tmp=$(mktemp -d)
    trap 'tm_cleanup "$tmp"' EXIT
    tm_start "tmuxlib-$$" cat "$tmp" 60x10 'cat > out.txt'
    tm_type 'int x = f(a);'
    tm_keys Enter
    tm_poll 50 eval 'tm_screen | grep -qxF "int x = f(a);"' || { echo "FAIL: the typed line is not on the screen"; tm_screen; exit 1; }
    [ "$(tm_cursor_row)" = 2 ] || { echo "FAIL: the cursor is on screen line $(tm_cursor_row), not 2"; exit 1; }
    tm_keys C-d
    tm_wait_exit 50
    ! tm_running || { echo "FAIL: the session is still there after cat exited"; exit 1; }
    [ "$(cat "$tmp/out.txt")" = 'int x = f(a);' ] || { echo "FAIL: cat read $(cat "$tmp/out.txt")"; exit 1; }
    echo "ok: typed text (a last ';' too) on the screen and in the program, cursor row, exit seen"
fi
