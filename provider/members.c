/*
 * members.c - a distribution list's member table (MU-3): one row per
 * member - people, and nested groups as DL rows - with contents-table
 * columns and §5 semantics, sorted by display name.
 *
 *   - Members are the values of member (groupOfNames, AD group; AD's ranged
 *     member;range=... values are followed by ldapbridge) and uniqueMember
 *     (groupOfUniqueNames; an optional "#'...'B" UID suffix is dropped).
 *   - Each member DN is read with a base search, many per round trip
 *     (lb_search_batch); a member that is gone, unreadable, outside the
 *     configured bases or neither person nor group is omitted.
 *   - Cycles: a group never lists itself, and a member is listed once.
 *     Nested groups are rows, not expanded here: whoever expands them
 *     (MAPI, for a MAPIPDL group) opens them and reads their own tables.
 *   - At most ABP_MEMBERS_MAX members are read; a longer list is cut there
 *     and the table signals it (MAPI_W_PARTIAL_COMPLETION at its end).
 */
#include <stdlib.h>
#include <string.h>

#include "directory.h"
#include "table.h"

enum { CTX_MB_GROUP = 0x0761, CTX_MB_MEMBERS, CTX_MB_MEMORY, CTX_MB_GONE };

static HRESULT oom(struct abp_lasterr *le)
{
	return abp_lasterr_set(le, MAPI_E_NOT_ENOUGH_MEMORY, 0, CTX_MB_MEMORY, "Out of memory.");
}

/* The group's entry (with its member values) by the DL's entry ID. */
static HRESULT find_group(struct abp_session *s, struct abp_lasterr *le, const struct abp_dir *d,
                          const struct abp_props *group, lb_result **out)
{
	static const char *const attrs[] = { "member", "uniqueMember", NULL };
	const struct abp_prop *id = abp_props_find(group, PR_ENTRYID);
	struct lb_search_params p;
	struct lb_error err;
	struct abp_eid eid;
	lb_result *res = NULL;
	char *ftext = NULL, *dn = NULL;
	size_t i;
	HRESULT hr = S_OK;
	lb_err rc;

	*out = NULL;
	if (id == NULL || PROP_TYPE(id->tag) != PT_BINARY ||
	    abp_eid_parse(id->v.bin.lpb, id->v.bin.cb, s->uid.ab, &eid) != ABP_EID_OK ||
	    eid.type != ABP_EID_DISTLIST)
		return abp_lasterr_set(le, MAPI_E_CORRUPT_DATA, 0, CTX_MB_GROUP,
		                       "This group object carries no usable entry ID.");
	lb_error_clear(&err);
	lb_search_params_init(&p);
	p.attrs = attrs;
	p.size_limit = 2;
	p.mode = LB_MODE_PLAIN;
	p.follow_ranges = true;                 /* AD: member;range=... */
	if (eid.loc_kind == ABP_EID_LOC_DN) {
		dn = malloc(eid.loc_len + 1);
		if (dn == NULL)
			return oom(le);
		memcpy(dn, eid.loc, eid.loc_len);
		dn[eid.loc_len] = '\0';
	} else if (abp_dir_id_attr(&eid) == NULL) {
		return abp_lasterr_set(le, MAPI_E_CORRUPT_DATA, 0, CTX_MB_GROUP,
		                       "This group object carries no usable entry ID.");
	}
	rc = abp_dir_id_filter(&eid, d->group_filter, &ftext, &err);
	if (rc != LB_OK) {
		free(dn);
		return rc == LB_E_NOMEM ? oom(le) : abp_lasterr_set_lb(le, &err, CTX_MB_GROUP);
	}
	p.filter = ftext;
	if (dn != NULL) {
		bool inside = false;

		hr = abp_dir_in_scope(d, dn, &inside);
		if (SUCCEEDED(hr) && inside) {
			p.base = dn;
			p.scope = LB_SCOPE_BASE;
			rc = lb_search(d->conn, &p, &res, &err);
			if (rc == LB_E_NOT_FOUND)
				rc = LB_OK;
			else if (rc != LB_OK)
				hr = abp_dir_fail(s, le, &err, CTX_MB_GROUP);
		}
	} else {
		for (i = 0; i < d->n_bases && res == NULL && SUCCEEDED(hr); i++) {
			if (abp_session_ending(s)) {
				hr = MAPI_E_INVALID_OBJECT;
				break;
			}
			p.base = d->bases[i];
			p.scope = LB_SCOPE_SUB;
			rc = lb_search(d->conn, &p, &res, &err);
			if (rc != LB_OK && rc != LB_E_NOT_FOUND)
				hr = abp_dir_fail(s, le, &err, CTX_MB_GROUP);
			if (res != NULL && lb_result_count(res) == 0) {
				lb_result_free(res);
				res = NULL;
			}
		}
	}
	free(ftext);
	free(dn);
	if (FAILED(hr)) {
		lb_result_free(res);
		return hr;
	}
	if (lb_result_count(res) == 0) {
		lb_result_free(res);
		return abp_lasterr_set(le, MAPI_E_NOT_FOUND, 0, CTX_MB_GONE,
		                       "This group is no longer in the directory.");
	}
	*out = res;
	return S_OK;
}

