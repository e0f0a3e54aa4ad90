# logger/: main log and child logs, fed by the bus.
noinst_LIBRARIES += liblogger.a
liblogger_a_SOURCES = logger/logger.h logger/logger_int.h logger/logger.c \
	logger/logger_file.c logger/logger_main.c logger/logger_child.c \
	logger/logger_syslog.h logger/logger_syslog.c
