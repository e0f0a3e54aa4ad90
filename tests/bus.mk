# tests/bus.mk: the bus, its codec and its ticker.
check_PROGRAMS += tests/check_bus
TESTS += tests/check_bus
tests_check_bus_SOURCES = tests/check_bus.c
tests_check_bus_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_bus_LDADD = libbus.a $(TEST_LIBS)

# tests/check_ring: the catch-up ring, the fire drill mark, the recorder.
check_PROGRAMS += tests/check_ring
TESTS += tests/check_ring
tests_check_ring_SOURCES = tests/check_ring.c
tests_check_ring_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_ring_LDADD = libbus.a $(TEST_LIBS)
