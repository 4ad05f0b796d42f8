/* index_io.c - the persisted workspace index.
 *
 * Two files in the cache folder: "index.tcx" (a base: the whole index) and
 * optionally "delta.tcx" (what changed since that base, so that a small
 * re-index writes kilobytes, not the whole index). Both have one format,
 * version 9; all integers little-endian, "varint" is unsigned LEB128:
 *
 *   magic      8 bytes "TCINDEX\0"
 *   version    u32 = 9 (8 indexed a build's source-mapped output, 7 lacked ctime, inode or
 *              the masking of secret values; any other version is dropped with one warning
 *              and rebuilt)
 *   kind       u32: 0 base, 1 delta
 *   base_id    u64: for a delta, the checksum of the base it applies to; 0
 *   root       varint n, n bytes (the workspace root it was built for)
 *   exclude    u64: mtime (ns) of .git/info/exclude, 0 if absent
 *   vocab      in a base, a table used in place (mapped, never copied):
 *                u32 n, u32 mask, u64 strs_len, zero bytes up to a 4-byte
 *                boundary of the file, then the table: u8 kinds[n], zero
 *                bytes to a 4-byte boundary, u32 offs[n + 1] (id i's text
 *                is strs[offs[i] .. offs[i+1])), u32 slots[mask + 1] (open
 *                addressing by tc_vocab_hash & mask, linear probing, id + 1,
 *                0 empty), strs; then u64 vocab_hash: XXH3-64 of the table
 *                (from kinds to the end of strs), checked at load when the
 *                table is under 16 MiB (larger ones are bounds-checked on
 *                every access instead of read whole at every start).
 *              in a delta, the entries after the base's: varint first_id
 *                (= the base's n), varint count, u64 n (bytes of the
 *                entries), then per entry: u8 kind, varint n, n bytes; then
 *                u64 vocab_hash: XXH3-64 of the entries' bytes
 *   dirs       varint count, per dir: varint n, n bytes (path), u64 mtime_ns
 *              (the full directory table, in both kinds)
 *   removed    varint count, per path: varint n, n bytes (delta: base files
 *              deleted since; base: 0)
 *   files      varint count, per file: varint n, n bytes (path), a zero byte
 *              (so the loader uses the mapped path as it is), u64 size,
 *              u64 mtime_ns, u64 ctime_ns, u64 inode (what the file was
 *              when read: a change that keeps size and mtime still moves
 *              ctime), u64 hash (XXH3-64 of content), u8 lang, u8 skip,
 *              varint ntok, varint enc_len, u64 enc_hash (XXH3-64 of the
 *              file's bytes in the blob)
 *   blob       u64 total, then every file's items in file order: ntok
 *              varints, each (vocab id << 1 | space before)
 *   checksum   u64: XXH3-64 of every byte from the magic up to and including
 *              the blob's total, except the vocabulary's table or entries
 *              (the metadata). The entries are covered by vocab_hash, checked
 *              when the vocabulary is materialised, the blob by the per-file
 *              enc_hash, checked when a file's tokens are read: loading
 *              touches neither.
 *   end        8 bytes "TCEND\0\0\0"
 *
 * Writes go to "<name>.tmp.<pid>", are fsync'ed, then renamed over the old
 * file (and the folder fsync'ed), so a crash or kill -9 at any point leaves
 * the previous index whole. A file that fails any check (magic, version,
 * root, checksum, bounds) is ignored with one warning and the index is
 * rebuilt; a delta whose base_id does not match the base is stale and
 * ignored silently.
 */
#include "workspace/index_int.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/status.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#define IX_MAGIC "TCINDEX"
#define IX_END "TCEND"
#define IX_VERSION 9 /* 8 indexed source-mapped build output; 7 lacked ctime, inode, masked secrets */
#define IX_TRAILER 16

/* ---- reading ------------------------------------------------------------ */

static int rd_str(tc_reader *r, const char **s, size_t *n)
{
    uint64_t len;
    const uint8_t *p;
    if (tc_rd_varint(r, &len) || len > (uint64_t)(r->end - r->p) || tc_rd_bytes(r, (size_t)len, &p)) return TC_ECORRUPT;
    *s = (const char *)p;
    *n = (size_t)len;
    return TC_OK;
}

void ix_reset(tc_index *ix)
{
    size_t i;
    for (i = 0; i < ix->nfiles; i++) {
        if (!ix->files[i].path_in_map) free(ix->files[i].path);
        free(ix->files[i].enc_owned);
        free(ix->files[i].buf_enc);
    }
    ix->nfiles = 0;
    free(ix->fslots);
    ix->fslots = NULL;
    ix->fmask = 0;
    for (i = 0; i < ix->ndirs; i++) free(ix->dirs[i].path);
    free(ix->dirs);
    ix->dirs = NULL;
    ix->ndirs = 0;
    for (i = 0; i < ix->nremoved; i++) free(ix->removed[i]);
    ix->nremoved = 0;
    tc_vocab_free(ix->vocab);
    ix->vocab = NULL;
    memset(ix->vsec, 0, sizeof ix->vsec);
    memset(&ix->vbase, 0, sizeof ix->vbase);
    ix->lrec = NULL;
    ix->base_id = 0;
    ix->base_nvocab = 0;
    ix->base_enc_bytes = 0;
    ix->exclude_mtime_ns = 0;
    ix->disk_size = 0;
}

