/*
 * fuzz_entry.c - libFuzzer target for provider/entryprops.c: a directory
 * entry as a hostile server could send it → the property bag of a person or
 * group (MU-1, MU-2, MU-6, EK-2, EK-6, EK-7), then GetProps on that bag.
 *
 * Input: byte 0 picks the schema (inetOrgPerson / AD) and the server's
 * stable-ID attributes; then the DN (length-prefixed, any bytes); then
 * attributes, each an index into the map's requested attributes (so every
 * mapped attribute, objectClass and the ID attributes are reached) or a raw
 * name, and values (length-prefixed, any bytes: invalid UTF-8, NULs, empty,
 * objectGUIDs of the wrong size, a value repeated many times).
 * Properties:
 *   - only S_OK, MAPI_E_NOT_FOUND (not a person or group, no ID) or
 *     MAPI_E_NOT_ENOUGH_MEMORY; the bag is empty on failure;
 *   - on success: PR_ENTRYID, PR_RECORD_KEY, PR_SEARCH_KEY, PR_DISPLAY_TYPE
 *     and PR_OBJECT_TYPE are there and agree with the type returned; every
 *     string is valid UTF-8 without NUL within ABP_PROP_STR_MAX; multi-valued
 *     properties within ABP_PROP_MV_MAX values; binary values within
 *     ABP_PROP_BIN_MAX;
 *   - a person without mail has no PR_EMAIL_ADDRESS (it cannot be sent to);
 *   - GetProps of the whole bag (Unicode and 8-bit) gives NUL-terminated
 *     strings: UTF-16 without unpaired surrogates, 8-bit without invalid
 *     UTF-8; one root frees it all.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <mapi/mapitags.h>
#include <ldapab/profile.h>

#include "attrmap.h"
#include "entryprops.h"
#include "props.h"
#include "fuzz_alloc.h"
#include "fuzz_check.h"

#define FZ_ATTRS 48
#define FZ_VALUES 64

static const MAPIUID uid = { { 0x4C, 0x44, 0x41, 0x50, 0x41, 0x42, 0x00, 0x01,
                               0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09 } };

struct rd {
	const uint8_t *p;
	size_t n;
	char *copies[FZ_ATTRS * FZ_VALUES + 1];
	size_t n_copies;
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

/* A length-prefixed byte string, copied into a block of exactly len + 1
 * bytes ending in the NUL ldapbridge promises after every value (lb.h), so
 * ASan sees any read past it.  The length is 1 or 3 bytes. */
static const char *rd_bytes(struct rd *r, size_t *len)
{
	size_t l = rd_u8(r);
	char *p;

	if (l == 0xFF)
		l = (size_t)rd_u8(r) << 8 | rd_u8(r);
	if (l > r->n)
		l = r->n;
	p = malloc(l + 1);
	FUZZ_CHECK(p != NULL && r->n_copies < sizeof(r->copies) / sizeof(r->copies[0]));
	memcpy(p, r->p, l);
	p[l] = '\0';
	r->copies[r->n_copies++] = p;
	r->p += l;
	r->n -= l;
	*len = l;
	return p;
}

static bool utf16_ok(const WCHAR *w)
{
	for (size_t i = 0; w[i]; i++) {
		if (w[i] >= 0xD800 && w[i] <= 0xDBFF) {
			if (w[i + 1] < 0xDC00 || w[i + 1] > 0xDFFF)
				return false;
			i++;
		} else if (w[i] >= 0xDC00 && w[i] <= 0xDFFF) {
			return false;
		}
	}
	return true;
}

