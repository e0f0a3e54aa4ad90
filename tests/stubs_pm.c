/*
 * stubs_pm.c: link-time stand-ins for the pm.h calls the logger makes,
 * so its unit tests link without the process runtime. A test hands in
 * the groups "procmgr" would be running.
 */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "pm.h"

void	 stub_pm_groups_set(const struct pm_groupconf *, size_t);

static const struct pm_groupconf *stub_groups;
static size_t stub_ngroups;

/* The groups pm_group_conf answers from (borrowed, may be NULL). */
void
stub_pm_groups_set(const struct pm_groupconf *groups, size_t n)
{
	stub_groups = groups;
	stub_ngroups = n;
}

const struct pm_groupconf *
pm_group_conf(struct pm *pm, const char *group)
{
	size_t	 i;

	for (i = 0; i < stub_ngroups; i++)
		if (strcmp(stub_groups[i].name, group) == 0)
			return &stub_groups[i];
	return NULL;
}
