/*
 * supervisord.c: main(). Command line, config, privileges and limits,
 * daemonizing, then one libev loop that owns the bus, the process manager
 * and the loggers; signals drive shutdown, reload and log reopening.
 */
#include "config.h"

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <malloc.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ev.h>

#include "bus.h"
#include "log.h"
#include "logger.h"
#include "lp.h"
#include "pm.h"
#include "rpc.h"

#define SD_VERSION	"4.2.5"

/* Supervisor's own states (getState); the wire codes never change. */
enum sd_mood {
	SD_SHUTDOWN = -1,
	SD_RESTARTING = 0,
	SD_RUNNING = 1,
};

/* The daemon. One instance; owner of everything below. */
struct sd {
	const char		*argv0;
	char			 confpath[4096];
	struct pm_overrides	 ov;
	struct pm_config	*cfg;
	struct pm_config	*nextcfg;	/* a reload's, until swapped in */
	struct ev_loop		*loop;
	struct bus		*bus;
	struct pm		*pm;
	struct logger		*logger;
	struct rpc_listeners	*listeners;	/* bound, not yet served */
	struct rpc		*rpc;
	ev_timer		 rpc_restart;	/* restart asked over XML-RPC */
	struct lp		*lp;
	enum sd_mood		 mood;
	bool			 pidfile_written;
	ev_signal		 sigs[6];
};

static struct sd sd;

/* Lines decided before the main log is open, written once it is. */
static struct {
	enum log_level	 level;
	char		 text[512];
} sd_early[8];
static size_t sd_nearly;

