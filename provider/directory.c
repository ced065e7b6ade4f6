/*
 * directory.c - people and groups: bag building, lookup by entry ID,
 * PrepareRecips, and the IMAPIProp methods our read-only objects share.
 * See directory.h.
 */
#include "directory.h"

#include <assert.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ldapab/profile.h>

/* Context numbers for MAPIERROR.ulContext (directory.c: 0x0400..). */
enum {
	CTX_NO_TABLES = 0x0401,
	CTX_READ_ONLY
};

/* ------------------------------------------------------------------------ */
/* entryUUID text                                                           */
/* ------------------------------------------------------------------------ */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool abp_uuid_parse(const char *text, size_t len, uint8_t out[16])
{
	uint8_t tmp[16];
	size_t i, k = 0;

	if (text == NULL || len != 36)
		return false;
	for (i = 0; i < 36;) {
		int hi, lo;

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (text[i] != '-')
				return false;
			i++;
			continue;
		}
		hi = hexval(text[i]);
		lo = hexval(text[i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		tmp[k++] = (uint8_t)(hi << 4 | lo);
		i += 2;
	}
	memcpy(out, tmp, 16);
	return true;
}

void abp_uuid_format(const uint8_t in[16], char out[37])
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0;

	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[in[i] >> 4];
		out[o++] = hex[in[i] & 15];
	}
	out[o] = '\0';
}

/* ------------------------------------------------------------------------ */
/* Bag building                                                             */
/* ------------------------------------------------------------------------ */

static const struct lb_attr *find_attr(const struct lb_attr *attrs, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (attrs[i].name != NULL && strcasecmp(attrs[i].name, name) == 0)
			return &attrs[i];
	return NULL;
}

static const struct lb_value *first_value(const struct lb_attr *a)
{
	size_t i;

	if (a == NULL)
		return NULL;
	for (i = 0; i < a->n_values; i++)
		if (a->values[i].len > 0 && a->values[i].data != NULL)
			return &a->values[i];
	return NULL;
}

/* A DN value usable as a C string (no embedded NUL). */
static bool is_cstring(const struct lb_value *v)
{
	return memchr(v->data, '\0', v->len) == NULL;
}

/* One source of a map row → the bag.  *done when it produced a value. */
static HRESULT map_source(struct abp_props *bag, ULONG tag, const struct abp_attr_source *src,
                          const struct lb_attr *a, bool *done)
{
	HRESULT hr = S_OK;
	size_t i, k = 0;
	const struct lb_value *v;

	*done = false;
	switch (src->conv) {
	case ABP_CONV_FIRST:
		v = first_value(a);
		if (v == NULL)
			return S_OK;
		if (PROP_TYPE(tag) == PT_MV_UNICODE)
			hr = abp_props_add_mv_string(bag, tag, &v->data, &v->len, 1);
		else
			hr = abp_props_add_string(bag, tag, v->data, v->len);
		break;
	case ABP_CONV_ALL: {
		const char **vals;
		size_t *lens;
		size_t n = a->n_values < ABP_PROP_MV_MAX ? a->n_values : ABP_PROP_MV_MAX;

		if (first_value(a) == NULL)
			return S_OK;
		if (PROP_TYPE(tag) != PT_MV_UNICODE) {
			v = first_value(a);
			hr = abp_props_add_string(bag, tag, v->data, v->len);
			break;
		}
		/* Only the first ABP_PROP_MV_MAX non-empty values are kept, so
		 * look at no more than needed. */
		vals = calloc(n, sizeof(*vals));
		lens = calloc(n, sizeof(*lens));
		if (vals == NULL || lens == NULL) {
			free(vals);
			free(lens);
			return MAPI_E_NOT_ENOUGH_MEMORY;
		}
		for (i = 0; i < a->n_values && k < n; i++) {
			if (a->values[i].len == 0 || a->values[i].data == NULL)
				continue;
			vals[k] = a->values[i].data;
			lens[k] = a->values[i].len;
			k++;
		}
		hr = abp_props_add_mv_string(bag, tag, vals, lens, k);
		free(vals);
		free(lens);
		break;
	}
	case ABP_CONV_DN_RDN:
		for (i = 0; a != NULL && i < a->n_values; i++) {
			char *rdn = NULL;

			v = &a->values[i];
			if (v->len == 0 || v->data == NULL || !is_cstring(v))
				continue;
			if (lb_dn_rdn_value(v->data, &rdn, NULL) != LB_OK)
				continue;       /* not a DN: try the next value */
			if (rdn[0] == '\0') {
				free(rdn);
				continue;
			}
			hr = abp_props_add_string(bag, tag, rdn, (size_t)-1);
			free(rdn);
			if (SUCCEEDED(hr))
				*done = true;
			return hr;
		}
		return S_OK;
	case ABP_CONV_SMTP_PRIMARY:
		for (i = 0; a != NULL && i < a->n_values; i++) {
			v = &a->values[i];
			/* "SMTP:" in capitals marks the primary address (AD). */
			if (v->len > 5 && v->data != NULL && memcmp(v->data, "SMTP:", 5) == 0) {
				hr = abp_props_add_string(bag, tag, v->data + 5, v->len - 5);
				if (SUCCEEDED(hr))
					*done = true;
				return hr;
			}
		}
		return S_OK;
	case ABP_CONV_PROXY_FROM_MAIL: {
		char **vals;
		size_t n = a->n_values < ABP_PROP_MV_MAX ? a->n_values : ABP_PROP_MV_MAX;

		if (first_value(a) == NULL)
			return S_OK;
		vals = calloc(n, sizeof(*vals));
		if (vals == NULL)
			return MAPI_E_NOT_ENOUGH_MEMORY;
		hr = S_OK;
		for (i = 0; i < a->n_values && k < n; i++) {
			size_t l = a->values[i].len;

			if (l == 0 || a->values[i].data == NULL)
				continue;
			if (l > ABP_PROP_STR_MAX)
				l = ABP_PROP_STR_MAX;   /* the bag cuts it anyway */
			vals[k] = malloc(l + 6);
			if (vals[k] == NULL) {
				hr = MAPI_E_NOT_ENOUGH_MEMORY;
				break;
			}
			memcpy(vals[k], k == 0 ? "SMTP:" : "smtp:", 5);
			memcpy(vals[k] + 5, a->values[i].data, l);
			vals[k][l + 5] = '\0';
			k++;
		}
		if (SUCCEEDED(hr))
			hr = abp_props_add_mv_string(bag, tag, (const char *const *)vals, NULL, k);
		for (i = 0; i < k; i++)
			free(vals[i]);
		free(vals);
		break;
	}
	}
	if (SUCCEEDED(hr))
		*done = true;
	else if (hr == MAPI_E_INVALID_PARAMETER)
		hr = S_OK;      /* nothing usable in this source (e.g. all values empty) */
	return hr;
}

