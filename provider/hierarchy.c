/*
 * hierarchy.c - the root container's hierarchy table (CT-1, CT-6): one row
 * per configured directory container, with the properties the container
 * object has (TB-17), PR_DEPTH and an instance key.
 *
 * The containers have no subcontainers, so the table is the same with and
 * without CONVENIENT_DEPTH: every row has PR_DEPTH 0 (relative to the
 * root).  The rows keep the configuration's order.
 */
#include <stdlib.h>

#include "table.h"

HRESULT abp_hierarchy_table_new(struct abp_session *s, ULONG flags, LPMAPITABLE *out)
{
	const struct abp_config *cfg = s->cfg;
	struct abp_props *rows = NULL;
	struct abp_tsrc *src = NULL;
	size_t n = 0, i;
	HRESULT hr = S_OK;

	*out = NULL;
	if (cfg->n_containers > 0) {
		rows = calloc(cfg->n_containers, sizeof(*rows));
		if (rows == NULL)
			return MAPI_E_NOT_ENOUGH_MEMORY;
	}
	for (i = 0; i < cfg->n_containers && SUCCEEDED(hr); i++) {
		abp_props_init(&rows[n]);
		hr = abp_container_bag(s, &cfg->containers[i], &rows[n]);
		if (SUCCEEDED(hr))
			hr = abp_props_add_long(&rows[n], PR_DEPTH, 0);
		if (SUCCEEDED(hr))
			hr = abp_props_add_long(&rows[n], PR_STATUS, 0);
		if (SUCCEEDED(hr) && cfg->containers[i].base_dn != NULL &&
		    cfg->containers[i].base_dn[0] != '\0')
			hr = abp_props_add_string(&rows[n], PR_COMMENT_W, cfg->containers[i].base_dn,
			                          (size_t)-1);
		if (SUCCEEDED(hr))
			hr = abp_table_add_instance_key(&rows[n]);
		if (FAILED(hr))
			abp_props_free(&rows[n]);
		else
			n++;
	}
	if (SUCCEEDED(hr))
		hr = abp_tsrc_mem_new(rows, n, false, true, &src);
	if (FAILED(hr)) {
		for (i = 0; i < n; i++)
			abp_props_free(&rows[i]);
		free(rows);
		return hr;
	}
	return abp_table_new(s, ABP_TABLE_HIERARCHY, flags, src, out);
}

HRESULT abp_hierarchy_table_open(struct abp_propobj *o, ULONG flags, LPMAPITABLE *out)
{
	HRESULT hr = abp_table_open_begin(o, ABP_TABLE_HIERARCHY, flags, out);

	if (FAILED(hr))
		return hr;
	hr = abp_hierarchy_table_new(o->s, flags, out);
	if (FAILED(hr))
		abp_lasterr_set(&o->le, hr, 0, 0x0781, "Out of memory opening the hierarchy table.");
	abp_session_leave(o->s);
	return hr;
}
