/*
 * check_bus.c: the bus message table, the codec, delivery inside one
 * process, the external endpoint and the ticker.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ev.h>
#include <nanomsg/nn.h>
#include <nanomsg/pubsub.h>

#include "bus.h"
#include "bus_int.h"

#define BURST		100000

static struct ev_loop	*loop;
static struct bus	*bus;

static void
bus_setup(void)
{
	loop = ev_loop_new(EVFLAG_AUTO);
	ck_assert_ptr_nonnull(loop);
	bus = bus_open(loop);
	ck_assert_ptr_nonnull(bus);
}

static void
bus_teardown(void)
{
	bus_close(bus);
	bus = NULL;
	ev_loop_destroy(loop);
	loop = NULL;
}

static void
wake_cb(struct ev_loop *l, ev_timer *w, int revents)
{
}

/* Run the loop until done(arg) holds, or fail after secs seconds. */
static void
run_until(int (*done)(void *), void *arg, double secs)
{
	ev_timer	 wake;
	double		 deadline = ev_time() + secs;

	ev_timer_init(&wake, wake_cb, 0.05, 0.05);
	ev_timer_start(loop, &wake);
	while (!done(arg) && ev_time() < deadline)
		ev_run(loop, EVRUN_ONCE);
	ev_timer_stop(loop, &wake);
	ck_assert_msg(done(arg), "condition not met within %.0f s", secs);
}

/*
 * The table.
 */

START_TEST(event_names_are_unique_and_none_is_a_prefix_of_another)
{
	int	 i, j;

	for (i = 0; i < BUS_NTYPES; i++)
		for (j = 0; j < BUS_NTYPES; j++) {
			if (i == j)
				continue;
			ck_assert_str_ne(bus_type_name(i), bus_type_name(j));
			ck_assert_msg(strncmp(bus_type_name(i),
			    bus_type_name(j), strlen(bus_type_name(i))) != 0,
			    "%s is a prefix of %s", bus_type_name(i),
			    bus_type_name(j));
		}
}
END_TEST

START_TEST(name_to_type_to_name_is_the_identity)
{
	enum bus_type	 t;
	int		 i;

	for (i = 0; i < BUS_NTYPES; i++) {
		ck_assert_int_eq(bus_type_from_name(bus_type_name(i), &t), 0);
		ck_assert_int_eq(t, i);
	}
	ck_assert_int_eq(bus_type_from_name("PROCESS_STATE", &t), -1);
	ck_assert_int_eq(bus_type_from_name("TICK_50", &t), -1);
	ck_assert_int_eq(bus_type_from_name("", &t), -1);
	ck_assert_ptr_null(bus_type_name(BUS_NTYPES));
}
END_TEST

START_TEST(process_state_rows_follow_pm_states_order)
{
	static const char *const names[] = {
#define PM_STATE(name, code)	"PROCESS_STATE_" #name,
#include "pm_states.def"
#undef PM_STATE
	};
	size_t	 i;

	ck_assert_uint_eq(sizeof(names) / sizeof(names[0]), 8);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		ck_assert_str_eq(bus_type_name(BUS_PROCESS_STATE_STOPPED + i),
		    names[i]);
}
END_TEST

/*
 * The codec: payloads byte for byte as 4.2.5's events.py writes them.
 */

