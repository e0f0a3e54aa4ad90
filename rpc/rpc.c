/*
 * rpc.c: the HTTP side as supervisord sees it: serve on the bound
 * listeners from the loop, hand POST /RPC2 bodies to the XML-RPC methods,
 * and take everything down again.
 */
#include "config.h"

#include <sys/resource.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "pm.h"
#include "rpc_int.h"
#include "rpc_http_int.h"

#define RPC_CONNLIMIT_MIN	16
#define RPC_CONNLIMIT_MAX	10000

/*
 * Connections per server: what the fd limit leaves once children's pipes
 * and logs have their share, split between the servers. A full server
 * leaves new clients in the listen backlog; it never takes the fds that
 * spawning and logging need.
 */
static unsigned int
rpc_connlimit(size_t nservers)
{
	struct rlimit	 rl;
	unsigned long	 n = RPC_CONNLIMIT_MAX;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		n = rl.rlim_cur > RPC_HTTP_FD_RESERVE ?
		    (rl.rlim_cur - RPC_HTTP_FD_RESERVE) / (nservers ? nservers : 1) :
		    RPC_CONNLIMIT_MIN;
	if (n < RPC_CONNLIMIT_MIN)
		n = RPC_CONNLIMIT_MIN;
	if (n > RPC_CONNLIMIT_MAX)
		n = RPC_CONNLIMIT_MAX;
	return n;
}

/* The startup lines 4.2.5 writes for each server it opens. */
static void
rpc_announce(struct rpc *rpc, const struct rpc_listener *l)
{
	const struct pm_config *cfg = rpc->ops->config(rpc->arg);
	char	 when[64], host[256];
	time_t	 now = time(NULL);

	strftime(when, sizeof(when), "%a %b %e %H:%M:%S %Y", localtime(&now));
	if (l->is_unix)
		log_trace("%s:HTTP server (nanovisor %s) started at %s\n"
		    "\tHostname: <unix domain socket>\n\tPort:%s", l->path,
		    PACKAGE_VERSION, when, l->path);
	else {
		if (gethostname(host, sizeof(host)) == -1)
			snprintf(host, sizeof(host), "localhost");
		log_trace("%s:HTTP server (nanovisor %s) started at %s\n"
		    "\tHostname: %s\n\tPort:%d", l->host, PACKAGE_VERSION,
		    when, *l->host != '\0' ? l->host : host, l->port);
	}

	if (cfg == NULL || cfg->has_rpcinterface)
		log_info("RPC interface 'supervisor' initialized");
	if (l->username == NULL)
		log_crit("Server '%s' running without any HTTP authentication "
		    "checking", l->section);
}

struct rpc *
rpc_new(struct ev_loop *loop, struct bus *bus, struct pm *pm,
    struct logger *logger, struct rpc_listeners *ls,
    const struct rpc_ops *ops, void *arg)
{
	struct rpc	*rpc;
	struct rpc_server *srv;
	size_t		 i;

	rpc = xcalloc(1, sizeof(*rpc));
	rpc->loop = loop;
	rpc->bus = bus;
	rpc->pm = pm;
	rpc->logger = logger;
	rpc->ops = ops;
	rpc->arg = arg;
	rpc->listeners = ls;
	rpc->methods = rpc_methods_new(loop, bus, pm, logger, ops, arg);
	rpc->servers = xcalloc(ls->n + 1, sizeof(*rpc->servers));
	rpc->connlimit = rpc_connlimit(ls->n);
	rpc->web = rpc_web_new(rpc);
	rpc->metrics = rpc_metrics_new(rpc);
	for (i = 0; i < ls->n; i++) {
		rpc_announce(rpc, &ls->v[i]);
		if ((srv = rpc_http_start(rpc, &ls->v[i])) != NULL)
			rpc->servers[rpc->nservers++] = srv;
	}
	return rpc;
}

void
rpc_free(struct rpc *rpc)
{
	size_t	 i;

	if (rpc == NULL)
		return;
	for (i = 0; i < rpc->nservers; i++)
		rpc_http_stop(rpc->servers[i]);
	free(rpc->servers);
	rpc_metrics_free(rpc->metrics);
	rpc_web_free(rpc->web);
	rpc_methods_free(rpc->methods);
	rpc_listeners_free(rpc->listeners);
	free(rpc);
}
