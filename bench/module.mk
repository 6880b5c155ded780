# bench/: benchmark tools (built by make bench) and scripts.
BENCH_TOOLS += $(B)/bench/gen-samples $(B)/bench/bare-csv $(B)/bench/rusage
BENCH_SCRIPTS += bench/ingest

$(B)/bench/gen-samples: $(B)/bench/gen-samples.o $(LIBCOMMON)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(LIBCOMMON) $(CSV_LIBS) -lm
$(B)/bench/bare-csv: $(B)/bench/bare-csv.o
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(CSV_LIBS)
$(B)/bench/rusage: $(B)/bench/rusage.o
	$(CC) $(ALL_LDFLAGS) -o $@ $<
# bench/profile: capplan profile over a generated fleet (model/)
BENCH_TOOLS += $(B)/bench/gen-fleet
BENCH_SCRIPTS += bench/profile
$(B)/bench/gen-fleet: $(B)/bench/gen-fleet.o $(LIBCOMMON)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(LIBCOMMON) $(CSV_LIBS) -lm
BENCH_SCRIPTS += bench/backtest
# bench/prometheus: capplan import prometheus --url against a Prometheus
# loaded with a synthetic fleet by promtool
BENCH_TOOLS += $(B)/bench/gen-openmetrics
BENCH_SCRIPTS += bench/prometheus
$(B)/bench/gen-openmetrics: $(B)/bench/gen-openmetrics.o
	$(CC) $(ALL_LDFLAGS) -o $@ $< -lm
