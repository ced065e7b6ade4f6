/*
 * test_lifecycle_threads.c - many threads on one logon, and a Logoff from
 * yet another thread in the middle of them (TH-1, TH-2, TB-18, LC-32,
 * LC-36, LC-40), against the slapd fixture through the real entry point
 * (the module loaded by the host).
 *
 * 16 threads share one logon and one directory container.  Each round a
 * thread opens a person by entry ID (a lookup), reads a contents table
 * restricted by PR_ANR (a table) and resolves a name (ResolveNames).  Every
 * thread completes its rounds before a barrier; after it one thread logs
 * off while the others keep going.  Required: no round before the Logoff
 * fails; after it, each thread sees MAPI_E_INVALID_OBJECT and nothing else
 * (never an answer once refused); Logoff returns; and when everything is
 * released no MAPI memory, descriptor, thread or TCP connection is left.
 * This is also the test the ThreadSanitizer build runs for data races.
 */
#include <dirent.h>
#include <pthread.h>

#include "test_core_util.h"
#include "proc_tcp.h"

#include "abp.h"
#include "config.h"
#include "slapd_env.h"

#define N_THREADS 16
#define ROUNDS_BEFORE 3         /* rounds each thread completes before Logoff */
#define ROUNDS_MAX 100000       /* bound on the rounds racing the Logoff */
#define N_PEOPLE 20

struct shared {
	LPABLOGON l;
	IABContainer *ct;
	uint8_t *eids[N_PEOPLE];
	ULONG cbs[N_PEOPLE];
	size_t n_eids;
	pthread_barrier_t ready;
};

struct worker {
	pthread_t t;
	struct shared *sh;
	int idx;
	int rounds_ok;          /* all three answered, before any refusal */
	int refused;            /* calls answered MAPI_E_INVALID_OBJECT */
	int answered_after;     /* calls answered after a refusal */
	HRESULT other;          /* the first other failure, S_OK if none */
	const char *other_op;
};

/* ---------------------------------------------------------------------- */
/* Resources of the process                                                */
/* ---------------------------------------------------------------------- */

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/* ---------------------------------------------------------------------- */
/* One round of calls                                                      */
/* ---------------------------------------------------------------------- */

/* Records hr of operation op: true if it was answered. */
static bool note(struct worker *w, const char *op, HRESULT hr)
{
	if (hr == MAPI_E_INVALID_OBJECT) {
		w->refused++;
		return false;
	}
	if (SUCCEEDED(hr)) {
		if (w->refused)
			w->answered_after++;
		return true;
	}
	if (w->other == S_OK) {
		w->other = hr;
		w->other_op = op;
	}
	return false;
}

static bool lookup(struct worker *w, size_t k)
{
	struct shared *sh = w->sh;
	size_t i = ((size_t)w->idx * 7 + k) % sh->n_eids;
	LPUNKNOWN o = NULL;
	ULONG type = 0;
	HRESULT hr = IABLogon_OpenEntry(sh->l, sh->cbs[i], (LPENTRYID)sh->eids[i], NULL, 0,
	                                &type, &o);

	if (SUCCEEDED(hr))
		o->lpVtbl->Release(o);
	return note(w, "OpenEntry", hr);
}

static bool table(struct worker *w)
{
	static char anr[] = "a";
	SPropValue v = { .ulPropTag = PR_ANR_A };
	SRestriction r = { .rt = RES_PROPERTY };
	LPMAPITABLE t = NULL;
	LPSRowSet rows = NULL;
	HRESULT hr;

	v.Value.lpszA = anr;
	r.res.resProperty.relop = RELOP_EQ;
	r.res.resProperty.ulPropTag = PR_ANR_A;
	r.res.resProperty.lpProp = &v;
	hr = IABContainer_GetContentsTable(w->sh->ct, MAPI_UNICODE, &t);
	if (!note(w, "GetContentsTable", hr))
		return false;
	hr = IMAPITable_Restrict(t, &r, 0);
	if (note(w, "Restrict", hr)) {
		hr = IMAPITable_QueryRows(t, 5, 0, &rows);
		if (note(w, "QueryRows", hr))
			host_FreeProws(rows);
	}
	IMAPITable_Release(t);
	return SUCCEEDED(hr);
}

