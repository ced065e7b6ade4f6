/*
 * cmd_lookup.c - resolve, search, show and members: finding entries by name.
 */
#include <stdlib.h>
#include <string.h>

#include <mapi/mapicode.h>
#include <mapi/mapitags.h>

#include "cli.h"
#include "osdep.h"
#include "cmd_common.h"
#include "json.h"

/* Names of "resolve": the arguments joined, split at ';' (Outlook's separator). */
static char **split_names(const char *text, size_t *n)
{
	char **v = NULL, *copy = strdup(text), *save = NULL;

	*n = 0;
	if (!copy)
		return NULL;
	for (char *t = strtok_r(copy, ";", &save); t; t = strtok_r(NULL, ";", &save)) {
		while (*t == ' ')
			t++;
		size_t l = strlen(t);
		while (l && t[l - 1] == ' ')
			t[--l] = '\0';
		if (!*t)
			continue;
		char **nv = realloc(v, (*n + 1) * sizeof(*v));
		if (!nv)
			break;
		v = nv;
		v[*n] = strdup(t);
		if (v[*n])
			(*n)++;
	}
	free(copy);
	return v;
}

/* The full record of a resolved entry (falls back to what ResolveName gave). */
static int resolved_record(struct cli_book *b, ULONG n, LPSPropValue props, struct cli_record *r)
{
	const SPropValue *eid = cmd_find(n, props, PR_ENTRYID);

	if (eid && cmd_load_record(b, eid->Value.bin.cb, eid->Value.bin.lpb, r, NULL) == 0)
		return 0;
	return cli_record_from_props(n, props, r);
}

static unsigned long size_limit(const struct cli_ctx *c)
{
	const char *v = c->conf.set[K_SIZE_LIMIT].value;

	return v ? strtoul(v, NULL, 10) : 100;
}

int cmd_resolve(struct cli_ctx *c)
{
	struct cli_book b;
	struct cli_records all = { 0 };
	struct jv *results = jv_array();
	char *text = cli_join_args(c->argc, c->argv);
	char **names = NULL;
	size_t nn = 0;
	int rc, worst = EXIT_FOUND, nres = 0;

	if (!text || !*text) {
		cli_errorf("resolve needs a name; see ldapab resolve --help");
		free(text);
		jv_free(results);
		return EXIT_USAGE;
	}
	names = split_names(text, &nn);
	rc = cli_book_open(&c->conf, &b);
	for (size_t i = 0; rc == 0 && i < nn; i++) {
		ULONG status = 0, n = 0;
		LPSPropValue props = NULL;
		struct cli_records cands = { 0 };
		struct cli_record r;
		struct jv *jr = jv_object();
		bool trunc = false;

		memset(&r, 0, sizeof(r));
		rc = cli_resolve_one(&b, names[i], &status, &n, &props);
		if (rc) {
			jv_free(jr);
			break;
		}
		jv_set(jr, "query", jv_string(names[i]));
		if (status == MAPI_RESOLVED) {
			rc = resolved_record(&b, n, props, &r);
			(void)host_MAPIFreeBuffer(props);
			if (rc) {
				jv_free(jr);
				break;
			}
			nres++;
			jv_set(jr, "status", jv_string("resolved"));
			jv_set(jr, "entry", out_json_record(&r));
			jv_set(jr, "candidates", jv_array());
			if (c->out.fmt == FMT_TABLE) {
				text_put(c->out.f, names[i]);
				fputs(": resolved to ", c->out.f);
				text_put(c->out.f, r.name);
				if (r.email) {
					fputs(" <", c->out.f);
					text_put(c->out.f, r.email);
					fputc('>', c->out.f);
				}
				fputc('\n', c->out.f);
			}
			rc = cli_records_push(&all, &r);
		} else if (status == MAPI_AMBIGUOUS) {
			LPSRowSet rows = NULL;
			int t = 0;

			if (worst == EXIT_FOUND || worst == EXIT_NOT_FOUND)
				worst = EXIT_AMBIGUOUS;
			rc = cli_candidates(&b, names[i], (ULONG)size_limit(c), &rows, &t);
			if (rc == EXIT_AMBIGUOUS)
				rc = 0;     /* too many to list: still ambiguous */
			if (rc == 0)
				rc = cli_records_add_rows(&cands, rows);
			host_FreeProws(rows);
			trunc = t != 0;
			jv_set(jr, "status", jv_string("ambiguous"));
			jv_set(jr, "entry", jv_null());
			jv_set(jr, "candidates", out_json_records(&cands));
			jv_set(jr, "truncated", jv_bool(trunc));
			if (c->out.fmt == FMT_TABLE) {
				text_put(c->out.f, names[i]);
				fprintf(c->out.f, ": ambiguous, %zu candidate%s%s\n", cands.n,
				        cands.n == 1 ? "" : "s", trunc ? " (more not shown)" : ":");
				struct cli_out o = c->out;
				out_table_list(&o, &cands);
			}
			for (size_t k = 0; rc == 0 && k < cands.n; k++)
				rc = cli_records_push(&all, &cands.v[k]);
			cands.n = 0;
		} else {
			if (worst == EXIT_FOUND)
				worst = EXIT_NOT_FOUND;
			jv_set(jr, "status", jv_string("not_found"));
			jv_set(jr, "entry", jv_null());
			jv_set(jr, "candidates", jv_array());
			if (c->out.fmt == FMT_TABLE) {
				text_put(c->out.f, names[i]);
				fputs(": not found\n", c->out.f);
			}
		}
		cli_records_free(&cands);
		jv_append(results, jr);
	}
	if (rc == 0) {
		char header[512];

		snprintf(header, sizeof(header), "ldapab: %d of %zu name%s resolved", nres, nn,
		         nn == 1 ? "" : "s");
		switch (c->out.fmt) {
		case FMT_TABLE:
			break;
		case FMT_JSON: {
			struct jv *o = jv_object();

			jv_set(o, "results", results);
			results = NULL;
			rc = out_json_print(&c->out, o);
			break;
		}
		case FMT_MUTT:
			if (all.n == 0) {
				fprintf(c->out.f, "ldapab: no entry matches \"%s\"\n", text);
				break;
			}
			/* fall through */
		default:
			rc = cmd_print_list(c, text, header, &all, false);
			break;
		}
		if (rc == 0)
			rc = worst;
	}
	jv_free(results);
	cli_records_free(&all);
	for (size_t i = 0; i < nn; i++)
		free(names[i]);
	free(names);
	free(text);
	cli_book_close(&b);
	return rc;
}

