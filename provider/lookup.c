/*
 * lookup.c - the session's directory context and the lookup of one person
 * or group by entry ID.  See lookup.h.
 */
#include "lookup.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ldapab/profile.h>

#include "directory.h"
#include "table.h"

/* Context numbers for MAPIERROR.ulContext (lookup.c: 0x0500..). */
enum {
	CTX_NO_CONN = 0x0501,
	CTX_ROOTDSE,
	CTX_MAP,
	CTX_FILTER,
	CTX_SEARCH_HINT,
	CTX_SEARCH_SUB,
	CTX_NOT_FOUND,
	CTX_WRONG_CLASS,
	CTX_BUILD
};

bool abp_session_ending(struct abp_session *s)
{
	bool ending;

	plat_mutex_lock(&s->lock);
	ending = s->logged_off;
	plat_mutex_unlock(&s->lock);
	return ending;
}

HRESULT abp_dir_fail(struct abp_session *s, struct abp_lasterr *le, const struct lb_error *err,
                     ULONG context)
{
	if (err == NULL || err->code == LB_OK)       /* a caller bug: never a success */
		return abp_lasterr_set(le, MAPI_E_CALL_FAILED, 0, context,
		                       "The directory server's answer could not be read.");
	abp_session_note_lb_error(s, err);
	return abp_lasterr_set_lb(le, err, context);
}

const char *abp_dir_default_person_filter(int schema)
{
	/* AD: users and contacts that are people (not computers, which are
	 * users too); contacts belong in the address book as in AD's own. */
	if (schema == LDAPAB_SCHEMA_ACTIVE_DIRECTORY)
		return "(&(objectCategory=person)(|(objectClass=user)(objectClass=contact)))";
	return "(|(objectClass=inetOrgPerson)(objectClass=organizationalPerson)"
	       "(objectClass=person))";
}

const char *abp_dir_default_group_filter(int schema)
{
	if (schema == LDAPAB_SCHEMA_ACTIVE_DIRECTORY)
		return "(objectClass=group)";
	return "(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames))";
}

/* The root DSE, probed once per session; *out stays valid for the session's
 * life (set once, freed at its final release). */
static HRESULT server_info(struct abp_session *s, struct abp_lasterr *le, lb_conn *conn,
                           const struct lb_rootdse **out)
{
	struct lb_rootdse *dse = NULL;
	struct lb_error err;
	lb_err rc;

	plat_mutex_lock(&s->lock);
	*out = s->dse;
	plat_mutex_unlock(&s->lock);
	if (*out != NULL)
		return S_OK;
	if (abp_session_ending(s))
		return MAPI_E_INVALID_OBJECT;

	lb_error_clear(&err);
	rc = lb_conn_rootdse(conn, &dse, &err);
	if (rc != LB_OK)
		return abp_dir_fail(s, le, &err, CTX_ROOTDSE);
	abp_session_note_lb_error(s, &err);
	plat_mutex_lock(&s->lock);
	if (s->dse == NULL) {
		s->dse = dse;
		dse = NULL;
	}
	*out = s->dse;
	plat_mutex_unlock(&s->lock);
	lb_rootdse_free(dse);
	return S_OK;
}

const char *abp_dir_id_attr(const struct abp_eid *eid)
{
	switch (eid->loc_kind) {
	case ABP_EID_LOC_ENTRYUUID: return eid->loc_len == 16 ? "entryUUID" : NULL;
	case ABP_EID_LOC_OBJECTGUID: return eid->loc_len == 16 ? "objectGUID" : NULL;
	case ABP_EID_LOC_NSUNIQUEID: return "nsUniqueId";
	default: return NULL;
	}
}

lb_err abp_dir_id_filter(const struct abp_eid *eid, const char *type_filter, char **out,
                         struct lb_error *err)
{
	const char *attr = abp_dir_id_attr(eid), *val = (const char *)eid->loc;
	size_t vlen = eid->loc_len;
	lb_filter *f = NULL, *all = NULL;
	char text[37];
	lb_err rc;

