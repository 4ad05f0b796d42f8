/* backend_client.c - drives tacit's server backend against a real
 * llama.cpp server, for tests/sh/llama_backend.sh and bench/backend_bench.sh.
 * Built by those scripts against build/rel's objects:
 *   cc -Isrc bench/backend_client.c build/rel/src/{*}/{*}.o LIBS
 *
 *   backend_client check URL ROOT REL:LINE:COL
 *       the prompt the server reports back is exactly the FIM prompt tacit
 *       meant (tc_backend_render); the server's prompt token count equals
 *       tacit's (tc_backend_prompt_tokens) and /tokenize of that prompt
 *       (the first build estimates and queues the units, one /tokenize
 *       answers them, the rebuild is exact)
 *   backend_client infill URL      tacit's own /infill and raw /completion requests
 *                                  get text (non-empty), and the same text twice
 *   backend_client bounded URL D... against a server that accepts and never
 *                                  answers (SIGSTOP): probe, tokenizer batch and
 *                                  completion each return by the deadline D ms;
 *                                  beside them the same without a caller's
 *                                  deadline (the settings' timeouts); JSON lines
 *   backend_client cancel URL      cancel mid-generation; the slot is free at once
 *   backend_client deadline URL MS the server accepts but never answers:
 *                                  fail within MS, embedded suggestion kept
 *   backend_client killmid URL PID kill -9 the server mid-reply: the request
 *                                  fails, the embedded suggestion stands, one
 *                                  warning, then backoff refuses at once
 *   backend_client bench URL ROOT REL LINE NLINES [--naive] [--n N]
 *       type lines LINE..LINE+NLINES-1 of REL again character by character
 *       (they are removed first) and complete at every keystroke; prints
 *       per-keystroke latency, tacit's own time, prompt tokens (JSON lines)
 *   backend_client overhead URL ROOT REL N
 *       N cursors: tacit's whole path vs a direct blocking /infill with the
 *       same body (both after the prompt is cached); prints JSON lines
 * Prints "ok: ..." per passed check; exit 1 on the first failure. */
#include "backend/backend.h"
#include "context/context.h"
#include "suggest/suggest.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/status.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + ts.tv_nsec * 1e-6;
}

#define FAIL(...)                                                                                                      \
    do {                                                                                                               \
        fprintf(stderr, "FAIL: " __VA_ARGS__);                                                                         \
        fprintf(stderr, "\n");                                                                                         \
        exit(1);                                                                                                       \
    } while (0)

static int warnings;
static void count_log(int level, const char *msg, void *ud)
{
    (void)ud;
    if (level == TC_LOG_WARN) warnings++;
    fprintf(stderr, "  [log] %s\n", msg);
}

static tc_backend_cfg llama_cfg(const char *url)
{
    tc_backend_cfg c;
    memset(&c, 0, sizeof c);
    snprintf(c.name, sizeof c.name, "llama");
    c.type = TC_BACKEND_LLAMA;
    c.url = (char *)url;
    c.stream = 1;
    c.n_predict = 16;
    c.first_byte_ms = 5000;
    c.total_ms = 20000;
    c.n_batch = 1024;
    return c;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    tc_buf b = {0};
    char tmp[65536];
    size_t n;
    if (!fp) return NULL;
    while ((n = fread(tmp, 1, sizeof tmp, fp)) > 0) tc_buf_append(&b, tmp, n);
    fclose(fp);
    if (!b.data) tc_buf_puts(&b, "");
    *len = b.len;
    return b.data;
}

static size_t offset_of(const char *t, size_t len, long line, long col)
{
    size_t off = 0;
    long ln = 1;
    while (ln < line && off < len)
        if (t[off++] == '\n') ln++;
    while (col > 1 && off < len && t[off] != '\n') off++, col--;
    return off;
}

static void wait_done(tc_client *cl, tc_req *r, double ms)
{
    double t0 = now_ms();
    while (tc_req_state_of(r) == TC_REQ_RUNNING && now_ms() - t0 < ms) tc_client_wait(cl, 20);
}

static tc_fim_input small_input(void)
{
    static const char pre[] = "def add(a, b):\n    return ", suf[] = "\n\nprint(add(1, 2))\n";
    tc_fim_input in;
    memset(&in, 0, sizeof in);
    in.path = "t.py";
    in.prefix = pre;
    in.nprefix = sizeof pre - 1;
    in.suffix = suf;
    in.nsuffix = sizeof suf - 1;
    return in;
}

