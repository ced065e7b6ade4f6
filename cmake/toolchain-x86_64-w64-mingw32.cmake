# Cross-build ldapab for x86_64 Windows with Debian's gcc-mingw-w64.
#   cmake -S . -B build-win64 --toolchain cmake/toolchain-x86_64-w64-mingw32.cmake
# The -win32 thread model: the runtime uses Win32 threads directly, so no
# libwinpthread DLL has to ship next to ldapab.dll (the code's own threads go
# through common/include/ldapab_platform/thread.h).
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR AMD64)
set(LDAPAB_MINGW_TRIPLET x86_64-w64-mingw32)

set(CMAKE_C_COMPILER ${LDAPAB_MINGW_TRIPLET}-gcc-win32)
set(CMAKE_RC_COMPILER ${LDAPAB_MINGW_TRIPLET}-windres)
set(CMAKE_OBJDUMP ${LDAPAB_MINGW_TRIPLET}-objdump)

set(CMAKE_FIND_ROOT_PATH /usr/${LDAPAB_MINGW_TRIPLET})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Tests of Windows binaries run under Wine when it is installed.
find_program(LDAPAB_WINE NAMES wine64 wine)
if(LDAPAB_WINE)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${LDAPAB_WINE})
endif()
