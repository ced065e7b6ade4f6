/*
 * bench_resolve.c - ldapab-bench-resolve: IABContainer::ResolveNames
 * against raw libldap doing the same searches on one slapd.
 *
 *   ldapab-bench-resolve --rundir DIR [--quick]
 *
 * DIR is a run directory of tests/slapd/slapd-ctl (its slapd.env names the
 * server and the generated people under LDAPAB_TEST_BULK_BASE).  The
 * provider is linked statically and entered through ABProviderInit with the
 * host's support object, anonymous over ldap:// on loopback, its one
 * container over the bulk base.  The raw side is one libldap handle sending
 * the same searches - the same filters (built by the provider's own
 * restriction translation, ANDed with the same container filter), base,
 * attributes - all at once, then collecting every answer, as the
 * provider's pipelined batch does.
 *
 *   1. ResolveNames of 1 name ("Bulk Person 000042"-style, one match each);
 *   2. ResolveNames of 100 such names in one ADRLIST.
 * The two sides alternate run by run; medians.  Every provider run is
 * checked: all names come back MAPI_RESOLVED to the right person.
 *
 * Output: a readable report plus one line per figure
 *   BENCH name=resolve_<1|100> n=<people> prov_ms=... raw_ms=... ratio=...
 * and per target
 *   TARGET name=resolve_<1|100>_ratio n=<people> value=... limit=<=1.10 result=PASS|MISS
 * (tests/bench/run-bench.sh collects them across directory sizes).  Exit
 * status 0 when every measurement could be made (targets may still MISS),
 * 1 otherwise.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ldapab/profile.h>
#include <ldapab_host/host.h>

#include "attrmap.h"
#include "lookup.h"
#include "props.h"
#include "restrict.h"

#include "bench_raw.h"
#include "bench_prov.h"
#include "bench_util.h"
#include "slapd_env.h"

#define OP_TIMEOUT_MS 30000
#define TIME_LIMIT_S 60
#define BATCH 100
#define RATIO_LIMIT 1.10

struct bench {
	bool quick;
	char *uri, *base;
	size_t n;
	char *attrs[160];
	struct abp_attrmap *map;
	bool failed, missed;
	char *names[BATCH];
	char *filters[BATCH];           /* what the raw side sends for names[i] */
};

static void target(struct bench *b, const char *name, double value, double limit)
{
	bool ok = value <= limit;

	if (!ok)
		b->missed = true;
	printf("TARGET name=%s n=%zu value=%.3f limit=<=%.2f result=%s\n", name, b->n, value, limit,
	       ok ? "PASS" : "MISS");
}

/* ------------------------------------------------------------------------ */
/* The provider side                                                        */

static int prov_logon(struct bench *b, struct bench_prov *p)
{
	return bench_prov_logon(p, b->uri, b->base, OP_TIMEOUT_MS / 1000, "ldapab-bench-resolve");
}

/* A client's ADRLIST of the first k names (outside the timing). */
static ADRLIST *make_list(struct bench *b, size_t k)
{
	ADRLIST *l = NULL;
	size_t i;

	if (FAILED(host_MAPIAllocateBuffer((ULONG)CbNewADRLIST(k), (void **)&l)))
		return NULL;
	memset(l, 0, CbNewADRLIST(k));
	l->cEntries = (ULONG)k;
	for (i = 0; i < k; i++) {
		SPropValue *v = NULL;

		if (FAILED(host_MAPIAllocateBuffer(sizeof(SPropValue), (void **)&v))) {
			host_FreePadrlist(l);
			return NULL;
		}
		v[0].ulPropTag = PR_DISPLAY_NAME_A;
		v[0].dwAlignPad = 0;
		v[0].Value.lpszA = b->names[i];     /* the provider only reads it */
		l->aEntries[i].cValues = 1;
		l->aEntries[i].rgPropVals = v;
	}
	return l;
}