/* Check the frame (magic, version, trailer, checksum); on success r covers
 * the body after the fixed header. */
static int check_frame(const uint8_t *p, size_t n, int verify, uint32_t *kind, uint64_t *base_id,
                       uint64_t *sum, tc_reader *r)
{
    tc_reader h;
    uint32_t ver;
    if (n < 24 + IX_TRAILER || memcmp(p, IX_MAGIC, 8) != 0) return TC_ECORRUPT;
    if (memcmp(p + n - 8, IX_END "\0\0\0", 8) != 0) return TC_ECORRUPT;
    h.p = p + 8;
    h.end = p + n - IX_TRAILER;
    h.err = 0;
    if (tc_rd_u32(&h, &ver) || ver != IX_VERSION) return TC_ECORRUPT;
    if (tc_rd_u32(&h, kind) || *kind > 1 || tc_rd_u64(&h, base_id)) return TC_ECORRUPT;
    {
        tc_reader t = {p + n - IX_TRAILER, p + n, 0};
        tc_rd_u64(&t, sum);
    }
    (void)verify; /* the metadata checksum is checked by parse_image */
    *r = h;
    return TC_OK;
}

/* Read the file record at r (already validated by parse_image's scan) and
 * make it ix's record for its path: find: -2 appends without looking the
 * path up (a base into an empty index), -1 looks it up first. *off is the
 * record's blob offset, advanced past it. The record's number goes to
 * *fileno. */
static int take_record(tc_index *ix, tc_reader *r, int which, const uint8_t *blob, uint64_t blob_total,
                       uint64_t *off, long find, long *fileno)
{
    uint64_t size, mt, ct, ino, hash, ntok, enc_len, enc_hash;
    uint8_t lang, skip;
    const char *s;
    size_t sn;
    long f;
    ix_file *x;
    int rc;
    rd_str(r, &s, &sn);
    tc_rd_u8(r, &lang); /* the path's terminating zero, checked by the scan */
    tc_rd_u64(r, &size);
    tc_rd_u64(r, &mt);
    tc_rd_u64(r, &ct);
    tc_rd_u64(r, &ino);
    tc_rd_u64(r, &hash);
    tc_rd_u8(r, &lang);
    tc_rd_u8(r, &skip);
    tc_rd_varint(r, &ntok);
    tc_rd_varint(r, &enc_len);
    tc_rd_u64(r, &enc_hash);
    if (r->err || lang >= TC_LANG_COUNT || skip >= TC_SKIP_COUNT || ntok > UINT32_MAX ||
        enc_len > blob_total - *off || enc_len < ntok || (skip && ntok))
        return TC_ECORRUPT;
    if (memchr(s, 0, sn)) return TC_ECORRUPT;
    /* zero-terminated in the mapped image, which outlives the records */
    f = find == -2 ? -1 : ix_find(ix, s);
    if (f < 0 && (rc = ix_file_add_mapped(ix, s, &f))) return rc;
    x = &ix->files[f];
    free(x->enc_owned);
    x->enc_owned = NULL;
    x->info.size = size;
    x->info.mtime_ns = (int64_t)mt;
    x->ctime_ns = (int64_t)ct;
    x->ino = ino;
    x->racy = skip != TC_SKIP_SPECIAL &&
              ((int64_t)mt >= ix->load_racy_ns[which] || (int64_t)ct >= ix->load_racy_ns[which]);
    x->info.hash = hash;
    x->info.lang = lang;
    x->info.skip = skip;
    x->info.removed = 0;
    x->info.ntok = x->disk_ntok = (uint32_t)ntok;
    x->enc = skip ? NULL : blob + *off;
    x->enc_len = enc_len;
    x->enc_hash = enc_hash;
    x->enc_checked = 0;
    x->on_disk = 1;
    x->dirty = which == 1;
    *off += enc_len;
    *fileno = f;
    return TC_OK;
}

/* Skip one record at r, returning its path and blob length. */
static int skip_record(tc_reader *r, const char **s, size_t *sn, uint64_t *enc_len)
{
    uint64_t u;
    uint8_t b;
    if (rd_str(r, s, sn) || tc_rd_u8(r, &b) || tc_rd_u64(r, &u) || tc_rd_u64(r, &u) || tc_rd_u64(r, &u) ||
        tc_rd_u64(r, &u) || tc_rd_u64(r, &u) ||
        tc_rd_u8(r, &b) || tc_rd_u8(r, &b) || tc_rd_varint(r, &u) || tc_rd_varint(r, enc_len) || tc_rd_u64(r, &u))
        return TC_ECORRUPT;
    return TC_OK;
}

