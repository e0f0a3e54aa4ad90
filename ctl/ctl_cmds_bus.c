/*
 * ctl_cmds_bus.c: commands for our own nanovisor.* methods, beside 4.2.5's
 * set. Against a daemon without them (Python supervisord) they say so.
 *
 *	firedrill TYPE [field=value ...]
 *
 * publishes a synthetic event (nanovisor.fireEvent) that listeners and
 * bus subscribers receive like a real one, to test alerting end to end.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "log.h"

/* Fields fireEvent takes as ints; every other one is a string. */
static bool
firedrill_intfield(const char *key)
{
	static const char *const ints[] = { "pid", "tries", "expected",
	    "when" };
	size_t	 i;

	for (i = 0; i < sizeof(ints) / sizeof(ints[0]); i++)
		if (strcmp(key, ints[i]) == 0)
			return true;
	return false;
}

/* "k=v" words into key and value pairs, int keys marked with '#'. */
static char **
firedrill_fields(char **words, size_t n, const char **bad)
{
	char	**kv = xcalloc(2 * n + 1, sizeof(*kv));
	char	 *eq;
	size_t	  i;

	for (i = 0; i < n; i++) {
		if ((eq = strchr(words[i], '=')) == NULL || eq == words[i]) {
			*bad = words[i];
			ctl_strv_free(kv);
			return NULL;
		}
		*eq = '\0';
		xasprintf(&kv[2 * i], "%s%s",
		    firedrill_intfield(words[i]) ? "#" : "", words[i]);
		kv[2 * i + 1] = xstrdup(eq + 1);
	}
	return kv;
}

int
ctl_cmd_firedrill(struct ctl *ctl, const char *arg)
{
	struct ctl_val	*v;
	struct ctl_err	 e;
	char		**words, **kv;
	const char	*bad = NULL;
	size_t		 n;
	int		 rc;

	words = ctl_split(arg, &n);
	if (n == 0) {
		ctl_output("Error: firedrill requires an event type");
		ctl_help_cmd("firedrill");
		ctl->exitstatus = CTL_EX_GENERIC;
		ctl_strv_free(words);
		return 0;
	}
	if ((kv = firedrill_fields(words + 1, n - 1, &bad)) == NULL) {
		ctl_output("Error: %s is not field=value", bad);
		ctl->exitstatus = CTL_EX_GENERIC;
		ctl_strv_free(words);
		return 0;
	}
	if ((rc = ctl_upcheck(ctl)) != 1) {
		ctl_strv_free(kv);
		ctl_strv_free(words);
		return rc;
	}
	if (ctl_call(ctl, &v, &e, "nanovisor.fireEvent", "sF", words[0],
	    kv) == 0) {
		ctl_output("%s: synthetic event published, serial %lld",
		    words[0], v->type == CTL_V_INT ? v->i : -1LL);
		ctl_val_free(v);
		rc = 0;
	} else if (e.kind == CTL_E_FAULT && e.code == CTL_F_UNKNOWN_METHOD) {
		ctl_output("ERROR: this supervisord has no fire drill "
		    "(nanovisor.fireEvent)");
		ctl->exitstatus = CTL_EX_GENERIC;
		rc = 0;
	} else if (e.kind == CTL_E_FAULT) {
		ctl_output("ERROR: %s", e.msg);
		ctl->exitstatus = CTL_EX_GENERIC;
		rc = 0;
	} else
		rc = ctl_raise(ctl, &e);
	ctl_strv_free(kv);
	ctl_strv_free(words);
	return rc;
}
