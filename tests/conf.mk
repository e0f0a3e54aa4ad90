# tests/conf.mk: the config parser (libpmconf.a).
# check_conf: unit tests of every value type, the INI dialect, expansion
# and the sections, plus the golden files tests/conf/NN.conf -> NN.ok
# (dumped in-process by conf_dump.c). tests/conf_dump is the same dumper
# as a program, used by tests/conf/regen.sh.
check_PROGRAMS += tests/check_conf tests/conf_dump
TESTS += tests/check_conf
tests_check_conf_SOURCES = tests/check_conf.c tests/conf_dump.c
tests_check_conf_CPPFLAGS = $(AM_CPPFLAGS) -DCONF_DUMP_LIB \
	-DCONF_SRCDIR='"$(abs_top_srcdir)/tests/conf"' \
	-DCONF_SAMPLE='"$(abs_top_srcdir)/../shared/reference/supervisor-docs/echo_supervisord_conf-output-4.2.5.conf"'
tests_check_conf_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_conf_LDADD = libpmconf.a libbus.a $(TEST_LIBS)
tests_conf_dump_SOURCES = tests/conf_dump.c
tests_conf_dump_LDADD = libpmconf.a libbus.a $(NANOMSG_LIBS) $(EV_LIBS)
EXTRA_DIST += tests/conf
