/*
 * resolve.c - ResolveNames of a directory container (CT-10, CT-11).  See
 * resolve.h.
 *
 * Decisions:
 *   - A name matches as PR_ANR does in the contents table (CT-9, CT-11i):
 *     the same translation (restrict.c), ANDed with the container's filter,
 *     so ResolveNames and MAPI's own PR_ANR fallback agree.  An address is
 *     a name like any other: the ANR matches mail (every value, so aliases
 *     too) and, on Active Directory, proxyAddresses.
 *   - EMS_AB_ADDRESS_LOOKUP: equality on the address attributes only.
 *   - The values a resolved entry carries come from the directory: what
 *     was typed as PR_DISPLAY_NAME is replaced by the entry's name; every
 *     other property the entry had stays.
 *   - A name that cannot be searched for (longer than ANR takes, too many
 *     words, blank) stays unresolved; the call still succeeds (CT-11k).
 */
#include "resolve.h"

#include <stdlib.h>
#include <string.h>

#include "entryprops.h"
#include "lookup.h"
#include "recips.h"
#include "restrict.h"

/* Context numbers for MAPIERROR.ulContext (resolve.c: 0x0D00..). */
enum {
	CTX_NOMEM = 0x0D01,
	CTX_SEARCH,
	CTX_FILTER,
	CTX_ARGS
};

#define KNOWN_FLAGS (MAPI_UNICODE | EMS_AB_ADDRESS_LOOKUP | MAPI_CACHE_ONLY)

/* ------------------------------------------------------------------------ */
/* Ranking and choice                                                        */
/* ------------------------------------------------------------------------ */

static bool same_record(const struct abp_props *a, const struct abp_props *b)
{
	const struct abp_prop *ka = abp_props_find(a, PR_RECORD_KEY);
	const struct abp_prop *kb = abp_props_find(b, PR_RECORD_KEY);

	if (ka == NULL || kb == NULL || PROP_TYPE(ka->tag) != PT_BINARY ||
	    PROP_TYPE(kb->tag) != PT_BINARY)
		return a == b;
	return ka->v.bin.cb == kb->v.bin.cb &&
	       (ka->v.bin.cb == 0 || memcmp(ka->v.bin.lpb, kb->v.bin.lpb, ka->v.bin.cb) == 0);
}

bool abp_resolve_repeated(const struct abp_props *const *rows, size_t i)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (same_record(rows[j], rows[i]))
			return true;
	return false;
}

ULONG abp_resolve_choose(const struct abp_props *const *cands, size_t n, bool partial,
                         const char *input, size_t *pick)
{
	size_t distinct = 0, exact = 0, first = 0, first_exact = 0, i;

	if (partial)
		return MAPI_AMBIGUOUS;          /* j: more may exist than we saw */
	for (i = 0; i < n; i++) {
		if (cands[i] == NULL || abp_resolve_repeated(cands, i))
			continue;
		if (distinct++ == 0)
			first = i;
		if (input != NULL && abp_restrict_rank(cands[i], input) == ABP_RANK_EXACT &&
		    exact++ == 0)
			first_exact = i;
	}
	if (distinct == 0)
		return MAPI_UNRESOLVED;         /* g */
	if (distinct == 1) {
		*pick = first;                  /* e */
		return MAPI_RESOLVED;
	}
	if (exact == 1) {
		*pick = first_exact;            /* i: the one that equals the input */
		return MAPI_RESOLVED;
	}
	return MAPI_AMBIGUOUS;                  /* f */
}

/* ------------------------------------------------------------------------ */
/* Apply                                                                     */
/* ------------------------------------------------------------------------ */

/* CT-11l, and CT-11a's additions for the default set. */
static const ULONG l_tags[] = {
	PR_ADDRTYPE_W, PR_DISPLAY_NAME_W, PR_EMAIL_ADDRESS_W, PR_ENTRYID, PR_OBJECT_TYPE,
	PR_SEARCH_KEY, PR_TRANSMITABLE_DISPLAY_NAME_W
};
static const ULONG default_extra[] = { PR_DISPLAY_TYPE, PR_INSTANCE_KEY, PR_RECORD_KEY };

