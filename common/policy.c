/*
 * policy.c - the capplan.conf key table: every key, default, range, unit.
 *
 * Defaults are chosen to be safe for a first plan and are each argued in
 * capplan.conf(5): 95th percentile sizing is what Azure Migrate and VMware
 * Capacity Planner default to; 20 % CPU headroom is the common vSphere
 * cluster target; PUE 1.6 is the Uptime Institute survey average; energy
 * and CO2 defaults are EU averages.  Users are expected to set [cost].
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/num.h"
#include "common/policy.h"
#include "common/tz.h"
#include "common/xalloc.h"

const char *const resolution_names[] = { "hour", "week", "series", "peak",
    NULL };
const char *const balance_names[] = { "peak", "none", NULL };
const char *const storage_size_names[] = { "allocated", "used", NULL };
const char *const failure_domain_names[] = { "none", "rack", "pdu", "room",
    NULL };
/* in the order of enum contention_queue (model/contention.h) */
const char *const cpu_queue_names[] = { "finite", "erlang_c", NULL };

/* a [zones] separate item: tag:NAME or group:NAME */
static const char *
zone_rule_check(const char *item)
{
	if ((strncmp(item, "tag:", 4) == 0 && item[4] != '\0') ||
	    (strncmp(item, "group:", 6) == 0 && item[6] != '\0'))
		return NULL;
	return "is not tag:NAME or group:NAME";
}

#define K(sec, name, type, def, lo, hi, field, unit) \
	{ sec, name, type, def, lo, hi, NULL, offsetof(struct policy, field), \
	    unit, NULL }