long ix_light_find(tc_index *ix, const char *path)
{
    tc_reader r;
    uint64_t i, off = 0;
    size_t n = strlen(path), k;
    if (!ix->lrec) return -1;
    for (k = 0; k < ix->nremoved; k++)
        if (strcmp(ix->removed[k], path) == 0) return -1; /* gone since the base */
    r.p = ix->lrec;
    r.end = ix->lblob;
    r.err = 0;
    for (i = 0; i < ix->lrec_n; i++) {
        const uint8_t *at = r.p;
        const char *s;
        size_t sn;
        uint64_t enc_len;
        if (skip_record(&r, &s, &sn, &enc_len)) return -1;
        if (sn == n && memcmp(s, path, n) == 0) {
            long f;
            r.p = at;
            if (take_record(ix, &r, 0, ix->lblob, ix->lblob_total, &off, -1, &f)) return -1;
            return f;
        }
        off += enc_len;
    }
    return -1;
}

int ix_light_materialize(tc_index *ix)
{
    tc_reader r;
    uint64_t i, off = 0;
    int rc;
    if (!ix->lrec) return TC_OK;
    r.p = ix->lrec;
    r.end = ix->lblob;
    r.err = 0;
    if ((rc = ix_reserve(ix, ix->nfiles + (size_t)ix->lrec_n))) return rc;
    for (i = 0; i < ix->lrec_n; i++) {
        const uint8_t *at = r.p;
        const char *s;
        size_t sn, k;
        uint64_t enc_len;
        long f;
        int gone = 0;
        if (skip_record(&r, &s, &sn, &enc_len)) return TC_ECORRUPT;
        /* a record already taken (asked for, or replaced by the delta) or
         * removed since the base keeps its current state */
        for (k = 0; k < ix->nremoved && !gone; k++) gone = strlen(ix->removed[k]) == sn && !memcmp(ix->removed[k], s, sn);
        if (!gone && ix_find(ix, s) < 0) {
            tc_reader one = {at, ix->lblob, 0};
            uint64_t o = off;
            if ((rc = take_record(ix, &one, 0, ix->lblob, ix->lblob_total, &o, -2, &f))) return rc;
        }
        off += enc_len;
    }
    ix->lrec = NULL;
    ix->light = 0;
    return TC_OK;
}

