/*
 * check_rpc_xml.c: the XML-RPC codec: every type decoded, hostile and
 * malformed documents refused, responses and faults encoded byte for byte
 * as Python's xmlrpc.client writes them, and strings made valid UTF-8.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "rpc_int.h"

static char		*method;
static struct rpc_value	*params;
static char		 err[256];

static int
decode(const char *doc)
{
	free(method);
	rpc_value_free(params);
	method = NULL;
	params = NULL;
	err[0] = '\0';
	return rpc_xml_decode_call(doc, strlen(doc), &method, &params, err,
	    sizeof(err));
}

static void
teardown(void)
{
	free(method);
	rpc_value_free(params);
	method = NULL;
	params = NULL;
}

#define CALL(p)	"<?xml version='1.0'?><methodCall><methodName>m.x"	\
	"</methodName><params>" p "</params></methodCall>"

START_TEST(every_scalar_type_decodes)
{
	ck_assert_int_eq(decode(CALL(
	    "<param><value><int>-42</int></value></param>"
	    "<param><value><i4> 7 </i4></value></param>"
	    "<param><value><boolean>1</boolean></value></param>"
	    "<param><value><boolean>true</boolean></value></param>"
	    "<param><value><string>a&amp;b&lt;</string></value></param>"
	    "<param><value><double>2.5</double></value></param>"
	    "<param><value><dateTime.iso8601>20260101T12:00:00"
	    "</dateTime.iso8601></value></param>"
	    "<param><value><base64>aGVs\nbG8=</base64></value></param>")), 0);
	ck_assert_str_eq(method, "m.x");
	ck_assert_int_eq(params->n, 8);
	ck_assert_int_eq(params->items[0]->type, RPC_T_INT);
	ck_assert_int_eq(params->items[0]->i, -42);
	ck_assert_int_eq(params->items[1]->i, 7);
	ck_assert_int_eq(params->items[2]->type, RPC_T_BOOL);
	ck_assert_int_eq(params->items[2]->i, 1);
	ck_assert_int_eq(params->items[3]->i, 0);	/* as 4.2.5 reads it */
	ck_assert_str_eq(params->items[4]->s, "a&b<");
	ck_assert(params->items[5]->d == 2.5);
	ck_assert_int_eq(params->items[6]->type, RPC_T_DATETIME);
	ck_assert_str_eq(params->items[6]->s, "20260101T12:00:00");
	ck_assert_int_eq(params->items[7]->type, RPC_T_BASE64);
	ck_assert_str_eq(params->items[7]->s, "hello");
}
END_TEST

START_TEST(an_untyped_value_is_a_string_with_its_spaces)
{
	ck_assert_int_eq(decode(CALL("<param><value>  two words </value>"
	    "</param><param><value></value></param>")), 0);
	ck_assert_int_eq(params->items[0]->type, RPC_T_STRING);
	ck_assert_str_eq(params->items[0]->s, "  two words ");
	ck_assert_str_eq(params->items[1]->s, "");
}
END_TEST

START_TEST(arrays_and_structs_nest)
{
	const struct rpc_value	*st, *a;

	ck_assert_int_eq(decode(CALL("<param><value><array><data>"
	    "<value><struct><member><name>methodName</name><value>"
	    "<string>x.y</string></value></member><member><name>params"
	    "</name><value><array><data><value><int>1</int></value></data>"
	    "</array></value></member></struct></value>"
	    "<value><array><data/></array></value>"
	    "</data></array></value></param>")), 0);
	a = params->items[0];
	ck_assert_int_eq(a->type, RPC_T_ARRAY);
	ck_assert_int_eq(a->n, 2);
	st = a->items[0];
	ck_assert_int_eq(st->type, RPC_T_STRUCT);
	ck_assert_str_eq(rpc_v_get(st, "methodName")->s, "x.y");
	ck_assert_int_eq(rpc_v_get(st, "params")->items[0]->i, 1);
	ck_assert_ptr_null(rpc_v_get(st, "nope"));
	ck_assert_int_eq(a->items[1]->n, 0);
}
END_TEST

START_TEST(a_call_without_params_has_an_empty_array)
{
	ck_assert_int_eq(decode("<methodCall><methodName>a.b</methodName>"
	    "</methodCall>"), 0);
	ck_assert_int_eq(params->type, RPC_T_ARRAY);
	ck_assert_int_eq(params->n, 0);
}
END_TEST

