/*
 * config.h - the profile section's settings → struct abp_config (CF-1, CF-6,
 * LC-13, LC-15).  Internal to provider/.
 *
 * Logon asks the section for abp_config_tags() (every setting by ID with
 * PT_UNSPECIFIED, so _A and _W values are both accepted), then hands what
 * came back to abp_config_from_props(), which validates everything before a
 * connection object exists.
 */
#ifndef LDAPAB_CONFIG_H
#define LDAPAB_CONFIG_H

#include "base.h"

struct abp_container_cfg {
	char *id;                   /* stable ASCII ID used in entry IDs */
	char *display_name;         /* UTF-8 */
	char *base_dn;              /* NULL: the directory's base */
	char *filter;               /* extra raw filter ANDed in, or NULL */
};

/* Where the provider's log lines go: ldapbridge's warnings (TLS checking
 * switched off, a server skipped after a failure, a result cut short) and
 * errors.  msg is UTF-8 and never holds a password (ldapbridge keeps them
 * out; provider code must too).  May be called with ldapbridge's connection
 * mutex held: must not call back into ldapbridge or the provider. */
typedef void (*abp_log_fn)(void *ctx, enum lb_log_level level, const char *msg);

/* The default sink: one line "ldapab: <level>: <msg>" on stderr for
 * warnings and errors; debug and info lines only when the environment
 * variable LDAPAB_DEBUG is set (non-empty).  Control bytes in msg are shown
 * as spaces so one message is one line.  ctx is unused. */
void abp_log_stderr(void *ctx, enum lb_log_level level, const char *msg);

struct abp_config {
	struct lb_config lb;        /* strings below are owned by this struct;
	                             * lb.log/lb.log_ctx route to log below */
	abp_log_fn log;             /* abp_log_stderr unless a test swaps it
	                             * (before the connection is opened) */
	void *log_ctx;
	char *uris, *base_dn, *bind_dn, *password, *password_file;
	char *ca_file, *ca_dir, *cert_file, *key_file;
	char *person_filter, *group_filter;
	char *display_name;         /* PR_DISPLAY_NAME of the provider/section */
	int browse_mode;            /* enum ldapab_browse_mode */
	int schema;                 /* enum ldapab_schema */
	size_t n_attr_map;
	char **attr_map;            /* "mapi-name=ldap-attr" overrides */
	size_t n_containers;
	struct abp_container_cfg *containers;
};

/* Limits accepted for the numeric settings (seconds / entries). */
#define ABP_CFG_TIMEOUT_MAX   3600
#define ABP_CFG_SIZELIMIT_MAX 1000000
#define ABP_CFG_PAGESIZE_MAX  100000
#define ABP_CFG_BACKOFF_MAX   600       /* ldapbridge's default doubling cap */
#define ABP_CFG_CONTAINERS_MAX 64

/* The tags Logon reads: all settings, PR_DISPLAY_NAME and
 * PR_LDAPAB_INSTANCE_UID.  Static storage. */
const SPropTagArray *abp_config_tags(void);

/*
 * Validate the settings in props[0..n) (PT_ERROR slots and absent IDs are
 * "not set") and build a configuration: ranges, DNs (lb_dn_normalize),
 * filters, every attribute-map override (abp_attrmap_parse_override: known
 * MAPI name, valid attribute, no secrets, at most 40), bind-method
 * consistency, and that the TLS CA file/directory exist and are readable.
 * Every container - also the default one - gets cfg->containers[i].id =
 * "c" + 16 hex digits from its effective base DN (normalised) and filter.
 *   out: receives the new configuration (free with abp_config_free).
 *   msg: receives, on MAPI_E_UNCONFIGURED, one sentence naming the setting by
 *        its README name and tag and saying what to set.  Never contains the
 *        password.
 * Returns S_OK; MAPI_E_UNCONFIGURED (missing/invalid setting);
 * MAPI_E_NOT_ENOUGH_MEMORY; MAPI_E_INVALID_PARAMETER (NULL out/msg).
 */
ABP_WUR HRESULT abp_config_from_props(ULONG n, const SPropValue *props,
                                      struct abp_config **out,
                                      char *msg, size_t msglen);

/*
 * Read and validate our profile section through sup (LC-13: opened, read,
 * released before returning; MAPI_MODIFY only to store a new instance UID).
 *   fb:       frees what IProfSect::GetProps returned (password wiped first)
 *   make_uid: when PR_LDAPAB_INSTANCE_UID is missing, make one (NewUID) and
 *             store it (LC-14); else leave uid_out untouched
 *   uid_lock: held around re-reading/making/storing the UID, so concurrent
 *             first Logons of one provider object agree on one UID (LC-10);
 *             the UID is re-read after the section is opened for writing,
 *             so one stored by anyone before that open is taken, not
 *             replaced (writers outside this provider object that store
 *             between that re-read and our SetProps are not excluded: MAPI
 *             has no lock for that).  NULL: no lock (callers that never
 *             make a UID)
 *   uid_out:  this instance's MAPIUID, or NULL
 *   msg:      the reason on failure (names the setting; no password)
 * Returns S_OK; MAPI_E_UNCONFIGURED (settings, damaged UID); the section's
 * or the support object's error; MAPI_E_NOT_ENOUGH_MEMORY.
 */
ABP_WUR HRESULT abp_config_read_profile(LPMAPISUP sup, LPFREEBUFFER fb, bool make_uid,
                                        plat_mutex *uid_lock,
                                        struct abp_config **cfg_out, MAPIUID *uid_out,
                                        char *msg, size_t msglen);

/* Free a configuration (password wiped first).  NULL accepted. */
void abp_config_free(struct abp_config *cfg);

#endif /* LDAPAB_CONFIG_H */
