/*
 * wl_result.c - search results as plain data (lb.h): entries read from
 * wldap32 messages, the accessors, and the in-memory sort.
 *
 * Attribute names and DNs come through the UTF-16 functions and are
 * stored as UTF-8; values come through ldap_get_values_lenW() as bytes
 * (wldap32's berval length is a 32-bit ULONG on both targets).
 */
#include <stdlib.h>
#include <string.h>

#include "wl_internal.h"

lb_result *wl_result_new(void)
{
	return calloc(1, sizeof(lb_result));
}

static void entry_free(struct lb_entry *e)
{
	if (e == NULL)
		return;
	for (size_t i = 0; i < e->n_attrs; i++) {
		for (size_t j = 0; j < e->attrs[i].n_values; j++)
			free((void *)e->attrs[i].values[j].data);
		free((void *)e->attrs[i].values);
		free((void *)e->attrs[i].name);
	}
	free(e->attrs);
	free(e->dn);
	free(e);
}

void lb_result_free(lb_result *res)
{
	if (res == NULL)
		return;
	for (size_t i = 0; i < res->n; i++)
		entry_free(res->entries[i]);
	free(res->entries);
	free(res);
}

static lb_err push(lb_result *res, struct lb_entry *e)
{
	if (res->n == res->cap) {
		size_t cap = res->cap ? res->cap * 2 : 16;
		struct lb_entry **grown = realloc(res->entries, cap * sizeof(*grown));
		if (grown == NULL)
			return LB_E_NOMEM;
		res->entries = grown;
		res->cap = cap;
	}
	res->entries[res->n++] = e;
	return LB_OK;
}

static lb_err add_attr(LDAP *ld, LDAPMessage *msg, struct lb_entry *e, wchar_t *name)
{
	struct berval **vals = ldap_get_values_lenW(ld, msg, name);
	struct lb_attr *grown, *a;
	struct lb_value *v;
	size_t n = 0;

	if (vals != NULL)
		n = ldap_count_values_len(vals);
	grown = realloc(e->attrs, (e->n_attrs + 1) * sizeof(*grown));
	if (grown == NULL)
		goto oom;
	e->attrs = grown;
	a = &e->attrs[e->n_attrs];
	memset(a, 0, sizeof(*a));
	a->name = wl_utf8(name);
	v = calloc(n ? n : 1, sizeof(*v));
	if (a->name == NULL || v == NULL) {
		free((void *)a->name);
		free(v);
		goto oom;
	}
	a->values = v;
	e->n_attrs++;
	for (size_t i = 0; i < n; i++) {
		char *d = malloc((size_t)vals[i]->bv_len + 1);
		if (d == NULL)
			goto oom;
		memcpy(d, vals[i]->bv_val, vals[i]->bv_len);
		d[vals[i]->bv_len] = '\0';
		v[i].data = d;
		v[i].len = vals[i]->bv_len;
		a->n_values++;
	}
	if (vals != NULL)
		(void)ldap_value_free_len(vals);
	return LB_OK;
oom:
	if (vals != NULL)
		(void)ldap_value_free_len(vals);
	return LB_E_NOMEM;
}

lb_err wl_result_add(LDAP *ld, lb_result *res, LDAPMessage *msg)
{
	struct lb_entry *e = calloc(1, sizeof(*e));
	wchar_t *dn = NULL, *name;
	BerElement *ber = NULL;
	lb_err code = LB_OK;

	if (e == NULL)
		return LB_E_NOMEM;
	dn = ldap_get_dnW(ld, msg);
	e->dn = dn ? wl_utf8(dn) : wl_strdup("");
	if (dn != NULL)
		ldap_memfreeW(dn);
	if (e->dn == NULL) {
		code = LB_E_NOMEM;
		goto done;
	}
	for (name = ldap_first_attributeW(ld, msg, &ber); name != NULL;
	     name = ldap_next_attributeW(ld, msg, ber)) {
		if (code == LB_OK)
			code = add_attr(ld, msg, e, name);
		ldap_memfreeW(name);
	}
	if (ber != NULL)
		ber_free(ber, 0);
	if (code == LB_OK)
		code = push(res, e);
done:
	if (code != LB_OK)
		entry_free(e);
	return code;
}

size_t lb_result_count(const lb_result *res)
{
	return res ? res->n : 0;
}

const lb_entry *lb_result_entry(const lb_result *res, size_t i)
{
	return res && i < res->n ? res->entries[i] : NULL;
}

enum lb_partial lb_result_partial(const lb_result *res)
{
	return res ? res->partial : LB_PARTIAL_NONE;
}

bool lb_result_sorted(const lb_result *res)
{
	return res ? res->sorted : false;
}

const char *lb_entry_dn(const lb_entry *e)
{
	return e ? e->dn : NULL;
}

