/*
 * mailuser.c - IMailUser: a person from the directory (spec MU-1, MU-4..MU-8).
 *
 * Read-only: the properties are read once when the object is opened and
 * never change.  IMailUser adds no methods to IMAPIProp.
 */
#include <stdlib.h>

#include "directory.h"

struct mailuser {
	IMailUser iface;                /* first: the pointer clients hold */
	atomic_uint refs;
	struct abp_propobj po;
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
	mu->po.bag = *bag;              /* the contents move in */
	abp_props_init(bag);
	*out = &mu->iface;
	return S_OK;
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

static HRESULT STDMETHODCALLTYPE MailUser_OpenProperty(IMailUser *This, ULONG tag, LPCIID iid,
                                                       ULONG opts, ULONG flags, LPUNKNOWN *out)
{
	struct mailuser *mu = impl_from_IMailUser(This);
	HRESULT hr;

	(void)opts;
	if (!abp_session_enter(mu->po.s)) {
		if (out != NULL)
			*out = NULL;
		return MAPI_E_INVALID_OBJECT;
	}
	hr = abp_propobj_open_property_check(&mu->po, tag, iid, flags, out);
	/* A person lists no PT_OBJECT properties, so nothing gets past the
	 * check; should one be added, it must be opened here. */
	if (hr == S_OK)
		hr = abp_lasterr_set(&mu->po.le, MAPI_E_NO_SUPPORT, 0, 0,
		                     "This property of a person cannot be opened as an object.");
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
