/* Hostile callers: every method of every object the provider hands out
 * (logon, root and directory containers, mail user, distribution list,
 * status object, contents and member tables) called with NULL pointers,
 * unknown flags, zero and huge counts, malformed, truncated and oversize
 * entry IDs, restrictions nested 10,000 deep and on every property type,
 * and ADRLISTs whose flag lists do not match.  Each call gets the code the
 * spec gives it (LO-*, CT-*, MU-*, TB-*, ST-*) and nothing changes: the
 * object's properties, the table's view and cursor, the ADRLIST and its
 * flags are as before, outputs stay NULL, and nothing is left allocated.
 * Against the fixture slapd through ABProviderInit and the host's support
 * object. */
#include "hostile_util.h"

#include <mapi/mapiguid.h>

#include "table.h"

struct objs {
	struct plg g;
	IABContainer *root, *dir;
	IMailUser *mu;
	IDistList *dl;
	IMAPIStatus *st;
	BYTE *mu_eid, *dl_eid;
	ULONG mu_cb, dl_cb;
};

static struct objs O;

static int setup(void **state)
{
	ULONG type = 0;

	(void)state;
	hlg_fixture(&O.g, 0, NULL);
	O.root = plg_open_root(&O.g);
	O.dir = plg_open_directory(&O.g);
	O.mu_eid = h_find_eid(O.dir, "Margaret Thornton", &O.mu_cb, &type);
	assert_int_equal(type, MAPI_MAILUSER);
	O.dl_eid = h_find_eid(O.dir, "Engineering", &O.dl_cb, &type);
	assert_int_equal(type, MAPI_DISTLIST);
	assert_int_equal(IABLogon_OpenEntry(O.g.l, O.mu_cb, (LPENTRYID)O.mu_eid, NULL, 0, &type,
	                                    (LPUNKNOWN *)&O.mu), S_OK);
	assert_int_equal(IABLogon_OpenEntry(O.g.l, O.dl_cb, (LPENTRYID)O.dl_eid, NULL, 0, &type,
	                                    (LPUNKNOWN *)&O.dl), S_OK);
	assert_int_equal(O.g.l->lpVtbl->OpenStatusEntry(O.g.l, NULL, 0, &type,
	                                                (LPMAPISTATUS *)&O.st), S_OK);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	O.st->lpVtbl->Release(O.st);
	O.dl->lpVtbl->Release(O.dl);
	O.mu->lpVtbl->Release(O.mu);
	O.dir->lpVtbl->Release(O.dir);
	O.root->lpVtbl->Release(O.root);
	free(O.mu_eid);
	free(O.dl_eid);
	plg_done(&O.g);
	return 0;
}

/* ---- "nothing changes": a digest of everything GetProps shows ---- */

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ull;
	return h;
}

static uint64_t digest(LPMAPIPROP o)
{
	LPSPropValue v = NULL;
	ULONG n = 0;
	uint64_t h = 1469598103934665603ull;

	assert_int_equal(o->lpVtbl->GetProps(o, NULL, MAPI_UNICODE, &n, &v), S_OK);
	for (ULONG i = 0; i < n; i++) {
		h = fnv(h, &v[i].ulPropTag, sizeof(ULONG));
		switch (PROP_TYPE(v[i].ulPropTag)) {
		case PT_UNICODE: {
			size_t k = 0;

			while (v[i].Value.lpszW[k])
				k++;
			h = fnv(h, v[i].Value.lpszW, k * sizeof(WCHAR));
			break;
		}
		case PT_BINARY:
			h = fnv(h, v[i].Value.bin.lpb, v[i].Value.bin.cb);
			break;
		case PT_LONG:
		case PT_ERROR:
			h = fnv(h, &v[i].Value.l, sizeof(LONG));
			break;
		case PT_BOOLEAN:
			h = fnv(h, &v[i].Value.b, sizeof(v[i].Value.b));
			break;
		case PT_MV_UNICODE:
			h = fnv(h, &v[i].Value.MVszW.cValues, sizeof(ULONG));
			break;
		default:
			break;
		}
	}
	h_check_values(n, v);
	host_MAPIFreeBuffer(v);
	return h;
}

/* ---- IMAPIProp, the part every object shares (MU-4, MU-5, MU-7, MU-8) ---- */