static void
sd_early_log(enum log_level, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
sd_early_log(enum log_level level, const char *fmt, ...)
{
	va_list	 ap;

	if (sd_nearly == sizeof(sd_early) / sizeof(sd_early[0]))
		return;
	sd_early[sd_nearly].level = level;
	va_start(ap, fmt);
	vsnprintf(sd_early[sd_nearly].text, sizeof(sd_early[0].text), fmt, ap);
	va_end(ap);
	sd_nearly++;
}

static void
sd_usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

/* Print "Error: ..." and the help hint, exit 2, as Supervisor does. */
static void
sd_usage_error(const char *fmt, ...)
{
	va_list	 ap;

	fputs("Error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nFor help, use %s -h\n", sd.argv0);
	exit(2);
}

static void
sd_help(void)
{
	printf(
"nanovisor supervisord: start, watch and restart a set of programs.\n"
"\n"
"Usage: %s [options]\n"
"\n"
"Options (each overrides the same setting in [supervisord]):\n"
"  -c, --configuration FILE   config file (searched for when not given)\n"
"  -n, --nodaemon             stay in the foreground\n"
"  -s, --silent               with -n, do not copy the log to stdout\n"
"  -u, --user USER            switch to this user (name or uid)\n"
"  -m, --umask UMASK          umask once daemonized (octal, default 022)\n"
"  -d, --directory DIR        directory to change to once daemonized\n"
"  -l, --logfile FILE         main log file\n"
"  -y, --logfile_maxbytes N   rotate the main log at this size (0: never)\n"
"  -z, --logfile_backups N    rotated main logs to keep\n"
"  -e, --loglevel LEVEL       critical, error, warn, info, debug, trace,\n"
"                             blather\n"
"  -j, --pidfile FILE         where to write the daemon's pid\n"
"  -i, --identifier STR       name of this supervisord instance\n"
"  -q, --childlogdir DIR      directory for AUTO child logs\n"
"  -k, --nocleanup            keep old AUTO child logs at start\n"
"  -a, --minfds N             file descriptors to require at start\n"
"      --minprocs N           processes to require at start\n"
"  -t, --strip_ansi           remove ANSI escapes from child output\n"
"      --check                validate the config file and exit\n"
"  -v, --version              print the version and exit\n"
"  -h, --help                 print this help and exit\n", sd.argv0);
	exit(0);
}

/* Record a command-line value; giving one option twice is an error. */
static void
sd_opt_set(const char **slot, const char *value, const char *optname)
{
	if (*slot != NULL)
		sd_usage_error("conflicting command line option '%s'", optname);
	*slot = value;
}

static bool
sd_args_parse(int argc, char **argv, const char **conf)
{
	static const struct option longopts[] = {
		{ "configuration",	required_argument, NULL, 'c' },
		{ "nodaemon",		no_argument,	   NULL, 'n' },
		{ "silent",		no_argument,	   NULL, 's' },
		{ "help",		no_argument,	   NULL, 'h' },
		{ "version",		no_argument,	   NULL, 'v' },
		{ "user",		required_argument, NULL, 'u' },
		{ "umask",		required_argument, NULL, 'm' },
		{ "directory",		required_argument, NULL, 'd' },
		{ "logfile",		required_argument, NULL, 'l' },
		{ "logfile_maxbytes",	required_argument, NULL, 'y' },
		{ "logfile_backups",	required_argument, NULL, 'z' },
		{ "loglevel",		required_argument, NULL, 'e' },
		{ "pidfile",		required_argument, NULL, 'j' },
		{ "identifier",		required_argument, NULL, 'i' },
		{ "childlogdir",	required_argument, NULL, 'q' },
		{ "nocleanup",		no_argument,	   NULL, 'k' },
		{ "minfds",		required_argument, NULL, 'a' },
		{ "minprocs",		required_argument, NULL, 'P' },
		{ "strip_ansi",		no_argument,	   NULL, 't' },
		{ "profile_options",	required_argument, NULL, 'O' },
		{ "check",		no_argument,	   NULL, 'C' },
		{ NULL, 0, NULL, 0 }
	};
	struct pm_overrides *ov = &sd.ov;
	const char *prof = NULL, *check = NULL;
	char	 optname[64];
	int	 c, idx;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":c:nshv?u:m:d:l:y:z:e:j:i:q:ka:t",
	    longopts, &idx)) != -1) {
		if (c == '?' && optopt == '?')
			sd_help();
		if (c == '?')
			sd_usage_error("option %s not recognized",
			    argv[optind - 1]);
		if (c == ':')
			sd_usage_error("option %s requires argument",
			    argv[optind - 1]);
		snprintf(optname, sizeof(optname), "%s", argv[optind - 1]);
		switch (c) {
		case 'c': sd_opt_set(conf, optarg, optname); break;
		case 'n': sd_opt_set(&ov->nodaemon, "true", optname); break;
		case 's': sd_opt_set(&ov->silent, "true", optname); break;
		case 'h': sd_help(); break;
		case 'v': printf("%s\n", SD_VERSION); exit(0);
		case 'u': sd_opt_set(&ov->user, optarg, optname); break;
		case 'm': sd_opt_set(&ov->umask, optarg, optname); break;
		case 'd': sd_opt_set(&ov->directory, optarg, optname); break;
		case 'l': sd_opt_set(&ov->logfile, optarg, optname); break;
		case 'y': sd_opt_set(&ov->logfile_maxbytes, optarg, optname);
			break;
		case 'z': sd_opt_set(&ov->logfile_backups, optarg, optname);
			break;
		case 'e': sd_opt_set(&ov->loglevel, optarg, optname); break;
		case 'j': sd_opt_set(&ov->pidfile, optarg, optname); break;
		case 'i': sd_opt_set(&ov->identifier, optarg, optname); break;
		case 'q': sd_opt_set(&ov->childlogdir, optarg, optname); break;
		case 'k': sd_opt_set(&ov->nocleanup, "true", optname); break;
		case 'a': sd_opt_set(&ov->minfds, optarg, optname); break;
		case 'P': sd_opt_set(&ov->minprocs, optarg, optname); break;
		case 't': sd_opt_set(&ov->strip_ansi, "true", optname); break;
		case 'O': sd_opt_set(&prof, optarg, optname); break;
		case 'C': sd_opt_set(&check, "true", optname); break;
		}
	}
	if (optind < argc) {
		char	 list[1024];
		size_t	 off = 0;
		int	 i;

		for (i = optind; i < argc && off < sizeof(list); i++)
			off += snprintf(list + off, sizeof(list) - off,
			    "%s'%s'", i == optind ? "" : ", ", argv[i]);
		sd_usage_error("positional arguments are not supported: [%s]",
		    list);
	}
	if (prof != NULL)
		fprintf(stderr, "profile_options ignored: nanovisor has no "
		    "profiler mode\n");
	return check != NULL;
}

