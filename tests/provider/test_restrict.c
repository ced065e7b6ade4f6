/* Unit tests of restrict.c: the restriction → LDAP filter table (TB-10,
 * CT-8, CT-9), validation of hostile restrictions, evaluation in memory
 * and candidate ranking. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <ldapab/profile.h>

#include "restrict.h"

/* ------------------------------------------------------------------------ */
/* Building restrictions                                                     */
/* ------------------------------------------------------------------------ */

#define W(t) CHANGE_PROP_TYPE(t, PT_UNICODE)
#define A(t) CHANGE_PROP_TYPE(t, PT_STRING8)

/* Every restriction of a test lives in this arena, freed by the teardown. */
#define ARENA_MAX 4096
static void *arena[ARENA_MAX];
static size_t n_arena;

static void *keep(void *p)
{
	assert_non_null(p);
	assert_true(n_arena < ARENA_MAX);
	arena[n_arena++] = p;
	return p;
}

static int arena_free(void **state)
{
	(void)state;
	while (n_arena > 0)
		free(arena[--n_arena]);
	return 0;
}

static SPropValue *sval(ULONG tag, const char *utf8)
{
	SPropValue *v = keep(calloc(1, sizeof(*v)));

	v->ulPropTag = A(tag);
	v->Value.lpszA = keep(strdup(utf8));
	return v;
}

/* An ASCII string as UTF-16. */
static SPropValue *wval(ULONG tag, const char *ascii)
{
	SPropValue *v = keep(calloc(1, sizeof(*v)));
	size_t n = strlen(ascii), i;
	WCHAR *w = keep(calloc(n + 1, sizeof(WCHAR)));

	for (i = 0; i < n; i++)
		w[i] = (WCHAR)(unsigned char)ascii[i];
	v->ulPropTag = W(tag);
	v->Value.lpszW = w;
	return v;
}

static SPropValue *lval(ULONG tag, LONG l)
{
	SPropValue *v = keep(calloc(1, sizeof(*v)));

	v->ulPropTag = tag;
	v->Value.l = l;
	return v;
}

static SRestriction *new_res(ULONG rt)
{
	SRestriction *r = keep(calloc(1, sizeof(*r)));

	r->rt = rt;
	return r;
}

static SRestriction *content(ULONG fuzzy, ULONG tag, SPropValue *v)
{
	SRestriction *r = new_res(RES_CONTENT);

	r->res.resContent.ulFuzzyLevel = fuzzy;
	r->res.resContent.ulPropTag = tag;
	r->res.resContent.lpProp = v;
	return r;
}

static SRestriction *prop(ULONG relop, ULONG tag, SPropValue *v)
{
	SRestriction *r = new_res(RES_PROPERTY);

	r->res.resProperty.relop = relop;
	r->res.resProperty.ulPropTag = tag;
	r->res.resProperty.lpProp = v;
	return r;
}

static SRestriction *anr(const char *text)
{
	return prop(RELOP_EQ, PR_ANR_A, sval(PR_ANR_A, text));
}

static SRestriction *exist(ULONG tag)
{
	SRestriction *r = new_res(RES_EXIST);

	r->res.resExist.ulPropTag = tag;
	return r;
}

static SRestriction *bitmask(ULONG bmr, ULONG tag, ULONG mask)
{
	SRestriction *r = new_res(RES_BITMASK);

	r->res.resBitMask.relBMR = bmr;
	r->res.resBitMask.ulPropTag = tag;
	r->res.resBitMask.ulMask = mask;
	return r;
}

static SRestriction *not_(SRestriction *kid)
{
	SRestriction *r = new_res(RES_NOT);

	r->res.resNot.lpRes = kid;
	return r;
}

/* AND / OR of n restrictions (copied into one array, as MAPI lays them out). */
static SRestriction *list(ULONG rt, size_t n, ...)
{
	SRestriction *r = new_res(rt), *kids = n ? keep(calloc(n, sizeof(*kids))) : NULL;
	va_list ap;
	size_t i;

	va_start(ap, n);
	for (i = 0; i < n; i++)
		kids[i] = *va_arg(ap, SRestriction *);
	va_end(ap);
	r->res.resAnd.cRes = (ULONG)n;
	r->res.resAnd.lpRes = kids;
	return r;
}

/* ------------------------------------------------------------------------ */
/* The translation table                                                     */
/* ------------------------------------------------------------------------ */

static struct abp_attrmap *map_iop, *map_ad, *map_unmapped;

static int maps_setup(void **state)
{
	char *no_title[] = { "PR_TITLE=" };
	char err[256];

	(void)state;
	assert_int_equal(abp_attrmap_new(LDAPAB_SCHEMA_INETORGPERSON, LB_UUID_ENTRYUUID, NULL, 0,
	                                 &map_iop, err, sizeof(err)), S_OK);
	assert_int_equal(abp_attrmap_new(LDAPAB_SCHEMA_ACTIVE_DIRECTORY, LB_UUID_OBJECTGUID, NULL,
	                                 0, &map_ad, err, sizeof(err)), S_OK);
	assert_int_equal(abp_attrmap_new(LDAPAB_SCHEMA_INETORGPERSON, LB_UUID_ENTRYUUID, no_title,
	                                 1, &map_unmapped, err, sizeof(err)), S_OK);
	return 0;
}

static int maps_teardown(void **state)
{
	(void)state;
	abp_attrmap_free(map_iop);
	abp_attrmap_free(map_ad);
	abp_attrmap_free(map_unmapped);
	return 0;
}

/* Only classes the schema defines (an unknown one is Undefined to the
 * server, and Undefined under a NOT hides the entry). */
#define PERSON "(&(|(objectClass=person)(objectClass=organizationalPerson)" \
	"(objectClass=inetOrgPerson))(!(|(objectClass=groupOfNames)" \
	"(objectClass=groupOfUniqueNames))))"
#define GROUP "(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames))"
#define AD_PERSON "(&(|(objectClass=person)(objectClass=organizationalPerson)" \
	"(objectClass=inetOrgPerson)(objectClass=user))(!(|(objectClass=computer)" \
	"(objectClass=group)(objectClass=groupOfNames)(objectClass=groupOfUniqueNames))))"