static void prop_battery(LPMAPIPROP o, bool status)
{
	static const ULONG odd_tags[] = { 0xFFFF001F, PROP_TAG(PT_ERROR, 0x3001), PR_NULL,
	                                  PROP_TAG(PT_OBJECT, 0x3613), PROP_TAG(PT_CLSID, 0x3001),
	                                  PROP_TAG(PT_I8, 0x3001), PROP_TAG(PT_MV_BINARY, 0x3001),
	                                  PROP_TAG(0x0FFF, 0x1234) };
	uint64_t before = digest(o);
	SizedSPropTagArray(8, tags);
	SizedSPropTagArray(1, none);
	LPSPropValue v = NULL;
	LPSPropTagArray list = NULL;
	LPSPropProblemArray probs = NULL;
	LPMAPIERROR err = NULL;
	LPUNKNOWN u = NULL;
	SPropValue setv;
	ULONG n = 0xABCD;
	HRESULT hr;

	/* GetProps: flags, NULL outputs, zero count, every odd tag. */
	assert_int_equal(o->lpVtbl->GetProps(o, NULL, 0x40000000u, &n, &v), MAPI_E_UNKNOWN_FLAGS);
	assert_null(v);
	assert_int_equal(o->lpVtbl->GetProps(o, NULL, 0, NULL, &v), MAPI_E_INVALID_PARAMETER);
	assert_int_equal(o->lpVtbl->GetProps(o, NULL, 0, &n, NULL), MAPI_E_INVALID_PARAMETER);
	none.cValues = 0;
	assert_int_equal(o->lpVtbl->GetProps(o, (LPSPropTagArray)&none, 0, &n, &v),
	                 MAPI_E_INVALID_PARAMETER);
	assert_null(v);
	tags.cValues = 8;
	memcpy(tags.aulPropTag, odd_tags, sizeof(odd_tags));
	hr = o->lpVtbl->GetProps(o, (LPSPropTagArray)&tags, MAPI_UNICODE, &n, &v);
	assert_int_equal(hr, MAPI_W_ERRORS_RETURNED);
	assert_int_equal(n, 8);
	for (ULONG i = 0; i < n; i++) {
		if (odd_tags[i] == PR_NULL)
			continue;
		/* MU-4f: PT_ERROR with the property ID kept. */
		assert_int_equal(PROP_TYPE(v[i].ulPropTag), PT_ERROR);
		assert_int_equal(PROP_ID(v[i].ulPropTag), PROP_ID(odd_tags[i]));
	}
	host_MAPIFreeBuffer(v);
	v = NULL;

	/* GetPropList. */
	assert_int_equal(o->lpVtbl->GetPropList(o, 0x1000, &list), MAPI_E_UNKNOWN_FLAGS);
	assert_null(list);
	assert_int_equal(o->lpVtbl->GetPropList(o, 0, NULL), MAPI_E_INVALID_PARAMETER);

	/* OpenProperty (MU-7). */
	assert_int_equal(o->lpVtbl->OpenProperty(o, PR_DISPLAY_NAME_W, NULL, 0, 0, &u),
	                 MAPI_E_INVALID_PARAMETER);
	assert_int_equal(o->lpVtbl->OpenProperty(o, PROP_TAG(PT_UNSPECIFIED, 0x3001),
	                                         &IID_IMAPITable, 0, 0, &u),
	                 MAPI_E_INVALID_PARAMETER);
	assert_int_equal(o->lpVtbl->OpenProperty(o, PR_CONTAINER_CONTENTS, &IID_IMAPITable, 0, 0,
	                                         NULL), MAPI_E_INVALID_PARAMETER);
	hr = o->lpVtbl->OpenProperty(o, PROP_TAG(PT_OBJECT, 0x7777), &IID_IMAPITable, 0, 0, &u);
	assert_true(hr == MAPI_E_NOT_FOUND || hr == MAPI_E_NO_SUPPORT);
	assert_null(u);

	/* Read-only (MU-8, CT-12, ST-5). */
	setv.ulPropTag = PR_DISPLAY_NAME_A;
	setv.dwAlignPad = 0;
	setv.Value.lpszA = (LPSTR)"Mallory";
	assert_int_equal(o->lpVtbl->SetProps(o, 1, &setv, &probs), MAPI_E_NO_ACCESS);
	assert_null(probs);
	hr = o->lpVtbl->SetProps(o, 0xFFFFFFFF, NULL, NULL);
	assert_true(hr == MAPI_E_NO_ACCESS || hr == MAPI_E_INVALID_PARAMETER);
	tags.cValues = 1;
	tags.aulPropTag[0] = PR_DISPLAY_NAME_W;
	assert_int_equal(o->lpVtbl->DeleteProps(o, (LPSPropTagArray)&tags, &probs),
	                 MAPI_E_NO_ACCESS);
	assert_null(probs);
	assert_int_equal(o->lpVtbl->SaveChanges(o, 0), MAPI_E_NO_ACCESS);
	assert_int_equal(o->lpVtbl->SaveChanges(o, 0xFFFF00), MAPI_E_UNKNOWN_FLAGS);

	/* Named properties (MU-8). */
	{
		LPMAPINAMEID *names = NULL;
		LPSPropTagArray ids = NULL;
		ULONG cn = 0;

		assert_int_equal(o->lpVtbl->GetNamesFromIDs(o, &list, NULL, 0, &cn, &names),
		                 MAPI_E_NO_SUPPORT);
		assert_null(names);
		assert_int_equal(o->lpVtbl->GetIDsFromNames(o, 0, NULL, 0, &ids), MAPI_E_NO_SUPPORT);
		assert_null(ids);
	}

	/* CopyTo / CopyProps without a destination. */
	hr = o->lpVtbl->CopyTo(o, 0, NULL, NULL, 0, NULL, &IID_IMAPIProp, NULL, 0, NULL);
	assert_int_equal(hr, MAPI_E_INVALID_PARAMETER);
	hr = o->lpVtbl->CopyProps(o, NULL, 0, NULL, &IID_IMAPIProp, NULL, 0, NULL);
	assert_int_equal(hr, MAPI_E_INVALID_PARAMETER);

	/* GetLastError (LO-1). */
	assert_int_equal(o->lpVtbl->GetLastError(o, MAPI_E_NO_ACCESS, 0x10, &err),
	                 MAPI_E_UNKNOWN_FLAGS);
	assert_null(err);
	assert_int_equal(o->lpVtbl->GetLastError(o, MAPI_E_NO_ACCESS, 0, NULL),
	                 MAPI_E_INVALID_PARAMETER);
	assert_int_equal(o->lpVtbl->GetLastError(o, MAPI_E_NO_ACCESS, MAPI_UNICODE, &err), S_OK);
	if (err != NULL) {
		assert_true(h_utf16_ok((const WCHAR *)err->lpszError, NULL));
		host_MAPIFreeBuffer(err);
	}

	/* QueryInterface (TH-2). */
	assert_int_equal(o->lpVtbl->QueryInterface(o, &IID_IMAPIProp, NULL),
	                 MAPI_E_INVALID_PARAMETER);
	u = (LPUNKNOWN)&u;
	assert_int_equal(o->lpVtbl->QueryInterface(o, &IID_IMsgStore, (void **)&u),
	                 MAPI_E_INTERFACE_NOT_SUPPORTED);
	assert_null(u);
	(void)status;
	assert_true(digest(o) == before);
}

static void test_MU4_MU8_every_object_refuses_bad_prop_calls_and_is_unchanged(void **state)
{
	(void)state;
	prop_battery((LPMAPIPROP)O.root, false);
	prop_battery((LPMAPIPROP)O.dir, false);
	prop_battery((LPMAPIPROP)O.mu, false);
	prop_battery((LPMAPIPROP)O.dl, false);
	prop_battery((LPMAPIPROP)O.st, true);
}

/* ---- containers and DLs (CT-5, CT-6, CT-7, CT-12, CT-13, MU-3) ---- */

