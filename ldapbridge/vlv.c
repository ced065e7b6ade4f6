/*
 * vlv.c - browsing a sorted list by windows with VLV (RFC 2891 sort +
 * draft-ietf-ldapext-ldapv3-vlv), keeping the server's context ID, and the
 * fallback to a sorted copy read with paging (or plain) when VLV misbehaves.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lb_internal.h"

struct lb_vlv {
	lb_conn *conn;
	char *base;              /* NULL: default base */
	enum lb_scope scope;
	char *filter;
	char **attrs;            /* NULL: all user attributes */
	char **copy_attrs;       /* attrs + sort attributes, for the fallback */
	struct lb_sort_key *sort;
	size_t n_sort;

	struct berval *context;  /* server's context ID, or NULL */
	unsigned generation;     /* conn->generation the context belongs to */
	bool default_rule;       /* name 2.5.13.3 for keys without a rule */

	bool emulated;           /* VLV given up: serve windows from copy */
	lb_result *copy;         /* the whole sorted list (fallback only) */
};

void lb_vlv_params_init(struct lb_vlv_params *p)
{
	if (p == NULL)
		return;
	memset(p, 0, sizeof(*p));
	p->scope = LB_SCOPE_SUB;
}

static void free_strv(char **v)
{
	size_t i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

static char **dup_strv(const char *const *v, const struct lb_sort_key *extra,
		       size_t n_extra)
{
	size_t n = 0, i, k = 0;
	char **out;

	while (v != NULL && v[n] != NULL)
		n++;
	out = calloc(n + n_extra + 1, sizeof(*out));
	if (out == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if (!(out[k++] = strdup(v[i])))
			goto fail;
	for (i = 0; i < n_extra; i++)
		if (!(out[k++] = strdup(extra[i].attr)))
			goto fail;
	return out;
fail:
	free_strv(out);
	return NULL;
}

void lb_vlv_close(lb_vlv *vlv)
{
	size_t i;

	if (vlv == NULL)
		return;
	if (vlv->context != NULL)
		ber_bvfree(vlv->context);
	lb_result_free(vlv->copy);
	for (i = 0; i < vlv->n_sort; i++) {
		free((char *)vlv->sort[i].attr);
		free((char *)vlv->sort[i].ordering_rule);
	}
	free(vlv->sort);
	free_strv(vlv->attrs);
	free_strv(vlv->copy_attrs);
	free(vlv->filter);
	free(vlv->base);
	free(vlv);
}

lb_err lb_vlv_open(lb_conn *conn, const struct lb_vlv_params *params, lb_vlv **out,
		   struct lb_error *err)
{
	lb_vlv *v = NULL;
	size_t i;
	lb_err code = LB_E_NOMEM;

	lb_error_clear(err);
	if (out != NULL)
		*out = NULL;
	if (conn == NULL || params == NULL || out == NULL)
		return lb__fail(err, LB_E_INVALID, LB_STEP_SEARCH, 0, NULL,
				"lb_vlv_open: connection, parameters and output must not be NULL");
	if (params->n_sort == 0 || params->sort == NULL)
		return lb__fail(err, LB_E_INVALID, LB_STEP_SEARCH, 0, NULL,
				"lb_vlv_open: VLV needs at least one sort key");
	if ((unsigned)params->scope > LB_SCOPE_SUB)
		return lb__fail(err, LB_E_INVALID, LB_STEP_SEARCH, 0, NULL,
				"lb_vlv_open: unknown scope");
	for (i = 0; i < params->n_sort; i++)
		if (params->sort[i].attr == NULL || params->sort[i].attr[0] == '\0')
			return lb__fail(err, LB_E_INVALID, LB_STEP_SEARCH, 0, NULL,
					"lb_vlv_open: sort key %zu has no attribute", i);
	v = calloc(1, sizeof(*v));
	if (v == NULL)
		goto done;
	v->conn = conn;
	v->scope = params->scope;
	if ((params->base && !(v->base = strdup(params->base))) ||
	    !(v->filter = strdup(params->filter ? params->filter : "(objectClass=*)")))
		goto done;
	if (params->attrs != NULL) {
		if (!(v->attrs = dup_strv(params->attrs, NULL, 0)) ||
		    !(v->copy_attrs = dup_strv(params->attrs, params->sort, params->n_sort)))
			goto done;
	}
	v->sort = calloc(params->n_sort, sizeof(*v->sort));
	if (v->sort == NULL)
		goto done;
	for (i = 0; i < params->n_sort; i++) {
		v->sort[v->n_sort].reverse = params->sort[i].reverse;
		v->sort[v->n_sort].attr = strdup(params->sort[i].attr);
		v->sort[v->n_sort].ordering_rule =
			params->sort[i].ordering_rule ? strdup(params->sort[i].ordering_rule) : NULL;
		v->n_sort++;
		if (v->sort[i].attr == NULL ||
		    (params->sort[i].ordering_rule && v->sort[i].ordering_rule == NULL))
			goto done;
	}
	*out = v;
	v = NULL;
	code = LB_OK;
done:
	lb_vlv_close(v);
	if (code != LB_OK)
		lb__fail(err, code, LB_STEP_SEARCH, 0, NULL, "out of memory");
	return code;
}

/* ------------------------------------------------------------------------ */
/* Fallback: a sorted copy of the whole list                                */
/* ------------------------------------------------------------------------ */

static int cmp_value(const struct lb_value *a, const struct lb_value *b)
{
	if (a == NULL || b == NULL)
		return a == b ? 0 : a == NULL ? 1 : -1; /* missing values last */
	return strcasecmp(a->data, b->data);
}

static int cmp_entries(const void *pa, const void *pb, void *ctx)
{
	const struct lb_sort_key *key = ctx;
	const struct lb_entry *a = *(struct lb_entry *const *)pa;
	const struct lb_entry *b = *(struct lb_entry *const *)pb;
	int c = cmp_value(lb_entry_value(a, key->attr), lb_entry_value(b, key->attr));

	if (key->reverse)
		c = -c;
	return c != 0 ? c : strcasecmp(a->dn, b->dn);
}

/* Client-side order: caseIgnoreOrderingMatch approximated by strcasecmp on
 * the first sort key (the fallback's copy only). */
static void sort_copy(lb_vlv *v)
{
	qsort_r(v->copy->entries, v->copy->n, sizeof(*v->copy->entries), cmp_entries,
		&v->sort[0]);
}

static lb_err build_copy(lb_vlv *v, struct lb_error *err)
{
	struct lb_search_params p;
	lb_result *res = NULL;
	lb_err code;

	lb_search_params_init(&p);
	p.base = v->base;
	p.scope = v->scope;
	p.filter = v->filter;
	p.attrs = (const char *const *)v->copy_attrs;
	p.mode = LB_MODE_AUTO; /* paged when offered; falls back to plain by itself */
	p.sort = v->sort;
	p.n_sort = v->n_sort;
	code = lb__search_locked(v->conn, &p, &res, err);
	if (code != LB_OK)
		return code;
	v->copy = res;
	if (!res->sorted)
		sort_copy(v);
	res->sorted = true;
	return LB_OK;
}

static lb_err serve_copy(lb_vlv *v, size_t before, size_t after,
			 const struct lb_vlv_target *t, lb_result **out,
			 struct lb_vlv_pos *pos, struct lb_error *err)
{
	lb_result *res = NULL;
	size_t count, target, first, last, i;
	lb_err code;

	if (v->copy == NULL) {
		code = build_copy(v, err);
		if (code != LB_OK)
			return code;
	}
	count = v->copy->n;
	if (t->by_value) {
		struct lb_value key = { strlen(t->value), t->value };
		for (i = 0; i < count; i++) {
			int c = cmp_value(lb_entry_value(v->copy->entries[i], v->sort[0].attr), &key);
			if (v->sort[0].reverse ? c <= 0 : c >= 0)
				break;
		}
		target = i + 1; /* count + 1 when every entry sorts before the value */
	} else if (t->content_count > 0 && t->content_count != count) {
		/* The VLV draft's scaling of the client's estimate (offset/count). */
		target = (size_t)((double)t->offset * (double)count / (double)t->content_count + 0.5);
	} else {
		target = t->offset;
	}
	if (target < 1)
		target = 1;
	if (target > count + 1)
		target = count + 1;
	res = lb__result_new();
	if (res == NULL)
		goto nomem;
	res->sorted = true;
	res->partial = v->copy->partial;
	first = target > before ? target - before : 1;
	last = target + after;
	if (last > count)
		last = count;
	for (i = first; i <= last; i++) {
		struct lb_entry *e = lb__entry_dup(v->copy->entries[i - 1]);
		if (e == NULL || lb__result_push(res, e) != LB_OK) {
			lb__entry_free(e);
			goto nomem;
		}
	}
	pos->target_pos = target;
	pos->content_count = count;
	pos->emulated = true;
	*out = res;
	return LB_OK;
nomem:
	lb_result_free(res);
	return lb__fail(err, LB_E_NOMEM, LB_STEP_SEARCH, 0, lb__cur_uri(v->conn),
			"out of memory");
}

/* ------------------------------------------------------------------------ */
/* Real VLV                                                                 */
/* ------------------------------------------------------------------------ */

/* VLV_RESEND: the same request, same context, after the pause taken. */
enum vlv_outcome { VLV_DONE, VLV_RETRY, VLV_RESEND, VLV_RECYCLE, VLV_FALLBACK, VLV_ERROR };

/* sssvlv answers "busy" (51, "Other sort requests already in progress")
 * when a request naming a context arrives before it has finished the
 * previous request on that context; the same request a moment later is
 * served from the sorted list it keeps.  Giving the context up instead
 * costs a full re-sort and strands the old list on the server, so resend
 * first, with short doubling pauses, bounded in tries and in total time. */
#define VLV_CTX_BUSY_TRIES 8
#define VLV_CTX_BUSY_TOTAL_MS 100

struct ctx_busy {
	int tries;           /* resends done in this lb_vlv_window() call */
	int waited_ms;       /* pauses taken so far */
	uint64_t deadline;   /* lb__now() value past which no pause starts */
};

/* Pause before resending on the same context; false: budget used up. */
static bool ctx_busy_pause(const lb_conn *conn, struct ctx_busy *cb)
{
	uint64_t now = lb__now(conn);
	int ms;

	if (cb->tries >= VLV_CTX_BUSY_TRIES || cb->waited_ms >= VLV_CTX_BUSY_TOTAL_MS ||
	    now >= cb->deadline)
		return false;
	ms = 1 << cb->tries;
	if (ms > VLV_CTX_BUSY_TOTAL_MS - cb->waited_ms)
		ms = VLV_CTX_BUSY_TOTAL_MS - cb->waited_ms;
	if ((uint64_t)ms > cb->deadline - now)
		ms = (int)(cb->deadline - now);
	lb__sleep_ms(ms);
	cb->tries++;
	cb->waited_ms += ms;
	return true;
}

static bool vlv_refused(int code)
{
	return code == LDAP_UNAVAILABLE_CRITICAL_EXTENSION ||
	       code == LDAP_UNWILLING_TO_PERFORM || code == LDAP_PROTOCOL_ERROR ||
	       code == LB__SORT_CONTROL_MISSING || code == LDAP_VLV_ERROR ||
	       code == LDAP_OTHER || code == LDAP_BUSY ||
	       code == LDAP_INAPPROPRIATE_MATCHING;
}

static lb_err vlv_once(lb_vlv *v, size_t before, size_t after,
		       const struct lb_vlv_target *t, lb_result **out,
		       struct lb_vlv_pos *pos, int *busy_left, bool *recycled,
		       struct ctx_busy *cb, enum vlv_outcome *oc, struct lb_error *err)
{
	lb_conn *conn = v->conn;
	LDAPSortKey **keys = NULL;
	struct berval sort_bv = { 0, NULL }, vlv_bv = { 0, NULL }, value;
	LDAPControl sort_ctrl, vlv_ctrl, *list[3];
	LDAPVLVInfo info;
	LDAPMessage *msg = NULL;
	LDAPControl **ctrls = NULL, *rc_ctrl;
	lb_result *res = NULL;
	struct lb__req rq;
	char *diag = NULL;
	int rc, msgid, rcode;
	ber_int_t tpos = 0, count = 0, vlv_code = 0;
	struct berval *ctx = NULL;
	bool sent_context = v->context != NULL;
	lb_err code = LB_OK;

	*oc = VLV_ERROR;
	keys = lb__sort_keys(conn, v->sort, v->n_sort, v->default_rule);
	res = lb__result_new();
	if (keys == NULL || res == NULL) {
		code = lb__fail(err, LB_E_NOMEM, LB_STEP_SEARCH, 0, lb__cur_uri(conn),
				"out of memory");
		goto done;
	}
	rc = ldap_create_sort_control_value(conn->ld, keys, &sort_bv);
	if (rc == LDAP_SUCCESS) {
		memset(&info, 0, sizeof(info));
		info.ldvlv_version = 1;
		info.ldvlv_before_count = (ber_int_t)before;
		info.ldvlv_after_count = (ber_int_t)after;
		if (t->by_value) {
			value.bv_val = (char *)t->value;
			value.bv_len = strlen(t->value);
			info.ldvlv_attrvalue = &value;
		} else {
			info.ldvlv_offset = (ber_int_t)t->offset;
			info.ldvlv_count = (ber_int_t)t->content_count;
		}
		info.ldvlv_context = v->context;
		rc = ldap_create_vlv_control_value(conn->ld, &info, &vlv_bv);
	}
	if (rc != LDAP_SUCCESS) {
		code = lb__fail(err, LB_E_INVALID, LB_STEP_SEARCH, rc, lb__cur_uri(conn),
				"cannot encode the sort/VLV request: %s", ldap_err2string(rc));
		goto done;
	}
	sort_ctrl.ldctl_oid = LDAP_CONTROL_SORTREQUEST;
	sort_ctrl.ldctl_value = sort_bv;
	sort_ctrl.ldctl_iscritical = 1;
	vlv_ctrl.ldctl_oid = LDAP_CONTROL_VLVREQUEST;
	vlv_ctrl.ldctl_value = vlv_bv;
	vlv_ctrl.ldctl_iscritical = 1;
	list[0] = &sort_ctrl;
	list[1] = &vlv_ctrl;
	list[2] = NULL;

	memset(&rq, 0, sizeof(rq));
	rq.base = lb__base(conn, v->base);
	rq.scope = v->scope == LB_SCOPE_BASE ? LDAP_SCOPE_BASE :
		   v->scope == LB_SCOPE_ONE ? LDAP_SCOPE_ONELEVEL : LDAP_SCOPE_SUBTREE;
	rq.filter = v->filter;
	rq.attrs = v->attrs;
	rq.time_limit_s = conn->cfg.time_limit_s;
	rq.ctrls = list;
	code = lb__send(conn, &rq, &msgid, err);
	if (code != LB_OK)
		goto done;
	code = lb__collect(conn, msgid, res, NULL, NULL, &msg, err);
	if (code != LB_OK)
		goto done;
	code = lb__parse_done(conn, msg, &rcode, &diag, &ctrls, err);
	if (code != LB_OK)
		goto done;

	rc_ctrl = ldap_control_find(LDAP_CONTROL_VLVRESPONSE, ctrls, NULL);
	if (rc_ctrl != NULL &&
	    ldap_parse_vlvresponse_control(conn->ld, rc_ctrl, &tpos, &count, &ctx,
					   &vlv_code) != LDAP_SUCCESS) {
		rc_ctrl = NULL; /* malformed: treat as missing */
		ctx = NULL;
	}
	if (rcode == LDAP_SUCCESS && rc_ctrl != NULL && vlv_code == LDAP_SUCCESS &&
	    tpos >= 0 && count >= 0) {
		if (v->context != NULL)
			ber_bvfree(v->context);
		v->context = ctx; /* reuse: the server keeps its sorted list */
		ctx = NULL;
		v->generation = conn->generation;
		code = lb__follow_ranges(conn, res, err);
		if (code != LB_OK)
			goto done;
		res->sorted = true;
		pos->target_pos = (size_t)tpos;
		pos->content_count = (size_t)count;
		pos->emulated = false;
		*out = res;
		res = NULL;
		*oc = VLV_DONE;
		goto done;
	}
	if (rcode == LDAP_SUCCESS && vlv_code != LDAP_SUCCESS)
		rcode = vlv_code;
	if (rcode == LB__OFFSET_RANGE_ERROR) { /* offsetRangeError */
		code = lb__fail(err, LB_E_INVALID, LB_STEP_SEARCH, rcode, lb__cur_uri(conn),
				"VLV window on %s: offset %zu is out of range", lb__cur_uri(conn),
				t->offset);
		goto done;
	}
	if (rcode == LDAP_INAPPROPRIATE_MATCHING && !v->default_rule &&
	    lb__keys_lack_rule(conn, v->sort, v->n_sort)) {
		v->default_rule = true; /* sssvlv: "No ordering rule" */
		lb__remember_rule(conn, v->sort, v->n_sort);
		*oc = VLV_RETRY;
		goto done;
	}
	if (rcode == LDAP_BUSY && sent_context && ctx_busy_pause(conn, cb)) {
		/* Still busy with our previous request on this context: keep
		 * the context we sent and send the same request again. */
		lb__log(conn, LB_LOG_DEBUG, "%s busy on our VLV context; resend %d",
			lb__cur_uri(conn), cb->tries);
		*oc = VLV_RESEND;
		goto done;
	}
	if (sent_context && (rcode != LDAP_SUCCESS || rc_ctrl == NULL)) {
		/* The server may have forgotten our context: one fresh try. */
		ber_bvfree(v->context);
		v->context = NULL;
		*oc = VLV_RETRY;
		goto done;
	}
	if (rcode == LDAP_BUSY && !*recycled) {
		/* sssvlv keeps every VLV list until the connection closes and
		 * refuses new ones past sssvlv-maxperconn ("Other sort requests
		 * already in progress"): a fresh link frees them all.  Other
		 * handles' contexts die with it and are rebuilt transparently. */
		*recycled = true;
		*oc = VLV_RECYCLE;
		goto done;
	}
	if (rcode == LDAP_BUSY && (*busy_left)-- > 0) {
		lb__sleep_ms(50 * (conn->cfg.busy_retries - *busy_left));
		*oc = VLV_RETRY;
		goto done;
	}
	if (rcode == LDAP_SUCCESS || vlv_refused(rcode)) {
		lb__log(conn, LB_LOG_WARNING,
			"VLV on %s misbehaved (%s%s); browsing %s from a sorted copy instead",
			lb__cur_uri(conn), rcode ? ldap_err2string(rcode) : "no VLV answer",
			diag && diag[0] ? ", server said so" : "", rq.base);
		*oc = VLV_FALLBACK;
		goto done;
	}
	if (lb__ad_needs_bind(rcode, diag)) {
		code = lb__fail_needs_bind(err, lb__cur_uri(conn), rcode, diag);
		goto done;
	}
	code = lb__fail(err, lb__err_from_ldap(rcode), LB_STEP_SEARCH, rcode,
			lb__cur_uri(conn),
			"VLV search of %s (filter %.200s) on %s failed: %s%s%s%s", rq.base,
			rq.filter, lb__cur_uri(conn), ldap_err2string(rcode),
			diag && diag[0] ? " (" : "", diag && diag[0] ? diag : "",
			diag && diag[0] ? ")" : "");
done:
	if (ctx != NULL)
		ber_bvfree(ctx);
	if (msg != NULL)
		ldap_msgfree(msg);
	if (ctrls != NULL)
		ldap_controls_free(ctrls);
	if (diag != NULL)
		ldap_memfree(diag);
	if (sort_bv.bv_val != NULL)
		ber_memfree(sort_bv.bv_val);
	if (vlv_bv.bv_val != NULL)
		ber_memfree(vlv_bv.bv_val);
	lb__sort_keys_free(keys);
	lb_result_free(res);
	return code;
}

lb_err lb_vlv_window(lb_vlv *vlv, size_t before, size_t after,
		     const struct lb_vlv_target *target, lb_result **out,
		     struct lb_vlv_pos *pos, struct lb_error *err)
{
	struct lb__guard guard;
	struct lb__retry retry = { 0 };
	lb_conn *conn;
	lb_err code = LB_OK;
	int attempt, busy_left, rounds;
	bool recycled = false;
	struct ctx_busy cb = { 0, 0, 0 };

	lb_error_clear(err);
	if (out != NULL)
		*out = NULL;
	if (vlv == NULL || target == NULL || out == NULL || pos == NULL)
		return lb__fail(err, LB_E_INVALID, LB_STEP_SEARCH, 0, NULL,
				"lb_vlv_window: handle, target, output and position must not be NULL");
	if ((!target->by_value && target->offset == 0) ||
	    (target->by_value && target->value == NULL))
		return lb__fail(err, LB_E_INVALID, LB_STEP_SEARCH, 0, NULL,
				"lb_vlv_window: offsets start at 1; a value target needs a value");
	if (before > 0x7fffffff || after > 0x7fffffff || target->offset > 0x7fffffff ||
	    target->content_count > 0x7fffffff)
		return lb__fail(err, LB_E_INVALID, LB_STEP_SEARCH, 0, NULL,
				"lb_vlv_window: counts out of range");
	conn = vlv->conn;
	busy_left = conn->cfg.busy_retries;
	lb__enter(conn, &guard);
	cb.deadline = lb__now(conn) + (uint64_t)conn->cfg.op_timeout_ms;
	for (attempt = 0; attempt < 2; attempt++) {
		code = lb__establish(conn, err);
		if (code != LB_OK) {
			lb__retry_explain(&retry, err);
			break;
		}
		if (vlv->generation != conn->generation && vlv->context != NULL) {
			ber_bvfree(vlv->context); /* belonged to the previous link */
			vlv->context = NULL;
		}
		if (!vlv->emulated && (conn->dse == NULL ||
				       (conn->dse->controls & (LB_CTRL_VLV | LB_CTRL_SORT)) !=
					       (LB_CTRL_VLV | LB_CTRL_SORT)))
			vlv->emulated = true;
		for (rounds = 0; !vlv->emulated && rounds < 8; rounds++) {
			enum vlv_outcome oc;

			code = vlv_once(vlv, before, after, target, out, pos, &busy_left,
					&recycled, &cb, &oc, err);
			if (code != LB_OK || oc == VLV_DONE)
				break;
			if (oc == VLV_RESEND) {
				rounds--; /* bounded by VLV_CTX_BUSY_TRIES instead */
				continue;
			}
			if (oc == VLV_FALLBACK)
				vlv->emulated = true;
			if (oc == VLV_RECYCLE) {
				lb__log(conn, LB_LOG_INFO,
					"%s has too many sort/VLV lists open for this connection; "
					"reconnecting to free them", lb__cur_uri(conn));
				lb__drop_link(conn, NULL);
				code = lb__establish(conn, err);
				if (code != LB_OK)
					break;
			}
		}
		if (code == LB_OK && vlv->emulated)
			code = serve_copy(vlv, before, after, target, out, pos, err);
		else if (code == LB_OK && *out == NULL)
			code = lb__fail(err, LB_E_PROTOCOL, LB_STEP_SEARCH, 0, lb__cur_uri(conn),
					"VLV on %s: no usable answer after retries", lb__cur_uri(conn));
		if (!lb__is_link_error(code))
			break;
		lb__retry_note(&retry, err);
		lb__drop_link(conn, err ? err : &lb__link_lost);
		if (vlv->copy == NULL && vlv->context != NULL) {
			ber_bvfree(vlv->context);
			vlv->context = NULL;
		}
	}
	lb__leave(conn, &guard);
	return code;
}
