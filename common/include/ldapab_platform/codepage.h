/*
 * codepage.h - Windows only: the ANSI code page (CP_ACP) that 8-bit MAPI
 * strings use there (MU-6).  Strings are NUL-terminated UTF-16 as uint16_t
 * (the MAPI WCHAR, never wchar_t).  A character the code page lacks becomes
 * the code page's default character, "?".
 */
#ifndef LDAPAB_PLATFORM_CODEPAGE_H
#define LDAPAB_PLATFORM_CODEPAGE_H

#ifdef _WIN32
#include <stddef.h>
#include <stdint.h>

/* UTF-16 → ANSI into out (cap bytes, may be 0 with out NULL).  Returns the
 * bytes needed including the NUL (0 if the conversion fails); when it does
 * not fit, writes as much as fits, NUL-terminated. */
size_t plat_utf16_to_acp(const uint16_t *in, char *out, size_t cap);
/* ANSI → malloc'd UTF-16, or NULL (NULL input, out of memory). */
uint16_t *plat_acp_to_utf16_dup(const char *in);
#endif

#endif /* LDAPAB_PLATFORM_CODEPAGE_H */
