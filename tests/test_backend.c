/* test_backend.c - the server backends without a real server: recorded
 * exchanges (tests/exchanges/, see its README: Ollama and the hosted FIM
 * APIs cannot run here), deadlines, cancellation, fallback and backoff
 * against a misbehaving local HTTP server (fake_http.c), and settings.
 * The real llama.cpp server is exercised by tests/sh/llama_backend.sh. */
#include "backend/backend.h"
#include "backend/config.h"
#include "fake_http.h"
#include "test.h"
#include "util/log.h"
#include "util/status.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int warnings, infos;
static void count_log(int level, const char *msg, void *ud)
{
    (void)msg;
    (void)ud;
    if (level == TC_LOG_WARN) warnings++;
    else infos++;
}

static double ms_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + ts.tv_nsec * 1e-6;
}

static tc_backend_cfg cfg_for(tc_backend_type t, int port)
{
    static char url[64];
    tc_backend_cfg c;
    memset(&c, 0, sizeof c);
    snprintf(c.name, sizeof c.name, "test");
    c.type = t;
    snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
    c.url = url;
    c.stream = 1;
    c.n_predict = 64;
    c.first_byte_ms = 2000;
    c.total_ms = 4000;
    c.n_batch = 2048;
    return c;
}

/* Run r to completion (or timeout_ms). */
static void wait_req(tc_client *cl, tc_req *r, int timeout_ms)
{
    double t0 = ms_now();
    while (tc_req_state_of(r) == TC_REQ_RUNNING && ms_now() - t0 < timeout_ms) tc_client_wait(cl, 20);
}

/* ---- recorded exchanges ---------------------------------------------------------- */

typedef struct exchange {
    char backend[16], model[128], mode[16], fim[16];
    int stream, single_line, probe;
    char *prefix, *suffix;
    cJSON *extra;
    char headers[4][256];
    int nheaders;
    char method[8], path[128];
    cJSON *want_body;
    int status;
    char ctype[64];
    tc_buf reply;
    char kind[16]; /* text | facts | error */
    cJSON *want;
} exchange;

static char *json_string_line(const char *v)
{
    cJSON *j = cJSON_Parse(v);
    char *s = cJSON_IsString(j) ? strdup(j->valuestring) : NULL;
    cJSON_Delete(j);
    return s;
}

static int load_exchange(const char *path, exchange *x)
{
    FILE *fp = fopen(path, "r");
    char line[16384];
    int stage = 0; /* 0 header, 1 request body, 2 reply, 3 want */
    memset(x, 0, sizeof *x);
    x->stream = 1;
    if (!fp) return -1;
    while (fgets(line, sizeof line, fp)) {
        size_t n = strlen(line);
        char *v;
        if (stage < 2 && n && line[n - 1] == '\n') line[--n] = 0;
        if (stage == 0) {
            if (line[0] == '#' || !line[0]) continue;
            if (!strncmp(line, ">>> ", 4)) {
                sscanf(line + 4, "%7s %127s", x->method, x->path);
                stage = strcmp(x->method, "GET") ? 1 : 2;
                continue;
            }
            v = strchr(line, ':');
            if (!v) continue;
            *v++ = 0;
            while (*v == ' ') v++;
            if (!strcmp(line, "backend")) snprintf(x->backend, sizeof x->backend, "%s", v);
            else if (!strcmp(line, "model")) snprintf(x->model, sizeof x->model, "%s", v);
            else if (!strcmp(line, "mode")) snprintf(x->mode, sizeof x->mode, "%s", v);
            else if (!strcmp(line, "fim")) snprintf(x->fim, sizeof x->fim, "%s", v);
            else if (!strcmp(line, "stream")) x->stream = atoi(v);
            else if (!strcmp(line, "single_line")) x->single_line = atoi(v);
            else if (!strcmp(line, "probe")) x->probe = atoi(v);
            else if (!strcmp(line, "prefix")) x->prefix = json_string_line(v);
            else if (!strcmp(line, "suffix")) x->suffix = json_string_line(v);
            else if (!strcmp(line, "extra")) x->extra = cJSON_Parse(v);
            else if (!strcmp(line, "header") && x->nheaders < 4) snprintf(x->headers[x->nheaders++], 256, "%s", v);
        } else if (stage == 1) {
            if (!strncmp(line, "<<< ", 4)) stage = 2;
            else {
                x->want_body = cJSON_Parse(line);
                continue;
            }
        }
        if (stage == 2) {
            if (!strncmp(line, "<<< ", 4)) {
                sscanf(line + 4, "%d %63s", &x->status, x->ctype);
                continue;
            }
            if (!strncmp(line, "=== ", 4)) {
                sscanf(line + 4, "%15s", x->kind);
                stage = 3;
                continue;
            }
            tc_buf_puts(&x->reply, line);
        } else if (stage == 3 && !x->want) {
            x->want = cJSON_Parse(line);
        }
    }
    fclose(fp);
    if (!x->reply.data) tc_buf_puts(&x->reply, "");
    return x->method[0] && x->kind[0] && x->want ? 0 : -1;
}

static void free_exchange(exchange *x)
{
    free(x->prefix);
    free(x->suffix);
    cJSON_Delete(x->extra);
    cJSON_Delete(x->want_body);
    cJSON_Delete(x->want);
    tc_buf_free(&x->reply);
}

/* Every key of want is in got with an equal value (objects recursively). */
static int json_subset(const cJSON *want, const cJSON *got, char *where, size_t n)
{
    const cJSON *w;
    if (!cJSON_IsObject(want)) {
        if (cJSON_Compare(want, got, 1)) return 1;
        return 0;
    }
    if (!cJSON_IsObject(got)) return 0;
    cJSON_ArrayForEach(w, want)
    {
        const cJSON *g = cJSON_GetObjectItemCaseSensitive(got, w->string);
        if (!g || !json_subset(w, g, where, n)) {
            snprintf(where, n, "key \"%s\"", w->string);
            return 0;
        }
    }
    return 1;
}

