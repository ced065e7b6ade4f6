/*
 * bench_prov.h - the provider as the benchmarks reach it: linked statically,
 * entered through ABProviderInit with the host's allocators, session and
 * support object, logged on anonymously to a bulk directory, with the one
 * directory container of its hierarchy open.
 */
#ifndef LDAPAB_BENCH_PROV_H
#define LDAPAB_BENCH_PROV_H

#include <stdio.h>
#include <string.h>

#include <ldapab/profile.h>
#include <ldapab_host/host.h>

struct bench_prov {
	LPMALLOC m;
	LPABPROVIDER abp;
	host_session *sess;
	host_profile *prof;
	LPMAPISUP sup;
	LPABLOGON l;
	IABContainer *c;
};

/* Logon to uri with base, op_timeout_s per operation, and open the
 * directory container as p->c.  0, or -1 (a failed Logon named on stderr
 * under prog); bench_prov_logoff() releases what was made either way. */
static inline int bench_prov_logon(struct bench_prov *p, const char *uri, const char *base,
                                   LONG op_timeout_s, const char *prog)
{
	SPropValue v[4];
	LPMAPIERROR err = NULL;
	ULONG ver = 0, type = 0, n = 0;
	IABContainer *root = NULL;
	LPMAPITABLE h = NULL;
	LPSRowSet rs = NULL;
	HRESULT hr;

	memset(p, 0, sizeof(*p));
	memset(v, 0, sizeof(v));
	v[n].ulPropTag = PR_LDAPAB_SERVER_URIS_A;
	v[n++].Value.lpszA = (LPSTR)uri;
	v[n].ulPropTag = PR_LDAPAB_BASE_DN_A;
	v[n++].Value.lpszA = (LPSTR)base;
	v[n].ulPropTag = PR_LDAPAB_BIND_METHOD;
	v[n++].Value.l = LDAPAB_BIND_ANONYMOUS;
	v[n].ulPropTag = PR_LDAPAB_OP_TIMEOUT;
	v[n++].Value.l = op_timeout_s;
	if (FAILED(host_profile_new("ldapab-bench", NULL, &p->prof)) ||
	    FAILED(host_profile_set_props(p->prof, NULL, n, v)) ||
	    FAILED(host_malloc_new(&p->m)) ||
	    FAILED(ABProviderInit(NULL, p->m, host_MAPIAllocateBuffer, host_MAPIAllocateMore,
	                          host_MAPIFreeBuffer, 0, CURRENT_SPI_VERSION, &ver, &p->abp)) ||
	    FAILED(host_session_new(NULL, &p->sess)) ||
	    FAILED(host_support_new(p->sess, p->prof, &p->sup)))
		return -1;
	hr = IABProvider_Logon(p->abp, p->sup, 0, (LPTSTR)"bench", AB_NO_DIALOG, NULL, NULL, &err,
	                       &p->l);
	if (FAILED(hr)) {
		fprintf(stderr, "%s: Logon 0x%08X\n", prog, (unsigned)hr);
		return -1;
	}
	if (FAILED(IABLogon_OpenEntry(p->l, 0, NULL, NULL, 0, &type, (LPUNKNOWN *)&root)) ||
	    FAILED(root->lpVtbl->GetHierarchyTable(root, 0, &h)) ||
	    FAILED(h->lpVtbl->QueryRows(h, 1, 0, &rs)) || rs->cRows != 1)
		return -1;
	hr = MAPI_E_NOT_FOUND;
	for (ULONG i = 0; i < rs->aRow[0].cValues; i++)
		if (rs->aRow[0].lpProps[i].ulPropTag == PR_ENTRYID)
			hr = IABLogon_OpenEntry(p->l, rs->aRow[0].lpProps[i].Value.bin.cb,
			                        (LPENTRYID)rs->aRow[0].lpProps[i].Value.bin.lpb, NULL,
			                        0, &type, (LPUNKNOWN *)&p->c);
	host_MAPIFreeBuffer(rs->aRow[0].lpProps);
	host_MAPIFreeBuffer(rs);
	h->lpVtbl->Release(h);
	root->lpVtbl->Release(root);
	return p->c != NULL && SUCCEEDED(hr) ? 0 : -1;
}

static inline void bench_prov_logoff(struct bench_prov *p)
{
	if (p->c)
		p->c->lpVtbl->Release(p->c);
	if (p->l) {
		(void)IABLogon_Logoff(p->l, 0);
		IABLogon_Release(p->l);
	}
	if (p->sup)
		IMAPISupport_Release(p->sup);
	host_session_free(p->sess);
	if (p->abp)
		IABProvider_Release(p->abp);
	if (p->m)
		IMalloc_Release(p->m);
	host_profile_release(p->prof);
	memset(p, 0, sizeof(*p));
}

#endif
