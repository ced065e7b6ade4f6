/*
 * mapi/mapidefs.h - MAPI base types, structures and interfaces (ldapab's own).
 *
 * Written for ldapab from the facts in doc "mapi-abi.md" (MAPI ABI reference);
 * names and the file split follow Microsoft's Outlook MAPI headers so that code
 * reads the same as on Windows.  The headers are self-contained: they never
 * include a Windows header and must not be mixed with <windows.h> or the
 * toolchain's own <mapidefs.h> in one translation unit.
 *
 * Portability rules that make the layouts equal to Win64 on Linux x86-64:
 *   - ULONG is uint32_t (never "unsigned long", which is 8 bytes on LP64);
 *   - WCHAR is uint16_t (never wchar_t, which is 4 bytes on Linux): MAPI
 *     Unicode is UTF-16LE;
 *   - pointer-sized integers (ULONG_PTR, LHANDLE, BOOKMARK) are uintptr_t.
 *
 * Charset of LPTSTR: this is a non-UNICODE build in Microsoft's sense, so
 * LPTSTR is "char *" and the unsuffixed PR_* string tags are the _A forms.
 * What an LPTSTR really points at is decided at run time: when the call's
 * ulFlags (or the structure's ulFlags) carry MAPI_UNICODE it points at WCHARs
 * and must be cast to LPWSTR.
 *
 * Calling conventions: STDMETHODCALLTYPE and STDAPICALLTYPE are __stdcall and
 * STDMAPIINITCALLTYPE is __cdecl on 32-bit x86 Windows only; everywhere else
 * (x64 Windows, Linux) there is one convention and the macros are empty.
 *
 * Interfaces are C structs whose only member is the vtable pointer
 * (struct IFoo { const IFooVtbl *lpVtbl; }).  Every method has a call macro
 * IFoo_Method(This, ...) that expands to This->lpVtbl->Method(This, ...);
 * "This" is evaluated twice, as in Microsoft's macros.
 */
#ifndef LDAPAB_MAPI_MAPIDEFS_H
#define LDAPAB_MAPI_MAPIDEFS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Calling conventions                                                 */
/* ------------------------------------------------------------------ */

#if defined(_WIN32) && !defined(_WIN64)
#define STDMETHODCALLTYPE   __stdcall
#define STDAPICALLTYPE      __stdcall
#define STDMAPIINITCALLTYPE __cdecl
#else
#define STDMETHODCALLTYPE
#define STDAPICALLTYPE
#define STDMAPIINITCALLTYPE
#endif

/* ------------------------------------------------------------------ */
/* Scalar types (spec 1.1)                                             */
/* ------------------------------------------------------------------ */

typedef uint8_t BYTE;
typedef uint16_t WORD;
typedef uint16_t USHORT;
typedef uint32_t ULONG;
typedef uint32_t DWORD;
typedef int32_t LONG;
typedef int32_t SCODE;
typedef int32_t HRESULT;
typedef int32_t BOOL;
typedef int64_t LONGLONG;
typedef uint64_t ULONGLONG;
typedef uintptr_t ULONG_PTR;
typedef intptr_t LONG_PTR;
typedef uintptr_t SIZE_T;
typedef ULONG_PTR LHANDLE;
typedef LHANDLE *LPLHANDLE;
/* MS-H: pointer-sized.  mingw-w64 and Wine use ULONG (spec section 7). */
typedef ULONG_PTR BOOKMARK;

typedef void *LPVOID;
typedef BYTE *LPBYTE;
typedef ULONG *LPULONG;
typedef LONG *LPLONG;
typedef struct HINSTANCE__ *HINSTANCE;

/* UTF-16 code unit; see the header comment. */
typedef uint16_t WCHAR;
typedef char *LPSTR;
typedef const char *LPCSTR;
typedef WCHAR *LPWSTR;
typedef const WCHAR *LPCWSTR;
/* char or WCHAR by MAPI_UNICODE at run time; see the header comment. */
typedef char TCHAR;
typedef TCHAR *LPTSTR;
typedef const TCHAR *LPCTSTR;

#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif

#define SUCCEEDED(hr) ((HRESULT)(hr) >= 0)
#define FAILED(hr)    ((HRESULT)(hr) < 0)

/* ------------------------------------------------------------------ */
/* Compound basic types (spec 1.2)                                     */
/* ------------------------------------------------------------------ */

typedef struct _FILETIME {
    DWORD dwLowDateTime;
    DWORD dwHighDateTime;
} FILETIME, *LPFILETIME;

/* Anonymous and named halves, as in Microsoft's winnt.h. */
typedef union _LARGE_INTEGER {
    struct {
        DWORD LowPart;
        LONG HighPart;
    };
    struct {
        DWORD LowPart;
        LONG HighPart;
    } u;
    LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

/* Anonymous halves, as in Microsoft's wtypes.h: cur.Lo, cur.Hi. */
typedef union tagCY {
    struct {
        ULONG Lo;
        LONG Hi;
    };
    LONGLONG int64;
} CY, CURRENCY;

typedef struct _GUID {
    uint32_t Data1;
    uint16_t Data2;
    uint16_t Data3;
    uint8_t Data4[8];
} GUID, *LPGUID;
typedef GUID IID;
typedef GUID CLSID;
typedef IID *LPIID;
typedef const IID *REFIID;
typedef const IID *LPCIID;
typedef const GUID *REFGUID;
typedef const CLSID *REFCLSID;

/* Raw provider UID bytes: not a GUID, byte order independent. */
typedef struct _MAPIUID {
    BYTE ab[16];
} MAPIUID, *LPMAPIUID;

#define MAPI_DIM 1

/* ------------------------------------------------------------------ */
/* Interface forward declarations                                      */
/* ------------------------------------------------------------------ */

typedef struct IUnknown IUnknown;
typedef IUnknown *LPUNKNOWN;
typedef struct IMalloc IMalloc;
typedef IMalloc *LPMALLOC;
typedef struct IMAPIProp IMAPIProp;
typedef IMAPIProp *LPMAPIPROP;
typedef struct IMailUser IMailUser;
typedef IMailUser *LPMAILUSER;
typedef struct IProfSect IProfSect;
typedef IProfSect *LPPROFSECT;
typedef struct IMAPIStatus IMAPIStatus;
typedef IMAPIStatus *LPMAPISTATUS;
typedef struct IMAPIContainer IMAPIContainer;
typedef IMAPIContainer *LPMAPICONTAINER;
typedef struct IABContainer IABContainer;
typedef IABContainer *LPABCONT;
typedef struct IDistList IDistList;
typedef IDistList *LPDISTLIST;
typedef struct IMAPITable IMAPITable;
typedef IMAPITable *LPMAPITABLE;
typedef struct IMAPIAdviseSink IMAPIAdviseSink;
typedef IMAPIAdviseSink *LPMAPIADVISESINK;
typedef struct IMAPIProgress IMAPIProgress;
typedef IMAPIProgress *LPMAPIPROGRESS;
typedef struct IMAPIProviderShutdown IMAPIProviderShutdown;
typedef IMAPIProviderShutdown *LPMAPIPROVIDERSHUTDOWN;
/* Only passed through by an address book provider: opaque here. */
typedef struct IMessage IMessage;
typedef IMessage *LPMESSAGE;
typedef struct IAddrBook IAddrBook;
typedef IAddrBook *LPADRBOOK;
typedef struct IMAPIFolder IMAPIFolder;
typedef IMAPIFolder *LPMAPIFOLDER;
typedef struct IStorage IStorage;
typedef IStorage *LPSTORAGE;

/* ------------------------------------------------------------------ */
/* Allocators (spec 4.1)                                               */
/* ------------------------------------------------------------------ */

typedef SCODE (STDMETHODCALLTYPE ALLOCATEBUFFER)(ULONG cbSize, LPVOID *lppBuffer);
typedef SCODE (STDMETHODCALLTYPE ALLOCATEMORE)(ULONG cbSize, LPVOID lpObject, LPVOID *lppBuffer);
typedef ULONG (STDAPICALLTYPE FREEBUFFER)(LPVOID lpBuffer);
typedef ALLOCATEBUFFER *LPALLOCATEBUFFER;
typedef ALLOCATEMORE *LPALLOCATEMORE;
typedef FREEBUFFER *LPFREEBUFFER;

/* ------------------------------------------------------------------ */
/* General flags (spec 5.4)                                            */
/* ------------------------------------------------------------------ */

#define MAPI_UNICODE         ((ULONG)0x80000000)
#define MAPI_MODIFY          ((ULONG)0x00000001)
#define MAPI_CREATE          ((ULONG)0x00000002)
#define MAPI_ACCESS_MODIFY   ((ULONG)0x00000001)
#define MAPI_ACCESS_READ     ((ULONG)0x00000002)
#define MAPI_ACCESS_DELETE   ((ULONG)0x00000004)
#define MAPI_ACCESS_CREATE_HIERARCHY ((ULONG)0x00000008)
#define MAPI_ACCESS_CREATE_CONTENTS  ((ULONG)0x00000010)
#define MAPI_ACCESS_CREATE_ASSOCIATED ((ULONG)0x00000020)
#define MAPI_DEFERRED_ERRORS ((ULONG)0x00000008)
#define MAPI_BEST_ACCESS     ((ULONG)0x00000010)
#define MAPI_ASSOCIATED      ((ULONG)0x00000040)
#define MAPI_NO_CACHE        ((ULONG)0x00000200) /* MS-H MAPIAux.h, MS-D */
#define MAPI_CACHE_ONLY      ((ULONG)0x00004000) /* MS-H MAPIAux.h, MS-D */
#define MAPI_DIALOG          ((ULONG)0x00000008)
#define MAPI_MOVE            ((ULONG)0x00000001)
#define MAPI_NOREPLACE       ((ULONG)0x00000002)
#define MAPI_DECLINE_OK      ((ULONG)0x00000004)
#define MAPI_NO_STRINGS      ((ULONG)0x00000001)
#define MAPI_NO_IDS          ((ULONG)0x00000002)
#define KEEP_OPEN_READONLY   ((ULONG)0x00000001)
#define KEEP_OPEN_READWRITE  ((ULONG)0x00000002)
#define FORCE_SAVE           ((ULONG)0x00000004)
#define STREAM_APPEND        ((ULONG)0x00000004)
#define CONVENIENT_DEPTH     ((ULONG)0x00000001)
#define CREATE_CHECK_DUP_STRICT ((ULONG)0x00000001)
#define CREATE_CHECK_DUP_LOOSE  ((ULONG)0x00000002)
#define CREATE_REPLACE          ((ULONG)0x00000004)
#define AB_NO_DIALOG         ((ULONG)0x00000001)
/* IMAPIContainer::SetSearchCriteria */
#define STOP_SEARCH          ((ULONG)0x00000001)
#define RESTART_SEARCH       ((ULONG)0x00000002)
#define RECURSIVE_SEARCH     ((ULONG)0x00000004)
#define SHALLOW_SEARCH       ((ULONG)0x00000008)
#define FOREGROUND_SEARCH    ((ULONG)0x00000010)
#define BACKGROUND_SEARCH    ((ULONG)0x00000020)
#define MAPI_TOP_LEVEL       ((ULONG)0x00000001)

/* ResolveNames FlagList values (spec 3.7). */
#define MAPI_UNRESOLVED      ((ULONG)0x00000000)
#define MAPI_AMBIGUOUS       ((ULONG)0x00000001)
#define MAPI_RESOLVED        ((ULONG)0x00000002)
/* Exchange only (MS-H EMSABTAG.H); listed so callers' flags can be checked. */
#define EMS_AB_ADDRESS_LOOKUP ((ULONG)0x00000001)

/* PR_RECIPIENT_TYPE values. */
#define MAPI_ORIG            0
#define MAPI_TO              1
#define MAPI_CC              2
#define MAPI_BCC             3
#define MAPI_P1              0x10000000
#define MAPI_SUBMITTED       0x80000000

/* ------------------------------------------------------------------ */
/* Property types and tag arithmetic (spec 5.1)                        */
/* ------------------------------------------------------------------ */

#define PT_UNSPECIFIED  ((ULONG)0x0000)
#define PT_NULL         ((ULONG)0x0001)
#define PT_I2           ((ULONG)0x0002)
#define PT_LONG         ((ULONG)0x0003)
#define PT_R4           ((ULONG)0x0004)
#define PT_DOUBLE       ((ULONG)0x0005)
#define PT_CURRENCY     ((ULONG)0x0006)
#define PT_APPTIME      ((ULONG)0x0007)
#define PT_ERROR        ((ULONG)0x000A)
#define PT_BOOLEAN      ((ULONG)0x000B)
#define PT_OBJECT       ((ULONG)0x000D)
#define PT_I8           ((ULONG)0x0014)
#define PT_STRING8      ((ULONG)0x001E)
#define PT_UNICODE      ((ULONG)0x001F)
#define PT_SYSTIME      ((ULONG)0x0040)
#define PT_CLSID        ((ULONG)0x0048)
#define PT_BINARY       ((ULONG)0x0102)
#define PT_PTR          ((ULONG)0x0103) /* MS-H only */

#define PT_SHORT        PT_I2
#define PT_I4           PT_LONG
#define PT_FLOAT        PT_R4
#define PT_R8           PT_DOUBLE
#define PT_LONGLONG     PT_I8
#define PT_TSTRING      PT_STRING8      /* non-UNICODE build */

#define MV_FLAG         0x1000
#define MV_INSTANCE     0x2000
#define MVI_FLAG        (MV_FLAG | MV_INSTANCE)
#define MVI_PROP(tag)   ((tag) | MVI_FLAG)

#define PT_MV_I2        ((ULONG)(MV_FLAG | PT_I2))
#define PT_MV_LONG      ((ULONG)(MV_FLAG | PT_LONG))
#define PT_MV_R4        ((ULONG)(MV_FLAG | PT_R4))
#define PT_MV_DOUBLE    ((ULONG)(MV_FLAG | PT_DOUBLE))
#define PT_MV_CURRENCY  ((ULONG)(MV_FLAG | PT_CURRENCY))
#define PT_MV_APPTIME   ((ULONG)(MV_FLAG | PT_APPTIME))
#define PT_MV_SYSTIME   ((ULONG)(MV_FLAG | PT_SYSTIME))
#define PT_MV_STRING8   ((ULONG)(MV_FLAG | PT_STRING8))
#define PT_MV_BINARY    ((ULONG)(MV_FLAG | PT_BINARY))
#define PT_MV_UNICODE   ((ULONG)(MV_FLAG | PT_UNICODE))
#define PT_MV_CLSID     ((ULONG)(MV_FLAG | PT_CLSID))
#define PT_MV_I8        ((ULONG)(MV_FLAG | PT_I8))
#define PT_MV_SHORT     PT_MV_I2
#define PT_MV_I4        PT_MV_LONG
#define PT_MV_FLOAT     PT_MV_R4
#define PT_MV_R8        PT_MV_DOUBLE
#define PT_MV_LONGLONG  PT_MV_I8
#define PT_MV_TSTRING   PT_MV_STRING8

#define PROP_TYPE_MASK  ((ULONG)0x0000FFFF)
#define PROP_TYPE(ulPropTag)  ((ULONG)((ulPropTag) & PROP_TYPE_MASK))
#define PROP_ID(ulPropTag)    ((ULONG)((ulPropTag) >> 16))
#define PROP_TAG(ulPropType, ulPropID) \
    ((ULONG)((((ULONG)(ulPropID)) << 16) | ((ULONG)(ulPropType))))
#define CHANGE_PROP_TYPE(ulPropTag, ulPropType) \
    ((ULONG)((((ULONG)(ulPropTag)) & 0xFFFF0000) | ((ULONG)(ulPropType))))
#define PROP_ID_NULL     0
#define PROP_ID_INVALID  0xFFFF

/* ------------------------------------------------------------------ */
/* Entry identifiers (spec 2.2)                                        */
/* ------------------------------------------------------------------ */

typedef struct _ENTRYID {
    BYTE abFlags[4];
    BYTE ab[MAPI_DIM];
} ENTRYID, *LPENTRYID;

#define CbNewENTRYID(_cb) (offsetof(ENTRYID, ab) + (_cb))
#define CbENTRYID(_cb)    (offsetof(ENTRYID, ab) + (_cb))
#define SizedENTRYID(_cb, _name) \
    struct _ENTRYID_##_name { BYTE abFlags[4]; BYTE ab[_cb]; } _name

/* abFlags[0] */
#define MAPI_SHORTTERM      0x80
#define MAPI_NOTRECIP       0x40
#define MAPI_THISSESSION    0x20
#define MAPI_NOW            0x10
#define MAPI_NOTRESERVED    0x08
/* abFlags[1] */
#define MAPI_COMPOUND       0x80

/* One-off entry IDs. */
#define MAPI_ONE_OFF_UID { 0x81, 0x2b, 0x1f, 0xa4, 0xbe, 0xa3, 0x10, 0x19, \
                           0x9d, 0x6e, 0x00, 0xdd, 0x01, 0x0f, 0x54, 0x02 }
