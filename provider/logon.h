/*
 * logon.h - the logon object (IABLogon) and the status object (IMAPIStatus)
 * as the rest of the provider sees them (internal).
 */
#ifndef LDAPAB_LOGON_H
#define LDAPAB_LOGON_H

#include "base.h"
#include "lasterr.h"

/* The status object's entry ID locator (ABP_EID_STATUS, ST-2). */
#define ABP_STATUS_LOCATOR "status"
/* The root container's entry ID locator (ABP_EID_ROOT, CT-1): the only one
 * OpenEntry, CompareEntryIDs and Advise accept for a root ID (LO-2f). */
#define ABP_ROOT_LOCATOR "root"

/* The logon object (ablogon.c).  Takes the caller's session reference on
 * success; AddRefs sup once (LC-12), released in Logoff or the final Release. */
ABP_WUR HRESULT abp_logon_new(struct abp_session *s, LPMAPISUP sup, IABLogon **out);
/* Add the status row (LC-20, ST-3); failure is not fatal and only logged in
 * the logon's last error. */
void abp_logon_add_status_row(IABLogon *logon);

/* ValidateState(CONFIG_CHANGED) (ST-4): re-read and validate the profile
 * section through the logon's support object.  The settings of a running
 * logon stay as they are (its children borrow them); valid changes take
 * effect at the next Logon.  MAPI_E_UNCONFIGURED (recorded in le, naming the
 * setting) when the profile no longer holds a usable configuration.  Call
 * between abp_session_enter()/leave(); MAPI_E_INVALID_OBJECT once logged off. */
ABP_WUR HRESULT abp_logon_recheck_profile(struct abp_session *s, struct abp_lasterr *le);

/* IABLogon::OpenEntry (LO-2) with failures recorded in le - the last-error
 * slot of the object the client called, so a container's or a DL's own
 * GetLastError explains its OpenEntry (CT-14, LO-1/MU-8).  logon is the
 * session's logon (s->logon); call between abp_session_enter()/leave(). */
ABP_WUR HRESULT abp_logon_open_entry(IABLogon *logon, struct abp_lasterr *le, ULONG cb,
                                     LPENTRYID eid, LPCIID iid, ULONG flags, ULONG *type,
                                     LPUNKNOWN *out);

/* The status object (status.c, ST-1..ST-6): one reference, holding a session
 * reference.  ValidateState re-checks the directory through s->conn. */
ABP_WUR HRESULT abp_status_new(struct abp_session *s, IMAPIStatus **out);

#endif /* LDAPAB_LOGON_H */
