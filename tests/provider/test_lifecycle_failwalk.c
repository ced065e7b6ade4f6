/*
 * test_lifecycle_failwalk.c - every allocation along Logon → OpenEntry →
 * OpenStatusEntry → Logoff → Release failed once, in turn: no crash, no
 * leak, nothing half-made survives (LC-12, LC-39, MM-7).
 *
 * Two switches are walked:
 *   - the host's (host_mem_fail_after): MAPI allocations (MAPIERROR, props)
 *     and the host's own objects the provider calls (support, sections);
 *   - this binary's wrapped malloc/calloc/realloc/strdup (-Wl,--wrap), which
 *     fails the provider's and ldapbridge's internal allocations.  For that
 *     the provider is linked statically and ABProviderInit called directly,
 *     with the host's support object as usual.
 * A walk ends when a whole run completes with the failure still pending.
 * Leaks are caught by LeakSanitizer at exit and by the host's live counts
 * after every step.
 */
#include <stdbool.h>

#include "test_core_util.h"



/* ---------------------------------------------------------------------- */
/* Wrapped allocator (the static build only; the loader build walks the   */
/* host's switch through the real module)                                 */
/* ---------------------------------------------------------------------- */
#ifndef LDAPAB_MODULE_PATH
#include "test_core_failalloc.h"
#endif

/* ---------------------------------------------------------------------- */

static char dead[64];

struct baseline {
	size_t roots, supports, sections;
};

static void snapshot(struct baseline *b)
{
	host_mem_stats st;

	host_mem_get_stats(&st);
	b->roots = st.live_roots;
	b->supports = host_support_live_objects();
	b->sections = host_profsect_live_objects();
}

/* What a pass of the scenario got done (all of it, once nothing failed). */
enum {
	DID_LOGON = 1,
	DID_ROOT = 2,
	DID_STATUS = 4,
	DID_ALL = DID_LOGON | DID_ROOT | DID_STATUS
};

/* One pass of the scenario; every step may fail, none may crash or leak.
 * Returns the DID_* steps that succeeded. */
static int scenario(LPABPROVIDER abp, host_session *sess, host_profile *prof)
{
	int did = 0;
	static const uint8_t uuid[16] = { 0xde, 0xad };
	LPMAPISUP sup = NULL;
	LPABLOGON logon = NULL;
	LPMAPIERROR err = NULL;
	LPUNKNOWN obj = NULL;
	LPMAPISTATUS st = NULL;
	LPSPropValue pv = NULL;
	ULONG type, n, cb = 0;
	LPBYTE sec = NULL;
	MAPIUID uid;
	uint8_t eid[128];
	HRESULT hr;

	if (FAILED(host_support_new(sess, prof, &sup)))
		return did;
	hr = IABProvider_Logon(abp, sup, 0, (LPTSTR)"p", AB_NO_DIALOG, &cb, &sec, &err, &logon);
	if (err)
		host_MAPIFreeBuffer(err);
	if (FAILED(hr)) {
		assert_null(logon);
		/* LC-12: a failed Logon leaves the support refcount as it was. */
		assert_int_equal(host_support_refcount(sup), 1);
		goto done;
	}
	did |= DID_LOGON;
	if (SUCCEEDED(IABLogon_OpenEntry(logon, 0, NULL, NULL, 0, &type, &obj))) {
		if (type == MAPI_ABCONT && obj)
			did |= DID_ROOT;
		IUnknown_Release(obj);
	}
	if (core_profile_uid(prof, &uid)) {
		ULONG c = core_eid(&uid, ABP_EID_MAILUSER, ABP_EID_LOC_ENTRYUUID, uuid, 16,
		                   "uid=x,dc=example,dc=com", eid, sizeof(eid));
		obj = NULL;
		hr = IABLogon_OpenEntry(logon, c, (LPENTRYID)eid, NULL, 0, &type, &obj);
		assert_true(FAILED(hr));        /* the server is down */
		assert_null(obj);
		if (SUCCEEDED(IABLogon_GetLastError(logon, hr, MAPI_UNICODE, &err)) && err)
			host_MAPIFreeBuffer(err);
	}
	if (SUCCEEDED(IABLogon_OpenStatusEntry(logon, NULL, 0, &type, &st))) {
		did |= DID_STATUS;
		if (SUCCEEDED(IMAPIStatus_GetProps(st, NULL, MAPI_UNICODE, &n, &pv)))
			host_MAPIFreeBuffer(pv);
		(void)IMAPIStatus_ValidateState(st, 0, SUPPRESS_UI);
		/* Held across Logoff on purpose (LC-40/42). */
	}
	assert_int_equal(IABLogon_Logoff(logon, 0), S_OK);
	assert_int_equal(host_support_refcount(sup), 1);    /* LC-32 step 5 */
	if (st)
		IMAPIStatus_Release(st);
	assert_int_equal(IABLogon_Release(logon), 0);
done:
	IMAPISupport_Release(sup);
	return did;
}

