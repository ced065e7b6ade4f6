/*
 * openentry.c - OpenEntry for people and groups: an entry ID of ours -> the
 * entry on the server -> an IMailUser or IDistList.  See openentry.h.
 */
#include "openentry.h"

#include "lookup.h"
#include "orglinks.h"

/* Context numbers for MAPIERROR.ulContext (openentry.c: 0x0600..). */
enum { CTX_READ_ONLY = 0x0601, CTX_LINKS };

static bool iid_ok(enum abp_eid_type t, LPCIID iid)
{
	if (iid == NULL || IsEqualIID(iid, &IID_IUnknown) || IsEqualIID(iid, &IID_IMAPIProp))
		return true;
	if (t == ABP_EID_MAILUSER)
		return IsEqualIID(iid, &IID_IMailUser);
	return IsEqualIID(iid, &IID_IMAPIContainer) || IsEqualIID(iid, &IID_IDistList);
}

/* The flags the logon's OpenEntry accepts (LO-2): the cache flags mean
 * nothing to a provider without a cache and are ignored. */
#define OPEN_FLAGS (MAPI_MODIFY | MAPI_BEST_ACCESS | MAPI_DEFERRED_ERRORS | MAPI_NO_CACHE | \
                    MAPI_CACHE_ONLY)

/* A person's manager and direct reports (orglinks.h) into its bag:
 * PR_EMS_AB_MANAGER / PR_EMS_AB_REPORTS (PT_OBJECT, opened as tables of
 * the referenced entries) when there are any, and PR_MANAGER_NAME as the
 * manager's display name (the map's RDN-based value stays when the manager
 * cannot be read). */
static HRESULT add_links(struct abp_session *s, struct abp_lasterr *le, const lb_entry *e,
                         struct abp_props *bag, struct abp_orglinks *links)
{
	struct abp_dir d;
	const char *name;
	HRESULT hr;

	hr = abp_dir_open(s, le, &d);
	if (SUCCEEDED(hr))
		hr = abp_orglinks_read(s, le, &d, e, links);
	if (FAILED(hr))
		return hr;
	if (links->manager != NULL) {
		name = abp_props_find_string(links->manager, PR_DISPLAY_NAME_W);
		hr = abp_props_add_object(bag, PR_EMS_AB_MANAGER);
		if (SUCCEEDED(hr) && name != NULL)
			hr = abp_props_add_string(bag, PR_MANAGER_NAME_W, name, (size_t)-1);
	}
	if (SUCCEEDED(hr) && links->n_reports > 0)
		hr = abp_props_add_object(bag, PR_EMS_AB_REPORTS);
	if (FAILED(hr))
		abp_lasterr_set(le, hr, 0, CTX_LINKS, "Out of memory reading a directory entry.");
	return hr;
}

HRESULT abp_open_directory_entry(struct abp_session *s, struct abp_lasterr *le,
                                 const struct abp_eid *eid, LPCIID iid, ULONG flags,
                                 ULONG *type, LPUNKNOWN *out)
{
	struct abp_orglinks links;
	struct abp_props bag;
	lb_result *res = NULL;
	HRESULT hr;

	abp_orglinks_init(&links);
	if (out != NULL)
		*out = NULL;
	if (type != NULL)
		*type = 0;
	if (s == NULL)
		return MAPI_E_INVALID_PARAMETER;
	/* LC-40: once logged off, that is the answer, whatever the arguments. */
	if (!abp_session_enter(s))
		return MAPI_E_INVALID_OBJECT;
	abp_props_init(&bag);
	if (le == NULL || eid == NULL || type == NULL || out == NULL ||
	    (eid->type != ABP_EID_MAILUSER && eid->type != ABP_EID_DISTLIST)) {
		hr = MAPI_E_INVALID_PARAMETER;
		goto done;
	}
	if (flags & ~(ULONG)OPEN_FLAGS) {
		hr = MAPI_E_UNKNOWN_FLAGS;
		goto done;
	}
	/* LO-2c: read-only; BEST_ACCESS settles for that. */
	if ((flags & MAPI_MODIFY) && !(flags & MAPI_BEST_ACCESS)) {
		hr = abp_lasterr_set(le, MAPI_E_NO_ACCESS, 0, CTX_READ_ONLY,
		                     "Directory entries are read-only in ldapab; open them "
		                     "without MAPI_MODIFY (or with MAPI_BEST_ACCESS).");
		goto done;
	}
	if (!iid_ok(eid->type, iid)) {
		hr = MAPI_E_INTERFACE_NOT_SUPPORTED;
		goto done;
	}

	hr = abp_dir_lookup_detail(s, le, eid, &bag, &res);
	if (SUCCEEDED(hr) && eid->type == ABP_EID_MAILUSER)
		hr = add_links(s, le, lb_result_entry(res, 0), &bag, &links);
	if (SUCCEEDED(hr)) {
		if (eid->type == ABP_EID_MAILUSER) {
			IMailUser *mu = NULL;

			hr = abp_mailuser_new_detail(s, &bag, &links, &mu);
			if (SUCCEEDED(hr)) {
				*out = (LPUNKNOWN)mu;   /* every interface it answers is this pointer */
				*type = MAPI_MAILUSER;
			}
		} else {
			IDistList *dl = NULL;

			hr = abp_distlist_new(s, &bag, &dl);
			if (SUCCEEDED(hr)) {
				*out = (LPUNKNOWN)dl;
				*type = MAPI_DISTLIST;
			}
		}
	}
done:
	lb_result_free(res);
	abp_orglinks_free(&links);
	abp_props_free(&bag);
	abp_session_leave(s);
	return hr;
}
