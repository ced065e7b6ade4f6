/*
 * mapi/mapitags.h - MAPI property tags (ldapab's own; values from mapi-abi.md 5.2).
 *
 * String properties come in three names: PR_X_A (PT_STRING8), PR_X_W
 * (PT_UNICODE) and PR_X, which is the _A form as in a non-UNICODE Microsoft
 * build (see LPTSTR in mapidefs.h).  Code that speaks Unicode uses the _W
 * names explicitly.  The PT_* types and PROP_TAG() live in mapidefs.h, as in
 * Microsoft's headers.
 */
#ifndef LDAPAB_MAPI_MAPITAGS_H
#define LDAPAB_MAPI_MAPITAGS_H

#include <mapi/mapidefs.h>

#define PR_NULL PROP_TAG(PT_NULL, PROP_ID_NULL)

#define PR_ENTRYID                        PROP_TAG(PT_BINARY, 0x0FFF)
#define PR_RECORD_KEY                     PROP_TAG(PT_BINARY, 0x0FF9)
#define PR_INSTANCE_KEY                   PROP_TAG(PT_BINARY, 0x0FF6)
#define PR_SEARCH_KEY                     PROP_TAG(PT_BINARY, 0x300B)
#define PR_OBJECT_TYPE                    PROP_TAG(PT_LONG, 0x0FFE)
#define PR_PARENT_ENTRYID                 PROP_TAG(PT_BINARY, 0x0E09)
#define PR_ACCESS                         PROP_TAG(PT_LONG, 0x0FF4)
#define PR_ACCESS_LEVEL                   PROP_TAG(PT_LONG, 0x0FF7)
#define PR_MAPPING_SIGNATURE              PROP_TAG(PT_BINARY, 0x0FF8)
#define PR_ROW_TYPE                       PROP_TAG(PT_LONG, 0x0FF5)
#define PR_ROWID                          PROP_TAG(PT_LONG, 0x3000)
#define PR_DISPLAY_NAME_A                 PROP_TAG(PT_STRING8, 0x3001)
#define PR_DISPLAY_NAME_W                 PROP_TAG(PT_UNICODE, 0x3001)
#define PR_DISPLAY_NAME                   PR_DISPLAY_NAME_A
#define PR_ADDRTYPE_A                     PROP_TAG(PT_STRING8, 0x3002)
#define PR_ADDRTYPE_W                     PROP_TAG(PT_UNICODE, 0x3002)
#define PR_ADDRTYPE                       PR_ADDRTYPE_A
#define PR_EMAIL_ADDRESS_A                PROP_TAG(PT_STRING8, 0x3003)
#define PR_EMAIL_ADDRESS_W                PROP_TAG(PT_UNICODE, 0x3003)
#define PR_EMAIL_ADDRESS                  PR_EMAIL_ADDRESS_A
#define PR_COMMENT_A                      PROP_TAG(PT_STRING8, 0x3004)
#define PR_COMMENT_W                      PROP_TAG(PT_UNICODE, 0x3004)
#define PR_COMMENT                        PR_COMMENT_A
#define PR_DEPTH                          PROP_TAG(PT_LONG, 0x3005)
#define PR_PROVIDER_DISPLAY_A             PROP_TAG(PT_STRING8, 0x3006)
#define PR_PROVIDER_DISPLAY_W             PROP_TAG(PT_UNICODE, 0x3006)
#define PR_PROVIDER_DISPLAY               PR_PROVIDER_DISPLAY_A
#define PR_RESOURCE_FLAGS                 PROP_TAG(PT_LONG, 0x3009)
#define PR_PROVIDER_DLL_NAME_A            PROP_TAG(PT_STRING8, 0x300A)
#define PR_PROVIDER_DLL_NAME_W            PROP_TAG(PT_UNICODE, 0x300A)
#define PR_PROVIDER_DLL_NAME              PR_PROVIDER_DLL_NAME_A
#define PR_PROVIDER_UID                   PROP_TAG(PT_BINARY, 0x300C)
#define PR_PROVIDER_ORDINAL               PROP_TAG(PT_LONG, 0x300D)
#define PR_CONTAINER_FLAGS                PROP_TAG(PT_LONG, 0x3600)
#define PR_CREATE_TEMPLATES               PROP_TAG(PT_OBJECT, 0x3604)
#define PR_DETAILS_TABLE                  PROP_TAG(PT_OBJECT, 0x3605)
#define PR_SEARCH                         PROP_TAG(PT_OBJECT, 0x3607)
#define PR_SELECTABLE                     PROP_TAG(PT_BOOLEAN, 0x3609)
#define PR_STATUS                         PROP_TAG(PT_LONG, 0x360B)
#define PR_ANR_A                          PROP_TAG(PT_STRING8, 0x360C)
#define PR_ANR_W                          PROP_TAG(PT_UNICODE, 0x360C)
#define PR_ANR                            PR_ANR_A
#define PR_CONTAINER_HIERARCHY            PROP_TAG(PT_OBJECT, 0x360E)
#define PR_CONTAINER_CONTENTS             PROP_TAG(PT_OBJECT, 0x360F)
#define PR_DEF_CREATE_DL                  PROP_TAG(PT_BINARY, 0x3611)
#define PR_DEF_CREATE_MAILUSER            PROP_TAG(PT_BINARY, 0x3612)
#define PR_CONTAINER_CLASS_A              PROP_TAG(PT_STRING8, 0x3613)
#define PR_CONTAINER_CLASS_W              PROP_TAG(PT_UNICODE, 0x3613)
#define PR_CONTAINER_CLASS                PR_CONTAINER_CLASS_A
#define PR_AB_PROVIDER_ID                 PROP_TAG(PT_BINARY, 0x3615)
#define PR_DISPLAY_TYPE                   PROP_TAG(PT_LONG, 0x3900)
#define PR_TEMPLATEID                     PROP_TAG(PT_BINARY, 0x3902)
/* MS-H MAPIAux.h + MS-D only */
#define PR_DISPLAY_TYPE_EX                PROP_TAG(PT_LONG, 0x3905)
/* MS-H + MS-D only */
#define PR_SMTP_ADDRESS_A                 PROP_TAG(PT_STRING8, 0x39FE)
#define PR_SMTP_ADDRESS_W                 PROP_TAG(PT_UNICODE, 0x39FE)
#define PR_SMTP_ADDRESS                   PR_SMTP_ADDRESS_A
/* headers define the _A form only; _W from MS-D/MFC (spec 7 item 11) */
#define PR_7BIT_DISPLAY_NAME_A            PROP_TAG(PT_STRING8, 0x39FF)
#define PR_7BIT_DISPLAY_NAME_W            PROP_TAG(PT_UNICODE, 0x39FF)
#define PR_7BIT_DISPLAY_NAME              PR_7BIT_DISPLAY_NAME_A
#define PR_ACCOUNT_A                      PROP_TAG(PT_STRING8, 0x3A00)
#define PR_ACCOUNT_W                      PROP_TAG(PT_UNICODE, 0x3A00)
#define PR_ACCOUNT                        PR_ACCOUNT_A
#define PR_GIVEN_NAME_A                   PROP_TAG(PT_STRING8, 0x3A06)
#define PR_GIVEN_NAME_W                   PROP_TAG(PT_UNICODE, 0x3A06)
#define PR_GIVEN_NAME                     PR_GIVEN_NAME_A
#define PR_BUSINESS_TELEPHONE_NUMBER_A    PROP_TAG(PT_STRING8, 0x3A08)
#define PR_BUSINESS_TELEPHONE_NUMBER_W    PROP_TAG(PT_UNICODE, 0x3A08)
#define PR_BUSINESS_TELEPHONE_NUMBER      PR_BUSINESS_TELEPHONE_NUMBER_A
#define PR_HOME_TELEPHONE_NUMBER_A        PROP_TAG(PT_STRING8, 0x3A09)
#define PR_HOME_TELEPHONE_NUMBER_W        PROP_TAG(PT_UNICODE, 0x3A09)
#define PR_HOME_TELEPHONE_NUMBER          PR_HOME_TELEPHONE_NUMBER_A
#define PR_INITIALS_A                     PROP_TAG(PT_STRING8, 0x3A0A)
#define PR_INITIALS_W                     PROP_TAG(PT_UNICODE, 0x3A0A)
#define PR_INITIALS                       PR_INITIALS_A
#define PR_SURNAME_A                      PROP_TAG(PT_STRING8, 0x3A11)
#define PR_SURNAME_W                      PROP_TAG(PT_UNICODE, 0x3A11)
#define PR_SURNAME                        PR_SURNAME_A
#define PR_POSTAL_ADDRESS_A               PROP_TAG(PT_STRING8, 0x3A15)
#define PR_POSTAL_ADDRESS_W               PROP_TAG(PT_UNICODE, 0x3A15)
#define PR_POSTAL_ADDRESS                 PR_POSTAL_ADDRESS_A
#define PR_COMPANY_NAME_A                 PROP_TAG(PT_STRING8, 0x3A16)
#define PR_COMPANY_NAME_W                 PROP_TAG(PT_UNICODE, 0x3A16)
#define PR_COMPANY_NAME                   PR_COMPANY_NAME_A
#define PR_TITLE_A                        PROP_TAG(PT_STRING8, 0x3A17)
#define PR_TITLE_W                        PROP_TAG(PT_UNICODE, 0x3A17)
#define PR_TITLE                          PR_TITLE_A
#define PR_DEPARTMENT_NAME_A              PROP_TAG(PT_STRING8, 0x3A18)
#define PR_DEPARTMENT_NAME_W              PROP_TAG(PT_UNICODE, 0x3A18)
#define PR_DEPARTMENT_NAME                PR_DEPARTMENT_NAME_A
#define PR_OFFICE_LOCATION_A              PROP_TAG(PT_STRING8, 0x3A19)
#define PR_OFFICE_LOCATION_W              PROP_TAG(PT_UNICODE, 0x3A19)
#define PR_OFFICE_LOCATION                PR_OFFICE_LOCATION_A
#define PR_MOBILE_TELEPHONE_NUMBER_A      PROP_TAG(PT_STRING8, 0x3A1C)
#define PR_MOBILE_TELEPHONE_NUMBER_W      PROP_TAG(PT_UNICODE, 0x3A1C)
#define PR_MOBILE_TELEPHONE_NUMBER        PR_MOBILE_TELEPHONE_NUMBER_A
#define PR_TRANSMITABLE_DISPLAY_NAME_A    PROP_TAG(PT_STRING8, 0x3A20)
#define PR_TRANSMITABLE_DISPLAY_NAME_W    PROP_TAG(PT_UNICODE, 0x3A20)
#define PR_TRANSMITABLE_DISPLAY_NAME      PR_TRANSMITABLE_DISPLAY_NAME_A
#define PR_PAGER_TELEPHONE_NUMBER_A       PROP_TAG(PT_STRING8, 0x3A21)
#define PR_PAGER_TELEPHONE_NUMBER_W       PROP_TAG(PT_UNICODE, 0x3A21)
#define PR_PAGER_TELEPHONE_NUMBER         PR_PAGER_TELEPHONE_NUMBER_A
#define PR_BUSINESS_FAX_NUMBER_A          PROP_TAG(PT_STRING8, 0x3A24)
#define PR_BUSINESS_FAX_NUMBER_W          PROP_TAG(PT_UNICODE, 0x3A24)
#define PR_BUSINESS_FAX_NUMBER            PR_BUSINESS_FAX_NUMBER_A
#define PR_COUNTRY_A                      PROP_TAG(PT_STRING8, 0x3A26)
#define PR_COUNTRY_W                      PROP_TAG(PT_UNICODE, 0x3A26)
#define PR_COUNTRY                        PR_COUNTRY_A
#define PR_LOCALITY_A                     PROP_TAG(PT_STRING8, 0x3A27)
#define PR_LOCALITY_W                     PROP_TAG(PT_UNICODE, 0x3A27)
#define PR_LOCALITY                       PR_LOCALITY_A
#define PR_STATE_OR_PROVINCE_A            PROP_TAG(PT_STRING8, 0x3A28)
#define PR_STATE_OR_PROVINCE_W            PROP_TAG(PT_UNICODE, 0x3A28)
#define PR_STATE_OR_PROVINCE              PR_STATE_OR_PROVINCE_A
#define PR_STREET_ADDRESS_A               PROP_TAG(PT_STRING8, 0x3A29)
#define PR_STREET_ADDRESS_W               PROP_TAG(PT_UNICODE, 0x3A29)
#define PR_STREET_ADDRESS                 PR_STREET_ADDRESS_A
#define PR_POSTAL_CODE_A                  PROP_TAG(PT_STRING8, 0x3A2A)
#define PR_POSTAL_CODE_W                  PROP_TAG(PT_UNICODE, 0x3A2A)
#define PR_POSTAL_CODE                    PR_POSTAL_CODE_A
#define PR_ASSISTANT_A                    PROP_TAG(PT_STRING8, 0x3A30)
#define PR_ASSISTANT_W                    PROP_TAG(PT_UNICODE, 0x3A30)
#define PR_ASSISTANT                      PR_ASSISTANT_A
#define PR_SEND_RICH_INFO                 PROP_TAG(PT_BOOLEAN, 0x3A40)
#define PR_MANAGER_NAME_A                 PROP_TAG(PT_STRING8, 0x3A4E)
#define PR_MANAGER_NAME_W                 PROP_TAG(PT_UNICODE, 0x3A4E)
#define PR_MANAGER_NAME                   PR_MANAGER_NAME_A
/* MS-OXPROPS 2.1055 (PidTagUserX509Certificate): S/MIME certificates as
 * ASN.1 SignedData blobs, one per value. */
