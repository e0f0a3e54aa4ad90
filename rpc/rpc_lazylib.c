/*
 * rpc_lazylib.c: libmicrohttpd, nettle and expat are mapped on first use,
 * not at exec. Debian builds libmicrohttpd with gnutls, which brings
 * p11-kit, libtasn1 and more: about 3 MB of resident pages and 100 KB of
 * heap in every process that loads them, several times what supervisord
 * itself uses. A supervisord without [unix_http_server] or
 * [inet_http_server] never calls into them, so it never pays for them.
 *
 * Only supervisord links this file; the test programs link the libraries
 * the usual way. Each function below has its namesake's exact prototype
 * (the real headers are included, so the compiler checks that), resolves
 * it once with dlsym and calls it. We run no threads of our own, so a
 * plain static pointer per function is enough.
 */
#include "config.h"

#include <dlfcn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <expat.h>
#include <microhttpd.h>
#include <nettle/memops.h>
#include <nettle/sha1.h>

#include "log.h"

struct lazylib {
	const char	*soname;	/* from configure */
	void		*handle;
};

static struct lazylib lazy_mhd = { MHD_SONAME, NULL };
static struct lazylib lazy_nettle = { NETTLE_SONAME, NULL };
static struct lazylib lazy_expat = { EXPAT_SONAME, NULL };

/* The address of NAME in LIB, loading LIB if needed. Neither can be
 * missing on a system where supervisord was built and installed, so a
 * failure is fatal, with dlerror's reason. */
static void *
lazy_sym(struct lazylib *lib, const char *name)
{
	void *sym;

	if (lib->handle == NULL) {
		lib->handle = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
		if (lib->handle == NULL)
			fatal("cannot load %s: %s", lib->soname, dlerror());
	}
	sym = dlsym(lib->handle, name);
	if (sym == NULL)
		fatal("%s has no %s: %s", lib->soname, name, dlerror());
	return sym;
}

/* The symbol's name after macro expansion (nettle's sha1_init is
 * nettle_sha1_init). */
#define LAZY_STR(x)	#x
#define LAZY_NAME(x)	LAZY_STR(x)

#define LAZY(lib, ret, name, params, args)				\
ret name params								\
{									\
	static ret (*fn) params;					\
	if (fn == NULL)							\
		*(void **)&fn = lazy_sym(&lib, LAZY_NAME(name));			\
	return fn args;							\
}

#define LAZY_VOID(lib, name, params, args)				\
void name params							\
{									\
	static void (*fn) params;					\
	if (fn == NULL)							\
		*(void **)&fn = lazy_sym(&lib, LAZY_NAME(name));			\
	fn args;							\
}

/* ---- libmicrohttpd ---- */

struct MHD_Daemon *
MHD_start_daemon(unsigned int flags, uint16_t port,
    MHD_AcceptPolicyCallback apc, void *apc_cls,
    MHD_AccessHandlerCallback dh, void *dh_cls, ...)
{
	static struct MHD_Daemon *(*fn)(unsigned int, uint16_t,
	    MHD_AcceptPolicyCallback, void *, MHD_AccessHandlerCallback,
	    void *, va_list);
	struct MHD_Daemon	*d;
	va_list			 ap;

	if (fn == NULL)
		*(void **)&fn = lazy_sym(&lazy_mhd, "MHD_start_daemon_va");
	va_start(ap, dh_cls);
	d = fn(flags, port, apc, apc_cls, dh, dh_cls, ap);
	va_end(ap);
	return d;
}

enum MHD_Result
MHD_set_response_options(struct MHD_Response *resp,
    enum MHD_ResponseFlags flags, ...)
{
	/* Options follow the flags, ended by MHD_RO_END; we pass none. */
	static enum MHD_Result (*fn)(struct MHD_Response *,
	    enum MHD_ResponseFlags, ...);

	if (fn == NULL)
		*(void **)&fn = lazy_sym(&lazy_mhd, "MHD_set_response_options");
	return fn(resp, flags, MHD_RO_END);
}

LAZY_VOID(lazy_mhd, MHD_stop_daemon, (struct MHD_Daemon *d), (d))
LAZY(lazy_mhd, MHD_socket, MHD_quiesce_daemon, (struct MHD_Daemon *d), (d))
LAZY(lazy_mhd, enum MHD_Result, MHD_run, (struct MHD_Daemon *d), (d))
LAZY(lazy_mhd, enum MHD_Result, MHD_get_timeout,
    (struct MHD_Daemon *d, MHD_UNSIGNED_LONG_LONG *t), (d, t))
