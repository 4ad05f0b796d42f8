/* history.c - see history.h.
 *
 * Why libgit2 (Debian's libgit2-dev) and not a temporary worktree or git
 * subprocesses: it reads trees, blobs and diffs in-process without writing
 * anything to the repository (a worktree registers itself in .git/worktrees;
 * `git archive` per commit rewrites every file), and its hunks give exact
 * line numbers without parsing diff text.
 */
#include "eval/history.h"
#include "eval/eval_int.h"
#include "util/buf.h"
#include "util/fsio.h"
#include "util/log.h"
#include "util/status.h"
#include "workspace/generated.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <git2.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

#define HI_MAX_FILE (1u << 20) /* a blob over this is not written or sampled (the index's default) */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static const char *git_msg(void)
{
    const git_error *e = git_error_last();
    return e && e->message ? e->message : "unknown error";
}

/* ---- the private folder -------------------------------------------------------- */

/* out = a/b; TC_ETOOBIG (out unusable) when it does not fit. */
static int join(char *out, size_t cap, const char *a, const char *b)
{
    int n = snprintf(out, cap, "%s/%s", a, b);
    return n < 0 || (size_t)n >= cap ? TC_ETOOBIG : TC_OK;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    if (flag == FTW_DP) rmdir(path);
    else unlink(path);
    return 0; /* on regardless: remove what can be */
}

/* Remove path and everything under it (never following a symlink). */
static void rm_tree(const char *path)
{
    nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* A tree path tacit may write: relative, no empty, ".", ".." or ".git"
 * component (a hostile tree cannot write outside the folder or make it a
 * repository). */
static int path_ok(const char *rel)
{
    const char *p = rel;
    if (!*rel || *rel == '/') return 0;
    while (*p) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (!n || (n == 1 && p[0] == '.') || (n == 2 && !memcmp(p, "..", 2)) || (n == 4 && !memcmp(p, ".git", 4)))
            return 0;
        p += n + (e != NULL);
    }
    return 1;
}

/* Make the folders above dir/rel. */
static int mkdir_parents(const char *dir, const char *rel)
{
    char path[PATH_MAX];
    size_t i, dl = strlen(dir);
    if (join(path, sizeof path, dir, rel)) return TC_ETOOBIG;
    for (i = dl + 1; path[i]; i++) {
        if (path[i] != '/') continue;
        path[i] = 0;
        if (mkdir(path, 0755) != 0 && errno != EEXIST) return TC_EIO;
        path[i] = '/';
    }
    return TC_OK;
}

/* Write n bytes to dir/rel in place (the same file, as an editor's save). */
static int write_file(const char *dir, const char *rel, const void *data, size_t n)
{
    char path[PATH_MAX];
    const char *p = data;
    int fd, rc = TC_OK;
    if (mkdir_parents(dir, rel) || join(path, sizeof path, dir, rel)) return TC_EIO;
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) return TC_EIO;
    while (n && !rc) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) rc = TC_EIO;
        else {
            p += w;
            n -= (size_t)w;
        }
    }
    if (close(fd) != 0) rc = TC_EIO;
    return rc;
}

static int is_file_mode(git_filemode_t m) { return m == GIT_FILEMODE_BLOB || m == GIT_FILEMODE_BLOB_EXECUTABLE; }

/* ---- trees into folders ------------------------------------------------------- */

typedef struct tree_job {
    git_repository *repo;
    const char *dir;   /* the folder the tree goes to */
    const char *blobs; /* NULL, or a store of blobs by id to hard-link from */
    size_t files;
    int rc;
    char **paths;      /* move_tree: the paths it changed (owned) */
    size_t npaths, cappaths;
} tree_job;

static void tree_job_free(tree_job *j)
{
    size_t i;
    for (i = 0; i < j->npaths; i++) free(j->paths[i]);
    free(j->paths);
}

static int changed(tree_job *j, const char *path)
{
    if (j->npaths == j->cappaths) {
        size_t c = j->cappaths ? j->cappaths * 2 : 64;
        char **p = realloc(j->paths, c * sizeof *p);
        if (!p) return TC_ENOMEM;
        j->paths = p;
        j->cappaths = c;
    }
    if (!(j->paths[j->npaths] = strdup(path))) return TC_ENOMEM;
    j->npaths++;
    return TC_OK;
}

/* Put blob id at dir/rel: written, or hard-linked from the store (written
 * there first). */
