/*
 * mailuser.c - IMailUser: a person from the directory (spec MU-1, MU-4..MU-8).
 *
 * Read-only: the properties are read once when the object is opened and
 * never change.  IMailUser adds no methods to IMAPIProp.  A person opened
 * by entry ID also knows its manager and direct reports (orglinks.h):
 * OpenProperty(PR_EMS_AB_MANAGER / PR_EMS_AB_REPORTS, IID_IMAPITable)
 * gives tables of them, and the manager opens as its own object too.
 */
#include <stdlib.h>

#include "directory.h"
#include "orglinks.h"
#include "table.h"

/* Context numbers for MAPIERROR.ulContext (mailuser.c: 0x0900..). */
enum { CTX_MU_OPEN_PROPERTY = 0x0901 };

struct mailuser {
	IMailUser iface;                /* first: the pointer clients hold */
	atomic_uint refs;
	struct abp_propobj po;
	struct abp_orglinks links;      /* manager and direct reports (read-only) */
};

static struct mailuser *impl_from_IMailUser(IMailUser *iface)
{
	return ABP_CONTAINING_RECORD(iface, struct mailuser, iface);
}

static const IMailUserVtbl mailuser_vtbl;

HRESULT abp_mailuser_new(struct abp_session *s, struct abp_props *bag, IMailUser **out)
{
	struct mailuser *mu;

	if (out != NULL)
		*out = NULL;
	if (s == NULL || bag == NULL || out == NULL)
		return MAPI_E_INVALID_PARAMETER;
	mu = calloc(1, sizeof(*mu));
	if (mu == NULL)
		return MAPI_E_NOT_ENOUGH_MEMORY;
	mu->iface.lpVtbl = &mailuser_vtbl;
	atomic_init(&mu->refs, 1);
	abp_propobj_init(&mu->po, s);
	abp_orglinks_init(&mu->links);
	mu->po.bag = *bag;              /* the contents move in */
	abp_props_init(bag);
	*out = &mu->iface;
	return S_OK;
}

HRESULT abp_mailuser_new_detail(struct abp_session *s, struct abp_props *bag,
                                struct abp_orglinks *links, IMailUser **out)
{
	HRESULT hr;

	if (out != NULL)
		*out = NULL;
	if (links == NULL)
		return MAPI_E_INVALID_PARAMETER;
	hr = abp_mailuser_new(s, bag, out);
	if (SUCCEEDED(hr)) {
		impl_from_IMailUser(*out)->links = *links;      /* moves in */
		abp_orglinks_init(links);
	}
	return hr;
}

static HRESULT STDMETHODCALLTYPE MailUser_QueryInterface(IMailUser *This, REFIID riid, LPVOID *ppv)
{
	if (ppv == NULL)
		return MAPI_E_INVALID_PARAMETER;
	*ppv = NULL;
	if (riid == NULL)
		return MAPI_E_INVALID_PARAMETER;
	if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IMAPIProp) ||
	    IsEqualIID(riid, &IID_IMailUser)) {
		This->lpVtbl->AddRef(This);
		*ppv = This;
		return S_OK;
	}
	return MAPI_E_INTERFACE_NOT_SUPPORTED;
}

static ULONG STDMETHODCALLTYPE MailUser_AddRef(IMailUser *This)
{
	return atomic_fetch_add(&impl_from_IMailUser(This)->refs, 1) + 1;
}

static ULONG STDMETHODCALLTYPE MailUser_Release(IMailUser *This)
{
	struct mailuser *mu = impl_from_IMailUser(This);
	unsigned left = atomic_fetch_sub(&mu->refs, 1) - 1;

	if (left == 0) {
		/* LC-42: only our own memory and the session reference. */
		abp_orglinks_free(&mu->links);
		abp_propobj_destroy(&mu->po);
		free(mu);
	}
	return left;
}

static HRESULT STDMETHODCALLTYPE MailUser_GetLastError(IMailUser *This, HRESULT hr, ULONG flags,
                                                       LPMAPIERROR *out)
{
	return abp_propobj_get_last_error(&impl_from_IMailUser(This)->po, hr, flags, out);
}

static HRESULT STDMETHODCALLTYPE MailUser_SaveChanges(IMailUser *This, ULONG flags)
{
	return abp_propobj_save_changes(&impl_from_IMailUser(This)->po, flags);
}

