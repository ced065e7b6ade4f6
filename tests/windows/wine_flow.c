/*
 * wine_flow.c - the Windows build end to end, run under Wine against the
 * slapd fixture on 127.0.0.1: the host loads ldapab.dll (LoadLibrary),
 * ABProviderInit, ServiceEntry(MSG_SERVICE_CONFIGURE), Logon, the root's
 * hierarchy, a browse of the directory's contents table, ResolveNames with
 * an ASCII and a non-ASCII name, the person's details (MU-6: a name outside
 * the ANSI code page is "?" in _A and whole in _W), a group's members,
 * Logoff, Shutdown, and no host memory left.
 *   wine_flow <path of ldapab.dll> <slapd.env>
 * Plain C (cmocka is not built for Windows); every check prints what it
 * compared and the run exits 1 at the first failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mapi/mapidefs.h>
#include <mapi/mapicode.h>
#include <mapi/mapitags.h>
#include <mapi/mapispi.h>
#include <ldapab/profile.h>
#include "ldapab_host/host.h"
#include "ldapab_host/addrbook.h"

#include "wine_util.h"

static char env_uri[256], env_base[256], env_bind_dn[256], env_bind_pw[256];

static void read_env(const char *path)
{
	const struct wine_env_key keys[] = {
		{ "LDAPAB_TEST_URI", env_uri, sizeof(env_uri) },
		{ "LDAPAB_TEST_BASE", env_base, sizeof(env_base) },
		{ "LDAPAB_TEST_BIND_DN", env_bind_dn, sizeof(env_bind_dn) },
		{ "LDAPAB_TEST_BIND_PW", env_bind_pw, sizeof(env_bind_pw) },
	};

	wine_read_env(path, keys, sizeof(keys) / sizeof(keys[0]));
}

/* UTF-16 (MAPI WCHAR) of a UTF-8 literal, compared unit by unit. */
static int wide_equals(const WCHAR *w, const char *utf8)
{
	WCHAR *want = NULL;
	int same;
	size_t i = 0;

	if (w == NULL || host_utf8_to_utf16(utf8, &want) != S_OK)
		return 0;
	while (want[i] != 0 && w[i] == want[i])
		i++;
	same = want[i] == 0 && w[i] == 0;
	(void)host_MAPIFreeBuffer(want);
	return same;
}

static SRow *row_at(LPSRowSet rs, ULONG i)
{
	SRow *r = rs->aRow;

	return r + i;
}

static const SPropValue *find_prop(const SPropValue *v, ULONG n, ULONG tag)
{
	for (ULONG i = 0; i < n; i++)
		if (v[i].ulPropTag == tag)
			return &v[i];
	return NULL;
}

/* One-entry-per-name address list with PR_DISPLAY_NAME_W. */
static LPADRLIST names_list(ULONG n, const char *const *names)
{
	LPADRLIST l = NULL;

	CHECK(host_MAPIAllocateBuffer(CbNewADRLIST(n), (void **)&l) == S_OK, "alloc");
	l->cEntries = n;
	for (ULONG i = 0; i < n; i++) {
		ADRENTRY *e = entry_at(l, i);

		e->ulReserved1 = 0;
		e->cValues = 1;
		CHECK(host_MAPIAllocateBuffer(sizeof(SPropValue), (void **)&e->rgPropVals) == S_OK,
		      "alloc");
		e->rgPropVals[0].ulPropTag = PR_DISPLAY_NAME_W;
		e->rgPropVals[0].dwAlignPad = 0;
		CHECK(host_utf8_to_utf16_more(names[i], e->rgPropVals,
					      &e->rgPropVals[0].Value.lpszW) == S_OK, "alloc");
	}
	return l;
}

static void free_adrlist(LPADRLIST l)
{
	for (ULONG i = 0; i < l->cEntries; i++)
		(void)host_MAPIFreeBuffer(entry_at(l, i)->rgPropVals);
	(void)host_MAPIFreeBuffer(l);
}

