/*
 * fuzz_restrict.c - libFuzzer target for provider/restrict.c: a MAPI
 * restriction tree decoded from the input → validation, the LDAP filter
 * (TB-10, CT-8, CT-9) and the in-memory evaluation.
 *
 * Input: byte 0 picks the schema (inetOrgPerson / AD) and the translation
 * flags (native ANR, ordered strings); the rest is a pre-order description
 * of the tree (any rt, also unknown ones; counts that lie; any property tag,
 * values of the right or the wrong type, raw UTF-16 with lone surrogates,
 * strings with filter syntax and NULs), at most FZ_NODES nodes and
 * FZ_DEPTH levels (beyond ABP_RESTRICT_MAX_DEPTH, so the bound is met).
 * Properties:
 *   - validation and translation agree: a tree validation refuses is
 *     refused by the translation with the same code, and the filter
 *     pointer is untouched on any failure;
 *   - the only failures are MAPI_E_INVALID_PARAMETER and MAPI_E_TOO_COMPLEX;
 *   - a produced filter passes lb_filter_validate (every value escaped: no
 *     value can change the filter's structure) and is NUL-free;
 *   - a valid tree evaluates in memory over two fixed rows without fault;
 *   - the caller's tree is never modified (MM-8): a checksum of it before
 *     and after every call matches.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <mapi/mapitags.h>
#include <ldapab/profile.h>
#include <ldapbridge/lb_filter.h>

#include "attrmap.h"
#include "props.h"
#include "restrict.h"
#include "fuzz_check.h"

#define FZ_NODES 300
#define FZ_DEPTH 12
#define FZ_ALLOCS 4096

struct rd {
	const uint8_t *p;
	size_t n;
	unsigned nodes;
	void *blocks[FZ_ALLOCS];
	size_t sizes[FZ_ALLOCS];
	size_t n_blocks;
};

static uint8_t rd_u8(struct rd *r)
{
	uint8_t b;

	if (r->n == 0)
		return 0;
	b = *r->p++;
	r->n--;
	return b;
}

static uint32_t rd_u32(struct rd *r)
{
	uint32_t v = 0;

	for (int i = 0; i < 4; i++)
		v = v << 8 | rd_u8(r);
	return v;
}

static void *rd_alloc(struct rd *r, size_t cb)
{
	void *p;

	if (r->n_blocks == FZ_ALLOCS)
		return NULL;
	p = calloc(1, cb ? cb : 1);
	FUZZ_CHECK(p != NULL);
	r->sizes[r->n_blocks] = cb ? cb : 1;
	r->blocks[r->n_blocks++] = p;
	return p;
}

static const ULONG tags[] = {
	PR_ANR_A, PR_ANR_W, PR_DISPLAY_NAME_A, PR_DISPLAY_NAME_W, PR_EMAIL_ADDRESS_W,
	PR_EMAIL_ADDRESS_A, PR_SMTP_ADDRESS_W, PR_ACCOUNT_W, PR_GIVEN_NAME_W, PR_SURNAME_W,
	PR_BUSINESS_TELEPHONE_NUMBER_W, PR_COMPANY_NAME_W, PR_TITLE_W, PR_DEPARTMENT_NAME_W,
	PR_EMS_AB_PROXY_ADDRESSES_W, PR_EMS_AB_PROXY_ADDRESSES_A, PR_EMS_AB_MANAGER_W,
	PR_DISPLAY_TYPE, PR_OBJECT_TYPE, PR_ENTRYID, PR_INSTANCE_KEY, PR_RECORD_KEY,
	PR_SEARCH_KEY, PR_ADDRTYPE_W, PR_MOBILE_TELEPHONE_NUMBER_W, PR_NULL,
};

static ULONG rd_tag(struct rd *r)
{
	uint8_t b = rd_u8(r);

	if (b == 0xFF)
		return rd_u32(r);               /* any tag at all */
	return tags[b % (sizeof(tags) / sizeof(tags[0]))];
}

