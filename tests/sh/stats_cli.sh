#!/usr/bin/env bash
# stats_cli.sh - the outcomes store end to end: `tacit lsp` sessions (a
# Python client that waits for each reply) record shown, accepted and
# dismissed suggestions; four servers writing at once lose nothing;
# `tacit stats` reports them (text with Unicode or ASCII bars, --json);
# stats.enabled = false creates no file; a damaged store is a one-line
# error for `tacit stats` and no trouble for the server; a server killed
# with -9 leaves a readable store.
set -u
cd "$(dirname "$0")/../.."
bin=${TACIT_TEST_BIN:-build/dbg/tacit}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export XDG_STATE_HOME=$tmp/state XDG_CONFIG_HOME=$tmp/config TACIT_CACHE_DIR=$tmp/cache HOME=$tmp/home
unset TACIT_BACKEND TACIT_CONFIG TACIT_DEADLINE_MS TACIT_STATS_ENABLED TACIT_STATS_KEEP_DAYS
db=$XDG_STATE_HOME/tacit/outcomes.db

# client.py BIN N [hold]: one editor session on its own file: N suggestions
# shown; even ones typed in and accepted, odd ones dismissed by an edit
# elsewhere. With "hold", it stops before exit and waits to be killed.
cat > "$tmp/client.py" <<'PY'
import json, os, re, subprocess, sys, time
bin_, n, tag = sys.argv[1], int(sys.argv[2]), sys.argv[3]
hold = len(sys.argv) > 4
p = subprocess.Popen([bin_, "lsp", "--no-index"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
buf = b""
def read_msg():
    global buf
    while True:
        m = re.match(rb"Content-Length: (\d+)\r\n\r\n", buf)
        if m and len(buf) >= m.end() + int(m.group(1)):
            body = buf[m.end():m.end() + int(m.group(1))]
            buf = buf[m.end() + int(m.group(1)):]
            return json.loads(body)
        c = os.read(p.stdout.fileno(), 65536)
        if not c:
            sys.exit("server ended early")
        buf += c
nid = 0
def send(method, params=None, req=False):
    global nid
    o = {"jsonrpc": "2.0", "method": method}
    if params is not None:
        o["params"] = params
    if req:
        nid += 1
        o["id"] = nid
    b = json.dumps(o).encode()
    p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(b) + b)
    p.stdin.flush()
    while req:
        r = read_msg()
        if r.get("id") == nid and "method" not in r:
            return r.get("result")
uri = "file:///w/%s.py" % tag
lines = ["def compute_value(alpha, beta):", "    return alpha + beta", "", "result = compute_value(alpha, beta)"]
send("initialize", {"capabilities": {}, "initializationOptions": {"threshold": 0}}, True)
send("initialized", {})
send("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": "\n".join(lines) + "\n"}})
v = 1
def change(l0, c0, l1, c1, t):
    global v
    v += 1
    send("textDocument/didChange", {"textDocument": {"uri": uri, "version": v},
         "contentChanges": [{"range": {"start": {"line": l0, "character": c0}, "end": {"line": l1, "character": c1}}, "text": t}]})
shown = 0
for i in range(n):
    row = len(lines)
    change(row, 0, row, 0, "x%d = compute_" % i)
    lines.append("x%d = compute_" % i)
    col = len(lines[row])
    r = send("textDocument/inlineCompletion", {"textDocument": {"uri": uri}, "position": {"line": row, "character": col}}, True)
    text = r["items"][0]["insertText"] if r["items"] else ""
    if not text:
        continue
    shown += 1
    if i % 2 == 0:
        change(row, col, row, col, text)
        lines[row] += text
        send("workspace/executeCommand", {"command": "tacit.accept", "arguments": [{"uri": uri, "text": text}]}, True)
    else:
        change(0, 0, 0, 0, "#")
        lines[0] = "#" + lines[0]
    change(row, len(lines[row]), row, len(lines[row]), "\n")
    lines[row] += ""
stats = send("tacit/stats", None, True)["outcomes"]
print(json.dumps({"shown": shown, "outcomes": stats}))
sys.stdout.flush()
if hold:
    time.sleep(60)
