/* test_fsio.c - util/fsio: reads beneath a root never follow a symlink,
 * never block, never read past a limit; and the readers built on it
 * (context retrieval) never take a file swapped for a symlink. */
#include "context/context.h"
#include "retrieve/retrieve.h"
#include "test.h"
#include "util/buf.h"
#include "util/fsio.h"
#include "util/status.h"
#include "workspace/index.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void link_at(const char *dir, const char *rel, const char *target)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    unlink(path);
    TC_CHECK(symlink(target, path) == 0);
}

TC_TEST(fsio_reads_only_regular_files_beneath_root)
{
    char root[512], out[512], path[1100];
    tc_buf b = {0};
    struct stat st;
    int rfd, fd;
    snprintf(root, sizeof root, "%s/ws", tc_test_tmpdir());
    snprintf(out, sizeof out, "%s/outside", tc_test_tmpdir());
    tc_test_put(root, "a/b/c.txt", "hello\n");
    tc_test_put(out, "secret.txt", "outside canary\n");
    link_at(root, "up", out);
    link_at(root, "a/zero", "/dev/zero");
    link_at(root, "a/s.txt", "../../outside/secret.txt");
    link_at(root, "loop", "loop");
    snprintf(path, sizeof path, "%s/fifo", root);
    TC_CHECK(mkfifo(path, 0644) == 0);
    TC_CHECK_EQ_INT(tc_fs_root_open(root, &rfd), TC_OK);
    TC_CHECK_EQ_INT(tc_fs_read_regular(rfd, "a/b/c.txt", 0, &b, &st), TC_OK);
    TC_CHECK_STR(b.data, "hello\n");
    TC_CHECK(S_ISREG(st.st_mode) && st.st_size == 6);
    /* a symlink anywhere in the path, "..", absolute: refused */
    TC_CHECK_EQ_INT(tc_fs_read_regular(rfd, "up/secret.txt", 0, &b, NULL), TC_EINVAL);
    TC_CHECK_EQ_INT(tc_fs_read_regular(rfd, "a/s.txt", 0, &b, NULL), TC_EINVAL);
    TC_CHECK_EQ_INT(tc_fs_read_regular(rfd, "a/zero", 1 << 20, &b, NULL), TC_EINVAL);
    TC_CHECK_EQ_INT(tc_fs_read_regular(rfd, "loop", 0, &b, NULL), TC_EINVAL);
    TC_CHECK_EQ_INT(tc_fs_read_regular(rfd, "a/../up/secret.txt", 0, &b, NULL), TC_EINVAL);
    TC_CHECK_EQ_INT(tc_fs_read_regular(rfd, "/etc/passwd", 0, &b, NULL), TC_EINVAL);
    TC_CHECK_EQ_INT(tc_fs_read_regular(rfd, "a//b/c.txt", 0, &b, NULL), TC_EINVAL);
    TC_CHECK_EQ_INT(tc_fs_read_regular(rfd, "a/none", 0, &b, NULL), TC_ENOENT);
    /* a FIFO: refused at once, never blocks */
    TC_CHECK_EQ_INT(tc_fs_read_regular(rfd, "fifo", 0, &b, NULL), TC_EINVAL);
    TC_CHECK_EQ_INT(tc_fs_read_path(path, 0, &b), TC_EINVAL);
    /* the size limit */
    TC_CHECK_EQ_INT(tc_fs_read_regular(rfd, "a/b/c.txt", 5, &b, NULL), TC_ETOOBIG);
    TC_CHECK_EQ_INT(tc_fs_read_regular(rfd, "a/b/c.txt", 6, &b, NULL), TC_OK);
    fd = open("/dev/zero", O_RDONLY);
    TC_CHECK(fd >= 0);
    b.len = 0;
    TC_CHECK_EQ_INT(tc_fs_read_fd(fd, 4096, &b), TC_ETOOBIG); /* a stream past its limit */
    close(fd);
    /* stat and folders beneath the root */
    TC_CHECK_EQ_INT(tc_fs_stat(rfd, "a/s.txt", &st), TC_OK);
    TC_CHECK(S_ISLNK(st.st_mode));
    TC_CHECK(tc_fs_stat(rfd, "up/secret.txt", &st) != TC_OK);
    TC_CHECK_EQ_INT(tc_fs_dir_open(rfd, "up", O_PATH, &fd), TC_ENOENT);
    TC_CHECK_EQ_INT(tc_fs_dir_open(rfd, "a/b", O_PATH, &fd), TC_OK);
    if (fd >= 0) close(fd);
    TC_CHECK(tc_fs_relpath_ok("a/b.c") && !tc_fs_relpath_ok("a/./b") && !tc_fs_relpath_ok("") &&
             !tc_fs_relpath_ok("a/") && !tc_fs_relpath_ok(".."));
    close(rfd);
    tc_buf_free(&b);
}

