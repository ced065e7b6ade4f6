/*
 * wine_ad.c - the Windows build against the Samba AD DC fixture, under
 * Wine: ldapab.dll over LDAPS (wldap32's LDAP_OPT_SSL; Wine checks no
 * certificate), a simple bind as the reader by UPN with the password
 * sealed by ServiceEntry, ResolveNames of a group and its four members.
 * Only answers shorter than 1 KiB are read: Samba sends TLS records of
 * 1,024 bytes and Wine's Schannel stalls on an LDAP message spanning two
 * (HACKING.md, "Windows"), so a person's details, a browse window or a
 * group of 1,501 members are left to the Linux tests of the same code.
 *   wine_ad <path of ldapab.dll> <samba.env>
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

static char uri[256], base[256], upn[256], pw[256];

static void read_env(const char *path)
{
	const struct wine_env_key keys[] = {
		{ "LDAPAB_AD_LDAPS_URI", uri, sizeof(uri) },
		{ "LDAPAB_AD_BASE", base, sizeof(base) },
		{ "LDAPAB_AD_READER_UPN", upn, sizeof(upn) },
		{ "LDAPAB_AD_READER_PW", pw, sizeof(pw) },
	};

	wine_read_env(path, keys, sizeof(keys) / sizeof(keys[0]));
}

int main(int argc, char **argv)
{
	host_provider *prov = NULL;
	host_profile *prof = NULL;
	host_session *sess = NULL;
	host_logon *logon = NULL;
	SPropValue cfg[5];
	LPADRLIST l = NULL;
	LPSRowSet rows = NULL;
	LPMAPITABLE table = NULL;
	LPUNKNOWN unk = NULL;
	const SPropValue *eid = NULL;
	ULONG type = 0, count = 0, got = 0;
	char *err = NULL;
	HRESULT hr;

	CHECK(argc == 3, "usage: wine_ad <ldapab.dll> <samba.env>");
	read_env(argv[2]);
	hr = host_provider_load(argv[1], NULL, &prov, &err);
	CHECK(hr == S_OK, "load = 0x%08lX: %s", (unsigned long)hr, err ? err : "");
	CHECK(host_profile_new("ad", NULL, &prof) == S_OK, "profile");
	memset(cfg, 0, sizeof(cfg));
	cfg[0].ulPropTag = PR_LDAPAB_SERVER_URIS_A;
	cfg[0].Value.lpszA = uri;
	cfg[1].ulPropTag = PR_LDAPAB_BASE_DN_A;
	cfg[1].Value.lpszA = base;
	cfg[2].ulPropTag = PR_LDAPAB_BIND_DN_A;
	cfg[2].Value.lpszA = upn;
	cfg[3].ulPropTag = PR_LDAPAB_BIND_PASSWORD_A;
	cfg[3].Value.lpszA = pw;
	cfg[4].ulPropTag = PR_LDAPAB_OP_TIMEOUT;
	cfg[4].Value.l = 20;
	hr = host_provider_service_entry(prov, prof, 0, MSG_SERVICE_CONFIGURE, 5, cfg, NULL);
	CHECK(hr == S_OK, "ServiceEntry(CONFIGURE) = 0x%08lX", (unsigned long)hr);
	CHECK(host_session_new(NULL, &sess) == S_OK, "session");
	hr = host_session_logon(sess, prov, prof, 0, &logon, NULL);
	CHECK(hr == S_OK, "Logon = 0x%08lX", (unsigned long)hr);

	/* ResolveNames finds the group over LDAPS. */
	CHECK(host_MAPIAllocateBuffer(CbNewADRLIST(1), (void **)&l) == S_OK, "alloc");
	l->cEntries = 1;
	entry_at(l, 0)->ulReserved1 = 0;
	entry_at(l, 0)->cValues = 1;
	CHECK(host_MAPIAllocateBuffer(sizeof(SPropValue), (void **)&entry_at(l, 0)->rgPropVals) == S_OK,
	      "alloc");
	entry_at(l, 0)->rgPropVals[0].ulPropTag = PR_DISPLAY_NAME_A;
	entry_at(l, 0)->rgPropVals[0].Value.lpszA = "Platform Team";
	hr = host_session_resolve_name(sess, 0, l, NULL, &err);
	CHECK(hr == S_OK, "ResolveName(Platform Team) = 0x%08lX: %s", (unsigned long)hr, err ? err : "");
	for (ULONG i = 0; i < entry_at(l, 0)->cValues; i++)
		if (entry_at(l, 0)->rgPropVals[i].ulPropTag == PR_ENTRYID)
			eid = &entry_at(l, 0)->rgPropVals[i];
	CHECK(eid != NULL, "the group has an entry ID");

	/* Its members. */
	hr = IABLogon_OpenEntry(host_logon_ablogon(logon), eid->Value.bin.cb,
				(LPENTRYID)eid->Value.bin.lpb, NULL, 0, &type, &unk);
	CHECK(hr == S_OK && type == MAPI_DISTLIST, "OpenEntry = 0x%08lX type %lu", (unsigned long)hr,
	      (unsigned long)type);
	hr = IDistList_GetContentsTable((LPDISTLIST)unk, 0, &table);
	if (hr != S_OK) {
		LPMAPIERROR me = NULL;

		if (IDistList_GetLastError((LPDISTLIST)unk, hr, 0, &me) == S_OK && me != NULL) {
			fprintf(stderr, "GetLastError: %s\n", (const char *)me->lpszError);
			(void)host_MAPIFreeBuffer(me);
		}
	}
	CHECK(hr == S_OK, "members table = 0x%08lX", (unsigned long)hr);
	CHECK(IMAPITable_GetRowCount(table, 0, &count) == S_OK && count == 4,
	      "member count %lu, want 4", (unsigned long)count);
	for (;;) {
		CHECK(IMAPITable_QueryRows(table, 400, 0, &rows) == S_OK, "QueryRows");
		if (rows->cRows == 0) {
			host_FreeProws(rows);
			break;
		}
		got += rows->cRows;
		host_FreeProws(rows);
	}
	CHECK(got == 4, "rows %lu, want 4", (unsigned long)got);
	printf("AD over LDAPS: Platform Team resolved, %lu members read\n", (unsigned long)got);
	IMAPITable_Release(table);
	IUnknown_Release(unk);
	(void)host_MAPIFreeBuffer(entry_at(l, 0)->rgPropVals);
	(void)host_MAPIFreeBuffer(l);
	CHECK(host_session_logoff(logon) == S_OK, "Logoff");
	host_provider_release(prov);
	host_session_free(sess);
	host_profile_release(prof);
	CHECK(host_mem_live_blocks() == 0, "%lu host blocks left", (unsigned long)host_mem_live_blocks());
	return 0;
}