START_TEST(a_doctype_is_refused_before_any_entity_expands)
{
	ck_assert_int_eq(decode("<?xml version='1.0'?><!DOCTYPE lolz ["
	    "<!ENTITY lol 'lol'><!ENTITY lol2 '&lol;&lol;&lol;&lol;'>]>"
	    "<methodCall><methodName>&lol2;</methodName></methodCall>"), -1);
	ck_assert_ptr_nonnull(strstr(err, "DOCTYPE"));
	ck_assert_ptr_null(method);
	ck_assert_ptr_null(params);
}
END_TEST

START_TEST(an_undeclared_entity_is_an_error)
{
	ck_assert_int_eq(decode("<methodCall><methodName>&xxe;</methodName>"
	    "</methodCall>"), -1);
	ck_assert_int_ne(err[0], '\0');
}
END_TEST

START_TEST(nesting_deeper_than_the_limit_is_refused)
{
	char	*doc, *p;
	int	 i;

	doc = xmalloc(100 * 40 + 200);
	p = doc + sprintf(doc, "<methodCall><methodName>a.b</methodName>"
	    "<params><param>");
	for (i = 0; i < 40; i++)
		p += sprintf(p, "<value><array><data>");
	for (i = 0; i < 40; i++)
		p += sprintf(p, "</data></array></value>");
	sprintf(p, "</param></params></methodCall>");
	ck_assert_int_eq(decode(doc), -1);
	ck_assert_str_eq(err, "nested too deep");
	free(doc);
}
END_TEST

START_TEST(a_body_over_the_size_limit_is_refused_unread)
{
	size_t	 len = 16 * 1024 * 1024 + 1;
	char	*doc = xcalloc(1, len);

	ck_assert_int_eq(rpc_xml_decode_call(doc, len, &method, &params, err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "larger"));
	free(doc);
}
END_TEST

static const char *const bad_docs[] = {
	"",
	"not xml",
	"<methodResponse><params/></methodResponse>",
	"<methodCall><params/></methodCall>",
	"<methodCall><methodName></methodName></methodCall>",
	"<methodCall><methodName>a</methodName><methodName>b</methodName>"
	    "</methodCall>",
	CALL("<param><value><int>12x</int></value></param>"),
	CALL("<param><value><int>99999999999999999999</int></value></param>"),
	CALL("<param><value><double>x</double></value></param>"),
	CALL("<param><value><base64>!!</base64></value></param>"),
	CALL("<param><value><nil/></value></param>"),
	CALL("<param><value><int>1</int><int>2</int></value></param>"),
	CALL("<param><value>1</value><value>2</value></param>"),
	CALL("<param></param>"),
	CALL("<param><value><struct><member><value>1</value></member>"
	    "</struct></value></param>"),
	CALL("<value>1</value>"),
	"<methodCall><methodName>a.b</methodName><params></params>"
	    "<params></params></methodCall>",
	"<methodCall><methodName>a.b</methodName>",
};

START_TEST(malformed_calls_are_refused)
{
	ck_assert_msg(decode(bad_docs[_i]) == -1, "accepted: %s", bad_docs[_i]);
	ck_assert_int_ne(err[0], '\0');
	ck_assert_ptr_null(method);
	ck_assert_ptr_null(params);
}
END_TEST

static const char *
encode(const struct rpc_value *v)
{
	static struct rpc_buf	 b;

	rpc_buf_free(&b);
	rpc_xml_encode_response(&b, v);
	return b.p;
}

START_TEST(a_response_is_laid_out_as_python_writes_it)
{
	struct rpc_value	*st = rpc_v_struct(), *l = rpc_v_array();

	rpc_v_set(st, "name", rpc_v_str("a&b<c>"));
	rpc_v_set(st, "n", rpc_v_int(5));
	rpc_v_set(st, "ok", rpc_v_bool(true));
	rpc_v_push(l, rpc_v_int(1));
	rpc_v_push(l, rpc_v_str("x"));
	rpc_v_set(st, "l", l);
	rpc_v_set(st, "d", rpc_v_double(1.5));
	ck_assert_str_eq(encode(st), "<?xml version='1.0'?>\n"
	    "<methodResponse>\n<params>\n<param>\n<value><struct>\n"
	    "<member>\n<name>name</name>\n"
	    "<value><string>a&amp;b&lt;c&gt;</string></value>\n</member>\n"
	    "<member>\n<name>n</name>\n<value><int>5</int></value>\n"
	    "</member>\n<member>\n<name>ok</name>\n"
	    "<value><boolean>1</boolean></value>\n</member>\n"
	    "<member>\n<name>l</name>\n<value><array><data>\n"
	    "<value><int>1</int></value>\n<value><string>x</string></value>\n"
	    "</data></array></value>\n</member>\n<member>\n<name>d</name>\n"
	    "<value><double>1.5</double></value>\n</member>\n"
	    "</struct></value>\n</param>\n</params>\n</methodResponse>\n");
	rpc_value_free(st);
}
END_TEST

