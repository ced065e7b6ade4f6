/*
 * out_vcard.c - vCard 4.0 (RFC 6350): CRLF line ends, lines folded at 75
 * octets without splitting a UTF-8 sequence, TEXT values escaped (\\ \, \;
 * \n), compound values (N, ORG, ADR) split into their components.
 */
#include <string.h>

#include "cli.h"

struct vline {
	FILE *f;
	size_t col;     /* octets on the current physical line */
};

/* Writes bytes, folding before a line would pass 75 octets. */
static void put(struct vline *l, const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t len = 1;
		unsigned char c = (unsigned char)s[i];

		if (c >= 0xF0)
			len = 4;
		else if (c >= 0xE0)
			len = 3;
		else if (c >= 0xC0)
			len = 2;
		if (i + len > n)
			len = n - i;
		if (l->col + len > 75) {
			fputs("\r\n ", l->f);
			l->col = 1;
		}
		fwrite(s + i, 1, len, l->f);
		l->col += len;
		i += len;
	}
}

static void put_s(struct vline *l, const char *s)
{
	put(l, s, strlen(s));
}

static void put_text(struct vline *l, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '\\': put_s(l, "\\\\"); break;
		case ',': put_s(l, "\\,"); break;
		case ';': put_s(l, "\\;"); break;
		case '\n': put_s(l, "\\n"); break;
		case '\t': put(l, s, 1); break;
		default:
			/* Other control characters are not VALUE-CHARs (RFC 6350 3.3). */
			if ((unsigned char)*s >= 0x20 && *s != 0x7F)
				put(l, s, 1);
			break;
		}
	}
}

static void end_line(struct vline *l)
{
	fputs("\r\n", l->f);
	l->col = 0;
}

static void prop(struct vline *l, const char *name, const char *value)
{
	if (!value || !*value)
		return;
	put_s(l, name);
	put_s(l, ":");
	put_text(l, value);
	end_line(l);
}

/* A compound value: components separated by ';', each escaped. */
static void compound(struct vline *l, const char *name, const char *const *parts, int n)
{
	int any = 0;

	for (int i = 0; i < n; i++)
		any |= parts[i] && *parts[i];
	if (!any)
		return;
	put_s(l, name);
	put_s(l, ":");
	for (int i = 0; i < n; i++) {
		if (i)
			put_s(l, ";");
		put_text(l, parts[i]);
	}
	end_line(l);
}

static void card(FILE *f, const struct cli_record *r)
{
	struct vline l = { f, 0 };
	const char *n[5] = { cli_record_field(r, "surname"), cli_record_field(r, "given_name"),
	                     NULL, NULL, NULL };
	const char *org[2] = { cli_record_field(r, "company"), cli_record_field(r, "department") };
	const char *adr[7] = { NULL, NULL, cli_record_field(r, "street"),
	                       cli_record_field(r, "city"), cli_record_field(r, "state"),
	                       cli_record_field(r, "postal_code"), cli_record_field(r, "country") };

	put_s(&l, "BEGIN:VCARD");
	end_line(&l);
	put_s(&l, "VERSION:4.0");
	end_line(&l);
	put_s(&l, r->kind == KIND_GROUP ? "KIND:group" : "KIND:individual");
	end_line(&l);
	put_s(&l, "FN:");
	put_text(&l, r->name && *r->name ? r->name : (r->email ? r->email : "?"));
	end_line(&l);
	if (r->kind != KIND_GROUP)
		compound(&l, "N", n, 5);
	for (size_t i = 0; i < r->n_addresses; i++)
		prop(&l, i == 0 ? "EMAIL;TYPE=work;PREF=1" : "EMAIL;TYPE=work", r->addresses[i]);
	prop(&l, "TITLE", cli_record_field(r, "title"));
	compound(&l, "ORG", org, org[1] ? 2 : 1);
	prop(&l, "TEL;VALUE=text;TYPE=work,voice", cli_record_field(r, "phone"));
	prop(&l, "TEL;VALUE=text;TYPE=cell", cli_record_field(r, "mobile"));
	prop(&l, "TEL;VALUE=text;TYPE=home", cli_record_field(r, "home_phone"));
	prop(&l, "TEL;VALUE=text;TYPE=work,fax", cli_record_field(r, "fax"));
	compound(&l, "ADR;TYPE=work", adr, 7);
	prop(&l, "NICKNAME", cli_record_field(r, "nickname"));
	prop(&l, "NOTE", cli_record_field(r, "description"));
	if (r->entryid_hex) {
		put_s(&l, "UID;VALUE=text:");
		put_s(&l, r->entryid_hex);
		end_line(&l);
	}
	put_s(&l, "END:VCARD");
	end_line(&l);
}

void out_vcard_list(const struct cli_out *o, const struct cli_records *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		card(o->f, &rs->v[i]);
}
