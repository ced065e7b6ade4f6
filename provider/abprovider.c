/*
 * abprovider.c - ABProviderInit (LC-1..LC-7) and the IABProvider object
 * (Logon LC-10..LC-20, Shutdown LC-37..LC-39).
 *
 * No global state (LC-4): everything a provider object needs is in it, so
 * the module can be initialised any number of times, in several profiles.
 * Once loaded it stays mapped (module_pin.h), so that an object a client
 * keeps past the unload still fails cleanly (LC-40).
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "abp.h"
#include "config.h"
#include "module_pin.h"

/* The oldest SPI we work with: 1.0 (PDK1).  We use nothing newer, so any
 * MAPI from 1.0 on is fine; older ones get MAPI_E_VERSION (LC-3). */
#define ABP_MIN_MAPI_VERSION PDK1_SPI_VERSION

/* Logon context numbers for MAPIERROR.ulContext (one per failure site). */
enum {
	CTX_LOGON_CONFIG = 0x100,
	CTX_LOGON_SETUID,
	CTX_LOGON_CONN,
	CTX_LOGON_SESSION,
	CTX_LOGON_SHUTDOWN
};

struct abp_provider {
	IABProvider IABProvider_iface;
	atomic_uint refs;
	LPALLOCATEBUFFER alloc_buffer;
	LPALLOCATEMORE alloc_more;
	LPFREEBUFFER free_buffer;
	atomic_bool shut_down;
	/* Serialises making the instance UID (LC-10, LC-14): concurrent first
	 * Logons on one profile must store and register one UID, not several. */
	plat_mutex uid_lock;
};

static inline struct abp_provider *impl_from_IABProvider(IABProvider *iface)
{
	return ABP_CONTAINING_RECORD(iface, struct abp_provider, IABProvider_iface);
}

static const IABProviderVtbl abprovider_vtbl;

/* ------------------------------------------------------------------------ */
/* IUnknown                                                                 */
/* ------------------------------------------------------------------------ */

static HRESULT STDMETHODCALLTYPE ABProvider_QueryInterface(IABProvider *iface, REFIID riid,
                                                           LPVOID *ppv)
{
	if (!ppv)
		return MAPI_E_INVALID_PARAMETER;
	*ppv = NULL;
	if (!riid)
		return MAPI_E_INVALID_PARAMETER;
	if (!IsEqualIID(riid, &IID_IUnknown) && !IsEqualIID(riid, &IID_IABProvider))
		return MAPI_E_INTERFACE_NOT_SUPPORTED;
	iface->lpVtbl->AddRef(iface);
	*ppv = iface;
	return S_OK;
}

static ULONG STDMETHODCALLTYPE ABProvider_AddRef(IABProvider *iface)
{
	struct abp_provider *p = impl_from_IABProvider(iface);

	return atomic_fetch_add_explicit(&p->refs, 1, memory_order_relaxed) + 1;
}

static ULONG STDMETHODCALLTYPE ABProvider_Release(IABProvider *iface)
{
	struct abp_provider *p = impl_from_IABProvider(iface);
	ULONG left = atomic_fetch_sub_explicit(&p->refs, 1, memory_order_acq_rel) - 1;

	/* Logons do not reference the provider object; nothing else is owned
	 * (no threads, no lpMalloc), so freeing is all there is (LC-39). */
	if (left == 0) {
		plat_mutex_destroy(&p->uid_lock);
		free(p);
	}
	return left;
}

/* ------------------------------------------------------------------------ */
/* IABProvider                                                              */
/* ------------------------------------------------------------------------ */

static HRESULT STDMETHODCALLTYPE ABProvider_Shutdown(IABProvider *iface, ULONG *lpulFlags)
{
	struct abp_provider *p = impl_from_IABProvider(iface);

	if (!lpulFlags)
		return MAPI_E_INVALID_PARAMETER;
	if (*lpulFlags != 0)
		return MAPI_E_UNKNOWN_FLAGS;
	/* No background threads to join (LC-37); later Logons are refused. */
	atomic_store(&p->shut_down, true);
	return S_OK;
}

