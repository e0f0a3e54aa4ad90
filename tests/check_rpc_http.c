/*
 * check_rpc_http.c: the HTTP server, in-process, on a temp unix socket
 * and on 127.0.0.1, spoken to with real HTTP over real sockets. The test
 * is its own client: it writes a request, then turns the loop and reads
 * until the answer it waits for is there or a deadline passes.
 */
#include "config.h"

#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <ev.h>

#include "log.h"
#include "pm.h"
#include "rpc.h"
#include "rpc_http_int.h"

void	 stub_rpc_complete(void);
size_t	 stub_rpc_pending(void);
size_t	 stub_rpc_cancelled(void);
void	 stub_rpc_reset(void);
void	 stub_pm_groups_set(const struct pm_groupconf *, size_t);

#define DEADLINE	10.0

static struct ev_loop *loop;
static struct rpc *rpc;
static char tmpdir[64], sockpath[100], logpath[100], mainlog[100];
static struct pm_config cfg;
static struct pm_httpconf http[2];

/* ---- the daemon side ---- */

static int
t_mood(void *arg)
{
	return 1;
}

static void
t_nothing(void *arg)
{
}

static int
t_reread(void *arg, char *err, size_t errlen)
{
	return 0;
}

static const struct pm_config *
t_config(void *arg)
{
	return &cfg;
}

static const struct rpc_ops t_ops = {
	t_mood, t_nothing, t_nothing, t_reread, t_config
};

static void
setup(void)
{
	char	 tmpl[] = "/tmp/nv-rpc-XXXXXX";

	ck_assert_ptr_nonnull(mkdtemp(tmpl));
	snprintf(tmpdir, sizeof(tmpdir), "%s", tmpl);
	snprintf(sockpath, sizeof(sockpath), "%s/s.sock", tmpdir);
	snprintf(logpath, sizeof(logpath), "%s/p.log", tmpdir);
	snprintf(mainlog, sizeof(mainlog), "%s/main.log", tmpdir);
	loop = ev_default_loop(0);
	memset(&cfg, 0, sizeof(cfg));
	memset(http, 0, sizeof(http));
	cfg.has_rpcinterface = true;
	cfg.http = http;
	http[0].section = "unix_http_server";
	http[0].is_unix = true;
	http[0].file = sockpath;
	http[0].chmod = 0700;
	http[1].section = "inet_http_server";
	http[1].host = "127.0.0.1";
	http[1].port = 0;
	stub_rpc_reset();
	signal(SIGPIPE, SIG_IGN);
}

static void
teardown(void)
{
	char	 cmd[600];

	rpc_free(rpc);
	rpc = NULL;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
}

/* Serve cfg's first n http sections; user NULL: no auth. */
static void
serve(size_t n, char *user, char *pass)
{
	struct rpc_listeners *ls;
	char	 err[1024];
	size_t	 i;

	cfg.nhttp = n;
	for (i = 0; i < n; i++) {
		http[i].username = user;
		http[i].password = pass;
	}
	ls = rpc_listen(&cfg, err, sizeof(err));
	ck_assert_msg(ls != NULL, "rpc_listen: %s", err);
	rpc = rpc_new(loop, NULL, NULL, NULL, ls, &t_ops, NULL);
	ck_assert_uint_eq(rpc->nservers, n);
}

/* ---- the client side ---- */

