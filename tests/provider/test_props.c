/* Unit tests of the property bag and the IMAPIProp read side (props.c):
 * MU-4 a-j, MU-5, MU-6, MU-8 helpers, MM-3, MM-7. */
#include "test_objects_util.h"

#include <stdio.h>

#include <mapi/mapiguid.h>

#define TAG_NAME_W   PR_DISPLAY_NAME_W
#define TAG_NAME_A   PR_DISPLAY_NAME_A
#define TAG_PROXY_W  PR_EMS_AB_PROXY_ADDRESSES_W
#define TAG_PROXY_A  PR_EMS_AB_PROXY_ADDRESSES_A

/* A bag like a person's: string, MV string, binary, long, bool, object. */
static void fill_bag(struct abp_props *bag)
{
	static const char *const proxies[] = { "SMTP:ann@example.com", "", "smtp:a.lee@example.com" };
	static const uint8_t bin[] = { 0, 1, 2, 0xFF };

	abp_props_init(bag);
	assert_int_equal(abp_props_add_string(bag, TAG_NAME_A, "Ann Lée", (size_t)-1), S_OK);
	assert_int_equal(abp_props_add_mv_string(bag, TAG_PROXY_W, proxies, NULL, 3), S_OK);
	assert_int_equal(abp_props_add_binary(bag, PR_ENTRYID, bin, sizeof(bin)), S_OK);
	assert_int_equal(abp_props_add_long(bag, PR_DISPLAY_TYPE, DT_MAILUSER), S_OK);
	assert_int_equal(abp_props_add_bool(bag, PR_SEND_RICH_INFO, false), S_OK);
	assert_int_equal(abp_props_add_object(bag, PR_CONTAINER_CONTENTS), S_OK);
}

/* MU-4j / MM-3: every pointer inside the array is chained to its root. */
static void assert_chained(const SPropValue *v, ULONG n)
{
	ULONG i, j;

	assert_true(host_mem_is_root(v));
	for (i = 0; i < n; i++) {
		switch (PROP_TYPE(v[i].ulPropTag)) {
		case PT_STRING8:
		case PT_UNICODE:
			assert_true(host_mem_is_chained(v, v[i].Value.lpszA));
			break;
		case PT_BINARY:
			assert_true(host_mem_is_chained(v, v[i].Value.bin.lpb));
			break;
		case PT_MV_UNICODE:
			assert_true(host_mem_is_chained(v, v[i].Value.MVszW.lppszW));
			for (j = 0; j < v[i].Value.MVszW.cValues; j++)
				assert_true(host_mem_is_chained(v, v[i].Value.MVszW.lppszW[j]));
			break;
		case PT_MV_STRING8:
			assert_true(host_mem_is_chained(v, v[i].Value.MVszA.lppszA));
			for (j = 0; j < v[i].Value.MVszA.cValues; j++)
				assert_true(host_mem_is_chained(v, v[i].Value.MVszA.lppszA[j]));
			break;
		default:
			break;
		}
	}
}

/* MU-4a, d, e, f, g: one table of requested tag → expected slot. */
struct slot_case {
	const char *what;
	ULONG req;
	ULONG flags;
	ULONG want_tag;
	SCODE want_err;         /* for PT_ERROR slots */
	const char *want_str;   /* for string slots (UTF-8 of the expected value) */
};