/* Engine + context + backend over a workspace. */
typedef struct ws {
    tc_engine *e;
    tc_client *cl;
    tc_backend *b;
    tc_ctx *ctx;
    tc_ctx_sources src;
} ws;

static void ws_open(ws *w, const char *url, const char *root, int naive, int warmup)
{
    tc_engine_opts eo;
    tc_backend_cfg c = llama_cfg(url);
    tc_ctx_opts co;
    char err[256];
    memset(w, 0, sizeof *w);
    memset(&eo, 0, sizeof eo);
    eo.index.root = root;
    eo.threshold = -1;
    eo.update = 1;
    if (tc_engine_open(&eo, &w->e)) FAIL("cannot open workspace %s", root);
    c.warmup = warmup;
    c.first_byte_ms = 300000; /* a big model's first full prompt on a few cores */
    c.total_ms = 600000;
    if (tc_client_new(&w->cl) || tc_backend_open(w->cl, &c, &w->b)) FAIL("backend");
    if (tc_backend_probe(w->b, 5000, err, sizeof err)) FAIL("probe: %s", err);
    memset(&co, 0, sizeof co);
    co.naive = naive;
    tc_backend_ctx_limits(w->b, &co);
    if (tc_ctx_new(&co, NULL, &w->ctx)) FAIL("ctx");
    w->src.ix = tc_engine_index(w->e);
    w->src.ret = tc_engine_retriever(w->e);
}

static void ws_close(ws *w)
{
    tc_ctx_free(w->ctx);
    tc_backend_free(w->b);
    tc_client_free(w->cl);
    tc_engine_free(w->e);
}

static size_t to_buf(char *p, size_t sz, size_t n, void *ud)
{
    return tc_buf_append(ud, p, sz * n) ? 0 : sz * n;
}

/* Tokens of text by the server's /tokenize (special tokens parsed), or -1. */
static long server_tokenize_special(const char *url, const char *text)
{
    CURL *h = curl_easy_init();
    tc_buf resp = {0}, u = {0};
    cJSON *req = cJSON_CreateObject(), *res;
    struct curl_slist *hd = curl_slist_append(NULL, "Content-Type: application/json");
    char *body;
    long n = -1;
    cJSON_AddStringToObject(req, "content", text);
    cJSON_AddBoolToObject(req, "parse_special", 1);
    body = cJSON_PrintUnformatted(req);
    tc_buf_printf(&u, "%s/tokenize", url);
    curl_easy_setopt(h, CURLOPT_URL, u.data);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, to_buf);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &resp);
    if (curl_easy_perform(h) == CURLE_OK && resp.data && (res = cJSON_Parse(resp.data))) {
        cJSON *t = cJSON_GetObjectItem(res, "tokens");
        if (cJSON_IsArray(t)) n = cJSON_GetArraySize(t);
        cJSON_Delete(res);
    }
    tc_buf_free(&resp);
    tc_buf_free(&u);
    cJSON_Delete(req);
    free(body);
    curl_slist_free_all(hd);
    curl_easy_cleanup(h);
    return n;
}

