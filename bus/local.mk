# bus/: the event bus, its codec, and the shared log/alloc helpers.
noinst_LIBRARIES += libbus.a
libbus_a_SOURCES = bus/bus.h bus/bus_msgs.def bus/bus_int.h bus/bus.c \
	bus/bus_codec.c bus/bus_tick.c bus/log.h bus/log.c bus/signame.c bus/xmalloc.c \
	bus/bus_ring.c bus/bus_record.c
