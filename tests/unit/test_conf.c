/*
 * test_conf.c - the INI loader (common/conf.c) through policy_load(),
 * and a small schema of its own for the types the policy does not use.
 *
 * Every error test checks the "path:line: " prefix, with the line
 * counted by hand from the text.  Defaults are checked against the key
 * table by parsing each default's text here with the C library, not
 * with conf.c.
 */
#include <math.h>
#include <stdbool.h>
#include <stddef.h>

#include "tests/unit/testlib.h"

#include "common/conf.h"
#include "common/error.h"
#include "common/policy.h"
#include "common/strbuf.h"

static char path[512];

/* Load text as a policy; the file is removed again.  On failure p has
 * been released by policy_load(). */
static int
load(const char *text, struct policy *p)
{
	int rc;

	snprintf(path, sizeof(path), "%s", test_write_file("policy", ".conf",
	    text));
	error_clear();
	rc = policy_load(p, path);
	unlink(path);
	return rc;
}

static void
assert_conf_error(const char *text, size_t line, const char *want)
{
	struct policy p;
	char prefix[600];

	assert_int_equal(load(text, &p), -1);
	snprintf(prefix, sizeof(prefix), "%s:%zu: ", path, line);
	assert_int_equal(error_last_kind(), ERROR_DATA);
	if (strncmp(error_last_msg(), prefix, strlen(prefix)) != 0 ||
	    strstr(error_last_msg(), want) == NULL)
		fail_msg("message '%s' does not start '%s' or lacks '%s'",
		    error_last_msg(), prefix, want);
	/* released: nothing for valgrind to find */
	assert_null(p.groups);
	assert_null(p.currency);
}

/* The field of key k in p equals the key's default text. */
static void
assert_default(const struct conf_key *k, const struct policy *p)
{
	const char *f = (const char *)p + k->offset;
	const struct conf_list *l;
	int i;

	switch (k->type) {
	case CONF_DOUBLE:
		assert_near(*(const double *)(const void *)f,
		    strtod(k->def, NULL), 0);
		break;
	case CONF_INT:
		assert_int_equal(*(const long *)(const void *)f,
		    strtol(k->def, NULL, 10));
		break;
	case CONF_CHOICE:
		for (i = 0; k->choices[i] != NULL; i++)
			if (strcmp(k->choices[i], k->def) == 0)
				break;
		assert_non_null(k->choices[i]);
		assert_int_equal(*(const int *)(const void *)f, i);
		break;
	case CONF_STRING:
		assert_string_equal(*(char *const *)(const void *)f, k->def);
		break;
	case CONF_LIST:
		l = (const struct conf_list *)(const void *)f;
		assert_string_equal(k->def, "");
		assert_int_equal(l->nitems, 0);
		break;
	case CONF_BOOL:
		assert_int_equal(*(const bool *)(const void *)f,
		    strcmp(k->def, "yes") == 0);
		break;
	}
}

static void
test_empty_file_gives_defaults(void **state)
{
	struct policy p, q;
	size_t i;

	(void)state;
	assert_int_equal(load("", &p), 0);
	policy_init(&q);
	assert_true(policy_schema.nkeys > 30);
	for (i = 0; i < policy_schema.nkeys; i++) {
		assert_default(&policy_schema.keys[i], &p);
		assert_default(&policy_schema.keys[i], &q);
	}
	/* the documented defaults (policy.c's header, capplan.conf(5)) */
	assert_near(p.percentile, 95, 0);
	assert_int_equal(p.resolution, RESOLUTION_HOUR);
	assert_near(p.headroom_cpu, 0.20, 0);
	assert_near(p.pue, 1.6, 0);
	assert_string_equal(p.currency, "EUR");
	assert_int_equal(p.ngroups, 0);
	policy_release(&p);
	policy_release(&q);
	policy_release(NULL);
}

static void
test_comments_and_blank_lines_give_defaults(void **state)
{
	struct policy p;

	(void)state;
	assert_int_equal(load("# capplan.conf\n; nothing set\n\n[sizing]\n"
	    "\n# percentile = 50\n", &p), 0);
	assert_near(p.percentile, 95, 0);
	policy_release(&p);
}