static bool resolve(struct worker *w)
{
	static const char name[] = "Margaret Thornton";
	ADRLIST *list = NULL;
	FlagList *fl = calloc(1, CbNewFlagList(1));
	SPropValue *v = NULL;
	char *a = NULL;
	HRESULT hr;

	assert_non_null(fl);
	fl->cFlags = 1;
	assert_int_equal(host_MAPIAllocateBuffer((ULONG)CbNewADRLIST(1), (void **)&list), S_OK);
	memset(list, 0, CbNewADRLIST(1));
	list->cEntries = 1;
	assert_int_equal(host_MAPIAllocateBuffer(sizeof(SPropValue), (void **)&v), S_OK);
	assert_int_equal(host_MAPIAllocateMore(sizeof(name), v, (void **)&a), S_OK);
	memcpy(a, name, sizeof(name));
	v->ulPropTag = PR_DISPLAY_NAME_A;
	v->Value.lpszA = a;
	list->aEntries[0].cValues = 1;
	list->aEntries[0].rgPropVals = v;
	hr = IABContainer_ResolveNames(w->sh->ct, NULL, 0, list, fl);
	host_FreePadrlist(list);
	free(fl);
	return note(w, "ResolveNames", hr);
}

static bool round_of_calls(struct worker *w, size_t k)
{
	bool a = lookup(w, k), b = table(w), c = resolve(w);

	return a && b && c;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	size_t k;

	for (k = 0; k < ROUNDS_BEFORE; k++)
		if (round_of_calls(w, k))
			w->rounds_ok++;
	pthread_barrier_wait(&w->sh->ready);    /* the Logoff comes now */
	for (; k < ROUNDS_MAX && w->refused < 3 && w->other == S_OK; k++)
		(void)round_of_calls(w, k);
	return NULL;
}

static void *logoff_main(void *arg)
{
	return arg ? (void *)(intptr_t)IABLogon_Logoff((LPABLOGON)arg, 0) : NULL;
}

/* ---------------------------------------------------------------------- */

/* The directory container of the profile's configuration (CT-2). */
static IABContainer *open_container(LPABLOGON l, const MAPIUID *uid, ULONG n, SPropValue *v)
{
	struct abp_config *cfg = NULL;
	char msg[ABP_MSG_MAX];
	uint8_t eid[ABP_EID_CONTAINER_MAX];
	IABContainer *ct = NULL;
	ULONG cb, type = 0;

	if (FAILED(abp_config_from_props(n, v, &cfg, msg, sizeof(msg))))
		fail_msg("configuration: %s", msg);
	assert_true(cfg->n_containers >= 1);
	cb = core_eid(uid, ABP_EID_CONTAINER, ABP_EID_LOC_CONTAINER, cfg->containers[0].id,
	              strlen(cfg->containers[0].id), NULL, eid, sizeof(eid));
	abp_config_free(cfg);
	assert_int_equal(IABLogon_OpenEntry(l, cb, (LPENTRYID)eid, NULL, 0, &type,
	                                    (LPUNKNOWN *)&ct), S_OK);
	assert_int_equal(type, MAPI_ABCONT);
	return ct;
}

/* Entry IDs of the first people of the container's contents table. */
static void collect_people(struct shared *sh)
{
	SizedSPropTagArray(1, cols) = { 1, { PR_ENTRYID } };
	LPMAPITABLE t = NULL;
	LPSRowSet rows = NULL;

	assert_int_equal(IABContainer_GetContentsTable(sh->ct, MAPI_UNICODE, &t), S_OK);
	assert_int_equal(IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0), S_OK);
	assert_int_equal(IMAPITable_QueryRows(t, N_PEOPLE, 0, &rows), S_OK);
	for (ULONG i = 0; i < rows->cRows; i++) {
		const SPropValue *p = &rows->aRow[i].lpProps[0];

		assert_int_equal(p->ulPropTag, PR_ENTRYID);
		sh->eids[sh->n_eids] = malloc(p->Value.bin.cb);
		assert_non_null(sh->eids[sh->n_eids]);
		memcpy(sh->eids[sh->n_eids], p->Value.bin.lpb, p->Value.bin.cb);
		sh->cbs[sh->n_eids++] = p->Value.bin.cb;
	}
	host_FreeProws(rows);
	IMAPITable_Release(t);
	assert_true(sh->n_eids >= 5);
}

