/*
 * fuzz_profiles.c - libFuzzer harness: the profiles reader
 * (model/profile.h profile_set_read()), the input one
 * capplan-profiles,1 file given through a memfd.
 *
 * A set that reads is written back as capplan profile writes it
 * (profile_set_write(), into this process's /dev/shm folder) and read
 * again: it must read, with the same hosts in the same order, each
 * found by its name.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"
#include "model/profile.h"
#include "tests/fuzz/fuzzlib.h"

static void
check_set(const struct profile_set *ps)
{
	size_t i;

	for (i = 0; i < ps->nprofiles; i++)
		if (profile_set_find(ps, ps->profiles[i].host) == NULL ||
		    (ps->profiles[i].nslots != SLOTS_HOUR &&
		    ps->profiles[i].nslots != SLOTS_WEEK))
			fuzz_fail("a profile not found by name, or with a slot count not 24 or 168");
}

static void
check_again(const struct profile_set *ps)
{
	struct profile_set back;
	char *path = fuzz_path("again.csv");
	size_t i;

	if (profile_set_write(ps, path, false) == -1 ||
	    profile_set_read(&back, path) == -1)
		fuzz_fail_again(NULL);
	if (back.nprofiles != ps->nprofiles)
		fuzz_fail("a different profile count read back");
	for (i = 0; i < ps->nprofiles; i++)
		if (strcmp(back.profiles[i].host, ps->profiles[i].host) != 0)
			fuzz_fail("a host name changed when written and read back");
	profile_set_release(&back);
	free(path);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool started;
	struct profile_set ps;

	if (!started) {
		model_init();	/* as capplan starts: GSL reports, not aborts */
		started = true;
	}
	fuzz_begin();
	if (profile_set_read(&ps, fuzz_memfd_path(data, size)) == -1) {
		fuzz_check_rc(-1);
		return 0;
	}
	check_set(&ps);
	check_again(&ps);
	profile_set_release(&ps);
	return 0;
}
