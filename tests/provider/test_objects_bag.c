/* Unit tests of the attribute map and the person/group bag builder
 * (attrmap.c, entryprops.c): MU-1, MU-2, EK-2, EK-6, EK-7, MU-6, hostile
 * server data, entryUUID text, overrides. */
#include "test_objects_util.h"

#include <stdio.h>
#include <strings.h>

#include <ldapab/profile.h>

#include "attrmap.h"
#include "directory.h"

static const MAPIUID test_uid = { { 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
                                    0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F } };

#define V(s) { sizeof(s) - 1, s }
#define A(name, ...) { name, sizeof((struct lb_value[]){ __VA_ARGS__ }) / sizeof(struct lb_value), \
                       (const struct lb_value[]){ __VA_ARGS__ } }

/* ---- entryUUID text (RFC 4530) ---------------------------------------- */

static void uuid_text_valid_and_invalid_forms(void **state)
{
	static const char *const bad[] = {
		"597ae2f6-16a6-1027-98f4-d28b5365dc1",          /* 35 */
		"597ae2f6-16a6-1027-98f4-d28b5365dc144",        /* 37 */
		"597ae2f616a6-1027-98f4-d28b5365dc14-",         /* dash moved */
		"597ae2f6-16a6-1027-98f4_d28b5365dc14",         /* wrong separator */
		"597ae2g6-16a6-1027-98f4-d28b5365dc14",         /* not hex */
		"{97ae2f6-16a6-1027-98f4-d28b5365dc1}",
		"",
	};
	uint8_t b[16], keep[16];
	char text[37];
	size_t i;

	(void)state;
	assert_true(abp_uuid_parse("597ae2f6-16a6-1027-98f4-d28b5365dc14", 36, b));
	assert_int_equal(b[0], 0x59);
	assert_int_equal(b[4], 0x16);
	assert_int_equal(b[15], 0x14);
	abp_uuid_format(b, text);
	assert_string_equal(text, "597ae2f6-16a6-1027-98f4-d28b5365dc14");
	assert_true(abp_uuid_parse("597AE2F6-16A6-1027-98F4-D28B5365DC14", 36, b));
	abp_uuid_format(b, text);
	assert_string_equal(text, "597ae2f6-16a6-1027-98f4-d28b5365dc14");
	memcpy(keep, b, 16);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_false(abp_uuid_parse(bad[i], strlen(bad[i]), b));
		assert_memory_equal(b, keep, 16);       /* untouched on failure */
	}
	assert_false(abp_uuid_parse(NULL, 36, b));
}

/* ---- the attribute map ------------------------------------------------ */

static const char *src0(const struct abp_attrmap *m, ULONG tag)
{
	const struct abp_attrmap_item *it = abp_attrmap_find(m, tag);

	return (it && it->n_src > 0) ? it->src[0].attr : NULL;
}

static bool requested(const struct abp_attrmap *m, const char *attr)
{
	size_t i;

	for (i = 0; m->request[i] != NULL; i++)
		if (strcmp(m->request[i], attr) == 0)
			return true;
	return false;
}

static void attrmap_presets_and_request_list(void **state)
{
	struct abp_attrmap *m = NULL;
	size_t i, j;

	(void)state;
	assert_int_equal(abp_attrmap_new(LDAPAB_SCHEMA_INETORGPERSON, LB_UUID_ENTRYUUID, NULL, 0,
	                                 &m, NULL, 0), S_OK);
	assert_int_equal(m->loc_kind, ABP_EID_LOC_ENTRYUUID);
	assert_string_equal(m->uuid_attr, "entryUUID");
	assert_string_equal(src0(m, PR_DISPLAY_NAME_W), "displayName");
	assert_string_equal(abp_attrmap_find(m, PR_DISPLAY_NAME_W)->src[1].attr, "cn");
	assert_string_equal(src0(m, PR_ACCOUNT_W), "uid");
	assert_string_equal(src0(m, PR_DEPARTMENT_NAME_W), "departmentNumber");
	assert_string_equal(src0(m, PR_COMPANY_NAME_W), "o");
	assert_string_equal(src0(m, PR_BUSINESS_FAX_NUMBER_W), "facsimileTelephoneNumber");
	assert_int_equal(abp_attrmap_find(m, PR_MANAGER_NAME_W)->src[0].conv, ABP_CONV_DN_RDN);
	/* entryUUID is operational: it must be asked for by name. */
	assert_true(requested(m, "entryUUID"));
	assert_true(requested(m, "objectClass"));
	assert_true(requested(m, "mail"));
	assert_true(requested(m, "manager"));
	assert_false(requested(m, "member"));   /* members are never read to open a group */
	for (i = 0; m->request[i] != NULL; i++)
		for (j = i + 1; m->request[j] != NULL; j++)
			assert_true(strcasecmp(m->request[i], m->request[j]) != 0);
	abp_attrmap_free(m);

	assert_int_equal(abp_attrmap_new(LDAPAB_SCHEMA_ACTIVE_DIRECTORY,
	                                 LB_UUID_OBJECTGUID | LB_UUID_ENTRYUUID, NULL, 0, &m,
	                                 NULL, 0), S_OK);
	assert_int_equal(m->loc_kind, ABP_EID_LOC_OBJECTGUID);
	assert_string_equal(src0(m, PR_ACCOUNT_W), "sAMAccountName");
	assert_string_equal(src0(m, PR_DEPARTMENT_NAME_W), "department");
	assert_string_equal(src0(m, PR_COMPANY_NAME_W), "company");
	assert_string_equal(abp_attrmap_find(m, PR_SMTP_ADDRESS_W)->src[1].attr, "proxyAddresses");
	assert_true(requested(m, "objectGUID"));
	abp_attrmap_free(m);

	assert_int_equal(abp_attrmap_locator_kind(LDAPAB_SCHEMA_INETORGPERSON, LB_UUID_NSUNIQUEID),
	                 ABP_EID_LOC_NSUNIQUEID);
	assert_int_equal(abp_attrmap_locator_kind(LDAPAB_SCHEMA_INETORGPERSON, 0), ABP_EID_LOC_DN);
	assert_int_equal(abp_attrmap_schema(LDAPAB_SCHEMA_AUTO, NULL), LDAPAB_SCHEMA_INETORGPERSON);
	assert_int_equal(abp_attrmap_new(LDAPAB_SCHEMA_AUTO, 0, NULL, 0, &m, NULL, 0),
	                 MAPI_E_INVALID_PARAMETER);
}

