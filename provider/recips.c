/*
 * recips.c - IABLogon::PrepareRecips (LO-8) for the entries of ours in an
 * ADRLIST.  See recips.h.
 */
#include "recips.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "lookup.h"

static HRESULT lookup_default(void *ctx, struct abp_session *s, struct abp_lasterr *le,
                              const struct abp_eid *eid, struct abp_props *bag)
{
	(void)ctx;
	return abp_dir_lookup(s, le, eid, bag);
}

HRESULT abp_prepare_recips(struct abp_session *s, struct abp_lasterr *le, ULONG flags,
                           LPSPropTagArray tags, LPADRLIST list)
{
	return abp_prepare_recips_with(s, le, flags, tags, list, lookup_default, NULL);
}

struct prep {
	bool ours;              /* PR_ENTRYID of ours: rebuild this entry */
	bool vanished;          /* ours, but gone from the directory (LO-8g) */
	struct abp_props bag;
	SPropValue *vals;       /* the new rgPropVals root */
	ULONG n;
};

static const SPropValue *find_val(const SPropValue *v, ULONG n, ULONG tag)
{
	ULONG i;

	for (i = 0; i < n; i++)
		if (PROP_ID(v[i].ulPropTag) == PROP_ID(tag))
			return &v[i];
	return NULL;
}

static bool id_seen(const SPropValue *v, ULONG n, ULONG tag)
{
	return find_val(v, n, tag) != NULL;
}

/* Make a PR_ENTRYID slot long-term (LO-8c): abFlags zero (EK-3). */
static void make_long_term(SPropValue *v)
{
	if (PROP_ID(v->ulPropTag) == PROP_ID(PR_ENTRYID) && PROP_TYPE(v->ulPropTag) == PT_BINARY &&
	    v->Value.bin.cb >= 4)
		memset(v->Value.bin.lpb, 0, 4);
}

/* Keep an existing value in the requested type: as is, or a string
 * converted between _A and _W.  *ok false when it cannot serve. */
static HRESULT keep_existing(const struct abp_allocs *al, void *root, const SPropValue *old,
                             ULONG want, SPropValue *dst, bool *ok)
{
	ULONG have = PROP_TYPE(old->ulPropTag), wt = PROP_TYPE(want);
	struct abp_props tmp;
	char *utf8;
	bool err = false;
	HRESULT hr;

	*ok = false;
	if (have == PT_ERROR)
		return S_OK;
	if (wt == PT_UNSPECIFIED || wt == have) {
		hr = abp_propval_copy(al, root, old, dst);
		if (hr == MAPI_E_INVALID_PARAMETER)
			return S_OK;    /* a value we cannot copy: read it instead */
		*ok = SUCCEEDED(hr);
		return hr;
	}
	if (!((wt == PT_UNICODE || wt == PT_STRING8) && (have == PT_UNICODE || have == PT_STRING8)))
		return S_OK;
	utf8 = abp_propval_utf8_dup(old);
	if (utf8 == NULL)
		return (old->Value.lpszA == NULL) ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
	abp_props_init(&tmp);
	hr = abp_props_add_string(&tmp, CHANGE_PROP_TYPE(old->ulPropTag, PT_UNICODE), utf8,
	                          (size_t)-1);
	free(utf8);
	if (SUCCEEDED(hr))
		hr = abp_props_fill(al, root, &tmp, want, true, dst, &err);
	abp_props_free(&tmp);
	*ok = SUCCEEDED(hr) && !err;
	return hr;
}

HRESULT abp_recip_build(const struct abp_allocs *al, const SPropTagArray *tags,
                        const ADRENTRY *ae, const struct abp_props *bag, bool prefer_entry,
                        bool unicode, SPropValue **vals, ULONG *n)
{
	size_t cap = (size_t)tags->cValues + ae->cValues;
	void *root = NULL;
	SPropValue *nv;
	ULONG i, k = 0;
	HRESULT hr = S_OK;

	if (cap == 0 || cap > ULONG_MAX / sizeof(SPropValue))
		return MAPI_E_NOT_ENOUGH_MEMORY;
	if (al->alloc_buffer((ULONG)(cap * sizeof(SPropValue)), &root) != S_OK || root == NULL)
		return MAPI_E_NOT_ENOUGH_MEMORY;
	nv = root;
	/* d: the requested tags in order (duplicates once) ... */
	for (i = 0; i < tags->cValues; i++) {
		ULONG t = tags->aulPropTag[i];
		const SPropValue *old;
		bool ok = false, err = false;

		if (id_seen(nv, k, t))
			continue;
		old = find_val(ae->rgPropVals, ae->cValues, t);
		/* e: an existing value is kept (or, resolving, used when the
		 * directory has none) ... */
		if (old != NULL && (prefer_entry || bag == NULL || abp_props_find(bag, t) == NULL)) {
			hr = keep_existing(al, root, old, t, &nv[k], &ok);
			if (FAILED(hr))
				goto done;
		}
		/* ... otherwise read; unavailable → PT_ERROR/NOT_FOUND. */
		if (!ok) {
			if (bag == NULL) {
				nv[k].ulPropTag = PROP_TAG(PT_ERROR, PROP_ID(t));
				nv[k].dwAlignPad = 0;
				nv[k].Value.err = MAPI_E_NOT_FOUND;
			} else {
				hr = abp_props_fill(al, root, bag, t, unicode, &nv[k], &err);
				if (FAILED(hr))
					goto done;
			}
		}
		make_long_term(&nv[k]);
		k++;
	}
	/* ... then the other existing properties. */
	for (i = 0; i < ae->cValues; i++) {
		const SPropValue *old = &ae->rgPropVals[i];

		if (id_seen(nv, k, old->ulPropTag))
			continue;
		hr = abp_propval_copy(al, root, old, &nv[k]);
		if (hr == MAPI_E_INVALID_PARAMETER) {
			/* Unknown type from the caller: keep the slot, not the value. */
			nv[k].ulPropTag = PROP_TAG(PT_ERROR, PROP_ID(old->ulPropTag));
			nv[k].dwAlignPad = 0;
			nv[k].Value.err = MAPI_E_NOT_FOUND;
			hr = S_OK;
		}
		if (FAILED(hr))
			goto done;
		make_long_term(&nv[k]);
		k++;
	}
done:
	if (FAILED(hr)) {
		al->free_buffer(root);
		return hr;
	}
	*vals = nv;
	*n = k;
	return S_OK;
}

