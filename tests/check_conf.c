/*
 * check_conf.c: the config parser. Every test runs in its own temporary
 * directory (the working directory too) with a small known environment,
 * writes c.conf there and loads it. Expected messages are 4.2.5's texts
 * with nanovisor's location suffix.
 */
#include <sys/stat.h>

#include <check.h>
#include <dirent.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "pm.h"
#include "pm_conf_int.h"

void	conf_dump_print(FILE *, const struct pm_config *);
int	conf_dump_file(FILE *, const char *);

static char		 tdir[PATH_MAX];
static char		 err[8192];
static struct pm_config	*cfg;

static void
setup(void)
{
	snprintf(tdir, sizeof(tdir), "/tmp/check_conf.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tdir));
	ck_assert_int_eq(chdir(tdir), 0);
	clearenv();
	setenv("HOME", tdir, 1);
	setenv("TMPDIR", tdir, 1);
	setenv("NV_TEST", "hello", 1);
	cfg = NULL;
	err[0] = '\0';
}

static void
teardown(void)
{
	char	 cmd[PATH_MAX + 16];

	pm_config_free(cfg);
	cfg = NULL;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tdir);
	if (system(cmd) != 0)
		ck_abort_msg("cannot remove %s", tdir);
}

static void
put(const char *name, const char *fmt, ...)
{
	va_list	 ap;
	FILE	*f;

	ck_assert_ptr_nonnull(f = fopen(name, "w"));
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fclose(f);
}

/* Load c.conf written from text; cfg is NULL and err set on failure. */
static struct pm_config *
load(const char *text)
{
	pm_config_free(cfg);
	put("c.conf", "%s", text);
	cfg = pm_config_load("c.conf", NULL, err, sizeof(err));
	return cfg;
}

#define SD	"[supervisord]\n"
#define OK(text)	ck_assert_msg(load(text) != NULL, "load: %s", err)
#define FAILS(text, msg) do {						\
	ck_assert_ptr_null(load(text));					\
	ck_assert_str_eq(err, msg);					\
} while (0)

static const struct pm_procconf *
proc(size_t g, size_t p)
{
	ck_assert_uint_lt(g, cfg->ngroups);
	ck_assert_uint_lt(p, cfg->groups[g].nprocs);
	return &cfg->groups[g].procs[p];
}

/* ---- INI dialect ---- */

START_TEST(equals_and_colon_both_separate_key_and_value)
{
	OK(SD "identifier: one:two\n[program:a]\ncommand = x=y\n");
	ck_assert_str_eq(cfg->sd.identifier, "one:two");
	ck_assert_str_eq(proc(0, 0)->command, "x=y");
}
END_TEST

START_TEST(option_names_are_lowercased_but_section_names_are_not)
{
	OK(SD "IDENTIFIER=up\n[Program:a]\ncommand=x\n");
	ck_assert_str_eq(cfg->sd.identifier, "up");
	ck_assert_uint_eq(cfg->ngroups, 0);
}
END_TEST

START_TEST(inline_comment_needs_whitespace_and_cuts_even_inside_quotes)
{
	OK(SD "identifier=a;b\n[program:a]\ncommand=bash -c 'a ; b'\n"
	    "[program:b]\ncommand=x\t# tab comment\n");
	ck_assert_str_eq(cfg->sd.identifier, "a;b");
	ck_assert_str_eq(proc(0, 0)->command, "bash -c 'a");
	ck_assert_str_eq(proc(1, 0)->command, "x");
}
END_TEST

START_TEST(full_line_comments_are_skipped_even_inside_a_value)
{
	OK(SD "environment=A=1,\n  ; a comment\n  # another\n  B=2\n"
	    "  ;x\n");
	ck_assert_str_eq(cfg->sd.environment[0], "A=1");
	ck_assert_str_eq(cfg->sd.environment[1], "B=2");
	ck_assert_ptr_null(cfg->sd.environment[2]);
}
END_TEST

START_TEST(indented_lines_continue_the_value_with_a_newline)
{
	struct pm_ini	 ini;

	memset(&ini, 0, sizeof(ini));
	ck_assert_int_eq(pm_ini_read_string(&ini, "[s]\nk = a\n   b\n\n"
	    "\tc\n\n\n[t]\n", "x", err, sizeof(err)), 0);
	ck_assert_str_eq(pm_ini_get(&ini, pm_ini_section(&ini, "s"),
	    "k")->value, "a\nb\n\nc");
	ck_assert_int_eq(pm_ini_get(&ini, pm_ini_section(&ini, "s"),
	    "k")->line, 2);
	pm_ini_free(&ini);
}
END_TEST

START_TEST(duplicate_sections_merge_and_the_last_key_wins)
{
	OK(SD "identifier=one\n[program:a]\ncommand=x\n[supervisord]\n"
	    "identifier=two\nnodaemon=true\n[program:a]\ncommand=y\n");
	ck_assert_str_eq(cfg->sd.identifier, "two");
	ck_assert(cfg->sd.nodaemon);
	ck_assert_uint_eq(cfg->ngroups, 1);
	ck_assert_str_eq(proc(0, 0)->command, "y");
}
END_TEST

START_TEST(default_section_supplies_values_to_every_section)
{
	OK("[DEFAULT]\nautorestart=true\nstartsecs=7\n" SD
	    "[program:a]\ncommand=x\n[program:b]\ncommand=y\nstartsecs=2\n");
	ck_assert_int_eq(proc(0, 0)->autorestart, PM_RESTART_TRUE);
	ck_assert_int_eq(proc(0, 0)->startsecs, 7);
	ck_assert_int_eq(proc(1, 0)->startsecs, 2);
}
END_TEST

START_TEST(unknown_sections_and_keys_are_ignored)
{
	OK(SD "bogus=1\n[whatever]\nx=y\n[ctlplugin:p]\n"
	    "supervisor.ctl_factory=a.b:c\n[program:a]\ncommand=x\nfoo=bar\n");
	ck_assert_uint_eq(cfg->ngroups, 1);
}
END_TEST

START_TEST(syntax_errors_list_every_bad_line_with_file_and_line)
{
	FAILS(SD "nodaemon=true\njunk\n[x]\nmore junk\n",
	    "Source contains parsing errors: 'c.conf'\n"
	    "\t[line  3]: 'junk\\n'\n\t[line  5]: 'more junk\\n'");
}
END_TEST

