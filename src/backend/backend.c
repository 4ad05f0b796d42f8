/* backend.c - clients, backends, requests; see backend.h. */
#include "backend/backend.h"
#include "suggest/post_llm.h"
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
#define BK_POST_BEFORE 4000 /* bytes of prefix kept for post-processing */
#define BK_POST_AFTER 4000

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
    CURL *sync;         /* blocking calls: probe, tokenize */
    int fails, down;
    double retry_at;    /* ms, monotonic */
    char last_err[256];
    uint64_t extra_sig; /* chunks of the last request (warm-up trigger) */
};

struct tc_req {
    tc_client *cl;
    tc_backend *b;
    tc_req *prev, *next;
    int attached;       /* in the multi handle and the live list */
    int owned_by_client; /* warm-up: freed when done */
    CURL *easy;
    struct curl_slist *hdrs;
    tc_http_msg msg;
    tc_reply reply;
    tc_req_state state;
    char err[256];
    double t0, t_first;
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

void tc_client_free(tc_client *c)
{
    if (!c) return;
    while (c->live) {
        tc_req *r = c->live;
        req_detach(r);
        if (r->owned_by_client) tc_req_free(r);
        else if (r->state == TC_REQ_RUNNING) r->state = TC_REQ_CANCELLED;
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
    /* first-byte deadlines are ours */
    for (q = c->live; q; q = q->next)
        if (q->t_first < 0 && q->b->cfg.first_byte_ms > 0) {
            long left = (long)(q->t0 + q->b->cfg.first_byte_ms - now) + 1;
            if (left < 0) left = 0;
            if (t < 0 || left < t) t = left;
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
    tc_reply_finish(&r->reply);
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
        snprintf(r->err, sizeof r->err, "HTTP %ld%s%s", r->status, r->reply.error ? ": " : "",
                 r->reply.error ? r->reply.error : "");
    } else if (r->reply.error) {
        snprintf(r->err, sizeof r->err, "server error: %s", r->reply.error);
    } else if (!r->reply.nobj && !r->reply.done) {
        snprintf(r->err, sizeof r->err, "the reply is not the JSON expected from a %s server",
                 tc_backend_type_name(r->b->cfg.type));
    }
    r->state = r->err[0] ? TC_REQ_FAILED : TC_REQ_DONE;
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
        req_detach(r);
        if (r->owned_by_client) tc_req_free(r);
    }
    now = now_ms();
    for (q = c->live; q; q = nx) {
        nx = q->next;
        if (q->t_first < 0 && q->b->cfg.first_byte_ms > 0 && now - q->t0 > q->b->cfg.first_byte_ms) {
            snprintf(q->err, sizeof q->err, "no reply within %d ms (connected, but nothing came back)",
                     q->b->cfg.first_byte_ms);
            q->state = TC_REQ_FAILED;
            backend_failed(q->b, q->err);
            req_detach(q);
            if (q->owned_by_client) tc_req_free(q);
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

/* Sync HTTP on the backend's own handle; resp gets the body. TC_OK or TC_EIO
 * (err set). */
static int http_sync(tc_backend *b, const char *method, const char *path, const char *body, int timeout_ms,
                     long *status, tc_buf *resp, char *err, size_t errlen);

static int tokenize_cb(void *ud, const char *text, size_t len, uint32_t **ends, size_t *nends, size_t *cap);
static cJSON *jstr(const char *p, size_t n);

int tc_backend_open(tc_client *cl, const tc_backend_cfg *cfg, tc_backend **out)
{
    tc_backend *b;
    tc_tokenizer tk;
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
    if (!(b->sync = curl_easy_init())) {
        rc = TC_EIO;
        goto fail;
    }
    tk.tokenize = tokenize_cb;
    tk.ud = b;
    if ((rc = tc_tokcount_new(cfg->type == TC_BACKEND_LLAMA ? &tk : NULL, 0, &b->tc))) goto fail;
    *out = b;
    return TC_OK;
fail:
    tc_backend_free(b);
    return rc;
}

void tc_backend_free(tc_backend *b)
{
    if (!b) return;
    /* warm-ups of this backend still in flight go too */
    if (b->cl) {
        tc_req *q = b->cl->live, *nx;
        for (; q; q = nx) {
            nx = q->next;
            if (q->b == b) {
                req_detach(q);
                if (q->owned_by_client) tc_req_free(q);
                else q->state = TC_REQ_CANCELLED;
            }
        }
    }
    if (b->sync) curl_easy_cleanup(b->sync);
    tc_tokcount_free(b->tc);
    free(b->cfg.url);
    free(b->cfg.model);
    free(b->cfg.api_key_env);
    free(b);
}

const tc_backend_cfg *tc_backend_cfg_of(const tc_backend *b) { return &b->cfg; }
const tc_backend_facts *tc_backend_facts_of(const tc_backend *b) { return &b->facts; }
tc_tokcount *tc_backend_tokcount(tc_backend *b) { return b->tc; }
int tc_backend_in_backoff(const tc_backend *b) { return b->down && now_ms() < b->retry_at; }
const char *tc_backend_last_error(const tc_backend *b) { return b->last_err; }

/* URL of an endpoint: base + path; an OpenAI base already ending in /v1
 * takes the path without its /v1. */
static int endpoint(const tc_backend *b, const char *path, tc_buf *url)
{
    size_t n = strlen(b->cfg.url);
    url->len = 0;
    if (n >= 3 && !strcmp(b->cfg.url + n - 3, "/v1") && !strncmp(path, "/v1/", 4)) path += 3;
    return tc_buf_printf(url, "%s%s", b->cfg.url, path);
}

static size_t sync_write(char *p, size_t sz, size_t nm, void *ud)
{
    tc_buf *b = ud;
    if (b->len + sz * nm > TC_REPLY_MAX) return 0;
    return tc_buf_append(b, p, sz * nm) ? 0 : sz * nm;
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

static int http_sync(tc_backend *b, const char *method, const char *path, const char *body, int timeout_ms,
                     long *status, tc_buf *resp, char *err, size_t errlen)
{
    tc_buf url = {0};
    struct curl_slist *h = NULL;
    CURLcode cc;
    int rc = TC_OK;
    *status = 0;
    if (endpoint(b, path, &url)) return TC_ENOMEM;
    curl_easy_reset(b->sync);
    h = auth_headers(b, NULL);
    curl_easy_setopt(b->sync, CURLOPT_URL, url.data);
    curl_easy_setopt(b->sync, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(b->sync, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(b->sync, CURLOPT_CONNECTTIMEOUT_MS, (long)b->cfg.connect_ms);
    curl_easy_setopt(b->sync, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
    curl_easy_setopt(b->sync, CURLOPT_WRITEFUNCTION, sync_write);
    curl_easy_setopt(b->sync, CURLOPT_WRITEDATA, resp);
    curl_easy_setopt(b->sync, CURLOPT_TCP_NODELAY, 1L);
    if (!strcmp(method, "POST")) {
        curl_easy_setopt(b->sync, CURLOPT_POSTFIELDS, body ? body : "");
    }
    cc = curl_easy_perform(b->sync);
    curl_easy_getinfo(b->sync, CURLINFO_RESPONSE_CODE, status);
    if (cc != CURLE_OK) {
        snprintf(err, errlen, "%s %s: %s", method, url.data, curl_easy_strerror(cc));
        rc = TC_EIO;
    } else if (!resp->data) {
        tc_buf_puts(resp, "");
    }
    curl_slist_free_all(h);
    tc_buf_free(&url);
    return rc;
}

static int tokenize_cb(void *ud, const char *text, size_t len, uint32_t **ends, size_t *nends, size_t *cap)
{
    tc_backend *b = ud;
    cJSON *req = NULL, *res = NULL, *toks, *t;
    tc_buf resp = {0};
    char *body = NULL, err[256];
    long status;
    uint32_t off = 0;
    int rc = TC_EIO;
    if (b->down && now_ms() < b->retry_at) return TC_EIO; /* estimate while the server is down */
    if (!(req = cJSON_CreateObject())) return TC_ENOMEM;
    cJSON_AddItemToObject(req, "content", jstr(text, len));
    cJSON_AddBoolToObject(req, "add_special", 0);
    cJSON_AddBoolToObject(req, "parse_special", 0);
    cJSON_AddBoolToObject(req, "with_pieces", 1);
    if (!(body = cJSON_PrintUnformatted(req))) goto out;
    if (http_sync(b, "POST", "/tokenize", body, b->cfg.first_byte_ms, &status, &resp, err, sizeof err)) {
        backend_failed(b, err);
        goto out;
    }
    if (status != 200 || !(res = cJSON_ParseWithLength(resp.data, resp.len))) goto out;
    toks = cJSON_GetObjectItemCaseSensitive(res, "tokens");
    if (!cJSON_IsArray(toks)) goto out;
    cJSON_ArrayForEach(t, toks)
    {
        const cJSON *p = cJSON_GetObjectItemCaseSensitive(t, "piece");
        size_t pl;
        if (cJSON_IsString(p)) pl = strlen(p->valuestring);
        else if (cJSON_IsArray(p)) pl = (size_t)cJSON_GetArraySize(p);
        else goto out;
        off += (uint32_t)pl;
        if (*nends == *cap) {
            size_t nc = *cap ? *cap * 2 : 256;
            uint32_t *ne = realloc(*ends, nc * sizeof *ne);
            if (!ne) {
                rc = TC_ENOMEM;
                goto out;
            }
            *ends = ne;
            *cap = nc;
        }
        (*ends)[(*nends)++] = off;
    }
    rc = TC_OK;
out:
    cJSON_Delete(req);
    cJSON_Delete(res);
    free(body);
    tc_buf_free(&resp);
    return rc;
}

/* Number of tokens of s as the server counts it with special tokens parsed,
 * or -1. */
static long tokenize_special(tc_backend *b, const char *s, int add_special, int timeout_ms)
{
    cJSON *req = cJSON_CreateObject(), *res = NULL, *toks;
    tc_buf resp = {0};
    char *body = NULL, err[256];
    long status, n = -1;
    if (!req) return -1;
    cJSON_AddStringToObject(req, "content", s);
    cJSON_AddBoolToObject(req, "add_special", add_special);
    cJSON_AddBoolToObject(req, "parse_special", 1);
    body = cJSON_PrintUnformatted(req);
    if (body && !http_sync(b, "POST", "/tokenize", body, timeout_ms, &status, &resp, err, sizeof err) &&
        status == 200 && (res = cJSON_ParseWithLength(resp.data, resp.len)) &&
        cJSON_IsArray(toks = cJSON_GetObjectItemCaseSensitive(res, "tokens")))
        n = cJSON_GetArraySize(toks);
    cJSON_Delete(req);
    cJSON_Delete(res);
    free(body);
    tc_buf_free(&resp);
    return n;
}

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

static int probe_llama(tc_backend *b, int timeout_ms, char *err, size_t errlen)
{
    tc_backend_facts *f = &b->facts;
    tc_buf resp = {0};
    cJSON *o = NULL, *v;
    long status;
    int rc, i;
    tc_fim_family by_tok = TC_FIM_AUTO;
    if ((rc = http_sync(b, "GET", "/props", NULL, timeout_ms, &status, &resp, err, errlen))) goto out;
    if (status != 200 || !(o = cJSON_ParseWithLength(resp.data, resp.len))) {
        snprintf(err, errlen, "GET %s/props: HTTP %ld, not llama.cpp's server?", b->cfg.url, status);
        rc = TC_EIO;
        goto out;
    }
    f->probed = 1;
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
    /* which FIM markers are single special tokens of this vocabulary */
    for (i = TC_FIM_QWEN; i; i = i == TC_FIM_QWEN ? TC_FIM_STARCODER : i == TC_FIM_STARCODER ? TC_FIM_DEEPSEEK
                                                          : i == TC_FIM_DEEPSEEK ? TC_FIM_CODESTRAL
                                                                                 : 0) {
        const tc_fim_markers *m = tc_fim_markers_of((tc_fim_family)i);
        if (tokenize_special(b, m->pre, 0, timeout_ms) == 1) {
            by_tok = (tc_fim_family)i;
            break;
        }
    }
    f->has_tokenizer = tokenize_special(b, "a", 0, timeout_ms) >= 1;
    if (by_tok) {
        const tc_fim_markers *m = tc_fim_markers_of(by_tok);
        f->fim_ok = 1;
        f->has_repo = m->repo && tokenize_special(b, m->repo, 0, timeout_ms) == 1;
        f->has_sep = m->file_sep && tokenize_special(b, m->file_sep, 0, timeout_ms) == 1;
        if (by_tok == TC_FIM_QWEN && tokenize_special(b, "<|file_separator|>", 0, timeout_ms) == 1)
            by_tok = TC_FIM_CODEGEMMA;
    } else if (f->has_tokenizer) {
        f->fim_ok = tokenize_special(b, "<PRE>", 0, timeout_ms) == 1 ? 1 : 0;
        if (f->fim_ok) by_tok = TC_FIM_CODELLAMA;
    }
    f->add_bos = tokenize_special(b, "", 1, timeout_ms) == 1;
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
    rc = TC_OK;
out:
    cJSON_Delete(o);
    tc_buf_free(&resp);
    return rc;
}

static int probe_ollama(tc_backend *b, int timeout_ms, char *err, size_t errlen)
{
    tc_backend_facts *f = &b->facts;
    tc_buf resp = {0};
    cJSON *req = cJSON_CreateObject(), *o = NULL, *v;
    char *body;
    long status;
    int rc;
    if (!req) return TC_ENOMEM;
    if (!b->cfg.model) {
        snprintf(err, errlen, "backend '%s': Ollama needs a model (backend.%s.model = e.g. qwen2.5-coder:1.5b-base)",
                 b->cfg.name, b->cfg.name);
        cJSON_Delete(req);
        return TC_EINVAL;
    }
    cJSON_AddStringToObject(req, "model", b->cfg.model);
    body = cJSON_PrintUnformatted(req);
    cJSON_Delete(req);
    if (!body) return TC_ENOMEM;
    rc = http_sync(b, "POST", "/api/show", body, timeout_ms, &status, &resp, err, errlen);
    free(body);
    if (rc) goto out;
    if (status != 200 || !(o = cJSON_ParseWithLength(resp.data, resp.len))) {
        snprintf(err, errlen, "POST %s/api/show: HTTP %ld (is model '%s' pulled?)", b->cfg.url, status, b->cfg.model);
        rc = TC_EIO;
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
    tc_buf_free(&resp);
    return rc;
}

static int probe_openai(tc_backend *b, int timeout_ms, char *err, size_t errlen)
{
    tc_backend_facts *f = &b->facts;
    tc_buf resp = {0};
    cJSON *o = NULL, *d, *it;
    long status;
    int rc = http_sync(b, "GET", "/v1/models", NULL, timeout_ms, &status, &resp, err, errlen);
    if (rc) goto out;
    if (status == 401 || status == 403) {
        snprintf(err, errlen, "GET /v1/models: HTTP %ld: the API key (environment variable %s) is missing or refused",
                 status, b->cfg.api_key_env ? b->cfg.api_key_env : "(api_key_env not set)");
        rc = TC_EIO;
        goto out;
    }
    f->probed = 1;
    if (status == 200 && (o = cJSON_ParseWithLength(resp.data, resp.len)) &&
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
out:
    cJSON_Delete(o);
    tc_buf_free(&resp);
    return rc;
}

int tc_backend_probe(tc_backend *b, int timeout_ms, char *err, size_t errlen)
{
    int rc;
    char e[512] = "";
    switch (b->cfg.type) {
    case TC_BACKEND_LLAMA: rc = probe_llama(b, timeout_ms, e, sizeof e); break;
    case TC_BACKEND_OLLAMA: rc = probe_ollama(b, timeout_ms, e, sizeof e); break;
    case TC_BACKEND_OPENAI: rc = probe_openai(b, timeout_ms, e, sizeof e); break;
    case TC_BACKEND_MISTRAL:
        b->facts.fim_ok = 1;
        rc = probe_openai(b, timeout_ms, e, sizeof e);
        break;
    default: rc = TC_EINVAL; break;
    }
    if (!b->facts.fim) {
        /* nothing said which: Qwen2.5-Coder's markers are the commonest */
        b->facts.fim = TC_FIM_QWEN;
        b->facts.fim_from = "default";
    }
    b->facts.has_tokenizer = b->facts.has_tokenizer && b->cfg.type == TC_BACKEND_LLAMA;
    facts_note_chat(b);
    if (*b->facts.note) tc_warn("server '%s': %s", b->cfg.name, b->facts.note);
    if (rc && err) snprintf(err, errlen, "%s", *e ? e : tc_strerror(rc));
    if (rc == TC_EIO) backend_failed(b, e);
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
            cJSON *s = cJSON_AddArrayToObject(o, "samplers");
            cJSON_AddItemToArray(s, cJSON_CreateString("top_k"));
            cJSON_AddItemToArray(s, cJSON_CreateString("top_p"));
            if (!b->cfg.raw) cJSON_AddItemToArray(s, cJSON_CreateString("infill"));
            cJSON_AddNumberToObject(o, "top_k", 40);
            cJSON_AddNumberToObject(o, "top_p", 0.99);
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

static size_t req_write(char *p, size_t sz, size_t nm, void *ud)
{
    tc_req *r = ud;
    size_t n = sz * nm;
    int rc;
    if (r->t_first < 0) r->t_first = now_ms();
    rc = tc_reply_feed(&r->reply, p, n);
    if (rc) {
        snprintf(r->err, sizeof r->err, "reply %s", rc == TC_ETOOBIG ? "too big" : "out of memory");
        return 0;
    }
    return n;
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

static int req_launch(tc_backend *b, const tc_fim_input *in, int kind, tc_req **out)
{
    tc_req *r = calloc(1, sizeof *r);
    int rc;
    *out = NULL;
    if (!r) return TC_ENOMEM;
    r->cl = b->cl;
    r->b = b;
    r->t_first = -1;
    r->state = TC_REQ_RUNNING;
    tc_reply_init(&r->reply, b->cfg.type == TC_BACKEND_LLAMA     ? TC_PROTO_LLAMA
                             : b->cfg.type == TC_BACKEND_OLLAMA  ? TC_PROTO_OLLAMA
                             : b->cfg.type == TC_BACKEND_MISTRAL ? TC_PROTO_MISTRAL
                                                                 : TC_PROTO_OPENAI);
    if ((rc = tc_backend_build(b, in, kind, &r->msg))) goto fail;
    r->single_line = in->single_line;
    r->before = dup_tail(in->prefix, in->nprefix, BK_POST_BEFORE, &r->nb);
    r->after = dup_tail(in->suffix, in->nsuffix < BK_POST_AFTER ? in->nsuffix : BK_POST_AFTER, BK_POST_AFTER, &r->na);
    if (!r->before || !r->after || !(r->easy = curl_easy_init())) {
        rc = TC_ENOMEM;
        goto fail;
    }
    r->hdrs = auth_headers(b, NULL);
    curl_easy_setopt(r->easy, CURLOPT_URL, r->msg.url.data);
    curl_easy_setopt(r->easy, CURLOPT_HTTPHEADER, r->hdrs);
    curl_easy_setopt(r->easy, CURLOPT_POSTFIELDS, r->msg.body.data);
    curl_easy_setopt(r->easy, CURLOPT_POSTFIELDSIZE, (long)r->msg.body.len);
    curl_easy_setopt(r->easy, CURLOPT_WRITEFUNCTION, req_write);
    curl_easy_setopt(r->easy, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(r->easy, CURLOPT_PRIVATE, (char *)r);
    curl_easy_setopt(r->easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(r->easy, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(r->easy, CURLOPT_CONNECTTIMEOUT_MS, (long)b->cfg.connect_ms);
    curl_easy_setopt(r->easy, CURLOPT_TIMEOUT_MS, (long)(kind == TC_REQ_WARMUP ? 4 * b->cfg.total_ms : b->cfg.total_ms));
    if (curl_multi_add_handle(b->cl->multi, r->easy) != CURLM_OK) {
        rc = TC_EIO;
        goto fail;
    }
    r->attached = 1;
    r->next = b->cl->live;
    if (r->next) r->next->prev = r;
    b->cl->live = r;
    b->cl->nlive++;
    r->t0 = now_ms();
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

int tc_backend_request_start(tc_backend *b, const tc_fim_input *in, tc_req **out)
{
    int rc;
    *out = NULL;
    if (b->down && now_ms() < b->retry_at) return TC_EIO;
    if (b->cfg.warmup && b->cfg.type == TC_BACKEND_LLAMA && in->nextra) {
        uint64_t sig = extra_sig(in);
        if (sig != b->extra_sig) {
            tc_req *w;
            b->extra_sig = sig;
            if (!req_launch(b, in, TC_REQ_WARMUP, &w)) w->owned_by_client = 1;
        }
    }
    rc = req_launch(b, in, TC_REQ_COMPLETE, out);
    if (!rc) tc_client_perform(b->cl); /* start connecting now */
    return rc;
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

int tc_req_suggestion(const tc_req *r, tc_buf *out)
{
    tc_post_opts po = {0};
    size_t n;
    out->len = 0;
    if (tc_buf_append(out, r->reply.text.data ? r->reply.text.data : "", r->reply.text.len)) return TC_ENOMEM;
    if (tc_buf_puts(out, "")) return TC_ENOMEM;
    po.single_line = r->single_line;
    n = tc_post_completion(r->before, r->nb, r->after, r->na, &po, out->data, out->len);
    out->len = n;
    out->data[n] = 0;
    return TC_OK;
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
    free(r->before);
    free(r->after);
    free(r);
}

int tc_backend_complete(tc_backend *b, const tc_fim_input *in, int deadline_ms, tc_suggestion *io)
{
    tc_req *r = NULL;
    double t0 = now_ms();
    tc_buf s = {0};
    int rc = tc_backend_request_start(b, in, &r);
    if (rc) return rc;
    while (r->state == TC_REQ_RUNNING) {
        double left = deadline_ms - (now_ms() - t0);
        if (left <= 0) break;
        tc_client_wait(b->cl, left > 50 ? 50 : (int)left + 1);
    }
    if (r->state == TC_REQ_DONE) {
        if (tc_req_suggestion(r, &s)) rc = TC_ENOMEM;
        else if (s.len) {
            free(io->text);
            io->text = s.data;
            s.data = NULL;
            io->source = "server";
            io->confidence = 1;
        }
    } else if (r->state == TC_REQ_FAILED) {
        rc = TC_EIO;
    } else {
        rc = TC_ECANCEL; /* past the deadline: the embedded suggestion stands */
    }
    io->latency_ms += now_ms() - t0;
    tc_req_free(r);
    tc_buf_free(&s);
    return rc;
}