static int cmd_check(const char *url, const char *root, const char *spec)
{
    ws w;
    char rel[1024], path[2048];
    long line, col;
    char *text;
    size_t len, cur;
    tc_fim_input in;
    tc_ctx_info info;
    tc_req *r = NULL;
    tc_buf meant = {0};
    uint32_t ntok;
    long ntok_srv;
    const tc_reply *rep;
    if (sscanf(spec, "%1023[^:]:%ld:%ld", rel, &line, &col) != 3) FAIL("bad spec %s", spec);
    snprintf(path, sizeof path, "%s/%s", root, rel);
    if (!(text = slurp(path, &len))) FAIL("cannot read %s", path);
    cur = offset_of(text, len, line, col);
    ws_open(&w, url, root, 0, 0);
    if (tc_ctx_build(w.ctx, &w.src, tc_backend_tokcount(w.b), "ws", rel, text, len, cur, &in, &info)) FAIL("ctx_build");
    {
        /* counting never waits: the first build estimates and queues */
        uint64_t req0, req1;
        size_t queued = tc_tokcount_npending(tc_backend_tokcount(w.b));
        tc_ctx_opts co;
        int rc;
        if (info.exact || !queued) FAIL("first build: counts exact before the server was asked?");
        tc_tokcount_stats(tc_backend_tokcount(w.b), &req0, NULL, NULL);
        if ((rc = tc_backend_tokens_wait(w.b, tc_backend_clock_ms() + 20000)))
            FAIL("tokenizer batch: %s", tc_strerror(rc));
        tc_tokcount_stats(tc_backend_tokcount(w.b), &req1, NULL, NULL);
        if (req1 - req0 != 1) FAIL("%llu tokenizer requests for one batch", (unsigned long long)(req1 - req0));
        /* a fresh context (chunks are counted when retrieved): all from the cache */
        tc_ctx_free(w.ctx);
        memset(&co, 0, sizeof co);
        tc_backend_ctx_limits(w.b, &co);
        if (tc_ctx_new(&co, NULL, &w.ctx)) FAIL("ctx");
        if (tc_ctx_build(w.ctx, &w.src, tc_backend_tokcount(w.b), "ws", rel, text, len, cur, &in, &info))
            FAIL("ctx_build");
        if (!info.exact) FAIL("token counts were estimated after the tokenizer answered");
        printf("ok: counting never waits: %zu units estimated and queued, ONE /tokenize answered them, rebuilt exact\n",
               queued);
    }
    if (!in.nextra) FAIL("no extra chunks retrieved (the check needs input_extra)");
    printf("ok: context: prefix %u, suffix %u, %zu chunks (%u) tokens, exact counts\n", in.ntok_prefix, in.ntok_suffix,
           in.nextra, in.ntok_extra);
    tc_backend_render(w.b, &in, &meant);
    ntok = tc_backend_prompt_tokens(w.b, &in);
    if (tc_backend_request_start(w.b, &in, &r)) FAIL("request_start");
    wait_done(w.cl, r, 30000);
    if (tc_req_state_of(r) != TC_REQ_DONE) FAIL("request: %s", tc_req_error(r));
    rep = tc_req_reply(r);
    if (!rep->prompt) FAIL("the server reported no prompt");
    if (strcmp(rep->prompt, meant.data)) {
        FILE *a = fopen("/tmp/tacit-meant.txt", "w"), *b = fopen("/tmp/tacit-server.txt", "w");
        if (a) fputs(meant.data, a), fclose(a);
        if (b) fputs(rep->prompt, b), fclose(b);
        FAIL("the server's prompt differs from tacit's (diff /tmp/tacit-meant.txt /tmp/tacit-server.txt)");
    }
    printf("ok: the prompt the server reports is byte-for-byte the prompt tacit meant (%zu bytes, %zu chunks)\n",
           meant.len, in.nextra);
    if (rep->tokens_evaluated != (long)ntok)
        FAIL("prompt tokens: server %ld, tacit %u", rep->tokens_evaluated, ntok);
    printf("ok: prompt tokens: tacit counted %u, the server evaluated %ld\n", ntok, rep->tokens_evaluated);
    ntok_srv = server_tokenize_special(url, meant.data);
    if (ntok_srv != (long)ntok) FAIL("/tokenize of the prompt: %ld tokens, tacit %u", ntok_srv, ntok);
    printf("ok: /tokenize of the whole prompt: %ld tokens, as counted\n", ntok_srv);
    {
        /* budgets: the counted prefix is what the server counts for it */
        char *p = strndup(in.prefix, in.nprefix);
        long k = server_tokenize_special(url, p); /* no special strings in code: same as parse_special=false */
        free(p);
        if (k != (long)in.ntok_prefix) FAIL("prefix tokens: server %ld, tacit %u", k, in.ntok_prefix);
        printf("ok: prefix budget: %u tokens, server agrees\n", in.ntok_prefix);
    }
    tc_req_free(r);
    tc_buf_free(&meant);
    ws_close(&w);
    free(text);
    return 0;
}

