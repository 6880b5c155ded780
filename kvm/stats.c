/*
 * stats.c - every running guest's statistics in one libvirt call.
 *
 * virConnectGetAllDomainStats() returns every active domain's counters
 * (CPU, vCPUs, balloon, block, interface) in one round trip, whatever the
 * number of guests; each record becomes a struct kvm_dom_stats of plain
 * numbers, so callers outside kvm/ (the libvirt importer) and validate
 * share one reading of libvirt's field names.  Per-device and per-vCPU
 * fields are summed; the per-vCPU time and delay are kept as well.
 */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>

#include "common/clock.h"
#include "common/error.h"
#include "common/xalloc.h"
#include "kvm/hypervisor.h"
#include "kvm/kvm.h"

struct kvm_conn {
	virConnectPtr conn;
};

/* one record being read: the public figures and the per-vCPU arrays */
struct dom_read {
	struct kvm_dom_stats s;
	double vtime[KVM_VCPU_MAX], vdelay[KVM_VCPU_MAX];
};

struct kvm_conn *
kvm_open(const char *uri)
{
	struct kvm_conn *c;
	virConnectPtr conn;

	kvm_silence();
	conn = virConnectOpen(uri);
	if (conn == NULL) {
		kvm_error("cannot connect to libvirt");
		return NULL;
	}
	c = xcalloc(1, sizeof(*c));
	c->conn = conn;
	return c;
}

virConnectPtr
kvm_conn_virt(struct kvm_conn *c)
{
	return c->conn;
}

void
kvm_close(struct kvm_conn *c)
{
	if (c == NULL)
		return;
	virConnectClose(c->conn);
	free(c);
}

static double
param_value(const virTypedParameter *p)
{
	switch (p->type) {
	case VIR_TYPED_PARAM_INT: return p->value.i;
	case VIR_TYPED_PARAM_UINT: return p->value.ui;
	case VIR_TYPED_PARAM_LLONG: return (double)p->value.l;
	case VIR_TYPED_PARAM_ULLONG: return (double)p->value.ul;
	case VIR_TYPED_PARAM_DOUBLE: return p->value.d;
	default: return NAN;
	}
}

