# rpc/methods.mk: the XML-RPC codec and Supervisor 4.2.5's methods
# (included by rpc/local.mk).
librpc_a_SOURCES += rpc/rpc_faults.def rpc/rpc_help.def \
	rpc/rpc_methods_int.h rpc/rpc_values.c rpc/rpc_xml.c \
	rpc/rpc_methods.c rpc/rpc_methods_proc.c rpc/rpc_methods_log.c
librpc_a_SOURCES += rpc/rpc_methods_nv.c
