/*
 * attrmap.c - the attribute map presets, overrides and object classes.
 * See attrmap.h.
 */
#include "attrmap.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ldapab/profile.h>

#define W(t) CHANGE_PROP_TYPE(t, PT_UNICODE)
#define MVW(t) CHANGE_PROP_TYPE(t, PT_MV_UNICODE)

/* One preset row: a property, its name, and its sources per schema. */
struct preset {
	const char *name;
	ULONG tag;
	struct abp_attr_source iop[ABP_ATTRMAP_MAX_SRC];   /* inetOrgPerson */
	struct abp_attr_source ad[ABP_ATTRMAP_MAX_SRC];    /* Active Directory */
};

#define S(a) { a, ABP_CONV_FIRST }
#define ALL(a) { a, ABP_CONV_ALL }
#define RDN(a) { a, ABP_CONV_DN_RDN }
#define PRIM(a) { a, ABP_CONV_SMTP_PRIMARY }
#define PXM(a) { a, ABP_CONV_PROXY_FROM_MAIL }
#define BIN(a) { a, ABP_CONV_BINARY }
#define ALLBIN(a) { a, ABP_CONV_ALL_BINARY }
#define POSTAL(a) { a, ABP_CONV_POSTAL }

/* The table every mappable MAPI name comes from (the README lists it).
 * Rows without sources for a schema are still mappable by override. */
static const struct preset presets[] = {
	{ "PR_DISPLAY_NAME", W(PR_DISPLAY_NAME_W),
	  { S("displayName"), S("cn") }, { S("displayName"), S("cn") } },
	{ "PR_GIVEN_NAME", W(PR_GIVEN_NAME_W), { S("givenName") }, { S("givenName") } },
	{ "PR_SURNAME", W(PR_SURNAME_W), { S("sn") }, { S("sn") } },
	{ "PR_EMAIL_ADDRESS", W(PR_EMAIL_ADDRESS_W),
	  { S("mail") }, { S("mail"), PRIM("proxyAddresses") } },
	{ "PR_SMTP_ADDRESS", W(PR_SMTP_ADDRESS_W),
	  { S("mail") }, { S("mail"), PRIM("proxyAddresses") } },
	{ "PR_ACCOUNT", W(PR_ACCOUNT_W), { S("uid") }, { S("sAMAccountName") } },
	{ "PR_TITLE", W(PR_TITLE_W), { S("title") }, { S("title") } },
	{ "PR_DEPARTMENT_NAME", W(PR_DEPARTMENT_NAME_W),
	  { S("departmentNumber"), S("ou") }, { S("department") } },
	{ "PR_OFFICE_LOCATION", W(PR_OFFICE_LOCATION_W),
	  { S("physicalDeliveryOfficeName") }, { S("physicalDeliveryOfficeName") } },
	{ "PR_BUSINESS_TELEPHONE_NUMBER", W(PR_BUSINESS_TELEPHONE_NUMBER_W),
	  { S("telephoneNumber") }, { S("telephoneNumber") } },
	{ "PR_MOBILE_TELEPHONE_NUMBER", W(PR_MOBILE_TELEPHONE_NUMBER_W),
	  { S("mobile") }, { S("mobile") } },
	{ "PR_HOME_TELEPHONE_NUMBER", W(PR_HOME_TELEPHONE_NUMBER_W),
	  { S("homePhone") }, { S("homePhone") } },
	{ "PR_PAGER_TELEPHONE_NUMBER", W(PR_PAGER_TELEPHONE_NUMBER_W),
	  { S("pager") }, { S("pager") } },
	{ "PR_BUSINESS_FAX_NUMBER", W(PR_BUSINESS_FAX_NUMBER_W),
	  { S("facsimileTelephoneNumber") }, { S("facsimileTelephoneNumber") } },
	{ "PR_COMPANY_NAME", W(PR_COMPANY_NAME_W), { S("o") }, { S("company") } },
	{ "PR_LOCALITY", W(PR_LOCALITY_W), { S("l") }, { S("l") } },
	{ "PR_STREET_ADDRESS", W(PR_STREET_ADDRESS_W),
	  { S("street") }, { S("streetAddress"), S("street") } },
	{ "PR_POSTAL_CODE", W(PR_POSTAL_CODE_W), { S("postalCode") }, { S("postalCode") } },
	{ "PR_COUNTRY", W(PR_COUNTRY_W), { S("c"), S("co") }, { S("c"), S("co") } },
	{ "PR_STATE_OR_PROVINCE", W(PR_STATE_OR_PROVINCE_W), { S("st") }, { S("st") } },
	{ "PR_INITIALS", W(PR_INITIALS_W), { S("initials") }, { S("initials") } },
	{ "PR_COMMENT", W(PR_COMMENT_W), { S("description") }, { S("description") } },
	{ "PR_MANAGER_NAME", W(PR_MANAGER_NAME_W), { RDN("manager") }, { RDN("manager") } },
	{ "PR_ASSISTANT", W(PR_ASSISTANT_W), { { NULL, 0 } }, { { NULL, 0 } } },
	{ "PR_NICKNAME", W(PR_NICKNAME_W), { { NULL, 0 } }, { { NULL, 0 } } },
	{ "PR_POSTAL_ADDRESS", W(PR_POSTAL_ADDRESS_W),
	  { POSTAL("postalAddress") }, { POSTAL("postalAddress") } },
	{ "PR_EMS_AB_PROXY_ADDRESSES", MVW(PR_EMS_AB_PROXY_ADDRESSES_W),
	  { PXM("mail") }, { ALL("proxyAddresses") } },
	/* Binary rows: read when an entry is opened, not for table rows
	 * (lookup.c requests them only in the detail list). */
	{ "PR_EMS_AB_THUMBNAIL_PHOTO", PR_EMS_AB_THUMBNAIL_PHOTO,
	  { BIN("thumbnailPhoto"), BIN("jpegPhoto") }, { BIN("thumbnailPhoto"), BIN("jpegPhoto") } },
	{ "PR_EMS_AB_X509_CERT", PR_EMS_AB_X509_CERT,
	  { ALLBIN("userCertificate;binary") }, { ALLBIN("userCertificate") } },
	{ "PR_USER_X509_CERTIFICATE", PR_USER_X509_CERTIFICATE,
	  { ALLBIN("userSMIMECertificate") }, { ALLBIN("userSMIMECertificate") } },
};

