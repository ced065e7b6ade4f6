/*
 * result.c - entries as plain data: copying libldap messages into lb_result,
 * the accessors, and following Active Directory ranged attributes.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lb_internal.h"

#define RANGE_OPT ";range="

lb_result *lb__result_new(void)
{
	return calloc(1, sizeof(lb_result));
}

static void attr_free(struct lb_attr *a)
{
	size_t i;

	for (i = 0; i < a->n_values; i++)
		free((void *)a->values[i].data);
	free((void *)a->values);
	free((void *)a->name);
}

void lb__entry_free(struct lb_entry *e)
{
	size_t i;

	if (e == NULL)
		return;
	if (e->packed) {
		free(e); /* everything lives in this one block */
		return;
	}
	for (i = 0; i < e->n_attrs; i++)
		attr_free(&e->attrs[i]);
	free(e->attrs);
	free(e->dn);
	free(e);
}

void lb_result_free(lb_result *res)
{
	size_t i;

	if (res == NULL)
		return;
	for (i = 0; i < res->n; i++)
		lb__entry_free(res->entries[i]);
	free(res->entries);
	free(res);
}

static lb_err result_push(lb_result *res, struct lb_entry *e)
{
	if (res->n == res->cap) {
		size_t cap = res->cap ? res->cap * 2 : 16;
		struct lb_entry **n = realloc(res->entries, cap * sizeof(*n));
		if (n == NULL)
			return LB_E_NOMEM;
		res->entries = n;
		res->cap = cap;
	}
	res->entries[res->n++] = e;
	return LB_OK;
}

lb_err lb__result_append(lb_result *dst, lb_result *src)
{
	size_t i;

	for (i = 0; i < src->n; i++) {
		if (result_push(dst, src->entries[i]) != LB_OK) {
			/* entries [i, n) still belong to src */
			memmove(src->entries, src->entries + i, (src->n - i) * sizeof(*src->entries));
			src->n -= i;
			return LB_E_NOMEM;
		}
	}
	src->n = 0;
	return LB_OK;
}

/* Append bervals to attribute a, each copied with a NUL after it. */
static lb_err attr_add_values(struct lb_attr *a, struct berval **vals)
{
	size_t n = 0, i;
	struct lb_value *v;

	while (vals != NULL && vals[n] != NULL)
		n++;
	if (n == 0)
		return LB_OK;
	v = realloc((void *)a->values, (a->n_values + n) * sizeof(*v));
	if (v == NULL)
		return LB_E_NOMEM;
	a->values = v;
	for (i = 0; i < n; i++) {
		char *d = malloc(vals[i]->bv_len + 1);
		if (d == NULL)
			return LB_E_NOMEM;
		if (vals[i]->bv_len > 0)
			memcpy(d, vals[i]->bv_val, vals[i]->bv_len);
		d[vals[i]->bv_len] = '\0';
		v[a->n_values].data = d;
		v[a->n_values].len = vals[i]->bv_len;
		a->n_values++;
	}
	return LB_OK;
}

/* One attribute as ldap_get_attribute_ber() hands it over: the type and the
 * values point into the message's BER buffer; only the array is ours. */
struct raw_attr {
	struct berval name;
	struct berval *vals;    /* ends with bv_val == NULL; NULL: no values */
	size_t n_vals;
};

#define RAW_INLINE 32 /* attributes read without a heap scratch array */

/* The packed layout puts the arrays right after struct lb_entry. */
_Static_assert(sizeof(struct lb_entry) % _Alignof(struct lb_attr) == 0 &&
		       sizeof(struct lb_attr) % _Alignof(struct lb_value) == 0 &&
		       _Alignof(struct lb_entry) >= _Alignof(struct lb_attr),
	       "packed entry layout needs no padding");

static bool size_add(size_t *total, size_t n)
{
	if (n > SIZE_MAX - *total)
		return false;
	*total += n;
	return true;
}

/* Copy len bytes and a NUL to *p, advance *p; returns the copy. */
static char *put_str(char **p, const char *src, size_t len)
{
	char *d = *p;

	if (len > 0)
		memcpy(d, src, len);
	d[len] = '\0';
	*p = d + len + 1;
	return d;
}