/* Parse one image (base or delta) into ix. which: 0 base, 1 delta. */
static int parse_image(tc_index *ix, const uint8_t *p, size_t n, int verify, int which)
{
    tc_reader r;
    uint32_t kind;
    uint64_t base_id, sum, first, count, i, blob_total, exclude;
    const char *s;
    size_t sn;
    const uint8_t *blob, *vstart;
    uint64_t blob_off = 0;
    int rc;

    if ((rc = check_frame(p, n, verify, &kind, &base_id, &sum, &r))) return rc;
    if ((int)kind != which) return TC_ECORRUPT;
    if (which == 1 && base_id != ix->base_id) return TC_ENOENT; /* stale delta */
    if (rd_str(&r, &s, &sn)) return TC_ECORRUPT;
    if (verify && (sn != strlen(ix->root) || memcmp(s, ix->root, sn) != 0)) return TC_ECORRUPT;
    if (tc_rd_u64(&r, &exclude)) return TC_ECORRUPT;
    if (which == 0) {
        /* the base's vocabulary table, used in place */
        uint32_t vn, vmask;
        uint64_t strs_len, need;
        const uint8_t *tab;
        size_t pad;
        if (tc_rd_u32(&r, &vn) || tc_rd_u32(&r, &vmask) || tc_rd_u64(&r, &strs_len)) return TC_ECORRUPT;
        if (vn < TC_VOCAB_FIRST || (vmask & (vmask + 1)) || (uint64_t)vmask + 1 < vn || strs_len > UINT32_MAX)
            return TC_ECORRUPT;
        pad = (size_t)((4 - ((uintptr_t)(r.p - p) & 3)) & 3);
        need = pad + (((uint64_t)vn + 3) & ~(uint64_t)3) + 4 * ((uint64_t)vn + 1) + 4 * ((uint64_t)vmask + 1) + strs_len;
        if (need > (uint64_t)(r.end - r.p) || tc_rd_bytes(&r, (size_t)need, &tab)) return TC_ECORRUPT;
        vstart = tab;
        tab += pad;
        ix->vbase.n = vn;
        ix->vbase.mask = vmask;
        ix->vbase.kinds = tab;
        tab += (vn + 3) & ~3u;
        ix->vbase.offs = (const uint32_t *)(const void *)tab;
        tab += 4 * ((size_t)vn + 1);
        ix->vbase.slots = (const uint32_t *)(const void *)tab;
        tab += 4 * ((size_t)vmask + 1);
        ix->vbase.strs = (const char *)tab;
        ix->vbase.strs_len = strs_len;
        ix->vsec_len[0] = need;
        if (tc_rd_u64(&r, &ix->vsec_hash[0])) return TC_ECORRUPT;
        if (verify && need < (16u << 20) && XXH3_64bits(vstart, (size_t)need) != ix->vsec_hash[0])
            return TC_ECORRUPT;
        ix->vsec[0] = NULL; /* nothing to intern: the table is used as it is */
        ix->vsec_first[0] = 0;
        ix->vsec_n[0] = vn;
    } else {
    /* a delta's new entries: interned by ix_vocab_ensure */
    if (tc_rd_varint(&r, &first) || tc_rd_varint(&r, &count) || count > UINT32_MAX) return TC_ECORRUPT;
    if (first != ix->base_nvocab) return TC_ECORRUPT;
    {
        /* entries are checked when the vocabulary is materialised */
        uint64_t vbytes;
        if (tc_rd_u64(&r, &vbytes) || vbytes < count * 2 || tc_rd_bytes(&r, (size_t)vbytes, &vstart) ||
            tc_rd_u64(&r, &ix->vsec_hash[which]))
            return TC_ECORRUPT;
        ix->vsec_len[which] = vbytes;
    }
    ix->vsec[which] = vstart;
    ix->vsec_first[which] = (uint32_t)first;
    ix->vsec_n[which] = (uint32_t)count;
    }
    /* dirs */
    if (tc_rd_varint(&r, &count) || count > (uint64_t)(r.end - r.p)) return TC_ECORRUPT;
    for (i = 0; i < ix->ndirs; i++) free(ix->dirs[i].path);
    free(ix->dirs);
    ix->ndirs = 0;
    ix->dirs = calloc(count ? count : 1, sizeof *ix->dirs);
    if (!ix->dirs) return TC_ENOMEM;
    for (i = 0; i < count; i++) {
        uint64_t mt;
        if (rd_str(&r, &s, &sn) || tc_rd_u64(&r, &mt)) return TC_ECORRUPT;
        if (!(ix->dirs[i].path = tc_memdup_str(s, sn))) return TC_ENOMEM;
        ix->dirs[i].mtime_ns = (int64_t)mt;
        ix->ndirs++;
    }
    ix->exclude_mtime_ns = (int64_t)exclude;
    /* removed */
    if (tc_rd_varint(&r, &count) || count > (uint64_t)(r.end - r.p)) return TC_ECORRUPT;
    for (i = 0; i < count; i++) {
        long f;
        char *path;
        if (rd_str(&r, &s, &sn)) return TC_ECORRUPT;
        if (!(path = tc_memdup_str(s, sn))) return TC_ENOMEM;
        f = ix_find(ix, path);
        if (f >= 0) ix->files[f].info.removed = 1;
        if (ix->nremoved == ix->capremoved) {
            size_t cap = ix->capremoved ? ix->capremoved * 2 : 64;
            char **nr = realloc(ix->removed, cap * sizeof *nr);
            if (!nr) {
                free(path);
                return TC_ENOMEM;
            }
            ix->removed = nr;
            ix->capremoved = cap;
        }
        ix->removed[ix->nremoved++] = path;
    }
    /* files: records first, then the blob they point into */
    if (tc_rd_varint(&r, &count) || count > (uint64_t)(r.end - r.p)) return TC_ECORRUPT;
    {
        tc_reader scan = r;
        for (i = 0; i < count; i++) {
            uint64_t u;
            uint8_t b;
            if (rd_str(&scan, &s, &sn) || tc_rd_u8(&scan, &b) || b != 0 || tc_rd_u64(&scan, &u) ||
                tc_rd_u64(&scan, &u) || tc_rd_u64(&scan, &u) || tc_rd_u64(&scan, &u) ||
                tc_rd_u64(&scan, &u) || tc_rd_u8(&scan, &b) || tc_rd_u8(&scan, &b) ||
                tc_rd_varint(&scan, &u) || tc_rd_varint(&scan, &u) || tc_rd_u64(&scan, &u))
                return TC_ECORRUPT;
        }
        if (tc_rd_u64(&scan, &blob_total)) return TC_ECORRUPT;
        if (verify) {
            /* the metadata, without the vocabulary's entries */
            const uint8_t *ve = vstart + ix->vsec_len[which];
            XXH3_state_t *st = XXH3_createState();
            uint64_t h;
            if (!st) return TC_ENOMEM;
            XXH3_64bits_reset(st);
            XXH3_64bits_update(st, p, (size_t)(vstart - p));
            XXH3_64bits_update(st, ve, (size_t)(scan.p - ve));
            h = XXH3_64bits_digest(st);
            XXH3_freeState(st);
            if (h != sum) return TC_ECORRUPT;
        }
        if (tc_rd_bytes(&scan, (size_t)blob_total, &blob) || scan.p != scan.end) return TC_ECORRUPT;
    }
    if (which == 0 && ix->light) {
        /* light: records stay in the image; ix_light_find takes those asked for */
        ix->lrec = r.p;
        ix->lrec_n = count;
        ix->lblob = blob;
        ix->lblob_total = blob_total;
        blob_off = blob_total;
    } else {
        if ((rc = ix_reserve(ix, ix->nfiles + (size_t)count))) return rc;
        for (i = 0; i < count; i++) {
            long f;
            if ((rc = take_record(ix, &r, which, blob, blob_total, &blob_off, which == 0 ? -2 : -1, &f))) return rc;
        }
    }
    if (blob_off != blob_total) return TC_ECORRUPT;
    if (which == 0) {
        ix->base_id = sum;
        ix->base_nvocab = ix->vbase.n;
        ix->base_enc_bytes = blob_total;
    }
    return TC_OK;
}

