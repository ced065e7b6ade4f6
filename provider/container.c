/*
 * container.c - IABContainer: the root container (CT-1) and the directory
 * containers under it (CT-2..CT-4, CT-12..CT-14).
 *
 * Decisions:
 *   - The root is DT_NOT_SPECIFIC (it is the provider's top, not a
 *     directory); directory containers are DT_GLOBAL (CT-4).
 *   - Each container lists only the PT_OBJECT tables it has: the root
 *     PR_CONTAINER_HIERARCHY, a directory container PR_CONTAINER_CONTENTS
 *     (it has no subcontainers, CT-3).
 *   - The root's hierarchy table lists the directory containers
 *     (hierarchy.c); a directory container's contents table browses its
 *     people and groups (contents.c).  Both open through GetContentsTable /
 *     GetHierarchyTable and OpenProperty alike (CT-5).
 */
#include <stdlib.h>
#include <string.h>

#include <ldapab/profile.h>

#include "directory.h"
#include "resolve.h"
#include "table.h"

struct container {
	IABContainer iface;             /* first: the pointer clients hold */
	atomic_uint refs;
	bool root;
	const struct abp_container_cfg *cfg;    /* in s->cfg (immutable); NULL: root */
	struct abp_propobj po;
};

static struct container *impl_from_IABContainer(IABContainer *iface)
{
	return ABP_CONTAINING_RECORD(iface, struct container, iface);
}

static const IABContainerVtbl container_vtbl;

HRESULT abp_container_bag(struct abp_session *s, const struct abp_container_cfg *cfg,
                          struct abp_props *bag)
{
	static const uint8_t provider_id[16] = ABP_AB_PROVIDER_ID_BYTES;
	struct abp_eid eid;
	uint8_t buf[ABP_EID_CONTAINER_MAX], rk[ABP_EID_CONTAINER_MAX];
	const char *name, *dflt;
	size_t cb, rkcb;
	ULONG cflags;
	HRESULT hr;

	memset(&eid, 0, sizeof(eid));
	memcpy(eid.uid, s->uid.ab, 16);
	eid.loc_kind = ABP_EID_LOC_CONTAINER;
	dflt = (s->cfg && s->cfg->display_name && s->cfg->display_name[0])
	       ? s->cfg->display_name : ABP_PROVIDER_DISPLAY;
	if (cfg == NULL) {
		eid.type = ABP_EID_ROOT;
		eid.loc = (const uint8_t *)ABP_ROOT_LOCATOR;
		eid.loc_len = strlen(ABP_ROOT_LOCATOR);
		name = dflt;
		cflags = AB_SUBCONTAINERS | AB_UNMODIFIABLE;            /* CT-1 */
	} else {
		if (cfg->id == NULL || cfg->id[0] == '\0')
			return MAPI_E_INVALID_PARAMETER;
		eid.type = ABP_EID_CONTAINER;
		eid.loc = (const uint8_t *)cfg->id;
		eid.loc_len = strlen(cfg->id);
		name = (cfg->display_name && cfg->display_name[0]) ? cfg->display_name : dflt;
		/* CT-3: recipients live here; search before listing unless the
		 * profile asked for VLV browsing. */
		cflags = AB_RECIPIENTS | AB_UNMODIFIABLE;
		if (s->cfg == NULL || s->cfg->browse_mode != LDAPAB_BROWSE_VLV)
			cflags |= AB_FIND_ON_OPEN;
	}
	cb = abp_eid_encode(&eid, buf, sizeof(buf));
	rkcb = abp_eid_record_key(&eid, rk, sizeof(rk));  /* EK-6: identity only */
	if (cb == 0 || rkcb == 0)
		return MAPI_E_INVALID_PARAMETER;        /* an ID too long for an entry ID */