/* Reads the entry in one pass over its BER (libldap's get_values would
 * rescan the entry per attribute and copy every value twice) and copies
 * it into a single allocation: struct lb_entry, the lb_attr array, the
 * lb_value arrays, then the DN, names and values, each with a NUL. */
lb_err lb__result_add_msg(LDAP *ld, lb_result *res, LDAPMessage *msg,
			  struct lb_error *err)
{
	struct raw_attr inline_raw[RAW_INLINE], *raw = inline_raw;
	size_t n_raw = 0, cap_raw = RAW_INLINE, n_vals = 0, bytes, i, j;
	BerElement *ber = NULL;
	struct berval dn = { 0, NULL };
	struct lb_entry *e = NULL;
	struct lb_attr *attrs;
	struct lb_value *values;
	char *p;
	lb_err code = LB_E_NOMEM;
	int rc;

	rc = ldap_get_dn_ber(ld, msg, &ber, &dn);
	if (rc != LDAP_SUCCESS)
		goto decode;
	for (;;) {
		struct berval name = { 0, NULL }, *vals = NULL;
		size_t n = 0;

		rc = ldap_get_attribute_ber(ld, msg, ber, &name, &vals);
		if (rc != LDAP_SUCCESS)
			goto decode;
		if (name.bv_val == NULL)
			break; /* no more attributes */
		while (vals != NULL && vals[n].bv_val != NULL)
			n++;
		if (n_raw == cap_raw) {
			struct raw_attr *grown;

			if (cap_raw > SIZE_MAX / 2 / sizeof(*raw)) {
				ber_memfree(vals);
				goto done;
			}
			grown = raw == inline_raw ? malloc(2 * cap_raw * sizeof(*raw)) :
				realloc(raw, 2 * cap_raw * sizeof(*raw));
			if (grown == NULL) {
				ber_memfree(vals);
				goto done;
			}
			if (raw == inline_raw)
				memcpy(grown, inline_raw, sizeof(inline_raw));
			raw = grown;
			cap_raw *= 2;
		}
		raw[n_raw].name = name;
		raw[n_raw].vals = vals;
		raw[n_raw].n_vals = n;
		n_raw++;
		n_vals += n;
	}

	/* Sizes: the fixed part first (pointer-aligned structs only), then
	 * the bytes.  Everything counted comes from one received message,
	 * but the sums are checked anyway. */
	bytes = sizeof(*e);
	if (n_raw > SIZE_MAX / sizeof(*attrs) || n_vals > SIZE_MAX / sizeof(*values) ||
	    !size_add(&bytes, n_raw * sizeof(*attrs)) ||
	    !size_add(&bytes, n_vals * sizeof(*values)) || !size_add(&bytes, dn.bv_len) ||
	    !size_add(&bytes, 1))
		goto done;
	for (i = 0; i < n_raw; i++) {
		if (!size_add(&bytes, raw[i].name.bv_len) || !size_add(&bytes, 1))
			goto done;
		for (j = 0; j < raw[i].n_vals; j++)
			if (!size_add(&bytes, raw[i].vals[j].bv_len) || !size_add(&bytes, 1))
				goto done;
	}
	e = malloc(bytes);
	if (e == NULL)
		goto done;
	attrs = (struct lb_attr *)(e + 1);
	values = (struct lb_value *)(attrs + n_raw);
	p = (char *)(values + n_vals);
	e->dn = put_str(&p, dn.bv_val, dn.bv_len);
	e->n_attrs = e->cap_attrs = n_raw;
	e->attrs = n_raw > 0 ? attrs : NULL;
	e->packed = true;
	e->has_options = false;
	for (i = 0; i < n_raw; i++) {
		struct lb_attr *a = &attrs[i];

		if (memchr(raw[i].name.bv_val, ';', raw[i].name.bv_len) != NULL)
			e->has_options = true;
		a->name = put_str(&p, raw[i].name.bv_val, raw[i].name.bv_len);
		a->n_values = raw[i].n_vals;
		a->values = raw[i].n_vals > 0 ? values : NULL;
		for (j = 0; j < raw[i].n_vals; j++) {
			values->len = raw[i].vals[j].bv_len;
			values->data = put_str(&p, raw[i].vals[j].bv_val, raw[i].vals[j].bv_len);
			values++;
		}
	}
	if (result_push(res, e) != LB_OK)
		goto done;
	e = NULL;
	code = LB_OK;
	goto done;
decode:
	code = rc == LDAP_NO_MEMORY ? LB_E_NOMEM : LB_E_PROTOCOL;
done:
	for (i = 0; i < n_raw; i++)
		ber_memfree(raw[i].vals);
	if (raw != inline_raw)
		free(raw);
	if (ber != NULL)
		ber_free(ber, 0);
	free(e);
	if (code == LB_E_NOMEM)
		lb__fail(err, code, LB_STEP_RESULT, 0, NULL, "out of memory reading an entry");
	else if (code != LB_OK)
		lb__fail(err, code, LB_STEP_RESULT, rc, NULL,
			 "cannot decode an entry from the server: %s", ldap_err2string(rc));
	return code;
}

