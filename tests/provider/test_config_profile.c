/*
 * test_config_profile.c - profile settings → struct abp_config (CF-1, CF-5,
 * CF-6, LC-13, LC-15, LC-19): every missing or invalid setting gives
 * MAPI_E_UNCONFIGURED with a message naming it; valid settings, in _A or _W
 * form, reach ldapbridge's configuration.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <ldapab/profile.h>

#include "abp.h"
#include "config.h"

#define MAXP 16

/* UTF-16 copies of ASCII literals, freed in teardown. */
static WCHAR *wstrs[64];
static size_t n_wstrs;

static WCHAR *W(const char *s)
{
	size_t n = strlen(s);
	WCHAR *w = calloc(n + 1, sizeof(WCHAR));

	assert_non_null(w);
	for (size_t i = 0; i < n; i++)
		w[i] = (unsigned char)s[i];
	assert_true(n_wstrs < 64);
	wstrs[n_wstrs++] = w;
	return w;
}

static int teardown(void **state)
{
	(void)state;
	for (size_t i = 0; i < n_wstrs; i++)
		free(wstrs[i]);
	n_wstrs = 0;
	return 0;
}

struct props {
	ULONG n;
	SPropValue v[MAXP];
};

static void put_a(struct props *p, ULONG tag, const char *s)
{
	p->v[p->n].ulPropTag = tag;
	p->v[p->n++].Value.lpszA = (LPSTR)s;
}

static void put_w(struct props *p, ULONG tag, const char *s)
{
	p->v[p->n].ulPropTag = tag;
	p->v[p->n++].Value.lpszW = W(s);
}

static void put_l(struct props *p, ULONG tag, LONG l)
{
	p->v[p->n].ulPropTag = tag;
	p->v[p->n++].Value.l = l;
}

static void put_mv_a(struct props *p, ULONG tag, ULONG n, LPSTR *vals)
{
	p->v[p->n].ulPropTag = tag;
	p->v[p->n].Value.MVszA.cValues = n;
	p->v[p->n++].Value.MVszA.lppszA = vals;
}

/* A working minimum: one server URI. */
static void base(struct props *p)
{
	memset(p, 0, sizeof(*p));
	put_a(p, PR_LDAPAB_SERVER_URIS_A, "ldaps://ldap.example.com");
}

static void expect_unconfigured(struct props *p, const char *needle)
{
	struct abp_config *cfg = (struct abp_config *)(uintptr_t)1;
	char msg[ABP_MSG_MAX];
	HRESULT hr = abp_config_from_props(p->n, p->v, &cfg, msg, sizeof(msg));

	if (hr != MAPI_E_UNCONFIGURED || !strstr(msg, needle))
		fail_msg("expected MAPI_E_UNCONFIGURED naming \"%s\", got 0x%08X \"%s\"",
		         needle, (unsigned)hr, msg);
	assert_null(cfg);
	/* LC-19: the message leads with the product and never shows a password. */
	assert_non_null(strstr(msg, "ldapab is not configured: "));
	assert_null(strstr(msg, "s3cret"));
}

static struct abp_config *expect_ok(struct props *p)
{
	struct abp_config *cfg = NULL;
	char msg[ABP_MSG_MAX];
	HRESULT hr = abp_config_from_props(p->n, p->v, &cfg, msg, sizeof(msg));

	if (hr != S_OK)
		fail_msg("expected S_OK, got 0x%08X \"%s\"", (unsigned)hr, msg);
	assert_non_null(cfg);
	return cfg;
}

/* ---------------------------------------------------------------------- */

struct bad_case {
	const char *what;
	void (*build)(struct props *p);
	const char *needle;         /* README name + tag in the message */
};

