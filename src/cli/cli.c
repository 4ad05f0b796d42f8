/* cli.c - tacit complete, tacit explain, tacit doctor; see cli.h. */
#include "cli/cli.h"
#include "cli/explain.h"
#include "backend/backend.h"
#include "backend/config.h"
#include "context/privacy.h"
#include "suggest/session.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/opt.h"
#include "util/status.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

enum { CMD_COMPLETE = 1, CMD_EXPLAIN = 2, CMD_DOCTOR = 4 };

typedef struct opts {
    const char *spec, *root, *buffer, *backend, *config;
    int prompt, naive, json, quiet, deadline_ms;
    double threshold;
    tc_engine_opts eo;
} opts;

/* Every option of the three commands, and where it means something. */
static const struct opt {
    const char *name, *alt;
    int value;    /* 1: takes a value */
    int cmds;     /* CMD_* where it has a meaning */
    const char *what; /* what it does, for the refusal message */
} options[] = {
    {"--root", NULL, 1, CMD_COMPLETE | CMD_EXPLAIN, "the workspace of a cursor"},
    {"--buffer", NULL, 1, CMD_COMPLETE | CMD_EXPLAIN, "the text at a cursor"},
    {"--json", NULL, 0, CMD_COMPLETE | CMD_EXPLAIN, "the output format"},
    {"--cache-dir", NULL, 1, CMD_COMPLETE | CMD_EXPLAIN, "where the index of a workspace lives"},
    {"--max-file-size", NULL, 1, CMD_COMPLETE | CMD_EXPLAIN, "which files of a workspace are indexed"},
    {"--smoothing", NULL, 1, CMD_COMPLETE | CMD_EXPLAIN, "the embedded model's suggestions"},
    {"--mode", NULL, 1, CMD_COMPLETE | CMD_EXPLAIN, "the embedded model's suggestions"},
    {"--threshold", NULL, 1, CMD_COMPLETE | CMD_EXPLAIN, "which suggestions are shown"},
    {"--backend", NULL, 1, CMD_COMPLETE | CMD_EXPLAIN | CMD_DOCTOR, "which server"},
    {"--deadline", NULL, 1, CMD_COMPLETE | CMD_EXPLAIN, "how long a server may take for one cursor"},
    {"--config", NULL, 1, CMD_COMPLETE | CMD_EXPLAIN | CMD_DOCTOR, "the settings file"},
    {"--prompt", NULL, 0, CMD_EXPLAIN, "what explain prints"},
    {"--naive", NULL, 0, CMD_EXPLAIN, "the order of a request's context"},
    {"--quiet", "-q", 0, CMD_COMPLETE | CMD_EXPLAIN | CMD_DOCTOR, "messages"},
};

static const char *cmd_name(int cmd)
{
    return cmd == CMD_COMPLETE ? "complete" : cmd == CMD_EXPLAIN ? "explain" : "doctor";
}

static const char *cmd_usage(int cmd)
{
    switch (cmd) {
    case CMD_COMPLETE:
        return "usage: tacit complete PATH:LINE:COL [--root DIR] [--buffer FILE|-] [--json] [--backend NAME|none]\n"
               "                      [--deadline MS] [--threshold 0..1] [--mode full|ngram|copy] [--config FILE]\n"
               "                      [--cache-dir DIR] [--max-file-size BYTES] [--smoothing jm|wb|ad] [-q]\n";
    case CMD_EXPLAIN:
        return "usage: tacit explain PATH:LINE:COL [--backend NAME|none] [--prompt] [--naive] [--json] [--root DIR]\n"
               "                     [--buffer FILE|-] [--config FILE] [--deadline MS] [--threshold 0..1]\n"
               "                     [--mode full|ngram|copy] [--cache-dir DIR] [-q]\n";
    default:
        return "usage: tacit doctor [--backend NAME|none] [--config FILE] [-q]\n";
    }
}

/* Apply one option's value through the shared option parsers (util/opt.h),
 * so that complete, explain and doctor refuse a bad value with the same
 * message as index and eval. 0, or 2 with a message. */
