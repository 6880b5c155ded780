# capplan - server capacity planning and consolidation.
#
# One non-recursive GNU Makefile.  Each library's flags go only to the
# folder allowed to use it (see STYLE: module boundaries): GSL to model/,
# jansson and inih to common/ and the cmd layers, libvirt to kvm/.
#
#   make [all]            build capplan and capplan-collect
#   make check            unit tests, golden CLI tests, integration tests
#   make demo             run the pipeline on samples/
#   make bench            benchmarks; results go to bench/README.md by hand
#   make mutate           the mutation score of the fast tests (minutes)
#   make lint             mandoc -T lint and man -l (groff, warnings) on the
#                         man pages, source rules
#   make install          to $(DESTDIR)$(PREFIX)
#   make deb              build/deb/capplan-collect_<version>-1_<arch>.deb,
#                         the agent and its systemd unit (scripts/make-deb)
#   SANITIZE=1            ASan + UBSan;  DEVELOPER=1  -Werror

.DEFAULT_GOAL := all

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBEXECDIR ?= $(PREFIX)/libexec/capplan
MANDIR ?= $(PREFIX)/share/man
CFLAGS ?= -O2 -g
VERSION = 0.1.0

STD  = -std=c11 -D_POSIX_C_SOURCE=200809L -I.
WARN = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
       -Wpointer-arith -Wcast-qual -Wwrite-strings -Wformat=2 -Wvla \
       -Wno-format-nonliteral
ifeq ($(DEVELOPER),1)
WARN += -Werror
endif
ifeq ($(SANITIZE),1)
SAN = -fsanitize=address,undefined -fno-omit-frame-pointer \
      -fno-sanitize-recover=undefined
endif
# objects of each flavour live apart, so "make check SANITIZE=1" after a
# plain build never links plain objects into a sanitised program
ifeq ($(SANITIZE),1)
B = build/san
else
B = build/std
endif

ALL_CFLAGS = $(STD) $(WARN) $(SAN) $(CFLAGS) -DCAPPLAN_VERSION='"$(VERSION)"' -MMD -MP
ALL_LDFLAGS = $(SAN) $(LDFLAGS)

# The fuzzing flavour (make fuzz, tests/fuzz/module.mk): every library
# again, compiled by clang with libFuzzer's coverage and ASan + UBSan,
# whatever SANITIZE says; its objects live in build/fuzz, so the normal
# build never sees them.  Per-folder flags name their objects with
# $(call in_roots,PATTERN), which gives PATTERN under both roots.
FZ = build/fuzz
FUZZ_CC ?= clang
FUZZ_OPT ?= -O1 -g
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer
FUZZ_CFLAGS = $(STD) $(WARN) $(FUZZ_SAN) -fsanitize=fuzzer-no-link \
	$(FUZZ_OPT) -DCAPPLAN_VERSION='"$(VERSION)"' -MMD -MP
FUZZ_LDFLAGS = $(FUZZ_SAN) -fsanitize=fuzzer $(LDFLAGS)
in_roots = $(B)/$(1) $(FZ)/$(1)

PKG_CONFIG ?= pkg-config
GSL_CFLAGS := $(shell $(PKG_CONFIG) --cflags gsl 2>/dev/null)
GSL_LIBS   := $(shell $(PKG_CONFIG) --libs gsl 2>/dev/null || echo -lgsl -lgslcblas -lm)
JSON_LIBS  := $(shell $(PKG_CONFIG) --libs jansson 2>/dev/null || echo -ljansson)
INI_LIBS   := $(shell $(PKG_CONFIG) --libs inih 2>/dev/null || echo -linih)
CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)
# libcsv ships no pkg-config file, so it is named directly
CSV_LIBS ?= -lcsv

# ---------------------------------------------------------------- modules
# common/ is built here; every other folder has a module.mk that adds its
# library to ANALYST_LIBS (linked into capplan), its programs to PROGRAMS,
# its unit tests to UNIT_TESTS and its external libraries to EXT_LIBS.
# Each library's compile flags stay in its own folder's module.mk.
COMMON_SRC = common/error.c common/xalloc.c common/num.c common/strbuf.c \
	common/strmap.c common/csvio.c common/format.c common/series.c \
	common/table.c common/samples.c common/inventory.c common/hostcat.c \
	common/existing.c common/utf8.c
# the parts of common/ that need jansson, inih, zlib or liblzma (not in
# capplan-collect)
COMMON_ANALYST_SRC = common/json.c common/conf.c common/policy.c common/tz.c \
	common/ofile.c common/unpack.c

LIBCOMMON = $(B)/libcommon.a
LIBANALYST = $(B)/libanalyst.a
$(LIBCOMMON): $(COMMON_SRC:%.c=$(B)/%.o)
	rm -f $@ && $(AR) rcs $@ $^
