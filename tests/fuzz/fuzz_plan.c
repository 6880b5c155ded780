/*
 * fuzz_plan.c - libFuzzer harness: the plan.json reader
 * (planner/plan.h plan_read_json(), jansson underneath), the input one
 * capplan-plan JSON file given through a memfd.
 *
 * plan.h promises that every index and count of a plan read is checked;
 * the harness holds it to that (each guest on a host that exists and
 * lists it, slot labels for every slot), then writes the plan back as
 * capplan plan does (plan_write_json()) and reads it again: what capplan
 * writes from a plan it accepted must read, with the same guests.
 */
#include <stdlib.h>
#include <string.h>

#include "planner/plan.h"
#include "tests/fuzz/fuzzlib.h"

static void
check_plan(const struct plan *p)
{
	const struct plan_host *h;
	char label[64];
	size_t i, k;

	for (i = 0; i < p->nguests; i++) {
		if (p->guests[i].host >= p->nhosts)
			fuzz_fail("a guest on a host that does not exist");
		h = &p->hosts[p->guests[i].host];
		for (k = 0; k < h->nguests && h->guests[k] != i; k++)
			;
		if (k == h->nguests)
			fuzz_fail("a guest its host does not list");
	}
	for (i = 0; i < p->nhosts; i++)
		for (k = 0; k < p->hosts[i].nguests; k++)
			if (p->hosts[i].guests[k] >= p->nguests)
				fuzz_fail("a host listing a guest that does not exist");
	for (i = 0; i < p->nslots && i < 200; i++)
		plan_slot_label(p, i, label, sizeof(label));
}

static void
check_again(const struct plan *p)
{
	char *path = fuzz_path("again.json");
	struct plan *back;
	size_t i;

	if (plan_write_json(p, path) == -1 ||
	    (back = plan_read_json(path)) == NULL)
		fuzz_fail_again(NULL);
	if (back->nguests != p->nguests || back->nhosts != p->nhosts ||
	    back->nservers != p->nservers)
		fuzz_fail("different counts read back");
	for (i = 0; i < p->nguests; i++)
		if (strcmp(back->guests[i].name, p->guests[i].name) != 0)
			fuzz_fail("a guest name changed when written and read back");
	plan_free(back);
	free(path);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct plan *p;

	fuzz_begin();
	if ((p = plan_read_json(fuzz_memfd_path(data, size))) == NULL) {
		fuzz_check_rc(-1);
		return 0;
	}
	check_plan(p);
	check_again(p);
	plan_free(p);
	return 0;
}
