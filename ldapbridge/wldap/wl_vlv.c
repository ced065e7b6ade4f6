/*
 * wl_vlv.c - lb_vlv_*() over wldap32.
 *
 * Server-side VLV (draft-ietf-ldapext-ldapv3-vlv over RFC 2891 sorting)
 * when the root DSE offers both controls.  Both request controls are
 * DER-encoded here and the VLV response is decoded with ber_scanf, rather
 * than with ldap_create_vlv_control(), ldap_create_sort_control() and
 * ldap_parse_vlv_control(): Wine's wldap32 crashes creating a VLV control
 * by offset and its ldap_parse_sort_control() fails on a successful answer.
 * Not its ber_printf() either: Wine's encodes a tagged octet string ("to")
 * empty on x86-64, fails on an octet string from a berval ("O") on both
 * targets and on one from a pointer and a length ("o") on i686.  DER is
 * the same on Windows, so one code path serves both.  The sort response is
 * not parsed at all: a sort the server could not do fails the VLV answer
 * too.
 * The server's context ID is sent back with the next window (OpenLDAP's
 * sssvlv keeps one list per context and refuses new ones beyond its limit).
 * A key without an ordering rule refused with inappropriateMatching (18)
 * is retried naming 2.5.13.3, as the libldap backend does.
 *
 * Fallback, for the handle's lifetime, when the server lacks the controls
 * or misbehaves (a control refused, busy, no or a malformed response
 * control): windows served from one sorted read of the whole list
 * (pos->emulated true), re-read after a reconnect.
 */
#include <stdlib.h>
#include <string.h>

#include "wl_internal.h"

struct lb_vlv {
	lb_conn *conn;
	char *base, *filter;
	char **attrs;
	struct lb_sort_key *sort;
	size_t n_sort;
	enum lb_scope scope;
	lb_result *list;             /* fallback: the sorted list, read on the first window */
	unsigned list_generation;    /* the link it was read on */
	bool emulate;                /* the server's VLV is not used any more */
	bool default_rule;           /* name 2.5.13.3 for keys without a rule */
	struct berval *context;      /* the server's context ID, or NULL */
	unsigned context_generation; /* the link it belongs to */
};

void lb_vlv_params_init(struct lb_vlv_params *p)
{
	if (p == NULL)
		return;
	memset(p, 0, sizeof(*p));
	p->scope = LB_SCOPE_SUB;
}

void lb_vlv_close(lb_vlv *vlv)
{
	if (vlv == NULL)
		return;
	lb_result_free(vlv->list);
	if (vlv->context != NULL)
		ber_bvfree(vlv->context);
	for (size_t i = 0; vlv->attrs != NULL && vlv->attrs[i] != NULL; i++)
		free(vlv->attrs[i]);
	free(vlv->attrs);
	for (size_t i = 0; i < vlv->n_sort; i++) {
		free((char *)vlv->sort[i].attr);
		free((char *)vlv->sort[i].ordering_rule);
	}
	free(vlv->sort);
	free(vlv->base);
	free(vlv->filter);
	free(vlv);
}

lb_err lb_vlv_open(lb_conn *conn, const struct lb_vlv_params *params, lb_vlv **out,
		   struct lb_error *err)
{
	lb_vlv *v;
	bool oom = false;
	size_t n = 0;

