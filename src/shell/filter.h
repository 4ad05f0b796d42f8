/* filter.h - which shell commands may be kept: never one typed with a
 * leading space, one matching the user's ignore patterns, or one carrying a
 * secret.
 *
 * Secrets: the project's detector (context/secrets.h) over the whole command
 * line (provider tokens, Authorization headers, passwords in URLs, NAME=v
 * assignments such as `FOO_TOKEN=x cmd` or `export DB_PASSWORD=x`), plus the
 * shapes only a command line has: options naming a secret
 * (`--password X`, `--api-key=X`, `--client-secret X`: the option's name and
 * value are judged as the assignment NAME=X, so placeholders and $VARS pass),
 * `-pVALUE` after mysql/mariadb/mysqldump/mysqladmin, `-p VALUE` after
 * sshpass, and `-u user:password` / `--user user:password` after curl.
 */
#ifndef TC_SHELL_FILTER_H
#define TC_SHELL_FILTER_H

#include <stddef.h>

typedef enum tc_shell_verdict {
    TC_SHELL_KEEP = 0,
    TC_SHELL_SPACE,   /* starts with a space */
    TC_SHELL_EMPTY,   /* blank */
    TC_SHELL_IGNORED, /* matches an ignore pattern */
    TC_SHELL_SECRET,  /* carries a secret */
} tc_shell_verdict;

/* Judge cmd (not thread-safe: one static scratch buffer). ignore: patterns separated by ':' as bash's HISTIGNORE
 * (fnmatch globs matched against the whole command; NULL or "": none).
 * Never fails: a command the detector cannot scan (out of memory) is
 * judged a secret. */
tc_shell_verdict tc_shell_filter_check(const char *cmd, const char *ignore);
/* A static name for a verdict ("keep", "space", "empty", "ignored", "secret"). */
const char *tc_shell_verdict_name(tc_shell_verdict v);

#endif