HRESULT abp_prepare_recips_with(struct abp_session *s, struct abp_lasterr *le, ULONG flags,
                                LPSPropTagArray tags, LPADRLIST list,
                                abp_dir_lookup_fn lookup, void *ctx)
{
	struct abp_allocs al;
	struct prep *p = NULL;
	ULONG i, j;
	HRESULT hr = S_OK;

	if (s == NULL)
		return MAPI_E_INVALID_PARAMETER;
	/* The lookups use the connection: bracket them (nesting inside the
	 * logon's own enter is fine, it only counts calls).  First, so that
	 * after Logoff the answer is MAPI_E_INVALID_OBJECT whatever the
	 * arguments (LC-40). */
	if (!abp_session_enter(s))
		return MAPI_E_INVALID_OBJECT;
	if (le == NULL || lookup == NULL) {
		abp_session_leave(s);
		return MAPI_E_INVALID_PARAMETER;
	}
	if (flags & ~(ULONG)MAPI_CACHE_ONLY) {
		abp_session_leave(s);
		return MAPI_E_UNKNOWN_FLAGS;            /* h */
	}
	if (tags == NULL || tags->cValues == 0 || (list != NULL && list->cEntries == 0)) {
		abp_session_leave(s);
		return S_OK;                            /* a */
	}
	if (list == NULL) {
		abp_session_leave(s);
		return MAPI_E_INVALID_PARAMETER;
	}
	al = abp_allocs_of(s);
	p = calloc(list->cEntries, sizeof(*p));
	if (p == NULL) {
		abp_session_leave(s);
		return MAPI_E_NOT_ENOUGH_MEMORY;
	}
	for (i = 0; i < list->cEntries; i++)
		abp_props_init(&p[i].bag);

	/* Look everything up first: a failure leaves the list untouched (MM-7). */
	for (i = 0; i < list->cEntries; i++) {
		const ADRENTRY *ae = &list->aEntries[i];
		const SPropValue *ev;
		struct abp_eid eid;

		if (ae->rgPropVals == NULL || ae->cValues == 0)
			continue;
		ev = find_val(ae->rgPropVals, ae->cValues, PR_ENTRYID);
		if (ev == NULL || PROP_TYPE(ev->ulPropTag) != PT_BINARY)
			continue;                       /* b */
		if (abp_eid_parse(ev->Value.bin.lpb, ev->Value.bin.cb, s->uid.ab, &eid) != ABP_EID_OK)
			continue;                       /* b: not ours */
		if (eid.type != ABP_EID_MAILUSER && eid.type != ABP_EID_DISTLIST)
			continue;
		p[i].ours = true;
		/* Logoff began while we were looking up: stop here rather than
		 * queue one more call on the connection (LC-32). */
		if (abp_session_ending(s)) {
			hr = MAPI_E_INVALID_OBJECT;
			goto done;
		}
		hr = lookup(ctx, s, le, &eid, &p[i].bag);
		if (hr == MAPI_E_NOT_FOUND) {
			p[i].vanished = true;           /* g */
			abp_props_free(&p[i].bag);
			hr = S_OK;
		}
		if (FAILED(hr))
			goto done;
	}
	/* Then build every new array ... */
	for (i = 0; i < list->cEntries; i++) {
		if (!p[i].ours)
			continue;
		/* Untyped string tags come back as PT_UNICODE. */
		hr = abp_recip_build(&al, tags, &list->aEntries[i],
		                     p[i].vanished ? NULL : &p[i].bag, true, true, &p[i].vals,
		                     &p[i].n);
		if (FAILED(hr))
			goto done;
	}
	/* ... and only then swap them in (f). */
	for (i = 0; i < list->cEntries; i++) {
		if (!p[i].ours)
			continue;
		al.free_buffer(list->aEntries[i].rgPropVals);
		list->aEntries[i].rgPropVals = p[i].vals;
		list->aEntries[i].cValues = p[i].n;
		p[i].vals = NULL;
	}
	hr = S_OK;
done:
	for (j = 0; j < list->cEntries; j++) {
		if (p[j].vals != NULL)
			al.free_buffer(p[j].vals);
		abp_props_free(&p[j].bag);
	}
	free(p);
	abp_session_leave(s);
	return hr;
}
