/*
 * logger_syslog.h: syslog for the logger without <syslog.h>'s names.
 */
#ifndef NV_LOGGER_SYSLOG_H
#define NV_LOGGER_SYSLOG_H

#include <stddef.h>

/* syslog("<head><first len bytes of s>"). */
void	 logger_syslog_send(const char *head, const char *s, size_t len);

#endif
