/*
 * cmocka_selftest.c - the runner of tests/windows/cmocka/ against what the
 * suites rely on: every assertion fails when it should (64-bit values on
 * i686 included) and leaves the test at once; the teardown runs after a
 * failure, not after a failed setup; a failed teardown, a leaked or
 * overrun test_malloc block fail the test; a skip is no failure; filters
 * and LDAPAB_TEST_EXCLUDE select tests.  The inner groups print FAILED
 * lines on purpose; this program's verdict is its last line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <ldapab_test/skip.h>

static int reached;       /* statements after an assertion that should have left */
static int teardowns, test_ran;
static int checks, wrong;

#define EXPECT(cond)                                                               \
	do {                                                                       \
		checks++;                                                          \
		if (!(cond)) {                                                     \
			wrong++;                                                   \
			fprintf(stderr, "selftest: %s:%d: expected %s\n", __FILE__, \
			        __LINE__, #cond);                                  \
		}                                                                  \
	} while (0)

static int count_teardown(void **state)
{
	(void)state;
	teardowns++;
	return 0;
}

/* ---- each of these must fail ---- */
static void f_int_equal(void **s) { (void)s; assert_int_equal(1, 2); reached++; }
static void f_int_equal_high_bits(void **s)
{
	(void)s;
	assert_int_equal(UINT64_C(0x100000000), 0);
	reached++;
}
static void f_int_not_equal(void **s) { (void)s; assert_int_not_equal(3, 3); reached++; }
static void f_true(void **s) { (void)s; assert_true(1 == 2); reached++; }
static void f_false(void **s) { (void)s; assert_false(2 == 2); reached++; }
static void f_non_null(void **s) { (void)s; assert_non_null((void *)NULL); reached++; }
static void f_null(void **s) { (void)s; assert_null(&reached); reached++; }
static void f_ptr_equal(void **s) { (void)s; assert_ptr_equal(&reached, &checks); reached++; }
static void f_ptr_not_equal(void **s) { (void)s; assert_ptr_not_equal(&reached, &reached); reached++; }
static void f_string_equal(void **s) { (void)s; assert_string_equal("abc", "abd"); reached++; }
static void f_string_equal_null(void **s) { (void)s; assert_string_equal(NULL, "a"); reached++; }
static void f_string_not_equal(void **s) { (void)s; assert_string_not_equal("x", "x"); reached++; }
static void f_memory_equal(void **s)
{
	(void)s;
	assert_memory_equal("\x01\x02\x03", "\x01\x00\x03", 3);
	reached++;
}
static void f_memory_not_equal(void **s) { (void)s; assert_memory_not_equal("ab", "ab", 2); reached++; }
static void f_fail(void **s) { (void)s; fail(); reached++; }
static void f_fail_msg(void **s) { (void)s; fail_msg("expected failure %d", 42); reached++; }
static void f_leak(void **s) { (void)s; (void)test_malloc(10); }
static void f_overrun(void **s)
{
	char *p = test_malloc(4);

	(void)s;
	memcpy(p, "12345", 5);   /* one byte into the guard */
	test_free(p);
	reached++;
}

/* ---- each of these must pass ---- */
static void p_all_kinds(void **s)
{
	char *p = test_calloc(2, 3);

	(void)s;
	assert_int_equal(UINT64_C(0x100000005), UINT64_C(0x100000005));
	assert_int_equal(-1, -1);
	assert_int_not_equal(UINT64_C(0x100000000), 0);
	assert_true(checks >= 0);
	assert_false(0);
	assert_non_null(p);
	assert_null(NULL);
	assert_ptr_equal(p, p);
	assert_ptr_not_equal(p, &reached);
	assert_string_equal("same", "same");
	assert_string_not_equal("a", "b");
	assert_memory_equal(p, "\0\0\0\0\0\0", 6);
	assert_memory_not_equal("ab", "ac", 2);
	assert_in_range(5, 1, 9);
	assert_not_in_range(10, 1, 9);
	p = test_realloc(p, 100);
	assert_non_null(p);
	test_free(p);
	test_ran++;
}

static int failing_setup(void **s) { (void)s; return -1; }
static int failing_teardown(void **s) { (void)s; return 1; }
static int asserting_teardown(void **s) { (void)s; assert_int_equal(0, 1); return 0; }
static void p_marks(void **s) { (void)s; test_ran++; }
static void skipping(void **s) { (void)s; TEST_SKIP(); reached++; }

static int group_value = 7;
static int group_setup(void **s) { *s = &group_value; return 0; }
static void p_group_state(void **s) { assert_ptr_equal(*s, &group_value); test_ran++; }

int main(void)
{
	const struct CMUnitTest must_fail[] = {
		cmocka_unit_test_teardown(f_int_equal, count_teardown),
		cmocka_unit_test_teardown(f_int_equal_high_bits, count_teardown),
		cmocka_unit_test_teardown(f_int_not_equal, count_teardown),
		cmocka_unit_test_teardown(f_true, count_teardown),
		cmocka_unit_test_teardown(f_false, count_teardown),
		cmocka_unit_test_teardown(f_non_null, count_teardown),
		cmocka_unit_test_teardown(f_null, count_teardown),
		cmocka_unit_test_teardown(f_ptr_equal, count_teardown),
		cmocka_unit_test_teardown(f_ptr_not_equal, count_teardown),
		cmocka_unit_test_teardown(f_string_equal, count_teardown),
		cmocka_unit_test_teardown(f_string_equal_null, count_teardown),
		cmocka_unit_test_teardown(f_string_not_equal, count_teardown),
		cmocka_unit_test_teardown(f_memory_equal, count_teardown),
		cmocka_unit_test_teardown(f_memory_not_equal, count_teardown),
		cmocka_unit_test_teardown(f_fail, count_teardown),
		cmocka_unit_test_teardown(f_fail_msg, count_teardown),
		cmocka_unit_test_teardown(f_leak, count_teardown),
		cmocka_unit_test_teardown(f_overrun, count_teardown),
	};
	const size_t n_fail = sizeof(must_fail) / sizeof(must_fail[0]);
	const struct CMUnitTest must_pass[] = {
		cmocka_unit_test(p_all_kinds),
	};
	const struct CMUnitTest fixtures[] = {
		cmocka_unit_test_setup_teardown(p_marks, failing_setup, count_teardown),
		cmocka_unit_test_teardown(p_marks, failing_teardown),
		cmocka_unit_test_teardown(p_marks, asserting_teardown),
	};
	const struct CMUnitTest skips[] = {
		cmocka_unit_test_teardown(skipping, count_teardown),
		cmocka_unit_test(p_marks),
	};
	const struct CMUnitTest selection[] = {
		cmocka_unit_test(p_marks),
		cmocka_unit_test(f_fail),
	};
	const struct CMUnitTest with_state[] = {
		cmocka_unit_test(p_group_state),
	};
	int rc;

	printf("selftest: the FAILED lines below are expected; the verdict is the last line\n");

	rc = cmocka_run_group_tests(must_fail, NULL, NULL);
	EXPECT(rc == (int)n_fail);
	EXPECT(reached == 0);
	EXPECT(teardowns == (int)n_fail);

	rc = cmocka_run_group_tests(must_pass, NULL, NULL);
	EXPECT(rc == 0);
	EXPECT(test_ran == 1);

	/* A failed setup: no test, no teardown.  A failed teardown fails the test. */
	test_ran = teardowns = 0;
	rc = cmocka_run_group_tests(fixtures, NULL, NULL);
	EXPECT(rc == 3);
	EXPECT(test_ran == 2);
	EXPECT(teardowns == 0);

	/* A skip ends the test, is no failure, and its teardown still runs. */
	test_ran = teardowns = reached = 0;
	rc = cmocka_run_group_tests(skips, NULL, NULL);
	EXPECT(rc == 0);
	EXPECT(test_skipped == 1);
	EXPECT(reached == 0);
	EXPECT(teardowns == 1);
	EXPECT(test_ran == 1);
	EXPECT(test_skip_exit(rc) == TEST_SKIP_RETURN_CODE);
	EXPECT(test_skip_exit(1) == 1);
	test_skipped = 0;

	/* Filters: only the matching test runs; a filter matching none fails. */
	test_ran = 0;
	cmocka_set_test_filter("p_*");
	rc = cmocka_run_group_tests(selection, NULL, NULL);
	EXPECT(rc == 0);
	EXPECT(test_ran == 1);
	cmocka_set_test_filter("no_such_test");
	EXPECT(cmocka_run_group_tests(selection, NULL, NULL) != 0);
	cmocka_set_test_filter(NULL);
	cmocka_set_skip_filter("f_*");
	EXPECT(cmocka_run_group_tests(selection, NULL, NULL) == 0);
	cmocka_set_skip_filter(NULL);
	EXPECT(cmocka_run_group_tests(selection, NULL, NULL) == 1);

	/* LDAPAB_TEST_EXCLUDE: a listed test does not run (and does not pass). */
	test_ran = 0;
	EXPECT(_putenv("LDAPAB_TEST_EXCLUDE=x_*,f_fail") == 0);
	EXPECT(cmocka_run_group_tests(selection, NULL, NULL) == 0);
	EXPECT(test_ran == 1);
	EXPECT(_putenv("LDAPAB_TEST_EXCLUDE=") == 0);

	/* The group setup's state reaches a test that has none of its own. */
	test_ran = 0;
	EXPECT(cmocka_run_group_tests(with_state, group_setup, NULL) == 0);
	EXPECT(test_ran == 1);

	printf("selftest: %d of %d checks held\n", checks - wrong, checks);
	return wrong != 0 ? 1 : test_skip_exit(0);
}