struct cbuf {
	char	 p[65536];
	size_t	 len;
	bool	 eof;
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
cli_unix(void)
{
	struct sockaddr_un sun;
	int	 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", sockpath);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	return fd;
}

static int
cli_inet(void)
{
	struct sockaddr_in sin;
	socklen_t slen = sizeof(sin);
	int	 fd;

	ck_assert_int_eq(getsockname(rpc->listeners->v[0].fd,
	    (struct sockaddr *)&sin, &slen), 0);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	return fd;
}

static void
cli_send(int fd, const char *s)
{
	size_t	 len = strlen(s), off = 0;
	ssize_t	 n;

	while (off < len) {
		n = write(fd, s + off, len - off);
		if (n == -1 && errno == EAGAIN) {
			ev_run(loop, EVRUN_NOWAIT);
			continue;
		}
		ck_assert_int_gt(n, 0);
		off += n;
	}
}

typedef bool cli_pred(const struct cbuf *, const void *);

/* Turn the loop and read until pred holds; false at the deadline. */
static bool
cli_wait(int fd, struct cbuf *b, cli_pred *pred, const void *arg)
{
	double	 end = now() + DEADLINE;
	struct pollfd pfd;
	ssize_t	 n;

	while (!pred(b, arg)) {
		if (now() > end)
			return false;
		ev_run(loop, EVRUN_NOWAIT);
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (fd == -1 || b->eof || poll(&pfd, 1, 10) <= 0)
			continue;
		n = read(fd, b->p + b->len, sizeof(b->p) - 1 - b->len);
		if (n == 0)
			b->eof = true;
		if (n > 0)
			b->len += n;
		b->p[b->len] = '\0';
	}
	return true;
}

static bool
has_text(const struct cbuf *b, const void *s)
{
	return b->len > 0 && strstr(b->p, s) != NULL;
}

static bool
is_eof(const struct cbuf *b, const void *unused)
{
	return b->eof;
}

/* Length of the first complete response with a Content-Length, or 0. */
static size_t
resp_len(const struct cbuf *b)
{
	const char *end, *cl;
	size_t	 hlen;

	if ((end = strstr(b->p, "\r\n\r\n")) == NULL)
		return 0;
	hlen = end + 4 - b->p;
	cl = strcasestr(b->p, "\r\nContent-Length:");
	if (cl == NULL || cl > end)
		return 0;
	if (hlen + strtoul(cl + 17, NULL, 10) > b->len)
		return 0;
	return hlen + strtoul(cl + 17, NULL, 10);
}

static bool
has_resp(const struct cbuf *b, const void *unused)
{
	return resp_len(b) > 0;
}

/* Take the first response off b into out. */
static void
resp_take(struct cbuf *b, char *out, size_t outlen)
{
	size_t	 n = resp_len(b);

	ck_assert_uint_gt(n, 0);
	ck_assert_uint_lt(n, outlen);
	memcpy(out, b->p, n);
	out[n] = '\0';
	memmove(b->p, b->p + n, b->len - n + 1);
	b->len -= n;
}

/* One request on a fresh unix connection; the response in out. */
static void
roundtrip(const char *req, char *out, size_t outlen)
{
	struct cbuf b = { .len = 0 };
	int	 fd = cli_unix();

	cli_send(fd, req);
	ck_assert_msg(cli_wait(fd, &b, has_resp, NULL), "no response to %s",
	    req);
	resp_take(&b, out, outlen);
	close(fd);
}

/* The status code of a response, either HTTP version. */
static bool
status_is(const char *resp, int code)
{
	return strncmp(resp, "HTTP/1.", 7) == 0 && atoi(resp + 9) == code;
}

static const char *
body_of(const char *resp)
{
	const char *p = strstr(resp, "\r\n\r\n");

	return p != NULL ? p + 4 : "";
}

#define POST(body) "POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Length: " \
	body "\r\n\r\n"

/* ---- tests ---- */

START_TEST(ok_html_answers_ok_in_plain_text)
{
	char	 r[4096];

	serve(1, NULL, NULL);
	roundtrip("GET /ok.html HTTP/1.0\r\n\r\n", r, sizeof(r));
	ck_assert_msg(strncmp(r, "HTTP/1.0 200 OK\r\n", 17) == 0, "%s", r);
	ck_assert_ptr_nonnull(strcasestr(r, "Content-Type: text/plain"));
	ck_assert_ptr_nonnull(strcasestr(r, "\r\nDate: "));
	ck_assert_ptr_nonnull(strcasestr(r, "\r\nServer: "));
	ck_assert_str_eq(body_of(r), "OK");
}
END_TEST

START_TEST(rpc2_post_is_answered_with_the_call_result_as_text_xml)
{
	char	 r[4096];

	serve(1, NULL, NULL);
	roundtrip(POST("6") "now:hi", r, sizeof(r));
	ck_assert_msg(status_is(r, 200), "%s", r);
	ck_assert_ptr_nonnull(strcasestr(r, "Content-Type: text/xml"));
	ck_assert_str_eq(body_of(r), "<r>hi</r>");
	/* Any path under /RPC2 is the same endpoint, as in 4.2.5. */
	roundtrip("POST /RPC2/x HTTP/1.0\r\nContent-Length: 5\r\n\r\nnow:y",
	    r, sizeof(r));
	ck_assert_str_eq(body_of(r), "<r>y</r>");
}
END_TEST

START_TEST(bad_requests_get_400_411_413_and_404)
{
	char	 r[4096];

	serve(1, NULL, NULL);
	roundtrip("GET /RPC2 HTTP/1.0\r\n\r\n", r, sizeof(r));
	ck_assert_msg(status_is(r, 400), "%s", r);
	roundtrip("POST /RPC2 HTTP/1.0\r\n\r\n", r, sizeof(r));
	ck_assert_msg(status_is(r, 411), "%s", r);
	roundtrip("POST /RPC2 HTTP/1.0\r\nContent-Length: 10485761\r\n\r\n",
	    r, sizeof(r));
	ck_assert_msg(status_is(r, 413), "%s", r);
	roundtrip(POST("5") "junk!", r, sizeof(r));
	ck_assert_msg(status_is(r, 400), "%s", r);
	roundtrip("GET /nothing/here HTTP/1.0\r\n\r\n", r, sizeof(r));
	ck_assert_msg(status_is(r, 404), "%s", r);
	roundtrip("POST /logtail/x HTTP/1.0\r\nContent-Length: 0\r\n\r\n",
	    r, sizeof(r));
	ck_assert_msg(status_is(r, 400), "%s", r);
}
END_TEST

START_TEST(a_chunked_body_over_the_limit_gets_413)
{
	static char big[RPC_HTTP_BODY_MAX / 8 + 64];
	char	 r[4096];
	struct cbuf *b = calloc(1, sizeof(*b));
	int	 fd, i;

	serve(1, NULL, NULL);
	fd = cli_unix();
	/* Claims a small body, sends a chunked large one: MHD decodes the
	 * chunks and we count what really arrives. */
	cli_send(fd, "POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n");
	memset(big, 'a', sizeof(big) - 1);
	for (i = 0; i < 9; i++) {
		char hdr[32];

		snprintf(hdr, sizeof(hdr), "%zx\r\n", sizeof(big) - 1);
		cli_send(fd, hdr);
		cli_send(fd, big);
		cli_send(fd, "\r\n");
	}
	cli_send(fd, "0\r\n\r\n");
	ck_assert(cli_wait(fd, b, has_resp, NULL));
	resp_take(b, r, sizeof(r));
	ck_assert_msg(status_is(r, 413), "%s", r);
	close(fd);
	free(b);
}
END_TEST

START_TEST(auth_refuses_without_credentials_with_basic_realm_default)
{
	char	 r[4096];

	serve(1, "user", "123");
	roundtrip("GET /ok.html HTTP/1.0\r\n\r\n", r, sizeof(r));
	ck_assert_msg(status_is(r, 401), "%s", r);
	ck_assert_ptr_nonnull(strstr(r,
	    "WWW-Authenticate: Basic realm=\"default\""));
	ck_assert_ptr_nonnull(strcasestr(r, "Connection: close"));
	/* Every handler, unknown paths included. */
	roundtrip("GET /nothing HTTP/1.0\r\n\r\n", r, sizeof(r));
	ck_assert_msg(status_is(r, 401), "%s", r);
	/* user:124 */
	roundtrip("POST /RPC2 HTTP/1.0\r\nAuthorization: Basic dXNlcjoxMjQ=\r\n"
	    "Content-Length: 5\r\n\r\nnow:x", r, sizeof(r));
	ck_assert_msg(status_is(r, 401), "%s", r);
	/* user:123 */
	roundtrip("POST /RPC2 HTTP/1.0\r\nAuthorization: Basic dXNlcjoxMjM=\r\n"
	    "Content-Length: 5\r\n\r\nnow:x", r, sizeof(r));
	ck_assert_msg(status_is(r, 200), "%s", r);
	ck_assert_str_eq(body_of(r), "<r>x</r>");
}
END_TEST

static bool
one_request(const struct cbuf *b, const void *unused)
{
	return rpc_http_requests(rpc->servers[0]) == 1;
}

START_TEST(a_refused_post_is_answered_after_its_body_not_reset)
{
	struct cbuf *b = calloc(1, sizeof(*b));
	char	 r[4096];
	int	 fd;

	serve(1, "user", "123");
	fd = cli_unix();
	cli_send(fd, "POST /RPC2 HTTP/1.1\r\nHost: x\r\n"
	    "Content-Length: 10\r\n\r\n");
	ck_assert(cli_wait(fd, b, one_request, NULL));
	ck_assert_uint_eq(b->len, 0);
	cli_send(fd, "now:12345");
	ck_assert_uint_eq(b->len, 0);
	cli_send(fd, "6");
	ck_assert(cli_wait(fd, b, has_resp, NULL));
	resp_take(b, r, sizeof(r));
	ck_assert_msg(status_is(r, 401), "%s", r);
	close(fd);
	free(b);
}
END_TEST

START_TEST(auth_accepts_the_hex_sha1_of_the_password)
{
	char	 r[4096];

	/* sha1("123") */
	serve(1, "user", "{SHA}40bd001563085fc35165329ea1ff5c5ecbdbbeef");
	roundtrip("GET /ok.html HTTP/1.0\r\nAuthorization: Basic "
	    "dXNlcjoxMjM=\r\n\r\n", r, sizeof(r));
	ck_assert_msg(status_is(r, 200), "%s", r);
	roundtrip("GET /ok.html HTTP/1.0\r\nAuthorization: Basic "
	    "dXNlcjoxMjQ=\r\n\r\n", r, sizeof(r));
	ck_assert_msg(status_is(r, 401), "%s", r);
	ck_assert(rpc_auth_password_ok("abc", "abc", 3));
	ck_assert(!rpc_auth_password_ok("abc", "abcd", 4));
	ck_assert(!rpc_auth_password_ok("{SHA}40bd", "123", 3));
}
END_TEST

/* What 4.2.5 answered for each header, measured against it. */
START_TEST(basic_credentials_decode_as_4_2_5_reads_them)
{
	static const struct {
		const char	*hdr;
		int		 status;
	} cases[] = {
		{ "Basic dTpw", 200 },		/* u:p */
		{ "basic dTpw", 200 },		/* the scheme in any case */
		{ "BASIC dTpw", 200 },
		{ "Basic dTpw==", 200 },	/* padding ends the input */
		{ "Basic  d Tpw", 200 },	/* blanks are skipped */
		{ "Basic dTpw dTpw", 401 },	/* u:pu:p */
		{ "Basic dTpx", 401 },
		{ "Basic", 401 },
		{ "Digest dTpw", 401 },
		{ "Basic dQ==", 401 },		/* no ':' (4.2.5: 500) */
		{ "Basic !!!", 401 },		/* nothing (4.2.5: 500) */
		{ "Basic abc", 400 },		/* a group left open */
		{ "Basic dQ", 400 },
		{ "Basic a", 400 },
		{ "Basic dTpw=x", 400 },
		{ "Basic /w==", 400 },		/* 0xff: not UTF-8 */
	};
	char	 req[256], r[4096];
	size_t	 i, len;
	char	*d;

	serve(1, "u", "p");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(req, sizeof(req), "GET /ok.html HTTP/1.0\r\n"
		    "Authorization: %s\r\n\r\n", cases[i].hdr);
		roundtrip(req, r, sizeof(r));
		ck_assert_msg(status_is(r, cases[i].status), "%s: %s",
		    cases[i].hdr, r);
	}
	ck_assert_ptr_nonnull(d = rpc_auth_basic_decode("dTpw\xc3", &len));
	ck_assert_uint_eq(len, 3);
	ck_assert_str_eq(d, "u:p");
	free(d);
	ck_assert_ptr_nonnull(d = rpc_auth_basic_decode("w6k=", &len));
	ck_assert_str_eq(d, "\xc3\xa9");
	free(d);
	ck_assert_ptr_null(rpc_auth_basic_decode("7aCA", &len)); /* surrogate */
}
END_TEST