/* -c, or Supervisor's search path (with its warning for root). */
static void
sd_config_locate(const char *conf)
{
	struct stat st;

	if (conf != NULL) {
		if (stat(conf, &st) == -1)
			sd_usage_error("could not find config file %s", conf);
		snprintf(sd.confpath, sizeof(sd.confpath), "%s", conf);
		return;
	}
	if (getuid() == 0)
		fprintf(stderr, "UserWarning: Supervisord is running as root "
		    "and it is searching for its configuration file in "
		    "default locations (including its current working "
		    "directory); you probably want to specify a \"-c\" "
		    "argument specifying an absolute path to a configuration "
		    "file for improved security.\n");
	if (pm_config_search(sd.argv0, sd.confpath, sizeof(sd.confpath)) == -1)
		sd_usage_error("No config file found at default paths (%s); "
		    "use the -c option to specify a config file at a "
		    "different path", sd.confpath);
}

static struct pm_config *
sd_config_load_or_exit(void)
{
	struct pm_config *cfg;
	char	 err[4096];

	if ((cfg = pm_config_load(sd.confpath, &sd.ov, err, sizeof(err)))
	    == NULL)
		sd_usage_error("%s", err);
	return cfg;
}

/* Root without user=: said again at every (re)start, as 4.2.5. */
static void
sd_root_warn(const struct pm_sdconf *c)
{
	if (c->user == NULL && getuid() == 0)
		sd_early_log(LOG_CRIT, "Supervisor is running as root.  Privileges "
		    "were not dropped because no user is specified in "
		    "the config file.  If you intend to run as root, "
		    "you can set user=root in the config file to avoid "
		    "this message.");
}

/* [supervisord] user=: switch before anything is opened, as 4.2.5. */
static void
sd_user_switch(const struct pm_sdconf *c)
{
	struct passwd *pw;
	gid_t	 groups[NGROUPS_MAX];
	int	 ngroups = NGROUPS_MAX;

	if (c->user == NULL) {
		sd_root_warn(c);
		return;
	}
	if (getuid() == c->uid)
		return;
	if (getuid() != 0)
		sd_usage_error("Can't drop privilege as nonroot user");
	if ((pw = getpwuid(c->uid)) == NULL)
		sd_usage_error("Can't find uid %u", (unsigned)c->uid);
	if (getgrouplist(pw->pw_name, pw->pw_gid, groups, &ngroups) == -1 ||
	    setgroups(ngroups, groups) == -1)
		sd_usage_error("Could not set groups of effective user");
	if (setgid(pw->pw_gid) == -1)
		sd_usage_error("Could not set group id of effective user");
	if (setuid(c->uid) == -1)
		sd_usage_error("Could not set user id of effective user");
	sd_early_log(LOG_INFO, "Set uid to user %s succeeded", c->user);
}

/* Raise one soft limit to min, as minfds/minprocs ask. */
static void
sd_rlimit_raise(int res, const char *name, long min, const char *what,
    const char *optname)
{
	struct rlimit rl;

	if (getrlimit(res, &rl) == -1 || rl.rlim_cur == RLIM_INFINITY ||
	    rl.rlim_cur >= (rlim_t)min)
		return;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < (rlim_t)min)
		rl.rlim_max = min;
	rl.rlim_cur = min;
	if (setrlimit(res, &rl) == -1)
		sd_usage_error("The minimum number of %s required to run this "
		    "process is %ld as per the \"%s\" command-line argument "
		    "or config file setting, and it could not be raised: %s",
		    what, min, optname, strerror(errno));
	sd_early_log(LOG_INFO, "Increased %s limit to %ld", name, min);
}

static void
sd_daemonize(const struct pm_sdconf *c)
{
	pid_t	 pid;
	int	 fd;

	if ((pid = fork()) == -1)
		sd_usage_error("cannot fork to daemonize: %s", strerror(errno));
	if (pid != 0)
		_exit(0);
	if (c->directory != NULL && chdir(c->directory) == -1)
		log_crit("can't chdir into '%s': %s", c->directory,
		    strerror(errno));
	if ((fd = open("/dev/null", O_RDWR)) != -1) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	setsid();
	umask(c->umask);
}

