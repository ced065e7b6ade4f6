/*
 * cmd_list.c - containers and browse: walking the address book's tables
 * (hierarchy, contents).
 */
#include <stdlib.h>
#include <string.h>

#include <mapi/mapicode.h>
#include <mapi/mapitags.h>

#include "cli.h"
#include "cmd_common.h"
#include "json.h"

int cmd_containers(struct cli_ctx *c)
{
	struct cli_book b;
	struct cli_records rs = { 0 };
	LPSRowSet rows = NULL;
	struct jv *arr = NULL;
	int rc;

	if (c->argc) {
		cli_errorf("containers takes no arguments");
		return EXIT_USAGE;
	}
	rc = cli_book_open(&c->conf, &b);
	if (rc == 0)
		rows = cli_containers(&b, false, &rc);
	if (rows)
		arr = jv_array();
	for (ULONG i = 0; rows && i < rows->cRows; i++) {
		const SRow *row = &rows->aRow[i];
		const SPropValue *fl = cmd_find(row->cValues, row->lpProps, PR_CONTAINER_FLAGS);
		const SPropValue *dp = cmd_find(row->cValues, row->lpProps, PR_DEPTH);
		struct cli_record r;
		struct jv *o;

		rc = cli_record_from_props(row->cValues, row->lpProps, &r);
		if (rc)
			break;
		r.kind = KIND_OTHER;
		r.depth = dp ? (int)dp->Value.l : 0;
		o = jv_object();
		jv_set(o, "name", jv_string(r.name));
		jv_set(o, "depth", jv_int(r.depth));
		jv_set(o, "recipients", jv_bool(fl && (fl->Value.l & AB_RECIPIENTS)));
		jv_set(o, "subcontainers", jv_bool(fl && (fl->Value.l & AB_SUBCONTAINERS)));
		jv_set(o, "entry_id", r.entryid_hex ? jv_string(r.entryid_hex) : jv_null());
		jv_append(arr, o);
		rc = cli_records_push(&rs, &r);
		if (rc)
			break;
	}
	if (rc == 0) {
		if (c->out.fmt == FMT_JSON) {
			struct jv *o = jv_object();

			jv_set(o, "containers", arr);
			arr = NULL;
			rc = out_json_print(&c->out, o);
		} else if (c->out.fmt == FMT_TABLE) {
			out_table_list(&c->out, &rs);
		} else {
			for (size_t i = 0; i < rs.n; i++) {
				fprintf(c->out.f, "%*s", 2 * rs.v[i].depth, "");
				text_put(c->out.f, rs.v[i].name);
				fputc('\n', c->out.f);
			}
		}
		if (rc == 0)
			rc = rs.n ? EXIT_FOUND : EXIT_NOT_FOUND;
	}
	jv_free(arr);
	host_FreeProws(rows);
	cli_records_free(&rs);
	cli_book_close(&b);
	return rc;
}

int cmd_browse(struct cli_ctx *c)
{
	struct cli_book b;
	struct cli_records rs = { 0 };
	LPABCONT ct = NULL;
	LPMAPITABLE t = NULL;
	char *name = NULL;
	const char *want = c->container;
	WCHAR *w = NULL;
	HRESULT hr;
	int rc;

	if (c->argc > 1 || (c->argc == 1 && c->container)) {
		cli_errorf("browse takes one container; see ldapab browse --help");
		return EXIT_USAGE;
	}
	if (c->argc == 1)
		want = c->argv[0];
	rc = cli_book_open(&c->conf, &b);
	if (rc == 0)
		rc = cli_open_container(&b, want, &ct, &name);
	if (rc == 0)
		rc = cmd_contents(ct, &t);
	if (rc == 0 && c->from) {
		SPropValue v;
		SRestriction r;

		if (FAILED(host_utf8_to_utf16(c->from, &w))) {
			cli_errorf("--from is not valid UTF-8");
			rc = EXIT_DATAERR;
			goto done;
		}
		/* Type-down (CT-8 d): the first row at or after the prefix. */
		memset(&v, 0, sizeof(v));
		memset(&r, 0, sizeof(r));
		v.ulPropTag = PR_DISPLAY_NAME_W;
		v.Value.lpszW = w;
		r.rt = RES_PROPERTY;
		r.res.resProperty.relop = RELOP_GE;
		r.res.resProperty.ulPropTag = PR_DISPLAY_NAME_W;
		r.res.resProperty.lpProp = &v;
		hr = IMAPITable_FindRow(t, &r, BOOKMARK_BEGINNING, 0);
		if (hr == MAPI_E_NOT_FOUND) {
			rc = EXIT_NOT_FOUND;
			cli_errorf("no entry sorts at or after \"%s\"", c->from);
			goto done;
		}
		if (FAILED(hr)) {
			rc = cmd_table_error(t, hr, "finding the first matching row");
			goto done;
		}
	}
	if (rc == 0 && c->has_offset && c->offset) {
		LONG moved = 0;

		hr = IMAPITable_SeekRow(t, BOOKMARK_CURRENT, (LONG)c->offset, &moved);
		if (FAILED(hr)) {
			rc = cmd_table_error(t, hr, "moving in the table");
			goto done;
		}
	}
	if (rc == 0)
		rc = cmd_table_rows(t, c->has_count ? c->count : 20, &rs, NULL, false);
	if (rc == 0) {
		char header[512];

		snprintf(header, sizeof(header), "ldapab: %zu entr%s of %s", rs.n,
		         rs.n == 1 ? "y" : "ies", name ? name : "the directory");
		rc = cmd_print_list(c, NULL, header, &rs, false);
		if (rc == 0)
			rc = rs.n ? EXIT_FOUND : EXIT_NOT_FOUND;
	}
done:
	(void)host_MAPIFreeBuffer(w);
	if (t)
		IMAPITable_Release(t);
	if (ct)
		IABContainer_Release(ct);
	free(name);
	cli_records_free(&rs);
	cli_book_close(&b);
	return rc;
}