START_TEST(a_file_without_a_section_header_is_refused)
{
	FAILS("a=b\n" SD, "File contains no section headers.\n"
	    "file: 'c.conf', line: 1\n'a=b\\n'");
}
END_TEST

START_TEST(missing_supervisord_section_is_refused_naming_the_file)
{
	FAILS("[program:a]\ncommand=x\n", ".ini file does not include "
	    "supervisord section (file: 'c.conf')");
}
END_TEST

START_TEST(missing_and_unreadable_files_give_4_2_5_messages)
{
	ck_assert_ptr_null(pm_config_load("nope.conf", NULL, err,
	    sizeof(err)));
	ck_assert_str_eq(err, "could not find config file nope.conf");
	ck_assert_int_eq(mkdir("d.conf", 0700), 0);
	ck_assert_ptr_null(pm_config_load("d.conf", NULL, err, sizeof(err)));
	ck_assert_str_eq(err, "could not read config file d.conf");
}
END_TEST

/* ---- expansion ---- */

START_TEST(here_and_env_names_expand_in_supervisord)
{
	char	 want[PATH_MAX + 32];

	OK(SD "identifier=%(here)s/%(ENV_NV_TEST)s\n");
	snprintf(want, sizeof(want), "%s/hello", tdir);
	ck_assert_str_eq(cfg->sd.identifier, want);
}
END_TEST

START_TEST(process_num_takes_a_format_spec_and_percent_percent_is_literal)
{
	OK(SD "[program:a]\ncommand=run %(process_num)02d 100%%\n"
	    "process_name=%(program_name)s_%(process_num)d\nnumprocs=2\n"
	    "numprocs_start=9\n");
	ck_assert_str_eq(proc(0, 0)->name, "a_10");
	ck_assert_str_eq(proc(0, 0)->command, "run 10 100%");
	ck_assert_str_eq(proc(0, 1)->name, "a_9");
	ck_assert_str_eq(proc(0, 1)->command, "run 09 100%");
	ck_assert_int_eq(proc(0, 1)->process_num, 9);
}
END_TEST

START_TEST(unknown_name_lists_the_available_names_sorted)
{
	FAILS(SD "[program:a]\ncommand=%(nope)s\n",
	    "Format string '%(nope)s' for 'program:a.command' contains names "
	    "('nope') which cannot be expanded. Available names: ENV_HOME, "
	    "ENV_NV_TEST, ENV_TMPDIR, group_name, here, host_node_name, "
	    "numprocs, process_num, program_name in section 'program:a' "
	    "(file: 'c.conf', line 3, option 'command')");
}
END_TEST

START_TEST(process_num_is_not_available_to_section_wide_options)
{
	FAILS(SD "[program:a]\ncommand=x\nstartsecs=%(process_num)s\n",
	    "Format string '%(process_num)s' for 'program:a.startsecs' "
	    "contains names ('process_num') which cannot be expanded. "
	    "Available names: ENV_HOME, ENV_NV_TEST, ENV_TMPDIR, group_name, "
	    "here, host_node_name, program_name in section 'program:a' "
	    "(file: 'c.conf', line 4, option 'startsecs')");
	/* the group's priority is read first, with fewer names still */
	FAILS(SD "[program:a]\ncommand=x\npriority=%(program_name)s\n",
	    "Format string '%(program_name)s' for 'program:a.priority' "
	    "contains names ('program_name') which cannot be expanded. "
	    "Available names: ENV_HOME, ENV_NV_TEST, ENV_TMPDIR, here in "
	    "section 'program:a' (file: 'c.conf', line 4, option "
	    "'priority')");
}
END_TEST

START_TEST(badly_formatted_values_give_pythons_reason)
{
	FAILS(SD "identifier=50%\n", "Format string '50%' for "
	    "'supervisord.identifier' is badly formatted: incomplete format "
	    "in section 'supervisord' (file: 'c.conf', line 2, option "
	    "'identifier')");
	FAILS(SD "identifier=%(here\n", "Format string '%(here' for "
	    "'supervisord.identifier' is badly formatted: incomplete format "
	    "key in section 'supervisord' (file: 'c.conf', line 2, option "
	    "'identifier')");
	FAILS(SD "identifier=%(here)z\n", "Format string '%(here)z' for "
	    "'supervisord.identifier' is badly formatted: unsupported format "
	    "character 'z' (0x7a) at index 7 in section 'supervisord' (file: "
	    "'c.conf', line 2, option 'identifier')");
	FAILS(SD "identifier=%(here)d\n", "Format string '%(here)d' for "
	    "'supervisord.identifier' is badly formatted: %d format: a real "
	    "number is required, not str in section 'supervisord' (file: "
	    "'c.conf', line 2, option 'identifier')");
}
END_TEST

START_TEST(expansion_formats_numbers_and_strings_like_python)
{
	struct pm_expvars vs = PM_EXPVARS_ZERO;
	char	*out;

	pm_expvars_set(&vs, "s", "str");
	pm_expvars_set_num(&vs, "n", 7);
	ck_assert_int_eq(pm_expand("[%(s)-5s|%(n)5.1f|%(n)#x|%(n)+d|%(s).1s|"
	    "%(s)r|%(n)03i|%(n)#o]", &vs, "w", &out, err, sizeof(err)), 0);
	ck_assert_str_eq(out, "[str  |  7.0|0x7|+7|s|'str'|007|0o7]");
	free(out);
	pm_expvars_free(&vs);
}
END_TEST

START_TEST(supervisord_environment_is_expanded_once_so_percent_works)
{
	OK(SD "environment=A=\"100%%\",B=%(host_node_name)s\n");
	ck_assert_str_eq(cfg->sd.environment[0], "A=100%");
	ck_assert_uint_gt(strlen(cfg->sd.environment[1]), 2);
}
END_TEST

START_TEST(environment_entries_become_env_names_for_programs)
{
	OK(SD "environment=G=global\n[program:a]\nenvironment=P=own,G=mine\n"
	    "command=%(ENV_P)s %(ENV_G)s\ndirectory=/%(ENV_P)s\n"
	    "[program:b]\ncommand=%(ENV_G)s\n");
	ck_assert_str_eq(proc(0, 0)->command, "own mine");
	ck_assert_str_eq(proc(0, 0)->directory, "/own");
	ck_assert_str_eq(proc(0, 0)->environment[0], "G=mine");
	ck_assert_str_eq(proc(0, 0)->environment[1], "P=own");
	ck_assert_str_eq(proc(1, 0)->command, "global");
	ck_assert_str_eq(proc(1, 0)->environment[0], "G=global");
}
END_TEST

