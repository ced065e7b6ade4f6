/*
 * cmocka.h - the part of CMocka's API the unit suites use, for the Windows
 * builds only (Debian has no mingw-w64 build of cmocka).  The suites
 * include <cmocka.h> as on Linux and get this header instead; cmocka.c is
 * the runner.
 *
 * Same names and meaning as CMocka:
 *   - a test is a function void f(void **state), with optional setup and
 *     teardown fixtures int g(void **state) (non-zero: the fixture failed);
 *   - a failed assertion prints file:line and the values, leaves the test
 *     (longjmp), runs its teardown and counts the test as failed;
 *   - cmocka_run_group_tests() returns the number of tests that failed
 *     (a failed setup or teardown counts), so main() returns it;
 *   - skip() ends the test as skipped, not failed; the exit status is the
 *     suite's business (tests/include/ldapab_test/skip.h turns it into 77);
 *   - test_malloc() blocks carry guards checked at test_free(); a block
 *     still allocated after the teardown fails the test;
 *   - cmocka_set_test_filter() / cmocka_set_skip_filter(): shell patterns
 *     (* and ?) over test names.
 * Besides CMocka: a filter that selects no test fails the run (a typo must
 * not pass unrun), and LDAPAB_TEST_EXCLUDE (comma-separated patterns, set
 * by tests/windows/CMakeLists.txt) names tests that cannot run on Windows;
 * they are listed as "not run on Windows", never as passed.
 * An assertion may only fail on the thread that runs the tests (as with
 * CMocka); on another thread it reports and ends the process with status 1.
 */
#ifndef LDAPAB_WIN_CMOCKA_H
#define LDAPAB_WIN_CMOCKA_H

#include <stddef.h>
#include <stdint.h>

/* 64 bits on both targets, as CMocka's unsigned long long. */
typedef uint64_t LargestIntegralType;

#define cast_to_largest_integral_type(v) ((LargestIntegralType)(v))
#define cast_ptr_to_largest_integral_type(v) ((LargestIntegralType)(uintptr_t)(v))

typedef void (*CMUnitTestFunction)(void **state);
typedef int (*CMFixtureFunction)(void **state);

struct CMUnitTest {
	const char *name;
	CMUnitTestFunction test_func;
	CMFixtureFunction setup_func;
	CMFixtureFunction teardown_func;
	void *initial_state;
};

