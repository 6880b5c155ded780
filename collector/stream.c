/*
 * stream.c - append, sync, repair, rotate and buffer rows of one stream.
 *
 * Every file operation is relative to the output directory's fd (openat,
 * renameat2), so nothing depends on the working directory, and every
 * rename is followed by an fsync of that directory: without it the new
 * name may not survive a power cut (fsync(2)).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collector/stream.h"
#include "common/error.h"
#include "common/num.h"
#include "common/strbuf.h"
#include "common/xalloc.h"

#define TAIL_CHUNK 4096

static void
notify(const struct notifier *n, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
notify(const struct notifier *n, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	if (n == NULL || n->fn == NULL)
		return;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	n->fn(n->ctx, sb.buf);
	strbuf_release(&sb);
}

static int
write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* fdatasync, where "cannot sync this kind of file" is success. */
static int
sync_fd(int fd)
{
	if (fdatasync(fd) == 0 || errno == EINVAL || errno == EROFS)
		return 0;
	return -1;
}

static void
part_name(char *buf, size_t size, const char *prefix, int64_t day,
    const char *suffix)
{
	int64_t y;
	unsigned m, d;

	time_civil_from_days(day, &y, &m, &d);
	snprintf(buf, size, "%s-%04" PRId64 "%02u%02u%s", prefix, y, m, d,
	    suffix);
}

void
stream_init(struct stream *s, const char *prefix, const char *head,
    int dirfd, size_t qmax, const struct notifier *note)
{
	memset(s, 0, sizeof(*s));
	s->prefix = xstrdup(prefix);
	s->head = xstrdup(head);
	s->dirfd = dirfd;
	s->fd = -1;
	s->qmax = qmax > 0 ? qmax : 1;
	s->last_ts_ms = INT64_MIN;
	s->synced_ts_ms = INT64_MIN;
	if (note != NULL)
		s->note = *note;
}

/* ------------------------------------------------------ finishing files */

/*
 * Rename the part name (in dirfd) to its .csv name, or the first free
 * "-N" variant: a name already taken is never overwritten.  Then sync
 * the directory.  -1 with errno when it cannot be renamed.
 */
static int
part_finalize(int dirfd, const char *part)
{
	char base[96], to[112];
	size_t n = strlen(part) - strlen(".csv.part");
	int k;

	snprintf(base, sizeof(base), "%.*s", (int)n, part);
	for (k = 1; k < 1000; k++) {
		if (k == 1)
			snprintf(to, sizeof(to), "%s.csv", base);
		else
			snprintf(to, sizeof(to), "%s-%d.csv", base, k);
		if (renameat2(dirfd, part, dirfd, to, RENAME_NOREPLACE) == 0)
			return fsync(dirfd) == 0 || errno == EINVAL ? 0 : -1;
		if (errno == EEXIST)
			continue;
		if (errno != EINVAL)
			return -1;
		/* a file system without RENAME_NOREPLACE: check, then rename */
		if (faccessat(dirfd, to, F_OK, 0) == 0)
			continue;
		if (renameat(dirfd, part, dirfd, to) == -1)
			return -1;
		return fsync(dirfd) == 0 || errno == EINVAL ? 0 : -1;
	}
	errno = EEXIST;
	return -1;
}

/* ---------------------------------------------------- repairing a part */

/*
 * Cut fd's torn last line: truncate just after its last newline.  Store
 * the repaired size in *size and the offset where the last complete line
 * starts in *last; with no newline at all, nothing is cut and *last is
 * -1.  -1 with errno.
 */
static int
tail_repair(int fd, off_t *size, off_t *last)
{
	char buf[TAIL_CHUNK];
	struct stat st;
	off_t end, at, nl = -1;
	ssize_t n, i;

	if (fstat(fd, &st) == -1)
		return -1;
	*last = -1;
	for (end = st.st_size; end > 0; end = at) {
		at = end > TAIL_CHUNK ? end - TAIL_CHUNK : 0;
		n = pread(fd, buf, (size_t)(end - at), at);
		if (n < 0)
			return -1;
		for (i = n - 1; i >= 0; i--) {
			if (buf[i] != '\n')
				continue;
			if (nl == -1) {
				nl = at + i;
				continue;
			}
			*last = at + i + 1;
			goto found;
		}
	}
	if (nl == -1) {
		*size = st.st_size;	/* no complete line: the caller decides */
		return 0;
	}
	*last = 0;
found:
	*size = nl + 1;
	if (*size != st.st_size && ftruncate(fd, *size) == -1)
		return -1;
	return 0;
}

