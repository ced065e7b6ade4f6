/*
 * bench_load.c - ldapab-bench-load: many logons in one process under load.
 *
 *   ldapab-bench-load --rundir DIR [--logons N] [--lookups K]
 *
 * DIR is a run directory of tests/slapd/slapd-ctl (its slapd.env names the
 * server and the generated people under LDAPAB_TEST_BULK_BASE; run-bench.sh
 * starts one with 10,000).  One provider object (ABProviderInit, linked
 * statically, the host's allocators); N logons (default 200), each on its
 * own thread with its own support object, anonymous over ldap:// on
 * loopback, each:
 *   1. logs on, opens its directory container and makes one lookup (the
 *      bind is lazy, LC-17: this connects) - then all wait: the process's
 *      resident memory now, less before, over N, is the memory of one idle
 *      logon;
 *   2. makes K mixed lookups (default 50), each timed: ResolveNames of one
 *      name, a PR_ANR restriction with the first 10 rows, OpenEntry of a
 *      person with GetProps of all its properties, a browse window
 *      (SeekRowApprox + QueryRows of 20; a busy server's VLV refusal makes the
 *      provider fall back to a size-limited sorted copy, which the report
 *      counts from its warnings);
 *   3. logs off and releases everything.
 * Then the provider is released: no host memory block may be left, no file
 * descriptor more than before, every call must have succeeded.
 *
 * libldap's own connection state is measured apart, in a child process with
 * the same shape: N threads each holding one raw libldap handle, bound and
 * after one search, waiting.  Its memory per connection is subtracted from
 * the idle logon's (thread stacks touched alike on both sides).
 *
 * Output: a readable report plus
 *   BENCH name=load n=<people> logons=N lookups=K ops=... seconds=...
 *         ops_per_s=... p50_ms=... p99_ms=... max_ms=... peak_rss_kib=...
 *         idle_logon_kib=... raw_conn_kib=... beyond_libldap_kib=...
 *         errors=... leaked_blocks=... leaked_fds=...
 *   TARGET name=load_idle_logon_beyond_libldap_kib value=... limit=<=64 result=...
 *   TARGET name=load_no_error_no_leak value=... limit=0 result=...
 * Exit status 0 when every measurement could be made (targets may still
 * MISS), 1 otherwise.
 */
#include <dirent.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <ldap.h>

#include <ldapab/profile.h>
#include <ldapab_host/host.h>
#include <ldapab_host/mem.h>
#include <ldapab_host/props.h>

#include "bench_util.h"
#include "slapd_env.h"

#define LIMIT_KIB 64.0
#define OP_TIMEOUT_S 60

struct cfg {
	const char *uri, *base;
	unsigned people, logons, lookups;
	LPABPROVIDER abp;
	pthread_barrier_t bar;
};

struct worker {
	struct cfg *c;
	unsigned id;
	double *lat;            /* lookups latencies, ms (lookup i is of kind i % 4) */
	unsigned n_lat;
	unsigned errors;
	pthread_t th;
};

/* VmRSS or VmHWM of this process, KiB. */
static long status_kib(const char *key)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long v = -1;

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, key, strlen(key)) == 0)
			v = strtol(line + strlen(key), NULL, 10);
	fclose(f);
	return v;
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static const SPropValue *col(const SRow *r, ULONG tag)
{
	for (ULONG i = 0; i < r->cValues; i++)
		if (r->lpProps[i].ulPropTag == tag)
			return &r->lpProps[i];
	return NULL;
}

static void free_rows(LPSRowSet rs)
{
	if (rs == NULL)
		return;
	for (ULONG i = 0; i < rs->cRows; i++)
		host_MAPIFreeBuffer(rs->aRow[i].lpProps);
	host_MAPIFreeBuffer(rs);
}

/* ------------------------------------------------------------------------ */
/* One logon                                                                */

struct lg {
	host_session *sess;
	host_profile *prof;
	LPMAPISUP sup;
	LPABLOGON l;
	IABContainer *c;
};

