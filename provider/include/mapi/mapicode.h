/*
 * mapi/mapicode.h - MAPI status codes (ldapab's own; values from mapi-abi.md 5.3).
 *
 * Every code is an HRESULT constant expression: usable in case labels and
 * static assertions.  MAPI_E_* are failures (bit 31 set), MAPI_W_* are
 * success codes carrying a warning: test them with SUCCEEDED/FAILED, compare
 * them with ==.  Simple MAPI's small-integer MAPI_E_* (MAPI.h) are a different
 * namespace and are not defined here.
 */
#ifndef LDAPAB_MAPI_MAPICODE_H
#define LDAPAB_MAPI_MAPICODE_H

#include <mapi/mapidefs.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FACILITY_NULL 0
#define FACILITY_RPC  1
#define FACILITY_DISPATCH 2
#define FACILITY_STORAGE  3
#define FACILITY_ITF  4
#define FACILITY_WIN32 7

#define SEVERITY_SUCCESS 0
#define SEVERITY_ERROR   1

#define MAKE_MAPI_SCODE(sev, fac, code) \
    ((SCODE)((((ULONG)(sev)) << 31) | (((ULONG)(fac)) << 16) | ((ULONG)(code))))
#define MAKE_MAPI_E(err) MAKE_MAPI_SCODE(1, FACILITY_ITF, (err))
#define MAKE_MAPI_S(warn) MAKE_MAPI_SCODE(0, FACILITY_ITF, (warn))

#define SUCCESS_SUCCESS 0

#define HR_SUCCEEDED(_hr) SUCCEEDED((SCODE)(_hr))
#define HR_FAILED(_hr)    FAILED((SCODE)(_hr))
#define GetScode(hr)      ((SCODE)(hr))
#define ResultFromScode(sc) ((HRESULT)(sc))
#define MakeResult(sc)    ((HRESULT)(sc))

/* Generic COM codes. */
#define S_OK          ((HRESULT)0x00000000)
#define S_FALSE       ((HRESULT)0x00000001)
#define E_NOTIMPL     ((HRESULT)0x80004001)
#define E_NOINTERFACE ((HRESULT)0x80004002)
#define E_POINTER     ((HRESULT)0x80004003)
#define E_FAIL        ((HRESULT)0x80004005)
#define E_UNEXPECTED  ((HRESULT)0x8000FFFF)
#define E_ACCESSDENIED ((HRESULT)0x80070005)
#define E_OUTOFMEMORY ((HRESULT)0x8007000E)
#define E_INVALIDARG  ((HRESULT)0x80070057)

/* MAPI codes that are COM codes. */
#define MAPI_E_CALL_FAILED             E_FAIL
#define MAPI_E_NOT_ENOUGH_MEMORY       E_OUTOFMEMORY
#define MAPI_E_INVALID_PARAMETER       E_INVALIDARG
#define MAPI_E_INTERFACE_NOT_SUPPORTED E_NOINTERFACE
#define MAPI_E_NO_ACCESS               E_ACCESSDENIED

