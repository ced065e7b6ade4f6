/* ldapab host: session, logon and support-object internals shared by session.c/support.c. */
#ifndef LDAPAB_HOST_SESSION_INTERNAL_H
#define LDAPAB_HOST_SESSION_INTERNAL_H

#include "host_internal.h"
#include "ldapab_host/session.h"

typedef struct host_support host_support;

/*
 * Lock rule: no sink or provider method (not even AddRef/Release) is ever called while a
 * host lock is held, because a sink or provider may call straight back into the host.
 * Records reachable from the session are therefore pinned with a host-side count under
 * the lock, and the callbacks run after it is dropped; the last unpin (never under a
 * lock) releases the sink or logon.
 */

/*
 * One Subscribe registration (listed in the session, owned by the subscribing support).
 * Everything but pins is immutable once listed.
 */
typedef struct host_sub {
    atomic_uint pins;        /* the session list's + one per Notify delivering through it */
    ULONG_PTR conn;
    host_support *owner;
    LPNOTIFKEY key;          /* internal copy */
    ULONG mask;
    LPMAPIADVISESINK sink;   /* the record's reference, released by the last unpin */
    struct host_sub *detached; /* Sup_Release's private list once unlisted */
} host_sub;

/* Drops one pin; the last releases the sink and frees the record. No host lock held. */
void host__sub_unpin(host_sub *r);

struct host_session {
    atomic_uint refs;        /* the creator's + one per live support object */
    plat_mutex lock;         /* guards everything below and every support's uids/status */
    host_support **supports; /* live support objects, creation order (routing order) */
    size_t nsupports;
    host_logon **logons;
    size_t nlogons;
    host_sub **subs;
    size_t nsubs;
    ULONG_PTR next_conn;
    size_t leaked_subs;
    struct host_trace *trace; /* borrowed */
};

struct host_logon {
    atomic_uint pins;        /* 1 while published + one per routed call using it */
    host_session *session;
    host_provider *provider;
    host_profile *profile;
    LPABLOGON ablogon;       /* the host's reference, released by the last unpin */
    host_support *support;   /* weak; NULL once the support object is gone (HO-5) */
};

/* Pin l (caller holds s->lock, l published) / drop a pin (no host lock held; the last
 * one, after host_session_logoff unpublished l, releases the IABLogon and frees l). */
void host__logon_pin_locked(host_logon *l);
void host__logon_unpin(host_logon *l);

void host__session_addref(host_session *s);
void host__session_release(host_session *s);

/* Creates a support object (refcount 1) registered in s; profile referenced. */
HRESULT host__support_new(host_session *s, host_profile *profile, host_support **out) HOST_WUR;
LPMAPISUP host__support_iface(host_support *sup);
/* Caller holds s->lock. */
void host__support_set_logon_locked(host_support *sup, host_logon *l);
/* Caller holds s->lock: 1 if sup registered uid. */
int host__support_has_uid_locked(host_support *sup, const MAPIUID *uid);
host_logon *host__support_logon_locked(host_support *sup);

/* Provider-side internals used by the session (loader.c). */
void host__provider_addref(host_provider *p);
void host__provider_release(host_provider *p);
LPABPROVIDER host__provider_ab(host_provider *p);
struct host_trace *host__provider_trace(host_provider *p);

/* IProviderAdmin for ServiceEntry (provadmin.c). */
HRESULT host__provadmin_new(host_profile *profile, LPPROVIDERADMIN *out) HOST_WUR;

#endif
