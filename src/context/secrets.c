/* secrets.c - the detection table and its single pass; see secrets.h. */
#include "context/secrets.h"
#include "util/status.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int is_word(unsigned char c) { return isalnum(c) || c == '_'; }
static int is_b64(unsigned char c) { return isalnum(c) || c == '+' || c == '/' || c == '='; }

/* ---- provider shapes --------------------------------------------------------- */

/* Length of the run at s[i..n) of characters in set ('A' upper, 'a' lower,
 * '0' digits, 'h' lower hex, others literal). */
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
            else if (*k == 'h') ok = isdigit(c) || (c >= 'a' && c <= 'f');
            else ok = c == (unsigned char)*k;
        }
        if (!ok) break;
    }
    return j - i;
}

/* Known token shapes: prefix, alphabet of the rest, minimum length of the
 * rest. The first matching prefix wins, so longer prefixes come first. */
static const struct shape {
    const char *prefix, *set;
    size_t min;
} shapes[] = {
    /* AWS access key ids */
    {"AKIA", "A0", 16}, {"ASIA", "A0", 16}, {"AGPA", "A0", 16}, {"AIDA", "A0", 16}, {"AROA", "A0", 16},
    {"AIPA", "A0", 16}, {"ANPA", "A0", 16}, {"ANVA", "A0", 16}, {"A3T", "A0", 17},
    /* GitHub, GitLab */
    {"github_pat_", "Aa0_", 22}, {"ghp_", "Aa0", 30}, {"gho_", "Aa0", 30}, {"ghu_", "Aa0", 30},
    {"ghs_", "Aa0", 30}, {"ghr_", "Aa0", 30}, {"glpat-", "Aa0_-", 20}, {"glptt-", "Aa0_-", 20},
    {"gldt-", "Aa0_-", 20}, {"glrt-", "Aa0_-", 20},
    /* Stripe (secret and restricted keys; publishable pk_ keys are public) */
    {"sk_live_", "Aa0", 16}, {"rk_live_", "Aa0", 16}, {"sk_test_", "Aa0", 16}, {"rk_test_", "Aa0", 16},
    {"whsec_", "Aa0", 24},
    /* OpenAI (sk-, sk-proj-), Anthropic (sk-ant-) */
    {"sk-", "Aa0_-", 20},
    /* Slack */
    {"xoxb-", "Aa0-", 10}, {"xoxa-", "Aa0-", 10}, {"xoxp-", "Aa0-", 10}, {"xoxr-", "Aa0-", 10},
    {"xoxs-", "Aa0-", 10}, {"xoxe-", "Aa0-", 10}, {"xapp-", "Aa0-", 10},
    /* Google */
    {"AIza", "Aa0_-", 30}, {"GOCSPX-", "Aa0_-", 24}, {"ya29.", "Aa0_-", 30},
    /* npm, PyPI, Hugging Face, SendGrid, Shopify, DigitalOcean */
    {"npm_", "Aa0", 30}, {"pypi-AgEIcHlwaS5vcmc", "Aa0_-", 40}, {"hf_", "Aa", 30}, {"SG.", "Aa0_-.", 40},
    {"shpat_", "h", 32}, {"shpss_", "h", 32}, {"shpca_", "h", 32}, {"shppa_", "h", 32}, {"dop_v1_", "h", 64},
};

static size_t match_shape(const char *s, size_t n, size_t i)
{
    size_t k;
    if (!strchr("AghsrwxGynphSd", s[i])) return 0;
    for (k = 0; k < sizeof shapes / sizeof *shapes; k++) {
        size_t pl = strlen(shapes[k].prefix), r;
        if (n - i < pl + shapes[k].min || memcmp(s + i, shapes[k].prefix, pl) != 0) continue;
        r = run(s, n, i + pl, shapes[k].set);
        if (r >= shapes[k].min) return pl + r;
        return 0;
    }
    return 0;
}