static void attrmap_overrides_parse_and_apply(void **state)
{
	char *ov[] = { (char *)"PR_TITLE=businessTitle", (char *)" pr_account_w = employeeNumber ",
	               (char *)"PR_PAGER_TELEPHONE_NUMBER=", (char *)"PR_MANAGER_NAME=boss" };
	char *bad[] = { (char *)"PR_BOGUS=x" };
	struct abp_attrmap *m = NULL;
	char err[256];
	ULONG tag = 0;
	char *attr = NULL;

	(void)state;
	assert_int_equal(abp_attrmap_parse_override("PR_TITLE=businessTitle", &tag, &attr, err,
	                                            sizeof(err)), S_OK);
	assert_int_equal(tag, PR_TITLE_W);
	assert_string_equal(attr, "businessTitle");
	free(attr);
	attr = NULL;
	assert_int_equal(abp_attrmap_parse_override("PR_NO_SUCH=cn", &tag, &attr, err, sizeof(err)),
	                 MAPI_E_INVALID_PARAMETER);
	assert_non_null(strstr(err, "PR_NO_SUCH"));     /* the message names it */
	assert_null(attr);
	assert_int_equal(abp_attrmap_parse_override("PR_TITLE", &tag, &attr, err, sizeof(err)),
	                 MAPI_E_INVALID_PARAMETER);
	assert_non_null(strstr(err, "'='"));
	assert_int_equal(abp_attrmap_parse_override("PR_TITLE=bad attr)", &tag, &attr, err,
	                                            sizeof(err)), MAPI_E_INVALID_PARAMETER);
	assert_non_null(strstr(err, "bad attr)"));

	assert_int_equal(abp_attrmap_new(LDAPAB_SCHEMA_INETORGPERSON, 0, ov, 4, &m, err,
	                                 sizeof(err)), S_OK);
	assert_string_equal(src0(m, PR_TITLE_W), "businessTitle");
	assert_int_equal(abp_attrmap_find(m, PR_TITLE_W)->n_src, 1);
	assert_string_equal(src0(m, PR_ACCOUNT_W), "employeeNumber");
	assert_null(src0(m, PR_PAGER_TELEPHONE_NUMBER_W));      /* unmapped */
	assert_false(requested(m, "pager"));
	assert_true(requested(m, "businessTitle"));
	assert_int_equal(abp_attrmap_find(m, PR_MANAGER_NAME_W)->src[0].conv, ABP_CONV_DN_RDN);
	abp_attrmap_free(m);
	m = NULL;
	assert_int_equal(abp_attrmap_new(LDAPAB_SCHEMA_INETORGPERSON, 0, bad, 1, &m, err,
	                                 sizeof(err)), MAPI_E_INVALID_PARAMETER);
	assert_null(m);
	assert_non_null(strstr(err, "PR_BOGUS"));
}

static void attrmap_classify_object_classes(void **state)
{
	struct lb_attr person = A("objectClass", V("top"), V("person"), V("inetOrgPerson"));
	struct lb_attr group = A("objectClass", V("top"), V("groupOfNames"));
	struct lb_attr ugroup = A("objectClass", V("GROUPOFUNIQUENAMES"));
	struct lb_attr adgroup = A("objectClass", V("top"), V("group"));
	struct lb_attr aduser = A("objectClass", V("top"), V("person"), V("organizationalPerson"),
	                          V("user"));
	struct lb_attr computer = A("objectClass", V("top"), V("person"), V("organizationalPerson"),
	                            V("user"), V("computer"));
	struct lb_attr ou = A("objectClass", V("top"), V("organizationalUnit"));

	(void)state;
	assert_int_equal(abp_attrmap_classify(&person), ABP_OC_PERSON);
	assert_int_equal(abp_attrmap_classify(&group), ABP_OC_GROUP);
	assert_int_equal(abp_attrmap_classify(&ugroup), ABP_OC_GROUP);
	assert_int_equal(abp_attrmap_classify(&adgroup), ABP_OC_GROUP);
	assert_int_equal(abp_attrmap_classify(&aduser), ABP_OC_PERSON);
	assert_int_equal(abp_attrmap_classify(&computer), ABP_OC_OTHER);
	assert_int_equal(abp_attrmap_classify(&ou), ABP_OC_OTHER);
	assert_int_equal(abp_attrmap_classify(NULL), ABP_OC_OTHER);
}

/* ---- bags ------------------------------------------------------------- */

static struct abp_attrmap *iop_map(void)
{
	struct abp_attrmap *m = NULL;

	assert_int_equal(abp_attrmap_new(LDAPAB_SCHEMA_INETORGPERSON, LB_UUID_ENTRYUUID, NULL, 0,
	                                 &m, NULL, 0), S_OK);
	return m;
}

static const struct abp_prop *need(const struct abp_props *b, ULONG tag)
{
	const struct abp_prop *p = abp_props_find(b, tag);

	if (p == NULL)
		fail_msg("property 0x%08x missing", (unsigned)tag);
	return p;
}

