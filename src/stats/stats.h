/* stats.h - the local store of suggestion outcomes (`tacit stats`).
 *
 * What the language server records about its own suggestions, on this
 * machine only: shown, accepted (fully or in part), dismissed, and whether
 * accepted text was still in the file 30 s, 2 min and 10 min later
 * (retention). An append-only log of events in one SQLite file, by default
 * $XDG_STATE_HOME/tacit/outcomes.db (else ~/.local/state/tacit/outcomes.db).
 * No code is stored: an event holds a time, a kind, the language, the
 * file's path and lengths (docs/privacy.md).
 *
 * Format (version 1: PRAGMA user_version = 1), WAL journal:
 *   CREATE TABLE events(
 *     t       INTEGER NOT NULL,  -- Unix time of the event, ms
 *     kind    INTEGER NOT NULL,  -- TC_STATS_SHOWN .. TC_STATS_RETAINED
 *     sid     INTEGER NOT NULL,  -- the suggestion (random per process + counter)
 *     lang    TEXT NOT NULL,     -- language name (lang.h), "" unknown
 *     file    TEXT NOT NULL,     -- absolute path (or URI for non-file documents)
 *     chars   INTEGER NOT NULL,  -- SHOWN: bytes shown; ACCEPTED: bytes taken
 *     partial INTEGER NOT NULL,  -- ACCEPTED: 1 if less than the whole was taken
 *     horizon INTEGER NOT NULL,  -- RETAINED: seconds after the accept (30, 120, 600)
 *     kept    INTEGER NOT NULL); -- RETAINED: 1 still there, 0 gone, -1 unknown
 *   CREATE INDEX events_t ON events(t);
 *
 * Several processes (one `tacit lsp` per editor) may write at once: each
 * batch is one transaction; a writer that finds the file locked waits up
 * to its busy timeout and then gets TC_EIO with *busy set, so that a
 * caller with a queue keeps the batch and retries later. A process killed
 * mid-write leaves a readable store (SQLite's write-ahead log).
 *
 * Threads: a tc_stats is used by one thread at a time.
 */
#ifndef TC_STATS_H
#define TC_STATS_H

#include <stddef.h>
#include <stdint.h>

#define TC_STATS_FORMAT 1
#define TC_STATS_DEFAULT_KEEP_DAYS 90

typedef enum tc_stats_kind {
    TC_STATS_SHOWN = 1,
    TC_STATS_ACCEPTED = 2,
    TC_STATS_DISMISSED = 3,
    TC_STATS_RETAINED = 4,
} tc_stats_kind;

/* The retention checks, seconds after an accept. */
#define TC_STATS_NHORIZONS 3
extern const int tc_stats_horizons[TC_STATS_NHORIZONS];          /* 30, 120, 600 */
extern const char *const tc_stats_horizon_names[TC_STATS_NHORIZONS]; /* "30s", "2m", "10m" */

/* One event (a plain value; strings borrowed). */
typedef struct tc_stats_event {
    int64_t t_ms;      /* Unix time, ms */
    int kind;          /* tc_stats_kind */
    uint64_t sid;      /* the suggestion */
    const char *lang;  /* NULL: "" */
    const char *file;  /* NULL: "" */
    int64_t chars;     /* bytes (SHOWN, ACCEPTED) */
    int partial;       /* ACCEPTED */
    int horizon_s;     /* RETAINED */
    int kept;          /* RETAINED: 1, 0, -1 unknown */
} tc_stats_event;

typedef struct tc_stats tc_stats;

/* The store's default path into buf: $XDG_STATE_HOME/tacit/outcomes.db, or
 * $HOME/.local/state/tacit/outcomes.db. Returns buf. */
const char *tc_stats_default_path(char *buf, size_t n);

typedef struct tc_stats_opts {
    int create;      /* 1: create the file and its folders (mode 0700) if missing */
    int busy_ms;     /* how long a locked store is waited on (0: 50 ms) */
    int read_only;   /* 1: never write (the CLI's report) */
} tc_stats_opts;

/* Open (and with create, make) the store at path. TC_OK and *out;
 * TC_ENOENT if it does not exist and create is 0; TC_ECORRUPT if the file
 * is not a store of this format (err says what); TC_EIO otherwise (*busy
 * set to 1 when the cause was a lock held by another process, NULL to
 * ignore). On failure *out is NULL and nothing was changed. */
int tc_stats_open(const char *path, const tc_stats_opts *o, tc_stats **out, int *busy, char *err, size_t errlen);
void tc_stats_close(tc_stats *s); /* NULL: nothing */

/* Append n events in one transaction: all or none. TC_OK; TC_EIO (with
 * *busy = 1 when another writer held the lock past the busy timeout: the
 * caller keeps the events and retries later). */
int tc_stats_add(tc_stats *s, const tc_stats_event *ev, size_t n, int *busy);

/* Delete the events older than before_ms. *deleted gets their number
 * (NULL to ignore). TC_OK / TC_EIO. */
int tc_stats_prune(tc_stats *s, int64_t before_ms, int64_t *deleted, int *busy);

/* Counts over a set of events (a language, a file, everything). */
typedef struct tc_stats_row {
    char key[512];        /* the language or file; "" for the total */
    int64_t shown, accepted, partial, dismissed;
    int64_t kept[TC_STATS_NHORIZONS];    /* checks that found the text */
    int64_t checked[TC_STATS_NHORIZONS]; /* checks done (kept or gone) */
    int64_t unknown[TC_STATS_NHORIZONS]; /* checks that could not be done (closed early) */
} tc_stats_row;

enum { TC_STATS_BY_NONE = 0, TC_STATS_BY_LANG, TC_STATS_BY_FILE };

/* Rows of the events at or after since_ms (0: all), grouped by `by`
 * (TC_STATS_BY_*), most shown first, at most max rows. *rows is malloc'd
 * (caller frees), *n their number. TC_OK / TC_ENOMEM / TC_EIO. */
int tc_stats_summary(tc_stats *s, int64_t since_ms, int by, size_t max, tc_stats_row **rows, size_t *n);

/* Accepted suggestions per day, oldest first, for the ndays days ending
 * with the day of now_ms (local time): shown[i] and accepted[i]. TC_OK / TC_EIO. */
int tc_stats_daily(tc_stats *s, int64_t now_ms, int ndays, int64_t *shown, int64_t *accepted);

/* The number of events (tests, doctor). -1 on error. */
int64_t tc_stats_count(tc_stats *s);

/* "ok" when SQLite's integrity check passes; else its first message
 * (into buf). TC_OK if ok, TC_ECORRUPT otherwise. */
int tc_stats_check(tc_stats *s, char *buf, size_t n);

#endif
