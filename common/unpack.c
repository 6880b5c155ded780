/*
 * unpack.c - gzip and xz inputs decompressed into temporary files, with
 * zlib and liblzma.
 *
 * Streamed in 64 KiB blocks, so a month of sadf output takes no more
 * memory than a day.  zlib is asked for gzip framing only (windowBits 31:
 * a gzip header and its CRC-32 and length trailer are checked); a stream
 * that ends early, a bad checksum or bytes that are not a stream are each
 * an error naming the input, and the partial output is removed.  Several
 * streams one after another (cat a.gz b.gz, what gzip itself accepts) are
 * read as one: zlib's state is reset at each end while input remains,
 * and liblzma is told LZMA_CONCATENATED.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lzma.h>
#include <zlib.h>

#include "common/error.h"
#include "common/xalloc.h"
#include "common/unpack.h"

#define BLOCK 65536

const char *
unpack_kind_name(enum unpack_kind kind)
{
	return kind == UNPACK_GZIP ? "gzip" : kind == UNPACK_XZ ? "xz" :
	    "plain";
}

int
unpack_detect(const char *path, const char *name, enum unpack_kind *kind)
{
	static const unsigned char xz[6] = { 0xfd, '7', 'z', 'X', 'Z', 0 };
	unsigned char b[6] = { 0 };
	size_t n;
	FILE *fp = fopen(path, "rb");

	if (fp == NULL)
		return error_set_errno(ERROR_IO, "cannot open '%s'", name);
	n = fread(b, 1, sizeof(b), fp);
	if (ferror(fp)) {
		fclose(fp);
		return error_set_errno(ERROR_IO, "cannot read '%s'", name);
	}
	fclose(fp);
	*kind = UNPACK_PLAIN;
	if (n >= 2 && b[0] == 0x1f && b[1] == 0x8b)
		*kind = UNPACK_GZIP;
	else if (n == sizeof(xz) && memcmp(b, xz, sizeof(xz)) == 0)
		*kind = UNPACK_XZ;
	return 0;
}

int
unpack_temp(const char *stem, char **path)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	*path = xmalloc(strlen(dir) + strlen(stem) + 16);
	sprintf(*path, "%s/%s-XXXXXX", dir, stem);
	fd = mkstemp(*path);
	if (fd == -1) {
		error_set_errno(ERROR_IO, "cannot make a temporary file '%s'",
		    *path);
		free(*path);
		*path = NULL;
	}
	return fd;
}

/* the whole of buf to fd; -1 with ERROR_IO */
static int
write_all(int fd, const unsigned char *buf, size_t n, const char *tmp)
{
	ssize_t w;

	while (n > 0) {
		w = write(fd, buf, n);
		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1)
			return error_set_errno(ERROR_IO, "cannot write '%s'",
			    tmp);
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

/* what the decoders read: at most left bytes of fp, and one stream only
 * when one is set */
struct src {
	FILE *fp;
	const char *name;
	uint64_t left;
	bool one;
};

/* the next block of s into ib: its length, or -1 with ERROR_IO */
static ssize_t
src_read(struct src *s, unsigned char *ib)
{
	size_t n = fread(ib, 1, (size_t)(s->left < BLOCK ? s->left : BLOCK),
	    s->fp);

	if (ferror(s->fp))
		return error_set_errno(ERROR_IO, "cannot read '%s'", s->name);
	s->left -= n;
	return (ssize_t)n;
}

/* gzip: -1 with the error recorded */
static int
gunzip(struct src *in, int fd, const char *tmp)
{
	const char *name = in->name;
	ssize_t got;
	unsigned char *ib = xmalloc(BLOCK), *ob = xmalloc(BLOCK);
	z_stream z;
	int rc = Z_OK, ret = -1;
	bool ended = false;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 15 + 16) != Z_OK) {
		free(ib);
		free(ob);
		return error_set(ERROR_IO, "zlib cannot start on '%s'", name);
	}
	for (;;) {
		if (ended && in->one)
			break;
		if (z.avail_in == 0) {
			z.next_in = ib;
			if ((got = src_read(in, ib)) == -1)
				goto out;
			if ((z.avail_in = (uInt)got) == 0)
				break;
		}
		if (ended) {	/* another stream follows the last */
			inflateReset(&z);
			ended = false;
		}
		z.next_out = ob;
		z.avail_out = BLOCK;
		rc = inflate(&z, Z_NO_FLUSH);
		if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
			error_set(ERROR_DATA, "%s: not a valid gzip stream: %s",
			    name, z.msg != NULL ? z.msg : zError(rc));
			goto out;
		}
		if (write_all(fd, ob, BLOCK - z.avail_out, tmp) == -1)
			goto out;
		ended = rc == Z_STREAM_END;
	}
	if (!ended) {
		error_set(ERROR_DATA, "%s: the gzip stream ends early (a "
		    "truncated file?)", name);
		goto out;
	}
	ret = 0;
