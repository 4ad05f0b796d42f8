/* secrets.c - the detection table and its single pass; see secrets.h. */
#include "context/secrets.h"
#include "util/status.h"

#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* byte classes for the hot loop: 1 word (alnum or _), 2 letter or _, 8 an
 * operator or marker (- : = #) */
static uint8_t cls[256];

static int is_word(unsigned char c) { return cls[c] & 1; }
static int is_b64(unsigned char c) { return isalnum(c) || c == '+' || c == '/' || c == '='; }

/* ---- provider shapes --------------------------------------------------------- */

/* Length of the run at s[i..n) of characters in set ('A' upper, 'a' lower,
 * '0' digits, 'h' lower hex, others literal). */
static size_t run(const char *s, size_t n, size_t i, const char *set)
{
    size_t j = i;
    if (n - i > 4096) n = i + 4096; /* no token is longer: bounded work per start */
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

#define NSHAPES (sizeof shapes / sizeof *shapes)
static uint8_t shape_first[256][2]; /* [c]: shapes [lo, hi) whose prefix starts with c */
static uint8_t trig[256][32];       /* [c][d]: a token may start with the letters c d */
static uint8_t tok_first[256];      /* [c]: 1 if an operator token at c may start a secret, 2 a word */
static uint8_t tok_pass[TC_TOK_KIND_COUNT][256]; /* [kind][c]: 1 if a token of kind starting with c may
                                                  * start a secret; look up with pass_kind() */
static pthread_once_t shape_once = PTHREAD_ONCE_INIT;

static uint8_t shape_order[NSHAPES]; /* shapes grouped by first letter, table order kept */

static void shape_init(void)
{
    size_t k, c, o = 0;
    for (c = 1; c < 256; c++)
        for (k = 0; k < NSHAPES; k++)
            if ((unsigned char)shapes[k].prefix[0] == c) {
                if (!shape_first[c][1]) shape_first[c][0] = (uint8_t)o;
                shape_order[o++] = (uint8_t)k;
                shape_first[c][1] = (uint8_t)o;
            }
    for (k = 0; k < 256; k++)
        cls[k] = (uint8_t)((isalnum((int)k) || k == '_' ? 1 : 0) | (isalpha((int)k) || k == '_' ? 2 : 0) |
                           (k && strchr("-:=#", (int)k) ? 8 : 0));
    for (k = 0; k < NSHAPES; k++) {
        unsigned char a = (unsigned char)shapes[k].prefix[0], b = (unsigned char)shapes[k].prefix[1];
        trig[a][b >> 3] |= (uint8_t)(1u << (b & 7));
    }
    {
        static const char *const more[] = {"ey", "Be", "BE", "Ba", "BA", "be", "ba", NULL};
        for (k = 0; more[k]; k++) {
            unsigned char a = (unsigned char)more[k][0], b = (unsigned char)more[k][1];
            trig[a][b >> 3] |= (uint8_t)(1u << (b & 7));
        }
    }
    for (k = 0; k < 256; k++) {
        for (c = 0; c < 32 && !trig[k][c]; c++) {}
        tok_first[k] = (uint8_t)((k && strchr("-#:=?", (int)k) ? 1 : 0) | (c < 32 ? 2 : 0));
    }
    /* scan_tokens' first test in one look-up: strings (their length is
     * tested next), operators and words by their first byte, never a
     * comment or a line break */
    for (c = 0; c < TC_TOK_KIND_COUNT; c++)
        for (k = 0; k < 256; k++)
            tok_pass[c][k] = (uint8_t)(c == TC_TOK_STRING                             ? 1
                                       : c == TC_TOK_PUNCT || c == TC_TOK_OTHER      ? tok_first[k] & 1
                                       : c == TC_TOK_COMMENT || c == TC_TOK_NEWLINE ? 0
                                                                                     : (tok_first[k] & 2) >> 1);
}

/* tok_pass's row for a token kind: an unknown kind reads as a word */
static inline unsigned pass_kind(uint8_t kind)
{
    return kind < TC_TOK_KIND_COUNT ? kind : TC_TOK_IDENT;
}

static size_t match_shape(const char *s, size_t n, size_t i)
{
    size_t r;
    const uint8_t *range = shape_first[(unsigned char)s[i]];
    for (r = range[0]; r < range[1]; r++) {
        const struct shape *sh = &shapes[shape_order[r]];
        size_t pl, rn;
        if (i + 1 < n && sh->prefix[1] != s[i + 1]) continue;
        pl = strlen(sh->prefix);
        if (n - i < pl + sh->min || memcmp(s + i, sh->prefix, pl) != 0) continue;
        rn = run(s, n, i + pl, sh->set);
        return rn >= sh->min ? pl + rn : 0;
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
    eol = memchr(s + i, '\n', n - i < 256 ? n - i : 256); /* a header line is short */
    lim = memmem(s + i + 11, (size_t)((eol ? eol : s + i + (n - i < 256 ? n - i : 256)) - (s + i + 11)), "-----", 5);
    if (!lim || !memmem(s + i, (size_t)(lim - (s + i)), "PRIVATE KEY", 11)) return 0;
    /* the next run of dashes: the END line, or (unterminated) the next
     * block's BEGIN, where this one stops; so every byte is looked at once */
    end = memmem(lim + 5, span - (size_t)(lim + 5 - (s + i)), "-----", 5);
    while (end && end + 5 < s + n && end[5] == '-') end++; /* longer dash runs */
    if (end && (size_t)(s + n - end) >= 9 && memcmp(end, "-----END ", 9) == 0) {
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

/* Words with spaces that read as a sentence, a message or code rather
 * than a passphrase: a common short word, an operator, an escape, closing
 * punctuation, or more than six words. */
static int is_prose(const char *v, size_t n)
{
    static const char *const stop[] = {"the", "to", "for", "of", "is", "use", "with", "a", "an", "and", "or", "if",
                                       "in", "your", "not", "be", "this", "that", "enter", "from", "on", NULL};
    size_t k = 0, words = 0;
    if (n && strchr(".:?!", v[n - 1])) return 1;
    if (memmem(v, n, "\\n", 2) || memmem(v, n, "%s", 2)) return 1;
    while (k < n) {
        size_t e, w;
        while (k < n && v[k] == ' ') k++;
        for (e = k; e < n && v[e] != ' '; e++)
            ;
        if (e == k) break;
        words++;
        if (e - k == 1 && strchr("+-*/%=<>&|^", v[k])) return 1;
        for (w = 0; stop[w]; w++)
            if (strlen(stop[w]) == e - k && !strncasecmp(v + k, stop[w], e - k)) return 1;
        k = e;
    }
    return words > 6;
}

/* A number literal: digits, or 0x and hex digits (C suffixes allowed). */
static int is_number(const char *v, size_t n)
{
    size_t k = 0;
    int hex = n > 2 && v[0] == '0' && (v[1] | 0x20) == 'x';
    for (k = hex ? 2 : 0; k < n; k++) {
        unsigned char c = (unsigned char)v[k];
        if (!(isdigit(c) || (hex && isxdigit(c)) || (c | 0x20) == 'u' || (c | 0x20) == 'l')) return 0;
    }
    return 1;
}

/* strength: 2 strong name, 1 weak name. */
static int value_is_secret(const char *v, size_t n, int strength, int quoted)
{
    size_t k, digit = 0, alpha = 0, space = 0, upper = 0, lower = 0, other = 0;
    if (n < 4 || is_placeholder(v, n)) return 0;
    if (!quoted && (is_code(v, n) || v[0] == '/' || !strncmp(v, "~/", 2) || !strncmp(v, "./", 2) ||
                    is_number(v, n)))
        return 0; /* code, a path, a number */
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
        /* a password: anything but a lone word of letters, a short number
         * or prose; phrases with spaces count (passphrases) */
        if (!alpha && digit < 4) return 0;
        if (space && is_prose(v, n)) return 0;
        if (!quoted && !digit && !other && !space) return 0;
        if (quoted && !space && !digit && !other && !upper && n < 8) return 0;
        return 1;
    }
    if (space || n < 8) return 0;
    if (!digit && (n < 20 || !upper || !lower)) return 0;
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
/* The letters (either case) a secret word of name_strength's first test
 * starts with: p s c k t a l. */
static const uint8_t sw_first[256] = {['p'] = 1, ['P'] = 1, ['s'] = 1, ['S'] = 1, ['c'] = 1, ['C'] = 1, ['k'] = 1,
                                      ['K'] = 1, ['t'] = 1, ['T'] = 1, ['a'] = 1, ['A'] = 1, ['l'] = 1, ['L'] = 1};

static int name_strength(const char *s, size_t n, int *qualified)
{
    char words[8][32];
    size_t nw = 0, k, len = 0;
    *qualified = 0;
    if (n < 2 || n > 64) return 0;
    /* cheap first: the start of a secret word somewhere (pas pw psw sec cre
     * key tok aut lic) */
    for (k = 0; k + 1 < n; k++) {
        unsigned char a, b, c;
        if (!sw_first[(unsigned char)s[k]]) continue; /* the test below fails at once */
        a = (unsigned char)(s[k] | 0x20), b = (unsigned char)(s[k + 1] | 0x20),
        c = k + 2 < n ? (unsigned char)(s[k + 2] | 0x20) : 0;
        if ((a == 'p' && (b == 'w' || (b == 'a' && c == 's') || (b == 's' && c == 'w'))) ||
            (a == 's' && b == 'e' && c == 'c') || (a == 'c' && b == 'r' && c == 'e') ||
            (a == 'k' && b == 'e' && c == 'y') || (a == 't' && b == 'o' && c == 'k') ||
            (a == 'a' && b == 'u' && c == 't') || (a == 'l' && b == 'i' && c == 'c'))
            break;
    }
    if (k + 1 >= n) return 0;
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

/* `#define ` (or `# define `) just before s[i]? */
static int after_define(const char *s, size_t i)
{
    size_t k = i;
    if (i < 8 || (s[i - 1] != ' ' && s[i - 1] != '\t')) return 0;
    while (k > 0 && (s[k - 1] == ' ' || s[k - 1] == '\t')) k--;
    if (k == i || k < 7 || memcmp(s + k - 6, "define", 6) != 0) return 0;
    k -= 6;
    while (k > 0 && (s[k - 1] == ' ' || s[k - 1] == '\t')) k--;
    return k > 0 && s[k - 1] == '#';
}

/* The value of NAME (s[i..j)) after its operator, from v: its length and
 * *vstart, or 0. need_quote: only a quoted string counts (typed
 * declarations, arrays). */
static size_t match_value(const char *s, size_t n, size_t i, size_t j, size_t v, int strength, int need_quote,
                          size_t *vstart)
{
    size_t k, ls;
    char q = 0;
    while (v < n && (s[v] == ' ' || s[v] == '\t')) v++;
    if (v >= n) return 0;
    /* a string prefix: b"..", r'..', f"..", u"..", @".." */
    k = v;
    if (k + 1 < n && strchr("bBrRuUfF@", s[k]) && (s[k + 1] == '"' || s[k + 1] == '\'')) k++;
    if (s[k] == '"' || s[k] == '\'' || s[k] == '`') {
        q = s[k];
        if (k + 2 < n && s[k + 1] == q && s[k + 2] == q) return 0; /* triple quotes: key blocks */
        v = ++k;
        for (; k < n && k - v < 4096 && s[k] != q && s[k] != '\n'; k++)
            if (s[k] == '\\' && k + 1 < n && s[k + 1] != '\n') k++;
        if (k >= n || s[k] != q) return 0; /* (values over 4 KiB are not secrets: linear time) */
    } else {
        int line_start;
        if (need_quote) return 0;
        /* at the start of a line (YAML, INI, .env, shell): a strong name
         * takes the rest of the line, a passphrase with spaces included */
        for (ls = i; ls > 0 && (s[ls - 1] == ' ' || s[ls - 1] == '\t' || s[ls - 1] == '-'); ls--)
            ;
        line_start = ls == 0 || s[ls - 1] == '\n' || (ls >= 6 && !memcmp(s + ls - 6, "export ", 7));
        for (k = v; k < n && k - v < 4096 && !isspace((unsigned char)s[k]) && !strchr(",;)]}", s[k]); k++)
            ;
        /* YAML / INI (NAME: v, NAME = v), not shell (NAME=v cmd) */
        {
            size_t o = v;
            while (o > j && (s[o - 1] == ' ' || s[o - 1] == '\t')) o--;
            line_start = line_start && o > j && (s[o - 1] == ':' || o < v);
        }
        if (line_start && strength == 2 && k < n && (s[k] == ' ' || s[k] == '\t') && !is_code(s + v, k - v)) {
            size_t e = k;
            while (e < n && e - v < 256 && s[e] != '\n' && s[e] != '\r' &&
                   !(s[e] == '#' && (s[e - 1] == ' ' || s[e - 1] == '\t')))
                e++;
            while (e > k && (s[e - 1] == ' ' || s[e - 1] == '\t')) e--;
            if (!memchr(s + v, '(', e - v) && !memchr(s + v, '=', e - v)) k = e;
        }
    }
    if (!value_is_secret(s + v, k - v, strength, q != 0)) return 0;
    *vstart = v;
    return k - v;
}

/* The name ending at s[e] (looking back at most 64 bytes, not before
 * line start ls): its start, or e when there is none. */
static size_t name_back(const char *s, size_t ls, size_t e)
{
    size_t k = e;
    while (k > ls && e - k < 64 && is_name_char((unsigned char)s[k - 1])) k--;
    while (k < e && (s[k] == '.' || s[k] == '-')) k++;
    return e - k >= 64 ? e : k;
}

/* An assignment whose operator is at s[i] ('=' or ':'): NAME = v, NAME: v,
 * NAME := v, NAME => v, NAME ?= v, "NAME": v, NAME[] = "v", and the typed
 * NAME: TYPE = "v", TYPE NAME = "v", var NAME TYPE = "v". The value's
 * length and *vstart, or 0. */
static size_t match_op(const char *s, size_t n, size_t i, size_t *vstart)
{
    size_t v = i + 1, o = i, k, ne, ns, ls;
    int strength, qualified, need_quote = 0;
    if (s[i] == '=') {
        if (i + 1 < n && (s[i + 1] == '=' || s[i + 1] == '~')) return 0; /* == =~ */
        if (i + 1 < n && s[i + 1] == '>') v = i + 2;                      /* => */
        if (i > 0 && (s[i - 1] == ':' || s[i - 1] == '?')) o = i - 1;   /* := ?= */
        else if (i > 0) {
            switch (s[i - 1]) { /* == != <= >= += -= *= /= %= &= |= ^= ~= */
            case '=': case '!': case '<': case '>': case '+': case '-': case '*': case '/': case '%': case '&':
            case '|': case '^': case '~':
                return 0;
            default:
                break;
            }
        }
    } else {
        if ((i + 1 < n && (s[i + 1] == ':' || s[i + 1] == '=' || s[i + 1] == '/')) || (i > 0 && s[i - 1] == ':'))
            return 0; /* :: := :// */
    }
    ls = o > 160 ? o - 160 : 0; /* the look-back loops stop at a line break anyway */
    k = o;
    while (k > ls && (s[k - 1] == ' ' || s[k - 1] == '\t')) k--;
    if (k > ls && (s[k - 1] == '"' || s[k - 1] == '\'')) k--; /* "NAME": */
    if (k > ls && s[k - 1] == ']') {                           /* NAME[] = / NAME[64] = */
        size_t m = k - 1;
        while (m > ls && k - m < 16 && s[m - 1] != '[') m--;
        if (m == ls || s[m - 1] != '[') return 0;
        k = m - 1;
        need_quote = 1;
    }
    ne = k;
    ns = name_back(s, ls, ne);
    if (ns == ne) return 0;
    strength = name_strength(s + ns, ne - ns, &qualified);
    if (!strength && s[i] == '=' && o == i) {
        /* NAME: TYPE = / NAME TYPE = : the name before the type */
        k = ns;
        while (k > ls && ns - k < 48 && s[k - 1] && strchr("&*<>[]' \t:", s[k - 1])) k--;
        if (k == ns || k == ls) return 0;
        ne = k;
        ns = name_back(s, ls, ne);
        if (ns == ne || !(strength = name_strength(s + ns, ne - ns, &qualified))) return 0;
        need_quote = 1;
    }
    if (!strength) return 0;
    return match_value(s, n, ns, ne, v, strength, need_quote, vstart);
}

/* #define NAME VALUE, s[i] == '#': the value's length and *vstart, or 0. */
static size_t match_define(const char *s, size_t n, size_t i, size_t *vstart)
{
    size_t k = i + 1, ns, ne;
    int strength, qualified;
    while (k < n && (s[k] == ' ' || s[k] == '\t')) k++;
    if (n - k < 8 || memcmp(s + k, "define", 6) != 0 || (s[k + 6] != ' ' && s[k + 6] != '\t')) return 0;
    k += 6;
    while (k < n && (s[k] == ' ' || s[k] == '\t')) k++;
    ns = k;
    while (k < n && k - ns < 64 && is_word((unsigned char)s[k])) k++;
    ne = k;
    if (ne == ns || k >= n || (s[k] != ' ' && s[k] != '\t')) return 0;
    {
        size_t q = k;
        while (q < n && (s[q] == ' ' || s[q] == '\t')) q++;
        if (q >= n || (s[q] != '"' && s[q] != '\'' && !(q + 1 < n && strchr("LuU@", s[q]) && s[q + 1] == '"')))
            return 0; /* a macro: only a string literal can be a secret */
    }
    if (!(strength = name_strength(s + ns, ne - ns, &qualified))) return 0;
    return match_value(s, n, ns, ne, k, strength, 1, vstart); /* unquoted: a macro */
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
    for (; k < n && k - v < 4096 && (isalnum((unsigned char)s[k]) || (s[k] && strchr("._~+/=-", s[k]))); k++) {
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
    pthread_once(&shape_once, shape_init);
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        size_t m = 0, vstart = i;
        if (cls[c] & 1) {
            /* a word: only a few two-letter starts can begin a token */
            unsigned char d = i + 1 < n ? (unsigned char)s[i + 1] : 0;
            if (trig[c][d >> 3] & (1u << (d & 7))) {
                if (!(m = match_shape(s, n, i)) && !(c == 'e' && (m = match_jwt(s, n, i))) && (c | 0x20) == 'b')
                    m = match_auth_header(s, n, i, &vstart);
            }
            if (!m) {
                for (i++; i < n && (cls[(unsigned char)s[i]] & 1); i++)
                    ;
                continue;
            }
        } else if (cls[c] & 8) {
            if (c == '-') {
                if (i + 11 < n && s[i + 1] == '-' && (m = match_pem(s, n, i))) {
                    if (push(out, i, i + m, TC_SECRET_KEYBLOCK)) return TC_ENOMEM;
                    i += m;
                    continue;
                }
            } else if (c == '#') {
                m = match_define(s, n, i, &vstart);
            } else {
                if (c == ':' && i + 3 < n && s[i + 1] != '/' && (m = match_url_password(s, n, i))) vstart = i + 1;
                else m = match_op(s, n, i, &vstart);
            }
        } else if (c == ' ' || c == '\t') {
            for (i++; i < n && (s[i] == ' ' || s[i] == '\t'); i++)
                ;
            continue;
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

/* The token after toks->v[ti] is a string literal (a string prefix such as
 * Python's b / r / f lexes into the string). */
static int next_is_string(const tc_toks *toks, size_t ti)
{
    return ti + 1 < toks->n && toks->v[ti + 1].kind == TC_TOK_STRING;
}

/* The secrets of src found from its tokens: the same matchers as
 * tc_secrets_scan, tried only where a token can start one (an operator, a
 * directive, a word with a known two-letter start) and over the bytes of
 * string literals; comments are skipped (the index drops them). About
 * one check per token instead of per byte: the index lexes gigabytes. */
static int scan_tokens(const char *src, size_t len, tc_lang lang, const tc_toks *toks, tc_secrets *out)
{
    size_t ti, covered = 0;
    /* in code, a secret assigned is a string literal; unquoted values are
     * code, except in shell and plain text (.env, YAML, INI) */
    int code = lang != TC_LANG_TEXT && lang != TC_LANG_SHELL;
    tc_secrets sub = {0};
    int rc = TC_OK;
    const tc_token *tv = toks->v;
    const size_t nt = toks->n;
    out->n = 0;
    pthread_once(&shape_once, shape_init);
    for (ti = 0; ti < nt && !rc; ti++) {
        const tc_token *t;
        size_t a, m = 0, vstart, k;
        unsigned char c, d;
        /* fast path: most tokens cannot start a secret; the first tests of
         * the switch below (tok_pass), made before any other work, in a
         * loop of their own */
        for (; ti < nt; ti++) {
            size_t o = tv[ti].off;
            if (tok_pass[pass_kind(tv[ti].kind)][o < len ? (unsigned char)src[o] : 0]) break;
        }
        if (ti == nt) break;
        t = &tv[ti];
        a = t->off, vstart = a;
        c = a < len ? (unsigned char)src[a] : 0;
        if (a < covered || !t->len || (t->kind == TC_TOK_STRING && t->len < 10)) continue;
        d = a + 1 < len ? (unsigned char)src[a + 1] : 0;
        switch (t->kind) { /* comments and line breaks never pass tok_pass; short strings stop above */
        case TC_TOK_STRING:
            if ((rc = tc_secrets_scan(src + a, t->len, &sub))) break;
            for (k = 0; k < sub.n && !rc; k++) {
                rc = push(out, a + sub.v[k].start, a + sub.v[k].end, sub.v[k].kind);
                covered = a + sub.v[k].end;
            }
            continue;
        case TC_TOK_PUNCT:
        case TC_TOK_OTHER:
            if (c == '-') {
                if (d == '-' && a + 11 < len && (m = match_pem(src, len, a))) {
                    rc = push(out, a, a + m, TC_SECRET_KEYBLOCK);
                    covered = a + m;
                    continue;
                }
            } else if (c == '#') {
                m = match_define(src, len, a, &vstart);
            } else if (c == ':' || c == '=' || c == '?') {
                /* =, :, :=, =>, ?= ; the '=' of := and ?= */
                size_t o = (c == ':' || c == '?') && d == '=' ? a + 1 : a;
                if (c == '?' && d != '=') break;
                if (c == ':' && a + 3 < len && d != '/' && (m = match_url_password(src, len, a))) vstart = a + 1;
                else if (!code || next_is_string(toks, ti)) m = match_op(src, len, o, &vstart);
            }
            break;
        default:
            /* a known token is 16+ bytes, or goes on past this token
             * (sk-..., xoxb-...); Bearer / Basic are 5-6 */
            if ((t->len >= 10 ||
                 (a + t->len < len && (src[a + t->len] == '-' || src[a + t->len] == '_' || src[a + t->len] == '.')) ||
                 ((c | 0x20) == 'b' && t->len <= 6)) &&
                (trig[c][d >> 3] & (1u << (d & 7)))) {
                if (!(m = match_shape(src, len, a)) && !(c == 'e' && (m = match_jwt(src, len, a))) && (c | 0x20) == 'b')
                    m = match_auth_header(src, len, a, &vstart);
            }
            break;
        }
        if (m && !rc) {
            rc = push(out, vstart, vstart + m, TC_SECRET_VALUE);
            covered = vstart + m;
        }
    }
    tc_secrets_free(&sub);
    return rc;
}

int tc_secrets_mask_tokens(const char *src, size_t len, tc_lang lang, tc_toks *toks)
{
    tc_secrets sp = {0};
    size_t i, o = 0, k = 0, last = (size_t)-1;
    int rc = scan_tokens(src, len, lang, toks, &sp);
    if (rc || !sp.n) goto out;
    {
        /* tokens before the first secret stay where they are */
        size_t lo = 0, hi = toks->n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if ((size_t)toks->v[mid].off + toks->v[mid].len <= sp.v[0].start) lo = mid + 1;
            else hi = mid;
        }
        o = i = lo;
    }
    for (; i < toks->n; i++) {
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
