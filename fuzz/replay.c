/* replay.c - feeds files to a fuzz target without libFuzzer.
 *
 * Usage: replay DIR|FILE...  Every regular file of each directory (not
 * recursive), and each file named, goes through LLVMFuzzerTestOneInput
 * once; prints "replayed N inputs". Exit status 0, or 1 if a path could
 * not be read. A contract violation aborts inside the target. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Run one file through the target; 0 or -1 if unreadable. */
static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    int rc = 0;
    if (!f) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return -1;
    }
    for (;;) {
        size_t got;
        if (len == cap) {
            size_t ncap = cap ? cap * 2 : 4096;
            uint8_t *nb = realloc(buf, ncap);
            if (!nb) {
                fprintf(stderr, "replay: out of memory reading %s\n", path);
                rc = -1;
                goto out;
            }
            buf = nb;
            cap = ncap;
        }
        got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0) break;
    }
    if (ferror(f)) {
        fprintf(stderr, "replay: read error on %s\n", path);
        rc = -1;
        goto out;
    }
    /* an exact-size copy, so ASan catches reads past the end */
    {
        uint8_t *exact = malloc(len ? len : 1);
        if (!exact) {
            rc = -1;
            goto out;
        }
        if (len) memcpy(exact, buf, len);
        LLVMFuzzerTestOneInput(exact, len);
        free(exact);
    }
out:
    free(buf);
    fclose(f);
    return rc;
}

int main(int argc, char **argv)
{
    long count = 0;
    int i, bad = 0;
    for (i = 1; i < argc; i++) {
        struct stat st;
        DIR *d;
        struct dirent *e;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "replay: no such file or directory: %s\n", argv[i]);
            bad = 1;
            continue;
        }
        if (!S_ISDIR(st.st_mode)) {
            if (replay_file(argv[i]) == 0) count++;
            else bad = 1;
            continue;
        }
        d = opendir(argv[i]);
        if (!d) {
            fprintf(stderr, "replay: cannot open directory %s\n", argv[i]);
            bad = 1;
            continue;
        }
        while ((e = readdir(d)) != NULL) {
            char path[4096];
            struct stat fs;
            if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
                continue;
            if ((size_t)snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name) >= sizeof path) continue;
            if (stat(path, &fs) != 0 || !S_ISREG(fs.st_mode)) continue;
            if (replay_file(path) == 0) count++;
            else bad = 1;
        }
        closedir(d);
    }
    printf("replayed %ld inputs\n", count);
    return bad;
}
