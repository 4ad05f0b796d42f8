/* lex_int.h - what only the lexers of src/lang/ share: character classes,
 * the token sink, keyword and operator tables, and scanning helpers.
 *
 * Scanning helpers take (s, n, i) and return the index just past what they
 * matched; they never read s[n] or beyond, and always return a value in
 * [i, n]. Each language's lexer is one forward loop in lex_<lang>.c. */
#ifndef TC_LEX_INT_H
#define TC_LEX_INT_H

#include "lang/lang.h"
#include "util/scan.h"
#include "util/status.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Character classes (tc_lx_cc[byte]). */
enum {
    LX_SP = 1,   /* ' ' \t \v \f: white space, never in a token */
    LX_NL = 2,   /* \n \r */
    LX_ID = 4,   /* A-Z a-z _ and every byte >= 0x80 */
    LX_DIG = 8,  /* 0-9 */
    LX_PUN = 16, /* printable ASCII punctuation */
    LX_CTL = 32, /* NUL, other control bytes, DEL: a 1-byte OTHER token */
};
#define LX_IDC (LX_ID | LX_DIG)

extern uint8_t tc_lx_cc[256]; /* filled once (lang.c's lx_init_once) before the first lexing */

/* The token sink. err becomes TC_ENOMEM when an append fails; lexers stop
 * at the next iteration of their loop. */
typedef struct tc_lexer {
    const uint8_t *s; /* input */
    size_t n;         /* input length in bytes (< 4 GiB) */
    tc_toks *out;
    int err;
} tc_lexer;

int tc_lx_grow(tc_lexer *L);

static inline void lx_emit(tc_lexer *L, size_t off, size_t len, int kind)
{
    tc_toks *t = L->out;
    tc_token *k;
    if (t->n == t->cap && tc_lx_grow(L) != TC_OK) return;
    k = &t->v[t->n++];
    k->off = (uint32_t)off;
    k->len = (uint32_t)len;
    k->kind = (uint8_t)kind;
}

/* Kind of the last token emitted, or -1. */
static inline int lx_last_kind(const tc_lexer *L)
{
    return L->out->n ? L->out->v[L->out->n - 1].kind : -1;
}

/* Emit the NEWLINE at s[i] (\n, \r or \r\n); return the index after it. */
static inline size_t lx_newline(tc_lexer *L, size_t i)
{
    size_t len = (L->s[i] == '\r' && i + 1 < L->n && L->s[i + 1] == '\n') ? 2 : 1;
    lx_emit(L, i, len, TC_TOK_NEWLINE);
    return i + len;
}

/* Length of the line break at s[i] (which is \n or \r). */
static inline size_t lx_nl_len(const uint8_t *s, size_t n, size_t i)
{
    return (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n') ? 2 : 1;
}

/* The scanners' classes (util/scan.h): line breaks, blanks and what is
 * not an identifier byte. */
#ifdef __SSE2__
static inline unsigned lx_nl16(__m128i v, const void *arg)
{
    (void)arg;
    return (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))));
}

static inline unsigned lx_nonblank16(__m128i v, const void *arg)
{
    __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\t'))),
                             _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\v')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\f'))));
    (void)arg;
    return ~(unsigned)_mm_movemask_epi8(m) & 0xffffu;
}

/* A-Z a-z by range after folding case, 0-9, '_', and the bytes >= 0x80
 * (negative as signed) */
static inline unsigned lx_nonidc16(__m128i v, const void *arg)
{
    __m128i al = _mm_cmplt_epi8(_mm_add_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)), _mm_set1_epi8((char)(128 - 'a'))),
                                _mm_set1_epi8((char)(-128 + 26)));
    __m128i dg = _mm_cmplt_epi8(_mm_add_epi8(v, _mm_set1_epi8((char)(128 - '0'))), _mm_set1_epi8((char)(-128 + 10)));
    __m128i m = _mm_or_si128(_mm_or_si128(al, dg),
                             _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('_')), _mm_cmplt_epi8(v, _mm_setzero_si128())));
    (void)arg;
    return ~(unsigned)_mm_movemask_epi8(m) & 0xffffu;
}
#endif

