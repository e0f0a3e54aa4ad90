/*
 * pm.h: the process manager's contract. Two halves:
 *
 *  - the config model: pm_config_load() parses a supervisord.conf (and its
 *    [include]s) into plain data, validated, every default filled in;
 *  - the runtime: struct pm owns every process, spawns, reaps, runs the
 *    state machine and publishes every change on the bus. Other components
 *    command it through the pm_* calls below and learn what happened from
 *    the bus; none of them touches a process struct.
 */
#ifndef NV_PM_H
#define NV_PM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct ev_loop;
struct bus;

/* ---- states ---- */

enum pm_state {
#define PM_STATE(name, code)	PM_##name,
#include "pm_states.def"
#undef PM_STATE
	PM_NSTATES
};

const char	*pm_state_name(enum pm_state);	/* "RUNNING" */
int		 pm_state_code(enum pm_state);	/* 20 */

/* ---- config model (plain data; owner: struct pm_config) ---- */

enum pm_autorestart {
	PM_RESTART_FALSE,
	PM_RESTART_UNEXPECTED,
	PM_RESTART_TRUE,
};

enum pm_grouptype {
	PM_GROUP_PROGRAM,	/* [program:x], or a [group:x] of them */
	PM_GROUP_LISTENER,	/* [eventlistener:x] */
	PM_GROUP_FCGI,		/* [fcgi-program:x] */
};

/* One output channel of a process (stdout or stderr). */
struct pm_logconf {
	char		*path;		/* NULL: no file. AUTO: NULL in the
					   parsed config, a fresh mkstemp()
					   name once the group is added */
	bool		 is_auto;
	bool		 syslog;
	long long	 maxbytes;	/* 0: never rotate */
	int		 backups;
	long long	 capture_maxbytes; /* >0: capture mode */
	bool		 events_enabled;
};

/* One process instance, after numprocs expansion. */
struct pm_procconf {
	char		*name;		/* process name */
	char		*group;		/* group name */
	char		*section;	/* "program:x", for messages */
	int		 process_num;
	char		*command;	/* expanded, not yet split */
	char		*directory;	/* NULL: supervisord's cwd */
	int		 umask;		/* -1: inherit */
	char		*user;		/* NULL: don't switch */
	uid_t		 uid;
	gid_t		 gid;
	int		 priority;
	bool		 autostart;
	int		 startsecs;
	int		 startretries;
	enum pm_autorestart autorestart;
	uint8_t		 exitcodes[32];	/* bitmap of codes 0..255 */
	int		 stopsignal;
	int		 stopwaitsecs;
	bool		 stopasgroup;
	bool		 killasgroup;
	bool		 redirect_stderr;
	struct pm_logconf out;		/* stdout */
	struct pm_logconf err;		/* stderr */
	char		**environment;	/* "K=V", NULL-terminated, or NULL */
	char		*serverurl;	/* NULL: AUTO */
};

static inline bool
pm_exitcode_expected(const struct pm_procconf *pc, int code)
{
	return code >= 0 && code < 256 &&
	    (pc->exitcodes[code / 8] & (1u << (code % 8)));
}

/* [fcgi-program:x] socket=. */
struct pm_fcgisock {
	char		*url;		/* as written, expanded */
	bool		 is_unix;
	char		*path;		/* unix */
	char		*host;		/* tcp */
	int		 port;
	int		 backlog;	/* default SOMAXCONN */
	int		 mode;		/* unix; default 0700 */
	bool		 has_owner;
	uid_t		 owner_uid;
	gid_t		 owner_gid;
};

struct pm_groupconf {
	char		*name;
	int		 priority;
	enum pm_grouptype type;
	struct pm_procconf *procs;	/* sorted by (priority, name) */
	size_t		 nprocs;
	/* PM_GROUP_LISTENER */
	char		**events;	/* upper-case type names, NULL-term. */
	int		 buffer_size;
	/* PM_GROUP_FCGI */
	struct pm_fcgisock socket;
};

/* [unix_http_server] or [inet_http_server]. */
struct pm_httpconf {
	char		*section;
	bool		 is_unix;
	char		*file;		/* unix: absolute path */
	int		 chmod;		/* unix: default 0700 */
	bool		 has_chown;
	uid_t		 chown_uid;
	gid_t		 chown_gid;
	char		*host;		/* inet: "" means any */
	int		 port;
	char		*username;	/* NULL: no auth */
	char		*password;
};

struct pm_ctlconf {			/* [supervisorctl] */
	bool		 present;
	char		*serverurl;
	char		*username;
	char		*password;
	char		*prompt;
	char		*history_file;
};

