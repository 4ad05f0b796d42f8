# tacit shell integration for zsh (printed by `tacit shell init zsh`).
# In ~/.zshrc:  eval "$(tacit shell init zsh)"
# Records each command (directory, exit status, duration, time, git branch)
# with `tacit shell record` in the background, and shows the likely rest of
# the line (or, on an empty line, the likely next command) as ghost text.
# Settings (set before the eval line):
#   TACIT_SHELL_RECORD=off       record nothing (export it: `tacit shell
#                                record` reads it too)
#   TACIT_SHELL_IGNORE='ls*:cd'  HISTIGNORE-style patterns never recorded
#   TACIT_ACCEPT_KEYS            keys accepting the whole suggestion
#                                (default: right arrow, ^E at the line's end)
#   TACIT_PARTIAL_KEYS           keys accepting its next word (default:
#                                alt-f, ctrl-right arrow)
#   TACIT_HIGHLIGHT='fg=8'       how the ghost text looks
#   TACIT_SHELL_DAEMON=off       no server: each keystroke runs
#                                `tacit shell suggest` (slower)
# Suggestions come from `tacit shell daemon` (started here, in the
# background) over its socket with zsh/net/socket: no process per key.
[[ -o interactive ]] || return 0
zmodload zsh/datetime 2>/dev/null
zmodload zsh/net/socket 2>/dev/null

typeset -g _tacit_bin=@TACIT_BIN@ _tacit_sock=@TACIT_SOCK@
typeset -g _tacit_cmd='' _tacit_start='' _tacit_prev='' _tacit_prev_status=-1 _tacit_for=''
typeset -g TACIT_HIGHLIGHT=${TACIT_HIGHLIGHT-fg=8}
typeset -g TACIT_ACCEPT_KEYS=${TACIT_ACCEPT_KEYS-'^[[C ^[OC ^E'}
typeset -g TACIT_PARTIAL_KEYS=${TACIT_PARTIAL_KEYS-'^[f ^[[1;5C'}

_tacit_preexec() {
    _tacit_cmd=$1
    _tacit_start=$EPOCHREALTIME
}

_tacit_precmd() {
    local st=$? cmd=$_tacit_cmd dur
    [[ -n $cmd ]] || return 0
    _tacit_cmd=''
    [[ $cmd == [[:space:]]* ]] && return 0
    _tacit_prev=$cmd
    _tacit_prev_status=$st
    [[ ${TACIT_SHELL_RECORD:-on} == (off|0|no|false) ]] && return 0
    dur=$(( (EPOCHREALTIME - _tacit_start) * 1000 ))
    dur=${dur%.*}
    # To the daemon when it listens (no process started, no wait)...
    local fd us=$'\x1f'
    if [[ -n $_tacit_sock && ${TACIT_SHELL_DAEMON:-on} != (off|0|no|false) ]] &&
        zsocket $_tacit_sock 2>/dev/null; then
        fd=$REPLY
        print -rn -u $fd -- "R${us}${st}${us}${dur}${us}${_tacit_start}${us}$$${us}${PWD}${us}${TACIT_SHELL_IGNORE}${us}${cmd//$'\n'/$'\x1e'}"$'\n'
        exec {fd}>&-
        return 0
    fi
    # ...else a recorder in the background. The command goes in the
    # environment: other users can read arguments.
    TACIT_SHELL_IGNORE=$TACIT_SHELL_IGNORE TACIT_SHELL_CMD=$cmd "$_tacit_bin" shell record --cwd "$PWD" \
        --status $st --duration $dur --start $_tacit_start --session $$ >/dev/null 2>&1 &!
}

_tacit_clear() {
    POSTDISPLAY=''
    region_highlight=("${(@)region_highlight:#*memo=tacit*}")
}

_tacit_paint() {
    region_highlight=("${(@)region_highlight:#*memo=tacit*}")
    [[ -n $POSTDISPLAY ]] &&
        region_highlight+=("$#BUFFER $(( $#BUFFER + $#POSTDISPLAY )) $TACIT_HIGHLIGHT memo=tacit")
}

