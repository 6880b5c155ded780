/*
 * promql.c - the query table of the Prometheus importer (see promql.h).
 *
 * The columns follow capplan-collect's definitions (collector/src_*.c):
 * busy CPU is everything but idle, iowait and steal over the online CPUs,
 * used memory is MemTotal - MemAvailable, and the disk and network sums
 * leave out device-mapper devices (counted twice otherwise) and the
 * loopback and virtual interfaces, as the sysstat importer does.
 */
#include <string.h>

#include "common/samples.h"
#include "common/xalloc.h"
#include "import/promql.h"

#define NCPU "count by (instance) (node_cpu_seconds_total{mode=\"idle\"})"
#define DISK "{device!~\"dm-.*\"}"
#define NET "{device!~\"lo|veth.*|docker.*|virbr.*|vnet.*|br-.*|tap.*|" \
	"tun.*|cni.*|flannel.*|cali.*\"}"
#define SUM_RATE(m, sel) "sum by (instance) (rate(" m sel "[S]))"

const struct promql_query promql_queries[] = {
	{ METRIC_CPU_BUSY_PCT, "100 * (1 - sum by (instance) (rate("
	    "node_cpu_seconds_total{mode=~\"idle|iowait|steal\"}[S])) / "
	    NCPU ")" },
	{ METRIC_CPU_STEAL_PCT, "100 * " SUM_RATE("node_cpu_seconds_total",
	    "{mode=\"steal\"}") " / " NCPU },
	{ METRIC_CPU_IOWAIT_PCT, "100 * " SUM_RATE("node_cpu_seconds_total",
	    "{mode=\"iowait\"}") " / " NCPU },
	{ METRIC_NCPU_ONLINE, NCPU },
	{ METRIC_MEM_TOTAL_MIB,
	    "max by (instance) (node_memory_MemTotal_bytes{}) / 1048576" },
	{ METRIC_MEM_USED_MIB, "max by (instance) (node_memory_MemTotal_bytes{}"
	    " - node_memory_MemAvailable_bytes{}) / 1048576" },
	{ METRIC_MEM_CACHE_MIB,
	    "max by (instance) (node_memory_Cached_bytes{}) / 1048576" },
	{ METRIC_SWAP_USED_MIB, "max by (instance) (node_memory_SwapTotal_bytes"
	    "{} - node_memory_SwapFree_bytes{}) / 1048576" },
	{ METRIC_SWAP_IN_PER_S, SUM_RATE("node_vmstat_pswpin", "{}") },
	{ METRIC_SWAP_OUT_PER_S, SUM_RATE("node_vmstat_pswpout", "{}") },
	{ METRIC_PGMAJFAULT_PER_S, SUM_RATE("node_vmstat_pgmajfault", "{}") },
	{ METRIC_DISK_READ_IOPS,
	    SUM_RATE("node_disk_reads_completed_total", DISK) },
	{ METRIC_DISK_WRITE_IOPS,
	    SUM_RATE("node_disk_writes_completed_total", DISK) },
	{ METRIC_DISK_READ_KIBPS,
	    SUM_RATE("node_disk_read_bytes_total", DISK) " / 1024" },
	{ METRIC_DISK_WRITE_KIBPS,
	    SUM_RATE("node_disk_written_bytes_total", DISK) " / 1024" },
	{ METRIC_DISK_BUSY_PCT, "100 * max by (instance) (rate("
	    "node_disk_io_time_seconds_total" DISK "[S]))" },
	{ METRIC_NET_RX_KIBPS,
	    SUM_RATE("node_network_receive_bytes_total", NET) " / 1024" },
	{ METRIC_NET_TX_KIBPS,
	    SUM_RATE("node_network_transmit_bytes_total", NET) " / 1024" },
	{ METRIC_PSI_CPU_SOME_PCT, "100 * max by (instance) (rate("
	    "node_pressure_cpu_waiting_seconds_total{}[S]))" },
	{ METRIC_PSI_MEM_SOME_PCT, "100 * max by (instance) (rate("
	    "node_pressure_memory_waiting_seconds_total{}[S]))" },
	{ METRIC_PSI_IO_SOME_PCT, "100 * max by (instance) (rate("
	    "node_pressure_io_waiting_seconds_total{}[S]))" },
	{ METRIC_PROCS_RUNNING, "max by (instance) (node_procs_running{})" },
	{ METRIC_LOAD1, "max by (instance) (node_load1{})" },
};

const size_t npromql_queries = sizeof(promql_queries) /
    sizeof(promql_queries[0]);

#define LAST(m) "last_over_time(" m "[R])"
#define CPU_INFO LAST("node_cpu_info{}")
#define ENABLE_CPU_INFO "node_cpu_info (node_exporter --collector.cpu.info)"