#define AD_GROUP "(|(objectClass=group)(objectClass=groupOfNames)" \
	"(objectClass=groupOfUniqueNames))"
#define TRUE_F "(objectClass=*)"
#define FALSE_F "(!(objectClass=*))"
#define ANR_ANN "(|(displayName=Ann*)(cn=Ann*)(givenName=Ann*)(sn=Ann*)(mail=Ann*)(uid=Ann*)" \
	"(displayName=* Ann*)(cn=* Ann*))"

/* Translate res; check hr and, on success, the filter text exactly (and
 * that it is well-formed RFC 4515); on failure that le explains it and
 * *filter stayed untouched. */
static void expect_filter(const struct abp_attrmap *map, const SRestriction *res,
                          unsigned flags, HRESULT want_hr, const char *want)
{
	struct abp_lasterr le;
	char *sentinel = (char *)"untouched", *f = sentinel;
	HRESULT hr;

	abp_lasterr_init(&le);
	hr = abp_restrict_to_filter(map, res, flags, &le, &f);
	if (hr != want_hr)
		fail_msg("hr 0x%08x, want 0x%08x (filter %s, message %s)", (unsigned)hr,
		         (unsigned)want_hr, SUCCEEDED(hr) ? f : "-", le.text);
	if (SUCCEEDED(hr)) {
		assert_string_equal(f, want);
		assert_int_equal(lb_filter_validate(f, strlen(f), NULL), LB_OK);
		free(f);
	} else {
		assert_ptr_equal(f, sentinel);
		assert_int_equal(le.hr, want_hr);
		assert_true(strlen(le.text) > 20);
	}
	abp_lasterr_destroy(&le);
}

static void content_restrictions_CT8c_TB10(void **state)
{
	(void)state;
	/* CT-8c type-down: a prefix on PR_DISPLAY_NAME follows the map's
	 * source chain (displayName, else cn). */
	expect_filter(map_iop, content(FL_PREFIX | FL_IGNORECASE, PR_DISPLAY_NAME_A,
	                               sval(PR_DISPLAY_NAME_A, "Ann")), 0, S_OK,
	              "(|(displayName=Ann*)(&(!(displayName=*))(cn=Ann*)))");
	expect_filter(map_iop, content(FL_PREFIX | FL_IGNORECASE, PR_DISPLAY_NAME_W,
	                               wval(PR_DISPLAY_NAME_W, "Ann")), 0, S_OK,
	              "(|(displayName=Ann*)(&(!(displayName=*))(cn=Ann*)))");
	expect_filter(map_iop, content(FL_SUBSTRING | FL_IGNORECASE, PR_SURNAME_W,
	                               wval(PR_SURNAME_W, "ee")), 0, S_OK, "(sn=*ee*)");
	expect_filter(map_iop, content(FL_FULLSTRING | FL_IGNORECASE, PR_GIVEN_NAME_A,
	                               sval(PR_GIVEN_NAME_A, "Ann")), 0, S_OK, "(givenName=Ann)");
	expect_filter(map_iop, content(FL_PREFIX | FL_IGNORECASE, PR_DEPARTMENT_NAME_W,
	                               wval(PR_DEPARTMENT_NAME_W, "Eng")), 0, S_OK,
	              "(|(departmentNumber=Eng*)(&(!(departmentNumber=*))(ou=Eng*)))");
	/* "" is a prefix of every value and equals none. */
	expect_filter(map_iop, content(FL_PREFIX | FL_IGNORECASE, PR_TITLE_A,
	                               sval(PR_TITLE_A, "")), 0, S_OK, "(title=*)");
	expect_filter(map_iop, content(FL_FULLSTRING | FL_IGNORECASE, PR_TITLE_A,
	                               sval(PR_TITLE_A, "")), 0, S_OK, FALSE_F);
	/* Not faithful in LDAP: case-sensitive, accent-insensitive, binary. */
	expect_filter(map_iop, content(FL_PREFIX, PR_DISPLAY_NAME_A,
	                               sval(PR_DISPLAY_NAME_A, "Ann")), 0, MAPI_E_TOO_COMPLEX, NULL);
	expect_filter(map_iop, content(FL_PREFIX | FL_IGNORECASE | FL_IGNORENONSPACE,
	                               PR_DISPLAY_NAME_A, sval(PR_DISPLAY_NAME_A, "Ann")), 0,
	              MAPI_E_TOO_COMPLEX, NULL);
	expect_filter(map_iop, content(FL_SUBSTRING | FL_LOOSE, PR_DISPLAY_NAME_A,
	                               sval(PR_DISPLAY_NAME_A, "Ann")), 0, MAPI_E_TOO_COMPLEX, NULL);
	/* Not read from an attribute as is. */
	expect_filter(map_iop, content(FL_PREFIX | FL_IGNORECASE, PR_MANAGER_NAME_A,
	                               sval(PR_MANAGER_NAME_A, "Ann")), 0, MAPI_E_TOO_COMPLEX, NULL);
	expect_filter(map_ad, content(FL_PREFIX | FL_IGNORECASE, PR_EMAIL_ADDRESS_A,
	                              sval(PR_EMAIL_ADDRESS_A, "ann")), 0, MAPI_E_TOO_COMPLEX, NULL);
	expect_filter(map_iop, content(FL_PREFIX | FL_IGNORECASE, PR_EMS_AB_PROXY_ADDRESSES_A,
	                               sval(PR_EMS_AB_PROXY_ADDRESSES_A, "smtp:")), 0,
	              MAPI_E_TOO_COMPLEX, NULL);
	expect_filter(map_iop, content(FL_PREFIX | FL_IGNORECASE, PROP_TAG(PT_STRING8, 0x1000),
	                               sval(PROP_TAG(PT_STRING8, 0x1000), "x")), 0,
	              MAPI_E_TOO_COMPLEX, NULL);
	/* Unmapped by the profile: no row has it. */
	expect_filter(map_unmapped, content(FL_PREFIX | FL_IGNORECASE, PR_TITLE_A,
	                                    sval(PR_TITLE_A, "Eng")), 0, S_OK, FALSE_F);
}

