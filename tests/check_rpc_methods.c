/*
 * check_rpc_methods.c: every XML-RPC method through rpc_call_start, as
 * the HTTP side calls it, against a real pm with real children, the real
 * bus and the real logger, all in this process. Deferred calls finish
 * from the bus; tests run the loop until an answer comes or a deadline.
 */
#include <sys/stat.h>

#include <check.h>
#include <ev.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bus.h"
#include "log.h"
#include "logger.h"
#include "pm.h"
#include "rpc_methods_int.h"

static struct ev_loop	*loop;
static struct bus	*bus;
static struct pm	*pm;
static struct logger	*lg;
static struct rpc_methods *rm;
static struct pm_config	*cfg, *oldcfg;
static char		 tmpdir[64], confpath[128];
static int		 mood = 1, nshutdown, nrestart, nremote;
static bool		 all_down;
static char		 remote[256];

/* The answer of the last call. */
static char		*answer;
static int		 ndone, ncalled;

static int
t_mood(void *arg)
{
	return mood;
}

static void
t_shutdown(void *arg)
{
	nshutdown++;
}

static void
t_restart(void *arg)
{
	nrestart++;
}

static int
t_reread(void *arg, char *err, size_t errlen)
{
	struct pm_config	*c;

	if ((c = pm_config_load(confpath, NULL, err, errlen)) == NULL)
		return -1;
	pm_config_free(oldcfg);		/* pm is handed the new one */
	oldcfg = cfg;
	cfg = c;
	return 0;
}

static const struct pm_config *
t_config(void *arg)
{
	return cfg;
}

static const struct rpc_ops ops = {
	t_mood, t_shutdown, t_restart, t_reread, t_config
};

static void
t_remote(const struct bus_event *ev, void *arg)
{
	nremote++;
	snprintf(remote, sizeof(remote), "%s|%.*s", ev->comm_type,
	    (int)ev->datalen, ev->data);
}

static void
t_done(const char *xml, size_t len, void *arg)
{
	free(answer);
	answer = xstrndup(xml, len);
	ndone++;
}

/* Run the loop until cond holds or secs pass. */
/*
 * Poll the loop rather than block in it: an event published from the
 * test itself, outside the loop, wakes nothing, and a blocking turn
 * would then sleep until the next tick.
 */
#define WAIT_FOR(cond, secs) do {					\
	ev_tstamp dl_ = ev_time() + (secs);				\
	while (!(cond) && ev_time() < dl_) {				\
		ev_run(loop, EVRUN_NOWAIT);				\
		if (!(cond))						\
			usleep(1000);					\
	}								\
	ck_assert_msg((cond), "timed out waiting for " #cond);		\
} while (0)

#define S(x)	"<param><value><string>" x "</string></value></param>"
#define I(x)	"<param><value><int>" #x "</int></value></param>"
#define B(x)	"<param><value><boolean>" #x "</boolean></value></param>"

/* Start a call; returns the handle (NULL once answered). */
static struct rpc_call *
start(const char *method, const char *params)
{
	struct rpc_call	*c;
	char		*body;

	xasprintf(&body, "<?xml version='1.0'?>\n<methodCall>\n<methodName>"
	    "%s</methodName>\n<params>\n%s</params>\n</methodCall>\n",
	    method, params);
	ck_assert_int_eq(rpc_call_start(rm, body, strlen(body), t_done, NULL,
	    &c), 0);
	free(body);
	return c;
}

/* Run a call to its answer. */
static const char *
call(const char *method, const char *params)
{
	int	 n = ndone;

	ncalled++;
	start(method, params);
	WAIT_FOR(ndone > n, 15);
	return answer;
}

#define RESPONSE(v)	"<?xml version='1.0'?>\n<methodResponse>\n<params>\n" \
	"<param>\n" v "</param>\n</params>\n</methodResponse>\n"
#define FAULT(code, s)	"<?xml version='1.0'?>\n<methodResponse>\n<fault>\n" \
	"<value><struct>\n<member>\n<name>faultCode</name>\n"		\
	"<value><int>" #code "</int></value>\n</member>\n<member>\n"	\
	"<name>faultString</name>\n<value><string>" s			\
	"</string></value>\n</member>\n</struct></value>\n</fault>\n"	\
	"</methodResponse>\n"
#define TRUE_	RESPONSE("<value><boolean>1</boolean></value>\n")

#define ck_has(hay, needle)	ck_assert_msg(strstr((hay), (needle)) != \
	NULL, "no \"%s\" in:\n%s", (needle), (hay))

/* The text of <name>field</name>'s string value in xml (static). */
static const char *
field(const char *xml, const char *name)
{
	static char	 out[512];
	char		 key[64];
	const char	*p, *e;

	snprintf(key, sizeof(key), "<name>%s</name>\n<value><", name);
	if ((p = strstr(xml, key)) == NULL)
		return NULL;
	p = strchr(p + strlen(key), '>') + 1;
	e = strstr(p, "</");
	snprintf(out, sizeof(out), "%.*s", (int)(e - p), p);
	return out;
}

