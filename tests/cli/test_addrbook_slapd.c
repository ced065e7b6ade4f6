/*
 * test_addrbook_slapd.c - the host's IAddrBook side (HO-4, CT-10) over the real
 * module and the slapd fixture: the search path from the root's hierarchy,
 * PR_ANR pick-lists, ResolveName's outcomes per entry and its return codes,
 * one-offs for custom recipients, settled entries left alone, MM-7 shapes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <mapi/mapidefs.h>
#include <mapi/mapicode.h>
#include <mapi/mapitags.h>
#include <mapi/mapispi.h>
#include <ldapab/profile.h>
#include "ldapab_host/host.h"
#include "ldapab_host/addrbook.h"
#include "slapd_env.h"

struct fx {
	host_provider *prov;
	host_profile *prof;
	host_session *sess;
	host_logon *logon;
};

static int setup_with(void **state, const char *containers)
{
	struct fx *f = calloc(1, sizeof(*f));
	SPropValue v[4];
	WCHAR *mv[2] = { NULL, NULL };
	ULONG n = 0;

	assert_non_null(f);
	assert_int_equal(host_provider_load(LDAPAB_MODULE_PATH, NULL, &f->prov, NULL), S_OK);
	assert_int_equal(host_profile_new("ab", NULL, &f->prof), S_OK);
	memset(v, 0, sizeof(v));
	v[n].ulPropTag = PR_LDAPAB_SERVER_URIS_A;
	v[n++].Value.lpszA = (LPSTR)slapd_env("LDAPAB_TEST_URI");
	v[n].ulPropTag = PR_LDAPAB_BASE_DN_A;
	v[n++].Value.lpszA = (LPSTR)slapd_env("LDAPAB_TEST_BASE");
	if (containers) {
		/* Two containers: all people, and the groups only. */
		char a[256], b[256];

		snprintf(a, sizeof(a), "People|ou=People,%s", slapd_env("LDAPAB_TEST_BASE"));
		snprintf(b, sizeof(b), "Groups|ou=Groups,%s", slapd_env("LDAPAB_TEST_BASE"));
		assert_int_equal(host_utf8_to_utf16(a, &mv[0]), S_OK);
		assert_int_equal(host_utf8_to_utf16(b, &mv[1]), S_OK);
		v[n].ulPropTag = PR_LDAPAB_CONTAINERS_W;
		v[n].Value.MVszW.cValues = 2;
		v[n++].Value.MVszW.lppszW = mv;
	}
	assert_int_equal(host_provider_service_entry(f->prov, f->prof, 0, MSG_SERVICE_CONFIGURE, n,
	                                             v, NULL), S_OK);
	(void)host_MAPIFreeBuffer(mv[0]);
	(void)host_MAPIFreeBuffer(mv[1]);
	assert_int_equal(host_session_new(NULL, &f->sess), S_OK);
	assert_int_equal(host_session_logon(f->sess, f->prov, f->prof, 0, &f->logon, NULL), S_OK);
	*state = f;
	return 0;
}

static int setup(void **state)
{
	return setup_with(state, NULL);
}

static int setup_two(void **state)
{
	return setup_with(state, "two");
}

static int teardown(void **state)
{
	struct fx *f = *state;

	host_provider_release(f->prov);
	host_session_free(f->sess);
	host_profile_release(f->prof);
	free(f);
	assert_int_equal(host_mem_live_blocks(), 0);
	return 0;
}