static int put_blob(tree_job *j, const char *rel, const git_oid *id)
{
    git_blob *b = NULL;
    char hex[GIT_OID_HEXSZ + 1], from[PATH_MAX], to[PATH_MAX];
    int rc = TC_OK;
    if (!path_ok(rel)) return TC_OK;
    git_oid_tostr(hex, sizeof hex, id);
    if (j->blobs) {
        struct stat sb;
        if (join(from, sizeof from, j->blobs, hex) || join(to, sizeof to, j->dir, rel)) return TC_ETOOBIG;
        if (stat(from, &sb) == 0 && mkdir_parents(j->dir, rel) == TC_OK && link(from, to) == 0) return TC_OK;
    }
    if (git_blob_lookup(&b, j->repo, id)) return TC_EIO;
    if (git_blob_rawsize(b) <= HI_MAX_FILE) {
        const void *data = git_blob_rawcontent(b);
        size_t n = (size_t)git_blob_rawsize(b);
        if (j->blobs) {
            rc = write_file(j->blobs, hex, data, n);
            if (!rc && (mkdir_parents(j->dir, rel) || link(from, to) != 0)) rc = write_file(j->dir, rel, data, n);
        } else {
            rc = write_file(j->dir, rel, data, n);
        }
        j->files++;
    } else {
        /* too big: out of the workspace, as the index would leave it */
        if (join(to, sizeof to, j->dir, rel) == TC_OK) unlink(to);
    }
    git_blob_free(b);
    return rc;
}

static int tree_cb(const char *root, const git_tree_entry *ent, void *ud)
{
    tree_job *j = ud;
    char rel[PATH_MAX];
    int n = snprintf(rel, sizeof rel, "%s%s", root, git_tree_entry_name(ent));
    if (n < 0 || (size_t)n >= sizeof rel) return 1; /* too long a path: left out */
    if (git_tree_entry_type(ent) == GIT_OBJECT_TREE) return path_ok(rel) ? 0 : 1; /* 1: skip it */
    if (!is_file_mode(git_tree_entry_filemode(ent))) return 0; /* symlinks, submodules */
    j->rc = put_blob(j, rel, git_tree_entry_id(ent));
    return j->rc ? -1 : 0;
}

/* Write the whole tree into j->dir. */
static int write_tree(tree_job *j, git_tree *t)
{
    j->rc = TC_OK;
    if (git_tree_walk(t, GIT_TREEWALK_PRE, tree_cb, j) < 0 && !j->rc) j->rc = TC_EIO;
    return j->rc;
}

/* Bring j->dir from tree a to tree b: only the files that differ (their
 * paths to j->paths). */
static int move_tree(tree_job *j, git_tree *a, git_tree *b)
{
    git_diff *d = NULL;
    git_diff_options o;
    size_t i, n;
    int rc = TC_OK;
    git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
    o.flags |= GIT_DIFF_SKIP_BINARY_CHECK;
    if (git_diff_tree_to_tree(&d, j->repo, a, b, &o)) return TC_EIO;
    n = git_diff_num_deltas(d);
    for (i = 0; i < n && !rc; i++) {
        const git_diff_delta *dl = git_diff_get_delta(d, i);
        if (dl->status == GIT_DELTA_DELETED || dl->status == GIT_DELTA_TYPECHANGE) {
            char path[PATH_MAX];
            if (!path_ok(dl->old_file.path)) continue;
            if (join(path, sizeof path, j->dir, dl->old_file.path) == TC_OK) unlink(path);
            j->files++;
            rc = changed(j, dl->old_file.path);
        }
        if (!rc && dl->status != GIT_DELTA_DELETED && is_file_mode(dl->new_file.mode) &&
            !(rc = put_blob(j, dl->new_file.path, &dl->new_file.id)))
            rc = changed(j, dl->new_file.path);
    }
    git_diff_free(d);
    return rc;
}

/* ---- cases from one commit ------------------------------------------------------- */

typedef struct added {
    size_t delta;    /* in the commit's diff */
    uint32_t line;   /* 1-based, in the new file */
    uint32_t old_rest; /* 1-based line of the old file after the line's hunk */
} added;

/* Byte offset of 1-based line `line` of text (len when past the end). */
static size_t line_off(const char *text, size_t len, size_t line)
{
    size_t i = 0;
    while (line > 1 && i < len) {
        const char *nl = memchr(text + i, '\n', len - i);
        if (!nl) return len;
        i = (size_t)(nl - text) + 1;
        line--;
    }
    return line > 1 ? len : i;
}

