/*
 * restrict.c - MAPI restrictions: validation, translation into one LDAP
 * filter, evaluation in memory, and candidate ranking.  See restrict.h.
 */
#include "restrict.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ldapab/profile.h>

/* Context numbers for MAPIERROR.ulContext (restrict.c: 0x0C00..). */
enum {
	CTX_INVALID = 0x0C01,
	CTX_TOO_COMPLEX,
	CTX_NOMEM
};

#define TAG_W(t) CHANGE_PROP_TYPE(t, PT_UNICODE)

/* ------------------------------------------------------------------------ */
/* Names for messages                                                        */
/* ------------------------------------------------------------------------ */

static const char *rt_name(ULONG rt)
{
	static const char *const names[] = {
		"RES_AND", "RES_OR", "RES_NOT", "RES_CONTENT", "RES_PROPERTY",
		"RES_COMPAREPROPS", "RES_BITMASK", "RES_SIZE", "RES_EXIST",
		"RES_SUBRESTRICTION", "RES_COMMENT", "RES_COUNT", "RES_ANNOTATION"
	};

	return rt < sizeof(names) / sizeof(names[0]) ? names[rt] : "an unknown restriction type";
}

static const char *relop_name(ULONG relop)
{
	static const char *const names[] = {
		"RELOP_LT", "RELOP_LE", "RELOP_GT", "RELOP_GE", "RELOP_EQ", "RELOP_NE", "RELOP_RE"
	};

	return relop <= RELOP_RE ? names[relop] : "an unknown RELOP";
}

/* "PR_TITLE", or "property 0x3A17" for a tag without a name here. */
static void tag_text(ULONG tag, char *buf, size_t cap)
{
	static const struct {
		ULONG id;
		const char *name;
	} extra[] = {
		{ PROP_ID(PR_ANR_W), "PR_ANR" },
		{ PROP_ID(PR_DISPLAY_TYPE), "PR_DISPLAY_TYPE" },
		{ PROP_ID(PR_OBJECT_TYPE), "PR_OBJECT_TYPE" },
		{ PROP_ID(PR_ENTRYID), "PR_ENTRYID" },
		{ PROP_ID(PR_RECORD_KEY), "PR_RECORD_KEY" },
		{ PROP_ID(PR_SEARCH_KEY), "PR_SEARCH_KEY" },
		{ PROP_ID(PR_INSTANCE_KEY), "PR_INSTANCE_KEY" },
		{ PROP_ID(PR_ADDRTYPE_W), "PR_ADDRTYPE" },
		{ PROP_ID(PR_TRANSMITABLE_DISPLAY_NAME_W), "PR_TRANSMITABLE_DISPLAY_NAME" },
		{ PROP_ID(PR_SEND_RICH_INFO), "PR_SEND_RICH_INFO" },
		{ PROP_ID(PR_DISPLAY_NAME_W), "PR_DISPLAY_NAME" },
		{ PROP_ID(PR_GIVEN_NAME_W), "PR_GIVEN_NAME" },
		{ PROP_ID(PR_SURNAME_W), "PR_SURNAME" },
		{ PROP_ID(PR_EMAIL_ADDRESS_W), "PR_EMAIL_ADDRESS" },
		{ PROP_ID(PR_SMTP_ADDRESS_W), "PR_SMTP_ADDRESS" },
		{ PROP_ID(PR_ACCOUNT_W), "PR_ACCOUNT" },
		{ PROP_ID(PR_TITLE_W), "PR_TITLE" },
		{ PROP_ID(PR_DEPARTMENT_NAME_W), "PR_DEPARTMENT_NAME" },
		{ PROP_ID(PR_OFFICE_LOCATION_W), "PR_OFFICE_LOCATION" },
		{ PROP_ID(PR_COMPANY_NAME_W), "PR_COMPANY_NAME" },
		{ PROP_ID(PR_MANAGER_NAME_W), "PR_MANAGER_NAME" },
		{ PROP_ID(PR_EMS_AB_PROXY_ADDRESSES_W), "PR_EMS_AB_PROXY_ADDRESSES" },
	};
	const char *name = NULL;
	size_t i;

	for (i = 0; name == NULL && i < sizeof(extra) / sizeof(extra[0]); i++)
		if (extra[i].id == PROP_ID(tag))
			name = extra[i].name;
	if (name != NULL)
		snprintf(buf, cap, "%s", name);
	else
		snprintf(buf, cap, "property 0x%04X", (unsigned)PROP_ID(tag));
}

static bool is_string_type(ULONG t)
{
	return t == PT_STRING8 || t == PT_UNICODE;
}

static bool is_anr(ULONG tag)
{
	return PROP_ID(tag) == PROP_ID(PR_ANR_W);
}

/* ------------------------------------------------------------------------ */
/* Validation                                                                */
/* ------------------------------------------------------------------------ */

#define FL_KNOWN (FL_IGNORECASE | FL_IGNORENONSPACE | FL_LOOSE)

static HRESULT invalid(struct abp_lasterr *le, const char *why, ULONG rt)
{
	if (le == NULL)
		return MAPI_E_INVALID_PARAMETER;
	return abp_lasterr_set(le, MAPI_E_INVALID_PARAMETER, 0, CTX_INVALID,
	                       "The restriction is malformed: %s (in a %s part).", why,
	                       rt_name(rt));
}

/* A value fits its tag: same type, or both strings (_A and _W are one
 * property); string and binary pointers present. */
static HRESULT check_value(struct abp_lasterr *le, ULONG rt, ULONG tag, const SPropValue *v)
{
	ULONG tt = PROP_TYPE(tag) & ~(ULONG)MVI_FLAG, vt = PROP_TYPE(v->ulPropTag);

	if (!(tt == vt || (is_string_type(tt) && is_string_type(vt))))
		return invalid(le, "the value's type does not match the property's", rt);
	if ((vt == PT_STRING8 && v->Value.lpszA == NULL) ||
	    (vt == PT_UNICODE && v->Value.lpszW == NULL))
		return invalid(le, "a string value is NULL", rt);
	if (vt == PT_BINARY && v->Value.bin.cb > 0 && v->Value.bin.lpb == NULL)
		return invalid(le, "a binary value is NULL", rt);
	if (vt & MV_FLAG)
		return invalid(le, "the value is multi-valued", rt);
	return S_OK;
}

