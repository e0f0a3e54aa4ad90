# scripts/: helper programs installed beside supervisord, sample
# listeners, and the fast listener used by benchmarks.
bin_PROGRAMS += pidproxy echo_supervisord_conf
pidproxy_SOURCES = scripts/pidproxy.c
echo_supervisord_conf_SOURCES = scripts/echo_supervisord_conf.c
nodist_echo_supervisord_conf_SOURCES = scripts/sample_conf.h

# The sample config is kept as a plain file and compiled in as one C
# string: each line is escaped and quoted.
scripts/sample_conf.h: $(srcdir)/scripts/sample.conf
	$(AM_V_GEN)$(MKDIR_P) scripts && \
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' \
	    $(srcdir)/scripts/sample.conf > $@.tmp && mv $@.tmp $@
scripts/echo_supervisord_conf.$(OBJEXT): scripts/sample_conf.h
CLEANFILES += scripts/sample_conf.h

EXTRA_DIST += scripts/sample.conf scripts/listener_ok.sh \
	scripts/listener_once.sh

# Not installed: a minimal C event listener for benchmarks and tests.
check_PROGRAMS += scripts/listener_ok
scripts_listener_ok_SOURCES = scripts/listener_ok.c

# tap: print bus events live or replay a flight-recorder file (libnvbus).
bin_PROGRAMS += tap
tap_SOURCES = scripts/tap.h scripts/tap.c scripts/tap_out.c \
	scripts/tap_replay.c
tap_CPPFLAGS = $(AM_CPPFLAGS) -I$(srcdir)/scripts
tap_LDADD = libnvbus.a $(NANOMSG_LIBS) $(CURL_LIBS) $(EXPAT_LIBS)
