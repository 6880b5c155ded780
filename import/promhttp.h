/*
 * promhttp.h - calls to a Prometheus server's HTTP API, through libcurl.
 *
 * The only libcurl user.  One connection is kept and reused; a call that
 * fails for a reason that may pass (no connection, a timeout, HTTP 429,
 * 502, 503 or 504) is tried again after a wait that doubles each time.
 * A failure is recorded once with the URL, what was asked (the query)
 * and the server's own words: the "errorType: error" of its JSON, else
 * the first line of its answer.  TLS peers are checked against the
 * system's CA store (libcurl's default); redirects are not followed, so
 * credentials go to the server named and nowhere else.
 *
 * Secrets (a password, a bearer token) are read from files, handed to
 * libcurl only, wiped when the client is freed, and never part of a
 * message: a URL holding a password is refused without being echoed.
 */
#ifndef IMPORT_PROMHTTP_H
#define IMPORT_PROMHTTP_H

#include <stdbool.h>
#include <stddef.h>

struct promhttp_opts {
	const char *url;		/* http:// or https://, maybe a path */
	const char *user;		/* basic authentication, or NULL */
	const char *password_file;	/* its password (first line) */
	const char *token_file;		/* a bearer token (first line) */
	double timeout_s;		/* per attempt */
	int retries;			/* attempts after the first */
	double backoff_s;		/* the first wait */
};

struct promhttp;

/*
 * A client for o->url.  NULL with ERROR_USAGE for a URL that is not
 * http(s), holds credentials or a query, or auth options that do not go
 * together; ERROR_IO when a secret file cannot be read.
 */
struct promhttp *promhttp_new(const struct promhttp_opts *o);
void promhttp_free(struct promhttp *c);

/* The server's URL as given, for messages (never holds a secret). */
const char *promhttp_url(const struct promhttp *c);

/*
 * Call path (such as "/api/v1/query_range") with params, n name/value
 * pairs (params[2i], params[2i+1]), as a form POST or, when post is
 * false, a GET.  what says what was asked, for messages ("query
 * cpu_busy_pct: 100 * ...").  On HTTP 2xx, 0 and the body in *body
 * (NUL-terminated, *len bytes; valid until the next call; the reader
 * may change it).  -1 with ERROR_BACKEND otherwise.
 */
int promhttp_call(struct promhttp *c, bool post, const char *path,
    const char *const *params, size_t n, const char *what, char **body,
    size_t *len);

/* Bytes of response bodies received so far. */
double promhttp_bytes(const struct promhttp *c);

#endif
