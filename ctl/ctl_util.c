/*
 * ctl_util.c: string helpers the commands share: word splitting and
 * Supervisor's namespecs.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "log.h"

void
ctl_split_namespec(const char *spec, char **group, char **name)
{
	const char	*colon = strchr(spec, ':');

	if (colon == NULL) {
		*group = xstrdup(spec);
		*name = xstrdup(spec);
		return;
	}
	*group = xstrdup(spec);
	(*group)[colon - spec] = '\0';
	if (colon[1] == '\0' || strcmp(colon + 1, "*") == 0)
		*name = NULL;
	else
		*name = xstrdup(colon + 1);
}

char *
ctl_namespec(const char *group, const char *name)
{
	char	*s;

	if (name == NULL || strcmp(group, name) == 0)
		return xstrdup(group);
	xasprintf(&s, "%s:%s", group, name);
	return s;
}

char **
ctl_split(const char *s, size_t *np)
{
	char	**v = xcalloc(1, sizeof(*v));
	size_t	 n = 0, len;

	for (;;) {
		while (isspace((unsigned char)*s))
			s++;
		if (*s == '\0')
			break;
		for (len = 0; s[len] != '\0' &&
		    !isspace((unsigned char)s[len]); len++)
			;
		v = xreallocarray(v, n + 2, sizeof(*v));
		v[n] = xmalloc(len + 1);
		memcpy(v[n], s, len);
		v[n++][len] = '\0';
		v[n] = NULL;
		s += len;
	}
	if (np != NULL)
		*np = n;
	return v;
}

void
ctl_strv_free(char **v)
{
	size_t	 i;

	if (v == NULL)
		return;
	for (i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

bool
ctl_strv_has(char **v, const char *s)
{
	for (; *v != NULL; v++)
		if (strcmp(*v, s) == 0)
			return true;
	return false;
}
