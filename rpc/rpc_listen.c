/*
 * rpc_listen.c: bind the sockets of [unix_http_server] and
 * [inet_http_server] before supervisord daemonizes, so that a port in use
 * or a bad path is reported on the terminal with 4.2.5's messages.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "pm.h"
#include "rpc_http_int.h"

#define RPC_LISTEN_BACKLOG	1024
#define RPC_LISTEN_STALE_TRIES	10

static const char rpc_listen_inuse[] = "Another program is already "
    "listening on a port that one of our HTTP servers is configured to "
    "use.  Shut this program down first before starting supervisord.";

/* 4.2.5's text for a socket error other than "in use". */
static void
rpc_listen_sockerr(int e, char *err, size_t errlen)
{
	const char *name = strerrorname_np(e);

	if (e == EADDRINUSE)
		snprintf(err, errlen, "%s", rpc_listen_inuse);
	else if (name == NULL)
		snprintf(err, errlen, "Cannot open an HTTP server: socket.error "
		    "reported %d", e);
	else
		snprintf(err, errlen, "Cannot open an HTTP server: socket.error "
		    "reported errno.%s (%d)", name, e);
}

static int
rpc_listen_socket(int family)
{
	int	 fd;

	if ((fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0)) == -1)
		return -1;
	return fd;
}

/* Does a server answer on this socket file? (A refused or failed connect
 * means the file is stale.) */
static bool
rpc_listen_unix_live(const char *path)
{
	struct sockaddr_un sun;
	struct timeval	 tv = { 2, 0 };
	static const char probe[] = "GET / HTTP/1.0\r\n\r\n";
	char		 c;
	bool		 live = false;
	int		 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return false;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0 &&
	    send(fd, probe, sizeof(probe) - 1, MSG_NOSIGNAL) >= 0 &&
	    (recv(fd, &c, 1, 0) >= 0 || errno == EAGAIN))
		live = true;
	close(fd);
	return live;
}

static int
rpc_listen_chown(const struct pm_httpconf *h, char *err, size_t errlen)
{
	struct passwd	*pw;

	if (!h->has_chown || chown(h->file, h->chown_uid, h->chown_gid) == 0)
		return 0;
	if (errno != EPERM) {
		rpc_listen_sockerr(errno, err, errlen);
		return -1;
	}
	pw = getpwuid(geteuid());
	snprintf(err, errlen, "Not permitted to chown %s to uid/gid (%u, %u); "
	    "adjust \"sockchown\" value in config file or on command line to "
	    "values that the current user (%s) can successfully chown",
	    h->file, (unsigned)h->chown_uid, (unsigned)h->chown_gid,
	    pw != NULL ? pw->pw_name : "?");
	return -1;
}

/*
 * Bind file.<pid>, then hard-link it to file: the link fails if the name
 * exists, so two daemons never both think they own the socket file.
 */
static int
rpc_listen_unix_try(const struct pm_httpconf *h, const char *tmp, int *fdp,
    char *err, size_t errlen)
{
	struct sockaddr_un sun;
	int	 fd, e;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(tmp) >= sizeof(sun.sun_path)) {
		/* Python refuses this before any system call: no errno. */
		snprintf(err, errlen, "Cannot open an HTTP server: socket.error "
		    "reported AF_UNIX path too long");
		return -1;
	}
	strcpy(sun.sun_path, tmp);
	if ((fd = rpc_listen_socket(AF_UNIX)) == -1)
		goto fail;
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    chmod(tmp, h->chmod) == -1)
		goto fail;
	if (link(tmp, h->file) == -1) {
		close(fd);
		*fdp = -1;
		return 1;	/* in use or stale: the caller probes */
	}
	if (rpc_listen_chown(h, err, errlen) == -1) {
		close(fd);
		unlink(h->file);
		return -1;
	}
	if (listen(fd, RPC_LISTEN_BACKLOG) == -1) {
		unlink(h->file);
		goto fail;
	}
	*fdp = fd;
	return 0;
fail:
	e = errno;
	if (fd != -1)
		close(fd);
	rpc_listen_sockerr(e, err, errlen);
	return -1;
}

static int
rpc_listen_unix(const struct pm_httpconf *h, char *err, size_t errlen)
{
	struct timespec	 pause = { 0, 300 * 1000 * 1000 };
	char	*tmp;
	int	 fd = -1, r, tries;

	xasprintf(&tmp, "%s.%ld", h->file, (long)getpid());
	unlink(tmp);
	for (tries = 0; tries < RPC_LISTEN_STALE_TRIES; tries++) {
		r = rpc_listen_unix_try(h, tmp, &fd, err, errlen);
		unlink(tmp);
		if (r <= 0)
			break;
		if (rpc_listen_unix_live(h->file)) {
			rpc_listen_sockerr(EADDRINUSE, err, errlen);
			r = -1;
			break;
		}
		fprintf(stderr, "Unlinking stale socket %s\n", h->file);
		unlink(h->file);
		nanosleep(&pause, NULL);
	}
	if (r > 0)
		rpc_listen_sockerr(EADDRINUSE, err, errlen);
	free(tmp);
	return r == 0 ? fd : -1;
}

