/*
 * check_rpc_sse.c: the /events stream on a real bus, without HTTP: the
 * message format (id, JSON fields, UTF-8, Supervisor's payload), prefix
 * filters, PROCESS_LOG only where events are enabled, and a client that
 * does not read: bounded queue, and a GAP message that accounts for
 * every event left out.
 */
#include "config.h"

#include <check.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ev.h>

#include "bus.h"
#include "rpc_int.h"
#include "rpc_http_int.h"

static struct ev_loop	*loop;
static struct bus	*bus;
static struct rpc	 rpc;
static int		 wakes;

static void
sse_setup(void)
{
	loop = ev_loop_new(EVFLAG_AUTO);
	ck_assert_ptr_nonnull(loop);
	bus = bus_open(loop);
	ck_assert_ptr_nonnull(bus);
	memset(&rpc, 0, sizeof(rpc));
	rpc.loop = loop;
	rpc.bus = bus;
	wakes = 0;
}

static void
sse_teardown(void)
{
	bus_close(bus);
	ev_loop_destroy(loop);
}

static void
sse_wake(void *arg)
{
	wakes++;
}

/* Everything the stream has now, NUL-terminated; caller frees. */
static char *
sse_all(struct rpc_sse *s)
{
	struct rpc_buf	 b = { NULL, 0, 0 };
	char		 chunk[4096];
	size_t		 n;

	while ((n = rpc_sse_read(s, chunk, sizeof(chunk))) > 0)
		rpc_buf_add(&b, chunk, n);
	if (b.p == NULL)
		return strdup("");
	return b.p;
}

static uint64_t
sse_state(enum bus_type t, const char *name, pid_t pid)
{
	struct bus_event ev = BUS_EVENT_ZERO;

	ev.type = t;
	ev.processname = name;
	ev.groupname = name;
	ev.from_state = "STARTING";
	ev.pid = pid;
	return bus_publish(bus, &ev);
}

START_TEST(test_format)
{
	struct rpc_sse	*s;
	char		*out, want[512];
	uint64_t	 serial;

	s = rpc_sse_open(&rpc, NULL, sse_wake, NULL);
	ck_assert_ptr_nonnull(s);
	serial = sse_state(BUS_PROCESS_STATE_RUNNING, "w\xc3\xa9\xff\"x", 42);
	bus_drain(bus);
	ck_assert_int_ge(wakes, 1);
	out = sse_all(s);
	ck_assert_ptr_nonnull(strstr(out, ": nanovisor event stream\n\n"));
	snprintf(want, sizeof(want), "id: %" PRIu64 "\ndata: {\"type\":"
	    "\"PROCESS_STATE_RUNNING\",\"serial\":%" PRIu64 ",\"processname\":"
	    "\"w\xc3\xa9\\ufffd\\\"x\",", serial, serial);
	ck_assert_msg(strstr(out, want) != NULL, "%s", out);
	ck_assert_ptr_nonnull(strstr(out, "\"pid\":42,\"from_state\":"
	    "\"STARTING\",\"payload\":\"processname:w\xc3\xa9\\ufffd\\\"x "));
	ck_assert_ptr_nonnull(strstr(out, "}\n\n"));
	free(out);
	rpc_sse_close(s);
}
END_TEST