#define P_NAMES		.processname = "cat", .groupname = "grp"
#define ROW(id, lit, ...)						\
	{ { .type = BUS_##id, .startsecs = -1, __VA_ARGS__ },		\
	    lit, sizeof(lit) - 1 }

static const struct codec_row {
	struct bus_event	 ev;
	const char		*payload;
	size_t			 payloadlen;
} codec_rows[] = {
	ROW(PROCESS_STATE_STOPPED,
	    "processname:cat groupname:grp from_state:STOPPING pid:1234",
	    P_NAMES, .from_state = "STOPPING", .pid = 1234),
	ROW(PROCESS_STATE_STARTING,
	    "processname:cat groupname:grp from_state:BACKOFF tries:2",
	    P_NAMES, .from_state = "BACKOFF", .tries = 2),
	ROW(PROCESS_STATE_RUNNING,
	    "processname:cat groupname:grp from_state:STARTING pid:1234",
	    P_NAMES, .from_state = "STARTING", .pid = 1234),
	ROW(PROCESS_STATE_BACKOFF,
	    "processname:cat groupname:grp from_state:STARTING tries:1",
	    P_NAMES, .from_state = "STARTING", .tries = 1),
	ROW(PROCESS_STATE_STOPPING,
	    "processname:cat groupname:grp from_state:RUNNING pid:1234",
	    P_NAMES, .from_state = "RUNNING", .pid = 1234),
	ROW(PROCESS_STATE_EXITED,
	    "processname:cat groupname:grp from_state:RUNNING expected:0 "
	    "pid:1234",
	    P_NAMES, .from_state = "RUNNING", .pid = 1234),
	ROW(PROCESS_STATE_FATAL,
	    "processname:cat groupname:grp from_state:BACKOFF",
	    P_NAMES, .from_state = "BACKOFF"),
	ROW(PROCESS_STATE_UNKNOWN,
	    "processname:cat groupname:grp from_state:RUNNING",
	    P_NAMES, .from_state = "RUNNING"),
	ROW(PROCESS_LOG_STDOUT,
	    "processname:cat groupname:grp pid:1234 channel:stdout\nhello\n",
	    P_NAMES, .pid = 1234, .data = "hello\n", .datalen = 6),
	ROW(PROCESS_LOG_STDERR,
	    "processname:cat groupname:grp pid:1234 channel:stderr\na\0b\nc",
	    P_NAMES, .pid = 1234, .data = "a\0b\nc", .datalen = 5),
	ROW(PROCESS_COMMUNICATION_STDOUT,
	    "processname:cat groupname:grp pid:1234\nx y\n",
	    P_NAMES, .pid = 1234, .data = "x y\n", .datalen = 4),
	ROW(PROCESS_COMMUNICATION_STDERR,
	    "processname:cat groupname:grp pid:77\n<x/>",
	    P_NAMES, .pid = 77, .data = "<x/>", .datalen = 4),
	ROW(REMOTE_COMMUNICATION, "type:t\nd\n",
	    .comm_type = "t", .data = "d\n", .datalen = 2),
	ROW(SUPERVISOR_STATE_CHANGE_RUNNING, ""),
	ROW(SUPERVISOR_STATE_CHANGE_STOPPING, ""),
	ROW(TICK_5, "when:1795514330", .when = 1795514330),
	ROW(TICK_60, "when:1795514400", .when = 1795514400),
	ROW(TICK_3600, "when:1795514400", .when = 1795514400),
	ROW(PROCESS_GROUP_ADDED, "groupname:grp\n", .groupname = "grp"),
	ROW(PROCESS_GROUP_REMOVED, "groupname:grp\n", .groupname = "grp"),
};
#define NROWS	(sizeof(codec_rows) / sizeof(codec_rows[0]))

static void
assert_str_same(const char *got, const char *want)
{
	if (want == NULL)
		ck_assert_ptr_null(got);
	else {
		ck_assert_ptr_nonnull(got);
		ck_assert_str_eq(got, want);
	}
}

/* Every field a codec carries comes back as it went in. */
static void
assert_event_same(const struct bus_event *got, const struct bus_event *want)
{
	ck_assert_int_eq(got->type, want->type);
	assert_str_same(got->processname, want->processname);
	assert_str_same(got->groupname, want->groupname);
	assert_str_same(got->from_state, want->from_state);
	assert_str_same(got->comm_type, want->comm_type);
	assert_str_same(got->spawnerr, want->spawnerr);
	ck_assert_int_eq(got->pid, want->pid);
	ck_assert_int_eq(got->tries, want->tries);
	ck_assert_int_eq(got->expected, want->expected);
	ck_assert_int_eq(got->exitstatus, want->exitstatus);
	ck_assert_int_eq(got->termsig, want->termsig);
	ck_assert_int_eq(got->core, want->core);
	ck_assert_int_eq(got->reaped, want->reaped);
	ck_assert_int_eq(got->startsecs, want->startsecs);
	ck_assert_int_eq(got->gave_up, want->gave_up);
	ck_assert_int_eq(got->events_enabled, want->events_enabled);
	ck_assert_int_eq(got->when, want->when);
	ck_assert_uint_eq(got->datalen, want->datalen);
	if (want->datalen > 0)
		ck_assert_mem_eq(got->data, want->data, want->datalen);
}

START_TEST(every_type_has_a_row_in_the_payload_table)
{
	unsigned long	 seen = 0;
	size_t		 i;

	for (i = 0; i < NROWS; i++)
		seen |= 1UL << codec_rows[i].ev.type;
	ck_assert_uint_eq(seen, (1UL << BUS_NTYPES) - 1);
}
END_TEST

START_TEST(payload_is_byte_exact_and_the_event_round_trips)
{
	const struct codec_row	*row = &codec_rows[_i];
	struct bus_event	 ev;
	char			*msg, head[128];
	size_t			 len;

	msg = bus_encode(&row->ev, 42, &len);
	ck_assert_uint_ge(len, row->payloadlen);
	ck_assert_mem_eq(msg + len - row->payloadlen, row->payload,
	    row->payloadlen);
	snprintf(head, sizeof(head), "%s nv:1 serial:42 ",
	    bus_type_name(row->ev.type));
	ck_assert_int_eq(strncmp(msg, head, strlen(head)), 0);
	snprintf(head, sizeof(head), " len:%zu\n", row->payloadlen);
	ck_assert_mem_eq(msg + len - row->payloadlen - strlen(head), head,
	    strlen(head));

	ck_assert_int_eq(bus_decode(msg, len, &ev), 0);
	ck_assert_uint_eq(ev.serial, 42);
	assert_event_same(&ev, &row->ev);
	ck_assert_uint_eq(ev.payloadlen, row->payloadlen);
	ck_assert_mem_eq(ev.payload, row->payload, row->payloadlen);
	free(msg);
}
END_TEST

START_TEST(a_running_event_encodes_to_the_documented_message)
{
	struct bus_event	 ev = BUS_EVENT_ZERO;
	static const char	 want[] =
	    "PROCESS_STATE_RUNNING nv:1 serial:7 process:cat group:grp "
	    "startsecs:1 len:58\n"
	    "processname:cat groupname:grp from_state:STARTING pid:1234";
	char			*msg;
	size_t			 len;

	ev.type = BUS_PROCESS_STATE_RUNNING;
	ev.processname = "cat";
	ev.groupname = "grp";
	ev.from_state = "STARTING";
	ev.pid = 1234;
	ev.startsecs = 1;
	msg = bus_encode(&ev, 7, &len);
	ck_assert_uint_eq(len, sizeof(want) - 1);
	ck_assert_str_eq(msg, want);
	free(msg);
}
END_TEST

static int	unsub_seen;

static void
unsub_self_cb(const struct bus_event *ev, void *arg)
{
	unsub_seen++;
	bus_unsubscribe(arg, unsub_self_cb, arg);
}

START_TEST(an_unsubscribed_handler_is_not_called_again)
{
	struct ev_loop		*loop = ev_default_loop(0);
	struct bus		*b;
	struct bus_event	 ev = BUS_EVENT_ZERO;

	ck_assert_ptr_nonnull(b = bus_open(loop));
	unsub_seen = 0;
	ck_assert_int_eq(bus_subscribe(b, "TICK_", unsub_self_cb, b), 0);
	ev.type = BUS_TICK_5;
	ev.when = 5;
	bus_publish(b, &ev);
	bus_publish(b, &ev);
	bus_publish(b, &ev);
	bus_drain(b);
	/* it left from inside its first call: the other two never came */
	ck_assert_int_eq(unsub_seen, 1);
	unsub_seen = 0;
	ck_assert_int_eq(bus_subscribe(b, "TICK_", unsub_self_cb, NULL), 0);
	bus_unsubscribe(b, unsub_self_cb, NULL);
	bus_publish(b, &ev);
	bus_drain(b);
	ck_assert_int_eq(unsub_seen, 0);
	bus_close(b);
}
END_TEST

START_TEST(a_starting_event_carries_the_new_pid_in_its_header)
{
	struct bus_event	 ev = BUS_EVENT_ZERO, got;
	static const char	 want[] =
	    "PROCESS_STATE_STARTING nv:1 serial:3 process:cat group:grp "
	    "pid:4321 len:56\n"
	    "processname:cat groupname:grp from_state:STOPPED tries:0";
	char			*msg;
	size_t			 len;

	ev.type = BUS_PROCESS_STATE_STARTING;
	ev.processname = "cat";
	ev.groupname = "grp";
	ev.from_state = "STOPPED";
	ev.pid = 4321;
	msg = bus_encode(&ev, 3, &len);
	ck_assert_str_eq(msg, want);
	ck_assert_int_eq(bus_decode(msg, len, &got), 0);
	ck_assert_int_eq(got.pid, 4321);
	ck_assert_int_eq(got.tries, 0);
	free(msg);
}
END_TEST

/* Decode a private copy, so the original stays comparable. */
static int
decode_copy(const char *msg, size_t len, struct bus_event *ev, char **copyp)
{
	*copyp = malloc(len > 0 ? len : 1);
	ck_assert_ptr_nonnull(*copyp);
	memcpy(*copyp, msg, len);
	return bus_decode(*copyp, len, ev);
}

START_TEST(extras_for_the_main_log_round_trip_in_the_header)
{
	struct bus_event	 ev = BUS_EVENT_ZERO, got;
	char			*msg, *copy;
	size_t			 len;

	ev.type = BUS_PROCESS_STATE_STOPPED;
	ev.processname = "caf\xc3\xa9%1";
	ev.groupname = "g";
	ev.from_state = "STOPPING";
	ev.pid = 99;
	ev.expected = 1;
	ev.reaped = true;
	ev.exitstatus = -1;
	ev.termsig = 9;
	ev.core = true;
	ev.startsecs = 0;
	ev.spawnerr = "can't find command '/x y'\n100%\t\x7f";
	ev.gave_up = true;
	msg = bus_encode(&ev, 3, &len);
	ck_assert_ptr_nonnull(strstr(msg, " expected:1 reaped:1 "
	    "exitstatus:-1 termsig:9 core:1 startsecs:0 spawnerr:can't%20"
	    "find%20command%20'/x%20y'%0A100%25%09%7F gaveup:1 len:"));
	ck_assert_ptr_nonnull(strstr(msg, "\nprocessname:caf\xc3\xa9%1 "
	    "groupname:g from_state:STOPPING pid:99"));
	ck_assert_int_eq(decode_copy(msg, len, &got, &copy), 0);
	assert_event_same(&got, &ev);
	free(copy);
	free(msg);
}
END_TEST

START_TEST(absent_extras_decode_to_their_defaults)
{
	struct bus_event	 ev = BUS_EVENT_ZERO, got;
	char			*msg, *copy;
	size_t			 len;

	ev.type = BUS_PROCESS_STATE_FATAL;
	ev.processname = "p";
	ev.groupname = "g";
	ev.from_state = "BACKOFF";
	msg = bus_encode(&ev, 1, &len);
	ck_assert_str_eq(msg, "PROCESS_STATE_FATAL nv:1 serial:1 process:p "
	    "group:g len:44\nprocessname:p groupname:g from_state:BACKOFF");
	ck_assert_int_eq(decode_copy(msg, len, &got, &copy), 0);
	ck_assert_int_eq(got.startsecs, -1);
	ck_assert_int_eq(got.exitstatus, 0);
	ck_assert_ptr_null(got.spawnerr);
	ck_assert(!got.reaped && !got.gave_up && !got.core);
	free(copy);
	free(msg);
}
END_TEST

START_TEST(log_events_carry_the_events_enabled_flag)
{
	struct bus_event	 ev = BUS_EVENT_ZERO, got;
	char			*msg, *copy;
	size_t			 len;

	ev.type = BUS_PROCESS_LOG_STDOUT;
	ev.processname = "p";
	ev.groupname = "g";
	ev.pid = 5;
	ev.data = "\n\n";
	ev.datalen = 2;
	ev.events_enabled = true;
	msg = bus_encode(&ev, 1, &len);
	ck_assert_ptr_nonnull(strstr(msg, " events:1 len:"));
	ck_assert_int_eq(decode_copy(msg, len, &got, &copy), 0);
	ck_assert(got.events_enabled);
	ck_assert_uint_eq(got.datalen, 2);
	free(copy);
	free(msg);
}
END_TEST

START_TEST(a_large_log_chunk_round_trips_without_change)
{
	struct bus_event	 ev = BUS_EVENT_ZERO, got;
	char			*msg, *data, *copy;
	size_t			 len, i, n = 128 * 1024;

	data = malloc(n);
	ck_assert_ptr_nonnull(data);
	for (i = 0; i < n; i++)
		data[i] = (char)(i * 7 + i / 251);
	ev.type = BUS_PROCESS_LOG_STDERR;
	ev.processname = "p";
	ev.groupname = "g";
	ev.pid = 5;
	ev.data = data;
	ev.datalen = n;
	msg = bus_encode(&ev, 1, &len);
	ck_assert_int_eq(decode_copy(msg, len, &got, &copy), 0);
	ck_assert_uint_eq(got.datalen, n);
	ck_assert_mem_eq(got.data, data, n);
	free(copy);
	free(msg);
	free(data);
}
END_TEST

/*
 * Strictness: what the decoder refuses.
 */

/*
 * RAW rows are whole messages. HP rows are a header without its len token
 * and a payload; the test appends the right "len:L", so each row fails
 * for the reason it names and not for a miscounted length.
 */
#define RAW(s)		{ s, sizeof(s) - 1, NULL, 0 }
#define HP(h, p)	{ h, sizeof(h) - 1, p, sizeof(p) - 1 }
static const struct {
	const char	*msg;
	size_t		 len;
	const char	*payload;
	size_t		 payloadlen;
} bad_msgs[] = {
	RAW(""),
	RAW("TICK_5 nv:1 serial:1 len:15"),
	RAW("TICK_5 nv:1 serial:1 len:14\nwhen:1795514330"),
	RAW("TICK_5 nv:1 serial:1 len:16\nwhen:1795514330"),
	RAW("TICK_5 nv:1 serial:1 len:\nwhen:1795514330"),
	RAW("TICK_5 nv:1 serial:1 len:015\nwhen:1795514330"),
	RAW("TICK_5 nv:1 serial:1\nwhen:1795514330"),
	RAW("TICK_5 nv:1 serial:1 len:15 x:1\nwhen:1795514330"),
	HP("NOPE nv:1 serial:1", ""),
	HP("TICK_5 nv:2 serial:1", "when:1795514330"),
	HP("TICK_5 serial:1", "when:1795514330"),
	HP("TICK_5 nv:1", "when:1795514330"),
	HP("TICK_5 nv:1 serial:x", "when:1795514330"),
	HP("TICK_5 nv:1 serial:01", "when:1795514330"),
	HP("TICK_5 nv:1 serial:18446744073709551616", "when:1795514330"),
	HP("TICK_5 nv:1 serial:1 ", "when:1795514330"),
	HP("TICK_5 nv:1 serial:1 bogus", "when:1795514330"),
	HP("TICK_5 nv:1 serial:1 :x", "when:1795514330"),
	HP("TICK_5 nv:1 serial:1", "when:17955x4330"),
	HP("TICK_5 nv:1 serial:1", "when:"),
	HP("TICK_5 nv:1 serial:1", "when:-"),
	HP("TICK_5 nv:1 serial:1", "when:-0"),
	HP("TICK_5 nv:1 serial:1", "when:01795514330"),
	HP("TICK_5 nv:1 serial:1", "when:1795514330 x"),
	HP("TICK_5 nv:1 serial:1", "when:99999999999999999999"),
	HP("PROCESS_STATE_FATAL nv:1 serial:1 group:g",
	    "processname:p groupname:g from_state:BACKOFF"),
	HP("PROCESS_STATE_FATAL nv:1 serial:1 process:q group:g",
	    "processname:p groupname:g from_state:BACKOFF"),
	HP("PROCESS_STATE_FATAL nv:1 serial:1 process:p group:g",
	    "processname:p groupname:g from_state:SLEEPING"),
	HP("PROCESS_STATE_FATAL nv:1 serial:1 process:p group:g",
	    "processname:p groupname:g from_state:BACKOFF tries:1"),
	HP("PROCESS_STATE_STARTING nv:1 serial:1 process:p group:g",
	    "processname:p groupname:g from_state:BACKOFF"),
	HP("PROCESS_STATE_EXITED nv:1 serial:1 process:p group:g",
	    "processname:p groupname:g from_state:RUNNING expected:2 pid:1"),
	HP("PROCESS_STATE_EXITED nv:1 serial:1 process:p group:g",
	    "processname:p groupname:g from_state:RUNNING pid:1"),
	HP("PROCESS_STATE_RUNNING nv:1 serial:1 process:p group:g",
	    "processname:p groupname:g from_state:STARTING pid:-1"),
	HP("PROCESS_STATE_RUNNING nv:1 serial:1 process:p group:g",
	    "processname:p groupname:g from_state:STARTING pid:"),
	HP("PROCESS_STATE_RUNNING nv:1 serial:1 process:p group:g",
	    "processname:p groupname:g from_state:STARTING pid:2147483648"),
	HP("PROCESS_STATE_FATAL nv:1 serial:1 process:p group:g startsecs:-1",
	    "processname:p groupname:g from_state:BACKOFF"),
	HP("PROCESS_STATE_FATAL nv:1 serial:1 process:p group:g exitstatus:abc",
	    "processname:p groupname:g from_state:BACKOFF"),
	HP("PROCESS_STATE_FATAL nv:1 serial:1 process:p group:g core:2",
	    "processname:p groupname:g from_state:BACKOFF"),
	HP("PROCESS_STATE_FATAL nv:1 serial:1 process:p group:g spawnerr:%4",
	    "processname:p groupname:g from_state:BACKOFF"),
	HP("PROCESS_STATE_FATAL nv:1 serial:1 process:p group:g spawnerr:%zz",
	    "processname:p groupname:g from_state:BACKOFF"),
	HP("PROCESS_STATE_FATAL nv:1 serial:1 process:p group:g spawnerr:%00",
	    "processname:p groupname:g from_state:BACKOFF"),
	HP("PROCESS_STATE_FATAL nv:1 serial:1 process:p group:g spawnerr:a\001",
	    "processname:p groupname:g from_state:BACKOFF"),
	HP("PROCESS_STATE_FATAL nv:1 serial:1 process:p\0 group:g",
	    "processname:p groupname:g from_state:BACKOFF"),
	HP("SUPERVISOR_STATE_CHANGE_RUNNING nv:1 serial:1", "x"),
	HP("PROCESS_GROUP_ADDED nv:1 serial:1 group:g", "groupname:g"),
	HP("PROCESS_GROUP_ADDED nv:1 serial:1", "groupname:g\n"),
	HP("PROCESS_LOG_STDOUT nv:1 serial:1 process:p group:g",
	    "processname:p groupname:g pid:1 channel:stderr\nx"),
	HP("PROCESS_LOG_STDOUT nv:1 serial:1 process:p group:g",
	    "processname:p groupname:g pid:1 channel:stdoutx"),
	HP("PROCESS_LOG_STDOUT nv:1 serial:1 process:p group:g events:yes",
	    "processname:p groupname:g pid:1 channel:stdout\nx"),
	HP("PROCESS_COMMUNICATION_STDOUT nv:1 serial:1 process:p group:g",
	    "processname:p groupname:g pid:1"),
	HP("REMOTE_COMMUNICATION nv:1 serial:1", "type:t\nd"),
	HP("REMOTE_COMMUNICATION nv:1 serial:1 type:u", "type:t\nd"),
};

/* The message a row stands for, malloc'd to its exact size. */
static char *
bad_msg_build(size_t i, size_t *lenp)
{
	char	 lentok[32];
	char	*m;
	size_t	 n;

	if (bad_msgs[i].payload == NULL) {
		*lenp = bad_msgs[i].len;
		m = malloc(*lenp > 0 ? *lenp : 1);
		ck_assert_ptr_nonnull(m);
		memcpy(m, bad_msgs[i].msg, *lenp);
		return m;
	}
	n = snprintf(lentok, sizeof(lentok), " len:%zu\n",
	    bad_msgs[i].payloadlen);
	*lenp = bad_msgs[i].len + n + bad_msgs[i].payloadlen;
	m = malloc(*lenp);
	ck_assert_ptr_nonnull(m);
	memcpy(m, bad_msgs[i].msg, bad_msgs[i].len);
	memcpy(m + bad_msgs[i].len, lentok, n);
	memcpy(m + bad_msgs[i].len + n, bad_msgs[i].payload,
	    bad_msgs[i].payloadlen);
	return m;
}

START_TEST(malformed_message_is_rejected)
{
	struct bus_event	 ev;
	char			*m;
	size_t			 len;

	m = bad_msg_build(_i, &len);
	ck_assert_msg(bus_decode(m, len, &ev) == -1, "accepted row %d: %s",
	    _i, bad_msgs[_i].msg);
	free(m);
}
END_TEST

START_TEST(the_well_formed_original_of_the_rejected_rows_decodes)
{
	static const char	 hdr[] =
	    "PROCESS_STATE_FATAL nv:1 serial:1 process:p group:g";
	static const char	 pay[] =
	    "processname:p groupname:g from_state:BACKOFF";
	struct bus_event	 ev;
	char			 m[256];
	int			 n;

	/* The well-formed original the process/state rows are mutated from. */
	n = snprintf(m, sizeof(m), "%s len:%zu\n%s", hdr, sizeof(pay) - 1,
	    pay);
	ck_assert_int_eq(bus_decode(m, n, &ev), 0);
	ck_assert_str_eq(ev.from_state, "BACKOFF");
}
END_TEST

START_TEST(unknown_well_formed_tokens_are_ignored)
{
	static const char	 msg[] = "TICK_5 nv:1 serial:9 future:%zz%20 "
	    "x:y:z len:15\nwhen:1795514330";
	struct bus_event	 ev;
	char			*copy;

	ck_assert_int_eq(decode_copy(msg, sizeof(msg) - 1, &ev, &copy), 0);
	ck_assert_int_eq(ev.type, BUS_TICK_5);
	ck_assert_uint_eq(ev.serial, 9);
	ck_assert_int_eq(ev.when, 1795514330);
	free(copy);
}
END_TEST

START_TEST(negative_tick_times_and_exit_statuses_decode)
{
	static const char	 msg[] = "TICK_5 nv:1 serial:9 len:7\nwhen:-5";
	struct bus_event	 ev;
	char			*copy;

	ck_assert_int_eq(decode_copy(msg, sizeof(msg) - 1, &ev, &copy), 0);
	ck_assert_int_eq(ev.when, -5);
	free(copy);
}
END_TEST

static uint32_t	 fuzz_state = 2463534242u;

static uint32_t
fuzz_next(void)
{
	fuzz_state ^= fuzz_state << 13;
	fuzz_state ^= fuzz_state >> 17;
	fuzz_state ^= fuzz_state << 5;
	return fuzz_state;
}

/*
 * Whatever the decoder accepts must be self-consistent: the payload is the
 * message's tail, and encoding the decoded event gives the same payload.
 */
static void
fuzz_one(const char *msg, size_t len)
{
	struct bus_event	 ev;
	char			*copy, *again;
	size_t			 againlen;

	if (decode_copy(msg, len, &ev, &copy) == 0) {
		ck_assert_ptr_eq(ev.payload, copy + len - ev.payloadlen);
		again = bus_encode(&ev, ev.serial, &againlen);
		ck_assert_uint_ge(againlen, ev.payloadlen);
		ck_assert_mem_eq(again + againlen - ev.payloadlen,
		    msg + len - ev.payloadlen, ev.payloadlen);
		free(again);
	}
	free(copy);
}

START_TEST(mutated_and_random_messages_never_crash_the_decoder)
{
	char	*msg, *mut;
	size_t	 i, len, k, n, pos;

	for (i = 0; i < NROWS; i++) {
		msg = bus_encode(&codec_rows[i].ev, 1, &len);
		mut = malloc(len);
		ck_assert_ptr_nonnull(mut);
		for (k = 0; k < 2000; k++) {
			memcpy(mut, msg, len);
			for (n = fuzz_next() % 3 + 1; n > 0; n--) {
				pos = fuzz_next() % len;
				mut[pos] = (char)fuzz_next();
			}
			fuzz_one(mut, k % 4 == 0 ? fuzz_next() % len : len);
		}
		free(mut);
		free(msg);
	}
	mut = malloc(300);
	ck_assert_ptr_nonnull(mut);
	for (k = 0; k < 20000; k++) {
		len = fuzz_next() % 300;
		for (i = 0; i < len; i++)
			mut[i] = (char)fuzz_next();
		fuzz_one(mut, len);
	}
	free(mut);
}
END_TEST

/*
 * Delivery inside one process.
 */

/* What one subscriber saw, against the serials it should see. */
struct rec {
	const char	*prefix;
	uint64_t	*want;		/* serials, in order */
	size_t		 nwant;
	size_t		 n;
	size_t		 bad;		/* wrong serial or outside prefix */
	unsigned long	 types;		/* bit per type seen */
	struct bus	*republish;	/* publish a TICK_60 on each event */
};

static void
rec_init(struct rec *r, const char *prefix, size_t cap)
{
	memset(r, 0, sizeof(*r));
	r->prefix = prefix;
	r->want = calloc(cap > 0 ? cap : 1, sizeof(*r->want));
	ck_assert_ptr_nonnull(r->want);
}

static int
rec_matches(const struct rec *r, enum bus_type t)
{
	return strncmp(bus_type_name(t), r->prefix, strlen(r->prefix)) == 0;
}

static void
rec_handler(const struct bus_event *ev, void *arg)
{
	struct rec		*r = arg;
	struct bus_event	 t60 = BUS_EVENT_ZERO;

	if (r->n >= r->nwant || ev->serial != r->want[r->n] ||
	    !rec_matches(r, ev->type))
		r->bad++;
	r->types |= 1UL << ev->type;
	r->n++;
	if (r->republish != NULL) {
		t60.type = BUS_TICK_60;
		t60.when = 60;
		bus_publish(r->republish, &t60);
	}
}

static int
rec_done(void *arg)
{
	struct rec	*r = arg;

	return r->n >= r->nwant;
}

static struct rec	*recs_all;
static size_t		 recs_n;

static int
recs_done(void *arg)
{
	size_t	 i;

	for (i = 0; i < recs_n; i++)
		if (!rec_done(&recs_all[i]))
			return 0;
	return 1;
}

/* Fill an event of type t with what its codec needs. */
static void
event_fill(struct bus_event *ev, enum bus_type t, long long i)
{
	struct bus_event	 zero = BUS_EVENT_ZERO;

	*ev = zero;
	ev->type = t;
	ev->processname = "proc";
	ev->groupname = "group";
	ev->from_state = "STARTING";
	ev->pid = 4242;
	ev->data = "some output\n";
	ev->datalen = 12;
	ev->comm_type = "x";
	ev->when = i;
}

/* Publish one event, noting its serial in each matching recorder. */
static uint64_t
publish_noted(struct bus *b, enum bus_type t, long long i, struct rec *r,
    size_t nr)
{
	struct bus_event	 ev;
	uint64_t		 serial;
	size_t			 k;

	event_fill(&ev, t, i);
	serial = bus_publish(b, &ev);
	for (k = 0; k < nr; k++)
		if (rec_matches(&r[k], t))
			r[k].want[r[k].nwant++] = serial;
	return serial;
}

START_TEST(a_burst_of_100000_events_reaches_every_subscriber_in_order)
{
	static const char *const prefixes[] = {
		"", "PROCESS_STATE", "TICK_", "PROCESS_LOG_STDOUT",
	};
	struct rec	 r[4];
	uint64_t	 serial;
	size_t		 i, k;

	for (k = 0; k < 4; k++) {
		rec_init(&r[k], prefixes[k], BURST);
		ck_assert_int_eq(bus_subscribe(bus, prefixes[k], rec_handler,
		    &r[k]), 0);
	}
	for (i = 0; i < BURST; i++) {
		serial = publish_noted(bus, i % BUS_NTYPES, i, r, 4);
		ck_assert_uint_eq(serial, i + 1);
	}
	ck_assert_uint_eq(bus_published(bus), BURST);
	recs_all = r;
	recs_n = 4;
	run_until(recs_done, NULL, 60);
	ck_assert_uint_eq(r[0].n, BURST);
	for (k = 0; k < 4; k++) {
		ck_assert_uint_eq(r[k].n, r[k].nwant);
		ck_assert_uint_eq(r[k].bad, 0);
		free(r[k].want);
	}
	ck_assert_uint_eq(r[1].types, 0xffUL << BUS_PROCESS_STATE_STOPPED);
	ck_assert_uint_eq(r[2].types, 1UL << BUS_TICK_5 | 1UL << BUS_TICK_60 |
	    1UL << BUS_TICK_3600);
	ck_assert_uint_eq(r[3].types, 1UL << BUS_PROCESS_LOG_STDOUT);
}
END_TEST

START_TEST(process_state_prefix_gets_all_eight_states_and_nothing_else)
{
	struct rec	 r[3];
	size_t		 k;
	int		 t;

	rec_init(&r[0], "PROCESS_STATE", 64);
	rec_init(&r[1], "TICK_", 64);
	rec_init(&r[2], "", 64);
	for (k = 0; k < 3; k++)
		ck_assert_int_eq(bus_subscribe(bus, r[k].prefix, rec_handler,
		    &r[k]), 0);
	for (t = 0; t < BUS_NTYPES; t++)
		publish_noted(bus, t, t, r, 3);
	bus_drain(bus);
	ck_assert_uint_eq(r[0].n, 8);
	ck_assert_uint_eq(r[1].n, 3);
	ck_assert_uint_eq(r[2].n, BUS_NTYPES);
	for (k = 0; k < 3; k++) {
		ck_assert_uint_eq(r[k].bad, 0);
		free(r[k].want);
	}
}
END_TEST

START_TEST(drain_delivers_without_running_the_loop)
{
	struct rec	 r;

	rec_init(&r, "", 4);
	ck_assert_int_eq(bus_subscribe(bus, "", rec_handler, &r), 0);
	publish_noted(bus, BUS_TICK_5, 5, &r, 1);
	publish_noted(bus, BUS_PROCESS_GROUP_ADDED, 0, &r, 1);
	ck_assert_uint_eq(r.n, 0);
	bus_drain(bus);
	ck_assert_uint_eq(r.n, 2);
	ck_assert_uint_eq(r.bad, 0);
	free(r.want);
}
END_TEST

START_TEST(a_subscription_made_after_a_publish_sees_only_later_events)
{
	struct rec	 r;

	rec_init(&r, "", 4);
	publish_noted(bus, BUS_TICK_5, 5, &r, 0);
	ck_assert_int_eq(bus_subscribe(bus, "", rec_handler, &r), 0);
	publish_noted(bus, BUS_TICK_5, 10, &r, 1);
	bus_drain(bus);
	ck_assert_uint_eq(r.n, 1);
	ck_assert_uint_eq(r.want[0], 2);
	ck_assert_uint_eq(r.bad, 0);
	free(r.want);
}
END_TEST

START_TEST(a_later_subscription_beside_an_earlier_one_sees_only_later_events)
{
	struct rec	 r[2];	/* subscribed before, after the first */

	rec_init(&r[0], "", 4);
	rec_init(&r[1], "", 4);
	ck_assert_int_eq(bus_subscribe(bus, "", rec_handler, &r[0]), 0);
	publish_noted(bus, BUS_TICK_5, 5, r, 1);
	ck_assert_int_eq(bus_subscribe(bus, "", rec_handler, &r[1]), 0);
	publish_noted(bus, BUS_TICK_5, 10, r, 2);
	bus_drain(bus);
	ck_assert_uint_eq(r[0].n, 2);
	ck_assert_uint_eq(r[1].n, 1);
	ck_assert_uint_eq(r[1].want[0], 2);
	ck_assert_uint_eq(r[0].bad + r[1].bad, 0);
	free(r[0].want);
	free(r[1].want);
}
END_TEST

START_TEST(what_drain_for_leaves_queued_the_loop_delivers_without_a_publish)
{
	struct rec	 r[2];

	rec_init(&r[0], "", 4);
	rec_init(&r[1], "", 4);
	ck_assert_int_eq(bus_subscribe(bus, "", rec_handler, &r[0]), 0);
	ck_assert_int_eq(bus_subscribe(bus, "", rec_handler, &r[1]), 0);
	publish_noted(bus, BUS_TICK_5, 5, r, 2);
	publish_noted(bus, BUS_TICK_60, 60, r, 2);
	bus_drain_for(bus, rec_handler, &r[0]);
	ck_assert_uint_eq(r[0].n, 2);
	ck_assert_uint_eq(r[1].n, 0);
	ev_run(loop, EVRUN_NOWAIT);
	ck_assert_uint_eq(r[0].n, 2);
	ck_assert_uint_eq(r[1].n, 2);
	ck_assert_uint_eq(r[0].bad + r[1].bad, 0);
	free(r[0].want);
	free(r[1].want);
}
END_TEST

START_TEST(a_handler_may_publish_and_drain_delivers_that_too)
{
	struct rec	 r5, r60;

	rec_init(&r5, "TICK_5", 4);
	rec_init(&r60, "TICK_60", 4);
	r5.republish = bus;
	ck_assert_int_eq(bus_subscribe(bus, "TICK_5", rec_handler, &r5), 0);
	ck_assert_int_eq(bus_subscribe(bus, "TICK_60", rec_handler, &r60), 0);
	publish_noted(bus, BUS_TICK_5, 5, &r5, 1);
	r60.want[r60.nwant++] = 2;	/* the handler's publish */
	bus_drain(bus);
	ck_assert_uint_eq(r5.n, 1);
	ck_assert_uint_eq(r60.n, 1);
	ck_assert_uint_eq(r5.bad + r60.bad, 0);
	ck_assert_uint_eq(bus_published(bus), 2);
	free(r5.want);
	free(r60.want);
}
END_TEST

START_TEST(two_buses_in_one_process_are_independent)
{
	struct bus	*other;
	struct rec	 r, ro;

	other = bus_open(loop);
	ck_assert_ptr_nonnull(other);
	rec_init(&r, "", 4);
	rec_init(&ro, "", 4);
	ck_assert_int_eq(bus_subscribe(bus, "", rec_handler, &r), 0);
	ck_assert_int_eq(bus_subscribe(other, "", rec_handler, &ro), 0);
	publish_noted(bus, BUS_TICK_5, 5, &r, 1);
	publish_noted(other, BUS_TICK_60, 60, &ro, 1);
	publish_noted(other, BUS_TICK_60, 120, &ro, 1);
	bus_drain(bus);
	bus_drain(other);
	ck_assert_uint_eq(r.n, 1);
	ck_assert_uint_eq(ro.n, 2);
	ck_assert_uint_eq(r.bad + ro.bad, 0);
	ck_assert_uint_eq(bus_published(bus), 1);
	ck_assert_uint_eq(bus_published(other), 2);
	bus_close(other);
	free(r.want);
	free(ro.want);
}
END_TEST

START_TEST(the_loop_delivers_log_chunks_with_their_data_intact)
{
	struct rec		 r;
	struct bus_event	 ev;

	rec_init(&r, "PROCESS_LOG_", 4);
	ck_assert_int_eq(bus_subscribe(bus, "PROCESS_LOG_", rec_handler, &r),
	    0);
	event_fill(&ev, BUS_PROCESS_LOG_STDERR, 0);
	r.want[r.nwant++] = bus_publish(bus, &ev);
	run_until(rec_done, &r, 10);
	ck_assert_uint_eq(r.bad, 0);
	free(r.want);
}
END_TEST

START_TEST(publishing_an_unknown_type_is_fatal)
{
	struct bus_event	 ev = BUS_EVENT_ZERO;

	bus_publish(bus, &ev);
}
END_TEST

/*
 * The external endpoint.
 */

/* bus_bind_external refuses url, and its message says text. */
static void
ext_refused(const char *url, const char *text)
{
	char	 err[256];

	ck_assert_int_eq(bus_bind_external(bus, url, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, text) != NULL, "%s", err);
}

START_TEST(an_external_url_with_another_scheme_is_refused)
{
	ext_refused("udp://127.0.0.1:1", "udp://127.0.0.1:1");
	ext_refused("inproc://x", "inproc://x");
}
END_TEST

/* A listening TCP socket on 127.0.0.1, its port in *portp. */
static int
tcp_listener(int *portp)
{
	struct sockaddr_in	 sin;
	socklen_t		 sl = sizeof(sin);
	int			 fd;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ge(fd, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(listen(fd, 1), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &sl), 0);
	*portp = ntohs(sin.sin_port);
	return fd;
}

START_TEST(an_external_address_in_use_is_reported_with_its_url)
{
	char	 url[64], err[256];
	int	 fd, port;

	fd = tcp_listener(&port);
	snprintf(url, sizeof(url), "tcp://127.0.0.1:%d", port);
	ck_assert_int_eq(bus_bind_external(bus, url, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, url));
	ck_assert_ptr_nonnull(strstr(err, "in use"));
	close(fd);
	ck_assert_int_eq(bus_bind_external(bus,
	    "ipc:///nonexistent-dir/for/check_bus.sock", err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "ipc:///nonexistent-dir"));
}
END_TEST

/*
 * Wait up to ms for a message on sock, turning the bus's loop meanwhile
 * (it accepts and writes to outside readers); -1 if none came.
 */
static int
sub_recv(int sock, char **msgp, int ms)
{
	struct nn_pollfd	 pfd = { sock, NN_POLLIN, 0 };
	double			 deadline = ev_time() + ms / 1000.0;
	int			 n;

	do {
		ev_run(loop, EVRUN_NOWAIT);
		if (nn_poll(&pfd, 1, 5) > 0 &&
		    (n = nn_recv(sock, msgp, NN_MSG, NN_DONTWAIT)) >= 0)
			return n;
	} while (ev_time() < deadline);
	return -1;
}

static void
publish_running(struct bus_event *ev, int pid)
{
	event_fill(ev, BUS_PROCESS_STATE_RUNNING, 0);
	ev->pid = pid;
}

/* Publish probes until the outside reader gets one. */
static void
ext_wait_connected(int sub)
{
	struct bus_event	 ev, tick;
	double			 deadline = ev_time() + 20;
	char			*m;

	publish_running(&ev, 1);
	event_fill(&tick, BUS_TICK_5, 5);
	for (;;) {
		ck_assert_msg(ev_time() < deadline, "external reader got "
		    "nothing within 20 s");
		bus_publish(bus, &ev);
		bus_publish(bus, &tick);
		if (sub_recv(sub, &m, 20) >= 0) {
			nn_freemsg(m);
			return;
		}
	}
}

/* Receive the RUNNING events whose serials are in want[], in order. */
static void
ext_receive(int sub, const uint64_t *want, int nwant)
{
	struct bus_event	 got;
	char			*m;
	int			 i = 0, n;
	double			 deadline = ev_time() + 20;

	while (i < nwant) {
		ck_assert_msg(ev_time() < deadline, "got %d of %d", i, nwant);
		if ((n = sub_recv(sub, &m, 100)) < 0)
			continue;
		ck_assert_int_eq(bus_decode(m, n, &got), 0);
		ck_assert_int_eq(got.type, BUS_PROCESS_STATE_RUNNING);
		if (got.serial < want[0]) {	/* a late probe */
			nn_freemsg(m);
			continue;
		}
		ck_assert_uint_eq(got.serial, want[i]);
		ck_assert_int_eq(got.pid, 1000 + i);
		ck_assert_str_eq(got.processname, "proc");
		nn_freemsg(m);
		i++;
	}
}

/*
 * Events published before anyone connects count as dropped; once a
 * reader is in, it gets every event its prefix matches, in order.
 */
static void
ext_round_trip(const char *url)
{
	struct bus_event	 ev, tick;
	uint64_t		 want[100], dropped;
	char			 err[256];
	int			 sub, i, maxsz = -1;

	ck_assert_msg(bus_bind_external(bus, url, err, sizeof(err)) == 0,
	    "%s", err);
	event_fill(&tick, BUS_TICK_5, 5);
	for (i = 0; i < 3; i++)
		bus_publish(bus, &tick);
	ck_assert_uint_eq(bus_external_dropped(bus), 3);

	ck_assert_int_ge(sub = nn_socket(AF_SP, NN_SUB), 0);
	ck_assert_int_eq(nn_setsockopt(sub, NN_SOL_SOCKET, NN_RCVMAXSIZE,
	    &maxsz, sizeof(maxsz)), 0);
	ck_assert_int_eq(nn_setsockopt(sub, NN_SUB, NN_SUB_SUBSCRIBE,
	    "PROCESS_STATE_RUNNING", 21), 0);
	ck_assert_int_ge(nn_connect(sub, url), 0);
	ext_wait_connected(sub);
	dropped = bus_external_dropped(bus);

	for (i = 0; i < 100; i++) {
		publish_running(&ev, 1000 + i);
		want[i] = bus_publish(bus, &ev);
		bus_publish(bus, &tick);
	}
	ext_receive(sub, want, 100);
	ck_assert_uint_eq(bus_external_dropped(bus), dropped);
	nn_close(sub);
}

START_TEST(an_outside_reader_on_ipc_gets_the_events_it_subscribed_to)
{
	char	 dir[] = "/tmp/check_bus.XXXXXX", url[128], path[96];

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/bus.sock", dir);
	snprintf(url, sizeof(url), "ipc://%s", path);
	ext_round_trip(url);
	bus_close(bus);
	bus = NULL;
	unlink(path);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

START_TEST(an_outside_reader_on_tcp_gets_the_events_it_subscribed_to)
{
	char	 url[64];
	int	 fd, port;

	/* A port the kernel just handed out, released for nanomsg. */
	fd = tcp_listener(&port);
	close(fd);
	snprintf(url, sizeof(url), "tcp://127.0.0.1:%d", port);
	ext_round_trip(url);
}
END_TEST

/*
 * The endpoint's own side of the wire, seen with plain sockets: a reader
 * that speaks the SP header by hand and then reads, or not, at will.
 */

/* A temp dir with "bus.sock" in it: its URL in url, path in path. */
static void
ext_ipc_paths(char *dir, char *path, size_t plen, char *url, size_t ulen)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, plen, "%s/bus.sock", dir);
	snprintf(url, ulen, "ipc://%s", path);
}