static int blank_line(const char *text, size_t len, size_t off)
{
    for (; off < len && text[off] != '\n'; off++)
        if (text[off] != ' ' && text[off] != '\t' && text[off] != '\r') return 0;
    return 1;
}

/* A blob's text if it is a code file tacit would read (not binary, not over
 * the size limit, a language other than plain text, not a tool's output:
 * nobody types the lines a build adds), else NULL. */
static const char *blob_code(git_blob *b, const char *path, size_t *len)
{
    const char *t = git_blob_rawcontent(b);
    size_t n = (size_t)git_blob_rawsize(b);
    if (!t || n > HI_MAX_FILE || memchr(t, 0, n)) return NULL; /* a NUL anywhere: not text to cut */
    if (tc_lang_detect(path, t, n < 256 ? n : 256) == TC_LANG_TEXT) return NULL;
    if (tc_generated_kind(t, n, 0) != TC_GEN_NONE) return NULL;
    *len = n;
    return t;
}

/* The case for added line a of the new text: tc_cases_line's, its
 * suffix then cut to the line's own white space and the old text after the
 * hunk (the buffer as it stood while the line was typed). 1 if made. */
static int history_case(tc_caseset *cs, const char *path, const char *nt, size_t nn, const char *ot, size_t on,
                        const added *a, const char *id)
{
    size_t lo = line_off(nt, nn, a->line), hi = lo, ob = line_off(ot, on, a->old_rest);
    tc_case *c;
    tc_buf b = {0};
    if (lo >= nn || memchr(ot, 0, on)) return 0; /* the parent's text must be text too */
    while (hi < nn && nt[hi] != '\n') hi++;
    if (!tc_cases_line(cs, path, tc_lang_detect(path, nt, nn < 256 ? nn : 256), nt, nn, lo, id, "history"))
        return 0;
    c = &cs->v[cs->n - 1];
    {
        /* the case's suffix starts where the line's code ends */
        size_t code_end = strlen(c->prefix) + strlen(c->expected), cut = hi + (hi < nn);
        if (tc_buf_append(&b, nt + code_end, cut - code_end) || tc_buf_append(&b, ot + ob, on - ob) ||
            (!b.data && !(b.data = strdup("")))) {
            tc_buf_free(&b);
            tc_case_free(c);
            cs->n--;
            return 0;
        }
    }
    free(c->suffix);
    c->suffix = b.data;
    return 1;
}

static int push_added(added **v, size_t *n, size_t *cap, size_t delta, size_t line, size_t old_rest)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 256;
        added *p = realloc(*v, c * sizeof *p);
        if (!p) return TC_ENOMEM;
        *v = p;
        *cap = c;
    }
    (*v)[*n].delta = delta;
    (*v)[*n].line = (uint32_t)line;
    (*v)[*n].old_rest = (uint32_t)old_rest;
    (*n)++;
    return TC_OK;
}

/* The non-blank lines commit tree ct added to code files it modified
 * (from parent tree pt), in diff order, into *v. */
static int added_lines(git_repository *repo, git_diff *d, added **v, size_t *n)
{
    size_t i, cap = 0, nd = git_diff_num_deltas(d);
    int rc = TC_OK;
    *v = NULL;
    *n = 0;
    for (i = 0; i < nd && !rc; i++) {
        const git_diff_delta *dl = git_diff_get_delta(d, i);
        git_patch *p = NULL;
        git_blob *nb = NULL;
        const char *t;
        size_t nn, h, nh;
        if (dl->status != GIT_DELTA_MODIFIED || !is_file_mode(dl->new_file.mode) ||
            !is_file_mode(dl->old_file.mode) || !path_ok(dl->new_file.path))
            continue;
        if (git_blob_lookup(&nb, repo, &dl->new_file.id)) continue;
        if ((t = blob_code(nb, dl->new_file.path, &nn)) && git_patch_from_diff(&p, d, i) == 0) {
            nh = git_patch_num_hunks(p);
            for (h = 0; h < nh && !rc; h++) {
                const git_diff_hunk *hk;
                size_t nl, l, off;
                if (git_patch_get_hunk(&hk, &nl, p, h) || hk->new_lines <= 0) continue;
                off = line_off(t, nn, (size_t)hk->new_start);
                for (l = (size_t)hk->new_start; l < (size_t)(hk->new_start + hk->new_lines) && off < nn && !rc; l++) {
                    const char *nl_at = memchr(t + off, '\n', nn - off);
                    if (!blank_line(t, nn, off))
                        rc = push_added(v, n, &cap, i, l,
                                        (size_t)(hk->old_lines ? hk->old_start + hk->old_lines : hk->old_start + 1));
                    off = nl_at ? (size_t)(nl_at - t) + 1 : nn;
                }
            }
        }
        git_patch_free(p);
        git_blob_free(nb);
    }
    return rc;
}

