/* cli.c - tacit explain, tacit doctor, tacit complete --backend; see cli.h. */
#include "backend/cli.h"
#include "backend/backend.h"
#include "backend/config.h"
#include "context/context.h"
#include "context/privacy.h"
#include "suggest/suggest.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/status.h"

#include <cjson/cJSON.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct opts {
    const char *spec, *root, *buffer, *backend, *config, *cache_dir;
    int prompt, naive, json, quiet, deadline_ms;
} opts;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + ts.tv_nsec * 1e-6;
}

int tc_cli_has_backend(int argc, char **argv)
{
    int i;
    for (i = 2; i < argc; i++)
        if (!strcmp(argv[i], "--backend")) return 1;
    return 0;
}

/* Returns 0, or 2 on a usage error (message printed). */
static int parse(int argc, char **argv, opts *o, int want_spec)
{
    int i;
    memset(o, 0, sizeof *o);
    o->deadline_ms = -1;
    for (i = 2; i < argc; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
        if (!strcmp(a, "--backend") && more) o->backend = argv[++i];
        else if (!strcmp(a, "--root") && more) o->root = argv[++i];
        else if (!strcmp(a, "--buffer") && more) o->buffer = argv[++i];
        else if (!strcmp(a, "--config") && more) o->config = argv[++i];
        else if (!strcmp(a, "--cache-dir") && more) o->cache_dir = argv[++i];
        else if (!strcmp(a, "--deadline") && more) o->deadline_ms = atoi(argv[++i]);
        else if (!strcmp(a, "--prompt")) o->prompt = 1;
        else if (!strcmp(a, "--naive")) o->naive = 1;
        else if (!strcmp(a, "--json")) o->json = 1;
        else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) o->quiet = 1;
        else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "tacit: unknown or incomplete option '%s'\n", a);
            return 2;
        } else if (want_spec && !o->spec) o->spec = a;
        else {
            fprintf(stderr, "tacit: unexpected argument '%s'\n", a);
            return 2;
        }
    }
    if (want_spec && !o->spec) {
        fprintf(stderr, "tacit: expected PATH:LINE:COL\n");
        return 2;
    }
    return 0;
}

static char *read_stream(FILE *fp, size_t *len)
{
    tc_buf b = {0};
    char tmp[65536];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, fp)) > 0)
        if (tc_buf_append(&b, tmp, n)) {
            tc_buf_free(&b);
            return NULL;
        }
    if (!b.data && tc_buf_puts(&b, "")) return NULL;
    *len = b.len;
    return b.data;
}

/* A cursor: the file's text, the byte offset, the workspace root and the
 * file's path relative to it. */
typedef struct cursor {
    char *text;
    size_t len, off;
    char root[PATH_MAX];
    char rel[PATH_MAX];
} cursor;

static int load_cursor(const opts *o, cursor *c)
{
    char *spec = strdup(o->spec), *p, file_abs[PATH_MAX], dir[PATH_MAX];
    long line, col;
    FILE *fp;
    int rc = 1;
    memset(c, 0, sizeof *c);
    if (!spec || !(p = strrchr(spec, ':')) || (col = strtol(p + 1, NULL, 10)) < 1) goto bad_spec;
    *p = 0;
    if (!(p = strrchr(spec, ':')) || (line = strtol(p + 1, NULL, 10)) < 1) goto bad_spec;
    *p = 0;
    fp = o->buffer ? (strcmp(o->buffer, "-") ? fopen(o->buffer, "rb") : stdin) : fopen(spec, "rb");
    if (!fp) {
        fprintf(stderr, "tacit: cannot read %s\n", o->buffer ? o->buffer : spec);
        goto out;
    }
    c->text = read_stream(fp, &c->len);
    if (fp != stdin) fclose(fp);
    if (!c->text) goto out;
    {
        long ln = 1;
        while (ln < line && c->off < c->len)
            if (c->text[c->off++] == '\n') ln++;
        while (col > 1 && c->off < c->len && c->text[c->off] != '\n') c->off++, col--;
    }
    if (!realpath(spec, file_abs)) {
        char *slash = strrchr(spec, '/');
        if (slash) *slash = 0;
        if (!realpath(slash ? (*spec ? spec : "/") : ".", dir)) goto bad_path;
        snprintf(file_abs, sizeof file_abs, "%.2000s/%.2000s", dir, slash ? slash + 1 : spec);
    }
    if (o->root) {
        if (!realpath(o->root, c->root)) goto bad_path;
    } else {
        /* the nearest folder above holding .git, else the current one */
        char probe[PATH_MAX + 8], *s;
        snprintf(dir, sizeof dir, "%s", file_abs);
        c->root[0] = 0;
        while ((s = strrchr(dir, '/')) != NULL) {
            *s = 0;
            snprintf(probe, sizeof probe, "%s/.git", *dir ? dir : "/");
            if (access(probe, F_OK) == 0) {
                snprintf(c->root, sizeof c->root, "%s", *dir ? dir : "/");
                break;
            }
            if (!*dir) break;
        }
        if (!c->root[0] && !getcwd(c->root, sizeof c->root)) goto bad_path;
    }
    {
        size_t rl = strlen(c->root);
        if (!strncmp(file_abs, c->root, rl) && file_abs[rl] == '/') snprintf(c->rel, sizeof c->rel, "%s", file_abs + rl + 1);
        else snprintf(c->rel, sizeof c->rel, "%s", strrchr(file_abs, '/') + 1);
    }
    rc = 0;
    goto out;
bad_path:
    fprintf(stderr, "tacit: cannot resolve %s or its workspace root\n", o->spec);
    goto out;
bad_spec:
    fprintf(stderr, "tacit: expected PATH:LINE:COL (1-based), got '%s'\n", o->spec);
    rc = 2;
out:
    free(spec);
    if (rc) {
        free(c->text);
        c->text = NULL;
    }
    return rc;
}

