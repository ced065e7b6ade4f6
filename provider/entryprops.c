/*
 * entryprops.c - a directory entry (DN and attributes) -> the property bag
 * of a person or group.  See entryprops.h.
 */
#include "entryprops.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ldapab/profile.h>

#include "uuid.h"

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

/* An RFC 4517 PostalAddress → its lines joined by CRLF, as MAPI clients
 * show PR_POSTAL_ADDRESS: "$" separates lines, "\24" and "\5C" (either
 * case) stand for "$" and "\".  Any other backslash is kept as it is. */
static HRESULT add_postal(struct abp_props *bag, ULONG tag, const struct lb_value *v)
{
	char *out;
	size_t i, k = 0;
	HRESULT hr;

	out = malloc(v->len * 2 + 1);
	if (out == NULL)
		return MAPI_E_NOT_ENOUGH_MEMORY;
	for (i = 0; i < v->len; i++) {
		char c = v->data[i];

		if (c == '$') {
			out[k++] = '\r';
			out[k++] = '\n';
		} else if (c == '\\' && i + 2 < v->len && v->data[i + 1] == '2' &&
		           v->data[i + 2] == '4') {
			out[k++] = '$';
			i += 2;
		} else if (c == '\\' && i + 2 < v->len && v->data[i + 1] == '5' &&
		           (v->data[i + 2] == 'C' || v->data[i + 2] == 'c')) {
			out[k++] = '\\';
			i += 2;
		} else {
			out[k++] = c;
		}
	}
	hr = abp_props_add_string(bag, tag, out, k);
	free(out);
	return hr;
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
	case ABP_CONV_POSTAL:
		v = first_value(a);
		if (v == NULL)
			return S_OK;
		if (PROP_TYPE(tag) != PT_UNICODE)
			hr = abp_props_add_string(bag, tag, v->data, v->len);
		else
			hr = add_postal(bag, tag, v);
		break;
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
	case ABP_CONV_BINARY:
		/* The first value that fits: an oversized photo is left out
		 * whole (cutting a JPEG would make it unreadable). */
		for (i = 0; i < a->n_values; i++) {
			v = &a->values[i];
			if (v->len == 0 || v->data == NULL || v->len > ABP_PROP_BIN_MAX)
				continue;
			if (PROP_TYPE(tag) == PT_BINARY)
				hr = abp_props_add_binary(bag, tag, v->data, v->len);
			else
				hr = MAPI_E_INVALID_PARAMETER;  /* a binary source on a text row */
			break;
		}
		if (i == a->n_values)
			return S_OK;
		break;
	case ABP_CONV_ALL_BINARY: {
		const void **vals;
		size_t *lens, total = 0;
		size_t n = a->n_values < ABP_BIN_VALUES_MAX ? a->n_values : ABP_BIN_VALUES_MAX;

		if (PROP_TYPE(tag) != PT_MV_BINARY || n == 0)
			return S_OK;
		vals = calloc(n, sizeof(*vals));
		lens = calloc(n, sizeof(*lens));
		if (vals == NULL || lens == NULL) {
			free(vals);
			free(lens);
			return MAPI_E_NOT_ENOUGH_MEMORY;
		}
		/* Oversized values are left out whole; the rest stop at a total. */
		for (i = 0; i < a->n_values && k < n; i++) {
			v = &a->values[i];
			if (v->len == 0 || v->data == NULL || v->len > ABP_PROP_BIN_MAX ||
			    total + v->len > ABP_BIN_TOTAL_MAX)
				continue;
			vals[k] = v->data;
			lens[k] = v->len;
			total += v->len;
			k++;
		}
		hr = k > 0 ? abp_props_add_mv_binary(bag, tag, vals, lens, k) : S_OK;
		free(vals);
		free(lens);
		if (k == 0)
			return S_OK;
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
	if (norm[0] == '\0' || strlen(norm) > ABP_EID_DN_LOCATOR_MAX) {
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
	if (!abp_eid_locator_immutable(eid.loc_kind) && dn != NULL &&
	    strlen(dn) <= ABP_EID_HINT_MAX) {
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
