/*
 * fuzz_validation.c - libFuzzer harness: the validation.json reader
 * (model/validation.h validation_set_read()), the input one
 * capplan-validation JSON file given through a memfd.
 *
 * A set that reads is written back as capplan validate writes it
 * (validation_set_write()) and read again: it must read, with the same
 * runs, guests and slots.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"
#include "model/validation.h"
#include "tests/fuzz/fuzzlib.h"

static void
check_same(const struct validation_set *a, const struct validation_set *b)
{
	size_t i;

	if (a->nruns != b->nruns || a->sweep != b->sweep)
		fuzz_fail("a different run count read back");
	for (i = 0; i < a->nruns; i++)
		if (a->runs[i].nguests != b->runs[i].nguests ||
		    a->runs[i].nslots != b->runs[i].nslots)
			fuzz_fail("a different guest or slot count read back");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool started;
	struct validation_set s, back;
	char *path;

	if (!started) {
		model_init();	/* as capplan starts: GSL reports, not aborts */
		started = true;
	}
	fuzz_begin();
	if (validation_set_read(&s, fuzz_memfd_path(data, size)) == -1) {
		fuzz_check_rc(-1);
		return 0;
	}
	path = fuzz_path("again.json");
	if (validation_set_write(&s, path) == -1 ||
	    validation_set_read(&back, path) == -1)
		fuzz_fail_again(NULL);
	check_same(&s, &back);
	validation_set_release(&back);
	validation_set_release(&s);
	free(path);
	return 0;
}
