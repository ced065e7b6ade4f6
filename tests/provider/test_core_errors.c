/*
 * test_core_errors.c - the one lb_err → MAPI table, MAPIERROR blocks (LO-1,
 * MM-3), the per-object last error, and the session's enter/leave/logoff
 * and status bookkeeping (LC-32, LC-40, ST-3, TH-3).
 */
#include <pthread.h>

#include "test_core_util.h"

#include "abp.h"
#include "abp_test_support.h"
#include "config.h"

/*
 * What a MAPI caller gets for each ldapbridge outcome, written down from the
 * behaviour spec (ab-provider-behaviour.md, rule cited) and from the meaning
 * lb_err.h gives each code - not from lasterr.c.  Where the spec names no
 * code for a situation the row says which documented MAPI code means the
 * same thing (mapi-abi.md's table) and why.
 */
struct spec_row {
	lb_err lb;
	HRESULT hr;
	const char *rule;
};

static const struct spec_row spec_rows[] = {
	/* LC-17: "the first operation needing [the server] reports
	 * MAPI_E_NETWORK_ERROR (or MAPI_E_LOGON_FAILED if the bind is
	 * rejected)"; CT-11j: "Server unreachable -> MAPI_E_NETWORK_ERROR". */
	{ LB_E_CONNECT,     MAPI_E_NETWORK_ERROR, "LC-17 server not reached" },
	{ LB_E_TIMEOUT,     MAPI_E_NETWORK_ERROR, "LC-17 connect/answer deadline: not reached" },
	{ LB_E_TLS,         MAPI_E_NETWORK_ERROR, "LC-17 no usable (TLS) link to the server" },
	{ LB_E_SERVER_DOWN, MAPI_E_NETWORK_ERROR, "CT-11j connection lost, server unreachable" },
	{ LB_E_AUTH,        MAPI_E_LOGON_FAILED,  "LC-17 bind rejected" },
	{ LB_E_AUTH_METHOD, MAPI_E_LOGON_FAILED,  "LC-17 bind rejected (SASL mechanism)" },
	{ LB_E_INSECURE,    MAPI_E_LOGON_FAILED,  "LC-17 bind refused before sending a clear password" },
	/* LO-2b: "Ours but deleted -> MAPI_E_NOT_FOUND". */
	{ LB_E_NOT_FOUND,   MAPI_E_NOT_FOUND,     "LO-2b entry gone" },
	/* TB-10: what cannot be expressed is MAPI_E_TOO_COMPLEX, never dropped. */
	{ LB_E_FILTER,      MAPI_E_TOO_COMPLEX,   "TB-10 restriction not expressible/refused" },
	/* LC-40: after Logoff every method answers MAPI_E_INVALID_OBJECT; only
	 * Logoff cancels or closes the session's connection. */
	{ LB_E_CANCELLED,   MAPI_E_INVALID_OBJECT, "LC-40 call met a logged-off session" },
	{ LB_E_CLOSED,      MAPI_E_INVALID_OBJECT, "LC-40 connection closed by Logoff" },
	/* LO-2c: the guide's ACCESS_DENIED is MAPI_E_NO_ACCESS (= E_ACCESSDENIED). */
	{ LB_E_ACCESS,      MAPI_E_NO_ACCESS,     "LO-2c access denied" },
	/* MU-4f: too big for memory is MAPI_E_NOT_ENOUGH_MEMORY (= E_OUTOFMEMORY). */
	{ LB_E_NOMEM,       MAPI_E_NOT_ENOUGH_MEMORY, "MU-4f out of memory" },
	/* RULES "bad pointers -> MAPI_E_INVALID_PARAMETER" (= E_INVALIDARG). */
	{ LB_E_INVALID,     MAPI_E_INVALID_PARAMETER, "bad argument (E_INVALIDARG)" },
	/* No spec rule names these; the documented MAPI code of the same meaning. */
	{ LB_E_SIZELIMIT,   MAPI_E_TABLE_TOO_BIG, "server size limit, nothing returned" },
	{ LB_E_TIMELIMIT,   MAPI_E_TIMEOUT,       "server time limit, nothing returned" },
	{ LB_E_BUSY,        MAPI_E_BUSY,          "server busy after retries" },
	{ LB_E_UNSUPPORTED, MAPI_E_NO_SUPPORT,    "server lacks the feature" },
	{ LB_E_PROTOCOL,    MAPI_E_CORRUPT_DATA,  "malformed server answer" },
	{ LB_E_INTERNAL,    MAPI_E_CALL_FAILED,   "anything else (E_FAIL)" },
	{ LB_OK,            S_OK,                 "success" },
};