static void container_battery(LPMAPICONTAINER c, bool is_dl)
{
	uint64_t before = digest((LPMAPIPROP)c);
	LPMAPITABLE t = NULL;
	LPSRestriction res = NULL;
	LPENTRYLIST ents = NULL;
	ULONG state = 0;
	HRESULT hr;

	assert_int_equal(c->lpVtbl->GetContentsTable(c, 0x00100000, &t), MAPI_E_UNKNOWN_FLAGS);
	assert_null(t);
	hr = c->lpVtbl->GetContentsTable(c, 0, NULL);
	assert_int_equal(hr, MAPI_E_INVALID_PARAMETER);
	hr = c->lpVtbl->GetHierarchyTable(c, 0x00100000, &t);
	assert_true(hr == MAPI_E_UNKNOWN_FLAGS || hr == MAPI_E_NO_SUPPORT);
	assert_null(t);
	hr = c->lpVtbl->GetHierarchyTable(c, 0, NULL);
	assert_true(hr == MAPI_E_INVALID_PARAMETER || hr == MAPI_E_NO_SUPPORT);
	assert_int_equal(c->lpVtbl->SetSearchCriteria(c, NULL, NULL, 0), MAPI_E_NO_SUPPORT);
	assert_int_equal(c->lpVtbl->GetSearchCriteria(c, 0, &res, &ents, &state),
	                 MAPI_E_NO_SUPPORT);
	assert_null(res);
	assert_null(ents);
	if (!is_dl) {
		IABContainer *ab = (IABContainer *)c;
		ENTRYLIST el = { 0, NULL };
		LPMAPIPROP made = NULL;

		assert_int_equal(ab->lpVtbl->CreateEntry(ab, O.mu_cb, (LPENTRYID)O.mu_eid, 0, &made), MAPI_E_NO_SUPPORT);
		assert_null(made);
		assert_int_equal(ab->lpVtbl->CopyEntries(ab, &el, 0, NULL, 0), MAPI_E_NO_SUPPORT);
		assert_int_equal(ab->lpVtbl->DeleteEntries(ab, &el, 0), MAPI_E_NO_SUPPORT);
	}
	assert_true(digest((LPMAPIPROP)c) == before);
}

static void test_CT12_CT13_MU3_containers_and_dl_refuse_bad_calls(void **state)
{
	LPMAPITABLE t = NULL;
	HRESULT hr;

	(void)state;
	container_battery((LPMAPICONTAINER)O.root, false);
	container_battery((LPMAPICONTAINER)O.dir, false);
	container_battery((LPMAPICONTAINER)O.dl, true);
	/* MU-3: a DL has no hierarchy and resolves nothing. */
	assert_int_equal(O.dl->lpVtbl->GetHierarchyTable(O.dl, 0, &t), MAPI_E_NO_SUPPORT);
	assert_null(t);
	/* CT-1: the root holds no recipients. */
	hr = O.root->lpVtbl->GetContentsTable(O.root, 0, &t);
	assert_int_equal(hr, MAPI_E_NO_SUPPORT);
	assert_null(t);
}

/* ---- entry IDs (LO-2, LO-3, CT-14) ---- */

static bool eid_outcome_ok(HRESULT hr)
{
	return hr == S_OK || hr == MAPI_E_INVALID_ENTRYID || hr == MAPI_E_UNKNOWN_ENTRYID ||
	       hr == MAPI_E_NOT_FOUND;
}

/* Every truncation, every single-byte change, oversize IDs and junk, through
 * the logon's and a container's OpenEntry and CompareEntryIDs. */
static void eid_battery(const BYTE *eid, ULONG cb, ULONG want_type)
{
	size_t big_cb = 1u << 20;
	BYTE *buf = malloc(big_cb);
	ULONG type, ret;
	LPUNKNOWN u;
	HRESULT hr;

	assert_non_null(buf);
	for (ULONG len = 1; len < cb; len++) {
		memcpy(buf, eid, len);
		u = NULL;
		type = 0xABCD;
		assert_int_equal(IABLogon_OpenEntry(O.g.l, len, (LPENTRYID)buf, NULL, 0, &type, &u),
		                 MAPI_E_INVALID_ENTRYID);
		assert_null(u);
		assert_int_equal(O.dir->lpVtbl->OpenEntry(O.dir, len, (LPENTRYID)buf, NULL, 0, &type,
		                                          &u), MAPI_E_INVALID_ENTRYID);
		assert_null(u);
		ret = TRUE;
		assert_int_equal(O.g.l->lpVtbl->CompareEntryIDs(O.g.l, len, (LPENTRYID)buf, cb,
		                                                (LPENTRYID)eid, 0, &ret),
		                 MAPI_E_INVALID_ENTRYID);
		assert_int_equal(ret, FALSE);
	}
	for (ULONG i = 0; i < cb; i++) {
		for (int flip = 1; flip < 2; flip++) {
			memcpy(buf, eid, cb);
			buf[i] ^= 0xFF;
			u = NULL;
			hr = IABLogon_OpenEntry(O.g.l, cb, (LPENTRYID)buf, NULL, 0, &type, &u);
			if (!eid_outcome_ok(hr))
				fail_msg("byte %u ^%s: 0x%08X", (unsigned)i, flip ? "FF" : "01",
				         (unsigned)hr);
			if (hr == S_OK) {
				/* abFlags are ignored (EK-3); the DN hint may be wrong. */
				assert_int_equal(type, want_type);
				u->lpVtbl->Release(u);
			} else {
				assert_null(u);
			}
		}
	}
	/* Oversize: a valid ID followed by a megabyte of junk, and junk alone. */
	memcpy(buf, eid, cb);
	for (size_t i = cb; i < big_cb; i++)
		buf[i] = (BYTE)(i * 7);
	u = NULL;
	hr = IABLogon_OpenEntry(O.g.l, (ULONG)big_cb, (LPENTRYID)buf, NULL, 0, &type, &u);
	assert_int_equal(hr, MAPI_E_INVALID_ENTRYID);
	assert_null(u);
	hr = O.g.l->lpVtbl->CompareEntryIDs(O.g.l, (ULONG)big_cb, (LPENTRYID)buf, cb,
	                                    (LPENTRYID)eid, 0, &ret);
	assert_int_equal(hr, MAPI_E_INVALID_ENTRYID);
	memset(buf, 0, 64);
	hr = IABLogon_OpenEntry(O.g.l, 64, (LPENTRYID)buf, NULL, 0, &type, &u);
	assert_true(hr == MAPI_E_INVALID_ENTRYID || hr == MAPI_E_UNKNOWN_ENTRYID);
	assert_null(u);
	free(buf);
}

