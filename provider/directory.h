/*
 * directory.h - people and groups read from the directory (internal).
 *
 * Three parts:
 *   1. the bag builder: plain (DN, attributes) data → the property bag of a
 *      person or group (MU-1, MU-2, EK-2, EK-6, EK-7), hostile-data safe;
 *   2. the lookup: an entry ID of ours → the entry on the server → its bag
 *      (the path OpenEntry and PrepareRecips share);
 *   3. abp_propobj: the IMAPIProp state and methods every read-only object
 *      of ours shares (mail users, distribution lists, containers).
 */
#ifndef LDAPAB_DIRECTORY_H
#define LDAPAB_DIRECTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ldapab/profile.h>

#include "abp.h"
#include "attrmap.h"
#include "lookup.h"
#include "props.h"

/* RFC 4530 entryUUID text ("597ae2f6-16a6-1027-98f4-d28b5365dc14", either
 * case, exactly 36 characters) → 16 bytes in text order.  False if the text
 * is anything else. */
bool abp_uuid_parse(const char *text, size_t len, uint8_t out[16]);
/* 16 bytes → the lower-case RFC 4530 form (37 bytes with the NUL). */
void abp_uuid_format(const uint8_t in[16], char out[37]);

/*
 * Build the bag of a person or group.
 *   map    attribute map (abp_attrmap_new)
 *   uid    this provider instance's MAPIUID (first bytes of the entry ID)
 *   dn     the entry's DN (UTF-8 as the server sent it)
 *   attrs  the entry's attributes (plain data; lb_entry_attr() gives these)
 *   type   receives ABP_EID_MAILUSER or ABP_EID_DISTLIST
 *   bag    an empty, initialised bag; filled on success, left empty on failure
 * The locator comes from the entry, whatever the map's uuid attribute:
 * objectGUID (16 raw bytes) under the AD schema or when there is no
 * entryUUID, else entryUUID (text → 16 bytes), else nsUniqueId (its text),
 * else the normalised DN.  PR_ENTRYID carries the DN as hint only with a DN
 * locator (EK-4, entryid.h); PR_RECORD_KEY is abp_eid_record_key() (EK-6).  Values are sanitised and capped as the
 * bag does (props.h); empty values are skipped.
 * Addresses (MU-1/2, EK-7): with mail, PR_ADDRTYPE "SMTP" and
 * PR_SEARCH_KEY "SMTP:<MAIL>"; a group without mail is "MAPIPDL" with
 * "MAPIPDL:<hex locator>"; a person without mail has no PR_ADDRTYPE and no
 * PR_EMAIL_ADDRESS (it cannot be sent to) and the search key
 * ABP_SEARCH_KEY_NOADDR ":<hex locator>".
 * MAPI_E_NOT_FOUND: not a person or group (objectClass), or no ID can be
 * made (invalid DN, DN longer than an entry ID can carry).
 * MAPI_E_NOT_ENOUGH_MEMORY.
 */
#define ABP_SEARCH_KEY_NOADDR "LDAPAB"
ABP_WUR HRESULT abp_dir_build_bag(const struct abp_attrmap *map, const MAPIUID *uid,
                                  const char *dn, const struct lb_attr *attrs,
                                  size_t n_attrs, enum abp_eid_type *type,
                                  struct abp_props *bag);

/* Convenience over abp_dir_build_bag() for an lb_entry. */
ABP_WUR HRESULT abp_dir_bag_from_entry(const struct abp_attrmap *map, const MAPIUID *uid,
                                       const lb_entry *e, enum abp_eid_type *type,
                                       struct abp_props *bag);

/* The lookup PrepareRecips uses, replaceable in tests. */
typedef HRESULT (*abp_dir_lookup_fn)(void *ctx, struct abp_session *s, struct abp_lasterr *le,
                                     const struct abp_eid *eid, struct abp_props *bag);

/* abp_prepare_recips() with the lookup given (LO-8 a-h, MM-7): every
 * lookup is done before the list is touched.  Enters the session itself
 * (MAPI_E_INVALID_OBJECT after Logoff).  Untyped string tags are answered
 * as PT_UNICODE. */
ABP_WUR HRESULT abp_prepare_recips_with(struct abp_session *s, struct abp_lasterr *le,
                                        ULONG flags, LPSPropTagArray tags, LPADRLIST list,
                                        abp_dir_lookup_fn lookup, void *ctx);

/* ------------------------------------------------------------------------ */
/* Shared IMAPIProp state of our read-only objects                          */
/* ------------------------------------------------------------------------ */

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

/* ------------------------------------------------------------------------ */
/* The objects                                                              */
/* ------------------------------------------------------------------------ */

/* New IMailUser / IDistList with one reference.  The bag's contents move
 * into the object on success (bag is left empty); on failure the caller
 * still owns them. */
ABP_WUR HRESULT abp_mailuser_new(struct abp_session *s, struct abp_props *bag,
                                 IMailUser **out);
ABP_WUR HRESULT abp_distlist_new(struct abp_session *s, struct abp_props *bag,
                                 IDistList **out);

/* Containers (container.c).  PR_AB_PROVIDER_ID (CT-2) is
 * LDAPAB_AB_PROVIDER_ID_BYTES of <ldapab/profile.h>. */
#define ABP_AB_PROVIDER_ID_BYTES LDAPAB_AB_PROVIDER_ID_BYTES
/* The configured container with this ID (len bytes, not NUL-terminated),
 * else NULL.  cfg->containers is the only source of containers (config.c
 * always fills it).  For the root's hierarchy table. */
const struct abp_container_cfg *abp_container_find_cfg(const struct abp_config *cfg,
                                                       const char *id, size_t len);

/* The message GetContentsTable/GetHierarchyTable record until tables exist. */
#define ABP_MSG_NO_TABLES \
	"Address book tables (contents, hierarchy and members) are not available " \
	"in this version of ldapab."

#endif /* LDAPAB_DIRECTORY_H */
