# tests/hard.mk: the fuzz targets over the config parser and expander,
# the listener protocol, the capture-mode scanner and the bus codec.
#
# make check replays each committed corpus (tests/fuzz/NAME/) through the
# target built as a plain program (tests/fuzz_replay.c), so every seed and
# every crash input once found stays a regression test.
# make fuzz-all runs each target under libFuzzer (clang) for FUZZ_SECONDS
# (tests/rpc_methods.mk's); new inputs go to tests/fuzz-NAME-new.
FUZZ_NAMES = conf lp_proto capscan bus
check_PROGRAMS += tests/replay_conf tests/replay_lp_proto \
	tests/replay_capscan tests/replay_bus
TESTS += tests/fuzz_replay.sh
EXTRA_DIST += tests/fuzz_replay.sh tests/fuzz/conf tests/fuzz/lp_proto \
	tests/fuzz/capscan tests/fuzz/bus
tests_replay_conf_SOURCES = tests/fuzz_conf.c tests/fuzz_replay.c
tests_replay_conf_LDADD = libpmconf.a libbus.a $(NANOMSG_LIBS) $(EV_LIBS)
tests_replay_lp_proto_SOURCES = tests/fuzz_lp_proto.c tests/fuzz_replay.c
tests_replay_lp_proto_LDADD = liblisteners.a libbus.a $(NANOMSG_LIBS) \
	$(EV_LIBS)
tests_replay_capscan_SOURCES = tests/fuzz_capscan.c tests/fuzz_replay.c \
	procmgr/pm_capscan.c
tests_replay_capscan_LDADD = libbus.a $(NANOMSG_LIBS) $(EV_LIBS)
tests_replay_bus_SOURCES = tests/fuzz_bus.c tests/fuzz_replay.c
tests_replay_bus_LDADD = libbus.a $(NANOMSG_LIBS) $(EV_LIBS)

FUZZ_BUILD = $(FUZZ_CC) -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -I$(top_builddir) -I$(srcdir)/bus \
	-I$(srcdir)/procmgr -I$(srcdir)/listeners
fuzz_conf_SRC = tests/fuzz_conf.c procmgr/pm_ini.c procmgr/pm_expand.c \
	procmgr/pm_values.c procmgr/pm_conf.c procmgr/pm_conf_proc.c \
	procmgr/pm_conf_search.c procmgr/pm_conf_cmp.c
fuzz_lp_proto_SRC = tests/fuzz_lp_proto.c listeners/lp_proto.c \
	listeners/lp_event.c
fuzz_capscan_SRC = tests/fuzz_capscan.c procmgr/pm_capscan.c
fuzz_bus_SRC = tests/fuzz_bus.c
FUZZ_BUS_SRC = bus/bus_codec.c bus/log.c bus/xmalloc.c bus/signame.c

.PHONY: fuzz-all fuzz-conf fuzz-lp_proto fuzz-capscan fuzz-bus
fuzz-all: fuzz-conf fuzz-lp_proto fuzz-capscan fuzz-bus
fuzz-conf fuzz-lp_proto fuzz-capscan fuzz-bus:
	@n=$(@:fuzz-%=%); \
	case $$n in \
	conf) src="$(fuzz_conf_SRC)";; lp_proto) src="$(fuzz_lp_proto_SRC)";; \
	capscan) src="$(fuzz_capscan_SRC)";; bus) src="$(fuzz_bus_SRC)";; \
	esac; \
	set -x; \
	$(FUZZ_BUILD) `for f in $$src $(FUZZ_BUS_SRC); do \
	    echo $(srcdir)/$$f; done` $(EV_LIBS) -o tests/fuzz_$$n && \
	mkdir -p tests/fuzz-$$n-new && \
	./tests/fuzz_$$n -max_total_time=$(FUZZ_SECONDS) -max_len=8192 \
	    -timeout=10 -rss_limit_mb=1024 tests/fuzz-$$n-new \
	    $(srcdir)/tests/fuzz/$$n
CLEANFILES += tests/fuzz_conf tests/fuzz_lp_proto tests/fuzz_capscan \
	tests/fuzz_bus

# make lint: clang-tidy over the daemon's sources, every warning an
# error. The checks are the static analyzer's and bugprone-*, less those
# that only flag idioms used on purpose here: sizeof(*p) on arrays of
# pointers, products of constants, X-macro arguments, and the analyzer's
# va_list check (it misreads every va_list parameter in clang 14) and
# padding advice.
LINT_TIDY = clang-tidy
LINT_CHECKS = -*,clang-analyzer-*,-clang-analyzer-security.insecureAPI.*,\
-clang-analyzer-valist.Uninitialized,-clang-analyzer-optin.performance.*,\
bugprone-*,-bugprone-easily-swappable-parameters,\
-bugprone-reserved-identifier,-bugprone-narrowing-conversions,\
-bugprone-assignment-in-if-condition,-bugprone-sizeof-expression,\
-bugprone-implicit-widening-of-multiplication-result,\
-bugprone-macro-parentheses
LINT_SRCS = $(supervisord_SOURCES) $(libbus_a_SOURCES) $(libpmconf_a_SOURCES) \
	$(libprocmgr_a_SOURCES) $(liblisteners_a_SOURCES) \
	$(liblogger_a_SOURCES) $(librpc_a_SOURCES)
lint_empty =
lint_space = $(lint_empty) $(lint_empty)
.PHONY: lint
lint:
	$(LINT_TIDY) -quiet --checks='$(subst $(lint_space),,$(LINT_CHECKS))' \
	    --warnings-as-errors='*' `for f in $(filter %.c,$(LINT_SRCS)); \
	    do echo $(srcdir)/$$f; done` -- -I$(top_builddir) $(AM_CPPFLAGS) \
	    $(MHD_CFLAGS) $(NETTLE_CFLAGS) $(NANOMSG_CFLAGS)
