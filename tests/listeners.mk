# tests/listeners.mk: the listener pools' unit suite. The bus is the real
# one; pm_group_conf and pm_proc_write_stdin are stood in for inside the
# test, which records what each listener was sent.
check_PROGRAMS += tests/check_lp
TESTS += tests/check_lp
tests_check_lp_SOURCES = tests/check_lp.c
tests_check_lp_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_lp_LDADD = liblisteners.a libbus.a $(TEST_LIBS)
