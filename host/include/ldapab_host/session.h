/*
 * ldapab host: loader, session, logons and call traces (HO-1, HO-5…HO-7, LC-3, LC-38).
 *
 * host_provider  one dlopen()ed provider module and the IABProvider from its
 *                ABProviderInit; internally referenced by each live logon.
 * host_session   plays IMAPISession: the list of logons (routing table for HO-3), the
 *                notification registry of IMAPISupport::Subscribe/Notify.
 * host_logon     one IABProvider::Logon: the IABLogon and its support object.
 * host_trace     an optional record of the calls the host makes into the provider, so a
 *                test can assert LC-38's order exactly. Events, comma-separated:
 *                ABProviderInit, IABProvider::Logon, ServiceEntry(CONFIGURE),
 *                IABLogon::Logoff, IABLogon::Release, IABProvider::Shutdown,
 *                IABProvider::Release, dlclose.
 *
 * Shutdown (LC-38): host_session_logoff calls IABLogon::Logoff(0) then IABLogon::Release.
 * When a provider has no logons left and its creator has called host_provider_release,
 * the host calls IABProvider::Shutdown(&0), IABProvider::Release, releases its IMalloc and
 * dlclose()s the module — so release the provider before the last logoff to get MAPI's
 * exact order, or after it to keep the module loaded between sessions.
 */
#ifndef LDAPAB_HOST_SESSION_H
#define LDAPAB_HOST_SESSION_H

#include <mapi/mapidefs.h>
#include <mapi/mapispi.h>
#include "ldapab_host/mem.h"
#include "ldapab_host/profile.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct host_provider host_provider;
typedef struct host_session host_session;
typedef struct host_logon host_logon;
typedef struct host_trace host_trace;

/* Trace: new (S_OK/MAPI_E_INVALID_PARAMETER/MAPI_E_NOT_ENOUGH_MEMORY), free (NULL ok). */
HRESULT host_trace_new(host_trace **out) HOST_WUR;
void host_trace_free(host_trace *t);
/* Comma-separated events so far ("" if none); borrowed until the next event or clear. */
const char *host_trace_text(host_trace *t);
void host_trace_clear(host_trace *t);

/*
 * host_provider_load: dlopen(path, RTLD_NOW|RTLD_LOCAL), dlsym("ABProviderInit") and
 * optional "ServiceEntry", call ABProviderInit(NULL, our IMalloc, the host allocators,
 * 0, CURRENT_SPI_VERSION, &ver, &prov). The provider's version must have our major and
 * minor (bits 16–31 equal to CURRENT_SPI_VERSION's), else the provider is released and
 * MAPI_E_VERSION returned (LC-3).
 * trace (may be NULL) must outlive the provider. On failure *err_text (if err_text is not
 * NULL) receives a message (dlerror() text for dlopen/dlsym) in a root the caller frees
 * with host_MAPIFreeBuffer, and the module is unloaded.
 * Returns S_OK; MAPI_E_INVALID_PARAMETER (path/out NULL); MAPI_E_NOT_FOUND (dlopen or
 * dlsym failed); MAPI_E_VERSION; MAPI_E_CALL_FAILED (S_OK with no provider object);
 * MAPI_E_NOT_ENOUGH_MEMORY; any error ABProviderInit returned.
 */
HRESULT host_provider_load(const char *path, host_trace *trace, host_provider **out,
                           char **err_text) HOST_WUR;
/* Drops the creator's reference (see the shutdown note above). NULL ok. */
void host_provider_release(host_provider *p);
/* The SPI version the provider reported. */
ULONG host_provider_version(const host_provider *p);
/* Borrowed IABProvider / IMalloc (valid while p lives). */
LPABPROVIDER host_provider_abprovider(host_provider *p);
LPMALLOC host_provider_malloc(host_provider *p);
/* 1 if the module exports ServiceEntry. */
int host_provider_has_service_entry(const host_provider *p);
/*
 * host_provider_configure: ServiceEntry(NULL, lpMalloc, a fresh support object, 0,
 * ulFlags, MSG_SERVICE_CONFIGURE, cValues, props, an IProviderAdmin over profile,
 * mapierror). ulFlags: 0 or MAPI_UNICODE (else MAPI_E_UNKNOWN_FLAGS). No ServiceEntry →
 * MAPI_E_NO_SUPPORT. *mapierror (may be NULL) receives the entry's MAPIERROR root or NULL.
 */
HRESULT host_provider_configure(host_provider *p, host_profile *profile, ULONG ulFlags,
                                ULONG cValues, LPSPropValue props,
                                LPMAPIERROR *mapierror) HOST_WUR;
/*
 * host_provider_service_entry: as MAPI's IMsgServiceAdmin does, ServiceEntry(NULL,
 * lpMalloc, a fresh support object, 0, ulFlags, ulContext, cValues, props, an
 * IProviderAdmin over profile, mapierror) for any MSG_SERVICE_* context; ulFlags are
 * passed as given (the entry judges them). No ServiceEntry → MAPI_E_NO_SUPPORT.
 * Returns the entry's result; *mapierror (may be NULL) as for host_provider_configure.
 */