static HRESULT lg_up(struct cfg *c, struct lg *g)
{
	SPropValue v[5];
	LPMAPIERROR err = NULL;
	IABContainer *root = NULL;
	LPMAPITABLE h = NULL;
	LPSRowSet rs = NULL;
	ULONG type = 0, n = 0;
	HRESULT hr;

	memset(g, 0, sizeof(*g));
	memset(v, 0, sizeof(v));
	v[n].ulPropTag = PR_LDAPAB_SERVER_URIS_A;
	v[n++].Value.lpszA = (LPSTR)c->uri;
	v[n].ulPropTag = PR_LDAPAB_BASE_DN_A;
	v[n++].Value.lpszA = (LPSTR)c->base;
	v[n].ulPropTag = PR_LDAPAB_BIND_METHOD;
	v[n++].Value.l = LDAPAB_BIND_ANONYMOUS;
	v[n].ulPropTag = PR_LDAPAB_OP_TIMEOUT;
	v[n++].Value.l = OP_TIMEOUT_S;
	/* 200 connections opening at once on a small shared machine: the
	 * connect (and root DSE read) gets time, so that a slow start is not
	 * taken for a dead server. */
	v[n].ulPropTag = PR_LDAPAB_CONNECT_TIMEOUT;
	v[n++].Value.l = OP_TIMEOUT_S;
	hr = host_profile_new("ldapab-load", NULL, &g->prof);
	if (SUCCEEDED(hr))
		hr = host_profile_set_props(g->prof, NULL, n, v);
	if (SUCCEEDED(hr))
		hr = host_session_new(NULL, &g->sess);
	if (SUCCEEDED(hr))
		hr = host_support_new(g->sess, g->prof, &g->sup);
	if (SUCCEEDED(hr))
		hr = IABProvider_Logon(c->abp, g->sup, 0, (LPTSTR)"load", AB_NO_DIALOG, NULL, NULL,
		                       &err, &g->l);
	if (err != NULL)
		host_MAPIFreeBuffer(err);
	if (SUCCEEDED(hr))
		hr = IABLogon_OpenEntry(g->l, 0, NULL, NULL, 0, &type, (LPUNKNOWN *)&root);
	if (SUCCEEDED(hr))
		hr = root->lpVtbl->GetHierarchyTable(root, 0, &h);
	if (SUCCEEDED(hr))
		hr = h->lpVtbl->QueryRows(h, 1, 0, &rs);
	if (SUCCEEDED(hr) && rs->cRows == 1) {
		const SPropValue *id = col(&rs->aRow[0], PR_ENTRYID);

		hr = id == NULL ? MAPI_E_NOT_FOUND
		     : IABLogon_OpenEntry(g->l, id->Value.bin.cb, (LPENTRYID)id->Value.bin.lpb, NULL,
		                          0, &type, (LPUNKNOWN *)&g->c);
	} else if (SUCCEEDED(hr)) {
		hr = MAPI_E_NOT_FOUND;
	}
	free_rows(rs);
	if (h != NULL)
		h->lpVtbl->Release(h);
	if (root != NULL)
		root->lpVtbl->Release(root);
	return hr;
}

static void lg_down(struct lg *g)
{
	if (g->c != NULL)
		g->c->lpVtbl->Release(g->c);
	if (g->l != NULL) {
		(void)IABLogon_Logoff(g->l, 0);
		IABLogon_Release(g->l);
	}
	if (g->sup != NULL)
		IMAPISupport_Release(g->sup);
	if (g->sess != NULL)
		host_session_free(g->sess);
	if (g->prof != NULL)
		host_profile_release(g->prof);
	memset(g, 0, sizeof(*g));
}

/* ------------------------------------------------------------------------ */
/* The lookups                                                              */

static unsigned pick(unsigned *seed, unsigned n)
{
	*seed = *seed * 1103515245u + 12345u;
	return 1 + (*seed >> 8) % n;
}