static int
raw_connect(const char *path)
{
	struct sockaddr_un	 sun;
	int			 fd;

	ck_assert_int_ge(fd = socket(AF_UNIX, SOCK_STREAM, 0), 0);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	return fd;
}

/* Read exactly n bytes, turning the loop meanwhile; 0, or -1 at EOF. */
static int
raw_read(int fd, void *buf, size_t n)
{
	struct pollfd	 pfd = { fd, POLLIN, 0 };
	double		 deadline = ev_time() + 20;
	size_t		 got = 0;
	ssize_t		 r;

	while (got < n) {
		ck_assert_msg(ev_time() < deadline, "read %zu of %zu", got, n);
		ev_run(loop, EVRUN_NOWAIT);
		if (poll(&pfd, 1, 5) <= 0)
			continue;
		if ((r = read(fd, (char *)buf + got, n - got)) <= 0)
			return -1;
		got += r;
	}
	return 0;
}

static void
ext_wait_subscribers(size_t n)
{
	double	 deadline = ev_time() + 20;

	while (bus_external_subscribers(bus) != n) {
		ck_assert_msg(ev_time() < deadline, "%zu subscribers, not %zu",
		    bus_external_subscribers(bus), n);
		ev_run(loop, EVRUN_NOWAIT);
		usleep(1000);
	}
}

