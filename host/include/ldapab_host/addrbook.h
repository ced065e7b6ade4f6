/*
 * ldapab host: what IAddrBook does for a client over a session's logons (HO-4, CT-10).
 *
 * The search path: every logon's root container (IABLogon::OpenEntry with no entry ID)
 * lists its containers in its hierarchy table (CONVENIENT_DEPTH); those carrying
 * AB_RECIPIENTS form the search path, in logon order, then hierarchy order (MAPI's
 * PR_AB_SEARCH_PATH for a profile of ldapab address books).
 *
 * Name resolution without UI (IAddrBook::ResolveName with no dialog):
 *   1. a name written as a custom recipient, "SMTP:addr" or "[SMTP:addr]", becomes a
 *      one-off entry at once (MAPI's one-off entry-ID format, UTF-16 strings);
 *   2. every search-path container's IABContainer::ResolveNames is called in order
 *      with the whole list and a FlagList in which entries settled so far are marked,
 *      so each container sees only what earlier ones left unresolved (CT-11c);
 *   3. where a container answers MAPI_E_NO_SUPPORT, its contents table is restricted
 *      with PR_ANR instead: one row resolves, several are ambiguous unless exactly one
 *      has the name as display name or e-mail address (CT-11i);
 *   4. for the names still ambiguous, the pick-list is built with PR_ANR over the
 *      search path; a single row there counts as resolved.
 * Resolved entries get the row's PR_ENTRYID, PR_DISPLAY_NAME, PR_ADDRTYPE,
 * PR_EMAIL_ADDRESS, PR_OBJECT_TYPE, PR_DISPLAY_TYPE, PR_SEARCH_KEY,
 * PR_TRANSMITABLE_DISPLAY_NAME and PR_INSTANCE_KEY (what the provider returned, when
 * its ResolveNames did the work); properties the entry already had stay.
 */
#ifndef LDAPAB_HOST_ADDRBOOK_H
#define LDAPAB_HOST_ADDRBOOK_H

#include <mapi/mapidefs.h>
#include "ldapab_host/mem.h"
#include "ldapab_host/session.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Columns of the rows host_session_containers returns, in this order. */
#define HOST_CONTAINER_COLUMNS 5
extern const ULONG host_container_columns[HOST_CONTAINER_COLUMNS];
/* = PR_ENTRYID, PR_DISPLAY_NAME_W, PR_CONTAINER_FLAGS, PR_DEPTH, PR_DISPLAY_TYPE */

/*
 * host_session_containers: one row per container of every logon's hierarchy
 * (CONVENIENT_DEPTH), columns host_container_columns. recipients_only: only the
 * search path (AB_RECIPIENTS). *out: an SRowSet (free with host_FreeProws), possibly
 * empty. Returns S_OK; MAPI_E_INVALID_PARAMETER; the provider's error (e.g.
 * MAPI_E_NO_SUPPORT where a root has no hierarchy table), with *errtext (if not NULL)
 * set to the provider's GetLastError text in a root the caller frees, or NULL.
 */
HRESULT host_session_containers(host_session *s, int recipients_only, LPSRowSet *out,
                                char **errtext) HOST_WUR;

/*
 * host_session_find_anr: the pick-list for name (UTF-8): each search-path container's
 * contents table restricted with PR_ANR_W, columns cols (NULL: the resolve columns
 * above), at most max rows in all (0: no limit), rows with an entry ID already listed
 * left out. *out: SRowSet (host_FreeProws). *truncated (may be NULL): 1 if rows were
 * left out because of max. Errors as host_session_containers.
 */
HRESULT host_session_find_anr(host_session *s, const char *name, const SPropTagArray *cols,
                              ULONG max, LPSRowSet *out, int *truncated,
                              char **errtext) HOST_WUR;

/*
 * host_session_resolve_name: IAddrBook::ResolveName(0, ulFlags, NULL, lpAdrList)
 * without UI, steps 1–4 above. ulFlags: 0 or MAPI_UNICODE (strings added to resolved
 * entries are PT_UNICODE then, else PT_STRING8); others → MAPI_E_UNKNOWN_FLAGS.
 * status (may be NULL; cFlags must equal cEntries) receives MAPI_RESOLVED /
 * MAPI_AMBIGUOUS / MAPI_UNRESOLVED per entry. Entries that already have PR_ENTRYID
 * count as resolved and are not touched; entries without a display name stay
 * unresolved. Returns S_OK when every entry is resolved, MAPI_E_AMBIGUOUS_RECIP when
 * one is ambiguous, else MAPI_E_NOT_FOUND when one is unresolved (HO-4);
 * MAPI_E_INVALID_PARAMETER; a provider's failure (e.g. MAPI_E_NETWORK_ERROR), with
 * *errtext as above and lpAdrList as far as it got (each entry either unchanged or
 * completely resolved).
 */
HRESULT host_session_resolve_name(host_session *s, ULONG ulFlags, LPADRLIST lpAdrList,
                                  LPFlagList status, char **errtext) HOST_WUR;

/*
 * host_oneoff_entryid: a MAPI one-off entry ID (UTF-16, no rich info) for name,
 * addrtype and address (UTF-8) in a new root. Returns S_OK, MAPI_E_INVALID_PARAMETER,
 * MAPI_E_BAD_CHARWIDTH (malformed UTF-8), MAPI_E_NOT_ENOUGH_MEMORY.
 */
HRESULT host_oneoff_entryid(const char *name, const char *addrtype, const char *address,
                            ULONG *cb, LPENTRYID *out) HOST_WUR;

#ifdef __cplusplus
}
#endif
#endif
