/*
 * bench_raw.c - the plain-libldap side of the benchmark (see bench_raw.h).
 *
 * Values are decoded with ldap_get_attribute_ber(), which hands out the
 * values in place without copying them: the strictest baseline a direct
 * libldap caller could reach.  ldapbridge has to copy them into its own
 * result, which is part of the overhead being measured.
 */
#include "bench_raw.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Busy answers retried per VLV window, 1 ms apart. */
#define RAW_VLV_BUSY_RETRIES 20

static void set_tv(struct timeval *tv, int ms)
{
	tv->tv_sec = ms / 1000;
	tv->tv_usec = (ms % 1000) * 1000;
}

int raw_open(const char *uri, int op_timeout_ms, LDAP **out)
{
	LDAP *ld = NULL;
	int version = LDAP_VERSION3;
	struct timeval tv;
	struct berval cred = { 0, NULL };
	int rc, ret = -1;

	rc = ldap_initialize(&ld, uri);
	if (rc != LDAP_SUCCESS) {
		fprintf(stderr, "raw: ldap_initialize(%s): %s\n", uri, ldap_err2string(rc));
		goto done;
	}
	set_tv(&tv, op_timeout_ms);
	if (ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &version) != LDAP_OPT_SUCCESS ||
	    ldap_set_option(ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF) != LDAP_OPT_SUCCESS ||
	    ldap_set_option(ld, LDAP_OPT_NETWORK_TIMEOUT, &tv) != LDAP_OPT_SUCCESS) {
		fprintf(stderr, "raw: cannot set options on %s\n", uri);
		goto done;
	}
	/* Anonymous bind: connects now, so no timed operation pays for it. */
	rc = ldap_sasl_bind_s(ld, "", LDAP_SASL_SIMPLE, &cred, NULL, NULL, NULL);
	if (rc != LDAP_SUCCESS) {
		fprintf(stderr, "raw: anonymous bind to %s: %s\n", uri, ldap_err2string(rc));
		goto done;
	}
	*out = ld;
	ld = NULL;
	ret = 0;
done:
	if (ld)
		ldap_unbind_ext_s(ld, NULL, NULL);
	return ret;
}

static int search_ext(LDAP *ld, const char *base, const char *filter, char **attrs,
		      LDAPControl **sctrls, int time_limit_s, int *msgid)
{
	struct timeval tl = { time_limit_s, 0 };
	int rc;

	rc = ldap_search_ext(ld, base, LDAP_SCOPE_SUBTREE, filter, attrs, 0, sctrls,
			     NULL, time_limit_s > 0 ? &tl : NULL, 0, msgid);
	if (rc != LDAP_SUCCESS) {
		fprintf(stderr, "raw: ldap_search_ext: %s\n", ldap_err2string(rc));
		return -1;
	}
	return 0;
}

int raw_send(LDAP *ld, const char *base, const char *filter, char **attrs,
	     int time_limit_s, int *msgid)
{
	return search_ext(ld, base, filter, attrs, NULL, time_limit_s, msgid);
}

/* Decode one entry completely. */
static int tally_entry(LDAP *ld, LDAPMessage *e, struct raw_tally *t)
{
	BerElement *ber = NULL;
	struct berval dn, attr, *vals = NULL;
	int rc;

	rc = ldap_get_dn_ber(ld, e, &ber, &dn);
	if (rc != LDAP_SUCCESS) {
		ber_free(ber, 0);
		fprintf(stderr, "raw: cannot decode an entry: %s\n", ldap_err2string(rc));
		return -1;
	}
	t->bytes += dn.bv_len;
	for (rc = ldap_get_attribute_ber(ld, e, ber, &attr, &vals);
	     rc == LDAP_SUCCESS && attr.bv_val != NULL;
	     rc = ldap_get_attribute_ber(ld, e, ber, &attr, &vals)) {
		size_t i;

		for (i = 0; vals && vals[i].bv_val; i++) {
			t->values++;
			t->bytes += vals[i].bv_len;
		}
		ber_memfree(vals);
		vals = NULL;
	}
	ber_free(ber, 0);
	if (rc != LDAP_SUCCESS) {
		fprintf(stderr, "raw: cannot decode an attribute: %s\n", ldap_err2string(rc));
		return -1;
	}
	t->entries++;
	return 0;
}

/* Read the answer of one message id; on success *ctrls (if non-NULL)
 * receives the result's response controls (free with ldap_controls_free).
 * *code (if non-NULL) receives the search's result code; a failure with a
 * code the caller asked for is left to the caller to report. */
