/*
 * recips.h - IABLogon::PrepareRecips (LO-8) for the entries of ours in an
 * ADRLIST (internal).
 */
#ifndef LDAPAB_RECIPS_H
#define LDAPAB_RECIPS_H

#include "abp.h"
#include "props.h"

/* PrepareRecips (LO-8) for the entries of list that are ours. */
ABP_WUR HRESULT abp_prepare_recips(struct abp_session *s, struct abp_lasterr *le,
                                   ULONG flags, LPSPropTagArray tags, LPADRLIST list);

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

#endif /* LDAPAB_RECIPS_H */