	*out = NULL;
	lb_error_clear(err);
	if (eid->loc_kind == ABP_EID_LOC_DN) {
		if (type_filter == NULL || type_filter[0] == '\0')
			return LB_OK;
		rc = lb_filter_raw(type_filter, &all, err);
	} else if (attr == NULL) {
		err->code = LB_E_INVALID;
		snprintf(err->message, sizeof(err->message),
		         "The entry ID's locator is not one a directory attribute holds.");
		return LB_E_INVALID;
	} else {
		if (eid->loc_kind == ABP_EID_LOC_ENTRYUUID) {
			abp_uuid_format(eid->loc, text);
			val = text;
			vlen = 36;
		}
		/* Binary-safe for objectGUID: lb_filter escapes every byte that
		 * needs it. */
		rc = lb_filter_eq(attr, val, vlen, &f, err);
		if (rc == LB_OK)
			rc = lb_filter_with_base(type_filter, f, &all, err);   /* takes f */
		else
			lb_filter_free(f);
	}
	if (rc == LB_OK)
		rc = lb_filter_render(all, out, err);
	lb_filter_free(all);
	return rc;
}

/* What a read asks for.  The light list (table rows, PrepareRecips): the
 * map's text attributes, objectClass and all three immutable-ID attributes,
 * whatever the root DSE said (make_locator() decides from the entry; naming
 * an attribute the server lacks costs nothing).  The detail list (an entry
 * being opened) adds the binary attributes (photos, certificates) and the
 * links to other entries (manager, directReports). */
#define REQUEST_MAX (sizeof(((struct abp_attrmap *)0)->request) / sizeof(const char *) + 6)

static void request_add(const char **out, size_t *k, const char *attr)
{
	size_t i;

	for (i = 0; i < *k; i++)
		if (strcasecmp(out[i], attr) == 0)
			return;
	if (*k < REQUEST_MAX - 1)
		out[(*k)++] = attr;
}

static bool conv_is_binary(enum abp_attr_conv c)
{
	return c == ABP_CONV_BINARY || c == ABP_CONV_ALL_BINARY;
}

static void request_attrs(const struct abp_attrmap *map, bool detail, const char *out[REQUEST_MAX])
{
	size_t k = 0, i, j;

	request_add(out, &k, "objectClass");
	request_add(out, &k, "entryUUID");
	request_add(out, &k, "objectGUID");
	request_add(out, &k, "nsUniqueId");
	for (i = 0; i < map->n; i++)
		for (j = 0; j < map->items[i].n_src; j++)
			if (detail || !conv_is_binary(map->items[i].src[j].conv))
				request_add(out, &k, map->items[i].src[j].attr);
	if (detail) {
		request_add(out, &k, ABP_ATTR_MANAGER);
		request_add(out, &k, ABP_ATTR_DIRECT_REPORTS);
	}
	out[k] = NULL;
}

/*
 * Where an entry ID may lead (entries outside the configured base are never
 * opened): the effective base - the configured base DN, else the
 * naming context ldapbridge searches by default (the root DSE's default,
 * else first, naming context; "" when the server names none) - and the base
 * of every configured container that lies outside it.  search[i] is what a
 * subtree search uses (NULL: the connection's default base).
 */
struct scope {
	size_t n;
	const char **base;      /* n DNs to check against ("" = everything) */
	const char **search;    /* n search bases */
};

static void scope_free(struct scope *sc)
{
	free(sc->base);
	free(sc->search);
	sc->base = sc->search = NULL;
	sc->n = 0;
}

static HRESULT dn_below(const char *dn, const char *base, bool *below)
{
	struct lb_error err;
	lb_err rc;

	*below = false;
	lb_error_clear(&err);
	rc = lb_dn_is_descendant(dn, base, below, &err);
	if (rc == LB_E_NOMEM)
		return MAPI_E_NOT_ENOUGH_MEMORY;
	if (rc != LB_OK)
		*below = false;         /* not a DN: not inside */
	return S_OK;
}

static HRESULT scope_make(const struct abp_config *cfg, const struct lb_rootdse *dse,
                          struct scope *sc)
{
	const char *eff;
	size_t i, j;
	HRESULT hr = S_OK;

