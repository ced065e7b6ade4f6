/*
 * status.c - the IMAPIStatus object (ST-1..ST-6).
 *
 * The read-only IMAPIProp part is the shared property object (propobj.h)
 * with a live bag: every call reads the session's current status, so the
 * object always says what the status row says (ST-3).  ValidateState re-checks the directory through the session's
 * connection (reconnecting and re-binding as needed) and lets the session
 * report the outcome, which pushes the status row through the logon - never
 * after Logoff, since every method here runs inside abp_session_enter().
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abp.h"
#include "propobj.h"
#include "props.h"

/* ValidateState flags for transports (MAPIDEFS.H values; not in our
 * headers): accepted and ignored by an address book (ST-4). */
#define ABP_REFRESH_XP_HEADER_CACHE   ((ULONG)0x00010000)
#define ABP_PROCESS_XP_HEADER_CACHE   ((ULONG)0x00020000)
#define ABP_FORCE_XP_CONNECT          ((ULONG)0x00040000)
#define ABP_FORCE_XP_DISCONNECT       ((ULONG)0x00080000)
#define ABP_ABORT_XP_HEADER_OPERATION ((ULONG)0x00200000)
#define ABP_SHOW_XP_SESSION_UI        ((ULONG)0x00400000)
#define VALIDATE_FLAGS (SUPPRESS_UI | CONFIG_CHANGED | ABP_REFRESH_XP_HEADER_CACHE | \
                        ABP_PROCESS_XP_HEADER_CACHE | ABP_FORCE_XP_CONNECT | \
                        ABP_FORCE_XP_DISCONNECT | ABP_ABORT_XP_HEADER_OPERATION | \
                        ABP_SHOW_XP_SESSION_UI)

enum { CTX_VALIDATE = 0x300 };

struct abp_status {
	IMAPIStatus iface;          /* first: the pointer clients hold */
	atomic_uint refs;
	struct abp_propobj po;      /* holds the session reference (ST-6, TH-3) */
};

static struct abp_status *impl_from_IMAPIStatus(IMAPIStatus *iface)
{
	return ABP_CONTAINING_RECORD(iface, struct abp_status, iface);
}

static const IMAPIStatusVtbl status_vtbl;

/* PR_ENTRYID (ST-2): an ID of ours with type ABP_EID_STATUS and the fixed
 * locator "status"; ABLogon::OpenEntry opens the status object for it.
 * There is one status object per logon, so the locator needs no more. */
static HRESULT status_entryid(const struct abp_session *s, uint8_t *buf, size_t cap,
                              size_t *len)
{
	struct abp_eid eid;

	memset(&eid, 0, sizeof(eid));
	memcpy(eid.uid, s->uid.ab, sizeof(eid.uid));
	eid.type = ABP_EID_STATUS;
	eid.loc_kind = ABP_EID_LOC_CONTAINER;
	eid.loc = (const uint8_t *)ABP_STATUS_LOCATOR;
	eid.loc_len = strlen(ABP_STATUS_LOCATOR);
	*len = abp_eid_encode(&eid, buf, cap);
	return *len ? S_OK : MAPI_E_CALL_FAILED;
}

/* ST-2's properties, as of now (the property object's live source). */
static HRESULT status_props(struct abp_propobj *po, struct abp_props *bag)
{
	struct abp_session *s = po->s;
	char text[ABP_MSG_MAX];
	ULONG code = abp_session_status(s, text, sizeof(text));
	uint8_t eid[ABP_EID_HEADER + 16 + 2];
	size_t eid_len = 0;
	HRESULT hr;

	hr = status_entryid(s, eid, sizeof(eid), &eid_len);
	if (SUCCEEDED(hr))
		hr = abp_props_add_binary(bag, PR_ENTRYID, eid, eid_len);
	if (SUCCEEDED(hr))
		hr = abp_props_add_string(bag, PR_DISPLAY_NAME_W, s->cfg->display_name, (size_t)-1);
	if (SUCCEEDED(hr))
		hr = abp_props_add_string(bag, PR_PROVIDER_DISPLAY_W, ABP_PROVIDER_DISPLAY, (size_t)-1);
	if (SUCCEEDED(hr))
		hr = abp_props_add_string(bag, PR_PROVIDER_DLL_NAME_W, ABP_DLL_NAME, (size_t)-1);
	if (SUCCEEDED(hr))
		hr = abp_props_add_long(bag, PR_OBJECT_TYPE, MAPI_STATUS);
	if (SUCCEEDED(hr))
		hr = abp_props_add_long(bag, PR_RESOURCE_TYPE, MAPI_AB_PROVIDER);
	if (SUCCEEDED(hr))      /* only what is implemented (ST-4) */
		hr = abp_props_add_long(bag, PR_RESOURCE_METHODS, STATUS_VALIDATE_STATE);
	if (SUCCEEDED(hr))
		hr = abp_props_add_long(bag, PR_RESOURCE_FLAGS, STATUS_NO_PRIMARY_IDENTITY);
	if (SUCCEEDED(hr))
		hr = abp_props_add_long(bag, PR_STATUS_CODE, (LONG)code);
	if (SUCCEEDED(hr))
		hr = abp_props_add_string(bag, PR_STATUS_STRING_W, text, (size_t)-1);
	if (SUCCEEDED(hr))
		hr = abp_props_add_binary(bag, PR_PROVIDER_UID, s->uid.ab, sizeof(s->uid.ab));
	return hr;
}

