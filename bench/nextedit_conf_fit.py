#!/usr/bin/env python3
"""Fit the next-edit confidence (src/edit/sites.c, tc_edit_conf) on the
offers of some histories and check it on the others.

  tacit eval --next-edits --history 100 --root R --features F.tsv   (per history)
  python3 bench/nextedit_conf_fit.py F.tsv [F2.tsv ...] [--fit NAME,NAME,...|all] [--l2 X]
      [--base conf_weights.h --only FEAT,...,bias] [--write src/edit/conf_weights.h] [--by-offer] [--rule X]
      [--choose target|pooled] [--keep-threshold] [--gate | --gate-wrong] [--confirm FEAT,...]

Each line of F.tsv: root, rule number, 1 if the offer was right (with
every place offered), its group (the offers that make one place's change
together share one: the eval counts them right only when all of them are
offered), the place of the replayed edit it makes or -1 ("found": the
eval's recall counts each once per rule), then the evidence TC_EDIT_F_*
(src/edit/edit.h), named by the file's "#root" line (a build's kinds and
evidence: every file must have the same columns; a file without "group"
has one offer per group, one without "found" no recall); an "#others"
line per history gives its other places (recall's denominator). A
logistic regression (no numpy: Newton's method with damped steps, ridge
--l2 on the weights, default 1) is fitted on the offers of the --fit
histories (matched against the root's last path part; all: every one).
A place's confidence (tc_edit_conf_rule) is its own log-odds (the
logistic model's) plus TC_EDIT_CONF_RULE times the mean log-odds of its
rule's places less TC_EDIT_CONF_RULE_MID (1.1). That weight (0, 0.5 or 1:
the place's own log-odds weigh at least as much as its rule's; --rule X:
fixed) and the threshold are chosen where fitted (--choose target, the
default: among those with precision >= 0.9 over each input file's
offers, the most histories meeting issue 14's target, precision >= 0.9
and recall >= 0.6, then the most right offers; --choose pooled, as before
s19: the lowest threshold with precision 0.9, the weight keeping the most
right offers; --keep-threshold: --base's weight and threshold, kept
where fitted and left out, so new evidence is judged at the default that
ships), an offer counted right at a threshold only when every
offer of its group passes it (as the eval counts; --by-offer: each offer
by its label alone, as before s16-negroup). Precision and the right
offers kept are printed where it was fitted, where it was not, and for
each history left out in turn. --write writes the weights fitted on
--fit, the rule's weight and that threshold as src/edit/conf_weights.h
(not when they are --base's: nothing changed; bench/nextedit_refit.sh
does it all).
--base and --only: only the named weights are fitted (the others stay
those of the conf_weights.h or sites.c given); "new" in --only names the
evidence that file does not name (a kind or evidence added since the last
fit; one written with weight 0 was fitted to 0 or left out), "none"
no weight (the rule's weight and the threshold alone), "all" every one.
--gate (with --base): issue 14's target, left out (gate_target: per
history and input file, precision/recall in sample and left out, before
-> after; the model is written only when, with each input file (one
example, two: each protocol on its own, a "verdict FILE:" line each),
the histories meeting both targets left out do not drop, none with
precision >= 0.9 falls under it, left out or in sample, pooled
precision stays >= 0.9 in sample and does not fall left out, and, with
the first (one example), at the precision before no fewer places are
found). --confirm FEAT,...: the weights of that evidence (a rule a
second edit confirmed: confirmed, second_low; 0 on every one-example
offer) are not fitted by the likelihood but chosen for the target on a
grid at the threshold chosen (confirm_grid), where fitted and for each
history left out. --gate-wrong: the gate
before s19, precision first (no history and file gets more wrong offers
at the default; left out, at least as many right offers at no lower
precision). "verdict:" says which and why.
"""
import math
import sys

BY_OFFER = False  # --by-offer: a group's offers counted one by one
RULE = 0.0  # the weight of the rule's mean log-odds at each place (TC_EDIT_CONF_RULE)
RULE_MID = 1.10  # ... above this (TC_EDIT_CONF_RULE_MID)
KINDS = ["rename", "call", "insert", "block", "literal", "tokens", "top", "lint", "template", "delete", "member"]
FEATS = KINDS + ["base", "left", "right", "left3", "right3",
         "head", "callee", "file", "near", "dir", "confirmed", "two", "names", "names_near", "many"]  # the "#root" line's


OTHERS = {}  # (input file, history): the other places of its replayed edits ("#others" lines)