	memset(sc, 0, sizeof(*sc));
	if (cfg->base_dn != NULL && cfg->base_dn[0] != '\0')
		eff = cfg->base_dn;
	else if (dse != NULL && dse->default_naming_context != NULL)
		eff = dse->default_naming_context;
	else if (dse != NULL && dse->n_naming_contexts > 0 && dse->naming_contexts[0] != NULL)
		eff = dse->naming_contexts[0];
	else
		eff = "";
	sc->base = calloc(cfg->n_containers + 1, sizeof(*sc->base));
	sc->search = calloc(cfg->n_containers + 1, sizeof(*sc->search));
	if (sc->base == NULL || sc->search == NULL) {
		hr = MAPI_E_NOT_ENOUGH_MEMORY;
		goto done;
	}
	sc->base[0] = eff;
	sc->search[0] = (cfg->base_dn != NULL && cfg->base_dn[0] != '\0') ? cfg->base_dn
	                : (eff[0] != '\0' ? eff : NULL);
	sc->n = 1;
	for (i = 0; i < cfg->n_containers; i++) {
		const char *cb = cfg->containers[i].base_dn;
		bool inside = false;

		if (cb == NULL || cb[0] == '\0')
			continue;
		for (j = 0; j < sc->n && !inside; j++) {
			hr = dn_below(cb, sc->base[j], &inside);
			if (FAILED(hr))
				goto done;
		}
		if (!inside) {
			sc->base[sc->n] = cb;
			sc->search[sc->n] = cb;
			sc->n++;
		}
	}
done:
	if (FAILED(hr))
		scope_free(sc);
	return hr;
}

HRESULT abp_dir_in_scope(const struct abp_dir *d, const char *dn, bool *inside)
{
	size_t i;
	HRESULT hr = S_OK;

	*inside = false;
	for (i = 0; i < d->n_bases && !*inside && SUCCEEDED(hr); i++)
		hr = dn_below(dn, d->scope[i], inside);
	return hr;
}

/* The per-session cache: the attribute map, the request list, the scope and
 * the type filters depend only on the configuration and the root DSE, both fixed for a
 * session, so they are built once, on the first lookup, and shared read-only
 * by every later one.  Installed under s->lock; freed by the session's final
 * release (s->dir_cache_free), when no lookup can run. */
struct dir_cache {
	struct abp_attrmap *map;
	const char *request[REQUEST_MAX];
	const char *detail[REQUEST_MAX];
	struct scope sc;        /* borrows from s->cfg and s->dse */
	const char *person_filter, *group_filter;       /* s->cfg's or static */
	char *row_filter;
};

static void dir_cache_free(void *p)
{
	struct dir_cache *c = p;

	if (c == NULL)
		return;
	abp_attrmap_free(c->map);
	scope_free(&c->sc);
	free(c->row_filter);
	free(c);
}

static HRESULT dir_cache_get(struct abp_session *s, struct abp_lasterr *le,
                             const struct lb_rootdse *dse, const struct dir_cache **out)
{
	const struct abp_config *cfg = s->cfg;
	struct dir_cache *c;
	char errtext[256] = "";
	size_t len;
	HRESULT hr;

	plat_mutex_lock(&s->lock);
	*out = s->dir_cache;
	plat_mutex_unlock(&s->lock);
	if (*out != NULL)
		return S_OK;
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return MAPI_E_NOT_ENOUGH_MEMORY;
	hr = abp_attrmap_new(abp_attrmap_schema(cfg->schema, dse), dse->uuid_attrs,
	                     cfg->attr_map, cfg->n_attr_map, &c->map, errtext, sizeof(errtext));
	if (FAILED(hr)) {
		free(c);
		if (hr != MAPI_E_NOT_ENOUGH_MEMORY)
			hr = abp_lasterr_set(le, MAPI_E_UNCONFIGURED, 0, CTX_MAP, "%s", errtext);
		return hr;
	}
	request_attrs(c->map, false, c->request);
	request_attrs(c->map, true, c->detail);
	c->person_filter = cfg->person_filter != NULL && cfg->person_filter[0] != '\0'
	                   ? cfg->person_filter : abp_dir_default_person_filter(c->map->schema);
	c->group_filter = cfg->group_filter != NULL && cfg->group_filter[0] != '\0'
	                  ? cfg->group_filter : abp_dir_default_group_filter(c->map->schema);
	len = strlen(c->person_filter) + strlen(c->group_filter) + 4;
	c->row_filter = malloc(len);
	if (c->row_filter == NULL) {
		dir_cache_free(c);
		return MAPI_E_NOT_ENOUGH_MEMORY;
	}
	snprintf(c->row_filter, len, "(|%s%s)", c->person_filter, c->group_filter);
	hr = scope_make(cfg, dse, &c->sc);
	if (FAILED(hr)) {
		dir_cache_free(c);
		return hr;
	}
	/* Two first lookups may race: the first to install wins. */
	plat_mutex_lock(&s->lock);
	if (s->dir_cache == NULL) {
		s->dir_cache = c;
		s->dir_cache_free = dir_cache_free;
		c = NULL;
	}
	*out = s->dir_cache;
	plat_mutex_unlock(&s->lock);
	dir_cache_free(c);
	return S_OK;
}

