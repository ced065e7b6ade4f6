/*
 * book.c - the address book as the command sees it: the provider module loaded
 * through ABProviderInit, a profile configured through its ServiceEntry
 * (MSG_SERVICE_CREATE, then MSG_SERVICE_CONFIGURE with the file's settings,
 * as Outlook does when an address book is added), a logon, and the IAddrBook
 * lookups of the host (ResolveName, pick-lists, OpenEntry).
 */
#include <stdlib.h>
#include <string.h>

#include <mapi/mapicode.h>
#include <mapi/mapitags.h>
#include <ldapab/profile.h>

#include "cli.h"
#include "osdep.h"

#ifndef LDAPAB_MODULE_INSTALLED
#define LDAPAB_MODULE_INSTALLED "/usr/local/lib/ldapab/ldapab.so"
#endif

/* The module: command.module, $LDAPAB_MODULE, beside an installed command
 * (../<libdir>/ldapab/ldapab.so; ldapab.dll in the same folder on Windows),
 * the build tree's, the installed path. */
static const char *module_path(const struct cli_conf *conf, char *buf, size_t len)
{
	char exe[4096];

	if (conf->set[K_MODULE].value)
		return conf->set[K_MODULE].value;
	if (getenv("LDAPAB_MODULE") && getenv("LDAPAB_MODULE")[0])
		return getenv("LDAPAB_MODULE");
	if (osdep_exe_dir(exe, sizeof(exe))) {
		snprintf(buf, len, "%s%s%s", exe, osdep_dirsep, LDAPAB_MODULE_RELATIVE);
		if (osdep_readable(buf) == 0)
			return buf;
	}
#ifdef LDAPAB_MODULE_BUILD
	if (osdep_readable(LDAPAB_MODULE_BUILD) == 0)
		return LDAPAB_MODULE_BUILD;
#endif
	return LDAPAB_MODULE_INSTALLED;
}

int cli_fail(HRESULT hr, const char *what, const char *text)
{
	int rc;
	const char *hint = "";

	switch (hr) {
	case MAPI_E_NETWORK_ERROR: rc = EXIT_UNAVAILABLE; break;
	case MAPI_E_UNCONFIGURED: rc = EXIT_CONFIG; break;
	case MAPI_E_LOGON_FAILED:
	case MAPI_E_NO_ACCESS: rc = EXIT_NOPERM; break;
	case MAPI_E_TIMEOUT: rc = EXIT_TEMPFAIL; break;
	case MAPI_E_NOT_FOUND: rc = EXIT_NOT_FOUND; break;
	case MAPI_E_INVALID_ENTRYID:
	case MAPI_E_UNKNOWN_ENTRYID: rc = EXIT_DATAERR; break;
	case MAPI_E_NO_SUPPORT:
		rc = EXIT_SOFTWARE;
		hint = " (this provider build does not offer it)";
		break;
	default: rc = EXIT_SOFTWARE; break;
	}
	if (text && *text)
		cli_errorf("%s%s", text, hint);
	else
		cli_errorf("%s failed (MAPI error 0x%08lX)%s", what, (unsigned long)hr, hint);
	return rc;
}

