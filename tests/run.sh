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

for t in tests/sh/*.sh; do
    [ -e "$t" ] || continue
    name=$(basename "$t" .sh)
    start=$(date +%s)
    if log=$(bash "$t" 2>&1); then
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
