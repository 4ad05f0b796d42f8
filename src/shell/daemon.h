/* daemon.h - a small server that keeps the next-command model in memory,
 * so a keystroke costs a socket round trip instead of loading the history.
 *
 * Socket: $TACIT_SHELL_SOCKET, else the store's path + ".sock" when
 * TACIT_SHELL_DB is set, else $XDG_STATE_HOME/tacit/shell.sock, else
 * ~/.local/state/tacit/shell.sock (a Unix stream socket, mode 0600).
 * Protocol (one question per connection): the client writes one line,
 *   "1" US k US prev_status US check_paths US cwd US prev US prefix LF
 * (US: the byte 0x1f; prev and prefix without LF), and reads the answers,
 * one command a line, then an empty line. Or it records a command:
 *   "R" US status US duration_ms US start US session US cwd US ignore US cmd LF
 * (start: unix seconds with a fraction; ignore: TACIT_SHELL_IGNORE's
 * patterns; LF inside cmd sent as 0x1e), stored as `tacit shell record`
 * does (filter included) and acknowledged with an empty line; the client
 * may close without reading it (the zsh integration does: no wait at the
 * prompt). Anything else: the connection is closed without an answer.
 * The server reads the store's new rows before each answer (commands
 * recorded by every shell count at once), answers one question at a time,
 * and exits after idle_s seconds without a question, or when its socket
 * file is removed or replaced (another server took over).
 */
#ifndef TC_SHELL_DAEMON_H
#define TC_SHELL_DAEMON_H

#include "shell/model.h"
#include "util/buf.h"

#include <stddef.h>
#include <stdint.h>

typedef struct tc_shell_daemon_opts {
    const char *socket; /* NULL: tc_shell_daemon_path */
    int idle_s;         /* 0: 3600 */
    uint64_t limit;     /* history rows learnt at start; 0: 20000 */
    uint64_t max_entries; /* the store's bound (0: its default) */
} tc_shell_daemon_opts;

/* The socket's path into buf. TC_OK, TC_ETOOBIG (over a socket's limit),
 * TC_ENOENT (no HOME). */
int tc_shell_daemon_path(char *buf, size_t n);
/* Serve until idle or replaced. TC_OK; TC_EIO when the socket cannot be
 * made (message in err); TC_ECANCEL when another server already answers
 * on it. */
int tc_shell_daemon_run(const tc_shell_daemon_opts *o, char *err, size_t errlen);
/* Ask the server at socket (NULL: the default) for k answers to c; the
 * answer lines go to out (appended). TC_OK; TC_ENOENT when no server
 * answers within timeout_ms (the caller then answers itself). */
int tc_shell_daemon_ask(const char *socket, const tc_shell_ctx *c, size_t k, int timeout_ms, tc_buf *out);

#endif
