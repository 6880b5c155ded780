# planner/: packing heuristics, bounds, constraints, host choice, the plan
# and its files, provisioning output.  GLPK is used by pack_exact.c only.
PLANNER_SRC = planner/plan.c planner/plan_json.c planner/plan_csv.c \
	planner/pack.c planner/pack_run.c planner/pack_search.c \
	planner/pack_ffd.c planner/pack_bfd.c planner/pack_index.c planner/pack_bcs.c \
	planner/pack_dot.c planner/pack_l2.c planner/bound.c \
	planner/pack_exact.c planner/pack_repair.c planner/pack_ha.c \
	planner/demand.c planner/candidates.c planner/build.c planner/explain.c \
	planner/zones.c planner/ha.c planner/pack_balance.c planner/brownfield.c planner/storage.c planner/growth.c \
	planner/added.c \
	planner/diagnose.c planner/backtest.c planner/backtest_json.c \
	planner/cmd_backtest.c planner/sizing.c planner/waves.c \
	planner/cmd_plan.c planner/domxml.c planner/provision.c planner/hostmap.c planner/guestnet.c \
	planner/cmd_provision.c
$(eval $(call module_lib,planner,$(PLANNER_SRC)))
ANALYST_LIBS += $(B)/libplanner.a
# the portfolio runs its heuristics on every core
EXT_LIBS += -pthread -lglpk

PLANNER_UNIT = plan_json pack pack_index pack_search bound plan backtest \
	waves
UNIT_TESTS += $(PLANNER_UNIT:%=$(B)/tests/unit/test_%)

# benchmarks: bench/quality (heuristics vs known optima)
BENCH_TOOLS += $(B)/bench/quality-run
BENCH_SCRIPTS += bench/quality
$(B)/bench/quality-run: $(B)/bench/quality-run.o $(B)/libplanner.a $(LIBCOMMON)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(LINK_ANALYST)

# bench/planetlab (time-aware vs peak-based on the 10 PlanetLab days)
BENCH_TOOLS += $(B)/bench/planetlab-run
BENCH_SCRIPTS += bench/planetlab
$(B)/bench/planetlab-run: $(B)/bench/planetlab-run.o $(B)/bench/config-lp.o \
		$(B)/libplanner.a $(LIBCOMMON)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(B)/bench/config-lp.o $(LINK_ANALYST)
# its configuration LP estimate, on hand-worked instances
UNIT_TESTS += $(B)/tests/unit/test_config_lp
$(B)/tests/unit/test_config_lp: $(B)/tests/unit/test_config_lp.o \
		$(B)/bench/config-lp.o $(ANALYST_LIBS) $(LIBCOMMON)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(B)/bench/config-lp.o $(LINK_ANALYST) \
	    $(CMOCKA_LIBS)
CHECK_SCRIPTS += tests/cli/plan-check.sh
CHECK_SCRIPTS += tests/cli/provision.sh tests/cli/provision-rerun.sh

# bench/scale (10,000 and 100,000 servers x 168 slots x 4 resources);
# plan-check.sh plans a small fleet of it too
BENCH_TOOLS += $(B)/bench/gen-profiles
CHECK_DEPS += $(B)/bench/gen-profiles
BENCH_SCRIPTS += bench/scale
$(B)/bench/gen-profiles: $(B)/bench/gen-profiles.o $(ANALYST_LIBS) $(LIBCOMMON)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(LINK_ANALYST)
