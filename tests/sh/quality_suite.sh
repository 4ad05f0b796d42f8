#!/usr/bin/env bash
# The quality suite's pipe end to end on a tiny fixture repository
# (bench/quality.sh with a local folder): cases of every kind are written,
# tacit and the baseline answer every case, score.py scores every prediction
# file, the table has the repository's row, and a rerun takes the baseline's
# predictions from the cache. Also: a case's own file is only its buffer
# (a line that exists nowhere else is not predicted), and fetch.sh says so
# and fails when a package cannot be fetched.
set -eu
cd "$(dirname "$0")/../.."
bin=$(realpath "${TACIT_REL_BIN:-build/tacit}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_CACHE_HOME=$tmp/xdg
unset TACIT_EVAL_CACHE
shared=${TACIT_SHARED:-}
for s in ../shared ../../shared; do
    [ -z "$shared" ] && [ -f "$s/eval/score.py" ] && shared=$(realpath "$s")
done
[ -n "$shared" ] || { echo "no shared/eval/ beside the checkout (set TACIT_SHARED)"; exit 1; }
export TACIT_SHARED=$shared

repo=$tmp/repo
mkdir -p "$repo/pkg"
for i in 1 2 3 4 5 6; do
    cat >"$repo/pkg/mod$i.py" <<EOF
import os  # paths


def load_$i(path, mode="r"):
    """Read the file at path."""
    with open(path, mode) as fh:  # closed on exit
        data = fh.read()
    return data


def save_$i(path, data):
    with open(path, "w") as fh:
        fh.write(data)
    return len(data)


class Store$i:
    def __init__(self, root):
        self.root = root
        self.items = {}

    def get(self, key):
        return self.items.get(key)
EOF
done
cat >"$repo/pkg/unique.py" <<'EOF'
def helper(x):
    return x + 1


def marker():
    zq_unique_marker_4711 = compute_marker_value(42, "only here")
    return zq_unique_marker_4711
EOF
printf 'fixture py dir repo - - -\n' >"$tmp/repos.txt"

run() {
    TACIT=$bin TACIT_EVAL_REPOS=$tmp/repos.txt QUALITY_CASES=12 QUALITY_BLOCKS=4 QUALITY_OUT=$tmp/out \
        bash bench/quality.sh >"$tmp/table$1.txt" 2>"$tmp/err$1.txt" || { cat "$tmp/err$1.txt"; exit 1; }
}
run 1
out=$tmp/out/fixture
[ "$(wc -l <"$out/cases.jsonl")" -eq 16 ] || { echo "expected 16 cases"; exit 1; }
for k in line-start:6 mid-line:6 block:4; do
    n=$(grep -c "\"kind\":\"${k%%:*}\"" "$out/cases.jsonl" || true)
    [ "$n" -eq "${k##*:}" ] || { echo "kind ${k%%:*}: $n cases, expected ${k##*:}"; exit 1; }
done
# every case answered by tacit (twice) and the baseline, every file scored
for p in tacit tacit0 base; do
    [ "$(wc -l <"$out/$p.jsonl")" -eq 16 ] || { echo "$p.jsonl: not one line per case"; exit 1; }
done
[ "$(grep -vc verbatim "$tmp/out/scores.txt")" -eq 12 ] || { echo "expected 12 score lines"; cat "$tmp/out/scores.txt"; exit 1; }
grep -q ' missing=[1-9]' "$tmp/out/scores.txt" && { echo "predictions missing"; exit 1; }
grep -q '^fixture py local tacit0 lines n=12 em=' "$tmp/out/scores.txt" || { echo "no tacit0 line score"; exit 1; }
grep -q '^fixture py local base block n=4 em=' "$tmp/out/scores.txt" || { echo "no baseline block score"; exit 1; }
grep -q '^| fixture local | py | 12 | ' "$tmp/table1.txt" || { echo "no table row"; cat "$tmp/table1.txt"; exit 1; }
grep -q '^EM × baseline (no threshold, line cases): median ' "$tmp/table1.txt" || { echo "no summary"; exit 1; }
# the rerun takes the baseline from the cache and prints the same table
[ "$(ls "$XDG_CACHE_HOME/tacit/eval/baseline" | wc -l)" -eq 1 ] || { echo "baseline not cached"; exit 1; }
run 2
[ ! -e "$out/base.err" ] || { echo "the baseline ran again"; exit 1; }
diff <(tail -n +2 "$tmp/table1.txt") <(tail -n +2 "$tmp/table2.txt") || { echo "rerun differs"; exit 1; }

# The case's own file is only the buffer: the marker line exists in no other
# file, so neither tacit nor the baseline can produce it. A control line that
# also stands in another file is found by the baseline.
python3 - "$repo" "$tmp/own.jsonl" <<'EOF'
import json, sys
root, out = sys.argv[1], sys.argv[2]
def case(cid, path, needle):
    text = open(f'{root}/{path}').read()
    at = text.index(needle); end = text.index('\n', at)
    return {'id': cid, 'path': path, 'prefix': text[:at], 'expected': text[at:end], 'suffix': text[end:], 'kind': cid}
with open(out, 'w') as f:
    f.write(json.dumps(case('own', 'pkg/unique.py', 'zq_unique_marker_4711 = compute')) + '\n')
    f.write(json.dumps(case('control', 'pkg/mod3.py', 'fh.write(data)')) + '\n')
EOF
"$bin" eval --quiet --root "$repo" --cases "$tmp/own.jsonl" --threshold 0 --out "$tmp/own.tacit.jsonl" >/dev/null
python3 "$shared/eval/baseline_ngram.py" "$tmp/own.jsonl" "$repo" "$tmp/own.base.jsonl" 2>/dev/null
python3 - "$tmp/own.jsonl" "$tmp/own.tacit.jsonl" "$tmp/own.base.jsonl" <<'EOF'
import json, sys
cases = {c['id']: c for c in map(json.loads, open(sys.argv[1]))}
for f in sys.argv[2:]:
    preds = {p['id']: p['suggestion'] for p in map(json.loads, open(f))}
    assert 'compute_marker_value' not in preds['own'], f'{f}: the own file leaked: {preds["own"]!r}'
base = {p['id']: p['suggestion'] for p in map(json.loads, open(sys.argv[3]))}
assert base['control'].strip() == cases['control']['expected'], f"control not found: {base['control']!r}"
EOF

# fetch.sh: a package that cannot be fetched is skipped with a message, and
# with nothing ready the exit status is 1
printf 'nothere js npm left-pad 1.3.0 - package\n' >"$tmp/npm.txt"
if TACIT_EVAL_REPOS=$tmp/npm.txt npm_config_registry=http://127.0.0.1:9/ npm_config_fetch_retries=0 \
    npm_config_fetch_timeout=2000 npm_config_cache=$tmp/npmcache bash bench/quality/fetch.sh >"$tmp/f.out" 2>"$tmp/f.err"; then
    echo "fetch.sh succeeded without its package"; exit 1
fi
grep -q 'cannot fetch npm package left-pad 1.3.0 (offline?' "$tmp/f.err" || { cat "$tmp/f.err"; exit 1; }
echo "quality suite pipe ok"
