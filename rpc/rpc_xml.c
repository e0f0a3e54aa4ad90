/*
 * rpc_xml.c: the XML-RPC codec. The decoder reads a methodCall with expat
 * into a tree of struct rpc_value; it refuses DOCTYPE and entity
 * declarations (no entity expansion at all, so no "billion laughs"), and
 * bounds nesting and size. The encoder writes methodResponse documents
 * laid out as Python's xmlrpc.client writes them, so clients see the same
 * bytes as from Supervisor 4.2.5; strings are made valid UTF-8 and valid
 * XML on the way out.
 */
#include "config.h"

#include <errno.h>
#include <expat.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "rpc_int.h"

#define RPC_XML_MAXDEPTH	64
#define RPC_XML_MAXLEN		(16 * 1024 * 1024)

/* Elements, with the element each one may appear in. */
#define RPC_XML_TAGS(X)							\
	X(METHODCALL,	"methodCall",		NONE)			\
	X(METHODNAME,	"methodName",		METHODCALL)		\
	X(PARAMS,	"params",		METHODCALL)		\
	X(PARAM,	"param",		PARAMS)			\
	X(VALUE,	"value",		ANY_VALUE_HOLDER)	\
	X(INT,		"int",			VALUE)			\
	X(I4,		"i4",			VALUE)			\
	X(BOOLEAN,	"boolean",		VALUE)			\
	X(STRING,	"string",		VALUE)			\
	X(DOUBLE,	"double",		VALUE)			\
	X(DATETIME,	"dateTime.iso8601",	VALUE)			\
	X(BASE64,	"base64",		VALUE)			\
	X(ARRAY,	"array",		VALUE)			\
	X(DATA,		"data",			ARRAY)			\
	X(STRUCT,	"struct",		VALUE)			\
	X(MEMBER,	"member",		STRUCT)			\
	X(NAME,		"name",			MEMBER)

enum rpc_xtag {
	RPC_X_NONE,
	RPC_X_ANY_VALUE_HOLDER,
#define RPC_X_ENUM(id, s, parent)	RPC_X_##id,
	RPC_XML_TAGS(RPC_X_ENUM)
#undef RPC_X_ENUM
};

static const struct {
	enum rpc_xtag	 tag;
	const char	*name;
	enum rpc_xtag	 parent;
} rpc_xtags[] = {
#define RPC_X_ROW(id, s, p)	{ RPC_X_##id, s, RPC_X_##p },
	RPC_XML_TAGS(RPC_X_ROW)
#undef RPC_X_ROW
};

/* One open element. */
struct rpc_xframe {
	enum rpc_xtag	 tag;
	struct rpc_value *v;		/* VALUE: its result; ARRAY, STRUCT:
					   the container being filled */
	char		*name;		/* MEMBER: its name */
	bool		 kid;		/* VALUE: has a typed child */
};

/* Decoder state. Owner of everything until it is handed out. */
struct rpc_xdec {
	XML_Parser	 parser;
	struct rpc_xframe stack[RPC_XML_MAXDEPTH];
	int		 depth;
	struct rpc_buf	 text;		/* the current leaf's characters */
	char		*method;
	struct rpc_value *params;
	char		 err[128];
};

/* Room for len more bytes and the NUL. */
void
rpc_buf_reserve(struct rpc_buf *b, size_t len)
{
	size_t	 need = b->len + len + 1;

	if (need <= b->cap)
		return;
	b->cap = b->cap ? b->cap : 256;
	while (b->cap < need)
		b->cap *= 2;
	b->p = xrealloc(b->p, b->cap);
}

static void
rpc_buf_str(struct rpc_buf *b, const char *s)
{
	rpc_buf_add(b, s, strlen(s));
}

/* A string literal, without the strlen. */
#define RPC_BUF_LIT(b, lit)	rpc_buf_add((b), (lit), sizeof(lit) - 1)

