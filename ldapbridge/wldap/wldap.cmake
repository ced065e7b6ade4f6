# ldapbridge on Windows (included by ldapbridge/CMakeLists.txt when WIN32):
# the same lb.h over Windows' own LDAP client, wldap32.  The filter,
# escaping, UTF-8 and DN code, the error names and the settings' defaults
# are shared with the libldap backend; DNs are
# parsed by our RFC 4514 codec (dn_codec.c), as wldap32 has no parser.
add_library(ldapbridge STATIC
  filter.c escape.c utf8.c dn.c
  wldap/dn_codec.c
  wldap/wl_text.c
  errnames.c
  config_defaults.c
  wldap/wl_error.c
  wldap/wl_wait.c
  wldap/wl_conn.c
  wldap/wl_result.c
  wldap/wl_search.c
  wldap/wl_vlv.c)
target_include_directories(ldapbridge PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include)
target_include_directories(ldapbridge PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
# strdup and friends are POSIX names mingw declares only without
# __STRICT_ANSI__ (which -std=c11 sets).
target_compile_definitions(ldapbridge PRIVATE _POSIX_C_SOURCE=200809L UNICODE _UNICODE)
target_link_libraries(ldapbridge PUBLIC ldapab_platform wldap32 crypt32)
