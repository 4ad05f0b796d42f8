/* session.c - one cursor's whole journey; see session.h. */
#include "suggest/session.h"
#include "context/context.h"
#include "context/privacy.h"
#include "suggest/post_llm.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/status.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SLOW_MISSES 3                /* deadline misses in a row before a pause */
#define SLOW_PAUSE_FIRST_MS 10000.0
#define SLOW_PAUSE_MAX_MS 300000.0
#define POST_WINDOW 4000             /* bytes around the cursor kept for post-processing */
#define ACCEPTED_MAX (64u << 10)     /* bytes of accepted lines kept per language */
#define ACCEPTED_SLOTS 8
#define TARGET_MAX_BYTES (64u << 20) /* largest buffer `complete` reads */
#define BINARY_SNIFF 8192            /* bytes looked at for a NUL */

/* The suggestion last shown, to serve typed-through keystrokes. */
typedef struct sugg_cache {
    int valid;
    char *key;
    size_t line_start; /* byte offset of the cursor's line */
    tc_buf prefix;     /* the line before the cursor, when computed */
    tc_buf suffix;     /* the line after the cursor */
    tc_buf text;       /* the suggestion */
} sugg_cache;

/* Lines the user accepted, per file extension, laid over the index as an
 * in-memory file so that the model counts them (nothing is written). */
typedef struct accepted {
    char ext[16];
    tc_buf lines;
    int dirty;
} accepted;

/* The request in flight. */
typedef struct pending {
    tc_req *req;
    uint64_t ticket;
    double t0, deadline;     /* ms, CLOCK_MONOTONIC */
    char *before, *after;    /* windows around the cursor (post-processing) */
    size_t nb, na;
    int single_line;
    sugg_cache cand;         /* what the cache holds if the answer replaces */
    /* waiting for the probe (LSP) before the request can start:
     * the cursor, copied */
    int waiting;
    char *wkey, *wrel, *wbuf;
    size_t wlen, woff;
} pending;

struct tc_session {
    tc_session_opts opts;
    char *root;
    tc_config cfg;
    int deadline_ms;
    double threshold;
    tc_engine *engine;
    /* the server, when one is selected */
    const tc_backend_cfg *bc;
    tc_client *cl;
    tc_backend *b;
    tc_privacy *priv;
    tc_ctx *ctx;
    char probe_err[512];
    int setup_failed;        /* backend_up failed (warned once) */
    int slow;                /* deadline misses in a row */
    double slow_until, slow_pause;
    pending p;
    uint64_t ticket;
    sugg_cache cache;
    accepted acc[ACCEPTED_SLOTS];
    size_t nacc;
    tc_session_stats st;
};

/* Deadlines are absolute values of the backend's clock (backend.h). */
static double now_ms(void) { return tc_backend_clock_ms(); }

/* ---- the cursor from the command line ----------------------------------------- */

void tc_session_target_free(tc_session_target *t)
{
    if (!t) return;
    free(t->text);
    t->text = NULL;
}

/* Read a whole regular file (or standard input) without ever blocking on a
 * FIFO or device: O_NONBLOCK, then fstat, then read. */
static int read_whole(const char *path, int is_stdin, tc_buf *out, char *err, size_t errlen)
{
    struct stat st;
    int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY), rc = TC_OK;
    char tmp[65536];
    if (fd < 0) {
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return errno == ENOENT ? TC_ENOENT : TC_EIO;
    }
    if (!is_stdin) {
        if (fstat(fd, &st) != 0) {
            snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
            rc = TC_EIO;
            goto out;
        }
        if (S_ISDIR(st.st_mode)) {
            snprintf(err, errlen, "%s is a directory; give a file: PATH:LINE:COL", path);
            rc = TC_EIO;
            goto out;
        }
        if (!S_ISREG(st.st_mode)) {
            snprintf(err, errlen, "%s is not a regular file (a FIFO, socket or device); give --buffer FILE or "
                     "--buffer - to read the text from elsewhere", path);
            rc = TC_EIO;
            goto out;
        }
        if ((unsigned long long)st.st_size > TARGET_MAX_BYTES) {
            snprintf(err, errlen, "%s is larger than %u MiB; not completed", path, TARGET_MAX_BYTES >> 20);
            rc = TC_ETOOBIG;
            goto out;
        }
        /* a regular file: reads do not block; clear O_NONBLOCK anyway */
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    }
    for (;;) {
        ssize_t k = read(fd, tmp, sizeof tmp);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) {
            snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
            rc = TC_EIO;
            goto out;
        }
        if (k == 0) break;
        if (out->len + (size_t)k > TARGET_MAX_BYTES) {
            snprintf(err, errlen, "%s is larger than %u MiB; not completed", path, TARGET_MAX_BYTES >> 20);
            rc = TC_ETOOBIG;
            goto out;
        }
        if (tc_buf_append(out, tmp, (size_t)k)) {
            rc = TC_ENOMEM;
            snprintf(err, errlen, "out of memory reading %s", path);
            goto out;
        }
    }
    if (tc_buf_puts(out, "")) rc = TC_ENOMEM;