static void no_uris(struct props *p) { memset(p, 0, sizeof(*p)); }
static void blank_uris(struct props *p) { memset(p, 0, sizeof(*p)); put_a(p, PR_LDAPAB_SERVER_URIS_A, "   "); }
static void http_uri(struct props *p) { memset(p, 0, sizeof(*p)); put_w(p, PR_LDAPAB_SERVER_URIS_W, "ldaps://a http://b"); }
static void uris_long(struct props *p) { memset(p, 0, sizeof(*p)); put_l(p, PROP_TAG(PT_LONG, 0x6600), 1); }
static void uris_error_slot(struct props *p)
{
	memset(p, 0, sizeof(*p));
	p->v[0].ulPropTag = PROP_TAG(PT_ERROR, 0x6600);
	p->v[0].Value.err = MAPI_E_NOT_FOUND;
	p->n = 1;
}
static void base_not_dn(struct props *p) { base(p); put_a(p, PR_LDAPAB_BASE_DN_A, "example"); }
static void method_range(struct props *p) { base(p); put_l(p, PR_LDAPAB_BIND_METHOD, 7); }
static void method_string(struct props *p) { base(p); put_a(p, PROP_TAG(PT_STRING8, 0x6602), "simple"); }
static void simple_no_dn(struct props *p) { base(p); put_l(p, PR_LDAPAB_BIND_METHOD, LDAPAB_BIND_SIMPLE); }
static void simple_no_pw(struct props *p) { base(p); put_a(p, PR_LDAPAB_BIND_DN_A, "cn=reader,dc=example,dc=com"); }
static void both_pw(struct props *p)
{
	base(p);
	put_a(p, PR_LDAPAB_BIND_DN_A, "cn=reader,dc=example,dc=com");
	put_w(p, PR_LDAPAB_BIND_PASSWORD_W, "s3cret");
	put_a(p, PR_LDAPAB_PASSWORD_FILE_A, "/etc/ldapab.pw");
}
static void tls_mode(struct props *p) { base(p); put_l(p, PR_LDAPAB_TLS_MODE, 5); }
static void reqcert(struct props *p) { base(p); put_l(p, PR_LDAPAB_TLS_REQCERT, 9); }
static void cert_no_key(struct props *p) { base(p); put_a(p, PR_LDAPAB_TLS_CERT_FILE_A, "/c.pem"); }
static void key_no_cert(struct props *p) { base(p); put_a(p, PR_LDAPAB_TLS_KEY_FILE_A, "/k.pem"); }
static void cto_zero(struct props *p) { base(p); put_l(p, PR_LDAPAB_CONNECT_TIMEOUT, 0); }
static void oto_big(struct props *p) { base(p); put_l(p, PR_LDAPAB_OP_TIMEOUT, 99999); }
static void tlim_neg(struct props *p) { base(p); put_l(p, PR_LDAPAB_SEARCH_TIMELIMIT, -1); }
static void slim_neg(struct props *p) { base(p); put_l(p, PR_LDAPAB_SIZE_LIMIT, -5); }
static void page_big(struct props *p) { base(p); put_l(p, PR_LDAPAB_PAGE_SIZE, 1000001); }
static void backoff_zero(struct props *p) { base(p); put_l(p, PR_LDAPAB_FAILOVER_BACKOFF, 0); }
static void backoff_big(struct props *p) { base(p); put_l(p, PR_LDAPAB_FAILOVER_BACKOFF, 601); }
static void browse(struct props *p) { base(p); put_l(p, PR_LDAPAB_BROWSE_MODE, 2); }
static void pfilter(struct props *p) { base(p); put_a(p, PR_LDAPAB_PERSON_FILTER_A, "objectClass=person"); }
static void gfilter(struct props *p) { base(p); put_w(p, PR_LDAPAB_GROUP_FILTER_W, "(cn=a"); }
static void gfilter2(struct props *p) { base(p); put_a(p, PR_LDAPAB_GROUP_FILTER_A, "(a=b)(c=d)"); }
static void schema(struct props *p) { base(p); put_l(p, PR_LDAPAB_SCHEMA, 3); }
static void insecure_type(struct props *p) { base(p); put_a(p, PROP_TAG(PT_STRING8, 0x6605), "yes"); }
static LPSTR am_bad[] = { (LPSTR)"PR_SMTP_ADDRESS=mail", (LPSTR)"nonsense" };
static void attrmap(struct props *p) { base(p); put_mv_a(p, PR_LDAPAB_ATTR_MAP_A, 2, am_bad); }
static void attrmap_single(struct props *p) { base(p); put_a(p, PROP_TAG(PT_STRING8, 0x6634), "mail=mail"); }
static LPSTR c_noname[] = { (LPSTR)"|ou=People,dc=example,dc=com|" };
static void cont_noname(struct props *p) { base(p); put_mv_a(p, PR_LDAPAB_CONTAINERS_A, 1, c_noname); }
static LPSTR c_fields[] = { (LPSTR)"A|ou=x,dc=y|(a=b)|extra" };
static void cont_fields(struct props *p) { base(p); put_mv_a(p, PR_LDAPAB_CONTAINERS_A, 1, c_fields); }
static LPSTR c_dup[] = { (LPSTR)"People|ou=People,dc=example,dc=com",
                         (LPSTR)"Staff|OU=people,DC=example,DC=com" };
static void cont_dup(struct props *p) { base(p); put_mv_a(p, PR_LDAPAB_CONTAINERS_A, 2, c_dup); }
static LPSTR c_filter[] = { (LPSTR)"People|ou=People,dc=example,dc=com|mail=*" };
static void cont_filter(struct props *p) { base(p); put_mv_a(p, PR_LDAPAB_CONTAINERS_A, 1, c_filter); }
/* LC-15: overrides are checked at Logon as the directory objects read them. */
static LPSTR am_unknown[] = { (LPSTR)"PR_TITLE=title", (LPSTR)"PR_NO_SUCH=foo" };
static void attrmap_unknown(struct props *p) { base(p); put_mv_a(p, PR_LDAPAB_ATTR_MAP_A, 2, am_unknown); }
static LPSTR am_badattr[] = { (LPSTR)"PR_TITLE=bad attr(" };
static void attrmap_badattr(struct props *p) { base(p); put_mv_a(p, PR_LDAPAB_ATTR_MAP_A, 1, am_badattr); }
static LPSTR am_noname[] = { (LPSTR)"=title" };
static void attrmap_noname(struct props *p) { base(p); put_mv_a(p, PR_LDAPAB_ATTR_MAP_A, 1, am_noname); }
static LPSTR am_many[41];
static char am_many_buf[41][32];
static void attrmap_too_many(struct props *p)
{
	base(p);
	for (int i = 0; i < 41; i++) {
		snprintf(am_many_buf[i], sizeof(am_many_buf[i]), "PR_TITLE=attr%d", i);
		am_many[i] = am_many_buf[i];
	}
	put_mv_a(p, PR_LDAPAB_ATTR_MAP_A, 41, am_many);
}
static void base_dn_broken(struct props *p) { base(p); put_a(p, PR_LDAPAB_BASE_DN_A, "dc=example,,dc=com"); }
static LPSTR c_badbase[] = { (LPSTR)"People|not a dn" };
static void cont_badbase(struct props *p) { base(p); put_mv_a(p, PR_LDAPAB_CONTAINERS_A, 1, c_badbase); }
static LPSTR c_badbase2[] = { (LPSTR)"People|ou=People,dc=example,dc=com",
                              (LPSTR)"Staff|ou=Staff,,dc=example" };