HRESULT abp_restrict_validate(const SRestriction *res, struct abp_lasterr *le)
{
	struct {
		const SRestriction *r;
		unsigned depth;
	} stack[ABP_RESTRICT_MAX_NODES];
	size_t top = 0, seen = 0;
	HRESULT hr;

	if (res == NULL)
		return invalid(le, "it is NULL", RES_AND);
	stack[top].r = res;
	stack[top].depth = 1;
	top++;
	while (top > 0) {
		const SRestriction *r = stack[--top].r;
		unsigned depth = stack[top].depth;
		const SRestriction *kids = NULL;
		ULONG n_kids = 0, i;

		if (++seen > ABP_RESTRICT_MAX_NODES)
			goto too_many;
		switch (r->rt) {
		case RES_AND:
		case RES_OR:
			n_kids = r->res.resAnd.cRes;
			kids = r->res.resAnd.lpRes;
			if (n_kids > 0 && kids == NULL)
				return invalid(le, "a list of sub-restrictions is NULL", r->rt);
			break;
		case RES_NOT:
			kids = r->res.resNot.lpRes;
			n_kids = 1;
			if (kids == NULL)
				return invalid(le, "the negated restriction is NULL", r->rt);
			break;
		case RES_CONTENT: {
			const SContentRestriction *c = &r->res.resContent;
			ULONG vt;

			if (c->lpProp == NULL)
				return invalid(le, "the value is NULL", r->rt);
			if ((c->ulFuzzyLevel & 0xFFFFu) > FL_PREFIX ||
			    (c->ulFuzzyLevel & ~(ULONG)(0xFFFFu | FL_KNOWN)))
				return invalid(le, "the fuzzy level is not one MAPI defines", r->rt);
			hr = check_value(le, r->rt, c->ulPropTag, c->lpProp);
			if (FAILED(hr))
				return hr;
			vt = PROP_TYPE(c->lpProp->ulPropTag);
			if (!is_string_type(vt) && vt != PT_BINARY)
				return invalid(le, "a text match needs a string or binary value", r->rt);
			break;
		}
		case RES_PROPERTY: {
			const SPropertyRestriction *p = &r->res.resProperty;

			if (p->lpProp == NULL)
				return invalid(le, "the value is NULL", r->rt);
			if (p->relop > RELOP_RE)
				return invalid(le, "the RELOP is not one MAPI defines", r->rt);
			hr = check_value(le, r->rt, p->ulPropTag, p->lpProp);
			if (FAILED(hr))
				return hr;
			break;
		}
		case RES_COMPAREPROPS:
			if (r->res.resCompareProps.relop > RELOP_RE)
				return invalid(le, "the RELOP is not one MAPI defines", r->rt);
			break;
		case RES_BITMASK:
			if (r->res.resBitMask.relBMR > BMR_NEZ)
				return invalid(le, "the bitmask relation is neither BMR_EQZ nor BMR_NEZ",
				               r->rt);
			break;
		case RES_SIZE:
			if (r->res.resSize.relop > RELOP_RE)
				return invalid(le, "the RELOP is not one MAPI defines", r->rt);
			break;
		case RES_EXIST:
			break;
		case RES_SUBRESTRICTION:
			kids = r->res.resSub.lpRes;
			n_kids = 1;
			if (kids == NULL)
				return invalid(le, "the sub-object restriction is NULL", r->rt);
			break;
		case RES_COMMENT:
		case RES_ANNOTATION:
			if (r->res.resComment.cValues > 0 && r->res.resComment.lpProp == NULL)
				return invalid(le, "the comment's values are NULL", r->rt);
			kids = r->res.resComment.lpRes;
			n_kids = kids != NULL ? 1 : 0;
			break;
		case RES_COUNT:
			kids = r->res.resCount.lpRes;
			n_kids = 1;
			if (kids == NULL)
				return invalid(le, "the counted restriction is NULL", r->rt);
			break;
		default:
			return invalid(le, "its type is not one MAPI defines", r->rt);
		}
		if (n_kids == 0)
			continue;
		if (depth + 1 > ABP_RESTRICT_MAX_DEPTH) {
			if (le != NULL)
				abp_lasterr_set(le, MAPI_E_TOO_COMPLEX, 0, CTX_TOO_COMPLEX,
				                "The restriction nests deeper than %d levels; "
				                "simplify the search.", ABP_RESTRICT_MAX_DEPTH);
			return MAPI_E_TOO_COMPLEX;
		}
		if (n_kids > ABP_RESTRICT_MAX_NODES - top)
			goto too_many;
		for (i = 0; i < n_kids; i++) {
			stack[top].r = &kids[i];
			stack[top].depth = depth + 1;
			top++;
		}
	}
	return S_OK;

too_many:
	if (le != NULL)
		abp_lasterr_set(le, MAPI_E_TOO_COMPLEX, 0, CTX_TOO_COMPLEX,
		                "The restriction has more than %d parts; simplify the search.",
		                ABP_RESTRICT_MAX_NODES);
	return MAPI_E_TOO_COMPLEX;
}

/* ------------------------------------------------------------------------ */
/* Strings: code points, simple case folding, comparisons                   */
/* ------------------------------------------------------------------------ */

/* Next code point of s (NUL-terminated UTF-8) at *pos; 0 at the end.
 * Invalid bytes read as U+FFFD, one byte each. */
static uint32_t next_cp(const char *s, size_t *pos)
{
	size_t left = strnlen(s + *pos, 4), n;
	uint32_t cp = 0;

	if (left == 0)
		return 0;
	n = lb_utf8_decode(s + *pos, left, &cp);
	*pos += n ? n : 1;
	return n ? cp : 0xFFFDu;
}

/* Simple one-to-one case folding for the scripts directory names commonly
 * use (Latin, Greek, Cyrillic, fullwidth Latin). */
static uint32_t fold_case(uint32_t c)
{
	if (c < 0x80)
		return (c >= 'A' && c <= 'Z') ? c + 32 : c;
	if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
		return c + 32;
	if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177))
		return c | 1u;
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
		return (c & 1u) ? c + 1 : c;
	if (c == 0x178)
		return 0xFF;
	if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2)
		return c + 32;
	if (c >= 0x410 && c <= 0x42F)
		return c + 32;
	if (c >= 0x400 && c <= 0x40F)
		return c + 80;
	if (c >= 0xFF21 && c <= 0xFF3A)
		return c + 32;
	return c;
}

/* Latin-1 letters with diacritics → their base letter (after fold_case). */
static uint32_t fold_nonspace(uint32_t c)
{
	static const char base[] = "aaaaaaaceeeeiiii" "dnooooo\0ouuuuy\0y";

	if (c >= 0xE0 && c <= 0xFF && base[c - 0xE0] != '\0')
		return (uint32_t)(unsigned char)base[c - 0xE0];
	return c;
}

enum { CMP_EXACT = 0, CMP_ICASE = 1, CMP_NONSPACE = 2 };

/* Next comparable code point; combining marks are skipped under NONSPACE. */
static uint32_t next_cmp(const char *s, size_t *pos, int mode)
{
	uint32_t c;

	do {
		c = next_cp(s, pos);
	} while ((mode & CMP_NONSPACE) && c >= 0x300 && c <= 0x36F);
	if (mode & (CMP_ICASE | CMP_NONSPACE))
		c = fold_case(c);
	if (mode & CMP_NONSPACE)
		c = fold_nonspace(c);
	return c;
}

/* strcmp-like order of a and b by (folded) code point. */
static int str_cmp(const char *a, const char *b, int mode)
{
	size_t pa = 0, pb = 0;

	for (;;) {
		uint32_t ca = next_cmp(a, &pa, mode), cb = next_cmp(b, &pb, mode);

		if (ca != cb)
			return ca < cb ? -1 : 1;
		if (ca == 0)
			return 0;
	}
}

/* Does s (from byte offset start) begin with prefix? */
static bool str_starts(const char *s, size_t start, const char *prefix, int mode)
{
	size_t ps = start, pp = 0;

	for (;;) {
		uint32_t cp = next_cmp(prefix, &pp, mode), cs;

		if (cp == 0)
			return true;
		cs = next_cmp(s, &ps, mode);
		if (cs != cp)
			return false;
	}
}

static bool str_contains(const char *s, const char *needle, int mode)
{
	size_t pos = 0;

	if (needle[0] == '\0')
		return true;
	while (s[pos] != '\0') {
		if (str_starts(s, pos, needle, mode))
			return true;
		(void)next_cp(s, &pos);
	}
	return false;
}

/* ------------------------------------------------------------------------ */
/* ANR words (CT-9), shared by the in-memory match and the rank             */
/* ------------------------------------------------------------------------ */

/* Whitespace as ldapbridge's ANR builder trims it (ASCII, U+00A0, U+3000):
 * its byte length at s, or 0. */
static size_t space_len(const char *s)
{
	unsigned char c = (unsigned char)s[0];

	if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f')
		return 1;
	if (c == 0xC2 && (unsigned char)s[1] == 0xA0)
		return 2;
	if (c == 0xE3 && (unsigned char)s[1] == 0x80 && (unsigned char)s[2] == 0x80)
		return 3;
	return 0;
}

