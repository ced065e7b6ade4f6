/*
 * propobj.h - the IMAPIProp part every read-only object of ours shares
 * (people, groups, containers, the status object), and the refusal of
 * methods they do not support (internal).
 */
#ifndef LDAPAB_PROPOBJ_H
#define LDAPAB_PROPOBJ_H

#include "abp.h"
#include "props.h"

struct abp_propobj {
	struct abp_session *s;          /* counted reference */
	struct abp_lasterr le;
	struct abp_props bag;           /* immutable after construction */
	/* NULL, or: the object's properties change while it lives (the status
	 * object follows the session's status), and every call reads them
	 * afresh into an empty bag; `bag` above is then unused.  Called inside
	 * abp_session_enter/leave. */
	HRESULT (*live)(struct abp_propobj *o, struct abp_props *out);
};

/* Take a session reference, an empty bag, no live source. */
void abp_propobj_init(struct abp_propobj *o, struct abp_session *s);
/* Free the bag and drop the session reference; never touches the
 * connection or the support object (LC-42). */
void abp_propobj_destroy(struct abp_propobj *o);

/*
 * Refuse a method the object does not support, or cannot do because the
 * address book is read-only (MU-8, CT-12, CT-13, ST-4).  Enters the session
 * (after Logoff: MAPI_E_INVALID_OBJECT, before anything else, LC-40); then
 * check - the caller's validation of the arguments, S_OK when they are
 * fine - wins: MAPI_E_INVALID_PARAMETER (a NULL list, a missing
 * out-pointer) or MAPI_E_UNKNOWN_FLAGS is returned as it is; else hr
 * (MAPI_E_NO_SUPPORT, MAPI_E_NO_ACCESS).  Whatever is returned, a
 * GetLastError text naming method is recorded first, so a later
 * GetLastError never shows another call's message.  why (may be NULL) is
 * the sentence explaining hr.  The caller clears its out-pointers first.
 */
ABP_WUR HRESULT abp_propobj_refuse(struct abp_propobj *o, const char *method, HRESULT check,
                                   HRESULT hr, const char *why);

/* The IMAPIProp methods, each bracketed by abp_session_enter/leave: after
 * Logoff they answer MAPI_E_INVALID_OBJECT with out-pointers NULL/0
 * (LC-40).  SaveChanges, SetProps and DeleteProps refuse with
 * MAPI_E_NO_ACCESS, the named-property methods with MAPI_E_NO_SUPPORT
 * (MU-8), each through abp_propobj_refuse(). */
ABP_WUR HRESULT abp_propobj_get_last_error(struct abp_propobj *o, HRESULT hr, ULONG flags,
                                           LPMAPIERROR *out);
ABP_WUR HRESULT abp_propobj_save_changes(struct abp_propobj *o, ULONG flags);
ABP_WUR HRESULT abp_propobj_get_props(struct abp_propobj *o, LPSPropTagArray tags, ULONG flags,
                                      ULONG *n, LPSPropValue *out);
ABP_WUR HRESULT abp_propobj_get_prop_list(struct abp_propobj *o, ULONG flags, LPSPropTagArray *out);
ABP_WUR HRESULT abp_propobj_set_props(struct abp_propobj *o, ULONG c, LPSPropValue vals,
                                      LPSPropProblemArray *problems);
ABP_WUR HRESULT abp_propobj_delete_props(struct abp_propobj *o, LPSPropTagArray tags,
                                         LPSPropProblemArray *problems);
ABP_WUR HRESULT abp_propobj_copy_to(struct abp_propobj *o, ULONG ciid, LPCIID rgiid,
                                    LPSPropTagArray exclude, ULONG_PTR ui, LPMAPIPROGRESS progress,
                                    LPCIID iface, LPVOID dest, ULONG flags,
                                    LPSPropProblemArray *problems);
ABP_WUR HRESULT abp_propobj_copy_props(struct abp_propobj *o, LPSPropTagArray include, ULONG_PTR ui,
                                       LPMAPIPROGRESS progress, LPCIID iface, LPVOID dest,
                                       ULONG flags, LPSPropProblemArray *problems);
ABP_WUR HRESULT abp_propobj_get_names_from_ids(struct abp_propobj *o, LPSPropTagArray *tags,
                                               LPGUID guid, ULONG flags, ULONG *n,
                                               LPMAPINAMEID **names);