static void check_bag(const struct abp_props *bag, enum abp_eid_type type)
{
	const struct abp_prop *p;
	bool mail;

	FUZZ_CHECK(abp_props_find(bag, PR_ENTRYID) != NULL);
	FUZZ_CHECK(abp_props_find(bag, PR_RECORD_KEY) != NULL);
	FUZZ_CHECK(abp_props_find(bag, PR_SEARCH_KEY) != NULL);
	p = abp_props_find(bag, PR_OBJECT_TYPE);
	FUZZ_CHECK(p != NULL);
	FUZZ_CHECK((ULONG)p->v.l == (type == ABP_EID_DISTLIST ? MAPI_DISTLIST : MAPI_MAILUSER));
	FUZZ_CHECK(abp_props_find(bag, PR_DISPLAY_TYPE) != NULL);
	mail = abp_props_find(bag, PR_ADDRTYPE_W) != NULL;
	if (type == ABP_EID_MAILUSER && !mail)
		FUZZ_CHECK(abp_props_find(bag, PR_EMAIL_ADDRESS_W) == NULL);
	for (size_t i = 0; i < bag->n; i++) {
		p = &bag->p[i];
		switch (PROP_TYPE(p->tag)) {
		case PT_UNICODE:
			FUZZ_CHECK(p->v.str != NULL);
			FUZZ_CHECK(strlen(p->v.str) <= ABP_PROP_STR_MAX);
			FUZZ_CHECK(fuzz_utf8_valid((const unsigned char *)p->v.str,
			                           strlen(p->v.str)));
			break;
		case PT_MV_UNICODE:
			FUZZ_CHECK(p->v.mvstr.n >= 1 && p->v.mvstr.n <= ABP_PROP_MV_MAX);
			for (size_t k = 0; k < p->v.mvstr.n; k++) {
				const char *s = p->v.mvstr.v[k];

				FUZZ_CHECK(s != NULL && strlen(s) <= ABP_PROP_STR_MAX);
				FUZZ_CHECK(fuzz_utf8_valid((const unsigned char *)s, strlen(s)));
			}
			break;
		case PT_BINARY:
			FUZZ_CHECK(p->v.bin.cb <= ABP_PROP_BIN_MAX);
			break;
		case PT_MV_BINARY:
			FUZZ_CHECK(p->v.mvbin.n >= 1 && p->v.mvbin.n <= ABP_BIN_VALUES_MAX);
			for (size_t k = 0; k < p->v.mvbin.n; k++)
				FUZZ_CHECK(p->v.mvbin.cb[k] <= ABP_PROP_BIN_MAX);
			break;
		default:
			break;
		}
	}
}

