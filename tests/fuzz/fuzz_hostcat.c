/*
 * fuzz_hostcat.c - libFuzzer harness: the host catalog reader
 * (common/hostcat.h hostcat_load()), the input one capplan-hosts,1 file
 * given through a memfd.
 *
 * A catalog that reads must keep the promises the planner relies on: at
 * least one model, each found by its name, positive capacities and a
 * power curve that never falls.  capplan writes no catalog, so there is
 * no round trip here (fuzz_inventory.c has one).
 */
#include <math.h>
#include <stdlib.h>

#include "common/hostcat.h"
#include "tests/fuzz/fuzzlib.h"

static void
check_model(const struct hostcat *hc, const struct host_model *m)
{
	size_t k;

	if (hostcat_find(hc, m->model) != m || !(m->cpu_rating > 0.0) ||
	    !(m->mem_mib > 0.0) || m->disk_iops <= 0.0 ||
	    m->disk_kibps <= 0.0 || m->net_kibps <= 0.0)
		fuzz_fail("a model not found by name, or a capacity not positive");
	for (k = 1; k < POWER_POINTS; k++)
		if (!(m->power_w[k] >= m->power_w[k - 1]))
			fuzz_fail("a power curve that falls");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct table_info info;
	struct hostcat hc;
	size_t i;

	fuzz_begin();
	if (hostcat_load(&hc, fuzz_memfd_path(data, size), &info) == -1) {
		fuzz_check_rc(-1);
		return 0;
	}
	if (hc.nmodels == 0)
		fuzz_fail("a catalog of no models read");
	for (i = 0; i < hc.nmodels; i++)
		check_model(&hc, &hc.models[i]);
	table_info_release(&info);
	hostcat_release(&hc);
	return 0;
}
