/*
 * rpc_http.c: one libmicrohttpd daemon per listening socket, with no
 * thread of its own. Its epoll fd is watched by an ev_io and its next
 * timeout by an ev_timer; MHD_run runs when either fires. A request that
 * cannot be answered at once (a deferred XML-RPC call, a log tail waiting
 * for the file to grow) suspends its connection and is resumed from the
 * loop; while suspended, an ev_io on the client's socket notices a client
 * that goes away.
 *
 * Limits: bodies up to RPC_HTTP_BODY_MAX (413 beyond), idle connections
 * closed after RPC_HTTP_IDLE_TIMEOUT seconds, and at most rpc->connlimit
 * connections per server; near the limit the connections idle the longest
 * are closed, so idle clients never lock a new one out.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ev.h>
#include <microhttpd.h>

#include "log.h"
#include "rpc_int.h"
#include "rpc_http_int.h"

#define RPC_HTTP_SERVER		"nanovisor/" PACKAGE_VERSION
#define RPC_HTTP_TAIL_BLOCK	(32 * 1024)
#define RPC_HTTP_FLUSH_SECS	1.0
/* Connections kept free below the limit by closing the longest idle. */
#define RPC_HTTP_EVICT_MARGIN	4

enum rpc_route {
	RPC_ROUTE_RPC2,		/* POST, XML-RPC */
	RPC_ROUTE_LOGTAIL,	/* GET /logtail/<namespec>[/channel] */
	RPC_ROUTE_MAINLOGTAIL,	/* GET /mainlogtail */
	RPC_ROUTE_UI,		/* the page and its files (rpc_web.c) */
	RPC_ROUTE_ACTION,	/* POST /action, the page's buttons */
	RPC_ROUTE_EVENTS,	/* GET /events, SSE (rpc_sse.c) */
	RPC_ROUTE_METRICS,	/* GET /metrics (rpc_metrics.c) */
	RPC_ROUTE_OK,		/* /ok.html */
	RPC_ROUTE_NONE,		/* static files in 4.2.5; 404 here */
};

enum rpc_req_state {
	RPC_REQ_NEW,		/* headers only, not yet looked at */
	RPC_REQ_BODY,		/* collecting a POST body */
	RPC_REQ_READY,		/* everything received, not yet handled */
	RPC_REQ_CALL,		/* XML-RPC call running (maybe deferred) */
	RPC_REQ_TAIL,		/* streaming a log */
	RPC_REQ_REFUSED,	/* answer decided, body still arriving */
	RPC_REQ_REPLIED,	/* a response is queued */
};

/* One accepted connection; owner: MHD's socket context, freed at close. */
struct rpc_conn {
	TAILQ_ENTRY(rpc_conn) entry;	/* least recently busy first */
	int		 fd;
	int		 busy;		/* requests in progress */
	bool		 evicted;
};

#define RPC_FDLIMIT_PAUSE	0.5	/* s between accepts at the fd limit */

/* A message from libmicrohttpd, and how often it came again since. */
struct rpc_mhd_msg {
	char		 text[256];
	ev_tstamp	 at;
	unsigned long	 again;
};

struct rpc_server {
	struct rpc	*rpc;
	struct rpc_listener *l;		/* borrowed from rpc->listeners */
	struct MHD_Daemon *mhd;
	ev_io		 io;		/* MHD's epoll fd */
	ev_timer	 tm;		/* MHD's next timeout */
	struct rpc_mhd_msg msgs[4];	/* MHD's recent messages */
	bool		 fdlimit;	/* MHD_run hit EMFILE on accept */
	bool		 paused;	/* io stopped until tm fires */
	TAILQ_HEAD(, rpc_req) reqs;
	TAILQ_HEAD(, rpc_conn) conns;
	size_t		 nconns;
	size_t		 nevicted;
};

