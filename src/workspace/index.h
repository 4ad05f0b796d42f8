/* index.h - the workspace index: every source file under a root, as tokens.
 *
 * Lifecycle
 *   tc_index_open()    load the persisted index for a root (or start empty;
 *                      a corrupt or old-version index is dropped with one
 *                      warning line and rebuilt by the next update)
 *   tc_index_update()  walk the root, re-lex files whose size, mtime, ctime
 *                      or inode (then content hash) changed, drop deleted
 *                      ones
 *   tc_index_save()    persist atomically (temp file, fsync, rename)
 *   tc_index_free()
 * Readers (the model, retrieval, the LSP server) get files by number:
 * 0 <= i < tc_index_nfiles(). Numbers are stable until the next update or
 * tc_index_set_buffer() that adds a file; a removed file leaves a tombstone
 * (info->removed) until the next save, so numbers held by readers stay valid.
 *
 * The walk reads every folder under the root, however deep (iterative, on
 * folder fds: no depth or path length limit), never follows a symlink
 * (neither as a file nor as a path component), never blocks: FIFOs,
 * sockets and devices are recorded as TC_SKIP_SPECIAL without being opened,
 * and every file is opened non-blocking, beneath the root (util/fsio.h) and
 * checked to be regular before it is read. Two fresh indexes of the same
 * tree are byte-identical (vocabulary ids follow the first occurrence in
 * path order, whatever the threads did).
 *
 * Thread safety: none; the owner serialises calls.
 */
#ifndef TC_INDEX_H
#define TC_INDEX_H

#include "lang/lang.h"
#include "workspace/tokens.h"
#include "workspace/vocab.h"

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

typedef struct tc_index tc_index;

/* How far tc_index_update has read, for another thread to show: total is
 * set (and done zeroed) once the walk knows which files must be read; done
 * then counts them as the lexing threads finish each (a few files that
 * turn out unchanged, checked before the lexers start, are not counted).
 * Plain atomics, read without a lock; total stays 0 when nothing needs
 * reading. */
typedef struct tc_index_progress {
    _Atomic uint32_t done, total; /* files */
} tc_index_progress;

typedef struct tc_index_opts {
    const char *root;       /* workspace root (required) */
    const char *cache_dir;  /* index folder; NULL: $TACIT_CACHE_DIR, else
                               $XDG_CACHE_HOME/tacit/<name>-<hash of root>,
                               else ~/.cache/tacit/... */
    uint64_t max_file_size; /* bytes; 0: 1 MiB */
    uint32_t max_line_len;  /* a file whose longest line is over this (or
                               whose average is over a quarter of it) counts
                               as minified/generated; 0: 1000 */
    int threads;            /* lexing threads; 0: number of cores */
    int progress;           /* 1: draw a progress bar on stderr if it is a TTY */
    tc_index_progress *counts; /* NULL, or updated by tc_index_update (above);
                               owned by the caller, must outlive the index */
    const char *secret_files; /* secret-file patterns added to the built-in
                               list (privacy.secret_files); such files are
                               never read, indexed or learned, not even as
                               editor buffers */
    int light;              /* 1: leave the saved file table in the file and
                               take records by path when asked: for a process
                               that only calls tc_index_update_paths and
                               tc_index_save (other calls see the files
                               taken so far; tc_index_update takes all) */
} tc_index_opts;

/* Why a file under the root is not indexed. */
typedef enum tc_skip {
    TC_SKIP_NONE = 0,
    TC_SKIP_BINARY,    /* NUL byte in the first 8 KiB */
    TC_SKIP_TOOBIG,    /* over max_file_size */
    TC_SKIP_MINIFIED,  /* very long lines: minified or generated */
    TC_SKIP_UNREADABLE,
    TC_SKIP_GENERATED, /* a tool's output: marked "@generated" / "DO NOT EDIT", or a
                          source-map comment at its end (workspace/generated.h) */
    TC_SKIP_SPECIAL,   /* a FIFO, socket or device: never opened */
    TC_SKIP_SECRET,    /* a secret file (context/privacy.h): never read */
    TC_SKIP_COUNT
} tc_skip;

const char *tc_skip_name(tc_skip s);

typedef struct tc_file_info {
    const char *path;  /* workspace-relative, '/'-separated */
    uint64_t size;     /* bytes on disk (or of the buffer) */
    int64_t mtime_ns;  /* modification time; 0 for an in-memory buffer */
    uint64_t hash;     /* XXH3-64 of the content */
    uint32_t ntok;     /* stream items */
    uint8_t lang;      /* tc_lang */
    uint8_t skip;      /* tc_skip; skipped files have no tokens */
    uint8_t removed;   /* tombstone: deleted since load */
    uint8_t buffer;    /* content came from tc_index_set_buffer */
} tc_file_info;

