/*
 * bench.c - ldapab-bench: ldapbridge against plain libldap on one slapd.
 *
 *   ldapab-bench --rundir DIR [--quick] [--runs N] [--rtt-ms MS] [--only 1,2,3,4,5]
 *
 * DIR is a run directory of tests/slapd/slapd-ctl (its slapd.env names the
 * server and the generated people under LDAPAB_TEST_BULK_BASE).  Every
 * figure is measured twice in the same process, through ldapbridge and
 * through raw libldap calls doing the same work (same filter, attributes,
 * controls; bench_raw.c), alternating the two sides so drift hits both:
 *
 *   1. one ANR lookup (filter from lb_anr_build(), built inside ldapbridge's
 *      timing; the raw side sends the same rendered text) - median and p95;
 *   2. 100 lookups sequential vs pipelined (lb_search_batch() vs 100
 *      ldap_search_ext() then the answers), on bare loopback and through a
 *      delaying relay (bench_proxy.c) adding --rtt-ms of round trip: half of
 *      it held in each direction;
 *   3. a 50-row VLV window at the middle of the sorted list (displayName,
 *      ordering rule 2.5.13.3): the first window of a fresh connection, and
 *      later windows reusing the server's context;
 *   4. a full paged read (page size 1000) of the bulk base;
 *   5. resident memory of a VLV browse (200 windows walking the list), in a
 *      child process forked before anything else so that nothing else
 *      the benchmark does shows in its high-water mark.
 *
 * Output: a readable report, plus one machine-readable line per figure
 *   BENCH name=<figure> n=<people> lb_ms=... raw_ms=... ratio=... [more]
 * and per target
 *   TARGET name=<target> n=<people> value=... limit=... result=PASS|MISS
 * (tests/bench/run-bench.sh collects them across directory sizes).  Every
 * loop is bounded, everything talks to 127.0.0.1 only; exit status 0 when
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

#include <ldapbridge/lb.h>
#include <ldapbridge/lb_filter.h>

#include "bench_proxy.h"
#include "bench_raw.h"
#include "bench_util.h"
#include "slapd_env.h"

#define OP_TIMEOUT_MS 30000       /* generous: a first sort of 100k takes ~0.3 s */
#define TIME_LIMIT_S 60           /* ldapbridge's default, used on both sides */
#define BATCH 100                 /* lookups per batch */
#define VLV_BEFORE 24             /* 24 + target + 25 = 50 rows */
#define VLV_AFTER 25
#define VLV_NEXT_WINDOWS 20       /* context-reusing windows per fresh connection */
#define BROWSE_WINDOWS 200        /* windows of the memory measurement */
#define BROWSE_ROWS 50
#define LOOKUP_RATIO_LIMIT 1.05
#define PIPELINE_SPEEDUP_MIN 5.0
#define MAX_SAMPLES 100000

static char *bench_attrs[] = {
	"displayName", "cn", "sn", "givenName", "mail", "uid", "telephoneNumber", NULL
};
static const char person_filter[] = "(objectClass=inetOrgPerson)";
static const char sort_keys_text[] = "displayName:2.5.13.3";

struct opts {
	const char *rundir;
	bool quick;
	int runs;          /* single ANR lookups per side */
	int batch_repeats; /* repetitions of each 100-lookup variant, loopback */
	int delay_repeats; /* the same through the delay relay */
	int vlv_runs;      /* fresh connections for the VLV measurement */
	int paged_runs;
	double rtt_ms;
	unsigned sections; /* bit k: section k+1 runs */
};

struct bench {
	struct opts o;
	char *uri;
	char *base;
	size_t n;          /* people under base */
	int port;
	lb_conn *lb;       /* loopback */
	LDAP *raw;
	bool failed;       /* a measurement could not be made */
	bool missed;       /* a target was missed */
};

/* ------------------------------------------------------------------------ */
/* Small helpers                                                            */

/* Nearest-rank percentile (0 < p <= 100) of n samples; sorts them. */
static double percentile(double *v, size_t n, double p)
{
	size_t rank;

	if (n == 0)
		return 0.0;
	qsort(v, n, sizeof(*v), bench_cmp_double);
	rank = (size_t)((p / 100.0) * (double)n + 0.999999);
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return v[rank - 1];
}

static void lb_fail(struct bench *b, const char *what, lb_err rc, const struct lb_error *err)
{
	fprintf(stderr, "ldapab-bench: %s: %s: %s\n", what, lb_err_name(rc),
		err && err->message[0] ? err->message : "(no message)");
	b->failed = true;
}

static void target(struct bench *b, const char *name, double value, const char *op,
		   double limit)
{
	bool pass = op[0] == '<' ? value <= limit : value >= limit;

	if (!pass)
		b->missed = true;
	printf("TARGET name=%s n=%zu value=%.3f limit=%s%.2f result=%s\n", name, b->n,
	       value, op, limit, pass ? "PASS" : "MISS");
}

/* The uid of the j-th looked-up person: spread over the list, distinct for
 * j < n (7919 is prime, n's factors are 2 and 5 in every run we make). */
static void lookup_name(const struct bench *b, size_t j, char *buf, size_t len)
{
	snprintf(buf, len, "bulk%06zu", 1 + (j * 7919u) % b->n);
}

/* ------------------------------------------------------------------------ */
/* Connections                                                              */

static lb_err lb_open_uri(const char *uri, const char *base, lb_conn **out,
			  struct lb_error *err)
{
	struct lb_config cfg;
	lb_conn *conn = NULL;
	lb_err rc;