static void
write_conf(const char *extra)
{
	FILE	*f;

	ck_assert_ptr_nonnull(f = fopen(confpath, "w"));
	fprintf(f, "[supervisord]\nlogfile=%s/main.log\nidentifier=testsup\n"
	    "childlogdir=%s\n\n"
	    "[program:cat]\ncommand=/bin/cat\nstartsecs=0\n"
	    "stdout_logfile=%s/cat.out\nstderr_logfile=%s/cat.err\n\n"
	    "[program:sleeper]\ncommand=/bin/sleep 1000\nstartsecs=1\n"
	    "autostart=false\nstopwaitsecs=5\n\n"
	    "[program:quick]\ncommand=/bin/true\nstartsecs=1\n"
	    "startretries=0\nautostart=false\n\n"
	    "[program:missing]\ncommand=/nonexistent/prog\nautostart=false\n\n"
	    "[group:g]\nprograms=a,b\n\n"
	    "[program:a]\ncommand=/bin/sleep 1000\nstartsecs=0\n"
	    "autostart=false\n\n"
	    "[program:b]\ncommand=/bin/sleep 1000\nstartsecs=0\n"
	    "autostart=false\n%s", tmpdir, tmpdir, tmpdir, tmpdir, extra);
	fclose(f);
}

static void
setup(void)
{
	char	 err[512];

	signal(SIGPIPE, SIG_IGN);
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/ckrpcm.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	snprintf(confpath, sizeof(confpath), "%s/sd.conf", tmpdir);
	write_conf("");
	cfg = pm_config_load(confpath, NULL, err, sizeof(err));
	ck_assert_msg(cfg != NULL, "%s", err);
	/* CK_FORK=no (valgrind) runs every test in one process */
	nremote = nshutdown = nrestart = 0;
	remote[0] = '\0';
	all_down = false;
	loop = ev_default_loop(0);
	ck_assert_ptr_nonnull(bus = bus_open(loop));
	pm = pm_new(loop, bus);
	lg = logger_new(loop, bus, pm, cfg, err, sizeof(err));
	ck_assert_msg(lg != NULL, "%s", err);
	bus_subscribe(bus, "REMOTE_COMMUNICATION", t_remote, NULL);
	rm = rpc_methods_new(loop, bus, pm, lg, &ops, NULL);
	pm_set_config(pm, cfg);
	pm_group_add_all(pm);
	WAIT_FOR(strstr(call("supervisor.getProcessInfo", S("cat")),
	    "RUNNING") != NULL, 10);
}

static void
t_all_down(void *arg)
{
	all_down = true;
}

static void
teardown(void)
{
	char	 cmd[128];

	pm_shutdown(pm, t_all_down, NULL);
	WAIT_FOR(all_down, 15);
	rpc_methods_free(rm);
	pm_group_remove_all(pm);
	bus_drain(bus);
	bus_unsubscribe(bus, t_remote, NULL);
	logger_free(lg);
	pm_free(pm);
	bus_close(bus);
	pm_config_free(cfg);
	pm_config_free(oldcfg);
	cfg = oldcfg = NULL;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	(void)system(cmd);
}

/* ---- nanovisor.* ---- */

START_TEST(nanovisor_fire_event_reaches_the_bus_and_the_ring)
{
	const char	*xml;
	uint64_t	 serial;
	int		 n = nremote;

	bus_ring_configure(bus, 3, 1 << 20);
	xml = call("nanovisor.fireEvent", S("REMOTE_COMMUNICATION")
	    "<param><value><struct><member><name>type</name><value><string>"
	    "drill</string></value></member><member><name>data</name><value>"
	    "<string>hi</string></value></member></struct></value></param>");
	ck_has(xml, "<int>");
	serial = bus_published(bus);
	WAIT_FOR(nremote > n, 5);
	ck_assert_str_eq(remote, "drill|hi");
	/* the ring holds it: base64 of the exact message */
	xml = call("nanovisor.getEvents", "<param><value><int>0</int></value>"
	    "</param>" I(10));
	ck_has(xml, "<name>lost</name>");
	ck_has(xml, "<base64>");
	ck_assert_uint_ge(serial, 3);
	xml = call("nanovisor.getBusInfo", "");
	ck_has(xml, "<name>ring_size</name>\n<value><int>3</int>");
	ck_has(xml, "<name>version</name>\n<value><int>1</int>");
	xml = call("nanovisor.fireEvent", S("NOPE"));
	ck_has(xml, "BAD_NAME: NOPE");
	xml = call("nanovisor.fireEvent", S("PROCESS_STATE_EXITED")
	    "<param><value><struct><member><name>from_state</name><value>"
	    "<string>BOGUS</string></value></member></struct></value>"
	    "</param>");
	ck_has(xml, "BAD_ARGUMENTS: from_state");
	xml = call("nanovisor.getEvents", I(-1));
	ck_has(xml, "BAD_ARGUMENTS");
	/* the state machine and waiting calls ignore a drill */
	xml = call("nanovisor.fireEvent", S("PROCESS_STATE_EXITED")
	    "<param><value><struct><member><name>processname</name><value>"
	    "<string>cat</string></value></member></struct></value></param>");
	ck_has(call("supervisor.getProcessInfo", S("cat")), "RUNNING");
	bus_ring_configure(bus, 0, 0);
}
END_TEST

/* ---- system.* and dispatch ---- */

