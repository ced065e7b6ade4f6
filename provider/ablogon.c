/*
 * ablogon.c - the IABLogon object (LO-1..LO-8, Logoff LC-30..LC-36).
 *
 * The logon is the only owner of the support object (TH-6).  It holds its
 * containers and its status object (created lazily, handed out AddRef'd)
 * and the list of notification registrations, so Logoff can undo them all.
 *
 * Locks: l->lock guards the logon's fields only and is never held across a
 * MAPI call or a call into the directory objects (TH-5).  Every method other
 * than IUnknown's runs between abp_session_enter()/leave(), so after Logoff
 * step 1 they answer MAPI_E_INVALID_OBJECT (LC-40), and Logoff's step 4 waits
 * for those already inside before the connection and the support object go.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abp.h"
#include "config.h"
#include "container.h"
#include "openentry.h"
#include "props.h"
#include "recips.h"

/* MAPIERROR.ulContext values: one per failure site of this file. */
enum {
	CTX_OPENENTRY_MALFORMED = 0x200,
	CTX_OPENENTRY_FOREIGN,
	CTX_OPENENTRY_CONTAINER,
	CTX_OPENENTRY_ACCESS,
	CTX_COMPARE,
	CTX_ADVISE,
	CTX_UNADVISE,
	CTX_TEMPLATE,
	CTX_ONEOFF,
	CTX_STATUSROW,
	CTX_STATUS,
	CTX_RECHECK
};

struct abp_logon {
	IABLogon IABLogon_iface;
	atomic_uint refs;
	struct abp_session *s;      /* one reference, for the logon's lifetime */
	LPMAPISUP sup;              /* one reference until Logoff (LC-12) */
	struct abp_lasterr le;

	plat_mutex lock;            /* guards the fields below */
	bool off;                   /* Logoff has begun (LC-32 step 1) */
	IABContainer *root;
	IABContainer **conts;       /* cfg->n_containers slots, filled lazily */
	IMAPIStatus *status;
	ULONG_PTR *conns;           /* live Subscribe connections */
	size_t n_conns, cap_conns;
	bool pushing, push_again;   /* status-row updates in progress */
};

static inline struct abp_logon *impl_from_IABLogon(IABLogon *iface)
{
	return ABP_CONTAINING_RECORD(iface, struct abp_logon, IABLogon_iface);
}

static const IABLogonVtbl ablogon_vtbl;

/* ------------------------------------------------------------------------ */
/* Status row (LC-20, ST-3)                                                 */
/* ------------------------------------------------------------------------ */

/* UTF-16 copy of utf8 in malloc'd memory (for in-parameters of MAPI calls). */
static WCHAR *wdup(const char *utf8)
{
	size_t n = abp_utf8_to_utf16(utf8, (size_t)-1, NULL, 0);
	WCHAR *w;

	if (n == 0)
		return NULL;
	w = malloc(n * sizeof(WCHAR));
	if (w)
		(void)abp_utf8_to_utf16(utf8, (size_t)-1, w, n);
	return w;
}

/* ModifyStatusRow with ST-2's columns (full) or only the changing ones.
 * Called inside enter/leave, no lock held. */
static HRESULT push_row(struct abp_logon *l, bool full)
{
	char text[ABP_MSG_MAX];
	SPropValue v[8];
	WCHAR *wtext = NULL, *wname = NULL, *wprov = NULL;
	ULONG n = 0, code;
	HRESULT hr;

	code = abp_session_status(l->s, text, sizeof(text));
	wtext = wdup(text);
	if (full) {
		wname = wdup(l->s->cfg->display_name);
		wprov = wdup(ABP_PROVIDER_DISPLAY);
	}
	if (!wtext || (full && (!wname || !wprov))) {
		hr = MAPI_E_NOT_ENOUGH_MEMORY;
		goto done;
	}
	memset(v, 0, sizeof(v));
	if (full) {
		v[n].ulPropTag = PR_DISPLAY_NAME_W;
		v[n++].Value.lpszW = wname;
		v[n].ulPropTag = PR_PROVIDER_DISPLAY_W;
		v[n++].Value.lpszW = wprov;
		v[n].ulPropTag = PR_PROVIDER_DLL_NAME_A;
		v[n++].Value.lpszA = (LPSTR)ABP_DLL_NAME;
		v[n].ulPropTag = PR_RESOURCE_TYPE;
		v[n++].Value.l = MAPI_AB_PROVIDER;
		v[n].ulPropTag = PR_RESOURCE_METHODS;
		v[n++].Value.l = STATUS_VALIDATE_STATE;
		v[n].ulPropTag = PR_RESOURCE_FLAGS;
		v[n++].Value.l = STATUS_NO_PRIMARY_IDENTITY;
	}
	v[n].ulPropTag = PR_STATUS_CODE;
	v[n++].Value.l = (LONG)code;
	v[n].ulPropTag = PR_STATUS_STRING_W;
	v[n++].Value.lpszW = wtext;
	hr = IMAPISupport_ModifyStatusRow(l->sup, n, v, full ? 0 : STATUSROW_UPDATE);
done:
	free(wtext);
	free(wname);
	free(wprov);
	return hr;
}

/* The session's status hook: the connection failed or recovered.  One
 * thread pushes at a time, repeating while others changed it meanwhile, so
 * the row ends up matching the latest state without a lock held over MAPI. */
