/*
 * search.c - lb_search (plain or paged, optional server-side sort, with the
 * fallbacks) and lb_search_batch (send N, collect N).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lb_internal.h"

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

/* The current server needed 2.5.13.3 named for attr before. */
static bool known_to_need_rule(const lb_conn *conn, const char *attr)
{
	const struct lb__server *srv;
	size_t i;

	if (conn->ld == NULL)
		return false;
	srv = &conn->servers[conn->cur];
	for (i = 0; i < srv->n_rule_attrs; i++)
		if (strcasecmp(srv->rule_attrs[i], attr) == 0)
			return true;
	return false;
}

bool lb__keys_lack_rule(const lb_conn *conn, const struct lb_sort_key *keys, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (keys[i].ordering_rule == NULL && !known_to_need_rule(conn, keys[i].attr))
			return true;
	return false;
}

void lb__remember_rule(lb_conn *conn, const struct lb_sort_key *keys, size_t n)
{
	struct lb__server *srv;
	size_t i;

	if (conn->ld == NULL)
		return;
	srv = &conn->servers[conn->cur];
	for (i = 0; i < n; i++) {
		char *a;

		if (keys[i].ordering_rule != NULL || known_to_need_rule(conn, keys[i].attr))
			continue;
		if (srv->n_rule_attrs == LB__RULE_ATTRS_MAX)
			return; /* only an optimisation: the retry still works */
		a = strdup(keys[i].attr);
		if (a == NULL)
			return;
		srv->rule_attrs[srv->n_rule_attrs++] = a;
	}
}

LDAPSortKey **lb__sort_keys(const lb_conn *conn, const struct lb_sort_key *keys,
			    size_t n, bool default_rule)
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
		const char *rule = keys[i].ordering_rule;

		if (rule == NULL && (default_rule || known_to_need_rule(conn, keys[i].attr)))
			rule = LB__ORDERING_RULE;
		k[i].attributeType = (char *)keys[i].attr;
		k[i].orderingRule = (char *)rule;
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
	if (lb__ad_needs_bind(code, diag))
		return lb__fail_needs_bind(err, lb__cur_uri(conn), code, diag);
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
	bool paging_silent;  /* ...only by answering nothing without a paging
	                      * control (slapd's sssvlv on a sorted search that
	                      * matches nothing): worth a retry, not a warning */
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
 * The DNs of a paged search's entries so far, for servers that send the
 * same cookie on every page (Samba): there a page counts as progress when
 * it brings an entry not seen before, and entries seen before are dropped.
 * Open addressing over borrowed DN pointers (the entries own them).
 */
struct dn_set {
	size_t cap, n;          /* cap: a power of two, 0 until first use */
	const char **slots;
};

static uint64_t dn_hash(const char *dn)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */

	for (; *dn != '\0'; dn++) {
		h ^= (unsigned char)*dn;
		h *= 1099511628211ull;
	}
	return h;
}

/* Slot of dn, or of the empty slot where it would go. */
static const char **dn_slot(const struct dn_set *set, const char *dn)
{
	size_t i = (size_t)dn_hash(dn) & (set->cap - 1);

	while (set->slots[i] != NULL && strcmp(set->slots[i], dn) != 0)
		i = (i + 1) & (set->cap - 1);
	return &set->slots[i];
}

/* Add dn: 1 added, 0 already there, -1 out of memory. */
static int dn_set_add(struct dn_set *set, const char *dn)
{
	const char **slot;

	if ((set->n + 1) * 2 > set->cap) {
		struct dn_set bigger = { set->cap ? set->cap * 2 : 1024, 0, NULL };

		bigger.slots = calloc(bigger.cap, sizeof(*bigger.slots));
		if (bigger.slots == NULL)
			return -1;
		for (size_t i = 0; i < set->cap; i++)
			if (set->slots[i] != NULL) {
				*dn_slot(&bigger, set->slots[i]) = set->slots[i];
				bigger.n++;
			}
		free(set->slots);
		*set = bigger;
	}
	slot = dn_slot(set, dn);
	if (*slot != NULL)
		return 0;
	*slot = dn;
	set->n++;
	return 1;
}

