/*
 * resolve.h - IABContainer::ResolveNames of a directory container (CT-10,
 * CT-11) and how it chooses among candidates (internal to provider/).
 *
 * The call has two phases (MM-7): every unresolved name of the ADRLIST is
 * looked up at once (one pipelined batch on the connection), then the
 * outcomes are applied - new property arrays built for every resolved
 * entry, and only when all exist swapped in.  A failure in either phase
 * leaves the ADRLIST and the FlagList untouched.
 */
#ifndef LDAPAB_RESOLVE_H
#define LDAPAB_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>

#include "abp.h"
#include "props.h"

/* Entries one name may match before it counts as ambiguous without
 * looking further (CT-11j: the search stops at this size limit). */
#define ABP_RESOLVE_SIZE_LIMIT 100

/*
 * ResolveNames (CT-11 a-l) of the container cfg (its base DN and filter;
 * NULL: the whole directory), with failures recorded in le.
 *   tags   NULL: the default set (CT-11a); else these columns, plus CT-11l's
 *          properties, on every resolved entry.
 *   flags  MAPI_UNICODE (strings of the default set), EMS_AB_ADDRESS_LOOKUP
 *          (exact address match), MAPI_CACHE_ONLY (ignored); others →
 *          MAPI_E_UNKNOWN_FLAGS.
 *   list, fl  the caller's ADRLIST and FlagList (fl->cFlags == cEntries,
 *          else MAPI_E_INVALID_PARAMETER), edited in place.
 * Enters the session itself (MAPI_E_INVALID_OBJECT after Logoff).  S_OK
 * also when names stay unresolved or ambiguous (CT-11k).  Server failures
 * (MAPI_E_NETWORK_ERROR ...) and MAPI_E_NOT_ENOUGH_MEMORY leave list and fl
 * as they were.
 */
ABP_WUR HRESULT abp_resolve_names(struct abp_session *s, struct abp_lasterr *le,
                                  const struct abp_container_cfg *cfg,
                                  const SPropTagArray *tags, ULONG flags, ADRLIST *list,
                                  FlagList *fl);

/* Is rows[i] a repeat of an earlier row (the same PR_RECORD_KEY; a row
 * without one repeats only itself)?  Candidates count once. */
bool abp_resolve_repeated(const struct abp_props *const *rows, size_t i);

/*
 * The outcome for one name (CT-11 e-j) from its candidates in directory
 * order: MAPI_UNRESOLVED (none), MAPI_RESOLVED with *pick the index of the
 * one that resolves it (the only candidate, or the only one whose display
 * name or address equals input ignoring case), or MAPI_AMBIGUOUS (several,
 * or the search stopped at its size limit: partial).  Duplicates (same
 * PR_RECORD_KEY) count once.
 */
ULONG abp_resolve_choose(const struct abp_props *const *cands, size_t n, bool partial,
                         const char *input, size_t *pick);

/* What the lookup phase decided for one ADRLIST entry. */
struct abp_resolve_outcome {
	ULONG state;                    /* MAPI_UNRESOLVED: leave the entry alone */
	const struct abp_props *bag;    /* MAPI_RESOLVED: the entry's directory data */
};

/*
 * The apply phase (CT-11 e-h, MM-5, MM-7): for every entry whose outcome is
 * MAPI_RESOLVED a new rgPropVals (the tags - abp_resolve_tags() - from the
 * bag, then the entry's other properties; one root from al), then, only
 * when all exist, the old arrays freed, the new ones stored and fl set;
 * MAPI_AMBIGUOUS sets fl only.  cEntries and the list never change.
 * MAPI_E_NOT_ENOUGH_MEMORY leaves list and fl untouched.
 */
ABP_WUR HRESULT abp_resolve_apply(const struct abp_allocs *al, const SPropTagArray *tags,
                                  ULONG flags, ADRLIST *list, FlagList *fl,
                                  const struct abp_resolve_outcome *outcome);

/* The tags a resolved entry carries (CT-11a, CT-11l) for the caller's tags
 * and flags: a malloc'd array (free()), NULL when out of memory. */
SPropTagArray *abp_resolve_tags(const SPropTagArray *tags, ULONG flags);

#endif /* LDAPAB_RESOLVE_H */
