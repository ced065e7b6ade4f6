/*
 * service.c - the message-service entry point ServiceEntry (CF-1, CF-4, CF-5).
 *
 * MAPI (or the ldapab command, which configures the provider exactly as an
 * Outlook profile would) calls it to create, configure and delete the
 * service's profile section.  Decisions:
 *   - there is no configuration dialog in this build: the UI flags are
 *     accepted and nothing is shown, so invalid or missing settings always
 *     end in MAPI_E_UNCONFIGURED with a MAPIERROR that names the setting
 *     (the same check Logon makes, abp_config_from_props);
 *   - CONFIGURE validates the settings the section will hold afterwards
 *     (what is stored, overlaid by lpProps) and writes nothing unless they
 *     are all valid; a value of type PT_NULL removes that setting;
 *   - CREATE stores lpProps (only our settings, each of a usable type) and
 *     the default display name, without requiring a complete configuration:
 *     programmatic profile creation configures afterwards (CF-4 decision);
 *   - DELETE removes every property of ours, the secure password included
 *     (CF-5); INSTALL/UNINSTALL have nothing to do; PROVIDER_CREATE/_DELETE
 *     are not supported (one provider per service).
 * Memory handed back (the MAPIERROR) comes from the allocators of the
 * support object MAPI passes (GetMemAllocRoutines), which lives only for
 * the call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ldapab/profile.h>

#include "abp.h"
#include "config.h"
#include "props.h"
#include "secret.h"
#include "securezero.h"

/* MAPIERROR.ulContext per failure site. */
enum {
	CTX_SVC_ARGS = 0x200,
	CTX_SVC_SECTION,
	CTX_SVC_VALIDATE,
	CTX_SVC_WRITE,
	CTX_SVC_CONTEXT
};

#define SVC_KNOWN_FLAGS (SERVICE_UI_ALWAYS | UI_CURRENT_PROVIDER_FIRST | \
                         MSG_SERVICE_UI_READ_ONLY | SERVICE_UI_ALLOWED | \
                         SERVICE_LOGON_FAILED | MAPI_UNICODE)

struct svc {
	LPALLOCATEBUFFER ab;
	LPALLOCATEMORE am;
	LPFREEBUFFER fb;
	ULONG flags;
	ULONG ctx;
	char msg[ABP_MSG_MAX];
};

static HRESULT ABP_PRINTF(4, 5) svc_fail(struct svc *s, HRESULT hr, ULONG ctx,
                                         const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->msg, sizeof(s->msg), fmt, ap);
	va_end(ap);
	s->ctx = ctx;
	return hr;
}

/* 1 if the property ID is one ServiceEntry may store. */
static int is_setting(ULONG tag)
{
	const SPropTagArray *tags = abp_config_tags();

	for (ULONG i = 0; i < tags->cValues; i++)
		if (PROP_ID(tags->aulPropTag[i]) == PROP_ID(tag))
			return 1;
	return 0;
}

/* Every value must be one of our settings with a type a setting can have;
 * the full meaning is checked by abp_config_from_props. */
static HRESULT check_props(struct svc *s, ULONG n, const SPropValue *props)
{
	for (ULONG i = 0; i < n; i++) {
		ULONG tag = props[i].ulPropTag, type = PROP_TYPE(tag);

		if (!is_setting(tag))
			return svc_fail(s, MAPI_E_UNCONFIGURED, CTX_SVC_VALIDATE,
			                "ldapab is not configured: property 0x%08X is not an "
			                "ldapab setting; see the \"Profile settings\" list in "
			                "the README.", (unsigned)tag);
		if (type == PT_ERROR || type == PT_UNSPECIFIED || type == PT_OBJECT)
			return svc_fail(s, MAPI_E_UNCONFIGURED, CTX_SVC_VALIDATE,
			                "ldapab is not configured: property 0x%08X has type "
			                "0x%04X, which cannot be stored; give it a value.",
			                (unsigned)tag, (unsigned)type);
	}
	return S_OK;
}