/*
 * Entries [before, res->n) are one page of a search whose cookie came back
 * unchanged.  Index what came before (from *indexed on), drop the page's
 * entries already seen, and say how many are new.  -1: out of memory.
 */
static long page_news(lb_result *res, size_t before, struct dn_set *seen, size_t *indexed)
{
	size_t i, kept = before;
	long fresh = 0;

	for (i = *indexed; i < before; i++)
		if (dn_set_add(seen, res->entries[i]->dn) < 0)
			return -1;
	for (i = before; i < res->n; i++) {
		struct lb_entry *e = res->entries[i];
		int added = dn_set_add(seen, e->dn);

		if (added < 0) {
			/* keep the rest as it is; the caller fails the search */
			memmove(&res->entries[kept], &res->entries[i],
				(res->n - i) * sizeof(*res->entries));
			res->n = kept + (res->n - i);
			return -1;
		}
		if (added == 0) {
			lb__entry_free(e);
			continue;
		}
		res->entries[kept++] = e;
		fresh++;
	}
	res->n = kept;
	*indexed = kept;
	return fresh;
}

/* Same cookie bytes (a paged search that does not advance). */
static bool same_cookie(const struct berval *a, const struct berval *b)
{
	return a->bv_len == b->bv_len && a->bv_len > 0 &&
	       memcmp(a->bv_val, b->bv_val, a->bv_len) == 0;
}

/*
 * Tell the server we will not ask for the rest of a paged search (RFC 2696
 * section 3: the same request with a page size of 0 and the last cookie), so
 * it can drop the state it keeps for it.  Best effort: the answer is read
 * and dropped, any failure ignored.
 */
static void abandon_paging(lb_conn *conn, const struct lb__req *rq,
			   struct berval *cookie)
{
	struct berval bv = { 0, NULL };
	LDAPControl ctrl, *list[2] = { &ctrl, NULL };
	struct lb__req q = *rq;
	struct lb_error ignored;
	LDAPMessage *msg = NULL;
	BerElement *ber;
	int msgid, rc;

	/* realSearchControlValue { size 0, cookie } by hand: libldap's
	 * ldap_create_page_control_value() refuses a page size below 1. */
	ber = ber_alloc_t(LBER_USE_DER);
	if (ber == NULL)
		return;
	rc = ber_printf(ber, "{iO}", (ber_int_t)0, cookie);
	if (rc != -1)
		rc = ber_flatten2(ber, &bv, 1);
	ber_free(ber, 1);
	if (rc == -1)
		return;
	ctrl.ldctl_oid = LDAP_CONTROL_PAGEDRESULTS;
	ctrl.ldctl_value = bv;
	ctrl.ldctl_iscritical = 1;
	q.ctrls = list;
	if (lb__send(conn, &q, &msgid, &ignored) == LB_OK &&
	    lb__collect(conn, msgid, NULL, NULL, NULL, &msg, &ignored) == LB_OK)
		ldap_msgfree(msg);
	ber_memfree(bv.bv_val);
	lb__log(conn, LB_LOG_DEBUG, "search on %s: paged search of %s abandoned",
		lb__cur_uri(conn), rq->base);
}

/* How long pages without entries may keep coming (with changing cookies)
 * before paging counts as broken: AD sends empty pages on sparse filters. */