static void run_exchange(const char *path)
{
    exchange x;
    fake_resp resp;
    fake_http *f;
    tc_client *cl = NULL;
    tc_backend *b = NULL;
    tc_backend_cfg cfg;
    tc_backend_type type = TC_BACKEND_NONE;
    tc_fim_chunk chunks[4];
    tc_fim_input in;
    tc_req *r = NULL;
    char what[700], where[128] = "";
    int i;
    if (load_exchange(path, &x)) {
        snprintf(what, sizeof what, "%s: cannot parse the exchange", path);
        tc_test_fail(__FILE__, __LINE__, what);
        free_exchange(&x);
        return;
    }
    memset(&resp, 0, sizeof resp);
    resp.status = x.status;
    resp.ctype = x.ctype;
    resp.body = x.reply.data;
    resp.line_delay_ms = x.stream ? 1 : 0;
    f = fake_http_start(&resp, 1);
    TC_CHECK(f != NULL);
    if (!f) return;
    for (i = 1; i < TC_BACKEND_TYPE_COUNT; i++)
        if (!strcmp(x.backend, tc_backend_type_name((tc_backend_type)i))) type = (tc_backend_type)i;
    cfg = cfg_for(type, fake_http_port(f));
    cfg.model = x.model[0] ? x.model : NULL;
    cfg.raw = !strcmp(x.mode, "raw");
    cfg.stream = x.stream;
    cfg.api_key_env = "TACIT_TEST_KEY";
    if (x.fim[0]) tc_fim_family_parse(x.fim, &cfg.fim);
    setenv("TACIT_TEST_KEY", "test-key-123", 1);
    TC_CHECK_EQ_INT(tc_client_new(&cl), TC_OK);
    TC_CHECK_EQ_INT(tc_backend_open(cl, &cfg, &b), TC_OK);
    if (x.probe) {
        char err[256] = "";
        const tc_backend_facts *fa;
        const cJSON *v;
        TC_CHECK_EQ_INT(tc_backend_probe(b, 2000, err, sizeof err), TC_OK);
        fa = tc_backend_facts_of(b);
        if ((v = cJSON_GetObjectItem(x.want, "fim"))) TC_CHECK_STR(tc_fim_family_name(fa->fim), v->valuestring);
        if ((v = cJSON_GetObjectItem(x.want, "fim_ok"))) TC_CHECK_EQ_INT(fa->fim_ok, v->valueint);
        if ((v = cJSON_GetObjectItem(x.want, "n_ctx"))) TC_CHECK_EQ_INT(fa->n_ctx, v->valueint);
        if ((v = cJSON_GetObjectItem(x.want, "chat_model"))) {
            TC_CHECK_EQ_INT(fa->chat_model, v->valueint);
            TC_CHECK_EQ_INT(!!fa->note[0], v->valueint); /* a plain warning for chat models */
        }
    } else {
        memset(&in, 0, sizeof in);
        in.path = "main.py";
        in.prefix = x.prefix ? x.prefix : "";
        in.nprefix = strlen(in.prefix);
        in.suffix = x.suffix ? x.suffix : "";
        in.nsuffix = strlen(in.suffix);
        in.single_line = x.single_line;
        if (cJSON_IsArray(x.extra)) {
            const cJSON *e;
            cJSON_ArrayForEach(e, x.extra)
            {
                tc_fim_chunk *c = &chunks[in.nextra++];
                memset(c, 0, sizeof *c);
                c->path = cJSON_GetObjectItem(e, "filename")->valuestring;
                c->text = cJSON_GetObjectItem(e, "text")->valuestring;
                c->len = strlen(c->text);
                if (in.nextra == 4) break;
            }
            in.extra = chunks;
        }
        cfg.warmup = 0;
        TC_CHECK_EQ_INT(tc_backend_request_start(b, &in, &r), TC_OK);
        if (r) {
            wait_req(cl, r, 5000);
            if (!strcmp(x.kind, "text")) {
                TC_CHECK_EQ_INT(tc_req_state_of(r), TC_REQ_DONE);
                TC_CHECK_STR(tc_req_text(r, NULL), x.want->valuestring);
            } else {
                TC_CHECK_EQ_INT(tc_req_state_of(r), TC_REQ_FAILED);
                TC_CHECK(strstr(tc_req_error(r), x.want->valuestring) != NULL);
            }
        }
    }
    /* what tacit sent */
    TC_CHECK(fake_http_nreq(f, 1, 2000) >= 1);
    {
        char want_line[160];
        cJSON *got = cJSON_Parse(fake_http_req_body(f, 0));
        snprintf(want_line, sizeof want_line, "%s %s", x.method, x.path);
        TC_CHECK_STR(fake_http_req_line(f, 0), want_line);
        if (x.want_body) {
            int ok = json_subset(x.want_body, got, where, sizeof where);
            if (!ok) {
                snprintf(what, sizeof what, "%s: request body differs at %s: %.200s", path, where,
                         fake_http_req_body(f, 0));
                tc_test_fail(__FILE__, __LINE__, what);
            }
        }
        for (i = 0; i < x.nheaders; i++)
            if (!strstr(fake_http_req_headers(f, 0), x.headers[i])) {
                snprintf(what, sizeof what, "%s: header '%s' not sent", path, x.headers[i]);
                tc_test_fail(__FILE__, __LINE__, what);
            }
        cJSON_Delete(got);
    }
    tc_req_free(r);
    tc_backend_free(b);
    tc_client_free(cl);
    fake_http_stop(f);
    free_exchange(&x);
}

TC_TEST(recorded_exchanges)
{
    DIR *d = opendir("tests/exchanges");
    struct dirent *e;
    int n = 0;
    TC_CHECK(d != NULL);
    if (!d) return;
    tc_log_set_sink(count_log, NULL);
    while ((e = readdir(d))) {
        char path[512];
        size_t l = strlen(e->d_name);
        if (l < 6 || strcmp(e->d_name + l - 5, ".http")) continue;
        snprintf(path, sizeof path, "tests/exchanges/%s", e->d_name);
        run_exchange(path);
        n++;
    }
    closedir(d);
    tc_log_set_sink(NULL, NULL);
    TC_CHECK(n >= 10);
}

/* ---- deadlines, cancellation, fallback ------------------------------------------- */

static tc_fim_input simple_input(void)
{
    tc_fim_input in;
    memset(&in, 0, sizeof in);
    in.path = "a.c";
    in.prefix = "int main(void) {\n    ";
    in.nprefix = strlen(in.prefix);
    in.suffix = "\n}\n";
    in.nsuffix = strlen(in.suffix);
    return in;
}

TC_TEST(backend_first_byte_deadline)
{
    fake_resp hang = {200, "application/json", "", 0, 0, FAKE_HANG};
    fake_http *f = fake_http_start(&hang, 1);
    tc_client *cl = NULL;
    tc_backend *b = NULL;
    tc_backend_cfg c = cfg_for(TC_BACKEND_LLAMA, fake_http_port(f));
    tc_fim_input in = simple_input();
    tc_req *r = NULL;
    double t0;
    warnings = 0;
    tc_log_set_sink(count_log, NULL);
    c.first_byte_ms = 300;
    tc_client_new(&cl);
    TC_CHECK_EQ_INT(tc_backend_open(cl, &c, &b), TC_OK);
    t0 = ms_now();
    TC_CHECK_EQ_INT(tc_backend_request_start(b, &in, &r), TC_OK);
    wait_req(cl, r, 5000);
    TC_CHECK_EQ_INT(tc_req_state_of(r), TC_REQ_FAILED);
    TC_CHECK(strstr(tc_req_error(r), "no reply within 300 ms") != NULL);
    TC_CHECK(ms_now() - t0 >= 290 && ms_now() - t0 < 1500);
    TC_CHECK_EQ_INT(warnings, 1);
    TC_CHECK(tc_backend_in_backoff(b));
    tc_req_free(r);
    tc_backend_free(b);
    tc_client_free(cl);
    fake_http_stop(f);
    tc_log_set_sink(NULL, NULL);
}

