# The unit suites of tests/provider, tests/ldapbridge/filter and tests/host,
# built for Windows from the same sources and run under Wine (included by
# tests/windows/CMakeLists.txt; what is left out, and why, is said there).
# They include <cmocka.h> and get tests/windows/cmocka/ (our runner: Debian
# has no mingw-w64 cmocka); the tests that cannot run on Windows are named
# with EXCLUDE, which the runner lists as "not run on Windows".
#
# 8-bit MAPI strings are UTF-8 on Linux and the ANSI code page on Windows
# (MU-6); the suites expect UTF-8, so each carries a manifest that makes
# UTF-8 its ANSI code page (activeCodePage, honoured by Windows 10 1903 on
# and by Wine).  The ANSI code page 1252 is wine_units' and wine_flow's.
enable_language(RC)
add_library(wine_utf8_acp OBJECT utf8_acp.rc)

get_filename_component(wu_src ${CMAKE_CURRENT_SOURCE_DIR}/../.. ABSOLUTE)

# The runner, under the name the Linux suites link.
add_library(ldapab_cmocka STATIC cmocka/cmocka.c)
target_include_directories(ldapab_cmocka PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/cmocka)

# POSIX headers and calls the suites use that Windows lacks (compat/): each
# says what it stands for.  posix_compat.h is forced into every suite.
add_library(ldapab_win_compat STATIC compat/posix_compat.c compat/posix_socket.c
            compat/dlfcn.c compat/mman.c)
target_include_directories(ldapab_win_compat PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/compat)
target_compile_options(ldapab_win_compat PUBLIC
                       "SHELL:-include ${CMAKE_CURRENT_SOURCE_DIR}/compat/posix_compat.h")
target_link_libraries(ldapab_win_compat PUBLIC ws2_32)

add_library(ldapab_test_skip INTERFACE)
target_include_directories(ldapab_test_skip INTERFACE ${wu_src}/tests/include)

# The provider's code as a static library (the module's sources, the GUIDs,
# the DPAPI seal, what only tests call), as tests/provider links it on Linux.
add_library(ldapab_provider_objs STATIC ${LDAPAB_PROVIDER_SOURCES}
            ${wu_src}/provider/guids.c ${wu_src}/provider/secret_win32.c
            ${wu_src}/provider/module_pin_win32.c
            ${wu_src}/tests/provider/abp_test_support.c)
target_include_directories(ldapab_provider_objs PUBLIC ${wu_src}/provider
                           ${wu_src}/provider/include ${wu_src}/tests/provider)
target_link_libraries(ldapab_provider_objs PUBLIC ldapbridge mapi_headers ldapab_platform
                      crypt32)

# wine_unit_suite(<test> <target> SOURCES <file>... [LIBS <lib>...]
#                 [EXCLUDE <test function>...] [ARGS <arg>...]): <target>
# from the sources, linked statically (no DLL but Windows' own next to it),
# run as <test> under Wine with the prefix of tests/windows.
function(wine_unit_suite name target)
  cmake_parse_arguments(WU "" "" "SOURCES;LIBS;EXCLUDE;ARGS" ${ARGN})
  add_executable(${target} ${WU_SOURCES} $<TARGET_OBJECTS:wine_utf8_acp>)
  target_link_libraries(${target} PRIVATE ${WU_LIBS} ldapab_cmocka ldapab_test_skip
                        ldapab_win_compat)
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

set(wu_p ${wu_src}/tests/provider)
set(wu_f ${wu_src}/tests/ldapbridge/filter)
set(wu_h ${wu_src}/tests/host)

# tests/provider
wine_unit_suite(wine_provider_entryid test_entryid
  SOURCES ${wu_p}/test_entryid.c ${wu_src}/provider/entryid.c
  LIBS mapi_headers)
target_include_directories(test_entryid PRIVATE ${wu_src}/provider)
wine_unit_suite(wine_provider_restrict_filter_table_and_match_TB10_CT8_CT9 test_restrict
  SOURCES ${wu_p}/test_restrict.c LIBS ldapab_provider_objs)
wine_unit_suite(wine_provider_props_getprops_getproplist_strings_MU4_MU5_MU6_MU8 test_props
  SOURCES ${wu_p}/test_props.c LIBS ldapab_provider_objs ldapab_host)
wine_unit_suite(wine_provider_objects_attrmap_bag_hostile_data_MU1_MU2_EK6_EK7 test_objects_bag
  SOURCES ${wu_p}/test_objects_bag.c LIBS ldapab_provider_objs ldapab_host)