static void bag_person_required_and_mapped_MU1_EK6_EK7(void **state)
{
	struct lb_attr attrs[] = {
		A("objectClass", V("top"), V("inetOrgPerson")),
		A("entryUUID", V("597ae2f6-16a6-1027-98f4-d28b5365dc14")),
		A("cn", V("Ann Lee")),
		A("displayName", V("Ann Lée")),
		A("givenName", V("Ann")),
		A("sn", V("Lee")),
		A("mail", V("Ann.Lee@Example.com"), V("al@example.com")),
		A("uid", V("alee")),
		A("title", V("Engineer")),
		A("ou", V("Research")),
		A("telephoneNumber", V("+1 555 0100")),
		A("manager", V("cn=Bob Boss,ou=People,dc=example,dc=com")),
	};
	const char *dn = "uid=alee,ou=People,dc=example,dc=com";
	struct abp_attrmap *m = iop_map();
	struct abp_props bag;
	enum abp_eid_type type = 0;
	const struct abp_prop *p, *rk, *pr;
	struct abp_eid eid;
	static const char skey[] = "SMTP:ANN.LEE@EXAMPLE.COM";

	(void)state;
	abp_props_init(&bag);
	assert_int_equal(abp_dir_build_bag(m, &test_uid, dn, attrs, sizeof(attrs) / sizeof(attrs[0]),
	                                   &type, &bag), S_OK);
	assert_int_equal(type, ABP_EID_MAILUSER);
	assert_string_equal(abp_props_find_string(&bag, PR_ADDRTYPE_W), "SMTP");
	assert_string_equal(abp_props_find_string(&bag, PR_DISPLAY_NAME_W), "Ann Lée");
	assert_string_equal(abp_props_find_string(&bag, PR_TRANSMITABLE_DISPLAY_NAME_W), "Ann Lée");
	assert_string_equal(abp_props_find_string(&bag, PR_EMAIL_ADDRESS_W), "Ann.Lee@Example.com");
	assert_string_equal(abp_props_find_string(&bag, PR_SMTP_ADDRESS_W), "Ann.Lee@Example.com");
	assert_int_equal(need(&bag, PR_DISPLAY_TYPE)->v.l, DT_MAILUSER);
	assert_int_equal(need(&bag, PR_OBJECT_TYPE)->v.l, MAPI_MAILUSER);
	assert_false(need(&bag, PR_SEND_RICH_INFO)->v.b);
	assert_string_equal(abp_props_find_string(&bag, PR_ACCOUNT_W), "alee");
	assert_string_equal(abp_props_find_string(&bag, PR_DEPARTMENT_NAME_W), "Research");
	assert_string_equal(abp_props_find_string(&bag, PR_MANAGER_NAME_W), "Bob Boss");
	assert_string_equal(abp_props_find_string(&bag, PR_GIVEN_NAME_W), "Ann");
	/* PR_ENTRYID: ours, long-term, entryUUID bytes, no DN hint (EK-4). */
	p = need(&bag, PR_ENTRYID);
	assert_int_equal(abp_eid_parse(p->v.bin.lpb, p->v.bin.cb, test_uid.ab, &eid), ABP_EID_OK);
	assert_memory_equal(p->v.bin.lpb, "\0\0\0\0", 4);
	assert_int_equal(eid.type, ABP_EID_MAILUSER);
	assert_int_equal(eid.loc_kind, ABP_EID_LOC_ENTRYUUID);
	assert_int_equal(eid.loc_len, 16);
	assert_int_equal(eid.loc[0], 0x59);
	assert_int_equal(eid.hint_len, 0);
	/* EK-6: the record key is the identity, here the entry ID's bytes. */
	rk = need(&bag, PR_RECORD_KEY);
	assert_int_equal(rk->v.bin.cb, p->v.bin.cb);
	assert_memory_equal(rk->v.bin.lpb, p->v.bin.lpb, p->v.bin.cb);
	/* EK-7: upper-cased, NUL counted. */
	p = need(&bag, PR_SEARCH_KEY);
	assert_int_equal(p->v.bin.cb, sizeof(skey));
	assert_memory_equal(p->v.bin.lpb, skey, sizeof(skey));
	/* Proxy addresses from mail: the first is primary. */
	pr = need(&bag, PR_EMS_AB_PROXY_ADDRESSES_W);
	assert_int_equal(pr->v.mvstr.n, 2);
	assert_string_equal(pr->v.mvstr.v[0], "SMTP:Ann.Lee@Example.com");
	assert_string_equal(pr->v.mvstr.v[1], "smtp:al@example.com");
	/* No PT_OBJECT on a person. */
	assert_null(abp_props_find(&bag, PR_CONTAINER_CONTENTS));
	abp_props_free(&bag);
	abp_attrmap_free(m);
}

static void bag_group_without_mail_is_mapipdl_MU2(void **state)
{
	struct lb_attr attrs[] = {
		A("objectClass", V("groupOfNames")),
		A("entryUUID", V("00000000-0000-0000-0000-0000000000ab")),
		A("cn", V("Staff")),
		A("member", V("uid=alee,ou=People,dc=example,dc=com")),
	};
	struct abp_attrmap *m = iop_map();
	struct abp_props bag;
	enum abp_eid_type type = 0;
	const struct abp_prop *p;
	static const char skey[] = "MAPIPDL:000000000000000000000000000000AB";

	(void)state;
	abp_props_init(&bag);
	assert_int_equal(abp_dir_build_bag(m, &test_uid, "cn=Staff,ou=Groups,dc=example,dc=com",
	                                   attrs, 4, &type, &bag), S_OK);
	assert_int_equal(type, ABP_EID_DISTLIST);
	assert_string_equal(abp_props_find_string(&bag, PR_ADDRTYPE_W), "MAPIPDL");
	assert_string_equal(abp_props_find_string(&bag, PR_DISPLAY_NAME_W), "Staff");
	assert_null(abp_props_find(&bag, PR_EMAIL_ADDRESS_W));
	assert_int_equal(need(&bag, PR_DISPLAY_TYPE)->v.l, DT_DISTLIST);
	assert_int_equal(need(&bag, PR_OBJECT_TYPE)->v.l, MAPI_DISTLIST);
	assert_int_equal(PROP_TYPE(need(&bag, PR_CONTAINER_CONTENTS)->tag), PT_OBJECT);
	assert_int_equal(PROP_TYPE(need(&bag, PR_EMS_AB_MEMBER)->tag), PT_OBJECT);
	p = need(&bag, PR_SEARCH_KEY);
	assert_int_equal(p->v.bin.cb, sizeof(skey));
	assert_memory_equal(p->v.bin.lpb, skey, sizeof(skey));
	abp_props_free(&bag);

	/* With mail, a group is an SMTP recipient (MU-2). */
	{
		struct lb_attr a2[] = {
			A("objectClass", V("groupOfUniqueNames")),
			A("cn", V("Sales")),
			A("mail", V("sales@example.com")),
		};

		abp_props_init(&bag);
		assert_int_equal(abp_dir_build_bag(m, &test_uid, "cn=Sales,dc=example,dc=com", a2, 3,
		                                   &type, &bag), S_OK);
		assert_int_equal(type, ABP_EID_DISTLIST);
		assert_string_equal(abp_props_find_string(&bag, PR_ADDRTYPE_W), "SMTP");
		assert_string_equal(abp_props_find_string(&bag, PR_EMAIL_ADDRESS_W),
		                    "sales@example.com");
		abp_props_free(&bag);
	}
	abp_attrmap_free(m);
}

