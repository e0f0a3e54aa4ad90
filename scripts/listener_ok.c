/*
 * listener_ok: the smallest useful event listener, fast enough for
 * benchmarks. It accepts every event:
 *
 *	write READY, read one header line, read len of payload,
 *	write "RESULT 2\nOK", repeat until stdin closes.
 *
 *	listener_ok [-b] [-v]
 *	  -b	len counts bytes (default: UTF-8 characters, like 4.2.5,
 *		which counts the characters Python decoded; the same for ASCII)
 *	  -v	log each header to stderr
 *
 * Reads and writes go through read(2)/write(2) with our own buffer, so a
 * header or payload split across any number of reads is handled, and no
 * stdio buffering can delay the handshake.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LISTENER_HDRMAX	4096

struct listener_in {
	unsigned char	 buf[65536];
	size_t		 off;		/* first unconsumed byte */
	size_t		 len;		/* bytes held */
};

static bool	listener_count_bytes;
static bool	listener_verbose;

/* Write all of buf; 0 or -1. */
static int
listener_write_all(const char *buf, size_t len)
{
	ssize_t	 n;

	while (len > 0) {
		if ((n = write(STDOUT_FILENO, buf, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= n;
	}
	return 0;
}

/* Refill an empty buffer; 1 with data, 0 at EOF, -1 on error. */
static int
listener_in_fill(struct listener_in *in)
{
	ssize_t	 n;

	do
		n = read(STDIN_FILENO, in->buf, sizeof(in->buf));
	while (n == -1 && errno == EINTR);
	if (n <= 0)
		return n == 0 ? 0 : -1;
	in->off = 0;
	in->len = n;
	return 1;
}

/* Copy one line, without its '\n', into line; 1, 0 at EOF, -1 bad. */
static int
listener_header_read(struct listener_in *in, char *line, size_t size)
{
	size_t	 used = 0;
	int	 c, rv;

	for (;;) {
		if (in->off == in->len && (rv = listener_in_fill(in)) <= 0)
			return used == 0 ? rv : -1;
		c = in->buf[in->off++];
		if (c == '\n')
			break;
		if (used + 1 >= size)
			return -1;
		line[used++] = c;
	}
	line[used] = '\0';
	return 1;
}

/* Find the "len:N" token of a header; -1 if there is none. */
static long
listener_header_len(const char *line)
{
	const char	*p = line;
	char		*end;
	long		 v;

	while (*p != '\0') {
		if (strncmp(p, "len:", 4) == 0) {
			v = strtol(p + 4, &end, 10);
			if (end != p + 4 && (*end == '\0' || *end == ' ') &&
			    v >= 0)
				return v;
			return -1;
		}
		p += strcspn(p, " ");
		p += strspn(p, " ");
	}
	return -1;
}

/* Continuation bytes that follow a UTF-8 lead byte; 0 for ASCII or junk. */
static int
listener_utf8_tail(unsigned char b)
{
	if (b >= 0xc0 && b < 0xe0)
		return 1;
	if (b >= 0xe0 && b < 0xf0)
		return 2;
	if (b >= 0xf0 && b < 0xf8)
		return 3;
	return 0;
}

/*
 * Skip a payload of want units (bytes or characters). A character ends
 * with its last continuation byte, so one split across reads is waited
 * for rather than left to corrupt the next header.
 */
static int
listener_payload_skip(struct listener_in *in, long want)
{
	long		 got = 0;
	int		 owed = 0;
	unsigned char	 b;

	while (got < want || owed > 0) {
		if (in->off == in->len && listener_in_fill(in) <= 0)
			return -1;
		b = in->buf[in->off++];
		if (listener_count_bytes) {
			got++;
			continue;
		}
		if (owed > 0 && (b & 0xc0) == 0x80) {
			owed--;
			continue;
		}
		if (got == want) {
			/* truncated sequence: this byte is not ours */
			in->off--;
			break;
		}
		got++;
		owed = listener_utf8_tail(b);
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	static struct listener_in in_buf;	/* 64 KiB: keep off the stack */
	struct listener_in	*in = &in_buf;
	char			 line[LISTENER_HDRMAX];
	long			 len;
	int			 ch, rv;

	while ((ch = getopt(argc, argv, "bv")) != -1) {
		switch (ch) {
		case 'b':
			listener_count_bytes = true;
			break;
		case 'v':
			listener_verbose = true;
			break;
		default:
			fprintf(stderr, "usage: listener_ok [-b] [-v]\n");
			return 2;
		}
	}
	for (;;) {
		if (listener_write_all("READY\n", 6) == -1)
			return 1;
		if ((rv = listener_header_read(in, line, sizeof(line))) == 0)
			return 0;
		if (rv == -1 || (len = listener_header_len(line)) == -1) {
			fprintf(stderr, "listener_ok: bad header\n");
			return 1;
		}
		if (listener_payload_skip(in, len) == -1)
			return 1;
		if (listener_verbose)
			fprintf(stderr, "%s\n", line);
		if (listener_write_all("RESULT 2\nOK", 11) == -1)
			return 1;
	}
}
