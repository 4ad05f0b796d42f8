/* lang.c - language detection, names, the token array, tc_lex dispatch and
 * the scanning helpers every lexer shares (see lex_int.h). */
#include "lang/lex_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

uint8_t tc_lx_cc[256];

/* ---- one-time tables ---- */

static void lx_init_once(void)
{
    int c;
    for (c = 0; c < 256; c++) {
        uint8_t k;
        if (c == ' ' || c == '\t' || c == '\v' || c == '\f') k = LX_SP;
        else if (c == '\n' || c == '\r') k = LX_NL;
        else if (c >= '0' && c <= '9') k = LX_DIG;
        else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80) k = LX_ID;
        else if (c > ' ' && c < 0x7f) k = LX_PUN;
        else k = LX_CTL;
        tc_lx_cc[c] = k;
    }
    tc_lx_c_init();
    tc_lx_python_init();
    tc_lx_js_init();
    tc_lx_go_init();
    tc_lx_rust_init();
    tc_lx_java_init();
    tc_lx_shell_init();
}

static pthread_once_t lx_once = PTHREAD_ONCE_INIT;

void tc_lx_kw_build(lx_kwtab *t, const char *const *words)
{
    size_t i;
    memset(t, 0, sizeof *t);
    t->words = words;
    t->minlen = 255;
    for (i = 0; words[i] && i < LX_KW_MAX; i++) {
        const uint8_t *w = (const uint8_t *)words[i];
        size_t len = strlen(words[i]);
        uint32_t h;
        if (len < 2 || len > 255) continue; /* lookups need two bytes */
        t->wlen[i] = (uint8_t)len;
        if (len < t->minlen) t->minlen = (uint8_t)len;
        if (len > t->maxlen) t->maxlen = (uint8_t)len;
        for (h = lx_kw_hash(w, len); t->slot[h]; h = (h + 1) & (LX_KW_SLOTS - 1)) {}
        t->slot[h] = (uint16_t)(i + 1);
    }
}

void tc_lx_op_build(lx_optab *t, const char *const *ops)
{
    size_t i, j;
    memset(t, 0, sizeof *t);
    for (i = 0; ops[i]; i++) {
        size_t len = strlen(ops[i]);
        uint32_t k = 0, h;
        if (len < 2 || len > 4) continue;
        for (j = 0; j < len; j++) k |= (uint32_t)(uint8_t)ops[i][j] << (8 * j);
        t->start[(uint8_t)ops[i][0]] = 1;
        if (len > t->maxlen) t->maxlen = (uint8_t)len;
        for (h = lx_op_hash(k); t->slot[h] && t->slot[h] != k; h = (h + 1) & (LX_OP_SLOTS - 1)) {}
        t->slot[h] = k;
    }
}

/* ---- token array ---- */

int tc_lx_grow(tc_lexer *L)
{
    tc_toks *t = L->out;
    size_t cap = t->cap ? t->cap * 2 : L->n / 5 + 64; /* ~1 token per 5 bytes */
    tc_token *v;
    if (cap < t->cap || cap > SIZE_MAX / sizeof *v) {
        L->err = TC_ENOMEM;
        return TC_ENOMEM;
    }
    v = realloc(t->v, cap * sizeof *v);
    if (!v) {
        L->err = TC_ENOMEM;
        return TC_ENOMEM;
    }
    t->v = v;
    t->cap = cap;
    return TC_OK;
}

void tc_toks_free(tc_toks *t)
{
    if (!t) return;
    free(t->v);
    t->v = NULL;
    t->n = t->cap = 0;
}

/* ---- shared scanners ---- */

size_t tc_lx_block_comment(const uint8_t *s, size_t n, size_t i, int nested)
{
    size_t depth = 1;
    i += 2;
    while (i < n) {
        const uint8_t *p;
        if (!nested) {
            p = memchr(s + i, '*', n - i);
            if (!p) return n;
            i = (size_t)(p - s) + 1;
            if (i < n && s[i] == '/') return i + 1;
            continue;
        }
        if (s[i] == '*' && i + 1 < n && s[i + 1] == '/') {
            i += 2;
            if (--depth == 0) return i;
        } else if (s[i] == '/' && i + 1 < n && s[i + 1] == '*') {
            i += 2;
            depth++;
        } else {
            i++;
        }
    }
    return n;
}

/* What a quoted literal must look at: its quote q, a backslash, a line
 * break unless multiline (a scan class of util/scan.h; most of a string's
 * bytes are none of them). */
