/*
 * check_lp.c: the listener pools. The protocol parser as a table, the
 * envelope of every event type byte for byte, the character count, the
 * FIFO, event matching, and whole pools driven through the real bus with
 * pm_group_conf and pm_proc_write_stdin stood in for here.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ev.h>

#include "bus.h"
#include "log.h"
#include "lp.h"
#include "lp_int.h"
#include "pm.h"

/* ---- stand-ins for procmgr ---- */

static const struct pm_groupconf *stub_groups;
static size_t stub_ngroups;

/* Everything written to listeners, one record per write. */
static char	 stub_sent[65536];
static size_t	 stub_sentlen;
static const char *stub_dead;	/* this process's stdin is closed */

const struct pm_groupconf *
pm_group_conf(struct pm *pm, const char *group)
{
	size_t	 i;

	(void)pm;
	for (i = 0; i < stub_ngroups; i++)
		if (strcmp(stub_groups[i].name, group) == 0)
			return &stub_groups[i];
	return NULL;
}

enum pm_result
pm_proc_write_stdin(struct pm *pm, const char *group, const char *name,
    const void *data, size_t len)
{
	int	 n;

	(void)pm;
	if (stub_dead != NULL && strcmp(stub_dead, name) == 0)
		return PM_ERR_NOT_RUNNING;
	n = snprintf(stub_sent + stub_sentlen, sizeof(stub_sent) -
	    stub_sentlen, "[%s/%s]%.*s|", group, name, (int)len,
	    (const char *)data);
	ck_assert_int_lt(stub_sentlen + n, sizeof(stub_sent));
	stub_sentlen += n;
	return PM_OK;
}

/* ---- captured main log ---- */

static char	 logbuf[65536];
static size_t	 loglen;

static void
log_capture(enum log_level level, const char *msg, size_t len, void *arg)
{
	int	 n;

	(void)arg;
	n = snprintf(logbuf + loglen, sizeof(logbuf) - loglen, "%s %.*s\n",
	    log_level_tag(level), (int)len, msg);
	if (n > 0 && loglen + n < sizeof(logbuf))
		loglen += n;
}

static void
setup(void)
{
	stub_sentlen = 0;
	stub_sent[0] = '\0';
	stub_dead = NULL;
	loglen = 0;
	logbuf[0] = '\0';
	log_set_sink(log_capture, NULL);
	log_set_level(LOG_BLAT);
}

/* ---- the protocol, as a table ---- */

struct act_log {
	char	 s[512];
};

static void
act_record(const struct lp_act *a, void *arg)
{
	struct act_log	*l = arg;
	size_t		 n = strlen(l->s);

	switch (a->type) {
	case LP_ACT_STATE:
		snprintf(l->s + n, sizeof(l->s) - n, "%s>%s ",
		    lp_state_name(a->from), lp_state_name(a->to));
		break;
	case LP_ACT_BADLINE:
		snprintf(l->s + n, sizeof(l->s) - n, "bad(%.*s) ",
		    (int)(a->linelen < 20 ? a->linelen : 20), a->line);
		break;
	case LP_ACT_PROCESSED:
		snprintf(l->s + n, sizeof(l->s) - n, "ok ");
		break;
	case LP_ACT_REJECTED:
		snprintf(l->s + n, sizeof(l->s) - n, "rej ");
		break;
	case LP_ACT_DONE:
		snprintf(l->s + n, sizeof(l->s) - n, "done ");
		break;
	case LP_ACT_REQUEUE:
		snprintf(l->s + n, sizeof(l->s) - n, "requeue ");
		break;
	}
}

/*
 * Each row: the listener starts ACKNOWLEDGED; chunks are fed one by one
 * ("|" separates chunks, "^" marks where the dispatcher sends an event);
 * acts is what the parser reports, state where it ends.
 */