#define MAPI_ONE_OFF_UNICODE      0x8000
#define MAPI_ONE_OFF_NO_RICH_INFO 0x0001

typedef struct {
    ULONG cb;
    BYTE abEntry[MAPI_DIM];
} FLATENTRY, *LPFLATENTRY;

typedef struct {
    ULONG cEntries;
    ULONG cbEntries;
    BYTE abEntries[MAPI_DIM];
} FLATENTRYLIST, *LPFLATENTRYLIST;

#define CbNewFLATENTRY(_cb)     (offsetof(FLATENTRY, abEntry) + (_cb))
#define CbFLATENTRY(_lpentry)   (offsetof(FLATENTRY, abEntry) + (_lpentry)->cb)
#define CbNewFLATENTRYLIST(_cb) (offsetof(FLATENTRYLIST, abEntries) + (_cb))
#define CbFLATENTRYLIST(_lplist) (offsetof(FLATENTRYLIST, abEntries) + (_lplist)->cbEntries)

/* ------------------------------------------------------------------ */
/* Property values (spec 2.1)                                          */
/* ------------------------------------------------------------------ */

typedef struct _SBinary {
    ULONG cb;
    LPBYTE lpb;
} SBinary, *LPSBinary;

typedef struct _SShortArray {
    ULONG cValues;
    short *lpi;
} SShortArray;

typedef struct _SLongArray {
    ULONG cValues;
    LONG *lpl;
} SLongArray;

typedef struct _SRealArray {
    ULONG cValues;
    float *lpflt;
} SRealArray;

typedef struct _SDoubleArray {
    ULONG cValues;
    double *lpdbl;
} SDoubleArray;

typedef struct _SCurrencyArray {
    ULONG cValues;
    CURRENCY *lpcur;
} SCurrencyArray;

typedef struct _SAppTimeArray {
    ULONG cValues;
    double *lpat;
} SAppTimeArray;

typedef struct _SDateTimeArray {
    ULONG cValues;
    FILETIME *lpft;
} SDateTimeArray;

typedef struct _SBinaryArray {
    ULONG cValues;
    SBinary *lpbin;
} SBinaryArray;
typedef SBinaryArray ENTRYLIST, *LPENTRYLIST;

typedef struct _SLPSTRArray {
    ULONG cValues;
    LPSTR *lppszA;
} SLPSTRArray;

typedef struct _SWStringArray {
    ULONG cValues;
    LPWSTR *lppszW;
} SWStringArray;

typedef struct _SGuidArray {
    ULONG cValues;
    GUID *lpguid;
} SGuidArray;

typedef struct _SLargeIntegerArray {
    ULONG cValues;
    LARGE_INTEGER *lpli;
} SLargeIntegerArray;

/* Member order as in MS-H. */
union _PV {
    short i;                    /* PT_I2 */
    LONG l;                     /* PT_LONG */
    ULONG ul;                   /* PT_LONG, unsigned */
    LPVOID lpv;                 /* PT_PTR (MS-H only) */
    float flt;                  /* PT_R4 */
    double dbl;                 /* PT_DOUBLE */
    unsigned short b;           /* PT_BOOLEAN: 16 bits, not BOOL */
    CURRENCY cur;               /* PT_CURRENCY */
    double at;                  /* PT_APPTIME */
    FILETIME ft;                /* PT_SYSTIME */
    LPSTR lpszA;                /* PT_STRING8 */
    SBinary bin;                /* PT_BINARY */
    LPWSTR lpszW;               /* PT_UNICODE */
    LPGUID lpguid;              /* PT_CLSID */
    LARGE_INTEGER li;           /* PT_I8 */
    SShortArray MVi;            /* PT_MV_I2 */
    SLongArray MVl;             /* PT_MV_LONG */
    SRealArray MVflt;           /* PT_MV_R4 */
    SDoubleArray MVdbl;         /* PT_MV_DOUBLE */
    SCurrencyArray MVcur;       /* PT_MV_CURRENCY */
    SAppTimeArray MVat;         /* PT_MV_APPTIME */
    SDateTimeArray MVft;        /* PT_MV_SYSTIME */
    SBinaryArray MVbin;         /* PT_MV_BINARY */
    SLPSTRArray MVszA;          /* PT_MV_STRING8 */
    SWStringArray MVszW;        /* PT_MV_UNICODE */
    SGuidArray MVguid;          /* PT_MV_CLSID */
    SLargeIntegerArray MVli;    /* PT_MV_I8 */
    SCODE err;                  /* PT_ERROR */
    LONG x;                     /* PT_NULL, PT_OBJECT */
};

typedef struct _SPropValue {
    ULONG ulPropTag;
    ULONG dwAlignPad;
    union _PV Value;
} SPropValue, *LPSPropValue;

/* ------------------------------------------------------------------ */
/* Tag arrays, problems, rows, address lists (spec 2.2)                */
/* ------------------------------------------------------------------ */

typedef struct _SPropTagArray {
    ULONG cValues;
    ULONG aulPropTag[MAPI_DIM];
} SPropTagArray, *LPSPropTagArray;

#define CbNewSPropTagArray(_ctag) \
    (offsetof(SPropTagArray, aulPropTag) + (_ctag) * sizeof(ULONG))
#define CbSPropTagArray(_lparray) \
    (offsetof(SPropTagArray, aulPropTag) + (_lparray)->cValues * sizeof(ULONG))
#define SizedSPropTagArray(_ctag, _name) \
    struct _SPropTagArray_##_name { ULONG cValues; ULONG aulPropTag[_ctag]; } _name

typedef struct _SPropProblem {
    ULONG ulIndex;
    ULONG ulPropTag;
    SCODE scode;
} SPropProblem, *LPSPropProblem;

typedef struct _SPropProblemArray {
    ULONG cProblem;
    SPropProblem aProblem[MAPI_DIM];
} SPropProblemArray, *LPSPropProblemArray;

#define CbNewSPropProblemArray(_cprob) \
    (offsetof(SPropProblemArray, aProblem) + (_cprob) * sizeof(SPropProblem))
#define CbSPropProblemArray(_lparray) \
    (offsetof(SPropProblemArray, aProblem) + (_lparray)->cProblem * sizeof(SPropProblem))
#define SizedSPropProblemArray(_cprob, _name) \
    struct _SPropProblemArray_##_name { ULONG cProblem; SPropProblem aProblem[_cprob]; } _name

/* SRow and ADRENTRY share one layout, as do SRowSet and ADRLIST. */
typedef struct _SRow {
    ULONG ulAdrEntryPad;
    ULONG cValues;
    LPSPropValue lpProps;
} SRow, *LPSRow;

typedef struct _SRowSet {
    ULONG cRows;
    SRow aRow[MAPI_DIM];
} SRowSet, *LPSRowSet;

#define CbNewSRowSet(_crow)  (offsetof(SRowSet, aRow) + (_crow) * sizeof(SRow))
#define CbSRowSet(_lprowset) (offsetof(SRowSet, aRow) + (_lprowset)->cRows * sizeof(SRow))
#define SizedSRowSet(_crow, _name) \
    struct _SRowSet_##_name { ULONG cRows; SRow aRow[_crow]; } _name

typedef struct _ADRENTRY {
    ULONG ulReserved1;
    ULONG cValues;
    LPSPropValue rgPropVals;
} ADRENTRY, *LPADRENTRY;

typedef struct _ADRLIST {
    ULONG cEntries;
    ADRENTRY aEntries[MAPI_DIM];
} ADRLIST, *LPADRLIST;

#define CbNewADRLIST(_centries) \
    (offsetof(ADRLIST, aEntries) + (_centries) * sizeof(ADRENTRY))
#define CbADRLIST(_lpadrlist) \
    (offsetof(ADRLIST, aEntries) + (_lpadrlist)->cEntries * sizeof(ADRENTRY))
