/*
 * table.h - IMAPITable over a row source (internal to provider/).
 *
 * table.c is the one IMAPITable object of the provider (spec §5): the
 * cursor, the column set, bookmarks, the sort order, GetLastError and row
 * building (SRowSet per MM-4).  What the rows are comes from a row source:
 *
 *   table_mem.c  rows held in memory (hierarchy rows, DL members, a
 *                restricted or size-limited directory view), sorted and
 *                restricted in memory (TB-20);
 *   table_vlv.c  a window over the directory sorted by the server (VLV),
 *                never the whole directory (TB-19).
 *
 * hierarchy.c, contents.c and members.c build the tables containers and
 * distribution lists hand out.
 *
 * Positions are zero-based row indexes of the current view; the cursor is
 * the index of the next row QueryRows reads (0 .. count).
 *
 * Every row a source gives is a property bag carrying at least
 * PR_INSTANCE_KEY (EK-8: unique in the view, stable while the table is
 * open) and, for type-down, PR_DISPLAY_NAME.
 *
 * [decision] Row values are not cut to 255 characters (TB-16 allows it, it
 * does not ask for it): a row holds what the opened object shows.  Its
 * PR_ENTRYID, PR_RECORD_KEY and PR_INSTANCE_KEY must be whole to open and
 * match the object (TB-17, EK-8; a DN-based ID can exceed 255 bytes), a
 * recipient taken from a row must carry the full name and address, and a
 * row is already bounded: it is built from the light attribute list (no
 * photos or certificates, lookup.c) with the caps every bag has (props.h).
 *
 * Locking: the table serialises its methods with its own mutex (TB-18) and
 * calls the source only with it held.  A source never reports to the
 * session's status itself (that may call MAPI, TH-5): it puts what
 * ldapbridge said into ctx->note, and the table reports it after unlocking.
 */
#ifndef LDAPAB_TABLE_H
#define LDAPAB_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "abp.h"
#include "lookup.h"
#include "propobj.h"
#include "props.h"

/* Bookmarks a table keeps at most (TB-12): more → MAPI_E_UNABLE_TO_COMPLETE. */
#define ABP_TABLE_MAX_BOOKMARKS 64
/* Rows one QueryRows returns at most (TB-5 allows fewer than asked). */
#define ABP_TABLE_MAX_ROWS_PER_CALL 1000

/* What a source call may use and report. */
struct abp_tctx {
	struct abp_session *s;
	struct abp_lasterr *le;         /* the table's last error */
	const struct abp_dir *dir;      /* NULL unless the source needs_dir */
	struct lb_error note;           /* what to tell the session's status */
	bool have_note;
};

/* Record an ldapbridge outcome for the session's status (reported by the
 * table after it unlocks) and, on failure, in ctx->le.  Returns the MAPI
 * code (S_OK for LB_OK). */
ABP_WUR HRESULT abp_tctx_lb(struct abp_tctx *ctx, const struct lb_error *err, ULONG context);

struct abp_tsrc;

enum abp_sort_order {
	ABP_SORT_DEFAULT = 0,   /* the source's own: display name ascending, or as given */
	ABP_SORT_ASCENDING,
	ABP_SORT_DESCENDING
};

struct abp_tsrc_ops {
	/* Rows in the current view. */
	HRESULT (*count)(struct abp_tsrc *src, struct abp_tctx *ctx, size_t *n);
	/* Up to n rows from start (forward, in view order) into rows[]; the
	 * bags are the source's, valid until its next call.  *got < n only at
	 * the end of the view.  `backward` says the caller is moving towards
	 * the start (a source reading ahead reads that way). */
	HRESULT (*read)(struct abp_tsrc *src, struct abp_tctx *ctx, size_t start, size_t n,
	                bool backward, const struct abp_props **rows, size_t *got);
	/* Type-down (CT-8d): the position of the first row whose display name
	 * sorts at or after value in the current order (count when none).
	 * NULL: the table scans. */
	HRESULT (*seek_value)(struct abp_tsrc *src, struct abp_tctx *ctx, const char *utf8,
	                      size_t *pos);
	/* CT-8b: the position of the row whose PR_INSTANCE_KEY is key, found
	 * without reading the view from the start; S_FALSE when the source
	 * cannot tell cheaply (the table then scans).  NULL: always scan. */
	HRESULT (*seek_key)(struct abp_tsrc *src, struct abp_tctx *ctx, const uint8_t *key,
	                    size_t len, size_t *pos);
	/* The order (TB-11): the default, or display name ascending or
	 * descending.  On failure the previous order stays. */
	HRESULT (*sort)(struct abp_tsrc *src, struct abp_tctx *ctx, enum abp_sort_order order);
	/* Replace the view's restriction (NULL clears), TB-10.  On failure the
	 * previous view stays. */
	HRESULT (*restrict_view)(struct abp_tsrc *src, struct abp_tctx *ctx,
	                         const SRestriction *res);
	/* True when the view stopped at a limit (more entries exist than it
	 * holds): the table signals it with MAPI_W_PARTIAL_COMPLETION. */
	bool (*partial)(struct abp_tsrc *src);
	void (*destroy)(struct abp_tsrc *src);
};

struct abp_tsrc {
	const struct abp_tsrc_ops *ops;
	bool needs_dir;                 /* calls need the directory (abp_dir_open) */
	bool descending;                /* the current order (kept by the source) */
};