static const struct slot_case slot_cases[] = {
	{ "MU-4d typed _W", TAG_NAME_W, 0, TAG_NAME_W, 0, "Ann Lée" },
	{ "MU-4d typed _A without MAPI_UNICODE", TAG_NAME_A, 0, TAG_NAME_A, 0, "Ann Lée" },
	{ "MU-4d typed _A under MAPI_UNICODE", TAG_NAME_A, MAPI_UNICODE, TAG_NAME_A, 0, "Ann Lée" },
	{ "MU-4e unspecified under MAPI_UNICODE", CHANGE_PROP_TYPE(TAG_NAME_W, PT_UNSPECIFIED),
	  MAPI_UNICODE, TAG_NAME_W, 0, "Ann Lée" },
	{ "MU-4e unspecified without", CHANGE_PROP_TYPE(TAG_NAME_W, PT_UNSPECIFIED), 0,
	  TAG_NAME_A, 0, "Ann Lée" },
	{ "MU-4e unspecified long", CHANGE_PROP_TYPE(PR_DISPLAY_TYPE, PT_UNSPECIFIED), 0,
	  PR_DISPLAY_TYPE, 0, NULL },
	{ "MU-4d wrong type → error, ID kept", CHANGE_PROP_TYPE(TAG_NAME_W, PT_LONG), 0,
	  PROP_TAG(PT_ERROR, PROP_ID(TAG_NAME_W)), MAPI_E_NOT_FOUND, NULL },
	{ "MU-4f absent → error, ID kept", PR_TITLE_W, MAPI_UNICODE,
	  PROP_TAG(PT_ERROR, PROP_ID(PR_TITLE_W)), MAPI_E_NOT_FOUND, NULL },
	{ "MU-4g PT_OBJECT tag → NO_SUPPORT", PR_CONTAINER_CONTENTS, 0,
	  PROP_TAG(PT_ERROR, PROP_ID(PR_CONTAINER_CONTENTS)), MAPI_E_NO_SUPPORT, NULL },
	{ "MU-4g object property asked untyped → NO_SUPPORT",
	  CHANGE_PROP_TYPE(PR_CONTAINER_CONTENTS, PT_UNSPECIFIED), 0,
	  PROP_TAG(PT_ERROR, PROP_ID(PR_CONTAINER_CONTENTS)), MAPI_E_NO_SUPPORT, NULL },
	{ "MU-4d MV typed _A", TAG_PROXY_A, 0, TAG_PROXY_A, 0, NULL },
	{ "MU-4d MV typed _W", TAG_PROXY_W, 0, TAG_PROXY_W, 0, NULL },
	{ "MU-4d single-valued tag on MV property", CHANGE_PROP_TYPE(TAG_PROXY_W, PT_UNICODE), 0,
	  PROP_TAG(PT_ERROR, PROP_ID(TAG_PROXY_W)), MAPI_E_NOT_FOUND, NULL },
	{ "bool", PR_SEND_RICH_INFO, 0, PR_SEND_RICH_INFO, 0, NULL },
	{ "binary", PR_ENTRYID, 0, PR_ENTRYID, 0, NULL },
};

static void getprops_slot_table_MU4(void **state)
{
	struct abp_allocs al = test_allocs();
	struct abp_props bag;
	size_t i;

	(void)state;
	fill_bag(&bag);
	for (i = 0; i < sizeof(slot_cases) / sizeof(slot_cases[0]); i++) {
		const struct slot_case *c = &slot_cases[i];
		ULONG req[2] = { c->req, PR_DISPLAY_TYPE };
		SPropTagArray *tags = tags_new(2, req);
		SPropValue *v = NULL;
		ULONG n = 0;
		HRESULT hr;

		print_message("case: %s\n", c->what);
		hr = abp_props_get(&al, &bag, tags, c->flags, &n, &v);
		assert_int_equal(n, 2);                                 /* a */
		assert_int_equal(v[0].ulPropTag, c->want_tag);
		assert_int_equal(v[1].ulPropTag, PR_DISPLAY_TYPE);      /* a: order */
		assert_int_equal(v[1].Value.l, DT_MAILUSER);
		if (PROP_TYPE(c->want_tag) == PT_ERROR) {
			assert_int_equal(hr, MAPI_W_ERRORS_RETURNED);   /* f */
			assert_int_equal(v[0].Value.err, c->want_err);
		} else {
			assert_int_equal(hr, S_OK);
		}
		if (c->want_str && PROP_TYPE(c->want_tag) == PT_UNICODE)
			assert_true(w_eq(v[0].Value.lpszW, c->want_str));
		if (c->want_str && PROP_TYPE(c->want_tag) == PT_STRING8)
			assert_string_equal(v[0].Value.lpszA, c->want_str);
		if (PROP_TYPE(c->want_tag) == PT_MV_STRING8) {
			/* h: the empty value was never stored */
			assert_int_equal(v[0].Value.MVszA.cValues, 2);
			assert_string_equal(v[0].Value.MVszA.lppszA[0], "SMTP:ann@example.com");
			assert_string_equal(v[0].Value.MVszA.lppszA[1], "smtp:a.lee@example.com");
		}
		if (PROP_TYPE(c->want_tag) == PT_MV_UNICODE) {
			assert_int_equal(v[0].Value.MVszW.cValues, 2);
			assert_true(w_eq(v[0].Value.MVszW.lppszW[1], "smtp:a.lee@example.com"));
		}
		if (c->want_tag == PR_SEND_RICH_INFO)
			assert_int_equal(v[0].Value.b, 0);
		if (c->want_tag == PR_ENTRYID) {
			assert_int_equal(v[0].Value.bin.cb, 4);
			assert_int_equal(v[0].Value.bin.lpb[3], 0xFF);
		}
		assert_chained(v, n);                                   /* j */
		assert_int_equal(live_roots(), 1);
		host_MAPIFreeBuffer(v);
		free(tags);
	}
	abp_props_free(&bag);
}