static void bag_active_directory_guid_and_proxy_addresses(void **state)
{
	static const char guid[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0 };
	struct lb_value gv = { 16, guid };
	struct lb_attr attrs[] = {
		A("objectClass", V("top"), V("person"), V("organizationalPerson"), V("user")),
		{ "objectGUID", 1, &gv },
		A("cn", V("Carl")),
		A("sAMAccountName", V("carl")),
		A("proxyAddresses", V("smtp:c@old.example.com"), V("SMTP:carl@example.com"),
		  V("X400:c=US;")),
		A("company", V("Example Corp")),
	};
	struct abp_attrmap *m = NULL;
	struct abp_props bag;
	enum abp_eid_type type = 0;
	const struct abp_prop *p;
	struct abp_eid eid;

	(void)state;
	assert_int_equal(abp_attrmap_new(LDAPAB_SCHEMA_ACTIVE_DIRECTORY, LB_UUID_OBJECTGUID, NULL, 0,
	                                 &m, NULL, 0), S_OK);
	abp_props_init(&bag);
	assert_int_equal(abp_dir_build_bag(m, &test_uid, "CN=Carl,CN=Users,DC=ad,DC=example",
	                                   attrs, 6, &type, &bag), S_OK);
	p = need(&bag, PR_ENTRYID);
	assert_int_equal(abp_eid_parse(p->v.bin.lpb, p->v.bin.cb, test_uid.ab, &eid), ABP_EID_OK);
	assert_int_equal(eid.loc_kind, ABP_EID_LOC_OBJECTGUID);
	assert_memory_equal(eid.loc, guid, 16);         /* raw bytes, NUL included */
	/* No mail attribute: the primary proxy address. */
	assert_string_equal(abp_props_find_string(&bag, PR_EMAIL_ADDRESS_W), "carl@example.com");
	assert_string_equal(abp_props_find_string(&bag, PR_ACCOUNT_W), "carl");
	assert_string_equal(abp_props_find_string(&bag, PR_COMPANY_NAME_W), "Example Corp");
	assert_int_equal(need(&bag, PR_EMS_AB_PROXY_ADDRESSES_W)->v.mvstr.n, 3);
	abp_props_free(&bag);
	abp_attrmap_free(m);
}

/* postalAddress (RFC 4517): "$" ends a line, "\\24" and "\\5C" are a
 * literal "$" and "\\"; MAPI shows the lines joined by CRLF (MU-1). */
static void bag_postal_address_lines_MU1(void **state)
{
	struct lb_attr attrs[] = {
		A("objectClass", V("inetOrgPerson")),
		A("cn", V("Ann")),
		A("mail", V("ann@example.com")),
		A("postalAddress", V("Example Corp$Back\\5cslash \\24 5 Street$\\2x$")),
	};
	struct abp_attrmap *m = NULL;
	struct abp_props bag;
	enum abp_eid_type type = 0;

	(void)state;
	assert_int_equal(abp_attrmap_new(LDAPAB_SCHEMA_INETORGPERSON, LB_UUID_ENTRYUUID, NULL, 0,
	                                 &m, NULL, 0), S_OK);
	abp_props_init(&bag);
	assert_int_equal(abp_dir_build_bag(m, &test_uid, "uid=ann,dc=example,dc=com", attrs, 4,
	                                   &type, &bag), S_OK);
	assert_string_equal(abp_props_find_string(&bag, PR_POSTAL_ADDRESS_W),
	                    "Example Corp\r\nBack\\slash $ 5 Street\r\n\\2x\r\n");
	abp_props_free(&bag);
	abp_attrmap_free(m);
}

static void bag_locator_falls_back_to_normalised_dn_EK2(void **state)
{
	struct lb_attr no_uuid[] = {
		A("objectClass", V("person")),
		A("cn", V("Dora")),
	};
	struct lb_attr bad_uuid[] = {
		A("objectClass", V("person")),
		A("entryUUID", V("not-a-uuid")),
		A("cn", V("Dora")),
	};
	struct abp_attrmap *m = iop_map();
	struct abp_props bag;
	enum abp_eid_type type = 0;
	const struct abp_prop *p;
	struct abp_eid eid;
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		abp_props_init(&bag);
		assert_int_equal(abp_dir_build_bag(m, &test_uid, "CN=Dora, OU=People,DC=Example,DC=com",
		                                   k ? bad_uuid : no_uuid, k ? 3 : 2, &type, &bag), S_OK);
		p = need(&bag, PR_ENTRYID);
		assert_int_equal(abp_eid_parse(p->v.bin.lpb, p->v.bin.cb, test_uid.ab, &eid),
		                 ABP_EID_OK);
		assert_int_equal(eid.loc_kind, ABP_EID_LOC_DN);
		assert_int_equal(eid.loc_len, strlen("cn=dora,ou=people,dc=example,dc=com"));
		assert_memory_equal(eid.loc, "cn=dora,ou=people,dc=example,dc=com", eid.loc_len);
		/* A person without mail still has a search key, from its ID
		 * (no SMTP prefix: see bag_person_without_mail_has_no_address_MU1_EK7). */
		p = need(&bag, PR_SEARCH_KEY);
		assert_memory_equal(p->v.bin.lpb, "LDAPAB:", 7);
		abp_props_free(&bag);
	}
	abp_attrmap_free(m);
}

/* EK-2: on a server without entryUUID, a person whose DN is longer than
 * 1,024 bytes still gets an entry ID (the normalised DN), and so a record
 * key and a search key; only a DN beyond what an ID can carry (64 KiB) is
 * refused - as not found, nothing half-built. */
static void bag_long_dn_gets_a_dn_locator_EK2(void **state)
{
	struct lb_attr attrs[] = {
		A("objectClass", V("person")),
		A("cn", V("Long")),
	};
	const size_t ou_counts[] = { 150, 400 };     /* ~1.5 KB, ~4 KB DNs */
	struct abp_attrmap *m = iop_map();
	enum abp_eid_type type = 0;
	struct abp_props bag;
	const struct abp_prop *p;
	struct abp_eid eid;
	char *dn = malloc(70000), *norm = NULL;

	(void)state;
	assert_non_null(dn);
	for (size_t k = 0; k < sizeof(ou_counts) / sizeof(ou_counts[0]); k++) {
		size_t n = (size_t)sprintf(dn, "CN=Long");

		for (size_t i = 0; i < ou_counts[k]; i++)
			n += (size_t)sprintf(dn + n, ",OU=Unit%04zu", i);
		sprintf(dn + n, ",DC=Example,DC=com");
		assert_true(strlen(dn) > 1024);
		assert_int_equal(lb_dn_normalize(dn, &norm, NULL), LB_OK);
		abp_props_init(&bag);
		assert_int_equal(abp_dir_build_bag(m, &test_uid, dn, attrs, 2, &type, &bag), S_OK);
		assert_int_equal(type, ABP_EID_MAILUSER);
		p = need(&bag, PR_ENTRYID);
		assert_int_equal(abp_eid_parse(p->v.bin.lpb, p->v.bin.cb, test_uid.ab, &eid),
		                 ABP_EID_OK);
		assert_int_equal(eid.loc_kind, ABP_EID_LOC_DN);
		assert_int_equal(eid.loc_len, strlen(norm));
		assert_memory_equal(eid.loc, norm, eid.loc_len);
		(void)need(&bag, PR_RECORD_KEY);
		(void)need(&bag, PR_SEARCH_KEY);
		abp_props_free(&bag);
		free(norm);
		norm = NULL;
	}
	/* Beyond the locator's 16-bit length: not found, nothing built. */
	memset(dn, 'x', 69990);
	memcpy(dn, "cn=", 3);
	strcpy(dn + 69990, ",dc=e");
	abp_props_init(&bag);
	assert_int_equal(abp_dir_build_bag(m, &test_uid, dn, attrs, 2, &type, &bag),
	                 MAPI_E_NOT_FOUND);
	assert_null(abp_props_find(&bag, PR_ENTRYID));
	abp_props_free(&bag);
	free(dn);
	abp_attrmap_free(m);
}

