/*
 * distlist.c - IDistList: a group from the directory (spec MU-2, MU-3,
 * MU-4..MU-8).
 *
 * Read-only: the properties are read once when the object is opened and
 * never change.  The member list is the contents table (MU-3, members.c),
 * opened by GetContentsTable or OpenProperty of PR_CONTAINER_CONTENTS /
 * PR_EMS_AB_MEMBER as IMAPITable.
 */
#include <stdlib.h>

#include "directory.h"
#include "table.h"

struct distlist {
	IDistList iface;                /* first: the pointer clients hold */
	atomic_uint refs;
	struct abp_propobj po;
};

static struct distlist *impl_from_IDistList(IDistList *iface)
{
	return ABP_CONTAINING_RECORD(iface, struct distlist, iface);
}

static const IDistListVtbl distlist_vtbl;

HRESULT abp_distlist_new(struct abp_session *s, struct abp_props *bag, IDistList **out)
{
	struct distlist *dl;

	if (out != NULL)
		*out = NULL;
	if (s == NULL || bag == NULL || out == NULL)
		return MAPI_E_INVALID_PARAMETER;
	dl = calloc(1, sizeof(*dl));
	if (dl == NULL)
		return MAPI_E_NOT_ENOUGH_MEMORY;
	dl->iface.lpVtbl = &distlist_vtbl;
	atomic_init(&dl->refs, 1);
	abp_propobj_init(&dl->po, s);
	dl->po.bag = *bag;              /* the contents move in */
	abp_props_init(bag);
	*out = &dl->iface;
	return S_OK;
}

static HRESULT STDMETHODCALLTYPE DistList_QueryInterface(IDistList *This, REFIID riid, LPVOID *ppv)
{
	if (ppv == NULL)
		return MAPI_E_INVALID_PARAMETER;
	*ppv = NULL;
	if (riid == NULL)
		return MAPI_E_INVALID_PARAMETER;
	if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IMAPIProp) ||
	    IsEqualIID(riid, &IID_IMAPIContainer) || IsEqualIID(riid, &IID_IDistList)) {
		This->lpVtbl->AddRef(This);
		*ppv = This;
		return S_OK;
	}
	return MAPI_E_INTERFACE_NOT_SUPPORTED;
}

static ULONG STDMETHODCALLTYPE DistList_AddRef(IDistList *This)
{
	return atomic_fetch_add(&impl_from_IDistList(This)->refs, 1) + 1;
}

static ULONG STDMETHODCALLTYPE DistList_Release(IDistList *This)
{
	struct distlist *dl = impl_from_IDistList(This);
	unsigned left = atomic_fetch_sub(&dl->refs, 1) - 1;

	if (left == 0) {
		/* LC-42: only our own memory and the session reference. */
		abp_propobj_destroy(&dl->po);
		free(dl);
	}
	return left;
}

static HRESULT STDMETHODCALLTYPE DistList_GetLastError(IDistList *This, HRESULT hr, ULONG flags,
                                                       LPMAPIERROR *out)
{
	return abp_propobj_get_last_error(&impl_from_IDistList(This)->po, hr, flags, out);
}

static HRESULT STDMETHODCALLTYPE DistList_SaveChanges(IDistList *This, ULONG flags)
{
	return abp_propobj_save_changes(&impl_from_IDistList(This)->po, flags);
}

static HRESULT STDMETHODCALLTYPE DistList_GetProps(IDistList *This, LPSPropTagArray tags,
                                                   ULONG flags, ULONG *n, LPSPropValue *out)
{
	return abp_propobj_get_props(&impl_from_IDistList(This)->po, tags, flags, n, out);
}

static HRESULT STDMETHODCALLTYPE DistList_GetPropList(IDistList *This, ULONG flags,
                                                      LPSPropTagArray *out)
{
	return abp_propobj_get_prop_list(&impl_from_IDistList(This)->po, flags, out);
}

static HRESULT STDMETHODCALLTYPE DistList_OpenProperty(IDistList *This, ULONG tag, LPCIID iid,
                                                       ULONG opts, ULONG flags, LPUNKNOWN *out)
{
	struct distlist *dl = impl_from_IDistList(This);
	HRESULT hr;

	if (!abp_session_enter(dl->po.s)) {
		if (out != NULL)
			*out = NULL;
		return MAPI_E_INVALID_OBJECT;
	}
	hr = abp_propobj_open_property_check(&dl->po, tag, iid, flags, out);
	if (hr == S_OK) {
		/* CT-5 / MU-3: the member table, by either name. */
		if ((PROP_ID(tag) == PROP_ID(PR_CONTAINER_CONTENTS) ||
		     PROP_ID(tag) == PROP_ID(PR_EMS_AB_MEMBER)) && IsEqualIID(iid, &IID_IMAPITable))
			hr = This->lpVtbl->GetContentsTable(This, opts & MAPI_UNICODE,
			                                    (LPMAPITABLE *)out);
		else
			hr = MAPI_E_INTERFACE_NOT_SUPPORTED;
	}
	abp_session_leave(dl->po.s);
	return hr;
}

static HRESULT STDMETHODCALLTYPE DistList_SetProps(IDistList *This, ULONG c, LPSPropValue vals,
                                                   LPSPropProblemArray *problems)
{
	return abp_propobj_set_props(&impl_from_IDistList(This)->po, c, vals, problems);
}

static HRESULT STDMETHODCALLTYPE DistList_DeleteProps(IDistList *This, LPSPropTagArray tags,
                                                      LPSPropProblemArray *problems)
{
	return abp_propobj_delete_props(&impl_from_IDistList(This)->po, tags, problems);
}