static HRESULT map_rows(const struct abp_attrmap *map, const struct lb_attr *attrs, size_t n,
                        struct abp_props *bag)
{
	size_t i, j;
	HRESULT hr;

	for (i = 0; i < map->n; i++) {
		const struct abp_attrmap_item *it = &map->items[i];

		for (j = 0; j < it->n_src; j++) {
			const struct lb_attr *a = find_attr(attrs, n, it->src[j].attr);
			bool done = false;

			if (a == NULL || a->n_values == 0)
				continue;
			hr = map_source(bag, it->tag, &it->src[j], a, &done);
			if (FAILED(hr))
				return hr;
			if (done)
				break;          /* first source with a value wins */
		}
	}
	return S_OK;
}

/* The locator for an entry (EK-2, EK-4), decided from the entry itself and
 * not from the session's root-DSE probe: a probe that missed the UUID bits
 * (an ACL on the root DSE, a replica after failover) must not give the same
 * person a DN-locator ID in one session and an entryUUID ID in the next.
 * The lookup always requests all three ID attributes (request_attrs()).
 * Order as abp_attrmap_locator_kind(): objectGUID on AD (or when the entry
 * has no usable entryUUID), then entryUUID, then nsUniqueId, else the
 * normalised DN.  *loc points into attrs, uuid or *owned. */
static HRESULT make_locator(const struct abp_attrmap *map, const char *dn,
                            const struct lb_attr *attrs, size_t n,
                            enum abp_eid_locator *kind, uint8_t uuid[16],
                            const uint8_t **loc, size_t *loc_len, char **owned)
{
	const struct lb_value *guid, *euuid, *nsid;
	bool have_uuid, nsid_ok;
	char *norm = NULL;
	lb_err rc;
	size_t i;

	*owned = NULL;
	guid = first_value(find_attr(attrs, n, "objectGUID"));
	euuid = first_value(find_attr(attrs, n, "entryUUID"));
	nsid = first_value(find_attr(attrs, n, "nsUniqueId"));
	have_uuid = euuid != NULL && abp_uuid_parse(euuid->data, euuid->len, uuid);
	if (guid != NULL && guid->len == 16 &&
	    (map->schema == LDAPAB_SCHEMA_ACTIVE_DIRECTORY || !have_uuid)) {
		*kind = ABP_EID_LOC_OBJECTGUID;
		*loc = (const uint8_t *)guid->data;
		*loc_len = 16;
		return S_OK;
	}
	if (have_uuid) {
		*kind = ABP_EID_LOC_ENTRYUUID;
		*loc = uuid;
		*loc_len = 16;
		return S_OK;
	}
	nsid_ok = nsid != NULL && nsid->len <= 64;
	for (i = 0; nsid_ok && i < nsid->len; i++)
		nsid_ok = nsid->data[i] > 0x20 && nsid->data[i] < 0x7F;
	if (nsid_ok) {
		*kind = ABP_EID_LOC_NSUNIQUEID;
		*loc = (const uint8_t *)nsid->data;
		*loc_len = nsid->len;
		return S_OK;
	}
	/* No (well-formed) immutable ID from the server: the DN. */
	if (dn == NULL || dn[0] == '\0')
		return MAPI_E_NOT_FOUND;
	rc = lb_dn_normalize(dn, &norm, NULL);
	if (rc == LB_E_NOMEM)
		return MAPI_E_NOT_ENOUGH_MEMORY;
	if (rc != LB_OK)
		return MAPI_E_NOT_FOUND;
	if (norm[0] == '\0' || strlen(norm) > ABP_EID_LOCATOR_MAX) {
		free(norm);
		return MAPI_E_NOT_FOUND;
	}
	*kind = ABP_EID_LOC_DN;
	*loc = (const uint8_t *)norm;
	*loc_len = strlen(norm);
	*owned = norm;
	return S_OK;
}

/* Hex text of the locator: the stable part of an address-less search key. */
static char *locator_text(const uint8_t *loc, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	char *t = malloc(len * 2 + 1);
	size_t i;

	if (t == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		t[2 * i] = hex[loc[i] >> 4];
		t[2 * i + 1] = hex[loc[i] & 15];
	}
	t[2 * len] = '\0';
	return t;
}

