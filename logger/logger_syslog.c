/*
 * logger_syslog.c: the only file that includes <syslog.h>, whose LOG_INFO
 * and friends collide with log.h's level names.
 */
#include "config.h"

#include <stddef.h>
#include <syslog.h>

#include "logger_syslog.h"

/* One message, facility user, priority info, as 4.2.5 sends them. */
void
logger_syslog_send(const char *head, const char *s, size_t len)
{
	syslog(LOG_USER | LOG_INFO, "%s%.*s", head, (int)len, s);
}