/* Drop tombstones left by a delta's removed list (numbers are assigned
 * afresh at load, so nothing refers to them yet). */
static int compact_removed(tc_index *ix)
{
    size_t i, j = 0;
    for (i = 0; i < ix->nfiles; i++) {
        if (ix->files[i].info.removed) {
            if (!ix->files[i].path_in_map) free(ix->files[i].path);
            free(ix->files[i].enc_owned);
            continue;
        }
        ix->files[j] = ix->files[i];
        ix->files[j].info.path = ix->files[j].path;
        j++;
    }
    if (j == ix->nfiles) return TC_OK;
    ix->nfiles = j;
    {
        /* rebuild the path table */
        size_t n = ix->nfiles;
        long dummy;
        ix_file *files = ix->files;
        ix->files = NULL;
        ix->capfiles = 0;
        ix->nfiles = 0;
        free(ix->fslots);
        ix->fslots = NULL;
        for (i = 0; i < n; i++) {
            if (ix_file_add(ix, files[i].path, &dummy)) {
                free(files);
                return TC_ENOMEM;
            }
            free(ix->files[dummy].path);
            ix->files[dummy] = files[i];
        }
        free(files);
    }
    return TC_OK;
}

int ix_load_image(tc_index *ix, const uint8_t *p, size_t n, int verify)
{
    int rc;
    if (n >= 16 && p[12] == 1) {
        /* a delta: over an empty base whose id it names (for fuzzing) */
        tc_reader h = {p + 16, p + n, 0};
        uint64_t base_id = 0;
        tc_rd_u64(&h, &base_id);
        ix->base_id = base_id;
        ix->base_nvocab = TC_VOCAB_FIRST;
        if (!ix->vocab && !(ix->vocab = tc_vocab_new())) return TC_ENOMEM;
        rc = parse_image(ix, p, n, verify, 1);
        if (!rc) rc = compact_removed(ix);
        if (!rc) rc = ix_vocab_ensure(ix);
        return rc;
    }
    rc = parse_image(ix, p, n, verify, 0);
    if (!rc) rc = ix_vocab_ensure(ix);
    return rc;
}

/* Map path read-only; *len its size, *racy_ns the racy bound of records
 * saved in it (see index_int.h). */
static void *map_file(const char *path, size_t *len, int64_t *racy_ns, int *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    void *m;
    *err = 0;
    if (fd < 0) {
        *err = errno;
        return NULL;
    }
    if (fstat(fd, &st) != 0 || st.st_size == 0) {
        *err = EINVAL;
        close(fd);
        return NULL;
    }
    m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (m == MAP_FAILED) {
        *err = errno;
        return NULL;
    }
    *len = (size_t)st.st_size;
    *racy_ns = ix_racy_bound_ns(&st.st_mtim);
    return m;
}

int ix_load(tc_index *ix)
{
    char path[PATH_MAX];
    int err, rc;
    snprintf(path, sizeof path, "%s/index.tcx", ix->cache_dir);
    ix->map = map_file(path, &ix->map_len, &ix->load_racy_ns[0], &err);
    if (!ix->map) {
        if (err == ENOENT) return TC_ENOENT;
        tc_warn("cannot read index %s (%s); rebuilding it", path, strerror(err));
        return TC_EIO;
    }
    ix->disk_size = ix->map_len;
    rc = parse_image(ix, ix->map, ix->map_len, 1, 0);
    if (rc) {
        if (rc != TC_ENOMEM)
            tc_warn("index %s is corrupt or from another version of tacit; rebuilding it", path);
        goto fail;
    }
    snprintf(path, sizeof path, "%s/delta.tcx", ix->cache_dir);
    ix->dmap = map_file(path, &ix->dmap_len, &ix->load_racy_ns[1], &err);
    if (ix->dmap) {
        ix->disk_size += ix->dmap_len;
        rc = parse_image(ix, ix->dmap, ix->dmap_len, 1, 1);
        if (rc == TC_ENOENT) {
            rc = TC_OK; /* stale: belongs to an older base */
            ix->vsec[1] = NULL;
        } else if (rc) {
            if (rc != TC_ENOMEM)
                tc_warn("index delta %s is corrupt; rebuilding the index", path);
            goto fail;
        }
        rc = compact_removed(ix);
        if (rc) goto fail;
    }
    return TC_OK;
fail:
    ix_reset(ix);
    if (ix->map) munmap(ix->map, ix->map_len);
    if (ix->dmap) munmap(ix->dmap, ix->dmap_len);
    ix->map = ix->dmap = NULL;
    return rc;
}