static void property_restrictions_all_relops_TB10(void **state)
{
	(void)state;
	expect_filter(map_iop, prop(RELOP_EQ, PR_TITLE_A, sval(PR_TITLE_A, "Engineer")), 0, S_OK,
	              "(title=Engineer)");
	expect_filter(map_iop, prop(RELOP_NE, PR_TITLE_W, wval(PR_TITLE_W, "Engineer")), 0, S_OK,
	              "(&(title=*)(!(title=Engineer)))");
	expect_filter(map_iop, prop(RELOP_EQ, PR_DISPLAY_NAME_W, wval(PR_DISPLAY_NAME_W, "Jo")),
	              0, S_OK, "(|(displayName=Jo)(&(!(displayName=*))(cn=Jo)))");
	expect_filter(map_iop, prop(RELOP_NE, PR_DISPLAY_NAME_W, wval(PR_DISPLAY_NAME_W, "Jo")),
	              0, S_OK, "(|(&(displayName=*)(!(displayName=Jo)))"
	                       "(&(!(displayName=*))(&(cn=*)(!(cn=Jo)))))");
	/* Order: only where the server orders these attributes (OpenLDAP's
	 * schema gives them no ORDERING rule: (sn>=M) would match nothing). */
	expect_filter(map_iop, prop(RELOP_GE, PR_SURNAME_A, sval(PR_SURNAME_A, "M")), 0,
	              MAPI_E_TOO_COMPLEX, NULL);
	expect_filter(map_iop, prop(RELOP_LT, PR_SURNAME_A, sval(PR_SURNAME_A, "M")), 0,
	              MAPI_E_TOO_COMPLEX, NULL);
	expect_filter(map_ad, prop(RELOP_GE, PR_SURNAME_A, sval(PR_SURNAME_A, "M")),
	              ABP_RESTRICT_ORDERED, S_OK, "(sn>=M)");
	expect_filter(map_ad, prop(RELOP_LE, PR_SURNAME_A, sval(PR_SURNAME_A, "M")),
	              ABP_RESTRICT_ORDERED, S_OK, "(sn<=M)");
	expect_filter(map_ad, prop(RELOP_GT, PR_SURNAME_A, sval(PR_SURNAME_A, "M")),
	              ABP_RESTRICT_ORDERED, S_OK, "(&(sn=*)(!(sn<=M)))");
	expect_filter(map_ad, prop(RELOP_LT, PR_SURNAME_A, sval(PR_SURNAME_A, "M")),
	              ABP_RESTRICT_ORDERED, S_OK, "(&(sn=*)(!(sn>=M)))");
	expect_filter(map_ad, prop(RELOP_RE, PR_SURNAME_A, sval(PR_SURNAME_A, "M.*")),
	              ABP_RESTRICT_ORDERED, MAPI_E_TOO_COMPLEX, NULL);
	/* "" : nothing equals it, everything is greater. */
	expect_filter(map_iop, prop(RELOP_EQ, PR_TITLE_A, sval(PR_TITLE_A, "")), 0, S_OK,
	              FALSE_F);
	expect_filter(map_iop, prop(RELOP_NE, PR_TITLE_A, sval(PR_TITLE_A, "")), 0, S_OK,
	              "(title=*)");
	/* A number on a property with no class meaning. */
	expect_filter(map_iop, prop(RELOP_EQ, PR_DEPTH, lval(PR_DEPTH, 0)), 0, MAPI_E_TOO_COMPLEX,
	              NULL);
}

static void display_and_object_type_select_classes_CT4_TB10(void **state)
{
	(void)state;
	expect_filter(map_iop, prop(RELOP_EQ, PR_DISPLAY_TYPE, lval(PR_DISPLAY_TYPE, DT_MAILUSER)),
	              0, S_OK, PERSON);
	expect_filter(map_iop, prop(RELOP_EQ, PR_DISPLAY_TYPE, lval(PR_DISPLAY_TYPE, DT_DISTLIST)),
	              0, S_OK, GROUP);
	expect_filter(map_iop, prop(RELOP_NE, PR_OBJECT_TYPE, lval(PR_OBJECT_TYPE, MAPI_MAILUSER)),
	              0, S_OK, GROUP);
	expect_filter(map_iop, prop(RELOP_EQ, PR_OBJECT_TYPE, lval(PR_OBJECT_TYPE, MAPI_DISTLIST)),
	              0, S_OK, GROUP);
	expect_filter(map_iop, prop(RELOP_GE, PR_OBJECT_TYPE, lval(PR_OBJECT_TYPE, MAPI_MAILUSER)),
	              0, S_OK, TRUE_F);
	expect_filter(map_iop, prop(RELOP_EQ, PR_DISPLAY_TYPE, lval(PR_DISPLAY_TYPE, DT_GLOBAL)),
	              0, S_OK, FALSE_F);
	expect_filter(map_iop, bitmask(BMR_NEZ, PR_DISPLAY_TYPE, 1), 0, S_OK, GROUP);
	expect_filter(map_iop, bitmask(BMR_EQZ, PR_DISPLAY_TYPE, 1), 0, S_OK, PERSON);
	expect_filter(map_iop, exist(PR_OBJECT_TYPE), 0, S_OK, TRUE_F);
	expect_filter(map_ad, prop(RELOP_EQ, PR_DISPLAY_TYPE, lval(PR_DISPLAY_TYPE, DT_MAILUSER)),
	              ABP_RESTRICT_NATIVE_ANR, S_OK, AD_PERSON);
	expect_filter(map_ad, bitmask(BMR_NEZ, PR_DISPLAY_TYPE, 1), ABP_RESTRICT_NATIVE_ANR, S_OK,
	              AD_GROUP);
	/* A bitmask on anything else means nothing to a directory. */
	expect_filter(map_iop, bitmask(BMR_NEZ, PR_CONTAINER_FLAGS, AB_RECIPIENTS), 0,
	              MAPI_E_TOO_COMPLEX, NULL);
}

