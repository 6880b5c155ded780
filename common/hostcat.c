/*
 * hostcat.c - the host catalog column table and its loader.
 *
 * The power curve must not fall as load rises: every SPECpower result
 * does rise, and a falling curve is nearly always a typo that would make
 * the cost model prefer loaded hosts for the wrong reason.
 */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "common/error.h"
#include "common/hostcat.h"

#define OFF(f) offsetof(struct host_model, f)
#define REQ(n, f, lo, hi, d, u) { n, COL_NUM, true, true, lo, hi, OFF(f), d, u }
#define OPT(n, f, lo, hi, d, u) { n, COL_NUM, false, false, lo, hi, OFF(f), d, u }
#define PW(k) { "power_w_" #k, COL_NUM, true, true, 0, 1e5, \
	OFF(power_w) + (k / 10) * sizeof(double), 1, "W" }

static const struct col_spec hostcat_cols[] = {
	{ "model", COL_TEXT, true, true, 0, 0, OFF(model), 0, "" },
	{ "sockets", COL_INT, true, true, 1, 1024, OFF(sockets), 0, "count" },
	{ "cores", COL_INT, true, true, 1, 1e6, OFF(cores), 0, "count" },
	{ "threads", COL_INT, true, true, 1, 1e6, OFF(threads), 0, "count" },
	REQ("cpu_rating", cpu_rating, 1e-6, 1e7, 3, "CU"),
	REQ("mem_mib", mem_mib, 1, 1e12, 0, "MiB"),
	/* a capacity of 0 fits nothing: empty is "not limited", 0 refused */
	OPT("disk_iops", disk_iops, 1, 1e12, 0, "1/s"),
	OPT("disk_kibps", disk_kibps, 1, 1e15, 0, "KiB/s"),
	OPT("net_kibps", net_kibps, 1, 1e15, 0, "KiB/s"),
	OPT("storage_gib", storage_gib, 1, 1e12, 1, "GiB"),
	REQ("rack_units", rack_units, 0.5, 100, 1, "U"),
	REQ("price", price, 0, 1e9, 2, "currency"),
	PW(0), PW(10), PW(20), PW(30), PW(40), PW(50), PW(60), PW(70),
	PW(80), PW(90), PW(100),
	OPT("maint_per_year", maint_per_year, 0, 1e9, 2, "currency/year"),
	{ "available", COL_INT, false, false, 0, 1e9, OFF(available), 0,
	    "count" },
};

static int
hostcat_check(const void *row, const char *path, size_t line)
{
	const struct host_model *h = row;
	int k;

	for (k = 1; k < POWER_POINTS; k++)
		if (h->power_w[k] < h->power_w[k - 1])
			return error_at(ERROR_DATA, path, line, 0,
			    "power_w_%d (%g W) is below power_w_%d (%g W): "
			    "power must not fall as load rises", k * 10,
			    h->power_w[k], (k - 1) * 10, h->power_w[k - 1]);
	if (h->threads < h->cores || h->cores < h->sockets)
		return error_at(ERROR_DATA, path, line, 0,
		    "need sockets <= cores <= threads, found %g, %g, %g",
		    h->sockets, h->cores, h->threads);
	return 0;
}

const struct table_spec hostcat_spec = {
	FORMAT_HOSTS, hostcat_cols,
	sizeof(hostcat_cols) / sizeof(hostcat_cols[0]),
	sizeof(struct host_model), 0, hostcat_check,
};

int
hostcat_load(struct hostcat *hc, const char *path, struct table_info *info)
{
	void *rows;

	memset(hc, 0, sizeof(*hc));
	if (table_read(&hostcat_spec, path, &rows, &hc->nmodels, info) == -1)
		return -1;
	hc->models = rows;
	if (hc->nmodels == 0) {
		/* fail as table_read() does: nothing left allocated */
		hostcat_release(hc);
		table_info_release(info);
		return error_at(ERROR_DATA, path, 0, 0,
		    "the host catalog lists no host models");
	}
	return 0;
}

void
hostcat_release(struct hostcat *hc)
{
	if (hc == NULL)
		return;
	table_free(&hostcat_spec, hc->models, hc->nmodels);
	memset(hc, 0, sizeof(*hc));
}

const struct host_model *
hostcat_find(const struct hostcat *hc, const char *model)
{
	size_t i;

	for (i = 0; i < hc->nmodels; i++)
		if (strcmp(hc->models[i].model, model) == 0)
			return &hc->models[i];
	return NULL;
}