#define cmocka_unit_test(f) { #f, f, NULL, NULL, NULL }
#define cmocka_unit_test_setup(f, setup) { #f, f, setup, NULL, NULL }
#define cmocka_unit_test_teardown(f, teardown) { #f, f, NULL, teardown, NULL }
#define cmocka_unit_test_setup_teardown(f, setup, teardown) { #f, f, setup, teardown, NULL }
#define cmocka_unit_test_prestate(f, state) { #f, f, NULL, NULL, state }
#define cmocka_unit_test_prestate_setup_teardown(f, setup, teardown, state) \
	{ #f, f, setup, teardown, state }

#define cmocka_run_group_tests(group, group_setup, group_teardown)                        \
	cmw_run_group(#group, group, sizeof(group) / sizeof((group)[0]), group_setup, \
	              group_teardown)
#define cmocka_run_group_tests_name(name, group, group_setup, group_teardown)       \
	cmw_run_group(name, group, sizeof(group) / sizeof((group)[0]), group_setup, \
	              group_teardown)

int cmw_run_group(const char *group_name, const struct CMUnitTest *tests, size_t count,
                  CMFixtureFunction group_setup, CMFixtureFunction group_teardown);
void cmocka_set_test_filter(const char *pattern);
void cmocka_set_skip_filter(const char *pattern);

/* Assertions: the values are shown in hex and decimal, the expressions as written. */
#define assert_true(c) cmw_assert_true((c) ? 1 : 0, #c, __FILE__, __LINE__)
#define assert_false(c) cmw_assert_false((c) ? 1 : 0, #c, __FILE__, __LINE__)
#define assert_non_null(c) cmw_assert_non_null((c) != NULL, #c, __FILE__, __LINE__)
#define assert_null(c) cmw_assert_null((const void *)(c), #c, __FILE__, __LINE__)
#define assert_int_equal(a, b)                                                          \
	cmw_assert_int(1, cast_to_largest_integral_type(a), cast_to_largest_integral_type(b), \
	               #a, #b, __FILE__, __LINE__)
#define assert_int_not_equal(a, b)                                                      \
	cmw_assert_int(0, cast_to_largest_integral_type(a), cast_to_largest_integral_type(b), \
	               #a, #b, __FILE__, __LINE__)
#define assert_ptr_equal(a, b)                                                        \
	cmw_assert_ptr(1, (const void *)(a), (const void *)(b), #a, #b, __FILE__, __LINE__)
#define assert_ptr_not_equal(a, b)                                                    \
	cmw_assert_ptr(0, (const void *)(a), (const void *)(b), #a, #b, __FILE__, __LINE__)
#define assert_string_equal(a, b)                                                    \
	cmw_assert_string(1, (const char *)(a), (const char *)(b), #a, #b, __FILE__, \
	                  __LINE__)
#define assert_string_not_equal(a, b)                                                \
	cmw_assert_string(0, (const char *)(a), (const char *)(b), #a, #b, __FILE__, \
	                  __LINE__)
#define assert_memory_equal(a, b, size)                                               \
	cmw_assert_memory(1, (const void *)(a), (const void *)(b), (size_t)(size), #a, #b, \
	                  __FILE__, __LINE__)
#define assert_memory_not_equal(a, b, size)                                           \
	cmw_assert_memory(0, (const void *)(a), (const void *)(b), (size_t)(size), #a, #b, \
	                  __FILE__, __LINE__)
#define assert_in_range(v, lo, hi)                                                       \
	cmw_assert_range(1, cast_to_largest_integral_type(v), cast_to_largest_integral_type(lo), \
	                 cast_to_largest_integral_type(hi), #v, __FILE__, __LINE__)
#define assert_not_in_range(v, lo, hi)                                                   \
	cmw_assert_range(0, cast_to_largest_integral_type(v), cast_to_largest_integral_type(lo), \
	                 cast_to_largest_integral_type(hi), #v, __FILE__, __LINE__)

#define fail() cmw_fail(__FILE__, __LINE__)
#define fail_msg(...) cmw_fail_msg(__FILE__, __LINE__, __VA_ARGS__)
#define skip() cmw_skip(__FILE__, __LINE__)
#define print_message(...) cmw_print_message(__VA_ARGS__)
#define print_error(...) cmw_print_error(__VA_ARGS__)

#define test_malloc(size) cmw_test_malloc((size), __FILE__, __LINE__)
#define test_calloc(n, size) cmw_test_calloc((n), (size), __FILE__, __LINE__)
#define test_realloc(p, size) cmw_test_realloc((p), (size), __FILE__, __LINE__)
#define test_free(p) cmw_test_free((p), __FILE__, __LINE__)

void cmw_assert_true(int value, const char *expr, const char *file, int line);
void cmw_assert_false(int value, const char *expr, const char *file, int line);
void cmw_assert_non_null(int non_null, const char *expr, const char *file, int line);
void cmw_assert_null(const void *p, const char *expr, const char *file, int line);
void cmw_assert_int(int want_equal, LargestIntegralType a, LargestIntegralType b,
                    const char *ea, const char *eb, const char *file, int line);
void cmw_assert_ptr(int want_equal, const void *a, const void *b, const char *ea,
                    const char *eb, const char *file, int line);
void cmw_assert_string(int want_equal, const char *a, const char *b, const char *ea,
                       const char *eb, const char *file, int line);
void cmw_assert_memory(int want_equal, const void *a, const void *b, size_t size,
                       const char *ea, const char *eb, const char *file, int line);
void cmw_assert_range(int want_inside, LargestIntegralType v, LargestIntegralType lo,
                      LargestIntegralType hi, const char *expr, const char *file, int line);
_Noreturn void cmw_fail(const char *file, int line);
_Noreturn void cmw_fail_msg(const char *file, int line, const char *fmt, ...)
	__attribute__((format(gnu_printf, 3, 4)));
_Noreturn void cmw_skip(const char *file, int line);
void cmw_print_message(const char *fmt, ...) __attribute__((format(gnu_printf, 1, 2)));
void cmw_print_error(const char *fmt, ...) __attribute__((format(gnu_printf, 1, 2)));

void *cmw_test_malloc(size_t size, const char *file, int line);
void *cmw_test_calloc(size_t n, size_t size, const char *file, int line);
void *cmw_test_realloc(void *p, size_t size, const char *file, int line);
void cmw_test_free(void *p, const char *file, int line);

#endif /* LDAPAB_WIN_CMOCKA_H */