/* MU-1 / EK-7 decision: a person without mail cannot be sent to, so it has
 * no PR_ADDRTYPE and no PR_EMAIL_ADDRESS (not an "SMTP" recipient with no
 * address); its search key is "LDAPAB:" + the hex of its locator - the
 * identity its record key holds - and never "SMTP:...".  A group without
 * mail stays "MAPIPDL" (MU-2); a person with mail stays "SMTP". */
static void bag_person_without_mail_has_no_address_MU1_EK7(void **state)
{
	static const uint8_t uuid[16] = { 0x59, 0x7a, 0xe2, 0xf6, 0x16, 0xa6, 0x10, 0x27,
	                                  0x98, 0xf4, 0xd2, 0x8b, 0x53, 0x65, 0xdc, 0x14 };
	static const char want_sk[] = "LDAPAB:597AE2F616A6102798F4D28B5365DC14";
	struct lb_attr person[] = {
		A("objectClass", V("inetOrgPerson")),
		A("entryUUID", V("597ae2f6-16a6-1027-98f4-d28b5365dc14")),
		A("cn", V("Nomail Person")),
	};
	struct lb_attr group[] = {
		A("objectClass", V("groupOfNames")),
		A("entryUUID", V("597ae2f6-16a6-1027-98f4-d28b5365dc14")),
		A("cn", V("Nomail Group")),
	};
	struct abp_attrmap *m = iop_map();
	struct abp_props bag;
	enum abp_eid_type type = 0;
	const struct abp_prop *p, *rk;
	struct abp_eid eid;

	(void)state;
	abp_props_init(&bag);
	assert_int_equal(abp_dir_build_bag(m, &test_uid, "cn=Nomail Person,ou=People,dc=example,dc=com",
	                                   person, 3, &type, &bag), S_OK);
	assert_int_equal(type, ABP_EID_MAILUSER);
	assert_null(abp_props_find(&bag, PR_ADDRTYPE_W));
	assert_null(abp_props_find(&bag, PR_EMAIL_ADDRESS_W));
	/* Still a recipient-shaped object for display and identity. */
	assert_string_equal(abp_props_find_string(&bag, PR_DISPLAY_NAME_W), "Nomail Person");
	need(&bag, PR_ENTRYID);
	rk = need(&bag, PR_RECORD_KEY);
	assert_int_equal(abp_eid_parse(rk->v.bin.lpb, rk->v.bin.cb, test_uid.ab, &eid), ABP_EID_OK);
	assert_int_equal(eid.loc_len, 16);
	assert_memory_equal(eid.loc, uuid, 16);
	p = need(&bag, PR_SEARCH_KEY);
	assert_int_equal(p->v.bin.cb, sizeof(want_sk));         /* NUL counted (EK-7) */
	assert_memory_equal(p->v.bin.lpb, want_sk, sizeof(want_sk));
	abp_props_free(&bag);

	abp_props_init(&bag);
	assert_int_equal(abp_dir_build_bag(m, &test_uid, "cn=Nomail Group,ou=Groups,dc=example,dc=com",
	                                   group, 3, &type, &bag), S_OK);
	assert_int_equal(type, ABP_EID_DISTLIST);
	assert_string_equal(abp_props_find_string(&bag, PR_ADDRTYPE_W), "MAPIPDL");
	p = need(&bag, PR_SEARCH_KEY);
	assert_memory_equal(p->v.bin.lpb, "MAPIPDL:597AE2F6", 16);
	abp_props_free(&bag);
	abp_attrmap_free(m);
}

static void bag_hostile_server_data_MU6(void **state)
{
	enum { MANY = 10000 };
	struct lb_value *many = calloc(MANY, sizeof(*many));
	char *huge = malloc(1024 * 1024 + 1);
	struct lb_value hv;
	struct abp_attrmap *m = iop_map();
	struct abp_props bag;
	enum abp_eid_type type = 0;
	const struct abp_prop *p;
	size_t i;

	(void)state;
	assert_non_null(many);
	assert_non_null(huge);
	for (i = 0; i < MANY; i++) {
		many[i].data = (i % 2) ? "m@example.com" : "";      /* half of them empty */
		many[i].len = (i % 2) ? 13 : 0;
	}
	memset(huge, 'x', 1024 * 1024);
	huge[1024 * 1024] = '\0';
	hv.len = 1024 * 1024;
	hv.data = huge;
	{
		struct lb_attr attrs[] = {
			A("objectClass", V("inetOrgPerson")),
			A("displayName", V("")),                        /* empty: skipped */
			A("cn", V("Bad \xC3\x28 UTF-8 \xFF")),          /* invalid sequences */
			{ "mail", MANY, many },
			{ "description", 1, &hv },
			{ "title", 0, NULL },                           /* no values */
			A("sn", V("a\0b")),                             /* embedded NUL */
			A("manager", V("not a DN")),
		};

		abp_props_init(&bag);
		assert_int_equal(abp_dir_build_bag(m, &test_uid, "cn=x,dc=example,dc=com", attrs,
		                                   sizeof(attrs) / sizeof(attrs[0]), &type, &bag), S_OK);
	}
	assert_string_equal(abp_props_find_string(&bag, PR_DISPLAY_NAME_W),
	                    "Bad \xEF\xBF\xBD( UTF-8 \xEF\xBF\xBD");
	assert_string_equal(abp_props_find_string(&bag, PR_EMAIL_ADDRESS_W), "m@example.com");
	p = need(&bag, PR_EMS_AB_PROXY_ADDRESSES_W);
	assert_int_equal(p->v.mvstr.n, ABP_PROP_MV_MAX);
	assert_int_equal(strlen(abp_props_find_string(&bag, PR_COMMENT_W)), ABP_PROP_STR_MAX);
	assert_null(abp_props_find(&bag, PR_TITLE_W));
	assert_null(abp_props_find(&bag, PR_MANAGER_NAME_W));
	assert_string_equal(abp_props_find_string(&bag, PR_SURNAME_W), "a\xEF\xBF\xBD" "b");
	for (i = 0; i < bag.n; i++)
		if (PROP_TYPE(bag.p[i].tag) == PT_UNICODE)
			assert_true(lb_utf8_valid(bag.p[i].v.str, strlen(bag.p[i].v.str)));
	abp_props_free(&bag);

	/* No name at all: the DN's RDN value. */
	{
		struct lb_attr attrs[] = { A("objectClass", V("person")) };

		abp_props_init(&bag);
		assert_int_equal(abp_dir_build_bag(m, &test_uid, "uid=zed,dc=example,dc=com", attrs, 1,
		                                   &type, &bag), S_OK);
		assert_string_equal(abp_props_find_string(&bag, PR_DISPLAY_NAME_W), "zed");
		abp_props_free(&bag);
	}
	/* Not a person or group, no objectClass, no usable ID: NOT_FOUND. */
	{
		struct lb_attr ou[] = { A("objectClass", V("organizationalUnit")) };
		struct lb_attr none[] = { A("cn", V("x")) };
		struct lb_attr person[] = { A("objectClass", V("person")) };

		abp_props_init(&bag);
		assert_int_equal(abp_dir_build_bag(m, &test_uid, "ou=x,dc=e", ou, 1, &type, &bag),
		                 MAPI_E_NOT_FOUND);
		assert_int_equal(abp_dir_build_bag(m, &test_uid, "cn=x,dc=e", none, 1, &type, &bag),
		                 MAPI_E_NOT_FOUND);
		assert_int_equal(abp_dir_build_bag(m, &test_uid, "no dn at all", person, 1, &type,
		                                   &bag), MAPI_E_NOT_FOUND);
		assert_int_equal(abp_dir_build_bag(m, &test_uid, "", person, 1, &type, &bag),
		                 MAPI_E_NOT_FOUND);
		assert_int_equal(bag.n, 0);
	}
	abp_attrmap_free(m);
	free(many);
	free(huge);
}