/* ---- value types ---- */

START_TEST(booleans_accept_the_python_words_only)
{
	OK(SD "nodaemon=YES\nsilent=off\nnocleanup=1\nstrip_ansi=On\n");
	ck_assert(cfg->sd.nodaemon && !cfg->sd.silent && cfg->sd.nocleanup &&
	    cfg->sd.strip_ansi);
	FAILS(SD "nodaemon=maybe\n", "not a valid boolean value: 'maybe' in "
	    "section 'supervisord' (file: 'c.conf', line 2, option "
	    "'nodaemon')");
}
END_TEST

START_TEST(integers_follow_python_int)
{
	OK(SD "minfds= 2_048 \n");
	ck_assert_int_eq(cfg->sd.minfds, 2048);
	FAILS(SD "minfds=abc\n", "invalid literal for int() with base 10: "
	    "'abc' in section 'supervisord' (file: 'c.conf', line 2, option "
	    "'minfds')");
	FAILS(SD "[program:a]\ncommand=x\nstartsecs=1.5\n", "invalid literal "
	    "for int() with base 10: '1.5' in section 'program:a' (file: "
	    "'c.conf', line 4, option 'startsecs')");
}
END_TEST

START_TEST(byte_sizes_take_kb_mb_gb_and_nothing_else)
{
	long long v;

	ck_assert_int_eq(pm_val_bytes("10 MB", &v, err, sizeof(err)), 0);
	ck_assert_int_eq(v, 10LL << 20);
	ck_assert_int_eq(pm_val_bytes("1kb", &v, err, sizeof(err)), 0);
	ck_assert_int_eq(v, 1024);
	ck_assert_int_eq(pm_val_bytes("2GB", &v, err, sizeof(err)), 0);
	ck_assert_int_eq(v, 2LL << 30);
	ck_assert_int_eq(pm_val_bytes("-1", &v, err, sizeof(err)), 0);
	ck_assert_int_eq(v, -1);
	ck_assert_int_eq(pm_val_bytes("10B", &v, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "invalid literal for int() with base 10: '10b'");
	ck_assert_int_eq(pm_val_bytes("1.5MB", &v, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "invalid literal for int() with base 10: '1.5'");
	ck_assert_int_eq(pm_val_bytes("10K", &v, err, sizeof(err)), -1);
}
END_TEST

START_TEST(octals_take_a_leading_zero_or_0o)
{
	int	 v;

	ck_assert_int_eq(pm_val_octal("022", &v, err, sizeof(err)), 0);
	ck_assert_int_eq(v, 022);
	ck_assert_int_eq(pm_val_octal("0o77", &v, err, sizeof(err)), 0);
	ck_assert_int_eq(v, 077);
	FAILS(SD "umask=089\n", "089 can not be converted to an octal type "
	    "in section 'supervisord' (file: 'c.conf', line 2, option "
	    "'umask')");
}
END_TEST

START_TEST(signals_are_names_in_any_case_or_valid_numbers)
{
	int	 v;

	ck_assert_int_eq(pm_val_signal("sigterm", &v, err, sizeof(err)), 0);
	ck_assert_int_eq(v, SIGTERM);
	ck_assert_int_eq(pm_val_signal("hup", &v, err, sizeof(err)), 0);
	ck_assert_int_eq(v, SIGHUP);
	ck_assert_int_eq(pm_val_signal("9", &v, err, sizeof(err)), 0);
	ck_assert_int_eq(v, 9);
	ck_assert_int_eq(pm_val_signal("FOO", &v, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "value 'FOO' is not a valid signal name");
	ck_assert_int_eq(pm_val_signal("99", &v, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "value '99' is not a valid signal number");
}
END_TEST

START_TEST(exitcodes_are_a_list_of_0_to_255)
{
	OK(SD "[program:a]\ncommand=x\nexitcodes=0, 2,255\n"
	    "[program:b]\ncommand=x\nexitcodes=\n");
	ck_assert(pm_exitcode_expected(proc(0, 0), 0));
	ck_assert(pm_exitcode_expected(proc(0, 0), 2));
	ck_assert(pm_exitcode_expected(proc(0, 0), 255));
	ck_assert(!pm_exitcode_expected(proc(0, 0), 1));
	ck_assert(!pm_exitcode_expected(proc(1, 0), 0));
	FAILS(SD "[program:a]\ncommand=x\nexitcodes=0,256\n", "not a valid "
	    "list of exit codes: '0,256' in section 'program:a' (file: "
	    "'c.conf', line 4, option 'exitcodes')");
}
END_TEST

START_TEST(autorestart_takes_true_false_or_unexpected)
{
	OK(SD "[program:a]\ncommand=x\nautorestart=Unexpected\n"
	    "[program:b]\ncommand=x\nautorestart=off\n");
	ck_assert_int_eq(proc(0, 0)->autorestart, PM_RESTART_UNEXPECTED);
	ck_assert_int_eq(proc(1, 0)->autorestart, PM_RESTART_FALSE);
	FAILS(SD "[program:a]\ncommand=x\nautorestart=Sometimes\n",
	    "invalid 'autorestart' value 'sometimes' in section 'program:a' "
	    "(file: 'c.conf', line 4, option 'autorestart')");
}
END_TEST

START_TEST(users_must_exist)
{
	OK(SD "[program:a]\ncommand=x\nuser=root\n[program:b]\ncommand=x\n"
	    "user=0\n");
	ck_assert_int_eq(proc(0, 0)->uid, 0);
	ck_assert_int_eq(proc(1, 0)->gid, 0);
	FAILS(SD "[program:a]\ncommand=x\nuser=no_such_user_x\n",
	    "Invalid user name no_such_user_x in section 'program:a' (file: "
	    "'c.conf', line 4, option 'user')");
	FAILS(SD "user=4000000000\n", "Invalid user id 4000000000 in "
	    "section 'supervisord' (file: 'c.conf', line 2, option 'user')");
}
END_TEST

START_TEST(log_levels_are_supervisors_names_only)
{
	OK(SD "loglevel=DEBUG\n");
	ck_assert_int_eq(cfg->sd.loglevel, LOG_DEBG);
	FAILS(SD "loglevel=warning\n", "bad logging level name 'warning' in "
	    "section 'supervisord' (file: 'c.conf', line 2, option "
	    "'loglevel')");
}
END_TEST

START_TEST(logfile_names_are_none_auto_syslog_or_a_path_in_an_existing_dir)
{
	OK(SD "[program:a]\ncommand=x\nstdout_logfile=NONE\n"
	    "stderr_logfile=~/e.log\n[program:b]\ncommand=x\n"
	    "stdout_logfile=syslog\nstderr_logfile=off\n");
	ck_assert_ptr_null(proc(0, 0)->out.path);
	ck_assert(!proc(0, 0)->out.is_auto);
	ck_assert_str_eq(proc(0, 0)->err.path + strlen(tdir), "/e.log");
	ck_assert(proc(1, 0)->out.syslog);
	ck_assert_ptr_null(proc(1, 0)->out.path);
	ck_assert_str_eq(cfg->msgs[0].text, "For [program:b], "
	    "stdout_logfile=syslog but this is deprecated and will be "
	    "removed.  Use stdout_syslog=true to enable syslog instead.");
	FAILS(SD "[program:a]\ncommand=x\nstdout_logfile=/no/such/dir/f\n",
	    "The directory named as part of the path /no/such/dir/f does not "
	    "exist in section 'program:a' (file: 'c.conf', line 4, option "
	    "'stdout_logfile')");
}
END_TEST

START_TEST(names_may_not_contain_space_colon_or_slash)
{
	FAILS(SD "[program:a b]\ncommand=x\n", "Invalid name: 'a b' because "
	    "of character: ' ' in section 'program:a b' (file: 'c.conf', "
	    "line 2)");
	FAILS(SD "[program:a]\ncommand=x\nprocess_name=x/y\n", "Invalid "
	    "name: 'x/y' because of character: '/' in section 'program:a' "
	    "(file: 'c.conf', line 4, option 'process_name')");
}
END_TEST

START_TEST(environment_follows_4_2_5_non_posix_shlex_rules)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "A=1,B=2", "A=1|B=2|" },
		{ "A=\"a,b\",B='c d'", "A=a,b|B=c d|" },
		{ "A=\"a\\\"b\"", "A=a\\|" },
		{ "A=\"\"", "A=|" },
		{ "A=1;B=2", "A=1|B=2|" },
		{ "A=a b", "A=a|" },
		{ "A=x#y", "A=x|" },
		{ "A=1,", "A=1|" },
		{ "A=\xc3\xa9,B=2", "A=\xc3\xa9|B=2|" },
		{ "K=/usr/bin:/bin,P=a.b+c-d(e)", "K=/usr/bin:/bin|P=a.b+c-d(e)|" },
		{ "A=1,A=2", "A=2|" },
	};
	static const char *bad[] = { "A=", "A=a=b", "A=1,,B=2", "A=x#y\nB=2" };
	char	**env, got[256];
	size_t	  i, j;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_int_eq(pm_val_environment(cases[i].in, &env, err,
		    sizeof(err)), 0);
		got[0] = '\0';
		for (j = 0; env[j] != NULL; j++)
			snprintf(got + strlen(got), sizeof(got) - strlen(got),
			    "%s|", env[j]);
		ck_assert_str_eq(got, cases[i].out);
		pm_env_free(env);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(pm_val_environment(bad[i], &env, err,
		    sizeof(err)), -1);
		snprintf(got, sizeof(got), "Unexpected end of key/value pairs "
		    "in value '%s'", bad[i]);
		ck_assert_str_eq(err, got);
	}
	ck_assert_int_eq(pm_val_environment("A=\"x", &env, err, sizeof(err)),
	    -1);
	ck_assert_str_eq(err, "No closing quotation");
}
END_TEST

