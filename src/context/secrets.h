/* secrets.h - finding secrets in text: one detection table, one pass.
 *
 * In the spirit of gitleaks' and trufflehog's rule sets (our own C, no
 * regular expressions), tc_secrets_scan finds, in one forward pass linear in
 * the text:
 *   - provider tokens of a known shape: AWS access key ids (AKIA, ASIA, ...),
 *     GitHub (ghp_ gho_ ghu_ ghs_ ghr_ github_pat_), GitLab (glpat- ...),
 *     Slack (xox?-, xapp-), Stripe (sk_live_ rk_live_ sk_test_ ...),
 *     OpenAI / Anthropic (sk-, sk-proj-, sk-ant-), Google (AIza, ya29.,
 *     GOCSPX-), npm (npm_), Hugging Face (hf_), PyPI, SendGrid, Shopify,
 *     DigitalOcean;
 *   - private key blocks (-----BEGIN ... PRIVATE KEY----- to the END line's
 *     closing dashes, also inside a string with \n escapes; an unterminated
 *     block runs over the lines of base64 that follow);
 *   - JSON Web Tokens (eyJ... . eyJ... . signature);
 *   - passwords in connection URLs (scheme://user:PASSWORD@host);
 *   - Authorization header values (Bearer / Basic CREDENTIAL);
 *   - values assigned to a secret-sounding name, in every syntax tacit lexes
 *     and the usual data files: NAME = "v", NAME: v (YAML), NAME=v (shell,
 *     .env, INI), export NAME=v, #define NAME "v", char NAME[] = "v",
 *     "NAME": "v" / 'NAME' => 'v' (dict and object literals), NAME := "v",
 *     NAME: &str = "v", var NAME string = "v".
 * Names: the last word of the name (split at _ - . and camelCase, ignoring a
 * trailing decoration such as _b64, _hex, _value, _prod or digits) decides.
 * Strong names (password, passwd, passphrase, pass, pwd, pw, psw, secret,
 * credential(s), creds, or a word ending in password/passwd/secret) take any
 * value that is not code, a placeholder or prose: quoted phrases with
 * spaces count (passphrases); an unquoted single word needs a digit or a
 * symbol. Weak names (key, token, auth, apikey, authorization, license, or
 * a word ending in token/apikey/secretkey/accesskey) take only a value
 * that looks random: 8+ characters, no space, a digit (or 20+ characters
 * in mixed case), Shannon entropy >= 3 bits per character. Never a secret:
 * code (a call, an index, $VAR, an identifier with '_' or '.', a keyword
 * such as None / null / true), a path, placeholders (empty, <...>, [...],
 * ${...}, {{...}}, %s, a run of one character, a value starting "your",
 * and the usual stand-ins: changeme, password, secret, example, dummy,
 * test, placeholder, redacted, ...). docs/privacy.md has the reasons.
 *
 * Spans are [start, end) byte ranges of the secret value only: quotes,
 * names and the delimiters around a key block are kept.
 */
#ifndef TC_SECRETS_H
#define TC_SECRETS_H

#include "lang/lang.h"
#include "util/buf.h"

#include <stddef.h>
#include <stdint.h>

enum { TC_SECRET_VALUE = 1, TC_SECRET_KEYBLOCK = 2 };

typedef struct tc_secret {
    size_t start, end; /* bytes [start, end) of the text scanned */
    uint8_t kind;      /* TC_SECRET_* */
} tc_secret;

typedef struct tc_secrets {
    tc_secret *v; /* in order, not overlapping (owned) */
    size_t n, cap;
} tc_secrets;

/* How far before a window a caller must start scanning so that a key
 * block beginning before the window is seen (the longest PEM block). */
#define TC_SECRET_LOOKBACK 16384

/* Find the secrets of s[0..n); out->n is reset first. TC_OK / TC_ENOMEM. */
int tc_secrets_scan(const char *s, size_t n, tc_secrets *out);
void tc_secrets_free(tc_secrets *sp);

/* 1 if pos lies strictly inside a span (start < pos < end). */
int tc_secrets_inside(const tc_secrets *sp, size_t pos);

/* 1 if the cursor (an offset in s[0..n)) is in a value being typed for a
 * secret-sounding name on its line: inside an open quote after
 * `NAME =` (any strong name, or a weak name with a qualifier such as
 * api_key, SECRET_KEY, auth_token; bare `key`/`token` are too common in
 * code), or in an unquoted value after a strong name (not code) or after an
 * env-style weak one (NAME=v with no space, or `export`). */
int tc_secrets_typing(const char *s, size_t n, size_t cursor);

/* Append s[from..to) to out with every span of sp replaced by a
 * placeholder ("<redacted>", "<redacted private key>"): a span starting
 * inside the range puts its placeholder there; the part of a span that
 * started before from is dropped. *count (may be NULL) is increased by the
 * placeholders written. TC_OK / TC_ENOMEM. */
int tc_secrets_redact(const char *s, const tc_secrets *sp, size_t from, size_t to, tc_buf *out, size_t *count);

/* Token kind of a masked secret (outside tc_tok_kind: tc_toks_check
 * refuses it; only the index's token stream sees it, as TC_VOCAB_UNK). */
#define TC_TOK_SECRET TC_TOK_KIND_COUNT

/* Keep secret values of src[0..len) out of a token array lexed from it as
 * lang (in code, only string literals are taken as assigned values; in
 * shell and plain text, unquoted ones too):
 * the first token that overlaps a span becomes TC_TOK_SECRET (its text is
 * never read), the others overlapping it are removed; comments holding a
 * secret stay comments (dropped by the index anyway). TC_OK / TC_ENOMEM. */
int tc_secrets_mask_tokens(const char *src, size_t len, tc_lang lang, tc_toks *toks);

#endif
