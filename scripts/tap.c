/*
 * tap: print nanovisor's bus events, never a gap without filling it or
 * saying it could not (built on libnvbus).
 *
 *	tap -b BUS_URL [-r RPC_URL] [options]	live
 *	tap --replay FILE [options] [-- LISTENER COMMAND...]
 *
 * Live, it starts with the events published after it connected (ask the
 * daemon for its serial first), or after --from SERIAL (0: all the ring
 * holds). With --replay it plays a flight-recorder file back, to stdout
 * or to an event listener command speaking Supervisor's protocol.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nvbus.h"
#include "tap.h"

static volatile sig_atomic_t	tap_quit;

static void
tap_usage(void)
{
	fprintf(stderr,
	    "usage: tap -b BUS_URL [-r RPC_URL] [-u USER:PASSWORD] "
	    "[-p PREFIX]... [-j]\n"
	    "           [--from SERIAL] [--until SERIAL] [--count N] "
	    "[--server NAME] [--stats]\n"
	    "       tap --replay FILE [-p PREFIX]... [-j] [-- COMMAND "
	    "[ARG...]]\n");
	exit(2);
}

static void
tap_on_signal(int sig)
{
	tap_quit = 1;
}

static uint64_t
tap_num(const char *s, const char *what)
{
	char			*end;
	unsigned long long	 v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || *s == '-') {
		fprintf(stderr, "tap: %s: not a number: %s\n", what, s);
		exit(2);
	}
	return v;
}

struct tap_live {
	const char	*bus, *rpc, *auth;
	bool		 have_from, have_until, stats;
	uint64_t	 from, until, count;
};

/*
 * --stats: print no event, only counts, when the bus goes quiet and at
 * exit. The serials are checked here again, apart from the library:
 * "unreported" counts serials that were neither handed out nor reported
 * lost, "repeated" those handed out or reported lost more than once (or
 * again after supervisord restarted); both must stay 0.
 */
struct tap_stats {
	uint64_t	 events, caught, lost, first, last, unreported;
	uint64_t	 repeated;
};

static void
tap_stats_feed(struct tap_stats *st, uint64_t from, uint64_t to, bool lost)
{
	if (st->first == 0)
		st->first = from;
	else if (from > st->last + 1)
		st->unreported += from - st->last - 1;
	else if (from <= st->last)
		st->repeated += (to < st->last ? to : st->last) - from + 1;
	if (lost)
		st->lost += to - from + 1;
	else
		st->events++;
	st->last = to;
}

static void
tap_stats_print(const struct tap_stats *st)
{
	printf("events:%" PRIu64 " lost:%" PRIu64 " first:%" PRIu64
	    " last:%" PRIu64 " unreported:%" PRIu64 " caught_up:%" PRIu64
	    " repeated:%" PRIu64 "\n", st->events, st->lost, st->first,
	    st->last, st->unreported, st->caught, st->repeated);
	fflush(stdout);
}

static int
tap_run(const struct tap_opts *o, const struct tap_live *l)
{
	struct nvbus		*b;
	struct nvbus_event	 ev;
	struct tap_stats	 st = { 0 };
	struct sigaction	 sa;
	char			 err[256], *user, *pw;
	uint64_t		 start, printed = 0;
	int			 rc;

	if ((b = nvbus_connect(l->bus, l->rpc, err, sizeof(err))) == NULL) {
		fprintf(stderr, "tap: %s\n", err);
		return 1;
	}
	if (l->auth != NULL && (user = strdup(l->auth)) != NULL) {
		if ((pw = strchr(user, ':')) != NULL)
			*pw++ = '\0';
		nvbus_auth(b, user, pw != NULL ? pw : "");
		free(user);
	}
	if (l->have_from)
		nvbus_start_after(b, l->from);
	else if (l->rpc != NULL) {
		if (nvbus_daemon_serial(b, &start) == -1) {
			fprintf(stderr, "tap: %s\n", nvbus_error(b));
			nvbus_close(b);
			return 1;
		}
		nvbus_start_after(b, start);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = tap_on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	rc = 0;
	while (!tap_quit) {
		switch (nvbus_next(b, 200, &ev)) {
		case NVBUS_EVENT:
			if (l->stats) {
				tap_stats_feed(&st, ev.serial, ev.serial,
				    false);
				st.caught += ev.caught_up;
			}
			else if (tap_wanted(o, ev.name))
				tap_print(stdout, o, printed++, &ev, -1);
			break;
		case NVBUS_LOST:
			if (l->stats)
				tap_stats_feed(&st, ev.lost_from, ev.serial,
				    true);
			else
				tap_print_lost(stdout, o, ev.lost_from,
				    ev.lost);
			break;
		case NVBUS_TIMEOUT:
			if (l->stats && st.first != 0)
				tap_stats_print(&st);
			fflush(stdout);
			break;
		default:
			fprintf(stderr, "tap: %s\n", nvbus_error(b));
			tap_quit = 1;
			rc = 1;
			break;
		}
		if ((l->have_until && nvbus_last_serial(b) >= l->until) ||
		    (l->count > 0 && printed >= l->count))
			break;
	}
	if (l->stats)
		tap_stats_print(&st);
	fflush(stdout);
	nvbus_close(b);
	return rc;
}

int
main(int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "bus", required_argument, NULL, 'b' },
		{ "rpc", required_argument, NULL, 'r' },
		{ "auth", required_argument, NULL, 'u' },
		{ "prefix", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ "from", required_argument, NULL, 'F' },
		{ "until", required_argument, NULL, 'U' },
		{ "count", required_argument, NULL, 'n' },
		{ "server", required_argument, NULL, 'S' },
		{ "replay", required_argument, NULL, 'R' },
		{ "stats", no_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct tap_opts	 o = { .server = "supervisor" };
	struct tap_live	 l = { 0 };
	const char	*replay = NULL;
	int		 c;

	while ((c = getopt_long(argc, argv, "+b:r:u:p:jn:", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'b':
			l.bus = optarg;
			break;
		case 'r':
			l.rpc = optarg;
			break;
		case 'u':
			l.auth = optarg;
			break;
		case 'p':
			o.prefix = realloc(o.prefix, (o.nprefix + 1) *
			    sizeof(*o.prefix));
			if (o.prefix == NULL)
				return 1;
			o.prefix[o.nprefix++] = optarg;
			break;
		case 'j':
			o.json = true;
			break;
		case 'F':
			l.have_from = true;
			l.from = tap_num(optarg, "--from");
			break;
		case 'U':
			l.have_until = true;
			l.until = tap_num(optarg, "--until");
			break;
		case 'n':
			l.count = tap_num(optarg, "--count");
			break;
		case 'S':
			o.server = optarg;
			break;
		case 'R':
			replay = optarg;
			break;
		case 'T':
			l.stats = true;
			break;
		default:
			tap_usage();
		}
	}
	/* big writes: a burst is printed in few system calls */
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	if (replay != NULL)
		c = tap_replay(&o, replay, optind < argc ? argv + optind :
		    NULL);
	else if (l.bus == NULL || optind != argc)
		tap_usage();
	else
		c = tap_run(&o, &l);
	free(o.prefix);
	return c;
}