static void cont_badbase2(struct props *p) { base(p); put_mv_a(p, PR_LDAPAB_CONTAINERS_A, 2, c_badbase2); }
static void cafile_missing(struct props *p) { base(p); put_a(p, PR_LDAPAB_TLS_CACERT_FILE_A, "/nonexistent/ldapab-ca.pem"); }
static void cafile_is_dir(struct props *p) { base(p); put_a(p, PR_LDAPAB_TLS_CACERT_FILE_A, "/"); }
static void cadir_missing(struct props *p) { base(p); put_w(p, PR_LDAPAB_TLS_CACERT_DIR_W, "/nonexistent/certs"); }
static void cadir_is_file(struct props *p) { base(p); put_a(p, PR_LDAPAB_TLS_CACERT_DIR_A, "/proc/self/status"); }
static void anon_with_dn(struct props *p)
{
	base(p);
	put_l(p, PR_LDAPAB_BIND_METHOD, LDAPAB_BIND_ANONYMOUS);
	put_a(p, PR_LDAPAB_BIND_DN_A, "cn=reader,dc=example,dc=com");
}
static void anon_with_pw(struct props *p) { base(p); put_a(p, PR_LDAPAB_BIND_PASSWORD_A, "s3cret"); }
static void anon_with_pwfile(struct props *p)
{
	base(p);
	put_l(p, PR_LDAPAB_BIND_METHOD, LDAPAB_BIND_ANONYMOUS);
	put_a(p, PR_LDAPAB_PASSWORD_FILE_A, "/etc/ldapab.pw");
}
static void uid_wrong_pw_secret(struct props *p)
{
	/* A password set and a later setting wrong: the message must not leak it. */
	base(p);
	put_a(p, PR_LDAPAB_BIND_DN_A, "cn=reader,dc=example,dc=com");
	put_a(p, PR_LDAPAB_BIND_PASSWORD_A, "s3cret");
	put_l(p, PR_LDAPAB_PAGE_SIZE, -1);
}

/* Bind DN / password with a SASL method would be silently ignored. */
static void sasl_ext_with_dn(struct props *p)
{
	base(p);
	put_l(p, PR_LDAPAB_BIND_METHOD, LDAPAB_BIND_SASL_EXTERNAL);
	put_a(p, PR_LDAPAB_BIND_DN_A, "cn=reader,dc=example,dc=com");
}
static void sasl_gss_with_pw(struct props *p)
{
	base(p);
	put_l(p, PR_LDAPAB_BIND_METHOD, LDAPAB_BIND_SASL_GSSAPI);
	put_a(p, PR_LDAPAB_BIND_PASSWORD_A, "s3cret");
}
static void sasl_ext_with_pwfile(struct props *p)
{
	base(p);
	put_l(p, PR_LDAPAB_BIND_METHOD, LDAPAB_BIND_SASL_EXTERNAL);
	put_w(p, PR_LDAPAB_PASSWORD_FILE_W, "/etc/ldapab.pw");
}
/* The client certificate and key are checked at Logon like the CA. */
static void cert_missing(struct props *p)
{
	base(p);
	put_a(p, PR_LDAPAB_TLS_CERT_FILE_A, "/nonexistent/ldapab-client.pem");
	put_a(p, PR_LDAPAB_TLS_KEY_FILE_A, "/proc/self/status");
}
static void key_is_dir(struct props *p)
{
	base(p);
	put_a(p, PR_LDAPAB_TLS_CERT_FILE_A, "/proc/self/status");
	put_w(p, PR_LDAPAB_TLS_KEY_FILE_W, "/");
}
static void key_missing(struct props *p)
{
	base(p);
	put_a(p, PR_LDAPAB_TLS_CERT_FILE_A, "/proc/self/status");
	put_a(p, PR_LDAPAB_TLS_KEY_FILE_A, "/nonexistent/ldapab-client.key");
}

