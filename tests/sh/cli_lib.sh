#!/usr/bin/env bash
# cli_lib.sh - what the script tests of the real binary share, sourced
# first thing: `. "$(dirname "$0")/cli_lib.sh"`. It sets -u, goes to the
# repository root and sets
#   bin   the binary under test (TACIT_TEST_BIN, else build/dbg/tacit), absolute
#   tmp   a fresh scratch folder, removed on exit (a script with more to
#         clean up sets its own EXIT trap after sourcing)
#   fail MSG   prints "FAIL: MSG" and exits 1.
# cli_isolate: the cache and the config under $tmp, no backend or config
# file from the environment. cli_repo DIR: an empty git repository in DIR
# (made with its folders), $r set to it, g runs git in it as a test author.
# Run on its own (as `make test` does) it checks these helpers.
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
bin=$(realpath "${TACIT_TEST_BIN:-build/dbg/tacit}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cli_isolate() {
    export TACIT_CACHE_DIR=$tmp/cache XDG_CONFIG_HOME=$tmp/xdg
    unset TACIT_BACKEND TACIT_CONFIG
}

g() { git -C "$r" -c user.name=t -c user.email=t@example.org "$@"; }

cli_repo() {
    r=$1
    mkdir -p "$r"
    g init -q
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    [ -d "$tmp" ] && [ "${bin:0:1}" = / ] || fail "no scratch folder or a relative binary: $tmp $bin"
    [ -f Makefile ] && [ -d tests/sh ] || fail "not at the repository root: $PWD"
    TACIT_BACKEND=x TACIT_CONFIG=y
    export TACIT_BACKEND TACIT_CONFIG
    cli_isolate
    [ "$TACIT_CACHE_DIR" = "$tmp/cache" ] && [ "$XDG_CONFIG_HOME" = "$tmp/xdg" ] || fail "cli_isolate: not under $tmp"
    [ -z "${TACIT_BACKEND+x}${TACIT_CONFIG+x}" ] || fail "cli_isolate left TACIT_BACKEND or TACIT_CONFIG set"
    cli_repo "$tmp/a/repo"
    echo x > "$r/f"
    g add f && g commit -qm one || fail "cli_repo: no commit in $r"
    [ "$(g log --format=%an:%s)" = t:one ] || fail "cli_repo: the commit is $(g log --format=%an:%s)"
    (fail "on purpose") 2>/dev/null && fail "fail did not exit non-zero"
    [ "$( (fail "msg") 2>&1)" = "FAIL: msg" ] || fail "fail printed something else"
    echo "ok: cli_lib.sh: root, binary, scratch folder, fail, cli_isolate, cli_repo"
fi
