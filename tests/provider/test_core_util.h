/*
 * test_core_util.h - shared helpers of the provider core tests: profiles,
 * the module through the host's loader, entry IDs, an advise sink, a dead
 * server URI, and the leak check every test ends with.
 */
#ifndef LDAPAB_TEST_CORE_UTIL_H
#define LDAPAB_TEST_CORE_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <cmocka.h>

#include <mapi/mapidefs.h>
#include <mapi/mapicode.h>
#include <mapi/mapitags.h>
#include <mapi/mapiguid.h>
#include <mapi/mapispi.h>
#include <ldapab/profile.h>
#include "ldapab_host/host.h"

#include "entryid.h"


/* ldap://127.0.0.1:<port> where nothing listens (a port the kernel just
 * handed out and we closed again): connections are refused at once. */
static inline int core_free_port(void)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	assert_true(fd >= 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

static inline void core_dead_uri(char *buf, size_t len)
{
	snprintf(buf, len, "ldap://127.0.0.1:%d", core_free_port());
}

/* A profile whose own section holds the URIs and any extra settings. */
static inline host_profile *core_profile(const char *uris, ULONG n_extra,
                                         const SPropValue *extra)
{
	host_profile *p = NULL;
	SPropValue v[24];
	ULONG n = 0;

	assert_true(n_extra < 20);
	assert_int_equal(host_profile_new("ldapab-test", NULL, &p), S_OK);
	memset(v, 0, sizeof(v));
	if (uris) {
		v[n].ulPropTag = PR_LDAPAB_SERVER_URIS_A;
		v[n++].Value.lpszA = (LPSTR)uris;
	}
	v[n].ulPropTag = PR_LDAPAB_CONNECT_TIMEOUT;
	v[n++].Value.l = 2;
	v[n].ulPropTag = PR_LDAPAB_OP_TIMEOUT;
	v[n++].Value.l = 5;
	for (ULONG i = 0; i < n_extra; i++)
		v[n++] = extra[i];
	if (n)
		assert_int_equal(host_profile_set_props(p, NULL, n, v), S_OK);
	return p;
}

/* The instance UID the provider stored in the profile (LC-14). */
static inline int core_profile_uid(host_profile *p, MAPIUID *out)
{
	SizedSPropTagArray(1, tags) = { 1, { PR_LDAPAB_INSTANCE_UID } };
	LPSPropValue v = NULL;
	ULONG n = 0;
	int ok = 0;

	if (FAILED(host_profile_get_props(p, NULL, (LPSPropTagArray)&tags, 0, &n, &v)))
		return 0;
	if (n == 1 && v[0].ulPropTag == PR_LDAPAB_INSTANCE_UID && v[0].Value.bin.cb == 16) {
		memcpy(out->ab, v[0].Value.bin.lpb, 16);
		ok = 1;
	}
	host_MAPIFreeBuffer(v);
	return ok;
}

#ifdef LDAPAB_MODULE_PATH
/* The built module through the host's loader (HO-1). */
static inline host_provider *core_load(host_trace *trace)
{
	host_provider *prov = NULL;
	char *err = NULL;
	HRESULT hr = host_provider_load(LDAPAB_MODULE_PATH, trace, &prov, &err);

	if (FAILED(hr))
		fail_msg("loading %s: 0x%08X %s", LDAPAB_MODULE_PATH, (unsigned)hr,
		         err ? err : "");
	return prov;
}
#endif

/* An entry ID of ours (abFlags 0) in buf; returns its size. */
static inline ULONG core_eid(const MAPIUID *uid, enum abp_eid_type type,
                             enum abp_eid_locator kind, const void *loc, size_t loc_len,
                             const char *hint, uint8_t *buf, size_t cap)
{
	struct abp_eid e;
	size_t n;

	memset(&e, 0, sizeof(e));
	memcpy(e.uid, uid->ab, 16);
	e.type = type;
	e.loc_kind = kind;
	e.loc = loc;
	e.loc_len = loc_len;
	e.hint = hint;
	e.hint_len = hint ? strlen(hint) : 0;
	n = abp_eid_encode(&e, buf, cap);
	assert_true(n > 0);
	return (ULONG)n;
}

/* PR_STATUS_CODE of the host's status row for sup, or ~0 if none. */
static inline ULONG core_row_status(LPMAPISUP sup)
{
	LPSPropValue row = NULL;
	ULONG n = 0, code = ~0u;

	if (FAILED(host_support_status_row(sup, &n, &row)))
		return ~0u;
	for (ULONG i = 0; i < n; i++)
		if (row[i].ulPropTag == PR_STATUS_CODE)
			code = row[i].Value.ul;
	host_MAPIFreeBuffer(row);
	return code;
}

/* A counting IMAPIAdviseSink. */
struct core_sink {
	IMAPIAdviseSink iface;
	atomic_uint refs;
	atomic_uint notified;
};

static inline HRESULT STDMETHODCALLTYPE core_sink_qi(IMAPIAdviseSink *This, REFIID riid, LPVOID *ppv)
{
	if (!ppv)
		return MAPI_E_INVALID_PARAMETER;
	*ppv = NULL;
	if (!IsEqualIID(riid, &IID_IUnknown) && !IsEqualIID(riid, &IID_IMAPIAdviseSink))
		return MAPI_E_INTERFACE_NOT_SUPPORTED;
	This->lpVtbl->AddRef(This);
	*ppv = This;
	return S_OK;
}

static inline ULONG STDMETHODCALLTYPE core_sink_addref(IMAPIAdviseSink *This)
{
	return atomic_fetch_add(&((struct core_sink *)(void *)This)->refs, 1) + 1;
}

static inline ULONG STDMETHODCALLTYPE core_sink_release(IMAPIAdviseSink *This)
{
	/* Stack-allocated by the tests: nothing to free. */
	return atomic_fetch_sub(&((struct core_sink *)(void *)This)->refs, 1) - 1;
}

static inline ULONG STDMETHODCALLTYPE core_sink_notify(IMAPIAdviseSink *This, ULONG c,
                                                       LPNOTIFICATION n)
{
	(void)n;
	atomic_fetch_add(&((struct core_sink *)(void *)This)->notified, c);
	return 0;
}

static const IMAPIAdviseSinkVtbl core_sink_vtbl = {
	core_sink_qi, core_sink_addref, core_sink_release, core_sink_notify
};

static inline void core_sink_init(struct core_sink *s)
{
	s->iface.lpVtbl = &core_sink_vtbl;
	atomic_init(&s->refs, 1);
	atomic_init(&s->notified, 0);
}

/* Every test ends with nothing of the host's left alive (LC-39, MM-*). */
static inline void core_assert_clean(void)
{
	host_mem_stats st;

	host_mem_get_stats(&st);
	assert_int_equal(st.live_roots, 0);
	assert_int_equal(st.bad_calls, 0);
	assert_int_equal(host_support_live_objects(), 0);
	assert_int_equal(host_profsect_live_objects(), 0);
	assert_int_equal(host_malloc_live_objects(), 0);
}

static inline int core_setup(void **state)
{
	(void)state;
	host_mem_fail_never();
	core_assert_clean();
	return 0;
}

static inline int core_teardown(void **state)
{
	(void)state;
	host_mem_fail_never();
	core_assert_clean();
	return 0;
}

#define CORE_TEST(f) cmocka_unit_test_setup_teardown(f, core_setup, core_teardown)

#endif
