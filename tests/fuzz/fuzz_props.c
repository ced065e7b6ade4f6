/*
 * fuzz_props.c - libFuzzer target for the string conversions of
 * provider/props.c (MU-6) and the bag's string path into GetProps.
 *
 * Input: byte 0 picks a truncated output capacity, the rest is "UTF-8" as a
 * server or a profile might deliver it: any bytes, NULs included, counted.
 * Properties (fuzz_utf8_valid is an independent strict validator):
 *   - UTF-8 → UTF-16: needs 1..n+1 units, the exact-size output is NUL-
 *     terminated with no NUL before it (U+0000 becomes U+FFFD) and has no
 *     unpaired surrogate; back to UTF-8 it equals abp_utf8_sanitize_dup;
 *   - the sanitised form is valid UTF-8, at most 3 bytes per input byte,
 *     identical to the input when that was valid UTF-8 without NULs, and a
 *     fixed point (sanitising it again changes nothing);
 *   - UTF-8 → 8-bit equals the sanitised form (the 8-bit charset is UTF-8
 *     on Linux, props.h) and needs exactly its length + 1;
 *   - counted and NUL-terminated calls agree on the text before the NUL;
 *   - a too-small buffer: the needed size is still returned, nothing is
 *     written past cap, the output is NUL-terminated inside cap, and what
 *     precedes the NUL is a prefix of the full output cut at a character boundary;
 *   - the bag (abp_props_add_string) stores a valid UTF-8 prefix of the
 *     sanitised text of at most ABP_PROP_STR_MAX bytes, and GetProps gives
 *     it back as PT_UNICODE and PT_STRING8 that convert back to the same
 *     text, in one root that frees everything.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <mapi/mapitags.h>

#include "props.h"
#include "fuzz_alloc.h"
#include "fuzz_check.h"

static bool utf16_valid(const WCHAR *w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (w[i] >= 0xD800 && w[i] <= 0xDBFF) {
			if (i + 1 >= n || w[i + 1] < 0xDC00 || w[i + 1] > 0xDFFF)
				return false;
			i++;
		} else if (w[i] >= 0xDC00 && w[i] <= 0xDFFF) {
			return false;
		}
	}
	return true;
}

/* Truncated UTF-16: the written part is a NUL-terminated prefix of the full
 * output made of whole code points.  Any unit value can be output, so the
 * buffer is pre-filled twice with different patterns: a unit left unwritten
 * cannot match the full output under both. */
static void check_trunc16(const char *t, size_t n, const WCHAR *full, size_t need, size_t cap)
{
	static const WCHAR fill[2] = { 0xBEEF, 0x0041 };
	WCHAR *out = malloc(cap * sizeof(WCHAR));

	FUZZ_CHECK(out != NULL);
	for (int pass = 0; pass < 2; pass++) {
		size_t k;

		for (size_t i = 0; i < cap; i++)
			out[i] = fill[pass];
		FUZZ_CHECK(abp_utf8_to_utf16(t, n, out, cap) == need);
		for (k = 0; k < cap && out[k] != 0; k++)
			FUZZ_CHECK(out[k] == full[k]);
		FUZZ_CHECK(k < cap);    /* terminated inside the buffer */
		FUZZ_CHECK(k == 0 || !(out[k - 1] >= 0xD800 && out[k - 1] <= 0xDBFF));
	}
	free(out);
}

static void check_trunc8(const char *t, size_t n, const char *full, size_t need, size_t cap)
{
	char *out = malloc(cap);
	size_t k;

	FUZZ_CHECK(out != NULL);
	memset(out, 0xFF, cap);     /* 0xFF is never valid UTF-8 */
	FUZZ_CHECK(abp_utf8_to_8bit(t, n, out, cap) == need);
	for (k = 0; k < cap && out[k] != 0; k++)
		FUZZ_CHECK(out[k] == full[k]);
	FUZZ_CHECK(k < cap);
	FUZZ_CHECK(fuzz_utf8_valid((const unsigned char *)out, k));
	free(out);
}