HRESULT host_provider_service_entry(host_provider *p, host_profile *profile, ULONG ulFlags,
                                    ULONG ulContext, ULONG cValues, LPSPropValue props,
                                    LPMAPIERROR *mapierror) HOST_WUR;

/* Session: new (S_OK/MAPI_E_INVALID_PARAMETER/MAPI_E_NOT_ENOUGH_MEMORY). */
HRESULT host_session_new(host_trace *trace, host_session **out) HOST_WUR;
/* Logs off every remaining logon (in logon order, LC-38), then frees. NULL ok. */
void host_session_free(host_session *s);

/*
 * host_session_logon: a new support object, IABProvider::Logon(sup, 0, profile name,
 * AB_NO_DIALOG | ulFlags, ...). ulFlags: MAPI_UNICODE (the profile name is passed as
 * UTF-16, HO-6), MAPI_DEFERRED_ERRORS, AB_NO_DIALOG; others → MAPI_E_UNKNOWN_FLAGS.
 * On MAPI_E_UNCONFIGURED with a ServiceEntry: host_provider_configure(CONFIGURE) then
 * one retry (HO-7). The host drops its own support reference once Logon returns, so on
 * success the support refcount is exactly the provider's (LC-12).
 * *mapierror (may be NULL) receives the provider's MAPIERROR root (caller frees) or NULL.
 * Returns the provider's result; S_OK with no IABLogon → MAPI_E_CALL_FAILED.
 */
HRESULT host_session_logon(host_session *s, host_provider *p, host_profile *profile,
                           ULONG ulFlags, host_logon **out, LPMAPIERROR *mapierror) HOST_WUR;
/*
 * host_session_logoff: IABLogon::Logoff(0), IABLogon::Release, then (if it was the
 * provider's last logon and the provider was released) the provider shutdown sequence.
 * l must not be used afterwards. If a routed call (OpenEntry, CompareEntryIDs,
 * PrepareRecips) is using l at that moment, the host's IABLogon::Release and the rest
 * of the sequence run when that call is done, on its thread.
 * Returns Logoff's result; l NULL → MAPI_E_INVALID_PARAMETER.
 */
HRESULT host_session_logoff(host_logon *l);

/* Borrowed IABLogon of l. */
LPABLOGON host_logon_ablogon(host_logon *l);
/* Borrowed support object of l, NULL once the provider released it. */
LPMAPISUP host_logon_support(host_logon *l);
/* Refcount of l's support object (0 once it is gone). */
ULONG host_logon_support_refcount(host_logon *l);
/*
 * The IABLogon of the logon whose support registered uid first (HO-3), NULL if none.
 * A new reference: the caller releases it with IABLogon_Release. It stays valid even if
 * the logon is logged off meanwhile (the host never calls into the provider, not even
 * AddRef, while it holds its session lock), but must be released before the provider
 * module can be unloaded (see the shutdown note above).
 */
LPABLOGON host_session_route(host_session *s, const MAPIUID *uid) HOST_WUR;
/*
 * What IAddrBook does for a client, routed by the MAPIUID at entry-ID bytes 4–19 to the
 * logon whose support object registered it (HO-3). Unknown UID → MAPI_E_UNKNOWN_ENTRYID;
 * an ID shorter than 20 bytes → MAPI_E_INVALID_ENTRYID; NULL pointers →
 * MAPI_E_INVALID_PARAMETER. CompareEntryIDs of IDs of two different logons → S_OK, FALSE.
 * PrepareRecips calls each owning logon's PrepareRecips with just its entries (entries
 * without PR_ENTRYID are left alone) and writes the results back into lpRecipList.
 */
HRESULT host_session_open_entry(host_session *s, ULONG cbEntryID, LPENTRYID lpEntryID,
                                LPCIID lpInterface, ULONG ulFlags, ULONG *lpulObjType,
                                LPUNKNOWN *lppUnk) HOST_WUR;
HRESULT host_session_compare_entry_ids(host_session *s, ULONG cb1, LPENTRYID e1, ULONG cb2,
                                       LPENTRYID e2, ULONG ulFlags, ULONG *lpulResult) HOST_WUR;
HRESULT host_session_prepare_recips(host_session *s, ULONG ulFlags,
                                    LPSPropTagArray lpPropTagArray,
                                    LPADRLIST lpRecipList) HOST_WUR;

/* Live support objects of s, Subscribe registrations, and registrations a support
 * object still had when its last reference went (dropped by the host). */
size_t host_session_live_supports(host_session *s);
size_t host_session_subscriptions(host_session *s);
size_t host_session_leaked_subscriptions(host_session *s);

#ifdef __cplusplus
}
#endif
#endif