HRESULT abp_dir_build_bag(const struct abp_attrmap *map, const MAPIUID *uid, const char *dn,
                          const struct lb_attr *attrs, size_t n_attrs,
                          enum abp_eid_type *type, struct abp_props *bag)
{
	enum abp_objclass oc;
	enum abp_eid_type t;
	struct abp_eid eid;
	uint8_t uuid[16];
	uint8_t *eidbuf = NULL, *rkey = NULL, *skey = NULL;
	char *owned_loc = NULL, *rdn = NULL, *idtext = NULL;
	const char *name, *mail, *addrtype;
	size_t cb, rkcb, skcb;
	HRESULT hr = S_OK;

	if (map == NULL || uid == NULL || type == NULL || bag == NULL ||
	    (attrs == NULL && n_attrs > 0))
		return MAPI_E_INVALID_PARAMETER;
	oc = abp_attrmap_classify(find_attr(attrs, n_attrs, "objectClass"));
	if (oc == ABP_OC_OTHER)
		return MAPI_E_NOT_FOUND;
	t = oc == ABP_OC_GROUP ? ABP_EID_DISTLIST : ABP_EID_MAILUSER;

	memset(&eid, 0, sizeof(eid));
	memcpy(eid.uid, uid->ab, 16);
	eid.type = t;
	hr = make_locator(map, dn, attrs, n_attrs, &eid.loc_kind, uuid, &eid.loc, &eid.loc_len,
	                  &owned_loc);
	if (FAILED(hr))
		goto done;
	/* EK-4: an immutable locator gets no DN hint, so a rename does not
	 * change the ID (entryid.h).  A DN locator keeps the DN as it came
	 * (the identity is the DN anyway), left out when it would not fit. */
	if (eid.loc_kind == ABP_EID_LOC_DN && dn != NULL && strlen(dn) <= ABP_EID_HINT_MAX) {
		eid.hint = dn;
		eid.hint_len = strlen(dn);
	}
	cb = abp_eid_size(&eid);
	if (cb == 0) {
		hr = MAPI_E_NOT_FOUND;
		goto done;
	}
	eidbuf = malloc(cb);
	rkey = malloc(cb);
	if (eidbuf == NULL || rkey == NULL) {
		hr = MAPI_E_NOT_ENOUGH_MEMORY;
		goto done;
	}
	if (abp_eid_encode(&eid, eidbuf, cb) != cb) {
		hr = MAPI_E_NOT_FOUND;
		goto done;
	}
	/* EK-6: the identity only (no flags, no hint). */
	rkcb = abp_eid_record_key(&eid, rkey, cb);
	if (rkcb == 0) {
		hr = MAPI_E_NOT_FOUND;
		goto done;
	}

	hr = map_rows(map, attrs, n_attrs, bag);
	if (FAILED(hr))
		goto done;

	/* PR_DISPLAY_NAME is required (MU-1/2): the RDN value, else the mail. */
	if (abp_props_find_string(bag, PR_DISPLAY_NAME_W) == NULL) {
		if (dn != NULL && lb_dn_rdn_value(dn, &rdn, NULL) == LB_OK && rdn[0] != '\0')
			name = rdn;
		else if ((mail = abp_props_find_string(bag, PR_EMAIL_ADDRESS_W)) != NULL)
			name = mail;
		else
			name = "(no name)";
		hr = abp_props_add_string(bag, PR_DISPLAY_NAME_W, name, (size_t)-1);
		if (FAILED(hr))
			goto done;
	}
	name = abp_props_find_string(bag, PR_DISPLAY_NAME_W);
	mail = abp_props_find_string(bag, PR_EMAIL_ADDRESS_W);
	/*
	 * The address type (MU-1, MU-2):
	 *   - with mail: "SMTP" (people and groups);
	 *   - a group without mail: "MAPIPDL", MAPI expands it from its members;
	 *   - a person without mail: none.  Such a person (a directory record of
	 *     someone with no mailbox) cannot be sent to, so PR_ADDRTYPE and
	 *     PR_EMAIL_ADDRESS are both absent (GetProps answers PT_ERROR /
	 *     MAPI_E_NOT_FOUND for them) rather than an "SMTP" recipient with no
	 *     address that every transport would reject at send time.  MU-1's
	 *     required five then hold only for people who have an address; the
	 *     person is still listed, opened and shown (display name, entry
	 *     ID, record and search key, the other details).
	 */
	if (t == ABP_EID_DISTLIST)
		addrtype = mail == NULL ? "MAPIPDL" : "SMTP";
	else
		addrtype = mail == NULL ? NULL : "SMTP";

	hr = addrtype ? abp_props_add_string(bag, PR_ADDRTYPE_W, addrtype, (size_t)-1) : S_OK;
	if (SUCCEEDED(hr))
		hr = abp_props_add_string(bag, PR_TRANSMITABLE_DISPLAY_NAME_W, name, (size_t)-1);
	if (SUCCEEDED(hr))
		hr = abp_props_add_long(bag, PR_DISPLAY_TYPE,
		                        (LONG)(t == ABP_EID_DISTLIST ? DT_DISTLIST : DT_MAILUSER));
	if (SUCCEEDED(hr))
		hr = abp_props_add_long(bag, PR_OBJECT_TYPE,
		                        (LONG)(t == ABP_EID_DISTLIST ? MAPI_DISTLIST : MAPI_MAILUSER));
	if (SUCCEEDED(hr))
		hr = abp_props_add_binary(bag, PR_ENTRYID, eidbuf, cb);
	if (SUCCEEDED(hr))
		hr = abp_props_add_binary(bag, PR_RECORD_KEY, rkey, rkcb);     /* EK-6 */
	if (SUCCEEDED(hr))
		hr = abp_props_add_bool(bag, PR_SEND_RICH_INFO, false);
	if (FAILED(hr))
		goto done;

