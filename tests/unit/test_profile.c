/*
 * test_profile.c - the profiles file and profile_build() (model/profile.c,
 * model/profile_build.c).
 *
 * Expected figures are computed here, independently: percentiles by a
 * qsort() and Hyndman and Fan's type 7 written out in the test, trends by
 * the closed-form least-squares slope of a synthetic ramp, slots from
 * timestamps built by hand.  The file tests write a set, read it back,
 * and check the values and that writing again gives the same bytes.
 */
#include <math.h>
#include <stdbool.h>

#include "tests/unit/testlib.h"

#include <gsl/gsl_errno.h>

#include "common/error.h"
#include "common/inventory.h"
#include "model/profile.h"
#include "model/profile_build.h"

#define DAY_MS 86400000LL
#define HOUR_MS 3600000LL
/* 2026-11-23T00:00:00Z, a Monday */
#define MONDAY_MS 1795392000000LL

static char *
slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static void
make_profile(struct profile *p, const char *host, enum slot_kind k,
    double base)
{
	size_t i;
	int r;

	profile_init(p, host, k);
	p->cpu_rating = 12.345678;
	p->rating_source = RATING_TABLE;
	p->threads = 16;
	p->mem_total_mib = 65536;
	p->nsamples = 8640;
	p->first_ms = MONDAY_MS;
	p->end_ms = MONDAY_MS + 30 * DAY_MS;
	p->interval_s = 300;
	p->days = 30;
	p->coverage = 0.9875;
	p->confidence = 0.9875;
	p->flags = PROFILE_GAPPY | PROFILE_TREND;
	p->size_vcpus = 4;
	p->size_mem_mib = 8192;
	p->percentile = 95;
	for (r = 0; r < RES_N; r++) {
		p->stat[r].mean = base + r;
		p->stat[r].p50 = base + r + 0.5;
		p->stat[r].p90 = base + r + 0.9;
		p->stat[r].p95 = base + r + 0.95;
		p->stat[r].p99 = base + r + 0.99;
		p->stat[r].max = base + r + 1.25;
		p->stat[r].burst = 1.5;
		p->stat[r].trend_per_30d = -0.125;
		p->stat[r].trend_se = 0.0625;
		p->stat[r].sized = base + r + 0.95;
		p->stat[r].projected = base + r + 1;
		p->stat[r].n = 8000 + (size_t)r;
		for (i = 0; i < p->nslots; i++)
			p->slot[r][i] = r == RES_DISK_IOPS ? NAN :
			    base + (double)i / 8;
	}
}

static void
roundtrip(enum slot_kind k)
{
	struct profile_set ps = { 0 }, back;
	const char *path;
	char *first, *second;
	const struct profile *q;
	int r;

	ps.nprofiles = 2;
	ps.profiles = calloc(2, sizeof(struct profile));
	make_profile(&ps.profiles[0], "web01", k, 1.0);
	make_profile(&ps.profiles[1], "db, \"main\"", k, 2.0);
	path = test_write_file("roundtrip", ".csv", "");
	assert_int_equal(profile_set_write(&ps, path, false), 0);
	first = slurp(path);
	assert_int_equal(profile_set_read(&back, path), 0);
	assert_int_equal(back.nprofiles, 2);
	assert_near(back.percentile, 95, 0);
	/* the set is not in name order: found all the same */
	assert_ptr_equal(profile_set_find(&back, "web01"), &back.profiles[0]);
	assert_null(profile_set_find(&back, "web02"));
	q = profile_set_find(&back, "db, \"main\"");
	assert_non_null(q);
	assert_int_equal(q->slot_kind, k);
	assert_int_equal(q->nslots, (size_t)k);
	assert_int_equal(q->rating_source, RATING_TABLE);
	assert_int_equal(q->flags, PROFILE_GAPPY | PROFILE_TREND);
	assert_int_equal(q->first_ms, MONDAY_MS);
	assert_near(q->cpu_rating, 12.345678, 0);
	for (r = 0; r < RES_N; r++) {
		assert_near(q->stat[r].p99, 2.0 + r + 0.99, 1e-12);
		assert_int_equal(q->stat[r].n, 8000 + (size_t)r);
		assert_true(r == RES_DISK_IOPS ? isnan(q->slot[r][k - 1]) :
		    fabs(q->slot[r][k - 1] - (2.0 + (k - 1) / 8.0)) < 1e-12);
	}
	assert_int_equal(profile_set_write(&back, path, false), 0);
	second = slurp(path);
	assert_string_equal(first, second);
	free(first);
	free(second);
	profile_set_release(&back);
	profile_set_release(&ps);
}

