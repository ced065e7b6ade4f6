/* ldapab host: umbrella header (MAPI memory, properties, profile, support, loader/session). */
#ifndef LDAPAB_HOST_HOST_H
#define LDAPAB_HOST_HOST_H
#include "ldapab_host/mem.h"
#include "ldapab_host/props.h"
#include "ldapab_host/profile.h"
#include "ldapab_host/session.h"
#include "ldapab_host/support.h"
#endif