/* The ts of the line at offset off of fd, or INT64_MIN. */
static int64_t
line_ts(int fd, off_t off)
{
	char buf[64], *comma;
	const char *why;
	int64_t ts;
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, off);

	if (n <= 0)
		return INT64_MIN;
	buf[n] = '\0';
	comma = strpbrk(buf, ",\n");
	if (comma == NULL)
		return INT64_MIN;
	*comma = '\0';
	return time_parse_rfc3339(buf, &ts, &why) == 0 ? ts : INT64_MIN;
}

/* 1: fd starts with head, 0: with a prefix of it (an unfinished head,
 * truncated to 0 here), -1: with something else. */
static int
head_check(int fd, const char *head)
{
	size_t len = strlen(head);
	char *buf = xmalloc(len);
	ssize_t n = pread(fd, buf, len, 0);
	int rc = -1;

	if (n >= 0 && memcmp(buf, head, (size_t)n) == 0)
		rc = (size_t)n == len ? 1 : ftruncate(fd, 0) == 0 ? 0 : -1;
	free(buf);
	return rc;
}

/* ----------------------------------------------------- opening a part */

/*
 * Open (or create) the part of day for appending rows after ts_ms.  A
 * part of another layout, or whose last row is not before ts_ms, is
 * finished and a new one begun.  0, or -1 with errno.
 */
static int
part_open(struct stream *s, int64_t day, int64_t ts_ms)
{
	char name[sizeof(s->part)];
	off_t size, last;
	int fd, k, h;

	part_name(name, sizeof(name), s->prefix, day, ".csv.part");
	for (k = 0; k < 2; k++) {
		fd = openat(s->dirfd, name, O_RDWR | O_CREAT | O_APPEND |
		    O_CLOEXEC, 0640);
		if (fd < 0)
			return -1;
		h = head_check(fd, s->head);
		if (h == 0)
			goto fresh;
		if (h == 1 && tail_repair(fd, &size, &last) == -1) {
			k = errno;
			close(fd);
			errno = k;
			return -1;
		}
		s->last_ts_ms = h == 1 ? line_ts(fd, last) : INT64_MAX;
		if (ts_ms > s->last_ts_ms)
			goto opened;
		close(fd);
		notify(&s->note, "'%s' has another layout or later rows: "
		    "finishing it and starting a new file", name);
		if (part_finalize(s->dirfd, name) == -1)
			return -1;
	}
	errno = EEXIST;
	return -1;
fresh:
	if (write_all(fd, s->head, strlen(s->head)) == -1 ||
	    sync_fd(fd) == -1 || fsync(s->dirfd) == -1) {
		k = errno;
		(void)ftruncate(fd, 0);
		close(fd);
		errno = k;
		return -1;
	}
	size = (off_t)strlen(s->head);
	s->last_ts_ms = INT64_MIN;
opened:
	memcpy(s->part, name, sizeof(s->part));
	s->fd = fd;
	s->day = day;
	s->good = size;
	return 0;
}

/* Close the part of s->day, if any, and rename it to .csv. */
static void
part_close(struct stream *s)
{
	if (s->fd >= 0) {
		(void)sync_fd(s->fd);
		close(s->fd);
		s->fd = -1;
	}
	if (s->part[0] == '\0')
		return;
	if (part_finalize(s->dirfd, s->part) == -1 && errno != ENOENT)
		notify(&s->note, "cannot rename '%s' to .csv: %s", s->part,
		    strerror(errno));
	s->part[0] = '\0';
}

static int64_t
day_of(int64_t ts_ms)
{
	return ts_ms >= 0 ? ts_ms / 86400000 :
	    -((-ts_ms + 86399999) / 86400000);
}

/* Does a row of ts_ms need another file than the open part? */
static bool
part_ends(const struct stream *s, int64_t ts_ms)
{
	return s->part[0] != '\0' && (s->day != day_of(ts_ms) ||
	    (s->fd >= 0 && ts_ms <= s->last_ts_ms));
}