static const struct bad_case bad_cases[] = {
	{ "SASL EXTERNAL with a bind DN", sasl_ext_with_dn,
	  "PR_LDAPAB_BIND_METHOD (0x66020003) is 2 (SASL EXTERNAL) but PR_LDAPAB_BIND_DN is set" },
	{ "SASL GSSAPI with a password", sasl_gss_with_pw,
	  "PR_LDAPAB_BIND_METHOD (0x66020003) is 3 (SASL GSSAPI) but PR_LDAPAB_BIND_PASSWORD is set" },
	{ "SASL EXTERNAL with a password file", sasl_ext_with_pwfile,
	  "PR_LDAPAB_BIND_METHOD (0x66020003) is 2 (SASL EXTERNAL) but PR_LDAPAB_PASSWORD_FILE is set" },
	{ "client certificate missing", cert_missing,
	  "PR_LDAPAB_TLS_CERT_FILE (0x6614001F) names \"/nonexistent/ldapab-client.pem\", which does not exist" },
	{ "client key is a directory", key_is_dir,
	  "PR_LDAPAB_TLS_KEY_FILE (0x6615001F) names \"/\", which is a directory" },
	{ "client key missing", key_missing,
	  "PR_LDAPAB_TLS_KEY_FILE (0x6615001F) names \"/nonexistent/ldapab-client.key\", which does not exist" },
	{ "no server URIs", no_uris, "PR_LDAPAB_SERVER_URIS (0x6600001F) is missing" },
	{ "blank server URIs", blank_uris, "PR_LDAPAB_SERVER_URIS (0x6600001F) is missing" },
	{ "http URI", http_uri, "PR_LDAPAB_SERVER_URIS (0x6600001F) contains \"http://b\"" },
	{ "URIs as PT_LONG", uris_long, "PR_LDAPAB_SERVER_URIS (0x6600001F) has the wrong type" },
	{ "URIs PT_ERROR slot", uris_error_slot, "PR_LDAPAB_SERVER_URIS (0x6600001F) is missing" },
	{ "base DN not a DN", base_not_dn, "PR_LDAPAB_BASE_DN (0x6601001F)" },
	{ "bind method out of range", method_range, "PR_LDAPAB_BIND_METHOD (0x66020003) is 7" },
	{ "bind method as string", method_string, "PR_LDAPAB_BIND_METHOD (0x66020003) has the wrong type" },
	{ "simple bind without DN", simple_no_dn, "PR_LDAPAB_BIND_DN (0x6603001F) is missing" },
	{ "simple bind without password", simple_no_pw, "PR_LDAPAB_BIND_PASSWORD (0x67F0001F) is missing" },
	{ "password and password file", both_pw, "PR_LDAPAB_PASSWORD_FILE (0x6604001F)" },
	{ "TLS mode out of range", tls_mode, "PR_LDAPAB_TLS_MODE (0x66100003)" },
	{ "reqcert out of range", reqcert, "PR_LDAPAB_TLS_REQCERT (0x66130003)" },
	{ "client cert without key", cert_no_key, "PR_LDAPAB_TLS_KEY_FILE (0x6615001F) is missing" },
	{ "client key without cert", key_no_cert, "PR_LDAPAB_TLS_CERT_FILE (0x6614001F) is missing" },
	{ "connect timeout 0", cto_zero, "PR_LDAPAB_CONNECT_TIMEOUT (0x66200003) is 0" },
	{ "op timeout too big", oto_big, "PR_LDAPAB_OP_TIMEOUT (0x66210003)" },
	{ "negative time limit", tlim_neg, "PR_LDAPAB_SEARCH_TIMELIMIT (0x66220003)" },
	{ "negative size limit", slim_neg, "PR_LDAPAB_SIZE_LIMIT (0x66230003)" },
	{ "page size too big", page_big, "PR_LDAPAB_PAGE_SIZE (0x66240003)" },
	{ "failover backoff 0", backoff_zero, "PR_LDAPAB_FAILOVER_BACKOFF (0x66250003) is 0" },
	{ "failover backoff past the doubling cap", backoff_big,
	  "PR_LDAPAB_FAILOVER_BACKOFF (0x66250003) is 601" },
	{ "browse mode out of range", browse, "PR_LDAPAB_BROWSE_MODE (0x66300003)" },
	{ "person filter without parentheses", pfilter, "PR_LDAPAB_PERSON_FILTER (0x6631001F)" },
	{ "group filter unbalanced", gfilter, "PR_LDAPAB_GROUP_FILTER (0x6632001F)" },
	{ "group filter two expressions", gfilter2, "PR_LDAPAB_GROUP_FILTER (0x6632001F)" },
	{ "schema out of range", schema, "PR_LDAPAB_SCHEMA (0x66330003)" },
	{ "insecure-bind flag as string", insecure_type, "PR_LDAPAB_ALLOW_INSECURE_BIND (0x6605000B)" },
	{ "attribute map entry without =", attrmap, "PR_LDAPAB_ATTR_MAP (0x6634101F) value 2" },
	{ "attribute map single-valued", attrmap_single, "PR_LDAPAB_ATTR_MAP (0x6634101F) has the wrong type" },
	{ "container without name", cont_noname, "PR_LDAPAB_CONTAINERS (0x6635101F)" },
	{ "container with four fields", cont_fields, "PR_LDAPAB_CONTAINERS (0x6635101F) value 1" },
	{ "two containers, same base", cont_dup, "PR_LDAPAB_CONTAINERS (0x6635101F) values 1 and 2" },
	{ "container filter invalid", cont_filter, "PR_LDAPAB_CONTAINERS (0x6635101F) value 1: " },
	{ "bad setting after a password", uid_wrong_pw_secret, "PR_LDAPAB_PAGE_SIZE (0x66240003)" },
	{ "attribute map: unknown MAPI name", attrmap_unknown,
	  "PR_LDAPAB_ATTR_MAP (0x6634101F) value 2 (\"PR_NO_SUCH=foo\")" },
	{ "attribute map: bad LDAP attribute", attrmap_badattr,
	  "PR_LDAPAB_ATTR_MAP (0x6634101F) value 1 (\"PR_TITLE=bad attr(\")" },
	{ "attribute map: no MAPI name", attrmap_noname, "PR_LDAPAB_ATTR_MAP (0x6634101F) value 1" },
	{ "attribute map: 41 overrides", attrmap_too_many,
	  "PR_LDAPAB_ATTR_MAP (0x6634101F) has 41 values; at most 40" },
	{ "base DN that does not parse", base_dn_broken,
	  "PR_LDAPAB_BASE_DN (0x6601001F) \"dc=example,,dc=com\" is not a DN" },
	{ "container base not a DN", cont_badbase,
	  "PR_LDAPAB_CONTAINERS (0x6635101F) value 1: \"not a dn\" is not a DN" },
	{ "second container base broken", cont_badbase2,
	  "PR_LDAPAB_CONTAINERS (0x6635101F) value 2: \"ou=Staff,,dc=example\" is not a DN" },
	{ "CA file missing", cafile_missing,
	  "PR_LDAPAB_TLS_CACERT_FILE (0x6611001F) names \"/nonexistent/ldapab-ca.pem\", which does not exist" },
	{ "CA file is a directory", cafile_is_dir,
	  "PR_LDAPAB_TLS_CACERT_FILE (0x6611001F) names \"/\", which is a directory" },
	{ "CA dir missing", cadir_missing,
	  "PR_LDAPAB_TLS_CACERT_DIR (0x6612001F) names \"/nonexistent/certs\", which does not exist" },
	{ "CA dir is a file", cadir_is_file,
	  "PR_LDAPAB_TLS_CACERT_DIR (0x6612001F) names \"/proc/self/status\", which is not a directory" },
	{ "anonymous bind with a bind DN", anon_with_dn,
	  "PR_LDAPAB_BIND_METHOD (0x66020003) is 0 (anonymous) but PR_LDAPAB_BIND_DN is set" },
	{ "password without bind DN", anon_with_pw,
	  "PR_LDAPAB_BIND_PASSWORD (0x67F0001F) is set but the bind is anonymous" },
	{ "anonymous bind with a password file", anon_with_pwfile,
	  "PR_LDAPAB_PASSWORD_FILE (0x6604001F) is set but the bind is anonymous" },
};