/* A one-block MAPIERROR for Logon's failures (LC-19); best effort. */
static void logon_error(struct abp_provider *p, ULONG flags, ULONG ctx, const char *text,
                        LPMAPIERROR *out)
{
	LPMAPIERROR e = NULL;

	if (FAILED(abp_mapierror_new(p->alloc_buffer, p->alloc_more, p->free_buffer, flags,
	                             0, ctx, text, &e)))
		return;
	*out = e;
}

static HRESULT STDMETHODCALLTYPE ABProvider_Logon(IABProvider *iface, LPMAPISUP lpMAPISup,
                                                  ULONG_PTR ulUIParam, LPTSTR lpszProfileName,
                                                  ULONG ulFlags, ULONG *lpulcbSecurity,
                                                  LPBYTE *lppbSecurity,
                                                  LPMAPIERROR *lppMAPIError,
                                                  LPABLOGON *lppABLogon)
{
	struct abp_provider *p = impl_from_IABProvider(iface);
	struct abp_config *cfg = NULL;
	struct abp_session *s = NULL;
	IABLogon *logon = NULL;
	struct lb_error lerr;
	char msg[ABP_MSG_MAX];
	ULONG ctx = 0;
	MAPIUID uid;
	HRESULT hr;

	/* LC-11 first, then the arguments. */
	if (lppABLogon)
		*lppABLogon = NULL;
	if (lppMAPIError)
		*lppMAPIError = NULL;
	if (!lppABLogon || !lppMAPIError || !lpMAPISup)
		return MAPI_E_INVALID_PARAMETER;
	/* Unknown flag bits are tolerated: any error but the few LC-15 names
	 * disables the whole message service, too harsh for a new flag.  We
	 * never show UI (AB_NO_DIALOG or not, LC-16), the bind is always lazy
	 * (LC-17), and the profile name (UTF-16 under MAPI_UNICODE) is not kept. */
	(void)ulUIParam;
	(void)lpszProfileName;
	msg[0] = '\0';

	/* LC-37: MAPI calls Shutdown only when it is done with this provider
	 * object, so a Logon after it is a caller error, not a configuration
	 * problem: MAPI_E_INVALID_OBJECT ("the object was shut down", as LC-40
	 * answers for logged-off objects) rather than UNCONFIGURED (which would
	 * make MAPI run the configuration dialog) or a code that disables the
	 * message service for a reason that is not the profile's. */
	if (atomic_load(&p->shut_down)) {
		hr = MAPI_E_INVALID_OBJECT;
		ctx = CTX_LOGON_SHUTDOWN;
		snprintf(msg, sizeof(msg), "ldapab was shut down; no new logon is possible.");
		goto done;
	}

	ctx = CTX_LOGON_CONFIG;
	hr = abp_config_read_profile(lpMAPISup, p->free_buffer, true, &p->uid_lock, &cfg, &uid,
	                             msg, sizeof(msg));
	if (FAILED(hr))
		goto done;

	/* Routing: every entry ID we make carries uid at bytes 4-19 (LC-14). */
	ctx = CTX_LOGON_SETUID;
	hr = IMAPISupport_SetProviderUID(lpMAPISup, &uid, 0);
	if (FAILED(hr)) {
		snprintf(msg, sizeof(msg), "ldapab could not register its provider UID "
		         "(error 0x%08X).", (unsigned)hr);
		goto done;
	}

	ctx = CTX_LOGON_SESSION;
	hr = abp_session_new(p->alloc_buffer, p->alloc_more, p->free_buffer, &uid, cfg, &s);
	if (FAILED(hr))
		goto done;
	cfg = NULL;                 /* the session owns it now */

	/* Validates and copies the settings; no network (LC-17). */
	ctx = CTX_LOGON_CONN;
	lb_error_clear(&lerr);
	lb_err lrc = lb_conn_open(&s->cfg->lb, &s->conn, &lerr);
	if (lrc != LB_OK) {
		if (lrc == LB_E_NOMEM) {
			hr = MAPI_E_NOT_ENOUGH_MEMORY;
		} else {
			/* INVALID / INSECURE: the settings cannot work as given. */
			hr = MAPI_E_UNCONFIGURED;
			snprintf(msg, sizeof(msg), "ldapab is not configured: %s%s",
			         lerr.message[0] ? lerr.message : lb_err_name(lrc),
			         lrc == LB_E_INSECURE
			         ? " Use ldaps:// or PR_LDAPAB_TLS_MODE (StartTLS), or set "
			           "PR_LDAPAB_ALLOW_INSECURE_BIND." : "");
		}
		goto done;
	}

	hr = abp_logon_new(s, lpMAPISup, &logon);
	if (FAILED(hr))
		goto done;
	s = NULL;                   /* the logon holds the session now */

	/* LC-20: not fatal. */
	abp_logon_add_status_row(logon);

	/* LC-18: nothing to hand back; never touch what MAPI passed in. */
	if (lpulcbSecurity)
		*lpulcbSecurity = 0;
	if (lppbSecurity)
		*lppbSecurity = NULL;
	*lppABLogon = logon;
	logon = NULL;
done:
	if (FAILED(hr) && msg[0])
		logon_error(p, ulFlags, ctx, msg, lppMAPIError);
	abp_config_free(cfg);
	abp_session_release(s);
	return hr;
}