static const struct {
	const char	*in;
	const char	*acts;
	enum lp_state	 state;
} proto_rows[] = {
	{ "READY\n", "ACKNOWLEDGED>READY ", LP_READY },
	{ "REA|DY|\n", "ACKNOWLEDGED>READY ", LP_READY },
	{ "READ", "", LP_ACKNOWLEDGED },
	{ "HELLO\n", "ACKNOWLEDGED>UNKNOWN ", LP_UNKNOWN },
	{ "ready\n", "ACKNOWLEDGED>UNKNOWN ", LP_UNKNOWN },
	{ "READY\nx", "ACKNOWLEDGED>READY READY>UNKNOWN ", LP_UNKNOWN },
	{ "READY\n|x", "ACKNOWLEDGED>READY READY>UNKNOWN ", LP_UNKNOWN },
	{ "READY\n^RESULT 2\nOK",
	  "ACKNOWLEDGED>READY ok BUSY>ACKNOWLEDGED done ", LP_ACKNOWLEDGED },
	{ "READY\n^RESULT 2\nOKREADY\n",
	  "ACKNOWLEDGED>READY ok BUSY>ACKNOWLEDGED done "
	  "ACKNOWLEDGED>READY ", LP_READY },
	{ "READY\n^RES|ULT 2|\nO|K|READY|\n",
	  "ACKNOWLEDGED>READY ok BUSY>ACKNOWLEDGED done "
	  "ACKNOWLEDGED>READY ", LP_READY },
	{ "READY\n^RESULT 4\nFAIL",
	  "ACKNOWLEDGED>READY rej BUSY>ACKNOWLEDGED requeue ",
	  LP_ACKNOWLEDGED },
	/* The prefix is not checked; int() takes spaces, sign, '_'. */
	{ "READY\n^XXXXXXX2\nOK",
	  "ACKNOWLEDGED>READY ok BUSY>ACKNOWLEDGED done ", LP_ACKNOWLEDGED },
	{ "READY\n^RESULT  +2 \nOK",
	  "ACKNOWLEDGED>READY ok BUSY>ACKNOWLEDGED done ", LP_ACKNOWLEDGED },
	{ "READY\n^RESULT 0_2\nOK",
	  "ACKNOWLEDGED>READY ok BUSY>ACKNOWLEDGED done ", LP_ACKNOWLEDGED },
	{ "READY\n^HELLO\n",
	  "ACKNOWLEDGED>READY bad(HELLO) BUSY>UNKNOWN requeue ", LP_UNKNOWN },
	{ "READY\n^RESULT x\nOK",
	  "ACKNOWLEDGED>READY bad(RESULT x) BUSY>UNKNOWN requeue ",
	  LP_UNKNOWN },
	{ "READY\n^RESULT 2",
	  "ACKNOWLEDGED>READY ", LP_BUSY },
	/* An OK longer than 2 bytes is a rejection. */
	{ "READY\n^RESULT 3\nOK\n",
	  "ACKNOWLEDGED>READY rej BUSY>ACKNOWLEDGED requeue ",
	  LP_ACKNOWLEDGED },
	/* A zero-length body is judged only when more bytes come. */
	{ "READY\n^RESULT 0\n", "ACKNOWLEDGED>READY ", LP_BUSY },
	{ "READY\n^RESULT 0\n|READY\n",
	  "ACKNOWLEDGED>READY rej BUSY>ACKNOWLEDGED requeue "
	  "ACKNOWLEDGED>READY ", LP_READY },
	/* A negative length never completes. */
	{ "READY\n^RESULT -1\nOKREADY\n", "ACKNOWLEDGED>READY ", LP_BUSY },
	{ "HELLO\n|READY\n", "ACKNOWLEDGED>UNKNOWN ", LP_UNKNOWN },
};

START_TEST(protocol_table_gives_4_2_5s_states_and_results)
{
	struct lp_proto	 p = LP_PROTO_ZERO;
	struct act_log	 log = { "" };
	const char	*s = proto_rows[_i].in, *e;
	size_t		 n;

	while (*s != '\0') {
		if (*s == '^') {
			lp_proto_sent(&p);
			s++;
			continue;
		}
		n = strcspn(s, "|^");
		lp_proto_feed(&p, s, n, act_record, &log);
		s += n;
		if (*s == '|')
			s++;
	}
	e = proto_rows[_i].acts;
	ck_assert_msg(strcmp(log.s, e) == 0, "row %d: got '%s', want '%s'",
	    _i, log.s, e);
	ck_assert_int_eq(p.state, proto_rows[_i].state);
	lp_proto_free(&p);
}
END_TEST

START_TEST(unknown_listener_discards_everything_it_writes)
{
	struct lp_proto	 p = LP_PROTO_ZERO;
	struct act_log	 log = { "" };

	lp_proto_feed(&p, "junk!!", 6, act_record, &log);
	ck_assert_int_eq(p.state, LP_UNKNOWN);
	log.s[0] = '\0';
	lp_proto_feed(&p, "READY\n", 6, act_record, &log);
	ck_assert_str_eq(log.s, "");
	ck_assert_int_eq(p.state, LP_UNKNOWN);
	ck_assert_uint_eq(p.len, 0);
	lp_proto_free(&p);
}
END_TEST

START_TEST(endless_result_line_is_a_bad_line_not_unbounded_memory)
{
	struct lp_proto	 p = LP_PROTO_ZERO;
	struct act_log	 log = { "" };
	char		 junk[4096];
	int		 i;

	memset(junk, 'x', sizeof(junk));
	lp_proto_feed(&p, "READY\n", 6, act_record, &log);
	lp_proto_sent(&p);
	for (i = 0; i < 20 && p.state == LP_BUSY; i++)
		lp_proto_feed(&p, junk, sizeof(junk), act_record, &log);
	ck_assert_int_eq(p.state, LP_UNKNOWN);
	ck_assert_ptr_nonnull(strstr(log.s, "requeue"));
	lp_proto_free(&p);
}
END_TEST

START_TEST(huge_result_body_is_counted_not_stored)
{
	struct lp_proto	 p = LP_PROTO_ZERO;
	struct act_log	 log = { "" };
	char		 junk[4096];
	int		 i;

	memset(junk, 'x', sizeof(junk));
	lp_proto_feed(&p, "READY\n", 6, act_record, &log);
	lp_proto_sent(&p);
	lp_proto_feed(&p, "RESULT 40960\n", 13, act_record, &log);
	for (i = 0; i < 10; i++) {
		ck_assert_int_eq(p.state, LP_BUSY);
		lp_proto_feed(&p, junk, sizeof(junk), act_record, &log);
	}
	ck_assert_int_eq(p.state, LP_ACKNOWLEDGED);
	ck_assert_ptr_nonnull(strstr(log.s, "rej "));
	ck_assert_uint_lt(p.cap, 3 * sizeof(junk));
	lp_proto_free(&p);
}
END_TEST

