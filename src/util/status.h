/* status.h - the one set of status codes every tacit function returns.
 *
 * Functions that can fail return int: TC_OK (0) or a negative TC_E* code.
 * Code that reads untrusted input (source files, index files, LSP messages,
 * HTTP replies) returns one of these; it never exits or aborts. */
#ifndef TC_STATUS_H
#define TC_STATUS_H

enum {
    TC_OK = 0,
    TC_ENOMEM = -1,   /* allocation failed */
    TC_EINVAL = -2,   /* malformed input or bad argument */
    TC_EIO = -3,      /* read/write/stat failed (errno says more) */
    TC_ECORRUPT = -4, /* a persisted file is damaged or of another version */
    TC_ENOENT = -5,   /* no such file / entry */
    TC_ETOOBIG = -6,  /* input over a configured limit */
    TC_ECANCEL = -7,  /* cancelled by the caller */
};

/* tc_strerror returns a static, human-readable name for a status code. */
const char *tc_strerror(int rc);

#endif
