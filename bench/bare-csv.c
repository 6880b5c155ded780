/*
 * bare-csv.c - the yardstick for bench/ingest: libcsv + strtod, nothing else.
 *
 * usage: bare-csv FILE
 *
 * Parses FILE with libcsv in 256 KiB reads (the buffer size capplan's
 * reader uses) and converts every field with strtod(), keeping a sum so
 * the work cannot be optimised away.  No validation, no line numbers, no
 * statistics: what "reading a CSV of numbers" costs at the minimum.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

struct acc {
	double sum;
	unsigned long fields, records;
	char buf[256];
};

static void
on_field(void *s, size_t len, void *data)
{
	struct acc *a = data;

	if (len >= sizeof(a->buf))
		len = sizeof(a->buf) - 1;
	memcpy(a->buf, s, len);
	a->buf[len] = '\0';
	a->sum += strtod(a->buf, NULL);
	a->fields++;
}

static void
on_record(int c, void *data)
{
	(void)c;
	((struct acc *)data)->records++;
}

int
main(int argc, char **argv)
{
	static char buf[256 * 1024];
	struct csv_parser p;
	struct acc a = { 0 };
	FILE *fp;
	size_t n;

	if (argc != 2 || (fp = fopen(argv[1], "r")) == NULL) {
		fprintf(stderr, "usage: bare-csv FILE\n");
		return 2;
	}
	csv_init(&p, 0);
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		csv_parse(&p, buf, n, on_field, on_record, &a);
	csv_fini(&p, on_field, on_record, &a);
	csv_free(&p);
	fclose(fp);
	printf("%lu records, %lu fields, checksum %g\n", a.records, a.fields,
	    a.sum);
	return 0;
}