static int collect_one(LDAP *ld, int msgid, int op_timeout_ms, struct raw_tally *t,
		       LDAPControl ***ctrls, int *code)
{
	LDAPMessage *msg = NULL;
	struct timeval tv;
	int ret = -1;

	for (;;) {
		int type, rc, err = LDAP_OTHER;

		set_tv(&tv, op_timeout_ms);
		type = ldap_result(ld, msgid, LDAP_MSG_ONE, &tv, &msg);
		if (type <= 0) {
			fprintf(stderr, "raw: ldap_result: %s\n",
				type == 0 ? "timed out" : "connection error");
			goto done;
		}
		if (type == LDAP_RES_SEARCH_ENTRY) {
			if (tally_entry(ld, msg, t) < 0)
				goto done;
		} else if (type == LDAP_RES_SEARCH_RESULT) {
			rc = ldap_parse_result(ld, msg, &err, NULL, NULL, NULL, ctrls, 0);
			if (code)
				*code = rc != LDAP_SUCCESS ? rc : err;
			if (rc != LDAP_SUCCESS || err != LDAP_SUCCESS) {
				if (!code)
					fprintf(stderr, "raw: search failed: %s\n",
						ldap_err2string(rc != LDAP_SUCCESS ? rc : err));
				if (ctrls && *ctrls) {
					ldap_controls_free(*ctrls);
					*ctrls = NULL;
				}
				goto done;
			}
			ret = 0;
			goto done;
		}
		/* References are skipped, as ldapbridge does with chasing off. */
		ldap_msgfree(msg);
		msg = NULL;
	}
done:
	ldap_msgfree(msg);
	return ret;
}

int raw_collect(LDAP *ld, const int *msgids, size_t n, int op_timeout_ms,
		struct raw_tally *t)
{
	LDAPMessage *msg = NULL;
	bool *done_ = NULL;
	size_t left = n;
	int ret = -1;

	if (n == 1)
		return collect_one(ld, msgids[0], op_timeout_ms, t, NULL, NULL);
	done_ = calloc(n, sizeof(*done_));
	if (!done_)
		goto done;
	while (left > 0) {
		struct timeval tv;
		int type, id, err = LDAP_OTHER, rc;
		size_t i;

		set_tv(&tv, op_timeout_ms);
		type = ldap_result(ld, LDAP_RES_ANY, LDAP_MSG_ONE, &tv, &msg);
		if (type <= 0) {
			fprintf(stderr, "raw: ldap_result: %s\n",
				type == 0 ? "timed out" : "connection error");
			goto done;
		}
		id = ldap_msgid(msg);
		for (i = 0; i < n && msgids[i] != id; i++)
			;
		if (i == n) {
			fprintf(stderr, "raw: answer to unknown message %d\n", id);
			goto done;
		}
		if (type == LDAP_RES_SEARCH_ENTRY) {
			if (tally_entry(ld, msg, t) < 0)
				goto done;
		} else if (type == LDAP_RES_SEARCH_RESULT) {
			rc = ldap_parse_result(ld, msg, &err, NULL, NULL, NULL, NULL, 0);
			if (rc != LDAP_SUCCESS || err != LDAP_SUCCESS) {
				fprintf(stderr, "raw: search %d failed: %s\n", id,
					ldap_err2string(rc != LDAP_SUCCESS ? rc : err));
				goto done;
			}
			if (!done_[i]) {
				done_[i] = true;
				left--;
			}
		}
		ldap_msgfree(msg);
		msg = NULL;
	}
	ret = 0;
done:
	ldap_msgfree(msg);
	free(done_);
	return ret;
}

int raw_paged_read(LDAP *ld, const char *base, const char *filter, char **attrs,
		   int page_size, int time_limit_s, int op_timeout_ms,
		   struct raw_tally *t)
{
	struct berval cookie = { 0, NULL };
	LDAPControl *page = NULL, **rctrls = NULL;
	int ret = -1;

	do {
		LDAPControl *sctrls[2] = { NULL, NULL };
		LDAPControl *resp;
		ber_int_t estimate = 0;
		int msgid, rc;

		rc = ldap_create_page_control(ld, page_size, &cookie, 0, &page);
		if (rc != LDAP_SUCCESS) {
			fprintf(stderr, "raw: page control: %s\n", ldap_err2string(rc));
			goto done;
		}
		sctrls[0] = page;
		if (search_ext(ld, base, filter, attrs, sctrls, time_limit_s, &msgid) < 0 ||
		    collect_one(ld, msgid, op_timeout_ms, t, &rctrls, NULL) < 0)
			goto done;
		ldap_control_free(page);
		page = NULL;
		ber_memfree(cookie.bv_val);
		cookie.bv_val = NULL;
		cookie.bv_len = 0;
		resp = ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, rctrls, NULL);
		if (!resp) {
			fprintf(stderr, "raw: no paged-results response control\n");
			goto done;
		}
		rc = ldap_parse_pageresponse_control(ld, resp, &estimate, &cookie);
		if (rc != LDAP_SUCCESS) {
			fprintf(stderr, "raw: bad paged-results response: %s\n",
				ldap_err2string(rc));
			goto done;
		}
		ldap_controls_free(rctrls);
		rctrls = NULL;
	} while (cookie.bv_len > 0);
	ret = 0;