	lb_config_init(&cfg);
	cfg.uris = uri;
	cfg.base = base;
	cfg.bind_method = LB_BIND_ANONYMOUS;
	cfg.op_timeout_ms = OP_TIMEOUT_MS;
	cfg.time_limit_s = TIME_LIMIT_S;
	cfg.page_size = 1000;
	rc = lb_conn_open(&cfg, &conn, err);
	if (rc != LB_OK)
		goto done;
	/* Connect, bind and probe the root DSE now, outside every timing. */
	rc = lb_conn_check(conn, err);
	if (rc != LB_OK)
		goto done;
	*out = conn;
	conn = NULL;
done:
	lb_conn_close(conn);
	return rc;
}

/* ------------------------------------------------------------------------ */
/* Lookups                                                                  */

/* The ANR filter ldapbridge builds for what the user typed (default
 * OpenLDAP configuration: prefix on displayName, cn, sn, givenName, mail,
 * uid and word prefix on displayName, cn). */
static lb_err anr_filter(const char *input, char **out, struct lb_error *err)
{
	lb_filter *f = NULL;
	lb_err rc;

	rc = lb_anr_build(NULL, input, &f, err);
	if (rc == LB_OK)
		rc = lb_filter_render(f, out, err);
	lb_filter_free(f);
	return rc;
}

static void lookup_params(const struct bench *b, struct lb_search_params *p,
			  const char *filter)
{
	lb_search_params_init(p);
	p->base = b->base;
	p->scope = LB_SCOPE_SUB;
	p->filter = filter;
	p->attrs = (const char *const *)bench_attrs;
	p->mode = LB_MODE_PLAIN;
}

/* One lookup through ldapbridge, filter building included (that is what the
 * provider pays).  *entries receives the number of entries. */
static int lb_lookup(struct bench *b, lb_conn *conn, const char *input, size_t *entries)
{
	struct lb_search_params p;
	struct lb_error err;
	lb_result *res = NULL;
	char *filter = NULL;
	lb_err rc;
	int ret = -1;

	rc = anr_filter(input, &filter, &err);
	if (rc == LB_OK) {
		lookup_params(b, &p, filter);
		rc = lb_search(conn, &p, &res, &err);
	}
	if (rc != LB_OK) {
		lb_fail(b, "lb_search", rc, &err);
		goto done;
	}
	*entries += lb_result_count(res);
	ret = 0;
done:
	lb_result_free(res);
	free(filter);
	return ret;
}

/* n lookups in one lb_search_batch(), filter building included. */
static int lb_lookup_batch(struct bench *b, lb_conn *conn, char **inputs, size_t n,
			   size_t *entries)
{
	struct lb_search_params params[BATCH];
	lb_result *results[BATCH] = { NULL };
	lb_err status[BATCH];
	char *filters[BATCH] = { NULL };
	struct lb_error err;
	lb_err rc = LB_OK;
	size_t i;
	int ret = -1;

	for (i = 0; i < n && rc == LB_OK; i++) {
		rc = anr_filter(inputs[i], &filters[i], &err);
		lookup_params(b, &params[i], filters[i]);
	}
	if (rc == LB_OK)
		rc = lb_search_batch(conn, params, n, results, status, &err);
	if (rc != LB_OK) {
		lb_fail(b, "lb_search_batch", rc, &err);
		goto done;
	}
	for (i = 0; i < n; i++) {
		if (status[i] != LB_OK || !results[i]) {
			fprintf(stderr, "ldapab-bench: batch search %zu: %s\n", i,
				lb_err_name(status[i]));
			b->failed = true;
			goto done;
		}
		*entries += lb_result_count(results[i]);
	}
	ret = 0;
done:
	for (i = 0; i < n; i++) {
		lb_result_free(results[i]);
		free(filters[i]);
	}
	return ret;
}

/* n raw lookups, either one after the other or all sent before any answer
 * is read.  The filter texts are ldapbridge's, rendered beforehand. */
static int raw_lookups(struct bench *b, LDAP *ld, char **filters, size_t n,
		       bool pipelined, size_t *entries)
{
	struct raw_tally t = { 0, 0, 0 };
	int msgids[BATCH];
	size_t i;

	for (i = 0; i < n; i++) {
		if (raw_send(ld, b->base, filters[i], bench_attrs, TIME_LIMIT_S, &msgids[i]) < 0)
			goto fail;
		if (!pipelined && raw_collect(ld, &msgids[i], 1, OP_TIMEOUT_MS, &t) < 0)
			goto fail;
	}
	if (pipelined && raw_collect(ld, msgids, n, OP_TIMEOUT_MS, &t) < 0)
		goto fail;
	*entries += t.entries;
	return 0;
fail:
	b->failed = true;
	return -1;
}

/* Names and rendered filters of the j-th lookups, j in [first, first + n). */
struct lookup_set {
	size_t n;
	char *names[BATCH];
	char *filters[BATCH];
};

static void lookup_set_free(struct lookup_set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->names[i]);
		free(s->filters[i]);
	}
	s->n = 0;
}

static int lookup_set_make(struct bench *b, size_t first, size_t n, struct lookup_set *s)
{
	struct lb_error err;
	lb_err rc;

	s->n = 0;
	for (; s->n < n; s->n++) {
		char name[32];

		lookup_name(b, first + s->n, name, sizeof(name));
		s->names[s->n] = strdup(name);
		s->filters[s->n] = NULL;
		if (!s->names[s->n]) {
			fprintf(stderr, "ldapab-bench: out of memory\n");
			goto fail;
		}
		rc = anr_filter(name, &s->filters[s->n], &err);
		if (rc != LB_OK) {
			s->n++;
			lb_fail(b, "lb_anr_build", rc, &err);
			goto fail;
		}
	}
	return 0;
fail:
	lookup_set_free(s);
	b->failed = true;
	return -1;
}

