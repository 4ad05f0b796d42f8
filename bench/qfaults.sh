#!/usr/bin/env bash
# qfaults.sh - what the instruction count of bench/qspeed.sh misses: per
# suggestion, the CPU time in user and kernel mode, minor page faults,
# context switches (involuntary: preempted by other jobs; voluntary: waits)
# and the time off the CPU, for one or two builds on the suite's
# repositories.
#
#   bash bench/qfaults.sh TACIT [TACIT2] -- NAME...    NAME: suite names
#
# Per workspace and build, on a warm index (one unmeasured run first), the
# same cases as qspeed.sh (QSPEED_CASES/NAME.jsonl, else sampled as there)
# are answered RUNS times by `tacit eval --cases C --threshold 0` and once
# with only the first case, each under /usr/bin/time (getrusage of the whole
# process). A suggestion's share is (all cases - first case) / (cases - 1),
# so the start (index, model, ranker loaded and their pages touched) cancels
# out; the runs' median is reported. Off-CPU ms per suggestion: the mean of
# the latency_ms of the predictions less the CPU ms. User and system times
# come from the kernel's tick sampling: means over hundreds of cases only.
#
# Environment: RUNS (3) QSPEED_OUT (/tmp/qfaults) QSPEED_CASES, and
# bench/quality/fetch.sh's.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
. bench/quality/cases.sh
bins=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do
    bins+=("$(realpath "$1")")
    shift
done
[ $# -gt 0 ] && shift
if [ ${#bins[@]} -lt 1 ] || [ $# -lt 1 ]; then
    echo "usage: bash bench/qfaults.sh TACIT [TACIT2] -- NAME..." >&2
    exit 2
fi
RUNS=${RUNS:-3}
OUT=${QSPEED_OUT:-/tmp/qfaults}
mkdir -p "$OUT"
list=$(bash bench/quality/fetch.sh "$@") || { echo "qfaults: cannot fetch $*" >&2; exit 1; }

echo "machine: $(nproc) cores, $(uptime | sed 's/.*load/load/'); runs: $RUNS"
printf '| workspace | build | cases | CPU ms | user ms | sys ms | minor faults | invol. switches | vol. switches | latency ms (mean) | off-CPU ms |\n'
printf '|---|---|---|---|---|---|---|---|---|---|---|\n'
while read -r name _ _ dir <&3; do
    [ -n "$name" ] || continue
    W=$OUT/$name
    mkdir -p "$W"
    C=$(quality_cases qfaults "${bins[0]}" "$name" "$dir" "$W") || continue
    head -1 "$C" >"$W/first.jsonl"
    n=$(wc -l <"$C")
    for k in "${!bins[@]}"; do
        bin=${bins[$k]}
        ix=$W/ix-$k
        rm -rf "$ix"
        "$bin" eval -q --root "$dir" --cache-dir "$ix" --cases "$C" --threshold 0 --out /dev/null >/dev/null 2>&1
        for r in $(seq "$RUNS"); do
            for part in first all; do
                c=$W/first.jsonl
                [ $part = all ] && c=$C
                /usr/bin/time -f '%U %S %R %c %w' -o "$W/time-$k-$part-$r" "$bin" eval -q --root "$dir" --cache-dir "$ix" \
                    --cases "$c" --threshold 0 --out "$W/pred-$k-$part-$r.jsonl" >/dev/null 2>&1
            done
        done
        python3 - "$W" "$k" "$RUNS" "$n" "$name" "$bin" <<'EOF'
import json, statistics, sys
W, k, runs, n, name, b = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6]
def t(part, r):
    u, s, flt, ic, vc = open(f'{W}/time-{k}-{part}-{r}').read().split()[:5]
    return [float(u) * 1e3, float(s) * 1e3, float(flt), float(ic), float(vc)]
rows = []
for r in range(1, runs + 1):
    a, f = t('all', r), t('first', r)
    d = [(x - y) / (n - 1) for x, y in zip(a, f)]
    lat = [json.loads(l)['latency_ms'] for l in open(f'{W}/pred-{k}-all-{r}.jsonl') if l.strip()]
    lat = lat[1:]  # the first case is what the first-case run holds
    m = sum(lat) / len(lat)
    rows.append([d[0] + d[1]] + d + [m, m - d[0] - d[1]])
med = [statistics.median(c) for c in zip(*rows)]
print('| %s | %s | %d | %.2f | %.2f | %.3f | %.1f | %.2f | %.2f | %.2f | %.2f |' % ((name, b, n) + tuple(med)))
EOF
    done
done 3<<<"$list"