static void exist_restrictions_TB10(void **state)
{
	(void)state;
	expect_filter(map_iop, exist(PR_TITLE_W), 0, S_OK, "(title=*)");
	expect_filter(map_iop, exist(PR_DEPARTMENT_NAME_A), 0, S_OK,
	              "(|(departmentNumber=*)(ou=*))");
	expect_filter(map_iop, exist(PR_DISPLAY_NAME_W), 0, S_OK, TRUE_F);
	expect_filter(map_iop, exist(PR_ENTRYID), 0, S_OK, TRUE_F);
	expect_filter(map_iop, exist(PR_EMS_AB_PROXY_ADDRESSES_W), 0, S_OK, "(mail=*)");
	expect_filter(map_iop, exist(PR_ADDRTYPE_W), 0, S_OK, "(|" GROUP "(mail=*))");
	expect_filter(map_unmapped, exist(PR_TITLE_W), 0, S_OK, FALSE_F);
	expect_filter(map_iop, not_(exist(PR_TITLE_W)), 0, S_OK, "(!(title=*))");
	expect_filter(map_iop, exist(PR_ANR_W), 0, MAPI_E_TOO_COMPLEX, NULL);
	expect_filter(map_iop, exist(PROP_TAG(PT_LONG, 0x6001)), 0, MAPI_E_TOO_COMPLEX, NULL);
}

static void anr_emulated_and_native_CT9(void **state)
{
	(void)state;
	expect_filter(map_iop, anr("Ann"), 0, S_OK, ANR_ANN);
	expect_filter(map_iop, prop(RELOP_EQ, PR_ANR_W, wval(PR_ANR_W, "Ann")), 0, S_OK, ANR_ANN);
	/* PR_ANR's ID with the other type in the tag. */
	expect_filter(map_iop, prop(RELOP_EQ, PR_ANR_W, sval(PR_ANR_A, "Ann")), 0, S_OK, ANR_ANN);
	/* "First Last" spelt out through givenName/sn (ldapbridge's builder). */
	expect_filter(map_iop, anr("Bill L"), 0, S_OK,
	              "(|(&(givenName=Bill*)(sn=L*))"
	              "(&(|(displayName=Bill*)(cn=Bill*)(givenName=Bill*)(sn=Bill*)(mail=Bill*)"
	              "(uid=Bill*)(displayName=* Bill*)(cn=* Bill*))"
	              "(|(displayName=L*)(cn=L*)(givenName=L*)(sn=L*)(mail=L*)(uid=L*)"
	              "(displayName=* L*)(cn=* L*))))");
	/* CT-9: blank matches nothing. */
	expect_filter(map_iop, anr(""), 0, S_OK, FALSE_F);
	expect_filter(map_iop, anr("  ,  "), 0, S_OK, FALSE_F);
	/* Nested in AND / OR / NOT. */
	expect_filter(map_iop,
	              list(RES_AND, 2, anr("Ann"),
	                   prop(RELOP_EQ, PR_DISPLAY_TYPE, lval(PR_DISPLAY_TYPE, DT_MAILUSER))),
	              0, S_OK, "(&" ANR_ANN PERSON ")");
	expect_filter(map_iop, list(RES_OR, 2, anr("Ann"), not_(anr("Ann"))), 0, S_OK,
	              "(|" ANR_ANN "(!" ANR_ANN "))");
	/* Native (AD): anr=, plus "Last, First" and a full address. */
	expect_filter(map_ad, anr("Ann"), ABP_RESTRICT_NATIVE_ANR, S_OK, "(anr=Ann)");
	expect_filter(map_ad, anr("Lee,  Ann"), ABP_RESTRICT_NATIVE_ANR, S_OK,
	              "(|(anr=Lee, Ann)(&(sn=Lee*)(givenName=Ann*)))");
	expect_filter(map_ad, anr("ann@example.com"), ABP_RESTRICT_NATIVE_ANR, S_OK,
	              "(|(|(anr=ann@example.com)(mail=ann@example.com))"
	              "(proxyAddresses=smtp:ann@example.com))");
	expect_filter(map_ad, anr("*)(x=*"), ABP_RESTRICT_NATIVE_ANR, S_OK,
	              "(anr=\\2a\\29\\28x=\\2a)");
	/* Not a name search. */
	expect_filter(map_iop, prop(RELOP_NE, PR_ANR_A, sval(PR_ANR_A, "Ann")), 0,
	              MAPI_E_TOO_COMPLEX, NULL);
	expect_filter(map_iop, content(FL_PREFIX | FL_IGNORECASE, PR_ANR_A, sval(PR_ANR_A, "Ann")),
	              0, MAPI_E_TOO_COMPLEX, NULL);
	/* Beyond ldapbridge's ANR bounds: said, not dropped. */
	expect_filter(map_iop, anr("a b c d e f g h i"), 0, MAPI_E_TOO_COMPLEX, NULL);
}

static void and_or_not_TB10(void **state)
{
	(void)state;
	expect_filter(map_iop,
	              list(RES_AND, 2, exist(PR_TITLE_A),
	                   list(RES_OR, 2, prop(RELOP_EQ, PR_TITLE_A, sval(PR_TITLE_A, "A")),
	                        not_(prop(RELOP_EQ, PR_TITLE_A, sval(PR_TITLE_A, "B"))))),
	              0, S_OK, "(&(title=*)(|(title=A)(!(title=B))))");
	expect_filter(map_iop, list(RES_AND, 0), 0, S_OK, TRUE_F);
	expect_filter(map_iop, list(RES_OR, 0), 0, S_OK, FALSE_F);
	expect_filter(map_iop, list(RES_AND, 1, exist(PR_TITLE_A)), 0, S_OK, "(title=*)");
	/* One untranslatable part fails the whole restriction (never dropped). */
	expect_filter(map_iop,
	              list(RES_OR, 2, exist(PR_TITLE_A),
	                   content(FL_PREFIX, PR_TITLE_A, sval(PR_TITLE_A, "A"))),
	              0, MAPI_E_TOO_COMPLEX, NULL);
	expect_filter(map_iop, not_(content(FL_PREFIX, PR_TITLE_A, sval(PR_TITLE_A, "A"))), 0,
	              MAPI_E_TOO_COMPLEX, NULL);
}

