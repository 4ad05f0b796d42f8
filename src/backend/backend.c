/* backend.c - clients, backends, requests; see backend.h. */
#include "backend/backend.h"
#include "util/log.h"
#include "util/status.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/select.h>
#include <time.h>
#include <xxhash.h>

#define BK_BACKOFF_MIN_MS 500.0
#define BK_BACKOFF_MAX_MS 30000.0
#define BK_POST_BEFORE 4000 /* bytes of prefix kept for the caller's post-processing */
#define BK_POST_AFTER 4000
#define BK_TOK_BATCH_BYTES (256u << 10) /* text asked of /tokenize at most per request */
#define BK_SEED 42 /* llama.cpp: a fixed seed, so that equal requests get equal answers */

/* Internal request kinds, beside TC_REQ_COMPLETE and TC_REQ_WARMUP. */
enum { RK_PROBE = 2, RK_TOKENIZE = 3 };
/* Probe parts. */
enum { PT_PROPS = 0, PT_TOKENS, PT_OTHER };

/* The strings the llama.cpp probe asks about: is each one special token? */
#define NMARK 10
static const char *mark_str(int i)
{
    switch (i) {
    case 0: return tc_fim_markers_of(TC_FIM_QWEN)->pre;
    case 1: return tc_fim_markers_of(TC_FIM_QWEN)->repo;
    case 2: return tc_fim_markers_of(TC_FIM_QWEN)->file_sep;
    case 3: return tc_fim_markers_of(TC_FIM_STARCODER)->pre;
    case 4: return tc_fim_markers_of(TC_FIM_STARCODER)->repo;
    case 5: return tc_fim_markers_of(TC_FIM_STARCODER)->file_sep;
    case 6: return tc_fim_markers_of(TC_FIM_DEEPSEEK)->pre;
    case 7: return tc_fim_markers_of(TC_FIM_CODESTRAL)->pre;
    case 8: return "<|file_separator|>"; /* CodeGemma (shares Qwen's <|fim_prefix|>) */
    default: return "<PRE>";              /* Code Llama */
    }
}

struct tc_client {
    CURLM *multi;
    tc_req *live; /* requests attached to the multi handle */
    size_t nlive;
};

struct tc_backend {
    tc_client *cl;
    tc_backend_cfg cfg; /* strings owned */
    tc_backend_facts facts;
    tc_tokcount *tc;
    int fails, down;
    double retry_at;    /* ms, monotonic */
    char last_err[256];
    uint64_t extra_sig; /* chunks of the last request (warm-up trigger) */
    /* the probe in flight or done */
    tc_probe_state probe;
    int probe_pending;  /* its requests still running */
    double probe_t0;
    char probe_err[512];
    int props_ok, marks_ok;
    int probe_cancelled; /* a part was cancelled (the backend is going away) */
    int mark_n[NMARK];  /* tokens of each probed string, specials parsed */
    int bos_n;          /* tokens the server adds in front ("" with add_special) */
    /* the tokenizer */
    tc_req *tok;        /* the batch in flight (owned by the client), NULL if none */
    int tok_off;        /* the server refused /tokenize: estimates only */
    int tok_rc;         /* how the last batch ended: TC_OK, TC_ECANCEL (deadline), TC_EIO */
};

struct tc_req {
    tc_client *cl;
    tc_backend *b;
    tc_req *prev, *next;
    int attached;       /* in the multi handle and the live list */
    int owned_by_client; /* warm-up and internal requests: freed when done */
    int kind;           /* TC_REQ_COMPLETE, TC_REQ_WARMUP, RK_* */
    int tag;            /* probe: PT_* */
    double deadline;    /* absolute (tc_backend_clock_ms); 0: none */
    CURL *easy;
    struct curl_slist *hdrs;
    tc_http_msg msg;
    tc_reply reply;     /* completions */
    tc_buf raw;         /* internal requests: the body */
    void (*done)(tc_req *r); /* internal requests: called once when over */
    int done_called;
    tc_tok_batch batch; /* RK_TOKENIZE: the units asked */
    tc_req_state state;
    char err[256];
    double t0, t_first;
    int first_byte_ms;  /* the first-byte timeout (cfg.first_byte_ms); 0: none, for a
                           reply never streamed, whose first byte is its end */
    long status;
    int single_line;
    char *before, *after;
    size_t nb, na;
};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + ts.tv_nsec * 1e-6;
}

double tc_backend_clock_ms(void) { return now_ms(); }

/* ---- client ----------------------------------------------------------------------- */

int tc_client_new(tc_client **out)
{
    static int global_done;
    tc_client *c;
    *out = NULL;
    if (!global_done) {
        if (curl_global_init(CURL_GLOBAL_DEFAULT)) return TC_EIO;
        global_done = 1;
    }
    if (!(c = calloc(1, sizeof *c))) return TC_ENOMEM;
    if (!(c->multi = curl_multi_init())) {
        free(c);
        return TC_EIO;
    }
    *out = c;
    return TC_OK;
}

static void req_detach(tc_req *r)
{
    if (!r->attached) return;
    curl_multi_remove_handle(r->cl->multi, r->easy);
    if (r->prev) r->prev->next = r->next;
    else r->cl->live = r->next;
    if (r->next) r->next->prev = r->prev;
    r->prev = r->next = NULL;
    r->cl->nlive--;
    r->attached = 0;
}

/* r is over (any state but RUNNING): detach it, tell its owner, free it if
 * the client owns it. */
static void req_over(tc_req *r)
{
    req_detach(r);
    if (r->done && !r->done_called) {
        r->done_called = 1;
        r->done(r);
    }
    if (r->owned_by_client) tc_req_free(r);
}

void tc_client_free(tc_client *c)
{
    if (!c) return;
    while (c->live) {
        tc_req *r = c->live;
        if (r->state == TC_REQ_RUNNING) {
            r->state = TC_REQ_CANCELLED;
            snprintf(r->err, sizeof r->err, "cancelled");
        }
        req_over(r);
    }
    curl_multi_cleanup(c->multi);
    free(c);
}

size_t tc_client_running(const tc_client *c) { return c->nlive; }

size_t tc_client_pollfds(tc_client *c, struct pollfd *fds, size_t max, int *timeout_ms)
{
    fd_set r, w, e;
    int maxfd = -1, fd;
    long t = -1;
    size_t n = 0;
    tc_req *q;
    double now = now_ms();
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_ZERO(&e);
    curl_multi_fdset(c->multi, &r, &w, &e, &maxfd);
    for (fd = 0; fd <= maxfd && n < max; fd++) {
        short ev = 0;
        if (FD_ISSET(fd, &r)) ev |= POLLIN;
        if (FD_ISSET(fd, &w)) ev |= POLLOUT;
        if (FD_ISSET(fd, &e)) ev |= POLLPRI;
        if (!ev) continue;
        fds[n].fd = fd;
        fds[n].events = ev;
        fds[n].revents = 0;
        n++;
    }
    curl_multi_timeout(c->multi, &t);
    /* first-byte deadlines and the callers' deadlines are ours */
    for (q = c->live; q; q = q->next) {
        long left = -1;
        if (q->t_first < 0 && q->first_byte_ms > 0) left = (long)(q->t0 + q->first_byte_ms - now) + 1;
        if (q->deadline > 0) {
            long l2 = (long)(q->deadline - now) + 1;
            if (left < 0 || l2 < left) left = l2;
        }
        if (left < 0 && (q->deadline > 0 || (q->t_first < 0 && q->first_byte_ms > 0))) left = 0;
        if (left >= 0 && (t < 0 || left < t)) t = left;
    }
    if (c->nlive && (t < 0 || t > 100)) t = 100; /* libcurl may not know of every wake-up */
    *timeout_ms = c->nlive ? (int)t : -1;
    return n;
}