/* A JSON Web Token at s[i] (eyJ...header . payload . signature). */
static size_t match_jwt(const char *s, size_t n, size_t i)
{
    size_t a, b, c;
    if (n - i < 20 || memcmp(s + i, "eyJ", 3) != 0) return 0;
    a = run(s, n, i, "Aa0_-");
    if (a < 10 || i + a >= n || s[i + a] != '.') return 0;
    b = run(s, n, i + a + 1, "Aa0_-");
    if (b < 10 || i + a + 1 + b >= n || s[i + a + 1 + b] != '.') return 0;
    c = run(s, n, i + a + 2 + b, "Aa0_-");
    if (c < 10) return 0;
    return a + b + c + 2;
}

/* ---- private key blocks ------------------------------------------------------- */

/* A private key block at s[i]: its length, or 0. Ends after the END line's
 * closing dashes; unterminated, after the last line of base64 (or header)
 * that follows the BEGIN line. */
static size_t match_pem(const char *s, size_t n, size_t i)
{
    const char *eol, *end, *lim;
    size_t j, span = n - i > 65536 ? 65536 : n - i;
    if (n - i < 20 || memcmp(s + i, "-----BEGIN ", 11) != 0) return 0;
    eol = memchr(s + i, '\n', n - i);
    lim = memmem(s + i + 11, (size_t)((eol ? eol : s + n) - (s + i + 11)), "-----", 5);
    if (!lim || !memmem(s + i, (size_t)(lim - (s + i)), "PRIVATE KEY", 11)) return 0;
    end = memmem(s + i + 11, span - 11, "-----END ", 9);
    if (end) {
        const char *d = end + 9, *stop = s + n - d > 80 ? d + 80 : s + n;
        const char *close = memmem(d, (size_t)(stop - d), "-----", 5);
        if (close) return (size_t)(close + 5 - (s + i));
        return (size_t)(d - (s + i));
    }
    /* unterminated: the rest of the BEGIN line while it is base64 (a key
     * in a string with \n escapes), then whole lines of base64 or headers */
    j = (size_t)(lim + 5 - s);
    while (j < n && s[j] != '\n') {
        if (!(isspace((unsigned char)s[j]) || is_b64((unsigned char)s[j]) || s[j] == '\\')) return j - i;
        j++;
    }
    while (j < n && j - i < 65536) { /* s[j] == '\n' ends the block so far */
        size_t k = j + 1, le = k, nb = 0;
        int bad = 0;
        while (le < n && s[le] != '\n') le++;
        for (; k < le; k++) {
            unsigned char c = (unsigned char)s[k];
            if (is_b64(c) || c == '\\') nb++;
            else if (c != ':' && c != ',' && c != '-' && c != ' ' && c != '\t' && c != '\r') bad = 1;
        }
        if (bad || !nb) break;
        j = le;
    }
    return j - i;
}

/* ---- passwords in URLs --------------------------------------------------------- */

/* At s[i] == ':' after "://user": the password's length, or 0. */
static size_t match_url_password(const char *s, size_t n, size_t i)
{
    size_t j, k;
    for (j = i; j > 0 && i - j < 128 &&
                (is_word((unsigned char)s[j - 1]) || s[j - 1] == '.' || s[j - 1] == '-' || s[j - 1] == '%');
         j--)
        ;
    if (j == i || j < 3 || memcmp(s + j - 3, "://", 3) != 0) return 0;
    for (k = i + 1; k < n && k - i < 256 && s[k] != '@' && s[k] != '/' && !isspace((unsigned char)s[k]) &&
                    s[k] != '"' && s[k] != '\'' && s[k] != '`';
         k++)
        ;
    if (k >= n || s[k] != '@' || k == i + 1) return 0;
    return k - i - 1;
}

/* ---- values ----------------------------------------------------------------------- */