/* A plain text request (the next-edit prompt) is never streamed: its first
 * byte is the whole answer, so a reply slower than first_byte_ms is still
 * an answer, and the server is not put in backoff for it. */
TC_TEST(backend_text_request_has_no_first_byte_timeout)
{
    fake_resp slow = {200, "application/json", "{\"content\":\"int x;\",\"stop\":true}", 500, 0, FAKE_NORMAL};
    fake_http *f = fake_http_start(&slow, 1);
    tc_client *cl = NULL;
    tc_backend *b = NULL;
    tc_backend_cfg c = cfg_for(TC_BACKEND_LLAMA, fake_http_port(f));
    tc_req *r = NULL;
    const char *text;
    size_t n = 0;
    warnings = 0;
    tc_log_set_sink(count_log, NULL);
    c.first_byte_ms = 150;
    tc_client_new(&cl);
    TC_CHECK_EQ_INT(tc_backend_open(cl, &c, &b), TC_OK);
    TC_CHECK_EQ_INT(tc_backend_text_start(b, "int", 16, ms_now() + 4000, &r), TC_OK);
    wait_req(cl, r, 5000);
    TC_CHECK_EQ_INT(tc_req_state_of(r), TC_REQ_DONE);
    text = tc_req_text(r, &n);
    TC_CHECK(text && n == 6 && !memcmp(text, "int x;", 6));
    TC_CHECK_EQ_INT(warnings, 0);
    TC_CHECK(!tc_backend_in_backoff(b));
    tc_req_free(r);
    tc_backend_free(b);
    tc_client_free(cl);
    fake_http_stop(f);
    tc_log_set_sink(NULL, NULL);
}

TC_TEST(backend_total_deadline_and_first_line)
{
    static const char body[] = "data: {\"content\":\"x = 1;\\n\"}\n\ndata: {\"content\":\"y\"}\n\n"
                               "data: {\"content\":\"z\"}\n\ndata: {\"content\":\"w\"}\n\n"
                               "data: {\"content\":\"v\",\"stop\":true}\n\n";
    fake_resp slow = {200, "text/event-stream", body, 0, 150, FAKE_NORMAL};
    fake_http *f = fake_http_start(&slow, 1);
    tc_client *cl = NULL;
    tc_backend *b = NULL;
    tc_backend_cfg c = cfg_for(TC_BACKEND_LLAMA, fake_http_port(f));
    tc_fim_input in = simple_input();
    tc_req *r = NULL;
    int saw_line_early = 0;
    double t0 = ms_now();
    tc_log_set_sink(count_log, NULL);
    c.total_ms = 700;
    tc_client_new(&cl);
    tc_backend_open(cl, &c, &b);
    TC_CHECK_EQ_INT(tc_backend_request_start(b, &in, &r), TC_OK);
    while (tc_req_state_of(r) == TC_REQ_RUNNING && ms_now() - t0 < 5000) {
        tc_client_wait(cl, 20);
        if (tc_req_has_line(r) && tc_req_state_of(r) == TC_REQ_RUNNING) saw_line_early = 1;
    }
    TC_CHECK(saw_line_early); /* a first line can be shown while the rest streams */
    TC_CHECK_EQ_INT(tc_req_state_of(r), TC_REQ_FAILED);
    TC_CHECK(strstr(tc_req_error(r), "no complete reply within 700 ms") != NULL);
    TC_CHECK(ms_now() - t0 < 1500);
    tc_req_free(r);
    tc_backend_free(b);
    tc_client_free(cl);
    fake_http_stop(f);
    tc_log_set_sink(NULL, NULL);
}

TC_TEST(backend_cancel_closes_the_connection)
{
    static const char body[] = "data: {\"content\":\"a\"}\n\ndata: {\"content\":\"b\"}\n\ndata: {\"content\":\"c\"}\n\n"
                               "data: {\"content\":\"d\"}\n\ndata: {\"content\":\"e\",\"stop\":true}\n\n";
    fake_resp slow = {200, "text/event-stream", body, 0, 200, FAKE_NORMAL};
    fake_http *f = fake_http_start(&slow, 1);
    tc_client *cl = NULL;
    tc_backend *b = NULL;
    tc_backend_cfg c = cfg_for(TC_BACKEND_LLAMA, fake_http_port(f));
    tc_fim_input in = simple_input();
    tc_req *r = NULL;
    double t0 = ms_now();
    size_t n;
    tc_client_new(&cl);
    tc_backend_open(cl, &c, &b);
    TC_CHECK_EQ_INT(tc_backend_request_start(b, &in, &r), TC_OK);
    while (!tc_req_text(r, &n)[0] && ms_now() - t0 < 3000) tc_client_wait(cl, 10);
    TC_CHECK_STR(tc_req_text(r, NULL), "a");
    tc_req_cancel(r);
    TC_CHECK_EQ_INT(tc_req_state_of(r), TC_REQ_CANCELLED);
    TC_CHECK_EQ_INT(tc_client_running(cl), 0);
    /* the server notices at its next write */
    t0 = ms_now();
    while (!fake_http_client_gone(f) && ms_now() - t0 < 2000) tc_client_wait(cl, 20);
    TC_CHECK(fake_http_client_gone(f));
    TC_CHECK(!tc_backend_in_backoff(b)); /* cancelling is not a failure */
    tc_req_free(r);
    tc_backend_free(b);
    tc_client_free(cl);
    fake_http_stop(f);
}