static LPADRLIST names_list(ULONG n, const char *const *names)
{
	LPADRLIST l = NULL;

	assert_int_equal(host_MAPIAllocateBuffer(CbNewADRLIST(n), (void **)&l), S_OK);
	l->cEntries = n;
	for (ULONG i = 0; i < n; i++) {
		ADRENTRY *e = (ADRENTRY *)l->aEntries + i;

		e->ulReserved1 = 0;
		e->cValues = 1;
		assert_int_equal(host_MAPIAllocateBuffer(sizeof(SPropValue), (void **)&e->rgPropVals),
		                 S_OK);
		e->rgPropVals[0].ulPropTag = PR_DISPLAY_NAME_A;
		e->rgPropVals[0].dwAlignPad = 0;
		assert_int_equal(host_MAPIAllocateMore((ULONG)strlen(names[i]) + 1, e->rgPropVals,
		                                       (void **)&e->rgPropVals[0].Value.lpszA), S_OK);
		strcpy(e->rgPropVals[0].Value.lpszA, names[i]);
	}
	return l;
}

/* Rows and entries by index through a pointer: the arrays are declared with
 * MAPI_DIM (1) elements and allocated longer. */
static SRow *row_at(LPSRowSet rs, ULONG i)
{
	SRow *r = rs->aRow;

	return r + i;
}

static ADRENTRY *entry_at(LPADRLIST l, ULONG i)
{
	ADRENTRY *e = l->aEntries;

	return e + i;
}

static const SPropValue *find(const ADRENTRY *e, ULONG tag)
{
	for (ULONG i = 0; i < e->cValues; i++)
		if (e->rgPropVals[i].ulPropTag == tag)
			return &e->rgPropVals[i];
	return NULL;
}

static void test_containers_and_search_path_CT10(void **state)
{
	struct fx *f = *state;
	LPSRowSet rows = NULL;
	char *err = NULL;

	assert_int_equal(host_session_containers(f->sess, 0, &rows, &err), S_OK);
	assert_null(err);
	assert_int_equal(rows->cRows, 2);
	for (ULONG i = 0; i < rows->cRows; i++) {
		assert_int_equal((*row_at(rows, i)).cValues, HOST_CONTAINER_COLUMNS);
		assert_int_equal((*row_at(rows, i)).lpProps[0].ulPropTag, PR_ENTRYID);
		assert_int_equal((*row_at(rows, i)).lpProps[2].ulPropTag, PR_CONTAINER_FLAGS);
		assert_true((*row_at(rows, i)).lpProps[2].Value.l & AB_RECIPIENTS);
	}
	assert_true(host_utf16_eq_utf8((*row_at(rows, 0)).lpProps[1].Value.lpszW, "People"));
	assert_true(host_utf16_eq_utf8((*row_at(rows, 1)).lpProps[1].Value.lpszW, "Groups"));
	host_FreeProws(rows);
}

static void test_find_anr_over_the_search_path_dedups_and_caps(void **state)
{
	struct fx *f = *state;
	LPSRowSet rows = NULL;
	int trunc = 0;

	assert_int_equal(host_session_find_anr(f->sess, "smith", NULL, 0, &rows, &trunc, NULL), S_OK);
	assert_true(rows->cRows >= 4);
	assert_false(trunc);
	for (ULONG i = 0; i < rows->cRows; i++)
		for (ULONG k = i + 1; k < rows->cRows; k++)
			assert_false((*row_at(rows, i)).lpProps[0].Value.bin.cb ==
			             (*row_at(rows, k)).lpProps[0].Value.bin.cb &&
			             memcmp((*row_at(rows, i)).lpProps[0].Value.bin.lpb,
			                    (*row_at(rows, k)).lpProps[0].Value.bin.lpb,
			                    (*row_at(rows, k)).lpProps[0].Value.bin.cb) == 0);
	ULONG all = rows->cRows;
	host_FreeProws(rows);
	assert_int_equal(host_session_find_anr(f->sess, "smith", NULL, 2, &rows, &trunc, NULL), S_OK);
	assert_int_equal(rows->cRows, 2);
	assert_true(trunc || all == 2);
	host_FreeProws(rows);
	/* Groups come from the second container. */
	assert_int_equal(host_session_find_anr(f->sess, "leadership", NULL, 0, &rows, NULL, NULL),
	                 S_OK);
	assert_int_equal(rows->cRows, 1);
	host_FreeProws(rows);
	assert_int_equal(host_session_find_anr(f->sess, NULL, NULL, 0, &rows, NULL, NULL),
	                 MAPI_E_INVALID_PARAMETER);
}

