/*
 * abp_test_support.c - see abp_test_support.h.
 */
#include "abp_test_support.h"

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