static void logon_status_hook(void *ctx)
{
	struct abp_logon *l = ctx;

	plat_mutex_lock(&l->lock);
	if (l->pushing) {
		l->push_again = true;
		plat_mutex_unlock(&l->lock);
		return;
	}
	l->pushing = true;
	do {
		l->push_again = false;
		/* A status-table sink may have called Logoff from inside the last
		 * push: nothing more goes to the support object then (LC-32). */
		if (l->off)
			break;
		plat_mutex_unlock(&l->lock);
		HRESULT hr = push_row(l, false);
		if (FAILED(hr))
			(void)abp_lasterr_set(&l->le, hr, 0, CTX_STATUSROW,
			                      "Updating the status row failed (error 0x%08X).",
			                      (unsigned)hr);
		plat_mutex_lock(&l->lock);
	} while (l->push_again);
	l->pushing = false;
	plat_mutex_unlock(&l->lock);
}

void abp_logon_add_status_row(IABLogon *iface)
{
	struct abp_logon *l = impl_from_IABLogon(iface);
	HRESULT hr;

	if (!abp_session_enter(l->s))
		return;
	hr = push_row(l, true);
	if (FAILED(hr))
		(void)abp_lasterr_set(&l->le, hr, 0, CTX_STATUSROW,
		                      "Adding the status row failed (error 0x%08X); the "
		                      "address book works without it.", (unsigned)hr);
	abp_session_leave(l->s);
}

/* ------------------------------------------------------------------------ */
/* Logoff (LC-32), also run by the final Release when Logoff never was      */
/* ------------------------------------------------------------------------ */

static void do_logoff(struct abp_logon *l)
{
	IABContainer *root, **conts;
	IMAPIStatus *status;
	ULONG_PTR *conns;
	size_t n_conns, n_conts;
	LPMAPISUP sup;

	plat_mutex_lock(&l->lock);
	if (l->off) {
		plat_mutex_unlock(&l->lock);
		return;                 /* LC-34 */
	}
	l->off = true;
	root = l->root;
	conts = l->conts;
	status = l->status;
	conns = l->conns;
	n_conns = l->n_conns;
	l->root = NULL;
	l->conts = NULL;
	l->status = NULL;
	l->conns = NULL;
	l->n_conns = l->cap_conns = 0;
	plat_mutex_unlock(&l->lock);

	/* 1. From here on every method answers MAPI_E_INVALID_OBJECT. */
	(void)abp_session_mark_logged_off(l->s);

	/* 2. Cancel every registration (the support object is still ours). */
	for (size_t i = 0; i < n_conns; i++)
		(void)IMAPISupport_Unsubscribe(l->sup, conns[i]);
	free(conns);

	/* 3. Children: what clients still hold stays valid memory (LC-40). */
	n_conts = l->s->cfg->n_containers;
	if (root)
		IABContainer_Release(root);
	for (size_t i = 0; conts && i < n_conts; i++)
		if (conts[i])
			IABContainer_Release(conts[i]);
	free(conts);
	if (status)
		IMAPIStatus_Release(status);

	/* 4. Wait for the other threads' calls inside, then unbind (no race
	 * with them); 5. release the support object, once.  When this thread
	 * is itself inside a call (Logoff from a callback), the outermost
	 * call's leave does both as it returns, so the frames below us keep a
	 * live connection and support object.  l->sup is left as it is: no
	 * method gets past abp_session_enter() any more, and the frames already
	 * inside may still use it until then. */
	sup = l->sup;
	abp_session_close_and_release(l->s, sup);
}

static void logon_free(void *ctx)
{
	struct abp_logon *l = ctx;

	abp_session_release(l->s);
	abp_lasterr_destroy(&l->le);
	plat_mutex_destroy(&l->lock);
	free(l);
}

/* ------------------------------------------------------------------------ */
/* IUnknown                                                                 */
/* ------------------------------------------------------------------------ */

static HRESULT STDMETHODCALLTYPE ABLogon_QueryInterface(IABLogon *iface, REFIID riid,
                                                        LPVOID *ppv)
{
	if (!ppv)
		return MAPI_E_INVALID_PARAMETER;
	*ppv = NULL;
	if (!riid)
		return MAPI_E_INVALID_PARAMETER;
	if (!IsEqualIID(riid, &IID_IUnknown) && !IsEqualIID(riid, &IID_IABLogon))
		return MAPI_E_INTERFACE_NOT_SUPPORTED;
	iface->lpVtbl->AddRef(iface);
	*ppv = iface;
	return S_OK;
}

static ULONG STDMETHODCALLTYPE ABLogon_AddRef(IABLogon *iface)
{
	struct abp_logon *l = impl_from_IABLogon(iface);

	return atomic_fetch_add_explicit(&l->refs, 1, memory_order_relaxed) + 1;
}

static ULONG STDMETHODCALLTYPE ABLogon_Release(IABLogon *iface)
{
	struct abp_logon *l = impl_from_IABLogon(iface);
	ULONG left = atomic_fetch_sub_explicit(&l->refs, 1, memory_order_acq_rel) - 1;

	if (left != 0)
		return left;
	/* LC-33/LC-39: memory goes with the last reference; a logon that was
	 * never logged off is logged off now, so nothing stays behind. */
	do_logoff(l);
	/* A final Release from a callback (a status-table sink, say) returns
	 * into frames that still use l: then l goes with the last of them. */
	if (!abp_session_run_when_idle(l->s, logon_free, l))
		logon_free(l);
	return 0;
}