static inline int lx_nl1(uint8_t c, const void *arg)
{
    (void)arg;
    return tc_lx_cc[c] & LX_NL;
}

static inline int lx_nonblank1(uint8_t c, const void *arg)
{
    (void)arg;
    return !(tc_lx_cc[c] & LX_SP);
}

static inline int lx_nonidc1(uint8_t c, const void *arg)
{
    (void)arg;
    return !(tc_lx_cc[c] & LX_IDC);
}

/* Index of the first \n or \r at or after i (n if none): a line
 * comment's text. */
static inline size_t lx_line_end(const uint8_t *s, size_t n, size_t i)
{
    return tc_scan_until(s, n, i, TC_SCAN_STOP16(lx_nl16), lx_nl1, NULL);
}

/* Index of the first byte at or after i that is not an identifier byte
 * (LX_IDC). */
static inline size_t lx_idc_end(const uint8_t *s, size_t n, size_t i)
{
    return tc_scan_until(s, n, i, TC_SCAN_STOP16(lx_nonidc16), lx_nonidc1, NULL);
}

/* Index of the first byte at or after i that is not a blank (LX_SP). */
static inline size_t lx_blank_end(const uint8_t *s, size_t n, size_t i)
{
    return tc_scan_until(s, n, i, TC_SCAN_STOP16(lx_nonblank16), lx_nonblank1, NULL);
}

/* Identifier from i (s[i] is LX_ID); dollar: '$' is an identifier byte. */
static inline size_t lx_ident(const uint8_t *s, size_t n, size_t i, int dollar)
{
    i++;
    for (;;) {
        i = lx_idc_end(s, n, i);
        if (!dollar || i >= n || s[i] != '$') return i;
        i++;
    }
}

/* Block comment from i (at the opening slash-star); nested: count nested
 * openers (Rust). Returns the index after the closing star-slash, or n. */
size_t tc_lx_block_comment(const uint8_t *s, size_t n, size_t i, int nested);

/* End of a slash-slash or slash-star comment starting at s[i] (block
 * comments nest when nested), or i itself when none starts there: the
 * comment forms Go, Java, JS/TS and Rust share. */
static inline size_t lx_slash_comment(const uint8_t *s, size_t n, size_t i, int nested)
{
    if (s[i] != '/' || i + 1 >= n) return i;
    if (s[i + 1] == '/') return lx_line_end(s, n, i);
    if (s[i + 1] == '*') return tc_lx_block_comment(s, n, i, nested);
    return i;
}

/* Quoted literal: i is just after the opening quote q. Backslash escapes the
 * next byte (a CRLF as one). Stops after the closing q; when !multiline,
 * stops before an unescaped line break (unterminated literal). Returns n if
 * unterminated at the end of input. */
size_t tc_lx_quoted(const uint8_t *s, size_t n, size_t i, uint8_t q, int multiline);

/* Numbers. flags: */
enum {
    LX_NUM_PP = 1,    /* C pp-number: any '.', e+/e-/p+/p- anywhere */
    LX_NUM_QUOTE = 2, /* ' between digits is a separator (C++14, C23) */
};
/* Number from i (a digit, or '.' followed by a digit). A '.' belongs to the
 * number only when followed by a digit, or by neither '.' nor an identifier
 * byte (so 1..2, 1.max() and x.0.y stay apart). */
size_t tc_lx_number(const uint8_t *s, size_t n, size_t i, int flags);

/* Keyword table: open addressing over a hash of (len, first, second, last
 * byte); built once by tc_lx_kw_build from a NULL-terminated list. */
