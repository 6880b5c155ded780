/*
 * test_kernel.c - a bzImage's vmlinux taken out for a PVH boot
 * (kvm/kernel.c).
 *
 * The kernels are made here: a small x86-64 ELF with or without Xen's
 * PHYS32_ENTRY note, compressed with liblzma or zlib and put behind a
 * bzImage header (boot protocol 2.15, four set-up sectors) with the
 * 4-byte length the kernel's build appends after its payload.  What a
 * real Debian kernel does is in tests/kvm/ (it boots).
 */
#include <elf.h>
#include <sys/stat.h>

#include <lzma.h>
#include <zlib.h>

#include "tests/unit/testlib.h"

#include "common/error.h"
#include "common/strbuf.h"
#include "kvm/kernel.h"

#define SETUP_SECTS 4
#define ELF_SIZE 8192

static char dir[256];

/* an x86-64 ELF of ELF_SIZE bytes; one PT_NOTE with Xen's PHYS32_ENTRY
 * (type 18) when pvh, else a GNU build-id note */
static void
make_elf(unsigned char *b, bool pvh)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	Elf64_Nhdr nh;
	size_t i;

	for (i = 0; i < ELF_SIZE; i++)
		b[i] = (unsigned char)(i * 7 + 3);	/* not all zeros */
	memset(&eh, 0, sizeof(eh));
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_EXEC;
	eh.e_machine = EM_X86_64;
	eh.e_phoff = sizeof(eh);
	eh.e_phentsize = sizeof(ph);
	eh.e_phnum = 1;
	memcpy(b, &eh, sizeof(eh));
	memset(&ph, 0, sizeof(ph));
	ph.p_type = PT_NOTE;
	ph.p_offset = 4096;
	ph.p_filesz = sizeof(nh) + 4 + 8;
	memcpy(b + sizeof(eh), &ph, sizeof(ph));
	nh.n_namesz = 4;
	nh.n_descsz = 8;
	nh.n_type = pvh ? 18 : NT_GNU_BUILD_ID;
	memcpy(b + 4096, &nh, sizeof(nh));
	memcpy(b + 4096 + sizeof(nh), pvh ? "Xen" : "GNU", 4);
}

static size_t
xz(const unsigned char *in, size_t n, unsigned char *out, size_t size)
{
	size_t got = 0;

	assert_int_equal(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC32, NULL,
	    in, n, out, &got, size), LZMA_OK);
	return got;
}

static size_t
gz(const unsigned char *in, size_t n, unsigned char *out, size_t size)
{
	z_stream z;

	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)size;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	deflateEnd(&z);
	return size - z.avail_out;
}

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

/* a bzImage of protocol version ver around payload p[n] (length told
 * as told) at tag; its path */
static const char *
bzimage(const char *tag, unsigned ver, const unsigned char *p, size_t n,
    size_t told)
{
	static char path[512];
	unsigned char h[(SETUP_SECTS + 1) * 512 + 64];
	FILE *fp;

	memset(h, 0, sizeof(h));
	h[0x1f1] = SETUP_SECTS;
	memcpy(h + 0x202, "HdrS", 4);
	h[0x206] = (unsigned char)ver;
	h[0x207] = (unsigned char)(ver >> 8);
	put32(h + 0x248, 64);	/* the payload, 64 bytes into the code */
	put32(h + 0x24c, (uint32_t)told);
	snprintf(path, sizeof(path), "%s/%s", dir, tag);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(h, 1, sizeof(h), fp), sizeof(h));
	assert_int_equal(fwrite(p, 1, n, fp), n);
	fwrite("\x00\x20\x00\x00", 1, 4, fp);	/* the appended length */
	fclose(fp);
	return path;
}

