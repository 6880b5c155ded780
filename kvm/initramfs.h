/*
 * initramfs.h - the initramfs of a validate guest, written without a
 * shell or cpio(1).
 *
 * A validate guest needs no root file system and no busybox: its
 * initramfs is a newc cpio archive (the format the kernel unpacks, see
 * the kernel's Documentation/driver-api/early-userspace/buffer-format)
 * of /dev/console, /proc, /init (the static capplan-replay) and
 * /replay.conf (its series).  Uncompressed: the kernel takes it as it is.
 */
#ifndef KVM_INITRAMFS_H
#define KVM_INITRAMFS_H

#include <stddef.h>

/*
 * Write path: an archive of /init (the file at replay, mode 0755) and
 * /replay.conf (conf, len bytes).  -1 with ERROR_IO.
 */
int initramfs_write(const char *path, const char *replay, const char *conf,
    size_t len);

#endif
