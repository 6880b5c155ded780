# collector/: capplan-collect, the agent.  Links libc, libcsv and
# libcommon.a only (no GSL, libvirt or jansson: tests/collector/ldd.sh
# checks the linked program).  Linux interfaces (timerfd, signalfd,
# renameat2, flock) need _GNU_SOURCE, in this folder only.
COLLECT_SRC = collector/probe.c collector/source.c collector/src_cpu.c \
	collector/src_mem.c collector/src_disk.c collector/src_net.c \
	collector/src_psi.c collector/src_inv.c collector/sampler.c \
	collector/stream.c collector/output.c collector/collect.c \
	collector/replay.c
$(eval $(call module_lib,collector,$(COLLECT_SRC)))
$(call in_roots,collector/%.o): EXTRA_CFLAGS = -D_GNU_SOURCE

# libcsv is linked statically (8 KiB), so the agent needs nothing on a
# server but its C library; libm is not linked at all (cmath.h)
PROGRAMS += capplan-collect
COLLECT_LINK = $(B)/libcollector.a $(LIBCOMMON) -Wl,-Bstatic $(CSV_LIBS) \
	-Wl,-Bdynamic
$(B)/capplan-collect: $(B)/collector/main.o $(B)/libcollector.a $(LIBCOMMON)
	$(CC) $(ALL_LDFLAGS) -o $@ $(B)/collector/main.o $(COLLECT_LINK)

# unit tests: linked with the collector's objects and libcommon.a only
COLLECT_UNIT = collector collector_stream
UNIT_TESTS += $(COLLECT_UNIT:%=$(B)/tests/unit/test_%)
$(COLLECT_UNIT:%=$(B)/tests/unit/test_%.o): EXTRA_CFLAGS = -D_GNU_SOURCE
$(COLLECT_UNIT:%=$(B)/tests/unit/test_%): $(B)/tests/unit/test_%: \
		$(B)/tests/unit/test_%.o $(B)/libcollector.a $(LIBCOMMON)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(COLLECT_LINK) $(CMOCKA_LIBS)

# integration tests (make check): linkage, the fake trees are what
# make-trees makes, unprivileged run and systemd unit, a full tmpfs,
# SIGKILL at random moments, side by side with sar, used disk space as
# df sees it
CHECK_SCRIPTS += tests/collector/ldd.sh tests/collector/trees.sh \
	tests/collector/replay-dir.sh tests/collector/unpriv.sh \
	tests/collector/signals.sh \
	tests/collector/enospc.sh \
	tests/collector/sigkill.sh tests/collector/sar.sh tests/collector/df.sh \
	tests/collector/deb.sh

# make bench BENCH=collector: against sysstat's sadc (bench/README.md)
BENCH_SCRIPTS += bench/collector
CHECK_DEPS += $(B)/capplan-collect
