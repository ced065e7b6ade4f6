/*
 * props.c - the property bag and the shared read side of IMAPIProp
 * (spec MU-4, MU-5, MU-6, MU-8, MM-3, MM-7).  See props.h.
 */
#include "props.h"

#include <assert.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <mapi/mapiguid.h>
#include <ldapab_platform/codepage.h>

/* ------------------------------------------------------------------------ */
/* UTF-8 / UTF-16                                                           */
/* ------------------------------------------------------------------------ */

#define REPLACEMENT 0xFFFDu

/* Decode one code point at s (len > 0 bytes).  Strict per Unicode table 3-7
 * (no overlongs, no surrogates, nothing above U+10FFFF).  Returns the bytes
 * consumed (>= 1): on an invalid sequence the maximal subpart is consumed
 * and *cp is U+FFFD, so each bad subsequence yields exactly one U+FFFD. */
static size_t utf8_next(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned char c = s[0];
	size_t need, i;
	unsigned char lo = 0x80, hi = 0xBF;
	uint32_t v;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		need = 1;
		v = c & 0x1Fu;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2;
		v = c & 0x0Fu;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;      /* U+D800..U+DFFF are not characters */
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		v = c & 0x07u;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else {
		*cp = REPLACEMENT;
		return 1;
	}
	for (i = 1; i <= need; i++) {
		unsigned char b;

		if (i >= len) {
			*cp = REPLACEMENT;
			return i;
		}
		b = s[i];
		if (b < lo || b > hi) {
			*cp = REPLACEMENT;
			return i;
		}
		lo = 0x80;
		hi = 0xBF;
		v = (v << 6) | (b & 0x3Fu);
	}
	*cp = v;
	return need + 1;
}

static size_t utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

static size_t in_len(const char *in, size_t len)
{
	if (in == NULL)
		return 0;
	return len == (size_t)-1 ? strlen(in) : len;
}

/* Sanitised UTF-8 of in, at most max_bytes bytes of output (cut at a code
 * point boundary), into out (cap bytes incl. NUL).  U+0000 becomes U+FFFD:
 * MAPI strings are NUL-terminated, so an embedded NUL would silently cut
 * the value.  Returns the bytes needed including the NUL. */
static size_t sanitize_into(const char *in, size_t len, char *out, size_t cap,
                            size_t max_bytes)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t i = 0, o = 0, written = 0;
	bool full = false;

	len = in_len(in, len);
	while (i < len) {
		uint32_t cp;
		char buf[4];
		size_t k;

		i += utf8_next(s + i, len - i, &cp);
		if (cp == 0)
			cp = REPLACEMENT;
		k = utf8_encode(cp, buf);
		if (o + k > max_bytes)
			break;
		/* A short buffer keeps a whole prefix: once one character does not
		 * fit, nothing after it is written (no gap, no stale bytes). */
		if (out != NULL && !full && o + k < cap) {
			memcpy(out + o, buf, k);
			written = o + k;
		} else {
			full = true;
		}
		o += k;
	}
	if (out != NULL && cap > 0)
		out[written] = '\0';
	return o + 1;
}

size_t abp_utf8_to_8bit(const char *in, size_t len, char *out, size_t cap)
{
#ifdef _WIN32
	/* Windows: the ANSI code page (MU-6); what it lacks becomes "?". */
	size_t n = abp_utf8_to_utf16(in, len, NULL, 0), need;
	WCHAR *w = malloc(n * sizeof(*w));

	if (w == NULL) {
		if (out != NULL && cap > 0)
			out[0] = '\0';
		return 1;
	}
	(void)abp_utf8_to_utf16(in, len, w, n);
	need = plat_utf16_to_acp(w, out, cap);
	free(w);
	return need != 0 ? need : 1;
#else
	/* Project setting: the 8-bit charset on Linux is UTF-8 (props.h). */
	return sanitize_into(in, len, out, cap, SIZE_MAX - 1);
#endif
}

size_t abp_utf8_to_utf16(const char *in, size_t len, WCHAR *out, size_t cap)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t i = 0, o = 0, written = 0;
	bool full = false;

	len = in_len(in, len);
	while (i < len) {
		uint32_t cp;
		size_t k;

		i += utf8_next(s + i, len - i, &cp);
		if (cp == 0)
			cp = REPLACEMENT;
		k = cp >= 0x10000 ? 2 : 1;
		/* As in sanitize_into: a short buffer keeps a whole prefix and never
		 * half a surrogate pair. */
		if (out != NULL && !full && o + k < cap) {
			if (k == 2) {
				uint32_t v = cp - 0x10000;
				out[o] = (WCHAR)(0xD800 | (v >> 10));
				out[o + 1] = (WCHAR)(0xDC00 | (v & 0x3FF));
			} else {
				out[o] = (WCHAR)cp;
			}
			written = o + k;
		} else {
			full = true;
		}
		o += k;
	}
	if (out != NULL && cap > 0)
		out[written] = 0;
	return o + 1;
}

