#!/usr/bin/env bash
# nvim_lib.sh - helpers for the tests of the Neovim plugin in a real
# terminal (sourced by tests/sh/*nvim*.sh; the tmux part is
# tests/sh/tmux_lib.sh, shared with the Vim tests). Run on its own (as
# `make test` does) it loads every Lua module of editors/nvim in headless
# Neovim, so a syntax error fails here with its message, and checks how
# setup() keys merge with the defaults (tacit.config).
#
# Neovim (editors/nvim on 'runtimepath') runs in a private tmux server;
# the tests type with tm_keys / tm_type and read the screen: nv_wait_for
# polls it for a line matching a pattern (grep -E) up to a deadline, and
# fails with the screen. Nothing asserts how long anything took.
set -eu
. "$(dirname "${BASH_SOURCE[0]}")/tmux_lib.sh"
nv_repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
nv_bin=${TACIT_TEST_BIN:-${TACIT_REL_BIN:-$nv_repo/build/tacit}}
case $nv_bin in /*) ;; *) nv_bin=$nv_repo/$nv_bin ;; esac
nv_name=$(basename "$0" .sh) # what a failure message starts with

# nv_need [COMMAND...]: nvim, tmux, git, the COMMANDs and the tacit binary.
nv_need() {
    local c
    for c in nvim tmux git "$@"; do
        command -v "$c" >/dev/null 2>&1 || { echo "$nv_name: $c not found (scripts/deps.sh test installs it)"; exit 1; }
    done
    [ -x "$nv_bin" ] || { echo "$nv_name: no tacit binary at $nv_bin"; exit 1; }
}

# nv_start DIR COLSxROWS INIT FILE: Neovim with the plugin of this checkout
# and the init file INIT on FILE in DIR, in a fresh private tmux. Without
# the Python provider: the python ftplugin's check of it runs python3 and
# takes seconds on a loaded machine before the first screen is drawn.
nv_start() {
    tm_start "nvim-$nv_name-$$-$RANDOM" main "$1" "$2" \
        "exec nvim -u '$3' -i NONE -n --cmd 'set rtp^=$nv_repo/editors/nvim' --cmd 'let g:loaded_python3_provider = 0' $4" \
        -e TERM=tmux-256color
    tm set-option -t main escape-time 10 >/dev/null
}

# nv_fail MESSAGE: the message and the screen; the test fails.
nv_fail() {
    echo "$nv_name: $*"
    echo "--- screen:"
    tm_screen 2>/dev/null | sed 's/^/  | /' || true
    exit 1
}
nv_shows() { tm_screen | grep -Eq -- "$1"; }
nv_lacks() { ! nv_shows "$1"; }
# nv_count PATTERN: how many screen lines match.
nv_count() { tm_screen | grep -Ec -- "$1" || true; }
# nv_wait_for SECONDS PATTERN: until a screen line matches PATTERN.
nv_wait_for() {
    tm_poll $(($1 * 10)) nv_shows "$2" || nv_fail "timed out waiting for /$2/ (${1} s)"
}
# nv_wait_gone SECONDS PATTERN: until no screen line matches PATTERN.
nv_wait_gone() {
    tm_poll $(($1 * 10)) nv_lacks "$2" || nv_fail "a screen line still matches /$2/ after ${1} s"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    command -v nvim >/dev/null 2>&1 || { echo "nvim not found (scripts/deps.sh installs Debian's neovim)"; exit 1; }
    for f in "$nv_repo"/editors/nvim/lua/tacit/*.lua; do
        m=$(basename "$f" .lua)
        [ "$m" = init ] && m=tacit || m=tacit.$m
        err=$(nvim --headless -u NONE -i NONE -n --cmd "set rtp^=$nv_repo/editors/nvim" \
            -c "lua local ok, e = pcall(require, '$m'); if not ok then io.stderr:write(tostring(e)) vim.cmd('cquit 1') end" \
            -c 'qa!' 2>&1) || { echo "FAIL: require('$m'): $err"; exit 1; }
        echo "ok: require('$m') (editors/nvim/lua/tacit/$(basename "$f"))"
    done
    # setup() keys over the defaults: a key replaces its default, `keys`
    # merge one by one (false turns one off), the defaults stay as they were
    err=$(nvim --headless -u NONE -i NONE -n --cmd "set rtp^=$nv_repo/editors/nvim" -c "lua
        local d = { delay_ms = 100, keys = { jump = '<M-n>', apply = '<Tab>' }, list = { 1 } }
        local c = require('tacit.config').merge(d, { delay_ms = 5, keys = { apply = false } })
        local ok = c.delay_ms == 5 and c.keys.jump == '<M-n>' and c.keys.apply == false
          and d.delay_ms == 100 and d.keys.apply == '<Tab>' and c.list ~= d.list and c.list[1] == 1
          and require('tacit.config').merge(d, nil).keys.apply == '<Tab>'
        if not ok then io.stderr:write(vim.inspect(c)) vim.cmd('cquit 1') end" -c 'qa!' 2>&1) ||
        { echo "FAIL: tacit.config.merge: $err"; exit 1; }
    echo "ok: setup() keys over the defaults (tacit.config.merge)"
fi
