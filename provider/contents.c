/*
 * contents.c - a directory container's contents table (CT-7, CT-8, TB-10,
 * TB-19): the people and groups under the container's base that its
 * filters admit, sorted by display name.
 *
 * The view is one of:
 *   - browsing, where the server offers VLV and server-side sort: a VLV
 *     window source (table_vlv.c) over the whole list;
 *   - the first size-limit entries (PR_LDAPAB_SIZE_LIMIT, default 100) in
 *     display-name order, where it does not (slapd without sssvlv), marked
 *     partial when the server had more - what Outlook's LDAP provider shows;
 *   - a restricted view (Restrict, TB-10): the restriction translated into
 *     one LDAP filter (restrict.h) ANDed with the container's, read up to the
 *     size limit (partial past it) and held in memory: sorted by the server
 *     in one request where it sorts, else with paged results.
 * Restrict(NULL) returns to the first kind of view.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "directory.h"
#include "restrict.h"
#include "table.h"

enum { CTX_CT_SEARCH = 0x0741, CTX_CT_FILTER, CTX_CT_MEMORY };

/* With no size limit configured, a restricted view still stops here. */
#define CONTENTS_HARD_CAP 100000

struct contents_src {
	struct abp_tsrc base;           /* first */
	struct abp_session *s;          /* borrowed: the table holds the reference */
	char *dn;                       /* search base, NULL: the connection's default */
	char *filter;                   /* the container's filter: (people or groups) and extra */
	char *sort_attr;                /* the first source of PR_DISPLAY_NAME */
	bool use_vlv;
	struct abp_tsrc *inner;         /* the current view */
	bool restricted;
};

static struct contents_src *ct_of(struct abp_tsrc *src)
{
	return ABP_CONTAINING_RECORD(src, struct contents_src, base);
}

/* Read filter's entries (paged, up to the size limit) into a sorted
 * in-memory view. */
static HRESULT search_view(struct contents_src *c, struct abp_tctx *ctx, const char *filter,
                           struct abp_tsrc **out)
{
	const struct abp_config *cfg = c->s->cfg;
	struct lb_search_params p;
	struct lb_sort_key key;
	struct lb_error err;
	struct abp_props *rows = NULL;
	lb_result *res = NULL;
	size_t n = 0, i, k, limit;
	bool partial;
	HRESULT hr;
	lb_err rc;

	*out = NULL;
	if (abp_session_ending(c->s))
		return MAPI_E_INVALID_OBJECT;
	limit = cfg->lb.size_limit > 0 ? (size_t)cfg->lb.size_limit : CONTENTS_HARD_CAP;
	lb_search_params_init(&p);
	p.base = c->dn;
	p.scope = LB_SCOPE_SUB;
	p.filter = filter;
	p.attrs = ctx->dir->attrs;
	p.size_limit = (int)limit;
	p.mode = LB_MODE_AUTO;          /* paged where offered */
	key.attr = c->sort_attr;
	key.ordering_rule = "2.5.13.3";
	key.reverse = false;
	if (ctx->dir->dse != NULL && (ctx->dir->dse->controls & LB_CTRL_SORT)) {
		/* The server sorts: the first entries by name, in one plain
		 * request (OpenLDAP's sssvlv answers a paged sorted search
		 * without the paging control, which ldapbridge would log as a
		 * misbehaving server before repeating it plain). */
		p.sort = &key;
		p.n_sort = 1;
		p.mode = LB_MODE_PLAIN;
	}
	lb_error_clear(&err);
	rc = lb_search(ctx->dir->conn, &p, &res, &err);
	hr = abp_tctx_lb(ctx, &err, CTX_CT_SEARCH);
	if (rc != LB_OK)
		return FAILED(hr) ? hr : MAPI_E_CALL_FAILED;
	k = lb_result_count(res);
	partial = lb_result_partial(res) != LB_PARTIAL_NONE;
	if (k > limit) {
		k = limit;
		partial = true;
	}
	if (k > 0 && (rows = calloc(k, sizeof(*rows))) == NULL) {
		hr = MAPI_E_NOT_ENOUGH_MEMORY;
		goto done;
	}
	for (i = 0; i < k; i++) {
		hr = abp_dir_row(c->s, ctx->dir, lb_result_entry(res, i), &rows[n]);
		if (FAILED(hr))
			goto done;
		if (hr == S_OK)
			n++;            /* S_FALSE: neither person nor group, not listed */
	}
	hr = abp_tsrc_mem_new(rows, n, partial, false, out);
	if (SUCCEEDED(hr))
		rows = NULL;
done:
	if (rows != NULL) {
		for (i = 0; i < n; i++)
			abp_props_free(&rows[i]);
		free(rows);
	}
	if (hr == MAPI_E_NOT_ENOUGH_MEMORY)
		abp_lasterr_set(ctx->le, hr, 0, CTX_CT_MEMORY,
		                "Out of memory reading directory entries.");
	lb_result_free(res);
	return hr;
}