char *abp_utf8_sanitize_dup(const char *in, size_t len)
{
	size_t need;
	char *out;

	if (in == NULL)
		return NULL;
	need = sanitize_into(in, len, NULL, 0, SIZE_MAX - 1);
	out = malloc(need);
	if (out == NULL)
		return NULL;
	(void)sanitize_into(in, len, out, need, SIZE_MAX - 1);
	return out;
}

char *abp_8bit_to_utf8_dup(const char *in)
{
#ifdef _WIN32
	/* Windows: the caller's 8-bit strings are in the ANSI code page. */
	WCHAR *w = plat_acp_to_utf16_dup(in);
	char *utf8 = abp_utf16_to_utf8_dup(w);

	free(w);
	return utf8;
#else
	return abp_utf8_sanitize_dup(in, (size_t)-1);
#endif
}

/* Next code point of a NUL-terminated UTF-16 string; unpaired surrogates
 * give U+FFFD.  Returns the units consumed. */
static size_t utf16_next(const WCHAR *s, uint32_t *cp)
{
	WCHAR a = s[0];

	if (a >= 0xD800 && a <= 0xDBFF) {
		WCHAR b = s[1];

		if (b >= 0xDC00 && b <= 0xDFFF) {
			*cp = 0x10000u + (((uint32_t)(a - 0xD800) << 10) | (uint32_t)(b - 0xDC00));
			return 2;
		}
		*cp = REPLACEMENT;
		return 1;
	}
	if (a >= 0xDC00 && a <= 0xDFFF) {
		*cp = REPLACEMENT;
		return 1;
	}
	*cp = a;
	return 1;
}

char *abp_utf16_to_utf8_dup(const WCHAR *in)
{
	size_t i, need = 1, o = 0;
	char *out;

	if (in == NULL)
		return NULL;
	for (i = 0; in[i] != 0;) {
		uint32_t cp;
		char buf[4];

		i += utf16_next(in + i, &cp);
		need += utf8_encode(cp, buf);
	}
	out = malloc(need);
	if (out == NULL)
		return NULL;
	for (i = 0; in[i] != 0;) {
		uint32_t cp;

		i += utf16_next(in + i, &cp);
		o += utf8_encode(cp, out + o);
	}
	out[o] = '\0';
	return out;
}

char *abp_propval_utf8_dup(const SPropValue *pv)
{
	if (pv == NULL)
		return NULL;
	switch (PROP_TYPE(pv->ulPropTag)) {
	case PT_STRING8:
		return pv->Value.lpszA ? abp_8bit_to_utf8_dup(pv->Value.lpszA) : NULL;
	case PT_UNICODE:
		return pv->Value.lpszW ? abp_utf16_to_utf8_dup(pv->Value.lpszW) : NULL;
	default:
		return NULL;
	}
}

/* ------------------------------------------------------------------------ */
/* The bag                                                                  */
/* ------------------------------------------------------------------------ */

void abp_props_init(struct abp_props *bag)
{
	bag->n = 0;
	bag->cap = 0;
	bag->p = NULL;
}

static void prop_clear(struct abp_prop *p)
{
	size_t i;

	switch (PROP_TYPE(p->tag)) {
	case PT_UNICODE:
		free(p->v.str);
		break;
	case PT_MV_UNICODE:
		for (i = 0; i < p->v.mvstr.n; i++)
			free(p->v.mvstr.v[i]);
		free(p->v.mvstr.v);
		break;
	case PT_BINARY:
		free(p->v.bin.lpb);
		break;
	case PT_MV_BINARY:
		for (i = 0; i < p->v.mvbin.n; i++)
			free(p->v.mvbin.lpb[i]);
		free(p->v.mvbin.lpb);
		free(p->v.mvbin.cb);
		break;
	default:
		break;
	}
	memset(p, 0, sizeof(*p));
}

void abp_props_free(struct abp_props *bag)
{
	size_t i;

	if (bag == NULL)
		return;
	for (i = 0; i < bag->n; i++)
		prop_clear(&bag->p[i]);
	free(bag->p);
	abp_props_init(bag);
}

static struct abp_prop *find_mut(const struct abp_props *bag, ULONG tag)
{
	size_t i;

	for (i = 0; i < bag->n; i++)
		if (PROP_ID(bag->p[i].tag) == PROP_ID(tag))
			return &bag->p[i];
	return NULL;
}

const struct abp_prop *abp_props_find(const struct abp_props *bag, ULONG tag)
{
	return bag ? find_mut(bag, tag) : NULL;
}

const char *abp_props_find_string(const struct abp_props *bag, ULONG tag)
{
	const struct abp_prop *p = abp_props_find(bag, tag);

	return (p && PROP_TYPE(p->tag) == PT_UNICODE) ? p->v.str : NULL;
}

/* Store *np (whose value the bag now owns) replacing any property with the
 * same ID.  On failure the caller still owns np's value. */
static HRESULT bag_put(struct abp_props *bag, struct abp_prop *np)
{
	struct abp_prop *old = find_mut(bag, np->tag);

	if (old != NULL) {
		prop_clear(old);
		*old = *np;
		return S_OK;
	}
	if (bag->n == bag->cap) {
		size_t ncap = bag->cap ? bag->cap * 2 : 16;
		struct abp_prop *q;

		if (ncap > SIZE_MAX / sizeof(*q))
			return MAPI_E_NOT_ENOUGH_MEMORY;
		q = realloc(bag->p, ncap * sizeof(*q));
		if (q == NULL)
			return MAPI_E_NOT_ENOUGH_MEMORY;
		bag->p = q;
		bag->cap = ncap;
	}
	bag->p[bag->n++] = *np;
	return S_OK;
}