HRESULT abp_dir_open(struct abp_session *s, struct abp_lasterr *le, struct abp_dir *out)
{
	const struct lb_rootdse *dse = NULL;
	const struct dir_cache *cache = NULL;
	lb_conn *conn;
	HRESULT hr;

	if (s == NULL || le == NULL || out == NULL)
		return MAPI_E_INVALID_PARAMETER;
	if (abp_session_ending(s))
		return MAPI_E_INVALID_OBJECT;
	/* Set at logon, cleared only by Logoff, which waits for calls that
	 * entered (the caller did). */
	conn = s->conn;
	if (conn == NULL)
		return abp_lasterr_set(le, MAPI_E_NETWORK_ERROR, 0, CTX_NO_CONN,
		                       "There is no connection to the directory server.");
	hr = server_info(s, le, conn, &dse);
	if (FAILED(hr))
		return hr;
	hr = dir_cache_get(s, le, dse, &cache);
	if (FAILED(hr))
		return hr;
	out->conn = conn;
	out->dse = dse;
	out->map = cache->map;
	out->attrs = cache->request;
	out->detail_attrs = cache->detail;
	out->n_bases = cache->sc.n;
	out->bases = cache->sc.search;
	out->scope = cache->sc.base;
	out->person_filter = cache->person_filter;
	out->group_filter = cache->group_filter;
	out->row_filter = cache->row_filter;
	return S_OK;
}

char *abp_dir_container_filter(const struct abp_dir *d, const struct abp_container_cfg *cfg,
                               const char *more)
{
	const char *extra = cfg != NULL && cfg->filter != NULL ? cfg->filter : "";
	size_t len;
	char *f;

	if (more == NULL)
		more = "";
	len = strlen(d->row_filter) + strlen(extra) + strlen(more) + 4;
	f = malloc(len);
	if (f != NULL)
		snprintf(f, len, "(&%s%s%s)", d->row_filter, extra, more);
	return f;
}

/* ------------------------------------------------------------------------ */
/* Table rows                                                               */
/* ------------------------------------------------------------------------ */

HRESULT abp_dir_row(struct abp_session *s, const struct abp_dir *d, const lb_entry *e,
                    struct abp_props *bag)
{
	enum abp_eid_type type;
	HRESULT hr;

	abp_props_init(bag);
	hr = abp_dir_bag_from_entry(d->map, &s->uid, e, &type, bag);
	if (hr == MAPI_E_NOT_FOUND)
		return S_FALSE;
	if (SUCCEEDED(hr))
		hr = abp_table_add_instance_key(bag);
	if (FAILED(hr))
		abp_props_free(bag);
	return hr;
}

void abp_dir_row_search(const struct abp_dir *d, const char *dn, struct lb_search_params *p)
{
	lb_search_params_init(p);
	p->base = dn;
	p->scope = LB_SCOPE_BASE;
	p->filter = d->row_filter;
	p->attrs = d->attrs;
	p->size_limit = 1;
	p->mode = LB_MODE_PLAIN;
	p->follow_ranges = false;
}

