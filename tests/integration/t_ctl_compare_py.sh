#!/bin/sh
# t_ctl_compare against two copies of Python's supervisord 4.2.5.
CTL_DAEMON=py
. "$(dirname "$0")/t_ctl_compare.sh"
