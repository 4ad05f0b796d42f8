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
#include "workspace/ignore.h"
#include "util/buf.h"
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
                                               "unreadable", "generated", "secret"};
    return (unsigned)s < TC_SKIP_COUNT ? names[s] : "?";
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int64_t st_mtime_ns(const struct stat *st)
{
    return (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
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
    ix->opts = *opts;
    if (!ix->opts.max_file_size) ix->opts.max_file_size = IX_DEFAULT_MAX_FILE;
    if (!ix->opts.max_line_len) ix->opts.max_line_len = IX_DEFAULT_MAX_LINE;
    if (ix->opts.threads <= 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        ix->opts.threads = n > 0 ? (int)(n > 8 ? 8 : n) : 1;
    }
    ix->light = opts->light;
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
    free(ix->root);
    free(ix->cache_dir);
    free(ix);
}

const char *tc_index_root(const tc_index *ix) { return ix->root; }
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
    uint32_t i;
    out->n = 0;
    if (out->cap < ntok) {
        uint32_t *v = realloc(out->v, (ntok ? ntok : 1) * sizeof *v);
        if (!v) return TC_ENOMEM;
        out->v = v;
        out->cap = ntok ? ntok : 1;
    }
    for (i = 0; i < ntok; i++) {
        uint64_t x;
        if (tc_rd_varint(&r, &x) || (x >> 1) >= nvocab) return TC_ECORRUPT;
        out->v[out->n++] = (uint32_t)x;
    }
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

int tc_index_prepare_readers(tc_index *ix)
{
    size_t i;
    if (ix_vocab_ensure(ix)) return TC_ENOMEM;
    for (i = 0; i < ix->nfiles; i++) {
        ix_file *f = &ix->files[i];
        if (f->enc && !f->enc_owned && !f->enc_checked && !f->info.removed) check_enc(ix, f);
    }
    return TC_OK;
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
    size_t i, head = n < 8192 ? n : 8192, line = 0, maxline = 0, lines = 1;
    if (memchr(p, 0, head)) return TC_SKIP_BINARY;
    for (i = 0; i < n; i++) {
        if (p[i] == '\n') {
            if (line > maxline) maxline = line;
            line = 0;
            lines++;
        } else {
            line++;
        }
    }
    if (line > maxline) maxline = line;
    if (maxline > ix->opts.max_line_len) return TC_SKIP_MINIFIED;
    if (n >= 4096 && n / lines > ix->opts.max_line_len / 4) return TC_SKIP_MINIFIED;
    {
        size_t h = n < 1024 ? n : 1024;
        if (memmem(p, h, "@generated", 10) ||
            (memmem(p, h, "Code generated", 14) && memmem(p, h, "DO NOT EDIT", 11)))
            return TC_SKIP_GENERATED;
    }
    return TC_SKIP_NONE;
}

/* ---- the walk ----------------------------------------------------------------- */

typedef struct cand {
    long fileno;       /* existing record or -1 */
    char *path;        /* owned (only when fileno < 0) */
    uint64_t size;
    int64_t mtime_ns;
    /* results from the worker */
    int rc;
    uint8_t skip, lang, unchanged;
    uint8_t worker;    /* which worker's vocabulary the ids in enc are from */
    uint64_t hash;
    uint32_t ntok;
    uint32_t *ids;     /* owned: items with worker-local ids, until remapped */
    uint8_t *enc;      /* owned: encoded items with index ids */
    uint64_t enc_len;
} cand;

typedef struct walk_state {
    tc_index *ix;
    tc_ignore *ig;
    cand *c;
    size_t nc, capc;
    ix_dir *dirs;
    size_t ndirs, capdirs;
    tc_index_stats *st;
    int rc;
} walk_state;

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

/* A file found by the walk: becomes a candidate when new or changed. */
static int walk_file(walk_state *w, const char *rel, const struct stat *st)
{
    long f = ix_find(w->ix, rel);
    w->st->files_seen++;
    if (f >= 0) {
        ix_file *x = &w->ix->files[f];
        x->seen = 1;
        if (!x->info.removed && x->info.size == (uint64_t)st->st_size &&
            x->info.mtime_ns == st_mtime_ns(st))
            return TC_OK;
    }
    return cand_push(w, f, rel, st);
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Walk directory rel (abs is its absolute path, fd open on it). */
static int walk_dir(walk_state *w, int fd, const char *rel, const char *abs)
{
    DIR *d;
    struct dirent *de;
    char **names = NULL;
    size_t nn = 0, capn = 0, i;
    int rc = TC_OK;

    d = fdopendir(fd);
    if (!d) {
        close(fd);
        return TC_OK;
    }
    w->st->dirs_scanned++;
    while ((de = readdir(d))) {
        const char *nm = de->d_name;
        if (nm[0] == '.' && (!nm[1] || (nm[1] == '.' && !nm[2]))) continue;
        if (strcmp(nm, ".git") == 0) continue;
        if (nn == capn) {
            size_t cap = capn ? capn * 2 : 64;
            char **nv = realloc(names, cap * sizeof *nv);
            if (!nv) {
                rc = TC_ENOMEM;
                goto out;
            }
            names = nv;
            capn = cap;
        }
        if (!(names[nn] = strdup(nm))) {
            rc = TC_ENOMEM;
            goto out;
        }
        nn++;
    }
    /* Sorted, so file numbers follow path order (directories contiguous). */
    if (nn) qsort(names, nn, sizeof *names, cmp_name);
    for (i = 0; i < nn && !rc; i++) {
        struct stat st;
        char relp[PATH_MAX], absp[PATH_MAX];
        int isdir;
        if (fstatat(dirfd(d), names[i], &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
        /* Symlinks are never followed (as git records them as links). */
        if (S_ISLNK(st.st_mode)) continue;
        isdir = S_ISDIR(st.st_mode);
        if (!isdir && !S_ISREG(st.st_mode)) continue;
        if ((size_t)snprintf(relp, sizeof relp, "%s%s%s", rel, *rel ? "/" : "", names[i]) >= sizeof relp)
            continue;
        if (tc_ignore_match(w->ig, relp, isdir)) continue;
        if (isdir) {
            int cfd;
            snprintf(absp, sizeof absp, "%s/%s", abs, names[i]);
            cfd = openat(dirfd(d), names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (cfd < 0) continue;
            rc = dir_push(w, relp, &st);
            if (!rc) rc = tc_ignore_push_dir(w->ig, relp, absp);
            if (rc == TC_EIO) rc = TC_OK;
            if (rc) {
                close(cfd);
                break;
            }
            rc = walk_dir(w, cfd, relp, absp);
            tc_ignore_pop(w->ig);
        } else {
            rc = walk_file(w, relp, &st);
        }
    }
out:
    for (i = 0; i < nn; i++) free(names[i]);
    free(names);
    closedir(d);
    return rc;
}

static int walk_root(walk_state *w)
{
    tc_index *ix = w->ix;
    char path[PATH_MAX];
    struct stat st;
    int fd, rc;
    w->ig = tc_ignore_new();
    if (!w->ig) return TC_ENOMEM;
    snprintf(path, sizeof path, "%s/.git/info/exclude", ix->root);
    if (tc_ignore_add_file(w->ig, "", path) == TC_ENOMEM) return TC_ENOMEM;
    fd = open(ix->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0) {
        if (fd >= 0) close(fd);
        tc_warn("cannot read workspace root %s: %s", ix->root, strerror(errno));
        return TC_EIO;
    }
    rc = dir_push(w, "", &st);
    if (!rc) rc = tc_ignore_push_dir(w->ig, "", ix->root);
    if (rc == TC_EIO) rc = TC_OK;
    if (rc) {
        close(fd);
        return rc;
    }
    rc = walk_dir(w, fd, "", ix->root);
    tc_ignore_pop(w->ig);
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
 * (O_PATH) and its files stat'ed relative to it: one path component to
 * resolve per file instead of the whole path. */
typedef struct stat_job {
    const tc_index *ix;
    size_t lo, hi;
    struct stat *st; /* per file; st_nlink == 0 marks "missing" */
} stat_job;

static void *stat_slice(void *arg)
{
    stat_job *j = arg;
    const tc_index *ix = j->ix;
    char dir[PATH_MAX];
    size_t dlen = (size_t)-1, i;
    int rootfd = open(ix->root, O_PATH | O_DIRECTORY | O_CLOEXEC), dfd = -1;
    for (i = j->lo; i < j->hi; i++) {
        const ix_file *f = &ix->files[i];
        const char *slash;
        size_t n;
        j->st[i].st_nlink = 0;
        if (f->info.removed || !f->on_disk) continue;
        slash = strrchr(f->path, '/');
        n = slash ? (size_t)(slash - f->path) : 0;
        if (n != dlen || memcmp(dir, f->path, n) != 0) {
            if (dfd >= 0 && dfd != rootfd) close(dfd);
            dlen = n < sizeof dir ? n : sizeof dir - 1;
            memcpy(dir, f->path, dlen);
            dir[dlen] = 0;
            dfd = n ? openat(rootfd, dir, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : rootfd;
        }
        if (dfd < 0 || fstatat(dfd, slash ? slash + 1 : f->path, &j->st[i], AT_SYMLINK_NOFOLLOW) != 0)
            j->st[i].st_nlink = 0;
    }
    if (dfd >= 0 && dfd != rootfd) close(dfd);
    if (rootfd >= 0) close(rootfd);
    return NULL;
}

/* The fast path: when every known directory's mtime is unchanged (no entry
 * added, removed or renamed) and no ignore file changed, stat only the
 * known files. Returns 1 if it applied (candidates in w), 0 if a full walk
 * is needed, or a negative status. */
static int fast_scan(walk_state *w)
{
    tc_index *ix = w->ix;
    char path[PATH_MAX];
    struct stat st, *sts;
    stat_job jobs[2];
    pthread_t tid;
    size_t i;
    int rc = 1, nj = ix->nfiles > 8192 && ix->opts.threads > 1 ? 2 : 1;
    if (!ix->ndirs) return 0;
    snprintf(path, sizeof path, "%s/.git/info/exclude", ix->root);
    if ((stat(path, &st) == 0 ? st_mtime_ns(&st) : 0) != ix->exclude_mtime_ns) return 0;
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
    /* the directories, meanwhile, on this thread */
    for (i = 0; i < ix->ndirs && rc == 1; i++) {
        snprintf(path, sizeof path, "%s%s%s", ix->root, ix->dirs[i].path[0] ? "/" : "", ix->dirs[i].path);
        if (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode) || st_mtime_ns(&st) != ix->dirs[i].mtime_ns) rc = 0;
    }
    if (nj == 2) pthread_join(tid, NULL);
    for (i = 0; i < ix->nfiles && rc == 1; i++) {
        ix_file *f = &ix->files[i];
        if (f->info.removed || !f->on_disk) continue;
        if (!sts[i].st_nlink || !S_ISREG(sts[i].st_mode)) {
            rc = 0; /* vanished or replaced: a full walk sorts it out */
            break;
        }
        f->seen = 1;
        w->st->files_seen++;
        if (f->info.size == (uint64_t)sts[i].st_size && f->info.mtime_ns == st_mtime_ns(&sts[i])) continue;
        if (is_ignore_file(f->path)) {
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
    char *buf;
    size_t bufcap;
    _Atomic uint64_t *bytes;
    _Atomic uint32_t *done;
} worker;

static int read_file(const char *path, uint64_t limit, char **buf, size_t *cap, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat st;
    size_t got = 0;
    if (fd < 0) return TC_EIO;
    if (fstat(fd, &st) != 0) {
        close(fd);
        return TC_EIO;
    }
    if ((uint64_t)st.st_size > limit) {
        close(fd);
        *len = (size_t)st.st_size;
        return TC_ETOOBIG;
    }
    if (*cap < (size_t)st.st_size + 1) {
        size_t ncap = (size_t)st.st_size + 1 + 65536;
        char *nb = realloc(*buf, ncap);
        if (!nb) {
            close(fd);
            return TC_ENOMEM;
        }
        *buf = nb;
        *cap = ncap;
    }
    for (;;) {
        ssize_t r = read(fd, *buf + got, *cap - 1 - got);
        if (r < 0) {
            if (errno == EINTR) continue;
            close(fd);
            return TC_EIO;
        }
        if (r == 0) break;
        got += (size_t)r;
        if (got == *cap - 1) break; /* grew while reading: keep the first st_size+64K */
    }
    close(fd);
    (*buf)[got] = 0;
    *len = got;
    return got > limit ? TC_ETOOBIG : TC_OK;
}

/* Read and hash an existing file's candidate; mark it unchanged when its
 * content hash is the indexed one. */
static void check_unchanged(worker *wk, cand *c)
{
    tc_index *ix = wk->ix;
    char path[PATH_MAX];
    size_t len = 0;
    const ix_file *f;
    if (c->fileno < 0) return;
    f = &ix->files[c->fileno];
    if (f->info.removed || !f->enc || f->info.skip || tc_privacy_path_is_secret(ix->priv, f->path)) return;
    snprintf(path, sizeof path, "%s/%s", ix->root, f->path);
    if (read_file(path, ix->opts.max_file_size, &wk->buf, &wk->bufcap, &len)) return;
    if (XXH3_64bits(wk->buf, len) == f->info.hash) {
        c->unchanged = 1;
        c->size = len;
    }
}

static void process_one(worker *wk, cand *c)
{
    tc_index *ix = wk->ix;
    char path[PATH_MAX];
    const char *rel = c->fileno >= 0 ? ix->files[c->fileno].path : c->path;
    size_t len = 0;
    int rc;
    if (c->unchanged) return; /* settled by check_unchanged */
    if (tc_privacy_path_is_secret(ix->priv, rel)) { c->skip = TC_SKIP_SECRET; return; } /* never read */
    snprintf(path, sizeof path, "%s/%s", ix->root, rel);
    rc = read_file(path, ix->opts.max_file_size, &wk->buf, &wk->bufcap, &len);
    if (rc == TC_ETOOBIG) {
        c->skip = TC_SKIP_TOOBIG;
        c->size = len;
        c->hash = 0;
        return;
    }
    if (rc) {
        c->skip = TC_SKIP_UNREADABLE;
        c->rc = rc == TC_ENOMEM ? rc : 0;
        return;
    }
    atomic_fetch_add(wk->bytes, len);
    c->size = len;
    c->hash = XXH3_64bits(wk->buf, len);
    c->lang = (uint8_t)tc_lang_detect(rel, wk->buf, len < 256 ? len : 256);
    if (c->fileno >= 0) {
        const ix_file *f = &ix->files[c->fileno];
        if (!f->info.removed && f->enc && f->info.hash == c->hash && !f->info.skip) {
            c->unchanged = 1;
            return;
        }
    }
    c->skip = (uint8_t)classify(ix, wk->buf, len);
    if (c->skip) return;
    wk->items.n = 0;
    rc = tc_tokens_from_source(wk->vocab, (tc_lang)c->lang, wk->buf, len, &wk->items, NULL, &wk->toks);
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

/* Intern a worker's new local vocabulary entries into the index's and
 * extend its remap table (serial: the index vocabulary has one writer). */
static int merge_vocab(tc_index *ix, worker *wk)
{
    uint32_t i, nlocal = tc_vocab_size(wk->vocab);
    uint32_t *r;
    int rc;
    if (wk->nremap >= nlocal) return TC_OK;
    r = realloc(wk->remap, nlocal * sizeof *r);
    if (!r) return TC_ENOMEM;
    wk->remap = r;
    for (i = wk->nremap; i < nlocal; i++) {
        size_t n;
        const char *s;
        if (i < TC_VOCAB_FIRST) {
            r[i] = i;
            continue;
        }
        s = tc_vocab_text(wk->vocab, i, &n);
        rc = tc_vocab_intern(ix->vocab, tc_vocab_kind(wk->vocab, i), s, n, &r[i]);
        if (rc) return rc;
    }
    wk->nremap = nlocal;
    return TC_OK;
}

/* Remap and encode the candidates of [lo, hi) lexed by worker wk (runs on
 * the workers in parallel once merge_vocab is done for all of them). */
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
    _Atomic uint32_t done = 0;
    if (!w->nc) return TC_OK;
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
        free(pre.buf);
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
        wk[t].done = &done;
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
                while (atomic_load(&done) < hi) {
                    progress_draw(ix, atomic_load(&done), w->nc, atomic_load(&bytes), t0, 0);
                    usleep(100000);
                }
            }
            for (t = 0; t < nthreads; t++) pthread_join(tid[t], NULL);
        }
        if (nthreads > 1) {
            for (t = 0; t < nthreads && !rc; t++) rc = merge_vocab(ix, &wk[t]);
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
        free(wk[t].buf);
    }
    free(wk);
    return rc;
}

/* ---- update ---------------------------------------------------------------------- */

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
    struct stat est;
    char path[PATH_MAX];

    memset(st, 0, sizeof *st);
    memset(&w, 0, sizeof w);
    w.ix = ix;
    w.st = st;
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
        snprintf(path, sizeof path, "%s/.git/info/exclude", ix->root);
        ix->exclude_mtime_ns = stat(path, &est) == 0 ? st_mtime_ns(&est) : 0;
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
 * (a file under an ignored folder is ignored)? */
static int path_ignored(tc_index *ix, const char *relpath)
{
    char dir[PATH_MAX], abs[2 * PATH_MAX + 2];
    tc_ignore *ig = tc_ignore_new();
    const char *p;
    int ignored = 0, levels = 0;
    if (!ig) return 1;
    snprintf(abs, sizeof abs, "%s/.git/info/exclude", ix->root);
    tc_ignore_add_file(ig, "", abs);
    tc_ignore_push_dir(ig, "", ix->root);
    levels++;
    for (p = strchr(relpath, '/'); p && !ignored; p = strchr(p + 1, '/')) {
        size_t n = (size_t)(p - relpath);
        if (n >= sizeof dir) break;
        memcpy(dir, relpath, n);
        dir[n] = 0;
        if (strcmp(dir + (strrchr(dir, '/') ? strrchr(dir, '/') - dir + 1 : 0), ".git") == 0 ||
            tc_ignore_match(ig, dir, 1)) {
            ignored = 1;
            break;
        }
        snprintf(abs, sizeof abs, "%s/%s", ix->root, dir);
        tc_ignore_push_dir(ig, dir, abs);
        levels++;
    }
    if (!ignored) ignored = tc_ignore_match(ig, relpath, 0);
    while (levels-- > 0) tc_ignore_pop(ig);
    tc_ignore_free(ig);
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
    for (i = 0; i < n && !rc; i++) {
        const char *rel = relpaths[i];
        char abs[PATH_MAX];
        struct stat sb;
        long f;
        if (!*rel || rel[0] == '/' || strstr(rel, "..")) continue;
        f = ix_find(ix, rel);
        if (f < 0 && ix->light) f = ix_light_find(ix, rel);
        snprintf(abs, sizeof abs, "%s/%s", ix->root, rel);
        if (lstat(abs, &sb) != 0 || !S_ISREG(sb.st_mode)) {
            if (f >= 0) mark_removed(ix, (size_t)f, st);
            continue;
        }
        st->files_seen++;
        if (f >= 0 && !ix->files[f].info.removed && ix->files[f].on_disk) {
            if (ix->files[f].info.size == (uint64_t)sb.st_size && ix->files[f].info.mtime_ns == st_mtime_ns(&sb))
                continue;
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