START_TEST(keep_alive_serves_several_requests_on_one_connection)
{
	struct cbuf *b = calloc(1, sizeof(*b));
	char	 r[4096];
	int	 fd, i;

	serve(1, NULL, NULL);
	fd = cli_unix();
	for (i = 0; i < 3; i++) {
		cli_send(fd, POST("6") "now:ka");
		ck_assert(cli_wait(fd, b, has_resp, NULL));
		resp_take(b, r, sizeof(r));
		ck_assert_str_eq(body_of(r), "<r>ka</r>");
	}
	/* HTTP/1.0 asking for keep-alive keeps the connection too. */
	for (i = 0; i < 2; i++) {
		cli_send(fd, "POST /RPC2 HTTP/1.0\r\nConnection: keep-alive\r\n"
		    "Content-Length: 6\r\n\r\nnow:10");
		ck_assert(cli_wait(fd, b, has_resp, NULL));
		resp_take(b, r, sizeof(r));
		ck_assert_msg(strncmp(r, "HTTP/1.0 200", 12) == 0, "%s", r);
		ck_assert_str_eq(body_of(r), "<r>10</r>");
	}
	/* Two pipelined at once. */
	cli_send(fd, POST("5") "now:1" POST("5") "now:2");
	ck_assert(cli_wait(fd, b, has_resp, NULL));
	resp_take(b, r, sizeof(r));
	ck_assert_str_eq(body_of(r), "<r>1</r>");
	ck_assert(cli_wait(fd, b, has_resp, NULL));
	resp_take(b, r, sizeof(r));
	ck_assert_str_eq(body_of(r), "<r>2</r>");
	ck_assert(!b->eof);
	close(fd);
	free(b);
}
END_TEST

