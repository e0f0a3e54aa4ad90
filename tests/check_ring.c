/*
 * check_ring.c: the catch-up ring (both caps, lookup by serial, resizing,
 * a restart of the serials), the ring filled by bus_publish, the fire
 * drill's synthetic mark in the codec, and the flight recorder's file.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ev.h>

#include "bus.h"

static void
put_n(struct bus_ring *r, uint64_t from, uint64_t to, size_t len)
{
	char	 msg[256];
	uint64_t s;

	for (s = from; s <= to; s++) {
		memset(msg, 'a' + (int)(s % 26), sizeof(msg));
		snprintf(msg, sizeof(msg), "m%llu", (unsigned long long)s);
		bus_ring_put(r, s, msg, len);
	}
}

static void
ck_held(const struct bus_ring *r, uint64_t oldest, uint64_t newest)
{
	struct bus_ring_stats	 st;
	const char		*m;
	size_t			 len;
	char			 want[32];
	uint64_t		 s;

	bus_ring_stats(r, &st);
	ck_assert_uint_eq(st.oldest, oldest);
	ck_assert_uint_eq(st.newest, newest);
	if (newest == 0) {
		ck_assert_uint_eq(st.count, 0);
		return;
	}
	ck_assert_uint_eq(st.count, newest - oldest + 1);
	ck_assert_int_eq(bus_ring_get(r, oldest - 1, &m, &len), -1);
	ck_assert_int_eq(bus_ring_get(r, newest + 1, &m, &len), -1);
	for (s = oldest; s <= newest; s++) {
		ck_assert_int_eq(bus_ring_get(r, s, &m, &len), 0);
		snprintf(want, sizeof(want), "m%llu", (unsigned long long)s);
		ck_assert_int_eq(strncmp(m, want, strlen(want)), 0);
	}
}

START_TEST(the_message_cap_keeps_the_newest)
{
	struct bus_ring	*r = bus_ring_new(5, 1 << 20);

	ck_held(r, 0, 0);
	put_n(r, 1, 3, 10);
	ck_held(r, 1, 3);
	put_n(r, 4, 12, 10);
	ck_held(r, 8, 12);
	bus_ring_free(r);
	ck_assert_ptr_null(bus_ring_new(0, 100));
}
END_TEST

START_TEST(the_byte_cap_drops_the_oldest_and_a_huge_message_empties)
{
	struct bus_ring		*r = bus_ring_new(100, 100);
	struct bus_ring_stats	 st;

	put_n(r, 1, 10, 30);		/* 3 fit in 100 bytes */
	ck_held(r, 8, 10);
	bus_ring_stats(r, &st);
	ck_assert_uint_eq(st.bytes, 90);
	put_n(r, 11, 11, 200);		/* bigger than the cap alone */
	ck_held(r, 0, 0);
	put_n(r, 12, 13, 40);		/* starts again after it */
	ck_held(r, 12, 13);
	bus_ring_free(r);
}
END_TEST

START_TEST(a_serial_that_does_not_follow_restarts_the_ring)
{
	struct bus_ring	*r = bus_ring_new(10, 1000);

	put_n(r, 5, 8, 10);
	put_n(r, 20, 21, 10);
	ck_held(r, 20, 21);
	bus_ring_free(r);
}
END_TEST

START_TEST(resizing_keeps_the_newest_that_fit)
{
	struct bus_ring	*r = bus_ring_new(10, 1000);

	put_n(r, 1, 13, 10);		/* wraps: holds 4..13 */
	r = bus_ring_resize(r, 4, 1000);
	ck_held(r, 10, 13);
	put_n(r, 14, 15, 10);
	ck_held(r, 12, 15);
	r = bus_ring_resize(r, 50, 25);
	ck_held(r, 14, 15);
	r = bus_ring_resize(r, 0, 25);
	ck_assert_ptr_null(r);
	r = bus_ring_resize(NULL, 3, 25);
	put_n(r, 1, 1, 10);
	ck_held(r, 1, 1);
	bus_ring_free(r);
}
END_TEST

START_TEST(bus_publish_fills_the_ring_with_the_wire_messages)
{
	struct ev_loop		*loop = ev_loop_new(EVFLAG_AUTO);
	struct bus		*bus = bus_open(loop);
	struct bus_event	 ev = BUS_EVENT_ZERO, got;
	struct bus_ring_stats	 st;
	const char		*m;
	char			*copy;
	size_t			 len;
	int			 i;

	ck_assert_ptr_null(bus_get_ring(bus));
	ev.type = BUS_TICK_5;
	ev.when = 5;
	bus_publish(bus, &ev);		/* no ring yet */
	bus_ring_configure(bus, 3, 1 << 20);
	for (i = 0; i < 5; i++)
		bus_publish(bus, &ev);
	bus_ring_stats(bus_get_ring(bus), &st);
	ck_assert_uint_eq(st.oldest, 4);
	ck_assert_uint_eq(st.newest, 6);
	ck_assert_int_eq(bus_ring_get(bus_get_ring(bus), 6, &m, &len), 0);
	copy = strndup(m, len);
	ck_assert_int_eq(bus_decode(copy, len, &got), 0);
	ck_assert_int_eq(got.type, BUS_TICK_5);
	ck_assert_uint_eq(got.serial, 6);
	free(copy);
	bus_ring_configure(bus, 0, 0);
	ck_assert_ptr_null(bus_get_ring(bus));
	bus_close(bus);
	ev_loop_destroy(loop);
}
END_TEST

