# tests/rpc_methods.mk: the XML-RPC codec and methods.
RPC_METHODS_SRCS = rpc/rpc_values.c rpc/rpc_xml.c rpc/rpc_text.c \
	rpc/rpc_methods.c \
	rpc/rpc_methods_proc.c rpc/rpc_methods_log.c
RPC_METHODS_SRCS += rpc/rpc_methods_nv.c

# check_rpc_xml: decoding, encoding, limits and hostile documents.
check_PROGRAMS += tests/check_rpc_xml
TESTS += tests/check_rpc_xml
tests_check_rpc_xml_SOURCES = tests/check_rpc_xml.c rpc/rpc_values.c \
	rpc/rpc_xml.c rpc/rpc_text.c bus/log.c bus/xmalloc.c
tests_check_rpc_xml_CPPFLAGS = $(AM_CPPFLAGS) -I$(srcdir)/rpc
tests_check_rpc_xml_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_rpc_xml_LDADD = $(EXPAT_LIBS) $(TEST_LIBS)

# check_rpc_methods: every method through rpc_call_start, against a real
# pm with real children, the real bus and the real logger.
check_PROGRAMS += tests/check_rpc_methods
TESTS += tests/check_rpc_methods
tests_check_rpc_methods_SOURCES = tests/check_rpc_methods.c \
	$(RPC_METHODS_SRCS)
tests_check_rpc_methods_CPPFLAGS = $(AM_CPPFLAGS) -I$(srcdir)/rpc
tests_check_rpc_methods_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_rpc_methods_LDADD = liblogger.a libprocmgr.a libpmconf.a \
	libbus.a $(EXPAT_LIBS) $(TEST_LIBS)

# make fuzz: libFuzzer over rpc_xml_decode_call (clang only). New inputs
# go to a scratch corpus in the build tree; the seeds stay as committed.
FUZZ_SECONDS = 60
FUZZ_CC = clang
EXTRA_DIST += tests/fuzz_rpc_xml.c tests/fuzz/rpc_xml
.PHONY: fuzz
fuzz:
	$(FUZZ_CC) -g -O1 -fsanitize=fuzzer,address,undefined \
	    -fno-sanitize-recover=undefined -I$(top_builddir) \
	    -I$(srcdir)/bus -I$(srcdir)/rpc $(srcdir)/tests/fuzz_rpc_xml.c \
	    $(srcdir)/rpc/rpc_xml.c $(srcdir)/rpc/rpc_text.c \
	    $(srcdir)/rpc/rpc_values.c \
	    $(srcdir)/bus/log.c $(srcdir)/bus/xmalloc.c $(EXPAT_LIBS) \
	    -o tests/fuzz_rpc_xml
	mkdir -p tests/fuzz-rpc_xml-new
	./tests/fuzz_rpc_xml -max_total_time=$(FUZZ_SECONDS) \
	    -max_len=65536 -timeout=10 \
	    tests/fuzz-rpc_xml-new $(srcdir)/tests/fuzz/rpc_xml
CLEANFILES += tests/fuzz_rpc_xml