struct span {
	const char *p;
	size_t n;
};

#define ANR_MAX_WORDS LB_ANR_MAX_WORDS

/* Split at whitespace runs and commas; false when there are more words
 * than ldapbridge accepts.  *n = 0 for blank input. */
static bool anr_words(const char *in, struct span *w, size_t *n)
{
	size_t i = 0, k = 0;

	while (in[i] != '\0') {
		size_t sl = space_len(in + i), start;

		if (sl > 0 || in[i] == ',') {
			i += sl > 0 ? sl : 1;
			continue;
		}
		start = i;
		while (in[i] != '\0' && in[i] != ',' && space_len(in + i) == 0)
			i++;
		if (k == ANR_MAX_WORDS)
			return false;
		w[k].p = in + start;
		w[k].n = i - start;
		k++;
	}
	*n = k;
	return true;
}

/* Copy of a span as a NUL-terminated string into buf (cap >= 1). */
static const char *span_str(struct span s, char *buf, size_t cap)
{
	size_t n = s.n < cap - 1 ? s.n : cap - 1;

	memcpy(buf, s.p, n);
	buf[n] = '\0';
	return buf;
}

/* The trimmed input as a span. */
static struct span trimmed(const char *in)
{
	struct span s = { in, strlen(in) };
	size_t sl;

	while (s.n > 0 && (sl = space_len(s.p)) > 0) {
		s.p += sl;
		s.n -= sl;
	}
	for (;;) {
		if (s.n >= 1 && space_len(s.p + s.n - 1) == 1)
			s.n -= 1;
		else if (s.n >= 2 && (unsigned char)s.p[s.n - 2] == 0xC2 &&
		         (unsigned char)s.p[s.n - 1] == 0xA0)
			s.n -= 2;
		else if (s.n >= 3 && (unsigned char)s.p[s.n - 3] == 0xE3 &&
		         (unsigned char)s.p[s.n - 2] == 0x80 && (unsigned char)s.p[s.n - 1] == 0x80)
			s.n -= 3;
		else
			break;
	}
	return s;
}

/* Does some space-separated word of value begin with word? */
static bool word_prefix_in(const char *value, const char *word)
{
	size_t pos = 0;
	bool at_start = true;

	while (value[pos] != '\0') {
		size_t sl = space_len(value + pos);

		if (sl > 0) {
			pos += sl;
			at_start = true;
			continue;
		}
		if (at_start && str_starts(value, pos, word, CMP_ICASE))
			return true;
		at_start = false;
		(void)next_cp(value, &pos);
	}
	return false;
}

/* String values of a row's property (single or multi-valued): up to cap. */
static size_t row_strings(const struct abp_props *row, ULONG tag, const char **out, size_t cap)
{
	const struct abp_prop *p = abp_props_find(row, tag);
	size_t i, k = 0;

	if (p == NULL)
		return 0;
	if (PROP_TYPE(p->tag) == PT_UNICODE) {
		if (cap > 0 && p->v.str != NULL)
			out[k++] = p->v.str;
	} else if (PROP_TYPE(p->tag) == PT_MV_UNICODE) {
		for (i = 0; i < p->v.mvstr.n && k < cap; i++)
			out[k++] = p->v.mvstr.v[i];
	}
	return k;
}

/* A proxy address "smtp:x" (any case) → x; other types → NULL. */
static const char *smtp_of(const char *proxy)
{
	return strncasecmp(proxy, "smtp:", 5) == 0 ? proxy + 5 : NULL;
}

/* Is input (trimmed, NUL-terminated) one of the row's addresses? */
static bool row_has_address(const struct abp_props *row, const char *input)
{
	const char *v[ABP_PROP_MV_MAX];
	size_t n, i;

	n = row_strings(row, TAG_W(PR_EMAIL_ADDRESS_W), v, 1);
	n += row_strings(row, TAG_W(PR_SMTP_ADDRESS_W), v + n, 1);
	for (i = 0; i < n; i++)
		if (str_cmp(v[i], input, CMP_ICASE) == 0)
			return true;
	n = row_strings(row, PR_EMS_AB_PROXY_ADDRESSES_W, v, ABP_PROP_MV_MAX);
	for (i = 0; i < n; i++) {
		const char *a = smtp_of(v[i]);

		if ((a != NULL && str_cmp(a, input, CMP_ICASE) == 0) ||
		    str_cmp(v[i], input, CMP_ICASE) == 0)
			return true;
	}
	return false;
}

/* The properties CT-9 matches word prefixes against. */
static const ULONG anr_prefix_tags[] = {
	PR_DISPLAY_NAME_W, PR_GIVEN_NAME_W, PR_SURNAME_W, PR_EMAIL_ADDRESS_W, PR_ACCOUNT_W
};

static bool anr_match(const struct abp_props *row, const char *input)
{
	struct span w[ANR_MAX_WORDS], t;
	char word[LB_ANR_MAX_INPUT_DEFAULT + 1], full[LB_ANR_MAX_INPUT_DEFAULT + 1];
	size_t n = 0, i, j;

	t = trimmed(input);
	if (t.n == 0 || t.n > LB_ANR_MAX_INPUT_DEFAULT)
		return false;
	if (row_has_address(row, span_str(t, full, sizeof(full))))
		return true;            /* an exact full address */
	if (!anr_words(full, w, &n) || n == 0)
		return false;
	for (i = 0; i < n; i++) {
		bool hit = false;

		span_str(w[i], word, sizeof(word));
		for (j = 0; j < sizeof(anr_prefix_tags) / sizeof(anr_prefix_tags[0]) && !hit; j++) {
			const char *v = NULL;

			if (row_strings(row, anr_prefix_tags[j], &v, 1) == 1)
				hit = str_starts(v, 0, word, CMP_ICASE) ||
				      (j == 0 && word_prefix_in(v, word));
		}
		if (!hit)
			return false;
	}
	return true;
}

enum abp_rank abp_restrict_rank(const struct abp_props *row, const char *input)
{
	char full[LB_ANR_MAX_INPUT_DEFAULT + 1];
	const char *v[ABP_PROP_MV_MAX];
	struct span t;
	size_t n, i;

	if (row == NULL || input == NULL)
		return ABP_RANK_SUBSTRING;
	t = trimmed(input);
	if (t.n == 0 || t.n > LB_ANR_MAX_INPUT_DEFAULT)
		return ABP_RANK_SUBSTRING;
	span_str(t, full, sizeof(full));
	n = row_strings(row, TAG_W(PR_DISPLAY_NAME_W), v, 1);
	if ((n == 1 && str_cmp(v[0], full, CMP_ICASE) == 0) || row_has_address(row, full))
		return ABP_RANK_EXACT;
	n = row_strings(row, TAG_W(PR_DISPLAY_NAME_W), v, 1);
	n += row_strings(row, TAG_W(PR_EMAIL_ADDRESS_W), v + n, 1);
	n += row_strings(row, TAG_W(PR_ACCOUNT_W), v + n, 1);
	for (i = 0; i < n; i++)
		if (str_starts(v[i], 0, full, CMP_ICASE))
			return ABP_RANK_PREFIX;
	return ABP_RANK_SUBSTRING;
}

/* ------------------------------------------------------------------------ */
/* In-memory evaluation                                                      */
/* ------------------------------------------------------------------------ */

static bool relop_holds(ULONG relop, int c)
{
	switch (relop) {
	case RELOP_LT: return c < 0;
	case RELOP_LE: return c <= 0;
	case RELOP_GT: return c > 0;
	case RELOP_GE: return c >= 0;
	case RELOP_EQ: return c == 0;
	case RELOP_NE: return c != 0;
	default: return false;
	}
}