static uint64_t empty_pages_budget_ms(const lb_conn *conn)
{
	uint64_t ms = (uint64_t)conn->cfg.op_timeout_ms;

	if ((uint64_t)conn->cfg.time_limit_s * 1000u > ms)
		ms = (uint64_t)conn->cfg.time_limit_s * 1000u;
	return ms;
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
	struct berval cookie = { 0, NULL }, prev = { 0, NULL };
	struct berval page_bv = { 0, NULL }, sort_bv = { 0, NULL };
	LDAPControl page_ctrl, sort_ctrl, *list[3];
	LDAPMessage *msg = NULL;
	LDAPControl **ctrls = NULL;
	char *diag = NULL;
	uint64_t empty_since = 0;
	bool cookie_live = false; /* the server holds paging state for cookie */
	bool repeating = false;   /* the server sent one cookie twice */
	struct dn_set seen = { 0, 0, NULL };
	size_t indexed = 0;       /* res entries [0, indexed) are in seen */
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
		int n = 0, msgid, rcode;

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
		/* The cookie went out: from here the answer (or its abandon by
		 * lb__wait) decides what the server keeps. */
		cookie_live = false;
		code = lb__collect(conn, msgid, res, NULL, NULL, &msg, err);
		if (code != LB_OK)
			goto done;
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
			/* A limit fired: what came is the answer, even nothing
			 * (never a bare size/time limit error). */
			res->partial = partial_of(rcode);
			goto done;
		}
		if (!paged)
			goto done;
		{
			LDAPControl *pc = ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, ctrls, NULL);
			ber_int_t estimate = 0;

			/* Keep the cookie just used to spot one that repeats. */
			if (prev.bv_val != NULL)
				ber_memfree(prev.bv_val);
			prev = cookie;
			cookie.bv_val = NULL;
			cookie.bv_len = 0;
			if (pc == NULL) {
				/* Ignored paging: complete if it sent entries, else suspect. */
				if (res->n == 0)
					at->paging_broken = at->paging_silent = true;
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
		if (repeating || (cookie.bv_len > 0 && same_cookie(&cookie, &prev))) {
			/* Samba sends one cookie on every page and still moves on:
			 * a repeated cookie is broken only when a page brings
			 * nothing new (the same page forever).  From the first
			 * repeat on, entries seen before are dropped. */
			long fresh;

			repeating = true;
			fresh = page_news(res, before, &seen, &indexed);
			if (fresh < 0) {
				code = lb__fail(err, LB_E_NOMEM, LB_STEP_SEARCH, 0,
						lb__cur_uri(conn), "out of memory");
				cookie_live = cookie.bv_len > 0;
				goto done;
			}
			if (fresh == 0 && cookie.bv_len > 0) {
				lb__log(conn, LB_LOG_WARNING,
					"search on %s: paged results cookie repeated with "
					"no new entries", lb__cur_uri(conn));
				at->paging_broken = true;
				cookie_live = true;
				goto done;
			}
		}
		if (cookie.bv_len == 0)
			goto done;
		cookie_live = true;
		if (res->n == before) {
			/* Empty pages are legal (AD on sparse filters); only an
			 * endless run of them is not. */
			uint64_t now = lb__now(conn);

			if (empty_since == 0)
				empty_since = now;
			else if (now - empty_since > empty_pages_budget_ms(conn)) {
				lb__log(conn, LB_LOG_WARNING,
					"search on %s: empty pages for %llu ms", lb__cur_uri(conn),
					(unsigned long long)(now - empty_since));
				at->paging_broken = true;
				goto done;
			}
		} else {
			empty_since = 0;
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
	if (cookie_live && conn->ld != NULL && !lb__is_link_error(code))
		abandon_paging(conn, rq, &cookie);
	if (msg != NULL)
		ldap_msgfree(msg);
	if (ctrls != NULL)
		ldap_controls_free(ctrls);
	if (diag != NULL)
		ldap_memfree(diag);
	if (cookie.bv_val != NULL)
		ber_memfree(cookie.bv_val);
	if (prev.bv_val != NULL)
		ber_memfree(prev.bv_val);
	if (page_bv.bv_val != NULL)
		ber_memfree(page_bv.bv_val);
	if (sort_bv.bv_val != NULL)
		ber_memfree(sort_bv.bv_val);
	free(seen.slots);
	return code;
}

/* The request lb_search_params describe, with the configured defaults. */
static void fill_req(lb_conn *conn, const struct lb_search_params *p, struct lb__req *rq)
{
	memset(rq, 0, sizeof(*rq));
	rq->base = lb__base(conn, p->base);
	rq->scope = ldap_scope(p->scope);
	rq->filter = p->filter ? p->filter : "(objectClass=*)";
	rq->attrs = (char **)p->attrs;
	rq->size_limit = p->size_limit < 0 ? conn->cfg.size_limit : p->size_limit;
	rq->time_limit_s = p->time_limit_s < 0 ? conn->cfg.time_limit_s : p->time_limit_s;
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

	fill_req(conn, p, &rq);
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
			keys = lb__sort_keys(conn, p->sort, p->n_sort, default_rule);
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
		    lb__keys_lack_rule(conn, p->sort, p->n_sort)) {
			/* sssvlv: attributes without an ORDERING rule need one named. */
			default_rule = true;
			lb__remember_rule(conn, p->sort, p->n_sort);
			continue;
		}
		if (at.sort_code == LDAP_BUSY && busy_left-- > 0) {
			lb__sleep_ms(50 * (conn->cfg.busy_retries - busy_left));
			continue;
		}
		if (at.paging_broken) {
			lb__log(conn, at.paging_silent ? LB_LOG_INFO : LB_LOG_WARNING,
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
	struct lb__guard guard;
	struct lb__retry retry = { 0 };
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
	lb__enter(conn, &guard);
	for (attempt = 0; attempt < 2; attempt++) {
		code = lb__establish(conn, err);
		if (code != LB_OK) {
			lb__retry_explain(&retry, err);
			break;
		}
		code = lb__search_locked(conn, params, out, err);
		if (!lb__is_link_error(code))
			break;
		/* Dropped or hung mid-search: reconnect (next server) and retry once. */
		lb__retry_note(&retry, err);
		lb__drop_link(conn, err ? err : &lb__link_lost);
	}
	lb__leave(conn, &guard);
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
	bool default_rule;   /* resent naming 2.5.13.3 (error 18) */
	bool rule_missing;   /* the request sent had a key without any rule */
	bool unsorted;       /* resent without the sort control */
	struct lb_error err;
};

static void slot_clear_sort(struct slot *s)
{
	lb__sort_keys_free(s->keys);
	s->keys = NULL;
	if (s->sort_bv.bv_val != NULL)
		ber_memfree(s->sort_bv.bv_val);
	s->sort_bv.bv_val = NULL;
	s->sort_bv.bv_len = 0;
}

static void slots_reset(struct slot *s, size_t n, LDAP *ld)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!s[i].done && s[i].msgid > 0 && ld != NULL)
			(void)ldap_abandon_ext(ld, s[i].msgid, NULL, NULL);
		lb_result_free(s[i].res);
		slot_clear_sort(&s[i]);
		memset(&s[i], 0, sizeof(s[i]));
	}
}