/* One request; owner: its connection (freed when MHD completes it). */
struct rpc_req {
	TAILQ_ENTRY(rpc_req) entry;
	struct rpc_server *srv;
	struct MHD_Connection *conn;
	struct rpc_conn	*c;		/* its connection's record */
	enum rpc_req_state state;
	enum rpc_route	 route;
	char		*uri;		/* as sent, for the access line */
	char		*method;
	char		*version;
	char		*body;
	size_t		 len;
	size_t		 cap;
	bool		 too_big;
	struct rpc_call	*call;		/* pending XML-RPC call */
	struct MHD_Response *resp;	/* deferred call's answer */
	struct rpc_tail	*tail;
	struct rpc_sse	*sse;
	bool		 in_handler;	/* inside an MHD callback */
	bool		 suspended;
	bool		 gone;		/* client left or server stopping */
	ev_io		 hup;		/* client socket, while suspended */
	unsigned int	 status;
	size_t		 bytes;
	unsigned int	 refusal;	/* RPC_REQ_REFUSED: the status */
};

static void	rpc_server_update(struct rpc_server *);
static void	rpc_server_kick(struct rpc_server *);

static const char *
rpc_http_reason(unsigned int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 411: return "Length Required";
	case 413: return "Request Entity Too Large";
	default: return "Internal Server Error";
	}
}

static enum rpc_route
rpc_http_route(const char *url)
{
	/* 4.2.5's order: /RPC2 and the tails match by prefix. */
	if (strncmp(url, "/RPC2", 5) == 0)
		return RPC_ROUTE_RPC2;
	if (strncmp(url, "/logtail", 8) == 0)
		return RPC_ROUTE_LOGTAIL;
	if (strncmp(url, "/mainlogtail", 12) == 0)
		return RPC_ROUTE_MAINLOGTAIL;
	if (strcmp(url, "/ok.html") == 0)
		return RPC_ROUTE_OK;
	if (strcmp(url, "/action") == 0)
		return RPC_ROUTE_ACTION;
	if (strcmp(url, "/events") == 0)
		return RPC_ROUTE_EVENTS;
	if (strcmp(url, "/metrics") == 0)
		return RPC_ROUTE_METRICS;
	return RPC_ROUTE_UI;
}

/* ---- access log ---- */

static void
rpc_req_peer(struct rpc_req *req, char *out, size_t outlen)
{
	const union MHD_ConnectionInfo *ci;
	const struct sockaddr_in *sin;
	char	 a[INET_ADDRSTRLEN];

	ci = MHD_get_connection_info(req->conn,
	    MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || ci->client_addr == NULL ||
	    ci->client_addr->sa_family != AF_INET) {
		snprintf(out, outlen, "localhost:0");
		return;
	}
	sin = (const struct sockaddr_in *)ci->client_addr;
	inet_ntop(AF_INET, &sin->sin_addr, a, sizeof(a));
	snprintf(out, outlen, "%s:%u", a, ntohs(sin->sin_port));
}

/* Medusa's line: host:port - - [date] "request" status bytes. */
static void
rpc_req_log(struct rpc_req *req)
{
	char	 peer[64], date[64];
	time_t	 now;
	struct tm tm;

	if (!log_enabled(LOG_TRAC))
		return;
	now = time(NULL);
	localtime_r(&now, &tm);
	strftime(date, sizeof(date), "%d/%b/%Y:%H:%M:%S %z", &tm);
	rpc_req_peer(req, peer, sizeof(peer));
	log_trace("%s - - [%s] \"%s %s %s\" %u %zu", peer, date,
	    req->method != NULL ? req->method : "-", req->uri,
	    req->version != NULL ? req->version : "-", req->status,
	    req->bytes);
}

/* ---- replies ---- */

static enum MHD_Result
rpc_req_queue(struct rpc_req *req, unsigned int status,
    struct MHD_Response *resp, size_t bytes)
{
	enum MHD_Result r;

	MHD_add_response_header(resp, MHD_HTTP_HEADER_SERVER,
	    RPC_HTTP_SERVER);
	/* An HTTP/1.0 client gets an HTTP/1.0 answer, as from medusa. */
	if (req->version != NULL &&
	    strcmp(req->version, MHD_HTTP_VERSION_1_0) == 0)
		MHD_set_response_options(resp, MHD_RF_HTTP_1_0_SERVER,
		    MHD_RO_END);
	req->status = status;
	req->bytes = bytes;
	req->state = RPC_REQ_REPLIED;
	r = MHD_queue_response(req->conn, status, resp);
	MHD_destroy_response(resp);
	return r;
}