/* A value for tag: usually of its type, sometimes of another. */
static SPropValue *rd_value(struct rd *r, ULONG tag)
{
	SPropValue *v = rd_alloc(r, sizeof(*v));
	uint8_t mode = rd_u8(r), len;
	ULONG type;

	if (v == NULL || mode == 0xFE)
		return NULL;                    /* a NULL lpProp */
	type = (mode & 0x80) ? PROP_TYPE(rd_tag(r)) : PROP_TYPE(tag);
	v->ulPropTag = PROP_TAG(type, PROP_ID(tag));
	len = rd_u8(r);
	if (len > r->n)
		len = (uint8_t)r->n;
	switch (type) {
	case PT_STRING8: {
		char *s = rd_alloc(r, (size_t)len + 1);

		if (s == NULL)
			return NULL;
		memcpy(s, r->p, len);           /* NULs inside cut the string short */
		r->p += len;
		r->n -= len;
		v->Value.lpszA = s;
		break;
	}
	case PT_UNICODE: {
		WCHAR *w = rd_alloc(r, ((size_t)len / 2 + 1) * sizeof(WCHAR));

		if (w == NULL)
			return NULL;
		for (size_t i = 0; i < (size_t)len / 2; i++)
			w[i] = (WCHAR)(rd_u8(r) | rd_u8(r) << 8);
		v->Value.lpszW = w;
		break;
	}
	case PT_LONG:
		v->Value.l = (LONG)rd_u32(r);
		break;
	case PT_BOOLEAN:
		v->Value.b = rd_u8(r);
		break;
	case PT_BINARY: {
		uint8_t *b = rd_alloc(r, len);

		if (b == NULL)
			return NULL;
		memcpy(b, r->p, len);
		r->p += len;
		r->n -= len;
		v->Value.bin.cb = len;
		v->Value.bin.lpb = (mode & 0x40) && len == 0 ? NULL : b;
		if (mode & 0x20)
			v->Value.bin.cb = 0x7FFFFFFF;   /* a count that lies ... */
		if (v->Value.bin.cb > len)
			v->Value.bin.cb = len;          /* ... is not followed here: memory safety */
		break;
	}
	case PT_MV_STRING8:
	case PT_MV_UNICODE: {
		ULONG n = len % 4;
		void **arr = rd_alloc(r, (n ? n : 1) * sizeof(void *));

		if (arr == NULL)
			return NULL;
		for (ULONG i = 0; i < n; i++) {
			uint8_t l = rd_u8(r) % 16;
			char *s = rd_alloc(r, (size_t)l * 2 + 2);

			if (s == NULL)
				return NULL;
			for (uint8_t k = 0; k < l; k++)
				s[k] = (char)(rd_u8(r) | 1);
			arr[i] = s;                     /* as UTF-16 it is a run of code units */
		}
		v->Value.MVszA.cValues = n;
		v->Value.MVszA.lppszA = (LPSTR *)arr;
		break;
	}
	default:
		v->Value.l = (LONG)rd_u32(r);
		break;
	}
	return v;
}

static bool rd_res(struct rd *r, SRestriction *res, unsigned depth);

static SRestriction *rd_list(struct rd *r, ULONG n, unsigned depth)
{
	SRestriction *l = rd_alloc(r, (n ? n : 1) * sizeof(*l));

	if (l == NULL)
		return NULL;
	for (ULONG i = 0; i < n; i++)
		if (!rd_res(r, &l[i], depth + 1))
			return NULL;
	return l;
}

static bool rd_res(struct rd *r, SRestriction *res, unsigned depth)
{
	uint8_t b = rd_u8(r);

	if (++r->nodes > FZ_NODES || depth > FZ_DEPTH)
		b = (uint8_t)(RES_EXIST + 12 * (b / 12));       /* leaves only from here */
	res->rt = b % 12;
	if (b >= 0xF0)
		res->rt = rd_u32(r);            /* an unknown rt */
	switch (res->rt) {
	case RES_AND:
	case RES_OR: {
		uint8_t c = rd_u8(r);
		ULONG n = c % 6;

		res->res.resAnd.cRes = (c & 0x80) ? n + 1 : n;   /* a count one too large */
		res->res.resAnd.lpRes = rd_list(r, n, depth);
		if ((c & 0x80) && res->res.resAnd.lpRes != NULL)
			res->res.resAnd.cRes = n;                    /* ...kept memory-safe */
		return n == 0 || res->res.resAnd.lpRes != NULL || r->n_blocks == FZ_ALLOCS;
	}
	case RES_NOT:
		res->res.resNot.lpRes = (rd_u8(r) == 0xAA) ? NULL : rd_list(r, 1, depth);
		return true;
	case RES_CONTENT:
		res->res.resContent.ulFuzzyLevel = (ULONG)rd_u8(r) | (ULONG)rd_u8(r) << 16;
		res->res.resContent.ulPropTag = rd_tag(r);
		res->res.resContent.lpProp = rd_value(r, res->res.resContent.ulPropTag);
		return true;
	case RES_PROPERTY:
		res->res.resProperty.relop = rd_u8(r) % 8;
		res->res.resProperty.ulPropTag = rd_tag(r);
		res->res.resProperty.lpProp = rd_value(r, res->res.resProperty.ulPropTag);
		return true;
	case RES_COMPAREPROPS:
		res->res.resCompareProps.relop = rd_u8(r) % 8;
		res->res.resCompareProps.ulPropTag1 = rd_tag(r);
		res->res.resCompareProps.ulPropTag2 = rd_tag(r);
		return true;
	case RES_BITMASK:
		res->res.resBitMask.relBMR = rd_u8(r) % 3;
		res->res.resBitMask.ulPropTag = rd_tag(r);
		res->res.resBitMask.ulMask = rd_u32(r);
		return true;
	case RES_SIZE:
		res->res.resSize.relop = rd_u8(r) % 8;
		res->res.resSize.ulPropTag = rd_tag(r);
		res->res.resSize.cb = rd_u32(r);
		return true;
	case RES_EXIST:
		res->res.resExist.ulPropTag = rd_tag(r);
		res->res.resExist.ulReserved1 = rd_u8(r) == 0x55 ? 1 : 0;
		return true;
	case RES_SUBRESTRICTION:
		res->res.resSub.ulSubObject = rd_tag(r);
		res->res.resSub.lpRes = rd_list(r, 1, depth);
		return true;
	case RES_COMMENT:
		res->res.resComment.cValues = 1;
		res->res.resComment.lpProp = rd_value(r, PR_DISPLAY_NAME_A);
		if (res->res.resComment.lpProp == NULL)
			res->res.resComment.cValues = 0;
		res->res.resComment.lpRes = (rd_u8(r) & 1) ? rd_list(r, 1, depth) : NULL;
		return true;
	default:
		/* RES_ANNOTATION and unknown: only the rt is looked at. */
		return true;
	}
}

