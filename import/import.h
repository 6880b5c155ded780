/*
 * import.h - converters from other tools' data to capplan samples.
 *
 * One importer per source format, in a table (importers[] in import.c):
 * adding a format is one file and one row.  An importer reads its inputs
 * as streams and hands rows to an import_sink, which owns the output
 * side: one samples file per host, written through common/ofile.h
 * temporary files that are renamed into place only when the whole import
 * succeeded (import_sink_commit), an inventory when the source has one,
 * the checks that keep every file acceptable to capplan inspect, and the
 * per-file coverage that capplan import prints.
 *
 * Importers record bad input with error_at() ("file:line:column: ...")
 * and return -1; only cmd_import.c prints.  The libvirt importer samples
 * through kvm/kvm.h (kvm/ is the only libvirt user).
 */
#ifndef IMPORT_IMPORT_H
#define IMPORT_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/inventory.h"
#include "common/samples.h"

#define IMPORT_NO_TIME INT64_MIN

struct import_opts {
	const char *outdir;	/* where files go; never NULL */
	const char *uri;	/* libvirt URI, NULL = libvirt's default */
	int64_t start_ms;	/* --start, or IMPORT_NO_TIME */
	double interval_s;	/* --interval, or NaN (importer's default) */
	double duration_s;	/* --duration, or NaN */
	const char *cpu_model;	/* --cpu-model (sysstat), or NULL */
	double cpu_mhz;		/* --cpu-mhz (sysstat), or NaN */
	bool merge;		/* --merge (collect): one host in folders */
	/* prometheus --url (imp_promlive.c) */
	const char *url;	/* NULL: the saved-file mode */
	const char *user, *password_file, *token_file;
	const char *match;	/* --match selector, or NULL */
	int64_t end_ms;		/* the range [start_ms, end_ms) */
	double step_s;		/* whole seconds */
	double timeout_s;	/* per request */
	size_t chunk_points;	/* 0, or fewer points a request (tests) */
	size_t batch;		/* 0, or fewer instances a request (tests) */
	/* told what is being done, now and then; NULL: nothing */
	void (*progress)(void *arg, const char *what);
	void *progress_arg;
};

struct import_sink;

/* What an importer tells the user it did not import as such. */
struct import_note {
	const char *what;	/* "rows with interval 0 skipped" */
	size_t count;
	char *first_file;	/* where the first one was, or NULL */
	size_t first_line;
};

struct importer {
	const char *name;	/* the FORMAT operand */
	/* Convert inputs (ninputs may be 0: the importer checks) into sink. */
	int (*run)(struct import_sink *sink, const struct import_opts *o,
	    char **inputs, size_t ninputs);
	bool needs_inputs;	/* at least one input operand */
	const char *what;	/* one line for usage messages */
};

extern const struct importer importers[];
extern const size_t nimporters;

/* the importer named name, or NULL */
const struct importer *importer_find(const char *name);

/* ---------------------------------------------------------------- sink */

/* One output file's summary, for the report cmd_import prints. */
struct import_result {
	const char *host;
	char *path;		/* final path */
	size_t rows;
	int64_t first_ms, end_ms;	/* end: last ts + its interval */
	double interval_s;	/* the most common interval */
	double coverage;	/* rows / expected intervals, 0..1 */
	size_t gaps;		/* steps over 1.5 intervals */
	size_t nmetrics;	/* columns written */
};

/* One output file being written. */
struct import_host;

/*
 * A new sink writing into dir (created if missing, one level).  NULL with
 * ERROR_IO when dir cannot be made.  Free with import_sink_free(), which
 * removes every file not yet committed.
 */
struct import_sink *import_sink_new(const char *dir);
void import_sink_free(struct import_sink *sink);

/*
 * Start the samples file of host with the columns has[] (a copy is
 * taken): host is made file-safe (see capplan-import(1)).  -1 with
 * ERROR_DATA when two hosts map to one file name (src and line name the
 * input that brought the second), ERROR_IO when the file cannot be made.
 * The handle stays valid until the sink is freed.
 */
struct import_host *import_sink_host(struct import_sink *sink,
    const char *host, const bool has[METRIC_N], const char *src,
    size_t line);
/* Write the rows' flags (sample.flags) in a last column "flags"; call
 * before the first row. */
