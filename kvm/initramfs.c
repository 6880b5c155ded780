/*
 * initramfs.c - a newc cpio archive for a validate guest.
 *
 * Each entry is a 110-byte ASCII header ("070701" and thirteen 8-digit
 * hex fields), the name with its NUL, padding to 4 bytes, the data and
 * padding to 4 bytes; "TRAILER!!!" ends the archive.  The device node
 * /dev/console (5, 1) is in the archive itself, so the kernel gives init
 * its console before any /dev is mounted.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/ofile.h"
#include "common/strbuf.h"
#include "kvm/initramfs.h"

/* the file types of a newc mode field (the traditional Unix values) */
#define CPIO_DIR 0040000u
#define CPIO_CHR 0020000u
#define CPIO_REG 0100000u

struct cpio_entry {
	const char *name;
	unsigned mode;		/* type and permissions */
	unsigned rmajor, rminor;	/* a device's numbers */
	const void *data;
	size_t len;
};

static void
pad4(struct strbuf *sb)
{
	while (sb->len % 4 != 0)
		strbuf_addch(sb, '\0');
}

static void
cpio_add(struct strbuf *sb, const struct cpio_entry *e, unsigned ino)
{
	strbuf_addf(sb, "070701%08x%08x%08x%08x%08x%08x%08zx%08x%08x%08x%08x"
	    "%08zx%08x", ino, e->mode, 0u, 0u, 1u, 0u, e->len, 0u, 0u,
	    e->rmajor, e->rminor, strlen(e->name) + 1, 0u);
	strbuf_add(sb, e->name, strlen(e->name) + 1);
	pad4(sb);
	if (e->len > 0)
		strbuf_add(sb, e->data, e->len);
	pad4(sb);
}

/* the whole file at path into sb; -1 with ERROR_IO */
static int
read_all(const char *path, struct strbuf *sb)
{
	char buf[65536];
	FILE *fp = fopen(path, "rb");
	size_t n;

	if (fp == NULL)
		return error_set_errno(ERROR_IO, "cannot open '%s'", path);
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		strbuf_add(sb, buf, n);
	if (ferror(fp)) {
		fclose(fp);
		return error_set_errno(ERROR_IO, "cannot read '%s'", path);
	}
	fclose(fp);
	return 0;
}

int
initramfs_write(const char *path, const char *replay, const char *conf,
    size_t len)
{
	struct strbuf bin = STRBUF_INIT, out = STRBUF_INIT;
	struct cpio_entry e[] = {
		{ "dev", CPIO_DIR | 0755, 0, 0, NULL, 0 },
		{ "dev/console", CPIO_CHR | 0600, 5, 1, NULL, 0 },
		{ "proc", CPIO_DIR | 0555, 0, 0, NULL, 0 },
		{ "init", CPIO_REG | 0755, 0, 0, NULL, 0 },
		{ "replay.conf", CPIO_REG | 0644, 0, 0, conf, len },
		{ "TRAILER!!!", 0, 0, 0, NULL, 0 },
	};
	size_t i;
	int ret;

	strbuf_init(&bin);
	strbuf_init(&out);
	if (read_all(replay, &bin) == -1) {
		strbuf_release(&bin);
		return -1;
	}
	e[3].data = bin.buf;
	e[3].len = bin.len;
	for (i = 0; i < sizeof(e) / sizeof(e[0]); i++)
		cpio_add(&out, &e[i], (unsigned)i + 1);
	ret = ofile_write_all(path, out.buf, out.len);
	strbuf_release(&bin);
	strbuf_release(&out);
	return ret;
}
