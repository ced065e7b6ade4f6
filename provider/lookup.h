/*
 * lookup.h - reading people and groups from the directory (internal).
 *
 * Every directory read of a session starts from struct abp_dir: the
 * connection, the root DSE, the attribute map, the attributes to request,
 * the search bases and the person and group filters.  They depend only on
 * the configuration and the root DSE, both fixed for a session, so they are
 * built once (on the first read) and shared read-only by every later one.
 *
 * abp_dir_lookup() is the path OpenEntry and PrepareRecips share: an entry
 * ID of ours -> the entry on the server -> its property bag.
 */
#ifndef LDAPAB_LOOKUP_H
#define LDAPAB_LOOKUP_H

#include <stdbool.h>
#include <stddef.h>

#include "abp.h"
#include "attrmap.h"
#include "props.h"

/* What every directory read of a session shares; built once per session on
 * first use (root DSE probe, attribute map, request list, search scopes).
 * Call between abp_session_enter() and abp_session_leave(); *out is valid
 * until the leave. */
struct abp_dir {
	lb_conn *conn;                    /* the session's connection */
	const struct lb_rootdse *dse;     /* root DSE (controls, is_active_directory, ...) */
	const struct abp_attrmap *map;    /* attribute map */
	const char *const *attrs;         /* NULL-terminated list to request for a bag */
	const char *const *detail_attrs;  /* the same plus what only an opened entry
	                                   * shows (photos, certificates, manager and
	                                   * directReports): for abp_dir_lookup_detail */
	size_t n_bases;
	const char *const *bases;         /* search bases; an entry may be NULL = the
	                                   * connection's default base */
	const char *person_filter;        /* LDAP filter for people (config or schema
	                                   * default), never NULL */
	const char *group_filter;         /* LDAP filter for groups, never NULL */
	const char *row_filter;           /* "(|<person_filter><group_filter>)":
	                                   * what a table lists */
	const char *const *scope;         /* n_bases DNs an entry must lie at or below
	                                   * ("" = anywhere); see abp_dir_in_scope() */
};

/* Fill *out for s.  MAPI_E_INVALID_OBJECT once Logoff has begun;
 * MAPI_E_NETWORK_ERROR without a connection; the root DSE probe's failure
 * (recorded in le, the session's status told); MAPI_E_UNCONFIGURED when the
 * configured attribute map does not apply; MAPI_E_NOT_ENOUGH_MEMORY. */
ABP_WUR HRESULT abp_dir_open(struct abp_session *s, struct abp_lasterr *le, struct abp_dir *out);

/* True once Logoff has begun (LC-32 step 1): check before each LDAP call of
 * a multi-call path, so a call that entered before Logoff stops at its next
 * step instead of queueing behind others on the connection. */
bool abp_session_ending(struct abp_session *s);

/* Report an ldapbridge failure: tells the session's status
 * (abp_session_note_lb_error) and records it in le; returns the MAPI code.
 * err must hold a failure (an LB_OK record or NULL: MAPI_E_CALL_FAILED). */
ABP_WUR HRESULT abp_dir_fail(struct abp_session *s, struct abp_lasterr *le,
                             const struct lb_error *err, ULONG context);

/* The schema's default person and group filters, used when the profile
 * names none. */
const char *abp_dir_default_person_filter(int schema);
const char *abp_dir_default_group_filter(int schema);

/* The attribute holding eid's immutable locator (entryUUID, objectGUID,
 * nsUniqueId); NULL for a DN locator or one no attribute can hold (a UUID
 * or GUID not 16 bytes). */
const char *abp_dir_id_attr(const struct abp_eid *eid);

/* The filter that finds the entry eid names among the entries type_filter
 * admits (NULL or "": any): (&<type_filter>(<abp_dir_id_attr>=<value>)),
 * the value escaped (entryUUID as text, objectGUID's raw bytes), or for a
 * DN locator type_filter alone (*out NULL when that is empty: the base
 * search needs none).  *out malloc'd.  LB_E_INVALID for a locator no
 * attribute holds; else as lb_filter_render(), err filled. */
lb_err abp_dir_id_filter(const struct abp_eid *eid, const char *type_filter, char **out,
                         struct lb_error *err);

/* "(&<d->row_filter><cfg->filter><more>)": the people and groups the
 * container cfg lists (NULL: the whole directory; its filter validated at
 * logon), ANDed with more (a name's filter; NULL: none).  malloc'd; NULL
 * when out of memory. */