void import_host_keep_flags(struct import_host *h);
/* The file-safe host name. */
const char *import_host_name(const struct import_host *h);
/* The rows written so far. */
size_t import_host_rows(const struct import_host *h);
/* The largest value of metric written so far, NaN if none. */
double import_host_max(const struct import_host *h, int metric);
/* The sink the host writes into. */
struct import_sink *import_host_sink(const struct import_host *h);

/*
 * Append s (its host is ignored) to h's file.  Rows must come in time
 * order: a row at the previous row's time is dropped and counted, an
 * earlier one is an error at src:line.  Percentages above 100 and used
 * memory above the total are clamped and counted; other values must
 * already be in range (NaN = empty).  -1 with the error recorded.
 */
int import_host_row(struct import_host *h, const struct sample *s,
    const char *src, size_t line);
/*
 * The host is complete: its file is flushed, synced and closed (not yet
 * renamed).  Optional: import_sink_commit() finishes open hosts too;
 * importers with many hosts call it to keep few files open.
 */
int import_host_finish(struct import_host *h);

/* Add (a copy of) an inventory row; a second row for a host replaces
 * the first. */
void import_sink_inventory(struct import_sink *sink,
    const struct server_inv *inv);
/* A server_inv with every cell unknown (NaN, -1, "") and host set;
 * the strings are borrowed, not freed. */
void import_inv_init(struct server_inv *inv, const char *host);

/* Count one event of kind what (a static string) at file:line. */
void import_sink_note(struct import_sink *sink, const char *what,
    const char *file, size_t line);

/* The rows added so far, over all hosts. */
size_t import_sink_rows(const struct import_sink *sink);

/*
 * Write the inventory (when one was given) and rename every file into
 * place.  -1 with ERROR_IO; files renamed before a failure stay.
 */
int import_sink_commit(struct import_sink *sink);

/* After commit: the per-file results, sorted by host. */
size_t import_sink_results(const struct import_sink *sink,
    const struct import_result **res);
/* The inventory's path and rows, or NULL when none was written. */
const char *import_sink_inventory_path(const struct import_sink *sink,
    size_t *rows);
/* The notes: skipped rows, clamped values and the like. */
size_t import_sink_notes(const struct import_sink *sink,
    const struct import_note **notes);

/* ------------------------------------------------------------ helpers */

/*
 * The entries of directory dir (not starting with '.', regular files
 * only) whose names end with suffix ("" for all), sorted in C-locale
 * order, as "dir/name" paths in *paths (free each and the array).
 * -1 with ERROR_IO.
 */
int import_list_dir(const char *dir, const char *suffix, char ***paths,
    size_t *npaths);
/* Is path a directory? */
bool import_is_dir(const char *path);
/* The last component of path, without a trailing '/' (a new string). */
char *import_basename(const char *path);

/* The host of a Prometheus instance label: "web01:9100" -> "web01",
 * "[::1]:9100" -> "::1" (a new string). */
char *import_instance_host(const char *instance);

/* A copy of name with every character outside [A-Za-z0-9._-] and a
 * leading '.' replaced by '_'; "" stays "" (the caller refuses it). */
char *import_safe_name(const char *name);

/* The importers, each in its own file. */
int import_sysstat(struct import_sink *sink, const struct import_opts *o,
    char **inputs, size_t ninputs);
int import_prometheus(struct import_sink *sink, const struct import_opts *o,
    char **inputs, size_t ninputs);
/* capplan import prometheus --url: the live mode of import_prometheus */
int import_prometheus_live(struct import_sink *sink,
    const struct import_opts *o);
int import_planetlab(struct import_sink *sink, const struct import_opts *o,
    char **inputs, size_t ninputs);
int import_bitbrains(struct import_sink *sink, const struct import_opts *o,
    char **inputs, size_t ninputs);
/* The host name in a libvirt URI ("qemu+ssh://root@kvm1/system":
 * "kvm1"), or this machine's name when it has none (qemu:///system or
 * NULL), into buf. */
void import_uri_host(const char *uri, char *buf, size_t len);
int import_libvirt(struct import_sink *sink, const struct import_opts *o,
    char **inputs, size_t ninputs);
int import_collect(struct import_sink *sink, const struct import_opts *o,
    char **inputs, size_t ninputs);

#endif
