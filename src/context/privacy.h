/* privacy.h - what never leaves the machine.
 *
 * Two rules, applied to everything a remote backend is sent:
 *   1. Files whose name matches a secret pattern never enter a prompt, not
 *      as the file being edited, not as a retrieved or recent chunk.
 *      Patterns are shell globs (fnmatch); one without '/' matches the base
 *      name, one with '/' matches the workspace-relative path or any tail
 *      of it. The default list (tc_privacy_default_patterns) covers .env
 *      files, private keys and certificates, SSH keys, credential and token
 *      files of common tools, Terraform state and variables; the settings
 *      file's privacy.secret_files adds more (docs/backends.md).
 *   2. Secret-looking strings in any text sent are replaced by "<redacted>"
 *      (private key blocks by "<redacted private key>"), found by the one
 *      detection table of secrets.h (provider tokens, key blocks, JWTs,
 *      URL passwords, Authorization headers, values assigned to
 *      secret-sounding names in every syntax tacit lexes). Quotes and
 *      delimiters around a value are kept. The same table keeps secret
 *      values out of the index (tokens.c: the model sees TC_VOCAB_UNK).
 */
#ifndef TC_PRIVACY_H
#define TC_PRIVACY_H

#include "util/buf.h"

#include <stddef.h>

typedef struct tc_privacy tc_privacy;

/* A filter holding the default patterns. TC_OK / TC_ENOMEM. */
int tc_privacy_new(tc_privacy **out);
void tc_privacy_free(tc_privacy *p);
/* Add patterns: a list separated by commas, spaces or newlines. */
int tc_privacy_add(tc_privacy *p, const char *list);
/* 1 if relpath (workspace-relative, '/'-separated) must stay private. */
int tc_privacy_path_is_secret(const tc_privacy *p, const char *relpath);
size_t tc_privacy_npatterns(const tc_privacy *p);
const char *tc_privacy_pattern(const tc_privacy *p, size_t i);
/* The built-in list, NULL-terminated (static). */
const char *const *tc_privacy_default_patterns(void);

/* Append s[0..n) to out with secret-looking strings replaced (the whole
 * text is scanned before anything is written: tc_secrets_scan, then
 * tc_secrets_redact). *count (may be NULL) receives the number of
 * replacements. TC_OK / TC_ENOMEM (out is then partly written). Linear in n. */
int tc_redact(const char *s, size_t n, tc_buf *out, size_t *count);
/* tc_redact of s[from..to), the text before from (TC_SECRET_LOOKBACK
 * bytes, from a line start) scanned too, so that a key block that began
 * before the range is still recognised and not cut. */
int tc_redact_range(const char *s, size_t from, size_t to, tc_buf *out, size_t *count);

#endif