/* PR_ANR in one container (search -C). */
static int search_container(struct cli_ctx *c, struct cli_book *b, const char *q,
                            struct cli_records *rs, bool *trunc)
{
	LPABCONT ct = NULL;
	LPMAPITABLE t = NULL;
	WCHAR *w = NULL;
	SPropValue v;
	SRestriction r;
	HRESULT hr;
	int rc = cli_open_container(b, c->container, &ct, NULL);

	if (rc)
		return rc;
	rc = cmd_contents(ct, &t);
	if (rc)
		goto done;
	if (FAILED(host_utf8_to_utf16(q, &w))) {
		cli_errorf("the search text is not valid UTF-8");
		rc = EXIT_DATAERR;
		goto done;
	}
	memset(&v, 0, sizeof(v));
	memset(&r, 0, sizeof(r));
	v.ulPropTag = PR_ANR_W;
	v.Value.lpszW = w;
	r.rt = RES_PROPERTY;
	r.res.resProperty.relop = RELOP_EQ;
	r.res.resProperty.ulPropTag = PR_ANR_W;
	r.res.resProperty.lpProp = &v;
	hr = IMAPITable_Restrict(t, &r, 0);
	if (FAILED(hr)) {
		rc = cmd_table_error(t, hr, "searching the container");
		goto done;
	}
	rc = cmd_table_rows(t, c->has_count ? c->count : 0, rs, trunc, false);
done:
	(void)host_MAPIFreeBuffer(w);
	if (t)
		IMAPITable_Release(t);
	IABContainer_Release(ct);
	return rc;
}

int cmd_search(struct cli_ctx *c)
{
	struct cli_book b;
	struct cli_records rs = { 0 };
	char *q = cli_join_args(c->argc, c->argv);
	bool trunc = false;
	int rc;

	if (!q || !*q) {
		cli_errorf("search needs some text; see ldapab search --help");
		free(q);
		return EXIT_USAGE;
	}
	rc = cli_book_open(&c->conf, &b);
	if (rc == 0 && c->container) {
		rc = search_container(c, &b, q, &rs, &trunc);
	} else if (rc == 0) {
		LPSRowSet rows = NULL;
		int t = 0;

		rc = cli_candidates(&b, q, c->has_count ? (ULONG)c->count : 0, &rows, &t);
		if (rc == 0)
			rc = cli_records_add_rows(&rs, rows);
		host_FreeProws(rows);
		trunc = t != 0;
	}
	if (rc == 0) {
		char header[512];

		if (rs.n == 0 && c->out.fmt == FMT_MUTT) {
			fprintf(c->out.f, "ldapab: no entry matches \"%s\"\n", q);
		} else {
			snprintf(header, sizeof(header), "ldapab: %zu entr%s matching \"%s\"%s", rs.n,
			         rs.n == 1 ? "y" : "ies", q, trunc ? " (more not shown)" : "");
			rc = cmd_print_list(c, q, header, &rs, trunc);
		}
		if (rs.n == 0 && c->out.fmt == FMT_TABLE)
			cli_errorf("no entry matches \"%s\"", q);
		if (rc == 0)
			rc = rs.n ? EXIT_FOUND : EXIT_NOT_FOUND;
	}
	cli_records_free(&rs);
	free(q);
	cli_book_close(&b);
	return rc;
}

