/* fuzz_lsp.c - libFuzzer target for the language server.
 *
 * The input is the byte stream a client sends. Two checks:
 *   1. framing: the reader yields the same events whether the stream comes
 *      whole or in pieces (sizes taken from the input itself);
 *   2. the server: the stream goes through the real transport, dispatcher,
 *      documents and engine (tc_lsp_run over a memory file; replies to
 *      /dev/null), with no workspace indexing, and must end by itself with
 *      status 0 or 1.
 * Sanitizers catch the rest. */
#include "lsp/lsp.h"
#include "lsp/lsp_int.h"
#include "util/buf.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Events of the reader over data, fed in pieces of the given sizes (0:
 * whole), as a string. */
static void reader_events(const uint8_t *data, size_t size, const uint8_t *sizes, size_t nsizes, tc_buf *out)
{
    lsp_reader r;
    size_t i = 0, k = 0;
    out->len = 0;
    tc_buf_puts(out, "");
    lsp_rd_init(&r, 4096);
    while (i < size) {
        size_t n = nsizes ? (size_t)sizes[k++ % nsizes] % 64 + 1 : size;
        char *body;
        size_t len;
        const char *what;
        int ev;
        if (n > size - i) n = size - i;
        lsp_rd_feed(&r, (const char *)data + i, n);
        i += n;
        while ((ev = lsp_rd_next(&r, &body, &len, &what)) != LSP_EV_NONE) {
            tc_buf_printf(out, "%d:%zu:", ev, len);
            if (body) tc_buf_append(out, body, len);
            tc_buf_puts(out, ";");
            free(body);
        }
    }
    tc_buf_printf(out, "partial=%d", lsp_rd_partial(&r));
    lsp_rd_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int devnull = -1;
    tc_buf whole = {0}, pieces = {0};
    tc_lsp_opts o = {0};
    int fd, rc;
    reader_events(data, size, NULL, 0, &whole);
    reader_events(data, size, data, size < 16 ? size : 16, &pieces);
    if (strcmp(whole.data, pieces.data) != 0) abort();
    tc_buf_free(&whole);
    tc_buf_free(&pieces);

    if (devnull < 0) devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
    fd = memfd_create("fuzz_lsp", MFD_CLOEXEC);
    if (fd < 0 || devnull < 0) abort();
    if (size && write(fd, data, size) != (ssize_t)size) abort();
    lseek(fd, 0, SEEK_SET);
    o.no_index = 1;
    o.no_watch = 1;
    /* outcomes are tracked, but their store cannot be created: no disk writes */
    setenv("XDG_STATE_HOME", "/proc/self/tacit-fuzz-no-state", 1);
    rc = tc_lsp_run(&o, fd, devnull);
    close(fd);
    if (rc != 0 && rc != 1) abort();
    return 0;
}