static const IABProviderVtbl abprovider_vtbl = {
	ABProvider_QueryInterface,
	ABProvider_AddRef,
	ABProvider_Release,
	ABProvider_Shutdown,
	ABProvider_Logon,
};

/* ------------------------------------------------------------------------ */
/* Entry point                                                              */
/* ------------------------------------------------------------------------ */

__attribute__((visibility("default")))
HRESULT STDMAPIINITCALLTYPE ABProviderInit(HINSTANCE hInstance, LPMALLOC lpMalloc,
                                           LPALLOCATEBUFFER lpAllocateBuffer,
                                           LPALLOCATEMORE lpAllocateMore,
                                           LPFREEBUFFER lpFreeBuffer, ULONG ulFlags,
                                           ULONG ulMAPIVer, ULONG *lpulProviderVer,
                                           LPABPROVIDER *lppABProvider)
{
	struct abp_provider *p;

	/* hInstance may be NULL (LC-7); lpMalloc is not kept, so neither
	 * AddRef'd nor released (LC-5).  MAPI_NT_SERVICE only forbids UI, which
	 * we never show (LC-6); other bits are tolerated. */
	(void)hInstance;
	(void)lpMalloc;
	(void)ulFlags;

	if (lpulProviderVer)
		*lpulProviderVer = CURRENT_SPI_VERSION;      /* always (LC-3) */
	if (lppABProvider)
		*lppABProvider = NULL;
	if (!lpulProviderVer || !lppABProvider || !lpAllocateBuffer || !lpAllocateMore ||
	    !lpFreeBuffer)
		return MAPI_E_INVALID_PARAMETER;
	if (ulMAPIVer < ABP_MIN_MAPI_VERSION)
		return MAPI_E_VERSION;
	abp_module_pin();

	p = calloc(1, sizeof(*p));
	if (!p)
		return MAPI_E_NOT_ENOUGH_MEMORY;
	if (plat_mutex_init(&p->uid_lock) != 0) {
		free(p);
		return MAPI_E_NOT_ENOUGH_MEMORY;
	}
	p->IABProvider_iface.lpVtbl = &abprovider_vtbl;
	atomic_init(&p->refs, 1);
	atomic_init(&p->shut_down, false);
	p->alloc_buffer = lpAllocateBuffer;
	p->alloc_more = lpAllocateMore;
	p->free_buffer = lpFreeBuffer;
	*lppABProvider = &p->IABProvider_iface;
	return S_OK;
}