/* Sanitised, capped malloc'd copy (see ABP_PROP_STR_MAX). */
static char *bag_strdup(const char *in, size_t len)
{
	size_t need = sanitize_into(in, len, NULL, 0, ABP_PROP_STR_MAX);
	char *out = malloc(need);

	if (out != NULL)
		(void)sanitize_into(in, len, out, need, ABP_PROP_STR_MAX);
	return out;
}

static bool is_string_type(ULONG t)
{
	return t == PT_STRING8 || t == PT_UNICODE;
}

HRESULT abp_props_add_string(struct abp_props *bag, ULONG tag, const char *utf8, size_t len)
{
	struct abp_prop np;
	HRESULT hr;

	if (bag == NULL || utf8 == NULL || !is_string_type(PROP_TYPE(tag)))
		return MAPI_E_INVALID_PARAMETER;
	memset(&np, 0, sizeof(np));
	np.tag = CHANGE_PROP_TYPE(tag, PT_UNICODE);
	np.v.str = bag_strdup(utf8, len);
	if (np.v.str == NULL)
		return MAPI_E_NOT_ENOUGH_MEMORY;
	hr = bag_put(bag, &np);
	if (FAILED(hr))
		free(np.v.str);
	return hr;
}

HRESULT abp_props_add_mv_string(struct abp_props *bag, ULONG tag, const char *const *vals,
                                const size_t *lens, size_t n)
{
	struct abp_prop np;
	size_t i, k = 0, usable = 0;
	HRESULT hr = MAPI_E_NOT_ENOUGH_MEMORY;

	if (bag == NULL || (vals == NULL && n > 0) ||
	    (PROP_TYPE(tag) != PT_MV_STRING8 && PROP_TYPE(tag) != PT_MV_UNICODE))
		return MAPI_E_INVALID_PARAMETER;
	for (i = 0; i < n; i++)
		if (vals[i] != NULL && in_len(vals[i], lens ? lens[i] : (size_t)-1) > 0)
			usable++;
	if (usable == 0)
		return MAPI_E_INVALID_PARAMETER;        /* MU-4h */
	if (usable > ABP_PROP_MV_MAX)
		usable = ABP_PROP_MV_MAX;
	memset(&np, 0, sizeof(np));
	np.tag = CHANGE_PROP_TYPE(tag, PT_MV_UNICODE);
	np.v.mvstr.v = calloc(usable, sizeof(char *));
	if (np.v.mvstr.v == NULL)
		goto done;
	for (i = 0; i < n && k < usable; i++) {
		size_t l;

		if (vals[i] == NULL)
			continue;
		l = in_len(vals[i], lens ? lens[i] : (size_t)-1);
		if (l == 0)
			continue;
		np.v.mvstr.v[k] = bag_strdup(vals[i], l);
		if (np.v.mvstr.v[k] == NULL)
			goto done;
		k++;
	}
	np.v.mvstr.n = k;
	hr = bag_put(bag, &np);
done:
	if (FAILED(hr) && np.v.mvstr.v != NULL) {
		for (i = 0; i < k; i++)
			free(np.v.mvstr.v[i]);
		free(np.v.mvstr.v);
	}
	return hr;
}

HRESULT abp_props_add_binary(struct abp_props *bag, ULONG tag, const void *data, size_t cb)
{
	struct abp_prop np;
	HRESULT hr;

	if (bag == NULL || (data == NULL && cb > 0) || PROP_TYPE(tag) != PT_BINARY ||
	    cb > ABP_PROP_BIN_MAX)
		return MAPI_E_INVALID_PARAMETER;
	memset(&np, 0, sizeof(np));
	np.tag = tag;
	np.v.bin.cb = cb;
	np.v.bin.lpb = malloc(cb ? cb : 1);
	if (np.v.bin.lpb == NULL)
		return MAPI_E_NOT_ENOUGH_MEMORY;
	if (cb > 0)
		memcpy(np.v.bin.lpb, data, cb);
	hr = bag_put(bag, &np);
	if (FAILED(hr))
		free(np.v.bin.lpb);
	return hr;
}

