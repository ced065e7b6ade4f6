/*
 * wl_search.c - lb_search() and lb_search_batch() over wldap32.
 *
 * Paging: RFC 2696 through ldap_create_page_control()/ldap_parse_page_control().
 * Sorting: done here, in memory, after the last page.  Asking the server
 * (ldap_create_sort_control) gains nothing for a whole result that is read
 * anyway, OpenLDAP's sssvlv drops the paging control of a sorted search,
 * and Wine's ldap_parse_sort_control() reports failure on a successful
 * answer; sorting here is the same on Windows and Wine.  The order is
 * ASCII case-insensitive (caseIgnoreOrderingMatch for ASCII).
 * AD ranged attributes ("member;range=0-1499") are followed with base
 * searches for the next range while the server advances it, up to
 * 1,000,000 values, and then carry the plain name (lb.h); a range that
 * stops early keeps the values so far and marks the result
 * LB_PARTIAL_ADMINLIMIT.
 * Not here (the libldap backend has it): a batch in one round trip (the
 * searches of a batch run in turn).
 */
#include <stdlib.h>
#include <string.h>

#include "wl_internal.h"

void lb_search_params_init(struct lb_search_params *p)
{
	if (p == NULL)
		return;
	memset(p, 0, sizeof(*p));
	p->scope = LB_SCOPE_SUB;
	p->size_limit = -1;
	p->time_limit_s = -1;
	p->mode = LB_MODE_AUTO;
	p->follow_ranges = true;
}

static const char *base_of(const lb_conn *conn, const char *base)
{
	if (base != NULL)
		return base;
	if (conn->base != NULL)
		return conn->base;
	if (conn->dse != NULL && conn->dse->default_naming_context != NULL)
		return conn->dse->default_naming_context;
	if (conn->dse != NULL && conn->dse->n_naming_contexts > 0)
		return conn->dse->naming_contexts[0];
	return "";
}

static ULONG scope_of(enum lb_scope s)
{
	return s == LB_SCOPE_BASE ? LDAP_SCOPE_BASE : s == LB_SCOPE_ONE ? LDAP_SCOPE_ONELEVEL
	       : LDAP_SCOPE_SUBTREE;
}

/* Result codes that end a search with the entries so far (lb.h: a limit
 * is never a bare error). */
static enum lb_partial partial_of(ULONG rc)
{
	switch (rc) {
	case LDAP_SIZELIMIT_EXCEEDED: return LB_PARTIAL_SIZELIMIT;
	case LDAP_TIMELIMIT_EXCEEDED: return LB_PARTIAL_TIMELIMIT;
	case LDAP_ADMIN_LIMIT_EXCEEDED: return LB_PARTIAL_ADMINLIMIT;
	default: return LB_PARTIAL_NONE;
	}
}