static void check_getprops(const struct abp_props *bag, ULONG flags)
{
	static const struct abp_allocs al = { fuzz_alloc_buffer, fuzz_alloc_more,
	                                      fuzz_free_buffer };
	LPSPropValue v = NULL;
	ULONG n = 0;
	HRESULT hr;

	hr = abp_props_get(&al, bag, NULL, flags, &n, &v);
	FUZZ_CHECK(hr == S_OK || hr == MAPI_E_NOT_ENOUGH_MEMORY);
	if (hr != S_OK)
		return;
	for (ULONG i = 0; i < n; i++) {
		switch (PROP_TYPE(v[i].ulPropTag)) {
		case PT_UNICODE:
			FUZZ_CHECK(utf16_ok(v[i].Value.lpszW));
			break;
		case PT_STRING8:
			FUZZ_CHECK(fuzz_utf8_valid((const unsigned char *)v[i].Value.lpszA,
			                           strlen(v[i].Value.lpszA)));
			break;
		case PT_MV_UNICODE:
			for (ULONG k = 0; k < v[i].Value.MVszW.cValues; k++)
				FUZZ_CHECK(utf16_ok(v[i].Value.MVszW.lppszW[k]));
			break;
		case PT_MV_STRING8:
			for (ULONG k = 0; k < v[i].Value.MVszA.cValues; k++)
				FUZZ_CHECK(fuzz_utf8_valid(
					(const unsigned char *)v[i].Value.MVszA.lppszA[k],
					strlen(v[i].Value.MVszA.lppszA[k])));
			break;
		default:
			break;
		}
	}
	fuzz_free_buffer(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned uuid_bits[4] = { LB_UUID_ENTRYUUID, LB_UUID_OBJECTGUID,
	                                       LB_UUID_NSUNIQUEID, 0 };
	static const char *const extra[] = { "objectClass", "entryUUID", "objectGUID",
	                                     "nsUniqueId", "member", "uniqueMember", "mail",
	                                     "proxyAddresses", "thumbnailPhoto",
	                                     "userCertificate;binary", "manager" };
	static struct abp_attrmap *maps[8];
	static size_t n_req[8];
	struct lb_attr *attrs = NULL;
	struct lb_value *vals = NULL;
	struct abp_props bag;
	enum abp_eid_type type = ABP_EID_MAILUSER;
	static struct rd r;
	char *dn = NULL;
	const char *p;
	size_t len, n_attrs = 0, n_vals = 0;
	unsigned m;
	HRESULT hr;

	if (size < 2)
		return 0;
	r.p = data;
	r.n = size;
	r.n_copies = 0;
	m = rd_u8(&r) & 7;
	if (maps[m] == NULL) {
		FUZZ_CHECK(abp_attrmap_new((m & 4) ? LDAPAB_SCHEMA_ACTIVE_DIRECTORY
		                                   : LDAPAB_SCHEMA_INETORGPERSON,
		                           uuid_bits[m & 3], NULL, 0, &maps[m], NULL, 0) == S_OK);
		while (maps[m]->request[n_req[m]] != NULL)
			n_req[m]++;
	}
	p = rd_bytes(&r, &len);
	dn = strdup(p);                         /* the DN is a C string from libldap */
	FUZZ_CHECK(dn != NULL);

	attrs = calloc(FZ_ATTRS, sizeof(*attrs));
	vals = calloc(FZ_ATTRS * FZ_VALUES, sizeof(*vals));
	FUZZ_CHECK(attrs != NULL && vals != NULL);
	while (r.n > 0 && n_attrs < FZ_ATTRS && r.n_copies + 8 < FZ_ATTRS * FZ_VALUES) {
		struct lb_attr *a = &attrs[n_attrs++];
		uint8_t which = rd_u8(&r), nv = rd_u8(&r);
		size_t k;

		if (which < 0x80)
			a->name = (which % 2) ? extra[(which / 2) % (sizeof(extra) / sizeof(extra[0]))]
			                      : maps[m]->request[(which / 2) % n_req[m]];
		else if (which == 0xFF)
			a->name = "objectClass";
		else
			a->name = maps[m]->request[which % n_req[m]];
		a->values = &vals[n_vals];
		if (nv >= 0xF0) {
			/* One value repeated many times (a 10,000-valued attribute). */
			p = rd_bytes(&r, &len);
			for (k = 0; k < FZ_VALUES && n_vals < FZ_ATTRS * FZ_VALUES; k++, n_vals++) {
				vals[n_vals].data = p;
				vals[n_vals].len = len;
			}
			a->n_values = k;
			continue;
		}
		nv %= 8;
		for (k = 0; k < nv && n_vals < FZ_ATTRS * FZ_VALUES; k++, n_vals++) {
			if (a->name == extra[0] && (rd_u8(&r) & 1)) {
				static const char *const oc[] = { "inetOrgPerson", "groupOfNames",
				                                  "group", "user", "computer", "person",
				                                  "groupOfUniqueNames", "top" };

				vals[n_vals].data = oc[rd_u8(&r) % 8];
				vals[n_vals].len = strlen(vals[n_vals].data);
				continue;
			}
			vals[n_vals].data = rd_bytes(&r, &vals[n_vals].len);
		}
		a->n_values = k;
	}

	abp_props_init(&bag);
	hr = abp_dir_build_bag(maps[m], &uid, dn, attrs, n_attrs, &type, &bag);
	FUZZ_CHECK(hr == S_OK || hr == MAPI_E_NOT_FOUND || hr == MAPI_E_NOT_ENOUGH_MEMORY);
	if (hr != S_OK) {
		FUZZ_CHECK(bag.n == 0);
	} else {
		FUZZ_CHECK(type == ABP_EID_MAILUSER || type == ABP_EID_DISTLIST);
		check_bag(&bag, type);
		check_getprops(&bag, MAPI_UNICODE);
		check_getprops(&bag, 0);
	}
	abp_props_free(&bag);
	FUZZ_CHECK(fuzz_alloc_live() == 0);
	for (size_t i = 0; i < r.n_copies; i++)
		free(r.copies[i]);
	free(vals);
	free(attrs);
	free(dn);
	return 0;
}
