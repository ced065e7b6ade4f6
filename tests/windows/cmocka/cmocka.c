/*
 * cmocka.c - the test runner behind tests/windows/cmocka/cmocka.h (see
 * there for what it does and how it differs from CMocka).  Windows only:
 * a failed assertion longjmps back to the runner, so it must happen on the
 * runner's thread; the thread is told apart with GetCurrentThreadId().
 */
#include "cmocka.h"

#include <windows.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum outcome { OUTCOME_PASSED, OUTCOME_FAILED, OUTCOME_SKIPPED };

static jmp_buf *jump;            /* where a failure or skip returns to, while one runs */
static int skipping;             /* the code that longjmp'd called skip() */
static DWORD runner_thread;
static const char *test_filter, *skip_filter;

/* ---- output ---------------------------------------------------------- */

static void line_out(const char *tag, const char *fmt, ...) __attribute__((format(gnu_printf, 2, 3)));

static void line_out(const char *tag, const char *fmt, ...)
{
	va_list ap;

	printf("[%s] ", tag);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

void cmw_print_message(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

void cmw_print_error(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fflush(stderr);
}

/* ---- leaving a test ---------------------------------------------------- */

static _Noreturn void leave(int skipped)
{
	if (jump == NULL || GetCurrentThreadId() != runner_thread) {
		cmw_print_error("[  ERROR   ] --- %s outside the runner's thread or outside a test: "
		                "the process ends\n", skipped ? "a skipped test" : "a failed assertion");
		exit(1);
	}
	skipping = skipped;
	longjmp(*jump, 1);
}

_Noreturn void cmw_fail(const char *file, int line)
{
	cmw_print_error("[   LINE   ] --- %s:%d: error: Failure!\n", file, line);
	leave(0);
}

_Noreturn void cmw_fail_msg(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("[  ERROR   ] --- ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	cmw_fail(file, line);
}

_Noreturn void cmw_skip(const char *file, int line)
{
	cmw_print_message("[  SKIP    ] --- %s:%d: skipped\n", file, line);
	leave(1);
}

/* ---- assertions ------------------------------------------------------ */

void cmw_assert_true(int value, const char *expr, const char *file, int line)
{
	if (!value)
		cmw_fail_msg(file, line, "%s is false, expected true", expr);
}

void cmw_assert_false(int value, const char *expr, const char *file, int line)
{
	if (value)
		cmw_fail_msg(file, line, "%s is true, expected false", expr);
}

void cmw_assert_non_null(int non_null, const char *expr, const char *file, int line)
{
	if (!non_null)
		cmw_fail_msg(file, line, "%s is NULL", expr);
}

void cmw_assert_null(const void *p, const char *expr, const char *file, int line)
{
	if (p != NULL)
		cmw_fail_msg(file, line, "%s is %p, expected NULL", expr, p);
}

void cmw_assert_int(int want_equal, LargestIntegralType a, LargestIntegralType b,
                    const char *ea, const char *eb, const char *file, int line)
{
	if ((a == b) == (want_equal != 0))
		return;
	cmw_fail_msg(file, line,
	             "%#" PRIx64 " (%" PRId64 ") %s %#" PRIx64 " (%" PRId64 "): %s %s %s",
	             a, (int64_t)a, want_equal ? "!=" : "==", b, (int64_t)b, ea,
	             want_equal ? "!=" : "==", eb);
}

void cmw_assert_ptr(int want_equal, const void *a, const void *b, const char *ea,
                    const char *eb, const char *file, int line)
{
	if ((a == b) == (want_equal != 0))
		return;
	cmw_fail_msg(file, line, "%p %s %p: %s %s %s", a, want_equal ? "!=" : "==", b, ea,
	             want_equal ? "!=" : "==", eb);
}

void cmw_assert_string(int want_equal, const char *a, const char *b, const char *ea,
                       const char *eb, const char *file, int line)
{
	int equal;

	if (a == NULL || b == NULL)
		equal = a == b;
	else
		equal = strcmp(a, b) == 0;
	if (equal == (want_equal != 0))
		return;
	cmw_fail_msg(file, line, "\"%s\" %s \"%s\": %s %s %s", a ? a : "(null)",
	             want_equal ? "!=" : "==", b ? b : "(null)", ea, want_equal ? "!=" : "==", eb);
}

void cmw_assert_memory(int want_equal, const void *a, const void *b, size_t size,
                       const char *ea, const char *eb, const char *file, int line)
{
	const unsigned char *pa = a, *pb = b;
	size_t differ = 0, shown = 0;

	if (pa == NULL || pb == NULL)
		cmw_fail_msg(file, line, "%s is NULL", pa == NULL ? ea : eb);
	for (size_t i = 0; i < size; i++) {
		if (pa[i] == pb[i])
			continue;
		differ++;
		if (want_equal && shown < 16) {
			cmw_print_error("[  ERROR   ] --- difference at offset %zu: 0x%02x 0x%02x\n",
			                i, pa[i], pb[i]);
			shown++;
		}
	}
	if (want_equal && differ != 0)
		cmw_fail_msg(file, line, "%zu of %zu bytes differ: %s, %s", differ, size, ea, eb);
	if (!want_equal && differ == 0)
		cmw_fail_msg(file, line, "the %zu bytes of %s and %s are equal", size, ea, eb);
}

void cmw_assert_range(int want_inside, LargestIntegralType v, LargestIntegralType lo,
                      LargestIntegralType hi, const char *expr, const char *file, int line)
{
	int inside = v >= lo && v <= hi;

	if (inside == (want_inside != 0))
		return;
	cmw_fail_msg(file, line, "%s = %" PRIu64 " is %s %" PRIu64 "..%" PRIu64, expr, v,
	             inside ? "inside" : "outside", lo, hi);
}

/* ---- test_malloc: guarded blocks, leaks counted per test --------------- */

#define GUARD_SIZE 16
#define GUARD_BYTE 0xEF

struct block {
	struct block *next, *prev;
	size_t size;
	const char *file;
	int line;
	unsigned long serial;
	unsigned char guard[GUARD_SIZE];   /* the user's bytes follow, then GUARD_SIZE more */
};

static struct block blocks = { &blocks, &blocks, 0, NULL, 0, 0, { 0 } };
static unsigned long block_serial;

static unsigned char *block_data(struct block *b)
{
	return (unsigned char *)(b + 1);
}

static int guards_intact(struct block *b)
{
	for (size_t i = 0; i < GUARD_SIZE; i++)
		if (b->guard[i] != GUARD_BYTE || block_data(b)[b->size + i] != GUARD_BYTE)
			return 0;
	return 1;
}

void *cmw_test_malloc(size_t size, const char *file, int line)
{
	struct block *b;

	if (size > SIZE_MAX - sizeof(*b) - GUARD_SIZE)
		return NULL;
	b = malloc(sizeof(*b) + size + GUARD_SIZE);
	if (b == NULL)
		return NULL;
	b->size = size;
	b->file = file;
	b->line = line;
	b->serial = ++block_serial;
	memset(b->guard, GUARD_BYTE, GUARD_SIZE);
	memset(block_data(b), 0xBA, size);
	memset(block_data(b) + size, GUARD_BYTE, GUARD_SIZE);
	b->next = blocks.next;
	b->prev = &blocks;
	blocks.next->prev = b;
	blocks.next = b;
	return block_data(b);
}

void *cmw_test_calloc(size_t n, size_t size, const char *file, int line)
{
	void *p;

	if (size != 0 && n > SIZE_MAX / size)
		return NULL;
	p = cmw_test_malloc(n * size, file, line);
	if (p != NULL)
		memset(p, 0, n * size);
	return p;
}

static struct block *block_of(void *p, const char *file, int line)
{
	for (struct block *b = blocks.next; b != &blocks; b = b->next)
		if (block_data(b) == p)
			return b;
	cmw_fail_msg(file, line, "test_free/test_realloc of %p, which test_malloc did not give", p);
}

void cmw_test_free(void *p, const char *file, int line)
{
	struct block *b;

	if (p == NULL)
		return;
	b = block_of(p, file, line);
	b->prev->next = b->next;
	b->next->prev = b->prev;
	if (!guards_intact(b))
		cmw_fail_msg(file, line, "the block of %zu bytes allocated at %s:%d was written "
		             "outside its bounds", b->size, b->file, b->line);
	free(b);
}

void *cmw_test_realloc(void *p, size_t size, const char *file, int line)
{
	struct block *old;
	void *q;

	if (p == NULL)
		return cmw_test_malloc(size, file, line);
	old = block_of(p, file, line);
	q = cmw_test_malloc(size, file, line);
	if (q == NULL)
		return NULL;
	memcpy(q, p, old->size < size ? old->size : size);
	cmw_test_free(p, file, line);
	return q;
}

/* Blocks allocated after serial `since` and still there. */
static size_t report_leaks(unsigned long since)
{
	size_t n = 0;

	for (struct block *b = blocks.prev; b != &blocks; b = b->prev) {
		if (b->serial <= since)
			continue;
		cmw_print_error("[  ERROR   ] --- %zu bytes allocated at %s:%d were not freed\n",
		                b->size, b->file, b->line);
		n++;
	}
	return n;
}

/* ---- filters ------------------------------------------------------- */

/* Shell-style match: '*' any run, '?' one character. */
static int matches(const char *pattern, const char *name)
{
	const char *star = NULL, *resume = NULL;

	while (*name) {
		if (*pattern == '*') {
			star = pattern++;
			resume = name;
		} else if (*pattern == '?' || *pattern == *name) {
			pattern++;
			name++;
		} else if (star) {
			pattern = star + 1;
			name = ++resume;
		} else {
			return 0;
		}
	}
	while (*pattern == '*')
		pattern++;
	return *pattern == '\0';
}

void cmocka_set_test_filter(const char *pattern)
{
	test_filter = pattern;
}

void cmocka_set_skip_filter(const char *pattern)
{
	skip_filter = pattern;
}

/* Whether a pattern of the comma-separated list matches the name. */
static int listed(const char *list, const char *name)
{
	char pattern[256];

	while (list != NULL && *list) {
		size_t n = strcspn(list, ",");

		if (n > 0 && n < sizeof(pattern)) {
			memcpy(pattern, list, n);
			pattern[n] = '\0';
			if (matches(pattern, name))
				return 1;
		}
		list += n;
		if (*list == ',')
			list++;
	}
	return 0;
}

/* ---- running --------------------------------------------------------- */

/* One test function or fixture under a jump point; *rc gets a fixture's result. */
static enum outcome run_guarded(CMUnitTestFunction test, CMFixtureFunction fixture, void **state)
{
	jmp_buf here;

	if (setjmp(here) != 0) {
		jump = NULL;
		return skipping ? OUTCOME_SKIPPED : OUTCOME_FAILED;
	}
	jump = &here;
	if (test != NULL) {
		test(state);
	} else if (fixture(state) != 0) {
		jump = NULL;
		return OUTCOME_FAILED;
	}
	jump = NULL;
	return OUTCOME_PASSED;
}

static enum outcome run_one(const struct CMUnitTest *t)
{
	void *state = t->initial_state;
	unsigned long mark = block_serial;
	enum outcome o = OUTCOME_PASSED;

	if (t->setup_func != NULL) {
		o = run_guarded(NULL, t->setup_func, &state);
		if (o == OUTCOME_FAILED) {
			cmw_print_error("[  ERROR   ] --- %s: test setup failed\n", t->name);
			return o;
		}
	}
	if (o == OUTCOME_PASSED)
		o = run_guarded(t->test_func, NULL, &state);
	if (t->teardown_func != NULL &&
	    run_guarded(NULL, t->teardown_func, &state) == OUTCOME_FAILED) {
		cmw_print_error("[  ERROR   ] --- %s: test teardown failed\n", t->name);
		o = OUTCOME_FAILED;
	}
	if (report_leaks(mark) != 0)
		o = OUTCOME_FAILED;
	return o;
}

static void list_names(const char *tag, const struct CMUnitTest *tests, const enum outcome *res,
                       const unsigned char *ran, size_t count, enum outcome which)
{
	for (size_t i = 0; i < count; i++)
		if (ran[i] && res[i] == which)
			line_out(tag, "%s", tests[i].name);
}

int cmw_run_group(const char *group_name, const struct CMUnitTest *tests, size_t count,
                  CMFixtureFunction group_setup, CMFixtureFunction group_teardown)
{
	const char *exclude = getenv("LDAPAB_TEST_EXCLUDE");
	enum outcome *res = calloc(count ? count : 1, sizeof(*res));
	unsigned char *ran = calloc(count ? count : 1, 1);
	unsigned char *excluded = calloc(count ? count : 1, 1);
	size_t selected = 0, n_excluded = 0, passed = 0, failed = 0, skipped = 0;
	void *group_state = NULL;
	int group_failed = 0;

	runner_thread = GetCurrentThreadId();
	if (res == NULL || ran == NULL || excluded == NULL) {
		cmw_print_error("[  ERROR   ] --- %s: no memory to run the tests\n", group_name);
		return 1;
	}
	for (size_t i = 0; i < count; i++) {
		if (test_filter != NULL && !matches(test_filter, tests[i].name))
			continue;
		if (listed(exclude, tests[i].name)) {
			excluded[i] = 1;
			n_excluded++;
			continue;
		}
		selected++;
	}
	if (test_filter != NULL && selected + n_excluded == 0) {
		cmw_print_error("[  ERROR   ] --- %s: no test matches the filter \"%s\"\n",
		                group_name, test_filter);
		free(res);
		free(ran);
		free(excluded);
		return 1;
	}
	line_out("==========", "%s: Running %zu test(s).", group_name, selected);
	if (group_setup != NULL && run_guarded(NULL, group_setup, &group_state) != OUTCOME_PASSED) {
		cmw_print_error("[  ERROR   ] --- %s: group setup failed\n", group_name);
		group_failed = 1;
	}
	for (size_t i = 0; i < count && !group_failed; i++) {
		if (test_filter != NULL && !matches(test_filter, tests[i].name))
			continue;
		if (excluded[i]) {
			line_out("  NOT RUN ", "%s (excluded on Windows, LDAPAB_TEST_EXCLUDE)",
			         tests[i].name);
			continue;
		}
		ran[i] = 1;
		if (skip_filter != NULL && matches(skip_filter, tests[i].name)) {
			res[i] = OUTCOME_SKIPPED;
			line_out("  SKIPPED ", "%s", tests[i].name);
			skipped++;
			continue;
		}
		line_out(" RUN      ", "%s", tests[i].name);
		if (tests[i].initial_state == NULL && group_state != NULL) {
			struct CMUnitTest with_state = tests[i];

			with_state.initial_state = group_state;
			res[i] = run_one(&with_state);
		} else {
			res[i] = run_one(&tests[i]);
		}
		switch (res[i]) {
		case OUTCOME_PASSED:
			line_out("       OK ", "%s", tests[i].name);
			passed++;
			break;
		case OUTCOME_SKIPPED:
			line_out("  SKIPPED ", "%s", tests[i].name);
			skipped++;
			break;
		case OUTCOME_FAILED:
			line_out("  FAILED  ", "%s", tests[i].name);
			failed++;
			break;
		}
	}
	if (!group_failed && group_teardown != NULL &&
	    run_guarded(NULL, group_teardown, &group_state) != OUTCOME_PASSED) {
		cmw_print_error("[  ERROR   ] --- %s: group teardown failed\n", group_name);
		group_failed = 1;
	}

	line_out("==========", "%s: %zu test(s) run.", group_name, passed + failed + skipped);
	line_out("  PASSED  ", "%zu test(s).", passed);
	if (skipped) {
		line_out("  SKIPPED ", "%zu test(s), listed below:", skipped);
		list_names("  SKIPPED ", tests, res, ran, count, OUTCOME_SKIPPED);
	}
	if (n_excluded)
		line_out("  NOT RUN ", "%zu test(s) excluded on Windows", n_excluded);
	if (failed) {
		line_out("  FAILED  ", "%zu test(s), listed below:", failed);
		list_names("  FAILED  ", tests, res, ran, count, OUTCOME_FAILED);
		printf("\n %zu FAILED TEST(S)\n", failed);
		fflush(stdout);
	}
	free(res);
	free(ran);
	free(excluded);
	if (group_failed)
		return failed ? (int)failed : (int)(selected ? selected : 1);
	return (int)failed;
}
