/* eval.c - `tacit eval --next-edits --history N [--root REPO] [--json]
 * [--show K] [--examples 1|2] [--example-at first|middle] [--misses]`:
 * next edits measured on a repository's own history.
 *
 * For each of the last N commits (merges skipped) the modified files are
 * read from git (git log, diff, ls-tree, cat-file: nothing in the
 * checkout is touched). Each hunk of the diff (git diff -w where the
 * commit re-indented code: see file_places) is aligned token by token (longest common
 * subsequence); each run of changed tokens is a place, ended by a line
 * break the alignment keeps (runs on lines in a row are one). Places of
 * one commit with the same change (the same old and new tokens, where
 * names the new tokens take from the old line count as the same) are one
 * repeated edit when there are two or more. For each repeated edit the
 * first place's edit (in file and text order; --example-at middle: the
 * place halfway down the list, so that the commit's other places lie on
 * both sides of it, as when a user starts mid-file) is replayed on the
 * parent's file, next edits are
 * asked for (the edited file and every file of the parent's tree), and
 * each suggestion is checked: correct when applying it gives exactly
 * (token for token) what the commit did at one of its places (several
 * offers that together make one place's change are right together).
 * An offer in a file the commit deletes can be neither made nor refused
 * by it: unjudged, counted apart (not in suggested, nor in --features).
 * precision = correct / suggested; recall = the repeated edit's other
 * places found / other places; time = synthesis and search per replayed
 * edit. The other places not found are counted by class (miss_class:
 * what a rule would need to make them); --misses prints them. */
#include "edit/edit_int.h"
#include "util/buf.h"
#include "util/opt.h"
#include "util/status.h"
#include "workspace/generated.h"

#include <cjson/cJSON.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define EVAL_MAX_FILES 60     /* modified files per commit (larger: a mass change, skipped) */
#define EVAL_MAX_PLACES 4000  /* places per commit (more: the rest not looked at) */
#define EVAL_MAX_GROUP 64     /* places of one repeated edit looked at */
#define EVAL_MAX_TREE 20000   /* files of the parent's tree searched */
#define EVAL_MAX_BLOB (1u << 20)

/* ---- git ------------------------------------------------------------------------- */

/* Run git -C root ARGS with stdin from in[0..inlen) (NULL: /dev/null),
 * stdout into out (reset). TC_OK, or TC_EIO when git fails. */
static int git(const char *root, const char *const *args, const char *in, size_t inlen, tc_buf *out)
{
    const char *argv[24];
    char tmpl[] = "/tmp/tacit-eval-XXXXXX";
    int p[2], infd = -1, status, rc = TC_EIO, n = 0;
    pid_t pid;
    char chunk[65536];
    ssize_t got;
    out->len = 0;
    argv[n++] = "git";
    argv[n++] = "-C";
    argv[n++] = root;
    while (*args && n < 22) argv[n++] = *args++;
    argv[n] = NULL;
    if (in) {
        if ((infd = mkstemp(tmpl)) < 0) return TC_EIO;
        unlink(tmpl);
        if (write(infd, in, inlen) != (ssize_t)inlen || lseek(infd, 0, SEEK_SET) != 0) goto out;
    }
    if (pipe(p)) goto out;
    if ((pid = fork()) < 0) {
        close(p[0]);
        close(p[1]);
        goto out;
    }
    if (pid == 0) {
        int nul = open("/dev/null", O_RDWR);
        dup2(infd >= 0 ? infd : nul, 0);
        dup2(p[1], 1);
        dup2(nul, 2);
        close(p[0]);
        execvp("git", (char *const *)argv);
        _exit(127);
    }
    close(p[1]);
    rc = TC_OK;
    while ((got = read(p[0], chunk, sizeof chunk)) > 0)
        if (rc == TC_OK) rc = tc_buf_append(out, chunk, (size_t)got);
    close(p[0]);
    if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) rc = TC_EIO;
    if (rc == TC_OK && !out->data) rc = tc_buf_append(out, "", 0);
out:
    if (infd >= 0) close(infd);
    return rc;
}

/* Blobs rev:path for each path, by one git cat-file --batch. texts[i] is
 * malloc'd (NULL: missing or too big). */
static int git_blobs(const char *root, const char *rev, char **paths, size_t n, char **texts, size_t *lens)
{
    static const char *const args[] = {"cat-file", "--batch", NULL};
    tc_buf in = {0}, out = {0};
    size_t i, at = 0;
    int rc = TC_OK;
    for (i = 0; i < n && rc == TC_OK; i++) rc = tc_buf_printf(&in, "%s:%s\n", rev, paths[i]);
    if (rc == TC_OK) rc = git(root, args, in.data, in.len, &out);
    for (i = 0; i < n && rc == TC_OK; i++) {
        char *nl = memchr(out.data + at, '\n', out.len - at), *sp;
        size_t sz;
        texts[i] = NULL;
        lens[i] = 0;
        if (!nl) break;
        *nl = 0;
        sp = strrchr(out.data + at, ' ');
        if (!strstr(out.data + at, " blob ") || !sp) { /* "missing" */
            at = (size_t)(nl - out.data) + 1;
            continue;
        }
        sz = strtoul(sp + 1, NULL, 10);
        at = (size_t)(nl - out.data) + 1;
        if (at + sz > out.len) break;
        if (sz <= EVAL_MAX_BLOB && !memchr(out.data + at, 0, sz < 8192 ? sz : 8192)) {
            if (!(texts[i] = malloc(sz + 1))) rc = TC_ENOMEM;
            else {
                memcpy(texts[i], out.data + at, sz);
                texts[i][sz] = 0;
                lens[i] = sz;
            }
        }
        at += sz + 1;
    }
    tc_buf_free(&in);
    tc_buf_free(&out);
    return rc;
}

/* 1 for a tool's output rather than code someone wrote
 * (workspace/generated.h: minified, marked, or a compiler's or bundler's
 * output). Its changes are the build's copies of a change made elsewhere:
 * neither places nor places to offer. */
static int generated(const char *s, size_t len)
{
    return tc_generated_kind(s, len, 0) != TC_GEN_NONE;
}

/* ---- places ----------------------------------------------------------------------- */

typedef struct place {
    int file;        /* index into the commit's files */
    size_t oa, ob;   /* old bytes replaced (token-trimmed) */
    char *text;      /* new bytes */
    char *sig;       /* the change, names carried from the old line abstracted */
    int group;
} place;

typedef struct cfile {
    char *path;
    char *old, *new;
    size_t olen, nlen;
    tc_lang lang;
    ev vo, vn;  /* their tokens */
} cfile;

static size_t line_off(const char *s, size_t len, size_t line) /* 1-based line -> byte */
{
    size_t i = 0, l = 1;
    while (l < line && i < len) {
        const char *nl = memchr(s + i, '\n', len - i);
        if (!nl) return len;
        i = (size_t)(nl - s) + 1;
        l++;
    }
    return i;
}