HRESULT abp_props_add_mv_binary(struct abp_props *bag, ULONG tag, const void *const *vals,
                                const size_t *cbs, size_t n)
{
	struct abp_prop np;
	size_t i, k = 0;
	HRESULT hr = MAPI_E_NOT_ENOUGH_MEMORY;

	if (bag == NULL || vals == NULL || cbs == NULL || n == 0 ||
	    PROP_TYPE(tag) != PT_MV_BINARY)
		return MAPI_E_INVALID_PARAMETER;
	for (i = 0; i < n; i++)
		if ((vals[i] == NULL && cbs[i] > 0) || cbs[i] > ABP_PROP_BIN_MAX)
			return MAPI_E_INVALID_PARAMETER;
	if (n > ABP_PROP_MV_MAX)
		n = ABP_PROP_MV_MAX;
	memset(&np, 0, sizeof(np));
	np.tag = tag;
	np.v.mvbin.lpb = calloc(n, sizeof(uint8_t *));
	np.v.mvbin.cb = calloc(n, sizeof(size_t));
	if (np.v.mvbin.lpb == NULL || np.v.mvbin.cb == NULL)
		goto done;
	for (k = 0; k < n; k++) {
		np.v.mvbin.lpb[k] = malloc(cbs[k] ? cbs[k] : 1);
		if (np.v.mvbin.lpb[k] == NULL)
			goto done;
		if (cbs[k] > 0)
			memcpy(np.v.mvbin.lpb[k], vals[k], cbs[k]);
		np.v.mvbin.cb[k] = cbs[k];
	}
	np.v.mvbin.n = n;
	hr = bag_put(bag, &np);
done:
	if (FAILED(hr)) {
		if (np.v.mvbin.lpb != NULL)
			for (i = 0; i < k; i++)
				free(np.v.mvbin.lpb[i]);
		free(np.v.mvbin.lpb);
		free(np.v.mvbin.cb);
	}
	return hr;
}

HRESULT abp_props_dup(const struct abp_props *src, struct abp_props *dst)
{
	HRESULT hr = S_OK;
	size_t i;

	if (src == NULL || dst == NULL)
		return MAPI_E_INVALID_PARAMETER;
	abp_props_init(dst);
	for (i = 0; i < src->n && SUCCEEDED(hr); i++) {
		const struct abp_prop *p = &src->p[i];

		switch (PROP_TYPE(p->tag)) {
		case PT_UNICODE:
			hr = abp_props_add_string(dst, p->tag, p->v.str, (size_t)-1);
			break;
		case PT_MV_UNICODE:
			hr = abp_props_add_mv_string(dst, p->tag, (const char *const *)p->v.mvstr.v,
			                             NULL, p->v.mvstr.n);
			break;
		case PT_BINARY:
			hr = abp_props_add_binary(dst, p->tag, p->v.bin.lpb, p->v.bin.cb);
			break;
		case PT_MV_BINARY:
			hr = abp_props_add_mv_binary(dst, p->tag, (const void *const *)p->v.mvbin.lpb,
			                             p->v.mvbin.cb, p->v.mvbin.n);
			break;
		case PT_LONG:
			hr = abp_props_add_long(dst, p->tag, p->v.l);
			break;
		case PT_BOOLEAN:
			hr = abp_props_add_bool(dst, p->tag, p->v.b);
			break;
		case PT_OBJECT:
			hr = abp_props_add_object(dst, p->tag);
			break;
		default:
			hr = MAPI_E_INVALID_PARAMETER;
			break;
		}
	}
	if (FAILED(hr))
		abp_props_free(dst);
	return hr;
}

HRESULT abp_props_add_long(struct abp_props *bag, ULONG tag, LONG value)
{
	struct abp_prop np;

	if (bag == NULL || PROP_TYPE(tag) != PT_LONG)
		return MAPI_E_INVALID_PARAMETER;
	memset(&np, 0, sizeof(np));
	np.tag = tag;
	np.v.l = value;
	return bag_put(bag, &np);
}

HRESULT abp_props_add_bool(struct abp_props *bag, ULONG tag, bool value)
{
	struct abp_prop np;

	if (bag == NULL || PROP_TYPE(tag) != PT_BOOLEAN)
		return MAPI_E_INVALID_PARAMETER;
	memset(&np, 0, sizeof(np));
	np.tag = tag;
	np.v.b = value;
	return bag_put(bag, &np);
}

HRESULT abp_props_add_object(struct abp_props *bag, ULONG tag)
{
	struct abp_prop np;

	if (bag == NULL || PROP_TYPE(tag) != PT_OBJECT)
		return MAPI_E_INVALID_PARAMETER;
	memset(&np, 0, sizeof(np));
	np.tag = tag;
	return bag_put(bag, &np);
}

/* ------------------------------------------------------------------------ */
/* Bag → MAPI                                                               */
/* ------------------------------------------------------------------------ */

static HRESULT more(const struct abp_allocs *al, void *root, size_t cb, void **out)
{
	void *p = NULL;

	if (cb > ULONG_MAX)
		return MAPI_E_NOT_ENOUGH_MEMORY;
	if (al->alloc_more((ULONG)cb, root, &p) != S_OK || p == NULL)
		return MAPI_E_NOT_ENOUGH_MEMORY;
	*out = p;
	return S_OK;
}

static HRESULT mapi_str8(const struct abp_allocs *al, void *root, const char *s, LPSTR *out)
{
	size_t need = abp_utf8_to_8bit(s, (size_t)-1, NULL, 0);
	void *p;
	HRESULT hr = more(al, root, need, &p);

	if (FAILED(hr))
		return hr;
	(void)abp_utf8_to_8bit(s, (size_t)-1, p, need);
	*out = p;
	return S_OK;
}