static int set_value(opts *o, const char *name, const char *v)
{
    static const char *const smoothing[] = {"jm", "wb", "ad", NULL};
    static const char *const modes[] = {"full", "ngram", "copy", NULL};
    char *av[2] = {(char *)name, (char *)v};
    tc_args a = tc_args_at(2, av, 0);
    long long n;
    int k;
    if (!strcmp(name, "--root")) o->root = v;
    else if (!strcmp(name, "--buffer")) o->buffer = v;
    else if (!strcmp(name, "--cache-dir")) o->eo.index.cache_dir = v;
    else if (!strcmp(name, "--config")) o->config = v;
    else if (!strcmp(name, "--backend")) {
        if (!*v) {
            fprintf(stderr, "tacit: %s needs a value\n", name);
            return 2;
        }
        o->backend = v;
    } else if (tc_opt_size(&a, "--max-file-size", 1, TC_OPT_MAX_FILE_SIZE, &o->eo.index.max_file_size)) {
    } else if (tc_opt_int(&a, "--deadline", 0, 600000, &n)) {
        if (!a.err) o->deadline_ms = (int)n;
    } else if (tc_opt_double(&a, "--threshold", 0, 1, &o->threshold)) {
    } else if (tc_opt_choice(&a, "--smoothing", smoothing, &k)) {
        if (!a.err) o->eo.model.smoothing = (tc_smoothing)k; /* the enum's order */
    } else if (tc_opt_choice(&a, "--mode", modes, &k)) {
        if (!a.err) tc_mode_parse(modes[k], &o->eo.mode);
    }
    return a.err ? 2 : 0;
}

/* Parse argv[2..] for cmd. Returns 0, or 2 on a usage error (message
 * printed), or -1 for --help (usage printed). */
static int parse(int argc, char **argv, int cmd, opts *o)
{
    int i;
    size_t k;
    memset(o, 0, sizeof *o);
    o->deadline_ms = -1;
    o->threshold = -1;
    for (i = 2; i < argc; i++) {
        const char *a = argv[i];
        const struct opt *op = NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(cmd_usage(cmd), stdout);
            return -1;
        }
        if (a[0] != '-' || !a[1]) {
            if (cmd != CMD_DOCTOR && !o->spec) {
                o->spec = a;
                continue;
            }
            fprintf(stderr, "tacit: unexpected argument '%s'\n%s", a, cmd_usage(cmd));
            return 2;
        }
        for (k = 0; k < sizeof options / sizeof *options && !op; k++)
            if (!strcmp(a, options[k].name) || (options[k].alt && !strcmp(a, options[k].alt))) op = &options[k];
        if (!op) {
            fprintf(stderr, "tacit: unknown option '%s' for %s\n%s", a, cmd_name(cmd), cmd_usage(cmd));
            return 2;
        }
        if (!(op->cmds & cmd)) {
            fprintf(stderr, "tacit: %s has no meaning for %s (it sets %s)\n", op->name, cmd_name(cmd), op->what);
            return 2;
        }
        if (!op->value) {
            if (!strcmp(op->name, "--json")) o->json = 1;
            else if (!strcmp(op->name, "--prompt")) o->prompt = 1;
            else if (!strcmp(op->name, "--naive")) o->naive = 1;
            else if (!strcmp(op->name, "--quiet")) o->quiet = 1;
            continue;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "tacit: %s needs a value\n", op->name);
            return 2;
        }
        if (set_value(o, op->name, argv[++i])) return 2;
    }
    if (cmd != CMD_DOCTOR && !o->spec) {
        fprintf(stderr, "tacit: %s needs a cursor, PATH:LINE:COL\n%s", cmd_name(cmd), cmd_usage(cmd));
        return 2;
    }
    return 0;
}

/* Exit status for a failed target load. */
static int target_status(int rc) { return rc == TC_EINVAL ? 2 : 1; }

/* Load the cursor, open the session and its engine. Returns an exit
 * status (0 ok). */