START_TEST(a_struct_written_piece_by_piece_matches_its_tree)
{
	struct rpc_value	*a = rpc_v_array(), *st = rpc_v_struct();
	struct rpc_buf		 direct = { NULL, 0, 0 };
	struct rpc_value	*x;
	char			 tree[1024];
	static const char	 bad[] = "x\xff<&>\x01";

	rpc_v_set(st, "pid", rpc_v_int(-1234567890123LL));
	rpc_v_set(st, "zero", rpc_v_int(0));
	rpc_v_set(st, "a<b", rpc_v_str(bad));
	rpc_v_push(a, st);
	snprintf(tree, sizeof(tree), "%s", encode(a));
	rpc_value_free(a);

	rpc_xml_put_open(&direct, RPC_T_ARRAY);
	rpc_xml_put_open(&direct, RPC_T_STRUCT);
	rpc_xml_put_member(&direct, "pid");
	rpc_xml_put_int(&direct, -1234567890123LL);
	rpc_xml_put_member_end(&direct);
	rpc_xml_put_member(&direct, "zero");
	rpc_xml_put_int(&direct, 0);
	rpc_xml_put_member_end(&direct);
	rpc_xml_put_member(&direct, "a<b");
	rpc_xml_put_str(&direct, bad, sizeof(bad) - 1);
	rpc_xml_put_member_end(&direct);
	rpc_xml_put_close(&direct, RPC_T_STRUCT);
	rpc_xml_put_close(&direct, RPC_T_ARRAY);
	x = rpc_v_xml(&direct);
	ck_assert_ptr_null(direct.p);
	ck_assert_str_eq(encode(x), tree);
	ck_assert_ptr_nonnull(strstr(tree, "<int>-1234567890123</int>"));
	rpc_value_free(x);
}
END_TEST

START_TEST(a_fault_is_laid_out_as_python_writes_it)
{
	struct rpc_buf	 b = { NULL, 0, 0 };

	rpc_xml_encode_fault(&b, 10, "BAD_NAME: foo");
	ck_assert_str_eq(b.p, "<?xml version='1.0'?>\n<methodResponse>\n"
	    "<fault>\n<value><struct>\n<member>\n<name>faultCode</name>\n"
	    "<value><int>10</int></value>\n</member>\n<member>\n"
	    "<name>faultString</name>\n"
	    "<value><string>BAD_NAME: foo</string></value>\n</member>\n"
	    "</struct></value>\n</fault>\n</methodResponse>\n");
	rpc_buf_free(&b);
}
END_TEST

/* base64.encodebytes, the plain way: encode, then cut into 76s. */
static void
b64_reference(const unsigned char *s, size_t len, char *out)
{
	static const char	 al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	char			 flat[1024];
	size_t			 i, n = 0, k;
	unsigned		 bits = 0, nbits = 0;

	for (i = 0; i < len; i++) {
		bits = bits << 8 | s[i];
		nbits += 8;
		while (nbits >= 6) {
			flat[n++] = al[(bits >> (nbits - 6)) & 63];
			nbits -= 6;
		}
	}
	if (nbits > 0)
		flat[n++] = al[(bits << (6 - nbits)) & 63];
	while (n % 4 != 0)
		flat[n++] = '=';
	for (i = 0, k = 0; i < n; i++) {
		out[k++] = flat[i];
		if (i % 76 == 75 || i == n - 1)
			out[k++] = '\n';
	}
	out[k] = '\0';
}

START_TEST(base64_of_every_length_breaks_lines_as_python_does)
{
	unsigned char		 data[400];
	char			 want[1200], tag[1300];
	struct rpc_value	*v;
	size_t			 len, i;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i * 37 + 11);
	for (len = 0; len <= sizeof(data); len++) {
		v = rpc_v_strn((const char *)data, len);
		v->type = RPC_T_BASE64;
		b64_reference(data, len, want);
		snprintf(tag, sizeof(tag), "<value><base64>\n%s</base64>", want);
		ck_assert_msg(strstr(encode(v), tag) != NULL, "length %zu", len);
		rpc_value_free(v);
	}
}
END_TEST

