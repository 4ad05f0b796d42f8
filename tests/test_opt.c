/* test_opt.c - command-line option values (src/util/opt.c). */
#include "test.h"
#include "util/opt.h"
#include "util/status.h"

#include <stdint.h>

TC_TEST(opt_parse_numbers_whole_and_in_range)
{
    long long i = 42;
    uint64_t u = 7;
    double d = 0.5;
    TC_CHECK_EQ_INT(tc_opt_parse_int("50", 1, 100, &i), TC_OK);
    TC_CHECK_EQ_INT(i, 50);
    TC_CHECK_EQ_INT(tc_opt_parse_int("-5", 1, 100, &i), TC_EINVAL);
    TC_CHECK_EQ_INT(tc_opt_parse_int("0", 1, 100, &i), TC_EINVAL);
    TC_CHECK_EQ_INT(tc_opt_parse_int("101", 1, 100, &i), TC_EINVAL);
    TC_CHECK_EQ_INT(tc_opt_parse_int("5x", 1, 100, &i), TC_EINVAL);
    TC_CHECK_EQ_INT(tc_opt_parse_int("", 1, 100, &i), TC_EINVAL);
    TC_CHECK_EQ_INT(tc_opt_parse_int(" 5", 1, 100, &i), TC_EINVAL);
    TC_CHECK_EQ_INT(tc_opt_parse_int("99999999999999999999", 1, 100, &i), TC_EINVAL);
    TC_CHECK_EQ_INT(i, 50); /* unchanged by the failures */
    TC_CHECK_EQ_INT(tc_opt_parse_u64("18446744073709551615", &u), TC_OK);
    TC_CHECK(u == UINT64_MAX);
    TC_CHECK_EQ_INT(tc_opt_parse_u64("18446744073709551616", &u), TC_EINVAL);
    TC_CHECK_EQ_INT(tc_opt_parse_u64("-1", &u), TC_EINVAL);
    TC_CHECK_EQ_INT(tc_opt_parse_u64("abc", &u), TC_EINVAL);
    TC_CHECK_EQ_INT(tc_opt_parse_double("0.25", 0, 1, &d), TC_OK);
    TC_CHECK(d == 0.25);
    TC_CHECK_EQ_INT(tc_opt_parse_double("7", 0, 1, &d), TC_EINVAL);
    TC_CHECK_EQ_INT(tc_opt_parse_double("nan", 0, 1, &d), TC_EINVAL);
    TC_CHECK_EQ_INT(tc_opt_parse_double("0.5.", 0, 1, &d), TC_EINVAL);
    TC_CHECK(d == 0.25);
}

TC_TEST(opt_parse_size_suffixes)
{
    uint64_t v = 0;
    TC_CHECK_EQ_INT(tc_opt_parse_size("4096", 1, 1u << 30, &v), TC_OK);
    TC_CHECK_EQ_INT(v, 4096);
    TC_CHECK_EQ_INT(tc_opt_parse_size("2M", 1, 1u << 30, &v), TC_OK);
    TC_CHECK_EQ_INT(v, 2 << 20);
    TC_CHECK_EQ_INT(tc_opt_parse_size("512KiB", 1, 1u << 30, &v), TC_OK);
    TC_CHECK_EQ_INT(v, 512 << 10);
    TC_CHECK_EQ_INT(tc_opt_parse_size("1g", 1, 1u << 30, &v), TC_OK);
    TC_CHECK_EQ_INT(v, 1 << 30);
    TC_CHECK_EQ_INT(tc_opt_parse_size("2G", 1, 1u << 30, &v), TC_EINVAL);
    TC_CHECK_EQ_INT(tc_opt_parse_size("-1", 1, 1u << 30, &v), TC_EINVAL);
    TC_CHECK_EQ_INT(tc_opt_parse_size("0", 1, 1u << 30, &v), TC_EINVAL);
    TC_CHECK_EQ_INT(tc_opt_parse_size("3X", 1, 1u << 30, &v), TC_EINVAL);
    TC_CHECK_EQ_INT(tc_opt_parse_size("99999999999999G", 1, UINT64_MAX, &v), TC_EINVAL); /* overflow */
    TC_CHECK_EQ_INT(v, 1 << 30);
}

TC_TEST(opt_walk_values_flags_and_errors)
{
    char *argv[] = {"tacit", "eval", "--mask=5", "--json", "--seed", "9", "--cases", NULL};
    int argc = 7;
    tc_args a = tc_args_at(argc, argv, 2);
    long long n = 0;
    uint64_t s = 0;
    const char *cases = "unset";
    int json = 0;
    TC_CHECK(tc_opt_int(&a, "--mask", 1, 10, &n) && !a.err && n == 5);
    a.i++;
    TC_CHECK(!tc_opt_int(&a, "--mask", 1, 10, &n)); /* not this option */
    TC_CHECK(!tc_opt_flag(&a, "--js"));              /* no prefix matching */
    TC_CHECK(tc_opt_flag(&a, "--json"));
    json = 1;
    a.i++;
    TC_CHECK(tc_opt_u64(&a, "--seed", &s) && !a.err && s == 9 && a.i == 5);
    a.i++;
    /* a missing value: matched, error set, value left alone */
    TC_CHECK(tc_opt_str(&a, "--cases", &cases));
    TC_CHECK_EQ_INT(a.err, TC_EINVAL);
    TC_CHECK_STR(cases, "unset");
    TC_CHECK(json);
}