static void
test_values_are_set(void **state)
{
	struct policy p;

	(void)state;
	assert_int_equal(load("[sizing]\npercentile = 99.5\nmin_days=14\n"
	    "[cost]\ncurrency = USD\npue = 1.2\n[ha]\nhost_failures = 1\n",
	    &p), 0);
	assert_near(p.percentile, 99.5, 0);
	assert_int_equal(p.min_days, 14);
	assert_string_equal(p.currency, "USD");
	assert_near(p.pue, 1.2, 0);
	assert_int_equal(p.host_failures, 1);
	/* untouched keys keep their defaults */
	assert_near(p.headroom_cpu, 0.20, 0);
	policy_release(&p);
}

/* The syntax capplan.conf(5) promises. */
static void
test_syntax_as_documented(void **state)
{
	struct policy p;

	(void)state;
	assert_int_equal(load("\xef\xbb\xbf[cost]\n  pue   =   1.5   \n"
	    "currency: \"EUR\"#x ; note\n", &p), 0);
	assert_string_equal(p.currency, "\"EUR\"#x");
	assert_near(p.pue, 1.5, 0);
	policy_release(&p);
	assert_conf_error("[ sizing ]\npercentile = 90\n", 2,
	    "unknown section [ sizing ]");
	assert_conf_error("[Sizing]\npercentile = 90\n", 2,
	    "unknown section [Sizing]");
	/* an indented line after a setting continues it: the key twice */
	assert_conf_error("[cost]\npue = 1.5\n  energy_per_kwh = 0.3\n", 3,
	    "'pue' is already set in [cost] on line 2");
}

static void
test_unknown_section(void **state)
{
	(void)state;
	assert_conf_error("[sizing]\npercentile = 90\n\n[bogus]\nx = 1\n", 5,
	    "unknown section [bogus]");
}

static void
test_unknown_key(void **state)
{
	(void)state;
	assert_conf_error("# c\n[sizing]\npercentile = 90\nfoo = 1\n", 4,
	    "unknown key 'foo' in [sizing]");
}

static void
test_key_outside_a_section(void **state)
{
	(void)state;
	assert_conf_error("percentile = 90\n", 1,
	    "'percentile' is outside any [section]");
	assert_conf_error("# top\n\npue = 1.5\n[cost]\n", 3,
	    "'pue' is outside any [section]");
}

static void
test_duplicate_key_names_first_line(void **state)
{
	(void)state;
	assert_conf_error("[sizing]\npercentile = 90\n# again\n"
	    "percentile = 91\n", 4,
	    "'percentile' is already set in [sizing] on line 2");
	/* a section opened twice is still one section */
	assert_conf_error("[cost]\npue = 1.5\n[sizing]\npercentile = 90\n"
	    "[cost]\npue = 1.7\n", 6, "'pue' is already set in [cost] on line 2");
	/* a group's section spelt with other blanks is the same group: its
	 * servers set twice leaked the first list (the policy fuzzer) */
	assert_conf_error("[zone web]\nservers = a\n[zone  web ]\n"
	    "servers = b\n", 4,
	    "'servers' is already set in [zone web] on line 2");
}

static void
test_bad_double(void **state)
{
	(void)state;
	assert_conf_error("[cost]\npue = abc\n", 2,
	    "'pue' value 'abc' is not a number");
	assert_conf_error("[cost]\n\npue = nan\n", 3,
	    "'pue' value 'nan' is not a finite number");
	assert_conf_error("[cost]\npue =\n", 2, "'pue' value '' is empty");
}