/* Append commit ct's cases (from parent tree pt) to cs: at most k, spread
 * evenly over its added lines. */
static int commit_cases(git_repository *repo, git_tree *pt, git_tree *ct, const char *hex, size_t k, tc_caseset *cs)
{
    git_diff *d = NULL;
    git_diff_options o;
    git_blob *nb = NULL, *ob = NULL;
    added *v = NULL;
    size_t n = 0, j, made = 0, cur = (size_t)-1;
    int rc;
    git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
    o.context_lines = 0;
    o.interhunk_lines = 0;
    if (git_diff_tree_to_tree(&d, repo, pt, ct, &o)) return TC_EIO;
    rc = added_lines(repo, d, &v, &n);
    for (j = 0; j < (n < k ? n : k) && !rc; j++) {
        const added *a = &v[n <= k ? j : (2 * j + 1) * n / (2 * k)];
        const git_diff_delta *dl = git_diff_get_delta(d, a->delta);
        char id[64];
        if (a->delta != cur) {
            git_blob_free(nb);
            git_blob_free(ob);
            nb = ob = NULL;
            cur = a->delta;
            if (git_blob_lookup(&nb, repo, &dl->new_file.id) || git_blob_lookup(&ob, repo, &dl->old_file.id)) {
                rc = TC_EIO;
                break;
            }
        }
        snprintf(id, sizeof id, "%.12s:%zu", hex, made + 1);
        made += (size_t)history_case(cs, dl->new_file.path, git_blob_rawcontent(nb), (size_t)git_blob_rawsize(nb),
                                     git_blob_rawcontent(ob), (size_t)git_blob_rawsize(ob), a, id);
    }
    git_blob_free(nb);
    git_blob_free(ob);
    free(v);
    git_diff_free(d);
    return rc;
}

/* ---- the replay ----------------------------------------------------------------------- */

/* The commits to replay, oldest first: the last n non-merge commits with a
 * parent, reachable from HEAD and not from since. */
static int pick_commits(git_repository *repo, const char *since, size_t n, git_oid **out, size_t *nout)
{
    git_revwalk *w = NULL;
    git_oid id, *v = NULL;
    size_t k = 0, i;
    int rc = TC_OK, e = 0;
    *out = NULL;
    *nout = 0;
    if (!(v = malloc((n ? n : 1) * sizeof *v))) return TC_ENOMEM;
    if (git_revwalk_new(&w, repo) || git_revwalk_sorting(w, GIT_SORT_TOPOLOGICAL) ||
        git_revwalk_push_head(w)) {
        tc_warn("cannot walk the history of %s: %s", git_repository_workdir(repo) ? git_repository_workdir(repo)
                                                                                : git_repository_path(repo), git_msg());
        rc = TC_EINVAL;
        goto out;
    }
    if (since) {
        git_object *o = NULL;
        if (git_revparse_single(&o, repo, since)) {
            tc_warn("unknown revision '%s' for --since: %s", since, git_msg());
            rc = TC_EINVAL;
            goto out;
        }
        if (git_revwalk_hide(w, git_object_id(o))) rc = TC_EINVAL;
        git_object_free(o);
        if (rc) {
            tc_warn("cannot walk from '%s': %s", since, git_msg());
            goto out;
        }
    }
    while (k < n && (e = git_revwalk_next(&id, w)) == 0) {
        git_commit *c = NULL;
        if (git_commit_lookup(&c, repo, &id)) continue;
        if (git_commit_parentcount(c) == 1) v[k++] = id;
        git_commit_free(c);
    }
    if (e && e != GIT_ITEROVER) {
        tc_warn("cannot walk the history: %s", git_msg());
        rc = TC_EINVAL;
        goto out;
    }
    for (i = 0; i < k / 2; i++) {
        git_oid t = v[i];
        v[i] = v[k - 1 - i];
        v[k - 1 - i] = t;
    }
out:
    git_revwalk_free(w);
    if (rc) free(v);
    else {
        *out = v;
        *nout = k;
    }
    return rc;
}