def load(paths):
    """The offers of the files (history, rule, right, evidence, group key),
    and FEATS set from their "#root" line."""
    global FEATS, KINDS
    rows = []
    hdr = None
    for pi, p in enumerate(paths):
        nc = 3  # the columns before the evidence: root, rule, right[, group[, found]]
        with open(p) as f:
            for ln, line in enumerate(f):
                c = line.rstrip("\n").split("\t")
                if c[0] == "#others" and len(c) == 3:  # recall's denominator of a history
                    k = (pi, c[1].rstrip("/").split("/")[-1])
                    OTHERS[k] = OTHERS.get(k, 0) + int(c[2])
                    continue
                if c[0] == "#root":
                    nc = 5 if c[3:5] == ["group", "found"] else 4 if c[3:4] == ["group"] else 3
                    if hdr is not None and c[nc:] != hdr:
                        sys.exit(f"{p}: other evidence columns than the files before (another build)")
                    hdr = c[nc:]
                    continue
                if len(c) != nc + len(hdr if hdr else FEATS):  # a file of another build
                    continue
                x = [float(v) for v in c[nc:]]
                grp = (pi, c[0], c[1], c[3]) if nc >= 4 else (pi, ln)
                fnd = int(c[4]) if nc == 5 else -1
                rows.append((c[0].rstrip("/").split("/")[-1], c[1], int(c[2]), x, grp, (pi, c[0], c[1]), fnd))
    if hdr:
        KINDS = hdr[:hdr.index("base")]
        FEATS = hdr
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
    fr = sorted(range(n) if free is None else free)
    if not fr:
        return w[:-1], w[-1]
    m = len(fr)
    xs = [(r[2], r[3] + [1.0]) for r in rows]
    for _ in range(iters):
        g = [0.0] * m
        h = [[0.0] * m for _ in range(m)]
        for y, xx in xs:
            z = sum(wi * xi for wi, xi in zip(w, xx) if xi)
            p = 1 / (1 + math.exp(-max(-30, min(30, z))))
            d = p - y
            s = p * (1 - p)
            nz = [(a, xx[i]) for a, i in enumerate(fr) if xx[i]]
            for a, xa in nz:
                g[a] += d * xa
                ha = h[a]
                for b2, xb in nz:
                    ha[b2] += s * xa * xb
        for a, i in enumerate(fr):
            if i < n - 1:
                g[a] += l2 * w[i]
                h[a][a] += l2
            else:
                h[a][a] += 1e-6
        step = solve(h, g)
        big = max(abs(si) for si in step)
        if big > 4:  # a damped step: separable evidence would run off to infinity
            step = [si * 4 / big for si in step]
        for a, i in enumerate(fr):
            w[i] -= step[a]
        if big < 1e-6:
            break
    return w[:-1], w[-1]


# Evidence that a place is like the example's: agreeing can only count
# for it (a negative weight would be two such features overlapping, e.g.
# the token before and the whole line).
AGREE = ["left", "right", "left3", "right3", "head", "callee", "line", "line_file", "file", "near", "dir",
         "confirmed", "two", "names", "names_near", "second_low"]


def fit_agree(rows, l2, base=None, free=None):
    """fit(), with the weights of AGREE kept >= 0: one that comes out
    negative is set to 0 and left out, and the rest fitted again."""
    n = len(FEATS) + 1
    w0 = list(base) if base else [0.0] * n
    free = set(range(n)) if free is None else set(free)
    while True:
        w, b = fit(rows, l2, base=w0, free=free)
        neg = [i for i in free if i < len(FEATS) and FEATS[i] in AGREE and w[i] < 0]
        if not neg:
            return w, b
        for i in neg:
            free.discard(i)
            w0[i] = 0.0


NAMED = set()  # the evidence read_weights found a weight for (0 included)


def read_weights(path):
    """The weights and bias of a conf_weights.h (or an older sites.c), in
    FEATS order and the bias last; NAMED: the evidence it names."""
    import re
    src = open(path).read()
    w = [0.0] * (len(FEATS) + 1)
    for m in re.finditer(r"\[TC_EDIT_F_(?:KIND \+ TC_EDIT_)?(\w+)\] = (-?[0-9.]+)", src):
        if m.group(1).lower() in FEATS:
            w[FEATS.index(m.group(1).lower())] = float(m.group(2))
            NAMED.add(m.group(1).lower())
    w[-1] = float(re.search(r"(?:conf_bias =|TC_EDIT_CONF_BIAS) \(?(-?[0-9.]+)", src).group(1))
    return w