out:
    if (!is_stdin) close(fd);
    return rc;
}

/* The nearest folder above file_abs holding .git, else the current one. */
static int find_root(const char *file_abs, char *root, size_t n)
{
    char dir[PATH_MAX], probe[PATH_MAX + 8], *slash;
    snprintf(dir, sizeof dir, "%s", file_abs);
    while ((slash = strrchr(dir, '/')) != NULL) {
        *slash = 0;
        snprintf(probe, sizeof probe, "%s/.git", *dir ? dir : "/");
        if (access(probe, F_OK) == 0) {
            snprintf(root, n, "%s", *dir ? dir : "/");
            return TC_OK;
        }
        if (!*dir) break;
    }
    return getcwd(root, n) ? TC_OK : TC_EIO;
}

/* Absolute path of path, which may not exist (an unsaved file): its folder
 * must. */
static int abs_path(const char *path, char *out)
{
    char tmp[PATH_MAX], dir[PATH_MAX], *slash;
    const char *name;
    if (realpath(path, out)) return TC_OK;
    if (snprintf(tmp, sizeof tmp, "%s", path) >= (int)sizeof tmp) return TC_EINVAL;
    slash = strrchr(tmp, '/');
    if (slash) {
        *slash = 0;
        if (!realpath(*tmp ? tmp : "/", dir)) return TC_ENOENT;
        name = slash + 1;
    } else {
        if (!getcwd(dir, sizeof dir)) return TC_EIO;
        name = tmp;
    }
    if (snprintf(out, PATH_MAX, "%s/%s", strcmp(dir, "/") ? dir : "", name) >= PATH_MAX) return TC_EINVAL;
    return TC_OK;
}

/* "PATH:LINE:COL" -> path (in place), line, col. TC_OK / TC_EINVAL. */
static int parse_spec(char *spec, long *line, long *col)
{
    char *p, *end;
    if (!(p = strrchr(spec, ':'))) return TC_EINVAL;
    errno = 0;
    *col = strtol(p + 1, &end, 10);
    if (p[1] == 0 || *end || errno || *col < 1) return TC_EINVAL;
    *p = 0;
    if (!(p = strrchr(spec, ':'))) return TC_EINVAL;
    *line = strtol(p + 1, &end, 10);
    if (p[1] == 0 || *end || errno || *line < 1) return TC_EINVAL;
    *p = 0;
    return *spec ? TC_OK : TC_EINVAL;
}

int tc_session_target_load(const char *spec, const char *buffer, const char *root, tc_session_target *t,
                           char *err, size_t errlen)
{
    char *path = NULL, file_abs[PATH_MAX];
    tc_buf text = {0};
    int rc;
    long ln = 1, col;
    size_t off = 0, i;
    memset(t, 0, sizeof *t);
    err[0] = 0;
    if (!spec || !(path = strdup(spec))) {
        rc = spec ? TC_ENOMEM : TC_EINVAL;
        snprintf(err, errlen, "expected PATH:LINE:COL (1-based)");
        goto out;
    }
    if (parse_spec(path, &t->line, &t->col)) {
        snprintf(err, errlen, "expected PATH:LINE:COL (LINE and COL whole numbers from 1), got '%s'", spec);
        rc = TC_EINVAL;
        goto out;
    }
    /* A relative PATH that is not there from here is taken relative to
     * --root (so "tacit complete src/a.c:3:1 --root repo" works anywhere). */
    if (root && path[0] != '/' && access(path, F_OK) != 0) {
        tc_buf b = {0};
        if (tc_buf_printf(&b, "%s/%s", root, path)) {
            rc = TC_ENOMEM;
            goto out;
        }
        free(path);
        path = b.data;
    }
    if (buffer) rc = read_whole(buffer, !strcmp(buffer, "-"), &text, err, errlen);
    else {
        rc = read_whole(path, 0, &text, err, errlen);
        if (rc == TC_ENOENT) snprintf(err, errlen, "cannot read %s (give --buffer for an unsaved file)", path);
    }
    if (rc) goto out;
    if (memchr(text.data, 0, text.len < BINARY_SNIFF ? text.len : BINARY_SNIFF)) {
        snprintf(err, errlen, "%s is a binary file (it holds NUL bytes); tacit completes text", buffer ? buffer : path);
        rc = TC_ETOOBIG;
        goto out;
    }
    /* LINE:COL to a byte offset; LINE may be the line after the last line
     * break (an empty last line), COL at most one past the line's end. */
    for (i = 0; i < text.len && ln < t->line; i++)
        if (text.data[i] == '\n') ln++;
    if (ln < t->line) {
        long nlines = ln - (text.len && text.data[text.len - 1] == '\n' ? 1 : 0);
        snprintf(err, errlen, "line %ld is past the end of %s (%ld lines)", t->line, buffer ? buffer : path,
                 nlines);
        rc = TC_EINVAL;
        goto out;
    }
    off = i;
    for (col = 1; col < t->col; col++) {
        if (off >= text.len || text.data[off] == '\n') {
            snprintf(err, errlen, "column %ld is past the end of line %ld of %s (%ld bytes)", t->col, t->line,
                     buffer ? buffer : path, col - 1);
            rc = TC_EINVAL;
            goto out;
        }
        off++;
    }
    if ((rc = abs_path(path, file_abs)) || (root ? !realpath(root, t->root) : find_root(file_abs, t->root, sizeof t->root))) {
        snprintf(err, errlen, "cannot resolve %s or its workspace root%s%s", path, root ? " " : "", root ? root : "");
        rc = TC_ENOENT;
        goto out;
    }
    {
        size_t rl = strlen(t->root);
        if (!strcmp(t->root, "/")) snprintf(t->rel, sizeof t->rel, "%s", file_abs + 1);
        else if (!strncmp(file_abs, t->root, rl) && file_abs[rl] == '/') snprintf(t->rel, sizeof t->rel, "%s", file_abs + rl + 1);
        else snprintf(t->rel, sizeof t->rel, "%s", strrchr(file_abs, '/') + 1);
    }
    t->text = text.data;
    t->len = text.len;
    t->off = off;
    text.data = NULL;
    rc = TC_OK;
out:
    tc_buf_free(&text);
    free(path);
    return rc;
}