static double entropy(const char *v, size_t n)
{
    unsigned cnt[256] = {0};
    size_t k;
    double h = 0;
    for (k = 0; k < n; k++) cnt[(unsigned char)v[k]]++;
    for (k = 0; k < 256; k++)
        if (cnt[k]) {
            double p = (double)cnt[k] / (double)n;
            h -= p * log2(p);
        }
    return h;
}

static const char *const stand_ins[] = {
    "changeme", "change_me", "change-me", "changeit", "password", "passwd", "secret", "example", "dummy", "test",
    "testing", "sample", "none", "null", "nil", "undefined", "true", "false", "todo", "fixme", "tbd", "placeholder",
    "redacted", "hidden", "empty", "default", "foo", "foobar", "bar", "xxx", "***", "string", "str", NULL,
};

/* A placeholder rather than a value: nothing to hide. */
static int is_placeholder(const char *v, size_t n)
{
    size_t k;
    char low[24];
    if (!n) return 1;
    if ((v[0] == '<' && v[n - 1] == '>') || (v[0] == '[' && v[n - 1] == ']')) return 1;
    if (n >= 2 && ((v[0] == '$' && (isalpha((unsigned char)v[1]) || strchr("{(_", v[1]))) ||
                   (v[0] == '{' && v[1] == '{') || (v[0] == '%' && strchr("(s", v[1])) ||
                   (v[0] == '#' && v[1] == '{')))
        return 1;
    if (memmem(v, n, "${", 2) || memmem(v, n, "{{", 2)) return 1;
    for (k = 1; k < n && v[k] == v[0]; k++)
        ;
    if (k == n && n > 1) return 1;
    if (n >= 4 && !strncasecmp(v, "your", 4)) return 1;
    if (n >= sizeof low) return 0;
    for (k = 0; k < n; k++) low[k] = (char)tolower((unsigned char)v[k]);
    low[n] = 0;
    for (k = 0; stand_ins[k]; k++)
        if (!strcmp(low, stand_ins[k])) return 1;
    return 0;
}

static const char *const keywords[] = {"None", "True", "False", "null", "nil", "true", "false", "undefined",
                                       "NULL", "nullptr", "this", "self", "new", NULL};

/* An unquoted value that reads as code: a call, an index, a variable, an
 * identifier with '_' or '.', a keyword. */
static int is_code(const char *v, size_t n)
{
    size_t k;
    int ident = isalpha((unsigned char)v[0]) || v[0] == '_', sep = 0;
    for (k = 0; k < n; k++) {
        unsigned char c = (unsigned char)v[k];
        if (strchr("()[]{}\"'`<>,;", c) || (c == '$' && (k == 0 || strchr("({", v[k + 1 < n ? k + 1 : k])))) return 1;
        if (c == '_' || c == '.') sep = 1;
        else if (!isalnum(c)) ident = 0;
    }
    if (ident && sep) return 1;
    for (k = 0; keywords[k]; k++)
        if (strlen(keywords[k]) == n && !memcmp(v, keywords[k], n)) return 1;
    return 0;
}

/* strength: 2 strong name, 1 weak name. */
static int value_is_secret(const char *v, size_t n, int strength, int quoted)
{
    size_t k, digit = 0, alpha = 0, space = 0, upper = 0, lower = 0, other = 0;
    if (n < 4 || is_placeholder(v, n)) return 0;
    if (!quoted && (is_code(v, n) || v[0] == '/' || !strncmp(v, "~/", 2) || !strncmp(v, "./", 2))) return 0;
    for (k = 0; k < n; k++) {
        unsigned char c = (unsigned char)v[k];
        if (isdigit(c)) digit++;
        else if (isalpha(c)) {
            alpha++;
            if (isupper(c)) upper++;
            else lower++;
        } else if (c == ' ' || c == '\t') space++;
        else other++;
        if (quoted && c == '\\' && k + 1 < n && strchr("nrt0x", v[k + 1]) && strength < 2) return 0;
    }
    if (strength == 2) {
        /* a password: anything but a lone word of lower-case letters or a
         * short number; phrases with spaces count */
        if (!alpha && digit < 4) return 0;
        if (!quoted && !digit && !other && !space && (!upper || !lower)) return 0;
        if (quoted && !space && !digit && !other && !upper && n < 8) return 0;
        return 1;
    }
    if (space || n < 8) return 0;
    if (!digit && n < 20) return 0;
    if (!alpha) return 0;
    if (n < 20 && (memchr(v, ':', n) || (!upper && !lower))) return 0;
    /* upper-case words joined by _ (an enum name) are not random */
    if (!lower && !digit) return 0;
    return entropy(v, n) >= 3.0;
}