static void test_LO2_LO3_malformed_truncated_oversize_entry_ids(void **state)
{
	ULONG type = 0, ret = 0;
	LPUNKNOWN u = NULL;

	(void)state;
	eid_battery(O.mu_eid, O.mu_cb, MAPI_MAILUSER);
	eid_battery(O.dl_eid, O.dl_cb, MAPI_DISTLIST);

	/* NULL outputs, unknown flags, MAPI_MODIFY, a wrong interface. */
	assert_int_equal(IABLogon_OpenEntry(O.g.l, O.mu_cb, (LPENTRYID)O.mu_eid, NULL, 0, NULL, &u),
	                 MAPI_E_INVALID_PARAMETER);
	assert_int_equal(IABLogon_OpenEntry(O.g.l, O.mu_cb, (LPENTRYID)O.mu_eid, NULL, 0, &type,
	                                    NULL), MAPI_E_INVALID_PARAMETER);
	assert_int_equal(IABLogon_OpenEntry(O.g.l, O.mu_cb, (LPENTRYID)O.mu_eid, NULL, 0x40000000,
	                                    &type, &u), MAPI_E_UNKNOWN_FLAGS);
	assert_null(u);
	assert_int_equal(IABLogon_OpenEntry(O.g.l, O.mu_cb, (LPENTRYID)O.mu_eid, NULL, MAPI_MODIFY,
	                                    &type, &u), MAPI_E_NO_ACCESS);
	assert_null(u);
	assert_int_equal(IABLogon_OpenEntry(O.g.l, O.mu_cb, (LPENTRYID)O.mu_eid, &IID_IMsgStore, 0,
	                                    &type, &u), MAPI_E_INTERFACE_NOT_SUPPORTED);
	assert_null(u);
	assert_int_equal(O.g.l->lpVtbl->CompareEntryIDs(O.g.l, O.mu_cb, (LPENTRYID)O.mu_eid,
	                                                O.mu_cb, (LPENTRYID)O.mu_eid, 1, &ret),
	                 MAPI_E_UNKNOWN_FLAGS);
	assert_int_equal(O.g.l->lpVtbl->CompareEntryIDs(O.g.l, O.mu_cb, (LPENTRYID)O.mu_eid,
	                                                O.mu_cb, (LPENTRYID)O.mu_eid, 0, NULL),
	                 MAPI_E_INVALID_PARAMETER);
	assert_int_equal(O.g.l->lpVtbl->CompareEntryIDs(O.g.l, O.mu_cb, (LPENTRYID)O.mu_eid,
	                                                O.dl_cb, (LPENTRYID)O.dl_eid, 0, &ret),
	                 S_OK);
	assert_int_equal(ret, FALSE);
}

/* ---- the logon's other methods (LO-4..LO-8, LC-31) and the status object ---- */

static void test_LO4_to_LO8_LC31_ST4_logon_and_status_refuse_bad_calls(void **state)
{
	ULONG_PTR conn = 0;
	ULONG type = 0xABCD, before_n = 0;
	LPMAPISTATUS st = NULL;
	LPMAPITABLE t = NULL;
	LPMAPIPROP tmpl = NULL;
	ADRLIST *al;
	SPropValue *orig;
	SizedSPropTagArray(1, tags);
	static const char *const one[] = { "Margaret Thornton" };
	uint64_t st_before = digest((LPMAPIPROP)O.st);
	HRESULT hr;

	(void)state;
	assert_int_equal(O.g.l->lpVtbl->Advise(O.g.l, O.mu_cb, (LPENTRYID)O.mu_eid,
	                                       fnevObjectModified, NULL, &conn),
	                 MAPI_E_INVALID_PARAMETER);
	assert_int_equal(conn, 0);
	hr = O.g.l->lpVtbl->Unadvise(O.g.l, 0);
	assert_true(hr == MAPI_E_INVALID_PARAMETER || hr == MAPI_E_NOT_FOUND);
	assert_int_equal(O.g.l->lpVtbl->Unadvise(O.g.l, (ULONG_PTR)0xDEADBEEF), MAPI_E_NOT_FOUND);

	assert_int_equal(O.g.l->lpVtbl->OpenStatusEntry(O.g.l, &IID_IMsgStore, 0, &type, &st),
	                 MAPI_E_INTERFACE_NOT_SUPPORTED);
	assert_null(st);
	assert_int_equal(O.g.l->lpVtbl->OpenStatusEntry(O.g.l, NULL, 0x00100000, &type, &st),
	                 MAPI_E_UNKNOWN_FLAGS);
	assert_int_equal(O.g.l->lpVtbl->OpenStatusEntry(O.g.l, NULL, 0, &type, NULL),
	                 MAPI_E_INVALID_PARAMETER);
	assert_int_equal(O.g.l->lpVtbl->OpenTemplateID(O.g.l, O.mu_cb, (LPENTRYID)O.mu_eid, 0,
	                                               NULL, NULL, &tmpl, NULL), MAPI_E_NO_SUPPORT);
	assert_null(tmpl);
	assert_int_equal(O.g.l->lpVtbl->GetOneOffTable(O.g.l, 0, &t), MAPI_E_NO_SUPPORT);
	assert_null(t);

	/* PrepareRecips (LO-8): flags, NULL list, entries with junk IDs. */
	al = h_adrlist(1, one);
	orig = h_ent(al, 0)->rgPropVals;
	tags.cValues = 1;
	tags.aulPropTag[0] = PR_EMAIL_ADDRESS_W;
	assert_int_equal(O.g.l->lpVtbl->PrepareRecips(O.g.l, 0x00100000, (LPSPropTagArray)&tags,
	                                              al), MAPI_E_UNKNOWN_FLAGS);
	assert_int_equal(O.g.l->lpVtbl->PrepareRecips(O.g.l, 0, (LPSPropTagArray)&tags, NULL),
	                 MAPI_E_INVALID_PARAMETER);
	assert_int_equal(O.g.l->lpVtbl->PrepareRecips(O.g.l, 0, (LPSPropTagArray)&tags, al), S_OK);
	assert_ptr_equal(h_ent(al, 0)->rgPropVals, orig);  /* no PR_ENTRYID: skipped (LO-8b) */
	before_n = h_ent(al, 0)->cValues;
	assert_int_equal(before_n, 1);
	host_FreePadrlist(al);

	/* Logoff with flags: refused, and the logon still works (LC-31). */
	assert_int_equal(IABLogon_Logoff(O.g.l, 1), MAPI_E_UNKNOWN_FLAGS);
	{
		LPUNKNOWN u = NULL;

		assert_int_equal(IABLogon_OpenEntry(O.g.l, O.mu_cb, (LPENTRYID)O.mu_eid, NULL, 0,
		                                    &type, &u), S_OK);
		u->lpVtbl->Release(u);
	}

	/* Status (ST-4). */
	assert_int_equal(O.st->lpVtbl->ValidateState(O.st, 0, 0x40000000), MAPI_E_UNKNOWN_FLAGS);
	assert_int_equal(O.st->lpVtbl->SettingsDialog(O.st, 0, 0), MAPI_E_NO_SUPPORT);
	assert_int_equal(O.st->lpVtbl->ChangePassword(O.st, (LPTSTR)"old", (LPTSTR)"new", 0), MAPI_E_NO_SUPPORT);
	assert_int_equal(O.st->lpVtbl->FlushQueues(O.st, 0, 0, NULL, 0), MAPI_E_NO_SUPPORT);
	assert_true(digest((LPMAPIPROP)O.st) == st_before);
}

