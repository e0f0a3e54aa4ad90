/*
 * rpc_web.c: the web page. Its files (rpc/web/) are compiled in; the
 * page reads the process table over /RPC2, follows /events and /logtail,
 * and acts by POSTing a form to /action, turned here into the XML-RPC
 * call the buttons stand for, so the page acts exactly as supervisorctl
 * does. 4.2.5's page acts on GET links (index.html?action=stop&...);
 * here a GET never acts.
 *
 * Cross-site requests: each daemon makes a random token and writes it
 * into the pages it serves; /action wants it back. A browser on another
 * site can neither read the page (so never learns the token) nor pass
 * the Origin / Sec-Fetch-Site check below, which /RPC2 gets too.
 */
#include "config.h"

#include <sys/random.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "log.h"
#include "rpc_int.h"
#include "rpc_http_int.h"

#define RPC_WEB_TOKEN_MARK	"@NV_TOKEN@"
#define RPC_WEB_TOKEN_BYTES	16

/* One compiled-in file (rpc_web_files.h, made from rpc/web/). */
struct rpc_web_src {
	const char	*path;		/* "/index.html" */
	const char	*data;
	size_t		 len;
};

#include "rpc/rpc_web_files.h"

static const struct rpc_web_src rpc_web_srcs[] = { RPC_WEB_SRCS };
#define RPC_WEB_NFILES	(sizeof(rpc_web_srcs) / sizeof(rpc_web_srcs[0]))

/* A file as served: pages carry this daemon's token. */
struct rpc_web_file {
	const char	*path;
	const char	*type;
	char		*data;
	size_t		 len;
};

struct rpc_web {
	char		 token[RPC_WEB_TOKEN_BYTES * 2 + 1];
	struct rpc_web_file files[RPC_WEB_NFILES];
};

static const char *
rpc_web_type(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (dot == NULL)
		return "application/octet-stream";
	if (strcmp(dot, ".html") == 0)
		return "text/html; charset=utf-8";
	if (strcmp(dot, ".css") == 0)
		return "text/css; charset=utf-8";
	if (strcmp(dot, ".js") == 0)
		return "text/javascript; charset=utf-8";
	if (strcmp(dot, ".svg") == 0)
		return "image/svg+xml";
	return "text/plain; charset=utf-8";
}

/* src with every token mark replaced. */
static char *
rpc_web_render(const struct rpc_web_src *src, const char *token,
    size_t *lenp)
{
	struct rpc_buf	 b = { NULL, 0, 0 };
	const char	*p = src->data, *end = src->data + src->len, *m;
	size_t		 ml = sizeof(RPC_WEB_TOKEN_MARK) - 1;

	while ((m = strstr(p, RPC_WEB_TOKEN_MARK)) != NULL && m < end) {
		rpc_buf_add(&b, p, m - p);
		rpc_buf_add(&b, token, strlen(token));
		p = m + ml;
	}
	rpc_buf_add(&b, p, end - p);
	*lenp = b.len;
	return b.p;
}

struct rpc_web *
rpc_web_new(struct rpc *rpc)
{
	struct rpc_web	*w;
	unsigned char	 rnd[RPC_WEB_TOKEN_BYTES];
	size_t		 i;

	w = xcalloc(1, sizeof(*w));
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		fatal("getrandom");
	for (i = 0; i < sizeof(rnd); i++)
		snprintf(w->token + 2 * i, 3, "%02x", rnd[i]);
	for (i = 0; i < RPC_WEB_NFILES; i++) {
		w->files[i].path = rpc_web_srcs[i].path;
		w->files[i].type = rpc_web_type(rpc_web_srcs[i].path);
		w->files[i].data = rpc_web_render(&rpc_web_srcs[i], w->token,
		    &w->files[i].len);
	}
	return w;
}

void
rpc_web_free(struct rpc_web *w)
{
	size_t	 i;

	if (w == NULL)
		return;
	for (i = 0; i < RPC_WEB_NFILES; i++)
		free(w->files[i].data);
	free(w);
}