TC_TEST(backend_fallback_and_backoff)
{
    static const char ok[] = "{\"content\":\"return 0;\",\"stop\":true,\"tokens_evaluated\":9}";
    fake_resp cut = {200, "text/event-stream", "data: {\"content\":\"ret\"}\n\ndata: {\"content\":\"urn\"}\n\n", 0, 0,
                     FAKE_CUT};
    fake_resp resps[2] = {{200, "application/json", ok, 0, 0, FAKE_NORMAL}, {200, "application/json", ok, 0, 0, 0}};
    fake_http *f;
    tc_client *cl = NULL;
    tc_backend *b = NULL;
    tc_backend_cfg c;
    tc_fim_input in = simple_input();
    tc_req *r = NULL;
    int i, refused = 0;
    warnings = infos = 0;
    tc_log_set_sink(count_log, NULL);
    /* a server killed mid-reply */
    f = fake_http_start(&cut, 1);
    c = cfg_for(TC_BACKEND_LLAMA, fake_http_port(f));
    tc_client_new(&cl);
    tc_backend_open(cl, &c, &b);
    TC_CHECK_EQ_INT(tc_backend_request_start(b, &in, &r), TC_OK);
    wait_req(cl, r, 3000);
    TC_CHECK_EQ_INT(tc_req_state_of(r), TC_REQ_FAILED);
    tc_req_free(r);
    r = NULL;
    TC_CHECK_EQ_INT(warnings, 1);
    /* while in backoff, requests are refused at once: the embedded model answers */
    for (i = 0; i < 20; i++)
        if (tc_backend_request_start(b, &in, &r) == TC_EIO) refused++;
        else {
            tc_req_free(r);
            r = NULL;
        }
    TC_CHECK_EQ_INT(refused, 20);
    /* with a deadline too: refused at once (the caller keeps the embedded suggestion) */
    TC_CHECK_EQ_INT(tc_backend_request_start_by(b, &in, tc_backend_clock_ms() + 200, &r), TC_EIO);
    TC_CHECK(r == NULL);
    fake_http_stop(f);
    tc_backend_free(b);
    /* a dead port: connection refused; one warning per outage, not per keystroke */
    f = fake_http_start(resps, 2);
    c = cfg_for(TC_BACKEND_LLAMA, 1); /* nothing listens on port 1 */
    warnings = 0;
    tc_backend_open(cl, &c, &b);
    for (i = 0; i < 5; i++) {
        if (tc_backend_request_start(b, &in, &r) == TC_OK) {
            wait_req(cl, r, 2000);
            TC_CHECK_EQ_INT(tc_req_state_of(r), TC_REQ_FAILED);
            tc_req_free(r);
            r = NULL;
        }
    }
    TC_CHECK_EQ_INT(warnings, 1);
    tc_backend_free(b);
    /* a healthy server answers within the deadline */
    c = cfg_for(TC_BACKEND_LLAMA, fake_http_port(f));
    tc_backend_open(cl, &c, &b);
    TC_CHECK_EQ_INT(tc_backend_request_start_by(b, &in, tc_backend_clock_ms() + 2000, &r), TC_OK);
    wait_req(cl, r, 3000);
    TC_CHECK_EQ_INT(tc_req_state_of(r), TC_REQ_DONE);
    TC_CHECK_STR(tc_req_text(r, NULL), "return 0;");
    tc_req_free(r);
    tc_backend_free(b);
    tc_client_free(cl);
    fake_http_stop(f);
    tc_log_set_sink(NULL, NULL);
}

TC_TEST(backend_warmup_when_chunks_change)
{
    static const char ok[] = "{\"content\":\"x\",\"stop\":true}";
    fake_resp resps[4] = {{200, "application/json", ok, 0, 0, 0}, {200, "application/json", ok, 0, 0, 0},
                          {200, "application/json", ok, 0, 0, 0}, {200, "application/json", ok, 0, 0, 0}};
    fake_http *f = fake_http_start(resps, 4);
    tc_client *cl = NULL;
    tc_backend *b = NULL;
    tc_backend_cfg c = cfg_for(TC_BACKEND_LLAMA, fake_http_port(f));
    tc_fim_input in = simple_input();
    tc_fim_chunk ch = {"lib.c", "int helper(void);\n", 18, 5, 1, TC_CHUNK_RETRIEVED};
    tc_req *r = NULL;
    size_t i, warm = 0;
    c.warmup = 1;
    in.extra = &ch;
    in.nextra = 1;
    tc_client_new(&cl);
    tc_backend_open(cl, &c, &b);
    for (i = 0; i < 3; i++) { /* three keystrokes, same chunks: one warm-up */
        TC_CHECK_EQ_INT(tc_backend_request_start(b, &in, &r), TC_OK);
        wait_req(cl, r, 3000);
        TC_CHECK_EQ_INT(tc_req_state_of(r), TC_REQ_DONE);
        tc_req_free(r);
        r = NULL;
    }
    fake_http_nreq(f, 4, 2000);
    for (i = 0; i < fake_http_nreq(f, 0, 0); i++) {
        cJSON *j = cJSON_Parse(fake_http_req_body(f, i));
        const cJSON *np = cJSON_GetObjectItem(j, "n_predict");
        if (cJSON_IsNumber(np) && np->valueint == 0) {
            warm++;
            TC_CHECK_STR(cJSON_GetObjectItem(j, "input_prefix")->valuestring, "");
            TC_CHECK_EQ_INT(cJSON_GetArraySize(cJSON_GetObjectItem(j, "input_extra")), 1);
        }
        cJSON_Delete(j);
    }
    TC_CHECK_EQ_INT(fake_http_nreq(f, 0, 0), 4);
    TC_CHECK_EQ_INT(warm, 1);
    tc_backend_free(b);
    tc_client_free(cl);
    fake_http_stop(f);
}

/* ---- settings ---------------------------------------------------------------------- */

