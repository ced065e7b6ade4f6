/*
 * out_ldif.c - LDIF (RFC 2849) of what the address book shows: one
 * inetOrgPerson (or groupOfNames-less group as an inetOrgPerson-free
 * "extensibleObject") per entry, named cn=<name>,<base>.  MAPI does not expose
 * directory DNs, so the names are built, not the server's: the export is for
 * loading into another directory or address book, not for round trips.
 * Values that are not plain ASCII (or start unsafely) are base64-encoded.
 */
#include <string.h>

#include "cli.h"

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int safe(const char *v)
{
	const unsigned char *p = (const unsigned char *)v;

	if (!*p)
		return 1;
	if (*p == ' ' || *p == ':' || *p == '<')
		return 0;
	for (; *p; p++)
		if (*p >= 0x80 || *p == '\n' || *p == '\r' || *p == 0)
			return 0;
	return p[-1] != ' ';
}

static void attr(FILE *f, const char *name, const char *v)
{
	size_t n;

	if (!v || !*v)
		return;
	if (safe(v)) {
		fprintf(f, "%s: %s\n", name, v);
		return;
	}
	fprintf(f, "%s:: ", name);
	n = strlen(v);
	for (size_t i = 0; i < n; i += 3) {
		unsigned long b = (unsigned long)(unsigned char)v[i] << 16;

		if (i + 1 < n)
			b |= (unsigned long)(unsigned char)v[i + 1] << 8;
		if (i + 2 < n)
			b |= (unsigned char)v[i + 2];
		fputc(b64[(b >> 18) & 63], f);
		fputc(b64[(b >> 12) & 63], f);
		fputc(i + 1 < n ? b64[(b >> 6) & 63] : '=', f);
		fputc(i + 2 < n ? b64[b & 63] : '=', f);
	}
	fputc('\n', f);
}

void out_ldif_list(const struct cli_out *o, const struct cli_records *rs, const char *base)
{
	fputs("version: 1\n", o->f);
	out_ldif_records(o, rs, base);
}

void out_ldif_records(const struct cli_out *o, const struct cli_records *rs, const char *base)
{
	for (size_t i = 0; i < rs->n; i++) {
		const struct cli_record *r = &rs->v[i];
		char dn[2048], *d = dn;
		size_t left = sizeof(dn);

		/* RFC 4514 escaping of the cn value. */
		d += snprintf(d, left, "cn=");
		for (const char *c = r->name; *c && (size_t)(d - dn) < sizeof(dn) - 8; c++) {
			if (strchr(",+\"\\<>;=", *c) || (c == r->name && (*c == '#' || *c == ' ')))
				*d++ = '\\';
			*d++ = *c;
		}
		snprintf(d, sizeof(dn) - (size_t)(d - dn), ",%s", base && *base ? base : "ou=ldapab");
		fputc('\n', o->f);
		attr(o->f, "dn", dn);
		if (r->kind == KIND_GROUP) {
			fputs("objectClass: top\nobjectClass: extensibleObject\n", o->f);
		} else {
			fputs("objectClass: top\nobjectClass: person\nobjectClass: organizationalPerson\n"
			      "objectClass: inetOrgPerson\n", o->f);
		}
		attr(o->f, "cn", r->name);
		if (r->kind != KIND_GROUP)
			attr(o->f, "sn", cli_record_field(r, "surname") ? cli_record_field(r, "surname")
			                                                : r->name);
		attr(o->f, "givenName", cli_record_field(r, "given_name"));
		attr(o->f, "displayName", r->name);
		for (size_t k = 0; k < r->n_addresses; k++)
			attr(o->f, "mail", r->addresses[k]);
		attr(o->f, "title", cli_record_field(r, "title"));
		attr(o->f, "ou", cli_record_field(r, "department"));
		attr(o->f, "o", cli_record_field(r, "company"));
		attr(o->f, "physicalDeliveryOfficeName", cli_record_field(r, "office"));
		attr(o->f, "telephoneNumber", cli_record_field(r, "phone"));
		attr(o->f, "mobile", cli_record_field(r, "mobile"));
		attr(o->f, "uid", cli_record_field(r, "account"));
		attr(o->f, "l", cli_record_field(r, "city"));
		attr(o->f, "description", cli_record_field(r, "description"));
	}
}
