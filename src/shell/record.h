/* record.h - recording one command: the filter (filter.h), the git work
 * tree and branch of its directory, the store (store.h). The one path
 * both `tacit shell record` and the daemon's record message take. */
#ifndef TC_SHELL_RECORD_H
#define TC_SHELL_RECORD_H

#include "shell/filter.h"
#include "shell/store.h"

/* Add e (its repo and branch are found from e->cwd; the caller's are
 * ignored) unless the filter refuses it with ignore's patterns. *verdict
 * (may be NULL) gets the filter's verdict. TC_OK (also when refused) or
 * the store's error. */
int tc_shell_record(tc_shell_store *s, const tc_shell_entry *e, const char *ignore, tc_shell_verdict *verdict);

#endif