static void bench_anr_single(struct bench *b)
{
	double *lbt = NULL, *rawt = NULL;
	size_t lb_entries = 0, raw_entries = 0;
	double lbm, rawm, lb95, raw95, build_ms, t0;
	struct lookup_set one = { 0 };
	int i, runs = b->o.runs;

	lbt = calloc((size_t)runs, sizeof(*lbt));
	rawt = calloc((size_t)runs, sizeof(*rawt));
	if (!lbt || !rawt) {
		b->failed = true;
		goto done;
	}
	/* Filter building alone, for the record (it is inside lb's timing). */
	t0 = bench_now_ms();
	for (i = 0; i < runs; i++) {
		if (lookup_set_make(b, (size_t)i, 1, &one) < 0)
			goto done;
		lookup_set_free(&one);
	}
	build_ms = (bench_now_ms() - t0) / runs;

	printf("\n1. Single ANR lookup (input \"bulkNNNNNN\", one match), %d runs per side\n",
	       runs);
	if (lookup_set_make(b, 0, 1, &one) < 0)
		goto done;
	printf("   filter (%zu bytes): %s\n", strlen(one.filters[0]), one.filters[0]);
	lookup_set_free(&one);
	for (i = 0; i < runs; i++) {
		bool lb_first = i % 2 == 0;
		int side;

		if (lookup_set_make(b, (size_t)i, 1, &one) < 0)
			goto done;
		for (side = 0; side < 2; side++) {
			double s = bench_now_ms();

			if ((side == 0) == lb_first) {
				if (lb_lookup(b, b->lb, one.names[0], &lb_entries) < 0)
					goto done;
				lbt[i] = bench_now_ms() - s;
			} else {
				if (raw_lookups(b, b->raw, one.filters, 1, false, &raw_entries) < 0)
					goto done;
				rawt[i] = bench_now_ms() - s;
			}
		}
		lookup_set_free(&one);
	}
	if (lb_entries != raw_entries || lb_entries != (size_t)runs) {
		fprintf(stderr, "ldapab-bench: ANR lookups found %zu entries (lb) and %zu "
			"(raw), expected %d\n", lb_entries, raw_entries, runs);
		b->failed = true;
	}
	lb95 = percentile(lbt, (size_t)runs, 95);
	raw95 = percentile(rawt, (size_t)runs, 95);
	lbm = bench_median(lbt, (size_t)runs);
	rawm = bench_median(rawt, (size_t)runs);
	printf("   %-24s %10s %10s\n", "", "median", "p95");
	printf("   %-24s %7.3f ms %7.3f ms\n", "ldapbridge", lbm, lb95);
	printf("   %-24s %7.3f ms %7.3f ms\n", "raw libldap", rawm, raw95);
	printf("   %-24s %10.3f %10.3f\n", "ratio lb/raw", lbm / rawm, lb95 / raw95);
	printf("   (ANR filter build + render alone: %.4f ms, inside lb's figure; without it "
	       "the median ratio would be %.3f)\n", build_ms, (lbm - build_ms) / rawm);
	printf("BENCH name=anr_single n=%zu lb_ms=%.4f raw_ms=%.4f ratio=%.3f "
	       "lb_p95_ms=%.4f raw_p95_ms=%.4f build_ms=%.4f ratio_nobuild=%.3f runs=%d\n",
	       b->n, lbm, rawm, lbm / rawm, lb95, raw95, build_ms, (lbm - build_ms) / rawm, runs);
	target(b, "lookup_ratio_anr_single", lbm / rawm, "<=", LOOKUP_RATIO_LIMIT);
done:
	lookup_set_free(&one);
	free(lbt);
	free(rawt);
}

/* 100 lookups four ways on one pair of connections; tag names the link. */
#define MAX_REPS 64