	lb_error_clear(err);
	if (out != NULL)
		*out = NULL;
	if (conn == NULL || params == NULL || out == NULL)
		return wl_fail(err, LB_E_INVALID, LB_STEP_SEARCH, 0, NULL, "lb_vlv_open: NULL argument");
	if (params->sort == NULL || params->n_sort == 0)
		return wl_fail(err, LB_E_INVALID, LB_STEP_SEARCH, 0, NULL,
			       "browsing a sorted list needs at least one sort key");
	v = calloc(1, sizeof(*v));
	if (v == NULL)
		return wl_fail(err, LB_E_NOMEM, LB_STEP_SEARCH, 0, NULL, "out of memory");
	v->conn = conn;
	v->scope = params->scope;
	if (params->base != NULL && (v->base = wl_strdup(params->base)) == NULL)
		oom = true;
	if (params->filter != NULL && (v->filter = wl_strdup(params->filter)) == NULL)
		oom = true;
	if (params->attrs != NULL) {
		while (params->attrs[n] != NULL)
			n++;
		v->attrs = calloc(n + 1, sizeof(char *));
		if (v->attrs == NULL)
			oom = true;
		for (size_t i = 0; v->attrs != NULL && i < n; i++)
			if ((v->attrs[i] = wl_strdup(params->attrs[i])) == NULL) {
				oom = true;
				break;
			}
	}
	v->sort = calloc(params->n_sort, sizeof(*v->sort));
	if (v->sort == NULL)
		oom = true;
	for (size_t i = 0; v->sort != NULL && i < params->n_sort; i++) {
		v->sort[i].reverse = params->sort[i].reverse;
		v->sort[i].attr = wl_strdup(params->sort[i].attr);
		v->sort[i].ordering_rule = wl_strdup(params->sort[i].ordering_rule);
		v->n_sort++;
		if (v->sort[i].attr == NULL ||
		    (params->sort[i].ordering_rule != NULL && v->sort[i].ordering_rule == NULL))
			oom = true;
	}
	if (oom) {
		lb_vlv_close(v);
		return wl_fail(err, LB_E_NOMEM, LB_STEP_SEARCH, 0, NULL, "out of memory");
	}
	*out = v;
	return LB_OK;
}

/* First position (0-based) whose first sort key is >= value, or n. */
static size_t find_value(const lb_result *list, const struct lb_sort_key *key, const char *value)
{
	size_t vlen = strlen(value);

	for (size_t i = 0; i < list->n; i++) {
		const struct lb_value *v = lb_entry_value(list->entries[i], key->attr);
		size_t n;
		int c;

		if (v == NULL)
			continue;
		n = v->len < vlen ? v->len : vlen;
		c = _strnicmp(v->data, value, n);
		if (c == 0)
			c = (v->len > vlen) - (v->len < vlen);
		if (key->reverse ? c <= 0 : c >= 0)
			return i;
	}
	return list->n;
}

#define VLV_REQUEST_OID  "2.16.840.1.113730.3.4.9"
#define VLV_RESPONSE_OID "2.16.840.1.113730.3.4.10"
#define SORT_REQUEST_OID "1.2.840.113556.1.4.473"

/* A DER writer for the two request controls (definite lengths, the
 * element's bytes appended to a growable buffer). */
struct der {
	unsigned char *p;
	size_t n, cap;
	bool oom;
};

static void der_put(struct der *d, const void *data, size_t len)
{
	if (d->oom)
		return;
	if (d->n + len > d->cap) {
		size_t cap = d->cap ? d->cap : 64;
		unsigned char *grown;

		while (cap < d->n + len)
			cap *= 2;
		grown = realloc(d->p, cap);
		if (grown == NULL) {
			d->oom = true;
			return;
		}
		d->p = grown;
		d->cap = cap;
	}
	memcpy(d->p + d->n, data, len);
	d->n += len;
}

/* Tag, length, contents. */
static void der_tlv(struct der *d, unsigned char tag, const void *data, size_t len)
{
	unsigned char head[6];
	size_t h = 0;

	head[h++] = tag;
	if (len < 0x80) {
		head[h++] = (unsigned char)len;
	} else {
		unsigned char n = len > 0xFFFFFF ? 4 : len > 0xFFFF ? 3 : len > 0xFF ? 2 : 1;
		head[h++] = (unsigned char)(0x80 | n);
		for (unsigned char i = n; i > 0; i--)
			head[h++] = (unsigned char)(len >> (8 * (i - 1)));
	}
	der_put(d, head, h);
	der_put(d, data, len);
}

/* A non-negative INTEGER, shortest form. */
static void der_uint(struct der *d, unsigned char tag, uint32_t v)
{
	unsigned char b[5];
	size_t n = 0;

	b[n++] = 0;
	for (int shift = 24; shift >= 0; shift -= 8)
		b[n++] = (unsigned char)(v >> shift);
	n = 0;
	while (n < 4 && b[n] == 0 && !(b[n + 1] & 0x80))
		n++;
	der_tlv(d, tag, b + n, 5 - n);
}

/* Wrap what inner holds as one constructed element into d; frees inner. */
static void der_wrap(struct der *d, unsigned char tag, struct der *inner)
{
	if (inner->oom)
		d->oom = true;
	else
		der_tlv(d, tag, inner->p, inner->n);
	free(inner->p);
	memset(inner, 0, sizeof(*inner));
}

/* The finished buffer as a control value (free the struct and bv_val with
 * free()), or NULL. */
