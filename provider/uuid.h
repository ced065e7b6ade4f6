/*
 * uuid.h - RFC 4530 entryUUID text <-> 16 bytes (internal).
 */
#ifndef LDAPAB_UUID_H
#define LDAPAB_UUID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* entryUUID text ("597ae2f6-16a6-1027-98f4-d28b5365dc14", either case,
 * exactly 36 characters) → 16 bytes in text order.  False if the text is
 * anything else. */
bool abp_uuid_parse(const char *text, size_t len, uint8_t out[16]);
/* 16 bytes → the lower-case RFC 4530 form (37 bytes with the NUL). */
void abp_uuid_format(const uint8_t in[16], char out[37]);

#endif /* LDAPAB_UUID_H */
