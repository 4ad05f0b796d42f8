#!/usr/bin/env bash
# llama_lib.sh - a llama-server started on 127.0.0.1 at a free port and
# waited for: what the llama tests share (sourced by
# tests/sh/llama_backend.sh and tests/sh/nextedit_model_llama.sh;
# tests/sh/llama_smoke.sh keeps its own loop: it fails at once, without
# retrying, unless the port was taken). Run on its own (as `make test`
# does) it checks llama_start on a small Python HTTP server.

# llama_port_free PORT: nothing listens on 127.0.0.1:PORT.
llama_port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# llama_start LOG CMD...: runs `CMD... --port PORT` in the background
# (stdout and stderr to LOG) at a random free port until GET /health
# answers 200 (up to 60 s an attempt, 5 attempts; a failed one is killed
# and told through the caller's `say`). Sets pid, port and base
# (http://127.0.0.1:PORT); returns 1 (pid empty) when no attempt started.
llama_start() {
    local log=$1 attempt
    shift
    for attempt in 1 2 3 4 5; do
        port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
        llama_port_free "$port" || continue
        "$@" --port "$port" >"$log" 2>&1 &
        pid=$!
        base=http://127.0.0.1:$port
        for _ in $(seq 600); do
            kill -0 "$pid" 2>/dev/null || break
            [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$base/health")" = 200 ] && return 0
            sleep 0.1
        done
        kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; pid=
        say "start failed on port $port (attempt $attempt)"
    done
    return 1
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -u
    say() { printf 'llama_lib: %s\n' "$*" >&2; }
    tmp=$(mktemp -d)
    pid=
    trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
    : >"$tmp/health"   # GET /health of a file server in $tmp: 200
    llama_start "$tmp/log" python3 -c 'import http.server as h, os, sys
os.chdir(sys.argv[1])
h.HTTPServer(("127.0.0.1", int(sys.argv[3])), h.SimpleHTTPRequestHandler).serve_forever()' "$tmp" \
        || { echo "FAIL: the file server did not start"; cat "$tmp/log"; exit 1; }
    [ "$base" = "http://127.0.0.1:$port" ] && kill -0 "$pid" 2>/dev/null \
        || { echo "FAIL: base $base, port $port, pid $pid"; exit 1; }
    ! llama_port_free "$port" || { echo "FAIL: port $port is said free while the server listens"; exit 1; }
    kill "$pid"; wait "$pid" 2>/dev/null; pid=
    ! llama_start "$tmp/log" false 2>/dev/null || { echo "FAIL: a command that exits was said started"; exit 1; }
    [ -z "$pid" ] || { echo "FAIL: pid $pid left after a failed start"; exit 1; }
    echo "ok: a server started at a free port and found healthy; a command that exits is not"
fi