/* The unrestricted view. */
static HRESULT browse_view(struct contents_src *c, struct abp_tctx *ctx, struct abp_tsrc **out)
{
	if (c->use_vlv)
		return abp_tsrc_vlv_new(c->s, c->dn, c->filter, c->sort_attr, out);
	return search_view(c, ctx, c->filter, out);
}

/* The view exists from the first call on (the table opens without a server
 * round trip; MAPI_DEFERRED_ERRORS is how every open behaves). */
static HRESULT ensure_view(struct contents_src *c, struct abp_tctx *ctx)
{
	HRESULT hr;

	if (c->inner != NULL)
		return S_OK;
	hr = browse_view(c, ctx, &c->inner);
	if (SUCCEEDED(hr) && c->base.descending)
		hr = c->inner->ops->sort(c->inner, ctx, ABP_SORT_DESCENDING);
	if (SUCCEEDED(hr))
		c->inner->descending = c->base.descending;
	return hr;
}

static HRESULT ct_count(struct abp_tsrc *src, struct abp_tctx *ctx, size_t *n)
{
	struct contents_src *c = ct_of(src);
	HRESULT hr = ensure_view(c, ctx);

	return FAILED(hr) ? hr : c->inner->ops->count(c->inner, ctx, n);
}

static HRESULT ct_read(struct abp_tsrc *src, struct abp_tctx *ctx, size_t start, size_t n,
                       bool backward, const struct abp_props **rows, size_t *got)
{
	struct contents_src *c = ct_of(src);
	HRESULT hr = ensure_view(c, ctx);

	*got = 0;
	return FAILED(hr) ? hr : c->inner->ops->read(c->inner, ctx, start, n, backward, rows, got);
}

static HRESULT ct_seek_value(struct abp_tsrc *src, struct abp_tctx *ctx, const char *value,
                             size_t *pos)
{
	struct contents_src *c = ct_of(src);
	HRESULT hr = ensure_view(c, ctx);

	if (FAILED(hr))
		return hr;
	return c->inner->ops->seek_value(c->inner, ctx, value, pos);
}

static HRESULT ct_seek_key(struct abp_tsrc *src, struct abp_tctx *ctx, const uint8_t *key,
                           size_t len, size_t *pos)
{
	struct contents_src *c = ct_of(src);
	HRESULT hr = ensure_view(c, ctx);

	if (FAILED(hr))
		return hr;
	if (c->inner->ops->seek_key == NULL)
		return S_FALSE;
	return c->inner->ops->seek_key(c->inner, ctx, key, len, pos);
}

static HRESULT ct_sort(struct abp_tsrc *src, struct abp_tctx *ctx, enum abp_sort_order order)
{
	struct contents_src *c = ct_of(src);
	HRESULT hr;

	if (order == ABP_SORT_DEFAULT)
		order = ABP_SORT_ASCENDING;
	if (c->inner != NULL) {
		hr = c->inner->ops->sort(c->inner, ctx, order);
		if (FAILED(hr))
			return hr;
		c->inner->descending = order == ABP_SORT_DESCENDING;
	}
	return S_OK;
}

static HRESULT ct_restrict(struct abp_tsrc *src, struct abp_tctx *ctx, const SRestriction *res)
{
	struct contents_src *c = ct_of(src);
	struct abp_tsrc *view = NULL;
	char *rf = NULL, *all = NULL;
	HRESULT hr;

	if (res == NULL) {
		hr = browse_view(c, ctx, &view);
	} else {
		hr = abp_restrict_to_filter(ctx->dir->map, res,
		                            abp_restrict_server_flags(ctx->dir->dse), ctx->le, &rf);
		if (FAILED(hr))
			return hr;
		all = malloc(strlen(c->filter) + strlen(rf) + 4);
		if (all == NULL) {
			free(rf);
			return abp_lasterr_set(ctx->le, MAPI_E_NOT_ENOUGH_MEMORY, 0, CTX_CT_MEMORY,
			                       "Out of memory.");
		}
		snprintf(all, strlen(c->filter) + strlen(rf) + 4, "(&%s%s)", c->filter, rf);
		free(rf);
		hr = search_view(c, ctx, all, &view);
		free(all);
	}
	if (SUCCEEDED(hr) && c->base.descending) {
		hr = view->ops->sort(view, ctx, ABP_SORT_DESCENDING);
		view->descending = true;
	}
	if (FAILED(hr)) {
		if (view != NULL)
			view->ops->destroy(view);
		return hr;                      /* TB-10: the previous view stays */
	}
	if (c->inner != NULL)
		c->inner->ops->destroy(c->inner);
	c->inner = view;
	c->restricted = res != NULL;
	return S_OK;
}