/* ---- [supervisord] and overrides ---- */

START_TEST(supervisord_paths_are_made_absolute_against_the_cwd)
{
	char	 want[PATH_MAX + 32];

	ck_assert_int_eq(mkdir("sub", 0700), 0);
	OK(SD "logfile=sub/../s.log\npidfile=p.pid\n");
	snprintf(want, sizeof(want), "%s/s.log", tdir);
	ck_assert_str_eq(cfg->sd.logfile, want);
	snprintf(want, sizeof(want), "%s/p.pid", tdir);
	ck_assert_str_eq(cfg->sd.pidfile, want);
	ck_assert_str_eq(cfg->sd.childlogdir, tdir);
	OK(SD "logfile=syslog\n");
	ck_assert(cfg->sd.logfile_syslog);
	ck_assert_ptr_null(cfg->sd.logfile);
}
END_TEST

START_TEST(command_line_values_win_over_the_file)
{
	struct pm_overrides ov;

	memset(&ov, 0, sizeof(ov));
	ov.loglevel = "debug";
	ov.nodaemon = "true";
	ov.umask = "077";
	ov.identifier = "cli";
	ov.minfds = "77";
	put("c.conf", SD "loglevel=warn\nidentifier=file\nminfds=1\n");
	ck_assert_ptr_nonnull(cfg = pm_config_load("c.conf", &ov, err,
	    sizeof(err)));
	ck_assert_int_eq(cfg->sd.loglevel, LOG_DEBG);
	ck_assert(cfg->sd.nodaemon);
	ck_assert_int_eq(cfg->sd.umask, 077);
	ck_assert_str_eq(cfg->sd.identifier, "cli");
	ck_assert_int_eq(cfg->sd.minfds, 77);
	ov.umask = "9";
	ck_assert_ptr_null(pm_config_load("c.conf", &ov, err, sizeof(err)));
	ck_assert_str_eq(err, "invalid value for --umask '9': 9 can not be "
	    "converted to an octal type");
}
END_TEST

START_TEST(bus_endpoint_must_be_ipc_or_tcp)
{
	OK(SD "bus_endpoint=ipc:///tmp/x.ipc\n");
	ck_assert_str_eq(cfg->sd.bus_endpoint, "ipc:///tmp/x.ipc");
	FAILS(SD "bus_endpoint=inproc://x\n", "bus_endpoint must be an "
	    "ipc:// or tcp:// URL, not 'inproc://x' in section 'supervisord' "
	    "(file: 'c.conf', line 2, option 'bus_endpoint')");
}
END_TEST

