/*
 * out_json.c - the json format, written with jansson.  The shape is stable and
 * documented in ldapab(1): an entry is an object with "type", "name",
 * "email", "addresses" and one key per property present ("title",
 * "department", ... as record.c names them), plus "entry_id" (hex).
 */
#include <jansson.h>

#include "cli.h"

json_t *out_json_record(const struct cli_record *r)
{
	json_t *o = json_object(), *addrs = json_array();

	if (!o || !addrs) {
		json_decref(o);
		json_decref(addrs);
		return NULL;
	}
	json_object_set_new(o, "type", json_string(r->kind == KIND_GROUP ? "group"
	                                           : r->kind == KIND_PERSON ? "person" : "other"));
	json_object_set_new(o, "name", json_string(r->name));
	json_object_set_new(o, "email", r->email ? json_string(r->email) : json_null());
	for (size_t i = 0; i < r->n_addresses; i++)
		json_array_append_new(addrs, json_string(r->addresses[i]));
	json_object_set_new(o, "addresses", addrs);
	for (size_t i = 0; i < r->n_fields; i++)
		json_object_set_new(o, r->fields[i].key, json_string(r->fields[i].values[0]));
	if (r->depth)
		json_object_set_new(o, "depth", json_integer(r->depth));
	if (r->via)
		json_object_set_new(o, "via", json_string(r->via));
	if (r->photo_len)
		json_object_set_new(o, "photo_bytes", json_integer((json_int_t)r->photo_len));
	json_object_set_new(o, "entry_id", r->entryid_hex ? json_string(r->entryid_hex) : json_null());
	return o;
}

json_t *out_json_records(const struct cli_records *rs)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < rs->n; i++)
		json_array_append_new(a, out_json_record(&rs->v[i]));
	return a;
}

void out_json_print(const struct cli_out *o, json_t *v)
{
	if (!v)
		return;
	json_dumpf(v, o->f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', o->f);
	json_decref(v);
}