static void bench_batch(struct bench *b, lb_conn *lbc, LDAP *ld, const char *tag,
			bool delayed, double *raw_seq_ms)
{
	double lbseq[MAX_REPS], lbpipe[MAX_REPS], rawseq[MAX_REPS], rawpipe[MAX_REPS];
	size_t entries[4] = { 0, 0, 0, 0 };
	struct lookup_set set = { 0 };
	double m[4], lo[4];
	int r, reps = delayed ? b->o.delay_repeats : b->o.batch_repeats;

	if (reps > MAX_REPS)
		reps = MAX_REPS;
	for (r = 0; r < reps; r++) {
		int k;

		/* Different names every repetition (no warm cache advantage). */
		if (lookup_set_make(b, (size_t)(1000 + r * BATCH), BATCH, &set) < 0)
			goto done;
		for (k = 0; k < 4; k++) {
			/* Rotate the order of the four variants between repetitions. */
			int v = (k + r) % 4;
			double s = bench_now_ms();
			size_t i;

			switch (v) {
			case 0:
				for (i = 0; i < BATCH; i++)
					if (lb_lookup(b, lbc, set.names[i], &entries[0]) < 0)
						goto done;
				lbseq[r] = bench_now_ms() - s;
				break;
			case 1:
				if (lb_lookup_batch(b, lbc, set.names, BATCH, &entries[1]) < 0)
					goto done;
				lbpipe[r] = bench_now_ms() - s;
				break;
			case 2:
				if (raw_lookups(b, ld, set.filters, BATCH, false, &entries[2]) < 0)
					goto done;
				rawseq[r] = bench_now_ms() - s;
				break;
			default:
				if (raw_lookups(b, ld, set.filters, BATCH, true, &entries[3]) < 0)
					goto done;
				rawpipe[r] = bench_now_ms() - s;
				break;
			}
		}
		lookup_set_free(&set);
	}
	if (entries[0] != (size_t)reps * BATCH || entries[1] != entries[0] ||
	    entries[2] != entries[0] || entries[3] != entries[0]) {
		fprintf(stderr, "ldapab-bench: batch lookups found %zu/%zu/%zu/%zu entries, "
			"expected %d each\n", entries[0], entries[1], entries[2], entries[3],
			reps * BATCH);
		b->failed = true;
	}
	m[0] = bench_median(lbseq, (size_t)reps);   /* bench_median() sorts: [0] is the minimum */
	m[1] = bench_median(lbpipe, (size_t)reps);
	m[2] = bench_median(rawseq, (size_t)reps);
	m[3] = bench_median(rawpipe, (size_t)reps);
	lo[0] = lbseq[0];
	lo[1] = lbpipe[0];
	lo[2] = rawseq[0];
	lo[3] = rawpipe[0];
	printf("   %-26s %12s %12s %8s\n", tag, "ldapbridge", "raw libldap", "lb/raw");
	printf("   %-26s %9.2f ms %9.2f ms %8.3f\n", "100 sequential", m[0], m[2], m[0] / m[2]);
	printf("   %-26s %9.2f ms %9.2f ms %8.3f\n", "100 pipelined", m[1], m[3], m[1] / m[3]);
	printf("   %-26s %11.2fx %11.2fx\n", "speed-up seq/pipelined", m[0] / m[1], m[2] / m[3]);
	printf("   %-26s %9.2f ms %9.2f ms %8.3f\n", "(fastest) 100 sequential", lo[0], lo[2],
	       lo[0] / lo[2]);
	printf("   %-26s %9.2f ms %9.2f ms %8.3f\n", "(fastest) 100 pipelined", lo[1], lo[3],
	       lo[1] / lo[3]);
	printf("BENCH name=lookups100_seq_%s n=%zu lb_ms=%.3f raw_ms=%.3f ratio=%.3f "
	       "lb_min_ms=%.3f raw_min_ms=%.3f min_ratio=%.3f reps=%d\n", tag, b->n, m[0], m[2],
	       m[0] / m[2], lo[0], lo[2], lo[0] / lo[2], reps);
	printf("BENCH name=lookups100_pipelined_%s n=%zu lb_ms=%.3f raw_ms=%.3f ratio=%.3f "
	       "lb_min_ms=%.3f raw_min_ms=%.3f min_ratio=%.3f reps=%d\n", tag, b->n, m[1], m[3],
	       m[1] / m[3], lo[1], lo[3], lo[1] / lo[3], reps);
	printf("BENCH name=speedup_%s n=%zu lb=%.2f raw=%.2f\n", tag, b->n, m[0] / m[1],
	       m[2] / m[3]);
	if (delayed) {
		target(b, "pipelined_speedup_rtt", m[0] / m[1], ">=", PIPELINE_SPEEDUP_MIN);
	} else {
		target(b, "lookup_ratio_100_seq", m[0] / m[2], "<=", LOOKUP_RATIO_LIMIT);
		target(b, "lookup_ratio_100_pipelined", m[1] / m[3], "<=", LOOKUP_RATIO_LIMIT);
	}
	*raw_seq_ms = m[2];
done:
	lookup_set_free(&set);
}

static void bench_batches(struct bench *b)
{
	struct bench_proxy *proxy = NULL;
	lb_conn *lbd = NULL;
	LDAP *rawd = NULL;
	struct lb_error err;
	char uri[64];
	double loop_seq = 0.0, rtt_seq = 0.0;
	int pport = 0;
	lb_err rc;

	printf("\n2. %d lookups, sequential vs pipelined (median of %d on loopback, of %d "
	       "through the relay)\n", BATCH, b->o.batch_repeats, b->o.delay_repeats);
	bench_batch(b, b->lb, b->raw, "loopback", false, &loop_seq);

	if (bench_proxy_start(b->port, (int64_t)(b->o.rtt_ms * 1000.0 / 2.0), &proxy,
			      &pport) < 0) {
		b->failed = true;
		goto done;
	}
	snprintf(uri, sizeof(uri), "ldap://127.0.0.1:%d", pport);
	rc = lb_open_uri(uri, b->base, &lbd, &err);
	if (rc != LB_OK) {
		lb_fail(b, "connect through the delay relay", rc, &err);
		goto done;
	}
	if (raw_open(uri, OP_TIMEOUT_MS, &rawd) < 0) {
		b->failed = true;
		goto done;
	}
	printf("   through the relay: %.1f ms round trip added (%.2f ms held each way)\n",
	       b->o.rtt_ms, b->o.rtt_ms / 2.0);
	{
		char tag[32];

		snprintf(tag, sizeof(tag), "rtt%gms", b->o.rtt_ms);
		bench_batch(b, lbd, rawd, tag, true, &rtt_seq);
	}
	/* Check the relay really adds what it claims: the extra time of one
	 * sequential raw lookup over loopback is the added round trip. */
	printf("   measured: %.2f ms added per sequential round trip (raw side)\n",
	       (rtt_seq - loop_seq) / BATCH);
	printf("BENCH name=added_rtt n=%zu raw_ms=%.3f configured_ms=%.3f\n", b->n,
	       (rtt_seq - loop_seq) / BATCH, b->o.rtt_ms);
done:
	if (rawd)
		ldap_unbind_ext_s(rawd, NULL, NULL);
	lb_conn_close(lbd);
	bench_proxy_stop(proxy);
}