START_TEST(bus_ring_and_record_options_are_checked)
{
	OK(SD "bus_ring_size=5\nbus_ring_bytes=1KB\nbus_record=rec.log\n"
	    "bus_record_maxbytes=2KB\n");
	ck_assert_int_eq(cfg->sd.bus_ring_size, 5);
	ck_assert_int_eq(cfg->sd.bus_ring_bytes, 1024);
	ck_assert_ptr_nonnull(strstr(cfg->sd.bus_record, "/rec.log"));
	ck_assert_int_eq(cfg->sd.bus_record_maxbytes, 2048);
	FAILS(SD "bus_ring_size=-1\n", "bus_ring_size must be between 0 and "
	    "10000000, not -1 in section 'supervisord' (file: 'c.conf', line "
	    "2, option 'bus_ring_size')");
	FAILS(SD "\nbus_ring_bytes=lots\n", "invalid literal for int() with "
	    "base 10: 'lots' in "
	    "section 'supervisord' (file: 'c.conf', line 3, option "
	    "'bus_ring_bytes')");
}
END_TEST

/* ---- programs ---- */

START_TEST(numprocs_needs_process_num_in_process_name)
{
	FAILS(SD "[program:a]\ncommand=x\nnumprocs=2\n", "%(process_num) "
	    "must be present within process_name when numprocs > 1 in "
	    "section 'program:a' (file: 'c.conf', line 2)");
}
END_TEST

START_TEST(stopasgroup_without_killasgroup_is_refused)
{
	OK(SD "[program:a]\ncommand=x\nstopasgroup=true\n");
	ck_assert(proc(0, 0)->killasgroup);
	FAILS(SD "[program:a]\ncommand=x\nstopasgroup=true\n"
	    "killasgroup=false\n", "Cannot set stopasgroup=true and "
	    "killasgroup=false in section 'program:a' (file: 'c.conf', line "
	    "5, option 'killasgroup')");
}
END_TEST

START_TEST(a_program_without_command_is_refused)
{
	FAILS(SD "\n[program:a]\npriority=1\n", "program section program:a "
	    "does not specify a command in section 'program:a' (file: "
	    "'c.conf', line 3)");
}
END_TEST

START_TEST(redirect_stderr_drops_the_stderr_log_with_a_warning)
{
	OK(SD "[program:a]\ncommand=x\nredirect_stderr=true\n"
	    "stderr_logfile=/tmp/e.log\n");
	ck_assert_ptr_null(proc(0, 0)->err.path);
	ck_assert(!proc(0, 0)->err.is_auto);
	ck_assert_str_eq(cfg->msgs[0].text, "For [program:a], "
	    "redirect_stderr=true but stderr_logfile has also been set to a "
	    "filename, the filename has been ignored");
}
END_TEST

START_TEST(groups_and_processes_are_sorted_by_priority_then_name)
{
	OK(SD "[program:z]\ncommand=x\npriority=1\n[program:b]\ncommand=x\n"
	    "[program:a]\ncommand=x\n[eventlistener:l]\ncommand=x\n"
	    "events=TICK_5\n[program:n]\ncommand=x\nnumprocs=11\n"
	    "process_name=n%(process_num)d\npriority=2\n");
	ck_assert_str_eq(cfg->groups[0].name, "l");
	ck_assert_str_eq(cfg->groups[1].name, "z");
	ck_assert_str_eq(cfg->groups[2].name, "n");
	ck_assert_str_eq(cfg->groups[3].name, "a");
	ck_assert_str_eq(cfg->groups[4].name, "b");
	ck_assert_str_eq(proc(2, 0)->name, "n0");
	ck_assert_str_eq(proc(2, 1)->name, "n1");
	ck_assert_str_eq(proc(2, 2)->name, "n10");
	ck_assert_ptr_eq(pm_config_group(cfg, "n"), &cfg->groups[2]);
	ck_assert_ptr_null(pm_config_group(cfg, "zz"));
}
END_TEST

/* ---- [eventlistener:x] ---- */

START_TEST(eventlisteners_need_known_events_and_default_to_priority_minus_1)
{
	OK(SD "[eventlistener:l]\ncommand=x\nevents=tick_5, process_state,"
	    "TICK_5\n");
	ck_assert_int_eq(cfg->groups[0].type, PM_GROUP_LISTENER);
	ck_assert_int_eq(cfg->groups[0].priority, -1);
	ck_assert_int_eq(proc(0, 0)->priority, 999);
	ck_assert_int_eq(cfg->groups[0].buffer_size, 10);
	ck_assert_str_eq(cfg->groups[0].events[0], "TICK_5");
	ck_assert_str_eq(cfg->groups[0].events[1], "PROCESS_STATE");
	ck_assert_ptr_null(cfg->groups[0].events[2]);
	FAILS(SD "[eventlistener:l]\ncommand=x\n", "[eventlistener:l] section "
	    "requires an \"events\" line in section 'eventlistener:l' (file: "
	    "'c.conf', line 2)");
	FAILS(SD "[eventlistener:l]\ncommand=x\nevents=FOO\n", "Unknown "
	    "event type FOO in [eventlistener:l] events in section "
	    "'eventlistener:l' (file: 'c.conf', line 4, option 'events')");
}
END_TEST

START_TEST(eventlisteners_refuse_bad_buffer_size_redirect_and_handlers)
{
	FAILS(SD "[eventlistener:l]\ncommand=x\nevents=EVENT\nbuffer_size=0\n",
	    "[eventlistener:l] section sets invalid buffer_size (0) in section "
	    "'eventlistener:l' (file: 'c.conf', line 5, option "
	    "'buffer_size')");
	FAILS(SD "[eventlistener:l]\ncommand=x\nevents=EVENT\n"
	    "redirect_stderr=true\n", "[eventlistener:l] section sets "
	    "redirect_stderr=true but this is not allowed because it will "
	    "interfere with the eventlistener protocol in section "
	    "'eventlistener:l' (file: 'c.conf', line 5, option "
	    "'redirect_stderr')");
	FAILS(SD "[eventlistener:l]\ncommand=x\nevents=EVENT\n"
	    "result_handler=my.mod:fn\n", "my.mod:fn cannot be resolved "
	    "within [eventlistener:l]: nanovisor provides only the default "
	    "handler, supervisor.dispatchers:default_handler in section "
	    "'eventlistener:l' (file: 'c.conf', line 5, option "
	    "'result_handler')");
	OK(SD "[eventlistener:l]\ncommand=x\nevents=EVENT\n"
	    "result_handler=supervisor.dispatchers:default_handler\n");
}
END_TEST

/* ---- [fcgi-program:x] ---- */

