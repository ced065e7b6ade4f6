/*
 * propobj.c - the IMAPIProp part every read-only object of ours shares.
 * See propobj.h.
 */
#include "propobj.h"

#include <stdlib.h>
#include <string.h>

/* Context numbers for MAPIERROR.ulContext (propobj.c: 0x0400..). */
enum {
	CTX_REFUSED = 0x0401,
	CTX_LIVE,
	CTX_OPEN_PROPERTY
};

void abp_propobj_init(struct abp_propobj *o, struct abp_session *s)
{
	abp_session_addref(s);
	o->s = s;
	abp_lasterr_init(&o->le);
	abp_props_init(&o->bag);
	o->live = NULL;
}

void abp_propobj_destroy(struct abp_propobj *o)
{
	abp_props_free(&o->bag);
	abp_lasterr_destroy(&o->le);
	abp_session_release(o->s);
	o->s = NULL;
}

/* The properties this call answers from: the fixed bag, or for a live
 * object a fresh one in *tmp (freed by the caller with abp_props_free). */
static HRESULT call_bag(struct abp_propobj *o, struct abp_props *tmp,
                        const struct abp_props **bag)
{
	HRESULT hr;

	abp_props_init(tmp);
	if (o->live == NULL) {
		*bag = &o->bag;
		return S_OK;
	}
	hr = o->live(o, tmp);
	if (FAILED(hr)) {
		abp_props_free(tmp);
		return hr == MAPI_E_NOT_ENOUGH_MEMORY
		       ? hr : abp_lasterr_set(&o->le, hr, 0, CTX_LIVE,
		                              "The object's properties could not be read.");
	}
	*bag = tmp;
	return S_OK;
}

HRESULT abp_propobj_refuse(struct abp_propobj *o, const char *method, HRESULT check,
                           HRESULT hr, const char *why)
{
	if (!abp_session_enter(o->s))
		return MAPI_E_INVALID_OBJECT;           /* LC-40: before anything else */
	if (check == MAPI_E_UNKNOWN_FLAGS)
		hr = abp_lasterr_set(&o->le, check, 0, CTX_REFUSED,
		                     "%s was called with flags it does not define.", method);
	else if (FAILED(check))
		hr = abp_lasterr_set(&o->le, check, 0, CTX_REFUSED,
		                     "%s was called with a missing or invalid argument.", method);
	else if (why != NULL)
		hr = abp_lasterr_set(&o->le, hr, 0, CTX_REFUSED, "%s: %s", method, why);
	else if (hr == MAPI_E_NO_ACCESS)
		hr = abp_lasterr_set(&o->le, hr, 0, CTX_REFUSED,
		                     "%s: the address book is read-only; ldapab never changes the "
		                     "directory.", method);
	else
		hr = abp_lasterr_set(&o->le, hr, 0, CTX_REFUSED, "ldapab does not support %s.",
		                     method);
	abp_session_leave(o->s);
	return hr;
}

HRESULT abp_propobj_get_last_error(struct abp_propobj *o, HRESULT hr, ULONG flags,
                                   LPMAPIERROR *out)
{
	HRESULT ret;

	if (out != NULL)
		*out = NULL;
	if (!abp_session_enter(o->s))
		return MAPI_E_INVALID_OBJECT;
	ret = abp_lasterr_get(&o->le, o->s, hr, flags, out);
	abp_session_leave(o->s);
	return ret;
}

#define SAVE_FLAGS (KEEP_OPEN_READONLY | KEEP_OPEN_READWRITE | FORCE_SAVE | MAPI_DEFERRED_ERRORS)

HRESULT abp_propobj_save_changes(struct abp_propobj *o, ULONG flags)
{
	return abp_propobj_refuse(o, "SaveChanges",
	                          (flags & ~(ULONG)SAVE_FLAGS) ? MAPI_E_UNKNOWN_FLAGS : S_OK,
	                          MAPI_E_NO_ACCESS, NULL);
}