/* The signature of old tokens [a, b) -> new tokens [c, d), with the old
 * line's tokens [la, lb) as context. */
static char *signature(const ev *o, size_t a, size_t b, const ev *n, size_t c, size_t d, size_t la, size_t lb)
{
    tc_buf s = {0};
    size_t i, j, names[64], nn = 0;
    int side;
    for (side = 0; side < 2; side++) {
        const ev *v = side ? n : o;
        size_t from = side ? c : a, to = side ? d : b;
        tc_buf_puts(&s, side ? " => " : "");
        for (i = from; i < to; i++) {
            int carried = 0;
            size_t k;
            if (v->t[i].kind == TC_TOK_IDENT || v->t[i].kind == TC_TOK_NUMBER || v->t[i].kind == TC_TOK_STRING) {
                if (side) {
                    for (j = la; j < lb && !carried; j++) carried = ev_eq(o, j, n, i);
                } else {
                    for (j = c; j < d && !carried; j++) carried = ev_eq(o, i, n, j);
                }
            }
            if (!carried) {
                if (v->t[i].kind == TC_TOK_NEWLINE) tc_buf_puts(&s, "\\n ");
                else {
                    tc_buf_append(&s, v->s + v->t[i].off, v->t[i].len);
                    tc_buf_puts(&s, " ");
                }
                continue;
            }
            for (k = 0; k < nn; k++) {
                const ev *kv = names[k] >> 62 ? n : o;
                size_t ki = names[k] & ~(3ull << 62);
                if (ev_eq(kv, ki, v, i)) break;
            }
            if (k == nn && nn < 64) names[nn++] = i | ((size_t)side << 62);
            tc_buf_printf(&s, "$%zu ", k);
        }
    }
    return s.data ? s.data : strdup("");
}

/* The tokens of f that start in bytes [a, b) (a view into f). */
static ev window(const ev *f, size_t a, size_t b)
{
    ev w = *f;
    size_t i0 = ev_tok_at(f, a);
    w.t = f->t + i0;
    w.n = ev_tok_at(f, b) - i0;
    w.match = NULL;
    return w;
}

/* 1 if tokens [a, b) of x and [c, d) of y differ only in line breaks and
 * commas (a formatter's change, not an edit). */
static int layout_only(const ev *x, size_t a, size_t b, const ev *y, size_t c, size_t d)
{
    for (;;) {
        while (a < b && (x->t[a].kind == TC_TOK_NEWLINE || ev_is(x, a, ","))) a++;
        while (c < d && (y->t[c].kind == TC_TOK_NEWLINE || ev_is(y, c, ","))) c++;
        if (a == b || c == d) return a == b && c == d;
        if (!ev_eq(x, a, y, c)) return 0;
        a++;
        c++;
    }
}

/* Place old tokens [i0, i1) of o -> new tokens [j0, j1) of n (views of f)
 * unless it only moves line breaks and commas. */
static int put_place(cfile *f, int fi, const ev *o, size_t i0, size_t i1, const ev *n, size_t j0, size_t j1,
                     size_t a, size_t c, place *pl, size_t *np)
{
    place *q;
    size_t nb, ne, la, lb;
    if (*np >= EVAL_MAX_PLACES || layout_only(o, i0, i1, n, j0, j1)) return TC_OK;
    q = &pl[(*np)++];
    /* an insertion takes the space before it along (`f(h)` -> `f(h as any)`) */
    nb = j0 < j1 && i0 < i1 ? n->t[j0].off : (j0 ? ev_end(n, j0) : c);
    ne = j0 < j1 ? ev_end(n, j1) : nb;
    q->file = fi;
    q->oa = i0 < i1 ? o->t[i0].off : (i0 ? ev_end(o, i0) : a);
    q->ob = i0 < i1 ? ev_end(o, i1) : q->oa;
    q->text = strndup(f->new + nb, ne - nb);
    la = ev_line_first(o, i0 < o->n ? i0 : (o->n ? o->n - 1 : 0));
    lb = ev_line_end(o, i0 < o->n ? i0 : la);
    q->sig = signature(o, i0, i1, n, j0, j1, la, lb);
    q->group = -1;
    return q->text && q->sig ? TC_OK : TC_ENOMEM;
}

#define EVAL_LCS_MAX 4000000 /* cells of the token alignment of one hunk */

/* Token i of v starts a line (the hunk's first token does). */
static int line_start(const ev *v, size_t i)
{
    return i == 0 || v->t[i - 1].kind == TC_TOK_NEWLINE;
}

/* Tokens [i, j) of v hold a line break. */
static int has_newline(const ev *v, size_t i, size_t j)
{
    while (i < j && v->t[i].kind != TC_TOK_NEWLINE) i++;
    return i < j;
}

/* Old bytes [a, b) became new bytes [c, d) of f: one place per run of
 * changed tokens, ended by a line break both sides keep, aligned by the
 * longest common subsequence; tokens from the whole files, so that
 * comments stay comments. The tokens both ends share are set aside
 * first; where what is left spans lines, the shared end only as whole
 * lines: cut mid-line, it would tie a changed line's last tokens to the
 * hunk's last line and make that line's change and the lines deleted
 * after it one run. */
static int add_place(cfile *f, int fi, size_t a, size_t b, size_t c, size_t d, place *pl, size_t *np)
{
    ev o = window(&f->vo, a, b), n = window(&f->vn, c, d);
    size_t p = 0, s = 0, on, nn, i, j, ri, rj, gi, gj;
    uint32_t *L;
    int rc = TC_OK, in_run = 0;
    while (p < o.n && p < n.n && ev_eq(&o, p, &n, p)) p++;
    while (s < o.n - p && s < n.n - p && ev_eq(&o, o.n - 1 - s, &n, n.n - 1 - s)) s++;
    if (has_newline(&o, p, o.n - s) || has_newline(&n, p, n.n - s))
        while (s > 0 && !(line_start(&o, o.n - s) && line_start(&n, n.n - s))) s--;
    on = o.n - s - p;
    nn = n.n - s - p;
    if (on == 0 && nn == 0) return TC_OK;
    if (on == 0 || nn == 0 || (on + 1) * (nn + 1) > EVAL_LCS_MAX ||
        !(L = calloc((on + 1) * (nn + 1), sizeof *L)))
        return put_place(f, fi, &o, p, p + on, &n, p, p + nn, a, c, pl, np);
    /* L[i][j]: LCS of old[p+i..] and new[p+j..] */
    for (i = on; i-- > 0;)
        for (j = nn; j-- > 0;)
            L[i * (nn + 1) + j] = ev_eq(&o, p + i, &n, p + j) ? L[(i + 1) * (nn + 1) + j + 1] + 1
                                  : L[(i + 1) * (nn + 1) + j] > L[i * (nn + 1) + j + 1] ? L[(i + 1) * (nn + 1) + j]
                                                                                         : L[i * (nn + 1) + j + 1];
    i = j = 0;
    ri = rj = gi = gj = 0;
    while (rc == TC_OK && (i < on || j < nn)) {
        if (i < on && j < nn && ev_eq(&o, p + i, &n, p + j) &&
            L[i * (nn + 1) + j] == L[(i + 1) * (nn + 1) + j + 1] + 1) {
            if (in_run && o.t[p + i].kind == TC_TOK_NEWLINE) { /* a line break between: the run ends */
                rc = put_place(f, fi, &o, p + ri, p + gi, &n, p + rj, p + gj, a, c, pl, np);
                in_run = 0;
            }
            i++;
            j++;
            continue;
        }
        if (!in_run) {
            in_run = 1;
            ri = i;
            rj = j;
        }
        if (j < nn && (i == on || L[i * (nn + 1) + j + 1] >= L[(i + 1) * (nn + 1) + j])) j++;
        else i++;
        gi = i;
        gj = j;
    }
    if (rc == TC_OK && in_run) rc = put_place(f, fi, &o, p + ri, p + gi, &n, p + rj, p + gj, a, c, pl, np);
    free(L);
    return rc;
}