send("shutdown", None, True)
send("exit")
sys.exit(p.wait())
PY

# nothing recorded yet: an empty report, exit 0
out=$("$bin" stats 2>&1) || fail "stats without a store: $out"
printf '%s' "$out" | grep -q 'no suggestions recorded yet' || fail "empty report: $out"
[ ! -e "$db" ] || fail "tacit stats created the store"
out=$("$bin" stats --json) || fail "stats --json without a store"
[ "$(printf '%s' "$out" | jq '.periods.all.total.shown')" = 0 ] || fail "empty --json: $out"
"$bin" stats --bogus 2>/dev/null && fail "stats --bogus succeeded"
[ $? -eq 2 ] || fail "stats --bogus: not a usage error"

# off: no file at all
res=$(TACIT_STATS_ENABLED=false python3 "$tmp/client.py" "$bin" 4 off) || fail "session (off): $res"
[ "$(printf '%s' "$res" | jq '.outcomes.enabled')" = false ] || fail "off: $res"
[ "$(printf '%s' "$res" | jq '.shown')" -gt 0 ] || fail "off: no suggestion shown: $res"
[ ! -e "$XDG_STATE_HOME/tacit" ] || fail "stats.enabled=false created $(ls -R "$XDG_STATE_HOME")"
mkdir -p "$XDG_CONFIG_HOME/tacit"
printf '[stats]\nenabled = false\n' > "$XDG_CONFIG_HOME/tacit/config.ini"
res=$(python3 "$tmp/client.py" "$bin" 2 offfile) || fail "session (off in the file): $res"
[ ! -e "$XDG_STATE_HOME/tacit" ] || fail "[stats] enabled = false created the store"
"$bin" stats | grep -q 'recording off' || fail "stats does not say recording is off"
rm -f "$XDG_CONFIG_HOME/tacit/config.ini"

# an event older than stats.keep_days (here 30) goes at the next write
mkdir -p "$XDG_STATE_HOME/tacit"
sqlite3 "$db" "$(sed -n 's/^ \* *\(CREATE .*\)$/\1/p; s/^ \*     \(.*\)--.*$/\1/p' src/stats/stats.h | tr -d '\n' | sed 's/  */ /g')" \
    2>/dev/null || fail "cannot make a store from the format in stats.h"
sqlite3 "$db" "PRAGMA user_version = 1; INSERT INTO events VALUES((strftime('%s','now') - 31 * 86400) * 1000, 1, 7, 'c', '/old.c', 3, 0, 0, 0), ((strftime('%s','now') - 20 * 86400) * 1000, 1, 8, 'c', '/recent.c', 3, 0, 0, 0)"
res=$(TACIT_STATS_KEEP_DAYS=30 python3 "$tmp/client.py" "$bin" 2 prune) || fail "session (prune): $res"
[ "$(sqlite3 "$db" "SELECT COUNT(*) FROM events WHERE file = '/old.c'")" = 0 ] || fail "the old event was kept"
[ "$(sqlite3 "$db" "SELECT COUNT(*) FROM events WHERE file = '/recent.c'")" = 1 ] || fail "a recent event was pruned"
rm -f "$db" "$db-wal" "$db-shm"

# four editors at once, 20 suggestions each
pids=()
for k in 1 2 3 4; do
    python3 "$tmp/client.py" "$bin" 20 "w$k" > "$tmp/res$k" 2>"$tmp/err$k" &
    pids+=($!)
done
want_shown=0
want_acc=0
for k in 1 2 3 4; do
    wait "${pids[$((k - 1))]}" || fail "session $k: $(cat "$tmp/err$k")"
    o=$(cat "$tmp/res$k")
    want_shown=$((want_shown + $(printf '%s' "$o" | jq '.outcomes.shown')))
    want_acc=$((want_acc + $(printf '%s' "$o" | jq '.outcomes.accepted')))
