# import/: capplan import, converters from other tools' data to samples.
# Uses common/ (jansson for the JSON formats); the libvirt importer
# samples through kvm/kvm.h, a plain-C header; promhttp.c is the only
# libcurl user.
IMPORT_SRC = import/import.c import/sink.c import/jscan.c \
	import/imp_sysstat.c import/imp_sysstat_json.c \
	import/imp_prometheus.c import/imp_promlive.c import/promql.c \
	import/promresp.c import/promhttp.c import/imp_planetlab.c \
	import/imp_bitbrains.c import/imp_collect.c import/imp_libvirt.c \
	import/sadf_run.c import/cmd_import.c
$(eval $(call module_lib,import,$(IMPORT_SRC)))
CURL_CFLAGS := $(shell $(PKG_CONFIG) --cflags libcurl 2>/dev/null)
CURL_LIBS := $(shell $(PKG_CONFIG) --libs libcurl 2>/dev/null || echo -lcurl)
$(call in_roots,import/promhttp.o): EXTRA_CFLAGS = $(CURL_CFLAGS)
EXT_LIBS += $(CURL_LIBS)
ANALYST_LIBS += $(B)/libimport.a

IMPORT_UNIT = import import_jscan import_sysstat import_prom unpack
UNIT_TESTS += $(IMPORT_UNIT:%=$(B)/tests/unit/test_%)
CHECK_SCRIPTS += tests/cli/import.sh tests/import/prometheus-live.sh
BENCH_SCRIPTS += bench/import