/* Lines a diff removes or adds. */
static size_t diff_lines(const tc_buf *d)
{
    size_t n = 0;
    const char *p;
    for (p = d->data; p && (p = strchr(p, '\n')); p++)
        n += (p[1] == '-' || p[1] == '+') && strncmp(p + 1, "---", 3) && strncmp(p + 1, "+++", 3);
    return n;
}

/* The places of file f from its -U0 diff; the diff that ignores white
 * space where it is at most half as long (the commit re-indented code:
 * lines that only moved in would make hunks of unrelated lines). Not
 * always: where indentation alone tells lines apart (`}` lines), such a
 * diff can put an added line at a spot the commit did not. */
static int file_places(const char *root, const char *parent, const char *commit, cfile *f, int fi, place *pl,
                       size_t *np)
{
    const char *args[] = {"diff", "-U0", "--no-color", "--no-ext-diff", "--no-renames",
                          parent, commit, "--", f->path, NULL};
    const char *wargs[] = {"diff", "-U0", "-w", "--no-color", "--no-ext-diff", "--no-renames",
                           parent, commit, "--", f->path, NULL};
    tc_buf out = {0}, wout = {0};
    const char *p;
    int rc = git(root, args, NULL, 0, &out);
    if (rc == TC_OK && git(root, wargs, NULL, 0, &wout) == TC_OK && 2 * diff_lines(&wout) <= diff_lines(&out)) {
        tc_buf t = out;
        out = wout;
        wout = t;
    }
    tc_buf_free(&wout);
    for (p = out.data; rc == TC_OK && p && (p = strstr(p, "\n@@ -")); p++) {
        unsigned long a, b = 1, c, d = 1;
        const char *q = p + 5;
        char *e;
        size_t oa, ob, na, nb;
        a = strtoul(q, &e, 10);
        if (*e == ',') b = strtoul(e + 1, &e, 10);
        if (strncmp(e, " +", 2)) continue;
        c = strtoul(e + 2, &e, 10);
        if (*e == ',') d = strtoul(e + 1, &e, 10);
        if (b == 0) a++; /* "-5,0": after line 5 */
        if (d == 0) c++;
        oa = line_off(f->old, f->olen, a);
        ob = line_off(f->old, f->olen, a + b);
        na = line_off(f->new, f->nlen, c);
        nb = line_off(f->new, f->nlen, c + d);
        rc = add_place(f, fi, oa, ob, na, nb, pl, np);
    }
    tc_buf_free(&out);
    return rc;
}

/* ---- checking --------------------------------------------------------------------- */

static char *apply(const char *s, size_t len, size_t a, size_t b, const char *t, size_t *outlen)
{
    size_t tn = strlen(t);
    char *r = malloc(len - (b - a) + tn + 1);
    if (!r) return NULL;
    memcpy(r, s, a);
    memcpy(r + a, t, tn);
    memcpy(r + a + tn, s + b, len - b);
    *outlen = len - (b - a) + tn;
    r[*outlen] = 0;
    return r;
}

/* 1 if old bytes x and y of f are one spot: at most 2 bytes apart, or
 * only white space between (an insertion at a line's start takes the
 * indentation along, its site is at the line's first token). */
static int near(const cfile *f, size_t x, size_t y)
{
    size_t lo = x < y ? x : y, hi = x < y ? y : x;
    if (hi <= lo + 2) return 1;
    for (; lo < hi && lo < f->olen; lo++)
        if (f->old[lo] != ' ' && f->old[lo] != '\t' && f->old[lo] != '\n') return 0;
    return lo == hi;
}

/* 1 if the offer [a, b) lies within place pl (file fi), its ends near. */
static int within(const cfile *f, int fi, const place *pl, int ofile, size_t a, size_t b)
{
    return ofile == fi && pl->file == fi && (a >= pl->oa || near(f, a, pl->oa)) && (b <= pl->ob || near(f, b, pl->ob));
}

/* The place of file fi that the site [a, b) -> text (old-file bytes) makes
 * exactly, or -1. */
static long site_place(const cfile *f, int fi, const place *pl, size_t np, size_t a, size_t b, const char *text)
{
    size_t i, sl, pln;
    long hit = -1;
    char *s = apply(f->old, f->olen, a, b, text, &sl);
    if (!s) return -1;
    for (i = 0; i < np && hit < 0; i++) {
        char *q;
        if (pl[i].file != fi || (pl[i].ob < a && !near(f, pl[i].ob, a)) || (pl[i].oa > b && !near(f, pl[i].oa, b)))
            continue;
        if (!(q = apply(f->old, f->olen, pl[i].oa, pl[i].ob, pl[i].text, &pln))) break;
        if (edit_same_tokens(f->lang, s, sl, q, pln)) hit = (long)i;
        free(q);
    }
    free(s);
    return hit;
}

/* ---- the run ---------------------------------------------------------------------- */

typedef struct stats {
    size_t commits, groups, places, replayed, ruled, suggested, correct, others, found;
    size_t unjudged; /* offers in files the commit deletes: neither right nor wrong, not in suggested */
    size_t kind_groups[TC_EDIT_KIND_COUNT], kind_sugg[TC_EDIT_KIND_COUNT], kind_ok[TC_EDIT_KIND_COUNT];
    double ms_total, ms_max;
    double *ms;
    size_t nms;
    size_t miss[8]; /* other places not found, by class (miss_names) */
} stats;

/* Classes of the places not found (--misses): what a rule would need to
 * make them. */