static void backend_failed(tc_backend *b, const char *why)
{
    double backoff = BK_BACKOFF_MIN_MS;
    int i;
    snprintf(b->last_err, sizeof b->last_err, "%s", why);
    b->fails++;
    for (i = 1; i < b->fails && backoff < BK_BACKOFF_MAX_MS; i++) backoff *= 2;
    if (backoff > BK_BACKOFF_MAX_MS) backoff = BK_BACKOFF_MAX_MS;
    b->retry_at = now_ms() + backoff;
    if (!b->down) {
        b->down = 1;
        tc_warn("server '%s' (%s) failed: %s; the embedded model answers meanwhile, and the server is retried "
                "with backoff (check it with: tacit doctor)",
                b->cfg.name, b->cfg.url, why);
    }
}

static void backend_ok(tc_backend *b)
{
    if (b->down) tc_info("server '%s' (%s) answers again", b->cfg.name, b->cfg.url);
    b->down = 0;
    b->fails = 0;
    b->last_err[0] = 0;
}

static void req_finish(tc_req *r, CURLcode cc)
{
    int internal = r->kind >= RK_PROBE;
    if (!internal) tc_reply_finish(&r->reply);
    curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &r->status);
    if (r->state != TC_REQ_RUNNING) return; /* failed on our own deadline */
    if (cc == CURLE_OPERATION_TIMEDOUT) {
        curl_off_t connected = 0;
        curl_easy_getinfo(r->easy, CURLINFO_CONNECT_TIME_T, &connected);
        if (!connected)
            snprintf(r->err, sizeof r->err, "no connection within %d ms", r->b->cfg.connect_ms);
        else snprintf(r->err, sizeof r->err, "no complete reply within %d ms", r->b->cfg.total_ms);
    } else if (cc == CURLE_WRITE_ERROR && r->err[0]) {
        /* our write callback refused (reply too big); err is set */
    } else if (cc != CURLE_OK) {
        snprintf(r->err, sizeof r->err, "%s", curl_easy_strerror(cc));
    } else if (r->status >= 400) {
        snprintf(r->err, sizeof r->err, "HTTP %ld%s%s", r->status, !internal && r->reply.error ? ": " : "",
                 !internal && r->reply.error ? r->reply.error : "");
    } else if (!internal && r->reply.error) {
        snprintf(r->err, sizeof r->err, "server error: %s", r->reply.error);
    } else if (!internal && !r->reply.nobj && !r->reply.done) {
        snprintf(r->err, sizeof r->err, "the reply is not the JSON expected from a %s server",
                 tc_backend_type_name(r->b->cfg.type));
    }
    r->state = r->err[0] ? TC_REQ_FAILED : TC_REQ_DONE;
    /* completions judge the server's health; the probe's owner judges its
     * own; a warm-up nobody waits for does not (its request may well time
     * out where the completion's deadline is what counts) */
    if (r->kind != TC_REQ_COMPLETE) return;
    if (r->state == TC_REQ_FAILED) backend_failed(r->b, r->err);
    else {
        backend_ok(r->b);
        if (r->reply.tokens_evaluated > 0 && r->msg.body.len)
            tc_tokcount_observe(r->b->tc, r->msg.body.len, (uint32_t)r->reply.tokens_evaluated);
    }
}

void tc_client_perform(tc_client *c)
{
    int running = 0, left;
    CURLMsg *m;
    tc_req *q, *nx;
    double now;
    curl_multi_perform(c->multi, &running);
    while ((m = curl_multi_info_read(c->multi, &left))) {
        tc_req *r = NULL;
        if (m->msg != CURLMSG_DONE) continue;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&r);
        if (!r) continue;
        req_finish(r, m->data.result);
        req_over(r);
    }
    now = now_ms();
    for (q = c->live; q; q = nx) {
        nx = q->next;
        if (q->deadline > 0 && now >= q->deadline) {
            /* the caller's deadline: given up, not a server failure */
            snprintf(q->err, sizeof q->err, "no answer by the deadline (%.0f ms)", q->deadline - q->t0);
            q->state = TC_REQ_ABANDONED;
            req_over(q);
        } else if (q->t_first < 0 && q->first_byte_ms > 0 && now - q->t0 > q->first_byte_ms) {
            snprintf(q->err, sizeof q->err, "no reply within %d ms (connected, but nothing came back)",
                     q->first_byte_ms);
            q->state = TC_REQ_FAILED;
            if (q->kind == TC_REQ_COMPLETE) backend_failed(q->b, q->err);
            req_over(q);
        }
    }
}

void tc_client_wait(tc_client *c, int timeout_ms)
{
    struct pollfd fds[64];
    int t, numfds = 0;
    tc_client_pollfds(c, fds, 64, &t);
    if (t < 0 || t > timeout_ms) t = timeout_ms;
    if (t > 0 && c->nlive) curl_multi_poll(c->multi, NULL, 0, t, &numfds);
    tc_client_perform(c);
}

/* ---- backends ------------------------------------------------------------------------ */

static int is_local(const char *url)
{
    return url && (strstr(url, "://127.") || strstr(url, "://localhost") || strstr(url, "://[::1]"));
}

static int dupstr(char **dst, const char *src)
{
    *dst = NULL;
    if (!src) return TC_OK;
    return (*dst = strdup(src)) ? TC_OK : TC_ENOMEM;
}

static cJSON *jstr(const char *p, size_t n);

int tc_backend_open(tc_client *cl, const tc_backend_cfg *cfg, tc_backend **out)
{
    tc_backend *b;
    int rc = TC_OK;
    *out = NULL;
    if (!cfg || cfg->type == TC_BACKEND_NONE || cfg->type >= TC_BACKEND_TYPE_COUNT) return TC_EINVAL;
    if (!(b = calloc(1, sizeof *b))) return TC_ENOMEM;
    b->cl = cl;
    b->cfg = *cfg;
    rc = dupstr(&b->cfg.url, cfg->url);
    if (!rc) rc = dupstr(&b->cfg.model, cfg->model);
    if (!rc) rc = dupstr(&b->cfg.api_key_env, cfg->api_key_env);
    if (rc) goto fail;
    if (!b->cfg.url) {
        const char *u = cfg->type == TC_BACKEND_LLAMA    ? "http://127.0.0.1:8080"
                        : cfg->type == TC_BACKEND_OLLAMA  ? "http://127.0.0.1:11434"
                        : cfg->type == TC_BACKEND_MISTRAL ? "https://api.mistral.ai"
                                                          : "http://127.0.0.1:8000";
        if ((rc = dupstr(&b->cfg.url, u))) goto fail;
    }
    if (!b->cfg.model && cfg->type == TC_BACKEND_MISTRAL && (rc = dupstr(&b->cfg.model, "codestral-latest"))) goto fail;
    if (cfg->type == TC_BACKEND_MISTRAL && !b->cfg.api_key_env && (rc = dupstr(&b->cfg.api_key_env, "MISTRAL_API_KEY")))
        goto fail;
    if (!b->cfg.connect_ms) b->cfg.connect_ms = is_local(b->cfg.url) ? 200 : 1000;
    if (!b->cfg.first_byte_ms) b->cfg.first_byte_ms = 1500;
    if (!b->cfg.total_ms) b->cfg.total_ms = 5000;
    if (!b->cfg.n_predict) b->cfg.n_predict = 64;
    if (!b->cfg.n_batch) b->cfg.n_batch = 2048;
    b->facts.fim = cfg->fim;
    b->facts.fim_from = cfg->fim ? "settings" : "default";
    b->facts.fim_ok = -1;
    if (!cfg->fim) {
        tc_fim_family f = tc_fim_family_from_name(b->cfg.model);
        if (cfg->type == TC_BACKEND_MISTRAL) f = TC_FIM_CODESTRAL;
        if (f) {
            b->facts.fim = f;
            b->facts.fim_from = "model name";
        }
    }
    if (b->cfg.model) snprintf(b->facts.model, sizeof b->facts.model, "%s", b->cfg.model);
    /* llama.cpp's /tokenize is asked in batches, never while counting */
    if ((rc = tc_tokcount_new(NULL, 0, &b->tc))) goto fail;
    if (cfg->type == TC_BACKEND_LLAMA) tc_tokcount_set_deferred(b->tc, 1);
    *out = b;
    return TC_OK;
fail:
    tc_backend_free(b);
    return rc;
}