void
rpc_buf_free(struct rpc_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

/* ---- decoding ---- */

static void
rpc_xdec_fail(struct rpc_xdec *d, const char *why)
{
	if (d->err[0] == '\0')
		snprintf(d->err, sizeof(d->err), "%s", why);
	XML_StopParser(d->parser, XML_FALSE);
}

static enum rpc_xtag
rpc_xtag_find(const char *name, enum rpc_xtag *parent)
{
	size_t	 i;

	for (i = 0; i < sizeof(rpc_xtags) / sizeof(rpc_xtags[0]); i++)
		if (strcmp(rpc_xtags[i].name, name) == 0) {
			*parent = rpc_xtags[i].parent;
			return rpc_xtags[i].tag;
		}
	return RPC_X_NONE;
}

static bool
rpc_xtag_fits(enum rpc_xtag want, enum rpc_xtag have)
{
	if (want == RPC_X_ANY_VALUE_HOLDER)
		return have == RPC_X_PARAM || have == RPC_X_DATA ||
		    have == RPC_X_MEMBER;
	return want == have;
}

static const char *
rpc_xtext(struct rpc_xdec *d)
{
	return d->text.p != NULL ? d->text.p : "";
}

/* Base64 text to bytes; whitespace is skipped, padding ends the data. */
static struct rpc_value *
rpc_xbase64(const char *s, size_t len)
{
	struct rpc_value	*v;
	unsigned long		 acc = 0;
	size_t			 i, n = 0;
	int			 bits = 0, c;
	char			*out;

	out = xmalloc(len / 4 * 3 + 4);
	for (i = 0; i < len && s[i] != '='; i++) {
		if (strchr(" \t\r\n", s[i]) != NULL)
			continue;
		if ((c = rpc_b64_val((unsigned char)s[i])) == -1) {
			free(out);
			return NULL;
		}
		acc = (acc << 6) | (unsigned long)c;
		if ((bits += 6) >= 8) {
			bits -= 8;
			out[n++] = (char)((acc >> bits) & 0xff);
		}
	}
	v = rpc_v_strn(out, n);
	v->type = RPC_T_BASE64;
	free(out);
	return v;
}

/* The scalar of a typed leaf, or NULL when its text is not valid. */
static struct rpc_value *
rpc_xscalar(struct rpc_xdec *d, enum rpc_xtag tag)
{
	const char		*s = rpc_xtext(d);
	char			*end;
	long long		 i;
	double			 x;
	struct rpc_value	*v;

	switch (tag) {
	case RPC_X_INT:
	case RPC_X_I4:
		errno = 0;
		i = strtoll(s, &end, 10);
		while (*end == ' ' || *end == '\t' || *end == '\n' ||
		    *end == '\r')
			end++;
		if (errno != 0 || end == s || *end != '\0')
			return NULL;
		return rpc_v_int(i);
	case RPC_X_BOOLEAN:
		/* as 4.2.5 reads it: "1" is true, anything else false */
		return rpc_v_bool(strcmp(s, "1") == 0);
	case RPC_X_DOUBLE:
		errno = 0;
		x = strtod(s, &end);
		if (end == s || *end != '\0' || errno == ERANGE)
			return NULL;
		return rpc_v_double(x);
	case RPC_X_DATETIME:
		v = rpc_v_strn(s, d->text.len);
		v->type = RPC_T_DATETIME;
		return v;
	case RPC_X_BASE64:
		return rpc_xbase64(s, d->text.len);
	default:
		return rpc_v_strn(s, d->text.len);
	}
}

/* Hand a finished value to the element that holds it. */
static void
rpc_xdeliver(struct rpc_xdec *d, struct rpc_value *v)
{
	struct rpc_xframe	*up = &d->stack[d->depth - 1];

	if (up->tag == RPC_X_DATA)
		rpc_v_push(d->stack[d->depth - 2].v, v);
	else
		up->v = v;
}

static bool
rpc_xtag_is_leaf(enum rpc_xtag t)
{
	return t == RPC_X_METHODNAME || t == RPC_X_NAME || t == RPC_X_VALUE ||
	    (t >= RPC_X_INT && t <= RPC_X_BASE64);
}

/* Checks that an element may open here; fails the parse if not. */
static int
rpc_xopen_check(struct rpc_xdec *d, enum rpc_xtag tag, enum rpc_xtag parent)
{
	struct rpc_xframe	*up;

	if (d->depth >= RPC_XML_MAXDEPTH) {
		rpc_xdec_fail(d, "nested too deep");
		return -1;
	}
	if (d->depth == 0) {
		if (tag != RPC_X_METHODCALL)
			rpc_xdec_fail(d, "not a methodCall");
		return tag == RPC_X_METHODCALL ? 0 : -1;
	}
	up = &d->stack[d->depth - 1];
	if (tag == RPC_X_NONE || !rpc_xtag_fits(parent, up->tag)) {
		rpc_xdec_fail(d, "unexpected element");
		return -1;
	}
	/* a value holds one thing; a param or a member one value */
	if ((up->tag == RPC_X_VALUE && up->kid) || ((up->tag == RPC_X_PARAM ||
	    (up->tag == RPC_X_MEMBER && tag == RPC_X_VALUE)) && up->v != NULL)) {
		rpc_xdec_fail(d, "more than one value");
		return -1;
	}
	if (tag == RPC_X_PARAMS && d->params != NULL) {
		rpc_xdec_fail(d, "more than one params");
		return -1;
	}
	return 0;
}

static void XMLCALL
rpc_xstart(void *arg, const XML_Char *name, const XML_Char **attrs)
{
	struct rpc_xdec		*d = arg;
	struct rpc_xframe	*f;
	enum rpc_xtag		 tag, parent = RPC_X_NONE;

	if (d->err[0] != '\0')
		return;
	tag = rpc_xtag_find(name, &parent);
	if (rpc_xopen_check(d, tag, parent) == -1)
		return;
	f = &d->stack[d->depth++];
	memset(f, 0, sizeof(*f));
	f->tag = tag;
	if (d->depth > 1 && d->stack[d->depth - 2].tag == RPC_X_VALUE)
		d->stack[d->depth - 2].kid = true;
	if (tag == RPC_X_PARAMS)
		d->params = rpc_v_array();
	else if (tag == RPC_X_ARRAY)
		f->v = rpc_v_array();
	else if (tag == RPC_X_STRUCT)
		f->v = rpc_v_struct();
	if (rpc_xtag_is_leaf(tag) && d->text.p != NULL) {
		d->text.len = 0;
		d->text.p[0] = '\0';
	}
}

static void XMLCALL
rpc_xchars(void *arg, const XML_Char *s, int len)
{
	struct rpc_xdec		*d = arg;
	struct rpc_xframe	*f;

	if (d->err[0] != '\0' || d->depth == 0)
		return;
	f = &d->stack[d->depth - 1];
	if (!rpc_xtag_is_leaf(f->tag) || f->kid)
		return;
	rpc_buf_add(&d->text, s, (size_t)len);
}

/* Closes the top element; returns -1 (and fails) when it is incomplete. */
static int
rpc_xclose(struct rpc_xdec *d, struct rpc_xframe *f)
{
	struct rpc_value	*v;

	switch (f->tag) {
	case RPC_X_METHODNAME:
		if (d->method != NULL)
			return -1;
		d->method = xstrdup(rpc_xtext(d));
		return 0;
	case RPC_X_NAME:
		if (d->stack[d->depth - 1].name != NULL)
			return -1;
		d->stack[d->depth - 1].name = xstrdup(rpc_xtext(d));
		return 0;
	case RPC_X_VALUE:
		v = f->v != NULL ? f->v : rpc_v_strn(rpc_xtext(d),
		    d->text.len);
		f->v = NULL;
		rpc_xdeliver(d, v);
		return 0;
	case RPC_X_PARAM:
		if (f->v == NULL)
			return -1;
		rpc_v_push(d->params, f->v);
		f->v = NULL;
		return 0;
	case RPC_X_MEMBER:
		if (f->v == NULL || f->name == NULL)
			return -1;
		rpc_v_set(d->stack[d->depth - 1].v, f->name, f->v);
		f->v = NULL;
		return 0;
	case RPC_X_ARRAY:
	case RPC_X_STRUCT:
		rpc_xdeliver(d, f->v);
		f->v = NULL;
		return 0;
	case RPC_X_METHODCALL:
	case RPC_X_PARAMS:
	case RPC_X_DATA:
		return 0;
	default:
		if ((v = rpc_xscalar(d, f->tag)) == NULL)
			return -1;
		rpc_xdeliver(d, v);
		return 0;
	}
}

static void
rpc_xframe_clear(struct rpc_xframe *f)
{
	rpc_value_free(f->v);
	f->v = NULL;
	free(f->name);
	f->name = NULL;
}

static void XMLCALL
rpc_xend(void *arg, const XML_Char *name)
{
	struct rpc_xdec		*d = arg;
	struct rpc_xframe	 f;

	if (d->err[0] != '\0' || d->depth == 0)
		return;
	f = d->stack[--d->depth];
	if (rpc_xclose(d, &f) == -1)
		rpc_xdec_fail(d, "incomplete or invalid element");
	rpc_xframe_clear(&f);
}

static void XMLCALL
rpc_xdoctype(void *arg, const XML_Char *name, const XML_Char *sysid,
    const XML_Char *pubid, int has_internal_subset)
{
	rpc_xdec_fail(arg, "DOCTYPE not allowed");
}

static void XMLCALL
rpc_xentity(void *arg, const XML_Char *name, int is_param,
    const XML_Char *value, int value_length, const XML_Char *base,
    const XML_Char *sysid, const XML_Char *pubid, const XML_Char *notation)
{
	rpc_xdec_fail(arg, "entity declarations not allowed");
}

static void
rpc_xdec_cleanup(struct rpc_xdec *d)
{
	while (d->depth > 0)
		rpc_xframe_clear(&d->stack[--d->depth]);
	rpc_buf_free(&d->text);
	free(d->method);
	rpc_value_free(d->params);
	if (d->parser != NULL)
		XML_ParserFree(d->parser);
}

static void
rpc_xdec_setup(struct rpc_xdec *d)
{
	memset(d, 0, sizeof(*d));
	if ((d->parser = XML_ParserCreate(NULL)) == NULL)
		fatal("XML_ParserCreate");
	XML_SetUserData(d->parser, d);
	XML_SetElementHandler(d->parser, rpc_xstart, rpc_xend);
	XML_SetCharacterDataHandler(d->parser, rpc_xchars);
	XML_SetStartDoctypeDeclHandler(d->parser, rpc_xdoctype);
	XML_SetEntityDeclHandler(d->parser, rpc_xentity);
	XML_SetParamEntityParsing(d->parser, XML_PARAM_ENTITY_PARSING_NEVER);
}

int
rpc_xml_decode_call(const char *body, size_t len, char **method,
    struct rpc_value **params, char *err, size_t errlen)
{
	struct rpc_xdec	 d;

	*method = NULL;
	*params = NULL;
	if (len > RPC_XML_MAXLEN) {
		snprintf(err, errlen, "request larger than %d bytes",
		    RPC_XML_MAXLEN);
		return -1;
	}
	rpc_xdec_setup(&d);
	if (XML_Parse(d.parser, body, (int)len, XML_TRUE) == XML_STATUS_ERROR &&
	    d.err[0] == '\0')
		snprintf(d.err, sizeof(d.err), "line %lu: %s",
		    (unsigned long)XML_GetCurrentLineNumber(d.parser),
		    XML_ErrorString(XML_GetErrorCode(d.parser)));
	if (d.err[0] == '\0' && (d.method == NULL || d.method[0] == '\0'))
		snprintf(d.err, sizeof(d.err), "no method name");
	if (d.err[0] != '\0') {
		snprintf(err, errlen, "%s", d.err);
		rpc_xdec_cleanup(&d);
		return -1;
	}
	*method = d.method;
	*params = d.params != NULL ? d.params : rpc_v_array();
	d.method = NULL;
	d.params = NULL;
	rpc_xdec_cleanup(&d);
	return 0;
}

/* ---- encoding ---- */

/* Whether the code point of a valid sequence may appear in XML 1.0. */
static bool
rpc_xml_char_ok(const unsigned char *s, int n)
{
	if (n == 1)
		return s[0] >= 0x20 || s[0] == '\t' || s[0] == '\n' ||
		    s[0] == '\r';
	/* U+FFFE and U+FFFF are EF BF BE / EF BF BF */
	return !(n == 3 && s[0] == 0xef && s[1] == 0xbf && s[2] >= 0xbe);
}

/*
 * Character data: &, < and > escaped as Python does; bytes that are not
 * UTF-8, or characters XML cannot carry, become U+FFFD (one per maximal
 * invalid subpart, as Python's "replace" decoding gives).
 */
/* Bit c set: ASCII c (below 0x40) goes out as it is. */
#define RPC_XML_PLAIN_LO	(0xffffffff00000000ULL & ~(1ULL << '&' | \
	1ULL << '<' | 1ULL << '>'))

