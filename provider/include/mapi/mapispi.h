/*
 * mapi/mapispi.h - MAPI service provider interface (ldapab's own; mapi-abi.md 3-4).
 *
 * What an address book provider implements (IABProvider, IABLogon), what MAPI
 * hands it (IMAPISupport, IProviderAdmin), the entry points ABProviderInit
 * and the message-service entry (MSGSERVICEENTRY), and their constants.
 * Conventions as in mapidefs.h.
 */
#ifndef LDAPAB_MAPI_MAPISPI_H
#define LDAPAB_MAPI_MAPISPI_H

#include <mapi/mapidefs.h>
#include <mapi/mapicode.h>
#include <mapi/mapiguid.h>
#include <mapi/mapitags.h>

#ifdef __cplusplus
extern "C" {
#endif

/* SPI versions: ABProviderInit sets *lpulProviderVer = CURRENT_SPI_VERSION. */
#define PDK1_SPI_VERSION    ((ULONG)0x00010000)
#define PDK2_SPI_VERSION    ((ULONG)0x00010008)
#define PDK3_SPI_VERSION    ((ULONG)0x00010010)
#define CURRENT_SPI_VERSION PDK3_SPI_VERSION

/* ABProviderInit ulFlags: loaded inside a Windows service, no UI. */
#define MAPI_NT_SERVICE     ((ULONG)0x00010000)

/* Message service entry: ulContext. */
#define MSG_SERVICE_INSTALL         ((ULONG)1)
#define MSG_SERVICE_CREATE          ((ULONG)2)
#define MSG_SERVICE_CONFIGURE       ((ULONG)3)
#define MSG_SERVICE_DELETE          ((ULONG)4)
#define MSG_SERVICE_UNINSTALL       ((ULONG)5)
#define MSG_SERVICE_PROVIDER_CREATE ((ULONG)6)
#define MSG_SERVICE_PROVIDER_DELETE ((ULONG)7)

/* Message service entry: ulFlags (MAPI_UNICODE also applies). */
#define SERVICE_UI_ALWAYS           ((ULONG)0x00000002)
#define UI_SERVICE                  SERVICE_UI_ALWAYS
#define UI_CURRENT_PROVIDER_FIRST   ((ULONG)0x00000004)
#define MSG_SERVICE_UI_READ_ONLY    ((ULONG)0x00000008)
#define SERVICE_UI_ALLOWED          ((ULONG)0x00000010)
#define SERVICE_LOGON_FAILED        ((ULONG)0x00000020)

/* IMAPISupport::Subscribe / Notify. */
#define NOTIFY_SYNC          ((ULONG)0x40000000)
#define NOTIFY_CANCELED      ((ULONG)0x80000000)
#define CALLBACK_DISCONTINUE ((ULONG)0x80000000)
/* IMAPISupport::ModifyStatusRow. */
#define STATUSROW_UPDATE     ((ULONG)0x10000000)
/* IMAPISupport::CreateOneOff. */
#define MAPI_SEND_NO_RICH_INFO ((ULONG)0x00010000)
/* OpenTemplateID. */
#define FILL_ENTRY           ((ULONG)0x00000001)

/* Notification key for Subscribe/Notify. */
typedef struct {
    ULONG cb;
    BYTE ab[MAPI_DIM];
} NOTIFKEY, *LPNOTIFKEY;

#define CbNewNOTIFKEY(_cb)    (offsetof(NOTIFKEY, ab) + (_cb))
#define CbNOTIFKEY(_lpkey)    (offsetof(NOTIFKEY, ab) + (_lpkey)->cb)
#define SizedNOTIFKEY(_cb, _name) \
    struct _NOTIFKEY_##_name { ULONG cb; BYTE ab[_cb]; } _name

typedef struct IMAPISupport IMAPISupport;
typedef IMAPISupport *LPMAPISUP;
typedef struct IABProvider IABProvider;
typedef IABProvider *LPABPROVIDER;
typedef struct IABLogon IABLogon;
typedef IABLogon *LPABLOGON;
typedef struct IProviderAdmin IProviderAdmin;
typedef IProviderAdmin *LPPROVIDERADMIN;

#define MAPI_VT_IABPROVIDER(I) \
    HRESULT (STDMETHODCALLTYPE *Shutdown)(I *This, ULONG *lpulFlags); \
    HRESULT (STDMETHODCALLTYPE *Logon)(I *This, LPMAPISUP lpMAPISup, ULONG_PTR ulUIParam, LPTSTR lpszProfileName, ULONG ulFlags, ULONG *lpulcbSecurity, LPBYTE *lppbSecurity, LPMAPIERROR *lppMAPIError, LPABLOGON *lppABLogon);

#define MAPI_VT_IABLOGON(I) \
    HRESULT (STDMETHODCALLTYPE *GetLastError)(I *This, HRESULT hResult, ULONG ulFlags, LPMAPIERROR *lppMAPIError); \
    HRESULT (STDMETHODCALLTYPE *Logoff)(I *This, ULONG ulFlags); \
    HRESULT (STDMETHODCALLTYPE *OpenEntry)(I *This, ULONG cbEntryID, LPENTRYID lpEntryID, LPCIID lpInterface, ULONG ulFlags, ULONG *lpulObjType, LPUNKNOWN *lppUnk); \
    HRESULT (STDMETHODCALLTYPE *CompareEntryIDs)(I *This, ULONG cbEntryID1, LPENTRYID lpEntryID1, ULONG cbEntryID2, LPENTRYID lpEntryID2, ULONG ulFlags, ULONG *lpulResult); \
    HRESULT (STDMETHODCALLTYPE *Advise)(I *This, ULONG cbEntryID, LPENTRYID lpEntryID, ULONG ulEventMask, LPMAPIADVISESINK lpAdviseSink, ULONG_PTR *lpulConnection); \
    HRESULT (STDMETHODCALLTYPE *Unadvise)(I *This, ULONG_PTR ulConnection); \
    HRESULT (STDMETHODCALLTYPE *OpenStatusEntry)(I *This, LPCIID lpInterface, ULONG ulFlags, ULONG *lpulObjType, LPMAPISTATUS *lppEntry); \
    HRESULT (STDMETHODCALLTYPE *OpenTemplateID)(I *This, ULONG cbTemplateID, LPENTRYID lpTemplateID, ULONG ulTemplateFlags, LPMAPIPROP lpMAPIPropData, LPCIID lpInterface, LPMAPIPROP *lppMAPIPropNew, LPMAPIPROP lpMAPIPropSibling); \
    HRESULT (STDMETHODCALLTYPE *GetOneOffTable)(I *This, ULONG ulFlags, LPMAPITABLE *lppTable); \
    HRESULT (STDMETHODCALLTYPE *PrepareRecips)(I *This, ULONG ulFlags, LPSPropTagArray lpPropTagArray, LPADRLIST lpRecipList);

#define MAPI_VT_IMAPISUPPORT(I) \
    HRESULT (STDMETHODCALLTYPE *GetLastError)(I *This, HRESULT hResult, ULONG ulFlags, LPMAPIERROR *lppMAPIError); \
    HRESULT (STDMETHODCALLTYPE *GetMemAllocRoutines)(I *This, LPALLOCATEBUFFER *lpAllocateBuffer, LPALLOCATEMORE *lpAllocateMore, LPFREEBUFFER *lpFreeBuffer); \
    HRESULT (STDMETHODCALLTYPE *Subscribe)(I *This, LPNOTIFKEY lpKey, ULONG ulEventMask, ULONG ulFlags, LPMAPIADVISESINK lpAdviseSink, ULONG_PTR *lpulConnection); \
    HRESULT (STDMETHODCALLTYPE *Unsubscribe)(I *This, ULONG_PTR ulConnection); \
    HRESULT (STDMETHODCALLTYPE *Notify)(I *This, LPNOTIFKEY lpKey, ULONG cNotification, LPNOTIFICATION lpNotifications, ULONG *lpulFlags); \
    HRESULT (STDMETHODCALLTYPE *ModifyStatusRow)(I *This, ULONG cValues, LPSPropValue lpColumnVals, ULONG ulFlags); \
    HRESULT (STDMETHODCALLTYPE *OpenProfileSection)(I *This, LPMAPIUID lpUid, ULONG ulFlags, LPPROFSECT *lppProfileObj); \
    HRESULT (STDMETHODCALLTYPE *RegisterPreprocessor)(I *This, LPMAPIUID lpMuid, LPTSTR lpszAdrType, LPTSTR lpszDLLName, LPSTR lpszPreprocess, LPSTR lpszRemovePreprocessInfo, ULONG ulFlags); \
    HRESULT (STDMETHODCALLTYPE *NewUID)(I *This, LPMAPIUID lpMuid); \
    HRESULT (STDMETHODCALLTYPE *MakeInvalid)(I *This, ULONG ulFlags, LPVOID lpObject, ULONG ulRefCount, ULONG cMethods); \
    HRESULT (STDMETHODCALLTYPE *SpoolerYield)(I *This, ULONG ulFlags); \
    HRESULT (STDMETHODCALLTYPE *SpoolerNotify)(I *This, ULONG ulFlags, LPVOID lpvData); \
    HRESULT (STDMETHODCALLTYPE *CreateOneOff)(I *This, LPTSTR lpszName, LPTSTR lpszAdrType, LPTSTR lpszAddress, ULONG ulFlags, ULONG *lpcbEntryID, LPENTRYID *lppEntryID); \
    HRESULT (STDMETHODCALLTYPE *SetProviderUID)(I *This, LPMAPIUID lpProviderID, ULONG ulFlags); \
    HRESULT (STDMETHODCALLTYPE *CompareEntryIDs)(I *This, ULONG cbEntry1, LPENTRYID lpEntry1, ULONG cbEntry2, LPENTRYID lpEntry2, ULONG ulCompareFlags, ULONG *lpulResult); \
    HRESULT (STDMETHODCALLTYPE *OpenTemplateID)(I *This, ULONG cbTemplateID, LPENTRYID lpTemplateID, ULONG ulTemplateFlags, LPMAPIPROP lpMAPIPropData, LPCIID lpInterface, LPMAPIPROP *lppMAPIPropNew, LPMAPIPROP lpMAPIPropSibling); \
    HRESULT (STDMETHODCALLTYPE *OpenEntry)(I *This, ULONG cbEntryID, LPENTRYID lpEntryID, LPCIID lpInterface, ULONG ulOpenFlags, ULONG *lpulObjType, LPUNKNOWN *lppUnk); \
    HRESULT (STDMETHODCALLTYPE *GetOneOffTable)(I *This, ULONG ulFlags, LPMAPITABLE *lppTable); \
    HRESULT (STDMETHODCALLTYPE *Address)(I *This, ULONG_PTR *lpulUIParam, LPADRPARM lpAdrParms, LPADRLIST *lppAdrList); \
    HRESULT (STDMETHODCALLTYPE *Details)(I *This, ULONG_PTR *lpulUIParam, LPFNDISMISS lpfnDismiss, LPVOID lpvDismissContext, ULONG cbEntryID, LPENTRYID lpEntryID, LPFNBUTTON lpfButtonCallback, LPVOID lpvButtonContext, LPTSTR lpszButtonText, ULONG ulFlags); \
    HRESULT (STDMETHODCALLTYPE *NewEntry)(I *This, ULONG_PTR ulUIParam, ULONG ulFlags, ULONG cbEIDContainer, LPENTRYID lpEIDContainer, ULONG cbEIDNewEntryTpl, LPENTRYID lpEIDNewEntryTpl, ULONG *lpcbEIDNewEntry, LPENTRYID *lppEIDNewEntry); \
    HRESULT (STDMETHODCALLTYPE *DoConfigPropsheet)(I *This, ULONG_PTR ulUIParam, ULONG ulFlags, LPTSTR lpszTitle, LPMAPITABLE lpDisplayTable, LPMAPIPROP lpConfigData, ULONG ulTopPage); \
    HRESULT (STDMETHODCALLTYPE *CopyMessages)(I *This, LPCIID lpSrcInterface, LPVOID lpSrcFolder, LPENTRYLIST lpMsgList, LPCIID lpDestInterface, LPVOID lpDestFolder, ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress, ULONG ulFlags); \
    HRESULT (STDMETHODCALLTYPE *CopyFolder)(I *This, LPCIID lpSrcInterface, LPVOID lpSrcFolder, ULONG cbEntryID, LPENTRYID lpEntryID, LPCIID lpDestInterface, LPVOID lpDestFolder, LPTSTR lpszNewFolderName, ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress, ULONG ulFlags); \
    HRESULT (STDMETHODCALLTYPE *DoCopyTo)(I *This, LPCIID lpSrcInterface, LPVOID lpSrcObj, ULONG ciidExclude, LPCIID rgiidExclude, LPSPropTagArray lpExcludeProps, ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress, LPCIID lpDestInterface, LPVOID lpDestObj, ULONG ulFlags, LPSPropProblemArray *lppProblems); \
    HRESULT (STDMETHODCALLTYPE *DoCopyProps)(I *This, LPCIID lpSrcInterface, LPVOID lpSrcObj, LPSPropTagArray lpIncludeProps, ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress, LPCIID lpDestInterface, LPVOID lpDestObj, ULONG ulFlags, LPSPropProblemArray *lppProblems); \
    HRESULT (STDMETHODCALLTYPE *DoProgressDialog)(I *This, ULONG_PTR ulUIParam, ULONG ulFlags, LPMAPIPROGRESS *lppProgress); \
    HRESULT (STDMETHODCALLTYPE *ReadReceipt)(I *This, ULONG ulFlags, LPMESSAGE lpReadMessage, LPMESSAGE *lppEmptyMessage); \
    HRESULT (STDMETHODCALLTYPE *PrepareSubmit)(I *This, LPMESSAGE lpMessage, ULONG *lpulFlags); \
    HRESULT (STDMETHODCALLTYPE *ExpandRecips)(I *This, LPMESSAGE lpMessage, ULONG *lpulFlags); \
    HRESULT (STDMETHODCALLTYPE *UpdatePAB)(I *This, ULONG ulFlags, LPMESSAGE lpMessage); \
    HRESULT (STDMETHODCALLTYPE *DoSentMail)(I *This, ULONG ulFlags, LPMESSAGE lpMessage); \
    HRESULT (STDMETHODCALLTYPE *OpenAddressBook)(I *This, LPCIID lpInterface, ULONG ulFlags, LPADRBOOK *lppAdrBook); \
    HRESULT (STDMETHODCALLTYPE *Preprocess)(I *This, ULONG ulFlags, ULONG cbEntryID, LPENTRYID lpEntryID); \
    HRESULT (STDMETHODCALLTYPE *CompleteMsg)(I *This, ULONG ulFlags, ULONG cbEntryID, LPENTRYID lpEntryID); \
    HRESULT (STDMETHODCALLTYPE *StoreLogoffTransports)(I *This, ULONG *lpulFlags); \
    HRESULT (STDMETHODCALLTYPE *StatusRecips)(I *This, LPMESSAGE lpMessage, LPADRLIST lpRecipList); \
    HRESULT (STDMETHODCALLTYPE *WrapStoreEntryID)(I *This, ULONG cbOrigEntry, LPENTRYID lpOrigEntry, ULONG *lpcbWrappedEntry, LPENTRYID *lppWrappedEntry); \
    HRESULT (STDMETHODCALLTYPE *ModifyProfile)(I *This, ULONG ulFlags); \
    HRESULT (STDMETHODCALLTYPE *IStorageFromStream)(I *This, LPUNKNOWN lpUnkIn, LPCIID lpInterface, ULONG ulFlags, LPSTORAGE *lppStorageOut); \
    HRESULT (STDMETHODCALLTYPE *GetSvcConfigSupportObj)(I *This, ULONG ulFlags, LPMAPISUP *lppSvcSupport);

#define MAPI_VT_IPROVIDERADMIN(I) \
    HRESULT (STDMETHODCALLTYPE *GetLastError)(I *This, HRESULT hResult, ULONG ulFlags, LPMAPIERROR *lppMAPIError); \
    HRESULT (STDMETHODCALLTYPE *GetProviderTable)(I *This, ULONG ulFlags, LPMAPITABLE *lppTable); \
    HRESULT (STDMETHODCALLTYPE *CreateProvider)(I *This, LPTSTR lpszProvider, ULONG cValues, LPSPropValue lpProps, ULONG_PTR ulUIParam, ULONG ulFlags, MAPIUID *lpUID); \
    HRESULT (STDMETHODCALLTYPE *DeleteProvider)(I *This, LPMAPIUID lpUID); \
    HRESULT (STDMETHODCALLTYPE *OpenProfileSection)(I *This, LPMAPIUID lpUID, LPCIID lpInterface, ULONG ulFlags, LPPROFSECT *lppProfSect);

/* IABProvider: 5 slots. */
typedef struct IABProviderVtbl {
    MAPI_VT_IUNKNOWN(IABProvider)
    MAPI_VT_IABPROVIDER(IABProvider)
} IABProviderVtbl;
struct IABProvider {
    const IABProviderVtbl *lpVtbl;
};

#define IABProvider_QueryInterface(This, riid, ppvObj) \
    ((This)->lpVtbl->QueryInterface(This, riid, ppvObj))
#define IABProvider_AddRef(This) \
    ((This)->lpVtbl->AddRef(This))
#define IABProvider_Release(This) \
    ((This)->lpVtbl->Release(This))
#define IABProvider_Shutdown(This, lpulFlags) \
    ((This)->lpVtbl->Shutdown(This, lpulFlags))
#define IABProvider_Logon(This, lpMAPISup, ulUIParam, lpszProfileName, ulFlags, lpulcbSecurity, lppbSecurity, lppMAPIError, lppABLogon) \
    ((This)->lpVtbl->Logon(This, lpMAPISup, ulUIParam, lpszProfileName, ulFlags, lpulcbSecurity, lppbSecurity, lppMAPIError, lppABLogon))


/* IABLogon: 13 slots. */
typedef struct IABLogonVtbl {
    MAPI_VT_IUNKNOWN(IABLogon)
    MAPI_VT_IABLOGON(IABLogon)
} IABLogonVtbl;
struct IABLogon {
    const IABLogonVtbl *lpVtbl;
};

#define IABLogon_QueryInterface(This, riid, ppvObj) \
    ((This)->lpVtbl->QueryInterface(This, riid, ppvObj))
#define IABLogon_AddRef(This) \
    ((This)->lpVtbl->AddRef(This))
#define IABLogon_Release(This) \
    ((This)->lpVtbl->Release(This))
#define IABLogon_GetLastError(This, hResult, ulFlags, lppMAPIError) \
    ((This)->lpVtbl->GetLastError(This, hResult, ulFlags, lppMAPIError))
#define IABLogon_Logoff(This, ulFlags) \
    ((This)->lpVtbl->Logoff(This, ulFlags))
#define IABLogon_OpenEntry(This, cbEntryID, lpEntryID, lpInterface, ulFlags, lpulObjType, lppUnk) \
    ((This)->lpVtbl->OpenEntry(This, cbEntryID, lpEntryID, lpInterface, ulFlags, lpulObjType, lppUnk))
#define IABLogon_CompareEntryIDs(This, cbEntryID1, lpEntryID1, cbEntryID2, lpEntryID2, ulFlags, lpulResult) \
    ((This)->lpVtbl->CompareEntryIDs(This, cbEntryID1, lpEntryID1, cbEntryID2, lpEntryID2, ulFlags, lpulResult))
#define IABLogon_Advise(This, cbEntryID, lpEntryID, ulEventMask, lpAdviseSink, lpulConnection) \
    ((This)->lpVtbl->Advise(This, cbEntryID, lpEntryID, ulEventMask, lpAdviseSink, lpulConnection))
#define IABLogon_Unadvise(This, ulConnection) \
    ((This)->lpVtbl->Unadvise(This, ulConnection))
#define IABLogon_OpenStatusEntry(This, lpInterface, ulFlags, lpulObjType, lppEntry) \
    ((This)->lpVtbl->OpenStatusEntry(This, lpInterface, ulFlags, lpulObjType, lppEntry))
#define IABLogon_OpenTemplateID(This, cbTemplateID, lpTemplateID, ulTemplateFlags, lpMAPIPropData, lpInterface, lppMAPIPropNew, lpMAPIPropSibling) \
    ((This)->lpVtbl->OpenTemplateID(This, cbTemplateID, lpTemplateID, ulTemplateFlags, lpMAPIPropData, lpInterface, lppMAPIPropNew, lpMAPIPropSibling))
#define IABLogon_GetOneOffTable(This, ulFlags, lppTable) \
    ((This)->lpVtbl->GetOneOffTable(This, ulFlags, lppTable))
#define IABLogon_PrepareRecips(This, ulFlags, lpPropTagArray, lpRecipList) \
    ((This)->lpVtbl->PrepareRecips(This, ulFlags, lpPropTagArray, lpRecipList))


/* IMAPISupport: 44 slots. */
typedef struct IMAPISupportVtbl {
    MAPI_VT_IUNKNOWN(IMAPISupport)
    MAPI_VT_IMAPISUPPORT(IMAPISupport)
} IMAPISupportVtbl;
struct IMAPISupport {
    const IMAPISupportVtbl *lpVtbl;
};

#define IMAPISupport_QueryInterface(This, riid, ppvObj) \
    ((This)->lpVtbl->QueryInterface(This, riid, ppvObj))
#define IMAPISupport_AddRef(This) \
    ((This)->lpVtbl->AddRef(This))
#define IMAPISupport_Release(This) \
    ((This)->lpVtbl->Release(This))
#define IMAPISupport_GetLastError(This, hResult, ulFlags, lppMAPIError) \
    ((This)->lpVtbl->GetLastError(This, hResult, ulFlags, lppMAPIError))
#define IMAPISupport_GetMemAllocRoutines(This, lpAllocateBuffer, lpAllocateMore, lpFreeBuffer) \
    ((This)->lpVtbl->GetMemAllocRoutines(This, lpAllocateBuffer, lpAllocateMore, lpFreeBuffer))
#define IMAPISupport_Subscribe(This, lpKey, ulEventMask, ulFlags, lpAdviseSink, lpulConnection) \
    ((This)->lpVtbl->Subscribe(This, lpKey, ulEventMask, ulFlags, lpAdviseSink, lpulConnection))
#define IMAPISupport_Unsubscribe(This, ulConnection) \
    ((This)->lpVtbl->Unsubscribe(This, ulConnection))
#define IMAPISupport_Notify(This, lpKey, cNotification, lpNotifications, lpulFlags) \
    ((This)->lpVtbl->Notify(This, lpKey, cNotification, lpNotifications, lpulFlags))
#define IMAPISupport_ModifyStatusRow(This, cValues, lpColumnVals, ulFlags) \
    ((This)->lpVtbl->ModifyStatusRow(This, cValues, lpColumnVals, ulFlags))
#define IMAPISupport_OpenProfileSection(This, lpUid, ulFlags, lppProfileObj) \
    ((This)->lpVtbl->OpenProfileSection(This, lpUid, ulFlags, lppProfileObj))
#define IMAPISupport_RegisterPreprocessor(This, lpMuid, lpszAdrType, lpszDLLName, lpszPreprocess, lpszRemovePreprocessInfo, ulFlags) \
    ((This)->lpVtbl->RegisterPreprocessor(This, lpMuid, lpszAdrType, lpszDLLName, lpszPreprocess, lpszRemovePreprocessInfo, ulFlags))
#define IMAPISupport_NewUID(This, lpMuid) \
    ((This)->lpVtbl->NewUID(This, lpMuid))
#define IMAPISupport_MakeInvalid(This, ulFlags, lpObject, ulRefCount, cMethods) \
    ((This)->lpVtbl->MakeInvalid(This, ulFlags, lpObject, ulRefCount, cMethods))
#define IMAPISupport_SpoolerYield(This, ulFlags) \
    ((This)->lpVtbl->SpoolerYield(This, ulFlags))
#define IMAPISupport_SpoolerNotify(This, ulFlags, lpvData) \
    ((This)->lpVtbl->SpoolerNotify(This, ulFlags, lpvData))
#define IMAPISupport_CreateOneOff(This, lpszName, lpszAdrType, lpszAddress, ulFlags, lpcbEntryID, lppEntryID) \
    ((This)->lpVtbl->CreateOneOff(This, lpszName, lpszAdrType, lpszAddress, ulFlags, lpcbEntryID, lppEntryID))
#define IMAPISupport_SetProviderUID(This, lpProviderID, ulFlags) \
    ((This)->lpVtbl->SetProviderUID(This, lpProviderID, ulFlags))
#define IMAPISupport_CompareEntryIDs(This, cbEntry1, lpEntry1, cbEntry2, lpEntry2, ulCompareFlags, lpulResult) \
    ((This)->lpVtbl->CompareEntryIDs(This, cbEntry1, lpEntry1, cbEntry2, lpEntry2, ulCompareFlags, lpulResult))
#define IMAPISupport_OpenTemplateID(This, cbTemplateID, lpTemplateID, ulTemplateFlags, lpMAPIPropData, lpInterface, lppMAPIPropNew, lpMAPIPropSibling) \
    ((This)->lpVtbl->OpenTemplateID(This, cbTemplateID, lpTemplateID, ulTemplateFlags, lpMAPIPropData, lpInterface, lppMAPIPropNew, lpMAPIPropSibling))
#define IMAPISupport_OpenEntry(This, cbEntryID, lpEntryID, lpInterface, ulOpenFlags, lpulObjType, lppUnk) \
    ((This)->lpVtbl->OpenEntry(This, cbEntryID, lpEntryID, lpInterface, ulOpenFlags, lpulObjType, lppUnk))
#define IMAPISupport_GetOneOffTable(This, ulFlags, lppTable) \
    ((This)->lpVtbl->GetOneOffTable(This, ulFlags, lppTable))
#define IMAPISupport_Address(This, lpulUIParam, lpAdrParms, lppAdrList) \
    ((This)->lpVtbl->Address(This, lpulUIParam, lpAdrParms, lppAdrList))
#define IMAPISupport_Details(This, lpulUIParam, lpfnDismiss, lpvDismissContext, cbEntryID, lpEntryID, lpfButtonCallback, lpvButtonContext, lpszButtonText, ulFlags) \
    ((This)->lpVtbl->Details(This, lpulUIParam, lpfnDismiss, lpvDismissContext, cbEntryID, lpEntryID, lpfButtonCallback, lpvButtonContext, lpszButtonText, ulFlags))
#define IMAPISupport_NewEntry(This, ulUIParam, ulFlags, cbEIDContainer, lpEIDContainer, cbEIDNewEntryTpl, lpEIDNewEntryTpl, lpcbEIDNewEntry, lppEIDNewEntry) \
    ((This)->lpVtbl->NewEntry(This, ulUIParam, ulFlags, cbEIDContainer, lpEIDContainer, cbEIDNewEntryTpl, lpEIDNewEntryTpl, lpcbEIDNewEntry, lppEIDNewEntry))
#define IMAPISupport_DoConfigPropsheet(This, ulUIParam, ulFlags, lpszTitle, lpDisplayTable, lpConfigData, ulTopPage) \
    ((This)->lpVtbl->DoConfigPropsheet(This, ulUIParam, ulFlags, lpszTitle, lpDisplayTable, lpConfigData, ulTopPage))
#define IMAPISupport_CopyMessages(This, lpSrcInterface, lpSrcFolder, lpMsgList, lpDestInterface, lpDestFolder, ulUIParam, lpProgress, ulFlags) \
    ((This)->lpVtbl->CopyMessages(This, lpSrcInterface, lpSrcFolder, lpMsgList, lpDestInterface, lpDestFolder, ulUIParam, lpProgress, ulFlags))
#define IMAPISupport_CopyFolder(This, lpSrcInterface, lpSrcFolder, cbEntryID, lpEntryID, lpDestInterface, lpDestFolder, lpszNewFolderName, ulUIParam, lpProgress, ulFlags) \
    ((This)->lpVtbl->CopyFolder(This, lpSrcInterface, lpSrcFolder, cbEntryID, lpEntryID, lpDestInterface, lpDestFolder, lpszNewFolderName, ulUIParam, lpProgress, ulFlags))
#define IMAPISupport_DoCopyTo(This, lpSrcInterface, lpSrcObj, ciidExclude, rgiidExclude, lpExcludeProps, ulUIParam, lpProgress, lpDestInterface, lpDestObj, ulFlags, lppProblems) \
    ((This)->lpVtbl->DoCopyTo(This, lpSrcInterface, lpSrcObj, ciidExclude, rgiidExclude, lpExcludeProps, ulUIParam, lpProgress, lpDestInterface, lpDestObj, ulFlags, lppProblems))
#define IMAPISupport_DoCopyProps(This, lpSrcInterface, lpSrcObj, lpIncludeProps, ulUIParam, lpProgress, lpDestInterface, lpDestObj, ulFlags, lppProblems) \
    ((This)->lpVtbl->DoCopyProps(This, lpSrcInterface, lpSrcObj, lpIncludeProps, ulUIParam, lpProgress, lpDestInterface, lpDestObj, ulFlags, lppProblems))
#define IMAPISupport_DoProgressDialog(This, ulUIParam, ulFlags, lppProgress) \
    ((This)->lpVtbl->DoProgressDialog(This, ulUIParam, ulFlags, lppProgress))
#define IMAPISupport_ReadReceipt(This, ulFlags, lpReadMessage, lppEmptyMessage) \
    ((This)->lpVtbl->ReadReceipt(This, ulFlags, lpReadMessage, lppEmptyMessage))
#define IMAPISupport_PrepareSubmit(This, lpMessage, lpulFlags) \
    ((This)->lpVtbl->PrepareSubmit(This, lpMessage, lpulFlags))
#define IMAPISupport_ExpandRecips(This, lpMessage, lpulFlags) \
    ((This)->lpVtbl->ExpandRecips(This, lpMessage, lpulFlags))
#define IMAPISupport_UpdatePAB(This, ulFlags, lpMessage) \
    ((This)->lpVtbl->UpdatePAB(This, ulFlags, lpMessage))
#define IMAPISupport_DoSentMail(This, ulFlags, lpMessage) \
    ((This)->lpVtbl->DoSentMail(This, ulFlags, lpMessage))
#define IMAPISupport_OpenAddressBook(This, lpInterface, ulFlags, lppAdrBook) \
    ((This)->lpVtbl->OpenAddressBook(This, lpInterface, ulFlags, lppAdrBook))
#define IMAPISupport_Preprocess(This, ulFlags, cbEntryID, lpEntryID) \
    ((This)->lpVtbl->Preprocess(This, ulFlags, cbEntryID, lpEntryID))
#define IMAPISupport_CompleteMsg(This, ulFlags, cbEntryID, lpEntryID) \
    ((This)->lpVtbl->CompleteMsg(This, ulFlags, cbEntryID, lpEntryID))
#define IMAPISupport_StoreLogoffTransports(This, lpulFlags) \
    ((This)->lpVtbl->StoreLogoffTransports(This, lpulFlags))
#define IMAPISupport_StatusRecips(This, lpMessage, lpRecipList) \
    ((This)->lpVtbl->StatusRecips(This, lpMessage, lpRecipList))
#define IMAPISupport_WrapStoreEntryID(This, cbOrigEntry, lpOrigEntry, lpcbWrappedEntry, lppWrappedEntry) \
    ((This)->lpVtbl->WrapStoreEntryID(This, cbOrigEntry, lpOrigEntry, lpcbWrappedEntry, lppWrappedEntry))
#define IMAPISupport_ModifyProfile(This, ulFlags) \
    ((This)->lpVtbl->ModifyProfile(This, ulFlags))
#define IMAPISupport_IStorageFromStream(This, lpUnkIn, lpInterface, ulFlags, lppStorageOut) \
    ((This)->lpVtbl->IStorageFromStream(This, lpUnkIn, lpInterface, ulFlags, lppStorageOut))
#define IMAPISupport_GetSvcConfigSupportObj(This, ulFlags, lppSvcSupport) \
    ((This)->lpVtbl->GetSvcConfigSupportObj(This, ulFlags, lppSvcSupport))


/* IProviderAdmin: 8 slots. */
typedef struct IProviderAdminVtbl {
    MAPI_VT_IUNKNOWN(IProviderAdmin)
    MAPI_VT_IPROVIDERADMIN(IProviderAdmin)
} IProviderAdminVtbl;
struct IProviderAdmin {
    const IProviderAdminVtbl *lpVtbl;
};

#define IProviderAdmin_QueryInterface(This, riid, ppvObj) \
    ((This)->lpVtbl->QueryInterface(This, riid, ppvObj))
#define IProviderAdmin_AddRef(This) \
    ((This)->lpVtbl->AddRef(This))
#define IProviderAdmin_Release(This) \
    ((This)->lpVtbl->Release(This))
#define IProviderAdmin_GetLastError(This, hResult, ulFlags, lppMAPIError) \
    ((This)->lpVtbl->GetLastError(This, hResult, ulFlags, lppMAPIError))
#define IProviderAdmin_GetProviderTable(This, ulFlags, lppTable) \
    ((This)->lpVtbl->GetProviderTable(This, ulFlags, lppTable))
#define IProviderAdmin_CreateProvider(This, lpszProvider, cValues, lpProps, ulUIParam, ulFlags, lpUID) \
    ((This)->lpVtbl->CreateProvider(This, lpszProvider, cValues, lpProps, ulUIParam, ulFlags, lpUID))
#define IProviderAdmin_DeleteProvider(This, lpUID) \
    ((This)->lpVtbl->DeleteProvider(This, lpUID))
#define IProviderAdmin_OpenProfileSection(This, lpUID, lpInterface, ulFlags, lppProfSect) \
    ((This)->lpVtbl->OpenProfileSection(This, lpUID, lpInterface, ulFlags, lppProfSect))


/*
 * ABProviderInit, exported by the provider module under this plain name.
 * Declare the definition as "ABPROVIDERINIT ABProviderInit;" to have the
 * compiler check it against this type.
 */
typedef HRESULT (STDMAPIINITCALLTYPE ABPROVIDERINIT)(
    HINSTANCE hInstance, LPMALLOC lpMalloc, LPALLOCATEBUFFER lpAllocateBuffer,
    LPALLOCATEMORE lpAllocateMore, LPFREEBUFFER lpFreeBuffer, ULONG ulFlags,
    ULONG ulMAPIVer, ULONG *lpulProviderVer, LPABPROVIDER *lppABProvider);
typedef ABPROVIDERINIT *LPABPROVIDERINIT;

ABPROVIDERINIT ABProviderInit;

/* Message service entry point, conventionally named ServiceEntry. */
typedef HRESULT (STDAPICALLTYPE MSGSERVICEENTRY)(
    HINSTANCE hInstance, LPMALLOC lpMalloc, LPMAPISUP lpMAPISup,
    ULONG_PTR ulUIParam, ULONG ulFlags, ULONG ulContext, ULONG cValues,
    LPSPropValue lpProps, LPPROVIDERADMIN lpProviderAdmin,
    LPMAPIERROR *lppMapiError);
typedef MSGSERVICEENTRY *LPMSGSERVICEENTRY;

#ifdef __cplusplus
}
#endif

#endif /* LDAPAB_MAPI_MAPISPI_H */