static enum MHD_Result
rpc_req_text(struct rpc_req *req, unsigned int status, const char *type,
    const char *text, size_t len)
{
	struct MHD_Response *resp;

	resp = MHD_create_response_from_buffer(len, (void *)text,
	    MHD_RESPMEM_MUST_COPY);
	if (resp == NULL)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	return rpc_req_queue(req, status, resp, len);
}

static enum MHD_Result
rpc_req_error(struct rpc_req *req, unsigned int status)
{
	struct MHD_Response *resp;
	const char *reason = rpc_http_reason(status);
	char	*page;
	int	 len;

	len = xasprintf(&page, "<html><head><title>%u %s</title></head>\r\n"
	    "<body><h1>%u %s</h1></body></html>\r\n", status, reason,
	    status, reason);
	resp = MHD_create_response_from_buffer(len, page,
	    MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(page);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	    "text/html");
	if (status == 401) {
		MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
		    "Basic realm=\"default\"");
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION,
		    "close");
	}
	return rpc_req_queue(req, status, resp, len);
}

/* ---- suspend / resume ---- */

/* The client's socket became readable while we wait: gone if at EOF. */
static void
rpc_req_hup_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct rpc_req *req = w->data;
	char	 c;
	ssize_t	 n;

	n = recv(w->fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	ev_io_stop(loop, w);
	if (n > 0)
		return;		/* a pipelined request: wait for it later */
	req->gone = true;
	if (req->call != NULL) {
		rpc_call_cancel(req->call);
		req->call = NULL;
	}
	if (req->suspended) {
		req->suspended = false;
		MHD_resume_connection(req->conn);
		rpc_server_kick(req->srv);
	}
}

static void
rpc_req_suspend(struct rpc_req *req)
{
	const union MHD_ConnectionInfo *ci;

	MHD_suspend_connection(req->conn);
	req->suspended = true;
	ci = MHD_get_connection_info(req->conn,
	    MHD_CONNECTION_INFO_CONNECTION_FD);
	if (ci != NULL && !ev_is_active(&req->hup)) {
		ev_io_init(&req->hup, rpc_req_hup_cb, ci->connect_fd, EV_READ);
		req->hup.data = req;
		ev_io_start(req->srv->rpc->loop, &req->hup);
	}
}

static void
rpc_req_resume(struct rpc_req *req)
{
	if (!req->suspended)
		return;
	req->suspended = false;
	ev_io_stop(req->srv->rpc->loop, &req->hup);
	MHD_resume_connection(req->conn);
	rpc_server_kick(req->srv);
}

/* ---- /RPC2 ---- */

static void
rpc_req_call_done(const char *xml, size_t len, void *arg)
{
	struct rpc_req *req = arg;

	req->call = NULL;
	req->resp = MHD_create_response_from_buffer(len, (void *)xml,
	    MHD_RESPMEM_MUST_COPY);
	if (req->resp != NULL)
		MHD_add_response_header(req->resp,
		    MHD_HTTP_HEADER_CONTENT_TYPE, "text/xml");
	req->bytes = len;
	if (!req->in_handler)
		rpc_req_resume(req);
}

static enum MHD_Result
rpc_req_call_reply(struct rpc_req *req)
{
	struct MHD_Response *resp = req->resp;

	req->resp = NULL;
	if (resp == NULL)
		return MHD_NO;
	return rpc_req_queue(req, 200, resp, req->bytes);
}

static enum MHD_Result
rpc_req_call(struct rpc_req *req)
{
	int	 status;

	if (req->too_big)
		return rpc_req_error(req, 413);
	req->state = RPC_REQ_CALL;
	req->in_handler = true;
	status = rpc_call_start(req->srv->rpc->methods,
	    req->body != NULL ? req->body : "", req->len, rpc_req_call_done,
	    req, &req->call);
	req->in_handler = false;
	free(req->body);
	req->body = NULL;
	if (status != 0)
		return rpc_req_error(req, status);
	if (req->resp != NULL)
		return rpc_req_call_reply(req);
	rpc_req_suspend(req);
	return MHD_YES;
}

/*
 * Answer status once the body is in: a client still sending when the
 * answer comes and the connection closes would see a reset, not the
 * answer. A body larger than any we accept is answered at once.
 */