#define N_PRESETS (sizeof(presets) / sizeof(presets[0]))

static void set_err(char *err, size_t errcap, const char *fmt, const char *a)
{
	if (err != NULL && errcap > 0)
		snprintf(err, errcap, fmt, a);
}

int abp_attrmap_schema(int cfg_schema, const struct lb_rootdse *dse)
{
	if (cfg_schema == LDAPAB_SCHEMA_INETORGPERSON || cfg_schema == LDAPAB_SCHEMA_ACTIVE_DIRECTORY)
		return cfg_schema;
	return (dse != NULL && dse->is_active_directory) ? LDAPAB_SCHEMA_ACTIVE_DIRECTORY
	                                                 : LDAPAB_SCHEMA_INETORGPERSON;
}

enum abp_eid_locator abp_attrmap_locator_kind(int schema, unsigned uuid_attrs)
{
	if ((uuid_attrs & LB_UUID_OBJECTGUID) &&
	    (schema == LDAPAB_SCHEMA_ACTIVE_DIRECTORY || !(uuid_attrs & LB_UUID_ENTRYUUID)))
		return ABP_EID_LOC_OBJECTGUID;
	if (uuid_attrs & LB_UUID_ENTRYUUID)
		return ABP_EID_LOC_ENTRYUUID;
	if (uuid_attrs & LB_UUID_NSUNIQUEID)
		return ABP_EID_LOC_NSUNIQUEID;
	return ABP_EID_LOC_DN;
}

