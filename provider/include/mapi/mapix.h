/*
 * mapi/mapix.h - the few Extended MAPI client definitions ldapab needs
 * (ldapab's own; mapi-abi.md 4.2).  Includes the other MAPI headers, as
 * Microsoft's MAPIX.h does.
 */
#ifndef LDAPAB_MAPI_MAPIX_H
#define LDAPAB_MAPI_MAPIX_H

#include <mapi/mapidefs.h>
#include <mapi/mapicode.h>
#include <mapi/mapiguid.h>
#include <mapi/mapitags.h>

/* MAPISVC.INF PR_RESOURCE_FLAGS service bits (MS-H MAPIX.h, mingw-w64 mapix.h). */
#define SERVICE_DEFAULT_STORE       ((ULONG)0x00000001)
#define SERVICE_SINGLE_COPY         ((ULONG)0x00000002)
#define SERVICE_CREATE_WITH_STORE   ((ULONG)0x00000004)
#define SERVICE_PRIMARY_IDENTITY    ((ULONG)0x00000008)
#define SERVICE_NO_PRIMARY_IDENTITY ((ULONG)0x00000020)

#endif /* LDAPAB_MAPI_MAPIX_H */