static struct berval *der_value(struct der *d)
{
	struct berval *bv;

	if (d->oom || (bv = malloc(sizeof(*bv))) == NULL) {
		free(d->p);
		return NULL;
	}
	bv->bv_len = (ULONG)d->n;
	bv->bv_val = (char *)d->p;
	return bv;
}

static void value_free(struct berval *bv)
{
	if (bv != NULL) {
		free(bv->bv_val);
		free(bv);
	}
}

/* RFC 2891 SortKeyList: SEQUENCE OF SEQUENCE { attributeType,
 * orderingRule [0] OPTIONAL, reverseOrder [1] BOOLEAN DEFAULT FALSE }. */
static struct berval *encode_sort(const lb_vlv *vlv)
{
	struct der list = { 0 }, out = { 0 };

	for (size_t i = 0; i < vlv->n_sort; i++) {
		struct der key = { 0 };
		const char *rule = vlv->sort[i].ordering_rule;
		static const unsigned char yes = 0xFF;

		if (rule == NULL && vlv->default_rule)
			rule = "2.5.13.3";
		der_tlv(&key, 0x04, vlv->sort[i].attr, strlen(vlv->sort[i].attr));
		if (rule != NULL)
			der_tlv(&key, 0x80, rule, strlen(rule));
		if (vlv->sort[i].reverse)
			der_tlv(&key, 0x81, &yes, 1);
		der_wrap(&list, 0x30, &key);
	}
	der_wrap(&out, 0x30, &list);
	return der_value(&out);
}

/* VirtualListViewRequest: SEQUENCE { beforeCount, afterCount, target
 * CHOICE { byOffset [0] SEQUENCE { offset, contentCount },
 * greaterThanOrEqual [1] AssertionValue }, contextID OCTET STRING OPTIONAL }. */
static struct berval *encode_vlv(const lb_vlv *vlv, size_t before, size_t after,
				 const struct lb_vlv_target *t)
{
	struct der body = { 0 }, out = { 0 };

	der_uint(&body, 0x02, (uint32_t)before);
	der_uint(&body, 0x02, (uint32_t)after);
	if (t->by_value) {
		der_tlv(&body, 0x81, t->value, strlen(t->value));
	} else {
		struct der off = { 0 };

		der_uint(&off, 0x02, (uint32_t)t->offset);
		der_uint(&off, 0x02, (uint32_t)t->content_count);
		der_wrap(&body, 0xA0, &off);
	}
	if (vlv->context != NULL)
		der_tlv(&body, 0x04, vlv->context->bv_val, vlv->context->bv_len);
	der_wrap(&out, 0x30, &body);
	return der_value(&out);
}

/* Decode the VLV response among ctrls: 0 and the numbers, or -1. */
static int decode_vlv(LDAPControlW **ctrls, ULONG *target, ULONG *count, int *result,
		      struct berval **context)
{
	*context = NULL;
	for (size_t i = 0; ctrls != NULL && ctrls[i] != NULL; i++) {
		BerElement *ber;
		ULONG len = 0;
		int t = 0, c = 0, r = 0;

		if (wcscmp(ctrls[i]->ldctl_oid, L"" VLV_RESPONSE_OID) != 0)
			continue;
		ber = ber_init(&ctrls[i]->ldctl_value);
		if (ber == NULL)
			return -1;
		if (ber_scanf(ber, "{iie", &t, &c, &r) == LBER_DEFAULT || t < 0 || c < 0) {
			ber_free(ber, 1);
			return -1;
		}
		if (ber_peek_tag(ber, &len) == 0x04 && ber_scanf(ber, "O", context) == LBER_DEFAULT)
			*context = NULL;
		ber_free(ber, 1);
		*target = (ULONG)t;
		*count = (ULONG)c;
		*result = r;
		return 0;
	}
	return -1;
}

static const char *vlv_base(const lb_vlv *vlv)
{
	const lb_conn *conn = vlv->conn;

	if (vlv->base != NULL)
		return vlv->base;
	if (conn->base != NULL)
		return conn->base;
	if (conn->dse != NULL && conn->dse->default_naming_context != NULL)
		return conn->dse->default_naming_context;
	if (conn->dse != NULL && conn->dse->n_naming_contexts > 0)
		return conn->dse->naming_contexts[0];
	return "";
}

