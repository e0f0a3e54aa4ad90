# ctl/: supervisorctl, our client. It speaks XML-RPC over libcurl and
# reads its config with procmgr's INI reader (libpmconf.a).
bin_PROGRAMS += supervisorctl
supervisorctl_SOURCES = ctl/ctl.h ctl/ctl_main.c ctl/ctl_conf.c \
	ctl/ctl_http.c ctl/ctl_follow.c ctl/ctl_xmlrpc.c ctl/ctl_val.c \
	ctl/ctl_run.c ctl/ctl_util.c ctl/ctl_help.c ctl/ctl_cmds_status.c \
	ctl/ctl_cmds_proc.c ctl/ctl_cmds_log.c ctl/ctl_cmds_fg.c \
	ctl/ctl_cmds_conf.c ctl/ctl_cmds_update.c ctl/ctl_shell.c \
	ctl/ctl_complete.c ctl/ctl_cmds_bus.c
supervisorctl_CPPFLAGS = $(AM_CPPFLAGS) -I$(srcdir)/ctl
supervisorctl_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS) $(EDIT_CFLAGS) \
	$(EXPAT_CFLAGS)
supervisorctl_LDADD = libpmconf.a libbus.a $(CURL_LIBS) $(EDIT_LIBS) \
	$(EXPAT_LIBS)