static HRESULT STDMETHODCALLTYPE MailUser_GetProps(IMailUser *This, LPSPropTagArray tags,
                                                   ULONG flags, ULONG *n, LPSPropValue *out)
{
	return abp_propobj_get_props(&impl_from_IMailUser(This)->po, tags, flags, n, out);
}

static HRESULT STDMETHODCALLTYPE MailUser_GetPropList(IMailUser *This, ULONG flags,
                                                      LPSPropTagArray *out)
{
	return abp_propobj_get_prop_list(&impl_from_IMailUser(This)->po, flags, out);
}

/* A table of the bags given (copied): one row each, contents-table
 * columns, sorted by display name. */
static HRESULT links_table(struct mailuser *mu, const struct abp_props *bags, size_t n,
                           bool partial, ULONG opts, LPUNKNOWN *out)
{
	struct abp_props *rows = NULL;
	struct abp_tsrc *src = NULL;
	size_t i, k = 0;
	HRESULT hr = S_OK;

	rows = calloc(n > 0 ? n : 1, sizeof(*rows));
	if (rows == NULL)
		hr = MAPI_E_NOT_ENOUGH_MEMORY;
	for (k = 0; SUCCEEDED(hr) && k < n; k++) {
		hr = abp_props_dup(&bags[k], &rows[k]);
		if (FAILED(hr))
			break;
	}
	if (SUCCEEDED(hr)) {
		hr = abp_tsrc_mem_new(rows, n, partial, false, &src);   /* takes rows */
		rows = NULL;
	}
	if (SUCCEEDED(hr))
		hr = abp_table_new(mu->po.s, ABP_TABLE_CONTENTS, opts & MAPI_UNICODE, src,
		                   (LPMAPITABLE *)out);                /* takes src */
	if (rows != NULL) {
		for (i = 0; i < k; i++)
			abp_props_free(&rows[i]);
		free(rows);
	}
	if (hr == MAPI_E_NOT_ENOUGH_MEMORY)
		abp_lasterr_set(&mu->po.le, hr, 0, CTX_MU_OPEN_PROPERTY,
		                "Out of memory opening a person's manager or reports.");
	return hr;
}

/* PR_EMS_AB_MANAGER as the manager's own object (IMailUser or IDistList):
 * through the logon's OpenEntry with the manager's entry ID (CT-14). */
static HRESULT open_manager(struct mailuser *mu, LPCIID iid, LPUNKNOWN *out)
{
	const struct abp_prop *id = abp_props_find(mu->links.manager, PR_ENTRYID);
	ULONG type = 0;

	if (id == NULL || PROP_TYPE(id->tag) != PT_BINARY)
		return abp_lasterr_set(&mu->po.le, MAPI_E_NOT_FOUND, 0, CTX_MU_OPEN_PROPERTY,
		                       "This person's manager has no entry ID.");
	return abp_propobj_open_entry(&mu->po, (ULONG)id->v.bin.cb, (LPENTRYID)id->v.bin.lpb, iid,
	                              0, &type, out);
}