HRESULT abp_propobj_get_props(struct abp_propobj *o, LPSPropTagArray tags, ULONG flags,
                              ULONG *n, LPSPropValue *out)
{
	const struct abp_props *bag = NULL;
	struct abp_props tmp;
	struct abp_allocs al;
	HRESULT hr;

	if (n != NULL)
		*n = 0;
	if (out != NULL)
		*out = NULL;
	if (!abp_session_enter(o->s))
		return MAPI_E_INVALID_OBJECT;
	al = abp_allocs_of(o->s);
	hr = (n == NULL || out == NULL) ? MAPI_E_INVALID_PARAMETER : call_bag(o, &tmp, &bag);
	if (SUCCEEDED(hr)) {
		hr = abp_props_get(&al, bag, tags, flags, n, out);
		abp_props_free(&tmp);
	}
	abp_session_leave(o->s);
	return hr;
}

HRESULT abp_propobj_get_prop_list(struct abp_propobj *o, ULONG flags, LPSPropTagArray *out)
{
	const struct abp_props *bag = NULL;
	struct abp_props tmp;
	struct abp_allocs al;
	HRESULT hr;

	if (out != NULL)
		*out = NULL;
	if (!abp_session_enter(o->s))
		return MAPI_E_INVALID_OBJECT;
	al = abp_allocs_of(o->s);
	hr = out == NULL ? MAPI_E_INVALID_PARAMETER : call_bag(o, &tmp, &bag);
	if (SUCCEEDED(hr)) {
		hr = abp_props_list(&al, bag, flags, out);
		abp_props_free(&tmp);
	}
	abp_session_leave(o->s);
	return hr;
}

HRESULT abp_propobj_set_props(struct abp_propobj *o, ULONG c, LPSPropValue vals,
                              LPSPropProblemArray *problems)
{
	if (problems != NULL)
		*problems = NULL;
	(void)c;
	return abp_propobj_refuse(o, "SetProps", vals == NULL ? MAPI_E_INVALID_PARAMETER : S_OK,
	                          MAPI_E_NO_ACCESS, NULL);
}

HRESULT abp_propobj_delete_props(struct abp_propobj *o, LPSPropTagArray tags,
                                 LPSPropProblemArray *problems)
{
	if (problems != NULL)
		*problems = NULL;
	return abp_propobj_refuse(o, "DeleteProps",
	                          tags == NULL ? MAPI_E_INVALID_PARAMETER : S_OK,
	                          MAPI_E_NO_ACCESS, NULL);
}

/* CopyTo (tags: the exclude list) and CopyProps (the include list), once
 * their arguments are judged (args_ok): the session entered first (LC-40:
 * before any argument check), then the object's bag copied out. */
static HRESULT copy_out(struct abp_propobj *o, bool args_ok, bool copy_to,
                        const SPropTagArray *tags, LPCIID iface, LPVOID dest, ULONG flags,
                        LPSPropProblemArray *problems)
{
	const struct abp_props *bag = NULL;
	struct abp_props tmp;
	struct abp_allocs al;
	HRESULT hr;

	if (problems != NULL)
		*problems = NULL;
	if (!abp_session_enter(o->s))
		return MAPI_E_INVALID_OBJECT;
	al = abp_allocs_of(o->s);
	hr = args_ok ? call_bag(o, &tmp, &bag) : MAPI_E_INVALID_PARAMETER;
	if (SUCCEEDED(hr)) {
		/* The destination is the caller's object, called on this thread
		 * (TH-8); we hold no lock while calling it (TH-5). */
		hr = copy_to ? abp_props_copy_to(&al, bag, tags, iface, dest, flags, problems)
		             : abp_props_copy_props(&al, bag, tags, iface, dest, flags, problems);
		abp_props_free(&tmp);
	}
	abp_session_leave(o->s);
	return hr;
}