def read_gate(path):
    """The rule's weight and the threshold of a conf_weights.h (0 and 0.74,
    the shipped ones before they were written there, when it has none)."""
    import re
    src = open(path).read()
    rule = re.search(r"#define TC_EDIT_CONF_RULE (-?[0-9.]+)", src)
    t = re.search(r"#define TC_EDIT_OFFER_CONF (-?[0-9.]+)", src)
    return float(rule.group(1)) if rule else 0.0, float(t.group(1)) if t else 0.74


def loo(rows, names, l2, base, free, fixed=False):
    """Each history scored by the model fitted (fixed: base's weights kept),
    its rule's weight and threshold chosen, on the others: per history
    (name, threshold, rule's weight, right kept, kept, right offers) and
    the totals (right kept, kept, right offers)."""
    per, tot = [], [0, 0, 0]
    for nm in names:
        trn = [r for r in rows if r[0] != nm]
        tst = [r for r in rows if r[0] == nm]
        w2, b2, p2, t2 = fit_model(trn, l2, base, free, fixed)
        ok, n, allok = at(tst, w2, b2, t2, p2)
        per.append((nm, t2, p2, ok, n, allok))
        tot = [tot[0] + ok, tot[1] + n, tot[2] + allok]
    return per, tot


def loo_tally(rows, names, l2, base, free, fixed=False):
    """Each history scored by the model fitted (fixed: base's weights
    kept), its rule's weight and threshold chosen (choose_rule), on the
    others: tally() per (input file, history), and the chosen (threshold,
    rule's weight) per history."""
    per, ch = {}, {}
    for nm in names:
        trn = [r for r in rows if r[0] != nm]
        tst = [r for r in rows if r[0] == nm]
        w2, b2, p2, t2 = fit_model(trn, l2, base, free, fixed)
        per.update(tally(tst, w2, b2, t2, p2))
        ch[nm] = (t2, p2)
    return per, ch


def pr_cell(s):
    """A history's precision / recall, "*" when it meets both targets."""
    p = f"{s[0] / s[1]:.3f}" if s[1] else "  -  "
    return f"{p}/{s[2] / s[3] if s[3] else 0:.3f}{'*' if meets(s) else ' '}"


