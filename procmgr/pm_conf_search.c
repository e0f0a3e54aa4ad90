/*
 * pm_conf_search.c: where supervisord and supervisorctl look for their
 * config file when -c is not given, in 4.2.5's order.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "pm.h"
#include "pm_conf_int.h"

int
pm_config_search(const char *argv0, char *out, size_t outlen)
{
	const char	*fixed[] = { "supervisord.conf", "etc/supervisord.conf",
			    "/etc/supervisord.conf",
			    "/etc/supervisor/supervisord.conf" };
	char		*paths[6], *d1, *d2, *etc;
	struct stat	 st;
	size_t		 i, off = 0;
	int		 found = -1;

	/* X is dirname(dirname(argv0)), "/usr" for /usr/bin/supervisord */
	d1 = pm_path_dirname(argv0);
	d2 = pm_path_dirname(d1);
	etc = pm_path_join(d2, "etc");
	paths[0] = pm_path_join(etc, "supervisord.conf");
	paths[1] = pm_path_join(d2, "supervisord.conf");
	for (i = 0; i < 4; i++)
		paths[i + 2] = xstrdup(fixed[i]);
	for (i = 0; i < 6 && found == -1; i++)
		if (stat(paths[i], &st) == 0)
			found = i;
	if (outlen > 0)
		out[0] = '\0';
	if (found >= 0)
		snprintf(out, outlen, "%s", paths[found]);
	for (i = 0; found == -1 && i < 6 && off < outlen; i++)
		off += snprintf(out + off, outlen - off, "%s%s",
		    i > 0 ? ", " : "", paths[i]);
	for (i = 0; i < 6; i++)
		free(paths[i]);
	free(etc);
	free(d2);
	free(d1);
	return found >= 0 ? 0 : -1;
}
