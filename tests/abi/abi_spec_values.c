/*
 * abi_spec_values.c - a few key values of our MAPI headers against the text
 * of mapi-abi.md, plus the run-time helpers of mapiguid.h and the tag
 * arithmetic macros.  This file is also the one that defines the GUIDs
 * (INITGUID) for its program, as every binary must do once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#define INITGUID
#include <mapi/mapiguid.h>
#include <mapi/mapispi.h>
#include <mapi/mapix.h>

/* spec 4.1: "Set *lpulProviderVer = CURRENT_SPI_VERSION = 0x00010010" */
_Static_assert(CURRENT_SPI_VERSION == 0x00010010, "CURRENT_SPI_VERSION");
/* spec 5.3 */
_Static_assert(MAPI_E_UNCONFIGURED == (HRESULT)0x8004011C, "MAPI_E_UNCONFIGURED");
/* spec 5.2 */
_Static_assert(PR_DISPLAY_NAME_W == 0x3001001F, "PR_DISPLAY_NAME_W");

static void test_spi_version(void **state)
{
    (void)state;
    assert_int_equal(CURRENT_SPI_VERSION, 0x00010010);
    assert_int_equal(PDK3_SPI_VERSION, CURRENT_SPI_VERSION);
    assert_int_equal(PDK1_SPI_VERSION, 0x00010000);
    assert_int_equal(PDK2_SPI_VERSION, 0x00010008);
}

static void test_error_codes(void **state)
{
    HRESULT hr = MAPI_E_UNCONFIGURED;

    (void)state;
    assert_int_equal((uint32_t)hr, 0x8004011Cu);
    assert_true(FAILED(hr));
    assert_false(SUCCEEDED(hr));
    assert_int_equal(MAKE_MAPI_E(0x11C), MAPI_E_UNCONFIGURED);
    assert_true(SUCCEEDED(MAPI_W_ERRORS_RETURNED));
    assert_int_equal((uint32_t)MAPI_W_ERRORS_RETURNED, 0x00040380u);
    assert_int_equal(MAKE_MAPI_S(0x380), MAPI_W_ERRORS_RETURNED);
    assert_int_equal((uint32_t)MAPI_E_INVALID_PARAMETER, 0x80070057u);
    assert_int_equal((uint32_t)MAPI_E_NOT_ENOUGH_MEMORY, 0x8007000Eu);
    assert_int_equal(sizeof(MAPI_E_UNCONFIGURED), sizeof(HRESULT));
}

static void test_property_tags(void **state)
{
    (void)state;
    assert_int_equal(PR_DISPLAY_NAME_W, 0x3001001Fu);
    assert_int_equal(PR_DISPLAY_NAME_A, 0x3001001Eu);
    /* Non-UNICODE build: the unsuffixed name is the _A form. */
    assert_int_equal(PR_DISPLAY_NAME, PR_DISPLAY_NAME_A);
    assert_int_equal(PROP_TYPE(PR_DISPLAY_NAME_W), PT_UNICODE);
    assert_int_equal(PROP_ID(PR_DISPLAY_NAME_W), 0x3001);
    assert_int_equal(CHANGE_PROP_TYPE(PR_DISPLAY_NAME_W, PT_ERROR), 0x3001000Au);
    assert_int_equal(PROP_TAG(PT_MV_UNICODE, 0x800F), PR_EMS_AB_PROXY_ADDRESSES_W);
    assert_int_equal(PR_EMS_AB_PROXY_ADDRESSES_W, 0x800F101Fu);
    assert_int_equal(PR_AB_SEARCH_PATH, 0x3D051102u);
    assert_int_equal(PR_NULL, 0x00000001u);
}

static void test_iid_bytes(void **state)
{
    static const uint8_t expected[16] = {
        0x14, 0x03, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
        0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46,
    };

    (void)state;
    assert_int_equal(sizeof(IID_IABLogon), 16);
    assert_memory_equal(&IID_IABLogon, expected, sizeof(expected));
    assert_int_equal(IID_IMAPISup.Data1, 0x0002030F);
    assert_int_equal(IID_IMAPIProviderShutdown.Data1, 0x00020398);
}

static void test_guid_helpers(void **state)
{
    IID copy = IID_IABLogon;
    MAPIUID a = { MAPI_ONE_OFF_UID };
    MAPIUID b = a;

    (void)state;
    assert_true(IsEqualIID(&copy, &IID_IABLogon));
    assert_false(IsEqualIID(&IID_IABLogon, &IID_IABProvider));
    assert_true(IsEqualGUID(&IID_IUnknown, &IID_IUnknown));
    copy.Data4[7] = 0;
    assert_false(IsEqualIID(&copy, &IID_IABLogon));
    assert_true(IsEqualMAPIUID(&a, &b));
    assert_int_equal(a.ab[0], 0x81);
    assert_int_equal(a.ab[15], 0x02);
    b.ab[15] ^= 1;
    assert_false(IsEqualMAPIUID(&a, &b));
}

static void test_sized_helpers(void **state)
{
    SizedSPropTagArray(2, tags) = { 2, { PR_ENTRYID, PR_DISPLAY_NAME_W } };
    const SPropTagArray *view = (const SPropTagArray *)&tags;

    (void)state;
    assert_int_equal(view->cValues, 2);
    assert_int_equal(view->aulPropTag[1], PR_DISPLAY_NAME_W);
    assert_int_equal(CbSPropTagArray(view), CbNewSPropTagArray(2));
    assert_int_equal(CbNewSRowSet(0), offsetof(SRowSet, aRow));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spi_version),
        cmocka_unit_test(test_error_codes),
        cmocka_unit_test(test_property_tags),
        cmocka_unit_test(test_iid_bytes),
        cmocka_unit_test(test_guid_helpers),
        cmocka_unit_test(test_sized_helpers),
    };

    return cmocka_run_group_tests_name("abi_spec_values", tests, NULL, NULL);
}
