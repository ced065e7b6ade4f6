/*
 * orglinks.c - a person's manager and direct reports.  See orglinks.h.
 */
#include "orglinks.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entryprops.h"
#include "table.h"

/* Context numbers for MAPIERROR.ulContext (orglinks.c: 0x0800..). */
enum { CTX_OL_FILTER = 0x0801, CTX_OL_SEARCH, CTX_OL_MEMORY };

void abp_orglinks_init(struct abp_orglinks *l)
{
	memset(l, 0, sizeof(*l));
}

void abp_orglinks_free(struct abp_orglinks *l)
{
	size_t i;

	if (l == NULL)
		return;
	if (l->manager != NULL) {
		abp_props_free(l->manager);
		free(l->manager);
	}
	for (i = 0; i < l->n_reports; i++)
		abp_props_free(&l->reports[i]);
	free(l->reports);
	abp_orglinks_init(l);
}

static HRESULT oom(struct abp_lasterr *le)
{
	return abp_lasterr_set(le, MAPI_E_NOT_ENOUGH_MEMORY, 0, CTX_OL_MEMORY,
	                       "Out of memory reading a person's manager and reports.");
}

/* Value v of a DN attribute as a C string inside the bases, or NULL (not a
 * string, empty, not a DN, outside).  *hr is set on allocation failure. */
static char *dn_value(const struct abp_dir *d, const struct lb_value *v, HRESULT *hr)
{
	bool inside = false;
	char *dn;

	if (v->data == NULL || v->len == 0 || memchr(v->data, '\0', v->len) != NULL)
		return NULL;
	dn = malloc(v->len + 1);
	if (dn == NULL) {
		*hr = MAPI_E_NOT_ENOUGH_MEMORY;
		return NULL;
	}
	memcpy(dn, v->data, v->len);
	dn[v->len] = '\0';
	*hr = abp_dir_in_scope(d, dn, &inside);
	if (FAILED(*hr) || !inside) {
		free(dn);
		return NULL;
	}
	return dn;
}

/* "(&<person filter>(manager=<dn>))", the value escaped (RFC 4515). */
static HRESULT reports_filter(struct abp_lasterr *le, const struct abp_dir *d, const char *dn,
                              char **out)
{
	struct lb_error err;
	lb_filter *f = NULL, *all = NULL;
	lb_err rc;

	*out = NULL;
	lb_error_clear(&err);
	rc = lb_filter_eq(ABP_ATTR_MANAGER, dn, strlen(dn), &f, &err);
	if (rc == LB_OK)
		rc = lb_filter_with_base(d->person_filter, f, &all, &err);      /* takes f */
	else
		lb_filter_free(f);
	if (rc == LB_OK)
		rc = lb_filter_render(all, out, &err);
	lb_filter_free(all);
	if (rc == LB_OK)
		return S_OK;
	/* A DN too long for a filter value: no reports can be looked up. */
	if (rc == LB_E_NOMEM)
		return oom(le);
	return S_FALSE;
}

/* Same normalised DN (false when either does not parse). */
static bool same_dn(const char *a, const char *b)
{
	char *na = NULL, *nb = NULL;
	bool same;

	if (lb_dn_normalize(a, &na, NULL) != LB_OK || lb_dn_normalize(b, &nb, NULL) != LB_OK) {
		free(na);
		return false;
	}
	same = strcmp(na, nb) == 0;
	free(na);
	free(nb);
	return same;
}

/* A person's or group's bag from e, with PR_INSTANCE_KEY.  S_FALSE: e is
 * neither (left out). */
static HRESULT entry_bag(struct abp_session *s, const struct abp_dir *d, const lb_entry *e,
                         struct abp_props *bag)
{
	enum abp_eid_type type;
	HRESULT hr;

	abp_props_init(bag);
	hr = abp_dir_bag_from_entry(d->map, &s->uid, e, &type, bag);
	if (hr == MAPI_E_NOT_FOUND)
		return S_FALSE;
	if (SUCCEEDED(hr))
		hr = abp_table_add_instance_key(bag);
	if (FAILED(hr))
		abp_props_free(bag);
	return hr;
}

/* True when bag's record key is already among the n reports. */
static bool have_report(const struct abp_orglinks *l, const struct abp_props *bag)
{
	const struct abp_prop *rk = abp_props_find(bag, PR_RECORD_KEY), *o;
	size_t i;

	for (i = 0; rk != NULL && i < l->n_reports; i++) {
		o = abp_props_find(&l->reports[i], PR_RECORD_KEY);
		if (o != NULL && o->v.bin.cb == rk->v.bin.cb &&
		    memcmp(o->v.bin.lpb, rk->v.bin.lpb, rk->v.bin.cb) == 0)
			return true;
	}
	return false;
}

HRESULT abp_orglinks_read(struct abp_session *s, struct abp_lasterr *le,
                          const struct abp_dir *d, const lb_entry *e,
                          struct abp_orglinks *out)
{
	const struct lb_attr *mgr, *dr;
	const char *self;
	struct lb_search_params *p = NULL;
	lb_result **res = NULL;
	lb_err *st = NULL;
	char **dns = NULL, *either = NULL, *rfilter = NULL;
	size_t n_dns = 0, n_p = 0, i, j, cap, flen;
	size_t mgr_at = SIZE_MAX;         /* the manager's search, if any */
	struct abp_orglinks l;
	struct lb_error err;
	HRESULT hr = S_OK;

	if (out != NULL)
		abp_orglinks_init(out);
	if (s == NULL || le == NULL || d == NULL || e == NULL || out == NULL)
		return MAPI_E_INVALID_PARAMETER;
	abp_orglinks_init(&l);
	self = lb_entry_dn(e);
	mgr = lb_entry_find(e, ABP_ATTR_MANAGER);
	dr = lb_entry_find(e, ABP_ATTR_DIRECT_REPORTS);