static void
test_roundtrip_hour(void **state)
{
	(void)state;
	roundtrip(SLOTS_HOUR);
}

static void
test_roundtrip_week(void **state)
{
	(void)state;
	roundtrip(SLOTS_WEEK);
}

/* A file with the header of profile_set_write() and one row changed. */
static const char *
bad_file(const char *tag, const char *column, const char *value)
{
	struct profile_set ps = { 0 };
	const char *path;
	char *text, *hdr, *row, *cell;
	static char out[65536];
	size_t col = 0, i;

	ps.nprofiles = 1;
	ps.profiles = calloc(1, sizeof(struct profile));
	make_profile(&ps.profiles[0], "web01", SLOTS_HOUR, 1.0);
	path = test_write_file(tag, ".csv", "");
	assert_int_equal(profile_set_write(&ps, path, false), 0);
	profile_set_release(&ps);
	text = slurp(path);
	hdr = strchr(text, '\n') + 1;
	row = strchr(hdr, '\n') + 1;
	/* the field number of column in the header */
	for (cell = hdr; strncmp(cell, column, strlen(column)) != 0 ||
	    (cell[strlen(column)] != ',' && cell[strlen(column)] != '\n');
	    cell = strchr(cell, ',') + 1)
		col++;
	out[0] = '\0';
	strncat(out, text, (size_t)(row - text));
	for (i = 0; i < col; i++) {
		strncat(out, row, strcspn(row, ",") + 1);
		row += strcspn(row, ",") + 1;
	}
	strcat(out, value);
	strcat(out, row + strcspn(row, ",\n"));
	free(text);
	return test_write_file(tag, ".csv", out);
}

static void
expect_read_error(const char *path, const char *what)
{
	struct profile_set ps;

	assert_int_equal(profile_set_read(&ps, path), -1);
	assert_int_equal(error_last_kind(), ERROR_DATA);
	if (strstr(error_last_msg(), what) == NULL)
		fail_msg("'%s' does not say '%s'", error_last_msg(), what);
	assert_int_equal(ps.nprofiles, 0);
}

static void
test_read_rejects_bad_cells(void **state)
{
	(void)state;
	expect_read_error(bad_file("flag", "flags", "short;bogus"),
	    ":3:13: flags: 'short;bogus' names an unknown flag");
	expect_read_error(bad_file("src", "rating_source", "guess"),
	    ":3:3: rating_source: 'guess' is not a rating source");
	expect_read_error(bad_file("cov", "coverage", "1.5"),
	    "coverage: '1.5' is out of range");
	expect_read_error(bad_file("num", "cpu_cu_h05", "1,5"),
	    "expected");
	expect_read_error(bad_file("nan", "mem_mib_p95", "nan"),
	    "mem_mib_p95: 'nan'");
	expect_read_error(bad_file("kind", "slot_kind", "week"),
	    "does not match the slot columns");
	expect_read_error(bad_file("ts", "first", "yesterday"),
	    "first: 'yesterday'");
}

