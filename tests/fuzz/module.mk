# tests/fuzz/: the libFuzzer harnesses, one per reader (tests/fuzz/harnesses
# lists them).  They are built in the fuzzing flavour: objects in $(FZ)
# (build/fuzz), compiled by $(FUZZ_CC) with -fsanitize=fuzzer-no-link and
# ASan + UBSan and the same per-folder flags as the normal build (see
# FUZZ_CFLAGS and in_roots in the Makefile); the harnesses link with
# -fsanitize=fuzzer.
#
#   make fuzz [FUZZ_SECONDS=N]   build and run each harness N s (default 10)
#   make fuzz-build              build them only
#
# make check runs tests/fuzz/smoke.sh, about a minute over all of them;
# when clang or its fuzzer runtime is missing it is a skipped check.
FUZZ_HARNESSES := $(shell sed -n 's/^\([a-z_][a-z_]*\)[[:space:]].*/\1/p' \
	tests/fuzz/harnesses)
FUZZ_BINS = $(FUZZ_HARNESSES:%=$(FZ)/tests/fuzz/fuzz_%)
FUZZ_SECONDS ?= 10
FUZZ_LIBS = $(LINK_ORDER:%=$(FZ)/lib%.a) $(FZ)/libanalyst.a $(FZ)/libcommon.a
FUZZ_LINK = $(FUZZ_LIBS) $(EXT_LIBS)
FUZZLIB = $(FZ)/tests/fuzz/fuzzlib.o
FUZZIMPORT = $(FZ)/tests/fuzz/fuzzimport.o
# memfd_create() and nftw() need _GNU_SOURCE; the collector's harness
# copies samples/proc from the source tree
$(FZ)/tests/fuzz/%.o: EXTRA_CFLAGS = -D_GNU_SOURCE -DFUZZ_SRCDIR='"$(CURDIR)"'

# the collector's harness links what capplan-collect links, no more
$(FZ)/tests/fuzz/fuzz_proc: $(FZ)/tests/fuzz/fuzz_proc.o $(FUZZLIB) \
		$(FZ)/libcollector.a $(FZ)/libcommon.a
	$(FUZZ_CC) $(FUZZ_LDFLAGS) -o $@ $< $(FUZZLIB) $(FZ)/libcollector.a \
		$(FZ)/libcommon.a $(CSV_LIBS) -lm
FUZZ_IMPORTERS = sysstat sysstat_json prometheus planetlab bitbrains collect
$(FUZZ_IMPORTERS:%=$(FZ)/tests/fuzz/fuzz_%): $(FZ)/tests/fuzz/fuzz_%: \
		$(FZ)/tests/fuzz/fuzz_%.o $(FUZZLIB) $(FUZZIMPORT) $(FUZZ_LIBS)
	$(FUZZ_CC) $(FUZZ_LDFLAGS) -o $@ $< $(FUZZLIB) $(FUZZIMPORT) $(FUZZ_LINK)
FUZZ_READERS = $(filter-out proc $(FUZZ_IMPORTERS),$(FUZZ_HARNESSES))
$(FUZZ_READERS:%=$(FZ)/tests/fuzz/fuzz_%): $(FZ)/tests/fuzz/fuzz_%: \
		$(FZ)/tests/fuzz/fuzz_%.o $(FUZZLIB) $(FUZZ_LIBS)
	$(FUZZ_CC) $(FUZZ_LDFLAGS) -o $@ $< $(FUZZLIB) $(FUZZ_LINK)

# whether clang can build a libFuzzer program, asked only when a goal
# needs the answer (it compiles a test program)
ifneq ($(filter check fuzz fuzz-build,$(MAKECMDGOALS)),)
FUZZ_HAVE := $(shell FUZZ_CC='$(FUZZ_CC)' sh tests/fuzz/have-fuzzer \
	>/dev/null 2>&1 && echo yes)
endif
ifeq ($(FUZZ_HAVE),yes)
CHECK_DEPS += $(FUZZ_BINS)
fuzz-build: $(FUZZ_BINS)
else
fuzz-build:
	@FUZZ_CC='$(FUZZ_CC)' sh tests/fuzz/have-fuzzer; exit 1
endif
fuzz: fuzz-build
	@sh tests/fuzz/run.sh $(FUZZ_SECONDS)
CHECK_SCRIPTS += tests/fuzz/smoke.sh

.PHONY: fuzz fuzz-build