$(LIBANALYST): $(COMMON_ANALYST_SRC:%.c=$(B)/%.o)
	rm -f $@ && $(AR) rcs $@ $^
$(FZ)/libcommon.a: $(COMMON_SRC:%.c=$(FZ)/%.o)
	rm -f $@ && $(AR) rcs $@ $^
$(FZ)/libanalyst.a: $(COMMON_ANALYST_SRC:%.c=$(FZ)/%.o)
	rm -f $@ && $(AR) rcs $@ $^

PROGRAMS = capplan
# programs capplan runs elsewhere (kvm/: the guest replayer)
LIBEXEC_BINS =
ANALYST_LIBS =
# gzip and xz (common/unpack.c: compressed imports, the guest kernel)
ZLIB_LIBS := $(shell $(PKG_CONFIG) --libs zlib 2>/dev/null || echo -lz)
LZMA_LIBS := $(shell $(PKG_CONFIG) --libs liblzma 2>/dev/null || echo -llzma)
EXT_LIBS = $(JSON_LIBS) $(INI_LIBS) $(CSV_LIBS) $(ZLIB_LIBS) $(LZMA_LIBS) -lm
UNIT_TESTS =
# shell tests make check runs after the unit tests; CHECK_DEPS what they need
CHECK_SCRIPTS = tests/cli/run.sh tests/cli/doc-vs-help.sh tests/cli/install.sh \
	tests/cli/samples-reproducible.sh tests/cli/source-rules.sh \
	tests/cli/fuzz.sh tests/cli/output-targets.sh tests/cli/stdout-full.sh \
	tests/cli/policy-scale.sh tests/cli/csv-formulas.sh tests/cli/utf8.sh \
	tests/cli/build-O0.sh tests/mutate/smoke.sh
CHECK_DEPS =
BENCH_TOOLS =
BENCH_SCRIPTS =

# $(call module_lib,NAME,SOURCES): $(B)/libNAME.a from SOURCES, and the
# fuzzing flavour's $(FZ)/libNAME.a
define module_lib
$(B)/lib$(1).a: $(2:%.c=$(B)/%.o)
	rm -f $$@ && $$(AR) rcs $$@ $$^
$(FZ)/lib$(1).a: $(2:%.c=$(FZ)/%.o)
	rm -f $$@ && $$(AR) rcs $$@ $$^
endef

include $(sort $(wildcard */module.mk))

BINS = $(PROGRAMS:%=$(B)/%)
# Dependencies point one way (STYLE.md, module boundaries): each library
# comes before the ones it uses, and no link group hides a cycle.
LINK_ORDER = import reports kvm planner model
ifneq ($(sort $(ANALYST_LIBS)),$(sort $(LINK_ORDER:%=$(B)/lib%.a)))
$(error LINK_ORDER ($(LINK_ORDER)) must name every module library: $(ANALYST_LIBS))
endif
LINK_ANALYST = $(LINK_ORDER:%=$(B)/lib%.a) $(LIBANALYST) $(LIBCOMMON) \
	$(EXT_LIBS)

# the libFuzzer harnesses (make fuzz; a smoke run in make check), linked
# in LINK_ORDER too
include tests/fuzz/module.mk

# ./capplan is the plain build; the sanitised one stays in build/san
all: $(BINS) $(LIBEXEC_BINS)
ifneq ($(SANITIZE),1)
	@for p in $(PROGRAMS); do ln -sf $(B)/$$p $$p; done
endif

$(B)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(EXTRA_CFLAGS) -c -o $@ $<

$(FZ)/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(EXTRA_CFLAGS) -c -o $@ $<

$(B)/capplan: $(B)/capplan.o $(ANALYST_LIBS) $(LIBANALYST) $(LIBCOMMON)
	$(CC) $(ALL_LDFLAGS) -o $@ $(B)/capplan.o $(LINK_ANALYST)

# ------------------------------------------------------------------ tests
COMMON_UNIT = num csvio strmap series format table samples conf json ofile \
	error utf8 tz
UNIT_TESTS += $(COMMON_UNIT:%=$(B)/tests/unit/test_%)

$(B)/tests/unit/test_%: $(B)/tests/unit/test_%.o $(ANALYST_LIBS) $(LIBANALYST) $(LIBCOMMON)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(LINK_ANALYST) $(CMOCKA_LIBS)