#define N_L (sizeof(l_tags) / sizeof(l_tags[0]))
#define N_EXTRA (sizeof(default_extra) / sizeof(default_extra[0]))

static bool tag_listed(const SPropTagArray *t, ULONG tag)
{
	ULONG i;

	for (i = 0; i < t->cValues; i++)
		if (PROP_ID(t->aulPropTag[i]) == PROP_ID(tag))
			return true;
	return false;
}

/* A string tag of CT-11l typed per MAPI_UNICODE. */
static ULONG typed(ULONG tag, ULONG flags)
{
	if (PROP_TYPE(tag) == PT_UNICODE && !(flags & MAPI_UNICODE))
		return CHANGE_PROP_TYPE(tag, PT_STRING8);
	return tag;
}

SPropTagArray *abp_resolve_tags(const SPropTagArray *tags, ULONG flags)
{
	size_t n_in = tags != NULL ? tags->cValues : 0, i;
	SPropTagArray *t;

	t = malloc(offsetof(SPropTagArray, aulPropTag) + (n_in + N_L + N_EXTRA) * sizeof(ULONG));
	if (t == NULL)
		return NULL;
	t->cValues = 0;
	/* The caller's columns first, as asked (e), then what CT-11l adds. */
	for (i = 0; i < n_in; i++)
		t->aulPropTag[t->cValues++] = tags->aulPropTag[i];
	for (i = 0; i < N_L; i++)
		if (!tag_listed(t, l_tags[i]))
			t->aulPropTag[t->cValues++] = typed(l_tags[i], flags);
	for (i = 0; tags == NULL && i < N_EXTRA; i++)
		t->aulPropTag[t->cValues++] = default_extra[i];
	return t;
}

HRESULT abp_resolve_apply(const struct abp_allocs *al, const SPropTagArray *tags, ULONG flags,
                          ADRLIST *list, FlagList *fl,
                          const struct abp_resolve_outcome *outcome)
{
	SPropTagArray *eff = NULL;
	SPropValue **vals = NULL;
	ULONG *nv = NULL, i;
	HRESULT hr = S_OK;

	if (al == NULL || list == NULL || fl == NULL || outcome == NULL ||
	    fl->cFlags != list->cEntries)
		return MAPI_E_INVALID_PARAMETER;
	if (list->cEntries == 0)
		return S_OK;
	eff = abp_resolve_tags(tags, flags);
	vals = calloc(list->cEntries, sizeof(*vals));
	nv = calloc(list->cEntries, sizeof(*nv));
	if (eff == NULL || vals == NULL || nv == NULL) {
		hr = MAPI_E_NOT_ENOUGH_MEMORY;
		goto done;
	}
	/* Build every new array first ... */
	for (i = 0; i < list->cEntries; i++) {
		if (outcome[i].state != MAPI_RESOLVED)
			continue;
		if (outcome[i].bag == NULL) {
			hr = MAPI_E_INVALID_PARAMETER;
			goto done;
		}
		hr = abp_recip_build(al, eff, &list->aEntries[i], outcome[i].bag, false,
		                     (flags & MAPI_UNICODE) != 0, &vals[i], &nv[i]);
		if (FAILED(hr))
			goto done;
	}
	/* ... then swap them in (e: new array allocated, then the old freed). */
	for (i = 0; i < list->cEntries; i++) {
		if (outcome[i].state == MAPI_RESOLVED) {
			if (list->aEntries[i].rgPropVals != NULL)
				al->free_buffer(list->aEntries[i].rgPropVals);
			list->aEntries[i].rgPropVals = vals[i];
			list->aEntries[i].cValues = nv[i];
			vals[i] = NULL;
			fl->ulFlag[i] = MAPI_RESOLVED;
		} else if (outcome[i].state == MAPI_AMBIGUOUS) {
			fl->ulFlag[i] = MAPI_AMBIGUOUS;
		}
	}
done:
	for (i = 0; vals != NULL && i < list->cEntries; i++)
		if (vals[i] != NULL)
			al->free_buffer(vals[i]);
	free(vals);
	free(nv);
	free(eff);
	return hr;
}