static void
sd_pidfile_write(void)
{
	FILE	*f;

	if ((f = fopen(sd.cfg->sd.pidfile, "w")) == NULL ||
	    fprintf(f, "%ld\n", (long)getpid()) < 0 || fclose(f) == EOF) {
		log_crit("could not write pidfile %s", sd.cfg->sd.pidfile);
		return;
	}
	sd.pidfile_written = true;
	log_info("supervisord started with pid %ld", (long)getpid());
}

static void
sd_publish_mood(enum bus_type type)
{
	struct bus_event ev = BUS_EVENT_ZERO;

	ev.type = type;
	bus_publish(sd.bus, &ev);
}

static void
sd_config_messages(const struct pm_config *cfg)
{
	size_t	 i;

	for (i = 0; i < sd_nearly; i++)
		log_msg(sd_early[i].level, "%s", sd_early[i].text);
	sd_nearly = 0;

	for (i = 0; i < cfg->nmsgs; i++)
		log_msg(cfg->msgs[i].level, "%s", cfg->msgs[i].text);
}

static void
sd_announce_running(void *arg)
{
	sd.mood = SD_RUNNING;
	sd_publish_mood(BUS_SUPERVISOR_STATE_CHANGE_RUNNING);
}

/* Bring the configured world up: groups, RUNNING, then the autostarts. */
static void
sd_world_start(void)
{
	pm_set_config(sd.pm, sd.cfg);
	pm_resume(sd.pm);
	pm_group_add_all_then(sd.pm, sd_announce_running, NULL);
}

static void
sd_shutdown_done(void *arg)
{
	logger_flush(sd.logger);
	ev_break(sd.loop, EVBREAK_ALL);
}

/* ---- what the XML-RPC server asks of supervisord (rpc.h) ---- */

static void	sd_begin_shutdown(void);
static void	sd_begin_reload(void);

static int
sd_rpc_mood(void *arg)
{
	return sd.mood;
}

static void
sd_rpc_shutdown(void *arg)
{
	if (sd.mood != SD_SHUTDOWN)
		sd_begin_shutdown();
}

static void
sd_rpc_restart_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	if (sd.mood == SD_RUNNING)
		sd_begin_reload();
}

/* A reload closes the server that asked for it: leave its call first. */
static void
sd_rpc_restart(void *arg)
{
	ev_timer_stop(sd.loop, &sd.rpc_restart);
	ev_timer_set(&sd.rpc_restart, 0., 0.);
	ev_timer_start(sd.loop, &sd.rpc_restart);
}

/* reloadConfig: the new config becomes current; running groups keep
 * their own copies, so nothing running changes. */
static int
sd_rpc_reread(void *arg, char *err, size_t errlen)
{
	struct pm_config *cfg;

	if ((cfg = pm_config_load(sd.confpath, &sd.ov, err, errlen)) == NULL)
		return -1;
	pm_set_config(sd.pm, cfg);
	pm_config_free(sd.cfg);
	sd.cfg = cfg;
	lp_set_config(sd.lp, sd.cfg);
	return 0;
}

static const struct pm_config *
sd_rpc_config(void *arg)
{
	return sd.cfg;
}

static int
sd_rpc_pool_stats(void *arg, const char *pool, struct lp_pool_stats *st)
{
	return lp_pool_stats(sd.lp, pool, st);
}

static const struct rpc_ops sd_rpc_ops = {
	sd_rpc_mood, sd_rpc_shutdown, sd_rpc_restart, sd_rpc_reread,
	sd_rpc_config, sd_rpc_pool_stats,
};

/* Serve on the bound sockets (4.2.5 logs its server lines here). */
static void
sd_rpc_start(void)
{
	sd.rpc = rpc_new(sd.loop, sd.bus, sd.pm, sd.logger, sd.listeners,
	    &sd_rpc_ops, NULL);
	sd.listeners = NULL;
}

/* After a reload: close the old servers, bind and serve the new ones. */
static void
sd_rpc_reopen(void)
{
	char	 err[1024];

	rpc_free(sd.rpc);
	sd.rpc = NULL;
	if ((sd.listeners = rpc_listen(sd.cfg, err, sizeof(err))) == NULL) {
		log_crit("%s", err);
		return;
	}
	sd_rpc_start();
}

