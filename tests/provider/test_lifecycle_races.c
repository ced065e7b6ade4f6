/*
 * test_lifecycle_races.c - Logoff meets calls in flight at exactly the
 * points where a race would leave something behind (LC-32, LC-36, LC-40,
 * LO-4, LO-5, TH-3).
 *
 * The provider is linked statically with the host (ABProviderInit called
 * directly, the host's support object), so the test can put a Logoff at a
 * chosen point without sleeping:
 *   - the support object's Subscribe is patched (LO-4): Logoff runs after
 *     the registration exists and before Advise records it;
 *   - abp_status_new / abp_container_new are wrapped at link time: Logoff
 *     runs after OpenStatusEntry / OpenEntry made the object and before the
 *     logon caches it (LO-5, CT-1);
 *   - calls nest through Subscribe across 20 logons on one thread, and the
 *     innermost logs its own logon off (TH-3: a callback's Logoff never
 *     waits for itself, however deep);
 *   - against the slapd fixture, a call on one thread is held inside the
 *     provider while another thread logs off: lb_conn_close (wrapped)
 *     asserts that no call is inside the session, and the held call goes on
 *     only once the Logoff is waiting for it (pthread_cond_wait wrapped), so
 *     an unbind that does not wait is caught every run (LC-32 step 4).
 */
#include <pthread.h>

#include "test_core_util.h"

#include "abp.h"
#include "slapd_env.h"

/* ---------------------------------------------------------------------- */
/* Link-time wraps                                                         */
/* ---------------------------------------------------------------------- */

#define MAX_SESSIONS 32

/* Every session abp_session_new made, in order (reset per test). */
static struct abp_session *sessions[MAX_SESSIONS];
static size_t n_sessions;

HRESULT __real_abp_session_new(LPALLOCATEBUFFER ab, LPALLOCATEMORE am, LPFREEBUFFER fb,
                               const MAPIUID *uid, struct abp_config *cfg,
                               struct abp_session **out);
HRESULT __wrap_abp_session_new(LPALLOCATEBUFFER ab, LPALLOCATEMORE am, LPFREEBUFFER fb,
                               const MAPIUID *uid, struct abp_config *cfg,
                               struct abp_session **out);

HRESULT __wrap_abp_session_new(LPALLOCATEBUFFER ab, LPALLOCATEMORE am, LPFREEBUFFER fb,
                               const MAPIUID *uid, struct abp_config *cfg,
                               struct abp_session **out)
{
	HRESULT hr = __real_abp_session_new(ab, am, fb, uid, cfg, out);

	if (SUCCEEDED(hr) && n_sessions < MAX_SESSIONS)
		sessions[n_sessions++] = *out;
	return hr;
}

/* The logon to log off from inside the next wrapped constructor, and what
 * that constructor made (one extra reference, the test's). */
static LPABLOGON logoff_in_ctor;
static IMAPIStatus *made_status;
static IABContainer *made_container;

HRESULT __real_abp_status_new(struct abp_session *s, IMAPIStatus **out);
HRESULT __wrap_abp_status_new(struct abp_session *s, IMAPIStatus **out);

HRESULT __wrap_abp_status_new(struct abp_session *s, IMAPIStatus **out)
{
	HRESULT hr = __real_abp_status_new(s, out);

	if (SUCCEEDED(hr) && logoff_in_ctor) {
		made_status = *out;
		IMAPIStatus_AddRef(made_status);
		assert_int_equal(IABLogon_Logoff(logoff_in_ctor, 0), S_OK);
		logoff_in_ctor = NULL;
	}
	return hr;
}

HRESULT __real_abp_container_new(struct abp_session *s, const struct abp_container_cfg *cfg,
                                 IABContainer **out);
HRESULT __wrap_abp_container_new(struct abp_session *s, const struct abp_container_cfg *cfg,
                                 IABContainer **out);

HRESULT __wrap_abp_container_new(struct abp_session *s, const struct abp_container_cfg *cfg,
                                 IABContainer **out)
{
	HRESULT hr = __real_abp_container_new(s, cfg, out);

	if (SUCCEEDED(hr) && logoff_in_ctor) {
		made_container = *out;
		IABContainer_AddRef(made_container);
		assert_int_equal(IABLogon_Logoff(logoff_in_ctor, 0), S_OK);
		logoff_in_ctor = NULL;
	}
	return hr;
}