char *abp_dir_container_filter(const struct abp_dir *d, const struct abp_container_cfg *cfg,
                               const char *more);

/* True when dn lies at or below one of d->scope (a DN that does
 * not parse lies nowhere).  MAPI_E_NOT_ENOUGH_MEMORY. */
ABP_WUR HRESULT abp_dir_in_scope(const struct abp_dir *d, const char *dn, bool *inside);

/*
 * Find the person or group eid names and build its bag (call between
 * abp_session_enter/leave).  Lookup by locator:
 *   entryUUID / nsUniqueId / objectGUID (raw bytes escaped): a subtree
 *     search for (attr=value) under the effective base (the configured base
 *     DN, else the server's default naming context) and under each
 *     configured container base outside it; an old ID's DN hint, when it
 *     lies inside, is tried first with a base search (fast path only);
 *   DN: base search on the DN, if it lies inside.
 * An entry found outside those bases counts as absent.  The entry's class
 * must match eid->type.  MAPI_E_NOT_FOUND if gone; MAPI_E_INVALID_OBJECT
 * as soon as Logoff has begun (checked before each LDAP call); LDAP
 * failures via abp_dir_fail (the session's status is told).
 */
ABP_WUR HRESULT abp_dir_lookup(struct abp_session *s, struct abp_lasterr *le,
                               const struct abp_eid *eid, struct abp_props *bag);

/* abp_dir_lookup() for an entry being opened: the bag also holds what
 * only an opened entry shows (photo, certificates), and *res receives the
 * server's answer (one entry, lb_result_entry(*res, 0); the caller frees it
 * with lb_result_free) for the links the caller resolves (manager,
 * directReports).  *res is NULL on failure. */
ABP_WUR HRESULT abp_dir_lookup_detail(struct abp_session *s, struct abp_lasterr *le,
                                      const struct abp_eid *eid, struct abp_props *bag,
                                      lb_result **res);

/*
 * Table rows (people and groups with PR_INSTANCE_KEY, EK-8) read by
 * searches.
 */

/* The row of entry e: its bag (abp_dir_bag_from_entry) with
 * PR_INSTANCE_KEY.  S_FALSE: e is neither a person nor a group (bag left
 * empty); MAPI_E_NOT_ENOUGH_MEMORY (bag left empty). */
ABP_WUR HRESULT abp_dir_row(struct abp_session *s, const struct abp_dir *d, const lb_entry *e,
                            struct abp_props *bag);

/* *p: a base search reading the person or group at dn (borrowed) as a row. */
void abp_dir_row_search(const struct abp_dir *d, const char *dn, struct lb_search_params *p);

/* Searches abp_dir_search_rows() sends per round trip. */
#define ABP_DIR_BATCH 256

struct abp_dir_rows {
	struct abp_props *rows;         /* n rows, in the order of the searches */
	size_t *from;                   /* rows[i] came from search from[i] */
	size_t n;
	bool partial;                   /* a search stopped at a limit */
};

/* Free what r holds (a row moved out may be left as an empty bag). */
void abp_dir_rows_free(struct abp_dir_rows *r);

/*
 * Run the n searches p (lb_search_batch, ABP_DIR_BATCH per round trip) and
 * turn every person or group they find into a row (abp_dir_row); skip
 * (NULL: none) leaves out the entries for which it returns true.  A search
 * that fails on its own (its entry gone or unreadable) adds nothing; one
 * that ran out of memory fails the call.
 * MAPI_E_INVALID_OBJECT once Logoff has begun; a failed batch via
 * abp_dir_fail (recorded in le with context); MAPI_E_NOT_ENOUGH_MEMORY (not
 * recorded).  *out is filled on success only.
 */
ABP_WUR HRESULT abp_dir_search_rows(struct abp_session *s, struct abp_lasterr *le,
                                    const struct abp_dir *d, const struct lb_search_params *p,
                                    size_t n,
                                    bool (*skip)(void *ctx, size_t search, const lb_entry *e),
                                    void *skip_ctx, ULONG context, struct abp_dir_rows *out);

/* The link attributes the detail list requests. */
#define ABP_ATTR_MANAGER "manager"
#define ABP_ATTR_DIRECT_REPORTS "directReports"

#endif /* LDAPAB_LOOKUP_H */