static void
test_out_of_range_names_the_range(void **state)
{
	(void)state;
	assert_conf_error("[cost]\npue = 0.9\n", 2,
	    "'pue' must be between 1 and 4, not 0.9");
	assert_conf_error("[headroom]\ncpu = 0.95\n", 2,
	    "'cpu' must be between 0 and 0.9, not 0.95");
	assert_conf_error("[sizing]\nmin_days = 0\n", 2,
	    "'min_days' must be a whole number between 1 and 3650, not 0");
	assert_conf_error("[sizing]\nmin_days = 99999999999999999999\n", 2,
	    "'min_days' must be a whole number between 1 and 3650");
	assert_conf_error("[sizing]\nmin_days = 2.5\n", 2,
	    "'min_days' value '2.5' is not a whole number");
}

static void
test_range_ends_accepted(void **state)
{
	struct policy p;

	(void)state;
	assert_int_equal(load("[cost]\npue = 4\n[sizing]\npercentile = 50\n"
	    "min_days = 3650\n", &p), 0);
	assert_near(p.pue, 4, 0);
	assert_near(p.percentile, 50, 0);
	assert_int_equal(p.min_days, 3650);
	policy_release(&p);
}

static void
test_choice_values(void **state)
{
	static const struct {
		const char *text;
		int want;
	} cases[] = {
		{ "[sizing]\nresolution = hour\n", RESOLUTION_HOUR },
		{ "[sizing]\nresolution = week\n", RESOLUTION_WEEK },
		{ "[sizing]\nresolution = series\n", RESOLUTION_SERIES },
		{ "[sizing]\nresolution = peak\n", RESOLUTION_PEAK },
	};
	struct policy p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(load(cases[i].text, &p), 0);
		assert_int_equal(p.resolution, cases[i].want);
		policy_release(&p);
	}
	assert_conf_error("[sizing]\nresolution = Week\n", 2, "'resolution' "
	    "must be one of hour, week, series, peak, not 'Week'");
}

static void
test_lists_are_split_and_trimmed(void **state)
{
	struct policy p;

	(void)state;
	assert_int_equal(load("[candidates]\nexclude = web1, web2 ,db1\n"
	    "keep_tags = legacy\n", &p), 0);
	assert_int_equal(p.exclude.nitems, 3);
	assert_string_equal(p.exclude.items[0], "web1");
	assert_string_equal(p.exclude.items[1], "web2");
	assert_string_equal(p.exclude.items[2], "db1");
	assert_true(conf_list_has(&p.exclude, "web2"));
	assert_false(conf_list_has(&p.exclude, "web"));
	assert_int_equal(p.keep_tags.nitems, 1);
	policy_release(&p);
	assert_int_equal(load("[candidates]\nexclude =\n", &p), 0);
	assert_int_equal(p.exclude.nitems, 0);
	policy_release(&p);
	assert_conf_error("[candidates]\nexclude = a,,b\n", 2,
	    "'exclude' value 'a,,b' has an empty item in its list");
}

static void
test_list_parse(void **state)
{
	struct conf_list l;
	const char *why = NULL;

	(void)state;
	assert_int_equal(conf_list_parse(&l, "a, b c ,\td", &why), 0);
	assert_int_equal(l.nitems, 3);
	assert_string_equal(l.items[1], "b c");
	assert_string_equal(l.items[2], "d");
	conf_list_release(&l);
	assert_int_equal(conf_list_parse(&l, "", &why), 0);
	assert_int_equal(l.nitems, 0);
	conf_list_release(&l);
	assert_int_equal(conf_list_parse(&l, "a,", &why), -1);
	assert_string_equal(why, "has an empty item in its list");
	assert_null(l.items);
	assert_int_equal(conf_list_parse(&l, " , x", &why), -1);
	conf_list_release(NULL);
}

struct tconf {
	bool flag;
	char *name;
	long n;
};

static const struct conf_key tkeys[] = {
	{ "main", "flag", CONF_BOOL, "no", 0, 0, NULL,
	    offsetof(struct tconf, flag), "", NULL },
	{ "main", "name", CONF_STRING, "anon", 0, 0, NULL,
	    offsetof(struct tconf, name), "", NULL },
	{ "main", "n", CONF_INT, "-3", -10, 10, NULL,
	    offsetof(struct tconf, n), "", NULL },
};
static const struct conf_schema tschema = { tkeys, 3, NULL, 0 };