static void
test_read_rejects_missing_column_and_duplicates(void **state)
{
	const char *path;

	(void)state;
	path = test_write_file("miss", ".csv",
	    "capplan-profiles,1\nhost,cpu_rating\nweb01,1\n");
	expect_read_error(path, ":2: missing column 'rating_source'");
	path = test_write_file("kind", ".csv",
	    "capplan-samples,1\nts,interval_s,cpu_busy_pct\n");
	expect_read_error(path, "capplan-samples");
}

static void
test_write_refuses_mixed_slot_kinds(void **state)
{
	struct profile_set ps = { 0 };

	(void)state;
	ps.nprofiles = 2;
	ps.profiles = calloc(2, sizeof(struct profile));
	make_profile(&ps.profiles[0], "a", SLOTS_HOUR, 1.0);
	make_profile(&ps.profiles[1], "b", SLOTS_WEEK, 1.0);
	assert_int_equal(profile_set_write(&ps, test_write_file("mixed",
	    ".csv", ""), false), -1);
	profile_set_release(&ps);
}


/* ------------------------------------------------------ profile_build */

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* type 7 quantile of n values, sorted here on a copy */
static double
type7(const double *v, size_t n, double q)
{
	double *c = malloc(n * sizeof(double)), h, r;
	size_t lo;

	memcpy(c, v, n * sizeof(double));
	qsort(c, n, sizeof(double), cmp_double);
	h = q * (double)(n - 1);
	lo = (size_t)floor(h);
	r = lo + 1 < n ? c[lo] + (h - (double)lo) * (c[lo + 1] - c[lo]) : c[lo];
	free(c);
	return r;
}

static void
config_init(struct profile_config *c)
{
	c->percentile = 95;
	c->slots = SLOTS_HOUR;
	c->min_days = 7;
	c->horizon_days = 360;
	c->headroom_cpu = 0.2;
	c->mem_peak_pct = 100;
	c->mem_margin = 0.1;
	c->vcpu_cu = 0.5;
}

static void
sample_init(struct host_sample *h, int64_t ts_ms)
{
	int k;

	h->ts_ms = ts_ms;
	h->interval_s = 300;
	for (k = 0; k < HS_N; k++)
		h->v[k] = NAN;
	h->ncpu = NAN;
	h->src = 0;
}

static char inv_host[] = "h", inv_empty[] = "";

static void
inv_rated(struct server_inv *s, double cu)
{
	memset(s, 0, sizeof(*s));
	s->host = inv_host;
	s->cpu_model = s->virtual = inv_empty;
	s->cpu_masked = -1;
	s->sockets = s->cores = s->threads = s->cpu_mhz = NAN;
	s->mem_mib = NAN;
	s->cpu_rating = cu;
}