static enum MHD_Result
rpc_req_refuse(struct rpc_req *req, unsigned int status)
{
	req->state = RPC_REQ_REFUSED;
	req->refusal = status;
	return MHD_YES;
}

static enum MHD_Result
rpc_req_refused_body(struct rpc_req *req, size_t *uplen)
{
	req->len += *uplen;
	if (*uplen > 0 && req->len <= RPC_HTTP_BODY_MAX) {
		*uplen = 0;
		return MHD_YES;
	}
	*uplen = 0;
	return rpc_req_error(req, req->refusal);
}

/* Headers of a POST /RPC2 are in: refuse early or get ready for the body. */
static enum MHD_Result
rpc_req_rpc2_begin(struct rpc_req *req, const char *method)
{
	const char *cl;
	unsigned long long n;
	char	*end;

	if (strcmp(method, MHD_HTTP_METHOD_POST) != 0)
		return rpc_req_refuse(req, 400);
	cl = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl == NULL)
		return rpc_req_refuse(req, 411);
	errno = 0;
	n = strtoull(cl, &end, 10);
	if (errno != 0 || n > RPC_HTTP_BODY_MAX)
		return rpc_req_error(req, 413);
	req->state = RPC_REQ_BODY;
	return MHD_YES;
}

static void
rpc_req_body_add(struct rpc_req *req, const char *data, size_t len)
{
	if (req->too_big || req->len + len > RPC_HTTP_BODY_MAX) {
		req->too_big = true;
		return;
	}
	if (req->len + len + 1 > req->cap) {
		req->cap = req->cap * 2 > req->len + len + 1 ?
		    req->cap * 2 : req->len + len + 1;
		req->body = xrealloc(req->body, req->cap);
	}
	memcpy(req->body + req->len, data, len);
	req->len += len;
	req->body[req->len] = '\0';
}

/* ---- /logtail, /mainlogtail ---- */

static ssize_t
rpc_req_tail_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct rpc_req *req = cls;
	size_t	 n;

	if (req->gone || req->tail == NULL)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	if ((n = rpc_tail_read(req->tail, buf, max)) > 0) {
		req->bytes += n;
		return n;
	}
	rpc_req_suspend(req);
	return 0;
}

static void
rpc_req_tail_wake(void *arg)
{
	rpc_req_resume(arg);
}

/* The file's mtime, as 4.2.5 sends it with a tail. */
static void
rpc_req_last_modified(struct MHD_Response *resp, const char *path)
{
	struct stat	 sb;
	struct tm	 tm;
	char		 date[64];

	if (stat(path, &sb) == -1 || gmtime_r(&sb.st_mtime, &tm) == NULL)
		return;
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_LAST_MODIFIED, date);
}

static enum MHD_Result
rpc_req_tail(struct rpc_req *req, const char *path)
{
	struct MHD_Response *resp;
	enum MHD_Result r;

	if (path == NULL || (req->tail = rpc_tail_open(req->srv->rpc->loop,
	    path, rpc_req_tail_wake, req)) == NULL)
		return rpc_req_error(req, 404);
	resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN,
	    RPC_HTTP_TAIL_BLOCK, rpc_req_tail_read, req, NULL);
	if (resp == NULL)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	    "text/plain;charset=utf-8");
	MHD_add_response_header(resp, "X-Accel-Buffering", "no");
	rpc_req_last_modified(resp, path);
	r = rpc_req_queue(req, 200, resp, 0);
	req->state = RPC_REQ_TAIL;
	return r;
}

/* ---- /events, /metrics, the page ---- */

static ssize_t
rpc_req_sse_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct rpc_req *req = cls;
	size_t	 n;

	if (req->gone || req->sse == NULL)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	if ((n = rpc_sse_read(req->sse, buf, max)) > 0) {
		req->bytes += n;
		return n;
	}
	rpc_req_suspend(req);
	return 0;
}

static enum MHD_Result
rpc_req_sse(struct rpc_req *req)
{
	struct MHD_Response *resp;
	enum MHD_Result r;

	if ((req->sse = rpc_sse_open(req->srv->rpc,
	    MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND,
	    "type"), rpc_req_tail_wake, req)) == NULL)
		return rpc_req_error(req, 400);
	resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN,
	    RPC_HTTP_TAIL_BLOCK, rpc_req_sse_read, req, NULL);
	if (resp == NULL)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	    "text/event-stream; charset=utf-8");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
	    "no-cache");
	MHD_add_response_header(resp, "X-Accel-Buffering", "no");
	r = rpc_req_queue(req, 200, resp, 0);
	req->state = RPC_REQ_TAIL;
	return r;
}

