# tests/ctl.mk: supervisorctl's unit suite: the XML-RPC response parser,
# the calls it writes (transport stubbed in the suite) and its word
# helpers.
check_PROGRAMS += tests/check_ctl
TESTS += tests/check_ctl
tests_check_ctl_SOURCES = tests/check_ctl.c ctl/ctl_xmlrpc.c ctl/ctl_val.c \
	ctl/ctl_util.c
tests_check_ctl_CPPFLAGS = $(AM_CPPFLAGS) -I$(srcdir)/ctl
tests_check_ctl_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(EXPAT_CFLAGS)
tests_check_ctl_LDADD = libbus.a $(EXPAT_LIBS) $(TEST_LIBS)