/* A call held inside the provider goes on once Logoff waits for it (the
 * wait on the watched session's idle condition) or once the connection is
 * closed without that wait. */
static pthread_mutex_t held_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t held_cond = PTHREAD_COND_INITIALIZER;
static bool held_inside, held_may_go;

static void wake_held_call(void);

/* The session whose connection must never close with a call inside, the
 * closes seen with calls inside, and libldap's unbinds. */
static struct abp_session *watched;
static atomic_int closes_with_calls_inside, closes, unbinds;

void __real_lb_conn_close(lb_conn *conn);
void __wrap_lb_conn_close(lb_conn *conn);

void __wrap_lb_conn_close(lb_conn *conn)
{
	if (conn && watched) {
		unsigned inside;

		pthread_mutex_lock(&watched->lock);
		inside = watched->inflight;
		pthread_mutex_unlock(&watched->lock);
		if (inside != 0)
			atomic_fetch_add(&closes_with_calls_inside, 1);
		atomic_fetch_add(&closes, 1);
		wake_held_call();
	}
	__real_lb_conn_close(conn);
}

int __real_ldap_unbind_ext(void *ld, void *sctrls, void *cctrls);
int __wrap_ldap_unbind_ext(void *ld, void *sctrls, void *cctrls);

int __wrap_ldap_unbind_ext(void *ld, void *sctrls, void *cctrls)
{
	atomic_fetch_add(&unbinds, 1);
	return __real_ldap_unbind_ext(ld, sctrls, cctrls);
}


int __real_pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m);
int __wrap_pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m);

int __wrap_pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
	if (watched && c == &watched->idle)
		wake_held_call();       /* m (the session's lock) is released below */
	return __real_pthread_cond_wait(c, m);
}

static void wake_held_call(void)
{
	pthread_mutex_lock(&held_lock);
	held_may_go = true;
	pthread_cond_broadcast(&held_cond);
	pthread_mutex_unlock(&held_lock);
}

/* ---------------------------------------------------------------------- */
/* Logons: one provider, one host session, a profile and support each      */
/* ---------------------------------------------------------------------- */

#define MAX_LOGONS 24

struct rig {
	LPMALLOC m;
	LPABPROVIDER abp;
	host_session *sess;
	size_t n;
	host_profile *prof[MAX_LOGONS];
	LPMAPISUP sup[MAX_LOGONS];
	LPABLOGON l[MAX_LOGONS];
};

static void rig_init(struct rig *r)
{
	ULONG ver = 0;

	memset(r, 0, sizeof(*r));
	memset(sessions, 0, sizeof(sessions));
	n_sessions = 0;
	assert_int_equal(host_malloc_new(&r->m), S_OK);
	assert_int_equal(ABProviderInit(NULL, r->m, host_MAPIAllocateBuffer,
	                                host_MAPIAllocateMore, host_MAPIFreeBuffer, 0,
	                                CURRENT_SPI_VERSION, &ver, &r->abp), S_OK);
	assert_int_equal(host_session_new(NULL, &r->sess), S_OK);
}

/* Logon number r->n on uri (with base, if any); returns its index. */
static size_t rig_logon(struct rig *r, const char *uri, const char *base)
{
	LPMAPIERROR err = NULL;
	size_t i = r->n;
	HRESULT hr;

	assert_true(i < MAX_LOGONS);
	if (base) {
		SPropValue v = { .ulPropTag = PR_LDAPAB_BASE_DN_A };

		v.Value.lpszA = (LPSTR)base;
		r->prof[i] = core_profile(uri, 1, &v);
	} else {
		r->prof[i] = core_profile(uri, 0, NULL);
	}
	assert_int_equal(host_support_new(r->sess, r->prof[i], &r->sup[i]), S_OK);
	hr = IABProvider_Logon(r->abp, r->sup[i], 0, (LPTSTR)"p", AB_NO_DIALOG, NULL, NULL,
	                       &err, &r->l[i]);
	if (FAILED(hr))
		fail_msg("Logon %zu: 0x%08X %s", i, (unsigned)hr, err ? err->lpszError : "");
	assert_int_equal(n_sessions, i + 1);    /* sessions[i] is this logon's */
	r->n++;
	return i;
}