static const char *uuid_attr_for(enum abp_eid_locator k)
{
	switch (k) {
	case ABP_EID_LOC_ENTRYUUID: return "entryUUID";
	case ABP_EID_LOC_OBJECTGUID: return "objectGUID";
	case ABP_EID_LOC_NSUNIQUEID: return "nsUniqueId";
	default: return NULL;
	}
}

static const struct preset *preset_by_name(const char *name, size_t len)
{
	size_t i;

	/* Accept "PR_TITLE", "PR_TITLE_W", "PR_TITLE_A", any case. */
	if (len > 2 && name[len - 2] == '_' &&
	    (toupper((unsigned char)name[len - 1]) == 'W' ||
	     toupper((unsigned char)name[len - 1]) == 'A')) {
		for (i = 0; i < N_PRESETS; i++)
			if (strlen(presets[i].name) == len - 2 &&
			    strncasecmp(presets[i].name, name, len - 2) == 0)
				return &presets[i];
	}
	for (i = 0; i < N_PRESETS; i++)
		if (strlen(presets[i].name) == len && strncasecmp(presets[i].name, name, len) == 0)
			return &presets[i];
	return NULL;
}

/*
 * Attributes that hold passwords, password hashes or private keys.  The
 * address book shows what it maps to every user of the directory, so an
 * override naming one of these is refused whatever the server's ACLs say
 * (a reader account that can read hashes is a misconfiguration we must not
 * turn into a leak).  Matched case-insensitively on the attribute type,
 * options (";binary") ignored; besides the names, any type ending in
 * "Password", "Pwd", "PasswordHistory" or "PwdHistory" (sambaNTPassword,
 * msLAPS-Password, ms-Mcs-AdmPwd, ...), and the numeric OIDs of the
 * standard ones.
 */
static const char *const secret_attrs[] = {
	"userPassword", "authPassword", "unicodePwd", "dBCSPwd", "ntPwdHistory",
	"lmPwdHistory", "supplementalCredentials", "krbPrincipalKey", "krbPwdHistory",
	"sambaNTPassword", "sambaLMPassword", "sambaPasswordHistory", "userPKCS12",
	"msDS-ManagedPassword", "msLAPS-EncryptedPassword", "msFVE-RecoveryPassword",
	"2.5.4.35",                     /* userPassword (RFC 4519) */
	"1.3.6.1.4.1.4203.1.3.4",       /* authPassword (RFC 3112) */
	"2.16.840.1.113730.3.1.216",    /* userPKCS12 (RFC 2798) */
	"1.2.840.113556.1.4.90",        /* unicodePwd */
	"1.2.840.113556.1.4.55",        /* dBCSPwd */
	"1.2.840.113556.1.4.94",        /* ntPwdHistory */
	"1.2.840.113556.1.4.160",       /* lmPwdHistory */
	"1.2.840.113556.1.4.125",       /* supplementalCredentials */
};

static bool ends_with_ci(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len >= n && strncasecmp(s + len - n, suffix, n) == 0;
}

static bool is_secret_attr(const char *attr)
{
	size_t len = strcspn(attr, ";");        /* the type, without options */
	size_t i;

	for (i = 0; i < sizeof(secret_attrs) / sizeof(secret_attrs[0]); i++)
		if (strlen(secret_attrs[i]) == len && strncasecmp(secret_attrs[i], attr, len) == 0)
			return true;
	return ends_with_ci(attr, len, "Password") || ends_with_ci(attr, len, "Pwd") ||
	       ends_with_ci(attr, len, "PasswordHistory") ||
	       ends_with_ci(attr, len, "PwdHistory");
}

