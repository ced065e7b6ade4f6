/*
 * orglinks.c - a person's manager and direct reports.  See orglinks.h.
 */
#include "orglinks.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

/* Context numbers for MAPIERROR.ulContext (orglinks.c: 0x0800..). */
enum { CTX_OL_FILTER = 0x0801, CTX_OL_SEARCH, CTX_OL_MEMORY };

/* The manager and every report in one batch of searches. */
_Static_assert(1 + ABP_REPORTS_MAX <= ABP_DIR_BATCH, "one round trip");

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

/* The searches for reports never list the person itself. */
struct not_self {
	const char *self;
	size_t mgr_at;
};

static bool is_self(void *ctx, size_t search, const lb_entry *x)
{
	const struct not_self *ns = ctx;

	return search != ns->mgr_at && ns->self != NULL && lb_entry_dn(x) != NULL &&
	       same_dn(ns->self, lb_entry_dn(x));
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
	struct lb_search_params *p = NULL;
	struct abp_dir_rows rows;
	struct not_self ns;
	char **dns = NULL, *rfilter = NULL;
	size_t n_dns = 0, n_p = 0, i, cap;
	struct abp_orglinks l;
	HRESULT hr = S_OK;

	if (out != NULL)
		abp_orglinks_init(out);
	if (s == NULL || le == NULL || d == NULL || e == NULL || out == NULL)
		return MAPI_E_INVALID_PARAMETER;
	abp_orglinks_init(&l);
	memset(&rows, 0, sizeof(rows));
	ns.self = lb_entry_dn(e);
	ns.mgr_at = SIZE_MAX;                   /* the manager's search, if any */
	mgr = lb_entry_find(e, ABP_ATTR_MANAGER);
	dr = lb_entry_find(e, ABP_ATTR_DIRECT_REPORTS);

	/* The searches: the manager, then each report's DN (or one search per
	 * base for the people whose manager this entry is). */
	cap = 1 + (dr != NULL && dr->n_values > 0 ? (dr->n_values < ABP_REPORTS_MAX
	                                             ? dr->n_values : ABP_REPORTS_MAX)
	                                          : d->n_bases);
	p = calloc(cap, sizeof(*p));
	dns = calloc(cap, sizeof(*dns));
	if (p == NULL || dns == NULL) {
		hr = MAPI_E_NOT_ENOUGH_MEMORY;
		goto done;
	}

	for (i = 0; mgr != NULL && i < mgr->n_values && ns.mgr_at == SIZE_MAX && SUCCEEDED(hr);
	     i++) {
		char *dn = dn_value(d, &mgr->values[i], &hr);

		if (dn == NULL)
			continue;
		dns[n_dns++] = dn;
		abp_dir_row_search(d, dn, &p[n_p]);
		ns.mgr_at = n_p++;
	}
	if (FAILED(hr))
		goto done;
	if (dr != NULL && dr->n_values > 0) {
		for (i = 0; i < dr->n_values && n_p < cap && SUCCEEDED(hr); i++) {
			char *dn = dn_value(d, &dr->values[i], &hr);

			if (dn == NULL)
				continue;
			dns[n_dns++] = dn;
			abp_dir_row_search(d, dn, &p[n_p++]);
		}
		l.reports_partial = dr->n_values > ABP_REPORTS_MAX;
	} else if (ns.self != NULL && ns.self[0] != '\0') {
		hr = reports_filter(le, d, ns.self, &rfilter);
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

	hr = abp_dir_search_rows(s, le, d, p, n_p, is_self, &ns, CTX_OL_SEARCH, &rows);
	if (FAILED(hr))
		goto done;
	if (rows.partial)
		l.reports_partial = true;       /* the manager's is a base search */
	for (i = 0; i < rows.n; i++) {
		struct abp_props *bag = &rows.rows[i];

		if (rows.from[i] == ns.mgr_at) {
			if (l.manager != NULL)
				continue;
			l.manager = malloc(sizeof(*l.manager));
			if (l.manager == NULL) {
				hr = MAPI_E_NOT_ENOUGH_MEMORY;
				break;
			}
			*l.manager = *bag;
			abp_props_init(bag);            /* moved */
			continue;
		}
		if (l.n_reports >= ABP_REPORTS_MAX || have_report(&l, bag))
			continue;
		if (l.reports == NULL) {
			l.reports = calloc(ABP_REPORTS_MAX, sizeof(*l.reports));
			if (l.reports == NULL) {
				hr = MAPI_E_NOT_ENOUGH_MEMORY;
				break;
			}
		}
		l.reports[l.n_reports++] = *bag;
		abp_props_init(bag);                    /* moved */
	}
done:
	if (hr == MAPI_E_NOT_ENOUGH_MEMORY)
		hr = oom(le);
	abp_dir_rows_free(&rows);
	for (i = 0; dns != NULL && i < n_dns; i++)
		free(dns[i]);
	free(dns);
	free(p);
	free(rfilter);
	if (FAILED(hr)) {
		abp_orglinks_free(&l);
		return hr;
	}
	*out = l;
	return S_OK;
}