/* Logoff (again: LC-34), release, and nothing of the host left. */
static void rig_done(struct rig *r)
{
	for (size_t i = 0; i < r->n; i++) {
		assert_int_equal(IABLogon_Logoff(r->l[i], 0), S_OK);
		assert_int_equal(IABLogon_Release(r->l[i]), 0);
		/* The provider released its support reference (LC-12): ours is left. */
		assert_int_equal(host_support_refcount(r->sup[i]), 1);
		IMAPISupport_Release(r->sup[i]);
	}
	assert_int_equal(host_session_subscriptions(r->sess), 0);
	assert_int_equal(host_session_leaked_subscriptions(r->sess), 0);
	host_session_free(r->sess);
	assert_int_equal(IABProvider_Release(r->abp), 0);
	IMalloc_Release(r->m);
	for (size_t i = 0; i < r->n; i++)
		host_profile_release(r->prof[i]);
	memset(r, 0, sizeof(*r));
}

/* ---------------------------------------------------------------------- */
/* The support object's Subscribe, patched                                 */
/* ---------------------------------------------------------------------- */

static const IMAPISupportVtbl *host_sup_vtbl;
static IMAPISupportVtbl patched_sup_vtbl;

enum subscribe_mode {
	SUB_LOGOFF_SELF,        /* Logoff of the calling logon, after Subscribe */
	SUB_NEST,               /* Advise on the next logon; the last logs off */
	SUB_HOLD                /* wait until the Logoff waits (or closes) */
};

static enum subscribe_mode sub_mode;
static struct rig *sub_rig;
static struct core_sink sub_sink;
static HRESULT nested_hr[MAX_LOGONS];
static unsigned depth_seen[MAX_LOGONS];

static size_t index_of(LPMAPISUP sup)
{
	for (size_t i = 0; i < sub_rig->n; i++)
		if (sub_rig->sup[i] == sup)
			return i;
	fail_msg("Subscribe on a support object the test did not make");
	return 0;
}

static HRESULT STDMETHODCALLTYPE patched_subscribe(IMAPISupport *This, LPNOTIFKEY key,
                                                   ULONG mask, ULONG flags,
                                                   LPMAPIADVISESINK sink,
                                                   ULONG_PTR *conn)
{
	HRESULT hr = host_sup_vtbl->Subscribe(This, key, mask, flags, sink, conn);
	size_t i = index_of(This);

	switch (sub_mode) {
	case SUB_LOGOFF_SELF:
		/* The registration exists; Advise has not recorded it yet. */
		assert_int_equal(IABLogon_Logoff(sub_rig->l[i], 0), S_OK);
		break;
	case SUB_NEST:
		if (i + 1 < sub_rig->n) {
			ULONG_PTR c = 0;

			nested_hr[i + 1] = IABLogon_Advise(sub_rig->l[i + 1], 0, NULL,
			                                   fnevNewMail, &sub_sink.iface, &c);
			break;
		}
		/* Innermost: this thread is inside one call on every logon. */
		for (size_t k = 0; k < sub_rig->n; k++)
			depth_seen[k] = abp_session_own_depth(sessions[k]);
		for (size_t k = 0; k < sub_rig->n; k++)
			if (depth_seen[k] != 1)
				fail_msg("logon %zu of %zu nested: this thread's calls inside "
				         "counted as %u, not 1 (a Logoff from here would wait "
				         "for itself)", k, sub_rig->n, depth_seen[k]);
		assert_int_equal(IABLogon_Logoff(sub_rig->l[i], 0), S_OK);
		break;
	case SUB_HOLD:
		pthread_mutex_lock(&held_lock);
		held_inside = true;
		pthread_cond_broadcast(&held_cond);
		while (!held_may_go)
			pthread_cond_wait(&held_cond, &held_lock);
		pthread_mutex_unlock(&held_lock);
		break;
	}
	return hr;
}

static void patch_supports(struct rig *r, enum subscribe_mode mode)
{
	host_sup_vtbl = r->sup[0]->lpVtbl;
	patched_sup_vtbl = *host_sup_vtbl;
	patched_sup_vtbl.Subscribe = patched_subscribe;
	sub_mode = mode;
	sub_rig = r;
	core_sink_init(&sub_sink);
	for (size_t i = 0; i < r->n; i++)
		r->sup[i]->lpVtbl = &patched_sup_vtbl;
}

/* The host's own checks (refcounts, live objects) know only its vtable. */
static void unpatch_supports(struct rig *r)
{
	for (size_t i = 0; i < r->n; i++)
		r->sup[i]->lpVtbl = host_sup_vtbl;
	sub_rig = NULL;
}

