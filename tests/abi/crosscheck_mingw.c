/*
 * crosscheck_mingw.c - second half of abi_mingw_crosscheck_*: compiled for
 * the same mingw-w64 target against MINGW-W64's MAPI headers, it asserts
 * that every size, offset, slot index, IID Data1 and constant value that
 * both header sets define equals ours (OURS_* from crosscheck_ours.c via the
 * generated crosscheck_values.h).  Values are compared modulo 2^32 because
 * one side may spell a flag as signed and the other as unsigned.
 */
#include <stdint.h>
#include <windows.h>
#include <mapidefs.h>
#include <mapicode.h>
#include <mapitags.h>
#include <mapispi.h>
#include <mapix.h>

/* mingw-w64's mapiguid.h declares each MAPI IID with DEFINE_OLEGUID and may
 * be included again: turn each into an integer constant for the asserts. */
#undef DEFINE_OLEGUID
#define DEFINE_OLEGUID(name, l, w1, w2) \
    enum { MINGW_DATA1_##name = (int)(l), MINGW_DATA23_##name = (w1) | (w2) }
#include <mapiguid.h>

#include "crosscheck_consts.h"
#include "crosscheck_ours_only.h"
#include "crosscheck_structs.h"
#include "crosscheck_values.h"
#include "mapi_methods.h"

#define EQ(mingw, ours, what) \
    _Static_assert((uint32_t)(mingw) == (uint32_t)(ours), what)

#define CHECK_CONST(X) EQ(X, OURS_##X, "value of " #X);
CONSTS_BOTH(CHECK_CONST)

#define CHECK_SIZE(T) EQ(sizeof(T), OURS_sizeof_##T, "sizeof(" #T ")");
#define CHECK_FIELD(T, f, id) EQ(offsetof(T, f), OURS_off_##T##_##id, "offsetof(" #T ", " #f ")");
STRUCTS(CHECK_SIZE, CHECK_FIELD)
SCALARS(CHECK_SIZE)

#define CHECK_IID(G) EQ(MINGW_DATA1_##G, OURS_data1_##G, "Data1 of " #G); \
    _Static_assert(MINGW_DATA23_##G == 0, "Data2/Data3 of " #G " are zero (OLE GUID)");
IIDS(CHECK_IID)

#define CHECK_SLOT_M(I, m, slot, R, n, T) \
    EQ(offsetof(I##Vtbl, m) / sizeof(void *), OURS_slot_##I##_##m, "slot of " #I "::" #m);
#define CHECK_SLOT_V(I, m, slot, n, T) CHECK_SLOT_M(I, m, slot, void, n, T)
#define CHECK_IFACE(I) EQ(sizeof(I##Vtbl) / sizeof(void *), OURS_slots_##I, "slot count of " #I); \
    METHODS_##I(CHECK_SLOT_M, CHECK_SLOT_V)
SHARED_INTERFACES(CHECK_IFACE)

/*
 * Spec section 7 item 1: MS-H types BOOKMARK as ULONG_PTR, mingw-w64 (and
 * Wine) as ULONG.  Equal on Win32, different on Win64, and we follow MS-H.
 * The test says so explicitly instead of leaving BOOKMARK out.
 */
#ifdef _WIN64
_Static_assert(OURS_sizeof_BOOKMARK == 8, "ours: BOOKMARK is ULONG_PTR (MS-H), 8 bytes on Win64");
_Static_assert(sizeof(BOOKMARK) == 4, "mingw-w64: BOOKMARK is ULONG, 4 bytes (spec section 7 item 1)");
#else
_Static_assert(OURS_sizeof_BOOKMARK == 4 && sizeof(BOOKMARK) == 4, "BOOKMARK is 4 bytes on Win32");
#endif


/*
 * Spec section 7 item 1, parameters: MS-H (and ours) pass connection cookies
 * and ulUIParam as ULONG_PTR, mingw-w64 as ULONG.  Slots match (checked
 * above); the parameter types differ on Win64, and the test records that
 * mingw-w64 really has ULONG there.  (On Win32 both are the same 4 bytes.)
 */
#ifdef _WIN64
#define MINGW_HAS_TYPE(expr, T, what) _Static_assert(_Generic((expr), T: 1, default: 0), what)
#define MVT(I, m) (((I##Vtbl *)0)->m)
MINGW_HAS_TYPE(MVT(IMAPITable, Unadvise), HRESULT (*)(IMAPITable *, ULONG),
               "mingw-w64: IMAPITable::Unadvise takes a ULONG cookie (ours: ULONG_PTR)");
MINGW_HAS_TYPE(MVT(IABLogon, Unadvise), HRESULT (*)(IABLogon *, ULONG),
               "mingw-w64: IABLogon::Unadvise takes a ULONG cookie (ours: ULONG_PTR)");
MINGW_HAS_TYPE(MVT(IMAPISupport, Unsubscribe), HRESULT (*)(IMAPISupport *, ULONG),
               "mingw-w64: IMAPISupport::Unsubscribe takes a ULONG cookie (ours: ULONG_PTR)");
MINGW_HAS_TYPE(MVT(IMAPIStatus, ValidateState), HRESULT (*)(IMAPIStatus *, ULONG, ULONG),
               "mingw-w64: ulUIParam is ULONG (ours: ULONG_PTR)");
MINGW_HAS_TYPE((LPMSGSERVICEENTRY)0,
               HRESULT (*)(HINSTANCE, LPMALLOC, LPMAPISUP, ULONG, ULONG, ULONG, ULONG, LPSPropValue,
                           LPPROVIDERADMIN, LPMAPIERROR *),
               "mingw-w64: MSGSERVICEENTRY ulUIParam is ULONG (ours: ULONG_PTR)");
#endif

int crosscheck_anchor(void);
int crosscheck_anchor(void)
{
    return 0;
}
