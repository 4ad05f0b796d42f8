#!/usr/bin/env bash
# nextedit_nvim.sh - next edits in a real Neovim (in tmux, read back with
# capture-pane): the user adds an argument to one call; the plugin marks
# the next call; the jump key moves there and previews the change; <Tab>
# applies it; the apply-all key applies the rest; the file saved holds
# every call changed and nothing else. Every wait has a deadline.
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
bin=${TACIT_TEST_BIN:-${TACIT_REL_BIN:-$repo/build/tacit}}
case $bin in /*) ;; *) bin=$repo/$bin ;; esac
for c in nvim tmux git; do command -v $c >/dev/null 2>&1 || { echo "$c not found"; exit 1; }; done
[ -x "$bin" ] || { echo "no tacit binary at $bin"; exit 1; }

tmp=$(mktemp -d)
sock="nextedit-test-$$"
T=(tmux -L "$sock")
trap '"${T[@]}" kill-server 2>/dev/null || true; rm -rf "$tmp" 2>/dev/null || { sleep 1; rm -rf "$tmp"; }' EXIT
ws=$tmp/ws
mkdir -p "$ws" "$tmp/xdg"
cat > "$ws/w.c" <<'C'
void f(void)
{
    log_msg("a", 1);
    log_msg(x, y);
    other(1);
    log_msg(z, w);
    log_msg(p, q);
}
C
git -C "$ws" init -q
export TACIT_CACHE_DIR=$tmp/cache XDG_CONFIG_HOME=$tmp/xdg/config XDG_DATA_HOME=$tmp/xdg/data \
       XDG_STATE_HOME=$tmp/xdg/state XDG_CACHE_HOME=$tmp/xdg/cache
cat > "$tmp/init.lua" <<LUA
vim.o.swapfile = false
vim.g.mapleader = ','
require('tacit').setup({ cmd = { '$bin', 'lsp' }, enabled = false,
  next_edits = { keys = { jump = '<leader>n', apply_all = '<leader>a' }, delay_ms = 50 } })
LUA

screen() { "${T[@]}" capture-pane -p -t ne; }
# wait_for SECONDS PATTERN: until the screen shows PATTERN (grep -E)
wait_for() {
    local end=$((SECONDS + $1))
    while [ $SECONDS -lt "$end" ]; do
        screen | grep -Eq -- "$2" && return 0
        sleep 0.2
    done
    echo "nextedit_nvim: timed out waiting for: $2"
    echo "--- screen:"; screen
    exit 1
}

"${T[@]}" new-session -d -s ne -x 120 -y 30 -c "$ws" \
    "nvim -u $tmp/init.lua -i NONE --cmd 'set rtp^=$repo/editors/nvim' w.c"
wait_for 15 'log_msg\(p, q\);'
sleep 1 # the client starts
# the edit: ", ctx" before the ')' of line 3
"${T[@]}" send-keys -t ne '3G' 'f)' 'i, ctx' Escape
wait_for 15 'next edit 1/3'
# jump: the cursor goes to line 4, the preview shows the new text
"${T[@]}" send-keys -t ne ',n'
wait_for 10 'log_msg\(x, y\);.*→ log_msg\(x, y, ctx\)'
"${T[@]}" send-keys -t ne Tab
wait_for 10 'log_msg\(x, y, ctx\);'
wait_for 10 'next edit 1/2'
# apply all
"${T[@]}" send-keys -t ne ',a'
wait_for 10 'log_msg\(p, q, ctx\);'
"${T[@]}" send-keys -t ne ':wq' Enter
end=$((SECONDS + 10))
while "${T[@]}" has-session -t ne 2>/dev/null && [ $SECONDS -lt $end ]; do sleep 0.2; done
want='void f(void)
{
    log_msg("a", 1, ctx);
    log_msg(x, y, ctx);
    other(1);
    log_msg(z, w, ctx);
    log_msg(p, q, ctx);
}'
if [ "$(cat "$ws/w.c")" != "$want" ]; then
    echo "nextedit_nvim: the file is not as expected:"; cat "$ws/w.c"; exit 1
fi
echo "nextedit_nvim: ok"
