# rpc/: the HTTP server (libmicrohttpd in our loop) and, through
# rpc/methods.mk, the XML-RPC codec and Supervisor's API.
noinst_LIBRARIES += librpc.a
librpc_a_SOURCES = rpc/rpc.h rpc/rpc_int.h rpc/rpc_http_int.h rpc/rpc.c \
	rpc/rpc_listen.c rpc/rpc_http.c rpc/rpc_auth.c rpc/rpc_logtail.c
librpc_a_CPPFLAGS = $(AM_CPPFLAGS) -I$(srcdir)/rpc
librpc_a_CFLAGS = $(AM_CFLAGS) $(MHD_CFLAGS) $(NETTLE_CFLAGS) \
	$(EXPAT_CFLAGS)
include rpc/methods.mk