#define SizedADRLIST(_centries, _name) \
    struct _ADRLIST_##_name { ULONG cEntries; ADRENTRY aEntries[_centries]; } _name

typedef struct _SSortOrder {
    ULONG ulPropTag;
    ULONG ulOrder;
} SSortOrder, *LPSSortOrder;

typedef struct _SSortOrderSet {
    ULONG cSorts;
    ULONG cCategories;
    ULONG cExpanded;
    SSortOrder aSort[MAPI_DIM];
} SSortOrderSet, *LPSSortOrderSet;

#define CbNewSSortOrderSet(_csort) \
    (offsetof(SSortOrderSet, aSort) + (_csort) * sizeof(SSortOrder))
#define CbSSortOrderSet(_lpset) \
    (offsetof(SSortOrderSet, aSort) + (_lpset)->cSorts * sizeof(SSortOrder))
#define SizedSSortOrderSet(_csort, _name) \
    struct _SSortOrderSet_##_name { ULONG cSorts; ULONG cCategories; \
                                    ULONG cExpanded; SSortOrder aSort[_csort]; } _name

#define TABLE_SORT_ASCEND     ((ULONG)0x00000000)
#define TABLE_SORT_DESCEND    ((ULONG)0x00000001)
#define TABLE_SORT_COMBINE    ((ULONG)0x00000002)
#define TABLE_SORT_CATEG_MAX  ((ULONG)0x00000004) /* MS-H, MS-D */
#define TABLE_SORT_CATEG_MIN  ((ULONG)0x00000008) /* MS-H, MS-D */

typedef struct {
    ULONG cFlags;
    ULONG ulFlag[MAPI_DIM];
} FlagList, *LPFlagList;

#define CbNewFlagList(_cflags) (offsetof(FlagList, ulFlag) + (_cflags) * sizeof(ULONG))
#define CbFlagList(_lpflags)   (offsetof(FlagList, ulFlag) + (_lpflags)->cFlags * sizeof(ULONG))
#define SizedFlagList(_cflags, _name) \
    struct _FlagList_##_name { ULONG cFlags; ULONG ulFlag[_cflags]; } _name

/* ------------------------------------------------------------------ */
/* Errors and named properties (spec 2.2)                              */
/* ------------------------------------------------------------------ */

typedef struct _MAPIERROR {
    ULONG ulVersion;          /* MAPI_ERROR_VERSION */
    LPTSTR lpszError;         /* WCHAR * when the call had MAPI_UNICODE */
    LPTSTR lpszComponent;
    ULONG ulLowLevelError;
    ULONG ulContext;
} MAPIERROR, *LPMAPIERROR;

#define MAPI_ERROR_VERSION 0x00000000

#define MNID_ID     0
#define MNID_STRING 1

typedef struct _MAPINAMEID {
    LPGUID lpguid;
    ULONG ulKind;             /* MNID_ID or MNID_STRING */
    union {
        LONG lID;
        LPWSTR lpwstrName;
        LONG_PTR lID_Reserved;   /* MS-H only; keeps the union pointer-sized */
    } Kind;
} MAPINAMEID, *LPMAPINAMEID;

/* ------------------------------------------------------------------ */
/* Restrictions (spec 2.3)                                             */
/* ------------------------------------------------------------------ */

typedef struct _SRestriction *LPSRestriction;

typedef struct _SAndRestriction {
    ULONG cRes;
    LPSRestriction lpRes;
} SAndRestriction;

typedef struct _SOrRestriction {
    ULONG cRes;
    LPSRestriction lpRes;
} SOrRestriction;

typedef struct _SNotRestriction {
    ULONG ulReserved;
    LPSRestriction lpRes;
} SNotRestriction;

typedef struct _SContentRestriction {
    ULONG ulFuzzyLevel;
    ULONG ulPropTag;
    LPSPropValue lpProp;
} SContentRestriction;

typedef struct _SBitMaskRestriction {
    ULONG relBMR;
    ULONG ulPropTag;
    ULONG ulMask;
} SBitMaskRestriction;

typedef struct _SPropertyRestriction {
    ULONG relop;
    ULONG ulPropTag;
    LPSPropValue lpProp;
} SPropertyRestriction;

typedef struct _SComparePropsRestriction {
    ULONG relop;
    ULONG ulPropTag1;
    ULONG ulPropTag2;
} SComparePropsRestriction;

typedef struct _SSizeRestriction {
    ULONG relop;
    ULONG ulPropTag;
    ULONG cb;
} SSizeRestriction;

typedef struct _SExistRestriction {
    ULONG ulReserved1;
    ULONG ulPropTag;
    ULONG ulReserved2;
} SExistRestriction;

typedef struct _SSubRestriction {
    ULONG ulSubObject;
    LPSRestriction lpRes;
} SSubRestriction;

typedef struct _SCommentRestriction {
    ULONG cValues;
    LPSRestriction lpRes;
    LPSPropValue lpProp;
} SCommentRestriction;

typedef struct _SAnnotationRestriction {   /* MS-H only */
    ULONG cValues;
    LPSRestriction lpRes;
    LPSPropValue lpProp;
} SAnnotationRestriction;

typedef struct _SCountRestriction {        /* MS-H only */
    ULONG ulCount;
    LPSRestriction lpRes;
} SCountRestriction;

typedef struct _SRestriction {
    ULONG rt;
    union {
        /* First, as in MS-H, so a three-ULONG static initializer works. */
        SComparePropsRestriction resCompareProps;
        SAndRestriction resAnd;
        SOrRestriction resOr;
        SNotRestriction resNot;
        SContentRestriction resContent;
        SPropertyRestriction resProperty;
        SBitMaskRestriction resBitMask;
        SSizeRestriction resSize;
        SExistRestriction resExist;
        SSubRestriction resSub;
        SCommentRestriction resComment;
        SAnnotationRestriction resAnnotation;
        SCountRestriction resCount;
    } res;
} SRestriction;

#define RES_AND            ((ULONG)0x00000000)
#define RES_OR             ((ULONG)0x00000001)
#define RES_NOT            ((ULONG)0x00000002)
#define RES_CONTENT        ((ULONG)0x00000003)
#define RES_PROPERTY       ((ULONG)0x00000004)
#define RES_COMPAREPROPS   ((ULONG)0x00000005)
#define RES_BITMASK        ((ULONG)0x00000006)
#define RES_SIZE           ((ULONG)0x00000007)
#define RES_EXIST          ((ULONG)0x00000008)
#define RES_SUBRESTRICTION ((ULONG)0x00000009)
#define RES_COMMENT        ((ULONG)0x0000000A)
#define RES_COUNT          ((ULONG)0x0000000B) /* MS-H only */
#define RES_ANNOTATION     ((ULONG)0x0000000C) /* MS-H only */

#define RELOP_LT 0
#define RELOP_LE 1
#define RELOP_GT 2
#define RELOP_GE 3
#define RELOP_EQ 4
#define RELOP_NE 5
#define RELOP_RE 6

#define BMR_EQZ 0
#define BMR_NEZ 1

#define FL_FULLSTRING     ((ULONG)0x00000000)
#define FL_SUBSTRING      ((ULONG)0x00000001)
#define FL_PREFIX         ((ULONG)0x00000002)
#define FL_IGNORECASE     ((ULONG)0x00010000)
#define FL_IGNORENONSPACE ((ULONG)0x00020000)
#define FL_LOOSE          ((ULONG)0x00040000)

/* ------------------------------------------------------------------ */
/* Notifications (spec 2.4, 5.6)                                       */
/* ------------------------------------------------------------------ */

typedef struct _ERROR_NOTIFICATION {
    ULONG cbEntryID;
    LPENTRYID lpEntryID;
    SCODE scode;
    ULONG ulFlags;
    LPMAPIERROR lpMAPIError;
} ERROR_NOTIFICATION;

typedef struct _NEWMAIL_NOTIFICATION {
    ULONG cbEntryID;
    LPENTRYID lpEntryID;
    ULONG cbParentID;
    LPENTRYID lpParentID;
    ULONG ulFlags;
    LPTSTR lpszMessageClass;
    ULONG ulMessageFlags;
} NEWMAIL_NOTIFICATION;

typedef struct _OBJECT_NOTIFICATION {
    ULONG cbEntryID;
    LPENTRYID lpEntryID;
    ULONG ulObjType;
    ULONG cbParentID;
    LPENTRYID lpParentID;
    ULONG cbOldID;
    LPENTRYID lpOldID;
    ULONG cbOldParentID;
    LPENTRYID lpOldParentID;
    LPSPropTagArray lpPropTagArray;
} OBJECT_NOTIFICATION;

typedef struct _TABLE_NOTIFICATION {
    ULONG ulTableEvent;       /* TABLE_* */
    HRESULT hResult;
    SPropValue propIndex;
    SPropValue propPrior;
    SRow row;
    ULONG ulPad;
} TABLE_NOTIFICATION;

typedef struct _EXTENDED_NOTIFICATION {
    ULONG ulEvent;
    ULONG cb;
    LPBYTE pbEventParameters;
} EXTENDED_NOTIFICATION;

typedef struct {
    ULONG cbEntryID;
    LPENTRYID lpEntryID;
    ULONG cValues;
    LPSPropValue lpPropVals;
} STATUS_OBJECT_NOTIFICATION;

typedef struct _NOTIFICATION {
    ULONG ulEventType;        /* one fnev* bit */
    ULONG ulAlignPad;
    union {
        ERROR_NOTIFICATION err;
        NEWMAIL_NOTIFICATION newmail;
        OBJECT_NOTIFICATION obj;
        TABLE_NOTIFICATION tab;
        EXTENDED_NOTIFICATION ext;
        STATUS_OBJECT_NOTIFICATION statobj;
    } info;
} NOTIFICATION, *LPNOTIFICATION;

typedef LONG (STDAPICALLTYPE NOTIFCALLBACK)(LPVOID lpvContext, ULONG cNotification,
                                            LPNOTIFICATION lpNotifications);
typedef NOTIFCALLBACK *LPNOTIFCALLBACK;

#define fnevCriticalError         ((ULONG)0x00000001)
#define fnevNewMail               ((ULONG)0x00000002)
#define fnevObjectCreated         ((ULONG)0x00000004)
#define fnevObjectDeleted         ((ULONG)0x00000008)
#define fnevObjectModified        ((ULONG)0x00000010)
#define fnevObjectMoved           ((ULONG)0x00000020)
#define fnevObjectCopied          ((ULONG)0x00000040)
#define fnevSearchComplete        ((ULONG)0x00000080)
#define fnevTableModified         ((ULONG)0x00000100)
#define fnevStatusObjectModified  ((ULONG)0x00000200)
#define fnevReservedForMapi       ((ULONG)0x40000000)
#define fnevExtended              ((ULONG)0x80000000)

#define TABLE_CHANGED       1
#define TABLE_ERROR         2
#define TABLE_ROW_ADDED     3
#define TABLE_ROW_DELETED   4
#define TABLE_ROW_MODIFIED  5
#define TABLE_SORT_DONE     6
#define TABLE_RESTRICT_DONE 7
#define TABLE_SETCOL_DONE   8
#define TABLE_RELOAD        9

/* ------------------------------------------------------------------ */
/* Tables (spec 5.6)                                                   */
/* ------------------------------------------------------------------ */

#define BOOKMARK_BEGINNING ((BOOKMARK)0)
#define BOOKMARK_CURRENT   ((BOOKMARK)1)
#define BOOKMARK_END       ((BOOKMARK)2)

#define TBL_NOWAIT       ((ULONG)0x00000001)
#define TBL_ASYNC        ((ULONG)0x00000001)
#define TBL_BATCH        ((ULONG)0x00000002)
#define TBL_ALL_COLUMNS  ((ULONG)0x00000001)
#define TBL_NOADVANCE    ((ULONG)0x00000001)
#define DIR_BACKWARD     ((ULONG)0x00000001)

#define TBL_LEAF_ROW           ((ULONG)1)
#define TBL_EMPTY_CATEGORY     ((ULONG)2)
#define TBL_EXPANDED_CATEGORY  ((ULONG)3)
#define TBL_COLLAPSED_CATEGORY ((ULONG)4)

