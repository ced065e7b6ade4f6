# Hostile input (included by tests/provider/CMakeLists.txt): callers that
# pass every kind of bad argument, a directory server full of hostile
# entries, LDAP injection, and fail-the-Nth-allocation walks over the table
# and property paths.  The provider is linked statically and entered through
# ABProviderInit with the host's support object.

function(abp_hostile_test name)
  add_executable(${name} ${ARGN})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/provider
                             ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(${name} PRIVATE ldapab_provider_objs ldapab_host ldapab_cmocka
                        ldapab_slapd_env Threads::Threads)
  target_compile_definitions(${name} PRIVATE
    LDAPAB_TEST_WORKDIR="${CMAKE_CURRENT_BINARY_DIR}")
endfunction()

# Every method of every object with bad pointers, flags, counts, entry IDs,
# deep and odd restrictions and mismatched ADRLISTs, against the fixture.
abp_hostile_test(test_hostile_callers test_hostile_callers.c)
add_test(NAME provider_hostile_callers_every_method_refuses_and_nothing_changes_LO2_CT11_MU4_TB10
         COMMAND test_hostile_callers)
ldapab_slapd_test(provider_hostile_callers_every_method_refuses_and_nothing_changes_LO2_CT11_MU4_TB10)
set_tests_properties(provider_hostile_callers_every_method_refuses_and_nothing_changes_LO2_CT11_MU4_TB10
                     PROPERTIES TIMEOUT 300)

# A slapd of the test's own loaded with hostile entries (1 MB values,
# 10,000-valued attributes, binary where text is expected, dangling and
# cyclic references, names made of filter syntax): nothing crashes, strings
# stay valid, limits hold, injection selects exactly the literal text.
abp_hostile_test(test_hostile_server_slapd test_hostile_server_slapd.c)
add_test(NAME provider_hostile_server_data_and_ldap_injection_MU3_MU6_CT9_CT11_TB10
         COMMAND test_hostile_server_slapd)
ldapab_slapd_test(provider_hostile_server_data_and_ldap_injection_MU3_MU6_CT9_CT11_TB10)
set_tests_properties(provider_hostile_server_data_and_ldap_injection_MU3_MU6_CT9_CT11_TB10
                     PROPERTIES TIMEOUT 300)

# Every internal allocation of QueryRows, Restrict, GetProps/GetPropList and
# a member table failed once in turn against the fixture slapd (MM-7).
abp_hostile_test(test_table_props_failwalk test_table_props_failwalk.c test_core_failalloc.c)
target_link_options(test_table_props_failwalk PRIVATE ${ABP_FAILALLOC_WRAP})
add_test(NAME provider_queryrows_restrict_getprops_members_every_allocation_failed_once_MM7
         COMMAND test_table_props_failwalk)
ldapab_slapd_test(provider_queryrows_restrict_getprops_members_every_allocation_failed_once_MM7)
set_tests_properties(provider_queryrows_restrict_getprops_members_every_allocation_failed_once_MM7
                     PROPERTIES TIMEOUT 600)