void abp_dir_rows_free(struct abp_dir_rows *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++)
		abp_props_free(&r->rows[i]);
	free(r->rows);
	free(r->from);
	memset(r, 0, sizeof(*r));
}

/* Room for one more row in r. */
static HRESULT rows_grow(struct abp_dir_rows *r, size_t *cap)
{
	struct abp_props *rows;
	size_t *from, nc;

	if (r->n < *cap)
		return S_OK;
	nc = *cap ? *cap * 2 : 16;
	rows = realloc(r->rows, nc * sizeof(*rows));
	if (rows == NULL)
		return MAPI_E_NOT_ENOUGH_MEMORY;
	r->rows = rows;
	from = realloc(r->from, nc * sizeof(*from));
	if (from == NULL)
		return MAPI_E_NOT_ENOUGH_MEMORY;
	r->from = from;
	*cap = nc;
	return S_OK;
}

/* The rows of one collected batch (searches first .. first + m - 1). */
static HRESULT batch_rows(struct abp_session *s, const struct abp_dir *d, lb_result *const *res,
                          const lb_err *st, size_t first, size_t m,
                          bool (*skip)(void *ctx, size_t search, const lb_entry *e),
                          void *skip_ctx, struct abp_dir_rows *r, size_t *cap)
{
	size_t i, j;
	HRESULT hr = S_OK;

	for (i = 0; i < m && SUCCEEDED(hr); i++) {
		if (res[i] == NULL && st[i] == LB_E_NOMEM)
			return MAPI_E_NOT_ENOUGH_MEMORY;        /* not an absent entry */
		if (res[i] == NULL)
			continue;               /* failed on its own: left out */
		if (lb_result_partial(res[i]) != LB_PARTIAL_NONE)
			r->partial = true;
		for (j = 0; j < lb_result_count(res[i]) && SUCCEEDED(hr); j++) {
			const lb_entry *e = lb_result_entry(res[i], j);

			if (skip != NULL && skip(skip_ctx, first + i, e))
				continue;
			hr = rows_grow(r, cap);
			if (SUCCEEDED(hr))
				hr = abp_dir_row(s, d, e, &r->rows[r->n]);
			if (hr == S_OK)
				r->from[r->n++] = first + i;
		}
	}
	return FAILED(hr) ? hr : S_OK;
}

HRESULT abp_dir_search_rows(struct abp_session *s, struct abp_lasterr *le,
                            const struct abp_dir *d, const struct lb_search_params *p, size_t n,
                            bool (*skip)(void *ctx, size_t search, const lb_entry *e),
                            void *skip_ctx, ULONG context, struct abp_dir_rows *out)
{
	lb_result *res[ABP_DIR_BATCH];
	lb_err st[ABP_DIR_BATCH];
	struct abp_dir_rows r;
	struct lb_error err;
	size_t at, m, i, cap = 0;
	HRESULT hr = S_OK;

	memset(&r, 0, sizeof(r));
	for (at = 0; at < n && SUCCEEDED(hr); at += m) {
		m = n - at < ABP_DIR_BATCH ? n - at : ABP_DIR_BATCH;
		if (abp_session_ending(s)) {
			hr = MAPI_E_INVALID_OBJECT;
			break;
		}
		lb_error_clear(&err);
		if (lb_search_batch(d->conn, p + at, m, res, st, &err) != LB_OK) {
			hr = abp_dir_fail(s, le, &err, context);
			break;
		}
		abp_session_note_lb_error(s, NULL);
		hr = batch_rows(s, d, res, st, at, m, skip, skip_ctx, &r, &cap);
		for (i = 0; i < m; i++)
			lb_result_free(res[i]);
	}
	if (FAILED(hr)) {
		abp_dir_rows_free(&r);
		return hr;
	}
	*out = r;
	return S_OK;
}

/* One search; *res NULL when the base does not exist.  Other failures are
 * recorded and returned; MAPI_E_INVALID_OBJECT once Logoff has begun. */
