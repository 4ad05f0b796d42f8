/* index.c - the workspace index: state, the walk, incremental updates and
 * editor-buffer overlays. The persisted format is in index_io.c.
 *
 * Update, in two phases:
 *   1. Find candidates. When the index was loaded and no directory's mtime
 *      and no ignore file changed, the file set is known: only the known
 *      files are stat'ed (the fast path; no directory is read). Otherwise
 *      the whole root is walked, honouring the ignore rules.
 *   2. Each candidate whose size or mtime changed is read and hashed; only
 *      when its content hash changed is it lexed. Lexing runs on worker
 *      threads with private vocabularies, merged into the index's vocabulary
 *      in batches (so the transient memory stays bounded).
 */
#include "workspace/index_int.h"
#include "workspace/generated.h"
#include "workspace/ignore.h"
#include "util/buf.h"
#include "util/fsio.h"
#include "util/log.h"
#include "util/status.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

#define IX_DEFAULT_MAX_FILE (1u << 20)
#define IX_DEFAULT_MAX_LINE 1000
#define IX_BATCH_FILES 4096

const char *tc_skip_name(tc_skip s)
{
    static const char *names[TC_SKIP_COUNT] = {"indexed", "binary", "too big", "minified",
                                               "unreadable", "generated", "not regular", "secret"};
    return (unsigned)s < TC_SKIP_COUNT ? names[s] : "?";
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int64_t ix_racy_bound_ns(const struct timespec *at)
{
    struct timespec ts;
    if (!at) {
        clock_gettime(CLOCK_REALTIME, &ts);
        at = &ts;
    }
    /* two seconds: a file system of whole seconds truncates a stamp by up
     * to one, and the kernel's coarse file clock lags the wall clock by a
     * tick more: with a one-second bound taken at 13.001 s (12.001 s),
     * writes just before and just after it could both be stamped 12 s,
     * the first one then not racy and the second one missed
     * (eval_history's same-second test, under load) */
    return (int64_t)at->tv_sec * 1000000000 + at->tv_nsec - 2000000000;
}

static int64_t st_mtime_ns(const struct stat *st)
{
    return (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

static int64_t st_ctime_ns(const struct stat *st)
{
    return (int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec;
}

/* ---- path table ---------------------------------------------------------- */

static uint64_t path_hash(const char *p) { return XXH3_64bits(p, strlen(p)); }

static int fslots_rebuild(tc_index *ix, size_t want)
{
    size_t cap = 1024, i;
    uint32_t *slots;
    while (cap < want * 2) cap *= 2;
    slots = calloc(cap, sizeof *slots);
    if (!slots) return TC_ENOMEM;
    for (i = 0; i < ix->nfiles; i++) {
        size_t h = path_hash(ix->files[i].path) & (cap - 1);
        while (slots[h]) h = (h + 1) & (cap - 1);
        slots[h] = (uint32_t)i + 1;
    }
    free(ix->fslots);
    ix->fslots = slots;
    ix->fmask = cap - 1;
    return TC_OK;
}

long ix_find(const tc_index *ix, const char *path)
{
    size_t h;
    if (!ix->fslots) return -1;
    h = path_hash(path) & ix->fmask;
    while (ix->fslots[h]) {
        uint32_t f = ix->fslots[h] - 1;
        if (strcmp(ix->files[f].path, path) == 0) return (long)f;
        h = (h + 1) & ix->fmask;
    }
    return -1;
}

int ix_reserve(tc_index *ix, size_t nfiles)
{
    if (nfiles > ix->capfiles) {
        ix_file *nf = realloc(ix->files, nfiles * sizeof *nf);
        if (!nf) return TC_ENOMEM;
        ix->files = nf;
        ix->capfiles = nfiles;
    }
    if (!ix->fslots || nfiles * 2 > ix->fmask + 1) return fslots_rebuild(ix, nfiles);
    return TC_OK;
}

/* Append a record for path (not copied; the caller decides who frees it). */
static int append_record(tc_index *ix, char *path, long *fileno)
{
    ix_file *f;
    size_t h;
    if (ix->nfiles == ix->capfiles || !ix->fslots || (ix->nfiles + 1) * 2 > ix->fmask + 1) {
        int rc = ix_reserve(ix, ix->nfiles == ix->capfiles ? (ix->capfiles ? ix->capfiles * 2 : 1024) : ix->capfiles);
        if (rc) return rc;
    }
    f = &ix->files[ix->nfiles];
    memset(f, 0, sizeof *f);
    f->path = path;
    f->info.path = path;
    h = path_hash(path) & ix->fmask;
    while (ix->fslots[h]) h = (h + 1) & ix->fmask;
    ix->fslots[h] = (uint32_t)ix->nfiles + 1;
    *fileno = (long)ix->nfiles++;
    return TC_OK;
}

/* Append a new file record (no tokens yet), taking ownership of path (a
 * malloc'd string; freed here on failure). */
int ix_file_add_owned(tc_index *ix, char *path, long *fileno)
{
    int rc = append_record(ix, path, fileno);
    if (rc) free(path);
    return rc;
}

/* Append a record whose path lives in a mapped index image. */
int ix_file_add_mapped(tc_index *ix, const char *path, long *fileno)
{
    int rc = append_record(ix, (char *)(uintptr_t)path, fileno);
    if (!rc) ix->files[*fileno].path_in_map = 1;
    return rc;
}

/* Append a new file record (no tokens yet). */
int ix_file_add(tc_index *ix, const char *path, long *fileno)
{
    ix_file *f;
    size_t h;
    if (ix->nfiles == ix->capfiles) {
        size_t cap = ix->capfiles ? ix->capfiles * 2 : 1024;
        ix_file *nf = realloc(ix->files, cap * sizeof *nf);
        if (!nf) return TC_ENOMEM;
        ix->files = nf;
        ix->capfiles = cap;
    }
    if (!ix->fslots || (ix->nfiles + 1) * 2 > ix->fmask + 1) {
        if (fslots_rebuild(ix, ix->nfiles + 1)) return TC_ENOMEM;
    }
    f = &ix->files[ix->nfiles];
    memset(f, 0, sizeof *f);
    f->path = strdup(path);
    if (!f->path) return TC_ENOMEM;
    f->info.path = f->path;
    h = path_hash(path) & ix->fmask;
    while (ix->fslots[h]) h = (h + 1) & ix->fmask;
    ix->fslots[h] = (uint32_t)ix->nfiles + 1;
    *fileno = (long)ix->nfiles++;
    return TC_OK;
}

/* ---- open / free ---------------------------------------------------------- */

static char *default_cache_dir(const char *root)
{
    const char *env = getenv("TACIT_CACHE_DIR"), *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME"), *base = strrchr(root, '/');
    tc_buf b = {0};
    if (env && *env) {
        tc_buf_printf(&b, "%s/%s-%016llx", env, base && base[1] ? base + 1 : "root",
                      (unsigned long long)path_hash(root));
        return b.data;
    }
    if (xdg && *xdg)
        tc_buf_printf(&b, "%s/tacit", xdg);
    else
        tc_buf_printf(&b, "%s/.cache/tacit", home && *home ? home : "/tmp");
    tc_buf_printf(&b, "/%s-%016llx", base && base[1] ? base + 1 : "root",
                  (unsigned long long)path_hash(root));
    return b.data;
}

static int mkdir_p(const char *path)
{
    char tmp[PATH_MAX];
    size_t i, n = strlen(path);
    if (n >= sizeof tmp) return TC_EINVAL;
    memcpy(tmp, path, n + 1);
    for (i = 1; i <= n; i++) {
        if (tmp[i] == '/' || tmp[i] == 0) {
            char c = tmp[i];
            tmp[i] = 0;
            if (mkdir(tmp, 0755) != 0 && errno != EEXIST) return TC_EIO;
            tmp[i] = c;
        }
    }
    return TC_OK;
}

int tc_index_open(const tc_index_opts *opts, tc_index **out)
{
    tc_index *ix;
    char real[PATH_MAX];
    int rc;
    *out = NULL;
    if (!opts || !opts->root) return TC_EINVAL;
    if (!realpath(opts->root, real)) {
        tc_warn("cannot open workspace root '%s': %s", opts->root, strerror(errno));
        return TC_ENOENT;
    }
    ix = calloc(1, sizeof *ix);
    if (!ix) return TC_ENOMEM;
    ix->rootfd = -1;
    ix->opts = *opts;
    if (!ix->opts.max_file_size) ix->opts.max_file_size = IX_DEFAULT_MAX_FILE;
    if (!ix->opts.max_line_len) ix->opts.max_line_len = IX_DEFAULT_MAX_LINE;
    if (ix->opts.threads <= 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        ix->opts.threads = n > 0 ? (int)(n > 8 ? 8 : n) : 1;
    }
    ix->light = opts->light;
    if (tc_fs_root_open(real, &ix->rootfd)) {
        tc_warn("cannot open workspace root '%s': %s", real, strerror(errno));
        rc = TC_ENOENT;
        goto fail;
    }
    ix->root = strdup(real);
    ix->cache_dir = opts->cache_dir ? strdup(opts->cache_dir) : default_cache_dir(real);
    ix->opts.root = ix->root;
    ix->opts.cache_dir = ix->cache_dir;
    ix->opts.secret_files = NULL; /* not kept: the filter holds the patterns */
    if (!ix->root || !ix->cache_dir || tc_privacy_new(&ix->priv) ||
        (opts->secret_files && tc_privacy_add(ix->priv, opts->secret_files))) {
        rc = TC_ENOMEM;
        goto fail;
    }
    rc = ix_load(ix);
    if (rc == TC_ENOMEM) goto fail;
    if (rc && rc != TC_ENOENT) {
        /* ix_load warned and reset the state: start empty, rebuild. */
    }
    if (!ix->vocab && !ix->vbase.n) {
        ix->vocab = tc_vocab_new();
        if (!ix->vocab) {
            rc = TC_ENOMEM;
            goto fail;
        }
    }
    *out = ix;
    return TC_OK;
fail:
    tc_index_free(ix);
    return rc;
}

void tc_index_free(tc_index *ix)
{
    size_t i;
    if (!ix) return;
    for (i = 0; i < ix->nfiles; i++) {
        if (!ix->files[i].path_in_map) free(ix->files[i].path);
        free(ix->files[i].enc_owned);
        free(ix->files[i].buf_enc);
    }
    for (i = 0; i < ix->ndirs; i++) free(ix->dirs[i].path);
    for (i = 0; i < ix->nremoved; i++) free(ix->removed[i]);
    free(ix->removed);
    tc_privacy_free(ix->priv);
    free(ix->files);
    free(ix->fslots);
    free(ix->dirs);
    if (ix->map) munmap(ix->map, ix->map_len);
    if (ix->dmap) munmap(ix->dmap, ix->dmap_len);
    tc_vocab_free(ix->vocab);
    if (ix->rootfd >= 0) close(ix->rootfd);
    free(ix->root);
    free(ix->cache_dir);
    free(ix);
}

const char *tc_index_root(const tc_index *ix) { return ix->root; }
int tc_index_root_fd(const tc_index *ix) { return ix->rootfd; }
uint64_t tc_index_max_file_size(const tc_index *ix) { return ix->opts.max_file_size; }
const char *tc_index_cache_dir(const tc_index *ix) { return ix->cache_dir; }
size_t tc_index_nfiles(const tc_index *ix) { return ix->nfiles; }
long tc_index_find(const tc_index *ix, const char *relpath) { return ix_find(ix, relpath); }
uint64_t tc_index_disk_size(const tc_index *ix) { return ix->disk_size; }

const tc_file_info *tc_index_file(const tc_index *ix, size_t i)
{
    return i < ix->nfiles ? &ix->files[i].info : NULL;
}

tc_vocab *tc_index_vocab(tc_index *ix)
{
    if (ix_vocab_ensure(ix)) return NULL;
    return ix->vocab;
}

const tc_vocab *tc_index_vocab_c(const tc_index *ix)
{
    return tc_index_vocab((tc_index *)ix);
}

void tc_index_set_listener(tc_index *ix, tc_index_listener fn, void *ud)
{
    ix->nlisteners = 0;
    if (fn) tc_index_add_listener(ix, fn, ud);
}

int tc_index_add_listener(tc_index *ix, tc_index_listener fn, void *ud)
{
    if (ix->nlisteners == TC_INDEX_MAX_LISTENERS) return TC_ETOOBIG;
    ix->listener[ix->nlisteners] = fn;
    ix->listener_ud[ix->nlisteners] = ud;
    ix->nlisteners++;
    return TC_OK;
}

void tc_index_remove_listener(tc_index *ix, tc_index_listener fn, void *ud)
{
    int i, j = 0;
    for (i = 0; i < ix->nlisteners; i++) {
        if (ix->listener[i] == fn && ix->listener_ud[i] == ud) continue;
        ix->listener[j] = ix->listener[i];
        ix->listener_ud[j] = ix->listener_ud[i];
        j++;
    }
    ix->nlisteners = j;
}

void tc_index_lang_totals(const tc_index *ix, uint64_t *tokens, uint32_t *files)
{
    size_t i;
    memset(tokens, 0, TC_LANG_COUNT * sizeof *tokens);
    memset(files, 0, TC_LANG_COUNT * sizeof *files);
    for (i = 0; i < ix->nfiles; i++) {
        const tc_file_info *f = &ix->files[i].info;
        if (f->removed || f->skip || f->lang >= TC_LANG_COUNT) continue;
        tokens[f->lang] += f->ntok;
        files[f->lang]++;
    }
}

/* ---- items encoding --------------------------------------------------------- */

static int decode_items(const uint8_t *p, uint64_t len, uint32_t ntok, uint32_t nvocab,
                        tc_items *out)
{
    tc_reader r = {p, p + len, 0};
    out->n = 0;
    if (out->cap < ntok) {
        uint32_t *v = realloc(out->v, (ntok ? ntok : 1) * sizeof *v);
        if (!v) return TC_ENOMEM;
        out->v = v;
        out->cap = ntok ? ntok : 1;
    }
    /* an item is (id << 1) | space, the id below nvocab */
    if (tc_rd_varints_u32(&r, out->v, ntok, (uint64_t)nvocab << 1)) return TC_ECORRUPT;
    out->n = ntok;
    return r.p == r.end ? TC_OK : TC_ECORRUPT;
}

static int encode_items(const uint32_t *v, size_t n, uint8_t **out, uint64_t *len)
{
    uint8_t *buf = malloc(n * 5 + 1), *p = buf, *shrunk;
    size_t i;
    if (!buf) return TC_ENOMEM;
    for (i = 0; i < n; i++) {
        uint32_t x = v[i];
        while (x >= 0x80) {
            *p++ = (uint8_t)(x | 0x80);
            x >>= 7;
        }
        *p++ = (uint8_t)x;
    }
    *len = (uint64_t)(p - buf);
    shrunk = realloc(buf, *len + 1);
    *out = shrunk ? shrunk : buf;
    return TC_OK;
}

/* Check a mapped file entry against its hash once; a damaged one is
 * forgotten (the next update re-lexes the file). TC_OK or TC_ECORRUPT. */
static int check_enc(tc_index *ix, ix_file *f)
{
    if (XXH3_64bits(f->enc, f->enc_len) != f->enc_hash) {
        tc_warn("index entry for %s is damaged; it will be re-read from disk", f->path);
        f->enc = NULL;
        f->enc_len = 0;
        f->disk_ntok = 0;
        f->info.ntok = 0;
        f->info.mtime_ns = -1;
        f->info.hash = 0;
        f->dirty = 1;
        ix->any_change = 1;
        return TC_ECORRUPT;
    }
    f->enc_checked = 1;
    return TC_OK;
}

static int verify_entries(tc_index *ix, size_t **damaged, size_t *ndamaged);

/* Every saved entry is checked here (on two threads for a large index),
 * and a damaged one is re-read from disk at once: readers (the model, the
 * retriever) see the file whole, and the owner's next tc_index_save
 * persists it (it was found, then forgotten, run after run). */
int tc_index_prepare_readers(tc_index *ix)
{
    size_t *bad = NULL, nbad = 0, i;
    const char **paths = NULL;
    int rc;
    if (ix_vocab_ensure(ix)) return TC_ENOMEM;
    if ((rc = verify_entries(ix, &bad, &nbad)) || !nbad) goto out;
    if (!(paths = malloc(nbad * sizeof *paths))) {
        rc = TC_ENOMEM;
        goto out;
    }
    for (i = 0; i < nbad; i++) paths[i] = ix->files[bad[i]].path;
    rc = tc_index_update_paths(ix, paths, nbad, NULL);
    if (rc == TC_ENOMEM) goto out;
    rc = TC_OK; /* a file that cannot be read now stays out, marked for the next update */
out:
    free(paths);
    free(bad);
    return rc;
}

int tc_index_file_items(const tc_index *ix, size_t i, tc_items *out)
{
    const ix_file *f;
    uint32_t nvocab;
    int rc;
    if (i >= ix->nfiles) return TC_EINVAL;
    f = &ix->files[i];
    if (ix_vocab_ensure((tc_index *)ix)) return TC_ENOMEM;
    nvocab = tc_vocab_size(ix->vocab);
    if (f->buf_enc) return decode_items(f->buf_enc, f->buf_len, f->buf_ntok, nvocab, out);
    if (f->info.removed || !f->enc) {
        out->n = 0;
        return TC_OK;
    }
    if (!f->enc_owned && !f->enc_checked && check_enc((tc_index *)ix, (ix_file *)f)) {
        out->n = 0;
        return TC_ECORRUPT;
    }
    rc = decode_items(f->enc, f->enc_len, f->disk_ntok, nvocab, out);
    if (rc == TC_ECORRUPT) tc_warn("index entry for %s is damaged; run 'tacit index' to rebuild", f->path);
    return rc;
}

/* Tell the listener that file i's effective items change from old to new. */
static void notify(tc_index *ix, size_t i, const uint8_t *old_enc, uint64_t old_len,
                   uint32_t old_n, const uint8_t *new_enc, uint64_t new_len, uint32_t new_n)
{
    tc_items a = {0}, b = {0};
    uint32_t nv;
    int k;
    if (!ix->nlisteners) return;
    nv = tc_vocab_size(ix->vocab);
    if (old_enc && decode_items(old_enc, old_len, old_n, nv, &a)) goto out;
    if (new_enc && decode_items(new_enc, new_len, new_n, nv, &b)) goto out;
    for (k = 0; k < ix->nlisteners; k++)
        ix->listener[k](ix->listener_ud[k], i, old_enc ? a.v : NULL, a.n, new_enc ? b.v : NULL, b.n);
out:
    tc_items_free(&a);
    tc_items_free(&b);
}

/* ---- content checks --------------------------------------------------------- */

/* Decide whether content is indexable; TC_SKIP_NONE if so. */
static tc_skip classify(const tc_index *ix, const char *p, size_t n)
{
    size_t head = n < 8192 ? n : 8192;
    if (memchr(p, 0, head)) return TC_SKIP_BINARY;
    switch (tc_generated_kind(p, n, ix->opts.max_line_len)) {
    case TC_GEN_NONE: return TC_SKIP_NONE;
    case TC_GEN_MINIFIED: return TC_SKIP_MINIFIED;
    default: return TC_SKIP_GENERATED; /* marked, or a compiler's or bundler's output */
    }
}

/* ---- the walk ----------------------------------------------------------------- */

typedef struct cand {
    long fileno;       /* existing record or -1 */
    char *path;        /* owned (only when fileno < 0) */
    uint64_t size;
    int64_t mtime_ns, ctime_ns;
    uint64_t ino;
    uint8_t special;   /* a FIFO, socket or device: recorded, never opened */
    /* results from the worker */
    int rc;
    uint8_t skip, lang, unchanged;
    uint8_t worker;    /* which worker's vocabulary the ids in enc are from */
    uint32_t vfirst, vend; /* the worker-local vocabulary ids this file added */
    uint64_t hash;
    uint32_t ntok;
    uint32_t *ids;     /* owned: items with worker-local ids, until remapped */
    uint8_t *enc;      /* owned: encoded items with index ids */
    uint64_t enc_len;
} cand;

/* One folder on the walk's stack: its sorted entries and how far we are. */
typedef struct walk_frame {
    int fd;            /* the folder, O_RDONLY; -1 while parked (too deep) */
    dev_t dev;         /* its identity, to check a folder reopened by ".." */
    ino_t ino;
    char **names;      /* owned, sorted */
    size_t nn, next;
    size_t rel_len;    /* length of its workspace-relative path in w->rel */
} walk_frame;

/* At most this many folder fds are held by the walk; deeper folders park
 * their ancestors (closed, reopened through ".." on the way back up). */
#define WALK_MAX_FDS 64

typedef struct walk_state {
    tc_index *ix;
    tc_ignore *ig;
    cand *c;
    size_t nc, capc;
    ix_dir *dirs;
    size_t ndirs, capdirs;
    tc_index_stats *st;
    walk_frame *fr;    /* the stack, fr[0] the root */
    size_t nfr, capfr;
    tc_buf rel;        /* the current entry's workspace-relative path */
    int rc;
} walk_state;

static int is_special(const struct stat *st)
{
    return S_ISFIFO(st->st_mode) || S_ISSOCK(st->st_mode) || S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode);
}

/* Does the record still describe what st describes? Size, mtime, ctime and
 * inode, as git compares them (a rewrite that restores size and mtime
 * still moves ctime), and never for a racily clean record. */
static int same_stat(const ix_file *x, const struct stat *st)
{
    return !x->racy && x->info.size == (uint64_t)st->st_size && x->info.mtime_ns == st_mtime_ns(st) &&
           x->ctime_ns == st_ctime_ns(st) && x->ino == (uint64_t)st->st_ino &&
           (x->info.skip == TC_SKIP_SPECIAL) == is_special(st);
}

static int cand_push(walk_state *w, long fileno, const char *path, const struct stat *st)
{
    cand *c;
    if (w->nc == w->capc) {
        size_t cap = w->capc ? w->capc * 2 : 4096;
        cand *nc = realloc(w->c, cap * sizeof *nc);
        if (!nc) return TC_ENOMEM;
        w->c = nc;
        w->capc = cap;
    }
    c = &w->c[w->nc];
    memset(c, 0, sizeof *c);
    c->fileno = fileno;
    if (fileno < 0 && !(c->path = strdup(path))) return TC_ENOMEM;
    c->size = (uint64_t)st->st_size;
    c->mtime_ns = st_mtime_ns(st);
    c->ctime_ns = st_ctime_ns(st);
    c->ino = (uint64_t)st->st_ino;
    c->special = (uint8_t)is_special(st);
    w->nc++;
    return TC_OK;
}

static int dir_push(walk_state *w, const char *rel, const struct stat *st)
{
    if (w->ndirs == w->capdirs) {
        size_t cap = w->capdirs ? w->capdirs * 2 : 256;
        ix_dir *nd = realloc(w->dirs, cap * sizeof *nd);
        if (!nd) return TC_ENOMEM;
        w->dirs = nd;
        w->capdirs = cap;
    }
    w->dirs[w->ndirs].path = strdup(rel);
    if (!w->dirs[w->ndirs].path) return TC_ENOMEM;
    w->dirs[w->ndirs].mtime_ns = st_mtime_ns(st);
    w->ndirs++;
    return TC_OK;
}

/* THE place where a file under the root (regular or special, not ignored by
 * the rule files) is accepted or left out, for the walk and for
 * tc_index_update_paths alike: 1 to index it, 0 to leave it out silently
 * (as if it were not there). Per-file policies (privacy, ...) go here.
 * The fast path (no folder changed) re-checks no known file: a policy
 * that changes must force a full walk (a new index version does). */
static int file_wanted(const tc_index *ix, const char *rel, const struct stat *st)
{
    (void)ix;
    (void)rel;
    (void)st;
    return 1;
}

/* A file found by the walk: becomes a candidate when new or changed. */
static int walk_file(walk_state *w, const char *rel, const struct stat *st)
{
    long f = ix_find(w->ix, rel);
    w->st->files_seen++;
    if (f >= 0) {
        ix_file *x = &w->ix->files[f];
        x->seen = 1;
        if (!x->info.removed && same_stat(x, st)) return TC_OK;
    }
    return cand_push(w, f, rel, st);
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Read the entries of the folder open as fd into a sorted list (without
 * ".", ".." and ".git"). TC_OK (an unreadable folder has none), TC_ENOMEM. */
static int read_names(int fd, char ***out, size_t *nout)
{
    DIR *d;
    struct dirent *de;
    char **names = NULL;
    size_t nn = 0, capn = 0;
    int dfd = dup(fd), rc = TC_OK;
    *out = NULL;
    *nout = 0;
    if (dfd < 0) return TC_OK;
    if (!(d = fdopendir(dfd))) {
        close(dfd);
        return TC_OK;
    }
    while ((de = readdir(d))) {
        const char *nm = de->d_name;
        if (nm[0] == '.' && (!nm[1] || (nm[1] == '.' && !nm[2]))) continue;
        if (strcmp(nm, ".git") == 0) continue;
        if (nn == capn) {
            size_t cap = capn ? capn * 2 : 64;
            char **nv = realloc(names, cap * sizeof *nv);
            if (!nv) {
                rc = TC_ENOMEM;
                break;
            }
            names = nv;
            capn = cap;
        }
        if (!(names[nn] = strdup(nm))) {
            rc = TC_ENOMEM;
            break;
        }
        nn++;
    }
    closedir(d);
    /* Sorted, so file numbers follow path order (directories contiguous). */
    if (nn) qsort(names, nn, sizeof *names, cmp_name);
    *out = names;
    *nout = nn;
    return rc;
}

/* Enter the folder open as fd (its path is w->rel, st its fstat): record
 * it, push its rule files and its frame. Takes fd (closed on failure). */
static int frame_push(walk_state *w, int fd, const struct stat *st)
{
    walk_frame *f;
    int rc;
    if (w->nfr == w->capfr) {
        size_t cap = w->capfr ? w->capfr * 2 : 64;
        walk_frame *nf = realloc(w->fr, cap * sizeof *nf);
        if (!nf) {
            close(fd);
            return TC_ENOMEM;
        }
        w->fr = nf;
        w->capfr = cap;
    }
    rc = dir_push(w, w->rel.data, st);
    if (!rc) rc = tc_ignore_push_dirfd(w->ig, w->rel.data, fd);
    if (rc == TC_EIO) rc = TC_OK; /* unreadable rule file: an empty level */
    if (rc) {
        close(fd);
        return rc;
    }
    f = &w->fr[w->nfr++];
    memset(f, 0, sizeof *f);
    f->fd = fd;
    f->dev = st->st_dev;
    f->ino = st->st_ino;
    f->rel_len = w->rel.len;
    w->st->dirs_scanned++;
    if (w->nfr > WALK_MAX_FDS) {
        /* park an ancestor: reopened through ".." when we come back */
        walk_frame *a = &w->fr[w->nfr - 1 - WALK_MAX_FDS];
        if (a->fd >= 0) close(a->fd);
        a->fd = -1;
    }
    return read_names(fd, &f->names, &f->nn);
}

/* Leave the top folder. A parked parent is reopened through ".." and must
 * be the folder it was (else the rest of it is left for the next walk). */
static void frame_pop(walk_state *w)
{
    walk_frame *f = &w->fr[--w->nfr];
    size_t i;
    if (w->nfr) {
        walk_frame *p = &w->fr[w->nfr - 1];
        if (p->fd < 0 && f->fd >= 0) {
            struct stat st;
            int pfd = openat(f->fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (pfd >= 0 && fstat(pfd, &st) == 0 && st.st_dev == p->dev && st.st_ino == p->ino) {
                p->fd = pfd;
            } else {
                if (pfd >= 0) close(pfd);
                p->next = p->nn; /* moved while we were below: give up on it */
            }
        } else if (p->fd < 0) {
            p->next = p->nn;
        }
        w->rel.len = p->rel_len;
        if (w->rel.data) w->rel.data[w->rel.len] = 0;
    }
    if (f->fd >= 0) close(f->fd);
    for (i = 0; i < f->nn; i++) free(f->names[i]);
    free(f->names);
    tc_ignore_pop(w->ig);
}

/* Walk the whole root, depth first in name order, with an explicit stack
 * (no recursion: a chain of 100,000 folders is just a long stack). */
static int walk_root(walk_state *w)
{
    tc_index *ix = w->ix;
    struct stat st;
    int fd, rc = TC_OK;
    w->ig = tc_ignore_new();
    if (!w->ig) return TC_ENOMEM;
    if (ix->rootfd < 0) {
        tc_warn("cannot read workspace root %s", ix->root);
        return TC_EIO;
    }
    if (tc_ignore_add_file_at(w->ig, "", ix->rootfd, ".git/info/exclude") == TC_ENOMEM) return TC_ENOMEM;
    fd = openat(ix->rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0) {
        if (fd >= 0) close(fd);
        tc_warn("cannot read workspace root %s: %s", ix->root, strerror(errno));
        return TC_EIO;
    }
    if (tc_buf_puts(&w->rel, "")) {
        close(fd);
        return TC_ENOMEM;
    }
    if ((rc = frame_push(w, fd, &st))) goto out;
    while (w->nfr && !rc) {
        walk_frame *f = &w->fr[w->nfr - 1];
        const char *name;
        int isdir;
        if (f->next >= f->nn || f->fd < 0) {
            frame_pop(w);
            continue;
        }
        name = f->names[f->next++];
        if (fstatat(f->fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue; /* vanished */
        /* Symlinks are never followed (as git records them as links). */
        if (S_ISLNK(st.st_mode)) continue;
        isdir = S_ISDIR(st.st_mode);
        if (!isdir && !S_ISREG(st.st_mode) && !is_special(&st)) continue;
        w->rel.len = f->rel_len;
        if ((f->rel_len && tc_buf_puts(&w->rel, "/")) || tc_buf_puts(&w->rel, name)) {
            rc = TC_ENOMEM;
            break;
        }
        if (tc_ignore_match(w->ig, w->rel.data, isdir)) continue;
        if (isdir) {
            int cfd = openat(f->fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            struct stat cst;
            if (cfd < 0) continue;
            if (fstat(cfd, &cst) != 0) {
                close(cfd);
                continue;
            }
            rc = frame_push(w, cfd, &cst);
        } else if (file_wanted(ix, w->rel.data, &st)) {
            rc = walk_file(w, w->rel.data, &st);
        }
    }
out:
    while (w->nfr) frame_pop(w);
    return rc;
}

static int is_ignore_file(const char *path)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    return strcmp(b, ".gitignore") == 0 || strcmp(b, ".tacitignore") == 0;
}

/* Stat a slice of the known files for the fast path. Consecutive files
 * share folders (they are in path order), so each folder is opened once
 * (O_PATH, beneath the root, no symlink followed) and its files stat'ed
 * relative to it: one path component to resolve per file. */
typedef struct stat_job {
    const tc_index *ix;
    size_t lo, hi;
    struct stat *st; /* per file; st_nlink == 0 marks "missing" */
} stat_job;

static void *stat_slice(void *arg)
{
    stat_job *j = arg;
    const tc_index *ix = j->ix;
    const char *dir = NULL; /* the folder dfd is open on: a prefix of a path */
    size_t dlen = 0, i;
    int dfd = -1;
    for (i = j->lo; i < j->hi; i++) {
        const ix_file *f = &ix->files[i];
        const char *slash;
        size_t n;
        j->st[i].st_nlink = 0;
        if (f->info.removed || !f->on_disk) continue;
        slash = strrchr(f->path, '/');
        n = slash ? (size_t)(slash - f->path) : 0;
        if (!dir || n != dlen || memcmp(dir, f->path, n) != 0) {
            char *d = malloc(n + 1);
            if (dfd >= 0 && dfd != ix->rootfd) close(dfd);
            dfd = -1;
            dir = f->path;
            dlen = n;
            if (!d) continue;
            memcpy(d, f->path, n);
            d[n] = 0;
            if (!n) dfd = ix->rootfd;
            else if (tc_fs_dir_open(ix->rootfd, d, O_PATH, &dfd)) dfd = -1;
            free(d);
        }
        if (dfd < 0 || fstatat(dfd, slash ? slash + 1 : f->path, &j->st[i], AT_SYMLINK_NOFOLLOW) != 0)
            j->st[i].st_nlink = 0;
    }
    if (dfd >= 0 && dfd != ix->rootfd) close(dfd);
    return NULL;
}

/* lstat a workspace-relative folder or file, no symlink followed on the
 * way ("" is the root). */
static int stat_rel(const tc_index *ix, const char *rel, struct stat *st)
{
    if (!*rel) return fstat(ix->rootfd, st) == 0 ? TC_OK : TC_EIO;
    return tc_fs_stat(ix->rootfd, rel, st);
}

static int64_t exclude_mtime(const tc_index *ix)
{
    struct stat st;
    return stat_rel(ix, ".git/info/exclude", &st) == TC_OK && S_ISREG(st.st_mode) ? st_mtime_ns(&st) : 0;
}

/* Is f, racily clean but otherwise stamped as st says, still the content
 * indexed? (an ignore file: a change sends the update to the full walk) */
static int racy_same(const tc_index *ix, const ix_file *f, const struct stat *st)
{
    tc_buf b = {0};
    int same;
    if (!f->racy || f->info.size != (uint64_t)st->st_size || f->info.mtime_ns != st_mtime_ns(st) ||
        f->ctime_ns != st_ctime_ns(st) || f->ino != (uint64_t)st->st_ino || f->info.skip || f->info.removed)
        return 0;
    same = tc_fs_read_regular(ix->rootfd, f->path, ix->opts.max_file_size, &b, NULL) == TC_OK &&
           XXH3_64bits(b.data, b.len) == f->info.hash;
    tc_buf_free(&b);
    return same;
}

/* The fast path: when every known directory's mtime is unchanged (no entry
 * added, removed or renamed) and no ignore file changed, stat only the
 * known files. Returns 1 if it applied (candidates in w), 0 if a full walk
 * is needed, or a negative status. */
static int fast_scan(walk_state *w)
{
    tc_index *ix = w->ix;
    struct stat st, *sts;
    stat_job jobs[2];
    pthread_t tid;
    size_t i;
    int rc = 1, nj = ix->nfiles > 8192 && ix->opts.threads > 1 ? 2 : 1;
    if (!ix->ndirs || ix->rootfd < 0) return 0;
    if (exclude_mtime(ix) != ix->exclude_mtime_ns) return 0;
    for (i = 0; i < ix->ndirs; i++)
        if (strlen(ix->root) + 2 + strlen(ix->dirs[i].path) > PATH_MAX) return 0; /* see below */
    sts = malloc((ix->nfiles ? ix->nfiles : 1) * sizeof *sts);
    if (!sts) return TC_ENOMEM;
    for (i = 0; i < (size_t)nj; i++) {
        jobs[i].ix = ix;
        jobs[i].st = sts;
        jobs[i].lo = ix->nfiles * i / (size_t)nj;
        jobs[i].hi = ix->nfiles * (i + 1) / (size_t)nj;
    }
    if (nj == 2 && pthread_create(&tid, NULL, stat_slice, &jobs[1]) != 0) nj = 1, jobs[0].hi = ix->nfiles;
    stat_slice(&jobs[0]);
    /* the directories, meanwhile, on this thread: one lstat of the whole
     * path (a folder swapped for a symlink changes its parent's mtime). A
     * folder past PATH_MAX sends us to the full walk, which reaches it in
     * one step from its parent (stat'ing every folder of a chain of
     * thousands by its path costs the square of the depth). */
    {
        char path[PATH_MAX];
        size_t rl = strlen(ix->root);
        for (i = 0; i < ix->ndirs && rc == 1; i++) {
            const char *d = ix->dirs[i].path;
            if (rl + 2 + strlen(d) > sizeof path) {
                rc = 0; /* checked above */
                break;
            }
            snprintf(path, sizeof path, "%s%s%s", ix->root, d[0] ? "/" : "", d);
            if (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode) || st_mtime_ns(&st) != ix->dirs[i].mtime_ns) rc = 0;
        }
    }
    if (nj == 2) pthread_join(tid, NULL);
    for (i = 0; i < ix->nfiles && rc == 1; i++) {
        ix_file *f = &ix->files[i];
        if (f->info.removed || !f->on_disk) continue;
        if (!sts[i].st_nlink || !(S_ISREG(sts[i].st_mode) || is_special(&sts[i])) ||
            (f->info.skip == TC_SKIP_SPECIAL) != is_special(&sts[i])) {
            rc = 0; /* vanished or replaced: a full walk sorts it out */
            break;
        }
        f->seen = 1;
        w->st->files_seen++;
        if (same_stat(f, &sts[i])) continue;
        if (is_ignore_file(f->path) && !racy_same(ix, f, &sts[i])) {
            rc = 0;
            break;
        }
        if ((rc = cand_push(w, (long)i, f->path, &sts[i])) != TC_OK) break;
        rc = 1;
    }
    free(sts);
    return rc;
}

/* ---- processing candidates ------------------------------------------------------ */

typedef struct worker {
    int id;
    tc_index *ix;
    cand *c;
    size_t lo, hi;
    _Atomic size_t *next;
    tc_vocab *vocab;     /* private; ids remapped after the batch */
    uint32_t *remap;     /* local id -> index id, for ids < nremap */
    uint32_t nremap;
    tc_toks toks;
    tc_items items;
    tc_buf buf;          /* the file being read */
    _Atomic uint64_t *bytes;
    _Atomic uint32_t *done;
} worker;

/* Read file rel beneath the root into wk->buf (at most the size limit) and
 * take the open file's identity into c (it describes what was read). */
static int read_cand(worker *wk, cand *c, const char *rel)
{
    struct stat st;
    int rc = tc_fs_read_regular(wk->ix->rootfd, rel, wk->ix->opts.max_file_size, &wk->buf, &st);
    if (rc == TC_OK || rc == TC_ETOOBIG) {
        c->size = rc ? (uint64_t)st.st_size : wk->buf.len;
        c->mtime_ns = st_mtime_ns(&st);
        c->ctime_ns = st_ctime_ns(&st);
        c->ino = (uint64_t)st.st_ino;
    }
    return rc;
}

/* Read and hash an existing file's candidate; mark it unchanged when its
 * content hash is the indexed one. */
static void check_unchanged(worker *wk, cand *c)
{
    tc_index *ix = wk->ix;
    const ix_file *f;
    if (c->fileno < 0 || c->special) return;
    f = &ix->files[c->fileno];
    if (f->info.removed || !f->enc || f->info.skip || tc_privacy_path_is_secret(ix->priv, f->path)) return;
    if (read_cand(wk, c, f->path)) return;
    if (XXH3_64bits(wk->buf.data, wk->buf.len) == f->info.hash) c->unchanged = 1;
}

static void process_one(worker *wk, cand *c)
{
    tc_index *ix = wk->ix;
    const char *rel = c->fileno >= 0 ? ix->files[c->fileno].path : c->path;
    const char *text;
    size_t len;
    int rc;
    if (c->unchanged) return; /* settled by check_unchanged */
    if (c->special) {
        c->skip = TC_SKIP_SPECIAL; /* never opened: an open could block */
        c->size = 0;
        return;
    }
    if (tc_privacy_path_is_secret(ix->priv, rel)) { c->skip = TC_SKIP_SECRET; return; } /* never read */
    rc = read_cand(wk, c, rel);
    if (rc == TC_ETOOBIG) {
        c->skip = TC_SKIP_TOOBIG;
        c->hash = 0;
        return;
    }
    if (rc) {
        /* gone, or swapped for a symlink or a FIFO since the walk */
        c->skip = TC_SKIP_UNREADABLE;
        c->rc = rc == TC_ENOMEM ? rc : 0;
        return;
    }
    text = wk->buf.data;
    len = wk->buf.len;
    atomic_fetch_add(wk->bytes, len);
    c->hash = XXH3_64bits(text, len);
    c->lang = (uint8_t)tc_lang_detect(rel, text, len < 256 ? len : 256);
    if (c->fileno >= 0) {
        const ix_file *f = &ix->files[c->fileno];
        if (!f->info.removed && f->enc && f->info.hash == c->hash && !f->info.skip) {
            c->unchanged = 1;
            return;
        }
    }
    c->skip = (uint8_t)classify(ix, text, len);
    if (c->skip) return;
    wk->items.n = 0;
    c->vfirst = tc_vocab_size(wk->vocab);
    rc = tc_tokens_from_source(wk->vocab, (tc_lang)c->lang, text, len, &wk->items, NULL, &wk->toks);
    c->vend = tc_vocab_size(wk->vocab);
    if (!rc && wk->vocab == ix->vocab) {
        rc = encode_items(wk->items.v, wk->items.n, &c->enc, &c->enc_len);
    } else if (!rc) {
        /* local ids: remapped and encoded after the batch's vocab merge;
         * the candidate takes the worker's array (no copy) */
        c->ids = wk->items.v;
        wk->items.v = NULL;
        wk->items.cap = 0;
    }
    if (rc) {
        c->rc = rc;
        return;
    }
    c->ntok = (uint32_t)wk->items.n;
}

static void *worker_main(void *arg)
{
    worker *wk = arg;
    for (;;) {
        size_t i = atomic_fetch_add(wk->next, 1);
        if (i >= wk->hi) break;
        wk->c[i].worker = (uint8_t)wk->id;
        process_one(wk, &wk->c[i]);
        atomic_fetch_add(wk->done, 1);
    }
    return NULL;
}

/* Intern local vocabulary entries [from, to) of worker wk into the index's
 * and record them in its remap table (serial: one writer). */
static int merge_range(tc_index *ix, worker *wk, uint32_t from, uint32_t to)
{
    uint32_t i;
    for (i = from; i < to; i++) {
        size_t n;
        const char *s;
        int rc;
        if (i < TC_VOCAB_FIRST) {
            wk->remap[i] = i;
            continue;
        }
        s = tc_vocab_text(wk->vocab, i, &n);
        if ((rc = tc_vocab_intern(ix->vocab, tc_vocab_kind(wk->vocab, i), s, n, &wk->remap[i]))) return rc;
    }
    return TC_OK;
}

/* Merge the workers' new vocabulary entries of candidates [lo, hi) into the
 * index's, candidate by candidate in path order: an entry gets its index id
 * at the first file (in path order) that holds it, whichever worker lexed
 * it, so the ids (and the saved index) do not depend on the scheduling.
 * (A worker lexes its files in increasing order, so a token's first file
 * overall is the file where it was new to its worker.) */
static int merge_batch(tc_index *ix, worker *wk, int nthreads, cand *c, size_t lo, size_t hi)
{
    size_t i;
    int t, rc;
    for (t = 0; t < nthreads; t++) {
        uint32_t nlocal = tc_vocab_size(wk[t].vocab);
        uint32_t *r;
        if (nlocal <= wk[t].nremap) continue;
        if (!(r = realloc(wk[t].remap, nlocal * sizeof *r))) return TC_ENOMEM;
        wk[t].remap = r;
        if (wk[t].nremap < TC_VOCAB_FIRST) {
            if ((rc = merge_range(ix, &wk[t], wk[t].nremap, TC_VOCAB_FIRST < nlocal ? TC_VOCAB_FIRST : nlocal)))
                return rc;
            wk[t].nremap = TC_VOCAB_FIRST < nlocal ? TC_VOCAB_FIRST : nlocal;
        }
    }
    for (i = lo; i < hi; i++) {
        worker *w = &wk[c[i].worker];
        if (c[i].vend <= c[i].vfirst) continue;
        if ((rc = merge_range(ix, w, c[i].vfirst, c[i].vend))) return rc;
    }
    for (t = 0; t < nthreads; t++) {
        /* entries no candidate claims (none expected): in worker order */
        uint32_t nlocal = tc_vocab_size(wk[t].vocab), hiw = wk[t].nremap;
        for (i = lo; i < hi; i++)
            if (c[i].worker == t && c[i].vend > hiw) hiw = c[i].vend;
        if (hiw < nlocal && (rc = merge_range(ix, &wk[t], hiw, nlocal))) return rc;
        wk[t].nremap = nlocal;
    }
    return TC_OK;
}

/* Remap and encode the candidates of [lo, hi) lexed by worker wk (runs on
 * the workers in parallel once merge_batch is done). */
static void *remap_main(void *arg)
{
    worker *wk = arg;
    size_t i, j;
    for (i = wk->lo; i < wk->hi; i++) {
        cand *c = &wk->c[i];
        if (c->worker != wk->id || !c->ids) continue; /* another worker's: not ours to read */
        for (j = 0; j < c->ntok; j++) c->ids[j] = TC_ITEM(wk->remap[TC_ITEM_ID(c->ids[j])], TC_ITEM_SP(c->ids[j]));
        if (!c->rc) c->rc = encode_items(c->ids, c->ntok, &c->enc, &c->enc_len);
        free(c->ids);
        c->ids = NULL;
    }
    return NULL;
}

/* Apply a processed candidate to the index. */
static int apply_cand(tc_index *ix, cand *c, tc_index_stats *st)
{
    ix_file *f;
    long fn = c->fileno;
    const uint8_t *old_enc = NULL;
    uint64_t old_len = 0;
    uint32_t old_n = 0;
    uint8_t *old_owned = NULL;
    int had_tokens;
    if (fn < 0) {
        int rc = ix_file_add(ix, c->path, &fn);
        if (rc) return rc;
        ix->files[fn].seen = 1;
    }
    f = &ix->files[fn];
    f->on_disk = 1;
    f->dirty = 1;
    ix->any_change = 1;
    f->info.mtime_ns = c->mtime_ns;
    f->info.size = c->size;
    f->ctime_ns = c->ctime_ns;
    f->ino = c->ino;
    /* Racily clean (git's term): a rewrite later in the same tick, with the
     * same size, would keep every stamp; the next update reads and hashes
     * it again (re-lexed only if its content changed). */
    f->racy = !c->special && (c->mtime_ns >= ix->racy_ns || c->ctime_ns >= ix->racy_ns);
    if (c->unchanged) return TC_OK; /* same content: metadata only */
    had_tokens = f->enc && !f->info.removed;
    if (had_tokens && !f->buf_enc) {
        old_enc = f->enc;
        old_len = f->enc_len;
        old_n = f->disk_ntok;
    }
    old_owned = f->enc_owned;
    f->info.hash = c->hash;
    f->info.lang = c->lang;
    f->info.skip = c->skip;
    f->info.removed = 0;
    if (c->skip) {
        st->skipped[c->skip]++;
        f->enc = NULL;
        f->enc_owned = NULL;
        f->enc_len = 0;
        f->disk_ntok = 0;
    } else {
        st->files_relexed++;
        st->bytes_lexed += c->size;
        f->enc = f->enc_owned = c->enc;
        f->enc_len = c->enc_len;
        f->disk_ntok = c->ntok;
        c->enc = NULL;
    }
    if (!f->buf_enc) {
        f->info.ntok = f->disk_ntok;
        if (old_enc || f->enc) notify(ix, (size_t)fn, old_enc, old_len, old_n, f->enc, f->enc_len, f->disk_ntok);
    }
    free(old_owned);
    return TC_OK;
}

static void progress_draw(const tc_index *ix, size_t done, size_t total, uint64_t bytes, double t0, int final)
{
    double el = now_s() - t0, rate = el > 0 ? (double)done / el : 0;
    double eta = rate > 0 ? (double)(total - done) / rate : 0;
    int width = 24, fill = total ? (int)((double)done / (double)total * width) : width, i;
    char bar[32];
    (void)ix;
    for (i = 0; i < width; i++) bar[i] = i < fill ? '#' : '.';
    bar[width] = 0;
    fprintf(stderr, "\r\033[Kindexing [%s] %zu/%zu files  %.1f MB  %.1f MB/s  ETA %.0fs%s", bar, done,
            total, (double)bytes / 1e6, el > 0 ? (double)bytes / 1e6 / el : 0.0, eta,
            final ? "\n" : "");
    fflush(stderr);
}

static int process_cands(tc_index *ix, walk_state *w, tc_index_stats *st, double t0)
{
    int nthreads = ix->opts.threads > 16 ? 16 : ix->opts.threads, show = ix->opts.progress && isatty(2) && w->nc > 200;
    worker *wk;
    size_t lo, i;
    int t, rc = TC_OK;
    _Atomic uint64_t bytes = 0;
    _Atomic uint32_t local_done = 0;
    _Atomic uint32_t *done = ix->opts.counts ? &ix->opts.counts->done : &local_done;
    if (!w->nc) return TC_OK;
    if (ix->opts.counts) {
        atomic_store(done, 0);
        atomic_store(&ix->opts.counts->total, (uint32_t)w->nc);
    }
    if (w->nc < 64) nthreads = 1;
    if (nthreads == 1 && !ix->vocab) {
        /* A few candidates on a loaded index: find out first whether any
         * content changed, so a touch costs a read and a hash, not the
         * loading of the whole vocabulary. */
        worker pre;
        size_t changed = 0;
        memset(&pre, 0, sizeof pre);
        pre.ix = ix;
        for (i = 0; i < w->nc; i++) {
            check_unchanged(&pre, &w->c[i]);
            changed += !w->c[i].unchanged;
        }
        tc_buf_free(&pre.buf);
        if (!changed) {
            for (i = 0; i < w->nc && !rc; i++) rc = apply_cand(ix, &w->c[i], st);
            return rc;
        }
    }
    if ((rc = ix_vocab_ensure(ix))) return rc;
    wk = calloc((size_t)nthreads, sizeof *wk);
    if (!wk) return TC_ENOMEM;
    for (t = 0; t < nthreads; t++) {
        wk[t].id = t;
        wk[t].ix = ix;
        wk[t].c = w->c;
        wk[t].bytes = &bytes;
        wk[t].done = done;
        /* One thread interns straight into the index's vocabulary. */
        wk[t].vocab = nthreads == 1 ? ix->vocab : tc_vocab_new();
        if (!wk[t].vocab) {
            rc = TC_ENOMEM;
            goto out;
        }
    }
    for (lo = 0; lo < w->nc && !rc; lo += IX_BATCH_FILES) {
        size_t hi = lo + IX_BATCH_FILES < w->nc ? lo + IX_BATCH_FILES : w->nc;
        _Atomic size_t next = lo;
        pthread_t tid[16];
        for (t = 0; t < nthreads; t++) {
            wk[t].lo = lo;
            wk[t].hi = hi;
            wk[t].next = &next;
        }
        if (nthreads == 1) {
            worker_main(&wk[0]);
        } else {
            for (t = 0; t < nthreads; t++) pthread_create(&tid[t], NULL, worker_main, &wk[t]);
            if (show) {
                while (atomic_load(done) < hi) {
                    progress_draw(ix, atomic_load(done), w->nc, atomic_load(&bytes), t0, 0);
                    usleep(100000);
                }
            }
            for (t = 0; t < nthreads; t++) pthread_join(tid[t], NULL);
        }
        if (nthreads > 1) {
            rc = merge_batch(ix, wk, nthreads, w->c, lo, hi);
            if (rc) break;
            for (t = 0; t < nthreads; t++) pthread_create(&tid[t], NULL, remap_main, &wk[t]);
            for (t = 0; t < nthreads; t++) pthread_join(tid[t], NULL);
        }
        /* In walk order, so file numbers follow path order. */
        for (i = lo; i < hi && !rc; i++) {
            cand *c = &w->c[i];
            if (c->rc) {
                rc = c->rc;
                break;
            }
            rc = apply_cand(ix, c, st);
        }
        if (show) progress_draw(ix, hi, w->nc, atomic_load(&bytes), t0, hi == w->nc);
    }
out:
    for (t = 0; t < nthreads; t++) {
        if (wk[t].vocab != ix->vocab) tc_vocab_free(wk[t].vocab);
        free(wk[t].remap);
        tc_toks_free(&wk[t].toks);
        tc_items_free(&wk[t].items);
        tc_buf_free(&wk[t].buf);
    }
    free(wk);
    return rc;
}

/* ---- update ---------------------------------------------------------------------- */

/* Check the saved tokens of files [lo, hi) against their hashes (the
 * mapped blob is read, nothing written): bad[i] = 1 for a damaged one. */
typedef struct verify_job {
    const tc_index *ix;
    size_t lo, hi;
    uint8_t *bad;
} verify_job;

static int needs_check(const ix_file *f)
{
    return f->enc && !f->enc_owned && !f->enc_checked && !f->info.removed;
}

static void *verify_slice(void *arg)
{
    verify_job *j = arg;
    size_t i;
    for (i = j->lo; i < j->hi; i++) {
        const ix_file *f = &j->ix->files[i];
        j->bad[i] = needs_check(f) && XXH3_64bits(f->enc, f->enc_len) != f->enc_hash;
    }
    return NULL;
}

/* Check every saved entry not yet checked; a damaged one is forgotten
 * (check_enc: warned, tokens dropped, marked changed) and its number goes
 * to *damaged (malloc'd, *ndamaged of them). */
static int verify_entries(tc_index *ix, size_t **damaged, size_t *ndamaged)
{
    verify_job jobs[2];
    pthread_t tid;
    uint8_t *bad;
    size_t i, n = 0;
    int nj = ix->nfiles > 8192 && ix->opts.threads > 1 ? 2 : 1;
    *damaged = NULL;
    *ndamaged = 0;
    for (i = 0; i < ix->nfiles && !needs_check(&ix->files[i]); i++) {}
    if (i == ix->nfiles) return TC_OK;
    if (!(bad = calloc(ix->nfiles, 1))) return TC_ENOMEM;
    for (i = 0; i < (size_t)nj; i++) {
        jobs[i].ix = ix;
        jobs[i].bad = bad;
        jobs[i].lo = ix->nfiles * i / (size_t)nj;
        jobs[i].hi = ix->nfiles * (i + 1) / (size_t)nj;
    }
    if (nj == 2 && pthread_create(&tid, NULL, verify_slice, &jobs[1]) != 0) nj = 1, jobs[0].hi = ix->nfiles;
    verify_slice(&jobs[0]);
    if (nj == 2) pthread_join(tid, NULL);
    for (i = 0; i < ix->nfiles; i++) {
        ix_file *f = &ix->files[i];
        if (!needs_check(f)) continue;
        if (bad[i]) {
            check_enc(ix, f); /* warns, forgets the tokens, marks it changed */
            n++;
        } else {
            f->enc_checked = 1;
        }
    }
    if (n && (*damaged = malloc(n * sizeof **damaged))) {
        for (i = 0; i < ix->nfiles; i++)
            if (bad[i]) (*damaged)[(*ndamaged)++] = i;
    }
    free(bad);
    return n && !*damaged ? TC_ENOMEM : TC_OK;
}

static void mark_removed(tc_index *ix, size_t i, tc_index_stats *st)
{
    ix_file *f = &ix->files[i];
    const uint8_t *old = f->buf_enc ? NULL : f->enc;
    if (f->info.removed || !f->on_disk) return;
    /* Recorded even when the file may not be in the base (a removal the
     * base lacks is ignored at load): a light index cannot tell. */
    {
        if (ix->nremoved == ix->capremoved) {
            size_t cap = ix->capremoved ? ix->capremoved * 2 : 64;
            char **r = realloc(ix->removed, cap * sizeof *r);
            if (!r) return;
            ix->removed = r;
            ix->capremoved = cap;
        }
        if (!(ix->removed[ix->nremoved] = strdup(f->path))) return;
        ix->nremoved++;
    }
    if (old) notify(ix, i, old, f->enc_len, f->disk_ntok, NULL, 0, 0);
    f->info.removed = 1;
    f->on_disk = 0;
    f->dirty = 1;
    if (!f->buf_enc) f->info.ntok = 0;
    ix->any_change = 1;
    st->files_removed++;
}

int tc_index_update(tc_index *ix, tc_index_stats *stats)
{
    tc_index_stats local;
    tc_index_stats *st = stats ? stats : &local;
    walk_state w;
    double t0 = now_s();
    size_t i;
    int rc, fast;

    memset(st, 0, sizeof *st);
    memset(&w, 0, sizeof w);
    w.ix = ix;
    w.st = st;
    ix->racy_ns = ix_racy_bound_ns(NULL);
    if (ix->light && (rc = ix_light_materialize(ix))) return rc;
    for (i = 0; i < ix->nfiles; i++) ix->files[i].seen = 0;
    fast = fast_scan(&w);
    if (fast < 0) {
        rc = fast;
        goto out;
    }
    if (!fast) {
        /* Full walk: forget the fast path's partial candidates. */
        for (i = 0; i < w.nc; i++) free(w.c[i].path);
        w.nc = 0;
        memset(st, 0, sizeof *st);
        for (i = 0; i < ix->nfiles; i++) ix->files[i].seen = 0;
        rc = walk_root(&w);
        tc_ignore_free(w.ig);
        w.ig = NULL;
        if (rc) goto out;
        for (i = 0; i < ix->ndirs; i++) free(ix->dirs[i].path);
        free(ix->dirs);
        ix->dirs = w.dirs;
        ix->ndirs = w.ndirs;
        w.dirs = NULL;
        w.ndirs = 0;
        ix->any_change = 1;
        ix->exclude_mtime_ns = exclude_mtime(ix);
    }
    rc = process_cands(ix, &w, st, t0);
    if (rc) goto out;
    for (i = 0; i < ix->nfiles; i++)
        if (!ix->files[i].seen) mark_removed(ix, i, st);
    /* The totals describe the whole index now (apply_cand counted only
     * what this run re-read). */
    memset(st->skipped, 0, sizeof st->skipped);
    for (i = 0; i < ix->nfiles; i++) {
        const ix_file *f = &ix->files[i];
        if (f->info.removed || !f->on_disk) continue;
        if (f->info.skip) st->skipped[f->info.skip]++;
        else st->files_indexed++;
    }
out:
    for (i = 0; i < w.nc; i++) {
        free(w.c[i].path);
        free(w.c[i].enc);
        free(w.c[i].ids);
    }
    free(w.c);
    for (i = 0; i < w.ndirs; i++) free(w.dirs[i].path);
    free(w.dirs);
    free(w.fr);
    tc_buf_free(&w.rel);
    tc_ignore_free(w.ig);
    st->seconds = now_s() - t0;
    return rc;
}

int tc_index_save(tc_index *ix)
{
    if (!ix->any_change && ix->base_id) return TC_OK;
    if (mkdir_p(ix->cache_dir)) {
        tc_warn("cannot create cache folder %s: %s", ix->cache_dir, strerror(errno));
        return TC_EIO;
    }
    return ix_save(ix);
}

/* ---- editor buffers ----------------------------------------------------------------- */

int tc_index_set_buffer(tc_index *ix, const char *relpath, const char *text, size_t len,
                        long *fileno)
{
    tc_items it = {0};
    uint8_t *enc = NULL;
    uint64_t enc_len = 0;
    long fn = ix_find(ix, relpath);
    ix_file *f;
    int rc;
    if ((rc = ix_vocab_ensure(ix))) return rc;
    if (len > UINT32_MAX) return TC_ETOOBIG;
    if (tc_privacy_path_is_secret(ix->priv, relpath)) len = 0; /* a secret file's buffer is not learned */
    rc = tc_tokens_from_source(ix->vocab, tc_lang_detect(relpath, text, len < 256 ? len : 256), text,
                               len, &it, NULL, NULL);
    if (!rc) rc = encode_items(it.v, it.n, &enc, &enc_len);
    if (rc) goto out;
    if (fn < 0) {
        if ((rc = ix_file_add(ix, relpath, &fn))) goto out;
        ix->files[fn].info.lang = (uint8_t)tc_lang_detect(relpath, text, len < 256 ? len : 256);
    }
    f = &ix->files[fn];
    {
        const uint8_t *old = f->buf_enc ? f->buf_enc : (f->info.removed ? NULL : f->enc);
        uint64_t old_len = f->buf_enc ? f->buf_len : f->enc_len;
        uint32_t old_n = f->buf_enc ? f->buf_ntok : f->disk_ntok;
        uint8_t *old_buf = f->buf_enc;
        f->buf_enc = enc;
        f->buf_len = enc_len;
        f->buf_ntok = (uint32_t)it.n;
        f->info.buffer = 1;
        f->info.ntok = (uint32_t)it.n;
        f->info.size = len;
        enc = NULL;
        notify(ix, (size_t)fn, old, old_len, old_n, f->buf_enc, f->buf_len, f->buf_ntok);
        free(old_buf);
    }
    if (fileno) *fileno = fn;
out:
    free(enc);
    tc_items_free(&it);
    return rc;
}

int tc_index_clear_buffer(tc_index *ix, const char *relpath)
{
    long fn = ix_find(ix, relpath);
    ix_file *f;
    if (fn < 0) return TC_ENOENT;
    f = &ix->files[fn];
    if (!f->buf_enc) return TC_OK;
    {
        const uint8_t *neu = f->info.removed || !f->on_disk ? NULL : f->enc;
        notify(ix, (size_t)fn, f->buf_enc, f->buf_len, f->buf_ntok, neu, f->enc_len, f->disk_ntok);
    }
    free(f->buf_enc);
    f->buf_enc = NULL;
    f->buf_len = 0;
    f->buf_ntok = 0;
    f->info.buffer = 0;
    f->info.ntok = f->on_disk && !f->info.removed ? f->disk_ntok : 0;
    return TC_OK;
}

/* Is relpath ignored, by the rules of the root and of each folder above it
 * (a file under an ignored folder is ignored)? The folders are opened one
 * component at a time beneath the root, never through a symlink (one that
 * cannot be opened so counts as ignored: the file is not the walk's). */
static int path_ignored(tc_index *ix, const char *relpath)
{
    tc_ignore *ig = tc_ignore_new();
    tc_buf dir = {0};
    const char *p, *start = relpath;
    int ignored = 0, levels = 0, fd = ix->rootfd;
    if (!ig || tc_buf_puts(&dir, "")) {
        tc_ignore_free(ig);
        tc_buf_free(&dir);
        return 1;
    }
    tc_ignore_add_file_at(ig, "", ix->rootfd, ".git/info/exclude");
    tc_ignore_push_dirfd(ig, "", ix->rootfd);
    levels++;
    for (p = strchr(relpath, '/'); p && !ignored; p = strchr(p + 1, '/')) {
        const char *name = start;
        size_t n = (size_t)(p - start);
        char comp[NAME_MAX + 1];
        int nfd;
        start = p + 1;
        if (n > NAME_MAX || (dir.len && tc_buf_puts(&dir, "/")) || tc_buf_append(&dir, name, n)) {
            ignored = 1;
            break;
        }
        memcpy(comp, name, n);
        comp[n] = 0;
        if (strcmp(comp, ".git") == 0 || tc_ignore_match(ig, dir.data, 1)) {
            ignored = 1;
            break;
        }
        nfd = openat(fd, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd != ix->rootfd) close(fd);
        fd = nfd;
        if (fd < 0) {
            ignored = 1;
            break;
        }
        tc_ignore_push_dirfd(ig, dir.data, fd);
        levels++;
    }
    if (fd >= 0 && fd != ix->rootfd) close(fd);
    if (!ignored) ignored = tc_ignore_match(ig, relpath, 0);
    while (levels-- > 0) tc_ignore_pop(ig);
    tc_ignore_free(ig);
    tc_buf_free(&dir);
    return ignored;
}

int tc_index_update_paths(tc_index *ix, const char *const *relpaths, size_t n, tc_index_stats *stats)
{
    tc_index_stats local;
    tc_index_stats *st = stats ? stats : &local;
    walk_state w;
    double t0 = now_s();
    size_t i;
    int rc = TC_OK;
    memset(st, 0, sizeof *st);
    memset(&w, 0, sizeof w);
    w.ix = ix;
    w.st = st;
    ix->racy_ns = ix_racy_bound_ns(NULL);
    for (i = 0; i < n && !rc; i++) {
        const char *rel = relpaths[i];
        struct stat sb;
        long f;
        while (rel[0] == '.' && rel[1] == '/') rel += 2; /* "./a.c" is "a.c" */
        /* a plain relative path, resolved beneath the root with no symlink
         * in any component: "etcdir/passwd" with etcdir -> /etc is not a
         * file of the workspace */
        if (!tc_fs_relpath_ok(rel) || ix->rootfd < 0) continue;
        f = ix_find(ix, rel);
        if (f < 0 && ix->light) f = ix_light_find(ix, rel);
        if (f >= 0 && needs_check(&ix->files[f]))
            check_enc(ix, &ix->files[f]); /* a damaged entry is re-read below */
        if (tc_fs_stat(ix->rootfd, rel, &sb) != TC_OK || !(S_ISREG(sb.st_mode) || is_special(&sb)) ||
            !file_wanted(ix, rel, &sb)) {
            if (f >= 0) mark_removed(ix, (size_t)f, st);
            continue;
        }
        st->files_seen++;
        if (f >= 0 && !ix->files[f].info.removed && ix->files[f].on_disk) {
            if (same_stat(&ix->files[f], &sb)) continue;
            rc = cand_push(&w, f, rel, &sb);
        } else if (!path_ignored(ix, rel)) {
            rc = cand_push(&w, f, rel, &sb);
        }
    }
    if (!rc) rc = process_cands(ix, &w, st, t0);
    for (i = 0; i < w.nc; i++) {
        free(w.c[i].path);
        free(w.c[i].enc);
        free(w.c[i].ids);
    }
    free(w.c);
    st->seconds = now_s() - t0;
    return rc;
}
