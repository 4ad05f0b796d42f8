#!/usr/bin/env bash
# hostile_tree.sh - property test (issue 9): random hostile workspaces
# through the real binary. Each round builds a tree from a seed: symlink
# loops and escapes (to a canary folder outside the root, to /dev/zero, to
# /etc), FIFOs and sockets (some named .gitignore, .tacitignore,
# .git/info/exclude), a chain of 1,100-2,600 folders (paths past PATH_MAX),
# odd names (newlines, invalid UTF-8, glob characters, 255 bytes), and files
# and folders vanishing or turning into symlinks while the index runs. Then:
#   - no crash and no hang: `tacit index` (full, incremental and --only
#     through symlinked folders) exits 0 within its timeout;
#   - nothing outside the root is read: the canary token never reaches the
#     index, and (with strace) no open outside the root, no relative open
#     without O_NOFOLLOW, no blocking open of a FIFO;
#   - FIFOs and sockets are counted as "not regular" by --stats.
# HOSTILE_SEED=N replays one run; HOSTILE_ROUNDS sets the number of rounds.
set -eu
cd "$(dirname "$0")/../.."
bin=${TACIT_TEST_BIN:-build/dbg/tacit}
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
seed=${HOSTILE_SEED:-$(( $(date +%s) % 100000 ))}
rounds=${HOSTILE_ROUNDS:-4}
tmp=$(mktemp -d)
churn_pid=
cleanup() {
    [ -n "$churn_pid" ] && { touch "$tmp/stop"; wait "$churn_pid" 2>/dev/null; }
    chmod -R u+rwx "$tmp" 2>/dev/null
    rm -rf "$tmp" 2>/dev/null || { sleep 1; rm -rf "$tmp"; }
}
trap cleanup EXIT
fail() { echo "hostile_tree (seed $seed, round $round): $*" >&2; exit 1; }
out=$tmp/outside
canary=zqcanary${seed}x
mkdir -p "$out/sub"
for f in secret.c sub/key.py .gitignore passwd; do
    printf 'int %s_%s = 1;\n%s = "%s"\n' "$canary" "${f//[^a-z]/}" "$canary" "$canary" > "$out/$f"
done
have_strace=0
command -v strace > /dev/null 2>&1 && strace -f -o /dev/null true 2> /dev/null && have_strace=1
echo "seed $seed, $rounds rounds, strace: $have_strace"

for round in $(seq 1 "$rounds"); do
    ws=$tmp/ws$round
    cache=$tmp/cache$round
    mkdir -p "$ws"
    python3 - "$ws" "$out" "$((seed * 100 + round))" "$canary" <<'EOF'
import os, random, socket, sys
ws, out, seed, canary = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
r = random.Random(seed)
W = os.fsencode(ws)
dirs = [b""]
def j(*p): return os.path.join(W, *p)
def ident(): return "".join(r.choice("abcdefghij") for _ in range(8))
# ordinary source files in a random folder tree
for i in range(r.randint(20, 60)):
    d = r.choice(dirs)
    if r.random() < 0.3:
        nd = os.path.join(d, b"d%d" % i) if d else b"d%d" % i
        os.makedirs(j(nd), exist_ok=True)
        dirs.append(nd)
        d = nd
    ext = r.choice([b".c", b".py", b".go", b".js", b".sh", b".txt"])
    with open(j(d, b"f%d%s" % (i, ext)), "w") as f:
        f.write("int %s = %s;\n" % (ident(), ident()) * r.randint(1, 30))
odd = [b"new\nline.c", b"\xff\xfe bad utf8.c", b"-dash.py", b"sp ace.c", b"back\\slash.c",
       b"glob*?[x].c", b"a" * 250 + b".c", b"#hash.c", b"!bang.c", b"tab\there.py"]
for name in r.sample(odd, r.randint(3, len(odd))):
    with open(j(r.choice(dirs), name), "w") as f:
        f.write("int %s;\n" % ident())
# symlinks: escapes, loops, devices, dangling
targets = [out, os.path.join(out, "secret.c"), os.path.join(out, "sub"), "/dev/zero", "/etc",
           "/etc/passwd", "..", "../..", ".", "loop_self", "nowhere/at/all", "/proc/self/root",
           "/dev/stdin"]
for i in range(r.randint(5, 15)):
    name = r.choice([b"lnk%d" % i, b"lnk%d.c" % i, b"lnk%d.py" % i, b".gitignore", b".tacitignore"])
    p = j(r.choice(dirs), name)
    if not os.path.lexists(p):
        t = r.choice(targets)
        os.symlink(t if t != "loop_self" else os.path.basename(p), p)
a, b = j(b"loop_a"), j(b"loop_b")
os.symlink("loop_b", a); os.symlink("loop_a", b)
# FIFOs and sockets, some where rule files are read
os.makedirs(j(b".git", b"info"), exist_ok=True)
specials = 0
for p in [j(b".git", b"info", b"exclude")] + [j(r.choice(dirs), n) for n in
          r.sample([b".gitignore", b".tacitignore", b"pipe.py", b"fifo.c", b"x.js"], 3)]:
    if not os.path.lexists(p):
        os.mkfifo(p)
        specials += b".git/" not in p
s = socket.socket(socket.AF_UNIX)
sp = j(b"sock.py")
if len(sp) < 100:
    s.bind(sp); specials += 1