/* The kinds of table (default columns, CT-6 / CT-7). */
enum abp_table_kind {
	ABP_TABLE_HIERARCHY,
	ABP_TABLE_CONTENTS              /* containers' contents and DL members */
};

/* GetContentsTable / GetHierarchyTable flags (CT-6, CT-7): MAPI_UNICODE
 * and MAPI_DEFERRED_ERRORS (and CONVENIENT_DEPTH for a hierarchy);
 * MAPI_ASSOCIATED → MAPI_E_NO_SUPPORT; others → MAPI_E_UNKNOWN_FLAGS.
 * Recorded in le. */
ABP_WUR HRESULT abp_table_check_flags(struct abp_lasterr *le, ULONG flags,
                                      enum abp_table_kind kind);

/* The start of GetContentsTable / GetHierarchyTable of object o: *out
 * NULLed, the session entered (MAPI_E_INVALID_OBJECT after Logoff, LC-40),
 * out checked, flags checked (abp_table_check_flags).  S_OK: the caller
 * makes the table, then calls abp_session_leave(o->s). */
ABP_WUR HRESULT abp_table_open_begin(struct abp_propobj *o, enum abp_table_kind kind,
                                     ULONG flags, LPMAPITABLE *out);

/* New IMAPITable with one reference; takes a session reference and owns src
 * (destroyed on failure too).  flags: MAPI_UNICODE picks the default string
 * columns' type. */
ABP_WUR HRESULT abp_table_new(struct abp_session *s, enum abp_table_kind kind, ULONG flags,
                              struct abp_tsrc *src, LPMAPITABLE *out);

/* ------------------------------------------------------------------------ */
/* In-memory rows (table_mem.c)                                             */
/* ------------------------------------------------------------------------ */

/* An in-memory source over the bags given (moved in: the array is taken
 * over, each bag must carry PR_INSTANCE_KEY).  partial: the rows stop at a
 * limit.  Sorted by display name ascending (abp_table_name_cmp) unless
 * keep_order: then the given order is the default (hierarchy rows,
 * depth-first), and SortTable with an empty set returns to it.  Restrict
 * evaluates abp_restrict_match in memory. */
ABP_WUR HRESULT abp_tsrc_mem_new(struct abp_props *rows, size_t n, bool partial,
                                 bool keep_order, struct abp_tsrc **out);

/* Case-insensitive comparison of display names (the in-memory collation,
 * close to the servers' caseIgnoreOrderingMatch): ASCII letters folded,
 * other bytes compared as UTF-8 code points.  NULL sorts last. */
int abp_table_name_cmp(const char *a, const char *b);

/* PR_INSTANCE_KEY for a directory bag: its record key (EK-8). */
ABP_WUR HRESULT abp_table_add_instance_key(struct abp_props *bag);

/* ------------------------------------------------------------------------ */
/* VLV window over the directory (table_vlv.c)                              */
/* ------------------------------------------------------------------------ */

/* Rows read beyond what QueryRows asks for, in the direction of travel. */
#define ABP_VLV_READ_AHEAD 64

/* A source browsing base/filter sorted by sort_attr with VLV (the server
 * must offer VLV and sorting).  Copies its arguments.  Restrict is not
 * handled here (contents.c switches to a search-filled view). */
ABP_WUR HRESULT abp_tsrc_vlv_new(struct abp_session *s, const char *base, const char *filter,
                                 const char *sort_attr, struct abp_tsrc **out);

/* ------------------------------------------------------------------------ */
/* The tables objects hand out                                              */
/* ------------------------------------------------------------------------ */

/* A container's properties (container.c): the bag a container object
 * opened from cfg (NULL: the root) has, so hierarchy rows equal it (TB-17). */
ABP_WUR HRESULT abp_container_bag(struct abp_session *s, const struct abp_container_cfg *cfg,
                                  struct abp_props *bag);

/* The root container's hierarchy table (CT-6): one row per configured
 * container (depth 0, with or without CONVENIENT_DEPTH: they have no
 * children).  flags already checked by the caller. */
ABP_WUR HRESULT abp_hierarchy_table_new(struct abp_session *s, ULONG flags, LPMAPITABLE *out);
/* IABContainer::GetHierarchyTable of the root (o is the root's state). */
ABP_WUR HRESULT abp_hierarchy_table_open(struct abp_propobj *o, ULONG flags, LPMAPITABLE *out);

/* A directory container's contents table (CT-7, TB-19).  cfg is the
 * container's configuration (borrowed for the call). */
ABP_WUR HRESULT abp_contents_table_new(struct abp_session *s, struct abp_lasterr *le,
                                       const struct abp_container_cfg *cfg, ULONG flags,
                                       LPMAPITABLE *out);
/* IABContainer::GetContentsTable of a directory container. */
ABP_WUR HRESULT abp_contents_table_open(struct abp_propobj *o, const struct abp_container_cfg *cfg,
                                        ULONG flags, LPMAPITABLE *out);

/* A distribution list's member table (MU-3): group is the DL's bag. */
#define ABP_MEMBERS_MAX 5000
ABP_WUR HRESULT abp_members_table_new(struct abp_session *s, struct abp_lasterr *le,
                                      const struct abp_props *group, ULONG flags,
                                      LPMAPITABLE *out);
/* IDistList::GetContentsTable (o is the DL's state, its bag the group). */
ABP_WUR HRESULT abp_members_table_open(struct abp_propobj *o, ULONG flags, LPMAPITABLE *out);

#endif /* LDAPAB_TABLE_H */
