/*
 * src_net.c - network traffic from /proc/net/dev, physical interfaces only.
 *
 * Host totals add up the interfaces with a device behind them in sysfs
 * (/sys/class/net/<if>/device): loopback, bridges, veth, tun/tap, VLANs
 * and bond masters have none, so traffic is not counted two or three
 * times (research §3.4).  Bond slaves are physical and are counted.
 *
 * The counters are 64-bit, but some drivers wrap at 2^32.  A counter that
 * went back is a reset (the interface was re-registered) unless it came
 * from above 2^31 and the wrapped delta fits the link speed; a transient
 * zero read as a wrap is how netdata and beats shipped petabyte spikes.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "collector/cmath.h"
#include "collector/source.h"
#include "common/error.h"
#include "common/num.h"
#include "common/xalloc.h"

#define NETDEV "proc/net/dev"
#define U32 4294967296.0

/* /proc/net/dev column (0-based, after "name:") of each counter */
static const int field_of[NC_N] = {
	[NC_RX_BYTES] = 0, [NC_RX_PKTS] = 1, [NC_RX_ERRS] = 2,
	[NC_RX_DROP] = 3, [NC_TX_BYTES] = 8, [NC_TX_PKTS] = 9,
	[NC_TX_ERRS] = 10, [NC_TX_DROP] = 11,
};

/* Classify name once: physical or not, and its speed (sysfs). */
static bool
nic_physical(struct probe *p, const char *name, double *speed_mbps)
{
	const char *line, *why;
	size_t v;
	long mbps;
	bool phys;

	if (!strmap_get(&p->nic_phys, name, &v)) {
		phys = strcmp(name, "lo") != 0 &&
		    probe_exists(p, "sys/class/net/%s/device", name);
		line = phys ? probe_line(p, "sys/class/net/%s/speed", name) :
		    NULL;
		/* -1 or EINVAL (no link, virtio) mean unknown */
		if (line == NULL || num_parse_long_range(line, 1, 100000000,
		    &mbps, &why) == -1)
			mbps = 0;
		v = (size_t)mbps << 1 | (phys ? 1 : 0);
		strmap_put(&p->nic_phys, name, v, NULL);
	}
	*speed_mbps = v >> 1 ? (double)(v >> 1) : NAN;
	return v & 1;
}

static int
parse_line(struct probe *p, struct net_reading *nr, const char *s,
    const char *path, size_t line)
{
	uint64_t f[16];
	struct nic_stat *ns;
	const char *colon, *nl;
	size_t len, n;
	int c;

	s += strspn(s, " \t");
	colon = strchr(s, ':');
	nl = strchr(s, '\n');
	if (colon == NULL || colon == s || (nl != NULL && nl < colon))
		return error_at(ERROR_DATA, path, line, 1,
		    "expected 'interface: counters'");
	len = (size_t)(colon - s);
	s = colon + 1;
	for (n = 0; n < 16 && scan_u64(&s, &f[n]); n++)
		;
	if (n < 12)
		return error_at(ERROR_DATA, path, line, n + 2,
		    "expected 16 counters, found %zu", n);
	if (len >= DEV_NAME_MAX)
		return 0;
	ALLOC_GROW(nr->nic, nr->n + 1, nr->cap);
	ns = &nr->nic[nr->n++];
	memcpy(ns->name, colon - len, len);
	ns->name[len] = '\0';
	for (c = 0; c < NC_N; c++)
		ns->c[c] = f[field_of[c]];
	ns->physical = nic_physical(p, ns->name, &ns->speed_mbps);
	return 0;
}

static int
net_read(struct probe *p, struct reading *r)
{
	struct net_reading *nr = &r->net;
	const char *s, *nl, *path;
	size_t line = 1;

	nr->ok = false;
	nr->n = 0;
	if (probe_read(p, NETDEV, &p->text) == -1)
		return -1;
	path = probe_path(p, NETDEV);
	for (s = p->text.buf; *s != '\0'; s = nl + 1, line++) {
		nl = strchr(s, '\n');
		if (nl == NULL)
			nl = s + strlen(s) - 1;
		if (line > 2 && parse_line(p, nr, s, path, line) == -1)
			return -1;
	}
	nr->ok = true;
	return 0;
}

/* Δ of a counter; false when it went back and is not a 32-bit wrap. */
static bool
net_delta(uint64_t a, uint64_t b, double dt_s, double speed_mbps, bool bytes,
    uint64_t *d)
{
	if (counter_delta(a, b, d))
		return true;
	if ((double)a < U32 / 2 || (double)a >= U32 || isnan(speed_mbps))
		return false;
	*d = (uint64_t)(b + U32 - a);
	/* bytes within 1.1 x the link; packets of at least 64 bytes */
	return (double)*d / dt_s <= 1.1 * speed_mbps * 1e6 / 8 /
	    (bytes ? 1.0 : 64.0);
}