/* Each entry resolved to the person of its name. */
static int check_resolved(struct bench *b, const ADRLIST *l, const FlagList *fl)
{
	size_t i;
	ULONG j;

	for (i = 0; i < l->cEntries; i++) {
		bool ok = fl->ulFlag[i] == MAPI_RESOLVED;

		for (j = 0; ok && j < l->aEntries[i].cValues; j++)
			if (l->aEntries[i].rgPropVals[j].ulPropTag == PR_DISPLAY_NAME_A)
				ok = strcmp(l->aEntries[i].rgPropVals[j].Value.lpszA, b->names[i]) == 0;
		if (!ok) {
			fprintf(stderr, "ldapab-bench-resolve: \"%s\" not resolved (flag %lu)\n",
			        b->names[i], (unsigned long)fl->ulFlag[i]);
			b->failed = true;
			return -1;
		}
	}
	return 0;
}

static int prov_resolve(struct bench *b, struct bench_prov *p, size_t k, double *ms)
{
	ADRLIST *l = make_list(b, k);
	FlagList *fl = calloc(1, CbNewFlagList(k));
	double s;
	HRESULT hr;
	int ret = -1;

	if (l == NULL || fl == NULL)
		goto done;
	fl->cFlags = (ULONG)k;
	s = bench_now_ms();
	hr = p->c->lpVtbl->ResolveNames(p->c, NULL, 0, l, fl);
	*ms = bench_now_ms() - s;
	if (FAILED(hr)) {
		fprintf(stderr, "ldapab-bench-resolve: ResolveNames 0x%08X\n", (unsigned)hr);
		b->failed = true;
		goto done;
	}
	ret = check_resolved(b, l, fl);
done:
	host_FreePadrlist(l);   /* the names are ours, never chained to a root */
	free(fl);
	return ret;
}

/* ------------------------------------------------------------------------ */
/* The raw side                                                             */

static int raw_resolve(struct bench *b, LDAP *ld, size_t k, double *ms)
{
	int msgids[BATCH];
	struct raw_tally t = { 0, 0, 0 };
	double s = bench_now_ms();
	size_t i;

	for (i = 0; i < k; i++)
		if (raw_send(ld, b->base, b->filters[i], b->attrs, TIME_LIMIT_S, &msgids[i]) < 0)
			goto fail;
	if (raw_collect(ld, msgids, k, OP_TIMEOUT_MS, &t) < 0)
		goto fail;
	*ms = bench_now_ms() - s;
	if (t.entries != k) {
		fprintf(stderr, "ldapab-bench-resolve: raw searches found %zu entries for %zu names\n",
		        t.entries, k);
		b->failed = true;
		return -1;
	}
	return 0;
fail:
	fprintf(stderr, "ldapab-bench-resolve: raw search failed\n");
	b->failed = true;
	return -1;
}

/* ------------------------------------------------------------------------ */

static void bench_resolve(struct bench *b, size_t k, int runs)
{
	double *pv = calloc((size_t)runs, sizeof(double)), *rv = calloc((size_t)runs, sizeof(double));
	double pm, rm, warm;
	struct bench_prov p;
	LDAP *ld = NULL;
	int r;

	memset(&p, 0, sizeof(p));
	if (pv == NULL || rv == NULL || prov_logon(b, &p) < 0 ||
	    raw_open(b->uri, OP_TIMEOUT_MS, &ld) < 0) {
		fprintf(stderr, "ldapab-bench-resolve: logon / connect failed\n");
		b->failed = true;
		goto done;
	}
	/* Connect, bind and read the root DSE outside the timings. */
	if (prov_resolve(b, &p, 1, &warm) < 0 || raw_resolve(b, ld, 1, &warm) < 0)
		goto done;
	for (r = 0; r < runs; r++) {
		if (r % 2 == 0) {
			if (prov_resolve(b, &p, k, &pv[r]) < 0 || raw_resolve(b, ld, k, &rv[r]) < 0)
				goto done;
		} else {
			if (raw_resolve(b, ld, k, &rv[r]) < 0 || prov_resolve(b, &p, k, &pv[r]) < 0)
				goto done;
		}
	}
	pm = bench_median(pv, (size_t)runs);
	rm = bench_median(rv, (size_t)runs);
	printf("\nResolveNames of %zu name%s (%d runs): provider %.3f ms, raw %.3f ms, "
	       "ratio %.3f\n", k, k == 1 ? "" : "s", runs, pm, rm, rm > 0 ? pm / rm : 0);
	printf("BENCH name=resolve_%zu n=%zu prov_ms=%.3f raw_ms=%.3f ratio=%.3f\n", k, b->n, pm,
	       rm, rm > 0 ? pm / rm : 0);
	{
		char name[32];

		snprintf(name, sizeof(name), "resolve_%zu_ratio", k);
		target(b, name, rm > 0 ? pm / rm : 99, RATIO_LIMIT);
	}
done:
	if (ld != NULL)
		ldap_unbind_ext(ld, NULL, NULL);
	if (p.l != NULL || p.abp != NULL)
		bench_prov_logoff(&p);
	free(pv);
	free(rv);
}

