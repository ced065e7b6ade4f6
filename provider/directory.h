/*
 * directory.h - people, groups and containers read from the directory
 * (internal), one header per subject:
 *   uuid.h        entryUUID text
 *   entryprops.h  a directory entry → the property bag of a person or group
 *   lookup.h      the session's directory context; lookup by entry ID
 *   propobj.h     the IMAPIProp part our read-only objects share
 *   openentry.h   OpenEntry for people and groups; IMailUser / IDistList
 *   recips.h      PrepareRecips
 *   container.h   the root and directory containers
 */
#ifndef LDAPAB_DIRECTORY_H
#define LDAPAB_DIRECTORY_H

#include "abp.h"
#include "attrmap.h"
#include "props.h"
#include "uuid.h"
#include "entryprops.h"
#include "lookup.h"
#include "propobj.h"
#include "openentry.h"
#include "recips.h"
#include "container.h"

#endif /* LDAPAB_DIRECTORY_H */