/* Wipe password values in a GetProps result before it is freed. */
static void wipe_secrets(ULONG n, LPSPropValue props)
{
	for (ULONG i = 0; props && i < n; i++) {
		if (PROP_ID(props[i].ulPropTag) != PROP_ID(PR_LDAPAB_BIND_PASSWORD_W))
			continue;
		if (PROP_TYPE(props[i].ulPropTag) == PT_UNICODE && props[i].Value.lpszW) {
			size_t len = 0;

			while (props[i].Value.lpszW[len])
				len++;
			abp_secure_zero(props[i].Value.lpszW, len * sizeof(WCHAR));
		} else if (PROP_TYPE(props[i].ulPropTag) == PT_STRING8 && props[i].Value.lpszA) {
			abp_secure_zero(props[i].Value.lpszA, strlen(props[i].Value.lpszA));
		}
	}
}

static HRESULT open_section(struct svc *s, LPPROVIDERADMIN admin, LPPROFSECT *out)
{
	HRESULT hr = IProviderAdmin_OpenProfileSection(admin, NULL, NULL, MAPI_MODIFY, out);

	if (FAILED(hr))
		return svc_fail(s, hr, CTX_SVC_SECTION, "ldapab could not open its profile "
		                "section for writing (error 0x%08X).", (unsigned)hr);
	return S_OK;
}

/* Every type a setting can be stored as: real MAPI deletes by exact tag. */
static const ULONG setting_types[] = {
	PT_UNICODE, PT_STRING8, PT_MV_UNICODE, PT_MV_STRING8, PT_LONG, PT_BOOLEAN, PT_BINARY
};
#define N_SETTING_TYPES (sizeof(setting_types) / sizeof(setting_types[0]))

/* A root tag array naming every stored form of the IDs in ids[0..n). */
static HRESULT tags_for_ids(struct svc *s, ULONG n, const ULONG *ids, LPSPropTagArray *out)
{
	LPSPropTagArray t = NULL;
	HRESULT hr;

	*out = NULL;
	hr = s->ab(CbNewSPropTagArray(n * (ULONG)N_SETTING_TYPES), (LPVOID *)&t);
	if (FAILED(hr))
		return hr;
	t->cValues = 0;
	for (ULONG i = 0; i < n; i++)
		for (size_t k = 0; k < N_SETTING_TYPES; k++)
			t->aulPropTag[t->cValues++] = PROP_TAG(setting_types[k], PROP_ID(ids[i]));
	*out = t;
	return S_OK;
}

/* Removes every stored form of the IDs in ids[0..n). */
static HRESULT delete_ids(struct svc *s, LPPROFSECT sect, ULONG n, const ULONG *ids)
{
	LPSPropTagArray del = NULL;
	HRESULT hr;

	if (n == 0)
		return S_OK;
	hr = tags_for_ids(s, n, ids, &del);
	if (FAILED(hr))
		return hr;
	hr = IProfSect_DeleteProps(sect, del, NULL);
	s->fb(del);
	if (FAILED(hr))
		return svc_fail(s, hr, CTX_SVC_WRITE, "ldapab could not remove settings from "
		                "the profile (error 0x%08X).", (unsigned)hr);
	return S_OK;
}

#ifdef _WIN32
/* On Windows the password goes into the profile sealed with DPAPI for the
 * current user (secret.h), as a _W string in root's allocation. */
