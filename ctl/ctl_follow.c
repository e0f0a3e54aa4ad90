/*
 * ctl_follow.c: tail -f, maintail -f and fg stream /logtail and
 * /mainlogtail to stdout until Ctrl-C or the server closes; fg also reads
 * stdin lines in the same poll.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "ctl.h"
#include "log.h"

/* One stream. */
struct follow {
	CURL		*e;
	char		*url;		/* serverurl + path, for messages */
	bool		 failed;
};

static size_t
follow_write_cb(char *p, size_t sz, size_t n, void *arg)
{
	struct follow	*f = arg;
	long		 status = 0;

	curl_easy_getinfo(f->e, CURLINFO_RESPONSE_CODE, &status);
	if (status != 200) {
		if (!f->failed)
			fprintf(stderr, "%s Cannot read, status code %ld\n",
			    f->url, status);
		f->failed = true;
		return 0;
	}
	fwrite(p, sz, n, stdout);
	fflush(stdout);
	return sz * n;
}

static void
follow_done(struct follow *f, CURLcode rc)
{
	long	 status = 0, oserr = 0;

	if (f->failed)
		return;
	curl_easy_getinfo(f->e, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(f->e, CURLINFO_OS_ERRNO, &oserr);
	if (rc == CURLE_COULDNT_CONNECT)
		fprintf(stderr, "%s Cannot connect, error: %s (%s)\n",
		    f->url, oserr == ENOENT ? "<class 'FileNotFoundError'>" :
		    "<class 'ConnectionRefusedError'>",
		    oserr == ENOENT ? "[Errno 2] No such file or directory" :
		    "[Errno 111] Connection refused");
	else if (rc == CURLE_OK && status != 200)
		fprintf(stderr, "%s Cannot read, status code %ld\n", f->url,
		    status);
}

static void
follow_open(struct ctl *ctl, struct follow *f, const char *path)
{
	char	*url;
	size_t	 n;

	xasprintf(&f->url, "%s%s", ctl->o.serverurl, path);
	f->e = curl_easy_init();
	if (strncmp(ctl->o.serverurl, "unix://", 7) == 0) {
		curl_easy_setopt(f->e, CURLOPT_UNIX_SOCKET_PATH,
		    ctl->o.serverurl + 7);
		xasprintf(&url, "http://localhost%s", path);
	} else {
		n = strlen(ctl->o.serverurl);
		while (n > 7 && ctl->o.serverurl[n - 1] == '/')
			n--;
		xasprintf(&url, "%.*s%s", (int)n, ctl->o.serverurl, path);
	}
	curl_easy_setopt(f->e, CURLOPT_URL, url);
	free(url);
	curl_easy_setopt(f->e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(f->e, CURLOPT_WRITEFUNCTION, follow_write_cb);
	curl_easy_setopt(f->e, CURLOPT_WRITEDATA, f);
	curl_easy_setopt(f->e, CURLOPT_PRIVATE, f);
	if (ctl->o.username != NULL && ctl->o.password != NULL &&
	    ctl->o.password[0] != '\0') {
		curl_easy_setopt(f->e, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
		curl_easy_setopt(f->e, CURLOPT_USERNAME, ctl->o.username);
		curl_easy_setopt(f->e, CURLOPT_PASSWORD, ctl->o.password);
	}
}

/* Feed complete stdin lines to fn; 2 on EOF, fn's non-zero, or 0. */
static int
follow_stdin(struct ctl *ctl, char *buf, size_t *len, size_t cap,
    ctl_line_fn *fn, void *arg)
{
	ssize_t	 n;
	char	*nl;
	int	 rc;

	n = read(STDIN_FILENO, buf + *len, cap - *len - 1);
	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 0 : 2;
	if (n == 0)
		return 2;
	*len += (size_t)n;
	buf[*len] = '\0';
	while ((nl = strchr(buf, '\n')) != NULL) {
		*nl = '\0';
		rc = fn(ctl, buf, arg);
		*len -= (size_t)(nl + 1 - buf);
		memmove(buf, nl + 1, *len + 1);
		if (rc != 0)
			return rc;
	}
	if (*len + 1 >= cap) {		/* a line too long: pass it on */
		rc = fn(ctl, buf, arg);
		*len = 0;
		return rc;
	}
	return 0;
}

/*
 * Returns 0 when every stream ended, 1 on *stop (Ctrl-C), 2 on stdin EOF,
 * or what fn returned.
 */
int
ctl_http_follow(struct ctl *ctl, const char **paths, size_t npaths,
    volatile int *stop, ctl_line_fn *fn, void *arg)
{
	struct follow	 f[2];
	struct curl_waitfd wfd;
	CURLM		*m = curl_multi_init();
	CURLMsg		*msg;
	struct follow	*fp;
	char		 buf[8192];
	size_t		 i, len = 0;
	int		 running = 1, left, rc = 0;

	memset(f, 0, sizeof(f));
	for (i = 0; i < npaths && i < 2; i++) {
		follow_open(ctl, &f[i], paths[i]);
		curl_multi_add_handle(m, f[i].e);
	}
	while (rc == 0 && running > 0) {
		if (*stop) {
			rc = 1;
			break;
		}
		curl_multi_perform(m, &running);
		while ((msg = curl_multi_info_read(m, &left)) != NULL)
			if (msg->msg == CURLMSG_DONE) {
				curl_easy_getinfo(msg->easy_handle,
				    CURLINFO_PRIVATE, (char **)&fp);
				follow_done(fp, msg->data.result);
			}
		if (running == 0)
			break;
		wfd.fd = STDIN_FILENO;
		wfd.events = CURL_WAIT_POLLIN;
		wfd.revents = 0;
		curl_multi_poll(m, fn != NULL ? &wfd : NULL, fn != NULL ? 1 : 0,
		    200, NULL);
		if (fn != NULL && (wfd.revents & CURL_WAIT_POLLIN))
			rc = follow_stdin(ctl, buf, &len, sizeof(buf), fn,
			    arg);
	}
	if (*stop && rc == 0)
		rc = 1;
	for (i = 0; i < npaths && i < 2; i++) {
		curl_multi_remove_handle(m, f[i].e);
		curl_easy_cleanup(f[i].e);
		free(f[i].url);
	}
	curl_multi_cleanup(m);
	return rc;
}
