/* lsp.h - `tacit lsp`: a Language Server over a pair of file descriptors.
 *
 * Protocol (LSP 3.17, plus 3.18's textDocument/inlineCompletion)
 *   lifecycle   initialize / initialized / shutdown / exit. Requests before
 *               initialize: ServerNotInitialized (-32002); after shutdown:
 *               InvalidRequest (-32600). exit ends the run with 0 after
 *               shutdown, 1 otherwise; so does end of input. "params":
 *               null is the same as no params.
 *   positions   negotiated from general.positionEncodings: "utf-8" when the
 *               client offers it, else "utf-16". Positions past the end of
 *               a line or of the document clamp to that end.
 *   documents   didOpen / didChange (full and incremental) / didSave /
 *               didClose. A document over maxFileSize is refused with a log
 *               message (requests on it answer empty until it shrinks).
 *   suggestions textDocument/inlineCompletion -> {items:[{insertText,
 *               range, command}]}; textDocument/completion -> one item
 *               with a textEdit (clients without inline support). A
 *               request made stale by a later didChange or a later request
 *               of the same kind for the same document answers empty;
 *               $/cancelRequest answers RequestCancelled (-32800).
 *   servers     with a model server configured (settings below), every
 *               suggestion goes through the session (suggest/session.h);
 *               the server's request runs on libcurl's multi handle in
 *               this thread's poll loop, which keeps reading and answering
 *               meanwhile. Its answer, if it beats general.deadline_ms,
 *               reaches the client as the notification
 *               tacit/suggestionUpdated {textDocument:{uri,version},
 *               position, requestId, items} after the embedded reply
 *               (clients declaring experimental.tacit.suggestionUpdated),
 *               or in the reply itself, which then waits up to the
 *               deadline (other clients). A later request, a didChange or
 *               didClose of the document, or $/cancelRequest aborts it on
 *               the wire.
 *   acceptance  the item's command "tacit.accept" (workspace/
 *               executeCommand) or the notification tacit/didAccept
 *               {textDocument:{uri}, text, acceptedText?} report what the
 *               user took; it feeds the local model, nothing leaves the
 *               machine.
 *   settings    initializationOptions and workspace/didChangeConfiguration
 *               (settings, or settings.tacit): threshold (0..1), mode
 *               ("full"|"ngram"|"copy"), maxFileSize (bytes), debounce
 *               (ms), completion (bool: answer textDocument/completion),
 *               watch ("auto"|"poll"|"off"), reindexInterval (s),
 *               serverAnswers ("auto"|"notify"|"wait"); the other keys
 *               (backend, deadline_ms, context, privacy, backends) are the
 *               server settings of backend/config.h, after the settings
 *               file and the environment.
 *   workspace   the open buffers are context at once; the workspace is
 *               indexed on a background thread (with $/progress when the
 *               client supports window.workDoneProgress) and swapped in
 *               when ready. workspace/didChangeWatchedFiles, or, when the
 *               client does not register watchers, a periodic re-index on
 *               the index's fast path while the user is idle.
 *   outcomes    what became of each suggestion shown (accepted, in part,
 *               dismissed; still there 30 s, 2 min, 10 min later) goes to
 *               the local store of `tacit stats` (lsp/outcomes.c,
 *               stats/stats.h) unless stats.enabled is false.
 *   extras      tacit/stats (counters, which engine answers, the server's
 *               requests, answers, late and failed ones, pending, and
 *               "outcomes") and
 *               tacit/document (the server's copy of a document), for tests
 *               and for debugging a client.
 *   errors      malformed headers and oversize messages are logged
 *               (window/logMessage) and skipped (a Content-Length over
 *               1 GiB is a malformed header: the reader resynchronises); invalid JSON answers
 *               ParseError (-32700) with id null; unknown requests
 *               MethodNotFound (-32601); unknown notifications are ignored.
 *
 * Threads: the caller's thread serves every message and drives the model
 * server's transfers; one background thread at a time builds an engine. Log messages (tc_warn/tc_info) go to the
 * client as window/logMessage while the server runs.
 */
#ifndef TC_LSP_H
#define TC_LSP_H

#include <stddef.h>

typedef struct tc_lsp_opts {
    const char *cache_dir; /* index folder; NULL: the index's default
                              ($TACIT_CACHE_DIR, $XDG_CACHE_HOME/tacit/...) */
    int no_index;          /* 1: never index the workspace: the engine sees
                              the open buffers only (tests, fuzzing) */
    int no_watch;          /* 1: no periodic re-index */
    /* Server settings from the command line: they override the settings
     * file, the environment and initializationOptions. */
    const char *config_file; /* --config FILE; NULL: the default path */
    const char *backend;     /* --backend NAME ("none": the embedded model alone) */
    int deadline_ms;         /* --deadline MS; <0 (or 0 in a zeroed struct: see
                                deadline_set): from the settings */
    int deadline_set;        /* 1: deadline_ms was given */
} tc_lsp_opts;

/* Serve LSP messages read from in_fd, writing replies to out_fd, until
 * exit, end of input or an unwritable output. Returns the process exit
 * status: 0 when exit (or end of input) follows shutdown, 1 otherwise.
 * Never exits the process; SIGPIPE is ignored from the first call on. */
int tc_lsp_run(const tc_lsp_opts *opts, int in_fd, int out_fd);

/* `tacit lsp [--stdio] [--cache-dir DIR] [--no-index] [--backend NAME|none]
 * [--deadline MS] [--config FILE]`: argv[0] is "lsp". Returns the exit
 * status (2 on a usage error). */
int tc_lsp_main(int argc, char **argv);

#endif
