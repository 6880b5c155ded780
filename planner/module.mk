# planner/: packing heuristics, bounds, constraints, host choice, the plan
# and its files, provisioning output.  GLPK is used by pack_exact.c only.
PLANNER_SRC = planner/plan.c planner/plan_json.c planner/plan_csv.c
$(eval $(call module_lib,planner,$(PLANNER_SRC)))
ANALYST_LIBS += $(B)/libplanner.a

PLANNER_UNIT = plan_json
UNIT_TESTS += $(PLANNER_UNIT:%=$(B)/tests/unit/test_%)