/* ------------------------------------------------------------------------ */
/* IABLogon                                                                 */
/* ------------------------------------------------------------------------ */

static HRESULT STDMETHODCALLTYPE ABLogon_GetLastError(IABLogon *iface, HRESULT hResult,
                                                      ULONG ulFlags, LPMAPIERROR *lppMAPIError)
{
	struct abp_logon *l = impl_from_IABLogon(iface);
	HRESULT hr;

	if (lppMAPIError)
		*lppMAPIError = NULL;
	if (!abp_session_enter(l->s))
		return MAPI_E_INVALID_OBJECT;   /* LC-40 before any other check */
	hr = abp_lasterr_get(&l->le, l->s, hResult, ulFlags, lppMAPIError);
	abp_session_leave(l->s);
	return hr;
}

static HRESULT STDMETHODCALLTYPE ABLogon_Logoff(IABLogon *iface, ULONG ulFlags)
{
	struct abp_logon *l = impl_from_IABLogon(iface);

	/* LC-31: reserved, no side effects when set. */
	if (ulFlags != 0)
		return MAPI_E_UNKNOWN_FLAGS;
	do_logoff(l);
	return S_OK;
}

/* The logon's container for cc (NULL: the root), made once, AddRef'd for the
 * caller.  idx is cc's index in the configuration. */
static HRESULT get_container(struct abp_logon *l, const struct abp_container_cfg *cc,
                             size_t idx, IABContainer **out)
{
	IABContainer *c = NULL, *fresh = NULL, **slot;
	HRESULT hr;

	plat_mutex_lock(&l->lock);
	if (l->off) {
		plat_mutex_unlock(&l->lock);
		return MAPI_E_INVALID_OBJECT;
	}
	if (cc && !l->conts) {
		l->conts = calloc(l->s->cfg->n_containers, sizeof(*l->conts));
		if (!l->conts) {
			plat_mutex_unlock(&l->lock);
			return MAPI_E_NOT_ENOUGH_MEMORY;
		}
	}
	slot = cc ? &l->conts[idx] : &l->root;
	c = *slot;
	if (c)
		IABContainer_AddRef(c);
	plat_mutex_unlock(&l->lock);
	if (c) {
		*out = c;
		return S_OK;
	}

	/* Made outside the lock; a thread that raced us may have won. */
	hr = abp_container_new(l->s, cc, &fresh);
	if (FAILED(hr))
		return hr;
	plat_mutex_lock(&l->lock);
	if (l->off) {
		hr = MAPI_E_INVALID_OBJECT;
	} else {
		slot = cc ? &l->conts[idx] : &l->root;
		if (*slot) {
			c = *slot;
		} else {
			*slot = fresh;  /* the logon's reference */
			c = fresh;
			fresh = NULL;
		}
		IABContainer_AddRef(c);
	}
	plat_mutex_unlock(&l->lock);
	if (fresh)
		IABContainer_Release(fresh);
	if (FAILED(hr))
		return hr;
	*out = c;
	return S_OK;
}

#define OPENENTRY_FLAGS (MAPI_MODIFY | MAPI_BEST_ACCESS | MAPI_DEFERRED_ERRORS | \
                         MAPI_NO_CACHE | MAPI_CACHE_ONLY)

/* The logon's status object (ST-6: made lazily, once), AddRef'd. */
static HRESULT get_status(struct abp_logon *l, IMAPIStatus **out)
{
	IMAPIStatus *st = NULL, *fresh = NULL;
	HRESULT hr = S_OK;

	plat_mutex_lock(&l->lock);
	st = l->status;
	if (st)
		IMAPIStatus_AddRef(st);
	plat_mutex_unlock(&l->lock);
	if (st) {
		*out = st;
		return S_OK;
	}
	hr = abp_status_new(l->s, &fresh);
	if (FAILED(hr))
		return hr;
	plat_mutex_lock(&l->lock);
	if (l->off) {
		hr = MAPI_E_INVALID_OBJECT;
	} else {
		if (!l->status) {
			l->status = fresh;      /* the logon's reference */
			fresh = NULL;
		}
		st = l->status;
		IMAPIStatus_AddRef(st);
	}
	plat_mutex_unlock(&l->lock);
	if (fresh)
		IMAPIStatus_Release(fresh);
	if (FAILED(hr))
		return hr;
	*out = st;
	return S_OK;
}

/* The root's and the status object's IDs have exactly one locator each
 * (LO-2f: every byte validated, one object has one ID): a root-typed ID
 * with any other locator is not an ID we made. */
static bool fixed_locator_ok(const struct abp_eid *eid)
{
	const char *want;

	if (eid->type == ABP_EID_ROOT)
		want = ABP_ROOT_LOCATOR;
	else if (eid->type == ABP_EID_STATUS)
		want = ABP_STATUS_LOCATOR;
	else
		return true;
	return eid->loc_kind == ABP_EID_LOC_CONTAINER && eid->loc_len == strlen(want) &&
	       memcmp(eid->loc, want, eid->loc_len) == 0;
}

