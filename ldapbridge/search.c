/*
 * search.c - lb_search (plain or paged, optional server-side sort, with the
 * fallbacks) and lb_search_batch (send N, collect N).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lb_internal.h"

#define EMPTY_PAGES_MAX 3 /* pages with no entry but a cookie before we give up */

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

const char *lb__scope_name(int scope)
{
	switch (scope) {
	case LDAP_SCOPE_BASE: return "base";
	case LDAP_SCOPE_ONELEVEL: return "one";
	default: return "sub";
	}
}

static int ldap_scope(enum lb_scope s)
{
	return s == LB_SCOPE_BASE ? LDAP_SCOPE_BASE :
	       s == LB_SCOPE_ONE ? LDAP_SCOPE_ONELEVEL : LDAP_SCOPE_SUBTREE;
}

const char *lb__base(lb_conn *conn, const char *base)
{
	if (base != NULL)
		return base;
	if (conn->cfg.base != NULL)
		return conn->cfg.base;
	if (conn->dse != NULL && conn->dse->default_naming_context != NULL)
		return conn->dse->default_naming_context;
	if (conn->dse != NULL && conn->dse->n_naming_contexts > 0)
		return conn->dse->naming_contexts[0];
	return "";
}

LDAPSortKey **lb__sort_keys(const struct lb_sort_key *keys, size_t n, bool default_rule)
{
	LDAPSortKey **list, *k;
	size_t i;

	if (n == 0)
		return NULL;
	list = calloc(n + 1, sizeof(*list));
	k = calloc(n, sizeof(*k));
	if (list == NULL || k == NULL) {
		free(list);
		free(k);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		k[i].attributeType = (char *)keys[i].attr;
		k[i].orderingRule = (char *)(keys[i].ordering_rule ? keys[i].ordering_rule :
					     default_rule ? LB__ORDERING_RULE : NULL);
		k[i].reverseOrder = keys[i].reverse;
		list[i] = &k[i];
	}
	return list;
}

void lb__sort_keys_free(LDAPSortKey **keys)
{
	if (keys == NULL)
		return;
	free(keys[0]); /* the key array is one block */
	free(keys);
}

lb_err lb__send(lb_conn *conn, const struct lb__req *rq, int *msgid,
		struct lb_error *err)
{
	struct timeval tv = { rq->time_limit_s, 0 };
	int rc;

	rc = ldap_search_ext(conn->ld, rq->base, rq->scope, rq->filter, rq->attrs, 0,
			     rq->ctrls, NULL, rq->time_limit_s > 0 ? &tv : NULL,
			     rq->size_limit, msgid);
	if (rc == LDAP_SUCCESS)
		return LB_OK;
	if (rc == LDAP_FILTER_ERROR)
		return lb__fail(err, LB_E_FILTER, LB_STEP_SEARCH, rc, lb__cur_uri(conn),
				"search of %s on %s: filter %.200s is not valid",
				rq->base, lb__cur_uri(conn), rq->filter);
	return lb__fail_ld(conn, err, LB_STEP_SEARCH, rc, "sending a search to");
}

lb_err lb__parse_done(lb_conn *conn, LDAPMessage *msg, int *code, char **diag,
		      LDAPControl ***ctrls, struct lb_error *err)
{
	int rc;

	*code = LDAP_OTHER;
	*diag = NULL;
	if (ctrls != NULL)
		*ctrls = NULL;
	rc = ldap_parse_result(conn->ld, msg, code, NULL, diag, NULL, ctrls, 0);
	if (rc == LDAP_SUCCESS)
		return LB_OK;
	return lb__fail_ld(conn, err, LB_STEP_RESULT, rc, "reading a search result from");
}

static lb_err search_failed(lb_conn *conn, const struct lb__req *rq, int code,
			    const char *diag, struct lb_error *err)
{
	return lb__fail(err, lb__err_from_ldap(code), LB_STEP_SEARCH, code,
			lb__cur_uri(conn),
			"search of %s (scope %s, filter %.200s) on %s failed: %s%s%s%s",
			rq->base[0] ? rq->base : "the root DSE", lb__scope_name(rq->scope),
			rq->filter, lb__cur_uri(conn), ldap_err2string(code),
			diag && diag[0] ? " (" : "", diag && diag[0] ? diag : "",
			diag && diag[0] ? ")" : "");
}