static int bin_cmp(const uint8_t *a, size_t na, const uint8_t *b, size_t nb)
{
	size_t n = na < nb ? na : nb;
	int c = n > 0 ? memcmp(a, b, n) : 0;

	if (c != 0)
		return c < 0 ? -1 : 1;
	return na == nb ? 0 : (na < nb ? -1 : 1);
}

static int fuzzy_mode(ULONG fuzzy)
{
	int mode = CMP_EXACT;

	if (fuzzy & (FL_IGNORECASE | FL_LOOSE))
		mode |= CMP_ICASE;
	if (fuzzy & (FL_IGNORENONSPACE | FL_LOOSE))
		mode |= CMP_NONSPACE;
	return mode;
}

static bool content_str(const char *v, const char *want, ULONG fuzzy)
{
	int mode = fuzzy_mode(fuzzy);

	switch (fuzzy & 0xFFFFu) {
	case FL_FULLSTRING: return str_cmp(v, want, mode) == 0;
	case FL_PREFIX: return str_starts(v, 0, want, mode);
	default: return str_contains(v, want, mode);
	}
}

static bool content_bin(const uint8_t *v, size_t nv, const SBinary *want, ULONG fuzzy)
{
	size_t i;

	switch (fuzzy & 0xFFFFu) {
	case FL_FULLSTRING:
		return bin_cmp(v, nv, want->lpb, want->cb) == 0;
	case FL_PREFIX:
		return nv >= want->cb && (want->cb == 0 || memcmp(v, want->lpb, want->cb) == 0);
	default:
		if (want->cb == 0)
			return true;
		for (i = 0; i + want->cb <= nv; i++)
			if (memcmp(v + i, want->lpb, want->cb) == 0)
				return true;
		return false;
	}
}

static bool match_content(const SContentRestriction *c, const struct abp_props *row)
{
	const struct abp_prop *p = abp_props_find(row, c->ulPropTag);
	ULONG vt = PROP_TYPE(c->lpProp->ulPropTag);
	bool hit = false;
	size_t i;

	if (p == NULL)
		return false;
	if (is_string_type(vt)) {
		char *want = abp_propval_utf8_dup(c->lpProp);

		if (want == NULL)
			return false;
		if (PROP_TYPE(p->tag) == PT_UNICODE)
			hit = content_str(p->v.str, want, c->ulFuzzyLevel);
		else if (PROP_TYPE(p->tag) == PT_MV_UNICODE)
			for (i = 0; i < p->v.mvstr.n && !hit; i++)
				hit = content_str(p->v.mvstr.v[i], want, c->ulFuzzyLevel);
		free(want);
		return hit;
	}
	if (PROP_TYPE(p->tag) == PT_BINARY)
		return content_bin(p->v.bin.lpb, p->v.bin.cb, &c->lpProp->Value.bin, c->ulFuzzyLevel);
	if (PROP_TYPE(p->tag) == PT_MV_BINARY)
		for (i = 0; i < p->v.mvbin.n && !hit; i++)
			hit = content_bin(p->v.mvbin.lpb[i], p->v.mvbin.cb[i], &c->lpProp->Value.bin,
			                  c->ulFuzzyLevel);
	return hit;
}

static bool match_property(const SPropertyRestriction *r, const struct abp_props *row)
{
	const struct abp_prop *p;
	const SPropValue *want = r->lpProp;
	ULONG vt = PROP_TYPE(want->ulPropTag), pt;
	bool hit = false;
	size_t i;

	if (is_anr(r->ulPropTag)) {
		char *in;

		if (r->relop != RELOP_EQ || !is_string_type(vt))
			return false;
		in = abp_propval_utf8_dup(want);
		hit = in != NULL && anr_match(row, in);
		free(in);
		return hit;
	}
	p = abp_props_find(row, r->ulPropTag);
	if (p == NULL || r->relop == RELOP_RE)
		return false;
	pt = PROP_TYPE(p->tag);
	if (is_string_type(vt)) {
		char *w = abp_propval_utf8_dup(want);

		if (w == NULL)
			return false;
		if (pt == PT_UNICODE)
			hit = relop_holds(r->relop, str_cmp(p->v.str, w, CMP_ICASE));
		else if (pt == PT_MV_UNICODE)
			for (i = 0; i < p->v.mvstr.n && !hit; i++)
				hit = relop_holds(r->relop, str_cmp(p->v.mvstr.v[i], w, CMP_ICASE));
		free(w);
		return hit;
	}
	switch (vt) {
	case PT_LONG:
		if (pt != PT_LONG)
			return false;
		return relop_holds(r->relop, p->v.l < want->Value.l ? -1 : p->v.l > want->Value.l);
	case PT_BOOLEAN:
		if (pt != PT_BOOLEAN)
			return false;
		return relop_holds(r->relop, (int)(p->v.b != 0) - (int)(want->Value.b != 0));
	case PT_BINARY:
		if (pt == PT_BINARY)
			return relop_holds(r->relop, bin_cmp(p->v.bin.lpb, p->v.bin.cb,
			                                     want->Value.bin.lpb, want->Value.bin.cb));
		if (pt == PT_MV_BINARY)
			for (i = 0; i < p->v.mvbin.n && !hit; i++)
				hit = relop_holds(r->relop,
				                  bin_cmp(p->v.mvbin.lpb[i], p->v.mvbin.cb[i],
				                          want->Value.bin.lpb, want->Value.bin.cb));
		return hit;
	default:
		return false;
	}
}

/* Evaluation is recursive: validation bounds the depth. */
static bool match(const SRestriction *r, const struct abp_props *row)
{
	const struct abp_prop *p;
	ULONG i;

	switch (r->rt) {
	case RES_AND:
		for (i = 0; i < r->res.resAnd.cRes; i++)
			if (!match(&r->res.resAnd.lpRes[i], row))
				return false;
		return true;
	case RES_OR:
		for (i = 0; i < r->res.resOr.cRes; i++)
			if (match(&r->res.resOr.lpRes[i], row))
				return true;
		return false;
	case RES_NOT:
		return !match(r->res.resNot.lpRes, row);
	case RES_CONTENT:
		return match_content(&r->res.resContent, row);
	case RES_PROPERTY:
		return match_property(&r->res.resProperty, row);
	case RES_BITMASK:
		p = abp_props_find(row, r->res.resBitMask.ulPropTag);
		if (p == NULL || PROP_TYPE(p->tag) != PT_LONG)
			return false;
		return (((ULONG)p->v.l & r->res.resBitMask.ulMask) == 0) ==
		       (r->res.resBitMask.relBMR == BMR_EQZ);
	case RES_EXIST:
		return abp_props_find(row, r->res.resExist.ulPropTag) != NULL;
	default:
		return false;
	}
}

bool abp_restrict_match(const SRestriction *res, const struct abp_props *row)
{
	if (res == NULL || row == NULL)
		return false;
	return match(res, row);
}

/* ------------------------------------------------------------------------ */
/* Translation into an LDAP filter                                           */
/* ------------------------------------------------------------------------ */

struct xl {
	const struct abp_attrmap *map;
	unsigned flags;
	struct abp_lasterr *le;
};

static HRESULT too_complex(struct xl *x, const char *fmt, ...) ABP_PRINTF(2, 3);

static HRESULT too_complex(struct xl *x, const char *fmt, ...)
{
	char msg[ABP_MSG_MAX - 96];
	va_list ap;

	if (x->le == NULL)
		return MAPI_E_TOO_COMPLEX;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return abp_lasterr_set(x->le, MAPI_E_TOO_COMPLEX, 0, CTX_TOO_COMPLEX,
	                       "The directory server cannot do this search: %s", msg);
}

/* An ldapbridge failure while building part: memory, or a limit (value
 * too long, too many nodes, too deep) that makes the search too complex. */
