/*
 * table_vlv.c - a row source that is a window over the directory sorted by
 * the server (VLV over server-side sort, TB-19): the row count is the
 * server's content count, positions are VLV offsets, a type-down jump is a
 * VLV request by assertion value (CT-8d).  Only the rows of the last window
 * are held, so memory does not grow with the directory.
 *
 * A read of fewer than ABP_VLV_READ_AHEAD / 2 rows fetches
 * ABP_VLV_READ_AHEAD rows in the direction of travel, so one-row scrolling
 * costs one request per read-ahead; larger reads fetch what was asked.  The
 * server's context (lb_vlv) is kept between windows.
 *
 * The lb_vlv handle lives as long as the table.  A table released after
 * Logoff closes it after the session closed the connection, as lb.h allows
 * (lb_vlv_close() never touches the connection; test_lb_slapd holds it to
 * that, test_table_slapd releases a VLV table after Logoff).
 */
#include <stdlib.h>
#include <string.h>

#include "directory.h"
#include "table.h"

enum { CTX_VLV_WINDOW = 0x0721, CTX_VLV_BAG };

struct vlv_src {
	struct abp_tsrc base;           /* first */
	char *dn;                       /* search base, NULL: the connection's default */
	char *filter;
	char *sort_attr;
	lb_vlv *vlv;                    /* NULL until the first window */
	bool count_known;
	size_t count;
	bool partial;                   /* an emulated window was cut short */
	size_t cache_start;             /* view position of cache[0] */
	struct abp_props *cache;
	size_t ncache;
};

static struct vlv_src *vlv_of(struct abp_tsrc *src)
{
	return ABP_CONTAINING_RECORD(src, struct vlv_src, base);
}

static void cache_drop(struct vlv_src *v)
{
	size_t i;

	for (i = 0; i < v->ncache; i++)
		abp_props_free(&v->cache[i]);
	free(v->cache);
	v->cache = NULL;
	v->ncache = 0;
	v->cache_start = 0;
}

/* A bag for one window entry.  An entry the bag builder refuses (not a
 * person or group after all, an unusable DN) still holds its place: its
 * DN is its instance key and its display name the sort attribute's value. */
static HRESULT entry_bag(struct vlv_src *v, struct abp_tctx *ctx, const lb_entry *e,
                         struct abp_props *bag)
{
	const struct lb_value *name;
	const char *dn;
	HRESULT hr;

	hr = abp_dir_row(ctx->s, ctx->dir, e, bag);
	if (hr != S_FALSE)
		return hr;
	dn = lb_entry_dn(e);
	name = lb_entry_value(e, v->sort_attr);
	hr = abp_props_add_binary(bag, PR_INSTANCE_KEY, dn ? dn : "", dn ? strlen(dn) : 0);
	if (SUCCEEDED(hr) && name != NULL && name->len > 0)
		hr = abp_props_add_string(bag, PR_DISPLAY_NAME_W, name->data, name->len);
	return hr;
}

static HRESULT ensure_open(struct vlv_src *v, struct abp_tctx *ctx)
{
	struct lb_vlv_params p;
	struct lb_sort_key key;
	struct lb_error err;
	lb_err rc;

	if (v->vlv != NULL)
		return S_OK;
	if (abp_session_ending(ctx->s))
		return MAPI_E_INVALID_OBJECT;
	lb_vlv_params_init(&p);
	p.base = v->dn;
	p.scope = LB_SCOPE_SUB;
	p.filter = v->filter;
	p.attrs = ctx->dir->attrs;
	key.attr = v->sort_attr;
	key.ordering_rule = "2.5.13.3";         /* caseIgnoreOrderingMatch */
	key.reverse = v->base.descending;
	p.sort = &key;
	p.n_sort = 1;
	lb_error_clear(&err);
	rc = lb_vlv_open(ctx->dir->conn, &p, &v->vlv, &err);
	if (rc == LB_E_NOMEM)
		return MAPI_E_NOT_ENOUGH_MEMORY;
	return rc == LB_OK ? S_OK : abp_lasterr_set_lb(ctx->le, &err, CTX_VLV_WINDOW);
}

