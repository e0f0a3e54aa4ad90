/*
 * bench/linewriter.c: write numbered text lines to stdout forever.
 *
 *	linewriter
 *
 * stdout is line buffered, so each line is its own write(2), and when
 * stdout is a pipe it is put in packet mode (O_DIRECT, Linux 3.4 on):
 * a read(2) at the other end then returns one line, never several run
 * together, so a daemon with stdout_events_enabled makes one
 * PROCESS_LOG event of each line, however far behind it is. A full pipe
 * still blocks us: the daemon sets the pace. Runs until killed.
 *
 * Built by bench/listeners.sh with cc into its temp dir; not part of
 * the project's build.
 */

#define _GNU_SOURCE		/* O_DIRECT */

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int
main(void)
{
	unsigned long	 n;
	int		 fl;

	/* Refused (not a pipe, old kernel): plain line-buffered writes. */
	if ((fl = fcntl(STDOUT_FILENO, F_GETFL)) != -1)
		(void)fcntl(STDOUT_FILENO, F_SETFL, fl | O_DIRECT);
	if (setvbuf(stdout, NULL, _IOLBF, 0) != 0)
		return 1;
	for (n = 0;; n++)
		if (printf("linewriter line %lu: the quick brown fox\n",
		    n) < 0)
			return 1;
}