/* Make the file for a row of ts_ms ready; -1 with errno. */
static int
stream_ready(struct stream *s, int64_t ts_ms)
{
	int64_t day = day_of(ts_ms);

	if (s->dirfd < 0) {
		if (s->head_done)
			return 0;
		if (write_all(STDOUT_FILENO, s->head, strlen(s->head)) == -1)
			return -1;
		s->head_done = true;
		s->good = (off_t)strlen(s->head);
		return 0;
	}
	if (part_ends(s, ts_ms))
		part_close(s);
	if (s->fd >= 0)
		return 0;
	return part_open(s, day, ts_ms);
}

/* ------------------------------------------------------------ writing */

static void
pending_free(struct pending *p)
{
	free(p->head);
	free(p->flags);
	free(p->tail);
}

static void
render(struct strbuf *sb, const struct pending *p, size_t dropped)
{
	size_t at;

	strbuf_reset(sb);
	strbuf_addstr(sb, p->head);
	at = sb->len;
	strbuf_addstr(sb, p->flags);
	if (p->late)
		strbuf_addf(sb, "%sbackfill", sb->len > at ? ";" : "");
	if (dropped > 0)
		strbuf_addf(sb, "%sdropped=%zu", sb->len > at ? ";" : "",
		    dropped);
	strbuf_addstr(sb, p->tail);
}

/* The rows dropped before p, counted once: a row written again after a
 * failed sync keeps its count. */
static size_t
pending_dropped(struct stream *s, struct pending *p)
{
	if (!p->rendered) {
		p->dropped = s->dropped;
		p->rendered = true;
		s->dropped = 0;
	}
	return p->dropped;
}

/* Standard output: one write() and one fdatasync() a row (a pipe or a
 * terminal says EINVAL); on failure a regular file is cut back to where
 * the row began; -1 with errno. */
static int
stdout_write(const struct strbuf *sb)
{
	off_t back = lseek(STDOUT_FILENO, 0, SEEK_CUR);
	int e;

	if (write_all(STDOUT_FILENO, sb->buf, sb->len) == 0 &&
	    sync_fd(STDOUT_FILENO) == 0)
		return 0;
	e = errno;
	if (back >= 0 && ftruncate(STDOUT_FILENO, back) == 0)
		(void)lseek(STDOUT_FILENO, back, SEEK_SET);
	errno = e;
	return -1;
}

/*
 * A write or a sync of the part failed: cut it back to its last durable
 * size and close it, so the rows written since (still queued) are
 * written again, whole, when it can be; errno is kept.
 */
static void
written_undo(struct stream *s)
{
	int e = errno;

	if (s->fd >= 0) {
		(void)ftruncate(s->fd, s->good);
		close(s->fd);
		s->fd = -1;
	}
	s->nwritten = 0;
	errno = e;
}

/* Make the rows written durable; they leave the queue.  -1 with errno
 * (written_undo() done). */
static int
written_sync(struct stream *s)
{
	size_t i;

	if (s->nwritten == 0)
		return 0;
	if (sync_fd(s->fd) == -1) {
		written_undo(s);
		return -1;
	}
	s->good = s->wend;
	s->synced_ts_ms = s->q[s->nwritten - 1].ts_ms;
	for (i = 0; i < s->nwritten; i++)
		pending_free(&s->q[i]);
	memmove(s->q, s->q + s->nwritten, (s->qlen - s->nwritten) *
	    sizeof(*s->q));
	s->qlen -= s->nwritten;
	s->nwritten = 0;
	return 0;
}

/* Is the last row written sync_ms (row time) after the last synced?
 * The first row of a run is synced at once. */
static bool
sync_due(const struct stream *s)
{
	return s->sync_ms <= 0 || s->synced_ts_ms == INT64_MIN ||
	    s->q[s->nwritten - 1].ts_ms - s->synced_ts_ms >= s->sync_ms;
}

static const char *
stream_where(const struct stream *s)
{
	return s->dirfd < 0 ? "standard output" : s->part[0] != '\0' ?
	    s->part : s->prefix;
}

