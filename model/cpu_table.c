/*
 * cpu_table.c - CPU model normalisation and the rating of a server.
 *
 * The table itself is generated (cpu_table.inc, by scripts/make-cpu-table
 * from SPECpower_ssj2008 results) and compiled in, so capplan needs no
 * data file at run time.  cpu_model_normalise() must apply exactly the
 * rules of the script's awk norm(): test_cpu_table checks that every
 * SPEC name in the table maps to its own key.
 *
 * Logical CPUs and cores: a SPEC result's CU per core was measured with
 * every hardware thread busy, so a physical server is rated cores x CU
 * per core, and a virtual machine, whose vCPUs are threads, vCPUs x CU
 * per core / threads per core.  A vCPU alone on an idle core gets more
 * than that; the rating is what it gets when the host is busy, which is
 * the case a capacity plan must survive.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/cpu_table.h"

#include "model/cpu_table.inc"

#define NROWS (sizeof(cpu_rating_rows) / sizeof(cpu_rating_rows[0]))
#define NNAMES (sizeof(cpu_rating_names) / sizeof(cpu_rating_names[0]))
#define WORDS_MAX 32
#define MODEL_MAX 256
/* the median threads per core of SPEC results since 2009 */
#define SMT_THREADS 2.0

/* lower case, marks and "@ ..." removed, odd characters blanked */
static void
model_clean(const char *model, char *s)
{
	static const char *marks[] = { "(r)", "(tm)", "(c)" };
	size_t i, k, n;
	char *p;

	for (i = 0; model[i] != '\0' && i < MODEL_MAX - 1; i++)
		s[i] = (char)tolower((unsigned char)model[i]);
	s[i] = '\0';
	for (k = 0; k < sizeof(marks) / sizeof(marks[0]); k++) {
		n = strlen(marks[k]);
		while ((p = strstr(s, marks[k])) != NULL)
			memmove(p, p + n, strlen(p + n) + 1);
	}
	if ((p = strchr(s, '@')) != NULL)
		*p = '\0';
	for (p = s; *p != '\0'; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) &&
		    *p != '.' && *p != '+' && *p != '-')
			*p = ' ';
}

/* does w consist only of characters in set, and at least one? */
static bool
all_of(const char *w, const char *set)
{
	return *w != '\0' && w[strspn(w, set)] == '\0';
}

static bool
ends_with(const char *w, const char *suffix)
{
	size_t n = strlen(w), m = strlen(suffix);

	return n >= m && strcmp(w + n - m, suffix) == 0;
}

/* "2.6ghz", "3800mhz" */
static bool
is_frequency(const char *w)
{
	size_t n = strlen(w);

	if (n <= 3 || (!ends_with(w, "ghz") && !ends_with(w, "mhz")))
		return false;
	return strspn(w, "0123456789.") == n - 3;
}

/* "64-core" */
static bool
is_core_count(const char *w)
{
	size_t d = strspn(w, "0123456789");

	return d > 0 && strcmp(w + d, "-core") == 0;
}

static bool
is_noise(const char *w)
{
	return strcmp(w, "cpu") == 0 || strcmp(w, "processor") == 0 ||
	    strcmp(w, "processors") == 0 || strcmp(w, "0") == 0 ||
	    is_core_count(w) || is_frequency(w) || all_of(w, ".+-");
}

/* Split the cleaned string into the kept words; returns their count. */
static size_t
model_words(char *s, char *out[WORDS_MAX], char joined[WORDS_MAX][16])
{
	size_t m = 0, j = 0;
	char *w, *save = NULL;

	for (w = strtok_r(s, " ", &save); w != NULL && m < WORDS_MAX;
	    w = strtok_r(NULL, " ", &save)) {
		if (is_noise(w))
			continue;
		if ((strcmp(w, "ghz") == 0 || strcmp(w, "mhz") == 0) && m > 0 &&
		    all_of(out[m - 1], "0123456789.")) {
			m--;
			continue;
		}
		if ((strcmp(w, "he") == 0 || strcmp(w, "ee") == 0 ||
		    strcmp(w, "se") == 0) && m > 0 && isdigit((unsigned char)
		    out[m - 1][strlen(out[m - 1]) - 1]) &&
		    strlen(out[m - 1]) + 3 <= sizeof(joined[0]) && j < WORDS_MAX) {
			snprintf(joined[j], sizeof(joined[j]), "%s%s", out[m - 1],
			    w);
			out[m - 1] = joined[j++];
			continue;
		}
		out[m++] = w;
	}
	return m;
}

static bool
is_intel_family(const char *w)
{
	return strcmp(w, "xeon") == 0 || strcmp(w, "core") == 0 ||
	    strcmp(w, "pentium") == 0 || strcmp(w, "celeron") == 0 ||
	    strcmp(w, "atom") == 0;
}

