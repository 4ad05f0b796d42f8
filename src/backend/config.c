/* config.c - settings from defaults, file, environment, LSP; see config.h. */
#include "backend/config.h"
#include "util/buf.h"
#include "util/fsio.h"
#include "util/status.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

extern char **environ;

static const char *const type_names[TC_BACKEND_TYPE_COUNT] = {"none", "llama", "openai", "mistral", "ollama"};

const char *tc_backend_type_name(tc_backend_type t)
{
    return (unsigned)t < TC_BACKEND_TYPE_COUNT ? type_names[t] : "?";
}

static int type_parse(const char *s, tc_backend_type *t)
{
    int i;
    for (i = 1; i < TC_BACKEND_TYPE_COUNT; i++)
        if (strcasecmp(s, type_names[i]) == 0) {
            *t = (tc_backend_type)i;
            return TC_OK;
        }
    if (strcasecmp(s, "llama.cpp") == 0 || strcasecmp(s, "llamacpp") == 0) *t = TC_BACKEND_LLAMA;
    else if (strcasecmp(s, "openai-compatible") == 0 || strcasecmp(s, "vllm") == 0) *t = TC_BACKEND_OPENAI;
    else if (strcasecmp(s, "codestral") == 0) *t = TC_BACKEND_MISTRAL;
    else return TC_EINVAL;
    return TC_OK;
}

int tc_config_init(tc_config *c)
{
    memset(c, 0, sizeof *c);
    c->deadline_ms = 400;
    c->stats_enabled = 1;
    c->stats_keep_days = 90;
    return TC_OK;
}

static void backend_free(tc_backend_cfg *b)
{
    free(b->url);
    free(b->model);
    free(b->api_key_env);
    memset(b, 0, sizeof *b);
}

void tc_config_free(tc_config *c)
{
    size_t i;
    if (!c) return;
    for (i = 0; i < c->nb; i++) backend_free(&c->b[i]);
    for (i = 0; i < c->norigin; i++) free(c->origin[i]);
    free(c->origin);
    free(c->backend);
    free(c->secret_files);
    free(c->file);
    memset(c, 0, sizeof *c);
}