/* OpenEntry's body: failures are recorded in le, the last-error slot of
 * the object the caller called (the logon's own, or a container's or a
 * DL's, LO-1/MU-8).  The caller is inside abp_session_enter(). */
static HRESULT logon_open_entry(struct abp_logon *l, struct abp_lasterr *le, ULONG cbEntryID,
                                LPENTRYID lpEntryID, LPCIID lpInterface, ULONG ulFlags,
                                ULONG *lpulObjType, LPUNKNOWN *lppUnk)
{
	const struct abp_container_cfg *cc = NULL;
	IABContainer *cont = NULL;
	IMAPIStatus *st = NULL;
	struct abp_eid eid;
	size_t idx = 0;
	ULONG type = 0;
	LPUNKNOWN obj = NULL;
	HRESULT hr;

	if (lpulObjType)
		*lpulObjType = 0;
	if (lppUnk)
		*lppUnk = NULL;
	if (!lpulObjType || !lppUnk) {
		hr = MAPI_E_INVALID_PARAMETER;
		goto done;
	}
	if (ulFlags & ~OPENENTRY_FLAGS) {
		hr = MAPI_E_UNKNOWN_FLAGS;
		goto done;
	}

	/* The ID first: a damaged one is MAPI_E_INVALID_ENTRYID whatever the
	 * flags ask for (LO-2). */
	memset(&eid, 0, sizeof(eid));
	if (!lpEntryID || cbEntryID == 0) {
		eid.type = ABP_EID_ROOT;        /* LO-2a */
	} else {
		switch (abp_eid_parse(lpEntryID, cbEntryID, l->s->uid.ab, &eid)) {
		case ABP_EID_OK:
			if (fixed_locator_ok(&eid))
				break;
			hr = abp_lasterr_set(le, MAPI_E_INVALID_ENTRYID, 0,
			                     CTX_OPENENTRY_MALFORMED,
			                     "The entry ID names the %s with a locator this "
			                     "address book never made; it is not a valid "
			                     "ldapab entry ID.",
			                     eid.type == ABP_EID_ROOT ? "root container"
			                                              : "status object");
			goto done;
		case ABP_EID_FOREIGN:
			hr = abp_lasterr_set(le, MAPI_E_UNKNOWN_ENTRYID, 0,
			                     CTX_OPENENTRY_FOREIGN,
			                     "The entry ID belongs to another address book "
			                     "provider or another ldapab instance.");
			goto done;
		case ABP_EID_MALFORMED:
		default:
			hr = abp_lasterr_set(le, MAPI_E_INVALID_ENTRYID, 0,
			                     CTX_OPENENTRY_MALFORMED,
			                     "The entry ID (%u bytes) is damaged or truncated; "
			                     "it is not a valid ldapab entry ID.",
			                     (unsigned)cbEntryID);
			goto done;
		}
	}

	/* Everything here is read-only (LO-2c).  The status object is the
	 * exception LO-5/ST-5 make: MAPI_MODIFY still opens it (read-only, its
	 * SetProps answers MAPI_E_NO_ACCESS), exactly as OpenStatusEntry does,
	 * so its PR_ENTRYID and OpenStatusEntry agree. */
	if ((ulFlags & MAPI_MODIFY) && !(ulFlags & MAPI_BEST_ACCESS) &&
	    eid.type != ABP_EID_STATUS) {
		hr = abp_lasterr_set(le, MAPI_E_NO_ACCESS, 0, CTX_OPENENTRY_ACCESS,
		                     "The LDAP address book is read-only; open entries "
		                     "without MAPI_MODIFY.");
		goto done;
	}

	switch (eid.type) {
	case ABP_EID_ROOT:
	case ABP_EID_CONTAINER:
		if (eid.type == ABP_EID_CONTAINER) {
			const struct abp_config *cfg = l->s->cfg;

			for (idx = 0; idx < cfg->n_containers; idx++) {
				const char *id = cfg->containers[idx].id;

				if (eid.loc_kind == ABP_EID_LOC_CONTAINER &&
				    eid.loc_len == strlen(id) && memcmp(eid.loc, id, eid.loc_len) == 0)
					break;
			}
			if (idx == cfg->n_containers) {
				char shown[4 * 64 + 4];

				/* The locator comes from the caller: shown escaped (no
				 * control bytes or broken UTF-8 in the text), 64 bytes. */
				abp_escape_bytes(eid.loc, eid.loc_len, 64, shown, sizeof(shown));
				hr = abp_lasterr_set(le, MAPI_E_NOT_FOUND, 0,
				                     CTX_OPENENTRY_CONTAINER,
				                     "The address book container \"%s\" is no "
				                     "longer configured (PR_LDAPAB_CONTAINERS).",
				                     shown);
				goto done;
			}
			cc = &cfg->containers[idx];
		}
		hr = get_container(l, cc, idx, &cont);
		if (FAILED(hr))
			goto done;
		/* LO-2d: the container's QueryInterface knows its interfaces. */
		hr = IABContainer_QueryInterface(cont, lpInterface ? lpInterface : &IID_IABContainer,
		                                 (LPVOID *)&obj);
		if (FAILED(hr)) {
			(void)abp_lasterr_set(le, hr, 0, CTX_OPENENTRY_CONTAINER,
			                      "Containers support IUnknown, IMAPIProp, "
			                      "IMAPIContainer and IABContainer only.");
			goto done;
		}
		type = MAPI_ABCONT;
		break;
	case ABP_EID_MAILUSER:
	case ABP_EID_DISTLIST:
		/* MAPI_NO_CACHE / MAPI_CACHE_ONLY are for offline-capable providers;
		 * we always ask the directory, so they change nothing (LO-2). */
		hr = abp_open_directory_entry(l->s, le, &eid, lpInterface,
		                              ulFlags & ~(ULONG)(MAPI_NO_CACHE | MAPI_CACHE_ONLY),
		                              &type, &obj);
		if (FAILED(hr))
			goto done;
		break;
	case ABP_EID_STATUS:
		/* The status object's own PR_ENTRYID (ST-2) opens the status
		 * object, as OpenStatusEntry does (its locator was checked by
		 * fixed_locator_ok above). */
		hr = get_status(l, &st);
		if (FAILED(hr))
			goto done;
		hr = IMAPIStatus_QueryInterface(st, lpInterface ? lpInterface : &IID_IMAPIStatus,
		                                (LPVOID *)&obj);
		if (FAILED(hr)) {
			(void)abp_lasterr_set(le, hr, 0, CTX_STATUS,
			                      "The status object supports IUnknown, IMAPIProp "
			                      "and IMAPIStatus only.");
			goto done;
		}
		type = MAPI_STATUS;
		break;
	default:
		hr = abp_lasterr_set(le, MAPI_E_INVALID_ENTRYID, 0, CTX_OPENENTRY_MALFORMED,
		                     "The entry ID names an unknown kind of object.");
		goto done;
	}
	*lpulObjType = type;
	*lppUnk = obj;
	obj = NULL;
	hr = S_OK;
done:
	if (cont)
		IABContainer_Release(cont);
	if (st)
		IMAPIStatus_Release(st);
	return hr;
}