START_TEST(test_filter)
{
	struct rpc_sse	*s;
	struct bus_event ev = BUS_EVENT_ZERO;
	char		*out, *tick, *group;

	s = rpc_sse_open(&rpc, "TICK_,PROCESS_GROUP_", sse_wake, NULL);
	ck_assert_ptr_nonnull(s);
	sse_state(BUS_PROCESS_STATE_RUNNING, "a", 1);
	ev.type = BUS_TICK_5;
	ev.when = 1000;
	bus_publish(bus, &ev);
	ev = (struct bus_event)BUS_EVENT_ZERO;
	ev.type = BUS_PROCESS_GROUP_ADDED;
	ev.groupname = "g";
	bus_publish(bus, &ev);
	/* output of a program without stdout_events_enabled: not an event */
	ev = (struct bus_event)BUS_EVENT_ZERO;
	ev.type = BUS_PROCESS_LOG_STDOUT;
	ev.processname = ev.groupname = "a";
	ev.data = "hello";
	ev.datalen = 5;
	bus_publish(bus, &ev);
	bus_drain(bus);
	out = sse_all(s);
	ck_assert_ptr_null(strstr(out, "PROCESS_STATE"));
	ck_assert_ptr_null(strstr(out, "PROCESS_LOG"));
	tick = strstr(out, "\"type\":\"TICK_5\"");
	group = strstr(out, "\"type\":\"PROCESS_GROUP_ADDED\"");
	ck_assert_ptr_nonnull(tick);
	ck_assert_ptr_nonnull(group);
	ck_assert(tick < group);
	ck_assert_ptr_nonnull(strstr(out, "\"when\":1000"));
	free(out);
	rpc_sse_close(s);
}
END_TEST

/* Big events, nobody reading: a bounded queue, then one GAP. */
START_TEST(test_gap)
{
	struct rpc_sse	*s;
	struct bus_event ev = BUS_EVENT_ZERO;
	static char	 big[100000];
	char		*out, *p;
	uint64_t	 first = 0, last = 0, serial, prev = 0;
	uint64_t	 gfirst, glast, gmissed, seen = 0, covered = 0;
	int		 i, ngaps = 0;

	memset(big, 'x', sizeof(big));
	s = rpc_sse_open(&rpc, "REMOTE_COMMUNICATION", sse_wake, NULL);
	ck_assert_ptr_nonnull(s);
	for (i = 0; i < 100; i++) {
		ev.type = BUS_REMOTE_COMMUNICATION;
		ev.comm_type = "t";
		ev.data = big;
		ev.datalen = sizeof(big);
		serial = bus_publish(bus, &ev);
		if (i == 0)
			first = serial;
		last = serial;
	}
	bus_drain(bus);
	out = sse_all(s);
	ck_assert_int_lt(strlen(out), 5 * 1024 * 1024);
	for (p = out; (p = strstr(p, "data: {")) != NULL; p++) {
		if (sscanf(p, "data: {\"type\":\"GAP\",\"first\":%" SCNu64
		    ",\"last\":%" SCNu64 ",\"missed\":%" SCNu64, &gfirst,
		    &glast, &gmissed) == 3) {
			ck_assert_uint_gt(gfirst, prev);
			ck_assert_uint_eq(gmissed, glast - gfirst + 1);
			covered += gmissed;
			prev = glast;
			ngaps++;
			continue;
		}
		ck_assert_int_eq(sscanf(p, "data: {\"type\":"
		    "\"REMOTE_COMMUNICATION\",\"serial\":%" SCNu64, &serial), 1);
		ck_assert_uint_gt(serial, prev);
		prev = serial;
		seen++;
	}
	ck_assert_int_eq(ngaps, 1);
	ck_assert_uint_gt(seen, 0);
	ck_assert_uint_eq(seen + covered, last - first + 1);
	ck_assert_uint_eq(prev, last);
	free(out);
	rpc_sse_close(s);
}
END_TEST

/* Closing with events still queued on the bus leaves nothing behind. */
START_TEST(test_close)
{
	struct rpc_sse	*s;

	s = rpc_sse_open(&rpc, "PROCESS_STATE_", sse_wake, NULL);
	ck_assert_ptr_nonnull(s);
	sse_state(BUS_PROCESS_STATE_RUNNING, "a", 1);
	rpc_sse_close(s);
	bus_drain(bus);
	ck_assert_int_eq(wakes, 0);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("rpc_sse");
	TCase	*tc = tcase_create("sse");
	SRunner	*sr;
	int	 nfail;

	tcase_add_checked_fixture(tc, sse_setup, sse_teardown);
	tcase_add_test(tc, test_format);
	tcase_add_test(tc, test_filter);
	tcase_add_test(tc, test_gap);
	tcase_add_test(tc, test_close);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nfail = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfail == 0 ? 0 : 1;
}