/* ------------------------------------------------------------------------ */
/* Accessors                                                                */
/* ------------------------------------------------------------------------ */

size_t lb_result_count(const lb_result *res)
{
	return res != NULL ? res->n : 0;
}

const lb_entry *lb_result_entry(const lb_result *res, size_t i)
{
	return res != NULL && i < res->n ? res->entries[i] : NULL;
}

enum lb_partial lb_result_partial(const lb_result *res)
{
	return res != NULL ? res->partial : LB_PARTIAL_NONE;
}

bool lb_result_sorted(const lb_result *res)
{
	return res != NULL && res->sorted;
}

const char *lb_entry_dn(const lb_entry *e)
{
	return e != NULL ? e->dn : NULL;
}

size_t lb_entry_attr_count(const lb_entry *e)
{
	return e != NULL ? e->n_attrs : 0;
}

const struct lb_attr *lb_entry_attr(const lb_entry *e, size_t i)
{
	return e != NULL && i < e->n_attrs ? &e->attrs[i] : NULL;
}

const struct lb_attr *lb_entry_find(const lb_entry *e, const char *name)
{
	size_t i;

	if (e == NULL || name == NULL)
		return NULL;
	for (i = 0; i < e->n_attrs; i++)
		if (strcasecmp(e->attrs[i].name, name) == 0)
			return &e->attrs[i];
	return NULL;
}

const struct lb_value *lb_entry_value(const lb_entry *e, const char *name)
{
	const struct lb_attr *a = lb_entry_find(e, name);

	return a != NULL && a->n_values > 0 ? &a->values[0] : NULL;
}

/* ------------------------------------------------------------------------ */
/* AD ranged attributes                                                     */
/* ------------------------------------------------------------------------ */

lb_err lb__collect(lb_conn *conn, int msgid, lb_result *res, lb__entry_fn on_entry,
		   void *ctx, LDAPMessage **done, struct lb_error *err)
{
	LDAPMessage *msg = NULL;
	lb_err code;

	*done = NULL;
	for (;;) {
		int type;

		code = lb__wait(conn, msgid, LB_STEP_SEARCH, &msg, err);
		if (code != LB_OK)
			return code;
		type = ldap_msgtype(msg);
		if (type == LDAP_RES_SEARCH_RESULT)
			break;
		if (type == LDAP_RES_SEARCH_ENTRY) {
			if (on_entry != NULL)
				code = on_entry(conn, msg, ctx, err);
			else if (res != NULL)
				code = lb__result_add_msg(conn->ld, res, msg, err);
			if (code != LB_OK) {
				/* The rest of the answer is not wanted any more. */
				ldap_msgfree(msg);
				(void)ldap_abandon_ext(conn->ld, msgid, NULL, NULL);
				return code;
			}
		}
		/* references are skipped: chasing is the server's business */
		ldap_msgfree(msg);
		msg = NULL;
	}
	*done = msg;
	return LB_OK;
}

/* ------------------------------------------------------------------------ */
/* AD ranged attributes                                                     */
/* ------------------------------------------------------------------------ */

/* Find ";range=low-high" in name; *opt points at ';', *more says high != '*'.
 * Sets *low and *next (high + 1).  A high of ULONG_MAX (or beyond) is not a
 * range: high + 1 would wrap. */