/* LC-15 / LC-19: table-driven, one row per setting and way to get it wrong. */
static void test_config_every_bad_setting_is_unconfigured_naming_it_LC15(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		struct props p;

		print_message("  case: %s\n", bad_cases[i].what);
		bad_cases[i].build(&p);
		expect_unconfigured(&p, bad_cases[i].needle);
		teardown(NULL);
	}
}

/* CF-6 defaults and the ldapbridge view of a minimal configuration. */
static void test_config_minimal_gets_documented_defaults_CF6(void **state)
{
	struct props p;
	struct abp_config *cfg;

	(void)state;
	base(&p);
	cfg = expect_ok(&p);
	assert_string_equal(cfg->lb.uris, "ldaps://ldap.example.com");
	assert_null(cfg->lb.base);
	assert_int_equal(cfg->lb.bind_method, LB_BIND_ANONYMOUS);
	assert_int_equal(cfg->lb.connect_timeout_ms, 6000);
	assert_int_equal(cfg->lb.op_timeout_ms, 8000);
	assert_int_equal(cfg->lb.time_limit_s, 60);
	assert_int_equal(cfg->lb.size_limit, 100);
	assert_int_equal(cfg->lb.page_size, 1000);
	assert_int_equal(cfg->lb.backoff_s, 30);
	assert_int_equal(cfg->lb.tls_reqcert, LB_REQCERT_DEMAND);
	assert_false(cfg->lb.allow_insecure_password);
	assert_string_equal(cfg->display_name, "LDAP Directory");
	/* No container list: one container over the whole directory, its ID
	 * made like every other container's (EK-4, see below). */
	assert_int_equal(cfg->n_containers, 1);
	assert_int_equal(strlen(cfg->containers[0].id), 17);
	assert_int_equal(cfg->containers[0].id[0], 'c');
	assert_null(cfg->containers[0].base_dn);
	abp_config_free(cfg);
}

/* Strings arrive _A or _W (profile.h); simple bind takes the secure
 * password (CF-5); everything reaches struct lb_config. */
static void test_config_unicode_and_8bit_settings_reach_ldapbridge_CF5(void **state)
{
	static LPSTR map[] = { (LPSTR)"PR_SMTP_ADDRESS=mail" };
	char ca[] = "/tmp/ldapab-test-ca-XXXXXX";
	int fd = mkstemp(ca);
	struct props p;
	struct abp_config *cfg;

	(void)state;
	assert_true(fd >= 0);           /* a CA file that exists (checked at Logon) */
	close(fd);
	memset(&p, 0, sizeof(p));
	put_w(&p, PR_LDAPAB_SERVER_URIS_W, " ldap://127.0.0.1:389, ldapi://%2Frun%2Fs ");
	put_w(&p, PR_LDAPAB_BASE_DN_W, "dc=example,dc=com");
	put_a(&p, PR_LDAPAB_BIND_DN_A, "cn=reader,dc=example,dc=com");
	put_w(&p, PR_LDAPAB_BIND_PASSWORD_W, "s3cret");
	put_l(&p, PR_LDAPAB_TLS_MODE, LDAPAB_TLS_STARTTLS);
	put_l(&p, PR_LDAPAB_TLS_REQCERT, LDAPAB_REQCERT_NEVER);
	put_w(&p, PR_LDAPAB_TLS_CACERT_FILE_W, ca);
	put_l(&p, PR_LDAPAB_CONNECT_TIMEOUT, 2);
	put_l(&p, PR_LDAPAB_SIZE_LIMIT, 0);
	put_mv_a(&p, PR_LDAPAB_ATTR_MAP_A, 1, map);
	put_w(&p, PR_DISPLAY_NAME_W, "Corporate Directory");
	p.v[p.n].ulPropTag = PR_LDAPAB_ALLOW_INSECURE_BIND;
	p.v[p.n++].Value.b = 1;
	cfg = expect_ok(&p);
	assert_string_equal(cfg->lb.uris, "ldap://127.0.0.1:389, ldapi://%2Frun%2Fs");
	assert_string_equal(cfg->lb.base, "dc=example,dc=com");
	assert_int_equal(cfg->lb.bind_method, LB_BIND_SIMPLE);   /* default with a DN */
	assert_string_equal(cfg->lb.bind_dn, "cn=reader,dc=example,dc=com");
	assert_string_equal(cfg->lb.password, "s3cret");
	assert_null(cfg->lb.password_file);
	assert_int_equal(cfg->lb.tls_mode, LB_TLS_STARTTLS);
	assert_int_equal(cfg->lb.tls_reqcert, LB_REQCERT_NEVER);
	assert_string_equal(cfg->lb.tls_ca_file, ca);
	assert_int_equal(cfg->lb.connect_timeout_ms, 2000);
	assert_int_equal(cfg->lb.size_limit, 0);
	assert_true(cfg->lb.allow_insecure_password);
	assert_int_equal(cfg->n_attr_map, 1);
	assert_string_equal(cfg->attr_map[0], "PR_SMTP_ADDRESS=mail");
	assert_string_equal(cfg->display_name, "Corporate Directory");
	assert_string_equal(cfg->containers[0].display_name, "Corporate Directory");
	abp_config_free(cfg);
	unlink(ca);
}

