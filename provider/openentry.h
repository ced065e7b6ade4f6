/*
 * openentry.h - people and groups as MAPI objects: OpenEntry by entry ID,
 * and the IMailUser / IDistList constructors (internal).
 */
#ifndef LDAPAB_OPENENTRY_H
#define LDAPAB_OPENENTRY_H

#include "abp.h"
#include "props.h"

/* Open the person or group a parsed entry ID of ours names (LO-2 b-f):
 * looks it up by its locator (a subtree search under the configured base and
 * the containers' bases; an old ID's DN hint inside them is a fast path),
 * builds an IMailUser or IDistList holding a session reference.
 * MAPI_E_NOT_FOUND if it is gone or outside the bases; a server limit hit
 * before any answer is not "gone" (MAPI_E_TIMEOUT / MAPI_E_TABLE_TOO_BIG);
 * errors recorded in le. */
ABP_WUR HRESULT abp_open_directory_entry(struct abp_session *s, struct abp_lasterr *le,
                                         const struct abp_eid *eid, LPCIID iid,
                                         ULONG flags, ULONG *type, LPUNKNOWN *out);

/* New IMailUser / IDistList with one reference.  The bag's contents move
 * into the object on success (bag is left empty); on failure the caller
 * still owns them. */
ABP_WUR HRESULT abp_mailuser_new(struct abp_session *s, struct abp_props *bag,
                                 IMailUser **out);
/* abp_mailuser_new() for a person opened by entry ID: also takes over
 * links (its manager and direct reports, orglinks.h; left empty), which
 * OpenProperty(PR_EMS_AB_MANAGER / PR_EMS_AB_REPORTS) hands out as tables
 * (and the manager also as its IMailUser). */
struct abp_orglinks;
ABP_WUR HRESULT abp_mailuser_new_detail(struct abp_session *s, struct abp_props *bag,
                                        struct abp_orglinks *links, IMailUser **out);
ABP_WUR HRESULT abp_distlist_new(struct abp_session *s, struct abp_props *bag,
                                 IDistList **out);

#endif /* LDAPAB_OPENENTRY_H */
