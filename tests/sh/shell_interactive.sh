#!/usr/bin/env bash
# shell_interactive.sh - the shell integration in real zsh and bash, driven
# through tmux (a private socket): type a prefix, read the suggestion from
# the screen, accept it (whole, by word, cycled), check the line that runs;
# an empty line offers the next command; what ran is recorded, with its
# exit status and directory, and a secret or a space-prefixed command is not.
set -u
cd "$(dirname "$0")/../.."
bin=$(realpath "${TACIT_TEST_BIN:-build/dbg/tacit}")
tmp=$(mktemp -d)
sock=shell-test-$$
sess=none
# The shells start `tacit shell daemon`; it exits once its socket is gone.
cleanup() {
    tmux -L "$sock" kill-server 2>/dev/null
    rm -f "$tmp/state/tacit/shell.sock"
    sleep 1.5
    rm -rf "$tmp" 2>/dev/null || { sleep 2; rm -rf "$tmp"; }
}
trap cleanup EXIT
fail() {
    echo "FAIL: $*" >&2
    tmux -L "$sock" capture-pane -p -t "$sess" 2>/dev/null | sed 's/^/  screen| /' >&2
    exit 1
}
command -v tmux >/dev/null && command -v zsh >/dev/null || { echo "skip: tmux or zsh missing"; exit 0; }
export HOME=$tmp/home XDG_DATA_HOME=$tmp/data XDG_CONFIG_HOME=$tmp/config XDG_STATE_HOME=$tmp/state
export ASAN_OPTIONS=detect_leaks=0
unset TACIT_SHELL_RECORD TACIT_SHELL_IGNORE TACIT_SHELL_DB TACIT_SHELL_SOCKET TACIT_SHELL_DAEMON
mkdir -p "$HOME/work"
cat > "$tmp/hist" <<'H'
echo tacit-accepted-hello
echo alpha beta gamma
echo step-one
echo step-two
echo cycle-one
echo step-one
echo step-two
echo cycle-two
H
"$bin" shell import "$tmp/hist" >/dev/null || fail "import"

# wait_screen PATTERN: poll the pane until a line matches (20 s at most).
wait_screen() {
    local i
    for i in $(seq 1 200); do
        tmux -L "$sock" capture-pane -p -t "$sess" | grep -q -- "$1" && return 0
        sleep 0.1
    done
    fail "$sess: the screen never showed '$1'"
}
# wait_store PATTERN: poll the store's export until a line matches.
wait_store() {
    local i
    for i in $(seq 1 100); do
        "$bin" shell export | grep -q -- "$1" && return 0
        sleep 0.1
    done
    fail "the store never got '$1': $("$bin" shell export | tail -5)"
}
keys() { tmux -L "$sock" send-keys -t "$sess" "$@"; }
clear_screen() { keys C-l; sleep 0.3; }

# ---- zsh: ghost text ----
sess=shell_zsh
mkdir -p "$tmp/zdot"
printf 'PS1="zsh$ "\nunsetopt beep\neval "$(%q shell init zsh)"\n' "$bin" > "$tmp/zdot/.zshrc"
tmux -L "$sock" new-session -d -s "$sess" -x 150 -y 30 -c "$HOME/work" \
    "env ZDOTDIR=$tmp/zdot HOME=$HOME XDG_DATA_HOME=$XDG_DATA_HOME XDG_STATE_HOME=$XDG_STATE_HOME ASAN_OPTIONS=$ASAN_OPTIONS zsh -i"
