/*
 * promhttp.c - the Prometheus HTTP client (see promhttp.h).
 *
 * Bodies are collected in one strbuf reused by every call: a response's
 * size is bounded by how the importer cuts its requests, and a server
 * that sends more than RESPONSE_MAX is stopped rather than believed.
 */
#include <curl/curl.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/error.h"
#include "common/strbuf.h"
#include "common/xalloc.h"
#include "import/promhttp.h"
#include "import/promresp.h"

#define RESPONSE_MAX ((size_t)512 << 20)
#define SECRET_MAX 4096

struct promhttp {
	CURL *curl;
	char *base;		/* the URL without a trailing '/' */
	char *secret;		/* password or token, wiped at free */
	struct strbuf body;
	struct strbuf url;	/* of the current call */
	struct strbuf form;
	char errbuf[CURL_ERROR_SIZE];
	bool too_big;
	double timeout_s, backoff_s;
	int retries;
	double bytes;
};

static void
wipe(char *s)
{
	volatile char *v = s;

	while (v != NULL && *v != '\0')
		*v++ = '\0';
}

/* The first line of file into *out (a new string); not empty. */
static int
read_secret(const char *file, const char *opt, char **out)
{
	char buf[SECRET_MAX + 2];
	FILE *fp = fopen(file, "r");
	size_t n;

	if (fp == NULL)
		return error_set_errno(ERROR_IO, "%s: cannot open '%s'", opt,
		    file);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	n = strlen(buf);
	if (n == 0 || n > SECRET_MAX) {
		wipe(buf);
		return error_set(ERROR_USAGE, "%s: '%s' %s", opt, file, n == 0 ?
		    "has an empty first line" : "has a first line over 4096 "
		    "bytes");
	}
	*out = xstrdup(buf);
	wipe(buf);
	return 0;
}

/* Is url an http(s) URL without credentials, query or fragment? */
static int
check_url(const char *url)
{
	CURLU *u = curl_url();
	char *part = NULL;
	int ret = -1;

	if (u == NULL)
		xalloc_oom(sizeof(void *));
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK)
		ret = error_set(ERROR_USAGE, "--url: '%s' is not a URL", url);
	else if (curl_url_get(u, CURLUPART_USER, &part, 0) == CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PASSWORD, &part, 0) == CURLUE_OK)
		ret = error_set(ERROR_USAGE, "--url: the URL holds "
		    "credentials: give them with --user and --password-file");
	else if (curl_url_get(u, CURLUPART_SCHEME, &part, 0) != CURLUE_OK ||
	    (strcmp(part, "http") != 0 && strcmp(part, "https") != 0))
		ret = error_set(ERROR_USAGE, "--url: '%s' is not an http:// or "
		    "https:// URL", url);
	else if (strpbrk(url, "?#") != NULL)
		ret = error_set(ERROR_USAGE, "--url: '%s' has a query or a "
		    "fragment: give the server's address only", url);
	else
		ret = 0;
	curl_free(part);
	curl_url_cleanup(u);
	return ret;
}

static size_t
on_data(char *data, size_t size, size_t n, void *arg)
{
	struct promhttp *c = arg;

	if (c->body.len + size * n > RESPONSE_MAX) {
		c->too_big = true;
		return 0;
	}
	strbuf_add(&c->body, data, size * n);
	return size * n;
}

static int
auth_opts(struct promhttp *c, const struct promhttp_opts *o)
{
	if (o->token_file != NULL && (o->user != NULL ||
	    o->password_file != NULL))
		return error_set(ERROR_USAGE, "--bearer-token-file goes with "
		    "neither --user nor --password-file");
	if ((o->user != NULL) != (o->password_file != NULL))
		return error_set(ERROR_USAGE, "--user and --password-file go "
		    "together");
	if (o->token_file != NULL) {
		if (read_secret(o->token_file, "--bearer-token-file",
		    &c->secret) == -1)
			return -1;
		curl_easy_setopt(c->curl, CURLOPT_HTTPAUTH, CURLAUTH_BEARER);
		curl_easy_setopt(c->curl, CURLOPT_XOAUTH2_BEARER, c->secret);
	} else if (o->user != NULL) {
		if (read_secret(o->password_file, "--password-file",
		    &c->secret) == -1)
			return -1;
		curl_easy_setopt(c->curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
		curl_easy_setopt(c->curl, CURLOPT_USERNAME, o->user);
		curl_easy_setopt(c->curl, CURLOPT_PASSWORD, c->secret);
	}
	return 0;
}

struct promhttp *
promhttp_new(const struct promhttp_opts *o)
{
	struct promhttp *c;
	size_t n;

	if (check_url(o->url) == -1)
		return NULL;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		error_set(ERROR_BACKEND, "libcurl cannot start");
		return NULL;
	}
	c = xcalloc(1, sizeof(*c));
	c->curl = curl_easy_init();
	if (c->curl == NULL)
		xalloc_oom(sizeof(void *));
	n = strlen(o->url);
	while (n > 0 && o->url[n - 1] == '/')
		n--;
	c->base = xstrndup(o->url, n);
	c->timeout_s = o->timeout_s;
	c->retries = o->retries;
	c->backoff_s = o->backoff_s;
	strbuf_init(&c->body);
	strbuf_init(&c->url);
	strbuf_init(&c->form);
	curl_easy_setopt(c->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c->curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, c);
	curl_easy_setopt(c->curl, CURLOPT_ERRORBUFFER, c->errbuf);
	curl_easy_setopt(c->curl, CURLOPT_TIMEOUT_MS,
	    (long)(o->timeout_s * 1000));
	curl_easy_setopt(c->curl, CURLOPT_CONNECTTIMEOUT_MS,
	    (long)(fmin(o->timeout_s, 10) * 1000));
	curl_easy_setopt(c->curl, CURLOPT_USERAGENT, "capplan/"
	    CAPPLAN_VERSION);
	if (auth_opts(c, o) == -1) {
		promhttp_free(c);
		return NULL;
	}
	return c;
}