static bool ct_partial(struct abp_tsrc *src)
{
	struct contents_src *c = ct_of(src);

	return c->inner != NULL && c->inner->ops->partial(c->inner);
}

static void ct_destroy(struct abp_tsrc *src)
{
	struct contents_src *c = ct_of(src);

	if (c->inner != NULL)
		c->inner->ops->destroy(c->inner);
	free(c->dn);
	free(c->filter);
	free(c->sort_attr);
	free(c);
}

static const struct abp_tsrc_ops contents_ops = {
	ct_count, ct_read, ct_seek_value, ct_seek_key, ct_sort, ct_restrict, ct_partial, ct_destroy
};

/* The attribute the server sorts by: cn when PR_DISPLAY_NAME may come from
 * it (the defaults: displayName, else cn).  Every person and group has a
 * cn, while groups often lack displayName, and a server sorts entries
 * without the key after all others - a group list at the end of the
 * people.  Where displayName and cn differ, the rows' names are then not
 * in strict order; a map that names one attribute sorts by it. */
static const char *sort_attribute(const struct abp_attrmap_item *item)
{
	size_t i;

	if (item == NULL || item->n_src == 0)
		return "cn";
	for (i = 0; i < item->n_src; i++)
		if (item->src[i].attr != NULL && strcasecmp(item->src[i].attr, "cn") == 0)
			return "cn";
	return item->src[0].attr;
}

HRESULT abp_contents_table_new(struct abp_session *s, struct abp_lasterr *le,
                               const struct abp_container_cfg *cfg, ULONG flags,
                               LPMAPITABLE *out)
{
	const struct abp_attrmap_item *item;
	struct contents_src *c = NULL;
	struct abp_dir d;
	const char *base;
	HRESULT hr;

	*out = NULL;
	hr = abp_dir_open(s, le, &d);
	if (FAILED(hr))
		return hr;
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return abp_lasterr_set(le, MAPI_E_NOT_ENOUGH_MEMORY, 0, CTX_CT_MEMORY,
		                       "Out of memory.");
	c->base.ops = &contents_ops;
	c->base.needs_dir = true;
	c->s = s;
	base = cfg != NULL && cfg->base_dn != NULL && cfg->base_dn[0] != '\0' ? cfg->base_dn
	       : (d.n_bases > 0 ? d.bases[0] : NULL);
	item = abp_attrmap_find(d.map, PR_DISPLAY_NAME_W);
	c->dn = base != NULL ? strdup(base) : NULL;
	c->filter = abp_dir_container_filter(&d, cfg, NULL);
	c->sort_attr = strdup(sort_attribute(item));
	c->use_vlv = d.dse != NULL && (d.dse->controls & (LB_CTRL_VLV | LB_CTRL_SORT)) ==
	                                  (LB_CTRL_VLV | LB_CTRL_SORT);
	if ((base != NULL && c->dn == NULL) || c->filter == NULL || c->sort_attr == NULL) {
		ct_destroy(&c->base);
		return abp_lasterr_set(le, MAPI_E_NOT_ENOUGH_MEMORY, 0, CTX_CT_MEMORY,
		                       "Out of memory.");
	}
	hr = abp_table_new(s, ABP_TABLE_CONTENTS, flags, &c->base, out);   /* owns c */
	if (FAILED(hr))
		abp_lasterr_set(le, hr, 0, CTX_CT_MEMORY, "Out of memory.");
	return hr;
}

HRESULT abp_contents_table_open(struct abp_propobj *o, const struct abp_container_cfg *cfg,
                                ULONG flags, LPMAPITABLE *out)
{
	HRESULT hr = abp_table_open_begin(o, ABP_TABLE_CONTENTS, flags, out);

	if (FAILED(hr))
		return hr;
	hr = abp_contents_table_new(o->s, &o->le, cfg, flags, out);
	abp_session_leave(o->s);
	return hr;
}