wait_screen 'zsh\$'
for i in $(seq 1 100); do [ -S "$XDG_STATE_HOME/tacit/shell.sock" ] && break; sleep 0.1; done
[ -S "$XDG_STATE_HOME/tacit/shell.sock" ] || fail "zsh did not start the daemon" 
keys 'echo ta'
wait_screen 'zsh\$ echo tacit-accepted-hello'       # the ghost text, drawn after the cursor
keys Right Enter
wait_screen '^tacit-accepted-hello$'                # the accepted line ran
wait_store $'\t0\t[0-9]*\t'"$HOME/work"$'\t\t\techo tacit-accepted-hello$'
clear_screen
keys 'echo al'
wait_screen 'zsh\$ echo alpha beta gamma'
keys M-f                                            # partial accept: one word
sleep 0.5
keys Enter
wait_screen '^alpha$'
clear_screen
# An empty line: the next command after echo step-one.
keys 'echo step-one' Enter
wait_screen '^step-one$'
wait_screen 'zsh\$ echo step-two'
keys Right Enter
wait_screen '^step-two$'
# Never recorded: a space-prefixed command, a secret.
keys ' echo spaced-out' Enter
wait_screen '^spaced-out$'
keys 'export API_TOKEN=a8Fk2LmQ9zXw7Rt3x' Enter
keys 'false' Enter
wait_store $'\t1\t[0-9]*\t'"$HOME/work"$'\t\t\tfalse$'
"$bin" shell export | grep -q 'spaced-out' && fail "a space-prefixed command was recorded"
"$bin" shell export | grep -q 'a8Fk2LmQ9zXw7Rt3x' && fail "a secret was recorded"
tmux -L "$sock" kill-session -t "$sess"

# ---- zsh without the daemon: a process per key ----
sess=shell_zsh_oneshot
tmux -L "$sock" new-session -d -s "$sess" -x 150 -y 30 -c "$HOME/work" \
    "env ZDOTDIR=$tmp/zdot HOME=$HOME XDG_DATA_HOME=$XDG_DATA_HOME TACIT_SHELL_SOCKET=$tmp/none.sock TACIT_SHELL_DAEMON=off ASAN_OPTIONS=$ASAN_OPTIONS zsh -i"
wait_screen 'zsh\$'
keys 'echo ta'
wait_screen 'zsh\$ echo tacit-accepted-hello'
keys Right Enter
wait_screen '^tacit-accepted-hello$'
[ -e "$tmp/none.sock" ] && fail "TACIT_SHELL_DAEMON=off started a daemon"
tmux -L "$sock" kill-session -t "$sess"

# ---- bash: a key inserts, another cycles ----
sess=shell_bash
printf 'PS1="bash$ "\nHISTFILE=%q\nHISTCONTROL=ignoreboth\neval "$(%q shell init bash)"\n' "$tmp/bash_history" "$bin" \
    > "$tmp/bashrc"
tmux -L "$sock" new-session -d -s "$sess" -x 150 -y 30 -c "$HOME/work" \
    "env HOME=$HOME XDG_DATA_HOME=$XDG_DATA_HOME XDG_STATE_HOME=$XDG_STATE_HOME ASAN_OPTIONS=$ASAN_OPTIONS bash --rcfile $tmp/bashrc -i"
wait_screen 'bash\$'
keys 'echo ta' C-f
wait_screen 'bash\$ echo tacit-accepted-hello'
keys Enter
wait_screen '^tacit-accepted-hello$'
clear_screen
keys 'echo cy' C-f
wait_screen 'bash\$ echo cycle-'
first=$(tmux -L "$sock" capture-pane -p -t "$sess" | grep -o 'echo cycle-[a-z]*' | tail -1)
keys M-n
other=echo\ cycle-one
[ "$first" = "echo cycle-one" ] && other="echo cycle-two"
wait_screen "bash\\$ $other\$"
keys Enter
wait_screen "^${other#echo }\$"
clear_screen
keys 'echo step-one' Enter
wait_screen '^step-one$'
keys C-f                                            # on the empty line: the next command
wait_screen 'bash\$ echo step-two'
keys Enter
wait_screen '^step-two$'
keys 'ls /nonexistent-dir-for-tacit' Enter
wait_store $'\t2\t[0-9]*\t'"$HOME/work"$'\t\t\tls /nonexistent-dir-for-tacit$'
keys ' echo bash-spaced' Enter
wait_screen '^bash-spaced$'
keys 'echo after' Enter
wait_store 'echo after$'
"$bin" shell export | grep -q 'bash-spaced' && fail "bash: a space-prefixed command was recorded"
echo "shell_interactive: ok"
