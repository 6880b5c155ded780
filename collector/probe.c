/*
 * probe.c - reading files under the root, with kept fds for /proc.
 *
 * A /proc file can be longer than any fixed buffer (/proc/stat grows with
 * CPUs and IRQs), so reads loop until end of file into a strbuf that keeps
 * its capacity between reads: after the first sub-sample there is no
 * allocation on the read path.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "collector/probe.h"
#include "common/error.h"
#include "common/num.h"
#include "common/sort.h"
#include "common/xalloc.h"

void
probe_init(struct probe *p, const char *root, bool keep_open)
{
	size_t n;

	memset(p, 0, sizeof(*p));
	if (root == NULL || strcmp(root, "/") == 0)
		root = "";
	p->root = xstrdup(root);
	n = strlen(p->root);
	while (n > 1 && p->root[n - 1] == '/')
		p->root[--n] = '\0';
	p->keep_open = keep_open;
	strbuf_init(&p->path);
	strbuf_init(&p->scratch);
	strbuf_init(&p->text);
	strmap_init(&p->disk_phys);
	strmap_init(&p->nic_phys);
}

static void
close_fds(struct probe *p)
{
	size_t i;

	for (i = 0; i < p->nfds; i++)
		if (p->fds[i].fd >= 0)
			close(p->fds[i].fd);
	p->nfds = 0;
}

void
probe_release(struct probe *p)
{
	if (p == NULL)
		return;
	close_fds(p);
	free(p->root);
	free(p->overlay);
	strbuf_release(&p->path);
	strbuf_release(&p->scratch);
	strbuf_release(&p->text);
	strmap_release(&p->disk_phys);
	strmap_release(&p->nic_phys);
}

void
probe_set_overlay(struct probe *p, const char *dir)
{
	close_fds(p);
	free(p->overlay);
	p->overlay = dir != NULL ? xstrdup(dir) : NULL;
}

static const char *
build(struct probe *p, const char *base, const char *rel)
{
	strbuf_reset(&p->path);
	strbuf_addstr(&p->path, base);
	strbuf_addch(&p->path, '/');
	strbuf_addstr(&p->path, rel);
	return p->path.buf;
}

const char *
probe_path(struct probe *p, const char *rel)
{
	if (p->path.len == 0)
		return build(p, p->root, rel);
	return p->path.buf;
}

/* Open rel in the overlay, else under the root; -1 with errno. */
static int
open_rel(struct probe *p, const char *rel)
{
	int fd;

	if (p->overlay != NULL) {
		fd = open(build(p, p->overlay, rel), O_RDONLY | O_CLOEXEC);
		if (fd >= 0 || errno != ENOENT)
			return fd;
	}
	return open(build(p, p->root, rel), O_RDONLY | O_CLOEXEC);
}

/* The kept fd for rel, opening it on first use; -1 with errno. */
static int
kept_fd(struct probe *p, const char *rel)
{
	size_t i;
	int fd;

	for (i = 0; i < p->nfds; i++)
		if (p->fds[i].rel == rel) {
			build(p, p->root, rel);
			if (p->fds[i].fd < 0)
				errno = ENOENT;
			return p->fds[i].fd;
		}
	fd = open_rel(p, rel);
	/* a file the kernel does not have is not looked for again */
	if ((fd < 0 && errno != ENOENT) || p->nfds == PROBE_MAXFD)
		return fd;
	p->fds[p->nfds].rel = rel;
	p->fds[p->nfds++].fd = fd;
	return fd;
}

/*
 * Read fd from offset 0 to end of file into sb; -1 with errno.  A read
 * that returns less than asked is the end: /proc's seq_file files fill
 * the whole buffer unless the text ends (and a regular file does the
 * same), so the usual second pread() that returns 0 is not made.  That
 * was half the system calls of a sub-sample.
 */
