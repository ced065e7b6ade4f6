/*
 * bench_raw.h - the benchmark's reference: the same work as ldapbridge,
 * done with plain libldap calls the way a careful direct caller would.
 *
 * Every function reads the whole answer the way ldapbridge must (DN, every
 * attribute, every value copied out by libldap) so that the comparison
 * measures ldapbridge's own overhead, not skipped work.  A summary of what
 * was read (entries, value bytes) lets the benchmark check that both sides
 * saw the same data.
 *
 * All functions return 0 on success or -1 with a message on stderr.
 */
#ifndef LDAPAB_BENCH_RAW_H
#define LDAPAB_BENCH_RAW_H

#include <stddef.h>

#include <ldap.h>

/* What a read saw. */
struct raw_tally {
	size_t entries;
	size_t values;
	size_t bytes;     /* total value bytes */
};

/* Open and bind (anonymously) a v3 handle to uri, referrals off, with
 * op_timeout_ms as the network timeout.  *out: caller frees with
 * ldap_unbind_ext_s(). */
int raw_open(const char *uri, int op_timeout_ms, LDAP **out)
	__attribute__((warn_unused_result));

/* Send one subtree search (no controls) with the given server time limit
 * and size limit 0.  *msgid receives its id. */
int raw_send(LDAP *ld, const char *base, const char *filter,
	     char **attrs, int time_limit_s, int *msgid)
	__attribute__((warn_unused_result));

/* Collect the answers of the n searches in msgids (any order), adding what
 * they returned to tally.  op_timeout_ms bounds each wait. */
int raw_collect(LDAP *ld, const int *msgids, size_t n, int op_timeout_ms,
		struct raw_tally *tally)
	__attribute__((warn_unused_result));

/* Paged (RFC 2696) read of a whole subtree, page_size per page. */
int raw_paged_read(LDAP *ld, const char *base, const char *filter,
		   char **attrs, int page_size, int time_limit_s,
		   int op_timeout_ms, struct raw_tally *tally)
	__attribute__((warn_unused_result));

/* A VLV browse of one sorted list (sort key string like
 * "displayName:2.5.13.3"), keeping the server's context ID between windows.
 * Not thread-safe; free with raw_vlv_close(). */
struct raw_vlv;

int raw_vlv_open(LDAP *ld, const char *base, const char *filter, char **attrs,
		 const char *sort_keys, int op_timeout_ms, struct raw_vlv **out)
	__attribute__((warn_unused_result));

/* Fetch [offset - before, offset + after] (offset 1-based, content count 0);
 * *target_pos and *count receive the server's answer. */
int raw_vlv_window(struct raw_vlv *v, int before, int after, int offset,
		   struct raw_tally *tally, int *target_pos, int *count)
	__attribute__((warn_unused_result));

/* How many transient LDAP_BUSY answers ("Other sort requests already in
 * progress" to a request carrying the current context) were retried. */
int raw_vlv_busy_retries(const struct raw_vlv *v);

void raw_vlv_close(struct raw_vlv *v);

#endif