int main(int argc, char **argv)
{
	host_provider *prov = NULL;
	host_profile *prof = NULL;
	host_session *sess = NULL;
	host_logon *logon = NULL;
	LPABLOGON ab;
	SPropValue cfg[6];
	LPSRowSet conts = NULL, rows = NULL;
	char *err = NULL;
	ULONG type = 0, count = 0;
	LPUNKNOWN unk = NULL;
	LPMAPITABLE table = NULL;
	HRESULT hr;

	CHECK(argc == 3, "usage: wine_flow <ldapab.dll> <slapd.env>");
	read_env(argv[2]);

	/* ABProviderInit through the DLL's export. */
	hr = host_provider_load(argv[1], NULL, &prov, &err);
	CHECK(hr == S_OK, "host_provider_load(%s) = 0x%08lX: %s", argv[1], (unsigned long)hr,
	      err ? err : "");
	CHECK(host_provider_has_service_entry(prov), "ServiceEntry is exported");
	printf("loaded %s (SPI 0x%08lX)\n", argv[1], (unsigned long)host_provider_version(prov));

	/* ServiceEntry(MSG_SERVICE_CONFIGURE) writes the profile section. */
	CHECK(host_profile_new("ab", NULL, &prof) == S_OK, "profile");
	memset(cfg, 0, sizeof(cfg));
	cfg[0].ulPropTag = PR_LDAPAB_SERVER_URIS_A;
	cfg[0].Value.lpszA = env_uri;
	cfg[1].ulPropTag = PR_LDAPAB_BASE_DN_A;
	cfg[1].Value.lpszA = env_base;
	cfg[2].ulPropTag = PR_LDAPAB_BROWSE_MODE;
	cfg[2].Value.l = LDAPAB_BROWSE_VLV;
	/* A simple bind as the reader (plain ldap:// on 127.0.0.1, so allowed
	 * explicitly): the password must reach the profile sealed (DPAPI) and
	 * come back out of it for the bind. */
	cfg[3].ulPropTag = PR_LDAPAB_BIND_DN_A;
	cfg[3].Value.lpszA = env_bind_dn;
	cfg[4].ulPropTag = PR_LDAPAB_BIND_PASSWORD_A;
	cfg[4].Value.lpszA = env_bind_pw;
	cfg[5].ulPropTag = PR_LDAPAB_ALLOW_INSECURE_BIND;
	cfg[5].Value.b = 1;
	hr = host_provider_service_entry(prov, prof, 0, MSG_SERVICE_CONFIGURE, 6, cfg, NULL);
	CHECK(hr == S_OK, "ServiceEntry(CONFIGURE) = 0x%08lX", (unsigned long)hr);
	{
		SizedSPropTagArray(1, pwtag) = { 1, { PR_LDAPAB_BIND_PASSWORD_W } };
		LPSPropValue pv = NULL;
		ULONG n = 0;
		char stored[16] = "";

		hr = host_profile_get_props(prof, NULL, (LPSPropTagArray)&pwtag, 0, &n, &pv);
		CHECK(hr == S_OK && n == 1 && pv[0].ulPropTag == PR_LDAPAB_BIND_PASSWORD_W,
		      "the stored password = 0x%08lX", (unsigned long)hr);
		for (size_t i = 0; i + 1 < sizeof(stored) && pv[0].Value.lpszW[i]; i++)
			stored[i] = (char)pv[0].Value.lpszW[i];
		CHECK(strncmp(stored, "dpapi:", 6) == 0, "stored as \"%s...\", want it sealed", stored);
		CHECK(!wide_equals(pv[0].Value.lpszW, env_bind_pw), "the clear password is not stored");
		(void)host_MAPIFreeBuffer(pv);
		printf("password: stored sealed with DPAPI\n");
	}

	/* Logon. */
	CHECK(host_session_new(NULL, &sess) == S_OK, "session");
	hr = host_session_logon(sess, prov, prof, 0, &logon, NULL);
	CHECK(hr == S_OK, "Logon = 0x%08lX", (unsigned long)hr);
	ab = host_logon_ablogon(logon);

	/* The root's hierarchy: at least the directory container. */
	hr = host_session_containers(sess, 1, &conts, &err);
	CHECK(hr == S_OK && conts->cRows >= 1, "containers = 0x%08lX, %s", (unsigned long)hr,
	      err ? err : "");
	printf("hierarchy: %lu container(s)\n", (unsigned long)conts->cRows);

	/* Browse with VLV: the contents table of the first container holds the
	 * whole list (more rows than the size limit of 100 a search would stop
	 * at: the server's VLV, not a read of the first entries), a window from
	 * the middle (SeekRowApprox), and a type-down jump (CT-8) to the first
	 * name >= "M". */
	{
		const SBinary *eid = &row_at(conts, 0)->lpProps[0].Value.bin;
		SizedSPropTagArray(2, cols) = { 2, { PR_DISPLAY_NAME_W, PR_ENTRYID } };

		hr = IABLogon_OpenEntry(ab, eid->cb, (LPENTRYID)eid->lpb, NULL, 0, &type, &unk);
		CHECK(hr == S_OK && type == MAPI_ABCONT, "OpenEntry(container) = 0x%08lX type %lu",
		      (unsigned long)hr, (unsigned long)type);
		hr = IABContainer_GetContentsTable((LPABCONT)unk, 0, &table);
		CHECK(hr == S_OK, "GetContentsTable = 0x%08lX", (unsigned long)hr);
		CHECK(IMAPITable_SetColumns(table, (LPSPropTagArray)&cols, 0) == S_OK, "SetColumns");
		CHECK(IMAPITable_GetRowCount(table, 0, &count) == S_OK && count > 100,
		      "row count %lu", (unsigned long)count);
		CHECK(IMAPITable_SeekRowApprox(table, 1, 2) == S_OK, "SeekRowApprox");
		CHECK(IMAPITable_QueryRows(table, 5, 0, &rows) == S_OK && rows->cRows == 5,
		      "QueryRows from the middle");
		for (ULONG i = 0; i < rows->cRows; i++)
			CHECK(row_at(rows, i)->lpProps[0].ulPropTag == PR_DISPLAY_NAME_W, "name column");
		host_FreeProws(rows);
		rows = NULL;
		{
			SPropValue m;
			SRestriction r;
			const WCHAR *name;

			memset(&m, 0, sizeof(m));
			m.ulPropTag = PR_DISPLAY_NAME_W;
			CHECK(host_utf8_to_utf16("M", &m.Value.lpszW) == S_OK, "alloc");
			r.rt = RES_PROPERTY;
			r.res.resProperty.relop = RELOP_GE;
			r.res.resProperty.ulPropTag = PR_DISPLAY_NAME_W;
			r.res.resProperty.lpProp = &m;
			hr = IMAPITable_FindRow(table, &r, BOOKMARK_BEGINNING, 0);
			(void)host_MAPIFreeBuffer(m.Value.lpszW);
			CHECK(hr == S_OK, "FindRow(>= M) = 0x%08lX", (unsigned long)hr);
			CHECK(IMAPITable_QueryRows(table, 1, 0, &rows) == S_OK && rows->cRows == 1,
			      "the row found");
			name = row_at(rows, 0)->lpProps[0].Value.lpszW;
			CHECK(name != NULL && (name[0] == 'M' || name[0] == 'm'),
			      "type-down lands on an M name (first unit U+%04X)", name ? name[0] : 0);
			host_FreeProws(rows);
			rows = NULL;
		}
		IMAPITable_Release(table);
		table = NULL;
		IUnknown_Release(unk);
		unk = NULL;
		printf("browse: %lu rows by VLV, a window of 5 from the middle, type-down to M\n",
		       (unsigned long)count);
	}

	/* ResolveNames: ASCII, non-ASCII (outside the ANSI code page), a group. */
	{
		static const char *const names[] = { "Kenji Mori", "\xe5\xbe\x90\xe7\xa7\x80\xe8\x8b\xb1",
						     "Leadership Team" };
		LPADRLIST l = names_list(3, names);
		const SPropValue *mail, *eidp;
		SPropTagArray *tags = NULL;
		LPSPropValue vals = NULL;
		ULONG n = 0;

		hr = host_session_resolve_name(sess, MAPI_UNICODE, l, NULL, &err);
		CHECK(hr == S_OK, "ResolveName = 0x%08lX: %s", (unsigned long)hr, err ? err : "");
		mail = find_prop(entry_at(l, 1)->rgPropVals, entry_at(l, 1)->cValues, PR_EMAIL_ADDRESS_W);
		CHECK(mail && wide_equals(mail->Value.lpszW, "xiuying.xu@example.com"),
		      "the non-ASCII name resolved to its person");
		printf("ResolveNames: 3 of 3 resolved\n");

		/* Show the person: _W whole, _A in the ANSI code page. */
		eidp = find_prop(entry_at(l, 1)->rgPropVals, entry_at(l, 1)->cValues, PR_ENTRYID);
		CHECK(eidp != NULL, "resolved entry has PR_ENTRYID");
		hr = IABLogon_OpenEntry(ab, eidp->Value.bin.cb, (LPENTRYID)eidp->Value.bin.lpb, NULL, 0,
					&type, &unk);
		CHECK(hr == S_OK && type == MAPI_MAILUSER, "OpenEntry(person) = 0x%08lX",
		      (unsigned long)hr);
		CHECK(host_tag_array_new(2, (const ULONG[]){ PR_DISPLAY_NAME_W, PR_DISPLAY_NAME_A },
					 &tags) == S_OK, "tags");
		hr = IMailUser_GetProps((LPMAILUSER)unk, tags, 0, &n, &vals);
		CHECK(hr == S_OK && n == 2, "GetProps = 0x%08lX", (unsigned long)hr);
		CHECK(vals[0].ulPropTag == PR_DISPLAY_NAME_W &&
		      wide_equals(vals[0].Value.lpszW, "\xe5\xbe\x90\xe7\xa7\x80\xe8\x8b\xb1"),
		      "_W keeps the CJK name whole");
		CHECK(vals[1].ulPropTag == PR_DISPLAY_NAME_A && strcmp(vals[1].Value.lpszA, "???") == 0,
		      "_A is \"%s\", want \"???\" (outside the ANSI code page)",
		      vals[1].ulPropTag == PR_DISPLAY_NAME_A ? vals[1].Value.lpszA : "(error)");
		(void)host_MAPIFreeBuffer(vals);
		(void)host_MAPIFreeBuffer(tags);
		IUnknown_Release(unk);
		unk = NULL;
		printf("show: _W whole, _A \"???\"\n");

		/* The group's members. */
		eidp = find_prop(entry_at(l, 2)->rgPropVals, entry_at(l, 2)->cValues, PR_ENTRYID);
		CHECK(eidp != NULL, "the group resolved");
		hr = IABLogon_OpenEntry(ab, eidp->Value.bin.cb, (LPENTRYID)eidp->Value.bin.lpb, NULL, 0,
					&type, &unk);
		CHECK(hr == S_OK && type == MAPI_DISTLIST, "OpenEntry(group) = 0x%08lX type %lu",
		      (unsigned long)hr, (unsigned long)type);
		hr = IDistList_GetContentsTable((LPDISTLIST)unk, 0, &table);
		CHECK(hr == S_OK, "members table = 0x%08lX", (unsigned long)hr);
		CHECK(IMAPITable_QueryRows(table, 100, 0, &rows) == S_OK && rows->cRows >= 2,
		      "members listed");
		printf("members: %lu\n", (unsigned long)rows->cRows);
		host_FreeProws(rows);
		IMAPITable_Release(table);
		IUnknown_Release(unk);
		free_adrlist(l);
	}

	host_FreeProws(conts);
	/* Logoff, then Shutdown and FreeLibrary with the provider's release. */
	CHECK(host_session_logoff(logon) == S_OK, "Logoff");
	host_provider_release(prov);
	host_session_free(sess);
	host_profile_release(prof);
	CHECK(host_mem_live_blocks() == 0, "%lu host blocks left", (unsigned long)host_mem_live_blocks());
	printf("logoff and shutdown: clean\n");
	return 0;
}
