#!/usr/bin/env bash
# report_render.sh - how long Chromium takes to load and render the report
# of `tacit eval --report` for 2,000 cases, against an empty HTML page in
# the same run (Chromium's own start-up and exit are most of both).
#
#   bench/report_render.sh [ROOT] [RUNS]
#
# ROOT: the workspace the cases are masked from (default the Python
# standard library's email package); RUNS: loads of each page (default 7,
# alternating). Prints the report's size, then the median wall time of
# `chromium --headless --dump-dom` and of `--screenshot` for each page,
# and the difference (the report's own load, layout and paint; the
# screenshot is of the first 1000x1200 pixels, a screen).
set -u
cd "$(dirname "$0")/.."
root=${1:-/usr/lib/python3.11/email}
runs=${2:-7}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
make -s build/tacit >/dev/null
export TACIT_CACHE_DIR=$tmp/cache XDG_CONFIG_HOME=$tmp/xdg
build/tacit eval --mask 1800 --blocks 200 --root "$root" -q --report "$tmp/report.html" >"$tmp/eval.txt"
head -1 "$tmp/eval.txt"
printf '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>empty</title></head><body></body></html>\n' >"$tmp/empty.html"
echo "report: $(wc -c <"$tmp/report.html") bytes, $(grep -o '<circle' "$tmp/report.html" | wc -l) circles, $(grep -o '<rect' "$tmp/report.html" | wc -l) rects"
ms() { # the wall time of one chromium run, in ms
    local t0 t1
    t0=$(date +%s%N)
    timeout 120 chromium --headless --no-sandbox --disable-gpu --user-data-dir="$tmp/chrome" "$@" >/dev/null 2>&1
    t1=$(date +%s%N)
    echo $(((t1 - t0) / 1000000))
}
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
for mode in dump-dom screenshot; do
    : >"$tmp/r" && : >"$tmp/e"
    for i in $(seq "$runs"); do
        if [ $mode = dump-dom ]; then
            ms --dump-dom "file://$tmp/empty.html" >>"$tmp/e"
            ms --dump-dom "file://$tmp/report.html" >>"$tmp/r"
        else
            ms --screenshot="$tmp/e.png" --window-size=1000,1200 "file://$tmp/empty.html" >>"$tmp/e"
            ms --screenshot="$tmp/r.png" --window-size=1000,1200 "file://$tmp/report.html" >>"$tmp/r"
        fi
    done
    r=$(median <"$tmp/r")
    e=$(median <"$tmp/e")
    echo "--$mode: report ${r} ms, empty page ${e} ms, difference $((r - e)) ms (median of $runs, $(nproc) cores)"
done