/* EK-4: a container's ID depends on its base and filter only, so renaming
 * or reordering containers keeps the IDs stored in messages. */
static void test_config_container_ids_survive_rename_and_reorder_EK4(void **state)
{
	static LPSTR first[] = { (LPSTR)"People|ou=People,dc=example,dc=com",
	                         (LPSTR)"Groups|ou=Groups,dc=example,dc=com|(objectClass=groupOfNames)" };
	static LPSTR second[] = { (LPSTR)"Groups (all)|ou=Groups,dc=example,dc=com|(objectClass=groupOfNames)",
	                          (LPSTR)"Staff|OU=People,DC=Example,DC=com" };
	struct props p;
	struct abp_config *a, *b;

	(void)state;
	base(&p);
	put_mv_a(&p, PR_LDAPAB_CONTAINERS_A, 2, first);
	a = expect_ok(&p);
	base(&p);
	put_mv_a(&p, PR_LDAPAB_CONTAINERS_A, 2, second);
	b = expect_ok(&p);
	assert_int_equal(a->n_containers, 2);
	assert_string_equal(a->containers[0].display_name, "People");
	assert_string_equal(a->containers[1].filter, "(objectClass=groupOfNames)");
	assert_string_equal(a->containers[0].id, b->containers[1].id);
	assert_string_equal(a->containers[1].id, b->containers[0].id);
	assert_string_not_equal(a->containers[0].id, a->containers[1].id);
	abp_config_free(a);
	abp_config_free(b);
}

/* EK-4 / README: one rule for every container ID - the hash of the
 * effective base DN (normalised, case-insensitive) and the filter - also for
 * the default container when none are listed, and for a listed container
 * without a base (whose effective base is PR_LDAPAB_BASE_DN). */
static void test_config_container_id_one_rule_incl_default_EK4(void **state)
{
	static LPSTR listed_nobase[] = { (LPSTR)"All" };
	static LPSTR listed_base[] = { (LPSTR)"Everything|DC=Example, DC=COM" };
	static LPSTR listed_filter[] = { (LPSTR)"Mail|dc=example,dc=com|(mail=*)" };
	struct props p;
	struct abp_config *def, *nobase, *withbase, *filtered, *other_base;
	char id[18];

	(void)state;
	/* Default container over dc=example,dc=com. */
	base(&p);
	put_a(&p, PR_LDAPAB_BASE_DN_A, "dc=example,dc=com");
	def = expect_ok(&p);
	/* A listed container without a base: the same effective base. */
	base(&p);
	put_a(&p, PR_LDAPAB_BASE_DN_A, "dc=example,dc=com");
	put_mv_a(&p, PR_LDAPAB_CONTAINERS_A, 1, listed_nobase);
	nobase = expect_ok(&p);
	/* The same base spelt differently, no global base. */
	base(&p);
	put_mv_a(&p, PR_LDAPAB_CONTAINERS_A, 1, listed_base);
	withbase = expect_ok(&p);
	/* Another filter: another container. */
	base(&p);
	put_mv_a(&p, PR_LDAPAB_CONTAINERS_A, 1, listed_filter);
	filtered = expect_ok(&p);
	/* The default container over another base. */
	base(&p);
	put_a(&p, PR_LDAPAB_BASE_DN_A, "dc=other,dc=org");
	other_base = expect_ok(&p);

	assert_string_not_equal(def->containers[0].id, "default");
	assert_string_equal(def->containers[0].id, nobase->containers[0].id);
	assert_string_equal(def->containers[0].id, withbase->containers[0].id);
	assert_null(nobase->containers[0].base_dn);     /* still "the directory's base" */
	assert_string_not_equal(def->containers[0].id, filtered->containers[0].id);
	assert_string_not_equal(def->containers[0].id, other_base->containers[0].id);
	/* IDs are ASCII "c" + 16 hex digits (EK-4, in entry IDs). */
	snprintf(id, sizeof(id), "%s", def->containers[0].id);
	assert_int_equal(strspn(id + 1, "0123456789abcdef"), 16);
	abp_config_free(def);
	abp_config_free(nobase);
	abp_config_free(withbase);
	abp_config_free(filtered);
	abp_config_free(other_base);
}

/* CF-5: secrets and file paths are taken byte for byte;
 * only names, DNs, URIs and filters lose surrounding blanks. */