/* The saved cases' folder of parent trees (<save>.roots) and a case's root
 * relative to the cases file's folder. */
static void save_paths(const char *save, const char *phex, char *roots, size_t rcap, char *rel, size_t relcap)
{
    const char *base = strrchr(save, '/');
    snprintf(roots, rcap, "%s.roots", save);
    snprintf(rel, relcap, "%s.roots/%s", base ? base + 1 : save, phex);
}

/* Write parent tree pt as <save>.roots/<phex> (once: a folder already there
 * is that same tree). */
static int save_root(git_repository *repo, git_tree *pt, const char *roots, const char *phex)
{
    char dir[PATH_MAX], tmp[PATH_MAX + 8], blobs[PATH_MAX];
    tree_job j;
    struct stat sb;
    int rc;
    memset(&j, 0, sizeof j);
    j.repo = repo;
    j.dir = tmp;
    j.blobs = blobs;
    if (join(dir, sizeof dir, roots, phex) || join(blobs, sizeof blobs, roots, ".blobs")) return TC_ETOOBIG;
    if (stat(dir, &sb) == 0) return TC_OK;
    snprintf(tmp, sizeof tmp, "%s.tmp", dir);
    rm_tree(tmp);
    if ((mkdir(roots, 0755) && errno != EEXIST) || (mkdir(blobs, 0755) && errno != EEXIST) || mkdir(tmp, 0755))
        return TC_EIO;
    rc = write_tree(&j, pt);
    if (!rc && rename(tmp, dir) != 0) rc = TC_EIO;
    if (rc) rm_tree(tmp);
    return rc;
}

typedef struct replay {
    const tc_history_opts *o;
    tc_engine_opts eo;
    git_repository *repo;
    char tmp[PATH_MAX], ws[PATH_MAX + 8], cache[PATH_MAX + 8], roots[PATH_MAX];
    tc_engine *e;
    git_tree *prev; /* the tree in ws */
    FILE *save;
    tc_answer *a;
    size_t acap;
    int check; /* TACIT_HISTORY_CHECK=1: check_workspace after each move */
} replay;

/* Bring the workspace to tree pt and the engine up to date with it. */
static int replay_workspace(replay *r, git_tree *pt, tc_history_stats *st)
{
    tree_job j;
    int rc;
    memset(&j, 0, sizeof j);
    j.repo = r->repo;
    j.dir = r->ws;
    rc = r->prev ? move_tree(&j, r->prev, pt) : write_tree(&j, pt);
    st->files_written += j.files;
    if (!rc && r->e && !r->o->rebuild) {
        /* the index looks at exactly the files that changed */
        rc = tc_index_update_paths(tc_engine_index(r->e), (const char *const *)j.paths, j.npaths, NULL);
        if (!rc) rc = tc_engine_refresh(r->e);
    } else if (!rc) {
        tc_engine_free(r->e);
        r->e = NULL;
        rm_tree(r->cache);
        rc = tc_engine_open(&r->eo, &r->e);
    }
    tree_job_free(&j);
    return rc;
}

/* ---- the self-check (TACIT_HISTORY_CHECK=1) ------------------------------------- */

typedef struct check_job {
    git_repository *repo;
    const char *ws;
    tc_index *ix;
    size_t blobs, bad;
} check_job;

static int check_cb(const char *root, const git_tree_entry *ent, void *ud)
{
    check_job *j = ud;
    char rel[PATH_MAX], path[PATH_MAX];
    git_blob *b = NULL;
    tc_buf disk = {0};
    long f;
    int n = snprintf(rel, sizeof rel, "%s%s", root, git_tree_entry_name(ent));
    if (n < 0 || (size_t)n >= sizeof rel) return 1;
    if (git_tree_entry_type(ent) == GIT_OBJECT_TREE) return path_ok(rel) ? 0 : 1;
    if (!is_file_mode(git_tree_entry_filemode(ent)) || !path_ok(rel)) return 0;
    if (git_blob_lookup(&b, j->repo, git_tree_entry_id(ent)) || git_blob_rawsize(b) > HI_MAX_FILE) {
        git_blob_free(b);
        return 0;
    }
    j->blobs++;
    /* on disk: the blob, byte for byte */
    if (join(path, sizeof path, j->ws, rel) || tc_fs_read_path(path, HI_MAX_FILE, &disk) ||
        disk.len != (size_t)git_blob_rawsize(b) || (disk.len && memcmp(disk.data, git_blob_rawcontent(b), disk.len))) {
        tc_warn("history check: %s differs from the parent's tree on disk", rel);
        j->bad++;
    }
    /* in the index: its content (when indexed) */
    f = tc_index_find(j->ix, rel);
    if (f >= 0 && !tc_index_file(j->ix, (size_t)f)->removed && !tc_index_file(j->ix, (size_t)f)->skip &&
        tc_index_file(j->ix, (size_t)f)->hash != XXH3_64bits(git_blob_rawcontent(b), (size_t)git_blob_rawsize(b))) {
        tc_warn("history check: %s differs from the parent's tree in the index", rel);
        j->bad++;
    }
    tc_buf_free(&disk);
    git_blob_free(b);
    return 0;
}

