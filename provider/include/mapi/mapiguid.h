/*
 * mapi/mapiguid.h - MAPI interface identifiers (ldapab's own; mapi-abi.md 3).
 *
 * Microsoft's pattern: included normally, every GUID below is only declared
 * (extern const IID name;).  Exactly one .c file of each binary (the provider
 * module, the host library, each test program that needs them) defines them
 * by writing
 *
 *     #define INITGUID
 *     #include <mapi/mapiguid.h>
 *
 * before any other MAPI header; a second INITGUID file in the same binary
 * gives duplicate-symbol link errors.  MAPI_GUID_DATA1_<name> is the Data1
 * value of each GUID as an integer constant expression (all MAPI GUIDs are
 * DEFINE_OLEGUID values {Data1-0000-0000-C000-000000000046}).
 *
 * IsEqualGUID/IsEqualIID compare two GUIDs; IsEqualMAPIUID compares two
 * MAPIUIDs byte for byte.
 */
#ifndef LDAPAB_MAPI_MAPIGUID_H
#define LDAPAB_MAPI_MAPIGUID_H

#include <string.h>

#include <mapi/mapidefs.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifdef INITGUID
#define DEFINE_GUID(name, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8) \
    extern const GUID name; \
    const GUID name = { l, w1, w2, { b1, b2, b3, b4, b5, b6, b7, b8 } }
#else
#define DEFINE_GUID(name, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8) \
    extern const GUID name
#endif
#define DEFINE_OLEGUID(name, l, w1, w2) \
    DEFINE_GUID(name, l, w1, w2, 0xC0, 0, 0, 0, 0, 0, 0, 0x46)

#define MAPI_GUID_DATA1_IID_IUnknown             0x00000000U
#define MAPI_GUID_DATA1_IID_IMalloc              0x00000002U
#define MAPI_GUID_DATA1_IID_IMAPISession         0x00020300U
#define MAPI_GUID_DATA1_IID_IMAPITable           0x00020301U
#define MAPI_GUID_DATA1_IID_IMAPIAdviseSink      0x00020302U
#define MAPI_GUID_DATA1_IID_IMAPIProp            0x00020303U
#define MAPI_GUID_DATA1_IID_IProfSect            0x00020304U
#define MAPI_GUID_DATA1_IID_IMAPIStatus          0x00020305U
#define MAPI_GUID_DATA1_IID_IMsgStore            0x00020306U
#define MAPI_GUID_DATA1_IID_IMessage             0x00020307U
#define MAPI_GUID_DATA1_IID_IAttachment          0x00020308U
#define MAPI_GUID_DATA1_IID_IAddrBook            0x00020309U
#define MAPI_GUID_DATA1_IID_IMailUser            0x0002030AU
#define MAPI_GUID_DATA1_IID_IMAPIContainer       0x0002030BU
#define MAPI_GUID_DATA1_IID_IMAPIFolder          0x0002030CU
#define MAPI_GUID_DATA1_IID_IABContainer         0x0002030DU
#define MAPI_GUID_DATA1_IID_IDistList            0x0002030EU
#define MAPI_GUID_DATA1_IID_IMAPISup             0x0002030FU
#define MAPI_GUID_DATA1_IID_IMSProvider          0x00020310U
#define MAPI_GUID_DATA1_IID_IABProvider          0x00020311U
#define MAPI_GUID_DATA1_IID_IXPProvider          0x00020312U
#define MAPI_GUID_DATA1_IID_IMSLogon             0x00020313U
#define MAPI_GUID_DATA1_IID_IABLogon             0x00020314U
#define MAPI_GUID_DATA1_IID_IXPLogon             0x00020315U
#define MAPI_GUID_DATA1_IID_IMAPITableData       0x00020316U
#define MAPI_GUID_DATA1_IID_IMAPIPropData        0x0002031AU
#define MAPI_GUID_DATA1_IID_IMAPIControl         0x0002031BU
#define MAPI_GUID_DATA1_IID_IProfAdmin           0x0002031CU
#define MAPI_GUID_DATA1_IID_IMsgServiceAdmin     0x0002031DU
#define MAPI_GUID_DATA1_IID_IMAPIProgress        0x0002031FU
#define MAPI_GUID_DATA1_IID_IProviderAdmin       0x00020325U
#define MAPI_GUID_DATA1_IID_IMAPIProviderShutdown 0x00020398U
#define MAPI_GUID_DATA1_PS_MAPI                  0x00020328U
#define MAPI_GUID_DATA1_PS_PUBLIC_STRINGS        0x00020329U
#define MAPI_GUID_DATA1_MUID_PROFILE_INSTANCE    0x00020385U

