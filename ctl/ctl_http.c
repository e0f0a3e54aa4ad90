/*
 * ctl_http.c: the HTTP side, on libcurl. XML-RPC calls share one easy
 * handle, so a session keeps one connection open; /logtail streams get
 * their own handles in a multi, beside stdin for fg.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "ctl.h"
#include "log.h"

/* Owner: struct ctl. */
struct ctl_http {
	CURL		*post;
	char		*url;		/* serverurl the handle was set up for */
	char		 reason[128];	/* of the last status line */
};

/* Where a POST's answer goes. */
struct http_body {
	CURL		*e;
	ctl_body_fn	*sink;
	void		*arg;
	long		 status;	/* 0 until the first byte */
};

struct ctl_http *
ctl_http_new(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	return xcalloc(1, sizeof(struct ctl_http));
}

void
ctl_http_free(struct ctl_http *h)
{
	if (h == NULL)
		return;
	if (h->post != NULL)
		curl_easy_cleanup(h->post);
	free(h->url);
	free(h);
	curl_global_cleanup();
}

/* Only a 200's body is parsed; any other is dropped unread. */
static size_t
http_body_cb(char *p, size_t sz, size_t n, void *arg)
{
	struct http_body *b = arg;

	n *= sz;
	if (b->status == 0)
		curl_easy_getinfo(b->e, CURLINFO_RESPONSE_CODE, &b->status);
	if (b->status == 200)
		b->sink(p, n, b->arg);
	return n;
}

/* Keep the reason phrase of the status line for ProtocolError's text. */
static size_t
http_header_cb(char *p, size_t sz, size_t n, void *arg)
{
	struct ctl_http	*h = arg;
	size_t		 len = sz * n, i;
	const char	*r;

	if (len > 5 && strncmp(p, "HTTP/", 5) == 0) {
		r = memchr(p, ' ', len);
		r = r != NULL ? memchr(r + 1, ' ', len - (r + 1 - p)) : NULL;
		h->reason[0] = '\0';
		if (r != NULL) {
			r++;
			for (i = 0; r + i < p + len && r[i] != '\r' &&
			    r[i] != '\n' && i + 1 < sizeof(h->reason); i++)
				h->reason[i] = r[i];
			h->reason[i] = '\0';
		}
	}
	return len;
}

/* Point e at the server (unix socket or host:port) and path. */
static void
http_target(CURL *e, const char *serverurl, const char *path)
{
	char	*url;
	size_t	 n;

	if (strncmp(serverurl, "unix://", 7) == 0) {
		curl_easy_setopt(e, CURLOPT_UNIX_SOCKET_PATH, serverurl + 7);
		xasprintf(&url, "http://localhost%s", path);
	} else {
		n = strlen(serverurl);
		while (n > 7 && serverurl[n - 1] == '/')
			n--;
		xasprintf(&url, "%.*s%s", (int)n, serverurl, path);
	}
	curl_easy_setopt(e, CURLOPT_URL, url);
	free(url);
}

static void
http_auth(struct ctl *ctl, CURL *e)
{
	if (ctl->o.username != NULL && ctl->o.password != NULL) {
		curl_easy_setopt(e, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
		curl_easy_setopt(e, CURLOPT_USERNAME, ctl->o.username);
		curl_easy_setopt(e, CURLOPT_PASSWORD, ctl->o.password);
	} else
		curl_easy_setopt(e, CURLOPT_HTTPAUTH, CURLAUTH_NONE);
}

/* Turn a transfer failure into what Python's socket error would be. */
static void
http_fail(CURL *e, CURLcode rc, struct ctl_err *err)
{
	long	 oserr = 0;

	curl_easy_getinfo(e, CURLINFO_OS_ERRNO, &oserr);
	if (rc == CURLE_COULDNT_CONNECT && oserr == ECONNREFUSED)
		err->kind = CTL_E_REFUSED;
	else if (rc == CURLE_COULDNT_CONNECT && oserr == ENOENT)
		err->kind = CTL_E_NOFILE;
	else {
		err->kind = CTL_E_OTHER;
		err->code = (int)oserr;
		snprintf(err->msg, sizeof(err->msg), "%s",
		    oserr != 0 ? strerror((int)oserr) :
		    curl_easy_strerror(rc));
	}
}

static CURL *
http_post_handle(struct ctl *ctl)
{
	struct ctl_http	*h = ctl->http;

	if (h->post != NULL && h->url != NULL &&
	    strcmp(h->url, ctl->o.serverurl) == 0)
		return h->post;
	if (h->post != NULL)
		curl_easy_cleanup(h->post);
	free(h->url);
	h->url = xstrdup(ctl->o.serverurl);
	h->post = curl_easy_init();
	if (h->post == NULL)
		fatalx("curl_easy_init failed");
	http_target(h->post, ctl->o.serverurl, "/RPC2");
	curl_easy_setopt(h->post, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h->post, CURLOPT_HEADERFUNCTION, http_header_cb);
	curl_easy_setopt(h->post, CURLOPT_HEADERDATA, h);
	curl_easy_setopt(h->post, CURLOPT_WRITEFUNCTION, http_body_cb);
	curl_easy_setopt(h->post, CURLOPT_USERAGENT, "nanovisor-ctl");
	return h->post;
}

int
ctl_http_post(struct ctl *ctl, const char *body, size_t len,
    ctl_body_fn *sink, void *arg, struct ctl_err *err)
{
	CURL		*e;
	struct curl_slist *hdrs = NULL;
	struct http_body b = { NULL, sink, arg, 0 };
	CURLcode	 rc;
	long		 status = 0;

	if (strncmp(ctl->o.serverurl, "http://", 7) != 0 &&
	    strncmp(ctl->o.serverurl, "unix://", 7) != 0) {
		err->kind = CTL_E_URL;
		return -1;
	}
	e = http_post_handle(ctl);
	b.e = e;

	hdrs = curl_slist_append(hdrs, "Content-Type: text/xml");
	hdrs = curl_slist_append(hdrs, "Expect:");
	http_auth(ctl, e);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)len);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, &b);
	rc = curl_easy_perform(e);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(hdrs);
	if (rc == CURLE_OK)
		curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
	if (rc != CURLE_OK || status != 200) {
		if (rc != CURLE_OK)
			http_fail(e, rc, err);
		else {
			err->kind = CTL_E_HTTP;
			err->code = (int)status;
			snprintf(err->msg, sizeof(err->msg), "%s",
			    ctl->http->reason);
		}
		return -1;
	}
	return 0;
}
