# kvm/: the only libvirt user.  The hypervisor probe (KVM, else QEMU
# TCG), the guest image, domain XML, and the libvirt importer; validate
# builds on these.
KVM_SRC = kvm/hypervisor.c kvm/domain.c kvm/imp_libvirt.c
$(eval $(call module_lib,kvm,$(KVM_SRC)))
ANALYST_LIBS += $(B)/libkvm.a
LIBVIRT_CFLAGS := $(shell $(PKG_CONFIG) --cflags libvirt 2>/dev/null)
LIBVIRT_LIBS := $(shell $(PKG_CONFIG) --libs libvirt 2>/dev/null || echo -lvirt)
EXT_LIBS += $(LIBVIRT_LIBS)
$(B)/kvm/%.o: EXTRA_CFLAGS = $(LIBVIRT_CFLAGS)