static enum MHD_Result
rpc_req_metrics(struct rpc_req *req)
{
	enum MHD_Result r;
	size_t	 len;
	char	*text;

	text = rpc_metrics_text(req->srv->rpc, &len);
	r = rpc_req_text(req, 200, "text/plain; version=0.0.4; charset=utf-8",
	    text, len);
	free(text);
	return r;
}

static enum MHD_Result
rpc_req_ui(struct rpc_req *req, const char *url)
{
	struct MHD_Response *resp;
	size_t	 len;

	if ((resp = rpc_web_file(req->srv->rpc, url, &len)) == NULL)
		return rpc_req_error(req, 404);
	return rpc_req_queue(req, 200, resp, len);
}

/* ---- dispatch ---- */

/* Everything is received: answer, or start what will answer later. */
static enum MHD_Result
rpc_req_handle(struct rpc_req *req, const char *url)
{
	struct rpc *rpc = req->srv->rpc;
	unsigned int status;

	switch (req->route) {
	case RPC_ROUTE_RPC2:
		return rpc_req_call(req);
	case RPC_ROUTE_LOGTAIL:
		return rpc_req_tail(req, rpc_logtail_path(rpc, url));
	case RPC_ROUTE_MAINLOGTAIL:
		return rpc_req_tail(req, rpc_mainlogtail_path(rpc));
	case RPC_ROUTE_OK:
		return rpc_req_text(req, 200, "text/plain", "OK", 2);
	case RPC_ROUTE_ACTION:
		if (req->too_big)
			return rpc_req_error(req, 413);
		status = rpc_web_action(rpc, req->conn, &req->body, &req->len);
		if (status != 0)
			return rpc_req_error(req, status);
		return rpc_req_call(req);
	case RPC_ROUTE_EVENTS:
		return rpc_req_sse(req);
	case RPC_ROUTE_METRICS:
		return rpc_req_metrics(req);
	case RPC_ROUTE_UI:
		return rpc_req_ui(req, url);
	case RPC_ROUTE_NONE:
		break;
	}
	return rpc_req_error(req, 404);
}

/* First call for a request: only the headers are known. */
static enum MHD_Result
rpc_req_begin(struct rpc_req *req, const char *url, const char *method)
{
	switch (rpc_auth_check(req->srv->l, req->conn)) {
	case RPC_AUTH_OK:
		break;
	case RPC_AUTH_DENIED:
		return rpc_req_refuse(req, 401);
	case RPC_AUTH_MALFORMED:
		return rpc_req_refuse(req, 400);
	}
	req->route = rpc_http_route(url);
	req->state = RPC_REQ_READY;
	switch (req->route) {
	case RPC_ROUTE_RPC2:
	case RPC_ROUTE_ACTION:
		/* a browser on another site must not act (4.2.5 lets it) */
		if (rpc_web_cross_site(req->conn))
			return rpc_req_refuse(req, 403);
		return rpc_req_rpc2_begin(req, method);
	case RPC_ROUTE_LOGTAIL:
	case RPC_ROUTE_MAINLOGTAIL:
	case RPC_ROUTE_EVENTS:
	case RPC_ROUTE_METRICS:
		if (strcmp(method, MHD_HTTP_METHOD_GET) != 0)
			return rpc_req_refuse(req, 400);
		break;
	default:
		break;
	}
	return MHD_YES;
}

