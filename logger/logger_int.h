/*
 * logger_int.h: shared by the logger/ files only.
 */
#ifndef NV_LOGGER_INT_H
#define NV_LOGGER_INT_H

#include <sys/types.h>
#include <sys/uio.h>

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <ev.h>

#include "bus.h"
#include "log.h"

struct pm_groupconf;
struct pm_procconf;
struct pm_logconf;

/* ---- logger_file.c: one log file with size-based rotation ---- */

/*
 * A log file. The size is tracked in memory, so a write costs one
 * write(2) and nothing else. Rotation happens only on regular files: a
 * pipe, tty or /dev/null is written to and never rotated. Owner: the
 * struct it is embedded in; path is owned.
 */
struct logger_file {
	char		*path;
	int		 fd;		/* -1: not open */
	long long	 size;		/* bytes in the current file */
	long long	 maxbytes;	/* 0: never rotate */
	int		 backups;	/* 0: rotation truncates */
	bool		 rotatable;	/* regular file and maxbytes > 0 */
	int		 err;		/* errno of the last failure, 0: fine */
	char		*wbuf;		/* bytes not yet written: owned */
	size_t		 wlen;		/* counted in size already */
	size_t		 wcap;		/* 0: every write goes straight out */
};
#define LOGGER_FILE_ZERO	{ .fd = -1 }

int	 logger_file_open(struct logger_file *, const char *path,
	    long long maxbytes, int backups);
void	 logger_file_close(struct logger_file *);
int	 logger_file_writev(struct logger_file *, const struct iovec *, int);
int	 logger_file_write(struct logger_file *, const void *, size_t);
void	 logger_file_buffer(struct logger_file *, size_t cap);
int	 logger_file_flush(struct logger_file *);
int	 logger_file_reopen(struct logger_file *);
int	 logger_file_remove(struct logger_file *);

/* ---- logger_child.c: the stdout/stderr logs of each process ---- */

enum logger_chan_id {
	LOGGER_STDOUT,
	LOGGER_STDERR,
	LOGGER_NCHANS,
};

/* One output channel of a process. Owner: struct logger_proc. */
struct logger_chan {
	struct logger_file file;	/* path NULL: no file */
	bool		 syslog;
	char		*line;		/* syslog: partial line, owned */
	size_t		 linelen;
	time_t		 retry;		/* next open attempt after a failure */
};

/* A process the logger writes for. Owner: struct logger (list). */
struct logger_proc {
	char		*group;
	char		*name;
	char		*sphead;	/* "<name> ", the syslog line head */
	bool		 listener;	/* its stdout is the event protocol */
	struct logger_chan chan[LOGGER_NCHANS];
	struct logger_proc *next;
};

/* ---- logger.c: the whole ---- */

/*
 * The logger. Owner: supervisord (logger_new/logger_free). Owns the main
 * log, every struct logger_proc and the scratch buffer.
 */
struct logger {
	struct ev_loop	*loop;
	struct bus	*bus;
	struct pm	*pm;

	/* main log */
	struct logger_file main;	/* path NULL with syslog */
	struct logger_file out;		/* fd 1, never closed or rotated */
	bool		 main_syslog;
	bool		 main_stdout;	/* copy lines to fd 1 */
	bool		 stdout_off;	/* daemonized: never again */
	bool		 main_failing;	/* reported on stderr already */
	ev_prepare	 flush;		/* writes buffered lines out */

	/* time stamp cache: one localtime_r per second */
	time_t		 stamp_sec;
	char		 stamp[32];

	/* child logs */
	struct logger_proc *procs;
	struct logger_proc *last;	/* lookup cache */

	/* reused buffers, owned: no allocation per chunk once warm */
	char		*scratch;	/* debug copies of child output */
	size_t		 scratchsz;
	char		*flat;		/* syslog: a message in one piece */
	size_t		 flatsz;
};

/* Everything the bus delivers goes through here (tests call it too). */
void	 logger_on_event(const struct bus_event *, void *arg);

/* logger_main.c */
char	*logger_buf_grow(char **, size_t *, size_t need);
int	 logger_main_open(struct logger *, const char *path, bool syslog,
	    long long maxbytes, int backups, char *err, size_t errlen);
void	 logger_main_close(struct logger *);
void	 logger_main_flush(struct logger *);
void	 logger_main_sink(enum log_level, const char *, size_t, void *);
void	 logger_main_writev(struct logger *, enum log_level,
	    const struct iovec *, int);
void	 logger_main_write(struct logger *, enum log_level, const char *,
	    size_t);
void	 logger_main_printf(struct logger *, enum log_level, const char *,
	    ...) __attribute__((format(printf, 3, 4)));
void	 logger_main_on_state(struct logger *, const struct bus_event *);
int	 logger_main_reopen(struct logger *);
int	 logger_main_clear(struct logger *);
size_t	 logger_format_wait(char *, size_t, int exitstatus, int termsig,
	    bool core);
const char *logger_signame(int, char *, size_t);
size_t	 logger_repr_str(char *, size_t, const char *);
size_t	 logger_repr_bytes(char *, size_t, const char *, size_t);
bool	 logger_utf8_valid(const char *, size_t);

/* logger_child.c */
void	 logger_child_on_group_added(struct logger *, const char *group);
void	 logger_child_on_group_removed(struct logger *, const char *group);
void	 logger_child_on_output(struct logger *, const struct bus_event *);
void	 logger_child_reopen_all(struct logger *);
int	 logger_child_clear(struct logger *, const char *group,
	    const char *name);
void	 logger_child_flush_all(struct logger *);
void	 logger_child_free_all(struct logger *);

#endif