static HRESULT STDMETHODCALLTYPE ABLogon_OpenEntry(IABLogon *iface, ULONG cbEntryID,
                                                   LPENTRYID lpEntryID, LPCIID lpInterface,
                                                   ULONG ulFlags, ULONG *lpulObjType,
                                                   LPUNKNOWN *lppUnk)
{
	struct abp_logon *l = impl_from_IABLogon(iface);
	HRESULT hr;

	if (lpulObjType)
		*lpulObjType = 0;
	if (lppUnk)
		*lppUnk = NULL;
	if (!abp_session_enter(l->s))
		return MAPI_E_INVALID_OBJECT;   /* LC-40 before any other check */
	hr = logon_open_entry(l, &l->le, cbEntryID, lpEntryID, lpInterface, ulFlags,
	                      lpulObjType, lppUnk);
	abp_session_leave(l->s);
	return hr;
}

HRESULT abp_logon_open_entry(IABLogon *logon, struct abp_lasterr *le, ULONG cb,
                             LPENTRYID eid, LPCIID iid, ULONG flags, ULONG *type,
                             LPUNKNOWN *out)
{
	assert(logon && logon->lpVtbl == &ablogon_vtbl && le);
	return logon_open_entry(impl_from_IABLogon(logon), le, cb, eid, iid, flags, type, out);
}

/* Parse one side of CompareEntryIDs; NULL/0 is the root. */
static bool compare_parse(const struct abp_logon *l, ULONG cb, LPENTRYID id,
                          struct abp_eid *out)
{
	if (!id || cb == 0) {
		memset(out, 0, sizeof(*out));
		out->type = ABP_EID_ROOT;
		return true;
	}
	return abp_eid_parse(id, cb, l->s->uid.ab, out) == ABP_EID_OK && fixed_locator_ok(out);
}

/* LO-3: TRUE iff the two IDs have the same identity (type, locator kind and
 * bytes; abFlags and DN hints ignored), compared offline.  Known limit
 * (entryid.h): a DN-locator ID and the entryUUID ID the same person's
 * opened object carries compare FALSE - proving them one person would take
 * a directory lookup, which this method does not make. */
static HRESULT STDMETHODCALLTYPE ABLogon_CompareEntryIDs(IABLogon *iface, ULONG cbEntryID1,
                                                         LPENTRYID lpEntryID1,
                                                         ULONG cbEntryID2,
                                                         LPENTRYID lpEntryID2,
                                                         ULONG ulFlags, ULONG *lpulResult)
{
	struct abp_logon *l = impl_from_IABLogon(iface);
	struct abp_eid a, b;
	HRESULT hr = S_OK;

	if (lpulResult)
		*lpulResult = FALSE;
	if (!abp_session_enter(l->s))
		return MAPI_E_INVALID_OBJECT;   /* LC-40 before any other check */
	if (!lpulResult) {
		hr = MAPI_E_INVALID_PARAMETER;
		goto done;
	}
	if (ulFlags != 0) {
		hr = MAPI_E_UNKNOWN_FLAGS;
		goto done;
	}
	if (!compare_parse(l, cbEntryID1, lpEntryID1, &a) ||
	    !compare_parse(l, cbEntryID2, lpEntryID2, &b)) {
		/* LO-3 / §13: malformed and foreign both → INVALID_ENTRYID. */
		hr = abp_lasterr_set(&l->le, MAPI_E_INVALID_ENTRYID, 0, CTX_COMPARE,
		                     "An entry ID given to CompareEntryIDs is damaged or "
		                     "not an ldapab entry ID of this address book.");
		goto done;
	}
	/* One root per instance: NULL/0 and the root's ID (its one locator,
	 * checked above) are the same object. */
	if (a.type == ABP_EID_ROOT || b.type == ABP_EID_ROOT)
		*lpulResult = a.type == b.type ? TRUE : FALSE;
	else
		*lpulResult = abp_eid_same_object(&a, &b) ? TRUE : FALSE;
done:
	abp_session_leave(l->s);
	return hr;
}

