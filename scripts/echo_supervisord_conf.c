/*
 * echo_supervisord_conf: print a commented sample supervisord.conf.
 *
 * The text lives in scripts/sample.conf; the build turns it into the
 * string below (scripts/sample_conf.h), so the file stays readable and
 * the program needs nothing at run time. Arguments are ignored, as with
 * 4.2.5's script of the same name.
 */
#include <stdio.h>

static const char echo_sample_conf[] =
#include "scripts/sample_conf.h"
    ;

int
main(void)
{
	if (fputs(echo_sample_conf, stdout) == EOF || fflush(stdout) == EOF) {
		perror("echo_supervisord_conf");
		return 1;
	}
	return 0;
}