/* After writing done rows (err 0) or failing with err: say so once. */
static int
flush_report(struct stream *s, size_t done, int err)
{
	size_t i;

	if (err == 0) {
		if (s->failing != 0 && done > 0)
			notify(&s->note, "'%s' is writable again: rows held in "
			    "memory written", stream_where(s));
		s->failing = 0;
		return 0;
	}
	for (i = 0; i < s->qlen; i++)
		s->q[i].late = true;
	if (s->dirfd < 0 && err == EPIPE)
		return error_set(ERROR_IO, "cannot write to standard output: "
		    "%s", strerror(err));
	if (s->failing != err)
		notify(&s->note, "cannot write '%s': %s; keeping rows in "
		    "memory (at most %zu) until it can", stream_where(s),
		    strerror(err), s->qmax);
	s->failing = err;
	return 0;
}

static void
note_written(struct stream *s, const struct pending *p)
{
	char ts[TIME_RFC3339_LEN];

	if (!s->note.verbose)
		return;
	time_format_rfc3339(p->ts_ms, ts);
	notify(&s->note, "wrote row %s to '%s'", ts, stream_where(s));
}

/* Standard output: each queued row written and synced; -1 with errno. */
static int
flush_stdout(struct stream *s, size_t *done)
{
	struct strbuf sb = STRBUF_INIT;
	int ret = 0;

	while (*done < s->qlen) {
		if (stream_ready(s, s->q[*done].ts_ms) == -1) {
			ret = -1;
			break;
		}
		render(&sb, &s->q[*done], pending_dropped(s, &s->q[*done]));
		if (stdout_write(&sb) == -1) {
			ret = -1;
			break;
		}
		s->last_ts_ms = s->q[*done].ts_ms;
		note_written(s, &s->q[*done]);
		pending_free(&s->q[(*done)++]);
	}
	if (*done > 0) {
		memmove(s->q, s->q + *done, (s->qlen - *done) * sizeof(*s->q));
		s->qlen -= *done;
	}
	strbuf_release(&sb);
	return ret;
}

/*
 * Files: write the queued rows not yet written, syncing first when a row
 * needs another file, then sync when due (or force).  *done counts the
 * rows made durable.  -1 with errno.
 */
static int
flush_files(struct stream *s, bool force, size_t *done)
{
	struct strbuf sb = STRBUF_INIT;
	struct pending *p;
	size_t n0 = s->qlen;
	int ret = 0;

	while (ret == 0 && s->nwritten < s->qlen) {
		p = &s->q[s->nwritten];
		if (s->nwritten > 0 && part_ends(s, p->ts_ms)) {
			ret = written_sync(s);
			continue;
		}
		if (stream_ready(s, p->ts_ms) == -1) {
			ret = -1;
			break;
		}
		if (s->nwritten == 0)
			s->wend = s->good;
		render(&sb, p, pending_dropped(s, p));
		if (write_all(s->fd, sb.buf, sb.len) == -1) {
			written_undo(s);
			ret = -1;
			break;
		}
		s->wend += (off_t)sb.len;
		s->last_ts_ms = p->ts_ms;
		s->nwritten++;
		note_written(s, p);
	}
	/* rows held through a failure are made durable as soon as they are
	 * written, and said so, not a sync interval later */
	if (ret == 0 && s->nwritten > 0 && (force || s->failing != 0 ||
	    sync_due(s)))
		ret = written_sync(s);
	*done = n0 - s->qlen;
	strbuf_release(&sb);
	return ret;
}

/* Write (and sync when due or forced) what is queued. */
static int
flush(struct stream *s, bool force)
{
	size_t done = 0;
	int rc;

	rc = s->dirfd < 0 ? flush_stdout(s, &done) : flush_files(s, force,
	    &done);
	return flush_report(s, done, rc == -1 ? errno : 0);
}

int
stream_flush(struct stream *s)
{
	return flush(s, false);
}

int
stream_put(struct stream *s, int64_t ts_ms, const char *head,
    const char *flags, const char *tail)
{
	struct pending *p;

	if (s->qlen == s->qmax && flush(s, true) == -1)
		return -1;
	if (s->qlen == s->qmax) {
		pending_free(&s->q[0]);
		memmove(s->q, s->q + 1, (s->qlen - 1) * sizeof(*s->q));
		s->qlen--;
		if (s->dropped++ == 0)
			notify(&s->note, "memory buffer of '%s' full: dropping "
			    "the oldest rows", s->prefix);
	}
	ALLOC_GROW(s->q, s->qlen + 1, s->qcap);
	p = &s->q[s->qlen++];
	p->ts_ms = ts_ms;
	p->head = xstrdup(head);
	p->flags = xstrdup(flags);
	p->tail = xstrdup(tail);
	p->late = false;
	p->dropped = 0;
	p->rendered = false;
	return stream_flush(s);
}

