#include "common/error.h"
#include "kvm/kvm.h"
int
kvm_import_libvirt(struct import_sink *sink, const struct import_opts *o,
    char **inputs, size_t ninputs)
{
	(void)sink; (void)o; (void)inputs; (void)ninputs;
	return error_set(ERROR_UNSUPPORTED, "not yet");
}
