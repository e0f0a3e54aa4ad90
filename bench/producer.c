/*
 * bench/producer.c: write N bytes of text to stdout as fast as possible.
 *
 *	producer [-w] BYTES
 *
 * Fills a 64 KiB block with a repeated text line and writes it until
 * BYTES have gone out (the last block is cut short), then exits 0.
 * With -w it first waits for SIGUSR1: the benchmark sees the handler in
 * /proc/PID/status, takes its "before" figures and sends the signal, so
 * process start-up is not part of the timed window.
 *
 * Built by bench/throughput.sh with cc into its temp dir; not part of
 * the project's build.
 */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PRODUCER_BLOCK	(64 * 1024)

static const char producer_line[] =
    "nanovisor bench: the quick brown fox jumps over the lazy dog 0123456789\n";

static void
producer_block_fill(char *buf, size_t len)
{
	size_t	 n = sizeof(producer_line) - 1, off;

	for (off = 0; off < len; off += n)
		memcpy(buf + off, producer_line, len - off < n ? len - off : n);
}

static volatile sig_atomic_t producer_go;

static void
producer_go_set(int sig)
{
	(void)sig;
	producer_go = 1;
}

/*
 * Park until the benchmark sends SIGUSR1. The handler is in place and
 * the signal blocked before we look for it, so an early signal stays
 * pending instead of being lost; SigCgt in /proc/PID/status tells the
 * benchmark when it may send.
 */
static int
producer_gate_wait(void)
{
	struct sigaction	 sa;
	sigset_t		 set, old;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &set, &old) == -1)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = producer_go_set;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL) == -1)
		return -1;
	sigdelset(&old, SIGUSR1);
	while (!producer_go)
		sigsuspend(&old);
	return sigprocmask(SIG_SETMASK, &old, NULL);
}

static int
producer_write_all(const char *buf, size_t len)
{
	ssize_t	 w;

	while (len > 0) {
		if ((w = write(STDOUT_FILENO, buf, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	static char		 block[PRODUCER_BLOCK];
	unsigned long long	 left;
	size_t			 n;
	char			*end;
	int			 gate = 0;

	if (argc == 3 && strcmp(argv[1], "-w") == 0) {
		gate = 1;
		argc--;
		argv++;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: producer [-w] bytes\n");
		return 2;
	}
	errno = 0;
	left = strtoull(argv[1], &end, 10);
	if (errno != 0 || *end != '\0' || end == argv[1]) {
		fprintf(stderr, "producer: bad byte count: %s\n", argv[1]);
		return 2;
	}
	if (gate && producer_gate_wait() == -1) {
		fprintf(stderr, "producer: waiting for SIGUSR1: %s\n",
		    strerror(errno));
		return 1;
	}
	producer_block_fill(block, sizeof(block));
	while (left > 0) {
		n = left < sizeof(block) ? (size_t)left : sizeof(block);
		if (producer_write_all(block, n) == -1) {
			fprintf(stderr, "producer: write: %s\n", strerror(errno));
			return 1;
		}
		left -= n;
	}
	return 0;
}
