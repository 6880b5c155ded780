/*
 * fuzz_backtest.c - libFuzzer harness: the backtest JSON reader
 * (planner/plan.h backtest_read_json(), the counterpart of
 * planner/backtest.h's runs), the input one capplan-backtest JSON file
 * given through a memfd.
 *
 * A backtest that reads is written back as capplan backtest --json
 * writes it (backtest_write_json()) and read again: it must read, with
 * the same hosts.
 */
#include <stdlib.h>
#include <string.h>

#include "planner/plan.h"
#include "tests/fuzz/fuzzlib.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct backtest bt, back;
	char *path;
	size_t i;

	fuzz_begin();
	if (backtest_read_json(&bt, fuzz_memfd_path(data, size)) == -1) {
		fuzz_check_rc(-1);
		return 0;
	}
	path = fuzz_path("again.json");
	if (backtest_write_json(&bt, path) == -1 ||
	    backtest_read_json(&back, path) == -1)
		fuzz_fail_again(NULL);
	if (back.nhosts != bt.nhosts)
		fuzz_fail("a different host count read back");
	for (i = 0; i < bt.nhosts; i++)
		if (strcmp(back.hosts[i].name, bt.hosts[i].name) != 0)
			fuzz_fail("a host name changed when written and read back");
	backtest_release(&back);
	backtest_release(&bt);
	free(path);
	return 0;
}