static const struct {
	const char	*in;
	int		 ok;
	long long	 v;
} len_rows[] = {
	{ "2", 0, 2 }, { " 5\t", 0, 5 }, { "+5", 0, 5 }, { "-0", 0, 0 },
	{ "1_0", 0, 10 }, { "05", 0, 5 }, { "\v5\f", 0, 5 }, { "-3", 0, -3 },
	{ "1__0", -1, 0 }, { "_1", -1, 0 }, { "1_", -1, 0 }, { "0x5", -1, 0 },
	{ "", -1, 0 }, { " ", -1, 0 }, { "+", -1, 0 }, { "\x1c" "5", -1, 0 },
	{ "2 2", -1, 0 },
};

START_TEST(result_length_is_parsed_like_python_int)
{
	int64_t		 v = 12345;
	int		 rv;

	rv = lp_proto_parse_len(len_rows[_i].in, strlen(len_rows[_i].in), &v);
	ck_assert_msg(rv == len_rows[_i].ok, "row %d '%s': rv %d", _i,
	    len_rows[_i].in, rv);
	if (rv == 0)
		ck_assert_int_eq(v, len_rows[_i].v);
}
END_TEST

/* ---- envelopes ---- */

/* Round-trip ev through the bus codec and format it for pool "pl". */
static char *
envelope_of(struct bus_event *ev, uint64_t serial, uint64_t poolserial)
{
	struct bus_event out;
	struct lp_event	*le;
	char		*msg, *hdr, *env;
	size_t		 mlen, hlen;

	msg = bus_encode(ev, 7, &mlen);
	ck_assert_int_eq(bus_decode(msg, mlen, &out), 0);
	le = lp_event_new(&out, serial);
	hdr = lp_envelope_header("srv", le->serial, "pl", poolserial, le,
	    &hlen);
	env = xmalloc(hlen + le->len + 1);
	memcpy(env, hdr, hlen);
	memcpy(env + hlen, le->payload, le->len);
	env[hlen + le->len] = '\0';
	free(hdr);
	free(msg);
	lp_event_unref(le);
	return env;
}

#define HDR(name, len)	"ver:3.0 server:srv serial:3 pool:pl poolserial:9 " \
	"eventname:" name " len:" #len "\n"

START_TEST(envelopes_of_every_event_type_are_4_2_5s)
{
	static const struct {
		enum bus_type	 type;
		const char	*from;
		int		 tries, expected;
		const char	*want;
	} rows[] = {
		{ BUS_PROCESS_STATE_STARTING, "STOPPED", 0, 0,
		  HDR("PROCESS_STATE_STARTING", 52)
		  "processname:a groupname:g from_state:STOPPED tries:0" },
		{ BUS_PROCESS_STATE_RUNNING, "STARTING", 0, 0,
		  HDR("PROCESS_STATE_RUNNING", 52)
		  "processname:a groupname:g from_state:STARTING pid:42" },
		{ BUS_PROCESS_STATE_BACKOFF, "STARTING", 2, 0,
		  HDR("PROCESS_STATE_BACKOFF", 53)
		  "processname:a groupname:g from_state:STARTING tries:2" },
		{ BUS_PROCESS_STATE_STOPPING, "RUNNING", 0, 0,
		  HDR("PROCESS_STATE_STOPPING", 51)
		  "processname:a groupname:g from_state:RUNNING pid:42" },
		{ BUS_PROCESS_STATE_EXITED, "RUNNING", 0, 1,
		  HDR("PROCESS_STATE_EXITED", 62)
		  "processname:a groupname:g from_state:RUNNING expected:1 "
		  "pid:42" },
		{ BUS_PROCESS_STATE_STOPPED, "STOPPING", 0, 0,
		  HDR("PROCESS_STATE_STOPPED", 52)
		  "processname:a groupname:g from_state:STOPPING pid:42" },
		{ BUS_PROCESS_STATE_FATAL, "BACKOFF", 0, 0,
		  HDR("PROCESS_STATE_FATAL", 44)
		  "processname:a groupname:g from_state:BACKOFF" },
		{ BUS_PROCESS_STATE_UNKNOWN, "RUNNING", 0, 0,
		  HDR("PROCESS_STATE_UNKNOWN", 44)
		  "processname:a groupname:g from_state:RUNNING" },
	};
	struct bus_event ev = BUS_EVENT_ZERO;
	char		*got;
	size_t		 i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ev = (struct bus_event)BUS_EVENT_ZERO;
		ev.type = rows[i].type;
		ev.processname = "a";
		ev.groupname = "g";
		ev.pid = 42;
		ev.from_state = rows[i].from;
		ev.tries = rows[i].tries;
		ev.expected = rows[i].expected;
		got = envelope_of(&ev, 3, 9);
		ck_assert_str_eq(got, rows[i].want);
		free(got);
	}
}
END_TEST

