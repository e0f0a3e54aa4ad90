# tests/logger.mk: the logger's unit suite. syslog is stood in for inside
# the test, pm_group_conf by stubs_pm.c; the bus is the real one.
check_PROGRAMS += tests/check_logger
TESTS += tests/check_logger
tests_check_logger_SOURCES = tests/check_logger.c tests/stubs_pm.c
tests_check_logger_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_logger_LDADD = liblogger.a libbus.a $(TEST_LIBS)