/* Encode, check the text, decode, compare. */
static void
ck_synthetic(struct bus_event *ev, const char *want)
{
	struct bus_event	 got;
	char			*m;
	size_t			 len;

	ev->synthetic = true;
	m = bus_encode(ev, 9, &len);
	ck_assert_str_eq(m, want);
	ck_assert_int_eq(bus_decode(m, len, &got), 0);
	ck_assert(got.synthetic);
	ck_assert_int_eq(got.type, ev->type);
	free(m);
}

START_TEST(the_fire_drill_mark_leads_the_payload_and_round_trips)
{
	struct bus_event	 ev = BUS_EVENT_ZERO;
	char			 bad[] = "TICK_5 nv:1 serial:1 synthetic:1 len:6\n"
				    "when:5";

	ev.type = BUS_PROCESS_STATE_EXITED;
	ev.processname = ev.groupname = "p";
	ev.from_state = "RUNNING";
	ev.pid = 7;
	ck_synthetic(&ev, "PROCESS_STATE_EXITED nv:1 serial:9 process:p "
	    "group:p synthetic:1 len:73\nsynthetic:1 processname:p "
	    "groupname:p from_state:RUNNING expected:0 pid:7");
	ev = (struct bus_event)BUS_EVENT_ZERO;
	ev.type = BUS_SUPERVISOR_STATE_CHANGE_RUNNING;
	ck_synthetic(&ev, "SUPERVISOR_STATE_CHANGE_RUNNING nv:1 serial:9 "
	    "synthetic:1 len:11\nsynthetic:1");
	ev = (struct bus_event)BUS_EVENT_ZERO;
	ev.type = BUS_REMOTE_COMMUNICATION;
	ev.comm_type = "t";
	ev.data = "hi";
	ev.datalen = 2;
	ck_synthetic(&ev, "REMOTE_COMMUNICATION nv:1 serial:9 type:t "
	    "synthetic:1 len:21\nsynthetic:1 type:t\nhi");
	/* marked in the header but not in the payload: malformed */
	ck_assert_int_eq(bus_decode(bad, sizeof(bad) - 1, &ev), -1);
}
END_TEST

static void
wake_cb(struct ev_loop *l, ev_timer *w, int revents)
{
	ev_break(l, EVBREAK_ONE);
}

START_TEST(the_recorder_appends_timestamped_messages_and_rotates)
{
	struct ev_loop		*loop = ev_loop_new(EVFLAG_AUTO);
	struct bus		*bus = bus_open(loop);
	struct bus_event	 ev = BUS_EVENT_ZERO;
	char			 dir[] = "/tmp/check_ring.XXXXXX", path[64];
	char			 old[80], line[256], err[256];
	ev_timer		 wake;
	FILE			*f;
	int			 i;
	double			 t;
	size_t			 n;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/rec", dir);
	snprintf(old, sizeof(old), "%s/rec.1", dir);
	ck_assert_int_eq(bus_record_configure(bus, "/nonexistent/dir/rec",
	    0, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent/dir/rec"));
	ck_assert_int_eq(bus_record_configure(bus, path, 1000, err,
	    sizeof(err)), 0);
	ev.type = BUS_TICK_5;
	ev.when = 5;
	for (i = 0; i < 30; i++)	/* 30 records of 60 bytes: rotates */
		bus_publish(bus, &ev);
	bus_drain(bus);
	ev_timer_init(&wake, wake_cb, 0.5, 0.);
	ev_timer_start(loop, &wake);
	ev_run(loop, 0);		/* the flush timer writes */
	ck_assert_ptr_nonnull(f = fopen(path, "r"));
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
	ck_assert_int_eq(sscanf(line, "@%lf %zu", &t, &n), 2);
	ck_assert(t > 1e9);
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
	ck_assert_int_eq(strncmp(line, "TICK_5 nv:1 serial:", 19), 0);
	fclose(f);
	ck_assert_int_eq(access(old, R_OK), 0);
	bus_close(bus);			/* flushes and closes */
	ev_loop_destroy(loop);
	unlink(path);
	unlink(old);
	rmdir(dir);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("ring");
	TCase	*tc = tcase_create("ring");
	SRunner	*sr;
	int	 failed;

	tcase_add_test(tc, the_message_cap_keeps_the_newest);
	tcase_add_test(tc, the_byte_cap_drops_the_oldest_and_a_huge_message_empties);
	tcase_add_test(tc, a_serial_that_does_not_follow_restarts_the_ring);
	tcase_add_test(tc, resizing_keeps_the_newest_that_fit);
	tcase_add_test(tc, bus_publish_fills_the_ring_with_the_wire_messages);
	tcase_add_test(tc, the_fire_drill_mark_leads_the_payload_and_round_trips);
	tcase_add_test(tc, the_recorder_appends_timestamped_messages_and_rotates);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
