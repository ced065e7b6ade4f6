# The provider against a real Active Directory (the samba_ad fixture):
# included by tests/provider/CMakeLists.txt after table_tests.cmake (whose
# abp_table_test() links the provider statically with the host).

abp_table_test(test_provider_samba test_provider_samba.c)
target_link_libraries(test_provider_samba PRIVATE ldapab_samba_env)
foreach(_t
    test_TB19_CT8_browse_and_typedown_on_ad
    test_CT9_anr_restrictions_on_ad
    test_CT10_CT11_resolve_names_on_ad
    test_CT14_person_full_properties_photo_certificate_manager_reports
    test_MU3_member_table_of_1501_members_complete
    test_LC17_LO1_anonymous_on_ad_names_the_bind_settings
    test_LC17_gssapi_logon_with_kerberos_ticket_resolves)
  string(REGEX REPLACE "^test_" "provider_samba_" _name ${_t})
  add_test(NAME ${_name} COMMAND test_provider_samba ${_t})
  ldapab_samba_test(${_name})
  set_tests_properties(${_name} PROPERTIES TIMEOUT 300)
endforeach()

# Renames and moves an entry (and puts it back).
add_test(NAME provider_samba_EK2_entry_id_survives_rename_and_move
         COMMAND test_provider_samba test_EK2_entry_id_survives_rename_and_move)
ldapab_samba_test(provider_samba_EK2_entry_id_survives_rename_and_move WRITES)
set_tests_properties(provider_samba_EK2_entry_id_survives_rename_and_move
                     PROPERTIES TIMEOUT 300)

# The provider's AD flows under memcheck in the valgrind build.
foreach(_t test_CT10_CT11_resolve_names_on_ad
           test_CT14_person_full_properties_photo_certificate_manager_reports
           test_LC17_gssapi_logon_with_kerberos_ticket_resolves)
  string(REGEX REPLACE "^test_" "valgrind_provider_samba_" _name ${_t})
  ldapab_valgrind_test(${_name} test_provider_samba ${_t})
  if(LDAPAB_VALGRIND)     # ldapab_valgrind_test() adds it only then
    ldapab_samba_test(${_name})
    set_tests_properties(${_name} PROPERTIES TIMEOUT 600)
  endif()
endforeach()