/*
 * The entry an argument names: a hex entry ID, or a name resolved through
 * ResolveName (ambiguous: the candidates are printed, exit 2).
 */
static int find_entry(struct cli_ctx *c, struct cli_book *b, const char *arg, BYTE **eid,
                      ULONG *cb)
{
	ULONG status = 0, n = 0;
	LPSPropValue props = NULL;
	const SPropValue *e;
	int rc;

	if (cli_hex_entryid(arg, eid, cb))
		return 0;
	rc = cli_resolve_one(b, arg, &status, &n, &props);
	if (rc)
		return rc;
	if (status == MAPI_AMBIGUOUS) {
		struct cli_records rs = { 0 };
		LPSRowSet rows = NULL;
		int t = 0;

		rc = EXIT_AMBIGUOUS;
		cli_errorf("\"%s\" is ambiguous; give a full name, an address or an entry ID", arg);
		if (cli_candidates(b, arg, 100, &rows, &t) == 0 && cli_records_add_rows(&rs, rows) == 0) {
			int prc = cmd_print_list(c, arg, "ldapab: ambiguous", &rs, t != 0);

			if (prc)
				rc = prc;       /* the candidates could not be printed (said why) */
		}
		host_FreeProws(rows);
		cli_records_free(&rs);
		return rc;
	}
	if (status != MAPI_RESOLVED) {
		if (c->out.fmt == FMT_MUTT)
			fprintf(c->out.f, "ldapab: no entry matches \"%s\"\n", arg);
		cli_errorf("no entry matches \"%s\"", arg);
		return EXIT_NOT_FOUND;
	}
	e = cmd_find(n, props, PR_ENTRYID);
	if (!e) {
		(void)host_MAPIFreeBuffer(props);
		cli_errorf("\"%s\" resolved without an entry ID", arg);
		return EXIT_SOFTWARE;
	}
	*eid = malloc(e->Value.bin.cb ? e->Value.bin.cb : 1);
	if (!*eid) {
		(void)host_MAPIFreeBuffer(props);
		return EXIT_SOFTWARE;
	}
	memcpy(*eid, e->Value.bin.lpb, e->Value.bin.cb);
	*cb = e->Value.bin.cb;
	(void)host_MAPIFreeBuffer(props);
	return 0;
}

int cmd_show(struct cli_ctx *c)
{
	struct cli_book b;
	struct cli_record r;
	char *arg = cli_join_args(c->argc, c->argv);
	BYTE *eid = NULL;
	ULONG cb = 0;
	int rc;

	memset(&r, 0, sizeof(r));
	if (!arg || !*arg) {
		cli_errorf("show needs a name or an entry ID; see ldapab show --help");
		free(arg);
		return EXIT_USAGE;
	}
	rc = cli_book_open(&c->conf, &b);
	if (rc == 0)
		rc = find_entry(c, &b, arg, &eid, &cb);
	if (rc == 0)
		rc = cmd_load_record(&b, cb, eid, &r, NULL);
	if (rc == 0) {
		struct cli_records one = { &r, 1, 1 };

		if (c->out.fmt == FMT_TABLE)
			out_table_record(&c->out, &r);
		else if (c->out.fmt == FMT_JSON)
			rc = out_json_print(&c->out, out_json_record(&r));
		else
			rc = cmd_print_list(c, arg, "ldapab: 1 entry", &one, false);
		if (rc == 0 && c->photo) {
			FILE *f;

			if (!r.photo_len) {
				cli_errorf("%s has no photo in the directory", r.name);
				rc = EXIT_NOT_FOUND;
			} else if (!(f = osdep_fopen(c->photo, "wb")) ||
			           fwrite(r.photo, 1, r.photo_len, f) != r.photo_len || fclose(f) != 0) {
				cli_errorf("cannot write the photo to %s", c->photo);
				rc = EXIT_CANTCREAT;
			}
		}
	}
	cli_record_free(&r);
	free(eid);
	free(arg);
	cli_book_close(&b);
	return rc;
}

