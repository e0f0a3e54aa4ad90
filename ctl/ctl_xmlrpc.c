/*
 * ctl_xmlrpc.c: methodCall building and methodResponse parsing. Responses
 * are parsed with expat into a ctl_val tree; a <fault> becomes a
 * CTL_E_FAULT error.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <expat.h>

#include "ctl.h"
#include "log.h"

#define XP_DEPTH	64
#define XP_ELDEPTH	(4 * XP_DEPTH + 8)	/* elements, not containers */
#define XP_NAMES	32		/* member names remembered */

/* The elements a response uses; the rest are ignored. */
enum xp_el {
	XP_OTHER, XP_VALUE, XP_FAULT, XP_ARRAY, XP_STRUCT, XP_NAME, XP_NIL,
	XP_INT, XP_BOOL, XP_DOUBLE, XP_STRING,
};

/* Name to kind, by first letter: called for every tag of big answers. */
static enum xp_el
xp_kind(const char *el)
{
#define XP_IS(s)	(strcmp(el, (s)) == 0)
	switch (el[0]) {
	case 'v':
		return XP_IS("value") ? XP_VALUE : XP_OTHER;
	case 's':
		return XP_IS("string") ? XP_STRING : XP_IS("struct") ?
		    XP_STRUCT : XP_OTHER;
	case 'n':
		return XP_IS("name") ? XP_NAME : XP_IS("nil") ? XP_NIL :
		    XP_OTHER;
	case 'i':
		return XP_IS("int") || XP_IS("i4") || XP_IS("i8") ? XP_INT :
		    XP_OTHER;
	case 'a':
		return XP_IS("array") ? XP_ARRAY : XP_OTHER;
	case 'f':
		return XP_IS("fault") ? XP_FAULT : XP_OTHER;
	case 'b':
		return XP_IS("boolean") ? XP_BOOL : XP_IS("base64") ?
		    XP_STRING : XP_OTHER;
	case 'd':
		return XP_IS("double") ? XP_DOUBLE :
		    XP_IS("dateTime.iso8601") ? XP_STRING : XP_OTHER;
	default:
		return XP_OTHER;
	}
#undef XP_IS
}

/* The parser's state. Owner of everything until the root is handed out. */
struct xp {
	struct ctl_val	*stack[XP_DEPTH];
	char		*names[XP_DEPTH];	/* pending member name per level */
	int		 depth;
	enum xp_el	 kinds[XP_ELDEPTH];	/* of the open elements */
	int		 eldepth;		/* may pass XP_ELDEPTH: bad */
	char		*seen[XP_NAMES];	/* the names of member i */
	struct ctl_val	*root;
	struct ctl_arena *arena;	/* every node and name */
	char		*text;
	size_t		 tlen, tcap;
	bool		 typed;		/* the open <value> has a typed child */
	bool		 fault;
	bool		 bad;
};

static void
xp_text_add(struct xp *x, const char *s, size_t n)
{
	if (x->tlen + n + 1 > x->tcap) {
		x->tcap = (x->tlen + n + 1) * 2;
		x->text = xrealloc(x->text, x->tcap);
	}
	memcpy(x->text + x->tlen, s, n);
	x->tlen += n;
	x->text[x->tlen] = '\0';
}

/* A member name in the arena. Structs in an array have the same members
 * in the same order: the name of member i is shared with the previous
 * struct's when it is the same. */
static char *
xp_name(struct xp *x, const char *text, size_t len)
{
	size_t	 i = x->stack[x->depth - 1]->n;
	char	*s;

	if (i < XP_NAMES && (s = x->seen[i]) != NULL &&
	    strncmp(s, text, len + 1) == 0)
		return s;
	s = ctl_arena_strndup(x->arena, text, len);
	if (i < XP_NAMES)
		x->seen[i] = s;
	return s;
}

