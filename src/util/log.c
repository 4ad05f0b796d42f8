/* log.c - see log.h. */
#include "util/log.h"
#include "util/status.h"

#include <stdarg.h>
#include <stdio.h>

static int log_quiet;
static tc_log_sink log_sink;
static void *log_sink_ud;

const char *tc_strerror(int rc)
{
    switch (rc) {
    case TC_OK: return "ok";
    case TC_ENOMEM: return "out of memory";
    case TC_EINVAL: return "invalid input";
    case TC_EIO: return "I/O error";
    case TC_ECORRUPT: return "corrupt or incompatible data";
    case TC_ENOENT: return "not found";
    case TC_ETOOBIG: return "too big";
    case TC_ECANCEL: return "cancelled";
    default: return "unknown error";
    }
}

void tc_log_set_quiet(int level) { log_quiet = level; }

void tc_log_set_sink(tc_log_sink sink, void *ud)
{
    log_sink = sink;
    log_sink_ud = ud;
}

static void log_emit(int level, const char *fmt, va_list ap)
{
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    if (log_sink) {
        log_sink(level, msg, log_sink_ud);
        return;
    }
    fprintf(stderr, "tacit: %s%s\n", level == TC_LOG_WARN ? "warning: " : "", msg);
}

void tc_warn(const char *fmt, ...)
{
    va_list ap;
    if (log_quiet >= 2 && !log_sink) return;
    va_start(ap, fmt);
    log_emit(TC_LOG_WARN, fmt, ap);
    va_end(ap);
}

void tc_info(const char *fmt, ...)
{
    va_list ap;
    if (log_quiet >= 1 && !log_sink) return;
    va_start(ap, fmt);
    log_emit(TC_LOG_INFO, fmt, ap);
    va_end(ap);
}
