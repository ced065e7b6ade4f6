/*
 * provider_logon.h - a logon through the provider's entry point
 * (ABProviderInit with the host's allocators, session and support object)
 * with a profile of the test's settings, its orderly release with the leak
 * check, and the row and container helpers the integration tests reach the
 * directory with: the root, the one directory container of its hierarchy
 * (CT-6), a row's column by tag.
 */
#ifndef LDAPAB_PROVIDER_LOGON_H
#define LDAPAB_PROVIDER_LOGON_H

#include "test_core_util.h"

#include <ldapab_host/mem.h>

struct plg {
	LPMALLOC m;
	LPABPROVIDER abp;
	host_session *sess;
	host_profile *prof;
	LPMAPISUP sup;
	LPABLOGON l;
};

/* Start the provider through ABProviderInit with the host's allocators and
 * log on with prof, which g owns from here on. */
static inline void plg_logon_profile(struct plg *g, host_profile *prof)
{
	LPMAPIERROR err = NULL;
	ULONG ver = 0;
	HRESULT hr;

	memset(g, 0, sizeof(*g));
	g->prof = prof;
	assert_int_equal(host_malloc_new(&g->m), S_OK);
	assert_int_equal(ABProviderInit(NULL, g->m, host_MAPIAllocateBuffer, host_MAPIAllocateMore,
	                                host_MAPIFreeBuffer, 0, CURRENT_SPI_VERSION, &ver, &g->abp),
	                 S_OK);
	assert_int_equal(host_session_new(NULL, &g->sess), S_OK);
	assert_int_equal(host_support_new(g->sess, g->prof, &g->sup), S_OK);
	hr = IABProvider_Logon(g->abp, g->sup, 0, (LPTSTR)"p", AB_NO_DIALOG, NULL, NULL, &err, &g->l);
	if (FAILED(hr))
		fail_msg("Logon: 0x%08X %s", (unsigned)hr, err ? (char *)err->lpszError : "");
}

/* Logon as bind_dn over uri with base, then the extra settings in order. */
static inline void plg_logon(struct plg *g, const char *uri, const char *base,
                             const char *bind_dn, const char *bind_pw, ULONG n_extra,
                             const SPropValue *extra)
{
	SPropValue v[16];
	ULONG n = 0;

	memset(v, 0, sizeof(v));
	assert_true(n_extra <= 13);
	v[n].ulPropTag = PR_LDAPAB_BASE_DN_A;
	v[n++].Value.lpszA = (LPSTR)base;
	v[n].ulPropTag = PR_LDAPAB_BIND_DN_A;
	v[n++].Value.lpszA = (LPSTR)bind_dn;
	v[n].ulPropTag = PR_LDAPAB_BIND_PASSWORD_A;
	v[n++].Value.lpszA = (LPSTR)bind_pw;
	for (ULONG i = 0; i < n_extra; i++)
		v[n++] = extra[i];
	plg_logon_profile(g, core_profile(uri, n, v));
}

/* Logoff and release the logon and support object; the provider stays. */
static inline void plg_logoff(struct plg *g)
{
	if (g->l != NULL) {
		assert_int_equal(IABLogon_Logoff(g->l, 0), S_OK);
		assert_int_equal(IABLogon_Release(g->l), 0);
		g->l = NULL;
	}
	if (g->sup != NULL) {
		IMAPISupport_Release(g->sup);
		g->sup = NULL;
	}
}

/* Logoff and release everything of g (other logons may still hold host
 * memory: plg_done checks that nothing is left). */
static inline void plg_release(struct plg *g)
{
	plg_logoff(g);
	host_session_free(g->sess);
	assert_int_equal(IABProvider_Release(g->abp), 0);
	IMalloc_Release(g->m);
	host_profile_release(g->prof);
	memset(g, 0, sizeof(*g));
}

static inline void plg_done(struct plg *g)
{
	plg_release(g);
	assert_int_equal(host_mem_live_blocks(), 0);
}

static inline void plg_free_rows(LPSRowSet rs)
{
	if (rs == NULL)
		return;
	for (ULONG i = 0; i < rs->cRows; i++)
		host_MAPIFreeBuffer(rs->aRow[i].lpProps);
	host_MAPIFreeBuffer(rs);
}

static inline const SPropValue *plg_col(const SRow *r, ULONG tag)
{
	for (ULONG i = 0; i < r->cValues; i++)
		if (r->lpProps[i].ulPropTag == tag)
			return &r->lpProps[i];
	return NULL;
}

/* PR_DISPLAY_NAME_A of a row, which must be there. */
static inline const char *plg_name_of(const SRow *r)
{
	const SPropValue *v = plg_col(r, PR_DISPLAY_NAME_A);

	assert_non_null(v);
	return v->Value.lpszA;
}

/* The contents table of c, which must open (else its GetLastError text). */
static inline LPMAPITABLE plg_contents(IABContainer *c, ULONG flags)
{
	LPMAPITABLE t = NULL;
	HRESULT hr = c->lpVtbl->GetContentsTable(c, flags, &t);

	if (FAILED(hr)) {
		LPMAPIERROR e = NULL;

		(void)c->lpVtbl->GetLastError(c, hr, 0, &e);
		fail_msg("GetContentsTable: 0x%08X %s", (unsigned)hr,
		         e && e->lpszError ? (char *)e->lpszError : "");
	}
	return t;
}

static inline IABContainer *plg_open_root(struct plg *g)
{
	ULONG type = 0;
	LPUNKNOWN u = NULL;

	assert_int_equal(IABLogon_OpenEntry(g->l, 0, NULL, NULL, 0, &type, &u), S_OK);
	assert_int_equal(type, MAPI_ABCONT);
	return (IABContainer *)u;
}

/* The directory container: the root's hierarchy lists exactly one (CT-6). */
static inline IABContainer *plg_open_directory(struct plg *g)
{
	IABContainer *root = plg_open_root(g), *c = NULL;
	LPMAPITABLE h = NULL;
	LPSRowSet rs = NULL;
	const SPropValue *id;
	ULONG type = 0;

	assert_int_equal(root->lpVtbl->GetHierarchyTable(root, 0, &h), S_OK);
	assert_int_equal(h->lpVtbl->QueryRows(h, 10, 0, &rs), S_OK);
	assert_int_equal(rs->cRows, 1);
	id = plg_col(&rs->aRow[0], PR_ENTRYID);
	assert_non_null(id);
	assert_int_equal(IABLogon_OpenEntry(g->l, id->Value.bin.cb, (LPENTRYID)id->Value.bin.lpb,
	                                    NULL, 0, &type, (LPUNKNOWN *)&c), S_OK);
	assert_int_equal(type, MAPI_ABCONT);
	plg_free_rows(rs);
	h->lpVtbl->Release(h);
	root->lpVtbl->Release(root);
	return c;
}

#endif