/* ------------------------------------------------------------------------ */
/* VLV                                                                      */

static void vlv_params(const struct bench *b, struct lb_vlv_params *vp,
		       const struct lb_sort_key *key)
{
	lb_vlv_params_init(vp);
	vp->base = b->base;
	vp->scope = LB_SCOPE_SUB;
	vp->filter = person_filter;
	vp->attrs = (const char *const *)bench_attrs;
	vp->sort = key;
	vp->n_sort = 1;
}

/* One window; checks the server put it where asked.  *emulated set when
 * ldapbridge fell back to a client-side copy. */
static int lb_window(struct bench *b, lb_vlv *vlv, size_t before, size_t after,
		     size_t offset, size_t rows, bool *emulated)
{
	struct lb_vlv_target tg = { false, offset, 0, NULL };
	struct lb_vlv_pos pos;
	struct lb_error err;
	lb_result *res = NULL;
	lb_err rc;
	int ret = -1;

	rc = lb_vlv_window(vlv, before, after, &tg, &res, &pos, &err);
	if (rc != LB_OK) {
		lb_fail(b, "lb_vlv_window", rc, &err);
		goto done;
	}
	if (pos.target_pos != offset || pos.content_count != b->n ||
	    lb_result_count(res) != rows) {
		fprintf(stderr, "ldapab-bench: lb VLV window at %zu: target %zu, count %zu, "
			"%zu rows (expected %zu, %zu, %zu)\n", offset, pos.target_pos,
			pos.content_count, lb_result_count(res), offset, b->n, rows);
		b->failed = true;
		goto done;
	}
	if (pos.emulated)
		*emulated = true;
	ret = 0;
done:
	lb_result_free(res);
	return ret;
}

static int raw_window(struct bench *b, struct raw_vlv *v, int before, int after,
		      size_t offset, size_t rows)
{
	struct raw_tally t = { 0, 0, 0 };
	int pos = 0, count = 0;

	if (raw_vlv_window(v, before, after, (int)offset, &t, &pos, &count) < 0) {
		b->failed = true;
		return -1;
	}
	if ((size_t)pos != offset || (size_t)count != b->n || t.entries != rows) {
		fprintf(stderr, "ldapab-bench: raw VLV window at %zu: target %d, count %d, "
			"%zu rows\n", offset, pos, count, t.entries);
		b->failed = true;
		return -1;
	}
	return 0;
}

/* Offset of the j-th "next" window: around the middle, each one elsewhere. */
static size_t next_offset(const struct bench *b, int j)
{
	size_t mid = b->n / 2;
	long shift = (long)((j % 10) - 5) * 50 + (j / 10) * 7;

	return (size_t)((long)mid + shift);
}

static void bench_vlv(struct bench *b)
{
	struct lb_sort_key key = { "displayName", "2.5.13.3", false };
	double lbfirst[16], rawfirst[16];
	double lbnext[16 * VLV_NEXT_WINDOWS], rawnext[16 * VLV_NEXT_WINDOWS];
	size_t nnext = 0, mid = b->n / 2;
	bool emulated = false;
	int raw_busy = 0;
	int r, runs = b->o.vlv_runs;

	if (runs > 16)
		runs = 16;
	printf("\n3. VLV window of 50 rows at the middle (offset %zu of %zu), sort %s\n",
	       mid, b->n, sort_keys_text);
	for (r = 0; r < runs; r++) {
		struct lb_vlv_params vp;
		struct lb_error err;
		lb_conn *lbc = NULL;
		lb_vlv *vlv = NULL;
		LDAP *ld = NULL;
		struct raw_vlv *rv = NULL;
		lb_err rc;
		double s;
		int j;
		bool ok = false;

		/* A fresh connection each run: the server sorts anew for it and
		 * drops its sorted lists when the connection goes. */
		rc = lb_open_uri(b->uri, b->base, &lbc, &err);
		if (rc != LB_OK) {
			lb_fail(b, "lb connect", rc, &err);
			goto next;
		}
		vlv_params(b, &vp, &key);
		rc = lb_vlv_open(lbc, &vp, &vlv, &err);
		if (rc != LB_OK) {
			lb_fail(b, "lb_vlv_open", rc, &err);
			goto next;
		}
		if (raw_open(b->uri, OP_TIMEOUT_MS, &ld) < 0 ||
		    raw_vlv_open(ld, b->base, person_filter, bench_attrs, sort_keys_text,
				 OP_TIMEOUT_MS, &rv) < 0) {
			b->failed = true;
			goto next;
		}
		if (r % 2 == 0) {
			s = bench_now_ms();
			if (lb_window(b, vlv, VLV_BEFORE, VLV_AFTER, mid, 50, &emulated) < 0)
				goto next;
			lbfirst[r] = bench_now_ms() - s;
			s = bench_now_ms();
			if (raw_window(b, rv, VLV_BEFORE, VLV_AFTER, mid, 50) < 0)
				goto next;
			rawfirst[r] = bench_now_ms() - s;
		} else {
			s = bench_now_ms();
			if (raw_window(b, rv, VLV_BEFORE, VLV_AFTER, mid, 50) < 0)
				goto next;
			rawfirst[r] = bench_now_ms() - s;
			s = bench_now_ms();
			if (lb_window(b, vlv, VLV_BEFORE, VLV_AFTER, mid, 50, &emulated) < 0)
				goto next;
			lbfirst[r] = bench_now_ms() - s;
		}
		for (j = 0; j < VLV_NEXT_WINDOWS; j++) {
			size_t off = next_offset(b, j);

			s = bench_now_ms();
			if (lb_window(b, vlv, VLV_BEFORE, VLV_AFTER, off, 50, &emulated) < 0)
				goto next;
			lbnext[nnext] = bench_now_ms() - s;
			s = bench_now_ms();
			if (raw_window(b, rv, VLV_BEFORE, VLV_AFTER, off, 50) < 0)
				goto next;
			rawnext[nnext] = bench_now_ms() - s;
			nnext++;
		}
		ok = true;
next:
		raw_busy += raw_vlv_busy_retries(rv);
		raw_vlv_close(rv);
		if (ld)
			ldap_unbind_ext_s(ld, NULL, NULL);
		lb_vlv_close(vlv);
		lb_conn_close(lbc);
		if (!ok) {
			b->failed = true;
			return;
		}
	}
	{
		double lf = bench_median(lbfirst, (size_t)runs), rf = bench_median(rawfirst, (size_t)runs);
		double ln = bench_median(lbnext, nnext), rn = bench_median(rawnext, nnext);
		double ln95 = percentile(lbnext, nnext, 95), rn95 = percentile(rawnext, nnext, 95);

		printf("   %-34s %12s %12s %8s\n", "", "ldapbridge", "raw libldap", "lb/raw");
		printf("   %-34s %9.3f ms %9.3f ms %8.3f\n", "first window (new context), median",
		       lf, rf, lf / rf);
		printf("   %-34s %9.3f ms %9.3f ms %8.3f\n", "next windows (context reused), med",
		       ln, rn, ln / rn);
		printf("   %-34s %9.3f ms %9.3f ms %8.3f\n", "next windows, p95", ln95, rn95,
		       ln95 / rn95);
		if (emulated)
			printf("   NOTE: ldapbridge served windows from its fallback copy "
			       "(pos.emulated)\n");
		if (raw_busy)
			printf("   raw side retried %d transient busy answers (same context)\n",
			       raw_busy);
		printf("BENCH name=vlv_first n=%zu lb_ms=%.3f raw_ms=%.3f ratio=%.3f runs=%d "
		       "emulated=%d\n", b->n, lf, rf, lf / rf, runs, emulated ? 1 : 0);
		printf("BENCH name=vlv_next n=%zu lb_ms=%.3f raw_ms=%.3f ratio=%.3f "
		       "lb_p95_ms=%.3f raw_p95_ms=%.3f windows=%zu raw_busy=%d\n", b->n, ln, rn,
		       ln / rn, ln95, rn95, nnext, raw_busy);
	}
}