/* ------------------------------------------------------------------------ */
/* Lookup                                                                    */
/* ------------------------------------------------------------------------ */

struct name {
	ULONG entry;                    /* index in the ADRLIST */
	char *input;                    /* UTF-8, as typed */
	char *filter;                   /* NULL: cannot be searched, stays unresolved */
	lb_result *res;
	struct abp_props *bags;         /* candidates, directory order */
	const struct abp_props **rows;
	size_t n_bags;
	ULONG state;
	size_t pick;
};

static void name_free(struct name *nm)
{
	size_t i;

	free(nm->input);
	free(nm->filter);
	lb_result_free(nm->res);
	for (i = 0; i < nm->n_bags; i++)
		abp_props_free(&nm->bags[i]);
	free(nm->bags);
	free(nm->rows);
}

static const SPropValue *find_prop(const ADRENTRY *ae, ULONG tag)
{
	ULONG i;

	for (i = 0; i < ae->cValues; i++)
		if (PROP_ID(ae->rgPropVals[i].ulPropTag) == PROP_ID(tag))
			return &ae->rgPropVals[i];
	return NULL;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* The ANR filter of one name (the contents table's PR_ANR translation).
 * S_OK with *out NULL: the name cannot be searched for. */
static HRESULT anr_filter(const struct abp_dir *d, struct abp_lasterr *le, const char *input,
                          char **out)
{
	SRestriction r;
	SPropValue v;
	struct abp_lasterr scratch;
	size_t n = abp_utf8_to_utf16(input, (size_t)-1, NULL, 0);
	WCHAR *w;
	HRESULT hr;

	*out = NULL;
	w = malloc(n * sizeof(WCHAR));
	if (w == NULL)
		return MAPI_E_NOT_ENOUGH_MEMORY;
	(void)abp_utf8_to_utf16(input, (size_t)-1, w, n);
	memset(&r, 0, sizeof(r));
	memset(&v, 0, sizeof(v));
	v.ulPropTag = PR_ANR_W;
	v.Value.lpszW = w;
	r.rt = RES_PROPERTY;
	r.res.resProperty.relop = RELOP_EQ;
	r.res.resProperty.ulPropTag = PR_ANR_W;
	r.res.resProperty.lpProp = &v;
	/* A name ANR cannot take is not the call's failure: keep its text out
	 * of the caller's GetLastError. */
	abp_lasterr_init(&scratch);
	hr = abp_restrict_to_filter(d->map, &r, abp_restrict_server_flags(d->dse), &scratch, out);
	abp_lasterr_destroy(&scratch);
	free(w);
	if (hr == MAPI_E_TOO_COMPLEX) {
		*out = NULL;
		return S_OK;
	}
	if (hr == MAPI_E_NOT_ENOUGH_MEMORY)
		return hr;
	if (FAILED(hr))
		return abp_lasterr_set(le, hr, 0, CTX_FILTER,
		                       "The name could not be turned into a directory search.");
	return S_OK;
}

/* EMS_AB_ADDRESS_LOOKUP: equality on the address attributes (the map's
 * mail sources; proxyAddresses' smtp: form on Active Directory). */
static HRESULT exact_filter(const struct abp_dir *d, const char *input, char **out)
{
	const struct abp_attrmap_item *item = abp_attrmap_find(d->map, PR_EMAIL_ADDRESS_W);
	struct lb_error err;
	lb_filter *list = NULL, *leaf = NULL;
	char *v = NULL, *px = NULL;
	size_t len, i, n = 0;
	lb_err rc;
	HRESULT hr = S_OK;

	*out = NULL;
	while (is_space(*input))
		input++;
	len = strlen(input);
	while (len > 0 && is_space(input[len - 1]))
		len--;
	if (len == 0)
		return S_OK;
	lb_error_clear(&err);
	rc = lb_filter_list(LB_FILTER_OR, &list, &err);
	for (i = 0; rc == LB_OK && item != NULL && i < item->n_src; i++) {
		if (item->src[i].conv != ABP_CONV_FIRST && item->src[i].conv != ABP_CONV_ALL)
			continue;
		rc = lb_filter_eq(item->src[i].attr, input, len, &leaf, &err);
		if (rc == LB_OK)
			rc = lb_filter_add(list, leaf, &err);
		n++;
	}
	if (rc == LB_OK && d->dse != NULL && d->dse->is_active_directory) {
		px = malloc(len + 6);
		if (px == NULL) {
			hr = MAPI_E_NOT_ENOUGH_MEMORY;
			goto done;
		}
		memcpy(px, "smtp:", 5);
		memcpy(px + 5, input, len);
		px[len + 5] = '\0';
		rc = lb_filter_eq("proxyAddresses", px, LB_NTS, &leaf, &err);
		if (rc == LB_OK)
			rc = lb_filter_add(list, leaf, &err);
		n++;
	}
	if (rc == LB_OK && n > 0)
		rc = lb_filter_render(list, &v, &err);
	if (rc == LB_E_NOMEM)
		hr = MAPI_E_NOT_ENOUGH_MEMORY;
	else if (rc == LB_OK && n > 0)
		*out = v;                       /* other failures: cannot be searched */
	else
		free(v);
done:
	lb_filter_free(list);
	free(px);
	return hr;
}

/* The candidates of one answered name, as bags (people and groups inside
 * the configured bases only), and its outcome. */
static HRESULT evaluate(struct abp_session *s, const struct abp_dir *d, struct name *nm)
{
	size_t n = lb_result_count(nm->res), i;
	HRESULT hr = S_OK;

	nm->state = MAPI_UNRESOLVED;
	if (n > 0) {
		nm->bags = calloc(n, sizeof(*nm->bags));
		nm->rows = calloc(n, sizeof(*nm->rows));
		if (nm->bags == NULL || nm->rows == NULL)
			return MAPI_E_NOT_ENOUGH_MEMORY;
	}
	for (i = 0; i < n; i++) {
		const lb_entry *e = lb_result_entry(nm->res, i);
		const char *dn = lb_entry_dn(e);
		enum abp_eid_type type;
		bool inside = false;
		struct abp_props *bag = &nm->bags[nm->n_bags];

		if (dn == NULL)
			continue;
		hr = abp_dir_in_scope(d, dn, &inside);
		if (FAILED(hr))
			return hr;
		if (!inside)
			continue;
		abp_props_init(bag);
		hr = abp_dir_bag_from_entry(d->map, &s->uid, e, &type, bag);
		if (hr == MAPI_E_NOT_FOUND)
			continue;               /* neither a person nor a group */
		if (FAILED(hr))
			return hr;
		nm->rows[nm->n_bags++] = bag;
	}
	nm->state = abp_resolve_choose(nm->rows, nm->n_bags,
	                               lb_result_partial(nm->res) != LB_PARTIAL_NONE, nm->input,
	                               &nm->pick);
	if (nm->state == MAPI_RESOLVED) {
		/* A resolved recipient's PR_INSTANCE_KEY (CT-11a): its record key,
		 * unique among the entries of the list. */
		struct abp_props *bag = &nm->bags[nm->pick];
		const struct abp_prop *rk = abp_props_find(bag, PR_RECORD_KEY);

		if (rk != NULL && PROP_TYPE(rk->tag) == PT_BINARY)
			hr = abp_props_add_binary(bag, PR_INSTANCE_KEY, rk->v.bin.lpb, rk->v.bin.cb);
	}
	return hr;
}

/* The checks before anything is read (CT-11b, CT-11k). */
static HRESULT check_args(struct abp_lasterr *le, const SPropTagArray *tags, ULONG flags,
                          const ADRLIST *list, const FlagList *fl)
{
	ULONG i;

	if (flags & ~(ULONG)KNOWN_FLAGS)
		return abp_lasterr_set(le, MAPI_E_UNKNOWN_FLAGS, 0, CTX_ARGS,
		                       "ResolveNames takes only MAPI_UNICODE, EMS_AB_ADDRESS_LOOKUP "
		                       "and MAPI_CACHE_ONLY (flags 0x%08lx).", (unsigned long)flags);
	if (list == NULL || fl == NULL)
		return abp_lasterr_set(le, MAPI_E_INVALID_PARAMETER, 0, CTX_ARGS,
		                       "ResolveNames needs an address list and a flag list.");
	if (fl->cFlags != list->cEntries)
		return abp_lasterr_set(le, MAPI_E_INVALID_PARAMETER, 0, CTX_ARGS,
		                       "ResolveNames: the flag list has %lu flags for %lu entries; "
		                       "it needs one per entry.", (unsigned long)fl->cFlags,
		                       (unsigned long)list->cEntries);
	for (i = 0; i < list->cEntries; i++)
		if (list->aEntries[i].cValues > 0 && list->aEntries[i].rgPropVals == NULL)
			return abp_lasterr_set(le, MAPI_E_INVALID_PARAMETER, 0, CTX_ARGS,
			                       "ResolveNames: entry %lu has %lu properties but no "
			                       "property array.", (unsigned long)i,
			                       (unsigned long)list->aEntries[i].cValues);
	if (tags != NULL && tags->cValues > 0x10000)
		return abp_lasterr_set(le, MAPI_E_INVALID_PARAMETER, 0, CTX_ARGS,
		                       "ResolveNames: %lu columns is more than any address book "
		                       "entry has.", (unsigned long)tags->cValues);
	return S_OK;
}

HRESULT abp_resolve_names(struct abp_session *s, struct abp_lasterr *le,
                          const struct abp_container_cfg *cfg, const SPropTagArray *tags,
                          ULONG flags, ADRLIST *list, FlagList *fl)
{
	struct abp_resolve_outcome *outcome = NULL;
	struct lb_search_params *params = NULL;
	lb_result **results = NULL;
	struct name *names = NULL;
	struct abp_allocs al;
	struct abp_dir d;
	struct lb_error err;
	const char *base;
	size_t n = 0, n_search = 0, i, k;
	lb_err rc;
	HRESULT hr;

	if (s == NULL || le == NULL)
		return MAPI_E_INVALID_PARAMETER;
	if (!abp_session_enter(s))
		return MAPI_E_INVALID_OBJECT;           /* LC-40 */
	hr = check_args(le, tags, flags, list, fl);
	if (FAILED(hr) || list->cEntries == 0)
		goto done;

	/* c, d: the unresolved entries without an entry ID that have a name. */
	names = calloc(list->cEntries, sizeof(*names));
	if (names == NULL)
		goto nomem;
	for (i = 0; i < list->cEntries; i++) {
		const ADRENTRY *ae = &list->aEntries[i];
		const SPropValue *dn;

		if (fl->ulFlag[i] != MAPI_UNRESOLVED || ae->cValues == 0 ||
		    find_prop(ae, PR_ENTRYID) != NULL)
			continue;
		dn = find_prop(ae, PR_DISPLAY_NAME_W);
		if (dn == NULL || (PROP_TYPE(dn->ulPropTag) != PT_UNICODE &&
		                   PROP_TYPE(dn->ulPropTag) != PT_STRING8) ||
		    dn->Value.lpszA == NULL)
			continue;
		names[n].entry = i;
		names[n].input = abp_propval_utf8_dup(dn);
		if (names[n].input == NULL)
			goto nomem;
		n++;
	}
	if (n == 0)
		goto done;

	hr = abp_dir_open(s, le, &d);
	if (FAILED(hr))
		goto done;
	base = cfg != NULL && cfg->base_dn != NULL && cfg->base_dn[0] != '\0' ? cfg->base_dn
	       : (d.n_bases > 0 ? d.bases[0] : NULL);
	params = calloc(n, sizeof(*params));
	results = calloc(n, sizeof(*results));
	if (params == NULL || results == NULL)
		goto nomem;
	for (i = 0; i < n; i++) {
		char *nf = NULL;

		hr = (flags & EMS_AB_ADDRESS_LOOKUP) ? exact_filter(&d, names[i].input, &nf)
		                                     : anr_filter(&d, le, names[i].input, &nf);
		if (hr == MAPI_E_NOT_ENOUGH_MEMORY)
			goto nomem;
		if (FAILED(hr))
			goto done;
		if (nf == NULL)
			continue;               /* stays unresolved */
		names[i].filter = abp_dir_container_filter(&d, cfg, nf);
		free(nf);
		if (names[i].filter == NULL)
			goto nomem;
		lb_search_params_init(&params[n_search]);
		params[n_search].base = base;
		params[n_search].scope = LB_SCOPE_SUB;
		params[n_search].filter = names[i].filter;
		params[n_search].attrs = d.attrs;
		params[n_search].size_limit = ABP_RESOLVE_SIZE_LIMIT;
		params[n_search].mode = LB_MODE_PLAIN;
		params[n_search].follow_ranges = false;
		n_search++;
	}

	/* Every name at once: one pipelined batch (j: nothing applied yet). */
	if (n_search > 0) {
		if (abp_session_ending(s)) {
			hr = MAPI_E_INVALID_OBJECT;
			goto done;
		}
		lb_error_clear(&err);
		rc = lb_search_batch(d.conn, params, n_search, results, NULL, &err);
		if (rc != LB_OK) {
			hr = abp_dir_fail(s, le, &err, CTX_SEARCH);
			goto done;
		}
		abp_session_note_lb_error(s, &err);
	}
	for (i = 0, k = 0; i < n; i++) {
		if (names[i].filter == NULL) {
			names[i].state = MAPI_UNRESOLVED;
			continue;
		}
		names[i].res = results[k];
		results[k++] = NULL;
		hr = evaluate(s, &d, &names[i]);
		if (hr == MAPI_E_NOT_ENOUGH_MEMORY)
			goto nomem;
		if (FAILED(hr))
			goto done;
	}

	/* Then apply, all or nothing. */
	outcome = calloc(list->cEntries, sizeof(*outcome));
	if (outcome == NULL)
		goto nomem;
	for (i = 0; i < n; i++) {
		outcome[names[i].entry].state = names[i].state;
		if (names[i].state == MAPI_RESOLVED)
			outcome[names[i].entry].bag = &names[i].bags[names[i].pick];
	}
	al = abp_allocs_of(s);
	hr = abp_resolve_apply(&al, tags, flags, list, fl, outcome);
	if (hr == MAPI_E_NOT_ENOUGH_MEMORY)
		goto nomem;
	goto done;

nomem:
	hr = abp_lasterr_set(le, MAPI_E_NOT_ENOUGH_MEMORY, 0, CTX_NOMEM,
	                     "Out of memory resolving names; nothing was changed.");
done:
	for (i = 0; names != NULL && i < n; i++)
		name_free(&names[i]);
	for (i = 0; results != NULL && i < n; i++)
		lb_result_free(results[i]);
	free(names);
	free(results);
	free(params);
	free(outcome);
	abp_session_leave(s);
	return hr;
}
