/*
 * config_defaults.c - the defaults lb_config_init() gives every setting,
 * one table for both backends (libldap and wldap32), so they never drift.
 */
#include <string.h>

#include <ldapbridge/lb.h>

void lb_config_init(struct lb_config *cfg)
{
	if (cfg == NULL)
		return;
	memset(cfg, 0, sizeof(*cfg));
	cfg->tls_mode = LB_TLS_NONE;
	cfg->tls_reqcert = LB_REQCERT_DEMAND;
	cfg->bind_method = LB_BIND_ANONYMOUS;
	cfg->connect_timeout_ms = 6000;
	cfg->op_timeout_ms = 8000;
	cfg->time_limit_s = 60;
	cfg->size_limit = 0;
	cfg->page_size = 1000;
	cfg->chase_referrals = false;
	cfg->deref = LB_DEREF_NEVER;
	cfg->backoff_s = 30;
	cfg->backoff_max_s = 600;
	cfg->busy_retries = 2;
}