/* One VLV request; the window replaces the cache. */
static HRESULT window(struct vlv_src *v, struct abp_tctx *ctx, const struct lb_vlv_target *tg,
                      size_t before, size_t after)
{
	struct abp_props *bags = NULL;
	struct lb_vlv_pos pos;
	struct lb_error err;
	lb_result *res = NULL;
	size_t i, k, tpos, start;
	HRESULT hr;
	lb_err rc;

	hr = ensure_open(v, ctx);
	if (FAILED(hr))
		return hr;
	if (abp_session_ending(ctx->s))
		return MAPI_E_INVALID_OBJECT;
	lb_error_clear(&err);
	memset(&pos, 0, sizeof(pos));
	rc = lb_vlv_window(v->vlv, before, after, tg, &res, &pos, &err);
	hr = abp_tctx_lb(ctx, &err, CTX_VLV_WINDOW);
	if (rc != LB_OK)
		return FAILED(hr) ? hr : MAPI_E_CALL_FAILED;
	k = lb_result_count(res);
	if (k > 0) {
		bags = calloc(k, sizeof(*bags));
		if (bags == NULL) {
			hr = MAPI_E_NOT_ENOUGH_MEMORY;
			goto done;
		}
	}
	for (i = 0; i < k; i++) {
		hr = entry_bag(v, ctx, lb_result_entry(res, i), &bags[i]);
		if (FAILED(hr)) {
			while (i-- > 0)
				abp_props_free(&bags[i]);
			free(bags);
			bags = NULL;
			hr = abp_lasterr_set(ctx->le, hr, 0, CTX_VLV_BAG,
			                     "Out of memory reading directory entries.");
			goto done;
		}
	}
	/* target_pos is 1-based; past the end it is content_count + 1 and the
	 * window holds only the entries before it. */
	tpos = pos.target_pos == 0 ? 1 : pos.target_pos;
	start = (tpos - 1) - (before < tpos - 1 ? before : tpos - 1);
	cache_drop(v);
	v->cache = bags;
	v->ncache = k;
	v->cache_start = start;
	v->count = pos.content_count;
	if (v->cache_start + k > v->count)      /* never trust a count below what we hold */
		v->count = v->cache_start + k;
	v->count_known = true;
	if (pos.emulated && lb_result_partial(res) != LB_PARTIAL_NONE)
		v->partial = true;
	hr = S_OK;
done:
	lb_result_free(res);
	return hr;
}

static HRESULT vlv_count(struct abp_tsrc *src, struct abp_tctx *ctx, size_t *n)
{
	struct vlv_src *v = vlv_of(src);

	if (!v->count_known) {
		struct lb_vlv_target tg = { false, 1, 0, NULL };
		HRESULT hr = window(v, ctx, &tg, 0, ABP_VLV_READ_AHEAD - 1);

		if (FAILED(hr))
			return hr;
	}
	*n = v->count;
	return S_OK;
}

static bool cached(const struct vlv_src *v, size_t start, size_t n)
{
	return v->ncache > 0 && start >= v->cache_start &&
	       start + n <= v->cache_start + v->ncache;
}

