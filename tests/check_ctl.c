/*
 * check_ctl.c: supervisorctl's pure parts: methodResponse parsing (values,
 * faults, hostile and malformed documents), the methodCall it sends (the
 * transport is stubbed here and hands back a canned answer), namespecs
 * and word splitting.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "log.h"

/* ---- the transport, stubbed ---- */

static char	*sent;		/* the last request body */
static const char *answer;	/* what the next post returns */

int
ctl_http_post(struct ctl *ctl, const char *body, size_t len,
    ctl_body_fn *sink, void *arg, struct ctl_err *err)
{
	size_t	 n = strlen(answer);

	free(sent);
	sent = xstrdup(body);
	/* in two pieces, as a transfer may split it anywhere */
	sink(answer, n / 2, arg);
	sink(answer + n / 2, n - n / 2, arg);
	return 0;
}

static struct ctl_val	*v;
static struct ctl_err	 e;

static int
parse(const char *doc)
{
	ctl_val_free(v);
	v = NULL;
	memset(&e, 0, sizeof(e));
	return ctl_xml_parse_response(doc, strlen(doc), &v, &e);
}

static void
teardown(void)
{
	ctl_val_free(v);
	v = NULL;
	free(sent);
	sent = NULL;
}

#define RESP(x)	"<?xml version='1.0'?>\n<methodResponse><params><param>" \
	"<value>" x "</value></param></params></methodResponse>"

START_TEST(a_struct_of_every_scalar_type_decodes)
{
	ck_assert_int_eq(parse(RESP("<struct>"
	    "<member><name>i</name><value><int>-7</int></value></member>"
	    "<member><name>i4</name><value><i4>20</i4></value></member>"
	    "<member><name>b</name><value><boolean>1</boolean></value></member>"
	    "<member><name>d</name><value><double>1.5</double></value></member>"
	    "<member><name>s</name><value><string>a &amp; b</string></value>"
	    "</member>"
	    "<member><name>bare</name><value>untyped</value></member>"
	    "<member><name>empty</name><value><string></string></value>"
	    "</member></struct>")), 0);
	ck_assert_int_eq(v->type, CTL_V_STRUCT);
	ck_assert_int_eq(ctl_val_int(v, "i"), -7);
	ck_assert_int_eq(ctl_val_int(v, "i4"), 20);
	ck_assert_int_eq(ctl_val_get(v, "b")->type, CTL_V_BOOL);
	ck_assert_int_eq(ctl_val_int(v, "b"), 1);
	ck_assert(ctl_val_get(v, "d")->d == 1.5);
	ck_assert_str_eq(ctl_val_str(v, "s"), "a & b");
	ck_assert_str_eq(ctl_val_str(v, "bare"), "untyped");
	ck_assert_str_eq(ctl_val_str(v, "empty"), "");
	ck_assert_str_eq(ctl_val_str(v, "missing"), "");
	ck_assert_int_eq(ctl_val_int(v, "missing"), 0);
}
END_TEST

START_TEST(nested_arrays_keep_their_order)
{
	ck_assert_int_eq(parse(RESP("<array><data>"
	    "<value><array><data><value><string>a</string></value>"
	    "<value><string>b</string></value></data></array></value>"
	    "<value><array><data></data></array></value>"
	    "<value><int>3</int></value></data></array>")), 0);
	ck_assert_int_eq(v->type, CTL_V_ARRAY);
	ck_assert_uint_eq(v->n, 3);
	ck_assert_uint_eq(v->items[0]->n, 2);
	ck_assert_str_eq(v->items[0]->items[1]->s, "b");
	ck_assert_uint_eq(v->items[1]->n, 0);
	ck_assert_int_eq(v->items[2]->i, 3);
}
END_TEST

START_TEST(a_fault_becomes_its_code_and_string)
{
	ck_assert_int_eq(parse("<?xml version='1.0'?><methodResponse><fault>"
	    "<value><struct><member><name>faultCode</name><value><int>10"
	    "</int></value></member><member><name>faultString</name><value>"
	    "<string>BAD_NAME: x</string></value></member></struct></value>"
	    "</fault></methodResponse>"), -1);
	ck_assert_int_eq(e.kind, CTL_E_FAULT);
	ck_assert_int_eq(e.code, CTL_F_BAD_NAME);
	ck_assert_str_eq(e.msg, "BAD_NAME: x");
	ck_assert_ptr_null(v);
}
END_TEST

