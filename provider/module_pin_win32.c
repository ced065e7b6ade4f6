/*
 * module_pin_win32.c - ldapab.dll stays loaded once loaded (module_pin.h).
 *
 * One more reference to the DLL that no FreeLibrary drops.  Called from
 * ABProviderInit, not from DllMain, which runs under the loader lock.  No
 * MAPI header here: <windows.h> has its own ULONG.
 */
#include <windows.h>

#include "module_pin.h"

void abp_module_pin(void)
{
	HMODULE self;

	(void)GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS |
				 GET_MODULE_HANDLE_EX_FLAG_PIN,
				 (LPCWSTR)(void *)abp_module_pin, &self);
}