	hr = abp_props_add_long(bag, PR_CONTAINER_FLAGS, (LONG)cflags);
	if (SUCCEEDED(hr))
		hr = abp_props_add_string(bag, PR_DISPLAY_NAME_W, name, (size_t)-1);
	if (SUCCEEDED(hr))
		hr = abp_props_add_binary(bag, PR_ENTRYID, buf, cb);
	if (SUCCEEDED(hr))
		hr = abp_props_add_binary(bag, PR_RECORD_KEY, rk, rkcb);       /* EK-6 */
	if (SUCCEEDED(hr))
		hr = abp_props_add_long(bag, PR_OBJECT_TYPE, (LONG)MAPI_ABCONT);
	if (SUCCEEDED(hr))
		hr = abp_props_add_long(bag, PR_DISPLAY_TYPE,
		                        (LONG)(cfg == NULL ? DT_NOT_SPECIFIC : DT_GLOBAL));
	if (SUCCEEDED(hr))
		hr = abp_props_add_binary(bag, PR_AB_PROVIDER_ID, provider_id, 16);
	if (SUCCEEDED(hr))
		hr = abp_props_add_object(bag, cfg == NULL ? PR_CONTAINER_HIERARCHY
		                                           : PR_CONTAINER_CONTENTS);
	return hr;
}

HRESULT abp_container_new(struct abp_session *s, const struct abp_container_cfg *cfg,
                          IABContainer **out)
{
	struct container *c;
	HRESULT hr;

	if (out != NULL)
		*out = NULL;
	if (s == NULL || out == NULL)
		return MAPI_E_INVALID_PARAMETER;
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return MAPI_E_NOT_ENOUGH_MEMORY;
	c->iface.lpVtbl = &container_vtbl;
	atomic_init(&c->refs, 1);
	c->root = cfg == NULL;
	c->cfg = cfg;
	abp_propobj_init(&c->po, s);
	hr = abp_container_bag(s, cfg, &c->po.bag);
	if (FAILED(hr)) {
		abp_propobj_destroy(&c->po);
		free(c);
		return hr;
	}
	*out = &c->iface;
	return S_OK;
}

static HRESULT STDMETHODCALLTYPE Container_QueryInterface(IABContainer *This, REFIID riid,
                                                          LPVOID *ppv)
{
	if (ppv == NULL)
		return MAPI_E_INVALID_PARAMETER;
	*ppv = NULL;
	if (riid == NULL)
		return MAPI_E_INVALID_PARAMETER;
	if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IMAPIProp) ||
	    IsEqualIID(riid, &IID_IMAPIContainer) || IsEqualIID(riid, &IID_IABContainer)) {
		This->lpVtbl->AddRef(This);
		*ppv = This;
		return S_OK;
	}
	return MAPI_E_INTERFACE_NOT_SUPPORTED;
}

static ULONG STDMETHODCALLTYPE Container_AddRef(IABContainer *This)
{
	return atomic_fetch_add(&impl_from_IABContainer(This)->refs, 1) + 1;
}

static ULONG STDMETHODCALLTYPE Container_Release(IABContainer *This)
{
	struct container *c = impl_from_IABContainer(This);
	unsigned left = atomic_fetch_sub(&c->refs, 1) - 1;

	if (left == 0) {
		/* LC-42: only our own memory and the session reference. */
		abp_propobj_destroy(&c->po);
		free(c);
	}
	return left;
}

static HRESULT STDMETHODCALLTYPE Container_GetLastError(IABContainer *This, HRESULT hr, ULONG flags,
                                                        LPMAPIERROR *out)
{
	return abp_propobj_get_last_error(&impl_from_IABContainer(This)->po, hr, flags, out);
}

static HRESULT STDMETHODCALLTYPE Container_SaveChanges(IABContainer *This, ULONG flags)
{
	return abp_propobj_save_changes(&impl_from_IABContainer(This)->po, flags);
}

static HRESULT STDMETHODCALLTYPE Container_GetProps(IABContainer *This, LPSPropTagArray tags,
                                                    ULONG flags, ULONG *n, LPSPropValue *out)
{
	return abp_propobj_get_props(&impl_from_IABContainer(This)->po, tags, flags, n, out);
}

static HRESULT STDMETHODCALLTYPE Container_GetPropList(IABContainer *This, ULONG flags,
                                                       LPSPropTagArray *out)
{
	return abp_propobj_get_prop_list(&impl_from_IABContainer(This)->po, flags, out);
}

