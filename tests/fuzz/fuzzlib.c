/*
 * fuzzlib.c - memfd and /dev/shm plumbing for the libFuzzer harnesses.
 *
 * Everything here runs once per input, so it stays cheap: the memfd is
 * made once and truncated, folders are made once and emptied, and a
 * file is one open() and one write().  nftw() walks trees for copying
 * and removal; its callback takes no context, so the walk's root is
 * kept in a file-local variable (one walk at a time, one thread).
 */
#include <errno.h>
#include <math.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/error.h"
#include "common/table.h"
#include "common/xalloc.h"
#include "tests/fuzz/fuzzlib.h"

#ifndef FUZZ_SRCDIR
#define FUZZ_SRCDIR "."
#endif

static char *dir;		/* fuzz_dir(), once made */
static int memfd = -1;
static char memfd_name[64];
/* the walk in progress: its root and, for a copy, where it goes */
static size_t walk_root_len;
static const char *walk_dest;

void
fuzz_begin(void)
{
	error_clear();
}

void
fuzz_check_rc(int rc)
{
	if (rc == -1 && error_last_kind() == ERROR_NONE)
		fuzz_fail("the reader failed and recorded no error");
}

void
fuzz_fail(const char *why)
{
	fprintf(stderr, "fuzz: %s\n", why);
	abort();
}

void
fuzz_die(const char *what)
{
	fprintf(stderr, "fuzz: %s: %s\n", what, strerror(errno));
	abort();
}

static void
write_all(int fd, const void *data, size_t size, const char *what)
{
	const char *p = data;
	ssize_t n;

	while (size > 0) {
		n = write(fd, p, size);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			fuzz_die(what);
		p += n;
		size -= (size_t)n;
	}
}

const char *
fuzz_memfd_path(const uint8_t *data, size_t size)
{
	if (memfd < 0) {
		memfd = memfd_create("capplan-fuzz", MFD_CLOEXEC);
		if (memfd < 0)
			fuzz_die("memfd_create");
		snprintf(memfd_name, sizeof(memfd_name), "/proc/self/fd/%d",
		    memfd);
	}
	if (ftruncate(memfd, 0) == -1 || lseek(memfd, 0, SEEK_SET) == -1)
		fuzz_die("memfd truncate");
	write_all(memfd, data, size, "memfd write");
	return memfd_name;
}

static int
remove_one(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	if (ftw->level == 0)
		return 0;
	if (remove(path) == -1)
		fuzz_die(path);
	return 0;
}

void
fuzz_empty(const char *rel)
{
	char *top = fuzz_path(rel);

	if (nftw(top, remove_one, 16, FTW_DEPTH | FTW_PHYS) == -1 &&
	    errno != ENOENT)
		fuzz_die(top);
	free(top);
}

static void
remove_dir(void)
{
	fuzz_empty("");
	rmdir(dir);
	free(dir);
	dir = NULL;
}

const char *
fuzz_dir(void)
{
	const char *parent = getenv("FUZZ_SHM");
	size_t n;

	if (dir != NULL)
		return dir;
	if (parent == NULL || *parent == '\0')
		parent = "/dev/shm";
	n = strlen(parent) + 64;
	dir = xmalloc(n);
	snprintf(dir, n, "%s/capplan-fuzz.%ld", parent, (long)getpid());
	if (mkdir(dir, 0700) == -1 && errno != EEXIST)
		fuzz_die(dir);
	atexit(remove_dir);
	return dir;
}

char *
fuzz_path(const char *rel)
{
	const char *d = fuzz_dir();
	size_t n = strlen(d) + strlen(rel) + 2;
	char *p = xmalloc(n);

	snprintf(p, n, "%s%s%s", d, *rel != '\0' ? "/" : "", rel);
	return p;
}

/* mkdir -p of the folders on the way to path (not path itself) */
static void
make_parents(char *path)
{
	char *s;

	for (s = strchr(path + 1, '/'); s != NULL; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(path, 0700) == -1 && errno != EEXIST)
			fuzz_die(path);
		*s = '/';
	}
}