static int
setup(void **state)
{
	const char *t = getenv("TMPDIR");

	(void)state;
	snprintf(dir, sizeof(dir), "%s/capplan-test-kernel.XXXXXX",
	    t != NULL && *t ? t : "/tmp");
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char cmd[600];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static bool
vmlinux_exists(void)
{
	struct stat st;
	char p[300];

	snprintf(p, sizeof(p), "%s/vmlinux", dir);
	return stat(p, &st) == 0;
}

/* prepare path; expect unpacked or not, and a how containing want */
static void
expect(const char *path, bool unpacked, const char *want)
{
	struct kernel_boot kb;
	char p[300];

	assert_int_equal(kernel_prepare(path, dir, &kb), 0);
	if (strstr(kb.how, want) == NULL)
		fail_msg("how: '%s', wanted '%s'", kb.how, want);
	assert_int_equal(kb.unpacked, unpacked);
	snprintf(p, sizeof(p), "%s/vmlinux", dir);
	assert_string_equal(kb.path, unpacked ? p : path);
	assert_int_equal(vmlinux_exists(), unpacked);
	kernel_boot_release(&kb);
	unlink(p);
}

static void
xz_bzimage_unpacks_to_the_elf(void **state)
{
	unsigned char elf[ELF_SIZE], c[ELF_SIZE * 2], back[ELF_SIZE + 1];
	size_t n = xz(elf, (make_elf(elf, true), ELF_SIZE), c, sizeof(c));
	struct kernel_boot kb;
	struct stat st;
	FILE *fp;

	(void)state;
	assert_int_equal(kernel_prepare(bzimage("bz-xz", 0x20f, c, n, n + 4),
	    dir, &kb), 0);
	assert_true(kb.unpacked);
	assert_non_null(strstr(kb.how, "booted through its PVH entry"));
	fp = fopen(kb.path, "rb");
	assert_non_null(fp);
	assert_int_equal(fread(back, 1, sizeof(back), fp), ELF_SIZE);
	fclose(fp);
	assert_memory_equal(back, elf, ELF_SIZE);
	assert_int_equal(stat(kb.path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);	/* QEMU's user reads it */
	unlink(kb.path);
	kernel_boot_release(&kb);
}

static void
gzip_bzimage_unpacks(void **state)
{
	unsigned char elf[ELF_SIZE], c[ELF_SIZE * 2];
	size_t n = gz(elf, (make_elf(elf, true), ELF_SIZE), c, sizeof(c));

	(void)state;
	expect(bzimage("bz-gz", 0x20f, c, n, n + 4), true, "unpacked");
}

static void
elf_without_pvh_boots_as_it_is(void **state)
{
	unsigned char elf[ELF_SIZE], c[ELF_SIZE * 2];
	size_t n = xz(elf, (make_elf(elf, false), ELF_SIZE), c, sizeof(c));

	(void)state;
	expect(bzimage("bz-nopvh", 0x20f, c, n, n), false, "no PVH entry");
}

static void
damaged_payload_boots_as_it_is(void **state)
{
	unsigned char elf[ELF_SIZE], c[ELF_SIZE * 2];
	size_t n = xz(elf, (make_elf(elf, true), ELF_SIZE), c, sizeof(c));

	(void)state;
	c[n / 2] ^= 0x55;
	expect(bzimage("bz-bad", 0x20f, c, n, n), false, "does not unpack");
	/* cut short by its header: the stream ends early */
	make_elf(elf, true);
	n = xz(elf, ELF_SIZE, c, sizeof(c));
	expect(bzimage("bz-short", 0x20f, c, n, n / 2), false,
	    "does not unpack");
}

static void
other_payloads_and_files_boot_as_they_are(void **state)
{
	static const unsigned char zstd[8] = { 0x28, 0xb5, 0x2f, 0xfd, 1, 2 };
	unsigned char elf[ELF_SIZE];
	const char *p;
	FILE *fp;

	(void)state;
	expect(bzimage("bz-zstd", 0x20f, zstd, sizeof(zstd), sizeof(zstd)),
	    false, "neither xz nor gzip (starts 28 b5 2f fd)");
	expect(bzimage("bz-old", 0x207, zstd, sizeof(zstd), sizeof(zstd)),
	    false, "boot protocol 2.07 names no payload");
	expect(bzimage("bz-past", 0x20f, zstd, 0, 8), false,
	    "past the end of the file");
	expect(test_write_file("kernel-text", "", "not a kernel\n"), false,
	    "not a bzImage");
	/* an uncompressed vmlinux with PVH: booted as it is, not copied */
	make_elf(elf, true);
	p = test_write_file("kernel-elf", "", "");
	fp = fopen(p, "wb");
	assert_non_null(fp);
	fwrite(elf, 1, ELF_SIZE, fp);
	fclose(fp);
	expect(p, false, "an uncompressed ELF");
	unlink(p);
}

static void
unreadable_kernel_is_an_io_error(void **state)
{
	struct kernel_boot kb;

	(void)state;
	assert_int_equal(kernel_prepare("/nonexistent/vmlinuz", dir, &kb), -1);
	assert_int_equal(error_last_kind(), ERROR_IO);
	assert_non_null(strstr(error_last_msg(), "/nonexistent/vmlinuz"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(xz_bzimage_unpacks_to_the_elf),
		cmocka_unit_test(gzip_bzimage_unpacks),
		cmocka_unit_test(elf_without_pvh_boots_as_it_is),
		cmocka_unit_test(damaged_payload_boots_as_it_is),
		cmocka_unit_test(other_payloads_and_files_boot_as_they_are),
		cmocka_unit_test(unreadable_kernel_is_an_io_error),
	};

	return cmocka_run_group_tests_name("kernel", tests, setup, teardown);
}
