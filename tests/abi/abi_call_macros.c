/*
 * abi_call_macros.c - every IFoo_Method() call macro of our MAPI headers is
 * expanded once, against a fake object whose vtable holds one typed
 * recorder per method.  Each recorder notes which method (by the spec's slot
 * number, from mapi_methods.h) was reached, the object pointer and every
 * argument; the test then asserts the macro reached the right method with
 * the arguments in order and passed the return value back.  A macro that
 * names the wrong method, drops, swaps or repeats an argument fails here
 * (or does not compile).
 *
 * Arguments are small distinct integers converted to each parameter's type
 * (integer or pointer); the pointers are never dereferenced.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <mapi/mapispi.h>

#include "mapi_methods.h"

#define MAX_ARGS 12
#define RET_MAGIC 0x5A5Au

struct call_record {
    int calls;
    const void *self;
    int slot;
    unsigned nargs;
    uintmax_t args[MAX_ARGS];
};

static struct call_record rec;

static void rec_begin(const void *self, int slot)
{
    rec.calls++;
    rec.self = self;
    rec.slot = slot;
    rec.nargs = 0;
}

static void rec_arg(uintmax_t v)
{
    if (rec.nargs < MAX_ARGS)
        rec.args[rec.nargs] = v;
    rec.nargs++;
}

/* Any integer or pointer argument, as a number. */
#define AS_NUM(x) ((uintmax_t)(uintptr_t)(x))
/* The value passed as argument i (1-based) of the method in slot s. */
#define ARGVAL(s, i) (0x1000u + (unsigned)(s) * 16u + (unsigned)(i))

/* Parameter lists of the recorders, by arity. */
#define PARAMS_0()
#define PARAMS_1(T1) , T1 a1
#define PARAMS_2(T1, T2) PARAMS_1(T1), T2 a2
#define PARAMS_3(T1, T2, T3) PARAMS_2(T1, T2), T3 a3
#define PARAMS_4(T1, T2, T3, T4) PARAMS_3(T1, T2, T3), T4 a4
#define PARAMS_5(T1, T2, T3, T4, T5) PARAMS_4(T1, T2, T3, T4), T5 a5
#define PARAMS_6(T1, T2, T3, T4, T5, T6) PARAMS_5(T1, T2, T3, T4, T5), T6 a6
#define PARAMS_7(T1, T2, T3, T4, T5, T6, T7) PARAMS_6(T1, T2, T3, T4, T5, T6), T7 a7
#define PARAMS_8(T1, T2, T3, T4, T5, T6, T7, T8) PARAMS_7(T1, T2, T3, T4, T5, T6, T7), T8 a8
#define PARAMS_9(T1, T2, T3, T4, T5, T6, T7, T8, T9) \
    PARAMS_8(T1, T2, T3, T4, T5, T6, T7, T8), T9 a9
#define PARAMS_10(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10) \
    PARAMS_9(T1, T2, T3, T4, T5, T6, T7, T8, T9), T10 a10
#define PARAMS_11(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11) \
    PARAMS_10(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10), T11 a11

/* Recording the arguments, by arity. */
#define RECARGS_0
#define RECARGS_1 rec_arg(AS_NUM(a1));
#define RECARGS_2 RECARGS_1 rec_arg(AS_NUM(a2));
#define RECARGS_3 RECARGS_2 rec_arg(AS_NUM(a3));
#define RECARGS_4 RECARGS_3 rec_arg(AS_NUM(a4));
#define RECARGS_5 RECARGS_4 rec_arg(AS_NUM(a5));
#define RECARGS_6 RECARGS_5 rec_arg(AS_NUM(a6));
#define RECARGS_7 RECARGS_6 rec_arg(AS_NUM(a7));
#define RECARGS_8 RECARGS_7 rec_arg(AS_NUM(a8));
#define RECARGS_9 RECARGS_8 rec_arg(AS_NUM(a9));
#define RECARGS_10 RECARGS_9 rec_arg(AS_NUM(a10));
#define RECARGS_11 RECARGS_10 rec_arg(AS_NUM(a11));

/* Call arguments, by arity: argument i is ARGVAL(s, i) in its own type. */
#define CARG(s, i, T) , (T)(uintptr_t)ARGVAL(s, i)
#define CALLARGS_0(s, none)
#define CALLARGS_1(s, T1) CARG(s, 1, T1)
#define CALLARGS_2(s, T1, T2) CALLARGS_1(s, T1) CARG(s, 2, T2)
#define CALLARGS_3(s, T1, T2, T3) CALLARGS_2(s, T1, T2) CARG(s, 3, T3)
#define CALLARGS_4(s, T1, T2, T3, T4) CALLARGS_3(s, T1, T2, T3) CARG(s, 4, T4)
#define CALLARGS_5(s, T1, T2, T3, T4, T5) CALLARGS_4(s, T1, T2, T3, T4) CARG(s, 5, T5)
#define CALLARGS_6(s, T1, T2, T3, T4, T5, T6) CALLARGS_5(s, T1, T2, T3, T4, T5) CARG(s, 6, T6)
#define CALLARGS_7(s, T1, T2, T3, T4, T5, T6, T7) \
    CALLARGS_6(s, T1, T2, T3, T4, T5, T6) CARG(s, 7, T7)