/* The bus's catch-up ring and flight recorder, as [supervisord] says. */
static int
sd_bus_keep(const struct pm_sdconf *c, char *err, size_t errlen)
{
	bus_ring_configure(sd.bus, (size_t)c->bus_ring_size,
	    (size_t)c->bus_ring_bytes);
	return bus_record_configure(sd.bus, c->bus_record,
	    c->bus_record_maxbytes, err, errlen);
}

/* Every process is down: swap in the new config and start again. */
static void
sd_reload_done(void *arg)
{
	struct pm_config *newcfg = arg;
	const char *oldurl = sd.cfg->sd.bus_endpoint;
	const char *url = newcfg->sd.bus_endpoint;
	char	 err[1024];
	bool	 rebind;

	sd.nextcfg = NULL;
	/* A changed endpoint is rebound (below), a removed one unbound. */
	rebind = url != NULL && (oldurl == NULL || strcmp(oldurl, url) != 0);
	if (oldurl != NULL && url == NULL)
		bus_unbind_external(sd.bus);
	pm_group_remove_all(sd.pm);
	bus_drain(sd.bus);
	pm_set_config(sd.pm, newcfg);
	/* The new config may name another pidfile; 4.2.5 rewrites it. */
	if (sd.pidfile_written)
		unlink(sd.cfg->sd.pidfile);
	sd.pidfile_written = false;
	pm_config_free(sd.cfg);
	sd.cfg = newcfg;
	lp_set_config(sd.lp, sd.cfg);
	if (logger_reconfigure(sd.logger, sd.cfg, err, sizeof(err)) == -1)
		log_crit("could not reopen the main log: %s", err);
	sd_root_warn(&sd.cfg->sd);
	sd_config_messages(sd.cfg);
	sd_rpc_reopen();
	if (!sd.cfg->sd.nocleanup)
		logger_clean_auto(sd.cfg);
	if (rebind && bus_bind_external(sd.bus, url, err, sizeof(err)) == -1)
		log_crit("%s", err);
	if (sd_bus_keep(&sd.cfg->sd, err, sizeof(err)) == -1)
		log_crit("%s", err);
	sd_pidfile_write();
	sd_world_start();
}

static void
sd_begin_shutdown(void)
{
	/* A reload in progress already said STOPPING; its config is moot. */
	if (sd.mood == SD_RUNNING)
		sd_publish_mood(BUS_SUPERVISOR_STATE_CHANGE_STOPPING);
	pm_config_free(sd.nextcfg);
	sd.nextcfg = NULL;
	sd.mood = SD_SHUTDOWN;
	pm_shutdown(sd.pm, sd_shutdown_done, NULL);
}

/* SIGHUP: validate the new config first; a bad one changes nothing. */
static void
sd_begin_reload(void)
{
	struct pm_config *newcfg;
	char	 err[4096];

	if ((newcfg = pm_config_load(sd.confpath, &sd.ov, err, sizeof(err)))
	    == NULL) {
		log_msg(LOG_ERRO, "reload aborted, keeping the running "
		    "configuration: %s", err);
		return;
	}
	sd.mood = SD_RESTARTING;
	sd_publish_mood(BUS_SUPERVISOR_STATE_CHANGE_STOPPING);
	sd.nextcfg = newcfg;
	pm_shutdown(sd.pm, sd_reload_done, newcfg);
}

static void
sd_signal_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	const char *name = sigabbrev_np(w->signum);

	switch (w->signum) {
	case SIGTERM:
	case SIGINT:
	case SIGQUIT:
		log_warnx("received SIG%s indicating exit request", name);
		if (sd.mood != SD_SHUTDOWN)
			sd_begin_shutdown();
		break;
	case SIGHUP:
		if (sd.mood == SD_SHUTDOWN) {
			log_warnx("ignored SIG%s indicating restart request "
			    "(shutdown in progress)", name);
			break;
		}
		log_warnx("received SIG%s indicating restart request", name);
		if (sd.mood == SD_RUNNING)
			sd_begin_reload();
		break;
	case SIGUSR2:
		log_info("received SIG%s indicating log reopen request", name);
		logger_reopen(sd.logger);
		break;
	default:
		log_blather("received SIG%s indicating nothing", name);
		break;
	}
}

