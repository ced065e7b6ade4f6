# Provider directory-object tests (props, attrmap, directory, containers,
# mail users, distribution lists, PrepareRecips).  Included by
# provider_tests.cmake.  Names cite the spec's rule IDs; labels: unit (no
# server), integration (the slapd fixture, via ldapab_slapd_test()).

# Unit tests link the provider's code statically and the host's MAPI
# allocators (chaining checks, fail injection, live-root counts).
function(abp_objects_test name)
  add_executable(${name} ${ARGN})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/provider
                             ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(${name} PRIVATE ldapab_provider_objs ldapab_host ldapab_cmocka)
endfunction()

abp_objects_test(test_props test_props.c)
add_test(NAME provider_props_getprops_getproplist_strings_MU4_MU5_MU6_MU8 COMMAND test_props)
set_tests_properties(provider_props_getprops_getproplist_strings_MU4_MU5_MU6_MU8
                     PROPERTIES LABELS unit)

abp_objects_test(test_objects_bag test_objects_bag.c)
add_test(NAME provider_objects_attrmap_bag_hostile_data_MU1_MU2_EK6_EK7 COMMAND test_objects_bag)
set_tests_properties(provider_objects_attrmap_bag_hostile_data_MU1_MU2_EK6_EK7
                     PROPERTIES LABELS unit)

abp_objects_test(test_objects_com test_objects_com.c)
add_test(NAME provider_objects_containers_users_dls_CT1_4_CT12_14_MU7_MU8_LC40_LO8
         COMMAND test_objects_com)
set_tests_properties(provider_objects_containers_users_dls_CT1_4_CT12_14_MU7_MU8_LC40_LO8
                     PROPERTIES LABELS unit)

# Against the real slapd (tests/slapd/): open people and groups by entry ID,
# a renamed person by its old ID.  Modifies the directory (modrdn and back).
abp_objects_test(test_objects_slapd test_objects_slapd.c)
target_link_libraries(test_objects_slapd PRIVATE ldapab_slapd_env)
add_test(NAME provider_objects_open_by_entryid_slapd_LO2_MU1_MU2_MU6_EK4 COMMAND test_objects_slapd)
ldapab_slapd_test(provider_objects_open_by_entryid_slapd_LO2_MU1_MU2_MU6_EK4 WRITES)
set_tests_properties(provider_objects_open_by_entryid_slapd_LO2_MU1_MU2_MU6_EK4
                     PROPERTIES TIMEOUT 120)

# A person's full property set (photo, certificates, every address, manager
# and reports) through the module loaded by the host (ABProviderInit),
# compared with what the fixture slapd holds.  Read-only.
abp_core_host_test(test_person_details_slapd test_person_details_slapd.c)
target_link_libraries(test_person_details_slapd PRIVATE ldapbridge ldapab_slapd_env
                      ldapab_provider_objs)
add_test(NAME provider_person_details_slapd_MU1_MU4_MU5_MU6_MU7 COMMAND test_person_details_slapd)
ldapab_slapd_test(provider_person_details_slapd_MU1_MU4_MU5_MU6_MU7)
set_tests_properties(provider_person_details_slapd_MU1_MU4_MU5_MU6_MU7 PROPERTIES
                     TIMEOUT 120 SKIP_RETURN_CODE 77)
ldapab_valgrind_test(valgrind_provider_person_details_slapd test_person_details_slapd)
if(LDAPAB_VALGRIND)     # ldapab_valgrind_test() adds it only then
  set_tests_properties(valgrind_provider_person_details_slapd PROPERTIES TIMEOUT 600)
endif()
