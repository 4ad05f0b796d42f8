#!/usr/bin/env bash
# shell_store.sh - the shell history store and its commands: several
# shells recording at once lose nothing; a recorder killed with -9 in the
# middle of a write leaves a readable store with every committed command;
# the bound, the off switch and ignore patterns; import of bash and zsh
# files (once, secrets skipped); eval on a generated history (tacit beats
# the baselines: 1.3x the most-recent-prefix top-1 after 2 characters,
# empty-line top-1 above both); clear one-line errors.
. "$(dirname "$0")/cli_lib.sh"
# The daemon started here exits within a second once its socket is gone.
trap 'rm -f "$tmp/state/tacit/shell.sock"; sleep 1.5; rm -rf "$tmp" 2>/dev/null || { sleep 2; rm -rf "$tmp"; }' EXIT
export HOME=$tmp/home XDG_DATA_HOME=$tmp/data XDG_STATE_HOME=$tmp/state ASAN_OPTIONS=detect_leaks=0
unset TACIT_SHELL_RECORD TACIT_SHELL_IGNORE TACIT_SHELL_DB TACIT_SHELL_MAX_ENTRIES TACIT_SHELL_SOCKET TACIT_SHELL_DAEMON
mkdir -p "$HOME"
db=$XDG_DATA_HOME/tacit/shell.db
count() { "$bin" shell export | tail -n +2 | wc -l; }

# ---- several shells at once ----
for s in 1 2 3 4 5 6; do
    ( for i in $(seq 1 25); do
        "$bin" shell record --cmd "echo s$s-$i" --cwd /tmp --status 0 --session $s || echo "record failed" >&2
    done ) &
done
wait
[ "$(count)" -eq 150 ] || fail "6 shells x 25 commands: $(count) rows"
for s in 1 2 3 4 5 6; do
    [ "$("$bin" shell export | grep -c $'\t'"echo s$s-")" -eq 25 ] || fail "session $s lost commands"
done
[ -f "$db-wal" ] || [ "$(sqlite3 "$db" 'PRAGMA journal_mode')" = wal ] || fail "the store is not in WAL mode"

# ---- kill -9 mid-write ----
# A big import (one transaction) killed in the middle, and recorders killed
# at random moments, while others complete: the store stays readable and
# every recorder that finished is there.
awk 'BEGIN { for (i = 0; i < 300000; i++) printf "echo bulk-%d\n", i }' > "$tmp/big"
"$bin" shell import "$tmp/big" >/dev/null 2>&1 &
ipid=$!
# Kill it once its transaction is spilling pages into the WAL.
for i in $(seq 1 600); do
    [ "$(stat -c %s "$db-wal" 2>/dev/null || echo 0)" -gt 3000000 ] && break
    sleep 0.02