static int open_all(const opts *o, tc_session_target *t, tc_session **s)
{
    tc_session_opts so;
    char err[1024];
    int rc;
    *s = NULL;
    if ((rc = tc_session_target_load(o->spec, o->buffer, o->root, t, err, sizeof err))) {
        fprintf(stderr, "tacit: %s\n", err);
        return target_status(rc);
    }
    memset(&so, 0, sizeof so);
    so.root = t->root;
    so.config_file = o->config;
    so.backend = o->backend;
    so.deadline_ms = o->deadline_ms;
    so.threshold = o->threshold;
    so.naive = o->naive;
    if ((rc = tc_session_open(&so, s, err, sizeof err))) {
        fprintf(stderr, "tacit: %s\n", err);
        return 1;
    }
    {
        tc_engine_opts eo = o->eo;
        eo.index.root = t->root;
        eo.update = 1;
        if ((rc = tc_session_open_engine(*s, &eo))) {
            fprintf(stderr, "tacit: cannot open workspace %s: %s\n", t->root, tc_strerror(rc));
            return 1;
        }
    }
    return 0;
}

static tc_session_cursor cursor_of(const tc_session_target *t)
{
    tc_session_cursor c;
    c.key = NULL;
    c.relpath = t->rel;
    c.buf = t->text;
    c.len = t->len;
    c.off = t->off;
    return c;
}

int tc_cmd_complete(int argc, char **argv)
{
    opts o;
    tc_session_target t = {0};
    tc_session *s = NULL;
    tc_suggestion sg = {0};
    tc_session_cursor c;
    int rc = parse(argc, argv, CMD_COMPLETE, &o), pending = 0;
    if (rc) return rc < 0 ? 0 : rc;
    tc_log_set_quiet(o.quiet ? 2 : 1);
    if ((rc = open_all(&o, &t, &s))) goto out;
    c = cursor_of(&t);
    if ((rc = tc_session_suggest(s, &c, &sg, &pending))) {
        fprintf(stderr, "tacit: completion failed: %s\n", tc_strerror(rc));
        rc = 1;
        goto out;
    }
    if (pending) {
        double embedded_ms = sg.latency_ms;
        rc = tc_session_wait(s, &sg);
        if (rc == TC_EIO && !o.quiet)
            fprintf(stderr, "tacit: server '%s': %s; showing the embedded suggestion\n",
                    tc_backend_cfg_of(tc_session_backend(s))->name, tc_backend_last_error(tc_session_backend(s)));
        if (sg.latency_ms < embedded_ms) sg.latency_ms = embedded_ms;
    }
    tc_suggestion_print(stdout, &sg, o.json);
    rc = 0;
out:
    tc_suggestion_free(&sg);
    tc_session_free(s);
    tc_session_target_free(&t);
    return rc;
}

static void print_summary(tc_backend *b, const tc_fim_input *in, const tc_ctx_info *info)
{
    const tc_backend_facts *f = tc_backend_facts_of(b);
    const tc_backend_cfg *bc = tc_backend_cfg_of(b);
    size_t i;
    fprintf(stderr, "# backend %s (%s) %s, model %s, FIM %s (from %s)\n", bc->name, tc_backend_type_name(bc->type),
            bc->url, *f->model ? f->model : "?", tc_fim_family_name(f->fim), f->fim_from);
    fprintf(stderr, "# tokens: %s; prefix %u (from line %u), suffix %u, chunks %u; prompt %u\n",
            info->exact ? "exact (server tokenizer)" : "estimated", in->ntok_prefix, info->prefix_line,
            in->ntok_suffix, in->ntok_extra, tc_backend_prompt_tokens(b, in));
    for (i = 0; i < in->nextra; i++)
        fprintf(stderr, "#   %s %s:%u (%u tokens)\n",
                in->extra[i].kind == TC_CHUNK_RECENT  ? "recent   "
                : in->extra[i].kind == TC_CHUNK_AFTER ? "after    "
                                                      : "retrieved",
                in->extra[i].path, in->extra[i].line, in->extra[i].ntok);
    if (info->redactions) fprintf(stderr, "# %zu secret-looking strings redacted\n", info->redactions);
    if (info->secret_skipped) fprintf(stderr, "# %zu chunks skipped: private files\n", info->secret_skipped);
    if (in->single_line) fprintf(stderr, "# cursor mid-line: one line is asked for\n");
}