/* The notification key for an object: its identity only, so the forms of
 * one ID (abFlags, with or without a DN hint, EK-3/EK-6) subscribe to the
 * same key - the record key minus its 4 flag bytes (always 0 there).  The
 * root (NULL/0 or its ID) is keyed by the instance UID.  eid NULL: root. */
static HRESULT make_key(const struct abp_logon *l, const struct abp_eid *eid, LPNOTIFKEY *out)
{
	uint8_t *rk = NULL;
	const uint8_t *bytes = l->s->uid.ab;
	size_t n = sizeof(l->s->uid.ab);
	LPNOTIFKEY key;

	if (eid && eid->type != ABP_EID_ROOT) {
		/* A record key has no hint: header, locator, hint length. */
		size_t cap = ABP_EID_HEADER + eid->loc_len + 2, rkcb;

		rk = malloc(cap);
		if (!rk)
			return MAPI_E_NOT_ENOUGH_MEMORY;
		rkcb = abp_eid_record_key(eid, rk, cap);
		if (rkcb <= 4) {
			free(rk);
			return MAPI_E_INVALID_ENTRYID;  /* parsed IDs always encode */
		}
		bytes = rk + 4;
		n = rkcb - 4;
	}
	key = malloc(CbNewNOTIFKEY(n));
	if (!key) {
		free(rk);
		return MAPI_E_NOT_ENOUGH_MEMORY;
	}
	key->cb = (ULONG)n;
	memcpy(key->ab, bytes, n);
	free(rk);
	*out = key;
	return S_OK;
}

/* The notification events a client may ask for (fnevReservedForMapi is MAPI's). */
#define ADVISE_EVENTS (fnevCriticalError | fnevNewMail | fnevObjectCreated | \
                       fnevObjectDeleted | fnevObjectModified | fnevObjectMoved | \
                       fnevObjectCopied | fnevSearchComplete | fnevTableModified | \
                       fnevStatusObjectModified | fnevExtended)

static HRESULT STDMETHODCALLTYPE ABLogon_Advise(IABLogon *iface, ULONG cbEntryID,
                                                LPENTRYID lpEntryID, ULONG ulEventMask,
                                                LPMAPIADVISESINK lpAdviseSink,
                                                ULONG_PTR *lpulConnection)
{
	struct abp_logon *l = impl_from_IABLogon(iface);
	LPNOTIFKEY key = NULL;
	ULONG_PTR conn = 0;
	struct abp_eid eid;
	bool have_eid = false, keep = false;
	HRESULT hr;

	if (lpulConnection)
		*lpulConnection = 0;
	if (!abp_session_enter(l->s))
		return MAPI_E_INVALID_OBJECT;   /* LC-40 before any other check */
	if (!lpulConnection || !lpAdviseSink || ulEventMask == 0) {
		hr = MAPI_E_INVALID_PARAMETER;
		goto done;
	}
	if (ulEventMask & ~ADVISE_EVENTS) {
		hr = abp_lasterr_set(&l->le, MAPI_E_UNKNOWN_FLAGS, 0, CTX_ADVISE,
		                     "Advise: event mask 0x%08X has bits MAPI does not define "
		                     "(allowed: the fnev* events of mapidefs.h, not "
		                     "fnevReservedForMapi).", (unsigned)ulEventMask);
		goto done;
	}
	if (lpEntryID && cbEntryID) {
		switch (abp_eid_parse(lpEntryID, cbEntryID, l->s->uid.ab, &eid)) {
		case ABP_EID_OK:
			if (fixed_locator_ok(&eid)) {
				have_eid = true;
				break;
			}
			hr = abp_lasterr_set(&l->le, MAPI_E_INVALID_ENTRYID, 0, CTX_ADVISE,
			                     "Advise: the entry ID is not one this address "
			                     "book made.");
			goto done;
		case ABP_EID_FOREIGN:
			hr = abp_lasterr_set(&l->le, MAPI_E_UNKNOWN_ENTRYID, 0, CTX_ADVISE,
			                     "Advise: the entry ID belongs to another provider.");
			goto done;
		default:
			hr = abp_lasterr_set(&l->le, MAPI_E_INVALID_ENTRYID, 0, CTX_ADVISE,
			                     "Advise: the entry ID is damaged or truncated.");
			goto done;
		}
	}
	hr = make_key(l, have_eid ? &eid : NULL, &key);
	if (FAILED(hr))
		goto done;
	/* The support object AddRefs the sink; we keep none (LO-4). */
	hr = IMAPISupport_Subscribe(l->sup, key, ulEventMask, 0, lpAdviseSink, &conn);
	if (FAILED(hr))
		goto done;

	plat_mutex_lock(&l->lock);
	if (!l->off) {
		if (l->n_conns == l->cap_conns) {
			size_t cap = l->cap_conns ? 2 * l->cap_conns : 4;
			ULONG_PTR *v = realloc(l->conns, cap * sizeof(*v));

			if (v) {
				l->conns = v;
				l->cap_conns = cap;
			}
		}
		if (l->n_conns < l->cap_conns) {
			l->conns[l->n_conns++] = conn;
			keep = true;
		} else {
			hr = MAPI_E_NOT_ENOUGH_MEMORY;
		}
	} else {
		hr = MAPI_E_INVALID_OBJECT;     /* Logoff began meanwhile */
	}
	plat_mutex_unlock(&l->lock);
	if (!keep) {
		/* Still inside enter: the support object is still ours. */
		(void)IMAPISupport_Unsubscribe(l->sup, conn);
		goto done;
	}
	*lpulConnection = conn;
	hr = S_OK;
done:
	free(key);
	abp_session_leave(l->s);
	return hr;
}