static void unsupported_types_are_too_complex_TB10(void **state)
{
	SRestriction *r;

	(void)state;
	r = new_res(RES_COMPAREPROPS);
	r->res.resCompareProps.relop = RELOP_EQ;
	r->res.resCompareProps.ulPropTag1 = PR_GIVEN_NAME_W;
	r->res.resCompareProps.ulPropTag2 = PR_SURNAME_W;
	expect_filter(map_iop, r, 0, MAPI_E_TOO_COMPLEX, NULL);
	r = new_res(RES_SIZE);
	r->res.resSize.relop = RELOP_GT;
	r->res.resSize.ulPropTag = PR_DISPLAY_NAME_W;
	r->res.resSize.cb = 4;
	expect_filter(map_iop, r, 0, MAPI_E_TOO_COMPLEX, NULL);
	r = new_res(RES_SUBRESTRICTION);
	r->res.resSub.ulSubObject = PR_DISPLAY_NAME_W;
	r->res.resSub.lpRes = exist(PR_TITLE_W);
	expect_filter(map_iop, r, 0, MAPI_E_TOO_COMPLEX, NULL);
	r = new_res(RES_COMMENT);
	r->res.resComment.lpRes = exist(PR_TITLE_W);
	expect_filter(map_iop, r, 0, MAPI_E_TOO_COMPLEX, NULL);
}

/* Injection-shaped values are escaped, never filter syntax (TB-10, CT-9). */
static void hostile_values_are_escaped_TB10_CT9(void **state)
{
	char big[10 * 1024 + 1];
	SPropValue *nul;

	(void)state;
	expect_filter(map_iop, prop(RELOP_EQ, PR_TITLE_A, sval(PR_TITLE_A, "*")), 0, S_OK,
	              "(title=\\2a)");
	expect_filter(map_iop, content(FL_PREFIX | FL_IGNORECASE, PR_DISPLAY_NAME_A,
	                               sval(PR_DISPLAY_NAME_A, "*)(uid=*")), 0, S_OK,
	              "(|(displayName=\\2a\\29\\28uid=\\2a*)(&(!(displayName=*))"
	              "(cn=\\2a\\29\\28uid=\\2a*)))");
	expect_filter(map_iop, prop(RELOP_EQ, PR_TITLE_A, sval(PR_TITLE_A, "\\2a")), 0, S_OK,
	              "(title=\\5c2a)");
	expect_filter(map_iop, anr("*)(uid=*"), 0, S_OK,
	              "(|(displayName=\\2a\\29\\28uid=\\2a*)(cn=\\2a\\29\\28uid=\\2a*)"
	              "(givenName=\\2a\\29\\28uid=\\2a*)(sn=\\2a\\29\\28uid=\\2a*)"
	              "(mail=\\2a\\29\\28uid=\\2a*)(uid=\\2a\\29\\28uid=\\2a*)"
	              "(displayName=* \\2a\\29\\28uid=\\2a*)(cn=* \\2a\\29\\28uid=\\2a*))");
	/* A NUL ends a MAPI string: what follows it is not part of the value. */
	nul = keep(calloc(1, sizeof(*nul)));
	nul->ulPropTag = PR_TITLE_A;
	nul->Value.lpszA = keep(malloc(6));
	memcpy(nul->Value.lpszA, "ab\0*)", 6);
	expect_filter(map_iop, prop(RELOP_EQ, PR_TITLE_A, nul), 0, S_OK, "(title=ab)");
	/* Control bytes and invalid UTF-8 (8-bit strings are UTF-8 here, MU-6):
	 * invalid bytes become U+FFFD, controls are escaped. */
	expect_filter(map_iop, prop(RELOP_EQ, PR_TITLE_A, sval(PR_TITLE_A, "a\xff\xfe\x01")), 0,
	              S_OK, "(title=a\xef\xbf\xbd\xef\xbf\xbd\\01)");
	/* 10 kB: over ldapbridge's value bound - refused, not cut. */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	expect_filter(map_iop, prop(RELOP_EQ, PR_TITLE_A, sval(PR_TITLE_A, big)), 0,
	              MAPI_E_TOO_COMPLEX, NULL);
	expect_filter(map_iop, anr(big), 0, MAPI_E_TOO_COMPLEX, NULL);
}

/* ------------------------------------------------------------------------ */
/* Validation                                                                */
/* ------------------------------------------------------------------------ */

static HRESULT validate(const SRestriction *r)
{
	struct abp_lasterr le;
	HRESULT hr;

	abp_lasterr_init(&le);
	hr = abp_restrict_validate(r, &le);
	if (FAILED(hr)) {
		assert_int_equal(le.hr, hr);
		assert_true(strlen(le.text) > 20);
	}
	abp_lasterr_destroy(&le);
	return hr;
}

static SRestriction *nest_not(size_t depth)
{
	SRestriction *r = exist(PR_TITLE_W);
	size_t i;

	for (i = 1; i < depth; i++)
		r = not_(r);
	return r;
}