static int load_config(const opts *o, tc_config *cfg)
{
    char err[512] = "";
    tc_config_init(cfg);
    if (tc_config_load(cfg, o->config, err, sizeof err)) {
        fprintf(stderr, "tacit: %s\n", err);
        return 1;
    }
    if (o->backend && tc_config_set(cfg, "general", "backend", o->backend, "command line", err, sizeof err)) {
        fprintf(stderr, "tacit: %s\n", err);
        return 1;
    }
    return 0;
}

static const tc_backend_cfg *pick_backend(const tc_config *cfg)
{
    const tc_backend_cfg *bc = tc_config_backend(cfg, NULL);
    if (!bc) {
        if (cfg->backend && strcmp(cfg->backend, "none"))
            fprintf(stderr,
                    "tacit: no backend named '%s' (define [backend.%s] in the settings file, or use a type name: "
                    "llama, openai, mistral, ollama)\n",
                    cfg->backend, cfg->backend);
        else
            fprintf(stderr, "tacit: no server backend configured (give --backend NAME, or set general.backend; "
                            "see docs/backends.md)\n");
        return NULL;
    }
    if (bc->type == TC_BACKEND_NONE) {
        fprintf(stderr, "tacit: backend '%s' has no type (llama, openai, mistral or ollama)\n", bc->name);
        return NULL;
    }
    return bc;
}

/* Everything a request needs, opened in order; closed by session_close. */
typedef struct session {
    tc_config cfg;
    tc_engine *engine;
    tc_client *cl;
    tc_backend *b;
    tc_privacy *priv;
    tc_ctx *ctx;
    cursor cur;
    tc_fim_input in;
    tc_ctx_info info;
    char probe_err[512];
    int probed;
} session;

static void session_close(session *s)
{
    tc_ctx_free(s->ctx);
    tc_privacy_free(s->priv);
    tc_backend_free(s->b);
    tc_client_free(s->cl);
    tc_engine_free(s->engine);
    free(s->cur.text);
    tc_config_free(&s->cfg);
}

/* Open everything and build the context for the cursor. Returns an exit
 * status (0 ok). want_engine: open the embedded engine (index, retrieval). */