size_t lb_entry_attr_count(const lb_entry *e)
{
	return e ? e->n_attrs : 0;
}

const struct lb_attr *lb_entry_attr(const lb_entry *e, size_t i)
{
	return e && i < e->n_attrs ? &e->attrs[i] : NULL;
}

const struct lb_attr *lb_entry_find(const lb_entry *e, const char *name)
{
	if (e == NULL || name == NULL)
		return NULL;
	for (size_t i = 0; i < e->n_attrs; i++)
		if (_stricmp(e->attrs[i].name, name) == 0)
			return &e->attrs[i];
	return NULL;
}

const struct lb_value *lb_entry_value(const lb_entry *e, const char *name)
{
	const struct lb_attr *a = lb_entry_find(e, name);

	return a && a->n_values > 0 ? &a->values[0] : NULL;
}

/* In-memory sort by the keys (ASCII case-insensitive byte order, as
 * caseIgnoreOrderingMatch orders ASCII; an entry without the attribute
 * sorts last), stable. */
struct sort_ctx {
	const struct lb_sort_key *keys;
	size_t n;
};

static int compare_values(const struct lb_value *a, const struct lb_value *b)
{
	size_t n;
	int c;

	if (a == NULL || b == NULL)
		return (a == NULL) - (b == NULL);
	n = a->len < b->len ? a->len : b->len;
	c = _strnicmp(a->data, b->data, n);
	if (c != 0)
		return c;
	return (a->len > b->len) - (a->len < b->len);
}

static int compare_entries(const struct sort_ctx *ctx, const struct lb_entry *a,
			   const struct lb_entry *b)
{
	for (size_t k = 0; k < ctx->n; k++) {
		int c = compare_values(lb_entry_value(a, ctx->keys[k].attr),
				       lb_entry_value(b, ctx->keys[k].attr));
		if (c != 0)
			return ctx->keys[k].reverse ? -c : c;
	}
	return 0;
}

static void merge_sort(const struct sort_ctx *ctx, struct lb_entry **v, struct lb_entry **tmp,
		       size_t n)
{
	size_t half = n / 2, i = 0, j = half, k = 0;

	if (n < 2)
		return;
	merge_sort(ctx, v, tmp, half);
	merge_sort(ctx, v + half, tmp, n - half);
	while (i < half && j < n)
		tmp[k++] = compare_entries(ctx, v[j], v[i]) < 0 ? v[j++] : v[i++];
	while (i < half)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, n * sizeof(*v));
}

/* Stable merge sort; returns LB_E_NOMEM (order untouched) without memory. */
lb_err wl_result_sort(lb_result *res, const struct lb_sort_key *keys, size_t n)
{
	struct sort_ctx ctx = { keys, n };
	struct lb_entry **tmp;

	if (res->n < 2) {
		res->sorted = true;
		return LB_OK;
	}
	tmp = malloc(res->n * sizeof(*tmp));
	if (tmp == NULL)
		return LB_E_NOMEM;
	merge_sort(&ctx, res->entries, tmp, res->n);
	free(tmp);
	res->sorted = true;
	return LB_OK;
}

static struct lb_entry *entry_dup(const struct lb_entry *src)
{
	struct lb_entry *e = calloc(1, sizeof(*e));

	if (e == NULL)
		return NULL;
	e->dn = wl_strdup(src->dn);
	e->attrs = calloc(src->n_attrs ? src->n_attrs : 1, sizeof(*e->attrs));
	if (e->dn == NULL || e->attrs == NULL)
		goto fail;
	for (size_t i = 0; i < src->n_attrs; i++) {
		const struct lb_attr *sa = &src->attrs[i];
		struct lb_attr *a = &e->attrs[i];
		struct lb_value *v = calloc(sa->n_values ? sa->n_values : 1, sizeof(*v));

		a->name = wl_strdup(sa->name);
		a->values = v;
		e->n_attrs++;
		if (a->name == NULL || v == NULL)
			goto fail;
		for (size_t j = 0; j < sa->n_values; j++) {
			char *d = malloc(sa->values[j].len + 1);
			if (d == NULL)
				goto fail;
			memcpy(d, sa->values[j].data, sa->values[j].len + 1);
			v[j].data = d;
			v[j].len = sa->values[j].len;
			a->n_values++;
		}
	}
	return e;
fail:
	entry_free(e);
	return NULL;
}

lb_result *wl_result_slice(const lb_result *src, size_t from, size_t count)
{
	lb_result *res = wl_result_new();

	if (res == NULL)
		return NULL;
	res->sorted = src->sorted;
	res->partial = src->partial;
	for (size_t i = from; i < from + count && i < src->n; i++) {
		struct lb_entry *e = entry_dup(src->entries[i]);
		if (e == NULL || push(res, e) != LB_OK) {
			entry_free(e);
			lb_result_free(res);
			return NULL;
		}
	}
	return res;
}