START_TEST(malformed_and_hostile_answers_are_errors_not_crashes)
{
	static const char *bad[] = {
		"", "not xml", "<methodResponse><params>",
		RESP("<int>1</int>") "trailing<",
		"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]>"
		    "<methodResponse/>",
		"<methodResponse></methodResponse>",
	};
	size_t	 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(parse(bad[i]), -1);
		ck_assert_int_eq(e.kind, CTL_E_OTHER);
		ck_assert_ptr_null(v);
	}
}
END_TEST

START_TEST(nesting_deeper_than_64_is_refused)
{
	char	*doc, *p;
	size_t	 i, n = 100;

	doc = p = xmalloc(n * 50 + 200);
	p += sprintf(p, "<methodResponse><params><param><value>");
	for (i = 0; i < n; i++)
		p += sprintf(p, "<array><data><value>");
	p += sprintf(p, "<int>1</int>");
	for (i = 0; i < n; i++)
		p += sprintf(p, "</value></data></array>");
	sprintf(p, "</value></param></params></methodResponse>");
	ck_assert_int_eq(parse(doc), -1);
	free(doc);
}
END_TEST

START_TEST(a_call_is_written_with_escaped_typed_params)
{
	struct ctl	 ctl;
	struct ctl_val	*out;
	struct ctl_err	 err;

	memset(&ctl, 0, sizeof(ctl));
	answer = RESP("<string>ok</string>");
	ck_assert_int_eq(ctl_call(&ctl, &out, &err, "supervisor.x", "sib",
	    "a<b&c>", -1600, 1), 0);
	ck_assert_str_eq(out->s, "ok");
	ctl_val_free(out);
	ck_assert_str_eq(sent, "<?xml version='1.0'?>\n<methodCall>\n"
	    "<methodName>supervisor.x</methodName>\n<params>\n"
	    "<param>\n<value><string>a&lt;b&amp;c&gt;</string></value>\n"
	    "</param>\n"
	    "<param>\n<value><int>-1600</int></value>\n</param>\n"
	    "<param>\n<value><boolean>1</boolean></value>\n</param>\n"
	    "</params>\n</methodCall>\n");
}
END_TEST

START_TEST(namespecs_split_and_join_as_in_4_2_5)
{
	char	*g, *n, *s;

	ctl_split_namespec("cat", &g, &n);
	ck_assert_str_eq(g, "cat");
	ck_assert_str_eq(n, "cat");
	free(g);
	free(n);
	ctl_split_namespec("grp:a", &g, &n);
	ck_assert_str_eq(g, "grp");
	ck_assert_str_eq(n, "a");
	free(g);
	free(n);
	ctl_split_namespec("grp:*", &g, &n);
	ck_assert_str_eq(g, "grp");
	ck_assert_ptr_null(n);
	free(g);
	ctl_split_namespec("grp:", &g, &n);
	ck_assert_ptr_null(n);
	free(g);
	s = ctl_namespec("cat", "cat");
	ck_assert_str_eq(s, "cat");
	free(s);
	s = ctl_namespec("grp", "a");
	ck_assert_str_eq(s, "grp:a");
	free(s);
}
END_TEST

START_TEST(words_split_on_any_whitespace)
{
	size_t	 n;
	char	**v2 = ctl_split("  stop\t a  grp:*\n", &n);

	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(v2[0], "stop");
	ck_assert_str_eq(v2[2], "grp:*");
	ck_assert_ptr_null(v2[3]);
	ck_assert(ctl_strv_has(v2, "a"));
	ck_assert(!ctl_strv_has(v2, "all"));
	ctl_strv_free(v2);
	v2 = ctl_split("   ", &n);
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_null(v2[0]);
	ctl_strv_free(v2);
}
END_TEST

static Suite *
ctl_suite(void)
{
	Suite	*s = suite_create("ctl");
	TCase	*tc;

	tc = tcase_create("responses");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, a_struct_of_every_scalar_type_decodes);
	tcase_add_test(tc, nested_arrays_keep_their_order);
	tcase_add_test(tc, a_fault_becomes_its_code_and_string);
	tcase_add_test(tc, malformed_and_hostile_answers_are_errors_not_crashes);
	tcase_add_test(tc, nesting_deeper_than_64_is_refused);
	suite_add_tcase(s, tc);
	tc = tcase_create("calls");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, a_call_is_written_with_escaped_typed_params);
	suite_add_tcase(s, tc);
	tc = tcase_create("words");
	tcase_add_test(tc, namespecs_split_and_join_as_in_4_2_5);
	tcase_add_test(tc, words_split_on_any_whitespace);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(ctl_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