static enum lb_partial partial_of(int code)
{
	switch (code) {
	case LDAP_SIZELIMIT_EXCEEDED: return LB_PARTIAL_SIZELIMIT;
	case LDAP_TIMELIMIT_EXCEEDED: return LB_PARTIAL_TIMELIMIT;
	case LDAP_ADMINLIMIT_EXCEEDED: return LB_PARTIAL_ADMINLIMIT;
	default: return LB_PARTIAL_NONE;
	}
}

/* How one attempt went, for the fallback decisions in search_locked(). */
struct attempt {
	bool paging_broken;  /* paged request misbehaved: repeat plain */
	int sort_code;       /* sort problem (search or sortResult code), 0 none */
	bool sort_answered;  /* a sortResult control came back with success */
};

/* Search-level codes that mean "this control was the problem". */
static bool control_refused(int code)
{
	return code == LDAP_UNAVAILABLE_CRITICAL_EXTENSION ||
	       code == LDAP_UNWILLING_TO_PERFORM || code == LDAP_PROTOCOL_ERROR ||
	       code == LDAP_BUSY || code == LDAP_INAPPROPRIATE_MATCHING ||
	       code == LDAP_OTHER;
}

static void look_at_sort(lb_conn *conn, LDAPControl **ctrls, struct attempt *at)
{
	LDAPControl *c = ldap_control_find(LDAP_CONTROL_SORTRESPONSE, ctrls, NULL);
	ber_int_t result = 0;
	char *attr = NULL;

	if (c == NULL)
		return; /* AD/Samba sort without answering: trust the entry order */
	if (ldap_parse_sortresponse_control(conn->ld, c, &result, &attr) != LDAP_SUCCESS) {
		at->sort_code = LDAP_PROTOCOL_ERROR;
		return;
	}
	if (attr != NULL)
		ldap_memfree(attr);
	if (result == LDAP_SUCCESS)
		at->sort_answered = true;
	else
		at->sort_code = result;
}

/*
 * One attempt: plain or paged, optional sort.  Appends entries to res.
 * Returns LB_OK (possibly partial, possibly with at->paging_broken /
 * at->sort_code set for the caller to decide) or a hard error.
 */
static lb_err run_once(lb_conn *conn, struct lb__req *rq, bool paged,
		       LDAPSortKey **keys, lb_result *res, struct attempt *at,
		       struct lb_error *err)
{
	struct berval cookie = { 0, NULL };
	struct berval page_bv = { 0, NULL }, sort_bv = { 0, NULL };
	LDAPControl page_ctrl, sort_ctrl, *list[3];
	LDAPMessage *msg = NULL;
	LDAPControl **ctrls = NULL;
	char *diag = NULL;
	int empty_pages = 0;
	lb_err code = LB_OK;

