# tests/pm.mk: procmgr runtime tests.
# check_fsm: the state machine with fake pids and a recording bus.
check_PROGRAMS += tests/check_fsm
TESTS += tests/check_fsm
tests_check_fsm_SOURCES = tests/check_fsm.c tests/stubs_bus.c \
	tests/stubs_spawn.c procmgr/pm.c procmgr/pm_fsm.c procmgr/pm_group.c \
	bus/log.c bus/signame.c bus/xmalloc.c
tests_check_fsm_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_fsm_LDADD = $(TEST_LIBS)

# check_spawn: real children, the real loop, spawn and pipes.
check_PROGRAMS += tests/check_spawn
TESTS += tests/check_spawn
tests_check_spawn_SOURCES = tests/check_spawn.c
tests_check_spawn_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_spawn_LDADD = libprocmgr.a libpmconf.a libbus.a $(TEST_LIBS)
