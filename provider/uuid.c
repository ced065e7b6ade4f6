/*
 * uuid.c - RFC 4530 entryUUID text <-> 16 bytes.  See uuid.h.
 */
#include "uuid.h"

#include <string.h>

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool abp_uuid_parse(const char *text, size_t len, uint8_t out[16])
{
	uint8_t tmp[16];
	size_t i, k = 0;

	if (text == NULL || len != 36)
		return false;
	for (i = 0; i < 36;) {
		int hi, lo;

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (text[i] != '-')
				return false;
			i++;
			continue;
		}
		hi = hexval(text[i]);
		lo = hexval(text[i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		tmp[k++] = (uint8_t)(hi << 4 | lo);
		i += 2;
	}
	memcpy(out, tmp, 16);
	return true;
}

void abp_uuid_format(const uint8_t in[16], char out[37])
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0;

	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[in[i] >> 4];
		out[o++] = hex[in[i] & 15];
	}
	out[o] = '\0';
}