static bool
pending_is(const struct cbuf *b, const void *n)
{
	return stub_rpc_pending() == *(const size_t *)n;
}

static bool
cancelled_is(const struct cbuf *b, const void *n)
{
	return stub_rpc_cancelled() == *(const size_t *)n;
}

START_TEST(a_deferred_call_is_answered_when_it_completes)
{
	struct cbuf *b = calloc(1, sizeof(*b));
	char	 r[4096];
	size_t	 one = 1;
	int	 fd;

	serve(1, NULL, NULL);
	fd = cli_unix();
	cli_send(fd, POST("10") "later:wait");
	ck_assert(cli_wait(fd, b, pending_is, &one));
	/* Held: nothing sent yet, and the server still serves others. */
	ck_assert_uint_eq(b->len, 0);
	roundtrip(POST("5") "now:o", r, sizeof(r));
	ck_assert_str_eq(body_of(r), "<r>o</r>");
	ck_assert_uint_eq(b->len, 0);
	stub_rpc_complete();
	ck_assert(cli_wait(fd, b, has_resp, NULL));
	resp_take(b, r, sizeof(r));
	ck_assert_str_eq(body_of(r), "<r>wait</r>");
	/* The connection lives on. */
	cli_send(fd, POST("5") "now:n");
	ck_assert(cli_wait(fd, b, has_resp, NULL));
	resp_take(b, r, sizeof(r));
	ck_assert_str_eq(body_of(r), "<r>n</r>");
	close(fd);
	free(b);
}
END_TEST

