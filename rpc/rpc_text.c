/*
 * rpc_text.c: the pieces of text decoding that the XML-RPC codec and the
 * Basic credentials share: UTF-8 as Python decodes it (strictly: no
 * overlong forms, no surrogates, nothing past U+10FFFF) and base64's
 * digits.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "rpc_int.h"

/* Length of the valid UTF-8 sequence at s, or -(maximal subpart) if not. */
int
rpc_utf8_seq(const unsigned char *s, size_t left)
{
	unsigned char	 c = s[0], lo = 0x80, hi = 0xbf;
	int		 need, k;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		need = 1;
	else if (c >= 0xe0 && c <= 0xef)
		need = 2;
	else if (c >= 0xf0 && c <= 0xf4)
		need = 3;
	else
		return -1;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	for (k = 1; k <= need; k++) {
		if ((size_t)k >= left || s[k] < lo || s[k] > hi)
			return -k;
		lo = 0x80;
		hi = 0xbf;
	}
	return need + 1;
}

/* The value of a base64 digit, or -1 (padding and anything else). */
int
rpc_b64_val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}