HRESULT abp_attrmap_parse_override(const char *spec, ULONG *tag, char **ldap_attr,
                                   char *err, size_t errcap)
{
	const char *eq, *ns, *ne, *as, *ae;
	const struct preset *p;
	char *attr;

	if (spec == NULL || tag == NULL || ldap_attr == NULL) {
		set_err(err, errcap, "%s", "attribute map: missing argument");
		return MAPI_E_INVALID_PARAMETER;
	}
	eq = strchr(spec, '=');
	if (eq == NULL) {
		set_err(err, errcap,
		        "attribute map entry \"%.80s\" has no '=': write MAPI_NAME=ldapAttribute, "
		        "e.g. PR_TITLE=businessTitle", spec);
		return MAPI_E_INVALID_PARAMETER;
	}
	for (ns = spec; ns < eq && isspace((unsigned char)*ns); ns++)
		;
	for (ne = eq; ne > ns && isspace((unsigned char)ne[-1]); ne--)
		;
	for (as = eq + 1; *as && isspace((unsigned char)*as); as++)
		;
	for (ae = as + strlen(as); ae > as && isspace((unsigned char)ae[-1]); ae--)
		;
	p = preset_by_name(ns, (size_t)(ne - ns));
	if (p == NULL) {
		char name[96];
		size_t l = (size_t)(ne - ns);

		if (l >= sizeof(name))
			l = sizeof(name) - 1;
		memcpy(name, ns, l);
		name[l] = '\0';
		set_err(err, errcap,
		        "attribute map: \"%s\" is not a MAPI property ldapab can map; see "
		        "\"Attribute map\" in README.md for the names (e.g. PR_TITLE)", name);
		return MAPI_E_INVALID_PARAMETER;
	}
	attr = malloc((size_t)(ae - as) + 1);
	if (attr == NULL)
		return MAPI_E_NOT_ENOUGH_MEMORY;
	memcpy(attr, as, (size_t)(ae - as));
	attr[ae - as] = '\0';
	if (attr[0] != '\0' && !lb_filter_attr_valid(attr)) {
		set_err(err, errcap,
		        "attribute map: \"%.80s\" is not a valid LDAP attribute name "
		        "(letters, digits and '-', or a numeric OID)", attr);
		free(attr);
		return MAPI_E_INVALID_PARAMETER;
	}
	if (attr[0] != '\0' && is_secret_attr(attr)) {
		set_err(err, errcap,
		        "attribute map: \"%.80s\" holds passwords or keys, which the address "
		        "book would show to everyone; it cannot be mapped", attr);
		free(attr);
		return MAPI_E_INVALID_PARAMETER;
	}
	*tag = p->tag;
	*ldap_attr = attr;
	return S_OK;
}

void abp_attrmap_free(struct abp_attrmap *map)
{
	size_t i;

	if (map == NULL)
		return;
	for (i = 0; i < map->n_owned; i++)
		free(map->owned[i]);
	free(map);
}

const struct abp_attrmap_item *abp_attrmap_find(const struct abp_attrmap *map, ULONG tag)
{
	size_t i;

	for (i = 0; i < map->n; i++)
		if (PROP_ID(map->items[i].tag) == PROP_ID(tag))
			return &map->items[i];
	return NULL;
}

static void request_add(struct abp_attrmap *map, size_t *k, const char *attr)
{
	size_t i;

	for (i = 0; i < *k; i++)
		if (strcasecmp(map->request[i], attr) == 0)
			return;
	map->request[(*k)++] = attr;
}