START_TEST(a_client_that_vanishes_during_a_deferred_call_cancels_it)
{
	struct cbuf *b = calloc(1, sizeof(*b));
	char	 r[4096];
	size_t	 zero = 0, one = 1;
	int	 fd;

	serve(1, NULL, NULL);
	fd = cli_unix();
	cli_send(fd, POST("10") "later:gone");
	ck_assert(cli_wait(fd, b, pending_is, &one));
	close(fd);
	ck_assert(cli_wait(-1, b, cancelled_is, &one));
	ck_assert(cli_wait(-1, b, pending_is, &zero));
	roundtrip("GET /ok.html HTTP/1.0\r\n\r\n", r, sizeof(r));
	ck_assert_str_eq(body_of(r), "OK");
	free(b);
}
END_TEST

START_TEST(stopping_the_server_cancels_held_calls_and_unlinks_the_socket)
{
	struct cbuf *b = calloc(1, sizeof(*b));
	struct stat sb;
	size_t	 one = 1;
	int	 fd;

	serve(1, NULL, NULL);
	fd = cli_unix();
	cli_send(fd, POST("10") "later:stop");
	ck_assert(cli_wait(fd, b, pending_is, &one));
	rpc_free(rpc);
	rpc = NULL;
	ck_assert_uint_eq(stub_rpc_cancelled(), 1);
	ck_assert_int_eq(stat(sockpath, &sb), -1);
	ck_assert(cli_wait(fd, b, is_eof, NULL));
	close(fd);
	free(b);
}
END_TEST

