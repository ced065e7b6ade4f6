/*
 * tests/abi/crosscheck_structs.h - the structures and fields that both our
 * headers and mingw-w64's define, for abi_mingw_crosscheck_*: the sizeof of
 * every structure and the offset of every field must be equal.
 *
 * S(T)          sizeof(T)
 * F(T, f, id)   offsetof(T, f); id is f spelled as an identifier
 *
 * Left out because mingw-w64 lacks them (spec section 7 item 8, MS-H only):
 * SCountRestriction, SAnnotationRestriction, SRestriction.res.resCount,
 * SRestriction.res.resAnnotation, _PV.lpv, MAPINAMEID.Kind.lID_Reserved.
 * BOOKMARK differs on purpose and is asserted explicitly in
 * crosscheck_mingw.c.
 */
#ifndef LDAPAB_TESTS_ABI_CROSSCHECK_STRUCTS_H
#define LDAPAB_TESTS_ABI_CROSSCHECK_STRUCTS_H

#define STRUCTS(S, F) \
    S(FILETIME) F(FILETIME, dwLowDateTime, dwLowDateTime) F(FILETIME, dwHighDateTime, dwHighDateTime) \
    S(LARGE_INTEGER) F(LARGE_INTEGER, LowPart, LowPart) F(LARGE_INTEGER, HighPart, HighPart) \
        F(LARGE_INTEGER, u.LowPart, u_LowPart) F(LARGE_INTEGER, u.HighPart, u_HighPart) \
        F(LARGE_INTEGER, QuadPart, QuadPart) \
    S(CURRENCY) F(CURRENCY, Lo, Lo) F(CURRENCY, Hi, Hi) F(CURRENCY, int64, int64) \
    S(GUID) F(GUID, Data1, Data1) F(GUID, Data2, Data2) F(GUID, Data3, Data3) F(GUID, Data4, Data4) \
    S(MAPIUID) F(MAPIUID, ab, ab) \
    S(SBinary) F(SBinary, cb, cb) F(SBinary, lpb, lpb) \
    S(SShortArray) F(SShortArray, cValues, cValues) F(SShortArray, lpi, lpi) \
    S(SLongArray) F(SLongArray, cValues, cValues) F(SLongArray, lpl, lpl) \
    S(SRealArray) F(SRealArray, cValues, cValues) F(SRealArray, lpflt, lpflt) \
    S(SDoubleArray) F(SDoubleArray, cValues, cValues) F(SDoubleArray, lpdbl, lpdbl) \
    S(SCurrencyArray) F(SCurrencyArray, cValues, cValues) F(SCurrencyArray, lpcur, lpcur) \
    S(SAppTimeArray) F(SAppTimeArray, cValues, cValues) F(SAppTimeArray, lpat, lpat) \
    S(SDateTimeArray) F(SDateTimeArray, cValues, cValues) F(SDateTimeArray, lpft, lpft) \
    S(SBinaryArray) F(SBinaryArray, cValues, cValues) F(SBinaryArray, lpbin, lpbin) \
    S(ENTRYLIST) F(ENTRYLIST, cValues, cValues) F(ENTRYLIST, lpbin, lpbin) \
    S(SLPSTRArray) F(SLPSTRArray, cValues, cValues) F(SLPSTRArray, lppszA, lppszA) \
    S(SWStringArray) F(SWStringArray, cValues, cValues) F(SWStringArray, lppszW, lppszW) \
    S(SGuidArray) F(SGuidArray, cValues, cValues) F(SGuidArray, lpguid, lpguid) \
    S(SLargeIntegerArray) F(SLargeIntegerArray, cValues, cValues) F(SLargeIntegerArray, lpli, lpli) \
    S(SPropValue) F(SPropValue, ulPropTag, ulPropTag) F(SPropValue, dwAlignPad, dwAlignPad) \
        F(SPropValue, Value, Value) F(SPropValue, Value.i, Value_i) F(SPropValue, Value.l, Value_l) \
        F(SPropValue, Value.ul, Value_ul) F(SPropValue, Value.flt, Value_flt) \
        F(SPropValue, Value.dbl, Value_dbl) F(SPropValue, Value.b, Value_b) \
        F(SPropValue, Value.cur, Value_cur) F(SPropValue, Value.at, Value_at) \
        F(SPropValue, Value.ft, Value_ft) F(SPropValue, Value.lpszA, Value_lpszA) \
        F(SPropValue, Value.bin, Value_bin) F(SPropValue, Value.bin.lpb, Value_bin_lpb) \
        F(SPropValue, Value.lpszW, Value_lpszW) F(SPropValue, Value.lpguid, Value_lpguid) \
        F(SPropValue, Value.li, Value_li) F(SPropValue, Value.MVi, Value_MVi) \
        F(SPropValue, Value.MVl, Value_MVl) F(SPropValue, Value.MVflt, Value_MVflt) \
        F(SPropValue, Value.MVdbl, Value_MVdbl) F(SPropValue, Value.MVcur, Value_MVcur) \
        F(SPropValue, Value.MVat, Value_MVat) F(SPropValue, Value.MVft, Value_MVft) \
        F(SPropValue, Value.MVbin, Value_MVbin) F(SPropValue, Value.MVszA, Value_MVszA) \
        F(SPropValue, Value.MVszW, Value_MVszW) F(SPropValue, Value.MVguid, Value_MVguid) \
        F(SPropValue, Value.MVli, Value_MVli) F(SPropValue, Value.MVli.lpli, Value_MVli_lpli) \
        F(SPropValue, Value.err, Value_err) F(SPropValue, Value.x, Value_x) \
    S(SPropTagArray) F(SPropTagArray, cValues, cValues) F(SPropTagArray, aulPropTag, aulPropTag) \
    S(SPropProblem) F(SPropProblem, ulIndex, ulIndex) F(SPropProblem, ulPropTag, ulPropTag) \
        F(SPropProblem, scode, scode) \
    S(SPropProblemArray) F(SPropProblemArray, cProblem, cProblem) F(SPropProblemArray, aProblem, aProblem) \
    S(SRow) F(SRow, ulAdrEntryPad, ulAdrEntryPad) F(SRow, cValues, cValues) F(SRow, lpProps, lpProps) \
    S(SRowSet) F(SRowSet, cRows, cRows) F(SRowSet, aRow, aRow) \
    S(ADRENTRY) F(ADRENTRY, ulReserved1, ulReserved1) F(ADRENTRY, cValues, cValues) \
        F(ADRENTRY, rgPropVals, rgPropVals) \
    S(ADRLIST) F(ADRLIST, cEntries, cEntries) F(ADRLIST, aEntries, aEntries) \
    S(SSortOrder) F(SSortOrder, ulPropTag, ulPropTag) F(SSortOrder, ulOrder, ulOrder) \
    S(SSortOrderSet) F(SSortOrderSet, cSorts, cSorts) F(SSortOrderSet, cCategories, cCategories) \
        F(SSortOrderSet, cExpanded, cExpanded) F(SSortOrderSet, aSort, aSort) \
    S(FlagList) F(FlagList, cFlags, cFlags) F(FlagList, ulFlag, ulFlag) \
    S(ENTRYID) F(ENTRYID, abFlags, abFlags) F(ENTRYID, ab, ab) \
    S(FLATENTRY) F(FLATENTRY, cb, cb) F(FLATENTRY, abEntry, abEntry) \
    S(FLATENTRYLIST) F(FLATENTRYLIST, cEntries, cEntries) F(FLATENTRYLIST, cbEntries, cbEntries) \
        F(FLATENTRYLIST, abEntries, abEntries) \
    S(NOTIFKEY) F(NOTIFKEY, cb, cb) F(NOTIFKEY, ab, ab) \
    S(MAPIERROR) F(MAPIERROR, ulVersion, ulVersion) F(MAPIERROR, lpszError, lpszError) \
        F(MAPIERROR, lpszComponent, lpszComponent) F(MAPIERROR, ulLowLevelError, ulLowLevelError) \
        F(MAPIERROR, ulContext, ulContext) \
    S(MAPINAMEID) F(MAPINAMEID, lpguid, lpguid) F(MAPINAMEID, ulKind, ulKind) F(MAPINAMEID, Kind, Kind) \
        F(MAPINAMEID, Kind.lID, Kind_lID) F(MAPINAMEID, Kind.lpwstrName, Kind_lpwstrName) \
    S(SRestriction) F(SRestriction, rt, rt) F(SRestriction, res, res) \
        F(SRestriction, res.resCompareProps, res_resCompareProps) F(SRestriction, res.resAnd, res_resAnd) \
        F(SRestriction, res.resOr, res_resOr) F(SRestriction, res.resNot, res_resNot) \
        F(SRestriction, res.resContent, res_resContent) F(SRestriction, res.resProperty, res_resProperty) \
        F(SRestriction, res.resBitMask, res_resBitMask) F(SRestriction, res.resSize, res_resSize) \
        F(SRestriction, res.resExist, res_resExist) F(SRestriction, res.resSub, res_resSub) \
        F(SRestriction, res.resComment, res_resComment) \
    S(SAndRestriction) F(SAndRestriction, cRes, cRes) F(SAndRestriction, lpRes, lpRes) \
    S(SOrRestriction) F(SOrRestriction, cRes, cRes) F(SOrRestriction, lpRes, lpRes) \
    S(SNotRestriction) F(SNotRestriction, ulReserved, ulReserved) F(SNotRestriction, lpRes, lpRes) \
    S(SContentRestriction) F(SContentRestriction, ulFuzzyLevel, ulFuzzyLevel) \
        F(SContentRestriction, ulPropTag, ulPropTag) F(SContentRestriction, lpProp, lpProp) \
    S(SPropertyRestriction) F(SPropertyRestriction, relop, relop) \
        F(SPropertyRestriction, ulPropTag, ulPropTag) F(SPropertyRestriction, lpProp, lpProp) \
    S(SComparePropsRestriction) F(SComparePropsRestriction, relop, relop) \
        F(SComparePropsRestriction, ulPropTag1, ulPropTag1) F(SComparePropsRestriction, ulPropTag2, ulPropTag2) \
    S(SBitMaskRestriction) F(SBitMaskRestriction, relBMR, relBMR) \
        F(SBitMaskRestriction, ulPropTag, ulPropTag) F(SBitMaskRestriction, ulMask, ulMask) \
    S(SSizeRestriction) F(SSizeRestriction, relop, relop) F(SSizeRestriction, ulPropTag, ulPropTag) \
        F(SSizeRestriction, cb, cb) \
    S(SExistRestriction) F(SExistRestriction, ulReserved1, ulReserved1) \
        F(SExistRestriction, ulPropTag, ulPropTag) F(SExistRestriction, ulReserved2, ulReserved2) \
    S(SSubRestriction) F(SSubRestriction, ulSubObject, ulSubObject) F(SSubRestriction, lpRes, lpRes) \
    S(SCommentRestriction) F(SCommentRestriction, cValues, cValues) \
        F(SCommentRestriction, lpRes, lpRes) F(SCommentRestriction, lpProp, lpProp) \
    S(ERROR_NOTIFICATION) F(ERROR_NOTIFICATION, cbEntryID, cbEntryID) \
        F(ERROR_NOTIFICATION, lpEntryID, lpEntryID) F(ERROR_NOTIFICATION, scode, scode) \
        F(ERROR_NOTIFICATION, ulFlags, ulFlags) F(ERROR_NOTIFICATION, lpMAPIError, lpMAPIError) \
    S(NEWMAIL_NOTIFICATION) F(NEWMAIL_NOTIFICATION, cbEntryID, cbEntryID) \
        F(NEWMAIL_NOTIFICATION, lpEntryID, lpEntryID) F(NEWMAIL_NOTIFICATION, cbParentID, cbParentID) \
        F(NEWMAIL_NOTIFICATION, lpParentID, lpParentID) F(NEWMAIL_NOTIFICATION, ulFlags, ulFlags) \
        F(NEWMAIL_NOTIFICATION, lpszMessageClass, lpszMessageClass) \
        F(NEWMAIL_NOTIFICATION, ulMessageFlags, ulMessageFlags) \
    S(OBJECT_NOTIFICATION) F(OBJECT_NOTIFICATION, cbEntryID, cbEntryID) \
        F(OBJECT_NOTIFICATION, lpEntryID, lpEntryID) F(OBJECT_NOTIFICATION, ulObjType, ulObjType) \
        F(OBJECT_NOTIFICATION, cbParentID, cbParentID) F(OBJECT_NOTIFICATION, lpParentID, lpParentID) \
        F(OBJECT_NOTIFICATION, cbOldID, cbOldID) F(OBJECT_NOTIFICATION, lpOldID, lpOldID) \
        F(OBJECT_NOTIFICATION, cbOldParentID, cbOldParentID) \
        F(OBJECT_NOTIFICATION, lpOldParentID, lpOldParentID) \
        F(OBJECT_NOTIFICATION, lpPropTagArray, lpPropTagArray) \
    S(TABLE_NOTIFICATION) F(TABLE_NOTIFICATION, ulTableEvent, ulTableEvent) \
        F(TABLE_NOTIFICATION, hResult, hResult) F(TABLE_NOTIFICATION, propIndex, propIndex) \
        F(TABLE_NOTIFICATION, propPrior, propPrior) F(TABLE_NOTIFICATION, row, row) \
        F(TABLE_NOTIFICATION, ulPad, ulPad) \
    S(EXTENDED_NOTIFICATION) F(EXTENDED_NOTIFICATION, ulEvent, ulEvent) \
        F(EXTENDED_NOTIFICATION, cb, cb) F(EXTENDED_NOTIFICATION, pbEventParameters, pbEventParameters) \
    S(STATUS_OBJECT_NOTIFICATION) F(STATUS_OBJECT_NOTIFICATION, cbEntryID, cbEntryID) \
        F(STATUS_OBJECT_NOTIFICATION, lpEntryID, lpEntryID) \
        F(STATUS_OBJECT_NOTIFICATION, cValues, cValues) \
        F(STATUS_OBJECT_NOTIFICATION, lpPropVals, lpPropVals) \
    S(NOTIFICATION) F(NOTIFICATION, ulEventType, ulEventType) F(NOTIFICATION, ulAlignPad, ulAlignPad) \
        F(NOTIFICATION, info, info) F(NOTIFICATION, info.err, info_err) \
        F(NOTIFICATION, info.newmail, info_newmail) F(NOTIFICATION, info.obj, info_obj) \
        F(NOTIFICATION, info.tab, info_tab) F(NOTIFICATION, info.ext, info_ext) \
        F(NOTIFICATION, info.statobj, info_statobj) \
    S(ADRPARM) F(ADRPARM, cbABContEntryID, cbABContEntryID) F(ADRPARM, lpABContEntryID, lpABContEntryID) \
        F(ADRPARM, ulFlags, ulFlags) F(ADRPARM, lpReserved, lpReserved) \
        F(ADRPARM, ulHelpContext, ulHelpContext) F(ADRPARM, lpszHelpFileName, lpszHelpFileName) \
        F(ADRPARM, lpfnABSDI, lpfnABSDI) F(ADRPARM, lpfnDismiss, lpfnDismiss) \
        F(ADRPARM, lpvDismissContext, lpvDismissContext) F(ADRPARM, lpszCaption, lpszCaption) \
        F(ADRPARM, lpszNewEntryTitle, lpszNewEntryTitle) \
        F(ADRPARM, lpszDestWellsTitle, lpszDestWellsTitle) F(ADRPARM, cDestFields, cDestFields) \
        F(ADRPARM, nDestFieldFocus, nDestFieldFocus) F(ADRPARM, lppszDestTitles, lppszDestTitles) \
        F(ADRPARM, lpulDestComps, lpulDestComps) F(ADRPARM, lpContRestriction, lpContRestriction) \
        F(ADRPARM, lpHierRestriction, lpHierRestriction)

