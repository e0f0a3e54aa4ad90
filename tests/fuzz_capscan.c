/*
 * fuzz_capscan.c: libFuzzer target over the capture-mode scanner. The
 * same bytes are scanned whole and in chunks (sized by the first byte):
 * both must give the same text, the same captures and the same ENDs.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pm_capscan.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* What the scanner said, adjacent pieces of one kind merged. */
struct fuzz_tr {
	char	*s;
	size_t	 len;
	int	 last;
};

static void
fuzz_tr_put(struct fuzz_tr *t, const void *p, size_t n)
{
	if (n == 0)
		return;
	t->s = realloc(t->s, t->len + n + 1);
	memcpy(t->s + t->len, p, n);
	t->len += n;
}

static void
fuzz_cap_cb(void *arg, enum pm_capscan_kind kind, char *data, size_t len)
{
	struct fuzz_tr	*t = arg;
	char		 k = "TCE"[kind];

	if ((kind == PM_CAPSCAN_END) != (len == 0))
		abort();
	if (kind == PM_CAPSCAN_END || t->last != k)
		fuzz_tr_put(t, &k, 1);
	t->last = kind == PM_CAPSCAN_END ? 0 : k;
	fuzz_tr_put(t, data, len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pm_capscan	 s1 = PM_CAPSCAN_ZERO, s2 = PM_CAPSCAN_ZERO;
	struct fuzz_tr		 t1 = { NULL, 0, 0 }, t2 = { NULL, 0, 0 };
	char			*buf;
	size_t			 chunk, off, n;

	if (size == 0)
		return 0;
	chunk = data[0] % 31 + 1;
	buf = malloc(size);
	memcpy(buf, data + 1, size - 1);
	pm_capscan_feed(&s1, buf, size - 1, fuzz_cap_cb, &t1);
	pm_capscan_close(&s1, fuzz_cap_cb, &t1);

	for (off = 1; off < size; off += n) {
		n = size - off < chunk ? size - off : chunk;
		memcpy(buf, data + off, n);
		pm_capscan_feed(&s2, buf, n, fuzz_cap_cb, &t2);
	}
	pm_capscan_close(&s2, fuzz_cap_cb, &t2);

	if (t1.len != t2.len || (t1.len > 0 && memcmp(t1.s, t2.s, t1.len)))
		abort();
	if (t1.len > size * 2)
		abort();
	free(t1.s);
	free(t2.s);
	free(buf);
	return 0;
}
