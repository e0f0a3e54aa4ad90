/*
 * fuzz_rpc_http.c: libFuzzer target over the HTTP request path: the bytes
 * are sent as they are to the real server (libmicrohttpd in our loop, the
 * routes, Basic auth, bodies, logtail names) on a unix socket, with the
 * XML-RPC side stood in for by stubs_rpc_methods.c. The first byte picks
 * the server: even, no auth; odd, user "u" password "p". Built by
 * `make fuzz-http` with clang.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ev.h>

#include "log.h"
#include "pm.h"
#include "rpc.h"
#include "rpc_http_int.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
void	stub_rpc_complete(void);
void	stub_pm_groups_set(const struct pm_groupconf *, size_t);

static struct ev_loop *loop;
static struct rpc *rpc;
static struct pm_config cfg;
static struct pm_httpconf http[2];
static struct pm_procconf proc;
static struct pm_groupconf group;
static char dir[64], sock[2][100], logf[100];

static int
f_mood(void *arg)
{
	return 1;
}

static void
f_nothing(void *arg)
{
}

static int
f_reread(void *arg, char *err, size_t errlen)
{
	return 0;
}

static const struct pm_config *
f_config(void *arg)
{
	return &cfg;
}

static const struct rpc_ops f_ops = {
	f_mood, f_nothing, f_nothing, f_reread, f_config
};

static void
fuzz_cleanup(void)
{
	unlink(sock[0]);
	unlink(sock[1]);
	unlink(logf);
	rmdir(dir);
}

static void
fuzz_init(void)
{
	struct rpc_listeners *ls;
	char	 err[1024], tmpl[] = "/tmp/nv-fuzz-http-XXXXXX";
	FILE	*f;
	int	 i;

	signal(SIGPIPE, SIG_IGN);
	log_set_level(LOG_CRIT);
	if (mkdtemp(tmpl) == NULL)
		abort();
	snprintf(dir, sizeof(dir), "%s", tmpl);
	atexit(fuzz_cleanup);
	snprintf(logf, sizeof(logf), "%s/p.log", dir);
	if ((f = fopen(logf, "w")) == NULL)
		abort();
	fputs("a line\n", f);
	fclose(f);
	for (i = 0; i < 2; i++) {
		snprintf(sock[i], sizeof(sock[i]), "%s/s%d", dir, i);
		http[i].section = "unix_http_server";
		http[i].is_unix = true;
		http[i].file = sock[i];
		http[i].chmod = 0700;
	}
	http[1].username = "u";
	http[1].password = "p";
	cfg.http = http;
	cfg.nhttp = 2;
	cfg.sd.logfile = logf;
	proc.name = "p";
	proc.group = "g";
	proc.out.path = logf;
	group.name = "g";
	group.procs = &proc;
	group.nprocs = 1;
	stub_pm_groups_set(&group, 1);
	loop = ev_default_loop(0);
	if ((ls = rpc_listen(&cfg, err, sizeof(err))) == NULL)
		abort();
	rpc = rpc_new(loop, NULL, NULL, NULL, ls, &f_ops, NULL);
}

static int
fuzz_connect(const char *path)
{
	struct sockaddr_un sun;
	int	 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
		abort();
	return fd;
}

/* Turn the loop, reading what the server says, until it has no request
 * in progress or the rounds run out (a tail never ends by itself). */
static void
fuzz_spin(int fd, struct rpc_server *srv, int rounds)
{
	struct pollfd	 pfd = { fd, POLLIN, 0 };
	char		 buf[65536];

	while (rounds-- > 0) {
		ev_run(loop, EVRUN_NOWAIT);
		if (fd != -1 && poll(&pfd, 1, 1) > 0 &&
		    read(fd, buf, sizeof(buf)) == 0)
			break;
		if (fd == -1 && rpc_http_requests(srv) == 0)
			break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rpc_server *srv;
	size_t	 off = 1;
	ssize_t	 n;
	int	 fd, which;

	if (rpc == NULL)
		fuzz_init();
	if (size < 1)
		return 0;
	which = data[0] & 1;
	srv = rpc->servers[which];
	fd = fuzz_connect(sock[which]);
	while (off < size) {
		if ((n = write(fd, data + off, size - off)) > 0)
			off += n;
		ev_run(loop, EVRUN_NOWAIT);
	}
	shutdown(fd, SHUT_WR);
	fuzz_spin(fd, srv, 200);
	stub_rpc_complete();
	fuzz_spin(fd, srv, 50);
	close(fd);
	fuzz_spin(-1, srv, 1000);
	return 0;
}
