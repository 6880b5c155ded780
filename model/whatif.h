/*
 * whatif.h - one host model, some servers on it: the contention report.
 *
 * whatif_report() turns profiles into guests (sized vCPUs and memory,
 * slot demand per resource), evaluates them on a host model of the
 * catalog with model/contention.h under the policy's headroom and
 * overcommit limits, and describes the result as a JSON object, from
 * which capplan whatif prints text or JSON (capplan-whatif(1) lists the
 * members).  The checks against the policy are listed in "violations":
 * the limits, and the rules capplan plan enforces (keep physical,
 * affinity, anti-affinity, pins); an empty list means the host can take
 * the servers.
 */
#ifndef MODEL_WHATIF_H
#define MODEL_WHATIF_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "common/hostcat.h"
#include "common/inventory.h"
#include "common/policy.h"
#include "model/profile.h"

/*
 * The report of the profiles named in names (nnames of them; all of ps
 * when nnames is 0) on host model m under policy pol; inv (may be NULL)
 * gives the servers' tags for keep_tags.  *over is set when any policy
 * limit or rule is broken.  A new object, or NULL with the error
 * recorded (a name with no profile, a server with no memory size, a bad
 * host model).
 */
json_t *whatif_report(const struct host_model *m,
    const struct profile_set *ps, char *const *names, size_t nnames,
    const struct policy *pol, const struct inventory *inv, bool *over);

#endif