START_TEST(fcgi_programs_need_a_valid_socket)
{
	OK(SD "[fcgi-program:f]\ncommand=x\nsocket=unix://%(here)s/../"
	    "%(program_name)s.sock\nsocket_mode=0660\n");
	ck_assert_int_eq(cfg->groups[0].type, PM_GROUP_FCGI);
	ck_assert(cfg->groups[0].socket.is_unix);
	ck_assert_int_eq(cfg->groups[0].socket.mode, 0660);
	ck_assert_str_eq(cfg->groups[0].socket.path, "/tmp/f.sock");
	OK(SD "[fcgi-program:f]\ncommand=x\nsocket=tcp://LocalHost:9000\n"
	    "socket_backlog=5\n");
	ck_assert_str_eq(cfg->groups[0].socket.url, "tcp://localhost:9000");
	ck_assert_int_eq(cfg->groups[0].socket.backlog, 5);
	FAILS(SD "[fcgi-program:f]\ncommand=x\n", "[fcgi-program:f] section "
	    "requires a \"socket\" line in section 'fcgi-program:f' (file: "
	    "'c.conf', line 2)");
	FAILS(SD "[fcgi-program:f]\ncommand=x\nsocket=unix://rel.sock\n",
	    "('Unix socket path %s is not an absolute path', 'rel.sock') in "
	    "[fcgi-program:f] socket in section 'fcgi-program:f' (file: "
	    "'c.conf', line 4, option 'socket')");
	FAILS(SD "[fcgi-program:f]\ncommand=x\nsocket=udp://x:1\n",
	    "('Bad socket format %s', 'udp://x:1') in [fcgi-program:f] "
	    "socket in section 'fcgi-program:f' (file: 'c.conf', line 4, "
	    "option 'socket')");
	FAILS(SD "[fcgi-program:f]\ncommand=x\nsocket=tcp://h:1\n"
	    "socket_mode=0600\n", "socket_owner and socket_mode params should "
	    "only be used with a Unix domain socket in [fcgi-program:f] "
	    "socket in section 'fcgi-program:f' (file: 'c.conf', line 4, "
	    "option 'socket')");
}
END_TEST

/* ---- [group:x] ---- */

START_TEST(groups_take_their_programs_away_from_their_own_groups)
{
	OK(SD "[group:g]\nprograms=b, a\npriority=5\n[program:a]\ncommand=x\n"
	    "priority=2\n[program:b]\ncommand=y\n[program:c]\ncommand=z\n");
	ck_assert_uint_eq(cfg->ngroups, 2);
	ck_assert_str_eq(cfg->groups[0].name, "g");
	ck_assert_uint_eq(cfg->groups[0].nprocs, 2);
	ck_assert_str_eq(proc(0, 0)->name, "a");
	ck_assert_str_eq(proc(0, 0)->group, "g");
	ck_assert_str_eq(proc(0, 1)->section, "program:b");
	ck_assert_str_eq(cfg->groups[1].name, "c");
}
END_TEST

START_TEST(groups_refuse_unknown_and_ambiguous_programs)
{
	FAILS(SD "[group:g]\nprograms=a,b\n[program:a]\ncommand=x\n",
	    "[group:g] names unknown program or fcgi-program b in section "
	    "'group:g' (file: 'c.conf', line 3, option 'programs')");
	FAILS(SD "[group:g]\nprograms=a\n[program:a]\ncommand=x\n"
	    "[fcgi-program:a]\ncommand=x\nsocket=tcp://h:1\n", "[group:g] "
	    "name a is ambiguous (exists as program and fcgi-program) in "
	    "section 'group:g' (file: 'c.conf', line 3, option 'programs')");
}
END_TEST

START_TEST(fcgi_program_in_a_group_keeps_its_socket)
{
	OK(SD "[group:g]\nprograms=f\n[fcgi-program:f]\ncommand=x\n"
	    "socket=tcp://127.0.0.1:9000\n");
	ck_assert_uint_eq(cfg->ngroups, 1);
	ck_assert_int_eq(cfg->groups[0].type, PM_GROUP_FCGI);
	ck_assert_str_eq(cfg->groups[0].socket.url, "tcp://127.0.0.1:9000");
	ck_assert_str_eq(proc(0, 0)->group, "g");
}
END_TEST

/* ---- servers, ctl, rpcinterface ---- */

START_TEST(http_servers_need_their_address_and_complete_auth)
{
	OK(SD "[unix_http_server]\nfile=%(here)s/s.sock\nchmod=0770\n"
	    "chown=root:0\n[inet_http_server]\nport=*:9001\nusername=u\n"
	    "password={SHA}x\n");
	ck_assert_uint_eq(cfg->nhttp, 2);
	ck_assert(!cfg->http[0].is_unix);
	ck_assert_str_eq(cfg->http[0].host, "");
	ck_assert_int_eq(cfg->http[0].port, 9001);
	ck_assert(cfg->http[1].is_unix);
	ck_assert_int_eq(cfg->http[1].chmod, 0770);
	ck_assert(cfg->http[1].has_chown);
	FAILS(SD "[unix_http_server]\nchmod=0700\n", "section "
	    "[unix_http_server] has no file value in section "
	    "'unix_http_server' (file: 'c.conf', line 2)");
	FAILS(SD "[inet_http_server:x]\nusername=a\npassword=b\n", "section "
	    "[inet_http_server:x] has no port value in section "
	    "'inet_http_server:x' (file: 'c.conf', line 2)");
	FAILS(SD "[inet_http_server]\nport=9001\nusername=a\n", "Section "
	    "[inet_http_server] contains incomplete authentication: If a "
	    "username or a password is specified, both the username and "
	    "password must be specified in section 'inet_http_server' (file: "
	    "'c.conf', line 4, option 'username')");
	FAILS(SD "[inet_http_server]\nport=host:70000\n", "70000 is above "
	    "upper bound (65535) in section 'inet_http_server' (file: "
	    "'c.conf', line 3, option 'port')");
	FAILS(SD "[unix_http_server]\nfile=/tmp/s\nchmod=x\n", "Invalid chmod "
	    "value x in section 'unix_http_server' (file: 'c.conf', line 4, "
	    "option 'chmod')");
}
END_TEST