static bool
add_nic(struct devs_acc *da, const struct nic_stat *a,
    const struct nic_stat *b, double dt_s, double *rx, double *tx)
{
	struct dev_acc *acc = devs_acc_get(da, b->name);
	uint64_t d[NC_N];
	int c;

	acc->seen = true;
	for (c = 0; c < NC_N; c++)
		if (!net_delta(a->c[c], b->c[c], dt_s, b->speed_mbps,
		    c == NC_RX_BYTES || c == NC_TX_BYTES, &d[c])) {
			acc->reset = true;
			return false;
		}
	for (c = 0; c < NC_N; c++)
		acc->d[c] += d[c];
	*rx = (double)d[NC_RX_BYTES] / 1024.0 / dt_s;
	*tx = (double)d[NC_TX_BYTES] / 1024.0 / dt_s;
	acc->dt_s += dt_s;
	acc->nsub++;
	acc->max_a = cm_max(acc->max_a, *rx);
	acc->max_b = cm_max(acc->max_b, *tx);
	return true;
}

static void
net_add(struct accum *a, const struct reading *prev,
    const struct reading *cur, double dt_s)
{
	const struct net_reading *pn = &prev->net, *cn = &cur->net;
	const struct nic_stat *ps;
	double rx = 0.0, tx = 0.0, r1, t1;
	size_t i, nphys = 0, nprev = 0;
	bool clean = true;

	if (!pn->ok || !cn->ok)
		return;
	for (i = 0; i < pn->n; i++)
		nprev += pn->nic[i].physical;
	for (i = 0; i < cn->n; i++) {
		if (!cn->nic[i].physical)
			continue;
		nphys++;
		ps = dev_find(pn->nic, pn->n, sizeof(*pn->nic), i,
		    cn->nic[i].name);
		if (ps == NULL || !ps->physical) {
			a->flags |= FLAG_DEV_CHANGE;
			continue;
		}
		nprev--;
		if (!add_nic(&a->net, ps, &cn->nic[i], dt_s, &r1, &t1)) {
			a->flags |= FLAG_COUNTER_RESET;
			a->net.reset = true;
			clean = false;
			continue;
		}
		rx += r1;
		tx += t1;
	}
	if (nprev > 0)
		a->flags |= FLAG_DEV_CHANGE;
	if (nphys == 0)
		return;
	a->net.any = true;
	a->net.nsub++;
	if (clean) {
		a->net.max_a = cm_max(a->net.max_a, rx);
		a->net.max_b = cm_max(a->net.max_b, tx);
	}
}

static void
nic_cells(const struct dev_acc *acc, double *v)
{
	double dt = acc->dt_s;

	v[NET_RX_KIBPS] = (double)acc->d[NC_RX_BYTES] / 1024.0 / dt;
	v[NET_TX_KIBPS] = (double)acc->d[NC_TX_BYTES] / 1024.0 / dt;
	v[NET_RX_PKTS_PER_S] = (double)acc->d[NC_RX_PKTS] / dt;
	v[NET_TX_PKTS_PER_S] = (double)acc->d[NC_TX_PKTS] / dt;
	v[NET_ERRORS_PER_S] = (double)(acc->d[NC_RX_ERRS] +
	    acc->d[NC_TX_ERRS]) / dt;
	v[NET_DROPS_PER_S] = (double)(acc->d[NC_RX_DROP] +
	    acc->d[NC_TX_DROP]) / dt;
	v[NET_RX_MAX_KIBPS] = acc->max_a;
	v[NET_TX_MAX_KIBPS] = acc->max_b;
}

static void
nic_rows(const struct accum *a, const struct reading *last, struct row *row)
{
	const struct dev_acc *acc;
	struct dev_row *dr;
	size_t i, k;

	for (i = 0; i < a->net.n; i++) {
		acc = &a->net.dev[i];
		ALLOC_GROW(row->nic, row->nnic + 1, row->niccap);
		dr = &row->nic[row->nnic++];
		memcpy(dr->name, acc->name, sizeof(dr->name));
		dr->flags = acc->reset ? FLAG_COUNTER_RESET : 0;
		if (acc->nsub != a->net.nsub || dev_find(last->net.nic,
		    last->net.n, sizeof(*last->net.nic), i, acc->name) == NULL)
			dr->flags |= FLAG_DEV_CHANGE;
		for (k = 0; k < NETCOL_N; k++)
			dr->v[k] = NAN;
		if (!acc->reset && acc->nsub > 0 && acc->dt_s > 0.0)
			nic_cells(acc, dr->v);
	}
}

static void
net_finish(const struct accum *a, const struct reading *last,
    struct row *row)
{
	double rx = 0.0, tx = 0.0;
	size_t i;

	nic_rows(a, last, row);
	if (!a->net.any || a->dt_s <= 0.0)
		return;
	row->v[METRIC_NET_RX_MAX_KIBPS] = a->net.max_a;
	row->v[METRIC_NET_TX_MAX_KIBPS] = a->net.max_b;
	if (a->net.reset)
		return;
	for (i = 0; i < a->net.n; i++) {
		rx += (double)a->net.dev[i].d[NC_RX_BYTES];
		tx += (double)a->net.dev[i].d[NC_TX_BYTES];
	}
	row->v[METRIC_NET_RX_KIBPS] = rx / 1024.0 / a->dt_s;
	row->v[METRIC_NET_TX_KIBPS] = tx / 1024.0 / a->dt_s;
}

static void
net_reset(struct accum *a)
{
	struct dev_acc *dev = a->net.dev;
	size_t cap = a->net.cap;

	memset(&a->net, 0, sizeof(a->net));
	a->net.dev = dev;
	a->net.cap = cap;
	a->net.max_a = a->net.max_b = NAN;
}

const struct source source_net = {
	"net", net_read, net_add, net_finish, net_reset, false,
};
