/*
 * tests/abi/mapi_methods.h - every method of every interface in our MAPI
 * headers, as X-macro lists.  Slot numbers are those of the tables of
 * mapi-abi.md section 3 (the spec), not derived from the headers; parameter
 * types are the spec's.  Used by abi_layout.c (slot asserts),
 * crosscheck_ours.c/crosscheck_mingw.c (slot equality with mingw-w64) and
 * abi_call_macros.c.
 *
 * M(I, Method, slot, RetType, nargs, (T1, T2, ...))   method returning a value
 * V(I, Method, slot, nargs, (T1, ...))                method returning void
 */
#ifndef LDAPAB_TESTS_ABI_MAPI_METHODS_H
#define LDAPAB_TESTS_ABI_MAPI_METHODS_H

/* IUnknown: 3 slots */
#define METHODS_IUnknown(M, V) \
    M(IUnknown, QueryInterface, 0, HRESULT, 2, (REFIID, LPVOID *)) \
    M(IUnknown, AddRef, 1, ULONG, 0, ()) \
    M(IUnknown, Release, 2, ULONG, 0, ())
#define SLOTS_IUnknown 3

/* IMalloc: 9 slots */
#define METHODS_IMalloc(M, V) \
    M(IMalloc, QueryInterface, 0, HRESULT, 2, (REFIID, LPVOID *)) \
    M(IMalloc, AddRef, 1, ULONG, 0, ()) \
    M(IMalloc, Release, 2, ULONG, 0, ()) \
    M(IMalloc, Alloc, 3, void *, 1, (SIZE_T)) \
    M(IMalloc, Realloc, 4, void *, 2, (void *, SIZE_T)) \
    V(IMalloc, Free, 5, 1, (void *)) \
    M(IMalloc, GetSize, 6, SIZE_T, 1, (void *)) \
    M(IMalloc, DidAlloc, 7, int, 1, (void *)) \
    V(IMalloc, HeapMinimize, 8, 0, ())
#define SLOTS_IMalloc 9

/* IMAPIProp: 14 slots */
#define METHODS_IMAPIProp(M, V) \
    M(IMAPIProp, QueryInterface, 0, HRESULT, 2, (REFIID, LPVOID *)) \
    M(IMAPIProp, AddRef, 1, ULONG, 0, ()) \
    M(IMAPIProp, Release, 2, ULONG, 0, ()) \
    M(IMAPIProp, GetLastError, 3, HRESULT, 3, (HRESULT, ULONG, LPMAPIERROR *)) \
    M(IMAPIProp, SaveChanges, 4, HRESULT, 1, (ULONG)) \
    M(IMAPIProp, GetProps, 5, HRESULT, 4, (LPSPropTagArray, ULONG, ULONG *, LPSPropValue *)) \
    M(IMAPIProp, GetPropList, 6, HRESULT, 2, (ULONG, LPSPropTagArray *)) \
    M(IMAPIProp, OpenProperty, 7, HRESULT, 5, (ULONG, LPCIID, ULONG, ULONG, LPUNKNOWN *)) \
    M(IMAPIProp, SetProps, 8, HRESULT, 3, (ULONG, LPSPropValue, LPSPropProblemArray *)) \
    M(IMAPIProp, DeleteProps, 9, HRESULT, 2, (LPSPropTagArray, LPSPropProblemArray *)) \
    M(IMAPIProp, CopyTo, 10, HRESULT, 9, (ULONG, LPCIID, LPSPropTagArray, ULONG_PTR, LPMAPIPROGRESS, LPCIID, LPVOID, ULONG, LPSPropProblemArray *)) \
    M(IMAPIProp, CopyProps, 11, HRESULT, 7, (LPSPropTagArray, ULONG_PTR, LPMAPIPROGRESS, LPCIID, LPVOID, ULONG, LPSPropProblemArray *)) \
    M(IMAPIProp, GetNamesFromIDs, 12, HRESULT, 5, (LPSPropTagArray *, LPGUID, ULONG, ULONG *, LPMAPINAMEID **)) \
    M(IMAPIProp, GetIDsFromNames, 13, HRESULT, 4, (ULONG, LPMAPINAMEID *, ULONG, LPSPropTagArray *))
#define SLOTS_IMAPIProp 14