static const struct conf_key policy_keys[] = {
	K("sizing", "percentile", CONF_DOUBLE, "95", 50, 100, percentile,
	    "percent"),
	{ "sizing", "resolution", CONF_CHOICE, "hour", 0, 0, resolution_names,
	    offsetof(struct policy, resolution), "", NULL },
	K("sizing", "min_days", CONF_INT, "7", 1, 3650, min_days, "days"),
	K("sizing", "horizon_months", CONF_INT, "12", 0, 120, horizon_months,
	    "months"),
	K("sizing", "vcpu_cu", CONF_DOUBLE, "0.5", 0.01, 100, vcpu_cu, "CU"),
	K("sizing", "mem_peak_pct", CONF_DOUBLE, "100", 50, 100, mem_peak_pct,
	    "percent"),
	K("sizing", "mem_margin", CONF_DOUBLE, "0.10", 0, 1, mem_margin,
	    "fraction"),
	K("sizing", "assumed_mem_mib", CONF_DOUBLE, "0", 0, 1e9,
	    assumed_mem_mib, "MiB"),
	K("sizing", "timezone", CONF_STRING, "UTC", 0, 0, timezone, "text"),
	K("sizing", "target_overload_pct", CONF_DOUBLE, "0", 0, 50,
	    target_overload_pct, "percent"),
	K("headroom", "cpu", CONF_DOUBLE, "0.20", 0, 0.9, headroom_cpu,
	    "fraction"),
	K("headroom", "mem", CONF_DOUBLE, "0.10", 0, 0.9, headroom_mem,
	    "fraction"),
	K("headroom", "disk", CONF_DOUBLE, "0.20", 0, 0.9, headroom_disk,
	    "fraction"),
	K("headroom", "net", CONF_DOUBLE, "0.20", 0, 0.9, headroom_net,
	    "fraction"),
	K("headroom", "storage", CONF_DOUBLE, "0.10", 0, 0.9, headroom_storage,
	    "fraction"),
	{ "storage", "size", CONF_CHOICE, "allocated", 0, 0, storage_size_names,
	    offsetof(struct policy, storage_size), "", NULL },
	K("storage", "used_margin", CONF_DOUBLE, "0.25", 0, 10,
	    storage_used_margin, "fraction"),
	K("storage", "assumed_gib", CONF_DOUBLE, "0", 0, 1e9,
	    storage_assumed_gib, "GiB"),
	K("overcommit", "vcpu_per_pcpu", CONF_DOUBLE, "4", 0.1, 64,
	    vcpu_per_pcpu, "ratio"),
	K("overcommit", "mem", CONF_DOUBLE, "1.0", 0.1, 4, mem_overcommit,
	    "ratio"),
	K("overcommit", "max_guests", CONF_INT, "0", 0, 100000, max_guests,
	    "count"),
	K("overcommit", "violation_pct", CONF_DOUBLE, "0", 0, 50,
	    violation_pct, "percent"),
	K("overcommit", "ready_pct", CONF_DOUBLE, "5", 0, 100, ready_pct,
	    "percent"),
	{ "overcommit", "cpu_queue", CONF_CHOICE, "finite", 0, 0,
	    cpu_queue_names, offsetof(struct policy, cpu_queue), "", NULL },
	K("overcommit", "mem_dedupe", CONF_DOUBLE, "0", 0, 0.3, mem_dedupe,
	    "fraction"),
	K("overcommit", "cpu_share_overhead_pct", CONF_DOUBLE, "0", 0, 100,
	    cpu_share_overhead_pct, "percent"),
	K("overcommit", "cpu_vm_overhead_pct", CONF_DOUBLE, "0", 0, 100,
	    cpu_vm_overhead_pct, "percent"),
	K("ha", "host_failures", CONF_INT, "0", 0, 16, host_failures, "count"),
	K("ha", "failover_headroom", CONF_DOUBLE, "0", 0, 0.9,
	    failover_headroom, "fraction"),
	K("ha", "domains", CONF_LIST, "", 0, 0, domains, "list"),
	K("ha", "domain_failures", CONF_INT, "0", 0, 1, domain_failures,
	    "count"),
	{ "ha", "failure_domain", CONF_CHOICE, "none", 0, 0,
	    failure_domain_names, offsetof(struct policy, failure_domain), "",
	    NULL },
	K("existing", "move", CONF_BOOL, "no", 0, 0, existing_move, ""),
	{ "placement", "balance", CONF_CHOICE, "peak", 0, 0, balance_names,
	    offsetof(struct policy, balance), "", NULL },
	{ "zones", "separate", CONF_LIST, "", 0, 0, NULL,
	    offsetof(struct policy, zone_separate), "list", zone_rule_check },
	K("candidates", "retire_cpu_pct", CONF_DOUBLE, "2", 0, 100,
	    retire_cpu_pct, "percent"),
	K("candidates", "retire_iops", CONF_DOUBLE, "5", 0, 1e9, retire_iops,
	    "1/s"),
	K("candidates", "retire_disk_kibps", CONF_DOUBLE, "64", 0, 1e12,
	    retire_disk_kibps, "KiB/s"),
	K("candidates", "retire_net_kibps", CONF_DOUBLE, "10", 0, 1e12,
	    retire_net_kibps, "KiB/s"),
	K("candidates", "saturated_cpu_pct", CONF_DOUBLE, "90", 1, 100,
	    saturated_cpu_pct, "percent"),
	K("candidates", "exclude", CONF_LIST, "", 0, 0, exclude, "list"),
	K("candidates", "keep_tags", CONF_LIST, "", 0, 0, keep_tags, "list"),
	K("cost", "currency", CONF_STRING, "EUR", 0, 0, currency, "text"),
	K("cost", "energy_per_kwh", CONF_DOUBLE, "0.20", 0, 100,
	    energy_per_kwh, "currency/kWh"),
	K("cost", "pue", CONF_DOUBLE, "1.6", 1, 4, pue, "ratio"),
	K("cost", "horizon_years", CONF_INT, "5", 1, 30, horizon_years,
	    "years"),
	K("cost", "amortisation_years", CONF_INT, "5", 1, 30,
	    amortisation_years, "years"),
	K("cost", "interest_pct", CONF_DOUBLE, "0", 0, 100, interest_pct,
	    "percent/year"),
	K("cost", "rack_unit_per_year", CONF_DOUBLE, "300", 0, 1e7,
	    rack_unit_per_year, "currency/U/year"),
	K("cost", "rack_units_per_rack", CONF_INT, "42", 1, 100,
	    rack_units_per_rack, "U"),
	K("cost", "server_maint_per_year", CONF_DOUBLE, "600", 0, 1e9,
	    server_maint_per_year, "currency/year"),
	K("cost", "server_power_w", CONF_DOUBLE, "250", 0, 1e5,
	    server_power_w, "W"),
	K("cost", "server_rack_units", CONF_DOUBLE, "1", 0, 100,
	    server_rack_units, "U"),
	K("cost", "host_maint_pct", CONF_DOUBLE, "8", 0, 100, host_maint_pct,
	    "percent/year"),
	K("cost", "license_per_core", CONF_DOUBLE, "0", 0, 1e9,
	    license_per_core, "currency/year"),
	K("cost", "license_per_socket", CONF_DOUBLE, "0", 0, 1e9,
	    license_per_socket, "currency/year"),
	K("cost", "license_min_cores_socket", CONF_INT, "8", 0, 1024,
	    license_min_cores_socket, "count"),
	K("cost", "license_min_cores_host", CONF_INT, "16", 0, 65536,
	    license_min_cores_host, "count"),
	K("cost", "hypervisor_per_socket", CONF_DOUBLE, "0", 0, 1e9,
	    hypervisor_per_socket, "currency/year"),
	K("cost", "migration_per_server", CONF_DOUBLE, "500", 0, 1e9,
	    migration_per_server, "currency"),
	K("cost", "co2_g_per_kwh", CONF_DOUBLE, "250", 0, 2000, co2_g_per_kwh,
	    "g/kWh"),
	K("validate", "tolerance_pts", CONF_DOUBLE, "3", 0, 100,
	    validate_tolerance_pts, "points"),
	K("validate", "foreign_max_pct", CONF_DOUBLE, "3", 0, 100,
	    validate_foreign_max_pct, "percent"),
	K("validate", "slot_seconds", CONF_DOUBLE, "10", 1, 3600,
	    validate_slot_s, "seconds"),
	K("validate", "skip_seconds", CONF_DOUBLE, "2", 0, 3600,
	    validate_skip_s, "seconds"),
	K("validate", "burst_ms", CONF_DOUBLE, "5", 0.5, 1000,
	    validate_burst_ms, "ms"),
	K("validate", "mem_budget_mib", CONF_DOUBLE, "0", 0, 1e9,
	    validate_mem_budget_mib, "MiB"),
	K("waves", "max_servers", CONF_INT, "0", 0, 1000000, wave_max_servers,
	    "count"),
	K("waves", "max_per_host", CONF_INT, "0", 0, 1000000,
	    wave_max_per_host, "count"),
	K("waves", "retire_first", CONF_BOOL, "no", 0, 0, wave_retire_first,
	    ""),
	K("waves", "bandwidth_mibps", CONF_DOUBLE, "100", 0.1, 1e6,
	    wave_bandwidth_mibps, "MiB/s"),
	K("waves", "host_install_hours", CONF_DOUBLE, "4", 0, 1000,
	    wave_host_install_h, "hours"),
};