#define TBLSTAT_COMPLETE       ((ULONG)0)
#define TBLSTAT_QCHANGED       ((ULONG)7)
#define TBLSTAT_SORTING        ((ULONG)9)
#define TBLSTAT_SORT_ERROR     ((ULONG)10)
#define TBLSTAT_SETTING_COLS   ((ULONG)11)
#define TBLSTAT_SETCOL_ERROR   ((ULONG)13)
#define TBLSTAT_RESTRICTING    ((ULONG)14)
#define TBLSTAT_RESTRICT_ERROR ((ULONG)15)

#define TBLTYPE_SNAPSHOT ((ULONG)0)
#define TBLTYPE_KEYSET   ((ULONG)1)
#define TBLTYPE_DYNAMIC  ((ULONG)2)

#define SEARCH_RUNNING    ((ULONG)0x00000001)
#define SEARCH_REBUILD    ((ULONG)0x00000002)
#define SEARCH_RECURSIVE  ((ULONG)0x00000004)
#define SEARCH_FOREGROUND ((ULONG)0x00000008)

/* ------------------------------------------------------------------ */
/* Object types, display types, container flags (spec 5.5)             */
/* ------------------------------------------------------------------ */

#define MAPI_STORE    ((ULONG)0x00000001)
#define MAPI_ADDRBOOK ((ULONG)0x00000002)
#define MAPI_FOLDER   ((ULONG)0x00000003)
#define MAPI_ABCONT   ((ULONG)0x00000004)
#define MAPI_MESSAGE  ((ULONG)0x00000005)
#define MAPI_MAILUSER ((ULONG)0x00000006)
#define MAPI_ATTACH   ((ULONG)0x00000007)
#define MAPI_DISTLIST ((ULONG)0x00000008)
#define MAPI_PROFSECT ((ULONG)0x00000009)
#define MAPI_STATUS   ((ULONG)0x0000000A)
#define MAPI_SESSION  ((ULONG)0x0000000B)
#define MAPI_FORMINFO ((ULONG)0x0000000C)

#define DT_MAILUSER         ((ULONG)0x00000000)
#define DT_DISTLIST         ((ULONG)0x00000001)
#define DT_FORUM            ((ULONG)0x00000002)
#define DT_AGENT            ((ULONG)0x00000003)
#define DT_ORGANIZATION     ((ULONG)0x00000004)
#define DT_PRIVATE_DISTLIST ((ULONG)0x00000005)
#define DT_REMOTE_MAILUSER  ((ULONG)0x00000006)
#define DT_ROOM             ((ULONG)0x00000007) /* MS-H MAPIAux.h, MS-D */
#define DT_EQUIPMENT        ((ULONG)0x00000008) /* MS-H MAPIAux.h, MS-D */
#define DT_SEC_DISTLIST     ((ULONG)0x00000009) /* MS-H MAPIAux.h, MS-D */

#define DT_MODIFIABLE       ((ULONG)0x00010000)
#define DT_GLOBAL           ((ULONG)0x00020000)
#define DT_LOCAL            ((ULONG)0x00030000)
#define DT_WAN              ((ULONG)0x00040000)
#define DT_NOT_SPECIFIC     ((ULONG)0x00050000)

#define DT_FOLDER           ((ULONG)0x01000000)
#define DT_FOLDER_LINK      ((ULONG)0x02000000)
#define DT_FOLDER_SPECIAL   ((ULONG)0x04000000)

/* PR_DISPLAY_TYPE_EX (MS-H MAPIAux.h, MS-D). */
#define DTE_FLAG_REMOTE_VALID ((ULONG)0x80000000)
#define DTE_FLAG_ACL_CAPABLE  ((ULONG)0x40000000)
#define DTE_MASK_REMOTE       ((ULONG)0x0000FF00)
#define DTE_MASK_LOCAL        ((ULONG)0x000000FF)
#define DTE_IS_REMOTE_VALID(v) (!!((v) & DTE_FLAG_REMOTE_VALID))
#define DTE_IS_ACL_CAPABLE(v)  (!!((v) & DTE_FLAG_ACL_CAPABLE))
#define DTE_REMOTE(v)          (((v) & DTE_MASK_REMOTE) >> 8)
#define DTE_LOCAL(v)           ((v) & DTE_MASK_LOCAL)

#define AB_RECIPIENTS    ((ULONG)0x00000001)
#define AB_SUBCONTAINERS ((ULONG)0x00000002)
#define AB_MODIFIABLE    ((ULONG)0x00000004)
#define AB_UNMODIFIABLE  ((ULONG)0x00000008)
#define AB_FIND_ON_OPEN  ((ULONG)0x00000010)
#define AB_NOT_DEFAULT   ((ULONG)0x00000020)

/* ------------------------------------------------------------------ */
/* Status objects and resources (spec 5.7)                             */
/* ------------------------------------------------------------------ */

#define MAPI_STORE_PROVIDER     ((ULONG)33)
#define MAPI_AB                 ((ULONG)34)
#define MAPI_AB_PROVIDER        ((ULONG)35)
#define MAPI_TRANSPORT_PROVIDER ((ULONG)36)
#define MAPI_SPOOLER            ((ULONG)37)
#define MAPI_PROFILE_PROVIDER   ((ULONG)38)
#define MAPI_SUBSYSTEM          ((ULONG)39)
#define MAPI_HOOK_PROVIDER      ((ULONG)40)

#define STATUS_VALIDATE_STATE   ((ULONG)0x00000001)
#define STATUS_SETTINGS_DIALOG  ((ULONG)0x00000002)
#define STATUS_CHANGE_PASSWORD  ((ULONG)0x00000004)
#define STATUS_FLUSH_QUEUES     ((ULONG)0x00000008)

#define STATUS_DEFAULT_OUTBOUND    ((ULONG)0x00000001)
#define STATUS_DEFAULT_STORE       ((ULONG)0x00000002)
#define STATUS_PRIMARY_IDENTITY    ((ULONG)0x00000004)
#define STATUS_SIMPLE_STORE        ((ULONG)0x00000008)
#define STATUS_XP_PREFER_LAST      ((ULONG)0x00000010)
#define STATUS_NO_PRIMARY_IDENTITY ((ULONG)0x00000020)
#define STATUS_NO_DEFAULT_STORE    ((ULONG)0x00000040)
#define STATUS_TEMP_SECTION        ((ULONG)0x00000080)
#define STATUS_OWN_STORE           ((ULONG)0x00000100)
#define STATUS_NEED_IPM_TREE       ((ULONG)0x00000800)
#define STATUS_PRIMARY_STORE       ((ULONG)0x00001000)
#define STATUS_SECONDARY_STORE     ((ULONG)0x00002000)

#define STATUS_AVAILABLE ((ULONG)0x00000001)
#define STATUS_OFFLINE   ((ULONG)0x00000002)
#define STATUS_FAILURE   ((ULONG)0x00000004)

#define SUPPRESS_UI      ((ULONG)0x00000001)
#define CONFIG_CHANGED   ((ULONG)0x00100000)
#define UI_READONLY      ((ULONG)0x00000001)
/* IMAPIStatus::FlushQueues */
#define FLUSH_UPLOAD     ((ULONG)0x00000002)
#define FLUSH_DOWNLOAD   ((ULONG)0x00000004)
#define FLUSH_FORCE      ((ULONG)0x00000008)
#define FLUSH_NO_UI      ((ULONG)0x00000010)
#define FLUSH_ASYNC_OK   ((ULONG)0x00000020)

#define MAPI_ENABLED     ((ULONG)0x00000000)
#define MAPI_DISABLED    ((ULONG)0x00000001)

/* ------------------------------------------------------------------ */
/* ADRPARM (spec 2.5), passed through IMAPISupport::Address            */
/* ------------------------------------------------------------------ */

typedef BOOL (STDMETHODCALLTYPE *LPFNABSDI)(ULONG_PTR ulUIParam, LPVOID lpvmsg);
typedef void (STDMETHODCALLTYPE *LPFNDISMISS)(ULONG_PTR ulUIParam, LPVOID lpvContext);
typedef SCODE (STDMETHODCALLTYPE *LPFNBUTTON)(ULONG_PTR ulUIParam, LPVOID lpvContext,
                                              ULONG cbEntryID, LPENTRYID lpSelection,
                                              ULONG ulFlags);

typedef struct _ADRPARM {
    ULONG cbABContEntryID;
    LPENTRYID lpABContEntryID;
    ULONG ulFlags;
    LPVOID lpReserved;
    ULONG ulHelpContext;
    LPTSTR lpszHelpFileName;
    LPFNABSDI lpfnABSDI;
    LPFNDISMISS lpfnDismiss;
    LPVOID lpvDismissContext;
    LPTSTR lpszCaption;
    LPTSTR lpszNewEntryTitle;
    LPTSTR lpszDestWellsTitle;
    ULONG cDestFields;
    ULONG nDestFieldFocus;
    LPTSTR *lppszDestTitles;
    ULONG *lpulDestComps;
    LPSRestriction lpContRestriction;
    LPSRestriction lpHierRestriction;
} ADRPARM, *LPADRPARM;

#define DIALOG_MODAL     ((ULONG)0x00000001)
#define DIALOG_SDI       ((ULONG)0x00000002)
#define DIALOG_OPTIONS   ((ULONG)0x00000004)
#define ADDRESS_ONE      ((ULONG)0x00000008)
#define AB_SELECTONLY    ((ULONG)0x00000010)
#define AB_RESOLVE       ((ULONG)0x00000020)
#define ADRPARM_HELP_CTX ((ULONG)0x00000000)

/* ------------------------------------------------------------------ */
/* Interfaces (spec 3).  MAPI_VT_<GROUP>(I) lists one interface's own  */
/* methods with "This" typed as I *; a vtable is its chain of groups.  */
/* ------------------------------------------------------------------ */

#define MAPI_VT_IUNKNOWN(I) \
    HRESULT (STDMETHODCALLTYPE *QueryInterface)(I *This, REFIID riid, LPVOID *ppvObj); \
    ULONG (STDMETHODCALLTYPE *AddRef)(I *This); \
    ULONG (STDMETHODCALLTYPE *Release)(I *This);

#define MAPI_VT_IMALLOC(I) \
    void * (STDMETHODCALLTYPE *Alloc)(I *This, SIZE_T cb); \
    void * (STDMETHODCALLTYPE *Realloc)(I *This, void *pv, SIZE_T cb); \
    void (STDMETHODCALLTYPE *Free)(I *This, void *pv); \
    SIZE_T (STDMETHODCALLTYPE *GetSize)(I *This, void *pv); \
    int (STDMETHODCALLTYPE *DidAlloc)(I *This, void *pv); \
    void (STDMETHODCALLTYPE *HeapMinimize)(I *This);

#define MAPI_VT_IMAPIPROP(I) \
    HRESULT (STDMETHODCALLTYPE *GetLastError)(I *This, HRESULT hResult, ULONG ulFlags, LPMAPIERROR *lppMAPIError); \
    HRESULT (STDMETHODCALLTYPE *SaveChanges)(I *This, ULONG ulFlags); \
    HRESULT (STDMETHODCALLTYPE *GetProps)(I *This, LPSPropTagArray lpPropTagArray, ULONG ulFlags, ULONG *lpcValues, LPSPropValue *lppPropArray); \
    HRESULT (STDMETHODCALLTYPE *GetPropList)(I *This, ULONG ulFlags, LPSPropTagArray *lppPropTagArray); \
    HRESULT (STDMETHODCALLTYPE *OpenProperty)(I *This, ULONG ulPropTag, LPCIID lpiid, ULONG ulInterfaceOptions, ULONG ulFlags, LPUNKNOWN *lppUnk); \
    HRESULT (STDMETHODCALLTYPE *SetProps)(I *This, ULONG cValues, LPSPropValue lpPropArray, LPSPropProblemArray *lppProblems); \
    HRESULT (STDMETHODCALLTYPE *DeleteProps)(I *This, LPSPropTagArray lpPropTagArray, LPSPropProblemArray *lppProblems); \
    HRESULT (STDMETHODCALLTYPE *CopyTo)(I *This, ULONG ciidExclude, LPCIID rgiidExclude, LPSPropTagArray lpExcludeProps, ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress, LPCIID lpInterface, LPVOID lpDestObj, ULONG ulFlags, LPSPropProblemArray *lppProblems); \
    HRESULT (STDMETHODCALLTYPE *CopyProps)(I *This, LPSPropTagArray lpIncludeProps, ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress, LPCIID lpInterface, LPVOID lpDestObj, ULONG ulFlags, LPSPropProblemArray *lppProblems); \
    HRESULT (STDMETHODCALLTYPE *GetNamesFromIDs)(I *This, LPSPropTagArray *lppPropTags, LPGUID lpPropSetGuid, ULONG ulFlags, ULONG *lpcPropNames, LPMAPINAMEID **lpppPropNames); \
    HRESULT (STDMETHODCALLTYPE *GetIDsFromNames)(I *This, ULONG cPropNames, LPMAPINAMEID *lppPropNames, ULONG ulFlags, LPSPropTagArray *lppPropTags);

