/*
 * stubs_rpc_web.c: a link-time stand-in for the web page, the event
 * stream and /metrics (rpc_web.c, rpc_sse.c, rpc_metrics.c) in the HTTP
 * server's unit suite and fuzzer: no page (404), no stream (400), an
 * empty /metrics, and every action refused (403).
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>

#include "log.h"
#include "rpc_http_int.h"

struct rpc_web *
rpc_web_new(struct rpc *rpc)
{
	return NULL;
}

void
rpc_web_free(struct rpc_web *w)
{
}

struct MHD_Response *
rpc_web_file(struct rpc *rpc, const char *url, size_t *lenp)
{
	return NULL;
}

bool
rpc_web_cross_site(struct MHD_Connection *conn)
{
	return false;
}

unsigned int
rpc_web_action(struct rpc *rpc, struct MHD_Connection *conn, char **body,
    size_t *lenp)
{
	return 403;
}

struct rpc_sse *
rpc_sse_open(struct rpc *rpc, const char *types, rpc_tail_wake *wake,
    void *arg)
{
	return NULL;
}

size_t
rpc_sse_read(struct rpc_sse *s, char *buf, size_t max)
{
	return 0;
}

void
rpc_sse_close(struct rpc_sse *s)
{
}

struct rpc_metrics *
rpc_metrics_new(struct rpc *rpc)
{
	return NULL;
}

void
rpc_metrics_free(struct rpc_metrics *m)
{
}

char *
rpc_metrics_text(struct rpc *rpc, size_t *lenp)
{
	*lenp = 0;
	return xstrdup("");
}