static int cmd_cancel(const char *url)
{
    tc_client *cl;
    tc_backend *b;
    tc_backend_cfg c = llama_cfg(url);
    tc_fim_input in = small_input();
    tc_req *r = NULL, *r2 = NULL;
    double t0, t_cancel;
    double t_full;
    c.n_predict = 1000;
    c.total_ms = 60000;
    c.raw = 1; /* /completion, no infill sampler: random weights rarely end early */
    tc_client_new(&cl);
    tc_backend_open(cl, &c, &b);
    /* how long the whole generation takes when left alone */
    if (tc_backend_request_start(b, &in, &r)) FAIL("start");
    t0 = now_ms();
    wait_done(cl, r, 60000);
    t_full = now_ms() - t0;
    if (tc_req_state_of(r) != TC_REQ_DONE) FAIL("uncancelled request: %s", tc_req_error(r));
    printf("ok: left alone, the generation takes %.0f ms (%ld tokens)\n", t_full, tc_req_reply(r)->predicted_n);
    if (t_full < 200) FAIL("the generation is too short to test cancellation");
    tc_req_free(r);
    in.prefix = "def sub(a, b):\n    return ";
    in.nprefix = strlen(in.prefix);
    if (tc_backend_request_start(b, &in, &r)) FAIL("start");
    t0 = now_ms();
    while (tc_req_state_of(r) == TC_REQ_RUNNING && !tc_req_text(r, NULL)[0] && now_ms() - t0 < 20000)
        tc_client_wait(cl, 10);
    if (tc_req_state_of(r) != TC_REQ_RUNNING) FAIL("finished before it could be cancelled: %s", tc_req_error(r));
    tc_req_cancel(r);
    t_cancel = now_ms();
    if (tc_req_state_of(r) != TC_REQ_CANCELLED || tc_client_running(cl)) FAIL("not cancelled");
    printf("ok: cancelled mid-generation after %.0f ms\n", t_cancel - t0);
    /* the single slot is free again: a new request is answered promptly */
    c.n_predict = 4;
    tc_backend_free(b);
    tc_backend_open(cl, &c, &b);
    if (tc_backend_request_start(b, &in, &r2)) FAIL("start 2");
    wait_done(cl, r2, 20000);
    if (tc_req_state_of(r2) != TC_REQ_DONE) FAIL("second request: %s", tc_req_error(r2));
    if (now_ms() - t_cancel > t_full / 2)
        FAIL("the server kept generating for the cancelled request (%.0f ms)", now_ms() - t_cancel);
    printf("ok: the server stopped: the next request answered %.0f ms after the cancel\n", now_ms() - t_cancel);
    tc_req_free(r);
    tc_req_free(r2);
    tc_backend_free(b);
    tc_client_free(cl);
    return 0;
}

/* Every network call under the caller's deadline (server stopped). */
static int cmd_bounded(const char *url, int n, char **ds)
{
    int i;
    tc_log_set_sink(count_log, NULL);
    for (i = -1; i < n; i++) {
        int d = i < 0 ? 0 : atoi(ds[i]); /* 0: no caller deadline */
        tc_client *cl;
        tc_backend *b;
        tc_backend_cfg c = llama_cfg(url);
        tc_fim_input in = small_input();
        tc_req *r = NULL;
        int rc;
        double t0, t_probe, t_req;
        c.first_byte_ms = 1500; /* the default */
        tc_client_new(&cl);
        tc_backend_open(cl, &c, &b);
        t0 = now_ms();
        rc = tc_backend_probe(b, d ? d : c.first_byte_ms, NULL, 0);
        t_probe = now_ms() - t0;
        if (rc != TC_EIO) FAIL("probe of a stopped server: %d", rc);
        tc_backend_free(b);
        /* a backend that knows its server (as after a probe before the stop) */
        tc_backend_open(cl, &c, &b);
        t0 = now_ms();
        rc = d ? tc_backend_request_start_by(b, &in, tc_backend_clock_ms() + d, &r) : tc_backend_request_start(b, &in, &r);
        if (rc) FAIL("start: %d", rc);
        while (tc_req_state_of(r) == TC_REQ_RUNNING && now_ms() - t0 < 30000) tc_client_wait(cl, 50);
        t_req = now_ms() - t0;
        if (tc_req_state_of(r) != (d ? TC_REQ_ABANDONED : TC_REQ_FAILED))
            FAIL("request state %d: %s", tc_req_state_of(r), tc_req_error(r));
        tc_req_free(r);
        printf("{\"deadline_ms\":%d,\"probe_ms\":%.1f,\"completion_ms\":%.1f}\n", d, t_probe, t_req);
        tc_backend_free(b);
        tc_client_free(cl);
    }
    return 0;
}

