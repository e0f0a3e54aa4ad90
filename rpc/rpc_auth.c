/*
 * rpc_auth.c: HTTP Basic authentication for a server whose section sets
 * username and password. The password is plaintext, or "{SHA}" and the
 * hex SHA-1 of the plaintext, as 4.2.5 accepts.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <microhttpd.h>
#include <nettle/memops.h>
#include <nettle/sha1.h>

#include "log.h"
#include "rpc_http_int.h"
#include "rpc_int.h"

#define RPC_AUTH_SHA_TAG	"{SHA}"

static void
rpc_auth_sha1(const void *p, size_t len, uint8_t out[SHA1_DIGEST_SIZE])
{
	struct sha1_ctx	 ctx;

	sha1_init(&ctx);
	sha1_update(&ctx, len, p);
	sha1_digest(&ctx, SHA1_DIGEST_SIZE, out);
}

/*
 * Whether given is stored, without leaking where they differ: equal-length
 * digests keep the lengths out of the timing too.
 */
static bool
rpc_auth_same(const char *stored, const char *given, size_t givenlen)
{
	uint8_t	 a[SHA1_DIGEST_SIZE], b[SHA1_DIGEST_SIZE];

	rpc_auth_sha1(stored, strlen(stored), a);
	rpc_auth_sha1(given, givenlen, b);
	return memeql_sec(a, b, sizeof(a)) != 0;
}

/* Compare given against stored without leaking where they differ. */
bool
rpc_auth_password_ok(const char *stored, const char *given, size_t givenlen)
{
	uint8_t	 a[SHA1_DIGEST_SIZE];
	char	 hex[2 * SHA1_DIGEST_SIZE + 1];
	size_t	 i, taglen = strlen(RPC_AUTH_SHA_TAG);

	if (strncmp(stored, RPC_AUTH_SHA_TAG, taglen) == 0) {
		stored += taglen;
		if (strlen(stored) != sizeof(hex) - 1)
			return false;
		rpc_auth_sha1(given, givenlen, a);
		for (i = 0; i < SHA1_DIGEST_SIZE; i++)
			snprintf(hex + 2 * i, 3, "%02x", a[i]);
		return memeql_sec(hex, stored, sizeof(hex) - 1) != 0;
	}
	return rpc_auth_same(stored, given, givenlen);
}

/*
 * Decode the credentials of "Basic X" as 4.2.5 does: Python's lenient
 * base64 (anything outside the alphabet skipped, "=" ends the input once
 * a group has two digits and enough padding; a group left open is an
 * error), then UTF-8. NULL when that fails, which it answers with 400;
 * else the bytes (NUL-terminated, *lenp long; owner: caller).
 */
char *
rpc_auth_basic_decode(const char *s, size_t *lenp)
{
	unsigned char	*out, acc = 0;
	size_t		 n = 0, i;
	int		 quad = 0, pads = 0, v, k;

	out = xmalloc(strlen(s) / 4 * 3 + 3);
	for (; *s != '\0'; s++) {
		if (*s == '=') {
			if (quad >= 2 && quad + ++pads >= 4) {
				quad = 0;
				break;
			}
			continue;
		}
		if ((v = rpc_b64_val((unsigned char)*s)) == -1)
			continue;
		pads = 0;
		switch (quad) {
		case 0:
			acc = (unsigned char)v;
			break;
		case 1:
			out[n++] = (unsigned char)(acc << 2 | v >> 4);
			acc = v & 0x0f;
			break;
		case 2:
			out[n++] = (unsigned char)(acc << 4 | v >> 2);
			acc = v & 0x03;
			break;
		default:
			out[n++] = (unsigned char)(acc << 6 | v);
			break;
		}
		quad = (quad + 1) % 4;
	}
	for (i = 0; quad == 0 && i < n; i += (size_t)k)
		if ((k = rpc_utf8_seq(out + i, n - i)) < 0)
			quad = -1;
	if (quad != 0) {
		free(out);
		return NULL;
	}
	out[n] = '\0';
	*lenp = n;
	return (char *)out;
}

/*
 * "Authorization: SCHEME CREDENTIALS" with SCHEME basic in any case, as
 * 4.2.5 reads it. Credentials without a ':' are refused (4.2.5 fails
 * with 500 on them).
 */
enum rpc_auth
rpc_auth_check(const struct rpc_listener *l, struct MHD_Connection *conn)
{
	const char	*hdr, *sp;
	char		*cred, *colon;
	size_t		 len, ulen;
	bool		 ok;

	if (l->username == NULL)
		return RPC_AUTH_OK;
	hdr = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_AUTHORIZATION);
	if (hdr == NULL || (sp = strchr(hdr, ' ')) == NULL || sp - hdr != 5 ||
	    strncasecmp(hdr, "basic", 5) != 0)
		return RPC_AUTH_DENIED;
	if ((cred = rpc_auth_basic_decode(sp + 1, &len)) == NULL)
		return RPC_AUTH_MALFORMED;
	ok = false;
	if ((colon = memchr(cred, ':', len)) != NULL) {
		ulen = (size_t)(colon - cred);
		/* both compared, whatever the first says */
		ok = rpc_auth_same(l->username, cred, ulen);
		ok = rpc_auth_password_ok(l->password, colon + 1,
		    len - ulen - 1) && ok;
	}
	explicit_bzero(cred, len);
	free(cred);
	return ok ? RPC_AUTH_OK : RPC_AUTH_DENIED;
}
