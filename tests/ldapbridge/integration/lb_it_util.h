/*
 * lb_it_util.h - what the ldapbridge integration tests share: a connection
 * that must open and a search that must succeed, each failing the test with
 * ldapbridge's error name and message otherwise.  Include after <cmocka.h>
 * and <ldapbridge/lb.h>.
 */
#ifndef LDAPAB_LB_IT_UTIL_H
#define LDAPAB_LB_IT_UTIL_H

static inline lb_conn *lbt_open_ok(const struct lb_config *c)
{
	struct lb_error err;
	lb_conn *conn = NULL;
	lb_err rc = lb_conn_open(c, &conn, &err);

	if (rc != LB_OK)
		fail_msg("lb_conn_open: %s: %s", lb_err_name(rc), err.message);
	return conn;
}

/* A search of base with scope, filter (NULL: every entry), attrs (NULL:
 * all) and mode that must succeed; the caller frees the result. */
static inline lb_result *lbt_search_ok(lb_conn *conn, const char *base, enum lb_scope scope,
                                       const char *filter, const char *const *attrs,
                                       enum lb_search_mode mode)
{
	struct lb_search_params p;
	struct lb_error err;
	lb_result *res = NULL;
	lb_err rc;

	lb_search_params_init(&p);
	p.base = base;
	p.scope = scope;
	p.filter = filter;
	p.attrs = attrs;
	p.mode = mode;
	rc = lb_search(conn, &p, &res, &err);
	if (rc != LB_OK)
		fail_msg("lb_search(%s, %s): %s: %s", base, filter ? filter : "(objectClass=*)",
		         lb_err_name(rc), err.message);
	return res;
}

#endif