/* Names spread over the list, and the filters the provider sends for them. */
static int setup(struct bench *b)
{
	char err[256] = "", *f = NULL, ctf[512];
	size_t k = 0, i;

	if (FAILED(abp_attrmap_new(LDAPAB_SCHEMA_INETORGPERSON, LB_UUID_ENTRYUUID, NULL, 0, &b->map,
	                           err, sizeof(err)))) {
		fprintf(stderr, "ldapab-bench-resolve: attribute map: %s\n", err);
		return -1;
	}
	for (i = 0; b->map->request[i] != NULL && k < 150; i++)
		b->attrs[k++] = (char *)b->map->request[i];
	b->attrs[k++] = (char *)"objectGUID";
	b->attrs[k++] = (char *)"nsUniqueId";
	b->attrs[k] = NULL;
	snprintf(ctf, sizeof(ctf), "(|%s%s)",
	         abp_dir_default_person_filter(LDAPAB_SCHEMA_INETORGPERSON),
	         abp_dir_default_group_filter(LDAPAB_SCHEMA_INETORGPERSON));
	for (i = 0; i < BATCH; i++) {
		SRestriction r;
		SPropValue v;
		size_t len;

		b->names[i] = malloc(32);
		if (b->names[i] == NULL)
			return -1;
		snprintf(b->names[i], 32, "Bulk Person %06zu", 1 + (i * 7919) % b->n);
		memset(&r, 0, sizeof(r));
		memset(&v, 0, sizeof(v));
		v.ulPropTag = PR_ANR_A;
		v.Value.lpszA = b->names[i];
		r.rt = RES_PROPERTY;
		r.res.resProperty.relop = RELOP_EQ;
		r.res.resProperty.ulPropTag = PR_ANR_A;
		r.res.resProperty.lpProp = &v;
		if (FAILED(abp_restrict_to_filter(b->map, &r, 0, NULL, &f)))
			return -1;
		len = strlen(ctf) + strlen(f) + 4;
		b->filters[i] = malloc(len);
		if (b->filters[i] == NULL) {
			free(f);
			return -1;
		}
		snprintf(b->filters[i], len, "(&%s%s)", ctf, f);
		free(f);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct bench b;
	int rc, i;

	memset(&b, 0, sizeof(b));
	rc = bench_bulk_args(argc, argv, "ldapab-bench-resolve", &b.quick, &b.uri, &b.base, &b.n);
	if (rc != 0)
		return rc;
	if (b.n < BATCH || setup(&b) < 0) {
		fprintf(stderr, "ldapab-bench-resolve: needs at least %d people\n", BATCH);
		return 1;
	}
	printf("ldapab-bench-resolve: %zu people under %s at %s\n", b.n, b.base, b.uri);
	printf("first name \"%s\", its search: %s\n", b.names[0], b.filters[0]);
	bench_resolve(&b, 1, b.quick ? 21 : 101);
	bench_resolve(&b, BATCH, b.quick ? 7 : 31);
	for (i = 0; i < BATCH; i++) {
		free(b.names[i]);
		free(b.filters[i]);
	}
	abp_attrmap_free(b.map);
	free(b.uri);
	free(b.base);
	return b.failed ? 1 : 0;
}
