/*
 * output.c - rendering rows and the inventory, and the output directory.
 *
 * Numbers go through csv_line_num(), so the collector writes exactly what
 * every other capplan writer does (metric_table's decimals, NaN as an
 * empty cell); the host name is the only text and is quoted when needed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collector/output.h"
#include "common/csvio.h"
#include "common/error.h"
#include "common/format.h"
#include "common/num.h"
#include "common/table.h"
#include "common/xalloc.h"

#define INVENTORY "inventory.csv"
#define INVENTORY_TMP ".inventory.csv.tmp"

struct devcol {
	const char *name;
	int decimals;
};

static const struct devcol disk_cols[DISKCOL_N] = {
	[DISK_READ_IOPS] = { "read_iops", 2 },
	[DISK_WRITE_IOPS] = { "write_iops", 2 },
	[DISK_READ_KIBPS] = { "read_kibps", 2 },
	[DISK_WRITE_KIBPS] = { "write_kibps", 2 },
	[DISK_BUSY_PCT] = { "busy_pct", 2 },
	[DISK_AWAIT_MS] = { "await_ms", 2 },
	[DISK_IOPS_MAX] = { "iops_max", 2 },
	[DISK_KIBPS_MAX] = { "kibps_max", 2 },
};

static const struct devcol net_cols[NETCOL_N] = {
	[NET_RX_KIBPS] = { "rx_kibps", 2 },
	[NET_TX_KIBPS] = { "tx_kibps", 2 },
	[NET_RX_PKTS_PER_S] = { "rx_pkts_per_s", 2 },
	[NET_TX_PKTS_PER_S] = { "tx_pkts_per_s", 2 },
	[NET_ERRORS_PER_S] = { "errors_per_s", 2 },
	[NET_DROPS_PER_S] = { "drops_per_s", 2 },
	[NET_RX_MAX_KIBPS] = { "rx_max_kibps", 2 },
	[NET_TX_MAX_KIBPS] = { "tx_max_kibps", 2 },
};

struct output {
	int dirfd;		/* -1: standard output; flock()ed */
	bool per_device;
	struct stream samples, disk, net;
	char *inv_text;		/* the last inventory record rendered */
	bool inv_pending;	/* not yet written */
	bool inv_failing;	/* the last try failed (noted once) */
	int64_t inv_day;	/* day it was last written */
	struct csv_line line;
	struct notifier note;
};

/* ------------------------------------------------------------ headers */

static void
head_common(struct csv_line *l, enum format_kind kind)
{
	format_write(l, kind);
	csv_line_str(l, "ts");
	csv_line_str(l, "interval_s");
	csv_line_str(l, "host");
	csv_line_str(l, "flags");
}

void
output_samples_head(struct strbuf *sb)
{
	struct csv_line l;
	int m;

	csv_line_init(&l);
	head_common(&l, FORMAT_SAMPLES);
	for (m = 0; m < METRIC_N; m++)
		csv_line_str(&l, metric_table[m].name);
	csv_line_end(&l);
	strbuf_addstr(sb, l.sb.buf);
	csv_line_release(&l);
}

static char *
dev_head(enum format_kind kind, const char *key, const struct devcol *cols,
    size_t ncols)
{
	struct csv_line l;
	size_t i;

	csv_line_init(&l);
	head_common(&l, kind);
	csv_line_str(&l, key);
	for (i = 0; i < ncols; i++)
		csv_line_str(&l, cols[i].name);
	csv_line_end(&l);
	return strbuf_detach(&l.sb);
}

/* --------------------------------------------------------------- rows */

/* "ts,interval_s,host," of row into l (reset first). */
static void
row_head(struct csv_line *l, const struct row *row, const char *host)
{
	char ts[TIME_RFC3339_LEN];

	csv_line_reset(l);
	time_format_rfc3339(row->ts_ms, ts);
	csv_line_str(l, ts);
	csv_line_num(l, row->interval_s, 3);
	csv_line_text(l, host);
	strbuf_addch(&l->sb, ',');
}

/* Start a tail: every field, the first too, is preceded by ','. */
static void
tail_begin(struct csv_line *l)
{
	csv_line_reset(l);
	l->nfields = 1;
}

