/*
 * hypervisor.c - boot a test guest and watch for its marker; the probe.
 *
 * A guest "works" when its init prints a marker on the serial console,
 * which libvirt has QEMU write to a file.  Polling the file every 50 ms
 * is enough: the boot takes seconds, and this stays free of libvirt's
 * event loop and console streams.  Probe guests are transient
 * (virDomainCreateXML), so nothing is left defined if capplan dies.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libvirt/virterror.h>

#include "common/clock.h"
#include "common/error.h"
#include "common/strbuf.h"
#include "kvm/hypervisor.h"

#define POLL_NS 50000000L	/* 50 ms */
#define LOG_MAX 65536		/* read at most this much of a console log */

static void
quiet(void *data, virErrorPtr err)
{
	(void)data;
	(void)err;
}

void
kvm_silence(void)
{
	static bool done;

	if (!done)
		virSetErrorFunc(NULL, quiet);
	done = true;
}

int
kvm_error(const char *what)
{
	const char *msg = virGetLastErrorMessage();

	return error_set(ERROR_BACKEND, "%s: %s", what, msg != NULL ? msg :
	    "unknown libvirt error");
}

const char *
hypervisor_type(enum hv_kind kind)
{
	return kind == HV_KVM ? "kvm" : "qemu";
}

/* Does the file at path contain marker (in its first LOG_MAX bytes)? */
static bool
log_has(const char *path, const char *marker)
{
	static char buf[LOG_MAX + 1];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd == -1)
		return false;
	n = read(fd, buf, LOG_MAX);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	/* the console may hold NUL bytes before the marker */
	for (ssize_t i = 0; i < n; i += (ssize_t)strlen(buf + i) + 1)
		if (strstr(buf + i, marker) != NULL)
			return true;
	return false;
}

int
guest_boot(virConnectPtr conn, const struct domxml *d,
    const char *marker, double timeout_s, virDomainPtr *dom, double *secs)
{
	struct timespec poll = { 0, POLL_NS };
	struct strbuf xml = STRBUF_INIT;
	double t0 = mono_now_s();
	int fd;

	assert(d->serial == DOMXML_SERIAL_FILE);
	*dom = NULL;
	fd = open(d->serial_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0644);
	if (fd != -1)
		close(fd);
	domxml_add(&xml, d);
	*dom = virDomainCreateXML(conn, xml.buf, 0);
	strbuf_release(&xml);
	if (*dom == NULL)
		return kvm_error(d->name);
	while (!log_has(d->serial_path, marker)) {
		if (mono_now_s() - t0 > timeout_s) {
			virDomainDestroy(*dom);
			virDomainFree(*dom);
			*dom = NULL;
			return 0;
		}
		nanosleep(&poll, NULL);
	}
	*secs = mono_now_s() - t0;
	return 1;
}

/* Does libvirt offer domain type kvm for x86_64 here? */
static bool
kvm_offered(virConnectPtr conn, char *why, size_t size)
{
	char *caps;
	bool ok;

	if (access("/dev/kvm", F_OK) != 0) {
		snprintf(why, size, "/dev/kvm does not exist");
		return false;
	}
	caps = virConnectGetCapabilities(conn);
	ok = caps != NULL && strstr(caps, "<domain type='kvm'") != NULL;
	free(caps);
	if (!ok)
		snprintf(why, size, "libvirt offers no kvm domain type");
	return ok;
}

/* Boot a probe guest of kind; 1 works, 0 does not, -1 error. */
static int
probe_one(virConnectPtr conn, enum hv_kind kind, const char *kernel,
    const char *initrd, const char *marker, const char *workdir,
    double timeout_s, double *secs)
{
	struct strbuf log = STRBUF_INIT, name = STRBUF_INIT;
	struct domxml g;
	virDomainPtr dom;
	int rc;

	domxml_init(&g);
	strbuf_addf(&log, "%s/probe-%s.log", workdir, hypervisor_type(kind));
	strbuf_addf(&name, "capplan-probe-%s-%ld", hypervisor_type(kind),
	    (long)getpid());
	g.name = name.buf;
	g.type = hypervisor_type(kind);
	g.kernel = kernel;
	g.initrd = initrd;
	g.cmdline = GUEST_CMDLINE " capplan.duty=0";
	g.vcpus = 1;
	g.mem_mib = 128;
	g.serial = DOMXML_SERIAL_FILE;
	g.serial_path = log.buf;
	rc = guest_boot(conn, &g, marker, timeout_s, &dom, secs);
	if (rc == 1) {
		virDomainDestroy(dom);
		virDomainFree(dom);
	}
	strbuf_release(&log);
	strbuf_release(&name);
	return rc;
}

int
hypervisor_probe(virConnectPtr conn, const char *kernel, const char *initrd,
    const char *marker, const char *workdir, double kvm_timeout_s,
    double tcg_timeout_s, struct hv_probe *p)
{
	int rc;

	memset(p, 0, sizeof(*p));
	p->kvm_tried = kvm_offered(conn, p->kvm_why, sizeof(p->kvm_why));
	if (p->kvm_tried) {
		p->kvm_waited_s = kvm_timeout_s;
		rc = probe_one(conn, HV_KVM, kernel, initrd, marker, workdir,
		    kvm_timeout_s, &p->boot_s);
		if (rc == -1)
			snprintf(p->kvm_why, sizeof(p->kvm_why), "%s",
			    error_last_msg());
		else if (rc == 0)
			snprintf(p->kvm_why, sizeof(p->kvm_why), "a KVM guest "
			    "did not reach its init in %.0f s (nested KVM "
			    "that hangs?)", kvm_timeout_s);
		if (rc == 1) {
			p->kind = HV_KVM;
			return 0;
		}
	}
	p->kind = HV_TCG;
	rc = probe_one(conn, HV_TCG, kernel, initrd, marker, workdir,
	    tcg_timeout_s, &p->boot_s);
	if (rc == 0)
		return error_set(ERROR_UNSUPPORTED, "no hypervisor runs guests "
		    "here: KVM: %s; a QEMU TCG guest did not reach its init "
		    "in %.0f s either", p->kvm_why, tcg_timeout_s);
	return rc == 1 ? 0 : -1;
}
