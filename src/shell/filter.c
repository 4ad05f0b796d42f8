/* filter.c - which shell commands may be kept; see filter.h. */
#include "shell/filter.h"

#include "context/secrets.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

#define MAX_WORDS 256
#define MAX_WORD 4096

const char *tc_shell_verdict_name(tc_shell_verdict v)
{
    switch (v) {
    case TC_SHELL_KEEP: return "keep";
    case TC_SHELL_SPACE: return "space";
    case TC_SHELL_EMPTY: return "empty";
    case TC_SHELL_IGNORED: return "ignored";
    case TC_SHELL_SECRET: return "secret";
    }
    return "?";
}

/* 1 if cmd matches one of the ':'-separated globs of ignore. */
static int ignored(const char *cmd, const char *ignore)
{
    char pat[1024];
    const char *p = ignore;
    while (p && *p) {
        const char *e = strchr(p, ':');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n > 0 && n < sizeof pat) {
            memcpy(pat, p, n);
            pat[n] = 0;
            if (fnmatch(pat, cmd, 0) == 0) return 1;
        }
        p = e ? e + 1 : NULL;
    }
    return 0;
}

/* 1 if the detector finds a secret in s[0..n) (or cannot scan it). */
static int scan_finds(const char *s, size_t n)
{
    tc_secrets sp = {0};
    int found = tc_secrets_scan(s, n, &sp) != 0 || sp.n > 0;
    tc_secrets_free(&sp);
    return found;
}

/* Split cmd into words at unquoted blanks, quotes removed (a rough shell
 * reading, enough to see options and their values). Returns the count. */
static size_t split_words(const char *cmd, char words[][MAX_WORD], size_t maxw)
{
    size_t nw = 0, len = 0;
    int in = 0;
    char q = 0;
    for (const char *p = cmd;; p++) {
        char c = *p;
        if (!c || (!q && (c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '|' || c == '&'))) {
            if (in && nw < maxw) {
                words[nw][len] = 0;
                nw++;
            }
            in = 0;
            len = 0;
            if (!c) break;
            continue;
        }
        in = 1;
        if (q) {
            if (c == q) {
                q = 0;
                continue;
            }
        } else if (c == '\'' || c == '"') {
            q = c;
            continue;
        } else if (c == '\\' && p[1]) {
            c = *++p;
        }
        if (nw < maxw && len + 1 < MAX_WORD) words[nw][len++] = c;
    }
    return nw;
}

/* The program word: the last path component of w. */
static const char *base(const char *w)
{
    const char *s = strrchr(w, '/');
    return s ? s + 1 : w;
}

/* 1 if option name (without dashes) with value v reads as a secret when
 * judged as the assignment NAME=v. */
static int option_secret(const char *name, size_t nlen, const char *v)
{
    char kv[MAX_WORD + 128];
    size_t i, k = 0;
    if (nlen == 0 || nlen > 100 || !*v || *v == '-') return 0;
    for (i = 0; i < nlen; i++) kv[k++] = name[i] == '-' ? '_' : name[i];
    kv[k++] = '=';
    k += (size_t)snprintf(kv + k, sizeof kv - k, "%s", v);
    if (k >= sizeof kv) k = sizeof kv - 1;
    return scan_finds(kv, k);
}

static int words_secret(char words[][MAX_WORD], size_t nw)
{
    const char *prog = NULL;
    for (size_t i = 0; i < nw; i++) {
        const char *w = words[i];
        /* The program: the first word that is not an assignment. */
        if (!prog && !strchr(w, '=')) prog = base(w);
        if (w[0] == '-' && w[1] == '-' && w[2]) {
            const char *eq = strchr(w, '=');
            if (eq && option_secret(w + 2, (size_t)(eq - w - 2), eq + 1)) return 1;
            if (!eq && i + 1 < nw && option_secret(w + 2, strlen(w + 2), words[i + 1])) return 1;
        }
        if (!prog) continue;
        if ((!strcmp(prog, "mysql") || !strcmp(prog, "mariadb") || !strcmp(prog, "mysqldump") ||
             !strcmp(prog, "mysqladmin")) &&
            w[0] == '-' && w[1] == 'p' && w[2] && w[2] != '$')
            return 1;
        if (!strcmp(prog, "sshpass") && !strcmp(w, "-p") && i + 1 < nw && words[i + 1][0] != '$') return 1;
        if (!strcmp(prog, "curl") && (!strcmp(w, "-u") || !strcmp(w, "--user")) && i + 1 < nw) {
            const char *c = strchr(words[i + 1], ':');
            if (c && c[1] && c[1] != '$') return 1;
        }
    }
    return 0;
}

tc_shell_verdict tc_shell_filter_check(const char *cmd, const char *ignore)
{
    static char words[MAX_WORDS][MAX_WORD];
    const char *p;
    size_t nw;
    if (!cmd) return TC_SHELL_EMPTY;
    if (cmd[0] == ' ' || cmd[0] == '\t') return TC_SHELL_SPACE;
    for (p = cmd; *p && isspace((unsigned char)*p); p++) {}
    if (!*p) return TC_SHELL_EMPTY;
    if (ignored(cmd, ignore)) return TC_SHELL_IGNORED;
    if (scan_finds(cmd, strlen(cmd))) return TC_SHELL_SECRET;
    nw = split_words(cmd, words, MAX_WORDS);
    /* The unquoted words again, scanned one by one: `-H Authorization:...`
     * quoted on the line reads the same. */
    for (size_t i = 0; i < nw; i++)
        if (scan_finds(words[i], strlen(words[i]))) return TC_SHELL_SECRET;
    if (words_secret(words, nw)) return TC_SHELL_SECRET;
    return TC_SHELL_KEEP;
}