/* ------------------------------------------------------------------------ */
/* Paged read                                                               */

static void bench_paged(struct bench *b)
{
	double lbt[16], rawt[16];
	int r, runs = b->o.paged_runs;

	if (runs > 16)
		runs = 16;
	printf("\n4. Full paged read of %s (%zu people, page size 1000), median of %d\n",
	       b->base, b->n, runs);
	for (r = 0; r < runs; r++) {
		int side;

		for (side = 0; side < 2; side++) {
			double s = bench_now_ms();

			if ((side == 0) == (r % 2 == 0)) {
				struct lb_search_params p;
				struct lb_error err;
				lb_result *res = NULL;
				lb_err rc;
				size_t got;

				lb_search_params_init(&p);
				p.base = b->base;
				p.filter = person_filter;
				p.attrs = (const char *const *)bench_attrs;
				p.mode = LB_MODE_PAGED;
				p.size_limit = 0;
				rc = lb_search(b->lb, &p, &res, &err);
				got = lb_result_count(res);
				lb_result_free(res);
				lbt[r] = bench_now_ms() - s;
				if (rc != LB_OK) {
					lb_fail(b, "lb_search (paged)", rc, &err);
					return;
				}
				if (got != b->n) {
					fprintf(stderr, "ldapab-bench: lb paged read got %zu of %zu\n",
						got, b->n);
					b->failed = true;
					return;
				}
			} else {
				struct raw_tally t = { 0, 0, 0 };

				if (raw_paged_read(b->raw, b->base, person_filter, bench_attrs,
						   1000, TIME_LIMIT_S, OP_TIMEOUT_MS, &t) < 0) {
					b->failed = true;
					return;
				}
				rawt[r] = bench_now_ms() - s;
				if (t.entries != b->n) {
					fprintf(stderr, "ldapab-bench: raw paged read got %zu of %zu\n",
						t.entries, b->n);
					b->failed = true;
					return;
				}
			}
		}
	}
	printf("   each run, ms (lb | raw):");
	for (r = 0; r < runs; r++)
		printf(" %.1f", lbt[r]);
	printf(" |");
	for (r = 0; r < runs; r++)
		printf(" %.1f", rawt[r]);
	printf("\n");
	{
		double l = bench_median(lbt, (size_t)runs), w = bench_median(rawt, (size_t)runs);

		printf("   %-24s %9.1f ms  (%.1f us per entry)\n", "ldapbridge", l,
		       l * 1000.0 / (double)b->n);
		printf("   %-24s %9.1f ms  (%.1f us per entry)\n", "raw libldap", w,
		       w * 1000.0 / (double)b->n);
		printf("   %-24s %12.3f\n", "ratio lb/raw", l / w);
		printf("BENCH name=paged_read n=%zu lb_ms=%.2f raw_ms=%.2f ratio=%.3f runs=%d\n",
		       b->n, l, w, l / w, runs);
	}
}

/* ------------------------------------------------------------------------ */
/* Memory of a VLV browse (in a child)                                      */

