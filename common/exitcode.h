/*
 * exitcode.h - the exit statuses every capplan command uses.
 *
 * One meaning per number across all commands, as documented in each man
 * page's EXIT STATUS: scripts test for 3 to tell "the answer is no" (no
 * feasible plan, a host over its limits) from "capplan failed" (1).
 */
#ifndef COMMON_EXITCODE_H
#define COMMON_EXITCODE_H

enum exit_code {
	EXIT_OK = 0,		/* success */
	EXIT_FAIL = 1,		/* bad input, I/O error, failed model */
	EXIT_USAGE = 2,		/* misuse: unknown option, missing operand */
	EXIT_NO = 3,		/* a valid "no": infeasible, over limits */
};

#endif