TC_TEST(config_file_env_json_precedence)
{
    tc_config c;
    char path[512], err[256] = "";
    FILE *fp;
    char *envp[] = {"TACIT_BACKEND_LOCAL_URL=http://127.0.0.1:9999", "TACIT_CONTEXT_MAX_TOKENS=1024",
                    "TACIT_PRIVACY_SECRET_FILES=*.vault", "TACIT_CACHE_DIR=/tmp/ignored", NULL};
    cJSON *js;
    const tc_backend_cfg *b;
    snprintf(path, sizeof path, "%s/config.ini", tc_test_tmpdir());
    fp = fopen(path, "w");
    fputs("; tacit settings\n[general]\nbackend = local\ndeadline_ms = 250\n\n[context]\nmax_tokens = 4096\n"
          "retrieved = 2\n\n[privacy]\nsecret_files = *.tfvars, keys/*\n\n[backend.local]\ntype = llama\n"
          "url = http://127.0.0.1:8012/\nfim = qwen\nn_predict = 32\n\n[backend.cloud]\ntype = mistral\n"
          "api_key_env = MY_KEY\n",
          fp);
    fclose(fp);
    tc_config_init(&c);
    TC_CHECK_EQ_INT(tc_config_load_file(&c, path, err, sizeof err), TC_OK);
    b = tc_config_backend(&c, NULL);
    TC_CHECK(b != NULL);
    if (!b) return;
    TC_CHECK_STR(b->url, "http://127.0.0.1:8012"); /* trailing slash dropped */
    TC_CHECK_EQ_INT(b->type, TC_BACKEND_LLAMA);
    TC_CHECK_EQ_INT(b->fim, TC_FIM_QWEN);
    TC_CHECK_EQ_INT(b->n_predict, 32);
    TC_CHECK_EQ_INT(c.ctx.max_tokens, 4096);
    TC_CHECK_EQ_INT(c.ctx.n_retrieved, 2);
    TC_CHECK_EQ_INT(c.deadline_ms, 250);
    TC_CHECK_STR(tc_config_backend(&c, "cloud")->api_key_env, "MY_KEY");
    /* the environment overrides the file */
    TC_CHECK_EQ_INT(tc_config_load_env(&c, envp, err, sizeof err), TC_OK);
    TC_CHECK_STR(tc_config_backend(&c, NULL)->url, "http://127.0.0.1:9999");
    TC_CHECK_EQ_INT(c.ctx.max_tokens, 1024);
    TC_CHECK_STR(c.secret_files, "*.tfvars, keys/*,*.vault");
    /* LSP initializationOptions override both */
    js = cJSON_Parse("{\"tacit\":{\"deadline_ms\":120,\"context\":{\"max_tokens\":512},"
                     "\"backends\":{\"local\":{\"n_predict\":16,\"stream\":false}},\"privacy\":{\"secret_files\":[\"a.b\"]}}}");
    TC_CHECK_EQ_INT(tc_config_load_json(&c, js, err, sizeof err), TC_OK);
    cJSON_Delete(js);
    TC_CHECK_EQ_INT(c.deadline_ms, 120);
    TC_CHECK_EQ_INT(c.ctx.max_tokens, 512);
    TC_CHECK_EQ_INT(tc_config_backend(&c, NULL)->n_predict, 16);
    TC_CHECK_EQ_INT(tc_config_backend(&c, NULL)->stream, 0);
    TC_CHECK(c.norigin >= 10);
    TC_CHECK(strstr(c.origin[c.norigin - 1], "initializationOptions") != NULL);
    /* errors say what and where */
    TC_CHECK_EQ_INT(tc_config_set(&c, "backend.local", "type", "gpt", "test", err, sizeof err), TC_EINVAL);
    TC_CHECK(strstr(err, "not one of llama") != NULL);
    TC_CHECK_EQ_INT(tc_config_set(&c, "backend.local", "api_key", "sk-123", "test", err, sizeof err), TC_EINVAL);
    TC_CHECK(strstr(err, "api_key_env") != NULL);
    TC_CHECK_EQ_INT(tc_config_set(&c, "context", "max_tokens", "lots", "test", err, sizeof err), TC_EINVAL);
    TC_CHECK_EQ_INT(tc_config_set(&c, "colour", "x", "1", "test", err, sizeof err), TC_EINVAL);
    fp = fopen(path, "w");
    fputs("[general]\nbackend = local\nthis line is wrong\n", fp);
    fclose(fp);
    TC_CHECK_EQ_INT(tc_config_load_file(&c, path, err, sizeof err), TC_EINVAL);
    TC_CHECK(strstr(err, ":3") != NULL);
    /* a FIFO named as the settings file is refused at once, never waited on */
    {
        char fifo[512];
        snprintf(fifo, sizeof fifo, "%s/config-fifo.ini", tc_test_tmpdir());
        unlink(fifo);
        TC_CHECK_EQ_INT(mkfifo(fifo, 0600), 0);
        TC_CHECK_EQ_INT(tc_config_load_file(&c, fifo, err, sizeof err), TC_EINVAL);
        TC_CHECK(strstr(err, "not a regular file") != NULL);
        unlink(fifo);
    }
    tc_config_free(&c);
    /* a type name as the backend: usable with its defaults */
    tc_config_init(&c);
    TC_CHECK_EQ_INT(tc_config_set(&c, "general", "backend", "ollama", "test", err, sizeof err), TC_OK);
    TC_CHECK(tc_config_backend(&c, NULL) != NULL);
    TC_CHECK_EQ_INT(tc_config_backend(&c, NULL)->type, TC_BACKEND_OLLAMA);
    tc_config_free(&c);
}

TC_TEST(backend_llama_request_shape)
{
    tc_client *cl = NULL;
    tc_backend *b = NULL;
    tc_backend_cfg c = cfg_for(TC_BACKEND_LLAMA, 8080);
    tc_fim_input in = simple_input();
    tc_http_msg m;
    cJSON *j;
    tc_client_new(&cl);
    c.api_key_env = "SOME_KEY";
    tc_backend_open(cl, &c, &b);
    setenv("SOME_KEY", "secret-value-1234", 1);
    in.indent = 4;
    TC_CHECK_EQ_INT(tc_backend_build(b, &in, TC_REQ_COMPLETE, &m), TC_OK);
    TC_CHECK_STR(m.url.data, "http://127.0.0.1:8080/infill");
    TC_CHECK_STR(m.headers[1], "Authorization: Bearer ${SOME_KEY}"); /* never the key itself */
    TC_CHECK(strstr(m.body.data, "secret-value") == NULL);
    j = cJSON_Parse(m.body.data);
    TC_CHECK_EQ_INT(cJSON_GetObjectItem(j, "n_indent")->valueint, 4);
    {
        /* greedy at temperature 0 needs the temperature sampler; no "infill"
         * sampler (it ends answers at once); a fixed seed */
        char *sm = cJSON_PrintUnformatted(cJSON_GetObjectItem(j, "samplers"));
        TC_CHECK_STR(sm, "[\"top_k\",\"top_p\",\"temperature\"]");
        free(sm);
        TC_CHECK(cJSON_IsNumber(cJSON_GetObjectItem(j, "seed")));
        TC_CHECK_EQ_INT(cJSON_GetObjectItem(j, "temperature")->valueint, 0);
    }
    TC_CHECK(cJSON_IsTrue(cJSON_GetObjectItem(j, "cache_prompt")));
    TC_CHECK_STR(cJSON_GetObjectItem(j, "input_prefix")->valuestring, in.prefix);
    cJSON_Delete(j);
    tc_http_msg_free(&m);
    tc_backend_free(b);
    tc_client_free(cl);
}