static HRESULT seal_password(struct svc *s, LPVOID root, SPropValue *v)
{
	char *clear = abp_propval_utf8_dup(v), *sealed;
	WCHAR *w = NULL;
	size_t n;
	HRESULT hr;

	if (clear == NULL)
		return svc_fail(s, MAPI_E_NOT_ENOUGH_MEMORY, CTX_SVC_WRITE,
		                "ldapab ran out of memory storing the password.");
	if (abp_secret_is_sealed(clear)) {
		/* Already sealed (a profile copied as it is): kept if this user
		 * can open it, never sealed twice. */
		char *open = abp_secret_open(clear);

		sealed = open != NULL ? clear : NULL;
		if (open != NULL) {
			abp_secure_zero(open, strlen(open));
			free(open);
		} else {
			free(clear);
		}
	} else {
		sealed = abp_secret_seal(clear);
		abp_secure_zero(clear, strlen(clear));
		free(clear);
	}
	if (sealed == NULL)
		return svc_fail(s, MAPI_E_CALL_FAILED, CTX_SVC_WRITE,
		                "ldapab could not protect the password with DPAPI: "
		                "CryptProtectData failed, or the value given is sealed for "
		                "another Windows user or machine; it was not stored.");
	n = strlen(sealed) + 1;
	hr = s->am((ULONG)(n * sizeof(WCHAR)), root, (LPVOID *)&w);
	if (SUCCEEDED(hr)) {
		for (size_t i = 0; i < n; i++)
			w[i] = (WCHAR)(unsigned char)sealed[i];
		v->ulPropTag = PR_LDAPAB_BIND_PASSWORD_W;
		v->Value.lpszW = w;
	}
	free(sealed);
	return hr;
}
#endif

/* Stores the non-PT_NULL values of props, then removes the PT_NULL ones. */
static HRESULT write_props(struct svc *s, LPPROFSECT sect, ULONG n, const SPropValue *props)
{
	LPSPropValue vals = NULL;
	ULONG *ids = NULL;
	ULONG k = 0, nids = 0;
	HRESULT hr = S_OK;

	if (n == 0)
		return S_OK;
	hr = s->ab(n * (ULONG)sizeof(SPropValue), (LPVOID *)&vals);
	if (FAILED(hr))
		goto done;
	hr = s->am(n * (ULONG)sizeof(ULONG), vals, (LPVOID *)&ids);
	if (FAILED(hr))
		goto done;
	for (ULONG i = 0; i < n; i++) {
		if (PROP_TYPE(props[i].ulPropTag) == PT_NULL)
			ids[nids++] = props[i].ulPropTag;
		else
			vals[k++] = props[i];    /* shallow: SetProps copies */
#ifdef _WIN32
		if (PROP_TYPE(props[i].ulPropTag) != PT_NULL &&
		    PROP_ID(props[i].ulPropTag) == PROP_ID(PR_LDAPAB_BIND_PASSWORD_W)) {
			hr = seal_password(s, vals, &vals[k - 1]);
			if (FAILED(hr))
				goto done;
		}
#endif
	}
	if (k) {
		hr = IProfSect_SetProps(sect, k, vals, NULL);
		if (FAILED(hr)) {
			svc_fail(s, hr, CTX_SVC_WRITE, "ldapab could not write its settings to "
			         "the profile (error 0x%08X).", (unsigned)hr);
			goto done;
		}
	}
	hr = delete_ids(s, sect, nids, ids);
done:
	s->fb(vals);
	return hr;
}

/* What Logon checks next (ldapbridge validates the connection settings
 * without any network I/O, LC-17): a password over plain ldap:// is refused
 * here as it would be there. */
static HRESULT check_connection_settings(struct svc *s, const struct abp_config *cfg)
{
	struct lb_error lerr;
	lb_conn *conn = NULL;
	lb_err rc;

	lb_error_clear(&lerr);
	rc = lb_conn_open(&cfg->lb, &conn, &lerr);
	lb_conn_close(conn);
	if (rc == LB_OK)
		return S_OK;
	if (rc == LB_E_NOMEM)
		return MAPI_E_NOT_ENOUGH_MEMORY;
	return svc_fail(s, MAPI_E_UNCONFIGURED, CTX_SVC_VALIDATE,
	                "ldapab is not configured: %s%s",
	                lerr.message[0] ? lerr.message : lb_err_name(rc),
	                rc == LB_E_INSECURE ? " Use ldaps:// or PR_LDAPAB_TLS_MODE (StartTLS), or "
	                "set PR_LDAPAB_ALLOW_INSECURE_BIND." : "");
}

