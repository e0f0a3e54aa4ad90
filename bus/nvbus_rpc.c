/*
 * nvbus_rpc.c: the bus client's XML-RPC side. nanovisor.getEvents and
 * getBusInfo over HTTP (tcp or a unix socket) with libcurl; the answer
 * is read with expat, keeping only what these two methods return: the
 * int and boolean members of the top struct and the base64 messages.
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <expat.h>

#include "nvbus.h"
#include "nvbus_int.h"

#define NVBUS_BATCH	10000

struct nvbus_rpc {
	CURL		*curl;
	char		*url;
	struct curl_slist *headers;
	char		*body;		/* the answer being received */
	size_t		 len, cap;
};

/* What getEvents / getBusInfo answered. */
struct nvbus_ans {
	struct nvbus	*b;
	uint64_t	 serial, lost, lost_from, newest;
	bool		 more;
	bool		 fault;
	char		 member[32];
	char		*text;
	size_t		 tlen, tcap;
	struct nvbus_msg *msgs, **tail;	/* decoded events, in order */
	bool		 bad;
};

static void
nvbus_rpc_err(struct nvbus *b, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(b->err, sizeof(b->err), fmt, ap);
	va_end(ap);
}

int
nvbus_rpc_init(struct nvbus *b, const char *url)
{
	struct nvbus_rpc	*r;
	const char		*path;

	if ((r = calloc(1, sizeof(*r))) == NULL ||
	    (r->curl = curl_easy_init()) == NULL) {
		free(r);
		nvbus_rpc_err(b, "cannot start libcurl");
		return -1;
	}
	b->rpc = r;
	if (strncmp(url, "unix://", 7) == 0) {
		path = url + 7;
		curl_easy_setopt(r->curl, CURLOPT_UNIX_SOCKET_PATH, path);
		r->url = strdup("http://localhost/RPC2");
	} else if (strncmp(url, "http://", 7) == 0) {
		if (asprintf(&r->url, "%s%s", url,
		    strstr(url + 7, "/") != NULL ? "" : "/RPC2") == -1)
			r->url = NULL;
	} else {
		nvbus_rpc_err(b, "%s: not an http:// or unix:// URL", url);
		return -1;
	}
	if (r->url == NULL) {
		nvbus_rpc_err(b, "out of memory");
		return -1;
	}
	r->headers = curl_slist_append(NULL, "Content-Type: text/xml");
	curl_easy_setopt(r->curl, CURLOPT_URL, r->url);
	curl_easy_setopt(r->curl, CURLOPT_HTTPHEADER, r->headers);
	curl_easy_setopt(r->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(r->curl, CURLOPT_TIMEOUT, 30L);
	return 0;
}

void
nvbus_rpc_free(struct nvbus *b)
{
	struct nvbus_rpc	*r = b->rpc;

	if (r == NULL)
		return;
	if (r->curl != NULL)
		curl_easy_cleanup(r->curl);
	curl_slist_free_all(r->headers);
	free(r->url);
	free(r->body);
	free(r);
	b->rpc = NULL;
}

void
nvbus_auth(struct nvbus *b, const char *user, const char *password)
{
	if (b->rpc == NULL)
		return;
	curl_easy_setopt(b->rpc->curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
	curl_easy_setopt(b->rpc->curl, CURLOPT_USERNAME, user);
	curl_easy_setopt(b->rpc->curl, CURLOPT_PASSWORD, password);
}

static size_t
nvbus_rpc_write_cb(char *p, size_t size, size_t n, void *arg)
{
	struct nvbus_rpc	*r = arg;
	size_t			 len = size * n;
	char			*nb;

	if (r->len + len > r->cap) {
		r->cap = (r->len + len) * 2;
		if ((nb = realloc(r->body, r->cap)) == NULL)
			return 0;
		r->body = nb;
	}
	memcpy(r->body + r->len, p, len);
	r->len += len;
	return len;
}

/* POST one call; the answer is in r->body. */
static int
nvbus_rpc_post(struct nvbus *b, const char *xml)
{
	struct nvbus_rpc	*r = b->rpc;
	CURLcode		 rc;
	long			 status = 0;

	r->len = 0;
	curl_easy_setopt(r->curl, CURLOPT_POSTFIELDS, xml);
	curl_easy_setopt(r->curl, CURLOPT_WRITEFUNCTION, nvbus_rpc_write_cb);
	curl_easy_setopt(r->curl, CURLOPT_WRITEDATA, r);
	if ((rc = curl_easy_perform(r->curl)) != CURLE_OK) {
		nvbus_rpc_err(b, "XML-RPC: %s", curl_easy_strerror(rc));
		return -1;
	}
	curl_easy_getinfo(r->curl, CURLINFO_RESPONSE_CODE, &status);
	if (status != 200) {
		nvbus_rpc_err(b, "XML-RPC: HTTP status %ld", status);
		return -1;
	}
	return 0;
}

/* ---- the answer ---- */

static int
nvbus_b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Decode in place; returns the length. */
static size_t
nvbus_b64_decode(char *s, size_t n)
{
	size_t		 i, out = 0;
	unsigned long	 acc = 0;
	int		 bits = 0, v;

	for (i = 0; i < n; i++) {
		if ((v = nvbus_b64val((unsigned char)s[i])) < 0)
			continue;	/* newlines, padding */
		acc = (acc << 6) | (unsigned long)v;
		if ((bits += 6) >= 8) {
			bits -= 8;
			s[out++] = (char)((acc >> bits) & 0xff);
		}
	}
	return out;
}

static void XMLCALL
nvbus_ans_start(void *arg, const XML_Char *el, const XML_Char **attr)
{
	struct nvbus_ans	*a = arg;

	a->tlen = 0;
	if (a->text != NULL)
		a->text[0] = '\0';
	if (strcmp(el, "fault") == 0)
		a->fault = true;
}

static void XMLCALL
nvbus_ans_text(void *arg, const XML_Char *s, int len)
{
	struct nvbus_ans	*a = arg;
	char			*nt;

	if (a->tlen + (size_t)len + 1 > a->tcap) {
		a->tcap = (a->tlen + (size_t)len + 1) * 2;
		if ((nt = realloc(a->text, a->tcap)) == NULL) {
			a->bad = true;
			return;
		}
		a->text = nt;
	}
	memcpy(a->text + a->tlen, s, (size_t)len);
	a->tlen += (size_t)len;
	a->text[a->tlen] = '\0';
}

static void
nvbus_ans_int(struct nvbus_ans *a, uint64_t v)
{
	if (strcmp(a->member, "serial") == 0)
		a->serial = v;
	else if (strcmp(a->member, "lost") == 0)
		a->lost = v;
	else if (strcmp(a->member, "lost_from") == 0)
		a->lost_from = v;
	else if (strcmp(a->member, "newest") == 0)
		a->newest = v;
}

static void XMLCALL
nvbus_ans_end(void *arg, const XML_Char *el)
{
	struct nvbus_ans	*a = arg;
	struct nvbus_msg	*m;
	const char		*t = a->text != NULL ? a->text : "";
	size_t			 n;

	if (a->bad)
		return;
	if (strcmp(el, "name") == 0)
		snprintf(a->member, sizeof(a->member), "%s", t);
	else if (strcmp(el, "int") == 0 || strcmp(el, "i4") == 0 ||
	    strcmp(el, "i8") == 0)
		nvbus_ans_int(a, strtoull(t, NULL, 10));
	else if (strcmp(el, "boolean") == 0 && strcmp(a->member, "more") == 0)
		a->more = t[0] == '1';
	else if (strcmp(el, "string") == 0 && a->fault &&
	    strcmp(a->member, "faultString") == 0)
		nvbus_rpc_err(a->b, "XML-RPC fault: %s", t);
	else if (strcmp(el, "base64") == 0 && a->text != NULL) {
		n = nvbus_b64_decode(a->text, a->tlen);
		if ((m = nvbus_msg_new(a->text, n)) == NULL) {
			a->bad = true;
			return;
		}
		m->caught_up = true;
		*a->tail = m;
		a->tail = &m->next;
	}
	a->tlen = 0;
	if (a->text != NULL)
		a->text[0] = '\0';
}

static void
nvbus_ans_clear(struct nvbus_ans *a)
{
	struct nvbus_msg	*m;

	while ((m = a->msgs) != NULL) {
		a->msgs = m->next;
		free(m->data);
		free(m);
	}
	free(a->text);
}

/* Call method with params (an XML fragment); parse into a. */
static int
nvbus_rpc_call(struct nvbus *b, const char *method, const char *params,
    struct nvbus_ans *a)
{
	XML_Parser	 p;
	char		*xml;
	int		 ok;

	memset(a, 0, sizeof(*a));
	a->b = b;
	a->tail = &a->msgs;
	if (asprintf(&xml, "<?xml version=\"1.0\"?>\n<methodCall><methodName>"
	    "%s</methodName><params>%s</params></methodCall>\n", method,
	    params) == -1)
		return -1;
	ok = nvbus_rpc_post(b, xml);
	free(xml);
	if (ok == -1)
		return -1;
	if ((p = XML_ParserCreate(NULL)) == NULL)
		return -1;
	XML_SetUserData(p, a);
	XML_SetElementHandler(p, nvbus_ans_start, nvbus_ans_end);
	XML_SetCharacterDataHandler(p, nvbus_ans_text);
	ok = XML_Parse(p, b->rpc->body, (int)b->rpc->len, 1) ==
	    XML_STATUS_OK;
	if (!ok)
		nvbus_rpc_err(b, "XML-RPC: bad answer: %s",
		    XML_ErrorString(XML_GetErrorCode(p)));
	XML_ParserFree(p);
	if (!ok || a->bad || a->fault) {
		if (a->bad)
			nvbus_rpc_err(b, "XML-RPC: out of memory");
		nvbus_ans_clear(a);
		return -1;
	}
	return 0;
}

int
nvbus_daemon_serial(struct nvbus *b, uint64_t *out)
{
	struct nvbus_ans	 a;

	if (b->rpc == NULL) {
		nvbus_rpc_err(b, "no XML-RPC URL");
		return -1;
	}
	if (nvbus_rpc_call(b, "nanovisor.getBusInfo", "", &a) == -1)
		return -1;
	*out = a.serial;
	nvbus_ans_clear(&a);
	return 0;
}

int
nvbus_rpc_catch_up(struct nvbus *b, uint64_t upto)
{
	struct nvbus_ans	 a;
	struct nvbus_msg	*m;
	char			 params[160];

	while (b->qnext != 0) {
		snprintf(params, sizeof(params), "<param><value><int>%" PRIu64
		    "</int></value></param><param><value><int>%d</int>"
		    "</value></param>", b->qnext - 1, NVBUS_BATCH);
		if (nvbus_rpc_call(b, "nanovisor.getEvents", params, &a) == -1)
			return -1;
		/* the daemon is behind us: it restarted, take all it has */
		if (a.serial + 1 < b->qnext) {
			nvbus_ans_clear(&a);
			b->qnext = 1;
			b->live_last = 0;
			continue;
		}
		if (a.lost > 0)
			nvbus_take_lost(b, a.lost_from, a.lost);
		while ((m = a.msgs) != NULL) {
			a.msgs = m->next;
			nvbus_take(b, m);
		}
		nvbus_ans_clear(&a);
		if (!a.more || (upto > 0 && b->qnext > upto))
			return 0;
	}
	return 0;
}