int ix_vocab_ensure(tc_index *ix)
{
    int w;
    if (ix->vocab && !ix->vsec[1]) return TC_OK;
    if (!ix->vocab) {
        /* On the base's table, in place; a fresh one holds the reserved ids. */
        ix->vocab = ix->vbase.n ? tc_vocab_new_on(&ix->vbase) : tc_vocab_new();
        if (!ix->vocab) return TC_ENOMEM;
    }
    if (ix->vsec[1] && tc_vocab_reserve(ix->vocab, ix->vsec_n[1] + 1024)) return TC_ENOMEM;
    for (w = 0; w < 2; w++) {
        tc_reader r;
        uint32_t i;
        if (!ix->vsec[w]) continue;
        r.p = ix->vsec[w];
        r.end = ix->vsec[w] + ix->vsec_len[w];
        r.err = 0;
        if (XXH3_64bits(r.p, (size_t)ix->vsec_len[w]) != ix->vsec_hash[w]) goto corrupt;
        for (i = 0; i < ix->vsec_n[w]; i++) {
            uint8_t k;
            const char *s;
            size_t sn;
            uint32_t id;
            int rc;
            if (tc_rd_u8(&r, &k) || rd_str(&r, &s, &sn)) goto corrupt;
            /* the first ids are the reserved ones, already present */
            if (ix->vsec_first[w] + i < TC_VOCAB_FIRST) rc = tc_vocab_intern(ix->vocab, k, s, sn, &id);
            else rc = tc_vocab_append_unique(ix->vocab, k, s, sn, &id); /* checksummed: no duplicates */
            if (rc) return rc;
            if (id != ix->vsec_first[w] + i) goto corrupt;
        }
        if (r.p != r.end) goto corrupt;
        ix->vsec[w] = NULL;
    }
    return TC_OK;
corrupt:
    /* Ids no longer mean what the files' items say: forget the files (the
     * next update re-lexes everything). */
    tc_warn("index vocabulary in %s is damaged; rebuilding the index", ix->cache_dir);
    ix_reset(ix);
    ix->vocab = tc_vocab_new();
    return ix->vocab ? TC_ECORRUPT : TC_ENOMEM;
}

/* ---- writing ---------------------------------------------------------------- */

typedef struct ix_writer {
    FILE *fp;
    uint64_t pos;     /* bytes written so far */
    XXH3_state_t *xs; /* the metadata checksum */
    XXH3_state_t *vs; /* while non-NULL, bytes go to this one instead */
    int err;
} ix_writer;

static void w_bytes(ix_writer *w, const void *p, size_t n)
{
    if (w->err || !n) return;
    if (fwrite(p, 1, n, w->fp) != n) w->err = 1;
    w->pos += n;
    XXH3_64bits_update(w->vs ? w->vs : w->xs, p, n);
}

static void w_u32(ix_writer *w, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    w_bytes(w, b, 4);
}

static void w_u64(ix_writer *w, uint64_t v)
{
    w_u32(w, (uint32_t)v);
    w_u32(w, (uint32_t)(v >> 32));
}