static bool parse_range(const char *name, const char **opt, bool *more,
			unsigned long *low, unsigned long *next)
{
	const char *p = name, *r = NULL, *dash;
	char *end;
	unsigned long high;

	for (; (p = strchr(p, ';')) != NULL; p++)
		if (strncasecmp(p, RANGE_OPT, strlen(RANGE_OPT)) == 0) {
			r = p;
			break;
		}
	if (r == NULL)
		return false;
	dash = strchr(r + strlen(RANGE_OPT), '-');
	if (dash == NULL)
		return false;
	*low = strtoul(r + strlen(RANGE_OPT), &end, 10);
	if (end != dash)
		return false;
	*opt = r;
	if (dash[1] == '*') {
		*more = false;
		*next = 0;
		return true;
	}
	errno = 0;
	high = strtoul(dash + 1, &end, 10);
	if (end == dash + 1 || high == ULONG_MAX || errno == ERANGE || high < *low)
		return false;
	*more = true;
	*next = high + 1;
	return true;
}

/* Remove the range option from the attribute name in place. */
static void strip_range(char *name, const char *opt)
{
	char *o = name + (opt - name);
	char *rest = strchr(o + 1, ';');

	if (rest == NULL)
		*o = '\0';
	else
		memmove(o, rest, strlen(rest) + 1);
}

/* One round of follow_one(): the entry's "<attr>;range=..." values. */
struct range_round {
	struct lb_attr *a;
	unsigned long want;  /* the low end asked for */
	unsigned long next;  /* where the next round starts */
	bool more;           /* the server has more after this */
	bool got;            /* a ranged value set came */
	bool stalled;        /* the server did not move forward */
};

static lb_err range_entry(lb_conn *conn, LDAPMessage *msg, void *ctx,
			  struct lb_error *err)
{
	struct range_round *r = ctx;
	struct lb_attr *a = r->a;
	size_t blen = strlen(a->name);
	BerElement *ber = NULL;
	char *name;
	lb_err code = LB_OK;

	if (r->got || r->stalled)
		return LB_OK; /* one entry per base search */
	for (name = ldap_first_attribute(conn->ld, msg, &ber); name != NULL;
	     name = ldap_next_attribute(conn->ld, msg, ber)) {
		const char *opt;
		unsigned long low, next;
		bool more;

		if (code == LB_OK && !r->got && !r->stalled &&
		    strncasecmp(name, a->name, blen) == 0 && name[blen] == ';' &&
		    parse_range(name, &opt, &more, &low, &next)) {
			struct berval **vals = ldap_get_values_len(conn->ld, msg, name);

			if (low != r->want || (more && next <= r->want) || vals == NULL ||
			    vals[0] == NULL) {
				/* Not the range asked for, not advancing, or empty: a
				 * server answering the same range forever must not make
				 * us loop; keep what we have. */
				r->stalled = true;
			} else {
				code = attr_add_values(a, vals);
				r->got = true;
				r->more = more;
				r->next = next;
			}
			ldap_value_free_len(vals);
		}
		ldap_memfree(name);
	}
	if (ber != NULL)
		ber_free(ber, 0);
	if (code != LB_OK)
		return lb__fail(err, code, LB_STEP_RESULT, 0, lb__cur_uri(conn),
				"out of memory following ranged attribute %s", a->name);
	return LB_OK;
}

/* Fetch attr;range=next-* on dn until the server says '*'.  *cut: stopped
 * before the end (server stalled, or the value cap). */