static HRESULT op_resolve(struct cfg *c, struct lg *g, unsigned *seed)
{
	char name[32];
	ADRLIST *l = NULL;
	SPropValue *v = NULL;
	SizedFlagList(1, fl);
	HRESULT hr;

	snprintf(name, sizeof(name), "Bulk Person %06u", pick(seed, c->people));
	if (FAILED(host_MAPIAllocateBuffer((ULONG)CbNewADRLIST(1), (void **)&l)) ||
	    FAILED(host_MAPIAllocateBuffer(sizeof(SPropValue), (void **)&v))) {
		host_MAPIFreeBuffer(l);
		return MAPI_E_NOT_ENOUGH_MEMORY;
	}
	memset(v, 0, sizeof(*v));
	v->ulPropTag = PR_DISPLAY_NAME_A;
	v->Value.lpszA = name;          /* read only by the provider */
	l->cEntries = 1;
	l->aEntries[0].ulReserved1 = 0;
	l->aEntries[0].cValues = 1;
	l->aEntries[0].rgPropVals = v;
	fl.cFlags = 1;
	fl.ulFlag[0] = MAPI_UNRESOLVED;
	hr = g->c->lpVtbl->ResolveNames(g->c, NULL, 0, l, (LPFlagList)&fl);
	if (SUCCEEDED(hr) && fl.ulFlag[0] != MAPI_RESOLVED)
		hr = MAPI_E_NOT_FOUND;
	if (l->aEntries[0].rgPropVals == v)
		v->Value.lpszA = NULL;
	host_FreePadrlist(l);
	return hr;
}

static HRESULT op_anr(struct cfg *c, struct lg *g, unsigned *seed, BYTE **eid, ULONG *cb)
{
	char text[32];
	LPMAPITABLE t = NULL;
	LPSRowSet rs = NULL;
	SPropValue pv;
	SRestriction r;
	HRESULT hr;

	snprintf(text, sizeof(text), "Bulk Person %05u", pick(seed, c->people / 10));
	memset(&r, 0, sizeof(r));
	pv.ulPropTag = PR_ANR_A;
	pv.Value.lpszA = text;
	r.rt = RES_PROPERTY;
	r.res.resProperty.relop = RELOP_EQ;
	r.res.resProperty.ulPropTag = PR_ANR_A;
	r.res.resProperty.lpProp = &pv;
	hr = g->c->lpVtbl->GetContentsTable(g->c, 0, &t);
	if (SUCCEEDED(hr))
		hr = t->lpVtbl->Restrict(t, &r, 0);
	if (SUCCEEDED(hr))
		hr = t->lpVtbl->QueryRows(t, 10, 0, &rs);
	if (SUCCEEDED(hr) && rs->cRows == 0)
		hr = MAPI_E_NOT_FOUND;
	if (SUCCEEDED(hr) && eid != NULL && *eid == NULL) {
		const SPropValue *id = col(&rs->aRow[0], PR_ENTRYID);

		if (id != NULL && (*eid = malloc(id->Value.bin.cb)) != NULL) {
			memcpy(*eid, id->Value.bin.lpb, id->Value.bin.cb);
			*cb = id->Value.bin.cb;
		}
	}
	free_rows(rs);
	if (t != NULL)
		t->lpVtbl->Release(t);
	return hr;
}

static HRESULT op_open(struct lg *g, const BYTE *eid, ULONG cb)
{
	LPMAPIPROP o = NULL;
	LPSPropValue v = NULL;
	ULONG type = 0, n = 0;
	HRESULT hr;

	if (eid == NULL)
		return MAPI_E_NOT_FOUND;
	hr = IABLogon_OpenEntry(g->l, cb, (LPENTRYID)eid, NULL, 0, &type, (LPUNKNOWN *)&o);
	if (SUCCEEDED(hr))
		hr = o->lpVtbl->GetProps(o, NULL, MAPI_UNICODE, &n, &v);
	host_MAPIFreeBuffer(v);
	if (o != NULL)
		o->lpVtbl->Release(o);
	return hr;
}