START_TEST(the_inet_server_answers_on_127_0_0_1)
{
	struct cbuf *b = calloc(1, sizeof(*b));
	char	 r[4096];
	int	 fd;

	cfg.http = &http[1];
	serve(1, NULL, NULL);
	fd = cli_inet();
	cli_send(fd, POST("6") "now:in");
	ck_assert(cli_wait(fd, b, has_resp, NULL));
	resp_take(b, r, sizeof(r));
	ck_assert_str_eq(body_of(r), "<r>in</r>");
	close(fd);
	free(b);
}
END_TEST

START_TEST(a_second_server_on_a_live_socket_fails_with_4_2_5s_message)
{
	char	 err[1024];

	serve(1, NULL, NULL);
	ck_assert_ptr_null(rpc_listen(&cfg, err, sizeof(err)));
	ck_assert_str_eq(err, "Another program is already listening on a "
	    "port that one of our HTTP servers is configured to use.  Shut "
	    "this program down first before starting supervisord.");
}
END_TEST

START_TEST(a_stale_socket_file_is_replaced)
{
	struct sockaddr_un sun;
	char	 r[4096];
	int	 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", sockpath);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	close(fd);
	serve(1, NULL, NULL);
	roundtrip("GET /ok.html HTTP/1.0\r\n\r\n", r, sizeof(r));
	ck_assert_str_eq(body_of(r), "OK");
}
END_TEST

START_TEST(many_idle_connections_do_not_stop_new_requests)
{
	enum { N = 300 };
	int	 fds[N], i;
	char	 r[4096];

	serve(1, NULL, NULL);
	for (i = 0; i < N; i++)
		fds[i] = cli_unix();
	/* One idle client sent half a request line. */
	cli_send(fds[0], "GET /ok");
	roundtrip("GET /ok.html HTTP/1.0\r\n\r\n", r, sizeof(r));
	ck_assert_str_eq(body_of(r), "OK");
	for (i = 0; i < N; i++)
		close(fds[i]);
	roundtrip("GET /ok.html HTTP/1.0\r\n\r\n", r, sizeof(r));
	ck_assert_str_eq(body_of(r), "OK");
}
END_TEST

START_TEST(at_the_connection_limit_the_longest_idle_make_room)
{
	enum { N = 60 };
	struct rlimit rl;
	struct cbuf *b = calloc(1, sizeof(*b));
	int	 fds[N], i;
	char	 r[4096];

	/* RPC_HTTP_FD_RESERVE + 24: room for 24 connections. */
	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
	rl.rlim_cur = RPC_HTTP_FD_RESERVE + 24;
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	serve(1, NULL, NULL);
	ck_assert_uint_eq(rpc->connlimit, 24);
	for (i = 0; i < N; i++) {
		fds[i] = cli_unix();
		/* Let the server accept each in turn. */
		ev_run(loop, EVRUN_NOWAIT);
	}
	roundtrip("GET /ok.html HTTP/1.0\r\n\r\n", r, sizeof(r));
	ck_assert_str_eq(body_of(r), "OK");
	/* The first ones were closed to make room. */
	ck_assert(cli_wait(fds[0], b, is_eof, NULL));
	for (i = 0; i < N; i++)
		close(fds[i]);
	free(b);
}
END_TEST

static void
file_write(const char *path, const char *mode, const char *s, size_t n)
{
	FILE	*f = fopen(path, mode);

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(s, 1, n, f), n);
	fclose(f);
}