/*
 * Does l name an item twice?  *dup is the first repeated one.  A map,
 * not a pair of loops: a group may list thousands of servers.
 */
static bool
list_has_duplicate(const struct conf_list *l, const char **dup)
{
	struct strmap seen = STRMAP_INIT;
	size_t i;
	bool found = false;

	for (i = 0; i < l->nitems && !found; i++)
		if (!strmap_put(&seen, l->items[i], i, NULL)) {
			*dup = l->items[i];
			found = true;
		}
	strmap_release(&seen);
	return found;
}

/*
 * The group of this kind and name, or NULL; *line is where it was made.
 * Found through p->group_index ("kind name" -> index), so a policy of
 * 100,000 groups loads in linear time (a scan per section took a minute).
 */
static struct server_group *
group_find(struct policy *p, enum server_group_kind kind, const char *name)
{
	char key[80];		/* a kind digit, a space and a 63-byte name */
	size_t i;

	snprintf(key, sizeof(key), "%d %s", (int)kind, name);
	return strmap_get(&p->group_index, key, &i) ? &p->groups[i] : NULL;
}

/* A new, empty group of this kind and name (not there yet). */
static struct server_group *
group_add(struct policy *p, enum server_group_kind kind, const char *name,
    size_t line)
{
	struct server_group *g;
	char key[80];

	ALLOC_GROW(p->groups, p->ngroups + 1, p->groups_cap);
	snprintf(key, sizeof(key), "%d %s", (int)kind, name);
	strmap_put(&p->group_index, key, p->ngroups, NULL);
	g = &p->groups[p->ngroups++];
	memset(g, 0, sizeof(*g));
	g->kind = kind;
	g->name = xstrdup(name);
	g->line = line;
	return g;
}

