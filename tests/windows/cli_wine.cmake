# ldapab.exe under Wine: tests/cli/test_cli.py drives the Windows command
# (LDAPAB_CLI_WRAPPER = Wine, LDAPAB_CLI_TARGET=windows) against this build
# directory's slapd fixture, group by group as on Linux, hostile directory
# data included.  TestActiveDirectory is not run: Wine's Schannel stalls on
# Samba's answers longer than one TLS record (HACKING.md, "Windows").  The few checks of
# POSIX places and permission bits are named as not run at the top of their
# group's output; TestWindows checks what Windows does instead (%APPDATA% and
# %ProgramData%, the certificate store, binary output, UTF-16 arguments).
# The executable's import table: system DLLs only, like ldapab.dll's.
add_test(NAME windows_exe_imports
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/check-dll.sh imports ${CMAKE_OBJDUMP}
                 $<TARGET_FILE:ldapab_cli>)
set_tests_properties(windows_exe_imports PROPERTIES LABELS "windows;abi")

if(LDAPAB_WINE_TESTS)
  find_package(Python3 REQUIRED COMPONENTS Interpreter)
  list(JOIN CMAKE_CROSSCOMPILING_EMULATOR " " win_cli_wrapper)
  foreach(_group TestSubcommands TestFormats TestConfiguration TestDoctor TestHelp TestHostileData
                 TestWindows)
    add_test(NAME wine_cli_${_group}
             COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tests/cli/test_cli.py
                     $<TARGET_FILE:ldapab_cli> ${PROJECT_SOURCE_DIR} $<TARGET_FILE:ldapab>
                     ${_group})
    set_tests_properties(wine_cli_${_group} PROPERTIES
      FIXTURES_REQUIRED "wine_slapd;wine_prefix" LABELS "wine;cli" TIMEOUT 900
      ENVIRONMENT "WINEPREFIX=${win_prefix};WINEDEBUG=-all;WINEDLLOVERRIDES=mscoree,mshtml=;LDAPAB_CLI_WRAPPER=${win_cli_wrapper};LDAPAB_CLI_TARGET=windows;LDAPAB_SLAPD_ENV=${win_rundir}/slapd.env")
  endforeach()
  # It adds and removes an entry with hostile values (as on Linux).
  set_tests_properties(wine_cli_TestHostileData PROPERTIES RESOURCE_LOCK wine_slapd_data)
endif()
