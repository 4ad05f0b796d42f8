/* record.c - recording one command; see record.h. */
#include "shell/record.h"

#include "shell/model.h"
#include "util/status.h"

int tc_shell_record(tc_shell_store *s, const tc_shell_entry *e, const char *ignore, tc_shell_verdict *verdict)
{
    char root[4096], branch[256];
    tc_shell_entry c = *e;
    tc_shell_verdict v = tc_shell_filter_check(e->cmd, ignore);
    if (verdict) *verdict = v;
    if (v != TC_SHELL_KEEP) return TC_OK;
    c.repo = c.branch = NULL;
    if (c.cwd && tc_shell_git_info(c.cwd, root, sizeof root, branch, sizeof branch) == TC_OK) {
        c.repo = root;
        c.branch = branch[0] ? branch : NULL;
    }
    return tc_shell_store_add(s, &c);
}