/* One test per byte of the common case: long runs of plain ASCII. */
static inline bool
rpc_xml_plain(unsigned char c)
{
	return c >= 0x40 ? c < 0x80 : (RPC_XML_PLAIN_LO >> c) & 1;
}

static void
rpc_xml_escape(struct rpc_buf *b, const char *str, size_t len)
{
	const unsigned char	*s = (const unsigned char *)str;
	size_t			 i = 0, run = 0;
	int			 n;

	while (i < len) {
		if (rpc_xml_plain(s[i])) {
			i++;
			continue;
		}
		n = rpc_utf8_seq(s + i, len - i);
		if (n > 0 && rpc_xml_char_ok(s + i, n) && s[i] != '&' &&
		    s[i] != '<' && s[i] != '>') {
			i += (size_t)n;
			continue;
		}
		rpc_buf_add(b, s + run, i - run);
		if (n > 0 && s[i] == '&')
			RPC_BUF_LIT(b, "&amp;");
		else if (n > 0 && s[i] == '<')
			RPC_BUF_LIT(b, "&lt;");
		else if (n > 0 && s[i] == '>')
			RPC_BUF_LIT(b, "&gt;");
		else
			RPC_BUF_LIT(b, "\xef\xbf\xbd");
		i += (size_t)(n > 0 ? n : -n);
		run = i;
	}
	rpc_buf_add(b, s + run, i - run);
}