static int
put_row(struct output *o, struct stream *st, const struct row *row,
    const char *host, unsigned flags, struct strbuf *tail)
{
	struct strbuf fl;
	int rc;

	strbuf_init(&fl);
	flags_format(flags, &fl);
	row_head(&o->line, row, host);
	rc = stream_put(st, row->ts_ms, o->line.sb.buf, fl.buf, tail->buf);
	strbuf_release(&fl);
	return rc;
}

static int
put_devs(struct output *o, struct stream *st, const struct row *row,
    const char *host, const struct dev_row *devs, size_t n, size_t ncols,
    const struct devcol *cols)
{
	struct csv_line t;
	size_t i, k;
	int rc = 0;

	csv_line_init(&t);
	for (i = 0; i < n && rc == 0; i++) {
		tail_begin(&t);
		csv_line_str(&t, devs[i].name);
		for (k = 0; k < ncols; k++)
			csv_line_num(&t, devs[i].v[k], cols[k].decimals);
		csv_line_end(&t);
		rc = put_row(o, st, row, host, row->flags | devs[i].flags,
		    &t.sb);
	}
	csv_line_release(&t);
	return rc;
}

static int inventory_flush(struct output *o);

int
output_row(struct output *o, const struct row *row, const char *host)
{
	struct csv_line t;
	int m, rc;

	if (o->inv_pending)
		(void)inventory_flush(o);
	csv_line_init(&t);
	tail_begin(&t);
	for (m = 0; m < METRIC_N; m++)
		csv_line_num(&t, row->v[m], metric_table[m].decimals);
	csv_line_end(&t);
	rc = put_row(o, &o->samples, row, host, row->flags, &t.sb);
	csv_line_release(&t);
	if (rc == 0 && o->per_device)
		rc = put_devs(o, &o->disk, row, host, row->disk, row->ndisk,
		    DISKCOL_N, disk_cols);
	if (rc == 0 && o->per_device)
		rc = put_devs(o, &o->net, row, host, row->nic, row->nnic,
		    NETCOL_N, net_cols);
	return rc;
}

/* ---------------------------------------------------------- inventory */

/* "cannot replace inventory.csv: <errno>; ..." to the notifier */
static void
note_inventory_failed(struct output *o)
{
	struct strbuf sb;

	if (o->note.fn == NULL)
		return;
	strbuf_init(&sb);
	strbuf_addf(&sb, "cannot replace '" INVENTORY "': %s; retrying at "
	    "each row", strerror(errno));
	o->note.fn(o->note.ctx, sb.buf);
	strbuf_release(&sb);
}

