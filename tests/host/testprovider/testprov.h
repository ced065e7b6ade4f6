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
#endif
