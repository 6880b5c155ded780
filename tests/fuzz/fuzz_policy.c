/*
 * fuzz_policy.c - libFuzzer harness: the policy reader
 * (common/policy.h policy_load(), inih under common/conf.c), the input
 * one capplan.conf given through a memfd.
 *
 * A policy that reads must hold what its key table promises: every
 * number within its range, every choice one of its choices, and every
 * group named, with at least one server, names in valid UTF-8.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/policy.h"
#include "common/utf8.h"
#include "tests/fuzz/fuzzlib.h"

static int
nchoices(const char *const *choices)
{
	int n = 0;

	while (choices[n] != NULL)
		n++;
	return n;
}

static bool
key_ok(const struct conf_key *k, const struct policy *p)
{
	const char *at = (const char *)p + k->offset;
	double v;
	int c;

	switch (k->type) {
	case CONF_DOUBLE:
		v = *(const double *)(const void *)at;
		return v >= k->min && v <= k->max;
	case CONF_INT:
		v = (double)*(const long *)(const void *)at;
		return v >= k->min && v <= k->max;
	case CONF_CHOICE:
		c = *(const int *)(const void *)at;
		return c >= 0 && c < nchoices(k->choices);
	case CONF_STRING:
		return *(char *const *)(const void *)at == NULL ||
		    utf8_valid(*(char *const *)(const void *)at, NULL, NULL);
	default:
		return true;
	}
}

static bool
group_ok(const struct server_group *g)
{
	size_t i;

	if (g->name == NULL || !utf8_valid(g->name, NULL, NULL) ||
	    g->servers.nitems == 0)
		return false;
	for (i = 0; i < g->servers.nitems; i++)
		if (*g->servers.items[i] == '\0' ||
		    !utf8_valid(g->servers.items[i], NULL, NULL))
			return false;
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct policy p;
	size_t i;

	fuzz_begin();
	if (policy_load(&p, fuzz_memfd_path(data, size)) == -1) {
		fuzz_check_rc(-1);
		return 0;
	}
	for (i = 0; i < policy_schema.nkeys; i++)
		if (!key_ok(&policy_schema.keys[i], &p))
			fuzz_fail("a key outside its range or choices");
	for (i = 0; i < p.ngroups; i++)
		if (!group_ok(&p.groups[i]))
			fuzz_fail("a group without a name or servers, or not UTF-8");
	policy_release(&p);
	return 0;
}