/* Parse a group's servers into l: at least min of them, none twice. */
static int
group_servers(struct conf_list *l, const char *value, size_t min,
    const char *what, const char *name, const char *path, size_t line)
{
	const char *why, *dup;

	if (conf_list_parse(l, value, &why) == -1)
		return error_at(ERROR_DATA, path, line, 0, "servers %s", why);
	if (list_has_duplicate(l, &dup))
		return error_at(ERROR_DATA, path, line, 0,
		    "server '%s' is listed twice in %s '%s'", dup, what, name);
	if (l->nitems < min)
		return error_at(ERROR_DATA, path, line, 0, min == 1 ?
		    "%s '%s' needs at least one server" :
		    "%s '%s' needs at least two servers", what, name);
	return 0;
}

/* [anti-affinity NAME] apart = host | domain */
static int
group_apart(struct policy *p, const char *name, const char *value,
    const char *path, size_t line)
{
	struct server_group *g = group_find(p, GROUP_ANTI_AFFINITY, name);

	if (strcmp(value, "host") != 0 && strcmp(value, "domain") != 0)
		return error_at(ERROR_DATA, path, line, 0, "'apart' must be "
		    "one of host, domain, not '%s'", value);
	if (g == NULL) {
		g = group_add(p, GROUP_ANTI_AFFINITY, name, line);
		g->line = 0;	/* its servers, to come, set it */
	}
	g->apart_domains = strcmp(value, "domain") == 0;
	return 0;
}

static int
group_key(struct policy *p, enum server_group_kind kind, const char *name,
    const char *key, const char *value, const char *path, size_t line)
{
	struct conf_list servers = { NULL, 0 };
	struct server_group *g;

	if (kind == GROUP_ANTI_AFFINITY && strcmp(key, "apart") == 0)
		return group_apart(p, name, value, path, line);
	if (strcmp(key, "servers") != 0)
		return error_at(ERROR_DATA, path, line, 0,
		    "unknown key '%s' in a group section (only 'servers'%s)",
		    key, kind == GROUP_ANTI_AFFINITY ? " and 'apart'" : "");
	if ((g = group_find(p, kind, name)) != NULL && g->servers.nitems > 0)
		return error_at(ERROR_DATA, path, line, 0,
		    "group '%s' is already defined on line %zu", name,
		    g->line);
	if (group_servers(&servers, value, 2, "group", name, path,
	    line) == -1) {
		conf_list_release(&servers);
		return -1;
	}
	if (g == NULL)
		g = group_add(p, kind, name, line);
	g->servers = servers;
	g->line = line;
	return 0;
}

static int
on_affinity(void *target, const char *name, const char *key,
    const char *value, const char *path, size_t line)
{
	return group_key(target, GROUP_AFFINITY, name, key, value, path,
	    line);
}

static int
on_anti_affinity(void *target, const char *name, const char *key,
    const char *value, const char *path, size_t line)
{
	return group_key(target, GROUP_ANTI_AFFINITY, name, key, value, path,
	    line);
}

/* [pin NAME]: servers (one or more) and an optional model, in any order */
static int
on_pin(void *target, const char *name, const char *key, const char *value,
    const char *path, size_t line)
{
	struct policy *p = target;
	struct server_group *g;

	if (strcmp(key, "servers") != 0 && strcmp(key, "model") != 0)
		return error_at(ERROR_DATA, path, line, 0, "unknown key '%s' "
		    "in a pin section (only 'servers' and 'model')", key);
	if ((g = group_find(p, GROUP_PIN, name)) == NULL)
		g = group_add(p, GROUP_PIN, name, line);
	if (strcmp(key, "model") == 0) {
		if (g->model != NULL)
			return error_at(ERROR_DATA, path, line, 0, "pin '%s' "
			    "has a model already", name);
		g->model = xstrdup(value);
		return 0;
	}
	if (g->servers.nitems > 0)
		return error_at(ERROR_DATA, path, line, 0, "pin '%s' has "
		    "servers already (line %zu)", name, g->line);
	if (group_servers(&g->servers, value, 1, "pin", name, path,
	    line) == -1)
		return -1;
	g->line = line;
	return 0;
}

/* the zone section of name, or NULL (policy_zone() for p writable) */
static struct zone_rule *
zone_find(struct policy *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->nzones; i++)
		if (strcmp(p->zones[i].name, name) == 0)
			return &p->zones[i];
	return NULL;
}

const struct zone_rule *
policy_zone(const struct policy *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->nzones; i++)
		if (strcmp(p->zones[i].name, name) == 0)
			return &p->zones[i];
	return NULL;
}

