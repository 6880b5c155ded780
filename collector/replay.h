/*
 * replay.h - the collector over recorded snapshots instead of the clock.
 */
#ifndef COLLECTOR_REPLAY_H
#define COLLECTOR_REPLAY_H

#include "collector/collect.h"

/*
 * Run the collector of cfg over the snapshot directory dir (see
 * replay.c for its layout) and stop at the last snapshot.  0, or -1 with
 * the error recorded.
 */
int replay_run(const char *dir, const struct collect_cfg *cfg);

#endif
