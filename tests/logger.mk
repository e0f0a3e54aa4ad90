# tests/logger.mk: the logger's unit suite. The bus and syslog are stood in
# for inside the test, pm_group_conf by stubs_pm.c; log.c and xmalloc.c are
# compiled in directly so the suite does not need the bus library.
check_PROGRAMS += tests/check_logger
TESTS += tests/check_logger
tests_check_logger_SOURCES = tests/check_logger.c tests/stubs_pm.c \
	bus/log.c bus/xmalloc.c
tests_check_logger_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) -D_GNU_SOURCE
tests_check_logger_LDADD = liblogger.a $(TEST_LIBS)
