/*
 * logger_file.c: one log file, opened for appending and rotated by size.
 *
 * Child output can arrive at over a gigabyte a second, so a write is one
 * writev(2) straight to the descriptor: no buffering, no fsync, no
 * allocation, and the size is counted here instead of asked for. Only a
 * regular file is ever rotated; /dev/stdout, a pipe or /dev/null just
 * takes the bytes (4.2.5 fails every write there with "Illegal seek").
 *
 * A file may instead collect whole writes in a buffer (logger_file_buffer)
 * that its owner flushes before the loop waits again: the main log, where
 * an overflowing listener pool logs a line per discarded event. The size
 * counts buffered bytes, so rotation still happens after the same line,
 * and closing, rotating or reopening writes the buffer out first.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "logger_int.h"

#define LOGGER_FILE_MAXIOV	8

/* Open f->path for appending, creating it; learn its size and kind. */
static int
logger_file_fdopen(struct logger_file *f, int extra)
{
	struct stat	 st;
	int		 fd, saved;

	do
		fd = open(f->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
		    extra, 0666);
	while (fd == -1 && errno == EINTR);
	if (fd == -1) {
		f->err = errno;
		return -1;
	}
	if (fstat(fd, &st) == -1) {
		saved = errno;
		close(fd);
		f->err = errno = saved;
		return -1;
	}
	f->fd = fd;
	f->rotatable = S_ISREG(st.st_mode) && f->maxbytes > 0;
	f->size = S_ISREG(st.st_mode) ? (long long)st.st_size : 0;
	f->err = 0;
	return 0;
}

/*
 * Start using path. On failure f still holds the path, so a later
 * logger_file_reopen can try again; logger_file_close releases it.
 */
int
logger_file_open(struct logger_file *f, const char *path, long long maxbytes,
    int backups)
{
	f->path = xstrdup(path);
	f->fd = -1;
	f->size = 0;
	f->maxbytes = maxbytes > 0 ? maxbytes : 0;
	f->backups = backups > 0 ? backups : 0;
	f->rotatable = false;
	f->err = 0;
	return logger_file_fdopen(f, 0);
}

/* Collect writes of up to cap bytes in all; 0 writes through again. */
void
logger_file_buffer(struct logger_file *f, size_t cap)
{
	(void)logger_file_flush(f);
	free(f->wbuf);
	f->wbuf = cap > 0 ? xmalloc(cap) : NULL;
	f->wcap = cap;
}

/* Write the buffered bytes out; on failure they are dropped, uncounted. */
int
logger_file_flush(struct logger_file *f)
{
	size_t	 off = 0;
	ssize_t	 n;

	if (f->wlen == 0)
		return 0;
	while (off < f->wlen) {
		n = f->fd == -1 ? -1 : write(f->fd, f->wbuf + off,
		    f->wlen - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			f->err = n == 0 ? EIO : f->fd == -1 ? EBADF : errno;
			f->size -= (long long)(f->wlen - off);
			f->wlen = 0;
			errno = f->err;
			return -1;
		}
		off += (size_t)n;
	}
	f->wlen = 0;
	return 0;
}

static void
logger_file_fdclose(struct logger_file *f)
{
	(void)logger_file_flush(f);
	if (f->fd != -1)
		close(f->fd);
	f->fd = -1;
}

void
logger_file_close(struct logger_file *f)
{
	logger_file_fdclose(f);
	free(f->path);
	f->path = NULL;
	free(f->wbuf);
	f->wbuf = NULL;
	f->wcap = 0;
}

/* Append iov to the buffer if it fits; 1 if it did, 0 if not. */
static int
logger_file_collect(struct logger_file *f, const struct iovec *iov,
    int iovcnt)
{
	size_t	 len = 0;
	int	 i;

	for (i = 0; i < iovcnt; i++)
		len += iov[i].iov_len;
	if (len > f->wcap)
		return 0;
	if (f->wlen + len > f->wcap && logger_file_flush(f) == -1)
		return 0;
	for (i = 0; i < iovcnt; i++) {
		memcpy(f->wbuf + f->wlen, iov[i].iov_base, iov[i].iov_len);
		f->wlen += iov[i].iov_len;
	}
	f->size += (long long)len;
	return 1;
}