TC_TEST(fsio_paths_past_path_max)
{
    char root[512];
    tc_buf rel = {0}, b = {0};
    int rfd, fd, i;
    snprintf(root, sizeof root, "%s/ws", tc_test_tmpdir());
    TC_CHECK(mkdir(root, 0755) == 0);
    fd = open(root, O_RDONLY | O_DIRECTORY);
    for (i = 0; i < 60 && fd >= 0; i++) {
        /* 60 folders of 100 bytes: 6,000 bytes of path */
        char name[101];
        int nfd;
        memset(name, 'a' + i % 26, 100);
        name[100] = 0;
        TC_CHECK(mkdirat(fd, name, 0755) == 0);
        nfd = openat(fd, name, O_RDONLY | O_DIRECTORY);
        close(fd);
        fd = nfd;
        tc_buf_printf(&rel, "%s%s", i ? "/" : "", name);
    }
    if (fd >= 0) {
        int f = openat(fd, "x.c", O_WRONLY | O_CREAT, 0644);
        TC_CHECK(f >= 0 && write(f, "int x;\n", 7) == 7);
        if (f >= 0) close(f);
        close(fd);
    }
    tc_buf_puts(&rel, "/x.c");
    TC_CHECK(rel.len > 4096);
    TC_CHECK_EQ_INT(tc_fs_root_open(root, &rfd), TC_OK);
    TC_CHECK_EQ_INT(tc_fs_read_regular(rfd, rel.data, 0, &b, NULL), TC_OK);
    TC_CHECK_STR(b.data, "int x;\n");
    close(rfd);
    tc_buf_free(&rel);
    tc_buf_free(&b);
}

static int no_tok(void *ud, const char *s, size_t n, uint32_t **ends, size_t *nends, size_t *cap)
{
    (void)ud, (void)s, (void)n, (void)ends, (void)nends, (void)cap;
    return TC_EIO; /* the counter estimates */
}

/* Does any retrieved chunk of a context built at the end of the edited
 * file hold needle? -1 if nothing was retrieved at all. */
static int retrieved_has(tc_index *ix, tc_retriever *ret, const char *text, const char *needle)
{
    tc_tokenizer tk = {no_tok, NULL};
    tc_tokcount *tc = NULL;
    tc_ctx *c = NULL;
    tc_ctx_opts o;
    tc_ctx_sources src = {ix, ret};
    tc_fim_input in;
    tc_ctx_info info;
    size_t k;
    int found = -1;
    memset(&o, 0, sizeof o);
    o.n_recent = -1;
    TC_CHECK_EQ_INT(tc_tokcount_new(&tk, 3.5, &tc), TC_OK);
    TC_CHECK_EQ_INT(tc_ctx_new(&o, NULL, &c), TC_OK);
    if (c && tc &&
        tc_ctx_build(c, &src, tc, "ws", "a.py", text, strlen(text), strlen(text), &in, &info) == TC_OK) {
        for (k = 0; k < in.nextra; k++) {
            if (in.extra[k].kind != TC_CHUNK_RETRIEVED) continue;
            if (found < 0) found = 0;
            if (memmem(in.extra[k].text, in.extra[k].len, needle, strlen(needle))) found = 1;
        }
    }
    tc_ctx_free(c);
    tc_tokcount_free(tc);
    return found;
}

TC_TEST(context_never_reads_a_file_swapped_for_a_symlink)
{
    /* A file swapped for a symlink while the server runs was followed: to
     * a file outside the workspace, its content went to the model server
     * under the workspace file's name; to /dev/zero, memory grew forever. */
    char root[512], out[512], target[700], cache[512];
    const char *body = "def lookup_widget(registry, widget_name):\n"
                       "    entry = registry.find_widget(widget_name)\n"
                       "    return entry.widget_value\n";
    const char *outside = "def lookup_widget(registry, widget_name):  # OUTSIDE_CANARY\n"
                          "    entry = registry.find_widget(widget_name)  # OUTSIDE_CANARY\n"
                          "    return entry.widget_value  # OUTSIDE_CANARY\n";
    const char *edited = "import x\n\ndef use(registry, widget_name):\n    entry = registry.find_widget(widget_name)\n";
    tc_index_opts io = {0};
    tc_index *ix = NULL;
    tc_retriever *ret = NULL;
    snprintf(root, sizeof root, "%s/ws", tc_test_tmpdir());
    snprintf(out, sizeof out, "%s/outside", tc_test_tmpdir());
    snprintf(cache, sizeof cache, "%s/cache", tc_test_tmpdir());
    tc_test_put(root, "b.py", body);
    tc_test_put(root, "a.py", edited);
    tc_test_put(out, "b.py", outside);
    io.root = root;
    io.cache_dir = cache;
    TC_CHECK_EQ_INT(tc_index_open(&io, &ix), TC_OK);
    if (!ix) return;
    TC_CHECK_EQ_INT(tc_index_update(ix, NULL), TC_OK);
    TC_CHECK_EQ_INT(tc_retriever_open(ix, 0, &ret), TC_OK);
    TC_CHECK_EQ_INT(retrieved_has(ix, ret, edited, "entry.widget_value"), 1); /* retrieval works */
    snprintf(target, sizeof target, "%s/b.py", out);
    link_at(root, "b.py", target);
    TC_CHECK(retrieved_has(ix, ret, edited, "OUTSIDE_CANARY") <= 0);
    link_at(root, "b.py", "/dev/zero");
    TC_CHECK(retrieved_has(ix, ret, edited, "widget") <= 0);
    tc_retriever_free(ret);
    tc_index_free(ix);
}