/* Photos and certificates (binary rows): bytes kept exactly, an oversized
 * value left out whole (never cut), empty values skipped, multi-valued
 * certificates capped in count and total size, a photo from the second
 * source when the first has none, and the proxy addresses of several mail
 * values (SMTP: primary, smtp: others). */
static void bag_binary_photo_certificates_and_proxy_addresses_hostile_MU1(void **state)
{
	enum { MANY = 5000, BIG = ABP_PROP_BIN_MAX + 1 };
	static const char jpeg[] = "\xFF\xD8\xFF\xE0 jpeg \x00 with NUL \xFF\xD9";
	static const char cert1[] = "\x30\x82\x01\x00 first \x00 cert";
	static const char cert2[] = "\x30\x03\x02\x01\x01";
	struct lb_value *many = calloc(MANY, sizeof(*many));
	char *big = malloc(BIG);
	struct abp_attrmap *m = iop_map();
	struct abp_props bag;
	enum abp_eid_type type = 0;
	const struct abp_prop *p;
	size_t i, total;

	(void)state;
	assert_non_null(many);
	assert_non_null(big);
	memset(big, 0x5A, BIG);
	for (i = 0; i < MANY; i++) {
		many[i].data = (i % 3 == 0) ? "" : (i % 3 == 1 ? cert2 : big);
		many[i].len = (i % 3 == 0) ? 0 : (i % 3 == 1 ? sizeof(cert2) - 1 : 60000);
	}
	{
		struct lb_value photo[] = { { 0, "" }, { BIG, big }, { sizeof(jpeg) - 1, jpeg } };
		struct lb_value certs[] = { { sizeof(cert1) - 1, cert1 }, { 0, NULL }, { BIG, big },
		                            { sizeof(cert2) - 1, cert2 } };
		struct lb_attr attrs[] = {
			A("objectClass", V("inetOrgPerson")),
			A("cn", V("Pat Photo")),
			A("mail", V("pat@example.com"), V(""), V("p.photo@example.com")),
			{ "jpegPhoto", 3, photo },
			{ "userCertificate;binary", 4, certs },
			{ "userSMIMECertificate", MANY, many },
		};

		abp_props_init(&bag);
		assert_int_equal(abp_dir_build_bag(m, &test_uid, "uid=pat,dc=example,dc=com", attrs,
		                                   sizeof(attrs) / sizeof(attrs[0]), &type, &bag), S_OK);
	}
	/* The first photo that fits: the empty one skipped, the huge one left out. */
	p = need(&bag, PR_EMS_AB_THUMBNAIL_PHOTO);
	assert_int_equal(p->v.bin.cb, sizeof(jpeg) - 1);
	assert_memory_equal(p->v.bin.lpb, jpeg, sizeof(jpeg) - 1);
	/* Certificates in order, byte for byte; the empty and the huge one gone. */
	p = need(&bag, PR_EMS_AB_X509_CERT);
	assert_int_equal(p->v.mvbin.n, 2);
	assert_int_equal(p->v.mvbin.cb[0], sizeof(cert1) - 1);
	assert_memory_equal(p->v.mvbin.lpb[0], cert1, sizeof(cert1) - 1);
	assert_int_equal(p->v.mvbin.cb[1], sizeof(cert2) - 1);
	/* Thousands of values: capped in count and total bytes. */
	p = need(&bag, PR_USER_X509_CERTIFICATE);
	assert_true(p->v.mvbin.n <= ABP_BIN_VALUES_MAX);
	for (i = 0, total = 0; i < p->v.mvbin.n; i++) {
		assert_true(p->v.mvbin.cb[i] > 0);
		total += p->v.mvbin.cb[i];
	}
	assert_true(total <= ABP_BIN_TOTAL_MAX);
	assert_true(total > ABP_BIN_TOTAL_MAX / 2);     /* it did fill up */
	/* Proxy addresses: the empty mail value skipped. */
	p = need(&bag, PR_EMS_AB_PROXY_ADDRESSES_W);
	assert_int_equal(p->v.mvstr.n, 2);
	assert_string_equal(p->v.mvstr.v[0], "SMTP:pat@example.com");
	assert_string_equal(p->v.mvstr.v[1], "smtp:p.photo@example.com");
	abp_props_free(&bag);

	/* thumbnailPhoto wins over jpegPhoto; nothing usable: no property. */
	{
		struct lb_value tiny[] = { { 3, "abc" } };
		struct lb_attr attrs[] = {
			A("objectClass", V("inetOrgPerson")),
			A("cn", V("Two Photos")),
			{ "thumbnailPhoto", 1, tiny },
			A("jpegPhoto", V("jpeg")),
			A("userCertificate;binary", V("")),
		};

		abp_props_init(&bag);
		assert_int_equal(abp_dir_build_bag(m, &test_uid, "uid=two,dc=example,dc=com", attrs,
		                                   sizeof(attrs) / sizeof(attrs[0]), &type, &bag), S_OK);
		p = need(&bag, PR_EMS_AB_THUMBNAIL_PHOTO);
		assert_int_equal(p->v.bin.cb, 3);
		assert_memory_equal(p->v.bin.lpb, "abc", 3);
		assert_null(abp_props_find(&bag, PR_EMS_AB_X509_CERT));
		assert_null(abp_props_find(&bag, PR_USER_X509_CERTIFICATE));
		abp_props_free(&bag);
	}
	abp_attrmap_free(m);

	/* Overrides on binary rows read bytes; a text attribute overriding a
	 * photo row is read as bytes too (never as a string). */
	{
		char *ov[] = { (char *)"PR_EMS_AB_THUMBNAIL_PHOTO=photo",
		               (char *)"PR_EMS_AB_X509_CERT=cACertificate;binary" };
		struct lb_attr attrs[] = {
			A("objectClass", V("inetOrgPerson")),
			A("cn", V("Over Ride")),
			A("photo", V("g3fax\0" "bytes")),
			A("cACertificate;binary", V("\x30\x00"), V("\x30\x01\x00")),
		};

		assert_int_equal(abp_attrmap_new(LDAPAB_SCHEMA_INETORGPERSON, LB_UUID_ENTRYUUID, ov, 2,
		                                 &m, NULL, 0), S_OK);
		abp_props_init(&bag);
		assert_int_equal(abp_dir_build_bag(m, &test_uid, "uid=ov,dc=example,dc=com", attrs,
		                                   sizeof(attrs) / sizeof(attrs[0]), &type, &bag), S_OK);
		p = need(&bag, PR_EMS_AB_THUMBNAIL_PHOTO);
		assert_int_equal(p->v.bin.cb, 11);
		assert_memory_equal(p->v.bin.lpb, "g3fax\0" "bytes", 11);
		p = need(&bag, PR_EMS_AB_X509_CERT);
		assert_int_equal(p->v.mvbin.n, 2);
		abp_props_free(&bag);
		abp_attrmap_free(m);
	}
	free(many);
	free(big);
}