struct rss_report {
	int ok;
	int emulated;
	long base_kib;   /* VmRSS connected, before the first window */
	long hwm_kib;    /* VmHWM after the browse */
	long rss_kib;    /* VmRSS after the browse */
	double ms;       /* whole browse */
	double max_ms;   /* slowest window */
	int busy;        /* raw: transient busy answers retried */
};

/* Offset of browse window i: from the top of the list to its end. */
static size_t browse_offset(const struct bench *b, int i)
{
	size_t span = b->n > BROWSE_ROWS ? b->n - BROWSE_ROWS : 0;

	return 1 + (size_t)((double)i * (double)span / (double)(BROWSE_WINDOWS - 1));
}

static void browse_child(struct bench *b, bool use_lb, struct rss_report *rep)
{
	struct lb_sort_key key = { "displayName", "2.5.13.3", false };
	struct lb_vlv_params vp;
	struct lb_error err;
	lb_conn *lbc = NULL;
	lb_vlv *vlv = NULL;
	LDAP *ld = NULL;
	struct raw_vlv *rv = NULL;
	bool emulated = false;
	double s;
	long hwm0;
	lb_err rc;
	int i;

	if (use_lb) {
		rc = lb_open_uri(b->uri, b->base, &lbc, &err);
		if (rc != LB_OK) {
			lb_fail(b, "lb connect", rc, &err);
			goto done;
		}
		vlv_params(b, &vp, &key);
		rc = lb_vlv_open(lbc, &vp, &vlv, &err);
		if (rc != LB_OK) {
			lb_fail(b, "lb_vlv_open", rc, &err);
			goto done;
		}
	} else if (raw_open(b->uri, OP_TIMEOUT_MS, &ld) < 0 ||
		   raw_vlv_open(ld, b->base, person_filter, bench_attrs, sort_keys_text,
				OP_TIMEOUT_MS, &rv) < 0) {
		goto done;
	}
	bench_read_mem(&hwm0, &rep->base_kib);
	s = bench_now_ms();
	for (i = 0; i < BROWSE_WINDOWS; i++) {
		size_t off = browse_offset(b, i);
		double w = bench_now_ms();

		if (use_lb ? lb_window(b, vlv, 0, BROWSE_ROWS - 1, off, BROWSE_ROWS, &emulated) < 0
			   : raw_window(b, rv, 0, BROWSE_ROWS - 1, off, BROWSE_ROWS) < 0)
			goto done;
		w = bench_now_ms() - w;
		if (i > 0 && w > rep->max_ms)
			rep->max_ms = w;  /* window 0 sorts; the rest should not */
	}
	rep->ms = bench_now_ms() - s;
	rep->busy = raw_vlv_busy_retries(rv);
	bench_read_mem(&rep->hwm_kib, &rep->rss_kib);
	rep->emulated = emulated;
	rep->ok = 1;
done:
	raw_vlv_close(rv);
	if (ld)
		ldap_unbind_ext_s(ld, NULL, NULL);
	lb_vlv_close(vlv);
	lb_conn_close(lbc);
}

/* The browse in a child process (bench_in_child), its report back here. */
struct browse_arg {
	struct bench *b;
	bool use_lb;
};

static bool browse_measure(void *arg, void *rep)
{
	struct browse_arg *a = arg;

	browse_child(a->b, a->use_lb, rep);
	return ((struct rss_report *)rep)->ok != 0;
}

static int browse_rss(struct bench *b, bool use_lb, struct rss_report *rep)
{
	struct browse_arg a = { b, use_lb };

	return bench_in_child(browse_measure, &a, rep, sizeof(*rep)) == 0 && rep->ok ? 0 : -1;
}

/* Runs first of all (before this process touches libldap) and prints later. */
static void bench_rss(struct bench *b, struct rss_report *lbr, struct rss_report *rawr)
{
	if (browse_rss(b, true, lbr) < 0 || browse_rss(b, false, rawr) < 0) {
		fprintf(stderr, "ldapab-bench: VLV browse (memory) failed\n");
		b->failed = true;
	}
}

static void print_rss(struct bench *b, const struct rss_report *lbr,
		      const struct rss_report *rawr)
{
	printf("\n5. Resident memory of a VLV browse: %d windows of %d rows walking the "
	       "whole list (child process)\n", BROWSE_WINDOWS, BROWSE_ROWS);
	if (!lbr->ok || !rawr->ok) {
		printf("   not measured (see errors above)\n");
		return;
	}
	printf("   %-24s %12s %12s %12s %10s %14s\n", "", "before KiB", "VmHWM KiB",
	       "VmRSS KiB", "browse ms", "slowest next");
	printf("   %-24s %12ld %12ld %12ld %10.1f %11.1f ms%s\n", "ldapbridge", lbr->base_kib,
	       lbr->hwm_kib, lbr->rss_kib, lbr->ms, lbr->max_ms,
	       lbr->emulated ? "  (emulated!)" : "");
	printf("   %-24s %12ld %12ld %12ld %10.1f %11.1f ms\n", "raw libldap", rawr->base_kib,
	       rawr->hwm_kib, rawr->rss_kib, rawr->ms, rawr->max_ms);
	if (rawr->busy)
		printf("   raw side: %d transient \"Other sort requests already in progress\" "
		       "answers to requests carrying the context, retried with it\n", rawr->busy);
	printf("   (independence of N: compare these across directory sizes; "
	       "run-bench.sh does)\n");
	printf("BENCH name=vlv_browse_rss n=%zu lb_hwm_kib=%ld lb_base_kib=%ld "
	       "lb_growth_kib=%ld raw_hwm_kib=%ld raw_base_kib=%ld raw_growth_kib=%ld "
	       "lb_ms=%.1f raw_ms=%.1f lb_max_ms=%.2f raw_max_ms=%.2f raw_busy=%d emulated=%d\n",
	       b->n, lbr->hwm_kib, lbr->base_kib, lbr->hwm_kib - lbr->base_kib, rawr->hwm_kib,
	       rawr->base_kib, rawr->hwm_kib - rawr->base_kib, lbr->ms, rawr->ms, lbr->max_ms,
	       rawr->max_ms, rawr->busy, lbr->emulated);
}