static HRESULT mapi_strw(const struct abp_allocs *al, void *root, const char *s, LPWSTR *out)
{
	size_t need = abp_utf8_to_utf16(s, (size_t)-1, NULL, 0);
	void *p;
	HRESULT hr;

	if (need > SIZE_MAX / sizeof(WCHAR))
		return MAPI_E_NOT_ENOUGH_MEMORY;
	hr = more(al, root, need * sizeof(WCHAR), &p);
	if (FAILED(hr))
		return hr;
	(void)abp_utf8_to_utf16(s, (size_t)-1, p, need);
	*out = p;
	return S_OK;
}

static HRESULT mapi_bin(const struct abp_allocs *al, void *root, const void *data, size_t cb,
                        SBinary *out)
{
	void *p;
	HRESULT hr;

	if (cb > ULONG_MAX)
		return MAPI_E_NOT_ENOUGH_MEMORY;
	hr = more(al, root, cb, &p);
	if (FAILED(hr))
		return hr;
	if (cb > 0)
		memcpy(p, data, cb);
	out->cb = (ULONG)cb;
	out->lpb = p;
	return S_OK;
}

static ULONG string_type_for(ULONG canonical_type, bool unicode)
{
	if (canonical_type == PT_UNICODE)
		return unicode ? PT_UNICODE : PT_STRING8;
	if (canonical_type == PT_MV_UNICODE)
		return unicode ? PT_MV_UNICODE : PT_MV_STRING8;
	return canonical_type;
}

static void error_slot(SPropValue *dst, ULONG tag, SCODE code, bool *err_slot)
{
	/* MU-4f: the property ID stays, only the type becomes PT_ERROR. */
	dst->ulPropTag = PROP_TAG(PT_ERROR, PROP_ID(tag));
	dst->dwAlignPad = 0;
	dst->Value.err = code;
	*err_slot = true;
}

HRESULT abp_props_fill(const struct abp_allocs *al, void *root, const struct abp_props *bag,
                       ULONG tag, bool unicode, SPropValue *dst, bool *err_slot)
{
	const struct abp_prop *p;
	ULONG want = PROP_TYPE(tag), have;
	HRESULT hr = S_OK;
	size_t i;

	*err_slot = false;
	dst->dwAlignPad = 0;
	if (want == PT_OBJECT) {
		error_slot(dst, tag, MAPI_E_NO_SUPPORT, err_slot);  /* MU-4g */
		return S_OK;
	}
	p = abp_props_find(bag, tag);
	if (p == NULL) {
		error_slot(dst, tag, MAPI_E_NOT_FOUND, err_slot);
		return S_OK;
	}
	have = PROP_TYPE(p->tag);
	if (have == PT_OBJECT) {
		error_slot(dst, tag, MAPI_E_NO_SUPPORT, err_slot);
		return S_OK;
	}
	if (want == PT_UNSPECIFIED)
		want = string_type_for(have, unicode);          /* MU-4e */

	dst->ulPropTag = PROP_TAG(want, PROP_ID(tag));
	switch (want) {
	case PT_UNICODE:
	case PT_STRING8:
		if (have != PT_UNICODE)
			break;
		if (want == PT_UNICODE)
			return mapi_strw(al, root, p->v.str, &dst->Value.lpszW);
		return mapi_str8(al, root, p->v.str, &dst->Value.lpszA);
	case PT_MV_UNICODE:
	case PT_MV_STRING8: {
		void *arr;

		if (have != PT_MV_UNICODE)
			break;
		hr = more(al, root, p->v.mvstr.n * sizeof(void *), &arr);
		if (FAILED(hr))
			return hr;
		for (i = 0; i < p->v.mvstr.n; i++) {
			if (want == PT_MV_UNICODE)
				hr = mapi_strw(al, root, p->v.mvstr.v[i], &((LPWSTR *)arr)[i]);
			else
				hr = mapi_str8(al, root, p->v.mvstr.v[i], &((LPSTR *)arr)[i]);
			if (FAILED(hr))
				return hr;
		}
		if (want == PT_MV_UNICODE) {
			dst->Value.MVszW.cValues = (ULONG)p->v.mvstr.n;
			dst->Value.MVszW.lppszW = arr;
		} else {
			dst->Value.MVszA.cValues = (ULONG)p->v.mvstr.n;
			dst->Value.MVszA.lppszA = arr;
		}
		return S_OK;
	}
	case PT_BINARY:
		if (have != PT_BINARY)
			break;
		return mapi_bin(al, root, p->v.bin.lpb, p->v.bin.cb, &dst->Value.bin);
	case PT_MV_BINARY: {
		void *arr;

		if (have != PT_MV_BINARY)
			break;
		hr = more(al, root, p->v.mvbin.n * sizeof(SBinary), &arr);
		if (FAILED(hr))
			return hr;
		for (i = 0; i < p->v.mvbin.n; i++) {
			hr = mapi_bin(al, root, p->v.mvbin.lpb[i], p->v.mvbin.cb[i],
			              &((SBinary *)arr)[i]);
			if (FAILED(hr))
				return hr;
		}
		dst->Value.MVbin.cValues = (ULONG)p->v.mvbin.n;
		dst->Value.MVbin.lpbin = arr;
		return S_OK;
	}
	case PT_LONG:
		if (have != PT_LONG)
			break;
		dst->Value.l = p->v.l;
		return S_OK;
	case PT_BOOLEAN:
		if (have != PT_BOOLEAN)
			break;
		dst->Value.b = p->v.b ? 1 : 0;
		return S_OK;
	default:
		break;
	}
	/* A type we cannot produce for this property (MU-4d). */
	error_slot(dst, tag, MAPI_E_NOT_FOUND, err_slot);
	return S_OK;
}