static void check_bag(const char *t, size_t n, const char *san)
{
	struct abp_allocs al = { fuzz_alloc_buffer, fuzz_alloc_more, fuzz_free_buffer };
	struct abp_props bag;
	const char *stored;
	LPSPropValue vals = NULL;
	ULONG cnt = 0;
	char *back = NULL;
	size_t sl;

	abp_props_init(&bag);
	FUZZ_CHECK(abp_props_add_string(&bag, PR_DISPLAY_NAME_A, t, n) == S_OK);
	stored = abp_props_find_string(&bag, PR_DISPLAY_NAME_W);
	FUZZ_CHECK(stored != NULL);
	sl = strlen(stored);
	FUZZ_CHECK(sl <= ABP_PROP_STR_MAX && fuzz_utf8_valid((const unsigned char *)stored, sl));
	FUZZ_CHECK(strncmp(stored, san, sl) == 0);
	FUZZ_CHECK(sl == strlen(san) || sl + 4 > ABP_PROP_STR_MAX);     /* cut only at the cap */

	FUZZ_CHECK(abp_props_get(&al, &bag, NULL, MAPI_UNICODE, &cnt, &vals) == S_OK);
	FUZZ_CHECK(cnt == 1 && vals != NULL && vals[0].ulPropTag == PR_DISPLAY_NAME_W);
	back = abp_utf16_to_utf8_dup(vals[0].Value.lpszW);
	FUZZ_CHECK(back != NULL && strcmp(back, stored) == 0);
	free(back);
	fuzz_free_buffer(vals);
	vals = NULL;

	FUZZ_CHECK(abp_props_get(&al, &bag, NULL, 0, &cnt, &vals) == S_OK);
	FUZZ_CHECK(cnt == 1 && vals != NULL && vals[0].ulPropTag == PR_DISPLAY_NAME_A);
	FUZZ_CHECK(strcmp(vals[0].Value.lpszA, stored) == 0);
	fuzz_free_buffer(vals);
	FUZZ_CHECK(fuzz_alloc_live() == 0);
	abp_props_free(&bag);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *t = NULL, *tz = NULL, *san = NULL, *again = NULL, *s8 = NULL, *o8 = NULL;
	WCHAR *w = NULL;
	size_t n, n16, n8, sl, zl;

	if (size == 0)
		return 0;
	n = size - 1;
	t = malloc(n ? n : 1);          /* exactly n bytes: reads past n are caught */
	tz = malloc(n + 1);
	FUZZ_CHECK(t != NULL && tz != NULL);
	memcpy(t, data + 1, n);
	memcpy(tz, data + 1, n);
	tz[n] = '\0';

	/* UTF-8 → UTF-16 → UTF-8 */
	n16 = abp_utf8_to_utf16(t, n, NULL, 0);
	FUZZ_CHECK(n16 >= 1 && n16 <= n + 1);
	w = malloc(n16 * sizeof(WCHAR));
	FUZZ_CHECK(w != NULL);
	FUZZ_CHECK(abp_utf8_to_utf16(t, n, w, n16) == n16);
	FUZZ_CHECK(w[n16 - 1] == 0);
	for (size_t i = 0; i + 1 < n16; i++)
		FUZZ_CHECK(w[i] != 0);
	FUZZ_CHECK(utf16_valid(w, n16 - 1));

	san = abp_utf8_sanitize_dup(t, n);
	FUZZ_CHECK(san != NULL);
	sl = strlen(san);
	FUZZ_CHECK(fuzz_utf8_valid((const unsigned char *)san, sl));
	FUZZ_CHECK(sl <= 3 * n);
	if (fuzz_utf8_valid((const unsigned char *)t, n) && memchr(t, 0, n) == NULL)
		FUZZ_CHECK(sl == n && memcmp(san, t, n) == 0);
	again = abp_utf8_sanitize_dup(san, (size_t)-1);
	FUZZ_CHECK(again != NULL && strcmp(again, san) == 0);
	s8 = abp_utf16_to_utf8_dup(w);
	FUZZ_CHECK(s8 != NULL && strcmp(s8, san) == 0);

	/* UTF-8 → 8-bit */
	n8 = abp_utf8_to_8bit(t, n, NULL, 0);
	FUZZ_CHECK(n8 == sl + 1);
	o8 = malloc(n8);
	FUZZ_CHECK(o8 != NULL);
	FUZZ_CHECK(abp_utf8_to_8bit(t, n, o8, n8) == n8);
	FUZZ_CHECK(memcmp(o8, san, n8) == 0);

	/* NUL-terminated input: the text before the first NUL, as if counted. */
	zl = strlen(tz);
	FUZZ_CHECK(abp_utf8_to_utf16(tz, (size_t)-1, NULL, 0) == abp_utf8_to_utf16(tz, zl, NULL, 0));
	FUZZ_CHECK(abp_utf8_to_8bit(tz, (size_t)-1, NULL, 0) == abp_utf8_to_8bit(tz, zl, NULL, 0));

	/* Too-small buffers (byte 0 picks how small). */
	if (n16 > 1)
		check_trunc16(t, n, w, n16, 1 + data[0] % (n16 - 1));
	if (n8 > 1)
		check_trunc8(t, n, san, n8, 1 + data[0] % (n8 - 1));

	check_bag(t, n, san);

	free(o8);
	free(s8);
	free(again);
	free(san);
	free(w);
	free(tz);
	free(t);
	return 0;
}