static void getprops_null_tags_all_but_objects_MU4b(void **state)
{
	struct abp_allocs al = test_allocs();
	struct abp_props bag;
	SPropValue *v = NULL;
	ULONG n = 0, i;

	(void)state;
	fill_bag(&bag);
	assert_int_equal(abp_props_get(&al, &bag, NULL, MAPI_UNICODE, &n, &v), S_OK);
	assert_int_equal(n, 5);         /* 6 properties, the PT_OBJECT one left out */
	for (i = 0; i < n; i++)
		assert_int_not_equal(PROP_TYPE(v[i].ulPropTag), PT_OBJECT);
	assert_int_equal(v[0].ulPropTag, TAG_NAME_W);
	assert_int_equal(v[1].ulPropTag, TAG_PROXY_W);
	assert_chained(v, n);
	host_MAPIFreeBuffer(v);

	assert_int_equal(abp_props_get(&al, &bag, NULL, 0, &n, &v), S_OK);
	assert_int_equal(v[0].ulPropTag, TAG_NAME_A);
	assert_int_equal(v[1].ulPropTag, TAG_PROXY_A);
	assert_string_equal(v[0].Value.lpszA, "Ann Lée");
	host_MAPIFreeBuffer(v);
	abp_props_free(&bag);

	/* None → S_OK, 0, NULL (and nothing allocated). */
	abp_props_init(&bag);
	assert_int_equal(abp_props_add_object(&bag, PR_CONTAINER_CONTENTS), S_OK);
	n = 99;
	v = (SPropValue *)&n;
	assert_int_equal(abp_props_get(&al, &bag, NULL, 0, &n, &v), S_OK);
	assert_int_equal(n, 0);
	assert_null(v);
	assert_int_equal(live_roots(), 0);
	abp_props_free(&bag);
}

static void getprops_bad_arguments_leave_outputs_MU4c_i(void **state)
{
	struct abp_allocs al = test_allocs();
	struct abp_props bag;
	SPropTagArray empty = { 0, { 0 } };
	SPropValue sentinel, *v = &sentinel;
	ULONG n = 77;

	(void)state;
	fill_bag(&bag);
	assert_int_equal(abp_props_get(&al, &bag, &empty, 0, &n, &v), MAPI_E_INVALID_PARAMETER);
	assert_int_equal(abp_props_get(&al, &bag, NULL, MAPI_UNICODE | 1, &n, &v),
	                 MAPI_E_UNKNOWN_FLAGS);
	assert_int_equal(abp_props_get(&al, &bag, NULL, 0, NULL, &v), MAPI_E_INVALID_PARAMETER);
	assert_int_equal(abp_props_get(&al, &bag, NULL, 0, &n, NULL), MAPI_E_INVALID_PARAMETER);
	assert_int_equal(n, 77);
	assert_ptr_equal(v, &sentinel);
	assert_int_equal(live_roots(), 0);
	abp_props_free(&bag);
}

/* MM-7: every allocation failed once → MAPI_E_NOT_ENOUGH_MEMORY, outputs
 * untouched, nothing left allocated; then the call succeeds. */
static void getprops_allocation_failure_walk_MM7(void **state)
{
	struct abp_allocs al = test_allocs();
	struct abp_props bag;
	ULONG req[] = { TAG_NAME_W, TAG_PROXY_A, PR_ENTRYID, PR_TITLE_W, TAG_NAME_A };
	SPropTagArray *tags = tags_new(5, req);
	unsigned long k;
	int failures = 0;

	(void)state;
	fill_bag(&bag);
	for (k = 0; k < 100; k++) {
		SPropValue sentinel, *v = &sentinel;
		ULONG n = 42;
		HRESULT hr;

		host_mem_fail_after(k);
		hr = abp_props_get(&al, &bag, tags, 0, &n, &v);
		if (host_mem_fail_pending()) {
			host_mem_fail_never();
			assert_int_equal(hr, MAPI_W_ERRORS_RETURNED);
			host_MAPIFreeBuffer(v);
			break;
		}
		failures++;
		assert_int_equal(hr, MAPI_E_NOT_ENOUGH_MEMORY);
		assert_int_equal(n, 42);
		assert_ptr_equal(v, &sentinel);
		assert_int_equal(live_roots(), 0);
	}
	assert_true(failures >= 6);     /* root + 2 strings + MV array + 2 MV values + bin ... */
	/* The same for GetPropList. */
	for (k = 0; k < 10; k++) {
		SPropTagArray *l = NULL;
		HRESULT hr;

		host_mem_fail_after(k);
		hr = abp_props_list(&al, &bag, 0, &l);
		if (host_mem_fail_pending()) {
			host_mem_fail_never();
			assert_int_equal(hr, S_OK);
			host_MAPIFreeBuffer(l);
			break;
		}
		assert_int_equal(hr, MAPI_E_NOT_ENOUGH_MEMORY);
		assert_null(l);
	}
	host_mem_fail_never();
	free(tags);
	abp_props_free(&bag);
}