START_TEST(list_methods_gives_the_44_names_sorted)
{
	const char	*xml = call("system.listMethods", "");
	const char	*p;
	char		 prev[64] = "", cur[64];
	int		 n = 0;

	for (p = xml; (p = strstr(p, "<string>")) != NULL; p += 8) {
		snprintf(cur, sizeof(cur), "%.*s", (int)strcspn(p + 8, "<"),
		    p + 8);
		ck_assert_msg(strcmp(prev, cur) < 0, "%s before %s", prev, cur);
		snprintf(prev, sizeof(prev), "%s", cur);
		n++;
	}
	ck_assert_int_eq(n, 44);
	ck_has(xml, "<string>supervisor.getAPIVersion</string>");
	ck_has(xml, "<string>supervisor.readMainLog</string>");
	ck_has(xml, "<string>system.multicall</string>");
}
END_TEST

START_TEST(method_signature_and_help_describe_a_method)
{
	ck_assert_str_eq(call("system.methodSignature",
	    S("supervisor.startProcess")), RESPONSE("<value><array><data>\n"
	    "<value><string>boolean</string></value>\n"
	    "<value><string>string</string></value>\n"
	    "<value><string>boolean</string></value>\n"
	    "</data></array></value>\n"));
	ck_has(call("system.methodHelp", S("supervisor.getState")),
	    "statecode");
	ck_assert_str_eq(call("system.methodHelp", S("nope.x")),
	    FAULT(4, "SIGNATURE_UNSUPPORTED"));
	ck_assert_str_eq(call("system.methodSignature", S("nope")),
	    FAULT(4, "SIGNATURE_UNSUPPORTED"));
}
END_TEST

START_TEST(unknown_methods_and_wrong_arguments_are_faults)
{
	ck_assert_str_eq(call("supervisor.nope", ""),
	    FAULT(1, "UNKNOWN_METHOD"));
	ck_assert_str_eq(call("supervisor._update", ""),
	    FAULT(1, "UNKNOWN_METHOD"));
	ck_assert_str_eq(call("supervisor.getState", S("x")),
	    FAULT(2, "INCORRECT_PARAMETERS"));
	ck_assert_str_eq(call("supervisor.getProcessInfo", ""),
	    FAULT(2, "INCORRECT_PARAMETERS"));
	ck_assert_str_eq(call("supervisor.getProcessInfo", I(3)),
	    FAULT(2, "INCORRECT_PARAMETERS"));
	ck_assert_str_eq(call("supervisor.readLog", S("x") I(0)),
	    FAULT(2, "INCORRECT_PARAMETERS"));
}
END_TEST

START_TEST(a_body_that_is_not_a_call_is_a_400)
{
	struct rpc_call	*c;
	const char	*doc = "<!DOCTYPE x [<!ENTITY a 'b'>]><methodCall/>";
	int		 n = ndone;

	ck_assert_int_eq(rpc_call_start(rm, doc, strlen(doc), t_done, NULL,
	    &c), 400);
	ck_assert_int_eq(rpc_call_start(rm, "junk", 4, t_done, NULL, &c),
	    400);
	ck_assert_int_eq(ndone, n);
}
END_TEST

START_TEST(state_versions_identification_and_pid_answer)
{
	char	 pid[64];

	ck_assert_str_eq(call("supervisor.getAPIVersion", ""),
	    RESPONSE("<value><string>3.0</string></value>\n"));
	ck_assert_str_eq(call("supervisor.getVersion", ""),
	    RESPONSE("<value><string>3.0</string></value>\n"));
	ck_assert_str_eq(call("supervisor.getSupervisorVersion", ""),
	    RESPONSE("<value><string>4.2.5</string></value>\n"));
	ck_assert_str_eq(call("supervisor.getIdentification", ""),
	    RESPONSE("<value><string>testsup</string></value>\n"));
	ck_assert_str_eq(call("supervisor.getState", ""),
	    RESPONSE("<value><struct>\n<member>\n<name>statecode</name>\n"
	    "<value><int>1</int></value>\n</member>\n<member>\n"
	    "<name>statename</name>\n<value><string>RUNNING</string></value>\n"
	    "</member>\n</struct></value>\n"));
	snprintf(pid, sizeof(pid), "<int>%d</int>", (int)getpid());
	ck_has(call("supervisor.getPID", ""), pid);
}
END_TEST

START_TEST(while_shutting_down_supervisor_methods_refuse)
{
	mood = -1;
	ck_assert_str_eq(call("supervisor.getState", ""),
	    FAULT(6, "SHUTDOWN_STATE"));
	ck_assert_str_eq(call("supervisor.getPID", ""),
	    FAULT(6, "SHUTDOWN_STATE"));
	ck_assert_str_eq(call("supervisor.sendRemoteCommEvent",
	    S("t") S("d")), TRUE_);
	ck_assert_str_eq(call("supervisor.signalAllProcesses", S("CONT")),
	    FAULT(6, "SHUTDOWN_STATE"));
	ck_has(call("system.listMethods", ""), "system.multicall");
	mood = 1;
}
END_TEST

START_TEST(shutdown_and_restart_go_to_supervisord)
{
	ck_assert_str_eq(call("supervisor.shutdown", ""), TRUE_);
	ck_assert_str_eq(call("supervisor.restart", ""), TRUE_);
	ck_assert_int_eq(nshutdown, 1);
	ck_assert_int_eq(nrestart, 1);
}
END_TEST

START_TEST(send_remote_comm_event_publishes_on_the_bus)
{
	ck_assert_str_eq(call("supervisor.sendRemoteCommEvent",
	    S("mytype") S("some data")), TRUE_);
	WAIT_FOR(nremote == 1, 5);
	ck_assert_str_eq(remote, "mytype|some data");
}
END_TEST