int tc_cmd_explain(int argc, char **argv)
{
    opts o;
    tc_session_target t = {0};
    tc_session *s = NULL;
    tc_session_cursor c;
    tc_fim_input in;
    tc_ctx_info info;
    tc_http_msg m = {0};
    tc_backend *b;
    char perr[512];
    size_t i;
    int rc = parse(argc, argv, CMD_EXPLAIN, &o);
    if (rc) return rc < 0 ? 0 : rc;
    tc_log_set_quiet(o.quiet ? 2 : 1);
    if ((rc = open_all(&o, &t, &s))) goto out;
    if (!(b = tc_session_backend(s))) {
        /* no server: what the embedded model does at this cursor */
        if (o.prompt || o.naive) {
            fprintf(stderr, "tacit: %s shows a server's request; no server backend is selected (give --backend "
                            "NAME, or set general.backend or TACIT_BACKEND; see docs/backends.md)\n",
                    o.prompt ? "--prompt" : "--naive");
            rc = 1;
            goto out;
        }
        rc = tc_explain_embedded(s, &t, o.json);
        goto out;
    }
    if (o.json) {
        fprintf(stderr, "tacit: --json explains the embedded model (--backend none); with a server, explain prints "
                        "its request\n");
        rc = 2;
        goto out;
    }
    c = cursor_of(&t);
    rc = tc_session_prepare(s, &c, &in, &info, perr, sizeof perr);
    if (*perr && !o.quiet)
        fprintf(stderr, "tacit: backend '%s' not reachable (%s); using the settings alone\n",
                tc_backend_cfg_of(b)->name, perr);
    if (rc) {
        fprintf(stderr, "tacit: building the context failed: %s\n", tc_strerror(rc));
        rc = 1;
        goto out;
    }
    if (info.secret_file) {
        if (info.secret_cursor)
            fprintf(stderr, "tacit: the cursor is inside a secret (a key, a password being typed); nothing would be "
                            "sent to '%s'\n", tc_backend_cfg_of(b)->name);
        else
            fprintf(stderr, "tacit: %s matches a secret-file pattern; nothing would be sent to '%s'\n", t.rel,
                    tc_backend_cfg_of(b)->name);
        rc = 0;
        goto out;
    }
    if (!o.quiet) print_summary(b, &in, &info);
    if (o.prompt) {
        tc_buf p = {0};
        if (tc_backend_render(b, &in, &p)) {
            rc = 1;
            goto out;
        }
        fwrite(p.data ? p.data : "", 1, p.len, stdout);
        tc_buf_free(&p);
    } else {
        if (tc_backend_build(b, &in, TC_REQ_COMPLETE, &m)) {
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
    tc_session_free(s);
    tc_session_target_free(&t);
    return rc;
}

/* ---- doctor ---------------------------------------------------------------------- */

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + ts.tv_nsec * 1e-6;
}

static const char *yes_no(int v) { return v > 0 ? "yes" : v == 0 ? "no" : "unknown"; }

/* One backend's checks; 0 if all pass. Each check waits up to budget_ms
 * (the deadline, at least DOCTOR_MIN_MS: a cold server may be slow once). */
#define DOCTOR_MIN_MS 1000
static int doctor_backend(const tc_backend_cfg *bc, int budget_ms)
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
    if (tc_backend_probe(b, budget_ms, err, sizeof err)) {
        printf("  FAIL  reachable within %d ms: %s\n", budget_ms, err);
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
    if (bc->type == TC_BACKEND_LLAMA && f->n_ctx &&
        f->n_ctx <= tc_backend_cfg_of(b)->n_batch + 2 * tc_backend_cfg_of(b)->n_predict)
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
        memset(&in, 0, sizeof in);
        in.path = "sample.py";
        in.prefix = pre;
        in.nprefix = sizeof pre - 1;
        in.suffix = suf;
        in.nsuffix = sizeof suf - 1;
        in.single_line = 1;
        t0 = now_ms();
        if (tc_backend_request_start_by(b, &in, tc_backend_clock_ms() + budget_ms, &r)) {
            printf("  FAIL  sample request: %s\n", tc_backend_last_error(b));
            bad = 1;
            goto out;
        }
        while (tc_req_state_of(r) == TC_REQ_RUNNING) tc_client_wait(cl, 50);
        if (tc_req_state_of(r) == TC_REQ_ABANDONED) {
            printf("  FAIL  sample request: no answer within %d ms\n", budget_ms);
            bad = 1;
        } else if (tc_req_state_of(r) != TC_REQ_DONE) {
            printf("  FAIL  sample request: %s\n", tc_req_error(r));
            bad = 1;
        } else {
            size_t n;
            const char *raw = tc_req_text(r, &n);
            printf("  ok    sample request: first byte %.0f ms, total %.0f ms; %s\n", tc_req_first_byte_ms(r),
                   now_ms() - t0, n ? "answered" : "empty answer");
            printf("        completion of 'return ': \"%.60s\"\n", raw);
            if (!strncmp(raw, "Sure", 4) || !strncmp(raw, "```", 3) || !strncmp(raw, "Here", 4) ||
                !strncmp(raw, "I ", 2)) {
                printf("  FAIL  the model answers like a chat model (\"%.30s...\"); use a base code model\n", raw);
                bad = 1;
            }
        }
        tc_req_free(r);
    }
out:
    tc_backend_free(b);
    tc_client_free(cl);
    return bad;
}