struct pm_sdconf {			/* [supervisord] */
	char		*logfile;	/* absolute path; NULL with syslog */
	bool		 logfile_syslog;
	long long	 logfile_maxbytes;
	int		 logfile_backups;
	int		 loglevel;	/* enum log_level value */
	char		*pidfile;
	int		 umask;
	bool		 nodaemon;
	bool		 silent;
	int		 minfds;
	int		 minprocs;
	bool		 nocleanup;
	char		*childlogdir;
	char		*user;		/* NULL: stay */
	uid_t		 uid;
	gid_t		 gid;
	char		*directory;
	bool		 strip_ansi;
	char		**environment;	/* "K=V", NULL-terminated, or NULL */
	char		*identifier;
	char		*bus_endpoint;	/* nanovisor: external bus URL */
	int		 bus_ring_size;	/* nanovisor: ring messages, 0: off */
	long long	 bus_ring_bytes; /* nanovisor: ring message bytes */
	char		*bus_record;	/* nanovisor: flight recorder file */
	long long	 bus_record_maxbytes; /* 0: no cap */
};

/* Something the parser wants in the main log once it is open. */
struct pm_confmsg {
	int		 level;		/* enum log_level value */
	char		*text;
};

struct pm_config {
	char		*path;		/* as given (-c), for messages */
	struct pm_sdconf sd;
	struct pm_httpconf *http;
	size_t		 nhttp;
	struct pm_ctlconf ctl;
	bool		 has_rpcinterface; /* supervisor.* namespace on */
	struct pm_groupconf *groups;	/* sorted by (priority, name) */
	size_t		 ngroups;
	struct pm_confmsg *msgs;
	size_t		 nmsgs;
};

/* supervisord command-line options that override [supervisord]; NULL = not
 * given. Values are strings, converted with the same rules as the file. */
struct pm_overrides {
	const char	*logfile, *logfile_maxbytes, *logfile_backups;
	const char	*loglevel, *pidfile, *umask, *nodaemon, *silent;
	const char	*minfds, *minprocs, *nocleanup, *childlogdir, *user;
	const char	*directory, *strip_ansi, *identifier;
};

/*
 * Parse and validate path. On error returns NULL with a message naming the
 * file, line and option in err ("Error: " is not included).
 */
struct pm_config *pm_config_load(const char *path,
		    const struct pm_overrides *, char *err, size_t errlen);
void		 pm_config_free(struct pm_config *);

/*
 * Find the config file when -c is not given, as Supervisor does: argv0's
 * ../etc/supervisord.conf, ../supervisord.conf, ./supervisord.conf,
 * ./etc/supervisord.conf, /etc/supervisord.conf,
 * /etc/supervisor/supervisord.conf. Returns 0 and the path in out, or -1
 * and the comma-separated list of paths tried in out.
 */
int		 pm_config_search(const char *argv0, char *out, size_t outlen);

const struct pm_groupconf *pm_config_group(const struct pm_config *,
		    const char *name);
/* Same config, field by field; AUTO log names are not compared. */
bool		 pm_groupconf_equal(const struct pm_groupconf *,
		    const struct pm_groupconf *);

/* ---- runtime ---- */

/* Results of commands; rpc maps them to Supervisor's fault codes. */
enum pm_result {
	PM_OK = 0,
	PM_ERR_BAD_NAME,	/* no such process or group */
	PM_ERR_NO_FILE,		/* command not found */
	PM_ERR_NOT_EXECUTABLE,
	PM_ERR_ALREADY_STARTED,
	PM_ERR_NOT_RUNNING,
	PM_ERR_SPAWN_ERROR,
	PM_ERR_FAILED,
	PM_ERR_BAD_SIGNAL,
	PM_ERR_ALREADY_ADDED,
	PM_ERR_STILL_RUNNING,
	PM_ERR_SHUTDOWN_STATE,
};

/* A snapshot of one process (strings borrowed from pm, valid until the next
 * loop iteration). */
struct pm_proc_info {
	const char	*name;
	const char	*group;
	enum pm_state	 state;
	pid_t		 pid;
	double		 start;		/* last spawn, epoch; 0 never */
	double		 stop;		/* last exit, epoch; 0 never */
	int		 exitstatus;	/* -1 after death by signal */
	const char	*spawnerr;	/* "" if none */
	const struct pm_procconf *conf;
};

struct pm;

struct pm	*pm_new(struct ev_loop *, struct bus *);
void		 pm_free(struct pm *);

/*
 * Install a config: pm keeps a pointer (the caller still owns it and must
 * keep it alive until it installs another). Adds no group by itself.
 */
void		 pm_set_config(struct pm *, const struct pm_config *);

/* Add one group from the config (AUTO log names are made here, the
 * autostart processes start); publishes PROCESS_GROUP_ADDED. */
enum pm_result	 pm_group_add(struct pm *, const char *name);
/* Add every group of the config, in priority order. */
void		 pm_group_add_all(struct pm *);
/* Remove a group whose processes are all stopped; publishes
 * PROCESS_GROUP_REMOVED. */
enum pm_result	 pm_group_remove(struct pm *, const char *name);
void		 pm_group_remove_all(struct pm *);

/* The group as running (AUTO paths filled in), or NULL. */
const struct pm_groupconf *pm_group_conf(struct pm *, const char *group);
size_t		 pm_group_names(struct pm *, const char **out, size_t max);

enum pm_result	 pm_proc_start(struct pm *, const char *group,
		    const char *name);
enum pm_result	 pm_proc_stop(struct pm *, const char *group,
		    const char *name);
