/*
 * promql.h - the PromQL queries that compute capplan's columns from
 * node_exporter metrics, and those that give the inventory.
 *
 * One table for both ways of importing from Prometheus: capplan import
 * prometheus --url runs these queries itself, and --queries prints the
 * same ones for sites that export query_range responses by hand (the
 * saved-file mode names a response after its column).  capplan-import(1)
 * lists them.
 *
 * A template names the window of rate() as "[S]" and every selector has
 * braces, "metric{}" when it has no matcher of its own, so extra matchers
 * (the --match selector, a batch of instances) go inside each one.
 * Every query aggregates "by (instance)", so a host is one series per
 * query whatever else its series are labelled with.
 */
#ifndef IMPORT_PROMQL_H
#define IMPORT_PROMQL_H

#include <stddef.h>

#include "common/strbuf.h"

struct promql_query {
	int metric;		/* the samples column */
	const char *tmpl;
};

extern const struct promql_query promql_queries[];
extern const size_t npromql_queries;

/* Where an inventory query's answer goes. */
enum promql_inv {
	PROMQL_INV_THREADS,
	PROMQL_INV_SOCKETS,
	PROMQL_INV_CORES,
	PROMQL_INV_CPU_MODEL,
	PROMQL_INV_CPU_MHZ,
	PROMQL_INV_MEM_MIB,
	PROMQL_INV_DISK_COUNT,
	PROMQL_INV_NICS,
	PROMQL_INV_NIC_MBPS,
	PROMQL_INV_OS,
	PROMQL_INV_KERNEL,
	PROMQL_INV_ARCH,
	PROMQL_INV_N
};

/*
 * An inventory query: an instant query at the end of the range, "[R]"
 * its length, so a host that stopped before the end is still described.
 * A text field comes from the label named by label; a number from the
 * value.  missing is the warning for hosts without it (a static string).
 */
struct promql_inv_query {
	enum promql_inv field;
	const char *column;	/* the inventory column */
	const char *tmpl;
	const char *label;	/* NULL: the value */
	const char *missing;
};

extern const struct promql_inv_query promql_inv_queries[];

/*
 * Append to out the query tmpl with its "[S]" windows as "[<step_s>s]",
 * "[R]" as "[<range_s>s]", and matchers (PromQL label matchers without
 * braces, such as job="node",env="prod"; "" or NULL for none) added to
 * every selector.
 */
void promql_expand(struct strbuf *out, const char *tmpl, long step_s,
    long range_s, const char *matchers);

/*
 * The matchers inside selector ("{job=\"node\"}" -> "job=\"node\""):
 * a new string, or NULL when selector is not one pair of braces (the
 * server checks what is inside).
 */
char *promql_selector_matchers(const char *selector);

/* Append to out a PromQL string literal of a regular expression that
 * matches exactly one of names[0..n). */
void promql_regex_of(struct strbuf *out, char *const *names, size_t n);

#endif