enum { MISS_TOP = 0, MISS_LINES, MISS_DEL_LINES, MISS_MULTI, MISS_NORULE, MISS_RULE, MISS_NCLASS };
static const char *const miss_names[MISS_NCLASS] = {
    "top",        /* whole lines inserted at the top of a file (after its first tokens at most) */
    "lines",      /* whole lines inserted elsewhere */
    "del-lines",  /* whole lines deleted */
    "multi-line", /* a rewrite over several lines */
    "line/none",  /* inside one line, the first example made no rule */
    "line/rule",  /* inside one line, a rule was made but missed it */
};

#define EVAL_TOP_TOKENS 12 /* tokens before an insertion still at a file's top */

/* The class of place q (ruled: the first example made a rule). */
static int miss_class(const cfile *f, const place *q, int ruled)
{
    const char *o = f->old + q->oa;
    size_t on = q->ob - q->oa, before = ev_tok_at(&f->vo, q->oa);
    int onl = memchr(o, '\n', on) != NULL, nnl = strchr(q->text, '\n') != NULL;
    if (on == 0 && nnl) {
        size_t k, sig = 0;
        for (k = 0; k < before; k++) sig += f->vo.t[k].kind != TC_TOK_NEWLINE;
        return sig <= EVAL_TOP_TOKENS ? MISS_TOP : MISS_LINES;
    }
    if (!*q->text && onl) return MISS_DEL_LINES;
    if (onl || nnl) return MISS_MULTI;
    return ruled ? MISS_RULE : MISS_NORULE;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int same_family(tc_lang a, tc_lang b)
{
    return a == b || ((a == TC_LANG_C || a == TC_LANG_CPP) && (b == TC_LANG_C || b == TC_LANG_CPP)) ||
           ((a == TC_LANG_JS || a == TC_LANG_TS) && (b == TC_LANG_JS || b == TC_LANG_TS));
}

typedef struct tree {
    char **paths;
    char **texts;
    size_t *lens;
    tc_lang *langs;
    tc_edit_text **lexed; /* NULL until needed */
    size_t n;
} tree;

static void tree_free(tree *t)
{
    size_t i;
    for (i = 0; i < t->n; i++) {
        free(t->paths[i]);
        free(t->texts[i]);
        if (t->lexed) tc_edit_text_free(t->lexed[i]);
    }
    free(t->lexed);
    free(t->paths);
    free(t->texts);
    free(t->lens);
    free(t->langs);
    memset(t, 0, sizeof *t);
}

/* The parent's code files (lazily, once per commit). */
static int tree_load(const char *root, const char *rev, tree *t)
{
    const char *args[] = {"ls-tree", "-r", "-z", "--name-only", rev, NULL};
    tc_buf out = {0};
    size_t at = 0, cap = 0;
    int rc = git(root, args, NULL, 0, &out);
    while (rc == TC_OK && at < out.len && t->n < EVAL_MAX_TREE) {
        const char *p = out.data + at;
        size_t l = strlen(p);
        tc_lang lang = tc_lang_detect(p, NULL, 0);
        at += l + 1;
        if (lang == TC_LANG_TEXT) continue;
        if (t->n == cap) {
            cap = cap ? 2 * cap : 256;
            if (!(t->paths = realloc(t->paths, cap * sizeof *t->paths)) ||
                !(t->langs = realloc(t->langs, cap * sizeof *t->langs))) {
                rc = TC_ENOMEM;
                break;
            }
        }
        t->langs[t->n] = lang;
        if (!(t->paths[t->n++] = strdup(p))) rc = TC_ENOMEM;
    }
    tc_buf_free(&out);
    if (rc == TC_OK && t->n) {
        t->texts = calloc(t->n, sizeof *t->texts);
        t->lens = calloc(t->n, sizeof *t->lens);
        t->lexed = calloc(t->n, sizeof *t->lexed);
        rc = t->texts && t->lens && t->lexed ? git_blobs(root, rev, t->paths, t->n, t->texts, t->lens) : TC_ENOMEM;
        for (size_t i = 0; rc == TC_OK && i < t->n; i++)
            if (t->texts[i] && generated(t->texts[i], t->lens[i])) {
                free(t->texts[i]);
                t->texts[i] = NULL;
            }
    }
    return rc;
}

typedef struct eval_opts {
    const char *root;
    long history;
    long show;
    int json;
    int examples; /* places replayed per repeated edit: 1, or 2 (of those with 3 or more) */
    FILE *features; /* --features: each offer's evidence and whether it was right, or NULL */
    long rules;     /* rules made so far (the features' rule number) */
    int misses;   /* print each other place not found, with its class */
    const char *const *deleted; /* the commit's deleted files (the one being replayed) */
    size_t ndeleted;
    int at_middle; /* --example-at middle: replay the group's place n / 2 (0-based), not its first */
} eval_opts;

/* 1 when path is a file the commit deletes: an offer there can be neither
 * made nor refused by the commit (unjudged). */
static int deleted_file(const eval_opts *eo, const char *path)
{
    for (size_t i = 0; i < eo->ndeleted; i++)
        if (strcmp(eo->deleted[i], path) == 0) return 1;
    return 0;
}

/* The places of g0's repeated edit that are neither g0, g1 (the second
 * example, with two) nor found: counted by class into st, printed with
 * --misses. found: NULL when no rule was made. */
static void count_misses(const eval_opts *eo, const cfile *files, const place *pl, size_t np, size_t g0,
                         const unsigned char *found, const tc_edit_rule *r, stats *st)
{
    size_t i, g1 = 0;
    for (i = g0 + 1; i < np && !g1; i++)
        if (pl[i].group == pl[g0].group) g1 = i;
    for (i = g0 + 1; i < np; i++) {
        const cfile *f = &files[pl[i].file];
        int c;
        size_t line = 1, k;
        if (pl[i].group != pl[g0].group || (eo->examples == 2 && i == g1) || (found && found[i])) continue;
        c = miss_class(f, &pl[i], r != NULL);
        st->miss[c]++;
        if (!eo->misses) continue;
        for (k = 0; k < pl[i].oa; k++) line += f->old[k] == '\n';
        printf("  miss %-10s %s:%zu%s%s: %.100s\n", miss_names[c], f->path, line, r ? " rule " : "",
               r ? tc_edit_kind_name(tc_edit_rule_kind(r)) : "", pl[i].sig);
    }
}

/* The confidence thresholds the evaluation counts at (the first: none;
 * the row printed first: TC_EDIT_OFFER_CONF, what the server offers by
 * default). */
static const double eval_conf[] = {0.0, 0.5, 0.6, 0.65, 0.7, TC_EDIT_OFFER_CONF, 0.75, 0.8, 0.85, 0.9};
#define EVAL_NCONF (sizeof eval_conf / sizeof *eval_conf)

/* Site s in its file's old bytes (*a, *b): the index of that file among
 * the commit's, or -1 (a file the commit did not touch: wrong wherever it
 * is). Sites in the replayed file p0 are shifted back by its edit. */
static int offer_old(const cfile *files, size_t nfiles, const place *p0, const tc_edit_site *s, size_t *a,
                     size_t *b)
{
    size_t fi, delta = strlen(p0->text) - (p0->ob - p0->oa);
    *a = s->a;
    *b = s->b;
    for (fi = 0; fi < nfiles; fi++)
        if (strcmp(files[fi].path, s->path) == 0) break;
    if (fi == nfiles) return -1;
    if (fi == (size_t)p0->file) { /* the replayed file: back to old offsets */
        if (s->a >= p0->oa + strlen(p0->text)) {
            *a -= delta;
            *b -= delta;
        } else if (s->b > p0->oa) {
            return -1;
        }
    }
    return (int)fi;
}

/* The two-example protocol: the rule (tc_edit_synth2: the first place's,
 * confirmed by the second, or the two anti-unified) is kept only when one
 * of its sites makes the second place g1 exactly (that site is then the
 * user's second edit, not an offer); otherwise nothing is offered. */
static void second_example(const cfile *files, size_t nfiles, const place *pl, size_t np, size_t g0, size_t g1,
                           tc_edit_sites *sites)
{
    size_t k, a, b;
    for (k = 0; k < sites->n; k++) {
        int fi = offer_old(files, nfiles, &pl[g0], &sites->v[k], &a, &b);
        if (fi >= 0 && site_place(&files[fi], fi, pl, np, a, b, sites->v[k].text) == (long)g1) break;
    }
    if (k == sites->n) {
        tc_edit_sites_free(sites);
        return;
    }
    free(sites->v[k].path);
    free(sites->v[k].text);
    memmove(&sites->v[k], &sites->v[k + 1], (sites->n - k - 1) * sizeof *sites->v);
    sites->n--;
}

/* Count the offers of r (all the sites of confidence >= min of all) for the
 * repeated edit of place g0 into st; show: print each offer. */
static int count_offers(const eval_opts *eo, cfile *files, size_t nfiles, place *pl, size_t np, size_t g0,
                        const tc_edit_rule *r, const tc_edit_sites *all, double min, stats *st, long *shown, int show)
{
    place *p0 = &pl[g0];
    size_t i, k, found = 0;
    tc_edit_sites sites = {0}; /* a view: the sites are all's */
    unsigned char *hit = calloc(np, 1), *counted = calloc(np, 1);
    struct {
        int file;   /* the commit's file, or -1: wrong wherever it is (unless deleted) */
        size_t a, b; /* in that file's old text */
        long place; /* the place it makes (with others), or -1 */
        int together; /* 1: it makes that place only with the others (right together) */
    } *ofs = NULL;
    int rc = TC_OK;
    if (!hit || !counted || !(sites.v = malloc((all->n + 1) * sizeof *sites.v))) {
        rc = TC_ENOMEM;
        goto out;
    }
    for (k = 0; k < all->n; k++)
        if (all->v[k].conf >= min) sites.v[sites.n++] = all->v[k];
    if (show && *shown < eo->show && sites.n == 0)
        printf("  (%s rule \"%s\": 0 places)\n", tc_edit_kind_name(tc_edit_rule_kind(r)), tc_edit_rule_title(r));
    st->ruled++;
    st->kind_groups[tc_edit_rule_kind(r)]++;
    if (!(ofs = calloc(sites.n + 1, sizeof *ofs))) {
        rc = TC_ENOMEM;
        goto out;
    }
    for (k = 0; k < sites.n; k++) { /* each offer in its file's old bytes */
        ofs[k].place = -1;
        ofs[k].file = offer_old(files, nfiles, p0, &sites.v[k], &ofs[k].a, &ofs[k].b);
    }
    /* offers that together make what the commit did at one place (three
     * uses renamed on one line) are right together */
    for (i = 0; i < np; i++) {
        size_t nin = 0, tl = 0, ql;
        char *t = NULL, *q;
        if (i == g0 || hit[i]) continue;
        for (k = 0; k < sites.n; k++)
            nin += within(&files[pl[i].file], pl[i].file, &pl[i], ofs[k].file, ofs[k].a, ofs[k].b);
        if (nin < 2) continue;
        {
            const cfile *cf = &files[pl[i].file];
            size_t kk;
            if (!(t = malloc(cf->olen + 1))) break;
            memcpy(t, cf->old, cf->olen + 1);
            tl = cf->olen;
            for (kk = sites.n; kk-- > 0 && t;) { /* sites are in text order: back to front */
                char *u;
                if (!within(cf, pl[i].file, &pl[i], ofs[kk].file, ofs[kk].a, ofs[kk].b)) continue;
                u = apply(t, tl, ofs[kk].a, ofs[kk].b, sites.v[kk].text, &tl);
                free(t);
                t = u;
            }
            if (t && (q = apply(cf->old, cf->olen, pl[i].oa, pl[i].ob, pl[i].text, &ql)) != NULL) {
                if (edit_same_tokens(cf->lang, t, tl, q, ql)) {
                    hit[i] = 1;
                    for (kk = 0; kk < sites.n; kk++)
                        if (within(cf, pl[i].file, &pl[i], ofs[kk].file, ofs[kk].a, ofs[kk].b)) {
                            ofs[kk].place = (long)i;
                            ofs[kk].together = 1;
                        }
                }
                free(q);
            }
            free(t);
        }
    }
    for (k = 0; k < sites.n; k++) {
        tc_edit_site *s = &sites.v[k];
        long hitp = ofs[k].place;
        if (ofs[k].file < 0 && deleted_file(eo, s->path)) { /* unjudged: not counted, not a feature row */
            st->unjudged++;
            if (show && *shown < eo->show) {
                (*shown)++;
                printf("  gone  %.2f %s:%zu [%s] %s -> \"%.60s\" (the commit deletes the file: unjudged)\n", s->conf,
                       s->path, s->a, tc_edit_kind_name(tc_edit_rule_kind(r)), tc_edit_rule_title(r), s->text);
            }
            continue;
        }
        st->suggested++;
        st->kind_sugg[tc_edit_rule_kind(r)]++;
        if (hitp < 0 && ofs[k].file >= 0) {
            hitp = site_place(&files[ofs[k].file], ofs[k].file, pl, np, ofs[k].a, ofs[k].b, s->text);
            if (hitp >= 0 && (hit[hitp] || (size_t)hitp == g0)) hitp = -1;
            if (hitp >= 0) hit[hitp] = 1;
        }
        if (hitp >= 0) {
            st->correct++;
            st->kind_ok[tc_edit_rule_kind(r)]++;
            if (pl[hitp].group == p0->group && !counted[hitp]) found++;
            counted[hitp] = 1;
        }
        if (show && eo->features) {
            /* the group: the first of the offers that make one place together
             * (right only if all pass a threshold), else the offer itself */
            size_t grp = k;
            int f;
            if (ofs[k].together)
                for (grp = 0; grp < k && !(ofs[grp].together && ofs[grp].place == ofs[k].place); grp++) {}
            /* found: the place of the replayed edit it makes (recall), else -1 */
            fprintf(eo->features, "%s\t%ld\t%d\t%zu\t%ld", eo->root, eo->rules, hitp >= 0, grp,
                    hitp >= 0 && pl[hitp].group == p0->group ? hitp : -1L);
            for (f = 0; f < TC_EDIT_NFEAT; f++) fprintf(eo->features, "\t%.3f", (double)s->feat[f]);
            fputc('\n', eo->features);
        }
        if (show && *shown < eo->show) {
            (*shown)++;
            printf("  %s %.2f %s:%zu [%s] %s -> \"%.60s\"\n", hitp >= 0 ? "ok   " : "WRONG", s->conf, s->path, s->a,
                   tc_edit_kind_name(tc_edit_rule_kind(r)), tc_edit_rule_title(r), s->text);
        }
    }
    st->found += found;
    if (show) count_misses(eo, files, pl, np, g0, counted, r, st);
out:
    free(sites.v);
    free(hit);
    free(counted);
    free(ofs);
    return rc;
}

/* Replay place g0 of its group; count into st[0..EVAL_NCONF). */
static int replay(eval_opts *eo, const char *parent, cfile *files, size_t nfiles, place *pl, size_t np,
                  size_t g0, tree *tr, int *tree_loaded, stats *st, long *shown)
{
    place *p0 = &pl[g0];
    cfile *f = &files[p0->file];
    size_t o1len, i, c, gsize = 0, g1 = 0;
    char *o1;
    tc_edit_src before = {f->path, f->old, f->olen, f->lang};
    tc_edit_rule *r = NULL;
    tc_edit_sites sites = {0};
    double t0, ms;
    int rc = TC_OK;
    for (i = 0; i < np; i++) {
        gsize += pl[i].group == p0->group;
        if (pl[i].group == p0->group && i > g0 && !g1) g1 = i;
    }
    if (eo->examples == 2 && gsize < 3) return TC_OK; /* two examples and at least one place left */
    if (!(o1 = apply(f->old, f->olen, p0->oa, p0->ob, p0->text, &o1len))) return TC_ENOMEM;
    for (c = 0; c < EVAL_NCONF; c++) {
        st[c].replayed++;
        st[c].others += gsize - (size_t)eo->examples;
    }
    t0 = now_ms();
    if (eo->examples == 2) { /* the second place, on its own file's old text */
        cfile *f2 = &files[pl[g1].file];
        tc_edit_src b2 = {f2->path, f2->old, f2->olen, f2->lang};
        size_t o2len;
        char *o2 = apply(f2->old, f2->olen, pl[g1].oa, pl[g1].ob, pl[g1].text, &o2len);
        int rc2 = o2 ? tc_edit_synth2(&before, o1, o1len, &b2, o2, o2len, &r) : TC_ENOMEM;
        free(o2);
        if (rc2 == TC_ENOMEM) rc = TC_ENOMEM;
    } else if (tc_edit_synth(&before, o1, o1len, &r) == TC_ENOMEM) {
        rc = TC_ENOMEM;
    }
    if (!r) {
        for (c = 0; c < EVAL_NCONF; c++) st[c].ms_total += now_ms() - t0;
        if (*shown < eo->show) printf("  (no rule)\n");
        count_misses(eo, files, pl, np, g0, NULL, NULL, &st[0]);
        goto out;
    }
search: /* again when the rule found no place and widens (widen.c), as the server */
    {
        tc_edit_src src = {f->path, o1, o1len, f->lang};
        rc = edit_rule_sites_min(r, &src, 1, 0, &sites);
    }
    if (rc == TC_OK && tc_edit_rule_crossfile(r)) {
        if (!*tree_loaded) { /* git reading the tree is not timed: the server holds the files */
            double tl = now_ms();
            *tree_loaded = 1;
            tree_load(eo->root, parent, tr); /* without the tree: the commit's files only */
            t0 += now_ms() - tl;
        }
        for (i = 0; i < tr->n && rc == TC_OK; i++) {
            tc_edit_src src = {tr->paths[i], tr->texts[i], tr->lens[i], tr->langs[i]};
            size_t klen;
            const char *key = tc_edit_rule_key(r, &klen);
            if (!tr->texts[i] || strcmp(tr->paths[i], f->path) == 0 || !same_family(f->lang, tr->langs[i])) continue;
            if (klen && !memmem(src.text, src.len, key, klen)) continue;
            /* lexed once per commit, as the server keeps them */
            if (!tr->lexed[i] && !(tr->lexed[i] = tc_edit_text_new(&src))) continue;
            rc = edit_rule_sites_text_min(r, tr->lexed[i], tr->paths[i], 0, 0, &sites);
        }
    }
    if (rc == TC_OK && sites.n == 0 && tc_edit_rule_widen(r)) {
        if (*shown < eo->show) printf("  (%s rule \"%s\": no place, widened)\n", tc_edit_kind_name(tc_edit_rule_kind(r)), tc_edit_rule_title(r));
        goto search;
    }
    if (rc == TC_OK && eo->examples == 2) second_example(files, nfiles, pl, np, g0, g1, &sites);
    if (rc == TC_OK && tc_edit_rule_too_broad(r, sites.n)) { /* as the server */
        size_t all_n = sites.n;
        tc_edit_sites_narrow(r, &sites);
        if (*shown < eo->show)
            printf("  (%s rule \"%s\": %zu places, too many: %zu with the example's surroundings)\n",
                   tc_edit_kind_name(tc_edit_rule_kind(r)), tc_edit_rule_title(r), all_n, sites.n);
    }
    tc_edit_sites_score(&sites);
    eo->rules++;
    ms = now_ms() - t0;
    for (c = 0; c < EVAL_NCONF && rc == TC_OK; c++) {
        st[c].ms_total += ms;
        if (ms > st[c].ms_max) st[c].ms_max = ms;
        if (st[c].ms && st[c].nms < 100000) st[c].ms[st[c].nms++] = ms;
        rc = count_offers(eo, files, nfiles, pl, np, g0, r, &sites, eval_conf[c], &st[c], shown, c == 0);
    }
out:
    tc_edit_sites_free(&sites);
    tc_edit_rule_free(r);
    free(o1);
    return rc;
}

static int eval_commit(eval_opts *eo, const char *commit, const char *parent, stats *st, long *shown)
{
    const char *args[] = {"diff", "--no-renames", "--name-status", "-z", parent, commit, NULL};
    tc_buf ns = {0};
    cfile files[EVAL_MAX_FILES];
    char *opaths[EVAL_MAX_FILES];
    const char **deleted = NULL; /* into ns: the files the commit deletes */
    size_t ndeleted = 0;
    place *pl = calloc(EVAL_MAX_PLACES, sizeof *pl);
    size_t nfiles = 0, np = 0, i, j, k, at = 0;
    int ngroups = 0, rc, tree_loaded = 0;
    tree tr = {0};
    memset(files, 0, sizeof files);
    if (!pl) return TC_ENOMEM;
    if ((rc = git(eo->root, args, NULL, 0, &ns))) goto out;
    while (at < ns.len) { /* "M\0path\0" */
        const char *status = ns.data + at, *path;
        at += strlen(status) + 1;
        if (at >= ns.len) break;
        path = ns.data + at;
        at += strlen(path) + 1;
        if (status[0] == 'D') {
            const char **d = realloc(deleted, (ndeleted + 1) * sizeof *deleted);
            if (!d) {
                rc = TC_ENOMEM;
                goto out;
            }
            deleted = d;
            deleted[ndeleted++] = path;
            continue;
        }
        if (status[0] != 'M' || tc_lang_detect(path, NULL, 0) == TC_LANG_TEXT) continue;
        if (nfiles == EVAL_MAX_FILES) goto out; /* a mass change */
        files[nfiles].path = strdup(path);
        files[nfiles].lang = tc_lang_detect(path, NULL, 0);
        opaths[nfiles] = files[nfiles].path;
        nfiles++;
    }
    if (!nfiles) goto out;
    eo->deleted = deleted;
    eo->ndeleted = ndeleted;
    {
        char *texts[EVAL_MAX_FILES];
        size_t lens[EVAL_MAX_FILES];
        if ((rc = git_blobs(eo->root, parent, opaths, nfiles, texts, lens))) goto out;
        for (i = 0; i < nfiles; i++) {
            files[i].old = texts[i];
            files[i].olen = lens[i];
        }
        if ((rc = git_blobs(eo->root, commit, opaths, nfiles, texts, lens))) goto out;
        for (i = 0; i < nfiles; i++) {
            files[i].new = texts[i];
            files[i].nlen = lens[i];
        }
    }
    for (i = 0; i < nfiles && rc == TC_OK; i++)
        if (files[i].old && files[i].new && !generated(files[i].old, files[i].olen) &&
            !generated(files[i].new, files[i].nlen) &&
            !(rc = ev_init(&files[i].vo, files[i].lang, files[i].old, files[i].olen)) &&
            !(rc = ev_init(&files[i].vn, files[i].lang, files[i].new, files[i].nlen)))
            rc = file_places(eo->root, parent, commit, &files[i], (int)i, pl, &np);
    /* group the places by signature */
    for (i = 0; i < np; i++) {
        size_t n = 1;
        if (pl[i].group >= 0) continue;
        for (j = i + 1; j < np; j++)
            if (pl[j].group < 0 && strcmp(pl[i].sig, pl[j].sig) == 0 && n < EVAL_MAX_GROUP) {
                pl[j].group = ngroups;
                n++;
            }
        if (n > 1) pl[i].group = ngroups++;
        else pl[i].group = -2; /* alone */
    }
    for (j = 0; j < EVAL_NCONF; j++) {
        st[j].commits++;
        for (i = 0; i < np; i++) st[j].places += pl[i].group >= 0;
        st[j].groups += (size_t)ngroups;
    }
    for (i = 0; i < np && rc == TC_OK; i++) {
        int g = pl[i].group;
        if (g < 0) continue;
        for (j = 0; j < i; j++)
            if (pl[j].group == g) break;
        if (j < i) continue; /* not the first place of its group */
        k = i;
        if (eo->at_middle) { /* the group's place n / 2: its others on both sides (n >= 3) */
            size_t n = 0, m = 0;
            for (j = i; j < np; j++) n += pl[j].group == g;
            for (j = i; j < np; j++)
                if (pl[j].group == g && m++ == n / 2) {
                    k = j;
                    break;
                }
        }
        if (*shown < eo->show) printf("%.10s %s: %s\n", commit, files[pl[k].file].path, pl[k].sig);
        rc = replay(eo, parent, files, nfiles, pl, np, k, &tr, &tree_loaded, st, shown);
    }
out:
    for (i = 0; i < np; i++) {
        free(pl[i].text);
        free(pl[i].sig);
    }
    for (i = 0; i < nfiles; i++) {
        ev_free(&files[i].vo);
        ev_free(&files[i].vn);
        free(files[i].path);
        free(files[i].old);
        free(files[i].new);
    }
    free(pl);
    tree_free(&tr);
    eo->deleted = NULL;
    eo->ndeleted = 0;
    free(deleted);
    tc_buf_free(&ns);
    return rc;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int tc_edit_eval_main(int argc, char **argv)
{
    eval_opts eo = {".", 200, 0, 0, 1, NULL, 0, 0, NULL, 0, 0};
    const char *fpath = NULL;
    static const char *const example_at[] = {"first", "middle", NULL}; /* eo.at_middle: the index */
    tc_args a = tc_args_at(argc, argv, 2);
    const char *log_args[] = {"log", "--no-merges", "--format=%H %P", "-n", NULL, NULL};
    char nbuf[32];
    tc_buf log = {0};
    stats sts[EVAL_NCONF], *st;
    size_t c, main_row = 0;
    long shown = 0;
    char *line, *save = NULL;
    int rc = 0;
    long long v;
    memset(sts, 0, sizeof sts);
    for (c = 0; c < EVAL_NCONF; c++) /* the row of TC_EDIT_OFFER_CONF itself, wherever it falls in the table */
        if (eval_conf[c] >= TC_EDIT_OFFER_CONF - 1e-9 && eval_conf[c] <= TC_EDIT_OFFER_CONF + 1e-9) main_row = c;
    st = &sts[main_row];
    for (; a.i < argc && !a.err; a.i++) {
        if (tc_opt_flag(&a, "--next-edits")) continue;
        if (tc_opt_str(&a, "--root", &eo.root)) continue;
        if (tc_opt_flag(&a, "--json")) eo.json = 1;
        else if (tc_opt_int(&a, "--history", 1, 100000, &v)) eo.history = (long)v;
        else if (tc_opt_int(&a, "--show", 0, 100000, &v)) eo.show = (long)v;
        else if (tc_opt_int(&a, "--examples", 1, 2, &v)) eo.examples = (int)v;
        else if (tc_opt_choice(&a, "--example-at", example_at, &eo.at_middle)) continue;
        else if (tc_opt_str(&a, "--features", &fpath)) continue;
        else if (tc_opt_flag(&a, "--misses")) eo.misses = 1;
        else tc_opt_unknown(&a, "eval");
    }
    if (a.err) return 2;
    if (fpath && !(eo.features = fopen(fpath, "a"))) {
        fprintf(stderr, "tacit: cannot write %s\n", fpath);
        return 1;
    }
    if (eo.features) { /* the columns, for bench/nextedit_conf_fit.py: a build's kinds and evidence */
        int f;
        fputs("#root\trule\tright\tgroup\tfound", eo.features);
        for (f = 0; f < TC_EDIT_NFEAT; f++) fprintf(eo.features, "\t%s", tc_edit_feat_name(f));
        fputc('\n', eo.features);
    }
    snprintf(nbuf, sizeof nbuf, "%ld", eo.history);
    log_args[4] = nbuf;
    if (git(eo.root, log_args, NULL, 0, &log)) {
        fprintf(stderr, "tacit: %s is not a git repository with history (git log failed)\n", eo.root);
        tc_buf_free(&log);
        if (eo.features) fclose(eo.features);
        return 1;
    }
    st->ms = malloc(100000 * sizeof *st->ms); /* the times are the same in every row: the main row's are printed */
    for (line = strtok_r(log.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *sp = strchr(line, ' '), *par;
        if (!sp || !sp[1]) continue; /* the first commit */
        *sp = 0;
        par = sp + 1;
        if (strchr(par, ' ')) *strchr(par, ' ') = 0;
        if (eval_commit(&eo, line, par, sts, &shown) == TC_ENOMEM) {
            fprintf(stderr, "tacit: out of memory\n");
            rc = 1;
            break;
        }
    }
    {
        double prec = st->suggested ? (double)st->correct / (double)st->suggested : 0;
        double rec = st->others ? (double)st->found / (double)st->others : 0;
        double p50 = 0, p95 = 0;
        size_t k;
        if (st->nms) {
            qsort(st->ms, st->nms, sizeof *st->ms, cmp_double);
            p50 = st->ms[st->nms / 2];
            p95 = st->ms[(size_t)(0.95 * (double)(st->nms - 1))];
        }
        if (eo.json) {
            cJSON *o = cJSON_CreateObject(), *kinds;
            char *s;
            cJSON_AddStringToObject(o, "root", eo.root);
            cJSON_AddNumberToObject(o, "commits", (double)st->commits);
            cJSON_AddNumberToObject(o, "repeatedEdits", (double)st->groups);
            cJSON_AddNumberToObject(o, "places", (double)st->places);
            cJSON_AddNumberToObject(o, "examples", eo.examples);
            cJSON_AddNumberToObject(o, "replayed", (double)st->replayed);
            cJSON_AddNumberToObject(o, "withRule", (double)st->ruled);
            cJSON_AddNumberToObject(o, "suggested", (double)st->suggested);
            cJSON_AddNumberToObject(o, "correct", (double)st->correct);
            cJSON_AddNumberToObject(o, "unjudged", (double)st->unjudged);
            cJSON_AddNumberToObject(o, "otherPlaces", (double)st->others);
            cJSON_AddNumberToObject(o, "found", (double)st->found);
            cJSON_AddNumberToObject(o, "precision", prec);
            cJSON_AddNumberToObject(o, "recall", rec);
            cJSON_AddNumberToObject(o, "msP50", p50);
            cJSON_AddNumberToObject(o, "msP95", p95);
            cJSON_AddNumberToObject(o, "msMax", st->ms_max);
            cJSON_AddNumberToObject(o, "minConfidence", eval_conf[main_row]);
            kinds = cJSON_AddArrayToObject(o, "byConfidence");
            for (c = 0; c < EVAL_NCONF; c++) {
                cJSON *row = cJSON_CreateObject();
                cJSON_AddNumberToObject(row, "minConfidence", eval_conf[c]);
                cJSON_AddNumberToObject(row, "suggested", (double)sts[c].suggested);
                cJSON_AddNumberToObject(row, "correct", (double)sts[c].correct);
                cJSON_AddNumberToObject(row, "unjudged", (double)sts[c].unjudged);
                cJSON_AddNumberToObject(row, "found", (double)sts[c].found);
                cJSON_AddItemToArray(kinds, row);
            }
            kinds = cJSON_AddObjectToObject(o, "misses");
            for (k = 0; k < MISS_NCLASS; k++) cJSON_AddNumberToObject(kinds, miss_names[k], (double)sts[0].miss[k]);
            kinds = cJSON_AddObjectToObject(o, "kinds");
            for (k = 0; k < TC_EDIT_KIND_COUNT; k++) {
                cJSON *kk = cJSON_AddObjectToObject(kinds, tc_edit_kind_name((tc_edit_kind)k));
                cJSON_AddNumberToObject(kk, "edits", (double)st->kind_groups[k]);
                cJSON_AddNumberToObject(kk, "suggested", (double)st->kind_sugg[k]);
                cJSON_AddNumberToObject(kk, "correct", (double)st->kind_ok[k]);
            }
            s = cJSON_PrintUnformatted(o);
            if (s) puts(s);
            free(s);
            cJSON_Delete(o);
        } else {
            printf("next edits on %s: %zu commits, %zu repeated edits (%zu places), %zu replayed (%d example%s), "
                   "%zu with a rule\n",
                   eo.root, st->commits, st->groups, st->places, st->replayed, eo.examples, eo.examples > 1 ? "s" : "",
                   st->ruled);
            printf("  precision %.3f (%zu of %zu suggestions)  recall %.3f (%zu of %zu other places)\n", prec,
                   st->correct, st->suggested, rec, st->found, st->others);
            printf("  unjudged: %zu suggestions in files the commit deletes (counted wrong: precision %.3f)\n",
                   st->unjudged,
                   st->suggested + st->unjudged ? (double)st->correct / (double)(st->suggested + st->unjudged) : 0);
            printf("  time per replayed edit: p50 %.2f ms, p95 %.2f ms, max %.2f ms\n", p50, p95, st->ms_max);
            for (k = 0; k < TC_EDIT_KIND_COUNT; k++)
                if (st->kind_groups[k])
                    printf("  %-8s %4zu edits, %4zu suggested, %4zu correct\n", tc_edit_kind_name((tc_edit_kind)k),
                           st->kind_groups[k], st->kind_sugg[k], st->kind_ok[k]);
            printf("  not found, by class:");
            for (k = 0; k < MISS_NCLASS; k++) printf(" %s %zu", miss_names[k], sts[0].miss[k]);
            printf("\n");
            printf("  by confidence (offered only at >= %.2f):\n", eval_conf[main_row]);
            for (c = 0; c < EVAL_NCONF; c++)
                printf("    >= %.2f  precision %.3f (%zu of %zu)  recall %.3f (%zu of %zu)  unjudged %zu\n",
                       eval_conf[c], sts[c].suggested ? (double)sts[c].correct / (double)sts[c].suggested : 0,
                       sts[c].correct, sts[c].suggested,
                       sts[c].others ? (double)sts[c].found / (double)sts[c].others : 0, sts[c].found, sts[c].others,
                       sts[c].unjudged);
        }
    }
    if (eo.features) /* the other places of the replayed edits: recall's denominator */
        fprintf(eo.features, "#others\t%s\t%zu\n", eo.root, st->others);
    for (c = 0; c < EVAL_NCONF; c++) free(sts[c].ms);
    tc_buf_free(&log);
    if (eo.features) fclose(eo.features);
    return rc;
}