static void malformed_restrictions_are_refused_TB10(void **state)
{
	SRestriction *r;

	(void)state;
	assert_int_equal(validate(NULL), MAPI_E_INVALID_PARAMETER);
	r = new_res(99);
	assert_int_equal(validate(r), MAPI_E_INVALID_PARAMETER);
	r = new_res(RES_AND);
	r->res.resAnd.cRes = 2;
	assert_int_equal(validate(r), MAPI_E_INVALID_PARAMETER);
	assert_int_equal(validate(not_(NULL)), MAPI_E_INVALID_PARAMETER);
	assert_int_equal(validate(prop(RELOP_EQ, PR_TITLE_A, NULL)), MAPI_E_INVALID_PARAMETER);
	assert_int_equal(validate(content(FL_PREFIX, PR_TITLE_A, NULL)), MAPI_E_INVALID_PARAMETER);
	assert_int_equal(validate(prop(7, PR_TITLE_A, sval(PR_TITLE_A, "x"))),
	                 MAPI_E_INVALID_PARAMETER);
	assert_int_equal(validate(content(3, PR_TITLE_A, sval(PR_TITLE_A, "x"))),
	                 MAPI_E_INVALID_PARAMETER);
	assert_int_equal(validate(content(FL_PREFIX | 0x100000, PR_TITLE_A, sval(PR_TITLE_A, "x"))),
	                 MAPI_E_INVALID_PARAMETER);
	assert_int_equal(validate(bitmask(2, PR_DISPLAY_TYPE, 1)), MAPI_E_INVALID_PARAMETER);
	/* The value's type must fit the tag (strings _A/_W are one). */
	assert_int_equal(validate(prop(RELOP_EQ, PR_TITLE_A, lval(PR_DISPLAY_TYPE, 1))),
	                 MAPI_E_INVALID_PARAMETER);
	assert_int_equal(validate(prop(RELOP_EQ, PR_TITLE_A, wval(PR_TITLE_W, "x"))), S_OK);
	r = prop(RELOP_EQ, PR_TITLE_A, sval(PR_TITLE_A, "x"));
	r->res.resProperty.lpProp->Value.lpszA = NULL;
	assert_int_equal(validate(r), MAPI_E_INVALID_PARAMETER);
	/* The same failures through the translation, filter untouched. */
	expect_filter(map_iop, r, 0, MAPI_E_INVALID_PARAMETER, NULL);
	expect_filter(map_iop, new_res(42), 0, MAPI_E_INVALID_PARAMETER, NULL);
}

static void depth_and_size_are_bounded_TB10(void **state)
{
	SRestriction *wide;

	(void)state;
	assert_int_equal(validate(nest_not(ABP_RESTRICT_MAX_DEPTH)), S_OK);
	expect_filter(map_iop, nest_not(ABP_RESTRICT_MAX_DEPTH), 0, S_OK,
	              "(!(!(!(!(!(!(!(title=*))))))))");
	assert_int_equal(validate(nest_not(ABP_RESTRICT_MAX_DEPTH + 1)), MAPI_E_TOO_COMPLEX);
	/* 1000 levels: refused without walking them all (no recursion). */
	assert_int_equal(validate(nest_not(1000)), MAPI_E_TOO_COMPLEX);
	expect_filter(map_iop, nest_not(1000), 0, MAPI_E_TOO_COMPLEX, NULL);
	/* The deepest AND/OR tree of ANR leaves still renders within
	 * ldapbridge's filter depth. */
	{
		SRestriction *r = anr("Bill Lee");
		size_t i;

		for (i = 1; i < ABP_RESTRICT_MAX_DEPTH; i++)
			r = list(i % 2 ? RES_AND : RES_OR, 2, r, exist(PR_TITLE_W));
		assert_int_equal(validate(r), S_OK);
		{
			struct abp_lasterr le;
			char *f = NULL;

			abp_lasterr_init(&le);
			assert_int_equal(abp_restrict_to_filter(map_iop, r, 0, &le, &f), S_OK);
			free(f);
			abp_lasterr_destroy(&le);
		}
	}
	/* A million-wide AND is refused by its count, not walked. */
	wide = new_res(RES_AND);
	wide->res.resAnd.cRes = 1000000;
	wide->res.resAnd.lpRes = exist(PR_TITLE_W);     /* never read past [0] */
	assert_int_equal(validate(wide), MAPI_E_TOO_COMPLEX);
}

/* ------------------------------------------------------------------------ */
/* In-memory evaluation and ranking                                         */
/* ------------------------------------------------------------------------ */

static void person(struct abp_props *bag, const char *display, const char *given,
                   const char *sn, const char *mail, const char *account)
{
	abp_props_init(bag);
	assert_int_equal(abp_props_add_string(bag, PR_DISPLAY_NAME_W, display, (size_t)-1), S_OK);
	if (given)
		assert_int_equal(abp_props_add_string(bag, PR_GIVEN_NAME_W, given, (size_t)-1), S_OK);
	if (sn)
		assert_int_equal(abp_props_add_string(bag, PR_SURNAME_W, sn, (size_t)-1), S_OK);
	if (mail)
		assert_int_equal(abp_props_add_string(bag, PR_EMAIL_ADDRESS_W, mail, (size_t)-1),
		                 S_OK);
	if (account)
		assert_int_equal(abp_props_add_string(bag, PR_ACCOUNT_W, account, (size_t)-1), S_OK);
	assert_int_equal(abp_props_add_long(bag, PR_DISPLAY_TYPE, DT_MAILUSER), S_OK);
	assert_int_equal(abp_props_add_long(bag, PR_OBJECT_TYPE, MAPI_MAILUSER), S_OK);
}

static bool matches(const SRestriction *r, const struct abp_props *row)
{
	assert_int_equal(abp_restrict_validate(r, NULL), S_OK);
	return abp_restrict_match(r, row);
}

