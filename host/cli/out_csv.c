/*
 * out_csv.c - CSV (RFC 4180): a header line, CRLF line ends, fields quoted
 * when they hold a comma, quote, CR or LF, quotes doubled.
 */
#include <string.h>

#include "cli.h"

static const char *const cols[] = {
	"name", "email", "type", "title", "department", "company", "office", "phone",
	"mobile", "account", "city", "other_addresses", "entry_id",
};
#define NCOLS (sizeof(cols) / sizeof(cols[0]))

static void field(FILE *f, const char *v)
{
	v = v ? v : "";
	if (!strpbrk(v, ",\"\r\n")) {
		fputs(v, f);
		return;
	}
	fputc('"', f);
	for (; *v; v++) {
		if (*v == '"')
			fputc('"', f);
		fputc(*v, f);
	}
	fputc('"', f);
}

void out_csv_header(const struct cli_out *o)
{
	for (size_t c = 0; c < NCOLS; c++) {
		if (c)
			fputc(',', o->f);
		fputs(cols[c], o->f);
	}
	fputs("\r\n", o->f);
}

void out_csv_list(const struct cli_out *o, const struct cli_records *rs)
{
	out_csv_header(o);
	out_csv_rows(o, rs);
}

void out_csv_rows(const struct cli_out *o, const struct cli_records *rs)
{
	for (size_t i = 0; i < rs->n; i++) {
		const struct cli_record *r = &rs->v[i];
		char others[4096] = "";

		for (size_t k = 1; k < r->n_addresses; k++) {
			if (k > 1)
				strncat(others, " ", sizeof(others) - strlen(others) - 1);
			strncat(others, r->addresses[k], sizeof(others) - strlen(others) - 1);
		}
		for (size_t c = 0; c < NCOLS; c++) {
			const char *v;

			if (c)
				fputc(',', o->f);
			if (c == 0)
				v = r->name;
			else if (c == 1)
				v = r->email;
			else if (c == 2)
				v = r->kind == KIND_GROUP ? "group" : "person";
			else if (c == 11)
				v = others;
			else if (c == 12)
				v = r->entryid_hex;
			else
				v = cli_record_field(r, cols[c]);
			field(o->f, v);
		}
		fputs("\r\n", o->f);
	}
}
