# scripts/: helper programs installed beside supervisord.
bin_PROGRAMS += pidproxy echo_supervisord_conf
pidproxy_SOURCES = scripts/pidproxy.c
echo_supervisord_conf_SOURCES = scripts/echo_supervisord_conf.c