/* Python's repr() of a float: the shortest text that reads back. */
static void
rpc_xml_double(struct rpc_buf *b, double x)
{
	char	 tmp[64];
	int	 prec;

	if (isnan(x) || isinf(x)) {
		rpc_buf_str(b, isnan(x) ? "nan" : (x > 0 ? "inf" : "-inf"));
		return;
	}
	for (prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*g", prec, x);
		if (strtod(tmp, NULL) == x)
			break;
	}
	rpc_buf_str(b, tmp);
	if (strpbrk(tmp, ".e") == NULL)
		RPC_BUF_LIT(b, ".0");
}

/*
 * As base64.encodebytes writes it: 76 characters a line, each line ended
 * by a newline. Straight into the buffer, reserved once: getEvents sends
 * thousands of these in one answer.
 */
static void
rpc_xml_base64(struct rpc_buf *b, const unsigned char *s, size_t len)
{
	static const char	 al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t			 quads = (len + 2) / 3, i, line = 0;
	unsigned long		 w;
	char			*o;

	if (len == 0)
		return;
	rpc_buf_reserve(b, quads * 4 + quads / 19 + 1);
	o = b->p + b->len;
	for (i = 0; i + 3 <= len; i += 3) {
		w = (unsigned long)s[i] << 16 | (unsigned long)s[i + 1] << 8 |
		    s[i + 2];
		o[0] = al[(w >> 18) & 63];
		o[1] = al[(w >> 12) & 63];
		o[2] = al[(w >> 6) & 63];
		o[3] = al[w & 63];
		o += 4;
		if (++line == 19 && i + 3 < len) {
			*o++ = '\n';
			line = 0;
		}
	}
	if (i < len) {
		w = (unsigned long)s[i] << 16;
		if (i + 1 < len)
			w |= (unsigned long)s[i + 1] << 8;
		o[0] = al[(w >> 18) & 63];
		o[1] = al[(w >> 12) & 63];
		o[2] = i + 1 < len ? al[(w >> 6) & 63] : '=';
		o[3] = '=';
		o += 4;
	}
	*o++ = '\n';
	*o = '\0';
	b->len = o - b->p;
}