HRESULT abp_propobj_copy_to(struct abp_propobj *o, ULONG ciid, LPCIID rgiid,
                            LPSPropTagArray exclude, ULONG_PTR ui, LPMAPIPROGRESS progress,
                            LPCIID iface, LPVOID dest, ULONG flags,
                            LPSPropProblemArray *problems)
{
	(void)ui;
	(void)progress;
	return copy_out(o, !(ciid > 0 && rgiid == NULL) && dest != NULL, true, exclude, iface, dest,
	                flags, problems);
}

HRESULT abp_propobj_copy_props(struct abp_propobj *o, LPSPropTagArray include, ULONG_PTR ui,
                               LPMAPIPROGRESS progress, LPCIID iface, LPVOID dest,
                               ULONG flags, LPSPropProblemArray *problems)
{
	(void)ui;
	(void)progress;
	return copy_out(o, dest != NULL, false, include, iface, dest, flags, problems);
}

HRESULT abp_propobj_get_names_from_ids(struct abp_propobj *o, LPSPropTagArray *tags,
                                       LPGUID guid, ULONG flags, ULONG *n,
                                       LPMAPINAMEID **names)
{
	(void)guid;
	/* *tags is in/out: a caller's array stays theirs; only the pure
	 * outputs are cleared. */
	if (n != NULL)
		*n = 0;
	if (names != NULL)
		*names = NULL;
	return abp_propobj_refuse(o, "GetNamesFromIDs",
	                          (tags == NULL || n == NULL || names == NULL)
	                          ? MAPI_E_INVALID_PARAMETER
	                          : (flags & ~(ULONG)(MAPI_NO_STRINGS | MAPI_NO_IDS))
	                          ? MAPI_E_UNKNOWN_FLAGS : S_OK,
	                          MAPI_E_NO_SUPPORT, "address book entries have no named properties.");
}

HRESULT abp_propobj_get_ids_from_names(struct abp_propobj *o, ULONG n, LPMAPINAMEID *names,
                                       ULONG flags, LPSPropTagArray *tags)
{
	if (tags != NULL)
		*tags = NULL;
	return abp_propobj_refuse(o, "GetIDsFromNames",
	                          (tags == NULL || (n > 0 && names == NULL))
	                          ? MAPI_E_INVALID_PARAMETER
	                          : (flags & ~(ULONG)MAPI_CREATE) ? MAPI_E_UNKNOWN_FLAGS : S_OK,
	                          MAPI_E_NO_SUPPORT, "address book entries have no named properties.");
}

/* ------------------------------------------------------------------------ */
/* IMAPIContainer / IABContainer methods a read-only directory refuses       */
/* ------------------------------------------------------------------------ */

#define SEARCH_FLAGS (STOP_SEARCH | RESTART_SEARCH | RECURSIVE_SEARCH | SHALLOW_SEARCH | \
                      FOREGROUND_SEARCH | BACKGROUND_SEARCH)
#define ABP_CREATE_MERGE ((ULONG)0x00000008)    /* IABContainer::CreateEntry */
#define CREATE_FLAGS (CREATE_CHECK_DUP_STRICT | CREATE_CHECK_DUP_LOOSE | CREATE_REPLACE | \
                      ABP_CREATE_MERGE)
#define COPY_FLAGS (AB_NO_DIALOG | CREATE_CHECK_DUP_STRICT | CREATE_CHECK_DUP_LOOSE | \
                    CREATE_REPLACE)
#define READ_ONLY_WHY "the address book is read-only; ldapab never changes the directory."
#define NO_SEARCH_WHY "address book containers are not search folders."

HRESULT abp_propobj_set_search_criteria(struct abp_propobj *o, LPSRestriction res,
                                        LPENTRYLIST containers, ULONG flags)
{
	(void)res;              /* both may be NULL: "keep the current ones" */
	(void)containers;
	return abp_propobj_refuse(o, "SetSearchCriteria",
	                          (flags & ~(ULONG)SEARCH_FLAGS) ? MAPI_E_UNKNOWN_FLAGS : S_OK,
	                          MAPI_E_NO_SUPPORT, NO_SEARCH_WHY);
}