static int
load_t(const char *text, struct tconf *t)
{
	int rc;

	memset(t, 0, sizeof(*t));
	snprintf(path, sizeof(path), "%s", test_write_file("t", ".conf",
	    text));
	error_clear();
	rc = conf_load(&tschema, path, t);
	unlink(path);
	return rc;
}

static void
test_bools(void **state)
{
	struct tconf t;

	(void)state;
	assert_int_equal(load_t("", &t), 0);
	assert_false(t.flag);
	assert_string_equal(t.name, "anon");
	assert_int_equal(t.n, -3);
	conf_release(&tschema, &t);
	assert_null(t.name);
	assert_int_equal(load_t("[main]\nflag = Yes\nname = x y\nn = -10\n",
	    &t), 0);
	assert_true(t.flag);
	assert_string_equal(t.name, "x y");
	assert_int_equal(t.n, -10);
	conf_release(&tschema, &t);
	assert_int_equal(load_t("[main]\nflag = off\n", &t), 0);
	assert_false(t.flag);
	conf_release(&tschema, &t);
	assert_int_equal(load_t("[main]\nname = z\nflag = maybe\n", &t), -1);
	assert_non_null(strstr(error_last_msg(),
	    ".conf:3: 'flag' value 'maybe' is not yes or no"));
	conf_release(&tschema, &t);
}

static void
test_groups(void **state)
{
	struct policy p;

	(void)state;
	assert_int_equal(load("[affinity web]\nservers = web1, web2\n\n"
	    "[anti-affinity db]\nservers = db1,db2,db3\n", &p), 0);
	assert_int_equal(p.ngroups, 2);
	assert_int_equal(p.groups[0].kind, GROUP_AFFINITY);
	assert_string_equal(p.groups[0].name, "web");
	assert_int_equal(p.groups[0].servers.nitems, 2);
	assert_string_equal(p.groups[0].servers.items[1], "web2");
	assert_int_equal(p.groups[0].line, 2);
	assert_int_equal(p.groups[1].kind, GROUP_ANTI_AFFINITY);
	assert_string_equal(p.groups[1].name, "db");
	assert_int_equal(p.groups[1].servers.nitems, 3);
	assert_int_equal(p.groups[1].line, 5);
	policy_release(&p);
}

static void
test_group_needs_two_servers(void **state)
{
	(void)state;
	assert_conf_error("[affinity web]\nservers = web1\n", 2,
	    "group 'web' needs at least two servers");
	assert_conf_error("[sizing]\n[anti-affinity x]\nservers =\n", 3,
	    "group 'x' needs at least two servers");
	assert_conf_error("[affinity web]\nservers = a,,b\n", 2,
	    "servers has an empty item in its list");
}

static void
test_duplicate_group_refused(void **state)
{
	(void)state;
	/* [affinity  web] is [affinity web]: the key is set twice */
	assert_conf_error("[affinity web]\nservers = a, b\n"
	    "[affinity  web]\nservers = c, d\n", 4,
	    "'servers' is already set in [affinity web] on line 2");
	assert_conf_error("[affinity web]\nservers = a, b\n"
	    "[affinity web]\nservers = c, d\n", 4,
	    "'servers' is already set in [affinity web] on line 2");
}

static void
test_group_name_loses_trailing_blanks(void **state)
{
	struct policy p;

	(void)state;
	assert_int_equal(load("[affinity web ]\nservers = a, b\n", &p), 0);
	assert_int_equal(p.ngroups, 1);
	assert_string_equal(p.groups[0].name, "web");
	policy_release(&p);
}

static void
test_server_twice_in_group_refused(void **state)
{
	(void)state;
	assert_conf_error("[anti-affinity db]\nservers = db1, db2, db1\n", 2,
	    "server 'db1' is listed twice in group 'db'");
}

static void
test_unknown_key_in_group(void **state)
{
	(void)state;
	assert_conf_error("[affinity web]\nservers = a, b\nmembers = c, d\n",
	    3, "unknown key 'members' in a group section (only 'servers')");
}

