/*
 * tap_replay.c: play a flight-recorder file back (README "Flight
 * recorder" has the format). To stdout, as tap prints live events, or to
 * an event listener command: tap then plays supervisord's part of the
 * protocol, waiting for READY, sending header and payload, reading
 * RESULT; an event the listener answers FAIL is sent again, up to
 * TAP_TRIES times. A jump in the recorded serials is printed as a gap
 * that cannot be recovered.
 */
#include "config.h"

#include <sys/wait.h>

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nvbus.h"
#include "tap.h"

#define TAP_TRIES	3

struct tap_listener {
	pid_t		 pid;
	FILE		*to;		/* its stdin */
	FILE		*from;		/* its stdout */
};

static int
tap_listener_start(struct tap_listener *t, char **cmd)
{
	int	 in[2], out[2];

	if (pipe(in) == -1 || pipe(out) == -1)
		return -1;
	if ((t->pid = fork()) == -1)
		return -1;
	if (t->pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		execvp(cmd[0], cmd);
		fprintf(stderr, "tap: %s: %s\n", cmd[0], strerror(errno));
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	t->to = fdopen(in[1], "w");
	t->from = fdopen(out[0], "r");
	signal(SIGPIPE, SIG_IGN);
	return t->to != NULL && t->from != NULL ? 0 : -1;
}

/* Wait for READY\n; -1 when the listener went away or said otherwise. */
static int
tap_listener_ready(struct tap_listener *t)
{
	char	 line[256];

	if (fgets(line, sizeof(line), t->from) == NULL)
		return -1;
	if (strcmp(line, "READY\n") != 0) {
		fprintf(stderr, "tap: the listener said %s", line);
		return -1;
	}
	return 0;
}

/* Send one event; 1 OK, 0 FAIL, -1 the listener broke. */
static int
tap_listener_send(struct tap_listener *t, const struct tap_opts *o,
    uint64_t poolserial, const struct nvbus_event *ev)
{
	char	*text, line[64], res[16];
	size_t	 len, n;

	if (tap_listener_ready(t) == -1)
		return -1;
	text = tap_listener_text(o, poolserial, ev, &len);
	n = fwrite(text, 1, len, t->to);
	free(text);
	if (n != len || fflush(t->to) == EOF)
		return -1;
	if (fgets(line, sizeof(line), t->from) == NULL ||
	    sscanf(line, "RESULT %zu", &n) != 1 || n >= sizeof(res) ||
	    fread(res, 1, n, t->from) != n)
		return -1;
	res[n] = '\0';
	return strcmp(res, "OK") == 0 ? 1 : 0;
}

/*
 * End of the file: close the listener's stdin and wait for it. Listeners
 * written for Supervisor often die of that EOF with an error: their exit
 * status says nothing about the replay, so it is not looked at.
 */
static void
tap_listener_end(struct tap_listener *t)
{
	int	 status;

	fclose(t->to);
	fclose(t->from);
	(void)waitpid(t->pid, &status, 0);
}

/* One record: "@TIME LEN\n", LEN bytes, "\n". 1, 0 at the end, -1. */
static int
tap_record_read(FILE *f, double *time, char **msg, size_t *len)
{
	char	 head[128];

	if (fgets(head, sizeof(head), f) == NULL)
		return 0;
	if (sscanf(head, "@%lf %zu", time, len) != 2 ||
	    (*msg = malloc(*len + 1)) == NULL)
		return -1;
	if (fread(*msg, 1, *len, f) != *len || fgetc(f) != '\n') {
		free(*msg);
		return -1;
	}
	(*msg)[*len] = '\0';
	return 1;
}

int
tap_replay(const struct tap_opts *o, const char *file, char **cmd)
{
	struct tap_listener	 t = { 0 };
	struct nvbus_event	 ev;
	FILE			*f;
	char			*msg, name[64];
	size_t			 len, nl;
	double			 time;
	uint64_t		 next = 0, poolserial = 0;
	int			 rc, tries, sent, status = 0;

	if (strcmp(file, "-") == 0)
		f = stdin;
	else if ((f = fopen(file, "r")) == NULL) {
		fprintf(stderr, "tap: %s: %s\n", file, strerror(errno));
		return 1;
	}
	if (cmd != NULL && tap_listener_start(&t, cmd) == -1) {
		fprintf(stderr, "tap: %s: %s\n", cmd[0], strerror(errno));
		return 1;
	}
	while ((rc = tap_record_read(f, &time, &msg, &len)) == 1) {
		if (nvbus_parse(msg, len, &ev) == -1) {
			fprintf(stderr, "tap: %s: not a bus message\n", file);
			free(msg);
			status = 1;
			break;
		}
		nl = strcspn(msg, " ");
		snprintf(name, sizeof(name), "%.*s", (int)nl, msg);
		ev.name = name;
		/* serials restart when supervisord does: not a gap */
		if (next != 0 && ev.serial > next)
			tap_print_lost(stdout, o, next, ev.serial - next);
		next = ev.serial + 1;
		if (tap_wanted(o, name)) {
			if (cmd == NULL)
				tap_print(stdout, o, poolserial++, &ev, time);
			else {
				tries = 0;
				do
					sent = tap_listener_send(&t, o,
					    poolserial, &ev);
				while (sent == 0 && ++tries < TAP_TRIES);
				poolserial++;
				if (sent == -1) {
					fprintf(stderr, "tap: the listener "
					    "stopped talking\n");
					status = 1;
					free(msg);
					break;
				}
				if (sent == 0)
					fprintf(stderr, "tap: serial %" PRIu64
					    ": the listener failed it %d "
					    "times\n", ev.serial, TAP_TRIES);
			}
		}
		free(msg);
	}
	if (rc == -1) {
		fprintf(stderr, "tap: %s: truncated or malformed record\n",
		    file);
		status = 1;
	}
	if (f != stdin)
		fclose(f);
	fflush(stdout);
	if (cmd != NULL)
		tap_listener_end(&t);
	return status;
}