HRESULT abp_props_get(const struct abp_allocs *al, const struct abp_props *bag,
                      const SPropTagArray *tags, ULONG flags, ULONG *n, LPSPropValue *out)
{
	bool unicode = (flags & MAPI_UNICODE) != 0;
	size_t count = 0, i, k;
	void *root = NULL;
	SPropValue *vals;
	bool any_error = false;
	HRESULT hr = S_OK;

	if (al == NULL || bag == NULL || n == NULL || out == NULL)
		return MAPI_E_INVALID_PARAMETER;
	if (flags & ~MAPI_UNICODE)
		return MAPI_E_UNKNOWN_FLAGS;                    /* MU-4i */
	if (tags != NULL && tags->cValues == 0)
		return MAPI_E_INVALID_PARAMETER;                /* MU-4c */

	if (tags == NULL) {
		for (i = 0; i < bag->n; i++)
			if (PROP_TYPE(bag->p[i].tag) != PT_OBJECT)
				count++;
		if (count == 0) {                               /* MU-4b */
			*n = 0;
			*out = NULL;
			return S_OK;
		}
	} else {
		count = tags->cValues;
	}
	if (count > ULONG_MAX / sizeof(SPropValue))
		return MAPI_E_NOT_ENOUGH_MEMORY;
	if (al->alloc_buffer((ULONG)(count * sizeof(SPropValue)), &root) != S_OK || root == NULL)
		return MAPI_E_NOT_ENOUGH_MEMORY;
	vals = root;

	for (i = 0, k = 0; k < count; i++) {
		ULONG tag;
		bool err = false;

		if (tags == NULL) {
			if (PROP_TYPE(bag->p[i].tag) == PT_OBJECT)
				continue;
			/* PT_UNSPECIFIED: strings typed per MAPI_UNICODE (MU-4b). */
			tag = CHANGE_PROP_TYPE(bag->p[i].tag, PT_UNSPECIFIED);
		} else {
			tag = tags->aulPropTag[k];
		}
		hr = abp_props_fill(al, root, bag, tag, unicode, &vals[k], &err);
		if (FAILED(hr))
			goto done;
		any_error |= err;
		k++;
	}
	hr = any_error ? MAPI_W_ERRORS_RETURNED : S_OK;        /* MU-4f */
done:
	if (FAILED(hr)) {
		al->free_buffer(root);                          /* MM-7 */
		return hr;
	}
	*n = (ULONG)count;
	*out = vals;
	return hr;
}

HRESULT abp_props_list(const struct abp_allocs *al, const struct abp_props *bag, ULONG flags,
                       LPSPropTagArray *out)
{
	bool unicode = (flags & MAPI_UNICODE) != 0;
	SPropTagArray *arr = NULL;
	void *root = NULL;
	size_t i;

	if (al == NULL || bag == NULL || out == NULL)
		return MAPI_E_INVALID_PARAMETER;
	if (flags & ~MAPI_UNICODE)
		return MAPI_E_UNKNOWN_FLAGS;
	if (bag->n > (ULONG_MAX - CbNewSPropTagArray(0)) / sizeof(ULONG))
		return MAPI_E_NOT_ENOUGH_MEMORY;
	if (al->alloc_buffer((ULONG)CbNewSPropTagArray(bag->n), &root) != S_OK || root == NULL)
		return MAPI_E_NOT_ENOUGH_MEMORY;
	arr = root;
	arr->cValues = (ULONG)bag->n;
	for (i = 0; i < bag->n; i++) {
		ULONG t = bag->p[i].tag;

		arr->aulPropTag[i] = CHANGE_PROP_TYPE(t, string_type_for(PROP_TYPE(t), unicode));
	}
	*out = arr;
	return S_OK;
}

/* ------------------------------------------------------------------------ */
/* Copy of any MAPI value (PrepareRecips keeps what the caller had)         */
/* ------------------------------------------------------------------------ */

static size_t wcslen16(const WCHAR *s)
{
	size_t n = 0;

	while (s[n] != 0)
		n++;
	return n;
}

static HRESULT copy_array(const struct abp_allocs *al, void *root, const void *src,
                          ULONG n, size_t elem, void **dst)
{
	void *p;
	HRESULT hr;

	if (n > 0 && src == NULL)
		return MAPI_E_INVALID_PARAMETER;
	if ((size_t)n > SIZE_MAX / elem)
		return MAPI_E_NOT_ENOUGH_MEMORY;
	hr = more(al, root, (size_t)n * elem, &p);
	if (FAILED(hr))
		return hr;
	if (n > 0)
		memcpy(p, src, (size_t)n * elem);
	*dst = p;
	return S_OK;
}