/* IMailUser: 14 slots */
#define METHODS_IMailUser(M, V) \
    M(IMailUser, QueryInterface, 0, HRESULT, 2, (REFIID, LPVOID *)) \
    M(IMailUser, AddRef, 1, ULONG, 0, ()) \
    M(IMailUser, Release, 2, ULONG, 0, ()) \
    M(IMailUser, GetLastError, 3, HRESULT, 3, (HRESULT, ULONG, LPMAPIERROR *)) \
    M(IMailUser, SaveChanges, 4, HRESULT, 1, (ULONG)) \
    M(IMailUser, GetProps, 5, HRESULT, 4, (LPSPropTagArray, ULONG, ULONG *, LPSPropValue *)) \
    M(IMailUser, GetPropList, 6, HRESULT, 2, (ULONG, LPSPropTagArray *)) \
    M(IMailUser, OpenProperty, 7, HRESULT, 5, (ULONG, LPCIID, ULONG, ULONG, LPUNKNOWN *)) \
    M(IMailUser, SetProps, 8, HRESULT, 3, (ULONG, LPSPropValue, LPSPropProblemArray *)) \
    M(IMailUser, DeleteProps, 9, HRESULT, 2, (LPSPropTagArray, LPSPropProblemArray *)) \
    M(IMailUser, CopyTo, 10, HRESULT, 9, (ULONG, LPCIID, LPSPropTagArray, ULONG_PTR, LPMAPIPROGRESS, LPCIID, LPVOID, ULONG, LPSPropProblemArray *)) \
    M(IMailUser, CopyProps, 11, HRESULT, 7, (LPSPropTagArray, ULONG_PTR, LPMAPIPROGRESS, LPCIID, LPVOID, ULONG, LPSPropProblemArray *)) \
    M(IMailUser, GetNamesFromIDs, 12, HRESULT, 5, (LPSPropTagArray *, LPGUID, ULONG, ULONG *, LPMAPINAMEID **)) \
    M(IMailUser, GetIDsFromNames, 13, HRESULT, 4, (ULONG, LPMAPINAMEID *, ULONG, LPSPropTagArray *))
#define SLOTS_IMailUser 14

/* IProfSect: 14 slots */
#define METHODS_IProfSect(M, V) \
    M(IProfSect, QueryInterface, 0, HRESULT, 2, (REFIID, LPVOID *)) \
    M(IProfSect, AddRef, 1, ULONG, 0, ()) \
    M(IProfSect, Release, 2, ULONG, 0, ()) \
    M(IProfSect, GetLastError, 3, HRESULT, 3, (HRESULT, ULONG, LPMAPIERROR *)) \
    M(IProfSect, SaveChanges, 4, HRESULT, 1, (ULONG)) \
    M(IProfSect, GetProps, 5, HRESULT, 4, (LPSPropTagArray, ULONG, ULONG *, LPSPropValue *)) \
    M(IProfSect, GetPropList, 6, HRESULT, 2, (ULONG, LPSPropTagArray *)) \
    M(IProfSect, OpenProperty, 7, HRESULT, 5, (ULONG, LPCIID, ULONG, ULONG, LPUNKNOWN *)) \
    M(IProfSect, SetProps, 8, HRESULT, 3, (ULONG, LPSPropValue, LPSPropProblemArray *)) \
    M(IProfSect, DeleteProps, 9, HRESULT, 2, (LPSPropTagArray, LPSPropProblemArray *)) \
    M(IProfSect, CopyTo, 10, HRESULT, 9, (ULONG, LPCIID, LPSPropTagArray, ULONG_PTR, LPMAPIPROGRESS, LPCIID, LPVOID, ULONG, LPSPropProblemArray *)) \
    M(IProfSect, CopyProps, 11, HRESULT, 7, (LPSPropTagArray, ULONG_PTR, LPMAPIPROGRESS, LPCIID, LPVOID, ULONG, LPSPropProblemArray *)) \
    M(IProfSect, GetNamesFromIDs, 12, HRESULT, 5, (LPSPropTagArray *, LPGUID, ULONG, ULONG *, LPMAPINAMEID **)) \
    M(IProfSect, GetIDsFromNames, 13, HRESULT, 4, (ULONG, LPMAPINAMEID *, ULONG, LPSPropTagArray *))
#define SLOTS_IProfSect 14