static void test_config_password_and_paths_keep_their_blanks_CF5(void **state)
{
	char dir[] = "/tmp/ldapab-test-dir-XXXXXX";
	char path[64];
	struct props p;
	struct abp_config *cfg;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	/* A CA file whose name ends in a blank: trimming would name another. */
	snprintf(path, sizeof(path), "%s/ca.pem ", dir);
	assert_non_null(f = fopen(path, "w"));
	fclose(f);

	base(&p);
	put_a(&p, PR_LDAPAB_BIND_DN_A, "  cn=reader,dc=example,dc=com  ");
	put_w(&p, PR_LDAPAB_BIND_PASSWORD_W, "  pass word  ");
	put_a(&p, PR_LDAPAB_TLS_CACERT_FILE_A, path);
	cfg = expect_ok(&p);
	assert_string_equal(cfg->lb.bind_dn, "cn=reader,dc=example,dc=com");
	assert_string_equal(cfg->lb.password, "  pass word  ");
	assert_string_equal(cfg->lb.tls_ca_file, path);
	abp_config_free(cfg);

	base(&p);
	put_a(&p, PR_LDAPAB_BIND_DN_A, "cn=reader,dc=example,dc=com");
	put_a(&p, PR_LDAPAB_PASSWORD_FILE_A, " /etc/ldapab/reader.pw");
	cfg = expect_ok(&p);
	assert_string_equal(cfg->lb.password_file, " /etc/ldapab/reader.pw");
	abp_config_free(cfg);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
}

/* abp_secure_zero() clears every byte it is given. */
static void test_config_secure_zero_clears_the_whole_buffer_CF5(void **state)
{
	char buf[32];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	abp_secure_zero(buf + 1, 30);
	assert_int_equal(buf[0], 'x');
	for (size_t i = 1; i < 31; i++)
		assert_int_equal(buf[i], 0);
	assert_int_equal(buf[31], 'x');
	abp_secure_zero(NULL, 0);
}

/* README: "PR_X=" in PR_LDAPAB_ATTR_MAP unmaps the property; up to 40
 * overrides, each checked at Logon (LC-15). */
static void test_config_attr_map_unmap_and_forty_overrides_accepted_LC15(void **state)
{
	static LPSTR map[] = { (LPSTR)"PR_PAGER_TELEPHONE_NUMBER=", (LPSTR)" PR_TITLE_W = businessTitle ",
	                       (LPSTR)"pr_comment=description;lang-en" };
	static LPSTR many[40];
	static char many_buf[40][32];
	struct props p;
	struct abp_config *cfg;

	(void)state;
	base(&p);
	put_mv_a(&p, PR_LDAPAB_ATTR_MAP_A, 3, map);
	cfg = expect_ok(&p);
	assert_int_equal(cfg->n_attr_map, 3);
	assert_string_equal(cfg->attr_map[0], "PR_PAGER_TELEPHONE_NUMBER=");
	abp_config_free(cfg);

	for (int i = 0; i < 40; i++) {
		snprintf(many_buf[i], sizeof(many_buf[i]), "PR_TITLE=attr%d", i);
		many[i] = many_buf[i];
	}
	base(&p);
	put_mv_a(&p, PR_LDAPAB_ATTR_MAP_A, 40, many);
	cfg = expect_ok(&p);
	assert_int_equal(cfg->n_attr_map, 40);
	abp_config_free(cfg);
}

/* An override can never publish secrets (hashes, keys) to
 * every address book user; the message names the setting and the value. */
static void test_config_attr_map_refuses_secret_attributes_LC15(void **state)
{
	static const char *const secrets[] = {
		"PR_COMMENT=userPassword", "PR_COMMENT=USERPASSWORD;binary", "PR_TITLE=unicodePwd",
		"PR_TITLE=sambaNTPassword", "PR_TITLE=sambaLMPassword", "PR_TITLE=krbPrincipalKey",
		"PR_TITLE=supplementalCredentials", "PR_TITLE=dBCSPwd", "PR_TITLE=ntPwdHistory",
		"PR_TITLE=lmPwdHistory", "PR_TITLE=authPassword", "PR_TITLE=userPKCS12;binary",
		"PR_TITLE=2.5.4.35", "PR_TITLE=ms-Mcs-AdmPwd", "PR_TITLE=msLAPS-Password",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(secrets) / sizeof(secrets[0]); i++) {
		LPSTR v[1] = { (LPSTR)secrets[i] };
		struct props p;
		char needle[128];
		struct abp_config *cfg = NULL;
		char msg[ABP_MSG_MAX];

		print_message("  secret: %s\n", secrets[i]);
		base(&p);
		put_mv_a(&p, PR_LDAPAB_ATTR_MAP_A, 1, v);
		snprintf(needle, sizeof(needle), "PR_LDAPAB_ATTR_MAP (0x6634101F) value 1 (\"%s\")",
		         secrets[i]);
		expect_unconfigured(&p, needle);
		assert_int_equal(abp_config_from_props(p.n, p.v, &cfg, msg, sizeof(msg)),
		                 MAPI_E_UNCONFIGURED);
		assert_non_null(strstr(msg, "holds passwords or keys"));
	}
}

static void test_config_password_file_is_accepted_instead_of_password_CF5(void **state)
{
	struct props p;
	struct abp_config *cfg;

	(void)state;
	base(&p);
	put_l(&p, PR_LDAPAB_BIND_METHOD, LDAPAB_BIND_SIMPLE);
	put_a(&p, PR_LDAPAB_BIND_DN_A, "cn=reader,dc=example,dc=com");
	put_a(&p, PR_LDAPAB_PASSWORD_FILE_A, "/etc/ldapab/reader.pw");
	cfg = expect_ok(&p);
	assert_null(cfg->lb.password);
	assert_string_equal(cfg->lb.password_file, "/etc/ldapab/reader.pw");
	abp_config_free(cfg);
}

