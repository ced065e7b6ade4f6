# Restrictions and ResolveNames (included by provider_tests.cmake).

# The restriction -> filter table, validation, evaluation in memory, ranking.
abp_core_unit_test(test_restrict test_restrict.c)
add_test(NAME provider_restrict_filter_table_and_match_TB10_CT8_CT9 COMMAND test_restrict)
set_tests_properties(provider_restrict_filter_table_and_match_TB10_CT8_CT9 PROPERTIES
                     LABELS unit)