/* Every page and file: never cached (the token changes per daemon). */
struct MHD_Response *
rpc_web_file(struct rpc *rpc, const char *url, size_t *lenp)
{
	const struct rpc_web_file *f = NULL;
	struct MHD_Response *resp;
	size_t	 i;

	if (strcmp(url, "/") == 0)
		url = "/index.html";
	for (i = 0; i < RPC_WEB_NFILES; i++)
		if (strcmp(rpc->web->files[i].path, url) == 0)
			f = &rpc->web->files[i];
	if (f == NULL)
		return NULL;
	resp = MHD_create_response_from_buffer(f->len, f->data,
	    MHD_RESPMEM_PERSISTENT);
	if (resp == NULL)
		return NULL;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, f->type);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
	    "no-cache, no-store, must-revalidate");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_PRAGMA, "no-cache");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_EXPIRES,
	    "Thu, 01 Jan 1970 00:00:00 GMT");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Content-Security-Policy",
	    "default-src 'self'; frame-ancestors 'none'");
	*lenp = f->len;
	return resp;
}

/* ---- cross-site requests ---- */

/*
 * Browsers send Sec-Fetch-Site (same-origin, same-site, cross-site,
 * none) and, on a POST, Origin. Clients that are not browsers
 * (supervisorctl, scripts) send neither and are let through.
 */
bool
rpc_web_cross_site(struct MHD_Connection *conn)
{
	const char *site, *origin, *host, *rest;

	site = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    "Sec-Fetch-Site");
	if (site != NULL && strcmp(site, "same-origin") != 0 &&
	    strcmp(site, "none") != 0)
		return true;
	origin = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_ORIGIN);
	if (origin == NULL)
		return false;
	host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_HOST);
	if (strncmp(origin, "http://", 7) == 0)
		rest = origin + 7;
	else if (strncmp(origin, "https://", 8) == 0)
		rest = origin + 8;
	else
		return true;		/* "null" and the like */
	return host == NULL || strcmp(rest, host) != 0;
}

/* ---- actions ---- */

/* Decode one application/x-www-form-urlencoded field in place. */
static void
rpc_web_unescape(char *s)
{
	char	*o = s, hex[3] = { 0, 0, 0 };

	for (; *s != '\0'; s++) {
		if (*s == '+')
			*o++ = ' ';
		else if (*s == '%' && s[1] != '\0' && s[2] != '\0' &&
		    strchr("0123456789abcdefABCDEF", s[1]) != NULL &&
		    strchr("0123456789abcdefABCDEF", s[2]) != NULL) {
			hex[0] = s[1];
			hex[1] = s[2];
			*o++ = (char)strtol(hex, NULL, 16);
			s += 2;
		} else
			*o++ = *s;
	}
	*o = '\0';
}

/* The form's fields we know; the others are ignored. */
struct rpc_web_form {
	const char	*token;
	const char	*action;
	const char	*name;
};

static void
rpc_web_form_parse(char *body, struct rpc_web_form *f)
{
	char	*p, *field, *save, *eq;

	for (p = body; (field = strtok_r(p, "&", &save)) != NULL; p = NULL) {
		if ((eq = strchr(field, '=')) == NULL)
			continue;
		*eq++ = '\0';
		rpc_web_unescape(eq);
		if (strcmp(field, "token") == 0)
			f->token = eq;
		else if (strcmp(field, "action") == 0)
			f->action = eq;
		else if (strcmp(field, "name") == 0)
			f->name = eq;
	}
}

/* Compare without leaking where the first difference is. */
static bool
rpc_web_token_ok(const char *want, const char *got)
{
	size_t		 i, n = strlen(want);
	unsigned char	 d = 0;

	if (got == NULL || strlen(got) != n)
		return false;
	for (i = 0; i < n; i++)
		d |= (unsigned char)want[i] ^ (unsigned char)got[i];
	return d == 0;
}

static void
rpc_web_xml_text(struct rpc_buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '<')
			rpc_buf_add(b, "&lt;", 4);
		else if (*s == '>')
			rpc_buf_add(b, "&gt;", 4);
		else if (*s == '&')
			rpc_buf_add(b, "&amp;", 5);
		else
			rpc_buf_add(b, s, 1);
	}
}

#define RPC_WEB_LIT(b, s)	rpc_buf_add((b), (s), sizeof(s) - 1)