/* ---------------------------------------------------------------------- */
/* Logoff injected at the race points (no server: the bind is lazy)        */
/* ---------------------------------------------------------------------- */

/* LO-4, LC-32 step 2: a Logoff that ran while Subscribe was registering
 * cannot have cancelled that registration; Advise must see it and undo it. */
static void test_LO4_advise_undoes_a_registration_logoff_raced_LC32(void **state)
{
	char uri[64];
	struct rig r;
	ULONG_PTR conn = 77;
	HRESULT hr;

	(void)state;
	core_dead_uri(uri, sizeof(uri));
	rig_init(&r);
	(void)rig_logon(&r, uri, NULL);
	patch_supports(&r, SUB_LOGOFF_SELF);
	hr = IABLogon_Advise(r.l[0], 0, NULL, fnevNewMail, &sub_sink.iface, &conn);
	unpatch_supports(&r);
	assert_int_equal(hr, MAPI_E_INVALID_OBJECT);
	assert_int_equal(conn, 0);
	/* No registration survives, and the sink is not held by anyone. */
	assert_int_equal(host_session_subscriptions(r.sess), 0);
	assert_int_equal(atomic_load(&sub_sink.refs), 1);
	rig_done(&r);
}

/* LO-5, ST-6: the status object made for an OpenStatusEntry that a Logoff
 * overtook is not cached by the logon (the Logoff already released the
 * cache); the caller gets MAPI_E_INVALID_OBJECT (LC-40). */
static void test_LO5_status_object_made_during_logoff_is_not_kept_ST6_LC40(void **state)
{
	char uri[64];
	struct rig r;
	ULONG type = 9;
	LPMAPISTATUS st = (LPMAPISTATUS)(uintptr_t)1;

	(void)state;
	core_dead_uri(uri, sizeof(uri));
	rig_init(&r);
	(void)rig_logon(&r, uri, NULL);
	made_status = NULL;
	logoff_in_ctor = r.l[0];
	assert_int_equal(IABLogon_OpenStatusEntry(r.l[0], NULL, 0, &type, &st),
	                 MAPI_E_INVALID_OBJECT);
	assert_null(logoff_in_ctor);            /* the Logoff did run in there */
	assert_null(st);
	assert_int_equal(type, 0);
	assert_non_null(made_status);
	/* Only the test's reference is left: nobody keeps it. */
	assert_int_equal(IMAPIStatus_Release(made_status), 0);
	made_status = NULL;
	rig_done(&r);
}

/* CT-1, LC-40: likewise the root container made for an OpenEntry(NULL). */
static void test_CT1_root_container_made_during_logoff_is_not_kept_LC40(void **state)
{
	char uri[64];
	struct rig r;
	ULONG type = 9;
	LPUNKNOWN o = (LPUNKNOWN)(uintptr_t)1;

	(void)state;
	core_dead_uri(uri, sizeof(uri));
	rig_init(&r);
	(void)rig_logon(&r, uri, NULL);
	made_container = NULL;
	logoff_in_ctor = r.l[0];
	assert_int_equal(IABLogon_OpenEntry(r.l[0], 0, NULL, NULL, 0, &type, &o),
	                 MAPI_E_INVALID_OBJECT);
	assert_null(logoff_in_ctor);
	assert_null(o);
	assert_non_null(made_container);
	assert_int_equal(IABContainer_Release(made_container), 0);
	made_container = NULL;
	rig_done(&r);
}

/* TH-3, LC-32: one thread inside calls on 20 logons at once (each logon's
 * Subscribe calls Advise on the next); the innermost logs its own logon
 * off.  Every one of them is counted as this thread's, so that Logoff
 * hands the close to its call's leave instead of waiting for itself. */