#define MAPI_VT_IMAPISTATUS(I) \
    HRESULT (STDMETHODCALLTYPE *ValidateState)(I *This, ULONG_PTR ulUIParam, ULONG ulFlags); \
    HRESULT (STDMETHODCALLTYPE *SettingsDialog)(I *This, ULONG_PTR ulUIParam, ULONG ulFlags); \
    HRESULT (STDMETHODCALLTYPE *ChangePassword)(I *This, LPTSTR lpOldPass, LPTSTR lpNewPass, ULONG ulFlags); \
    HRESULT (STDMETHODCALLTYPE *FlushQueues)(I *This, ULONG_PTR ulUIParam, ULONG cbTargetTransport, LPENTRYID lpTargetTransport, ULONG ulFlags);

#define MAPI_VT_IMAPICONTAINER(I) \
    HRESULT (STDMETHODCALLTYPE *GetContentsTable)(I *This, ULONG ulFlags, LPMAPITABLE *lppTable); \
    HRESULT (STDMETHODCALLTYPE *GetHierarchyTable)(I *This, ULONG ulFlags, LPMAPITABLE *lppTable); \
    HRESULT (STDMETHODCALLTYPE *OpenEntry)(I *This, ULONG cbEntryID, LPENTRYID lpEntryID, LPCIID lpInterface, ULONG ulFlags, ULONG *lpulObjType, LPUNKNOWN *lppUnk); \
    HRESULT (STDMETHODCALLTYPE *SetSearchCriteria)(I *This, LPSRestriction lpRestriction, LPENTRYLIST lpContainerList, ULONG ulSearchFlags); \
    HRESULT (STDMETHODCALLTYPE *GetSearchCriteria)(I *This, ULONG ulFlags, LPSRestriction *lppRestriction, LPENTRYLIST *lppContainerList, ULONG *lpulSearchState);

#define MAPI_VT_IABCONTAINER(I) \
    HRESULT (STDMETHODCALLTYPE *CreateEntry)(I *This, ULONG cbEntryID, LPENTRYID lpEntryID, ULONG ulCreateFlags, LPMAPIPROP *lppMAPIPropEntry); \
    HRESULT (STDMETHODCALLTYPE *CopyEntries)(I *This, LPENTRYLIST lpEntries, ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress, ULONG ulFlags); \
    HRESULT (STDMETHODCALLTYPE *DeleteEntries)(I *This, LPENTRYLIST lpEntries, ULONG ulFlags); \
    HRESULT (STDMETHODCALLTYPE *ResolveNames)(I *This, LPSPropTagArray lpPropTagArray, ULONG ulFlags, LPADRLIST lpAdrList, LPFlagList lpFlagList);

#define MAPI_VT_IDISTLIST(I) \
    HRESULT (STDMETHODCALLTYPE *CreateEntry)(I *This, ULONG cbEntryID, LPENTRYID lpEntryID, ULONG ulCreateFlags, LPMAPIPROP *lppMAPIPropEntry); \
    HRESULT (STDMETHODCALLTYPE *CopyEntries)(I *This, LPENTRYLIST lpEntries, ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress, ULONG ulFlags); \
    HRESULT (STDMETHODCALLTYPE *DeleteEntries)(I *This, LPENTRYLIST lpEntries, ULONG ulFlags); \
    HRESULT (STDMETHODCALLTYPE *ResolveNames)(I *This, LPSPropTagArray lpPropTagArray, ULONG ulFlags, LPADRLIST lpAdrList, LPFlagList lpFlagList);

#define MAPI_VT_IMAPITABLE(I) \
    HRESULT (STDMETHODCALLTYPE *GetLastError)(I *This, HRESULT hResult, ULONG ulFlags, LPMAPIERROR *lppMAPIError); \
    HRESULT (STDMETHODCALLTYPE *Advise)(I *This, ULONG ulEventMask, LPMAPIADVISESINK lpAdviseSink, ULONG_PTR *lpulConnection); \
    HRESULT (STDMETHODCALLTYPE *Unadvise)(I *This, ULONG_PTR ulConnection); \
    HRESULT (STDMETHODCALLTYPE *GetStatus)(I *This, ULONG *lpulTableStatus, ULONG *lpulTableType); \
    HRESULT (STDMETHODCALLTYPE *SetColumns)(I *This, LPSPropTagArray lpPropTagArray, ULONG ulFlags); \
    HRESULT (STDMETHODCALLTYPE *QueryColumns)(I *This, ULONG ulFlags, LPSPropTagArray *lpPropTagArray); \
    HRESULT (STDMETHODCALLTYPE *GetRowCount)(I *This, ULONG ulFlags, ULONG *lpulCount); \
    HRESULT (STDMETHODCALLTYPE *SeekRow)(I *This, BOOKMARK bkOrigin, LONG lRowCount, LONG *lplRowsSought); \
    HRESULT (STDMETHODCALLTYPE *SeekRowApprox)(I *This, ULONG ulNumerator, ULONG ulDenominator); \
    HRESULT (STDMETHODCALLTYPE *QueryPosition)(I *This, ULONG *lpulRow, ULONG *lpulNumerator, ULONG *lpulDenominator); \
    HRESULT (STDMETHODCALLTYPE *FindRow)(I *This, LPSRestriction lpRestriction, BOOKMARK bkOrigin, ULONG ulFlags); \
    HRESULT (STDMETHODCALLTYPE *Restrict)(I *This, LPSRestriction lpRestriction, ULONG ulFlags); \
    HRESULT (STDMETHODCALLTYPE *CreateBookmark)(I *This, BOOKMARK *lpbkPosition); \
    HRESULT (STDMETHODCALLTYPE *FreeBookmark)(I *This, BOOKMARK bkPosition); \
    HRESULT (STDMETHODCALLTYPE *SortTable)(I *This, LPSSortOrderSet lpSortCriteria, ULONG ulFlags); \
    HRESULT (STDMETHODCALLTYPE *QuerySortOrder)(I *This, LPSSortOrderSet *lppSortCriteria); \
    HRESULT (STDMETHODCALLTYPE *QueryRows)(I *This, LONG lRowCount, ULONG ulFlags, LPSRowSet *lppRows); \
    HRESULT (STDMETHODCALLTYPE *Abort)(I *This); \
    HRESULT (STDMETHODCALLTYPE *ExpandRow)(I *This, ULONG cbInstanceKey, LPBYTE pbInstanceKey, ULONG ulRowCount, ULONG ulFlags, LPSRowSet *lppRows, ULONG *lpulMoreRows); \
    HRESULT (STDMETHODCALLTYPE *CollapseRow)(I *This, ULONG cbInstanceKey, LPBYTE pbInstanceKey, ULONG ulFlags, ULONG *lpulRowCount); \
    HRESULT (STDMETHODCALLTYPE *WaitForCompletion)(I *This, ULONG ulFlags, ULONG ulTimeout, ULONG *lpulTableStatus); \
    HRESULT (STDMETHODCALLTYPE *GetCollapseState)(I *This, ULONG ulFlags, ULONG cbInstanceKey, LPBYTE lpbInstanceKey, ULONG *lpcbCollapseState, LPBYTE *lppbCollapseState); \
    HRESULT (STDMETHODCALLTYPE *SetCollapseState)(I *This, ULONG ulFlags, ULONG cbCollapseState, LPBYTE pbCollapseState, BOOKMARK *lpbkLocation);

#define MAPI_VT_IMAPIADVISESINK(I) \
    ULONG (STDMETHODCALLTYPE *OnNotify)(I *This, ULONG cNotif, LPNOTIFICATION lpNotifications);

#define MAPI_VT_IMAPIPROGRESS(I) \
    HRESULT (STDMETHODCALLTYPE *Progress)(I *This, ULONG ulValue, ULONG ulCount, ULONG ulTotal); \
    HRESULT (STDMETHODCALLTYPE *GetFlags)(I *This, ULONG *lpulFlags); \
    HRESULT (STDMETHODCALLTYPE *GetMax)(I *This, ULONG *lpulMax); \
    HRESULT (STDMETHODCALLTYPE *GetMin)(I *This, ULONG *lpulMin); \
    HRESULT (STDMETHODCALLTYPE *SetLimits)(I *This, ULONG *lpulMin, ULONG *lpulMax, ULONG *lpulFlags);

#define MAPI_VT_IMAPIPROVIDERSHUTDOWN(I) \
    HRESULT (STDMETHODCALLTYPE *QueryFastShutdown)(I *This); \
    HRESULT (STDMETHODCALLTYPE *NotifyProcessShutdown)(I *This); \
    HRESULT (STDMETHODCALLTYPE *DoFastShutdown)(I *This);

/* IUnknown: 3 slots. */
typedef struct IUnknownVtbl {
    MAPI_VT_IUNKNOWN(IUnknown)
} IUnknownVtbl;
struct IUnknown {
    const IUnknownVtbl *lpVtbl;
};

#define IUnknown_QueryInterface(This, riid, ppvObj) \
    ((This)->lpVtbl->QueryInterface(This, riid, ppvObj))
#define IUnknown_AddRef(This) \
    ((This)->lpVtbl->AddRef(This))
#define IUnknown_Release(This) \
    ((This)->lpVtbl->Release(This))


/* IMalloc: 9 slots. */
typedef struct IMallocVtbl {
    MAPI_VT_IUNKNOWN(IMalloc)
    MAPI_VT_IMALLOC(IMalloc)
} IMallocVtbl;
struct IMalloc {
    const IMallocVtbl *lpVtbl;
};

#define IMalloc_QueryInterface(This, riid, ppvObj) \
    ((This)->lpVtbl->QueryInterface(This, riid, ppvObj))
#define IMalloc_AddRef(This) \
    ((This)->lpVtbl->AddRef(This))
#define IMalloc_Release(This) \
    ((This)->lpVtbl->Release(This))
#define IMalloc_Alloc(This, cb) \
    ((This)->lpVtbl->Alloc(This, cb))
#define IMalloc_Realloc(This, pv, cb) \
    ((This)->lpVtbl->Realloc(This, pv, cb))
#define IMalloc_Free(This, pv) \
    ((This)->lpVtbl->Free(This, pv))
#define IMalloc_GetSize(This, pv) \
    ((This)->lpVtbl->GetSize(This, pv))
#define IMalloc_DidAlloc(This, pv) \
    ((This)->lpVtbl->DidAlloc(This, pv))
#define IMalloc_HeapMinimize(This) \
    ((This)->lpVtbl->HeapMinimize(This))


/* IMAPIProp: 14 slots. */
typedef struct IMAPIPropVtbl {
    MAPI_VT_IUNKNOWN(IMAPIProp)
    MAPI_VT_IMAPIPROP(IMAPIProp)
} IMAPIPropVtbl;
struct IMAPIProp {
    const IMAPIPropVtbl *lpVtbl;
};

#define IMAPIProp_QueryInterface(This, riid, ppvObj) \
    ((This)->lpVtbl->QueryInterface(This, riid, ppvObj))
#define IMAPIProp_AddRef(This) \
    ((This)->lpVtbl->AddRef(This))
#define IMAPIProp_Release(This) \
    ((This)->lpVtbl->Release(This))
#define IMAPIProp_GetLastError(This, hResult, ulFlags, lppMAPIError) \
    ((This)->lpVtbl->GetLastError(This, hResult, ulFlags, lppMAPIError))
#define IMAPIProp_SaveChanges(This, ulFlags) \
    ((This)->lpVtbl->SaveChanges(This, ulFlags))
#define IMAPIProp_GetProps(This, lpPropTagArray, ulFlags, lpcValues, lppPropArray) \
    ((This)->lpVtbl->GetProps(This, lpPropTagArray, ulFlags, lpcValues, lppPropArray))
#define IMAPIProp_GetPropList(This, ulFlags, lppPropTagArray) \
    ((This)->lpVtbl->GetPropList(This, ulFlags, lppPropTagArray))