/* ---- process info ---- */

START_TEST(uptimes_read_as_pythons_timedelta)
{
	static const struct {
		long long	 secs;
		const char	*text;
	} cases[] = {
		{ 0, "0:00:00" }, { 59, "0:00:59" }, { 3661, "1:01:01" },
		{ 86399, "23:59:59" }, { 86400, "1 day, 0:00:00" },
		{ 2 * 86400 + 7322, "2 days, 2:02:02" },
	};
	char	 buf[64];
	size_t	 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rpc_uptime(buf, sizeof(buf), cases[i].secs);
		ck_assert_str_eq(buf, cases[i].text);
	}
}
END_TEST

START_TEST(namespecs_split_as_4_2_5_splits_them)
{
	char	*g, *p;

	rpc_namespec_split("a", &g, &p);
	ck_assert_str_eq(g, "a");
	ck_assert_str_eq(p, "a");
	free(g);
	free(p);
	rpc_namespec_split("g:p:q", &g, &p);
	ck_assert_str_eq(g, "g");
	ck_assert_str_eq(p, "p:q");
	free(g);
	free(p);
	rpc_namespec_split("g:*", &g, &p);
	ck_assert_str_eq(g, "g");
	ck_assert_ptr_null(p);
	free(g);
	rpc_namespec_split("g:", &g, &p);
	ck_assert_str_eq(g, "g");
	ck_assert_ptr_null(p);
	free(g);
}
END_TEST

START_TEST(process_info_has_4_2_5s_fields_in_order)
{
	static const char *const names[] = { "name", "group", "start",
	    "stop", "now", "state", "statename", "spawnerr", "exitstatus",
	    "logfile", "stdout_logfile", "stderr_logfile", "pid",
	    "description" };
	const char	*xml = call("supervisor.getProcessInfo", S("cat"));
	const char	*p = xml;
	char		 want[64], out[128];
	size_t		 i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(want, sizeof(want), "<name>%s</name>", names[i]);
		ck_assert_ptr_nonnull(p = strstr(p, want));
	}
	ck_assert_int_eq(strstr(p + 1, "<name>") == NULL, 1);
	ck_assert_str_eq(field(xml, "statename"), "RUNNING");
	ck_assert_str_eq(field(xml, "state"), "20");
	ck_assert_str_eq(field(xml, "group"), "cat");
	snprintf(out, sizeof(out), "%s/cat.out", tmpdir);
	ck_assert_str_eq(field(xml, "logfile"), out);
	ck_assert_str_eq(field(xml, "stdout_logfile"), out);
	ck_assert_int_eq(strncmp(field(xml, "description"), "pid ", 4), 0);
	ck_has(field(xml, "description"), ", uptime 0:00:");
	xml = call("supervisor.getProcessInfo", S("g:a"));
	ck_assert_str_eq(field(xml, "description"), "Not started");
	ck_assert_str_eq(field(xml, "pid"), "0");
	xml = call("supervisor.getProcessInfo", S("cat"));
	snprintf(out, sizeof(out), "%s/cat.err", tmpdir);
	ck_assert_str_eq(field(xml, "stderr_logfile"), out);
}
END_TEST

START_TEST(process_info_of_a_bad_name_is_bad_name)
{
	ck_assert_str_eq(call("supervisor.getProcessInfo", S("nosuch")),
	    FAULT(10, "BAD_NAME: nosuch"));
	ck_assert_str_eq(call("supervisor.getProcessInfo", S("g:*")),
	    FAULT(10, "BAD_NAME: g:*"));
	ck_assert_str_eq(call("supervisor.getProcessInfo", S("g:zz")),
	    FAULT(10, "BAD_NAME: g:zz"));
}
END_TEST

START_TEST(all_process_info_is_sorted_by_group_then_name)
{
	const char	*xml = call("supervisor.getAllProcessInfo", "");
	const char	*order[] = { "<string>cat</string>",
	    "<string>a</string>", "<string>b</string>",
	    "<string>missing</string>",
	    "<string>quick</string>", "<string>sleeper</string>" };
	const char	*p = xml;
	size_t		 i;

	for (i = 0; i < 6; i++)
		ck_assert_msg((p = strstr(p, order[i])) != NULL, "%s", order[i]);
}
END_TEST

START_TEST(all_config_info_lists_every_program_with_autorestart)
{
	const char	*xml = call("supervisor.getAllConfigInfo", "");

	ck_has(xml, "<name>autostart</name>\n<value><boolean>1</boolean>"
	    "</value>\n</member>\n<member>\n<name>autorestart</name>\n"
	    "<value><string>unexpected</string></value>");
	ck_has(xml, "<name>directory</name>\n<value><string>none</string>");
	ck_has(xml, "<name>uid</name>\n<value><string>none</string>");
	ck_has(xml, "<name>serverurl</name>\n<value><string>none</string>");
	ck_has(xml, "<name>stopsignal</name>\n<value><int>15</int>");
	ck_has(xml, "<name>command</name>\n<value><string>/bin/cat</string>");
	/* AUTO, as named for the running process */
	ck_has(xml, "<name>stdout_logfile</name>\n<value><string>/tmp/ckrpcm.");
	ck_has(xml, "-stdout---testsup-");
	ck_has(xml, "<name>exitcodes</name>\n<value><array><data>\n"
	    "<value><int>0</int></value>\n</data></array></value>");
	ck_has(xml, "<name>inuse</name>\n<value><boolean>1</boolean>");
	/* sorted by process name: a, b, cat, missing, quick, sleeper */
	ck_assert(strstr(xml, "<string>/bin/cat</string>") <
	    strstr(xml, "<string>/nonexistent/prog</string>"));
}
END_TEST