static void test_TH3_logoff_from_inside_20_nested_logons_does_not_wait_for_itself(void **state)
{
	enum { N = 20 };
	char uri[64];
	struct rig r;
	ULONG_PTR conn = 0;
	HRESULT hr;

	(void)state;
	core_dead_uri(uri, sizeof(uri));
	rig_init(&r);
	for (size_t i = 0; i < N; i++)
		(void)rig_logon(&r, uri, NULL);
	memset(nested_hr, 0, sizeof(nested_hr));
	patch_supports(&r, SUB_NEST);
	hr = IABLogon_Advise(r.l[0], 0, NULL, fnevNewMail, &sub_sink.iface, &conn);
	unpatch_supports(&r);
	assert_int_equal(hr, S_OK);
	assert_int_not_equal(conn, 0);
	for (size_t i = 1; i + 1 < N; i++)
		assert_int_equal(nested_hr[i], S_OK);
	/* The innermost was logged off inside its own Subscribe. */
	assert_int_equal(nested_hr[N - 1], MAPI_E_INVALID_OBJECT);
	for (size_t i = 0; i < N; i++) {
		assert_int_equal(depth_seen[i], 1);
		assert_int_equal(abp_session_own_depth(sessions[i]), 0);   /* all left */
	}
	/* The pending close ran at the innermost call's leave: its support
	 * reference is back to ours alone. */
	assert_int_equal(host_support_refcount(r.sup[N - 1]), 1);
	assert_int_equal(host_session_subscriptions(r.sess), N - 1);
	rig_done(&r);           /* Logoff cancels the other 19 registrations */
}

/* ---------------------------------------------------------------------- */
/* Against slapd: no unbind while another thread's call is inside          */
/* ---------------------------------------------------------------------- */

struct held_call {
	LPABLOGON l;
	HRESULT hr;
	ULONG_PTR conn;
};

static void *held_advise(void *arg)
{
	struct held_call *h = arg;

	h->hr = IABLogon_Advise(h->l, 0, NULL, fnevNewMail, &sub_sink.iface, &h->conn);
	return NULL;
}

/* LC-32 step 4, LC-36: Logoff on one thread while another thread's call is
 * inside the session (held in Subscribe): the connection is closed - and
 * libldap's handle unbound - only after that call has left. */
static void test_LC32_no_unbind_while_another_threads_call_is_inside_LC36(void **state)
{
	struct held_call h = { 0 };
	LPMAPISTATUS st = NULL;
	ULONG type = 0;
	struct rig r;
	pthread_t t;
	size_t i;

	(void)state;
	rig_init(&r);
	i = rig_logon(&r, slapd_env("LDAPAB_TEST_URI"), slapd_env("LDAPAB_TEST_BASE"));
	/* Connect and bind: ValidateState checks the directory (ST-4). */
	assert_int_equal(IABLogon_OpenStatusEntry(r.l[i], NULL, 0, &type, &st), S_OK);
	assert_int_equal(IMAPIStatus_ValidateState(st, 0, 0), S_OK);
	IMAPIStatus_Release(st);
	atomic_store(&unbinds, 0);
	atomic_store(&closes, 0);
	atomic_store(&closes_with_calls_inside, 0);
	held_inside = held_may_go = false;
	watched = sessions[i];

	patch_supports(&r, SUB_HOLD);
	h.l = r.l[i];
	assert_int_equal(pthread_create(&t, NULL, held_advise, &h), 0);
	pthread_mutex_lock(&held_lock);
	while (!held_inside)
		pthread_cond_wait(&held_cond, &held_lock);
	pthread_mutex_unlock(&held_lock);
	/* The other thread is inside Advise now, and stays there until this
	 * Logoff waits for it (or closes the connection without waiting). */
	assert_int_equal(IABLogon_Logoff(r.l[i], 0), S_OK);
	assert_int_equal(pthread_join(t, NULL), 0);
	unpatch_supports(&r);
	watched = NULL;

	assert_int_equal(atomic_load(&closes_with_calls_inside), 0);
	assert_int_equal(atomic_load(&closes), 1);
	assert_int_equal(atomic_load(&unbinds), 1);
	/* The held call saw the Logoff and undid its registration (LO-4). */
	assert_int_equal(h.hr, MAPI_E_INVALID_OBJECT);
	assert_int_equal(h.conn, 0);
	assert_int_equal(host_session_subscriptions(r.sess), 0);
	rig_done(&r);
	assert_int_equal(atomic_load(&unbinds), 1);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		CORE_TEST(test_LO4_advise_undoes_a_registration_logoff_raced_LC32),
		CORE_TEST(test_LO5_status_object_made_during_logoff_is_not_kept_ST6_LC40),
		CORE_TEST(test_CT1_root_container_made_during_logoff_is_not_kept_LC40),
		CORE_TEST(test_TH3_logoff_from_inside_20_nested_logons_does_not_wait_for_itself),
		CORE_TEST(test_LC32_no_unbind_while_another_threads_call_is_inside_LC36),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name("provider_lifecycle_races", tests, NULL, NULL);
}