static HRESULT lb_fail(struct xl *x, lb_err rc, const struct lb_error *err, const char *part)
{
	if (rc == LB_E_NOMEM)
		return MAPI_E_NOT_ENOUGH_MEMORY;
	return too_complex(x, "%s (%s).", part, err->message[0] ? err->message : lb_err_name(rc));
}

/* Builders that hand a node to *out; NULL inputs mean an earlier failure. */
static lb_err mk_list(lb_filter_list_op op, lb_filter **kids, size_t n, lb_filter **out,
                      struct lb_error *err)
{
	lb_filter *l = NULL;
	size_t i = 0;
	lb_err rc;

	if (n == 1) {
		*out = kids[0];
		kids[0] = NULL;
		return LB_OK;
	}
	rc = lb_filter_list(op, &l, err);
	for (; rc == LB_OK && i < n; i++) {
		rc = lb_filter_add(l, kids[i], err);
		kids[i] = NULL;         /* consumed either way */
	}
	for (; i < n; i++) {
		lb_filter_free(kids[i]);
		kids[i] = NULL;
	}
	if (rc != LB_OK) {
		lb_filter_free(l);
		return rc;
	}
	*out = l;
	return LB_OK;
}

static lb_err mk_true(lb_filter **out, struct lb_error *err)
{
	return lb_filter_present("objectClass", out, err);
}

static lb_err mk_false(lb_filter **out, struct lb_error *err)
{
	lb_filter *t = NULL;
	lb_err rc = mk_true(&t, err);

	return rc == LB_OK ? lb_filter_not(t, out, err) : rc;
}

static lb_err mk_oc_any(const char *const *names, size_t n, lb_filter **out, struct lb_error *err)
{
	lb_filter *kids[8] = { NULL };
	size_t i;
	lb_err rc = LB_OK;

	for (i = 0; i < n && rc == LB_OK; i++)
		rc = lb_filter_eq("objectClass", names[i], LB_NTS, &kids[i], err);
	if (rc != LB_OK) {
		for (i = 0; i < n; i++)
			lb_filter_free(kids[i]);
		return rc;
	}
	return mk_list(LB_FILTER_OR, kids, n, out, err);
}

/*
 * The object classes abp_attrmap_classify() reads - a group is any of its
 * group classes, a person any of its person classes and neither a group
 * nor a computer - limited to the classes the schema defines: a server
 * evaluates (objectClass=<a class it does not know>) as Undefined, and
 * Undefined under a NOT drops the entry, so naming "computer" to OpenLDAP
 * would hide every person.
 */
struct class_names {
	const char *const *names;
	size_t n;
};

static const char *const iop_groups[] = { "groupOfNames", "groupOfUniqueNames" };
static const char *const iop_persons[] = { "person", "organizationalPerson", "inetOrgPerson" };
static const char *const ad_groups[] = { "group", "groupOfNames", "groupOfUniqueNames" };
static const char *const ad_persons[] = {
	"person", "organizationalPerson", "inetOrgPerson", "user"
};
static const char *const ad_not_persons[] = {
	"computer", "group", "groupOfNames", "groupOfUniqueNames"
};

#define NAMES(a) { a, sizeof(a) / sizeof(a[0]) }

static void classes_of(const struct abp_attrmap *map, struct class_names *groups,
                       struct class_names *persons, struct class_names *not_persons)
{
	static const struct class_names ig = NAMES(iop_groups), ip = NAMES(iop_persons);
	static const struct class_names ag = NAMES(ad_groups), ap = NAMES(ad_persons);
	static const struct class_names an = NAMES(ad_not_persons);
	bool ad = map->schema == LDAPAB_SCHEMA_ACTIVE_DIRECTORY;

	*groups = ad ? ag : ig;
	*persons = ad ? ap : ip;
	*not_persons = ad ? an : ig;
}

static lb_err mk_group(const struct abp_attrmap *map, lb_filter **out, struct lb_error *err)
{
	struct class_names g, p, np;

	classes_of(map, &g, &p, &np);
	return mk_oc_any(g.names, g.n, out, err);
}

static lb_err mk_person(const struct abp_attrmap *map, lb_filter **out, struct lb_error *err)
{
	lb_filter *kids[2] = { NULL, NULL }, *other = NULL;
	struct class_names g, p, np;
	lb_err rc;

	classes_of(map, &g, &p, &np);
	rc = mk_oc_any(p.names, p.n, &kids[0], err);
	if (rc == LB_OK)
		rc = mk_oc_any(np.names, np.n, &other, err);
	if (rc == LB_OK)
		rc = lb_filter_not(other, &kids[1], err);
	if (rc != LB_OK) {
		lb_filter_free(kids[0]);
		return rc;
	}
	return mk_list(LB_FILTER_AND, kids, 2, out, err);
}

/* Properties whose value follows from the row's class alone. */
static bool is_class_constant(ULONG tag)
{
	ULONG id = PROP_ID(tag);

	return id == PROP_ID(PR_DISPLAY_TYPE) || id == PROP_ID(PR_OBJECT_TYPE) ||
	       id == PROP_ID(PR_SEND_RICH_INFO);
}

/* Properties every row has (RES_EXIST is true). */
static bool is_always_present(ULONG tag)
{
	static const ULONG ids[] = {
		PROP_ID(PR_DISPLAY_NAME_W), PROP_ID(PR_TRANSMITABLE_DISPLAY_NAME_W),
		PROP_ID(PR_ENTRYID), PROP_ID(PR_RECORD_KEY), PROP_ID(PR_SEARCH_KEY),
		PROP_ID(PR_INSTANCE_KEY), PROP_ID(PR_DISPLAY_TYPE), PROP_ID(PR_OBJECT_TYPE),
		PROP_ID(PR_SEND_RICH_INFO)
	};
	size_t i;

	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		if (ids[i] == PROP_ID(tag))
			return true;
	return false;
}

/* A leaf on a class-constant property: evaluate it for a person and for a
 * group, and select those classes. */
static HRESULT xl_class_leaf(struct xl *x, const SRestriction *r, lb_filter **out)
{
	struct abp_prop person[3], group[3];
	struct abp_props pb = { 3, 3, person }, gb = { 3, 3, group };
	struct lb_error err;
	bool mp, mg;
	lb_err rc;

	memset(person, 0, sizeof(person));
	memset(group, 0, sizeof(group));
	person[0].tag = PR_DISPLAY_TYPE;
	person[0].v.l = (LONG)DT_MAILUSER;
	person[1].tag = PR_OBJECT_TYPE;
	person[1].v.l = (LONG)MAPI_MAILUSER;
	person[2].tag = PR_SEND_RICH_INFO;
	person[2].v.b = false;
	group[0].tag = PR_DISPLAY_TYPE;
	group[0].v.l = (LONG)DT_DISTLIST;
	group[1].tag = PR_OBJECT_TYPE;
	group[1].v.l = (LONG)MAPI_DISTLIST;
	group[2].tag = PR_SEND_RICH_INFO;
	group[2].v.b = false;
	mp = match(r, &pb);
	mg = match(r, &gb);
	lb_error_clear(&err);
	if (mp && mg)
		rc = mk_true(out, &err);
	else if (mp)
		rc = mk_person(x->map, out, &err);
	else if (mg)
		rc = mk_group(x->map, out, &err);
	else
		rc = mk_false(out, &err);
	return rc == LB_OK ? S_OK : lb_fail(x, rc, &err, "the object class filter");
}

/* How a leaf compares one attribute. */
enum leaf_op {
	OP_EQ, OP_NE, OP_GE, OP_LE, OP_GT, OP_LT, OP_PREFIX, OP_SUBSTR, OP_EXIST
};

