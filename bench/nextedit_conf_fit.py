#!/usr/bin/env python3
"""Fit the next-edit confidence (src/edit/sites.c, tc_edit_conf) on the
offers of some histories and check it on the others.

  tacit eval --next-edits --history 100 --root R --features F.tsv   (per history)
  python3 bench/nextedit_conf_fit.py F.tsv [--fit NAME,NAME,...] [--l2 X]
      [--base sites.c --only FEAT,...,bias]

Each line of F.tsv: root, rule number, 1 if the offer was right, then the
evidence TC_EDIT_F_* (src/edit/edit.h). A logistic regression (no numpy:
Newton's method, ridge --l2 on the weights, default 1) is fitted on the offers of the --fit
histories (matched against the root's last path part); the threshold is
the lowest confidence with precision >= 0.9 there; precision and the right
offers kept are printed where it was fitted, where it was not, and for
each history left out in turn. The weights are printed as C to paste into
sites.c.
--base and --only: only the named weights are fitted (the others stay
those of the sites.c given), e.g. the kinds added since a fit.
"""
import math
import sys

KINDS = ["rename", "call", "insert", "block", "literal", "tokens", "top", "lint", "template", "delete", "member"]
FEATS = KINDS + ["base", "left", "right", "left3", "right3",
         "head", "callee", "file", "near", "dir", "confirmed", "two", "names", "names_near", "many"]


def load(paths):
    rows = []
    for p in paths:
        with open(p) as f:
            for line in f:
                c = line.rstrip("\n").split("\t")
                if len(c) != 3 + len(FEATS):  # another build's features (kinds added since)
                    continue
                x = [float(v) for v in c[3:]]
                rows.append((c[0].rstrip("/").split("/")[-1], c[1], int(c[2]), x))
    return rows