typedef struct tc_index_stats {
    uint32_t files_seen, files_indexed, files_relexed, files_removed;
    uint32_t skipped[TC_SKIP_COUNT];
    uint32_t dirs_scanned;      /* directories whose entries were read */
    uint64_t bytes_lexed;
    double seconds;
} tc_index_stats;

int tc_index_open(const tc_index_opts *opts, tc_index **out);
void tc_index_free(tc_index *ix);

int tc_index_update(tc_index *ix, tc_index_stats *stats);
/* Like tc_index_update, for callers that know what changed (an editor's
 * save, a file watcher, a git hook): only these workspace-relative paths
 * are looked at (re-read if changed, added if new and not ignored,
 * dropped if gone). Other files are not even stat'ed. */
int tc_index_update_paths(tc_index *ix, const char *const *relpaths, size_t n, tc_index_stats *stats);
int tc_index_save(tc_index *ix);

const char *tc_index_root(const tc_index *ix);
/* The root folder, open (O_PATH) for the index's lifetime: the fd to give
 * tc_fs_read_regular (util/fsio.h) for a file of the index, so that no
 * symlink in its path is followed and nothing outside the root is read. */
int tc_index_root_fd(const tc_index *ix);
/* The largest file the index reads (opts.max_file_size): the limit for any
 * other reader of the workspace's files. */
uint64_t tc_index_max_file_size(const tc_index *ix);
const char *tc_index_cache_dir(const tc_index *ix);
/* The version of the index file format this build reads and writes. */
unsigned tc_index_format_version(void);
tc_vocab *tc_index_vocab(tc_index *ix);
const tc_vocab *tc_index_vocab_c(const tc_index *ix);

size_t tc_index_nfiles(const tc_index *ix);
const tc_file_info *tc_index_file(const tc_index *ix, size_t i);
/* File number of a workspace-relative path, or -1. */
long tc_index_find(const tc_index *ix, const char *relpath);
/* Decode file i's stream items into out (out->n reset to 0). The first
 * read of a file checks its stored tokens (and may mark them damaged, for
 * the next update to re-read), so it writes to the index; after
 * tc_index_prepare_readers, reads write nothing and several threads may
 * read at once (no other call meanwhile). tc_index_prepare_readers checks
 * every file's stored tokens and re-reads a damaged one from disk there
 * and then (listeners are told): the owner's next tc_index_save keeps it. */
int tc_index_file_items(const tc_index *ix, size_t i, tc_items *out);
int tc_index_prepare_readers(tc_index *ix);

/* Overlay relpath's tokens with an editor buffer's, in memory only; disk is
 * not read or written and the overlay is never saved (the disk version stays
 * what tc_index_save persists). Adds the file if the index lacks it. Returns
 * the file number via *fileno (may be NULL). TC_OK / TC_ENOMEM / TC_ETOOBIG. */
int tc_index_set_buffer(tc_index *ix, const char *relpath, const char *text, size_t len,
                        long *fileno);
/* Drop relpath's buffer overlay (the disk version is current again). */
int tc_index_clear_buffer(tc_index *ix, const char *relpath);

/* Tokens per language over indexed files (array of TC_LANG_COUNT), files per
 * language likewise; and the size in bytes of the persisted index (0 if none). */
void tc_index_lang_totals(const tc_index *ix, uint64_t *tokens, uint32_t *files);
uint64_t tc_index_disk_size(const tc_index *ix);

/* Listeners: called after a file's effective tokens change (added,
 * replaced, removed, buffer overlay set or cleared), with the old items (NULL
 * if none) and the new ones (NULL if none), so that the model and retrieval
 * can update themselves. Up to TC_INDEX_MAX_LISTENERS, called in the order
 * added; tc_index_set_listener replaces them all with one (fn NULL: none).
 * tc_index_remove_listener drops the one registered with (fn, ud). */
#define TC_INDEX_MAX_LISTENERS 4
typedef void (*tc_index_listener)(void *ud, size_t fileno, const uint32_t *old_items,
                                  size_t old_n, const uint32_t *new_items, size_t new_n);
void tc_index_set_listener(tc_index *ix, tc_index_listener fn, void *ud);
int tc_index_add_listener(tc_index *ix, tc_index_listener fn, void *ud); /* TC_ETOOBIG if full */
void tc_index_remove_listener(tc_index *ix, tc_index_listener fn, void *ud);

#endif
