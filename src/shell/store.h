/* store.h - the shell history store: every command with its context, in
 * SQLite (WAL mode, so several shells record at once and readers never
 * block writers; a busy timeout instead of errors while another shell
 * writes; a command is either committed whole or absent after a crash).
 *
 * Where: $TACIT_SHELL_DB, else $XDG_DATA_HOME/tacit/shell.db, else
 * ~/.local/share/tacit/shell.db (folders made on open).
 *
 * Format (schema version 1, in PRAGMA user_version):
 *   history(id INTEGER PRIMARY KEY,  -- order of recording
 *           time INTEGER,            -- start, seconds since 1970 (0: unknown)
 *           start_ms INTEGER,        -- start, ms since 1970 (0: unknown)
 *           duration_ms INTEGER,     -- -1: unknown
 *           status INTEGER,          -- exit status; -1: unknown
 *           session INTEGER,         -- the recording shell's pid (0: import)
 *           cwd TEXT, repo TEXT,     -- directory; its git work tree (or NULL)
 *           branch TEXT,             -- git branch there (or NULL)
 *           cmd TEXT NOT NULL)
 *   imports(path TEXT PRIMARY KEY, time INTEGER)  -- history files read
 * Bounded: past max entries the oldest rows are deleted (checked every
 * 64 inserts, so the table may exceed the bound by up to 64 rows).
 * Not thread-safe per handle; any number of processes may share the file.
 */
#ifndef TC_SHELL_STORE_H
#define TC_SHELL_STORE_H

#include <stddef.h>
#include <stdint.h>

typedef struct tc_shell_entry {
    char *cmd;       /* owned by the array holding it */
    char *cwd;       /* NULL: unknown */
    char *repo;      /* git work tree root, NULL: none or unknown */
    char *branch;    /* NULL: none or unknown */
    int64_t time;    /* start, unix seconds; 0 unknown */
    int64_t start_ms; /* start, ms since 1970; 0 unknown (orders the
                         commands of one second: shells record in the
                         background, so rows may arrive out of order) */
    int64_t session; /* shell pid; 0 unknown */
    int32_t duration_ms; /* -1 unknown */
    int32_t status;      /* exit status; -1 unknown */
} tc_shell_entry;

/* A growable array of entries, oldest first; owns their strings. */
typedef struct tc_shell_hist {
    tc_shell_entry *v;
    size_t n, cap;
} tc_shell_hist;

/* Append a copy of e (strings duplicated). TC_OK / TC_ENOMEM. */
int tc_shell_hist_push(tc_shell_hist *h, const tc_shell_entry *e);
void tc_shell_hist_free(tc_shell_hist *h);

typedef struct tc_shell_store tc_shell_store;

/* The store's path into buf (TC_OK, TC_ETOOBIG if it does not fit,
 * TC_ENOENT with neither XDG_DATA_HOME nor HOME set). */
int tc_shell_store_path(char *buf, size_t n);
/* Open (creating it and its folders) the store at path (NULL: the default
 * path). max_entries: the bound (0: 100000). TC_OK, TC_EIO (message in
 * err), TC_ECORRUPT for a file of another format. */
int tc_shell_store_open(const char *path, uint64_t max_entries, tc_shell_store **out, char *err, size_t errlen);
void tc_shell_store_close(tc_shell_store *s);
/* Append one entry (one transaction). TC_OK / TC_EIO. */
int tc_shell_store_add(tc_shell_store *s, const tc_shell_entry *e);
/* Append many entries in one transaction. TC_OK / TC_EIO (none added). */
int tc_shell_store_add_all(tc_shell_store *s, const tc_shell_hist *h);
/* The most recent `limit` entries (0: all) recorded after row id `after`
 * (0: from the start), oldest first (by start_ms where two neighbours
 * both have it, else in the order recorded), appended to out; *last_id (may be
 * NULL) gets the id of the newest row read (unchanged when none).
 * TC_OK / TC_EIO / TC_ENOMEM. */
int tc_shell_store_load(tc_shell_store *s, int64_t after, uint64_t limit, tc_shell_hist *out, int64_t *last_id);
/* Number of entries. */
int64_t tc_shell_store_count(tc_shell_store *s);
/* 1 if path was imported before, 0 if not; mark it imported. */
int tc_shell_store_imported(tc_shell_store *s, const char *path);
int tc_shell_store_mark_imported(tc_shell_store *s, const char *path);

#endif