static void test_config_rejects_null_arguments(void **state)
{
	struct abp_config *cfg;
	char msg[8];

	(void)state;
	assert_int_equal(abp_config_from_props(0, NULL, NULL, msg, sizeof(msg)),
	                 MAPI_E_INVALID_PARAMETER);
	assert_int_equal(abp_config_from_props(0, NULL, &cfg, NULL, 0), MAPI_E_INVALID_PARAMETER);
	assert_int_equal(abp_config_from_props(1, NULL, &cfg, msg, sizeof(msg)),
	                 MAPI_E_INVALID_PARAMETER);
	abp_config_free(NULL);
}

/* CF-5 / README: SASL EXTERNAL with a readable client certificate and key
 * (and no DN or password) is a valid configuration. */
static void test_config_sasl_external_with_client_cert_is_accepted_CF5(void **state)
{
	struct props p;
	struct abp_config *cfg;

	(void)state;
	base(&p);
	put_l(&p, PR_LDAPAB_BIND_METHOD, LDAPAB_BIND_SASL_EXTERNAL);
	put_a(&p, PR_LDAPAB_TLS_CERT_FILE_A, "/proc/self/status");
	put_a(&p, PR_LDAPAB_TLS_KEY_FILE_A, "/proc/self/status");
	cfg = expect_ok(&p);
	assert_int_equal(cfg->lb.bind_method, LB_BIND_SASL_EXTERNAL);
	assert_string_equal(cfg->lb.tls_cert_file, "/proc/self/status");
	assert_null(cfg->lb.bind_dn);
	assert_null(cfg->lb.password);
	abp_config_free(cfg);
}

/* What abp_log_stderr wrote to stderr while fn ran (stderr redirected to a
 * temporary file meanwhile). */
static void stderr_of(void (*fn)(void), char *out, size_t cap)
{
	FILE *tmp = tmpfile();
	int saved;
	size_t n;

	assert_non_null(tmp);
	fflush(stderr);
	saved = dup(fileno(stderr));
	assert_true(saved >= 0);
	assert_true(dup2(fileno(tmp), fileno(stderr)) >= 0);
	fn();
	fflush(stderr);
	assert_true(dup2(saved, fileno(stderr)) >= 0);
	close(saved);
	rewind(tmp);
	n = fread(out, 1, cap - 1, tmp);
	out[n] = '\0';
	fclose(tmp);
}

static void log_each_level(void)
{
	abp_log_stderr(NULL, LB_LOG_DEBUG, "dbg line");
	abp_log_stderr(NULL, LB_LOG_INFO, "info line");
	abp_log_stderr(NULL, LB_LOG_WARNING, "TLS to ldaps://a: checking is \"allow\"");
	abp_log_stderr(NULL, LB_LOG_ERROR, "two\nlines\r\x01here");
}

/* README: the default sink, and that every configuration starts
 * with it and routes ldapbridge's log there. */
static void test_config_log_sink_stderr_lines_and_debug_switch(void **state)
{
	char out[2048];
	struct props p;
	struct abp_config *cfg;

	(void)state;
	base(&p);
	cfg = expect_ok(&p);
	assert_ptr_equal(cfg->log, abp_log_stderr);
	assert_non_null(cfg->lb.log);
	assert_ptr_equal(cfg->lb.log_ctx, cfg);
	abp_config_free(cfg);

	unsetenv("LDAPAB_DEBUG");
	stderr_of(log_each_level, out, sizeof(out));
	assert_string_equal(out, "ldapab: warning: TLS to ldaps://a: checking is \"allow\"\n"
	                         "ldapab: error: two lines  here\n");
	assert_int_equal(setenv("LDAPAB_DEBUG", "1", 1), 0);
	stderr_of(log_each_level, out, sizeof(out));
	unsetenv("LDAPAB_DEBUG");
	assert_string_equal(out, "ldapab: debug: dbg line\n"
	                         "ldapab: info: info line\n"
	                         "ldapab: warning: TLS to ldaps://a: checking is \"allow\"\n"
	                         "ldapab: error: two lines  here\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_config_every_bad_setting_is_unconfigured_naming_it_LC15, teardown),
		cmocka_unit_test_teardown(test_config_minimal_gets_documented_defaults_CF6, teardown),
		cmocka_unit_test_teardown(test_config_unicode_and_8bit_settings_reach_ldapbridge_CF5, teardown),
		cmocka_unit_test_teardown(test_config_container_ids_survive_rename_and_reorder_EK4, teardown),
		cmocka_unit_test_teardown(test_config_password_file_is_accepted_instead_of_password_CF5, teardown),
		cmocka_unit_test_teardown(test_config_container_id_one_rule_incl_default_EK4, teardown),
		cmocka_unit_test_teardown(test_config_password_and_paths_keep_their_blanks_CF5, teardown),
		cmocka_unit_test_teardown(test_config_secure_zero_clears_the_whole_buffer_CF5, teardown),
		cmocka_unit_test_teardown(test_config_attr_map_unmap_and_forty_overrides_accepted_LC15, teardown),
		cmocka_unit_test_teardown(test_config_attr_map_refuses_secret_attributes_LC15, teardown),
		cmocka_unit_test_teardown(test_config_sasl_external_with_client_cert_is_accepted_CF5, teardown),
		cmocka_unit_test(test_config_log_sink_stderr_lines_and_debug_switch),
		cmocka_unit_test(test_config_rejects_null_arguments),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
