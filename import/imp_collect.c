#include "common/error.h"
#include "import/import.h"
int
import_collect(struct import_sink *sink, const struct import_opts *o,
    char **inputs, size_t ninputs)
{
	(void)sink; (void)o; (void)inputs; (void)ninputs;
	return error_set(ERROR_UNSUPPORTED, "not yet");
}