static HRESULT STDMETHODCALLTYPE MailUser_OpenProperty(IMailUser *This, ULONG tag, LPCIID iid,
                                                       ULONG opts, ULONG flags, LPUNKNOWN *out)
{
	struct mailuser *mu = impl_from_IMailUser(This);
	HRESULT hr;

	if (!abp_session_enter(mu->po.s)) {
		if (out != NULL)
			*out = NULL;
		return MAPI_E_INVALID_OBJECT;
	}
	hr = abp_propobj_open_property_check(&mu->po, tag, iid, flags, out);
	if (hr != S_OK)
		goto done;
	/* The PT_OBJECT properties a person lists: its manager and reports,
	 * as tables of the referenced entries (entry IDs, names, addresses);
	 * the manager also as its own object. */
	if (PROP_ID(tag) == PROP_ID(PR_EMS_AB_MANAGER) && mu->links.manager != NULL) {
		if (IsEqualIID(iid, &IID_IMAPITable))
			hr = links_table(mu, mu->links.manager, 1, false, opts, out);
		else if (IsEqualIID(iid, &IID_IMailUser) || IsEqualIID(iid, &IID_IDistList) ||
		         IsEqualIID(iid, &IID_IMAPIProp) || IsEqualIID(iid, &IID_IUnknown))
			hr = open_manager(mu, iid, out);
		else
			hr = abp_lasterr_set(&mu->po.le, MAPI_E_INTERFACE_NOT_SUPPORTED, 0,
			                     CTX_MU_OPEN_PROPERTY,
			                     "A person's manager opens as IMAPITable or IMailUser.");
	} else if (PROP_ID(tag) == PROP_ID(PR_EMS_AB_REPORTS) && mu->links.n_reports > 0) {
		if (IsEqualIID(iid, &IID_IMAPITable))
			hr = links_table(mu, mu->links.reports, mu->links.n_reports,
			                 mu->links.reports_partial, opts, out);
		else
			hr = abp_lasterr_set(&mu->po.le, MAPI_E_INTERFACE_NOT_SUPPORTED, 0,
			                     CTX_MU_OPEN_PROPERTY,
			                     "A person's direct reports open as IMAPITable.");
	} else {
		hr = abp_lasterr_set(&mu->po.le, MAPI_E_NO_SUPPORT, 0, CTX_MU_OPEN_PROPERTY,
		                     "This property of a person cannot be opened as an object.");
	}
done:
	abp_session_leave(mu->po.s);
	return hr;
}

static HRESULT STDMETHODCALLTYPE MailUser_SetProps(IMailUser *This, ULONG c, LPSPropValue vals,
                                                   LPSPropProblemArray *problems)
{
	return abp_propobj_set_props(&impl_from_IMailUser(This)->po, c, vals, problems);
}

static HRESULT STDMETHODCALLTYPE MailUser_DeleteProps(IMailUser *This, LPSPropTagArray tags,
                                                      LPSPropProblemArray *problems)
{
	return abp_propobj_delete_props(&impl_from_IMailUser(This)->po, tags, problems);
}

static HRESULT STDMETHODCALLTYPE MailUser_CopyTo(IMailUser *This, ULONG ciid, LPCIID rgiid,
                                                 LPSPropTagArray exclude, ULONG_PTR ui,
                                                 LPMAPIPROGRESS progress, LPCIID iface, LPVOID dest,
                                                 ULONG flags, LPSPropProblemArray *problems)
{
	return abp_propobj_copy_to(&impl_from_IMailUser(This)->po, ciid, rgiid, exclude, ui,
	                           progress, iface, dest, flags, problems);
}

static HRESULT STDMETHODCALLTYPE MailUser_CopyProps(IMailUser *This, LPSPropTagArray include,
                                                    ULONG_PTR ui, LPMAPIPROGRESS progress,
                                                    LPCIID iface, LPVOID dest, ULONG flags,
                                                    LPSPropProblemArray *problems)
{
	return abp_propobj_copy_props(&impl_from_IMailUser(This)->po, include, ui, progress, iface,
	                              dest, flags, problems);
}

static HRESULT STDMETHODCALLTYPE MailUser_GetNamesFromIDs(IMailUser *This, LPSPropTagArray *tags,
                                                          LPGUID guid, ULONG flags, ULONG *n,
                                                          LPMAPINAMEID **names)
{
	return abp_propobj_get_names_from_ids(&impl_from_IMailUser(This)->po, tags, guid, flags,
	                                      n, names);
}

static HRESULT STDMETHODCALLTYPE MailUser_GetIDsFromNames(IMailUser *This, ULONG n,
                                                          LPMAPINAMEID *names, ULONG flags,
                                                          LPSPropTagArray *tags)
{
	return abp_propobj_get_ids_from_names(&impl_from_IMailUser(This)->po, n, names, flags,
	                                      tags);
}

static const IMailUserVtbl mailuser_vtbl = {
	MailUser_QueryInterface,
	MailUser_AddRef,
	MailUser_Release,
	MailUser_GetLastError,
	MailUser_SaveChanges,
	MailUser_GetProps,
	MailUser_GetPropList,
	MailUser_OpenProperty,
	MailUser_SetProps,
	MailUser_DeleteProps,
	MailUser_CopyTo,
	MailUser_CopyProps,
	MailUser_GetNamesFromIDs,
	MailUser_GetIDsFromNames,
};