static HRESULT op_browse(struct lg *g, unsigned *seed)
{
	LPMAPITABLE t = NULL;
	LPSRowSet rs = NULL;
	HRESULT hr;

	hr = g->c->lpVtbl->GetContentsTable(g->c, 0, &t);
	if (SUCCEEDED(hr))
		hr = t->lpVtbl->SeekRowApprox(t, pick(seed, 99), 100);
	if (SUCCEEDED(hr))
		hr = t->lpVtbl->QueryRows(t, 20, 0, &rs);
	/* Fewer than 20 only near the end, or when a busy server made the view
	 * a size-limited sorted copy (the documented fallback): never none. */
	if (SUCCEEDED(hr) && rs->cRows == 0)
		hr = MAPI_E_NOT_FOUND;
	free_rows(rs);
	if (t != NULL)
		t->lpVtbl->Release(t);
	return hr;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct cfg *c = w->c;
	unsigned seed = 0x9E3779B9u * (w->id + 1);
	BYTE *eid = NULL;
	ULONG cb = 0;
	struct lg g;
	bool up;

	up = SUCCEEDED(lg_up(c, &g)) && SUCCEEDED(op_anr(c, &g, &seed, &eid, &cb));
	if (!up)
		w->errors++;
	pthread_barrier_wait(&c->bar);          /* all idle: RSS measured */
	pthread_barrier_wait(&c->bar);          /* go */
	for (unsigned i = 0; up && i < c->lookups; i++) {
		double t0 = bench_now_ms();
		HRESULT hr;

		switch (i % 4) {
		case 0: hr = op_resolve(c, &g, &seed); break;
		case 1: hr = op_anr(c, &g, &seed, NULL, NULL); break;
		case 2: hr = op_open(&g, eid, cb); break;
		default: hr = op_browse(&g, &seed); break;
		}
		w->lat[w->n_lat++] = bench_now_ms() - t0;
		if (FAILED(hr)) {
			w->errors++;
			fprintf(stderr, "logon %u, lookup %u (kind %u): 0x%08X\n", w->id, i, i % 4,
			        (unsigned)hr);
		}
	}
	pthread_barrier_wait(&c->bar);          /* all done */
	free(eid);
	lg_down(&g);
	return NULL;
}

/* ------------------------------------------------------------------------ */
/* libldap alone: the same number of threads, each one bound connection     */

struct rawc {
	struct cfg *c;
	LDAP *ld;
	int ok;
	pthread_barrier_t *bar;
};

static void *raw_main(void *arg)
{
	struct rawc *r = arg;
	struct berval cred = { 0, NULL };
	LDAPMessage *res = NULL;
	int ver = LDAP_VERSION3;
	char *attrs[] = { "displayName", "mail", NULL };

	if (ldap_initialize(&r->ld, r->c->uri) == LDAP_SUCCESS &&
	    ldap_set_option(r->ld, LDAP_OPT_PROTOCOL_VERSION, &ver) == LDAP_OPT_SUCCESS &&
	    ldap_sasl_bind_s(r->ld, "", LDAP_SASL_SIMPLE, &cred, NULL, NULL, NULL) ==
	    LDAP_SUCCESS &&
	    ldap_search_ext_s(r->ld, r->c->base, LDAP_SCOPE_SUBTREE,
	                      "(displayName=Bulk Person 000001)", attrs, 0, NULL, NULL, NULL, 10,
	                      &res) == LDAP_SUCCESS)
		r->ok = 1;
	ldap_msgfree(res);
	pthread_barrier_wait(r->bar);
	pthread_barrier_wait(r->bar);
	if (r->ld != NULL)
		ldap_unbind_ext_s(r->ld, NULL, NULL);
	return NULL;
}

/* KiB per raw connection (with its thread), measured in a child; < 0 on
 * failure. */
static double raw_per_conn_kib(struct cfg *c)
{
	int fd[2];
	pid_t pid;
	double v = -1;

	if (pipe(fd) != 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		struct rawc *rs = calloc(c->logons, sizeof(*rs));
		pthread_t *th = calloc(c->logons, sizeof(*th));
		pthread_barrier_t bar;
		long before, after;
		int ok = 1;

		close(fd[0]);
		if (rs == NULL || th == NULL)
			_exit(1);
		pthread_barrier_init(&bar, NULL, c->logons + 1);
		before = status_kib("VmRSS:");
		for (unsigned i = 0; i < c->logons; i++) {
			rs[i].c = c;
			rs[i].bar = &bar;
			pthread_create(&th[i], NULL, raw_main, &rs[i]);
		}
		pthread_barrier_wait(&bar);
		after = status_kib("VmRSS:");
		pthread_barrier_wait(&bar);
		for (unsigned i = 0; i < c->logons; i++) {
			pthread_join(th[i], NULL);
			ok &= rs[i].ok;
		}
		v = ok ? (double)(after - before) / c->logons : -1;
		if (write(fd[1], &v, sizeof(v)) != (ssize_t)sizeof(v))
			_exit(1);
		_exit(0);
	}
	close(fd[1]);
	if (pid < 0 || read(fd[0], &v, sizeof(v)) != (ssize_t)sizeof(v))
		v = -1;
	close(fd[0]);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return v;
}