static void
test_build_percentiles_on_known_data(void **state)
{
	struct host_sample s[100];
	struct profile_config c;
	struct server_inv inv;
	struct profile p;
	double cu[100], first12[12];
	size_t i, dups;

	(void)state;
	config_init(&c);
	inv_rated(&inv, 2.0);
	/* shuffled: the builder sorts by time */
	for (i = 0; i < 100; i++) {
		size_t j = (i * 37) % 100;

		sample_init(&s[j], MONDAY_MS + (int64_t)i * 300000);
		s[j].v[HS_CPU_PCT] = (double)((i * 53) % 100 + 1);
		cu[i] = s[j].v[HS_CPU_PCT] / 100.0 * 2.0;
		if (i < 12)
			first12[i] = cu[i];
	}
	assert_int_equal(profile_build(&p, "h", s, 100, &inv, &c, &dups), 0);
	assert_int_equal(dups, 0);
	assert_int_equal(p.rating_source, RATING_INVENTORY);
	assert_near(p.stat[RES_CPU].mean, 1.01, 1e-12);
	assert_near(p.stat[RES_CPU].p50, type7(cu, 100, 0.50), 1e-12);
	assert_near(p.stat[RES_CPU].p90, type7(cu, 100, 0.90), 1e-12);
	assert_near(p.stat[RES_CPU].p95, 1.901, 1e-12);
	assert_near(p.stat[RES_CPU].p99, type7(cu, 100, 0.99), 1e-12);
	assert_near(p.stat[RES_CPU].max, 2.0, 0);
	assert_near(p.stat[RES_CPU].burst, 2.0 / 1.01, 1e-12);
	assert_near(p.stat[RES_CPU].sized, 1.901, 1e-12);
	/* 8.3 hours of data: no trend fitted (a daily rhythm is no trend),
	 * none projected */
	assert_true(isnan(p.stat[RES_CPU].trend_per_30d));
	assert_true(isnan(p.stat[RES_CPU].trend_se));
	assert_near(p.stat[RES_CPU].projected, 1.901, 1e-12);
	assert_near(p.slot[RES_CPU][0], type7(first12, 12, 0.95), 1e-12);
	assert_true(!isnan(p.slot[RES_CPU][8]) && isnan(p.slot[RES_CPU][9]));
	assert_int_equal(p.stat[RES_MEM].n, 0);
	assert_true(isnan(p.stat[RES_MEM].p95));
	assert_int_equal(p.flags, PROFILE_SHORT | PROFILE_NO_MEM);
	/* 1.901 CU x 1.2 / 0.5 CU = 4.56: 5 vCPUs */
	assert_near(p.size_vcpus, 5, 0);
	assert_true(isnan(p.size_mem_mib));
	assert_near(p.coverage, 1, 1e-12);
	assert_near(p.interval_s, 300, 0);
	assert_near(p.days, 100 * 300 / 86400.0, 1e-12);
	profile_release(&p);
}

/* least squares written out: slope and its standard error */
static void
ols(const double *x, const double *y, size_t n, double *b, double *se)
{
	double mx = 0, my = 0, sxx = 0, sxy = 0, rss = 0, a;
	size_t i;

	for (i = 0; i < n; i++) {
		mx += x[i] / (double)n;
		my += y[i] / (double)n;
	}
	for (i = 0; i < n; i++) {
		sxx += (x[i] - mx) * (x[i] - mx);
		sxy += (x[i] - mx) * (y[i] - my);
	}
	*b = sxy / sxx;
	a = my - *b * mx;
	for (i = 0; i < n; i++)
		rss += (y[i] - a - *b * x[i]) * (y[i] - a - *b * x[i]);
	*se = sqrt(rss / (double)(n - 2) / sxx);
}

static void
test_build_trend_on_a_ramp(void **state)
{
	enum { N = 30 * 24 };
	struct host_sample *s = calloc(N, sizeof(*s));
	struct profile_config c;
	struct profile p;
	double x[N], y[N], b, se, sorted[N];
	size_t i, dups;

	(void)state;
	config_init(&c);
	for (i = 0; i < N; i++) {
		sample_init(&s[i], MONDAY_MS + (int64_t)i * HOUR_MS);
		s[i].interval_s = 3600;
		x[i] = (double)i / 24.0;
		/* 10 MiB a day, with a bounded wiggle */
		y[i] = 1000 + 10 * x[i] + 40 * sin((double)i * 1.7);
		s[i].v[HS_MEM_MIB] = y[i];
		s[i].v[HS_CPU_PCT] = 50;
		s[i].ncpu = 4;
	}
	assert_int_equal(profile_build(&p, "ramp", s, N, NULL, &c, &dups), 0);
	ols(x, y, N, &b, &se);
	assert_near(p.stat[RES_MEM].trend_per_30d, 30 * b, 1e-9);
	assert_near(p.stat[RES_MEM].trend_se, 30 * se, 1e-9);
	assert_near(b, 10, 0.5);
	memcpy(sorted, y, sizeof(y));
	assert_near(p.stat[RES_MEM].sized, type7(sorted, N, 0.95), 1e-9);
	/* 30 days, significant: projected 360 days on */
	assert_near(p.stat[RES_MEM].projected, p.stat[RES_MEM].sized +
	    30 * b * 12, 1e-6);
	assert_true(p.flags & PROFILE_TREND);
	assert_true(p.flags & PROFILE_NO_INVENTORY);
	/* flat CPU: no growth */
	assert_near(p.stat[RES_CPU].trend_per_30d, 0, 1e-9);
	assert_near(p.stat[RES_CPU].projected, p.stat[RES_CPU].sized, 0);
	/* assumed rating: one CU per logical CPU seen */
	assert_int_equal(p.rating_source, RATING_ASSUMED);
	assert_near(p.cpu_rating, 4, 0);
	assert_near(p.stat[RES_CPU].p95, 2.0, 1e-12);
	/* the peak seen and the growth projected on it, plus 10 % */
	assert_near(p.size_mem_mib, ceil((p.stat[RES_MEM].max +
	    p.stat[RES_MEM].projected - p.stat[RES_MEM].sized) * 1.1 / 256) *
	    256, 0);
	profile_release(&p);
	free(s);
}