static HRESULT STDMETHODCALLTYPE DistList_CopyTo(IDistList *This, ULONG ciid, LPCIID rgiid,
                                                 LPSPropTagArray exclude, ULONG_PTR ui,
                                                 LPMAPIPROGRESS progress, LPCIID iface, LPVOID dest,
                                                 ULONG flags, LPSPropProblemArray *problems)
{
	return abp_propobj_copy_to(&impl_from_IDistList(This)->po, ciid, rgiid, exclude, ui,
	                           progress, iface, dest, flags, problems);
}

static HRESULT STDMETHODCALLTYPE DistList_CopyProps(IDistList *This, LPSPropTagArray include,
                                                    ULONG_PTR ui, LPMAPIPROGRESS progress,
                                                    LPCIID iface, LPVOID dest, ULONG flags,
                                                    LPSPropProblemArray *problems)
{
	return abp_propobj_copy_props(&impl_from_IDistList(This)->po, include, ui, progress, iface,
	                              dest, flags, problems);
}

static HRESULT STDMETHODCALLTYPE DistList_GetNamesFromIDs(IDistList *This, LPSPropTagArray *tags,
                                                          LPGUID guid, ULONG flags, ULONG *n,
                                                          LPMAPINAMEID **names)
{
	return abp_propobj_get_names_from_ids(&impl_from_IDistList(This)->po, tags, guid, flags,
	                                      n, names);
}

static HRESULT STDMETHODCALLTYPE DistList_GetIDsFromNames(IDistList *This, ULONG n,
                                                          LPMAPINAMEID *names, ULONG flags,
                                                          LPSPropTagArray *tags)
{
	return abp_propobj_get_ids_from_names(&impl_from_IDistList(This)->po, n, names, flags,
	                                      tags);
}

static HRESULT STDMETHODCALLTYPE DistList_GetContentsTable(IDistList *This, ULONG flags,
                                                           LPMAPITABLE *out)
{
	/* MU-3: one row per member. */
	return abp_members_table_open(&impl_from_IDistList(This)->po, flags, out);
}

static HRESULT STDMETHODCALLTYPE DistList_GetHierarchyTable(IDistList *This, ULONG flags,
                                                            LPMAPITABLE *out)
{
	/* MU-3: a distribution list has no hierarchy. */
	return abp_propobj_no_hierarchy_table(&impl_from_IDistList(This)->po, flags, out);
}

static HRESULT STDMETHODCALLTYPE DistList_OpenEntry(IDistList *This, ULONG cb, LPENTRYID eid,
                                                    LPCIID iid, ULONG flags, ULONG *type,
                                                    LPUNKNOWN *out)
{
	return abp_propobj_open_entry(&impl_from_IDistList(This)->po, cb, eid, iid, flags, type,
	                              out);
}

/* CT-12, CT-13: refused, arguments checked first (propobj.h). */
static HRESULT STDMETHODCALLTYPE DistList_SetSearchCriteria(IDistList *This, LPSRestriction res,
                                                            LPENTRYLIST containers, ULONG flags)
{
	return abp_propobj_set_search_criteria(&impl_from_IDistList(This)->po, res, containers,
	                                       flags);
}

static HRESULT STDMETHODCALLTYPE DistList_GetSearchCriteria(IDistList *This, ULONG flags,
                                                            LPSRestriction *res,
                                                            LPENTRYLIST *containers, ULONG *state)
{
	return abp_propobj_get_search_criteria(&impl_from_IDistList(This)->po, flags, res,
	                                       containers, state);
}

static HRESULT STDMETHODCALLTYPE DistList_CreateEntry(IDistList *This, ULONG cb, LPENTRYID eid,
                                                      ULONG flags, LPMAPIPROP *out)
{
	return abp_propobj_create_entry(&impl_from_IDistList(This)->po, cb, eid, flags, out);
}

static HRESULT STDMETHODCALLTYPE DistList_CopyEntries(IDistList *This, LPENTRYLIST entries,
                                                      ULONG_PTR ui, LPMAPIPROGRESS progress,
                                                      ULONG flags)
{
	return abp_propobj_copy_entries(&impl_from_IDistList(This)->po, entries, ui, progress,
	                                flags);
}

static HRESULT STDMETHODCALLTYPE DistList_DeleteEntries(IDistList *This, LPENTRYLIST entries,
                                                        ULONG flags)
{
	return abp_propobj_delete_entries(&impl_from_IDistList(This)->po, entries, flags);
}

static HRESULT STDMETHODCALLTYPE DistList_ResolveNames(IDistList *This, LPSPropTagArray tags,
                                                       ULONG flags, LPADRLIST list,
                                                       LPFlagList flist)
{
	(void)tags;
	(void)flags;
	(void)list;
	(void)flist;
	return abp_propobj_refuse(&impl_from_IDistList(This)->po, "ResolveNames", S_OK,
	                          MAPI_E_NO_SUPPORT, "a group's members are listed by its "
	                          "contents table, not resolved (MU-3).");
}

static const IDistListVtbl distlist_vtbl = {
	DistList_QueryInterface,
	DistList_AddRef,
	DistList_Release,
	DistList_GetLastError,
	DistList_SaveChanges,
	DistList_GetProps,
	DistList_GetPropList,
	DistList_OpenProperty,
	DistList_SetProps,
	DistList_DeleteProps,
	DistList_CopyTo,
	DistList_CopyProps,
	DistList_GetNamesFromIDs,
	DistList_GetIDsFromNames,
	DistList_GetContentsTable,
	DistList_GetHierarchyTable,
	DistList_OpenEntry,
	DistList_SetSearchCriteria,
	DistList_GetSearchCriteria,
	DistList_CreateEntry,
	DistList_CopyEntries,
	DistList_DeleteEntries,
	DistList_ResolveNames,
};
