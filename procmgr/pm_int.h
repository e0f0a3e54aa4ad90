/*
 * pm_int.h: shared by the procmgr runtime's files (pm.c, pm_fsm.c,
 * pm_spawn.c, pm_output.c, pm_group.c) and their unit tests.
 */
#ifndef NV_PM_INT_H
#define NV_PM_INT_H

#include <ev.h>

#include "pm.h"
#include "pm_capscan.h"

struct bus_event;

/* Events fed to the state machine (pm_fsm.c). */
enum pm_event {
	PM_EV_START,		/* user start, autostart, autorestart */
	PM_EV_SPAWNED,		/* fork worked; p->pid is set */
	PM_EV_SPAWN_FAILED,	/* nothing forked; p->spawnerr says why */
	PM_EV_STARTSECS,	/* startsecs elapsed while STARTING */
	PM_EV_EXIT,		/* reaped; p->waitstatus is set */
	PM_EV_STOP,		/* user stop */
	PM_EV_STOPWAIT,		/* stopwaitsecs elapsed while STOPPING */
	PM_EV_BACKOFF,		/* backoff delay elapsed */
	PM_EV_SHUTDOWN,		/* supervisord stops this process's group */
	PM_NEVENTS
};

/* One output channel of a child (pm_output.c). */
struct pm_chan {
	struct pm_proc	*proc;
	int		 fd;		/* -1: closed */
	bool		 is_err;
	ev_io		 io;
	struct pm_capscan scan;		/* capture-mode tokens */
	char		*cap;		/* capture buffer, newest bytes */
	size_t		 caplen;
};

/* Bytes waiting to go to a child's stdin (pm_output.c). */
struct pm_inq {
	char		*buf;		/* owner: the process */
	size_t		 len, off, cap;
};

/* One process. Owner: its struct pm_group. */
struct pm_proc {
	struct pm		*pm;
	struct pm_group		*group;
	const struct pm_procconf *conf;	/* borrowed from group->conf */
	enum pm_state		 state;
	pid_t			 pid;
	int			 waitstatus;	/* last reaped status */
	int			 exitstatus;	/* -1 after a signal */
	int			 backoff;
	double			 laststart;	/* epoch; 0: never */
	double			 laststop;
	bool			 killing;
	bool			 fcgi_ref;	/* holds a socket reference */
	char			 spawnerr[512];
	ev_timer		 timer;		/* startsecs, backoff, stopwait */
	ev_child		 child;
	struct pm_chan		 out, err;
	int			 infd;		/* stdin pipe, -1: none */
	ev_io			 inio;
	struct pm_inq		 inq;
	struct pm_proc		*pidnext;	/* pm's pid hash chain */
};

/* One process group. Owner: struct pm. */
struct pm_group {
	struct pm		*pm;
	struct pm_groupconf	 conf;		/* deep copy, AUTO filled */
	struct pm_proc		*procs;		/* conf.nprocs of them */
	int			 sockfd;	/* fcgi, -1: closed */
	int			 sockrefs;
};

#define PM_PIDHASH	256

struct pm {
	struct ev_loop		*loop;
	struct bus		*bus;
	const struct pm_config	*cfg;		/* borrowed */
	struct pm_group		**groups;	/* sorted (priority, name) */
	size_t			 ngroups;
	struct pm_proc		*pidhash[PM_PIDHASH];
	ev_child		 anychild;	/* unknown pids */
	char			 lasterr[512];

	/* shutdown */
	bool			 shutting_down;
	struct pm_group		**stopq;	/* next to stop at the end */
	size_t			 nstopq;
	pm_done_cb		*done;
	void			*done_arg;
	ev_timer		 report;	/* "waiting for ... to die" */
	ev_timer		 donet;		/* runs done from the loop */
	ev_timer		 stept;		/* next shutdown step */
};

/* pm.c */
const char	*pm_signame(int);
struct pm_proc	*pm_proc_find(struct pm *, const char *group,
		    const char *name);
void		 pm_pid_add(struct pm *, struct pm_proc *);
void		 pm_pid_del(struct pm *, struct pm_proc *);
struct pm_proc	*pm_pid_find(struct pm *, pid_t);
void		 pm_publish(struct pm *, const struct bus_event *);
void		 pm_shutdown_kick(struct pm *);
bool		 pm_state_stopped(enum pm_state);

/* pm_fsm.c */
void		 pm_fsm_feed(struct pm_proc *, enum pm_event, ev_tstamp now);
void		 pm_fsm_init(struct pm_proc *);
void		 pm_fsm_clear(struct pm_proc *);
/* Send a signal without meaning to stop; 0, or -1 with pm->lasterr. */
int		 pm_fsm_signal(struct pm_proc *, int sig, ev_tstamp now);

/* pm_group.c */
struct pm_group	*pm_group_new(struct pm *, const struct pm_groupconf *);
void		 pm_group_free(struct pm_group *);
int		 pm_group_sock_ref(struct pm_group *);
void		 pm_group_sock_unref(struct pm_group *);
void		 pm_groupconf_copy(struct pm_groupconf *,
		    const struct pm_groupconf *);
void		 pm_groupconf_clear(struct pm_groupconf *);

/*
 * pm_spawn.c (stubbed by tests/stubs_spawn.c in the FSM tests).
 * pm_spawn_check: the checks done before a spawn; 0 or PM_ERR_NO_FILE /
 * PM_ERR_NOT_EXECUTABLE with the spawnerr text in err.
 * pm_spawn_fork: pipes, fork, exec; the child's pid, or -1 with err set.
 */
enum pm_result	 pm_spawn_check(struct pm_proc *, char *err, size_t errlen);
pid_t		 pm_spawn_fork(struct pm_proc *, char *err, size_t errlen);
int		 pm_spawn_kill(pid_t, int sig);
int		 pm_shlex_split(const char *, char ***argvp, char *err,
		    size_t errlen);
void		 pm_argv_free(char **);

/* pm_output.c (also stubbed) */
void		 pm_output_start(struct pm_proc *, int outfd, int errfd,
		    int infd);
void		 pm_output_drain(struct pm_proc *);
void		 pm_output_close(struct pm_proc *);
enum pm_result	 pm_output_write(struct pm_proc *, const void *, size_t);
size_t		 pm_strip_ansi(char *, size_t);

#endif