static void test_resolve_name_outcomes_per_entry_HO4(void **state)
{
	struct fx *f = *state;
	static const char *const names[] = {
		"Mary Johnson", "chris", "Zebulon Nobody", "[SMTP:someone@elsewhere.org]",
		"Leadership Team", "mary.johnson@example.com",
	};
	LPADRLIST l = names_list(6, names);
	SizedFlagList(6, st) = { 6, { 9, 9, 9, 9, 9, 9 } };
	char *err = NULL;
	const SPropValue *v;

	assert_int_equal(host_session_resolve_name(f->sess, MAPI_UNICODE, l, (LPFlagList)&st, &err),
	                 MAPI_E_AMBIGUOUS_RECIP);
	assert_null(err);
	assert_int_equal(l->cEntries, 6);
	assert_int_equal(st.ulFlag[0], MAPI_RESOLVED);
	assert_int_equal(st.ulFlag[1], MAPI_AMBIGUOUS);
	assert_int_equal(st.ulFlag[2], MAPI_UNRESOLVED);
	assert_int_equal(st.ulFlag[3], MAPI_RESOLVED);
	assert_int_equal(st.ulFlag[4], MAPI_RESOLVED);
	assert_int_equal(st.ulFlag[5], MAPI_RESOLVED);

	/* Resolved: the directory's name replaces the typed one; CT-11l set. */
	v = find(&(*entry_at(l, 0)), PR_DISPLAY_NAME_W);
	assert_non_null(v);
	assert_true(host_utf16_eq_utf8(v->Value.lpszW, "Mary Johnson"));
	assert_non_null(find(&(*entry_at(l, 0)), PR_ENTRYID));
	v = find(&(*entry_at(l, 0)), PR_EMAIL_ADDRESS_W);
	assert_non_null(v);
	assert_true(host_utf16_eq_utf8(v->Value.lpszW, "mary.johnson@example.com"));
	assert_null(find(&(*entry_at(l, 0)), PR_DISPLAY_NAME_A));      /* no duplicate ID */
	v = find(&(*entry_at(l, 4)), PR_OBJECT_TYPE);
	assert_non_null(v);
	assert_int_equal(v->Value.l, MAPI_DISTLIST);
	v = find(&(*entry_at(l, 5)), PR_DISPLAY_NAME_W);
	assert_true(host_utf16_eq_utf8(v->Value.lpszW, "Mary Johnson"));

	/* Ambiguous and unresolved entries are unchanged. */
	assert_int_equal((*entry_at(l, 1)).cValues, 1);
	assert_string_equal((*entry_at(l, 1)).rgPropVals[0].Value.lpszA, "chris");
	assert_int_equal((*entry_at(l, 2)).cValues, 1);

	/* The custom recipient is a one-off: MAPI's one-off UID at bytes 4-19. */
	{
		static const BYTE oneoff[16] = MAPI_ONE_OFF_UID;

		v = find(&(*entry_at(l, 3)), PR_ENTRYID);
		assert_non_null(v);
		assert_true(v->Value.bin.cb > 24);
		assert_memory_equal(v->Value.bin.lpb + 4, oneoff, 16);
		v = find(&(*entry_at(l, 3)), PR_ADDRTYPE_W);
		assert_true(host_utf16_eq_utf8(v->Value.lpszW, "SMTP"));
		v = find(&(*entry_at(l, 3)), PR_EMAIL_ADDRESS_W);
		assert_true(host_utf16_eq_utf8(v->Value.lpszW, "someone@elsewhere.org"));
	}

	/* A second call leaves the settled entries alone (CT-11c). */
	{
		LPSPropValue before = (*entry_at(l, 0)).rgPropVals;

		assert_int_equal(host_session_resolve_name(f->sess, MAPI_UNICODE, l, (LPFlagList)&st,
		                                           NULL), MAPI_E_AMBIGUOUS_RECIP);
		assert_ptr_equal((*entry_at(l, 0)).rgPropVals, before);
	}
	host_FreePadrlist(l);
}