/* ---- ResolveNames with mismatched lists (CT-11) ---- */

static void test_CT11_resolvenames_mismatched_flag_lists_and_odd_entries(void **state)
{
	static const char *const names[] = { "Margaret Thornton", "Okafor", "Nobody Atall" };
	SizedFlagList(3, fl);
	SizedFlagList(1, short_fl);
	ADRLIST *al = h_adrlist(3, names);
	SPropValue *orig[3];
	ADRLIST *empty;
	FlagList zero = { 0, { 0 } };

	(void)state;
	for (ULONG i = 0; i < 3; i++) {
		orig[i] = h_ent(al, i)->rgPropVals;
		fl.ulFlag[i] = MAPI_UNRESOLVED;
	}
	fl.cFlags = 3;
	short_fl.cFlags = 1;
	short_fl.ulFlag[0] = MAPI_UNRESOLVED;
#define UNCHANGED()                                                                  \
	do {                                                                         \
		assert_int_equal(al->cEntries, 3);                                   \
		for (ULONG i_ = 0; i_ < 3; i_++) {                                   \
			assert_ptr_equal(h_ent(al, i_)->rgPropVals, orig[i_]);     \
			assert_int_equal(h_ent(al, i_)->cValues, 1);               \
			assert_int_equal(fl.ulFlag[i_], MAPI_UNRESOLVED);            \
		}                                                                    \
	} while (0)

	assert_int_equal(O.dir->lpVtbl->ResolveNames(O.dir, NULL, 0, NULL, (LPFlagList)&fl),
	                 MAPI_E_INVALID_PARAMETER);
	assert_int_equal(O.dir->lpVtbl->ResolveNames(O.dir, NULL, 0, al, NULL),
	                 MAPI_E_INVALID_PARAMETER);
	UNCHANGED();
	assert_int_equal(O.dir->lpVtbl->ResolveNames(O.dir, NULL, 0, al, (LPFlagList)&short_fl),
	                 MAPI_E_INVALID_PARAMETER);
	assert_int_equal(short_fl.ulFlag[0], MAPI_UNRESOLVED);
	UNCHANGED();
	fl.cFlags = 0xFFFFFFFF;         /* a huge count: refused before it is followed */
	assert_int_equal(O.dir->lpVtbl->ResolveNames(O.dir, NULL, 0, al, (LPFlagList)&fl),
	                 MAPI_E_INVALID_PARAMETER);
	fl.cFlags = 3;
	UNCHANGED();
	assert_int_equal(O.dir->lpVtbl->ResolveNames(O.dir, NULL, 0x00100000, al,
	                                             (LPFlagList)&fl), MAPI_E_UNKNOWN_FLAGS);
	UNCHANGED();
	/* The DL does not resolve (MU-3). */
	assert_int_equal(O.dl->lpVtbl->ResolveNames(O.dl, NULL, 0, al, (LPFlagList)&fl),
	                 MAPI_E_NO_SUPPORT);
	UNCHANGED();
	/* Zero entries, zero flags: nothing to do. */
	assert_int_equal(host_MAPIAllocateBuffer((ULONG)CbNewADRLIST(1), (void **)&empty), S_OK);
	empty->cEntries = 0;
	assert_int_equal(O.dir->lpVtbl->ResolveNames(O.dir, NULL, 0, empty, &zero), S_OK);
	assert_int_equal(empty->cEntries, 0);
	host_MAPIFreeBuffer(empty);

	/* A flag outside the three known values: the entry is not
	 * MAPI_UNRESOLVED, so it is left alone (CT-11c); the others resolve. */
	fl.ulFlag[1] = 0x77;
	assert_int_equal(O.dir->lpVtbl->ResolveNames(O.dir, NULL, 0, al, (LPFlagList)&fl), S_OK);
	assert_int_equal(fl.ulFlag[0], MAPI_RESOLVED);
	assert_int_equal(fl.ulFlag[1], 0x77);
	assert_ptr_equal(h_ent(al, 1)->rgPropVals, orig[1]);
	assert_int_equal(fl.ulFlag[2], MAPI_UNRESOLVED);
	fl.ulFlag[1] = MAPI_UNRESOLVED;

	/* Entries without properties, with a NULL name, with a name of the
	 * wrong type: skipped, the others resolve. */
	{
		SPropValue *v1 = h_ent(al, 1)->rgPropVals;

		h_ent(al, 1)->rgPropVals = NULL;
		h_ent(al, 1)->cValues = 0;
		assert_int_equal(O.dir->lpVtbl->ResolveNames(O.dir, NULL, 0, al, (LPFlagList)&fl),
		                 S_OK);
		assert_int_equal(fl.ulFlag[0], MAPI_RESOLVED);
		assert_int_equal(fl.ulFlag[1], MAPI_UNRESOLVED);
		assert_int_equal(fl.ulFlag[2], MAPI_UNRESOLVED);
		assert_null(h_ent(al, 1)->rgPropVals);
		h_ent(al, 1)->rgPropVals = v1;
		h_ent(al, 1)->cValues = 1;
		v1->ulPropTag = PROP_TAG(PT_LONG, PROP_ID(PR_DISPLAY_NAME_A));
		fl.ulFlag[0] = MAPI_RESOLVED;
		assert_int_equal(O.dir->lpVtbl->ResolveNames(O.dir, NULL, 0, al, (LPFlagList)&fl),
		                 S_OK);
		assert_int_equal(fl.ulFlag[1], MAPI_UNRESOLVED);
		assert_ptr_equal(h_ent(al, 1)->rgPropVals, v1);
		v1->ulPropTag = PR_DISPLAY_NAME_A;
		v1->Value.lpszA = NULL;
		{
			HRESULT hr = O.dir->lpVtbl->ResolveNames(O.dir, NULL, 0, al,
			                                         (LPFlagList)&fl);

			assert_true(hr == S_OK || hr == MAPI_E_INVALID_PARAMETER);
			assert_int_equal(fl.ulFlag[1], MAPI_UNRESOLVED);
			assert_ptr_equal(h_ent(al, 1)->rgPropVals, v1);
		}
	}
#undef UNCHANGED
	host_FreePadrlist(al);
}

