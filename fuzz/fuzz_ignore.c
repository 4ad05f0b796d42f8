/* fuzz_ignore.c - libFuzzer target for the gitignore parser and matcher.
 *
 * Input: one flag byte (bit 0: the path is a directory; bit 1: glob in
 * pathname mode; bit 2: also push the rules as a nested level), then the
 * rule text up to the first NUL byte, then the path. The rules are added
 * to the exclude level (and, with bit 2, to a level for the path's first
 * component), the path is matched, and the first rule line is run through
 * the globber against the path. Nothing may crash, leak or read out of
 * bounds. */
#include "workspace/ignore.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul;
    size_t rules_len, path_len, dir_len, line_len;
    char *path, *dir, *line;
    tc_ignore *ig;
    unsigned flags;

    if (size < 1) return 0;
    flags = data[0];
    data++;
    size--;
    nul = memchr(data, 0, size);
    rules_len = nul ? (size_t)(nul - data) : size;
    path_len = nul ? size - rules_len - 1 : 0;

    path = malloc(path_len + 1);
    if (!path) return 0;
    if (path_len) memcpy(path, nul + 1, path_len);
    path[path_len] = '\0';
    for (dir_len = 0; path[dir_len] && path[dir_len] != '/'; dir_len++) {}
    dir = strndup(path, dir_len);
    for (line_len = 0; line_len < rules_len && data[line_len] != '\n'; line_len++) {}
    line = strndup((const char *)data, line_len);

    ig = tc_ignore_new();
    if (ig && dir && line) {
        /* the rule text is passed without a terminating NUL on purpose */
        tc_ignore_add(ig, "", (const char *)data, rules_len);
        (void)tc_ignore_match(ig, path, flags & 1);
        if (flags & 4) {
            if (tc_ignore_push_dir(ig, dir, "/nonexistent/fuzz") == 0) {
                tc_ignore_add(ig, dir, (const char *)data, rules_len);
                (void)tc_ignore_match(ig, path, flags & 1);
                tc_ignore_pop(ig);
            }
        }
        (void)tc_ignore_glob_match(line, path, (flags >> 1) & 1);
    }
    tc_ignore_free(ig);
    free(line);
    free(dir);
    free(path);
    return 0;
}