out:
	inflateEnd(&z);
	free(ib);
	free(ob);
	return ret;
}

static const char *
lzma_why(lzma_ret rc)
{
	switch (rc) {
	case LZMA_FORMAT_ERROR: return "not in the xz format";
	case LZMA_OPTIONS_ERROR: return "unsupported compression options";
	case LZMA_DATA_ERROR: return "the compressed data is corrupt";
	case LZMA_BUF_ERROR: return "the xz stream ends early (a truncated "
	    "file?)";
	case LZMA_MEM_ERROR: return "out of memory";
	default: return "liblzma failed";
	}
}

/* xz: -1 with the error recorded */
static int
unxz(struct src *in, int fd, const char *tmp)
{
	const char *name = in->name;
	ssize_t got;
	unsigned char *ib = xmalloc(BLOCK), *ob = xmalloc(BLOCK);
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_action act = LZMA_RUN;
	lzma_ret rc;
	int ret = -1;

	if (lzma_stream_decoder(&s, UINT64_MAX, in->one ? 0 :
	    LZMA_CONCATENATED) != LZMA_OK) {
		free(ib);
		free(ob);
		return error_set(ERROR_IO, "liblzma cannot start on '%s'",
		    name);
	}
	for (;;) {
		if (s.avail_in == 0 && act == LZMA_RUN) {
			s.next_in = ib;
			if ((got = src_read(in, ib)) == -1)
				goto out;
			s.avail_in = (size_t)got;
			if (got == 0)
				act = LZMA_FINISH;
		}
		s.next_out = ob;
		s.avail_out = BLOCK;
		rc = lzma_code(&s, act);
		if (write_all(fd, ob, BLOCK - s.avail_out, tmp) == -1)
			goto out;
		if (rc == LZMA_STREAM_END)
			break;
		if (rc != LZMA_OK) {
			error_set(ERROR_DATA, "%s: not a valid xz stream: %s",
			    name, lzma_why(rc));
			goto out;
		}
	}
	ret = 0;
out:
	lzma_end(&s);
	free(ib);
	free(ob);
	return ret;
}

int
unpack_to_temp(const char *path, const char *name, enum unpack_kind kind,
    char **out)
{
	FILE *in = fopen(path, "rb");
	int fd, ret;

	*out = NULL;
	if (in == NULL)
		return error_set_errno(ERROR_IO, "cannot open '%s'", name);
	fd = unpack_temp("capplan-unpack", out);
	if (fd == -1) {
		fclose(in);
		return -1;
	}
	ret = unpack_stream(in, UINT64_MAX, false, kind, fd, name, *out);
	fclose(in);
	if (close(fd) != 0 && ret == 0)
		ret = error_set_errno(ERROR_IO, "cannot write '%s'", *out);
	if (ret == -1) {
		unlink(*out);
		free(*out);
		*out = NULL;
	}
	return ret;
}

int
unpack_stream(FILE *in, uint64_t len, bool one, enum unpack_kind kind,
    int fd, const char *name, const char *out)
{
	struct src s = { in, name, len, one };

	if (kind == UNPACK_GZIP)
		return gunzip(&s, fd, out);
	if (kind == UNPACK_XZ)
		return unxz(&s, fd, out);
	return error_set(ERROR_DATA, "%s: neither gzip nor xz", name);
}