/* An editor's loop: poll() on the client's descriptors next to its own. */
TC_TEST(backend_poll_loop_integration)
{
    static const char ok[] = "data: {\"content\":\"ok()\"}\n\ndata: {\"content\":\"\",\"stop\":true}\n\n";
    fake_resp resp = {200, "text/event-stream", ok, 50, 10, FAKE_NORMAL};
    fake_http *f = fake_http_start(&resp, 1);
    tc_client *cl = NULL;
    tc_backend *b = NULL;
    tc_backend_cfg c = cfg_for(TC_BACKEND_LLAMA, fake_http_port(f));
    tc_fim_input in = simple_input();
    tc_req *r = NULL;
    int loops = 0, saw_fds = 0, timeout;
    double t0 = ms_now();
    tc_client_new(&cl);
    tc_backend_open(cl, &c, &b);
    TC_CHECK_EQ_INT(tc_backend_request_start(b, &in, &r), TC_OK);
    while (tc_req_state_of(r) == TC_REQ_RUNNING && ms_now() - t0 < 3000) {
        struct pollfd fds[16];
        size_t n = tc_client_pollfds(cl, fds, 16, &timeout);
        saw_fds |= n > 0;
        TC_CHECK(timeout >= 0 && timeout <= 100);
        poll(fds, n, timeout);
        tc_client_perform(cl);
        loops++;
    }
    TC_CHECK_EQ_INT(tc_req_state_of(r), TC_REQ_DONE);
    TC_CHECK(saw_fds);
    TC_CHECK(loops < 200); /* woken by the socket, not spinning */
    TC_CHECK_STR(tc_req_text(r, NULL), "ok()");
    {
        int t;
        struct pollfd fds[4];
        TC_CHECK_EQ_INT(tc_client_pollfds(cl, fds, 4, &t), 0);
        TC_CHECK_EQ_INT(t, -1); /* nothing in flight: wait on your own fds only */
    }
    tc_req_free(r);
    tc_backend_free(b);
    tc_client_free(cl);
    fake_http_stop(f);
}

/* A server whose accept queue is full: the connection is never set up, the
 * connect deadline ends the request. */
TC_TEST(backend_connect_deadline)
{
    struct sockaddr_in a;
    socklen_t al = sizeof a;
    int lfd = socket(AF_INET, SOCK_STREAM, 0), filler[4], nf = 0, i;
    tc_client *cl = NULL;
    tc_backend *b = NULL;
    tc_backend_cfg c;
    tc_fim_input in = simple_input();
    tc_req *r = NULL;
    double t0;
    tc_log_set_sink(count_log, NULL);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    TC_CHECK(bind(lfd, (struct sockaddr *)&a, sizeof a) == 0 && listen(lfd, 0) == 0);
    getsockname(lfd, (struct sockaddr *)&a, &al);
    /* fill the queue: connections that complete are never accepted */
    for (i = 0; i < 4; i++) {
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        connect(fd, (struct sockaddr *)&a, sizeof a);
        filler[nf++] = fd;
    }
    c = cfg_for(TC_BACKEND_LLAMA, ntohs(a.sin_port));
    c.connect_ms = 300;
    c.first_byte_ms = 5000;
    tc_client_new(&cl);
    tc_backend_open(cl, &c, &b);
    t0 = ms_now();
    TC_CHECK_EQ_INT(tc_backend_request_start(b, &in, &r), TC_OK);
    wait_req(cl, r, 5000);
    TC_CHECK_EQ_INT(tc_req_state_of(r), TC_REQ_FAILED);
    TC_CHECK(strstr(tc_req_error(r), "no connection within 300 ms") != NULL);
    TC_CHECK(ms_now() - t0 >= 250 && ms_now() - t0 < 2000);
    tc_req_free(r);
    tc_backend_free(b);
    tc_client_free(cl);
    for (i = 0; i < nf; i++) close(filler[i]);
    close(lfd);
    tc_log_set_sink(NULL, NULL);
}

/* ---- deadlines on every network call (fake server with one behaviour per endpoint) ---- */

static const char props_ok[] = "{\"model_path\":\"/m/tiny.gguf\",\"default_generation_settings\":{\"n_ctx\":4096},"
                               "\"bos_token\":\"<|endoftext|>\"}";
static const char infill_ok[] = "{\"content\":\"return 0;\",\"stop\":true}";

/* A stand-in /tokenize: "content" is strings separated by -1; Qwen's FIM
 * markers (specials parsed) are one token each, any other string ceil(bytes
 * / 4) tokens. */
static char *fake_tokenize(const char *req)
{
    cJSON *j = cJSON_Parse(req), *c, *it, *out = cJSON_CreateObject(), *toks = cJSON_AddArrayToObject(out, "tokens");
    char *s;
    int special = 0, id = 100;
    if (cJSON_IsTrue(cJSON_GetObjectItem(j, "parse_special"))) special = 1;
    c = cJSON_GetObjectItem(j, "content");
    cJSON_ArrayForEach(it, c)
    {
        if (cJSON_IsNumber(it)) {
            cJSON_AddItemToArray(toks, cJSON_CreateNumber(it->valuedouble));
        } else if (cJSON_IsString(it)) {
            const char *t = it->valuestring;
            size_t n = strlen(t), k, i;
            k = special && (!strcmp(t, "<|fim_prefix|>") || !strcmp(t, "<|repo_name|>") || !strcmp(t, "<|file_sep|>"))
                    ? 1
                    : (n + 3) / 4;
            for (i = 0; i < k; i++) cJSON_AddItemToArray(toks, cJSON_CreateNumber(id++));
        }
    }
    s = cJSON_PrintUnformatted(out);
    cJSON_Delete(j);
    cJSON_Delete(out);
    return s;
}

static int all_settled(tc_client *cl, tc_backend *b, int timeout_ms)
{
    double t0 = ms_now();
    while ((tc_backend_tokens_busy(b) || tc_client_running(cl)) && ms_now() - t0 < timeout_ms) tc_client_wait(cl, 20);
    return !tc_backend_tokens_busy(b);
}

TC_TEST(backend_probe_hanging_server_returns_by_deadline)
{
    fake_route routes[2] = {{"/props", {200, "application/json", "", 0, 0, FAKE_HANG}, 0, NULL},
                            {"/tokenize", {200, "application/json", "", 0, 0, FAKE_HANG}, 0, NULL}};
    fake_http *f = fake_http_start_routes(routes, 2);
    tc_client *cl = NULL;
    tc_backend *b = NULL;
    tc_backend_cfg c = cfg_for(TC_BACKEND_LLAMA, fake_http_port(f));
    char err[512] = "";
    warnings = 0;
    tc_log_set_sink(count_log, NULL);
    c.first_byte_ms = 60000; /* only the caller's deadline can end it */
    tc_client_new(&cl);
    tc_backend_open(cl, &c, &b);
    TC_CHECK_EQ_INT(tc_backend_probe(b, 300, err, sizeof err), TC_EIO);
    TC_CHECK_EQ_INT(tc_backend_probe_state(b), TC_PROBE_FAILED);
    TC_CHECK(strstr(err, "no answer within 300 ms") != NULL);
    TC_CHECK(!tc_backend_facts_of(b)->probed);
    TC_CHECK(tc_backend_in_backoff(b)); /* a server that never answers is down */
    TC_CHECK_EQ_INT(warnings, 1);
    /* the two questions went out together, once each */
    TC_CHECK_EQ_INT(fake_http_count(f, "/props"), 1);
    TC_CHECK_EQ_INT(fake_http_count(f, "/tokenize"), 1);
    /* and the async form returns at once */
    TC_CHECK_EQ_INT(tc_backend_probe_start(b, tc_backend_clock_ms() + 100), TC_EIO); /* backoff */
    tc_backend_free(b);
    /* a backend freed while its probe runs: no warning (not the server's fault) */
    tc_backend_open(cl, &c, &b);
    TC_CHECK_EQ_INT(tc_backend_probe_start(b, tc_backend_clock_ms() + 5000), TC_OK);
    TC_CHECK_EQ_INT(tc_backend_probe_state(b), TC_PROBE_RUNNING);
    tc_backend_free(b);
    TC_CHECK_EQ_INT(tc_client_running(cl), 0);
    TC_CHECK_EQ_INT(warnings, 1);
    tc_client_free(cl);
    fake_http_stop(f);
    tc_log_set_sink(NULL, NULL);
}

