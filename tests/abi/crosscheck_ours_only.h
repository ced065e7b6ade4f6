/*
 * tests/abi/crosscheck_ours_only.h - included by crosscheck_mingw.c after
 * mingw-w64's MAPI headers: names only our headers define (see
 * crosscheck_consts.h).  If mingw-w64 starts defining one, move it to
 * CONSTS_BOTH so its value gets compared.
 */
#ifdef MAPI_NO_CACHE
#error "mingw-w64 defines MAPI_NO_CACHE: move it to CONSTS_BOTH"
#endif
#ifdef MAPI_CACHE_ONLY
#error "mingw-w64 defines MAPI_CACHE_ONLY: move it to CONSTS_BOTH"
#endif
#ifdef EMS_AB_ADDRESS_LOOKUP
#error "mingw-w64 defines EMS_AB_ADDRESS_LOOKUP: move it to CONSTS_BOTH"
#endif
#ifdef PT_PTR
#error "mingw-w64 defines PT_PTR: move it to CONSTS_BOTH"
#endif
#ifdef TABLE_SORT_CATEG_MAX
#error "mingw-w64 defines TABLE_SORT_CATEG_MAX: move it to CONSTS_BOTH"
#endif
#ifdef TABLE_SORT_CATEG_MIN
#error "mingw-w64 defines TABLE_SORT_CATEG_MIN: move it to CONSTS_BOTH"
#endif
#ifdef RES_COUNT
#error "mingw-w64 defines RES_COUNT: move it to CONSTS_BOTH"
#endif
#ifdef RES_ANNOTATION
#error "mingw-w64 defines RES_ANNOTATION: move it to CONSTS_BOTH"
#endif
#ifdef DT_ROOM
#error "mingw-w64 defines DT_ROOM: move it to CONSTS_BOTH"
#endif
#ifdef DT_EQUIPMENT
#error "mingw-w64 defines DT_EQUIPMENT: move it to CONSTS_BOTH"
#endif
#ifdef DT_SEC_DISTLIST
#error "mingw-w64 defines DT_SEC_DISTLIST: move it to CONSTS_BOTH"
#endif
#ifdef DTE_FLAG_REMOTE_VALID
#error "mingw-w64 defines DTE_FLAG_REMOTE_VALID: move it to CONSTS_BOTH"
#endif
#ifdef DTE_FLAG_ACL_CAPABLE
#error "mingw-w64 defines DTE_FLAG_ACL_CAPABLE: move it to CONSTS_BOTH"
#endif
#ifdef DTE_MASK_REMOTE
#error "mingw-w64 defines DTE_MASK_REMOTE: move it to CONSTS_BOTH"
#endif
#ifdef DTE_MASK_LOCAL
#error "mingw-w64 defines DTE_MASK_LOCAL: move it to CONSTS_BOTH"
#endif
#ifdef MAPI_E_RECONNECTED
#error "mingw-w64 defines MAPI_E_RECONNECTED: move it to CONSTS_BOTH"
#endif
#ifdef MAPI_E_OFFLINE
#error "mingw-w64 defines MAPI_E_OFFLINE: move it to CONSTS_BOTH"
#endif
#ifdef PR_DISPLAY_TYPE_EX
#error "mingw-w64 defines PR_DISPLAY_TYPE_EX: move it to CONSTS_BOTH"
#endif
#ifdef PR_SMTP_ADDRESS_A
#error "mingw-w64 defines PR_SMTP_ADDRESS_A: move it to CONSTS_BOTH"
#endif
#ifdef PR_SMTP_ADDRESS_W
#error "mingw-w64 defines PR_SMTP_ADDRESS_W: move it to CONSTS_BOTH"
#endif
#ifdef PR_SMTP_ADDRESS
#error "mingw-w64 defines PR_SMTP_ADDRESS: move it to CONSTS_BOTH"
#endif
#ifdef PR_7BIT_DISPLAY_NAME_A
#error "mingw-w64 defines PR_7BIT_DISPLAY_NAME_A: move it to CONSTS_BOTH"
#endif
#ifdef PR_7BIT_DISPLAY_NAME_W
#error "mingw-w64 defines PR_7BIT_DISPLAY_NAME_W: move it to CONSTS_BOTH"
#endif
#ifdef PR_SEND_INTERNET_ENCODING
#error "mingw-w64 defines PR_SEND_INTERNET_ENCODING: move it to CONSTS_BOTH"
#endif
#ifdef PR_EMS_AB_MANAGER
#error "mingw-w64 defines PR_EMS_AB_MANAGER: move it to CONSTS_BOTH"
#endif
#ifdef PR_EMS_AB_MANAGER_A
#error "mingw-w64 defines PR_EMS_AB_MANAGER_A: move it to CONSTS_BOTH"
#endif
#ifdef PR_EMS_AB_MANAGER_W
#error "mingw-w64 defines PR_EMS_AB_MANAGER_W: move it to CONSTS_BOTH"
#endif
#ifdef PR_EMS_AB_IS_MEMBER_OF_DL
#error "mingw-w64 defines PR_EMS_AB_IS_MEMBER_OF_DL: move it to CONSTS_BOTH"
#endif
#ifdef PR_EMS_AB_IS_MEMBER_OF_DL_A
#error "mingw-w64 defines PR_EMS_AB_IS_MEMBER_OF_DL_A: move it to CONSTS_BOTH"
#endif
#ifdef PR_EMS_AB_IS_MEMBER_OF_DL_W
#error "mingw-w64 defines PR_EMS_AB_IS_MEMBER_OF_DL_W: move it to CONSTS_BOTH"
#endif
#ifdef PR_EMS_AB_MEMBER
#error "mingw-w64 defines PR_EMS_AB_MEMBER: move it to CONSTS_BOTH"
#endif
#ifdef PR_EMS_AB_MEMBER_A
#error "mingw-w64 defines PR_EMS_AB_MEMBER_A: move it to CONSTS_BOTH"
#endif
#ifdef PR_EMS_AB_MEMBER_W
#error "mingw-w64 defines PR_EMS_AB_MEMBER_W: move it to CONSTS_BOTH"
#endif
#ifdef PR_EMS_AB_REPORTS
#error "mingw-w64 defines PR_EMS_AB_REPORTS: move it to CONSTS_BOTH"
#endif
#ifdef PR_EMS_AB_REPORTS_A
#error "mingw-w64 defines PR_EMS_AB_REPORTS_A: move it to CONSTS_BOTH"
#endif
#ifdef PR_EMS_AB_REPORTS_W
#error "mingw-w64 defines PR_EMS_AB_REPORTS_W: move it to CONSTS_BOTH"
#endif
#ifdef PR_EMS_AB_PROXY_ADDRESSES_A
#error "mingw-w64 defines PR_EMS_AB_PROXY_ADDRESSES_A: move it to CONSTS_BOTH"
#endif
#ifdef PR_EMS_AB_PROXY_ADDRESSES_W
#error "mingw-w64 defines PR_EMS_AB_PROXY_ADDRESSES_W: move it to CONSTS_BOTH"
#endif
#ifdef PR_EMS_AB_PROXY_ADDRESSES
#error "mingw-w64 defines PR_EMS_AB_PROXY_ADDRESSES: move it to CONSTS_BOTH"
#endif
#ifdef PR_EMS_AB_DISPLAY_NAME_PRINTABLE_A
#error "mingw-w64 defines PR_EMS_AB_DISPLAY_NAME_PRINTABLE_A: move it to CONSTS_BOTH"
#endif
#ifdef PR_EMS_AB_DISPLAY_NAME_PRINTABLE_W
#error "mingw-w64 defines PR_EMS_AB_DISPLAY_NAME_PRINTABLE_W: move it to CONSTS_BOTH"
#endif
#ifdef PR_EMS_AB_DISPLAY_NAME_PRINTABLE
#error "mingw-w64 defines PR_EMS_AB_DISPLAY_NAME_PRINTABLE: move it to CONSTS_BOTH"
#endif
#ifdef PR_EMS_AB_OBJECT_GUID
#error "mingw-w64 defines PR_EMS_AB_OBJECT_GUID: move it to CONSTS_BOTH"
#endif
#ifdef PR_EMS_AB_THUMBNAIL_PHOTO
#error "mingw-w64 defines PR_EMS_AB_THUMBNAIL_PHOTO: move it to CONSTS_BOTH"
#endif
#ifdef PR_EMS_AB_X509_CERT
#error "mingw-w64 defines PR_EMS_AB_X509_CERT: move it to CONSTS_BOTH"
#endif
#ifdef PR_USER_X509_CERTIFICATE
#error "mingw-w64 defines PR_USER_X509_CERTIFICATE: move it to CONSTS_BOTH"
#endif