static void
write_file(char *path, const void *data, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0 && errno == ENOENT) {
		make_parents(path);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	}
	if (fd < 0)
		fuzz_die(path);
	write_all(fd, data, size, path);
	close(fd);
}

void
fuzz_write(const char *rel, const void *data, size_t size)
{
	char *path = fuzz_path(rel);

	write_file(path, data, size);
	free(path);
}

/* one entry of the tree being copied: a folder made, a file copied */
static int
copy_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	char *to = xmalloc(strlen(walk_dest) + strlen(path) + 2);
	char *data;
	FILE *fp;

	(void)ftw;
	sprintf(to, "%s%s", walk_dest, path + walk_root_len);
	if (flag == FTW_D) {
		if (mkdir(to, 0700) == -1 && errno != EEXIST)
			fuzz_die(to);
	} else if (flag == FTW_F) {
		data = xmalloc((size_t)st->st_size + 1);
		if ((fp = fopen(path, "rb")) == NULL ||
		    fread(data, 1, (size_t)st->st_size, fp) !=
		    (size_t)st->st_size)
			fuzz_die(path);
		fclose(fp);
		write_file(to, data, (size_t)st->st_size);
		free(data);
	}
	free(to);
	return 0;
}

void
fuzz_copy_tree(const char *src, const char *rel)
{
	char *to = fuzz_path(rel);

	make_parents(to);
	walk_root_len = strlen(src);
	walk_dest = to;
	if (nftw(src, copy_one, 16, FTW_PHYS) == -1)
		fuzz_die(src);
	walk_dest = NULL;
	free(to);
}

const char *
fuzz_srcdir(void)
{
	const char *s = getenv("CAPPLAN_SRCDIR");

	return s != NULL && *s != '\0' ? s : FUZZ_SRCDIR;
}

size_t
fuzz_split(const uint8_t *data, size_t size, struct fuzz_part *parts,
    size_t max)
{
	const uint8_t *end = data + size, *sep;
	size_t n = 0;

	while (n + 1 < max && (sep = memchr(data, FUZZ_SEP,
	    (size_t)(end - data))) != NULL) {
		parts[n].data = data;
		parts[n++].size = (size_t)(sep - data);
		data = sep + 1;
	}
	parts[n].data = data;
	parts[n++].size = (size_t)(end - data);
	return n;
}

void
fuzz_fail_again(const char *written)
{
	fprintf(stderr, "fuzz: what was written does not read back: %s\n",
	    error_last_msg());
	if (written != NULL)
		fprintf(stderr, "fuzz: written:\n%s\n", written);
	abort();
}

static bool
num_same(double a, double b, int decimals)
{
	if (isnan(a) || isnan(b))
		return isnan(a) && isnan(b);
	return fabs(a - b) <= 0.5 * pow(10.0, -decimals) + 1e-9 * fabs(a);
}

/* the cells of column c in rows a and b */
static bool
cell_same(const struct col_spec *c, const void *a, const void *b)
{
	const void *x = (const char *)a + c->offset;
	const void *y = (const char *)b + c->offset;

	switch (c->type) {
	case COL_TEXT:
		return strcmp(*(char *const *)x, *(char *const *)y) == 0;
	case COL_BOOL:
		return *(const int *)x == *(const int *)y;
	case COL_INT:
		return num_same(*(const double *)x, *(const double *)y, 0);
	default:
		return num_same(*(const double *)x, *(const double *)y,
		    c->decimals);
	}
}

void
fuzz_table_row_same(const struct table_spec *spec, const void *a,
    const void *b)
{
	size_t i;

	for (i = 0; i < spec->ncols; i++)
		if (!cell_same(&spec->cols[i], a, b)) {
			fprintf(stderr, "fuzz: column '%s' changed when "
			    "written and read back\n", spec->cols[i].name);
			abort();
		}
}