int tc_cmd_doctor(int argc, char **argv)
{
    opts o;
    tc_session_opts so;
    tc_session *s = NULL;
    const tc_config *cfg;
    const tc_backend_cfg *sel;
    char path[4096], err[1024];
    size_t i;
    int rc = parse(argc, argv, CMD_DOCTOR, &o), bad = 0;
    tc_privacy *p = NULL;
    if (rc) return rc < 0 ? 0 : rc;
    memset(&so, 0, sizeof so);
    so.config_file = o.config;
    so.backend = o.backend;
    so.deadline_ms = -1;
    so.threshold = -1;
    so.no_backend_ok = 1; /* reported below, with the rest */
    if (tc_session_open(&so, &s, err, sizeof err)) {
        fprintf(stderr, "tacit: %s\n", err);
        return 1;
    }
    cfg = tc_session_config(s);
    sel = tc_config_backend(cfg, NULL);
    printf("settings (later overrides earlier: defaults < file < environment < LSP initializationOptions < flags)\n");
    printf("  file: %s (%s)\n", cfg->file ? cfg->file : (o.config ? o.config : tc_config_default_path(path, sizeof path)),
           cfg->file ? "read" : "not present");
    for (i = 0; i < cfg->norigin; i++) printf("  %s\n", cfg->origin[i]);
    printf("  embedded model: always on; %s\n",
           sel ? "a server replaces its suggestion within the deadline" : "no server selected: it answers alone");
    printf("  deadline: %d ms\n", cfg->deadline_ms);
    if (!tc_privacy_new(&p)) {
        if (cfg->secret_files) tc_privacy_add(p, cfg->secret_files);
        printf("privacy: %zu secret-file patterns (privacy.secret_files adds more); secrets redacted from every "
               "request\n",
               tc_privacy_npatterns(p));
        tc_privacy_free(p);
    }
    if (o.backend && (!strcasecmp(o.backend, "none") || !strcasecmp(o.backend, "embedded"))) {
        printf("\n--backend %s: the embedded model alone; no server to check.\n", o.backend);
        goto out;
    }
    if (!cfg->nb)
        printf("\nno server backend configured: the embedded model answers alone.\n"
               "  e.g. TACIT_BACKEND=llama TACIT_BACKEND_LLAMA_URL=http://127.0.0.1:8012 tacit doctor\n");
    for (i = 0; i < cfg->nb; i++) {
        if (o.backend && strcasecmp(cfg->b[i].name, o.backend)) continue;
        bad |= doctor_backend(&cfg->b[i], cfg->deadline_ms > DOCTOR_MIN_MS ? cfg->deadline_ms : DOCTOR_MIN_MS);
    }
    if (cfg->backend && strcasecmp(cfg->backend, "none") && strcasecmp(cfg->backend, "embedded") && !sel) {
        printf("\nFAIL  general.backend = %s, but no [backend.%s] is defined\n", cfg->backend, cfg->backend);
        bad = 1;
    }
out:
    tc_session_free(s);
    return bad ? 1 : 0;
}