static void test_resolve_name_return_codes_and_8bit(void **state)
{
	struct fx *f = *state;
	static const char *const one[] = { "Søren Ødegård" };
	static const char *const missing[] = { "Zebulon Nobody" };
	LPADRLIST l = names_list(1, one);
	const SPropValue *v;

	assert_int_equal(host_session_resolve_name(f->sess, 0, l, NULL, NULL), S_OK);
	v = find(&(*entry_at(l, 0)), PR_DISPLAY_NAME_A);
	assert_non_null(v);
	assert_string_equal(v->Value.lpszA, "Søren Ødegård");
	v = find(&(*entry_at(l, 0)), PR_EMAIL_ADDRESS_A);
	assert_string_equal(v->Value.lpszA, "soren.odegard@example.com");
	host_FreePadrlist(l);

	l = names_list(1, missing);
	assert_int_equal(host_session_resolve_name(f->sess, 0, l, NULL, NULL), MAPI_E_NOT_FOUND);
	assert_int_equal(host_session_resolve_name(f->sess, 0x1, l, NULL, NULL),
	                 MAPI_E_UNKNOWN_FLAGS);
	{
		SizedFlagList(2, bad) = { 2, { 0, 0 } };

		assert_int_equal(host_session_resolve_name(f->sess, 0, l, (LPFlagList)&bad, NULL),
		                 MAPI_E_INVALID_PARAMETER);
	}
	host_FreePadrlist(l);
	assert_int_equal(host_session_resolve_name(f->sess, 0, NULL, NULL, NULL),
	                 MAPI_E_INVALID_PARAMETER);
}

static void test_resolve_name_network_error_has_text(void **state)
{
	struct fx *f = *state;
	host_provider *p = NULL;
	host_profile *prof = NULL;
	host_session *s = NULL;
	host_logon *lg = NULL;
	static const char *const one[] = { "Mary Johnson" };
	LPADRLIST l = names_list(1, one);
	SPropValue v[2];
	char *err = NULL;
	HRESULT hr;

	(void)f;
	assert_int_equal(host_provider_load(LDAPAB_MODULE_PATH, NULL, &p, NULL), S_OK);
	assert_int_equal(host_profile_new("dead", NULL, &prof), S_OK);
	memset(v, 0, sizeof(v));
	v[0].ulPropTag = PR_LDAPAB_SERVER_URIS_A;
	v[0].Value.lpszA = "ldap://127.0.0.1:9";
	v[1].ulPropTag = PR_LDAPAB_CONNECT_TIMEOUT;
	v[1].Value.l = 2;
	assert_int_equal(host_provider_service_entry(p, prof, 0, MSG_SERVICE_CONFIGURE, 2, v, NULL),
	                 S_OK);
	assert_int_equal(host_session_new(NULL, &s), S_OK);
	assert_int_equal(host_session_logon(s, p, prof, 0, &lg, NULL), S_OK);
	hr = host_session_resolve_name(s, 0, l, NULL, &err);
	assert_int_equal(hr, MAPI_E_NETWORK_ERROR);
	assert_non_null(err);
	assert_non_null(strstr(err, "127.0.0.1"));
	assert_int_equal((*entry_at(l, 0)).cValues, 1);     /* untouched */
	(void)host_MAPIFreeBuffer(err);
	host_FreePadrlist(l);
	host_provider_release(p);
	host_session_free(s);
	host_profile_release(prof);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_containers_and_search_path_CT10, setup_two,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_find_anr_over_the_search_path_dedups_and_caps,
		                                setup_two, teardown),
		cmocka_unit_test_setup_teardown(test_resolve_name_outcomes_per_entry_HO4, setup_two,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_resolve_name_return_codes_and_8bit, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_resolve_name_network_error_has_text, setup,
		                                teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