static enum MHD_Result
rpc_http_access(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *uplen, void **ctx)
{
	struct rpc_req *req = *ctx;

	if (req == NULL)
		return MHD_NO;
	req->conn = conn;
	if (req->gone)
		return MHD_NO;
	switch (req->state) {
	case RPC_REQ_NEW:
		req->method = xstrdup(method);
		req->version = xstrdup(version);
		return rpc_req_begin(req, url, method);
	case RPC_REQ_BODY:
		if (*uplen > 0) {
			rpc_req_body_add(req, upload, *uplen);
			*uplen = 0;
			return MHD_YES;
		}
		/* FALLTHROUGH */
	case RPC_REQ_READY:
		*uplen = 0;
		return rpc_req_handle(req, url);
	case RPC_REQ_REFUSED:
		return rpc_req_refused_body(req, uplen);
	case RPC_REQ_CALL:
		if (req->resp != NULL)
			return rpc_req_call_reply(req);
		return MHD_YES;
	default:
		/* A refused request's body is still arriving: drop it. */
		*uplen = 0;
		return MHD_YES;
	}
}

/* ---- connections ---- */

static struct rpc_conn *
rpc_conn_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci;

	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci != NULL ? ci->socket_context : NULL;
}

/* Most recently busy last. */
static void
rpc_conn_touch(struct rpc_server *srv, struct rpc_conn *c)
{
	TAILQ_REMOVE(&srv->conns, c, entry);
	TAILQ_INSERT_TAIL(&srv->conns, c, entry);
}

/*
 * Near the connection limit, shut down the connections idle the longest,
 * so that a new client never waits in the backlog behind idle ones. MHD
 * sees the end of the stream and closes them itself.
 */
static void
rpc_conn_evict(struct rpc_server *srv)
{
	struct rpc_conn *c;
	size_t	 limit = srv->rpc->connlimit, keep, live;

	keep = limit > 2 * RPC_HTTP_EVICT_MARGIN ?
	    limit - RPC_HTTP_EVICT_MARGIN : limit / 2;
	live = srv->nconns - srv->nevicted;
	TAILQ_FOREACH(c, &srv->conns, entry) {
		if (live <= keep)
			break;
		if (c->busy > 0 || c->evicted || c->fd == -1)
			continue;
		shutdown(c->fd, SHUT_RDWR);
		c->evicted = true;
		srv->nevicted++;
		live--;
	}
}

static void
rpc_http_conn_notify(void *cls, struct MHD_Connection *conn, void **sctx,
    enum MHD_ConnectionNotificationCode code)
{
	struct rpc_server *srv = cls;
	const union MHD_ConnectionInfo *ci;
	struct rpc_conn *c = *sctx;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		c = xcalloc(1, sizeof(*c));
		ci = MHD_get_connection_info(conn,
		    MHD_CONNECTION_INFO_CONNECTION_FD);
		c->fd = ci != NULL ? ci->connect_fd : -1;
		TAILQ_INSERT_TAIL(&srv->conns, c, entry);
		srv->nconns++;
		*sctx = c;
		rpc_conn_evict(srv);
		return;
	}
	if (c == NULL)
		return;
	TAILQ_REMOVE(&srv->conns, c, entry);
	srv->nconns--;
	if (c->evicted)
		srv->nevicted--;
	free(c);
	*sctx = NULL;
}

/* MHD's first word on a request: the raw URI. The request starts here. */
static void *
rpc_http_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct rpc_server *srv = cls;
	struct rpc_req *req;

	req = xcalloc(1, sizeof(*req));
	req->srv = srv;
	req->conn = conn;
	req->uri = xstrdup(uri);
	req->c = rpc_conn_of(conn);
	if (req->c != NULL) {
		req->c->busy++;
		rpc_conn_touch(srv, req->c);
	}
	ev_init(&req->hup, rpc_req_hup_cb);
	TAILQ_INSERT_TAIL(&srv->reqs, req, entry);
	return req;
}

static void
rpc_req_free(struct rpc_req *req)
{
	ev_io_stop(req->srv->rpc->loop, &req->hup);
	if (req->call != NULL)
		rpc_call_cancel(req->call);
	if (req->resp != NULL)
		MHD_destroy_response(req->resp);
	rpc_tail_close(req->tail);
	rpc_sse_close(req->sse);
	TAILQ_REMOVE(&req->srv->reqs, req, entry);
	free(req->body);
	free(req->uri);
	free(req->method);
	free(req->version);
	free(req);
}

static void
rpc_http_completed(void *cls, struct MHD_Connection *conn, void **ctx,
    enum MHD_RequestTerminationCode toe)
{
	struct rpc_req *req = *ctx;
	const union MHD_ConnectionInfo *ci;