static struct pm_procconf tproc;
static struct pm_groupconf tgroup;

static void
tail_setup(void)
{
	memset(&tproc, 0, sizeof(tproc));
	memset(&tgroup, 0, sizeof(tgroup));
	tproc.name = "p";
	tproc.group = "g";
	tproc.out.path = logpath;
	tgroup.name = "g";
	tgroup.procs = &tproc;
	tgroup.nprocs = 1;
	stub_pm_groups_set(&tgroup, 1);
}

START_TEST(logtail_sends_the_last_1024_bytes_then_follows_the_file)
{
	struct cbuf *b = calloc(1, sizeof(*b));
	char	 data[2000], want[1100];
	char	*old;
	int	 fd, i;

	tail_setup();
	for (i = 0; i < 2000; i++)
		data[i] = 'a' + i % 26;
	file_write(logpath, "w", data, sizeof(data));
	serve(1, NULL, NULL);
	fd = cli_unix();
	cli_send(fd, "GET /logtail/g:p HTTP/1.0\r\n\r\n");
	memcpy(want, data + 2000 - 1024, 1024);
	want[1024] = '\0';
	ck_assert(cli_wait(fd, b, has_text, want));
	ck_assert_msg(status_is(b->p, 200), "%s", b->p);
	ck_assert_ptr_nonnull(strcasestr(b->p,
	    "Content-Type: text/plain;charset=utf-8"));
	ck_assert_ptr_nonnull(strcasestr(b->p, "X-Accel-Buffering: no"));
	ck_assert_ptr_nonnull(strcasestr(b->p, "\r\nLast-Modified: "));
	ck_assert_str_eq(body_of(b->p), want);

	file_write(logpath, "a", "more\n", 5);
	ck_assert(cli_wait(fd, b, has_text, "more\n"));
	/* Shrunk: the notice, then the new content from the start. */
	file_write(logpath, "w", "x\n", 2);
	ck_assert(cli_wait(fd, b, has_text, "more\n==> File truncated <==\n"
	    "x\n"));
	/* Rotated: the new file from its start. */
	xasprintf(&old, "%s.1", logpath);
	ck_assert_int_eq(rename(logpath, old), 0);
	file_write(logpath, "w", "rotated\n", 8);
	ck_assert(cli_wait(fd, b, has_text, "x\nrotated\n"));
	free(old);
	close(fd);
	free(b);
}
END_TEST

START_TEST(logtail_over_http_1_1_is_chunked)
{
	struct cbuf *b = calloc(1, sizeof(*b));
	int	 fd;

	tail_setup();
	tproc.err.path = logpath;
	file_write(logpath, "w", "short\n", 6);
	serve(1, NULL, NULL);
	fd = cli_unix();
	cli_send(fd, "GET /logtail/g:p/stderr HTTP/1.1\r\nHost: x\r\n\r\n");
	ck_assert(cli_wait(fd, b, has_text, "6\r\nshort\n\r\n"));
	ck_assert_ptr_nonnull(strcasestr(b->p,
	    "Transfer-Encoding: chunked"));
	close(fd);
	free(b);
}
END_TEST

START_TEST(logtail_of_an_unknown_process_or_missing_file_is_404)
{
	char	 r[4096];

	tail_setup();
	serve(1, NULL, NULL);
	roundtrip("GET /logtail/nope HTTP/1.0\r\n\r\n", r, sizeof(r));
	ck_assert_msg(status_is(r, 404), "%s", r);
	roundtrip("GET /logtail/g:p HTTP/1.0\r\n\r\n", r, sizeof(r));
	ck_assert_msg(status_is(r, 404), "%s", r);
	roundtrip("GET /logtail/g:p/stderr HTTP/1.0\r\n\r\n", r, sizeof(r));
	ck_assert_msg(status_is(r, 404), "%s", r);
	roundtrip("GET /mainlogtail HTTP/1.0\r\n\r\n", r, sizeof(r));
	ck_assert_msg(status_is(r, 404), "%s", r);
}
END_TEST