/* The detail list (an entry being opened) asks for photos, certificates
 * and the link attributes; the light list (table rows) does not. */
static void attrmap_binary_rows_in_request_list(void **state)
{
	struct abp_attrmap *m = iop_map();
	struct abp_attrmap *ad = NULL;

	(void)state;
	assert_true(requested(m, "jpegPhoto"));
	assert_true(requested(m, "thumbnailPhoto"));
	assert_true(requested(m, "userCertificate;binary"));
	assert_true(requested(m, "userSMIMECertificate"));
	assert_int_equal(PROP_TYPE(abp_attrmap_find(m, PR_EMS_AB_X509_CERT)->tag), PT_MV_BINARY);
	assert_int_equal(abp_attrmap_find(m, PR_EMS_AB_THUMBNAIL_PHOTO)->src[0].conv,
	                 ABP_CONV_BINARY);
	assert_int_equal(abp_attrmap_new(LDAPAB_SCHEMA_ACTIVE_DIRECTORY, LB_UUID_OBJECTGUID, NULL, 0,
	                                 &ad, NULL, 0), S_OK);
	assert_string_equal(src0(ad, PR_EMS_AB_X509_CERT), "userCertificate");
	assert_string_equal(src0(ad, PR_EMS_AB_PROXY_ADDRESSES_W), "proxyAddresses");
	abp_attrmap_free(ad);
	abp_attrmap_free(m);
}

/* The bag reaches GetProps intact: the five base address properties. */
static void bag_to_getprops_base_properties_MU1(void **state)
{
	struct lb_attr attrs[] = {
		A("objectClass", V("inetOrgPerson")),
		A("cn", V("\xE5\xB1\xB1\xE7\x94\xB0 \xE5\xA4\xAA\xE9\x83\x8E")),   /* 山田 太郎 */
		A("mail", V("taro@example.jp")),
	};
	ULONG req[] = { PR_ADDRTYPE_W, PR_DISPLAY_NAME_W, PR_EMAIL_ADDRESS_A, PR_ENTRYID,
	                PR_SEARCH_KEY, PR_OBJECT_TYPE, PR_RECORD_KEY, PR_DISPLAY_TYPE };
	SPropTagArray *tags = tags_new(8, req);
	struct abp_allocs al = test_allocs();
	struct abp_attrmap *m = iop_map();
	struct abp_props bag;
	enum abp_eid_type type = 0;
	SPropValue *v = NULL;
	ULONG n = 0;

	(void)state;
	abp_props_init(&bag);
	assert_int_equal(abp_dir_build_bag(m, &test_uid, "cn=taro,dc=example,dc=jp", attrs, 3,
	                                   &type, &bag), S_OK);
	assert_int_equal(abp_props_get(&al, &bag, tags, MAPI_UNICODE, &n, &v), S_OK);
	assert_int_equal(n, 8);
	assert_true(w_eq(v[0].Value.lpszW, "SMTP"));
	assert_int_equal(v[1].Value.lpszW[0], 0x5C71);          /* 山 */
	assert_string_equal(v[2].Value.lpszA, "taro@example.jp");
	assert_int_equal(v[5].Value.l, MAPI_MAILUSER);
	/* EK-6: a DN-locator ID keeps the DN as hint; the record key is the
	 * identity only (the same bytes up to the hint length, which is 0). */
	assert_int_equal(v[6].Value.bin.cb + strlen("cn=taro,dc=example,dc=jp"), v[3].Value.bin.cb);
	assert_memory_equal(v[6].Value.bin.lpb, v[3].Value.bin.lpb, v[6].Value.bin.cb - 2);
	host_MAPIFreeBuffer(v);
	free(tags);
	abp_props_free(&bag);
	abp_attrmap_free(m);
}

/* EK-4: the locator comes from the entry, not from the
 * root-DSE probe that built the map: a map made without UUID bits (a probe
 * that missed them) still gives the entryUUID locator when the entry has
 * one, so the same person never gets a DN ID in one session and a UUID ID
 * in another. */
