# Provider core tests (included by tests/provider/CMakeLists.txt).
# Names cite the spec's rule IDs; labels: unit (no server), integration
# (the slapd fixture, registered with ldapab_slapd_test()).

# Unit tests of internal functions link the provider's code statically.
function(abp_core_unit_test name src)
  add_executable(${name} ${src} ${ARGN})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/provider)
  target_link_libraries(${name} PRIVATE ldapab_provider_objs ldapab_cmocka)
endfunction()

abp_core_unit_test(test_config_profile test_config_profile.c)
add_test(NAME provider_config_missing_or_invalid_setting_is_unconfigured_LC15
         COMMAND test_config_profile)
set_tests_properties(provider_config_missing_or_invalid_setting_is_unconfigured_LC15
                     PROPERTIES LABELS unit)

# LC-1: the module's dynamic symbol table holds ABProviderInit only.
add_test(NAME provider_exports_only_entry_points
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/test_exports.sh $<TARGET_FILE:ldapab>)
set_tests_properties(provider_exports_only_entry_points PROPERTIES LABELS unit)

# Lifecycle through the host's real loader and support object (no server:
# the URIs point at a closed port, the bind is lazy).
function(abp_core_host_test name src)
  add_executable(${name} ${src} ${PROJECT_SOURCE_DIR}/provider/entryid.c ${ARGN})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/provider
                             ${PROJECT_SOURCE_DIR}/provider/include)
  target_link_libraries(${name} PRIVATE ldapab_host ldapab_cmocka)
  target_compile_definitions(${name} PRIVATE LDAPAB_MODULE_PATH="$<TARGET_FILE:ldapab>")
  add_dependencies(${name} ldapab)
endfunction()

abp_core_host_test(test_lifecycle_host test_lifecycle_host.c)
# The container test reads the IDs config.c derives (abp_config_from_props).
target_link_libraries(test_lifecycle_host PRIVATE ldapab_provider_objs)
add_test(NAME provider_lifecycle_logon_logoff_shutdown_LC1_to_LC42 COMMAND test_lifecycle_host)
set_tests_properties(provider_lifecycle_logon_logoff_shutdown_LC1_to_LC42 PROPERTIES
                     LABELS unit TIMEOUT 120)

# The provider linked statically with the host (ABProviderInit called
# directly, the host's support object as usual), for tests that wrap
# functions at link time.
function(abp_core_static_test name src)
  add_executable(${name} ${src} ${ARGN})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/provider)
  target_link_libraries(${name} PRIVATE ldapab_provider_objs ldapab_host ldapab_cmocka)
endfunction()

abp_core_static_test(test_core_errors test_core_errors.c)
target_link_libraries(test_core_errors PRIVATE Threads::Threads)
add_test(NAME provider_core_error_table_lasterr_and_session_LO1_ST3_LC32 COMMAND test_core_errors)
set_tests_properties(provider_core_error_table_lasterr_and_session_LO1_ST3_LC32 PROPERTIES
                     LABELS unit TIMEOUT 60)

abp_core_host_test(test_lifecycle_failwalk_host test_lifecycle_failwalk.c)
set(ABP_FAILALLOC_WRAP
  -Wl,--wrap=malloc -Wl,--wrap=calloc -Wl,--wrap=realloc -Wl,--wrap=strdup)
abp_core_static_test(test_lifecycle_failwalk test_lifecycle_failwalk.c test_core_failalloc.c)
target_link_options(test_lifecycle_failwalk PRIVATE ${ABP_FAILALLOC_WRAP})
add_test(NAME provider_lifecycle_every_allocation_failed_once_no_leak_LC12_LC39_MM7
         COMMAND test_lifecycle_failwalk)
add_test(NAME provider_lifecycle_every_host_allocation_failed_once_via_loader_LC12_LC39
         COMMAND test_lifecycle_failwalk_host)
set_tests_properties(provider_lifecycle_every_allocation_failed_once_no_leak_LC12_LC39_MM7
                     provider_lifecycle_every_host_allocation_failed_once_via_loader_LC12_LC39
                     PROPERTIES LABELS unit TIMEOUT 300)

abp_core_host_test(test_status_object test_status_object.c)
add_test(NAME provider_status_object_ST1_to_ST6_LO5 COMMAND test_status_object)
set_tests_properties(provider_status_object_ST1_to_ST6_LO5 PROPERTIES LABELS unit TIMEOUT 120)

