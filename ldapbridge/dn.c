/*
 * dn.c - DN normalisation and comparison on top of libldap's LDAPv3 parser.
 *
 * libldap parses and re-escapes (ldap_str2dn / ldap_dn2str); we decide what
 * "the same DN" means: attribute types by canonical lowercase name, values
 * of the usual case-insensitive attributes compared ignoring ASCII case,
 * multi-valued RDNs in sorted order.  The parsed structure is never modified
 * (its storage belongs to libldap); we build our own copy and hand that to
 * ldap_dn2str, which only reads it.
 */
#include <ldapbridge/lb_filter.h>

/* Windows: wldap32 has no DN parser; wldap/dn_codec.h gives the same
 * names over our own RFC 4514 codec. */
#ifdef _WIN32
#include "wldap/dn_codec.h"
#else
#include <ldap.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct nrdn {
	size_t n;
	LDAPAVA *avas;     /* our copies: la_attr / la_value malloc'd */
};

struct ndn {
	size_t n;
	struct nrdn *rdns; /* leftmost RDN first, as libldap orders them */
};

static void dn_fail(struct lb_error *err, lb_err code, const char *msg)
{
	if (err == NULL)
		return;
	memset(err, 0, sizeof(*err));
	err->code = code;
	err->step = LB_STEP_NONE;
	strncpy(err->message, msg, sizeof(err->message) - 1);
}

/* Synonyms and OIDs mapped to the usual short name (all lowercase). */
static const struct { const char *from, *to; } type_alias[] = {
	{ "2.5.4.3", "cn" }, { "commonname", "cn" },
	{ "2.5.4.4", "sn" }, { "surname", "sn" },
	{ "2.5.4.6", "c" }, { "countryname", "c" },
	{ "2.5.4.7", "l" }, { "localityname", "l" },
	{ "2.5.4.8", "st" }, { "stateorprovincename", "st" },
	{ "2.5.4.9", "street" }, { "streetaddress", "street" },
	{ "2.5.4.10", "o" }, { "organizationname", "o" },
	{ "2.5.4.11", "ou" }, { "organizationalunitname", "ou" },
	{ "2.5.4.42", "givenname" }, { "gn", "givenname" },
	{ "0.9.2342.19200300.100.1.1", "uid" }, { "userid", "uid" },
	{ "0.9.2342.19200300.100.1.3", "mail" }, { "rfc822mailbox", "mail" },
	{ "0.9.2342.19200300.100.1.25", "dc" }, { "domaincomponent", "dc" },
	{ "2.16.840.1.113730.3.1.241", "displayname" },
};

/* Attributes (canonical names) whose equality rule ignores case. */
static const char *const case_ignore[] = {
	"cn", "sn", "c", "l", "st", "street", "o", "ou", "givenname", "uid",
	"mail", "dc", "displayname", "name", "samaccountname", "title",
	"userprincipalname", "initials", "description",
};

static bool case_ignore_type(const char *type)
{
	for (size_t i = 0; i < sizeof(case_ignore) / sizeof(case_ignore[0]); i++)
		if (strcmp(type, case_ignore[i]) == 0)
			return true;
	return false;
}

static char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* malloc'd NUL-terminated copy of a berval, optionally ASCII-lowercased. */
static bool bv_copy(struct berval *dst, const struct berval *src, bool lower)
{
	dst->bv_val = malloc(src->bv_len + 1);
	if (dst->bv_val == NULL)
		return false;
	for (size_t i = 0; i < src->bv_len; i++)
		dst->bv_val[i] = lower ? ascii_lower(src->bv_val[i]) : src->bv_val[i];
	dst->bv_val[src->bv_len] = '\0';
	dst->bv_len = src->bv_len;
	return true;
}

static void ndn_free(struct ndn *d)
{
	for (size_t i = 0; i < d->n; i++) {
		for (size_t j = 0; j < d->rdns[i].n; j++) {
			free(d->rdns[i].avas[j].la_attr.bv_val);
			free(d->rdns[i].avas[j].la_value.bv_val);
		}
		free(d->rdns[i].avas);
	}
	free(d->rdns);
	d->rdns = NULL;
	d->n = 0;
}

static int bv_cmp(const struct berval *a, const struct berval *b)
{
	size_t n = a->bv_len < b->bv_len ? a->bv_len : b->bv_len;
	int c = n > 0 ? memcmp(a->bv_val, b->bv_val, n) : 0;

	if (c != 0)
		return c;
	return a->bv_len < b->bv_len ? -1 : a->bv_len > b->bv_len ? 1 : 0;
}