/*
 * Server 78 of the shipped Bitbrains samples: about 300 MiB most of the
 * day, 10.5 GiB for a few intervals.  Sized at its p95 it got a 1.5 GiB
 * VM (issue 11); its memory must hold the peak seen, plus the margin,
 * unless mem_peak_pct lowers it, which the profile then flags.
 */
static void
test_build_memory_holds_the_peak_seen(void **state)
{
	struct host_sample s[288];
	struct profile_config c;
	struct profile p;
	size_t i, dups;

	(void)state;
	config_init(&c);
	for (i = 0; i < 288; i++) {
		sample_init(&s[i], MONDAY_MS + (int64_t)i * 300000);
		s[i].v[HS_CPU_PCT] = 5;
		s[i].v[HS_MEM_MIB] = i % 144 == 7 ? 10529.4 : 300;
	}
	assert_int_equal(profile_build(&p, "78", s, 288, NULL, &c, &dups), 0);
	assert_near(p.stat[RES_MEM].p95, 300, 1e-9);
	/* 10529.4 x 1.1 = 11582.3: 46 granules of 256 MiB */
	assert_near(p.size_mem_mib, 46 * 256, 0);
	assert_false(p.flags & PROFILE_MEM_RISK);
	profile_release(&p);
	/* an explicit risk: the 99th percentile holds 300 MiB */
	c.mem_peak_pct = 99;
	assert_int_equal(profile_build(&p, "78", s, 288, NULL, &c, &dups), 0);
	assert_near(p.size_mem_mib, 512, 0);
	assert_true(p.flags & PROFILE_MEM_RISK);
	profile_release(&p);
}