START_TEST(a_reader_that_falls_behind_misses_whole_messages_and_they_are_counted)
{
	static const unsigned char sub_hdr[8] = { 0, 'S', 'P', 0, 0, 0x21 };
	struct bus_event	 ev, got;
	unsigned char		 hdr[9];
	char			 dir[] = "/tmp/check_bus.XXXXXX", url[128];
	char			 path[96], *body, data[1000];
	uint64_t		 first, last, prev, dropped0, len;
	size_t			 nread = 0;
	int			 fd, i, sz = 4096;

	ext_ipc_paths(dir, path, sizeof(path), url, sizeof(url));
	ck_assert_int_eq(bus_bind_external(bus, url, url, sizeof(url)), 0);
	fd = raw_connect(path);
	/* A small receive buffer: the daemon's side fills sooner. */
	ck_assert_int_eq(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz,
	    sizeof(sz)), 0);
	ck_assert_int_eq(raw_read(fd, hdr, 8), 0);
	ck_assert_int_eq(memcmp(hdr, "\0SP\0\0\x20\0\0", 8), 0);
	ck_assert_int_eq(write(fd, sub_hdr, 8), 8);
	ext_wait_subscribers(1);

	/* Published while the reader sleeps, with the loop turning. */
	dropped0 = bus_external_dropped(bus);
	event_fill(&ev, BUS_PROCESS_LOG_STDOUT, 0);
	/* 20 MB in all: more than our 1 MiB and the kernel's buffers. */
	memset(data, 'x', sizeof(data));
	ev.data = data;
	ev.datalen = sizeof(data);
	first = bus_published(bus) + 1;
	for (i = 0; i < 20000; i++) {
		bus_publish(bus, &ev);
		if (i % 100 == 0)
			ev_run(loop, EVRUN_NOWAIT);
	}
	last = bus_published(bus);
	ck_assert_uint_gt(bus_external_dropped(bus), dropped0);

	/*
	 * Every frame whole and in order, until what was read and what was
	 * counted as missed make up everything published.
	 */
	prev = first - 1;
	while (nread + (bus_external_dropped(bus) - dropped0) <
	    last - first + 1) {
		ck_assert_int_eq(raw_read(fd, hdr, 9), 0);
		ck_assert_int_eq(hdr[0], 1);
		for (len = 0, i = 1; i < 9; i++)
			len = len << 8 | hdr[i];
		ck_assert_uint_lt(len, 4096);
		body = malloc(len);
		ck_assert_int_eq(raw_read(fd, body, len), 0);
		ck_assert_int_eq(bus_decode(body, len, &got), 0);
		ck_assert_int_eq(got.type, BUS_PROCESS_LOG_STDOUT);
		ck_assert_uint_gt(got.serial, prev);
		prev = got.serial;
		free(body);
		nread++;
	}
	ck_assert_uint_le(prev, last);
	ck_assert_uint_eq(nread + (bus_external_dropped(bus) - dropped0),
	    last - first + 1);
	close(fd);
	ext_wait_subscribers(0);
	bus_unbind_external(bus);
	ck_assert_int_eq(access(path, F_OK), -1);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* A peer that is not a nanomsg SUB gets our header, then end of file. */
