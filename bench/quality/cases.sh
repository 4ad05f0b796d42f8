# shellcheck shell=bash
# Sourced by bench/qspeed.sh and bench/qfaults.sh: the line and block
# cases a speed benchmark answers in suite workspace NAME.
#
#   C=$(quality_cases PROG BIN NAME DIR W) || continue
#
# QSPEED_CASES/NAME.jsonl when set and there, else W/cases.jsonl, sampled
# once by BIN (`eval --save-cases`, seed 1: 200 masked lines and 50 blocks;
# the stdlib workspace 1000 lines) with its index in W/ix-cases. PROG names
# the caller in the error when the sampling fails.
quality_cases() {
    local prog=$1 bin=$2 name=$3 dir=$4 w=$5 c m
    c=${QSPEED_CASES:+$QSPEED_CASES/$name.jsonl}
    if [ -n "$c" ] && [ -s "$c" ]; then
        echo "$c"
        return 0
    fi
    c=$w/cases.jsonl
    if [ ! -s "$c" ]; then
        if [ "$name" = stdlib ]; then m="--mask 1000 --seed 1"; else m="--mask 200 --blocks 50 --seed 1"; fi
        # shellcheck disable=SC2086
        nice -n 10 "$bin" eval -q --root "$dir" --cache-dir "$w/ix-cases" $m --save-cases "$c" >/dev/null 2>&1 ||
            { echo "$prog: cannot sample cases in $dir" >&2; return 1; }
    fi
    echo "$c"
}
