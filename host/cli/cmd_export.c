/*
 * cmd_export.c - export: every entry of the directory (or of one container),
 * read page by page from the contents tables and written as each page
 * arrives, so memory does not grow with the directory.
 *
 * JSON is written as {"entries": [...], "count": N}: one entry object per
 * line inside the array (each written compact by json.c), the count at the end.
 */
#include <stdlib.h>
#include <string.h>

#include <mapi/mapitags.h>

#include "cli.h"
#include "osdep.h"
#include "cmd_common.h"
#include "json.h"

struct sink {
	struct cli_out o;
	const char *base;
	size_t written;
};

static int sink_page(void *ctx, struct cli_records *rs)
{
	struct sink *s = ctx;

	switch (s->o.fmt) {
	case FMT_VCARD:
		out_vcard_list(&s->o, rs);
		break;
	case FMT_CSV:
		out_csv_rows(&s->o, rs);
		break;
	case FMT_LDIF:
		out_ldif_records(&s->o, rs, s->base);
		break;
	default:
		for (size_t i = 0; i < rs->n; i++) {
			struct jv *e = out_json_record(&rs->v[i]);
			char *text = jv_to_string(e, false);

			jv_free(e);
			if (!text) {
				cli_errorf("out of memory writing JSON");
				return EXIT_SOFTWARE;
			}
			fprintf(s->o.f, "%s    %s", s->written + i ? ",\n" : "", text);
			free(text);
		}
		break;
	}
	s->written += rs->n;
	cli_records_free(rs);
	if (ferror(s->o.f)) {
		cli_errorf("cannot write the export");
		return EXIT_CANTCREAT;
	}
	return 0;
}

static int export_container(struct cli_book *b, LPABCONT ct, struct sink *s)
{
	struct cli_records rs = { 0 };
	LPMAPITABLE t = NULL;
	int rc = cmd_contents(ct, &t);

	if (rc == 0)
		rc = cmd_table_stream(t, 0, &rs, NULL, true, sink_page, s);
	cli_records_free(&rs);
	if (t)
		IMAPITable_Release(t);
	(void)b;
	return rc;
}

int cmd_export(struct cli_ctx *c)
{
	struct cli_book b;
	struct sink s;
	LPSRowSet conts = NULL;
	FILE *out = NULL;
	int rc;

	if (c->argc) {
		cli_errorf("export takes no arguments; see ldapab export --help");
		return EXIT_USAGE;
	}
	if (!c->format_given)
		c->out.fmt = FMT_VCARD;
	if (c->out.fmt != FMT_VCARD && c->out.fmt != FMT_CSV && c->out.fmt != FMT_LDIF &&
	    c->out.fmt != FMT_JSON) {
		cli_errorf("export writes vcard, csv, ldif or json");
		return EXIT_USAGE;
	}
	memset(&s, 0, sizeof(s));
	s.o = c->out;
	s.base = c->conf.set[K_BASE].value;
	rc = cli_book_open(&c->conf, &b);
	if (rc)
		goto done;
	if (c->output) {
		out = osdep_fopen(c->output, "wb");
		if (!out) {
			cli_errorf("cannot write %s", c->output);
			rc = EXIT_CANTCREAT;
			goto done;
		}
		s.o.f = out;
	}
	if (s.o.fmt == FMT_CSV)
		out_csv_header(&s.o);
	else if (s.o.fmt == FMT_LDIF)
		fputs("version: 1\n", s.o.f);
	else if (s.o.fmt == FMT_JSON)
		fputs("{\n  \"entries\": [\n", s.o.f);
	if (c->container) {
		LPABCONT ct = NULL;

		rc = cli_open_container(&b, c->container, &ct, NULL);
		if (rc == 0)
			rc = export_container(&b, ct, &s);
		if (ct)
			IABContainer_Release(ct);
	} else {
		conts = cli_containers(&b, true, &rc);
		for (ULONG i = 0; conts && rc == 0 && i < conts->cRows; i++) {
			const SPropValue *e = cmd_find(conts->aRow[i].cValues, conts->aRow[i].lpProps,
			                               PR_ENTRYID);
			LPUNKNOWN unk = NULL;
			ULONG type = 0;

			if (!e)
				continue;
			rc = cli_open_entry(&b, e->Value.bin.cb, e->Value.bin.lpb, &type, &unk);
			if (rc == 0)
				rc = export_container(&b, (LPABCONT)unk, &s);
			if (unk)
				IUnknown_Release(unk);
		}
	}
	if (rc == 0 && s.o.fmt == FMT_JSON)
		fprintf(s.o.f, "%s  ],\n  \"count\": %zu\n}\n", s.written ? "\n" : "", s.written);
	if (out) {
		if (fclose(out) != 0 && rc == 0) {
			cli_errorf("cannot write %s", c->output);
			rc = EXIT_CANTCREAT;
		}
		out = NULL;
	}
	if (rc == 0) {
		if (c->verbose)
			cli_errorf("exported %zu entries", s.written);
		rc = s.written ? EXIT_FOUND : EXIT_NOT_FOUND;
	}
done:
	if (out)
		fclose(out);
	host_FreeProws(conts);
	cli_book_close(&b);
	return rc;
}
