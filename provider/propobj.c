/*
 * propobj.c - the IMAPIProp part every read-only object of ours shares.
 * See propobj.h.
 */
#include "propobj.h"

#include <stdlib.h>
#include <string.h>

#include "container.h"

/* Context numbers for MAPIERROR.ulContext (propobj.c: 0x0400..). */
enum {
	CTX_NO_TABLES = 0x0401,
	CTX_REFUSED
};

void abp_propobj_init(struct abp_propobj *o, struct abp_session *s)
{
	abp_session_addref(s);
	o->s = s;
	abp_lasterr_init(&o->le);
	abp_props_init(&o->bag);
}

void abp_propobj_destroy(struct abp_propobj *o)
{
	abp_props_free(&o->bag);
	abp_lasterr_destroy(&o->le);
	abp_session_release(o->s);
	o->s = NULL;
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

HRESULT abp_propobj_save_changes(struct abp_propobj *o, ULONG flags)
{
	if (!abp_session_enter(o->s))
		return MAPI_E_INVALID_OBJECT;
	abp_session_leave(o->s);
	return abp_prop_savechanges_ro(flags);
}

HRESULT abp_propobj_get_props(struct abp_propobj *o, LPSPropTagArray tags, ULONG flags,
                              ULONG *n, LPSPropValue *out)
{
	struct abp_allocs al;
	HRESULT hr;

	if (!abp_session_enter(o->s)) {
		if (n != NULL)
			*n = 0;
		if (out != NULL)
			*out = NULL;
		return MAPI_E_INVALID_OBJECT;
	}
	al = abp_allocs_of(o->s);
	hr = abp_props_get(&al, &o->bag, tags, flags, n, out);
	abp_session_leave(o->s);
	return hr;
}

HRESULT abp_propobj_get_prop_list(struct abp_propobj *o, ULONG flags, LPSPropTagArray *out)
{
	struct abp_allocs al;
	HRESULT hr;

	if (!abp_session_enter(o->s)) {
		if (out != NULL)
			*out = NULL;
		return MAPI_E_INVALID_OBJECT;
	}
	al = abp_allocs_of(o->s);
	hr = abp_props_list(&al, &o->bag, flags, out);
	abp_session_leave(o->s);
	return hr;
}

HRESULT abp_propobj_set_props(struct abp_propobj *o, ULONG c, LPSPropValue vals,
                              LPSPropProblemArray *problems)
{
	if (!abp_session_enter(o->s)) {
		if (problems != NULL)
			*problems = NULL;
		return MAPI_E_INVALID_OBJECT;
	}
	abp_session_leave(o->s);
	return abp_prop_setprops_ro(c, vals, problems);
}

HRESULT abp_propobj_delete_props(struct abp_propobj *o, LPSPropTagArray tags,
                                 LPSPropProblemArray *problems)
{
	if (!abp_session_enter(o->s)) {
		if (problems != NULL)
			*problems = NULL;
		return MAPI_E_INVALID_OBJECT;
	}
	abp_session_leave(o->s);
	return abp_prop_deleteprops_ro(tags, problems);
}

HRESULT abp_propobj_copy_to(struct abp_propobj *o, ULONG ciid, LPCIID rgiid,
                            LPSPropTagArray exclude, ULONG_PTR ui, LPMAPIPROGRESS progress,
                            LPCIID iface, LPVOID dest, ULONG flags,
                            LPSPropProblemArray *problems)
{
	struct abp_allocs al;
	HRESULT hr;

	(void)ui;
	(void)progress;
	if (problems != NULL)
		*problems = NULL;
	if (!abp_session_enter(o->s))
		return MAPI_E_INVALID_OBJECT;           /* LC-40: before any argument check */
	if (ciid > 0 && rgiid == NULL) {
		abp_session_leave(o->s);
		return MAPI_E_INVALID_PARAMETER;
	}
	al = abp_allocs_of(o->s);
	/* The destination is the caller's object, called on this thread
	 * (TH-8); we hold no lock while calling it (TH-5). */
	hr = abp_props_copy_to(&al, &o->bag, exclude, iface, dest, flags, problems);
	abp_session_leave(o->s);
	return hr;
}

HRESULT abp_propobj_copy_props(struct abp_propobj *o, LPSPropTagArray include, ULONG_PTR ui,
                               LPMAPIPROGRESS progress, LPCIID iface, LPVOID dest,
                               ULONG flags, LPSPropProblemArray *problems)
{
	struct abp_allocs al;
	HRESULT hr;

	(void)ui;
	(void)progress;
	if (problems != NULL)
		*problems = NULL;
	if (!abp_session_enter(o->s))
		return MAPI_E_INVALID_OBJECT;
	al = abp_allocs_of(o->s);
	hr = abp_props_copy_props(&al, &o->bag, include, iface, dest, flags, problems);
	abp_session_leave(o->s);
	return hr;
}

HRESULT abp_propobj_get_names_from_ids(struct abp_propobj *o, LPSPropTagArray *tags,
                                       LPGUID guid, ULONG flags, ULONG *n,
                                       LPMAPINAMEID **names)
{
	(void)guid;
	(void)flags;
	if (!abp_session_enter(o->s)) {
		if (n != NULL)
			*n = 0;
		if (names != NULL)
			*names = NULL;
		return MAPI_E_INVALID_OBJECT;
	}
	abp_session_leave(o->s);
	return abp_prop_names_from_ids_none(tags, n, names);
}

HRESULT abp_propobj_get_ids_from_names(struct abp_propobj *o, ULONG n, LPMAPINAMEID *names,
                                       ULONG flags, LPSPropTagArray *tags)
{
	(void)n;
	(void)names;
	(void)flags;
	if (!abp_session_enter(o->s)) {
		if (tags != NULL)
			*tags = NULL;
		return MAPI_E_INVALID_OBJECT;
	}
	abp_session_leave(o->s);
	return abp_prop_ids_from_names_none(tags);
}

HRESULT abp_propobj_open_property_check(struct abp_propobj *o, ULONG tag, LPCIID iid,
                                        ULONG flags, LPUNKNOWN *out)
{
	const struct abp_prop *p;

	if (out != NULL)
		*out = NULL;
	if (iid == NULL || out == NULL || PROP_TYPE(tag) == PT_UNSPECIFIED)
		return MAPI_E_INVALID_PARAMETER;
	if (flags & (MAPI_CREATE | MAPI_MODIFY))
		return MAPI_E_NO_ACCESS;
	if (flags & ~(ULONG)(MAPI_DEFERRED_ERRORS | MAPI_BEST_ACCESS))
		return MAPI_E_UNKNOWN_FLAGS;
	if (PROP_ID(tag) == PROP_ID(PR_DETAILS_TABLE) || PROP_ID(tag) == PROP_ID(PR_CREATE_TEMPLATES))
		return MAPI_E_NO_SUPPORT;
	p = abp_props_find(&o->bag, tag);
	if (p == NULL)
		return MAPI_E_NOT_FOUND;        /* MU-7: absent */
	/* Present but a value, not an object (PR_DISPLAY_NAME_W asked as
	 * IStream or IUnknown): we open no property as a stream, so it is the
	 * interface that is not supported - MU-7's "wrong IID" answer, which
	 * tells the caller the property exists (NOT_FOUND would say absent). */
	if (PROP_TYPE(p->tag) != PT_OBJECT)
		return MAPI_E_INTERFACE_NOT_SUPPORTED;
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
	pthread_mutex_lock(&o->s->lock);
	logon = o->s->logon;
	pthread_mutex_unlock(&o->s->lock);
	if (logon == NULL)
		hr = MAPI_E_INVALID_OBJECT;
	else
		/* Recorded in this object's slot, not the logon's (LO-1/MU-8). */
		hr = abp_logon_open_entry(logon, &o->le, cb, eid, iid, flags, type, out);
	abp_session_leave(o->s);
	return hr;
}

static HRESULT no_table(struct abp_propobj *o, ULONG flags, ULONG allowed, bool has_table,
                        const char *what, LPMAPITABLE *out)
{
	HRESULT hr;

	if (out != NULL)
		*out = NULL;
	if (!abp_session_enter(o->s))
		return MAPI_E_INVALID_OBJECT;
	if (out == NULL)
		hr = MAPI_E_INVALID_PARAMETER;
	else if (flags & ~allowed)
		hr = MAPI_E_UNKNOWN_FLAGS;
	else if (flags & MAPI_ASSOCIATED)
		hr = abp_lasterr_set(&o->le, MAPI_E_NO_SUPPORT, 0, CTX_NO_TABLES,
		                     "Address book containers have no associated contents.");
	else if (!has_table)
		hr = abp_lasterr_set(&o->le, MAPI_E_NO_SUPPORT, 0, CTX_NO_TABLES,
		                     "This object has no %s table.", what);
	else
		hr = abp_lasterr_set(&o->le, MAPI_E_NO_SUPPORT, 0, CTX_NO_TABLES, "%s",
		                     ABP_MSG_NO_TABLES);
	abp_session_leave(o->s);
	return hr;
}

HRESULT abp_propobj_contents_table(struct abp_propobj *o, ULONG flags, bool has_table,
                                   LPMAPITABLE *out)
{
	return no_table(o, flags, MAPI_DEFERRED_ERRORS | MAPI_UNICODE | MAPI_ASSOCIATED,
	                has_table, "contents", out);
}

HRESULT abp_propobj_hierarchy_table(struct abp_propobj *o, ULONG flags, bool has_table,
                                    LPMAPITABLE *out)
{
	return no_table(o, flags, CONVENIENT_DEPTH | MAPI_DEFERRED_ERRORS | MAPI_UNICODE,
	                has_table, "hierarchy", out);
}