TC_TEST(backend_probe_facts_from_one_tokenize)
{
    fake_route routes[2] = {{"/props", {200, "application/json", props_ok, 0, 0, 0}, 0, NULL},
                            {"/tokenize", {200, "application/json", NULL, 0, 0, 0}, 0, fake_tokenize}};
    fake_http *f = fake_http_start_routes(routes, 2);
    tc_client *cl = NULL;
    tc_backend *b = NULL;
    tc_backend_cfg c = cfg_for(TC_BACKEND_LLAMA, fake_http_port(f));
    const tc_backend_facts *fa;
    char err[512] = "";
    tc_client_new(&cl);
    tc_backend_open(cl, &c, &b);
    TC_CHECK_EQ_INT(tc_backend_probe_start(b, tc_backend_clock_ms() + 3000), TC_OK);
    TC_CHECK_EQ_INT(tc_backend_probe_state(b), TC_PROBE_RUNNING); /* returned at once */
    TC_CHECK_EQ_INT(tc_backend_probe(b, 3000, err, sizeof err), TC_OK); /* waits for the one running */
    fa = tc_backend_facts_of(b);
    TC_CHECK(fa->probed && fa->has_tokenizer);
    TC_CHECK_EQ_INT(fa->fim, TC_FIM_QWEN);
    TC_CHECK_STR(fa->fim_from, "tokenizer");
    TC_CHECK(fa->has_repo && fa->has_sep && !fa->add_bos);
    TC_CHECK_EQ_INT(fa->n_ctx, 4096);
    TC_CHECK_STR(fa->model, "tiny.gguf");
    TC_CHECK_EQ_INT(fake_http_count(f, "/props"), 1);
    TC_CHECK_EQ_INT(fake_http_count(f, "/tokenize"), 1);
    tc_backend_free(b);
    tc_client_free(cl);
    fake_http_stop(f);
}

/* 40 lines of text: 40 units. */
static void forty_lines(tc_buf *t, int variant)
{
    int i;
    t->len = 0;
    for (i = 0; i < 40; i++) tc_buf_printf(t, "    total_%d = add(total_%d, %d);\n", i, i + variant, i);
}

TC_TEST(backend_tokenize_once_per_request_and_cached)
{
    fake_route routes[3] = {{"/props", {200, "application/json", props_ok, 0, 0, 0}, 0, NULL},
                            {"/tokenize", {200, "application/json", NULL, 0, 0, 0}, 0, fake_tokenize},
                            {"/infill", {200, "application/json", infill_ok, 0, 0, 0}, 0, NULL}};
    fake_http *f = fake_http_start_routes(routes, 3);
    tc_client *cl = NULL;
    tc_backend *b = NULL;
    tc_backend_cfg c = cfg_for(TC_BACKEND_LLAMA, fake_http_port(f));
    tc_fim_input in = simple_input();
    tc_tokcount *tc;
    tc_buf text = {0};
    tc_span sp;
    uint32_t n1 = 0, n2 = 0;
    uint64_t req, hits, est;
    tc_req *r = NULL;
    int exact = -1, k;
    tc_client_new(&cl);
    tc_backend_open(cl, &c, &b);
    TC_CHECK_EQ_INT(tc_backend_probe(b, 3000, NULL, 0), TC_OK);
    tc = tc_backend_tokcount(b);
    forty_lines(&text, 0);
    sp.p = text.data;
    sp.n = text.len;
    /* the probe queued the fixed strings /infill adds */
    TC_CHECK_EQ_INT(tc_tokcount_npending(tc), 4); /* "myproject\n", "filename\n", "\n\n", "--- snippet ---\n\n" */
    /* keystroke 1: nothing cached; counting does not wait: an estimate */
    TC_CHECK_EQ_INT(tc_tokcount_spans(tc, &sp, 1, &n1, &exact), TC_OK);
    TC_CHECK_EQ_INT(exact, 0);
    TC_CHECK_EQ_INT(tc_tokcount_npending(tc), 4 + 40);
    TC_CHECK_EQ_INT(fake_http_count(f, "/tokenize"), 1); /* the probe's only */
    TC_CHECK_EQ_INT(tc_backend_request_start_by(b, &in, tc_backend_clock_ms() + 3000, &r), TC_OK);
    wait_req(cl, r, 3000);
    TC_CHECK_EQ_INT(tc_req_state_of(r), TC_REQ_DONE);
    tc_req_free(r);
    TC_CHECK(all_settled(cl, b, 3000));
    TC_CHECK_EQ_INT(fake_http_count(f, "/tokenize"), 2); /* 44 units, one request */
    TC_CHECK_EQ_INT(tc_tokcount_npending(tc), 0);
    /* keystroke 2: all from the cache, exact, and no request at all */
    TC_CHECK_EQ_INT(tc_tokcount_spans(tc, &sp, 1, &n2, &exact), TC_OK);
    TC_CHECK_EQ_INT(exact, 1);
    {
        /* the server's counts: ceil(bytes / 4) per line */
        uint32_t want = 0;
        const char *p = text.data, *e;
        while ((e = strchr(p, '\n'))) {
            want += (uint32_t)((e + 1 - p) + 3) / 4;
            p = e + 1;
        }
        TC_CHECK_EQ_INT(n2, want);
    }
    for (k = 0; k < 3; k++) {
        TC_CHECK_EQ_INT(tc_backend_request_start_by(b, &in, tc_backend_clock_ms() + 3000, &r), TC_OK);
        wait_req(cl, r, 3000);
        tc_req_free(r);
    }
    TC_CHECK(all_settled(cl, b, 3000));
    TC_CHECK_EQ_INT(fake_http_count(f, "/tokenize"), 2);
    /* keystroke 3: one line changed: one unit asked, in one request */
    memcpy(strstr(text.data, "total_7 = add"), "total_7 = sub", 13);
    TC_CHECK_EQ_INT(tc_tokcount_spans(tc, &sp, 1, &n2, &exact), TC_OK);
    TC_CHECK_EQ_INT(exact, 0);
    TC_CHECK_EQ_INT(tc_tokcount_npending(tc), 1);
    TC_CHECK_EQ_INT(tc_backend_request_start_by(b, &in, tc_backend_clock_ms() + 3000, &r), TC_OK);
    wait_req(cl, r, 3000);
    tc_req_free(r);
    TC_CHECK(all_settled(cl, b, 3000));
    TC_CHECK_EQ_INT(fake_http_count(f, "/tokenize"), 3);
    TC_CHECK_EQ_INT(fake_http_count(f, "/infill"), 5);
    tc_tokcount_stats(tc, &req, &hits, &est);
    TC_CHECK_EQ_INT(req, 2);
    TC_CHECK(hits >= 79);
    tc_buf_free(&text);
    tc_backend_free(b);
    tc_client_free(cl);
    fake_http_stop(f);
}

