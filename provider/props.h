/*
 * props.h - the provider's internal property bag and the read side of
 * IMAPIProp shared by every object (internal to provider/).
 *
 * A bag holds property values in one canonical form, in malloc'd memory:
 *   - strings: valid UTF-8 under their PT_UNICODE tag (PT_MV_UNICODE when
 *     multi-valued); the bag sanitises on the way in (invalid UTF-8 becomes
 *     U+FFFD, MU-6) and caps sizes (ABP_PROP_STR_MAX, ABP_PROP_MV_MAX);
 *   - PT_BINARY, PT_MV_BINARY, PT_LONG, PT_BOOLEAN;
 *   - PT_OBJECT markers: listed by GetPropList, never given a value (MU-4g).
 * Tags given to the add functions may be typed _A, _W or the canonical type;
 * the bag keeps one entry per property ID (a later add replaces the earlier).
 *
 * abp_props_get()/abp_props_list() turn a bag into what IMAPIProp::GetProps
 * and GetPropList return, with the caller-freed allocators (MM-2, MM-3).
 *
 * 8-bit strings (PT_STRING8, no MAPI_UNICODE), spec MU-6: on Windows the
 * ANSI code page (a character it lacks becomes "?", the _W form keeps it);
 * on Linux the project setting is that the 8-bit charset
 * IS UTF-8 (as the profile's _A properties already are, profile.h), so "to
 * 8-bit" means sanitised UTF-8 and "from 8-bit" means sanitising what the
 * caller passed.  No MAPI_E_BAD_CHARWIDTH slot is produced.
 */
#ifndef LDAPAB_PROPS_H
#define LDAPAB_PROPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abp.h"

/* Caps applied to what the bag stores (hostile server data must not make us
 * allocate without bound).  Strings longer than ABP_PROP_STR_MAX bytes are
 * cut at a character boundary; multi-valued properties keep their first
 * ABP_PROP_MV_MAX values; binaries over ABP_PROP_BIN_MAX are refused. */
#define ABP_PROP_STR_MAX (64u * 1024u)
#define ABP_PROP_MV_MAX  1000u
#define ABP_PROP_BIN_MAX (256u * 1024u)  /* a photo (AD allows 100 KB) */

/* The caller-freed allocators (from ABProviderInit, MM-2). */
struct abp_allocs {
	LPALLOCATEBUFFER alloc_buffer;
	LPALLOCATEMORE alloc_more;
	LPFREEBUFFER free_buffer;
};

static inline struct abp_allocs abp_allocs_of(const struct abp_session *s)
{
	struct abp_allocs al = { s->alloc_buffer, s->alloc_more, s->free_buffer };
	return al;
}

struct abp_prop {
	ULONG tag;                  /* canonical tag (see the header comment) */
	union {
		char *str;          /* PT_UNICODE: NUL-terminated UTF-8 */
		struct {
			size_t n;   /* >= 1 */
			char **v;
		} mvstr;            /* PT_MV_UNICODE */
		struct {
			size_t cb;
			uint8_t *lpb;
		} bin;              /* PT_BINARY */
		struct {
			size_t n;   /* >= 1 */
			size_t *cb;
			uint8_t **lpb;
		} mvbin;            /* PT_MV_BINARY */
		LONG l;             /* PT_LONG */
		bool b;             /* PT_BOOLEAN */
	} v;
};

struct abp_props {
	size_t n, cap;
	struct abp_prop *p;         /* in insertion order */
};

void abp_props_init(struct abp_props *bag);
void abp_props_free(struct abp_props *bag);     /* leaves an empty bag */

/* Adders.  All return S_OK, MAPI_E_NOT_ENOUGH_MEMORY (bag unchanged) or
 * MAPI_E_INVALID_PARAMETER (a tag of the wrong type for the adder, a NULL
 * value, an MV call with zero usable values, an oversized binary).
 * `len` is a byte count; (size_t)-1 means NUL-terminated. */
ABP_WUR HRESULT abp_props_add_string(struct abp_props *bag, ULONG tag,
                                     const char *utf8, size_t len);
/* n values; lens may be NULL (all NUL-terminated).  Empty values are
 * skipped; zero non-empty values → MAPI_E_INVALID_PARAMETER (MU-4h: the
 * bag never holds an MV property without values).  At most
 * ABP_PROP_MV_MAX values are kept. */
ABP_WUR HRESULT abp_props_add_mv_string(struct abp_props *bag, ULONG tag,
                                        const char *const *vals,
                                        const size_t *lens, size_t n);
ABP_WUR HRESULT abp_props_add_binary(struct abp_props *bag, ULONG tag,
                                     const void *data, size_t cb);
ABP_WUR HRESULT abp_props_add_mv_binary(struct abp_props *bag, ULONG tag,
                                        const void *const *vals,
                                        const size_t *cbs, size_t n);
ABP_WUR HRESULT abp_props_add_long(struct abp_props *bag, ULONG tag, LONG value);
ABP_WUR HRESULT abp_props_add_bool(struct abp_props *bag, ULONG tag, bool value);
ABP_WUR HRESULT abp_props_add_object(struct abp_props *bag, ULONG tag);

/* A deep copy of src into dst (initialised here; empty on failure).
 * MAPI_E_NOT_ENOUGH_MEMORY. */
ABP_WUR HRESULT abp_props_dup(const struct abp_props *src, struct abp_props *dst);

/* The property with this ID (PROP_ID of any tag), or NULL. */
const struct abp_prop *abp_props_find(const struct abp_props *bag, ULONG tag);
/* Convenience: the UTF-8 value of a single-valued string property, or NULL. */
const char *abp_props_find_string(const struct abp_props *bag, ULONG tag);