/*
 * (Re)send search i of the batch with a fresh result.  LB_OK: sent, or
 * refused on its own (s->done, s->status set); otherwise a connection-level
 * error in err.
 */
static lb_err slot_send(lb_conn *conn, const struct lb_search_params *p, struct slot *s,
			size_t i, struct lb_error *err)
{
	struct lb__req rq;
	lb_err code;

	fill_req(conn, p, &rq);
	lb_result_free(s->res);
	slot_clear_sort(s);
	s->msgid = 0;
	s->res = lb__result_new();
	if (s->res == NULL)
		return lb__fail(err, LB_E_NOMEM, LB_STEP_SEARCH, 0, NULL, "out of memory");
	if (p->n_sort > 0 && !s->unsorted) {
		int rc;

		/* Decided now: searches sent before an 18 came back learnt
		 * nothing from it and need their own resend with the rule. */
		s->rule_missing = !s->default_rule &&
				  lb__keys_lack_rule(conn, p->sort, p->n_sort);
		s->keys = lb__sort_keys(conn, p->sort, p->n_sort, s->default_rule);
		if (s->keys == NULL)
			return lb__fail(err, LB_E_NOMEM, LB_STEP_SEARCH, 0, NULL, "out of memory");
		rc = ldap_create_sort_control_value(conn->ld, s->keys, &s->sort_bv);
		if (rc != LDAP_SUCCESS)
			return lb__fail(err, LB_E_INVALID, LB_STEP_SEARCH, rc, NULL,
					"cannot encode the sort request of search %zu", i);
		/* Non-critical, as in lb_search: a server that cannot sort answers. */
		s->sort_ctrl.ldctl_oid = LDAP_CONTROL_SORTREQUEST;
		s->sort_ctrl.ldctl_value = s->sort_bv;
		s->sort_ctrl.ldctl_iscritical = 0;
		s->ctrls[0] = &s->sort_ctrl;
		s->ctrls[1] = NULL;
		rq.ctrls = s->ctrls;
	}
	code = lb__send(conn, &rq, &s->msgid, &s->err);
	if (code == LB_OK)
		return LB_OK;
	if (lb__is_link_error(code) || code == LB_E_NOMEM) {
		if (err != NULL)
			*err = s->err;
		return code;
	}
	s->status = code;
	s->done = true;
	return LB_OK;
}