#define PR_USER_X509_CERTIFICATE          PROP_TAG(PT_MV_BINARY, 0x3A70)
#define PR_NICKNAME_A                     PROP_TAG(PT_STRING8, 0x3A4F)
#define PR_NICKNAME_W                     PROP_TAG(PT_UNICODE, 0x3A4F)
#define PR_NICKNAME                       PR_NICKNAME_A
/* in no header set: MS-D + MFC */
#define PR_SEND_INTERNET_ENCODING         PROP_TAG(PT_LONG, 0x3A71)
#define PR_RECIPIENT_TYPE                 PROP_TAG(PT_LONG, 0x0C15)
#define PR_AB_PROVIDERS                   PROP_TAG(PT_BINARY, 0x3D01)
#define PR_AB_SEARCH_PATH                 PROP_TAG(PT_MV_BINARY, 0x3D05)
#define PR_AB_DEFAULT_DIR                 PROP_TAG(PT_BINARY, 0x3D06)
#define PR_AB_DEFAULT_PAB                 PROP_TAG(PT_BINARY, 0x3D07)
#define PR_SERVICE_NAME_A                 PROP_TAG(PT_STRING8, 0x3D09)
#define PR_SERVICE_NAME_W                 PROP_TAG(PT_UNICODE, 0x3D09)
#define PR_SERVICE_NAME                   PR_SERVICE_NAME_A
#define PR_SERVICE_DLL_NAME_A             PROP_TAG(PT_STRING8, 0x3D0A)
#define PR_SERVICE_DLL_NAME_W             PROP_TAG(PT_UNICODE, 0x3D0A)
#define PR_SERVICE_DLL_NAME               PR_SERVICE_DLL_NAME_A
#define PR_SERVICE_ENTRY_NAME             PROP_TAG(PT_STRING8, 0x3D0B)
#define PR_SERVICE_UID                    PROP_TAG(PT_BINARY, 0x3D0C)
#define PR_PROFILE_NAME_A                 PROP_TAG(PT_STRING8, 0x3D12)
#define PR_PROFILE_NAME_W                 PROP_TAG(PT_UNICODE, 0x3D12)
#define PR_PROFILE_NAME                   PR_PROFILE_NAME_A
#define PR_IDENTITY_DISPLAY_A             PROP_TAG(PT_STRING8, 0x3E00)
#define PR_IDENTITY_DISPLAY_W             PROP_TAG(PT_UNICODE, 0x3E00)
#define PR_IDENTITY_DISPLAY               PR_IDENTITY_DISPLAY_A
#define PR_IDENTITY_ENTRYID               PROP_TAG(PT_BINARY, 0x3E01)
#define PR_RESOURCE_METHODS               PROP_TAG(PT_LONG, 0x3E02)
#define PR_RESOURCE_TYPE                  PROP_TAG(PT_LONG, 0x3E03)
#define PR_STATUS_CODE                    PROP_TAG(PT_LONG, 0x3E04)
#define PR_IDENTITY_SEARCH_KEY            PROP_TAG(PT_BINARY, 0x3E05)
#define PR_RESOURCE_PATH_A                PROP_TAG(PT_STRING8, 0x3E07)
#define PR_RESOURCE_PATH_W                PROP_TAG(PT_UNICODE, 0x3E07)
#define PR_RESOURCE_PATH                  PR_RESOURCE_PATH_A
#define PR_STATUS_STRING_A                PROP_TAG(PT_STRING8, 0x3E08)
#define PR_STATUS_STRING_W                PROP_TAG(PT_UNICODE, 0x3E08)
#define PR_STATUS_STRING                  PR_STATUS_STRING_A

