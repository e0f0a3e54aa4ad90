/*
 * pm_capscan.h: the capture-mode token scanner, pure (no I/O, no loop),
 * so that pm_output.c and the fuzzer share one copy of it.
 */
#ifndef NV_PM_CAPSCAN_H
#define NV_PM_CAPSCAN_H

#include <stdbool.h>
#include <stddef.h>

/* Scanner state of one output channel. Owns pend. */
struct pm_capscan {
	bool		 capturemode;
	char		*pend;		/* token-prefix bytes held back */
	size_t		 pendlen;
};
#define PM_CAPSCAN_ZERO	{ false, NULL, 0 }

enum pm_capscan_kind {
	PM_CAPSCAN_TEXT,	/* normal output (len > 0) */
	PM_CAPSCAN_CAPTURE,	/* bytes between BEGIN and END (len > 0) */
	PM_CAPSCAN_END,		/* END seen: the capture is complete */
};

/* data may be rewritten in place by the callee (ANSI stripping). */
typedef void pm_capscan_cb(void *arg, enum pm_capscan_kind, char *data,
		    size_t len);

/* Split data by the tokens; only a token prefix is held back. */
void	pm_capscan_feed(struct pm_capscan *, char *data, size_t len,
	    pm_capscan_cb *, void *arg);
/* End of stream: held-back bytes out as text (if not capturing); reset. */
void	pm_capscan_close(struct pm_capscan *, pm_capscan_cb *, void *arg);

#endif
