/*
 * out_table.c - the table format: a list as aligned columns fitted to the
 * terminal (the widest columns give way first, cut values end in "…"), one
 * entry as "Label  value" lines.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define NCOLS 5
#define GAP 2

static const char *const heads[NCOLS] = { "Name", "E-mail", "Title", "Department", "Phone" };

static const char *cell(const struct cli_record *r, int c)
{
	const char *v = NULL;

	switch (c) {
	case 0: return r->name;
	case 1: return r->email ? r->email : "";
	case 2: v = r->kind == KIND_GROUP ? "(group)" : cli_record_field(r, "title"); break;
	case 3: v = cli_record_field(r, "department"); break;
	case 4: v = cli_record_field(r, "phone"); break;
	}
	return v ? v : "";
}

void out_table_list(const struct cli_out *o, const struct cli_records *rs)
{
	size_t w[NCOLS], total = 0;
	int used[NCOLS];

	for (int c = 0; c < NCOLS; c++) {
		w[c] = 0;
		for (size_t i = 0; i < rs->n; i++) {
			size_t cw = text_width(cell(&rs->v[i], c)) + (c == 0 ? 2 * (size_t)rs->v[i].depth : 0);
			if (cw > w[c])
				w[c] = cw;
		}
		used[c] = w[c] > 0;
		if (used[c] && text_width(heads[c]) > w[c])
			w[c] = text_width(heads[c]);
		if (used[c])
			total += w[c] + (total ? GAP : 0);
	}
	/* Fit: the title gives way to 16 columns, then whole columns go
	 * (phone, department, title), then the e-mail and the name are cut. */
	static const struct { int col; size_t floor; bool drop; } steps[] = {
		{ 2, 16, false }, { 4, 0, true }, { 3, 0, true }, { 2, 0, true },
		{ 1, 16, false }, { 0, 12, false }, { 1, 6, false }, { 0, 6, false },
	};
	for (size_t k = 0; k < sizeof(steps) / sizeof(steps[0]); k++) {
		int col = steps[k].col;

		if (o->width <= 0 || total <= (size_t)o->width || !used[col])
			continue;
		if (steps[k].drop) {
			total -= w[col] + GAP;
			used[col] = 0;
			continue;
		}
		while (w[col] > steps[k].floor && total > (size_t)o->width) {
			w[col]--;
			total--;
		}
	}
	int last = 0;
	for (int c = 0; c < NCOLS; c++)
		if (used[c])
			last = c;
	for (int row = -2; row < (int)rs->n; row++) {
		int first = 1;

		for (int c = 0; c < NCOLS; c++) {
			if (!used[c])
				continue;
			if (!first)
				fprintf(o->f, "%*s", GAP, "");
			first = 0;
			if (row == -2) {
				if (c == last)
					fputs(heads[c], o->f);
				else
					text_fit(o->f, heads[c], w[c]);
			} else if (row == -1) {
				for (size_t k = 0; k < w[c]; k++)
					fputc('-', o->f);
			} else {
				const struct cli_record *r = &rs->v[row];
				char buf[1024];
				const char *v = cell(r, c);

				if (c == 0 && r->depth) {
					snprintf(buf, sizeof(buf), "%*s%s", 2 * r->depth, "", v);
					v = buf;
				}
				if (c == last && text_width(v) <= w[c])
					text_put(o->f, v);
				else
					text_fit(o->f, v, w[c]);
			}
		}
		fputc('\n', o->f);
	}
}

/* "Label  value": values are never cut (an entry ID must stay whole).  A
 * value of several lines (a postal address: CRLF between lines) continues
 * under itself; every other control character stays visible as U+FFFD. */
static void line(const struct cli_out *o, const char *label, const char *value)
{
	const char *p = value ? value : "";

	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *part;

		if (nl && n > 0 && p[n - 1] == '\r')
			n--;
		part = malloc(n + 1);
		if (part != NULL) {
			memcpy(part, p, n);
			part[n] = '\0';
		}
		text_fit(o->f, label, 14);
		fputs("  ", o->f);
		text_put(o->f, part ? part : "");
		fputc('\n', o->f);
		free(part);
		if (nl == NULL || nl[1] == '\0')
			break;
		p = nl + 1;
		label = "";
	}
}

void out_table_record(const struct cli_out *o, const struct cli_record *r)
{
	line(o, "Name", r->name);
	line(o, "Type", r->kind == KIND_GROUP ? "group" : r->kind == KIND_PERSON ? "person" : "other");
	if (r->email)
		line(o, "E-mail", r->email);
	for (size_t i = 1; i < r->n_addresses; i++)
		line(o, i == 1 ? "Other e-mail" : "", r->addresses[i]);
	for (size_t i = 0; i < r->n_fields; i++)
		for (size_t k = 0; k < r->fields[i].n; k++)
			line(o, k ? "" : r->fields[i].label, r->fields[i].values[k]);
	if (r->photo_len) {
		char buf[64];

		snprintf(buf, sizeof(buf), "%zu bytes (--photo FILE saves it)", r->photo_len);
		line(o, "Photo", buf);
	}
	if (r->entryid_hex)
		line(o, "Entry ID", r->entryid_hex);
}