/* IMAPIStatus: 18 slots */
#define METHODS_IMAPIStatus(M, V) \
    M(IMAPIStatus, QueryInterface, 0, HRESULT, 2, (REFIID, LPVOID *)) \
    M(IMAPIStatus, AddRef, 1, ULONG, 0, ()) \
    M(IMAPIStatus, Release, 2, ULONG, 0, ()) \
    M(IMAPIStatus, GetLastError, 3, HRESULT, 3, (HRESULT, ULONG, LPMAPIERROR *)) \
    M(IMAPIStatus, SaveChanges, 4, HRESULT, 1, (ULONG)) \
    M(IMAPIStatus, GetProps, 5, HRESULT, 4, (LPSPropTagArray, ULONG, ULONG *, LPSPropValue *)) \
    M(IMAPIStatus, GetPropList, 6, HRESULT, 2, (ULONG, LPSPropTagArray *)) \
    M(IMAPIStatus, OpenProperty, 7, HRESULT, 5, (ULONG, LPCIID, ULONG, ULONG, LPUNKNOWN *)) \
    M(IMAPIStatus, SetProps, 8, HRESULT, 3, (ULONG, LPSPropValue, LPSPropProblemArray *)) \
    M(IMAPIStatus, DeleteProps, 9, HRESULT, 2, (LPSPropTagArray, LPSPropProblemArray *)) \
    M(IMAPIStatus, CopyTo, 10, HRESULT, 9, (ULONG, LPCIID, LPSPropTagArray, ULONG_PTR, LPMAPIPROGRESS, LPCIID, LPVOID, ULONG, LPSPropProblemArray *)) \
    M(IMAPIStatus, CopyProps, 11, HRESULT, 7, (LPSPropTagArray, ULONG_PTR, LPMAPIPROGRESS, LPCIID, LPVOID, ULONG, LPSPropProblemArray *)) \
    M(IMAPIStatus, GetNamesFromIDs, 12, HRESULT, 5, (LPSPropTagArray *, LPGUID, ULONG, ULONG *, LPMAPINAMEID **)) \
    M(IMAPIStatus, GetIDsFromNames, 13, HRESULT, 4, (ULONG, LPMAPINAMEID *, ULONG, LPSPropTagArray *)) \
    M(IMAPIStatus, ValidateState, 14, HRESULT, 2, (ULONG_PTR, ULONG)) \
    M(IMAPIStatus, SettingsDialog, 15, HRESULT, 2, (ULONG_PTR, ULONG)) \
    M(IMAPIStatus, ChangePassword, 16, HRESULT, 3, (LPTSTR, LPTSTR, ULONG)) \
    M(IMAPIStatus, FlushQueues, 17, HRESULT, 4, (ULONG_PTR, ULONG, LPENTRYID, ULONG))
#define SLOTS_IMAPIStatus 18

/* IMAPIContainer: 19 slots */
#define METHODS_IMAPIContainer(M, V) \
    M(IMAPIContainer, QueryInterface, 0, HRESULT, 2, (REFIID, LPVOID *)) \
    M(IMAPIContainer, AddRef, 1, ULONG, 0, ()) \
    M(IMAPIContainer, Release, 2, ULONG, 0, ()) \
    M(IMAPIContainer, GetLastError, 3, HRESULT, 3, (HRESULT, ULONG, LPMAPIERROR *)) \
    M(IMAPIContainer, SaveChanges, 4, HRESULT, 1, (ULONG)) \
    M(IMAPIContainer, GetProps, 5, HRESULT, 4, (LPSPropTagArray, ULONG, ULONG *, LPSPropValue *)) \
    M(IMAPIContainer, GetPropList, 6, HRESULT, 2, (ULONG, LPSPropTagArray *)) \
    M(IMAPIContainer, OpenProperty, 7, HRESULT, 5, (ULONG, LPCIID, ULONG, ULONG, LPUNKNOWN *)) \
    M(IMAPIContainer, SetProps, 8, HRESULT, 3, (ULONG, LPSPropValue, LPSPropProblemArray *)) \
    M(IMAPIContainer, DeleteProps, 9, HRESULT, 2, (LPSPropTagArray, LPSPropProblemArray *)) \
    M(IMAPIContainer, CopyTo, 10, HRESULT, 9, (ULONG, LPCIID, LPSPropTagArray, ULONG_PTR, LPMAPIPROGRESS, LPCIID, LPVOID, ULONG, LPSPropProblemArray *)) \
    M(IMAPIContainer, CopyProps, 11, HRESULT, 7, (LPSPropTagArray, ULONG_PTR, LPMAPIPROGRESS, LPCIID, LPVOID, ULONG, LPSPropProblemArray *)) \
    M(IMAPIContainer, GetNamesFromIDs, 12, HRESULT, 5, (LPSPropTagArray *, LPGUID, ULONG, ULONG *, LPMAPINAMEID **)) \
    M(IMAPIContainer, GetIDsFromNames, 13, HRESULT, 4, (ULONG, LPMAPINAMEID *, ULONG, LPSPropTagArray *)) \
    M(IMAPIContainer, GetContentsTable, 14, HRESULT, 2, (ULONG, LPMAPITABLE *)) \
    M(IMAPIContainer, GetHierarchyTable, 15, HRESULT, 2, (ULONG, LPMAPITABLE *)) \
    M(IMAPIContainer, OpenEntry, 16, HRESULT, 6, (ULONG, LPENTRYID, LPCIID, ULONG, ULONG *, LPUNKNOWN *)) \
    M(IMAPIContainer, SetSearchCriteria, 17, HRESULT, 3, (LPSRestriction, LPENTRYLIST, ULONG)) \
    M(IMAPIContainer, GetSearchCriteria, 18, HRESULT, 4, (ULONG, LPSRestriction *, LPENTRYLIST *, ULONG *))
#define SLOTS_IMAPIContainer 19