/* tacit's request bodies get text from the server, the same twice. */
static int cmd_infill(const char *url)
{
    int raw;
    for (raw = 0; raw < 2; raw++) {
        tc_client *cl;
        tc_backend *b;
        tc_backend_cfg c = llama_cfg(url);
        tc_fim_input in = small_input();
        char err[512], *first = NULL;
        int k;
        c.raw = raw;
        tc_client_new(&cl);
        tc_backend_open(cl, &c, &b);
        if (tc_backend_probe(b, 5000, err, sizeof err)) FAIL("probe: %s", err);
        for (k = 0; k < 2; k++) {
            tc_req *r = NULL;
            const char *t;
            if (tc_backend_request_start_by(b, &in, tc_backend_clock_ms() + 20000, &r)) FAIL("start");
            wait_done(cl, r, 25000);
            if (tc_req_state_of(r) != TC_REQ_DONE) FAIL("%s: %s", raw ? "/completion" : "/infill", tc_req_error(r));
            t = tc_req_text(r, NULL);
            if (!*t) FAIL("%s: an empty answer (%ld tokens predicted)", raw ? "/completion" : "/infill",
                          tc_req_reply(r)->predicted_n);
            if (!k) first = strdup(t);
            else if (strcmp(first, t)) FAIL("%s: two answers to one request: \"%s\" vs \"%s\"", raw ? "/completion" : "/infill", first, t);
            tc_req_free(r);
        }
        printf("ok: %s answers \"%.40s\" (non-empty), the same twice\n", raw ? "raw /completion" : "/infill", first);
        free(first);
        tc_backend_free(b);
        tc_client_free(cl);
    }
    return 0;
}

static int cmd_deadline(const char *url, int ms)
{
    tc_client *cl;
    tc_backend *b;
    tc_backend_cfg c = llama_cfg(url);
    tc_fim_input in = small_input();
    tc_suggestion s = {0};
    double t0;
    int rc;
    c.first_byte_ms = ms;
    tc_log_set_sink(count_log, NULL);
    tc_client_new(&cl);
    tc_backend_open(cl, &c, &b);
    s.text = strdup("a + b");
    s.source = "ngram";
    t0 = now_ms();
    rc = tc_backend_complete(b, &in, ms * 4, &s);
    if (rc != TC_EIO) FAIL("expected the request to fail, got %d", rc);
    if (strcmp(s.text, "a + b")) FAIL("the embedded suggestion was replaced");
    if (now_ms() - t0 < ms * 0.9 || now_ms() - t0 > ms + 500) FAIL("failed after %.0f ms, deadline %d", now_ms() - t0, ms);
    printf("ok: accepted, never answered: failed after %.0f ms (first-byte deadline %d ms): %s\n", now_ms() - t0, ms,
           tc_backend_last_error(b));
    if (warnings != 1) FAIL("%d warnings, want 1", warnings);
    /* further keystrokes: refused at once (backoff), no more warnings */
    t0 = now_ms();
    if (tc_backend_complete(b, &in, ms * 4, &s) != TC_EIO || now_ms() - t0 > 5) FAIL("not refused at once in backoff");
    if (warnings != 1) FAIL("%d warnings after a retry, want 1", warnings);
    printf("ok: one warning; the next keystroke is refused at once (%.2f ms) and keeps the embedded suggestion\n",
           now_ms() - t0);
    tc_suggestion_free(&s);
    tc_backend_free(b);
    tc_client_free(cl);
    return 0;
}

static int cmd_killmid(const char *url, int pid)
{
    tc_client *cl;
    tc_backend *b;
    tc_backend_cfg c = llama_cfg(url);
    tc_fim_input in = small_input();
    tc_req *r = NULL;
    tc_suggestion s = {0};
    double t0;
    c.n_predict = 3000;
    c.total_ms = 60000;
    c.raw = 1;
    tc_log_set_sink(count_log, NULL);
    tc_client_new(&cl);
    tc_backend_open(cl, &c, &b);
    if (tc_backend_request_start(b, &in, &r)) FAIL("start");
    t0 = now_ms();
    while (tc_req_state_of(r) == TC_REQ_RUNNING && !tc_req_text(r, NULL)[0] && now_ms() - t0 < 20000)
        tc_client_wait(cl, 10);
    if (tc_req_state_of(r) != TC_REQ_RUNNING) FAIL("finished before the kill");
    kill(pid, SIGKILL);
    t0 = now_ms();
    wait_done(cl, r, 5000);
    if (tc_req_state_of(r) != TC_REQ_FAILED) FAIL("request not failed after the server died");
    printf("ok: server killed mid-reply: the request failed %.0f ms later (%s)\n", now_ms() - t0, tc_req_error(r));
    s.text = strdup("a + b");
    s.source = "ngram";
    /* backoff: refused at once */
    if (tc_backend_complete(b, &in, 500, &s) != TC_EIO || strcmp(s.text, "a + b")) FAIL("fallback");
    if (warnings != 1) FAIL("%d warnings, want 1", warnings);
    printf("ok: the embedded suggestion stands; one warning\n");
    tc_suggestion_free(&s);
    tc_req_free(r);
    tc_backend_free(b);
    tc_client_free(cl);
    return 0;
}

