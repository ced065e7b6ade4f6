/* ResolveNames with every internal allocation (the provider's, ldapbridge's
 * and the host's malloc/calloc/realloc/strdup, wrapped at link time) failed
 * once in turn, against the fixture slapd (MM-7, CT-11j): each call either
 * succeeds with the full outcome or fails leaving the ADRLIST and the flags
 * exactly as they were; LeakSanitizer and the host's counters catch what
 * a failure path leaves behind.  The provider is linked statically and
 * entered through ABProviderInit with the host's support object. */
#include "provider_logon.h"

#include "ldapab_host/mem.h"
#include "ldapab_host/props.h"

#include "abp.h"
#include "config.h"
#include "slapd_env.h"
#include "test_core_failalloc.h"

struct lg {
	struct plg p;
	IABContainer *ct;
};

/* Logon to the fixture slapd as the reader, then open the directory
 * container by the ID config.c derives from these settings. */
static void lg_up(struct lg *g)
{
	SPropValue v[4];
	struct abp_config *cfg = NULL;
	char msg[ABP_MSG_MAX];
	uint8_t eid[ABP_EID_MAX];
	MAPIUID uid;
	ULONG n = 0, type = 0, cb;

	memset(g, 0, sizeof(*g));
	memset(v, 0, sizeof(v));
	memset(&uid, 0, sizeof(uid));
	plg_logon(&g->p, slapd_env("LDAPAB_TEST_LDAPI_URI"), slapd_env("LDAPAB_TEST_BASE"),
	          slapd_env("LDAPAB_TEST_BIND_DN"), slapd_env("LDAPAB_TEST_BIND_PW"), 0, NULL);
	assert_true(core_profile_uid(g->p.prof, &uid));
	v[n].ulPropTag = PR_LDAPAB_SERVER_URIS_A;
	v[n++].Value.lpszA = (LPSTR)slapd_env("LDAPAB_TEST_LDAPI_URI");
	v[n].ulPropTag = PR_LDAPAB_BASE_DN_A;
	v[n++].Value.lpszA = (LPSTR)slapd_env("LDAPAB_TEST_BASE");
	v[n].ulPropTag = PR_LDAPAB_BIND_DN_A;
	v[n++].Value.lpszA = (LPSTR)slapd_env("LDAPAB_TEST_BIND_DN");
	v[n].ulPropTag = PR_LDAPAB_BIND_PASSWORD_A;
	v[n++].Value.lpszA = (LPSTR)slapd_env("LDAPAB_TEST_BIND_PW");
	if (FAILED(abp_config_from_props(n, v, &cfg, msg, sizeof(msg))))
		fail_msg("configuration: %s", msg);
	cb = core_eid(&uid, ABP_EID_CONTAINER, ABP_EID_LOC_CONTAINER, cfg->containers[0].id,
	              strlen(cfg->containers[0].id), NULL, eid, sizeof(eid));
	abp_config_free(cfg);
	assert_int_equal(IABLogon_OpenEntry(g->p.l, cb, (LPENTRYID)eid, NULL, 0, &type,
	                                    (LPUNKNOWN *)&g->ct), S_OK);
}

static void lg_down(struct lg *g)
{
	IABContainer_Release(g->ct);
	plg_release(&g->p);
}

static void set_entry(ADRENTRY *ae, const char *name)
{
	SPropValue *v = NULL;

	assert_int_equal(host_MAPIAllocateBuffer(sizeof(SPropValue), (void **)&v), S_OK);
	v[0].ulPropTag = PR_DISPLAY_NAME_A;
	v[0].dwAlignPad = 0;
	assert_int_equal(host_MAPIAllocateMore((ULONG)strlen(name) + 1, v,
	                                       (void **)&v[0].Value.lpszA), S_OK);
	memcpy(v[0].Value.lpszA, name, strlen(name) + 1);
	ae->ulReserved1 = 0;
	ae->cValues = 1;
	ae->rgPropVals = v;
}

static void test_every_internal_allocation_failed_once_MM7(void **state)
{
	static const char *const names[] = { "Margaret Thornton", "Okafor", "Chris Smith",
	                                     "Nobody Atall" };
	static const ULONG want[] = { MAPI_RESOLVED, MAPI_AMBIGUOUS, MAPI_RESOLVED,
	                              MAPI_UNRESOLVED };
	long step;
	int fired = 1, failures = 0;

	(void)state;
	/* A fresh logon per step: the first ResolveNames also reads the root
	 * DSE and builds the session's directory context, whose failure paths
	 * count too. */
	for (step = 0; fired && step < 50000; step++) {
		ADRLIST *list = NULL;
		SizedFlagList(4, fl);
		SPropValue *before[4];
		struct lg g;
		HRESULT hr;
		ULONG i;

		lg_up(&g);
		assert_int_equal(host_MAPIAllocateBuffer((ULONG)CbNewADRLIST(4), (void **)&list),
		                 S_OK);
		list->cEntries = 4;
		fl.cFlags = 4;
		for (i = 0; i < 4; i++) {
			set_entry(&list->aEntries[i], names[i]);
			before[i] = list->aEntries[i].rgPropVals;
			fl.ulFlag[i] = MAPI_UNRESOLVED;
		}
		core_failalloc_arm(step);
		hr = IABContainer_ResolveNames(g.ct, NULL, 0, list, (LPFlagList)&fl);
		fired = core_failalloc_disarm();
		if (SUCCEEDED(hr)) {
			assert_int_equal(hr, S_OK);
			for (i = 0; i < 4; i++)
				assert_int_equal(fl.ulFlag[i], want[i]);
		} else {
			failures++;
			for (i = 0; i < 4; i++) {
				assert_ptr_equal(list->aEntries[i].rgPropVals, before[i]);
				assert_int_equal(list->aEntries[i].cValues, 1);
				assert_int_equal(fl.ulFlag[i], MAPI_UNRESOLVED);
			}
		}
		host_FreePadrlist(list);
		lg_down(&g);
		assert_int_equal(host_mem_live_blocks(), 0);
	}
	print_message("  %ld allocation sites, %d calls failed cleanly\n", step, failures);
	assert_false(fired);            /* the last pass met no armed failure */
	assert_true(failures > 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_internal_allocation_failed_once_MM7),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
