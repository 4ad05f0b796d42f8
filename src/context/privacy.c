/* privacy.c - secret files and redaction; see privacy.h. */
#include "context/privacy.h"
#include "util/status.h"

#include <ctype.h>
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

static int is_word(unsigned char c) { return isalnum(c) || c == '_'; }

/* Length of the run at s[i..n) of characters in set (a small alphabet spec:
 * 'A' upper, 'a' lower, '0' digits, others literal). */
static size_t run(const char *s, size_t n, size_t i, const char *set)
{
    size_t j = i;
    for (; j < n; j++) {
        unsigned char c = (unsigned char)s[j];
        const char *k;
        int ok = 0;
        for (k = set; *k && !ok; k++) {
            if (*k == 'A') ok = isupper(c);
            else if (*k == 'a') ok = islower(c);
            else if (*k == '0') ok = isdigit(c);
            else ok = c == (unsigned char)*k;
        }
        if (!ok) break;
    }
    return j - i;
}

/* Known token shapes: prefix, alphabet of the rest, minimum length of the rest. */
static const struct shape {
    const char *prefix, *set;
    size_t min;
} shapes[] = {
    {"AKIA", "A0", 16}, {"ASIA", "A0", 16},
    {"ghp_", "Aa0", 30}, {"gho_", "Aa0", 30}, {"ghu_", "Aa0", 30}, {"ghs_", "Aa0", 30}, {"ghr_", "Aa0", 30},
    {"github_pat_", "Aa0_", 22}, {"glpat-", "Aa0_-", 20},
    {"sk-", "Aa0_-", 20}, {"sk_live_", "Aa0", 16}, {"rk_live_", "Aa0", 16}, {"sk_test_", "Aa0", 16},
    {"xoxb-", "Aa0-", 10}, {"xoxa-", "Aa0-", 10}, {"xoxp-", "Aa0-", 10}, {"xoxr-", "Aa0-", 10},
    {"xoxs-", "Aa0-", 10}, {"AIza", "Aa0_-", 30}, {"hf_", "Aa", 30}, {"npm_", "Aa0", 30},
};

/* A token of known shape at s[i]; its length or 0. */
static size_t match_shape(const char *s, size_t n, size_t i)
{
    size_t k;
    if (!s[i] || !strchr("Agsrxhn", s[i]) || (i > 0 && is_word((unsigned char)s[i - 1]))) return 0;
    for (k = 0; k < sizeof shapes / sizeof *shapes; k++) {
        size_t pl = strlen(shapes[k].prefix), r;
        if (n - i < pl + shapes[k].min || memcmp(s + i, shapes[k].prefix, pl) != 0) continue;
        r = run(s, n, i + pl, shapes[k].set);
        if (r >= shapes[k].min) return pl + r;
    }
    return 0;
}

/* A JSON Web Token at s[i] (eyJ...header . payload . signature). */
static size_t match_jwt(const char *s, size_t n, size_t i)
{
    size_t a, b, c;
    if (n - i < 20 || memcmp(s + i, "eyJ", 3) != 0 || (i > 0 && is_word((unsigned char)s[i - 1]))) return 0;
    a = run(s, n, i, "Aa0_-");
    if (a < 10 || i + a >= n || s[i + a] != '.') return 0;
    b = run(s, n, i + a + 1, "Aa0_-");
    if (b < 10 || i + a + 1 + b >= n || s[i + a + 1 + b] != '.') return 0;
    c = run(s, n, i + a + 2 + b, "Aa0_-");
    if (c < 10) return 0;
    return a + b + c + 2;
}

/* A private key block at s[i]; its length (to the END line, or to the end
 * of the text if unterminated) or 0. */
static size_t match_pem(const char *s, size_t n, size_t i)
{
    const char *eol, *end;
    if (n - i < 20 || memcmp(s + i, "-----BEGIN ", 11) != 0) return 0;
    eol = memchr(s + i, '\n', n - i);
    if (!memmem(s + i, (size_t)((eol ? eol : s + n) - (s + i)), "PRIVATE KEY", 11)) return 0;
    end = memmem(s + i + 11, n - i - 11, "-----END ", 9);
    if (!end) return n - i;
    end += 9;
    eol = memchr(end, '\n', (size_t)(s + n - end));
    end = eol ? eol : s + n;
    /* keep the line break */
    return (size_t)(end - (s + i));
}

/* A password in a URL: scheme://user:PASSWORD@host. At s[i] == ':' after
 * "://user"; returns the password's length, *start its offset. */
static size_t match_url_password(const char *s, size_t n, size_t i)
{
    size_t j, k;
    if (s[i] != ':') return 0;
    /* look back for "://" then a user name */
    for (j = i; j > 0 && (is_word((unsigned char)s[j - 1]) || s[j - 1] == '.' || s[j - 1] == '-' || s[j - 1] == '%'); j--)
        ;
    if (j == i || j < 3 || memcmp(s + j - 3, "://", 3) != 0) return 0;
    for (k = i + 1; k < n && s[k] != '@' && s[k] != '/' && s[k] != ' ' && s[k] != '\n' && s[k] != '"' && s[k] != '\'';
         k++)
        ;
    if (k >= n || s[k] != '@' || k == i + 1) return 0;
    return k - i - 1;
}

