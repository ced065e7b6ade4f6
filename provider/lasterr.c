/*
 * lasterr.c - per-object last error (LO-1), MAPIERROR blocks (MM-3) and THE
 * table from ldapbridge codes to MAPI codes.
 *
 * The message is recorded where the failure happens (which server, which
 * step, which limit), so GetLastError can say what to do.  Passwords never
 * reach it: ldapbridge's messages carry none and ours name settings only.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "abp.h"
#include "props.h"

/*
 * lb_err → MAPI_E_*.  Decisions where MAPI has no obvious code:
 *   - TIMEOUT (a connect/answer deadline) is a network failure; TIMELIMIT
 *     (the server's own search time limit) is MAPI_E_TIMEOUT.
 *   - AUTH, AUTH_METHOD and INSECURE all mean "we could not log on to the
 *     directory server" → MAPI_E_LOGON_FAILED (LC-17).  INSECURE is refused
 *     before anything is sent; at Logon the same code is a configuration
 *     error (MAPI_E_UNCONFIGURED, handled by the logon, not here).
 *     MAPI_E_NO_ACCESS stays reserved for the server denying a read (ACCESS).
 *   - SIZELIMIT with no entries → MAPI_E_TABLE_TOO_BIG; FILTER → TOO_COMPLEX
 *     (the restriction cannot be expressed/was refused, TB-10).
 *   - PROTOCOL (malformed answer) → MAPI_E_CORRUPT_DATA; CLOSED and
 *     CANCELLED → MAPI_E_INVALID_OBJECT (only Logoff closes or cancels the
 *     connection, so the call met a logged-off session, LC-40; never
 *     MAPI_E_USER_CANCEL, which means a person cancelled a dialog); INTERNAL
 *     and anything unknown → MAPI_E_CALL_FAILED.
 */
HRESULT abp_hr_from_lb(lb_err code)
{
	switch (code) {
	case LB_OK:            return S_OK;
	case LB_E_INVALID:     return MAPI_E_INVALID_PARAMETER;
	case LB_E_NOMEM:       return MAPI_E_NOT_ENOUGH_MEMORY;
	case LB_E_CONNECT:     return MAPI_E_NETWORK_ERROR;
	case LB_E_TIMEOUT:     return MAPI_E_NETWORK_ERROR;
	case LB_E_TLS:         return MAPI_E_NETWORK_ERROR;
	case LB_E_AUTH:        return MAPI_E_LOGON_FAILED;
	case LB_E_INSECURE:    return MAPI_E_LOGON_FAILED;
	case LB_E_AUTH_METHOD: return MAPI_E_LOGON_FAILED;
	case LB_E_NOT_FOUND:   return MAPI_E_NOT_FOUND;
	case LB_E_ACCESS:      return MAPI_E_NO_ACCESS;
	case LB_E_SIZELIMIT:   return MAPI_E_TABLE_TOO_BIG;
	case LB_E_TIMELIMIT:   return MAPI_E_TIMEOUT;
	case LB_E_BUSY:        return MAPI_E_BUSY;
	case LB_E_UNSUPPORTED: return MAPI_E_NO_SUPPORT;
	case LB_E_FILTER:      return MAPI_E_TOO_COMPLEX;
	case LB_E_PROTOCOL:    return MAPI_E_CORRUPT_DATA;
	case LB_E_SERVER_DOWN: return MAPI_E_NETWORK_ERROR;
	case LB_E_CLOSED:      return MAPI_E_INVALID_OBJECT;
	/* Only Logoff cancels a connection: the call met a logged-off session (LC-40). */
	case LB_E_CANCELLED:   return MAPI_E_INVALID_OBJECT;
	case LB_E_INTERNAL:    return MAPI_E_CALL_FAILED;
	case LB_E__COUNT:      break;
	}
	return MAPI_E_CALL_FAILED;
}

void abp_lasterr_init(struct abp_lasterr *le)
{
	assert(le);
	memset(le, 0, sizeof(*le));
	/* A default mutex never fails to initialise on Linux/glibc; the
	 * structure stays usable (zeroed) regardless. */
	(void)plat_mutex_init(&le->lock);
	le->hr = S_OK;
}

void abp_lasterr_destroy(struct abp_lasterr *le)
{
	if (!le)
		return;
	plat_mutex_destroy(&le->lock);
}

HRESULT abp_lasterr_set(struct abp_lasterr *le, HRESULT hr, ULONG low_level,
                        ULONG context, const char *fmt, ...)
{
	va_list ap;

	assert(le && fmt);
	plat_mutex_lock(&le->lock);
	le->hr = hr;
	le->low_level = low_level;
	le->context = context;
	va_start(ap, fmt);
	vsnprintf(le->text, sizeof(le->text), fmt, ap);
	va_end(ap);
	plat_mutex_unlock(&le->lock);
	return hr;
}