static int session_open(const opts *o, session *s, int want_engine)
{
    const tc_backend_cfg *bc;
    tc_ctx_opts co;
    tc_ctx_sources src = {0};
    int rc;
    memset(s, 0, sizeof *s);
    if ((rc = load_config(o, &s->cfg))) return rc;
    if (!(bc = pick_backend(&s->cfg))) return 1;
    if ((rc = load_cursor(o, &s->cur))) return rc;
    if (tc_client_new(&s->cl) || tc_backend_open(s->cl, bc, &s->b)) {
        fprintf(stderr, "tacit: cannot set up backend '%s'\n", bc->name);
        return 1;
    }
    s->probed = !tc_backend_probe(s->b, tc_backend_cfg_of(s->b)->first_byte_ms, s->probe_err, sizeof s->probe_err);
    if (!s->probed && !o->quiet)
        fprintf(stderr, "tacit: backend '%s' not reachable (%s); using the settings alone\n", bc->name, s->probe_err);
    if (tc_privacy_new(&s->priv) || (s->cfg.secret_files && tc_privacy_add(s->priv, s->cfg.secret_files))) return 1;
    if (want_engine) {
        tc_engine_opts eo;
        memset(&eo, 0, sizeof eo);
        eo.index.root = s->cur.root;
        eo.index.cache_dir = o->cache_dir;
        eo.threshold = -1;
        eo.update = 1;
        if ((rc = tc_engine_open(&eo, &s->engine))) {
            fprintf(stderr, "tacit: cannot open workspace %s: %s\n", s->cur.root, tc_strerror(rc));
            return 1;
        }
        src.ix = tc_engine_index(s->engine);
        src.ret = tc_engine_retriever(s->engine);
    }
    co = s->cfg.ctx;
    co.naive = o->naive;
    tc_backend_ctx_limits(s->b, &co);
    if (tc_ctx_new(&co, s->priv, &s->ctx)) return 1;
    {
        const char *repo = strrchr(s->cur.root, '/');
        rc = tc_ctx_build(s->ctx, &src, tc_backend_tokcount(s->b), repo && repo[1] ? repo + 1 : "project", s->cur.rel,
                          s->cur.text, s->cur.len, s->cur.off, &s->in, &s->info);
    }
    if (rc) {
        fprintf(stderr, "tacit: building the context failed: %s\n", tc_strerror(rc));
        return 1;
    }
    return 0;
}

static void print_summary(session *s)
{
    const tc_backend_facts *f = tc_backend_facts_of(s->b);
    const tc_backend_cfg *bc = tc_backend_cfg_of(s->b);
    size_t i;
    fprintf(stderr, "# backend %s (%s) %s, model %s, FIM %s (from %s)\n", bc->name, tc_backend_type_name(bc->type),
            bc->url, *f->model ? f->model : "?", tc_fim_family_name(f->fim), f->fim_from);
    fprintf(stderr, "# tokens: %s; prefix %u (from line %u), suffix %u, chunks %u; prompt %u\n",
            s->info.exact ? "exact (server tokenizer)" : "estimated", s->in.ntok_prefix, s->info.prefix_line,
            s->in.ntok_suffix, s->in.ntok_extra, tc_backend_prompt_tokens(s->b, &s->in));
    for (i = 0; i < s->in.nextra; i++)
        fprintf(stderr, "#   %s %s:%u (%u tokens)\n",
                s->in.extra[i].kind == TC_CHUNK_RECENT  ? "recent   "
                : s->in.extra[i].kind == TC_CHUNK_AFTER ? "after    "
                                                        : "retrieved",
                s->in.extra[i].path, s->in.extra[i].line, s->in.extra[i].ntok);
    if (s->info.redactions) fprintf(stderr, "# %zu secret-looking strings redacted\n", s->info.redactions);
    if (s->info.secret_skipped) fprintf(stderr, "# %zu chunks skipped: private files\n", s->info.secret_skipped);
    if (s->in.single_line) fprintf(stderr, "# cursor mid-line: one line is asked for\n");
}

int tc_cmd_explain(int argc, char **argv)
{
    opts o;
    session s;
    tc_http_msg m = {0};
    int rc = parse(argc, argv, &o, 1);
    size_t i;
    if (rc) return rc;
    tc_log_set_quiet(o.quiet ? 2 : 1);
    if ((rc = session_open(&o, &s, 1))) goto out;
    if (s.info.secret_file) {
        fprintf(stderr, "tacit: %s matches a secret-file pattern; nothing would be sent to '%s'\n", s.cur.rel,
                tc_backend_cfg_of(s.b)->name);
        rc = 0;
        goto out;
    }
    if (!o.quiet) print_summary(&s);
    if (o.prompt) {
        tc_buf p = {0};
        if (tc_backend_render(s.b, &s.in, &p)) {
            rc = 1;
            goto out;
        }
        fwrite(p.data ? p.data : "", 1, p.len, stdout);
        tc_buf_free(&p);
    } else {
        if (tc_backend_build(s.b, &s.in, TC_REQ_COMPLETE, &m)) {
            fprintf(stderr, "tacit: cannot build the request\n");
            rc = 1;
            goto out;
        }
        printf("%s %s\n", m.method, m.url.data);
        for (i = 0; i < m.nheaders; i++) printf("%s\n", m.headers[i]);
        printf("\n");
        fwrite(m.body.data, 1, m.body.len, stdout);
        printf("\n");
    }
    rc = 0;
out:
    tc_http_msg_free(&m);
    session_close(&s);
    return rc;
}

