# Provider table tests (table.c, table_mem.c, table_vlv.c, hierarchy.c,
# contents.c, members.c).  Included by tests/provider/CMakeLists.txt.  Names
# cite the spec's rule IDs; labels: unit (no server), integration (the slapd
# fixture, via ldapab_slapd_test()).

# What a program linking lb_calls.c adds to its link options.
set(LDAPAB_LB_CALLS_WRAP -Wl,--wrap=lb_search -Wl,--wrap=lb_search_batch
    -Wl,--wrap=lb_vlv_window)

function(abp_table_test name)
  add_executable(${name} ${ARGN})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/provider
                             ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(${name} PRIVATE ldapab_provider_objs ldapab_host ldapab_cmocka
                        Threads::Threads)
endfunction()

# The IMAPITable state machine over a fake row source and the in-memory source.
abp_table_test(test_table_state test_table_state.c)
add_test(NAME provider_table_state_machine_TB2_to_TB20_EK8_LC40 COMMAND test_table_state)
set_tests_properties(provider_table_state_machine_TB2_to_TB20_EK8_LC40 PROPERTIES LABELS unit)

# Against the fixture slapd (and a second instance without sssvlv): the
# provider linked statically, entered through ABProviderInit with the host's
# support object, its requests counted at ldapbridge's entry points
# (lb_calls.h).  WRITES: one test adds a large group under the bulk base and
# removes it.
abp_table_test(test_table_slapd test_table_slapd.c lb_calls.c)
target_link_options(test_table_slapd PRIVATE ${LDAPAB_LB_CALLS_WRAP})
target_link_libraries(test_table_slapd PRIVATE ldapab_slapd_env)
target_compile_definitions(test_table_slapd PRIVATE
  LDAPAB_TEST_WORKDIR="${CMAKE_CURRENT_BINARY_DIR}")
add_test(NAME provider_tables_slapd_hierarchy_browse_typedown_members_fallback_CT6_TB19_MU3
         COMMAND test_table_slapd)
ldapab_slapd_test(provider_tables_slapd_hierarchy_browse_typedown_members_fallback_CT6_TB19_MU3
                  WRITES)
set_tests_properties(provider_tables_slapd_hierarchy_browse_typedown_members_fallback_CT6_TB19_MU3
                     PROPERTIES TIMEOUT 300)

# The integration flow under memcheck in the valgrind build.
ldapab_valgrind_test(valgrind_provider_tables_slapd test_table_slapd)
if(LDAPAB_VALGRIND)
  set_tests_properties(valgrind_provider_tables_slapd PROPERTIES TIMEOUT 900)
endif()