static host_profile *fresh_profile(void)
{
	return core_profile(dead, 0, NULL);
}

#ifdef LDAPAB_MODULE_PATH
/* Through the loader: the module's own provider object, AddRef'd so the
 * walk's final Release below is ours. */
static host_provider *loaded;

static LPABPROVIDER new_provider(LPMALLOC m)
{
	LPABPROVIDER p;

	(void)m;
	loaded = core_load(NULL);
	p = host_provider_abprovider(loaded);
	IABProvider_AddRef(p);
	return p;
}

static ULONG drop_provider(LPABPROVIDER p)
{
	ULONG left = IABProvider_Release(p);

	host_provider_release(loaded);
	return left == 1 ? 0 : left;    /* the loader held the other one */
}
#else
static LPABPROVIDER new_provider(LPMALLOC m)
{
	LPABPROVIDER p = NULL;
	ULONG ver = 0;

	assert_int_equal(ABProviderInit(NULL, m, host_MAPIAllocateBuffer, host_MAPIAllocateMore,
	                                host_MAPIFreeBuffer, 0, CURRENT_SPI_VERSION, &ver, &p),
	                 S_OK);
	return p;
}

static ULONG drop_provider(LPABPROVIDER p)
{
	return IABProvider_Release(p);
}
#endif

/* One switch that fails the allocation after the next N: ARM sets it
 * before a pass; DISARM turns it off after the pass and says whether the
 * failure was never used (the pass needed N allocations or fewer). */
struct fail_switch {
	const char *name;
	void (*arm)(long n);
	bool (*disarm_unused)(void);
};

/* Steps through every allocation site of scenario() with SW: step N fails
 * the (N+1)-th allocation.  After every step the host's live counts must be
 * back where they were; the walk ends at the first pass that no failure
 * reached, which must have done all of the scenario. */
static void failwalk(const struct fail_switch *sw)
{
	LPMALLOC m = NULL;
	LPABPROVIDER abp;
	host_session *sess = NULL;
	long step;

	assert_int_equal(host_malloc_new(&m), S_OK);
	abp = new_provider(m);
	assert_int_equal(host_session_new(NULL, &sess), S_OK);
	for (step = 0; step < 5000; step++) {
		struct baseline before, after;
		host_profile *prof;
		bool unused;
		int did;

		/* The profile stores values as MAPI roots: count around it. */
		snapshot(&before);
		prof = fresh_profile();
		sw->arm(step);
		did = scenario(abp, sess, prof);
		unused = sw->disarm_unused();
		host_profile_release(prof);
		snapshot(&after);
		if (after.roots != before.roots || after.supports != before.supports ||
		    after.sections != before.sections)
			fail_msg("step %ld: %zu/%zu/%zu live roots/supports/sections, were %zu/%zu/%zu",
			         step, after.roots, after.supports, after.sections,
			         before.roots, before.supports, before.sections);
		if (unused) {
			/* The pass no allocation failed in must have done it all:
			 * otherwise a Logon that always fails would pass the walk. */
			if (did != DID_ALL)
				fail_msg("undisturbed pass did only 0x%x of 0x%x", did, DID_ALL);
			break;
		}
	}
	print_message("  %s walk: %ld allocation sites\n", sw->name, step);
	assert_true(step > 10 && step < 5000);
	host_session_free(sess);
	assert_int_equal(drop_provider(abp), 0);
	IMalloc_Release(m);
}

static void host_switch_arm(long n)
{
	host_mem_fail_after((unsigned long)n);
}

static bool host_switch_disarm_unused(void)
{
	bool unused = host_mem_fail_pending() != 0;

	host_mem_fail_never();
	return unused;
}

static void test_failwalk_host_allocations_LC12_LC39_MM7(void **state)
{
	static const struct fail_switch host_switch = {
		"host", host_switch_arm, host_switch_disarm_unused
	};

	(void)state;
	failwalk(&host_switch);
}

#ifndef LDAPAB_MODULE_PATH
static bool internal_switch_disarm_unused(void)
{
	return core_failalloc_disarm() == 0;
}

static void test_failwalk_internal_allocations_LC12_LC39(void **state)
{
	static const struct fail_switch internal_switch = {
		"internal", core_failalloc_arm, internal_switch_disarm_unused
	};

	(void)state;
	failwalk(&internal_switch);
}

#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
		CORE_TEST(test_failwalk_host_allocations_LC12_LC39_MM7),
#ifndef LDAPAB_MODULE_PATH
		CORE_TEST(test_failwalk_internal_allocations_LC12_LC39),
#endif
	};
	core_dead_uri(dead, sizeof(dead));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
