/*
 * bench_tables.c - ldapab-bench-tables: the provider's contents table
 * against raw libldap VLV requests on one slapd.
 *
 *   ldapab-bench-tables --rundir DIR [--quick]
 *
 * DIR is a run directory of tests/slapd/slapd-ctl (its slapd.env names the
 * server and the generated people under LDAPAB_TEST_BULK_BASE).  The
 * provider is linked statically and entered through ABProviderInit with
 * the host's support object, anonymous over ldap:// on loopback, browsing
 * the bulk base; the raw side is one libldap handle doing VLV requests with
 * the same filter, attributes and sort key (bench_raw.c), keeping the
 * server's context between windows.
 *
 *   1. the first 50-row window of a fresh table (the raw side: a fresh
 *      VLV context's first window);
 *   2. 20 further windows each: scrolling on (QueryRows(50)), SeekRowApprox
 *      jumps, type-down (FindRow with a display-name prefix, then
 *      QueryRows(50)) - against raw windows at the same offsets reusing the
 *      context;
 *   3. 200 one-row QueryRows steps: how many server requests they cost;
 *   4. peak resident memory (VmHWM) of a browse of 200 windows of 50 rows
 *      spread over the whole list, in a child process forked first.
 *
 * Output: a readable report plus one line per figure
 *   BENCH name=tables_<figure> n=<people> prov_ms=... raw_ms=... ratio=...
 * and per target
 *   TARGET name=<target> n=<people> value=... limit=... result=PASS|MISS
 * (tests/bench/run-bench.sh collects them across directory sizes).
 * Targets: each further window <= 2x the raw context-reusing request;
 * one-row scrolling >= 10x fewer requests than rows.  Exit status 0 when
 * every measurement could be made (targets may still MISS), 1 otherwise.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <ldapab/profile.h>
#include <ldapab_host/host.h>

#include "attrmap.h"
#include "lookup.h"
#include "table.h"

#include "bench_raw.h"
#include "lb_calls.h"
#include "bench_prov.h"
#include "bench_util.h"
#include "slapd_env.h"

#define OP_TIMEOUT_MS 30000
#define WINDOW 50
#define FURTHER 20
#define ROUNDS 5                 /* the further windows, repeated: a shared machine is noisy */
#define ONE_ROW_STEPS 200
#define BROWSE_WINDOWS 200
#define WINDOW_RATIO_LIMIT 2.0
#define ONE_ROW_FEWER_MIN 10.0

struct bench {
	bool quick;
	char *uri, *base;
	size_t n;
	char filter[512];
	char *attrs[160];
	struct abp_attrmap *map;
	bool failed, missed;
};

/* Row i of a row set (aRow is declared with one element). */
static SRow *row_at(LPSRowSet rs, ULONG i)
{
	return &rs->aRow[i];
}

static void target(struct bench *b, const char *name, double value, double limit, bool at_most)
{
	bool ok = at_most ? value <= limit : value >= limit;

	if (!ok)
		b->missed = true;
	printf("TARGET name=%s n=%zu value=%.2f limit=%s%.2f result=%s\n", name, b->n, value,
	       at_most ? "<=" : ">=", limit, ok ? "PASS" : "MISS");
}

/* ------------------------------------------------------------------------ */
/* The provider side                                                        */

static int prov_logon(struct bench *b, struct bench_prov *p)
{
	return bench_prov_logon(p, b->uri, b->base, OP_TIMEOUT_MS / 1000, "ldapab-bench-tables");
}

static void free_rows(LPSRowSet rs)
{
	if (rs == NULL)
		return;
	for (ULONG i = 0; i < rs->cRows; i++)
		host_MAPIFreeBuffer(row_at(rs, i)->lpProps);
	host_MAPIFreeBuffer(rs);
}