/* One pass of the search on the current link (no reconnect). */
static ULONG search_once(lb_conn *conn, const struct lb_search_params *p, wchar_t *base,
			 wchar_t *filter, wchar_t **attrs, lb_result *res, lb_err *code,
			 char *diag, size_t diag_len)
{
	int size_limit = p->size_limit < 0 ? conn->cfg.size_limit : p->size_limit;
	int time_limit = p->time_limit_s < 0 ? conn->cfg.time_limit_s : p->time_limit_s;
	unsigned wait_ms = conn->cfg.op_timeout_ms > 0 ? (unsigned)conn->cfg.op_timeout_ms : 8000;
	bool paged = p->mode != LB_MODE_PLAIN && conn->cfg.page_size > 0 && conn->dse != NULL &&
		     (conn->dse->controls & LB_CTRL_PAGED);
	struct berval *cookie = NULL;
	ULONG rc = LDAP_SUCCESS;

	*code = LB_OK;
	diag[0] = '\0';
	{
		ULONG tl = (ULONG)time_limit;
		(void)ldap_set_optionW(conn->ld, LDAP_OPT_TIMELIMIT, &tl);
	}
	for (;;) {
		LDAPControlW *page = NULL, *sctrls[2] = { NULL, NULL }, **rctrls = NULL;
		LDAPMessage *msg = NULL, *e;
		ULONG result = LDAP_SUCCESS, msgid = 0;
		wchar_t *wdiag = NULL;

		if (paged) {
			rc = ldap_create_page_controlW(conn->ld, (ULONG)conn->cfg.page_size, cookie,
						       FALSE, &page);
			if (rc != LDAP_SUCCESS)
				break;
			sctrls[0] = page;
		}
		/* TimeLimit 0: the server's time limit is LDAP_OPT_TIMELIMIT, set
		 * above (time_limit_s, as the libldap backend sends it). */
		rc = ldap_search_extW(conn->ld, base, scope_of(p->scope), filter, attrs, 0,
				      paged ? sctrls : NULL, NULL, 0, (ULONG)size_limit, &msgid);
		if (page != NULL)
			(void)ldap_control_freeW(page);
		if (rc == LDAP_SUCCESS)
			rc = wl_wait(conn, conn->ld, msgid, wait_ms, true, &msg);
		if (rc != LDAP_SUCCESS)
			break;
		for (e = ldap_first_entry(conn->ld, msg); e != NULL && *code == LB_OK;
		     e = ldap_next_entry(conn->ld, e))
			*code = wl_result_add(conn->ld, res, e);
		rc = LDAP_DECODING_ERROR;
		if (ldap_parse_resultW(conn->ld, msg, &result, NULL, &wdiag, NULL, &rctrls,
				       FALSE) == LDAP_SUCCESS) {
			rc = result;
			if (wdiag != NULL) {
				(void)WideCharToMultiByte(CP_UTF8, 0, wdiag, -1, diag, (int)diag_len,
							  NULL, NULL);
				diag[diag_len - 1] = '\0';
				ldap_memfreeW(wdiag);
			}
		}
		(void)ldap_msgfree(msg);
		if (cookie != NULL) {
			(void)ber_bvfree(cookie);
			cookie = NULL;
		}
		if (paged && rc == LDAP_SUCCESS && rctrls != NULL) {
			ULONG total = 0;
			if (ldap_parse_page_controlW(conn->ld, rctrls, &total, &cookie) != LDAP_SUCCESS)
				cookie = NULL;
		}
		if (rctrls != NULL)
			(void)ldap_controls_freeW(rctrls);
		if (*code != LB_OK || rc != LDAP_SUCCESS || !paged || cookie == NULL ||
		    cookie->bv_len == 0)
			break;
	}
	if (cookie != NULL)
		(void)ber_bvfree(cookie);
	if (partial_of(rc) != LB_PARTIAL_NONE) {
		res->partial = partial_of(rc);
		rc = LDAP_SUCCESS;
	}
	return rc;
}

#define RANGE_MAX_VALUES 1000000

/* "name;range=lo-hi" (hi may be "*"): the plain name's length and the
 * bounds (hi UINT32_MAX for "*"), or false. */
static bool parse_range(const char *name, size_t *base_len, uint32_t *lo, uint32_t *hi)
{
	const char *r = strstr(name, ";range=");
	char *end;
	unsigned long a, b;

	if (r == NULL)
		return false;
	a = strtoul(r + 7, &end, 10);
	if (end == r + 7 || *end != '-')
		return false;
	if (strcmp(end + 1, "*") == 0) {
		b = UINT32_MAX;
	} else {
		char *stop;
		b = strtoul(end + 1, &stop, 10);
		if (stop == end + 1 || *stop != '\0' || b < a)
			return false;
	}
	*base_len = (size_t)(r - name);
	*lo = (uint32_t)a;
	*hi = (uint32_t)b;
	return true;
}

/* Append the values of src to dst (moved, src emptied). */
static lb_err take_values(struct lb_attr *dst, struct lb_attr *src)
{
	struct lb_value *grown;

	if (src->n_values == 0)
		return LB_OK;
	grown = realloc((void *)dst->values, (dst->n_values + src->n_values) * sizeof(*grown));
	if (grown == NULL)
		return LB_E_NOMEM;
	memcpy(grown + dst->n_values, src->values, src->n_values * sizeof(*grown));
	dst->values = grown;
	dst->n_values += src->n_values;
	free((void *)src->values);
	src->values = calloc(1, sizeof(struct lb_value));
	src->n_values = 0;
	return src->values != NULL ? LB_OK : LB_E_NOMEM;
}

