/* main.c - the unit-test runner: runs every TC_TEST linked in.
 * Usage: tests/unit [FILTER]   (runs tests whose name contains FILTER) */

#include "test.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_TESTS 2048

static struct {
    const char *name, *file;
    tc_test_fn fn;
} tests[MAX_TESTS];
static int ntests, cur_failed;
static char tmpdir[256];

void tc_test_register(const char *name, const char *file, tc_test_fn fn)
{
    if (ntests < MAX_TESTS) {
        tests[ntests].name = name;
        tests[ntests].file = file;
        tests[ntests].fn = fn;
        ntests++;
    }
}

void tc_test_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "  FAIL %s:%d: %s\n", file, line, what);
    cur_failed = 1;
}

void tc_test_write(const char *dir, const char *rel, const char *text, size_t n)
{
    char path[1024], cmd[1100];
    FILE *fp;
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    snprintf(cmd, sizeof cmd, "mkdir -p \"$(dirname '%s')\"", path);
    if (system(cmd) != 0) tc_test_fail(__FILE__, __LINE__, cmd);
    if (!(fp = fopen(path, "wb"))) {
        tc_test_fail(__FILE__, __LINE__, path);
        return;
    }
    if (fwrite(text, 1, n, fp) != n) tc_test_fail(__FILE__, __LINE__, path);
    fclose(fp);
}

const char *tc_test_tmpdir(void)
{
    if (!tmpdir[0]) {
        snprintf(tmpdir, sizeof tmpdir, "/tmp/tacit-test-XXXXXX");
        if (!mkdtemp(tmpdir)) {
            perror("mkdtemp");
            exit(2);
        }
    }
    return tmpdir;
}

static int cmp_test(const void *a, const void *b)
{
    const char *fa = ((const char *const *)a)[1], *fb = ((const char *const *)b)[1];
    int c = strcmp(fa, fb);
    return c ? c : strcmp(((const char *const *)a)[0], ((const char *const *)b)[0]);
}

int main(int argc, char **argv)
{
    const char *filter = argc > 1 ? argv[1] : NULL;
    int passed = 0, failed = 0, i;
    qsort(tests, (size_t)ntests, sizeof tests[0], cmp_test);
    for (i = 0; i < ntests; i++) {
        if (filter && !strstr(tests[i].name, filter)) continue;
        cur_failed = 0;
        tmpdir[0] = 0;
        tests[i].fn();
        if (tmpdir[0]) {
            char cmd[300];
            snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
            if (system(cmd) != 0) fprintf(stderr, "  (could not remove %s)\n", tmpdir);
        }
        if (cur_failed) {
            fprintf(stderr, "FAIL %s (%s)\n", tests[i].name, tests[i].file);
            failed++;
        } else {
            passed++;
        }
    }
    printf("unit: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
