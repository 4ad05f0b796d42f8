#!/usr/bin/env bash
# nvim_latency.sh - last key -> ghost text on the screen, in Neovim, in a
# real terminal (tmux), with the plugin's defaults (75 ms debounce).
#
#   bash bench/nvim_latency.sh [SAMPLES]      (default 40)
#
# The threshold is 0 (BENCH_THRESHOLD=T for another) so that most samples
# show a ghost: the gate does not change the work, only whether it shows.
# Asking on entering insert mode is off, so that no ghost is shown before
# the burst (one to type through would show at once).
#
# Workspace: 18 modules of the Python standard library in a git repository
# (as tests/sh/nvim_e2e.sh); Neovim edits a new file in it. Each sample
# clears the line in insert mode (S), dismisses what was suggested there
# (<C-]>), waits, then types the first half of a
# line of the workspace (seeded sample; code lines of 10+ characters) in one
# burst: its last byte is "the last key". A Python driver sends the keys
# through a tmux control-mode client (no process started per key) and reads
# what Neovim writes to the terminal (tmux pipe-pane into a FIFO): the time
# runs from writing send-keys to tmux until the ghost text's colour
# (TacitSuggestion, 38;5;244) arrives in Neovim's output. Samples without a
# suggestion within 2 s are counted, not timed. Reference, same run: the
# plugin's own request-to-reply times (require('tacit').latencies: the LSP
# round trip, the server's work included), so that ghost - round trip -
# debounce is what Neovim, the plugin and tmux add.
set -eu
cd "$(dirname "$0")/.."
repo=$PWD
n=${1:-40}
make -s build/tacit
bin=$repo/build/tacit
for c in nvim tmux git python3; do command -v "$c" >/dev/null || { echo "need $c" >&2; exit 1; }; done

tmp=$(mktemp -d)
sock=tacit-nvim-bench-$$
T() { tmux -L "$sock" -f /dev/null "$@"; }
trap 'T kill-server 2>/dev/null || true; sleep 0.3; rm -rf "$tmp"' EXIT
export TACIT_CACHE_DIR=$tmp/cache XDG_CONFIG_HOME=$tmp/xdg/config XDG_DATA_HOME=$tmp/xdg/data \
       XDG_STATE_HOME=$tmp/xdg/state XDG_CACHE_HOME=$tmp/xdg/cache
ws=$tmp/ws
mkdir -p "$ws"
for f in argparse ast shlex textwrap configparser csv dataclasses tabnanny \
         pdb profile pstats trace timeit tokenize uu quopri base64 py_compile; do
    cp "/usr/lib/python3.11/$f.py" "$ws/"
done
git -C "$ws" init -q && git -C "$ws" add -A && git -C "$ws" -c user.name=t -c user.email=t@example.com commit -qm init
printf 'import sys\n\n' > "$ws/new.py"
cat > "$tmp/init.lua" <<LUA
vim.opt.runtimepath:prepend('$repo/editors/nvim')
vim.o.swapfile = false
require('tacit').setup({ cmd = { '$bin', 'lsp' }, trigger_on_insert_enter = false,
  init_options = { threshold = tonumber(os.getenv('BENCH_THRESHOLD') or '0') } })
LUA
printf 'import sys\n\n' > "$ws/new.py"
mkfifo "$tmp/out"
T new-session -d -s main -x 120 -y 40 -e TERM=tmux-256color "cd '$ws' && exec nvim -u '$tmp/init.lua' -i NONE -n new.py"
T set-option -t main escape-time 10 >/dev/null
T pipe-pane -t main -o "cat > '$tmp/out'"
python3 - "$n" "$sock" "$tmp" "$ws" <<'PY'
import os, random, subprocess, sys, threading, time
n, sock, tmp, ws = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
GHOST = b"\x1b[38;5;244m"
lines = []
for f in sorted(os.listdir(ws)):
    if f.endswith(".py") and f != "new.py":
        lines += [l.strip() for l in open(os.path.join(ws, f), errors="replace")
                  if len(l.strip()) >= 10 and not l.strip().startswith(("#", '"', "'"))]
random.seed(1)
prefixes = [l[:max(3, len(l) // 2)] for l in random.sample(lines, n)]
seen = []  # (time, chunk) of Neovim's output
lock = threading.Lock()
def reader():
    with open(os.path.join(tmp, "out"), "rb", buffering=0) as f:
        while True:
            b = f.read(65536)
            if not b:
                return
            with lock:
                seen.append((time.monotonic(), b))
threading.Thread(target=reader, daemon=True).start()
ctl = subprocess.Popen(["tmux", "-L", sock, "-f", "/dev/null", "-C", "attach", "-t", "main"],
                       stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
def send(*args):
    ctl.stdin.write((" ".join(args) + "\n").encode())
    ctl.stdin.flush()
def q(s):
    return "'" + s.replace("'", "'\\''") + "'"
time.sleep(3)  # the server starts and indexes the workspace
send("send-keys -t main G o")
time.sleep(0.5)
ms, none = [], 0
for p in prefixes:
    send("send-keys -t main Escape S")
    time.sleep(0.4)
    send("send-keys -t main C-]")  # dismiss the ghost asked for the empty line
    time.sleep(0.15)
    with lock:
        seen.clear()
    t0 = time.monotonic()
    send("send-keys -t main -l -- " + q(p))
    hit = None
    while time.monotonic() - t0 < 2 and hit is None:
        time.sleep(0.0005)
        with lock:
            buf = b""
            for t, b in seen:
                buf += b
                if GHOST in buf:
                    hit = t
                    break
    if hit is None:
        none += 1
    else:
        ms.append((hit - t0) * 1000)
send("send-keys -t main Escape")
rt = os.path.join(tmp, "rt")
send("send-keys -t main " + q(":lua vim.fn.writefile(vim.tbl_map(function(x) return string.format('%.3f', x) end, "
     "require('tacit').latencies), '" + rt + "')") + " Enter")
for _ in range(50):
    if os.path.exists(rt) and os.path.getsize(rt):
        break
    time.sleep(0.1)
ctl.stdin.close()
def pct(v, q):
    v = sorted(v)
    return v[min(len(v) - 1, max(0, int(q * len(v) + 0.5) - 1))] if v else float("nan")
rts = [float(x) for x in open(rt).read().split()] if os.path.exists(rt) else []
print(f"{len(ms)} samples with a ghost, {none} without one within 2 s")
print(f"last key -> ghost text on screen: p50 {pct(ms, .5):.1f} ms, p90 {pct(ms, .9):.1f} ms")
print(f"reference, the plugin's request -> reply (LSP round trip, {len(rts)} requests): "
      f"p50 {pct(rts, .5):.1f} ms, p90 {pct(rts, .9):.1f} ms; debounce 75 ms")
PY
echo "Neovim $(nvim --version | head -1 | cut -d' ' -f2), tmux $(tmux -V | cut -d' ' -f2), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