def gate_target(rows, names, l2, base, base_gate, free, w, b, t, pl, paths):
    """Issue 14's target as the gate: left out (each history scored by the
    model and threshold chosen on the others), with one example, (a) no
    fewer histories meet precision >= 0.9 and recall >= 0.6 than with
    base's weights, (b) none that had precision >= 0.9 falls under it,
    left out or in sample (at the threshold written: what ships), (c) the
    precision pooled over all stays >= 0.9 in sample and does not fall
    left out, (d) at the precision it had in sample, it finds no fewer
    places (a model that only offers more at a lower threshold is the old
    one with more wrong offers). Prints the in-sample
    figures (base's threshold; the new one's) beside the left-out ones,
    and returns the reasons it is not kept (empty: kept)."""
    why = []
    i0 = tally(rows, base[:-1], base[-1], base_gate[1], base_gate[0])
    i1 = tally(rows, w, b, t, pl)
    l0, c0 = loo_tally(rows, names, l2, base, free, fixed=True)
    l1, c1 = loo_tally(rows, names, l2, base, free)
    files = sorted({r[5][0] for r in rows})
    verdicts = []  # per input file: (name, counts meeting both, 1 when it fails)
    print("the target (precision >= 0.9 and recall >= 0.6, * where met): precision/recall per history,")
    print("  in sample (before at its threshold, after at the new one) and left out (threshold chosen on the others)")
    ts = [i / 100 for i in range(0, 100)]
    sw = tally_sweep(rows, confs(rows, w, b, pl), ts)
    sw0 = tally_sweep(rows, confs(rows, base[:-1], base[-1], base_gate[0]), ts)
    for pi in files:
        f = paths[pi].split("/")[-1]
        mine = []  # this file's reasons
        cnt = [0, 0, 0, 0]
        for nm in names:
            k = (pi, nm)
            if k not in i0 and k not in l0:
                continue
            z = [0, 0, 0, OTHERS.get(k, 0)]
            a, bb, c, d = i0.get(k, z), i1.get(k, z), l0.get(k, z), l1.get(k, z)
            cnt = [cnt[0] + meets(a), cnt[1] + meets(bb), cnt[2] + meets(c), cnt[3] + meets(d)]
            print(f"  {nm:18s} {f:8s} in sample {pr_cell(a)} -> {pr_cell(bb)}   left out {pr_cell(c)} (>= {c0[nm][0]:.2f})"
                  f" -> {pr_cell(d)} (>= {c1[nm][0]:.2f})")
            if c[1] and c[0] >= PREC * c[1] and not (d[1] and d[0] >= PREC * d[1]):
                mine.append(f"{nm} ({f}) falls under precision {PREC} left out")
            if a[1] and a[0] >= PREC * a[1] and not (bb[1] and bb[0] >= PREC * bb[1]):
                mine.append(f"{nm} ({f}) falls under precision {PREC} in sample (at the default it ships)")
        ps = [per_file(l).get(pi, [0, 0, 0, 0]) for l in (i0, i1, l0, l1)]  # in sample, left out: before, after
        pp = [prec(x) for x in ps]
        print(f"  {f}: histories meeting both, in sample {cnt[0]} -> {cnt[1]}, left out {cnt[2]} -> {cnt[3]};"
              f" pooled precision in sample {pp[0]:.3f} ({ps[0][0]} / {ps[0][1]}) -> {pp[1]:.3f} ({ps[1][0]} / {ps[1][1]}),"
              f" left out {pp[2]:.3f} ({ps[2][0]} / {ps[2][1]}) -> {pp[3]:.3f} ({ps[3][0]} / {ps[3][1]})")
        if cnt[3] < cnt[2]:
            mine.append(f"{f}: left out, fewer histories meet both targets ({cnt[2]} -> {cnt[3]})")
        if pp[1] < PREC:
            mine.append(f"{f}: pooled precision {pp[1]:.3f} < {PREC}")
        if pp[3] < min(PREC, pp[2]) - 1e-9:
            mine.append(f"{f}: left out, pooled precision falls ({pp[2]:.3f} -> {pp[3]:.3f})")
        # the same precision: a better model finds more there, one that
        # only offers more at a lower threshold does not; both ways: the
        # new weights at the precision before, and the weights before at
        # the precision after (a model that raises a class right at 0.93
        # over the old one's 0.94 fails the first alone)
        te, se = next(((t2, x) for t2, tl in zip(ts, sw) for x in [per_file(tl).get(pi, [0, 0, 0, 0])]
                       if x[1] and x[0] >= pp[0] * x[1] - 1e-9), (1.0, [0, 0, 0, 0]))
        fo = max((x[2] for tl in sw0 for x in [per_file(tl).get(pi, [0, 0, 0, 0])]
                  if x[1] and x[0] >= pp[1] * x[1] - 1e-9), default=0)
        print(f"  {f}: at the precision before ({pp[0]:.3f}): places found {ps[0][2]} before -> {se[2]} after"
              f" (>= {te:.2f}: {se[0]} / {se[1]})")
        print(f"  {f}: at the precision after ({pp[1]:.3f}): places found {fo} before (its best threshold)"
              f" -> {ps[1][2]} after")
        if pi == files[0] and se[2] < ps[0][2] and fo >= ps[1][2]:
            mine.append(f"{f}: at the precision before, fewer places found ({ps[0][2]} -> {se[2]}), and at the"
                        f" precision after no more ({fo} -> {ps[1][2]}): only a lower threshold")
        verdicts.append((f, cnt, bool(mine)))
        why += mine
    for f, cnt, bad in verdicts:  # one line per protocol (input file)
        print(f"  verdict {f}: {'holds' if not bad else 'fails'} (histories meeting both left out {cnt[2]} -> {cnt[3]},"
              f" in sample {cnt[0]} -> {cnt[1]})")
    return why


def gate(rows, names, l2, base, base_gate, free, w, b, t, pl, paths):
    """Precision first (issue 14): the new model is kept only when no
    history and protocol (each input file) gets more wrong offers at the
    default than with base's weights, rule's weight and threshold, and
    left out it keeps more right offers at no lower precision. Prints both
    and returns the reasons it is not kept (empty: kept)."""
    why = []
    print("precision first, per history and input file at the default: right kept / wrong kept, before -> after")
    for nm in names:
        for pi in sorted({r[5][0] for r in rows}):
            sub = [r for r in rows if r[0] == nm and r[5][0] == pi]
            if not sub:
                continue
            ok0, n0, _ = at(sub, base[:-1], base[-1], base_gate[1], base_gate[0])
            ok1, n1, _ = at(sub, w, b, t, pl)
            more = n1 - ok1 > n0 - ok0
            f = paths[pi].split("/")[-1]
            print(f"  {nm:18s} {f:10s} {ok0:4d} / {n0 - ok0:3d} -> {ok1:4d} / {n1 - ok1:3d}"
                  + ("   MORE WRONG" if more else ""))
            if more:
                why.append(f"{nm} ({f}) gets {n1 - ok1 - (n0 - ok0)} more wrong offers")
    _, t0 = loo(rows, names, l2, base, free, fixed=True)
    _, t1 = loo(rows, names, l2, base, free)
    pr = lambda x: x[0] / x[1] if x[1] else 1.0
    print(f"left out, all histories: before {pr(t0):.3f} ({t0[0]} / {t0[1]}) -> after {pr(t1):.3f} ({t1[0]} / {t1[1]})")
    if pr(t1) < pr(t0) - 1e-9:
        why.append(f"left out, precision falls ({pr(t0):.3f} -> {pr(t1):.3f})")
    if t1[0] < t0[0]:
        why.append(f"left out, fewer right offers kept ({t0[0]} -> {t1[0]})")
    return why


