/*
 * stream.h - one durable, daily-rotated CSV stream of rows.
 *
 * The collector's promise: a crash or power cut loses at most the row
 * being written, earlier rows are never damaged, and a full disk loses
 * nothing until the memory buffer overflows (research §8).
 *
 *   - A row is one buffer, one write() to an O_APPEND file; then
 *     fdatasync(), after every row (sync_ms 0) or once a row written is
 *     sync_ms of row time after the last row synced (the collector's
 *     --sync-interval, 60 s: at the default 60 s rows that is every
 *     row, at 5 s rows every 12th), the first row of a run at once, and
 *     always before a file is closed or when the queue is full.
 *     Rows written but not yet synced stay queued until the sync, so a
 *     failure can write them again: the file can only ever end in one
 *     torn line, and a crash loses the rows since the last sync.
 *   - While open, a day's file is "<prefix>-YYYYMMDD.csv.part" (UTC day
 *     of the row's ts).  On opening, a torn last line (no newline) is cut
 *     off; a part of another layout (another version) is closed out and a
 *     new one begun, never appended to, never truncated.
 *   - Closing a day: fdatasync, rename .part -> .csv (-2, -3 ... when the
 *     name is taken; never overwriting), fsync the directory.
 *   - A write or fdatasync that fails (ENOSPC, EDQUOT, EIO): the file is
 *     truncated back to its last durable size and closed, the row stays
 *     queued in memory (at most ring_max rows; the oldest are dropped
 *     beyond) and every later put retries, oldest first.  Rows written
 *     late are flagged backfill; the first row after a drop carries
 *     dropped=<n>.  fsync is never retried on the same dirty pages
 *     ("fsyncgate"): truncating removes them and the retry rewrites them.
 *   - Rows whose ts is not after the file's last (the UTC clock was set
 *     back) start a new file, so every file stays in time order.
 *
 * With dirfd -1 the stream is standard output: the head is written
 * once, there is no rotation, and EPIPE (the reader went away) is fatal.
 */
#ifndef COLLECTOR_STREAM_H
#define COLLECTOR_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* how the writer tells its caller what it did; may be NULL */
struct notifier {
	void (*fn)(void *ctx, const char *msg);
	void *ctx;
	bool verbose;		/* also each row written */
};

struct pending {
	int64_t ts_ms;
	char *head;		/* the fields before flags, ending in ',' */
	char *flags;		/* the row's own flags */
	char *tail;		/* ',' and the fields after flags, '\n' */
	bool late;		/* a write of it failed: flag backfill */
	size_t dropped;		/* rows dropped just before it */
	bool rendered;		/* dropped is set */
};

struct stream {
	char *prefix;		/* "samples": samples-YYYYMMDD.csv */
	char *head;		/* format record and header line */
	int dirfd;		/* -1: standard output */
	int fd;			/* the open part, or -1 */
	int64_t day;		/* days since 1970 of the open part */
	char part[96];		/* its name */
	off_t good;		/* its size up to the last durable row */
	size_t nwritten;	/* q[0, nwritten) are in the file, not synced */
	off_t wend;		/* its size after them */
	int64_t sync_ms;	/* sync once a row written is this much row
				 * time after the last synced; 0: each row */
	int64_t synced_ts_ms;	/* the last synced row's ts, or INT64_MIN */
	int64_t last_ts_ms;	/* its last row's ts, or INT64_MIN */
	bool head_done;		/* standard output: head written */
	struct pending *q;	/* rows waiting, oldest first */
	size_t qlen, qcap, qmax;
	size_t dropped;		/* dropped since the last row written */
	int failing;		/* errno of the failure being reported */
	struct notifier note;
};

/*
 * Set up s for files "<prefix>-YYYYMMDD.csv" in the directory dirfd
 * (borrowed), or standard output when dirfd is -1.  head is the format
 * record and header, newline-ended.  Nothing is opened yet.  Each row is
 * synced (sync_ms 0) until the caller sets s->sync_ms; standard output
 * is always written row by row.
 */
void stream_init(struct stream *s, const char *prefix, const char *head,
    int dirfd, size_t qmax, const struct notifier *note);

/*
 * Queue a row (the strings are copied) and write every queued row that
 * can be written.  Returns 0 (queued rows waiting is not an error), or
 * -1 with the error recorded when standard output is gone (EPIPE).
 */
int stream_put(struct stream *s, int64_t ts_ms, const char *head,
    const char *flags, const char *tail);

/* Write what is queued; as stream_put(). */
int stream_flush(struct stream *s);

/* Close the open part (SIGHUP, logrotate): the next write reopens it by
 * name, so a part moved away is started afresh. */
void stream_reopen(struct stream *s);

/* Flush, then close the part and rename it to .csv (a clean stop).  Rows
 * still queued are reported as lost.  Frees s's memory. */
void stream_close(struct stream *s);

/*
 * Start-up repair of the parts in dirfd left by an earlier run (killed,
 * or power lost): each "<prefix>-*.csv.part" has its torn last line cut;
 * those of another day than today (days since 1970) are renamed to
 * .csv; an empty part of another day is removed, and one with no
 * complete line is renamed .corrupt.  Returns 0, or -1 with the error
 * recorded when the directory cannot be read.
 */
int stream_recover(int dirfd, const char *prefix, const char *head,
    int64_t today, const struct notifier *note);

#endif
