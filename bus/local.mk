# bus/: the event bus, its codec, and the shared log/alloc helpers.
noinst_LIBRARIES += libbus.a
libbus_a_SOURCES = bus/bus.h bus/bus_msgs.def bus/bus_int.h bus/bus.c \
	bus/bus_codec.c bus/bus_tick.c bus/log.h bus/log.c bus/signame.c bus/xmalloc.c \
	bus/bus_ring.c bus/bus_record.c bus/bus_ext.c

# libnvbus: the bus client for programs outside supervisord, installed
# with its header and a pkg-config file.
lib_LIBRARIES = libnvbus.a
libnvbus_a_SOURCES = bus/nvbus.h bus/nvbus_int.h bus/nvbus.c bus/nvbus_rpc.c
libnvbus_a_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS)
include_HEADERS = bus/nvbus.h
pkgconfigdir = $(libdir)/pkgconfig
pkgconfig_DATA = bus/nvbus.pc
EXTRA_DIST += bus/nvbus.pc.in