# Against the slapd fixture (integration): libldap's unbind counted with a
# link-time wrap, so the provider is linked statically here.
abp_core_static_test(test_lifecycle_slapd test_lifecycle_slapd.c test_core_failalloc.c)
target_link_libraries(test_lifecycle_slapd PRIVATE ldapab_slapd_env Threads::Threads)
target_link_options(test_lifecycle_slapd PRIVATE -Wl,--wrap=ldap_unbind_ext
                    ${ABP_FAILALLOC_WRAP})
target_compile_definitions(test_lifecycle_slapd PRIVATE
  LDAPAB_TEST_WORKDIR="${CMAKE_CURRENT_BINARY_DIR}")
add_test(NAME provider_lifecycle_slapd_unbind_threads_lazybind_ids_LC17_LC32_LC36_EK4
         COMMAND test_lifecycle_slapd)
set_tests_properties(provider_lifecycle_slapd_unbind_threads_lazybind_ids_LC17_LC32_LC36_EK4
                     PROPERTIES TIMEOUT 300)
ldapab_slapd_test(provider_lifecycle_slapd_unbind_threads_lazybind_ids_LC17_LC32_LC36_EK4 WRITES)

# Logoff cancels the LDAP calls in flight instead of waiting out their
# timeouts (LC-32 step 4, LC-36): libldap's unbind counted with a wrap.
# The silent-listener case needs no fixture; the frozen-slapd one does.
abp_core_static_test(test_lifecycle_cancel test_lifecycle_cancel.c)
target_link_libraries(test_lifecycle_cancel PRIVATE ldapab_slapd_env Threads::Threads)
target_link_options(test_lifecycle_cancel PRIVATE -Wl,--wrap=ldap_unbind_ext)
add_test(NAME provider_lifecycle_logoff_cancels_calls_on_silent_server_LC32_LC36
         COMMAND test_lifecycle_cancel test_logoff_cancels_calls_stuck_on_silent_server_LC32_LC36)
set_tests_properties(provider_lifecycle_logoff_cancels_calls_on_silent_server_LC32_LC36
                     PROPERTIES LABELS integration TIMEOUT 60)
add_test(NAME provider_lifecycle_logoff_cancels_calls_on_frozen_slapd_unbinds_once_LC32_LC36
         COMMAND test_lifecycle_cancel
                 test_logoff_cancels_calls_stuck_on_frozen_slapd_unbinds_once_LC32_LC36)
set_tests_properties(provider_lifecycle_logoff_cancels_calls_on_frozen_slapd_unbinds_once_LC32_LC36
                     PROPERTIES TIMEOUT 60)
ldapab_slapd_test(provider_lifecycle_logoff_cancels_calls_on_frozen_slapd_unbinds_once_LC32_LC36)

# The provider's log sink (README): ldapbridge's TLS "allow"
# warning reaches abp_config.log, swapped in by wrapping
# abp_config_read_profile; the LDAPS port of the fixture.
abp_core_static_test(test_log_sink_slapd test_log_sink_slapd.c)
target_link_libraries(test_log_sink_slapd PRIVATE ldapab_slapd_env Threads::Threads)
target_link_options(test_log_sink_slapd PRIVATE -Wl,--wrap=abp_config_read_profile)
add_test(NAME provider_log_sink_tls_reqcert_allow_is_a_warning
         COMMAND test_log_sink_slapd)
set_tests_properties(provider_log_sink_tls_reqcert_allow_is_a_warning
                     PROPERTIES TIMEOUT 60)
ldapab_slapd_test(provider_log_sink_tls_reqcert_allow_is_a_warning)

# Logoff at the race points (LC-32, LC-36, LC-40, LO-4, LO-5, TH-3): the
# provider linked statically so Subscribe can be patched and the object
# constructors, lb_conn_close, libldap's unbind and the session's wait
# wrapped; the unbind-under-a-call case needs the fixture.
abp_core_static_test(test_lifecycle_races test_lifecycle_races.c)
target_link_libraries(test_lifecycle_races PRIVATE ldapab_slapd_env Threads::Threads)
target_link_options(test_lifecycle_races PRIVATE
  -Wl,--wrap=abp_session_new -Wl,--wrap=abp_status_new -Wl,--wrap=abp_container_new
  -Wl,--wrap=lb_conn_close -Wl,--wrap=ldap_unbind_ext -Wl,--wrap=pthread_cond_wait)
