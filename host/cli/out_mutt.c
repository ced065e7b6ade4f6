/*
 * out_mutt.c - the mutt and aerc formats.
 *
 * mutt/neomutt query_command: one free-text line, then one line per address,
 * "address<TAB>name<TAB>other".  aerc address-book-cmd: the same lines
 * without the first.  Every address of a person gets its line; the third
 * field says which ("primary" or "alias") and what the person is (title,
 * department).  Tabs, newlines and other control characters inside values
 * become spaces, so a value can never forge a field or a line.
 */
#include <string.h>

#include "cli.h"

static void put_clean(FILE *f, const char *s)
{
	for (; s && *s; s++)
		fputc(((unsigned char)*s < 0x20 || *s == 0x7F) ? ' ' : *s, f);
}

void out_mutt_list(const struct cli_out *o, const char *header, const struct cli_records *rs)
{
	if (o->fmt == FMT_MUTT) {
		put_clean(o->f, header ? header : "");
		fputc('\n', o->f);
	}
	for (size_t i = 0; i < rs->n; i++) {
		const struct cli_record *r = &rs->v[i];
		const char *title = cli_record_field(r, "title");
		const char *dept = cli_record_field(r, "department");

		for (size_t k = 0; k < r->n_addresses; k++) {
			put_clean(o->f, r->addresses[k]);
			fputc('\t', o->f);
			put_clean(o->f, r->name);
			if (o->fmt == FMT_MUTT) {
				fputc('\t', o->f);
				fputs(r->kind == KIND_GROUP ? "group" : k == 0 ? "primary" : "alias", o->f);
				if (title) {
					fputs(", ", o->f);
					put_clean(o->f, title);
				}
				if (dept) {
					fputs(", ", o->f);
					put_clean(o->f, dept);
				}
			}
			fputc('\n', o->f);
		}
	}
}
