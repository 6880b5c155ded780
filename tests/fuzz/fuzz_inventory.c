/*
 * fuzz_inventory.c - libFuzzer harness: the inventory reader
 * (common/inventory.h inventory_load()), the input one
 * capplan-inventory,1 file given through a memfd.
 *
 * An inventory that reads is also written back as capplan-collect and
 * capplan import write one (table_write_row()) and read again: what
 * capplan writes from what it accepted must read back, with every text
 * cell the same bytes (names are identities) and every number the same
 * to the decimals written.  Each server must be found by its name.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/csvio.h"
#include "common/inventory.h"
#include "tests/fuzz/fuzzlib.h"

static void
check_index(const struct inventory *inv)
{
	size_t i;

	for (i = 0; i < inv->nservers; i++)
		if (inventory_find(inv, inv->servers[i].host) !=
		    &inv->servers[i])
			fuzz_fail("a server not found by its name");
}

/* inv written as capplan writes it, read back and compared */
static void
check_again(const struct inventory *inv)
{
	struct csv_line line;
	struct inventory back;
	size_t i;

	csv_line_init(&line);
	table_write_head(&inventory_spec, &line);
	for (i = 0; i < inv->nservers; i++)
		table_write_row(&inventory_spec, &inv->servers[i], &line);
	if (inventory_load(&back, fuzz_memfd_path((const uint8_t *)
	    line.sb.buf, line.sb.len), NULL) == -1)
		fuzz_fail_again(line.sb.buf);
	if (back.nservers != inv->nservers)
		fuzz_fail("a different server count read back");
	for (i = 0; i < inv->nservers; i++)
		fuzz_table_row_same(&inventory_spec, &inv->servers[i],
		    &back.servers[i]);
	inventory_release(&back);
	csv_line_release(&line);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct table_info info;
	struct inventory inv;

	fuzz_begin();
	if (inventory_load(&inv, fuzz_memfd_path(data, size), &info) == -1) {
		fuzz_check_rc(-1);
		return 0;
	}
	check_index(&inv);
	check_again(&inv);
	table_info_release(&info);
	inventory_release(&inv);
	return 0;
}