#define IMAPIProp_OpenProperty(This, ulPropTag, lpiid, ulInterfaceOptions, ulFlags, lppUnk) \
    ((This)->lpVtbl->OpenProperty(This, ulPropTag, lpiid, ulInterfaceOptions, ulFlags, lppUnk))
#define IMAPIProp_SetProps(This, cValues, lpPropArray, lppProblems) \
    ((This)->lpVtbl->SetProps(This, cValues, lpPropArray, lppProblems))
#define IMAPIProp_DeleteProps(This, lpPropTagArray, lppProblems) \
    ((This)->lpVtbl->DeleteProps(This, lpPropTagArray, lppProblems))
#define IMAPIProp_CopyTo(This, ciidExclude, rgiidExclude, lpExcludeProps, ulUIParam, lpProgress, lpInterface, lpDestObj, ulFlags, lppProblems) \
    ((This)->lpVtbl->CopyTo(This, ciidExclude, rgiidExclude, lpExcludeProps, ulUIParam, lpProgress, lpInterface, lpDestObj, ulFlags, lppProblems))
#define IMAPIProp_CopyProps(This, lpIncludeProps, ulUIParam, lpProgress, lpInterface, lpDestObj, ulFlags, lppProblems) \
    ((This)->lpVtbl->CopyProps(This, lpIncludeProps, ulUIParam, lpProgress, lpInterface, lpDestObj, ulFlags, lppProblems))
#define IMAPIProp_GetNamesFromIDs(This, lppPropTags, lpPropSetGuid, ulFlags, lpcPropNames, lpppPropNames) \
    ((This)->lpVtbl->GetNamesFromIDs(This, lppPropTags, lpPropSetGuid, ulFlags, lpcPropNames, lpppPropNames))
#define IMAPIProp_GetIDsFromNames(This, cPropNames, lppPropNames, ulFlags, lppPropTags) \
    ((This)->lpVtbl->GetIDsFromNames(This, cPropNames, lppPropNames, ulFlags, lppPropTags))


/* IMailUser: 14 slots. */
typedef struct IMailUserVtbl {
    MAPI_VT_IUNKNOWN(IMailUser)
    MAPI_VT_IMAPIPROP(IMailUser)
} IMailUserVtbl;
struct IMailUser {
    const IMailUserVtbl *lpVtbl;
};

#define IMailUser_QueryInterface(This, riid, ppvObj) \
    ((This)->lpVtbl->QueryInterface(This, riid, ppvObj))
#define IMailUser_AddRef(This) \
    ((This)->lpVtbl->AddRef(This))
#define IMailUser_Release(This) \
    ((This)->lpVtbl->Release(This))
#define IMailUser_GetLastError(This, hResult, ulFlags, lppMAPIError) \
    ((This)->lpVtbl->GetLastError(This, hResult, ulFlags, lppMAPIError))
#define IMailUser_SaveChanges(This, ulFlags) \
    ((This)->lpVtbl->SaveChanges(This, ulFlags))
#define IMailUser_GetProps(This, lpPropTagArray, ulFlags, lpcValues, lppPropArray) \
    ((This)->lpVtbl->GetProps(This, lpPropTagArray, ulFlags, lpcValues, lppPropArray))
#define IMailUser_GetPropList(This, ulFlags, lppPropTagArray) \
    ((This)->lpVtbl->GetPropList(This, ulFlags, lppPropTagArray))
#define IMailUser_OpenProperty(This, ulPropTag, lpiid, ulInterfaceOptions, ulFlags, lppUnk) \
    ((This)->lpVtbl->OpenProperty(This, ulPropTag, lpiid, ulInterfaceOptions, ulFlags, lppUnk))
#define IMailUser_SetProps(This, cValues, lpPropArray, lppProblems) \
    ((This)->lpVtbl->SetProps(This, cValues, lpPropArray, lppProblems))
#define IMailUser_DeleteProps(This, lpPropTagArray, lppProblems) \
    ((This)->lpVtbl->DeleteProps(This, lpPropTagArray, lppProblems))
#define IMailUser_CopyTo(This, ciidExclude, rgiidExclude, lpExcludeProps, ulUIParam, lpProgress, lpInterface, lpDestObj, ulFlags, lppProblems) \
    ((This)->lpVtbl->CopyTo(This, ciidExclude, rgiidExclude, lpExcludeProps, ulUIParam, lpProgress, lpInterface, lpDestObj, ulFlags, lppProblems))
#define IMailUser_CopyProps(This, lpIncludeProps, ulUIParam, lpProgress, lpInterface, lpDestObj, ulFlags, lppProblems) \
    ((This)->lpVtbl->CopyProps(This, lpIncludeProps, ulUIParam, lpProgress, lpInterface, lpDestObj, ulFlags, lppProblems))
#define IMailUser_GetNamesFromIDs(This, lppPropTags, lpPropSetGuid, ulFlags, lpcPropNames, lpppPropNames) \
    ((This)->lpVtbl->GetNamesFromIDs(This, lppPropTags, lpPropSetGuid, ulFlags, lpcPropNames, lpppPropNames))
#define IMailUser_GetIDsFromNames(This, cPropNames, lppPropNames, ulFlags, lppPropTags) \
    ((This)->lpVtbl->GetIDsFromNames(This, cPropNames, lppPropNames, ulFlags, lppPropTags))


/* IProfSect: 14 slots. */
typedef struct IProfSectVtbl {
    MAPI_VT_IUNKNOWN(IProfSect)
    MAPI_VT_IMAPIPROP(IProfSect)
} IProfSectVtbl;
struct IProfSect {
    const IProfSectVtbl *lpVtbl;
};

#define IProfSect_QueryInterface(This, riid, ppvObj) \
    ((This)->lpVtbl->QueryInterface(This, riid, ppvObj))
#define IProfSect_AddRef(This) \
    ((This)->lpVtbl->AddRef(This))
#define IProfSect_Release(This) \
    ((This)->lpVtbl->Release(This))
#define IProfSect_GetLastError(This, hResult, ulFlags, lppMAPIError) \
    ((This)->lpVtbl->GetLastError(This, hResult, ulFlags, lppMAPIError))
#define IProfSect_SaveChanges(This, ulFlags) \
    ((This)->lpVtbl->SaveChanges(This, ulFlags))
#define IProfSect_GetProps(This, lpPropTagArray, ulFlags, lpcValues, lppPropArray) \
    ((This)->lpVtbl->GetProps(This, lpPropTagArray, ulFlags, lpcValues, lppPropArray))
#define IProfSect_GetPropList(This, ulFlags, lppPropTagArray) \
    ((This)->lpVtbl->GetPropList(This, ulFlags, lppPropTagArray))
#define IProfSect_OpenProperty(This, ulPropTag, lpiid, ulInterfaceOptions, ulFlags, lppUnk) \
    ((This)->lpVtbl->OpenProperty(This, ulPropTag, lpiid, ulInterfaceOptions, ulFlags, lppUnk))
#define IProfSect_SetProps(This, cValues, lpPropArray, lppProblems) \
    ((This)->lpVtbl->SetProps(This, cValues, lpPropArray, lppProblems))
#define IProfSect_DeleteProps(This, lpPropTagArray, lppProblems) \
    ((This)->lpVtbl->DeleteProps(This, lpPropTagArray, lppProblems))
#define IProfSect_CopyTo(This, ciidExclude, rgiidExclude, lpExcludeProps, ulUIParam, lpProgress, lpInterface, lpDestObj, ulFlags, lppProblems) \
    ((This)->lpVtbl->CopyTo(This, ciidExclude, rgiidExclude, lpExcludeProps, ulUIParam, lpProgress, lpInterface, lpDestObj, ulFlags, lppProblems))
#define IProfSect_CopyProps(This, lpIncludeProps, ulUIParam, lpProgress, lpInterface, lpDestObj, ulFlags, lppProblems) \
    ((This)->lpVtbl->CopyProps(This, lpIncludeProps, ulUIParam, lpProgress, lpInterface, lpDestObj, ulFlags, lppProblems))
#define IProfSect_GetNamesFromIDs(This, lppPropTags, lpPropSetGuid, ulFlags, lpcPropNames, lpppPropNames) \
    ((This)->lpVtbl->GetNamesFromIDs(This, lppPropTags, lpPropSetGuid, ulFlags, lpcPropNames, lpppPropNames))
#define IProfSect_GetIDsFromNames(This, cPropNames, lppPropNames, ulFlags, lppPropTags) \
    ((This)->lpVtbl->GetIDsFromNames(This, cPropNames, lppPropNames, ulFlags, lppPropTags))


/* IMAPIStatus: 18 slots. */
typedef struct IMAPIStatusVtbl {
    MAPI_VT_IUNKNOWN(IMAPIStatus)
    MAPI_VT_IMAPIPROP(IMAPIStatus)
    MAPI_VT_IMAPISTATUS(IMAPIStatus)
} IMAPIStatusVtbl;
struct IMAPIStatus {
    const IMAPIStatusVtbl *lpVtbl;
};

#define IMAPIStatus_QueryInterface(This, riid, ppvObj) \
    ((This)->lpVtbl->QueryInterface(This, riid, ppvObj))
#define IMAPIStatus_AddRef(This) \
    ((This)->lpVtbl->AddRef(This))
#define IMAPIStatus_Release(This) \
    ((This)->lpVtbl->Release(This))
#define IMAPIStatus_GetLastError(This, hResult, ulFlags, lppMAPIError) \
    ((This)->lpVtbl->GetLastError(This, hResult, ulFlags, lppMAPIError))
#define IMAPIStatus_SaveChanges(This, ulFlags) \
    ((This)->lpVtbl->SaveChanges(This, ulFlags))
#define IMAPIStatus_GetProps(This, lpPropTagArray, ulFlags, lpcValues, lppPropArray) \
    ((This)->lpVtbl->GetProps(This, lpPropTagArray, ulFlags, lpcValues, lppPropArray))
#define IMAPIStatus_GetPropList(This, ulFlags, lppPropTagArray) \
    ((This)->lpVtbl->GetPropList(This, ulFlags, lppPropTagArray))
#define IMAPIStatus_OpenProperty(This, ulPropTag, lpiid, ulInterfaceOptions, ulFlags, lppUnk) \
    ((This)->lpVtbl->OpenProperty(This, ulPropTag, lpiid, ulInterfaceOptions, ulFlags, lppUnk))
#define IMAPIStatus_SetProps(This, cValues, lpPropArray, lppProblems) \
    ((This)->lpVtbl->SetProps(This, cValues, lpPropArray, lppProblems))
#define IMAPIStatus_DeleteProps(This, lpPropTagArray, lppProblems) \
    ((This)->lpVtbl->DeleteProps(This, lpPropTagArray, lppProblems))
#define IMAPIStatus_CopyTo(This, ciidExclude, rgiidExclude, lpExcludeProps, ulUIParam, lpProgress, lpInterface, lpDestObj, ulFlags, lppProblems) \
    ((This)->lpVtbl->CopyTo(This, ciidExclude, rgiidExclude, lpExcludeProps, ulUIParam, lpProgress, lpInterface, lpDestObj, ulFlags, lppProblems))
#define IMAPIStatus_CopyProps(This, lpIncludeProps, ulUIParam, lpProgress, lpInterface, lpDestObj, ulFlags, lppProblems) \
    ((This)->lpVtbl->CopyProps(This, lpIncludeProps, ulUIParam, lpProgress, lpInterface, lpDestObj, ulFlags, lppProblems))
#define IMAPIStatus_GetNamesFromIDs(This, lppPropTags, lpPropSetGuid, ulFlags, lpcPropNames, lpppPropNames) \
    ((This)->lpVtbl->GetNamesFromIDs(This, lppPropTags, lpPropSetGuid, ulFlags, lpcPropNames, lpppPropNames))
#define IMAPIStatus_GetIDsFromNames(This, cPropNames, lppPropNames, ulFlags, lppPropTags) \
    ((This)->lpVtbl->GetIDsFromNames(This, cPropNames, lppPropNames, ulFlags, lppPropTags))
#define IMAPIStatus_ValidateState(This, ulUIParam, ulFlags) \
    ((This)->lpVtbl->ValidateState(This, ulUIParam, ulFlags))
#define IMAPIStatus_SettingsDialog(This, ulUIParam, ulFlags) \
    ((This)->lpVtbl->SettingsDialog(This, ulUIParam, ulFlags))
