/*
 * fuzz_bus.c: libFuzzer target over the bus message codec. A message
 * that decodes must encode again, and that encoding must decode and
 * encode to the very same bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bus.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bus_event	 ev;
	char			*msg, *e1, *e2, *copy;
	size_t			 l1, l2;

	msg = malloc(size + 1);
	memcpy(msg, data, size);
	if (bus_decode(msg, size, &ev) == -1) {
		free(msg);
		return 0;
	}
	e1 = bus_encode(&ev, 7, &l1);
	copy = malloc(l1 + 1);
	memcpy(copy, e1, l1);
	if (bus_decode(copy, l1, &ev) == -1)
		abort();
	e2 = bus_encode(&ev, 7, &l2);
	if (l1 != l2 || memcmp(e1, e2, l1) != 0)
		abort();
	free(e2);
	free(copy);
	free(e1);
	free(msg);
	return 0;
}
