/* lang.h - language detection and lexers: source bytes -> tokens.
 *
 * Contract
 * - tc_lex() turns any byte string (invalid UTF-8, NUL bytes, CRLF,
 *   unterminated strings/comments included) into tokens in a single forward
 *   pass, in time linear in the input. It never reads outside [src, src+len)
 *   and never fails except for TC_ENOMEM.
 * - Tokens are in source order, do not overlap, and never cover white space
 *   other than inside strings/comments. Every non-white-space byte of the
 *   input belongs to exactly one token.
 * - Every line break outside a token (LF, CRLF or lone CR) produces one
 *   TC_TOK_NEWLINE token covering it (len 1 or 2), in every language: the
 *   model uses them as end-of-line markers. Blank lines and lines with only a
 *   comment still produce their NEWLINE token. A line break inside a
 *   multi-line string or comment belongs to that token instead.
 *   For Python, line breaks inside brackets are NEWLINE tokens too (the model
 *   wants every physical line end), and INDENT / DEDENT tokens (len 0, at the
 *   first token of the line) follow Python's indentation rules.
 * - Unicode identifiers: bytes >= 0x80 are identifier characters (so UTF-8
 *   names lex as one identifier; invalid bytes too, never a stall).
 */
#ifndef TC_LANG_H
#define TC_LANG_H

#include <stddef.h>
#include <stdint.h>

typedef enum tc_lang {
    TC_LANG_TEXT = 0, /* generic fallback: words, numbers, punctuation */
    TC_LANG_C,
    TC_LANG_CPP,
    TC_LANG_PYTHON,
    TC_LANG_JS,
    TC_LANG_TS,
    TC_LANG_GO,
    TC_LANG_RUST,
    TC_LANG_JAVA,
    TC_LANG_SHELL,
    TC_LANG_COUNT
} tc_lang;

typedef enum tc_tok_kind {
    TC_TOK_IDENT = 0,
    TC_TOK_KEYWORD,
    TC_TOK_NUMBER,
    TC_TOK_STRING,  /* string/char/template/heredoc literal, quotes included */
    TC_TOK_COMMENT,
    TC_TOK_PUNCT,   /* operators and brackets; multi-char operators are one token */
    TC_TOK_NEWLINE,
    TC_TOK_INDENT,  /* Python only, len 0 */
    TC_TOK_DEDENT,  /* Python only, len 0 */
    TC_TOK_OTHER,   /* preprocessor directive name, stray byte, ... */
    TC_TOK_KIND_COUNT
} tc_tok_kind;

typedef struct tc_token {
    uint32_t off;  /* byte offset of the token's first byte */
    uint32_t len;  /* length in bytes (0 for INDENT/DEDENT) */
    uint8_t kind;  /* tc_tok_kind */
} tc_token;

/* A growable token array; owned by the caller, free with tc_toks_free. */
typedef struct tc_toks {
    tc_token *v;
    size_t n, cap;
} tc_toks;

void tc_toks_free(tc_toks *t);

/* Lex src[0..len) as lang, appending to out (out->n is not reset).
 * Inputs over 4 GiB are rejected with TC_ETOOBIG (offsets are 32-bit).
 * Returns TC_OK or TC_ENOMEM / TC_ETOOBIG (TC_EINVAL only for src NULL
 * with len > 0); on failure out holds the tokens lexed so far. Thread-safe
 * (tables are set up once, on first use). */
int tc_lex(tc_lang lang, const char *src, size_t len, tc_toks *out);

/* Check that t is a valid lexing of src[0..len) per the contract above:
 * kinds in range, tokens in bounds, in order, not overlapping; only INDENT
 * and DEDENT have length 0; gaps hold only blanks (space, tab, VT, FF);
 * NEWLINE tokens are exactly LF, CR or CRLF; tokens other than STRING,
 * COMMENT and NEWLINE hold no white space or line break. Returns TC_OK or
 * TC_EINVAL. For tests and fuzzers; O(len). */
int tc_toks_check(const tc_toks *t, const char *src, size_t len);

/* Language from the file name (extension, or well-known names such as
 * "Makefile"? -> TEXT) and, when that says nothing, from a shebang in the
 * first bytes (head may be NULL). Never fails: unknown is TC_LANG_TEXT. */
tc_lang tc_lang_detect(const char *path, const char *head, size_t head_len);

/* Short lower-case name ("c", "cpp", "python", "js", "ts", "go", "rust",
 * "java", "shell", "text"). Static string. */
const char *tc_lang_name(tc_lang lang);
const char *tc_tok_kind_name(tc_tok_kind kind);

#endif
