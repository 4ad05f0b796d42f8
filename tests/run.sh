#!/usr/bin/env bash
# run.sh - the whole test suite (called by `make test`):
#   1. unit tests (build/dbg/unit: ASan + UBSan)
#   2. script tests (tests/sh/*.sh: the real binary, crash safety, editor)
#   3. fuzz corpus replay (every fuzz target over its saved corpus, sanitizers on)
# Ends with one summary line: "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export TACIT_TEST_BIN=${TACIT_TEST_BIN:-$PWD/build/dbg/tacit}
export TACIT_REL_BIN=$PWD/build/tacit
export XDG_STATE_HOME=$(mktemp -d) # where `tacit lsp` records outcomes: never the user's
trap 'rm -rf "$XDG_STATE_HOME"' EXIT
passed=0
failed=0
failures=()

out=$(build/dbg/unit 2>&1)
rc=$?
printf '%s\n' "$out" | grep -v '^unit:' >&2
line=$(printf '%s\n' "$out" | grep '^unit:' | tail -1)
up=$(printf '%s' "$line" | sed -n 's/^unit: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
uf=$(printf '%s' "$line" | sed -n 's/^unit: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
if [ -z "$up" ]; then
    echo "unit tests crashed (exit $rc)" >&2
    failed=$((failed + 1))
    failures+=("unit (crash)")
else
    echo "$line"
    passed=$((passed + up))
    failed=$((failed + uf))
    [ "$uf" -gt 0 ] && failures+=("unit: $uf failed")
fi

# Run a script test with its output in a file; its progress lines
# ("llama.sh: ..." while llama.cpp builds, ~20 min the first time) are shown
# as they come, so a long test is never silent.
run_script() {
    local logf shown=0 n pid rc
    logf=$(mktemp)
    bash "$1" >"$logf" 2>&1 &
    pid=$!
    while kill -0 "$pid" 2>/dev/null; do
        sleep 1
        n=$(grep -c '^llama.sh: ' "$logf")
        if [ "$n" -gt "$shown" ]; then
            grep '^llama.sh: ' "$logf" | sed -n "$((shown + 1)),${n}p" | sed "s/^/     $name: /"
            shown=$n
        fi
    done
    wait "$pid"
    rc=$?
    log=$(cat "$logf")
    rm -f "$logf"
    return $rc
}

for t in tests/sh/*.sh; do
    [ -e "$t" ] || continue
    name=$(basename "$t" .sh)
    start=$(date +%s)
    if run_script "$t"; then
        echo "ok   $name ($(( $(date +%s) - start ))s)"
        passed=$((passed + 1))
    else
        echo "FAIL $name"
        printf '%s\n' "$log" | tail -30 | sed 's/^/    /'
        failed=$((failed + 1))
        failures+=("$name")
    fi
done

for bin in build/dbg/fuzz/fuzz_*; do
    [ -x "$bin" ] || continue
    name=$(basename "$bin")
    if log=$("$bin" "fuzz/corpus/$name" 2>&1); then
        echo "ok   replay $name: $(printf '%s' "$log" | tail -1)"
        passed=$((passed + 1))
    else
        echo "FAIL replay $name"
        printf '%s\n' "$log" | tail -30 | sed 's/^/    /'
        failed=$((failed + 1))
        failures+=("replay $name")
    fi
done

[ ${#failures[@]} -gt 0 ] && printf 'failed: %s\n' "${failures[@]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