static HRESULT search_one(struct abp_session *s, struct abp_lasterr *le, lb_conn *conn,
                          const char *base, enum lb_scope scope, const char *filter,
                          const char *const *attrs, ULONG ctx, lb_result **res)
{
	struct lb_search_params p;
	struct lb_error err;
	lb_err rc;

	*res = NULL;
	if (abp_session_ending(s))
		return MAPI_E_INVALID_OBJECT;
	lb_search_params_init(&p);
	p.base = base;
	p.scope = scope;
	p.filter = filter;
	p.attrs = attrs;
	p.size_limit = 2;       /* one is expected; a second would be a server bug */
	p.mode = LB_MODE_PLAIN;
	p.follow_ranges = false;
	lb_error_clear(&err);
	rc = lb_search(conn, &p, res, &err);
	abp_session_note_lb_error(s, &err);
	if (rc == LB_OK && lb_result_count(*res) == 0 &&
	    lb_result_partial(*res) != LB_PARTIAL_NONE) {
		/* The server stopped before answering: that says nothing about
		 * whether the entry exists, so it must not read as "gone". */
		bool timed = lb_result_partial(*res) == LB_PARTIAL_TIMELIMIT;

		lb_result_free(*res);
		*res = NULL;
		return abp_lasterr_set(le, abp_hr_from_lb(timed ? LB_E_TIMELIMIT : LB_E_SIZELIMIT),
		                       0, ctx,
		                       "The directory server stopped the lookup at its %s before "
		                       "answering; try again, or ask the directory administrator "
		                       "to raise it.",
		                       timed ? "time limit" : "size or administrative limit");
	}
	if (rc == LB_OK)
		return S_OK;
	*res = NULL;
	/* A DN hint that no longer exists (or no longer parses) just means
	 * "look elsewhere". */
	if (rc == LB_E_NOT_FOUND || (rc == LB_E_INVALID && scope == LB_SCOPE_BASE))
		return S_OK;
	return abp_lasterr_set_lb(le, &err, ctx);
}

/* A C string of n bytes from an entry ID: MAPI_E_NOT_FOUND when it holds
 * a NUL (no DN does), MAPI_E_NOT_ENOUGH_MEMORY. */
static HRESULT dup_text(const void *p, size_t n, char **out)
{
	char *t;

	if (memchr(p, '\0', n) != NULL)
		return MAPI_E_NOT_FOUND;
	t = malloc(n + 1);
	if (t == NULL)
		return MAPI_E_NOT_ENOUGH_MEMORY;
	memcpy(t, p, n);
	t[n] = '\0';
	*out = t;
	return S_OK;
}

/* Bytes from an entry ID or a server made fit for a message (GetLastError
 * text): valid UTF-8 only, control characters (C0, DEL, C1) and invalid
 * bytes become '?', at most cap-1 bytes without cutting a character, "..."
 * when shortened.  cap >= 8. */
static void abp_safe_text_(const void *p, size_t n, char *out, size_t cap)
{
	const uint8_t *b = p;
	size_t i = 0, o = 0;

	while (i < n) {
		uint32_t cp;
		size_t len, k;

		if (b[i] < 0x80) {
			cp = b[i];
			len = 1;
		} else if ((b[i] & 0xE0) == 0xC0) {
			cp = b[i] & 0x1F;
			len = 2;
		} else if ((b[i] & 0xF0) == 0xE0) {
			cp = b[i] & 0x0F;
			len = 3;
		} else if ((b[i] & 0xF8) == 0xF0) {
			cp = b[i] & 0x07;
			len = 4;
		} else {
			cp = 0xFFFFFFFFu;
			len = 1;
		}
		for (k = 1; cp != 0xFFFFFFFFu && k < len; k++) {
			if (i + k >= n || (b[i + k] & 0xC0) != 0x80)
				cp = 0xFFFFFFFFu;
			else
				cp = cp << 6 | (b[i + k] & 0x3F);
		}
		/* Overlong forms, surrogates and values past U+10FFFF are invalid. */
		if (cp != 0xFFFFFFFFu &&
		    ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
		     (len == 4 && cp < 0x10000) || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)))
			cp = 0xFFFFFFFFu;
		if (cp == 0xFFFFFFFFu || cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) {
			if (cp == 0xFFFFFFFFu)
				len = 1;        /* resynchronise on the next byte */
			if (o + 1 > cap - 4)
				goto cut;
			out[o++] = '?';
		} else {
			if (o + len > cap - 4)
				goto cut;
			memcpy(out + o, b + i, len);
			o += len;
		}
		i += len;
	}
	out[o] = '\0';
	return;
