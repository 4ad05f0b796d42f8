#!/usr/bin/env bash
# vim_latency.sh - last key -> ghost text on screen, in real Vim (editors/vim)
# in tmux, against `tacit lsp` on a git repository of Python standard library
# files (as tests/sh/vim_e2e.sh).
#
# usage: bash bench/vim_latency.sh [TRIALS]   (default 40; TACIT_BIN=...)
#
# Each trial empties the line (S), types a prefix but its last character,
# hides what that showed (<C-]>) and waits until the screen has it and no
# ghost text, then sends the last character with
# `tmux send-keys` and polls `capture-pane -e` until the ghost text's grey
# (TacitSuggestion, colour 244) is drawn. The reference, measured in the
# same trials: last key -> that character on screen (the terminal path
# alone: tmux, Vim's redraw, the capture). The plugin's debounce (75 ms, the
# default) is part of the figure, as a user sees it. The server runs with
# threshold 0 (every trial draws a ghost text).
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
bin=${TACIT_BIN:-$repo/build/tacit}
trials=${1:-40}
. "$repo/tests/sh/vim_lib.sh"
vt_bin=$bin
vt_need
tmp=$(mktemp -d)
trap 'vt_cleanup "$tmp"' EXIT
vt_home "$tmp"
vt_python_repo "$tmp/ws"
vt_vimrc "$tmp/vimrc" "let g:tacit.init_options = {'threshold': 0}"
vt_start "$tmp/ws" "$tmp/vimrc" tool.py
python3 - "$vt_sock" "$trials" <<'PY'
import re, subprocess, sys, time
sock, trials = sys.argv[1], int(sys.argv[2])
def tm(*a):
    return subprocess.run(["tmux", "-L", sock] + list(a), capture_output=True, text=True).stdout
def screen(e=False):
    return tm("capture-pane", "-p", "-t", "vim", *(["-e"] if e else []))
def wait(pred, secs):
    end = time.perf_counter() + secs
    while time.perf_counter() < end:
        if pred():
            return True
        time.sleep(0.002)
    return False
if not wait(lambda: "[ready]" in screen(), 30):
    sys.exit("the server did not get ready in 30 s")
tm("send-keys", "-t", "vim", "G", "o")
# Prefixes at the end of tool.py; the last character is timed. The server
# runs with threshold 0, so that each trial draws a ghost text (the default
# threshold keeps quiet after most of these short prefixes).
prefixes = ["if __name__ == ", "def main", "try", "import ", "for i in ", "print(", "class ", "while "]
ghost, echo, missed = [], [], 0
for i in range(trials):
    p = prefixes[i % len(prefixes)]
    tm("send-keys", "-t", "vim", "Escape", "S")
    tm("send-keys", "-t", "vim", "-l", p[:-1])
    time.sleep(0.25)  # the shorter prefix's own request settles
    tm("send-keys", "-t", "vim", "C-]")  # and its ghost text is hidden
    if not wait(lambda: p[:-1].rstrip() in screen() and "38;5;244m" not in screen(True), 5):
        missed += 1
        continue
    t0 = time.perf_counter()
    tm("send-keys", "-t", "vim", "-l", p[-1])
    t_echo = None
    while time.perf_counter() - t0 < 3:
        s = screen(True)
        now = time.perf_counter()
        if t_echo is None and p.rstrip() in re.sub(r"\x1b\[[0-9;]*m", "", s):
            t_echo = now
        if "38;5;244m" in s and t_echo is not None:
            ghost.append((now - t0) * 1000)
            echo.append((t_echo - t0) * 1000)
            break
    else:
        missed += 1
def pct(v, q):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(q * (len(v) - 1))))]
if not ghost:
    sys.exit("no ghost text in any trial")
print(f"trials {trials}, ghost text shown in {len(ghost)} ({missed} without)")
print(f"last key -> ghost text on screen: p50 {pct(ghost, .5):.0f} ms, p90 {pct(ghost, .9):.0f} ms")
print(f"reference, last key -> the key's character on screen: p50 {pct(echo, .5):.0f} ms, p90 {pct(echo, .9):.0f} ms")
print(f"ratio (p50): {pct(ghost, .5) / max(pct(echo, .5), 0.001):.1f}x; the plugin's debounce is 75 ms")
PY
vt_keys Escape : 'qa!' Enter