static void
xp_attach(struct xp *x, struct ctl_val *v)
{
	struct ctl_val	*top;

	x->typed = true;
	if (x->depth == 0) {
		if (x->root == NULL)
			x->root = v;
		return;
	}
	top = x->stack[x->depth - 1];
	if (top->type == CTL_V_STRUCT) {
		ctl_val_push(x->arena, top, x->names[x->depth - 1] != NULL ?
		    x->names[x->depth - 1] : "", v);
		x->names[x->depth - 1] = NULL;
	} else
		ctl_val_push(x->arena, top, NULL, v);
}

static void XMLCALL
xp_start(void *arg, const XML_Char *el, const XML_Char **attr)
{
	struct xp	*x = arg;
	enum xp_el	 k = xp_kind(el);

	if (x->eldepth < XP_ELDEPTH)
		x->kinds[x->eldepth] = k;
	else
		x->bad = true;
	x->eldepth++;
	x->tlen = 0;
	if (x->text != NULL)
		x->text[0] = '\0';
	if (k == XP_VALUE)
		x->typed = false;
	else if (k == XP_FAULT)
		x->fault = true;
	else if (k == XP_ARRAY || k == XP_STRUCT) {
		if (x->depth == XP_DEPTH) {
			x->bad = true;
			return;
		}
		x->names[x->depth] = NULL;
		x->stack[x->depth++] = ctl_val_new(x->arena, k == XP_ARRAY ?
		    CTL_V_ARRAY : CTL_V_STRUCT);
	}
}

static struct ctl_val *
xp_scalar(struct ctl_arena *a, enum xp_el k, const char *text, size_t len)
{
	struct ctl_val	*v;

	switch (k) {
	case XP_INT:
	case XP_BOOL:
		v = ctl_val_new(a, k == XP_INT ? CTL_V_INT : CTL_V_BOOL);
		v->i = strtoll(text, NULL, 10);
		if (k == XP_BOOL)
			v->i = v->i != 0;
		return v;
	case XP_DOUBLE:
		v = ctl_val_new(a, CTL_V_DOUBLE);
		v->d = strtod(text, NULL);
		return v;
	case XP_STRING:
	case XP_VALUE:
	case XP_NIL:
		v = ctl_val_new(a, CTL_V_STR);
		v->s = ctl_arena_strndup(a, text, len);
		v->slen = len;
		return v;
	default:
		return NULL;
	}
}

static void XMLCALL
xp_end(void *arg, const XML_Char *el)
{
	struct xp	*x = arg;
	struct ctl_val	*v;
	enum xp_el	 k = XP_OTHER;
	const char	*text = x->text != NULL ? x->text : "";

	/* expat has checked that this closes the element last opened */
	if (x->eldepth > 0 && --x->eldepth < XP_ELDEPTH)
		k = x->kinds[x->eldepth];
	if (k == XP_NAME && x->depth > 0) {
		x->names[x->depth - 1] = xp_name(x, text, x->tlen);
	} else if (k == XP_ARRAY || k == XP_STRUCT) {
		if (x->depth == 0)
			return;
		v = x->stack[--x->depth];
		x->names[x->depth] = NULL;
		xp_attach(x, v);
	} else if (k == XP_VALUE && x->typed)
		return;
	else if ((v = xp_scalar(x->arena, k, k == XP_NIL ? "" : text,
	    k == XP_NIL ? 0 : x->tlen)) != NULL)
		xp_attach(x, v);
	x->tlen = 0;
	if (x->text != NULL)
		x->text[0] = '\0';
}

/* Only text directly inside a leaf is ever used: the newlines between
 * the other elements, half the character data, are not kept. */
static void XMLCALL
xp_chars(void *arg, const XML_Char *s, int len)
{
	struct xp	*x = arg;

	if (x->eldepth == 0 || x->eldepth > XP_ELDEPTH)
		return;
	switch (x->kinds[x->eldepth - 1]) {
	case XP_VALUE:
	case XP_NAME:
	case XP_INT:
	case XP_BOOL:
	case XP_DOUBLE:
	case XP_STRING:
		xp_text_add(x, s, (size_t)len);
		break;
	default:
		break;
	}
}