static HRESULT STDMETHODCALLTYPE ABLogon_Unadvise(IABLogon *iface, ULONG_PTR ulConnection)
{
	struct abp_logon *l = impl_from_IABLogon(iface);
	bool found = false;
	HRESULT hr;

	if (!abp_session_enter(l->s))
		return MAPI_E_INVALID_OBJECT;   /* LC-40 before any other check */
	if (ulConnection == 0) {
		hr = MAPI_E_INVALID_PARAMETER;
		goto done;
	}
	plat_mutex_lock(&l->lock);
	for (size_t i = 0; i < l->n_conns; i++) {
		if (l->conns[i] == ulConnection) {
			l->conns[i] = l->conns[--l->n_conns];
			found = true;
			break;
		}
	}
	plat_mutex_unlock(&l->lock);
	if (!found) {
		hr = abp_lasterr_set(&l->le, MAPI_E_NOT_FOUND, 0, CTX_UNADVISE,
		                     "Unadvise: connection %lu is not registered with this "
		                     "logon.", (unsigned long)ulConnection);
		goto done;
	}
	hr = IMAPISupport_Unsubscribe(l->sup, ulConnection);
done:
	abp_session_leave(l->s);
	return hr;
}

#define STATUS_OPEN_FLAGS (MAPI_MODIFY | MAPI_BEST_ACCESS | MAPI_DEFERRED_ERRORS)

static HRESULT STDMETHODCALLTYPE ABLogon_OpenStatusEntry(IABLogon *iface, LPCIID lpInterface,
                                                         ULONG ulFlags, ULONG *lpulObjType,
                                                         LPMAPISTATUS *lppEntry)
{
	struct abp_logon *l = impl_from_IABLogon(iface);
	IMAPIStatus *st = NULL;
	LPVOID obj = NULL;
	HRESULT hr = S_OK;

	if (lpulObjType)
		*lpulObjType = 0;
	if (lppEntry)
		*lppEntry = NULL;
	if (!abp_session_enter(l->s))
		return MAPI_E_INVALID_OBJECT;   /* LC-40 before any other check */
	if (!lpulObjType || !lppEntry) {
		hr = MAPI_E_INVALID_PARAMETER;
		goto done;
	}
	if (ulFlags & ~STATUS_OPEN_FLAGS) {
		hr = MAPI_E_UNKNOWN_FLAGS;
		goto done;
	}
	if (lpInterface && !IsEqualIID(lpInterface, &IID_IMAPIStatus) &&
	    !IsEqualIID(lpInterface, &IID_IMAPIProp) && !IsEqualIID(lpInterface, &IID_IUnknown)) {
		hr = MAPI_E_INTERFACE_NOT_SUPPORTED;
		goto done;
	}
	/* ST-6: lazily, once; MAPI_MODIFY still gives the read-only one. */
	hr = get_status(l, &st);
	if (FAILED(hr))
		goto done;
	hr = IMAPIStatus_QueryInterface(st, lpInterface ? lpInterface : &IID_IMAPIStatus, &obj);
	if (FAILED(hr))
		goto done;
	*lpulObjType = MAPI_STATUS;
	*lppEntry = obj;
done:
	if (st)
		IMAPIStatus_Release(st);
	abp_session_leave(l->s);
	return hr;
}

static HRESULT STDMETHODCALLTYPE ABLogon_OpenTemplateID(IABLogon *iface, ULONG cbTemplateID,
                                                        LPENTRYID lpTemplateID,
                                                        ULONG ulTemplateFlags,
                                                        LPMAPIPROP lpMAPIPropData,
                                                        LPCIID lpInterface,
                                                        LPMAPIPROP *lppMAPIPropNew,
                                                        LPMAPIPROP lpMAPIPropSibling)
{
	struct abp_logon *l = impl_from_IABLogon(iface);
	HRESULT hr;

	(void)cbTemplateID;
	(void)lpTemplateID;
	(void)lpMAPIPropData;
	(void)lpInterface;
	(void)lpMAPIPropSibling;
	if (lppMAPIPropNew)
		*lppMAPIPropNew = NULL;
	if (!abp_session_enter(l->s))
		return MAPI_E_INVALID_OBJECT;   /* LC-40 before any other check */
	if (!lppMAPIPropNew)
		hr = MAPI_E_INVALID_PARAMETER;
	else if (ulTemplateFlags & ~FILL_ENTRY)
		hr = MAPI_E_UNKNOWN_FLAGS;
	else    /* LO-6: only for foreign providers' templates kept by a host provider. */
		hr = abp_lasterr_set(&l->le, MAPI_E_NO_SUPPORT, 0, CTX_TEMPLATE,
		                     "ldapab keeps no templates of other providers "
		                     "(OpenTemplateID is not supported).");
	abp_session_leave(l->s);
	return hr;
}

