/*
 * wl_vlv.c - lb_vlv_*() over wldap32, served from one sorted read of the
 * whole list kept by the handle (pos->emulated is true, as lb.h allows for
 * its fallback).  Wine's wldap32 crashes creating a VLV request control by
 * offset and cannot decode the sort response control, so the server-side
 * VLV of the libldap backend would need hand-encoded BER here; the copy
 * gives the same windows on Windows and under Wine.  The copy is re-read
 * after a reconnect.
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
	lb_result *list;             /* the sorted list, read on the first window */
	unsigned list_generation;    /* the link it was read on */
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