def c_name(n):
    """The C designator of evidence n."""
    return f"TC_EDIT_F_KIND + TC_EDIT_{n.upper()}" if n in KINDS else f"TC_EDIT_F_{n.upper()}"


def write_header(path, w, b, t, rule, how):
    """conf_weights.h: the weights, the bias and the server's threshold."""
    out = ["/* conf_weights.h - the next-edit confidence model (tc_edit_conf, sites.c)",
           " * and the server's threshold. Written by bench/nextedit_refit.sh",
           " * (bench/nextedit_conf_fit.py --write): refit, do not edit by hand",
           " * (docs/next-edits.md, \"Refitting the confidence\").",
           f" * {how} */",
           "#ifndef TC_EDIT_CONF_WEIGHTS_H",
           "#define TC_EDIT_CONF_WEIGHTS_H",
           "",
           "/* the weight of each TC_EDIT_F_* (edit.h); one not named here counts 0 */",
           "#define TC_EDIT_CONF_W \\",
           "    { \\"]
    for n, x in zip(FEATS, w):
        out.append(f"        [{c_name(n)}] = {x:.3f}, \\")
    out += ["    }",
            f"#define TC_EDIT_CONF_BIAS ({b:.3f})",
            "/* a place's log-odds plus this times its rule's mean log-odds less TC_EDIT_CONF_RULE_MID */",
            f"#define TC_EDIT_CONF_RULE {rule:.2f}",
            f"#define TC_EDIT_CONF_RULE_MID {RULE_MID:.2f}",
            "/* the lowest confidence with precision 0.9 where fitted */",
            f"#define TC_EDIT_OFFER_CONF {t:.2f}",
            "",
            "#endif",
            ""]
    with open(path, "w") as f:
        f.write("\n".join(out))


def conf(w, b, x):
    z = b + sum(wi * xi for wi, xi in zip(w, x))
    return 1 / (1 + math.exp(-max(-30, min(30, z))))


def logodds(c):
    c = min(1 - 1e-6, max(1e-6, c))
    return math.log(c / (1 - c))


def confs(rows, w, b, rule=None):
    """Each offer's confidence (tc_edit_conf_rule): its own log-odds plus
    rule (default RULE) times its rule's offers' mean log-odds less
    RULE_MID."""
    rule = RULE if rule is None else rule
    own = [logodds(conf(w, b, r[3])) for r in rows]
    tot = {}
    for r, z in zip(rows, own):
        t = tot.setdefault(r[5], [0.0, 0])
        t[0] += z
        t[1] += 1
    return [1 / (1 + math.exp(-max(-30, min(30, z + rule * (tot[r[5]][0] / tot[r[5]][1] - RULE_MID)))))
            for r, z in zip(rows, own)]


def at(rows, w, b, t, rule=None):
    """Right offers kept at threshold t, offers kept, right offers: an
    offer is right there only when every offer of its group is kept."""
    c = confs(rows, w, b, rule)
    key = [i if BY_OFFER else r[4] for i, r in enumerate(rows)]
    low = {}  # each group's lowest confidence
    for k, ci in zip(key, c):
        low[k] = min(low.get(k, 1.0), ci)
    ok = n = 0
    for r, k, ci in zip(rows, key, c):
        if ci >= t - 1e-9:
            n += 1
            ok += r[2] if low[k] >= t - 1e-9 else 0
    return ok, n, sum(r[2] for r in rows)


def tally(rows, w, b, t, rule=None):
    """Per (input file, history): [right offers kept, offers kept, places
    found, other places] at threshold t, as the eval counts them: an offer
    right only when its whole group passes, a place found once per rule
    (the "found" column; without it, the right groups kept)."""
    return tally_c(rows, confs(rows, w, b, rule), t)


