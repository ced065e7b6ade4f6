/*
 * hostile_util.h - what the hostile-input tests (test_hostile_*.c) share: a
 * logon (provider_logon.h) against a slapd (the fixture or an instance of the
 * test's own), rows by restriction, and checks that strings the provider hands
 * out are well formed (UTF-16 without unpaired surrogates; 8-bit strings are
 * UTF-8 on Linux, props.h) and within the bag's caps.
 */
#ifndef LDAPAB_HOSTILE_UTIL_H
#define LDAPAB_HOSTILE_UTIL_H

#include "provider_logon.h"

#include <ldapab_host/mem.h>
#include <ldapab_host/props.h>

#include "props.h"
#include "slapd_env.h"

/* Logon to the fixture slapd as the reader. */
static inline void hlg_fixture(struct plg *g, ULONG n_extra, const SPropValue *extra)
{
	plg_logon(g, slapd_env("LDAPAB_TEST_LDAPI_URI"), slapd_env("LDAPAB_TEST_BASE"),
	          slapd_env("LDAPAB_TEST_BIND_DN"), slapd_env("LDAPAB_TEST_BIND_PW"), n_extra,
	          extra);
}

/* The entry ID (copied, free()) of the one row whose display name equals
 * name, found with a full-string content restriction. */
static inline BYTE *h_find_eid(IABContainer *c, const char *name, ULONG *cb, ULONG *objtype)
{
	LPMAPITABLE t = plg_contents(c, 0);
	LPSRowSet rs = NULL;
	SPropValue pv;
	SRestriction r;
	const SPropValue *id, *ot;
	BYTE *out;

	memset(&r, 0, sizeof(r));
	pv.ulPropTag = PR_DISPLAY_NAME_A;
	pv.Value.lpszA = (LPSTR)name;
	r.rt = RES_CONTENT;
	r.res.resContent.ulFuzzyLevel = FL_FULLSTRING | FL_IGNORECASE;
	r.res.resContent.ulPropTag = PR_DISPLAY_NAME_A;
	r.res.resContent.lpProp = &pv;
	assert_int_equal(t->lpVtbl->Restrict(t, &r, 0), S_OK);
	assert_int_equal(t->lpVtbl->QueryRows(t, 5, 0, &rs), S_OK);
	if (rs->cRows != 1)
		fail_msg("%u rows named \"%s\"", (unsigned)rs->cRows, name);
	id = plg_col(&rs->aRow[0], PR_ENTRYID);
	ot = plg_col(&rs->aRow[0], PR_OBJECT_TYPE);
	assert_non_null(id);
	assert_non_null(ot);
	out = malloc(id->Value.bin.cb);
	assert_non_null(out);
	memcpy(out, id->Value.bin.lpb, id->Value.bin.cb);
	*cb = id->Value.bin.cb;
	if (objtype != NULL)
		*objtype = (ULONG)ot->Value.l;
	plg_free_rows(rs);
	t->lpVtbl->Release(t);
	return out;
}

/* ---- well-formed strings ---- */

static inline bool h_utf16_ok(const WCHAR *w, size_t *units)
{
	size_t i;

	for (i = 0; w[i]; i++) {
		if (w[i] >= 0xD800 && w[i] <= 0xDBFF) {
			if (w[i + 1] < 0xDC00 || w[i + 1] > 0xDFFF)
				return false;
			i++;
		} else if (w[i] >= 0xDC00 && w[i] <= 0xDFFF) {
			return false;
		}
	}
	if (units != NULL)
		*units = i;
	return true;
}

/* Strict UTF-8 (no overlongs, surrogates or values past U+10FFFF). */
static inline bool h_utf8_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		unsigned n, cp, min;

		if (*p < 0x80) {
			p++;
			continue;
		} else if ((*p & 0xE0) == 0xC0) {
			n = 1; cp = *p & 0x1F; min = 0x80;
		} else if ((*p & 0xF0) == 0xE0) {
			n = 2; cp = *p & 0x0F; min = 0x800;
		} else if ((*p & 0xF8) == 0xF0) {
			n = 3; cp = *p & 0x07; min = 0x10000;
		} else {
			return false;
		}
		for (unsigned k = 1; k <= n; k++) {
			if ((p[k] & 0xC0) != 0x80)
				return false;
			cp = cp << 6 | (p[k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		p += n + 1;
	}
	return true;
}

/* Every string value well formed and within ABP_PROP_STR_MAX bytes of UTF-8
 * (at most that many UTF-16 units), every multi-valued property within
 * ABP_PROP_MV_MAX values and never empty (MU-4h, MU-6). */
static inline void h_check_values(ULONG n, const SPropValue *v)
{
	for (ULONG i = 0; i < n; i++) {
		size_t units = 0;

		switch (PROP_TYPE(v[i].ulPropTag)) {
		case PT_UNICODE:
			assert_true(h_utf16_ok(v[i].Value.lpszW, &units));
			assert_true(units <= ABP_PROP_STR_MAX);
			break;
		case PT_STRING8:
			assert_true(h_utf8_ok(v[i].Value.lpszA));
			assert_true(strlen(v[i].Value.lpszA) <= ABP_PROP_STR_MAX);
			break;
		case PT_MV_UNICODE:
			assert_true(v[i].Value.MVszW.cValues >= 1);
			assert_true(v[i].Value.MVszW.cValues <= ABP_PROP_MV_MAX);
			for (ULONG k = 0; k < v[i].Value.MVszW.cValues; k++)
				assert_true(h_utf16_ok(v[i].Value.MVszW.lppszW[k], NULL));
			break;
		case PT_MV_STRING8:
			assert_true(v[i].Value.MVszA.cValues >= 1);
			assert_true(v[i].Value.MVszA.cValues <= ABP_PROP_MV_MAX);
			for (ULONG k = 0; k < v[i].Value.MVszA.cValues; k++)
				assert_true(h_utf8_ok(v[i].Value.MVszA.lppszA[k]));
			break;
		case PT_BINARY:
			assert_true(v[i].Value.bin.cb <= ABP_PROP_BIN_MAX);
			break;
		default:
			break;
		}
	}
}

/* ---- an ADRLIST of display names ---- */

/* Entry i of a list allocated for more than one: aEntries is declared with
 * one element (MAPI_DIM), so a constant index past it is reached through a
 * pointer, which clang's -Warray-bounds accepts. */
static inline ADRENTRY *h_ent(LPADRLIST l, size_t i)
{
	return l->aEntries + i;
}

static inline ADRLIST *h_adrlist(ULONG n, const char *const *names)
{
	ADRLIST *list = NULL;

	assert_int_equal(host_MAPIAllocateBuffer((ULONG)CbNewADRLIST(n ? n : 1), (void **)&list),
	                 S_OK);
	list->cEntries = n;
	for (ULONG i = 0; i < n; i++) {
		SPropValue *v = NULL;
		size_t len = strlen(names[i]);

		assert_int_equal(host_MAPIAllocateBuffer(sizeof(SPropValue), (void **)&v), S_OK);
		memset(v, 0, sizeof(*v));
		v->ulPropTag = PR_DISPLAY_NAME_A;
		assert_int_equal(host_MAPIAllocateMore((ULONG)len + 1, v, (void **)&v->Value.lpszA),
		                 S_OK);
		memcpy(v->Value.lpszA, names[i], len + 1);
		list->aEntries[i].ulReserved1 = 0;
		list->aEntries[i].cValues = 1;
		list->aEntries[i].rgPropVals = v;
	}
	return list;
}

#endif /* LDAPAB_HOSTILE_UTIL_H */