static void getproplist_lists_objects_typed_strings_MU5(void **state)
{
	struct abp_allocs al = test_allocs();
	struct abp_props bag;
	SPropTagArray *l = NULL;

	(void)state;
	fill_bag(&bag);
	assert_int_equal(abp_props_list(&al, &bag, MAPI_UNICODE, &l), S_OK);
	assert_true(host_mem_is_root(l));
	assert_int_equal(l->cValues, 6);
	assert_int_equal(l->aulPropTag[0], TAG_NAME_W);
	assert_int_equal(l->aulPropTag[1], TAG_PROXY_W);
	assert_int_equal(l->aulPropTag[2], PR_ENTRYID);
	assert_int_equal(l->aulPropTag[5], PR_CONTAINER_CONTENTS);
	host_MAPIFreeBuffer(l);
	assert_int_equal(abp_props_list(&al, &bag, 0, &l), S_OK);
	assert_int_equal(l->aulPropTag[0], TAG_NAME_A);
	assert_int_equal(l->aulPropTag[1], TAG_PROXY_A);
	host_MAPIFreeBuffer(l);
	l = NULL;
	assert_int_equal(abp_props_list(&al, &bag, 2, &l), MAPI_E_UNKNOWN_FLAGS);
	assert_null(l);
	abp_props_free(&bag);
}

/* MU-6: invalid UTF-8 → U+FFFD (one per maximal subpart), never a crash. */
struct utf8_case {
	const char *in;
	size_t len;
	const char *want;       /* sanitised UTF-8 */
};

static const struct utf8_case utf8_cases[] = {
	{ "plain", 5, "plain" },
	{ "\xC3\xA9t\xC3\xA9", 5, "été" },
	{ "a\x80z", 3, "a\xEF\xBF\xBDz" },                      /* stray continuation */
	{ "\xC0\x80", 2, "\xEF\xBF\xBD\xEF\xBF\xBD" },          /* overlong NUL */
	{ "\xED\xA0\x80", 3, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" }, /* surrogate */
	{ "x\xE2\x82", 3, "x\xEF\xBF\xBD" },                    /* truncated tail */
	{ "\xF5\x80", 2, "\xEF\xBF\xBD\xEF\xBF\xBD" },          /* beyond U+10FFFF */
	{ "a\0b", 3, "a\xEF\xBF\xBD" "b" },                     /* embedded NUL */
	{ "\xF0\x9F\x98\x80", 4, "\xF0\x9F\x98\x80" },          /* U+1F600 kept */
	{ "\xE6\x9D\xB1\xE4\xBA\xAC", 6, "東京" },
};

static void utf8_sanitised_to_8bit_and_utf16_MU6(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(utf8_cases) / sizeof(utf8_cases[0]); i++) {
		const struct utf8_case *c = &utf8_cases[i];
		char buf[64];
		WCHAR w[32];
		size_t need = abp_utf8_to_8bit(c->in, c->len, NULL, 0);
		char *back;

		assert_int_equal(need, strlen(c->want) + 1);
		assert_int_equal(abp_utf8_to_8bit(c->in, c->len, buf, sizeof(buf)), need);
		assert_string_equal(buf, c->want);
		/* UTF-16 and back gives the sanitised text. */
		need = abp_utf8_to_utf16(c->in, c->len, w, 32);
		assert_true(need <= 32);
		assert_int_equal(w[need - 1], 0);
		back = abp_utf16_to_utf8_dup(w);
		assert_string_equal(back, c->want);
		free(back);
	}
}