void
rpc_xml_put_base64(struct rpc_buf *b, const void *p, size_t len)
{
	RPC_BUF_LIT(b, "<value><base64>\n");
	rpc_xml_base64(b, p, len);
	RPC_BUF_LIT(b, "</base64></value>\n");
}

static void
rpc_xml_scalar(struct rpc_buf *b, const char *tag, const char *text)
{
	RPC_BUF_LIT(b, "<value><");
	rpc_buf_str(b, tag);
	RPC_BUF_LIT(b, ">");
	rpc_buf_str(b, text);
	RPC_BUF_LIT(b, "</");
	rpc_buf_str(b, tag);
	RPC_BUF_LIT(b, "></value>\n");
}

/* The digits of i, as %lld writes them, without printf's overhead. */
static void
rpc_xml_num(struct rpc_buf *b, long long i)
{
	char			 tmp[24], *p = tmp + sizeof(tmp);
	unsigned long long	 u;

	u = i < 0 ? -(unsigned long long)i : (unsigned long long)i;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (i < 0)
		*--p = '-';
	rpc_buf_add(b, p, (size_t)(tmp + sizeof(tmp) - p));
}

void
rpc_xml_put_int(struct rpc_buf *b, long long i)
{
	RPC_BUF_LIT(b, "<value><int>");
	rpc_xml_num(b, i);
	RPC_BUF_LIT(b, "</int></value>\n");
}