void
stream_reopen(struct stream *s)
{
	if (s->fd < 0)
		return;
	/* rows written but not synced: synced here, or written again to
	 * the reopened file when the sync fails */
	if (written_sync(s) == -1 || s->fd < 0)
		return;
	(void)sync_fd(s->fd);
	close(s->fd);
	s->fd = -1;
}

void
stream_close(struct stream *s)
{
	size_t i;

	if (s->qlen > 0)
		(void)flush(s, true);
	if (s->qlen > 0)
		notify(&s->note, "%zu row(s) of '%s' could not be written "
		    "and are lost", s->qlen, s->prefix);
	if (s->dirfd >= 0)
		part_close(s);
	for (i = 0; i < s->qlen; i++)
		pending_free(&s->q[i]);
	free(s->q);
	free(s->prefix);
	free(s->head);
	memset(s, 0, sizeof(*s));
	s->fd = -1;
}

/* ----------------------------------------------------------- recovery */

/* The day of a part named "<prefix>-YYYYMMDD.csv.part", or false. */
static bool
part_day(const char *name, const char *prefix, int64_t *day)
{
	size_t n = strlen(prefix);
	unsigned y, m, d;
	int used = 0;

	if (strncmp(name, prefix, n) != 0 || name[n] != '-' ||
	    strlen(name + n + 1) != 8 + strlen(".csv.part") ||
	    strcmp(name + n + 9, ".csv.part") != 0 ||
	    strspn(name + n + 1, "0123456789") != 8 ||
	    sscanf(name + n + 1, "%4u%2u%2u%n", &y, &m, &d, &used) != 3 ||
	    used != 8 || m < 1 || m > 12 || d < 1 || d > 31)
		return false;
	*day = time_days_from_civil(y, m, d);
	return true;
}

/* Repair one part and finish it when it is not today's. */
static void
recover_one(int dirfd, const char *name, const char *head, bool today,
    const struct notifier *note)
{
	char bad[128];
	struct stat st;
	off_t size, last;
	int fd = openat(dirfd, name, O_RDWR | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) == -1) {
		notify(note, "cannot open '%s': %s", name, strerror(errno));
		goto out;
	}
	if (head_check(fd, head) == 0) {	/* empty or an unfinished head */
		if (!today)
			(void)unlinkat(dirfd, name, 0);
		goto out;
	}
	if (tail_repair(fd, &size, &last) == -1 || last == -1) {
		snprintf(bad, sizeof(bad), "%.*s.corrupt",
		    (int)(strlen(name) - 5), name);
		notify(note, "'%s' has no complete line: renamed '%s'", name,
		    bad);
		if (renameat2(dirfd, name, dirfd, bad, RENAME_NOREPLACE) == 0)
			(void)fsync(dirfd);
		goto out;
	}
	if (size != st.st_size)
		notify(note, "repaired '%s': cut %lld bytes of a torn last "
		    "line", name, (long long)(st.st_size - size));
	(void)sync_fd(fd);
	if (!today && part_finalize(dirfd, name) == 0)
		notify(note, "finished '%s' of an earlier run", name);
out:
	if (fd >= 0)
		close(fd);
}

int
stream_recover(int dirfd, const char *prefix, const char *head,
    int64_t today, const struct notifier *note)
{
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int64_t day;
	int fd = dup(dirfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;

	if (d == NULL) {
		if (fd >= 0)
			close(fd);
		return error_set_errno(ERROR_IO, "cannot read the output "
		    "directory");
	}
	rewinddir(d);
	while ((de = readdir(d)) != NULL)
		if (part_day(de->d_name, prefix, &day)) {
			ALLOC_GROW(names, n + 1, cap);
			names[n++] = xstrdup(de->d_name);
		}
	closedir(d);
	for (i = 0; i < n; i++) {
		part_day(names[i], prefix, &day);
		recover_one(dirfd, names[i], head, day == today, note);
		free(names[i]);
	}
	free(names);
	return 0;
}