/* Follow every ranged attribute of every entry in res to its end. */
static lb_err follow_ranges(lb_conn *conn, lb_result *res, struct lb_error *err)
{
	for (size_t i = 0; i < res->n; i++) {
		struct lb_entry *e = res->entries[i];

		for (size_t a = 0; a < e->n_attrs; a++) {
			struct lb_attr *at = &e->attrs[a];
			size_t blen;
			uint32_t lo, hi;
			bool complete = false;
			char *plain;

			if (!parse_range(at->name, &blen, &lo, &hi))
				continue;
			plain = malloc(blen + 1);
			if (plain == NULL)
				return wl_fail(err, LB_E_NOMEM, LB_STEP_RESULT, 0, wl_uri(conn), "out of memory");
			memcpy(plain, at->name, blen);
			plain[blen] = '\0';
			while (hi != UINT32_MAX && at->n_values < RANGE_MAX_VALUES) {
				char want[320];
				const char *attrs[2] = { want, NULL };
				struct lb_search_params q;
				lb_result *more = NULL;
				struct lb_attr *got = NULL;
				uint32_t nlo = 0, nhi = 0;
				size_t nlen = 0;
				lb_err code;

				snprintf(want, sizeof(want), "%s;range=%lu-*", plain, (unsigned long)hi + 1);
				lb_search_params_init(&q);
				q.base = e->dn;
				q.scope = LB_SCOPE_BASE;
				q.attrs = attrs;
				q.mode = LB_MODE_PLAIN;
				q.follow_ranges = false;
				code = wl_search_locked(conn, &q, &more, err);
				if (code != LB_OK) {
					free(plain);
					return code;
				}
				if (more->n == 1)
					for (size_t k = 0; k < more->entries[0]->n_attrs && got == NULL; k++)
						if (parse_range(more->entries[0]->attrs[k].name, &nlen, &nlo, &nhi) &&
						    nlen == blen && _strnicmp(more->entries[0]->attrs[k].name, plain, blen) == 0)
							got = &more->entries[0]->attrs[k];
				/* the range must start where asked and bring values */
				if (got == NULL || nlo != hi + 1 || got->n_values == 0) {
					lb_result_free(more);
					break;
				}
				code = take_values(at, got);
				lb_result_free(more);
				if (code != LB_OK) {
					free(plain);
					return wl_fail(err, code, LB_STEP_RESULT, 0, wl_uri(conn), "out of memory");
				}
				hi = nhi;
			}
			complete = hi == UINT32_MAX;
			if (!complete && res->partial == LB_PARTIAL_NONE)
				res->partial = LB_PARTIAL_ADMINLIMIT;
			free((void *)at->name);
			at->name = plain;
		}
	}
	return LB_OK;
}

lb_err wl_search_locked(lb_conn *conn, const struct lb_search_params *p, lb_result **out,
			struct lb_error *err)
{
	wchar_t *base = NULL, *filter = NULL, **attrs = NULL;
	lb_result *res = NULL;
	lb_err code = LB_OK;
	bool oom;
	char diag[256];

