/*
 * fuzz_replay.c: main() for a fuzz target built without libFuzzer, so
 * that `make check` replays the committed corpora (and every crash
 * turned into a seed) with any compiler, under ASan too.
 *
 *	replay_NAME FILE|DIR ...
 */
#include <sys/stat.h>

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
replay_file(const char *path)
{
	FILE	*f;
	char	*buf = NULL;
	size_t	 len = 0, cap = 0, n;

	if ((f = fopen(path, "rb")) == NULL) {
		perror(path);
		return -1;
	}
	do {
		if (len == cap)
			buf = realloc(buf, cap = cap * 2 + 4096);
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	fclose(f);
	LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
	free(buf);
	return 0;
}

static int
replay_path(const char *path, int *count)
{
	struct stat	 st;
	struct dirent	*de;
	DIR		*d;
	char		 sub[4096];
	int		 rc = 0;

	if (stat(path, &st) == -1) {
		perror(path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		(*count)++;
		return replay_file(path);
	}
	if ((d = opendir(path)) == NULL) {
		perror(path);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
		if (replay_path(sub, count) == -1)
			rc = -1;
	}
	closedir(d);
	return rc;
}

int
main(int argc, char **argv)
{
	int	 i, rc = 0, count = 0;

	for (i = 1; i < argc; i++)
		if (replay_path(argv[i], &count) == -1)
			rc = 1;
	printf("%s: %d inputs replayed\n", argv[0], count);
	return rc;
}
