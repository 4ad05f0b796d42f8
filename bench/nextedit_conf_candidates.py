#!/usr/bin/env python3
"""Try evidence for the next-edit confidence before writing it in C: each
candidate is a column derived from the offers' evidence (per place, or
per rule: over the rule's places), added to the shipped model with one
weight (the others stay --base's), and judged as bench/nextedit_refit.sh
judges a refit (precision first, BENCHMARKS.md "The confidence gate").

  python3 bench/nextedit_conf_candidates.py F.1.tsv F.2.tsv --base src/edit/conf_weights.h
      [--fit NAME,NAME,...] CANDIDATE ...

F.*.tsv: the refit's evidence (`tacit eval --next-edits --features`; the
refit's work folder keeps f.1.tsv and f.2.tsv). Per candidate, two lines:
  logistic  its weight fitted (bench/nextedit_conf_fit.py's logistic loss)
            on --fit, the rule's weight and threshold chosen there: the
            histories with more wrong offers at the default than the
            shipped model, and each history left out (fitted, and the rule's
            weight and threshold chosen, on the others) against the shipped
            model left out: precision (right kept / kept);
  grid      its weight chosen among a few (-2 .. 3) as the one that keeps
            the most right offers and adds no wrong offer at the shipped
            threshold and rule's weight on any history and file; left out,
            the weight chosen so on the others and the right and wrong
            offers it adds on the one left out;
  target    issue 14's gate (bench/nextedit_conf_fit.py --gate): its weight
            (and the bias) fitted, the rule's weight and threshold chosen,
            on all the histories and, left out, on the other six: the
            histories meeting precision >= 0.9 and recall >= 0.6 with one
            example and two, in sample and left out, before -> after, the
            pooled precision and the verdict (--quick: this line alone;
            --table: with the gate's table per history).
Candidates: rel_F (evidence F less its mean over the rule's places: F
counts for the rule, not the place), mean_F (the rule's mean of F), exact
(left, right and callee all agree), exact_share (the rule's share of such
places), file_share, few (a rule of 3 places or fewer), syntax_right
(right, for top and lint), lint_far (lint, outside the edited file),
names_share (the rule's share of places with every name found).
"""
import collections
import contextlib
import io
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nextedit_conf_fit as F  # noqa: E402

GRID = (-2, -1.5, -1, -0.5, -0.25, 0.25, 0.5, 1, 1.5, 2, 3)


def derive(rows, name):
    """The candidate's column over rows."""
    ix = {n: i for i, n in enumerate(F.FEATS)}
    byrule = collections.defaultdict(list)
    for i, r in enumerate(rows):
        byrule[r[5]].append(i)
    out = [0.0] * len(rows)

    def kind(x):
        return next(k for i, k in enumerate(F.KINDS) if x[i] == 1)

    def exact(x):
        return float(x[ix["left"]] == 1 and x[ix["right"]] == 1 and x[ix["callee"]] == 1)

    for idx in byrule.values():
        xs = [rows[i][3] for i in idx]

        def mean(f):
            return sum(x[ix[f]] for x in xs) / len(xs)

        for i in idx:
            x = rows[i][3]
            if name.startswith("rel_"):
                v = x[ix[name[4:]]] - mean(name[4:])
            elif name.startswith("mean_"):
                v = mean(name[5:])
            elif name == "exact":
                v = exact(x)
            elif name == "exact_share":
                v = sum(exact(y) for y in xs) / len(xs)
            elif name == "file_share":
                v = mean("file")
            elif name == "few":
                v = float(len(xs) <= 3)
            elif name == "syntax_right":
                v = x[ix["right"]] if kind(x) in ("top", "lint") else 0.0
            elif name == "lint_far":
                v = 1 - x[ix["file"]] if kind(x) == "lint" else 0.0
            elif name == "names_share":
                v = sum(y[ix["names"]] == 1 for y in xs) / len(xs)
            else:
                sys.exit(f"no candidate {name}")
            out[i] = v
    return out