/* ---- restrictions: 10,000 deep, and on every property type (TB-10) ---- */

static void view_of(LPMAPITABLE t, ULONG *count, ULONG *pos)
{
	ULONG num = 0, den = 0;

	assert_int_equal(t->lpVtbl->GetRowCount(t, 0, count), S_OK);
	assert_int_equal(t->lpVtbl->QueryPosition(t, pos, &num, &den), S_OK);
}

static void test_TB10_restriction_10000_deep_is_too_complex_and_view_stays(void **state)
{
	const ULONG depth = 10000;
	SRestriction *chain = calloc(depth, sizeof(*chain));
	LPMAPITABLE t = plg_contents(O.dir, 0), m = NULL;
	SPropValue pv;
	ULONG c0, p0, c1, p1;
	LONG sought = 0;

	(void)state;
	assert_non_null(chain);
	pv.ulPropTag = PR_DISPLAY_NAME_A;
	pv.Value.lpszA = (LPSTR)"M";
	for (ULONG i = 0; i + 1 < depth; i++) {
		/* Alternate NOT, AND and OR so every list kind nests. */
		switch (i % 3) {
		case 0:
			chain[i].rt = RES_NOT;
			chain[i].res.resNot.lpRes = &chain[i + 1];
			break;
		case 1:
			chain[i].rt = RES_AND;
			chain[i].res.resAnd.cRes = 1;
			chain[i].res.resAnd.lpRes = &chain[i + 1];
			break;
		default:
			chain[i].rt = RES_OR;
			chain[i].res.resOr.cRes = 1;
			chain[i].res.resOr.lpRes = &chain[i + 1];
			break;
		}
	}
	chain[depth - 1].rt = RES_CONTENT;
	chain[depth - 1].res.resContent.ulFuzzyLevel = FL_PREFIX | FL_IGNORECASE;
	chain[depth - 1].res.resContent.ulPropTag = PR_DISPLAY_NAME_A;
	chain[depth - 1].res.resContent.lpProp = &pv;

	assert_int_equal(t->lpVtbl->SeekRow(t, BOOKMARK_BEGINNING, 3, &sought), S_OK);
	view_of(t, &c0, &p0);
	assert_int_equal(t->lpVtbl->Restrict(t, chain, 0), MAPI_E_TOO_COMPLEX);
	assert_int_equal(t->lpVtbl->FindRow(t, chain, BOOKMARK_BEGINNING, 0), MAPI_E_TOO_COMPLEX);
	view_of(t, &c1, &p1);
	assert_int_equal(c1, c0);
	assert_int_equal(p1, p0);
	{
		LPMAPIERROR e = NULL;

		assert_int_equal(t->lpVtbl->GetLastError(t, MAPI_E_TOO_COMPLEX, 0, &e), S_OK);
		assert_non_null(e);
		assert_non_null(e->lpszError);
		assert_true(strlen((char *)e->lpszError) > 10);
		host_MAPIFreeBuffer(e);
	}
	/* The member table of a DL evaluates in memory: the same bound. */
	assert_int_equal(O.dl->lpVtbl->GetContentsTable(O.dl, 0, &m), S_OK);
	view_of(m, &c0, &p0);
	assert_int_equal(m->lpVtbl->Restrict(m, chain, 0), MAPI_E_TOO_COMPLEX);
	view_of(m, &c1, &p1);
	assert_int_equal(c1, c0);
	assert_int_equal(p1, p0);
	m->lpVtbl->Release(m);
	t->lpVtbl->Release(t);
	free(chain);
}

/* One RES_PROPERTY / RES_CONTENT / RES_EXIST / RES_BITMASK / RES_SIZE per
 * property type, on a property ID that is mapped (the display name), one
 * that is not, and PR_ANR: each is applied (S_OK) or refused with
 * MAPI_E_TOO_COMPLEX / MAPI_E_INVALID_PARAMETER leaving the view as it was. */