/* ------------------------------------------------------------------------ */

static void usage(void)
{
	fprintf(stderr,
		"usage: ldapab-bench --rundir DIR [--quick] [--runs N] [--rtt-ms MS] [--only LIST]\n"
		"  DIR       run directory of tests/slapd/slapd-ctl start (has slapd.env)\n"
		"  --quick   fewer repetitions (about a third of the time)\n"
		"  --runs N  single ANR lookups per side (default 500)\n"
		"  --rtt-ms  round trip the delay relay adds (default 5; half each way)\n"
		"  --only    sections to run, e.g. 1,3 (default 1,2,3,4,5)\n");
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	int i;

	memset(o, 0, sizeof(*o));
	o->runs = 500;
	o->batch_repeats = 21;
	o->delay_repeats = 5;
	o->vlv_runs = 5;
	o->paged_runs = 5;
	o->rtt_ms = 5.0;
	o->sections = 0x1f;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		char *end;

		if (strcmp(a, "--rundir") == 0 && i + 1 < argc) {
			o->rundir = argv[++i];
		} else if (strcmp(a, "--quick") == 0) {
			o->quick = true;
		} else if (strcmp(a, "--runs") == 0 && i + 1 < argc) {
			long v = strtol(argv[++i], &end, 10);

			if (*end || v < 1 || v > MAX_SAMPLES)
				return -1;
			o->runs = (int)v;
		} else if (strcmp(a, "--only") == 0 && i + 1 < argc) {
			const char *c = argv[++i];

			o->sections = 0;
			for (; *c; c++) {
				if (*c >= '1' && *c <= '5')
					o->sections |= 1u << (*c - '1');
				else if (*c != ',')
					return -1;
			}
			if (!o->sections)
				return -1;
		} else if (strcmp(a, "--rtt-ms") == 0 && i + 1 < argc) {
			double v = strtod(argv[++i], &end);

			if (*end || v < 0 || v > 1000)
				return -1;
			o->rtt_ms = v;
		} else {
			return -1;
		}
	}
	if (!o->rundir)
		return -1;
	if (o->quick) {
		if (o->runs == 500)
			o->runs = 100;
		o->batch_repeats = 7;
		o->delay_repeats = 3;
		o->vlv_runs = 3;
		o->paged_runs = 2;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct bench b;
	struct rss_report lbr, rawr;
	struct lb_error err;
	char *count = NULL, *port = NULL;
	lb_err rc;
	int ret = 1;

	memset(&b, 0, sizeof(b));
	memset(&lbr, 0, sizeof(lbr));
	memset(&rawr, 0, sizeof(rawr));
	if (parse_opts(argc, argv, &b.o) < 0) {
		usage();
		return 2;
	}
	b.uri = slapd_env_file(b.o.rundir, "LDAPAB_TEST_URI");
	b.base = slapd_env_file(b.o.rundir, "LDAPAB_TEST_BULK_BASE");
	count = slapd_env_file(b.o.rundir, "LDAPAB_TEST_BULK_COUNT");
	port = slapd_env_file(b.o.rundir, "LDAPAB_TEST_PORT");
	if (!b.uri || !b.base || !count || !port) {
		fprintf(stderr, "ldapab-bench: %s/slapd.env lacks the keys of a running "
			"slapd-ctl instance\n", b.o.rundir);
		goto done;
	}
	b.n = (size_t)strtoul(count, NULL, 10);
	b.port = atoi(port);
	if (b.n < 2 * BATCH || b.port <= 0) {
		fprintf(stderr, "ldapab-bench: need at least %d people (have %zu)\n",
			2 * BATCH, b.n);
		goto done;
	}

	printf("ldapab-bench: %zu people under %s on %s%s\n", b.n, b.base, b.uri,
	       b.o.quick ? " (quick)" : "");
	if (b.o.sections & 0x10)
		bench_rss(&b, &lbr, &rawr);

	rc = lb_open_uri(b.uri, b.base, &b.lb, &err);
	if (rc != LB_OK) {
		lb_fail(&b, "lb connect", rc, &err);
		goto done;
	}
	if (raw_open(b.uri, OP_TIMEOUT_MS, &b.raw) < 0)
		goto done;

	if (b.o.sections & 0x1)
		bench_anr_single(&b);
	if (b.o.sections & 0x2)
		bench_batches(&b);
	if (b.o.sections & 0x4)
		bench_vlv(&b);
	if (b.o.sections & 0x8)
		bench_paged(&b);
	if (b.o.sections & 0x10)
		print_rss(&b, &lbr, &rawr);

	printf("\nldapab-bench: %s%s\n", b.failed ? "SOME MEASUREMENTS FAILED" : "done",
	       b.missed ? " (some targets MISSED)" : "");
	ret = b.failed ? 1 : 0;
done:
	if (b.raw)
		ldap_unbind_ext_s(b.raw, NULL, NULL);
	lb_conn_close(b.lb);
	free(b.uri);
	free(b.base);
	free(count);
	free(port);
	return ret;
}