/* ---- the session ----------------------------------------------------------------- */

static void cache_clear(sugg_cache *c)
{
    free(c->key);
    c->key = NULL;
    c->valid = 0;
}

static void cache_free(sugg_cache *c)
{
    cache_clear(c);
    tc_buf_free(&c->prefix);
    tc_buf_free(&c->suffix);
    tc_buf_free(&c->text);
}

static size_t line_start(const char *t, size_t off)
{
    while (off > 0 && t[off - 1] != '\n') off--;
    return off;
}

static size_t line_end(const char *t, size_t len, size_t off)
{
    const char *e = memchr(t + off, '\n', len - off);
    return e ? (size_t)(e - t) : len;
}

/* Remember text as the suggestion at c (the line around the cursor). */
static int cache_set(sugg_cache *c, const tc_session_cursor *cur, const char *text)
{
    const char *key = cur->key ? cur->key : cur->relpath, *t = cur->buf;
    size_t ls = line_start(t, cur->off), le = line_end(t, cur->len, cur->off);
    cache_clear(c);
    c->prefix.len = c->suffix.len = c->text.len = 0;
    if (!(c->key = strdup(key)) || tc_buf_append(&c->prefix, t + ls, cur->off - ls) ||
        tc_buf_append(&c->suffix, t + cur->off, le - cur->off) || tc_buf_puts(&c->prefix, "") ||
        tc_buf_puts(&c->suffix, "") || tc_buf_puts(&c->text, text)) {
        cache_clear(c);
        return TC_ENOMEM;
    }
    c->valid = 1;
    c->line_start = ls;
    return TC_OK;
}

/* The rest of the cached suggestion if the user has typed (part of) it
 * since it was computed on the cursor's line, or NULL. Borrowed. */
static const char *cache_lookup(const sugg_cache *c, const tc_session_cursor *cur)
{
    const char *key = cur->key ? cur->key : cur->relpath, *t = cur->buf;
    size_t ls = line_start(t, cur->off), le = line_end(t, cur->len, cur->off), typed, off = cur->off;
    if (!c->valid || strcmp(c->key, key) != 0 || c->line_start != ls || off - ls < c->prefix.len ||
        memcmp(t + ls, c->prefix.data, c->prefix.len) != 0 || le - off != c->suffix.len ||
        memcmp(t + off, c->suffix.data, c->suffix.len) != 0)
        return NULL;
    typed = off - ls - c->prefix.len;
    if (typed >= c->text.len || memcmp(t + ls + c->prefix.len, c->text.data, typed) != 0) return NULL;
    return c->text.data + typed;
}

static void pending_clear(pending *p)
{
    tc_req_free(p->req); /* aborts a transfer still running */
    p->req = NULL;
    free(p->before);
    free(p->after);
    p->before = p->after = NULL;
    cache_free(&p->cand);
    free(p->wkey);
    free(p->wrel);
    free(p->wbuf);
    p->wkey = p->wrel = p->wbuf = NULL;
    p->waiting = 0;
}