static void test_TB10_restrictions_on_every_property_type(void **state)
{
	static const ULONG types[] = { PT_NULL, PT_I2, PT_LONG, PT_R4, PT_DOUBLE, PT_CURRENCY,
	                               PT_APPTIME, PT_ERROR, PT_BOOLEAN, PT_OBJECT, PT_I8,
	                               PT_STRING8, PT_UNICODE, PT_SYSTIME, PT_CLSID, PT_BINARY,
	                               PT_MV_I2, PT_MV_LONG, PT_MV_STRING8, PT_MV_UNICODE,
	                               PT_MV_BINARY, PT_UNSPECIFIED, 0x0F0F };
	static const ULONG ids[] = { PROP_ID(PR_DISPLAY_NAME_A), PROP_ID(PR_ANR_A), 0x7ABC };
	static const ULONG rts[] = { RES_PROPERTY, RES_CONTENT, RES_EXIST, RES_BITMASK, RES_SIZE,
	                             RES_COMPAREPROPS, RES_SUBRESTRICTION, RES_COMMENT };
	LPMAPITABLE t = plg_contents(O.dir, MAPI_UNICODE);
	WCHAR wtext[] = { 'M', 'a', 0 };
	char *mv_a[] = { (char *)"Ma", (char *)"*)(uid=*" };
	WCHAR *mv_w[] = { wtext, wtext };
	SBinary bins[1] = { { 2, (LPBYTE)"Ma" } };
	GUID g = { 0 };
	unsigned applied = 0, refused = 0;
	bool dirty = true;
	ULONG c0 = 0, p0 = 0;

	(void)state;
	for (size_t ti = 0; ti < sizeof(types) / sizeof(types[0]); ti++)
		for (size_t ii = 0; ii < sizeof(ids) / sizeof(ids[0]); ii++)
			for (size_t ri = 0; ri < sizeof(rts) / sizeof(rts[0]); ri++) {
				ULONG tag = PROP_TAG(types[ti], ids[ii]), c1, p1;
				SRestriction r, sub;
				SPropValue pv;
				HRESULT hr;
				LONG sought;

				memset(&r, 0, sizeof(r));
				memset(&sub, 0, sizeof(sub));
				memset(&pv, 0, sizeof(pv));
				pv.ulPropTag = tag;
				switch (types[ti]) {
				case PT_STRING8: pv.Value.lpszA = (LPSTR)"Ma"; break;
				case PT_UNICODE: pv.Value.lpszW = wtext; break;
				case PT_BINARY: pv.Value.bin = bins[0]; break;
				case PT_CLSID: pv.Value.lpguid = &g; break;
				case PT_MV_STRING8:
					pv.Value.MVszA.cValues = 2;
					pv.Value.MVszA.lppszA = mv_a;
					break;
				case PT_MV_UNICODE:
					pv.Value.MVszW.cValues = 2;
					pv.Value.MVszW.lppszW = mv_w;
					break;
				case PT_MV_BINARY:
					pv.Value.MVbin.cValues = 1;
					pv.Value.MVbin.lpbin = bins;
					break;
				case PT_MV_I2:
				case PT_MV_LONG:
					pv.Value.MVl.cValues = 0;     /* a zero count */
					pv.Value.MVl.lpl = NULL;
					break;
				default: pv.Value.l = 1; break;
				}
				r.rt = rts[ri];
				switch (rts[ri]) {
				case RES_PROPERTY:
					r.res.resProperty.relop = RELOP_EQ;
					r.res.resProperty.ulPropTag = tag;
					r.res.resProperty.lpProp = &pv;
					break;
				case RES_CONTENT:
					r.res.resContent.ulFuzzyLevel = FL_PREFIX | FL_IGNORECASE;
					r.res.resContent.ulPropTag = tag;
					r.res.resContent.lpProp = &pv;
					break;
				case RES_EXIST:
					r.res.resExist.ulPropTag = tag;
					break;
				case RES_BITMASK:
					r.res.resBitMask.relBMR = BMR_NEZ;
					r.res.resBitMask.ulPropTag = tag;
					r.res.resBitMask.ulMask = 1;
					break;
				case RES_SIZE:
					r.res.resSize.relop = RELOP_GT;
					r.res.resSize.ulPropTag = tag;
					r.res.resSize.cb = 1;
					break;
				case RES_COMPAREPROPS:
					r.res.resCompareProps.relop = RELOP_EQ;
					r.res.resCompareProps.ulPropTag1 = tag;
					r.res.resCompareProps.ulPropTag2 = PR_DISPLAY_NAME_W;
					break;
				case RES_SUBRESTRICTION:
					sub.rt = RES_EXIST;
					sub.res.resExist.ulPropTag = tag;
					r.res.resSub.ulSubObject = PROP_TAG(PT_OBJECT, 0x0E12);
					r.res.resSub.lpRes = &sub;
					break;
				default:
					sub.rt = RES_EXIST;
					sub.res.resExist.ulPropTag = tag;
					r.res.resComment.cValues = 1;
					r.res.resComment.lpProp = &pv;
					r.res.resComment.lpRes = &sub;
					break;
				}
				if (dirty) {
					/* Back to the whole directory, the cursor on row 2. */
					assert_int_equal(t->lpVtbl->Restrict(t, NULL, 0), S_OK);
					assert_int_equal(t->lpVtbl->SeekRow(t, BOOKMARK_BEGINNING,
					                                    2, &sought), S_OK);
					view_of(t, &c0, &p0);
					dirty = false;
				}
				hr = t->lpVtbl->Restrict(t, &r, 0);
				if (hr == S_OK) {
					LPSRowSet rs = NULL;

					applied++;
					dirty = true;
					/* The view is usable: its rows read back whole. */
					assert_int_equal(t->lpVtbl->QueryRows(t, 5, 0, &rs), S_OK);
					for (ULONG k = 0; k < rs->cRows; k++)
						h_check_values(rs->aRow[k].cValues, rs->aRow[k].lpProps);
					plg_free_rows(rs);
					continue;
				}
				if (hr != MAPI_E_TOO_COMPLEX && hr != MAPI_E_INVALID_PARAMETER)
					fail_msg("rt %u tag 0x%08X: 0x%08X", (unsigned)rts[ri],
					         (unsigned)tag, (unsigned)hr);
				refused++;
				view_of(t, &c1, &p1);
				assert_int_equal(c1, c0);
				assert_int_equal(p1, p0);
				hr = t->lpVtbl->FindRow(t, &r, BOOKMARK_BEGINNING, 0);
				assert_true(hr == MAPI_E_TOO_COMPLEX || hr == MAPI_E_INVALID_PARAMETER ||
				            hr == MAPI_E_NOT_FOUND || hr == S_OK);
				if (FAILED(hr)) {
					view_of(t, &c1, &p1);
					assert_int_equal(p1, p0);
				}
			}
	print_message("  %u restrictions applied, %u refused with the view unchanged\n",
	              applied, refused);
	assert_true(applied > 10);
	assert_true(refused > 50);
	t->lpVtbl->Release(t);
}