/* IABContainer: 23 slots */
#define METHODS_IABContainer(M, V) \
    M(IABContainer, QueryInterface, 0, HRESULT, 2, (REFIID, LPVOID *)) \
    M(IABContainer, AddRef, 1, ULONG, 0, ()) \
    M(IABContainer, Release, 2, ULONG, 0, ()) \
    M(IABContainer, GetLastError, 3, HRESULT, 3, (HRESULT, ULONG, LPMAPIERROR *)) \
    M(IABContainer, SaveChanges, 4, HRESULT, 1, (ULONG)) \
    M(IABContainer, GetProps, 5, HRESULT, 4, (LPSPropTagArray, ULONG, ULONG *, LPSPropValue *)) \
    M(IABContainer, GetPropList, 6, HRESULT, 2, (ULONG, LPSPropTagArray *)) \
    M(IABContainer, OpenProperty, 7, HRESULT, 5, (ULONG, LPCIID, ULONG, ULONG, LPUNKNOWN *)) \
    M(IABContainer, SetProps, 8, HRESULT, 3, (ULONG, LPSPropValue, LPSPropProblemArray *)) \
    M(IABContainer, DeleteProps, 9, HRESULT, 2, (LPSPropTagArray, LPSPropProblemArray *)) \
    M(IABContainer, CopyTo, 10, HRESULT, 9, (ULONG, LPCIID, LPSPropTagArray, ULONG_PTR, LPMAPIPROGRESS, LPCIID, LPVOID, ULONG, LPSPropProblemArray *)) \
    M(IABContainer, CopyProps, 11, HRESULT, 7, (LPSPropTagArray, ULONG_PTR, LPMAPIPROGRESS, LPCIID, LPVOID, ULONG, LPSPropProblemArray *)) \
    M(IABContainer, GetNamesFromIDs, 12, HRESULT, 5, (LPSPropTagArray *, LPGUID, ULONG, ULONG *, LPMAPINAMEID **)) \
    M(IABContainer, GetIDsFromNames, 13, HRESULT, 4, (ULONG, LPMAPINAMEID *, ULONG, LPSPropTagArray *)) \
    M(IABContainer, GetContentsTable, 14, HRESULT, 2, (ULONG, LPMAPITABLE *)) \
    M(IABContainer, GetHierarchyTable, 15, HRESULT, 2, (ULONG, LPMAPITABLE *)) \
    M(IABContainer, OpenEntry, 16, HRESULT, 6, (ULONG, LPENTRYID, LPCIID, ULONG, ULONG *, LPUNKNOWN *)) \
    M(IABContainer, SetSearchCriteria, 17, HRESULT, 3, (LPSRestriction, LPENTRYLIST, ULONG)) \
    M(IABContainer, GetSearchCriteria, 18, HRESULT, 4, (ULONG, LPSRestriction *, LPENTRYLIST *, ULONG *)) \
    M(IABContainer, CreateEntry, 19, HRESULT, 4, (ULONG, LPENTRYID, ULONG, LPMAPIPROP *)) \
    M(IABContainer, CopyEntries, 20, HRESULT, 4, (LPENTRYLIST, ULONG_PTR, LPMAPIPROGRESS, ULONG)) \
    M(IABContainer, DeleteEntries, 21, HRESULT, 2, (LPENTRYLIST, ULONG)) \
    M(IABContainer, ResolveNames, 22, HRESULT, 4, (LPSPropTagArray, ULONG, LPADRLIST, LPFlagList))
#define SLOTS_IABContainer 23