/* IMAPIProp::GetProps on a bag, exactly MU-4:
 *   flags other than MAPI_UNICODE → MAPI_E_UNKNOWN_FLAGS; n/out NULL or
 *   tags->cValues == 0 → MAPI_E_INVALID_PARAMETER;
 *   tags NULL → every non-PT_OBJECT property (strings _W under MAPI_UNICODE,
 *   else _A); an empty bag gives S_OK, *n = 0, *out = NULL;
 *   otherwise one slot per tag in order: typed tags get exactly that type
 *   (A↔W converted), PT_UNSPECIFIED the real type, absent or type-mismatched
 *   properties PT_ERROR with the ID kept and MAPI_E_NOT_FOUND, PT_OBJECT
 *   tags PT_ERROR/MAPI_E_NO_SUPPORT; any PT_ERROR slot makes the call return
 *   MAPI_W_ERRORS_RETURNED.
 * Memory: one alloc_buffer root, everything else alloc_more'd onto it.
 * On failure nothing is left allocated and *n / *out are untouched. */
ABP_WUR HRESULT abp_props_get(const struct abp_allocs *al, const struct abp_props *bag,
                              const SPropTagArray *tags, ULONG flags,
                              ULONG *n, LPSPropValue *out);

/* IMAPIProp::GetPropList on a bag (MU-5): every tag in bag order, PT_OBJECT
 * included, strings typed per MAPI_UNICODE.  One root; out untouched on
 * failure.  Flags other than MAPI_UNICODE → MAPI_E_UNKNOWN_FLAGS. */
ABP_WUR HRESULT abp_props_list(const struct abp_allocs *al, const struct abp_props *bag,
                               ULONG flags, LPSPropTagArray *out);

/* Fill one MAPI slot for `tag` from the bag (the per-slot part of
 * abp_props_get, for table rows and PrepareRecips): data is alloc_more'd
 * onto root.  `unicode` picks the string width for PT_UNSPECIFIED.  Sets
 * *err_slot when the slot became PT_ERROR.  Fails only on allocation
 * (MAPI_E_NOT_ENOUGH_MEMORY); dst is then unspecified. */
ABP_WUR HRESULT abp_props_fill(const struct abp_allocs *al, void *root,
                               const struct abp_props *bag, ULONG tag,
                               bool unicode, SPropValue *dst, bool *err_slot);

/* Deep copy of any MAPI property value (all PT_ and PT_MV_ types we know;
 * unknown types → MAPI_E_INVALID_PARAMETER), data alloc_more'd onto root. */
ABP_WUR HRESULT abp_propval_copy(const struct abp_allocs *al, void *root,
                                 const SPropValue *src, SPropValue *dst);

/* ---------------------------------------------------------------------- */
/* Strings                                                                */
/* ---------------------------------------------------------------------- */

/* UTF-8 (len bytes; (size_t)-1 = NUL-terminated) → UTF-16 into out (cap
 * WCHARs, may be 0 with out NULL).  Invalid sequences, overlongs, surrogate
 * code points and truncated tails each become U+FFFD.  Returns the WCHARs
 * needed including the terminating NUL; writes min(cap, needed) terminated
 * only if it fits. */
size_t abp_utf8_to_utf16(const char *in, size_t len, WCHAR *out, size_t cap);

/* UTF-8 → the 8-bit form (on Linux: sanitised UTF-8, see the header
 * comment).  Same contract as abp_utf8_to_utf16, in bytes. */
size_t abp_utf8_to_8bit(const char *in, size_t len, char *out, size_t cap);

/* Sanitised malloc'd copy of UTF-8 input (invalid → U+FFFD); NULL on OOM. */
char *abp_utf8_sanitize_dup(const char *in, size_t len);

/* Inputs from clients → malloc'd UTF-8 (NULL on OOM or NULL input).
 * UTF-16: unpaired surrogates become U+FFFD.  8-bit: sanitised as UTF-8. */
char *abp_utf16_to_utf8_dup(const WCHAR *in);
char *abp_8bit_to_utf8_dup(const char *in);
/* The UTF-8 value of a PT_STRING8 or PT_UNICODE SPropValue (malloc'd), or
 * NULL (other types, NULL pointer, OOM). */
char *abp_propval_utf8_dup(const SPropValue *pv);

/* CopyTo / CopyProps with a bag as the source (MU-8): reads the bag
 * (GetProps(NULL, MAPI_UNICODE) minus excluded tags, or the included tags)
 * and hands the values to the destination's IMAPIProp::SetProps.
 * lpInterface NULL means IID_IMAPIProp; it must be IID_IMAPIProp or one
 * of the IMAPIProp-derived interfaces (else MAPI_E_INTERFACE_NOT_SUPPORTED).
 * MAPI_MOVE → MAPI_E_NO_ACCESS (we cannot delete from the source);
 * MAPI_NOREPLACE skips properties the destination already has; progress
 * objects and MAPI_DIALOG are accepted and not used.  Excluding interfaces
 * is a no-op (we have no subobjects to copy). *problems gets the
 * destination's problem array (or NULL). */
ABP_WUR HRESULT abp_props_copy_to(const struct abp_allocs *al, const struct abp_props *bag,
                                  const SPropTagArray *exclude, LPCIID iface, LPVOID dest,
                                  ULONG flags, LPSPropProblemArray *problems);
ABP_WUR HRESULT abp_props_copy_props(const struct abp_allocs *al, const struct abp_props *bag,
                                     const SPropTagArray *include, LPCIID iface, LPVOID dest,
                                     ULONG flags, LPSPropProblemArray *problems);

#endif /* LDAPAB_PROPS_H */
