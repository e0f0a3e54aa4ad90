# tests/scripts.mk: the integration runner. It runs every
# tests/integration/t_*.sh, whoever adds them, against the built binaries;
# `make check` builds all programs (supervisord, pidproxy,
# echo_supervisord_conf) and check_PROGRAMS (scripts/listener_ok) first.
# A failed scenario's output stays in tests/integration-results/.
TESTS += tests/integration/run.sh
# The whole folder: every scenario anyone adds ships with the tarball.
EXTRA_DIST += tests/integration