static void
ext_refuses(const char *path, const void *hello, size_t len)
{
	unsigned char	 hdr[8], more;

	int fd = raw_connect(path);
	ck_assert_int_eq(write(fd, hello, len), (ssize_t)len);
	ck_assert_int_eq(raw_read(fd, hdr, 8), 0);
	ck_assert_int_eq(raw_read(fd, &more, 1), -1);
	close(fd);
	ck_assert_uint_eq(bus_external_subscribers(bus), 0);
}

START_TEST(a_peer_that_is_not_a_subscriber_is_disconnected)
{
	char	 dir[] = "/tmp/check_bus.XXXXXX", url[128], path[96];
	struct bus_event ev;

	ext_ipc_paths(dir, path, sizeof(path), url, sizeof(url));
	ck_assert_int_eq(bus_bind_external(bus, url, url, sizeof(url)), 0);
	/* A nanomsg PAIR socket's header, then an HTTP request. */
	ext_refuses(path, "\0SP\0\0\x10\0\0", 8);
	ext_refuses(path, "GET / HTTP/1.0\r\n\r\n", 18);
	event_fill(&ev, BUS_TICK_5, 5);
	bus_publish(bus, &ev);
	ev_run(loop, EVRUN_NOWAIT);
	bus_unbind_external(bus);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

START_TEST(a_stale_socket_file_is_replaced_and_a_live_one_or_a_plain_file_is_not)
{
	struct sockaddr_un	 sun;
	char			 dir[] = "/tmp/check_bus.XXXXXX", url[128];
	char			 path[96], err[256];
	int			 fd;

	ext_ipc_paths(dir, path, sizeof(path), url, sizeof(url));
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	ck_assert_int_ge(fd = socket(AF_UNIX, SOCK_STREAM, 0), 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	ck_assert_int_eq(listen(fd, 1), 0);
	/* Somebody listens there: refused, and the file stays theirs. */
	ck_assert_int_eq(bus_bind_external(bus, url, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "in use"));
	ck_assert_int_eq(access(path, F_OK), 0);
	/* Nobody does any more (a killed daemon's file): taken over. */
	close(fd);
	ck_assert_msg(bus_bind_external(bus, url, err, sizeof(err)) == 0,
	    "%s", err);
	bus_unbind_external(bus);
	ck_assert_int_eq(access(path, F_OK), -1);
	/* Not a socket at all: refused, and left alone. */
	ck_assert_int_ge(fd = open(path, O_WRONLY | O_CREAT, 0600), 0);
	close(fd);
	ext_refused(url, "in use");
	ck_assert_int_eq(access(path, F_OK), 0);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

START_TEST(tcp_addresses_are_read_as_nanomsg_reads_them)
{
	char	 url[64], err[256];
	int	 fd, port;

	fd = tcp_listener(&port);
	close(fd);
	snprintf(url, sizeof(url), "tcp://*:%d", port);
	ck_assert_msg(bus_bind_external(bus, url, err, sizeof(err)) == 0,
	    "%s", err);
	snprintf(url, sizeof(url), "tcp://lo:%d", port);
	ck_assert_msg(bus_bind_external(bus, url, err, sizeof(err)) == 0,
	    "%s", err);
	bus_unbind_external(bus);
	ext_refused("tcp://no-such-if0:7777", "No such device");
	ext_refused("tcp://127.0.0.1:0", "Invalid argument");
	ext_refused("tcp://127.0.0.1:65536", "Invalid argument");
	ext_refused("tcp://127.0.0.1", "tcp://127.0.0.1: ");
}
END_TEST

/*
 * The ticker.
 */

static const struct {
	double		 prev, now;
	int		 n;
	enum bus_type	 type[BUS_TICK_MAX];
	long long	 when[BUS_TICK_MAX];
} tick_rows[] = {
	{ 1795514395.0, 1795514400.01, 3,
	    { BUS_TICK_5, BUS_TICK_60, BUS_TICK_3600 },
	    { 1795514400, 1795514400, 1795514400 } },
	{ 1795514399.99, 1795514400.0, 3,
	    { BUS_TICK_5, BUS_TICK_60, BUS_TICK_3600 },
	    { 1795514400, 1795514400, 1795514400 } },
	{ 1795514401.0, 1795514402.0, 0, { 0 }, { 0 } },
	{ 1795514405.0, 1795514410.0001, 1, { BUS_TICK_5 }, { 1795514410 } },
	{ 1795514396.5, 1795514412.3, 3,
	    { BUS_TICK_5, BUS_TICK_60, BUS_TICK_3600 },
	    { 1795514410, 1795514400, 1795514400 } },
	{ 1795514456.5, 1795514472.3, 2, { BUS_TICK_5, BUS_TICK_60 },
	    { 1795514470, 1795514460 } },
	{ 1795514459.9, 1795514460.0, 2, { BUS_TICK_5, BUS_TICK_60 },
	    { 1795514460, 1795514460 } },
	{ -3.0, -1.0, 0, { 0 }, { 0 } },
	{ -5.5, -4.9, 1, { BUS_TICK_5 }, { -5 } },
};

START_TEST(ticks_are_due_when_their_period_boundary_is_crossed)
{
	struct bus_event	 out[BUS_TICK_MAX];
	int			 i, n;

	n = bus_tick_due(tick_rows[_i].prev, tick_rows[_i].now, out);
	ck_assert_int_eq(n, tick_rows[_i].n);
	for (i = 0; i < n; i++) {
		ck_assert_int_eq(out[i].type, tick_rows[_i].type[i]);
		ck_assert_int_eq(out[i].when, tick_rows[_i].when[i]);
	}
}
END_TEST

START_TEST(starting_the_ticker_publishes_nothing_at_once)
{
	struct rec	 r;

	rec_init(&r, "TICK_", 4);
	ck_assert_int_eq(bus_subscribe(bus, "TICK_", rec_handler, &r), 0);
	bus_tick_start(bus);
	ev_run(loop, EVRUN_NOWAIT);
	bus_drain(bus);
	ck_assert_uint_eq(r.n, 0);
	ck_assert_uint_eq(bus_published(bus), 0);
	free(r.want);
}
END_TEST

static long long	 live_when;

static void
live_tick_handler(const struct bus_event *ev, void *arg)
{
	if (ev->type == BUS_TICK_5 && live_when == 0)
		live_when = ev->when;
}

static int
live_tick_done(void *arg)
{
	return live_when != 0;
}

START_TEST(the_ticker_publishes_tick_5_on_a_multiple_of_five_seconds)
{
	double	 now;

	ck_assert_int_eq(bus_subscribe(bus, "TICK_", live_tick_handler, NULL),
	    0);
	bus_tick_start(bus);
	run_until(live_tick_done, NULL, 20);
	now = ev_time();
	ck_assert_int_eq(live_when % 5, 0);
	ck_assert(live_when <= now && live_when > now - 15);
}
END_TEST

static Suite *
bus_suite(int forking)
{
	Suite	*s = suite_create("bus");
	TCase	*tc;

	tc = tcase_create("table");
	tcase_add_test(tc,
	    event_names_are_unique_and_none_is_a_prefix_of_another);
	tcase_add_test(tc, name_to_type_to_name_is_the_identity);
	tcase_add_test(tc, process_state_rows_follow_pm_states_order);
	suite_add_tcase(s, tc);

	tc = tcase_create("codec");
	tcase_add_test(tc, every_type_has_a_row_in_the_payload_table);
	tcase_add_loop_test(tc,
	    payload_is_byte_exact_and_the_event_round_trips, 0, NROWS);
	tcase_add_test(tc, a_running_event_encodes_to_the_documented_message);
	tcase_add_test(tc, a_starting_event_carries_the_new_pid_in_its_header);
	tcase_add_test(tc, extras_for_the_main_log_round_trip_in_the_header);
	tcase_add_test(tc, absent_extras_decode_to_their_defaults);
	tcase_add_test(tc, log_events_carry_the_events_enabled_flag);
	tcase_add_test(tc, a_large_log_chunk_round_trips_without_change);
	suite_add_tcase(s, tc);

	tc = tcase_create("strict");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, malformed_message_is_rejected, 0,
	    sizeof(bad_msgs) / sizeof(bad_msgs[0]));
	tcase_add_test(tc, the_well_formed_original_of_the_rejected_rows_decodes);
	tcase_add_test(tc, unknown_well_formed_tokens_are_ignored);
	tcase_add_test(tc, negative_tick_times_and_exit_statuses_decode);
	tcase_add_test(tc,
	    mutated_and_random_messages_never_crash_the_decoder);
	suite_add_tcase(s, tc);

	tc = tcase_create("delivery");
	tcase_set_timeout(tc, 300);
	tcase_add_checked_fixture(tc, bus_setup, bus_teardown);
	tcase_add_test(tc,
	    a_burst_of_100000_events_reaches_every_subscriber_in_order);
	tcase_add_test(tc,
	    process_state_prefix_gets_all_eight_states_and_nothing_else);
	tcase_add_test(tc, drain_delivers_without_running_the_loop);
	tcase_add_test(tc, an_unsubscribed_handler_is_not_called_again);
	tcase_add_test(tc,
	    a_subscription_made_after_a_publish_sees_only_later_events);
	tcase_add_test(tc,
	    a_later_subscription_beside_an_earlier_one_sees_only_later_events);
	tcase_add_test(tc,
	    what_drain_for_leaves_queued_the_loop_delivers_without_a_publish);
	tcase_add_test(tc, a_handler_may_publish_and_drain_delivers_that_too);
	tcase_add_test(tc, two_buses_in_one_process_are_independent);
	tcase_add_test(tc,
	    the_loop_delivers_log_chunks_with_their_data_intact);
	if (forking)
		tcase_add_exit_test(tc, publishing_an_unknown_type_is_fatal,
		    1);
	suite_add_tcase(s, tc);

	tc = tcase_create("external");
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, bus_setup, bus_teardown);
	tcase_add_test(tc, an_external_url_with_another_scheme_is_refused);
	tcase_add_test(tc,
	    an_external_address_in_use_is_reported_with_its_url);
	tcase_add_test(tc,
	    an_outside_reader_on_ipc_gets_the_events_it_subscribed_to);
	tcase_add_test(tc,
	    an_outside_reader_on_tcp_gets_the_events_it_subscribed_to);
	tcase_add_test(tc,
	    a_reader_that_falls_behind_misses_whole_messages_and_they_are_counted);
	tcase_add_test(tc, a_peer_that_is_not_a_subscriber_is_disconnected);
	tcase_add_test(tc,
	    a_stale_socket_file_is_replaced_and_a_live_one_or_a_plain_file_is_not);
	tcase_add_test(tc, tcp_addresses_are_read_as_nanomsg_reads_them);
	suite_add_tcase(s, tc);

	tc = tcase_create("tick");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc,
	    ticks_are_due_when_their_period_boundary_is_crossed, 0,
	    sizeof(tick_rows) / sizeof(tick_rows[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("ticker");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, bus_setup, bus_teardown);
	tcase_add_test(tc, starting_the_ticker_publishes_nothing_at_once);
	tcase_add_test(tc,
	    the_ticker_publishes_tick_5_on_a_multiple_of_five_seconds);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed, forking;

	sr = srunner_create(NULL);
	forking = srunner_fork_status(sr) != CK_NOFORK;
	srunner_add_suite(sr, bus_suite(forking));
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