static void errf(char *err, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void errf(char *err, size_t n, const char *fmt, ...)
{
    va_list ap;
    if (!err || !n) return;
    va_start(ap, fmt);
    vsnprintf(err, n, fmt, ap);
    va_end(ap);
}

static int set_str(char **dst, const char *v)
{
    char *d = strdup(v);
    if (!d) return TC_ENOMEM;
    free(*dst);
    *dst = d;
    return TC_OK;
}

static int parse_int(const char *v, int lo, int hi, int *out)
{
    char *end;
    long x;
    errno = 0;
    x = strtol(v, &end, 10);
    while (*end == ' ' || *end == '\t') end++;
    if (errno || end == v || *end || x < lo || x > hi) return TC_EINVAL;
    *out = (int)x;
    return TC_OK;
}

static int parse_bool(const char *v, int *out)
{
    if (!strcasecmp(v, "1") || !strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcasecmp(v, "on")) *out = 1;
    else if (!strcasecmp(v, "0") || !strcasecmp(v, "false") || !strcasecmp(v, "no") || !strcasecmp(v, "off")) *out = 0;
    else return TC_EINVAL;
    return TC_OK;
}

static int valid_name(const char *s)
{
    size_t n = strlen(s), i;
    if (!n || n >= sizeof ((tc_backend_cfg *)0)->name) return 0;
    for (i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_') return 0;
    return 1;
}

/* The backend named name, created (with its type guessed from the name) if
 * absent. NULL when full or the name is invalid. */
static tc_backend_cfg *backend_get(tc_config *c, const char *name)
{
    size_t i;
    tc_backend_cfg *b;
    for (i = 0; i < c->nb; i++)
        if (strcasecmp(c->b[i].name, name) == 0) return &c->b[i];
    if (c->nb == TC_CONFIG_MAX_BACKENDS || !valid_name(name)) return NULL;
    b = &c->b[c->nb++];
    memset(b, 0, sizeof *b);
    for (i = 0; name[i]; i++) b->name[i] = (char)tolower((unsigned char)name[i]);
    if (type_parse(name, &b->type)) b->type = TC_BACKEND_NONE;
    b->n_predict = 64;
    b->n_batch = 2048;
    b->stream = 1;
    b->warmup = 1;
    b->first_byte_ms = 1500;
    b->total_ms = 5000;
    return b;
}

static int note_origin(tc_config *c, const char *section, const char *key, const char *value, const char *source)
{
    char line[512], **o;
    snprintf(line, sizeof line, "%s.%s = %s  (%s)", section, key, value, source ? source : "?");
    o = realloc(c->origin, (c->norigin + 1) * sizeof *o);
    if (!o) return TC_ENOMEM;
    c->origin = o;
    if (!(o[c->norigin] = strdup(line))) return TC_ENOMEM;
    c->norigin++;
    return TC_OK;
}

static int set_backend_key(tc_backend_cfg *b, const char *key, const char *v, char *err, size_t errlen)
{
    int rc = TC_OK, x;
    if (!strcmp(key, "type")) {
        if (type_parse(v, &b->type)) {
            errf(err, errlen, "backend.%s.type: '%s' is not one of llama, openai, mistral, ollama", b->name, v);
            return TC_EINVAL;
        }
    } else if (!strcmp(key, "url")) {
        if (strncmp(v, "http://", 7) && strncmp(v, "https://", 8)) {
            errf(err, errlen, "backend.%s.url: '%s' must start with http:// or https://", b->name, v);
            return TC_EINVAL;
        }
        rc = set_str(&b->url, v);
        if (!rc) {
            size_t n = strlen(b->url);
            while (n && b->url[n - 1] == '/') b->url[--n] = 0; /* no trailing slash */
        }
    } else if (!strcmp(key, "model")) {
        rc = set_str(&b->model, v);
    } else if (!strcmp(key, "api_key_env")) {
        rc = set_str(&b->api_key_env, v);
    } else if (!strcmp(key, "api_key")) {
        errf(err, errlen, "backend.%s: put the key in an environment variable and name it with api_key_env", b->name);
        return TC_EINVAL;
    } else if (!strcmp(key, "fim")) {
        if (tc_fim_family_parse(v, &b->fim)) {
            errf(err, errlen,
                 "backend.%s.fim: '%s' is not auto, starcoder, codellama, deepseek, qwen, codestral or codegemma",
                 b->name, v);
            return TC_EINVAL;
        }
    } else if (!strcmp(key, "mode")) {
        if (!strcasecmp(v, "raw")) b->raw = 1;
        else if (!strcasecmp(v, "infill") || !strcasecmp(v, "suffix") || !strcasecmp(v, "server")) b->raw = 0;
        else {
            errf(err, errlen, "backend.%s.mode: '%s' is not infill (the server's FIM) or raw (tacit's prompt)",
                 b->name, v);
            return TC_EINVAL;
        }
    } else if (!strcmp(key, "temperature")) {
        char *end;
        double t = strtod(v, &end);
        if (end == v || *end || t < 0 || t > 2) goto bad_num;
        b->temperature = t;
    } else if (!strcmp(key, "stream") || !strcmp(key, "warmup")) {
        if (parse_bool(v, &x)) {
            errf(err, errlen, "backend.%s.%s: '%s' is not true or false", b->name, key, v);
            return TC_EINVAL;
        }
        if (!strcmp(key, "stream")) b->stream = x;
        else b->warmup = x;
    } else {
        static const struct {
            const char *key;
            size_t off;
            int lo, hi;
        } ints[] = {
            {"connect_timeout_ms", offsetof(tc_backend_cfg, connect_ms), 1, 600000},
            {"first_byte_timeout_ms", offsetof(tc_backend_cfg, first_byte_ms), 1, 600000},
            {"timeout_ms", offsetof(tc_backend_cfg, total_ms), 1, 600000},
            {"n_predict", offsetof(tc_backend_cfg, n_predict), 1, 4096},
            {"max_tokens", offsetof(tc_backend_cfg, max_tokens), 0, 1 << 20},
            {"n_batch", offsetof(tc_backend_cfg, n_batch), 16, 1 << 20},
        };
        size_t i;
        for (i = 0; i < sizeof ints / sizeof *ints; i++)
            if (!strcmp(key, ints[i].key)) {
                if (parse_int(v, ints[i].lo, ints[i].hi, (int *)((char *)b + ints[i].off))) goto bad_num;
                return TC_OK;
            }
        errf(err, errlen, "backend.%s: unknown key '%s'", b->name, key);
        return TC_EINVAL;
    }
    return rc;
bad_num:
    errf(err, errlen, "backend.%s.%s: '%s' is not a valid number here", b->name, key, v);
    return TC_EINVAL;
}

int tc_config_set(tc_config *c, const char *section, const char *key, const char *value, const char *source,
                  char *err, size_t errlen)
{
    int rc = TC_OK, x;
    if (!section || !*section) section = "general";
    if (!strcasecmp(section, "general") || !strcasecmp(section, "tacit")) {
        section = "general";
        if (!strcmp(key, "backend")) {
            tc_backend_type t;
            rc = set_str(&c->backend, value);
            /* "llama", "ollama", ...: a backend of that type with its defaults */
            if (!rc && !type_parse(value, &t) && !backend_get(c, value)) rc = TC_ENOMEM;
        }
        else if (!strcmp(key, "deadline_ms")) {
            if (parse_int(value, 0, 600000, &c->deadline_ms)) goto bad_num;
        } else goto unknown;
    } else if (!strcasecmp(section, "context")) {
        static const struct {
            const char *key;
            size_t off;
            int lo, hi, is_u32;
        } ints[] = {
            {"max_tokens", offsetof(tc_ctx_opts, max_tokens), 64, 1 << 20, 1},
            {"max_prefix_tokens", offsetof(tc_ctx_opts, max_prefix_tokens), 0, 1 << 20, 1},
            {"max_suffix_tokens", offsetof(tc_ctx_opts, max_suffix_tokens), 0, 1 << 20, 1},
            {"near_suffix_tokens", offsetof(tc_ctx_opts, near_suffix_tokens), 0, 1 << 20, 1},
            {"retrieved", offsetof(tc_ctx_opts, n_retrieved), -1, 32, 0},
            {"recent", offsetof(tc_ctx_opts, n_recent), -1, 64, 0},
            {"chunk_lines", offsetof(tc_ctx_opts, chunk_lines), 1, 1000, 0},
            {"requery_lines", offsetof(tc_ctx_opts, requery_lines), 1, 100000, 0},
            {"snap_lines", offsetof(tc_ctx_opts, snap_lines), 1, 1000, 0},
            {"max_lines", offsetof(tc_ctx_opts, max_lines), 1, 100000, 0},
        };
        size_t i;
        for (i = 0; i < sizeof ints / sizeof *ints; i++)
            if (!strcmp(key, ints[i].key)) {
                if (parse_int(value, ints[i].lo, ints[i].hi, &x)) goto bad_num;
                /* 0 and -1 mean "none" for chunk counts */
                if (!ints[i].is_u32 && x == 0 && ints[i].lo < 0) x = -1;
                if (ints[i].is_u32) *(uint32_t *)((char *)&c->ctx + ints[i].off) = (uint32_t)x;
                else *(int *)((char *)&c->ctx + ints[i].off) = x;
                break;
            }
        if (i == sizeof ints / sizeof *ints) goto unknown;
    } else if (!strcasecmp(section, "privacy")) {
        if (!strcmp(key, "secret_files")) {
            /* lists add up across sources */
            size_t n = (c->secret_files ? strlen(c->secret_files) : 0) + strlen(value) + 2;
            char *s = malloc(n);
            if (!s) return TC_ENOMEM;
            snprintf(s, n, "%s%s%s", c->secret_files ? c->secret_files : "", c->secret_files ? "," : "", value);
            free(c->secret_files);
            c->secret_files = s;
        } else goto unknown;
    } else if (!strcasecmp(section, "stats")) {
        if (!strcmp(key, "enabled")) {
            if (parse_bool(value, &c->stats_enabled)) {
                errf(err, errlen, "stats.enabled: '%s' is not true or false", value);
                return TC_EINVAL;
            }
        } else if (!strcmp(key, "keep_days")) {
            if (parse_int(value, 1, 36500, &c->stats_keep_days)) goto bad_num;
        } else goto unknown;
    } else if (!strncasecmp(section, "backend.", 8)) {
        tc_backend_cfg *b = backend_get(c, section + 8);
        if (!b) {
            errf(err, errlen, "[%s]: bad backend name (letters, digits, - and _; at most %d backends)", section,
                 TC_CONFIG_MAX_BACKENDS);
            return TC_EINVAL;
        }
        rc = set_backend_key(b, key, value, err, errlen);
        if (rc) return rc;
    } else {
        errf(err, errlen, "unknown section [%s] (general, context, privacy, stats, backend.NAME)", section);
        return TC_EINVAL;
    }
    if (rc) return rc;
    return note_origin(c, section, key, value, source);
unknown:
    errf(err, errlen, "[%s]: unknown key '%s'", section, key);
    return TC_EINVAL;
bad_num:
    errf(err, errlen, "%s.%s: '%s' is not a valid number here", section, key, value);
    return TC_EINVAL;
}

const char *tc_config_default_path(char *buf, size_t n)
{
    const char *e = getenv("TACIT_CONFIG"), *x = getenv("XDG_CONFIG_HOME"), *h = getenv("HOME");
    if (e && *e) snprintf(buf, n, "%s", e);
    else if (x && *x) snprintf(buf, n, "%s/tacit/config.ini", x);
    else snprintf(buf, n, "%s/.config/tacit/config.ini", h && *h ? h : ".");
    return buf;
}

typedef struct ini_ctx {
    tc_config *c;
    char *err;
    size_t errlen;
    const char *path;
    int rc;
} ini_ctx;

static int ini_cb(void *ud, const char *section, const char *name, const char *value)
{
    ini_ctx *x = ud;
    char e[256];
    if (x->rc) return 0;
    x->rc = tc_config_set(x->c, section, name, value ? value : "", "file", e, sizeof e);
    if (x->rc) {
        errf(x->err, x->errlen, "%s: %s", x->path, e);
        return 0;
    }
    return 1;
}

#define CONFIG_MAX_BYTES (1u << 20) /* a settings file is a few lines */

int tc_config_load_file(tc_config *c, const char *path, char *err, size_t errlen)
{
    ini_ctx x = {c, err, errlen, path, TC_OK};
    tc_buf text = {0};
    int line, rc;
    /* Never blocks (a FIFO is refused, not waited on) and never reads an
     * endless file whole. */
    /* "--config /dev/null" is the usual way to say "no settings". */
    if (strcmp(path, "/dev/null") == 0) return set_str(&c->file, path);
    if ((rc = tc_fs_read_path(path, CONFIG_MAX_BYTES, &text))) {
        tc_buf_free(&text);
        if (rc == TC_ENOENT) return TC_ENOENT;
        errf(err, errlen, "%s: %s", path,
             rc == TC_EINVAL ? "not a regular file" : rc == TC_ETOOBIG ? "too big for a settings file" : tc_strerror(rc));
        return rc == TC_ENOMEM ? TC_ENOMEM : rc == TC_EINVAL ? TC_EINVAL : TC_EIO;
    }
    line = ini_parse_string(text.data ? text.data : "", ini_cb, &x);
    tc_buf_free(&text);
    if (x.rc) {
        if (line > 0 && err) {
            char tmp[512];
            snprintf(tmp, sizeof tmp, "%s (line %d)", err, line);
            snprintf(err, errlen, "%s", tmp);
        }
        return x.rc;
    }
    if (line) {
        errf(err, errlen, "%s:%d: not an INI line (expected [section] or key = value)", path, line);
        return TC_EINVAL;
    }
    return set_str(&c->file, path);
}

int tc_config_load_env(tc_config *c, char **envp, char *err, size_t errlen)
{
    char **e;
    int rc;
    if (!envp) envp = environ;
    for (e = envp; *e; e++) {
        const char *kv = *e, *eq = strchr(kv, '=');
        char name[128], section[64], key[64], src[160];
        const char *v, *rest;
        size_t i;
        if (strncmp(kv, "TACIT_", 6) || !eq || (size_t)(eq - kv) >= sizeof name) continue;
        memcpy(name, kv, (size_t)(eq - kv));
        name[eq - kv] = 0;
        v = eq + 1;
        snprintf(src, sizeof src, "env %s", name);
        rest = name + 6;
        if (!strcmp(rest, "BACKEND")) rc = tc_config_set(c, "general", "backend", v, src, err, errlen);
        else if (!strcmp(rest, "DEADLINE_MS")) rc = tc_config_set(c, "general", "deadline_ms", v, src, err, errlen);
        else if (!strncmp(rest, "GENERAL_", 8) || !strncmp(rest, "CONTEXT_", 8) || !strncmp(rest, "PRIVACY_", 8) ||
                 !strncmp(rest, "STATS_", 6)) {
            size_t sl = strncmp(rest, "STATS_", 6) ? 7 : 5;
            snprintf(section, sizeof section, "%.*s", (int)sl, rest);
            for (i = 0; section[i]; i++) section[i] = (char)tolower((unsigned char)section[i]);
            snprintf(key, sizeof key, "%.60s", rest + sl + 1);
            for (i = 0; key[i]; i++) key[i] = (char)tolower((unsigned char)key[i]);
            rc = tc_config_set(c, section, key, v, src, err, errlen);
        } else if (!strncmp(rest, "BACKEND_", 8)) {
            const char *nm = rest + 8, *us = strchr(nm, '_');
            if (!us || us == nm) continue;
            snprintf(section, sizeof section, "backend.%.*s", (int)(us - nm < 40 ? us - nm : 40), nm);
            for (i = 0; section[i]; i++) section[i] = (char)tolower((unsigned char)section[i]);
            snprintf(key, sizeof key, "%.60s", us + 1);
            for (i = 0; key[i]; i++) key[i] = (char)tolower((unsigned char)key[i]);
            rc = tc_config_set(c, section, key, v, src, err, errlen);
        } else {
            continue; /* TACIT_CONFIG, TACIT_CACHE_DIR, TACIT_TEST_BIN, ... belong elsewhere */
        }
        if (rc) return rc;
    }
    return TC_OK;
}

/* A JSON scalar (or array of scalars) as a string. */
static int json_value_str(const cJSON *v, char *buf, size_t n)
{
    if (cJSON_IsString(v)) snprintf(buf, n, "%s", v->valuestring);
    else if (cJSON_IsBool(v)) snprintf(buf, n, "%s", cJSON_IsTrue(v) ? "true" : "false");
    else if (cJSON_IsNumber(v)) {
        if (v->valuedouble == (double)(long long)v->valuedouble) snprintf(buf, n, "%lld", (long long)v->valuedouble);
        else snprintf(buf, n, "%g", v->valuedouble);
    } else if (cJSON_IsArray(v)) {
        const cJSON *it;
        size_t len = 0;
        buf[0] = 0;
        cJSON_ArrayForEach(it, v)
        {
            if (!cJSON_IsString(it)) return TC_EINVAL;
            len += (size_t)snprintf(buf + len, len < n ? n - len : 0, "%s%s", len ? "," : "", it->valuestring);
            if (len >= n) return TC_ETOOBIG;
        }
    } else return TC_EINVAL;
    return TC_OK;
}

static int json_section(tc_config *c, const char *section, const cJSON *obj, char *err, size_t errlen)
{
    const cJSON *it;
    char val[2048];
    int rc;
    cJSON_ArrayForEach(it, obj)
    {
        if (json_value_str(it, val, sizeof val)) {
            errf(err, errlen, "initializationOptions: %s.%s has an unusable value", section, it->string);
            return TC_EINVAL;
        }
        if ((rc = tc_config_set(c, section, it->string, val, "initializationOptions", err, errlen))) return rc;
    }
    return TC_OK;
}

int tc_config_load_json(tc_config *c, const cJSON *opts, char *err, size_t errlen)
{
    const cJSON *it, *w;
    char val[2048];
    int rc;
    if (!opts || cJSON_IsNull(opts)) return TC_OK;
    if (!cJSON_IsObject(opts)) {
        errf(err, errlen, "initializationOptions: expected an object");
        return TC_EINVAL;
    }
    if ((w = cJSON_GetObjectItemCaseSensitive(opts, "tacit")) && cJSON_IsObject(w)) opts = w;
    cJSON_ArrayForEach(it, opts)
    {
        if (!strcmp(it->string, "backends") && cJSON_IsObject(it)) {
            const cJSON *b;
            cJSON_ArrayForEach(b, it)
            {
                char sec[80];
                if (!cJSON_IsObject(b)) continue;
                snprintf(sec, sizeof sec, "backend.%s", b->string);
                if ((rc = json_section(c, sec, b, err, errlen))) return rc;
            }
        } else if ((!strcmp(it->string, "context") || !strcmp(it->string, "privacy") ||
                    !strcmp(it->string, "general") || !strcmp(it->string, "stats")) &&
                   cJSON_IsObject(it)) {
            if ((rc = json_section(c, it->string, it, err, errlen))) return rc;
        } else {
            if (json_value_str(it, val, sizeof val)) {
                errf(err, errlen, "initializationOptions: %s has an unusable value", it->string);
                return TC_EINVAL;
            }
            if ((rc = tc_config_set(c, "general", it->string, val, "initializationOptions", err, errlen))) return rc;
        }
    }
    return TC_OK;
}

int tc_config_load(tc_config *c, const char *path, char *err, size_t errlen)
{
    char buf[4096];
    int rc;
    int explicit_path = path != NULL || (getenv("TACIT_CONFIG") && *getenv("TACIT_CONFIG"));
    if (!path) path = tc_config_default_path(buf, sizeof buf);
    rc = tc_config_load_file(c, path, err, errlen);
    if (rc == TC_ENOENT && explicit_path) {
        errf(err, errlen, "settings file %s does not exist", path);
        return rc;
    }
    if (rc && rc != TC_ENOENT) {
        if (rc == TC_EIO) errf(err, errlen, "cannot read settings file %s", path);
        return rc;
    }
    return tc_config_load_env(c, NULL, err, errlen);
}

const tc_backend_cfg *tc_config_backend(const tc_config *c, const char *name)
{
    size_t i;
    if (!name) name = c->backend;
    if (!name || !*name || !strcasecmp(name, "none") || !strcasecmp(name, "embedded")) return NULL;
    for (i = 0; i < c->nb; i++)
        if (!strcasecmp(c->b[i].name, name)) return &c->b[i];
    return NULL;
}