static const char *const secret_names[] = {"password", "passwd", "passphrase", "secret", "token", "apikey",
                                           "api_key", "api-key", "access_key", "private_key", "credential",
                                           "auth", NULL};

static int name_says_secret(const char *s, size_t n)
{
    size_t k;
    char low[64];
    if (n >= sizeof low || n < 3) return 0;
    for (k = 0; k < n; k++) low[k] = (char)tolower((unsigned char)s[k]);
    low[n] = 0;
    for (k = 0; secret_names[k]; k++)
        if (strstr(low, secret_names[k])) return 1;
    return 0;
}

/* NAME <op> VALUE where NAME says secret: at s[i], the start of a word.
 * Returns the value's length and its offset in *vstart, or 0. */
static size_t match_assignment(const char *s, size_t n, size_t i, size_t *vstart)
{
    size_t j = i, k, v;
    char q = 0;
    int digit = 0, alpha = 0, upper_only = 1;
    if (i > 0 && (is_word((unsigned char)s[i - 1]) || s[i - 1] == '-')) return 0;
    while (j < n && (is_word((unsigned char)s[j]) || s[j] == '-' || s[j] == '.')) j++;
    {
        /* cheap test first: an assignment operator must follow */
        size_t k2 = j;
        if (k2 < n && (s[k2] == '"' || s[k2] == '\'')) k2++;
        while (k2 < n && (s[k2] == ' ' || s[k2] == '\t')) k2++;
        if (k2 >= n || (s[k2] != '=' && s[k2] != ':')) return 0;
    }
    if (!name_says_secret(s + i, j - i)) return 0;
    if (j < n && (s[j] == '"' || s[j] == '\'')) j++; /* "api_key": */
    while (j < n && (s[j] == ' ' || s[j] == '\t')) j++;
    if (j < n && s[j] == ':' && j + 1 < n && s[j + 1] == '=') j += 2;
    else if (j + 1 < n && s[j] == '=' && s[j + 1] == '>') j += 2;
    else if (j < n && (s[j] == '=' || s[j] == ':') && !(j + 1 < n && s[j + 1] == '=')) j++;
    else return 0;
    while (j < n && (s[j] == ' ' || s[j] == '\t')) j++;
    if (j < n && (s[j] == '"' || s[j] == '\'' || s[j] == '`')) q = s[j++];
    v = j;
    for (k = j; k < n; k++) {
        unsigned char c = (unsigned char)s[k];
        if (q ? c == (unsigned char)q : (isspace(c) || c == ',' || c == ';' || c == ')' || c == '#')) break;
        if (isspace(c) || (q && c == '\\')) return 0;
        /* unquoted: a token of the usual secret alphabet, else it is code */
        if (!q && !isalnum(c) && !strchr("-_+/=.~%@:", c)) return 0;
        if (isdigit(c)) digit++;
        if (isalpha(c)) alpha++;
        if (islower(c)) upper_only = 0;
    }
    if (q && (k >= n || s[k] != q)) return 0;
    if (k - v < 8 || (!digit && k - v < 16) || (upper_only && !digit)) return 0;
    if (!q && (digit < 2 || alpha < 2) && k - v < 24) return 0;
    *vstart = v;
    return k - v;
}

int tc_redact(const char *s, size_t n, tc_buf *out, size_t *count)
{
    size_t i = 0, last = 0, cnt = 0;
    int rc = TC_OK;
    if (tc_buf_reserve(out, n)) return TC_ENOMEM;
    while (i < n && !rc) {
        unsigned char c = (unsigned char)s[i];
        size_t m = 0, vstart = 0;
        if (c == '-') {
            if ((m = match_pem(s, n, i))) {
                rc = tc_buf_append(out, s + last, i - last);
                if (!rc) rc = tc_buf_puts(out, "<redacted private key>");
                i += m;
                last = i;
                cnt++;
                continue;
            }
        } else if (c == ':') {
            if ((m = match_url_password(s, n, i))) vstart = i + 1;
        } else if (isalpha(c) || c == '_') {
            if ((m = match_shape(s, n, i)) || (m = match_jwt(s, n, i))) vstart = i;
            else if (!(i > 0 && is_word((unsigned char)s[i - 1])))
                m = match_assignment(s, n, i, &vstart);
        }
        if (m) {
            rc = tc_buf_append(out, s + last, vstart - last);
            if (!rc) rc = tc_buf_puts(out, "<redacted>");
            i = vstart + m;
            last = i;
            cnt++;
            continue;
        }
        /* skip the rest of a word: matches start at word starts */
        if (is_word(c)) {
            while (i < n && is_word((unsigned char)s[i])) i++;
        } else {
            i++;
        }
    }
    if (!rc) rc = tc_buf_append(out, s + last, n - last);
    if (count) *count = cnt;
    return rc;
}