	if (req == NULL)
		return;
	*ctx = NULL;
	if (req->c != NULL) {
		req->c->busy--;
		rpc_conn_touch(req->srv, req->c);
	}
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_HTTP_STATUS);
	if (req->status == 0 && ci != NULL)
		req->status = ci->http_status;
	rpc_req_log(req);
	rpc_req_free(req);
}

/* ---- the daemon in our loop ---- */

static void
rpc_server_run(struct rpc_server *srv)
{
	struct ev_loop *loop = srv->rpc->loop;

	srv->fdlimit = false;
	if (MHD_run(srv->mhd) == MHD_NO)
		log_msg(LOG_ERRO, "%s: HTTP server error", srv->l->section);
	if (srv->fdlimit) {
		/* Out of fds, MHD would retry accept() at once, forever:
		 * give the process time to free some instead. */
		ev_io_stop(loop, &srv->io);
		ev_timer_stop(loop, &srv->tm);
		ev_timer_set(&srv->tm, RPC_FDLIMIT_PAUSE, 0.);
		ev_timer_start(loop, &srv->tm);
		srv->paused = true;
		return;
	}
	rpc_server_update(srv);
}

/* Arm the timer for MHD's next deadline (0: work is already pending). */
static void
rpc_server_update(struct rpc_server *srv)
{
	MHD_UNSIGNED_LONG_LONG ms;
	struct ev_loop *loop = srv->rpc->loop;

	ev_timer_stop(loop, &srv->tm);
	if (MHD_get_timeout(srv->mhd, &ms) == MHD_NO)
		return;
	ev_timer_set(&srv->tm, ms / 1000.0, 0.);
	ev_timer_start(loop, &srv->tm);
}

/* Run MHD on the next loop pass (a connection was resumed). */
static void
rpc_server_kick(struct rpc_server *srv)
{
	ev_timer_stop(srv->rpc->loop, &srv->tm);
	ev_timer_set(&srv->tm, 0., 0.);
	ev_timer_start(srv->rpc->loop, &srv->tm);
}

static void
rpc_server_io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	rpc_server_run(w->data);
}

static void
rpc_server_tm_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct rpc_server *srv = w->data;

	if (srv->paused) {
		srv->paused = false;
		ev_io_start(loop, &srv->io);
	}
	rpc_server_run(srv);
}

/*
 * A client that goes away, or our own refusal of a request whose client
 * is gone, is routine: debug. What is left is a server error.
 */
static enum log_level
rpc_server_mhd_level(const char *msg)
{
	static const char *const routine[] = {
		"pplication", "closed", "closure", "no longer available",
		"reset by peer", "Broken pipe",
	};
	size_t	 i;

	for (i = 0; i < sizeof(routine) / sizeof(routine[0]); i++)
		if (strstr(msg, routine[i]) != NULL)
			return LOG_DEBG;
	return LOG_ERRO;
}

#define RPC_MHD_REPEAT_SECS	60

static void
rpc_mhd_msg_flush(struct rpc_mhd_msg *m)
{
	if (m->again > 0)
		log_msg(rpc_server_mhd_level(m->text), "%s (%lu times more)",
		    m->text, m->again);
	m->again = 0;
}

/*
 * libmicrohttpd's messages go to the main log, but one it repeats (at the
 * fd limit, two lines on every failed accept) is written once a minute
 * with how many times it came meanwhile, not thousands of times a second.
 */
static void
rpc_server_mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct rpc_server	*srv = cls;
	struct rpc_mhd_msg	*m, *slot = &srv->msgs[0];
	char			 msg[256];
	size_t			 n, i;
	ev_tstamp		 now = ev_now(srv->rpc->loop);

	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n > 0 && msg[n - 1] == '\n')
		msg[--n] = '\0';
	if (strstr(msg, "resource limit") != NULL ||
	    strstr(msg, "Too many open files") != NULL)
		srv->fdlimit = true;
	for (i = 0; i < sizeof(srv->msgs) / sizeof(srv->msgs[0]); i++) {
		m = &srv->msgs[i];
		if (strcmp(m->text, msg) == 0) {
			if (now - m->at < RPC_MHD_REPEAT_SECS) {
				m->again++;
				return;
			}
			slot = m;
			break;
		}
		if (m->at < slot->at)
			slot = m;	/* the oldest goes */
	}
	rpc_mhd_msg_flush(slot);
	snprintf(slot->text, sizeof(slot->text), "%s", msg);
	slot->at = now;
	log_msg(rpc_server_mhd_level(msg), "%s", msg);
}