def tally_c(rows, c, t):
    """tally() with each offer's confidence c given."""
    low = {}
    for r, ci in zip(rows, c):
        low[r[4]] = min(low.get(r[4], 1.0), ci)
    out, seen = {}, set()
    for r, ci in zip(rows, c):
        k = (r[5][0], r[0])
        s = out.setdefault(k, [0, 0, 0, OTHERS.get(k, 0)])
        if ci < t - 1e-9:
            continue
        s[1] += 1
        whole = low[r[4]] >= t - 1e-9
        s[0] += r[2] if whole else 0
        f = (r[5], r[6]) if r[6] >= 0 else (r[4] if r[2] and not OTHERS else None)
        if whole and r[2] and f is not None and f not in seen:
            seen.add(f)
            s[2] += 1
    return out


PREC, REC = 0.9, 0.6  # issue 14's targets, per history


def per_file(tl):
    """tally()'s counts (per input file and history) summed per input
    file: {file: [right kept, kept, found, other places]}."""
    out = {}
    for k, x in tl.items():
        o = out.setdefault(k[0], [0, 0, 0, 0])
        for j in range(4):
            o[j] += x[j]
    return out


def prec(x):
    """Precision of counts [right kept, kept, ...]: 1 when nothing is kept."""
    return x[0] / x[1] if x[1] else 1.0


def meets(s):
    """A history's [right kept, kept, found, other places] meets both targets."""
    return s[1] > 0 and s[0] >= PREC * s[1] and s[3] > 0 and s[2] >= REC * s[3]


CHOOSE = "target"  # --choose: "target" (most histories meeting both targets) or "pooled" (before s19)


def tally_sweep(rows, c, ts):
    """tally_c() at each threshold of ts (sorted), in one pass: a list."""
    import bisect
    low = {}
    for r, ci in zip(rows, c):
        low[r[4]] = min(low.get(r[4], 1.0), ci)
    per = {}  # (file, history): sorted confidences, right offers' group minima, found keys' best minima
    for r, ci in zip(rows, c):
        k = (r[5][0], r[0])
        a = per.setdefault(k, ([], [], {}))
        a[0].append(ci)
        if r[2]:
            g = min(low[r[4]], ci)
            a[1].append(g)
            f = (r[5], r[6]) if r[6] >= 0 else (r[4] if not OTHERS else None)
            if f is not None:
                a[2][f] = max(a[2].get(f, 0.0), g)
    for a in per.values():
        a[0].sort()
        a[1].sort()
    sorted_f = {k: sorted(a[2].values()) for k, a in per.items()}
    out = []
    for t in ts:
        tl = {}
        for k, a in per.items():
            n_at = lambda v: len(v) - bisect.bisect_left(v, t - 1e-9)
            tl[k] = [n_at(a[1]), n_at(a[0]), n_at(sorted_f[k]), OTHERS.get(k, 0)]
        out.append(tl)
    return out


def choose_target(rows, w, b):
    """The rule's weight and threshold, chosen on rows: among those with
    pooled precision >= 0.9 in each input file (one example, two), the one with the most (history, input file)
    meeting both targets, then the most right offers (a tie: the lower;
    not the most histories with precision >= 0.9: where none meets the
    target, that climbs to where almost nothing is offered)."""
    best = None
    ts = [i / 100 for i in range(30, 100)]
    for p in RULES:
        for t, tl in zip(ts, tally_sweep(rows, confs(rows, w, b, p), ts)):
            ok, n = sum(s[0] for s in tl.values()), sum(s[1] for s in tl.values())
            if not n or any(x[0] < PREC * x[1] for x in per_file(tl).values()):
                continue
            key = (sum(meets(s) for s in tl.values()), ok)
            if best is None or key > best[2]:
                best = (p, t, key)
    return (best[0], best[1]) if best else (RULES[0], 1.0)


def choose(rows, w, b, want=0.9, rule=None):
    for t in [i / 100 for i in range(30, 100)]:
        ok, n, _ = at(rows, w, b, t, rule)
        if n and ok / n >= want:
            return t
    return 1.0


RULES = [0.0, 0.5, 1.0]  # at most 1: a place's own evidence counts at least as much as its rule's


FIXED = None  # --keep-threshold: --base's (rule's weight, threshold), kept instead of chosen


def choose_rule(rows, w, b):
    """choose_target() or, with --choose pooled, choose_pooled(); with
    --keep-threshold, --base's rule's weight and threshold (new evidence
    judged at the default that ships, not at a threshold chosen again)."""
    if FIXED:
        return FIXED
    return choose_target(rows, w, b) if CHOOSE == "target" else choose_pooled(rows, w, b)