/* ------------------------------------------------------------------------ */
/* IUnknown                                                                 */
/* ------------------------------------------------------------------------ */

static HRESULT STDMETHODCALLTYPE Status_QueryInterface(IMAPIStatus *This, REFIID riid,
                                                       LPVOID *ppv)
{
	if (ppv == NULL)
		return MAPI_E_INVALID_PARAMETER;
	*ppv = NULL;
	if (riid == NULL)
		return MAPI_E_INVALID_PARAMETER;
	if (!IsEqualIID(riid, &IID_IUnknown) && !IsEqualIID(riid, &IID_IMAPIProp) &&
	    !IsEqualIID(riid, &IID_IMAPIStatus))
		return MAPI_E_INTERFACE_NOT_SUPPORTED;
	This->lpVtbl->AddRef(This);
	*ppv = This;
	return S_OK;
}

static ULONG STDMETHODCALLTYPE Status_AddRef(IMAPIStatus *This)
{
	return atomic_fetch_add(&impl_from_IMAPIStatus(This)->refs, 1) + 1;
}

static ULONG STDMETHODCALLTYPE Status_Release(IMAPIStatus *This)
{
	struct abp_status *st = impl_from_IMAPIStatus(This);
	unsigned left = atomic_fetch_sub(&st->refs, 1) - 1;

	if (left == 0) {
		/* Touches neither the connection nor the support object (LC-42). */
		abp_propobj_destroy(&st->po);
		free(st);
	}
	return left;
}

/* ------------------------------------------------------------------------ */
/* IMAPIProp (read-only, ST-1, ST-5)                                        */
/* ------------------------------------------------------------------------ */

static HRESULT STDMETHODCALLTYPE Status_GetLastError(IMAPIStatus *This, HRESULT hr, ULONG flags,
                                                     LPMAPIERROR *out)
{
	return abp_propobj_get_last_error(&impl_from_IMAPIStatus(This)->po, hr, flags, out);
}

static HRESULT STDMETHODCALLTYPE Status_SaveChanges(IMAPIStatus *This, ULONG flags)
{
	return abp_propobj_save_changes(&impl_from_IMAPIStatus(This)->po, flags);
}

static HRESULT STDMETHODCALLTYPE Status_GetProps(IMAPIStatus *This, LPSPropTagArray tags,
                                                 ULONG flags, ULONG *n, LPSPropValue *out)
{
	return abp_propobj_get_props(&impl_from_IMAPIStatus(This)->po, tags, flags, n, out);
}

static HRESULT STDMETHODCALLTYPE Status_GetPropList(IMAPIStatus *This, ULONG flags,
                                                    LPSPropTagArray *out)
{
	return abp_propobj_get_prop_list(&impl_from_IMAPIStatus(This)->po, flags, out);
}