	memset(at, 0, sizeof(*at));
	if (keys != NULL) {
		int rc = ldap_create_sort_control_value(conn->ld, keys, &sort_bv);
		if (rc != LDAP_SUCCESS) {
			code = lb__fail(err, LB_E_INVALID, LB_STEP_SEARCH, rc, lb__cur_uri(conn),
					"cannot encode the sort request: %s", ldap_err2string(rc));
			goto done;
		}
		/* Non-critical: a server that cannot sort still answers. */
		sort_ctrl.ldctl_oid = LDAP_CONTROL_SORTREQUEST;
		sort_ctrl.ldctl_value = sort_bv;
		sort_ctrl.ldctl_iscritical = 0;
	}
	for (;;) {
		size_t before = res->n;
		int n = 0, msgid, type, rcode;

		if (paged) {
			int rc;
			if (page_bv.bv_val != NULL) {
				ber_memfree(page_bv.bv_val);
				page_bv.bv_val = NULL;
			}
			rc = ldap_create_page_control_value(conn->ld, conn->cfg.page_size,
							    &cookie, &page_bv);
			if (rc != LDAP_SUCCESS) {
				code = lb__fail(err, LB_E_NOMEM, LB_STEP_SEARCH, rc, lb__cur_uri(conn),
						"cannot encode the paged results request: %s",
						ldap_err2string(rc));
				goto done;
			}
			page_ctrl.ldctl_oid = LDAP_CONTROL_PAGEDRESULTS;
			page_ctrl.ldctl_value = page_bv;
			page_ctrl.ldctl_iscritical = 1;
			list[n++] = &page_ctrl;
		}
		if (keys != NULL)
			list[n++] = &sort_ctrl;
		list[n] = NULL;
		rq->ctrls = n > 0 ? list : NULL;

		code = lb__send(conn, rq, &msgid, err);
		if (code != LB_OK)
			goto done;
		for (;;) {
			code = lb__wait(conn, msgid, LB_STEP_SEARCH, &msg, err);
			if (code != LB_OK)
				goto done;
			type = ldap_msgtype(msg);
			if (type == LDAP_RES_SEARCH_RESULT)
				break;
			if (type == LDAP_RES_SEARCH_ENTRY) {
				code = lb__result_add_msg(conn->ld, res, msg, err);
				if (code != LB_OK)
					goto done;
			}
			/* references are skipped: chasing is the server's business */
			ldap_msgfree(msg);
			msg = NULL;
		}
		code = lb__parse_done(conn, msg, &rcode, &diag, &ctrls, err);
		if (code != LB_OK)
			goto done;
		if (keys != NULL)
			look_at_sort(conn, ctrls, at);
		if (rcode != LDAP_SUCCESS && partial_of(rcode) == LB_PARTIAL_NONE) {
			if (control_refused(rcode) && (keys != NULL || paged)) {
				/* Which control?  Sort problems are 18 and busy; the rest
				 * of a paged request is paging's. */
				if (keys != NULL && (rcode == LDAP_INAPPROPRIATE_MATCHING ||
						     rcode == LDAP_BUSY || !paged))
					at->sort_code = rcode;
				else
					at->paging_broken = true;
				lb__log(conn, LB_LOG_INFO, "search on %s: %s refused a control: %s",
					lb__cur_uri(conn), rq->base, ldap_err2string(rcode));
				goto done;
			}
			code = search_failed(conn, rq, rcode, diag, err);
			goto done;
		}
		if (rcode != LDAP_SUCCESS) {
			res->partial = partial_of(rcode);
			if (res->n == 0) {
				code = search_failed(conn, rq, rcode, diag, err);
				goto done;
			}
			goto done;
		}
		if (!paged)
			goto done;
		{
			LDAPControl *pc = ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, ctrls, NULL);
			ber_int_t estimate = 0;

			if (cookie.bv_val != NULL) {
				ber_memfree(cookie.bv_val);
				cookie.bv_val = NULL;
				cookie.bv_len = 0;
			}
			if (pc == NULL) {
				/* Ignored paging: complete if it sent entries, else suspect. */
				if (res->n == 0)
					at->paging_broken = true;
				goto done;
			}
			if (ldap_parse_pageresponse_control(conn->ld, pc, &estimate, &cookie) !=
			    LDAP_SUCCESS) {
				cookie.bv_val = NULL;
				cookie.bv_len = 0;
				lb__log(conn, LB_LOG_WARNING,
					"search on %s: malformed paged results answer, reading unpaged",
					lb__cur_uri(conn));
				at->paging_broken = true;
				goto done;
			}
		}
		if (cookie.bv_len == 0)
			goto done;
		if (res->n == before && ++empty_pages >= EMPTY_PAGES_MAX) {
			at->paging_broken = true;
			goto done;
		}
		ldap_msgfree(msg);
		msg = NULL;
		ldap_controls_free(ctrls);
		ctrls = NULL;
		if (diag != NULL) {
			ldap_memfree(diag);
			diag = NULL;
		}
	}
done:
	rq->ctrls = NULL;
	if (msg != NULL)
		ldap_msgfree(msg);
	if (ctrls != NULL)
		ldap_controls_free(ctrls);
	if (diag != NULL)
		ldap_memfree(diag);
	if (cookie.bv_val != NULL)
		ber_memfree(cookie.bv_val);
	if (page_bv.bv_val != NULL)
		ber_memfree(page_bv.bv_val);
	if (sort_bv.bv_val != NULL)
		ber_memfree(sort_bv.bv_val);
	return code;
}

static bool keys_lack_rule(const struct lb_sort_key *k, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (k[i].ordering_rule == NULL)
			return true;
	return false;
}