START_TEST(envelopes_of_output_and_other_events_are_4_2_5s)
{
	struct bus_event ev = BUS_EVENT_ZERO;
	char		*got;

	ev.type = BUS_PROCESS_LOG_STDERR;
	ev.processname = "a";
	ev.groupname = "g";
	ev.pid = 42;
	ev.data = "oops\n";
	ev.datalen = 5;
	ev.events_enabled = true;
	got = envelope_of(&ev, 3, 9);
	ck_assert_str_eq(got, HDR("PROCESS_LOG_STDERR", 53)
	    "processname:a groupname:g pid:42 channel:stderr\noops\n");
	free(got);

	ev.type = BUS_PROCESS_COMMUNICATION_STDOUT;
	ev.data = "<x/>";
	ev.datalen = 4;
	ev.events_enabled = false;
	got = envelope_of(&ev, 3, 9);
	ck_assert_str_eq(got, HDR("PROCESS_COMMUNICATION_STDOUT", 37)
	    "processname:a groupname:g pid:42\n<x/>");
	free(got);

	ev = (struct bus_event)BUS_EVENT_ZERO;
	ev.type = BUS_REMOTE_COMMUNICATION;
	ev.comm_type = "t1";
	ev.data = "hello";
	ev.datalen = 5;
	got = envelope_of(&ev, 3, 9);
	ck_assert_str_eq(got, HDR("REMOTE_COMMUNICATION", 13)
	    "type:t1\nhello");
	free(got);

	ev = (struct bus_event)BUS_EVENT_ZERO;
	ev.type = BUS_SUPERVISOR_STATE_CHANGE_STOPPING;
	got = envelope_of(&ev, 3, 9);
	ck_assert_str_eq(got, HDR("SUPERVISOR_STATE_CHANGE_STOPPING", 0));
	free(got);

	ev.type = BUS_TICK_60;
	ev.when = 1795514340;
	got = envelope_of(&ev, 3, 9);
	ck_assert_str_eq(got, HDR("TICK_60", 15) "when:1795514340");
	free(got);

	ev = (struct bus_event)BUS_EVENT_ZERO;
	ev.type = BUS_PROCESS_GROUP_REMOVED;
	ev.groupname = "grp";
	got = envelope_of(&ev, 3, 9);
	ck_assert_str_eq(got, HDR("PROCESS_GROUP_REMOVED", 14)
	    "groupname:grp\n");
	free(got);
}
END_TEST