static HRESULT STDMETHODCALLTYPE Status_OpenProperty(IMAPIStatus *This, ULONG tag, LPCIID iid,
                                                     ULONG opts, ULONG flags, LPUNKNOWN *out)
{
	struct abp_status *st = impl_from_IMAPIStatus(This);
	HRESULT hr;

	(void)opts;
	if (!abp_session_enter(st->po.s)) {
		if (out != NULL)
			*out = NULL;
		return MAPI_E_INVALID_OBJECT;   /* LC-40 before any other check */
	}
	/* The status object lists no PT_OBJECT property: nothing passes. */
	hr = abp_propobj_open_property_check(&st->po, tag, iid, flags, out);
	if (hr == S_OK)
		hr = abp_lasterr_set(&st->po.le, MAPI_E_NO_SUPPORT, 0, CTX_VALIDATE,
		                     "The status object has no properties to open as objects.");
	abp_session_leave(st->po.s);
	return hr;
}

static HRESULT STDMETHODCALLTYPE Status_SetProps(IMAPIStatus *This, ULONG c, LPSPropValue vals,
                                                 LPSPropProblemArray *problems)
{
	return abp_propobj_set_props(&impl_from_IMAPIStatus(This)->po, c, vals, problems);
}

static HRESULT STDMETHODCALLTYPE Status_DeleteProps(IMAPIStatus *This, LPSPropTagArray tags,
                                                    LPSPropProblemArray *problems)
{
	return abp_propobj_delete_props(&impl_from_IMAPIStatus(This)->po, tags, problems);
}

static HRESULT STDMETHODCALLTYPE Status_CopyTo(IMAPIStatus *This, ULONG ciid, LPCIID rgiid,
                                               LPSPropTagArray exclude, ULONG_PTR ui,
                                               LPMAPIPROGRESS progress, LPCIID iface,
                                               LPVOID dest, ULONG flags,
                                               LPSPropProblemArray *problems)
{
	return abp_propobj_copy_to(&impl_from_IMAPIStatus(This)->po, ciid, rgiid, exclude, ui,
	                           progress, iface, dest, flags, problems);
}

static HRESULT STDMETHODCALLTYPE Status_CopyProps(IMAPIStatus *This, LPSPropTagArray include,
                                                  ULONG_PTR ui, LPMAPIPROGRESS progress,
                                                  LPCIID iface, LPVOID dest, ULONG flags,
                                                  LPSPropProblemArray *problems)
{
	return abp_propobj_copy_props(&impl_from_IMAPIStatus(This)->po, include, ui, progress,
	                              iface, dest, flags, problems);
}

static HRESULT STDMETHODCALLTYPE Status_GetNamesFromIDs(IMAPIStatus *This,
                                                        LPSPropTagArray *tags, LPGUID guid,
                                                        ULONG flags, ULONG *n,
                                                        LPMAPINAMEID **names)
{
	return abp_propobj_get_names_from_ids(&impl_from_IMAPIStatus(This)->po, tags, guid, flags,
	                                      n, names);
}

static HRESULT STDMETHODCALLTYPE Status_GetIDsFromNames(IMAPIStatus *This, ULONG n,
                                                        LPMAPINAMEID *names, ULONG flags,
                                                        LPSPropTagArray *tags)
{
	return abp_propobj_get_ids_from_names(&impl_from_IMAPIStatus(This)->po, n, names, flags,
	                                      tags);
}

/* ------------------------------------------------------------------------ */
/* IMAPIStatus (ST-4)                                                       */
/* ------------------------------------------------------------------------ */

static HRESULT STDMETHODCALLTYPE Status_ValidateState(IMAPIStatus *This, ULONG_PTR ui,
                                                      ULONG flags)
{
	struct abp_status *st = impl_from_IMAPIStatus(This);
	struct abp_session *s = st->po.s;
	struct lb_error err;
	lb_err rc;
	HRESULT hr = S_OK;

	(void)ui;
	if (!abp_session_enter(s))
		return MAPI_E_INVALID_OBJECT;   /* LC-40 before any other check */
	if (flags & ~VALIDATE_FLAGS) {
		hr = abp_lasterr_set(&st->po.le, MAPI_E_UNKNOWN_FLAGS, 0, CTX_VALIDATE,
		                     "ValidateState was called with flags it does not define.");
		goto done;
	}
	/* SUPPRESS_UI: we never show UI anyway.  CONFIG_CHANGED: the profile is
	 * re-read and validated now; the running logon keeps its settings
	 * (children borrow them) and valid changes apply at the next Logon. */
	if (flags & CONFIG_CHANGED) {
		hr = abp_logon_recheck_profile(s, &st->po.le);
		if (FAILED(hr))
			goto done;
	}
	lb_error_clear(&err);
	rc = lb_conn_check(s->conn, &err);
	/* Updates the session status and, if it changed, the status row. */
	abp_session_note_lb_error(s, rc == LB_OK ? NULL : &err);
	/* MAPI documents S_OK, MAPI_E_BUSY, MAPI_E_NO_SUPPORT and
	 * MAPI_E_USER_CANCEL for ValidateState: a directory that cannot be
	 * reached is not a failure of the call but a state it found, so the
	 * answer is S_OK with PR_STATUS_CODE = STATUS_FAILURE and the reason
	 * (server, step) in PR_STATUS_STRING - in the object and in its status
	 * row - and nothing in GetLastError (which explains failed calls only).
	 * Other errors (no memory, a broken connection object) fail the call. */
	if (rc != LB_OK && !abp_session_is_connection_failure(rc))
		hr = abp_lasterr_set_lb(&st->po.le, &err, CTX_VALIDATE);
done:
	abp_session_leave(s);
	return hr;
}