int tc_session_open(const tc_session_opts *opts, tc_session **out, char *err, size_t errlen)
{
    tc_session *s = calloc(1, sizeof *s);
    const tc_backend_cfg *bc;
    int rc = TC_ENOMEM;
    char num[32];
    *out = NULL;
    err[0] = 0;
    if (!s) return TC_ENOMEM;
    s->opts = *opts;
    s->opts.init_options = NULL;
    s->opts.config_file = NULL;
    s->opts.backend = NULL;
    if (opts->root && !(s->root = strdup(opts->root))) goto fail;
    s->opts.root = s->root;
    s->threshold = opts->threshold >= 0 ? opts->threshold : TC_SUGGEST_DEFAULT_THRESHOLD;
    /* defaults < file < environment < initializationOptions < flags */
    tc_config_init(&s->cfg);
    rc = TC_EINVAL;
    if (!opts->settings_off && tc_config_load(&s->cfg, opts->config_file, err, errlen)) goto fail;
    if (opts->init_options && tc_config_load_json(&s->cfg, opts->init_options, err, errlen)) goto fail;
    if (opts->backend && tc_config_set(&s->cfg, "general", "backend", opts->backend, "command line", err, errlen))
        goto fail;
    if (opts->deadline_ms >= 0) {
        snprintf(num, sizeof num, "%d", opts->deadline_ms);
        if (tc_config_set(&s->cfg, "general", "deadline_ms", num, "command line", err, errlen)) goto fail;
    }
    s->deadline_ms = s->cfg.deadline_ms;
    bc = tc_config_backend(&s->cfg, NULL);
    if (!bc) {
        if (s->cfg.backend && strcasecmp(s->cfg.backend, "none") && strcasecmp(s->cfg.backend, "embedded") &&
            !opts->no_backend_ok) {
            snprintf(err, errlen,
                     "no backend named '%s' (define [backend.%s] in the settings file, or use a type name: llama, "
                     "openai, mistral, ollama; 'none' is the embedded model alone)",
                     s->cfg.backend, s->cfg.backend);
            goto fail;
        }
    } else if (bc->type == TC_BACKEND_NONE) {
        if (!opts->no_backend_ok) {
            snprintf(err, errlen, "backend '%s' has no type (set backend.%s.type = llama, openai, mistral or ollama)",
                     bc->name, bc->name);
            goto fail;
        }
    } else {
        s->bc = bc; /* set up at first use (backend_up) */
    }
    *out = s;
    return TC_OK;
fail:
    tc_session_free(s);
    return rc;
}

void tc_session_free(tc_session *s)
{
    size_t i;
    if (!s) return;
    pending_clear(&s->p);
    cache_free(&s->cache);
    for (i = 0; i < s->nacc; i++) tc_buf_free(&s->acc[i].lines);
    tc_ctx_free(s->ctx);
    tc_privacy_free(s->priv);
    tc_backend_free(s->b);
    tc_client_free(s->cl);
    tc_engine_free(s->engine);
    tc_config_free(&s->cfg);
    free(s->root);
    free(s);
}

static void accepted_flush(tc_session *s, accepted *a)
{
    char path[64];
    if (!s->engine || !a->lines.len) return;
    snprintf(path, sizeof path, ".tacit/accepted%s", a->ext);
    tc_index_set_buffer(tc_engine_index(s->engine), path, a->lines.data, a->lines.len, NULL);
    a->dirty = 0;
}

void tc_session_set_engine(tc_session *s, tc_engine *e)
{
    size_t i;
    if (s->engine == e) return;
    tc_session_cancel(s);
    tc_engine_free(s->engine);
    s->engine = e;
    cache_clear(&s->cache);
    for (i = 0; i < s->nacc; i++) accepted_flush(s, &s->acc[i]);
}

int tc_session_open_engine(tc_session *s, const tc_engine_opts *eo)
{
    tc_engine *e = NULL;
    tc_engine_opts o = *eo;
    int rc;
    o.threshold = 0; /* the session gates */
    if (!o.index.root) o.index.root = s->root;
    if (!o.index.secret_files) o.index.secret_files = s->cfg.secret_files;
    if ((rc = tc_engine_open(&o, &e))) return rc;
    tc_session_set_engine(s, e);
    return TC_OK;
}

tc_engine *tc_session_engine(tc_session *s) { return s->engine; }
const tc_config *tc_session_config(const tc_session *s) { return &s->cfg; }
/* The backend's objects, made at first use: their setup (libcurl is loaded
 * then) counts against the first request's deadline, and a session that
 * never asks the server never pays for it. 0, or -1 (warned once). */
static int backend_up(tc_session *s)
{
    if (s->b) return 0;
    if (!s->bc || s->setup_failed) return -1;
    if (tc_client_new(&s->cl) || tc_backend_open(s->cl, s->bc, &s->b) || tc_privacy_new(&s->priv) ||
        (s->cfg.secret_files && tc_privacy_add(s->priv, s->cfg.secret_files))) {
        tc_warn("cannot set up backend '%s'; the embedded model answers alone", s->bc->name);
        tc_backend_free(s->b);
        s->b = NULL;
        s->setup_failed = 1;
        return -1;
    }
    return 0;
}

