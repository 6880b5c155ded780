/*
 * kvm.h - what the rest of capplan may call in kvm/, in plain C.
 *
 * kvm/ is the only folder that includes libvirt; other folders reach it
 * through this header, which names no libvirt type.
 */
#ifndef KVM_KVM_H
#define KVM_KVM_H

#include <stddef.h>

struct import_sink;
struct import_opts;

/*
 * The libvirt importer (see capplan-import(1)): sample every running
 * guest of o->uri every o->interval_s seconds for o->duration_s seconds
 * into sink.  -1 with ERROR_BACKEND (libvirt's message) or ERROR_IO.
 */
int kvm_import_libvirt(struct import_sink *sink, const struct import_opts *o,
    char **inputs, size_t ninputs);

#endif
