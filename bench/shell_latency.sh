#!/usr/bin/env bash
# shell_latency.sh - keystroke latency of the zsh integration, measured in
# zsh with $EPOCHREALTIME around exactly what the widget runs per key:
#   daemon    _tacit_ask (the integration's function: zsh/net/socket to
#             `tacit shell daemon`, no process started)
#   one-shot  $(tacit shell suggest --no-daemon ...) (a process per key,
#             loading the store and learning it)
#   daemon via process  $(tacit shell suggest ...) (what bash pays: a
#             process that asks the daemon)
# Reference in the same run: $(/bin/true), the cost of starting any process.
# Stores of N commands from bench/shell_history.py (seed 1); 10 prefixes
# (0 to 9 characters) of 30 commands each, 300 keystrokes per row.
#   bash bench/shell_latency.sh [BIN] [N...]    (default build/tacit 5000 20000 100000)
# Then the prompt cost of recording (zsh precmd, bash PROMPT_COMMAND hooks).
set -eu
cd "$(dirname "$0")/.."
bin=$(realpath "${1:-build/tacit}")
shift || true
sizes=${*:-5000 20000 100000}
tmp=$(mktemp -d)
# Daemons started here exit within a second once their socket is gone.
trap 'rm -f "$tmp"/state-*/tacit/shell.sock; sleep 1.5; rm -rf "$tmp"' EXIT
for n in $sizes; do
    export XDG_DATA_HOME=$tmp/data-$n XDG_STATE_HOME=$tmp/state-$n
    python3 bench/shell_history.py --seed 1 --commands "$n" > "$tmp/h.tsv"
    cut -f8 "$tmp/h.tsv" | tail -n +2 > "$tmp/plain"
    TACIT_SHELL_MAX_ENTRIES=$n "$bin" shell import "$tmp/plain" > /dev/null
    tail -n 30 "$tmp/plain" > "$tmp/sample"
    "$bin" shell daemon --detach --idle 60
    BIN=$bin N=$n SAMPLE=$tmp/sample zsh -f -i -c '
        eval "$("$BIN" shell init zsh)" 2>/dev/null
        zmodload zsh/datetime
        typeset -a d o p r
        local line i s t0 pre
        cd /tmp; _tacit_prev=make; _tacit_prev_status=2
        _tacit_ask warm
        while IFS= read -r line; do
            for (( i = 0; i < 10; i++ )); do
                pre=${line[1,i]}
                t0=$EPOCHREALTIME; _tacit_ask "$pre"; d+=( $(( (EPOCHREALTIME - t0) * 1000 )) )
                t0=$EPOCHREALTIME
                s=$("$BIN" shell suggest --no-daemon --prefix "$pre" --prev make --prev-status 2)
                o+=( $(( (EPOCHREALTIME - t0) * 1000 )) )
                t0=$EPOCHREALTIME
                s=$("$BIN" shell suggest --prefix "$pre" --prev make --prev-status 2)
                p+=( $(( (EPOCHREALTIME - t0) * 1000 )) )
                t0=$EPOCHREALTIME; s=$(/bin/true); r+=( $(( (EPOCHREALTIME - t0) * 1000 )) )
            done
        done < $SAMPLE
        row() { local -a v; v=( ${(n)@} ); printf "%6.1f %6.1f" ${v[$(( $#v / 2 ))]} ${v[$(( ($#v * 99 + 99) / 100 ))]}; }
        printf "%7d | daemon %s | one-shot %s | daemon via process %s | /bin/true %s | %d keys\n" \
            $N "$(row $d)" "$(row $o)" "$(row $p)" "$(row $r)" $#d
    '
    rm -f "$XDG_STATE_HOME/tacit/shell.sock" # the daemon exits within a second
done
# What recording adds to each prompt: the integration's hook after a
# command. zsh sends it to the daemon over the socket (and, without one,
# starts `tacit shell record` in the background); bash always starts the
# recorder in the background.
"$bin" shell daemon --detach --idle 60
for i in $(seq 1 50); do [ -S "$XDG_STATE_HOME/tacit/shell.sock" ] && break; sleep 0.1; done
for mode in on off; do
TACIT_SHELL_DAEMON=$mode BIN=$bin zsh -f -i -c '
    eval "$("$BIN" shell init zsh)" 2>/dev/null
    zmodload zsh/datetime
    typeset -a t; local i t0
    for (( i = 0; i < 200; i++ )); do
        _tacit_cmd="echo prompt-cost $i"; _tacit_start=$EPOCHREALTIME
        t0=$EPOCHREALTIME; _tacit_precmd; t+=( $(( (EPOCHREALTIME - t0) * 1000 )) )
    done
    t=( ${(n)t} )
    printf "prompt cost, zsh precmd hook (daemon %s): p50 %.2f ms p99 %.2f ms (200 prompts)\n" \
        $TACIT_SHELL_DAEMON ${t[100]} ${t[198]}
' 2>/dev/null
done
rm -f "$XDG_STATE_HOME/tacit/shell.sock"
HISTFILE=$tmp/bash_history BIN=$bin bash --norc -i -c '
    set -o history; HISTFILE=$HISTFILE
    eval "$("$BIN" shell init bash)"
    t=()
    for (( i = 0; i < 200; i++ )); do
        history -s "echo prompt-cost $i"; _tacit_armed=0; _tacit_start=${EPOCHREALTIME/./}; _tacit_st=0
        t0=${EPOCHREALTIME/./}; _tacit_prompt; t1=${EPOCHREALTIME/./}; t+=( $(( t1 - t0 )) )
    done
    IFS=$'"'"'\n'"'"' s=($(sort -n <<<"${t[*]}"))
    printf "prompt cost, bash PROMPT_COMMAND hook: p50 %d.%02d ms p99 %d.%02d ms (200 prompts)\n" \
        $(( s[100] / 1000 )) $(( s[100] % 1000 / 10 )) $(( s[198] / 1000 )) $(( s[198] % 1000 / 10 ))
' 2>/dev/null
