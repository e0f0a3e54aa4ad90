# tests/scripts.mk: the integration runner. It runs every
# tests/integration/t_*.sh, whoever adds them, against the built binaries;
# `make check` builds all programs (supervisord, pidproxy,
# echo_supervisord_conf) and check_PROGRAMS (scripts/listener_ok) first.
# A failed scenario's output stays in tests/integration-results/.
TESTS += tests/integration/run.sh
EXTRA_DIST += tests/integration/run.sh tests/integration/lib.sh \
	tests/integration/t_pidproxy.sh tests/integration/t_echo_conf.sh