HRESULT abp_propobj_get_search_criteria(struct abp_propobj *o, ULONG flags, LPSRestriction *res,
                                        LPENTRYLIST *containers, ULONG *state)
{
	if (res != NULL)
		*res = NULL;
	if (containers != NULL)
		*containers = NULL;
	if (state != NULL)
		*state = 0;
	return abp_propobj_refuse(o, "GetSearchCriteria",
	                          (flags & ~(ULONG)MAPI_UNICODE) ? MAPI_E_UNKNOWN_FLAGS : S_OK,
	                          MAPI_E_NO_SUPPORT, NO_SEARCH_WHY);
}

HRESULT abp_propobj_create_entry(struct abp_propobj *o, ULONG cb, LPENTRYID eid, ULONG flags,
                                 LPMAPIPROP *out)
{
	if (out != NULL)
		*out = NULL;
	return abp_propobj_refuse(o, "CreateEntry",
	                          (out == NULL || eid == NULL || cb == 0) ? MAPI_E_INVALID_PARAMETER
	                          : (flags & ~(ULONG)CREATE_FLAGS) ? MAPI_E_UNKNOWN_FLAGS : S_OK,
	                          MAPI_E_NO_SUPPORT, READ_ONLY_WHY);
}

HRESULT abp_propobj_copy_entries(struct abp_propobj *o, LPENTRYLIST entries, ULONG_PTR ui,
                                 LPMAPIPROGRESS progress, ULONG flags)
{
	(void)ui;
	(void)progress;
	return abp_propobj_refuse(o, "CopyEntries",
	                          entries == NULL ? MAPI_E_INVALID_PARAMETER
	                          : (flags & ~(ULONG)COPY_FLAGS) ? MAPI_E_UNKNOWN_FLAGS : S_OK,
	                          MAPI_E_NO_SUPPORT, READ_ONLY_WHY);
}

HRESULT abp_propobj_delete_entries(struct abp_propobj *o, LPENTRYLIST entries, ULONG flags)
{
	return abp_propobj_refuse(o, "DeleteEntries",
	                          entries == NULL ? MAPI_E_INVALID_PARAMETER
	                          : flags != 0 ? MAPI_E_UNKNOWN_FLAGS : S_OK,
	                          MAPI_E_NO_SUPPORT, READ_ONLY_WHY);
}