class Model:
    """The shipped model's log-odds per offer, and what one more column does."""

    def __init__(self, rows, base):
        self.rows = rows
        self.z0 = [base[-1] + sum(a * b for a, b in zip(base[:-1], r[3])) for r in rows]

    def conf(self, z, rule):
        tot = {}
        for r, zi in zip(self.rows, z):
            t = tot.setdefault(r[5], [0.0, 0])
            t[0] += zi
            t[1] += 1
        return [1 / (1 + math.exp(-max(-30, min(30, zi + rule * (tot[r[5]][0] / tot[r[5]][1] - F.RULE_MID)))))
                for r, zi in zip(self.rows, z)]

    def at(self, sub, c, t):
        """Right kept, kept, right: an offer right only when its group passes."""
        low = {}
        for i in sub:
            g = self.rows[i][4]
            low[g] = min(low.get(g, 1.0), c[i])
        ok = n = 0
        for i in sub:
            if c[i] >= t - 1e-9:
                n += 1
                ok += self.rows[i][2] if low[self.rows[i][4]] >= t - 1e-9 else 0
        return ok, n, sum(self.rows[i][2] for i in sub)

    def choose(self, sub, z):
        """The rule's weight and threshold (as the fitter: precision 0.9, most right kept)."""
        best = None
        for rule in F.RULES:
            c = self.conf(z, rule)
            t, ok = 1.0, -1
            for tt in [i / 100 for i in range(30, 100)]:
                k, n, _ = self.at(sub, c, tt)
                if n and k / n >= 0.9:
                    t, ok = tt, k
                    break
            if best is None or ok > best[2]:
                best = (rule, t, ok)
        return best[0], best[1]

    def fit(self, sub, col, l2=1.0):
        """The column's weight by Newton's method on the logistic loss."""
        w = 0.0
        for _ in range(30):
            g, h = l2 * w, l2 + 1e-6
            for i in sub:
                z = self.z0[i] + w * col[i]
                p = 1 / (1 + math.exp(-max(-30, min(30, z))))
                g += (p - self.rows[i][2]) * col[i]
                h += p * (1 - p) * col[i] * col[i]
            w -= g / h
            if abs(g / h) < 1e-6:
                break
        return w

    def z(self, col, w):
        return [z0 + w * c for z0, c in zip(self.z0, col)]


def target(rows, paths, base, base_path, cand, col, table=False):
    """The candidate under issue 14's gate: its column added (weight 0 in
    the base), fitted with the bias; the gate's summary lines."""
    feats = F.FEATS
    rows2 = [r[:3] + (r[3] + [v],) + r[4:] for r, v in zip(rows, col)]
    F.FEATS = feats + [cand]
    base2 = base[:-1] + [0.0, base[-1]]
    free = {len(feats), len(feats) + 1}
    names = sorted({r[0] for r in rows})
    try:
        w, b = F.fit(rows2, 1.0, base=base2, free=free)
        pl, t = F.choose_rule(rows2, w, b)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            why = F.gate_target(rows2, names, 1.0, base2, F.read_gate(base_path), free, w, b, t, pl, paths)
    finally:
        F.FEATS = feats
    keep = [ln.strip() for ln in out.getvalue().splitlines() if "histories meeting both" in ln]
    if table:  # the gate's whole table
        keep = ["\n" + out.getvalue()]
    return (f"{'':18s} target: weight {w[-1]:+.2f}, threshold {t:.2f}, rule {pl:.1f}; " + "; ".join(keep)
            + "; verdict: " + ("keep" if not why else "do not keep: " + "; ".join(why)))


