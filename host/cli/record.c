/*
 * record.c - a MAPI property array (a table row, GetProps of an object, a
 * resolved ADRENTRY) → the record every output format prints: name, kind,
 * primary and every other SMTP address, and the other properties with
 * readable labels.  Properties that only mean something to MAPI (keys,
 * flags, types) are left out; PR_ENTRYID is kept as hex so "show" can take it.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <mapi/mapitags.h>

#include "cli.h"

struct label {
	ULONG id;
	const char *key;
	const char *label;
};

/* Shown in this order; the JSON keys are the documented names. */
static const struct label labels[] = {
	{ 0x3A06, "given_name", "Given name" },
	{ 0x3A11, "surname", "Surname" },
	{ 0x3A0A, "initials", "Initials" },
	{ 0x3A4F, "nickname", "Nickname" },
	{ 0x3A17, "title", "Title" },
	{ 0x3A18, "department", "Department" },
	{ 0x3A16, "company", "Company" },
	{ 0x3A19, "office", "Office" },
	{ 0x3A08, "phone", "Phone" },
	{ 0x3A1C, "mobile", "Mobile" },
	{ 0x3A09, "home_phone", "Home phone" },
	{ 0x3A21, "pager", "Pager" },
	{ 0x3A24, "fax", "Fax" },
	{ 0x3A29, "street", "Street" },
	{ 0x3A2A, "postal_code", "Postal code" },
	{ 0x3A27, "city", "City" },
	{ 0x3A28, "state", "State" },
	{ 0x3A26, "country", "Country" },
	{ 0x3A15, "postal_address", "Postal address" },
	{ 0x3A4E, "manager", "Manager" },
	{ 0x3A30, "assistant", "Assistant" },
	{ 0x3A00, "account", "Account" },
	{ 0x3004, "description", "Description" },
	{ 0x3002, "address_type", "Address type" },
};
#define N_LABELS (sizeof(labels) / sizeof(labels[0]))