/* IDistList: 23 slots */
#define METHODS_IDistList(M, V) \
    M(IDistList, QueryInterface, 0, HRESULT, 2, (REFIID, LPVOID *)) \
    M(IDistList, AddRef, 1, ULONG, 0, ()) \
    M(IDistList, Release, 2, ULONG, 0, ()) \
    M(IDistList, GetLastError, 3, HRESULT, 3, (HRESULT, ULONG, LPMAPIERROR *)) \
    M(IDistList, SaveChanges, 4, HRESULT, 1, (ULONG)) \
    M(IDistList, GetProps, 5, HRESULT, 4, (LPSPropTagArray, ULONG, ULONG *, LPSPropValue *)) \
    M(IDistList, GetPropList, 6, HRESULT, 2, (ULONG, LPSPropTagArray *)) \
    M(IDistList, OpenProperty, 7, HRESULT, 5, (ULONG, LPCIID, ULONG, ULONG, LPUNKNOWN *)) \
    M(IDistList, SetProps, 8, HRESULT, 3, (ULONG, LPSPropValue, LPSPropProblemArray *)) \
    M(IDistList, DeleteProps, 9, HRESULT, 2, (LPSPropTagArray, LPSPropProblemArray *)) \
    M(IDistList, CopyTo, 10, HRESULT, 9, (ULONG, LPCIID, LPSPropTagArray, ULONG_PTR, LPMAPIPROGRESS, LPCIID, LPVOID, ULONG, LPSPropProblemArray *)) \
    M(IDistList, CopyProps, 11, HRESULT, 7, (LPSPropTagArray, ULONG_PTR, LPMAPIPROGRESS, LPCIID, LPVOID, ULONG, LPSPropProblemArray *)) \
    M(IDistList, GetNamesFromIDs, 12, HRESULT, 5, (LPSPropTagArray *, LPGUID, ULONG, ULONG *, LPMAPINAMEID **)) \
    M(IDistList, GetIDsFromNames, 13, HRESULT, 4, (ULONG, LPMAPINAMEID *, ULONG, LPSPropTagArray *)) \
    M(IDistList, GetContentsTable, 14, HRESULT, 2, (ULONG, LPMAPITABLE *)) \
    M(IDistList, GetHierarchyTable, 15, HRESULT, 2, (ULONG, LPMAPITABLE *)) \
    M(IDistList, OpenEntry, 16, HRESULT, 6, (ULONG, LPENTRYID, LPCIID, ULONG, ULONG *, LPUNKNOWN *)) \
    M(IDistList, SetSearchCriteria, 17, HRESULT, 3, (LPSRestriction, LPENTRYLIST, ULONG)) \
    M(IDistList, GetSearchCriteria, 18, HRESULT, 4, (ULONG, LPSRestriction *, LPENTRYLIST *, ULONG *)) \
    M(IDistList, CreateEntry, 19, HRESULT, 4, (ULONG, LPENTRYID, ULONG, LPMAPIPROP *)) \
    M(IDistList, CopyEntries, 20, HRESULT, 4, (LPENTRYLIST, ULONG_PTR, LPMAPIPROGRESS, ULONG)) \
    M(IDistList, DeleteEntries, 21, HRESULT, 2, (LPENTRYLIST, ULONG)) \
    M(IDistList, ResolveNames, 22, HRESULT, 4, (LPSPropTagArray, ULONG, LPADRLIST, LPFlagList))
#define SLOTS_IDistList 23

/* IMAPITable: 26 slots */
#define METHODS_IMAPITable(M, V) \
    M(IMAPITable, QueryInterface, 0, HRESULT, 2, (REFIID, LPVOID *)) \
    M(IMAPITable, AddRef, 1, ULONG, 0, ()) \
    M(IMAPITable, Release, 2, ULONG, 0, ()) \
    M(IMAPITable, GetLastError, 3, HRESULT, 3, (HRESULT, ULONG, LPMAPIERROR *)) \
    M(IMAPITable, Advise, 4, HRESULT, 3, (ULONG, LPMAPIADVISESINK, ULONG_PTR *)) \
    M(IMAPITable, Unadvise, 5, HRESULT, 1, (ULONG_PTR)) \
    M(IMAPITable, GetStatus, 6, HRESULT, 2, (ULONG *, ULONG *)) \
    M(IMAPITable, SetColumns, 7, HRESULT, 2, (LPSPropTagArray, ULONG)) \
    M(IMAPITable, QueryColumns, 8, HRESULT, 2, (ULONG, LPSPropTagArray *)) \
    M(IMAPITable, GetRowCount, 9, HRESULT, 2, (ULONG, ULONG *)) \
    M(IMAPITable, SeekRow, 10, HRESULT, 3, (BOOKMARK, LONG, LONG *)) \
    M(IMAPITable, SeekRowApprox, 11, HRESULT, 2, (ULONG, ULONG)) \
    M(IMAPITable, QueryPosition, 12, HRESULT, 3, (ULONG *, ULONG *, ULONG *)) \
    M(IMAPITable, FindRow, 13, HRESULT, 3, (LPSRestriction, BOOKMARK, ULONG)) \
    M(IMAPITable, Restrict, 14, HRESULT, 2, (LPSRestriction, ULONG)) \
    M(IMAPITable, CreateBookmark, 15, HRESULT, 1, (BOOKMARK *)) \
    M(IMAPITable, FreeBookmark, 16, HRESULT, 1, (BOOKMARK)) \
    M(IMAPITable, SortTable, 17, HRESULT, 2, (LPSSortOrderSet, ULONG)) \
    M(IMAPITable, QuerySortOrder, 18, HRESULT, 1, (LPSSortOrderSet *)) \
    M(IMAPITable, QueryRows, 19, HRESULT, 3, (LONG, ULONG, LPSRowSet *)) \
    M(IMAPITable, Abort, 20, HRESULT, 0, ()) \
    M(IMAPITable, ExpandRow, 21, HRESULT, 6, (ULONG, LPBYTE, ULONG, ULONG, LPSRowSet *, ULONG *)) \
    M(IMAPITable, CollapseRow, 22, HRESULT, 4, (ULONG, LPBYTE, ULONG, ULONG *)) \
    M(IMAPITable, WaitForCompletion, 23, HRESULT, 3, (ULONG, ULONG, ULONG *)) \
    M(IMAPITable, GetCollapseState, 24, HRESULT, 5, (ULONG, ULONG, LPBYTE, ULONG *, LPBYTE *)) \
    M(IMAPITable, SetCollapseState, 25, HRESULT, 4, (ULONG, ULONG, LPBYTE, BOOKMARK *))