cut:
	memcpy(out + o, "...", 4);
}

/* Message text of at most this many bytes for a DN from an ID or a server. */
#define DN_TEXT_MAX 160

/* The filter of a lookup (abp_dir_id_filter), ANDed with the profile's
 * person or group filter so that an ID cannot open what the administrator
 * excluded. */
static HRESULT lookup_filter(struct abp_lasterr *le, const struct abp_eid *eid,
                             const char *type_filter, char **out)
{
	struct lb_error err;
	lb_err rc = abp_dir_id_filter(eid, type_filter, out, &err);

	if (rc == LB_OK)
		return S_OK;
	if (rc == LB_E_NOMEM)
		return MAPI_E_NOT_ENOUGH_MEMORY;
	return abp_lasterr_set_lb(le, &err, CTX_FILTER);
}

/* The lookup of abp_dir_lookup(): with the light or the detail attribute
 * list; keep (may be NULL) receives the server's answer on success. */
static HRESULT lookup(struct abp_session *s, struct abp_lasterr *le, const struct abp_eid *eid,
                      bool detail, struct abp_props *bag, lb_result **keep)
{
	const char *const *attrs;
	struct abp_dir d;
	bool opened = false;
	lb_result *res = NULL;
	char *ftext = NULL, *hint = NULL, *dnloc = NULL;
	char shown[DN_TEXT_MAX];
	const char *type_filter, *found_dn;
	enum abp_eid_type type = 0;
	bool inside = false;
	size_t i;
	HRESULT hr;

	if (s == NULL || le == NULL || eid == NULL || bag == NULL)
		return MAPI_E_INVALID_PARAMETER;
	if (eid->type != ABP_EID_MAILUSER && eid->type != ABP_EID_DISTLIST)
		return MAPI_E_INVALID_PARAMETER;
	hr = abp_dir_open(s, le, &d);
	if (FAILED(hr))
		goto done;
	opened = true;
	attrs = detail ? d.detail_attrs : d.attrs;
	type_filter = eid->type == ABP_EID_DISTLIST ? d.group_filter : d.person_filter;

	if (eid->loc_kind == ABP_EID_LOC_DN) {
		hr = dup_text(eid->loc, eid->loc_len, &dnloc);
		if (hr == MAPI_E_NOT_FOUND)
			goto not_found;
		if (FAILED(hr))
			goto done;
		/* Outside the base: as if it did not exist. */
		hr = abp_dir_in_scope(&d, dnloc, &inside);
		if (FAILED(hr))
			goto done;
		if (!inside)
			goto not_found;
		hr = lookup_filter(le, eid, type_filter, &ftext);
		if (FAILED(hr))
			goto done;
		hr = search_one(s, le, d.conn, dnloc, LB_SCOPE_BASE, ftext, attrs,
		                CTX_SEARCH_HINT, &res);
		if (FAILED(hr))
			goto done;
	} else {
		if (abp_dir_id_attr(eid) == NULL)
			goto not_found;
		hr = lookup_filter(le, eid, type_filter, &ftext);
		if (FAILED(hr))
			goto done;
		/* IDs we make carry no hint (entryid.h); an old ID's hint is a
		 * fast path, and only inside the base. */
		hr = eid->hint_len > 0 ? dup_text(eid->hint, eid->hint_len, &hint) : S_OK;
		if (hr == MAPI_E_NOT_ENOUGH_MEMORY)
			goto done;
		if (hint != NULL) {
			hr = abp_dir_in_scope(&d, hint, &inside);
			if (FAILED(hr))
				goto done;
			if (!inside) {
				free(hint);
				hint = NULL;
			}
		}
		hr = S_OK;      /* an unusable hint only costs the fast path */
		if (hint != NULL) {
			hr = search_one(s, le, d.conn, hint, LB_SCOPE_BASE, ftext, attrs,
			                CTX_SEARCH_HINT, &res);
			if (FAILED(hr))
				goto done;
			if (lb_result_count(res) == 0) {
				lb_result_free(res);
				res = NULL;
			}
		}
		/* The immutable ID finds it anywhere below the base (renamed or
		 * moved: the reason entry IDs carry it, EK-2). */
		for (i = 0; res == NULL && i < d.n_bases; i++) {
			hr = search_one(s, le, d.conn, d.bases[i], LB_SCOPE_SUB, ftext, attrs,
			                CTX_SEARCH_SUB, &res);
			if (FAILED(hr))
				goto done;
			if (res != NULL && lb_result_count(res) == 0) {
				lb_result_free(res);
				res = NULL;
			}
		}
	}
	if (lb_result_count(res) == 0)
		goto not_found;
	/* Whatever the server returned (aliases, referrals chased by the
	 * library) must lie inside the base too. */
	found_dn = lb_entry_dn(lb_result_entry(res, 0));
	hr = found_dn != NULL ? abp_dir_in_scope(&d, found_dn, &inside) : S_OK;
	if (FAILED(hr))
		goto done;
	if (found_dn == NULL || !inside)
		goto not_found;
	hr = abp_dir_bag_from_entry(d.map, &s->uid, lb_result_entry(res, 0), &type, bag);
	if (hr == MAPI_E_NOT_FOUND || (SUCCEEDED(hr) && type != eid->type)) {
		abp_props_free(bag);
		abp_safe_text_(found_dn, strlen(found_dn), shown, sizeof(shown));
		hr = abp_lasterr_set(le, MAPI_E_NOT_FOUND, 0, CTX_WRONG_CLASS,
		                     "The directory entry %s is no longer a %s.", shown,
		                     eid->type == ABP_EID_DISTLIST ? "group" : "person");
		goto done;
	}
	if (FAILED(hr))
		abp_lasterr_set(le, hr, 0, CTX_BUILD, "Out of memory reading a directory entry.");
	else if (keep != NULL) {
		*keep = res;
		res = NULL;
	}
	goto done;

not_found:
	/* The hint (or DN) comes from the caller's ID: shown only cleaned. */
	if (eid->loc_kind == ABP_EID_LOC_DN)
		abp_safe_text_(eid->loc, eid->loc_len, shown, sizeof(shown));
	else if (eid->hint_len > 0)
		abp_safe_text_(eid->hint, eid->hint_len, shown, sizeof(shown));
	else
		shown[0] = '\0';
	if (shown[0] != '\0')
		hr = abp_lasterr_set(le, MAPI_E_NOT_FOUND, 0, CTX_NOT_FOUND,
		                     "The %s this entry ID names (last seen as %s) is no longer in "
		                     "the directory under %s.",
		                     eid->type == ABP_EID_DISTLIST ? "group" : "person", shown,
		                     opened && d.scope[0][0] != '\0' ? "the configured base DN"
		                                                        : "its naming context");
	else
		hr = abp_lasterr_set(le, MAPI_E_NOT_FOUND, 0, CTX_NOT_FOUND,
		                     "The %s this entry ID names is no longer in the directory "
		                     "(it was deleted, or moved out of the configured base DN).",
		                     eid->type == ABP_EID_DISTLIST ? "group" : "person");
done:
	lb_result_free(res);
	free(ftext);
	free(hint);
	free(dnloc);
	return hr;
}


HRESULT abp_dir_lookup(struct abp_session *s, struct abp_lasterr *le,
                       const struct abp_eid *eid, struct abp_props *bag)
{
	return lookup(s, le, eid, false, bag, NULL);
}

HRESULT abp_dir_lookup_detail(struct abp_session *s, struct abp_lasterr *le,
                              const struct abp_eid *eid, struct abp_props *bag,
                              lb_result **res)
{
	if (res == NULL)
		return MAPI_E_INVALID_PARAMETER;
	*res = NULL;
	return lookup(s, le, eid, true, bag, res);
}