#define IMAPIStatus_ChangePassword(This, lpOldPass, lpNewPass, ulFlags) \
    ((This)->lpVtbl->ChangePassword(This, lpOldPass, lpNewPass, ulFlags))
#define IMAPIStatus_FlushQueues(This, ulUIParam, cbTargetTransport, lpTargetTransport, ulFlags) \
    ((This)->lpVtbl->FlushQueues(This, ulUIParam, cbTargetTransport, lpTargetTransport, ulFlags))


/* IMAPIContainer: 19 slots. */
typedef struct IMAPIContainerVtbl {
    MAPI_VT_IUNKNOWN(IMAPIContainer)
    MAPI_VT_IMAPIPROP(IMAPIContainer)
    MAPI_VT_IMAPICONTAINER(IMAPIContainer)
} IMAPIContainerVtbl;
struct IMAPIContainer {
    const IMAPIContainerVtbl *lpVtbl;
};

#define IMAPIContainer_QueryInterface(This, riid, ppvObj) \
    ((This)->lpVtbl->QueryInterface(This, riid, ppvObj))
#define IMAPIContainer_AddRef(This) \
    ((This)->lpVtbl->AddRef(This))
#define IMAPIContainer_Release(This) \
    ((This)->lpVtbl->Release(This))
#define IMAPIContainer_GetLastError(This, hResult, ulFlags, lppMAPIError) \
    ((This)->lpVtbl->GetLastError(This, hResult, ulFlags, lppMAPIError))
#define IMAPIContainer_SaveChanges(This, ulFlags) \
    ((This)->lpVtbl->SaveChanges(This, ulFlags))
#define IMAPIContainer_GetProps(This, lpPropTagArray, ulFlags, lpcValues, lppPropArray) \
    ((This)->lpVtbl->GetProps(This, lpPropTagArray, ulFlags, lpcValues, lppPropArray))
#define IMAPIContainer_GetPropList(This, ulFlags, lppPropTagArray) \
    ((This)->lpVtbl->GetPropList(This, ulFlags, lppPropTagArray))
#define IMAPIContainer_OpenProperty(This, ulPropTag, lpiid, ulInterfaceOptions, ulFlags, lppUnk) \
    ((This)->lpVtbl->OpenProperty(This, ulPropTag, lpiid, ulInterfaceOptions, ulFlags, lppUnk))
#define IMAPIContainer_SetProps(This, cValues, lpPropArray, lppProblems) \
    ((This)->lpVtbl->SetProps(This, cValues, lpPropArray, lppProblems))
#define IMAPIContainer_DeleteProps(This, lpPropTagArray, lppProblems) \
    ((This)->lpVtbl->DeleteProps(This, lpPropTagArray, lppProblems))
#define IMAPIContainer_CopyTo(This, ciidExclude, rgiidExclude, lpExcludeProps, ulUIParam, lpProgress, lpInterface, lpDestObj, ulFlags, lppProblems) \
    ((This)->lpVtbl->CopyTo(This, ciidExclude, rgiidExclude, lpExcludeProps, ulUIParam, lpProgress, lpInterface, lpDestObj, ulFlags, lppProblems))
#define IMAPIContainer_CopyProps(This, lpIncludeProps, ulUIParam, lpProgress, lpInterface, lpDestObj, ulFlags, lppProblems) \
    ((This)->lpVtbl->CopyProps(This, lpIncludeProps, ulUIParam, lpProgress, lpInterface, lpDestObj, ulFlags, lppProblems))
#define IMAPIContainer_GetNamesFromIDs(This, lppPropTags, lpPropSetGuid, ulFlags, lpcPropNames, lpppPropNames) \
    ((This)->lpVtbl->GetNamesFromIDs(This, lppPropTags, lpPropSetGuid, ulFlags, lpcPropNames, lpppPropNames))
#define IMAPIContainer_GetIDsFromNames(This, cPropNames, lppPropNames, ulFlags, lppPropTags) \
    ((This)->lpVtbl->GetIDsFromNames(This, cPropNames, lppPropNames, ulFlags, lppPropTags))
#define IMAPIContainer_GetContentsTable(This, ulFlags, lppTable) \
    ((This)->lpVtbl->GetContentsTable(This, ulFlags, lppTable))
#define IMAPIContainer_GetHierarchyTable(This, ulFlags, lppTable) \
    ((This)->lpVtbl->GetHierarchyTable(This, ulFlags, lppTable))
#define IMAPIContainer_OpenEntry(This, cbEntryID, lpEntryID, lpInterface, ulFlags, lpulObjType, lppUnk) \
    ((This)->lpVtbl->OpenEntry(This, cbEntryID, lpEntryID, lpInterface, ulFlags, lpulObjType, lppUnk))
#define IMAPIContainer_SetSearchCriteria(This, lpRestriction, lpContainerList, ulSearchFlags) \
    ((This)->lpVtbl->SetSearchCriteria(This, lpRestriction, lpContainerList, ulSearchFlags))
#define IMAPIContainer_GetSearchCriteria(This, ulFlags, lppRestriction, lppContainerList, lpulSearchState) \
    ((This)->lpVtbl->GetSearchCriteria(This, ulFlags, lppRestriction, lppContainerList, lpulSearchState))


/* IABContainer: 23 slots. */
typedef struct IABContainerVtbl {
    MAPI_VT_IUNKNOWN(IABContainer)
    MAPI_VT_IMAPIPROP(IABContainer)
    MAPI_VT_IMAPICONTAINER(IABContainer)
    MAPI_VT_IABCONTAINER(IABContainer)
} IABContainerVtbl;
struct IABContainer {
    const IABContainerVtbl *lpVtbl;
};

#define IABContainer_QueryInterface(This, riid, ppvObj) \
    ((This)->lpVtbl->QueryInterface(This, riid, ppvObj))
#define IABContainer_AddRef(This) \
    ((This)->lpVtbl->AddRef(This))
#define IABContainer_Release(This) \
    ((This)->lpVtbl->Release(This))
#define IABContainer_GetLastError(This, hResult, ulFlags, lppMAPIError) \
    ((This)->lpVtbl->GetLastError(This, hResult, ulFlags, lppMAPIError))
#define IABContainer_SaveChanges(This, ulFlags) \
    ((This)->lpVtbl->SaveChanges(This, ulFlags))
#define IABContainer_GetProps(This, lpPropTagArray, ulFlags, lpcValues, lppPropArray) \
    ((This)->lpVtbl->GetProps(This, lpPropTagArray, ulFlags, lpcValues, lppPropArray))
#define IABContainer_GetPropList(This, ulFlags, lppPropTagArray) \
    ((This)->lpVtbl->GetPropList(This, ulFlags, lppPropTagArray))
#define IABContainer_OpenProperty(This, ulPropTag, lpiid, ulInterfaceOptions, ulFlags, lppUnk) \
    ((This)->lpVtbl->OpenProperty(This, ulPropTag, lpiid, ulInterfaceOptions, ulFlags, lppUnk))
#define IABContainer_SetProps(This, cValues, lpPropArray, lppProblems) \
    ((This)->lpVtbl->SetProps(This, cValues, lpPropArray, lppProblems))
#define IABContainer_DeleteProps(This, lpPropTagArray, lppProblems) \
    ((This)->lpVtbl->DeleteProps(This, lpPropTagArray, lppProblems))
#define IABContainer_CopyTo(This, ciidExclude, rgiidExclude, lpExcludeProps, ulUIParam, lpProgress, lpInterface, lpDestObj, ulFlags, lppProblems) \
    ((This)->lpVtbl->CopyTo(This, ciidExclude, rgiidExclude, lpExcludeProps, ulUIParam, lpProgress, lpInterface, lpDestObj, ulFlags, lppProblems))
#define IABContainer_CopyProps(This, lpIncludeProps, ulUIParam, lpProgress, lpInterface, lpDestObj, ulFlags, lppProblems) \
    ((This)->lpVtbl->CopyProps(This, lpIncludeProps, ulUIParam, lpProgress, lpInterface, lpDestObj, ulFlags, lppProblems))
#define IABContainer_GetNamesFromIDs(This, lppPropTags, lpPropSetGuid, ulFlags, lpcPropNames, lpppPropNames) \
    ((This)->lpVtbl->GetNamesFromIDs(This, lppPropTags, lpPropSetGuid, ulFlags, lpcPropNames, lpppPropNames))
#define IABContainer_GetIDsFromNames(This, cPropNames, lppPropNames, ulFlags, lppPropTags) \
    ((This)->lpVtbl->GetIDsFromNames(This, cPropNames, lppPropNames, ulFlags, lppPropTags))
#define IABContainer_GetContentsTable(This, ulFlags, lppTable) \
    ((This)->lpVtbl->GetContentsTable(This, ulFlags, lppTable))
#define IABContainer_GetHierarchyTable(This, ulFlags, lppTable) \
    ((This)->lpVtbl->GetHierarchyTable(This, ulFlags, lppTable))
#define IABContainer_OpenEntry(This, cbEntryID, lpEntryID, lpInterface, ulFlags, lpulObjType, lppUnk) \
    ((This)->lpVtbl->OpenEntry(This, cbEntryID, lpEntryID, lpInterface, ulFlags, lpulObjType, lppUnk))
#define IABContainer_SetSearchCriteria(This, lpRestriction, lpContainerList, ulSearchFlags) \
    ((This)->lpVtbl->SetSearchCriteria(This, lpRestriction, lpContainerList, ulSearchFlags))
#define IABContainer_GetSearchCriteria(This, ulFlags, lppRestriction, lppContainerList, lpulSearchState) \
    ((This)->lpVtbl->GetSearchCriteria(This, ulFlags, lppRestriction, lppContainerList, lpulSearchState))
#define IABContainer_CreateEntry(This, cbEntryID, lpEntryID, ulCreateFlags, lppMAPIPropEntry) \
    ((This)->lpVtbl->CreateEntry(This, cbEntryID, lpEntryID, ulCreateFlags, lppMAPIPropEntry))
#define IABContainer_CopyEntries(This, lpEntries, ulUIParam, lpProgress, ulFlags) \
    ((This)->lpVtbl->CopyEntries(This, lpEntries, ulUIParam, lpProgress, ulFlags))
#define IABContainer_DeleteEntries(This, lpEntries, ulFlags) \
    ((This)->lpVtbl->DeleteEntries(This, lpEntries, ulFlags))
#define IABContainer_ResolveNames(This, lpPropTagArray, ulFlags, lpAdrList, lpFlagList) \
    ((This)->lpVtbl->ResolveNames(This, lpPropTagArray, ulFlags, lpAdrList, lpFlagList))


/* IDistList: 23 slots. */
typedef struct IDistListVtbl {
    MAPI_VT_IUNKNOWN(IDistList)
    MAPI_VT_IMAPIPROP(IDistList)
    MAPI_VT_IMAPICONTAINER(IDistList)
    MAPI_VT_IDISTLIST(IDistList)
} IDistListVtbl;
struct IDistList {
    const IDistListVtbl *lpVtbl;
};

#define IDistList_QueryInterface(This, riid, ppvObj) \
    ((This)->lpVtbl->QueryInterface(This, riid, ppvObj))
#define IDistList_AddRef(This) \
    ((This)->lpVtbl->AddRef(This))
#define IDistList_Release(This) \
    ((This)->lpVtbl->Release(This))
#define IDistList_GetLastError(This, hResult, ulFlags, lppMAPIError) \
    ((This)->lpVtbl->GetLastError(This, hResult, ulFlags, lppMAPIError))
#define IDistList_SaveChanges(This, ulFlags) \
    ((This)->lpVtbl->SaveChanges(This, ulFlags))
#define IDistList_GetProps(This, lpPropTagArray, ulFlags, lpcValues, lppPropArray) \
    ((This)->lpVtbl->GetProps(This, lpPropTagArray, ulFlags, lpcValues, lppPropArray))
#define IDistList_GetPropList(This, ulFlags, lppPropTagArray) \
    ((This)->lpVtbl->GetPropList(This, ulFlags, lppPropTagArray))
#define IDistList_OpenProperty(This, ulPropTag, lpiid, ulInterfaceOptions, ulFlags, lppUnk) \
    ((This)->lpVtbl->OpenProperty(This, ulPropTag, lpiid, ulInterfaceOptions, ulFlags, lppUnk))
#define IDistList_SetProps(This, cValues, lpPropArray, lppProblems) \
    ((This)->lpVtbl->SetProps(This, cValues, lpPropArray, lppProblems))