enum pm_result	 pm_proc_signal(struct pm *, const char *group,
		    const char *name, int sig);
enum pm_result	 pm_proc_write_stdin(struct pm *, const char *group,
		    const char *name, const void *data, size_t len);
enum pm_result	 pm_proc_get(struct pm *, const char *group,
		    const char *name, struct pm_proc_info *);

/* The detail text of the last failed command ("can't find command 'x'",
 * "unknown problem killing ..."), "" if it gave none; for fault strings. */
const char	*pm_last_error(struct pm *);

/* Every process, groups by (priority, name), processes likewise. */
size_t		 pm_proc_count(struct pm *);
size_t		 pm_proc_list(struct pm *, struct pm_proc_info *out,
		    size_t max);

/*
 * Stop everything: one group at a time, highest priority first, each
 * waiting until all its processes are stopped (stopwaitsecs, SIGKILL).
 * done(arg) runs once nothing is left running. While shutting down no
 * process starts.
 */
typedef void	 pm_done_cb(void *arg);
void		 pm_shutdown(struct pm *, pm_done_cb *, void *arg);

/*
 * pm_group_add_all, with between(arg) run once every group is added and
 * before any process starts: supervisord announces RUNNING there, the
 * order 4.2.5's listeners see (GROUP_ADDED..., RUNNING, STARTING...).
 */
void		 pm_group_add_all_then(struct pm *, pm_done_cb *between,
		    void *arg);
bool		 pm_shutting_down(struct pm *);

/* Forget the shutdown flag (after a reload, before adding groups). */
void		 pm_resume(struct pm *);

/*
 * ---- Supervisor's INI dialect and %-expansion (pm_ini.c, pm_expand.c) ----
 * The config parser is built on these; other readers of the same files
 * (supervisorctl's [supervisorctl] section) use them too.
 */

/* One option. Owner: its section. */
struct pm_ini_opt {
	char		*key;		/* lower-cased */
	char		*value;		/* continuation lines joined by \n */
	const char	*file;		/* borrowed from pm_ini.files */
	int		 line;
};

/* One section; duplicates merge into the first one. Owner: pm_ini. */
struct pm_ini_sec {
	char		*name;
	const char	*file;		/* where it first appeared */
	int		 line;
	struct pm_ini_opt *opts;	/* in first-seen order */
	size_t		 nopts;
};

struct pm_ini {
	struct pm_ini_sec defaults;	/* [DEFAULT] */
	struct pm_ini_sec *secs;	/* in first-seen order */
	size_t		 nsecs;
	char		**files;	/* every file name read, owned */
	size_t		 nfiles;
};

/*
 * Read path into ini, merging with what is there. On a syntax error returns
 * -1 with Python's ParsingError text in err; if the file cannot be opened
 * returns -1 with errno set and err empty. fname is the name used in
 * messages and in the options' file field.
 */
int		 pm_ini_read(struct pm_ini *, const char *path, const char *fname,
		    char *err, size_t errlen);
/* Same, from a string (tests). */
int		 pm_ini_read_string(struct pm_ini *, const char *text,
		    const char *fname, char *err, size_t errlen);
void		 pm_ini_free(struct pm_ini *);
struct pm_ini_sec *pm_ini_section(const struct pm_ini *, const char *name);
/* The option in sec, else in [DEFAULT]; NULL if neither has it. */
const struct pm_ini_opt *pm_ini_get(const struct pm_ini *,
		    const struct pm_ini_sec *, const char *key);
/* Replace "%(here)s" textually everywhere, as Supervisor does for
 * [include]; DEFAULT values are copied into each section first. */
void		 pm_ini_expand_here(struct pm_ini *, const char *here);

/* ---- %-expansion ---- */

struct pm_expvar {
	char		*name;
	char		*str;		/* NULL: numeric */
	long long	 num;
};

/* A set of expansion names; set() replaces. Owner of its strings. */
struct pm_expvars {
	struct pm_expvar *v;
	size_t		 n;
};
#define PM_EXPVARS_ZERO	{ NULL, 0 }

void		 pm_expvars_set(struct pm_expvars *, const char *name,
		    const char *value);
void		 pm_expvars_set_num(struct pm_expvars *, const char *name,
		    long long);
void		 pm_expvars_merge(struct pm_expvars *, const struct pm_expvars *);
void		 pm_expvars_free(struct pm_expvars *);
/* Add ENV_<k> for every entry of a "K=V" NULL-terminated array. */
void		 pm_expvars_add_env(struct pm_expvars *, char *const *env);

/*
 * Expand s as Python's "s % mapping". what names the option in messages
 * ("program:x.command"). On success *out is a new string.
 */
int		 pm_expand(const char *s, const struct pm_expvars *,
		    const char *what, char **out, char *err, size_t errlen);

/* Python's path functions, as Supervisor applies them to config paths
 * (new strings). */
char		*pm_path_expanduser(const char *);
char		*pm_path_normalize(const char *);	/* normpath(abspath(~)) */
char		*pm_path_dirname(const char *);		/* posixpath.dirname */
char		*pm_path_join(const char *, const char *); /* posixpath.join */

#endif