/* Is the workspace, on disk and in the index, tree pt? Every blob is
 * there with its content, and every indexed file is in the tree. */
static int check_workspace(replay *r, git_tree *pt)
{
    check_job j = {r->repo, r->ws, tc_engine_index(r->e), 0, 0};
    size_t f, n = tc_index_nfiles(j.ix);
    if (git_tree_walk(pt, GIT_TREEWALK_PRE, check_cb, &j) < 0) return TC_EIO;
    for (f = 0; f < n; f++) {
        const tc_file_info *fi = tc_index_file(j.ix, f);
        git_tree_entry *te = NULL;
        if (fi->removed) continue;
        if (git_tree_entry_bypath(&te, pt, fi->path)) {
            tc_warn("history check: %s is indexed but not in the parent's tree", fi->path);
            j.bad++;
        }
        git_tree_entry_free(te);
    }
    return j.bad ? TC_ECORRUPT : TC_OK;
}

/* Keep the last TC_HISTORY_KEEP_LINES lines of c's prefix and none of its
 * suffix (the case is answered and saved). */
static void compact_case(tc_case *c)
{
    size_t n = strlen(c->prefix), keep = 0, i = n;
    char *p;
    while (i > 0) {
        if (c->prefix[i - 1] == '\n' && ++keep > TC_HISTORY_KEEP_LINES) break;
        i--;
    }
    if (i > 0 && (p = strdup(c->prefix + i))) {
        size_t k;
        for (k = 0; k < i; k++) c->prefix_lines_cut += c->prefix[k] == '\n';
        free(c->prefix);
        c->prefix = p;
    }
    if (c->suffix[0] && (p = strdup(""))) {
        free(c->suffix);
        c->suffix = p;
    }
}

/* One commit: the workspace, then its cases, answered. */
static int replay_commit(replay *r, const git_oid *id, tc_caseset *cs, tc_history_stats *st)
{
    git_commit *c = NULL, *p = NULL;
    git_tree *ct = NULL, *pt = NULL;
    char hex[GIT_OID_HEXSZ + 1], phex[GIT_OID_HEXSZ + 1];
    size_t from = cs->n, i;
    double t0 = now_s(), t1;
    int rc = TC_EIO;
    if (git_commit_lookup(&c, r->repo, id) || git_commit_parent(&p, c, 0) || git_commit_tree(&ct, c) ||
        git_commit_tree(&pt, p)) {
        tc_warn("cannot read commit %s: %s", git_oid_tostr_s(id), git_msg());
        goto out;
    }
    git_oid_tostr(hex, sizeof hex, id);
    git_oid_tostr(phex, sizeof phex, git_commit_id(p));
    if ((rc = replay_workspace(r, pt, st)) || (r->check && (rc = check_workspace(r, pt)))) {
        tc_warn("cannot set up the workspace of commit %s's parent in %s: %s", hex, r->ws, tc_strerror(rc));
        goto out;
    }
    git_tree_free(r->prev);
    r->prev = pt;
    pt = NULL;
    t1 = now_s();
    st->update_s += t1 - t0;
    if ((rc = commit_cases(r->repo, r->prev, ct, hex, r->o->per_commit ? r->o->per_commit : TC_HISTORY_PER_COMMIT,
                           cs)))
        goto out;
    if (cs->n > r->acap) {
        tc_answer *a = realloc(r->a, cs->cap * sizeof *a);
        if (!a) {
            rc = TC_ENOMEM;
            goto out;
        }
        memset(a + r->acap, 0, (cs->cap - r->acap) * sizeof *a);
        r->a = a;
        r->acap = cs->cap;
    }
    if ((rc = tc_eval_answer(r->e, cs, from, r->a))) goto out;
    st->suggest_s += now_s() - t1;
    if (r->save && cs->n > from) {
        char rel[PATH_MAX];
        save_paths(r->o->save, phex, r->roots, sizeof r->roots, rel, sizeof rel);
        if ((rc = save_root(r->repo, r->prev, r->roots, phex))) {
            tc_warn("cannot write %s/%s", r->roots, phex);
            goto out;
        }
        for (i = from; i < cs->n && !rc; i++) rc = tc_case_write(r->save, &cs->v[i], rel);
        if (rc) goto out;
    }
    for (i = from; i < cs->n; i++) compact_case(&cs->v[i]);
    st->commits++;
out:
    git_tree_free(pt);
    git_tree_free(ct);
    git_commit_free(p);
    git_commit_free(c);
    return rc;
}

