#!/usr/bin/env bash
# nextedit_nvim_model.sh - a model server's predicted edit in a real Neovim
# (in tmux, read back with capture-pane): with nextEditModel on and a fake
# llama.cpp server (python, on 127.0.0.1) that rewrites the excerpt it is
# sent ("return 0;" -> "return a;"), the user's edit (a literal, which no
# rule generalises) is followed by tacit/nextEditReady; the plugin marks
# the predicted edit, the jump key previews it as ghost text, <Tab>
# applies it; the file saved holds it. Every wait has a deadline.
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
bin=${TACIT_TEST_BIN:-${TACIT_REL_BIN:-$repo/build/tacit}}
case $bin in /*) ;; *) bin=$repo/$bin ;; esac
for c in nvim tmux git python3; do command -v $c >/dev/null 2>&1 || { echo "$c not found"; exit 1; }; done
[ -x "$bin" ] || { echo "no tacit binary at $bin"; exit 1; }

tmp=$(mktemp -d)
sock="nextedit-model-test-$$"
T=(tmux -L "$sock")
fpid=
trap '"${T[@]}" kill-server 2>/dev/null || true; [ -n "$fpid" ] && kill $fpid 2>/dev/null; rm -rf "$tmp" 2>/dev/null || { sleep 1; rm -rf "$tmp"; }' EXIT
ws=$tmp/ws
mkdir -p "$ws" "$tmp/xdg"
printf 'int main(void)\n{\n    int a = 1;\n    return 0;\n}\n' > "$ws/m.c"
git -C "$ws" init -q

# the fake model server: /props, and /completion rewriting the excerpt
python3 "$repo/tests/sh/nextedit_fake_model.py" "$tmp/port" "$tmp/requests" &
fpid=$!
for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.1; done
port=$(cat "$tmp/port")

export TACIT_CACHE_DIR=$tmp/cache XDG_CONFIG_HOME=$tmp/xdg/config XDG_DATA_HOME=$tmp/xdg/data \
       XDG_STATE_HOME=$tmp/xdg/state XDG_CACHE_HOME=$tmp/xdg/cache
cat > "$tmp/init.lua" <<LUA
vim.o.swapfile = false
vim.g.mapleader = ','
require('tacit').setup({ cmd = { '$bin', 'lsp' }, enabled = false,
  init_options = { nextEditModel = true, backend = 'llama',
                   backends = { llama = { url = 'http://127.0.0.1:$port', stream = false, warmup = false } } },
  next_edits = { keys = { jump = '<leader>n' }, delay_ms = 50 } })
LUA

screen() { "${T[@]}" capture-pane -p -t nm; }
wait_for() {
    local end=$((SECONDS + $1))
    while [ $SECONDS -lt "$end" ]; do
        screen | grep -Eq -- "$2" && return 0
        sleep 0.2
    done
    echo "nextedit_nvim_model: timed out waiting for: $2"
    echo "--- screen:"; screen
    exit 1
}

"${T[@]}" new-session -d -s nm -x 120 -y 30 -c "$ws" \
    "nvim -u $tmp/init.lua -i NONE --cmd 'set rtp^=$repo/editors/nvim' m.c"
wait_for 15 'return 0;'
sleep 1 # the client starts
"${T[@]}" send-keys -t nm -l '3Gf1r2'
wait_for 15 'next edit 1/1: edit predicted by the model server'
grep -q completion "$tmp/requests" || { echo "nextedit_nvim_model: no request reached the model server"; exit 1; }
"${T[@]}" send-keys -t nm ',n'
wait_for 10 'return 0;.*→ a'
"${T[@]}" send-keys -t nm Tab
wait_for 10 'return a;'
"${T[@]}" send-keys -t nm ':wq' Enter
end=$((SECONDS + 10))
while "${T[@]}" has-session -t nm 2>/dev/null && [ $SECONDS -lt $end ]; do sleep 0.2; done
want=$(printf 'int main(void)\n{\n    int a = 2;\n    return a;\n}')
if [ "$(cat "$ws/m.c")" != "$want" ]; then
    echo "nextedit_nvim_model: the file is not as expected:"; cat "$ws/m.c"; exit 1
fi
echo "nextedit_nvim_model: ok"
