# rpc/: the HTTP server (libmicrohttpd in our loop) and, through
# rpc/methods.mk, the XML-RPC codec and Supervisor's API.
noinst_LIBRARIES += librpc.a
librpc_a_SOURCES = rpc/rpc.h rpc/rpc_int.h rpc/rpc_http_int.h rpc/rpc.c \
	rpc/rpc_listen.c rpc/rpc_http.c rpc/rpc_auth.c rpc/rpc_logtail.c \
	rpc/rpc_text.c
librpc_a_CPPFLAGS = $(AM_CPPFLAGS) -I$(srcdir)/rpc
librpc_a_CFLAGS = $(AM_CFLAGS) $(MHD_CFLAGS) $(NETTLE_CFLAGS) \
	$(EXPAT_CFLAGS)
include rpc/methods.mk

# The web page, its actions, the SSE stream and /metrics. The page's
# files (rpc/web/) are compiled in as strings by rpc/web/embed.sh.
librpc_a_SOURCES += rpc/rpc_web.c rpc/rpc_sse.c rpc/rpc_metrics.c
nodist_librpc_a_SOURCES = rpc/rpc_web_files.h
RPC_WEB_FILES = $(srcdir)/rpc/web/index.html $(srcdir)/rpc/web/tail.html \
	$(srcdir)/rpc/web/app.js $(srcdir)/rpc/web/style.css
rpc/rpc_web_files.h: $(RPC_WEB_FILES) $(srcdir)/rpc/web/embed.sh
	$(AM_V_GEN)$(MKDIR_P) rpc && \
	$(SHELL) $(srcdir)/rpc/web/embed.sh $(RPC_WEB_FILES) > $@.tmp && \
	mv $@.tmp $@
rpc/librpc_a-rpc_web.$(OBJEXT): rpc/rpc_web_files.h
CLEANFILES += rpc/rpc_web_files.h
EXTRA_DIST += rpc/web/index.html rpc/web/tail.html rpc/web/app.js \
	rpc/web/style.css rpc/web/embed.sh
