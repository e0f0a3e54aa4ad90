/*
 * tap.h: shared by tap.c (live), tap_out.c (printing) and tap_replay.c.
 */
#ifndef TAP_H
#define TAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct nvbus_event;

struct tap_opts {
	bool		 json;
	const char	*server;	/* listener header "server:" */
	char		**prefix;
	size_t		 nprefix;
};

/* tap_out.c */
bool	 tap_wanted(const struct tap_opts *, const char *name);
/* The listener serialization: header line, then the payload. */
char	*tap_listener_text(const struct tap_opts *, uint64_t poolserial,
	    const struct nvbus_event *, size_t *lenp);
/* time < 0: none (live). */
void	 tap_print(FILE *, const struct tap_opts *, uint64_t poolserial,
	    const struct nvbus_event *, double time);
void	 tap_print_lost(FILE *, const struct tap_opts *, uint64_t from,
	    uint64_t n);

/* tap_replay.c */
int	 tap_replay(const struct tap_opts *, const char *file, char **cmd);

#endif