/* The IPv4 address to bind: "" is any, as in 4.2.5 (which also insists
 * that the machine's own hostname resolves). */
static int
rpc_listen_inet_addr(const struct pm_httpconf *h, struct sockaddr_in *sin,
    char *err, size_t errlen)
{
	struct addrinfo	 hints, *res;
	char		 host[256];
	const char	*name = h->host;

	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(h->port);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	if (name == NULL || *name == '\0' || strcmp(name, "*") == 0) {
		sin->sin_addr.s_addr = htonl(INADDR_ANY);
		if (gethostname(host, sizeof(host)) == -1 ||
		    getaddrinfo(host, NULL, &hints, &res) != 0) {
			snprintf(err, errlen, "Could not determine IP address "
			    "for hostname %s, please try setting an explicit "
			    "IP address in the \"port\" setting of your "
			    "[inet_http_server] section.  For example, instead "
			    "of \"port = 9001\", try \"port = 127.0.0.1:9001.\"",
			    host);
			return -1;
		}
		freeaddrinfo(res);
		return 0;
	}
	if (getaddrinfo(name, NULL, &hints, &res) != 0) {
		snprintf(err, errlen, "Cannot open an HTTP server: "
		    "socket.error reported errno.EADDRNOTAVAIL (%d)",
		    EADDRNOTAVAIL);
		return -1;
	}
	sin->sin_addr = ((struct sockaddr_in *)res->ai_addr)->sin_addr;
	freeaddrinfo(res);
	return 0;
}

static int
rpc_listen_inet(const struct pm_httpconf *h, char *err, size_t errlen)
{
	struct sockaddr_in sin;
	int	 fd, on = 1, e;

	if (rpc_listen_inet_addr(h, &sin, err, errlen) == -1)
		return -1;
	if ((fd = rpc_listen_socket(AF_INET)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(fd, RPC_LISTEN_BACKLOG) == -1) {
		e = errno;
		if (fd != -1)
			close(fd);
		rpc_listen_sockerr(e, err, errlen);
		return -1;
	}
	return fd;
}

static void
rpc_listener_fill(struct rpc_listener *l, const struct pm_httpconf *h, int fd)
{
	l->fd = fd;
	l->is_unix = h->is_unix;
	l->section = xstrdup(h->section != NULL ? h->section :
	    h->is_unix ? "unix_http_server" : "inet_http_server");
	l->path = h->is_unix ? xstrdup(h->file) : NULL;
	l->host = h->is_unix ? NULL : xstrdup(h->host != NULL ? h->host : "");
	l->port = h->port;
	l->username = h->username != NULL && *h->username != '\0' ?
	    xstrdup(h->username) : NULL;
	l->password = l->username != NULL ?
	    xstrdup(h->password != NULL ? h->password : "") : NULL;
}

struct rpc_listeners *
rpc_listen(const struct pm_config *cfg, char *err, size_t errlen)
{
	struct rpc_listeners *ls;
	const struct pm_httpconf *h;
	size_t	 i;
	int	 fd;

	ls = xcalloc(1, sizeof(*ls));
	ls->v = xcalloc(cfg->nhttp + 1, sizeof(*ls->v));
	for (i = 0; i < cfg->nhttp; i++) {
		h = &cfg->http[i];
		fd = h->is_unix ? rpc_listen_unix(h, err, errlen) :
		    rpc_listen_inet(h, err, errlen);
		if (fd == -1) {
			rpc_listeners_free(ls);
			return NULL;
		}
		rpc_listener_fill(&ls->v[ls->n++], h, fd);
	}
	return ls;
}

/* Close every socket and unlink the socket files. */
void
rpc_listeners_free(struct rpc_listeners *ls)
{
	struct rpc_listener *l;
	size_t	 i;

	if (ls == NULL)
		return;
	for (i = 0; i < ls->n; i++) {
		l = &ls->v[i];
		if (l->fd != -1)
			close(l->fd);
		if (l->path != NULL)
			unlink(l->path);
		free(l->section);
		free(l->path);
		free(l->host);
		free(l->username);
		free(l->password);
	}
	free(ls->v);
	free(ls);
}