static void anr_in_memory_CT9(void **state)
{
	struct abp_props bill_lee, billy_larson, sam_bill_lee, lee_ann, helene;
	static const char *const proxies[] = { "SMTP:ann.lee@example.com", "smtp:al@example.org",
	                                       "X400:c=us;a= ;p=Example" };

	(void)state;
	person(&bill_lee, "Bill Lee", "Bill", "Lee", "bill.lee@example.com", "blee");
	person(&billy_larson, "Billy Larson", "Billy", "Larson", "billy@example.com", "blarson");
	person(&sam_bill_lee, "Sam Bill Lee", "Sam", "Lee", "sam@example.com", "slee");
	person(&lee_ann, "Lee, Ann", "Ann", "Lee", "ann.lee@example.com", "alee");
	assert_int_equal(abp_props_add_mv_string(&lee_ann, PR_EMS_AB_PROXY_ADDRESSES_W, proxies,
	                                         NULL, 3), S_OK);
	person(&helene, "H\xc3\xa9l\xc3\xa8ne Rousseau", "H\xc3\xa9l\xc3\xa8ne", "Rousseau",
	       "helene.rousseau@example.com", "hrousseau");

	/* The docs' example: "Bill L". */
	assert_true(matches(anr("Bill L"), &bill_lee));
	assert_true(matches(anr("bill l"), &billy_larson));
	assert_true(matches(anr("Bill L"), &sam_bill_lee));
	assert_false(matches(anr("Bill L"), &lee_ann));
	/* "Last, First", mail and account prefixes, a full secondary address. */
	assert_true(matches(anr("Lee, Ann"), &lee_ann));
	assert_true(matches(anr("ann.lee@"), &lee_ann));
	assert_true(matches(anr("ALEE"), &lee_ann));
	assert_true(matches(anr("al@example.org"), &lee_ann));
	assert_false(matches(anr("example.org"), &lee_ann));
	/* Non-ASCII names fold case. */
	assert_true(matches(anr("H\xc3\x89L\xc3\x88NE"), &helene));
	assert_true(matches(prop(RELOP_EQ, PR_ANR_W, wval(PR_ANR_W, "rous")), &helene));
	/* Blank matches nothing; a substring is not a prefix. */
	assert_false(matches(anr("   "), &bill_lee));
	assert_false(matches(anr("ee"), &bill_lee));
	assert_false(matches(anr("*"), &bill_lee));

	abp_props_free(&bill_lee);
	abp_props_free(&billy_larson);
	abp_props_free(&sam_bill_lee);
	abp_props_free(&lee_ann);
	abp_props_free(&helene);
}

/* CT-9 in memory reads what the filter searches: each word a prefix of the
 * display name's words, the given name, the surname, the address or the
 * account, wherever the row has them - here none of them is in the
 * display name. */
static void anr_in_memory_reads_every_name_property_CT9(void **state)
{
	struct abp_props p, bare;

	(void)state;
	person(&p, "The Boss", "Christopher", "Okonkwo-Smith", "ceo@example.com", "xq7");
	person(&bare, "The Boss", NULL, NULL, NULL, NULL);
	assert_true(matches(anr("bos"), &p));                   /* a display name word */
	assert_true(matches(anr("christo"), &p));               /* given name */
	assert_true(matches(anr("OKONKWO"), &p));               /* surname */
	assert_true(matches(anr("ceo@"), &p));                  /* address */
	assert_true(matches(anr("xq"), &p));                    /* account */
	assert_true(matches(anr("Okonkwo, Chris"), &p));        /* "Last, First" */
	assert_true(matches(anr("chris ceo xq7 the"), &p));     /* every word somewhere */
	assert_false(matches(anr("chris nobody"), &p));         /* one word nowhere */
	assert_false(matches(anr("smith"), &p));                /* not a prefix of sn */
	/* Without those properties only the display name is there to match. */
	assert_true(matches(anr("boss"), &bare));
	assert_false(matches(anr("christo"), &bare));
	assert_false(matches(anr("ceo@"), &bare));
	abp_props_free(&p);
	abp_props_free(&bare);
}

/* Which servers get which translation: Active Directory answers anr=;
 * order comparisons translate for no server (restrict.h: AD's collation is
 * not the in-memory one), so they are refused, never dropped. */
static void server_flags_TB10_CT9(void **state)
{
	struct lb_rootdse ad, openldap;
	char *f = NULL;
	struct abp_lasterr le;
	SRestriction *ge = prop(RELOP_GE, PR_SURNAME_A, sval(PR_SURNAME_A, "M"));

	(void)state;
	memset(&ad, 0, sizeof(ad));
	memset(&openldap, 0, sizeof(openldap));
	ad.is_active_directory = true;
	assert_int_equal(abp_restrict_server_flags(&ad), ABP_RESTRICT_NATIVE_ANR);
	assert_int_equal(abp_restrict_server_flags(&openldap), 0);
	assert_int_equal(abp_restrict_server_flags(NULL), 0);
	abp_lasterr_init(&le);
	assert_int_equal(abp_restrict_to_filter(map_ad, ge, abp_restrict_server_flags(&ad), &le, &f),
	                 MAPI_E_TOO_COMPLEX);
	assert_null(f);
	assert_int_equal(abp_restrict_to_filter(map_iop, ge, abp_restrict_server_flags(&openldap),
	                                        &le, &f), MAPI_E_TOO_COMPLEX);
	assert_null(f);
	abp_lasterr_destroy(&le);
}