/* Aliases. */
#define PR_OFFICE_TELEPHONE_NUMBER   PR_BUSINESS_TELEPHONE_NUMBER
#define PR_OFFICE_TELEPHONE_NUMBER_A PR_BUSINESS_TELEPHONE_NUMBER_A
#define PR_OFFICE_TELEPHONE_NUMBER_W PR_BUSINESS_TELEPHONE_NUMBER_W

/*
 * Exchange address-book properties (MS-H EMSABTAG.H; not in Wine or
 * mingw-w64).  The unsuffixed PT_OBJECT form stands for a table of
 * referenced entries; _A/_W are the string alternates.
 */
#define PR_EMS_AB_MANAGER                PROP_TAG(PT_OBJECT, 0x8005)
#define PR_EMS_AB_MANAGER_A              PROP_TAG(PT_STRING8, 0x8005)
#define PR_EMS_AB_MANAGER_W              PROP_TAG(PT_UNICODE, 0x8005)
/* _A/_W: MS-H multi-valued; MFC says single-valued (spec 7 item 10). */
#define PR_EMS_AB_IS_MEMBER_OF_DL        PROP_TAG(PT_OBJECT, 0x8008)
#define PR_EMS_AB_IS_MEMBER_OF_DL_A      PROP_TAG(PT_MV_STRING8, 0x8008)
#define PR_EMS_AB_IS_MEMBER_OF_DL_W      PROP_TAG(PT_MV_UNICODE, 0x8008)
#define PR_EMS_AB_MEMBER                 PROP_TAG(PT_OBJECT, 0x8009)
#define PR_EMS_AB_MEMBER_A               PROP_TAG(PT_MV_STRING8, 0x8009)
#define PR_EMS_AB_MEMBER_W               PROP_TAG(PT_MV_UNICODE, 0x8009)
#define PR_EMS_AB_REPORTS                PROP_TAG(PT_OBJECT, 0x800E)
#define PR_EMS_AB_REPORTS_A              PROP_TAG(PT_MV_STRING8, 0x800E)
#define PR_EMS_AB_REPORTS_W              PROP_TAG(PT_MV_UNICODE, 0x800E)
/* Entries like "SMTP:addr"; an upper-case prefix marks the primary one. */
#define PR_EMS_AB_PROXY_ADDRESSES_A      PROP_TAG(PT_MV_STRING8, 0x800F)
#define PR_EMS_AB_PROXY_ADDRESSES_W      PROP_TAG(PT_MV_UNICODE, 0x800F)
#define PR_EMS_AB_PROXY_ADDRESSES        PR_EMS_AB_PROXY_ADDRESSES_A
/* Same ID as PR_7BIT_DISPLAY_NAME. */
#define PR_EMS_AB_DISPLAY_NAME_PRINTABLE_A PROP_TAG(PT_STRING8, 0x39FF)
#define PR_EMS_AB_DISPLAY_NAME_PRINTABLE_W PROP_TAG(PT_UNICODE, 0x39FF)
#define PR_EMS_AB_DISPLAY_NAME_PRINTABLE   PR_EMS_AB_DISPLAY_NAME_PRINTABLE_A
#define PR_EMS_AB_OBJECT_GUID            PROP_TAG(PT_BINARY, 0x8C6D)
/* MFC only (a single source). */
#define PR_EMS_AB_THUMBNAIL_PHOTO        PROP_TAG(PT_BINARY, 0x8C9E)
/* MS-OXPROPS 2.575 (PidTagAddressBookX509Certificate): DER X.509
 * certificates, one per value. */
#define PR_EMS_AB_X509_CERT              PROP_TAG(PT_MV_BINARY, 0x8C6A)

#endif /* LDAPAB_MAPI_MAPITAGS_H */
