/* privacy.c - secret files and redaction; see privacy.h. */
#include "context/privacy.h"
#include "context/secrets.h"
#include "util/status.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const default_patterns[] = {
    ".env", ".env.*", "*.env", ".envrc",
    "*.pem", "*.key", "*.p12", "*.pfx", "*.jks", "*.keystore", "*.kdbx", "*.ppk", "*.gpg", "*.asc",
    "id_rsa*", "id_dsa*", "id_ecdsa*", "id_ed25519*", "*_rsa", "*_ed25519",
    "credentials", "credentials.json", "credentials.y*ml", "credentials.toml", "credentials.ini", "credentials.xml",
    "*credentials*.json", ".aws/credentials", ".aws/config",
    ".netrc", "_netrc", ".npmrc", ".pypirc", ".git-credentials", ".htpasswd", ".pgpass", ".docker/config.json",
    "secrets.*", "secret.*", "*.secret", "*.secrets", "*.tfvars", "*.tfstate", "*.tfstate.*",
    "service-account*.json", "*-sa-key.json", "token.json", ".vault-token",
    NULL,
};

struct tc_privacy {
    char **pat;
    size_t n, cap;
};

const char *const *tc_privacy_default_patterns(void) { return default_patterns; }

static int add_one(tc_privacy *p, const char *s, size_t n)
{
    char *c;
    if (!n) return TC_OK;
    if (p->n == p->cap) {
        size_t nc = p->cap ? p->cap * 2 : 64;
        char **np = realloc(p->pat, nc * sizeof *np);
        if (!np) return TC_ENOMEM;
        p->pat = np;
        p->cap = nc;
    }
    if (!(c = strndup(s, n))) return TC_ENOMEM;
    p->pat[p->n++] = c;
    return TC_OK;
}

int tc_privacy_add(tc_privacy *p, const char *list)
{
    const char *s = list;
    while (s && *s) {
        size_t n;
        while (*s == ',' || *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') s++;
        n = strcspn(s, ", \t\r\n");
        if (add_one(p, s, n)) return TC_ENOMEM;
        s += n;
    }
    return TC_OK;
}

int tc_privacy_new(tc_privacy **out)
{
    tc_privacy *p = calloc(1, sizeof *p);
    size_t i;
    *out = NULL;
    if (!p) return TC_ENOMEM;
    for (i = 0; default_patterns[i]; i++)
        if (add_one(p, default_patterns[i], strlen(default_patterns[i]))) {
            tc_privacy_free(p);
            return TC_ENOMEM;
        }
    *out = p;
    return TC_OK;
}

void tc_privacy_free(tc_privacy *p)
{
    size_t i;
    if (!p) return;
    for (i = 0; i < p->n; i++) free(p->pat[i]);
    free(p->pat);
    free(p);
}

size_t tc_privacy_npatterns(const tc_privacy *p) { return p->n; }
const char *tc_privacy_pattern(const tc_privacy *p, size_t i) { return i < p->n ? p->pat[i] : NULL; }

int tc_privacy_path_is_secret(const tc_privacy *p, const char *relpath)
{
    const char *base, *t;
    size_t i;
    if (!relpath) return 0;
    base = strrchr(relpath, '/');
    base = base ? base + 1 : relpath;
    for (i = 0; i < p->n; i++) {
        const char *pat = p->pat[i];
        if (!strchr(pat, '/')) {
            if (fnmatch(pat, base, FNM_PERIOD) == 0) return 1;
            continue;
        }
        for (t = relpath; t; t = strchr(t, '/') ? strchr(t, '/') + 1 : NULL)
            if (fnmatch(pat, t, FNM_PATHNAME | FNM_PERIOD) == 0) return 1;
    }
    return 0;
}

/* ---- redaction ------------------------------------------------------------------ */

int tc_redact(const char *s, size_t n, tc_buf *out, size_t *count)
{
    tc_secrets sp = {0};
    int rc;
    if (count) *count = 0;
    if (tc_buf_reserve(out, n)) return TC_ENOMEM;
    rc = tc_secrets_scan(s, n, &sp);
    if (!rc) rc = tc_secrets_redact(s, &sp, 0, n, out, count);
    tc_secrets_free(&sp);
    return rc;
}

int tc_redact_range(const char *s, size_t from, size_t to, tc_buf *out, size_t *count)
{
    tc_secrets sp = {0};
    size_t s0 = from > TC_SECRET_LOOKBACK ? from - TC_SECRET_LOOKBACK : 0;
    int rc;
    if (count) *count = 0;
    while (s0 > 0 && s[s0 - 1] != '\n') s0--;
    if (tc_buf_reserve(out, to - from)) return TC_ENOMEM;
    rc = tc_secrets_scan(s + s0, to - s0, &sp);
    if (!rc) rc = tc_secrets_redact(s + s0, &sp, from - s0, to - s0, out, count);
    tc_secrets_free(&sp);
    return rc;
}