DEFINE_OLEGUID(IID_IUnknown, MAPI_GUID_DATA1_IID_IUnknown, 0, 0);
DEFINE_OLEGUID(IID_IMalloc, MAPI_GUID_DATA1_IID_IMalloc, 0, 0);
DEFINE_OLEGUID(IID_IMAPISession, MAPI_GUID_DATA1_IID_IMAPISession, 0, 0);
DEFINE_OLEGUID(IID_IMAPITable, MAPI_GUID_DATA1_IID_IMAPITable, 0, 0);
DEFINE_OLEGUID(IID_IMAPIAdviseSink, MAPI_GUID_DATA1_IID_IMAPIAdviseSink, 0, 0);
DEFINE_OLEGUID(IID_IMAPIProp, MAPI_GUID_DATA1_IID_IMAPIProp, 0, 0);
DEFINE_OLEGUID(IID_IProfSect, MAPI_GUID_DATA1_IID_IProfSect, 0, 0);
DEFINE_OLEGUID(IID_IMAPIStatus, MAPI_GUID_DATA1_IID_IMAPIStatus, 0, 0);
DEFINE_OLEGUID(IID_IMsgStore, MAPI_GUID_DATA1_IID_IMsgStore, 0, 0);
DEFINE_OLEGUID(IID_IMessage, MAPI_GUID_DATA1_IID_IMessage, 0, 0);
DEFINE_OLEGUID(IID_IAttachment, MAPI_GUID_DATA1_IID_IAttachment, 0, 0);
DEFINE_OLEGUID(IID_IAddrBook, MAPI_GUID_DATA1_IID_IAddrBook, 0, 0);
DEFINE_OLEGUID(IID_IMailUser, MAPI_GUID_DATA1_IID_IMailUser, 0, 0);
DEFINE_OLEGUID(IID_IMAPIContainer, MAPI_GUID_DATA1_IID_IMAPIContainer, 0, 0);
DEFINE_OLEGUID(IID_IMAPIFolder, MAPI_GUID_DATA1_IID_IMAPIFolder, 0, 0);
DEFINE_OLEGUID(IID_IABContainer, MAPI_GUID_DATA1_IID_IABContainer, 0, 0);
DEFINE_OLEGUID(IID_IDistList, MAPI_GUID_DATA1_IID_IDistList, 0, 0);
DEFINE_OLEGUID(IID_IMAPISup, MAPI_GUID_DATA1_IID_IMAPISup, 0, 0);
DEFINE_OLEGUID(IID_IMSProvider, MAPI_GUID_DATA1_IID_IMSProvider, 0, 0);
DEFINE_OLEGUID(IID_IABProvider, MAPI_GUID_DATA1_IID_IABProvider, 0, 0);
DEFINE_OLEGUID(IID_IXPProvider, MAPI_GUID_DATA1_IID_IXPProvider, 0, 0);
DEFINE_OLEGUID(IID_IMSLogon, MAPI_GUID_DATA1_IID_IMSLogon, 0, 0);
DEFINE_OLEGUID(IID_IABLogon, MAPI_GUID_DATA1_IID_IABLogon, 0, 0);
DEFINE_OLEGUID(IID_IXPLogon, MAPI_GUID_DATA1_IID_IXPLogon, 0, 0);
DEFINE_OLEGUID(IID_IMAPITableData, MAPI_GUID_DATA1_IID_IMAPITableData, 0, 0);
DEFINE_OLEGUID(IID_IMAPIPropData, MAPI_GUID_DATA1_IID_IMAPIPropData, 0, 0);
DEFINE_OLEGUID(IID_IMAPIControl, MAPI_GUID_DATA1_IID_IMAPIControl, 0, 0);
DEFINE_OLEGUID(IID_IProfAdmin, MAPI_GUID_DATA1_IID_IProfAdmin, 0, 0);
DEFINE_OLEGUID(IID_IMsgServiceAdmin, MAPI_GUID_DATA1_IID_IMsgServiceAdmin, 0, 0);
DEFINE_OLEGUID(IID_IMAPIProgress, MAPI_GUID_DATA1_IID_IMAPIProgress, 0, 0);
DEFINE_OLEGUID(IID_IProviderAdmin, MAPI_GUID_DATA1_IID_IProviderAdmin, 0, 0);
DEFINE_OLEGUID(IID_IMAPIProviderShutdown, MAPI_GUID_DATA1_IID_IMAPIProviderShutdown, 0, 0);  /* MS-H only */
DEFINE_OLEGUID(PS_MAPI, MAPI_GUID_DATA1_PS_MAPI, 0, 0);
DEFINE_OLEGUID(PS_PUBLIC_STRINGS, MAPI_GUID_DATA1_PS_PUBLIC_STRINGS, 0, 0);
DEFINE_OLEGUID(MUID_PROFILE_INSTANCE, MAPI_GUID_DATA1_MUID_PROFILE_INSTANCE, 0, 0);

/* IMAPISupport's IID carries the short name, as in Microsoft's headers. */
#define IID_IMAPISupport IID_IMAPISup

static inline int IsEqualGUID(REFGUID rguid1, REFGUID rguid2)
{
    return memcmp(rguid1, rguid2, sizeof(GUID)) == 0;
}
#define IsEqualIID(riid1, riid2)     IsEqualGUID((riid1), (riid2))
#define IsEqualCLSID(rclsid1, rclsid2) IsEqualGUID((rclsid1), (rclsid2))

static inline int IsEqualMAPIUID(const MAPIUID *lpuid1, const MAPIUID *lpuid2)
{
    return memcmp(lpuid1->ab, lpuid2->ab, sizeof(lpuid1->ab)) == 0;
}

#ifdef __cplusplus
}
#endif

#endif /* LDAPAB_MAPI_MAPIGUID_H */
