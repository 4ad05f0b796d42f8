/* histfile.h - reading history files: bash (~/.bash_history, plain or with
 * HISTTIMEFORMAT's "#1700000000" lines), zsh (extended ": 1700000000:0;cmd"
 * lines or plain; metafied bytes and backslash-continued lines joined), and
 * tacit's own tab-separated export (first line "#tacit-shell-history 1",
 * then time (seconds, with milliseconds after a '.' when known), duration_ms, status, session, cwd, repo, branch, cmd per line,
 * an empty field meaning unknown; `tacit shell export` writes it).
 */
#ifndef TC_SHELL_HISTFILE_H
#define TC_SHELL_HISTFILE_H

#include "shell/store.h"
#include "util/buf.h"

typedef enum tc_histfmt { TC_HIST_PLAIN = 0, TC_HIST_BASH, TC_HIST_ZSH, TC_HIST_TACIT } tc_histfmt;

/* The format of a history text, from its first lines. */
tc_histfmt tc_shell_histfile_detect(const char *s, size_t n);
const char *tc_shell_histfmt_name(tc_histfmt f);
/* Append the commands of s[0..n) read as fmt to out, oldest first (entries
 * without a field get it unknown: time 0, status -1, ...). Empty commands
 * are skipped. Never fails on bad input (odd lines are read as commands);
 * TC_OK or TC_ENOMEM (out keeps what was appended). */
int tc_shell_histfile_parse(const char *s, size_t n, tc_histfmt fmt, tc_shell_hist *out);
/* Write h in tacit's tab-separated format (tabs and newlines in fields as
 * \t and \n, a backslash as \\). TC_OK / TC_ENOMEM. */
int tc_shell_histfile_write(const tc_shell_hist *h, tc_buf *out);

#endif
