/*
 * status.c - the IMAPIStatus object (ST-1..ST-6).
 *
 * Read-only IMAPIProp part built on the property bag (props.h) from the
 * session's current status, so the object always says what the status row
 * says (ST-3).  ValidateState re-checks the directory through the session's
 * connection (reconnecting and re-binding as needed) and lets the session
 * report the outcome, which pushes the status row through the logon - never
 * after Logoff, since every method here runs inside abp_session_enter().
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abp.h"
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

enum { CTX_VALIDATE = 0x300, CTX_UNSUPPORTED };

struct abp_status {
	IMAPIStatus IMAPIStatus_iface;
	atomic_uint refs;
	struct abp_session *s;      /* one reference (ST-6, TH-3) */
	struct abp_lasterr le;
};

static inline struct abp_status *impl_from_IMAPIStatus(IMAPIStatus *iface)
{
	return ABP_CONTAINING_RECORD(iface, struct abp_status, IMAPIStatus_iface);
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

/* ST-2's properties, as of now. */
static HRESULT build_bag(struct abp_status *st, struct abp_props *bag)
{
	char text[ABP_MSG_MAX];
	ULONG code = abp_session_status(st->s, text, sizeof(text));
	uint8_t eid[ABP_EID_HEADER + 16 + 2];
	size_t eid_len = 0;
	HRESULT hr;

	abp_props_init(bag);
	hr = status_entryid(st->s, eid, sizeof(eid), &eid_len);
	if (SUCCEEDED(hr))
		hr = abp_props_add_binary(bag, PR_ENTRYID, eid, eid_len);
	if (SUCCEEDED(hr))
		hr = abp_props_add_string(bag, PR_DISPLAY_NAME_W, st->s->cfg->display_name, (size_t)-1);
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
		hr = abp_props_add_binary(bag, PR_PROVIDER_UID, st->s->uid.ab, sizeof(st->s->uid.ab));
	if (FAILED(hr))
		abp_props_free(bag);
	return hr;
}

/* ------------------------------------------------------------------------ */
/* IUnknown                                                                 */
/* ------------------------------------------------------------------------ */

static HRESULT STDMETHODCALLTYPE Status_QueryInterface(IMAPIStatus *iface, REFIID riid,
                                                       LPVOID *ppv)
{
	if (!ppv)
		return MAPI_E_INVALID_PARAMETER;
	*ppv = NULL;
	if (!riid)
		return MAPI_E_INVALID_PARAMETER;
	if (!IsEqualIID(riid, &IID_IUnknown) && !IsEqualIID(riid, &IID_IMAPIProp) &&
	    !IsEqualIID(riid, &IID_IMAPIStatus))
		return MAPI_E_INTERFACE_NOT_SUPPORTED;
	iface->lpVtbl->AddRef(iface);
	*ppv = iface;
	return S_OK;
}

static ULONG STDMETHODCALLTYPE Status_AddRef(IMAPIStatus *iface)
{
	struct abp_status *st = impl_from_IMAPIStatus(iface);

	return atomic_fetch_add_explicit(&st->refs, 1, memory_order_relaxed) + 1;
}

static ULONG STDMETHODCALLTYPE Status_Release(IMAPIStatus *iface)
{
	struct abp_status *st = impl_from_IMAPIStatus(iface);
	ULONG left = atomic_fetch_sub_explicit(&st->refs, 1, memory_order_acq_rel) - 1;

	if (left == 0) {
		/* Touches neither the connection nor the support object (LC-42). */
		abp_session_release(st->s);
		abp_lasterr_destroy(&st->le);
		free(st);
	}
	return left;
}

/* ------------------------------------------------------------------------ */
/* IMAPIProp (read-only, ST-1, ST-5)                                        */
/* ------------------------------------------------------------------------ */

static HRESULT STDMETHODCALLTYPE Status_GetLastError(IMAPIStatus *iface, HRESULT hResult,
                                                     ULONG ulFlags, LPMAPIERROR *lppMAPIError)
{
	struct abp_status *st = impl_from_IMAPIStatus(iface);
	HRESULT hr;

	if (lppMAPIError)
		*lppMAPIError = NULL;
	if (!abp_session_enter(st->s))
		return MAPI_E_INVALID_OBJECT;   /* LC-40 before any other check */
	hr = abp_lasterr_get(&st->le, st->s, hResult, ulFlags, lppMAPIError);
	abp_session_leave(st->s);
	return hr;
}

static HRESULT STDMETHODCALLTYPE Status_SaveChanges(IMAPIStatus *iface, ULONG ulFlags)
{
	struct abp_status *st = impl_from_IMAPIStatus(iface);
	HRESULT hr;

	if (!abp_session_enter(st->s))
		return MAPI_E_INVALID_OBJECT;
	hr = abp_prop_savechanges_ro(ulFlags);
	abp_session_leave(st->s);
	return hr;
}

static HRESULT STDMETHODCALLTYPE Status_GetProps(IMAPIStatus *iface, LPSPropTagArray lpPropTagArray,
                                                 ULONG ulFlags, ULONG *lpcValues,
                                                 LPSPropValue *lppPropArray)
{
	struct abp_status *st = impl_from_IMAPIStatus(iface);
	struct abp_allocs al;
	struct abp_props bag;
	HRESULT hr;

	if (lpcValues)
		*lpcValues = 0;
	if (lppPropArray)
		*lppPropArray = NULL;
	if (!abp_session_enter(st->s))
		return MAPI_E_INVALID_OBJECT;   /* LC-40 before any other check */
	al = abp_allocs_of(st->s);
	hr = (!lpcValues || !lppPropArray) ? MAPI_E_INVALID_PARAMETER : build_bag(st, &bag);
	if (SUCCEEDED(hr)) {
		hr = abp_props_get(&al, &bag, lpPropTagArray, ulFlags, lpcValues, lppPropArray);
		abp_props_free(&bag);
	}
	abp_session_leave(st->s);
	return hr;
}

static HRESULT STDMETHODCALLTYPE Status_GetPropList(IMAPIStatus *iface, ULONG ulFlags,
                                                    LPSPropTagArray *lppPropTagArray)
{
	struct abp_status *st = impl_from_IMAPIStatus(iface);
	struct abp_allocs al;
	struct abp_props bag;
	HRESULT hr;

	if (lppPropTagArray)
		*lppPropTagArray = NULL;
	if (!abp_session_enter(st->s))
		return MAPI_E_INVALID_OBJECT;   /* LC-40 before any other check */
	al = abp_allocs_of(st->s);
	hr = !lppPropTagArray ? MAPI_E_INVALID_PARAMETER : build_bag(st, &bag);
	if (SUCCEEDED(hr)) {
		hr = abp_props_list(&al, &bag, ulFlags, lppPropTagArray);
		abp_props_free(&bag);
	}
	abp_session_leave(st->s);
	return hr;
}

static HRESULT STDMETHODCALLTYPE Status_OpenProperty(IMAPIStatus *iface, ULONG ulPropTag,
                                                     LPCIID lpiid, ULONG ulInterfaceOptions,
                                                     ULONG ulFlags, LPUNKNOWN *lppUnk)
{
	struct abp_status *st = impl_from_IMAPIStatus(iface);
	HRESULT hr;

	(void)ulPropTag;
	(void)lpiid;
	(void)ulInterfaceOptions;
	(void)ulFlags;
	if (lppUnk)
		*lppUnk = NULL;
	if (!abp_session_enter(st->s))
		return MAPI_E_INVALID_OBJECT;   /* LC-40 before any other check */
	if (!lppUnk)
		hr = MAPI_E_INVALID_PARAMETER;
	else    /* No PT_OBJECT properties here. */
		hr = abp_lasterr_set(&st->le, MAPI_E_NO_SUPPORT, 0, CTX_UNSUPPORTED,
		                     "The status object has no properties to open as objects.");
	abp_session_leave(st->s);
	return hr;
}

static HRESULT STDMETHODCALLTYPE Status_SetProps(IMAPIStatus *iface, ULONG cValues,
                                                 LPSPropValue lpPropArray,
                                                 LPSPropProblemArray *lppProblems)
{
	struct abp_status *st = impl_from_IMAPIStatus(iface);
	HRESULT hr;

	if (lppProblems)
		*lppProblems = NULL;
	if (!abp_session_enter(st->s))
		return MAPI_E_INVALID_OBJECT;
	hr = abp_prop_setprops_ro(cValues, lpPropArray, lppProblems);   /* ST-5 */
	abp_session_leave(st->s);
	return hr;
}

static HRESULT STDMETHODCALLTYPE Status_DeleteProps(IMAPIStatus *iface,
                                                    LPSPropTagArray lpPropTagArray,
                                                    LPSPropProblemArray *lppProblems)
{
	struct abp_status *st = impl_from_IMAPIStatus(iface);
	HRESULT hr;

	if (lppProblems)
		*lppProblems = NULL;
	if (!abp_session_enter(st->s))
		return MAPI_E_INVALID_OBJECT;
	hr = abp_prop_deleteprops_ro(lpPropTagArray, lppProblems);
	abp_session_leave(st->s);
	return hr;
}

static HRESULT STDMETHODCALLTYPE Status_CopyTo(IMAPIStatus *iface, ULONG ciidExclude,
                                               LPCIID rgiidExclude, LPSPropTagArray lpExcludeProps,
                                               ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress,
                                               LPCIID lpInterface, LPVOID lpDestObj, ULONG ulFlags,
                                               LPSPropProblemArray *lppProblems)
{
	struct abp_status *st = impl_from_IMAPIStatus(iface);
	struct abp_allocs al;
	struct abp_props bag;
	HRESULT hr;

	(void)ciidExclude;
	(void)rgiidExclude;
	(void)ulUIParam;
	(void)lpProgress;
	if (lppProblems)
		*lppProblems = NULL;
	if (!abp_session_enter(st->s))
		return MAPI_E_INVALID_OBJECT;   /* LC-40 before any other check */
	al = abp_allocs_of(st->s);
	hr = !lpDestObj ? MAPI_E_INVALID_PARAMETER : build_bag(st, &bag);
	if (SUCCEEDED(hr)) {
		hr = abp_props_copy_to(&al, &bag, lpExcludeProps, lpInterface, lpDestObj, ulFlags,
		                       lppProblems);
		abp_props_free(&bag);
	}
	abp_session_leave(st->s);
	return hr;
}

static HRESULT STDMETHODCALLTYPE Status_CopyProps(IMAPIStatus *iface, LPSPropTagArray lpIncludeProps,
                                                  ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress,
                                                  LPCIID lpInterface, LPVOID lpDestObj,
                                                  ULONG ulFlags, LPSPropProblemArray *lppProblems)
{
	struct abp_status *st = impl_from_IMAPIStatus(iface);
	struct abp_allocs al;
	struct abp_props bag;
	HRESULT hr;

	(void)ulUIParam;
	(void)lpProgress;
	if (lppProblems)
		*lppProblems = NULL;
	if (!abp_session_enter(st->s))
		return MAPI_E_INVALID_OBJECT;   /* LC-40 before any other check */
	al = abp_allocs_of(st->s);
	hr = !lpDestObj ? MAPI_E_INVALID_PARAMETER : build_bag(st, &bag);
	if (SUCCEEDED(hr)) {
		hr = abp_props_copy_props(&al, &bag, lpIncludeProps, lpInterface, lpDestObj,
		                          ulFlags, lppProblems);
		abp_props_free(&bag);
	}
	abp_session_leave(st->s);
	return hr;
}

static HRESULT STDMETHODCALLTYPE Status_GetNamesFromIDs(IMAPIStatus *iface,
                                                        LPSPropTagArray *lppPropTags,
                                                        LPGUID lpPropSetGuid, ULONG ulFlags,
                                                        ULONG *lpcPropNames,
                                                        LPMAPINAMEID **lpppPropNames)
{
	struct abp_status *st = impl_from_IMAPIStatus(iface);
	HRESULT hr;

	if (lpcPropNames)
		*lpcPropNames = 0;
	(void)lpPropSetGuid;
	(void)ulFlags;
	if (lpppPropNames)
		*lpppPropNames = NULL;
	if (!abp_session_enter(st->s))
		return MAPI_E_INVALID_OBJECT;
	hr = abp_prop_names_from_ids_none(lppPropTags, lpcPropNames, lpppPropNames);
	abp_session_leave(st->s);
	return hr;
}

static HRESULT STDMETHODCALLTYPE Status_GetIDsFromNames(IMAPIStatus *iface, ULONG cPropNames,
                                                        LPMAPINAMEID *lppPropNames,
                                                        ULONG ulFlags,
                                                        LPSPropTagArray *lppPropTags)
{
	struct abp_status *st = impl_from_IMAPIStatus(iface);
	HRESULT hr;

	(void)cPropNames;
	(void)lppPropNames;
	(void)ulFlags;
	if (lppPropTags)
		*lppPropTags = NULL;
	if (!abp_session_enter(st->s))
		return MAPI_E_INVALID_OBJECT;
	hr = abp_prop_ids_from_names_none(lppPropTags);
	abp_session_leave(st->s);
	return hr;
}

/* ------------------------------------------------------------------------ */
/* IMAPIStatus (ST-4)                                                       */
/* ------------------------------------------------------------------------ */

static HRESULT STDMETHODCALLTYPE Status_ValidateState(IMAPIStatus *iface, ULONG_PTR ulUIParam,
                                                      ULONG ulFlags)
{
	struct abp_status *st = impl_from_IMAPIStatus(iface);
	struct lb_error err;
	lb_err rc;
	HRESULT hr = S_OK;

	(void)ulUIParam;
	if (!abp_session_enter(st->s))
		return MAPI_E_INVALID_OBJECT;   /* LC-40 before any other check */
	if (ulFlags & ~VALIDATE_FLAGS) {
		hr = MAPI_E_UNKNOWN_FLAGS;
		goto done;
	}
	/* SUPPRESS_UI: we never show UI anyway.  CONFIG_CHANGED: the profile is
	 * re-read and validated now; the running logon keeps its settings
	 * (children borrow them) and valid changes apply at the next Logon. */
	if (ulFlags & CONFIG_CHANGED) {
		hr = abp_logon_recheck_profile(st->s, &st->le);
		if (FAILED(hr))
			goto done;
	}
	lb_error_clear(&err);
	rc = lb_conn_check(st->s->conn, &err);
	/* Updates the session status and, if it changed, the status row. */
	abp_session_note_lb_error(st->s, rc == LB_OK ? NULL : &err);
	/* MAPI documents S_OK, MAPI_E_BUSY, MAPI_E_NO_SUPPORT and
	 * MAPI_E_USER_CANCEL for ValidateState: a directory that cannot be
	 * reached is not a failure of the call but a state it found, so the
	 * answer is S_OK with PR_STATUS_CODE = STATUS_FAILURE and the reason
	 * (server, step) in PR_STATUS_STRING - in the object and in its status
	 * row - and nothing in GetLastError (which explains failed calls only).
	 * Other errors (no memory, a broken connection object) fail the call. */
	if (rc != LB_OK && !abp_session_is_connection_failure(rc))
		hr = abp_lasterr_set_lb(&st->le, &err, CTX_VALIDATE);
done:
	abp_session_leave(st->s);
	return hr;
}

static HRESULT STDMETHODCALLTYPE Status_SettingsDialog(IMAPIStatus *iface, ULONG_PTR ulUIParam,
                                                       ULONG ulFlags)
{
	struct abp_status *st = impl_from_IMAPIStatus(iface);
	HRESULT hr;

	(void)ulUIParam;
	(void)ulFlags;
	if (!abp_session_enter(st->s))
		return MAPI_E_INVALID_OBJECT;
	hr = abp_lasterr_set(&st->le, MAPI_E_NO_SUPPORT, 0, CTX_UNSUPPORTED,
	                     "ldapab has no settings dialog; change the profile "
	                     "settings (PR_LDAPAB_*) with the service configuration.");
	abp_session_leave(st->s);
	return hr;
}

static HRESULT STDMETHODCALLTYPE Status_ChangePassword(IMAPIStatus *iface, LPTSTR lpOldPass,
                                                       LPTSTR lpNewPass, ULONG ulFlags)
{
	struct abp_status *st = impl_from_IMAPIStatus(iface);
	HRESULT hr;

	(void)lpOldPass;
	(void)lpNewPass;
	(void)ulFlags;
	if (!abp_session_enter(st->s))
		return MAPI_E_INVALID_OBJECT;
	hr = abp_lasterr_set(&st->le, MAPI_E_NO_SUPPORT, 0, CTX_UNSUPPORTED,
	                     "ldapab cannot change directory passwords.");
	abp_session_leave(st->s);
	return hr;
}

static HRESULT STDMETHODCALLTYPE Status_FlushQueues(IMAPIStatus *iface, ULONG_PTR ulUIParam,
                                                    ULONG cbTargetTransport,
                                                    LPENTRYID lpTargetTransport, ULONG ulFlags)
{
	struct abp_status *st = impl_from_IMAPIStatus(iface);
	HRESULT hr;

	(void)ulUIParam;
	(void)cbTargetTransport;
	(void)lpTargetTransport;
	(void)ulFlags;
	if (!abp_session_enter(st->s))
		return MAPI_E_INVALID_OBJECT;
	hr = abp_lasterr_set(&st->le, MAPI_E_NO_SUPPORT, 0, CTX_UNSUPPORTED,
	                     "An address book has no queues to flush.");
	abp_session_leave(st->s);
	return hr;
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

	if (!s || !out)
		return MAPI_E_INVALID_PARAMETER;
	*out = NULL;
	st = calloc(1, sizeof(*st));
	if (!st)
		return MAPI_E_NOT_ENOUGH_MEMORY;
	st->IMAPIStatus_iface.lpVtbl = &status_vtbl;
	atomic_init(&st->refs, 1);
	abp_lasterr_init(&st->le);
	abp_session_addref(s);
	st->s = s;
	*out = &st->IMAPIStatus_iface;
	return S_OK;
}
