# bash completion for tacit(1)                              -*- shell-script -*-
# Installed as $(PREFIX)/share/bash-completion/completions/tacit.

_tacit()
{
    local cur prev words cword
    _init_completion || return

    local commands="index complete eval explain doctor lsp stats shell help version"
    local common="--cache-dir --max-file-size --root --smoothing --quiet --help"
    local cmd=${words[1]}

    if ((cword == 1)); then
        COMPREPLY=($(compgen -W "$commands --version --help" -- "$cur"))
        return
    fi

    case $prev in
        --cache-dir | --root)
            _filedir -d
            return ;;
        --cases | --out | --save-cases | --report | --config | --buffer | --only | --store)
            _filedir
            return ;;
        --smoothing)
            COMPREPLY=($(compgen -W "jm wb ad" -- "$cur"))
            return ;;
        --mode)
            COMPREPLY=($(compgen -W "full ngram copy" -- "$cur"))
            return ;;
        --backend)
            # the [backend.NAME] sections of the settings file, and the types
            local cfg=${TACIT_CONFIG:-${XDG_CONFIG_HOME:-$HOME/.config}/tacit/config.ini} names=""
            [[ -r $cfg ]] && names=$(sed -n 's/^[[:space:]]*\[backend\.\([^]]*\)\].*/\1/p' "$cfg")
            COMPREPLY=($(compgen -W "$names llama openai mistral ollama none" -- "$cur"))
            return ;;
        --max-file-size | --mask | --blocks | --seed | --threshold | --show | --deadline | --files)
            return ;;
    esac

    local opts
    case $cmd in
        index) opts="--stats --only $common" ;;
        complete) opts="--buffer --json --threshold --mode --backend --deadline --config $common" ;;
        eval) opts="--cases --out --json --mask --blocks --seed --intrinsic --compare --mode --threshold --sweep
                    --show --save-cases --report --next-edits --history --examples --features --misses --since --per-commit --rebuild $common" ;;
        explain) opts="--backend --prompt --naive --json --root --buffer --config --deadline --quiet --help" ;;
        doctor) opts="--backend --config --help" ;;
        lsp) opts="--stdio --cache-dir --no-index --backend --deadline --config --help" ;;
        stats) opts="--json --ascii --files --store --help" ;;
        help) ((cword == 2)) && COMPREPLY=($(compgen -W "$commands" -- "$cur"))
              return ;;
        version) opts="--verbose" ;;
        shell)
            if ((cword == 2)); then
                COMPREPLY=($(compgen -W "init record suggest import export eval daemon" -- "$cur"))
                return
            fi
            case ${words[2]} in
                init) ((cword == 3)) && COMPREPLY=($(compgen -W "bash zsh" -- "$cur")); return ;;
                record) opts="--cmd --cwd --status --duration --start --session" ;;
                suggest) opts="--prefix --cwd --prev --prev-status -n --limit --no-check-paths --no-daemon" ;;
                import) opts="--force" ;;
                eval) opts="--store --limit --json" ;;
                daemon) opts="--detach --idle" ;;
                *) return ;;
            esac ;;
        *) return ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    elif [[ $cmd == index ]]; then
        _filedir -d
    else
        _filedir
    fi
} &&
    complete -F _tacit tacit

# ex: filetype=sh