static void w_varint(ix_writer *w, uint64_t v)
{
    uint8_t b[10];
    int n = 0;
    while (v >= 0x80) {
        b[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    b[n++] = (uint8_t)v;
    w_bytes(w, b, (size_t)n);
}

static size_t varint_len(uint64_t v)
{
    size_t n = 1;
    while (v >= 0x80) {
        v >>= 7;
        n++;
    }
    return n;
}

static void w_str(ix_writer *w, const char *s, size_t n)
{
    w_varint(w, n);
    w_bytes(w, s, n);
}

/* Remove temp files left by writers that died (kill -9 mid-write). */
static void clean_stale_tmp(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    if (!d) return;
    while ((de = readdir(d))) {
        const char *t = strstr(de->d_name, ".tmp.");
        long pid;
        if (!t) continue;
        pid = strtol(t + 5, NULL, 10);
        if (pid > 0 && pid != (long)getpid() && kill((pid_t)pid, 0) != 0 && errno == ESRCH) {
            char path[PATH_MAX];
            snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
            unlink(path);
        }
    }
    closedir(d);
}

static int file_saved(const ix_file *f) { return f->on_disk && !f->info.removed; }

/* A base's vocabulary table (see the format above); its bytes go to vs. */
static int write_vocab_table(ix_writer *w, XXH3_state_t *vs, const tc_vocab *v)
{
    uint32_t n = tc_vocab_size(v), mask = 1023, id, *offs = NULL, *slots = NULL;
    uint8_t *kinds = NULL, zero[4] = {0};
    uint64_t strs_len = 0;
    size_t pad;
    int rc = TC_ENOMEM;
    while ((uint64_t)mask + 1 < (uint64_t)n * 2) mask = mask * 2 + 1;
    kinds = malloc(n + 4);
    offs = malloc(((size_t)n + 1) * sizeof *offs);
    slots = calloc((size_t)mask + 1, sizeof *slots);
    if (!kinds || !offs || !slots) goto out;
    for (id = 0; id < n; id++) {
        size_t len;
        const char *t = tc_vocab_text(v, id, &len);
        uint32_t h;
        kinds[id] = tc_vocab_kind(v, id);
        offs[id] = (uint32_t)strs_len;
        strs_len += len;
        h = (uint32_t)tc_vocab_hash(kinds[id], t, len) & mask;
        while (slots[h]) h = (h + 1) & mask;
        slots[h] = id + 1;
    }
    offs[n] = (uint32_t)strs_len;
    if (strs_len > UINT32_MAX) {
        rc = TC_ETOOBIG;
        goto out;
    }
    w_u32(w, n);
    w_u32(w, mask);
    w_u64(w, strs_len);
    w->vs = vs;
    pad = (size_t)((4 - (w->pos & 3)) & 3);
    w_bytes(w, zero, pad);
    w_bytes(w, kinds, n);
    w_bytes(w, zero, (4 - (n & 3)) & 3);
    for (id = 0; id <= n; id++) w_u32(w, offs[id]);
    for (id = 0; id <= mask; id++) w_u32(w, slots[id]);
    for (id = 0; id < n; id++) {
        size_t len;
        const char *t = tc_vocab_text(v, id, &len);
        w_bytes(w, t, len);
    }
    w->vs = NULL;
    rc = TC_OK;
out:
    free(kinds);
    free(offs);
    free(slots);
    return rc;
}

/* Write one image. delta: only dirty files, vocab from base_nvocab. */
static int write_image(tc_index *ix, int delta, const char *final_path, uint64_t *sum_out)
{
    char tmp[PATH_MAX];
    ix_writer w = {0};
    XXH3_state_t *vs;
    uint32_t nv = ix->vocab ? tc_vocab_size(ix->vocab) : 0, first = delta ? ix->base_nvocab : 0, id;
    uint64_t blob = 0, nfiles = 0, sum;
    size_t i;
    int rc = TC_OK, fd;

    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", final_path, (long)getpid());
    w.fp = fopen(tmp, "wb");
    if (!w.fp) {
        tc_warn("cannot write index %s: %s", tmp, strerror(errno));
        return TC_EIO;
    }
    setvbuf(w.fp, NULL, _IOFBF, 1 << 20);
    w.xs = XXH3_createState();
    vs = XXH3_createState();
    if (!w.xs || !vs) {
        XXH3_freeState(w.xs);
        XXH3_freeState(vs);
        fclose(w.fp);
        unlink(tmp);
        return TC_ENOMEM;
    }
    XXH3_64bits_reset(w.xs);
    XXH3_64bits_reset(vs);
    w_bytes(&w, IX_MAGIC "\0", 8);
    w_u32(&w, IX_VERSION);
    w_u32(&w, (uint32_t)delta);
    w_u64(&w, delta ? ix->base_id : 0);
    w_str(&w, ix->root, strlen(ix->root));
    w_u64(&w, (uint64_t)ix->exclude_mtime_ns);
    if (!delta) {
        rc = write_vocab_table(&w, vs, ix->vocab);
        if (rc) {
            XXH3_freeState(w.xs);
            XXH3_freeState(vs);
            fclose(w.fp);
            unlink(tmp);
            return rc;
        }
    } else if (!ix->vocab) {
        /* Not materialised (nothing was lexed): a delta carries the loaded
         * delta's new entries over as they are. */
        w_varint(&w, first);
        w_varint(&w, ix->vsec[1] ? ix->vsec_n[1] : 0);
        w_u64(&w, ix->vsec[1] ? ix->vsec_len[1] : 0);
        w.vs = vs;
        if (ix->vsec[1]) w_bytes(&w, ix->vsec[1], ix->vsec_len[1]);
        w.vs = NULL;
    } else {
        uint64_t vbytes = 0;
        for (id = first; id < nv; id++) {
            size_t n;
            tc_vocab_text(ix->vocab, id, &n);
            vbytes += 1 + varint_len(n) + n;
        }
        w_varint(&w, first);
        w_varint(&w, nv - first);
        w_u64(&w, vbytes);
        w.vs = vs;
        for (id = first; id < nv; id++) {
            size_t n;
            const char *s = tc_vocab_text(ix->vocab, id, &n);
            uint8_t k = tc_vocab_kind(ix->vocab, id);
            w_bytes(&w, &k, 1);
            w_str(&w, s, n);
        }
        w.vs = NULL;
    }
    w_u64(&w, XXH3_64bits_digest(vs));
    w_varint(&w, ix->ndirs);
    for (i = 0; i < ix->ndirs; i++) {
        w_str(&w, ix->dirs[i].path, strlen(ix->dirs[i].path));
        w_u64(&w, (uint64_t)ix->dirs[i].mtime_ns);
    }
    w_varint(&w, delta ? ix->nremoved : 0);
    for (i = 0; delta && i < ix->nremoved; i++) w_str(&w, ix->removed[i], strlen(ix->removed[i]));
    for (i = 0; i < ix->nfiles; i++) {
        const ix_file *f = &ix->files[i];
        if (!file_saved(f) || (delta && !f->dirty)) continue;
        nfiles++;
        blob += f->info.skip ? 0 : f->enc_len;
    }
    w_varint(&w, nfiles);
    for (i = 0; i < ix->nfiles; i++) {
        const ix_file *f = &ix->files[i];
        uint8_t b[2] = {f->info.lang, f->info.skip};
        if (!file_saved(f) || (delta && !f->dirty)) continue;
        w_str(&w, f->path, strlen(f->path));
        w_bytes(&w, "", 1);
        w_u64(&w, f->info.size);
        w_u64(&w, (uint64_t)f->info.mtime_ns);
        w_u64(&w, (uint64_t)f->ctime_ns);
        w_u64(&w, f->ino);
        w_u64(&w, f->info.hash);
        w_bytes(&w, b, 2);
        w_varint(&w, f->info.skip ? 0 : f->disk_ntok);
        w_varint(&w, f->info.skip ? 0 : f->enc_len);
        w_u64(&w, f->info.skip ? 0 : XXH3_64bits(f->enc, f->enc_len));
    }
    w_u64(&w, blob);
    sum = XXH3_64bits_digest(w.xs);
    XXH3_freeState(w.xs);
    XXH3_freeState(vs);
    for (i = 0; i < ix->nfiles && !w.err; i++) {
        const ix_file *f = &ix->files[i];
        if (!file_saved(f) || (delta && !f->dirty) || f->info.skip) continue;
        if (f->enc_len && fwrite(f->enc, 1, f->enc_len, w.fp) != f->enc_len) w.err = 1;
    }
    if (!w.err) {
        uint8_t t[16];
        int k;
        for (k = 0; k < 8; k++) t[k] = (uint8_t)(sum >> (8 * k));
        memcpy(t + 8, IX_END "\0\0\0", 8);
        if (fwrite(t, 1, 16, w.fp) != 16) w.err = 1;
    }
    if (fflush(w.fp) != 0 || fsync(fileno(w.fp)) != 0) w.err = 1;
    if (fclose(w.fp) != 0) w.err = 1;
    if (w.err) {
        tc_warn("writing index %s failed: %s; the previous index is kept", tmp, strerror(errno));
        unlink(tmp);
        return TC_EIO;
    }
    if (rename(tmp, final_path) != 0) {
        tc_warn("cannot replace index %s: %s; the previous index is kept", final_path, strerror(errno));
        unlink(tmp);
        return TC_EIO;
    }
    fd = open(ix->cache_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    *sum_out = sum;
    return rc;
}

int ix_save(tc_index *ix)
{
    char base[PATH_MAX], dpath[PATH_MAX];
    uint64_t dirty_bytes = 0, sum = 0;
    size_t i, ndirty = 0;
    int rc, full;
    struct stat st;

    clean_stale_tmp(ix->cache_dir);
    snprintf(base, sizeof base, "%s/index.tcx", ix->cache_dir);
    snprintf(dpath, sizeof dpath, "%s/delta.tcx", ix->cache_dir);
    for (i = 0; i < ix->nfiles; i++) {
        if (!ix->files[i].dirty) continue;
        ndirty++;
        dirty_bytes += ix->files[i].enc_len;
    }
    full = !ix->base_id || (ix->vocab && tc_vocab_size(ix->vocab) - ix->base_nvocab > 65536) || (dirty_bytes > ix->base_enc_bytes / 8 && dirty_bytes > (1u << 20)) || ndirty > 4096 ||
           ix->nremoved > 4096;
    if (full && ix->light && (rc = ix_light_materialize(ix))) return rc;
    if (!full) {
        rc = write_image(ix, 1, dpath, &sum);
        if (!rc) {
            ix->any_change = 0;
            ix->disk_size = (stat(base, &st) == 0 ? (uint64_t)st.st_size : 0) +
                            (stat(dpath, &st) == 0 ? (uint64_t)st.st_size : 0);
        }
        return rc;
    }
    if ((rc = ix_vocab_ensure(ix))) return rc;
    rc = write_image(ix, 0, base, &sum);
    if (rc) return rc;
    /* The new base stands alone; an old delta is stale (its base_id no
     * longer matches) even if this unlink is lost in a crash. */
    unlink(dpath);
    ix->base_id = sum;
    ix->base_nvocab = tc_vocab_size(ix->vocab);
    ix->base_enc_bytes = 0;
    for (i = 0; i < ix->nfiles; i++) {
        ix_file *f = &ix->files[i];
        f->dirty = 0;
        if (file_saved(f) && !f->info.skip) ix->base_enc_bytes += f->enc_len;
    }
    for (i = 0; i < ix->nremoved; i++) free(ix->removed[i]);
    ix->nremoved = 0;
    ix->any_change = 0;
    ix->disk_size = stat(base, &st) == 0 ? (uint64_t)st.st_size : 0;
    return TC_OK;
}

unsigned tc_index_format_version(void) { return IX_VERSION; }