double
policy_storage_gib(const struct policy *p, const struct server_inv *inv,
    bool *from_used)
{
	double alloc = inv != NULL ? inv->disk_gib : NAN;
	double used = inv != NULL ? inv->disk_used_gib *
	    (1 + p->storage_used_margin) : NAN;

	*from_used = p->storage_size == STORAGE_USED ? !isnan(used) :
	    isnan(alloc);
	return *from_used ? used : alloc;
}

void
policy_inv_zones(const struct policy *p, const struct server_inv *inv,
    void (*fn)(void *ctx, const char *zone, const char *from), void *ctx)
{
	const char *rule, *name;
	char from[96];
	size_t k;

	if (inv->zone != NULL && inv->zone[0] != '\0')
		fn(ctx, inv->zone, "the inventory's zone column");
	for (k = 0; k < p->zone_separate.nitems; k++) {
		rule = p->zone_separate.items[k];
		name = strchr(rule, ':') + 1;
		if (strncmp(rule, "tag:", 4) == 0 ? !server_has_tag(inv, name) :
		    inv->group == NULL || strcmp(inv->group, name) != 0)
			continue;
		snprintf(from, sizeof(from), "[zones] separate %s", rule);
		fn(ctx, name, from);
	}
}

/* [zone NAME]: servers, model and max_hosts, each once, in any order */
static int
on_zone(void *target, const char *name, const char *key, const char *value,
    const char *path, size_t line)
{
	struct policy *p = target;
	struct zone_rule *z = zone_find(p, name);
	const char *why;

	if (strcmp(key, "servers") != 0 && strcmp(key, "model") != 0 &&
	    strcmp(key, "max_hosts") != 0)
		return error_at(ERROR_DATA, path, line, 0, "unknown key '%s' "
		    "in a zone section (only 'servers', 'model' and "
		    "'max_hosts')", key);
	if (z == NULL) {
		ALLOC_GROW(p->zones, p->nzones + 1, p->zones_cap);
		z = &p->zones[p->nzones++];
		memset(z, 0, sizeof(*z));
		z->name = xstrdup(name);
		z->line = line;
	}
	if (strcmp(key, "model") == 0) {
		z->model = xstrdup(value);
		return 0;
	}
	if (strcmp(key, "max_hosts") == 0) {
		if (num_parse_long_range(value, 1, 1000000, &z->max_hosts,
		    &why) == -1)
			return error_at(ERROR_DATA, path, line, 0, "'max_hosts' "
			    "must be a whole number between 1 and 1000000, not "
			    "%s", value);
		return 0;
	}
	return group_servers(&z->servers, value, 1, "zone", name, path, line);
}

const char *const growth_key_names[GROWTH_N] = { "cpu_pct", "mem_pct",
    "disk_pct", "net_pct", "storage_pct" };

static struct growth_rule *
growth_find(struct policy *p, const char *name, size_t line)
{
	struct growth_rule *g;
	size_t i;
	int k;

	for (i = 0; i < p->ngrowth; i++)
		if (strcmp(p->growth[i].name, name) == 0)
			return &p->growth[i];
	ALLOC_GROW(p->growth, p->ngrowth + 1, p->growth_cap);
	g = &p->growth[p->ngrowth++];
	memset(g, 0, sizeof(*g));
	g->name = xstrdup(name);
	g->line = line;
	for (k = 0; k < GROWTH_N; k++)
		g->pct[k] = NAN;
	return g;
}

/* [growth] and [growth NAME]: cpu_pct ... storage_pct, and servers in a
 * named one */
static int
on_growth(void *target, const char *name, const char *key,
    const char *value, const char *path, size_t line)
{
	struct growth_rule *g = growth_find(target, name, line);
	const char *why;
	int k;

	if (name[0] != '\0' && strcmp(key, "servers") == 0)
		return group_servers(&g->servers, value, 1, "growth", name,
		    path, line);
	for (k = 0; k < GROWTH_N; k++)
		if (strcmp(key, growth_key_names[k]) == 0)
			break;
	if (k == GROWTH_N)
		return error_at(ERROR_DATA, path, line, 0, "unknown key '%s' "
		    "in a growth section (only cpu_pct, mem_pct, disk_pct, "
		    "net_pct, storage_pct%s)", key, name[0] != '\0' ?
		    " and servers" : "");
	if (num_parse_double(value, &g->pct[k], &why) == -1 ||
	    !(g->pct[k] >= -90 && g->pct[k] <= 1000))
		return error_at(ERROR_DATA, path, line, 0, "'%s' must be a "
		    "number of percent from -90 to 1000, not %s", key, value);
	return 0;
}