START_TEST(supervisorctl_section_has_4_2_5_defaults)
{
	char	 want[PATH_MAX + 32];

	OK(SD "[supervisorctl]\n");
	ck_assert(cfg->ctl.present);
	ck_assert_str_eq(cfg->ctl.serverurl, "http://localhost:9001");
	ck_assert_str_eq(cfg->ctl.prompt, "supervisor");
	ck_assert_ptr_null(cfg->ctl.history_file);
	OK(SD "[supervisorctl]\nserverurl=unix://%(here)s/x/../s.sock\n"
	    "history_file=~/h\n");
	snprintf(want, sizeof(want), "unix://%s/s.sock", tdir);
	ck_assert_str_eq(cfg->ctl.serverurl, want);
	snprintf(want, sizeof(want), "%s/h", tdir);
	ck_assert_str_eq(cfg->ctl.history_file, want);
}
END_TEST

START_TEST(rpcinterface_accepts_only_the_main_factory)
{
	OK(SD "[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = "
	    "supervisor.rpcinterface:make_main_rpcinterface\n");
	ck_assert(cfg->has_rpcinterface);
	OK(SD);
	ck_assert(!cfg->has_rpcinterface);
	FAILS(SD "[rpcinterface:x]\nsupervisor.rpcinterface_factory=a.b:c\n",
	    "a.b:c cannot be resolved within [rpcinterface:x] in section "
	    "'rpcinterface:x' (file: 'c.conf', line 3, option "
	    "'supervisor.rpcinterface_factory')");
	FAILS(SD "[rpcinterface:x]\nfoo=1\n", "section [rpcinterface:x] does "
	    "not specify a supervisor.rpcinterface_factory in section "
	    "'rpcinterface:x' (file: 'c.conf', line 2)");
}
END_TEST

/* ---- [include] ---- */

START_TEST(includes_read_sorted_glob_matches_with_their_own_here)
{
	char	 want[PATH_MAX + 64];

	ck_assert_int_eq(mkdir("conf.d", 0700), 0);
	put("conf.d/b.ini", "[program:b]\ncommand=%(here)s/b\n");
	put("conf.d/a.ini", "[program:a]\ncommand=a\n[supervisord]\n"
	    "identifier=inc\n");
	OK(SD "identifier=main\n[include]\nfiles=conf.d/*.ini\n  none/*.x\n");
	ck_assert_str_eq(cfg->sd.identifier, "inc");
	snprintf(want, sizeof(want), "%s/conf.d/b", tdir);
	ck_assert_str_eq(proc(1, 0)->command, want);
	ck_assert_uint_eq(cfg->nmsgs, 3);
	snprintf(want, sizeof(want), "No file matches via include "
	    "\"%s/none/*.x\"", tdir);
	ck_assert_str_eq(cfg->msgs[0].text, want);
	ck_assert_int_eq(cfg->msgs[0].level, LOG_WARN);
	snprintf(want, sizeof(want), "Included extra file \"%s/conf.d/a.ini\" "
	    "during parsing", tdir);
	ck_assert_str_eq(cfg->msgs[1].text, want);
	ck_assert_int_eq(cfg->msgs[1].level, LOG_INFO);
}
END_TEST

START_TEST(include_errors_name_the_file)
{
	char	 want[PATH_MAX + 128];

	FAILS(SD "[include]\n", ".ini file has [include] section, but no "
	    "files setting in section 'include' (file: 'c.conf', line 2)");
	put("bad.ini", "[x]\njunk\n");
	ck_assert_ptr_null(load(SD "[include]\nfiles=bad.ini\n"));
	snprintf(want, sizeof(want), "Source contains parsing errors: "
	    "'%s/bad.ini'\n\t[line  2]: 'junk\\n'", tdir);
	ck_assert_str_eq(err, want);
	put("p.ini", "[program:p]\nstartsecs=x\ncommand=c\n");
	ck_assert_ptr_null(load(SD "[include]\nfiles=p.ini\n"));
	snprintf(want, sizeof(want), "invalid literal for int() with base 10: "
	    "'x' in section 'program:p' (file: '%s/p.ini', line 2, option "
	    "'startsecs')", tdir);
	ck_assert_str_eq(err, want);
}
END_TEST

/* ---- search ---- */

START_TEST(search_finds_the_first_existing_default_path)
{
	char	 out[2048];

	ck_assert_int_eq(pm_config_search("/nonexistent/bin/supervisord", out,
	    sizeof(out)), access("/etc/supervisord.conf", F_OK) == 0 ||
	    access("/etc/supervisor/supervisord.conf", F_OK) == 0 ? 0 : -1);
	if (access("/etc/supervisord.conf", F_OK) != 0 &&
	    access("/etc/supervisor/supervisord.conf", F_OK) != 0)
		ck_assert_str_eq(out, "/nonexistent/etc/supervisord.conf, "
		    "/nonexistent/supervisord.conf, supervisord.conf, "
		    "etc/supervisord.conf, /etc/supervisord.conf, "
		    "/etc/supervisor/supervisord.conf");
	put("supervisord.conf", SD);
	ck_assert_int_eq(pm_config_search("supervisord", out, sizeof(out)),
	    0);
	ck_assert_str_eq(out, "supervisord.conf");
	ck_assert_int_eq(mkdir("etc", 0700), 0);
	put("etc/supervisord.conf", SD);
	ck_assert_int_eq(pm_config_search("bin/supervisord", out,
	    sizeof(out)), 0);
	ck_assert_str_eq(out, "etc/supervisord.conf");
}
END_TEST

/* ---- samples and golden files ---- */

/* 4.2.5's sample with its program and eventlistener examples enabled. */
START_TEST(the_4_2_5_sample_config_parses_with_its_examples_enabled)
{
	char	 cmd[4 * PATH_MAX];
	struct passwd *pw = getpwuid(getuid());

	if (access(CONF_SAMPLE, R_OK) != 0)
		return;
	ck_assert_ptr_nonnull(pw);
	snprintf(cmd, sizeof(cmd), "sed -e '/^;\\[program:theprogramname\\]/,"
	    "/^;serverurl/s/^;//' -e '/^;\\[eventlistener:theeventlistenername"
	    "\\]/,/^;serverurl/s/^;//' -e 's|=/a/path|=%s/x.log|' "
	    "-e 's|user=chrism|user=%s|' -e 's|=/tmp/supervisor|=%s/s|' "
	    "'%s' > sample.conf", tdir, pw->pw_name, tdir, CONF_SAMPLE);
	ck_assert_int_eq(system(cmd), 0);
	cfg = pm_config_load("sample.conf", NULL, err, sizeof(err));
	ck_assert_msg(cfg != NULL, "%s", err);
	ck_assert_uint_eq(cfg->ngroups, 2);
	ck_assert_str_eq(cfg->groups[0].name, "theeventlistenername");
	ck_assert_str_eq(cfg->groups[0].events[0], "EVENT");
	ck_assert_str_eq(cfg->groups[1].procs[0].command, "/bin/cat");
	ck_assert_int_eq(cfg->groups[1].procs[0].stopsignal, SIGQUIT);
	ck_assert_str_eq(cfg->groups[1].procs[0].environment[0], "A=1");
	ck_assert(cfg->has_rpcinterface);
	ck_assert_uint_eq(cfg->nhttp, 1);
}
END_TEST