/* ---- names ------------------------------------------------------------------------- */

static const char *const strong_words[] = {"password", "passwd", "passphrase", "pass", "pwd", "pw", "psw", "passw",
                                           "pword", "secret", "secrets", "credential", "credentials", "creds",
                                           "cred", NULL};
static const char *const strong_tails[] = {"password", "passwd", "passphrase", "secret", NULL};
static const char *const weak_words[] = {"key", "token", "auth", "apikey", "authorization", "privatekey",
                                         "secretkey", "accesskey", "signingkey", "encryptionkey", "masterkey",
                                         "authkey", "sessionkey", "license", NULL};
static const char *const weak_tails[] = {"token", "apikey", "secretkey", "accesskey", "privatekey", NULL};
static const char *const decorations[] = {"base", "b64", "base64", "hex", "value", "val", "str", "string", "bytes",
                                          "raw", "enc", "encoded", "plain", "prod", "production", "dev", "staging",
                                          "test", "live", "env", "default", "new", "old", "txt", NULL};

static int in_list(const char *w, const char *const *list)
{
    size_t k;
    for (k = 0; list[k]; k++)
        if (!strcmp(w, list[k])) return 1;
    return 0;
}

static int ends_with_any(const char *w, const char *const *list)
{
    size_t k, n = strlen(w);
    for (k = 0; list[k]; k++) {
        size_t m = strlen(list[k]);
        if (n > m && !strcmp(w + n - m, list[k])) return 1;
    }
    return 0;
}

/* How strongly the name s[0..n) says secret: 2 strong, 1 weak, 0 not.
 * *qualified: the name has more than one word. */
static int name_strength(const char *s, size_t n, int *qualified)
{
    char words[8][32];
    size_t nw = 0, k, len = 0;
    *qualified = 0;
    if (n < 2 || n > 64) return 0;
    for (k = 0; k <= n; k++) {
        unsigned char c = k < n ? (unsigned char)s[k] : 0;
        int brk = !isalnum(c);
        if (!brk && k > 0 && isupper(c) &&
            (islower((unsigned char)s[k - 1]) || isdigit((unsigned char)s[k - 1]) ||
             (isupper((unsigned char)s[k - 1]) && k + 1 < n && islower((unsigned char)s[k + 1]))))
            brk = 2;
        if (brk && len) {
            words[nw % 8][len < 31 ? len : 31] = 0;
            nw++;
            len = 0;
        }
        if (isalnum(c)) {
            if (len < 31) words[nw % 8][len] = (char)tolower(c);
            len++;
        }
    }
    /* drop trailing decorations and numbers; trailing digits of a word */
    while (nw > 1) {
        char *w = words[(nw - 1) % 8];
        if (in_list(w, decorations) || strspn(w, "0123456789") == strlen(w)) nw--;
        else break;
    }
    if (!nw) return 0;
    {
        char *w = words[(nw - 1) % 8];
        size_t wl = strlen(w);
        while (wl > 1 && isdigit((unsigned char)w[wl - 1])) w[--wl] = 0;
        *qualified = nw > 1;
        if (in_list(w, strong_words) || ends_with_any(w, strong_tails)) return 2;
        if (in_list(w, weak_words) || ends_with_any(w, weak_tails)) {
            *qualified = *qualified || (strcmp(w, "key") != 0 && strcmp(w, "token") != 0 && strcmp(w, "auth") != 0);
            return 1;
        }
    }
    return 0;
}