struct quoted_class {
    uint8_t q;
    int multiline;
};

#ifdef __SSE2__
static unsigned quoted_stop16(__m128i v, const void *arg)
{
    const struct quoted_class *k = arg;
    __m128i vq = _mm_set1_epi8((char)k->q), vb = _mm_set1_epi8('\\'),
            vn = _mm_set1_epi8(k->multiline ? (char)k->q : '\n'), vr = _mm_set1_epi8(k->multiline ? (char)k->q : '\r');
    return (unsigned)_mm_movemask_epi8(
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, vq), _mm_cmpeq_epi8(v, vb)), _mm_or_si128(_mm_cmpeq_epi8(v, vn), _mm_cmpeq_epi8(v, vr))));
}
#endif

static int quoted_stop1(uint8_t c, const void *arg)
{
    const struct quoted_class *k = arg;
    return c == k->q || c == '\\' || (!k->multiline && (tc_lx_cc[c] & LX_NL));
}

/* Index of the first byte of s[i..n) that a quoted literal must look at, or n. */
static size_t quoted_stop(const uint8_t *s, size_t n, size_t i, uint8_t q, int multiline)
{
    struct quoted_class k = {q, multiline};
    return tc_scan_until(s, n, i, TC_SCAN_STOP16(quoted_stop16), quoted_stop1, &k);
}

size_t tc_lx_quoted(const uint8_t *s, size_t n, size_t i, uint8_t q, int multiline)
{
    while ((i = quoted_stop(s, n, i, q, multiline)) < n) {
        uint8_t c = s[i];
        if (c == q) return i + 1;
        if (c == '\\') {
            if (i + 1 >= n) return n;
            i += (tc_lx_cc[s[i + 1]] & LX_NL) ? 1 + lx_nl_len(s, n, i + 1) : 2;
            continue;
        }
        if (!multiline && (tc_lx_cc[c] & LX_NL)) return i;
        i++;
    }
    return n;
}

size_t tc_lx_number(const uint8_t *s, size_t n, size_t i, int flags)
{
    int hex = s[i] == '0' && i + 1 < n && (s[i + 1] | 0x20) == 'x';
    int dot = 0;
    if (s[i] == '.') {
        dot = 1;
        i++;
    }
    while (i < n) {
        uint8_t c = s[i];
        if (tc_lx_cc[c] & LX_IDC) {
            uint8_t lc = c | 0x20;
            i++;
            if (i + 1 < n && (s[i] == '+' || s[i] == '-') &&
                ((flags & LX_NUM_PP) ? (lc == 'e' || lc == 'p')
                                     : (lc == (hex ? 'p' : 'e') && (tc_lx_cc[s[i + 1]] & LX_DIG)))) {
                i++;
                dot = 1; /* no '.' after an exponent */
            }
            continue;
        }
        if (c == '.') {
            uint8_t nx;
            if (flags & LX_NUM_PP) {
                i++;
                continue;
            }
            if (dot) break;
            nx = i + 1 < n ? s[i + 1] : 0;
            if (!(tc_lx_cc[nx] & LX_DIG) && (nx == '.' || (tc_lx_cc[nx] & LX_ID))) break;
            dot = 1;
            i++;
            continue;
        }
        if (c == '\'' && (flags & LX_NUM_QUOTE) && i + 1 < n && (tc_lx_cc[s[i + 1]] & LX_IDC)) {
            i += 2;
            continue;
        }
        break;
    }
    return i;
}

/* ---- TEXT: words, numbers, single-byte punctuation ---- */

void tc_lx_text(tc_lexer *L)
{
    const uint8_t *s = L->s;
    size_t n = L->n, i = 0;
    while (i < n && !L->err) {
        uint8_t c = s[i], k = tc_lx_cc[c];
        size_t st = i;
        if (k & LX_SP) {
            i++;
        } else if (k & LX_NL) {
            i = lx_newline(L, i);
        } else if (k & LX_ID) {
            i = lx_ident(s, n, i, 0);
            lx_emit(L, st, i - st, TC_TOK_IDENT);
        } else if (k & LX_DIG) {
            i = tc_lx_number(s, n, i, 0);
            lx_emit(L, st, i - st, TC_TOK_NUMBER);
        } else {
            lx_emit(L, i++, 1, (k & LX_PUN) ? TC_TOK_PUNCT : TC_TOK_OTHER);
        }
    }
}

/* ---- entry points ---- */