static void
test_anti_affinity_apart(void **state)
{
	struct policy p;

	(void)state;
	assert_int_equal(load("[ha]\ndomains = r1, r2\ndomain_failures = 1\n"
	    "host_failures = 16\n[anti-affinity db]\napart = domain\n"
	    "servers = a, b\n[anti-affinity web]\nservers = c, d\n", &p), 0);
	assert_int_equal(p.domains.nitems, 2);
	assert_int_equal(p.domain_failures, 1);
	assert_int_equal(p.host_failures, 16);
	assert_int_equal(p.ngroups, 2);
	assert_true(p.groups[0].apart_domains);
	assert_int_equal(p.groups[0].line, 7);
	assert_false(p.groups[1].apart_domains);
	policy_release(&p);
	assert_conf_error("[anti-affinity db]\nservers = a, b\napart = rack\n",
	    3, "'apart' must be one of host, domain, not 'rack'");
	assert_conf_error("[affinity db]\nservers = a, b\napart = domain\n", 3,
	    "unknown key 'apart' in a group section (only 'servers')");
	assert_conf_error("[ha]\nhost_failures = 17\n", 2,
	    "'host_failures' must be a whole number between 0 and 16");
}

static void
test_zones(void **state)
{
	struct policy p;

	(void)state;
	assert_int_equal(load("[zones]\nseparate = tag:dmz, group:pci\n\n"
	    "[zone dmz]\nmodel = R640\nmax_hosts = 2\n[zone pci]\n"
	    "servers = db1\n", &p), 0);
	assert_int_equal(p.zone_separate.nitems, 2);
	assert_string_equal(p.zone_separate.items[1], "group:pci");
	assert_int_equal(p.nzones, 2);
	assert_string_equal(p.zones[0].name, "dmz");
	assert_string_equal(p.zones[0].model, "R640");
	assert_int_equal(p.zones[0].max_hosts, 2);
	assert_int_equal(p.zones[0].line, 5);
	assert_int_equal(p.zones[0].servers.nitems, 0);
	assert_ptr_equal(policy_zone(&p, "pci"), &p.zones[1]);
	assert_string_equal(p.zones[1].servers.items[0], "db1");
	assert_null(policy_zone(&p, "lan"));
	policy_release(&p);
	assert_conf_error("[zones]\nseparate = tag:dmz, dmz\n", 2,
	    "'separate' item 'dmz' is not tag:NAME or group:NAME");
	assert_conf_error("[zones]\nseparate = tag:\n", 2,
	    "'separate' item 'tag:' is not tag:NAME or group:NAME");
	assert_conf_error("[zone dmz]\nhosts = 2\n", 2,
	    "unknown key 'hosts' in a zone section (only 'servers', 'model' "
	    "and 'max_hosts')");
	assert_conf_error("[zone dmz]\nmax_hosts = 0\n", 2,
	    "'max_hosts' must be a whole number between 1 and 1000000, not 0");
	assert_conf_error("[zone dmz]\nmodel = a\nmodel = b\n", 3,
	    "'model' is already set in [zone dmz] on line 2");
	assert_conf_error("[zone dmz]\nservers = a, a\n", 2,
	    "server 'a' is listed twice in zone 'dmz'");
}

static void
test_group_section_needs_a_name(void **state)
{
	(void)state;
	assert_conf_error("[affinity ]\nservers = a, b\n", 2,
	    "section [affinity ] needs a name");
	assert_conf_error("[affinity]\nservers = a, b\n", 2,
	    "unknown section [affinity]");
}

/* capplan.conf(5): a pin's servers are required; a model alone made a
 * pin of nothing (found by tests/fuzz/fuzz_policy.c) */