LAZY(lazy_mhd, const union MHD_DaemonInfo *, MHD_get_daemon_info,
    (struct MHD_Daemon *d, enum MHD_DaemonInfoType k, ...), (d, k))
LAZY(lazy_mhd, const union MHD_ConnectionInfo *, MHD_get_connection_info,
    (struct MHD_Connection *c, enum MHD_ConnectionInfoType k, ...), (c, k))
LAZY(lazy_mhd, const char *, MHD_lookup_connection_value,
    (struct MHD_Connection *c, enum MHD_ValueKind kind, const char *key),
    (c, kind, key))
LAZY_VOID(lazy_mhd, MHD_suspend_connection, (struct MHD_Connection *c),
    (c))
LAZY_VOID(lazy_mhd, MHD_resume_connection, (struct MHD_Connection *c), (c))
LAZY(lazy_mhd, enum MHD_Result, MHD_queue_response,
    (struct MHD_Connection *c, unsigned int status, struct MHD_Response *r),
    (c, status, r))
LAZY(lazy_mhd, struct MHD_Response *, MHD_create_response_from_buffer,
    (size_t size, void *buf, enum MHD_ResponseMemoryMode mode),
    (size, buf, mode))
LAZY(lazy_mhd, struct MHD_Response *, MHD_create_response_from_callback,
    (uint64_t size, size_t block, MHD_ContentReaderCallback crc,
    void *crc_cls, MHD_ContentReaderFreeCallback crfc),
    (size, block, crc, crc_cls, crfc))
LAZY(lazy_mhd, enum MHD_Result, MHD_add_response_header,
    (struct MHD_Response *r, const char *h, const char *v), (r, h, v))
LAZY_VOID(lazy_mhd, MHD_destroy_response, (struct MHD_Response *r), (r))

/* ---- nettle (its names are macros for nettle_*) ---- */

LAZY_VOID(lazy_nettle, sha1_init, (struct sha1_ctx *ctx), (ctx))
LAZY_VOID(lazy_nettle, sha1_update,
    (struct sha1_ctx *ctx, size_t len, const uint8_t *data),
    (ctx, len, data))
LAZY_VOID(lazy_nettle, sha1_digest,
    (struct sha1_ctx *ctx, size_t len, uint8_t *digest), (ctx, len, digest))
LAZY(lazy_nettle, int, memeql_sec,
    (const void *a, const void *b, size_t n), (a, b, n))

/* ---- expat ---- */

LAZY(lazy_expat, XML_Parser, XML_ParserCreate, (const XML_Char *enc), (enc))
LAZY_VOID(lazy_expat, XML_ParserFree, (XML_Parser x), (x))
LAZY_VOID(lazy_expat, XML_SetUserData, (XML_Parser x, void *data), (x, data))
LAZY_VOID(lazy_expat, XML_SetElementHandler,
    (XML_Parser x, XML_StartElementHandler start, XML_EndElementHandler end),
    (x, start, end))
LAZY_VOID(lazy_expat, XML_SetCharacterDataHandler,
    (XML_Parser x, XML_CharacterDataHandler h), (x, h))
LAZY_VOID(lazy_expat, XML_SetEntityDeclHandler,
    (XML_Parser x, XML_EntityDeclHandler h), (x, h))
LAZY_VOID(lazy_expat, XML_SetStartDoctypeDeclHandler,
    (XML_Parser x, XML_StartDoctypeDeclHandler h), (x, h))
LAZY(lazy_expat, int, XML_SetParamEntityParsing,
    (XML_Parser x, enum XML_ParamEntityParsing how), (x, how))
LAZY(lazy_expat, enum XML_Status, XML_Parse,
    (XML_Parser x, const char *s, int len, int final), (x, s, len, final))
LAZY(lazy_expat, enum XML_Status, XML_StopParser,
    (XML_Parser x, XML_Bool resumable), (x, resumable))
LAZY(lazy_expat, enum XML_Error, XML_GetErrorCode, (XML_Parser x), (x))
LAZY(lazy_expat, XML_Size, XML_GetCurrentLineNumber, (XML_Parser x), (x))
LAZY(lazy_expat, const XML_LChar *, XML_ErrorString, (enum XML_Error code),
    (code))
