# tests/integration.mk: the supervisord scenarios. tests/scripts.mk runs
# them all (run.sh) and ships the folder; each is also listed here.
EXTRA_DIST += tests/integration/t_reload.sh tests/integration/t_logreopen.sh \
	tests/integration/t_rotation.sh tests/integration/t_bus_external.sh \
	tests/integration/t_config_errors.sh tests/integration/t_daemonize.sh \
	tests/integration/t_spawn_errors.sh tests/integration/t_output.sh \
	tests/integration/t_user.sh tests/integration/t_fcgi.sh \
	tests/integration/t_demo.sh tests/integration/t_reload_term.sh
EXTRA_DIST += tests/integration/t_bus_catchup.sh \
	tests/integration/t_bus_subscribers.sh \
	tests/integration/t_bus_firedrill.sh tests/integration/t_bus_fd_limit.sh \
	tests/integration/bus_rpc.py
EXTRA_DIST += tests/integration/t_web_browser.sh tests/integration/t_sse.sh \
	tests/integration/t_metrics.sh tests/web/package.json \
	tests/web/package-lock.json tests/web/lib.js tests/web/web_test.js \
	tests/web/web_csrf.js tests/web/bench.js

# What t_web_browser and bench/web.sh leave in the build dir: the npm
# install of playwright-core and the screenshots.
clean-local: clean-web
.PHONY: clean-web
clean-web:
	rm -rf tests/web-node tests/web-results
EXTRA_DIST += tests/integration/t_ctl_compare.sh tests/integration/t_ctl_errors.sh \
	tests/integration/t_ctl_shell.sh tests/integration/t_ctl_compare_py.sh
EXTRA_DIST += tests/integration/t_fault_listener.sh \
	tests/integration/t_fault_flood.sh tests/integration/t_fault_kill9.sh \
	tests/integration/t_fault_startstop.sh \
	tests/integration/t_fault_sighup.sh tests/integration/t_fault_emfile.sh \
	tests/integration/t_fault_diskfull.sh \
	tests/integration/t_fault_slowloris.sh \
	tests/integration/t_security.sh tests/integration/unixrpc.py
