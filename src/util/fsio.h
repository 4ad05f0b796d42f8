/* fsio.h - the one way tacit opens files it did not create: under a root,
 * never through a symbolic link, never blocking, regular files only, and
 * never more than a size limit.
 *
 * A workspace is untrusted input: any file may be swapped at any moment for
 * a symlink (to /dev/zero, to ~/.ssh/id_rsa), a FIFO (an open that blocks
 * forever), a socket or a device. Every function here
 *   - resolves a relative path component by component beneath a directory
 *     fd (openat2 RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS where the kernel has
 *     it, else openat(O_NOFOLLOW) per component): a symlink anywhere in the
 *     path, a ".." or an absolute path is refused;
 *   - opens with O_NONBLOCK | O_NOCTTY | O_CLOEXEC, then fstat()s the open
 *     file and refuses anything but a regular file (so a FIFO never blocks);
 *   - reads at most a given number of bytes (a file that grows while read
 *     is cut at the limit and refused).
 * Paths may be longer than PATH_MAX (each component must be under NAME_MAX).
 *
 * Status codes: TC_OK; TC_ENOENT (missing, or a component is not a folder);
 * TC_EINVAL (refused: a symlink in the path, "..", an absolute or empty
 * path, or not a regular file); TC_ETOOBIG (over the limit); TC_EIO (other
 * errors, errno says more); TC_ENOMEM.
 */
#ifndef TC_FSIO_H
#define TC_FSIO_H

#include "util/buf.h"

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

/* Open the folder at path (absolute or relative to the current folder;
 * symlinks in it are followed: the user named it) as a root for the
 * functions below: an O_PATH | O_DIRECTORY fd in *fd. TC_OK, TC_ENOENT,
 * TC_EIO. */
int tc_fs_root_open(const char *path, int *fd);

/* Is relpath a plain relative path: not empty, not absolute, no empty, "."
 * or ".." component? 1 or 0. */
int tc_fs_relpath_ok(const char *relpath);

/* Open the folder relpath beneath dirfd ("" or "." is dirfd itself, dup'ed)
 * with O_DIRECTORY and extra flags (O_PATH, or O_RDONLY to read entries).
 * The fd goes to *fd (the caller closes it). */
int tc_fs_dir_open(int dirfd, const char *relpath, int flags, int *fd);

/* lstat relpath beneath dirfd, no symlink followed in any component (the
 * last one may itself be a symlink: st says so). */
int tc_fs_stat(int dirfd, const char *relpath, struct stat *st);

/* Open the regular file relpath beneath dirfd for reading; *fd the open
 * file, *st (may be NULL) its fstat. Non-regular files: TC_EINVAL, no fd. */
int tc_fs_open_regular(int dirfd, const char *relpath, int *fd, struct stat *st);

/* Read the regular file relpath beneath dirfd into out (out->len reset to 0;
 * out->data is "" for an empty file), at most max_bytes (0: no limit). On
 * TC_ETOOBIG nothing usable is in out. st (may be NULL) gets the open file's
 * fstat. */
int tc_fs_read_regular(int dirfd, const char *relpath, uint64_t max_bytes, tc_buf *out, struct stat *st);

/* The same for a path the user named (a command-line argument): symlinks
 * are followed (the user chose the file), but the open never blocks and
 * non-regular files are refused (TC_EINVAL). */
int tc_fs_read_path(const char *path, uint64_t max_bytes, tc_buf *out);

/* Read everything left in fd (already open and checked) into out after
 * what it holds, at most max_bytes in all (0: no limit). */
int tc_fs_read_fd(int fd, uint64_t max_bytes, tc_buf *out);

#endif