static HRESULT STDMETHODCALLTYPE Container_OpenProperty(IABContainer *This, ULONG tag, LPCIID iid,
                                                        ULONG opts, ULONG flags, LPUNKNOWN *out)
{
	struct container *c = impl_from_IABContainer(This);
	HRESULT hr;

	if (!abp_session_enter(c->po.s)) {
		if (out != NULL)
			*out = NULL;
		return MAPI_E_INVALID_OBJECT;
	}
	hr = abp_propobj_open_property_check(&c->po, tag, iid, flags, out);
	if (hr == S_OK) {
		/* CT-5: the same tables as GetContentsTable/GetHierarchyTable. */
		if (!IsEqualIID(iid, &IID_IMAPITable))
			hr = MAPI_E_INTERFACE_NOT_SUPPORTED;
		/* ulInterfaceOptions are the table's open flags; only
		 * MAPI_UNICODE applies to a table opened this way (as in
		 * distlist.c), other bits are the caller's business, not
		 * GetContentsTable's flags (it would answer UNKNOWN_FLAGS). */
		else if (PROP_ID(tag) == PROP_ID(PR_CONTAINER_CONTENTS))
			hr = This->lpVtbl->GetContentsTable(This, opts & MAPI_UNICODE,
			                                    (LPMAPITABLE *)out);
		else if (PROP_ID(tag) == PROP_ID(PR_CONTAINER_HIERARCHY))
			hr = This->lpVtbl->GetHierarchyTable(This, opts & MAPI_UNICODE,
			                                     (LPMAPITABLE *)out);
		else
			hr = MAPI_E_INTERFACE_NOT_SUPPORTED;
	}
	abp_session_leave(c->po.s);
	return hr;
}

static HRESULT STDMETHODCALLTYPE Container_SetProps(IABContainer *This, ULONG cv, LPSPropValue vals,
                                                    LPSPropProblemArray *problems)
{
	return abp_propobj_set_props(&impl_from_IABContainer(This)->po, cv, vals, problems);
}

static HRESULT STDMETHODCALLTYPE Container_DeleteProps(IABContainer *This, LPSPropTagArray tags,
                                                       LPSPropProblemArray *problems)
{
	return abp_propobj_delete_props(&impl_from_IABContainer(This)->po, tags, problems);
}

static HRESULT STDMETHODCALLTYPE Container_CopyTo(IABContainer *This, ULONG ciid, LPCIID rgiid,
                                                  LPSPropTagArray exclude, ULONG_PTR ui,
                                                  LPMAPIPROGRESS progress, LPCIID iface,
                                                  LPVOID dest, ULONG flags,
                                                  LPSPropProblemArray *problems)
{
	return abp_propobj_copy_to(&impl_from_IABContainer(This)->po, ciid, rgiid, exclude, ui,
	                           progress, iface, dest, flags, problems);
}

static HRESULT STDMETHODCALLTYPE Container_CopyProps(IABContainer *This, LPSPropTagArray include,
                                                     ULONG_PTR ui, LPMAPIPROGRESS progress,
                                                     LPCIID iface, LPVOID dest, ULONG flags,
                                                     LPSPropProblemArray *problems)
{
	return abp_propobj_copy_props(&impl_from_IABContainer(This)->po, include, ui, progress,
	                              iface, dest, flags, problems);
}

static HRESULT STDMETHODCALLTYPE Container_GetNamesFromIDs(IABContainer *This,
                                                           LPSPropTagArray *tags, LPGUID guid,
                                                           ULONG flags, ULONG *n,
                                                           LPMAPINAMEID **names)
{
	return abp_propobj_get_names_from_ids(&impl_from_IABContainer(This)->po, tags, guid,
	                                      flags, n, names);
}

static HRESULT STDMETHODCALLTYPE Container_GetIDsFromNames(IABContainer *This, ULONG n,
                                                           LPMAPINAMEID *names, ULONG flags,
                                                           LPSPropTagArray *tags)
{
	return abp_propobj_get_ids_from_names(&impl_from_IABContainer(This)->po, n, names, flags,
	                                      tags);
}

static HRESULT STDMETHODCALLTYPE Container_GetContentsTable(IABContainer *This, ULONG flags,
                                                            LPMAPITABLE *out)
{
	struct container *c = impl_from_IABContainer(This);

	/* CT-1: the root has no recipients. */
	if (c->root)
		return abp_propobj_no_contents_table(&c->po, flags, out);
	return abp_contents_table_open(&c->po, c->cfg, flags, out);         /* CT-7 */
}

