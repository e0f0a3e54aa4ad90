# tests/rpc_http.mk: the HTTP server's unit suite. It links the server's
# own files with a stand-in for the XML-RPC calls (stubs_rpc_methods.c)
# and for pm_group_conf (stubs_pm.c); the sockets and HTTP are real.
check_PROGRAMS += tests/check_rpc_http
TESTS += tests/check_rpc_http
tests_check_rpc_http_SOURCES = tests/check_rpc_http.c \
	tests/stubs_rpc_methods.c tests/stubs_pm.c rpc/rpc.c \
	rpc/rpc_listen.c rpc/rpc_http.c rpc/rpc_auth.c rpc/rpc_logtail.c \
	rpc/rpc_text.c tests/stubs_rpc_web.c
tests_check_rpc_http_CPPFLAGS = $(AM_CPPFLAGS) -I$(srcdir)/rpc
tests_check_rpc_http_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(MHD_CFLAGS) \
	$(NETTLE_CFLAGS)
tests_check_rpc_http_LDADD = libbus.a $(MHD_LIBS) $(NETTLE_LIBS) \
	$(TEST_LIBS)

# make fuzz-http: libFuzzer over the HTTP request path (clang only): raw
# bytes to the real server on a unix socket. New inputs go to a scratch
# corpus in the build tree; the seeds stay as committed. FUZZ_CC and
# FUZZ_SECONDS are tests/rpc_methods.mk's.
EXTRA_DIST += tests/fuzz_rpc_http.c tests/fuzz/rpc_http
.PHONY: fuzz-http
fuzz-http:
	$(FUZZ_CC) -g -O1 -fsanitize=fuzzer,address,undefined \
	    -fno-sanitize-recover=undefined -I$(top_builddir) \
	    -I$(srcdir)/bus -I$(srcdir)/procmgr -I$(srcdir)/rpc $(MHD_CFLAGS) \
	    $(srcdir)/tests/fuzz_rpc_http.c $(srcdir)/tests/stubs_rpc_methods.c \
	    $(srcdir)/tests/stubs_pm.c $(srcdir)/rpc/rpc.c \
	    $(srcdir)/rpc/rpc_listen.c $(srcdir)/rpc/rpc_http.c \
	    $(srcdir)/rpc/rpc_auth.c $(srcdir)/rpc/rpc_logtail.c \
	    $(srcdir)/rpc/rpc_text.c \
	    $(srcdir)/tests/stubs_rpc_web.c \
	    $(srcdir)/bus/log.c $(srcdir)/bus/xmalloc.c $(MHD_LIBS) \
	    $(NETTLE_LIBS) $(EV_LIBS) -o tests/fuzz_rpc_http
	mkdir -p tests/fuzz-rpc_http-new
	./tests/fuzz_rpc_http -max_total_time=$(FUZZ_SECONDS) \
	    -max_len=65536 -timeout=10 \
	    tests/fuzz-rpc_http-new $(srcdir)/tests/fuzz/rpc_http
CLEANFILES += tests/fuzz_rpc_http

# The /events stream on a real bus, without HTTP (rpc_sse.c).
check_PROGRAMS += tests/check_rpc_sse
TESTS += tests/check_rpc_sse
tests_check_rpc_sse_SOURCES = tests/check_rpc_sse.c rpc/rpc_sse.c \
	rpc/rpc_xml.c rpc/rpc_text.c rpc/rpc_values.c
tests_check_rpc_sse_CPPFLAGS = $(AM_CPPFLAGS) -I$(srcdir)/rpc
tests_check_rpc_sse_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(EXPAT_CFLAGS)
tests_check_rpc_sse_LDADD = libbus.a $(EXPAT_LIBS) $(TEST_LIBS)
