/*
 * ldapab host: property helpers (the subset of MAPI's mapiutil the host and tests need).
 * Everything returned is MAPI memory from host_MAPIAllocateBuffer: free with
 * host_MAPIFreeBuffer (rows/address lists with host_FreeProws/host_FreePadrlist).
 */
#ifndef LDAPAB_HOST_PROPS_H
#define LDAPAB_HOST_PROPS_H

#include <mapi/mapidefs.h>
#include "ldapab_host/mem.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Sizes: MAPI's allocators take a ULONG byte count. Whenever a count (cValues, n, a
 * string's length) would make a buffer larger than UINT32_MAX bytes, every function here
 * (and every host object building MAPI memory) returns MAPI_E_NOT_ENOUGH_MEMORY before
 * allocating, reading the values or writing anything — never a truncated buffer.
 */

/* Secure profile properties: provider-defined secure range, never printed by the host. */
#define HOST_PROP_ID_SECURE_MIN 0x67F0u
#define HOST_PROP_ID_SECURE_MAX 0x67FFu
/* 1 if tag's property ID is in the secure range. */
int host_prop_is_secure(ULONG ulPropTag);

/*
 * host_props_copy: copies n values (every PT_* type incl. MV, strings, binaries, CLSIDs)
 * into one new root; all payloads are AllocateMore'd onto it (one FreeBuffer frees all).
 * n may be 0 (returns an empty root). src NULL with n > 0 or out NULL →
 * MAPI_E_INVALID_PARAMETER; unknown type → MAPI_E_INVALID_TYPE; MAPI_E_NOT_ENOUGH_MEMORY.
 * On failure *out = NULL and nothing stays allocated.
 */
HRESULT host_props_copy(ULONG n, const SPropValue *src, LPSPropValue *out) HOST_WUR;

/*
 * host_prop_copy_more: copies one value into *dst, chaining its payload onto root (a live
 * root). On failure *dst is left with no dangling pointers into freed memory (payload
 * blocks stay chained to root until it is freed). Errors as host_props_copy.
 */
HRESULT host_prop_copy_more(LPSPropValue dst, const SPropValue *src, LPVOID root) HOST_WUR;

/*
 * host_prop_find: first value in props[0..n) whose tag equals tag, or whose ID equals
 * tag's ID when tag's type is PT_UNSPECIFIED. NULL if none or props is NULL. Borrowed.
 */
LPSPropValue host_prop_find(ULONG n, const SPropValue *props, ULONG ulPropTag);

/* FreeProws: frees every row's lpProps root, then the row set. NULL is a no-op. */
void host_FreeProws(LPSRowSet rows);
/* FreePadrlist: frees every entry's rgPropVals root, then the list. NULL is a no-op. */
void host_FreePadrlist(LPADRLIST list);

/*
 * host_tag_array_new: SPropTagArray root holding n tags (copied from tags; n may be 0).
 * tags NULL with n > 0 or out NULL → MAPI_E_INVALID_PARAMETER; MAPI_E_NOT_ENOUGH_MEMORY.
 */
HRESULT host_tag_array_new(ULONG n, const ULONG *tags, LPSPropTagArray *out) HOST_WUR;

/*
 * host_utf8_to_utf16: NUL-terminated UTF-16LE copy of utf8 in a new root.
 * NULL in/out → MAPI_E_INVALID_PARAMETER; malformed UTF-8 → MAPI_E_BAD_CHARWIDTH;
 * a result above UINT32_MAX bytes (2^31 - 1 or more UTF-16 units) →
 * MAPI_E_NOT_ENOUGH_MEMORY (the count stops there; the rest is not read).
 */
HRESULT host_utf8_to_utf16(const char *utf8, WCHAR **out) HOST_WUR;
/* host_utf16_to_utf8: reverse of the above (unpaired surrogate → MAPI_E_BAD_CHARWIDTH). */
HRESULT host_utf16_to_utf8(const WCHAR *utf16, char **out) HOST_WUR;
/* Same conversions chained onto an existing root (for building returned structures). */
HRESULT host_utf8_to_utf16_more(const char *utf8, LPVOID root, WCHAR **out) HOST_WUR;
HRESULT host_utf16_to_utf8_more(const WCHAR *utf16, LPVOID root, char **out) HOST_WUR;
/* Length in code units (without the terminator); 0 for NULL. */
size_t host_utf16_len(const WCHAR *s);
/* 1 if the UTF-16 string s equals the UTF-8 string utf8 (both non-NULL), else 0. */
int host_utf16_eq_utf8(const WCHAR *s, const char *utf8);

#ifdef __cplusplus
}
#endif
#endif