	/* EK-7: "SMTP:ADDRESS"; address-less entries use the stable ID: a
	 * group "MAPIPDL:<hex locator>", a person (no address type, above)
	 * "LDAPAB:<hex locator>" - the record key's identity, so two people
	 * without mail never share a search key and none poses as SMTP. */
	if (mail == NULL) {
		idtext = locator_text(eid.loc, eid.loc_len);
		if (idtext == NULL) {
			hr = MAPI_E_NOT_ENOUGH_MEMORY;
			goto done;
		}
	}
	skcb = abp_search_key(addrtype ? addrtype : ABP_SEARCH_KEY_NOADDR,
	                      mail ? mail : idtext, NULL, 0);
	skey = malloc(skcb);
	if (skey == NULL) {
		hr = MAPI_E_NOT_ENOUGH_MEMORY;
		goto done;
	}
	/* The size was asked for just above: this call fills all of it. */
	(void)abp_search_key(addrtype ? addrtype : ABP_SEARCH_KEY_NOADDR,
	                     mail ? mail : idtext, skey, skcb);
	if (skcb > ABP_PROP_BIN_MAX) {
		/* Only with a pathological address: keep the key bounded. */
		skcb = ABP_PROP_BIN_MAX;
		skey[skcb - 1] = 0;
	}
	hr = abp_props_add_binary(bag, PR_SEARCH_KEY, skey, skcb);
	if (FAILED(hr))
		goto done;

	if (t == ABP_EID_DISTLIST) {
		/* Members come through the contents table (MU-3). */
		hr = abp_props_add_object(bag, PR_CONTAINER_CONTENTS);
		if (SUCCEEDED(hr))
			hr = abp_props_add_object(bag, PR_EMS_AB_MEMBER);
		if (FAILED(hr))
			goto done;
	}
	*type = t;
done:
	if (FAILED(hr))
		abp_props_free(bag);
	free(owned_loc);
	free(eidbuf);
	free(rkey);
	free(skey);
	free(rdn);
	free(idtext);
	return hr;
}

HRESULT abp_dir_bag_from_entry(const struct abp_attrmap *map, const MAPIUID *uid,
                               const lb_entry *e, enum abp_eid_type *type,
                               struct abp_props *bag)
{
	size_t n, i;
	struct lb_attr *attrs;
	HRESULT hr;

	if (e == NULL)
		return MAPI_E_INVALID_PARAMETER;
	n = lb_entry_attr_count(e);
	attrs = calloc(n ? n : 1, sizeof(*attrs));
	if (attrs == NULL)
		return MAPI_E_NOT_ENOUGH_MEMORY;
	for (i = 0; i < n; i++)
		attrs[i] = *lb_entry_attr(e, i);
	hr = abp_dir_build_bag(map, uid, lb_entry_dn(e), attrs, n, type, bag);
	free(attrs);
	return hr;
}

/* ------------------------------------------------------------------------ */
/* OpenEntry for people and groups                                          */
/* ------------------------------------------------------------------------ */

static bool iid_ok(enum abp_eid_type t, LPCIID iid)
{
	if (iid == NULL || IsEqualIID(iid, &IID_IUnknown) || IsEqualIID(iid, &IID_IMAPIProp))
		return true;
	if (t == ABP_EID_MAILUSER)
		return IsEqualIID(iid, &IID_IMailUser);
	return IsEqualIID(iid, &IID_IMAPIContainer) || IsEqualIID(iid, &IID_IDistList);
}

/* The flags the logon's OpenEntry accepts (LO-2): the cache flags mean
 * nothing to a provider without a cache and are ignored. */
#define OPEN_FLAGS (MAPI_MODIFY | MAPI_BEST_ACCESS | MAPI_DEFERRED_ERRORS | MAPI_NO_CACHE | \
                    MAPI_CACHE_ONLY)

HRESULT abp_open_directory_entry(struct abp_session *s, struct abp_lasterr *le,
                                 const struct abp_eid *eid, LPCIID iid, ULONG flags,
                                 ULONG *type, LPUNKNOWN *out)
{
	struct abp_props bag;
	HRESULT hr;

	if (out != NULL)
		*out = NULL;
	if (type != NULL)
		*type = 0;
	if (s == NULL)
		return MAPI_E_INVALID_PARAMETER;
	/* LC-40: once logged off, that is the answer, whatever the arguments. */
	if (!abp_session_enter(s))
		return MAPI_E_INVALID_OBJECT;
	abp_props_init(&bag);
	if (le == NULL || eid == NULL || type == NULL || out == NULL ||
	    (eid->type != ABP_EID_MAILUSER && eid->type != ABP_EID_DISTLIST)) {
		hr = MAPI_E_INVALID_PARAMETER;
		goto done;
	}
	if (flags & ~(ULONG)OPEN_FLAGS) {
		hr = MAPI_E_UNKNOWN_FLAGS;
		goto done;
	}
	/* LO-2c: read-only; BEST_ACCESS settles for that. */
	if ((flags & MAPI_MODIFY) && !(flags & MAPI_BEST_ACCESS)) {
		hr = abp_lasterr_set(le, MAPI_E_NO_ACCESS, 0, CTX_READ_ONLY,
		                     "Directory entries are read-only in ldapab; open them "
		                     "without MAPI_MODIFY (or with MAPI_BEST_ACCESS).");
		goto done;
	}
	if (!iid_ok(eid->type, iid)) {
		hr = MAPI_E_INTERFACE_NOT_SUPPORTED;
		goto done;
	}

	hr = abp_dir_lookup(s, le, eid, &bag);
	if (SUCCEEDED(hr)) {
		if (eid->type == ABP_EID_MAILUSER) {
			IMailUser *mu = NULL;

			hr = abp_mailuser_new(s, &bag, &mu);
			if (SUCCEEDED(hr)) {
				*out = (LPUNKNOWN)mu;   /* every interface it answers is this pointer */
				*type = MAPI_MAILUSER;
			}
		} else {
			IDistList *dl = NULL;

			hr = abp_distlist_new(s, &bag, &dl);
			if (SUCCEEDED(hr)) {
				*out = (LPUNKNOWN)dl;
				*type = MAPI_DISTLIST;
			}
		}
	}
done:
	abp_props_free(&bag);
	abp_session_leave(s);
	return hr;
}