/* The node for one attribute a: "a holds a value and it satisfies op". */
static lb_err attr_node(const char *a, enum leaf_op op, const char *v, lb_filter **out,
                        struct lb_error *err)
{
	lb_filter *kids[2] = { NULL, NULL }, *cmp = NULL;
	lb_err rc;

	switch (op) {
	case OP_EQ: return lb_filter_eq(a, v, LB_NTS, out, err);
	case OP_GE: return lb_filter_cmp(LB_FILTER_GE, a, v, LB_NTS, out, err);
	case OP_LE: return lb_filter_cmp(LB_FILTER_LE, a, v, LB_NTS, out, err);
	case OP_PREFIX: return lb_filter_prefix(a, v, LB_NTS, out, err);
	case OP_SUBSTR: return lb_filter_contains(a, v, LB_NTS, out, err);
	case OP_EXIST: return lb_filter_present(a, out, err);
	case OP_NE: rc = lb_filter_eq(a, v, LB_NTS, &cmp, err); break;
	case OP_GT: rc = lb_filter_cmp(LB_FILTER_LE, a, v, LB_NTS, &cmp, err); break;
	case OP_LT: rc = lb_filter_cmp(LB_FILTER_GE, a, v, LB_NTS, &cmp, err); break;
	default: return LB_E_INVALID;
	}
	/* NE / GT / LT: present and not (EQ / LE / GE). */
	if (rc == LB_OK)
		rc = lb_filter_not(cmp, &kids[1], err);
	if (rc == LB_OK)
		rc = lb_filter_present(a, &kids[0], err);
	if (rc != LB_OK) {
		lb_filter_free(kids[1]);
		return rc;
	}
	return mk_list(LB_FILTER_AND, kids, 2, out, err);
}

/* A leaf over a mapped property's source chain: the first source with a
 * value is the property, so source i counts only when 0..i-1 are absent:
 * (|N(a1)(&(!(a1=*))N(a2))...). */
static HRESULT xl_chain(struct xl *x, const struct abp_attrmap_item *item, enum leaf_op op,
                        const char *v, const char *part, lb_filter **out)
{
	lb_filter *alts[ABP_ATTRMAP_MAX_SRC] = { NULL };
	struct lb_error err;
	size_t i, j;
	lb_err rc = LB_OK;

	lb_error_clear(&err);
	for (i = 0; i < item->n_src && rc == LB_OK; i++) {
		lb_filter *kids[ABP_ATTRMAP_MAX_SRC + 1] = { NULL };
		size_t k = 0;

		/* EXIST needs no "earlier ones absent": any source will do. */
		for (j = 0; op != OP_EXIST && j < i && rc == LB_OK; j++) {
			lb_filter *pres = NULL;

			rc = lb_filter_present(item->src[j].attr, &pres, &err);
			if (rc == LB_OK)
				rc = lb_filter_not(pres, &kids[k++], &err);
		}
		if (rc == LB_OK)
			rc = attr_node(item->src[i].attr, op, v, &kids[k++], &err);
		if (rc == LB_OK)
			rc = mk_list(LB_FILTER_AND, kids, k, &alts[i], &err);
		else
			for (j = 0; j < k; j++)
				lb_filter_free(kids[j]);
	}
	if (rc == LB_OK)
		rc = mk_list(LB_FILTER_OR, alts, item->n_src, out, &err);
	else
		for (i = 0; i < item->n_src; i++)
			lb_filter_free(alts[i]);
	return rc == LB_OK ? S_OK : lb_fail(x, rc, &err, part);
}

/* The map's row for a string property the filter can test, or why not. */
static HRESULT mapped_item(struct xl *x, ULONG tag, bool exist_only, const char *part,
                           const struct abp_attrmap_item **out)
{
	const struct abp_attrmap_item *item;
	char name[64];
	size_t i;

	*out = NULL;
	/* PR_TRANSMITABLE_DISPLAY_NAME is the display name (directory.c). */
	if (PROP_ID(tag) == PROP_ID(PR_TRANSMITABLE_DISPLAY_NAME_W))
		tag = PR_DISPLAY_NAME_W;
	tag_text(tag, name, sizeof(name));
	item = abp_attrmap_find(x->map, tag);
	if (item == NULL)
		return too_complex(x, "%s names %s, which is not read from directory "
		                   "attributes.", part, name);
	if (item->n_src == 0)
		return S_OK;            /* unmapped by the profile: no row has it */
	if (!exist_only && PROP_TYPE(item->tag) != PT_UNICODE)
		return too_complex(x, "%s compares %s, which has several values; only "
		                   "RES_EXIST can test it.", part, name);
	if (!exist_only && (PROP_TYPE(tag) & MV_FLAG))
		return too_complex(x, "%s uses a multi-valued tag for %s.", part, name);
	for (i = 0; i < item->n_src; i++) {
		enum abp_attr_conv c = item->src[i].conv;

		if (c == ABP_CONV_FIRST || c == ABP_CONV_ALL ||
		    (exist_only && c == ABP_CONV_PROXY_FROM_MAIL))
			continue;
		return too_complex(x, "%s tests %s, whose value is converted from the "
		                   "attribute %s and cannot be matched by a filter.", part, name,
		                   item->src[i].attr);
	}
	*out = item;
	return S_OK;
}

static HRESULT xl_exist(struct xl *x, ULONG tag, lb_filter **out)
{
	const struct abp_attrmap_item *item = NULL;
	struct lb_error err;
	lb_err rc;
	HRESULT hr;

	lb_error_clear(&err);
	if (is_always_present(tag)) {
		rc = mk_true(out, &err);
		return rc == LB_OK ? S_OK : lb_fail(x, rc, &err, "RES_EXIST");
	}
	if (PROP_ID(tag) == PROP_ID(PR_ADDRTYPE_W)) {
		/* A group always has one; a person when it has an address. */
		lb_filter *kids[2] = { NULL, NULL };

		hr = xl_exist(x, PR_EMAIL_ADDRESS_W, &kids[1]);
		if (FAILED(hr))
			return hr;
		rc = mk_group(x->map, &kids[0], &err);
		if (rc == LB_OK)
			rc = mk_list(LB_FILTER_OR, kids, 2, out, &err);
		else
			lb_filter_free(kids[1]);
		return rc == LB_OK ? S_OK : lb_fail(x, rc, &err, "RES_EXIST on PR_ADDRTYPE");
	}
	hr = mapped_item(x, tag, true, "RES_EXIST", &item);
	if (FAILED(hr))
		return hr;
	if (item == NULL) {
		rc = mk_false(out, &err);
		return rc == LB_OK ? S_OK : lb_fail(x, rc, &err, "RES_EXIST");
	}
	return xl_chain(x, item, OP_EXIST, NULL, "RES_EXIST", out);
}

/* True when s holds nothing but ANR separators (whitespace, commas). */
static bool anr_blank(const char *s)
{
	size_t i = 0, sl;

	while (s[i] != '\0') {
		if ((sl = space_len(s + i)) > 0)
			i += sl;
		else if (s[i] == ',')
			i++;
		else
			return false;
	}
	return true;
}

/* Up to n distinct FIRST/ALL source attributes of the map's tag. */
static size_t map_attrs(const struct abp_attrmap *map, ULONG tag, const char **out, size_t have,
                        size_t cap)
{
	const struct abp_attrmap_item *item = abp_attrmap_find(map, tag);
	size_t i, j;

	for (i = 0; item != NULL && i < item->n_src && have < cap; i++) {
		bool dup = false;

		if (item->src[i].conv != ABP_CONV_FIRST && item->src[i].conv != ABP_CONV_ALL)
			continue;
		for (j = 0; j < have && !dup; j++)
			dup = strcasecmp(out[j], item->src[i].attr) == 0;
		if (!dup)
			out[have++] = item->src[i].attr;
	}
	return have;
}

