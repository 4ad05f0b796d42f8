/* log.h - one-line diagnostics to stderr.
 *
 * tc_warn/tc_info print "tacit: <message>" on one line. tc_log_set_quiet(1)
 * silences tc_info (tests and non-interactive runs); warnings always print
 * unless tc_log_set_quiet(2). A sink can be installed (the LSP server routes
 * messages to window/logMessage instead of stderr). */
#ifndef TC_LOG_H
#define TC_LOG_H

typedef void (*tc_log_sink)(int level, const char *msg, void *ud);
enum { TC_LOG_WARN = 1, TC_LOG_INFO = 2 };

void tc_log_set_quiet(int level);
void tc_log_set_sink(tc_log_sink sink, void *ud);
void tc_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void tc_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