#define SLOTS_IMAPITable 26

/* IMAPIAdviseSink: 4 slots */
#define METHODS_IMAPIAdviseSink(M, V) \
    M(IMAPIAdviseSink, QueryInterface, 0, HRESULT, 2, (REFIID, LPVOID *)) \
    M(IMAPIAdviseSink, AddRef, 1, ULONG, 0, ()) \
    M(IMAPIAdviseSink, Release, 2, ULONG, 0, ()) \
    M(IMAPIAdviseSink, OnNotify, 3, ULONG, 2, (ULONG, LPNOTIFICATION))
#define SLOTS_IMAPIAdviseSink 4

/* IMAPIProgress: 8 slots */
#define METHODS_IMAPIProgress(M, V) \
    M(IMAPIProgress, QueryInterface, 0, HRESULT, 2, (REFIID, LPVOID *)) \
    M(IMAPIProgress, AddRef, 1, ULONG, 0, ()) \
    M(IMAPIProgress, Release, 2, ULONG, 0, ()) \
    M(IMAPIProgress, Progress, 3, HRESULT, 3, (ULONG, ULONG, ULONG)) \
    M(IMAPIProgress, GetFlags, 4, HRESULT, 1, (ULONG *)) \
    M(IMAPIProgress, GetMax, 5, HRESULT, 1, (ULONG *)) \
    M(IMAPIProgress, GetMin, 6, HRESULT, 1, (ULONG *)) \
    M(IMAPIProgress, SetLimits, 7, HRESULT, 3, (ULONG *, ULONG *, ULONG *))
#define SLOTS_IMAPIProgress 8

/* IMAPIProviderShutdown: 6 slots */
#define METHODS_IMAPIProviderShutdown(M, V) \
    M(IMAPIProviderShutdown, QueryInterface, 0, HRESULT, 2, (REFIID, LPVOID *)) \
    M(IMAPIProviderShutdown, AddRef, 1, ULONG, 0, ()) \
    M(IMAPIProviderShutdown, Release, 2, ULONG, 0, ()) \
    M(IMAPIProviderShutdown, QueryFastShutdown, 3, HRESULT, 0, ()) \
    M(IMAPIProviderShutdown, NotifyProcessShutdown, 4, HRESULT, 0, ()) \
    M(IMAPIProviderShutdown, DoFastShutdown, 5, HRESULT, 0, ())
#define SLOTS_IMAPIProviderShutdown 6

/* IABProvider: 5 slots */
#define METHODS_IABProvider(M, V) \
    M(IABProvider, QueryInterface, 0, HRESULT, 2, (REFIID, LPVOID *)) \
    M(IABProvider, AddRef, 1, ULONG, 0, ()) \
    M(IABProvider, Release, 2, ULONG, 0, ()) \
    M(IABProvider, Shutdown, 3, HRESULT, 1, (ULONG *)) \
    M(IABProvider, Logon, 4, HRESULT, 8, (LPMAPISUP, ULONG_PTR, LPTSTR, ULONG, ULONG *, LPBYTE *, LPMAPIERROR *, LPABLOGON *))
#define SLOTS_IABProvider 5

/* IABLogon: 13 slots */
#define METHODS_IABLogon(M, V) \
    M(IABLogon, QueryInterface, 0, HRESULT, 2, (REFIID, LPVOID *)) \
    M(IABLogon, AddRef, 1, ULONG, 0, ()) \
    M(IABLogon, Release, 2, ULONG, 0, ()) \
    M(IABLogon, GetLastError, 3, HRESULT, 3, (HRESULT, ULONG, LPMAPIERROR *)) \
    M(IABLogon, Logoff, 4, HRESULT, 1, (ULONG)) \
    M(IABLogon, OpenEntry, 5, HRESULT, 6, (ULONG, LPENTRYID, LPCIID, ULONG, ULONG *, LPUNKNOWN *)) \
    M(IABLogon, CompareEntryIDs, 6, HRESULT, 6, (ULONG, LPENTRYID, ULONG, LPENTRYID, ULONG, ULONG *)) \
    M(IABLogon, Advise, 7, HRESULT, 5, (ULONG, LPENTRYID, ULONG, LPMAPIADVISESINK, ULONG_PTR *)) \
    M(IABLogon, Unadvise, 8, HRESULT, 1, (ULONG_PTR)) \
    M(IABLogon, OpenStatusEntry, 9, HRESULT, 4, (LPCIID, ULONG, ULONG *, LPMAPISTATUS *)) \
    M(IABLogon, OpenTemplateID, 10, HRESULT, 7, (ULONG, LPENTRYID, ULONG, LPMAPIPROP, LPCIID, LPMAPIPROP *, LPMAPIPROP)) \
    M(IABLogon, GetOneOffTable, 11, HRESULT, 2, (ULONG, LPMAPITABLE *)) \
    M(IABLogon, PrepareRecips, 12, HRESULT, 3, (ULONG, LPSPropTagArray, LPADRLIST))