/* ---- start and stop ---- */

START_TEST(start_with_wait_answers_once_the_process_is_running)
{
	struct rpc_call	*c;
	int		 n = ndone;

	c = start("supervisor.startProcess", S("sleeper") B(1));
	ck_assert_ptr_nonnull(c);		/* startsecs=1: deferred */
	ck_assert_int_eq(ndone, n);
	WAIT_FOR(ndone > n, 10);
	ck_assert_str_eq(answer, TRUE_);
	ck_assert_str_eq(field(call("supervisor.getProcessInfo",
	    S("sleeper")), "statename"), "RUNNING");
	ck_assert_str_eq(call("supervisor.startProcess", S("sleeper")),
	    FAULT(60, "ALREADY_STARTED: sleeper"));
}
END_TEST

START_TEST(start_without_wait_answers_at_once)
{
	ck_assert_ptr_null(start("supervisor.startProcess", S("sleeper")
	    B(0)));
	ck_assert_str_eq(answer, TRUE_);
	ck_assert_str_eq(field(call("supervisor.getProcessInfo",
	    S("sleeper")), "statename"), "STARTING");
}
END_TEST

START_TEST(a_process_that_exits_too_soon_is_a_spawn_error)
{
	ck_assert_str_eq(call("supervisor.startProcess", S("quick")),
	    FAULT(50, "SPAWN_ERROR: quick"));
}
END_TEST

START_TEST(a_missing_command_is_no_file)
{
	const char	*xml = call("supervisor.startProcess", S("missing"));

	ck_has(xml, "<value><int>20</int></value>");
	ck_has(xml, "<string>NO_FILE: ");
}
END_TEST

START_TEST(stop_with_wait_answers_once_the_process_is_stopped)
{
	ck_assert_str_eq(call("supervisor.stopProcess", S("cat")), TRUE_);
	ck_assert_str_eq(field(call("supervisor.getProcessInfo", S("cat")),
	    "statename"), "STOPPED");
	ck_assert_str_eq(call("supervisor.stopProcess", S("cat")),
	    FAULT(70, "NOT_RUNNING: cat"));
	ck_assert_str_eq(call("supervisor.stopProcess", S("nosuch")),
	    FAULT(10, "BAD_NAME: nosuch"));
}
END_TEST

#define OK_ENTRY(n, g)	"<value><struct>\n<member>\n<name>name</name>\n" \
	"<value><string>" n "</string></value>\n</member>\n<member>\n"	\
	"<name>group</name>\n<value><string>" g "</string></value>\n"	\
	"</member>\n<member>\n<name>status</name>\n"			\
	"<value><int>80</int></value>\n</member>\n<member>\n"		\
	"<name>description</name>\n<value><string>OK</string></value>\n" \
	"</member>\n</struct></value>\n"

START_TEST(group_start_and_stop_return_a_status_per_process)
{
	ck_assert_str_eq(call("supervisor.startProcessGroup", S("g")),
	    RESPONSE("<value><array><data>\n" OK_ENTRY("a", "g")
	    OK_ENTRY("b", "g") "</data></array></value>\n"));
	/* only the ones not running yet */
	ck_assert_str_eq(call("supervisor.startProcess", S("g:*")),
	    RESPONSE("<value><array><data>\n</data></array></value>\n"));
	ck_assert_str_eq(call("supervisor.stopProcess", S("g:a")), TRUE_);
	ck_assert_str_eq(call("supervisor.stopProcessGroup", S("g")),
	    RESPONSE("<value><array><data>\n" OK_ENTRY("b", "g")
	    "</data></array></value>\n"));
	ck_assert_str_eq(call("supervisor.startProcessGroup", S("nosuch")),
	    FAULT(10, "BAD_NAME: nosuch"));
}
END_TEST

START_TEST(start_all_reports_failures_in_the_array)
{
	const char	*xml = call("supervisor.startAllProcesses", "");

	ck_has(xml, "<string>SPAWN_ERROR: quick</string>");
	ck_has(xml, "<value><int>50</int></value>");
	ck_has(xml, "<string>NO_FILE: ");
	ck_has(xml, OK_ENTRY("sleeper", "sleeper"));
	ck_assert_ptr_null(strstr(xml, "<string>cat</string>"));
	xml = call("supervisor.stopAllProcesses", "");
	ck_has(xml, OK_ENTRY("cat", "cat"));
	ck_has(xml, OK_ENTRY("sleeper", "sleeper"));
	ck_has(xml, OK_ENTRY("a", "g"));
}
END_TEST