TC_TEST(backend_tokenize_hanging_estimate_stands)
{
    fake_route routes[3] = {{"/props", {200, "application/json", props_ok, 0, 0, 0}, 0, NULL},
                            /* the probe's /tokenize answers, the next ones hang */
                            {"/tokenize", {200, "application/json", NULL, 0, 0, 0}, 2, fake_tokenize},
                            {"/infill", {200, "application/json", infill_ok, 0, 0, 0}, 0, NULL}};
    fake_http *f = fake_http_start_routes(routes, 3);
    tc_client *cl = NULL;
    tc_backend *b = NULL;
    tc_backend_cfg c = cfg_for(TC_BACKEND_LLAMA, fake_http_port(f));
    tc_fim_input in = simple_input();
    tc_tokcount *tc;
    tc_buf text = {0};
    tc_span sp;
    uint32_t n = 0;
    tc_req *r = NULL;
    int exact = -1;
    c.first_byte_ms = 60000;
    tc_client_new(&cl);
    tc_backend_open(cl, &c, &b);
    TC_CHECK_EQ_INT(tc_backend_probe(b, 3000, NULL, 0), TC_OK);
    tc = tc_backend_tokcount(b);
    TC_CHECK_EQ_INT(tc_backend_tokens_wait(b, tc_backend_clock_ms() + 3000), TC_ECANCEL); /* the fixed strings: hangs */
    forty_lines(&text, 1);
    sp.p = text.data;
    sp.n = text.len;
    TC_CHECK_EQ_INT(tc_tokcount_spans(tc, &sp, 1, &n, &exact), TC_OK);
    TC_CHECK_EQ_INT(exact, 0);
    TC_CHECK(n > 0);
    TC_CHECK_EQ_INT(tc_backend_request_start_by(b, &in, tc_backend_clock_ms() + 300, &r), TC_OK);
    wait_req(cl, r, 3000);
    TC_CHECK_EQ_INT(tc_req_state_of(r), TC_REQ_DONE); /* the completion is not held up */
    tc_req_free(r);
    TC_CHECK(all_settled(cl, b, 3000)); /* the batch is abandoned at the deadline */
    TC_CHECK_EQ_INT(fake_http_count(f, "/tokenize"), 3);
    TC_CHECK(!tc_backend_in_backoff(b));
    /* the estimate stands; the units are queued again when next counted */
    TC_CHECK_EQ_INT(tc_tokcount_npending(tc), 0);
    TC_CHECK_EQ_INT(tc_tokcount_spans(tc, &sp, 1, &n, &exact), TC_OK);
    TC_CHECK_EQ_INT(exact, 0);
    TC_CHECK_EQ_INT(tc_tokcount_npending(tc), 40);
    TC_CHECK_EQ_INT(tc_tokcount_spans(tc, &sp, 1, &n, &exact), TC_OK);
    TC_CHECK_EQ_INT(tc_tokcount_npending(tc), 40); /* not queued twice */
    TC_CHECK_EQ_INT(tc_backend_tokens_wait(b, tc_backend_clock_ms() + 200), TC_ECANCEL);
    TC_CHECK_EQ_INT(fake_http_count(f, "/tokenize"), 4);
    tc_buf_free(&text);
    tc_backend_free(b);
    tc_client_free(cl);
    fake_http_stop(f);
}

TC_TEST(backend_completion_hanging_or_dripping_is_abandoned)
{
    static const char drip[] = "data: {\"content\":\"a\"}\n\ndata: {\"content\":\"b\"}\n\ndata: {\"content\":\"c\"}\n\n"
                                "data: {\"content\":\"d\",\"stop\":true}\n\n";
    fake_route hang[1] = {{"/infill", {200, "application/json", "", 0, 0, FAKE_HANG}, 0, NULL}};
    fake_route slow[1] = {{"/infill", {200, "text/event-stream", drip, 0, 400, 0}, 0, NULL}};
    fake_route late[1] = {{"/infill", {200, "application/json", infill_ok, 1000, 0, 0}, 0, NULL}};
    const fake_route *cases[3] = {hang, slow, late};
    int i;
    for (i = 0; i < 3; i++) {
        fake_http *f = fake_http_start_routes(cases[i], 1);
        tc_client *cl = NULL;
        tc_backend *b = NULL;
        tc_backend_cfg c = cfg_for(TC_BACKEND_LLAMA, fake_http_port(f));
        tc_fim_input in = simple_input();
        tc_req *r = NULL;
        double t0 = ms_now();
        c.first_byte_ms = 60000;
        c.total_ms = 60000;
        tc_client_new(&cl);
        tc_backend_open(cl, &c, &b);
        TC_CHECK_EQ_INT(tc_backend_request_start_by(b, &in, tc_backend_clock_ms() + 250, &r), TC_OK);
        wait_req(cl, r, 5000);
        TC_CHECK_EQ_INT(tc_req_state_of(r), TC_REQ_ABANDONED);
        TC_CHECK(strstr(tc_req_error(r), "deadline") != NULL);
        if (i == 1) TC_CHECK_STR(tc_req_text(r, NULL), "a"); /* what arrived is kept */
        TC_CHECK(!tc_backend_in_backoff(b));                /* not a server failure */
        TC_CHECK_EQ_INT(tc_client_running(cl), 0);
        /* the transfer is closed: the server sees the client go */
        while (!fake_http_client_gone(f) && ms_now() - t0 < 3000 && i != 2) tc_client_wait(cl, 20);
        if (i != 2) TC_CHECK(fake_http_client_gone(f));
        /* a deadline already past: refused at once */
        tc_req_free(r);
        r = NULL;
        TC_CHECK_EQ_INT(tc_backend_request_start_by(b, &in, tc_backend_clock_ms() - 1, &r), TC_ECANCEL);
        tc_backend_free(b);
        tc_client_free(cl);
        fake_http_stop(f);
    }
}