static void
sd_signals_start(void)
{
	static const int signums[] = {
		SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGUSR2, SIGUSR1
	};
	size_t	 i;

	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < sizeof(signums) / sizeof(signums[0]); i++) {
		ev_signal_init(&sd.sigs[i], sd_signal_cb, signums[i]);
		ev_signal_start(sd.loop, &sd.sigs[i]);
	}
}

static void
sd_check_only(void)
{
	struct pm_config *cfg = sd_config_load_or_exit();
	size_t	 i, nprocs = 0;

	for (i = 0; i < cfg->ngroups; i++)
		nprocs += cfg->groups[i].nprocs;
	for (i = 0; i < cfg->nmsgs; i++)
		fprintf(stderr, "%s %s\n", log_level_tag(cfg->msgs[i].level),
		    cfg->msgs[i].text);
	printf("%s: OK (%zu groups, %zu processes)\n", sd.confpath,
	    cfg->ngroups, nprocs);
	pm_config_free(cfg);
	exit(0);
}

int
main(int argc, char **argv)
{
	const char *conf = NULL;
	char	 err[4096];

	/*
	 * Child output travels in messages of up to 128 KiB. glibc would
	 * mmap and unmap each one (a page fault per page, every time);
	 * keep such buffers on the heap, where they are reused.
	 */
	mallopt(M_MMAP_THRESHOLD, 4 * 1024 * 1024);
	mallopt(M_TRIM_THRESHOLD, 16 * 1024 * 1024);
	sd.argv0 = argv[0];
	if (sd_args_parse(argc, argv, &conf)) {
		sd_config_locate(conf);
		sd_check_only();
	}
	sd_config_locate(conf);
	sd.cfg = sd_config_load_or_exit();

	/* Before the loop and the bus exist: both dislike fork. */
	sd_user_switch(&sd.cfg->sd);
	sd_rlimit_raise(RLIMIT_NOFILE, "RLIMIT_NOFILE", sd.cfg->sd.minfds,
	    "file descriptors", "minfds");
	sd_rlimit_raise(RLIMIT_NPROC, "RLIMIT_NPROC", sd.cfg->sd.minprocs,
	    "available processes", "minprocs");
	if ((sd.listeners = rpc_listen(sd.cfg, err, sizeof(err))) == NULL)
		sd_usage_error("%s", err);
	if (!sd.cfg->sd.nodaemon)
		sd_daemonize(&sd.cfg->sd);

	sd.loop = ev_default_loop(EVFLAG_AUTO);
	if ((sd.bus = bus_open(sd.loop)) == NULL)
		fatal("cannot open the event bus");
	if (sd_bus_keep(&sd.cfg->sd, err, sizeof(err)) == -1)
		sd_usage_error("%s", err);
	sd.pm = pm_new(sd.loop, sd.bus);
	if ((sd.logger = logger_new(sd.loop, sd.bus, sd.pm, sd.cfg, err,
	    sizeof(err))) == NULL)
		sd_usage_error("%s", err);
	sd.lp = lp_new(sd.loop, sd.bus, sd.pm, sd.cfg);
	sd_config_messages(sd.cfg);
	ev_init(&sd.rpc_restart, sd_rpc_restart_cb);
	sd_rpc_start();
	if (!sd.cfg->sd.nodaemon)
		log_info("daemonizing the supervisord process");
	if (!sd.cfg->sd.nocleanup)
		logger_clean_auto(sd.cfg);
	if (sd.cfg->sd.bus_endpoint != NULL &&
	    bus_bind_external(sd.bus, sd.cfg->sd.bus_endpoint, err,
	    sizeof(err)) == -1)
		sd_usage_error("%s", err);
	sd_signals_start();
	sd_pidfile_write();
	bus_tick_start(sd.bus);
	sd_world_start();

	ev_run(sd.loop, 0);

	ev_timer_stop(sd.loop, &sd.rpc_restart);
	rpc_free(sd.rpc);
	sd.rpc = NULL;

	bus_drain(sd.bus);
	logger_flush(sd.logger);
	if (sd.pidfile_written)
		unlink(sd.cfg->sd.pidfile);
	pm_group_remove_all(sd.pm);
	bus_drain(sd.bus);
	lp_free(sd.lp);
	logger_free(sd.logger);
	pm_free(sd.pm);
	bus_close(sd.bus);
	pm_config_free(sd.cfg);
	return 0;
}
