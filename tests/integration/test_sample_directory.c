/* integration_sample_directory: the fixture slapd serves the sample
 * directory the way the rest of the test suite assumes (HACKING.md, "The
 * slapd fixture"; README.md, "Sample directory").  Talks to slapd through
 * libldap directly, so a failure here is about the rig, not about ldapab. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "ldapab_test/skip.h"

#include <ldap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "slapd_env.h"

#ifndef SECOND_RUNDIR
#error "SECOND_RUNDIR must be defined by the build"
#endif

static const char *env(const char *key)
{
    const char *v = slapd_env(key);
    if (!v || !*v)
        fail_msg("slapd.env has no %s", key);
    return v;
}

/* A connected LDAPv3 handle to URI, bound as DN/PW (anonymous if DN NULL). */
static LDAP *connect_to(const char *uri, const char *dn, const char *pw)
{
    LDAP *ld = NULL;
    int version = LDAP_VERSION3;
    struct berval cred = {0, NULL};

    assert_int_equal(ldap_initialize(&ld, uri), LDAP_SUCCESS);
    assert_int_equal(ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &version), LDAP_OPT_SUCCESS);
    assert_int_equal(ldap_set_option(ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF), LDAP_OPT_SUCCESS);
    if (pw) {
        cred.bv_val = (char *)pw;
        cred.bv_len = strlen(pw);
    }
    int rc = ldap_sasl_bind_s(ld, dn, LDAP_SASL_SIMPLE, &cred, NULL, NULL, NULL);
    if (rc != LDAP_SUCCESS)
        fail_msg("bind to %s as %s: %s", uri, dn ? dn : "(anonymous)", ldap_err2string(rc));
    return ld;
}

static LDAP *anon(void)
{
    return connect_to(env("LDAPAB_TEST_URI"), NULL, NULL);
}

static LDAP *reader(void)
{
    return connect_to(env("LDAPAB_TEST_URI"), env("LDAPAB_TEST_BIND_DN"), env("LDAPAB_TEST_BIND_PW"));
}

/* Number of entries FILTER matches under BASE (subtree); *rc_out gets the
 * search result code. */
static int count_entries(LDAP *ld, const char *base, const char *filter, int *rc_out)
{
    LDAPMessage *res = NULL;
    char *attrs[] = {(char *)LDAP_NO_ATTRS, NULL};
    int rc = ldap_search_ext_s(ld, base, LDAP_SCOPE_SUBTREE, filter, attrs, 0, NULL, NULL, NULL,
                               0, &res);
    int n = res ? ldap_count_entries(ld, res) : -1;
    if (rc_out)
        *rc_out = rc;
    else if (rc != LDAP_SUCCESS)
        fail_msg("search %s under %s: %s", filter, base, ldap_err2string(rc));
    ldap_msgfree(res);
    return n;
}

/* The single entry FILTER matches under the sample base; caller frees. */
static LDAPMessage *find_one(LDAP *ld, const char *filter)
{
    LDAPMessage *res = NULL;
    int rc = ldap_search_ext_s(ld, env("LDAPAB_TEST_BASE"), LDAP_SCOPE_SUBTREE, filter, NULL, 0,
                               NULL, NULL, NULL, 0, &res);
    if (rc != LDAP_SUCCESS)
        fail_msg("search %s: %s", filter, ldap_err2string(rc));
    if (ldap_count_entries(ld, res) != 1)
        fail_msg("search %s: %d entries, expected exactly 1", filter, ldap_count_entries(ld, res));
    return res;
}

/* Whether attribute ATTR of the first entry of RES has VALUE (bytes). */
static int has_value(LDAP *ld, LDAPMessage *res, const char *attr, const char *value)
{
    struct berval **vals = ldap_get_values_len(ld, ldap_first_entry(ld, res), attr);
    int found = 0;
    for (size_t i = 0; vals && vals[i]; i++)
        if (vals[i]->bv_len == strlen(value) && memcmp(vals[i]->bv_val, value, vals[i]->bv_len) == 0)
            found = 1;
    ldap_value_free_len(vals);
    return found;
}

static int value_count(LDAP *ld, LDAPMessage *res, const char *attr)
{
    struct berval **vals = ldap_get_values_len(ld, ldap_first_entry(ld, res), attr);
    int n = ldap_count_values_len(vals);
    ldap_value_free_len(vals);
    return n;
}