/*
 * One window from the server.  LB_OK with the window; LB_E_UNSUPPORTED when
 * the handle should fall back (err left clear); another code for a real
 * failure (err filled).  Lock held, link established.
 */
static lb_err server_window(lb_vlv *vlv, size_t before, size_t after,
			    const struct lb_vlv_target *target, lb_result **out,
			    struct lb_vlv_pos *pos, struct lb_error *err)
{
	lb_conn *conn = vlv->conn;
	wchar_t *base = NULL, *filter = NULL, **attrs = NULL;
	struct berval *sort = NULL, *req = NULL, *ctx = NULL;
	LDAPControlW c_sort, c_vlv, *sctrls[3] = { &c_sort, &c_vlv, NULL }, **rctrls = NULL;
	LDAPMessage *msg = NULL;
	lb_result *res = NULL;
	unsigned wait_ms = conn->cfg.op_timeout_ms > 0 ? (unsigned)conn->cfg.op_timeout_ms : 8000;
	ULONG rc, result = LDAP_SUCCESS, tpos = 0, tcount = 0, msgid = 0;
	int vres = 0;
	lb_err code = LB_OK;
	bool oom;

	if (vlv->context != NULL && vlv->context_generation != conn->generation) {
		ber_bvfree(vlv->context);
		vlv->context = NULL;
	}
	base = wl_wide(vlv_base(vlv));
	filter = wl_wide(vlv->filter ? vlv->filter : "(objectClass=*)");
	attrs = wl_wide_list((const char *const *)vlv->attrs, &oom);
	sort = encode_sort(vlv);
	req = encode_vlv(vlv, before, after, target);
	res = wl_result_new();
	if (base == NULL || filter == NULL || oom || sort == NULL || req == NULL || res == NULL) {
		code = wl_fail(err, LB_E_NOMEM, LB_STEP_SEARCH, 0, wl_uri(conn), "out of memory");
		goto done;
	}
	c_sort.ldctl_oid = L"" SORT_REQUEST_OID;
	c_sort.ldctl_value = *sort;
	c_sort.ldctl_iscritical = TRUE;
	c_vlv.ldctl_oid = L"" VLV_REQUEST_OID;
	c_vlv.ldctl_value = *req;
	c_vlv.ldctl_iscritical = TRUE;
	rc = ldap_search_extW(conn->ld, base,
			      vlv->scope == LB_SCOPE_BASE ? LDAP_SCOPE_BASE
			      : vlv->scope == LB_SCOPE_ONE ? LDAP_SCOPE_ONELEVEL : LDAP_SCOPE_SUBTREE,
			      filter, attrs, 0, sctrls, NULL, 0, 0, &msgid);
	if (rc == LDAP_SUCCESS)
		rc = wl_wait(conn, conn->ld, msgid, wait_ms, true, &msg);
	if (rc == LDAP_USER_CANCELLED && atomic_load(&conn->cancelled)) {
		code = wl_fail_cancelled(err, LB_STEP_SEARCH, wl_uri(conn));
		goto done;
	}
	if (msg != NULL) {
		for (LDAPMessage *e = ldap_first_entry(conn->ld, msg); e != NULL && code == LB_OK;
		     e = ldap_next_entry(conn->ld, e))
			code = wl_result_add(conn->ld, res, e);
		if (code != LB_OK) {
			code = wl_fail(err, code, LB_STEP_RESULT, 0, wl_uri(conn), "out of memory");
			goto done;
		}
		rc = LDAP_DECODING_ERROR;
		if (ldap_parse_resultW(conn->ld, msg, &result, NULL, NULL, NULL, &rctrls, FALSE) == LDAP_SUCCESS)
			rc = result;
	}
	if (rc == LDAP_INAPPROPRIATE_MATCHING && !vlv->default_rule) {
		vlv->default_rule = true;   /* the caller asks again */
		code = LB_E_BUSY;
		goto done;
	}
	if (wl_link_error(rc)) {
		code = wl_fail(err, LB_E_SERVER_DOWN, LB_STEP_SEARCH, (int)rc, wl_uri(conn),
			       "the link to %s failed during a VLV window: %s", wl_uri(conn),
			       ldap_err2stringA(rc));
		goto done;
	}
	if (rc != LDAP_SUCCESS || decode_vlv(rctrls, &tpos, &tcount, &vres, &ctx) != 0 || vres != 0 ||
	    tpos == 0) {
		code = LB_E_UNSUPPORTED;    /* fall back */
		goto done;
	}
	if (vlv->context != NULL)
		ber_bvfree(vlv->context);
	vlv->context = ctx;
	vlv->context_generation = conn->generation;
	ctx = NULL;
	res->sorted = true;
	pos->target_pos = tpos;
	pos->content_count = tcount;
	pos->emulated = false;
	*out = res;
	res = NULL;
done:
	if (ctx != NULL)
		ber_bvfree(ctx);
	if (rctrls != NULL)
		(void)ldap_controls_freeW(rctrls);
	if (msg != NULL)
		(void)ldap_msgfree(msg);
	value_free(sort);
	value_free(req);
	lb_result_free(res);
	wl_wide_list_free(attrs);
	free(base);
	free(filter);
	return code;
}

