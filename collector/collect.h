/*
 * collect.h - the agent without its clock: probe, sampler, inventory and
 * output tied together.
 *
 * main.c drives it from timers and signals with real clock readings;
 * replay.c drives it from snapshot directories with the times written in
 * them; tests drive it with made-up times.  Nothing here reads a clock.
 */
#ifndef COLLECTOR_COLLECT_H
#define COLLECTOR_COLLECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collector/output.h"
#include "collector/probe.h"
#include "collector/sampler.h"
#include "collector/src_inv.h"

struct collect_cfg {
	int interval_s;		/* row length, seconds */
	int sub_s;		/* sub-sample period, seconds */
	bool once;		/* one row, then stop */
	bool per_device;	/* disk and net streams too */
	const char *outdir;	/* NULL: standard output */
	const char *hostname;	/* --hostname; NULL: the kernel's */
	size_t qmax;		/* rows held in memory per stream */
	int sync_s;		/* rows synced once they span this; 0: each */
	bool verbose;		/* note every row written */
	/* where notes (repairs, write errors, failing sources) go */
	void (*note)(void *ctx, const char *msg);
	void *note_ctx;
};

struct collect {
	struct collect_cfg cfg;
	struct probe *probe;
	struct sampler *sampler;
	struct output *out;
	struct server_inv *inv;
	struct strbuf inv_notes;	/* the fallbacks last told */
	struct row row;
	bool done;		/* --once: the row is written */
};

/*
 * Start at time t: open the output, write the inventory, take the
 * baseline reading through p (borrowed).  0, or -1 with the error
 * recorded (release c with collect_release() either way).
 */
int collect_start(struct collect *c, const struct collect_cfg *cfg,
    struct probe *p, const struct clocks *t);

/* A sub-sample at t, writing the row it ends.  0, or -1 with the error
 * recorded (standard output gone, time not advancing). */
int collect_tick(struct collect *c, const struct clocks *t);

/* Stop at t: the partial row, then close the files.  0 or -1. */
int collect_finish(struct collect *c, const struct clocks *t);

/* Read the inventory again and record it if it changed (SIGUSR1, SIGHUP,
 * a hot-plug, a new day). */
int collect_refresh(struct collect *c, int64_t now_ms);

void collect_release(struct collect *c);

#endif