/* "(ATTR=<VALUE escaped>)", escaped by libldap; caller frees. */
static char *eq_filter(const char *attr, const char *value)
{
    struct berval in = {strlen(value), (char *)value}, out = {0, NULL};
    char *filter = NULL;
    assert_int_equal(ldap_bv2escaped_filter_value(&in, &out), 0);
    assert_true(asprintf(&filter, "(%s=%s)", attr, out.bv_val) > 0);
    ldap_memfree(out.bv_val);
    return filter;
}

static void anonymous_search_sees_people_and_groups(void **state)
{
    LDAP *ld = anon();
    const char *base = env("LDAPAB_TEST_BASE");
    assert_true(count_entries(ld, base, "(objectClass=inetOrgPerson)", NULL) >= 300);
    assert_true(count_entries(ld, base, "(objectClass=groupOfNames)", NULL) >= 10);
    /* The service account is not for anonymous eyes. */
    assert_int_equal(count_entries(ld, base, "(cn=reader)", NULL), 0);
    ldap_unbind_ext_s(ld, NULL, NULL);
}

static void reader_account_reads_but_never_sees_passwords(void **state)
{
    LDAP *ld = reader();
    const char *base = env("LDAPAB_TEST_BASE");
    assert_true(count_entries(ld, base, "(objectClass=inetOrgPerson)", NULL) >= 300);
    assert_true(count_entries(ld, base, "(objectClass=groupOfNames)", NULL) >= 10);
    LDAPMessage *res = find_one(ld, "(cn=reader)");
    assert_int_equal(value_count(ld, res, "userPassword"), 0);
    ldap_msgfree(res);
    /* Read-only: a modify is refused. */
    char *vals[] = {(char *)"changed", NULL};
    LDAPMod mod = {.mod_op = LDAP_MOD_REPLACE, .mod_type = (char *)"title", .mod_values = vals};
    LDAPMod *mods[] = {&mod, NULL};
    int rc = ldap_modify_ext_s(ld, "uid=csmith,ou=Engineering,ou=People,dc=example,dc=com", mods,
                               NULL, NULL);
    assert_int_equal(rc, LDAP_INSUFFICIENT_ACCESS);
    ldap_unbind_ext_s(ld, NULL, NULL);
}

static void wrong_password_is_refused(void **state)
{
    LDAP *ld = NULL;
    struct berval cred = {5, (char *)"wrong"};
    assert_int_equal(ldap_initialize(&ld, env("LDAPAB_TEST_URI")), LDAP_SUCCESS);
    int version = LDAP_VERSION3;
    ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &version);
    assert_int_equal(ldap_sasl_bind_s(ld, env("LDAPAB_TEST_BIND_DN"), LDAP_SASL_SIMPLE, &cred,
                                      NULL, NULL, NULL),
                     LDAP_INVALID_CREDENTIALS);
    ldap_unbind_ext_s(ld, NULL, NULL);
}

static void cjk_and_accented_names_are_found(void **state)
{
    LDAP *ld = anon();
    LDAPMessage *res = find_one(ld, "(cn=王芳)");
    assert_true(has_value(ld, res, "displayName", "王芳"));
    assert_true(has_value(ld, res, "cn", "Fang Wang"));
    assert_true(has_value(ld, res, "mail", "fang.wang@example.com"));
    ldap_msgfree(res);
    res = find_one(ld, "(&(sn=佐藤)(givenName=健))");
    assert_true(has_value(ld, res, "cn", "佐藤健"));
    ldap_msgfree(res);
    res = find_one(ld, "(&(givenName=Søren)(sn=Ødegård))");
    assert_true(has_value(ld, res, "givenName", "Søren"));
    ldap_msgfree(res);
    res = find_one(ld, "(cn=Jérôme Lefèvre)");
    assert_true(has_value(ld, res, "l", "Paris"));
    ldap_msgfree(res);
    /* Shared surnames and first-name prefixes. */
    assert_true(count_entries(ld, env("LDAPAB_TEST_BASE"), "(sn=Smith)", NULL) >= 3);
    assert_true(count_entries(ld, env("LDAPAB_TEST_BASE"), "(sn=García)", NULL) >= 4);
    assert_true(count_entries(ld, env("LDAPAB_TEST_BASE"), "(givenName=Chris*)", NULL) >= 4);
    ldap_unbind_ext_s(ld, NULL, NULL);
}

