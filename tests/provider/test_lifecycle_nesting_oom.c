/*
 * test_lifecycle_nesting_oom.c - a thread inside calls on more sessions than
 * its inline slots hold needs memory to count one more (TH-3, LC-32).  When
 * that allocation fails the call is refused before it enters (nothing
 * counted, nothing changed), so a Logoff from a callback can never find one
 * of this thread's calls uncounted and wait for itself; with memory back the
 * same call enters.  malloc & co. are wrapped (test_core_failalloc.c).
 */
#include "test_core_util.h"

#include "abp.h"
#include "config.h"
#include "test_core_failalloc.h"

static struct abp_session *new_session(void)
{
	static const SPropValue uri = { .ulPropTag = PR_LDAPAB_SERVER_URIS_A,
	                                .Value.lpszA = (LPSTR)"ldap://127.0.0.1:1" };
	struct abp_config *cfg = NULL;
	struct abp_session *s = NULL;
	MAPIUID uid = { { 7 } };
	char msg[ABP_MSG_MAX];

	assert_int_equal(abp_config_from_props(1, &uri, &cfg, msg, sizeof(msg)), S_OK);
	assert_int_equal(abp_session_new(host_MAPIAllocateBuffer, host_MAPIAllocateMore,
	                                 host_MAPIFreeBuffer, &uid, cfg, &s), S_OK);
	return s;
}

static unsigned inflight(struct abp_session *s)
{
	unsigned n;

	plat_mutex_lock(&s->lock);
	n = s->inflight;
	plat_mutex_unlock(&s->lock);
	return n;
}

static void test_TH3_no_memory_to_count_a_nested_session_refuses_the_call_LC32(void **state)
{
	enum { N = 40 };
	struct abp_session *s[N];
	size_t entered = 0, refused = 0;

	(void)state;
	for (size_t i = 0; i < N; i++)
		s[i] = new_session();
	for (size_t i = 0; i < N; i++) {
		bool ok;

		core_failalloc_arm(0);
		ok = abp_session_enter(s[i]);
		if (core_failalloc_disarm()) {
			/* The count needed memory and got none: refused, untouched. */
			assert_false(ok);
			assert_int_equal(inflight(s[i]), 0);
			assert_int_equal(abp_session_own_depth(s[i]), 0);
			refused++;
			ok = abp_session_enter(s[i]);   /* memory is back */
		}
		assert_true(ok);
		assert_int_equal(abp_session_own_depth(s[i]), 1);
		entered++;
	}
	/* The inline slots needed no memory; growing past them did. */
	assert_int_equal(entered, N);
	assert_true(refused >= 1);
	for (size_t i = N; i-- > 0;) {
		abp_session_leave(s[i]);
		assert_int_equal(inflight(s[i]), 0);
	}
	for (size_t i = 0; i < N; i++)
		abp_session_release(s[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CORE_TEST(test_TH3_no_memory_to_count_a_nested_session_refuses_the_call_LC32),
	};

	return cmocka_run_group_tests_name("provider_lifecycle_nesting_oom", tests, NULL, NULL);
}
