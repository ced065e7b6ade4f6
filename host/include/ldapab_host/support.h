/*
 * ldapab host: the IMAPISupport object (HO-2, HO-3, HO-5).
 *
 * One per logon (host_session_logon makes them); tests may create one directly.
 * Implemented: QueryInterface (IUnknown, IMAPISup), AddRef/Release, GetLastError
 * (a MAPIERROR for the last failure of this object), GetMemAllocRoutines,
 * OpenProfileSection (NULL = the provider's own section; read-only unless MAPI_MODIFY,
 * SetProps on a read-only section → MAPI_E_NO_ACCESS; a missing non-own section is
 * created only with MAPI_MODIFY, else MAPI_E_NOT_FOUND), SetProviderUID (registrations
 * accumulate, duplicates ignored), NewUID (getrandom), ModifyStatusRow (flags 0 replaces
 * the row, STATUSROW_UPDATE merges by property ID), Subscribe/Unsubscribe/Notify
 * (synchronous; Subscribe AddRefs the sink, Unsubscribe releases it, Notify calls each
 * matching sink's OnNotify with the notifications its mask selects, without holding a
 * host lock; CALLBACK_DISCONTINUE stops and sets NOTIFY_CANCELED), OpenEntry,
 * CompareEntryIDs, PrepareRecips (routed by the MAPIUID at entry-ID bytes 4–19 to the
 * logon that registered it; unknown → MAPI_E_UNKNOWN_ENTRYID; shorter than 20 bytes →
 * MAPI_E_INVALID_ENTRYID). Every other method (MakeInvalid, store/transport/UI ones) →
 * MAPI_E_NO_SUPPORT, with GetLastError naming the method.
 * When the last reference goes, its UIDs, status row and leftover subscriptions go too.
 */
#ifndef LDAPAB_HOST_SUPPORT_H
#define LDAPAB_HOST_SUPPORT_H

#include <mapi/mapidefs.h>
#include <mapi/mapispi.h>
#include "ldapab_host/session.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A support object (refcount 1, caller's) in session s over profile p (both required). */
HRESULT host_support_new(host_session *s, host_profile *p, LPMAPISUP *out) HOST_WUR;
/* Refcount of a host support object (0 if sup is NULL or not ours). */
ULONG host_support_refcount(LPMAPISUP sup);
/* Number of host support objects alive in the process. */
size_t host_support_live_objects(void);
/*
 * Copy of the status row (one root, caller frees). No row yet → MAPI_E_NOT_FOUND.
 */
HRESULT host_support_status_row(LPMAPISUP sup, ULONG *count, LPSPropValue *out) HOST_WUR;
/* Copy of the registered provider UIDs (root, caller frees; NULL and 0 if none). */
HRESULT host_support_uids(LPMAPISUP sup, ULONG *count, LPMAPIUID *out) HOST_WUR;

#ifdef __cplusplus
}
#endif
#endif