/* Errors (FACILITY_ITF). */
#define MAPI_E_NO_SUPPORT                  ((HRESULT)0x80040102)
#define MAPI_E_BAD_CHARWIDTH               ((HRESULT)0x80040103)
#define MAPI_E_STRING_TOO_LONG             ((HRESULT)0x80040105)
#define MAPI_E_UNKNOWN_FLAGS               ((HRESULT)0x80040106)
#define MAPI_E_INVALID_ENTRYID             ((HRESULT)0x80040107)
#define MAPI_E_INVALID_OBJECT              ((HRESULT)0x80040108)
#define MAPI_E_OBJECT_CHANGED              ((HRESULT)0x80040109)
#define MAPI_E_OBJECT_DELETED              ((HRESULT)0x8004010A)
#define MAPI_E_BUSY                        ((HRESULT)0x8004010B)
#define MAPI_E_NOT_ENOUGH_DISK             ((HRESULT)0x8004010D)
#define MAPI_E_NOT_ENOUGH_RESOURCES        ((HRESULT)0x8004010E)
#define MAPI_E_NOT_FOUND                   ((HRESULT)0x8004010F)
#define MAPI_E_VERSION                     ((HRESULT)0x80040110)
#define MAPI_E_LOGON_FAILED                ((HRESULT)0x80040111)
#define MAPI_E_SESSION_LIMIT               ((HRESULT)0x80040112)
#define MAPI_E_USER_CANCEL                 ((HRESULT)0x80040113)
#define MAPI_E_UNABLE_TO_ABORT             ((HRESULT)0x80040114)
#define MAPI_E_NETWORK_ERROR               ((HRESULT)0x80040115)
#define MAPI_E_DISK_ERROR                  ((HRESULT)0x80040116)
#define MAPI_E_TOO_COMPLEX                 ((HRESULT)0x80040117)
#define MAPI_E_BAD_COLUMN                  ((HRESULT)0x80040118)
#define MAPI_E_EXTENDED_ERROR              ((HRESULT)0x80040119)
#define MAPI_E_COMPUTED                    ((HRESULT)0x8004011A)
#define MAPI_E_CORRUPT_DATA                ((HRESULT)0x8004011B)
#define MAPI_E_UNCONFIGURED                ((HRESULT)0x8004011C)
#define MAPI_E_FAILONEPROVIDER             ((HRESULT)0x8004011D)
#define MAPI_E_UNKNOWN_CPID                ((HRESULT)0x8004011E)
#define MAPI_E_UNKNOWN_LCID                ((HRESULT)0x8004011F)
#define MAPI_E_PASSWORD_CHANGE_REQUIRED    ((HRESULT)0x80040120)
#define MAPI_E_PASSWORD_EXPIRED            ((HRESULT)0x80040121)
#define MAPI_E_INVALID_WORKSTATION_ACCOUNT ((HRESULT)0x80040122)
#define MAPI_E_INVALID_ACCESS_TIME         ((HRESULT)0x80040123)
#define MAPI_E_ACCOUNT_DISABLED            ((HRESULT)0x80040124)
#define MAPI_E_RECONNECTED                 ((HRESULT)0x80040125)  /* MS-D only */
#define MAPI_E_OFFLINE                     ((HRESULT)0x80040126)  /* MS-D only */
#define MAPI_E_END_OF_SESSION              ((HRESULT)0x80040200)
#define MAPI_E_UNKNOWN_ENTRYID             ((HRESULT)0x80040201)
#define MAPI_E_MISSING_REQUIRED_COLUMN     ((HRESULT)0x80040202)
#define MAPI_E_BAD_VALUE                   ((HRESULT)0x80040301)
#define MAPI_E_INVALID_TYPE                ((HRESULT)0x80040302)
#define MAPI_E_TYPE_NO_SUPPORT             ((HRESULT)0x80040303)
#define MAPI_E_UNEXPECTED_TYPE             ((HRESULT)0x80040304)
#define MAPI_E_TOO_BIG                     ((HRESULT)0x80040305)
#define MAPI_E_DECLINE_COPY                ((HRESULT)0x80040306)
#define MAPI_E_UNEXPECTED_ID               ((HRESULT)0x80040307)
#define MAPI_E_UNABLE_TO_COMPLETE          ((HRESULT)0x80040400)
#define MAPI_E_TIMEOUT                     ((HRESULT)0x80040401)
#define MAPI_E_TABLE_EMPTY                 ((HRESULT)0x80040402)
#define MAPI_E_TABLE_TOO_BIG               ((HRESULT)0x80040403)
#define MAPI_E_INVALID_BOOKMARK            ((HRESULT)0x80040405)
#define MAPI_E_WAIT                        ((HRESULT)0x80040500)
#define MAPI_E_CANCEL                      ((HRESULT)0x80040501)
#define MAPI_E_NOT_ME                      ((HRESULT)0x80040502)
#define MAPI_E_CORRUPT_STORE               ((HRESULT)0x80040600)
#define MAPI_E_NOT_IN_QUEUE                ((HRESULT)0x80040601)
#define MAPI_E_NO_SUPPRESS                 ((HRESULT)0x80040602)
#define MAPI_E_COLLISION                   ((HRESULT)0x80040604)
#define MAPI_E_NOT_INITIALIZED             ((HRESULT)0x80040605)
#define MAPI_E_NON_STANDARD                ((HRESULT)0x80040606)
#define MAPI_E_NO_RECIPIENTS               ((HRESULT)0x80040607)
#define MAPI_E_SUBMITTED                   ((HRESULT)0x80040608)
#define MAPI_E_HAS_FOLDERS                 ((HRESULT)0x80040609)
#define MAPI_E_HAS_MESSAGES                ((HRESULT)0x8004060A)
#define MAPI_E_FOLDER_CYCLE                ((HRESULT)0x8004060B)
#define MAPI_E_AMBIGUOUS_RECIP             ((HRESULT)0x80040700)

/* Warnings: success codes. */
#define MAPI_W_NO_SERVICE                  ((HRESULT)0x00040203)
#define MAPI_W_ERRORS_RETURNED             ((HRESULT)0x00040380)
#define MAPI_W_POSITION_CHANGED            ((HRESULT)0x00040481)
#define MAPI_W_APPROX_COUNT                ((HRESULT)0x00040482)
#define MAPI_W_CANCEL_MESSAGE              ((HRESULT)0x00040580)
#define MAPI_W_PARTIAL_COMPLETION          ((HRESULT)0x00040680)

#ifdef __cplusplus
}
#endif

#endif /* LDAPAB_MAPI_MAPICODE_H */