/* <value>s of one call's params: [name,] [wait] */
static void
rpc_web_params(struct rpc_buf *b, const char *name, bool wait)
{
	if (name != NULL) {
		RPC_WEB_LIT(b, "<value><string>");
		rpc_web_xml_text(b, name);
		RPC_WEB_LIT(b, "</string></value>");
	}
	if (wait)
		RPC_WEB_LIT(b, "<value><boolean>1</boolean></value>");
}

/* One {methodName, params} struct of a multicall. */
static void
rpc_web_multi_entry(struct rpc_buf *b, const char *method, const char *name,
    bool wait)
{
	RPC_WEB_LIT(b, "<value><struct><member><name>methodName</name>"
	    "<value><string>");
	rpc_buf_add(b, method, strlen(method));
	RPC_WEB_LIT(b, "</string></value></member><member><name>params</name>"
	    "<value><array><data>");
	rpc_web_params(b, name, wait);
	RPC_WEB_LIT(b, "</data></array></value></member></struct></value>");
}

/* What each button does: one call, or a stop then a start. */
static const struct rpc_web_action {
	const char	*action;
	const char	*method;	/* NULL: restart = stop + start */
	const char	*stop, *start;
	bool		 named;		/* takes name= */
	bool		 wait;
} rpc_web_actions[] = {
	{ "start", "supervisor.startProcess", NULL, NULL, true, true },
	{ "stop", "supervisor.stopProcess", NULL, NULL, true, true },
	{ "restart", NULL, "supervisor.stopProcess",
	    "supervisor.startProcess", true, true },
	{ "clear", "supervisor.clearProcessLogs", NULL, NULL, true, false },
	{ "startgroup", "supervisor.startProcessGroup", NULL, NULL, true,
	    true },
	{ "stopgroup", "supervisor.stopProcessGroup", NULL, NULL, true, true },
	{ "restartgroup", NULL, "supervisor.stopProcessGroup",
	    "supervisor.startProcessGroup", true, true },
	{ "startall", "supervisor.startAllProcesses", NULL, NULL, false,
	    true },
	{ "stopall", "supervisor.stopAllProcesses", NULL, NULL, false, true },
	{ "restartall", NULL, "supervisor.stopAllProcesses",
	    "supervisor.startAllProcesses", false, true },
};

static void
rpc_web_call(struct rpc_buf *b, const struct rpc_web_action *a,
    const char *name)
{
	RPC_WEB_LIT(b, "<?xml version=\"1.0\"?><methodCall><methodName>");
	if (a->method != NULL) {
		rpc_buf_add(b, a->method, strlen(a->method));
		RPC_WEB_LIT(b, "</methodName><params>");
		if (name != NULL) {
			RPC_WEB_LIT(b, "<param>");
			rpc_web_params(b, name, false);
			RPC_WEB_LIT(b, "</param>");
		}
		if (a->wait)
			RPC_WEB_LIT(b, "<param><value><boolean>1</boolean>"
			    "</value></param>");
		RPC_WEB_LIT(b, "</params></methodCall>");
		return;
	}
	RPC_WEB_LIT(b, "system.multicall</methodName><params><param>"
	    "<value><array><data>");
	rpc_web_multi_entry(b, a->stop, name, true);
	rpc_web_multi_entry(b, a->start, name, true);
	RPC_WEB_LIT(b, "</data></array></value></param></params>"
	    "</methodCall>");
}

unsigned int
rpc_web_action(struct rpc *rpc, struct MHD_Connection *conn, char **body,
    size_t *lenp)
{
	struct rpc_web_form	 f = { NULL, NULL, NULL };
	const struct rpc_web_action *a = NULL;
	struct rpc_buf		 b = { NULL, 0, 0 };
	size_t			 i;

	if (*body == NULL)
		return 400;
	rpc_web_form_parse(*body, &f);
	if (!rpc_web_token_ok(rpc->web->token, f.token))
		return 403;
	for (i = 0; f.action != NULL &&
	    i < sizeof(rpc_web_actions) / sizeof(rpc_web_actions[0]); i++)
		if (strcmp(rpc_web_actions[i].action, f.action) == 0)
			a = &rpc_web_actions[i];
	if (a == NULL || (a->named && (f.name == NULL || *f.name == '\0')))
		return 400;
	log_debug("web: %s %s", a->action, a->named ? f.name : "");
	rpc_web_call(&b, a, a->named ? f.name : NULL);
	free(*body);
	*body = b.p;
	*lenp = b.len;
	return 0;
}