/* Copies of a NUL-terminated 8-bit or UTF-16 string, terminator included;
 * a NULL string is not a valid value. */
static HRESULT copy_str8(const struct abp_allocs *al, void *root, const char *s, void **dst)
{
	if (s == NULL)
		return MAPI_E_INVALID_PARAMETER;
	return copy_array(al, root, s, (ULONG)(strlen(s) + 1), 1, dst);
}

static HRESULT copy_str16(const struct abp_allocs *al, void *root, const WCHAR *s, void **dst)
{
	if (s == NULL)
		return MAPI_E_INVALID_PARAMETER;
	return copy_array(al, root, s, (ULONG)(wcslen16(s) + 1), sizeof(WCHAR), dst);
}

/* The flat multi-valued types ({cValues, lp*} of plain values, no pointers
 * inside): one block of cValues elements copied, whatever the element type.
 * For abp_propval_copy() only (uses its al, root, src, dst, hr and p). */
#define COPY_MV_FLAT(mv, lp)                                                   \
	do {                                                                   \
		hr = copy_array(al, root, src->Value.mv.lp, src->Value.mv.cValues, \
		                sizeof(*src->Value.mv.lp), &p);                    \
		dst->Value.mv.lp = p;                                          \
		return hr;                                                     \
	} while (0)

HRESULT abp_propval_copy(const struct abp_allocs *al, void *root, const SPropValue *src,
                         SPropValue *dst)
{
	HRESULT hr = S_OK;
	void *p = NULL;
	ULONG i;

	if (al == NULL || root == NULL || src == NULL || dst == NULL)
		return MAPI_E_INVALID_PARAMETER;
	*dst = *src;
	dst->dwAlignPad = 0;
	switch (PROP_TYPE(src->ulPropTag)) {
	case PT_NULL: case PT_I2: case PT_LONG: case PT_R4: case PT_DOUBLE:
	case PT_CURRENCY: case PT_APPTIME: case PT_ERROR: case PT_BOOLEAN:
	case PT_OBJECT: case PT_I8: case PT_SYSTIME:
		return S_OK;
	case PT_STRING8:
		hr = copy_str8(al, root, src->Value.lpszA, &p);
		dst->Value.lpszA = p;
		return hr;
	case PT_UNICODE:
		hr = copy_str16(al, root, src->Value.lpszW, &p);
		dst->Value.lpszW = p;
		return hr;
	case PT_CLSID:
		hr = copy_array(al, root, src->Value.lpguid, 1, sizeof(GUID), &p);
		dst->Value.lpguid = p;
		return hr;
	case PT_BINARY:
		hr = copy_array(al, root, src->Value.bin.lpb, src->Value.bin.cb, 1, &p);
		dst->Value.bin.lpb = p;
		return hr;
	case PT_MV_I2:
		COPY_MV_FLAT(MVi, lpi);
	case PT_MV_LONG:
		COPY_MV_FLAT(MVl, lpl);
	case PT_MV_R4:
		COPY_MV_FLAT(MVflt, lpflt);
	case PT_MV_DOUBLE:
		COPY_MV_FLAT(MVdbl, lpdbl);
	case PT_MV_CURRENCY:
		COPY_MV_FLAT(MVcur, lpcur);
	case PT_MV_APPTIME:
		COPY_MV_FLAT(MVat, lpat);
	case PT_MV_SYSTIME:
		COPY_MV_FLAT(MVft, lpft);
	case PT_MV_CLSID:
		COPY_MV_FLAT(MVguid, lpguid);
	case PT_MV_I8:
		COPY_MV_FLAT(MVli, lpli);
	case PT_MV_BINARY: {
		SBinary *arr;

		hr = copy_array(al, root, src->Value.MVbin.lpbin, src->Value.MVbin.cValues,
		                sizeof(SBinary), &p);
		if (FAILED(hr))
			return hr;
		arr = p;
		for (i = 0; i < src->Value.MVbin.cValues; i++) {
			hr = copy_array(al, root, src->Value.MVbin.lpbin[i].lpb,
			                src->Value.MVbin.lpbin[i].cb, 1, &p);
			if (FAILED(hr))
				return hr;
			arr[i].lpb = p;
		}
		dst->Value.MVbin.lpbin = arr;
		return S_OK;
	}
	case PT_MV_STRING8: {
		LPSTR *arr;

		hr = copy_array(al, root, src->Value.MVszA.lppszA, src->Value.MVszA.cValues,
		                sizeof(LPSTR), &p);
		if (FAILED(hr))
			return hr;
		arr = p;
		for (i = 0; i < src->Value.MVszA.cValues; i++) {
			hr = copy_str8(al, root, src->Value.MVszA.lppszA[i], &p);
			if (FAILED(hr))
				return hr;
			arr[i] = p;
		}
		dst->Value.MVszA.lppszA = arr;
		return S_OK;
	}
	case PT_MV_UNICODE: {
		LPWSTR *arr;

		hr = copy_array(al, root, src->Value.MVszW.lppszW, src->Value.MVszW.cValues,
		                sizeof(LPWSTR), &p);
		if (FAILED(hr))
			return hr;
		arr = p;
		for (i = 0; i < src->Value.MVszW.cValues; i++) {
			hr = copy_str16(al, root, src->Value.MVszW.lppszW[i], &p);
			if (FAILED(hr))
				return hr;
			arr[i] = p;
		}
		dst->Value.MVszW.lppszW = arr;
		return S_OK;
	}
	default:
		return MAPI_E_INVALID_PARAMETER;
	}
}

