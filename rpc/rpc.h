/*
 * rpc.h: the HTTP side of supervisord: XML-RPC on /RPC2 (Supervisor
 * 4.2.5's API), /logtail, /mainlogtail, /ok.html, over [unix_http_server]
 * and [inet_http_server]. It commands processes through pm.h and learns
 * what happened from the bus; what belongs to supervisord itself (its
 * state, shutdown, restart, re-reading the config) comes in through
 * struct rpc_ops.
 */
#ifndef NV_RPC_H
#define NV_RPC_H

#include <stddef.h>

struct ev_loop;
struct bus;
struct pm;
struct logger;
struct pm_config;
struct lp_pool_stats;

/* What supervisord does for the RPC server. arg is rpc_new's arg. */
struct rpc_ops {
	/* Supervisor's state: 1 RUNNING, 0 RESTARTING, -1 SHUTDOWN. */
	int	(*mood)(void *arg);
	/* Begin a shutdown / a restart (reload); return at once. */
	void	(*shutdown)(void *arg);
	void	(*restart)(void *arg);
	/* reloadConfig: parse the config file again and make it the one
	 * config() returns (no process is touched). 0, or -1 with err. */
	int	(*reread)(void *arg, char *err, size_t errlen);
	/* The current config (the last one read). */
	const struct pm_config *(*config)(void *arg);
	/* A listener pool's counters (lp_pool_stats), for /metrics: 0, or
	 * -1 when there is no such pool. NULL: no pools to report. */
	int	(*pool_stats)(void *arg, const char *pool,
		    struct lp_pool_stats *);
};

/* Sockets bound before daemonizing, so errors reach the terminal. */
struct rpc_listeners;

/*
 * Bind every [unix_http_server] and [inet_http_server] of cfg (none: an
 * empty set). A live server on a socket file fails with 4.2.5's message;
 * a stale socket file is replaced. NULL with err on failure.
 */
struct rpc_listeners *rpc_listen(const struct pm_config *, char *err,
		    size_t errlen);

struct rpc;

/* Serve on the bound sockets from the loop (takes the listeners). */
struct rpc	*rpc_new(struct ev_loop *, struct bus *, struct pm *,
		    struct logger *, struct rpc_listeners *,
		    const struct rpc_ops *, void *arg);
/* Stop serving, close every connection and socket, unlink socket files. */
void		 rpc_free(struct rpc *);

#endif