/* The display name of row 0 must be "Bulk Person %06d" % (pos + 1). */
static int check_row(struct bench *b, const SRow *r, size_t pos)
{
	char want[40];

	snprintf(want, sizeof(want), "Bulk Person %06zu", pos + 1);
	for (ULONG i = 0; i < r->cValues; i++)
		if (r->lpProps[i].ulPropTag == PR_DISPLAY_NAME_A &&
		    strcmp(r->lpProps[i].Value.lpszA, want) == 0)
			return 0;
	fprintf(stderr, "ldapab-bench-tables: row at %zu is not %s\n", pos, want);
	b->failed = true;
	return -1;
}

static int prov_rows(struct bench *b, LPMAPITABLE t, LONG n, size_t expect_pos, ULONG expect_n)
{
	LPSRowSet rs = NULL;
	int ret = -1;
	HRESULT hr = t->lpVtbl->QueryRows(t, n, 0, &rs);

	if (FAILED(hr) || rs->cRows != expect_n) {
		LPMAPIERROR e = NULL;

		(void)t->lpVtbl->GetLastError(t, hr, 0, &e);
		fprintf(stderr, "ldapab-bench-tables: QueryRows(%ld) at %zu: 0x%08X, %lu rows: %s\n",
		        (long)n, expect_pos, (unsigned)hr, FAILED(hr) ? 0ul : (unsigned long)rs->cRows,
		        e && e->lpszError ? (const char *)e->lpszError : "");
		host_MAPIFreeBuffer(e);
		b->failed = true;
	} else {
		ret = check_row(b, row_at(rs, 0), expect_pos);
	}
	free_rows(rs);
	return ret;
}

/* ------------------------------------------------------------------------ */
/* The raw side                                                             */