#define SLOTS_IABLogon 13

/* IMAPISupport: 44 slots */
#define METHODS_IMAPISupport(M, V) \
    M(IMAPISupport, QueryInterface, 0, HRESULT, 2, (REFIID, LPVOID *)) \
    M(IMAPISupport, AddRef, 1, ULONG, 0, ()) \
    M(IMAPISupport, Release, 2, ULONG, 0, ()) \
    M(IMAPISupport, GetLastError, 3, HRESULT, 3, (HRESULT, ULONG, LPMAPIERROR *)) \
    M(IMAPISupport, GetMemAllocRoutines, 4, HRESULT, 3, (LPALLOCATEBUFFER *, LPALLOCATEMORE *, LPFREEBUFFER *)) \
    M(IMAPISupport, Subscribe, 5, HRESULT, 5, (LPNOTIFKEY, ULONG, ULONG, LPMAPIADVISESINK, ULONG_PTR *)) \
    M(IMAPISupport, Unsubscribe, 6, HRESULT, 1, (ULONG_PTR)) \
    M(IMAPISupport, Notify, 7, HRESULT, 4, (LPNOTIFKEY, ULONG, LPNOTIFICATION, ULONG *)) \
    M(IMAPISupport, ModifyStatusRow, 8, HRESULT, 3, (ULONG, LPSPropValue, ULONG)) \
    M(IMAPISupport, OpenProfileSection, 9, HRESULT, 3, (LPMAPIUID, ULONG, LPPROFSECT *)) \
    M(IMAPISupport, RegisterPreprocessor, 10, HRESULT, 6, (LPMAPIUID, LPTSTR, LPTSTR, LPSTR, LPSTR, ULONG)) \
    M(IMAPISupport, NewUID, 11, HRESULT, 1, (LPMAPIUID)) \
    M(IMAPISupport, MakeInvalid, 12, HRESULT, 4, (ULONG, LPVOID, ULONG, ULONG)) \
    M(IMAPISupport, SpoolerYield, 13, HRESULT, 1, (ULONG)) \
    M(IMAPISupport, SpoolerNotify, 14, HRESULT, 2, (ULONG, LPVOID)) \
    M(IMAPISupport, CreateOneOff, 15, HRESULT, 6, (LPTSTR, LPTSTR, LPTSTR, ULONG, ULONG *, LPENTRYID *)) \
    M(IMAPISupport, SetProviderUID, 16, HRESULT, 2, (LPMAPIUID, ULONG)) \
    M(IMAPISupport, CompareEntryIDs, 17, HRESULT, 6, (ULONG, LPENTRYID, ULONG, LPENTRYID, ULONG, ULONG *)) \
    M(IMAPISupport, OpenTemplateID, 18, HRESULT, 7, (ULONG, LPENTRYID, ULONG, LPMAPIPROP, LPCIID, LPMAPIPROP *, LPMAPIPROP)) \
    M(IMAPISupport, OpenEntry, 19, HRESULT, 6, (ULONG, LPENTRYID, LPCIID, ULONG, ULONG *, LPUNKNOWN *)) \
    M(IMAPISupport, GetOneOffTable, 20, HRESULT, 2, (ULONG, LPMAPITABLE *)) \
    M(IMAPISupport, Address, 21, HRESULT, 3, (ULONG_PTR *, LPADRPARM, LPADRLIST *)) \
    M(IMAPISupport, Details, 22, HRESULT, 9, (ULONG_PTR *, LPFNDISMISS, LPVOID, ULONG, LPENTRYID, LPFNBUTTON, LPVOID, LPTSTR, ULONG)) \
    M(IMAPISupport, NewEntry, 23, HRESULT, 8, (ULONG_PTR, ULONG, ULONG, LPENTRYID, ULONG, LPENTRYID, ULONG *, LPENTRYID *)) \
    M(IMAPISupport, DoConfigPropsheet, 24, HRESULT, 6, (ULONG_PTR, ULONG, LPTSTR, LPMAPITABLE, LPMAPIPROP, ULONG)) \
    M(IMAPISupport, CopyMessages, 25, HRESULT, 8, (LPCIID, LPVOID, LPENTRYLIST, LPCIID, LPVOID, ULONG_PTR, LPMAPIPROGRESS, ULONG)) \
    M(IMAPISupport, CopyFolder, 26, HRESULT, 10, (LPCIID, LPVOID, ULONG, LPENTRYID, LPCIID, LPVOID, LPTSTR, ULONG_PTR, LPMAPIPROGRESS, ULONG)) \
    M(IMAPISupport, DoCopyTo, 27, HRESULT, 11, (LPCIID, LPVOID, ULONG, LPCIID, LPSPropTagArray, ULONG_PTR, LPMAPIPROGRESS, LPCIID, LPVOID, ULONG, LPSPropProblemArray *)) \
    M(IMAPISupport, DoCopyProps, 28, HRESULT, 9, (LPCIID, LPVOID, LPSPropTagArray, ULONG_PTR, LPMAPIPROGRESS, LPCIID, LPVOID, ULONG, LPSPropProblemArray *)) \
    M(IMAPISupport, DoProgressDialog, 29, HRESULT, 3, (ULONG_PTR, ULONG, LPMAPIPROGRESS *)) \
    M(IMAPISupport, ReadReceipt, 30, HRESULT, 3, (ULONG, LPMESSAGE, LPMESSAGE *)) \
    M(IMAPISupport, PrepareSubmit, 31, HRESULT, 2, (LPMESSAGE, ULONG *)) \
    M(IMAPISupport, ExpandRecips, 32, HRESULT, 2, (LPMESSAGE, ULONG *)) \
    M(IMAPISupport, UpdatePAB, 33, HRESULT, 2, (ULONG, LPMESSAGE)) \
    M(IMAPISupport, DoSentMail, 34, HRESULT, 2, (ULONG, LPMESSAGE)) \
    M(IMAPISupport, OpenAddressBook, 35, HRESULT, 3, (LPCIID, ULONG, LPADRBOOK *)) \
    M(IMAPISupport, Preprocess, 36, HRESULT, 3, (ULONG, ULONG, LPENTRYID)) \
    M(IMAPISupport, CompleteMsg, 37, HRESULT, 3, (ULONG, ULONG, LPENTRYID)) \
    M(IMAPISupport, StoreLogoffTransports, 38, HRESULT, 1, (ULONG *)) \
    M(IMAPISupport, StatusRecips, 39, HRESULT, 2, (LPMESSAGE, LPADRLIST)) \
    M(IMAPISupport, WrapStoreEntryID, 40, HRESULT, 4, (ULONG, LPENTRYID, ULONG *, LPENTRYID *)) \
    M(IMAPISupport, ModifyProfile, 41, HRESULT, 1, (ULONG)) \
    M(IMAPISupport, IStorageFromStream, 42, HRESULT, 4, (LPUNKNOWN, LPCIID, ULONG, LPSTORAGE *)) \
    M(IMAPISupport, GetSvcConfigSupportObj, 43, HRESULT, 2, (ULONG, LPMAPISUP *))
