/*
 * abp_test_support.h - shortcuts over the provider's internals that only
 * tests use.  Compiled into ldapab_provider_objs (the static library the
 * tests link), never into the module.
 */
#ifndef LDAPAB_ABP_TEST_SUPPORT_H
#define LDAPAB_ABP_TEST_SUPPORT_H

#include "abp.h"
#include "props.h"

/* Logoff's step 4 alone: abp_session_close_and_release(s, NULL). */
void abp_session_close_connection(struct abp_session *s);

/* Logoff's session part in one step: abp_session_mark_logged_off() then
 * abp_session_close_connection().  False if it had already happened. */
bool abp_session_shutdown(struct abp_session *s);

/* abp_session_note_lb_error() with a bare code (no server message). */
void abp_session_note_result(struct abp_session *s, lb_err code);

/* The configured container with this ID (len bytes, not NUL-terminated),
 * else NULL. */
const struct abp_container_cfg *abp_container_find_cfg(const struct abp_config *cfg,
                                                       const char *id, size_t len);

/* Candidates in the order a pick list would show them for what a user
 * typed: exact > prefix > substring (abp_restrict_rank), the directory's
 * order kept within a rank, a repeat (abp_resolve_repeated) left out.
 * order receives up to n indexes into rows; returns how many. */
size_t abp_resolve_rank(const struct abp_props *const *rows, size_t n, const char *input,
                        size_t *order);

#endif /* LDAPAB_ABP_TEST_SUPPORT_H */