tc_backend *tc_session_backend(tc_session *s) { return backend_up(s) ? NULL : s->b; }
int tc_session_has_backend(const tc_session *s) { return s->bc != NULL; }
double tc_session_threshold(const tc_session *s) { return s->threshold; }
int tc_session_deadline_ms(const tc_session *s) { return s->deadline_ms; }
uint64_t tc_session_ticket(const tc_session *s) { return s->ticket; }
int tc_session_pending(const tc_session *s) { return s->p.req != NULL || s->p.waiting; }
void tc_session_cache_clear(tc_session *s) { cache_clear(&s->cache); }

void tc_session_set_threshold(tc_session *s, double threshold)
{
    if (threshold != s->threshold) cache_clear(&s->cache);
    s->threshold = threshold;
}

void tc_session_stats_get(const tc_session *s, tc_session_stats *st)
{
    *st = s->st;
    st->server_ready = s->b && tc_backend_probe_state(s->b) != TC_PROBE_NONE &&
                       tc_backend_probe_state(s->b) != TC_PROBE_RUNNING;
}

/* ---- the server ------------------------------------------------------------------ */

/* The context builder once the probe has said what the server keeps. */
static int ctx_ready(tc_session *s)
{
    tc_ctx_opts co;
    if (s->ctx) return TC_OK;
    co = s->cfg.ctx;
    co.naive = s->opts.naive;
    tc_backend_ctx_limits(s->b, &co);
    return tc_ctx_new(&co, s->priv, &s->ctx);
}

/* Start the probe if it has not run: blocking until deadline (CLI), or on
 * the client's multi handle, moved by tc_session_perform (LSP). Returns
 * 1 once it has ended (answered or not). */
static int probe_over(tc_session *s, double deadline)
{
    tc_probe_state st;
    if (backend_up(s)) return 1;
    st = tc_backend_probe_state(s->b);
    if (st == TC_PROBE_NONE) {
        if (!s->opts.probe_async) {
            double left = deadline - now_ms(); /* after backend_up: its setup counts */
            int timeout = left > 1 ? (int)left : 1;
            (void)tc_backend_probe(s->b, timeout, s->probe_err, sizeof s->probe_err);
            return 1;
        }
        if (tc_backend_probe_start(s->b, now_ms() + (s->bc->first_byte_ms > 0 ? s->bc->first_byte_ms : 1500)) != TC_OK)
            return 1;
        st = tc_backend_probe_state(s->b);
    }
    if (st == TC_PROBE_RUNNING) return 0;
    if (!s->probe_err[0]) snprintf(s->probe_err, sizeof s->probe_err, "%s", tc_backend_probe_error(s->b));
    return 1;
}

void tc_session_start_probe(tc_session *s)
{
    if (s->bc && s->opts.probe_async) probe_over(s, now_ms() + s->deadline_ms);
}

/* 1 when the server may be asked now (the probe has ended). */
static int server_ready(tc_session *s, double deadline)
{
    if (!s->bc || !probe_over(s, deadline) || !s->b) return 0;
    if (ctx_ready(s)) return 0;
    return !tc_backend_in_backoff(s->b) && now_ms() >= s->slow_until;
}

static char *dup_window(const char *p, size_t n, size_t *out_n)
{
    char *d = malloc(n + 1);
    if (!d) return NULL;
    memcpy(d, p, n);
    d[n] = 0;
    *out_n = n;
    return d;
}

/* Start the request for c; p->req set on success. */
static void server_start(tc_session *s, const tc_session_cursor *c, double t0)
{
    pending *p = &s->p;
    tc_ctx_sources src = {0};
    tc_fim_input in;
    tc_ctx_info info;
    const char *repo = s->root ? strrchr(s->root, '/') : NULL;
    size_t from = c->off > POST_WINDOW ? c->off - POST_WINDOW : 0;
    size_t na = c->len - c->off < POST_WINDOW ? c->len - c->off : POST_WINDOW;
    memset(&in, 0, sizeof in);
    memset(&info, 0, sizeof info);
    if (s->engine) {
        src.ix = tc_engine_index(s->engine);
        src.ret = tc_engine_retriever(s->engine);
    }
    if (tc_ctx_build(s->ctx, &src, tc_backend_tokcount(s->b), repo && repo[1] ? repo + 1 : "project", c->relpath,
                     c->buf, c->len, c->off, &in, &info) != TC_OK ||
        info.secret_file)
        return; /* a private file: nothing is sent */
    if (now_ms() - t0 >= s->deadline_ms) {
        s->st.server_late++;
        return;
    }
    if (!(p->before = dup_window(c->buf + from, c->off - from, &p->nb)) ||
        !(p->after = dup_window(c->buf + c->off, na, &p->na)))
        goto fail;
    p->single_line = in.single_line;
    if (tc_backend_request_start_by(s->b, &in, t0 + s->deadline_ms, &p->req) != TC_OK) goto fail;
    p->ticket = s->ticket;
    p->t0 = t0;
    p->deadline = t0 + s->deadline_ms;
    s->st.server_requests++;
    return;
fail:
    pending_clear(p);
}

