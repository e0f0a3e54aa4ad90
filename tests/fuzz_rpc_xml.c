/*
 * fuzz_rpc_xml.c: libFuzzer target over the XML-RPC request decoder, and
 * the encoder on whatever it decoded. Built by `make fuzz` with clang.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "rpc_int.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rpc_buf		 b = { NULL, 0, 0 };
	struct rpc_value	*params;
	char			*method, err[256];

	if (rpc_xml_decode_call((const char *)data, size, &method, &params,
	    err, sizeof(err)) == 0) {
		rpc_xml_encode_response(&b, params);
		rpc_xml_encode_fault(&b, 1, method);
		rpc_buf_free(&b);
		free(method);
		rpc_value_free(params);
	}
	return 0;
}