CONFIRM = []  # --confirm: the evidence of a rule a second edit confirmed, weighed by confirm_grid
CONFIRM_GRID = [0.0, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0]


def confirm_grid(rows, w, b, t, pl):
    """The weights of CONFIRM (evidence only two-example offers have: the
    one-example offers keep their confidence) chosen for the target at
    threshold t, the other weights kept: on a grid (CONFIRM_GRID each),
    among those where no (history, input file) with precision >= 0.9 at
    weight 0 falls under it and each file's pooled precision stays >= 0.9
    (or does not fall, where it was under), the most (history, file)
    meeting both targets, then the most right offers kept; a tie: the
    smaller weights (0 unless a weight gains something). Not the
    likelihood: a weight that only moves two-example offers acts as a
    lower threshold for them, and the likelihood's (about 1.2 on the
    seven histories) offers them all (round 20, s20-negate). w with
    CONFIRM's weights set."""
    idx = [FEATS.index(n) for n in CONFIRM if n in FEATS]
    if not idx:
        return w
    def with_(ws):
        v = list(w)
        for i, x in zip(idx, ws):
            v[i] = x
        return v
    def pooled(tl):
        return {f: prec(x) for f, x in per_file(tl).items()}
    zero = tuple(0.0 for _ in idx)
    t0 = tally(rows, with_(zero), b, t, pl)
    p0 = pooled(t0)
    best, key0 = zero, None
    import itertools
    for ws in itertools.product(CONFIRM_GRID, repeat=len(idx)):
        tl = tally(rows, with_(ws), b, t, pl)
        if any(t0[k][1] and t0[k][0] >= PREC * t0[k][1] and not (s[1] and s[0] >= PREC * s[1])
               for k, s in tl.items() if k in t0):
            continue
        if any(p < min(PREC, p0.get(f, 1.0)) - 1e-9 for f, p in pooled(tl).items()):
            continue
        key = (sum(meets(s) for s in tl.values()), sum(s[0] for s in tl.values()))
        if key0 is None or key > key0:
            best, key0 = ws, key
    return with_(best)


def fit_model(rows, l2, base, free, fixed=False):
    """The model fitted on rows (fixed: base's weights kept): the weights
    (fit_agree; CONFIRM's by confirm_grid at the threshold chosen), the
    bias, the rule's weight and the threshold (choose_rule)."""
    if fixed:
        w, b = base[:-1], base[-1]
        pl, t = choose_rule(rows, w, b)
        return w, b, pl, t
    w, b = fit_agree(rows, l2, base=base, free=free)
    pl, t = choose_rule(rows, w, b)
    if CONFIRM:
        w = confirm_grid(rows, w, b, t, pl)
    return w, b, pl, t


def choose_pooled(rows, w, b):
    """The weight of the rule's log-odds (RULES) and its threshold that keep
    the most right offers at precision 0.9 on rows (a tie: the smaller)."""
    best = None
    for p in RULES:
        t = choose(rows, w, b, rule=p)
        ok = at(rows, w, b, t, p)[0] if t < 1.0 else -1
        if best is None or ok > best[2]:
            best = (p, t, ok)
    return best[0], best[1]


def line(name, rows, w, b, t, rule=None):
    ok, n, allok = at(rows, w, b, t, rule)
    p = ok / n if n else float("nan")
    return f"{name}: precision {p:.3f} ({ok} / {n}), right offers kept {ok} / {allok}, all offers {len(rows)}"


FITSET = ["semver", "node-gyp", "node-addon-api"]  # --fit's default: the histories fitted on


def parse_args(args, spec):
    """The options of args named in spec (name -> 1: it takes the next
    argument as its value, 0: a flag, True): (a dict of the options given,
    the last of each, and the other arguments in their order)."""
    opts, rest = {}, []
    i = 0
    while i < len(args):
        if args[i] in spec:
            opts[args[i]] = args[i + 1] if spec[args[i]] else True
            i += 1 + spec[args[i]]
        else:
            rest.append(args[i])
            i += 1
    return opts, rest