done
[ "$want_shown" -ge 40 ] || fail "too few suggestions shown ($want_shown)"
[ -f "$db" ] || fail "no store at $db"
j=$("$bin" stats --json) || fail "stats --json"
[ "$(printf '%s' "$j" | jq '.periods.all.total.shown')" = "$want_shown" ] || fail "shown: $want_shown wanted: $j"
[ "$(printf '%s' "$j" | jq '.periods.all.total.accepted')" = "$want_acc" ] || fail "accepted: $want_acc wanted"
[ "$(printf '%s' "$j" | jq '.periods.last_7_days.total.shown')" = "$want_shown" ] || fail "last 7 days"
[ "$(printf '%s' "$j" | jq '.periods.all.languages[0].language')" = '"python"' ] || fail "by language: $j"
[ "$(printf '%s' "$j" | jq '.periods.all.files | length')" = 4 ] || fail "by file: $j"
[ "$(printf '%s' "$j" | jq '[.periods.all.files[].shown] | add')" = "$want_shown" ] || fail "files add up"
[ "$(printf '%s' "$j" | jq '.periods.all.total.dismissed + .periods.all.total.accepted')" = "$want_shown" ] ||
    fail "every suggestion accepted or dismissed: $j"
# retention: the servers exited before 30 s, so every check is unknown
[ "$(printf '%s' "$j" | jq '.periods.all.total.retention["30s"].unknown')" = "$want_acc" ] || fail "retention unknown"
[ "$(printf '%s' "$j" | jq '.daily | length')" = 14 ] || fail "daily"

# the text report: Unicode bars in a UTF-8 locale, ASCII otherwise
txt=$(LC_ALL=C.UTF-8 "$bin" stats) || fail "stats"
printf '%s\n' "$txt" | grep -q '^  accepted .*█.*of '"$want_shown"' shown' || fail "no Unicode bar: $txt"
printf '%s\n' "$txt" | grep -q '^  python ' || fail "no language row: $txt"
printf '%s\n' "$txt" | grep -q '/w/w1.py' || fail "no file row: $txt"
printf '%s\n' "$txt" | grep -q '^last 7 days' || fail "no last 7 days: $txt"
for mode in "LC_ALL=C" "LC_ALL=C.UTF-8 --ascii"; do
    if [ "$mode" = "LC_ALL=C" ]; then a=$(LC_ALL=C "$bin" stats); else a=$(LC_ALL=C.UTF-8 "$bin" stats --ascii); fi
    printf '%s' "$a" | LC_ALL=C grep -q '[^ -~]' && fail "non-ASCII output with $mode"
    printf '%s\n' "$a" | grep -q '^  accepted  *[#.]* ' || fail "no ASCII bar with $mode: $a"
done

# a server killed with -9 mid-session leaves a readable store
python3 "$tmp/client.py" "$bin" 6 killed hold > "$tmp/res_k" 2>/dev/null &
cpid=$!
for _ in $(seq 300); do [ -s "$tmp/res_k" ] && break; sleep 0.1; done
[ -s "$tmp/res_k" ] || fail "the session to kill did not start"
spid=$(pgrep -P "$cpid" -f 'lsp --no-index' | head -1)
[ -n "$spid" ] && kill -9 "$spid"
kill "$cpid" 2>/dev/null
wait "$cpid" 2>/dev/null
"$bin" stats --json > /dev/null || fail "store unreadable after kill -9"
[ "$(sqlite3 "$db" 'PRAGMA integrity_check')" = ok ] || fail "integrity check after kill -9"

# a damaged store: a one-line error for stats; the server goes on answering
printf 'this is not a database, just text long enough for a header.........\n' > "$db"
rm -f "$db-wal" "$db-shm"
out=$("$bin" stats 2>&1) && fail "stats on a damaged store succeeded"
[ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] || fail "not one line: $out"
printf '%s' "$out" | grep -q 'not a SQLite database' || fail "message: $out"
res=$(python3 "$tmp/client.py" "$bin" 2 damaged) || fail "session with a damaged store: $res"
[ "$(printf '%s' "$res" | jq '.shown')" -gt 0 ] || fail "no suggestion with a damaged store"
grep -q 'not a database, just text' "$db" || fail "the damaged store was overwritten"
echo "stats_cli: ok"
