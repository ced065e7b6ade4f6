/*
 * entryprops.h - a directory entry → the property bag of a person or group
 * (MU-1, MU-2, EK-2, EK-6, EK-7), safe against hostile server data
 * (internal).
 */
#ifndef LDAPAB_ENTRYPROPS_H
#define LDAPAB_ENTRYPROPS_H

#include "abp.h"
#include "attrmap.h"
#include "props.h"

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
/* Binary values (photos, certificates): each at most ABP_PROP_BIN_MAX bytes
 * (a larger one is left out, never cut); a multi-valued property keeps at
 * most ABP_BIN_VALUES_MAX values and ABP_BIN_TOTAL_MAX bytes in all. */
#define ABP_BIN_VALUES_MAX 32u
#define ABP_BIN_TOTAL_MAX (1024u * 1024u)
ABP_WUR HRESULT abp_dir_build_bag(const struct abp_attrmap *map, const MAPIUID *uid,
                                  const char *dn, const struct lb_attr *attrs,
                                  size_t n_attrs, enum abp_eid_type *type,
                                  struct abp_props *bag);

/* Convenience over abp_dir_build_bag() for an lb_entry. */
ABP_WUR HRESULT abp_dir_bag_from_entry(const struct abp_attrmap *map, const MAPIUID *uid,
                                       const lb_entry *e, enum abp_eid_type *type,
                                       struct abp_props *bag);

#endif /* LDAPAB_ENTRYPROPS_H */
