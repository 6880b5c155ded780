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
#   make lint             mandoc -T lint on the man pages
#   make install          to $(DESTDIR)$(PREFIX)
#   SANITIZE=1            ASan + UBSan;  DEVELOPER=1  -Werror

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
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

PKG_CONFIG ?= pkg-config
GSL_CFLAGS := $(shell $(PKG_CONFIG) --cflags gsl 2>/dev/null)
GSL_LIBS   := $(shell $(PKG_CONFIG) --libs gsl 2>/dev/null || echo -lgsl -lgslcblas -lm)
JSON_LIBS  := $(shell $(PKG_CONFIG) --libs jansson 2>/dev/null || echo -ljansson)
INI_LIBS   := $(shell $(PKG_CONFIG) --libs inih 2>/dev/null || echo -linih)
CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)
# libcsv ships no pkg-config file, so it is named directly
CSV_LIBS ?= -lcsv

# ---------------------------------------------------------------- objects
COMMON_SRC = common/error.c common/xalloc.c common/num.c common/strbuf.c \
	common/strmap.c common/csvio.c common/format.c common/series.c \
	common/table.c common/samples.c common/inventory.c common/hostcat.c
# the parts of common/ that need jansson or inih (not in capplan-collect)
COMMON_ANALYST_SRC = common/json.c common/conf.c common/policy.c \
	common/ofile.c
MODEL_SRC = model/model.c model/summary.c model/inspect.c model/cmd_inspect.c
CAPPLAN_SRC = capplan.c

COMMON_OBJ = $(COMMON_SRC:%.c=$(B)/%.o)
COMMON_ANALYST_OBJ = $(COMMON_ANALYST_SRC:%.c=$(B)/%.o)
MODEL_OBJ = $(MODEL_SRC:%.c=$(B)/%.o)
CAPPLAN_OBJ = $(CAPPLAN_SRC:%.c=$(B)/%.o)

LIBCOMMON = $(B)/libcommon.a
LIBANALYST = $(B)/libanalyst.a
LIBMODEL = $(B)/libmodel.a

PROGRAMS = capplan
BINS = $(PROGRAMS:%=$(B)/%)
CAPPLAN_LIBS = $(LIBMODEL) $(LIBANALYST) $(LIBCOMMON) $(GSL_LIBS) \
	$(JSON_LIBS) $(INI_LIBS) $(CSV_LIBS) -lm

# ./capplan is the plain build; the sanitised one stays in build/san
all: $(BINS)
ifneq ($(SANITIZE),1)
	@for p in $(PROGRAMS); do ln -sf $(B)/$$p $$p; done
endif

$(B)/model/%.o: EXTRA_CFLAGS = $(GSL_CFLAGS)

$(B)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(EXTRA_CFLAGS) -c -o $@ $<

$(LIBCOMMON): $(COMMON_OBJ)
	$(AR) rcs $@ $^
$(LIBANALYST): $(COMMON_ANALYST_OBJ)
	$(AR) rcs $@ $^
$(LIBMODEL): $(MODEL_OBJ)
	$(AR) rcs $@ $^

$(B)/capplan: $(CAPPLAN_OBJ) $(LIBMODEL) $(LIBANALYST) $(LIBCOMMON)
	$(CC) $(ALL_LDFLAGS) -o $@ $(CAPPLAN_OBJ) $(CAPPLAN_LIBS)

# ------------------------------------------------------------------ tests
UNIT_NAMES = num csvio strmap series format table samples conf json ofile \
	error summary
UNIT_TESTS = $(UNIT_NAMES:%=$(B)/tests/unit/test_%)

$(B)/tests/unit/test_summary.o: EXTRA_CFLAGS = $(GSL_CFLAGS)

$(B)/tests/unit/test_%: $(B)/tests/unit/test_%.o $(LIBMODEL) $(LIBANALYST) $(LIBCOMMON)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(LIBMODEL) $(LIBANALYST) $(LIBCOMMON) \
		$(GSL_LIBS) $(JSON_LIBS) $(INI_LIBS) $(CSV_LIBS) $(CMOCKA_LIBS) -lm

# the test scripts find the programs under test through CAPPLAN_BIN
check: all $(UNIT_TESTS)
	@CAPPLAN_BIN=$(B) sh tests/unit/run.sh $(UNIT_TESTS)
	@CAPPLAN_BIN=$(B) sh tests/cli/run.sh
	@CAPPLAN_BIN=$(B) sh tests/cli/doc-vs-help.sh

# valgrind's memcheck over the unit tests and the golden CLI tests
check-valgrind: all $(UNIT_TESTS)
	@VALGRIND=1 CAPPLAN_BIN=$(B) sh tests/unit/run.sh $(UNIT_TESTS)
	@VALGRIND=1 CAPPLAN_BIN=$(B) sh tests/cli/run.sh

# ------------------------------------------------------------------- demo
demo: all
	@sh scripts/demo

# ------------------------------------------------------------------ bench
BENCH_TOOLS = $(B)/bench/gen-samples $(B)/bench/bare-csv $(B)/bench/rusage

$(B)/bench/gen-samples: $(B)/bench/gen-samples.o $(LIBCOMMON)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(LIBCOMMON) $(CSV_LIBS) -lm
$(B)/bench/bare-csv: $(B)/bench/bare-csv.o
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(CSV_LIBS)
$(B)/bench/rusage: $(B)/bench/rusage.o
	$(CC) $(ALL_LDFLAGS) -o $@ $<

bench: all $(BENCH_TOOLS)
	@CAPPLAN_BIN=$(B) sh bench/ingest

# ------------------------------------------------------------------- lint
MANPAGES = $(wildcard man/*.[1-8])
lint:
	mandoc -T lint -W warning $(MANPAGES)

# ---------------------------------------------------------------- install
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8
	install -m 755 $(BINS) $(DESTDIR)$(BINDIR)/
	for p in $(MANPAGES); do \
		s=$${p##*.}; install -m 644 $$p $(DESTDIR)$(MANDIR)/man$$s/; \
	done

uninstall:
	for p in $(PROGRAMS); do rm -f $(DESTDIR)$(BINDIR)/$$p; done
	for p in $(MANPAGES); do \
		s=$${p##*.}; rm -f $(DESTDIR)$(MANDIR)/man$$s/$${p##*/}; \
	done

clean:
	rm -f $(PROGRAMS)
	rm -rf build tests/out

.PHONY: all check check-valgrind demo bench lint install uninstall clean

-include $(shell find $(B) -name '*.d' 2>/dev/null)
