/*
 * kernel.c - a bzImage's vmlinux taken out for a PVH boot (kernel.h).
 *
 * The layout read here is the kernel's own boot protocol
 * (Documentation/arch/x86/boot.rst): setup_sects at 0x1f1, "HdrS" at
 * 0x202, the protocol version at 0x206, payload_offset and payload_length
 * at 0x248 and 0x24c, the payload starting that far into the
 * protected-mode code, which follows the (setup_sects + 1) * 512 bytes of
 * set-up.  The payload is one compressed stream followed by the
 * uncompressed length (4 bytes), so only the first stream is read.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/error.h"
#include "common/strbuf.h"
#include "common/unpack.h"
#include "common/xalloc.h"
#include "kvm/kernel.h"

#define XEN_ELFNOTE_PHYS32_ENTRY 18	/* xen/include/public/elfnote.h */
#define NOTES_MAX (1 << 20)		/* a PT_NOTE larger than this is not read */

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

/* exactly n bytes at off, else 0 (a short file is not an I/O error) */
static int
read_at(int fd, off_t off, void *buf, size_t n)
{
	ssize_t r = pread(fd, buf, n, off);

	return r == (ssize_t)n;
}

/* does the PT_NOTE segment [off, off+len) of fd hold Xen's PHYS32_ENTRY? */
static bool
notes_have_pvh(int fd, off_t off, size_t len)
{
	unsigned char *b;
	size_t at = 0, nsz, dsz;
	bool found = false;

	if (len > NOTES_MAX || len < sizeof(Elf64_Nhdr))
		return false;
	b = xmalloc(len);
	if (read_at(fd, off, b, len)) {
		while (!found && at + sizeof(Elf64_Nhdr) <= len) {
			Elf64_Nhdr n;

			memcpy(&n, b + at, sizeof(n));
			at += sizeof(n);
			nsz = (n.n_namesz + 3u) & ~3u;
			dsz = (n.n_descsz + 3u) & ~3u;
			if (nsz > len - at || dsz > len - at - nsz)
				break;
			found = n.n_type == XEN_ELFNOTE_PHYS32_ENTRY &&
			    n.n_namesz == 4 && memcmp(b + at, "Xen", 4) == 0;
			at += nsz + dsz;
		}
	}
	free(b);
	return found;
}

/* 1: fd is an x86-64 ELF with a PVH entry; 0: not (why says so) */
static int
elf_pvh(int fd, struct strbuf *why)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	unsigned i;

	if (!read_at(fd, 0, &eh, sizeof(eh)) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0) {
		strbuf_addstr(why, "not an ELF");
		return 0;
	}
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_machine != EM_X86_64 ||
	    eh.e_phentsize != sizeof(ph)) {
		strbuf_addstr(why, "not an x86-64 ELF");
		return 0;
	}
	for (i = 0; i < eh.e_phnum; i++) {
		if (!read_at(fd, (off_t)(eh.e_phoff + (uint64_t)i *
		    sizeof(ph)), &ph, sizeof(ph)))
			break;
		if (ph.p_type == PT_NOTE && notes_have_pvh(fd,
		    (off_t)ph.p_offset, (size_t)ph.p_filesz))
			return 1;
	}
	strbuf_addstr(why, "its ELF has no PVH entry (a kernel without "
	    "CONFIG_PVH)");
	return 0;
}

/* 1 with the payload's place and kind, or 0 with why */
static int
bzimage_payload(int fd, off_t *off, uint32_t *len, enum unpack_kind *kind,
    struct strbuf *why)
{
	static const unsigned char xz[6] = { 0xfd, '7', 'z', 'X', 'Z', 0 };
	unsigned char h[0x250], m[6];
	unsigned setup;