wine_unit_suite(wine_provider_objects_containers_users_dls_CT1_4_CT12_14_MU7_MU8_LC40_LO8
  test_objects_com
  SOURCES ${wu_p}/test_objects_com.c LIBS ldapab_provider_objs ldapab_host pthread)
wine_unit_suite(wine_provider_table_state_machine_TB2_to_TB20_EK8_LC40 test_table_state
  SOURCES ${wu_p}/test_table_state.c LIBS ldapab_provider_objs ldapab_host pthread)
wine_unit_suite(wine_provider_resolve_rank_choose_apply_CT11_MM7 test_resolve
  SOURCES ${wu_p}/test_resolve.c LIBS ldapab_provider_objs ldapab_host)
wine_unit_suite(wine_provider_config_missing_or_invalid_setting_is_unconfigured_LC15
  test_config_profile SOURCES ${wu_p}/test_config_profile.c LIBS ldapab_provider_objs)

# The provider linked statically with the host (ABProviderInit called
# directly); the allocation walks wrap malloc & co. (test_core_failalloc.c).
set(wu_failalloc_wrap "LINKER:--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup")
wine_unit_suite(wine_provider_core_error_table_lasterr_and_session_LO1_ST3_LC32
  test_core_errors SOURCES ${wu_p}/test_core_errors.c
  LIBS ldapab_provider_objs ldapab_host pthread)
wine_unit_suite(wine_provider_lifecycle_every_allocation_failed_once_no_leak_LC12_LC39_MM7
  test_lifecycle_failwalk
  SOURCES ${wu_p}/test_lifecycle_failwalk.c ${wu_p}/test_core_failalloc.c
  LIBS ldapab_provider_objs ldapab_host)
target_link_options(test_lifecycle_failwalk PRIVATE ${wu_failalloc_wrap})
wine_unit_suite(wine_provider_lifecycle_nested_sessions_without_memory_refuse_cleanly_TH3
  test_lifecycle_nesting_oom
  SOURCES ${wu_p}/test_lifecycle_nesting_oom.c ${wu_p}/test_core_failalloc.c
  LIBS ldapab_provider_objs ldapab_host)
target_link_options(test_lifecycle_nesting_oom PRIVATE ${wu_failalloc_wrap})

# The DLL through the host's loader (LoadLibraryW), as MAPI loads it.
function(wine_module_suite name target src)
  wine_unit_suite(${name} ${target}
    SOURCES ${src} ${wu_src}/provider/entryid.c
    LIBS ldapab_host pthread ${ARGN})
  target_include_directories(${target} PRIVATE ${wu_src}/provider ${wu_src}/provider/include)
  target_compile_definitions(${target} PRIVATE LDAPAB_MODULE_PATH="Z:$<TARGET_FILE:ldapab>")
  add_dependencies(${target} ldapab)
endfunction()
# One test releases the status object after the host has unloaded the
# module: the DLL pins itself at ABProviderInit (provider/module_pin.h), as
# -z nodelete keeps ldapab.so mapped on Linux.
wine_module_suite(wine_provider_status_object_ST1_to_ST6_LO5 test_status_object
  ${wu_p}/test_status_object.c)
wine_module_suite(wine_provider_lifecycle_logon_logoff_shutdown_LC1_to_LC42 test_lifecycle_host
  ${wu_p}/test_lifecycle_host.c ldapab_provider_objs)
wine_module_suite(wine_provider_lifecycle_every_host_allocation_failed_once_via_loader_LC12_LC39
  test_lifecycle_failwalk_host ${wu_p}/test_lifecycle_failwalk.c)

# tests/ldapbridge/filter: the filter, escaping, ANR, DN and UTF-8 code the
# wldap32 backend shares (ldapbridge/wldap/wldap.cmake); DNs through our
# RFC 4514 codec, against the answers libldap gives on Linux.
wine_unit_suite(wine_lb_filter_escape_tables lb_filter_escape_tables
  SOURCES ${wu_f}/test_escape.c LIBS ldapbridge)
# filter_check.c's second referee, libldap's filter encoder, is Linux only
# (compat/lber.h).
set(wu_filter_check ${wu_f}/filter_check.c ${CMAKE_CURRENT_SOURCE_DIR}/compat/libldap_absent.c)
wine_unit_suite(wine_lb_filter_tree_render lb_filter_tree_render
  SOURCES ${wu_f}/test_filter.c ${wu_filter_check} LIBS ldapbridge)
wine_unit_suite(wine_lb_filter_anr_outputs lb_filter_anr_outputs
  SOURCES ${wu_f}/test_anr.c ${wu_filter_check} LIBS ldapbridge)