/* Scalar types whose size both define (BOOKMARK excluded, see above). */
#define SCALARS(T) \
    T(BYTE) T(WORD) T(USHORT) T(ULONG) T(DWORD) T(LONG) T(SCODE) T(HRESULT) T(BOOL) \
    T(LONGLONG) T(ULONG_PTR) T(LONG_PTR) T(SIZE_T) T(LHANDLE) T(LPVOID) T(LPBYTE) \
    T(LPSTR) T(WCHAR) T(LPWSTR) T(LPTSTR) T(LPCIID) T(REFIID) T(HINSTANCE)

/* IIDs both define through DEFINE_OLEGUID (IID_IUnknown and IID_IMalloc come
 * from mingw-w64's MIDL headers as plain extern objects, not comparable at
 * compile time; IID_IMAPIProviderShutdown is MS-H only). */
#define IIDS(G) \
    G(IID_IMAPISession) G(IID_IMAPITable) G(IID_IMAPIAdviseSink) G(IID_IMAPIProp) \
    G(IID_IProfSect) G(IID_IMAPIStatus) G(IID_IMsgStore) G(IID_IMessage) G(IID_IAttachment) \
    G(IID_IAddrBook) G(IID_IMailUser) G(IID_IMAPIContainer) G(IID_IMAPIFolder) \
    G(IID_IABContainer) G(IID_IDistList) G(IID_IMAPISup) G(IID_IMSProvider) \
    G(IID_IABProvider) G(IID_IXPProvider) G(IID_IMSLogon) G(IID_IABLogon) G(IID_IXPLogon) \
    G(IID_IMAPITableData) G(IID_IMAPIPropData) G(IID_IMAPIControl) G(IID_IProfAdmin) \
    G(IID_IMsgServiceAdmin) G(IID_IMAPIProgress) G(IID_IProviderAdmin) G(PS_MAPI) \
    G(PS_PUBLIC_STRINGS) G(MUID_PROFILE_INSTANCE)

/* Interfaces both define (IMAPIProviderShutdown is MS-H only). */
#define SHARED_INTERFACES(IFACE) \
    IFACE(IUnknown) IFACE(IMalloc) IFACE(IMAPIProp) IFACE(IMailUser) IFACE(IProfSect) \
    IFACE(IMAPIStatus) IFACE(IMAPIContainer) IFACE(IABContainer) IFACE(IDistList) \
    IFACE(IMAPITable) IFACE(IMAPIAdviseSink) IFACE(IMAPIProgress) IFACE(IABProvider) \
    IFACE(IABLogon) IFACE(IMAPISupport) IFACE(IProviderAdmin)

#endif
