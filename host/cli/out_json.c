/*
 * out_json.c - the json format, built and written with json.c.  The shape
 * is stable and documented in ldapab(1): an entry is an object with "type",
 * "name", "email", "addresses" and one key per property present ("title",
 * "department", ... as record.c names them), plus "entry_id" (hex).
 */
#include "cli.h"
#include "json.h"

struct jv *out_json_record(const struct cli_record *r)
{
	struct jv *o = jv_object(), *addrs = jv_array();

	if (!o || !addrs) {
		jv_free(o);
		jv_free(addrs);
		return NULL;
	}
	jv_set(o, "type", jv_string(r->kind == KIND_GROUP ? "group"
	                            : r->kind == KIND_PERSON ? "person" : "other"));
	jv_set(o, "name", jv_string(r->name));
	jv_set(o, "email", r->email ? jv_string(r->email) : jv_null());
	for (size_t i = 0; i < r->n_addresses; i++)
		jv_append(addrs, jv_string(r->addresses[i]));
	jv_set(o, "addresses", addrs);
	for (size_t i = 0; i < r->n_fields; i++)
		jv_set(o, r->fields[i].key, jv_string(r->fields[i].values[0]));
	if (r->depth)
		jv_set(o, "depth", jv_int(r->depth));
	if (r->via)
		jv_set(o, "via", jv_string(r->via));
	if (r->photo_len)
		jv_set(o, "photo_bytes", jv_int((long long)r->photo_len));
	jv_set(o, "entry_id", r->entryid_hex ? jv_string(r->entryid_hex) : jv_null());
	return o;
}

struct jv *out_json_records(const struct cli_records *rs)
{
	struct jv *a = jv_array();

	for (size_t i = 0; a && i < rs->n; i++)
		jv_append(a, out_json_record(&rs->v[i]));
	return a;
}

int out_json_print(const struct cli_out *o, struct jv *v)
{
	int rc = 0;

	if (jv_failed(v)) {
		cli_errorf("out of memory building the JSON output");
		rc = EXIT_SOFTWARE;
	} else if (jv_write(o->f, v, true) != 0 || fputc('\n', o->f) == EOF) {
		cli_errorf("cannot write the JSON output");
		rc = EXIT_CANTCREAT;
	}
	jv_free(v);
	return rc;
}