int tc_lex(tc_lang lang, const char *src, size_t len, tc_toks *out)
{
    tc_lexer L;
    if (len > UINT32_MAX) return TC_ETOOBIG;
    if (len && !src) return TC_EINVAL;
    pthread_once(&lx_once, lx_init_once);
    L.s = (const uint8_t *)src;
    L.n = len;
    L.out = out;
    L.err = TC_OK;
    switch (lang) {
    case TC_LANG_C: tc_lx_c(&L, 0); break;
    case TC_LANG_CPP: tc_lx_c(&L, 1); break;
    case TC_LANG_PYTHON: tc_lx_python(&L); break;
    case TC_LANG_JS: tc_lx_js(&L, 0); break;
    case TC_LANG_TS: tc_lx_js(&L, 1); break;
    case TC_LANG_GO: tc_lx_go(&L); break;
    case TC_LANG_RUST: tc_lx_rust(&L); break;
    case TC_LANG_JAVA: tc_lx_java(&L); break;
    case TC_LANG_SHELL: tc_lx_shell(&L); break;
    default: tc_lx_text(&L); break;
    }
    return L.err;
}

int tc_toks_check(const tc_toks *t, const char *src, size_t len)
{
    const uint8_t *s = (const uint8_t *)src;
    size_t i, pos = 0, k;
    if (!t || (t->n && !t->v) || t->n > t->cap) return TC_EINVAL;
    pthread_once(&lx_once, lx_init_once);
    for (i = 0; i < t->n; i++) {
        const tc_token *tk = &t->v[i];
        size_t off = tk->off, end = (size_t)tk->off + tk->len;
        if (tk->kind >= TC_TOK_KIND_COUNT || end > len || off < pos) return TC_EINVAL;
        if ((tk->len == 0) != (tk->kind == TC_TOK_INDENT || tk->kind == TC_TOK_DEDENT))
            return TC_EINVAL;
        for (k = pos; k < off; k++) /* gaps hold only blanks */
            if (!(tc_lx_cc[s[k]] & LX_SP)) return TC_EINVAL;
        if (tk->kind == TC_TOK_NEWLINE) {
            if (!(tk->len == 1 && (s[off] == '\n' || s[off] == '\r')) &&
                !(tk->len == 2 && s[off] == '\r' && s[off + 1] == '\n'))
                return TC_EINVAL;
        } else if (tk->kind != TC_TOK_STRING && tk->kind != TC_TOK_COMMENT) {
            for (k = off; k < end; k++)
                if (tc_lx_cc[s[k]] & (LX_SP | LX_NL)) return TC_EINVAL;
        }
        pos = end;
    }
    for (k = pos; k < len; k++)
        if (!(tc_lx_cc[s[k]] & LX_SP)) return TC_EINVAL;
    return TC_OK;
}

/* ---- names and detection ---- */

const char *tc_lang_name(tc_lang lang)
{
    static const char *const names[TC_LANG_COUNT] = {
        "text", "c", "cpp", "python", "js", "ts", "go", "rust", "java", "shell",
    };
    return (unsigned)lang < TC_LANG_COUNT ? names[lang] : "text";
}

const char *tc_tok_kind_name(tc_tok_kind kind)
{
    static const char *const names[TC_TOK_KIND_COUNT] = {
        "ident", "keyword", "number", "string", "comment",
        "punct", "newline", "indent", "dedent", "other",
    };
    return (unsigned)kind < TC_TOK_KIND_COUNT ? names[kind] : "?";
}

static const struct {
    const char *ext;
    tc_lang lang;
} lx_exts[] = {
    {"c", TC_LANG_C},       {"h", TC_LANG_C},
    {"cc", TC_LANG_CPP},    {"cpp", TC_LANG_CPP},     {"cxx", TC_LANG_CPP},
    {"c++", TC_LANG_CPP},   {"hh", TC_LANG_CPP},      {"hpp", TC_LANG_CPP},
    {"hxx", TC_LANG_CPP},   {"h++", TC_LANG_CPP},     {"ipp", TC_LANG_CPP},
    {"tpp", TC_LANG_CPP},   {"inl", TC_LANG_CPP},     {"cu", TC_LANG_CPP},
    {"cuh", TC_LANG_CPP},   {"ino", TC_LANG_CPP},
    {"py", TC_LANG_PYTHON}, {"pyi", TC_LANG_PYTHON},  {"pyw", TC_LANG_PYTHON},
    {"js", TC_LANG_JS},     {"mjs", TC_LANG_JS},      {"cjs", TC_LANG_JS},
    {"jsx", TC_LANG_JS},
    {"ts", TC_LANG_TS},     {"tsx", TC_LANG_TS},      {"mts", TC_LANG_TS},
    {"cts", TC_LANG_TS},
    {"go", TC_LANG_GO},     {"rs", TC_LANG_RUST},     {"java", TC_LANG_JAVA},
    {"sh", TC_LANG_SHELL},  {"bash", TC_LANG_SHELL},  {"zsh", TC_LANG_SHELL},
    {"ksh", TC_LANG_SHELL}, {"bats", TC_LANG_SHELL},
};