START_TEST(signals_go_by_name_or_number_and_bad_ones_are_refused)
{
	ck_assert_str_eq(call("supervisor.signalProcess", S("cat") S("BOGUS")),
	    FAULT(11, "BAD_SIGNAL: BOGUS"));
	ck_assert_str_eq(call("supervisor.signalProcess", S("cat") S("33")),
	    FAULT(11, "BAD_SIGNAL: 33"));
	ck_assert_str_eq(call("supervisor.signalProcess", S("sleeper")
	    S("HUP")), FAULT(70, "NOT_RUNNING: sleeper"));
	ck_assert_str_eq(call("supervisor.signalProcess", S("cat") S("cont")),
	    TRUE_);
	ck_assert_str_eq(call("supervisor.signalProcess", S("cat")
	    S("SIGCONT")), TRUE_);
	ck_assert_str_eq(call("supervisor.signalProcess", S("cat") S("18")),
	    TRUE_);
	ck_assert_str_eq(call("supervisor.signalProcessGroup", S("cat")
	    S("CONT")), RESPONSE("<value><array><data>\n"
	    OK_ENTRY("cat", "cat") "</data></array></value>\n"));
	ck_assert_str_eq(call("supervisor.signalAllProcesses", S("CONT")),
	    RESPONSE("<value><array><data>\n" OK_ENTRY("cat", "cat")
	    "</data></array></value>\n"));
	ck_assert_str_eq(call("supervisor.signalProcessGroup", S("nosuch")
	    S("HUP")), FAULT(10, "BAD_NAME: nosuch"));
}
END_TEST

START_TEST(a_cancelled_call_never_answers)
{
	struct rpc_call	*c;
	int		 n = ndone, called = ncalled;

	c = start("supervisor.startProcess", S("sleeper"));
	ck_assert_ptr_nonnull(c);
	rpc_call_cancel(c);
	WAIT_FOR(strcmp(field(call("supervisor.getProcessInfo",
	    S("sleeper")), "statename"), "RUNNING") == 0, 10);
	/* one answer per getProcessInfo, none for the cancelled start */
	ck_assert_int_eq(ndone - n, ncalled - called);
}
END_TEST

/* ---- multicall ---- */

START_TEST(multicall_returns_bare_values_and_fault_structs)
{
	ck_assert_str_eq(call("system.multicall", "<param><value><array><data>"
	    "<value><struct><member><name>methodName</name><value>"
	    "supervisor.getAPIVersion</value></member></struct></value>"
	    "<value><struct><member><name>methodName</name><value>nope.x"
	    "</value></member><member><name>params</name><value><array>"
	    "<data/></array></value></member></struct></value>"
	    "<value><struct><member><name>params</name><value><array>"
	    "<data/></array></value></member></struct></value>"
	    "<value><struct><member><name>methodName</name><value>"
	    "system.multicall</value></member></struct></value>"
	    "<value>not a struct</value>"
	    "</data></array></value></param>"),
	    RESPONSE("<value><array><data>\n"
	    "<value><string>3.0</string></value>\n"
	    "<value><struct>\n<member>\n<name>faultCode</name>\n"
	    "<value><int>1</int></value>\n</member>\n<member>\n"
	    "<name>faultString</name>\n"
	    "<value><string>UNKNOWN_METHOD</string></value>\n</member>\n"
	    "</struct></value>\n"
	    "<value><struct>\n<member>\n<name>faultCode</name>\n"
	    "<value><int>2</int></value>\n</member>\n<member>\n"
	    "<name>faultString</name>\n<value><string>INCORRECT_PARAMETERS: "
	    "No methodName</string></value>\n</member>\n</struct></value>\n"
	    "<value><struct>\n<member>\n<name>faultCode</name>\n"
	    "<value><int>2</int></value>\n</member>\n<member>\n"
	    "<name>faultString</name>\n<value><string>INCORRECT_PARAMETERS: "
	    "Recursive system.multicall forbidden</string></value>\n"
	    "</member>\n</struct></value>\n"
	    "<value><struct>\n<member>\n<name>faultCode</name>\n"
	    "<value><int>30</int></value>\n</member>\n<member>\n"
	    "<name>faultString</name>\n<value><string>FAILED: "
	    "call is not a struct</string></value>\n</member>\n"
	    "</struct></value>\n</data></array></value>\n"));
}
END_TEST

START_TEST(a_deferred_call_in_a_multicall_holds_the_ones_after_it)
{
	const char	*xml;

	xml = call("system.multicall", "<param><value><array><data>"
	    "<value><struct><member><name>methodName</name><value>"
	    "supervisor.startProcess</value></member><member><name>params"
	    "</name><value><array><data><value>sleeper</value></data></array>"
	    "</value></member></struct></value>"
	    "<value><struct><member><name>methodName</name><value>"
	    "supervisor.getProcessInfo</value></member><member><name>params"
	    "</name><value><array><data><value>sleeper</value></data></array>"
	    "</value></member></struct></value>"
	    "</data></array></value></param>");
	ck_has(xml, "<value><array><data>\n<value><boolean>1</boolean>"
	    "</value>\n<value><struct>");
	ck_assert_str_eq(field(xml, "statename"), "RUNNING");
}
END_TEST

/* ---- logs ---- */

static bool
log_is(const char *method, const char *params, const char *want)
{
	char	 buf[256];

	snprintf(buf, sizeof(buf), "<string>%s</string>", want);
	return strstr(call(method, params), buf) != NULL;
}