/* The provider's MAPIERROR text, with file:line when it names a setting. */
static int config_failure(const struct cli_conf *conf, HRESULT hr, LPMAPIERROR e)
{
	const char *text = e && e->lpszError ? (const char *)e->lpszError : "";
	const char *pr = strstr(text, "PR_");
	char name[64] = "";

	if (pr) {
		size_t l = strspn(pr, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_");

		if (l < sizeof(name)) {
			memcpy(name, pr, l);
			name[l] = '\0';
		}
	}
	if (name[0]) {
		const char *key = NULL;
		const struct cli_setting *s = cli_conf_find_prop(conf, name, &key);

		if (key && s->file && s->line) {
			int line = s->line;
			const char *val = strstr(text, "value ");

			/* "value N" of a multi-valued setting: that line. */
			if (val && (strcmp(name, "PR_LDAPAB_ATTR_MAP") == 0 ||
			            strcmp(name, "PR_LDAPAB_CONTAINERS") == 0)) {
				long i = strtol(val + 6, NULL, 10);
				const struct cli_multi *m = strcmp(name, "PR_LDAPAB_ATTR_MAP") == 0
					? conf->attrmap : conf->containers;
				size_t nm = strcmp(name, "PR_LDAPAB_ATTR_MAP") == 0
					? conf->n_attrmap : conf->n_containers;

				if (i >= 1 && (size_t)i <= nm)
					line = m[i - 1].line;
			}
			cli_errorf("%s:%d: %s: %s", s->file, line, key, text);
			return hr == MAPI_E_UNCONFIGURED ? EXIT_CONFIG : cli_fail(hr, "", "");
		}
	}
	return cli_fail(hr, "configuring the address book", text);
}

static void wipe_password(ULONG n, LPSPropValue v)
{
	for (ULONG i = 0; v && i < n; i++) {
		if (v[i].ulPropTag == PR_LDAPAB_BIND_PASSWORD_W && v[i].Value.lpszW) {
			volatile WCHAR *w = v[i].Value.lpszW;

			while (*w)
				*w++ = 0;
		}
	}
}

int cli_book_open(const struct cli_conf *conf, struct cli_book *b)
{
	char buf[4200];
	const char *path = module_path(conf, buf, sizeof(buf));
	char *errtext = NULL;
	LPSPropValue props = NULL;
	LPMAPIERROR e = NULL;
	ULONG n = 0;
	HRESULT hr;
	int rc;

	double t = osdep_now_ms();

	memset(b, 0, sizeof(*b));
	b->conf = conf;
	hr = host_provider_load(path, NULL, &b->prov, &errtext);
	if (FAILED(hr)) {
		cli_errorf("cannot load the ldapab provider %s: %s; set LDAPAB_MODULE or "
		           "command.module to its path", path, errtext ? errtext : "failed");
		(void)host_MAPIFreeBuffer(errtext);
		return EXIT_SOFTWARE;
	}
	b->ms_load = osdep_now_ms() - t;
	t = osdep_now_ms();
	hr = host_profile_new("ldapab", NULL, &b->profile);
	if (FAILED(hr))
		return cli_fail(hr, "creating the profile", NULL);

	/* As MAPI adds a message service to a profile: CREATE, then CONFIGURE. */
	hr = host_provider_service_entry(b->prov, b->profile, MAPI_UNICODE, MSG_SERVICE_CREATE,
	                                 0, NULL, &e);
	if (FAILED(hr)) {
		rc = config_failure(conf, hr, e);
		(void)host_MAPIFreeBuffer(e);
		return rc;
	}
	rc = cli_conf_to_props(conf, &n, &props);
	if (rc)
		return rc;
	hr = host_provider_service_entry(b->prov, b->profile, 0, MSG_SERVICE_CONFIGURE, n, props,
	                                 &e);
	wipe_password(n, props);
	(void)host_MAPIFreeBuffer(props);
	if (FAILED(hr)) {
		rc = config_failure(conf, hr, e);
		(void)host_MAPIFreeBuffer(e);
		return rc;
	}
	b->ms_configure = osdep_now_ms() - t;
	t = osdep_now_ms();
	hr = host_session_new(NULL, &b->session);
	if (FAILED(hr))
		return cli_fail(hr, "creating the session", NULL);
	hr = host_session_logon(b->session, b->prov, b->profile, 0, &b->logon, &e);
	if (FAILED(hr)) {
		rc = config_failure(conf, hr, e);
		(void)host_MAPIFreeBuffer(e);
		return rc;
	}
	b->ms_logon = osdep_now_ms() - t;
	return 0;
}

void cli_book_close(struct cli_book *b)
{
	/* MAPI's order: the provider released before the last logoff (LC-38). */
	if (b->prov)
		host_provider_release(b->prov);
	b->prov = NULL;
	host_session_free(b->session);
	host_profile_release(b->profile);
	memset(b, 0, sizeof(*b));
}

LPSRowSet cli_containers(struct cli_book *b, bool recipients_only, int *rc)
{
	LPSRowSet rows = NULL;
	char *text = NULL;
	HRESULT hr = host_session_containers(b->session, recipients_only, &rows, &text);

	*rc = 0;
	if (FAILED(hr)) {
		*rc = cli_fail(hr, "listing the containers", text);
		(void)host_MAPIFreeBuffer(text);
		return NULL;
	}
	return rows;
}

static char *row_name(const SRow *r)
{
	char *u = NULL, *out = NULL;

	for (ULONG i = 0; i < r->cValues; i++)
		if (r->lpProps[i].ulPropTag == PR_DISPLAY_NAME_W &&
		    SUCCEEDED(host_utf16_to_utf8(r->lpProps[i].Value.lpszW, &u))) {
			out = strdup(u);
			(void)host_MAPIFreeBuffer(u);
			break;
		}
	return out;
}

int cli_open_container(struct cli_book *b, const char *name, LPABCONT *out, char **name_out)
{
	int rc = 0;
	LPSRowSet rows = cli_containers(b, true, &rc);
	const SRow *hit = NULL;
	LPUNKNOWN unk = NULL;
	ULONG type = 0;

	*out = NULL;
	if (name_out)
		*name_out = NULL;
	if (!rows)
		return rc;
	for (ULONG i = 0; i < rows->cRows && !hit; i++) {
		char *n = row_name(&rows->aRow[i]);

		if (!name || !*name || (n && strcasecmp(n, name) == 0)) {
			hit = &rows->aRow[i];
			if (name_out)
				*name_out = n;
			else
				free(n);
		} else {
			free(n);
		}
	}
	if (!hit) {
		cli_errorf("no container named \"%s\"; \"ldapab containers\" lists them",
		           name ? name : "");
		host_FreeProws(rows);
		return EXIT_USAGE;
	}
	for (ULONG i = 0; i < hit->cValues; i++)
		if (hit->lpProps[i].ulPropTag == PR_ENTRYID)
			rc = cli_open_entry(b, hit->lpProps[i].Value.bin.cb,
			                    hit->lpProps[i].Value.bin.lpb, &type, &unk);
	host_FreeProws(rows);
	if (rc)
		return rc;
	if (!unk || type != MAPI_ABCONT) {
		if (unk)
			IUnknown_Release(unk);
		cli_errorf("the container's entry ID does not open a container");
		return EXIT_SOFTWARE;
	}
	*out = (LPABCONT)unk;
	return 0;
}

int cli_open_entry(struct cli_book *b, ULONG cb, const BYTE *eid, ULONG *type, LPUNKNOWN *out)
{
	HRESULT hr = host_session_open_entry(b->session, cb, (LPENTRYID)eid, NULL, 0, type, out);
	LPMAPIERROR e = NULL;
	int rc;

	if (SUCCEEDED(hr))
		return 0;
	if (hr == MAPI_E_UNKNOWN_ENTRYID || hr == MAPI_E_INVALID_ENTRYID) {
		cli_errorf("the entry ID is not one of this address book's (MAPI error 0x%08lX)",
		           (unsigned long)hr);
		return EXIT_DATAERR;
	}
	if (FAILED(IABLogon_GetLastError(host_logon_ablogon(b->logon), hr, 0, &e)))
		e = NULL;
	rc = cli_fail(hr, "opening the entry", e ? (const char *)e->lpszError : NULL);
	(void)host_MAPIFreeBuffer(e);
	return rc;
}

int cli_resolve_one(struct cli_book *b, const char *name, ULONG *status, ULONG *n,
                    LPSPropValue *entry)
{
	LPADRLIST list = NULL;
	char *text = NULL;
	SizedFlagList(1, st) = { 1, { MAPI_UNRESOLVED } };
	HRESULT hr;
	int rc = 0;

	*status = MAPI_UNRESOLVED;
	*n = 0;
	*entry = NULL;
	if (FAILED(host_MAPIAllocateBuffer(CbNewADRLIST(1), (void **)&list)))
		return EXIT_SOFTWARE;
	list->cEntries = 1;
	list->aEntries[0].ulReserved1 = 0;
	list->aEntries[0].cValues = 1;
	if (FAILED(host_MAPIAllocateBuffer(sizeof(SPropValue),
	                                   (void **)&list->aEntries[0].rgPropVals))) {
		(void)host_MAPIFreeBuffer(list);
		return EXIT_SOFTWARE;
	}
	memset(list->aEntries[0].rgPropVals, 0, sizeof(SPropValue));
	list->aEntries[0].rgPropVals[0].ulPropTag = PR_DISPLAY_NAME_W;
	if (FAILED(host_utf8_to_utf16_more(name, list->aEntries[0].rgPropVals,
	                                   &list->aEntries[0].rgPropVals[0].Value.lpszW))) {
		host_FreePadrlist(list);
		cli_errorf("the name is not valid UTF-8");
		return EXIT_DATAERR;
	}
	hr = host_session_resolve_name(b->session, MAPI_UNICODE, list, (LPFlagList)&st, &text);
	if (FAILED(hr) && hr != MAPI_E_AMBIGUOUS_RECIP && hr != MAPI_E_NOT_FOUND) {
		rc = cli_fail(hr, "resolving the name", text);
	} else {
		*status = st.ulFlag[0];
		if (*status == MAPI_RESOLVED) {
			*entry = list->aEntries[0].rgPropVals;
			*n = list->aEntries[0].cValues;
			list->aEntries[0].rgPropVals = NULL;
			list->aEntries[0].cValues = 0;
		}
	}
	(void)host_MAPIFreeBuffer(text);
	host_FreePadrlist(list);
	return rc;
}

int cli_candidates(struct cli_book *b, const char *name, ULONG max, LPSRowSet *out,
                   int *truncated)
{
	char *text = NULL;
	HRESULT hr = host_session_find_anr(b->session, name, cli_entry_columns(), max, out,
	                                   truncated, &text);
	int rc = 0;

	if (hr == MAPI_E_TABLE_TOO_BIG) {
		cli_errorf("%s", text ? text : "too many entries match; be more specific");
		rc = EXIT_AMBIGUOUS;
	} else if (FAILED(hr)) {
		rc = cli_fail(hr, "searching the directory", text);
	}
	(void)host_MAPIFreeBuffer(text);
	return rc;
}

int cli_hex_entryid(const char *s, BYTE **out, ULONG *cb)
{
	size_t len = strlen(s);
	BYTE *b;

	*out = NULL;
	*cb = 0;
	if (len < 40 || len % 2 || strspn(s, "0123456789abcdefABCDEF") != len)
		return 0;
	b = malloc(len / 2);
	if (!b)
		return 0;
	for (size_t i = 0; i < len / 2; i++) {
		unsigned v = 0;

		sscanf(s + 2 * i, "%2x", &v);
		b[i] = (BYTE)v;
	}
	*out = b;
	*cb = (ULONG)(len / 2);
	return 1;
}