	for (int attempt = 0; attempt < 2; attempt++) {
		ULONG rc;

		if (atomic_load(&conn->cancelled)) {
			code = wl_fail_cancelled(err, LB_STEP_SEARCH, wl_uri(conn));
			goto done;
		}
		code = wl_establish(conn, err);
		if (code != LB_OK)
			goto done;
		if (base == NULL) {
			base = wl_wide(base_of(conn, p->base));
			filter = wl_wide(p->filter ? p->filter : "(objectClass=*)");
			attrs = wl_wide_list(p->attrs, &oom);
			if (base == NULL || filter == NULL || oom) {
				code = wl_fail(err, LB_E_NOMEM, LB_STEP_SEARCH, 0, NULL, "out of memory");
				goto done;
			}
		}
		lb_result_free(res);
		res = wl_result_new();
		if (res == NULL) {
			code = wl_fail(err, LB_E_NOMEM, LB_STEP_SEARCH, 0, NULL, "out of memory");
			goto done;
		}
		rc = search_once(conn, p, base, filter, attrs, res, &code, diag, sizeof(diag));
		if (code != LB_OK) {
			code = wl_fail(err, code, LB_STEP_RESULT, 0, wl_uri(conn),
				       "out of memory reading search results");
			goto done;
		}
		if (rc == LDAP_SUCCESS)
			break;
		if (rc == LDAP_USER_CANCELLED && atomic_load(&conn->cancelled)) {
			code = wl_fail_cancelled(err, LB_STEP_SEARCH, wl_uri(conn));
			goto done;
		}
		if (wl_link_error(rc) && attempt == 0) {
			wl_drop(conn);
			continue;
		}
		code = wl_err_from_ldap(rc);
		if (wl_link_error(rc))
			code = LB_E_SERVER_DOWN;
		code = wl_fail(err, code, LB_STEP_SEARCH, (int)rc, wl_uri(conn),
			       "search under \"%s\" failed: %s (LDAP code %lu)%s%s",
			       base_of(conn, p->base), ldap_err2stringA(rc), (unsigned long)rc,
			       diag[0] ? ": " : "", diag);
		goto done;
	}
	if (p->follow_ranges) {
		code = follow_ranges(conn, res, err);
		if (code != LB_OK)
			goto done;
	}
	if (p->sort != NULL && p->n_sort > 0 && wl_result_sort(res, p->sort, p->n_sort) != LB_OK) {
		code = wl_fail(err, LB_E_NOMEM, LB_STEP_RESULT, 0, wl_uri(conn), "out of memory sorting");
		goto done;
	}
	*out = res;
	res = NULL;
done:
	lb_result_free(res);
	free(base);
	free(filter);
	wl_wide_list_free(attrs);
	return code;
}

lb_err lb_search(lb_conn *conn, const struct lb_search_params *params, lb_result **out,
		 struct lb_error *err)
{
	lb_err code;

	lb_error_clear(err);
	if (out != NULL)
		*out = NULL;
	if (conn == NULL || params == NULL || out == NULL)
		return wl_fail(err, LB_E_INVALID, LB_STEP_SEARCH, 0, NULL, "lb_search: NULL argument");
	plat_mutex_lock(&conn->lock);
	code = wl_search_locked(conn, params, out, err);
	plat_mutex_unlock(&conn->lock);
	return code;
}

lb_err lb_search_batch(lb_conn *conn, const struct lb_search_params *params, size_t n,
		       lb_result **results, lb_err *status, struct lb_error *err)
{
	lb_err code = LB_OK;

	lb_error_clear(err);
	if (conn == NULL || (n > 0 && (params == NULL || results == NULL)))
		return wl_fail(err, LB_E_INVALID, LB_STEP_SEARCH, 0, NULL, "lb_search_batch: NULL argument");
	for (size_t i = 0; i < n; i++)
		results[i] = NULL;
	plat_mutex_lock(&conn->lock);
	for (size_t i = 0; i < n; i++) {
		struct lb_search_params one = params[i];
		struct lb_error one_err;
		lb_err rc;

		one.mode = LB_MODE_PLAIN;
		rc = wl_search_locked(conn, &one, &results[i], &one_err);
		if (status != NULL)
			status[i] = rc;
		if (rc == LB_OK)
			continue;
		if (status == NULL || rc == LB_E_CANCELLED || rc == LB_E_SERVER_DOWN ||
		    rc == LB_E_CONNECT || rc == LB_E_NOMEM || rc == LB_E_TIMEOUT ||
		    rc == LB_E_TLS || rc == LB_E_AUTH) {
			if (err != NULL)
				*err = one_err;
			code = rc;
			break;
		}
	}
	plat_mutex_unlock(&conn->lock);
	if (code != LB_OK)
		for (size_t i = 0; i < n; i++) {
			lb_result_free(results[i]);
			results[i] = NULL;
		}
	return code;
}
