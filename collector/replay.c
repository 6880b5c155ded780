/*
 * replay.c - run the collector over recorded snapshots (--replay DIR).
 *
 * DIR holds base/, a tree with what does not change (sys/, etc/,
 * proc/cpuinfo ...), and one directory per sub-sample, taken in name
 * order, holding the files that do change (proc/stat, proc/diskstats
 * ...) and a file "clock" with the three clock readings of that moment:
 *
 *	<UTC seconds> <monotonic seconds> <boot-time seconds> [unsync]
 *
 * A snapshot's files are looked up before base's (probe overlay), so a
 * file missing from both is missing (no PSI), and one present only in
 * some snapshots comes and goes.  The first snapshot is the baseline; the
 * run ends as a stop does, with a partial row for what is left.  Golden
 * tests use this to turn fake trees into rows with no clock and no sleep.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/collect.h"
#include "collector/replay.h"
#include "common/error.h"
#include "common/num.h"
#include "common/strbuf.h"

/* Parse the clock file of snapshot dir into t; -1 with the error set. */
static int
clock_read(struct probe *p, const char *dir, struct clocks *t)
{
	struct strbuf sb = STRBUF_INIT;
	double v[3];
	char *tok, *save = NULL;
	const char *why;
	int i, rc = -1;

	probe_set_overlay(p, dir);
	if (probe_read(p, "clock", &sb) == -1)
		goto out;
	tok = strtok_r(sb.buf, " \t\n", &save);
	for (i = 0; i < 3; i++, tok = strtok_r(NULL, " \t\n", &save))
		if (tok == NULL || num_parse_double(tok, &v[i], &why) == -1) {
			error_at(ERROR_DATA, probe_path(p, "clock"), 1, i + 1,
			    "expected UTC, monotonic and boot-time seconds");
			goto out;
		}
	t->real_s = v[0];
	t->mono_s = v[1];
	t->boot_s = v[2];
	t->unsynced = tok != NULL && strcmp(tok, "unsync") == 0;
	rc = 0;
out:
	strbuf_release(&sb);
	return rc;
}

/* The snapshot directories of dir, in name order (not base/). */
static size_t
snapshots(struct probe *p, const char *dir, char ***names)
{
	char **all;
	size_t n, i, k = 0;

	probe_set_overlay(p, dir);
	n = probe_list(p, ".", &all);
	*names = all;
	for (i = 0; i < n; i++) {
		if (strcmp(all[i], "base") == 0 ||
		    !probe_exists(p, "%s/clock", all[i])) {
			free(all[i]);
			continue;
		}
		all[k++] = all[i];
	}
	return k;
}

static int
replay_steps(struct collect *c, struct probe *p, const char *dir,
    char **names, size_t n, const struct collect_cfg *cfg)
{
	struct strbuf path = STRBUF_INIT;
	struct clocks t;
	size_t i;
	int rc = -1;

	for (i = 0; i < n && !c->done; i++) {
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", dir, names[i]);
		if (clock_read(p, path.buf, &t) == -1)
			goto out;
		if (i == 0 && collect_start(c, cfg, p, &t) == -1)
			goto out;
		if (i > 0 && collect_tick(c, &t) == -1)
			goto out;
	}
	rc = collect_finish(c, &t);
out:
	strbuf_release(&path);
	return rc;
}

int
replay_run(const char *dir, const struct collect_cfg *cfg)
{
	struct strbuf base = STRBUF_INIT;
	struct collect c = { 0 };
	struct probe p;
	char **names;
	size_t n;
	int rc = -1;

	strbuf_addf(&base, "%s/base", dir);
	probe_init(&p, dir, false);
	n = snapshots(&p, dir, &names);
	probe_release(&p);
	probe_init(&p, base.buf, false);
	if (n == 0)
		error_set(ERROR_DATA, "'%s' holds no snapshot directories (each "
		    "with a 'clock' file)", dir);
	else
		rc = replay_steps(&c, &p, dir, names, n, cfg);
	collect_release(&c);
	probe_list_free(names, n);
	probe_release(&p);
	strbuf_release(&base);
	return rc;
}