static const char *const kind_names[4] = { "ResolveNames", "PR_ANR+QueryRows",
                                           "OpenEntry+GetProps", "browse window" };

int main(int argc, char **argv)
{
	const char *rundir = NULL;
	struct cfg c;
	struct worker *w;
	LPMALLOC m = NULL;
	ULONG ver = 0;
	double raw_kib, t0, t1, *all, idle_kib, beyond;
	long rss_base, rss_idle;
	unsigned errors = 0, ops = 0;
	int fds_before, fds_after;
	size_t leaked;
	bool ok;

	memset(&c, 0, sizeof(c));
	c.logons = 200;
	c.lookups = 50;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--rundir") == 0 && i + 1 < argc)
			rundir = argv[++i];
		else if (strcmp(argv[i], "--logons") == 0 && i + 1 < argc)
			c.logons = (unsigned)atoi(argv[++i]);
		else if (strcmp(argv[i], "--lookups") == 0 && i + 1 < argc)
			c.lookups = (unsigned)atoi(argv[++i]);
		else if (strcmp(argv[i], "--quick") == 0)
			c.logons = 20;
		else {
			fprintf(stderr, "usage: ldapab-bench-load --rundir DIR [--logons N] "
			        "[--lookups K]\n");
			return 1;
		}
	}
	if (rundir == NULL || c.logons == 0 || c.lookups == 0)
		return fprintf(stderr, "ldapab-bench-load: --rundir is needed\n"), 1;
	c.uri = slapd_env_file(rundir, "LDAPAB_TEST_URI");
	c.base = slapd_env_file(rundir, "LDAPAB_TEST_BULK_BASE");
	{
		char *n = slapd_env_file(rundir, "LDAPAB_TEST_BULK_COUNT");

		c.people = n != NULL ? (unsigned)atoi(n) : 0;
		free(n);
	}
	if (c.uri == NULL || c.base == NULL || c.people < 100)
		return fprintf(stderr, "ldapab-bench-load: %s/slapd.env lacks a bulk base\n",
		               rundir), 1;

	raw_kib = raw_per_conn_kib(&c);
	fds_before = count_fds();
	if (FAILED(host_malloc_new(&m)) ||
	    FAILED(ABProviderInit(NULL, m, host_MAPIAllocateBuffer, host_MAPIAllocateMore,
	                          host_MAPIFreeBuffer, 0, CURRENT_SPI_VERSION, &ver, &c.abp)))
		return fprintf(stderr, "ldapab-bench-load: ABProviderInit failed\n"), 1;
	w = calloc(c.logons, sizeof(*w));
	all = calloc((size_t)c.logons * c.lookups, sizeof(*all));
	if (w == NULL || all == NULL)
		return 1;
	pthread_barrier_init(&c.bar, NULL, c.logons + 1);
	rss_base = status_kib("VmRSS:");
	for (unsigned i = 0; i < c.logons; i++) {
		w[i].c = &c;
		w[i].id = i;
		w[i].lat = calloc(c.lookups, sizeof(double));
		if (w[i].lat == NULL || pthread_create(&w[i].th, NULL, worker_main, &w[i]) != 0)
			return fprintf(stderr, "ldapab-bench-load: thread %u\n", i), 1;
	}
	pthread_barrier_wait(&c.bar);           /* every logon up and idle */
	rss_idle = status_kib("VmRSS:");
	t0 = bench_now_ms();
	pthread_barrier_wait(&c.bar);           /* go */
	pthread_barrier_wait(&c.bar);           /* every lookup done */
	t1 = bench_now_ms();
	for (unsigned i = 0; i < c.logons; i++) {
		pthread_join(w[i].th, NULL);
		errors += w[i].errors;
		memcpy(all + ops, w[i].lat, w[i].n_lat * sizeof(double));
		ops += w[i].n_lat;
	}
	IABProvider_Release(c.abp);
	IMalloc_Release(m);
	leaked = host_mem_live_blocks();
	fds_after = count_fds();
	qsort(all, ops, sizeof(*all), bench_cmp_double);

	idle_kib = (double)(rss_idle - rss_base) / c.logons;
	beyond = raw_kib >= 0 ? idle_kib - raw_kib : -1;
	printf("ldapab-bench-load: %u logons x %u lookups against %u people (%s)\n", c.logons,
	       c.lookups, c.people, c.uri);
	printf("  lookups           %u in %.2f s: %.0f per second\n", ops, (t1 - t0) / 1e3,
	       ops / ((t1 - t0) / 1e3));
	if (ops > 0)
		printf("  latency           p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
		       all[ops / 2], all[(size_t)(ops * 0.99)], all[ops - 1]);
	for (unsigned k = 0; k < 4; k++) {
		double *v = calloc(ops ? ops : 1, sizeof(*v));
		size_t n = 0;

		if (v == NULL)
			break;
		for (unsigned i = 0; i < c.logons; i++)
			for (unsigned j = k; j < c.lookups; j += 4)
				v[n++] = w[i].lat[j];
		qsort(v, n, sizeof(*v), bench_cmp_double);
		if (n > 0) {
			printf("    %-20s p50 %8.2f ms, p99 %8.2f ms\n", kind_names[k], v[n / 2],
			       v[(size_t)(n * 0.99)]);
			printf("BENCH name=load_kind%u kind=%s n=%u p50_ms=%.2f p99_ms=%.2f\n", k,
			       k == 0 ? "resolve" : k == 1 ? "anr" : k == 2 ? "open" : "browse",
			       c.people, v[n / 2], v[(size_t)(n * 0.99)]);
		}
		free(v);
	}
	printf("  peak RSS          %ld KiB\n", status_kib("VmHWM:"));
	printf("  idle logon        %.1f KiB each (RSS %ld -> %ld KiB)\n", idle_kib, rss_base,
	       rss_idle);
	printf("  raw libldap conn  %.1f KiB each (with its thread)\n", raw_kib);
	printf("  beyond libldap    %.1f KiB per idle logon (target <= %.0f)\n", beyond,
	       LIMIT_KIB);
	printf("  errors %u, host blocks left %zu, descriptors %d -> %d\n", errors, leaked,
	       fds_before, fds_after);
	printf("BENCH name=load n=%u logons=%u lookups=%u ops=%u seconds=%.2f ops_per_s=%.0f "
	       "p50_ms=%.2f p99_ms=%.2f max_ms=%.2f peak_rss_kib=%ld idle_logon_kib=%.1f "
	       "raw_conn_kib=%.1f beyond_libldap_kib=%.1f errors=%u leaked_blocks=%zu "
	       "leaked_fds=%d\n",
	       c.people, c.logons, c.lookups, ops, (t1 - t0) / 1e3, ops / ((t1 - t0) / 1e3),
	       ops ? all[ops / 2] : 0, ops ? all[(size_t)(ops * 0.99)] : 0,
	       ops ? all[ops - 1] : 0, status_kib("VmHWM:"), idle_kib, raw_kib, beyond, errors,
	       leaked, fds_after - fds_before);
	printf("TARGET name=load_idle_logon_beyond_libldap_kib n=%u value=%.1f limit=<=%.0f "
	       "result=%s\n", c.people, beyond, LIMIT_KIB,
	       raw_kib >= 0 && beyond <= LIMIT_KIB ? "PASS" : "MISS");
	ok = errors == 0 && leaked == 0 && fds_after == fds_before &&
	     ops == c.logons * c.lookups;
	printf("TARGET name=load_no_error_no_leak n=%u value=%u limit=0 result=%s\n", c.people,
	       errors + (unsigned)leaked + (unsigned)abs(fds_after - fds_before),
	       ok ? "PASS" : "MISS");
	for (unsigned i = 0; i < c.logons; i++)
		free(w[i].lat);
	free(all);
	free(w);
	free((char *)c.uri);
	free((char *)c.base);
	return raw_kib >= 0 ? 0 : 1;
}
