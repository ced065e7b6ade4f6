/*
 * abi_layout.c - compile-time check of our MAPI headers against the sizes,
 * offsets and vtable slots of mapi-abi.md (sections 1-3).
 *
 * Compiled three times by ctest (see CMakeLists.txt): natively on Linux
 * x86-64 and with x86_64-w64-mingw32-gcc, both of which must give the Win64
 * numbers, and with i686-w64-mingw32-gcc, which must give the Win32 numbers.
 * A failing _Static_assert fails the compile and so the test.
 */
#define INITGUID
#include <mapi/mapispi.h>
#include <mapi/mapix.h>

#include "mapi_methods.h"

#if defined(_WIN32) && !defined(_WIN64)
#define W(w32, w64) (w32)
_Static_assert(sizeof(void *) == 4, "i686 build must be 32-bit");
#else
#define W(w32, w64) (w64)
_Static_assert(sizeof(void *) == 8, "only 64-bit Linux/Windows layouts are specified");
#endif

#define SIZE(T, w32, w64) \
    _Static_assert(sizeof(T) == W(w32, w64), "sizeof(" #T ")")
#define OFF(T, f, w32, w64) \
    _Static_assert(offsetof(T, f) == W(w32, w64), "offsetof(" #T ", " #f ")")

/* 1.1 scalar types */
SIZE(BYTE, 1, 1);
SIZE(WORD, 2, 2);
SIZE(USHORT, 2, 2);
SIZE(ULONG, 4, 4);
SIZE(DWORD, 4, 4);
SIZE(LONG, 4, 4);
SIZE(SCODE, 4, 4);
SIZE(HRESULT, 4, 4);
SIZE(BOOL, 4, 4);
SIZE(LONGLONG, 8, 8);
SIZE(ULONG_PTR, 4, 8);
SIZE(LONG_PTR, 4, 8);
SIZE(SIZE_T, 4, 8);
SIZE(LHANDLE, 4, 8);
SIZE(BOOKMARK, 4, 8);     /* MS-H: ULONG_PTR (spec 7 item 1) */
SIZE(LPVOID, 4, 8);
SIZE(LPBYTE, 4, 8);
SIZE(LPULONG, 4, 8);
SIZE(HINSTANCE, 4, 8);
SIZE(LPSTR, 4, 8);
SIZE(WCHAR, 2, 2);
SIZE(LPWSTR, 4, 8);
SIZE(LPTSTR, 4, 8);
_Static_assert((ULONG)-1 > 0 && (WCHAR)-1 > 0, "ULONG and WCHAR are unsigned");
_Static_assert((HRESULT)-1 < 0 && (LONG)-1 < 0, "HRESULT and LONG are signed");

/* 1.2 compound basic types */
SIZE(FILETIME, 8, 8);
_Static_assert(_Alignof(FILETIME) == 4, "FILETIME align 4");
OFF(FILETIME, dwHighDateTime, 4, 4);
SIZE(LARGE_INTEGER, 8, 8);
_Static_assert(_Alignof(LARGE_INTEGER) == 8, "LARGE_INTEGER align 8");
OFF(LARGE_INTEGER, u.HighPart, 4, 4);
SIZE(CURRENCY, 8, 8);
_Static_assert(_Alignof(CURRENCY) == 8, "CURRENCY align 8");
OFF(CURRENCY, Hi, 4, 4);
OFF(LARGE_INTEGER, HighPart, 4, 4);
SIZE(GUID, 16, 16);
OFF(GUID, Data2, 4, 4);
OFF(GUID, Data3, 6, 6);
OFF(GUID, Data4, 8, 8);
SIZE(MAPIUID, 16, 16);
SIZE(REFIID, 4, 8);
SIZE(LPCIID, 4, 8);

/* 2.1 SPropValue, _PV and the multi-value arrays */
SIZE(SPropValue, 16, 24);
OFF(SPropValue, dwAlignPad, 4, 4);
OFF(SPropValue, Value, 8, 8);
SIZE(union _PV, 8, 16);
_Static_assert(_Alignof(union _PV) == 8, "_PV align 8");
SIZE(((SPropValue *)0)->Value.b, 2, 2);   /* PT_BOOLEAN is 16-bit */
SIZE(((SPropValue *)0)->Value.i, 2, 2);
SIZE(((SPropValue *)0)->Value.lpguid, 4, 8); /* PT_CLSID: a pointer */
#define MVARRAY(T, p) SIZE(T, 8, 16); OFF(T, p, 4, 8)
MVARRAY(SBinary, lpb);
MVARRAY(SShortArray, lpi);
MVARRAY(SLongArray, lpl);
MVARRAY(SRealArray, lpflt);
MVARRAY(SDoubleArray, lpdbl);
MVARRAY(SCurrencyArray, lpcur);
MVARRAY(SAppTimeArray, lpat);
MVARRAY(SDateTimeArray, lpft);
MVARRAY(SBinaryArray, lpbin);
MVARRAY(ENTRYLIST, lpbin);
MVARRAY(SLPSTRArray, lppszA);
MVARRAY(SWStringArray, lppszW);
MVARRAY(SGuidArray, lpguid);
MVARRAY(SLargeIntegerArray, lpli);

/* 2.2 tag arrays, problems, rows, address lists */
OFF(SPropTagArray, aulPropTag, 4, 4);
_Static_assert(CbNewSPropTagArray(3) == 4 + 3 * 4, "CbNewSPropTagArray");
SIZE(SPropProblem, 12, 12);
OFF(SPropProblem, ulPropTag, 4, 4);
OFF(SPropProblem, scode, 8, 8);
OFF(SPropProblemArray, aProblem, 4, 4);
_Static_assert(CbNewSPropProblemArray(2) == 4 + 2 * 12, "CbNewSPropProblemArray");
SIZE(SRow, 12, 16);
OFF(SRow, cValues, 4, 4);
OFF(SRow, lpProps, 8, 8);
OFF(SRowSet, aRow, 4, 8);
_Static_assert(CbNewSRowSet(2) == W(4, 8) + 2 * W(12, 16), "CbNewSRowSet");
SIZE(ADRENTRY, 12, 16);
OFF(ADRENTRY, cValues, 4, 4);
OFF(ADRENTRY, rgPropVals, 8, 8);
OFF(ADRLIST, aEntries, 4, 8);
_Static_assert(CbNewADRLIST(2) == CbNewSRowSet(2), "ADRLIST has SRowSet's shape");
SIZE(SSortOrder, 8, 8);
OFF(SSortOrder, ulOrder, 4, 4);
OFF(SSortOrderSet, cCategories, 4, 4);
OFF(SSortOrderSet, cExpanded, 8, 8);
OFF(SSortOrderSet, aSort, 12, 12);
_Static_assert(CbNewSSortOrderSet(2) == 12 + 2 * 8, "CbNewSSortOrderSet");
OFF(FlagList, ulFlag, 4, 4);
_Static_assert(CbNewFlagList(5) == 4 + 5 * 4, "CbNewFlagList");
OFF(ENTRYID, ab, 4, 4);
_Static_assert(CbNewENTRYID(20) == 4 + 20, "CbNewENTRYID");
OFF(FLATENTRY, abEntry, 4, 4);
_Static_assert(CbNewFLATENTRY(20) == 4 + 20, "CbNewFLATENTRY");
OFF(FLATENTRYLIST, cbEntries, 4, 4);
OFF(FLATENTRYLIST, abEntries, 8, 8);
_Static_assert(CbNewFLATENTRYLIST(20) == 8 + 20, "CbNewFLATENTRYLIST");
OFF(NOTIFKEY, ab, 4, 4);
_Static_assert(CbNewNOTIFKEY(16) == 4 + 16, "CbNewNOTIFKEY");
SIZE(MAPIERROR, 20, 32);
OFF(MAPIERROR, lpszError, 4, 8);
OFF(MAPIERROR, lpszComponent, 8, 16);
OFF(MAPIERROR, ulLowLevelError, 12, 24);
OFF(MAPIERROR, ulContext, 16, 28);
SIZE(MAPINAMEID, 12, 24);
OFF(MAPINAMEID, ulKind, 4, 8);
OFF(MAPINAMEID, Kind, 8, 16);
OFF(MAPINAMEID, Kind.lID, 8, 16);
OFF(MAPINAMEID, Kind.lpwstrName, 8, 16);

/* SizedXxx helpers give the layout of the real structure (used as typedefs). */
typedef SizedSPropTagArray(3, sized_tags);
_Static_assert(sizeof(sized_tags) == CbNewSPropTagArray(3), "SizedSPropTagArray");
typedef SizedSRowSet(2, sized_rows);
_Static_assert(sizeof(sized_rows) == CbNewSRowSet(2), "SizedSRowSet");
typedef SizedADRLIST(2, sized_adrlist);
_Static_assert(sizeof(sized_adrlist) == CbNewADRLIST(2), "SizedADRLIST");
typedef SizedSSortOrderSet(2, sized_sort);
_Static_assert(sizeof(sized_sort) == CbNewSSortOrderSet(2), "SizedSSortOrderSet");
typedef SizedENTRYID(20, sized_eid);
_Static_assert(sizeof(sized_eid) == CbNewENTRYID(20), "SizedENTRYID");
typedef SizedFlagList(5, sized_flags);
_Static_assert(sizeof(sized_flags) == CbNewFlagList(5), "SizedFlagList");
typedef SizedNOTIFKEY(16, sized_key);
_Static_assert(sizeof(sized_key) == CbNewNOTIFKEY(16), "SizedNOTIFKEY");

/* 2.3 restrictions */
SIZE(SRestriction, 16, 32);
OFF(SRestriction, res, 4, 8);
#define PAIRREST(T, a, b) SIZE(T, 8, 16); OFF(T, b, 4, 8)
PAIRREST(SAndRestriction, cRes, lpRes);
PAIRREST(SOrRestriction, cRes, lpRes);
PAIRREST(SNotRestriction, ulReserved, lpRes);
PAIRREST(SSubRestriction, ulSubObject, lpRes);
PAIRREST(SCountRestriction, ulCount, lpRes);
SIZE(SContentRestriction, 12, 16);
OFF(SContentRestriction, ulPropTag, 4, 4);
OFF(SContentRestriction, lpProp, 8, 8);
SIZE(SPropertyRestriction, 12, 16);
OFF(SPropertyRestriction, ulPropTag, 4, 4);
OFF(SPropertyRestriction, lpProp, 8, 8);
#define ULONG3(T, f2, f3) SIZE(T, 12, 12); OFF(T, f2, 4, 4); OFF(T, f3, 8, 8)
ULONG3(SComparePropsRestriction, ulPropTag1, ulPropTag2);
ULONG3(SBitMaskRestriction, ulPropTag, ulMask);
ULONG3(SSizeRestriction, ulPropTag, cb);
ULONG3(SExistRestriction, ulPropTag, ulReserved2);
SIZE(SCommentRestriction, 12, 24);
OFF(SCommentRestriction, lpRes, 4, 8);
OFF(SCommentRestriction, lpProp, 8, 16);
SIZE(SAnnotationRestriction, 12, 24);
OFF(SAnnotationRestriction, lpRes, 4, 8);
OFF(SAnnotationRestriction, lpProp, 8, 16);

/* 2.4 notifications */
SIZE(NOTIFICATION, 64, 88);
OFF(NOTIFICATION, ulAlignPad, 4, 4);
OFF(NOTIFICATION, info, 8, 8);
SIZE(TABLE_NOTIFICATION, 56, 80);
OFF(TABLE_NOTIFICATION, hResult, 4, 4);
OFF(TABLE_NOTIFICATION, propIndex, 8, 8);
OFF(TABLE_NOTIFICATION, propPrior, 24, 32);
OFF(TABLE_NOTIFICATION, row, 40, 56);
OFF(TABLE_NOTIFICATION, ulPad, 52, 72);
SIZE(OBJECT_NOTIFICATION, 40, 72);
OFF(OBJECT_NOTIFICATION, lpEntryID, 4, 8);
OFF(OBJECT_NOTIFICATION, ulObjType, 8, 16);
OFF(OBJECT_NOTIFICATION, cbParentID, 12, 20);
OFF(OBJECT_NOTIFICATION, lpParentID, 16, 24);
OFF(OBJECT_NOTIFICATION, cbOldID, 20, 32);
OFF(OBJECT_NOTIFICATION, lpOldID, 24, 40);
OFF(OBJECT_NOTIFICATION, cbOldParentID, 28, 48);
OFF(OBJECT_NOTIFICATION, lpOldParentID, 32, 56);
OFF(OBJECT_NOTIFICATION, lpPropTagArray, 36, 64);
SIZE(ERROR_NOTIFICATION, 20, 32);
OFF(ERROR_NOTIFICATION, lpEntryID, 4, 8);
OFF(ERROR_NOTIFICATION, scode, 8, 16);
OFF(ERROR_NOTIFICATION, ulFlags, 12, 20);
OFF(ERROR_NOTIFICATION, lpMAPIError, 16, 24);
SIZE(STATUS_OBJECT_NOTIFICATION, 16, 32);
OFF(STATUS_OBJECT_NOTIFICATION, lpEntryID, 4, 8);
OFF(STATUS_OBJECT_NOTIFICATION, cValues, 8, 16);
OFF(STATUS_OBJECT_NOTIFICATION, lpPropVals, 12, 24);
SIZE(NEWMAIL_NOTIFICATION, 28, 56);
SIZE(EXTENDED_NOTIFICATION, 12, 16);
OFF(EXTENDED_NOTIFICATION, cb, 4, 4);
OFF(EXTENDED_NOTIFICATION, pbEventParameters, 8, 8);

/* 2.5 ADRPARM */
SIZE(ADRPARM, 72, 136);
OFF(ADRPARM, lpABContEntryID, 4, 8);
OFF(ADRPARM, lpHierRestriction, 68, 128);

/* 3 vtables: slot count and the spec's slot of every method */
#define SLOT_M(I, m, slot, R, n, T) \
    _Static_assert(offsetof(I##Vtbl, m) / sizeof(void *) == (slot), "slot of " #I "::" #m);
#define SLOT_V(I, m, slot, n, T) SLOT_M(I, m, slot, void, n, T)
#define IFACE_LAYOUT(I) \
    _Static_assert(sizeof(I##Vtbl) == SLOTS_##I * sizeof(void *), "slot count of " #I); \
    _Static_assert(sizeof(I) == sizeof(void *), #I " is one vtable pointer"); \
    _Static_assert(offsetof(I, lpVtbl) == 0, #I "::lpVtbl first"); \
    METHODS_##I(SLOT_M, SLOT_V)
ALL_INTERFACES(IFACE_LAYOUT)


/*
 * 1.3 calling conventions and 4.1/4.2 entry points, by exact function type
 * (on i686 gcc treats __stdcall and __cdecl function types as different, so
 * _Generic sees the convention; elsewhere both macros are empty), and the
 * ULONG_PTR parameters of spec section 7 item 1 (MS-H), which matter on Win64.
 */
#if defined(_WIN32) && !defined(_WIN64)
#define ABI_STDCALL __attribute__((__stdcall__))
#define ABI_CDECL __attribute__((__cdecl__))
_Static_assert(_Generic((HRESULT (ABI_STDCALL *)(void))0, HRESULT (ABI_CDECL *)(void): 0, default: 1),
               "the compiler must tell stdcall from cdecl for these checks to mean anything");
#else
#define ABI_STDCALL
#define ABI_CDECL
#endif
#define HAS_TYPE(expr, T, what) _Static_assert(_Generic((expr), T: 1, default: 0), what)
#define VT(I, m) (((I##Vtbl *)0)->m)

HAS_TYPE((LPALLOCATEBUFFER)0, SCODE (ABI_STDCALL *)(ULONG, LPVOID *), "ALLOCATEBUFFER: stdcall");
HAS_TYPE((LPALLOCATEMORE)0, SCODE (ABI_STDCALL *)(ULONG, LPVOID, LPVOID *), "ALLOCATEMORE: stdcall");
HAS_TYPE((LPFREEBUFFER)0, ULONG (ABI_STDCALL *)(LPVOID), "FREEBUFFER: stdcall");
HAS_TYPE((LPNOTIFCALLBACK)0, LONG (ABI_STDCALL *)(LPVOID, ULONG, LPNOTIFICATION), "NOTIFCALLBACK: stdcall");
HAS_TYPE((LPABPROVIDERINIT)0,
         HRESULT (ABI_CDECL *)(HINSTANCE, LPMALLOC, LPALLOCATEBUFFER, LPALLOCATEMORE, LPFREEBUFFER,
                               ULONG, ULONG, ULONG *, LPABPROVIDER *),
         "ABPROVIDERINIT: cdecl, spec 4.1 parameters");
HAS_TYPE(&ABProviderInit,
         HRESULT (ABI_CDECL *)(HINSTANCE, LPMALLOC, LPALLOCATEBUFFER, LPALLOCATEMORE, LPFREEBUFFER,
                               ULONG, ULONG, ULONG *, LPABPROVIDER *),
         "ABProviderInit declared with ABPROVIDERINIT");
HAS_TYPE((LPMSGSERVICEENTRY)0,
         HRESULT (ABI_STDCALL *)(HINSTANCE, LPMALLOC, LPMAPISUP, ULONG_PTR, ULONG, ULONG, ULONG,
                                 LPSPropValue, LPPROVIDERADMIN, LPMAPIERROR *),
         "MSGSERVICEENTRY: stdcall, ULONG_PTR ulUIParam");
HAS_TYPE(VT(IUnknown, Release), ULONG (ABI_STDCALL *)(IUnknown *), "methods: stdcall");
HAS_TYPE(VT(IMAPITable, Advise),
         HRESULT (ABI_STDCALL *)(IMAPITable *, ULONG, LPMAPIADVISESINK, ULONG_PTR *), "IMAPITable::Advise cookie");
HAS_TYPE(VT(IMAPITable, Unadvise), HRESULT (ABI_STDCALL *)(IMAPITable *, ULONG_PTR), "IMAPITable::Unadvise cookie");
HAS_TYPE(VT(IMAPITable, SeekRow), HRESULT (ABI_STDCALL *)(IMAPITable *, BOOKMARK, LONG, LONG *), "SeekRow");
HAS_TYPE(VT(IABLogon, Advise),
         HRESULT (ABI_STDCALL *)(IABLogon *, ULONG, LPENTRYID, ULONG, LPMAPIADVISESINK, ULONG_PTR *),
         "IABLogon::Advise cookie");
HAS_TYPE(VT(IABLogon, Unadvise), HRESULT (ABI_STDCALL *)(IABLogon *, ULONG_PTR), "IABLogon::Unadvise cookie");
HAS_TYPE(VT(IMAPISupport, Subscribe),
         HRESULT (ABI_STDCALL *)(IMAPISupport *, LPNOTIFKEY, ULONG, ULONG, LPMAPIADVISESINK, ULONG_PTR *),
         "IMAPISupport::Subscribe cookie");
HAS_TYPE(VT(IMAPISupport, Unsubscribe), HRESULT (ABI_STDCALL *)(IMAPISupport *, ULONG_PTR),
         "IMAPISupport::Unsubscribe cookie");
HAS_TYPE(VT(IMAPISupport, Address), HRESULT (ABI_STDCALL *)(IMAPISupport *, ULONG_PTR *, LPADRPARM, LPADRLIST *),
         "IMAPISupport::Address lpulUIParam");
HAS_TYPE(VT(IABProvider, Logon),
         HRESULT (ABI_STDCALL *)(IABProvider *, LPMAPISUP, ULONG_PTR, LPTSTR, ULONG, ULONG *, LPBYTE *,
                                 LPMAPIERROR *, LPABLOGON *),
         "IABProvider::Logon ulUIParam");
HAS_TYPE(VT(IMAPIStatus, ValidateState), HRESULT (ABI_STDCALL *)(IMAPIStatus *, ULONG_PTR, ULONG),
         "IMAPIStatus::ValidateState ulUIParam");
HAS_TYPE(VT(IMAPIAdviseSink, OnNotify), ULONG (ABI_STDCALL *)(IMAPIAdviseSink *, ULONG, LPNOTIFICATION),
         "OnNotify returns ULONG (spec 7 item 6)");

/* Something to compile into an object. */
int abi_layout_anchor(void);
int abi_layout_anchor(void)
{
    return (int)IID_IABLogon.Data1;
}