static int
read_all(int fd, struct strbuf *sb)
{
	ssize_t n;
	size_t want;

	strbuf_reset(sb);
	for (;;) {
		strbuf_grow(sb, 4096);
		want = sb->cap - sb->len - 1;
		n = pread(fd, sb->buf + sb->len, want, (off_t)sb->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		sb->len += (size_t)n;
		if ((size_t)n < want)
			break;
	}
	sb->buf[sb->len] = '\0';
	return 0;
}

static bool
is_kept(const struct probe *p, const char *rel)
{
	return p->keep_open && p->overlay == NULL &&
	    strncmp(rel, "proc/", 5) == 0;
}

int
probe_read(struct probe *p, const char *rel, struct strbuf *sb)
{
	bool kept = is_kept(p, rel);
	int fd = kept ? kept_fd(p, rel) : open_rel(p, rel);
	int rc, saved;

	if (fd < 0) {
		saved = errno;
		error_set_errno(ERROR_IO, "cannot open '%s'", p->path.buf);
		errno = saved;
		return -1;
	}
	rc = read_all(fd, sb);
	saved = errno;
	if (!kept)
		close(fd);
	if (rc == -1) {
		error_set_errno(ERROR_IO, "cannot read '%s'", p->path.buf);
		errno = saved;
	}
	return rc;
}

int
probe_readf(struct probe *p, struct strbuf *sb, const char *fmt, ...)
{
	struct strbuf rel = STRBUF_INIT;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	strbuf_vaddf(&rel, fmt, ap);
	va_end(ap);
	rc = probe_read(p, rel.buf, sb);
	strbuf_release(&rel);
	return rc;
}

const char *
probe_line(struct probe *p, const char *fmt, ...)
{
	struct strbuf rel = STRBUF_INIT;
	va_list ap;
	char *s, *e;
	int fd, rc;

	va_start(ap, fmt);
	strbuf_vaddf(&rel, fmt, ap);
	va_end(ap);
	fd = open_rel(p, rel.buf);
	strbuf_release(&rel);
	if (fd < 0)
		return NULL;
	rc = read_all(fd, &p->scratch);
	close(fd);
	if (rc == -1)
		return NULL;
	s = p->scratch.buf;
	s[strcspn(s, "\n")] = '\0';
	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

bool
probe_exists(struct probe *p, const char *fmt, ...)
{
	struct strbuf rel = STRBUF_INIT;
	struct stat st;
	va_list ap;
	bool found = false;

	va_start(ap, fmt);
	strbuf_vaddf(&rel, fmt, ap);
	va_end(ap);
	if (p->overlay != NULL)
		found = stat(build(p, p->overlay, rel.buf), &st) == 0;
	if (!found)
		found = stat(build(p, p->root, rel.buf), &st) == 0;
	strbuf_release(&rel);
	return found;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t
probe_list(struct probe *p, const char *rel, char ***names)
{
	struct dirent *de;
	size_t n = 0, cap = 0;
	DIR *d = NULL;

	*names = NULL;
	if (p->overlay != NULL)
		d = opendir(build(p, p->overlay, rel));
	if (d == NULL)
		d = opendir(build(p, p->root, rel));
	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		ALLOC_GROW(*names, n + 1, cap);
		(*names)[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	array_sort(*names, n, sizeof(**names), cmp_str);
	return n;
}

void
probe_list_free(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* mnt with the mounts file's octal escapes (\040 a blank) undone */
static void
mount_unescape(const char *mnt, struct strbuf *out)
{
	const char *s;

	strbuf_reset(out);
	for (s = mnt; *s != '\0'; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			strbuf_addch(out, (char)((s[1] - '0') * 64 +
			    (s[2] - '0') * 8 + (s[3] - '0')));
			s += 3;
		} else
			strbuf_addch(out, *s);
	}
}

/* the fake tree's "statvfs" line for mnt */
static int
fs_used_table(struct probe *p, const char *mnt, double *bytes)
{
	char *line, *next, *f[5], *save;
	double frsize, blocks, bfree;
	const char *why;
	size_t n;

	if (probe_read(p, "statvfs", &p->text) == -1) {
		error_clear();	/* unknown, not an error */
		return -1;
	}
	for (line = p->text.buf; line != NULL; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		for (n = 0, f[0] = strtok_r(line, " \t", &save); n < 4 &&
		    f[n] != NULL; f[++n] = strtok_r(NULL, " \t", &save))
			;
		if (n != 4 || strcmp(f[0], mnt) != 0)
			continue;
		if (num_parse_double(f[1], &frsize, &why) == -1 ||
		    num_parse_double(f[2], &blocks, &why) == -1 ||
		    num_parse_double(f[3], &bfree, &why) == -1 ||
		    !(frsize > 0) || !(blocks >= bfree) || !(bfree >= 0))
			return -1;
		*bytes = (blocks - bfree) * frsize;
		return 0;
	}
	return -1;
}

int
probe_fs_used(struct probe *p, const char *mnt, double *bytes)
{
	struct statvfs sv;

	if (*p->root != '\0' || p->overlay != NULL)
		return fs_used_table(p, mnt, bytes);
	mount_unescape(mnt, &p->scratch);
	if (statvfs(p->scratch.buf, &sv) == -1 || sv.f_blocks < sv.f_bfree)
		return -1;
	*bytes = (double)(sv.f_blocks - sv.f_bfree) * (double)sv.f_frsize;
	return 0;
}
