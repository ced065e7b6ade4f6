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

/*
 * The new rgPropVals of one ADRENTRY (LO-8 d-f, CT-11e), shared by
 * PrepareRecips and ResolveNames: the tags in order (a property ID once),
 * then the entry's other properties; PR_ENTRYID made long-term.  A tag's
 * value is the entry's own when it has one and prefer_entry (PrepareRecips,
 * LO-8e) or the bag lacks it; else the bag's (ResolveNames: the directory's
 * values replace what was typed); unavailable → PT_ERROR/MAPI_E_NOT_FOUND.
 * bag NULL: nothing to read (a vanished entry, LO-8g).  unicode: the string
 * width for PT_UNSPECIFIED tags.  *vals is one alloc_buffer root (the
 * caller frees it with free_buffer); *vals / *n are set only on success.
 * MAPI_E_NOT_ENOUGH_MEMORY.
 */
ABP_WUR HRESULT abp_recip_build(const struct abp_allocs *al, const SPropTagArray *tags,
                                const ADRENTRY *ae, const struct abp_props *bag,
                                bool prefer_entry, bool unicode, SPropValue **vals, ULONG *n);

#endif /* LDAPAB_RECIPS_H */