lb_err lb__search_locked(lb_conn *conn, const struct lb_search_params *p,
			 lb_result **out, struct lb_error *err)
{
	struct lb__req rq;
	lb_result *res = NULL;
	LDAPSortKey **keys = NULL;
	bool paged, want_sort = p->n_sort > 0, default_rule = false;
	int busy_left = conn->cfg.busy_retries, rounds;
	lb_err code = LB_OK;

	memset(&rq, 0, sizeof(rq));
	rq.base = lb__base(conn, p->base);
	rq.scope = ldap_scope(p->scope);
	rq.filter = p->filter ? p->filter : "(objectClass=*)";
	rq.attrs = (char **)p->attrs;
	rq.size_limit = p->size_limit < 0 ? conn->cfg.size_limit : p->size_limit;
	rq.time_limit_s = p->time_limit_s < 0 ? conn->cfg.time_limit_s : p->time_limit_s;
	paged = conn->cfg.page_size > 0 &&
		(p->mode == LB_MODE_PAGED ||
		 (p->mode == LB_MODE_AUTO && conn->dse && (conn->dse->controls & LB_CTRL_PAGED)));

	/* Each round either succeeds or removes one cause (bounded). */
	for (rounds = 0; rounds < 16; rounds++) {
		struct attempt at;

		lb_result_free(res);
		lb__sort_keys_free(keys);
		keys = NULL;
		res = lb__result_new();
		if (res == NULL) {
			code = lb__fail(err, LB_E_NOMEM, LB_STEP_SEARCH, 0, lb__cur_uri(conn),
					"out of memory");
			goto done;
		}
		if (want_sort) {
			keys = lb__sort_keys(p->sort, p->n_sort, default_rule);
			if (keys == NULL) {
				code = lb__fail(err, LB_E_NOMEM, LB_STEP_SEARCH, 0,
						lb__cur_uri(conn), "out of memory");
				goto done;
			}
		}
		code = run_once(conn, &rq, paged, keys, res, &at, err);
		if (code != LB_OK)
			goto done;
		if (at.sort_code == LDAP_INAPPROPRIATE_MATCHING && !default_rule &&
		    keys_lack_rule(p->sort, p->n_sort)) {
			/* sssvlv: attributes without an ORDERING rule need one named. */
			default_rule = true;
			continue;
		}
		if (at.sort_code == LDAP_BUSY && busy_left-- > 0) {
			lb__sleep_ms(50 * (conn->cfg.busy_retries - busy_left));
			continue;
		}
		if (at.paging_broken) {
			lb__log(conn, LB_LOG_WARNING,
				"paged results misbehaved on %s; falling back to a size-limited "
				"plain search", lb__cur_uri(conn));
			paged = false;
			continue;
		}
		if (at.sort_code != 0) {
			if (res->n == 0 || !want_sort) {
				/* the search itself failed because of the sort: drop it */
				want_sort = false;
				continue;
			}
			res->sorted = false;
		} else {
			res->sorted = want_sort && (at.sort_answered ||
						    (conn->dse && (conn->dse->controls & LB_CTRL_SORT)));
		}
		break;
	}
	if (rounds == 16) {
		code = lb__fail(err, LB_E_PROTOCOL, LB_STEP_SEARCH, 0, lb__cur_uri(conn),
				"search of %s on %s: server kept refusing every fallback",
				rq.base, lb__cur_uri(conn));
		goto done;
	}
	if (p->follow_ranges) {
		code = lb__follow_ranges(conn, res, err);
		if (code != LB_OK)
			goto done;
	}
	*out = res;
	res = NULL;
done:
	lb__sort_keys_free(keys);
	lb_result_free(res);
	return code;
}

static lb_err check_params(const struct lb_search_params *p, struct lb_error *err)
{
	if ((unsigned)p->scope > LB_SCOPE_SUB || (unsigned)p->mode > LB_MODE_PAGED)
		return lb__fail(err, LB_E_INVALID, LB_STEP_SEARCH, 0, NULL,
				"search: unknown scope or mode");
	if (p->n_sort > 0 && p->sort == NULL)
		return lb__fail(err, LB_E_INVALID, LB_STEP_SEARCH, 0, NULL,
				"search: n_sort > 0 without sort keys");
	for (size_t i = 0; i < p->n_sort; i++)
		if (p->sort[i].attr == NULL || p->sort[i].attr[0] == '\0')
			return lb__fail(err, LB_E_INVALID, LB_STEP_SEARCH, 0, NULL,
					"search: sort key %zu has no attribute", i);
	return LB_OK;
}

