/*
 * profile_notes.c - what in a set of profiles rests on an assumption or
 * on too little data, told as one line per kind naming the servers.
 *
 * capplan profile, whatif and plan print these on standard error; the
 * figures behind them are columns of the profiles (rating_source, days,
 * coverage, flags), where nobody reads them (issue 11: a plan from ten
 * minutes of data said so only as confidence 0.0011 in a CSV column).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>

#include "common/strbuf.h"
#include "model/cpu_table.h"
#include "model/profile.h"

#define NAMED 5

enum kind { MEM_INSTALLED, MEM_NONE, RATING_CORES, RATING_NONE, SHORT,
    GAPPY, NKINDS };

/* up to NAMED names and a count */
struct names {
	struct strbuf sb;
	size_t n;
};

static void
names_add(struct names *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
names_add(struct names *l, const char *fmt, ...)
{
	va_list ap;

	if (l->n++ >= NAMED)
		return;
	if (l->n > 1)
		strbuf_addstr(&l->sb, ", ");
	va_start(ap, fmt);
	strbuf_vaddf(&l->sb, fmt, ap);
	va_end(ap);
}

static void
sort_in(struct names *l, const struct profile *p, double min_days)
{
	if (p->stat[RES_MEM].n == 0 && isfinite(p->size_mem_mib))
		names_add(&l[MEM_INSTALLED], "%s", p->host);
	else if (p->stat[RES_MEM].n == 0)
		names_add(&l[MEM_NONE], "%s", p->host);
	if (p->rating_source == RATING_CORES_MHZ)
		names_add(&l[RATING_CORES], "%s", p->host);
	else if (p->rating_source == RATING_ASSUMED)
		names_add(&l[RATING_NONE], "%s (%g CU)", p->host,
		    p->cpu_rating);
	if (p->days < min_days)
		names_add(&l[SHORT], "%s (%.2f days)", p->host, p->days);
	if (p->coverage < 0.9)
		names_add(&l[GAPPY], "%s (%.0f %%)", p->host,
		    100 * p->coverage);
}

/* "<what>: N servers: a, b, c, d, e, ..." */
static void
tell(struct names *l, const char *what, void (*fn)(void *, const char *),
    void *ctx)
{
	struct strbuf sb = STRBUF_INIT;

	if (l->n > 0) {
		strbuf_addf(&sb, "%s: %zu server%s: %s%s", what, l->n,
		    l->n == 1 ? "" : "s", l->sb.buf, l->n > NAMED ? ", ..." :
		    "");
		fn(ctx, sb.buf);
	}
	strbuf_release(&sb);
}

void
profile_set_notes(const struct profile_set *ps, double min_days,
    unsigned which, void (*fn)(void *ctx, const char *line), void *ctx)
{
	struct names l[NKINDS];
	char what[NKINDS][192];
	size_t i;
	int k;

	for (k = 0; k < NKINDS; k++) {
		strbuf_init(&l[k].sb);
		l[k].n = 0;
	}
	for (i = 0; i < ps->nprofiles; i++)
		sort_in(l, &ps->profiles[i], min_days);
	snprintf(what[MEM_INSTALLED], 192, "memory not measured, so sized at "
	    "the installed memory");
	snprintf(what[MEM_NONE], 192, "memory neither measured nor installed "
	    "(capplan plan refuses these unless [sizing] assumed_mem_mib gives "
	    "a size)");
	snprintf(what[RATING_CORES], 192, "CPU rating estimated from cores x "
	    "MHz x %.4f CU per core-GHz (CPU model not in the table)",
	    cpu_generation_factor());
	snprintf(what[RATING_NONE], 192, "CPU rating unknown (no rating, model "
	    "or speed): assumed 1 CU per logical CPU, which may be far off");
	snprintf(what[SHORT], 192, "less data than min_days (%g days), so the "
	    "profile may miss a weekly cycle or a month's end", min_days);
	snprintf(what[GAPPY], 192, "samples cover under 90 %% of their span");
	for (k = 0; k < NKINDS; k++) {
		if ((k <= MEM_NONE && (which & PROFILE_NOTE_MEM)) ||
		    ((k == RATING_CORES || k == RATING_NONE) &&
		    (which & PROFILE_NOTE_RATING)) ||
		    (k >= SHORT && (which & PROFILE_NOTE_DATA)))
			tell(&l[k], what[k], fn, ctx);
		strbuf_release(&l[k].sb);
	}
}
