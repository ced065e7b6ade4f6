/* ldapab host: the one translation unit of the host library that defines MAPI's IIDs. */
#define INITGUID
#include <mapi/mapiguid.h>