# The best suggestion for the line $1 into _tacit_sugg: from the server
# when it answers, else from a one-shot `tacit shell suggest` (and the
# server is started again for the next key).
_tacit_ask() {
    local fd us=$'\x1f' line=''
    _tacit_sugg=''
    if [[ -n $_tacit_sock && ${TACIT_SHELL_DAEMON:-on} != (off|0|no|false) ]] &&
        zsocket $_tacit_sock 2>/dev/null; then
        fd=$REPLY
        print -rn -u $fd -- "1${us}2${us}${_tacit_prev_status}${us}1${us}${PWD}${us}${_tacit_prev//$'\n'/ }${us}$1"$'\n'
        while IFS= read -r -t 1 -u $fd line && [[ -n $line ]]; do
            [[ $line != "$1" ]] && { _tacit_sugg=$line; break; }
        done
        exec {fd}>&-
        return 0
    fi
    [[ ${TACIT_SHELL_DAEMON:-on} == (off|0|no|false) ]] || "$_tacit_bin" shell daemon --detach 2>/dev/null
    _tacit_sugg=$(TACIT_SHELL_PREFIX=$1 TACIT_SHELL_PREV=$_tacit_prev "$_tacit_bin" shell suggest --no-daemon \
        --cwd "$PWD" --prev-status $_tacit_prev_status 2>/dev/null)
    _tacit_sugg=${_tacit_sugg%%$'\n'*}
}

# Before each redraw: when the line or the cursor changed since the ghost
# was drawn (typing, deleting, completion, a paste, any widget), ask again
# for the line, and show the rest of the answer after the cursor at the
# end of the line. While more keys are waiting, wait for them.
_tacit_pre_redraw() {
    local s
    [[ $CURSOR:$BUFFER == "$_tacit_for" ]] && return 0
    (( PENDING || KEYS_QUEUED_COUNT )) && return 0
    _tacit_for=$CURSOR:$BUFFER
    _tacit_clear
    (( CURSOR == $#BUFFER )) || return 0
    [[ $BUFFER == *$'\n'* ]] && return 0
    _tacit_ask "$BUFFER"
    s=$_tacit_sugg
    [[ -n $s && $s != "$BUFFER" && ${s[1,$#BUFFER]} == "$BUFFER" ]] || return 0
    POSTDISPLAY=${s[$#BUFFER+1,-1]}
    _tacit_paint
}

_tacit_accept() {
    if [[ -n $POSTDISPLAY ]] && (( CURSOR == $#BUFFER )); then
        BUFFER+=$POSTDISPLAY
        CURSOR=$#BUFFER
        _tacit_clear
        _tacit_for=$CURSOR:$BUFFER
    elif [[ $KEYS == $'\C-e' ]]; then
        zle .end-of-line
    else
        zle .forward-char
    fi
}

_tacit_accept_word() {
    setopt localoptions extendedglob
    local w
    if [[ -n $POSTDISPLAY ]] && (( CURSOR == $#BUFFER )); then
        w=${(M)POSTDISPLAY##[[:space:]]#[^[:space:]]##}
        [[ -n $w ]] || w=$POSTDISPLAY
        BUFFER+=$w
        CURSOR=$#BUFFER
        POSTDISPLAY=${POSTDISPLAY[$#w+1,-1]}
        _tacit_for=$CURSOR:$BUFFER
        _tacit_paint
    else
        zle .forward-word
    fi
}

_tacit_line_init() {
    _tacit_for=-
    _tacit_pre_redraw
}
_tacit_line_finish() { _tacit_clear }

() {
    local k
    zle -N _tacit_accept
    zle -N _tacit_accept_word
    for k in ${=TACIT_ACCEPT_KEYS}; do bindkey "$k" _tacit_accept; done
    for k in ${=TACIT_PARTIAL_KEYS}; do bindkey "$k" _tacit_accept_word; done
    autoload -Uz add-zsh-hook add-zle-hook-widget
    add-zsh-hook preexec _tacit_preexec
    add-zsh-hook precmd _tacit_precmd
    add-zle-hook-widget line-init _tacit_line_init
    add-zle-hook-widget line-finish _tacit_line_finish
    add-zle-hook-widget line-pre-redraw _tacit_pre_redraw
}
