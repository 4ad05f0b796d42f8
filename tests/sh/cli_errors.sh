#!/usr/bin/env bash
# cli_errors.sh - the real binary on bad command lines: each bad input gets
# one line on stderr that names the problem, exit status 2 for a usage error
# and 1 for a failure, and nothing runs away (every call is under timeout).
# Also: --help/help COMMAND print the same page, --version, and `eval --json`
# rounds its figures.
set -u
repo=$(cd "$(dirname "$0")/../.." && pwd)
bin=${TACIT_TEST_BIN:-$repo/build/tacit}
case $bin in /*) ;; *) bin=$repo/$bin ;; esac
[ -x "$bin" ] || { echo "no tacit binary at $bin"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TACIT_CACHE_DIR=$tmp/cache
ws=$tmp/ws
mkdir -p "$ws"
for f in shlex textwrap csv; do cp "/usr/lib/python3.11/$f.py" "$ws/" 2>/dev/null; done
printf 'def main():\n    return 0\n' > "$ws/tool.py"
fails=0 n=0

# expect STATUS 'stderr pattern (grep -E)' ARGS...: status, one stderr line
# matching the pattern, within 20 s.
expect() {
    local want=$1 pat=$2 rc lines
    shift 2
    n=$((n + 1))
    (cd "$tmp" && timeout 20 "$bin" "$@" >"$tmp/out" 2>"$tmp/err")
    rc=$?
    lines=$(grep -vc '^==' "$tmp/err")
    if [ "$rc" != "$want" ] || ! grep -Eq -- "$pat" "$tmp/err" || [ "$lines" != 1 ]; then
        echo "FAIL: tacit $* -> exit $rc (want $want), $lines stderr lines, want /$pat/:"
        sed 's/^/    /' "$tmp/err" | head -5
        fails=$((fails + 1))
    fi
}

# The inputs of issue 9, item 8.
expect 2 "^tacit: --mask takes an integer from 1 to 100000, got '-5'$" eval --mask -5 --root "$ws"
expect 2 "^tacit: --seed takes a whole number from 0 to 18446744073709551615, got 'abc'$" eval --mask 5 --seed abc
expect 2 "^tacit: --threshold takes a number from 0 to 1, got '7'$" eval --mask 5 --threshold 7
expect 2 "^tacit: --max-file-size takes a size from 1 to 1G .*got '-1'$" index "$ws" --max-file-size -1
expect 2 "^tacit: option '--cases' needs a value$" eval --cases
# More: ranges, types, spellings.
expect 2 "got '0'$" eval --mask 0
expect 2 "got '100001'$" eval --mask=100001
expect 2 "got '1e3'$" eval --mask 1e3
expect 2 "got '99999999999999999999999'$" eval --mask 5 --seed 99999999999999999999999
expect 2 "got '-1'$" eval --mask 5 --seed -1
expect 2 "got 'nan'$" eval --mask 5 --threshold nan
expect 2 "got '0.5x'$" eval --mask 5 --threshold 0.5x
expect 2 "got '0'$" eval --mask 5 --show 0
expect 2 "got '2G'$" index "$ws" --max-file-size 2G
expect 2 "got '10Q'$" index "$ws" --max-file-size 10Q
expect 2 "^tacit: --mode takes full, ngram or copy, got 'fast'$" eval --mask 5 --mode fast
expect 2 "^tacit: --smoothing takes jm, wb or ad, got 'xx'$" index "$ws" --smoothing xx
expect 2 "^tacit: option '--json' takes no value$" eval --mask 5 --json=yes
expect 2 "^tacit: option '--root' needs a value$" index --root
expect 2 "^tacit: option '--cases' needs a value, got the option '--json'" eval --cases --json
expect 2 "^tacit: option '--only' needs a value$" index "$ws" --only
expect 2 "^tacit: option '--seed' needs a value$" eval --mask 5 --seed
expect 2 "^tacit: unknown option '--bogus' for eval \(see 'tacit help eval'\)$" eval --bogus
expect 2 "^tacit: unknown option '--stat' for index" index --stat
expect 2 "^tacit: unknown option '--mask' for index" index --mask 5
expect 2 "^tacit: unexpected argument 'b' for index" index a b
expect 2 "^tacit: unexpected argument 'extra' for eval" eval --mask 5 extra
expect 2 "^tacit: eval takes one of --cases FILE, --mask N \[--blocks M\] or --intrinsic" eval
expect 2 "^tacit: eval takes one of --cases FILE, --mask N \[--blocks M\] or --intrinsic" eval --mask 5 --cases x.jsonl
expect 2 "^tacit: unknown command 'frobnicate'" frobnicate
expect 2 "^tacit: no help for 'nope'" help nope
expect 2 "^tacit: unknown option '--bogus' for version" version --bogus
only=()
for i in $(seq 257); do only+=(--only "f$i.py"); done
expect 2 "^tacit: at most 256 --only paths" index "$ws" "${only[@]}"
# Failures (the command line is fine, the input is not): exit 1.
expect 1 "^tacit: cannot index $tmp/nope: No such file or directory$" index "$tmp/nope" -q
expect 1 "^tacit: cannot index $ws/tool.py: not a directory$" index "$ws/tool.py"
expect 1 "^tacit: cannot load cases" eval --cases "$tmp/none.jsonl" --root "$ws" -q

# complete shares the common options (its own usage line may follow).
n=$((n + 1))
(cd "$tmp" && timeout 20 "$bin" complete --threshold 7 "$ws/tool.py:1:1" >/dev/null 2>"$tmp/err")
rc=$?
[ $rc = 2 ] && grep -qx "tacit: --threshold takes a number from 0 to 1, got '7'" "$tmp/err" \
    || { echo "FAIL: complete --threshold 7: exit $rc"; fails=$((fails + 1)); }

# No options at all: the overview on stderr, exit 2.
n=$((n + 1))
"$bin" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc = 2 ] && grep -q '^usage: tacit COMMAND' "$tmp/err" || { echo "FAIL: bare tacit: exit $rc"; fails=$((fails + 1)); }

# --help and help COMMAND: the same page, exit 0, on stdout.
for c in index complete eval explain doctor lsp help version; do
    n=$((n + 1))
    a=$("$bin" help "$c") && b=$("$bin" "$c" --help) && [ -n "$a" ] && [ "$a" = "$b" ] \
        && printf '%s\n' "$a" | grep -q "^tacit $c" \
        || { echo "FAIL: help $c and $c --help differ or fail"; fails=$((fails + 1)); }
done
n=$((n + 1))
"$bin" --version | grep -Eqx 'tacit [0-9]+\.[0-9]+\.[0-9]+' || { echo "FAIL: --version"; fails=$((fails + 1)); }
n=$((n + 1))
"$bin" version --verbose | grep -q '^index format   [0-9]' || { echo "FAIL: version --verbose"; fails=$((fails + 1)); }

# Values that are fine are taken: --opt=value, size suffixes, a big seed.
n=$((n + 1))
if ! (cd "$tmp" && timeout 60 "$bin" index "$ws" --max-file-size=512K -q) \
    || ! out=$(cd "$tmp" && timeout 120 "$bin" eval --mask=6 --seed 18446744073709551615 --root "$ws" \
                  --threshold 0 --json -q); then
    echo "FAIL: good values refused"; fails=$((fails + 1))
else
    # --json: ratios to 4 decimals, milliseconds to 3 (not 12.392170000006445).
    n=$((n + 1))
    long=$(printf '%s\n' "$out" | grep -E '"(latency_[a-z0-9]+_ms)":[[:space:]]*-?[0-9]+\.[0-9]{4,}' | head -1)
    long2=$(printf '%s\n' "$out" | grep -E '"(em|es|coverage|precision)":[[:space:]]*[0-9]+\.[0-9]{5,}' | head -1)
    grep -q '"latency_p50_ms"' <<<"$out" && [ -z "$long" ] && [ -z "$long2" ] \
        || { echo "FAIL: eval --json figures not rounded: $long $long2"; fails=$((fails + 1)); }
fi

# complete --json: rounded too.
n=$((n + 1))
out=$(cd "$tmp" && timeout 60 "$bin" complete "$ws/tool.py:2:5" --root "$ws" --threshold 0 --json -q)
grep -q '"latency_ms":' <<<"$out" && ! grep -Eq '"latency_ms":-?[0-9]+\.[0-9]{4,}|"confidence":[0-9]+\.[0-9]{5,}' <<<"$out" \
    || { echo "FAIL: complete --json not rounded: $out"; fails=$((fails + 1)); }

echo "$((n - fails)) of $n command lines behaved"
[ $fails -eq 0 ]