static void
put_word(char *buf, size_t size, size_t *len, const char *w)
{
	int n = snprintf(buf + *len, size - *len, "%s%s", *len > 0 ? " " : "",
	    w);

	if (n > 0)
		*len = *len + (size_t)n < size ? *len + (size_t)n : size - 1;
}

char *
cpu_model_normalise(const char *model, char *buf, size_t size)
{
	char s[MODEL_MAX], joined[WORDS_MAX][16], *w[WORDS_MAX];
	size_t i, m, len = 0;

	buf[0] = '\0';
	model_clean(model != NULL ? model : "", s);
	m = model_words(s, w, joined);
	if (m > 0 && (strcmp(w[0], "epyc") == 0 || strcmp(w[0], "opteron") == 0))
		put_word(buf, size, &len, "amd");
	else if (m > 0 && (strcmp(w[0], "xeon") == 0 || strcmp(w[0], "core") ==
	    0 || strcmp(w[0], "pentium") == 0))
		put_word(buf, size, &len, "intel");
	for (i = 0; i < m; i++) {
		put_word(buf, size, &len, w[i]);
		if (i == 0 && strcmp(w[0], "intel") == 0 && m > 1 &&
		    !is_intel_family(w[1]))
			put_word(buf, size, &len, "xeon");
	}
	return buf;
}

bool
cpu_model_masked(const char *key)
{
	static const char *generic[] = { "", "intel", "amd", "intel xeon",
	    "amd opteron", "amd epyc" };
	size_t i;

	for (i = 0; i < sizeof(generic) / sizeof(generic[0]); i++)
		if (strcmp(key, generic[i]) == 0)
			return true;
	return strncmp(key, "qemu", 4) == 0 || strncmp(key, "kvm", 3) == 0 ||
	    strncmp(key, "common kvm", 10) == 0 || strstr(key, "virtual") !=
	    NULL;
}

static int
row_cmp(const void *key, const void *row)
{
	return strcmp(key, ((const struct cpu_rating_row *)row)->key);
}

const struct cpu_rating_row *
cpu_table_find(const char *key)
{
	return bsearch(key, cpu_rating_rows, NROWS, sizeof(cpu_rating_rows[0]),
	    row_cmp);
}

double
cpu_generation_factor(void)
{
	return CPU_GENERATION_FACTOR;
}

const struct cpu_rating_row *
cpu_table_rows(size_t *n)
{
	*n = NROWS;
	return cpu_rating_rows;
}

const char *const (*cpu_table_names(size_t *n))[2]
{
	*n = NNAMES;
	return cpu_rating_names;
}

static bool
known(double v)
{
	return isfinite(v) && v > 0;
}

static bool
is_virtual(const struct server_inv *s)
{
	return s->virtual != NULL && s->virtual[0] != '\0' &&
	    strcmp(s->virtual, "no") != 0;
}

/* Rate s from a CU-per-core figure and its threads per core; false when
 * neither cores nor threads are known. */
static bool
rate_cores(const struct server_inv *s, double ncpu_seen, double cu_core,
    double tpc, double *cu)
{
	double threads = known(s->threads) ? s->threads : ncpu_seen;

	if (!is_virtual(s) && known(s->cores))
		*cu = s->cores * cu_core;
	else if (known(threads))
		*cu = threads * cu_core / tpc;
	else
		return false;
	return true;
}

void
cpu_rating_of(const struct server_inv *s, double ncpu_seen,
    struct cpu_rating *r)
{
	char key[MODEL_MAX];
	double ghz;

	memset(r, 0, sizeof(*r));
	if (s != NULL && known(s->cpu_rating)) {
		r->cu = s->cpu_rating;
		r->source = RATING_INVENTORY;
		return;
	}
	if (s != NULL && s->cpu_model != NULL && s->cpu_model[0] != '\0') {
		cpu_model_normalise(s->cpu_model, key, sizeof(key));
		r->masked = s->cpu_masked == 1 || cpu_model_masked(key);
		r->row = r->masked ? NULL : cpu_table_find(key);
	} else if (s != NULL)
		r->masked = s->cpu_masked == 1;
	if (r->row != NULL && rate_cores(s, ncpu_seen, r->row->cu_per_core,
	    r->row->threads_per_core, &r->cu)) {
		r->source = RATING_TABLE;
		return;
	}
	r->row = NULL;
	ghz = s != NULL && known(s->cpu_mhz) ? s->cpu_mhz / 1000.0 : NAN;
	if (known(ghz) && rate_cores(s, ncpu_seen, ghz * CPU_GENERATION_FACTOR,
	    SMT_THREADS, &r->cu)) {
		r->source = RATING_CORES_MHZ;
		return;
	}
	r->source = RATING_ASSUMED;
	if (s != NULL && known(s->threads))
		r->cu = s->threads;
	else
		r->cu = known(ncpu_seen) ? ncpu_seen : 1.0;
}