static const struct {
    const char *name;
    tc_lang lang;
} lx_names[] = {
    {".bashrc", TC_LANG_SHELL},  {".bash_profile", TC_LANG_SHELL},
    {".bash_login", TC_LANG_SHELL}, {".bash_logout", TC_LANG_SHELL},
    {".bash_aliases", TC_LANG_SHELL}, {".profile", TC_LANG_SHELL},
    {".zshrc", TC_LANG_SHELL},   {".zprofile", TC_LANG_SHELL},
    {".zshenv", TC_LANG_SHELL},  {"PKGBUILD", TC_LANG_SHELL},
    {"SConstruct", TC_LANG_PYTHON}, {"SConscript", TC_LANG_PYTHON},
};

/* Interpreter named by a "#!" line: its basename, after /usr/bin/env and
 * env's options and VAR=value words. */
static tc_lang lx_shebang(const char *h, size_t n)
{
    static const struct {
        const char *name;
        tc_lang lang;
    } interp[] = {
        {"sh", TC_LANG_SHELL},   {"bash", TC_LANG_SHELL}, {"zsh", TC_LANG_SHELL},
        {"ksh", TC_LANG_SHELL},  {"dash", TC_LANG_SHELL}, {"ash", TC_LANG_SHELL},
        {"mksh", TC_LANG_SHELL}, {"python", TC_LANG_PYTHON}, {"pypy", TC_LANG_PYTHON},
        {"node", TC_LANG_JS},    {"nodejs", TC_LANG_JS},  {"bun", TC_LANG_JS},
        {"deno", TC_LANG_TS},    {"ts-node", TC_LANG_TS}, {"tsx", TC_LANG_TS},
    };
    size_t i = 2, j, end;
    if (!h || n < 3 || h[0] != '#' || h[1] != '!') return TC_LANG_TEXT;
    end = 2;
    while (end < n && h[end] != '\n' && h[end] != '\r') end++;
    for (;;) {
        size_t ws, we, b, len;
        while (i < end && (h[i] == ' ' || h[i] == '\t')) i++;
        ws = i;
        while (i < end && h[i] != ' ' && h[i] != '\t') i++;
        we = i;
        if (ws == we) return TC_LANG_TEXT;
        if (h[ws] == '-' || memchr(h + ws, '=', we - ws)) continue; /* env -S, VAR=x */
        b = we;
        while (b > ws && h[b - 1] != '/') b--;
        len = we - b;
        if (len == 3 && memcmp(h + b, "env", 3) == 0) continue;
        /* python3.11 -> python */
        while (len > 0 && ((h[b + len - 1] >= '0' && h[b + len - 1] <= '9') || h[b + len - 1] == '.'))
            len--;
        for (j = 0; j < sizeof interp / sizeof interp[0]; j++)
            if (strlen(interp[j].name) == len && memcmp(interp[j].name, h + b, len) == 0)
                return interp[j].lang;
        return TC_LANG_TEXT;
    }
}

tc_lang tc_lang_detect(const char *path, const char *head, size_t head_len)
{
    const char *base = path, *p, *dot;
    size_t i;
    if (path) {
        for (p = path; *p; p++)
            if (*p == '/' || *p == '\\') base = p + 1;
        for (i = 0; i < sizeof lx_names / sizeof lx_names[0]; i++)
            if (strcmp(base, lx_names[i].name) == 0) return lx_names[i].lang;
        dot = strrchr(base, '.');
        if (dot && dot != base && dot[1]) {
            const char *ext = dot + 1;
            if (strcmp(ext, "C") == 0 || strcmp(ext, "H") == 0) return TC_LANG_CPP;
            for (i = 0; i < sizeof lx_exts / sizeof lx_exts[0]; i++)
                if (strcasecmp(ext, lx_exts[i].ext) == 0) return lx_exts[i].lang;
        }
    }
    return lx_shebang(head, head_len);
}