int tc_cmd_complete_backend(int argc, char **argv)
{
    opts o;
    session s;
    tc_suggestion sg = {0};
    int rc = parse(argc, argv, &o, 1), deadline;
    double t0 = now_ms();
    if (rc) return rc;
    tc_log_set_quiet(o.quiet ? 2 : 1);
    if ((rc = session_open(&o, &s, 1))) goto out;
    /* the embedded suggestion first: it is there at once */
    if ((rc = tc_engine_suggest(s.engine, s.cur.rel, s.cur.text, s.cur.len, s.cur.off, &sg))) {
        fprintf(stderr, "tacit: completion failed: %s\n", tc_strerror(rc));
        rc = 1;
        goto out;
    }
    sg.source = *sg.text ? "embedded" : "none";
    deadline = o.deadline_ms >= 0 ? o.deadline_ms : s.cfg.deadline_ms;
    if (!s.info.secret_file && s.probed) {
        rc = tc_backend_complete(s.b, &s.in, deadline, &sg);
        if (rc && rc != TC_ECANCEL && !o.quiet)
            fprintf(stderr, "tacit: server '%s': %s; showing the embedded suggestion\n", tc_backend_cfg_of(s.b)->name,
                    tc_backend_last_error(s.b));
    }
    sg.latency_ms = now_ms() - t0;
    tc_suggestion_print(stdout, &sg, o.json);
    rc = 0;
out:
    tc_suggestion_free(&sg);
    session_close(&s);
    return rc;
}

/* ---- doctor ---------------------------------------------------------------------- */

static const char *yes_no(int v) { return v > 0 ? "yes" : v == 0 ? "no" : "unknown"; }