HRESULT abp_attrmap_new(int schema, unsigned uuid_attrs, char *const *overrides,
                        size_t n_overrides, struct abp_attrmap **out, char *err, size_t errcap)
{
	struct abp_attrmap *map = NULL;
	HRESULT hr = S_OK;
	size_t i, j, k = 0;

	if (out == NULL || (n_overrides > 0 && overrides == NULL) ||
	    (schema != LDAPAB_SCHEMA_INETORGPERSON && schema != LDAPAB_SCHEMA_ACTIVE_DIRECTORY))
		return MAPI_E_INVALID_PARAMETER;
	if (n_overrides > ABP_ATTRMAP_MAX_ITEMS) {
		set_err(err, errcap, "attribute map: more than %s entries", "40");
		return MAPI_E_INVALID_PARAMETER;
	}
	map = calloc(1, sizeof(*map));
	if (map == NULL)
		return MAPI_E_NOT_ENOUGH_MEMORY;
	map->schema = schema;
	map->loc_kind = abp_attrmap_locator_kind(schema, uuid_attrs);
	map->uuid_attr = uuid_attr_for(map->loc_kind);

	for (i = 0; i < N_PRESETS; i++) {
		const struct abp_attr_source *src =
			schema == LDAPAB_SCHEMA_ACTIVE_DIRECTORY ? presets[i].ad : presets[i].iop;
		struct abp_attrmap_item *it = &map->items[map->n++];

		it->tag = presets[i].tag;
		for (j = 0; j < ABP_ATTRMAP_MAX_SRC && src[j].attr != NULL; j++)
			it->src[it->n_src++] = src[j];
	}

	for (i = 0; i < n_overrides; i++) {
		ULONG tag = 0;
		char *attr = NULL;
		struct abp_attrmap_item *it;

		hr = abp_attrmap_parse_override(overrides[i], &tag, &attr, err, errcap);
		if (FAILED(hr))
			goto done;
		map->owned[map->n_owned++] = attr;
		it = (struct abp_attrmap_item *)abp_attrmap_find(map, tag);
		if (it == NULL) {       /* every preset row exists, so never */
			hr = MAPI_E_INVALID_PARAMETER;
			goto done;
		}
		if (attr[0] == '\0') {
			it->n_src = 0;
			continue;
		}
		/* An override names one plain attribute: multi-valued rows take all
		 * its values, binary rows its bytes, the manager row still reads a
		 * DN, others the first. */
		it->src[0].attr = attr;
		if (PROP_TYPE(it->tag) == PT_MV_UNICODE)
			it->src[0].conv = ABP_CONV_ALL;
		else if (PROP_TYPE(it->tag) == PT_BINARY)
			it->src[0].conv = ABP_CONV_BINARY;
		else if (PROP_TYPE(it->tag) == PT_MV_BINARY)
			it->src[0].conv = ABP_CONV_ALL_BINARY;
		else if (it->n_src > 0 && it->src[0].conv == ABP_CONV_DN_RDN)
			it->src[0].conv = ABP_CONV_DN_RDN;
		else
			it->src[0].conv = ABP_CONV_FIRST;
		it->n_src = 1;
	}

	request_add(map, &k, "objectClass");
	if (map->uuid_attr != NULL)
		request_add(map, &k, map->uuid_attr);
	for (i = 0; i < map->n; i++)
		for (j = 0; j < map->items[i].n_src; j++)
			request_add(map, &k, map->items[i].src[j].attr);
	map->request[k] = NULL;
done:
	if (FAILED(hr)) {
		abp_attrmap_free(map);
		return hr;
	}
	*out = map;
	return S_OK;
}

static bool has_value(const struct lb_attr *a, const char *v)
{
	size_t i, l = strlen(v);

	for (i = 0; i < a->n_values; i++)
		if (a->values[i].len == l && strncasecmp(a->values[i].data, v, l) == 0)
			return true;
	return false;
}

enum abp_objclass abp_attrmap_classify(const struct lb_attr *oc)
{
	if (oc == NULL)
		return ABP_OC_OTHER;
	if (has_value(oc, "groupOfNames") || has_value(oc, "groupOfUniqueNames") ||
	    has_value(oc, "group"))
		return ABP_OC_GROUP;
	if (has_value(oc, "computer"))
		return ABP_OC_OTHER;    /* AD computers are users too */
	if (has_value(oc, "person") || has_value(oc, "organizationalPerson") ||
	    has_value(oc, "inetOrgPerson") || has_value(oc, "user"))
		return ABP_OC_PERSON;
	return ABP_OC_OTHER;
}