/* MSG_SERVICE_CONFIGURE: the section as it will be must be valid. */
static HRESULT svc_configure(struct svc *s, LPPROVIDERADMIN admin, ULONG n,
                             const SPropValue *props)
{
	const SPropTagArray *tags = abp_config_tags();
	LPPROFSECT sect = NULL;
	LPSPropValue cur = NULL, merged = NULL;
	struct abp_config *cfg = NULL;
	ULONG ncur = 0, nm = 0;
	HRESULT hr;

	hr = check_props(s, n, props);
	if (FAILED(hr))
		goto done;
	hr = open_section(s, admin, &sect);
	if (FAILED(hr))
		goto done;
	hr = IProfSect_GetProps(sect, (LPSPropTagArray)tags, MAPI_UNICODE, &ncur, &cur);
	if (FAILED(hr)) {
		svc_fail(s, hr, CTX_SVC_SECTION, "ldapab could not read its profile section "
		         "(error 0x%08X).", (unsigned)hr);
		goto done;
	}
	/* What the section will hold: stored values overlaid by lpProps. */
	hr = s->ab((ncur + n + 1) * (ULONG)sizeof(SPropValue), (LPVOID *)&merged);
	if (FAILED(hr))
		goto done;
	for (ULONG i = 0; i < ncur; i++) {
		int replaced = 0;

		if (PROP_TYPE(cur[i].ulPropTag) == PT_ERROR)
			continue;
		for (ULONG j = 0; j < n && !replaced; j++)
			replaced = PROP_ID(props[j].ulPropTag) == PROP_ID(cur[i].ulPropTag);
		if (!replaced)
			merged[nm++] = cur[i];
	}
	for (ULONG j = 0; j < n; j++)
		if (PROP_TYPE(props[j].ulPropTag) != PT_NULL)
			merged[nm++] = props[j];
	hr = abp_config_from_props(nm, merged, &cfg, s->msg, sizeof(s->msg));
	if (FAILED(hr)) {
		s->ctx = CTX_SVC_VALIDATE;
		goto done;
	}
	hr = check_connection_settings(s, cfg);
	if (FAILED(hr))
		goto done;
	hr = write_props(s, sect, n, props);
done:
	abp_config_free(cfg);
	s->fb(merged);
	if (cur) {
		wipe_secrets(ncur, cur);
		s->fb(cur);
	}
	if (sect)
		IProfSect_Release(sect);
	return hr;
}

/* MSG_SERVICE_CREATE: store what was given and a display name. */
static HRESULT svc_create(struct svc *s, LPPROVIDERADMIN admin, ULONG n,
                          const SPropValue *props)
{
	SizedSPropTagArray(1, dn_tag) = { 1, { PROP_TAG(PT_UNSPECIFIED, PROP_ID(PR_DISPLAY_NAME_W)) } };
	LPPROFSECT sect = NULL;
	LPSPropValue cur = NULL;
	ULONG ncur = 0;
	HRESULT hr;
	int has_name = 0;

	hr = check_props(s, n, props);
	if (FAILED(hr))
		goto done;
	hr = open_section(s, admin, &sect);
	if (FAILED(hr))
		goto done;
	hr = write_props(s, sect, n, props);
	if (FAILED(hr))
		goto done;
	hr = IProfSect_GetProps(sect, (LPSPropTagArray)&dn_tag, MAPI_UNICODE, &ncur, &cur);
	if (FAILED(hr)) {
		svc_fail(s, hr, CTX_SVC_SECTION, "ldapab could not read its profile section "
		         "(error 0x%08X).", (unsigned)hr);
		goto done;
	}
	has_name = ncur == 1 && PROP_TYPE(cur[0].ulPropTag) != PT_ERROR;
	if (!has_name) {
		SPropValue v;
		char name[] = "LDAP Directory";

		memset(&v, 0, sizeof(v));
		v.ulPropTag = PR_DISPLAY_NAME_A;
		v.Value.lpszA = name;
		hr = IProfSect_SetProps(sect, 1, &v, NULL);
		if (FAILED(hr)) {
			svc_fail(s, hr, CTX_SVC_WRITE, "ldapab could not write its display name "
			         "to the profile (error 0x%08X).", (unsigned)hr);
			goto done;
		}
	}
	hr = S_OK;
done:
	s->fb(cur);
	if (sect)
		IProfSect_Release(sect);
	return hr;
}