/* What AD's anr leaves out (CT-9): "Last, First" as (&(sn=Last*)(givenName=First*))
 * and a full address in proxyAddresses.  Adds up to two nodes to kids. */
static lb_err ad_extras(const char *in, lb_filter **kids, size_t *n, struct lb_error *err)
{
	char text[LB_ANR_MAX_INPUT_DEFAULT + 1], last[LB_ANR_MAX_INPUT_DEFAULT + 1];
	char first[LB_ANR_MAX_INPUT_DEFAULT + 1], addr[LB_ANR_MAX_INPUT_DEFAULT + 6];
	const char *comma;
	lb_err rc = LB_OK;

	span_str(trimmed(in), text, sizeof(text));
	comma = strchr(text, ',');
	if (comma != NULL && strchr(comma + 1, ',') == NULL) {
		struct span l = { text, (size_t)(comma - text) };

		span_str(l, last, sizeof(last));
		span_str(trimmed(last), last, sizeof(last));
		span_str(trimmed(comma + 1), first, sizeof(first));
		if (last[0] != '\0' && first[0] != '\0') {
			lb_filter *pair[2] = { NULL, NULL };

			rc = lb_filter_prefix("sn", last, LB_NTS, &pair[0], err);
			if (rc == LB_OK)
				rc = lb_filter_prefix("givenName", first, LB_NTS, &pair[1], err);
			if (rc == LB_OK)
				rc = mk_list(LB_FILTER_AND, pair, 2, &kids[(*n)++], err);
			else
				lb_filter_free(pair[0]);
		}
	}
	if (rc == LB_OK && strchr(text, '@') != NULL && strpbrk(text, " \t,") == NULL) {
		snprintf(addr, sizeof(addr), "smtp:%s", text);
		rc = lb_filter_eq("proxyAddresses", addr, LB_NTS, &kids[(*n)++], err);
	}
	return rc;
}

/* The emulated ANR's attributes from the attribute map (overrides count). */
struct anr_attrs {
	const char *prefix[16], *words[ABP_ATTRMAP_MAX_SRC], *given[1], *surname[1];
	size_t n_prefix, n_words;
};

static void anr_attrs_of(const struct abp_attrmap *map, struct anr_attrs *a,
                         struct lb_anr_config *cfg)
{
	a->n_words = map_attrs(map, PR_DISPLAY_NAME_W, a->words, 0, ABP_ATTRMAP_MAX_SRC);
	a->n_prefix = map_attrs(map, PR_DISPLAY_NAME_W, a->prefix, 0, 16);
	a->n_prefix = map_attrs(map, PR_GIVEN_NAME_W, a->prefix, a->n_prefix, 16);
	a->n_prefix = map_attrs(map, PR_SURNAME_W, a->prefix, a->n_prefix, 16);
	a->n_prefix = map_attrs(map, PR_EMAIL_ADDRESS_W, a->prefix, a->n_prefix, 16);
	a->n_prefix = map_attrs(map, PR_ACCOUNT_W, a->prefix, a->n_prefix, 16);
	cfg->prefix_attrs = a->prefix;
	cfg->n_prefix_attrs = a->n_prefix;
	/* NULL would mean ldapbridge's defaults: an empty list is "none". */
	cfg->word_attrs = a->words;
	cfg->n_word_attrs = a->n_words;
	if (map_attrs(map, PR_GIVEN_NAME_W, a->given, 0, 1) == 1)
		cfg->given_name_attr = a->given[0];
	if (map_attrs(map, PR_SURNAME_W, a->surname, 0, 1) == 1)
		cfg->surname_attr = a->surname[0];
}

static HRESULT xl_anr(struct xl *x, const SPropertyRestriction *p, lb_filter **out)
{
	struct anr_attrs attrs;
	struct lb_anr_config cfg;
	struct lb_error err;
	lb_filter *kids[3] = { NULL, NULL, NULL };
	size_t n = 0, i;
	char *in = NULL;
	lb_err rc = LB_OK;
	HRESULT hr = S_OK;

	lb_error_clear(&err);
	if (p->relop != RELOP_EQ)
		return too_complex(x, "PR_ANR is a name search and takes RELOP_EQ, not %s.",
		                   relop_name(p->relop));
	if (PROP_TYPE(p->lpProp->ulPropTag) != PT_STRING8 &&
	    PROP_TYPE(p->lpProp->ulPropTag) != PT_UNICODE)
		return too_complex(x, "PR_ANR is a name search and takes a string (PT_STRING8 or "
		                   "PT_UNICODE), not property type 0x%04X.",
		                   (unsigned)PROP_TYPE(p->lpProp->ulPropTag));
	in = abp_propval_utf8_dup(p->lpProp);
	if (in == NULL)
		return MAPI_E_NOT_ENOUGH_MEMORY;
	if (anr_blank(in)) {
		rc = mk_false(out, &err);       /* CT-9: blank matches nothing */
		goto done;
	}
	memset(&cfg, 0, sizeof(cfg));
	if (x->flags & ABP_RESTRICT_NATIVE_ANR) {
		cfg.active_directory = true;
		cfg.base_filter = "";           /* the container's filter is ANDed outside */
	} else {
		anr_attrs_of(x->map, &attrs, &cfg);
		if (attrs.n_prefix == 0) {
			hr = too_complex(x, "PR_ANR needs the name and address properties mapped to "
			                 "attributes, and the profile's attribute map unmaps them.");
			goto done;
		}
	}
	rc = lb_anr_build(&cfg, in, &kids[n], &err);
	if (rc == LB_E_INVALID) {
		hr = too_complex(x, "the name to search for is longer than %d bytes or has more "
		                 "than %d words; shorten it.", LB_ANR_MAX_INPUT_DEFAULT,
		                 LB_ANR_MAX_WORDS);
		goto done;
	}
	if (rc == LB_OK) {
		n++;
		if (x->flags & ABP_RESTRICT_NATIVE_ANR)
			rc = ad_extras(in, kids, &n, &err);
	}
	if (rc == LB_OK)
		rc = mk_list(LB_FILTER_OR, kids, n, out, &err);
done:
	if (SUCCEEDED(hr) && rc != LB_OK)
		hr = lb_fail(x, rc, &err, "the PR_ANR name search");
	for (i = 0; i < 3; i++)
		lb_filter_free(kids[i]);
	free(in);
	return hr;
}

static const char *fuzzy_text(ULONG fuzzy)
{
	switch (fuzzy & 0xFFFFu) {
	case FL_FULLSTRING: return "full-string";
	case FL_PREFIX: return "prefix";
	default: return "substring";
	}
}

/* A leaf on the mapped string property tag compared with val: op over the
 * property's attribute chain.  An unmapped property matches nothing; an
 * empty value (no bag holds an empty string) matches every row that has the
 * property when empty_all, else none. */
static HRESULT xl_string_leaf(struct xl *x, ULONG tag, const SPropValue *val, enum leaf_op op,
                              bool empty_all, const char *part, lb_filter **out)
{
	const struct abp_attrmap_item *item = NULL;
	struct lb_error err;
	char *v;
	lb_err rc = LB_OK;
	HRESULT hr;

	lb_error_clear(&err);
	hr = mapped_item(x, tag, false, part, &item);
	if (FAILED(hr))
		return hr;
	v = abp_propval_utf8_dup(val);
	if (v == NULL)
		return MAPI_E_NOT_ENOUGH_MEMORY;
	if (item == NULL || (v[0] == '\0' && !empty_all))
		rc = mk_false(out, &err);
	else
		hr = xl_chain(x, item, v[0] == '\0' ? OP_EXIST : op, v[0] == '\0' ? NULL : v, part,
		              out);
	free(v);
	if (SUCCEEDED(hr) && rc != LB_OK)
		hr = lb_fail(x, rc, &err, part);
	return hr;
}