#define IDistList_DeleteProps(This, lpPropTagArray, lppProblems) \
    ((This)->lpVtbl->DeleteProps(This, lpPropTagArray, lppProblems))
#define IDistList_CopyTo(This, ciidExclude, rgiidExclude, lpExcludeProps, ulUIParam, lpProgress, lpInterface, lpDestObj, ulFlags, lppProblems) \
    ((This)->lpVtbl->CopyTo(This, ciidExclude, rgiidExclude, lpExcludeProps, ulUIParam, lpProgress, lpInterface, lpDestObj, ulFlags, lppProblems))
#define IDistList_CopyProps(This, lpIncludeProps, ulUIParam, lpProgress, lpInterface, lpDestObj, ulFlags, lppProblems) \
    ((This)->lpVtbl->CopyProps(This, lpIncludeProps, ulUIParam, lpProgress, lpInterface, lpDestObj, ulFlags, lppProblems))
#define IDistList_GetNamesFromIDs(This, lppPropTags, lpPropSetGuid, ulFlags, lpcPropNames, lpppPropNames) \
    ((This)->lpVtbl->GetNamesFromIDs(This, lppPropTags, lpPropSetGuid, ulFlags, lpcPropNames, lpppPropNames))
#define IDistList_GetIDsFromNames(This, cPropNames, lppPropNames, ulFlags, lppPropTags) \
    ((This)->lpVtbl->GetIDsFromNames(This, cPropNames, lppPropNames, ulFlags, lppPropTags))
#define IDistList_GetContentsTable(This, ulFlags, lppTable) \
    ((This)->lpVtbl->GetContentsTable(This, ulFlags, lppTable))
#define IDistList_GetHierarchyTable(This, ulFlags, lppTable) \
    ((This)->lpVtbl->GetHierarchyTable(This, ulFlags, lppTable))
#define IDistList_OpenEntry(This, cbEntryID, lpEntryID, lpInterface, ulFlags, lpulObjType, lppUnk) \
    ((This)->lpVtbl->OpenEntry(This, cbEntryID, lpEntryID, lpInterface, ulFlags, lpulObjType, lppUnk))
#define IDistList_SetSearchCriteria(This, lpRestriction, lpContainerList, ulSearchFlags) \
    ((This)->lpVtbl->SetSearchCriteria(This, lpRestriction, lpContainerList, ulSearchFlags))
#define IDistList_GetSearchCriteria(This, ulFlags, lppRestriction, lppContainerList, lpulSearchState) \
    ((This)->lpVtbl->GetSearchCriteria(This, ulFlags, lppRestriction, lppContainerList, lpulSearchState))
#define IDistList_CreateEntry(This, cbEntryID, lpEntryID, ulCreateFlags, lppMAPIPropEntry) \
    ((This)->lpVtbl->CreateEntry(This, cbEntryID, lpEntryID, ulCreateFlags, lppMAPIPropEntry))
#define IDistList_CopyEntries(This, lpEntries, ulUIParam, lpProgress, ulFlags) \
    ((This)->lpVtbl->CopyEntries(This, lpEntries, ulUIParam, lpProgress, ulFlags))
#define IDistList_DeleteEntries(This, lpEntries, ulFlags) \
    ((This)->lpVtbl->DeleteEntries(This, lpEntries, ulFlags))
#define IDistList_ResolveNames(This, lpPropTagArray, ulFlags, lpAdrList, lpFlagList) \
    ((This)->lpVtbl->ResolveNames(This, lpPropTagArray, ulFlags, lpAdrList, lpFlagList))


/* IMAPITable: 26 slots. */
typedef struct IMAPITableVtbl {
    MAPI_VT_IUNKNOWN(IMAPITable)
    MAPI_VT_IMAPITABLE(IMAPITable)
} IMAPITableVtbl;
struct IMAPITable {
    const IMAPITableVtbl *lpVtbl;
};

#define IMAPITable_QueryInterface(This, riid, ppvObj) \
    ((This)->lpVtbl->QueryInterface(This, riid, ppvObj))
#define IMAPITable_AddRef(This) \
    ((This)->lpVtbl->AddRef(This))
#define IMAPITable_Release(This) \
    ((This)->lpVtbl->Release(This))
#define IMAPITable_GetLastError(This, hResult, ulFlags, lppMAPIError) \
    ((This)->lpVtbl->GetLastError(This, hResult, ulFlags, lppMAPIError))
#define IMAPITable_Advise(This, ulEventMask, lpAdviseSink, lpulConnection) \
    ((This)->lpVtbl->Advise(This, ulEventMask, lpAdviseSink, lpulConnection))
#define IMAPITable_Unadvise(This, ulConnection) \
    ((This)->lpVtbl->Unadvise(This, ulConnection))
#define IMAPITable_GetStatus(This, lpulTableStatus, lpulTableType) \
    ((This)->lpVtbl->GetStatus(This, lpulTableStatus, lpulTableType))
#define IMAPITable_SetColumns(This, lpPropTagArray, ulFlags) \
    ((This)->lpVtbl->SetColumns(This, lpPropTagArray, ulFlags))
#define IMAPITable_QueryColumns(This, ulFlags, lpPropTagArray) \
    ((This)->lpVtbl->QueryColumns(This, ulFlags, lpPropTagArray))
#define IMAPITable_GetRowCount(This, ulFlags, lpulCount) \
    ((This)->lpVtbl->GetRowCount(This, ulFlags, lpulCount))
#define IMAPITable_SeekRow(This, bkOrigin, lRowCount, lplRowsSought) \
    ((This)->lpVtbl->SeekRow(This, bkOrigin, lRowCount, lplRowsSought))
#define IMAPITable_SeekRowApprox(This, ulNumerator, ulDenominator) \
    ((This)->lpVtbl->SeekRowApprox(This, ulNumerator, ulDenominator))
#define IMAPITable_QueryPosition(This, lpulRow, lpulNumerator, lpulDenominator) \
    ((This)->lpVtbl->QueryPosition(This, lpulRow, lpulNumerator, lpulDenominator))
#define IMAPITable_FindRow(This, lpRestriction, bkOrigin, ulFlags) \
    ((This)->lpVtbl->FindRow(This, lpRestriction, bkOrigin, ulFlags))
#define IMAPITable_Restrict(This, lpRestriction, ulFlags) \
    ((This)->lpVtbl->Restrict(This, lpRestriction, ulFlags))
#define IMAPITable_CreateBookmark(This, lpbkPosition) \
    ((This)->lpVtbl->CreateBookmark(This, lpbkPosition))
#define IMAPITable_FreeBookmark(This, bkPosition) \
    ((This)->lpVtbl->FreeBookmark(This, bkPosition))
#define IMAPITable_SortTable(This, lpSortCriteria, ulFlags) \
    ((This)->lpVtbl->SortTable(This, lpSortCriteria, ulFlags))
#define IMAPITable_QuerySortOrder(This, lppSortCriteria) \
    ((This)->lpVtbl->QuerySortOrder(This, lppSortCriteria))
#define IMAPITable_QueryRows(This, lRowCount, ulFlags, lppRows) \
    ((This)->lpVtbl->QueryRows(This, lRowCount, ulFlags, lppRows))
#define IMAPITable_Abort(This) \
    ((This)->lpVtbl->Abort(This))
#define IMAPITable_ExpandRow(This, cbInstanceKey, pbInstanceKey, ulRowCount, ulFlags, lppRows, lpulMoreRows) \
    ((This)->lpVtbl->ExpandRow(This, cbInstanceKey, pbInstanceKey, ulRowCount, ulFlags, lppRows, lpulMoreRows))
#define IMAPITable_CollapseRow(This, cbInstanceKey, pbInstanceKey, ulFlags, lpulRowCount) \
    ((This)->lpVtbl->CollapseRow(This, cbInstanceKey, pbInstanceKey, ulFlags, lpulRowCount))
#define IMAPITable_WaitForCompletion(This, ulFlags, ulTimeout, lpulTableStatus) \
    ((This)->lpVtbl->WaitForCompletion(This, ulFlags, ulTimeout, lpulTableStatus))
#define IMAPITable_GetCollapseState(This, ulFlags, cbInstanceKey, lpbInstanceKey, lpcbCollapseState, lppbCollapseState) \
    ((This)->lpVtbl->GetCollapseState(This, ulFlags, cbInstanceKey, lpbInstanceKey, lpcbCollapseState, lppbCollapseState))
#define IMAPITable_SetCollapseState(This, ulFlags, cbCollapseState, pbCollapseState, lpbkLocation) \
    ((This)->lpVtbl->SetCollapseState(This, ulFlags, cbCollapseState, pbCollapseState, lpbkLocation))


/* IMAPIAdviseSink: 4 slots. */
typedef struct IMAPIAdviseSinkVtbl {
    MAPI_VT_IUNKNOWN(IMAPIAdviseSink)
    MAPI_VT_IMAPIADVISESINK(IMAPIAdviseSink)
} IMAPIAdviseSinkVtbl;
struct IMAPIAdviseSink {
    const IMAPIAdviseSinkVtbl *lpVtbl;
};

#define IMAPIAdviseSink_QueryInterface(This, riid, ppvObj) \
    ((This)->lpVtbl->QueryInterface(This, riid, ppvObj))
#define IMAPIAdviseSink_AddRef(This) \
    ((This)->lpVtbl->AddRef(This))
#define IMAPIAdviseSink_Release(This) \
    ((This)->lpVtbl->Release(This))
#define IMAPIAdviseSink_OnNotify(This, cNotif, lpNotifications) \
    ((This)->lpVtbl->OnNotify(This, cNotif, lpNotifications))


/* IMAPIProgress: 8 slots. */
typedef struct IMAPIProgressVtbl {
    MAPI_VT_IUNKNOWN(IMAPIProgress)
    MAPI_VT_IMAPIPROGRESS(IMAPIProgress)
} IMAPIProgressVtbl;
struct IMAPIProgress {
    const IMAPIProgressVtbl *lpVtbl;
};

#define IMAPIProgress_QueryInterface(This, riid, ppvObj) \
    ((This)->lpVtbl->QueryInterface(This, riid, ppvObj))
#define IMAPIProgress_AddRef(This) \
    ((This)->lpVtbl->AddRef(This))
#define IMAPIProgress_Release(This) \
    ((This)->lpVtbl->Release(This))
#define IMAPIProgress_Progress(This, ulValue, ulCount, ulTotal) \
    ((This)->lpVtbl->Progress(This, ulValue, ulCount, ulTotal))
#define IMAPIProgress_GetFlags(This, lpulFlags) \
    ((This)->lpVtbl->GetFlags(This, lpulFlags))
#define IMAPIProgress_GetMax(This, lpulMax) \
    ((This)->lpVtbl->GetMax(This, lpulMax))
#define IMAPIProgress_GetMin(This, lpulMin) \
    ((This)->lpVtbl->GetMin(This, lpulMin))
#define IMAPIProgress_SetLimits(This, lpulMin, lpulMax, lpulFlags) \
    ((This)->lpVtbl->SetLimits(This, lpulMin, lpulMax, lpulFlags))


/* IMAPIProviderShutdown: 6 slots. */
typedef struct IMAPIProviderShutdownVtbl {
    MAPI_VT_IUNKNOWN(IMAPIProviderShutdown)
    MAPI_VT_IMAPIPROVIDERSHUTDOWN(IMAPIProviderShutdown)
} IMAPIProviderShutdownVtbl;
struct IMAPIProviderShutdown {
    const IMAPIProviderShutdownVtbl *lpVtbl;
};

#define IMAPIProviderShutdown_QueryInterface(This, riid, ppvObj) \
    ((This)->lpVtbl->QueryInterface(This, riid, ppvObj))
#define IMAPIProviderShutdown_AddRef(This) \
    ((This)->lpVtbl->AddRef(This))
#define IMAPIProviderShutdown_Release(This) \
    ((This)->lpVtbl->Release(This))
#define IMAPIProviderShutdown_QueryFastShutdown(This) \
    ((This)->lpVtbl->QueryFastShutdown(This))
#define IMAPIProviderShutdown_NotifyProcessShutdown(This) \
    ((This)->lpVtbl->NotifyProcessShutdown(This))
#define IMAPIProviderShutdown_DoFastShutdown(This) \
    ((This)->lpVtbl->DoFastShutdown(This))


#ifdef __cplusplus
}
#endif

#endif /* LDAPAB_MAPI_MAPIDEFS_H */
