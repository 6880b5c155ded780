/*
 * promresp.h - read a Prometheus HTTP API response held in memory.
 *
 * The live importer gets each response whole into a buffer (its size is
 * bounded by how the requests are cut) and walks it once, handing each
 * series and each point to callbacks: nothing of the response is built
 * as a tree, so a response costs its text and no more.  The walk is a
 * strict JSON reader; unknown members are skipped, in any order.
 */
#ifndef IMPORT_PROMRESP_H
#define IMPORT_PROMRESP_H

#include <stddef.h>

#define PROMRESP_LABELS_MAX 64

/* What the response's data is expected to be. */
enum promresp_kind {
	PROMRESP_MATRIX,	/* query_range */
	PROMRESP_VECTOR,	/* query */
	PROMRESP_STRINGS,	/* label values: an array of strings */
};

/* A series' labels, decoded; valid during the series callback. */
struct promresp_labels {
	size_t n;
	const char *name[PROMRESP_LABELS_MAX];
	const char *value[PROMRESP_LABELS_MAX];
};

struct promresp_ops {
	/* A series begins (matrix, vector); its points follow. */
	int (*series)(void *arg, const struct promresp_labels *l);
	/* A point of the series just begun: time in seconds, the value
	 * (NaN, +-Inf as Prometheus writes them). */
	int (*point)(void *arg, double t_s, double v);
	/* An element of a PROMRESP_STRINGS result. */
	int (*string)(void *arg, const char *s);
	void *arg;
};

/* The value of label name, or NULL. */
const char *promresp_label(const struct promresp_labels *l,
    const char *name);

/*
 * Walk buf[0..len) (buf[len] must be '\0'; the text is changed in
 * place while read and restored) as a response of kind: "status" must be
 * "success" (else the response's errorType and error are the message),
 * "data" of that kind.  ops may be NULL, and any of its callbacks: the
 * walk then only checks the response (promhttp.c reads an HTTP error's
 * body so).  A callback returning -1 stops the walk, with its
 * error kept.  Other errors: -1 with ERROR_DATA as "name:line:column:
 * what" (or ERROR_BACKEND "name: errorType: error" for an error
 * response).
 */
int promresp_parse(char *buf, size_t len, const char *name,
    enum promresp_kind kind, const struct promresp_ops *ops);

#endif
