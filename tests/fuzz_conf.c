/*
 * fuzz_conf.c: libFuzzer target over the config parser (INI dialect,
 * %-expansion, every section) through pm_config_load on a scratch file,
 * and over pm_expand alone on the same bytes. Built by `make fuzz-all`.
 * Inputs naming [include] are skipped: they would read files of the host.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pm.h"
#include "pm_conf_int.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	 fuzz_path[64];
static int	 fuzz_fd = -1;

static void
fuzz_conf_unlink(void)
{
	(void)unlink(fuzz_path);
}

static void
fuzz_conf_expand(const char *s)
{
	struct pm_expvars	 vs = PM_EXPVARS_ZERO;
	char			*out, err[512];

	pm_expvars_set(&vs, "here", "/tmp");
	pm_expvars_set(&vs, "program_name", "p");
	pm_expvars_set_num(&vs, "process_num", 3);
	if (pm_expand(s, &vs, "fuzz", &out, err, sizeof(err)) == 0)
		free(out);
	pm_expvars_free(&vs);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pm_config	*cfg;
	char			*s, err[1024];

	if (memmem(data, size, "include", 7) != NULL)
		return 0;
	if (fuzz_fd == -1) {
		snprintf(fuzz_path, sizeof(fuzz_path), "/tmp/fuzzconf.XXXXXX");
		if ((fuzz_fd = mkstemp(fuzz_path)) == -1)
			abort();
		atexit(fuzz_conf_unlink);
	}
	if (ftruncate(fuzz_fd, 0) == -1 ||
	    pwrite(fuzz_fd, data, size, 0) != (ssize_t)size)
		abort();
	if ((cfg = pm_config_load(fuzz_path, NULL, err, sizeof(err))) != NULL)
		pm_config_free(cfg);

	s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	fuzz_conf_expand(s);
	free(s);
	return 0;
}