struct rpc_server *
rpc_http_start(struct rpc *rpc, struct rpc_listener *l)
{
	struct rpc_server *srv;
	const union MHD_DaemonInfo *di;

	srv = xcalloc(1, sizeof(*srv));
	srv->rpc = rpc;
	srv->l = l;
	TAILQ_INIT(&srv->reqs);
	TAILQ_INIT(&srv->conns);
	srv->mhd = MHD_start_daemon(MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
	    MHD_USE_ERROR_LOG | MHD_USE_TURBO, 0, NULL, NULL,
	    rpc_http_access, srv,
	    MHD_OPTION_EXTERNAL_LOGGER, rpc_server_mhd_log, srv,
	    MHD_OPTION_LISTEN_SOCKET, l->fd,
	    MHD_OPTION_URI_LOG_CALLBACK, rpc_http_uri, srv,
	    MHD_OPTION_NOTIFY_COMPLETED, rpc_http_completed, srv,
	    MHD_OPTION_NOTIFY_CONNECTION, rpc_http_conn_notify, srv,
	    MHD_OPTION_CONNECTION_LIMIT, rpc->connlimit,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)RPC_HTTP_IDLE_TIMEOUT,
	    MHD_OPTION_SIGPIPE_HANDLED_BY_APP, 1,
	    MHD_OPTION_END);
	if (srv->mhd == NULL ||
	    (di = MHD_get_daemon_info(srv->mhd, MHD_DAEMON_INFO_EPOLL_FD))
	    == NULL) {
		log_msg(LOG_CRIT, "%s: cannot start the HTTP server",
		    l->section);
		if (srv->mhd != NULL)
			MHD_stop_daemon(srv->mhd);
		free(srv);
		return NULL;
	}
	ev_io_init(&srv->io, rpc_server_io_cb, di->epoll_fd, EV_READ);
	srv->io.data = srv;
	ev_io_start(rpc->loop, &srv->io);
	ev_init(&srv->tm, rpc_server_tm_cb);
	srv->tm.data = srv;
	rpc_server_update(srv);
	return srv;
}

size_t
rpc_http_requests(const struct rpc_server *srv)
{
	const struct rpc_req *req;
	size_t	 n = 0;

	TAILQ_FOREACH(req, &srv->reqs, entry)
		n++;
	return n;
}

static bool
rpc_http_replying(const struct rpc_server *srv)
{
	const struct rpc_req *req;

	TAILQ_FOREACH(req, &srv->reqs, entry)
		if (req->state == RPC_REQ_REPLIED)
			return true;
	return false;
}

/*
 * Give answers already queued (the True of a shutdown or a restart) a
 * moment to reach their clients before the connections close.
 */
static void
rpc_http_flush(struct rpc_server *srv)
{
	struct pollfd	 pfd;
	ev_tstamp	 end = ev_time() + RPC_HTTP_FLUSH_SECS;

	pfd.fd = srv->io.fd;
	pfd.events = POLLIN;
	while (rpc_http_replying(srv) && ev_time() < end) {
		poll(&pfd, 1, 50);
		MHD_run(srv->mhd);
	}
}

/* Close every connection; the listening socket stays with its owner. */
void
rpc_http_stop(struct rpc_server *srv)
{
	struct rpc_req *req;

	if (srv == NULL)
		return;
	rpc_http_flush(srv);
	TAILQ_FOREACH(req, &srv->reqs, entry) {
		req->gone = true;
		if (req->call != NULL) {
			rpc_call_cancel(req->call);
			req->call = NULL;
		}
		rpc_req_resume(req);
	}
	/* MHD must see the resumed connections before it may stop. */
	MHD_run(srv->mhd);
	MHD_quiesce_daemon(srv->mhd);
	MHD_stop_daemon(srv->mhd);
	ev_io_stop(srv->rpc->loop, &srv->io);
	ev_timer_stop(srv->rpc->loop, &srv->tm);
	free(srv);
}