wine_unit_suite(wine_lb_filter_anr_golden_outputs lb_filter_anr_golden_outputs
  SOURCES ${wu_f}/test_anr_golden.c ${wu_filter_check} LIBS ldapbridge)
wine_unit_suite(wine_lb_filter_dn_normalise lb_filter_dn_normalise
  SOURCES ${wu_f}/test_dn.c LIBS ldapbridge)
wine_unit_suite(wine_lb_filter_utf8_validate lb_filter_utf8_validate
  SOURCES ${wu_f}/test_utf8.c LIBS ldapbridge)
wine_unit_suite(wine_lb_filter_nomem_every_allocation lb_filter_nomem_every_allocation
  SOURCES ${wu_f}/test_oom.c LIBS ldapbridge)
target_link_options(lb_filter_nomem_every_allocation PRIVATE ${wu_failalloc_wrap})
# The ANR fuzz target as a replayer of the checked-in corpus.
wine_unit_suite(wine_lb_filter_fuzz_anr_corpus_replay lb_fuzz_anr_replay
  SOURCES ${wu_f}/fuzz_anr.c ${wu_f}/fuzz_replay.c ${wu_filter_check} LIBS ldapbridge
  ARGS Z:${wu_f}/corpus)

# tests/host
wine_unit_suite(wine_host_mem test_host_mem SOURCES ${wu_h}/test_mem.c LIBS ldapab_host pthread)
# A 2 GiB string mapped from one memfd (compat/sys/mman.h): Linux only.
wine_unit_suite(wine_host_props test_host_props
  SOURCES ${wu_h}/test_props.c LIBS ldapab_host
  EXCLUDE test_utf8_to_utf16_refuses_strings_above_a_ulong_of_bytes)
# The dump is written to an fmemopen() stream (compat/fmemopen.c).
wine_unit_suite(wine_host_profsect test_host_profsect
  SOURCES ${wu_h}/test_profsect.c ${CMAKE_CURRENT_SOURCE_DIR}/compat/fmemopen.c
  LIBS ldapab_host pthread)
target_link_options(test_host_profsect PRIVATE "LINKER:--wrap=fclose")
# pthread_timedjoin_np (compat/pthread_timedjoin.h) for the lock probe.
wine_unit_suite(wine_host_support test_host_support
  SOURCES ${wu_h}/test_support.c ${CMAKE_CURRENT_SOURCE_DIR}/compat/pthread_timedjoin.c
  LIBS ldapab_host pthread)
target_compile_options(test_host_support PRIVATE
  "SHELL:-include ${CMAKE_CURRENT_SOURCE_DIR}/compat/pthread_timedjoin.h")
# The loader against the test provider, built as DLLs here: exports
# undecorated on i686 (--kill-at), as ldapab.def does for the real one;
# visibility("default") means nothing to PE (-Wno-attributes).
foreach(variant ok badver unconfigured)
  add_library(wine_testprov_${variant} MODULE ${wu_h}/testprovider/testprov.c)
  target_link_libraries(wine_testprov_${variant} PRIVATE mapi_headers)
  target_compile_options(wine_testprov_${variant} PRIVATE -Wno-attributes)
  target_link_options(wine_testprov_${variant} PRIVATE -static-libgcc -Wl,--kill-at)
  set_target_properties(wine_testprov_${variant} PROPERTIES PREFIX ""
                        OUTPUT_NAME testprov_${variant})
endforeach()
target_compile_definitions(wine_testprov_badver PRIVATE TESTPROV_BADVER)
target_compile_definitions(wine_testprov_unconfigured PRIVATE TESTPROV_UNCONFIGURED)
# test_missing_entry_point_is_not_found loads libm.so.6, a Linux library.
wine_unit_suite(wine_host_loader test_host_loader
  SOURCES ${wu_h}/test_loader.c LIBS ldapab_host pthread
  EXCLUDE test_missing_entry_point_is_not_found)
target_include_directories(test_host_loader PRIVATE ${wu_h}/testprovider)
target_compile_definitions(test_host_loader PRIVATE
  TESTPROV_OK_PATH="Z:$<TARGET_FILE:wine_testprov_ok>"
  TESTPROV_BADVER_PATH="Z:$<TARGET_FILE:wine_testprov_badver>"
  TESTPROV_UNCONFIGURED_PATH="Z:$<TARGET_FILE:wine_testprov_unconfigured>")
add_dependencies(test_host_loader wine_testprov_ok wine_testprov_badver
                 wine_testprov_unconfigured)
foreach(t mem props profsect support loader)
  target_include_directories(test_host_${t} PRIVATE ${wu_h})
endforeach()