lb_err lb_search(lb_conn *conn, const struct lb_search_params *params,
		 lb_result **out, struct lb_error *err)
{
	lb_err code;
	int attempt;

	lb_error_clear(err);
	if (out != NULL)
		*out = NULL;
	if (conn == NULL || params == NULL || out == NULL)
		return lb__fail(err, LB_E_INVALID, LB_STEP_SEARCH, 0, NULL,
				"lb_search: connection, parameters and output must not be NULL");
	code = check_params(params, err);
	if (code != LB_OK)
		return code;
	pthread_mutex_lock(&conn->lock);
	for (attempt = 0; attempt < 2; attempt++) {
		code = lb__establish(conn, err);
		if (code != LB_OK)
			break;
		code = lb__search_locked(conn, params, out, err);
		if (!lb__is_link_error(code))
			break;
		/* Dropped or hung mid-search: reconnect (next server) and retry once. */
		lb__drop_link(conn, err ? err : &lb__link_lost);
	}
	pthread_mutex_unlock(&conn->lock);
	return code;
}

/* ------------------------------------------------------------------------ */
/* Batch                                                                    */
/* ------------------------------------------------------------------------ */

struct slot {
	int msgid;
	bool done;
	lb_result *res;
	lb_err status;
	LDAPSortKey **keys;
	struct berval sort_bv;
	LDAPControl sort_ctrl;
	LDAPControl *ctrls[2];
	struct lb_error err;
};

static void slots_reset(struct slot *s, size_t n, LDAP *ld)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!s[i].done && s[i].msgid > 0 && ld != NULL)
			(void)ldap_abandon_ext(ld, s[i].msgid, NULL, NULL);
		lb_result_free(s[i].res);
		lb__sort_keys_free(s[i].keys);
		if (s[i].sort_bv.bv_val != NULL)
			ber_memfree(s[i].sort_bv.bv_val);
		memset(&s[i], 0, sizeof(s[i]));
	}
}

static lb_err batch_once(lb_conn *conn, const struct lb_search_params *params,
			 struct slot *s, size_t n, struct lb_error *err)
{
	size_t i, left = n;
	LDAPMessage *msg = NULL;
	lb_err code = LB_OK;

	for (i = 0; i < n; i++) {
		const struct lb_search_params *p = &params[i];
		struct lb__req rq;

		memset(&rq, 0, sizeof(rq));
		rq.base = lb__base(conn, p->base);
		rq.scope = ldap_scope(p->scope);
		rq.filter = p->filter ? p->filter : "(objectClass=*)";
		rq.attrs = (char **)p->attrs;
		rq.size_limit = p->size_limit < 0 ? conn->cfg.size_limit : p->size_limit;
		rq.time_limit_s = p->time_limit_s < 0 ? conn->cfg.time_limit_s : p->time_limit_s;
		s[i].res = lb__result_new();
		if (s[i].res == NULL) {
			code = lb__fail(err, LB_E_NOMEM, LB_STEP_SEARCH, 0, NULL, "out of memory");
			goto done;
		}
		if (p->n_sort > 0) {
			int rc;
			s[i].keys = lb__sort_keys(p->sort, p->n_sort, false);
			if (s[i].keys == NULL) {
				code = lb__fail(err, LB_E_NOMEM, LB_STEP_SEARCH, 0, NULL, "out of memory");
				goto done;
			}
			rc = ldap_create_sort_control_value(conn->ld, s[i].keys, &s[i].sort_bv);
			if (rc != LDAP_SUCCESS) {
				code = lb__fail(err, LB_E_INVALID, LB_STEP_SEARCH, rc, NULL,
						"cannot encode the sort request of search %zu", i);
				goto done;
			}
			s[i].sort_ctrl.ldctl_oid = LDAP_CONTROL_SORTREQUEST;
			s[i].sort_ctrl.ldctl_value = s[i].sort_bv;
			s[i].sort_ctrl.ldctl_iscritical = 0;
			s[i].ctrls[0] = &s[i].sort_ctrl;
			rq.ctrls = s[i].ctrls;
		}
		code = lb__send(conn, &rq, &s[i].msgid, &s[i].err);
		if (code != LB_OK) {
			if (lb__is_link_error(code) || code == LB_E_NOMEM) {
				if (err != NULL)
					*err = s[i].err;
				goto done;
			}
			s[i].status = code;
			s[i].done = true;
			left--;
		}
	}
	while (left > 0) {
		int type, id, rcode;
		char *diag = NULL;
		LDAPControl **ctrls = NULL;

		code = lb__wait(conn, LDAP_RES_ANY, LB_STEP_SEARCH, &msg, err);
		if (code != LB_OK)
			goto done;
		id = ldap_msgid(msg);
		type = ldap_msgtype(msg);
		for (i = 0; i < n && (s[i].msgid != id || s[i].done); i++)
			;
		if (i == n) {
			ldap_msgfree(msg); /* stale answer to an abandoned request */
			msg = NULL;
			continue;
		}
		if (type == LDAP_RES_SEARCH_ENTRY) {
			code = lb__result_add_msg(conn->ld, s[i].res, msg, err);
			if (code != LB_OK)
				goto done;
		} else if (type == LDAP_RES_SEARCH_RESULT) {
			code = lb__parse_done(conn, msg, &rcode, &diag, &ctrls, err);
			if (code != LB_OK)
				goto done;
			s[i].done = true;
			left--;
			if (rcode == LDAP_SUCCESS || (partial_of(rcode) != LB_PARTIAL_NONE &&
						      s[i].res->n > 0)) {
				struct attempt at;
				memset(&at, 0, sizeof(at));
				s[i].res->partial = partial_of(rcode);
				if (s[i].keys != NULL) {
					look_at_sort(conn, ctrls, &at);
					s[i].res->sorted = at.sort_code == 0 &&
						(at.sort_answered ||
						 (conn->dse && (conn->dse->controls & LB_CTRL_SORT)));
				}
				s[i].status = LB_OK;
			} else {
				struct lb__req rq = { lb__base(conn, params[i].base),
						      ldap_scope(params[i].scope),
						      params[i].filter ? params[i].filter
								       : "(objectClass=*)",
						      NULL, 0, 0, NULL };
				s[i].status = search_failed(conn, &rq, rcode, diag, &s[i].err);
			}
			if (diag != NULL)
				ldap_memfree(diag);
			ldap_controls_free(ctrls);
		}
		ldap_msgfree(msg);
		msg = NULL;
	}
	for (i = 0; i < n; i++) {
		if (s[i].status != LB_OK || params[i].follow_ranges == false)
			continue;
		code = lb__follow_ranges(conn, s[i].res, err);
		if (code != LB_OK)
			goto done;
	}
done:
	if (msg != NULL)
		ldap_msgfree(msg);
	return code;
}

