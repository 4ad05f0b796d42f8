/* config.h - tacit's settings: one file, environment variables, LSP
 * initializationOptions, command-line flags.
 *
 * Precedence (each later source overrides the earlier, key by key):
 *   1. built-in defaults
 *   2. the settings file: $TACIT_CONFIG, else $XDG_CONFIG_HOME/tacit/config.ini,
 *      else ~/.config/tacit/config.ini (INI, read with libinih)
 *   3. environment variables: TACIT_<SECTION>_<KEY> (TACIT_CONTEXT_MAX_TOKENS,
 *      TACIT_PRIVACY_SECRET_FILES, TACIT_STATS_ENABLED), TACIT_BACKEND_<NAME>_<KEY>
 *      (TACIT_BACKEND_LOCAL_URL), and the shorthands TACIT_BACKEND (which
 *      backend) and TACIT_DEADLINE_MS
 *   4. LSP initializationOptions (an object; see tc_config_load_json)
 *   5. command-line flags (--backend NAME)
 * A workspace never configures tacit (no per-repository file): a cloned
 * repository must not be able to send its reader's code elsewhere.
 *
 * The file (docs/backends.md has the full list of keys):
 *   [general]
 *   backend = local            ; the backend to use; "none": embedded only
 *   deadline_ms = 400          ; how long a server may take to replace the
 *                              ; embedded suggestion
 *   [context]
 *   max_tokens = 2048          ; prefix + suffix + extra chunks
 *   [privacy]
 *   secret_files = *.tfvars, deploy/keys/x.*  ; added to the built-in list
 *   [stats]
 *   enabled = true             ; record suggestion outcomes on this machine
 *                              ; (stats/stats.h, `tacit stats`); false: none
 *   keep_days = 90             ; outcomes older than this are deleted
 *   [backend.local]
 *   type = llama               ; llama | openai | mistral | ollama
 *   url = http://127.0.0.1:8012
 *   api_key_env = MY_KEY       ; the key itself never goes in the file
 * A backend named like a type (llama, openai, mistral, ollama) needs no
 * `type`. API keys are read from the environment variable named by
 * api_key_env at request time and never stored or printed.
 */
#ifndef TC_CONFIG_H
#define TC_CONFIG_H

#include "context/context.h"
#include "prompt/prompt.h"

#include <cjson/cJSON.h>
#include <stddef.h>

typedef enum tc_backend_type {
    TC_BACKEND_NONE = 0,
    TC_BACKEND_LLAMA,   /* llama.cpp server: /infill, /props, /tokenize */
    TC_BACKEND_OPENAI,  /* OpenAI-compatible /v1/completions (vLLM, LM Studio, TGI, llama.cpp, hosted) */
    TC_BACKEND_MISTRAL, /* Mistral /v1/fim/completions (Codestral) */
    TC_BACKEND_OLLAMA,  /* Ollama /api/generate */
    TC_BACKEND_TYPE_COUNT
} tc_backend_type;

const char *tc_backend_type_name(tc_backend_type t);

#define TC_CONFIG_MAX_BACKENDS 8

typedef struct tc_backend_cfg {
    char name[32];
    tc_backend_type type;
    char *url;             /* base URL (owned); default per type */
    char *model;           /* model name sent (OpenAI, Mistral, Ollama) (owned) */
    char *api_key_env;     /* environment variable holding the API key (owned) */
    tc_fim_family fim;     /* AUTO: from the server's facts */
    int raw;               /* 1: send tacit's own FIM prompt (llama: /completion,
                              ollama: raw); 0: the server's FIM (llama /infill,
                              ollama suffix). OpenAI always sends its own. */
    int connect_ms;        /* connect deadline; default 200 (local), 1000 (remote) */
    int first_byte_ms;     /* first byte of the reply; default 1500 */
    int total_ms;          /* whole request; default 5000 */
    int n_predict;         /* tokens to generate at most; default 64 */
    double temperature;    /* default 0 */
    int max_tokens;        /* prompt budget (context.max_tokens when 0) */
    int n_batch;           /* llama: the server's -b (its /infill limits); default 2048 */
    int stream;            /* 1 (default): stream, so a first line shows early */
    int warmup;            /* 1 (default): warm the server's cache when the chunks change */
} tc_backend_cfg;

typedef struct tc_config {
    char *backend;         /* general.backend (owned); NULL or "none": embedded only */
    int deadline_ms;       /* general.deadline_ms; default 400 */
    tc_ctx_opts ctx;       /* [context] */
    char *secret_files;    /* privacy.secret_files (owned), added to the defaults */
    int stats_enabled;     /* stats.enabled: 1 (default) records outcomes, 0 nothing */
    int stats_keep_days;   /* stats.keep_days: days outcomes are kept; default 90 */
    tc_backend_cfg b[TC_CONFIG_MAX_BACKENDS];
    size_t nb;
    char *file;            /* the settings file read (owned), NULL if none */
    char **origin;         /* "key = value  (source)" per setting applied (owned) */
    size_t norigin;
} tc_config;

/* Defaults. TC_OK. */
int tc_config_init(tc_config *c);
void tc_config_free(tc_config *c);

/* Set one key from a source (for `tacit doctor`: "file", "env TACIT_X", ...).
 * section: "general", "context", "privacy", "stats" or "backend.NAME". On error
 * writes a message to err and returns TC_EINVAL; the config is unchanged. */
int tc_config_set(tc_config *c, const char *section, const char *key, const char *value, const char *source,
                  char *err, size_t errlen);

/* The settings file's path by the rules above (into buf). */
const char *tc_config_default_path(char *buf, size_t n);
/* Read an INI file. TC_ENOENT if it does not exist; TC_EINVAL with a
 * message "PATH:LINE: ..." in err for a bad line. */
int tc_config_load_file(tc_config *c, const char *path, char *err, size_t errlen);
/* Apply TACIT_* variables from envp (NULL: environ). */
int tc_config_load_env(tc_config *c, char **envp, char *err, size_t errlen);
/* Apply LSP initializationOptions: an object (optionally wrapped in
 * {"tacit": ...}) with general keys at the top ("backend", "deadline_ms"),
 * "context" and "privacy" objects, and "backends": {NAME: {KEY: VALUE}}.
 * Values may be strings, numbers, booleans or (secret_files) arrays. */
int tc_config_load_json(tc_config *c, const cJSON *opts, char *err, size_t errlen);
/* defaults < file (path NULL: the default path; missing is fine) < env. */
int tc_config_load(tc_config *c, const char *path, char *err, size_t errlen);

/* A backend by name (NULL: the selected one). NULL if none (or "none"). */
const tc_backend_cfg *tc_config_backend(const tc_config *c, const char *name);

#endif
