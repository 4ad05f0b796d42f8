/* opt.h - command-line options: values, numbers with ranges, one-line errors.
 *
 * A command walks its arguments with a tc_args cursor and tries each option
 * it knows in turn; every tc_opt_* returns 1 when argv[i] is that option
 * (consumed, i advanced past its value) and 0 when it is not. A matched
 * option with a missing or bad value prints one line to stderr
 * ("tacit: --mask takes an integer from 1 to 1000000, got '-5'"), sets
 * a->err to TC_EINVAL and leaves *out unchanged; the caller then exits 2.
 * Options with a value take it as the next argument or after '='
 * (--mask 50, --mask=50); the next argument is taken even when it starts
 * with '-', so "--mask -5" is a bad value, not a missing one.
 *
 *   tc_args a = tc_args_at(argc, argv, 2);
 *   for (; a.i < argc && !a.err; a.i++) {
 *       if (tc_opt_flag(&a, "--json")) json = 1;
 *       else if (tc_opt_int(&a, "--mask", 1, 1000000, &n)) mask = n;
 *       else ...unknown: tc_opt_unknown(&a, "eval");
 *   }
 */
#ifndef TC_OPT_H
#define TC_OPT_H

#include <stdint.h>

/* The largest --max-file-size any command takes: files are read whole. */
#define TC_OPT_MAX_FILE_SIZE (1ull << 30)

typedef struct tc_args {
    int argc;
    char **argv;
    int i;   /* the argument being looked at */
    int err; /* TC_OK, or TC_EINVAL once a message was printed */
} tc_args;

tc_args tc_args_at(int argc, char **argv, int i);

/* An option without a value ("--json"); "--json=x" is an error. */
int tc_opt_flag(tc_args *a, const char *name);
/* An option with a string value (any text, empty included; a next
 * argument that starts with "--" is taken for a forgotten value, an error,
 * while "--out=--x" names a file "--x"). */
int tc_opt_str(tc_args *a, const char *name, const char **out);
/* A decimal integer in [lo, hi]. */
int tc_opt_int(tc_args *a, const char *name, long long lo, long long hi, long long *out);
/* Any unsigned 64-bit decimal integer (a seed). */
int tc_opt_u64(tc_args *a, const char *name, uint64_t *out);
/* A finite decimal number in [lo, hi]. */
int tc_opt_double(tc_args *a, const char *name, double lo, double hi, double *out);
/* A size in bytes in [lo, hi]: an integer with an optional K, M or G
 * suffix (powers of 1024, "KiB"/"MB" spellings accepted). */
int tc_opt_size(tc_args *a, const char *name, uint64_t lo, uint64_t hi, uint64_t *out);
/* One word of choices (a NULL-terminated list); *out gets its index. */
int tc_opt_choice(tc_args *a, const char *name, const char *const *choices, int *out);

/* Report argv[i] as an unknown option ("-x" or "--x") or an unexpected
 * argument, mentioning `tacit help CMD`; sets a->err. Always returns 0. */
int tc_opt_unknown(tc_args *a, const char *cmd);

/* The parsers behind the options: TC_OK, or TC_EINVAL (nothing printed,
 * *out unchanged) for text that is not a whole number in range. */
int tc_opt_parse_int(const char *s, long long lo, long long hi, long long *out);
int tc_opt_parse_u64(const char *s, uint64_t *out);
int tc_opt_parse_double(const char *s, double lo, double hi, double *out);
int tc_opt_parse_size(const char *s, uint64_t lo, uint64_t hi, uint64_t *out);

#endif