done
kill -9 $ipid 2>/dev/null
wait $ipid 2>/dev/null
[ "$(count)" -eq 150 ] || fail "a killed import left rows: $(count)"
[ "$(sqlite3 "$db" 'PRAGMA integrity_check')" = ok ] || fail "integrity_check after killing an import" 
done_ok=()
{ for i in $(seq 1 30); do
    "$bin" shell record --cmd "echo kept-$i" --session 9 &
    p=$!
    "$bin" shell record --cmd "echo maybe-$i" --session 10 &
    q=$!
    sleep 0.0$((RANDOM % 5))
    kill -9 $q 2>/dev/null
    wait $p && done_ok+=("$i")
    wait $q
done; } 2>/dev/null
"$bin" shell export > "$tmp/after" || fail "the store is unreadable after kill -9"
[ "$(sqlite3 "$db" 'PRAGMA integrity_check')" = ok ] || fail "integrity_check after kill -9"
for i in "${done_ok[@]}"; do grep -q $'\t'"echo kept-$i\$" "$tmp/after" || fail "a committed command was lost: kept-$i"; done
[ ${#done_ok[@]} -eq 30 ] || fail "recorders not killed failed: ${#done_ok[@]} of 30"
[ "$(grep -c $'\t'"echo s1-" "$tmp/after")" -eq 25 ] || fail "older rows lost"

# ---- the bound, the off switch, ignore patterns ----
rm -rf "$XDG_DATA_HOME"
for i in $(seq 1 200); do printf 'echo n%d\n' "$i"; done > "$tmp/many"
TACIT_SHELL_MAX_ENTRIES=100 "$bin" shell import "$tmp/many" >/dev/null || fail "import many"
n=$(count)
[ "$n" -eq 100 ] || fail "bound 100: $n rows"
"$bin" shell export | tail -1 | grep -q 'echo n200$' || fail "the newest row was pruned"
"$bin" shell export | grep -q $'\t''echo n100$' && fail "an old row survived the bound"
TACIT_SHELL_RECORD=off "$bin" shell record --cmd "echo off" || fail "record off: exit"
TACIT_SHELL_IGNORE='ls*:echo ign*' "$bin" shell record --cmd "echo ignored" || fail "record ignored: exit"
"$bin" shell record --cmd " echo spaced" || fail "record spaced: exit"
"$bin" shell record --cmd "mysql -u root -pS3cretPass db" || fail "record secret: exit"
TACIT_SHELL_CMD="echo via-env" "$bin" shell record || fail "record from the environment"
"$bin" shell export | grep -q $'\t''echo via-env$' || fail "TACIT_SHELL_CMD was not recorded"
"$bin" shell export | grep -qE 'echo off|echo ignored|spaced|S3cret' && fail "recorded what must not be"

# ---- import ----
rm -rf "$XDG_DATA_HOME"
printf '#1700000000\ngit status\n#1700000100\ncurl -H "Authorization: Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0" x\n#1700000200\nmake\n' \
    > "$HOME/.bash_history"
printf ': 1700000300:2;make test\n: 1700000400:0;for f in a b; do\\\necho $f\\\ndone\n' > "$HOME/.zsh_history"
out=$("$bin" shell import) || fail "import: $out"
echo "$out" | grep -q '.bash_history (bash): 2 commands imported, 1 skipped (secret 1' || fail "bash import: $out"
echo "$out" | grep -q '.zsh_history (zsh): 2 commands imported' || fail "zsh import: $out"
"$bin" shell export | grep -q $'^1700000100\t' && fail "the secret was imported"
"$bin" shell export | grep -q $'^1700000300\t.*make test$' || fail "zsh time lost"
out=$("$bin" shell import 2>&1)
echo "$out" | grep -q 'imported before' || fail "second import not refused: $out"
[ "$(count)" -eq 4 ] || fail "second import added rows"
[ "$("$bin" shell suggest --prefix 'git s' --cwd /)" = "git status" ] || fail "suggest after import"

# ---- the daemon and the one-shot agree; the daemon sees new commands ----
for c in "make" "vim parse.c" "make" "./app" "git add -p" "git commit" "make" "vim lexer.c" "make" "./app"; do
    "$bin" shell record --cmd "$c" --status $([ "$c" = make ] && echo $((RANDOM % 2 * 2)) || echo 0) --session 5 --cwd /
done
"$bin" shell daemon --detach --idle 30 || fail "daemon --detach"
for i in $(seq 1 100); do [ -S "$XDG_STATE_HOME/tacit/shell.sock" ] && break; sleep 0.1; done
[ -S "$XDG_STATE_HOME/tacit/shell.sock" ] || fail "no daemon socket"
"$bin" shell daemon --detach || fail "a second daemon --detach"
for q in "--prefix=" "--prefix=m" "--prefix=vim" "--prev=make" "--prev=git add -p" "--prefix=git s"; do
    # shellcheck disable=SC2086
    a=$("$bin" shell suggest -n 5 --cwd / "$q" 2>&1); b=$("$bin" shell suggest --no-daemon -n 5 --cwd / "$q" 2>&1)
    [ "$a" = "$b" ] || fail "daemon and one-shot differ for $q: '$a' vs '$b'"
done
"$bin" shell record --cmd "echo brand-new-command" --cwd /
[ "$("$bin" shell suggest --prefix 'echo br' --cwd /)" = "echo brand-new-command" ] || fail "the daemon missed a new command"
# Recording through the daemon (what zsh does): the same filter applies.
S=$XDG_STATE_HOME/tacit/shell.sock zsh -f -c '
    zmodload zsh/net/socket
    us=$'"'"'\x1f'"'"'
    for c in "echo via-daemon" "export GH_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789" "ls -la"; do
        zsocket $S || exit 1
        print -rn -u $REPLY -- "R${us}0${us}5${us}1700000000.5${us}77${us}/tmp${us}ls*${us}$c"$'"'"'\n'"'"'
        IFS= read -r -u $REPLY line
        exec {REPLY}>&-
    done' || fail "zsh could not talk to the daemon"
"$bin" shell export | grep -q $'^1700000000.500\t5\t0\t77\t/tmp\t.*echo via-daemon$' || fail "the daemon did not record"
"$bin" shell export | grep -qE 'ghp_|ls -la' && fail "the daemon recorded a secret or an ignored command"
# The store deleted under the daemon: it starts a new one, and records there.
rm -f "$XDG_DATA_HOME/tacit/shell.db" "$XDG_DATA_HOME/tacit/shell.db-wal" "$XDG_DATA_HOME/tacit/shell.db-shm"
[ -z "$("$bin" shell suggest --prefix 'echo br' --cwd /)" ] || fail "the daemon still suggests from a deleted store"
"$bin" shell record --cmd "echo after-delete" --cwd /
[ "$("$bin" shell suggest --prefix 'echo af' --cwd /)" = "echo after-delete" ] || fail "the daemon lost the new store"
rm -f "$XDG_STATE_HOME/tacit/shell.sock"

# ---- eval on a generated history ----
python3 bench/shell_history.py --seed 7 --commands 1500 > "$tmp/gen.tsv" || fail "generator"
js=$("$bin" shell eval --json "$tmp/gen.tsv") || fail "eval"
python3 - "$js" <<'PY' || fail "eval figures: $js"
import json, sys
j = json.loads(sys.argv[1])
t, r, f = j["tacit"], j["recent"], j["frequent"]
assert j["commands"] == 1500, j
assert t["pre2_top1"] >= 1.3 * r["pre2_top1"], (t, r)
assert t["empty_top1"] > r["empty_top1"] and t["empty_top1"] > f["empty_top1"], (t, r, f)
assert t["pre2_top3"] >= t["pre2_top1"]
PY
python3 bench/shell_history.py --seed 7 --commands 300 --format zsh > "$tmp/gen.zsh"
"$bin" shell eval "$tmp/gen.zsh" | grep -q '(zsh): 300 commands' || fail "eval of a zsh file"
"$bin" shell eval --store | grep -q '^store (tacit): 1 commands' || fail "eval of the store (one command since it was deleted): $("$bin" shell eval --store)"

# ---- errors: one line, the right exit status ----
"$bin" shell > /dev/null 2>&1; [ $? -eq 2 ] || fail "shell without a subcommand"
"$bin" shell init fish > /dev/null 2>&1; [ $? -eq 2 ] || fail "shell init fish"
"$bin" shell record > /dev/null 2>&1; [ $? -eq 2 ] || fail "record without --cmd"
"$bin" shell eval "$tmp/none" > /dev/null 2>&1; [ $? -eq 1 ] || fail "eval of a missing file"
printf 'not a database at all, just some text that is long enough to look at' > "$tmp/bad.db"
err=$(TACIT_SHELL_DB=$tmp/bad.db "$bin" shell record --cmd ls 2>&1); rc=$?
[ $rc -eq 1 ] && [ "$(echo "$err" | wc -l)" -eq 1 ] && echo "$err" | grep -q 'bad.db' || fail "bad store: $rc $err"
"$bin" shell init zsh | grep -q "_tacit_bin='$bin'" || fail "init zsh names the binary"
"$bin" shell init bash | bash -n || fail "init bash: syntax"
"$bin" shell init zsh | zsh -n || fail "init zsh: syntax"
echo "shell_store: ok"