#define SLOTS_IMAPISupport 44

/* IProviderAdmin: 8 slots */
#define METHODS_IProviderAdmin(M, V) \
    M(IProviderAdmin, QueryInterface, 0, HRESULT, 2, (REFIID, LPVOID *)) \
    M(IProviderAdmin, AddRef, 1, ULONG, 0, ()) \
    M(IProviderAdmin, Release, 2, ULONG, 0, ()) \
    M(IProviderAdmin, GetLastError, 3, HRESULT, 3, (HRESULT, ULONG, LPMAPIERROR *)) \
    M(IProviderAdmin, GetProviderTable, 4, HRESULT, 2, (ULONG, LPMAPITABLE *)) \
    M(IProviderAdmin, CreateProvider, 5, HRESULT, 6, (LPTSTR, ULONG, LPSPropValue, ULONG_PTR, ULONG, MAPIUID *)) \
    M(IProviderAdmin, DeleteProvider, 6, HRESULT, 1, (LPMAPIUID)) \
    M(IProviderAdmin, OpenProfileSection, 7, HRESULT, 4, (LPMAPIUID, LPCIID, ULONG, LPPROFSECT *))
#define SLOTS_IProviderAdmin 8

/* Every interface: IFACE(I) */
#define ALL_INTERFACES(IFACE) \
    IFACE(IUnknown) \
    IFACE(IMalloc) \
    IFACE(IMAPIProp) \
    IFACE(IMailUser) \
    IFACE(IProfSect) \
    IFACE(IMAPIStatus) \
    IFACE(IMAPIContainer) \
    IFACE(IABContainer) \
    IFACE(IDistList) \
    IFACE(IMAPITable) \
    IFACE(IMAPIAdviseSink) \
    IFACE(IMAPIProgress) \
    IFACE(IMAPIProviderShutdown) \
    IFACE(IABProvider) \
    IFACE(IABLogon) \
    IFACE(IMAPISupport) \
    IFACE(IProviderAdmin)

#endif