static void other_restrictions_in_memory_TB10_CT8(void **state)
{
	struct abp_props ann;
	static const uint8_t key[] = { 1, 2, 3, 4 }, other[] = { 1, 2, 3, 5 };
	SPropValue *kv;

	(void)state;
	person(&ann, "H\xc3\xa9l\xc3\xa8ne Rousseau", "H\xc3\xa9l\xc3\xa8ne", "Rousseau",
	       "helene.rousseau@example.com", "hrousseau");
	assert_int_equal(abp_props_add_binary(&ann, PR_INSTANCE_KEY, key, sizeof(key)), S_OK);

	/* CT-8c: prefix ± case. */
	assert_true(matches(content(FL_PREFIX | FL_IGNORECASE, PR_DISPLAY_NAME_A,
	                            sval(PR_DISPLAY_NAME_A, "h\xc3\xa9L")), &ann));
	assert_false(matches(content(FL_PREFIX, PR_DISPLAY_NAME_A,
	                             sval(PR_DISPLAY_NAME_A, "h\xc3\xa9L")), &ann));
	assert_true(matches(content(FL_PREFIX, PR_DISPLAY_NAME_W,
	                            sval(PR_DISPLAY_NAME_A, "H\xc3\xa9l")), &ann));
	assert_true(matches(content(FL_SUBSTRING | FL_IGNORECASE, PR_DISPLAY_NAME_A,
	                            sval(PR_DISPLAY_NAME_A, "ROUSS")), &ann));
	assert_true(matches(content(FL_FULLSTRING | FL_IGNORENONSPACE | FL_IGNORECASE,
	                            PR_GIVEN_NAME_A, sval(PR_GIVEN_NAME_A, "helene")), &ann));
	assert_false(matches(content(FL_FULLSTRING | FL_IGNORECASE, PR_GIVEN_NAME_A,
	                             sval(PR_GIVEN_NAME_A, "helene")), &ann));
	/* CT-8d: RELOP_GE on the display name (type-down by FindRow). */
	assert_true(matches(prop(RELOP_GE, PR_DISPLAY_NAME_A, sval(PR_DISPLAY_NAME_A, "h")), &ann));
	assert_false(matches(prop(RELOP_GE, PR_DISPLAY_NAME_A, sval(PR_DISPLAY_NAME_A, "i")),
	                     &ann));
	assert_true(matches(prop(RELOP_LT, PR_DISPLAY_NAME_A, sval(PR_DISPLAY_NAME_A, "I")), &ann));
	assert_true(matches(prop(RELOP_NE, PR_SURNAME_A, sval(PR_SURNAME_A, "Lee")), &ann));
	/* A missing property satisfies nothing but a NOT over it. */
	assert_false(matches(prop(RELOP_NE, PR_TITLE_A, sval(PR_TITLE_A, "x")), &ann));
	assert_true(matches(not_(exist(PR_TITLE_A)), &ann));
	/* CT-8b: FindRow on PR_INSTANCE_KEY. */
	kv = keep(calloc(1, sizeof(*kv)));
	kv->ulPropTag = PR_INSTANCE_KEY;
	kv->Value.bin.cb = sizeof(key);
	kv->Value.bin.lpb = (LPBYTE)key;
	assert_true(matches(prop(RELOP_EQ, PR_INSTANCE_KEY, kv), &ann));
	kv = keep(calloc(1, sizeof(*kv)));
	kv->ulPropTag = PR_INSTANCE_KEY;
	kv->Value.bin.cb = sizeof(other);
	kv->Value.bin.lpb = (LPBYTE)other;
	assert_false(matches(prop(RELOP_EQ, PR_INSTANCE_KEY, kv), &ann));
	/* Numbers, bitmasks, lists. */
	assert_true(matches(prop(RELOP_EQ, PR_DISPLAY_TYPE, lval(PR_DISPLAY_TYPE, DT_MAILUSER)),
	                    &ann));
	assert_true(matches(bitmask(BMR_EQZ, PR_DISPLAY_TYPE, 1), &ann));
	assert_false(matches(bitmask(BMR_NEZ, PR_DISPLAY_TYPE, 1), &ann));
	assert_true(matches(list(RES_AND, 0), &ann));
	assert_false(matches(list(RES_OR, 0), &ann));
	assert_true(matches(list(RES_OR, 2, exist(PR_TITLE_A), exist(PR_SURNAME_A)), &ann));
	assert_false(matches(list(RES_AND, 2, exist(PR_TITLE_A), exist(PR_SURNAME_A)), &ann));
	assert_false(abp_restrict_match(exist(PR_SURNAME_A), NULL));
	abp_props_free(&ann);
}

static void ranking_exact_prefix_substring_CT11i(void **state)
{
	struct abp_props chris, christopher;
	static const char *const proxies[] = { "SMTP:chris.smith@example.com",
	                                       "smtp:cs@example.org" };

	(void)state;
	person(&chris, "Chris Smith", "Chris", "Smith", "chris.smith@example.com", "csmith");
	assert_int_equal(abp_props_add_mv_string(&chris, PR_EMS_AB_PROXY_ADDRESSES_W, proxies,
	                                         NULL, 2), S_OK);
	person(&christopher, "Christopher Jones", "Christopher", "Jones",
	       "christopher.jones@example.com", "cjones");
	assert_int_equal(abp_restrict_rank(&chris, "chris smith"), ABP_RANK_EXACT);
	assert_int_equal(abp_restrict_rank(&chris, " CHRIS.SMITH@example.com "), ABP_RANK_EXACT);
	assert_int_equal(abp_restrict_rank(&chris, "cs@example.org"), ABP_RANK_EXACT);
	assert_int_equal(abp_restrict_rank(&chris, "chris"), ABP_RANK_PREFIX);
	assert_int_equal(abp_restrict_rank(&christopher, "chris"), ABP_RANK_PREFIX);
	assert_int_equal(abp_restrict_rank(&christopher, "jones"), ABP_RANK_SUBSTRING);
	assert_int_equal(abp_restrict_rank(&chris, "csm"), ABP_RANK_PREFIX);
	assert_int_equal(abp_restrict_rank(&chris, ""), ABP_RANK_SUBSTRING);
	abp_props_free(&chris);
	abp_props_free(&christopher);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(content_restrictions_CT8c_TB10, arena_free),
		cmocka_unit_test_teardown(property_restrictions_all_relops_TB10, arena_free),
		cmocka_unit_test_teardown(display_and_object_type_select_classes_CT4_TB10, arena_free),
		cmocka_unit_test_teardown(exist_restrictions_TB10, arena_free),
		cmocka_unit_test_teardown(anr_emulated_and_native_CT9, arena_free),
		cmocka_unit_test_teardown(and_or_not_TB10, arena_free),
		cmocka_unit_test_teardown(unsupported_types_are_too_complex_TB10, arena_free),
		cmocka_unit_test_teardown(hostile_values_are_escaped_TB10_CT9, arena_free),
		cmocka_unit_test_teardown(malformed_restrictions_are_refused_TB10, arena_free),
		cmocka_unit_test_teardown(depth_and_size_are_bounded_TB10, arena_free),
		cmocka_unit_test_teardown(anr_in_memory_CT9, arena_free),
		cmocka_unit_test_teardown(anr_in_memory_reads_every_name_property_CT9, arena_free),
		cmocka_unit_test_teardown(server_flags_TB10_CT9, arena_free),
		cmocka_unit_test_teardown(other_restrictions_in_memory_TB10_CT8, arena_free),
		cmocka_unit_test_teardown(ranking_exact_prefix_substring_CT11i, arena_free),
	};

	return cmocka_run_group_tests(tests, maps_setup, maps_teardown);
}
