/*
 * output.h - where rows and the inventory go: a directory or stdout.
 *
 * In a directory (--output DIR):
 *   samples-YYYYMMDD.csv   capplan-samples,1: one row per interval
 *   disk-YYYYMMDD.csv      capplan-disk,1: per disk (--per-device)
 *   net-YYYYMMDD.csv       capplan-net,1: per NIC (--per-device)
 *   inventory.csv          capplan-inventory,1: this server, replaced
 *                          atomically at start, daily and on change
 * and the directory itself is flock()ed: one collector per directory.
 * (".part" while a day is being written; see stream.h.)  Without a
 * directory, the inventory record and then the samples stream go to
 * standard output.
 *
 * Rows are rendered here: every metric of metric_table, in its order,
 * after ts, interval_s, host and flags, so a reader maps them by name.
 */
#ifndef COLLECTOR_OUTPUT_H
#define COLLECTOR_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>

#include "collector/source.h"
#include "collector/stream.h"
#include "common/inventory.h"

struct output_cfg {
	const char *dir;	/* NULL: standard output */
	bool per_device;	/* also the disk and net streams */
	size_t qmax;		/* rows kept in memory per stream on ENOSPC */
	struct notifier note;
	int sync_s;		/* fdatasync once a row is this long (row time)
				 * after the last synced; 0: after every row */
};

struct output;

/*
 * Open the output at UTC time now_ms: create the directory if missing,
 * take its lock and repair what an earlier run left (stream_recover).
 * NULL with the error recorded.
 */
struct output *output_open(const struct output_cfg *cfg, int64_t now_ms);

/*
 * Record the inventory inv at UTC time now_ms: to standard output the
 * first time only; in a directory, replace inventory.csv when the record
 * changed or the day did (a failure is retried at the next row).  0, or
 * -1 with the error recorded when standard output is gone.
 */
int output_inventory(struct output *o, const struct server_inv *inv,
    int64_t now_ms);

/* Write row (and its per-device rows) for host.  0, or -1 with the error
 * recorded when standard output is gone; disk errors are not failures
 * (the rows wait in memory, stream.h). */
int output_row(struct output *o, const struct row *row, const char *host);

/* SIGHUP: reopen every file by name. */
void output_reopen(struct output *o);

/* Write what is queued, close and finish the day's files, unlock. */
void output_close(struct output *o);

/* The header lines of each stream, for tests and the man page. */
void output_samples_head(struct strbuf *sb);

#endif