static void person_with_several_mail_values(void **state)
{
    LDAP *ld = anon();
    LDAPMessage *res = find_one(ld, "(mail=mjohnson@example.com)");
    assert_int_equal(value_count(ld, res, "mail"), 3);
    assert_true(has_value(ld, res, "mail", "mary.johnson@example.com"));
    assert_true(has_value(ld, res, "cn", "Mary Johnson"));
    ldap_msgfree(res);
    ldap_unbind_ext_s(ld, NULL, NULL);
}

static void filter_metacharacters_need_escaping(void **state)
{
    LDAP *ld = anon();
    char *f = eq_filter("cn", "Jo (Consultant)");
    assert_string_equal(f, "(cn=Jo \\28Consultant\\29)");
    LDAPMessage *res = find_one(ld, f);
    assert_true(has_value(ld, res, "uid", "jbaxter"));
    ldap_msgfree(res);
    free(f);

    f = eq_filter("title", "R&D \\ Tools*");
    assert_string_equal(f, "(title=R&D \\5C Tools\\2A)");
    res = find_one(ld, f);
    assert_true(has_value(ld, res, "title", "R&D \\ Tools*"));
    assert_true(has_value(ld, res, "sn", "Wagner"));
    ldap_msgfree(res);
    free(f);

    /* Unescaped, the same text is not even a valid filter. */
    int rc = 0;
    (void)count_entries(ld, env("LDAPAB_TEST_BASE"), "(cn=Jo (Consultant))", &rc);
    assert_int_equal(rc, LDAP_FILTER_ERROR);
    ldap_unbind_ext_s(ld, NULL, NULL);
}

static void groups_nest_and_one_is_large(void **state)
{
    LDAP *ld = anon();
    LDAPMessage *res = find_one(ld, "(&(objectClass=groupOfNames)(cn=All EMEA))");
    assert_true(has_value(ld, res, "member", "cn=London Office,ou=Groups,dc=example,dc=com"));
    assert_true(has_value(ld, res, "mail", "all-emea@example.com"));
    ldap_msgfree(res);
    res = find_one(ld, "(&(objectClass=groupOfNames)(cn=Everyone))");
    assert_true(value_count(ld, res, "member") > 100);
    ldap_msgfree(res);
    /* A DN that needs escaping: cn=Sales\, EMEA. */
    res = find_one(ld, "(cn=Sales, EMEA)");
    char *dn = ldap_get_dn(ld, ldap_first_entry(ld, res));
    LDAPDN parsed = NULL;
    assert_int_equal(ldap_str2dn(dn, &parsed, LDAP_DN_FORMAT_LDAPV3), LDAP_SUCCESS);
    LDAPAVA *ava = parsed[0][0];
    assert_int_equal(ava->la_value.bv_len, strlen("Sales, EMEA"));
    assert_memory_equal(ava->la_value.bv_val, "Sales, EMEA", ava->la_value.bv_len);
    assert_non_null(strstr(dn, ",ou=Groups,dc=example,dc=com"));
    ldap_dnfree(parsed);
    ldap_memfree(dn);
    ldap_msgfree(res);
    ldap_unbind_ext_s(ld, NULL, NULL);
}

static void managers_form_a_hierarchy(void **state)
{
    LDAP *ld = anon();
    const char *base = env("LDAPAB_TEST_BASE");
    /* Exactly one person (the CEO) has no manager. */
    assert_int_equal(count_entries(ld, base, "(&(objectClass=inetOrgPerson)(!(manager=*)))", NULL), 1);
    /* Everybody's manager is a person in the directory. */
    LDAPMessage *res = find_one(ld, "(cn=Chris Smith)");
    struct berval **mgr = ldap_get_values_len(ld, ldap_first_entry(ld, res), "manager");
    assert_non_null(mgr);
    LDAPMessage *mres = NULL;
    assert_int_equal(ldap_search_ext_s(ld, mgr[0]->bv_val, LDAP_SCOPE_BASE, "(objectClass=inetOrgPerson)",
                                       NULL, 0, NULL, NULL, NULL, 0, &mres),
                     LDAP_SUCCESS);
    assert_int_equal(ldap_count_entries(ld, mres), 1);
    ldap_msgfree(mres);
    ldap_value_free_len(mgr);
    ldap_msgfree(res);
    ldap_unbind_ext_s(ld, NULL, NULL);
}