START_TEST(base64_and_doubles_encode_as_python_does)
{
	struct rpc_value	*v = rpc_v_strn("hello world", 11);

	v->type = RPC_T_BASE64;
	ck_assert_ptr_nonnull(strstr(encode(v),
	    "<value><base64>\naGVsbG8gd29ybGQ=\n</base64></value>\n"));
	rpc_value_free(v);
	v = rpc_v_double(0.1);
	ck_assert_ptr_nonnull(strstr(encode(v), "<double>0.1</double>"));
	rpc_value_free(v);
	v = rpc_v_double(3);
	ck_assert_ptr_nonnull(strstr(encode(v), "<double>3.0</double>"));
	rpc_value_free(v);
}
END_TEST

/* Each case: bytes in, the string element's text out. */
static const struct {
	const char	*in;
	const char	*out;
} utf8_cases[] = {
	{ "plain", "plain" },
	{ "caf\xc3\xa9", "caf\xc3\xa9" },
	{ "ab\xe2\x82", "ab\xef\xbf\xbd" },
	{ "\xf0\x9f\x98", "\xef\xbf\xbd" },
	{ "a\xff" "b", "a\xef\xbf\xbd" "b" },
	{ "\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd" },
	{ "\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
	{ "esc\x1b[0m", "esc\xef\xbf\xbd[0m" },
	{ "tab\tnl\n", "tab\tnl\n" },
};

START_TEST(a_split_or_invalid_utf8_sequence_becomes_a_replacement_character)
{
	struct rpc_value	*v = rpc_v_str(utf8_cases[_i].in);
	char			 want[128];

	snprintf(want, sizeof(want), "<value><string>%s</string></value>",
	    utf8_cases[_i].out);
	ck_assert_ptr_nonnull(strstr(encode(v), want));
	rpc_value_free(v);
}
END_TEST

START_TEST(a_value_round_trips_through_encode_and_decode)
{
	struct rpc_value	*a = rpc_v_array();
	struct rpc_buf		 b = { NULL, 0, 0 };
	const char		*s;
	char			*body;

	rpc_v_push(a, rpc_v_str("x<y & z"));
	rpc_v_push(a, rpc_v_int(-3));
	s = encode(a);
	/* a methodResponse's <params> as a call's */
	rpc_buf_add(&b, "<methodCall><methodName>a.b</methodName>", 40);
	s = strstr(s, "<params>");
	rpc_buf_add(&b, s, strstr(s, "</methodResponse>") - s);
	rpc_buf_add(&b, "</methodCall>", 13);
	body = b.p;
	ck_assert_int_eq(decode(body), 0);
	ck_assert_str_eq(params->items[0]->items[0]->s, "x<y & z");
	ck_assert_int_eq(params->items[0]->items[1]->i, -3);
	rpc_buf_free(&b);
	rpc_value_free(a);
}
END_TEST

static Suite *
rpc_xml_suite(void)
{
	Suite	*s = suite_create("rpc_xml");
	TCase	*tc;

	tc = tcase_create("decode");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, every_scalar_type_decodes);
	tcase_add_test(tc, an_untyped_value_is_a_string_with_its_spaces);
	tcase_add_test(tc, arrays_and_structs_nest);
	tcase_add_test(tc, a_call_without_params_has_an_empty_array);
	suite_add_tcase(s, tc);

	tc = tcase_create("refuse");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, a_doctype_is_refused_before_any_entity_expands);
	tcase_add_test(tc, an_undeclared_entity_is_an_error);
	tcase_add_test(tc, nesting_deeper_than_the_limit_is_refused);
	tcase_add_test(tc, a_body_over_the_size_limit_is_refused_unread);
	tcase_add_loop_test(tc, malformed_calls_are_refused, 0,
	    sizeof(bad_docs) / sizeof(bad_docs[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("encode");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, a_response_is_laid_out_as_python_writes_it);
	tcase_add_test(tc, a_struct_written_piece_by_piece_matches_its_tree);
	tcase_add_test(tc, a_fault_is_laid_out_as_python_writes_it);
	tcase_add_test(tc, base64_and_doubles_encode_as_python_does);
	tcase_add_test(tc, base64_of_every_length_breaks_lines_as_python_does);
	tcase_add_loop_test(tc,
	    a_split_or_invalid_utf8_sequence_becomes_a_replacement_character,
	    0, sizeof(utf8_cases) / sizeof(utf8_cases[0]));
	tcase_add_test(tc, a_value_round_trips_through_encode_and_decode);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(rpc_xml_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
