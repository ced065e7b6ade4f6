/*
 * lb_calls.c - see lb_calls.h.
 */
#include "lb_calls.h"

#include <stdatomic.h>

#include <ldapbridge/lb.h>

static atomic_size_t calls;

size_t lb_calls(void)
{
	return atomic_load(&calls);
}

lb_err __real_lb_search(lb_conn *conn, const struct lb_search_params *params, lb_result **out,
                        struct lb_error *err);
lb_err __wrap_lb_search(lb_conn *conn, const struct lb_search_params *params, lb_result **out,
                        struct lb_error *err);
lb_err __real_lb_search_batch(lb_conn *conn, const struct lb_search_params *params, size_t n,
                              lb_result **results, lb_err *status, struct lb_error *err);
lb_err __wrap_lb_search_batch(lb_conn *conn, const struct lb_search_params *params, size_t n,
                              lb_result **results, lb_err *status, struct lb_error *err);
lb_err __real_lb_vlv_window(lb_vlv *vlv, size_t before, size_t after,
                            const struct lb_vlv_target *target, lb_result **out,
                            struct lb_vlv_pos *pos, struct lb_error *err);
lb_err __wrap_lb_vlv_window(lb_vlv *vlv, size_t before, size_t after,
                            const struct lb_vlv_target *target, lb_result **out,
                            struct lb_vlv_pos *pos, struct lb_error *err);

lb_err __wrap_lb_search(lb_conn *conn, const struct lb_search_params *params, lb_result **out,
                        struct lb_error *err)
{
	atomic_fetch_add(&calls, 1);
	return __real_lb_search(conn, params, out, err);
}

lb_err __wrap_lb_search_batch(lb_conn *conn, const struct lb_search_params *params, size_t n,
                              lb_result **results, lb_err *status, struct lb_error *err)
{
	atomic_fetch_add(&calls, 1);
	return __real_lb_search_batch(conn, params, n, results, status, err);
}

lb_err __wrap_lb_vlv_window(lb_vlv *vlv, size_t before, size_t after,
                            const struct lb_vlv_target *target, lb_result **out,
                            struct lb_vlv_pos *pos, struct lb_error *err)
{
	atomic_fetch_add(&calls, 1);
	return __real_lb_vlv_window(vlv, before, after, target, out, pos, err);
}