/* Codes no ldapbridge outcome may become: USER_CANCEL means a person
 * cancelled a dialog (LC-15 list); END_OF_SESSION is Exchange's (LC-41);
 * UNCONFIGURED / FAILONEPROVIDER are decisions of Logon only (LC-15), not of
 * a lookup. */
static const HRESULT never_from_lb[] = {
	MAPI_E_USER_CANCEL, MAPI_E_END_OF_SESSION, MAPI_E_UNCONFIGURED,
	MAPI_E_FAILONEPROVIDER,
};

static void test_errors_lb_to_mapi_follows_the_spec_LC17_LC40_LO2_TB10(void **state)
{
	bool seen[LB_E__COUNT] = { false };

	(void)state;
	for (size_t i = 0; i < sizeof(spec_rows) / sizeof(spec_rows[0]); i++) {
		const struct spec_row *r = &spec_rows[i];
		HRESULT got = abp_hr_from_lb(r->lb);

		assert_true((unsigned)r->lb < LB_E__COUNT);
		assert_false(seen[r->lb]);                      /* one row per code */
		seen[r->lb] = true;
		if (got != r->hr)
			fail_msg("%s (%s): expected 0x%08X, got 0x%08X", lb_err_name(r->lb),
			         r->rule, (unsigned)r->hr, (unsigned)got);
	}
	/* Every code ldapbridge has is written down above: a new code needs
	 * a decision here, not a silent default. */
	for (unsigned c = 0; c < LB_E__COUNT; c++)
		if (!seen[c])
			fail_msg("%s has no row: decide its MAPI code from the spec",
			         lb_err_name((lb_err)c));
	for (unsigned c = 0; c < LB_E__COUNT; c++) {
		HRESULT got = abp_hr_from_lb((lb_err)c);

		/* A failure is never reported as success, nor the reverse. */
		assert_int_equal(c == LB_OK, !FAILED(got));
		for (size_t k = 0; k < sizeof(never_from_lb) / sizeof(never_from_lb[0]); k++)
			if (got == never_from_lb[k])
				fail_msg("%s maps to 0x%08X, which the spec keeps for other "
				         "situations", lb_err_name((lb_err)c), (unsigned)got);
	}
	/* A code from a newer ldapbridge: a plain failure. */
	assert_int_equal(abp_hr_from_lb(LB_E__COUNT), MAPI_E_CALL_FAILED);
	assert_int_equal(abp_hr_from_lb((lb_err)9999), MAPI_E_CALL_FAILED);
}

/* LO-1 / MM-3: one block, strings chained, UTF-16 under MAPI_UNICODE. */
static void test_errors_mapierror_is_one_block_in_requested_width_LO1_MM3(void **state)
{
	LPMAPIERROR e = NULL;

	(void)state;
	assert_int_equal(abp_mapierror_new(host_MAPIAllocateBuffer, host_MAPIAllocateMore,
	                                   host_MAPIFreeBuffer, MAPI_UNICODE, 49, 0x201,
	                                   "Bind to ldaps://dc1 failed: \xc3\xa9t\xc3\xa9", &e), S_OK);
	assert_true(host_mem_is_root(e));
	assert_true(host_mem_is_chained(e, e->lpszError));
	assert_true(host_mem_is_chained(e, e->lpszComponent));
	assert_int_equal(e->ulVersion, MAPI_ERROR_VERSION);
	assert_int_equal(e->ulLowLevelError, 49);
	assert_int_equal(e->ulContext, 0x201);
	assert_true(host_utf16_eq_utf8((LPWSTR)(void *)e->lpszError,
	                               "Bind to ldaps://dc1 failed: \xc3\xa9t\xc3\xa9"));
	assert_true(host_utf16_eq_utf8((LPWSTR)(void *)e->lpszComponent, ABP_COMPONENT));
	assert_true(strlen(ABP_COMPONENT) <= 30);
	host_MAPIFreeBuffer(e);

	assert_int_equal(abp_mapierror_new(host_MAPIAllocateBuffer, host_MAPIAllocateMore,
	                                   host_MAPIFreeBuffer, 0, 0, 0, "plain", &e), S_OK);
	assert_string_equal(e->lpszError, "plain");
	host_MAPIFreeBuffer(e);

	/* Every allocation failing once: nothing left behind. */
	for (unsigned long n = 0; n < 3; n++) {
		e = (LPMAPIERROR)(uintptr_t)1;
		host_mem_fail_after(n);
		assert_int_equal(abp_mapierror_new(host_MAPIAllocateBuffer, host_MAPIAllocateMore,
		                                   host_MAPIFreeBuffer, MAPI_UNICODE, 0, 0, "x", &e),
		                 MAPI_E_NOT_ENOUGH_MEMORY);
		host_mem_fail_never();
		assert_int_equal(host_mem_live_blocks(), 0);
	}
}