def main():
    global BY_OFFER, RULES, CHOOSE, FIXED, CONFIRM
    opts, paths = parse_args(sys.argv[1:], {"--fit": 1, "--base": 1, "--only": 1, "--write": 1, "--gate": 0,
                                            "--gate-wrong": 0, "--choose": 1, "--by-offer": 0, "--rule": 1,
                                            "--l2": 1, "--keep-threshold": 0, "--confirm": 1})
    fitset = opts["--fit"].split(",") if "--fit" in opts else FITSET
    l2 = float(opts.get("--l2", 1.0))
    base = None
    free = opts["--only"].split(",") if "--only" in opts else None
    base_path, write = opts.get("--base"), opts.get("--write")
    gated = "--gate" in opts or "--gate-wrong" in opts
    CHOOSE = opts.get("--choose", "target")
    if CHOOSE not in ("target", "pooled"):
        sys.exit("--choose: target or pooled")
    if "--by-offer" in opts:
        BY_OFFER = True
    if "--rule" in opts:
        RULES = [float(opts["--rule"])]
    rows = load(paths)
    if opts.get("--confirm", "none") != "none":
        CONFIRM = [n for n in opts["--confirm"].split(",") if n in FEATS]
    if not rows:
        sys.exit("no offers in " + " ".join(paths))
    if base_path:
        base = read_weights(base_path)
        if "--keep-threshold" in opts:
            FIXED = read_gate(base_path)
    if free is not None and "all" in free:  # every weight, from --base's
        free = None
    if free is not None:  # "new": the evidence --base does not name (a kind added since)
        new = {i for i in range(len(FEATS)) if base and FEATS[i] not in NAMED}
        free = set().union(*({len(FEATS)} if n == "bias" else new if n == "new" else set() if n == "none"
                              else {FEATS.index(n)} for n in free))
    if CONFIRM:  # weighed by confirm_grid, not by the likelihood
        free = (set(range(len(FEATS) + 1)) if free is None else free) - {FEATS.index(n) for n in CONFIRM}
    names = sorted({r[0] for r in rows})
    if fitset == ["all"]:
        fitset = names
    tr = [r for r in rows if r[0] in fitset]
    te = [r for r in rows if r[0] not in fitset]
    w, b, pl, t = fit_model(tr, l2, base, free)
    print(f"fitted on {','.join(fitset)} ({len(tr)} offers), threshold {t:.2f}, rule's weight {pl:.2f}")
    print("  " + line("fitted on", tr, w, b, t, pl))
    print("  " + line("checked on", te, w, b, t, pl))
    for nm in names:
        print("    " + line(nm, [r for r in rows if r[0] == nm], w, b, t, pl))
    print("leave one history out (fitted, rule's weight and threshold chosen on the other six):")
    per, (tot_ok, tot_n, tot_all) = loo(rows, names, l2, base, free)
    for nm, t2, p2, ok, n, allok in per:
        print(f"  {nm}: threshold {t2:.2f}, rule {p2:.2f}  left out: precision "
              f"{ok / n if n else float('nan'):.3f} ({ok} / {n}), right offers kept {ok} / {allok}")
    print(f"  all left out: precision {tot_ok / tot_n if tot_n else float('nan'):.3f} ({tot_ok} / {tot_n}), "
          f"right offers kept {tot_ok} / {tot_all}")
    wa, ba, pa, ta = fit_model(rows, l2, base, free)
    print(f"fitted on all of them: threshold {ta:.2f}, rule {pa:.2f}; " + line("all", rows, wa, ba, ta, pa))
    for nm, ww, bb in (("fitted on " + ",".join(fitset), w, b), ("all of them", wa, ba)):
        print(f"weights, {nm}: bias={bb:+.2f}  " + "  ".join(f"{n}={x:+.2f}" for n, x in zip(FEATS, ww)))
    if gated:
        if not base_path:
            sys.exit("--gate: compared with the --base weights: give --base")
        why = (gate if "--gate-wrong" in opts else gate_target)(rows, names, l2, base, read_gate(base_path), free,
                                                                 w, b, t, pl, paths)
        print("verdict: " + ("keep" if not why else "do not keep: " + "; ".join(why)))
        if why and write:
            print(f"not written: {write} (without --gate it would be)")
            write = None
    if write and base and [round(x, 3) for x in w + [b]] == [round(x, 3) for x in base] and \
            base_path and (round(pl, 2), round(t, 2)) == tuple(round(x, 2) for x in read_gate(base_path)):
        print(f"not written: {write} (the same weights, rule's weight and threshold)")
        write = None
    if write:
        ok, n, _ = at(tr, w, b, t, pl)
        write_header(write, w, b, t, pl, f"Fitted on {','.join(fitset)} ({len(tr)} offers), threshold {t:.2f}, "
                     f"rule's weight {pl:.2f}: precision {ok / max(1, n):.3f} there.")
        print(f"wrote {write}")


if __name__ == "__main__":
    main()