#define LX_KW_SLOTS 512
#define LX_KW_MAX 160
typedef struct lx_kwtab {
    const char *const *words;
    uint8_t wlen[LX_KW_MAX];
    uint16_t slot[LX_KW_SLOTS]; /* 1 + index into words; 0 = empty */
    uint8_t minlen, maxlen;
} lx_kwtab;

void tc_lx_kw_build(lx_kwtab *t, const char *const *words);

static inline uint32_t lx_kw_hash(const uint8_t *p, size_t len)
{
    uint32_t h = (uint32_t)p[0] * 0x9E3779B1u ^ (uint32_t)p[1] * 0x85EBCA6Bu ^
                 (uint32_t)p[len - 1] * 0xC2B2AE35u ^ (uint32_t)len * 0x27D4EB2Fu;
    h ^= h >> 15;
    return (h * 0x2C1B3C6Du) >> 23; /* 9 bits: LX_KW_SLOTS */
}

static inline int lx_is_kw(const lx_kwtab *t, const uint8_t *p, size_t len)
{
    uint32_t h;
    if (len < t->minlen || len > t->maxlen) return 0;
    h = lx_kw_hash(p, len);
    for (;;) {
        unsigned e = t->slot[h];
        if (!e) return 0;
        if (t->wlen[e - 1] == len && memcmp(t->words[e - 1], p, len) == 0) return 1;
        h = (h + 1) & (LX_KW_SLOTS - 1);
    }
}

/* Operator table: multi-byte operators (2..4 bytes) packed little-endian
 * into a uint32 and hashed; single bytes are not listed. */
#define LX_OP_SLOTS 256
typedef struct lx_optab {
    uint8_t start[256]; /* 1 if the byte begins a listed operator */
    uint32_t slot[LX_OP_SLOTS];
    uint8_t maxlen;
} lx_optab;

void tc_lx_op_build(lx_optab *t, const char *const *ops);

static inline uint32_t lx_op_hash(uint32_t k)
{
    return (k * 0x9E3779B1u) >> 24;
}

/* Length (>= 1) of the longest operator at p; avail >= 1 bytes readable. */
static inline size_t lx_op(const lx_optab *t, const uint8_t *p, size_t avail)
{
    size_t l;
    uint32_t all = 0;
    if (!t->start[p[0]]) return 1;
    l = avail < t->maxlen ? avail : t->maxlen;
    switch (l) { /* the longest candidate packed once; shorter ones masked */
    case 4: all |= (uint32_t)p[3] << 24; /* fall through */
    case 3: all |= (uint32_t)p[2] << 16; /* fall through */
    case 2: all |= (uint32_t)p[1] << 8 | p[0]; break;
    default: return 1;
    }
    for (; l >= 2; l--) {
        uint32_t k = l == 4 ? all : all & ((1u << (8 * l)) - 1), h;
        if (!p[l - 1]) continue; /* a NUL would pack like a shorter op */
        for (h = lx_op_hash(k);; h = (h + 1) & (LX_OP_SLOTS - 1)) {
            if (!t->slot[h]) break;
            if (t->slot[h] == k) return l;
        }
    }
    return 1;
}

/* The per-language lexers and their one-time table setup. Each lexes
 * L->s[0..L->n) and returns when done or when L->err is set. */
void tc_lx_text(tc_lexer *L);
void tc_lx_c(tc_lexer *L, int cpp);
void tc_lx_python(tc_lexer *L);
void tc_lx_js(tc_lexer *L, int ts);
void tc_lx_go(tc_lexer *L);
void tc_lx_rust(tc_lexer *L);
void tc_lx_java(tc_lexer *L);
void tc_lx_shell(tc_lexer *L);

void tc_lx_c_init(void);
void tc_lx_python_init(void);
void tc_lx_js_init(void);
void tc_lx_go_init(void);
void tc_lx_rust_init(void);
void tc_lx_java_init(void);
void tc_lx_shell_init(void);

#endif