/* FNV-1a over every block the tree owns: MM-8 says the caller's tree is
 * never modified. */
static uint64_t tree_sum(const struct rd *r)
{
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < r->n_blocks; i++) {
		const uint8_t *p = r->blocks[i];

		for (size_t k = 0; k < r->sizes[i]; k++)
			h = (h ^ p[k]) * 1099511628211ull;
	}
	return h;
}

static void row(struct abp_props *bag, const char *name, const char *mail, LONG dt)
{
	static const char *const px[] = { "SMTP:a@example.com", "smtp:alias@example.com" };

	abp_props_init(bag);
	FUZZ_CHECK(abp_props_add_string(bag, PR_DISPLAY_NAME_W, name, (size_t)-1) == S_OK);
	FUZZ_CHECK(abp_props_add_string(bag, PR_EMAIL_ADDRESS_W, mail, (size_t)-1) == S_OK);
	FUZZ_CHECK(abp_props_add_string(bag, PR_SURNAME_W, "Zed", (size_t)-1) == S_OK);
	FUZZ_CHECK(abp_props_add_mv_string(bag, PR_EMS_AB_PROXY_ADDRESSES_W, px, NULL, 2) == S_OK);
	FUZZ_CHECK(abp_props_add_long(bag, PR_DISPLAY_TYPE, dt) == S_OK);
	FUZZ_CHECK(abp_props_add_long(bag, PR_OBJECT_TYPE, dt ? MAPI_DISTLIST : MAPI_MAILUSER)
	           == S_OK);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct abp_attrmap *maps[2];
	static struct abp_props rows[2];
	static bool ready;
	struct rd *r;
	SRestriction *top;
	char *filter = (char *)&ready;          /* a sentinel: untouched on failure */
	HRESULT v, f;
	uint64_t before;
	unsigned flags;
	uint8_t b0;

	if (!ready) {
		FUZZ_CHECK(abp_attrmap_new(LDAPAB_SCHEMA_INETORGPERSON, LB_UUID_ENTRYUUID, NULL, 0,
		                           &maps[0], NULL, 0) == S_OK);
		FUZZ_CHECK(abp_attrmap_new(LDAPAB_SCHEMA_ACTIVE_DIRECTORY, LB_UUID_OBJECTGUID, NULL,
		                           0, &maps[1], NULL, 0) == S_OK);
		row(&rows[0], "Ann (*) Admin\\2a", "ann@example.com", DT_MAILUSER);
		row(&rows[1], "All Staff", "staff@example.com", DT_DISTLIST);
		ready = true;
	}
	if (size == 0)
		return 0;
	r = calloc(1, sizeof(*r));
	FUZZ_CHECK(r != NULL);
	b0 = data[0];
	r->p = data + 1;
	r->n = size - 1;
	top = rd_alloc(r, sizeof(*top));
	FUZZ_CHECK(top != NULL);
	(void)rd_res(r, top, 1);
	flags = b0 & (ABP_RESTRICT_NATIVE_ANR | ABP_RESTRICT_ORDERED);

	before = tree_sum(r);
	v = abp_restrict_validate(top, NULL);
	FUZZ_CHECK(v == S_OK || v == MAPI_E_INVALID_PARAMETER || v == MAPI_E_TOO_COMPLEX);
	f = abp_restrict_to_filter(maps[(b0 >> 2) & 1], top, flags, NULL, &filter);
	FUZZ_CHECK(f == S_OK || f == MAPI_E_INVALID_PARAMETER || f == MAPI_E_TOO_COMPLEX);
	if (FAILED(v))
		FUZZ_CHECK(f == v);
	if (FAILED(f)) {
		FUZZ_CHECK(filter == (char *)&ready);
	} else {
		struct lb_error err;

		FUZZ_CHECK(filter != NULL && filter != (char *)&ready);
		FUZZ_CHECK(lb_filter_validate(filter, strlen(filter), &err) == LB_OK);
		FUZZ_CHECK(filter[0] == '(');
		free(filter);
	}
	if (v == S_OK) {
		(void)abp_restrict_match(top, &rows[0]);
		(void)abp_restrict_match(top, &rows[1]);
		(void)abp_restrict_match(top, NULL);
	}
	FUZZ_CHECK(tree_sum(r) == before);
	for (size_t i = 0; i < r->n_blocks; i++)
		free(r->blocks[i]);
	free(r);
	return 0;
}
