/* Property tags the host test provider reads and writes in its profile section. */
#ifndef LDAPAB_TESTPROV_H
#define LDAPAB_TESTPROV_H
#include <mapi/mapidefs.h>
/* PT_LONG 1 once ServiceEntry(CONFIGURE) ran (the UNCONFIGURED variant requires it). */
#define PR_TESTPROV_CONFIGURED PROP_TAG(PT_LONG, 0x6600)
/* PT_BINARY 16 bytes: the MAPIUID the provider made with NewUID and registered. */
#define PR_TESTPROV_UID        PROP_TAG(PT_BINARY, 0x6601)
/* PT_LONG: the provider reports this many failed Logons before succeeding (test knob). */
#define PR_TESTPROV_FAIL_LOGON PROP_TAG(PT_LONG, 0x6602)
#define TESTPROV_BAD_SPI_VERSION 0x02000000u
/*
 * The module exports "testprov_dropped" (unsigned): the best-effort steps whose
 * allocation failed and which the provider carried on without since it was loaded.
 * A test reads it with dlopen(path, RTLD_NOLOAD) + dlsym while the module is loaded.
 */
#define TESTPROV_DROPPED_SYMBOL "testprov_dropped"
#define TESTPROV_DROPPED_ERROR  0x1u  /* the MAPIERROR of a MAPI_E_UNCONFIGURED Logon */
#define TESTPROV_DROPPED_STATUS 0x2u  /* ModifyStatusRow in Logon (LC-20: not fatal) */
#endif