static void
test_pin_needs_servers(void **state)
{
	struct policy p;

	(void)state;
	assert_conf_error("[pin big]\nmodel = R740\n", 2,
	    "pin 'big' needs a servers line");
	assert_conf_error("[sizing]\n[pin big]\n\nmodel = R740\n"
	    "[pin small]\nservers = a\n", 4, "pin 'big' needs a servers line");
	assert_int_equal(load("[pin big]\nmodel = R740\nservers = a, b\n",
	    &p), 0);
	assert_int_equal(p.ngroups, 1);
	assert_int_equal(p.groups[0].servers.nitems, 2);
	assert_string_equal(p.groups[0].model, "R740");
	policy_release(&p);
}

/* inih cuts a section's name at 49 bytes, silently: a [pin NAME] would
 * have planned a host of another name, so 49 bytes or more is refused
 * (found by reading conf.c while writing tests/fuzz/fuzz_policy.c) */
static void
test_long_section_name_refused(void **state)
{
	struct policy p;
	char text[200];

	(void)state;
	/* "pin " and 44 bytes: 48 in all, kept whole */
	snprintf(text, sizeof(text), "[pin %044d]\nservers = a\n", 7);
	assert_int_equal(load(text, &p), 0);
	assert_int_equal(strlen(p.groups[0].name), 44);
	policy_release(&p);
	snprintf(text, sizeof(text), "[sizing]\n[pin %045d]\nservers = a\n",
	    7);
	assert_conf_error(text, 3, "is too long (at most 48 bytes)");
	snprintf(text, sizeof(text), "[affinity %060d]\nservers = a, b\n", 7);
	assert_conf_error(text, 2, "is too long (at most 48 bytes)");
}

/* before, "[candidates]", "exclude = s00000, ..., s<n-1>" and last on one
 * line, then after */
static char *
long_exclude(const char *before, size_t n, const char *last,
    const char *after)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	strbuf_addstr(&sb, before);
	strbuf_addstr(&sb, "[candidates]\nexclude = ");
	for (i = 0; i < n; i++)
		strbuf_addf(&sb, "%ss%05zu", i > 0 ? ", " : "", i);
	strbuf_addstr(&sb, last);
	strbuf_addch(&sb, '\n');
	strbuf_addstr(&sb, after);
	return strbuf_detach(&sb);
}

static void
test_long_lines_work(void **state)
{
	static const size_t sizes[] = { 30, 300, 1000, 20000 };
	struct policy p;
	char last[16];
	size_t i;
	char *text;

	(void)state;
	/* lines of 240 bytes, 2.4 KiB, 8 KiB and 160 KiB */
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		text = long_exclude("", sizes[i], "", "[cost]\npue = 1.5\n");
		assert_true(strlen(text) > sizes[i] * 8);
		assert_int_equal(load(text, &p), 0);
		free(text);
		assert_int_equal(p.exclude.nitems, sizes[i]);
		snprintf(last, sizeof(last), "s%05zu", sizes[i] - 1);
		assert_string_equal(p.exclude.items[sizes[i] - 1], last);
		assert_string_equal(p.exclude.items[0], "s00000");
		assert_near(p.pue, 1.5, 0);
		policy_release(&p);
	}
}

static void
test_errors_on_and_after_long_lines_have_right_line(void **state)
{
	char *text;

	(void)state;
	text = long_exclude("", 1000, "", "\n[cost]\npue = 9\n");
	assert_conf_error(text, 5, "'pue' must be between 1 and 4, not 9");
	free(text);
	text = long_exclude("# a\n\n", 1000, ", ", "[cost]\npue = 2\n");
	/* the value fills the message; the line number comes first */
	assert_conf_error(text, 4, "'exclude' value 's00000, s00001");
	free(text);
	text = long_exclude("", 20000, "", "[cost]\npue = 1.5\nbad = 1\n");
	assert_conf_error(text, 5, "unknown key 'bad' in [cost]");
	free(text);
}

static void
test_not_an_ini_line(void **state)
{
	(void)state;
	assert_conf_error("[sizing]\npercentile = 90\ngarbage\n", 3,
	    "not an INI line");
	assert_conf_error("[sizing\npercentile = 90\n", 1, "not an INI line");
}