static HRESULT STDMETHODCALLTYPE ABLogon_GetOneOffTable(IABLogon *iface, ULONG ulFlags,
                                                        LPMAPITABLE *lppTable)
{
	struct abp_logon *l = impl_from_IABLogon(iface);
	HRESULT hr;

	if (lppTable)
		*lppTable = NULL;
	if (!abp_session_enter(l->s))
		return MAPI_E_INVALID_OBJECT;   /* LC-40 before any other check */
	if (!lppTable)
		hr = MAPI_E_INVALID_PARAMETER;
	else if (ulFlags & ~MAPI_UNICODE)
		hr = MAPI_E_UNKNOWN_FLAGS;
	else    /* LO-7: the directory is read-only; MAPI's own one-off templates remain. */
		hr = abp_lasterr_set(&l->le, MAPI_E_NO_SUPPORT, 0, CTX_ONEOFF,
		                     "ldapab cannot create addresses; use MAPI's one-off "
		                     "templates (GetOneOffTable is not supported).");
	abp_session_leave(l->s);
	return hr;
}

static HRESULT STDMETHODCALLTYPE ABLogon_PrepareRecips(IABLogon *iface, ULONG ulFlags,
                                                       LPSPropTagArray lpPropTagArray,
                                                       LPADRLIST lpRecipList)
{
	struct abp_logon *l = impl_from_IABLogon(iface);
	HRESULT hr;

	if (!abp_session_enter(l->s))
		return MAPI_E_INVALID_OBJECT;   /* LC-40 before any other check */
	if (ulFlags & ~MAPI_CACHE_ONLY)
		hr = MAPI_E_UNKNOWN_FLAGS;
	else if (!lpRecipList)
		hr = MAPI_E_INVALID_PARAMETER;
	/* LO-8a: nothing asked, nothing changes. */
	else if (!lpPropTagArray || lpPropTagArray->cValues == 0)
		hr = S_OK;
	else    /* LO-8h: MAPI_CACHE_ONLY (Exchange's) is ignored. */
		hr = abp_prepare_recips(l->s, &l->le, ulFlags & ~MAPI_CACHE_ONLY,
		                        lpPropTagArray, lpRecipList);
	abp_session_leave(l->s);
	return hr;
}

static const IABLogonVtbl ablogon_vtbl = {
	ABLogon_QueryInterface,
	ABLogon_AddRef,
	ABLogon_Release,
	ABLogon_GetLastError,
	ABLogon_Logoff,
	ABLogon_OpenEntry,
	ABLogon_CompareEntryIDs,
	ABLogon_Advise,
	ABLogon_Unadvise,
	ABLogon_OpenStatusEntry,
	ABLogon_OpenTemplateID,
	ABLogon_GetOneOffTable,
	ABLogon_PrepareRecips,
};

HRESULT abp_logon_recheck_profile(struct abp_session *s, struct abp_lasterr *le)
{
	struct abp_config *cfg = NULL;
	struct abp_logon *l;
	IABLogon *iface;
	char msg[ABP_MSG_MAX];
	HRESULT hr;

	assert(s && le);
	plat_mutex_lock(&s->lock);
	iface = s->logon;
	plat_mutex_unlock(&s->lock);
	/* NULL once Logoff began; otherwise valid, and so is its support
	 * object, for as long as our caller is inside enter/leave. */
	if (!iface)
		return MAPI_E_INVALID_OBJECT;
	l = impl_from_IABLogon(iface);
	hr = abp_config_read_profile(l->sup, s->free_buffer, false, NULL, &cfg, NULL, msg,
	                             sizeof(msg));
	abp_config_free(cfg);
	if (FAILED(hr))
		return abp_lasterr_set(le, hr, 0, CTX_RECHECK, "%s", msg);
	return S_OK;
}

HRESULT abp_logon_new(struct abp_session *s, LPMAPISUP sup, IABLogon **out)
{
	struct abp_logon *l;

	if (!s || !sup || !out)
		return MAPI_E_INVALID_PARAMETER;
	*out = NULL;
	l = calloc(1, sizeof(*l));
	if (!l)
		return MAPI_E_NOT_ENOUGH_MEMORY;
	if (plat_mutex_init(&l->lock) != 0) {
		free(l);
		return MAPI_E_NOT_ENOUGH_MEMORY;
	}
	l->IABLogon_iface.lpVtbl = &ablogon_vtbl;
	atomic_init(&l->refs, 1);
	abp_lasterr_init(&l->le);
	l->s = s;                   /* the caller's reference */
	l->sup = sup;
	IMAPISupport_AddRef(sup);   /* exactly once (LC-12) */

	plat_mutex_lock(&s->lock);
	s->logon = &l->IABLogon_iface;
	plat_mutex_unlock(&s->lock);
	abp_session_set_status_hook(s, logon_status_hook, l);
	*out = &l->IABLogon_iface;
	return S_OK;
}