/*
 * rename() over an existing file makes ext4 write the moved file's
 * delayed blocks out first (its replace-by-rename safeguard), in our
 * time and while the child waits: remove the target first, as 4.2.5
 * does, and a rotation costs two directory operations, not a flush.
 */
static int
logger_file_move(const char *src, const char *dst)
{
	if (unlink(dst) == -1 && errno != ENOENT)
		return -1;
	return rename(src, dst);
}

/* Move base.N-1 to base.N ... base to base.1; 0, or -1 if base stayed. */
static int
logger_file_shift(struct logger_file *f)
{
	char	 src[PATH_MAX], dst[PATH_MAX];
	int	 i;

	if (strlen(f->path) + 12 > sizeof(src)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (i = f->backups - 1; i >= 1; i--) {
		snprintf(src, sizeof(src), "%s.%d", f->path, i);
		snprintf(dst, sizeof(dst), "%s.%d", f->path, i + 1);
		/* A missing backup is normal; any other error loses one. */
		if (access(src, F_OK) == 0)
			(void)logger_file_move(src, dst);
	}
	snprintf(dst, sizeof(dst), "%s.1", f->path);
	if (logger_file_move(f->path, dst) == -1 && errno != ENOENT)
		return -1;
	return 0;
}

/*
 * The file reached maxbytes: shift the backups and start an empty file,
 * or, with no backups, truncate. If the base file cannot be moved aside
 * we keep appending to it rather than throw its contents away.
 */
static int
logger_file_rotate(struct logger_file *f)
{
	int	 saved;

	logger_file_fdclose(f);
	if (f->backups > 0 && logger_file_shift(f) == -1) {
		saved = errno;
		if (logger_file_fdopen(f, 0) == 0)
			f->err = errno = saved;
		return -1;
	}
	return logger_file_fdopen(f, O_TRUNC);
}

/* Write every byte of iov (short writes resumed), then maybe rotate. */
int
logger_file_writev(struct logger_file *f, const struct iovec *iov, int iovcnt)
{
	struct iovec	 v[LOGGER_FILE_MAXIOV];
	ssize_t		 n;
	int		 i = 0;

	if (iovcnt > LOGGER_FILE_MAXIOV)
		fatalx("%s: %d pieces", __func__, iovcnt);
	if (f->fd == -1) {
		errno = f->err != 0 ? f->err : EBADF;
		return -1;
	}
	if (f->wcap > 0 && logger_file_collect(f, iov, iovcnt))
		goto written;
	if (logger_file_flush(f) == -1)
		return -1;
	memcpy(v, iov, iovcnt * sizeof(*v));
	for (;;) {
		while (i < iovcnt && v[i].iov_len == 0)
			i++;
		if (i == iovcnt)
			break;
		if ((n = writev(f->fd, v + i, iovcnt - i)) == -1) {
			if (errno == EINTR)
				continue;
			f->err = errno;
			return -1;
		}
		if (n == 0) {
			f->err = errno = EIO;
			return -1;
		}
		f->size += n;
		for (; i < iovcnt && (size_t)n >= v[i].iov_len; i++)
			n -= v[i].iov_len;
		if (i < iovcnt) {
			v[i].iov_base = (char *)v[i].iov_base + n;
			v[i].iov_len -= n;
		}
	}
written:
	f->err = 0;
	if (f->rotatable && f->size >= f->maxbytes)
		return logger_file_rotate(f);
	return 0;
}

int
logger_file_write(struct logger_file *f, const void *buf, size_t len)
{
	struct iovec	 iov;

	iov.iov_base = (void *)buf;
	iov.iov_len = len;
	return logger_file_writev(f, &iov, 1);
}

/* Close and open the same name again (after an external rename). */
int
logger_file_reopen(struct logger_file *f)
{
	if (f->path == NULL) {
		errno = ENOENT;
		return -1;
	}
	logger_file_fdclose(f);
	return logger_file_fdopen(f, 0);
}

/* Delete the file and start a new empty one under the same name. */
int
logger_file_remove(struct logger_file *f)
{
	int	 saved = 0;

	if (f->path == NULL) {
		errno = ENOENT;
		return -1;
	}
	logger_file_fdclose(f);
	if (unlink(f->path) == -1 && errno != ENOENT)
		saved = errno;
	if (logger_file_fdopen(f, 0) == -1)
		return -1;
	if (saved != 0) {
		errno = saved;
		return -1;
	}
	return 0;
}