ABP_WUR HRESULT abp_propobj_get_ids_from_names(struct abp_propobj *o, ULONG n, LPMAPINAMEID *names,
                                               ULONG flags, LPSPropTagArray *tags);

/* The IMAPIContainer / IABContainer methods containers and groups refuse,
 * through abp_propobj_refuse(): Set/GetSearchCriteria → MAPI_E_NO_SUPPORT
 * (CT-13); CreateEntry / CopyEntries / DeleteEntries → MAPI_E_NO_SUPPORT
 * (CT-12).  Arguments first: a NULL entry list, entry ID or out-pointer →
 * MAPI_E_INVALID_PARAMETER; flags the method does not define →
 * MAPI_E_UNKNOWN_FLAGS. */
ABP_WUR HRESULT abp_propobj_set_search_criteria(struct abp_propobj *o, LPSRestriction res,
                                                LPENTRYLIST containers, ULONG flags);
ABP_WUR HRESULT abp_propobj_get_search_criteria(struct abp_propobj *o, ULONG flags,
                                                LPSRestriction *res, LPENTRYLIST *containers,
                                                ULONG *state);
ABP_WUR HRESULT abp_propobj_create_entry(struct abp_propobj *o, ULONG cb, LPENTRYID eid,
                                         ULONG flags, LPMAPIPROP *out);
ABP_WUR HRESULT abp_propobj_copy_entries(struct abp_propobj *o, LPENTRYLIST entries, ULONG_PTR ui,
                                         LPMAPIPROGRESS progress, ULONG flags);
ABP_WUR HRESULT abp_propobj_delete_entries(struct abp_propobj *o, LPENTRYLIST entries,
                                           ULONG flags);

/* The common OpenProperty checks (MU-7): NULL iid / out or a PT_UNSPECIFIED
 * tag → MAPI_E_INVALID_PARAMETER; MAPI_CREATE/MAPI_MODIFY → MAPI_E_NO_ACCESS;
 * other flags (beyond MAPI_DEFERRED_ERRORS, MAPI_BEST_ACCESS) →
 * MAPI_E_UNKNOWN_FLAGS; PR_DETAILS_TABLE / PR_CREATE_TEMPLATES →
 * MAPI_E_NO_SUPPORT (CT-12); a tag the bag does not list → MAPI_E_NOT_FOUND;
 * a property the bag holds as a value (not PT_OBJECT, e.g. PR_DISPLAY_NAME_W
 * asked as IStream) → MAPI_E_INTERFACE_NOT_SUPPORTED (MU-7: it exists, the
 * interface is what we cannot give).  S_OK means the caller decides (a
 * PT_OBJECT property we list).  *out is NULLed first; every failure is
 * recorded in o->le.  Call inside abp_session_enter/leave. */
ABP_WUR HRESULT abp_propobj_open_property_check(struct abp_propobj *o, ULONG tag,
                                                LPCIID iid, ULONG flags, LPUNKNOWN *out);

/* IMAPIContainer::OpenEntry of containers and DLs (CT-14): delegated to
 * the logon's OpenEntry (LO-2), which validates every byte. */
ABP_WUR HRESULT abp_propobj_open_entry(struct abp_propobj *o, ULONG cb, LPENTRYID eid, LPCIID iid,
                                       ULONG flags, ULONG *type, LPUNKNOWN *out);

/* GetContentsTable / GetHierarchyTable of an object without such a table
 * (the root has no contents, CT-1; directory containers and groups have no
 * hierarchy, CT-6, MU-3), through abp_propobj_refuse(): NULL out →
 * MAPI_E_INVALID_PARAMETER; flags beyond the method's (CT-7:
 * MAPI_DEFERRED_ERRORS | MAPI_UNICODE | MAPI_ASSOCIATED; CT-6:
 * CONVENIENT_DEPTH | MAPI_DEFERRED_ERRORS | MAPI_UNICODE) →
 * MAPI_E_UNKNOWN_FLAGS; else MAPI_E_NO_SUPPORT. */
ABP_WUR HRESULT abp_propobj_no_contents_table(struct abp_propobj *o, ULONG flags,
                                              LPMAPITABLE *out);
ABP_WUR HRESULT abp_propobj_no_hierarchy_table(struct abp_propobj *o, ULONG flags,
                                               LPMAPITABLE *out);

#endif /* LDAPAB_PROPOBJ_H */
