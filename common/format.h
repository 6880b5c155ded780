/*
 * format.h - the format record that opens every capplan CSV file.
 *
 * Record 1 of a file is "<kind>,<version>", e.g. "capplan-samples,1"
 * (sysstat's versioned data files).  A reader names the kind it wants;
 * a file of another kind, an unknown kind or a version newer than this
 * capplan reads is refused by name, never half-read.  The table in
 * format.c is the one list of kinds and the versions we read.
 * USED BY: capplan and capplan-collect.
 */
#ifndef COMMON_FORMAT_H
#define COMMON_FORMAT_H

#include "common/csvio.h"

enum format_kind {
	FORMAT_SAMPLES,		/* capplan-samples: per-interval utilisation */
	FORMAT_INVENTORY,	/* capplan-inventory: one row per server */
	FORMAT_HOSTS,		/* capplan-hosts: target host catalog */
	FORMAT_DISK,		/* capplan-disk: per-device disk stream */
	FORMAT_NET,		/* capplan-net: per-interface network stream */
	FORMAT_PROFILES,	/* capplan-profiles: output of capplan profile */
	FORMAT_PLACEMENT,	/* capplan-placement: output of capplan plan */
	FORMAT_REPORT,		/* capplan-report: figures of capplan report */
	FORMAT_EXISTING,	/* capplan-existing: the hosts a site has */
	FORMAT_HOSTMAP,		/* capplan-hostmap: plan host -> real host */
	FORMAT_N
};

struct format_info {
	const char *name;	/* "capplan-samples" */
	int version;		/* the newest version this capplan reads */
	const char *what;	/* "samples", for messages */
};

extern const struct format_info format_table[FORMAT_N];

/*
 * Identify the format record rec of file name: on success store the kind
 * and version; -1 with ERROR_DATA (not a format record, unknown kind) or
 * ERROR_UNSUPPORTED (a version we do not read).
 */
int format_identify(const struct csv_record *rec, const char *name,
    enum format_kind *kind, int *version);

/* As format_identify(), and refuse any kind other than want. */
int format_expect(const struct csv_record *rec, const char *name,
    enum format_kind want, int *version);

/* The record's text, for writers: "capplan-samples,1\n" into line. */
void format_write(struct csv_line *line, enum format_kind kind);

#endif
