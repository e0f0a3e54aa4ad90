/*
 * rpc_http_int.h: shared by the HTTP server's files only (rpc.c,
 * rpc_listen.c, rpc_http.c, rpc_auth.c, rpc_logtail.c). The XML-RPC side
 * never sees any of this; it meets the server through rpc_int.h.
 */
#ifndef NV_RPC_HTTP_INT_H
#define NV_RPC_HTTP_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/queue.h>

#include "rpc.h"

struct ev_loop;
struct MHD_Connection;
struct rpc_methods;

/* The largest POST /RPC2 body accepted; more gets 413. */
#define RPC_HTTP_BODY_MAX	(10 * 1024 * 1024)
/* Idle keep-alive connections are closed after this many seconds. */
#define RPC_HTTP_IDLE_TIMEOUT	300
/* File descriptors left to the rest of supervisord (children's pipes,
 * logs) when sizing the connection limit. */
#define RPC_HTTP_FD_RESERVE	256
/* What /logtail and /mainlogtail send first: the file's last bytes. */
#define RPC_LOGTAIL_HEAD	1024

/* One bound socket and the settings of its config section. */
struct rpc_listener {
	int		 fd;
	bool		 is_unix;
	char		*section;	/* "unix_http_server", for messages */
	char		*path;		/* unix: socket file to unlink */
	char		*host;		/* inet: as configured */
	int		 port;		/* inet */
	char		*username;	/* NULL: no auth */
	char		*password;	/* plaintext or "{SHA}" + hex */
};

/* Owner of every listener (rpc_listen's result; then struct rpc's). */
struct rpc_listeners {
	struct rpc_listener *v;
	size_t		 n;
};

void		 rpc_listeners_free(struct rpc_listeners *);

struct rpc_server;

/* The whole HTTP side. One per supervisord; owner of everything below. */
struct rpc {
	struct ev_loop	*loop;
	struct bus	*bus;
	struct pm	*pm;
	struct logger	*logger;
	const struct rpc_ops *ops;
	void		*arg;
	struct rpc_methods *methods;
	struct rpc_listeners *listeners;
	struct rpc_server **servers;	/* one per listener */
	size_t		 nservers;
	unsigned int	 connlimit;	/* per server */
	struct rpc_web	*web;		/* the page, its actions */
	struct rpc_metrics *metrics;	/* counters behind /metrics */
};

/* rpc_http.c: one libmicrohttpd daemon on one listener, run by the loop. */
struct rpc_server *rpc_http_start(struct rpc *, struct rpc_listener *);
void		 rpc_http_stop(struct rpc_server *);
/* Requests in progress (tests). */
size_t		 rpc_http_requests(const struct rpc_server *);

/* rpc_auth.c: whether the request may proceed (no auth configured, or
 * good Basic credentials), is refused (401), or carries Basic
 * credentials that do not decode (400, as 4.2.5). */
enum rpc_auth {
	RPC_AUTH_OK,
	RPC_AUTH_DENIED,
	RPC_AUTH_MALFORMED,
};
enum rpc_auth	 rpc_auth_check(const struct rpc_listener *,
		    struct MHD_Connection *);
char		*rpc_auth_basic_decode(const char *, size_t *);
bool		 rpc_auth_password_ok(const char *stored, const char *given,
		    size_t givenlen);

/*
 * rpc_logtail.c: follow one file as 4.2.5's tail producer does. The
 * follower calls wake(arg) when the file may have changed.
 */
struct rpc_tail;
typedef void	 rpc_tail_wake(void *arg);

/* NULL with errno when the file cannot be opened. */
struct rpc_tail *rpc_tail_open(struct ev_loop *, const char *path,
		    rpc_tail_wake *, void *arg);
/* Bytes to send now (0: nothing new yet). */
size_t		 rpc_tail_read(struct rpc_tail *, char *buf, size_t max);
void		 rpc_tail_close(struct rpc_tail *);

/* The file /logtail/<namespec>[/channel] names, or NULL (404). */
const char	*rpc_logtail_path(struct rpc *, const char *url);
/* The main log file, or NULL (404). */
const char	*rpc_mainlogtail_path(struct rpc *);

/*
 * rpc_web.c: the web page and its actions. Static files are compiled in
 * (rpc/web/); actions are POST /action forms turned into XML-RPC calls.
 */
struct rpc_web;
struct rpc_web	*rpc_web_new(struct rpc *);
void		 rpc_web_free(struct rpc_web *);
/* The page or file url names (a new response, *lenp its size), or NULL. */
struct MHD_Response *rpc_web_file(struct rpc *, const char *url,
		    size_t *lenp);
/* True when the request comes from another site (Origin, Sec-Fetch-Site). */
bool		 rpc_web_cross_site(struct MHD_Connection *);
/*
 * A POST /action form in *body: check its token, and replace it with the
 * XML-RPC call it asks for (*body reallocated). 0, or an HTTP status.
 */
unsigned int	 rpc_web_action(struct rpc *, struct MHD_Connection *,
		    char **body, size_t *lenp);

/*
 * rpc_sse.c: GET /events[?type=P1,P2]: bus events as text/event-stream.
 * Same shape as a tail: wake(arg) when there is something to read.
 */
struct rpc_sse;
struct rpc_sse	*rpc_sse_open(struct rpc *, const char *types,
		    rpc_tail_wake *, void *arg);
size_t		 rpc_sse_read(struct rpc_sse *, char *buf, size_t max);
void		 rpc_sse_close(struct rpc_sse *);

/* rpc_metrics.c: /metrics in Prometheus text format; malloc'd text. */
struct rpc_metrics;
struct rpc_metrics *rpc_metrics_new(struct rpc *);
void		 rpc_metrics_free(struct rpc_metrics *);
char		*rpc_metrics_text(struct rpc *, size_t *lenp);

#endif