/* ---- assignments ------------------------------------------------------------------- */

static int is_name_char(unsigned char c) { return is_word(c) || c == '-' || c == '.'; }

/* After a name ending at s[j]: skip its closing quote, an array size, a
 * type annotation; return the offset of the value (after the operator and
 * blanks) or (size_t)-1. *spaced: blanks before the operator; *need_quote:
 * the value must be a quoted string (typed declarations, #define). */
static size_t after_operator(const char *s, size_t n, size_t j, int define, int *spaced, int *need_quote)
{
    size_t k = j;
    *spaced = 0;
    *need_quote = 0;
    if (k < n && (s[k] == '"' || s[k] == '\'')) k++; /* "api_key": */
    if (k < n && s[k] == '[') {                      /* char password[] = / [64] = */
        size_t m = k + 1;
        while (m < n && m - k < 16 && (isalnum((unsigned char)s[m]) || s[m] == '_')) m++;
        if (m >= n || s[m] != ']') return (size_t)-1;
        k = m + 1;
        *need_quote = 1;
    }
    while (k < n && (s[k] == ' ' || s[k] == '\t')) {
        k++;
        *spaced = 1;
    }
    if (define) {
        *need_quote = 0;
        return k > j && k < n ? k : (size_t)-1;
    }
    if (k + 1 < n && s[k] == ':' && s[k + 1] == '=') k += 2;
    else if (k + 1 < n && (s[k] == '=' || s[k] == '?') && s[k + 1] == '>') k += 2;
    else if (k + 1 < n && s[k] == '?' && s[k + 1] == '=') k += 2;
    else if (k < n && s[k] == '=' && !(k + 1 < n && (s[k + 1] == '=' || s[k + 1] == '~'))) k++;
    else if (k < n && s[k] == ':' && !(k + 1 < n && s[k + 1] == ':')) {
        /* YAML / dict value, or a type annotation then '=' */
        size_t m = k + 1;
        while (m < n && (s[m] == ' ' || s[m] == '\t')) m++;
        if (m < n && (isalpha((unsigned char)s[m]) || s[m] == '&')) {
            size_t t = m;
            while (t < n && t - m < 48 && (isalnum((unsigned char)s[t]) || strchr("_&<>[]*.:' \t", s[t]))) t++;
            if (t < n && s[t] == '=' && !(t + 1 < n && s[t + 1] == '=')) {
                k = t + 1;
                *need_quote = 1;
            } else {
                k++;
            }
        } else {
            k++;
        }
    } else if (k < n && isalpha((unsigned char)s[k]) && *spaced) {
        /* var NAME string = "v" */
        size_t t = k;
        while (t < n && t - k < 32 && (isalnum((unsigned char)s[t]) || strchr("_*.[] \t", s[t]))) t++;
        if (t >= n || s[t] != '=' || (t + 1 < n && s[t + 1] == '=')) return (size_t)-1;
        k = t + 1;
        *need_quote = 1;
    } else {
        return (size_t)-1;
    }
    while (k < n && (s[k] == ' ' || s[k] == '\t')) k++;
    return k;
}

/* `#define ` (or `# define `) just before s[i]? */
static int after_define(const char *s, size_t i)
{
    size_t k = i;
    while (k > 0 && (s[k - 1] == ' ' || s[k - 1] == '\t')) k--;
    if (k == i || k < 7 || memcmp(s + k - 6, "define", 6) != 0) return 0;
    k -= 6;
    while (k > 0 && (s[k - 1] == ' ' || s[k - 1] == '\t')) k--;
    return k > 0 && s[k - 1] == '#';
}

/* NAME <op> VALUE at s[i] (a word start) where NAME says secret: the
 * value's length and *vstart, or 0. */