foreach(_t test_LO4_advise_undoes_a_registration_logoff_raced_LC32
           test_LO5_status_object_made_during_logoff_is_not_kept_ST6_LC40
           test_CT1_root_container_made_during_logoff_is_not_kept_LC40
           test_TH3_logoff_from_inside_20_nested_logons_does_not_wait_for_itself)
  add_test(NAME provider_lifecycle_race_${_t} COMMAND test_lifecycle_races ${_t})
  set_tests_properties(provider_lifecycle_race_${_t} PROPERTIES LABELS unit TIMEOUT 60)
endforeach()
add_test(NAME provider_lifecycle_race_test_LC32_no_unbind_while_another_threads_call_is_inside_LC36
         COMMAND test_lifecycle_races test_LC32_no_unbind_while_another_threads_call_is_inside_LC36)
set_tests_properties(provider_lifecycle_race_test_LC32_no_unbind_while_another_threads_call_is_inside_LC36
                     PROPERTIES TIMEOUT 60)
ldapab_slapd_test(provider_lifecycle_race_test_LC32_no_unbind_while_another_threads_call_is_inside_LC36)

# 16 threads on one logon (lookups, tables, ResolveNames), Logoff from
# another thread (TH-1, LC-36, LC-40): the module through the host's loader.
abp_core_host_test(test_lifecycle_threads test_lifecycle_threads.c)
target_link_libraries(test_lifecycle_threads PRIVATE ldapab_provider_objs ldapab_slapd_env
                      Threads::Threads)
add_test(NAME provider_lifecycle_16_threads_lookups_tables_resolve_then_logoff_TH1_LC36
         COMMAND test_lifecycle_threads)
set_tests_properties(provider_lifecycle_16_threads_lookups_tables_resolve_then_logoff_TH1_LC36
                     PROPERTIES TIMEOUT 300)
ldapab_slapd_test(provider_lifecycle_16_threads_lookups_tables_resolve_then_logoff_TH1_LC36)

# Logon, lookups by entry ID and Logoff when the server fails (LC-17, LC-32,
# LC-36, ST-3): down at Logon, killed under a lookup, back again (a private
# slapd behind a relay), silent server over ldap/StartTLS/ldaps, wrong
# password and unknown CA; descriptors, threads, memory and TCP counted.
abp_core_host_test(test_lifecycle_faults test_lifecycle_faults.c)
target_link_libraries(test_lifecycle_faults PRIVATE ldapbridge ldapab_slapd_env Threads::Threads)
target_compile_definitions(test_lifecycle_faults PRIVATE
  LDAPAB_TEST_WORKDIR="${CMAKE_CURRENT_BINARY_DIR}")
foreach(_t test_LC17_server_down_at_logon_then_back_without_new_logon_ST3
           test_LC36_server_killed_under_a_lookup_then_back_ST3
           test_LC17_silent_server_ldap_starttls_ldaps_connect_timeout
           test_LC17_wrong_password_or_bind_dn_logon_failed_password_nowhere
           test_LC17_unknown_ca_refused_names_ca_file_password_nowhere)
  add_test(NAME provider_lifecycle_fault_${_t} COMMAND test_lifecycle_faults ${_t})
  set_tests_properties(provider_lifecycle_fault_${_t} PROPERTIES TIMEOUT 120)
  ldapab_slapd_test(provider_lifecycle_fault_${_t})
endforeach()
# The two that start, kill and restart the private slapd share its run directory.
set_tests_properties(provider_lifecycle_fault_test_LC17_server_down_at_logon_then_back_without_new_logon_ST3
                     provider_lifecycle_fault_test_LC36_server_killed_under_a_lookup_then_back_ST3
                     PROPERTIES RESOURCE_LOCK ldapab_faults_slapd)

# More sessions nested on one thread than its inline slots: no memory to
# count one more refuses the call cleanly (TH-3, LC-32).
abp_core_static_test(test_lifecycle_nesting_oom test_lifecycle_nesting_oom.c test_core_failalloc.c)
target_link_options(test_lifecycle_nesting_oom PRIVATE ${ABP_FAILALLOC_WRAP})
add_test(NAME provider_lifecycle_nested_sessions_without_memory_refuse_cleanly_TH3
         COMMAND test_lifecycle_nesting_oom)
set_tests_properties(provider_lifecycle_nested_sessions_without_memory_refuse_cleanly_TH3
                     PROPERTIES LABELS unit TIMEOUT 60)