/* ------------------------------------------------------------------------ */
/* PrepareRecips (LO-8)                                                     */
/* ------------------------------------------------------------------------ */

static HRESULT lookup_default(void *ctx, struct abp_session *s, struct abp_lasterr *le,
                              const struct abp_eid *eid, struct abp_props *bag)
{
	(void)ctx;
	return abp_dir_lookup(s, le, eid, bag);
}

HRESULT abp_prepare_recips(struct abp_session *s, struct abp_lasterr *le, ULONG flags,
                           LPSPropTagArray tags, LPADRLIST list)
{
	return abp_prepare_recips_with(s, le, flags, tags, list, lookup_default, NULL);
}

struct prep {
	bool ours;              /* PR_ENTRYID of ours: rebuild this entry */
	bool vanished;          /* ours, but gone from the directory (LO-8g) */
	struct abp_props bag;
	SPropValue *vals;       /* the new rgPropVals root */
	ULONG n;
};

static const SPropValue *find_val(const SPropValue *v, ULONG n, ULONG tag)
{
	ULONG i;

	for (i = 0; i < n; i++)
		if (PROP_ID(v[i].ulPropTag) == PROP_ID(tag))
			return &v[i];
	return NULL;
}

static bool id_seen(const SPropValue *v, ULONG n, ULONG tag)
{
	return find_val(v, n, tag) != NULL;
}

/* Make a PR_ENTRYID slot long-term (LO-8c): abFlags zero (EK-3). */
static void make_long_term(SPropValue *v)
{
	if (PROP_ID(v->ulPropTag) == PROP_ID(PR_ENTRYID) && PROP_TYPE(v->ulPropTag) == PT_BINARY &&
	    v->Value.bin.cb >= 4)
		memset(v->Value.bin.lpb, 0, 4);
}

/* Keep an existing value in the requested type: as is, or a string
 * converted between _A and _W.  *ok false when it cannot serve. */
static HRESULT keep_existing(const struct abp_allocs *al, void *root, const SPropValue *old,
                             ULONG want, SPropValue *dst, bool *ok)
{
	ULONG have = PROP_TYPE(old->ulPropTag), wt = PROP_TYPE(want);
	struct abp_props tmp;
	char *utf8;
	bool err = false;
	HRESULT hr;

	*ok = false;
	if (have == PT_ERROR)
		return S_OK;
	if (wt == PT_UNSPECIFIED || wt == have) {
		hr = abp_propval_copy(al, root, old, dst);
		if (hr == MAPI_E_INVALID_PARAMETER)
			return S_OK;    /* a value we cannot copy: read it instead */
		*ok = SUCCEEDED(hr);
		return hr;
	}
	if (!((wt == PT_UNICODE || wt == PT_STRING8) && (have == PT_UNICODE || have == PT_STRING8)))
		return S_OK;
	utf8 = abp_propval_utf8_dup(old);
	if (utf8 == NULL)
		return (old->Value.lpszA == NULL) ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
	abp_props_init(&tmp);
	hr = abp_props_add_string(&tmp, CHANGE_PROP_TYPE(old->ulPropTag, PT_UNICODE), utf8,
	                          (size_t)-1);
	free(utf8);
	if (SUCCEEDED(hr))
		hr = abp_props_fill(al, root, &tmp, want, true, dst, &err);
	abp_props_free(&tmp);
	*ok = SUCCEEDED(hr) && !err;
	return hr;
}

