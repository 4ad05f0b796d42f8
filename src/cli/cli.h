/* cli.h - `tacit complete`, `tacit explain` and `tacit doctor`: thin
 * callers of the session (suggest/session.h).
 *
 *   tacit complete PATH:LINE:COL [--root DIR] [--buffer FILE|-] [--json]
 *                  [--backend NAME|none] [--deadline MS] [--threshold T]
 *                  [--mode full|ngram|copy] [--config FILE] [-q] [index options]
 *       the embedded suggestion, replaced by the selected server's when it
 *       answers within the deadline (general.backend, TACIT_BACKEND or
 *       --backend; none: the embedded model alone).
 *   tacit explain PATH:LINE:COL [--backend NAME] [--prompt] [--naive]
 *                 [--root DIR] [--buffer FILE|-] [--config FILE] [--deadline MS]
 *       prints the exact HTTP request tacit would send for that cursor
 *       (method and URL, headers, blank line, body byte for byte; an API
 *       key shows as ${VARIABLE}); with --prompt, the prompt as the model
 *       sees it. A summary of the context goes to stderr (-q: none).
 *       --deadline bounds the probe of the server.
 *   tacit doctor [--backend NAME|none] [--config FILE]
 *       where each setting came from, then for each backend: reachable,
 *       model, FIM support and family, tokenizer, latency of a sample
 *       request; a chat/instruct model is named as such. Each check waits
 *       up to general.deadline_ms (at least 1 s). Exit 1 if a backend
 *       fails a check.
 * Settings: defaults < settings file < environment < flags, the same for
 * the three commands and `tacit lsp` (which puts initializationOptions
 * before the flags). A flag that means nothing for a command is refused.
 * Each returns the process exit status: 0 ok, 1 failure, 2 usage error.
 */
#ifndef TC_CLI_H
#define TC_CLI_H

int tc_cmd_complete(int argc, char **argv);
int tc_cmd_explain(int argc, char **argv);
int tc_cmd_doctor(int argc, char **argv);
/* tacit stats [--json] [--ascii] [--files N] [--store FILE]: acceptance
 * and retention of the suggestions `tacit lsp` recorded (src/cli/stats.c). */
int tc_cmd_stats(int argc, char **argv);
/* tacit shell init|record|suggest|import|export|eval (cli/shell.c). */
int tc_cmd_shell(int argc, char **argv);

#endif