void
promhttp_free(struct promhttp *c)
{
	if (c == NULL)
		return;
	curl_easy_cleanup(c->curl);
	wipe(c->secret);
	free(c->secret);
	free(c->base);
	strbuf_release(&c->body);
	strbuf_release(&c->url);
	strbuf_release(&c->form);
	free(c);
	curl_global_cleanup();
}

const char *
promhttp_url(const struct promhttp *c)
{
	return c->base;
}

double
promhttp_bytes(const struct promhttp *c)
{
	return c->bytes;
}

/* name=value&... into sb, escaped. */
static void
add_params(struct promhttp *c, struct strbuf *sb, const char *const *params,
    size_t n)
{
	char *v;
	size_t i;

	for (i = 0; i < n; i++) {
		v = curl_easy_escape(c->curl, params[2 * i + 1], 0);
		if (v == NULL)
			xalloc_oom(strlen(params[2 * i + 1]) * 3);
		strbuf_addf(sb, "%s%s=%s", i > 0 ? "&" : "", params[2 * i], v);
		curl_free(v);
	}
}

/* May a failure with this code and HTTP status pass if tried again? */
static bool
transient(CURLcode rc, long status)
{
	switch (rc) {
	case CURLE_OK:
		return status == 429 || status == 502 || status == 503 ||
		    status == 504;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
		return true;
	default:
		return false;
	}
}

static void
pause_s(double s)
{
	struct timespec ts;

	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* The server's words for an HTTP error: its JSON error, else its first
 * line (printable characters only, at most 200). */
static void
server_words(struct promhttp *c, struct strbuf *out)
{
	char *b = c->body.buf;
	size_t i;

	if (promresp_parse(b, c->body.len, "", PROMRESP_STRINGS, NULL) == -1 &&
	    error_last_kind() == ERROR_BACKEND) {
		strbuf_addstr(out, error_last_msg() + 2);	/* after ": " */
		return;
	}
	for (i = 0; i < c->body.len && i < 200 && b[i] != '\n' &&
	    b[i] != '\r'; i++)
		strbuf_addch(out, (unsigned char)b[i] >= 0x20 &&
		    (unsigned char)b[i] < 0x7f ? b[i] : '?');
	if (i == 0)
		strbuf_addstr(out, "(no message)");
}

/* Record the failure of the last attempt. */
static int
call_error(struct promhttp *c, const char *path, const char *what,
    CURLcode rc, long status, int attempts)
{
	struct strbuf sb = STRBUF_INIT;
	int ret;

	if (rc == CURLE_OK) {
		strbuf_addf(&sb, "HTTP %ld: ", status);
		server_words(c, &sb);
	} else if (c->too_big)
		strbuf_addf(&sb, "the response is over %zu MiB",
		    RESPONSE_MAX >> 20);
	else if (rc == CURLE_OPERATION_TIMEDOUT)
		strbuf_addf(&sb, "no complete answer within %g s (--timeout)",
		    c->timeout_s);
	else
		strbuf_addstr(&sb, c->errbuf[0] != '\0' ? c->errbuf :
		    curl_easy_strerror(rc));
	if (attempts > 1)
		strbuf_addf(&sb, " (%d attempts)", attempts);
	ret = error_set(ERROR_BACKEND, "%s%s: %s: %s", c->base, path, what,
	    sb.buf);
	strbuf_release(&sb);
	return ret;
}

static CURLcode
attempt(struct promhttp *c, long *status)
{
	CURLcode rc;

	strbuf_reset(&c->body);
	c->errbuf[0] = '\0';
	c->too_big = false;
	*status = 0;
	rc = curl_easy_perform(c->curl);
	curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, status);
	c->bytes += (double)c->body.len;
	return rc;
}

int
promhttp_call(struct promhttp *c, bool post, const char *path,
    const char *const *params, size_t n, const char *what, char **body,
    size_t *len)
{
	double wait_s = c->backoff_s;
	CURLcode rc;
	long status;
	int tries = 0;

	strbuf_reset(&c->url);
	strbuf_reset(&c->form);
	strbuf_addf(&c->url, "%s%s%s", c->base, path, !post && n > 0 ? "?" :
	    "");
	add_params(c, post ? &c->form : &c->url, params, n);
	if (post) {
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, c->form.buf);
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE,
		    (long)c->form.len);
	} else
		curl_easy_setopt(c->curl, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(c->curl, CURLOPT_URL, c->url.buf);
	for (;;) {
		rc = attempt(c, &status);
		tries++;
		if (rc == CURLE_OK && status >= 200 && status < 300)
			break;
		if (!transient(rc, status) || tries > c->retries || c->too_big)
			return call_error(c, path, what, rc, status, tries);
		pause_s(wait_s);
		wait_s *= 2;
	}
	*body = c->body.buf;
	*len = c->body.len;
	return 0;
}
