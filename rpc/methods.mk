librpc_a_SOURCES +=