static void
test_first_error_in_file_is_reported(void **state)
{
	(void)state;
	/* a syntax error on line 2 comes before the bad key on line 3 */
	assert_conf_error("[sizing]\ngarbage\nfoo = 1\n", 2, "not an INI line");
	assert_conf_error("[sizing]\nfoo = 1\ngarbage\n", 2,
	    "unknown key 'foo' in [sizing]");
}

static void
test_last_line_without_newline_has_right_line(void **state)
{
	(void)state;
	assert_conf_error("[sizing]\npercentile = 40", 2,
	    "'percentile' must be between 50 and 100, not 40");
	assert_conf_error("[sizing]\n\n\ngarbage", 4, "not an INI line");
}

static void
test_crlf_lines(void **state)
{
	struct policy p;

	(void)state;
	assert_int_equal(load("[sizing]\r\npercentile = 99\r\n", &p), 0);
	assert_near(p.percentile, 99, 0);
	policy_release(&p);
	assert_conf_error("[sizing]\r\n\r\npercentile = 40\r\n", 3,
	    "must be between 50 and 100");
}

static void
test_missing_file_is_io_error(void **state)
{
	struct policy p;

	(void)state;
	error_clear();
	assert_int_equal(policy_load(&p, "/nonexistent/capplan.conf"), -1);
	assert_int_equal(error_last_kind(), ERROR_IO);
	assert_non_null(strstr(error_last_msg(),
	    "cannot open '/nonexistent/capplan.conf'"));
	assert_null(p.currency);
}

/* a folder opens with fopen() and reads as an empty file: it must not
 * pass for a policy of defaults (issue 11: N+1, anti-affinity and
 * retirement silently vanished) */
static void
test_folder_is_io_error(void **state)
{
	struct policy p;

	(void)state;
	error_clear();
	assert_int_equal(policy_load(&p, "/tmp"), -1);
	assert_int_equal(error_last_kind(), ERROR_IO);
	assert_non_null(strstr(error_last_msg(), "cannot read '/tmp'"));
	assert_non_null(strstr(error_last_msg(), "a folder"));
	assert_null(p.currency);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_file_gives_defaults),
		cmocka_unit_test(test_comments_and_blank_lines_give_defaults),
		cmocka_unit_test(test_values_are_set),
		cmocka_unit_test(test_syntax_as_documented),
		cmocka_unit_test(test_unknown_section),
		cmocka_unit_test(test_unknown_key),
		cmocka_unit_test(test_key_outside_a_section),
		cmocka_unit_test(test_duplicate_key_names_first_line),
		cmocka_unit_test(test_bad_double),
		cmocka_unit_test(test_out_of_range_names_the_range),
		cmocka_unit_test(test_range_ends_accepted),
		cmocka_unit_test(test_choice_values),
		cmocka_unit_test(test_lists_are_split_and_trimmed),
		cmocka_unit_test(test_list_parse),
		cmocka_unit_test(test_bools),
		cmocka_unit_test(test_groups),
		cmocka_unit_test(test_group_needs_two_servers),
		cmocka_unit_test(test_duplicate_group_refused),
		cmocka_unit_test(test_group_name_loses_trailing_blanks),
		cmocka_unit_test(test_server_twice_in_group_refused),
		cmocka_unit_test(test_unknown_key_in_group),
		cmocka_unit_test(test_group_section_needs_a_name),
		cmocka_unit_test(test_pin_needs_servers),
		cmocka_unit_test(test_long_section_name_refused),
		cmocka_unit_test(test_zones),
		cmocka_unit_test(test_anti_affinity_apart),
		cmocka_unit_test(test_long_lines_work),
		cmocka_unit_test(test_errors_on_and_after_long_lines_have_right_line),
		cmocka_unit_test(test_not_an_ini_line),
		cmocka_unit_test(test_first_error_in_file_is_reported),
		cmocka_unit_test(test_last_line_without_newline_has_right_line),
		cmocka_unit_test(test_crlf_lines),
		cmocka_unit_test(test_missing_file_is_io_error),
		cmocka_unit_test(test_folder_is_io_error),
	};

	return cmocka_run_group_tests_name("conf", tests, NULL, NULL);
}