static struct abp_session *new_session(void)
{
	static const SPropValue uri = { .ulPropTag = PR_LDAPAB_SERVER_URIS_A,
	                                .Value.lpszA = (LPSTR)"ldap://127.0.0.1:1" };
	struct abp_config *cfg = NULL;
	struct abp_session *s = NULL;
	MAPIUID uid = { { 1, 2, 3 } };
	char msg[ABP_MSG_MAX];

	assert_int_equal(abp_config_from_props(1, &uri, &cfg, msg, sizeof(msg)), S_OK);
	assert_int_equal(abp_session_new(host_MAPIAllocateBuffer, host_MAPIAllocateMore,
	                                 host_MAPIFreeBuffer, &uid, cfg, &s), S_OK);
	return s;
}

/* LO-1: the last error explains only the code it recorded. */
static void test_errors_lasterr_explains_only_its_code_LO1(void **state)
{
	struct abp_session *s = new_session();
	struct abp_lasterr le;
	struct lb_error lerr;
	LPMAPIERROR e = (LPMAPIERROR)(uintptr_t)1;

	(void)state;
	abp_lasterr_init(&le);
	assert_int_equal(abp_lasterr_get(&le, s, MAPI_E_NOT_FOUND, 0, &e), S_OK);
	assert_null(e);
	assert_int_equal(abp_lasterr_set(&le, MAPI_E_NOT_FOUND, 32, 7, "no %s", "such entry"),
	                 MAPI_E_NOT_FOUND);
	assert_int_equal(abp_lasterr_get(&le, s, MAPI_E_NOT_FOUND, 0x1, &e), MAPI_E_UNKNOWN_FLAGS);
	assert_null(e);
	assert_int_equal(abp_lasterr_get(&le, s, MAPI_E_NOT_FOUND, 0, NULL), MAPI_E_INVALID_PARAMETER);
	assert_int_equal(abp_lasterr_get(&le, s, MAPI_E_CALL_FAILED, 0, &e), S_OK);
	assert_null(e);
	assert_int_equal(abp_lasterr_get(&le, s, MAPI_E_NOT_FOUND, 0, &e), S_OK);
	assert_string_equal(e->lpszError, "no such entry");
	assert_int_equal(e->ulLowLevelError, 32);
	assert_int_equal(e->ulContext, 7);
	host_MAPIFreeBuffer(e);

	/* An ldapbridge record: code mapped, message (server, step) kept. */
	lb_error_clear(&lerr);
	lerr.code = LB_E_AUTH;
	lerr.ldap_code = 49;
	snprintf(lerr.server, sizeof(lerr.server), "ldaps://dc1.example.com");
	snprintf(lerr.message, sizeof(lerr.message),
	         "bind to ldaps://dc1.example.com as cn=reader failed: invalid credentials");
	assert_int_equal(abp_lasterr_set_lb(&le, &lerr, 9), MAPI_E_LOGON_FAILED);
	assert_int_equal(abp_lasterr_get(&le, s, MAPI_E_LOGON_FAILED, 0, &e), S_OK);
	assert_non_null(strstr(e->lpszError, "ldaps://dc1.example.com"));
	assert_int_equal(e->ulLowLevelError, 49);
	host_MAPIFreeBuffer(e);

	/* A search the server refused for want of a bind (AD's anonymous
	 * refusal): a logon failure (LC-17) naming the settings to fill in. */
	lb_error_clear(&lerr);
	lerr.code = LB_E_AUTH;
	lerr.step = LB_STEP_SEARCH;
	lerr.ldap_code = 1;
	snprintf(lerr.message, sizeof(lerr.message),
	         "ldap://dc1.example.com does not answer anonymous searches: this directory "
	         "needs a bind");
	assert_int_equal(abp_lasterr_set_lb(&le, &lerr, 9), MAPI_E_LOGON_FAILED);
	assert_int_equal(abp_lasterr_get(&le, s, MAPI_E_LOGON_FAILED, 0, &e), S_OK);
	assert_non_null(strstr(e->lpszError, "needs a bind"));
	assert_non_null(strstr(e->lpszError, "PR_LDAPAB_BIND_METHOD"));
	assert_non_null(strstr(e->lpszError, "PR_LDAPAB_BIND_DN"));
	host_MAPIFreeBuffer(e);
	abp_lasterr_destroy(&le);
	abp_session_release(s);
}