static size_t match_assignment(const char *s, size_t n, size_t i, size_t *vstart)
{
    size_t j = i, v, k, ls;
    int strength, qualified, spaced, need_quote, define;
    char q = 0;
    while (j < n && j - i <= 64 && is_name_char((unsigned char)s[j])) j++;
    if (j - i > 64) return 0;
    while (j > i && (s[j - 1] == '.' || s[j - 1] == '-')) j--;
    define = after_define(s, i);
    /* the operator first (cheap), the name after */
    v = after_operator(s, n, j, define, &spaced, &need_quote);
    if (v == (size_t)-1 || v >= n) return 0;
    if (!(strength = name_strength(s + i, j - i, &qualified))) return 0;
    /* a string prefix: b"..", r'..', f"..", u"..", @".." */
    k = v;
    if (k + 1 < n && strchr("bBrRuUfF@", s[k]) && (s[k + 1] == '"' || s[k + 1] == '\'')) k++;
    if (s[k] == '"' || s[k] == '\'' || s[k] == '`') {
        q = s[k];
        if (k + 2 < n && s[k + 1] == q && s[k + 2] == q) return 0; /* triple quotes: key blocks */
        v = ++k;
        for (; k < n && s[k] != q && s[k] != '\n'; k++)
            if (s[k] == '\\' && k + 1 < n && s[k + 1] != '\n') k++;
        if (k >= n || s[k] != q) return 0;
    } else {
        int line_start;
        if (need_quote) return 0;
        /* at the start of a line (YAML, INI, .env, shell): a strong name
         * takes the rest of the line, a passphrase with spaces included */
        for (ls = i; ls > 0 && (s[ls - 1] == ' ' || s[ls - 1] == '\t' || s[ls - 1] == '-'); ls--)
            ;
        line_start = ls == 0 || s[ls - 1] == '\n' || (ls >= 6 && !memcmp(s + ls - 6, "export ", 7));
        for (k = v; k < n && !isspace((unsigned char)s[k]) && !strchr(",;)]}", s[k]); k++)
            ;
        /* YAML / INI (NAME: v, NAME = v), not shell (NAME=v cmd) */
        {
            size_t o = v;
            while (o > j && (s[o - 1] == ' ' || s[o - 1] == '\t')) o--;
            line_start = line_start && o > j && (s[o - 1] == ':' || o < v);
        }
        if (line_start && strength == 2 && k < n && (s[k] == ' ' || s[k] == '\t') && !is_code(s + v, k - v)) {
            size_t e = k;
            while (e < n && s[e] != '\n' && s[e] != '\r' && !(s[e] == '#' && (s[e - 1] == ' ' || s[e - 1] == '\t')))
                e++;
            while (e > k && (s[e - 1] == ' ' || s[e - 1] == '\t')) e--;
            if (!memchr(s + v, '(', e - v) && !memchr(s + v, '=', e - v)) k = e;
        }
    }
    if (!value_is_secret(s + v, k - v, strength, q != 0)) return 0;
    *vstart = v;
    return k - v;
}

/* ---- Authorization headers ---------------------------------------------------------- */

/* "Bearer CREDENTIAL" / "Basic CREDENTIAL" at s[i]: the credential's
 * length and *vstart, or 0. */
static size_t match_auth_header(const char *s, size_t n, size_t i, size_t *vstart)
{
    size_t k, v, digit = 0, upper = 0, lower = 0;
    if (n - i < 14) return 0;
    if (!strncasecmp(s + i, "bearer ", 7)) k = i + 7;
    else if (!strncasecmp(s + i, "basic ", 6)) k = i + 6;
    else return 0;
    while (k < n && s[k] == ' ') k++;
    v = k;
    for (; k < n && (isalnum((unsigned char)s[k]) || strchr("._~+/=-", s[k])); k++) {
        if (isdigit((unsigned char)s[k])) digit++;
        else if (isupper((unsigned char)s[k])) upper++;
        else if (islower((unsigned char)s[k])) lower++;
    }
    if (k - v < 8 || (k < n && is_word((unsigned char)s[k]))) return 0;
    if (!digit && (k - v < 16 || upper < 2 || lower < 2)) return 0;
    if (entropy(s + v, k - v) < 2.5) return 0;
    *vstart = v;
    return k - v;
}