int tc_history_run(const tc_history_opts *opts, const tc_engine_opts *base, tc_caseset *cs, tc_answer **answers,
                   tc_history_stats *stats)
{
    replay r;
    tc_history_stats local;
    tc_history_stats *st = stats ? stats : &local;
    git_oid *ids = NULL;
    size_t n = 0, i;
    const char *td = getenv("TMPDIR");
    double t0 = now_s();
    int rc;
    memset(&r, 0, sizeof r);
    memset(st, 0, sizeof *st);
    *answers = NULL;
    r.o = opts;
    r.check = getenv("TACIT_HISTORY_CHECK") && strcmp(getenv("TACIT_HISTORY_CHECK"), "1") == 0;
    git_libgit2_init();
    if (git_repository_open_ext(&r.repo, opts->repo ? opts->repo : ".", 0, NULL)) {
        tc_warn("%s is not in a git repository: %s", opts->repo ? opts->repo : ".", git_msg());
        rc = TC_EINVAL;
        goto out;
    }
    if (git_repository_is_shallow(r.repo) == 1) {
        /* its oldest commits lack their parents */
        tc_warn("%s is a shallow clone; fetch its whole history first (git fetch --unshallow)",
                opts->repo ? opts->repo : ".");
        rc = TC_EINVAL;
        goto out;
    }
    if ((rc = pick_commits(r.repo, opts->since, opts->commits, &ids, &n))) goto out;
    snprintf(r.tmp, sizeof r.tmp, "%s/tacit-history-XXXXXX", td && *td ? td : "/tmp");
    if (!mkdtemp(r.tmp)) {
        tc_warn("cannot make a private folder in %s: %s", td && *td ? td : "/tmp", strerror(errno));
        r.tmp[0] = 0;
        rc = TC_EIO;
        goto out;
    }
    join(r.ws, sizeof r.ws, r.tmp, "ws");
    join(r.cache, sizeof r.cache, r.tmp, "cache");
    if (mkdir(r.ws, 0700)) {
        rc = TC_EIO;
        goto out;
    }
    r.eo = *base;
    r.eo.index.root = r.ws;
    r.eo.index.cache_dir = r.cache;
    r.eo.index.progress = 0;
    r.eo.update = 1;
    if (opts->save && !(r.save = fopen(opts->save, "w"))) {
        tc_warn("cannot write %s: %s", opts->save, strerror(errno));
        rc = TC_EIO;
        goto out;
    }
    for (i = 0; i < n && !rc; i++) {
        rc = replay_commit(&r, &ids[i], cs, st);
        if (opts->progress)
            fprintf(stderr, "\rtacit: replayed %zu of %zu commits, %zu cases", i + 1, n, cs->n);
    }
    if (opts->progress && n) fputc('\n', stderr);
out:
    if (r.save && fclose(r.save) != 0 && !rc) rc = TC_EIO;
    tc_engine_free(r.e);
    git_tree_free(r.prev);
    git_repository_free(r.repo);
    git_libgit2_shutdown();
    free(ids);
    if (r.tmp[0]) rm_tree(r.tmp);
    st->seconds = now_s() - t0;
    if (rc) {
        tc_answers_free(r.a, r.acap < cs->n ? r.acap : cs->n);
        return rc;
    }
    if (!r.a) r.a = calloc(1, sizeof *r.a);
    *answers = r.a;
    return r.a ? TC_OK : TC_ENOMEM;
}