static atomic_int hook_calls;
static void count_hook(void *ctx)
{
	(void)ctx;
	atomic_fetch_add(&hook_calls, 1);
}

/* ST-3: the status changes on connection failure/recovery only, the hook
 * runs once per change, never after the session is logged off (TH-6). */
static void test_session_status_changes_push_once_and_never_after_logoff_ST3_TH6(void **state)
{
	struct abp_session *s = new_session();
	struct lb_error err;
	char text[ABP_MSG_MAX];

	(void)state;
	atomic_store(&hook_calls, 0);
	abp_session_set_status_hook(s, count_hook, NULL);
	assert_int_equal(abp_session_status(s, NULL, 0), STATUS_AVAILABLE);
	abp_session_note_result(s, LB_OK);                      /* no change */
	abp_session_note_result(s, LB_E_NOT_FOUND);             /* server answered */
	abp_session_note_result(s, LB_E_FILTER);
	assert_int_equal(atomic_load(&hook_calls), 0);

	lb_error_clear(&err);
	err.code = LB_E_CONNECT;
	snprintf(err.message, sizeof(err.message), "connect to ldap://dc9:389 refused");
	abp_session_note_lb_error(s, &err);
	assert_int_equal(atomic_load(&hook_calls), 1);
	assert_int_equal(abp_session_status(s, text, sizeof(text)), STATUS_FAILURE);
	assert_string_equal(text, "connect to ldap://dc9:389 refused");
	abp_session_note_lb_error(s, &err);                     /* same: no push */
	assert_int_equal(atomic_load(&hook_calls), 1);
	abp_session_note_result(s, LB_E_TIMEOUT);               /* other text */
	assert_int_equal(atomic_load(&hook_calls), 1);          /* no message: kept */
	abp_session_note_lb_error(s, NULL);                     /* recovered */
	assert_int_equal(atomic_load(&hook_calls), 2);
	assert_int_equal(abp_session_status(s, NULL, 0), STATUS_AVAILABLE);

	/* LC-32 step 1 then: the change is recorded, nobody is called. */
	assert_true(abp_session_mark_logged_off(s));
	assert_false(abp_session_mark_logged_off(s));           /* LC-34 */
	abp_session_note_result(s, LB_E_SERVER_DOWN);
	assert_int_equal(atomic_load(&hook_calls), 2);
	assert_int_equal(abp_session_status(s, NULL, 0), STATUS_FAILURE);
	abp_session_close_connection(s);
	abp_session_release(s);
}

struct inflight {
	struct abp_session *s;
	atomic_int entered, release;
};

static void *hold_call(void *arg)
{
	struct inflight *f = arg;

	assert_true(abp_session_enter(f->s));
	atomic_store(&f->entered, 1);
	while (!atomic_load(&f->release))
		usleep(1000);
	usleep(50000);
	abp_session_leave(f->s);
	return NULL;
}

/* LC-32 step 4 / LC-40: after the mark nobody enters; closing waits for
 * the call already inside. */
static void test_session_close_waits_for_calls_inside_LC32_LC40(void **state)
{
	struct inflight f = { .s = new_session() };
	pthread_t t;

	(void)state;
	assert_int_equal(pthread_create(&t, NULL, hold_call, &f), 0);
	while (!atomic_load(&f.entered))
		usleep(1000);
	assert_true(abp_session_mark_logged_off(f.s));
	assert_false(abp_session_enter(f.s));
	atomic_store(&f.release, 1);
	abp_session_close_connection(f.s);      /* returns after the leave */
	plat_mutex_lock(&f.s->lock);
	assert_int_equal(f.s->inflight, 0);
	assert_null(f.s->conn);
	plat_mutex_unlock(&f.s->lock);
	assert_int_equal(pthread_join(t, NULL), 0);
	/* The session outlives the logoff until its last reference (TH-3). */
	abp_session_addref(f.s);
	abp_session_release(f.s);
	assert_false(abp_session_shutdown(f.s));
	abp_session_release(f.s);
}

/* Each thread counts its own calls inside a session; a
 * Logoff on a thread that is inside a call waits only for the others and
 * hands close + support release (and the logon's memory) to the last leave. */
static atomic_int idle_runs;

static void count_idle(void *ctx)
{
	(void)ctx;
	atomic_fetch_add(&idle_runs, 1);
}

static void *other_thread_depth(void *arg)
{
	struct abp_session *s = arg;

	return (void *)(uintptr_t)abp_session_own_depth(s);
}

