/*
 * kernel.h - the guest kernel as QEMU boots it fastest.
 *
 * A distribution kernel is a bzImage: set-up code and a compressed
 * vmlinux that the kernel decompresses itself before it runs.  Under
 * QEMU's TCG emulator that decompression is emulated, and it is most of
 * the boot: Debian 12's xz kernel takes 4.8 s to its init here, its
 * vmlinux 1.8 s (bench/guest-boot, bench/README.md).  QEMU boots an uncompressed vmlinux ELF
 * directly through its PVH entry point (the Xen note PHYS32_ENTRY that
 * CONFIG_PVH kernels carry), so kernel_prepare() takes the payload out of
 * the bzImage (its header's payload_offset and payload_length, boot
 * protocol 2.08 and later), decompresses it in-process (common/unpack.c:
 * xz or gzip) and checks that the ELF has that note.  When any step does
 * not apply, the file is booted as it is and kb->how says why: a
 * fallback that costs seconds per guest is said, never hidden.
 */
#ifndef KVM_KERNEL_H
#define KVM_KERNEL_H

#include <stdbool.h>

struct kernel_boot {
	char *path;		/* what a domain's <kernel> names */
	char *how;		/* one line: how it boots and why */
	bool unpacked;		/* path is the vmlinux written to workdir */
};

/*
 * The kernel file at path as a domain should boot it: the vmlinux in
 * workdir/vmlinux (mode 0644: QEMU runs as another user) when path is a
 * bzImage whose payload unpacks to an ELF with a PVH entry, path itself
 * when it is such an ELF already, else path with the reason in kb->how.
 * -1 with ERROR_IO only when path cannot be read or workdir written.
 */
int kernel_prepare(const char *path, const char *workdir,
    struct kernel_boot *kb);
/* Free kb's strings (the vmlinux file stays; the work folder's owner
 * removes it). */
void kernel_boot_release(struct kernel_boot *kb);

#endif