static HRESULT STDMETHODCALLTYPE Container_GetHierarchyTable(IABContainer *This, ULONG flags,
                                                             LPMAPITABLE *out)
{
	struct container *c = impl_from_IABContainer(This);

	/* CT-6: only the root has children. */
	if (!c->root)
		return abp_propobj_no_hierarchy_table(&c->po, flags, out);
	return abp_hierarchy_table_open(&c->po, flags, out);
}

static HRESULT STDMETHODCALLTYPE Container_OpenEntry(IABContainer *This, ULONG cb, LPENTRYID eid,
                                                     LPCIID iid, ULONG flags, ULONG *type,
                                                     LPUNKNOWN *out)
{
	/* CT-14: exactly the logon's OpenEntry (LO-2). */
	return abp_propobj_open_entry(&impl_from_IABContainer(This)->po, cb, eid, iid, flags,
	                              type, out);
}

/* CT-12, CT-13: refused, arguments checked first (propobj.h). */
static HRESULT STDMETHODCALLTYPE Container_SetSearchCriteria(IABContainer *This,
                                                             LPSRestriction res,
                                                             LPENTRYLIST containers, ULONG flags)
{
	return abp_propobj_set_search_criteria(&impl_from_IABContainer(This)->po, res, containers,
	                                       flags);
}

static HRESULT STDMETHODCALLTYPE Container_GetSearchCriteria(IABContainer *This, ULONG flags,
                                                             LPSRestriction *res,
                                                             LPENTRYLIST *containers,
                                                             ULONG *state)
{
	return abp_propobj_get_search_criteria(&impl_from_IABContainer(This)->po, flags, res,
	                                       containers, state);
}

static HRESULT STDMETHODCALLTYPE Container_CreateEntry(IABContainer *This, ULONG cb,
                                                       LPENTRYID eid, ULONG flags,
                                                       LPMAPIPROP *out)
{
	return abp_propobj_create_entry(&impl_from_IABContainer(This)->po, cb, eid, flags, out);
}

static HRESULT STDMETHODCALLTYPE Container_CopyEntries(IABContainer *This, LPENTRYLIST entries,
                                                       ULONG_PTR ui, LPMAPIPROGRESS progress,
                                                       ULONG flags)
{
	return abp_propobj_copy_entries(&impl_from_IABContainer(This)->po, entries, ui, progress,
	                                flags);
}

static HRESULT STDMETHODCALLTYPE Container_DeleteEntries(IABContainer *This, LPENTRYLIST entries,
                                                         ULONG flags)
{
	return abp_propobj_delete_entries(&impl_from_IABContainer(This)->po, entries, flags);
}

static HRESULT STDMETHODCALLTYPE Container_ResolveNames(IABContainer *This, LPSPropTagArray tags,
                                                        ULONG flags, LPADRLIST list,
                                                        LPFlagList flist)
{
	struct container *c = impl_from_IABContainer(This);

	/* CT-1: the root holds no recipients; its directory containers
	 * resolve (CT-10, CT-11). */
	if (c->root)
		return abp_propobj_refuse(&c->po, "ResolveNames", S_OK, MAPI_E_NO_SUPPORT,
		                          "The root container holds no recipients; names are "
		                          "resolved by its directory containers.");
	return abp_resolve_names(c->po.s, &c->po.le, c->cfg, tags, flags, list, flist);
}

static const IABContainerVtbl container_vtbl = {
	Container_QueryInterface,
	Container_AddRef,
	Container_Release,
	Container_GetLastError,
	Container_SaveChanges,
	Container_GetProps,
	Container_GetPropList,
	Container_OpenProperty,
	Container_SetProps,
	Container_DeleteProps,
	Container_CopyTo,
	Container_CopyProps,
	Container_GetNamesFromIDs,
	Container_GetIDsFromNames,
	Container_GetContentsTable,
	Container_GetHierarchyTable,
	Container_OpenEntry,
	Container_SetSearchCriteria,
	Container_GetSearchCriteria,
	Container_CreateEntry,
	Container_CopyEntries,
	Container_DeleteEntries,
	Container_ResolveNames,
};