static void test_session_own_depth_and_close_from_inside_LC32_LC36(void **state)
{
	struct abp_session *s = new_session(), *s2 = new_session();
	pthread_t t;
	void *other = NULL;

	(void)state;
	atomic_store(&idle_runs, 0);
	assert_int_equal(abp_session_own_depth(s), 0);
	assert_true(abp_session_enter(s));
	assert_true(abp_session_enter(s2));
	assert_true(abp_session_enter(s));
	assert_int_equal(abp_session_own_depth(s), 2);
	assert_int_equal(abp_session_own_depth(s2), 1);
	assert_int_equal(pthread_create(&t, NULL, other_thread_depth, s), 0);
	assert_int_equal(pthread_join(t, &other), 0);
	assert_int_equal((uintptr_t)other, 0);          /* per thread */
	abp_session_leave(s2);
	assert_int_equal(abp_session_own_depth(s2), 0);

	/* Not logged off: nothing is deferred. */
	assert_false(abp_session_run_when_idle(s, count_idle, NULL));
	/* Logoff from inside: returns at once, the close is pending. */
	assert_true(abp_session_mark_logged_off(s));
	abp_session_close_and_release(s, NULL);
	plat_mutex_lock(&s->lock);
	assert_true(s->close_pending);
	assert_int_equal(s->inflight, 2);
	plat_mutex_unlock(&s->lock);
	assert_true(abp_session_run_when_idle(s, count_idle, NULL));
	abp_session_leave(s);
	assert_int_equal(atomic_load(&idle_runs), 0);   /* still one call inside */
	abp_session_leave(s);                           /* the last: runs it all */
	assert_int_equal(atomic_load(&idle_runs), 1);
	plat_mutex_lock(&s->lock);
	assert_false(s->close_pending);
	assert_int_equal(s->inflight, 0);
	plat_mutex_unlock(&s->lock);
	assert_int_equal(abp_session_own_depth(s), 0);
	/* Idle: nothing to defer any more. */
	assert_false(abp_session_run_when_idle(s, count_idle, NULL));
	abp_session_release(s);
	abp_session_release(s2);
}

/* TH-3 / LC-32: a thread inside calls on 40 sessions at once (callbacks
 * nesting across logons) has every one counted, however many; a Logoff of
 * the innermost from inside hands its close to the last leave. */
static void test_session_own_depth_counts_40_nested_sessions_TH3_LC32(void **state)
{
	enum { N = 40 };
	struct abp_session *s[N];

	(void)state;
	for (size_t i = 0; i < N; i++) {
		s[i] = new_session();
		assert_true(abp_session_enter(s[i]));
	}
	assert_true(abp_session_enter(s[30]));          /* nested again */
	for (size_t i = 0; i < N; i++)
		assert_int_equal(abp_session_own_depth(s[i]), i == 30 ? 2 : 1);
	assert_true(abp_session_mark_logged_off(s[N - 1]));
	abp_session_close_and_release(s[N - 1], NULL);  /* returns: pending */
	plat_mutex_lock(&s[N - 1]->lock);
	assert_true(s[N - 1]->close_pending);
	plat_mutex_unlock(&s[N - 1]->lock);
	/* A logged-off session refuses the next enter and counts nothing. */
	assert_false(abp_session_enter(s[N - 1]));
	assert_int_equal(abp_session_own_depth(s[N - 1]), 1);
	abp_session_leave(s[30]);
	for (size_t i = N; i-- > 0;) {
		abp_session_leave(s[i]);
		assert_int_equal(abp_session_own_depth(s[i]), 0);
	}
	plat_mutex_lock(&s[N - 1]->lock);
	assert_false(s[N - 1]->close_pending);         /* the last leave ran it */
	plat_mutex_unlock(&s[N - 1]->lock);
	/* Counting starts afresh (the overflow storage was given back). */
	assert_true(abp_session_enter(s[0]));
	assert_int_equal(abp_session_own_depth(s[0]), 1);
	abp_session_leave(s[0]);
	for (size_t i = 0; i < N; i++)
		abp_session_release(s[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CORE_TEST(test_errors_lb_to_mapi_follows_the_spec_LC17_LC40_LO2_TB10),
		CORE_TEST(test_errors_mapierror_is_one_block_in_requested_width_LO1_MM3),
		CORE_TEST(test_errors_lasterr_explains_only_its_code_LO1),
		CORE_TEST(test_session_status_changes_push_once_and_never_after_logoff_ST3_TH6),
		CORE_TEST(test_session_close_waits_for_calls_inside_LC32_LC40),
		CORE_TEST(test_session_own_depth_and_close_from_inside_LC32_LC36),
		CORE_TEST(test_session_own_depth_counts_40_nested_sessions_TH3_LC32),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
