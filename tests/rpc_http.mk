# tests/rpc_http.mk: the HTTP server's unit suite. It links the server's
# own files with a stand-in for the XML-RPC calls (stubs_rpc_methods.c)
# and for pm_group_conf (stubs_pm.c); the sockets and HTTP are real.
check_PROGRAMS += tests/check_rpc_http
TESTS += tests/check_rpc_http
tests_check_rpc_http_SOURCES = tests/check_rpc_http.c \
	tests/stubs_rpc_methods.c tests/stubs_pm.c rpc/rpc.c \
	rpc/rpc_listen.c rpc/rpc_http.c rpc/rpc_auth.c rpc/rpc_logtail.c
tests_check_rpc_http_CPPFLAGS = $(AM_CPPFLAGS) -I$(srcdir)/rpc
tests_check_rpc_http_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(MHD_CFLAGS) \
	$(NETTLE_CFLAGS)
tests_check_rpc_http_LDADD = libbus.a $(MHD_LIBS) $(NETTLE_LIBS) \
	$(TEST_LIBS)