START_TEST(stdin_reaches_the_process_and_its_log_reads_back)
{
	ck_assert_str_eq(call("supervisor.sendProcessStdin", S("cat")
	    S("hello\n")), TRUE_);
	WAIT_FOR(log_is("supervisor.readProcessStdoutLog", S("cat") I(0) I(0),
	    "hello\n"), 10);
	ck_assert(log_is("supervisor.readProcessLog", S("cat") I(1) I(3),
	    "ell"));
	ck_assert(log_is("supervisor.readProcessStdoutLog", S("cat") I(-3)
	    I(0), "lo\n"));
	ck_assert(log_is("supervisor.readProcessStdoutLog", S("cat") I(100)
	    I(0), ""));
	ck_assert_str_eq(call("supervisor.readProcessStdoutLog", S("cat")
	    I(-1) I(5)), FAULT(3, "BAD_ARGUMENTS"));
	ck_assert_str_eq(call("supervisor.readProcessStdoutLog", S("cat")
	    I(0) I(-5)), FAULT(3, "BAD_ARGUMENTS"));
	ck_assert_str_eq(call("supervisor.readProcessStdoutLog", S("nosuch")
	    I(0) I(0)), FAULT(10, "BAD_NAME: nosuch"));
	ck_assert_str_eq(call("supervisor.sendProcessStdin", S("sleeper")
	    S("x")), FAULT(70, "NOT_RUNNING: sleeper"));
	ck_assert_str_eq(call("supervisor.sendProcessStdin", S("nosuch")
	    S("x")), FAULT(10, "BAD_NAME: nosuch"));
	ck_assert_str_eq(call("supervisor.sendProcessStdin", S("nosuch")
	    I(5)), FAULT(2, "INCORRECT_PARAMETERS: 5"));
	ck_assert_str_eq(call("supervisor.sendProcessStdin", S("cat")
	    B(1)), FAULT(2, "INCORRECT_PARAMETERS: True"));
}
END_TEST

START_TEST(tail_follows_4_2_5s_offset_and_overflow_rules)
{
	call("supervisor.sendProcessStdin", S("cat") S("hello\n"));
	WAIT_FOR(log_is("supervisor.readProcessStdoutLog", S("cat") I(0) I(0),
	    "hello\n"), 10);
	ck_assert_str_eq(call("supervisor.tailProcessStdoutLog", S("cat") I(0)
	    I(3)), RESPONSE("<value><array><data>\n"
	    "<value><string>lo\n</string></value>\n<value><int>6</int>"
	    "</value>\n<value><boolean>1</boolean></value>\n"
	    "</data></array></value>\n"));
	ck_assert_str_eq(call("supervisor.tailProcessLog", S("cat") I(2)
	    I(100)), RESPONSE("<value><array><data>\n"
	    "<value><string>hello\n</string></value>\n<value><int>6</int>"
	    "</value>\n<value><boolean>0</boolean></value>\n"
	    "</data></array></value>\n"));
	ck_assert_str_eq(call("supervisor.tailProcessStderrLog", S("g:a") I(0)
	    I(100)), RESPONSE("<value><array><data>\n"
	    "<value><string></string></value>\n<value><int>0</int>"
	    "</value>\n<value><boolean>0</boolean></value>\n"
	    "</data></array></value>\n"));
}
END_TEST

START_TEST(a_slice_that_splits_a_utf8_sequence_gets_a_replacement_char)
{
	call("supervisor.sendProcessStdin", S("cat") S("caf\xc3\xa9"));
	WAIT_FOR(log_is("supervisor.readProcessStdoutLog", S("cat") I(0) I(0),
	    "caf\xc3\xa9"), 10);
	ck_assert(log_is("supervisor.readProcessStdoutLog", S("cat") I(0)
	    I(4), "caf\xef\xbf\xbd"));
	ck_assert(log_is("supervisor.readProcessStdoutLog", S("cat") I(-1)
	    I(0), "\xef\xbf\xbd"));
}
END_TEST

START_TEST(clearing_logs_empties_the_files)
{
	call("supervisor.sendProcessStdin", S("cat") S("x\n"));
	WAIT_FOR(log_is("supervisor.readProcessStdoutLog", S("cat") I(0) I(0),
	    "x\n"), 10);
	ck_assert_str_eq(call("supervisor.clearProcessLogs", S("cat")), TRUE_);
	ck_assert(log_is("supervisor.readProcessStdoutLog", S("cat") I(0) I(0),
	    ""));
	ck_assert_str_eq(call("supervisor.clearProcessLog", S("nosuch")),
	    FAULT(10, "BAD_NAME: nosuch"));
	ck_has(call("supervisor.clearAllProcessLogs", ""),
	    OK_ENTRY("cat", "cat"));
	ck_assert_str_eq(call("supervisor.clearLog", ""), TRUE_);
}
END_TEST

START_TEST(the_main_log_reads_with_the_same_rules)
{
	const char	*xml;

	log_info("a line for the main log");
	logger_flush(lg);
	xml = call("supervisor.readLog", I(0) I(0));
	ck_has(xml, "a line for the main log");
	ck_has(call("supervisor.readMainLog", I(-8) I(0)), "ain log\n");
	ck_assert_str_eq(call("supervisor.readLog", I(-1) I(1)),
	    FAULT(3, "BAD_ARGUMENTS"));
}
END_TEST

/* ---- groups and reloading ---- */