void
rpc_xml_put_str(struct rpc_buf *b, const char *s, size_t len)
{
	RPC_BUF_LIT(b, "<value><string>");
	rpc_xml_escape(b, s, len);
	RPC_BUF_LIT(b, "</string></value>\n");
}

/* Opens an array or a struct; close it with rpc_xml_put_close. */
void
rpc_xml_put_open(struct rpc_buf *b, enum rpc_type t)
{
	if (t == RPC_T_ARRAY)
		RPC_BUF_LIT(b, "<value><array><data>\n");
	else
		RPC_BUF_LIT(b, "<value><struct>\n");
}

void
rpc_xml_put_close(struct rpc_buf *b, enum rpc_type t)
{
	if (t == RPC_T_ARRAY)
		RPC_BUF_LIT(b, "</data></array></value>\n");
	else
		RPC_BUF_LIT(b, "</struct></value>\n");
}

/* A struct member's start; its value and rpc_xml_put_member_end follow. */
void
rpc_xml_put_member(struct rpc_buf *b, const char *name)
{
	RPC_BUF_LIT(b, "<member>\n<name>");
	rpc_xml_escape(b, name, strlen(name));
	RPC_BUF_LIT(b, "</name>\n");
}

void
rpc_xml_put_member_end(struct rpc_buf *b)
{
	RPC_BUF_LIT(b, "</member>\n");
}

static void
rpc_xml_value(struct rpc_buf *b, const struct rpc_value *v)
{
	size_t	 i;

	switch (v->type) {
	case RPC_T_INT:
		rpc_xml_put_int(b, v->i);
		break;
	case RPC_T_BOOL:
		rpc_xml_scalar(b, "boolean", v->i ? "1" : "0");
		break;
	case RPC_T_DOUBLE:
		RPC_BUF_LIT(b, "<value><double>");
		rpc_xml_double(b, v->d);
		RPC_BUF_LIT(b, "</double></value>\n");
		break;
	case RPC_T_STRING:
		rpc_xml_put_str(b, v->s, v->slen);
		break;
	case RPC_T_DATETIME:
		RPC_BUF_LIT(b, "<value><dateTime.iso8601>");
		rpc_xml_escape(b, v->s, v->slen);
		RPC_BUF_LIT(b, "</dateTime.iso8601></value>\n");
		break;
	case RPC_T_BASE64:
		rpc_xml_put_base64(b, v->s, v->slen);
		break;
	case RPC_T_ARRAY:
		rpc_xml_put_open(b, RPC_T_ARRAY);
		for (i = 0; i < v->n; i++)
			rpc_xml_value(b, v->items[i]);
		rpc_xml_put_close(b, RPC_T_ARRAY);
		break;
	case RPC_T_STRUCT:
		rpc_xml_put_open(b, RPC_T_STRUCT);
		for (i = 0; i < v->n; i++) {
			rpc_xml_put_member(b, v->members[i].name);
			rpc_xml_value(b, v->members[i].value);
			rpc_xml_put_member_end(b);
		}
		rpc_xml_put_close(b, RPC_T_STRUCT);
		break;
	case RPC_T_XML:
		rpc_buf_add(b, v->s, v->slen);
		break;
	}
}

void
rpc_xml_encode_response(struct rpc_buf *b, const struct rpc_value *v)
{
	if (v->type == RPC_T_XML)
		rpc_buf_reserve(b, v->slen + 128);
	rpc_buf_str(b, "<?xml version='1.0'?>\n<methodResponse>\n<params>\n"
	    "<param>\n");
	rpc_xml_value(b, v);
	RPC_BUF_LIT(b, "</param>\n</params>\n</methodResponse>\n");
}

void
rpc_xml_encode_fault(struct rpc_buf *b, int code, const char *string)
{
	char	 num[16];

	snprintf(num, sizeof(num), "%d", code);
	rpc_buf_str(b, "<?xml version='1.0'?>\n<methodResponse>\n<fault>\n"
	    "<value><struct>\n<member>\n<name>faultCode</name>\n");
	rpc_xml_scalar(b, "int", num);
	rpc_buf_str(b, "</member>\n<member>\n<name>faultString</name>\n"
	    "<value><string>");
	rpc_xml_escape(b, string, strlen(string));
	rpc_buf_str(b, "</string></value>\n</member>\n</struct></value>\n"
	    "</fault>\n</methodResponse>\n");
}