static void plain_search_stops_at_server_size_limit(void **state)
{
    LDAP *ld = anon();
    int rc = 0;
    int n = count_entries(ld, env("LDAPAB_TEST_BULK_BASE"), "(objectClass=inetOrgPerson)", &rc);
    assert_int_equal(rc, LDAP_SIZELIMIT_EXCEEDED);
    assert_int_equal(n, 500);
    ldap_unbind_ext_s(ld, NULL, NULL);
}

static void paged_search_reads_whole_bulk_base(void **state)
{
    LDAP *ld = anon();
    const int bulk = atoi(env("LDAPAB_TEST_BULK_COUNT"));
    struct berval *cookie = NULL;
    char *attrs[] = {(char *)"uid", NULL};
    int total = 0, pages = 0;
    assert_true(bulk > 500);
    do {
        LDAPControl *page = NULL, **resp = NULL;
        LDAPMessage *res = NULL;
        int err = 0;
        assert_int_equal(ldap_create_page_control(ld, 250, cookie, 1, &page), LDAP_SUCCESS);
        LDAPControl *ctrls[] = {page, NULL};
        int rc = ldap_search_ext_s(ld, env("LDAPAB_TEST_BULK_BASE"), LDAP_SCOPE_SUBTREE,
                                   "(objectClass=inetOrgPerson)", attrs, 0, ctrls, NULL, NULL, 0, &res);
        if (rc != LDAP_SUCCESS)
            fail_msg("paged search, page %d: %s", pages + 1, ldap_err2string(rc));
        total += ldap_count_entries(ld, res);
        pages++;
        assert_int_equal(ldap_parse_result(ld, res, &err, NULL, NULL, NULL, &resp, 0), LDAP_SUCCESS);
        assert_int_equal(err, LDAP_SUCCESS);
        LDAPControl *pr = ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, resp, NULL);
        assert_non_null(pr);
        ber_int_t estimate = 0;
        if (cookie)
            ber_bvfree(cookie);
        cookie = ber_memcalloc(1, sizeof(*cookie));
        assert_int_equal(ldap_parse_pageresponse_control(ld, pr, &estimate, cookie), LDAP_SUCCESS);
        if (cookie->bv_len == 0) {
            ber_bvfree(cookie);
            cookie = NULL;
        }
        ldap_controls_free(resp);
        ldap_control_free(page);
        ldap_msgfree(res);
        assert_true(pages <= bulk / 250 + 2);
    } while (cookie);
    assert_int_equal(total, bulk);
    assert_true(pages > 2);
    ldap_unbind_ext_s(ld, NULL, NULL);
}