/* Start the server's request for c (deadline from t0). */
static void request_start(tc_session *s, const tc_session_cursor *c, double t0)
{
    server_start(s, c, t0);
    if (s->p.req) {
        const char *key = c->key ? c->key : c->relpath;
        /* the cache entry the server's answer would become */
        size_t ls = line_start(c->buf, c->off), le = line_end(c->buf, c->len, c->off);
        sugg_cache *k = &s->p.cand;
        if ((k->key = strdup(key)) && !tc_buf_append(&k->prefix, c->buf + ls, c->off - ls) &&
            !tc_buf_append(&k->suffix, c->buf + c->off, le - c->off) && !tc_buf_puts(&k->prefix, "") &&
            !tc_buf_puts(&k->suffix, ""))
            k->line_start = ls;
        else cache_clear(k);
    }
}

int tc_session_suggest_n(tc_session *s, const tc_session_cursor *c, tc_suggestion *out, size_t k, size_t *nout,
                         int *pending_out)
{
    double t0 = now_ms();
    const char *hit;
    size_t i, n = 1;
    int rc;
    if (!k) return TC_EINVAL;
    memset(out, 0, k * sizeof *out);
    if (nout) *nout = 0;
    if (pending_out) *pending_out = 0;
    if (c->off > c->len) return TC_EINVAL;
    tc_session_cancel(s);
    s->ticket++;
    if ((hit = cache_lookup(&s->cache, c)) != NULL) {
        s->st.cache_hits++;
        out->text = strdup(hit);
        out->confidence = 1;
        out->source = "cache";
        out->latency_ms = now_ms() - t0;
        if (nout) *nout = 1;
        return out->text ? TC_OK : TC_ENOMEM;
    }
    if (!s->engine) {
        out->text = strdup("");
        out->source = "none";
    } else {
        if ((rc = tc_engine_suggest_n(s->engine, c->relpath, c->buf, c->len, c->off, out, k, &n))) {
            for (i = 0; i < k; i++) tc_suggestion_free(&out[i]);
            return rc;
        }
        s->st.computed++;
        out->source = "embedded";
    }
    if (!out->text) {
        for (i = 1; i < k; i++) tc_suggestion_free(&out[i]);
        return TC_ENOMEM;
    }
    /* the alternatives: distinct non-empty texts after the winner, only
     * when the winner is shown */
    {
        size_t w = 1, j;
        int keep;
        for (i = 1; i < n; i++) {
            keep = out->confidence >= s->threshold && *out->text && *out[i].text;
            for (j = 0; j < w && keep; j++) keep = strcmp(out[j].text, out[i].text) != 0;
            if (!keep) {
                tc_suggestion_free(&out[i]);
                continue;
            }
            if (w != i) {
                out[w] = out[i];
                memset(&out[i], 0, sizeof out[i]);
            }
            out[w++].source = "embedded";
        }
        n = w;
    }
    if (nout) *nout = n;
    /* the gate */
    if (out->confidence < s->threshold || !*out->text) {
        out->text[0] = 0;
        out->source = "none";
        out->replace_suffix = 0;
    } else if (!out->replace_suffix && cache_set(&s->cache, c, out->text)) {
        /* (a suggestion that replaces closers right of the cursor is not
         * served typed-through: the cache keeps text only) */
        for (i = 0; i < k; i++) tc_suggestion_free(&out[i]);
        if (nout) *nout = 0;
        return TC_ENOMEM;
    }
    if (server_ready(s, t0 + s->deadline_ms)) {
        request_start(s, c, t0);
    } else if (s->b && tc_backend_probe_state(s->b) == TC_PROBE_RUNNING && now_ms() >= s->slow_until) {
        /* the probe is on its way: the request starts when it ends, if
         * the deadline allows (tc_session_perform) */
        pending *p = &s->p;
        const char *key = c->key ? c->key : c->relpath;
        if ((p->wkey = strdup(key)) && (p->wrel = strdup(c->relpath)) && (p->wbuf = malloc(c->len + 1))) {
            memcpy(p->wbuf, c->buf, c->len);
            p->wbuf[c->len] = 0;
            p->wlen = c->len;
            p->woff = c->off;
            p->waiting = 1;
            p->ticket = s->ticket;
            p->t0 = t0;
            p->deadline = t0 + s->deadline_ms;
        } else {
            pending_clear(p);
        }
    }
    if (pending_out) *pending_out = s->p.req || s->p.waiting;
    out->latency_ms = now_ms() - t0;
    return TC_OK;
}

int tc_session_suggest(tc_session *s, const tc_session_cursor *c, tc_suggestion *out, int *pending_out)
{
    return tc_session_suggest_n(s, c, out, 1, NULL, pending_out);
}

int tc_session_cached(const tc_session *s, const tc_session_cursor *c)
{
    return c->off <= c->len && cache_lookup(&s->cache, c) != NULL;
}

void tc_session_cancel(tc_session *s)
{
    if (s->p.req || s->p.waiting) pending_clear(&s->p);
}

