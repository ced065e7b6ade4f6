/*
 * secret.h - Windows only: the bind password kept in the profile sealed
 * with DPAPI (CryptProtectData, the current user's key) rather than in
 * clear.  ServiceEntry seals what it stores; the configuration reader
 * opens it.  A sealed value is the text "dpapi:" followed by the base64 of
 * the DPAPI blob, so it stays in the string property PR_LDAPAB_BIND_PASSWORD
 * (the same tag, the same deletion, the same secure ID range, CF-5).
 * This header names no MAPI or Windows type.
 */
#ifndef LDAPAB_SECRET_H
#define LDAPAB_SECRET_H

#ifdef _WIN32
#define ABP_SECRET_PREFIX "dpapi:"

/* "dpapi:<base64>" of utf8 sealed for the current user (malloc'd), or NULL
 * (out of memory, DPAPI failed). */
char *abp_secret_seal(const char *utf8);
/* Whether text is a sealed value. */
int abp_secret_is_sealed(const char *text);
/* The clear text of a sealed value (malloc'd; the caller wipes and frees
 * it), or NULL: not sealed by this user on this machine, damaged, or out
 * of memory. */
char *abp_secret_open(const char *text);
#endif

#endif /* LDAPAB_SECRET_H */