	if (!read_at(fd, 0, h, sizeof(h)) || memcmp(h + 0x202, "HdrS", 4) != 0) {
		strbuf_addstr(why, "not a bzImage");
		return 0;
	}
	if ((h[0x206] | h[0x207] << 8) < 0x208) {
		strbuf_addf(why, "boot protocol %u.%02u names no payload (2.08 "
		    "does)", h[0x207], h[0x206]);
		return 0;
	}
	setup = h[0x1f1] != 0 ? h[0x1f1] : 4;
	*off = (off_t)(setup + 1) * 512 + (off_t)le32(h + 0x248);
	*len = le32(h + 0x24c);
	if (*len < sizeof(m) || !read_at(fd, *off, m, sizeof(m))) {
		strbuf_addstr(why, "its payload is past the end of the file");
		return 0;
	}
	if (memcmp(m, xz, sizeof(xz)) == 0)
		*kind = UNPACK_XZ;
	else if (m[0] == 0x1f && m[1] == 0x8b)
		*kind = UNPACK_GZIP;
	else {
		strbuf_addf(why, "its payload is neither xz nor gzip (starts "
		    "%02x %02x %02x %02x)", m[0], m[1], m[2], m[3]);
		return 0;
	}
	return 1;
}

/* workdir/vmlinux from the payload; 1 done, 0 not (why), -1 I/O error */
static int
unpack_payload(int kfd, const char *path, const char *out, struct strbuf *why)
{
	enum unpack_kind kind;
	off_t off;
	uint32_t len;
	FILE *in;
	int ofd, rc;

	if (bzimage_payload(kfd, &off, &len, &kind, why) == 0)
		return 0;
	ofd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (ofd == -1)
		return error_set_errno(ERROR_IO, "cannot write '%s'", out);
	in = fopen(path, "rb");
	rc = in != NULL && fseeko(in, off, SEEK_SET) == 0 ? unpack_stream(in,
	    len, true, kind, ofd, path, out) : error_set_errno(ERROR_IO,
	    "cannot read '%s'", path);
	if (in != NULL)
		fclose(in);
	if (close(ofd) != 0 && rc == 0)
		rc = error_set_errno(ERROR_IO, "cannot write '%s'", out);
	if (rc == 0)
		return 1;
	unlink(out);
	if (error_last_kind() != ERROR_DATA)
		return -1;
	/* a damaged payload: the file is booted as it is, and that is said */
	strbuf_addf(why, "its %s payload does not unpack: %s",
	    unpack_kind_name(kind), error_last_msg());
	return 0;
}

static void
boot_as_is(struct kernel_boot *kb, const char *path, const char *why)
{
	struct strbuf sb = STRBUF_INIT;

	kb->path = xstrdup(path);
	strbuf_addf(&sb, "booted as it is, compressed (%s): under TCG each "
	    "guest takes seconds longer to boot", why);
	kb->how = strbuf_detach(&sb);
}

int
kernel_prepare(const char *path, const char *workdir, struct kernel_boot *kb)
{
	struct strbuf why = STRBUF_INIT, out = STRBUF_INIT;
	struct stat st;
	int kfd, ofd, rc;

	memset(kb, 0, sizeof(*kb));
	if ((kfd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return error_set_errno(ERROR_IO, "cannot read kernel '%s'",
		    path);
	if (elf_pvh(kfd, &why) == 1) {
		close(kfd);
		kb->path = xstrdup(path);
		kb->how = xstrdup("an uncompressed ELF: booted through its "
		    "PVH entry");
		strbuf_release(&why);
		return 0;
	}
	strbuf_reset(&why);
	strbuf_addf(&out, "%s/vmlinux", workdir);
	rc = unpack_payload(kfd, path, out.buf, &why);
	close(kfd);
	if (rc == 1) {
		ofd = open(out.buf, O_RDONLY | O_CLOEXEC);
		rc = ofd != -1 ? elf_pvh(ofd, &why) : 0;
		if (ofd != -1 && fstat(ofd, &st) == 0 && rc == 1) {
			kb->path = strbuf_detach(&out);
			kb->unpacked = true;
			strbuf_addf(&why, "its vmlinux unpacked (%.1f MB) and "
			    "booted through its PVH entry", (double)st.st_size /
			    1e6);
			kb->how = strbuf_detach(&why);
		}
		if (ofd != -1)
			close(ofd);
		if (kb->path == NULL)
			unlink(out.buf);
	}
	if (rc != -1 && kb->path == NULL)
		boot_as_is(kb, path, why.buf);
	strbuf_release(&why);
	strbuf_release(&out);
	return rc == -1 ? -1 : 0;
}

void
kernel_boot_release(struct kernel_boot *kb)
{
	free(kb->path);
	free(kb->how);
	memset(kb, 0, sizeof(*kb));
}
