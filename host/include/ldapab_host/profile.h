/*
 * ldapab host: an in-memory MAPI profile.
 *
 * A profile holds profile sections keyed by MAPIUID. One of them is "the provider's own
 * section", the one IMAPISupport::OpenProfileSection(NULL) and
 * IProviderAdmin::OpenProfileSection(NULL) open. Sections hold at most one value per
 * property ID (SetProps replaces by ID whatever the type). Values are deep copies in
 * MAPI memory; secure properties (IDs 0x67F0–0x67FF, host_prop_is_secure) are stored
 * like the others but host_profile_dump never prints their value.
 *
 * IProfSect semantics (profsect.c): GetProps with a tag array or NULL (= every stored
 * property, strings in the width ulFlags asks for); PT_UNSPECIFIED replaced by the stored
 * type; a PT_STRING8 request for a stored PT_UNICODE value (and vice versa) is converted
 * (the 8-bit code page is UTF-8 on Linux); missing values or other type mismatches come
 * back as PT_ERROR with the ID kept and MAPI_E_NOT_FOUND, and the call returns
 * MAPI_W_ERRORS_RETURNED. An empty tag array → MAPI_E_INVALID_PARAMETER. SetProps copies
 * (the caller keeps its array); PT_ERROR/PT_UNSPECIFIED/PT_OBJECT values or IDs 0/0xFFFF
 * are reported as problems, not stored. SetProps/DeleteProps on a section opened without
 * MAPI_MODIFY → MAPI_E_NO_ACCESS. SaveChanges → S_OK (everything is live). OpenProperty,
 * CopyTo, CopyProps, GetNamesFromIDs, GetIDsFromNames → MAPI_E_NO_SUPPORT. Flags other
 * than the documented ones → MAPI_E_UNKNOWN_FLAGS. Thread-safe.
 */
#ifndef LDAPAB_HOST_PROFILE_H
#define LDAPAB_HOST_PROFILE_H

#include <stdio.h>
#include <mapi/mapidefs.h>
#include <mapi/mapispi.h>
#include "ldapab_host/mem.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct host_profile host_profile;

/*
 * host_profile_new: empty profile named name (UTF-8, copied; NULL → "ldapab") whose own
 * section has UID own_uid (NULL → a random one). Refcount 1 (caller's).
 * Returns S_OK, MAPI_E_INVALID_PARAMETER (out NULL), MAPI_E_NOT_ENOUGH_MEMORY.
 */
HRESULT host_profile_new(const char *name, const MAPIUID *own_uid, host_profile **out) HOST_WUR;
/* Drops the caller's reference; support objects and open sections keep theirs. NULL ok. */
void host_profile_release(host_profile *p);
/* The profile's name (UTF-8, borrowed, valid while p lives). */
const char *host_profile_name(const host_profile *p);
/* Copies the UID of the provider's own section to *out. */
HRESULT host_profile_own_uid(const host_profile *p, MAPIUID *out) HOST_WUR;

/*
 * host_profile_set_props: stores copies of props[0..n) in section uid (NULL = own),
 * creating the section. Same validation as IProfSect::SetProps, but all or nothing: any
 * value the section would reject → MAPI_E_INVALID_PARAMETER and nothing is stored.
 */
HRESULT host_profile_set_props(host_profile *p, const MAPIUID *uid, ULONG n,
                               const SPropValue *props) HOST_WUR;
/*
 * host_profile_get_props: IProfSect::GetProps on section uid (NULL = own): tags NULL =
 * all. *out is one root (free with host_MAPIFreeBuffer) on S_OK/MAPI_W_ERRORS_RETURNED.
 * Unknown section → MAPI_E_NOT_FOUND.
 */
HRESULT host_profile_get_props(host_profile *p, const MAPIUID *uid, const SPropTagArray *tags,
                               ULONG ulFlags, ULONG *count, LPSPropValue *out) HOST_WUR;
/*
 * host_profile_open_section: a new IProfSect (refcount 1) on section uid (NULL = own);
 * ulFlags MAPI_MODIFY makes it writable and creates a missing section; without it a
 * missing section → MAPI_E_NOT_FOUND.
 */
HRESULT host_profile_open_section(host_profile *p, const MAPIUID *uid, ULONG ulFlags,
                                  LPPROFSECT *out) HOST_WUR;
/* Prints every section's properties to f, "<secure>" instead of secure values. */
void host_profile_dump(host_profile *p, FILE *f);

/* Refcount of a host IProfSect (0 if s is NULL or not one of ours). */
ULONG host_profsect_refcount(LPPROFSECT s);
/* Number of host IProfSect objects alive in the process. */
size_t host_profsect_live_objects(void);

#ifdef __cplusplus
}
#endif
#endif