def solve(a, y):
    """a x = y by Gaussian elimination (a small dense system)."""
    n = len(y)
    m = [row[:] + [y[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        if abs(m[c][c]) < 1e-12:
            continue
        for r in range(n):
            if r != c and m[r][c]:
                f = m[r][c] / m[c][c]
                for k in range(c, n + 1):
                    m[r][k] -= f * m[c][k]
    return [m[i][n] / m[i][i] if abs(m[i][i]) > 1e-12 else 0.0 for i in range(n)]


def fit(rows, l2, iters=25, base=None, free=None):
    """Logistic regression by Newton's method, ridge l2 on the weights
    (not the bias), summed over the offers. base: starting weights (the
    bias last); free: the indices fitted (the others stay base's)."""
    n = len(FEATS) + 1  # the bias last
    w = list(base) if base else [0.0] * n
    for _ in range(iters):
        g = [0.0] * n
        h = [[0.0] * n for _ in range(n)]
        for _, _, y, x in rows:
            xx = x + [1.0]
            z = sum(wi * xi for wi, xi in zip(w, xx))
            p = 1 / (1 + math.exp(-max(-30, min(30, z))))
            d = p - y
            s = p * (1 - p)
            for i in range(n):
                if xx[i] == 0:
                    continue
                g[i] += d * xx[i]
                hi = h[i]
                for j in range(n):
                    if xx[j]:
                        hi[j] += s * xx[i] * xx[j]
        for i in range(n - 1):
            g[i] += l2 * w[i]
            h[i][i] += l2
        h[n - 1][n - 1] += 1e-6
        if free is not None:  # the fixed weights: no step
            for i in range(n):
                if i not in free:
                    g[i] = 0.0
                    h[i] = [0.0] * n
                    h[i][i] = 1.0
                    for j in range(n):
                        if j != i:
                            h[j][i] = 0.0
        step = solve(h, g)
        w = [wi - si for wi, si in zip(w, step)]
        if max(abs(si) for si in step) < 1e-6:
            break
    return w[:-1], w[-1]


def read_weights(path):
    """conf_w and conf_bias of a sites.c, in FEATS order and the bias last."""
    import re
    src = open(path).read()
    w = [0.0] * (len(FEATS) + 1)
    for m in re.finditer(r"\[TC_EDIT_F_(?:KIND \+ TC_EDIT_)?(\w+)\] = (-?[0-9.]+)", src):
        w[FEATS.index(m.group(1).lower())] = float(m.group(2))
    w[-1] = float(re.search(r"conf_bias = (-?[0-9.]+)", src).group(1))
    return w


def conf(w, b, x):
    z = b + sum(wi * xi for wi, xi in zip(w, x))
    return 1 / (1 + math.exp(-max(-30, min(30, z))))


def at(rows, w, b, t):
    kept = [r for r in rows if conf(w, b, r[3]) >= t - 1e-9]
    ok = sum(r[2] for r in kept)
    return ok, len(kept), sum(r[2] for r in rows)


def choose(rows, w, b, want=0.9):
    for t in [i / 100 for i in range(30, 100)]:
        ok, n, _ = at(rows, w, b, t)
        if n and ok / n >= want:
            return t
    return 1.0


def line(name, rows, w, b, t):
    ok, n, allok = at(rows, w, b, t)
    p = ok / n if n else float("nan")
    return f"{name}: precision {p:.3f} ({ok} / {n}), right offers kept {ok} / {allok}, all offers {len(rows)}"


def main():
    args = sys.argv[1:]
    fitset = ["main", "semver", "commander"]
    l2 = 1.0
    base = free = None
    paths = []
    i = 0
    while i < len(args):
        if args[i] == "--fit":
            fitset = args[i + 1].split(",")
            i += 2
        elif args[i] == "--base":
            base = read_weights(args[i + 1])
            i += 2
        elif args[i] == "--only":
            free = {len(FEATS) if n == "bias" else FEATS.index(n) for n in args[i + 1].split(",")}
            i += 2
        elif args[i] == "--l2":
            l2 = float(args[i + 1])
            i += 2
        else:
            paths.append(args[i])
            i += 1
    rows = load(paths)
    names = sorted({r[0] for r in rows})
    tr = [r for r in rows if r[0] in fitset]
    te = [r for r in rows if r[0] not in fitset]
    w, b = fit(tr, l2, base=base, free=free)
    t = choose(tr, w, b)
    print(f"fitted on {','.join(fitset)} ({len(tr)} offers), threshold {t:.2f}")
    print("  " + line("fitted on", tr, w, b, t))
    print("  " + line("checked on", te, w, b, t))
    for nm in names:
        print("    " + line(nm, [r for r in rows if r[0] == nm], w, b, t))
    print("leave one history out (fitted and threshold chosen on the other six):")
    tot_ok = tot_n = tot_all = 0
    for nm in names:
        trn = [r for r in rows if r[0] != nm]
        tst = [r for r in rows if r[0] == nm]
        w2, b2 = fit(trn, l2, base=base, free=free)
        t2 = choose(trn, w2, b2)
        ok, n, allok = at(tst, w2, b2, t2)
        tot_ok += ok
        tot_n += n
        tot_all += allok
        print(f"  {nm}: threshold {t2:.2f}  " + line("left out", tst, w2, b2, t2))
    print(f"  all left out: precision {tot_ok / tot_n if tot_n else float('nan'):.3f} ({tot_ok} / {tot_n}), "
          f"right offers kept {tot_ok} / {tot_all}")
    wa, ba = fit(rows, l2, base=base, free=free)
    ta = choose(rows, wa, ba)
    print(f"fitted on all seven: threshold {ta:.2f}; " + line("all", rows, wa, ba, ta))
    for nm, ww, bb in (("fitted on " + ",".join(fitset), w, b), ("all seven", wa, ba)):
        print(f"/* {nm} */")
        print("static const double conf_w[TC_EDIT_NFEAT] = {")
        for n, x in zip(FEATS, ww):
            idx = f"TC_EDIT_F_KIND + TC_EDIT_{n.upper()}" if FEATS.index(n) < len(KINDS) else f"TC_EDIT_F_{n.upper()}"
            print(f"    [{idx}] = {x:.3f},")
        print("};")
        print(f"static const double conf_bias = {bb:.3f};")
        print("  " + "  ".join(f"{n}={x:+.2f}" for n, x in zip(FEATS, ww)))


if __name__ == "__main__":
    main()
