/*
 * crosscheck_ours.c - first half of abi_mingw_crosscheck_*: compiled with
 * -S for a mingw-w64 target against OUR headers.  Every value to compare is
 * an immediate operand of an asm statement, so the assembler text carries
 * lines "@@VAL <name> <value>"; crosscheck_values.cmake turns them into a
 * header of "#define OURS_<name> <value>" for crosscheck_mingw.c.  Nothing
 * here is run.
 */
#include <mapi/mapispi.h>
#include <mapi/mapix.h>

#include "crosscheck_consts.h"
#include "crosscheck_structs.h"
#include "mapi_methods.h"

/* %c0 prints the immediate without the "$" of AT&T syntax. */
#define EMIT(name, value) \
    __asm__ volatile("\n@@VAL " name " %c0" : : "i"((unsigned)(value)))

void crosscheck_emit(void);
void crosscheck_emit(void)
{
#define EMIT_CONST(X) EMIT(#X, X);
    CONSTS_BOTH(EMIT_CONST)

#define EMIT_SIZE(T) EMIT("sizeof_" #T, sizeof(T));
#define EMIT_FIELD(T, f, id) EMIT("off_" #T "_" #id, offsetof(T, f));
    STRUCTS(EMIT_SIZE, EMIT_FIELD)
    SCALARS(EMIT_SIZE)
    EMIT_SIZE(BOOKMARK)

#define EMIT_IID(G) EMIT("data1_" #G, MAPI_GUID_DATA1_##G);
    IIDS(EMIT_IID)

#define EMIT_SLOT_M(I, m, slot, R, n, T) EMIT("slot_" #I "_" #m, offsetof(I##Vtbl, m) / sizeof(void *));
#define EMIT_SLOT_V(I, m, slot, n, T) EMIT_SLOT_M(I, m, slot, void, n, T)
#define EMIT_IFACE(I) EMIT("slots_" #I, sizeof(I##Vtbl) / sizeof(void *)); \
    METHODS_##I(EMIT_SLOT_M, EMIT_SLOT_V)
    SHARED_INTERFACES(EMIT_IFACE)
}
