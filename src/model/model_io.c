/* model_io.c - the model file: the main corpus's suffix array, saved next to
 * the index so that opening a workspace does not sort it again.
 *
 * The corpus itself is not stored: it is rebuilt from the index (cheap) and
 * its hash must match the file's, so a model file is only ever used with
 * the exact token content it was built from.
 *
 * Format, version 1 (all integers little-endian):
 *   offset  size   field
 *   0       8      magic "TCMODEL\0"
 *   8       4      version (1)
 *   12      4      n-gram order the array is sorted to
 *   16      4      nT: corpus length (BOS, tokens and SEP of every file)
 *   20      4      npos: entries in the array (non-SEP positions of the corpus)
 *   24      8      XXH3-64 of the corpus (nT u32 ids, SEP = 0xFFFFFFFF)
 *   32      8      XXH3-64 of the array's bytes
 *   40      4*npos the positions, sorted by their first `order` tokens
 * Written to "<file>.tmp.<pid>", fsync'ed, then renamed over the old file.
 * A damaged file or one of another version is TC_ECORRUPT (the caller warns
 * and rebuilds); a sound file for other content is TC_ENOENT (stale). The
 * array is mapped and used in place (read-only, private).
 */
#include "model/model_int.h"
#include "util/status.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#define MODEL_MAGIC "TCMODEL"
#define MODEL_VERSION 1u
#define HEADER_SIZE 40

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "model_io.c writes raw little-endian arrays"
#endif

uint64_t tc_model_io_hash_text(const uint32_t *T, uint32_t nT)
{
    return XXH3_64bits(T, (size_t)nT * sizeof *T);
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
    return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static void put64(uint8_t *p, uint64_t v)
{
    put32(p, (uint32_t)v);
    put32(p + 4, (uint32_t)(v >> 32));
}

/* Validate a model file's bytes against T; *npos gets its entry count. */
static int check(const uint8_t *p, size_t len, const uint32_t *T, uint32_t nT, int order,
                 uint32_t *npos_out)
{
    uint32_t npos, i, expect = 0;
    const uint8_t *a;
    if (len < HEADER_SIZE || memcmp(p, MODEL_MAGIC, 8) != 0) return TC_ECORRUPT;
    if (get32(p + 8) != MODEL_VERSION) return TC_ECORRUPT;
    npos = get32(p + 20);
    if ((uint64_t)len != HEADER_SIZE + (uint64_t)npos * 4) return TC_ECORRUPT;
    if (XXH3_64bits(p + HEADER_SIZE, (size_t)npos * 4) != get64(p + 32)) return TC_ECORRUPT;
    /* sound file: is it for this corpus? */
    if (get32(p + 12) != (uint32_t)order || get32(p + 16) != nT) return TC_ENOENT;
    if (get64(p + 24) != tc_model_io_hash_text(T, nT)) return TC_ENOENT;
    for (i = 0; i < nT; i++) expect += T[i] != TC_SEP;
    if (npos != expect) return TC_ECORRUPT;
    /* every position inside the corpus: the one property reads rely on */
    for (i = 0, a = p + HEADER_SIZE; i < npos; i++, a += 4)
        if (get32(a) >= nT) return TC_ECORRUPT;
    *npos_out = npos;
    return TC_OK;
}

int tc_model_io_parse(const uint8_t *p, size_t len, const uint32_t *T, uint32_t nT,
                      int order, uint32_t **pos_out, uint32_t *npos_out)
{
    uint32_t npos = 0, *pos;
    int rc;
    *pos_out = NULL;
    *npos_out = 0;
    if ((rc = check(p, len, T, nT, order, &npos)) != TC_OK) return rc;
    pos = malloc(((size_t)npos + 1) * sizeof *pos);
    if (!pos) return TC_ENOMEM;
    memcpy(pos, p + HEADER_SIZE, (size_t)npos * 4);
    *pos_out = pos;
    *npos_out = npos;
    return TC_OK;
}

int tc_model_io_load(const char *path, const uint32_t *T, uint32_t nT, int order, tc_sa *sa)
{
    struct stat sb;
    void *map;
    uint32_t npos = 0;
    int fd, rc;
    memset(sa, 0, sizeof *sa);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return errno == ENOENT ? TC_ENOENT : TC_EIO;
    if (fstat(fd, &sb) != 0 || sb.st_size < 0) {
        close(fd);
        return TC_EIO;
    }
    if (sb.st_size < HEADER_SIZE) {
        close(fd);
        return TC_ECORRUPT;
    }
    /* the array is used in place: 40-byte header keeps it 8-aligned */
    map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED) return TC_EIO;
    rc = check(map, (size_t)sb.st_size, T, nT, order, &npos);
    if (rc == TC_OK)
        rc = tc_sa_adopt(sa, T, nT, (uint32_t *)((uint8_t *)map + HEADER_SIZE), npos, map,
                         (size_t)sb.st_size);
    if (rc != TC_OK) munmap(map, (size_t)sb.st_size);
    return rc;
}

static int write_all(int fd, const void *p, size_t n)
{
    const uint8_t *b = p;
    while (n) {
        ssize_t w = write(fd, b, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return TC_EIO;
        b += w;
        n -= (size_t)w;
    }
    return TC_OK;
}

int tc_model_io_save(const tc_model *m, const char *path)
{
    uint8_t hdr[HEADER_SIZE];
    char tmp[4096], dir[4096];
    const char *sl;
    int fd, rc;
    if (snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof tmp)
        return TC_EINVAL;
    memset(hdr, 0, sizeof hdr);
    memcpy(hdr, MODEL_MAGIC, 8);
    put32(hdr + 8, MODEL_VERSION);
    put32(hdr + 12, (uint32_t)m->o.order);
    put32(hdr + 16, m->nT);
    put32(hdr + 20, m->main.n);
    put64(hdr + 24, tc_model_io_hash_text(m->T, m->nT));
    put64(hdr + 32, XXH3_64bits(m->main.pos, (size_t)m->main.n * 4));
    /* the folder may not exist yet */
    if ((sl = strrchr(path, '/')) && (size_t)(sl - path) < sizeof dir) {
        memcpy(dir, path, (size_t)(sl - path));
        dir[sl - path] = 0;
        if (dir[0]) mkdir(dir, 0777);
    }
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return TC_EIO;
    rc = write_all(fd, hdr, sizeof hdr);
    if (rc == TC_OK && m->main.n) rc = write_all(fd, m->main.pos, (size_t)m->main.n * 4);
    if (rc == TC_OK && fsync(fd) != 0) rc = TC_EIO;
    if (close(fd) != 0 && rc == TC_OK) rc = TC_EIO;
    if (rc == TC_OK && rename(tmp, path) != 0) rc = TC_EIO;
    if (rc != TC_OK) {
        unlink(tmp);
        return rc;
    }
    if (sl) {
        int dfd = open(dir[0] ? dir : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            fsync(dfd);
            close(dfd);
        }
    }
    return TC_OK;
}

unsigned tc_model_format_version(void) { return MODEL_VERSION; }