/* Member DNs, self and repeats left out (normalised comparison), at most
 * ABP_MEMBERS_MAX. */
static HRESULT member_dns(struct abp_lasterr *le, const lb_entry *g, char ***out, size_t *n,
                          bool *partial)
{
	static const char *const names[] = { "member", "uniqueMember" };
	char **dns = NULL, **norm = NULL, *self = NULL;
	size_t cnt = 0, cap = 0, a, j, k;
	struct lb_error err;
	HRESULT hr = S_OK;
	lb_err rc;

	*out = NULL;
	*n = 0;
	*partial = false;
	lb_error_clear(&err);
	rc = lb_dn_normalize(lb_entry_dn(g), &self, &err);
	if (rc == LB_E_NOMEM)
		return oom(le);         /* else the group could list itself */
	if (rc != LB_OK)
		self = NULL;
	for (a = 0; a < 2 && SUCCEEDED(hr); a++) {
		const struct lb_attr *at = lb_entry_find(g, names[a]);

		for (j = 0; at != NULL && j < at->n_values && SUCCEEDED(hr); j++) {
			const struct lb_value *v = &at->values[j];
			size_t len = v->len;
			char *dn, *nd = NULL;
			bool dup = false;

			if (cnt >= ABP_MEMBERS_MAX) {
				*partial = true;
				break;
			}
			if (a == 1) {                   /* uniqueMember: "<dn>#'0101'B" */
				const char *h = memchr(v->data, '#', len);

				if (h != NULL && len >= 3 && v->data[len - 1] == 'B' &&
				    v->data[len - 2] == '\'')
					len = (size_t)(h - v->data);
			}
			if (len == 0 || memchr(v->data, '\0', len) != NULL)
				continue;
			dn = malloc(len + 1);
			if (dn == NULL) {
				hr = oom(le);
				break;
			}
			memcpy(dn, v->data, len);
			dn[len] = '\0';
			rc = lb_dn_normalize(dn, &nd, &err);
			if (rc == LB_E_NOMEM) {
				free(dn);
				hr = oom(le);
				break;
			}
			if (rc != LB_OK) {
				free(dn);               /* not a DN: not a member we can read */
				continue;
			}
			dup = self != NULL && strcmp(nd, self) == 0;
			for (k = 0; k < cnt && !dup; k++)
				dup = strcmp(norm[k], nd) == 0;
			if (dup) {
				free(dn);
				free(nd);
				continue;
			}
			if (cnt == cap) {
				size_t nc = cap ? cap * 2 : 16;
				char **d2 = realloc(dns, nc * sizeof(*dns));
				char **n2 = d2 ? realloc(norm, nc * sizeof(*norm)) : NULL;

				if (d2 != NULL)
					dns = d2;
				if (n2 == NULL) {
					free(dn);
					free(nd);
					hr = oom(le);
					break;
				}
				norm = n2;
				cap = nc;
			}
			dns[cnt] = dn;
			norm[cnt] = nd;
			cnt++;
		}
	}
	for (k = 0; k < cnt; k++)
		free(norm[k]);
	free(norm);
	free(self);
	if (FAILED(hr)) {
		for (k = 0; k < cnt; k++)
			free(dns[k]);
		free(dns);
		return hr;
	}
	*out = dns;
	*n = cnt;
	return S_OK;
}

