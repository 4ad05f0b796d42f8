/* fsio.c - safe opens and bounded reads beneath a root (see fsio.h). */
#include "util/fsio.h"
#include "util/status.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define FS_READ_FLAGS (O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | O_NOFOLLOW)

/* 1 once openat2 turned out to be missing (old kernel, seccomp filter). */
static atomic_int no_openat2;

static int errno_status(int e)
{
    switch (e) {
    case ENOENT:
    case ENOTDIR:
    case ENAMETOOLONG: return TC_ENOENT;
    case ELOOP:
    case EXDEV:
    case EMLINK: return TC_EINVAL; /* a symlink, or an escape from the root */
    case ENOMEM: return TC_ENOMEM;
    default: return TC_EIO;
    }
}

int tc_fs_relpath_ok(const char *p)
{
    if (!p || !*p || *p == '/') return 0;
    for (;;) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == 0 || n > NAME_MAX || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.')) return 0;
        if (!e) return 1;
        p = e + 1;
    }
}

int tc_fs_root_open(const char *path, int *fd)
{
    *fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
    return *fd < 0 ? errno_status(errno) : TC_OK;
}

/* Open relpath (under PATH_MAX, checked by tc_fs_relpath_ok) beneath dirfd
 * with flags (O_NOFOLLOW and O_CLOEXEC added), following no symlink. */
static int open_one(int dirfd, const char *relpath, int flags, int *out)
{
    char comp[NAME_MAX + 1];
    const char *p = relpath;
    int cur = dirfd, fd, rc = TC_OK;
    *out = -1;
    flags |= O_NOFOLLOW | O_CLOEXEC;
    if (!atomic_load_explicit(&no_openat2, memory_order_relaxed)) {
        struct open_how how;
        memset(&how, 0, sizeof how);
        how.flags = (uint64_t)(unsigned)flags;
        how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
        fd = (int)syscall(SYS_openat2, dirfd, relpath, &how, sizeof how);
        if (fd >= 0) {
            *out = fd;
            return TC_OK;
        }
        if (errno == ENOSYS || errno == EPERM || errno == E2BIG)
            atomic_store_explicit(&no_openat2, 1, memory_order_relaxed);
        else if (errno != ENAMETOOLONG && errno != EAGAIN && errno != EINVAL)
            return errno_status(errno);
        /* else: a path over PATH_MAX, or a flag it refuses: one component
         * at a time below */
    }
    for (;;) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        memcpy(comp, p, n);
        comp[n] = 0;
        if (!e) {
            fd = openat(cur, comp, flags);
            if (fd < 0) rc = errno_status(errno);
            else *out = fd;
            break;
        }
        fd = openat(cur, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) {
            rc = errno_status(errno);
            break;
        }
        {
            struct stat st;
            if (fstat(fd, &st) != 0 || !S_ISDIR(st.st_mode)) {
                rc = S_ISLNK(st.st_mode) ? TC_EINVAL : TC_ENOENT; /* O_PATH opened the link itself */
                close(fd);
                break;
            }
        }
        if (cur != dirfd) close(cur);
        cur = fd;
        p = e + 1;
    }
    if (cur != dirfd) close(cur);
    return rc;
}

/* open_one for any length: a path past PATH_MAX is opened a prefix of
 * whole components at a time (a few calls, not one per component). */
static int open_beneath(int dirfd, const char *relpath, int flags, int *out)
{
    char pre[PATH_MAX];
    const char *p = relpath;
    int cur = dirfd, rc;
    *out = -1;
    while (strlen(p) >= PATH_MAX) {
        const char *cut = p + PATH_MAX - 1;
        int fd;
        while (cut > p && *cut != '/') cut--;
        if (cut == p) {
            rc = TC_ENOENT;
            goto out;
        }
        memcpy(pre, p, (size_t)(cut - p));
        pre[cut - p] = 0;
        if ((rc = open_one(cur, pre, O_PATH | O_DIRECTORY, &fd))) goto out;
        if (cur != dirfd) close(cur);
        cur = fd;
        p = cut + 1;
    }
    rc = open_one(cur, p, flags, out);
out:
    if (cur != dirfd) close(cur);
    return rc;
}

int tc_fs_dir_open(int dirfd, const char *relpath, int flags, int *fd)
{
    *fd = -1;
    if (!relpath[0] || strcmp(relpath, ".") == 0) {
        *fd = openat(dirfd, ".", flags | O_DIRECTORY | O_CLOEXEC);
        return *fd < 0 ? errno_status(errno) : TC_OK;
    }
    if (!tc_fs_relpath_ok(relpath)) return TC_EINVAL;
    /* O_DIRECTORY with O_NOFOLLOW refuses a trailing symlink (ENOTDIR) */
    return open_beneath(dirfd, relpath, flags | O_DIRECTORY, fd);
}

