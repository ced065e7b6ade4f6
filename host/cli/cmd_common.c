/*
 * cmd_common.c - what the subcommands share: opening entries into records and
 * printing a list of entries in the chosen format.
 */
#include <string.h>

#include <mapi/mapitags.h>

#include "cli.h"
#include "cmd_common.h"
#include "json.h"

int cmd_load_record(struct cli_book *b, ULONG cb, const BYTE *eid, struct cli_record *r,
                    ULONG *type_out)
{
	LPUNKNOWN unk = NULL;
	LPSPropValue props = NULL;
	ULONG type = 0, n = 0;
	HRESULT hr;
	int rc = cli_open_entry(b, cb, eid, &type, &unk);

	if (rc)
		return rc;
	hr = IMAPIProp_GetProps((LPMAPIPROP)unk, NULL, MAPI_UNICODE, &n, &props);
	if (FAILED(hr)) {
		LPMAPIERROR e = NULL;

		if (FAILED(IMAPIProp_GetLastError((LPMAPIPROP)unk, hr, 0, &e)))
			e = NULL;
		rc = cli_fail(hr, "reading the entry", e ? (const char *)e->lpszError : NULL);
		(void)host_MAPIFreeBuffer(e);
	} else {
		rc = cli_record_from_props(n, props, r);
	}
	(void)host_MAPIFreeBuffer(props);
	IUnknown_Release(unk);
	if (type_out)
		*type_out = type;
	return rc;
}

const SPropValue *cmd_find(ULONG n, const SPropValue *v, ULONG tag)
{
	for (ULONG i = 0; v && i < n; i++)
		if (v[i].ulPropTag == tag)
			return &v[i];
	return NULL;
}

int cmd_print_list(struct cli_ctx *c, const char *query, const char *header,
                   const struct cli_records *rs, bool truncated)
{
	switch (c->out.fmt) {
	case FMT_TABLE:
		if (rs->n)
			out_table_list(&c->out, rs);
		if (truncated)
			cli_errorf("more entries match than were shown; narrow the search");
		break;
	case FMT_JSON: {
		struct jv *o = jv_object();

		if (query)
			jv_set(o, "query", jv_string(query));
		jv_set(o, "count", jv_int((long long)rs->n));
		jv_set(o, "truncated", jv_bool(truncated));
		jv_set(o, "entries", out_json_records(rs));
		return out_json_print(&c->out, o);
	}
	case FMT_MUTT:
	case FMT_AERC:
		out_mutt_list(&c->out, header, rs);
		break;
	case FMT_VCARD:
		out_vcard_list(&c->out, rs);
		break;
	case FMT_CSV:
		out_csv_list(&c->out, rs);
		break;
	case FMT_LDIF:
		out_ldif_list(&c->out, rs, c->conf.set[K_BASE].value);
		break;
	}
	return 0;
}

int cmd_table_rows(LPMAPITABLE t, size_t max, struct cli_records *rs, bool *truncated,
                   bool progress)
{
	return cmd_table_stream(t, max, rs, truncated, progress, NULL, NULL);
}

int cmd_table_stream(LPMAPITABLE t, size_t max, struct cli_records *rs, bool *truncated,
                     bool progress, int (*page)(void *ctx, struct cli_records *rs), void *ctx)
{
	size_t total = 0, done = 0;
	ULONG count = 0;

	if (truncated)
		*truncated = false;
	if (progress && SUCCEEDED(IMAPITable_GetRowCount(t, 0, &count)))
		total = count;
	for (;;) {
		LPSRowSet rows = NULL;
		LONG want = 200;
		HRESULT hr;
		int rc;

		if (max && done >= max) {
			hr = IMAPITable_QueryRows(t, 1, 0, &rows);
			if (SUCCEEDED(hr) && rows->cRows && truncated)
				*truncated = true;
			host_FreeProws(rows);
			break;
		}
		if (max && max - done < (size_t)want)
			want = (LONG)(max - done);
		hr = IMAPITable_QueryRows(t, want, 0, &rows);
		if (FAILED(hr)) {
			LPMAPIERROR e = NULL;

			if (progress)
				cli_progress(0, 0, true);
			if (FAILED(IMAPITable_GetLastError(t, hr, 0, &e)))
				e = NULL;
			rc = cli_fail(hr, "reading the table", e ? (const char *)e->lpszError : NULL);
			(void)host_MAPIFreeBuffer(e);
			return rc;
		}
		if (rows->cRows == 0) {
			host_FreeProws(rows);
			break;
		}
		done += rows->cRows;
		rc = cli_records_add_rows(rs, rows);
		host_FreeProws(rows);
		if (rc == 0 && page)
			rc = page(ctx, rs);     /* prints and empties rs */
		if (rc) {
			if (progress)
				cli_progress(0, 0, true);
			return rc;
		}
		if (progress)
			cli_progress(done, total, false);
	}
	if (progress)
		cli_progress(done, total, true);
	return 0;
}

int cmd_table_error(LPMAPITABLE t, HRESULT hr, const char *what)
{
	LPMAPIERROR e = NULL;
	int rc;

	if (FAILED(IMAPITable_GetLastError(t, hr, 0, &e)))
		e = NULL;
	rc = cli_fail(hr, what, e ? (const char *)e->lpszError : NULL);
	(void)host_MAPIFreeBuffer(e);
	return rc;
}

int cmd_container_error(LPABCONT ct, HRESULT hr, const char *what)
{
	LPMAPIERROR e = NULL;
	int rc;

	if (FAILED(IABContainer_GetLastError(ct, hr, 0, &e)))
		e = NULL;
	rc = cli_fail(hr, what, e ? (const char *)e->lpszError : NULL);
	(void)host_MAPIFreeBuffer(e);
	return rc;
}

int cmd_contents(LPABCONT ct, LPMAPITABLE *out)
{
	HRESULT hr = IABContainer_GetContentsTable(ct, MAPI_UNICODE, out);

	if (FAILED(hr))
		return cmd_container_error(ct, hr, "opening the container's contents");
	hr = IMAPITable_SetColumns(*out, (LPSPropTagArray)cli_entry_columns(), 0);
	if (FAILED(hr)) {
		int rc = cmd_table_error(*out, hr, "choosing the columns");

		IMAPITable_Release(*out);
		*out = NULL;
		return rc;
	}
	return 0;
}