/* Refuse DTDs: a response never needs one. */
static void XMLCALL
xp_doctype(void *arg, const XML_Char *name, const XML_Char *sysid,
    const XML_Char *pubid, int has_internal)
{
	((struct xp *)arg)->bad = true;
}

static void
xp_fault(struct ctl_val *root, struct ctl_err *e)
{
	e->kind = CTL_E_FAULT;
	e->code = (int)ctl_val_int(root, "faultCode");
	snprintf(e->msg, sizeof(e->msg), "%s", ctl_val_str(root,
	    "faultString"));
}

/* A response being parsed, fed as it arrives. */
struct ctl_xp {
	XML_Parser	 p;
	struct xp	 x;
};

struct ctl_xp *
ctl_xp_new(void)
{
	struct ctl_xp	*xp = xcalloc(1, sizeof(*xp));

	xp->x.arena = ctl_arena_new();
	/* the encoding is fixed: no detection from the first bytes */
	if ((xp->p = XML_ParserCreate("UTF-8")) == NULL)
		fatalx("XML_ParserCreate failed");
	XML_SetUserData(xp->p, &xp->x);
	XML_SetElementHandler(xp->p, xp_start, xp_end);
	XML_SetCharacterDataHandler(xp->p, xp_chars);
	XML_SetStartDoctypeDeclHandler(xp->p, xp_doctype);
	return xp;
}

/* The next bytes of the document; errors wait for ctl_xp_end. */
void
ctl_xp_feed(struct ctl_xp *xp, const char *s, size_t len)
{
	if (XML_GetErrorCode(xp->p) == XML_ERROR_NONE)
		(void)XML_Parse(xp->p, s, (int)len, XML_FALSE);
}

void
ctl_xp_discard(struct ctl_xp *xp)
{
	XML_ParserFree(xp->p);
	free(xp->x.text);
	ctl_arena_free(xp->x.arena);
	free(xp);
}

/* Ends the document and frees xp: 0 with the value in *out, or -1 with
 * e filled (a fault, or a document that is not a response). */
int
ctl_xp_end(struct ctl_xp *xp, struct ctl_val **out, struct ctl_err *e)
{
	struct xp	*x = &xp->x;
	XML_Parser	 p = xp->p;
	int		 ok;

	*out = NULL;
	ok = XML_GetErrorCode(p) == XML_ERROR_NONE &&
	    XML_Parse(p, "", 0, XML_TRUE) == XML_STATUS_OK && !x->bad &&
	    x->root != NULL;
	if (!ok && !x->bad && x->root == NULL && XML_GetErrorCode(p) == 0)
		snprintf(e->msg, sizeof(e->msg), "empty response");
	else if (!ok)
		snprintf(e->msg, sizeof(e->msg), "%s",
		    XML_ErrorString(XML_GetErrorCode(p)));
	XML_ParserFree(p);
	free(x->text);
	if (!ok || x->fault) {
		if (ok)
			xp_fault(x->root, e);
		else
			e->kind = CTL_E_OTHER;
		ctl_arena_free(x->arena);
		free(xp);
		return -1;
	}
	x->root->arena = x->arena;
	*out = x->root;
	free(xp);
	return 0;
}

int
ctl_xml_parse_response(const char *xml, size_t len, struct ctl_val **out,
    struct ctl_err *e)
{
	struct ctl_xp	*xp = ctl_xp_new();

	ctl_xp_feed(xp, xml, len);
	return ctl_xp_end(xp, out, e);
}

/* A growing text buffer. */
struct xbuf {
	char	*p;
	size_t	 len, cap;
};