#undef COPY_MV_FLAT

static bool iface_is_prop(LPCIID iface)
{
	static const IID *const ok[] = {
		&IID_IMAPIProp, &IID_IMailUser, &IID_IDistList, &IID_IABContainer,
		&IID_IMAPIContainer, &IID_IMAPIStatus, &IID_IProfSect, &IID_IMessage,
		&IID_IMAPIFolder, &IID_IAttachment, &IID_IMsgStore, &IID_IMAPIPropData
	};
	size_t i;

	if (iface == NULL)
		return true;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (IsEqualIID(iface, ok[i]))
			return true;
	return false;
}

static bool tag_listed(const SPropTagArray *list, ULONG tag)
{
	ULONG i;

	if (list == NULL)
		return false;
	for (i = 0; i < list->cValues; i++)
		if (PROP_ID(list->aulPropTag[i]) == PROP_ID(tag))
			return true;
	return false;
}

/* Shared part of CopyTo/CopyProps: vals (n, one root) → dest->SetProps,
 * minus the slots `skip` marks. */
static HRESULT copy_common(const struct abp_allocs *al, const struct abp_props *bag,
                           const SPropTagArray *include, const SPropTagArray *exclude,
                           LPCIID iface, LPVOID dest, ULONG flags,
                           LPSPropProblemArray *problems)
{
	LPMAPIPROP d = dest;
	SPropValue *vals = NULL, *have = NULL;
	ULONG n = 0, k = 0, i, nhave = 0;
	SPropTagArray *want = NULL;
	HRESULT hr;

	if (problems != NULL)
		*problems = NULL;
	if (dest == NULL)
		return MAPI_E_INVALID_PARAMETER;
	if (flags & ~(ULONG)(MAPI_MOVE | MAPI_NOREPLACE | MAPI_DIALOG | MAPI_DECLINE_OK))
		return MAPI_E_UNKNOWN_FLAGS;
	if (flags & MAPI_MOVE)
		return MAPI_E_NO_ACCESS;        /* moving would delete from a read-only source */
	if (!iface_is_prop(iface))
		return MAPI_E_INTERFACE_NOT_SUPPORTED;

	hr = abp_props_get(al, bag, include, MAPI_UNICODE, &n, &vals);
	if (FAILED(hr))
		goto done;
	/* Compact: drop error slots (nothing to copy) and excluded tags. */
	for (i = 0; i < n; i++) {
		if (PROP_TYPE(vals[i].ulPropTag) == PT_ERROR || tag_listed(exclude, vals[i].ulPropTag))
			continue;
		vals[k++] = vals[i];
	}
	if ((flags & MAPI_NOREPLACE) && k > 0) {
		ULONG j;
		void *w = NULL;

		if (al->alloc_buffer((ULONG)CbNewSPropTagArray(k), &w) != S_OK || w == NULL) {
			hr = MAPI_E_NOT_ENOUGH_MEMORY;
			goto done;
		}
		want = w;
		want->cValues = k;
		for (i = 0; i < k; i++)
			want->aulPropTag[i] = vals[i].ulPropTag;
		hr = d->lpVtbl->GetProps(d, want, MAPI_UNICODE, &nhave, &have);
		if (FAILED(hr))
			goto done;
		for (i = 0, j = 0; i < k; i++) {
			if (have != NULL && i < nhave && PROP_TYPE(have[i].ulPropTag) != PT_ERROR)
				continue;       /* the destination already has it */
			vals[j++] = vals[i];
		}
		k = j;
	}
	hr = k > 0 ? d->lpVtbl->SetProps(d, k, vals, problems) : S_OK;
done:
	al->free_buffer(have);
	al->free_buffer(want);
	al->free_buffer(vals);
	return hr;
}

HRESULT abp_props_copy_to(const struct abp_allocs *al, const struct abp_props *bag,
                          const SPropTagArray *exclude, LPCIID iface, LPVOID dest,
                          ULONG flags, LPSPropProblemArray *problems)
{
	if (al == NULL || bag == NULL)
		return MAPI_E_INVALID_PARAMETER;
	return copy_common(al, bag, NULL, exclude, iface, dest, flags, problems);
}

HRESULT abp_props_copy_props(const struct abp_allocs *al, const struct abp_props *bag,
                             const SPropTagArray *include, LPCIID iface, LPVOID dest,
                             ULONG flags, LPSPropProblemArray *problems)
{
	if (al == NULL || bag == NULL)
		return MAPI_E_INVALID_PARAMETER;
	if (include == NULL || include->cValues == 0)
		return MAPI_E_INVALID_PARAMETER;
	return copy_common(al, bag, include, NULL, iface, dest, flags, problems);
}