static HRESULT xl_content(struct xl *x, const SContentRestriction *c, lb_filter **out)
{
	ULONG level = c->ulFuzzyLevel & 0xFFFFu;
	char name[64], part[128];
	enum leaf_op op;

	tag_text(c->ulPropTag, name, sizeof(name));
	snprintf(part, sizeof(part), "a %s text match (RES_CONTENT) on %s",
	         fuzzy_text(c->ulFuzzyLevel), name);
	if (!is_string_type(PROP_TYPE(c->lpProp->ulPropTag)))
		return too_complex(x, "%s compares binary data.", part);
	if (c->ulFuzzyLevel & (FL_IGNORENONSPACE | FL_LOOSE))
		return too_complex(x, "%s asks to ignore accents (FL_IGNORENONSPACE or "
		                   "FL_LOOSE), which directory matching does not do.", part);
	if (!(c->ulFuzzyLevel & FL_IGNORECASE))
		return too_complex(x, "%s is case-sensitive, and directory names match "
		                   "ignoring case; search with FL_IGNORECASE.", part);
	if (is_anr(c->ulPropTag))
		return too_complex(x, "PR_ANR takes a property restriction (RES_PROPERTY, "
		                   "RELOP_EQ), not a text match.");
	op = level == FL_FULLSTRING ? OP_EQ : level == FL_PREFIX ? OP_PREFIX : OP_SUBSTR;
	/* "" is every value's prefix and substring, and no value equals it. */
	return xl_string_leaf(x, c->ulPropTag, c->lpProp, op, op != OP_EQ, part, out);
}

static HRESULT xl_property(struct xl *x, const SPropertyRestriction *p, lb_filter **out)
{
	char name[64], part[128];
	enum leaf_op op;

	tag_text(p->ulPropTag, name, sizeof(name));
	snprintf(part, sizeof(part), "a comparison (RES_PROPERTY, %s) on %s",
	         relop_name(p->relop), name);
	if (!is_string_type(PROP_TYPE(p->lpProp->ulPropTag)))
		return too_complex(x, "%s: only text properties read from directory attributes "
		                   "can be compared.", part);
	if (p->relop == RELOP_RE)
		return too_complex(x, "%s: regular expressions are not available in directory "
		                   "searches.", part);
	if (p->relop != RELOP_EQ && p->relop != RELOP_NE && !(x->flags & ABP_RESTRICT_ORDERED))
		return too_complex(x, "%s: the directory server cannot compare these attributes "
		                   "by order as the address book does (no ordering rule, or a "
		                   "collation of its own); search by prefix instead.", part);
	switch (p->relop) {
	case RELOP_EQ: op = OP_EQ; break;
	case RELOP_NE: op = OP_NE; break;
	case RELOP_GE: op = OP_GE; break;
	case RELOP_LE: op = OP_LE; break;
	case RELOP_GT: op = OP_GT; break;
	default: op = OP_LT; break;
	}
	/* Every value is > "". */
	return xl_string_leaf(x, p->ulPropTag, p->lpProp, op,
	                      op == OP_NE || op == OP_GE || op == OP_GT, part, out);
}

/* Translation is recursive: validation bounds the depth. */
static HRESULT xl_node(struct xl *x, const SRestriction *r, lb_filter **out)
{
	struct lb_error err;
	char name[64];
	lb_err rc;
	HRESULT hr = S_OK;

	lb_error_clear(&err);
	switch (r->rt) {
	case RES_AND:
	case RES_OR: {
		ULONG n = r->res.resAnd.cRes, i;
		lb_filter **kids;

		if (n == 0) {
			/* An empty AND holds for every row, an empty OR for none. */
			rc = r->rt == RES_AND ? mk_true(out, &err) : mk_false(out, &err);
			return rc == LB_OK ? S_OK : lb_fail(x, rc, &err, rt_name(r->rt));
		}
		kids = calloc(n, sizeof(*kids));
		if (kids == NULL)
			return MAPI_E_NOT_ENOUGH_MEMORY;
		for (i = 0; i < n && SUCCEEDED(hr); i++)
			hr = xl_node(x, &r->res.resAnd.lpRes[i], &kids[i]);
		if (SUCCEEDED(hr)) {
			rc = mk_list(r->rt == RES_AND ? LB_FILTER_AND : LB_FILTER_OR, kids, n, out,
			             &err);
			if (rc != LB_OK)
				hr = lb_fail(x, rc, &err, rt_name(r->rt));
		} else {
			for (i = 0; i < n; i++)
				lb_filter_free(kids[i]);
		}
		free(kids);
		return hr;
	}
	case RES_NOT: {
		lb_filter *kid = NULL;

		hr = xl_node(x, r->res.resNot.lpRes, &kid);
		if (FAILED(hr))
			return hr;
		rc = lb_filter_not(kid, out, &err);
		return rc == LB_OK ? S_OK : lb_fail(x, rc, &err, "RES_NOT");
	}
	case RES_CONTENT:
		if (is_class_constant(r->res.resContent.ulPropTag))
			return xl_class_leaf(x, r, out);
		return xl_content(x, &r->res.resContent, out);
	case RES_PROPERTY:
		if (is_anr(r->res.resProperty.ulPropTag))
			return xl_anr(x, &r->res.resProperty, out);
		if (is_class_constant(r->res.resProperty.ulPropTag))
			return xl_class_leaf(x, r, out);
		return xl_property(x, &r->res.resProperty, out);
	case RES_BITMASK:
		if (is_class_constant(r->res.resBitMask.ulPropTag))
			return xl_class_leaf(x, r, out);
		tag_text(r->res.resBitMask.ulPropTag, name, sizeof(name));
		return too_complex(x, "a bitmask test (RES_BITMASK) on %s: only PR_DISPLAY_TYPE "
		                   "and PR_OBJECT_TYPE can be tested bit by bit.", name);
	case RES_EXIST:
		if (is_anr(r->res.resExist.ulPropTag))
			return too_complex(x, "RES_EXIST on PR_ANR, which is a search, not a "
			                   "property.");
		return xl_exist(x, r->res.resExist.ulPropTag, out);
	default:
		return too_complex(x, "%s restrictions are not supported on the address book.",
		                   rt_name(r->rt));
	}
}

unsigned abp_restrict_server_flags(const struct lb_rootdse *dse)
{
	return dse != NULL && dse->is_active_directory ? ABP_RESTRICT_NATIVE_ANR : 0;
}

HRESULT abp_restrict_to_filter(const struct abp_attrmap *map, const SRestriction *res,
                               unsigned flags, struct abp_lasterr *le, char **filter)
{
	struct xl x = { map, flags, le };
	struct lb_error err;
	lb_filter *f = NULL;
	char *text = NULL;
	lb_err rc;
	HRESULT hr;

	if (map == NULL || res == NULL || filter == NULL)
		return MAPI_E_INVALID_PARAMETER;
	hr = abp_restrict_validate(res, le);
	if (FAILED(hr))
		return hr;
	hr = xl_node(&x, res, &f);
	if (FAILED(hr))
		goto done;
	lb_error_clear(&err);
	rc = lb_filter_render(f, &text, &err);
	if (rc == LB_OK)
		rc = lb_filter_validate(text, strlen(text), &err);
	if (rc != LB_OK) {
		hr = lb_fail(&x, rc, &err, "the whole filter");
		goto done;
	}
	*filter = text;
	text = NULL;
done:
	if (hr == MAPI_E_NOT_ENOUGH_MEMORY && le != NULL)
		abp_lasterr_set(le, hr, 0, CTX_NOMEM, "Out of memory building a directory search.");
	lb_filter_free(f);
	free(text);
	return hr;
}
