/*
 * ldapab_test/skip.h - a cmocka test that cannot run here shows as skipped.
 *
 * cmocka's skip() ends the test without failing it, and the binary's exit
 * status counts only failures: CTest would report the test as passed.  A
 * test calls TEST_SKIP() instead; main() returns test_skip_exit(failures):
 * 1 if anything failed, else TEST_SKIP_RETURN_CODE if a test skipped, else
 * 0.  Its CTest tests are registered with ldapab_skippable_test() (sets
 * SKIP_RETURN_CODE), so CTest lists them as "Skipped".  Register the test
 * that may skip on its own (a cmocka name filter), so one skip does not
 * hide the other tests' passes.
 */
#ifndef LDAPAB_TEST_SKIP_H
#define LDAPAB_TEST_SKIP_H

#define TEST_SKIP_RETURN_CODE 77

static int test_skipped;

#define TEST_SKIP()                 \
	do {                        \
		test_skipped = 1;   \
		skip();             \
	} while (0)

static inline int test_skip_exit(int failures)
{
	if (failures != 0)
		return 1;
	return test_skipped ? TEST_SKIP_RETURN_CODE : 0;
}

#endif