void tc_backend_free(tc_backend *b)
{
    if (!b) return;
    /* its requests still in flight go too: internal ones and warm-ups are
     * freed, the caller's are cancelled (still to be freed by the caller) */
    if (b->cl) {
        tc_req *q = b->cl->live, *nx;
        for (; q; q = nx) {
            nx = q->next;
            if (q->b != b) continue;
            if (q->state == TC_REQ_RUNNING) {
                q->state = TC_REQ_CANCELLED;
                snprintf(q->err, sizeof q->err, "cancelled");
            }
            req_over(q);
        }
    }
    tc_tokcount_free(b->tc);
    free(b->cfg.url);
    free(b->cfg.model);
    free(b->cfg.api_key_env);
    free(b);
}

const tc_backend_cfg *tc_backend_cfg_of(const tc_backend *b) { return &b->cfg; }
tc_client *tc_backend_client(const tc_backend *b) { return b->cl; }
const tc_backend_facts *tc_backend_facts_of(const tc_backend *b) { return &b->facts; }
tc_tokcount *tc_backend_tokcount(tc_backend *b) { return b->tc; }
int tc_backend_in_backoff(const tc_backend *b) { return b->down && now_ms() < b->retry_at; }
const char *tc_backend_last_error(const tc_backend *b) { return b->last_err; }

static int endpoint(const tc_backend *b, const char *path, tc_buf *url)
{
    size_t n = strlen(b->cfg.url);
    url->len = 0;
    if (n >= 3 && !strcmp(b->cfg.url + n - 3, "/v1") && !strncmp(path, "/v1/", 4)) path += 3;
    return tc_buf_printf(url, "%s%s", b->cfg.url, path);
}


static struct curl_slist *auth_headers(const tc_backend *b, struct curl_slist *h)
{
    const char *key = b->cfg.api_key_env ? getenv(b->cfg.api_key_env) : NULL;
    h = curl_slist_append(h, "Content-Type: application/json");
    if (key && *key) {
        char *line = NULL;
        if (asprintf(&line, "Authorization: Bearer %s", key) >= 0) {
            h = curl_slist_append(h, line);
            memset(line, 0, strlen(line));
            free(line);
        }
    }
    return h;
}

/* ---- requests on the multi handle ------------------------------------------------------ */

static size_t req_write(char *p, size_t sz, size_t nm, void *ud)
{
    tc_req *r = ud;
    size_t n = sz * nm;
    int rc;
    if (r->t_first < 0) r->t_first = now_ms();
    if (r->kind >= RK_PROBE) {
        if (r->raw.len + n > TC_REPLY_MAX) rc = TC_ETOOBIG;
        else rc = tc_buf_append(&r->raw, p, n);
    } else {
        rc = tc_reply_feed(&r->reply, p, n);
    }
    if (rc) {
        snprintf(r->err, sizeof r->err, "reply %s", rc == TC_ETOOBIG ? "too big" : "out of memory");
        return 0;
    }
    return n;
}

static int req_new(tc_backend *b, int kind, double deadline, tc_req **out)
{
    tc_req *r = calloc(1, sizeof *r);
    *out = NULL;
    if (!r) return TC_ENOMEM;
    r->cl = b->cl;
    r->b = b;
    r->kind = kind;
    r->deadline = deadline;
    r->t_first = -1;
    r->first_byte_ms = b->cfg.first_byte_ms;
    r->state = TC_REQ_RUNNING;
    tc_reply_init(&r->reply, b->cfg.type == TC_BACKEND_LLAMA     ? TC_PROTO_LLAMA
                             : b->cfg.type == TC_BACKEND_OLLAMA  ? TC_PROTO_OLLAMA
                             : b->cfg.type == TC_BACKEND_MISTRAL ? TC_PROTO_MISTRAL
                                                                 : TC_PROTO_OPENAI);
    *out = r;
    return TC_OK;
}