static void test_TH1_16_threads_lookups_tables_resolve_then_logoff_LC36_LC40(void **state)
{
	int port = atoi(slapd_env("LDAPAB_TEST_PORT"));
	int fds0, threads0;
	struct worker w[N_THREADS];
	struct shared sh;
	host_provider *prov;
	host_session *sess = NULL;
	host_profile *prof;
	host_logon *hl = NULL;
	LPMAPIERROR err = NULL;
	SPropValue v[4];
	MAPIUID uid = { { 0 } };
	pthread_t off;
	void *ret = NULL;
	ULONG n = 0;
	HRESULT hr;

	(void)state;
	/* A sanitizer runtime's own helper thread (ThreadSanitizer starts one
	 * at the first pthread_create) is running before the count. */
	assert_int_equal(pthread_create(&off, NULL, logoff_main, NULL), 0);
	assert_int_equal(pthread_join(off, NULL), 0);
	fds0 = count_entries("/proc/self/fd");
	threads0 = count_entries("/proc/self/task");
	memset(&sh, 0, sizeof(sh));
	memset(v, 0, sizeof(v));
	v[n].ulPropTag = PR_LDAPAB_SERVER_URIS_A;
	v[n++].Value.lpszA = (LPSTR)slapd_env("LDAPAB_TEST_URI");
	v[n].ulPropTag = PR_LDAPAB_BASE_DN_A;
	v[n++].Value.lpszA = (LPSTR)slapd_env("LDAPAB_TEST_BASE");
	prov = core_load(NULL);
	prof = core_profile(NULL, n, v);
	assert_int_equal(host_session_new(NULL, &sess), S_OK);
	hr = host_session_logon(sess, prov, prof, 0, &hl, &err);
	if (FAILED(hr))
		fail_msg("logon: 0x%08X %s", (unsigned)hr, err ? err->lpszError : "");
	sh.l = host_logon_ablogon(hl);
	IABLogon_AddRef(sh.l);                  /* ours, for the threads */
	assert_true(core_profile_uid(prof, &uid));
	sh.ct = open_container(sh.l, &uid, n, v);
	collect_people(&sh);

	assert_int_equal(pthread_barrier_init(&sh.ready, NULL, N_THREADS + 1), 0);
	memset(w, 0, sizeof(w));
	for (int i = 0; i < N_THREADS; i++) {
		w[i].sh = &sh;
		w[i].idx = i;
		assert_int_equal(pthread_create(&w[i].t, NULL, worker_main, &w[i]), 0);
	}
	pthread_barrier_wait(&sh.ready);
	assert_int_equal(pthread_create(&off, NULL, logoff_main, sh.l), 0);
	assert_int_equal(pthread_join(off, &ret), 0);
	assert_int_equal((HRESULT)(intptr_t)ret, S_OK);
	for (int i = 0; i < N_THREADS; i++) {
		assert_int_equal(pthread_join(w[i].t, NULL), 0);
		if (w[i].other != S_OK)
			fail_msg("thread %d: %s failed with 0x%08X", i, w[i].other_op,
			         (unsigned)w[i].other);
		assert_int_equal(w[i].rounds_ok, ROUNDS_BEFORE);
		assert_true(w[i].refused >= 3);
		assert_int_equal(w[i].answered_after, 0);
	}
	pthread_barrier_destroy(&sh.ready);
	/* Logoff closed the one connection (LC-32 step 4). */
	assert_int_equal(proc_tcp_connections_to(port), 0);

	IABContainer_Release(sh.ct);
	IABLogon_Release(sh.l);
	for (size_t i = 0; i < sh.n_eids; i++)
		free(sh.eids[i]);
	assert_int_equal(host_session_logoff(hl), S_OK);
	host_session_free(sess);
	host_profile_release(prof);
	host_provider_release(prov);
	/* Nothing left: MAPI memory, descriptors, threads. */
	assert_int_equal(host_mem_live_blocks(), 0);
	assert_int_equal(count_entries("/proc/self/fd"), fds0);
	assert_int_equal(count_entries("/proc/self/task"), threads0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CORE_TEST(test_TH1_16_threads_lookups_tables_resolve_then_logoff_LC36_LC40),
	};

	return cmocka_run_group_tests_name("provider_lifecycle_threads", tests, NULL, NULL);
}