/* /metrics counter llamacpp:prompt_tokens_total, or -1. */
static double metric(const char *url, const char *name)
{
    char cmd[512];
    FILE *p;
    char line[512];
    double v = -1;
    snprintf(cmd, sizeof cmd, "curl -s --max-time 5 %s/metrics", url);
    if (!(p = popen(cmd, "r"))) return -1;
    while (fgets(line, sizeof line, p))
        if (!strncmp(line, name, strlen(name)) && line[strlen(name)] == ' ') v = atof(line + strlen(name) + 1);
    pclose(p);
    return v;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(double *v, size_t n, double p)
{
    size_t i;
    if (!n) return 0;
    qsort(v, n, sizeof *v, cmp_d);
    i = (size_t)(p * (double)(n - 1) + 0.5);
    return v[i < n ? i : n - 1];
}

static int cmd_bench(const char *url, const char *root, const char *rel, long line, long nlines, int naive,
                     int maxkeys)
{
    ws w;
    char path[2048];
    char *orig;
    size_t len, lo, hi, i, nk = 0;
    tc_buf buf = {0};
    double *lat, *own, *first, t_all = 0, tok0, tok1, prompt_ms_sum = 0;
    long prompt_n_sum = 0, cached_sum = 0, evaluated_sum = 0, predicted_sum = 0;
    uint64_t tk_req0, tk_hit0, tk_est0, tk_req1, tk_hit1, tk_est1, tk_max = 0, keys_est = 0;
    snprintf(path, sizeof path, "%s/%s", root, rel);
    if (!(orig = slurp(path, &len))) FAIL("cannot read %s", path);
    lo = offset_of(orig, len, line, 1);
    hi = offset_of(orig, len, line + nlines, 1);
    ws_open(&w, url, root, naive, 0);
    lat = calloc(hi - lo + 1, sizeof *lat);
    own = calloc(hi - lo + 1, sizeof *own);
    first = calloc(hi - lo + 1, sizeof *first);
    /* the file without the lines, then retyped */
    tc_buf_append(&buf, orig, lo);
    tok0 = metric(url, "llamacpp:prompt_tokens_total");
    tc_tokcount_stats(tc_backend_tokcount(w.b), &tk_req0, &tk_hit0, &tk_est0);
    for (i = lo; i < hi && (int)nk < maxkeys; i++) {
        uint64_t kr0, kr1;
        tc_buf cur = {0};
        tc_fim_input in;
        tc_ctx_info info;
        tc_req *r = NULL;
        tc_buf sg = {0};
        double t0, t1, pre_ms;
        if (orig[i] == ' ' && i > lo && orig[i - 1] == ' ') { /* indentation comes with the line break (editors) */
            tc_buf_append(&buf, orig + i, 1);
            continue;
        }
        tc_buf_append(&buf, orig + i, 1);
        tc_buf_append(&cur, buf.data, buf.len);
        tc_buf_append(&cur, orig + hi, len - hi);
        tc_tokcount_stats(tc_backend_tokcount(w.b), &kr0, NULL, NULL);
        t0 = now_ms();
        if (tc_ctx_build(w.ctx, &w.src, tc_backend_tokcount(w.b), "ws", rel, cur.data, cur.len, buf.len, &in, &info))
            FAIL("ctx_build");
        keys_est += !info.exact;
        if (tc_backend_request_start(w.b, &in, &r)) FAIL("request: %s", tc_backend_last_error(w.b));
        t1 = now_ms() - t0; /* tacit before the wire */
        pre_ms = t1;
        wait_done(w.cl, r, 60000);
        if (tc_req_state_of(r) != TC_REQ_DONE) FAIL("request: %s", tc_req_error(r));
        {
            double t2 = now_ms();
            tc_req_suggestion(r, &sg);
            t1 += now_ms() - t2;
        }
        lat[nk] = now_ms() - t0;
        own[nk] = t1;
        while (tc_backend_tokens_busy(w.b)) tc_client_wait(w.cl, 20); /* its counts, before the next keystroke */
        tc_tokcount_stats(tc_backend_tokcount(w.b), &kr1, NULL, NULL);
        if (kr1 - kr0 > tk_max) tk_max = kr1 - kr0;
        /* keystroke to the first streamed token: the prompt's cost shows here */
        first[nk] = pre_ms + tc_req_first_byte_ms(r);
        if (tc_req_reply(r)->predicted_n > 0) predicted_sum += tc_req_reply(r)->predicted_n;
        prompt_ms_sum += tc_req_reply(r)->prompt_ms;
        t_all += lat[nk];
        if (tc_req_reply(r)->prompt_n > 0) prompt_n_sum += tc_req_reply(r)->prompt_n;
        if (tc_req_reply(r)->tokens_cached > 0) cached_sum += tc_req_reply(r)->tokens_cached;
        if (tc_req_reply(r)->tokens_evaluated > 0) evaluated_sum += tc_req_reply(r)->tokens_evaluated;
        nk++;
        tc_req_free(r);
        tc_buf_free(&sg);
        tc_buf_free(&cur);
    }
    tok1 = metric(url, "llamacpp:prompt_tokens_total");
    tc_tokcount_stats(tc_backend_tokcount(w.b), &tk_req1, &tk_hit1, &tk_est1);
    printf("{\"tokenize_requests\":%llu,\"tokenize_requests_per_key_max\":%llu,\"units_counted_per_key\":%.1f,"
           "\"units_estimated\":%llu,\"keys_with_estimates\":%llu,",
           (unsigned long long)(tk_req1 - tk_req0), (unsigned long long)tk_max,
           nk ? (double)(tk_hit1 - tk_hit0 + tk_est1 - tk_est0) / nk : 0, (unsigned long long)(tk_est1 - tk_est0),
           (unsigned long long)keys_est);
    printf("\"ordering\":\"%s\",\"keystrokes\":%zu,\"prompt_tokens_computed_per_key\":%.1f,"
           "\"prompt_tokens_per_key\":%.1f,\"server_metric_prompt_tokens_per_key\":%.1f,"
           "\"first_token_p50_ms\":%.2f,\"first_token_p90_ms\":%.2f,\"server_prompt_ms_mean\":%.2f,"
           "\"latency_p50_ms\":%.2f,\"latency_p90_ms\":%.2f,\"generated_tokens_mean\":%.1f,"
           "\"tacit_own_p50_ms\":%.3f,\"tacit_own_p99_ms\":%.3f}\n",
           naive ? "naive" : "cache-friendly", nk, nk ? (double)prompt_n_sum / nk : 0,
           nk ? (double)evaluated_sum / nk : 0, tok0 >= 0 && tok1 >= 0 && nk ? (tok1 - tok0) / nk : -1,
           pct(first, nk, 0.5), pct(first, nk, 0.9), nk ? prompt_ms_sum / nk : 0, pct(lat, nk, 0.5),
           pct(lat, nk, 0.9), nk ? (double)predicted_sum / nk : 0, pct(own, nk, 0.5), pct(own, nk, 0.99));
    free(first);
    (void)cached_sum;
    free(lat);
    free(own);
    tc_buf_free(&buf);
    free(orig);
    ws_close(&w);
    return 0;
}

static size_t sink(char *p, size_t s, size_t n, void *ud)
{
    (void)p;
    (void)ud;
    return s * n;
}

static int cmd_overhead(const char *url, const char *root, const char *rel, int n)
{
    ws w;
    char path[2048];
    char *text;
    size_t len, k;
    double *ovh, *own, *direct, *ctxt;
    CURL *h = curl_easy_init();
    struct curl_slist *hd = curl_slist_append(NULL, "Content-Type: application/json");
    snprintf(path, sizeof path, "%s/%s", root, rel);
    if (!(text = slurp(path, &len))) FAIL("cannot read %s", path);
    ws_open(&w, url, root, 0, 0);
    ovh = calloc((size_t)n, sizeof *ovh);
    own = calloc((size_t)n, sizeof *own);
    direct = calloc((size_t)n, sizeof *direct);
    ctxt = calloc((size_t)n, sizeof *ctxt);
    for (k = 0; k < (size_t)n; k++) {
        size_t cur = len / 4 + (len / 2) * k / (size_t)n;
        tc_fim_input in;
        tc_ctx_info info;
        tc_http_msg m;
        tc_req *r = NULL;
        tc_buf sg = {0};
        double t0, t_tacit, t_direct, t_own;
        int rep;
        while (cur < len && text[cur] != '\n') cur++; /* end of a line */
        if (tc_ctx_build(w.ctx, &w.src, tc_backend_tokcount(w.b), "ws", rel, text, len, cur, &in, &info)) FAIL("ctx");
        if (tc_backend_build(w.b, &in, TC_REQ_COMPLETE, &m)) FAIL("build");
        /* warm the server's cache with this prompt, so both measured calls hit it */
        curl_easy_setopt(h, CURLOPT_URL, m.url.data);
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, m.body.data);
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
        curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
        curl_easy_perform(h);
        t_tacit = t_direct = 1e30;
        t_own = 0;
        for (rep = 0; rep < 3; rep++) {
            double a, bt, o0, o1;
            /* tacit: context + request + streaming + post-processing */
            t0 = now_ms();
            if (tc_ctx_build(w.ctx, &w.src, tc_backend_tokcount(w.b), "ws", rel, text, len, cur, &in, &info)) FAIL("ctx");
            if (rep == 1) ctxt[k] = now_ms() - t0;
            if (tc_backend_request_start(w.b, &in, &r)) FAIL("start");
            o0 = now_ms() - t0;
            wait_done(w.cl, r, 60000);
            o1 = now_ms();
            tc_req_suggestion(r, &sg);
            bt = now_ms() - t0;
            o0 += now_ms() - o1;
            tc_req_free(r);
            r = NULL;
            /* direct: the same body, blocking libcurl */
            t0 = now_ms();
            curl_easy_perform(h);
            a = now_ms() - t0;
            if (bt < t_tacit) {
                t_tacit = bt;
                t_own = o0;
            }
            if (a < t_direct) t_direct = a;
        }
        ovh[k] = t_tacit - t_direct;
        own[k] = t_own;
        direct[k] = t_direct;
        tc_buf_free(&sg);
        tc_http_msg_free(&m);
    }
    printf("{\"cursors\":%d,\"direct_p50_ms\":%.2f,\"overhead_p50_ms\":%.3f,\"overhead_p99_ms\":%.3f,"
           "\"tacit_own_p50_ms\":%.3f,\"tacit_own_p99_ms\":%.3f,\"context_p50_ms\":%.3f,\"context_p99_ms\":%.3f}\n",
           n, pct(direct, (size_t)n, 0.5), pct(ovh, (size_t)n, 0.5), pct(ovh, (size_t)n, 0.99), pct(own, (size_t)n, 0.5),
           pct(own, (size_t)n, 0.99), pct(ctxt, (size_t)n, 0.5), pct(ctxt, (size_t)n, 0.99));
    free(ctxt);
    curl_slist_free_all(hd);
    curl_easy_cleanup(h);
    free(ovh);
    free(own);
    free(direct);
    free(text);
    ws_close(&w);
    return 0;
}

