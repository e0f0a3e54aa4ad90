/*
 * rpc_int.h: shared by rpc/'s files only. Two halves meet here:
 *  - rpc_http.c & co. (the HTTP server) turn a POST /RPC2 body into a call
 *    and send the response when the call is done;
 *  - rpc_xml.c (the XML-RPC codec) and rpc_methods*.c (the API) decode
 *    the call, run the method, possibly later (wait=true), and encode the
 *    response or fault.
 */
#ifndef NV_RPC_INT_H
#define NV_RPC_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "rpc.h"

struct ev_loop;
struct bus;
struct pm;
struct logger;

/* ---- values (owner: whoever holds the root; rpc_value_free frees all) */

enum rpc_type {
	RPC_T_INT,
	RPC_T_BOOL,
	RPC_T_DOUBLE,
	RPC_T_STRING,
	RPC_T_DATETIME,		/* "20260101T12:00:00" as written */
	RPC_T_BASE64,		/* decoded bytes */
	RPC_T_ARRAY,
	RPC_T_STRUCT,
	RPC_T_XML,		/* a <value> element already encoded, in s */
};

struct rpc_buf;
struct rpc_value;
struct rpc_member {
	char		*name;
	struct rpc_value *value;
	bool		 lit;		/* name is a literal, not ours to free */
};

struct rpc_value {
	enum rpc_type	 type;
	long long	 i;		/* INT, BOOL */
	double		 d;		/* DOUBLE */
	char		*s;		/* STRING, DATETIME, BASE64: NUL-ended */
	size_t		 slen;
	struct rpc_value **items;	/* ARRAY */
	struct rpc_member *members;	/* STRUCT, in document order */
	size_t		 n;
};

struct rpc_value *rpc_v_int(long long);
struct rpc_value *rpc_v_bool(bool);
struct rpc_value *rpc_v_double(double);
struct rpc_value *rpc_v_str(const char *);
struct rpc_value *rpc_v_strn(const char *, size_t);
struct rpc_value *rpc_v_array(void);
struct rpc_value *rpc_v_struct(void);
/* Takes the buffer's memory: the encoder copies it out as it is. */
struct rpc_value *rpc_v_xml(struct rpc_buf *);
void		 rpc_v_push(struct rpc_value *array, struct rpc_value *);
void		 rpc_v_set(struct rpc_value *st, const char *name,
		    struct rpc_value *);
/* The same with a name that outlives the value (a string literal):
 * big answers (getAllProcessInfo) skip a copy per member. */
void		 rpc_v_set_lit(struct rpc_value *st, const char *name,
		    struct rpc_value *);
const struct rpc_value *rpc_v_get(const struct rpc_value *st,
		    const char *name);
void		 rpc_value_free(struct rpc_value *);

/* ---- the codec (rpc_xml.c) ---- */

/* rpc_text.c: length of the valid UTF-8 sequence at s, or -(maximal
 * subpart) if not; the value of a base64 digit, or -1. */
int		 rpc_utf8_seq(const unsigned char *s, size_t left);
int		 rpc_b64_val(unsigned char);

/* A growing output buffer. */
struct rpc_buf {
	char		*p;
	size_t		 len;
	size_t		 cap;
};
void		 rpc_buf_reserve(struct rpc_buf *, size_t);

/* Inline: big answers are written in tens of thousands of small pieces. */
static inline void
rpc_buf_add(struct rpc_buf *b, const void *p, size_t len)
{
	if (len == 0)
		return;
	if (b->len + len + 1 > b->cap)
		rpc_buf_reserve(b, len);
	if (b->p == NULL)	/* never so; the analyzer cannot see into reserve */
		abort();
	memcpy(b->p + b->len, p, len);
	b->len += len;
	b->p[b->len] = '\0';
}
void		 rpc_buf_free(struct rpc_buf *);

/*
 * Pieces of a response written straight into a buffer, for answers too
 * big to build as a tree first (getAllProcessInfo). The tree encoder uses
 * the same pieces, so both give the same bytes.
 */
void		 rpc_xml_put_int(struct rpc_buf *, long long);
void		 rpc_xml_put_str(struct rpc_buf *, const char *, size_t);
void		 rpc_xml_put_base64(struct rpc_buf *, const void *, size_t);
void		 rpc_xml_put_open(struct rpc_buf *, enum rpc_type);
void		 rpc_xml_put_close(struct rpc_buf *, enum rpc_type);
void		 rpc_xml_put_member(struct rpc_buf *, const char *name);
void		 rpc_xml_put_member_end(struct rpc_buf *);

/*
 * Parse a methodCall. Returns 0 with the method name and the params as an
 * RPC_T_ARRAY, or -1 with err (not XML, not a methodCall, a DOCTYPE or
 * entity declaration, too deep, ...): the HTTP side answers 400.
 */
int		 rpc_xml_decode_call(const char *body, size_t len,
		    char **method, struct rpc_value **params, char *err,
		    size_t errlen);
void		 rpc_xml_encode_response(struct rpc_buf *,
		    const struct rpc_value *);
void		 rpc_xml_encode_fault(struct rpc_buf *, int code,
		    const char *string);

/* ---- calls (rpc_methods.c) ---- */

struct rpc_methods;

struct rpc_methods *rpc_methods_new(struct ev_loop *, struct bus *,
		    struct pm *, struct logger *, const struct rpc_ops *,
		    void *arg);
void		 rpc_methods_free(struct rpc_methods *);

/* The response body (a methodResponse document) is ready. */
typedef void	 rpc_call_done(const char *xml, size_t len, void *arg);

struct rpc_call;

/*
 * Run the call in body. Returns 0 when it was accepted: done(arg) will be
 * called exactly once, now or later (wait=true), unless the call is
 * cancelled first; *callp is then the handle to cancel it (NULL when done
 * already ran). Returns an HTTP status (400) when body is not a call.
 */
int		 rpc_call_start(struct rpc_methods *, const char *body,
		    size_t len, rpc_call_done *done, void *arg,
		    struct rpc_call **callp);
/* The client went away: forget the call; done will not be called. */
void		 rpc_call_cancel(struct rpc_call *);

#endif
