/* cli.h - the command-line face of the server backends.
 *
 *   tacit explain PATH:LINE:COL [--backend NAME] [--prompt] [--root DIR]
 *                 [--buffer FILE|-] [--config FILE] [--naive]
 *       prints the exact HTTP request tacit would send for that cursor
 *       (method and URL, headers, blank line, body byte for byte; an API
 *       key shows as ${VARIABLE}); with --prompt, the prompt as the model
 *       sees it. A summary of the context goes to stderr (-q: none).
 *   tacit doctor [--backend NAME] [--config FILE]
 *       where each setting came from, then for each backend: reachable,
 *       model, FIM support and family, tokenizer, latency of a sample
 *       request; a chat/instruct model is named as such. Exit 1 if a
 *       backend fails a check.
 *   tacit complete PATH:LINE:COL --backend NAME [--deadline MS] [...]
 *       the embedded suggestion, replaced by the server's if it answers
 *       within the deadline (settings: general.deadline_ms).
 * Each returns the process exit status (0 ok, 1 failure, 2 usage).
 */
#ifndef TC_BACKEND_CLI_H
#define TC_BACKEND_CLI_H

int tc_cmd_explain(int argc, char **argv);
int tc_cmd_doctor(int argc, char **argv);
int tc_cmd_complete_backend(int argc, char **argv);
/* 1 if argv holds --backend (then `complete` goes to tc_cmd_complete_backend). */
int tc_cli_has_backend(int argc, char **argv);

#endif