done:
	ldap_control_free(page);
	ldap_controls_free(rctrls);
	ber_memfree(cookie.bv_val);
	return ret;
}

struct raw_vlv {
	LDAP *ld;
	const char *base;         /* borrowed, as are filter and attrs */
	const char *filter;
	char **attrs;
	LDAPSortKey **keys;
	struct berval *context;   /* the server's context ID, sent back */
	int op_timeout_ms;
	int busy_retries;         /* transient LDAP_BUSY answers retried so far */
	int busy_retries_left;    /* for the current window */
};

int raw_vlv_open(LDAP *ld, const char *base, const char *filter, char **attrs,
		 const char *sort_keys, int op_timeout_ms, struct raw_vlv **out)
{
	struct raw_vlv *v = NULL;
	char *keystr = NULL;
	int ret = -1;

	v = calloc(1, sizeof(*v));
	keystr = strdup(sort_keys);  /* the parser wants a writable string */
	if (!v || !keystr)
		goto done;
	if (ldap_create_sort_keylist(&v->keys, keystr) != LDAP_SUCCESS) {
		fprintf(stderr, "raw: bad sort key list \"%s\"\n", sort_keys);
		goto done;
	}
	v->ld = ld;
	v->base = base;
	v->filter = filter;
	v->attrs = attrs;
	v->op_timeout_ms = op_timeout_ms;
	*out = v;
	v = NULL;
	ret = 0;
done:
	free(keystr);
	raw_vlv_close(v);
	return ret;
}

int raw_vlv_window(struct raw_vlv *v, int before, int after, int offset,
		   struct raw_tally *t, int *target_pos, int *count)
{
	LDAPControl *sctrls[3] = { NULL, NULL, NULL };
	LDAPControl **rctrls = NULL, *resp;
	LDAPVLVInfo vi;
	struct berval *ctx = NULL;
	ber_int_t pos = 0, cnt = 0;
	int msgid, vlverr = LDAP_OTHER, rc, ret = -1;

	memset(&vi, 0, sizeof(vi));
	vi.ldvlv_version = 1;
	vi.ldvlv_before_count = before;
	vi.ldvlv_after_count = after;
	vi.ldvlv_offset = offset;
	vi.ldvlv_count = 0;
	vi.ldvlv_context = v->context;
	rc = ldap_create_sort_control(v->ld, v->keys, 1, &sctrls[0]);
	if (rc == LDAP_SUCCESS)
		rc = ldap_create_vlv_control(v->ld, &vi, &sctrls[1]);
	if (rc != LDAP_SUCCESS) {
		fprintf(stderr, "raw: sort/VLV control: %s\n", ldap_err2string(rc));
		goto done;
	}
	v->busy_retries_left = RAW_VLV_BUSY_RETRIES;
	for (;;) {
		int code = LDAP_OTHER;

		if (search_ext(v->ld, v->base, v->filter, v->attrs, sctrls, 60, &msgid) < 0 ||
		    collect_one(v->ld, msgid, v->op_timeout_ms, t, &rctrls, &code) < 0) {
			/* sssvlv answers busy now and then to a request that carries
			 * the right context; the same request succeeds a moment later. */
			if (code == LDAP_BUSY && v->busy_retries_left-- > 0) {
				v->busy_retries++;
				usleep(1000);
				continue;
			}
			fprintf(stderr, "raw: VLV search failed: %s\n", ldap_err2string(code));
			goto done;
		}
		break;
	}
	resp = ldap_control_find(LDAP_CONTROL_VLVRESPONSE, rctrls, NULL);
	if (!resp) {
		fprintf(stderr, "raw: no VLV response control\n");
		goto done;
	}
	rc = ldap_parse_vlvresponse_control(v->ld, resp, &pos, &cnt, &ctx, &vlverr);
	if (rc != LDAP_SUCCESS || vlverr != LDAP_SUCCESS) {
		fprintf(stderr, "raw: VLV answer: %s\n",
			ldap_err2string(rc != LDAP_SUCCESS ? rc : vlverr));
		goto done;
	}
	if (ctx) {
		ber_bvfree(v->context);
		v->context = ctx;
		ctx = NULL;
	}
	*target_pos = (int)pos;
	*count = (int)cnt;
	ret = 0;
done:
	ber_bvfree(ctx);
	ldap_control_free(sctrls[0]);
	ldap_control_free(sctrls[1]);
	ldap_controls_free(rctrls);
	return ret;
}

void raw_vlv_close(struct raw_vlv *v)
{
	if (!v)
		return;
	if (v->keys)
		ldap_free_sort_keylist(v->keys);
	ber_bvfree(v->context);
	free(v);
}

int raw_vlv_busy_retries(const struct raw_vlv *v)
{
	return v ? v->busy_retries : 0;
}
