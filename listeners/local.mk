# listeners/: event listener pools, fed by the bus.
noinst_LIBRARIES += liblisteners.a
liblisteners_a_SOURCES = listeners/lp.h listeners/lp_int.h \
	listeners/lp_pool.c listeners/lp_proto.c listeners/lp_event.c