/* Members of the list at eid into rs; with expand, nested lists recursively
 * (each entry once: seen holds the entry IDs met). */
static int list_members(struct cli_book *b, ULONG cb, const BYTE *eid, bool expand,
                        const char *via, int depth, struct cli_records *rs,
                        struct cli_records *seen)
{
	LPUNKNOWN unk = NULL;
	LPMAPITABLE t = NULL;
	struct cli_records rows = { 0 };
	ULONG type = 0;
	HRESULT hr;
	int rc = cli_open_entry(b, cb, eid, &type, &unk);

	if (rc)
		return rc;
	if (type != MAPI_DISTLIST) {
		IUnknown_Release(unk);
		cli_errorf("that entry is a person, not a group");
		return EXIT_DATAERR;
	}
	hr = IDistList_GetContentsTable((LPDISTLIST)unk, MAPI_UNICODE, &t);
	if (SUCCEEDED(hr))
		hr = IMAPITable_SetColumns(t, (LPSPropTagArray)cli_entry_columns(), 0);
	if (FAILED(hr)) {
		LPMAPIERROR e = NULL;

		if (FAILED(IDistList_GetLastError((LPDISTLIST)unk, hr, 0, &e)))
			e = NULL;
		rc = cli_fail(hr, "reading the group's members", e ? (const char *)e->lpszError : NULL);
		(void)host_MAPIFreeBuffer(e);
		goto done;
	}
	rc = cmd_table_rows(t, 0, &rows, NULL, false);
	for (size_t i = 0; rc == 0 && i < rows.n; i++) {
		struct cli_record *m = &rows.v[i];
		bool dup = false;

		for (size_t k = 0; m->entryid_hex && k < seen->n; k++)
			dup |= seen->v[k].entryid_hex && strcmp(seen->v[k].entryid_hex, m->entryid_hex) == 0;
		if (expand && dup)
			continue;
		if (expand) {
			struct cli_record mark;

			memset(&mark, 0, sizeof(mark));
			mark.entryid_hex = m->entryid_hex ? strdup(m->entryid_hex) : NULL;
			rc = cli_records_push(seen, &mark);
			if (rc)
				break;
		}
		if (expand && m->kind == KIND_GROUP && m->entryid_hex) {
			BYTE *sub = NULL;
			ULONG scb = 0;

			if (cli_hex_entryid(m->entryid_hex, &sub, &scb))
				rc = list_members(b, scb, sub, true, m->name, depth + 1, rs, seen);
			free(sub);
			continue;
		}
		m->depth = 0;
		if (via) {
			m->via = strdup(via);
			if (!m->via)
				rc = EXIT_SOFTWARE;
		}
		if (rc == 0)
			rc = cli_records_push(rs, m);
	}
done:
	cli_records_free(&rows);
	if (t)
		IMAPITable_Release(t);
	IUnknown_Release(unk);
	return rc;
}

int cmd_members(struct cli_ctx *c)
{
	struct cli_book b;
	struct cli_records rs = { 0 }, seen = { 0 };
	char *arg = cli_join_args(c->argc, c->argv);
	BYTE *eid = NULL;
	ULONG cb = 0;
	int rc;

	if (!arg || !*arg) {
		cli_errorf("members needs a group; see ldapab members --help");
		free(arg);
		return EXIT_USAGE;
	}
	rc = cli_book_open(&c->conf, &b);
	if (rc == 0)
		rc = find_entry(c, &b, arg, &eid, &cb);
	if (rc == 0)
		rc = list_members(&b, cb, eid, c->expand, c->expand ? arg : NULL, 0, &rs, &seen);
	if (rc == 0) {
		char header[512];

		snprintf(header, sizeof(header), "ldapab: %zu member%s of \"%s\"", rs.n,
		         rs.n == 1 ? "" : "s", arg);
		if (rs.n == 0 && c->out.fmt == FMT_MUTT)
			fprintf(c->out.f, "ldapab: \"%s\" has no members\n", arg);
		else
			rc = cmd_print_list(c, arg, header, &rs, false);
		if (rc == 0)
			rc = rs.n ? EXIT_FOUND : EXIT_NOT_FOUND;
	}
	cli_records_free(&rs);
	cli_records_free(&seen);
	free(eid);
	free(arg);
	cli_book_close(&b);
	return rc;
}
