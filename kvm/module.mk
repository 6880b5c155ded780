# kvm/: the only libvirt user.  The hypervisor probe (KVM, else QEMU
# TCG), the guest image, the statistics sampler (kvm.h) that capplan
# import libvirt and validate use, and validate.
KVM_SRC = kvm/hypervisor.c kvm/kernel.c kvm/stats.c kvm/initramfs.c \
	kvm/replica.c kvm/vrun.c kvm/validate.c kvm/cmd_validate.c
$(eval $(call module_lib,kvm,$(KVM_SRC)))
ANALYST_LIBS += $(B)/libkvm.a
LIBVIRT_CFLAGS := $(shell $(PKG_CONFIG) --cflags libvirt 2>/dev/null)
LIBVIRT_LIBS := $(shell $(PKG_CONFIG) --libs libvirt 2>/dev/null || echo -lvirt)
EXT_LIBS += $(LIBVIRT_LIBS)
$(call in_roots,kvm/%.o): EXTRA_CFLAGS = $(LIBVIRT_CFLAGS)

# tests: the guest tool the shell tests drive guests with
KVM_TEST_TOOLS = $(B)/tests/kvm/guest-tool
CHECK_DEPS += $(KVM_TEST_TOOLS)
$(B)/tests/kvm/guest-tool: $(B)/tests/kvm/guest-tool.o $(ANALYST_LIBS) $(LIBANALYST) \
	$(LIBCOMMON)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(LINK_ANALYST)
$(B)/tests/kvm/%.o: EXTRA_CFLAGS = $(LIBVIRT_CFLAGS)
CHECK_SCRIPTS += tests/kvm/libvirtd-ctl.sh tests/kvm/import-libvirt.sh \
	tests/kvm/validate.sh

# where capplan validate finds capplan-replay once installed
$(call in_roots,kvm/validate.o): EXTRA_CFLAGS = $(LIBVIRT_CFLAGS) \
	-DCAPPLAN_LIBEXECDIR='"$(LIBEXECDIR)"'

# capplan-replay runs as PID 1 of a validate guest: static, libc only,
# never sanitised (a static program cannot carry ASan's runtime)
LIBEXEC_BINS += $(B)/capplan-replay
$(B)/capplan-replay: kvm/guest/replay.c
	@mkdir -p $(@D)
	$(CC) $(STD) $(WARN) -O2 -s -static -pthread -o $@ $< -lm

KVM_UNIT = replica validate_cpus kernel
UNIT_TESTS += $(KVM_UNIT:%=$(B)/tests/unit/test_%)
BENCH_SCRIPTS += bench/validate bench/guest-boot
