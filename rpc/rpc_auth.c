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

#include <microhttpd.h>
#include <nettle/memops.h>
#include <nettle/sha1.h>

#include "log.h"
#include "rpc_http_int.h"

#define RPC_AUTH_SHA_TAG	"{SHA}"

static void
rpc_auth_sha1(const void *p, size_t len, uint8_t out[SHA1_DIGEST_SIZE])
{
	struct sha1_ctx	 ctx;

	sha1_init(&ctx);
	sha1_update(&ctx, len, p);
	sha1_digest(&ctx, SHA1_DIGEST_SIZE, out);
}

/* Compare given against stored without leaking where they differ. */
bool
rpc_auth_password_ok(const char *stored, const char *given, size_t givenlen)
{
	uint8_t	 a[SHA1_DIGEST_SIZE], b[SHA1_DIGEST_SIZE];
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
	/* Equal-length digests keep the plaintext length out of timing. */
	rpc_auth_sha1(stored, strlen(stored), a);
	rpc_auth_sha1(given, givenlen, b);
	return memeql_sec(a, b, sizeof(a)) != 0;
}

bool
rpc_auth_ok(const struct rpc_listener *l, struct MHD_Connection *conn)
{
	char	*user, *pass = NULL;
	bool	 ok;

	if (l->username == NULL)
		return true;
	if ((user = MHD_basic_auth_get_username_password(conn, &pass))
	    == NULL)
		return false;
	ok = strcmp(user, l->username) == 0 && pass != NULL &&
	    rpc_auth_password_ok(l->password, pass, strlen(pass));
	MHD_free(user);
	if (pass != NULL)
		MHD_free(pass);
	return ok;
}
