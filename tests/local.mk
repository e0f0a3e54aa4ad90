# tests/: check unit suites and integration scenarios.
TEST_LIBS = $(CHECK_LIBS) $(NANOMSG_LIBS) $(EV_LIBS)
AM_TESTS_ENVIRONMENT = top_srcdir='$(top_srcdir)' top_builddir='$(top_builddir)'; \
	export top_srcdir top_builddir;

include tests/conf.mk
include tests/bus.mk
include tests/logger.mk
include tests/listeners.mk
include tests/pm.mk
include tests/rpc_methods.mk
include tests/scripts.mk
include tests/rpc_http.mk
include tests/ctl.mk
include tests/integration.mk
include tests/hard.mk