	/* The searches: the manager, then each report's DN (or one search per
	 * base for the people whose manager this entry is). */
	cap = 1 + (dr != NULL && dr->n_values > 0 ? (dr->n_values < ABP_REPORTS_MAX
	                                             ? dr->n_values : ABP_REPORTS_MAX)
	                                          : d->n_bases);
	p = calloc(cap, sizeof(*p));
	dns = calloc(cap, sizeof(*dns));
	res = calloc(cap, sizeof(*res));
	st = calloc(cap, sizeof(*st));
	flen = strlen(d->person_filter) + strlen(d->group_filter) + 4;
	either = malloc(flen);
	if (p == NULL || dns == NULL || res == NULL || st == NULL || either == NULL) {
		hr = oom(le);
		goto done;
	}
	snprintf(either, flen, "(|%s%s)", d->person_filter, d->group_filter);

	for (i = 0; mgr != NULL && i < mgr->n_values && mgr_at == SIZE_MAX && SUCCEEDED(hr); i++) {
		char *dn = dn_value(d, &mgr->values[i], &hr);

		if (dn == NULL)
			continue;
		dns[n_dns++] = dn;
		lb_search_params_init(&p[n_p]);
		p[n_p].base = dn;
		p[n_p].scope = LB_SCOPE_BASE;
		p[n_p].filter = either;
		p[n_p].attrs = d->attrs;
		p[n_p].size_limit = 1;
		p[n_p].mode = LB_MODE_PLAIN;
		mgr_at = n_p++;
	}
	if (FAILED(hr))
		goto done;
	if (dr != NULL && dr->n_values > 0) {
		for (i = 0; i < dr->n_values && n_p < cap && SUCCEEDED(hr); i++) {
			char *dn = dn_value(d, &dr->values[i], &hr);

			if (dn == NULL)
				continue;
			dns[n_dns++] = dn;
			lb_search_params_init(&p[n_p]);
			p[n_p].base = dn;
			p[n_p].scope = LB_SCOPE_BASE;
			p[n_p].filter = either;
			p[n_p].attrs = d->attrs;
			p[n_p].size_limit = 1;
			p[n_p].mode = LB_MODE_PLAIN;
			n_p++;
		}
		l.reports_partial = dr->n_values > ABP_REPORTS_MAX;
	} else if (self != NULL && self[0] != '\0') {
		hr = reports_filter(le, d, self, &rfilter);
		for (i = 0; hr == S_OK && i < d->n_bases && n_p < cap; i++) {
			lb_search_params_init(&p[n_p]);
			p[n_p].base = d->bases[i];
			p[n_p].scope = LB_SCOPE_SUB;
			p[n_p].filter = rfilter;
			p[n_p].attrs = d->attrs;
			p[n_p].size_limit = ABP_REPORTS_MAX;
			p[n_p].mode = LB_MODE_PLAIN;
			n_p++;
		}
		if (hr == S_FALSE)
			hr = S_OK;
	}
	if (FAILED(hr) || n_p == 0)
		goto done;

	if (abp_session_ending(s)) {
		hr = MAPI_E_INVALID_OBJECT;
		goto done;
	}
	lb_error_clear(&err);
	if (lb_search_batch(d->conn, p, n_p, res, st, &err) != LB_OK) {
		hr = abp_dir_fail(s, le, &err, CTX_OL_SEARCH);
		goto done;
	}
	abp_session_note_lb_error(s, NULL);

	for (i = 0; i < n_p && SUCCEEDED(hr); i++) {
		/* A search of its own that failed (gone, unreadable): left out. */
		if (res[i] == NULL)
			continue;
		if (i != mgr_at && lb_result_partial(res[i]) != LB_PARTIAL_NONE)
			l.reports_partial = true;
		for (j = 0; j < lb_result_count(res[i]) && SUCCEEDED(hr); j++) {
			const lb_entry *x = lb_result_entry(res[i], j);
			struct abp_props bag;

			if (i != mgr_at &&
			    (l.n_reports >= ABP_REPORTS_MAX ||
			     (self != NULL && lb_entry_dn(x) != NULL && same_dn(self, lb_entry_dn(x)))))
				continue;       /* never one's own report */
			hr = entry_bag(s, d, x, &bag);
			if (hr != S_OK) {
				if (hr == S_FALSE)
					hr = S_OK;
				continue;
			}
			if (i == mgr_at) {
				l.manager = malloc(sizeof(*l.manager));
				if (l.manager == NULL) {
					abp_props_free(&bag);
					hr = MAPI_E_NOT_ENOUGH_MEMORY;
					break;
				}
				*l.manager = bag;
				continue;
			}
			if (have_report(&l, &bag)) {
				abp_props_free(&bag);
				continue;
			}
			if (l.reports == NULL) {
				l.reports = calloc(ABP_REPORTS_MAX, sizeof(*l.reports));
				if (l.reports == NULL) {
					abp_props_free(&bag);
					hr = MAPI_E_NOT_ENOUGH_MEMORY;
					break;
				}
			}
			l.reports[l.n_reports++] = bag;
		}
	}
	if (hr == MAPI_E_NOT_ENOUGH_MEMORY)
		hr = oom(le);
done:
	for (i = 0; res != NULL && i < n_p; i++)
		lb_result_free(res[i]);
	for (i = 0; dns != NULL && i < n_dns; i++)
		free(dns[i]);
	free(dns);
	free(p);
	free(res);
	free(st);
	free(either);
	free(rfilter);
	if (FAILED(hr)) {
		abp_orglinks_free(&l);
		return hr;
	}
	*out = l;
	return S_OK;
}
