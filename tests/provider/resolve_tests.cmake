# Restrictions and ResolveNames (included by provider_tests.cmake).

# The restriction -> filter table, validation, evaluation in memory, ranking.
abp_core_unit_test(test_restrict test_restrict.c)
add_test(NAME provider_restrict_filter_table_and_match_TB10_CT8_CT9 COMMAND test_restrict)
set_tests_properties(provider_restrict_filter_table_and_match_TB10_CT8_CT9 PROPERTIES
                     LABELS unit)

# ResolveNames through the real entry point (the module via the host's
# loader) against the fixture slapd; the static library gives the
# configuration's container IDs and the string helpers.
abp_core_host_test(test_resolve_slapd test_resolve_slapd.c)
target_link_libraries(test_resolve_slapd PRIVATE ldapab_provider_objs ldapab_slapd_env)
add_test(NAME provider_resolve_names_slapd_CT10_CT11_MM7 COMMAND test_resolve_slapd)
ldapab_slapd_test(provider_resolve_names_slapd_CT10_CT11_MM7)
set_tests_properties(provider_resolve_names_slapd_CT10_CT11_MM7 PROPERTIES TIMEOUT 180)

# Ranking, choice and the apply step with the host's allocators (fail-the-Nth).
abp_core_static_test(test_resolve test_resolve.c)
add_test(NAME provider_resolve_rank_choose_apply_CT11_MM7 COMMAND test_resolve)
set_tests_properties(provider_resolve_rank_choose_apply_CT11_MM7 PROPERTIES LABELS unit)

# The ResolveNames flow under memcheck in the valgrind build.
ldapab_valgrind_test(valgrind_provider_resolve_slapd test_resolve_slapd)
if(LDAPAB_VALGRIND)
  set_tests_properties(valgrind_provider_resolve_slapd PROPERTIES TIMEOUT 600)
endif()

# Every internal allocation of a ResolveNames (provider, ldapbridge, host)
# failed once in turn against the fixture slapd (MM-7).
abp_core_static_test(test_resolve_failwalk test_resolve_failwalk.c test_core_failalloc.c)
target_link_libraries(test_resolve_failwalk PRIVATE ldapab_slapd_env)
target_link_options(test_resolve_failwalk PRIVATE ${ABP_FAILALLOC_WRAP})
add_test(NAME provider_resolve_names_every_allocation_failed_once_MM7
         COMMAND test_resolve_failwalk)
ldapab_slapd_test(provider_resolve_names_every_allocation_failed_once_MM7)
set_tests_properties(provider_resolve_names_every_allocation_failed_once_MM7
                     PROPERTIES TIMEOUT 600)

# The translation against the fixture slapd: the filter's rows are exactly
# the rows the restriction accepts in memory, over the whole sample directory.
abp_core_unit_test(test_restrict_slapd test_restrict_slapd.c)
target_link_libraries(test_restrict_slapd PRIVATE ldapab_slapd_env)
add_test(NAME provider_restrict_filter_selects_what_the_restriction_means_TB10_CT9
         COMMAND test_restrict_slapd)
ldapab_slapd_test(provider_restrict_filter_selects_what_the_restriction_means_TB10_CT9)
