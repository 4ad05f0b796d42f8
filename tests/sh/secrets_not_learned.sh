#!/usr/bin/env bash
# secrets_not_learned.sh - issue 9, item 5: secret files are never indexed
# and secret values in ordinary files are never suggested. A repository
# holds settings.py with SECRET_KEY, a .env with AWS_SECRET_ACCESS_KEY,
# id_rsa and credentials.json, and the same lines repeated often enough in
# ordinary files for the model to be sure; typing the start of those lines
# in a new buffer must never bring the values back.
set -eu
BIN=${TACIT_TEST_BIN:-build/dbg/tacit}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
R=$T/repo
mkdir -p "$R/app" "$R/.ssh"
KEY=a8f5f167f44f4964e6c998dee827110c
AWS=wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ7kWp9sTa
for i in 1 2 3 4 5 6; do
    printf 'import os\nDEBUG = True\nSECRET_KEY = "%s"\nALLOWED_HOSTS = []\n' "$KEY" >"$R/app/settings$i.py"
    printf 'export REGION=eu-west-1\nexport AWS_SECRET_ACCESS_KEY=%s\nexport BUCKET=data\n' "$AWS" >"$R/app/deploy$i.sh"
done
printf 'AWS_SECRET_ACCESS_KEY=%s\nDB_PASS=hunter2hunter2\n' "$AWS" >"$R/.env"
printf -- '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU\n-----END OPENSSH PRIVATE KEY-----\n' >"$R/.ssh/id_rsa"
printf '{"client_secret": "GOCSPX-abcdefghijklmnopqrstuvwx", "token": "zz9Yq8Xr7Ws6Vt5Uu4"}\n' >"$R/credentials.json"
C=$T/cache
"$BIN" index "$R" --cache-dir "$C" --stats >"$T/stats" 2>&1
# the three secret files are skipped as "secret", never read
grep -Eq '^  secret +3$' "$T/stats" || { echo "FAIL: secret files not counted as skipped"; cat "$T/stats"; exit 1; }
# nothing of theirs is in the index
if grep -rqa -e "$KEY" -e "wJalrXUtnFEMI" -e "hunter2hunter2" -e "b3BlbnNzaC1rZXkt" -e "zz9Yq8Xr7" "$C"; then
    echo "FAIL: a secret value is in the index"; exit 1
fi
# typing the start of the lines never suggests the values
check() { # FILE CONTENT LINE COL
    printf '%s' "$2" >"$R/$1"
    out=$("$BIN" complete "$R/$1:$3:$4" --root "$R" --cache-dir "$C" 2>&1 || true)
    case $out in
    *"$KEY"* | *wJalrXUtnFEMI* | *hunter2* | *b3BlbnNz* | *zz9Yq8Xr7*)
        echo "FAIL: $1 at $3:$4 suggested a secret: $out"; exit 1 ;;
    esac
}
check app/new.py $'import os\nDEBUG = True\nSECRET_KEY = "' 3 15
check app/new2.py $'import os\nDEBUG = True\nSECRET_KEY = ' 3 14
check app/new.sh $'export REGION=eu-west-1\nexport AWS_SECRET_ACCESS_KEY=' 2 30
check new.env 'AWS_SECRET_ACCESS_KEY=' 1 23
check new2.env 'DB_PASS=' 1 9
# ordinary lines are still learned: the model completes the line after
out=$("$BIN" complete "$R/app/new3.py:2:1" --root "$R" --cache-dir "$C" --buffer - 2>/dev/null <<<$'import os\nDEB' || true)
case $out in *"UG = True"* | *"= True"*) ;; *) echo "FAIL: ordinary code no longer suggested (got '$out')"; exit 1 ;; esac
# the settings' privacy.secret_files are honoured by `tacit index` too
mkdir -p "$R/infra"
printf 'region = "eu-west-1"\nnote = "vaultdata-canary-7f3a"\n' >"$R/infra/prod.vault-data"
printf '[privacy]\nsecret_files = *.vault-data\n' >"$T/config.ini"
TACIT_CONFIG=/dev/null "$BIN" index "$R" --cache-dir "$T/cache1" --stats >"$T/stats1" 2>&1
TACIT_CONFIG=$T/config.ini "$BIN" index "$R" --cache-dir "$T/cache2" --stats >"$T/stats2" 2>&1
n1=$(awk '$1 == "secret" {print $2}' "$T/stats1")
n2=$(awk '$1 == "secret" {print $2}' "$T/stats2")
[ -n "$n1" ] && [ "$n2" = $((n1 + 1)) ] || { echo "FAIL: privacy.secret_files not honoured by index ($n1 -> $n2)"; exit 1; }
if grep -rqa -e "vaultdata-canary-7f3a" "$T/cache2"; then echo "FAIL: a configured secret file was indexed"; exit 1; fi
# a settings file that cannot be read is an error, not silently ignored
mkfifo "$T/fifo.ini"
if TACIT_CONFIG=$T/fifo.ini timeout 10 "$BIN" index "$R" --cache-dir "$T/cache3" >"$T/err3" 2>&1; then
    echo "FAIL: index with an unreadable settings file succeeded"; exit 1
fi
grep -q "not a regular file" "$T/err3" || { echo "FAIL: no clear message: $(cat "$T/err3")"; exit 1; }
echo "ok"