s.close()
# a deep chain, made relative to folder fds (past PATH_MAX)
fd = os.open(ws, os.O_RDONLY)
for i in range(r.randint(1100, 2600)):
    os.mkdir("c", dir_fd=fd)
    nfd = os.open("c", os.O_RDONLY, dir_fd=fd); os.close(fd); fd = nfd
    if i % 500 == 499:
        os.symlink(out, "esc", dir_fd=fd)
f = os.open("deep.c", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
os.write(f, b"int deepest_symbol;\n"); os.close(f)
os.close(fd)
# an unreadable file and folder
with open(j(b"noperm.c"), "w") as f: f.write("int x;\n")
os.chmod(j(b"noperm.c"), 0)
open(os.path.join(ws, "specials"), "w").write(str(specials))
EOF
    specials=$(cat "$ws/specials")
    rm -f "$ws/specials"
    # churn: files and folders vanish, reappear, turn into symlinks out
    # (stopped by a file, not a signal: a killed loop can leave a mkdir or
    # printf running that recreates churn/ after the rm below)
    rm -f "$tmp/stop"
    (
        i=0
        while [ ! -e "$tmp/stop" ]; do
            i=$((i + 1))
            mkdir -p "$ws/churn/a" 2> /dev/null && printf 'int churn_%d;\n' "$i" > "$ws/churn/a/f.c" 2> /dev/null
            rm -rf "$ws/churn" 2> /dev/null
            ln -s "$out" "$ws/churn" 2> /dev/null
            rm -f "$ws/churn" 2> /dev/null
            ln -sf "$out/secret.c" "$ws/flip.c" 2> /dev/null
            rm -f "$ws/flip.c"; printf 'int flip;\n' > "$ws/flip.c" 2> /dev/null
        done
    ) &
    churn_pid=$!
    run() { # label, args...: exit 0 within the timeout, no sanitizer report
        local label=$1 rc=0
        shift
        timeout "${HOSTILE_TIMEOUT:-180}" "$@" > "$tmp/out.txt" 2> "$tmp/err.txt" || rc=$?
        [ "$rc" -eq 124 ] && fail "$label hung (timeout)"
        [ "$rc" -eq 0 ] || { cat "$tmp/err.txt" >&2; fail "$label exited $rc"; }
        if grep -q 'AddressSanitizer\|runtime error' "$tmp/err.txt"; then cat "$tmp/err.txt" >&2; fail "$label: sanitizer"; fi
    }
    run "full index" "$bin" index --stats --cache-dir "$cache" "$ws"
    touch "$tmp/stop"; wait "$churn_pid" 2> /dev/null || true
    churn_pid=
    rm -rf "$ws/churn" "$ws/flip.c"
    grep -q '^  not regular' "$tmp/out.txt" || fail "--stats lacks the 'not regular' line"
    run "second index" "$bin" index --stats --cache-dir "$cache" "$ws"
    n=$(sed -n 's/^  not regular *//p' "$tmp/out.txt")
    [ "$n" -eq "$specials" ] || fail "not regular: $n, expected $specials"
    # --only through symlinked folders and out of the root
    only=()
    for p in $(cd "$ws" && find . -maxdepth 2 -type l -printf '%P\n' | head -20); do
        only+=(--only "$p/secret.c" --only "$p" --only "$p/sub/key.py")
    done
    run "--only" "$bin" index -q --cache-dir "$cache" "$ws" --only ../outside/secret.c --only /etc/passwd "${only[@]}"
    if [ "$have_strace" = 1 ]; then
        rm -rf "$cache"
        ASAN_OPTIONS=detect_leaks=0 timeout 300 strace -f -qq -e trace=open,openat,openat2 -o "$tmp/strace.txt" \
            "$bin" index -q --cache-dir "$cache" "$ws" > /dev/null 2>&1 || fail "index under strace failed"
        # absolute opens: only the root, the cache and the system's own files
        bad=$(grep -E 'open(at|at2)?\((AT_FDCWD, )?"/' "$tmp/strace.txt" | grep -v ' = -1' |
              grep -vE "\"($ws|$cache|/etc/ld\.so|/lib|/usr/lib|/proc/|/sys/|/dev/null|/dev/urandom|/etc/localtime|/usr/share/zoneinfo)" || true)
        [ -z "$bad" ] || fail "opened outside the root: $bad"
        # relative opens: never one that follows a symlink
        bad=$(grep -E 'openat\([0-9]+, "' "$tmp/strace.txt" | grep -v 'O_NOFOLLOW' | grep -v '"\.\."' | grep -v '"\."' || true)
        [ -z "$bad" ] || fail "relative open without O_NOFOLLOW: $bad"
        bad=$(grep -E 'openat2\(' "$tmp/strace.txt" | grep -v 'RESOLVE_NO_SYMLINKS' || true)
        [ -z "$bad" ] || fail "openat2 that may follow a symlink: $bad"
        # every successful open of a file for reading is non-blocking
        bad=$(grep -E 'O_RDONLY' "$tmp/strace.txt" | grep -v ' = -1' | grep -vE 'O_NONBLOCK|O_DIRECTORY|O_PATH' |
              grep -vE "\"($cache|/etc/ld\.so|/lib|/usr/lib|/proc/|/sys/)" || true)
        [ -z "$bad" ] || fail "blocking open: $bad"
    fi
    # the canary never reached the index (or the model)
    if grep -rqa "$canary" "$cache"; then fail "the canary from outside the root is in the index"; fi
    grep -rqa deepest_symbol "$cache" || fail "the deepest file was not indexed"
    chmod -R u+rwx "$ws"
    rm -rf "$ws" "$cache"
done
echo "ok: $rounds hostile trees (seed $seed)"
