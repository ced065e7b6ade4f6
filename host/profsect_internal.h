/* ldapab host: profile-section data operations (profsect.c), used by profile.c. */
#ifndef LDAPAB_HOST_PROFSECT_INTERNAL_H
#define LDAPAB_HOST_PROFSECT_INTERNAL_H
#include "host_internal.h"

HRESULT host__section_new(const MAPIUID *uid, host_section **out) HOST_WUR;
void host__section_addref(host_section *s);
const MAPIUID *host__section_uid(const host_section *s);
/* GetProps semantics (see ldapab_host/profile.h). */
HRESULT host__section_get(host_section *s, const SPropTagArray *tags, ULONG ulFlags,
                          ULONG *count, LPSPropValue *out) HOST_WUR;
/*
 * SetProps semantics; writable = 0 → MAPI_E_NO_ACCESS. *nproblems counts rejected values;
 * problems (may be NULL) receives a problem-array root or NULL. strict: if any value is
 * rejected, store nothing.
 */
HRESULT host__section_set(host_section *s, ULONG n, const SPropValue *props, int writable,
                          int strict, ULONG *nproblems, LPSPropProblemArray *problems) HOST_WUR;
#endif