HRESULT abp_lasterr_set_lb(struct abp_lasterr *le, const struct lb_error *err,
                           ULONG context)
{
	HRESULT hr;

	assert(le && err);
	hr = abp_hr_from_lb(err->code);
	if (err->code == LB_E_AUTH && err->step == LB_STEP_SEARCH)
		/* The server wants a bind (AD refusing anonymous searches). */
		return abp_lasterr_set(le, hr, (ULONG)err->ldap_code, context,
		                       "%s. Set PR_LDAPAB_BIND_METHOD to a simple bind with "
		                       "PR_LDAPAB_BIND_DN and the password, or to GSSAPI.",
		                       err->message[0] ? err->message
		                       : "The directory needs a bind");
	if (err->message[0])
		return abp_lasterr_set(le, hr, (ULONG)err->ldap_code, context, "%s",
		                       err->message);
	if (err->server[0])
		return abp_lasterr_set(le, hr, (ULONG)err->ldap_code, context,
		                       "The directory operation on %s failed (%s).",
		                       err->server, lb_err_name(err->code));
	return abp_lasterr_set(le, hr, (ULONG)err->ldap_code, context,
	                       "The directory operation failed (%s).",
	                       lb_err_name(err->code));
}

/* One string chained onto root in the width flags asks for. */
static HRESULT string_more(LPALLOCATEMORE am, void *root, ULONG flags,
                           const char *utf8, LPTSTR *out)
{
	HRESULT hr;
	void *p = NULL;

	if (flags & MAPI_UNICODE) {
		size_t n = abp_utf8_to_utf16(utf8, (size_t)-1, NULL, 0);

		if (n == 0 || n > 0x3fffffff)
			return MAPI_E_CALL_FAILED;
		hr = am((ULONG)(n * sizeof(WCHAR)), root, &p);
		if (FAILED(hr))
			return hr;
		(void)abp_utf8_to_utf16(utf8, (size_t)-1, p, n);
	} else {
		size_t n = abp_utf8_to_8bit(utf8, (size_t)-1, NULL, 0);

		if (n == 0 || n > 0x7fffffff)
			return MAPI_E_CALL_FAILED;
		hr = am((ULONG)n, root, &p);
		if (FAILED(hr))
			return hr;
		(void)abp_utf8_to_8bit(utf8, (size_t)-1, p, n);
	}
	*out = p;
	return S_OK;
}

HRESULT abp_mapierror_new(LPALLOCATEBUFFER ab, LPALLOCATEMORE am, LPFREEBUFFER fb, ULONG flags,
                          ULONG low_level, ULONG context, const char *text,
                          LPMAPIERROR *out)
{
	LPMAPIERROR e = NULL;
	HRESULT hr;

	if (!ab || !am || !fb || !text || !out)
		return MAPI_E_INVALID_PARAMETER;
	hr = ab(sizeof(*e), (void **)&e);
	if (FAILED(hr))
		goto done;
	memset(e, 0, sizeof(*e));
	e->ulVersion = MAPI_ERROR_VERSION;
	e->ulLowLevelError = low_level;
	e->ulContext = context;
	hr = string_more(am, e, flags, text, &e->lpszError);
	if (FAILED(hr))
		goto done;
	hr = string_more(am, e, flags, ABP_COMPONENT, &e->lpszComponent);
	if (FAILED(hr))
		goto done;
	*out = e;
	e = NULL;
done:
	/* Chained blocks go with the root (MM-3). */
	if (e)
		fb(e);
	return hr;
}

HRESULT abp_lasterr_get(struct abp_lasterr *le, const struct abp_session *s,
                        HRESULT hr, ULONG flags, LPMAPIERROR *out)
{
	char text[ABP_MSG_MAX];
	ULONG low, ctx;
	HRESULT rec, ret;
	LPMAPIERROR e = NULL;

	if (!out)
		return MAPI_E_INVALID_PARAMETER;
	*out = NULL;
	if (flags & ~MAPI_UNICODE)
		return MAPI_E_UNKNOWN_FLAGS;
	assert(le && s);

	plat_mutex_lock(&le->lock);
	rec = le->hr;
	low = le->low_level;
	ctx = le->context;
	memcpy(text, le->text, sizeof(text));
	plat_mutex_unlock(&le->lock);
	text[sizeof(text) - 1] = '\0';

	/* Nothing to add about a code we did not record (LO-1). */
	if (rec == S_OK || rec != hr || !text[0])
		return S_OK;
	ret = abp_mapierror_new(s->alloc_buffer, s->alloc_more, s->free_buffer, flags, low, ctx, text, &e);
	if (FAILED(ret))
		return ret;
	*out = e;
	return S_OK;
}

void abp_escape_bytes(const void *bytes, size_t n, size_t max_in, char *out, size_t cap)
{
	const unsigned char *b = bytes;
	size_t i = 0, o = 0;

	if (!out || cap == 0)
		return;
	if (!b)
		n = 0;
	while (i < n && i < max_in) {
		char piece[8];
		size_t len, adv;

		if (b[i] >= 0x20 && b[i] < 0x7f && b[i] != '\\') {
			piece[0] = (char)b[i];
			len = adv = 1;
		} else if (b[i] >= 0x80 &&
		           (adv = lb_utf8_decode((const char *)b + i, n - i, NULL)) > 1 &&
		           i + adv <= max_in) {
			/* A whole valid multi-byte sequence: readable as it is. */
			memcpy(piece, b + i, adv);
			len = adv;
		} else {
			snprintf(piece, sizeof(piece), "\\x%02X", (unsigned)b[i]);
			len = 4;
			adv = 1;
		}
		if (o + len + 1 > cap)
			break;
		memcpy(out + o, piece, len);
		o += len;
		i += adv;
	}
	if (i < n && o + 4 <= cap) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
}