/* ---- tables: counts, bookmarks, columns (TB-2, TB-5, TB-6, TB-12) ---- */

static void test_TB2_TB5_TB6_TB12_tables_refuse_bad_calls_and_keep_their_cursor(void **state)
{
	LPMAPITABLE t = plg_contents(O.dir, 0);
	LPSRowSet rs = NULL;
	SizedSPropTagArray(1, cols);
	LPSPropTagArray before = NULL, after = NULL;
	ULONG c0, p0, c1, p1;
	LONG sought = 0x1234;

	(void)state;
	assert_int_equal(t->lpVtbl->SeekRow(t, BOOKMARK_BEGINNING, 5, &sought), S_OK);
	view_of(t, &c0, &p0);
	assert_int_equal(t->lpVtbl->QueryColumns(t, 0, &before), S_OK);

	assert_int_equal(t->lpVtbl->QueryRows(t, 0, 0, &rs), MAPI_E_INVALID_PARAMETER);
	assert_null(rs);
	assert_int_equal(t->lpVtbl->QueryRows(t, 10, 0x4000, &rs), MAPI_E_UNKNOWN_FLAGS);
	assert_null(rs);
	assert_int_equal(t->lpVtbl->QueryRows(t, 10, 0, NULL), MAPI_E_INVALID_PARAMETER);
	assert_int_equal(t->lpVtbl->SeekRow(t, (BOOKMARK)0xDEADBEEF, 1, &sought),
	                 MAPI_E_INVALID_BOOKMARK);
	assert_int_equal(t->lpVtbl->FreeBookmark(t, (BOOKMARK)0xDEADBEEF), MAPI_E_INVALID_BOOKMARK);
	assert_int_equal(t->lpVtbl->SeekRowApprox(t, 1, 0), MAPI_E_INVALID_PARAMETER);
	assert_int_equal(t->lpVtbl->CreateBookmark(t, NULL), MAPI_E_INVALID_PARAMETER);
	assert_int_equal(t->lpVtbl->GetRowCount(t, 1, &c1), MAPI_E_UNKNOWN_FLAGS);
	assert_int_equal(t->lpVtbl->SetColumns(t, NULL, 0), MAPI_E_INVALID_PARAMETER);
	cols.cValues = 0;
	assert_int_equal(t->lpVtbl->SetColumns(t, (LPSPropTagArray)&cols, 0),
	                 MAPI_E_INVALID_PARAMETER);
	cols.cValues = 1;
	cols.aulPropTag[0] = PR_DISPLAY_NAME_W;
	assert_int_equal(t->lpVtbl->SetColumns(t, (LPSPropTagArray)&cols, 0x1000),
	                 MAPI_E_UNKNOWN_FLAGS);
	assert_int_equal(t->lpVtbl->Restrict(t, NULL, 0x1000), MAPI_E_UNKNOWN_FLAGS);
	assert_int_equal(t->lpVtbl->FindRow(t, NULL, BOOKMARK_BEGINNING, 0),
	                 MAPI_E_INVALID_PARAMETER);
	assert_int_equal(t->lpVtbl->SortTable(t, NULL, 0), MAPI_E_INVALID_PARAMETER);
	assert_int_equal(t->lpVtbl->WaitForCompletion(t, 1, 0, NULL), MAPI_E_UNKNOWN_FLAGS);
	view_of(t, &c1, &p1);
	assert_int_equal(c1, c0);
	assert_int_equal(p1, p0);
	assert_int_equal(t->lpVtbl->QueryColumns(t, 0, &after), S_OK);
	assert_int_equal(after->cValues, before->cValues);
	assert_memory_equal(after->aulPropTag, before->aulPropTag,
	                    before->cValues * sizeof(ULONG));
	host_MAPIFreeBuffer(before);
	host_MAPIFreeBuffer(after);

	/* Huge counts: at most the per-call cap, never an error. */
	assert_int_equal(t->lpVtbl->SeekRow(t, BOOKMARK_BEGINNING, 0, NULL), S_OK);
	assert_int_equal(t->lpVtbl->QueryRows(t, 0x7FFFFFFF, 0, &rs), S_OK);
	assert_true(rs->cRows >= 1 && rs->cRows <= ABP_TABLE_MAX_ROWS_PER_CALL);
	plg_free_rows(rs);
	assert_int_equal(t->lpVtbl->SeekRow(t, BOOKMARK_END, (LONG)0x80000000, &sought), S_OK);
	view_of(t, &c1, &p1);
	assert_int_equal(p1, 0);
	t->lpVtbl->Release(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_MU4_MU8_every_object_refuses_bad_prop_calls_and_is_unchanged),
		cmocka_unit_test(test_CT12_CT13_MU3_containers_and_dl_refuse_bad_calls),
		cmocka_unit_test(test_LO2_LO3_malformed_truncated_oversize_entry_ids),
		cmocka_unit_test(test_LO4_to_LO8_LC31_ST4_logon_and_status_refuse_bad_calls),
		cmocka_unit_test(test_CT11_resolvenames_mismatched_flag_lists_and_odd_entries),
		cmocka_unit_test(test_TB10_restriction_10000_deep_is_too_complex_and_view_stays),
		cmocka_unit_test(test_TB10_restrictions_on_every_property_type),
		cmocka_unit_test(test_TB2_TB5_TB6_TB12_tables_refuse_bad_calls_and_keep_their_cursor),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
