# tacit shell integration for bash (printed by `tacit shell init bash`).
# In ~/.bashrc:  eval "$(tacit shell init bash)"
# Records each command (directory, exit status, duration, time, git branch)
# with `tacit shell record` in the background. Readline cannot draw ghost
# text, so the suggestion comes on a key:
#   TACIT_ACCEPT_KEYS  (default: ctrl-f) at the end of the
#                      line: replace the line with the best suggestion for
#                      it (on an empty line: the likely next command);
#                      elsewhere: move one character right, as before
#   TACIT_CYCLE_KEYS   (default: alt-n) the next alternative
# Settings: TACIT_SHELL_RECORD=off records nothing; TACIT_SHELL_IGNORE='ls*:cd'
# (HISTIGNORE-style patterns) are never recorded (export both).
# TACIT_SHELL_DAEMON=off: no server (`tacit shell suggest` answers alone).
# Uses the DEBUG trap (to time commands) and PROMPT_COMMAND.
[[ $- == *i* ]] || return 0

_tacit_bin=@TACIT_BIN@
_tacit_prev='' _tacit_prev_status=-1 _tacit_start='' _tacit_armed=0 _tacit_first=''
_tacit_histno='' _tacit_list=() _tacit_i=0
: "${TACIT_ACCEPT_KEYS=\C-f}" "${TACIT_CYCLE_KEYS=\en}"

_tacit_debug() {
    [[ $_tacit_armed == 1 ]] || return 0
    _tacit_armed=0
    _tacit_first=$BASH_COMMAND
    _tacit_start=${EPOCHREALTIME/./}
}

# The last history entry: its number into _tacit_hno, its text into _tacit_hcmd.
_tacit_last() {
    local line
    line=$(HISTTIMEFORMAT='' builtin history 1)
    line=${line#"${line%%[![:space:]]*}"}
    _tacit_hno=${line%%[[:space:]]*}
    _tacit_hcmd=${line#"$_tacit_hno"}
    _tacit_hcmd=${_tacit_hcmd#??}
}

_tacit_prompt() {
    local st=$_tacit_st no cmd now dur start
    if [[ $_tacit_armed == 0 && -n $_tacit_start ]]; then
        now=${EPOCHREALTIME/./}
        dur=$(( (now - _tacit_start) / 1000 ))
        _tacit_last
        no=$_tacit_hno cmd=$_tacit_hcmd
        if [[ -n $cmd && ( $no != "$_tacit_histno" || $cmd == "$_tacit_first" ) ]]; then
            _tacit_prev=$cmd
            _tacit_prev_status=$st
            if [[ $cmd != [[:space:]]* && ${TACIT_SHELL_RECORD:-on} != @(off|0|no|false) ]]; then
                printf -v start '%d.%06d' $(( _tacit_start / 1000000 )) $(( _tacit_start % 1000000 ))
                # The command goes in the environment: other users can read arguments.
                { TACIT_SHELL_IGNORE=$TACIT_SHELL_IGNORE TACIT_SHELL_CMD=$cmd "$_tacit_bin" shell record \
                    --cwd "$PWD" --status "$st" --duration "$dur" --start "$start" \
                    --session $$ >/dev/null 2>&1 & } 2>/dev/null
                disown $! 2>/dev/null
            fi
        fi
        _tacit_histno=$no
    fi
    _tacit_start=''
    _tacit_armed=1
}

# The suggestions for the line into _tacit_list.
_tacit_fetch() {
    mapfile -t _tacit_list < <(TACIT_SHELL_PREFIX=$READLINE_LINE TACIT_SHELL_PREV=$_tacit_prev \
        "$_tacit_bin" shell suggest -n 5 --cwd "$PWD" --prev-status "$_tacit_prev_status" 2>/dev/null)
    _tacit_i=0
}

_tacit_accept() {
    _tacit_armed=1
    if (( READLINE_POINT < ${#READLINE_LINE} )); then
        READLINE_POINT=$(( READLINE_POINT + 1 ))
        return 0
    fi
    _tacit_fetch
    if (( ${#_tacit_list[@]} )); then
        READLINE_LINE=${_tacit_list[0]}
        READLINE_POINT=${#READLINE_LINE}
    fi
}

_tacit_cycle() {
    _tacit_armed=1
    if (( ${#_tacit_list[@]} )) && [[ $READLINE_LINE == "${_tacit_list[_tacit_i]}" ]]; then
        _tacit_i=$(( (_tacit_i + 1) % ${#_tacit_list[@]} ))
    else
        _tacit_fetch
    fi
    if (( ${#_tacit_list[@]} )); then
        READLINE_LINE=${_tacit_list[_tacit_i]}
        READLINE_POINT=${#READLINE_LINE}
    fi
}

_tacit_bind() {
    local k
    for k in $TACIT_ACCEPT_KEYS; do bind -x "\"$k\": _tacit_accept"; done
    for k in $TACIT_CYCLE_KEYS; do bind -x "\"$k\": _tacit_cycle"; done
}
_tacit_bind
[[ ${TACIT_SHELL_DAEMON:-on} == @(off|0|no|false) ]] || "$_tacit_bin" shell daemon --detach 2>/dev/null
_tacit_last
_tacit_histno=$_tacit_hno
trap '_tacit_debug' DEBUG
PROMPT_COMMAND="_tacit_st=\$?;${PROMPT_COMMAND:+$PROMPT_COMMAND;}_tacit_prompt"