/* One backend's checks; 0 if all pass. */
static int doctor_backend(const tc_config *cfg, const tc_backend_cfg *bc)
{
    tc_client *cl = NULL;
    tc_backend *b = NULL;
    char err[512] = "";
    const tc_backend_facts *f;
    int bad = 0;
    double t0;
    printf("\nbackend %s: %s %s%s%s\n", bc->name, tc_backend_type_name(bc->type), bc->url ? bc->url : "(default URL)",
           bc->model ? ", model " : "", bc->model ? bc->model : "");
    if (bc->type == TC_BACKEND_NONE) {
        printf("  FAIL  no type (set backend.%s.type = llama | openai | mistral | ollama)\n", bc->name);
        return 1;
    }
    if (tc_client_new(&cl) || tc_backend_open(cl, bc, &b)) {
        printf("  FAIL  cannot set up the backend\n");
        tc_client_free(cl);
        return 1;
    }
    if (tc_backend_cfg_of(b)->api_key_env)
        printf("  %s  API key from $%s%s\n", getenv(tc_backend_cfg_of(b)->api_key_env) ? "ok  " : "FAIL",
               tc_backend_cfg_of(b)->api_key_env, getenv(tc_backend_cfg_of(b)->api_key_env) ? "" : " (not set)");
    tc_log_set_quiet(2);
    t0 = now_ms();
    if (tc_backend_probe(b, 3000, err, sizeof err)) {
        printf("  FAIL  reachable: %s\n", err);
        bad = 1;
        goto out;
    }
    f = tc_backend_facts_of(b);
    printf("  ok    reachable (%.0f ms to probe)\n", now_ms() - t0);
    printf("  %s  model: %s\n", *f->model ? "ok  " : "??  ", *f->model ? f->model : "(not reported)");
    printf("  %s  FIM support: %s; prompts as %s (from %s)\n", f->fim_ok == 0 ? "FAIL" : "ok  ", yes_no(f->fim_ok),
           tc_fim_family_name(f->fim), f->fim_from);
    if (f->fim_ok == 0) bad = 1;
    printf("  %s  tokenizer: %s\n", "ok  ",
           f->has_tokenizer ? "the server's (exact budgets)" : "none offered; calibrated estimate");
    if (f->n_ctx) printf("  ok    context: %d tokens per slot\n", f->n_ctx);
    if (bc->type == TC_BACKEND_LLAMA && f->n_ctx && f->n_ctx <= tc_backend_cfg_of(b)->n_batch + 2 * tc_backend_cfg_of(b)->n_predict)
        printf("  warn  the server's context (-c %d) is not larger than its batch (-b, assumed %d) plus room to "
               "generate: /infill drops input_extra (no retrieved chunks)\n",
               f->n_ctx, tc_backend_cfg_of(b)->n_batch);
    if (*f->note) {
        printf("  FAIL  %s\n", f->note);
        bad = 1;
    }
    {
        /* a sample request: the smoke test */
        static const char pre[] = "def add(a, b):\n    return ", suf[] = "\n\n\nprint(add(1, 2))\n";
        tc_fim_input in;
        tc_req *r = NULL;
        tc_buf s = {0};
        memset(&in, 0, sizeof in);
        in.path = "sample.py";
        in.prefix = pre;
        in.nprefix = sizeof pre - 1;
        in.suffix = suf;
        in.nsuffix = sizeof suf - 1;
        in.single_line = 1;
        t0 = now_ms();
        if (tc_backend_request_start(b, &in, &r)) {
            printf("  FAIL  sample request: %s\n", tc_backend_last_error(b));
            bad = 1;
            goto out;
        }
        while (tc_req_state_of(r) == TC_REQ_RUNNING) tc_client_wait(cl, 50);
        if (tc_req_state_of(r) != TC_REQ_DONE) {
            printf("  FAIL  sample request: %s\n", tc_req_error(r));
            bad = 1;
        } else {
            size_t n;
            const char *raw = tc_req_text(r, &n);
            tc_req_suggestion(r, &s);
            printf("  ok    sample request: first byte %.0f ms, total %.0f ms; %s\n", tc_req_first_byte_ms(r),
                   now_ms() - t0, s.len ? "answered" : "empty answer");
            printf("        completion of 'return ': \"%.60s\"\n", s.data ? s.data : "");
            if (!strncmp(raw, "Sure", 4) || !strncmp(raw, "```", 3) || !strncmp(raw, "Here", 4) ||
                !strncmp(raw, "I ", 2)) {
                printf("  FAIL  the model answers like a chat model (\"%.30s...\"); use a base code model\n", raw);
                bad = 1;
            }
        }
        tc_req_free(r);
        tc_buf_free(&s);
    }
    (void)cfg;
out:
    tc_backend_free(b);
    tc_client_free(cl);
    return bad;
}

int tc_cmd_doctor(int argc, char **argv)
{
    opts o;
    tc_config cfg;
    char path[4096];
    size_t i;
    int rc = parse(argc, argv, &o, 0), bad = 0;
    tc_privacy *p = NULL;
    if (rc) return rc;
    if (load_config(&o, &cfg)) return 1;
    printf("settings (later overrides earlier: defaults < file < environment < LSP initializationOptions < flags)\n");
    printf("  file: %s (%s)\n", cfg.file ? cfg.file : (o.config ? o.config : tc_config_default_path(path, sizeof path)),
           cfg.file ? "read" : "not present");
    for (i = 0; i < cfg.norigin; i++) printf("  %s\n", cfg.origin[i]);
    printf("  embedded model: always on; a server replaces its suggestion within %d ms\n", cfg.deadline_ms);
    if (!tc_privacy_new(&p)) {
        if (cfg.secret_files) tc_privacy_add(p, cfg.secret_files);
        printf("privacy: %zu secret-file patterns (privacy.secret_files adds more); secrets redacted from every "
               "request\n",
               tc_privacy_npatterns(p));
        tc_privacy_free(p);
    }
    if (!cfg.nb) {
        printf("\nno server backend configured: the embedded model answers alone.\n"
               "  e.g. TACIT_BACKEND=llama TACIT_BACKEND_LLAMA_URL=http://127.0.0.1:8012 tacit doctor\n");
    }
    for (i = 0; i < cfg.nb; i++) {
        if (o.backend && strcasecmp(cfg.b[i].name, o.backend)) continue;
        bad |= doctor_backend(&cfg, &cfg.b[i]);
    }
    if (cfg.backend && strcmp(cfg.backend, "none") && !tc_config_backend(&cfg, NULL)) {
        printf("\nFAIL  general.backend = %s, but no [backend.%s] is defined\n", cfg.backend, cfg.backend);
        bad = 1;
    }
    tc_config_free(&cfg);
    return bad ? 1 : 0;
}
