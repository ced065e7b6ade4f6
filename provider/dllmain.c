/*
 * dllmain.c - the Windows DLL entry point (Windows builds only).
 *
 * Nothing happens at load or unload: all state belongs to the objects
 * ABProviderInit hands out, and doing work under the loader lock is unsafe
 * (the DLL pins itself later, from ABProviderInit: module_pin_win32.c).
 * Thread attach/detach notifications are switched off as no per-thread
 * state exists.  This file includes <windows.h> and no MAPI header (their
 * ULONG and friends would clash).
 */
#include <windows.h>

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved);

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
	(void)reserved;
	if (reason == DLL_PROCESS_ATTACH)
		(void)DisableThreadLibraryCalls(instance);
	return TRUE;
}