#define CALLARGS_8(s, T1, T2, T3, T4, T5, T6, T7, T8) \
    CALLARGS_7(s, T1, T2, T3, T4, T5, T6, T7) CARG(s, 8, T8)
#define CALLARGS_9(s, T1, T2, T3, T4, T5, T6, T7, T8, T9) \
    CALLARGS_8(s, T1, T2, T3, T4, T5, T6, T7, T8) CARG(s, 9, T9)
#define CALLARGS_10(s, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10) \
    CALLARGS_9(s, T1, T2, T3, T4, T5, T6, T7, T8, T9) CARG(s, 10, T10)
#define CALLARGS_11(s, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11) \
    CALLARGS_10(s, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10) CARG(s, 11, T11)

/* Prepend the slot to a parenthesised type list: (T1, T2) -> (s, T1, T2). */
#define WITH_SLOT(s, T) WITH_SLOT_ s, WITH_SLOT_STRIP T)
#define WITH_SLOT_ (
#define WITH_SLOT_STRIP(...) __VA_ARGS__
/* Expand "macro args" only after args is complete, so the call macro sees
 * every argument separately. */
#define INVOKE(macro, args) macro args
#define APPLY(f, args) f args

/* ---- the recorders ---- */

#define DEF_REC_M(I, m, slot, R, n, T) \
    static R STDMETHODCALLTYPE rec_##I##_##m(I *This PARAMS_##n T) \
    { \
        rec_begin(This, (slot)); \
        RECARGS_##n \
        return (R)(uintptr_t)RET_MAGIC; \
    }
#define DEF_REC_V(I, m, slot, n, T) \
    static void STDMETHODCALLTYPE rec_##I##_##m(I *This PARAMS_##n T) \
    { \
        rec_begin(This, (slot)); \
        RECARGS_##n \
    }
#define DEF_RECS(I) METHODS_##I(DEF_REC_M, DEF_REC_V)
ALL_INTERFACES(DEF_RECS)

/* ---- one fake vtable per interface, filled by method name ---- */

#define VT_ENTRY_M(I, m, slot, R, n, T) .m = rec_##I##_##m,
#define VT_ENTRY_V(I, m, slot, n, T) .m = rec_##I##_##m,
#define DEF_VTBL(I) static const I##Vtbl fake_vtbl_##I = { METHODS_##I(VT_ENTRY_M, VT_ENTRY_V) };
ALL_INTERFACES(DEF_VTBL)

/* The X-list has exactly as many entries as the vtable has slots. */
#define COUNT_M(I, m, slot, R, n, T) +1
#define COUNT_V(I, m, slot, n, T) +1
#define CHECK_COUNT(I) \
    _Static_assert((0 METHODS_##I(COUNT_M, COUNT_V)) == SLOTS_##I, "X-list of " #I); \
    _Static_assert(sizeof(I##Vtbl) == SLOTS_##I * sizeof(void *), "vtable of " #I);
ALL_INTERFACES(CHECK_COUNT)

/* ---- the checks ---- */

static void check_call(const void *self, int slot, unsigned nargs)
{
    unsigned i;

    assert_int_equal(rec.calls, 1);
    assert_ptr_equal(rec.self, self);
    assert_int_equal(rec.slot, slot);
    assert_int_equal(rec.nargs, nargs);
    for (i = 0; i < nargs; i++)
        assert_int_equal(rec.args[i], ARGVAL(slot, i + 1));
}

#define DEF_TEST_M(I, m, slot, R, n, T) \
    static void test_##I##_##m(void **state) \
    { \
        I obj = { &fake_vtbl_##I }; \
        uintmax_t ret; \
        (void)state; \
        memset(&rec, 0, sizeof(rec)); \
        ret = AS_NUM(INVOKE(I##_##m, (&obj APPLY(CALLARGS_##n, WITH_SLOT(slot, T))))); \
        assert_int_equal(ret, RET_MAGIC); \
        check_call(&obj, (slot), (n)); \
    }
#define DEF_TEST_V(I, m, slot, n, T) \
    static void test_##I##_##m(void **state) \
    { \
        I obj = { &fake_vtbl_##I }; \
        (void)state; \
        memset(&rec, 0, sizeof(rec)); \
        INVOKE(I##_##m, (&obj APPLY(CALLARGS_##n, WITH_SLOT(slot, T)))); \
        check_call(&obj, (slot), (n)); \
    }
#define DEF_TESTS(I) METHODS_##I(DEF_TEST_M, DEF_TEST_V)
ALL_INTERFACES(DEF_TESTS)

#define REG_M(I, m, slot, R, n, T) cmocka_unit_test(test_##I##_##m),
#define REG_V(I, m, slot, n, T) cmocka_unit_test(test_##I##_##m),
#define REG(I) METHODS_##I(REG_M, REG_V)

int main(void)
{
    const struct CMUnitTest tests[] = { ALL_INTERFACES(REG) };

    return cmocka_run_group_tests_name("abi_call_macros", tests, NULL, NULL);
}
