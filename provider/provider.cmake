# The provider module ldapab.so (included by provider/CMakeLists.txt).
#
# Sources: the core (entry point, provider, logon, session, configuration,
# status object, errors, GUIDs, entry IDs) plus the directory objects, each
# listed explicitly and compiled once it exists.
set(LDAPAB_PROVIDER_SOURCES
  ${CMAKE_CURRENT_SOURCE_DIR}/abprovider.c
  ${CMAKE_CURRENT_SOURCE_DIR}/ablogon.c
  ${CMAKE_CURRENT_SOURCE_DIR}/session.c
  ${CMAKE_CURRENT_SOURCE_DIR}/config.c
  ${CMAKE_CURRENT_SOURCE_DIR}/status.c
  ${CMAKE_CURRENT_SOURCE_DIR}/lasterr.c
  ${CMAKE_CURRENT_SOURCE_DIR}/securezero.c
  ${CMAKE_CURRENT_SOURCE_DIR}/entryid.c
  ${CMAKE_CURRENT_SOURCE_DIR}/service.c)
foreach(_abp_src props.c attrmap.c uuid.c entryprops.c lookup.c propobj.c openentry.c recips.c
                 orglinks.c
                 container.c mailuser.c distlist.c restrict.c resolve.c
                 table.c table_mem.c table_vlv.c hierarchy.c contents.c members.c)
  if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${_abp_src})
    list(APPEND LDAPAB_PROVIDER_SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/${_abp_src})
  endif()
endforeach()
# Every binary defines the GUIDs once (mapiguid.h); the module and the unit
# test library each get this file.
set(LDAPAB_PROVIDER_GUIDS ${CMAKE_CURRENT_SOURCE_DIR}/guids.c)
set(LDAPAB_PROVIDER_SOURCES ${LDAPAB_PROVIDER_SOURCES} PARENT_SCOPE)

set(_abp_includes
  ${CMAKE_CURRENT_SOURCE_DIR}
  ${CMAKE_CURRENT_SOURCE_DIR}/include)

# The module: no "lib" prefix, hidden visibility, only the version script's
# symbols exported, every symbol resolved at link time.  -z nodelete: libldap
# (and the SASL/TLS libraries under it) keep process-wide state from their
# first use that nothing frees; if dlclose() unloaded us, and them with us,
# every load/unload cycle would leak it (LC-4 allows repeated loads).  So the
# module stays mapped once loaded, as nss_ldap-style modules do.
add_library(ldapab MODULE ${LDAPAB_PROVIDER_SOURCES} ${LDAPAB_PROVIDER_GUIDS})
set_target_properties(ldapab PROPERTIES
  PREFIX ""
  OUTPUT_NAME ldapab
  C_VISIBILITY_PRESET hidden
  LINK_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/ldapab.map)
target_include_directories(ldapab PRIVATE ${_abp_includes})
target_link_libraries(ldapab PRIVATE ldapbridge mapi_headers ldapab_platform Threads::Threads)
if(WIN32)
  # ldapab.dll: DllMain, the two exports by ldapab.def (plain names on
  # both targets: --enable-stdcall-fixup lets the def's "ServiceEntry" bind
  # _ServiceEntry@48 on i686 without a warning); libgcc linked in, so the
  # only DLLs imported are Windows' own (msvcrt is the system C runtime).
  target_sources(ldapab PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/dllmain.c
                                ${CMAKE_CURRENT_SOURCE_DIR}/secret_win32.c
                                ${CMAKE_CURRENT_SOURCE_DIR}/module_pin_win32.c
                                ${CMAKE_CURRENT_SOURCE_DIR}/ldapab.def)
  target_link_libraries(ldapab PRIVATE crypt32)
  set_property(TARGET ldapab APPEND PROPERTY LINK_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/ldapab.def)
  target_link_options(ldapab PRIVATE -static-libgcc -Wl,--no-undefined
                      -Wl,--enable-stdcall-fixup)
else()
  target_link_options(ldapab PRIVATE
    -Wl,--version-script=${CMAKE_CURRENT_SOURCE_DIR}/ldapab.map
    -Wl,--no-undefined
    -Wl,-z,nodelete)
endif()

# The same code as a static library for unit tests (which call internal
# functions and may wrap libldap at link time).
# (Not on Windows: the unit tests that use it run on Linux.)
if(WIN32)
  return()
endif()
add_library(ldapab_provider_objs STATIC ${LDAPAB_PROVIDER_SOURCES} ${LDAPAB_PROVIDER_GUIDS})
target_include_directories(ldapab_provider_objs PUBLIC ${_abp_includes})
target_link_libraries(ldapab_provider_objs PUBLIC ldapbridge mapi_headers ldapab_platform Threads::Threads)
