#!/usr/bin/env bash
# qspeed.sh - in-process suggestion latency and CPU of the embedded model on
# the quality suite's repositories and on `make run`'s job (the Python
# standard library), against a reference build in the same run.
#
#   bash bench/qspeed.sh REF_TACIT [NAME...]     NAME: suite names, or stdlib
#
# Per workspace, the same cases for both builds: the suite's line and block
# cases (`tacit eval --mask 200 --blocks 50 --seed 1`, as bench/quality.sh
# samples them) and, for stdlib, `make run`'s 1000 cases (--mask 1000 --seed
# 1). Each build gets its own index folder, warmed by one unmeasured run (the
# index, the model and the ranker are built and cached then); then the two
# builds answer the cases in turn, RUNS times each, with `tacit eval --cases C
# --threshold 0 --out P`. Reported per build: latency percentiles of every
# suggestion of all its runs (latency_ms of P, wall time inside the engine),
# CPU seconds per run (user + sys, /usr/bin/time), peak RSS (the largest of
# its runs, /usr/bin/time's %M), and whether its
# predictions (suggestion and confidence) are byte-identical to the
# reference's. Ratios: this build over the reference.
#
# With INSTR=1, each build also answers the cases once under valgrind's
# callgrind, which counts the instructions inside tc_engine_suggest_n case
# by case (deterministic: what a loaded machine does not disturb); a second
# table gives their percentiles per build, in millions, and the ratios.
#
# Environment: TACIT (build/tacit) RUNS (3) QSPEED_OUT (/tmp/qspeed)
# QSPEED_CASES (folder of NAME.jsonl case files to reuse) STDLIB
# (/usr/lib/python3.11) INSTR (0), and bench/quality/fetch.sh's.
set -uo pipefail
cd "$(dirname "$0")/.."
. bench/quality/cases.sh
[ $# -ge 1 ] || { echo "usage: bash bench/qspeed.sh REF_TACIT [NAME...]" >&2; exit 2; }
REF=$(realpath "$1")
shift
NEW=$(realpath "${TACIT:-build/tacit}")
RUNS=${RUNS:-3}
INSTR=${INSTR:-0}
OUT=${QSPEED_OUT:-/tmp/qspeed}
STDLIB=${STDLIB:-/usr/lib/python3.11}
[ -x "$REF" ] && [ -x "$NEW" ] || { echo "qspeed: needs $NEW and $REF" >&2; exit 1; }
[ "$INSTR" = 1 ] && ! command -v valgrind >/dev/null && { echo "qspeed: INSTR=1 needs valgrind" >&2; exit 1; }
mkdir -p "$OUT"

want_std=0
names=()
for a in "$@"; do
    if [ "$a" = stdlib ]; then want_std=1; else names+=("$a"); fi
done
[ $# -eq 0 ] && want_std=1
list=""
if [ $# -eq 0 ] || [ ${#names[@]} -gt 0 ]; then
    list=$(bash bench/quality/fetch.sh "${names[@]}") || list=""
fi
[ $want_std = 1 ] && [ -d "$STDLIB" ] && list="$list
stdlib py - $STDLIB"

# stats PRED... -> "p50 p90 p99 max b50 b90 b99 bmax" over every latency_ms
# of the runs, then over each case's best of the runs (what other jobs on a
# shared machine disturb least)
stats() {
    python3 - "$@" <<'EOF'
import json, sys
best, v = {}, []
for f in sys.argv[1:]:
    for l in open(f):
        if not l.strip(): continue
        o = json.loads(l)
        v.append(o['latency_ms'])
        best[o['id']] = min(best.get(o['id'], 1e300), o['latency_ms'])
def pct(v):
    v = sorted(v)
    q = lambda p: v[min(len(v) - 1, int(p * len(v)))]
    return '%.2f %.2f %.2f %.2f' % (q(.5), q(.9), q(.99), v[-1])
print(pct(v), pct(best.values()))
EOF
}
# instr DIR -> "p50 p90 p99 max total" of the per-case instruction counts
# (millions) in DIR's callgrind dumps, one per suggestion
instr() {
    python3 - "$1" <<'EOF'
import glob, sys
v = []
for f in glob.glob(sys.argv[1] + '/cg.*'):
    for l in open(f):
        if l.startswith(('summary:', 'totals:')):
            v.append(int(l.split()[1]) / 1e6)
            break
v = sorted(x for x in v if x > 0)
q = lambda p: v[min(len(v) - 1, int(p * len(v)))]
print('%.2f %.2f %.2f %.2f %.1f' % (q(.5), q(.9), q(.99), v[-1], sum(v)) if v else '- - - - -')
EOF
}
# the predictions without their latency: what must not change
preds() { python3 -c '
import json, sys
for l in open(sys.argv[1]):
    o = json.loads(l); o.pop("latency_ms", None); print(json.dumps(o, sort_keys=True))' "$1"; }
# 0 if prediction file $1 equals the reference's (through a file: cmp stops
# reading a pipe at the first difference)
same_preds() { preds "$1" > "$W/preds.txt" && cmp -s "$W/preds.txt" "$W/ref.txt"; }

echo "machine: $(nproc) cores, $(uptime | sed 's/.*load/load/'); runs per build: $RUNS"
echo "new: $NEW"
echo "ref: $REF"
instr_rows=()
printf '| workspace | cases | build | p50 ms | p90 ms | p99 ms | max ms | best of runs: p50 / p90 / p99 / max ms | CPU s / run | peak RSS MB | predictions |\n'
printf '|---|---|---|---|---|---|---|---|---|---|---|\n'
# (fd 3: the commands in the loop must not read the list)
while read -r name lang ver dir <&3; do
    [ -n "$name" ] || continue
    W=$OUT/$name
    mkdir -p "$W"
    C=$(quality_cases qspeed "$REF" "$name" "$dir" "$W") || continue
    n=$(wc -l <"$C")
    for b in ref new; do
        bin=$REF
        [ $b = new ] && bin=$NEW
        rm -rf "$W/ix-$b"
        "$bin" eval -q --root "$dir" --cache-dir "$W/ix-$b" --cases "$C" --threshold 0 --out "$W/warm-$b.jsonl" >/dev/null 2>&1
    done
    for r in $(seq "$RUNS"); do
        for b in ref new; do
            bin=$REF
            [ $b = new ] && bin=$NEW
            /usr/bin/time -f '%U %S %M' -o "$W/time-$b-$r" "$bin" eval -q --root "$dir" --cache-dir "$W/ix-$b" \
                --cases "$C" --threshold 0 --out "$W/pred-$b-$r.jsonl" >/dev/null 2>"$W/err-$b"
        done
    done
    preds "$W/pred-ref-1.jsonl" >"$W/ref.txt"
    declare -A st=() cpu=() rss=()
    for b in ref new; do
        read -r p50 p90 p99 mx b50 b90 b99 bmx < <(stats "$W"/pred-$b-*.jsonl)
        c=$(cat "$W"/time-$b-* | awk '{s += $1 + $2; k++} END {printf "%.2f", s / k}')
        m=$(cat "$W"/time-$b-* | awk '$3 > x {x = $3} END {printf "%.1f", x / 1024}')
        st[$b]="$p50 $p90 $p99 $mx $b99"
        cpu[$b]=$c
        rss[$b]=$m
        same=identical
        for r in $(seq "$RUNS"); do
            same_preds "$W/pred-$b-$r.jsonl" || same=DIFFERENT
        done
        printf '| %s | %s | %s | %s | %s | %s | %s | %s / %s / %s / %s | %s | %s | %s |\n' "$name" "$n" "$b" $p50 $p90 $p99 $mx \
            $b50 $b90 $b99 $bmx "$c" "$m" "$same"
    done
    read -r a50 a90 a99 amx ab99 <<<"${st[ref]}"
    read -r b50 b90 b99 bmx bb99 <<<"${st[new]}"
    printf '| %s | | new / ref | %s | %s | %s | %s | p99 %s | %s | %s | |\n' "$name" \
        "$(awk -v a="$a50" -v b="$b50" 'BEGIN{printf "%.2fx", b/a}')" \
        "$(awk -v a="$a90" -v b="$b90" 'BEGIN{printf "%.2fx", b/a}')" \
        "$(awk -v a="$a99" -v b="$b99" 'BEGIN{printf "%.2fx", b/a}')" \
        "$(awk -v a="$amx" -v b="$bmx" 'BEGIN{printf "%.2fx", b/a}')" \
        "$(awk -v a="$ab99" -v b="$bb99" 'BEGIN{printf "%.2fx", b/a}')" \
        "$(awk -v a="${cpu[ref]}" -v b="${cpu[new]}" 'BEGIN{printf "%.2fx", b/a}')" \
        "$(awk -v a="${rss[ref]}" -v b="${rss[new]}" 'BEGIN{printf "%.2fx", b/a}')"
    unset st cpu rss
    if [ "$INSTR" = 1 ]; then
        for b in ref new; do
            bin=$REF
            [ $b = new ] && bin=$NEW
            rm -rf "$W/cg-$b"
            mkdir -p "$W/cg-$b"
            valgrind --tool=callgrind --collect-atstart=no --toggle-collect=tc_engine_suggest_n \
                --dump-after=tc_engine_suggest_n --callgrind-out-file="$W/cg-$b/cg.%p" "$bin" eval -q --root "$dir" \
                --cache-dir "$W/ix-$b" --cases "$C" --threshold 0 --out "$W/cg-$b/pred.jsonl" >/dev/null 2>"$W/cg-$b/log"
            same_preds "$W/cg-$b/pred.jsonl" || echo "qspeed: $name: $b's predictions under callgrind differ" >&2
        done
        instr_rows+=("$name $n $(instr "$W/cg-ref") $(instr "$W/cg-new")")
    fi
done 3<<<"$list"

if [ "$INSTR" = 1 ]; then
    echo
    echo "Instructions inside tc_engine_suggest_n per suggestion (callgrind, millions; ref -> new):"
    printf '| workspace | cases | p50 | p90 | p99 | max | total | **p99 new / ref** | total new / ref |\n'
    printf '|---|---|---|---|---|---|---|---|---|\n'
    for row in "${instr_rows[@]}"; do
        read -r name n a50 a90 a99 amx atot b50 b90 b99 bmx btot <<<"$row"
        printf '| %s | %s | %s -> %s | %s -> %s | %s -> %s | %s -> %s | %s -> %s | **%s** | %s |\n' "$name" "$n" \
            "$a50" "$b50" "$a90" "$b90" "$a99" "$b99" "$amx" "$bmx" "$atot" "$btot" \
            "$(awk -v a="$a99" -v b="$b99" 'BEGIN{printf "%.2fx", b/a}')" \
            "$(awk -v a="$atot" -v b="$btot" 'BEGIN{printf "%.2fx", b/a}')"
    done
fi