static int
write_all_fd(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Replace inventory.csv with o->inv_text: temporary file, fdatasync,
 * rename, directory fsync.  -1 with errno (the old file stays). */
static int
inventory_replace(struct output *o)
{
	int fd = openat(o->dirfd, INVENTORY_TMP, O_WRONLY | O_CREAT | O_TRUNC |
	    O_CLOEXEC, 0640), rc, e;

	if (fd < 0)
		return -1;
	rc = write_all_fd(fd, o->inv_text, strlen(o->inv_text));
	if (rc == 0)
		rc = fdatasync(fd);
	e = errno;
	if (close(fd) == -1 && rc == 0) {
		rc = -1;
		e = errno;
	}
	if (rc == -1) {
		(void)unlinkat(o->dirfd, INVENTORY_TMP, 0);
		errno = e;
		return -1;
	}
	if (renameat(o->dirfd, INVENTORY_TMP, o->dirfd, INVENTORY) == -1)
		return -1;
	return fsync(o->dirfd);
}

static int
inventory_flush(struct output *o)
{
	if (o->dirfd < 0) {
		if (write_all_fd(STDOUT_FILENO, o->inv_text,
		    strlen(o->inv_text)) == -1)
			return error_set_errno(ERROR_IO, "cannot write to "
			    "standard output");
		o->inv_pending = false;
		return 0;
	}
	if (inventory_replace(o) == -1) {
		if (!o->inv_failing)
			note_inventory_failed(o);
		o->inv_failing = true;
		return 0;
	}
	o->inv_pending = o->inv_failing = false;
	if (o->note.verbose && o->note.fn != NULL)
		o->note.fn(o->note.ctx, "wrote '" INVENTORY "'");
	return 0;
}

int
output_inventory(struct output *o, const struct server_inv *inv,
    int64_t now_ms)
{
	struct csv_line l;
	int64_t day = now_ms / 86400000;
	bool same;

	if (o->dirfd < 0 && o->inv_text != NULL)
		return 0;	/* standard output: the first record only */
	csv_line_init(&l);
	table_write_head(&inventory_spec, &l);
	table_write_row(&inventory_spec, inv, &l);
	same = o->inv_text != NULL && strcmp(o->inv_text, l.sb.buf) == 0;
	if (same && day == o->inv_day && !o->inv_pending) {
		csv_line_release(&l);
		return 0;
	}
	free(o->inv_text);
	o->inv_text = strbuf_detach(&l.sb);
	csv_line_release(&l);
	o->inv_day = day;
	o->inv_pending = true;
	return inventory_flush(o);
}

/* ------------------------------------------------ opening and closing */

static int
dir_open(const char *dir)
{
	int fd;

	if (mkdir(dir, 0750) == -1 && errno != EEXIST)
		return error_set_errno(ERROR_IO, "cannot create '%s'", dir);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return error_set_errno(ERROR_IO, "cannot open '%s'", dir);
	return fd;
}

/*
 * One collector per directory: the directory itself is locked (flock()
 * on its descriptor), not a file in it.  A ".lock" file could be removed
 * under a running collector, and the next one then locked a new file of
 * that name and wrote the same day's samples: duplicate timestamps.
 */
static int
dir_lock(int dirfd, const char *dir)
{
	if (flock(dirfd, LOCK_EX | LOCK_NB) == 0)
		return 0;
	if (errno == EWOULDBLOCK)
		return error_set(ERROR_IO, "another capplan-collect is writing "
		    "to '%s'", dir);
	return error_set_errno(ERROR_IO, "cannot lock '%s'", dir);
}

static int
streams_init(struct output *o, const struct output_cfg *cfg, int64_t today)
{
	struct strbuf head = STRBUF_INIT;
	char *dh = dev_head(FORMAT_DISK, "dev", disk_cols, DISKCOL_N);
	char *nh = dev_head(FORMAT_NET, "iface", net_cols, NETCOL_N);
	int rc = 0;

	output_samples_head(&head);
	stream_init(&o->samples, "samples", head.buf, o->dirfd, cfg->qmax,
	    &cfg->note);
	stream_init(&o->disk, "disk", dh, o->dirfd, cfg->qmax, &cfg->note);
	stream_init(&o->net, "net", nh, o->dirfd, cfg->qmax, &cfg->note);
	o->samples.sync_ms = o->disk.sync_ms = o->net.sync_ms =
	    (int64_t)cfg->sync_s * 1000;
	if (o->dirfd >= 0 && (stream_recover(o->dirfd, "samples", head.buf,
	    today, &cfg->note) == -1 || stream_recover(o->dirfd, "disk", dh,
	    today, &cfg->note) == -1 || stream_recover(o->dirfd, "net", nh,
	    today, &cfg->note) == -1))
		rc = -1;
	strbuf_release(&head);
	free(dh);
	free(nh);
	return rc;
}

struct output *
output_open(const struct output_cfg *cfg, int64_t now_ms)
{
	struct output *o = xcalloc(1, sizeof(*o));

	o->dirfd = -1;
	o->per_device = cfg->per_device;
	o->note = cfg->note;
	o->inv_day = -1;
	csv_line_init(&o->line);
	if (cfg->dir != NULL) {
		if ((o->dirfd = dir_open(cfg->dir)) == -1 ||
		    dir_lock(o->dirfd, cfg->dir) == -1)
			goto fail;
	}
	if (streams_init(o, cfg, now_ms / 86400000) == -1)
		goto fail;
	return o;
fail:
	output_close(o);
	return NULL;
}

void
output_reopen(struct output *o)
{
	stream_reopen(&o->samples);
	stream_reopen(&o->disk);
	stream_reopen(&o->net);
}

void
output_close(struct output *o)
{
	if (o == NULL)
		return;
	if (o->samples.prefix != NULL) {
		stream_close(&o->samples);
		stream_close(&o->disk);
		stream_close(&o->net);
	}
	if (o->inv_pending && o->inv_text != NULL && o->dirfd >= 0)
		(void)inventory_replace(o);
	if (o->dirfd >= 0)
		close(o->dirfd);	/* and the lock with it */
	free(o->inv_text);
	csv_line_release(&o->line);
	free(o);
}
