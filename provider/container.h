/*
 * container.h - address book containers: the root (CT-1) and one directory
 * container per configured container (internal).
 */
#ifndef LDAPAB_CONTAINER_H
#define LDAPAB_CONTAINER_H

#include <ldapab/profile.h>

#include "abp.h"

/* New root container (CT-1) or directory container (cfg != NULL), one
 * reference, holding a session reference. */
ABP_WUR HRESULT abp_container_new(struct abp_session *s,
                                  const struct abp_container_cfg *cfg,
                                  IABContainer **out);

/* PR_AB_PROVIDER_ID (CT-2): LDAPAB_AB_PROVIDER_ID_BYTES of <ldapab/profile.h>. */
#define ABP_AB_PROVIDER_ID_BYTES LDAPAB_AB_PROVIDER_ID_BYTES
#endif /* LDAPAB_CONTAINER_H */