static int ava_cmp(const void *pa, const void *pb)
{
	const LDAPAVA *a = pa, *b = pb;
	int c = bv_cmp(&a->la_attr, &b->la_attr);

	if (c != 0)
		return c;
	/* a hex-encoded value never equals a string one */
	c = (int)(a->la_flags & LDAP_AVA_BINARY) - (int)(b->la_flags & LDAP_AVA_BINARY);
	return c != 0 ? c : bv_cmp(&a->la_value, &b->la_value);
}

/* Canonicalise one AVA into dst. */
static bool ava_normalize(LDAPAVA *dst, const LDAPAVA *src)
{
	struct berval type;
	bool lower;

	memset(dst, 0, sizeof(*dst));
	if (!bv_copy(&type, &src->la_attr, true))
		return false;
	for (size_t i = 0; i < sizeof(type_alias) / sizeof(type_alias[0]); i++) {
		if (strcmp(type.bv_val, type_alias[i].from) == 0) {
			struct berval alias = { strlen(type_alias[i].to), (char *)type_alias[i].to };

			free(type.bv_val);
			if (!bv_copy(&type, &alias, false))
				return false;
			break;
		}
	}
	dst->la_attr = type;
	dst->la_flags = src->la_flags & (LDAP_AVA_STRING | LDAP_AVA_BINARY | LDAP_AVA_NONPRINTABLE);
	lower = (src->la_flags & LDAP_AVA_BINARY) == 0 && case_ignore_type(type.bv_val);
	return bv_copy(&dst->la_value, &src->la_value, lower);
}

/* What libldap's parser lets through but RFC 4514 does not: a #hexstring
 * needs at least one pair, and a string value must be UTF-8 (libldap passes
 * encoded surrogates, code points past U+10FFFF and 5/6-byte forms).  Every
 * DN function parses through here, so normalising and comparing agree. */
static bool ava_valid(const LDAPAVA *ava)
{
	if (ava->la_flags & LDAP_AVA_BINARY)
		return ava->la_value.bv_len > 0;
	return lb_utf8_valid(ava->la_value.bv_val, ava->la_value.bv_len);
}

static lb_err ndn_parse(const char *str, struct ndn *out, struct lb_error *err)
{
	LDAPDN dn = NULL;
	struct ndn d = { 0, NULL };
	lb_err rc = LB_OK;
	size_t n = 0;
	int lrc = ldap_str2dn(str, &dn, LDAP_DN_FORMAT_LDAPV3);

	if (lrc == LDAP_NO_MEMORY)
		goto oom;
	if (lrc != LDAP_SUCCESS) {
		dn_fail(err, LB_E_INVALID, "not a valid LDAPv3 distinguished name");
		rc = LB_E_INVALID;
		goto done;
	}
	while (dn != NULL && dn[n] != NULL)
		n++;
	if (n > 0) {
		d.rdns = calloc(n, sizeof(*d.rdns));
		if (d.rdns == NULL)
			goto oom;
	}
	for (size_t i = 0; i < n; i++) {
		LDAPRDN rdn = dn[i];
		size_t m = 0;

		while (rdn[m] != NULL)
			m++;
		d.rdns[i].avas = calloc(m, sizeof(LDAPAVA));
		if (d.rdns[i].avas == NULL)
			goto oom;
		d.n = i + 1;
		for (size_t j = 0; j < m; j++) {
			if (!ava_valid(rdn[j])) {
				d.rdns[i].n = j;
				dn_fail(err, LB_E_INVALID, "not a valid LDAPv3 distinguished name "
				        "(an empty #hex value, or a value that is not valid UTF-8)");
				rc = LB_E_INVALID;
				goto done;
			}
			if (!ava_normalize(&d.rdns[i].avas[j], rdn[j])) {
				d.rdns[i].n = j + 1;   /* free the partial copy too */
				goto oom;
			}
		}
		d.rdns[i].n = m;
		qsort(d.rdns[i].avas, m, sizeof(LDAPAVA), ava_cmp);
	}
	*out = d;
	d.rdns = NULL;
	d.n = 0;
	goto done;
oom:
	dn_fail(err, LB_E_NOMEM, "out of memory normalising a DN");
	rc = LB_E_NOMEM;
done:
	ndn_free(&d);
	if (dn != NULL)
		ldap_dnfree(dn);
	return rc;
}

static bool rdn_equal(const struct nrdn *a, const struct nrdn *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (ava_cmp(&a->avas[i], &b->avas[i]) != 0)
			return false;
	return true;
}