def main():
    opts, rest = F.parse_args(sys.argv[1:], {"--fit": 1, "--base": 1, "--quick": 0, "--table": 0})
    fitset = opts["--fit"].split(",") if "--fit" in opts else F.FITSET
    base_path = opts.get("--base")
    paths = [a for a in rest if a.endswith(".tsv")]
    cands = [a for a in rest if not a.endswith(".tsv")]
    if not paths or not base_path:
        sys.exit(__doc__.split("\n\n")[1])
    rows = F.load(paths)
    base = F.read_weights(base_path)
    rule0, t0 = F.read_gate(base_path)
    m = Model(rows, base)
    names = sorted({r[0] for r in rows})
    allr = range(len(rows))
    keys = sorted({(r[0], r[5][0]) for r in rows})
    subs = {k: [i for i in allr if (rows[i][0], rows[i][5][0]) == k] for k in keys}
    c0 = m.conf(m.z0, rule0)
    shipped = {k: m.at(s, c0, t0) for k, s in subs.items()}

    def loo(col, fit):
        tot = [0, 0]
        for nm in names:
            trn = [i for i in allr if rows[i][0] != nm]
            tst = [i for i in allr if rows[i][0] == nm]
            z = m.z(col, m.fit(trn, col)) if fit else m.z0
            rule, t = m.choose(trn, z)
            ok, n, _ = m.at(tst, m.conf(z, rule), t)
            tot = [tot[0] + ok, tot[1] + n]
        return tot

    b = loo(None, False)
    print(f"shipped model ({base_path}: threshold {t0:.2f}, rule's weight {rule0:.2f}); left out, the rule's "
          f"weight and threshold chosen on the others: precision {b[0] / b[1]:.3f} ({b[0]} / {b[1]})")
    for cand in cands:
        col = derive(rows, cand)
        if "--quick" in opts:
            print(cand)
            print(target(rows, paths, base, base_path, cand, col, "--table" in opts))
            continue
        tr = [i for i in allr if rows[i][0] in fitset]
        w = m.fit(tr, col)
        z = m.z(col, w)
        rule, t = m.choose(tr, z)
        c = m.conf(z, rule)
        more = [f"{k[0]}/{k[1] + 1}" for k, s in subs.items()
                if (lambda a: a[1] - a[0])(m.at(s, c, t)) > shipped[k][1] - shipped[k][0]]
        lo = loo(col, True)
        print(f"{cand:18s} logistic: weight {w:+.2f}, threshold {t:.2f}, rule {rule:.1f}; more wrong: "
              f"{', '.join(more) or 'none'}; left out {lo[0] / lo[1]:.3f} ({lo[0]} / {lo[1]})")
        res = {}
        for g in GRID:
            cg = m.conf(m.z(col, g), rule0)
            res[g] = {k: m.at(s, cg, t0) for k, s in subs.items()}

        def judge(g, ks):
            gain = sum(res[g][k][0] - shipped[k][0] for k in ks)
            worse = any(res[g][k][1] - res[g][k][0] > shipped[k][1] - shipped[k][0] for k in ks)
            return gain, worse

        ok = [g for g in GRID if not judge(g, keys)[1]]
        best = max(ok, key=lambda g: judge(g, keys)[0]) if ok else None
        out = []
        for nm in names:
            trk = [k for k in keys if k[0] != nm]
            tsk = [k for k in keys if k[0] == nm]
            cand_w = [g for g in GRID if not judge(g, trk)[1] and judge(g, trk)[0] > 0]
            if not cand_w:
                continue
            g = max(cand_w, key=lambda g: judge(g, trk)[0])
            dr = sum(res[g][k][0] - shipped[k][0] for k in tsk)
            dw = sum((res[g][k][1] - res[g][k][0]) - (shipped[k][1] - shipped[k][0]) for k in tsk)
            if dr or dw:
                out.append(f"{nm} {g:+g}: {dr:+d} right, {dw:+d} wrong")
        gb = f"weight {best:+g}, {judge(best, keys)[0]:+d} right offers" if best is not None else "none"
        print(f"{'':18s} grid: {gb}; left out: {'; '.join(out) or 'no change'}")
        print(target(rows, paths, base, base_path, cand, col))


if __name__ == "__main__":
    main()
