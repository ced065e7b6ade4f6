/*
 * module_pin.h - the provider stays loaded once loaded.
 *
 * An object the client still holds after the host unloaded the module must
 * fail cleanly on its next call (LC-40), which needs the code to be there.
 * On Linux the link does it (-z nodelete, provider.cmake; libldap's
 * process-wide state is the other reason); on Windows ABProviderInit pins
 * the DLL (module_pin_win32.c), as FreeLibrary would otherwise unmap it.
 */
#ifndef ABP_MODULE_PIN_H
#define ABP_MODULE_PIN_H

#ifdef _WIN32
void abp_module_pin(void);
#else
static inline void abp_module_pin(void)
{
}
#endif

#endif /* ABP_MODULE_PIN_H */
