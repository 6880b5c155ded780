/*
 * guest-tool.c - start and stop capplan's test guests, for shell tests.
 *
 *   guest-tool kernel KERNEL WORKDIR
 *       print the kernel file to boot (kvm/kernel.c: the bzImage's
 *       vmlinux unpacked into WORKDIR for a PVH boot, else KERNEL) on
 *       stdout and how it boots on stderr; exit 1 if KERNEL is unreadable.
 *   guest-tool probe URI KERNEL INITRD WORKDIR
 *       print "kvm" or "qemu" (what runs guests here) on stdout and the
 *       probe's timings on stderr; exit 3 if neither runs a guest, 1 if
 *       the probe itself failed (libvirt refused the domain, say).
 *   guest-tool start URI TYPE NAME KERNEL INITRD WORKDIR DUTY VCPUS MIB
 *       [DISK]
 *       boot a transient guest burning DUTY % of its vCPUs, with its
 *       console in WORKDIR/NAME.log, a virtio balloon reporting every
 *       second, a tap NIC (named after a hash of NAME, so concurrent
 *       tests do not collide) and DISK as vda when given; wait until its
 *       init runs its load and print the seconds it took.  The wait is
 *       $GUEST_TOOL_WAIT_S seconds, 150 when unset: TCG on a slow or
 *       loaded machine is slow, so the shell tests scale it by the
 *       probe's boot time.
 *   guest-tool destroy URI NAME
 *       destroy the guest if it runs (exit 0 either way).
 *
 * Built on kvm/hypervisor.c and planner/domxml.c, the code capplan uses, so
 * the shell tests exercise the real probe and XML.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/strbuf.h"
#include "kvm/hypervisor.h"
#include "kvm/kernel.h"

/* the wait for a guest's load: $GUEST_TOOL_WAIT_S, else 150 s */
static double
wait_s(void)
{
	const char *s = getenv("GUEST_TOOL_WAIT_S");
	double w = s != NULL ? strtod(s, NULL) : 0;

	return w > 0 ? w : 150.0;
}

static int
kernel(const char *path, const char *workdir)
{
	struct kernel_boot kb;

	if (kernel_prepare(path, workdir, &kb) == -1) {
		fprintf(stderr, "guest-tool: %s\n", error_last_msg());
		return 1;
	}
	fprintf(stderr, "guest-tool: kernel %s: %s\n", path, kb.how);
	printf("%s\n", kb.path);
	kernel_boot_release(&kb);
	return 0;
}

static int
probe(virConnectPtr conn, char **a)
{
	struct hv_probe p;

	if (hypervisor_probe(conn, a[0], a[1], "capplan-guest: ready", a[2],
	    8.0, wait_s(), &p) == -1) {
		fprintf(stderr, "guest-tool: %s\n", error_last_msg());
		/* 3: a valid "no", neither runs guests; 1: it could not tell */
		return error_last_kind() == ERROR_UNSUPPORTED ? 3 : 1;
	}
	if (p.kind == HV_TCG)
		fprintf(stderr, "guest-tool: KVM not used: %s\n", p.kvm_why);
	fprintf(stderr, "guest-tool: %s guest reached init in %.1f s\n",
	    hypervisor_type(p.kind), p.boot_s);
	printf("%s\n", hypervisor_type(p.kind));
	return 0;
}

/* FNV-1a of s, 32 bits. */
static unsigned long
name_hash(const char *s)
{
	unsigned long h = 2166136261UL;

	for (; *s != '\0'; s++)
		h = ((h ^ (unsigned char)*s) * 16777619UL) & 0xffffffffUL;
	return h;
}

static int
start(virConnectPtr conn, char **a, int n)
{
	struct strbuf log = STRBUF_INIT, cmd = STRBUF_INIT, tap = STRBUF_INIT;
	struct domxml g;
	virDomainPtr dom;
	double secs = 0;
	int rc;

	domxml_init(&g);
	strbuf_addf(&log, "%s/%s.log", a[4], a[1]);
	strbuf_addf(&cmd, GUEST_CMDLINE " capplan.duty=%s",
	    a[5]);
	/* a tap name of its own per guest name (test names carry a pid) */
	strbuf_addf(&tap, "cpt%08lx", name_hash(a[1]));
	g.type = a[0];
	g.name = a[1];
	g.kernel = a[2];
	g.initrd = a[3];
	g.cmdline = cmd.buf;
	g.vcpus = (unsigned)strtoul(a[6], NULL, 10);
	g.mem_mib = strtoul(a[7], NULL, 10);
	g.serial = DOMXML_SERIAL_FILE;
	g.serial_path = log.buf;
	g.disk = n > 8 ? a[8] : NULL;
	g.disk_format = "raw";
	g.tap = tap.buf;
	g.balloon = true;
	g.balloon_period_s = 1;
	rc = guest_boot(conn, &g, "capplan-guest: running", wait_s(), &dom,
	    &secs);
	if (rc == 1) {
		printf("%.1f\n", secs);
		virDomainFree(dom);
	} else if (rc == 0)
		fprintf(stderr, "guest-tool: %s did not start its load in "
		    "%.0f s; console in %s\n", g.name, wait_s(), log.buf);
	else
		fprintf(stderr, "guest-tool: %s\n", error_last_msg());
	strbuf_release(&log);
	strbuf_release(&cmd);
	strbuf_release(&tap);
	return rc == 1 ? 0 : 1;
}

static int
destroy(virConnectPtr conn, const char *name)
{
	virDomainPtr dom = virDomainLookupByName(conn, name);

	if (dom != NULL) {
		virDomainDestroy(dom);
		virDomainFree(dom);
	}
	return 0;
}

int
main(int argc, char **argv)
{
	virConnectPtr conn;
	int rc = 2;

	if (argc == 4 && strcmp(argv[1], "kernel") == 0)
		return kernel(argv[2], argv[3]);
	if (argc < 3) {
		fprintf(stderr, "usage: guest-tool kernel KERNEL WORKDIR | "
		    "probe|start|destroy URI ...\n");
		return 2;
	}
	kvm_silence();
	conn = virConnectOpen(argv[2]);
	if (conn == NULL) {
		kvm_error("cannot connect to libvirt");
		fprintf(stderr, "guest-tool: %s\n", error_last_msg());
		return 1;
	}
	if (strcmp(argv[1], "probe") == 0 && argc == 6)
		rc = probe(conn, argv + 3);
	else if (strcmp(argv[1], "start") == 0 && (argc == 11 || argc == 12))
		rc = start(conn, argv + 3, argc - 3);
	else if (strcmp(argv[1], "destroy") == 0 && argc == 4)
		rc = destroy(conn, argv[3]);
	else
		fprintf(stderr, "guest-tool: bad arguments\n");
	virConnectClose(conn);
	return rc;
}