lb_err lb_search_batch(lb_conn *conn, const struct lb_search_params *params, size_t n,
		       lb_result **results, lb_err *status, struct lb_error *err)
{
	struct slot *s = NULL;
	lb_err code = LB_OK;
	size_t i;
	int attempt;

	lb_error_clear(err);
	if (conn == NULL || (n > 0 && (params == NULL || results == NULL)))
		return lb__fail(err, LB_E_INVALID, LB_STEP_SEARCH, 0, NULL,
				"lb_search_batch: connection, parameters and results must not be NULL");
	for (i = 0; i < n; i++) {
		results[i] = NULL;
		if (status != NULL)
			status[i] = LB_E_INTERNAL;
	}
	for (i = 0; i < n; i++) {
		code = check_params(&params[i], err);
		if (code != LB_OK)
			return code;
	}
	if (n == 0)
		return LB_OK;
	s = calloc(n, sizeof(*s));
	if (s == NULL)
		return lb__fail(err, LB_E_NOMEM, LB_STEP_SEARCH, 0, NULL, "out of memory");
	pthread_mutex_lock(&conn->lock);
	for (attempt = 0; attempt < 2; attempt++) {
		code = lb__establish(conn, err);
		if (code != LB_OK)
			break;
		code = batch_once(conn, params, s, n, err);
		if (code == LB_OK || !lb__is_link_error(code))
			break;
		slots_reset(s, n, conn->ld);
		lb__drop_link(conn, err ? err : &lb__link_lost);
	}
	if (code == LB_OK && status == NULL) {
		for (i = 0; i < n; i++)
			if (s[i].status != LB_OK) {
				code = s[i].status;
				if (err != NULL)
					*err = s[i].err;
				break;
			}
	}
	if (code == LB_OK) {
		for (i = 0; i < n; i++) {
			if (status != NULL)
				status[i] = s[i].status;
			if (s[i].status == LB_OK) {
				results[i] = s[i].res;
				s[i].res = NULL;
			}
		}
	}
	slots_reset(s, n, code == LB_OK ? NULL : conn->ld);
	pthread_mutex_unlock(&conn->lock);
	free(s);
	return code;
}
