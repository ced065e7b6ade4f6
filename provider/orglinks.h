/*
 * orglinks.h - a person's manager and direct reports: the DN-valued
 * attributes (manager, directReports) resolved to the entries they name
 * (internal).
 *
 * An opened person shows them as PR_EMS_AB_MANAGER and PR_EMS_AB_REPORTS
 * (PT_OBJECT: tables of the referenced entries, with their entry IDs and
 * names) and PR_MANAGER_NAME (the manager's display name).
 */
#ifndef LDAPAB_ORGLINKS_H
#define LDAPAB_ORGLINKS_H

#include <stdbool.h>
#include <stddef.h>

#include "abp.h"
#include "lookup.h"
#include "props.h"

/* Direct reports read at most (a longer list is cut and flagged). */
#define ABP_REPORTS_MAX 200u

struct abp_orglinks {
	struct abp_props *manager;      /* NULL, or one bag */
	struct abp_props *reports;      /* n_reports bags, by display name */
	size_t n_reports;
	bool reports_partial;           /* cut at ABP_REPORTS_MAX (or a server limit) */
};

/* Empty links. */
void abp_orglinks_init(struct abp_orglinks *l);
/* Free what l holds; leaves it empty. */
void abp_orglinks_free(struct abp_orglinks *l);

/*
 * Resolve the links of the person entry e (read with d->detail_attrs), in
 * one batch of searches (one round trip): the manager DN by a base search;
 * the direct reports by base searches of the directReports values (Active
 * Directory), or else by a search for (manager=<e's DN>) under each base.
 * Only people and groups inside the configured bases are kept (as OpenEntry
 * would open them: LO-2); a DN that is gone, unreadable or outside is left
 * out.  Each bag is a table row (abp_dir_row: PR_INSTANCE_KEY, EK-8).
 * MAPI_E_INVALID_OBJECT once Logoff has begun; ldapbridge failures via
 * abp_dir_fail; MAPI_E_NOT_ENOUGH_MEMORY.  out is initialised here and left
 * empty on failure.
 */
ABP_WUR HRESULT abp_orglinks_read(struct abp_session *s, struct abp_lasterr *le,
                                  const struct abp_dir *d, const lb_entry *e,
                                  struct abp_orglinks *out);

#endif /* LDAPAB_ORGLINKS_H */
