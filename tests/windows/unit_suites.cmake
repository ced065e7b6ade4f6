# Unit suites built for Windows and run under Wine (included by
# tests/windows/CMakeLists.txt).  They include <cmocka.h> and get
# tests/windows/cmocka/ (our runner: Debian has no mingw-w64 cmocka).

get_filename_component(wu_src ${CMAKE_CURRENT_SOURCE_DIR}/../.. ABSOLUTE)

# The runner, under the name the Linux suites link.
add_library(ldapab_cmocka STATIC cmocka/cmocka.c)
target_include_directories(ldapab_cmocka PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/cmocka)

add_library(ldapab_test_skip INTERFACE)
target_include_directories(ldapab_test_skip INTERFACE ${wu_src}/tests/include)

# wine_unit_suite(<test> <target> SOURCES <file>... [LIBS <lib>...]
#                 [EXCLUDE <test function>...] [ARGS <arg>...]): <target>
# from the sources, linked statically (no DLL but Windows' own next to it),
# run as <test> under Wine with the prefix of tests/windows.
function(wine_unit_suite name target)
  cmake_parse_arguments(WU "" "" "SOURCES;LIBS;EXCLUDE;ARGS" ${ARGN})
  add_executable(${target} ${WU_SOURCES})
  target_link_libraries(${target} PRIVATE ${WU_LIBS} ldapab_cmocka ldapab_test_skip)
  target_link_options(${target} PRIVATE -static)
  if(NOT LDAPAB_WINE_TESTS)
    return()
  endif()
  add_test(NAME ${name} COMMAND ${target} ${WU_ARGS})
  list(JOIN WU_EXCLUDE "," exclude)
  set_tests_properties(${name} PROPERTIES
                       FIXTURES_REQUIRED wine_prefix LABELS wine TIMEOUT 300
                       SKIP_RETURN_CODE 77
                       ENVIRONMENT "WINEPREFIX=${win_prefix};WINEDEBUG=-all;WINEDLLOVERRIDES=mscoree,mshtml=;LDAPAB_TEST_EXCLUDE=${exclude}")
endfunction()

# The runner itself: failures, fixtures, skips, leaks, filters, exclusions.
wine_unit_suite(wine_cmocka_runner_selftest cmocka_selftest SOURCES cmocka_selftest.c)
