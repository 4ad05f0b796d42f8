/* index_int.h - the index's internals, shared by index.c (state, walk,
 * update) and index_io.c (the persisted format). Nothing else includes it. */
#ifndef TC_INDEX_INT_H
#define TC_INDEX_INT_H

#include "context/privacy.h"
#include "workspace/index.h"

#include <stddef.h>
#include <stdint.h>

typedef struct ix_file {
    tc_file_info info;   /* info.path == path */
    char *path;          /* owned, unless path_in_map */
    uint8_t path_in_map; /* path points into a mapped index file (not freed) */
    const uint8_t *enc;  /* disk version's items, LEB128 varints */
    uint64_t enc_len;
    uint8_t *enc_owned;  /* == enc when malloc'd; NULL when enc is in the map */
    uint64_t enc_hash;   /* XXH3-64 of enc as persisted (checked on first read) */
    uint8_t enc_checked; /* enc_hash verified, or enc is our own memory */
    uint8_t *buf_enc;    /* editor buffer overlay (owned) or NULL */
    uint64_t buf_len;
    uint32_t buf_ntok;
    uint32_t disk_ntok;  /* ntok of the disk version */
    int64_t ctime_ns;    /* status change time when read (0: unknown) */
    uint64_t ino;        /* inode number when read (0: unknown) */
    uint8_t dirty;       /* differs from the saved base (goes in the delta) */
    uint8_t seen;        /* found by the current walk */
    uint8_t on_disk;     /* has a disk version (not only an editor buffer) */
    uint8_t racy;        /* racily clean: stamped within a second of being
                            read, so a same-size rewrite in the same clock
                            tick keeps every stamp; the next update reads
                            and hashes it whatever its stamp (in memory;
                            a loaded record is racy when stamped within a
                            second of its index file's save) */
} ix_file;

typedef struct ix_dir {
    char *path;          /* owned; "" for the root */
    int64_t mtime_ns;
} ix_dir;

struct tc_index {
    char *root;          /* absolute, no trailing slash */
    int rootfd;          /* root, open O_PATH (-1 if it could not be) */
    char *cache_dir;
    tc_index_opts opts;
    tc_privacy *priv;    /* secret files: never read (opts.secret_files added) */
    tc_vocab *vocab;     /* NULL until needed when loaded lazily */
    ix_file *files;
    size_t nfiles, capfiles;
    uint32_t *fslots;    /* path hash table: fileno+1, 0 empty */
    size_t fmask;
    ix_dir *dirs;
    size_t ndirs;
    void *map;           /* mmapped base index file */
    size_t map_len;
    void *dmap;          /* mmapped delta file (or NULL) */
    size_t dmap_len;
    /* Persisted vocabulary sections not yet materialised (base, delta). */
    const uint8_t *vsec[2];
    uint64_t vsec_len[2];
    uint32_t vsec_first[2], vsec_n[2];
    uint64_t vsec_hash[2];
    tc_vocab_base vbase;       /* the base's vocabulary table (in the map) */
    /* Light mode (opts.light): the base's records stay in the map until
     * asked for by path (ix_light_find) or all taken (ix_light_materialize). */
    int light;
    const uint8_t *lrec;       /* the base's first record, or NULL */
    uint64_t lrec_n;
    const uint8_t *lblob;
    uint64_t lblob_total;
    uint64_t disk_size;
    /* What the base file on disk holds (for deltas). */
    uint64_t base_id;        /* checksum of the base file; 0 if none */
    uint32_t base_nvocab;
    uint64_t base_enc_bytes;
    char **removed;          /* base paths removed since the base */
    size_t nremoved, capremoved;
    int64_t exclude_mtime_ns; /* .git/info/exclude's mtime, 0 if none */
    int any_change;          /* something to save */
    int64_t racy_ns;         /* wall clock (ns) less two seconds when the
                                current update began: a file read then and
                                stamped at or after it is racy */
    int64_t load_racy_ns[2]; /* the same for records of the base and the
                                delta file: their mtimes less two seconds */
    tc_index_listener listener[TC_INDEX_MAX_LISTENERS];
    void *listener_ud[TC_INDEX_MAX_LISTENERS];
    int nlisteners;
};

/* index.c */
int ix_file_add(tc_index *ix, const char *path, long *fileno);
int ix_file_add_owned(tc_index *ix, char *path, long *fileno); /* takes path */
int ix_file_add_mapped(tc_index *ix, const char *path, long *fileno); /* path in a mapped image */
int ix_reserve(tc_index *ix, size_t nfiles); /* room for nfiles records */
long ix_find(const tc_index *ix, const char *path);
int ix_vocab_ensure(tc_index *ix);
/* The racy bound (see racy_ns) for stamps taken at time at (NULL: now):
 * two seconds before it, which covers file systems that keep whole
 * seconds and, on top of that, the kernel's coarse file clock. */
struct timespec;
int64_t ix_racy_bound_ns(const struct timespec *at);

/* index_io.c */
long ix_light_find(tc_index *ix, const char *path); /* -1: not in the base */
int ix_light_materialize(tc_index *ix);
int ix_load(tc_index *ix);   /* TC_ENOENT when there is no saved index */
int ix_save(tc_index *ix);
void ix_reset(tc_index *ix); /* forget everything loaded (corrupt index) */
/* Parse an index file image without the checksum (fuzzing the loader). */
int ix_load_image(tc_index *ix, const uint8_t *p, size_t n, int verify);

#endif
