# The fault matrix of the table-dependent operations (browse window,
# ResolveNames of 20 names, group expansion): server down, killed under an
# operation and back; failover to a second server and back after the
# backoff; a slow server against the connect and operation timeouts; a
# certificate for another name and an expired one.  Private slapd instances
# and relays of the test's own; descriptors, threads, memory and TCP counted.
abp_core_host_test(test_faults_matrix test_faults_matrix.c)
target_link_libraries(test_faults_matrix PRIVATE ldapab_provider_objs ldapbridge
                      ldapab_slapd_env Threads::Threads)
target_compile_definitions(test_faults_matrix PRIVATE
  LDAPAB_TEST_WORKDIR="${CMAKE_CURRENT_BINARY_DIR}")
foreach(_t test_LC17_CT11j_browse_resolve_group_server_down_then_back_ST3
           test_LC36_CT11j_browse_resolve_group_server_killed_mid_operation_then_back
           test_LC36_failover_to_second_server_and_back_after_backoff
           test_LC17_LC36_slow_server_connect_and_operation_timeouts_name_themselves
           test_LC17_wrong_hostname_and_expired_certificate_refused_password_nowhere
           test_TB19_server_size_and_time_limits_partial_view_signalled)
  add_test(NAME provider_faults_matrix_${_t} COMMAND test_faults_matrix ${_t})
  set_tests_properties(provider_faults_matrix_${_t} PROPERTIES TIMEOUT 120)
  ldapab_slapd_test(provider_faults_matrix_${_t})
endforeach()
# The cases that start, kill and restart the private slapd share its run directory.
set_tests_properties(provider_faults_matrix_test_LC17_CT11j_browse_resolve_group_server_down_then_back_ST3
                     provider_faults_matrix_test_LC36_CT11j_browse_resolve_group_server_killed_mid_operation_then_back
                     provider_faults_matrix_test_LC36_failover_to_second_server_and_back_after_backoff
                     PROPERTIES RESOURCE_LOCK ldapab_faults_matrix_slapd)