const struct promql_inv_query promql_inv_queries[PROMQL_INV_N] = {
	{ PROMQL_INV_THREADS, "threads", "count by (instance) ("
	    LAST("node_cpu_seconds_total{mode=\"idle\"}") ")", NULL,
	    "hosts without threads in the inventory (no "
	    "node_cpu_seconds_total)" },
	{ PROMQL_INV_SOCKETS, "sockets", "count by (instance) (count by "
	    "(instance, package) (" CPU_INFO "))", NULL,
	    "hosts without sockets in the inventory (no " ENABLE_CPU_INFO ")" },
	{ PROMQL_INV_CORES, "cores", "count by (instance) (count by "
	    "(instance, package, core) (" CPU_INFO "))", NULL,
	    "hosts without cores in the inventory (no " ENABLE_CPU_INFO ")" },
	{ PROMQL_INV_CPU_MODEL, "cpu_model", "count by (instance, model_name) ("
	    CPU_INFO ")", "model_name",
	    "hosts without cpu_model in the inventory (no " ENABLE_CPU_INFO
	    ")" },
	{ PROMQL_INV_CPU_MHZ, "cpu_mhz", "max by (instance) ("
	    LAST("node_cpu_scaling_frequency_max_hertz{}") ") / 1e6", NULL,
	    "hosts without cpu_mhz in the inventory (no "
	    "node_cpu_scaling_frequency_max_hertz: cpufreq collector)" },
	{ PROMQL_INV_MEM_MIB, "mem_mib", "max by (instance) ("
	    LAST("node_memory_MemTotal_bytes{}") ") / 1048576", NULL,
	    "hosts without mem_mib in the inventory (no "
	    "node_memory_MemTotal_bytes)" },
	{ PROMQL_INV_DISK_COUNT, "disk_count", "count by (instance) (count by "
	    "(instance, device) (" LAST("node_disk_info" DISK) "))", NULL,
	    "hosts without disk_count in the inventory (no node_disk_info)" },
	{ PROMQL_INV_NICS, "nics", "count by (instance) (count by "
	    "(instance, device) (" LAST("node_network_info" NET) "))", NULL,
	    "hosts without nics in the inventory (no node_network_info)" },
	{ PROMQL_INV_NIC_MBPS, "nic_mbps", "sum by (instance) ("
	    LAST("node_network_speed_bytes" NET) " > 0) * 8 / 1e6", NULL,
	    "hosts without nic_mbps in the inventory (no "
	    "node_network_speed_bytes above 0)" },
	{ PROMQL_INV_OS, "os", "count by (instance, pretty_name) ("
	    LAST("node_os_info{}") ")", "pretty_name",
	    "hosts without os in the inventory (no node_os_info)" },
	{ PROMQL_INV_KERNEL, "kernel", "count by (instance, release) ("
	    LAST("node_uname_info{}") ")", "release",
	    "hosts without kernel in the inventory (no node_uname_info)" },
	{ PROMQL_INV_ARCH, "arch", "count by (instance, machine) ("
	    LAST("node_uname_info{}") ")", "machine",
	    "hosts without arch in the inventory (no node_uname_info)" },
};

/* Copy a selector's braces from *p (at '{') with matchers added. */
static const char *
expand_selector(struct strbuf *out, const char *p, const char *matchers)
{
	const char *end = p + 1;
	bool quoted = false;

	for (; *end != '\0' && (quoted || *end != '}'); end++) {
		if (*end == '\\' && end[1] != '\0')
			end++;
		else if (*end == '"')
			quoted = !quoted;
	}
	if (end == p + 1 && *matchers == '\0')
		return *end == '}' ? end + 1 : end;
	strbuf_add(out, p, (size_t)(end - p));
	if (*matchers != '\0') {
		if (end != p + 1)
			strbuf_addch(out, ',');
		strbuf_addstr(out, matchers);
	}
	strbuf_addch(out, '}');
	return *end == '}' ? end + 1 : end;
}

void
promql_expand(struct strbuf *out, const char *tmpl, long step_s,
    long range_s, const char *matchers)
{
	const char *p = tmpl;

	if (matchers == NULL)
		matchers = "";
	while (*p != '\0') {
		if (strncmp(p, "[S]", 3) == 0 || strncmp(p, "[R]", 3) == 0) {
			strbuf_addf(out, "[%lds]", p[1] == 'S' ? step_s :
			    range_s);
			p += 3;
		} else if (*p == '{')
			p = expand_selector(out, p, matchers);
		else
			strbuf_addch(out, *p++);
	}
}

char *
promql_selector_matchers(const char *selector)
{
	size_t n;

	selector += strspn(selector, " \t");
	n = strlen(selector);
	while (n > 0 && (selector[n - 1] == ' ' || selector[n - 1] == '\t'))
		n--;
	if (n < 2 || selector[0] != '{' || selector[n - 1] != '}')
		return NULL;
	selector++;
	n -= 2;
	while (n > 0 && (*selector == ' ' || *selector == '\t')) {
		selector++;
		n--;
	}
	while (n > 0 && (selector[n - 1] == ' ' || selector[n - 1] == '\t'))
		n--;
	return xstrndup(selector, n);
}

void
promql_regex_of(struct strbuf *out, char *const *names, size_t n)
{
	const char *c;
	size_t i;

	strbuf_addch(out, '"');
	for (i = 0; i < n; i++) {
		if (i > 0)
			strbuf_addch(out, '|');
		for (c = names[i]; *c != '\0'; c++) {
			/* a regex escape, then the string literal's */
			if (strchr(".^$*+?()[]{}|\\", *c) != NULL)
				strbuf_addstr(out, "\\\\");
			if (*c == '"' || *c == '\\')
				strbuf_addch(out, '\\');
			strbuf_addch(out, *c);
		}
	}
	strbuf_addch(out, '"');
}