/* [add NAME]: like (a server) and count, each once */
static int
on_add(void *target, const char *name, const char *key, const char *value,
    const char *path, size_t line)
{
	struct policy *p = target;
	struct add_rule *a = NULL;
	const char *why;
	size_t i;

	for (i = 0; i < p->nadds && a == NULL; i++)
		if (strcmp(p->adds[i].name, name) == 0)
			a = &p->adds[i];
	if (a == NULL) {
		ALLOC_GROW(p->adds, p->nadds + 1, p->adds_cap);
		a = &p->adds[p->nadds++];
		memset(a, 0, sizeof(*a));
		a->name = xstrdup(name);
		a->line = line;
	}
	if (strcmp(key, "like") == 0) {
		a->like = xstrdup(value);
		return 0;
	}
	if (strcmp(key, "count") != 0)
		return error_at(ERROR_DATA, path, line, 0, "unknown key '%s' "
		    "in an add section (only 'like' and 'count')", key);
	if (num_parse_long_range(value, 1, 100000, &a->count, &why) == -1)
		return error_at(ERROR_DATA, path, line, 0, "'count' must be a "
		    "whole number between 1 and 100000, not %s", value);
	return 0;
}

static const struct conf_prefix policy_prefixes[] = {
	{ "affinity", on_affinity, false },
	{ "anti-affinity", on_anti_affinity, false },
	{ "pin", on_pin, false },
	{ "zone", on_zone, false },
	{ "growth", on_growth, true },
	{ "add", on_add, false },
};

const struct conf_schema policy_schema = {
	policy_keys, sizeof(policy_keys) / sizeof(policy_keys[0]),
	policy_prefixes, sizeof(policy_prefixes) / sizeof(policy_prefixes[0]),
};

void
policy_init(struct policy *p)
{
	memset(p, 0, sizeof(*p));
	conf_defaults(&policy_schema, p);
}

/*
 * A [pin NAME] section is made by its first key, so one with a model and
 * no servers line read as a pin of nothing; servers are required.
 */
static int
check_pins(const struct policy *p, const char *path)
{
	size_t i;

	for (i = 0; i < p->ngroups; i++)
		if (p->groups[i].kind == GROUP_PIN &&
		    p->groups[i].servers.nitems == 0)
			return error_at(ERROR_DATA, path, p->groups[i].line, 0,
			    "pin '%s' needs a servers line (one or more "
			    "servers)", p->groups[i].name);
	return 0;
}

int
policy_load(struct policy *p, const char *path)
{
	memset(p, 0, sizeof(*p));
	if (conf_load(&policy_schema, path, p) == -1 ||
	    check_pins(p, path) == -1) {
		policy_release(p);
		return -1;
	}
	if (tz_use(p->timezone) == -1) {
		char msg[320];

		snprintf(msg, sizeof(msg), "%s", error_last_msg());
		error_set(ERROR_DATA, "%s: [sizing] timezone: %s", path, msg);
		policy_release(p);
		return -1;
	}
	return 0;
}

void
policy_release(struct policy *p)
{
	size_t i;

	if (p == NULL)
		return;
	conf_release(&policy_schema, p);
	for (i = 0; i < p->ngroups; i++) {
		free(p->groups[i].name);
		free(p->groups[i].model);
		conf_list_release(&p->groups[i].servers);
	}
	free(p->groups);
	p->groups = NULL;
	p->ngroups = p->groups_cap = 0;
	for (i = 0; i < p->nzones; i++) {
		free(p->zones[i].name);
		free(p->zones[i].model);
		conf_list_release(&p->zones[i].servers);
	}
	free(p->zones);
	for (i = 0; i < p->ngrowth; i++) {
		free(p->growth[i].name);
		conf_list_release(&p->growth[i].servers);
	}
	free(p->growth);
	p->growth = NULL;
	p->ngrowth = p->growth_cap = 0;
	for (i = 0; i < p->nadds; i++) {
		free(p->adds[i].name);
		free(p->adds[i].like);
	}
	free(p->adds);
	p->adds = NULL;
	p->nadds = p->adds_cap = 0;
	p->zones = NULL;
	p->nzones = p->zones_cap = 0;
	strmap_release(&p->group_index);
}
