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
};

/* Take a session reference and an empty bag. */
void abp_propobj_init(struct abp_propobj *o, struct abp_session *s);
/* Free the bag and drop the session reference; never touches the
 * connection or the support object (LC-42). */
void abp_propobj_destroy(struct abp_propobj *o);

/* The IMAPIProp methods, each bracketed by abp_session_enter/leave: after
 * Logoff they answer MAPI_E_INVALID_OBJECT with out-pointers NULL/0
 * (LC-40). */
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

/* The common OpenProperty checks (MU-7): NULL iid / out or a PT_UNSPECIFIED
 * tag → MAPI_E_INVALID_PARAMETER; MAPI_CREATE/MAPI_MODIFY → MAPI_E_NO_ACCESS;
 * other flags (beyond MAPI_DEFERRED_ERRORS, MAPI_BEST_ACCESS) →
 * MAPI_E_UNKNOWN_FLAGS; PR_DETAILS_TABLE / PR_CREATE_TEMPLATES →
 * MAPI_E_NO_SUPPORT (CT-12); a tag the bag does not list → MAPI_E_NOT_FOUND;
 * a property the bag holds as a value (not PT_OBJECT, e.g. PR_DISPLAY_NAME_W
 * asked as IStream) → MAPI_E_INTERFACE_NOT_SUPPORTED (MU-7: it exists, the
 * interface is what we cannot give).  S_OK means the caller decides (a
 * PT_OBJECT property we list).  *out is NULLed first. */
ABP_WUR HRESULT abp_propobj_open_property_check(struct abp_propobj *o, ULONG tag,
                                                LPCIID iid, ULONG flags, LPUNKNOWN *out);

/* IMAPIContainer::OpenEntry of containers and DLs (CT-14): delegated to
 * the logon's OpenEntry (LO-2), which validates every byte. */
ABP_WUR HRESULT abp_propobj_open_entry(struct abp_propobj *o, ULONG cb, LPENTRYID eid, LPCIID iid,
                                       ULONG flags, ULONG *type, LPUNKNOWN *out);

/* GetContentsTable / GetHierarchyTable until tables exist: flags checked
 * (CT-7: MAPI_DEFERRED_ERRORS | MAPI_UNICODE, MAPI_ASSOCIATED → NO_SUPPORT;
 * CT-6: also CONVENIENT_DEPTH), others → MAPI_E_UNKNOWN_FLAGS; then
 * MAPI_E_NO_SUPPORT, with ABP_MSG_NO_TABLES recorded when the object has
 * such a table in principle (has_table), or a message saying it has none. */
ABP_WUR HRESULT abp_propobj_contents_table(struct abp_propobj *o, ULONG flags, bool has_table,
                                           LPMAPITABLE *out);
ABP_WUR HRESULT abp_propobj_hierarchy_table(struct abp_propobj *o, ULONG flags, bool has_table,
                                            LPMAPITABLE *out);

#endif /* LDAPAB_PROPOBJ_H */