int tc_fs_stat(int dirfd, const char *relpath, struct stat *st)
{
    const char *slash;
    int pfd, rc = TC_OK;
    if (!tc_fs_relpath_ok(relpath)) return TC_EINVAL;
    slash = strrchr(relpath, '/');
    if (!slash) return fstatat(dirfd, relpath, st, AT_SYMLINK_NOFOLLOW) == 0 ? TC_OK : errno_status(errno);
    {
        size_t n = (size_t)(slash - relpath);
        char *dir = malloc(n + 1);
        if (!dir) return TC_ENOMEM;
        memcpy(dir, relpath, n);
        dir[n] = 0;
        rc = tc_fs_dir_open(dirfd, dir, O_PATH, &pfd);
        free(dir);
    }
    if (rc) return rc;
    if (fstatat(pfd, slash + 1, st, AT_SYMLINK_NOFOLLOW) != 0) rc = errno_status(errno);
    close(pfd);
    return rc;
}

int tc_fs_open_regular(int dirfd, const char *relpath, int *fd, struct stat *st)
{
    struct stat local;
    int rc;
    *fd = -1;
    if (!st) st = &local;
    if (!tc_fs_relpath_ok(relpath)) return TC_EINVAL;
    if ((rc = open_beneath(dirfd, relpath, FS_READ_FLAGS, fd))) return rc;
    if (fstat(*fd, st) != 0 || !S_ISREG(st->st_mode)) {
        rc = S_ISREG(st->st_mode) ? TC_EIO : TC_EINVAL;
        close(*fd);
        *fd = -1;
    }
    return rc;
}

/* tc_fs_read_fd for a file whose fstat is st. */
static int read_fd_st(int fd, const struct stat *st, uint64_t max_bytes, tc_buf *out)
{
    size_t start = out->len;
    uint64_t want;
    if (max_bytes && (uint64_t)st->st_size > max_bytes) return TC_ETOOBIG;
    /* room for the size it has now (it may grow: read one byte past the
     * limit to tell) */
    want = (uint64_t)st->st_size + 1;
    if (max_bytes && want > max_bytes + 1) want = max_bytes + 1;
    if (want > SIZE_MAX / 2 || tc_buf_reserve(out, (size_t)want + 1)) return TC_ENOMEM;
    for (;;) {
        size_t room = out->cap - out->len - 1;
        ssize_t r;
        if (max_bytes && room > max_bytes + 1 - (out->len - start)) room = (size_t)(max_bytes + 1 - (out->len - start));
        if (room == 0) {
            if (max_bytes && out->len - start > max_bytes) break;
            if (tc_buf_reserve(out, out->cap)) return TC_ENOMEM;
            continue;
        }
        r = read(fd, out->data + out->len, room);
        if (r < 0) {
            if (errno == EINTR) continue;
            return TC_EIO;
        }
        if (r == 0) break;
        out->len += (size_t)r;
    }
    out->data[out->len] = 0;
    if (max_bytes && out->len - start > max_bytes) {
        out->len = start;
        out->data[out->len] = 0;
        return TC_ETOOBIG;
    }
    return TC_OK;
}

int tc_fs_read_fd(int fd, uint64_t max_bytes, tc_buf *out)
{
    struct stat st;
    if (fstat(fd, &st) != 0) return TC_EIO;
    return read_fd_st(fd, &st, max_bytes, out);
}

int tc_fs_read_regular(int dirfd, const char *relpath, uint64_t max_bytes, tc_buf *out, struct stat *st)
{
    struct stat local;
    int fd, rc;
    out->len = 0;
    if (!st) st = &local;
    if ((rc = tc_fs_open_regular(dirfd, relpath, &fd, st))) return rc;
    rc = read_fd_st(fd, st, max_bytes, out);
    close(fd);
    return rc;
}

int tc_fs_read_path(const char *path, uint64_t max_bytes, tc_buf *out)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC), rc;
    out->len = 0;
    if (fd < 0) return errno_status(errno);
    if (fstat(fd, &st) != 0) rc = TC_EIO;
    else if (!S_ISREG(st.st_mode)) rc = TC_EINVAL;
    else rc = read_fd_st(fd, &st, max_bytes, out);
    close(fd);
    return rc;
}