lb_err lb_vlv_window(lb_vlv *vlv, size_t before, size_t after,
		     const struct lb_vlv_target *target, lb_result **out,
		     struct lb_vlv_pos *pos, struct lb_error *err)
{
	lb_conn *conn;
	size_t count, t, first;
	lb_result *win;
	lb_err code = LB_OK;

	lb_error_clear(err);
	if (out != NULL)
		*out = NULL;
	if (vlv == NULL || target == NULL || out == NULL || pos == NULL ||
	    (target->by_value && target->value == NULL) || (!target->by_value && target->offset == 0))
		return wl_fail(err, LB_E_INVALID, LB_STEP_SEARCH, 0, NULL,
			       "lb_vlv_window: NULL argument or offset 0");
	conn = vlv->conn;
	plat_mutex_lock(&conn->lock);
	if (atomic_load(&conn->cancelled)) {
		code = wl_fail_cancelled(err, LB_STEP_SEARCH, wl_uri(conn));
		goto done;
	}
	if (!vlv->emulate) {
		code = wl_establish(conn, err);
		if (code != LB_OK)
			goto done;
		if (conn->dse == NULL || (conn->dse->controls & (LB_CTRL_VLV | LB_CTRL_SORT)) !=
					 (LB_CTRL_VLV | LB_CTRL_SORT)) {
			vlv->emulate = true;
		} else {
			code = server_window(vlv, before, after, target, out, pos, err);
			if (code == LB_E_BUSY)      /* once more, naming the ordering rule */
				code = server_window(vlv, before, after, target, out, pos, err);
			if (code == LB_E_SERVER_DOWN) {  /* reconnect once, as every read does */
				wl_drop(conn);
				lb_error_clear(err);
				code = wl_establish(conn, err);
				if (code == LB_OK)
					code = server_window(vlv, before, after, target, out, pos, err);
			}
			if (code != LB_E_UNSUPPORTED && code != LB_E_BUSY)
				goto done;
			lb_error_clear(err);
			code = LB_OK;
			vlv->emulate = true;
		}
	}
	if (vlv->list == NULL || vlv->list_generation != conn->generation || conn->ld == NULL) {
		struct lb_search_params p;
		lb_result *list = NULL;

		lb_search_params_init(&p);
		p.base = vlv->base;
		p.scope = vlv->scope;
		p.filter = vlv->filter;
		p.attrs = (const char *const *)vlv->attrs;
		p.sort = vlv->sort;
		p.n_sort = vlv->n_sort;
		code = wl_search_locked(conn, &p, &list, err);
		if (code != LB_OK)
			goto done;
		lb_result_free(vlv->list);
		vlv->list = list;
		vlv->list_generation = conn->generation;
	}
	count = vlv->list->n;
	if (target->by_value) {
		t = find_value(vlv->list, &vlv->sort[0], target->value) + 1;
	} else if (target->content_count != 0 && target->content_count != count) {
		/* the client's offset is a fraction of its estimate of the size */
		t = (size_t)((double)target->offset * (double)count / (double)target->content_count);
		if (t == 0)
			t = 1;
	} else {
		t = target->offset;
	}
	if (t > count + 1)
		t = count + 1;
	first = t > before ? t - before : 1;
	win = wl_result_slice(vlv->list, first - 1, t + after - first + 1);
	if (win == NULL) {
		code = wl_fail(err, LB_E_NOMEM, LB_STEP_RESULT, 0, wl_uri(conn), "out of memory");
		goto done;
	}
	pos->target_pos = t;
	pos->content_count = count;
	pos->emulated = true;
	*out = win;
done:
	plat_mutex_unlock(&conn->lock);
	return code;
}