static void utf16_units_and_surrogates_MU6(void **state)
{
	WCHAR w[8];
	static const WCHAR lone[] = { 'a', 0xD800, 'b', 0xDC00, 0 };
	char *s;

	(void)state;
	/* U+1F600 → D83D DE00; U+00E9 → 00E9. */
	assert_int_equal(abp_utf8_to_utf16("\xF0\x9F\x98\x80\xC3\xA9", (size_t)-1, w, 8), 4);
	assert_int_equal(w[0], 0xD83D);
	assert_int_equal(w[1], 0xDE00);
	assert_int_equal(w[2], 0x00E9);
	assert_int_equal(w[3], 0);
	/* Truncation: returns what is needed, terminates within cap. */
	assert_int_equal(abp_utf8_to_utf16("abcdef", (size_t)-1, w, 3), 7);
	assert_int_equal(w[2], 0);
	/* Unpaired surrogates from a client → U+FFFD. */
	s = abp_utf16_to_utf8_dup(lone);
	assert_string_equal(s, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD");
	free(s);
	assert_null(abp_utf16_to_utf8_dup(NULL));
	s = abp_8bit_to_utf8_dup("caf\xE9");    /* Latin-1 bytes are not UTF-8 */
	assert_string_equal(s, "caf\xEF\xBF\xBD");
	free(s);
}

static void propval_utf8_dup_reads_a_and_w(void **state)
{
	SPropValue a, w, l;
	WCHAR buf[8];
	char *s;

	(void)state;
	a.ulPropTag = PR_DISPLAY_NAME_A;
	a.Value.lpszA = (char *)"Zoë";
	s = abp_propval_utf8_dup(&a);
	assert_string_equal(s, "Zoë");
	free(s);
	(void)abp_utf8_to_utf16("Zoë", (size_t)-1, buf, 8);
	w.ulPropTag = PR_DISPLAY_NAME_W;
	w.Value.lpszW = buf;
	s = abp_propval_utf8_dup(&w);
	assert_string_equal(s, "Zoë");
	free(s);
	l.ulPropTag = PR_DISPLAY_TYPE;
	l.Value.l = 0;
	assert_null(abp_propval_utf8_dup(&l));
}

/* Hostile values: size caps, value caps, replacement semantics. */
static void bag_caps_hostile_values(void **state)
{
	struct abp_props bag;
	const struct abp_prop *p;
	char *big = malloc(ABP_PROP_STR_MAX + 100);
	const char **vals = calloc(10000, sizeof(*vals));
	size_t i;

	(void)state;
	assert_non_null(big);
	assert_non_null(vals);
	/* 'é' is 2 bytes: the cut must fall on a character boundary. */
	big[0] = 'x';
	for (i = 1; i + 1 < ABP_PROP_STR_MAX + 100; i += 2) {
		big[i] = '\xC3';
		big[i + 1] = '\xA9';
	}
	abp_props_init(&bag);
	assert_int_equal(abp_props_add_string(&bag, PR_COMMENT_W, big, ABP_PROP_STR_MAX + 99), S_OK);
	p = abp_props_find(&bag, PR_COMMENT_A);
	assert_non_null(p);
	assert_true(strlen(p->v.str) <= ABP_PROP_STR_MAX);
	assert_true(strlen(p->v.str) >= ABP_PROP_STR_MAX - 3);
	assert_true(lb_utf8_valid(p->v.str, strlen(p->v.str)));

	for (i = 0; i < 10000; i++)
		vals[i] = "v";
	assert_int_equal(abp_props_add_mv_string(&bag, PR_EMS_AB_PROXY_ADDRESSES_A, vals, NULL, 10000),
	                 S_OK);
	p = abp_props_find(&bag, PR_EMS_AB_PROXY_ADDRESSES_W);
	assert_int_equal(PROP_TYPE(p->tag), PT_MV_UNICODE);     /* canonical */
	assert_int_equal(p->v.mvstr.n, ABP_PROP_MV_MAX);

	/* MU-4h: zero usable values is refused, the bag keeps no empty MV. */
	for (i = 0; i < 3; i++)
		vals[i] = "";
	assert_int_equal(abp_props_add_mv_string(&bag, PR_EMS_AB_PROXY_ADDRESSES_W, vals, NULL, 3),
	                 MAPI_E_INVALID_PARAMETER);
	assert_int_equal(abp_props_add_mv_string(&bag, PR_EMS_AB_PROXY_ADDRESSES_W, vals, NULL, 0),
	                 MAPI_E_INVALID_PARAMETER);
	/* Oversized binary refused; wrong tag types refused. */
	assert_int_equal(abp_props_add_binary(&bag, PR_ENTRYID, big, ABP_PROP_BIN_MAX + 1),
	                 MAPI_E_INVALID_PARAMETER);
	assert_int_equal(abp_props_add_string(&bag, PR_DISPLAY_TYPE, "x", 1),
	                 MAPI_E_INVALID_PARAMETER);
	assert_int_equal(abp_props_add_long(&bag, PR_DISPLAY_NAME_W, 1), MAPI_E_INVALID_PARAMETER);
	/* A second add of one ID replaces the first. */
	assert_int_equal(abp_props_add_string(&bag, PR_COMMENT_A, "short", (size_t)-1), S_OK);
	assert_string_equal(abp_props_find_string(&bag, PR_COMMENT_W), "short");
	assert_int_equal(bag.n, 2);
	abp_props_free(&bag);
	free(big);
	free(vals);
}

static void propval_copy_deep_all_kinds(void **state)
{
	struct abp_allocs al = test_allocs();
	static const WCHAR w1[] = { 'h', 'i', 0 };
	LPWSTR wl[2] = { (LPWSTR)w1, (LPWSTR)w1 };
	LONG longs[3] = { 1, -2, 3 };
	uint8_t b[3] = { 9, 8, 7 };
	SBinary bins[1] = { { 3, b } };
	SPropValue src[5], dst[5];
	void *root = NULL;
	int i;

	(void)state;
	src[0].ulPropTag = PR_DISPLAY_NAME_A;
	src[0].Value.lpszA = (char *)"abc";
	src[1].ulPropTag = PROP_TAG(PT_MV_UNICODE, 0x8000);
	src[1].Value.MVszW.cValues = 2;
	src[1].Value.MVszW.lppszW = wl;
	src[2].ulPropTag = PROP_TAG(PT_MV_LONG, 0x8001);
	src[2].Value.MVl.cValues = 3;
	src[2].Value.MVl.lpl = longs;
	src[3].ulPropTag = PROP_TAG(PT_MV_BINARY, 0x8002);
	src[3].Value.MVbin.cValues = 1;
	src[3].Value.MVbin.lpbin = bins;
	src[4].ulPropTag = PROP_TAG(0x7777, 0x8003);    /* unknown type */
	assert_int_equal(host_MAPIAllocateBuffer(16, &root), S_OK);
	for (i = 0; i < 4; i++)
		assert_int_equal(abp_propval_copy(&al, root, &src[i], &dst[i]), S_OK);
	assert_int_equal(abp_propval_copy(&al, root, &src[4], &dst[4]), MAPI_E_INVALID_PARAMETER);
	assert_string_equal(dst[0].Value.lpszA, "abc");
	assert_ptr_not_equal(dst[0].Value.lpszA, src[0].Value.lpszA);
	assert_true(host_mem_is_chained(root, dst[0].Value.lpszA));
	assert_int_equal(dst[1].Value.MVszW.lppszW[1][1], 'i');
	assert_true(host_mem_is_chained(root, dst[1].Value.MVszW.lppszW[1]));
	assert_int_equal(dst[2].Value.MVl.lpl[1], -2);
	assert_int_equal(dst[3].Value.MVbin.lpbin[0].lpb[2], 7);
	assert_true(host_mem_is_chained(root, dst[3].Value.MVbin.lpbin[0].lpb));
	host_MAPIFreeBuffer(root);
}

/* ---- CopyTo / CopyProps into a recording destination (MU-8) ---------- */

struct dest {
	IMAPIProp iface;
	int setprops_calls;
	ULONG n;
	ULONG tags[16];
	char name[64];          /* PR_DISPLAY_NAME as received, UTF-8 */
	bool has_title;         /* for MAPI_NOREPLACE: dest already has PR_TITLE */
};

static struct dest *dest_of(IMAPIProp *p)
{
	return ABP_CONTAINING_RECORD(p, struct dest, iface);
}

static HRESULT STDMETHODCALLTYPE d_qi(IMAPIProp *This, REFIID r, LPVOID *ppv)
{
	(void)This; (void)r;
	*ppv = NULL;
	return MAPI_E_INTERFACE_NOT_SUPPORTED;
}
static ULONG STDMETHODCALLTYPE d_addref(IMAPIProp *This) { (void)This; return 1; }
static ULONG STDMETHODCALLTYPE d_release(IMAPIProp *This) { (void)This; return 1; }
static HRESULT STDMETHODCALLTYPE d_gle(IMAPIProp *This, HRESULT h, ULONG f, LPMAPIERROR *e)
{ (void)This; (void)h; (void)f; *e = NULL; return S_OK; }
static HRESULT STDMETHODCALLTYPE d_save(IMAPIProp *This, ULONG f)
{ (void)This; (void)f; return S_OK; }
static HRESULT STDMETHODCALLTYPE d_getprops(IMAPIProp *This, LPSPropTagArray tags, ULONG f,
                                            ULONG *n, LPSPropValue *out)
{
	struct dest *d = dest_of(This);
	SPropValue *v = NULL;
	ULONG i;

	(void)f;
	if (host_MAPIAllocateBuffer(tags->cValues * sizeof(SPropValue), (void **)&v) != S_OK)
		return MAPI_E_NOT_ENOUGH_MEMORY;
	for (i = 0; i < tags->cValues; i++) {
		if (d->has_title && PROP_ID(tags->aulPropTag[i]) == PROP_ID(PR_TITLE_W)) {
			v[i].ulPropTag = PR_TITLE_A;
			v[i].Value.lpszA = (char *)"kept";      /* static: not ours to free */
		} else {
			v[i].ulPropTag = PROP_TAG(PT_ERROR, PROP_ID(tags->aulPropTag[i]));
			v[i].Value.err = MAPI_E_NOT_FOUND;
		}
	}
	*n = tags->cValues;
	*out = v;
	return MAPI_W_ERRORS_RETURNED;
}
static HRESULT STDMETHODCALLTYPE d_getproplist(IMAPIProp *This, ULONG f, LPSPropTagArray *o)
{ (void)This; (void)f; *o = NULL; return MAPI_E_NO_SUPPORT; }
static HRESULT STDMETHODCALLTYPE d_openprop(IMAPIProp *This, ULONG t, LPCIID i, ULONG o, ULONG f,
                                            LPUNKNOWN *u)
{ (void)This; (void)t; (void)i; (void)o; (void)f; *u = NULL; return MAPI_E_NO_SUPPORT; }
static HRESULT STDMETHODCALLTYPE d_setprops(IMAPIProp *This, ULONG c, LPSPropValue v,
                                            LPSPropProblemArray *pp)
{
	struct dest *d = dest_of(This);
	ULONG i;

	d->setprops_calls++;
	d->n = c;
	for (i = 0; i < c && i < 16; i++) {
		d->tags[i] = v[i].ulPropTag;
		if (v[i].ulPropTag == PR_DISPLAY_NAME_W) {
			char *s = abp_utf16_to_utf8_dup(v[i].Value.lpszW);

			snprintf(d->name, sizeof(d->name), "%s", s);
			free(s);
		}
	}
	if (pp)
		*pp = NULL;
	return S_OK;
}
static HRESULT STDMETHODCALLTYPE d_delprops(IMAPIProp *This, LPSPropTagArray t,
                                            LPSPropProblemArray *pp)
{ (void)This; (void)t; *pp = NULL; return MAPI_E_NO_SUPPORT; }
static HRESULT STDMETHODCALLTYPE d_copyto(IMAPIProp *This, ULONG a, LPCIID b, LPSPropTagArray c,
                                          ULONG_PTR d, LPMAPIPROGRESS e, LPCIID f, LPVOID g,
                                          ULONG h, LPSPropProblemArray *i)
{ (void)This; (void)a; (void)b; (void)c; (void)d; (void)e; (void)f; (void)g; (void)h; (void)i;
  return MAPI_E_NO_SUPPORT; }
static HRESULT STDMETHODCALLTYPE d_copyprops(IMAPIProp *This, LPSPropTagArray a, ULONG_PTR b,
                                             LPMAPIPROGRESS c, LPCIID d, LPVOID e, ULONG f,
                                             LPSPropProblemArray *g)
{ (void)This; (void)a; (void)b; (void)c; (void)d; (void)e; (void)f; (void)g;
  return MAPI_E_NO_SUPPORT; }
static HRESULT STDMETHODCALLTYPE d_n2i(IMAPIProp *This, LPSPropTagArray *a, LPGUID b, ULONG c,
                                       ULONG *d, LPMAPINAMEID **e)
{ (void)This; (void)a; (void)b; (void)c; (void)d; (void)e; return MAPI_E_NO_SUPPORT; }
static HRESULT STDMETHODCALLTYPE d_i2n(IMAPIProp *This, ULONG a, LPMAPINAMEID *b, ULONG c,
                                       LPSPropTagArray *d)
{ (void)This; (void)a; (void)b; (void)c; (void)d; return MAPI_E_NO_SUPPORT; }

static const IMAPIPropVtbl dest_vtbl = {
	d_qi, d_addref, d_release, d_gle, d_save, d_getprops, d_getproplist, d_openprop,
	d_setprops, d_delprops, d_copyto, d_copyprops, d_n2i, d_i2n
};

static void copyto_copyprops_through_dest_setprops_MU8(void **state)
{
	struct abp_allocs al = test_allocs();
	struct abp_props bag;
	struct dest d;
	SPropProblemArray *pa = NULL;
	ULONG ex[] = { PR_ENTRYID };
	ULONG inc[] = { PR_TITLE_W, PR_DISPLAY_NAME_W, PR_COMMENT_W };
	SPropTagArray *ext = tags_new(1, ex), *inct = tags_new(3, inc);

	(void)state;
	fill_bag(&bag);
	assert_int_equal(abp_props_add_string(&bag, PR_TITLE_W, "Engineer", (size_t)-1), S_OK);
	memset(&d, 0, sizeof(d));
	d.iface.lpVtbl = &dest_vtbl;

	/* CopyTo: everything but PT_OBJECT and the excluded tags. */
	assert_int_equal(abp_props_copy_to(&al, &bag, ext, NULL, &d.iface, 0, &pa), S_OK);
	assert_int_equal(d.setprops_calls, 1);
	assert_int_equal(d.n, 5);       /* 7 - object - entryid */
	assert_string_equal(d.name, "Ann Lée");
	assert_int_equal(live_roots(), 0);

	/* CopyProps: only the included tags that exist. */
	memset(&d, 0, sizeof(d));
	d.iface.lpVtbl = &dest_vtbl;
	assert_int_equal(abp_props_copy_props(&al, &bag, inct, &IID_IMailUser, &d.iface, 0, &pa),
	                 S_OK);
	assert_int_equal(d.n, 2);
	assert_int_equal(d.tags[0], PR_TITLE_W);
	assert_int_equal(d.tags[1], PR_DISPLAY_NAME_W);

	/* MAPI_NOREPLACE: what the destination has stays. */
	memset(&d, 0, sizeof(d));
	d.iface.lpVtbl = &dest_vtbl;
	d.has_title = true;
	assert_int_equal(abp_props_copy_props(&al, &bag, inct, NULL, &d.iface, MAPI_NOREPLACE, &pa),
	                 S_OK);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.tags[0], PR_DISPLAY_NAME_W);

	/* Refusals. */
	assert_int_equal(abp_props_copy_to(&al, &bag, NULL, NULL, &d.iface, MAPI_MOVE, &pa),
	                 MAPI_E_NO_ACCESS);
	assert_int_equal(abp_props_copy_to(&al, &bag, NULL, &IID_IMAPITable, &d.iface, 0, &pa),
	                 MAPI_E_INTERFACE_NOT_SUPPORTED);
	assert_int_equal(abp_props_copy_to(&al, &bag, NULL, NULL, &d.iface, 0x100, &pa),
	                 MAPI_E_UNKNOWN_FLAGS);
	assert_int_equal(abp_props_copy_to(&al, &bag, NULL, NULL, NULL, 0, &pa),
	                 MAPI_E_INVALID_PARAMETER);
	assert_int_equal(live_roots(), 0);
	free(ext);
	free(inct);
	abp_props_free(&bag);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(getprops_slot_table_MU4, test_clean_setup,
		                                test_clean_teardown),
		cmocka_unit_test_setup_teardown(getprops_null_tags_all_but_objects_MU4b,
		                                test_clean_setup, test_clean_teardown),
		cmocka_unit_test_setup_teardown(getprops_bad_arguments_leave_outputs_MU4c_i,
		                                test_clean_setup, test_clean_teardown),
		cmocka_unit_test_setup_teardown(getprops_allocation_failure_walk_MM7,
		                                test_clean_setup, test_clean_teardown),
		cmocka_unit_test_setup_teardown(getproplist_lists_objects_typed_strings_MU5,
		                                test_clean_setup, test_clean_teardown),
		cmocka_unit_test(utf8_sanitised_to_8bit_and_utf16_MU6),
		cmocka_unit_test(utf16_units_and_surrogates_MU6),
		cmocka_unit_test(propval_utf8_dup_reads_a_and_w),
		cmocka_unit_test(bag_caps_hostile_values),
		cmocka_unit_test_setup_teardown(propval_copy_deep_all_kinds, test_clean_setup,
		                                test_clean_teardown),
		cmocka_unit_test_setup_teardown(copyto_copyprops_through_dest_setprops_MU8,
		                                test_clean_setup, test_clean_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