/* ---- the pass --------------------------------------------------------------------- */

static int push(tc_secrets *out, size_t a, size_t b, uint8_t kind)
{
    if (out->n == out->cap) {
        size_t cap = out->cap ? out->cap * 2 : 16;
        tc_secret *v = realloc(out->v, cap * sizeof *v);
        if (!v) return TC_ENOMEM;
        out->v = v;
        out->cap = cap;
    }
    out->v[out->n].start = a;
    out->v[out->n].end = b;
    out->v[out->n].kind = kind;
    out->n++;
    return TC_OK;
}

int tc_secrets_scan(const char *s, size_t n, tc_secrets *out)
{
    size_t i = 0;
    out->n = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        size_t m = 0, vstart = i;
        if (c == '-') {
            if (s[i + 1 < n ? i + 1 : i] == '-' && (m = match_pem(s, n, i))) {
                if (push(out, i, i + m, TC_SECRET_KEYBLOCK)) return TC_ENOMEM;
                i += m;
                continue;
            }
        } else if (c == ':') {
            if (i + 3 < n && s[i + 1] != '/' && (m = match_url_password(s, n, i))) vstart = i + 1;
        } else if ((isalpha(c) || c == '_') && !(i > 0 && is_word((unsigned char)s[i - 1]))) {
            if (!(m = match_shape(s, n, i)) && !(m = match_jwt(s, n, i)) &&
                !(m = match_auth_header(s, n, i, &vstart)) && !(i > 0 && s[i - 1] == '-'))
                m = match_assignment(s, n, i, &vstart);
            if (!m) {
                while (i < n && is_word((unsigned char)s[i])) i++;
                continue;
            }
        }
        if (m) {
            if (push(out, vstart, vstart + m, TC_SECRET_VALUE)) return TC_ENOMEM;
            i = vstart + m;
            continue;
        }
        i++;
    }
    return TC_OK;
}

void tc_secrets_free(tc_secrets *sp)
{
    free(sp->v);
    sp->v = NULL;
    sp->n = sp->cap = 0;
}

int tc_secrets_inside(const tc_secrets *sp, size_t pos)
{
    size_t lo = 0, hi = sp->n;
    while (lo < hi) { /* first span ending after pos */
        size_t mid = lo + (hi - lo) / 2;
        if (sp->v[mid].end <= pos) lo = mid + 1;
        else hi = mid;
    }
    return lo < sp->n && sp->v[lo].start < pos && pos < sp->v[lo].end;
}

int tc_secrets_redact(const char *s, const tc_secrets *sp, size_t from, size_t to, tc_buf *out, size_t *count)
{
    size_t k, at = from, cnt = 0;
    int rc = TC_OK;
    for (k = 0; k < sp->n && !rc && at < to; k++) {
        const tc_secret *x = &sp->v[k];
        if (x->end <= at) continue;
        if (x->start >= to) break;
        if (x->start >= at) {
            rc = tc_buf_append(out, s + at, x->start - at);
            if (!rc) rc = tc_buf_puts(out, x->kind == TC_SECRET_KEYBLOCK ? "<redacted private key>" : "<redacted>");
            cnt++;
        }
        at = x->end < to ? x->end : to;
    }
    if (!rc) rc = tc_buf_append(out, s + at, to > at ? to - at : 0); /* also NUL-terminates */
    if (count) *count += cnt;
    return rc;
}

/* ---- typing ----------------------------------------------------------------------- */

