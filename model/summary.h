/*
 * summary.h - min, mean, a quantile and max of a stream, in bounded memory.
 *
 * The quantile is exact (GSL, sorted data) while the stream has at most
 * SUMMARY_EXACT_MAX values and a P-square estimate (Jain & Chlamtac 1985,
 * GSL's gsl_rstat_quantile) beyond, so inspecting a file of any size
 * needs the same memory; summary_quantile() says which it gave.  Plain C
 * types only: callers outside model/ never see GSL.
 */
#ifndef MODEL_SUMMARY_H
#define MODEL_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>

#define SUMMARY_EXACT_MAX 65536

struct summary;

/* A summary tracking the q-quantile (0 < q < 1). */
struct summary *summary_new(double q);
void summary_free(struct summary *s);
/* Add a value; NaN is ignored (not measured). */
void summary_add(struct summary *s, double v);
size_t summary_count(const struct summary *s);
double summary_min(const struct summary *s);
double summary_max(const struct summary *s);
double summary_mean(const struct summary *s);
/* The q-quantile, NaN when empty; *estimated tells P-square from exact. */
double summary_quantile(struct summary *s, bool *estimated);

#endif