static HRESULT build_entry(const struct abp_allocs *al, const SPropTagArray *tags,
                           const ADRENTRY *ae, struct prep *p)
{
	size_t cap = (size_t)tags->cValues + ae->cValues;
	void *root = NULL;
	SPropValue *nv;
	ULONG i, k = 0;
	HRESULT hr = S_OK;

	if (cap == 0 || cap > ULONG_MAX / sizeof(SPropValue))
		return MAPI_E_NOT_ENOUGH_MEMORY;
	if (al->alloc_buffer((ULONG)(cap * sizeof(SPropValue)), &root) != S_OK || root == NULL)
		return MAPI_E_NOT_ENOUGH_MEMORY;
	nv = root;
	/* d: the requested tags in order (duplicates once) ... */
	for (i = 0; i < tags->cValues; i++) {
		ULONG t = tags->aulPropTag[i];
		const SPropValue *old;
		bool ok = false, err = false;

		if (id_seen(nv, k, t))
			continue;
		old = find_val(ae->rgPropVals, ae->cValues, t);
		/* e: an existing value is kept ... */
		if (old != NULL) {
			hr = keep_existing(al, root, old, t, &nv[k], &ok);
			if (FAILED(hr))
				goto done;
		}
		/* ... otherwise read; unavailable → PT_ERROR/NOT_FOUND. */
		if (!ok) {
			if (p->vanished) {
				nv[k].ulPropTag = PROP_TAG(PT_ERROR, PROP_ID(t));
				nv[k].dwAlignPad = 0;
				nv[k].Value.err = MAPI_E_NOT_FOUND;
			} else {
				/* Untyped string tags come back as PT_UNICODE. */
				hr = abp_props_fill(al, root, &p->bag, t, true, &nv[k], &err);
				if (FAILED(hr))
					goto done;
			}
		}
		make_long_term(&nv[k]);
		k++;
	}
	/* ... then the other existing properties. */
	for (i = 0; i < ae->cValues; i++) {
		const SPropValue *old = &ae->rgPropVals[i];

		if (id_seen(nv, k, old->ulPropTag))
			continue;
		hr = abp_propval_copy(al, root, old, &nv[k]);
		if (hr == MAPI_E_INVALID_PARAMETER) {
			/* Unknown type from the caller: keep the slot, not the value. */
			nv[k].ulPropTag = PROP_TAG(PT_ERROR, PROP_ID(old->ulPropTag));
			nv[k].dwAlignPad = 0;
			nv[k].Value.err = MAPI_E_NOT_FOUND;
			hr = S_OK;
		}
		if (FAILED(hr))
			goto done;
		make_long_term(&nv[k]);
		k++;
	}
done:
	if (FAILED(hr)) {
		al->free_buffer(root);
		return hr;
	}
	p->vals = nv;
	p->n = k;
	return S_OK;
}

HRESULT abp_prepare_recips_with(struct abp_session *s, struct abp_lasterr *le, ULONG flags,
                                LPSPropTagArray tags, LPADRLIST list,
                                abp_dir_lookup_fn lookup, void *ctx)
{
	struct abp_allocs al;
	struct prep *p = NULL;
	ULONG i, j;
	HRESULT hr = S_OK;

	if (s == NULL)
		return MAPI_E_INVALID_PARAMETER;
	/* The lookups use the connection: bracket them (nesting inside the
	 * logon's own enter is fine, it only counts calls).  First, so that
	 * after Logoff the answer is MAPI_E_INVALID_OBJECT whatever the
	 * arguments (LC-40). */
	if (!abp_session_enter(s))
		return MAPI_E_INVALID_OBJECT;
	if (le == NULL || lookup == NULL) {
		abp_session_leave(s);
		return MAPI_E_INVALID_PARAMETER;
	}
	if (flags & ~(ULONG)MAPI_CACHE_ONLY) {
		abp_session_leave(s);
		return MAPI_E_UNKNOWN_FLAGS;            /* h */
	}
	if (tags == NULL || tags->cValues == 0 || (list != NULL && list->cEntries == 0)) {
		abp_session_leave(s);
		return S_OK;                            /* a */
	}
	if (list == NULL) {
		abp_session_leave(s);
		return MAPI_E_INVALID_PARAMETER;
	}
	al = abp_allocs_of(s);
	p = calloc(list->cEntries, sizeof(*p));
	if (p == NULL) {
		abp_session_leave(s);
		return MAPI_E_NOT_ENOUGH_MEMORY;
	}
	for (i = 0; i < list->cEntries; i++)
		abp_props_init(&p[i].bag);

	/* Look everything up first: a failure leaves the list untouched (MM-7). */
	for (i = 0; i < list->cEntries; i++) {
		const ADRENTRY *ae = &list->aEntries[i];
		const SPropValue *ev;
		struct abp_eid eid;

		if (ae->rgPropVals == NULL || ae->cValues == 0)
			continue;
		ev = find_val(ae->rgPropVals, ae->cValues, PR_ENTRYID);
		if (ev == NULL || PROP_TYPE(ev->ulPropTag) != PT_BINARY)
			continue;                       /* b */
		if (abp_eid_parse(ev->Value.bin.lpb, ev->Value.bin.cb, s->uid.ab, &eid) != ABP_EID_OK)
			continue;                       /* b: not ours */
		if (eid.type != ABP_EID_MAILUSER && eid.type != ABP_EID_DISTLIST)
			continue;
		p[i].ours = true;
		/* Logoff began while we were looking up: stop here rather than
		 * queue one more call on the connection (LC-32). */
		if (abp_session_ending(s)) {
			hr = MAPI_E_INVALID_OBJECT;
			goto done;
		}
		hr = lookup(ctx, s, le, &eid, &p[i].bag);
		if (hr == MAPI_E_NOT_FOUND) {
			p[i].vanished = true;           /* g */
			abp_props_free(&p[i].bag);
			hr = S_OK;
		}
		if (FAILED(hr))
			goto done;
	}
	/* Then build every new array ... */
	for (i = 0; i < list->cEntries; i++) {
		if (!p[i].ours)
			continue;
		hr = build_entry(&al, tags, &list->aEntries[i], &p[i]);
		if (FAILED(hr))
			goto done;
	}
	/* ... and only then swap them in (f). */
	for (i = 0; i < list->cEntries; i++) {
		if (!p[i].ours)
			continue;
		al.free_buffer(list->aEntries[i].rgPropVals);
		list->aEntries[i].rgPropVals = p[i].vals;
		list->aEntries[i].cValues = p[i].n;
		p[i].vals = NULL;
	}
	hr = S_OK;
done:
	for (j = 0; j < list->cEntries; j++) {
		if (p[j].vals != NULL)
			al.free_buffer(p[j].vals);
		abp_props_free(&p[j].bag);
	}
	free(p);
	abp_session_leave(s);
	return hr;
}