int tc_secrets_typing(const char *s, size_t n, size_t cursor)
{
    size_t ls, k, qpos = 0, vs, ne, nb;
    char q = 0;
    int strength, qualified, spaced = 0, env = 0;
    if (cursor > n) return 0;
    for (ls = cursor; ls > 0 && s[ls - 1] != '\n' && cursor - ls < 1024; ls--)
        ;
    for (k = ls; k < cursor; k++) {
        if (q) {
            if (s[k] == '\\') k++;
            else if (s[k] == q) q = 0;
        } else if (s[k] == '"' || s[k] == '\'' || s[k] == '`') {
            if (k + 2 < cursor && s[k + 1] == s[k] && s[k + 2] == s[k]) return 0; /* triple quotes */
            q = s[k];
            qpos = k;
        } else if (s[k] == '#' && k > ls && (s[k - 1] == ' ' || s[k - 1] == '\t') && !q) {
            return 0; /* a comment */
        }
    }
    if (q) {
        vs = qpos + 1;
        k = qpos;
        if (k > ls && strchr("bBrRuUfF@", s[k - 1]) && !(k - 1 > ls && is_word((unsigned char)s[k - 2]))) k--;
    } else {
        for (vs = cursor; vs > ls && !isspace((unsigned char)s[vs - 1]) && !strchr("=:\"'", s[vs - 1]); vs--)
            ;
        if (vs == cursor) return 0;
        k = vs;
    }
    /* back over blanks to the operator, then the name */
    while (k > ls && (s[k - 1] == ' ' || s[k - 1] == '\t')) k--;
    if (k == ls) return 0;
    if (s[k - 1] == '=' || s[k - 1] == ':' || s[k - 1] == '>') {
        k--;
        if (k > ls && (s[k - 1] == ':' || s[k - 1] == '=' || s[k - 1] == '?')) k--;
        nb = k;
        while (k > ls && (s[k - 1] == ' ' || s[k - 1] == '\t')) k--;
        spaced = k < nb;
        if (k > ls && s[k - 1] == ']') { /* password[] = */
            while (k > ls && s[k - 1] != '[') k--;
            if (k > ls) k--;
        }
        if (k > ls && (s[k - 1] == '"' || s[k - 1] == '\'')) k--;
        ne = k;
        while (k > ls && is_name_char((unsigned char)s[k - 1])) k--;
    } else {
        /* #define NAME "v" */
        if (!q) return 0;
        ne = k;
        while (k > ls && is_name_char((unsigned char)s[k - 1])) k--;
        if (!after_define(s, k)) return 0;
    }
    if (k == ne || !(strength = name_strength(s + k, ne - k, &qualified))) return 0;
    if (q) return strength == 2 || qualified;
    /* unquoted */
    if (is_code(s + vs, cursor - vs)) return 0;
    {
        size_t a = ls;
        while (a < k && (s[a] == ' ' || s[a] == '\t')) a++;
        env = (!spaced && a == k) || (cursor - ls > 7 && !memcmp(s + a, "export ", 7));
    }
    return strength == 2 || env;
}

/* ---- tokens ------------------------------------------------------------------------ */

int tc_secrets_mask_tokens(const char *src, size_t len, tc_toks *toks)
{
    tc_secrets sp = {0};
    size_t i, o = 0, k = 0, last = (size_t)-1;
    int rc = tc_secrets_scan(src, len, &sp);
    if (rc || !sp.n) goto out;
    for (i = 0; i < toks->n; i++) {
        tc_token t = toks->v[i];
        size_t a = t.off, b = (size_t)t.off + t.len;
        while (k < sp.n && sp.v[k].end <= a) k++;
        if (t.kind != TC_TOK_COMMENT && t.kind != TC_TOK_NEWLINE && t.len && k < sp.n && sp.v[k].start < b) {
            if (last == k) continue; /* the rest of a secret already masked */
            last = k;
            t.kind = TC_TOK_SECRET;
        }
        toks->v[o++] = t;
    }
    toks->n = o;
out:
    tc_secrets_free(&sp);
    return rc;
}