lb_err lb_dn_normalize(const char *dn, char **out, struct lb_error *err)
{
	struct ndn d = { 0, NULL };
	LDAPRDN *rdns = NULL;
	LDAPAVA **avas = NULL;
	char *text = NULL, *copy = NULL;
	size_t total = 0, k = 0;
	lb_err rc;
	int lrc;

	if (dn == NULL || out == NULL) {
		dn_fail(err, LB_E_INVALID, "lb_dn_normalize: NULL argument");
		return LB_E_INVALID;
	}
	rc = ndn_parse(dn, &d, err);
	if (rc != LB_OK)
		goto done;
	if (d.n == 0) {
		copy = strdup("");
		if (copy == NULL)
			goto oom;
		goto ok;
	}
	/* Build the NULL-terminated pointer arrays ldap_dn2str reads. */
	for (size_t i = 0; i < d.n; i++)
		total += d.rdns[i].n + 1;
	rdns = calloc(d.n + 1, sizeof(*rdns));
	avas = calloc(total, sizeof(*avas));
	if (rdns == NULL || avas == NULL)
		goto oom;
	for (size_t i = 0; i < d.n; i++) {
		rdns[i] = &avas[k];
		for (size_t j = 0; j < d.rdns[i].n; j++)
			avas[k++] = &d.rdns[i].avas[j];
		avas[k++] = NULL;
	}
	lrc = ldap_dn2str(rdns, &text, LDAP_DN_FORMAT_LDAPV3 | LDAP_DN_PRETTY);
	if (lrc == LDAP_NO_MEMORY)
		goto oom;
	if (lrc != LDAP_SUCCESS || text == NULL) {
		dn_fail(err, LB_E_INVALID, "distinguished name could not be re-encoded");
		rc = LB_E_INVALID;
		goto done;
	}
	/* hand out malloc'd memory, not libldap's */
	copy = strdup(text);
	if (copy == NULL)
		goto oom;
ok:
	*out = copy;
	copy = NULL;
	goto done;
oom:
	dn_fail(err, LB_E_NOMEM, "out of memory normalising a DN");
	rc = LB_E_NOMEM;
done:
	if (text != NULL)
		ldap_memfree(text);
	free(copy);
	free(rdns);
	free(avas);
	ndn_free(&d);
	return rc;
}

/* Parse both, then compare.  descendant: base's RDNs are dn's rightmost ones. */
static lb_err dn_compare(const char *a, const char *b, bool descendant, bool *result,
                         struct lb_error *err)
{
	struct ndn da = { 0, NULL }, db = { 0, NULL };
	bool answer = true;
	lb_err rc;

	if (a == NULL || b == NULL || result == NULL) {
		dn_fail(err, LB_E_INVALID, "DN comparison: NULL argument");
		return LB_E_INVALID;
	}
	rc = ndn_parse(a, &da, err);
	if (rc != LB_OK)
		goto done;
	rc = ndn_parse(b, &db, err);
	if (rc != LB_OK)
		goto done;
	if (descendant ? da.n < db.n : da.n != db.n) {
		answer = false;
	} else {
		size_t off = da.n - db.n;

		for (size_t i = 0; i < db.n && answer; i++)
			answer = rdn_equal(&da.rdns[off + i], &db.rdns[i]);
	}
	*result = answer;
done:
	ndn_free(&da);
	ndn_free(&db);
	return rc;
}

lb_err lb_dn_equal(const char *a, const char *b, bool *equal, struct lb_error *err)
{
	return dn_compare(a, b, false, equal, err);
}

lb_err lb_dn_is_descendant(const char *dn, const char *base, bool *result,
                           struct lb_error *err)
{
	return dn_compare(dn, base, true, result, err);
}

lb_err lb_dn_rdn_value(const char *dn, char **out, struct lb_error *err)
{
	LDAPDN parsed = NULL;
	lb_err rc = LB_OK;
	const struct berval *v;
	int lrc;

	if (dn == NULL || out == NULL) {
		dn_fail(err, LB_E_INVALID, "lb_dn_rdn_value: NULL argument");
		return LB_E_INVALID;
	}
	lrc = ldap_str2dn(dn, &parsed, LDAP_DN_FORMAT_LDAPV3);
	if (lrc == LDAP_NO_MEMORY) {
		dn_fail(err, LB_E_NOMEM, "out of memory reading a DN");
		rc = LB_E_NOMEM;
		goto done;
	}
	if (lrc != LDAP_SUCCESS) {
		dn_fail(err, LB_E_INVALID, "not a valid LDAPv3 distinguished name");
		rc = LB_E_INVALID;
		goto done;
	}
	if (parsed == NULL || parsed[0] == NULL || parsed[0][0] == NULL) {
		dn_fail(err, LB_E_INVALID, "the empty DN has no RDN value");
		rc = LB_E_INVALID;
		goto done;
	}
	v = &parsed[0][0]->la_value;
	/* values come from the server: never hand on invalid UTF-8 */
	rc = lb_utf8_sanitize(v->bv_val, v->bv_len, out, NULL, err);
done:
	if (parsed != NULL)
		ldap_dnfree(parsed);
	return rc;
}