static bool
ends(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Add v to *sum, which starts as NaN. */
static void
add(double *sum, double v)
{
	*sum = isnan(*sum) ? v : *sum + v;
}

/* vcpu.N.time and vcpu.N.delay, kept per vCPU as well */
static bool
read_vcpu(struct dom_read *d, const char *f, double v)
{
	char *end;
	unsigned long n;

	if (strncmp(f, "vcpu.", 5) != 0 || f[5] < '0' || f[5] > '9')
		return false;
	n = strtoul(f + 5, &end, 10);
	if (strcmp(end, ".time") == 0) {
		add(&d->s.vcpu_ns, v);
		if (n < KVM_VCPU_MAX)
			d->vtime[n] = v;
	} else if (strcmp(end, ".delay") == 0) {
		add(&d->s.delay_ns, v);
		if (n < KVM_VCPU_MAX)
			d->vdelay[n] = v;
	} else {
		return true;
	}
	if (n < KVM_VCPU_MAX && n + 1 > d->s.nvcpu)
		d->s.nvcpu = n + 1;
	return true;
}

/* The per-device fields, summed over devices. */
static void
read_indexed(struct kvm_dom_stats *s, const char *f, double v)
{
	static const struct {
		const char *prefix, *suffix;
		size_t off;
	} map[] = {
		{ "block.", ".rd.reqs", offsetof(struct kvm_dom_stats, rd_reqs) },
		{ "block.", ".wr.reqs", offsetof(struct kvm_dom_stats, wr_reqs) },
		{ "block.", ".rd.bytes", offsetof(struct kvm_dom_stats, rd_bytes) },
		{ "block.", ".wr.bytes", offsetof(struct kvm_dom_stats, wr_bytes) },
		{ "net.", ".rx.bytes", offsetof(struct kvm_dom_stats, rx_bytes) },
		{ "net.", ".tx.bytes", offsetof(struct kvm_dom_stats, tx_bytes) },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strncmp(f, map[i].prefix, strlen(map[i].prefix)) == 0 &&
		    ends(f, map[i].suffix)) {
			add((double *)(void *)((char *)s + map[i].off), v);
			return;
		}
}

static void
read_field(struct dom_read *d, const char *f, double v)
{
	static const struct {
		const char *name;
		size_t off;
	} map[] = {
		{ "cpu.time", offsetof(struct kvm_dom_stats, cpu_ns) },
		{ "vcpu.current", offsetof(struct kvm_dom_stats, vcpus) },
		{ "balloon.current", offsetof(struct kvm_dom_stats, bal_cur) },
		{ "balloon.maximum", offsetof(struct kvm_dom_stats, bal_max) },
		{ "balloon.available",
		    offsetof(struct kvm_dom_stats, bal_avail) },
		{ "balloon.usable", offsetof(struct kvm_dom_stats, bal_usable) },
		{ "balloon.rss", offsetof(struct kvm_dom_stats, bal_rss) },
		{ "balloon.major_fault",
		    offsetof(struct kvm_dom_stats, bal_major_faults) },
		{ "balloon.swap_in", offsetof(struct kvm_dom_stats, bal_swap_in) },
		{ "balloon.swap_out",
		    offsetof(struct kvm_dom_stats, bal_swap_out) },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(f, map[i].name) == 0) {
			*(double *)(void *)((char *)&d->s + map[i].off) = v;
			return;
		}
	if (!read_vcpu(d, f, v))
		read_indexed(&d->s, f, v);
}

static void
read_record(struct dom_read *d, const virDomainStatsRecord *rec, double now)
{
	struct kvm_dom_stats *s = &d->s;
	size_t k;
	int i;

	s->name = virDomainGetName(rec->dom);
	s->mono_s = now;
	s->cpu_ns = s->vcpu_ns = s->delay_ns = s->vcpus = NAN;
	s->rd_reqs = s->wr_reqs = s->rd_bytes = s->wr_bytes = NAN;
	s->rx_bytes = s->tx_bytes = NAN;
	s->bal_cur = s->bal_max = s->bal_avail = s->bal_usable = NAN;
	s->bal_rss = s->bal_major_faults = s->bal_swap_in = NAN;
	s->bal_swap_out = NAN;
	s->nvcpu = 0;
	for (k = 0; k < KVM_VCPU_MAX; k++)
		d->vtime[k] = d->vdelay[k] = NAN;
	s->vcpu_time_ns = d->vtime;
	s->vcpu_delay_ns = d->vdelay;
	for (i = 0; i < rec->nparams; i++)
		read_field(d, rec->params[i].field,
		    param_value(&rec->params[i]));
}

int
kvm_stats_each(struct kvm_conn *c, enum kvm_stats_what what,
    int (*fn)(void *arg, const struct kvm_dom_stats *s), void *arg)
{
	const unsigned stats = what == KVM_STATS_CPU ?
	    VIR_DOMAIN_STATS_CPU_TOTAL | VIR_DOMAIN_STATS_VCPU :
	    VIR_DOMAIN_STATS_CPU_TOTAL | VIR_DOMAIN_STATS_BALLOON |
	    VIR_DOMAIN_STATS_VCPU | VIR_DOMAIN_STATS_INTERFACE |
	    VIR_DOMAIN_STATS_BLOCK;
	virDomainStatsRecordPtr *recs = NULL;
	struct dom_read *d;
	int n, i, ret;

	n = virConnectGetAllDomainStats(c->conn, stats, &recs,
	    VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE);
	if (n < 0)
		return kvm_error("cannot read the guests' statistics");
	d = xmalloc(sizeof(*d));
	for (i = 0, ret = n; i < n && ret != -1; i++) {
		read_record(d, recs[i], mono_now_s());
		if (fn(arg, &d->s) == -1)
			ret = -1;
	}
	free(d);
	if (recs != NULL)
		virDomainStatsRecordListFree(recs);
	return ret;
}

char *
kvm_domain_type(struct kvm_conn *c, const char *name)
{
	virDomainPtr dom = virDomainLookupByName(c->conn, name);
	char *xml = NULL, *p, *q, *t = NULL;

	if (dom != NULL) {
		xml = virDomainGetXMLDesc(dom, 0);
		virDomainFree(dom);
	}
	if (xml != NULL && (p = strstr(xml, "<domain type='")) != NULL) {
		p += strlen("<domain type='");
		q = strchr(p, '\'');
		if (q != NULL)
			t = xstrndup(p, (size_t)(q - p));
	}
	free(xml);
	return t != NULL ? t : xstrdup("");
}
