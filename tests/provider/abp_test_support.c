/*
 * abp_test_support.c - see abp_test_support.h.
 */
#include "abp_test_support.h"

#include <string.h>

#include "resolve.h"
#include "restrict.h"

void abp_session_close_connection(struct abp_session *s)
{
	abp_session_close_and_release(s, NULL);
}

bool abp_session_shutdown(struct abp_session *s)
{
	bool first = abp_session_mark_logged_off(s);

	if (first)
		abp_session_close_connection(s);
	return first;
}

void abp_session_note_result(struct abp_session *s, lb_err code)
{
	struct lb_error err;

	lb_error_clear(&err);
	err.code = code;
	abp_session_note_lb_error(s, code == LB_OK ? NULL : &err);
}

const struct abp_container_cfg *abp_container_find_cfg(const struct abp_config *cfg,
                                                       const char *id, size_t len)
{
	size_t i;

	if (cfg == NULL || id == NULL)
		return NULL;
	for (i = 0; i < cfg->n_containers; i++) {
		const char *cid = cfg->containers[i].id;

		if (cid != NULL && strlen(cid) == len && memcmp(cid, id, len) == 0)
			return &cfg->containers[i];
	}
	return NULL;
}

size_t abp_resolve_rank(const struct abp_props *const *rows, size_t n, const char *input,
                        size_t *order)
{
	static const enum abp_rank ranks[] = {
		ABP_RANK_EXACT, ABP_RANK_PREFIX, ABP_RANK_SUBSTRING
	};
	size_t k = 0, r, i;

	if (rows == NULL || order == NULL || input == NULL)
		return 0;
	for (r = 0; r < sizeof(ranks) / sizeof(ranks[0]); r++)
		for (i = 0; i < n; i++)
			if (rows[i] != NULL && !abp_resolve_repeated(rows, i) &&
			    abp_restrict_rank(rows[i], input) == ranks[r])
				order[k++] = i;
	return k;
}
