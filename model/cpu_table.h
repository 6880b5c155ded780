/*
 * cpu_table.h - CPU normalisation: a server's capacity in capacity units.
 *
 * 1 CU = 100,000 ssj_ops at the 100 % target load of SPECpower_ssj2008
 * (about one 2017 Skylake-SP core with its two hyper-threads).  A
 * server's cpu_rating comes, in this order, from the inventory's
 * cpu_rating; from the shipped table of CPU models (model/cpu_table.inc,
 * derived by scripts/make-cpu-table from SPEC's published results); from
 * cores x GHz x a generation factor derived from the same results; or,
 * with nothing known, one CU per logical CPU.  The rules are in
 * capplan-profile(1), CPU NORMALISATION.  Plain C types only.
 */
#ifndef MODEL_CPU_TABLE_H
#define MODEL_CPU_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "common/inventory.h"
#include "model/profile.h"

struct cpu_rating_row {
	const char *key;	/* normalised model, see cpu_model_normalise() */
	double cu_per_core;	/* median over the results with this key */
	double threads_per_core;
	double mhz;
	int results;		/* how many results were combined */
};

/* what the rating of one server is and where it came from */
struct cpu_rating {
	double cu;			/* of the whole server */
	enum rating_source source;
	bool masked;			/* generic CPU model string */
	const struct cpu_rating_row *row;	/* RATING_TABLE: the row used */
};

/*
 * Normalise a CPU model string (as /proc/cpuinfo, dmidecode or SPEC
 * spell it) into a key in buf (size bytes; truncated to fit): lower case;
 * "(r)", "(tm)", "(c)" and everything from '@' on removed; characters
 * other than letters, digits, '.', '+', '-' become blanks; the words
 * "cpu", "processor(s)", "0", "N-core", and frequencies ("2.6 GHz",
 * "3.8GHz") dropped; "he", "ee", "se" joined to the model number
 * before them ("4164 EE" -> "4164ee"); "amd" or "intel" added before a
 * bare "epyc", "opteron", "xeon", "core", "pentium", and "xeon" after an
 * "intel" followed by a bare model number ("Intel E3-1260L v5").  Words
 * are joined by one blank.  Returns buf.
 */
char *cpu_model_normalise(const char *model, char *buf, size_t size);
/* Is the normalised key generic ("intel xeon", "qemu virtual", "common
 * kvm", empty ...), naming no particular CPU? */
bool cpu_model_masked(const char *key);
/* The table row of a normalised key, or NULL. */
const struct cpu_rating_row *cpu_table_find(const char *key);
/* CU per core-GHz for models not in the table. */
double cpu_generation_factor(void);
/* The table's rows (sorted by key) and the raw names they came from,
 * for tests and documentation. */
const struct cpu_rating_row *cpu_table_rows(size_t *n);
const char *const (*cpu_table_names(size_t *n))[2];

/*
 * The rating of server s (NULL: not in the inventory) that showed at
 * most ncpu_seen logical CPUs in its samples (NaN: unknown).  Never fails:
 * the last resort is RATING_ASSUMED.
 */
void cpu_rating_of(const struct server_inv *s, double ncpu_seen,
    struct cpu_rating *r);

#endif
