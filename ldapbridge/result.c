/*
 * result.c - entries as plain data: copying libldap messages into lb_result,
 * the accessors, and following Active Directory ranged attributes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lb_internal.h"

#define RANGE_OPT ";range="
#define RANGE_MAX_ROUNDS 100000 /* 1500 values a round: far beyond any group */

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

static struct lb_attr *entry_add_attr(struct lb_entry *e, const char *name)
{
	struct lb_attr *a;

	if (e->n_attrs == e->cap_attrs) {
		size_t cap = e->cap_attrs ? e->cap_attrs * 2 : 8;
		a = realloc(e->attrs, cap * sizeof(*a));
		if (a == NULL)
			return NULL;
		e->attrs = a;
		e->cap_attrs = cap;
	}
	a = &e->attrs[e->n_attrs];
	memset(a, 0, sizeof(*a));
	a->name = strdup(name);
	if (a->name == NULL)
		return NULL;
	e->n_attrs++;
	return a;
}

lb_err lb__result_add_msg(LDAP *ld, lb_result *res, LDAPMessage *msg,
			  struct lb_error *err)
{
	struct lb_entry *e = calloc(1, sizeof(*e));
	BerElement *ber = NULL;
	char *dn = NULL, *name;
	lb_err code = LB_E_NOMEM;

	if (e == NULL)
		goto done;
	dn = ldap_get_dn(ld, msg);
	e->dn = strdup(dn != NULL ? dn : "");
	if (e->dn == NULL)
		goto done;
	for (name = ldap_first_attribute(ld, msg, &ber); name != NULL;
	     name = ldap_next_attribute(ld, msg, ber)) {
		struct berval **vals = ldap_get_values_len(ld, msg, name);
		struct lb_attr *a = entry_add_attr(e, name);
		lb_err r = a != NULL ? attr_add_values(a, vals) : LB_E_NOMEM;

		ldap_value_free_len(vals);
		ldap_memfree(name);
		if (r != LB_OK)
			goto done;
	}
	if (result_push(res, e) != LB_OK)
		goto done;
	e = NULL;
	code = LB_OK;
done:
	if (ber != NULL)
		ber_free(ber, 0);
	if (dn != NULL)
		ldap_memfree(dn);
	lb__entry_free(e);
	if (code != LB_OK)
		lb__fail(err, code, LB_STEP_RESULT, 0, NULL, "out of memory reading an entry");
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

/* Find ";range=low-high" in name; *opt points at ';', *more says high != '*'.
 * Sets *next to high + 1. */
static bool parse_range(const char *name, const char **opt, bool *more,
			unsigned long *next)
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
	*opt = r;
	if (dash[1] == '*') {
		*more = false;
		*next = 0;
		return true;
	}
	high = strtoul(dash + 1, &end, 10);
	if (end == dash + 1)
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

/* Fetch attr;range=next-* on dn until the server says '*'. */
static lb_err follow_one(lb_conn *conn, const char *dn, struct lb_attr *a,
			 unsigned long next, struct lb_error *err)
{
	char want[256];
	char *attrs[2] = { want, NULL };
	LDAPMessage *msg = NULL;
	bool more = true;
	int rounds = 0;
	lb_err code = LB_OK;

	while (more && rounds++ < RANGE_MAX_ROUNDS) {
		struct lb__req rq = { dn, LDAP_SCOPE_BASE, "(objectClass=*)", attrs,
				      0, conn->cfg.time_limit_s, NULL };
		bool got = false;
		int msgid, type;

		snprintf(want, sizeof(want), "%s" RANGE_OPT "%lu-*", a->name, next);
		code = lb__send(conn, &rq, &msgid, err);
		if (code != LB_OK)
			goto done;
		for (;;) {
			code = lb__wait(conn, msgid, LB_STEP_SEARCH, &msg, err);
			if (code != LB_OK)
				goto done;
			type = ldap_msgtype(msg);
			if (type == LDAP_RES_SEARCH_RESULT)
				break;
			if (type == LDAP_RES_SEARCH_ENTRY && !got) {
				BerElement *ber = NULL;
				char *name;

				for (name = ldap_first_attribute(conn->ld, msg, &ber); name != NULL;
				     name = ldap_next_attribute(conn->ld, msg, ber)) {
					const char *opt;
					size_t blen = strlen(a->name);

					if (!got && strncasecmp(name, a->name, blen) == 0 && name[blen] == ';' &&
					    parse_range(name, &opt, &more, &next)) {
						struct berval **vals =
							ldap_get_values_len(conn->ld, msg, name);
						code = attr_add_values(a, vals);
						ldap_value_free_len(vals);
						got = true;
					}
					ldap_memfree(name);
				}
				if (ber != NULL)
					ber_free(ber, 0);
				if (code != LB_OK) {
					lb__fail(err, code, LB_STEP_RESULT, 0, lb__cur_uri(conn),
						 "out of memory following ranged attribute %s", a->name);
					goto done;
				}
			}
			ldap_msgfree(msg);
			msg = NULL;
		}
		if (!got)
			more = false; /* server stopped ranging: keep what we have */
		ldap_msgfree(msg);
		msg = NULL;
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

		for (j = 0; j < e->n_attrs; j++) {
			struct lb_attr *a = &e->attrs[j];
			const char *opt;
			bool more;
			unsigned long next;

			if (!parse_range(a->name, &opt, &more, &next))
				continue;
			strip_range((char *)a->name, opt);
			if (!more)
				continue;
			if (strlen(a->name) > 200) {
				return lb__fail(err, LB_E_PROTOCOL, LB_STEP_RESULT, 0,
						lb__cur_uri(conn),
						"ranged attribute name too long in %s", e->dn);
			}
			code = follow_one(conn, e->dn, a, next, err);
			if (code != LB_OK)
				return code;
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
