#!/usr/bin/env bash
# session_cli.sh - complete, explain and doctor as thin callers of the
# session: one settings precedence (file < environment < flags), flags
# refused where they mean nothing, bad cursors explained (exit 2 for
# usage, 1 for failures), and a stopped server that costs no more than
# the deadline's worth of waiting (behaviour only: the embedded answer).
set -u
cd "$(dirname "$0")/../.."
bin=${TACIT_TEST_BIN:-build/dbg/tacit}
tmp=$(mktemp -d)
spid=
cleanup() { [ -n "$spid" ] && kill -CONT "$spid" 2>/dev/null && kill "$spid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
ws=$tmp/ws
mkdir -p "$ws/.git"
printf 'def compute_value(alpha, beta):\n    return alpha + beta\n\nresult = compute_value(alpha, beta)\nother = compute_value(alpha, beta)\nthird = compute_\n' > "$ws/s.py"
export TACIT_CACHE_DIR=$tmp/cache XDG_CONFIG_HOME=$tmp/xdg
unset TACIT_BACKEND TACIT_CONFIG TACIT_DEADLINE_MS
# run EXPECTED_STATUS PATTERN_IN_STDERR_OR_STDOUT -- command...
run() {
    local want=$1 pat=$2 rc
    shift 3
    out=$(timeout 30 "$@" 2>&1)
    rc=$?
    [ "$rc" -eq "$want" ] || fail "$* -> exit $rc (want $want): $out"
    [ -z "$pat" ] || printf '%s' "$out" | grep -q -- "$pat" || fail "$* -> '$out' lacks '$pat'"
}
c="$ws/s.py:6:17"

# --- settings precedence: file < environment < flags, for every command ---
mkdir -p "$tmp/xdg/tacit"
printf '[general]\nbackend = nosuch\n' > "$tmp/xdg/tacit/config.ini"
run 1 "no backend named 'nosuch'" -- "$bin" complete "$c" -q
run 1 "no backend named 'nosuch'" -- "$bin" explain "$c" -q
run 1 "general.backend = nosuch" -- "$bin" doctor
TACIT_BACKEND=none run 0 "value(alpha, beta)" -- "$bin" complete "$c" -q
TACIT_BACKEND=nosuch2 run 1 "no backend named 'nosuch2'" -- "$bin" complete "$c" -q
TACIT_BACKEND=nosuch2 run 0 "value(alpha, beta)" -- "$bin" complete "$c" -q --backend none
TACIT_BACKEND=nosuch2 run 0 "general.backend = none  (command line)" -- "$bin" doctor --backend none
rm "$tmp/xdg/tacit/config.ini"
run 0 "embedded model alone" -- "$bin" doctor --backend none
run 0 'result      shown .*"value(alpha, beta)"' -- "$bin" explain "$c" --backend none -q
run 1 "settings file .* does not exist" -- "$bin" complete "$c" --config "$tmp/none.ini"

# --- flags: each works where it means something, refused elsewhere ---
run 0 "" -- "$bin" complete "$c" -q --deadline 100
run 0 '"source":"embedded"' -- "$bin" complete "$c" -q --json --backend none --threshold 0.1
run 0 '"source":"none"' -- "$bin" complete "$c" -q --json --threshold 1
run 2 "--threshold takes a number from 0 to 1" -- "$bin" complete "$c" --threshold 7
run 2 "--deadline takes an integer from 0 to 600000" -- "$bin" complete "$c" --deadline abc
run 2 "--deadline takes an integer from 0 to 600000" -- "$bin" complete "$c" --deadline -5
run 2 "--max-file-size takes a size from 1 to 1G" -- "$bin" complete "$c" --max-file-size -1
run 2 "--threshold has no meaning for doctor" -- "$bin" doctor --threshold 0.5
# a cursor inside a secret: explain says why nothing would be sent
printf 'password = "Tr0ub4dorAndThreeX9"\n' >"$ws/pw.py"
run 0 "the cursor is inside a secret" -- "$bin" explain "$ws/pw.py:1:18" --backend llama --deadline 100 -q
run 2 "--prompt has no meaning for complete" -- "$bin" complete "$c" --prompt
run 2 "--deadline has no meaning for doctor" -- "$bin" doctor --deadline 100
run 2 "--json has no meaning for doctor" -- "$bin" doctor --json
run 2 "--backend needs a value" -- "$bin" complete "$c" --backend
run 2 "unknown option '--bogus'" -- "$bin" complete "$c" --bogus
run 2 "needs a cursor" -- "$bin" complete
run 2 "unexpected argument" -- "$bin" doctor extra

# --- bad cursors (issue 9) ---
run 1 "is a directory" -- "$bin" complete "$ws:1:1"
mkfifo "$ws/pipe.py"
run 1 "not a regular file" -- "$bin" complete "$ws/pipe.py:1:1"
printf 'ab\0cd\n' > "$ws/bin.py"
run 1 "binary file" -- "$bin" complete "$ws/bin.py:1:1"
run 2 "line 60 is past the end" -- "$bin" complete "$ws/s.py:60:1"
run 2 "column 40 is past the end of line 6" -- "$bin" complete "$ws/s.py:6:40"
run 2 "expected PATH:LINE:COL" -- "$bin" complete "$ws/s.py:1"
run 1 "give --buffer" -- "$bin" complete "$ws/missing.py:1:1"
printf 'x = compute_' | run 0 "" -- "$bin" complete "$ws/new.py:1:13" --buffer - -q

# --- a stopped server: the embedded answer, at the deadline ---
if command -v python3 >/dev/null; then
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    python3 -m http.server "$port" --bind 127.0.0.1 --directory "$tmp" >/dev/null 2>&1 &
    spid=$!
    for _ in $(seq 50); do python3 -c "import socket; socket.create_connection(('127.0.0.1',$port),1)" 2>/dev/null && break; sleep 0.1; done
    kill -STOP "$spid"
    export TACIT_BACKEND_LLAMA_URL=http://127.0.0.1:$port
    for d in 100 400; do
        run 0 '"source":"embedded"' -- "$bin" complete "$c" -q --json --backend llama --deadline "$d" --threshold 0.1
        TACIT_BACKEND=llama TACIT_DEADLINE_MS=$d run 0 '"source":"embedded"' -- "$bin" complete "$c" -q --json --threshold 0.1
    done
    run 0 "not reachable" -- "$bin" explain "$c" --backend llama --deadline 100
fi
echo "ok"
