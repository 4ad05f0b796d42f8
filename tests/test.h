/* test.h - tacit's minimal unit-test harness.
 *
 * Each tests/test_*.c file defines tests with TC_TEST(name) { ... } and checks
 * with TC_CHECK(cond) / TC_CHECK_EQ_INT(a, b) / TC_CHECK_STR(a, b). All test
 * files link into one runner (tests/main.c) that runs every registered test
 * (or those whose name contains argv[1]) and ends with the summary line
 * "N passed, N failed". A test fails if any check in it fails. */
#ifndef TC_TEST_H
#define TC_TEST_H

#include <stdio.h>
#include <string.h>

typedef void (*tc_test_fn)(void);
void tc_test_register(const char *name, const char *file, tc_test_fn fn);
void tc_test_fail(const char *file, int line, const char *what);
/* A scratch directory for the running test (created fresh, removed after). */
const char *tc_test_tmpdir(void);
/* Write n bytes of text to dir/rel, making its folders; a failure fails
 * the running test. tc_test_put writes a NUL-terminated text. */
void tc_test_write(const char *dir, const char *rel, const char *text, size_t n);
#define tc_test_put(dir, rel, text) tc_test_write((dir), (rel), (text), strlen(text))

#define TC_TEST(name)                                                   \
    static void test_##name(void);                                      \
    __attribute__((constructor)) static void test_reg_##name(void)      \
    {                                                                   \
        tc_test_register(#name, __FILE__, test_##name);                 \
    }                                                                   \
    static void test_##name(void)

#define TC_CHECK(c)                                                     \
    do {                                                                \
        if (!(c)) tc_test_fail(__FILE__, __LINE__, #c);                 \
    } while (0)

#define TC_CHECK_EQ_INT(a, b)                                           \
    do {                                                                \
        long long tc_a_ = (long long)(a), tc_b_ = (long long)(b);       \
        if (tc_a_ != tc_b_) {                                           \
            char tc_m_[256];                                            \
            snprintf(tc_m_, sizeof tc_m_, "%s == %s (%lld vs %lld)",    \
                     #a, #b, tc_a_, tc_b_);                             \
            tc_test_fail(__FILE__, __LINE__, tc_m_);                    \
        }                                                               \
    } while (0)

#define TC_CHECK_STR(a, b)                                              \
    do {                                                                \
        const char *tc_a_ = (a), *tc_b_ = (b);                          \
        if (!tc_a_ || !tc_b_ || strcmp(tc_a_, tc_b_) != 0) {            \
            char tc_m_[512];                                            \
            snprintf(tc_m_, sizeof tc_m_, "%s == %s (\"%.200s\" vs \"%.200s\")", \
                     #a, #b, tc_a_ ? tc_a_ : "(null)", tc_b_ ? tc_b_ : "(null)"); \
            tc_test_fail(__FILE__, __LINE__, tc_m_);                    \
        }                                                               \
    } while (0)

#endif
