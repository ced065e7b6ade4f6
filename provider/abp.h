/*
 * abp.h - what the provider's objects share (internal to provider/), one
 * header per subject:
 *   base.h     ABI headers, ldapbridge, entry IDs, common macros
 *   lasterr.h  per-object last error, MAPIERROR, ldapbridge → MAPI codes
 *   config.h   the profile's settings (struct abp_config)
 *   session.h  the session a logon shares with its objects
 *   logon.h    the logon and status objects
 */
#ifndef LDAPAB_ABP_H
#define LDAPAB_ABP_H

#include "base.h"
#include "lasterr.h"
#include "config.h"
#include "session.h"
#include "logon.h"

#endif /* LDAPAB_ABP_H */