size_t tc_session_pollfds(tc_session *s, struct pollfd *fds, size_t max, int *timeout_ms)
{
    size_t n;
    int t;
    double left;
    *timeout_ms = -1;
    if (!s->cl) return 0;
    n = tc_client_pollfds(s->cl, fds, max, &t); /* the probe, warm-ups, the request */
    if (!s->p.req && !s->p.waiting) {
        *timeout_ms = t;
        return n;
    }
    left = s->p.deadline - now_ms();
    if (left < 0) left = 0;
    if (t < 0 || t > left) t = (int)left + 1;
    *timeout_ms = t;
    return n;
}

/* The pause policy after a settled request. */
static void note_outcome(tc_session *s, int why)
{
    if (why == TC_ECANCEL) {
        s->st.server_late++;
        if (++s->slow >= SLOW_MISSES) {
            if (s->slow_pause == 0) {
                s->slow_pause = SLOW_PAUSE_FIRST_MS;
                tc_warn("server '%s' answers later than the deadline (%d ms); the embedded model answers, and the "
                        "server is tried again from time to time",
                        s->bc->name, s->deadline_ms);
            }
            s->slow_until = now_ms() + s->slow_pause;
            if (s->slow_pause < SLOW_PAUSE_MAX_MS) s->slow_pause *= 2;
            s->slow = 0;
        }
    } else if (why == TC_OK) {
        s->slow = 0;
        s->slow_pause = 0;
    } else {
        s->st.server_failed++;
    }
}

int tc_session_perform(tc_session *s, tc_session_update *u)
{
    pending *p = &s->p;
    tc_req_state st;
    memset(u, 0, sizeof *u);
    if (!p->req && !p->waiting) {
        if (s->cl && tc_client_running(s->cl)) tc_client_perform(s->cl);
        return 0;
    }
    if (p->waiting) {
        tc_session_cursor c;
        double t0 = p->t0;
        uint64_t ticket = p->ticket;
        if (now_ms() >= p->deadline) {
            /* the probe took the whole deadline: the embedded answer stands */
            u->ticket = p->ticket;
            u->ms = now_ms() - p->t0;
            u->why = TC_ECANCEL;
            pending_clear(p);
            return 1;
        }
        tc_client_perform(s->cl); /* the probe's transfers */
        if (tc_backend_probe_state(s->b) == TC_PROBE_RUNNING) return 0;
        c.key = p->wkey;
        c.relpath = p->wrel;
        c.buf = p->wbuf;
        c.len = p->wlen;
        c.off = p->woff;
        p->waiting = 0;
        if (server_ready(s, p->deadline)) request_start(s, &c, t0);
        free(p->wkey);
        free(p->wrel);
        free(p->wbuf);
        p->wkey = p->wrel = p->wbuf = NULL;
        if (!p->req) {
            /* not asked after all (backoff, a private file, no memory) */
            u->ticket = ticket;
            u->ms = now_ms() - t0;
            u->why = TC_EIO;
            pending_clear(p);
            return 1;
        }
    }
    if (!p->req) return 0;
    tc_client_perform(s->cl);
    st = tc_req_state_of(p->req);
    if (st == TC_REQ_RUNNING && now_ms() < p->deadline) return 0;
    if (st == TC_REQ_ABANDONED) st = TC_REQ_RUNNING; /* the backend saw the deadline first */
    u->ticket = p->ticket;
    u->ms = now_ms() - p->t0;
    if (st == TC_REQ_DONE) {
        size_t n;
        const char *raw = tc_req_text(p->req, &n);
        tc_post_opts po = {0};
        char *t = malloc(n + 1);
        u->why = TC_OK;
        if (t) {
            memcpy(t, raw, n);
            t[n] = 0;
            po.single_line = p->single_line;
            n = tc_post_completion(p->before, p->nb, p->after, p->na, &po, t, n);
            t[n] = 0;
            if (n) {
                u->replaced = 1;
                u->text = t;
                s->st.server_answers++;
                if (p->cand.key && !tc_buf_puts(&p->cand.text, t)) {
                    /* typed-through keystrokes now serve the server's text */
                    cache_free(&s->cache);
                    s->cache = p->cand;
                    s->cache.valid = 1;
                    memset(&p->cand, 0, sizeof p->cand);
                }
            } else {
                free(t);
            }
        }
    } else if (st == TC_REQ_RUNNING) {
        u->why = TC_ECANCEL; /* past the deadline: abandoned, not a server failure */
    } else {
        u->why = TC_EIO;
    }
    note_outcome(s, u->why);
    pending_clear(p);
    return 1;
}

int tc_session_wait(tc_session *s, tc_suggestion *io)
{
    tc_session_update u;
    while (tc_session_pending(s)) {
        struct pollfd fds[32];
        int t;
        size_t n = tc_session_pollfds(s, fds, 32, &t);
        if (t > 0) poll(fds, (nfds_t)n, t);
        if (tc_session_perform(s, &u)) {
            if (u.replaced) {
                free(io->text);
                io->text = u.text;
                io->source = "server";
                io->confidence = 1;
            }
            io->latency_ms = u.ms;
            return u.why;
        }
    }
    return TC_OK;
}

