# procmgr/: the config model (libpmconf.a, also used by supervisorctl)
# and the process runtime (libprocmgr.a).
noinst_LIBRARIES += libpmconf.a libprocmgr.a
libpmconf_a_SOURCES = procmgr/pm.h procmgr/pm_states.def \
	procmgr/pm_conf_int.h procmgr/pm_ini.c procmgr/pm_expand.c \
	procmgr/pm_values.c procmgr/pm_conf.c procmgr/pm_conf_proc.c \
	procmgr/pm_conf_search.c procmgr/pm_conf_cmp.c
libprocmgr_a_SOURCES = procmgr/pm_int.h procmgr/pm.c procmgr/pm_fsm.c \
	procmgr/pm_spawn.c procmgr/pm_output.c procmgr/pm_group.c \
	procmgr/pm_capscan.h procmgr/pm_capscan.c
