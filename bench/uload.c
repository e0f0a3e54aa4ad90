/*
 * bench/uload.c: keep-alive HTTP load over a unix socket, where wrk
 * cannot go.
 *
 *	uload SOCKET CONNS SECONDS BODYFILE
 *
 * Opens CONNS connections to the unix socket SOCKET and on each sends
 * POST /RPC2 with BODYFILE as the body, waits for the whole answer
 * (Content-Length or chunked ending in 0 CRLF CRLF; the servers measured
 * here send Content-Length), and sends the next, for SECONDS. Prints
 * "requests N errors N rps R p50_ms P p99_ms P". One thread, epoll.
 *
 * A bench tool, not part of the project's build: bench/rpc.sh builds it
 * with cc into its temp dir. It reads answers only as far as needed to
 * find their end, as wrk does.
 */
#define _GNU_SOURCE
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define MAXCONN	256
#define RBUF	65536

struct conn {
	int	 fd;
	double	 sent;		/* when the request went out */
	char	 buf[RBUF];
	size_t	 len;
};

static char	*req;
static size_t	 reqlen;
static double	*lat;
static size_t	 nlat, caplat;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
die(const char *what)
{
	perror(what);
	exit(1);
}

static int
dial(const char *path)
{
	struct sockaddr_un	 sun;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
		die("socket");
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
		die(path);
	return fd;
}

static void
send_req(struct conn *c)
{
	size_t	 off = 0;
	ssize_t	 n;

	c->sent = now();
	c->len = 0;
	while (off < reqlen) {	/* small: the socket buffer takes it */
		if ((n = write(c->fd, req + off, reqlen - off)) == -1) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			die("write");
		}
		off += (size_t)n;
	}
}

/* The length of the complete answer at the head of buf, or 0. */
static size_t
answer_len(const struct conn *c)
{
	const char	*end, *cl;
	size_t		 head;

	end = memmem(c->buf, c->len, "\r\n\r\n", 4);
	if (end == NULL)
		return 0;
	head = (size_t)(end - c->buf) + 4;
	cl = memmem(c->buf, head, "Content-Length:", 15);
	if (cl == NULL)
		cl = memmem(c->buf, head, "content-length:", 15);
	if (cl != NULL) {
		size_t body = strtoul(cl + 15, NULL, 10);
		return c->len >= head + body ? head + body : 0;
	}
	end = memmem(c->buf + head, c->len - head, "\r\n0\r\n\r\n", 7);
	return end != NULL ? (size_t)(end - c->buf) + 7 : 0;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	struct conn		*conns;
	struct epoll_event	 ev, evs[MAXCONN];
	char			 body[65536];
	double			 t0, dur;
	size_t			 blen, nreq = 0, nerr = 0;
	int			 nconn, ep, i, n;
	FILE			*f;

	if (argc != 5) {
		fprintf(stderr, "usage: uload SOCKET CONNS SECONDS BODYFILE\n");
		return 2;
	}
	nconn = atoi(argv[2]);
	dur = atof(argv[3]);
	if (nconn < 1 || nconn > MAXCONN || dur <= 0)
		return 2;
	if ((f = fopen(argv[4], "r")) == NULL)
		die(argv[4]);
	blen = fread(body, 1, sizeof(body), f);
	fclose(f);
	reqlen = (size_t)asprintf(&req, "POST /RPC2 HTTP/1.1\r\nHost: localhost\r\n"
	    "Content-Type: text/xml\r\nContent-Length: %zu\r\n\r\n%.*s",
	    blen, (int)blen, body);
	caplat = 1 << 20;
	lat = malloc(caplat * sizeof(*lat));
	conns = calloc((size_t)nconn, sizeof(*conns));
	if ((ep = epoll_create1(0)) == -1 || lat == NULL || conns == NULL)
		die("setup");
	for (i = 0; i < nconn; i++) {
		conns[i].fd = dial(argv[1]);
		ev.events = EPOLLIN;
		ev.data.ptr = &conns[i];
		if (epoll_ctl(ep, EPOLL_CTL_ADD, conns[i].fd, &ev) == -1)
			die("epoll_ctl");
	}
	t0 = now();
	for (i = 0; i < nconn; i++)
		send_req(&conns[i]);
	while (now() - t0 < dur) {
		if ((n = epoll_wait(ep, evs, MAXCONN, 100)) == -1) {
			if (errno == EINTR)
				continue;
			die("epoll_wait");
		}
		for (i = 0; i < n; i++) {
			struct conn	*c = evs[i].data.ptr;
			ssize_t		 r;
			size_t		 alen;

			r = read(c->fd, c->buf + c->len, RBUF - c->len);
			if (r <= 0) {
				fprintf(stderr, "uload: connection closed\n");
				return 1;
			}
			c->len += (size_t)r;
			if ((alen = answer_len(c)) == 0) {
				if (c->len == RBUF) {
					fprintf(stderr, "uload: answer too big\n");
					return 1;
				}
				continue;
			}
			if (strncmp(c->buf, "HTTP/1.1 200", 12) != 0 &&
			    strncmp(c->buf, "HTTP/1.0 200", 12) != 0)
				nerr++;
			nreq++;
			if (nlat < caplat)
				lat[nlat++] = now() - c->sent;
			send_req(c);
		}
	}
	dur = now() - t0;
	qsort(lat, nlat, sizeof(*lat), cmp);
	printf("requests %zu errors %zu rps %.1f p50_ms %.3f p99_ms %.3f\n",
	    nreq, nerr, nreq / dur, nlat ? lat[nlat / 2] * 1e3 : 0.0,
	    nlat ? lat[nlat * 99 / 100] * 1e3 : 0.0);
	return 0;
}
