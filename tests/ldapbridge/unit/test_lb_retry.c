/*
 * test_lb_retry.c - the message of a call whose retry on a new link failed
 * too: the reconnect's own text, then what ended the first attempt, within
 * LB_ERROR_MSG_MAX and never cutting a UTF-8 sequence; nothing added when
 * there was no first failure or the call was cancelled.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "lb_internal.h"

static void set(struct lb_error *e, lb_err code, const char *msg)
{
	memset(e, 0, sizeof(*e));
	e->code = code;
	snprintf(e->message, sizeof(e->message), "%s", msg);
}

static void both_causes_in_order(void **state)
{
	struct lb__retry r = { 0 };
	struct lb_error e;

	(void)state;
	set(&e, LB_E_TIMEOUT, "search on ldap://a: no answer within 2000 ms (operation timeout)");
	lb__retry_note(&r, &e);
	set(&e, LB_E_TIMEOUT, "root DSE read on ldap://a: no answer within 1000 ms (connect timeout)");
	lb__retry_explain(&r, &e);
	assert_string_equal(e.message,
		"root DSE read on ldap://a: no answer within 1000 ms (connect timeout); "
		"that was the retry after: search on ldap://a: no answer within 2000 ms "
		"(operation timeout)");
	assert_int_equal(e.code, LB_E_TIMEOUT);
}

static void nothing_added_without_a_first_failure_or_when_cancelled(void **state)
{
	struct lb__retry r = { 0 };
	struct lb_error e, first;

	(void)state;
	set(&e, LB_E_CONNECT, "cannot connect");
	lb__retry_explain(&r, &e);
	assert_string_equal(e.message, "cannot connect");
	set(&first, LB_E_SERVER_DOWN, "");
	lb__retry_note(&r, &first);             /* an empty text is no cause */
	lb__retry_explain(&r, &e);
	assert_string_equal(e.message, "cannot connect");
	set(&first, LB_E_SERVER_DOWN, "the link to ldap://a was lost");
	lb__retry_note(&r, &first);
	set(&e, LB_E_CANCELLED, "cancelled");
	lb__retry_explain(&r, &e);
	assert_string_equal(e.message, "cancelled");
	lb__retry_explain(&r, NULL);            /* no error to fill: nothing */
}

/* A long first cause is cut to fit, at a character boundary. */
static void long_causes_fit_and_stay_utf8(void **state)
{
	struct lb__retry r = { 0 };
	struct lb_error e, first;
	char big[LB_ERROR_MSG_MAX];
	size_t i, len;

	(void)state;
	for (i = 0; i + 2 < sizeof(big); i += 2)
		memcpy(big + i, "\xC3\xA9", 2);  /* é, two bytes each */
	big[i] = '\0';
	set(&first, LB_E_TIMEOUT, big);
	lb__retry_note(&r, &first);
	set(&e, LB_E_TIMEOUT, "x");
	lb__retry_explain(&r, &e);
	len = strlen(e.message);
	assert_true(len < sizeof(e.message));
	assert_true(len > sizeof(e.message) - 4);
	assert_memory_equal(e.message, "x; that was the retry after: \xC3\xA9", 31);
	/* after the 29-byte prefix, whole two-byte characters only */
	assert_int_equal((len - 29) % 2, 0);

	/* A reconnect message that fills the buffer already: left as it is. */
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	set(&e, LB_E_TIMEOUT, big);
	lb__retry_explain(&r, &e);
	assert_string_equal(e.message, big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(both_causes_in_order),
		cmocka_unit_test(nothing_added_without_a_first_failure_or_when_cancelled),
		cmocka_unit_test(long_causes_fit_and_stay_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