/* ------------------------------------------------------------------------ */
/* Shared IMAPIProp methods                                                 */
/* ------------------------------------------------------------------------ */

void abp_propobj_init(struct abp_propobj *o, struct abp_session *s)
{
	abp_session_addref(s);
	o->s = s;
	abp_lasterr_init(&o->le);
	abp_props_init(&o->bag);
}

void abp_propobj_destroy(struct abp_propobj *o)
{
	abp_props_free(&o->bag);
	abp_lasterr_destroy(&o->le);
	abp_session_release(o->s);
	o->s = NULL;
}

HRESULT abp_propobj_get_last_error(struct abp_propobj *o, HRESULT hr, ULONG flags,
                                   LPMAPIERROR *out)
{
	HRESULT ret;

	if (out != NULL)
		*out = NULL;
	if (!abp_session_enter(o->s))
		return MAPI_E_INVALID_OBJECT;
	ret = abp_lasterr_get(&o->le, o->s, hr, flags, out);
	abp_session_leave(o->s);
	return ret;
}

HRESULT abp_propobj_save_changes(struct abp_propobj *o, ULONG flags)
{
	if (!abp_session_enter(o->s))
		return MAPI_E_INVALID_OBJECT;
	abp_session_leave(o->s);
	return abp_prop_savechanges_ro(flags);
}

HRESULT abp_propobj_get_props(struct abp_propobj *o, LPSPropTagArray tags, ULONG flags,
                              ULONG *n, LPSPropValue *out)
{
	struct abp_allocs al;
	HRESULT hr;

	if (!abp_session_enter(o->s)) {
		if (n != NULL)
			*n = 0;
		if (out != NULL)
			*out = NULL;
		return MAPI_E_INVALID_OBJECT;
	}
	al = abp_allocs_of(o->s);
	hr = abp_props_get(&al, &o->bag, tags, flags, n, out);
	abp_session_leave(o->s);
	return hr;
}

HRESULT abp_propobj_get_prop_list(struct abp_propobj *o, ULONG flags, LPSPropTagArray *out)
{
	struct abp_allocs al;
	HRESULT hr;

	if (!abp_session_enter(o->s)) {
		if (out != NULL)
			*out = NULL;
		return MAPI_E_INVALID_OBJECT;
	}
	al = abp_allocs_of(o->s);
	hr = abp_props_list(&al, &o->bag, flags, out);
	abp_session_leave(o->s);
	return hr;
}

HRESULT abp_propobj_set_props(struct abp_propobj *o, ULONG c, LPSPropValue vals,
                              LPSPropProblemArray *problems)
{
	if (!abp_session_enter(o->s)) {
		if (problems != NULL)
			*problems = NULL;
		return MAPI_E_INVALID_OBJECT;
	}
	abp_session_leave(o->s);
	return abp_prop_setprops_ro(c, vals, problems);
}

HRESULT abp_propobj_delete_props(struct abp_propobj *o, LPSPropTagArray tags,
                                 LPSPropProblemArray *problems)
{
	if (!abp_session_enter(o->s)) {
		if (problems != NULL)
			*problems = NULL;
		return MAPI_E_INVALID_OBJECT;
	}
	abp_session_leave(o->s);
	return abp_prop_deleteprops_ro(tags, problems);
}

HRESULT abp_propobj_copy_to(struct abp_propobj *o, ULONG ciid, LPCIID rgiid,
                            LPSPropTagArray exclude, ULONG_PTR ui, LPMAPIPROGRESS progress,
                            LPCIID iface, LPVOID dest, ULONG flags,
                            LPSPropProblemArray *problems)
{
	struct abp_allocs al;
	HRESULT hr;

	(void)ui;
	(void)progress;
	if (problems != NULL)
		*problems = NULL;
	if (!abp_session_enter(o->s))
		return MAPI_E_INVALID_OBJECT;           /* LC-40: before any argument check */
	if (ciid > 0 && rgiid == NULL) {
		abp_session_leave(o->s);
		return MAPI_E_INVALID_PARAMETER;
	}
	al = abp_allocs_of(o->s);
	/* The destination is the caller's object, called on this thread
	 * (TH-8); we hold no lock while calling it (TH-5). */
	hr = abp_props_copy_to(&al, &o->bag, exclude, iface, dest, flags, problems);
	abp_session_leave(o->s);
	return hr;
}

HRESULT abp_propobj_copy_props(struct abp_propobj *o, LPSPropTagArray include, ULONG_PTR ui,
                               LPMAPIPROGRESS progress, LPCIID iface, LPVOID dest,
                               ULONG flags, LPSPropProblemArray *problems)
{
	struct abp_allocs al;
	HRESULT hr;

	(void)ui;
	(void)progress;
	if (problems != NULL)
		*problems = NULL;
	if (!abp_session_enter(o->s))
		return MAPI_E_INVALID_OBJECT;
	al = abp_allocs_of(o->s);
	hr = abp_props_copy_props(&al, &o->bag, include, iface, dest, flags, problems);
	abp_session_leave(o->s);
	return hr;
}