/*
 * lb_search's sort fallbacks for one finished search of a batch: true when
 * rcode blamed the sort control and the search was changed for a resend.
 */
static bool slot_sort_fallback(lb_conn *conn, const struct lb_search_params *p,
			       struct slot *s, int rcode)
{
	if (s->keys == NULL)
		return false;
	if (rcode == LDAP_INAPPROPRIATE_MATCHING && s->rule_missing) {
		/* sssvlv fails even a non-critical sort on an attribute without
		 * an ORDERING rule ("No ordering rule"): name one. */
		s->default_rule = true;
		lb__remember_rule(conn, p->sort, p->n_sort);
		return true;
	}
	if (rcode == LDAP_INAPPROPRIATE_MATCHING || rcode == LDAP_BUSY ||
	    rcode == LDAP_UNAVAILABLE_CRITICAL_EXTENSION ||
	    rcode == LDAP_UNWILLING_TO_PERFORM) {
		/* No waiting inside a batch: the entries matter more than the order. */
		s->unsorted = true;
		lb__log(conn, LB_LOG_INFO, "search on %s: sort refused (%s); resending unsorted",
			lb__cur_uri(conn), ldap_err2string(rcode));
		return true;
	}
	return false;
}

static lb_err batch_once(lb_conn *conn, const struct lb_search_params *params,
			 struct slot *s, size_t n, struct lb_error *err)
{
	size_t i, left = n;
	LDAPMessage *msg = NULL;
	lb_err code = LB_OK;

	for (i = 0; i < n; i++) {
		code = slot_send(conn, &params[i], &s[i], i, err);
		if (code != LB_OK)
			goto done;
		if (s[i].done)
			left--;
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
			if (rcode != LDAP_SUCCESS && partial_of(rcode) == LB_PARTIAL_NONE &&
			    slot_sort_fallback(conn, &params[i], &s[i], rcode)) {
				if (diag != NULL)
					ldap_memfree(diag);
				ldap_controls_free(ctrls);
				ldap_msgfree(msg);
				msg = NULL;
				code = slot_send(conn, &params[i], &s[i], i, err);
				if (code != LB_OK)
					goto done;
				if (s[i].done)
					left--;
				continue;
			}
			s[i].done = true;
			left--;
			if (rcode == LDAP_SUCCESS || partial_of(rcode) != LB_PARTIAL_NONE) {
				/* A limit with nothing received is an empty partial
				 * result, as in lb_search. */
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
				struct lb__req rq;

				fill_req(conn, &params[i], &rq);
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
	struct lb__guard guard;
	struct lb__retry retry = { 0 };
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
	lb__enter(conn, &guard);
	for (attempt = 0; attempt < 2; attempt++) {
		code = lb__establish(conn, err);
		if (code != LB_OK) {
			lb__retry_explain(&retry, err);
			break;
		}
		code = batch_once(conn, params, s, n, err);
		if (code == LB_OK || !lb__is_link_error(code))
			break;
		slots_reset(s, n, conn->ld);
		lb__retry_note(&retry, err);
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
	lb__leave(conn, &guard);
	free(s);
	return code;
}