int main(int argc, char **argv)
{
    tc_log_set_quiet(1);
    if (argc >= 5 && !strcmp(argv[1], "check")) return cmd_check(argv[2], argv[3], argv[4]);
    if (argc >= 3 && !strcmp(argv[1], "cancel")) return cmd_cancel(argv[2]);
    if (argc >= 3 && !strcmp(argv[1], "infill")) return cmd_infill(argv[2]);
    if (argc >= 4 && !strcmp(argv[1], "bounded")) return cmd_bounded(argv[2], argc - 3, argv + 3);
    if (argc >= 4 && !strcmp(argv[1], "deadline")) return cmd_deadline(argv[2], atoi(argv[3]));
    if (argc >= 4 && !strcmp(argv[1], "killmid")) return cmd_killmid(argv[2], atoi(argv[3]));
    if (argc >= 7 && !strcmp(argv[1], "bench")) {
        int naive = 0, n = 1 << 30, i;
        for (i = 7; i < argc; i++) {
            if (!strcmp(argv[i], "--naive")) naive = 1;
            else if (!strcmp(argv[i], "--n") && i + 1 < argc) n = atoi(argv[++i]);
        }
        return cmd_bench(argv[2], argv[3], argv[4], atol(argv[5]), atol(argv[6]), naive, n);
    }
    if (argc >= 6 && !strcmp(argv[1], "overhead")) return cmd_overhead(argv[2], argv[3], argv[4], atoi(argv[5]));
    fprintf(stderr, "usage: see the comment at the top of bench/backend_client.c\n");
    return 2;
}