# the test scripts find the programs under test through CAPPLAN_BIN; all
# of them run, and check fails at the end if any failed.  SKIP_KVM=1
# leaves out the scripts that start libvirtd and QEMU guests (tests/kvm/),
# for a machine shared with someone who uses them; .ci/run never sets it.
# CHECK_SKIP="script ..." leaves out those scripts, each said; .ci/run's
# sanitiser pass uses it for the scripts it would only run twice.
CHECK_KVM = $(if $(SKIP_KVM),$(filter-out tests/kvm/%,$(CHECK_SCRIPTS)),$(CHECK_SCRIPTS))
CHECK_RUN = $(filter-out $(CHECK_SKIP),$(CHECK_KVM))
check: all $(UNIT_TESTS) $(CHECK_DEPS)
	@CAPPLAN_BIN=$(B) sh tests/unit/run.sh $(UNIT_TESTS); f=$$?; \
	$(if $(SKIP_KVM),echo "SKIP  tests/kvm/: SKIP_KVM is set";) \
	$(foreach t,$(filter $(CHECK_SKIP),$(CHECK_KVM)),echo "SKIP  $(t): in CHECK_SKIP";) \
	for t in $(CHECK_RUN); do \
		t0=$$(date +%s); \
		CAPPLAN_BIN=$(B) sh $$t || f=1; \
		echo "      ($$t: $$(( $$(date +%s) - t0 )) s)"; \
	done; \
	if [ $$f = 0 ]; then echo "check: all passed"; \
	else echo "check: FAILED"; fi; exit $$f

# the unit test programs, built; and their names (for tests/mutate/)
unit-tests: $(UNIT_TESTS)
print-unit-tests:
	@echo $(UNIT_TESTS)

# the mutation score of the fast tests (minutes: not in .ci/run); the
# list is tests/mutate/mutants, the scratch copy is never the work tree
mutate: all $(UNIT_TESTS)
	nice -n 15 /usr/bin/python3 tests/mutate/mutate.py

# valgrind's memcheck over the unit tests and the golden CLI tests, in
# as many shards at once as the machine has CPUs (393 s in one on 2)
NCPU := $(shell getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
check-valgrind: all $(UNIT_TESTS)
	@VALGRIND=1 TEST_JOBS=$(NCPU) CAPPLAN_BIN=$(B) sh tests/unit/run.sh $(UNIT_TESTS)
	@VALGRIND=1 TEST_JOBS=$(NCPU) CAPPLAN_BIN=$(B) sh tests/cli/run.sh

# ------------------------------------------------------------------- demo
demo: all
	@sh scripts/demo

# ------------------------------------------------------------------ bench
# bench/module.mk and others add BENCH_TOOLS and BENCH_SCRIPTS;
# "make bench BENCH=ingest" runs one
bench: all $(BENCH_TOOLS)
	@for t in $(if $(BENCH),$(BENCH:%=bench/%),$(BENCH_SCRIPTS)); do \
		echo "== $$t"; CAPPLAN_BIN=$(B) sh $$t || exit 1; \
	done

# ------------------------------------------------------------------- lint
MANPAGES = $(wildcard man/*.[1-8])
# mandoc's lint, then groff as man(1) runs it, with all of groff's
# warnings on: the pages must render clean under both
lint:
	mandoc -T lint -W warning $(MANPAGES)
	@f=0; for p in $(MANPAGES); do \
		w=$$(MANWIDTH=80 man --warnings=w -l $$p 2>&1 >/dev/null); \
		if [ -n "$$w" ]; then echo "$$p: man -l (groff):"; \
			echo "$$w" | sed 's/^/      /'; f=1; fi; \
	done; [ $$f = 0 ] && echo "ok    man -l (groff) with warnings:" \
		"$(words $(MANPAGES)) pages clean"; exit $$f
	@sh tests/cli/source-rules.sh

# ---------------------------------------------------------------- install
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(LIBEXECDIR)
	install -m 755 $(BINS) $(DESTDIR)$(BINDIR)/
	install -m 755 $(LIBEXEC_BINS) $(DESTDIR)$(LIBEXECDIR)/
	for p in $(MANPAGES); do \
		s=$${p##*.}; install -m 644 $$p $(DESTDIR)$(MANDIR)/man$$s/; \
	done

uninstall:
	for p in $(PROGRAMS); do rm -f $(DESTDIR)$(BINDIR)/$$p; done
	for p in $(LIBEXEC_BINS); do rm -f $(DESTDIR)$(LIBEXECDIR)/$${p##*/}; done
	for p in $(MANPAGES); do \
		s=$${p##*.}; rm -f $(DESTDIR)$(MANDIR)/man$$s/$${p##*/}; \
	done

clean:
	rm -f $(PROGRAMS)
	rm -rf build tests/out

# ------------------------------------------------------------------- deb
# the agent as a Debian package, from the plain build (a sanitised
# program needs its runtime and is not for servers)
deb: $(B)/capplan-collect
ifeq ($(SANITIZE),1)
	@echo "make deb: packages the plain build; run it without SANITIZE=1" >&2; exit 2
endif
	sh scripts/make-deb $(B)/capplan-collect $(VERSION) build/deb

.PHONY: all check check-valgrind demo bench lint install uninstall clean deb unit-tests print-unit-tests mutate

-include $(shell find $(B) $(FZ) -name '*.d' 2>/dev/null)