/* MSG_SERVICE_DELETE: every property of ours goes, secrets included (CF-5). */
static HRESULT svc_delete(struct svc *s, LPPROVIDERADMIN admin)
{
	const SPropTagArray *tags = abp_config_tags();
	LPPROFSECT sect = NULL;
	HRESULT hr;

	hr = open_section(s, admin, &sect);
	if (SUCCEEDED(hr))
		hr = delete_ids(s, sect, tags->cValues, tags->aulPropTag);
	if (sect)
		IProfSect_Release(sect);
	return hr;
}

__attribute__((visibility("default")))
HRESULT STDAPICALLTYPE ServiceEntry(HINSTANCE hInstance, LPMALLOC lpMalloc, LPMAPISUP lpMAPISup,
                                    ULONG_PTR ulUIParam, ULONG ulFlags, ULONG ulContext,
                                    ULONG cValues, LPSPropValue lpProps,
                                    LPPROVIDERADMIN lpProviderAdmin, LPMAPIERROR *lppMapiError);

HRESULT STDAPICALLTYPE ServiceEntry(HINSTANCE hInstance, LPMALLOC lpMalloc, LPMAPISUP lpMAPISup,
                                    ULONG_PTR ulUIParam, ULONG ulFlags, ULONG ulContext,
                                    ULONG cValues, LPSPropValue lpProps,
                                    LPPROVIDERADMIN lpProviderAdmin, LPMAPIERROR *lppMapiError)
{
	struct svc s;
	HRESULT hr;

	(void)hInstance;
	(void)lpMalloc;
	(void)ulUIParam;        /* no dialog in this build */
	memset(&s, 0, sizeof(s));
	if (lppMapiError)
		*lppMapiError = NULL;
	if (!lpMAPISup || (cValues && !lpProps))
		return MAPI_E_INVALID_PARAMETER;
	if (ulFlags & ~(ULONG)SVC_KNOWN_FLAGS)
		return MAPI_E_UNKNOWN_FLAGS;
	hr = IMAPISupport_GetMemAllocRoutines(lpMAPISup, &s.ab, &s.am, &s.fb);
	if (FAILED(hr))
		return hr;
	if (!s.ab || !s.am || !s.fb)
		return MAPI_E_INVALID_PARAMETER;
	s.flags = ulFlags;

	switch (ulContext) {
	case MSG_SERVICE_INSTALL:
	case MSG_SERVICE_UNINSTALL:
		hr = S_OK;
		break;
	case MSG_SERVICE_CREATE:
	case MSG_SERVICE_CONFIGURE:
	case MSG_SERVICE_DELETE:
		if (!lpProviderAdmin) {
			hr = svc_fail(&s, MAPI_E_INVALID_PARAMETER, CTX_SVC_ARGS,
			              "ServiceEntry needs an IProviderAdmin to reach the "
			              "profile section.");
			break;
		}
		hr = ulContext == MSG_SERVICE_CREATE ? svc_create(&s, lpProviderAdmin, cValues, lpProps)
		   : ulContext == MSG_SERVICE_CONFIGURE ? svc_configure(&s, lpProviderAdmin, cValues,
		                                                        lpProps)
		   : svc_delete(&s, lpProviderAdmin);
		break;
	case MSG_SERVICE_PROVIDER_CREATE:
	case MSG_SERVICE_PROVIDER_DELETE:
		hr = svc_fail(&s, MAPI_E_NO_SUPPORT, CTX_SVC_CONTEXT,
		              "the ldapab service has exactly one address book provider; "
		              "add another ldapab service for another directory.");
		break;
	default:
		hr = svc_fail(&s, MAPI_E_NO_SUPPORT, CTX_SVC_CONTEXT,
		              "ServiceEntry context %lu is not one MAPI defines.",
		              (unsigned long)ulContext);
		break;
	}
	if (FAILED(hr) && s.msg[0] && lppMapiError) {
		LPMAPIERROR e = NULL;

		if (SUCCEEDED(abp_mapierror_new(s.ab, s.am, s.fb, ulFlags & MAPI_UNICODE, 0, s.ctx,
		                                s.msg, &e)))
			*lppMapiError = e;
	}
	return hr;
}