static int raw_rows(struct bench *b, struct raw_vlv *v, size_t offset, int after, size_t rows)
{
	struct raw_tally t = { 0, 0, 0 };
	int pos = 0, count = 0;

	if (raw_vlv_window(v, 0, after, (int)offset, &t, &pos, &count) < 0 ||
	    (size_t)pos != offset || t.entries != rows || (size_t)count != b->n) {
		fprintf(stderr, "ldapab-bench-tables: raw window at %zu: %d/%d, %zu rows\n", offset,
		        pos, count, t.entries);
		b->failed = true;
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------------ */

static size_t jump_pos(const struct bench *b, int j)
{
	return (size_t)(((unsigned long long)((j * 7) % FURTHER + 1) * b->n) / (FURTHER + 1));
}

static size_t typedown_pos(const struct bench *b, int j)
{
	/* A prefix naming one block of ten: "Bulk Person 00123" → row 1230 - 1. */
	size_t blocks = b->n / 10;
	size_t k = 1 + (size_t)(((unsigned long long)(j * 11 % FURTHER) * blocks) / FURTHER);

	return k * 10 - 1;
}

static void bench_windows(struct bench *b)
{
	double pf[8], rf[8], ps[FURTHER * ROUNDS], rs_[FURTHER * ROUNDS];
	double pj[FURTHER * ROUNDS], rj[FURTHER * ROUNDS], pt[FURTHER * ROUNDS], rt[FURTHER * ROUNDS];
	int runs = b->quick ? 3 : 7, rounds = b->quick ? 1 : ROUNDS, r, j, k, nscroll, ns = 0, nj = 0;
	struct bench_prov p;
	LDAP *ld = NULL;
	struct raw_vlv *rv = NULL;
	LPMAPITABLE t = NULL;
	double s;

	if (prov_logon(b, &p) < 0 || raw_open(b->uri, OP_TIMEOUT_MS, &ld) < 0) {
		fprintf(stderr, "ldapab-bench-tables: logon / connect failed\n");
		b->failed = true;
		goto done;
	}
	/* Connect and read the root DSE outside every timing. */
	if (FAILED(p.c->lpVtbl->GetContentsTable(p.c, 0, &t))) {
		b->failed = true;
		goto done;
	}
	t->lpVtbl->Release(t);
	t = NULL;

	/* 1. First window of a fresh table / a fresh context. */
	for (r = 0; r < runs; r++) {
		s = bench_now_ms();
		if (FAILED(p.c->lpVtbl->GetContentsTable(p.c, 0, &t)) ||
		    prov_rows(b, t, WINDOW, 0, WINDOW) < 0)
			goto done;
		pf[r] = bench_now_ms() - s;
		if (r < runs - 1) {
			t->lpVtbl->Release(t);
			t = NULL;
		}
		s = bench_now_ms();
		raw_vlv_close(rv);
		rv = NULL;
		if (raw_vlv_open(ld, b->base, b->filter, b->attrs, "cn:2.5.13.3", OP_TIMEOUT_MS,
		                 &rv) < 0 || raw_rows(b, rv, 1, WINDOW - 1, WINDOW) < 0)
			goto done;
		rf[r] = bench_now_ms() - s;
	}
	/* 2. Further windows on the last table / context: scrolling on from
	 * the first window (as far as the list goes), jumps, type-down. */
	nscroll = (b->n - WINDOW) / WINDOW < FURTHER ? (int)((b->n - WINDOW) / WINDOW) : FURTHER;
	for (k = 0; k < rounds; k++) {
		if (k > 0 && FAILED(t->lpVtbl->SeekRow(t, BOOKMARK_BEGINNING, WINDOW, NULL)))
			goto done;
		for (j = 0; j < nscroll; j++, ns++) {
			size_t at = (size_t)(j + 1) * WINDOW;

			s = bench_now_ms();
			if (prov_rows(b, t, WINDOW, at, WINDOW) < 0)
				goto done;
			ps[ns] = bench_now_ms() - s;
			s = bench_now_ms();
			if (raw_rows(b, rv, at + 1, WINDOW - 1, WINDOW) < 0)
				goto done;
			rs_[ns] = bench_now_ms() - s;
		}
		for (j = 0; j < FURTHER; j++, nj++) {
			size_t at = jump_pos(b, j);

			s = bench_now_ms();
			if (FAILED(t->lpVtbl->SeekRowApprox(t, (ULONG)((j * 7) % FURTHER + 1), FURTHER + 1)) ||
			    prov_rows(b, t, WINDOW, at, at + WINDOW <= b->n ? WINDOW : (ULONG)(b->n - at)) < 0)
				goto done;
			pj[nj] = bench_now_ms() - s;
			s = bench_now_ms();
			if (raw_rows(b, rv, at + 1, WINDOW - 1, at + WINDOW <= b->n ? WINDOW : b->n - at) < 0)
				goto done;
			rj[nj] = bench_now_ms() - s;
		}
		for (j = 0; j < FURTHER; j++) {
			size_t at = typedown_pos(b, j);
			char prefix[40];
			SPropValue pv;
			SRestriction res;

			snprintf(prefix, sizeof(prefix), "Bulk Person %05zu", (at + 1) / 10);
			memset(&res, 0, sizeof(res));
			pv.ulPropTag = PR_DISPLAY_NAME_A;
			pv.Value.lpszA = prefix;
			res.rt = RES_CONTENT;
			res.res.resContent.ulFuzzyLevel = FL_PREFIX | FL_IGNORECASE;
			res.res.resContent.ulPropTag = PR_DISPLAY_NAME_A;
			res.res.resContent.lpProp = &pv;
			s = bench_now_ms();
			if (FAILED(t->lpVtbl->FindRow(t, &res, BOOKMARK_BEGINNING, 0)) ||
			    prov_rows(b, t, WINDOW, at, at + WINDOW <= b->n ? WINDOW : (ULONG)(b->n - at)) < 0)
				goto done;
			pt[nj - FURTHER + j] = bench_now_ms() - s;
			s = bench_now_ms();
			if (raw_rows(b, rv, at + 1, WINDOW - 1, at + WINDOW <= b->n ? WINDOW : b->n - at) < 0)
				goto done;
			rt[nj - FURTHER + j] = bench_now_ms() - s;
		}
	}
	{
		double a = bench_median(pf, (size_t)runs), ar = bench_median(rf, (size_t)runs);
		double sc = bench_median(ps, (size_t)ns), scr = bench_median(rs_, (size_t)ns);
		double ju = bench_median(pj, (size_t)nj), jur = bench_median(rj, (size_t)nj);
		double ty = bench_median(pt, (size_t)nj), tyr = bench_median(rt, (size_t)nj);

		printf("\n1./2. Contents table windows of %d rows (medians, ms; further windows: "
		       "%d rounds of %d)\n", WINDOW, rounds, FURTHER);
		printf("   %-34s %10s %10s %8s\n", "", "provider", "raw VLV", "ratio");
		printf("   %-34s %10.2f %10.2f %8.2f\n", "first window (fresh table)", a, ar, a / ar);
		printf("   %-34s %10.2f %10.2f %8.2f\n", "further: scrolling QueryRows(50)", sc, scr,
		       sc / scr);
		printf("   %-34s %10.2f %10.2f %8.2f\n", "further: SeekRowApprox jump", ju, jur,
		       ju / jur);
		printf("   %-34s %10.2f %10.2f %8.2f\n", "further: type-down FindRow", ty, tyr,
		       ty / tyr);
		printf("BENCH name=tables_first_window n=%zu prov_ms=%.3f raw_ms=%.3f ratio=%.2f\n",
		       b->n, a, ar, a / ar);
		printf("BENCH name=tables_scroll_window n=%zu prov_ms=%.3f raw_ms=%.3f ratio=%.2f\n",
		       b->n, sc, scr, sc / scr);
		printf("BENCH name=tables_jump_window n=%zu prov_ms=%.3f raw_ms=%.3f ratio=%.2f\n",
		       b->n, ju, jur, ju / jur);
		printf("BENCH name=tables_typedown_window n=%zu prov_ms=%.3f raw_ms=%.3f ratio=%.2f\n",
		       b->n, ty, tyr, ty / tyr);
		target(b, "tables_scroll_window_vs_raw", sc / scr, WINDOW_RATIO_LIMIT, true);
		target(b, "tables_jump_window_vs_raw", ju / jur, WINDOW_RATIO_LIMIT, true);
		target(b, "tables_typedown_window_vs_raw", ty / tyr, WINDOW_RATIO_LIMIT, true);
	}

	/* 3. One-row steps from the middle. */
	{
		size_t before, used, at = b->n / 2;
		int i;

		if (FAILED(t->lpVtbl->SeekRow(t, BOOKMARK_BEGINNING, (LONG)at, NULL)))
			goto done;
		before = lb_calls();        /* the raw side calls libldap itself */
		s = bench_now_ms();
		for (i = 0; i < ONE_ROW_STEPS; i++)
			if (prov_rows(b, t, 1, at + (size_t)i, 1) < 0)
				goto done;
		s = bench_now_ms() - s;
		used = lb_calls() - before;
		printf("\n3. %d one-row QueryRows steps: %zu server requests (%.1f ms)\n",
		       ONE_ROW_STEPS, used, s);
		printf("BENCH name=tables_onerow n=%zu rows=%d requests=%zu fewer=%.1f prov_ms=%.2f\n",
		       b->n, ONE_ROW_STEPS, used,
		       used ? (double)ONE_ROW_STEPS / (double)used : (double)ONE_ROW_STEPS, s);
		target(b, "tables_onerow_fewer_requests",
		       used ? (double)ONE_ROW_STEPS / (double)used : (double)ONE_ROW_STEPS,
		       ONE_ROW_FEWER_MIN, false);
	}
done:
	if (t)
		t->lpVtbl->Release(t);
	raw_vlv_close(rv);
	if (ld)
		ldap_unbind_ext_s(ld, NULL, NULL);
	bench_prov_logoff(&p);
}

/* 4. In a child: a browse of BROWSE_WINDOWS windows across the list. */
struct rss_report {
	int ok;
	long base_kib, hwm_kib, rss_kib;
	double ms;
};

static void browse_child(struct bench *b, struct rss_report *rep)
{
	struct bench_prov p;
	LPMAPITABLE t = NULL;
	long dummy;
	double s;
	int i;

	if (prov_logon(b, &p) < 0 || FAILED(p.c->lpVtbl->GetContentsTable(p.c, 0, &t)))
		goto done;
	bench_read_mem(&rep->base_kib, &dummy);
	s = bench_now_ms();
	for (i = 0; i < BROWSE_WINDOWS; i++) {
		ULONG num = (ULONG)i, den = BROWSE_WINDOWS;
		ULONG row = 0, n1 = 0, d1 = 0;
		LPSRowSet rs = NULL;

		if (FAILED(t->lpVtbl->SeekRowApprox(t, num, den)) ||
		    FAILED(t->lpVtbl->QueryPosition(t, &row, &n1, &d1)) ||
		    FAILED(t->lpVtbl->QueryRows(t, WINDOW, 0, &rs)))
			goto done;
		if (rs->cRows == 0 || check_row(b, row_at(rs, 0), row) < 0) {
			free_rows(rs);
			goto done;
		}
		free_rows(rs);
	}
	rep->ms = bench_now_ms() - s;
	bench_read_mem(&rep->hwm_kib, &rep->rss_kib);
	rep->ok = 1;
done:
	if (t)
		t->lpVtbl->Release(t);
	bench_prov_logoff(&p);
}

static bool browse_measure(void *b, void *rep)
{
	browse_child(b, rep);
	return ((struct rss_report *)rep)->ok != 0;
}

static int browse_rss(struct bench *b, struct rss_report *rep)
{
	return bench_in_child(browse_measure, b, rep, sizeof(*rep)) == 0 && rep->ok ? 0 : -1;
}

/* The same filter and attributes the provider's contents table sends. */
static int setup(struct bench *b)
{
	char err[256] = "";
	size_t k = 0;

	snprintf(b->filter, sizeof(b->filter), "(&(|%s%s))",
	         abp_dir_default_person_filter(LDAPAB_SCHEMA_INETORGPERSON),
	         abp_dir_default_group_filter(LDAPAB_SCHEMA_INETORGPERSON));
	if (FAILED(abp_attrmap_new(LDAPAB_SCHEMA_INETORGPERSON, LB_UUID_ENTRYUUID, NULL, 0, &b->map,
	                           err, sizeof(err)))) {
		fprintf(stderr, "ldapab-bench-tables: attribute map: %s\n", err);
		return -1;
	}
	for (size_t i = 0; b->map->request[i] != NULL && k < 150; i++)
		b->attrs[k++] = (char *)b->map->request[i];
	b->attrs[k++] = (char *)"objectGUID";
	b->attrs[k++] = (char *)"nsUniqueId";
	b->attrs[k] = NULL;
	return 0;
}

int main(int argc, char **argv)
{
	struct bench b;
	struct rss_report rss;
	int rc;

	memset(&b, 0, sizeof(b));
	rc = bench_bulk_args(argc, argv, "ldapab-bench-tables", &b.quick, &b.uri, &b.base, &b.n);
	if (rc != 0)
		return rc;
	if (b.n < 4 * WINDOW || setup(&b) < 0) {
		fprintf(stderr, "ldapab-bench-tables: needs at least %d people\n", 4 * WINDOW);
		return 1;
	}
	printf("ldapab-bench-tables: %zu people under %s at %s\n", b.n, b.base, b.uri);
	/* 4 first, before this process holds anything. */
	if (browse_rss(&b, &rss) < 0) {
		fprintf(stderr, "ldapab-bench-tables: browse (memory) failed\n");
		b.failed = true;
	}
	bench_windows(&b);
	if (rss.ok) {
		printf("\n4. Browse of %d windows of %d rows over the whole list (child process)\n",
		       BROWSE_WINDOWS, WINDOW);
		printf("   before %ld KiB, VmHWM %ld KiB, VmRSS %ld KiB, %.1f ms\n", rss.base_kib,
		       rss.hwm_kib, rss.rss_kib, rss.ms);
		printf("BENCH name=tables_browse_rss n=%zu prov_hwm_kib=%ld prov_base_kib=%ld "
		       "prov_growth_kib=%ld prov_ms=%.1f\n", b.n, rss.hwm_kib, rss.base_kib,
		       rss.hwm_kib - rss.base_kib, rss.ms);
	}
	abp_attrmap_free(b.map);
	free(b.uri);
	free(b.base);
	return b.failed ? 1 : 0;
}