START_TEST(len_counts_characters_of_non_ascii_payloads)
{
	struct bus_event ev = BUS_EVENT_ZERO;
	char		*got;

	ev.type = BUS_PROCESS_LOG_STDOUT;
	ev.processname = "a";
	ev.groupname = "g";
	ev.pid = 1;
	ev.data = "\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80";
	ev.datalen = strlen(ev.data);
	ev.events_enabled = true;
	got = envelope_of(&ev, 3, 9);
	/* 47 header characters, then 7 characters in 13 bytes */
	ck_assert_str_eq(got, HDR("PROCESS_LOG_STDOUT", 54)
	    "processname:a groupname:g pid:1 channel:stdout\n"
	    "\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	free(got);
	ck_assert_uint_eq(lp_utf8_chars("\xc3\xa9", 2), 1);
	ck_assert_uint_eq(lp_utf8_chars("abc", 3), 3);
}
END_TEST

START_TEST(undecodable_output_is_replaced_by_its_python_repr)
{
	struct bus_event ev = BUS_EVENT_ZERO;
	char		*got;

	ev.type = BUS_PROCESS_LOG_STDOUT;
	ev.processname = "a";
	ev.groupname = "g";
	ev.pid = 1;
	ev.data = "x\xff'\\\n\t\x01\x7f";
	ev.datalen = 8;
	ev.events_enabled = true;
	got = envelope_of(&ev, 3, 9);
	ck_assert_str_eq(got, HDR("PROCESS_LOG_STDOUT", 83)
	    "processname:a groupname:g pid:1 channel:stdout\n"
	    "Undecodable: b\"x\\xff'\\\\\\n\\t\\x01\\x7f\"");
	free(got);
}
END_TEST

START_TEST(strict_utf8_rejects_what_python_rejects)
{
	ck_assert(lp_utf8_valid("\xc3\xa9", 2));
	ck_assert(lp_utf8_valid("\xf4\x8f\xbf\xbf", 4));
	ck_assert(!lp_utf8_valid("\xc3", 1));		/* cut short */
	ck_assert(!lp_utf8_valid("\xc0\xaf", 2));	/* overlong */
	ck_assert(!lp_utf8_valid("\xe0\x80\xaf", 3));	/* overlong */
	ck_assert(!lp_utf8_valid("\xed\xa0\x80", 3));	/* surrogate */
	ck_assert(!lp_utf8_valid("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
	ck_assert(!lp_utf8_valid("\x80", 1));
}
END_TEST

START_TEST(bytes_repr_quotes_like_python)
{
	char	*s;
	size_t	 n;

	s = lp_bytes_repr("it's", 4, &n);
	ck_assert_str_eq(s, "b\"it's\"");
	free(s);
	s = lp_bytes_repr("a'\"b", 4, &n);
	ck_assert_str_eq(s, "b'a\\'\"b'");
	ck_assert_uint_eq(n, strlen(s));
	free(s);
	s = lp_bytes_repr("", 0, &n);
	ck_assert_str_eq(s, "b''");
	free(s);
}
END_TEST

/* ---- the FIFO ---- */

static struct lp_item
item(uint64_t serial)
{
	struct bus_event ev = BUS_EVENT_ZERO;
	struct lp_item	 it;

	ev.type = BUS_TICK_5;
	ev.payload = "when:5";
	ev.payloadlen = 6;
	it.ev = lp_event_new(&ev, serial);
	it.poolserial = serial;
	return it;
}

START_TEST(full_buffer_drops_the_oldest_event)
{
	struct lp_buf	 b;
	struct lp_item	 it, old;
	uint64_t	 s;

	lp_buf_init(&b, 3);
	for (s = 0; s < 3; s++)
		ck_assert(!lp_buf_push(&b, item(s), false, &old));
	ck_assert(lp_buf_push(&b, item(3), false, &old));
	ck_assert_uint_eq(old.ev->serial, 0);
	lp_event_unref(old.ev);
	for (s = 1; s <= 3; s++) {
		ck_assert(lp_buf_pop(&b, &it));
		ck_assert_uint_eq(it.ev->serial, s);
		lp_event_unref(it.ev);
	}
	ck_assert(!lp_buf_pop(&b, &it));
	lp_buf_free(&b);
}
END_TEST

START_TEST(rebuffered_event_goes_to_the_head)
{
	struct lp_buf	 b;
	struct lp_item	 it, old;

	lp_buf_init(&b, 3);
	lp_buf_push(&b, item(1), false, &old);
	lp_buf_push(&b, item(2), false, &old);
	ck_assert(!lp_buf_push(&b, item(0), true, &old));
	/* full: a head insert drops the oldest, which is the head */
	ck_assert(lp_buf_push(&b, item(9), true, &old));
	ck_assert_uint_eq(old.ev->serial, 0);
	lp_event_unref(old.ev);
	ck_assert(lp_buf_pop(&b, &it));
	ck_assert_uint_eq(it.ev->serial, 9);
	lp_event_unref(it.ev);
	ck_assert(lp_buf_pop(&b, &it));
	ck_assert_uint_eq(it.ev->serial, 1);
	lp_event_unref(it.ev);
	lp_buf_free(&b);
}
END_TEST

/* ---- matching ---- */

#define BIT(t)	(UINT32_C(1) << BUS_##t)

START_TEST(abstract_types_match_their_subtypes)
{
	char	*ev1[] = { "PROCESS_STATE", NULL };
	char	*ev2[] = { "TICK", "PROCESS_LOG_STDERR", NULL };
	char	*ev3[] = { "EVENT", NULL };
	char	*ev4[] = { "PROCESS_STATE_STOPPED", "REMOTE_COMMUNICATION",
	    "PROCESS_GROUP", "SUPERVISOR_STATE_CHANGE",
	    "PROCESS_COMMUNICATION", NULL };
	char	*bad[] = { "TICK", "NOPE", NULL };
	uint32_t m;

	ck_assert_int_eq(lp_events_mask(ev1, &m), 0);
	ck_assert_uint_eq(m, BIT(PROCESS_STATE_STOPPED) |
	    BIT(PROCESS_STATE_STARTING) | BIT(PROCESS_STATE_RUNNING) |
	    BIT(PROCESS_STATE_BACKOFF) | BIT(PROCESS_STATE_STOPPING) |
	    BIT(PROCESS_STATE_EXITED) | BIT(PROCESS_STATE_FATAL) |
	    BIT(PROCESS_STATE_UNKNOWN));
	ck_assert_int_eq(lp_events_mask(ev2, &m), 0);
	ck_assert_uint_eq(m, BIT(TICK_5) | BIT(TICK_60) | BIT(TICK_3600) |
	    BIT(PROCESS_LOG_STDERR));
	ck_assert_int_eq(lp_events_mask(ev3, &m), 0);
	ck_assert_uint_eq(m, (UINT32_C(1) << BUS_NTYPES) - 1);
	ck_assert_int_eq(lp_events_mask(ev4, &m), 0);
	ck_assert_uint_eq(m, BIT(PROCESS_STATE_STOPPED) |
	    BIT(REMOTE_COMMUNICATION) | BIT(PROCESS_GROUP_ADDED) |
	    BIT(PROCESS_GROUP_REMOVED) | BIT(SUPERVISOR_STATE_CHANGE_RUNNING) |
	    BIT(SUPERVISOR_STATE_CHANGE_STOPPING) |
	    BIT(PROCESS_COMMUNICATION_STDOUT) |
	    BIT(PROCESS_COMMUNICATION_STDERR));
	ck_assert_int_eq(lp_events_mask(bad, &m), -1);
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

/* ---- whole pools, through the bus ---- */

static struct ev_loop	*loop;
static struct bus	*bus;
static struct lp	*lp;

static struct pm_procconf procs_a[] = { { .name = "a0" }, { .name = "a1" } };
static struct pm_procconf procs_b[] = { { .name = "b0" } };
static char	*events_a[] = { "TICK", NULL };
static char	*events_b[] = { "TICK_5", "PROCESS_LOG", NULL };
static const struct pm_groupconf groups[] = {
	{ .name = "la", .type = PM_GROUP_LISTENER, .procs = procs_a,
	  .nprocs = 2, .events = events_a, .buffer_size = 3 },
	{ .name = "lb", .type = PM_GROUP_LISTENER, .procs = procs_b,
	  .nprocs = 1, .events = events_b, .buffer_size = 10 },
	{ .name = "prog", .type = PM_GROUP_PROGRAM },
};

static void
pool_setup(void)
{
	setup();
	stub_groups = groups;
	stub_ngroups = sizeof(groups) / sizeof(groups[0]);
	loop = ev_default_loop(0);
	ck_assert_ptr_nonnull(bus = bus_open(loop));
	lp = lp_new(loop, bus, NULL, NULL);
}

static void
pool_teardown(void)
{
	lp_free(lp);
	bus_close(bus);
}

static void
pub_group(enum bus_type t, const char *name)
{
	struct bus_event ev = BUS_EVENT_ZERO;

	ev.type = t;
	ev.groupname = name;
	bus_publish(bus, &ev);
	bus_drain(bus);
}

static void
pub_state(const char *group, const char *name, enum bus_type t, pid_t pid)
{
	struct bus_event ev = BUS_EVENT_ZERO;

	ev.type = t;
	ev.groupname = group;
	ev.processname = name;
	ev.from_state = "STOPPED";
	ev.pid = pid;
	ev.reaped = t == BUS_PROCESS_STATE_EXITED;
	bus_publish(bus, &ev);
	bus_drain(bus);
}

static void
pub_out(const char *group, const char *name, pid_t pid, const char *data,
    bool enabled)
{
	struct bus_event ev = BUS_EVENT_ZERO;

	ev.type = BUS_PROCESS_LOG_STDOUT;
	ev.groupname = group;
	ev.processname = name;
	ev.pid = pid;
	ev.data = data;
	ev.datalen = strlen(data);
	ev.events_enabled = enabled;
	bus_publish(bus, &ev);
	bus_drain(bus);
}

static void
pub_tick(long long when)
{
	struct bus_event ev = BUS_EVENT_ZERO;

	ev.type = BUS_TICK_5;
	ev.when = when;
	bus_publish(bus, &ev);
	bus_drain(bus);
}

/* Start a listener and have it say READY. */
static void
listener_up(const char *group, const char *name, pid_t pid)
{
	pub_state(group, name, BUS_PROCESS_STATE_STARTING, pid);
	pub_state(group, name, BUS_PROCESS_STATE_RUNNING, pid);
	pub_out(group, name, pid, "READY\n", false);
}

static void
assert_sent(const char *want)
{
	ck_assert_msg(strcmp(stub_sent, want) == 0, "sent:\n%s\nwant:\n%s",
	    stub_sent, want);
}

static void
assert_logged(const char *line)
{
	ck_assert_msg(strstr(logbuf, line) != NULL, "no '%s' in log:\n%s",
	    line, logbuf);
}

START_TEST(event_goes_to_the_first_running_ready_listener)
{
	pub_group(BUS_PROCESS_GROUP_ADDED, "la");
	pub_state("la", "a0", BUS_PROCESS_STATE_STARTING, 100);
	pub_out("la", "a0", 100, "READY\n", false);
	pub_tick(1795514330);
	assert_sent("");		/* a0 is READY but not RUNNING */
	listener_up("la", "a1", 101);
	assert_sent("[la/a1]ver:3.0 server:supervisor serial:0 pool:la "
	    "poolserial:0 eventname:TICK_5 len:15\nwhen:1795514330|");
	assert_logged("DEBG a1: ACKNOWLEDGED -> READY\n");
	assert_logged("DEBG event 0 sent to listener a1\n");
	stub_sentlen = 0;
	stub_sent[0] = '\0';
	pub_state("la", "a0", BUS_PROCESS_STATE_RUNNING, 100);
	pub_tick(1795514335);
	assert_sent("[la/a0]ver:3.0 server:supervisor serial:1 pool:la "
	    "poolserial:1 eventname:TICK_5 len:15\nwhen:1795514335|");
}
END_TEST

START_TEST(one_event_has_one_serial_in_every_pool_that_takes_it)
{
	pub_group(BUS_PROCESS_GROUP_ADDED, "la");
	pub_group(BUS_PROCESS_GROUP_ADDED, "lb");
	/* nobody takes state events: they use no serial */
	listener_up("la", "a0", 100);
	pub_tick(1795514330);
	pub_tick(1795514335);
	listener_up("lb", "b0", 200);
	assert_sent("[la/a0]ver:3.0 server:supervisor serial:0 pool:la "
	    "poolserial:0 eventname:TICK_5 len:15\nwhen:1795514330|"
	    "[lb/b0]ver:3.0 server:supervisor serial:0 pool:lb "
	    "poolserial:0 eventname:TICK_5 len:15\nwhen:1795514330|");
}
END_TEST

START_TEST(rejected_event_goes_back_to_the_head_of_its_own_pool_only)
{
	struct lp_pool_stats st;

	pub_group(BUS_PROCESS_GROUP_ADDED, "la");
	pub_group(BUS_PROCESS_GROUP_ADDED, "lb");
	listener_up("la", "a0", 100);
	pub_tick(1795514330);
	pub_tick(1795514335);
	pub_out("la", "a0", 100, "RESULT 4\nFAIL", false);
	assert_logged("WARN a0: event was rejected\n");
	assert_logged("DEBG a0: BUSY -> ACKNOWLEDGED\n");
	assert_logged("DEBG rebuffering event 0 for pool la (buf size=1, "
	    "max=3)\n");
	stub_sentlen = 0;
	stub_sent[0] = '\0';
	pub_out("la", "a0", 100, "READY\n", false);
	assert_sent("[la/a0]ver:3.0 server:supervisor serial:0 pool:la "
	    "poolserial:0 eventname:TICK_5 len:15\nwhen:1795514330|");
	ck_assert_int_eq(lp_pool_stats(lp, "la", &st), 0);
	ck_assert_uint_eq(st.rebuffered, 1);
	ck_assert_uint_eq(st.buffered, 1);
	ck_assert_int_eq(lp_pool_stats(lp, "lb", &st), 0);
	ck_assert_uint_eq(st.buffered, 2);
	ck_assert_uint_eq(st.rebuffered, 0);
	pub_out("la", "a0", 100, "RESULT 2\nOK", false);
	ck_assert_int_eq(lp_pool_stats(lp, "la", &st), 0);
	ck_assert_uint_eq(st.delivered, 1);
	assert_logged("DEBG a0: event was processed\n");
}
END_TEST

START_TEST(event_held_by_a_dying_listener_goes_to_another)
{
	struct lp_pool_stats st;

	pub_group(BUS_PROCESS_GROUP_ADDED, "la");
	listener_up("la", "a0", 100);
	pub_tick(1795514330);
	pub_state("la", "a0", BUS_PROCESS_STATE_EXITED, 100);
	stub_sentlen = 0;
	stub_sent[0] = '\0';
	listener_up("la", "a1", 101);
	assert_sent("[la/a1]ver:3.0 server:supervisor serial:0 pool:la "
	    "poolserial:0 eventname:TICK_5 len:15\nwhen:1795514330|");
	ck_assert_int_eq(lp_pool_stats(lp, "la", &st), 0);
	ck_assert_uint_eq(st.rebuffered, 1);
	/* restarted, a0 must say READY again before it gets anything */
	pub_state("la", "a0", BUS_PROCESS_STATE_STARTING, 102);
	pub_state("la", "a0", BUS_PROCESS_STATE_RUNNING, 102);
	pub_tick(1795514335);
	ck_assert_int_eq(lp_pool_stats(lp, "la", &st), 0);
	ck_assert_uint_eq(st.buffered, 1);
}
END_TEST

START_TEST(full_pool_discards_the_oldest_with_4_2_5s_error)
{
	struct lp_pool_stats st;
	int		 i;

	pub_group(BUS_PROCESS_GROUP_ADDED, "la");
	for (i = 0; i < 5; i++)
		pub_tick(1795514330 + 5 * i);
	assert_logged("ERRO pool la event buffer overflowed, discarding "
	    "event 0\n");
	assert_logged("ERRO pool la event buffer overflowed, discarding "
	    "event 1\n");
	ck_assert_int_eq(lp_pool_stats(lp, "la", &st), 0);
	ck_assert_uint_eq(st.dropped, 2);
	ck_assert_uint_eq(st.buffered, 3);
	ck_assert_uint_eq(st.accepted, 5);
	listener_up("la", "a0", 100);
	assert_sent("[la/a0]ver:3.0 server:supervisor serial:2 pool:la "
	    "poolserial:2 eventname:TICK_5 len:15\nwhen:1795514340|");
}
END_TEST

START_TEST(listener_in_unknown_gets_nothing_and_others_keep_working)
{
	pub_group(BUS_PROCESS_GROUP_ADDED, "la");
	listener_up("la", "a0", 100);
	pub_out("la", "a0", 100, "garbage", false);
	assert_logged("DEBG a0: READY -> UNKNOWN\n");
	assert_logged("WARN a0: has entered the UNKNOWN state and will no "
	    "longer receive events, this usually indicates the process "
	    "violated the eventlistener protocol\n");
	pub_tick(1795514330);
	assert_sent("");
	listener_up("la", "a1", 101);
	assert_sent("[la/a1]ver:3.0 server:supervisor serial:0 pool:la "
	    "poolserial:0 eventname:TICK_5 len:15\nwhen:1795514330|");
	pub_out("la", "a1", 101, "RESULT 2\nOK", false);
	pub_out("la", "a1", 101, "HELLO\n", false);
	assert_logged("DEBG a1: ACKNOWLEDGED -> UNKNOWN\n");
}
END_TEST

START_TEST(bad_result_line_is_logged_and_the_event_kept)
{
	struct lp_pool_stats st;

	pub_group(BUS_PROCESS_GROUP_ADDED, "la");
	listener_up("la", "a0", 100);
	pub_tick(1795514330);
	pub_out("la", "a0", 100, "HELLO\n", false);
	assert_logged("WARN a0: bad result line: 'HELLO'\n");
	assert_logged("DEBG a0: BUSY -> UNKNOWN\n");
	ck_assert_int_eq(lp_pool_stats(lp, "la", &st), 0);
	ck_assert_uint_eq(st.buffered, 1);
	ck_assert_uint_eq(st.rebuffered, 1);
}
END_TEST

START_TEST(closed_stdin_moves_on_to_the_next_listener)
{
	pub_group(BUS_PROCESS_GROUP_ADDED, "la");
	listener_up("la", "a0", 100);
	listener_up("la", "a1", 101);
	stub_dead = "a0";
	pub_tick(1795514330);
	assert_logged("DEBG epipe occurred while sending event 0 to "
	    "listener a0, listener state unchanged\n");
	assert_sent("[la/a1]ver:3.0 server:supervisor serial:0 pool:la "
	    "poolserial:0 eventname:TICK_5 len:15\nwhen:1795514330|");
}
END_TEST

START_TEST(process_log_needs_events_enabled_and_never_a_listeners_stdout)
{
	struct lp_pool_stats st;

	pub_group(BUS_PROCESS_GROUP_ADDED, "la");
	pub_group(BUS_PROCESS_GROUP_ADDED, "lb");
	listener_up("la", "a0", 100);
	pub_out("la", "a0", 100, "", true);
	pub_out("prog", "p", 300, "quiet\n", false);
	ck_assert_int_eq(lp_pool_stats(lp, "lb", &st), 0);
	ck_assert_uint_eq(st.accepted, 0);
	pub_out("prog", "p", 300, "loud\n", true);
	ck_assert_int_eq(lp_pool_stats(lp, "lb", &st), 0);
	ck_assert_uint_eq(st.accepted, 1);
	listener_up("lb", "b0", 200);
	assert_sent("[lb/b0]ver:3.0 server:supervisor serial:0 pool:lb "
	    "poolserial:0 eventname:PROCESS_LOG_STDOUT len:57\n"
	    "processname:p groupname:prog pid:300 channel:stdout\nloud\n|");
}
END_TEST

START_TEST(removed_group_takes_its_pool_away)
{
	struct lp_pool_stats st;

	pub_group(BUS_PROCESS_GROUP_ADDED, "la");
	pub_group(BUS_PROCESS_GROUP_ADDED, "prog");
	ck_assert_int_eq(lp_pool_stats(lp, "la", &st), 0);
	ck_assert_int_eq(lp_pool_stats(lp, "prog", &st), -1);
	ck_assert_int_eq(errno, ENOENT);
	pub_tick(1795514330);
	pub_group(BUS_PROCESS_GROUP_REMOVED, "la");
	ck_assert_int_eq(lp_pool_stats(lp, "la", &st), -1);
	/* added again: a fresh pool, poolserial from 0, serial goes on */
	pub_group(BUS_PROCESS_GROUP_ADDED, "la");
	listener_up("la", "a0", 100);
	pub_tick(1795514335);
	assert_sent("[la/a0]ver:3.0 server:supervisor serial:1 pool:la "
	    "poolserial:0 eventname:TICK_5 len:15\nwhen:1795514335|");
}
END_TEST

static Suite *
lp_pools_suite(void)
{
	Suite	*s = suite_create("lp_pool");
	TCase	*tc = tcase_create("pool");

	tcase_add_checked_fixture(tc, pool_setup, pool_teardown);
	tcase_add_test(tc, event_goes_to_the_first_running_ready_listener);
	tcase_add_test(tc,
	    one_event_has_one_serial_in_every_pool_that_takes_it);
	tcase_add_test(tc,
	    rejected_event_goes_back_to_the_head_of_its_own_pool_only);
	tcase_add_test(tc, event_held_by_a_dying_listener_goes_to_another);
	tcase_add_test(tc, full_pool_discards_the_oldest_with_4_2_5s_error);
	tcase_add_test(tc,
	    listener_in_unknown_gets_nothing_and_others_keep_working);
	tcase_add_test(tc, bad_result_line_is_logged_and_the_event_kept);
	tcase_add_test(tc, closed_stdin_moves_on_to_the_next_listener);
	tcase_add_test(tc,
	    process_log_needs_events_enabled_and_never_a_listeners_stdout);
	tcase_add_test(tc, removed_group_takes_its_pool_away);
	suite_add_tcase(s, tc);
	return s;
}

static Suite *
lp_suite(void)
{
	Suite	*s = suite_create("lp");
	TCase	*tc;

	tc = tcase_create("proto");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, protocol_table_gives_4_2_5s_states_and_results,
	    0, sizeof(proto_rows) / sizeof(proto_rows[0]));
	tcase_add_test(tc, unknown_listener_discards_everything_it_writes);
	tcase_add_test(tc,
	    endless_result_line_is_a_bad_line_not_unbounded_memory);
	tcase_add_test(tc, huge_result_body_is_counted_not_stored);
	tcase_add_loop_test(tc, result_length_is_parsed_like_python_int, 0,
	    sizeof(len_rows) / sizeof(len_rows[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("event");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, envelopes_of_every_event_type_are_4_2_5s);
	tcase_add_test(tc, envelopes_of_output_and_other_events_are_4_2_5s);
	tcase_add_test(tc, len_counts_characters_of_non_ascii_payloads);
	tcase_add_test(tc, undecodable_output_is_replaced_by_its_python_repr);
	tcase_add_test(tc, strict_utf8_rejects_what_python_rejects);
	tcase_add_test(tc, bytes_repr_quotes_like_python);
	tcase_add_test(tc, abstract_types_match_their_subtypes);
	suite_add_tcase(s, tc);

	tc = tcase_create("buf");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, full_buffer_drops_the_oldest_event);
	tcase_add_test(tc, rebuffered_event_goes_to_the_head);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(lp_suite());
	srunner_add_suite(sr, lp_pools_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