HRESULT abp_propobj_open_property_check(struct abp_propobj *o, ULONG tag, LPCIID iid,
                                        ULONG flags, LPUNKNOWN *out)
{
	const struct abp_props *bag = NULL;
	const struct abp_prop *p;
	struct abp_props tmp;
	ULONG ptype = 0;
	bool found;
	HRESULT hr;

	if (out != NULL)
		*out = NULL;
	if (iid == NULL || out == NULL || PROP_TYPE(tag) == PT_UNSPECIFIED)
		return abp_lasterr_set(&o->le, MAPI_E_INVALID_PARAMETER, 0, CTX_OPEN_PROPERTY,
		                       "OpenProperty needs an interface, an out-pointer and a "
		                       "typed property tag.");
	if (flags & (MAPI_CREATE | MAPI_MODIFY))
		return abp_lasterr_set(&o->le, MAPI_E_NO_ACCESS, 0, CTX_OPEN_PROPERTY,
		                       "OpenProperty: the address book is read-only; open "
		                       "properties without MAPI_CREATE or MAPI_MODIFY.");
	if (flags & ~(ULONG)(MAPI_DEFERRED_ERRORS | MAPI_BEST_ACCESS))
		return abp_lasterr_set(&o->le, MAPI_E_UNKNOWN_FLAGS, 0, CTX_OPEN_PROPERTY,
		                       "OpenProperty was called with flags it does not define.");
	if (PROP_ID(tag) == PROP_ID(PR_DETAILS_TABLE) || PROP_ID(tag) == PROP_ID(PR_CREATE_TEMPLATES))
		return abp_lasterr_set(&o->le, MAPI_E_NO_SUPPORT, 0, CTX_OPEN_PROPERTY,
		                       "ldapab has no details or creation templates (property "
		                       "0x%08lX).", (unsigned long)tag);
	hr = call_bag(o, &tmp, &bag);
	if (FAILED(hr))
		return hr;
	p = abp_props_find(bag, tag);
	found = p != NULL;
	if (found)
		ptype = PROP_TYPE(p->tag);
	abp_props_free(&tmp);
	if (!found)                     /* MU-7: absent */
		return abp_lasterr_set(&o->le, MAPI_E_NOT_FOUND, 0, CTX_OPEN_PROPERTY,
		                       "This entry has no property 0x%08lX.", (unsigned long)tag);
	/* Present but a value, not an object (PR_DISPLAY_NAME_W asked as
	 * IStream or IUnknown): we open no property as a stream, so it is the
	 * interface that is not supported - MU-7's "wrong IID" answer, which
	 * tells the caller the property exists (NOT_FOUND would say absent). */
	if (ptype != PT_OBJECT)
		return abp_lasterr_set(&o->le, MAPI_E_INTERFACE_NOT_SUPPORTED, 0, CTX_OPEN_PROPERTY,
		                       "Property 0x%08lX is a value; read it with GetProps.",
		                       (unsigned long)tag);
	return S_OK;
}

HRESULT abp_propobj_open_entry(struct abp_propobj *o, ULONG cb, LPENTRYID eid, LPCIID iid,
                               ULONG flags, ULONG *type, LPUNKNOWN *out)
{
	IABLogon *logon;
	HRESULT hr;

	if (out != NULL)
		*out = NULL;
	if (type != NULL)
		*type = 0;
	if (!abp_session_enter(o->s))
		return MAPI_E_INVALID_OBJECT;
	/* s->logon is valid while we are inside (abp.h). */
	plat_mutex_lock(&o->s->lock);
	logon = o->s->logon;
	plat_mutex_unlock(&o->s->lock);
	if (logon == NULL)
		hr = MAPI_E_INVALID_OBJECT;
	else
		/* Recorded in this object's slot, not the logon's (LO-1/MU-8). */
		hr = abp_logon_open_entry(logon, &o->le, cb, eid, iid, flags, type, out);
	abp_session_leave(o->s);
	return hr;
}

/* The table refusal: out checked, flags checked, then MAPI_E_NO_SUPPORT. */
static HRESULT no_table(struct abp_propobj *o, const char *method, ULONG flags, ULONG allowed,
                        const char *why, LPMAPITABLE *out)
{
	if (out != NULL)
		*out = NULL;
	if (out != NULL && !(flags & ~allowed) && (flags & MAPI_ASSOCIATED))
		why = "address book containers have no associated contents.";
	return abp_propobj_refuse(o, method,
	                          out == NULL ? MAPI_E_INVALID_PARAMETER
	                          : (flags & ~allowed) ? MAPI_E_UNKNOWN_FLAGS : S_OK,
	                          MAPI_E_NO_SUPPORT, why);
}

HRESULT abp_propobj_no_contents_table(struct abp_propobj *o, ULONG flags, LPMAPITABLE *out)
{
	return no_table(o, "GetContentsTable", flags,
	                MAPI_DEFERRED_ERRORS | MAPI_UNICODE | MAPI_ASSOCIATED,
	                "this object has no contents table.", out);
}

HRESULT abp_propobj_no_hierarchy_table(struct abp_propobj *o, ULONG flags, LPMAPITABLE *out)
{
	return no_table(o, "GetHierarchyTable", flags,
	                CONVENIENT_DEPTH | MAPI_DEFERRED_ERRORS | MAPI_UNICODE,
	                "this object has no hierarchy table.", out);
}