START_TEST(mainlogtail_follows_the_main_log)
{
	struct cbuf *b = calloc(1, sizeof(*b));
	int	 fd;

	cfg.sd.logfile = mainlog;
	file_write(mainlog, "w", "started\n", 8);
	serve(1, NULL, NULL);
	fd = cli_unix();
	cli_send(fd, "GET /mainlogtail HTTP/1.0\r\n\r\n");
	ck_assert(cli_wait(fd, b, has_text, "\r\n\r\nstarted\n"));
	file_write(mainlog, "a", "next\n", 5);
	ck_assert(cli_wait(fd, b, has_text, "started\nnext\n"));
	close(fd);
	free(b);
}
END_TEST

static bool
no_requests(const struct cbuf *b, const void *unused)
{
	return rpc_http_requests(rpc->servers[0]) == 0;
}

START_TEST(a_client_that_leaves_a_quiet_tail_is_forgotten)
{
	struct cbuf *b = calloc(1, sizeof(*b));
	char	 r[4096];
	int	 fd;

	tail_setup();
	file_write(logpath, "w", "quiet\n", 6);
	serve(1, NULL, NULL);
	fd = cli_unix();
	cli_send(fd, "GET /logtail/g:p HTTP/1.0\r\n\r\n");
	ck_assert(cli_wait(fd, b, has_text, "quiet\n"));
	ck_assert_uint_eq(rpc_http_requests(rpc->servers[0]), 1);
	close(fd);
	/* The request goes away without the file ever changing. */
	ck_assert(cli_wait(-1, b, no_requests, NULL));
	roundtrip("GET /ok.html HTTP/1.0\r\n\r\n", r, sizeof(r));
	ck_assert_str_eq(body_of(r), "OK");
	free(b);
}
END_TEST

static Suite *
rpc_http_suite(void)
{
	Suite	*s = suite_create("rpc_http");
	TCase	*tc;

	tc = tcase_create("requests");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, ok_html_answers_ok_in_plain_text);
	tcase_add_test(tc, rpc2_post_is_answered_with_the_call_result_as_text_xml);
	tcase_add_test(tc, bad_requests_get_400_411_413_and_404);
	tcase_add_test(tc, a_chunked_body_over_the_limit_gets_413);
	tcase_add_test(tc, basic_credentials_decode_as_4_2_5_reads_them);
	tcase_add_test(tc, keep_alive_serves_several_requests_on_one_connection);
	tcase_add_test(tc, the_inet_server_answers_on_127_0_0_1);
	tcase_add_test(tc, many_idle_connections_do_not_stop_new_requests);
	tcase_add_test(tc, at_the_connection_limit_the_longest_idle_make_room);
	suite_add_tcase(s, tc);

	tc = tcase_create("auth");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, auth_refuses_without_credentials_with_basic_realm_default);
	tcase_add_test(tc, auth_accepts_the_hex_sha1_of_the_password);
	tcase_add_test(tc, a_refused_post_is_answered_after_its_body_not_reset);
	suite_add_tcase(s, tc);

	tc = tcase_create("deferred");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, a_deferred_call_is_answered_when_it_completes);
	tcase_add_test(tc, a_client_that_vanishes_during_a_deferred_call_cancels_it);
	tcase_add_test(tc,
	    stopping_the_server_cancels_held_calls_and_unlinks_the_socket);
	suite_add_tcase(s, tc);

	tc = tcase_create("listen");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, a_second_server_on_a_live_socket_fails_with_4_2_5s_message);
	tcase_add_test(tc, a_stale_socket_file_is_replaced);
	suite_add_tcase(s, tc);

	tc = tcase_create("logtail");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, logtail_sends_the_last_1024_bytes_then_follows_the_file);
	tcase_add_test(tc, logtail_over_http_1_1_is_chunked);
	tcase_add_test(tc, logtail_of_an_unknown_process_or_missing_file_is_404);
	tcase_add_test(tc, mainlogtail_follows_the_main_log);
	tcase_add_test(tc, a_client_that_leaves_a_quiet_tail_is_forgotten);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(rpc_http_suite());
	int	 nfailed;

	srunner_run_all(sr, CK_NORMAL);
	nfailed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfailed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
