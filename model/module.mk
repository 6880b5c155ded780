# model/: statistics, profiles, contention, cost.  The only GSL user.
MODEL_SRC = model/model.c model/summary.c model/inspect.c model/cmd_inspect.c
# cost.c: power, energy, cooling, TCO; shared by planner/ and reports/
MODEL_SRC += model/cost.c
# profiles, CPU normalisation, contention (capplan profile, whatif)
MODEL_SRC += model/profile.c model/cpu_table.c model/profile_build.c \
	model/profile_run.c model/cmd_profile.c model/profile_notes.c \
	model/contention.c model/whatif.c model/cmd_whatif.c \
	model/validation.c
$(eval $(call module_lib,model,$(MODEL_SRC)))
ANALYST_LIBS += $(B)/libmodel.a
EXT_LIBS += $(GSL_LIBS) -pthread
$(call in_roots,model/%.o): EXTRA_CFLAGS = $(GSL_CFLAGS)

MODEL_UNIT = summary
MODEL_UNIT += cost
MODEL_UNIT += profile cpu_table contention validation whatif
CHECK_SCRIPTS += tests/cli/cpu-table-reproducible.sh tests/cli/profile-vs-awk.sh
UNIT_TESTS += $(MODEL_UNIT:%=$(B)/tests/unit/test_%)
$(MODEL_UNIT:%=$(B)/tests/unit/test_%.o): EXTRA_CFLAGS = $(GSL_CFLAGS)