static void sorted_vlv_window_on_bulk_base(void **state)
{
    LDAP *ld = anon();
    const int bulk = atoi(env("LDAPAB_TEST_BULK_COUNT"));
    const int target = bulk / 2;
    LDAPSortKey **keys = NULL;
    LDAPControl *sort = NULL, *vlv = NULL, **resp = NULL;
    LDAPMessage *res = NULL;
    char *attrs[] = {(char *)"displayName", NULL};
    int err = 0;
    assert_true(bulk >= 10);

    /* Without an ordering rule sssvlv refuses the key; name one. */
    assert_int_equal(ldap_create_sort_keylist(&keys, (char *)"displayName:2.5.13.3"), LDAP_SUCCESS);
    assert_int_equal(ldap_create_sort_control(ld, keys, 1, &sort), LDAP_SUCCESS);
    LDAPVLVInfo info = {.ldvlv_version = 1, .ldvlv_before_count = 2, .ldvlv_after_count = 2,
                        .ldvlv_offset = target, .ldvlv_count = 0};
    assert_int_equal(ldap_create_vlv_control(ld, &info, &vlv), LDAP_SUCCESS);
    LDAPControl *ctrls[] = {sort, vlv, NULL};
    int rc = ldap_search_ext_s(ld, env("LDAPAB_TEST_BULK_BASE"), LDAP_SCOPE_SUBTREE,
                               "(objectClass=inetOrgPerson)", attrs, 0, ctrls, NULL, NULL, 0, &res);
    if (rc != LDAP_SUCCESS)
        fail_msg("sorted VLV search: %s", ldap_err2string(rc));
    assert_int_equal(ldap_count_entries(ld, res), 5);

    /* gen-bulk.py shuffles the numbers, so order proves a real sort. */
    int expect = target - 2;
    for (LDAPMessage *e = ldap_first_entry(ld, res); e; e = ldap_next_entry(ld, e), expect++) {
        char want[64];
        snprintf(want, sizeof(want), "Bulk Person %06d", expect);
        struct berval **v = ldap_get_values_len(ld, e, "displayName");
        assert_non_null(v);
        assert_int_equal(v[0]->bv_len, strlen(want));
        assert_memory_equal(v[0]->bv_val, want, strlen(want));
        ldap_value_free_len(v);
    }

    assert_int_equal(ldap_parse_result(ld, res, &err, NULL, NULL, NULL, &resp, 0), LDAP_SUCCESS);
    assert_int_equal(err, LDAP_SUCCESS);
    LDAPControl *vr = ldap_control_find(LDAP_CONTROL_VLVRESPONSE, resp, NULL);
    assert_non_null(vr);
    ber_int_t pos = 0, count = 0;
    struct berval *context = NULL;
    int vlv_err = -1;
    assert_int_equal(ldap_parse_vlvresponse_control(ld, vr, &pos, &count, &context, &vlv_err),
                     LDAP_SUCCESS);
    assert_int_equal(vlv_err, LDAP_SUCCESS);
    assert_int_equal(pos, target);
    assert_int_equal(count, bulk);
    LDAPControl *sr = ldap_control_find(LDAP_CONTROL_SORTRESPONSE, resp, NULL);
    assert_non_null(sr);
    ber_int_t sort_rc = -1;
    assert_int_equal(ldap_parse_sortresponse_control(ld, sr, &sort_rc, NULL), LDAP_SUCCESS);
    assert_int_equal(sort_rc, LDAP_SUCCESS);

    ber_bvfree(context);
    ldap_controls_free(resp);
    ldap_msgfree(res);
    ldap_control_free(vlv);
    ldap_control_free(sort);
    ldap_free_sort_keylist(keys);
    ldap_unbind_ext_s(ld, NULL, NULL);
}

/* StartTLS (or LDAPS) with CAFILE as the only trust anchor; returns the
 * libldap result code. */
static int tls_connect(const char *uri, const char *cafile, int starttls)
{
    LDAP *ld = NULL;
    int version = LDAP_VERSION3, demand = LDAP_OPT_X_TLS_DEMAND, newctx = 0, rc;
    struct berval cred = {0, NULL};
    assert_int_equal(ldap_initialize(&ld, uri), LDAP_SUCCESS);
    ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &version);
    assert_int_equal(ldap_set_option(ld, LDAP_OPT_X_TLS_CACERTFILE, cafile), LDAP_OPT_SUCCESS);
    assert_int_equal(ldap_set_option(ld, LDAP_OPT_X_TLS_REQUIRE_CERT, &demand), LDAP_OPT_SUCCESS);
    assert_int_equal(ldap_set_option(ld, LDAP_OPT_X_TLS_NEWCTX, &newctx), LDAP_OPT_SUCCESS);
    rc = starttls ? ldap_start_tls_s(ld, NULL, NULL) : LDAP_SUCCESS;
    if (rc == LDAP_SUCCESS)
        rc = ldap_sasl_bind_s(ld, NULL, LDAP_SASL_SIMPLE, &cred, NULL, NULL, NULL);
    ldap_unbind_ext_s(ld, NULL, NULL);
    return rc;
}

static void tls_trusts_only_the_test_ca(void **state)
{
    assert_int_equal(tls_connect(env("LDAPAB_TEST_URI"), env("LDAPAB_TEST_CA"), 1), LDAP_SUCCESS);
    assert_int_equal(tls_connect(env("LDAPAB_TEST_LDAPS_URI"), env("LDAPAB_TEST_CA"), 0), LDAP_SUCCESS);
    assert_int_not_equal(tls_connect(env("LDAPAB_TEST_URI"), env("LDAPAB_TEST_OTHER_CA"), 1), LDAP_SUCCESS);
    assert_int_not_equal(tls_connect(env("LDAPAB_TEST_LDAPS_URI"), env("LDAPAB_TEST_OTHER_CA"), 0),
                         LDAP_SUCCESS);
}