static HRESULT STDMETHODCALLTYPE Status_SettingsDialog(IMAPIStatus *This, ULONG_PTR ui,
                                                       ULONG flags)
{
	(void)ui;
	return abp_propobj_refuse(&impl_from_IMAPIStatus(This)->po, "SettingsDialog",
	                          (flags & ~(ULONG)UI_READONLY) ? MAPI_E_UNKNOWN_FLAGS : S_OK,
	                          MAPI_E_NO_SUPPORT,
	                          "ldapab has no settings dialog; change the profile settings "
	                          "(PR_LDAPAB_*) with the service configuration.");
}

static HRESULT STDMETHODCALLTYPE Status_ChangePassword(IMAPIStatus *This, LPTSTR old_pass,
                                                       LPTSTR new_pass, ULONG flags)
{
	return abp_propobj_refuse(&impl_from_IMAPIStatus(This)->po, "ChangePassword",
	                          (old_pass == NULL || new_pass == NULL) ? MAPI_E_INVALID_PARAMETER
	                          : (flags & ~(ULONG)MAPI_UNICODE) ? MAPI_E_UNKNOWN_FLAGS : S_OK,
	                          MAPI_E_NO_SUPPORT, "ldapab cannot change directory passwords.");
}

#define FLUSH_FLAGS (FLUSH_UPLOAD | FLUSH_DOWNLOAD | FLUSH_FORCE | FLUSH_NO_UI | FLUSH_ASYNC_OK)

static HRESULT STDMETHODCALLTYPE Status_FlushQueues(IMAPIStatus *This, ULONG_PTR ui,
                                                    ULONG cb_transport, LPENTRYID transport,
                                                    ULONG flags)
{
	(void)ui;
	return abp_propobj_refuse(&impl_from_IMAPIStatus(This)->po, "FlushQueues",
	                          (cb_transport > 0 && transport == NULL) ? MAPI_E_INVALID_PARAMETER
	                          : (flags & ~(ULONG)FLUSH_FLAGS) ? MAPI_E_UNKNOWN_FLAGS : S_OK,
	                          MAPI_E_NO_SUPPORT, "an address book has no queues to flush.");
}

static const IMAPIStatusVtbl status_vtbl = {
	Status_QueryInterface,
	Status_AddRef,
	Status_Release,
	Status_GetLastError,
	Status_SaveChanges,
	Status_GetProps,
	Status_GetPropList,
	Status_OpenProperty,
	Status_SetProps,
	Status_DeleteProps,
	Status_CopyTo,
	Status_CopyProps,
	Status_GetNamesFromIDs,
	Status_GetIDsFromNames,
	Status_ValidateState,
	Status_SettingsDialog,
	Status_ChangePassword,
	Status_FlushQueues,
};

HRESULT abp_status_new(struct abp_session *s, IMAPIStatus **out)
{
	struct abp_status *st;

	if (out != NULL)
		*out = NULL;
	if (s == NULL || out == NULL)
		return MAPI_E_INVALID_PARAMETER;
	st = calloc(1, sizeof(*st));
	if (st == NULL)
		return MAPI_E_NOT_ENOUGH_MEMORY;
	st->iface.lpVtbl = &status_vtbl;
	atomic_init(&st->refs, 1);
	abp_propobj_init(&st->po, s);
	st->po.live = status_props;
	*out = &st->iface;
	return S_OK;
}
