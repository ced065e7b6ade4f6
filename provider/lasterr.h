/*
 * lasterr.h - the last error of each object (LO-1), MAPIERROR blocks (MM-3)
 * and the one table from ldapbridge codes to MAPI codes (internal).
 *
 * A failure is recorded where it happens, with a message a person can act
 * on (which server, which step, which setting); GetLastError hands it out
 * while the caller asks about the same HRESULT.
 */
#ifndef LDAPAB_LASTERR_H
#define LDAPAB_LASTERR_H

#include "base.h"

struct abp_lasterr {
	plat_mutex lock;
	HRESULT hr;                 /* the failure the text explains, S_OK = none */
	ULONG low_level;            /* e.g. the LDAP result code */
	ULONG context;              /* code location (a small per-site number) */
	char text[ABP_MSG_MAX];     /* UTF-8, actionable, never a password */
};

void abp_lasterr_init(struct abp_lasterr *le);
void abp_lasterr_destroy(struct abp_lasterr *le);
/* Record hr with a printf-style message.  Returns hr so callers can
 * `return abp_lasterr_set(...)`.  Deliberately not ABP_WUR: the result is
 * the caller's own hr argument, so a call that only records (the caller
 * keeps another code, or has nothing to return) loses nothing by ignoring
 * it - and gcc's warn_unused_result cannot be silenced with a (void) cast. */
HRESULT abp_lasterr_set(struct abp_lasterr *le, HRESULT hr, ULONG low_level,
                        ULONG context, const char *fmt, ...) ABP_PRINTF(5, 6);
/* Record an ldapbridge failure: maps err->code via abp_hr_from_lb() and
 * keeps err->message (which names server, step and limit). */
ABP_WUR HRESULT abp_lasterr_set_lb(struct abp_lasterr *le, const struct lb_error *err,
                                   ULONG context);
/* GetLastError for any interface: validates flags (only MAPI_UNICODE) and the
 * out-pointer, then returns S_OK with *out = NULL when hr is not the recorded
 * failure, else one MAPIERROR block (strings chained, UTF-16 under
 * MAPI_UNICODE) from the session's allocators. */
ABP_WUR HRESULT abp_lasterr_get(struct abp_lasterr *le, const struct abp_session *s,
                                HRESULT hr, ULONG flags, LPMAPIERROR *out);

/* The one table from ldapbridge codes to MAPI codes. */
ABP_WUR HRESULT abp_hr_from_lb(lb_err code);

/* MAPIERROR as one block (MM-3) from the given allocators: UTF-16 strings
 * under MAPI_UNICODE, else 8-bit.  text is UTF-8; component is ABP_COMPONENT. */
ABP_WUR HRESULT abp_mapierror_new(LPALLOCATEBUFFER ab, LPALLOCATEMORE am,
                                  LPFREEBUFFER fb, ULONG flags, ULONG low_level, ULONG context,
                                  const char *text, LPMAPIERROR *out);

/* Printable, bounded copy of untrusted bytes for error texts: printable
 * ASCII and valid UTF-8 sequences are kept, '\' and every other byte
 * (controls, DEL, invalid UTF-8) become \xHH; at most max_in input bytes
 * are shown, then "..." is appended.  Always NUL-terminates out (cap > 0). */
void abp_escape_bytes(const void *bytes, size_t n, size_t max_in, char *out, size_t cap);

#endif /* LDAPAB_LASTERR_H */
