/*
 * test_unpack.c - gzip and xz inputs (common/unpack.c) and the
 * recognition of sysstat's binary files (import/sadf_run.c).
 *
 * The compressed inputs are made here with zlib's and liblzma's own
 * encoders, so the test needs no gzip or xz program: one stream, two
 * streams one after the other, a stream cut short, and bytes that only
 * start like a stream.
 */
#include <lzma.h>
#include <zlib.h>

#include "tests/unit/testlib.h"

#include "common/error.h"
#include "common/xalloc.h"
#include "import/sadf_run.h"
#include "common/unpack.h"

static const char text[] = "# hostname;interval;timestamp;CPU;%idle\n"
    "web01;60;2026-11-26 06:01:00 UTC;-1;88.50\n";

/* text gzip-compressed into buf, its length returned */
static size_t
gz(unsigned char *buf, size_t size)
{
	z_stream z;

	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (Bytef *)(uintptr_t)text;
	z.avail_in = sizeof(text) - 1;
	z.next_out = buf;
	z.avail_out = (uInt)size;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	deflateEnd(&z);
	return size - z.avail_out;
}

static size_t
xz(unsigned char *buf, size_t size)
{
	size_t n = 0;

	assert_int_equal(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, NULL,
	    (const uint8_t *)text, sizeof(text) - 1, buf, &n, size), LZMA_OK);
	return n;
}

static const char *
write_bytes(const char *tag, const unsigned char *b, size_t n)
{
	const char *path = test_write_file(tag, "", "");
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(b, 1, n, fp), n);
	fclose(fp);
	return path;
}

/* unpack path (name "in") and compare with want, repeated times */
static void
expect_text(const char *path, enum unpack_kind want_kind, int times)
{
	enum unpack_kind k;
	char *out = NULL, buf[1024];
	size_t n;
	FILE *fp;
	int i;

	assert_int_equal(unpack_detect(path, "in", &k), 0);
	assert_int_equal(k, want_kind);
	assert_int_equal(unpack_to_temp(path, "in", k, &out), 0);
	fp = fopen(out, "r");
	assert_non_null(fp);
	for (i = 0; i < times; i++) {
		n = fread(buf, 1, sizeof(text) - 1, fp);
		assert_int_equal(n, sizeof(text) - 1);
		assert_memory_equal(buf, text, n);
	}
	assert_int_equal(fread(buf, 1, 1, fp), 0);
	fclose(fp);
	unlink(out);
	free(out);
}

static void
test_gzip_and_xz_give_the_text(void **state)
{
	unsigned char b[4096];

	(void)state;
	expect_text(write_bytes("one.gz", b, gz(b, sizeof(b))), UNPACK_GZIP,
	    1);
	expect_text(write_bytes("one.xz", b, xz(b, sizeof(b))), UNPACK_XZ, 1);
}

static void
test_concatenated_streams_are_one_input(void **state)
{
	unsigned char b[8192];
	size_t n;

	(void)state;
	n = gz(b, sizeof(b));
	n += gz(b + n, sizeof(b) - n);
	expect_text(write_bytes("two.gz", b, n), UNPACK_GZIP, 2);
	n = xz(b, sizeof(b));
	n += xz(b + n, sizeof(b) - n);
	expect_text(write_bytes("two.xz", b, n), UNPACK_XZ, 2);
}

/* a failed unpack leaves no file and says why, naming the input */
static void
expect_error(const unsigned char *b, size_t n, const char *why)
{
	const char *path = write_bytes("bad", b, n);
	enum unpack_kind k;
	char *out = (char *)(uintptr_t)"x";

	assert_int_equal(unpack_detect(path, "in", &k), 0);
	assert_int_equal(unpack_to_temp(path, "in", k, &out), -1);
	assert_null(out);
	assert_int_equal(error_last_kind(), ERROR_DATA);
	if (strstr(error_last_msg(), why) == NULL ||
	    strncmp(error_last_msg(), "in: ", 4) != 0)
		fail_msg("'%s' does not say '%s'", error_last_msg(), why);
	unlink(path);
}

static void
test_truncated_and_damaged_streams_fail(void **state)
{
	unsigned char b[4096];
	size_t n;

	(void)state;
	n = gz(b, sizeof(b));
	expect_error(b, n - 6, "ends early");
	n = xz(b, sizeof(b));
	expect_error(b, n - 6, "ends early");
	n = gz(b, sizeof(b));
	memset(b + 10, 0xff, 8);
	expect_error(b, n, "not a valid gzip stream");
	n = xz(b, sizeof(b));
	b[n / 2] ^= 0x55;
	expect_error(b, n, "not a valid xz stream");
}

static void
test_plain_files_and_binary_sysstat_files(void **state)
{
	static const unsigned char le[4] = { 0x96, 0xd5, 0x75, 0x21 },
	    be[4] = { 0xd5, 0x96, 0x21, 0x75 }, other[4] = { '#', ' ', 'h',
	    'o' };
	enum unpack_kind k;
	const char *path;

	(void)state;
	path = write_bytes("plain", other, sizeof(other));
	assert_int_equal(unpack_detect(path, "in", &k), 0);
	assert_int_equal(k, UNPACK_PLAIN);
	assert_false(sadf_is_binary(path));
	assert_true(sadf_is_binary(write_bytes("le", le, sizeof(le))));
	assert_true(sadf_is_binary(write_bytes("be", be, sizeof(be))));
	assert_int_equal(unpack_detect("/nonexistent/x", "in", &k), -1);
	assert_int_equal(error_last_kind(), ERROR_IO);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gzip_and_xz_give_the_text),
		cmocka_unit_test(test_concatenated_streams_are_one_input),
		cmocka_unit_test(test_truncated_and_damaged_streams_fail),
		cmocka_unit_test(test_plain_files_and_binary_sysstat_files),
	};

	return cmocka_run_group_tests_name("unpack", tests, NULL,
	    NULL);
}