START_TEST(reload_config_reports_added_changed_and_removed_groups)
{
	/* rename quick, change sleeper, add newprog */
	write_conf("\n[program:newprog]\ncommand=/bin/sleep 1000\n"
	    "startsecs=0\n");
	{
		char	*s, *p;
		size_t	 len;
		FILE	*g = fopen(confpath, "r");

		s = xmalloc(8192);
		len = fread(s, 1, 8191, g);
		s[len] = '\0';
		fclose(g);
		p = strstr(s, "[program:quick]");
		memcpy(p, "[program:quiek]", 15);
		p = strstr(s, "command=/bin/sleep 1000\nstartsecs=1");
		memcpy(p, "command=/bin/sleep 1001", 23);
		g = fopen(confpath, "w");
		fwrite(s, 1, len, g);
		fclose(g);
		free(s);
	}
	ck_assert_str_eq(call("supervisor.reloadConfig", ""),
	    RESPONSE("<value><array><data>\n<value><array><data>\n"
	    "<value><array><data>\n<value><string>newprog</string></value>\n"
	    "<value><string>quiek</string></value>\n</data></array></value>\n"
	    "<value><array><data>\n<value><string>sleeper</string></value>\n"
	    "</data></array></value>\n"
	    "<value><array><data>\n<value><string>quick</string></value>\n"
	    "</data></array></value>\n"
	    "</data></array></value>\n</data></array></value>\n"));
	ck_assert_str_eq(call("supervisor.addProcessGroup", S("newprog")),
	    TRUE_);
	ck_assert_str_eq(call("supervisor.addProcessGroup", S("newprog")),
	    FAULT(90, "ALREADY_ADDED: newprog"));
	ck_assert_str_eq(call("supervisor.addProcessGroup", S("nosuch")),
	    FAULT(10, "BAD_NAME: nosuch"));
	WAIT_FOR(strcmp(field(call("supervisor.getProcessInfo",
	    S("newprog")), "statename"), "RUNNING") == 0, 10);
	ck_assert_str_eq(call("supervisor.removeProcessGroup", S("newprog")),
	    FAULT(91, "STILL_RUNNING: newprog"));
	ck_assert_str_eq(call("supervisor.removeProcessGroup", S("quick")),
	    TRUE_);
	ck_assert_str_eq(call("supervisor.removeProcessGroup", S("quick")),
	    FAULT(10, "BAD_NAME: quick"));
}
END_TEST

START_TEST(a_config_that_does_not_parse_is_cant_reread)
{
	FILE	*f = fopen(confpath, "a");

	fprintf(f, "[program:bad]\n");
	fclose(f);
	ck_has(call("supervisor.reloadConfig", ""),
	    "<value><int>92</int></value>");
	ck_has(answer, "<string>CANT_REREAD: ");
}
END_TEST

static Suite *
rpc_methods_suite(void)
{
	Suite	*s = suite_create("rpc_methods");
	TCase	*tc;

	tc = tcase_create("system");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, list_methods_gives_the_44_names_sorted);
	tcase_add_test(tc, nanovisor_fire_event_reaches_the_bus_and_the_ring);
	tcase_add_test(tc, method_signature_and_help_describe_a_method);
	tcase_add_test(tc, unknown_methods_and_wrong_arguments_are_faults);
	tcase_add_test(tc, a_body_that_is_not_a_call_is_a_400);
	tcase_add_test(tc, state_versions_identification_and_pid_answer);
	tcase_add_test(tc, while_shutting_down_supervisor_methods_refuse);
	tcase_add_test(tc, shutdown_and_restart_go_to_supervisord);
	tcase_add_test(tc, send_remote_comm_event_publishes_on_the_bus);
	tcase_add_test(tc, multicall_returns_bare_values_and_fault_structs);
	tcase_add_test(tc,
	    a_deferred_call_in_a_multicall_holds_the_ones_after_it);
	suite_add_tcase(s, tc);

	tc = tcase_create("helpers");
	tcase_add_test(tc, uptimes_read_as_pythons_timedelta);
	tcase_add_test(tc, namespecs_split_as_4_2_5_splits_them);
	suite_add_tcase(s, tc);

	tc = tcase_create("processes");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, process_info_has_4_2_5s_fields_in_order);
	tcase_add_test(tc, process_info_of_a_bad_name_is_bad_name);
	tcase_add_test(tc, all_process_info_is_sorted_by_group_then_name);
	tcase_add_test(tc, all_config_info_lists_every_program_with_autorestart);
	tcase_add_test(tc, start_with_wait_answers_once_the_process_is_running);
	tcase_add_test(tc, start_without_wait_answers_at_once);
	tcase_add_test(tc, a_process_that_exits_too_soon_is_a_spawn_error);
	tcase_add_test(tc, a_missing_command_is_no_file);
	tcase_add_test(tc, stop_with_wait_answers_once_the_process_is_stopped);
	tcase_add_test(tc, group_start_and_stop_return_a_status_per_process);
	tcase_add_test(tc, start_all_reports_failures_in_the_array);
	tcase_add_test(tc,
	    signals_go_by_name_or_number_and_bad_ones_are_refused);
	tcase_add_test(tc, a_cancelled_call_never_answers);
	suite_add_tcase(s, tc);

	tc = tcase_create("logs");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, stdin_reaches_the_process_and_its_log_reads_back);
	tcase_add_test(tc, tail_follows_4_2_5s_offset_and_overflow_rules);
	tcase_add_test(tc,
	    a_slice_that_splits_a_utf8_sequence_gets_a_replacement_char);
	tcase_add_test(tc, clearing_logs_empties_the_files);
	tcase_add_test(tc, the_main_log_reads_with_the_same_rules);
	suite_add_tcase(s, tc);

	tc = tcase_create("groups");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc,
	    reload_config_reports_added_changed_and_removed_groups);
	tcase_add_test(tc, a_config_that_does_not_parse_is_cant_reread);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(rpc_methods_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