static void bag_locator_from_entry_not_from_probe_EK4(void **state)
{
	struct lb_attr attrs[] = {
		A("objectClass", V("inetOrgPerson")),
		A("entryUUID", V("597ae2f6-16a6-1027-98f4-d28b5365dc14")),
		A("cn", V("Ann Lee")),
	};
	struct lb_attr ns[] = {
		A("objectClass", V("inetOrgPerson")),
		A("nsUniqueId", V("a1b2c3d4-11111111-22222222-33333333")),
		A("cn", V("Ann Lee")),
	};
	struct abp_attrmap *probe_missed = NULL, *probe_ok = iop_map();
	struct abp_props b1, b2, b3;
	enum abp_eid_type type = 0;
	const struct abp_prop *p1, *p2, *p3;
	struct abp_eid eid;
	const char *dn = "uid=alee,ou=People,dc=example,dc=com";

	(void)state;
	assert_int_equal(abp_attrmap_new(LDAPAB_SCHEMA_INETORGPERSON, 0, NULL, 0, &probe_missed,
	                                 NULL, 0), S_OK);
	assert_int_equal(probe_missed->loc_kind, ABP_EID_LOC_DN);
	abp_props_init(&b1);
	abp_props_init(&b2);
	abp_props_init(&b3);
	assert_int_equal(abp_dir_build_bag(probe_missed, &test_uid, dn, attrs, 3, &type, &b1), S_OK);
	assert_int_equal(abp_dir_build_bag(probe_ok, &test_uid, dn, attrs, 3, &type, &b2), S_OK);
	p1 = need(&b1, PR_ENTRYID);
	p2 = need(&b2, PR_ENTRYID);
	assert_int_equal(abp_eid_parse(p1->v.bin.lpb, p1->v.bin.cb, test_uid.ab, &eid), ABP_EID_OK);
	assert_int_equal(eid.loc_kind, ABP_EID_LOC_ENTRYUUID);
	assert_int_equal(p1->v.bin.cb, p2->v.bin.cb);
	assert_memory_equal(p1->v.bin.lpb, p2->v.bin.lpb, p1->v.bin.cb);
	/* nsUniqueId (389-ds) the same way, with a map that names entryUUID. */
	assert_int_equal(abp_dir_build_bag(probe_ok, &test_uid, dn, ns, 3, &type, &b3), S_OK);
	p3 = need(&b3, PR_ENTRYID);
	assert_int_equal(abp_eid_parse(p3->v.bin.lpb, p3->v.bin.cb, test_uid.ab, &eid), ABP_EID_OK);
	assert_int_equal(eid.loc_kind, ABP_EID_LOC_NSUNIQUEID);
	assert_int_equal(eid.hint_len, 0);
	abp_props_free(&b1);
	abp_props_free(&b2);
	abp_props_free(&b3);
	abp_attrmap_free(probe_missed);
	abp_attrmap_free(probe_ok);
}

/* EK-4, EK-6: the same entry under two DNs (before and
 * after a rename) gives the same PR_ENTRYID and PR_RECORD_KEY; the record
 * key equals the one computed from a flagged, hinted copy of the ID. */
static void bag_entryid_and_record_key_survive_rename_EK4_EK6(void **state)
{
	struct lb_attr attrs[] = {
		A("objectClass", V("inetOrgPerson")),
		A("entryUUID", V("597ae2f6-16a6-1027-98f4-d28b5365dc14")),
		A("cn", V("Ann Lee")),
	};
	struct abp_attrmap *m = iop_map();
	struct abp_props b1, b2;
	enum abp_eid_type type = 0;
	const struct abp_prop *e1, *e2, *r1, *r2;
	struct abp_eid eid;
	uint8_t flagged[ABP_EID_MAX], rk[ABP_EID_MAX];
	size_t n, nrk;
	const char *other = "uid=alee-renamed,ou=Moved,dc=example,dc=com";

	(void)state;
	abp_props_init(&b1);
	abp_props_init(&b2);
	assert_int_equal(abp_dir_build_bag(m, &test_uid, "uid=alee,ou=People,dc=example,dc=com",
	                                   attrs, 3, &type, &b1), S_OK);
	assert_int_equal(abp_dir_build_bag(m, &test_uid, other, attrs, 3, &type, &b2), S_OK);
	e1 = need(&b1, PR_ENTRYID);
	e2 = need(&b2, PR_ENTRYID);
	r1 = need(&b1, PR_RECORD_KEY);
	r2 = need(&b2, PR_RECORD_KEY);
	assert_int_equal(e1->v.bin.cb, e2->v.bin.cb);
	assert_memory_equal(e1->v.bin.lpb, e2->v.bin.lpb, e1->v.bin.cb);
	assert_int_equal(r1->v.bin.cb, r2->v.bin.cb);
	assert_memory_equal(r1->v.bin.lpb, r2->v.bin.lpb, r1->v.bin.cb);
	/* A short-term copy with a (stale) hint names the same object: its
	 * record key is the same bytes. */
	assert_int_equal(abp_eid_parse(e1->v.bin.lpb, e1->v.bin.cb, test_uid.ab, &eid), ABP_EID_OK);
	eid.hint = other;
	eid.hint_len = strlen(other);
	n = abp_eid_encode(&eid, flagged, sizeof(flagged));
	assert_true(n > e1->v.bin.cb);
	flagged[0] = 0x10;
	assert_int_equal(abp_eid_parse(flagged, n, test_uid.ab, &eid), ABP_EID_OK);
	nrk = abp_eid_record_key(&eid, rk, sizeof(rk));
	assert_int_equal(nrk, r1->v.bin.cb);
	assert_memory_equal(rk, r1->v.bin.lpb, nrk);
	abp_props_free(&b1);
	abp_props_free(&b2);
	abp_attrmap_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(uuid_text_valid_and_invalid_forms),
		cmocka_unit_test(attrmap_presets_and_request_list),
		cmocka_unit_test(attrmap_overrides_parse_and_apply),
		cmocka_unit_test(attrmap_classify_object_classes),
		cmocka_unit_test(bag_person_required_and_mapped_MU1_EK6_EK7),
		cmocka_unit_test(bag_group_without_mail_is_mapipdl_MU2),
		cmocka_unit_test(bag_active_directory_guid_and_proxy_addresses),
		cmocka_unit_test(bag_postal_address_lines_MU1),
		cmocka_unit_test(bag_locator_falls_back_to_normalised_dn_EK2),
		cmocka_unit_test(bag_long_dn_gets_a_dn_locator_EK2),
		cmocka_unit_test(bag_person_without_mail_has_no_address_MU1_EK7),
		cmocka_unit_test(bag_hostile_server_data_MU6),
		cmocka_unit_test(bag_binary_photo_certificates_and_proxy_addresses_hostile_MU1),
		cmocka_unit_test(attrmap_binary_rows_in_request_list),
		cmocka_unit_test(bag_locator_from_entry_not_from_probe_EK4),
		cmocka_unit_test(bag_entryid_and_record_key_survive_rename_EK4_EK6),
		cmocka_unit_test_setup_teardown(bag_to_getprops_base_properties_MU1, test_clean_setup,
		                                test_clean_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