HRESULT abp_propobj_get_names_from_ids(struct abp_propobj *o, LPSPropTagArray *tags,
                                       LPGUID guid, ULONG flags, ULONG *n,
                                       LPMAPINAMEID **names)
{
	(void)guid;
	(void)flags;
	if (!abp_session_enter(o->s)) {
		if (n != NULL)
			*n = 0;
		if (names != NULL)
			*names = NULL;
		return MAPI_E_INVALID_OBJECT;
	}
	abp_session_leave(o->s);
	return abp_prop_names_from_ids_none(tags, n, names);
}

HRESULT abp_propobj_get_ids_from_names(struct abp_propobj *o, ULONG n, LPMAPINAMEID *names,
                                       ULONG flags, LPSPropTagArray *tags)
{
	(void)n;
	(void)names;
	(void)flags;
	if (!abp_session_enter(o->s)) {
		if (tags != NULL)
			*tags = NULL;
		return MAPI_E_INVALID_OBJECT;
	}
	abp_session_leave(o->s);
	return abp_prop_ids_from_names_none(tags);
}

HRESULT abp_propobj_open_property_check(struct abp_propobj *o, ULONG tag, LPCIID iid,
                                        ULONG flags, LPUNKNOWN *out)
{
	const struct abp_prop *p;

	if (out != NULL)
		*out = NULL;
	if (iid == NULL || out == NULL || PROP_TYPE(tag) == PT_UNSPECIFIED)
		return MAPI_E_INVALID_PARAMETER;
	if (flags & (MAPI_CREATE | MAPI_MODIFY))
		return MAPI_E_NO_ACCESS;
	if (flags & ~(ULONG)(MAPI_DEFERRED_ERRORS | MAPI_BEST_ACCESS))
		return MAPI_E_UNKNOWN_FLAGS;
	if (PROP_ID(tag) == PROP_ID(PR_DETAILS_TABLE) || PROP_ID(tag) == PROP_ID(PR_CREATE_TEMPLATES))
		return MAPI_E_NO_SUPPORT;
	p = abp_props_find(&o->bag, tag);
	if (p == NULL)
		return MAPI_E_NOT_FOUND;        /* MU-7: absent */
	/* Present but a value, not an object (PR_DISPLAY_NAME_W asked as
	 * IStream or IUnknown): we open no property as a stream, so it is the
	 * interface that is not supported - MU-7's "wrong IID" answer, which
	 * tells the caller the property exists (NOT_FOUND would say absent). */
	if (PROP_TYPE(p->tag) != PT_OBJECT)
		return MAPI_E_INTERFACE_NOT_SUPPORTED;
	return S_OK;
}

HRESULT abp_propobj_open_entry(struct abp_propobj *o, ULONG cb, LPENTRYID eid, LPCIID iid,
                               ULONG flags, ULONG *type, LPUNKNOWN *out)
{
	IABLogon *logon;
	HRESULT hr;

	if (out != NULL)
		*out = NULL;
	if (type != NULL)
		*type = 0;
	if (!abp_session_enter(o->s))
		return MAPI_E_INVALID_OBJECT;
	/* s->logon is valid while we are inside (abp.h). */
	pthread_mutex_lock(&o->s->lock);
	logon = o->s->logon;
	pthread_mutex_unlock(&o->s->lock);
	if (logon == NULL)
		hr = MAPI_E_INVALID_OBJECT;
	else
		/* Recorded in this object's slot, not the logon's (LO-1/MU-8). */
		hr = abp_logon_open_entry(logon, &o->le, cb, eid, iid, flags, type, out);
	abp_session_leave(o->s);
	return hr;
}

static HRESULT no_table(struct abp_propobj *o, ULONG flags, ULONG allowed, bool has_table,
                        const char *what, LPMAPITABLE *out)
{
	HRESULT hr;

	if (out != NULL)
		*out = NULL;
	if (!abp_session_enter(o->s))
		return MAPI_E_INVALID_OBJECT;
	if (out == NULL)
		hr = MAPI_E_INVALID_PARAMETER;
	else if (flags & ~allowed)
		hr = MAPI_E_UNKNOWN_FLAGS;
	else if (flags & MAPI_ASSOCIATED)
		hr = abp_lasterr_set(&o->le, MAPI_E_NO_SUPPORT, 0, CTX_NO_TABLES,
		                     "Address book containers have no associated contents.");
	else if (!has_table)
		hr = abp_lasterr_set(&o->le, MAPI_E_NO_SUPPORT, 0, CTX_NO_TABLES,
		                     "This object has no %s table.", what);
	else
		hr = abp_lasterr_set(&o->le, MAPI_E_NO_SUPPORT, 0, CTX_NO_TABLES, "%s",
		                     ABP_MSG_NO_TABLES);
	abp_session_leave(o->s);
	return hr;
}

HRESULT abp_propobj_contents_table(struct abp_propobj *o, ULONG flags, bool has_table,
                                   LPMAPITABLE *out)
{
	return no_table(o, flags, MAPI_DEFERRED_ERRORS | MAPI_UNICODE | MAPI_ASSOCIATED,
	                has_table, "contents", out);
}

HRESULT abp_propobj_hierarchy_table(struct abp_propobj *o, ULONG flags, bool has_table,
                                    LPMAPITABLE *out)
{
	return no_table(o, flags, CONVENIENT_DEPTH | MAPI_DEFERRED_ERRORS | MAPI_UNICODE,
	                has_table, "hierarchy", out);
}