static void ldapi_external_bind_as_root_is_admin(void **state)
{
    LDAP *ld = NULL;
    struct berval *authzid = NULL;
    int version = LDAP_VERSION3;
    if (geteuid() != 0)
        TEST_SKIP();    /* SASL EXTERNAL maps only root's uid to the rootdn */
    assert_int_equal(ldap_initialize(&ld, env("LDAPAB_TEST_LDAPI_URI")), LDAP_SUCCESS);
    ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &version);
    /* An empty (present, zero-length) initial response: no authzid asked for. */
    struct berval empty = {0, (char *)""};
    assert_int_equal(ldap_sasl_bind_s(ld, NULL, "EXTERNAL", &empty, NULL, NULL, NULL), LDAP_SUCCESS);
    assert_int_equal(ldap_whoami_s(ld, &authzid, NULL, NULL), LDAP_SUCCESS);
    assert_non_null(authzid);
    assert_int_equal(authzid->bv_len, strlen("dn:") + strlen(env("LDAPAB_TEST_ADMIN_DN")));
    assert_memory_equal(authzid->bv_val + 3, env("LDAPAB_TEST_ADMIN_DN"), authzid->bv_len - 3);
    ber_bvfree(authzid);
    ldap_unbind_ext_s(ld, NULL, NULL);
}

/* A second, independent instance (what failover tests do) next to the
 * fixture's, started and stopped through the C helper. */
static void second_instance_runs_beside_the_fixture(void **state)
{
    char *uri = NULL, *pid = NULL;
    assert_int_equal(slapd_instance_start(SECOND_RUNDIR, "--bulk 20 --no-tls"), 0);
    uri = slapd_env_file(SECOND_RUNDIR, "LDAPAB_TEST_URI");
    pid = slapd_env_file(SECOND_RUNDIR, "LDAPAB_TEST_PID");
    assert_non_null(uri);
    assert_non_null(pid);
    assert_string_not_equal(uri, env("LDAPAB_TEST_URI"));
    LDAP *ld = connect_to(uri, NULL, NULL);
    int rc = 0;
    assert_int_equal(count_entries(ld, "dc=bulk,dc=example", "(objectClass=inetOrgPerson)", &rc), 20);
    ldap_unbind_ext_s(ld, NULL, NULL);
    /* The fixture's server is unaffected. */
    ld = anon();
    assert_true(count_entries(ld, env("LDAPAB_TEST_BASE"), "(objectClass=inetOrgPerson)", NULL) >= 300);
    ldap_unbind_ext_s(ld, NULL, NULL);

    assert_int_equal(slapd_instance_stop(SECOND_RUNDIR), 0);
    /* Gone, or a zombie nobody has reaped yet: either way not serving. */
    char path[64], line[256];
    int running = 0;
    snprintf(path, sizeof(path), "/proc/%s/status", pid);
    FILE *f = fopen(path, "r");
    while (f && fgets(line, sizeof(line), f))
        if (strncmp(line, "State:", 6) == 0 && !strchr(line, 'Z'))
            running = 1;
    if (f)
        fclose(f);
    assert_false(running);
    free(uri);
    free(pid);
}

/* argv[1]: cmocka test-name filter; argv[2]: names to leave out. */
int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(anonymous_search_sees_people_and_groups),
        cmocka_unit_test(reader_account_reads_but_never_sees_passwords),
        cmocka_unit_test(wrong_password_is_refused),
        cmocka_unit_test(cjk_and_accented_names_are_found),
        cmocka_unit_test(person_with_several_mail_values),
        cmocka_unit_test(filter_metacharacters_need_escaping),
        cmocka_unit_test(groups_nest_and_one_is_large),
        cmocka_unit_test(managers_form_a_hierarchy),
        cmocka_unit_test(plain_search_stops_at_server_size_limit),
        cmocka_unit_test(paged_search_reads_whole_bulk_base),
        cmocka_unit_test(sorted_vlv_window_on_bulk_base),
        cmocka_unit_test(tls_trusts_only_the_test_ca),
        cmocka_unit_test(ldapi_external_bind_as_root_is_admin),
        cmocka_unit_test(second_instance_runs_beside_the_fixture),
    };
    if (argc > 1)
        cmocka_set_test_filter(argv[1]);
    if (argc > 2)
        cmocka_set_skip_filter(argv[2]);
    return test_skip_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