static HRESULT vlv_read(struct abp_tsrc *src, struct abp_tctx *ctx, size_t start, size_t n,
                        bool backward, const struct abp_props **rows, size_t *got)
{
	struct vlv_src *v = vlv_of(src);
	size_t i, span;
	HRESULT hr;

	*got = 0;
	if (v->count_known && start >= v->count)
		return S_OK;
	if (v->count_known && n > v->count - start)
		n = v->count - start;
	if (n == 0)
		return S_OK;
	if (!cached(v, start, n)) {
		struct lb_vlv_target tg = { false, 0, 0, NULL };

		/* Small reads (scrolling a row or a few) read ahead; a window
		 * of its own size is what a list box asks for page by page. */
		span = n >= ABP_VLV_READ_AHEAD / 2 ? n : ABP_VLV_READ_AHEAD;
		if (backward) {
			tg.offset = start + n;          /* the last row wanted, 1-based */
			hr = window(v, ctx, &tg, span - 1, 0);
		} else {
			tg.offset = start + 1;
			hr = window(v, ctx, &tg, 0, span - 1);
		}
		if (FAILED(hr))
			return hr;
	}
	for (i = 0; i < n; i++) {
		size_t at = start + i;

		if (at < v->cache_start || at >= v->cache_start + v->ncache)
			break;
		rows[i] = &v->cache[at - v->cache_start];
	}
	*got = i;
	return S_OK;
}

static HRESULT vlv_seek_value(struct abp_tsrc *src, struct abp_tctx *ctx, const char *value,
                              size_t *pos)
{
	struct vlv_src *v = vlv_of(src);
	struct lb_vlv_target tg = { true, 0, 0, value };
	HRESULT hr;

	hr = window(v, ctx, &tg, 0, ABP_VLV_READ_AHEAD - 1);
	if (FAILED(hr))
		return hr;
	/* The window starts at the target (no "before" rows asked). */
	*pos = v->ncache > 0 ? v->cache_start : v->count;
	return S_OK;
}

/* The cached row whose instance key is key, else false. */
static bool cache_find(const struct vlv_src *v, const uint8_t *key, size_t len, size_t *pos)
{
	size_t i;

	for (i = 0; i < v->ncache; i++) {
		const struct abp_prop *p = abp_props_find(&v->cache[i], PR_INSTANCE_KEY);

		if (p != NULL && PROP_TYPE(p->tag) == PT_BINARY && p->v.bin.cb == len &&
		    (len == 0 || memcmp(p->v.bin.lpb, key, len) == 0)) {
			*pos = v->cache_start + i;
			return true;
		}
	}
	return false;
}

/* The sort value of the entry an instance key (a record key, EK-6) names:
 * *value malloc'd, NULL when the entry is not in this list. */
static HRESULT key_sort_value(struct vlv_src *v, struct abp_tctx *ctx, const struct abp_eid *eid,
                              char **value)
{
	const char *attrs[2] = { v->sort_attr, NULL };
	struct lb_search_params p;
	struct lb_error err;
	lb_result *res = NULL;
	const struct lb_value *sv;
	char *ftext = NULL;
	HRESULT hr;
	lb_err rc;

	*value = NULL;
	rc = abp_dir_id_filter(eid, v->filter, &ftext, &err);
	if (rc != LB_OK)
		return rc == LB_E_NOMEM ? MAPI_E_NOT_ENOUGH_MEMORY : S_FALSE;
	if (abp_session_ending(ctx->s)) {
		free(ftext);
		return MAPI_E_INVALID_OBJECT;
	}
	lb_search_params_init(&p);
	p.base = v->dn;
	p.scope = LB_SCOPE_SUB;
	p.filter = ftext;
	p.attrs = attrs;
	p.size_limit = 2;
	p.mode = LB_MODE_PLAIN;
	p.follow_ranges = false;
	rc = lb_search(ctx->dir->conn, &p, &res, &err);
	free(ftext);
	hr = abp_tctx_lb(ctx, &err, CTX_VLV_WINDOW);
	if (rc != LB_OK)
		return FAILED(hr) ? hr : MAPI_E_CALL_FAILED;
	if (lb_result_count(res) == 1 &&
	    (sv = lb_entry_value(lb_result_entry(res, 0), v->sort_attr)) != NULL) {
		*value = malloc(sv->len + 1);
		if (*value == NULL) {
			lb_result_free(res);
			return MAPI_E_NOT_ENOUGH_MEMORY;
		}
		memcpy(*value, sv->data, sv->len);
		(*value)[sv->len] = '\0';
	}
	hr = lb_result_count(res) == 0 && lb_result_partial(res) == LB_PARTIAL_NONE
	     ? MAPI_E_NOT_FOUND : S_OK;
	lb_result_free(res);
	return hr;
}