static int
golden_filter(const struct dirent *d)
{
	size_t	 n = strlen(d->d_name);

	return n > 5 && strcmp(d->d_name + n - 5, ".conf") == 0;
}

static char *
golden_slurp(const char *path)
{
	FILE	*f;
	char	*buf;
	long	 n;

	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = xcalloc(1, n + 1);
	if (fread(buf, 1, n, f) != (size_t)n)
		buf[0] = '\0';
	fclose(f);
	return buf;
}

/* tests/conf/NN.conf dumps exactly as NN.ok (run from that directory). */
START_TEST(golden_files_dump_as_recorded)
{
	struct dirent	**ents;
	char		 ok[PATH_MAX], *want, *got;
	size_t		 len;
	FILE		*mem;
	int		 n, i;

	ck_assert_int_eq(chdir(CONF_SRCDIR), 0);
	setenv("HOME", "/nonexistent", 1);
	setenv("TMPDIR", "/tmp", 1);
	n = scandir(".", &ents, golden_filter, alphasort);
	ck_assert_int_gt(n, 0);
	for (i = 0; i < n; i++) {
		got = NULL;
		ck_assert_ptr_nonnull(mem = open_memstream(&got, &len));
		conf_dump_file(mem, ents[i]->d_name);
		fclose(mem);
		snprintf(ok, sizeof(ok), "%.*s.ok",
		    (int)strlen(ents[i]->d_name) - 5, ents[i]->d_name);
		want = golden_slurp(ok);
		ck_assert_msg(want != NULL, "missing %s", ok);
		ck_assert_msg(strcmp(want, got) == 0, "%s differs:\n%s",
		    ents[i]->d_name, got);
		free(want);
		free(got);
		free(ents[i]);
	}
	free(ents);
}
END_TEST

static Suite *
conf_suite(void)
{
	Suite	*s = suite_create("conf");
	TCase	*tc;

#define TC(name, ...) do {						\
	tc = tcase_create(name);					\
	tcase_add_checked_fixture(tc, setup, teardown);			\
	__VA_ARGS__							\
	suite_add_tcase(s, tc);						\
} while (0)
#define T(fn)	tcase_add_test(tc, fn);

	TC("ini", T(equals_and_colon_both_separate_key_and_value)
	    T(option_names_are_lowercased_but_section_names_are_not)
	    T(inline_comment_needs_whitespace_and_cuts_even_inside_quotes)
	    T(full_line_comments_are_skipped_even_inside_a_value)
	    T(indented_lines_continue_the_value_with_a_newline)
	    T(duplicate_sections_merge_and_the_last_key_wins)
	    T(default_section_supplies_values_to_every_section)
	    T(unknown_sections_and_keys_are_ignored)
	    T(syntax_errors_list_every_bad_line_with_file_and_line)
	    T(a_file_without_a_section_header_is_refused)
	    T(missing_supervisord_section_is_refused_naming_the_file)
	    T(missing_and_unreadable_files_give_4_2_5_messages));
	TC("expand", T(here_and_env_names_expand_in_supervisord)
	    T(process_num_takes_a_format_spec_and_percent_percent_is_literal)
	    T(unknown_name_lists_the_available_names_sorted)
	    T(process_num_is_not_available_to_section_wide_options)
	    T(badly_formatted_values_give_pythons_reason)
	    T(expansion_formats_numbers_and_strings_like_python)
	    T(supervisord_environment_is_expanded_once_so_percent_works)
	    T(environment_entries_become_env_names_for_programs));
	TC("values", T(booleans_accept_the_python_words_only)
	    T(integers_follow_python_int)
	    T(byte_sizes_take_kb_mb_gb_and_nothing_else)
	    T(octals_take_a_leading_zero_or_0o)
	    T(signals_are_names_in_any_case_or_valid_numbers)
	    T(exitcodes_are_a_list_of_0_to_255)
	    T(autorestart_takes_true_false_or_unexpected)
	    T(users_must_exist)
	    T(log_levels_are_supervisors_names_only)
	    T(logfile_names_are_none_auto_syslog_or_a_path_in_an_existing_dir)
	    T(names_may_not_contain_space_colon_or_slash)
	    T(environment_follows_4_2_5_non_posix_shlex_rules));
	TC("supervisord", T(supervisord_paths_are_made_absolute_against_the_cwd)
	    T(command_line_values_win_over_the_file)
	    T(bus_endpoint_must_be_ipc_or_tcp)
	    T(bus_ring_and_record_options_are_checked));
	TC("programs", T(numprocs_needs_process_num_in_process_name)
	    T(stopasgroup_without_killasgroup_is_refused)
	    T(a_program_without_command_is_refused)
	    T(redirect_stderr_drops_the_stderr_log_with_a_warning)
	    T(groups_and_processes_are_sorted_by_priority_then_name)
	    T(eventlisteners_need_known_events_and_default_to_priority_minus_1)
	    T(eventlisteners_refuse_bad_buffer_size_redirect_and_handlers)
	    T(fcgi_programs_need_a_valid_socket)
	    T(groups_take_their_programs_away_from_their_own_groups)
	    T(groups_refuse_unknown_and_ambiguous_programs)
	    T(fcgi_program_in_a_group_keeps_its_socket));
	TC("servers", T(http_servers_need_their_address_and_complete_auth)
	    T(supervisorctl_section_has_4_2_5_defaults)
	    T(rpcinterface_accepts_only_the_main_factory));
	TC("include", T(includes_read_sorted_glob_matches_with_their_own_here)
	    T(include_errors_name_the_file));
	TC("search", T(search_finds_the_first_existing_default_path));
	TC("golden", T(the_4_2_5_sample_config_parses_with_its_examples_enabled)
	    T(golden_files_dump_as_recorded));
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(conf_suite());
	int	 nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? 0 : 1;
}