static void
test_build_duplicates_and_gaps(void **state)
{
	struct host_sample s[12];
	struct profile_config c;
	struct profile p;
	size_t i, n = 0, dups;

	(void)state;
	config_init(&c);
	for (i = 0; i < 10; i++) {
		if (i == 5)
			continue;	/* one interval missing */
		sample_init(&s[n], MONDAY_MS + (int64_t)i * 300000);
		s[n].v[HS_CPU_PCT] = 10;
		s[n++].src = 1;
	}
	/* the same time from an earlier file (src 0) wins */
	sample_init(&s[n], MONDAY_MS + 2 * 300000);
	s[n++].v[HS_CPU_PCT] = 90;
	sample_init(&s[n], MONDAY_MS + 3 * 300000);
	s[n].v[HS_CPU_PCT] = 70;
	s[n++].src = 2;
	assert_int_equal(profile_build(&p, "g", s, n, NULL, &c, &dups), 0);
	assert_int_equal(dups, 2);
	assert_int_equal(p.nsamples, 9);
	assert_near(p.stat[RES_CPU].max, 0.9, 1e-12);
	assert_near(p.stat[RES_CPU].mean, (8 * 0.1 + 0.9) / 9, 1e-12);
	assert_near(p.coverage, 0.9, 1e-12);
	assert_int_equal(p.end_ms - p.first_ms, 3000000);
	assert_false(p.flags & PROFILE_GAPPY);
	profile_release(&p);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static double
rng_uniform(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (double)((rng_state * 2685821657736338717ULL) >> 11) /
	    9007199254740992.0;
}

/* every statistic and every week slot against type 7 done here, on
 * random values with many ties, zeros and tiny numbers */
static void
test_build_random_matches_type7(void **state)
{
	enum { N = 7 * 288 };
	struct host_sample *s = calloc(N, sizeof(*s));
	double *all = calloc(N, sizeof(double)), slotv[168][16];
	size_t nslot[168] = { 0 }, i, k, dups;
	struct profile_config c;
	struct profile p;

	(void)state;
	config_init(&c);
	c.slots = SLOTS_WEEK;
	c.percentile = 87.5;
	for (i = 0; i < N; i++) {
		sample_init(&s[i], MONDAY_MS + (int64_t)i * 300000);
		s[i].v[HS_MEM_MIB] = i % 5 == 0 ? 0 : i % 7 == 0 ? 1e-9 *
		    (double)i : floor(rng_uniform() * 50) * 16;
		all[i] = s[i].v[HS_MEM_MIB];
		k = i / 12;
		slotv[k][nslot[k]++] = all[i];
	}
	assert_int_equal(profile_build(&p, "r", s, N, NULL, &c, &dups), 0);
	assert_near(p.stat[RES_MEM].p50, type7(all, N, 0.50), 0);
	assert_near(p.stat[RES_MEM].p90, type7(all, N, 0.90), 0);
	assert_near(p.stat[RES_MEM].p99, type7(all, N, 0.99), 0);
	assert_near(p.stat[RES_MEM].sized, type7(all, N, 0.875), 0);
	for (k = 0; k < 168; k++)
		assert_near(p.slot[RES_MEM][k], type7(slotv[k], nslot[k], 0.875),
		    0);
	profile_release(&p);
	free(s);
	free(all);
}

static void
test_slots_by_utc_hour_and_week(void **state)
{
	(void)state;
	assert_int_equal(profile_slot_of(MONDAY_MS, SLOTS_WEEK), 0);
	assert_int_equal(profile_slot_of(MONDAY_MS - 1, SLOTS_WEEK), 167);
	assert_int_equal(profile_slot_of(MONDAY_MS - 1, SLOTS_HOUR), 23);
	assert_int_equal(profile_slot_of(MONDAY_MS + 2 * DAY_MS + 5 * HOUR_MS
	    + 59 * 60000, SLOTS_WEEK), 2 * 24 + 5);
	/* 1970-01-01 was a Thursday */
	assert_int_equal(profile_slot_of(0, SLOTS_WEEK), 3 * 24);
	assert_int_equal(profile_slot_of(-1, SLOTS_WEEK), 3 * 24 - 1);
	assert_int_equal(profile_slot_of(-1, SLOTS_HOUR), 23);
	assert_int_equal(profile_slot_of(-7 * DAY_MS, SLOTS_WEEK), 3 * 24);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_hour),
		cmocka_unit_test(test_roundtrip_week),
		cmocka_unit_test(test_read_rejects_bad_cells),
		cmocka_unit_test(test_read_rejects_missing_column_and_duplicates),
		cmocka_unit_test(test_write_refuses_mixed_slot_kinds),
		cmocka_unit_test(test_build_percentiles_on_known_data),
		cmocka_unit_test(test_build_trend_on_a_ramp),
		cmocka_unit_test(test_build_memory_holds_the_peak_seen),
		cmocka_unit_test(test_build_duplicates_and_gaps),
		cmocka_unit_test(test_build_random_matches_type7),
		cmocka_unit_test(test_slots_by_utc_hour_and_week),
	};

	gsl_set_error_handler_off();
	return cmocka_run_group_tests_name("profile", tests, NULL, NULL);
}
