/*
 * src_psi.c - pressure stall information from /proc/pressure/{cpu,memory,io}.
 *
 * The share of time some task was stalled is 100 x Δtotal_µs / Δt, as sar
 * computes it; the kernel's avg10/avg60 are sampled moving averages, not
 * integrals, and are not used.  PSI is missing on kernels built without
 * CONFIG_PSI and fails with EOPNOTSUPP on kernels that have it switched
 * off (psi=1 not given, RHEL 8): both mean empty cells and the psi_na
 * flag, never an error, and a missing file is not looked for again
 * (probe.c).  Read once a row (source.per_row): the row holds the
 * stall share over the row, the difference of the totals at its ends.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "collector/cmath.h"
#include "collector/source.h"
#include "common/error.h"

static const char *const psi_file[PSI_N] = {
	[PSI_CPU] = "proc/pressure/cpu",
	[PSI_MEM] = "proc/pressure/memory",
	[PSI_IO] = "proc/pressure/io",
};

static const int psi_metric[PSI_N] = {
	[PSI_CPU] = METRIC_PSI_CPU_SOME_PCT,
	[PSI_MEM] = METRIC_PSI_MEM_SOME_PCT,
	[PSI_IO] = METRIC_PSI_IO_SOME_PCT,
};

/* The "some" line's total= value; -1 with the error set. */
static int
parse_some(const char *text, const char *path, uint64_t *total)
{
	const char *s = text, *t;

	if (strncmp(s, "some ", 5) != 0)
		return error_at(ERROR_DATA, path, 1, 1,
		    "expected a line starting 'some '");
	t = strstr(s, "total=");
	if (t == NULL || (strchr(s, '\n') != NULL && t > strchr(s, '\n')))
		return error_at(ERROR_DATA, path, 1, 0, "no total= on line 1");
	t += 6;
	if (!scan_u64(&t, total))
		return error_at(ERROR_DATA, path, 1, 0,
		    "total= is not a whole number");
	return 0;
}

static int
psi_read(struct probe *p, struct reading *r)
{
	struct psi_reading *ps = &r->per_row.psi;
	int k, rc = 0;

	for (k = 0; k < PSI_N; k++) {
		ps->has[k] = false;
		if (probe_read(p, psi_file[k], &p->text) == -1) {
			if (errno != ENOENT && errno != EOPNOTSUPP)
				rc = -1;
			continue;
		}
		if (parse_some(p->text.buf, probe_path(p, psi_file[k]),
		    &ps->some_us[k]) == -1)
			rc = -1;
		else
			ps->has[k] = true;
	}
	return rc;
}

/* the row's start (prev) to its end (cur): read once a row */
static void
psi_add(struct accum *a, const struct reading *prev,
    const struct reading *cur, double dt_s)
{
	const struct psi_reading *pp = &prev->per_row.psi,
	    *cp = &cur->per_row.psi;
	int k;

	(void)dt_s;
	for (k = 0; k < PSI_N; k++) {
		if (!pp->has[k] || !cp->has[k]) {
			a->flags |= FLAG_PSI_NA;
			continue;
		}
		if (!counter_delta(pp->some_us[k], cp->some_us[k],
		    &a->psi.d_us[k])) {
			a->flags |= FLAG_COUNTER_RESET;
			continue;
		}
		a->psi.ok[k] = true;
	}
}

static void
psi_finish(const struct accum *a, const struct reading *last,
    struct row *row)
{
	int k;

	(void)last;
	for (k = 0; k < PSI_N; k++)
		if (a->psi.ok[k] && a->dt_s > 0.0)
			row->v[psi_metric[k]] = cm_min(100.0,
			    (double)a->psi.d_us[k] / 1e4 / a->dt_s);
}

static void
psi_reset(struct accum *a)
{
	memset(&a->psi, 0, sizeof(a->psi));
}

const struct source source_psi = {
	"psi", psi_read, psi_add, psi_finish, psi_reset, true,
};
