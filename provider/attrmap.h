/*
 * attrmap.h - which LDAP attributes feed which MAPI properties (internal).
 *
 * The map is data: one preset table per schema (inetOrgPerson, Active
 * Directory), each row a MAPI property and up to ABP_ATTRMAP_MAX_SRC LDAP
 * sources tried in order (the first source that yields a value wins), each
 * source with a conversion.  Profile overrides ("PR_TITLE=businessTitle",
 * abp_config.attr_map) replace a row's sources with one attribute; an empty
 * right-hand side ("PR_PAGER=") unmaps the property.
 *
 * The map also names the server's stable-ID attribute (entryUUID on
 * OpenLDAP, objectGUID on AD, nsUniqueId on 389-ds; EK-2) and recognises
 * object classes (person vs group).
 */
#ifndef LDAPAB_ATTRMAP_H
#define LDAPAB_ATTRMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "abp.h"

/* How a source's values become the property's value. */
enum abp_attr_conv {
	ABP_CONV_FIRST = 0,     /* first non-empty value, a string */
	ABP_CONV_ALL,           /* every non-empty value, PT_MV_UNICODE */
	ABP_CONV_DN_RDN,        /* a DN: the value of its first RDN ("cn=Ann Lee,..." → "Ann Lee") */
	ABP_CONV_SMTP_PRIMARY,  /* proxyAddresses: the value prefixed "SMTP:" (primary), prefix cut */
	ABP_CONV_PROXY_FROM_MAIL,/* mail values → "SMTP:first", "smtp:other"... (MV) */
	ABP_CONV_BINARY,        /* first non-empty value as bytes (PT_BINARY): photos */
	ABP_CONV_ALL_BINARY,    /* every non-empty value as bytes (PT_MV_BINARY): certificates */
	ABP_CONV_POSTAL         /* RFC 4517 PostalAddress: lines joined by "$" (with "\24" and
	                         * "\5C" escaping "$" and "\") -> lines joined by CRLF */
};

#define ABP_ATTRMAP_MAX_SRC 3
#define ABP_ATTRMAP_MAX_ITEMS 40

struct abp_attr_source {
	const char *attr;       /* LDAP attribute description */
	enum abp_attr_conv conv;
};

struct abp_attrmap_item {
	ULONG tag;              /* canonical: PT_UNICODE, PT_MV_UNICODE, PT_BINARY or
	                         * PT_MV_BINARY */
	size_t n_src;           /* 0: unmapped by an override */
	struct abp_attr_source src[ABP_ATTRMAP_MAX_SRC];
};

enum abp_objclass {
	ABP_OC_OTHER = 0,       /* neither: not shown (computers, OUs, ...) */
	ABP_OC_PERSON,
	ABP_OC_GROUP
};

struct abp_attrmap {
	int schema;                     /* LDAPAB_SCHEMA_INETORGPERSON or _ACTIVE_DIRECTORY */
	enum abp_eid_locator loc_kind;  /* ENTRYUUID / OBJECTGUID / NSUNIQUEID, or DN */
	const char *uuid_attr;          /* the attribute for loc_kind, NULL for DN */
	size_t n;
	struct abp_attrmap_item items[ABP_ATTRMAP_MAX_ITEMS];
	/* Attributes to request: every source, objectClass, uuid_attr
	 * (operational, so named explicitly).  NULL-terminated. */
	const char *request[ABP_ATTRMAP_MAX_ITEMS * ABP_ATTRMAP_MAX_SRC + 4];
	char *owned[ABP_ATTRMAP_MAX_ITEMS];     /* override strings */
	size_t n_owned;
};

/* The schema to use: cfg_schema unless it is LDAPAB_SCHEMA_AUTO, then AD when
 * the root DSE says so (dse may be NULL: inetOrgPerson). */
int abp_attrmap_schema(int cfg_schema, const struct lb_rootdse *dse);

/* The stable-ID attribute for a server's LB_UUID_* bits: objectGUID when
 * AD (and advertised), else entryUUID, else nsUniqueId, else the DN. */
enum abp_eid_locator abp_attrmap_locator_kind(int schema, unsigned uuid_attrs);

/* Build the map for schema (resolved, not AUTO) with the server's uuid bits
 * and the configured overrides.  An override that does not parse →
 * MAPI_E_INVALID_PARAMETER with err (errcap bytes, may be NULL) naming it. */
ABP_WUR HRESULT abp_attrmap_new(int schema, unsigned uuid_attrs,
                                char *const *overrides, size_t n_overrides,
                                struct abp_attrmap **out, char *err, size_t errcap);
void abp_attrmap_free(struct abp_attrmap *map);

/* The row for a property ID, or NULL. */
const struct abp_attrmap_item *abp_attrmap_find(const struct abp_attrmap *map, ULONG tag);

/* Parse one override "MAPI_NAME=ldapAttr" (spaces around both sides are
 * ignored; the name may carry _W/_A; matching is case-insensitive).
 *   *tag  receives the canonical tag; *ldap_attr a malloc'd attribute name
 *         ("" = unmap).
 * MAPI_E_INVALID_PARAMETER with a message in err when there is no '=', the
 * MAPI name is not one of the mappable properties (the message names it and
 * says where the list is), the attribute is not a valid RFC 4512
 * description, or it holds secrets (userPassword, unicodePwd,
 * sambaNTPassword, krbPrincipalKey, ... - attrmap.c has the list; options
 * such as ";binary" do not hide them).  config.c validates every override
 * with it at Logon (LC-15). */
ABP_WUR HRESULT abp_attrmap_parse_override(const char *spec, ULONG *tag, char **ldap_attr,
                                           char *err, size_t errcap);

/* Person / group / neither from an entry's objectClass values (NULL: OTHER).
 * Groups: groupOfNames, groupOfUniqueNames, group.  Persons: person,
 * organizationalPerson, inetOrgPerson, user - but not computer. */
enum abp_objclass abp_attrmap_classify(const struct lb_attr *object_class);

#endif /* LDAPAB_ATTRMAP_H */
