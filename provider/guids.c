/*
 * guids.c - the one place the provider module defines the MAPI GUIDs it
 * uses (mapiguid.h's INITGUID pattern: exactly one such file per binary).
 */
#define INITGUID
#include <mapi/mapiguid.h>