/* Read the members (base searches, batched) as rows. */
static HRESULT read_members(struct abp_session *s, struct abp_lasterr *le,
                            const struct abp_dir *d, char **dns, size_t ndn,
                            struct abp_dir_rows *out)
{
	struct lb_search_params *p = NULL;
	size_t m = 0, i;
	HRESULT hr = S_OK;

	memset(out, 0, sizeof(*out));
	if (ndn == 0)
		return S_OK;
	p = calloc(ndn, sizeof(*p));
	if (p == NULL)
		return oom(le);
	for (i = 0; i < ndn && SUCCEEDED(hr); i++) {
		bool inside = false;

		hr = abp_dir_in_scope(d, dns[i], &inside);
		if (SUCCEEDED(hr) && inside)    /* else its ID could not be opened (LO-2) */
			abp_dir_row_search(d, dns[i], &p[m++]);
	}
	if (SUCCEEDED(hr))
		hr = abp_dir_search_rows(s, le, d, p, m, NULL, NULL, CTX_MB_MEMBERS, out);
	free(p);
	return hr == MAPI_E_NOT_ENOUGH_MEMORY ? oom(le) : hr;
}

HRESULT abp_members_table_new(struct abp_session *s, struct abp_lasterr *le,
                              const struct abp_props *group, ULONG flags, LPMAPITABLE *out)
{
	struct abp_tsrc *src = NULL;
	struct abp_dir_rows rows;
	lb_result *g = NULL;
	char **dns = NULL;
	size_t ndn = 0, i;
	bool partial = false;
	struct abp_dir d;
	HRESULT hr;

	*out = NULL;
	hr = abp_dir_open(s, le, &d);
	if (SUCCEEDED(hr))
		hr = find_group(s, le, &d, group, &g);
	if (SUCCEEDED(hr))
		hr = member_dns(le, lb_result_entry(g, 0), &dns, &ndn, &partial);
	if (g != NULL && lb_result_partial(g) != LB_PARTIAL_NONE)
		partial = true;         /* ranged values not followed to the end */
	lb_result_free(g);
	if (SUCCEEDED(hr))
		hr = read_members(s, le, &d, dns, ndn, &rows);
	for (i = 0; i < ndn; i++)
		free(dns[i]);
	free(dns);
	if (FAILED(hr))
		return hr;
	hr = abp_tsrc_mem_new(rows.rows, rows.n, partial, false, &src);
	if (FAILED(hr)) {
		abp_dir_rows_free(&rows);
		return oom(le);
	}
	free(rows.from);                /* the rows belong to src now */
	return abp_table_new(s, ABP_TABLE_CONTENTS, flags, src, out);
}

HRESULT abp_members_table_open(struct abp_propobj *o, ULONG flags, LPMAPITABLE *out)
{
	HRESULT hr = abp_table_open_begin(o, ABP_TABLE_CONTENTS, flags, out);

	if (FAILED(hr))
		return hr;
	hr = abp_members_table_new(o->s, &o->le, &o->bag, flags, out);
	abp_session_leave(o->s);
	return hr;
}