static void
xbuf_add(struct xbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2 + 256;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
xbuf_str(struct xbuf *b, const char *s)
{
	xbuf_add(b, s, strlen(s));
}

/* Append s XML-escaped. */
static void
xbuf_esc(struct xbuf *b, const char *s)
{
	const char	*r;

	for (; *s != '\0'; s++) {
		switch (*s) {
		case '<': r = "&lt;"; break;
		case '>': r = "&gt;"; break;
		case '&': r = "&amp;"; break;
		default: xbuf_add(b, s, 1); continue;
		}
		xbuf_str(b, r);
	}
}

/* A struct from NULL-ended key, value pairs; a key marked '#' has an
 * int value, any other a string. */
static void
ctl_xml_build_struct(struct xbuf *b, char **kv)
{
	char	 num[32];

	xbuf_str(b, "<struct>\n");
	for (; kv[0] != NULL; kv += 2) {
		xbuf_str(b, "<member>\n<name>");
		xbuf_esc(b, kv[0] + (kv[0][0] == '#'));
		xbuf_str(b, "</name>\n<value>");
		if (kv[0][0] == '#') {
			snprintf(num, sizeof(num), "<int>%lld</int>",
			    strtoll(kv[1], NULL, 10));
			xbuf_str(b, num);
		} else {
			xbuf_str(b, "<string>");
			xbuf_esc(b, kv[1]);
			xbuf_str(b, "</string>");
		}
		xbuf_str(b, "</value>\n</member>\n");
	}
	xbuf_str(b, "</struct>");
}

/* The methodCall document for method and its params. */
static char *
ctl_xml_build_call(const char *method, const char *fmt, va_list ap,
    size_t *lenp)
{
	struct xbuf	 b = { NULL, 0, 0 };
	char		 num[32];

	xbuf_str(&b, "<?xml version='1.0'?>\n<methodCall>\n<methodName>");
	xbuf_esc(&b, method);
	xbuf_str(&b, "</methodName>\n<params>\n");
	for (; *fmt != '\0'; fmt++) {
		xbuf_str(&b, "<param>\n<value>");
		switch (*fmt) {
		case 's':
			xbuf_str(&b, "<string>");
			xbuf_esc(&b, va_arg(ap, const char *));
			xbuf_str(&b, "</string>");
			break;
		case 'i':
			snprintf(num, sizeof(num), "<int>%d</int>",
			    va_arg(ap, int));
			xbuf_str(&b, num);
			break;
		case 'b':
			snprintf(num, sizeof(num), "<boolean>%d</boolean>",
			    va_arg(ap, int) ? 1 : 0);
			xbuf_str(&b, num);
			break;
		case 'F':
			ctl_xml_build_struct(&b, va_arg(ap, char **));
			break;
		}
		xbuf_str(&b, "</value>\n</param>\n");
	}
	xbuf_str(&b, "</params>\n</methodCall>\n");
	*lenp = b.len;
	return b.p;
}

/* The 200 answer's bytes go straight to the parser as they arrive. */
static void
ctl_call_sink(const char *s, size_t len, void *arg)
{
	ctl_xp_feed(arg, s, len);
}

int
ctl_call(struct ctl *ctl, struct ctl_val **out, struct ctl_err *e,
    const char *method, const char *fmt, ...)
{
	va_list		 ap;
	struct ctl_xp	*xp;
	char		*body;
	size_t		 len;
	int		 rc;

	memset(e, 0, sizeof(*e));
	*out = NULL;
	va_start(ap, fmt);
	body = ctl_xml_build_call(method, fmt, ap, &len);
	va_end(ap);
	xp = ctl_xp_new();
	rc = ctl_http_post(ctl, body, len, ctl_call_sink, xp, e);
	free(body);
	if (rc == 0)
		return ctl_xp_end(xp, out, e);
	/* the transport's error stands; drop what was parsed */
	ctl_xp_discard(xp);
	return rc;
}