int tc_session_prepare(tc_session *s, const tc_session_cursor *c, tc_fim_input *in, tc_ctx_info *info,
                       char *probe_err, size_t errlen)
{
    tc_ctx_sources src = {0};
    const char *repo = s->root ? strrchr(s->root, '/') : NULL;
    double deadline = now_ms() + s->deadline_ms;
    int rc;
    if (probe_err) probe_err[0] = 0;
    if (backend_up(s)) return TC_EINVAL;
    /* one deadline: the probe, then the token counts */
    if (tc_backend_probe_state(s->b) == TC_PROBE_NONE &&
        tc_backend_probe(s->b, s->deadline_ms > 1 ? s->deadline_ms : 1, s->probe_err, sizeof s->probe_err) == TC_OK)
        s->probe_err[0] = 0;
    if (probe_err) snprintf(probe_err, errlen, "%s", s->probe_err);
    if ((rc = ctx_ready(s))) return rc;
    if (s->engine) {
        src.ix = tc_engine_index(s->engine);
        src.ret = tc_engine_retriever(s->engine);
    }
    memset(in, 0, sizeof *in);
    memset(info, 0, sizeof *info);
    rc = tc_ctx_build(s->ctx, &src, tc_backend_tokcount(s->b), repo && repo[1] ? repo + 1 : "project", c->relpath,
                      c->buf, c->len, c->off, in, info);
    if (rc || info->exact || info->secret_file) return rc;
    /* counts were estimated: ask the tokenizer (one batch) within what is
     * left of the deadline, and count again from its answers */
    if (tc_backend_tokens_wait(s->b, deadline) == TC_OK) {
        tc_ctx_reset(s->ctx); /* sticky chunks keep their first (estimated) counts */
        memset(in, 0, sizeof *in);
        memset(info, 0, sizeof *info);
        rc = tc_ctx_build(s->ctx, &src, tc_backend_tokcount(s->b), repo && repo[1] ? repo + 1 : "project", c->relpath,
                          c->buf, c->len, c->off, in, info);
    }
    return rc;
}

/* ---- acceptance ------------------------------------------------------------------- */

static const char *path_ext(const char *relpath)
{
    const char *base = strrchr(relpath, '/'), *dot = strrchr(base ? base : relpath, '.');
    return dot && strlen(dot) < sizeof(((accepted *)0)->ext) ? dot : "";
}

void tc_session_accept(tc_session *s, const char *key, const char *relpath, const char *text, const char *part)
{
    accepted *slot = NULL;
    const char *ext;
    size_t i, tl;
    s->st.accepted++;
    if (!part) part = text;
    if (!relpath || !part || !*part) return;
    if (!key) key = relpath;
    ext = path_ext(relpath);
    for (i = 0; i < s->nacc && !slot; i++)
        if (strcmp(s->acc[i].ext, ext) == 0) slot = &s->acc[i];
    if (!slot) {
        if (s->nacc == ACCEPTED_SLOTS) return;
        slot = &s->acc[s->nacc++];
        snprintf(slot->ext, sizeof slot->ext, "%s", ext);
    }
    /* the line as it reads with the suggestion: the cursor's line prefix
     * when the suggestion is the one the cache holds */
    tl = text ? strlen(text) : 0;
    if (text && s->cache.valid && strcmp(s->cache.key, key) == 0 && s->cache.text.len >= tl &&
        strcmp(s->cache.text.data + s->cache.text.len - tl, text) == 0) {
        tc_buf_append(&slot->lines, s->cache.prefix.data, s->cache.prefix.len);
        tc_buf_append(&slot->lines, s->cache.text.data, s->cache.text.len - tl);
    }
    tc_buf_puts(&slot->lines, part);
    tc_buf_puts(&slot->lines, "\n");
    if (slot->lines.len > ACCEPTED_MAX) {
        /* drop the oldest lines */
        const char *cut = memchr(slot->lines.data + slot->lines.len - ACCEPTED_MAX / 2, '\n', ACCEPTED_MAX / 2);
        size_t keep = cut ? slot->lines.len - (size_t)(cut + 1 - slot->lines.data) : 0;
        memmove(slot->lines.data, slot->lines.data + slot->lines.len - keep, keep);
        slot->lines.len = keep;
        slot->lines.data[keep] = 0;
    }
    slot->dirty = 1;
}

int tc_session_dirty(const tc_session *s)
{
    size_t i;
    for (i = 0; i < s->nacc; i++)
        if (s->acc[i].dirty) return 1;
    return 0;
}

void tc_session_flush(tc_session *s)
{
    size_t i;
    for (i = 0; i < s->nacc; i++)
        if (s->acc[i].dirty) accepted_flush(s, &s->acc[i]);
}