static lb_err follow_one(lb_conn *conn, const char *dn, struct lb_attr *a,
			 unsigned long next, bool *cut, struct lb_error *err)
{
	char want[256];
	char *attrs[2] = { want, NULL };
	LDAPMessage *msg = NULL;
	bool more = true;
	lb_err code = LB_OK;

	*cut = false;
	while (more) {
		struct lb__req rq = { dn, LDAP_SCOPE_BASE, "(objectClass=*)", attrs,
				      0, conn->cfg.time_limit_s, NULL };
		struct range_round r;
		int msgid;

		if (a->n_values >= LB__RANGE_MAX_VALUES) {
			lb__log(conn, LB_LOG_WARNING,
				"%s: ranged attribute %s stopped at %zu values (the cap)", dn,
				a->name, a->n_values);
			*cut = true;
			break;
		}
		memset(&r, 0, sizeof(r));
		r.a = a;
		r.want = next;
		snprintf(want, sizeof(want), "%s" RANGE_OPT "%lu-*", a->name, next);
		code = lb__send(conn, &rq, &msgid, err);
		if (code != LB_OK)
			goto done;
		code = lb__collect(conn, msgid, NULL, range_entry, &r, &msg, err);
		if (code != LB_OK)
			goto done;
		ldap_msgfree(msg);
		msg = NULL;
		if (r.stalled) {
			lb__log(conn, LB_LOG_WARNING,
				"%s: server did not advance ranged attribute %s past %lu",
				dn, a->name, next);
			*cut = true;
			break;
		}
		/* No ranged values at all: the server stopped ranging. */
		more = r.got && r.more;
		next = r.next;
	}
done:
	if (msg != NULL)
		ldap_msgfree(msg);
	return code;
}

lb_err lb__follow_ranges(lb_conn *conn, lb_result *res, struct lb_error *err)
{
	size_t i, j;
	lb_err code = LB_OK;

	for (i = 0; i < res->n; i++) {
		struct lb_entry *e = res->entries[i];

		if (e->packed && !e->has_options)
			continue; /* seen while reading it: no ranged attribute */
		for (j = 0; j < e->n_attrs; j++) {
			struct lb_attr *a = &e->attrs[j];
			const char *opt;
			bool more, cut = false;
			unsigned long low, next;

			if (!parse_range(a->name, &opt, &more, &low, &next))
				continue;
			strip_range((char *)a->name, opt);
			if (!more)
				continue;
			if (strlen(a->name) > 200) {
				return lb__fail(err, LB_E_PROTOCOL, LB_STEP_RESULT, 0,
						lb__cur_uri(conn),
						"ranged attribute name too long in %s", e->dn);
			}
			if (e->packed) {
				/* Values get appended: swap in a copy that can grow. */
				struct lb_entry *u = lb__entry_dup(e);

				if (u == NULL)
					return lb__fail(err, LB_E_NOMEM, LB_STEP_RESULT, 0,
							lb__cur_uri(conn), "out of memory");
				lb__entry_free(e);
				res->entries[i] = e = u;
				a = &e->attrs[j];
			}
			code = follow_one(conn, e->dn, a, next, &cut, err);
			if (code != LB_OK)
				return code;
			if (cut && res->partial == LB_PARTIAL_NONE)
				res->partial = LB_PARTIAL_ADMINLIMIT;
		}
	}
	return code;
}

struct lb_entry *lb__entry_dup(const struct lb_entry *e)
{
	struct lb_entry *d = calloc(1, sizeof(*d));
	size_t i, j;

	if (d == NULL)
		return NULL;
	d->dn = strdup(e->dn);
	d->attrs = calloc(e->n_attrs ? e->n_attrs : 1, sizeof(*d->attrs));
	if (d->dn == NULL || d->attrs == NULL)
		goto fail;
	d->cap_attrs = e->n_attrs;
	for (i = 0; i < e->n_attrs; i++) {
		const struct lb_attr *a = &e->attrs[i];
		struct lb_attr *b = &d->attrs[i];
		struct lb_value *v;

		b->name = strdup(a->name);
		v = calloc(a->n_values ? a->n_values : 1, sizeof(*v));
		b->values = v;
		d->n_attrs++;
		if (b->name == NULL || v == NULL)
			goto fail;
		for (j = 0; j < a->n_values; j++) {
			char *data = malloc(a->values[j].len + 1);
			if (data == NULL)
				goto fail;
			memcpy(data, a->values[j].data, a->values[j].len + 1);
			v[j].data = data;
			v[j].len = a->values[j].len;
			b->n_values++;
		}
	}
	return d;
fail:
	lb__entry_free(d);
	return NULL;
}

lb_err lb__result_push(lb_result *res, struct lb_entry *e)
{
	return result_push(res, e);
}