/* CT-8b: the cached window, else the entry's sort value, a jump to it and
 * the window there. */
static HRESULT vlv_seek_key(struct abp_tsrc *src, struct abp_tctx *ctx, const uint8_t *key,
                            size_t len, size_t *pos)
{
	struct vlv_src *v = vlv_of(src);
	struct abp_eid eid;
	char *value = NULL;
	HRESULT hr;

	if (cache_find(v, key, len, pos))
		return S_OK;
	if (v->base.descending || abp_eid_parse(key, len, ctx->s->uid.ab, &eid) != ABP_EID_OK ||
	    abp_dir_id_attr(&eid) == NULL)
		return S_FALSE;
	hr = key_sort_value(v, ctx, &eid, &value);
	if (hr != S_OK || value == NULL) {
		free(value);
		return hr == S_OK ? S_FALSE : hr;       /* MAPI_E_NOT_FOUND: not in the list */
	}
	{
		struct lb_vlv_target tg = { true, 0, 0, value };

		hr = window(v, ctx, &tg, 0, ABP_VLV_READ_AHEAD - 1);
	}
	free(value);
	if (FAILED(hr))
		return hr;
	return cache_find(v, key, len, pos) ? S_OK : S_FALSE;
}

static HRESULT vlv_sort(struct abp_tsrc *src, struct abp_tctx *ctx, enum abp_sort_order order)
{
	struct vlv_src *v = vlv_of(src);

	(void)ctx;
	/* A new sorted list: the next window opens a new context. */
	lb_vlv_close(v->vlv);
	v->vlv = NULL;
	cache_drop(v);
	v->count_known = false;
	v->partial = false;
	v->base.descending = order == ABP_SORT_DESCENDING;
	return S_OK;
}

static HRESULT vlv_restrict(struct abp_tsrc *src, struct abp_tctx *ctx, const SRestriction *res)
{
	(void)src;
	(void)res;
	return abp_lasterr_set(ctx->le, MAPI_E_TOO_COMPLEX, 0, CTX_VLV_WINDOW,
	                       "A browsing view cannot be restricted in place.");
}

static bool vlv_partial(struct abp_tsrc *src)
{
	return vlv_of(src)->partial;
}

static void vlv_destroy(struct abp_tsrc *src)
{
	struct vlv_src *v = vlv_of(src);

	lb_vlv_close(v->vlv);
	cache_drop(v);
	free(v->dn);
	free(v->filter);
	free(v->sort_attr);
	free(v);
}

static const struct abp_tsrc_ops vlv_ops = {
	vlv_count, vlv_read, vlv_seek_value, vlv_seek_key, vlv_sort, vlv_restrict, vlv_partial,
	vlv_destroy
};

static char *dup_or_null(const char *s, bool *oom)
{
	char *d;

	if (s == NULL)
		return NULL;
	d = strdup(s);
	if (d == NULL)
		*oom = true;
	return d;
}

HRESULT abp_tsrc_vlv_new(struct abp_session *s, const char *base, const char *filter,
                         const char *sort_attr, struct abp_tsrc **out)
{
	struct vlv_src *v;
	bool oom = false;

	(void)s;
	*out = NULL;
	if (sort_attr == NULL)
		return MAPI_E_INVALID_PARAMETER;
	v = calloc(1, sizeof(*v));
	if (v == NULL)
		return MAPI_E_NOT_ENOUGH_MEMORY;
	v->base.ops = &vlv_ops;
	v->base.needs_dir = true;
	v->dn = dup_or_null(base, &oom);
	v->filter = dup_or_null(filter, &oom);
	v->sort_attr = dup_or_null(sort_attr, &oom);
	if (oom) {
		vlv_destroy(&v->base);
		return MAPI_E_NOT_ENOUGH_MEMORY;
	}
	*out = &v->base;
	return S_OK;
}