/* Hand r (its msg built) to libcurl. */
static int req_attach(tc_req *r, long total_ms)
{
    tc_backend *b = r->b;
    if (!(r->easy = curl_easy_init())) return TC_EIO;
    r->hdrs = auth_headers(b, NULL);
    curl_easy_setopt(r->easy, CURLOPT_URL, r->msg.url.data);
    curl_easy_setopt(r->easy, CURLOPT_HTTPHEADER, r->hdrs);
    if (!strcmp(r->msg.method, "GET")) {
        curl_easy_setopt(r->easy, CURLOPT_HTTPGET, 1L);
    } else {
        curl_easy_setopt(r->easy, CURLOPT_POSTFIELDS, r->msg.body.data ? r->msg.body.data : "");
        curl_easy_setopt(r->easy, CURLOPT_POSTFIELDSIZE, (long)r->msg.body.len);
    }
    curl_easy_setopt(r->easy, CURLOPT_WRITEFUNCTION, req_write);
    curl_easy_setopt(r->easy, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(r->easy, CURLOPT_PRIVATE, (char *)r);
    curl_easy_setopt(r->easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(r->easy, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(r->easy, CURLOPT_CONNECTTIMEOUT_MS, (long)b->cfg.connect_ms);
    curl_easy_setopt(r->easy, CURLOPT_TIMEOUT_MS, total_ms);
    if (curl_multi_add_handle(b->cl->multi, r->easy) != CURLM_OK) return TC_EIO;
    r->attached = 1;
    r->next = b->cl->live;
    if (r->next) r->next->prev = r;
    b->cl->live = r;
    b->cl->nlive++;
    r->t0 = now_ms();
    return TC_OK;
}

/* An internal request (probe part, tokenizer batch), owned by the client;
 * done is called once when it is over. body NULL: GET. *out (may be NULL)
 * is valid until done returns. */
static int internal_start(tc_backend *b, int kind, int tag, const char *path, const char *body, double deadline,
                          void (*done)(tc_req *), tc_req **out)
{
    tc_req *r;
    int rc;
    if (out) *out = NULL;
    if ((rc = req_new(b, kind, deadline, &r))) return rc;
    r->tag = tag;
    r->done = done;
    r->owned_by_client = 1;
    snprintf(r->msg.method, sizeof r->msg.method, "%s", body ? "POST" : "GET");
    if (endpoint(b, path, &r->msg.url) || (body && tc_buf_puts(&r->msg.body, body))) rc = TC_ENOMEM;
    else rc = req_attach(r, b->cfg.total_ms);
    if (rc) {
        r->done = NULL;
        tc_req_free(r);
        return rc;
    }
    if (out) *out = r;
    return TC_OK;
}

/* Token counts of the segments of a /tokenize answer whose content was
 * strings separated by the number -1 (llama.cpp tokenizes each string on its
 * own and passes numbers through): counts[0..want). 0 on success. */
static int split_tokens(const tc_buf *body, uint32_t *counts, size_t want)
{
    cJSON *o = cJSON_ParseWithLength(body->data ? body->data : "", body->len), *toks, *t;
    size_t seg = 0;
    int rc = -1;
    if (!o || !cJSON_IsArray(toks = cJSON_GetObjectItemCaseSensitive(o, "tokens"))) goto out;
    if (want) counts[0] = 0;
    cJSON_ArrayForEach(t, toks)
    {
        double id;
        if (cJSON_IsNumber(t)) id = t->valuedouble;
        else if (cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(t, "id")))
            id = cJSON_GetObjectItemCaseSensitive(t, "id")->valuedouble;
        else goto out;
        if (id == -1) {
            if (++seg >= want) goto out;
            counts[seg] = 0;
        } else if (seg < want) {
            counts[seg]++;
        }
    }
    if (seg + 1 == want) rc = 0;
out:
    cJSON_Delete(o);
    return rc;
}

/* A JSON array: the strings, each followed by -1 but the last. */
static char *segments_json(const char *const *text, const size_t *len, size_t n, int add_special, int parse_special)
{
    cJSON *o = cJSON_CreateObject(), *a = o ? cJSON_AddArrayToObject(o, "content") : NULL;
    char *s = NULL;
    size_t i;
    if (!a) goto out;
    for (i = 0; i < n; i++) {
        if (i) cJSON_AddItemToArray(a, cJSON_CreateNumber(-1));
        cJSON_AddItemToArray(a, jstr(text[i], len ? len[i] : strlen(text[i])));
    }
    cJSON_AddBoolToObject(o, "add_special", add_special);
    cJSON_AddBoolToObject(o, "parse_special", parse_special);
    s = cJSON_PrintUnformatted(o);
out:
    cJSON_Delete(o);
    return s;
}

/* ---- the tokenizer: one batch per request -------------------------------------------- */

static void tokens_done(tc_req *r)
{
    tc_backend *b = r->b;
    uint32_t *cnt = NULL;
    b->tok = NULL;
    if (r->state == TC_REQ_DONE && r->status == 200 && r->batch.n && (cnt = malloc(r->batch.n * sizeof *cnt)) &&
        split_tokens(&r->raw, cnt, r->batch.n)) {
        free(cnt);
        cnt = NULL;
    }
    if (!cnt && (r->status == 404 || r->status == 405 || r->status == 501)) {
        /* no /tokenize here: estimates from now on */
        b->tok_off = 1;
        tc_tokcount_set_deferred(b->tc, 0);
    }
    b->tok_rc = cnt ? TC_OK : r->state == TC_REQ_ABANDONED ? TC_ECANCEL : TC_EIO;
    tc_tokcount_batch_done(b->tc, &r->batch, cnt); /* unknown: asked again later */
    free(cnt);
}

int tc_backend_tokens_start(tc_backend *b, double deadline)
{
    tc_tok_batch bt;
    char *body;
    tc_req *r = NULL;
    int rc;
    if (b->cfg.type != TC_BACKEND_LLAMA || b->tok_off || !b->facts.has_tokenizer || b->probe != TC_PROBE_DONE)
        return TC_EINVAL;
    if (b->tok || !tc_tokcount_npending(b->tc)) return TC_OK; /* one batch in flight at most */
    if (tc_backend_in_backoff(b)) return TC_EIO;
    if ((rc = tc_tokcount_batch_take(b->tc, BK_TOK_BATCH_BYTES, &bt))) return rc;
    if (!(body = segments_json((const char *const *)bt.text, bt.len, bt.n, 0, 0))) {
        tc_tokcount_batch_done(b->tc, &bt, NULL);
        return TC_ENOMEM;
    }
    rc = internal_start(b, RK_TOKENIZE, 0, "/tokenize", body, deadline, tokens_done, &r);
    free(body);
    if (rc) {
        tc_tokcount_batch_done(b->tc, &bt, NULL);
        return rc;
    }
    r->batch = bt;
    b->tok = r;
    tc_client_perform(b->cl);
    return TC_OK;
}

int tc_backend_tokens_wait(tc_backend *b, double deadline)
{
    int rc = tc_backend_tokens_start(b, deadline);
    if (rc) return rc;
    if (!b->tok) return TC_OK; /* nothing queued */
    while (b->tok && now_ms() < deadline) {
        double left = deadline - now_ms();
        tc_client_wait(b->cl, left > 50 ? 50 : left < 1 ? 1 : (int)left);
    }
    if (b->tok) return TC_ECANCEL;
    if (b->tok_rc) return b->tok_rc;
    return tc_tokcount_npending(b->tc) ? TC_ECANCEL : TC_OK;
}

int tc_backend_tokens_busy(const tc_backend *b) { return b->tok != NULL; }

/* ---- what the server says about its model ------------------------------------------------- */

static void facts_note_chat(tc_backend *b)
{
    tc_backend_facts *f = &b->facts;
    if (f->chat_model || f->fim_ok == 0) {
        snprintf(f->note, sizeof f->note,
                 "%.200s looks like a %s; code completion needs a base (FIM) code model, e.g. "
                 "Qwen2.5-Coder-1.5B (not -Instruct), StarCoder2, DeepSeek-Coder-base or Codestral",
                 *f->model ? f->model : "the server's model",
                 f->fim_ok == 0 ? "model without fill-in-the-middle tokens" : "chat/instruct model");
    }
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}


/* GET /props */
static void parse_props(tc_backend *b, tc_req *r)
{
    tc_backend_facts *f = &b->facts;
    cJSON *o = NULL, *v;
    if (r->status != 200 || !(o = cJSON_ParseWithLength(r->raw.data ? r->raw.data : "", r->raw.len))) {
        snprintf(b->probe_err, sizeof b->probe_err, "GET %s/props: HTTP %ld, not llama.cpp's server?", b->cfg.url,
                 r->status);
        goto out;
    }
    b->props_ok = 1;
    if (cJSON_IsString(v = cJSON_GetObjectItemCaseSensitive(o, "model_alias")) && *v->valuestring)
        snprintf(f->model, sizeof f->model, "%s", v->valuestring);
    if (cJSON_IsString(v = cJSON_GetObjectItemCaseSensitive(o, "model_path")) && *v->valuestring &&
        (!*f->model || !strcmp(f->model, v->valuestring)))
        snprintf(f->model, sizeof f->model, "%s", base_name(v->valuestring));
    if ((v = cJSON_GetObjectItemCaseSensitive(o, "default_generation_settings")) &&
        cJSON_IsNumber(v = cJSON_GetObjectItemCaseSensitive(v, "n_ctx")))
        f->n_ctx = (int)v->valuedouble;
    if (cJSON_IsString(v = cJSON_GetObjectItemCaseSensitive(o, "bos_token")))
        snprintf(f->bos, sizeof f->bos, "%s", v->valuestring);
out:
    cJSON_Delete(o);
}

/* POST /tokenize of "" (BOS added) and the markers, specials parsed */
static void parse_marks(tc_backend *b, tc_req *r)
{
    uint32_t n[NMARK + 1];
    int i;
    if (r->status != 200 || split_tokens(&r->raw, n, NMARK + 1)) return;
    b->marks_ok = 1;
    b->bos_n = (int)n[0];
    for (i = 0; i < NMARK; i++) b->mark_n[i] = (int)n[i + 1];
}

/* The llama.cpp facts from the props and the markers. */
static void llama_facts(tc_backend *b)
{
    tc_backend_facts *f = &b->facts;
    tc_fim_family by_tok = TC_FIM_AUTO;
    f->probed = 1;
    f->has_tokenizer = b->marks_ok;
    if (b->marks_ok) {
        /* which FIM markers are single special tokens of this vocabulary */
        if (b->mark_n[0] == 1) by_tok = TC_FIM_QWEN;
        else if (b->mark_n[3] == 1) by_tok = TC_FIM_STARCODER;
        else if (b->mark_n[6] == 1) by_tok = TC_FIM_DEEPSEEK;
        else if (b->mark_n[7] == 1) by_tok = TC_FIM_CODESTRAL;
        if (by_tok) {
            f->fim_ok = 1;
            f->has_repo = (by_tok == TC_FIM_QWEN && b->mark_n[1] == 1) || (by_tok == TC_FIM_STARCODER && b->mark_n[4] == 1);
            f->has_sep = (by_tok == TC_FIM_QWEN && b->mark_n[2] == 1) || (by_tok == TC_FIM_STARCODER && b->mark_n[5] == 1);
            if (by_tok == TC_FIM_QWEN && b->mark_n[8] == 1) by_tok = TC_FIM_CODEGEMMA;
        } else {
            f->fim_ok = b->mark_n[9] == 1 ? 1 : 0;
            if (f->fim_ok) by_tok = TC_FIM_CODELLAMA;
        }
        f->add_bos = b->bos_n >= 1;
    }
    if (!b->cfg.fim) {
        tc_fim_family byname = tc_fim_family_from_name(f->model);
        if (byname) {
            f->fim = byname;
            f->fim_from = "model name";
        } else if (by_tok) {
            f->fim = by_tok;
            f->fim_from = "tokenizer";
        }
    }
    f->chat_model = tc_model_name_is_chat(f->model);
}

/* POST /api/show */
static void parse_ollama(tc_backend *b, tc_req *r)
{
    tc_backend_facts *f = &b->facts;
    cJSON *o = NULL, *v;
    if (r->status != 200 || !(o = cJSON_ParseWithLength(r->raw.data ? r->raw.data : "", r->raw.len))) {
        snprintf(b->probe_err, sizeof b->probe_err, "POST %s/api/show: HTTP %ld (is model '%s' pulled?)", b->cfg.url,
                 r->status, b->cfg.model);
        goto out;
    }
    f->probed = 1;
    if (cJSON_IsArray(v = cJSON_GetObjectItemCaseSensitive(o, "capabilities"))) {
        const cJSON *c;
        f->fim_ok = 0;
        cJSON_ArrayForEach(c, v) if (cJSON_IsString(c) && !strcmp(c->valuestring, "insert")) f->fim_ok = 1;
    }
    if (cJSON_IsString(v = cJSON_GetObjectItemCaseSensitive(o, "template"))) {
        tc_fim_family t = tc_fim_family_from_markers(v->valuestring);
        if (f->fim_ok < 0) f->fim_ok = strstr(v->valuestring, ".Suffix") != NULL;
        if (!b->cfg.fim && !tc_fim_family_from_name(f->model) && t) {
            f->fim = t;
            f->fim_from = "server template";
        }
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(o, "model_info")) && cJSON_IsObject(v)) {
        const cJSON *k;
        cJSON_ArrayForEach(k, v)
        {
            size_t n = strlen(k->string);
            if (n > 15 && !strcmp(k->string + n - 15, ".context_length") && cJSON_IsNumber(k))
                f->n_ctx = (int)k->valuedouble;
        }
    }
    f->chat_model = tc_model_name_is_chat(f->model);
out:
    cJSON_Delete(o);
}

/* GET /v1/models */
static void parse_openai(tc_backend *b, tc_req *r)
{
    tc_backend_facts *f = &b->facts;
    cJSON *o = NULL, *d, *it;
    if (r->status == 401 || r->status == 403) {
        snprintf(b->probe_err, sizeof b->probe_err,
                 "GET /v1/models: HTTP %ld: the API key (environment variable %s) is missing or refused", r->status,
                 b->cfg.api_key_env ? b->cfg.api_key_env : "(api_key_env not set)");
        return;
    }
    f->probed = 1;
    if (r->status == 200 && (o = cJSON_ParseWithLength(r->raw.data ? r->raw.data : "", r->raw.len)) &&
        cJSON_IsArray(d = cJSON_GetObjectItemCaseSensitive(o, "data"))) {
        cJSON_ArrayForEach(it, d)
        {
            const cJSON *id = cJSON_GetObjectItemCaseSensitive(it, "id");
            if (!cJSON_IsString(id)) continue;
            if (!b->cfg.model) { /* the server's first model */
                b->cfg.model = strdup(id->valuestring);
                snprintf(f->model, sizeof f->model, "%s", id->valuestring);
            }
            if (b->cfg.model && !strcmp(id->valuestring, b->cfg.model)) break;
        }
    }
    if (!b->cfg.fim) {
        tc_fim_family byname = tc_fim_family_from_name(f->model);
        if (byname) {
            f->fim = byname;
            f->fim_from = "model name";
        }
    }
    f->chat_model = tc_model_name_is_chat(f->model);
    cJSON_Delete(o);
}

static void probe_finish(tc_backend *b)
{
    int ok = b->cfg.type == TC_BACKEND_LLAMA ? b->props_ok : b->facts.probed && !*b->probe_err;
    if (ok && b->cfg.type == TC_BACKEND_LLAMA) llama_facts(b);
    if (!b->facts.fim) {
        /* nothing said which: Qwen2.5-Coder's markers are the commonest */
        b->facts.fim = TC_FIM_QWEN;
        b->facts.fim_from = "default";
    }
    b->facts.has_tokenizer = b->facts.has_tokenizer && b->cfg.type == TC_BACKEND_LLAMA;
    if (b->cfg.type == TC_BACKEND_LLAMA && ok && !b->facts.has_tokenizer) tc_tokcount_set_deferred(b->tc, 0);
    if (b->cfg.type == TC_BACKEND_LLAMA && ok && b->facts.has_tokenizer) {
        /* the fixed strings /infill adds (tc_backend_prompt_tokens): queued
         * now, so that the first batch counts them */
        (void)tc_tokcount_text(b->tc, "myproject\n", 10);
        (void)tc_tokcount_text(b->tc, "filename\n", 9);
        (void)tc_tokcount_text(b->tc, "\n\n--- snippet ---\n\n", 19);
    }
    facts_note_chat(b);
    if (ok && *b->facts.note) tc_warn("server '%s': %s", b->cfg.name, b->facts.note);
    if (ok) {
        b->probe = TC_PROBE_DONE;
        b->probe_err[0] = 0;
    } else if (b->probe_cancelled) {
        b->probe = TC_PROBE_FAILED; /* not the server's fault */
        snprintf(b->probe_err, sizeof b->probe_err, "cancelled");
    } else {
        b->probe = TC_PROBE_FAILED;
        if (!*b->probe_err) snprintf(b->probe_err, sizeof b->probe_err, "the server did not answer");
        backend_failed(b, b->probe_err);
    }
}

static void probe_part_done(tc_req *r)
{
    tc_backend *b = r->b;
    if (r->state == TC_REQ_DONE) {
        if (r->tag == PT_PROPS) parse_props(b, r);
        else if (r->tag == PT_TOKENS) parse_marks(b, r);
        else if (b->cfg.type == TC_BACKEND_OLLAMA) parse_ollama(b, r);
        else parse_openai(b, r);
    } else if (r->state == TC_REQ_CANCELLED) {
        b->probe_cancelled = 1;
    } else if (r->tag != PT_TOKENS && !*b->probe_err) {
        if (r->state == TC_REQ_ABANDONED)
            snprintf(b->probe_err, sizeof b->probe_err, "%s %s: no answer within %.0f ms", r->msg.method,
                     r->msg.url.data, r->deadline - r->t0);
        else snprintf(b->probe_err, sizeof b->probe_err, "%s %s: %s", r->msg.method, r->msg.url.data, r->err);
    }
    if (--b->probe_pending == 0) probe_finish(b);
}

int tc_backend_probe_start(tc_backend *b, double deadline)
{
    int rc = TC_OK, i;
    char *body = NULL;
    if (b->probe == TC_PROBE_RUNNING) return TC_OK;
    b->probe_err[0] = 0;
    b->props_ok = b->marks_ok = b->probe_cancelled = 0;
    b->bos_n = -1;
    for (i = 0; i < NMARK; i++) b->mark_n[i] = -1;
    if (tc_backend_in_backoff(b)) {
        snprintf(b->probe_err, sizeof b->probe_err, "%s (retried with backoff)", b->last_err);
        b->probe = TC_PROBE_FAILED;
        return TC_EIO;
    }
    if (b->cfg.type == TC_BACKEND_OLLAMA && !b->cfg.model) {
        snprintf(b->probe_err, sizeof b->probe_err,
                 "backend '%s': Ollama needs a model (backend.%s.model = e.g. qwen2.5-coder:1.5b-base)", b->cfg.name,
                 b->cfg.name);
        b->probe = TC_PROBE_FAILED;
        return TC_EINVAL;
    }
    b->probe = TC_PROBE_RUNNING;
    b->probe_pending = 0;
    b->probe_t0 = now_ms();
    switch (b->cfg.type) {
    case TC_BACKEND_LLAMA: {
        const char *s[NMARK + 1];
        s[0] = "";
        for (i = 0; i < NMARK; i++) s[i + 1] = mark_str(i);
        if (!(rc = internal_start(b, RK_PROBE, PT_PROPS, "/props", NULL, deadline, probe_part_done, NULL)))
            b->probe_pending++;
        if (!rc && (body = segments_json(s, NULL, NMARK + 1, 1, 1)) &&
            !internal_start(b, RK_PROBE, PT_TOKENS, "/tokenize", body, deadline, probe_part_done, NULL))
            b->probe_pending++;
        break;
    }
    case TC_BACKEND_OLLAMA: {
        cJSON *req = cJSON_CreateObject();
        if (req) cJSON_AddStringToObject(req, "model", b->cfg.model);
        body = req ? cJSON_PrintUnformatted(req) : NULL;
        cJSON_Delete(req);
        if (!body) rc = TC_ENOMEM;
        else if (!(rc = internal_start(b, RK_PROBE, PT_OTHER, "/api/show", body, deadline, probe_part_done, NULL)))
            b->probe_pending++;
        break;
    }
    case TC_BACKEND_MISTRAL:
        b->facts.fim_ok = 1;
        /* fall through */
    default:
        if (!(rc = internal_start(b, RK_PROBE, PT_OTHER, "/v1/models", NULL, deadline, probe_part_done, NULL)))
            b->probe_pending++;
        break;
    }
    free(body);
    if (!b->probe_pending) {
        snprintf(b->probe_err, sizeof b->probe_err, "cannot start the probe: %s", tc_strerror(rc ? rc : TC_ENOMEM));
        b->probe = TC_PROBE_FAILED;
        return rc ? rc : TC_ENOMEM;
    }
    tc_client_perform(b->cl); /* start connecting now */
    return TC_OK;
}

tc_probe_state tc_backend_probe_state(const tc_backend *b) { return b->probe; }
const char *tc_backend_probe_error(const tc_backend *b) { return b->probe_err; }

int tc_backend_probe(tc_backend *b, int timeout_ms, char *err, size_t errlen)
{
    double deadline = now_ms() + (timeout_ms > 0 ? timeout_ms : 1);
    int rc = tc_backend_probe_start(b, deadline);
    /* (a probe already running keeps its own deadline; this wait ends at ours) */
    while (!rc && b->probe == TC_PROBE_RUNNING && now_ms() < deadline + 1) {
        double left = deadline + 1 - now_ms();
        tc_client_wait(b->cl, left > 50 ? 50 : left < 1 ? 1 : (int)left);
    }
    if (!rc && b->probe != TC_PROBE_DONE) rc = TC_EIO;
    if (rc && err)
        snprintf(err, errlen, "%s",
                 b->probe == TC_PROBE_RUNNING ? "no answer yet (the probe goes on)"
                 : *b->probe_err              ? b->probe_err
                                              : tc_strerror(rc));
    return rc;
}

void tc_backend_ctx_limits(const tc_backend *b, tc_ctx_opts *c)
{
    uint32_t total = b->cfg.max_tokens > 0 ? (uint32_t)b->cfg.max_tokens : c->max_tokens;
    uint32_t n_ctx = b->facts.n_ctx > 0 ? (uint32_t)b->facts.n_ctx : 0, np = (uint32_t)b->cfg.n_predict;
    if (!total) total = 2048;
    /* room for the markers and file headers around the pieces */
    if (n_ctx && total + np + 32 > n_ctx) total = n_ctx > np + 32 ? n_ctx - np - 32 : n_ctx / 2;
    c->max_tokens = total;
    if (!c->max_prefix_tokens) c->max_prefix_tokens = total * 3 / 5;
    if (!c->max_suffix_tokens) c->max_suffix_tokens = total / 5;
    if (b->cfg.type == TC_BACKEND_LLAMA && !b->cfg.raw) {
        uint32_t nb = (uint32_t)b->cfg.n_batch, pre = 3 * (nb / 4), suf = nb / 4 > 2 ? nb / 4 - 2 : 0, extra = 0;
        if (n_ctx > nb + 2 * np) extra = n_ctx - nb - 2 * np;
        else if (!n_ctx) extra = total;
        /* chunk headers ("name\n" and a separator) come out of the extra share */
        extra = extra > 64 ? extra - 64 : 0;
        if (c->max_prefix_tokens > pre) c->max_prefix_tokens = pre;
        if (c->max_suffix_tokens > suf) c->max_suffix_tokens = suf;
        if (c->max_tokens > c->max_prefix_tokens + c->max_suffix_tokens + extra)
            c->max_tokens = c->max_prefix_tokens + c->max_suffix_tokens + extra;
        if (!extra) c->n_retrieved = c->n_recent = -1;
    }
}

/* ---- requests --------------------------------------------------------------------------- */

void tc_http_msg_free(tc_http_msg *m)
{
    size_t i;
    for (i = 0; i < m->nheaders; i++) free(m->headers[i]);
    tc_buf_free(&m->url);
    tc_buf_free(&m->body);
    memset(m, 0, sizeof *m);
}

static int add_header(tc_http_msg *m, const char *h)
{
    if (m->nheaders == sizeof m->headers / sizeof *m->headers) return TC_ETOOBIG;
    return (m->headers[m->nheaders++] = strdup(h)) ? TC_OK : TC_ENOMEM;
}

static const tc_fim_markers *markers(const tc_backend *b)
{
    const tc_fim_markers *m = tc_fim_markers_of(b->facts.fim);
    return m ? m : tc_fim_markers_of(TC_FIM_QWEN);
}

static cJSON *stops(const tc_backend *b, const tc_fim_input *in, int max)
{
    cJSON *a = cJSON_CreateArray();
    const tc_fim_markers *m = markers(b);
    int i, n = 0;
    if (!a) return NULL;
    if (in->single_line && n < max) {
        cJSON_AddItemToArray(a, cJSON_CreateString("\n"));
        n++;
    }
    for (i = 0; m->stop[i] && n < max; i++, n++) cJSON_AddItemToArray(a, cJSON_CreateString(m->stop[i]));
    return a;
}

/* A JSON string from bytes that may hold NUL (cut there) and invalid UTF-8
 * (passed as is: the server decides). */
static cJSON *jstr(const char *p, size_t n)
{
    char *s = strndup(p ? p : "", p ? n : 0);
    cJSON *j;
    if (!s) return NULL;
    j = cJSON_CreateString(s);
    free(s);
    return j;
}

int tc_backend_render(tc_backend *b, const tc_fim_input *in, tc_buf *out)
{
    const tc_backend_facts *f = &b->facts;
    if (b->cfg.type == TC_BACKEND_LLAMA && !b->cfg.raw)
        return tc_fim_render_llama_infill(markers(b), f->probed ? f->has_repo : 1, f->probed ? f->has_sep : 1,
                                          f->add_bos && *f->bos ? f->bos : NULL, in, out);
    return tc_fim_render(f->fim ? f->fim : TC_FIM_QWEN, in, out);
}

uint32_t tc_backend_prompt_tokens(tc_backend *b, const tc_fim_input *in)
{
    const tc_backend_facts *f = &b->facts;
    int has_repo = f->probed ? f->has_repo : 1, has_sep = f->probed ? f->has_sep : 1;
    uint32_t n = in->ntok_prefix + in->ntok_suffix + 3, i;
    char hdr[600];
    if (b->cfg.type != TC_BACKEND_LLAMA || b->cfg.raw) {
        tc_buf p = {0};
        uint32_t k;
        if (tc_backend_render(b, in, &p)) return 0;
        k = tc_tokcount_text(b->tc, p.data, p.len); /* markers counted as text: an estimate */
        tc_buf_free(&p);
        return k;
    }
    if (has_repo) n += 1 + tc_tokcount_text(b->tc, "myproject\n", 10);
    if (has_sep) n += 1 + tc_tokcount_text(b->tc, "filename\n", 9);
    if (f->add_bos) n++;
    for (i = 0; i < in->nextra; i++) {
        const tc_fim_chunk *c = &in->extra[i];
        n += c->ntok;
        if (has_sep) {
            int l = snprintf(hdr, sizeof hdr, "%s\n", c->path ? c->path : "tmp");
            n += 1 + tc_tokcount_text(b->tc, hdr, (size_t)l < sizeof hdr ? (size_t)l : sizeof hdr - 1);
        } else {
            n += tc_tokcount_text(b->tc, "\n\n--- snippet ---\n\n", 19);
        }
    }
    return n;
}

int tc_backend_build(tc_backend *b, const tc_fim_input *in, int kind, tc_http_msg *out)
{
    cJSON *o = cJSON_CreateObject(), *opt;
    tc_buf prompt = {0};
    const char *path;
    char *js = NULL;
    int rc = TC_ENOMEM, warm = kind == TC_REQ_WARMUP, np = warm ? 0 : b->cfg.n_predict;
    tc_fim_input wi;
    size_t i;
    memset(out, 0, sizeof *out);
    if (!o) return TC_ENOMEM;
    if (warm) {
        /* the stable start only: chunks, empty prefix and suffix */
        wi = *in;
        wi.prefix = wi.suffix = "";
        wi.nprefix = wi.nsuffix = 0;
        in = &wi;
    }
    snprintf(out->method, sizeof out->method, "POST");
    switch (b->cfg.type) {
    case TC_BACKEND_LLAMA:
        if (!b->cfg.raw) {
            cJSON *ex = cJSON_AddArrayToObject(o, "input_extra");
            path = "/infill";
            cJSON_AddItemToObject(o, "input_prefix", jstr(in->prefix, in->nprefix));
            cJSON_AddItemToObject(o, "input_suffix", jstr(in->suffix, in->nsuffix));
            for (i = 0; ex && i < in->nextra; i++) {
                cJSON *c = cJSON_CreateObject();
                cJSON_AddStringToObject(c, "filename", in->extra[i].path ? in->extra[i].path : "tmp");
                cJSON_AddItemToObject(c, "text", jstr(in->extra[i].text, in->extra[i].len));
                cJSON_AddItemToArray(ex, c);
            }
            cJSON_AddStringToObject(o, "prompt", "");
        } else {
            path = "/completion";
            if (tc_fim_render(b->facts.fim ? b->facts.fim : TC_FIM_QWEN, in, &prompt)) goto out;
            cJSON_AddItemToObject(o, "prompt", jstr(prompt.data, prompt.len));
        }
        cJSON_AddNumberToObject(o, "n_predict", np);
        cJSON_AddBoolToObject(o, "cache_prompt", 1);
        cJSON_AddBoolToObject(o, "stream", !warm && b->cfg.stream);
        cJSON_AddNumberToObject(o, "temperature", b->cfg.temperature);
        if (!warm) {
            /* The samplers in order; one not named is not used. "temperature"
             * must be there for temperature 0 to mean greedy (without it the
             * final random draw ignores the temperature), and the seed is
             * fixed: equal requests get equal answers. Not "infill": it
             * answers end-of-text at once whenever the model is unsure
             * (every answer of a small or untrained model is empty). */
            cJSON *s = cJSON_AddArrayToObject(o, "samplers");
            cJSON_AddItemToArray(s, cJSON_CreateString("top_k"));
            cJSON_AddItemToArray(s, cJSON_CreateString("top_p"));
            cJSON_AddItemToArray(s, cJSON_CreateString("temperature"));
            cJSON_AddNumberToObject(o, "top_k", 40);
            cJSON_AddNumberToObject(o, "top_p", 0.99);
            cJSON_AddNumberToObject(o, "seed", BK_SEED);
            cJSON_AddNumberToObject(o, "t_max_predict_ms", b->cfg.total_ms / 2); /* after a line break */
            if (!in->single_line) cJSON_AddNumberToObject(o, "n_indent", in->indent);
            cJSON_AddItemToObject(o, "stop", stops(b, in, 8));
        } else {
            cJSON_AddArrayToObject(o, "samplers");
        }
        break;
    case TC_BACKEND_OPENAI:
        path = "/v1/completions";
        if (tc_fim_render(b->facts.fim ? b->facts.fim : TC_FIM_QWEN, in, &prompt)) goto out;
        if (b->cfg.model) cJSON_AddStringToObject(o, "model", b->cfg.model);
        cJSON_AddItemToObject(o, "prompt", jstr(prompt.data, prompt.len));
        cJSON_AddNumberToObject(o, "max_tokens", warm ? 1 : np);
        cJSON_AddNumberToObject(o, "temperature", b->cfg.temperature);
        cJSON_AddItemToObject(o, "stop", stops(b, in, 4));
        cJSON_AddBoolToObject(o, "stream", !warm && b->cfg.stream);
        break;
    case TC_BACKEND_MISTRAL:
        path = "/v1/fim/completions";
        if (tc_fim_render_prompt_part(in, &prompt)) goto out;
        cJSON_AddStringToObject(o, "model", b->cfg.model ? b->cfg.model : "codestral-latest");
        cJSON_AddItemToObject(o, "prompt", jstr(prompt.data, prompt.len));
        cJSON_AddItemToObject(o, "suffix", jstr(in->suffix, in->nsuffix));
        cJSON_AddNumberToObject(o, "max_tokens", warm ? 1 : np);
        cJSON_AddNumberToObject(o, "temperature", b->cfg.temperature);
        if (in->single_line) cJSON_AddItemToObject(o, "stop", stops(b, in, 1));
        cJSON_AddBoolToObject(o, "stream", !warm && b->cfg.stream);
        break;
    case TC_BACKEND_OLLAMA:
        path = "/api/generate";
        cJSON_AddStringToObject(o, "model", b->cfg.model ? b->cfg.model : "");
        if (b->cfg.raw) {
            if (tc_fim_render(b->facts.fim ? b->facts.fim : TC_FIM_QWEN, in, &prompt)) goto out;
            cJSON_AddItemToObject(o, "prompt", jstr(prompt.data, prompt.len));
            cJSON_AddBoolToObject(o, "raw", 1);
        } else {
            if (tc_fim_render_prompt_part(in, &prompt)) goto out;
            cJSON_AddItemToObject(o, "prompt", jstr(prompt.data, prompt.len));
            cJSON_AddItemToObject(o, "suffix", jstr(in->suffix, in->nsuffix));
        }
        cJSON_AddBoolToObject(o, "stream", !warm && b->cfg.stream);
        opt = cJSON_AddObjectToObject(o, "options");
        cJSON_AddNumberToObject(opt, "num_predict", warm ? 0 : np);
        cJSON_AddNumberToObject(opt, "temperature", b->cfg.temperature);
        if (!warm) cJSON_AddItemToObject(opt, "stop", stops(b, in, 8));
        break;
    default:
        rc = TC_EINVAL;
        goto out;
    }
    if (!(js = cJSON_PrintUnformatted(o))) goto out;
    if (endpoint(b, path, &out->url) || tc_buf_puts(&out->body, js)) goto out;
    if (add_header(out, "Content-Type: application/json")) goto out;
    if (b->cfg.api_key_env) {
        char h[300];
        snprintf(h, sizeof h, "Authorization: Bearer ${%s}", b->cfg.api_key_env);
        if (add_header(out, h)) goto out;
    }
    rc = TC_OK;
out:
    if (rc) tc_http_msg_free(out);
    cJSON_Delete(o);
    free(js);
    tc_buf_free(&prompt);
    return rc;
}


static char *dup_tail(const char *p, size_t n, size_t keep, size_t *out_n)
{
    char *s;
    if (n > keep) {
        p += n - keep;
        n = keep;
    }
    if (!(s = malloc(n + 1))) return NULL;
    memcpy(s, p, n);
    s[n] = 0;
    *out_n = n;
    return s;
}


static int req_launch(tc_backend *b, const tc_fim_input *in, int kind, double deadline, tc_req **out)
{
    tc_req *r;
    int rc;
    *out = NULL;
    if ((rc = req_new(b, kind, deadline, &r))) return rc;
    if ((rc = tc_backend_build(b, in, kind, &r->msg))) goto fail;
    r->single_line = in->single_line;
    r->before = dup_tail(in->prefix, in->nprefix, BK_POST_BEFORE, &r->nb);
    r->after = dup_tail(in->suffix, in->nsuffix < BK_POST_AFTER ? in->nsuffix : BK_POST_AFTER, BK_POST_AFTER, &r->na);
    if (!r->before || !r->after) {
        rc = TC_ENOMEM;
        goto fail;
    }
    if ((rc = req_attach(r, kind == TC_REQ_WARMUP ? 4L * b->cfg.total_ms : (long)b->cfg.total_ms))) goto fail;
    *out = r;
    return TC_OK;
fail:
    tc_req_free(r);
    return rc;
}

static uint64_t extra_sig(const tc_fim_input *in)
{
    XXH3_state_t *s = XXH3_createState();
    uint64_t h;
    size_t i;
    if (!s) return 0;
    XXH3_64bits_reset(s);
    for (i = 0; i < in->nextra; i++) {
        if (in->extra[i].path) XXH3_64bits_update(s, in->extra[i].path, strlen(in->extra[i].path) + 1);
        XXH3_64bits_update(s, in->extra[i].text, in->extra[i].len);
    }
    h = XXH3_64bits_digest(s) + in->nextra;
    XXH3_freeState(s);
    return h;
}


int tc_backend_request_start_by(tc_backend *b, const tc_fim_input *in, double deadline, tc_req **out)
{
    int rc;
    *out = NULL;
    if (b->down && now_ms() < b->retry_at) return TC_EIO;
    if (deadline > 0 && now_ms() >= deadline) return TC_ECANCEL;
    /* the units counted by estimate since the last request: one /tokenize */
    (void)tc_backend_tokens_start(b, deadline > 0 ? deadline : now_ms() + b->cfg.first_byte_ms);
    if (b->cfg.warmup && b->cfg.type == TC_BACKEND_LLAMA && in->nextra) {
        uint64_t sig = extra_sig(in);
        if (sig != b->extra_sig) {
            tc_req *w;
            b->extra_sig = sig;
            /* not bound to the caller's deadline: nobody waits for it, and
             * cutting it short would throw the server's work away */
            if (!req_launch(b, in, TC_REQ_WARMUP, 0, &w)) w->owned_by_client = 1;
        }
    }
    rc = req_launch(b, in, TC_REQ_COMPLETE, deadline, out);
    if (!rc) tc_client_perform(b->cl); /* start connecting now */
    return rc;
}

int tc_backend_request_start(tc_backend *b, const tc_fim_input *in, tc_req **out)
{
    return tc_backend_request_start_by(b, in, 0, out);
}

tc_req_state tc_req_state_of(const tc_req *r) { return r->state; }

const char *tc_req_text(const tc_req *r, size_t *n)
{
    if (n) *n = r->reply.text.len;
    return r->reply.text.data ? r->reply.text.data : "";
}

int tc_req_has_line(const tc_req *r)
{
    /* a line break after some text (a leading one is not a line) */
    const char *t = r->reply.text.data;
    size_t i;
    for (i = 0; t && i < r->reply.text.len; i++)
        if (t[i] == '\n' && i > 0) return 1;
    return 0;
}


void tc_req_cursor(const tc_req *r, const char **before, size_t *nb, const char **after, size_t *na, int *single_line)
{
    if (before) *before = r->before ? r->before : "";
    if (nb) *nb = r->before ? r->nb : 0;
    if (after) *after = r->after ? r->after : "";
    if (na) *na = r->after ? r->na : 0;
    if (single_line) *single_line = r->single_line;
}

const char *tc_req_error(const tc_req *r) { return r->err; }
const tc_reply *tc_req_reply(const tc_req *r) { return &r->reply; }
double tc_req_first_byte_ms(const tc_req *r) { return r->t_first < 0 ? -1 : r->t_first - r->t0; }
double tc_req_elapsed_ms(const tc_req *r) { return now_ms() - r->t0; }

void tc_req_cancel(tc_req *r)
{
    if (!r || r->state != TC_REQ_RUNNING) return;
    req_detach(r);
    r->state = TC_REQ_CANCELLED;
    snprintf(r->err, sizeof r->err, "cancelled");
}

void tc_req_free(tc_req *r)
{
    if (!r) return;
    tc_req_cancel(r);
    req_detach(r);
    if (r->easy) curl_easy_cleanup(r->easy);
    curl_slist_free_all(r->hdrs);
    tc_http_msg_free(&r->msg);
    tc_reply_free(&r->reply);
    tc_buf_free(&r->raw);
    tc_tokcount_batch_free(&r->batch);
    free(r->before);
    free(r->after);
    free(r);
}

/* ---- a plain prompt (edit prediction) ---------------------------------------------- */

/* The body of a plain completion of prompt for b's server: llama.cpp
 * /completion, OpenAI /v1/completions, Mistral /v1/fim/completions with
 * an empty suffix, Ollama /api/generate raw; never streamed. */
static int text_body(const tc_backend *b, const char *prompt, int n_predict, const char **path, char **js)
{
    cJSON *o = cJSON_CreateObject(), *opt;
    *js = NULL;
    if (!o) return TC_ENOMEM;
    cJSON_AddStringToObject(o, "prompt", prompt);
    switch (b->cfg.type) {
    case TC_BACKEND_LLAMA:
        *path = "/completion";
        cJSON_AddNumberToObject(o, "n_predict", n_predict);
        cJSON_AddBoolToObject(o, "cache_prompt", 1);
        cJSON_AddNumberToObject(o, "temperature", b->cfg.temperature);
        cJSON_AddNumberToObject(o, "seed", BK_SEED);
        break;
    case TC_BACKEND_OPENAI:
    case TC_BACKEND_MISTRAL:
        *path = b->cfg.type == TC_BACKEND_OPENAI ? "/v1/completions" : "/v1/fim/completions";
        if (b->cfg.model || b->cfg.type == TC_BACKEND_MISTRAL)
            cJSON_AddStringToObject(o, "model", b->cfg.model ? b->cfg.model : "codestral-latest");
        if (b->cfg.type == TC_BACKEND_MISTRAL) cJSON_AddStringToObject(o, "suffix", "");
        cJSON_AddNumberToObject(o, "max_tokens", n_predict);
        cJSON_AddNumberToObject(o, "temperature", b->cfg.temperature);
        break;
    case TC_BACKEND_OLLAMA:
        *path = "/api/generate";
        cJSON_AddStringToObject(o, "model", b->cfg.model ? b->cfg.model : "");
        cJSON_AddBoolToObject(o, "raw", 1);
        opt = cJSON_AddObjectToObject(o, "options");
        cJSON_AddNumberToObject(opt, "num_predict", n_predict);
        cJSON_AddNumberToObject(opt, "temperature", b->cfg.temperature);
        break;
    default:
        cJSON_Delete(o);
        return TC_EINVAL;
    }
    cJSON_AddBoolToObject(o, "stream", 0);
    *js = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return *js ? TC_OK : TC_ENOMEM;
}

int tc_backend_text_start(tc_backend *b, const char *prompt, int n_predict, double deadline, tc_req **out)
{
    tc_req *r = NULL;
    const char *path = NULL;
    char *js = NULL;
    int rc;
    *out = NULL;
    if (b->down && now_ms() < b->retry_at) return TC_EIO;
    if (deadline > 0 && now_ms() >= deadline) return TC_ECANCEL;
    if ((rc = text_body(b, prompt, n_predict, &path, &js)) || (rc = req_new(b, TC_REQ_COMPLETE, deadline, &r)))
        goto out;
    /* never streamed: the first byte comes with the whole text, so only the
     * caller's deadline and timeout_ms bound it (a first-byte timeout would
     * fail every rewrite slower than 1.5 s and put the server down) */
    r->first_byte_ms = 0;
    snprintf(r->msg.method, sizeof r->msg.method, "POST");
    if (endpoint(b, path, &r->msg.url) || tc_buf_puts(&r->msg.body, js)) rc = TC_ENOMEM;
    else rc = req_attach(r, (long)b->cfg.total_ms);
    if (rc) goto out;
    tc_client_perform(b->cl); /* start connecting now */
    *out = r;
    r = NULL;
out:
    tc_req_free(r);
    free(js);
    return rc;
}