/* Never shown: MAPI bookkeeping. */
static int hidden(ULONG id)
{
	static const ULONG ids[] = {
		0x0FF9, 0x0FF6, 0x300B, 0x0FFE, 0x3900, 0x3A40, 0x3A20, 0x39FF, 0x3001,
		0x3003, 0x39FE, 0x0FFF, 0x3615, 0x3000, 0x8C9E,
	};
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

static char *utf8_of(const SPropValue *v)
{
	char *u = NULL, *out = NULL;

	if (PROP_TYPE(v->ulPropTag) == PT_STRING8)
		return v->Value.lpszA ? strdup(v->Value.lpszA) : NULL;
	if (PROP_TYPE(v->ulPropTag) != PT_UNICODE || !v->Value.lpszW)
		return NULL;
	if (SUCCEEDED(host_utf16_to_utf8(v->Value.lpszW, &u)))
		out = strdup(u);
	(void)host_MAPIFreeBuffer(u);
	return out;
}

static char *utf8_of_w(const WCHAR *w)
{
	SPropValue v;

	v.ulPropTag = PR_DISPLAY_NAME_W;
	v.Value.lpszW = (WCHAR *)w;
	return utf8_of(&v);
}

static int add_address(struct cli_record *r, const char *a)
{
	char **n;

	if (!a || !*a)
		return 0;
	for (size_t i = 0; i < r->n_addresses; i++)
		if (strcasecmp(r->addresses[i], a) == 0)
			return 0;
	n = realloc(r->addresses, (r->n_addresses + 1) * sizeof(*n));
	if (!n)
		return -1;
	r->addresses = n;
	n[r->n_addresses] = strdup(a);
	if (!n[r->n_addresses])
		return -1;
	r->n_addresses++;
	return 0;
}

static int add_field(struct cli_record *r, const struct label *l, char **vals, size_t nv)
{
	struct cli_field *f = realloc(r->fields, (r->n_fields + 1) * sizeof(*f));

	if (!f)
		return -1;
	r->fields = f;
	f[r->n_fields].key = l->key;
	f[r->n_fields].label = l->label;
	f[r->n_fields].values = vals;
	f[r->n_fields].n = nv;
	r->n_fields++;
	return 0;
}

static char *hex(const BYTE *b, ULONG cb)
{
	char *s = malloc((size_t)cb * 2 + 1);

	if (!s)
		return NULL;
	for (ULONG i = 0; i < cb; i++)
		snprintf(s + 2 * i, 3, "%02x", b[i]);
	s[2 * (size_t)cb] = '\0';
	return s;
}

int cli_record_from_props(ULONG n, const SPropValue *props, struct cli_record *r)
{
	const SPropValue *proxy = NULL;
	ULONG objtype = 0, disptype = 0;
	int have_obj = 0, have_disp = 0;

	memset(r, 0, sizeof(*r));
	for (ULONG i = 0; i < n; i++) {
		const SPropValue *v = &props[i];
		ULONG id = PROP_ID(v->ulPropTag), type = PROP_TYPE(v->ulPropTag);

		if (type == PT_ERROR)
			continue;
		if (id == PROP_ID(PR_DISPLAY_NAME_W) && !r->name)
			r->name = utf8_of(v);
		else if (id == PROP_ID(PR_EMAIL_ADDRESS_W) && !r->email)
			r->email = utf8_of(v);
		else if (id == PROP_ID(PR_SMTP_ADDRESS_W) && !r->email)
			r->email = utf8_of(v);
		else if (id == PROP_ID(PR_EMS_AB_PROXY_ADDRESSES_W) && type == PT_MV_UNICODE)
			proxy = v;
		else if (v->ulPropTag == PR_OBJECT_TYPE)
			objtype = (ULONG)v->Value.l, have_obj = 1;
		else if (v->ulPropTag == PR_DISPLAY_TYPE)
			disptype = (ULONG)v->Value.l, have_disp = 1;
		else if (v->ulPropTag == PR_ENTRYID && !r->entryid_hex)
			r->entryid_hex = hex(v->Value.bin.lpb, v->Value.bin.cb);
		else if (v->ulPropTag == PR_EMS_AB_THUMBNAIL_PHOTO && v->Value.bin.cb && !r->photo) {
			r->photo = malloc(v->Value.bin.cb);
			if (r->photo) {
				memcpy(r->photo, v->Value.bin.lpb, v->Value.bin.cb);
				r->photo_len = v->Value.bin.cb;
			}
		}
	}
	if (have_obj)
		r->kind = objtype == MAPI_DISTLIST ? KIND_GROUP
		        : objtype == MAPI_MAILUSER ? KIND_PERSON : KIND_OTHER;
	else if (have_disp)
		r->kind = (disptype == DT_DISTLIST || disptype == DT_PRIVATE_DISTLIST)
		        ? KIND_GROUP : KIND_PERSON;
	if (!r->name)
		r->name = strdup("");
	if (!r->name)
		goto oom;
	if (r->email && add_address(r, r->email))
		goto oom;
	for (ULONG k = 0; proxy && k < proxy->Value.MVszW.cValues; k++) {
		char *a = utf8_of_w(proxy->Value.MVszW.lppszW[k]);

		/* "SMTP:" primary, "smtp:" others; other address types are not mail. */
		if (a && strncasecmp(a, "smtp:", 5) == 0 && add_address(r, a + 5)) {
			free(a);
			goto oom;
		}
		free(a);
	}
	if (!r->email && r->n_addresses) {
		r->email = strdup(r->addresses[0]);
		if (!r->email)
			goto oom;
	}
	/* The labelled properties, in the table's order. */
	for (size_t l = 0; l < N_LABELS; l++) {
		for (ULONG i = 0; i < n; i++) {
			const SPropValue *v = &props[i];
			char **vals;

			if (PROP_ID(v->ulPropTag) != labels[l].id || hidden(labels[l].id))
				continue;
			if (PROP_TYPE(v->ulPropTag) != PT_UNICODE &&
			    PROP_TYPE(v->ulPropTag) != PT_STRING8)
				continue;
			{
				char *one = utf8_of(v);

				if (!one || !*one) {
					free(one);
					continue;
				}
				vals = calloc(1, sizeof(*vals));
				if (!vals) {
					free(one);
					goto oom;
				}
				vals[0] = one;
				if (add_field(r, &labels[l], vals, 1)) {
					free(one);
					free(vals);
					goto oom;
				}
			}
			break;
		}
	}
	return 0;
oom:
	cli_record_free(r);
	return EXIT_SOFTWARE;
}

void cli_record_free(struct cli_record *r)
{
	free(r->name);
	free(r->email);
	for (size_t i = 0; i < r->n_addresses; i++)
		free(r->addresses[i]);
	free(r->addresses);
	free(r->entryid_hex);
	free(r->photo);
	for (size_t i = 0; i < r->n_fields; i++) {
		for (size_t k = 0; k < r->fields[i].n; k++)
			free(r->fields[i].values[k]);
		free(r->fields[i].values);
	}
	free(r->fields);
	free(r->via);
	memset(r, 0, sizeof(*r));
}

const char *cli_record_field(const struct cli_record *r, const char *key)
{
	for (size_t i = 0; i < r->n_fields; i++)
		if (strcmp(r->fields[i].key, key) == 0 && r->fields[i].n)
			return r->fields[i].values[0];
	return NULL;
}

int cli_records_push(struct cli_records *rs, struct cli_record *r)
{
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 16;
		struct cli_record *v = realloc(rs->v, cap * sizeof(*v));

		if (!v) {
			cli_record_free(r);
			return EXIT_SOFTWARE;
		}
		rs->v = v;
		rs->cap = cap;
	}
	rs->v[rs->n++] = *r;
	memset(r, 0, sizeof(*r));
	return 0;
}

int cli_records_add_rows(struct cli_records *rs, const SRowSet *rows)
{
	for (ULONG i = 0; rows && i < rows->cRows; i++) {
		struct cli_record r;
		int rc = cli_record_from_props(rows->aRow[i].cValues, rows->aRow[i].lpProps, &r);

		if (rc)
			return rc;
		rc = cli_records_push(rs, &r);
		if (rc)
			return rc;
	}
	return 0;
}

void cli_records_free(struct cli_records *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		cli_record_free(&rs->v[i]);
	free(rs->v);
	memset(rs, 0, sizeof(*rs));
}

const SPropTagArray *cli_entry_columns(void)
{
	static const struct {
		ULONG cValues;
		ULONG aulPropTag[19];
	} cols = { 19, {
		PR_ENTRYID, PR_DISPLAY_NAME_W, PR_EMAIL_ADDRESS_W, PR_OBJECT_TYPE, PR_DISPLAY_TYPE,
		PR_ADDRTYPE_W, PR_TITLE_W, PR_DEPARTMENT_NAME_W, PR_COMPANY_NAME_W,
		PR_OFFICE_LOCATION_W, PR_BUSINESS_TELEPHONE_NUMBER_W, PR_MOBILE_TELEPHONE_NUMBER_W,
		PR_ACCOUNT_W, PR_GIVEN_NAME_W, PR_SURNAME_W, PR_LOCALITY_W, PR_SMTP_ADDRESS_W,
		PR_EMS_AB_PROXY_ADDRESSES_W, PR_INSTANCE_KEY,
	} };
	return (const SPropTagArray *)(const void *)&cols;
}
