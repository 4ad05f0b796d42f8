#!/usr/bin/env bash
# report_chromium.sh - `tacit eval --report` as a browser sees it: Debian's
# headless Chromium loads the page (--dump-dom, --screenshot) and the DOM
# it built has the summary and the charts' elements (as many as the page
# was written with, the curve one point per row of its table), nothing
# executable, and the hostile code of the cases as text.
set -u
cd "$(dirname "$0")/../.."
bin=${TACIT_TEST_BIN:-build/dbg/tacit}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v chromium >/dev/null 2>&1 || fail "chromium not found (scripts/deps.sh test installs Debian's chromium)"
export TACIT_CACHE_DIR=$tmp/cache XDG_CONFIG_HOME=$tmp/xdg HOME=$tmp/home
unset TACIT_BACKEND TACIT_CONFIG
mkdir -p "$tmp/ws" "$tmp/home"
for f in a b c; do
    {
        printf '#include <stdio.h>\n\nstatic void show_%s(int value)\n{\n' "$f"
        for i in 1 2 3; do printf '    printf("value %%d\\n", value + %d);\n' "$i"; done
        printf '}\n'
    } >"$tmp/ws/$f.c"
done
printf 'def total(items):\n    return sum(items)\n\n\ndef mean(items):\n    return sum(items) / len(items)\n' >"$tmp/ws/m.py"
# Cases: a hostile comment before the cursor and hostile expected text
# (shown as a miss); a plain C and a Python case.
python3 - "$tmp/cases.jsonl" <<'EOF'
import json, sys
hostile = '/* </code></pre><script>alert("pwned")</script><img src=x onerror=alert(2)> & */\n'
cases = [
    {"id": "h1", "path": "x.c", "kind": "line-start",
     "prefix": "static void show_x(int value)\n{\n    " + hostile + "    printf(\"value %d\\n\", value + 1);\n    ",
     "suffix": "\n}\n", "expected": "printf(\"<script>alert(3)</script>\");"},
    {"id": "c1", "path": "y.c", "kind": "mid-line",
     "prefix": "static void show_y(int value)\n{\n    printf(\"value %d\\n\", value + 1);\n    printf",
     "suffix": "\n}\n", "expected": "(\"value %d\\n\", value + 2);"},
    {"id": "p1", "path": "n.py", "kind": "line-start",
     "prefix": "def total2(items):\n    ", "suffix": "\n", "expected": "return sum(items)"},
]
with open(sys.argv[1], "w") as f:
    for c in cases: f.write(json.dumps(c) + "\n")
EOF
"$bin" eval --cases "$tmp/cases.jsonl" --root "$tmp/ws" --threshold 0 --report "$tmp/r.html" -q >"$tmp/eval.txt" 2>&1 ||
    fail "eval --report: $(cat "$tmp/eval.txt")"
[ -s "$tmp/r.html" ] || fail "no report written"
grep -q 'miss' "$tmp/r.html" || fail "no sample in the report"
chrome() { timeout 120 chromium --headless --no-sandbox --disable-gpu --user-data-dir="$tmp/chrome" "$@" 2>>"$tmp/chrome.log"; }
chrome --dump-dom "file://$tmp/r.html" >"$tmp/dom.html" || fail "chromium --dump-dom failed: $(tail -3 "$tmp/chrome.log")"
chrome --screenshot="$tmp/r.png" --window-size=1000,2400 "file://$tmp/r.html" >/dev/null ||
    fail "chromium --screenshot failed: $(tail -3 "$tmp/chrome.log")"
[ "$(head -c 8 "$tmp/r.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "the screenshot is not a PNG"

# Count in the DOM (one tag per line first) and in the page as written.
count() { sed 's/</\n</g' "$1" | grep -c -- "$2"; }
section() { sed 's/</\n</g' "$1" | sed -n "/id=\"$2\"/,/<\/svg>/p" | grep -c -- "$3"; }
[ "$(count "$tmp/dom.html" '^<svg')" -eq 5 ] || fail "DOM: $(count "$tmp/dom.html" '^<svg') charts, want 5"
[ "$(count "$tmp/dom.html" '^<table')" -eq 3 ] || fail "DOM: want 3 tables (summary, curve, calibration)"
[ "$(count "$tmp/dom.html" '^<tr')" -eq "$(count "$tmp/r.html" '^<tr')" ] || fail "DOM and page differ in table rows"
# summary: header, all, and the two kinds
[ "$(sed 's/</\n</g' "$tmp/dom.html" | sed -n '/class="summary"/,/<\/table>/p' | grep -c '^<tr')" -eq 4 ] ||
    fail "summary: want 4 rows"
pts=$(section "$tmp/dom.html" curve-chart 'class="pt"')
rows=$(sed 's/</\n</g' "$tmp/dom.html" | sed -n '/id="curve-table"/,/<\/table>/p' | grep -c '^<tr')
[ "$pts" -gt 0 ] && [ "$pts" -eq "$((rows - 2))" ] ||
    fail "curve: $pts points for $rows table rows (header and this run's included)"
[ "$pts" -eq "$(section "$tmp/r.html" curve-chart 'class="pt"')" ] || fail "curve: the DOM lost points"
[ "$(section "$tmp/dom.html" curve-chart 'class="default"')" -eq 1 ] || fail "curve: the threshold is not marked once"
[ "$(section "$tmp/dom.html" kinds-chart 'class="bar"')" -eq 2 ] || fail "by kind: want 2 bars"
[ "$(section "$tmp/dom.html" langs-chart 'class="bar"')" -eq 2 ] || fail "by language: want 2 bars (c, python)"
[ "$(section "$tmp/dom.html" latency-chart 'class="bin"')" -eq 20 ] || fail "latency: want 20 bins"
[ "$(section "$tmp/dom.html" calibration-chart 'class="pt"')" -ge 1 ] || fail "calibration: no point"
# Nothing executable, nothing fetched; the hostile code is text.
[ "$(count "$tmp/dom.html" '^<script')" -eq 0 ] || fail "a script element in the DOM"
[ "$(count "$tmp/dom.html" '^<img')" -eq 0 ] || fail "an img element in the DOM"
grep -q '&lt;/code&gt;&lt;/pre&gt;&lt;script&gt;alert("pwned")&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt; &amp;' \
    "$tmp/dom.html" || fail "the hostile comment is not shown as text"
grep -q 'printf("&lt;script&gt;alert(3)&lt;/script&gt;");' "$tmp/dom.html" || fail "the hostile expected text is not shown"
grep -q '<mark class="sug">' "$tmp/dom.html" || fail "no highlighted suggestion"
# Bad input: one clear line, nothing half-written.
"$bin" eval --cases "$tmp/cases.jsonl" --root "$tmp/ws" -q --report "$tmp/none/r.html" >/dev/null 2>"$tmp/err.txt"
[ $? -eq 1 ] && grep -qx "tacit: cannot write the report $tmp/none/r.html: No such file or directory" "$tmp/err.txt" ||
    fail "unwritable report: $(cat "$tmp/err.txt")"
"$bin" eval --intrinsic --root "$tmp/ws" --report "$tmp/x.html" >/dev/null 2>"$tmp/err.txt"
[ $? -eq 2 ] && grep -q -- "--report is for --cases or --mask" "$tmp/err.txt" || fail "--report --intrinsic accepted"
[ ! -e "$tmp/x.html" ] || fail "--report --intrinsic wrote a file"
echo "report_chromium: ok ($pts curve points)"
