/*
 * profile_run.c - the fleet driver behind capplan profile: files to
 * hosts, workers, the spill file.  The steps are described in
 * profile_run.h.
 *
 * Workers are POSIX threads taking the next item (file or host) from a
 * shared counter.  Errors are recorded per thread (common/error.c keeps
 * the last error per thread); a failing item's message is copied into
 * the run, and only the failure with the lowest item number is kept, so
 * a run with two bad files always names the same one.  Items after a
 * failure are skipped; items before it still run, since they might fail
 * too and come first.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/error.h"
#include "common/samples.h"
#include "common/sort.h"
#include "common/strbuf.h"
#include "common/strmap.h"
#include "common/xalloc.h"
#include "model/profile_run.h"

#define WORKERS_MAX 64
/* a worker hands its rows of a host-column file over at this size */
#define LOCAL_MAX_BYTES (8u << 20)
#define NONE SIZE_MAX

/* a run of one host's samples from one file, in memory or spilled */
struct chunk {
	struct host_sample *mem;	/* NULL: in the spill file at off */
	size_t n;
	off_t off;
};

struct hostent {
	char *name;
	struct chunk *chunks;
	size_t nchunks, chunks_cap;
	size_t *files;		/* files without a host column: all its rows */
	size_t nfiles, files_cap;
};

struct run_state {
	struct profile_run *run;
	char **paths;		/* to open */
	const char **names;	/* to name in messages */
	size_t npaths;
	bool *has_host;		/* per file */
	struct samples_stats *st;	/* per file */
	struct strmap index;	/* host name -> hosts[] */
	struct hostent *hosts;
	size_t nhosts, hosts_cap;
	size_t *order;		/* hosts[] indexes by name */
	struct profile *results;	/* per order[] position */
	bool *built;
	size_t *dups;
	/* the spill file */
	size_t mem_bytes;
	int spill_fd;
	off_t spill_off;
	char *stdin_tmp;
	/* the work queue and the first failure */
	pthread_mutex_t lock;
	size_t next, fail_at;
	char *fail_msg;
	enum error_kind fail_kind;
};

/* rows of one host-column file, by host, before they are handed over */
struct local {
	struct strmap index;
	char **names;
	struct chunk *vec;	/* mem and n; cap in caps[] */
	size_t *caps;
	size_t n, cap, bytes;
};

struct worker {
	struct run_state *rs;
	int (*fn)(struct worker *w, size_t i);
	size_t nitems;
	pthread_t tid;
	uint32_t src;		/* the file being read */
	struct local local;
	struct host_sample *buf;	/* one host's samples */
	size_t n, cap;
};

/* The hostent of name, created when new; called with the lock held or
 * before the workers start. */
static struct hostent *
host_get(struct run_state *rs, const char *name)
{
	size_t i;

	if (strmap_get(&rs->index, name, &i))
		return &rs->hosts[i];
	ALLOC_GROW(rs->hosts, rs->nhosts + 1, rs->hosts_cap);
	memset(&rs->hosts[rs->nhosts], 0, sizeof(rs->hosts[0]));
	rs->hosts[rs->nhosts].name = xstrdup(name);
	strmap_put(&rs->index, name, rs->nhosts, NULL);
	return &rs->hosts[rs->nhosts++];
}

/* ------------------------------------------------------------ workers */

static void
run_fail(struct run_state *rs, size_t i)
{
	pthread_mutex_lock(&rs->lock);
	if (i < rs->fail_at) {
		rs->fail_at = i;
		free(rs->fail_msg);
		rs->fail_msg = xstrdup(error_last_msg());
		rs->fail_kind = error_last_kind();
	}
	pthread_mutex_unlock(&rs->lock);
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct run_state *rs = w->rs;
	size_t i;

	for (;;) {
		pthread_mutex_lock(&rs->lock);
		i = rs->next++;
		pthread_mutex_unlock(&rs->lock);
		if (i >= w->nitems || i > rs->fail_at)
			break;
		if (w->fn(w, i) == -1)
			run_fail(rs, i);
	}
	return NULL;
}

/*
 * Run fn on items 0 to n - 1 on the workers.  Returns 0, or -1 with the
 * error of the lowest failing item recorded in this thread.
 */
static int
par_for(struct run_state *rs, struct worker *w, unsigned nw, size_t n,
    int (*fn)(struct worker *, size_t))
{
	unsigned k;

	rs->next = 0;
	rs->fail_at = NONE;
	for (k = 0; k < nw; k++) {
		w[k].fn = fn;
		w[k].nitems = n;
	}
	/* fewer threads when one cannot be created: the work still gets done */
	for (k = 1; k < nw && k < n; k++)
		if (pthread_create(&w[k].tid, NULL, worker_main, &w[k]) != 0)
			break;
	worker_main(&w[0]);	/* the calling thread works too */
	while (--k > 0)
		pthread_join(w[k].tid, NULL);
	if (rs->fail_at == NONE)
		return 0;
	return error_set(rs->fail_kind, "%s", rs->fail_msg);
}

/* ----------------------------------------------- step 1: the headers */

static int
header_seen(const struct samples_header *h, void *ctx)
{
	*(bool *)ctx = h->has_host;
	return CSV_STOP;
}

static int
header_row(const struct sample *s, void *ctx)
{
	(void)s;
	(void)ctx;
	return 0;
}

static int
scan_header(struct worker *w, size_t i)
{
	static const struct samples_ops ops = { header_seen, header_row };
	struct run_state *rs = w->rs;

	return samples_read_named(rs->paths[i], rs->names[i], &ops,
	    &rs->has_host[i], NULL);
}

/* Give every file without a host column to the host it is named after. */
static void
assign_stem_files(struct run_state *rs)
{
	struct hostent *h;
	char *name;
	size_t i;

	for (i = 0; i < rs->npaths; i++) {
		if (rs->has_host[i])
			continue;
		name = samples_host_from_path(rs->names[i]);
		h = host_get(rs, name);
		ALLOC_GROW(h->files, h->nfiles + 1, h->files_cap);
		h->files[h->nfiles++] = i;
		free(name);
	}
}

/* ------------------------------- step 2: files with a host column */

static int
spill_open(struct run_state *rs)
{
	const char *dir = getenv("TMPDIR");
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s/capplan-profile-spill-XXXXXX", dir != NULL &&
	    *dir != '\0' ? dir : "/tmp");
	rs->spill_fd = mkstemp(sb.buf);
	if (rs->spill_fd == -1) {
		error_set_errno(ERROR_IO, "cannot create a spill file '%s'",
		    sb.buf);
		strbuf_release(&sb);
		return -1;
	}
	unlink(sb.buf);		/* gone when closed, even after a crash */
	strbuf_release(&sb);
	return 0;
}

static int
write_all(int fd, const void *buf, size_t len, off_t off)
{
	const char *p = buf;
	ssize_t k;

	while (len > 0) {
		k = pwrite(fd, p, len, off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return error_set_errno(ERROR_IO,
			    "cannot write the spill file");
		p += k;
		len -= (size_t)k;
		off += k;
	}
	return 0;
}

/* Move every chunk held in memory to the spill file; lock held. */
static int
spill_all(struct run_state *rs)
{
	struct chunk *c;
	size_t i, j, len;

	if (rs->spill_fd == -1 && spill_open(rs) == -1)
		return -1;
	for (i = 0; i < rs->nhosts; i++)
		for (j = 0; j < rs->hosts[i].nchunks; j++) {
			c = &rs->hosts[i].chunks[j];
			if (c->mem == NULL)
				continue;
			len = c->n * sizeof(*c->mem);
			if (write_all(rs->spill_fd, c->mem, len,
			    rs->spill_off) == -1)
				return -1;
			c->off = rs->spill_off;
			rs->spill_off += (off_t)len;
			rs->run->spilled_bytes += len;
			rs->mem_bytes -= len;
			free(c->mem);
			c->mem = NULL;
		}
	return 0;
}

/* Hand the worker's rows over to the hosts, spilling when over budget. */
static int
local_flush(struct worker *w)
{
	struct run_state *rs = w->rs;
	struct local *l = &w->local;
	struct hostent *h;
	size_t i;
	int ret = 0;

	pthread_mutex_lock(&rs->lock);
	for (i = 0; i < l->n; i++) {
		if (l->vec[i].n == 0)
			continue;
		h = host_get(rs, l->names[i]);
		ALLOC_GROW(h->chunks, h->nchunks + 1, h->chunks_cap);
		h->chunks[h->nchunks++] = l->vec[i];
		rs->mem_bytes += l->vec[i].n * sizeof(struct host_sample);
		l->vec[i].mem = NULL;
		l->vec[i].n = l->caps[i] = 0;
	}
	l->bytes = 0;
	if (rs->mem_bytes > rs->run->budget_bytes)
		ret = spill_all(rs);
	pthread_mutex_unlock(&rs->lock);
	return ret;
}

static void
local_release(struct local *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->names[i]);
		free(l->vec[i].mem);
	}
	free(l->names);
	free(l->vec);
	free(l->caps);
	strmap_release(&l->index);
	memset(l, 0, sizeof(*l));
	strmap_init(&l->index);
}

/* is row s outside the run's window? */
static bool
outside(const struct profile_run *run, const struct sample *s)
{
	return run->windowed && (s->ts_ms < run->from_ms ||
	    s->ts_ms >= run->until_ms);
}

static int
local_row(const struct sample *s, void *ctx)
{
	struct worker *w = ctx;
	struct local *l = &w->local;
	struct chunk *c;
	size_t i;

	if (outside(w->rs->run, s))
		return 0;
	if (!strmap_get(&l->index, s->host, &i)) {
		i = l->n;
		ALLOC_GROW(l->names, l->n + 1, l->cap);
		l->vec = xreallocarray(l->vec, l->cap, sizeof(*l->vec));
		l->caps = xreallocarray(l->caps, l->cap, sizeof(*l->caps));
		l->names[i] = xstrdup(s->host);
		memset(&l->vec[i], 0, sizeof(l->vec[i]));
		l->caps[i] = 0;
		strmap_put(&l->index, s->host, i, NULL);
		l->n++;
	}
	c = &l->vec[i];
	ALLOC_GROW(c->mem, c->n + 1, l->caps[i]);
	host_sample_from(&c->mem[c->n++], s, w->src);
	l->bytes += sizeof(struct host_sample);
	if (l->bytes >= LOCAL_MAX_BYTES)
		return local_flush(w);
	return 0;
}

static int
read_host_file(struct worker *w, size_t i)
{
	static const struct samples_ops ops = { NULL, local_row };
	struct run_state *rs = w->rs;
	int ret;

	if (!rs->has_host[i])
		return 0;
	w->src = (uint32_t)i;
	ret = samples_read_named(rs->paths[i], rs->names[i], &ops, w,
	    &rs->st[i]);
	if (ret == 0)
		ret = local_flush(w);
	local_release(&w->local);
	return ret;
}

/* ---------------------------------------------- step 3: host by host */

static struct host_sample *
buf_more(struct worker *w, size_t n)
{
	ALLOC_GROW(w->buf, w->n + n, w->cap);
	return w->buf + w->n;
}

static int
own_row(const struct sample *s, void *ctx)
{
	struct worker *w = ctx;

	if (outside(w->rs->run, s))
		return 0;
	host_sample_from(buf_more(w, 1), s, w->src);
	w->n++;
	return 0;
}

static int
read_all(int fd, void *buf, size_t len, off_t off)
{
	char *p = buf;
	ssize_t k;

	while (len > 0) {
		k = pread(fd, p, len, off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return error_set_errno(ERROR_IO,
			    "cannot read the spill file");
		p += k;
		len -= (size_t)k;
		off += k;
	}
	return 0;
}

/* All samples of host h into w->buf. */
static int
gather_host(struct worker *w, struct hostent *h)
{
	static const struct samples_ops ops = { NULL, own_row };
	struct run_state *rs = w->rs;
	struct chunk *c;
	size_t j, f;

	w->n = 0;
	for (j = 0; j < h->nfiles; j++) {
		f = h->files[j];
		w->src = (uint32_t)f;
		if (samples_read_named(rs->paths[f], rs->names[f], &ops, w,
		    &rs->st[f]) == -1)
			return -1;
	}
	for (j = 0; j < h->nchunks; j++) {
		c = &h->chunks[j];
		if (c->mem != NULL) {
			memcpy(buf_more(w, c->n), c->mem, c->n * sizeof(*c->mem));
			free(c->mem);	/* each chunk is used once */
			c->mem = NULL;
		} else if (read_all(rs->spill_fd, buf_more(w, c->n),
		    c->n * sizeof(*c->mem), c->off) == -1)
			return -1;
		w->n += c->n;
	}
	return 0;
}

static int
profile_host(struct worker *w, size_t i)
{
	struct run_state *rs = w->rs;
	struct hostent *h = &rs->hosts[rs->order[i]];
	const struct server_inv *inv;

	if (gather_host(w, h) == -1)
		return -1;
	if (w->n == 0)
		return 0;	/* header-only files: warned about per file */
	inv = rs->run->inv != NULL ? inventory_find(rs->run->inv, h->name) :
	    NULL;
	if (profile_build(&rs->results[i], h->name, w->buf, w->n, inv,
	    rs->run->cfg, &rs->dups[i]) == -1)
		return -1;
	rs->built[i] = true;
	if (w->cap > 4 * w->n + 65536) {	/* one huge host: give it back */
		free(w->buf);
		w->buf = NULL;
		w->cap = 0;
	}
	return 0;
}

/* ----------------------------------------------------------- warnings */

static void
warn(struct profile_run *run, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
warn(struct profile_run *run, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	run->warnings = xreallocarray(run->warnings, run->nwarnings + 1,
	    sizeof(char *));
	run->warnings[run->nwarnings++] = strbuf_detach(&sb);
}

static void
warn_files(struct run_state *rs)
{
	const struct samples_stats *st;
	size_t i;

	for (i = 0; i < rs->npaths; i++) {
		st = &rs->st[i];
		rs->run->rows += st->rows;
		if (st->dup_skipped > 0)
			warn(rs->run, "%s:%zu: %zu row%s repeating the previous "
			    "timestamp of the same host skipped (the first row "
			    "is kept)", rs->names[i], st->dup_first_line,
			    st->dup_skipped, st->dup_skipped == 1 ? "" : "s");
		if (st->trunc_line > 0)
			warn(rs->run, "%s:%zu: cut-short last line with no "
			    "newline skipped", rs->names[i], st->trunc_line);
		if (st->rows == 0)
			warn(rs->run, "%s: no data rows", rs->names[i]);
	}
}

static void
warn_hosts(struct run_state *rs)
{
	size_t i;

	for (i = 0; i < rs->nhosts; i++)
		if (rs->dups[i] > 0)
			warn(rs->run, "host '%s': %zu sample%s at a time already "
			    "read from another file skipped (the file named "
			    "first is kept)", rs->hosts[rs->order[i]].name,
			    rs->dups[i], rs->dups[i] == 1 ? "" : "s");
}

/* Servers of the inventory with no samples: one line, five named. */
static void
warn_inventory(struct run_state *rs)
{
	const struct inventory *inv = rs->run->inv;
	struct strbuf sb = STRBUF_INIT;
	size_t i, n = 0;

	if (inv == NULL)
		return;
	for (i = 0; i < inv->nservers; i++) {
		if (strmap_get(&rs->index, inv->servers[i].host, &(size_t){ 0 }))
			continue;
		if (n < 5)
			strbuf_addf(&sb, "%s%s", n > 0 ? ", " : "",
			    inv->servers[i].host);
		n++;
	}
	if (n > 5)
		strbuf_addf(&sb, ", and %zu more", n - 5);
	if (n > 0)
		warn(rs->run, "%zu server%s of the inventory %s no samples: %s",
		    n, n == 1 ? "" : "s", n == 1 ? "has" : "have", sb.buf);
	strbuf_release(&sb);
}

static void
note_line(void *ctx, const char *line)
{
	warn(ctx, "%s", line);
}

/* ------------------------------------------------------------- the run */

/* Copy stdin to a temporary file, once. */
static int
spool_stdin(struct run_state *rs, size_t i)
{
	const char *dir = getenv("TMPDIR");
	struct strbuf sb = STRBUF_INIT;
	char buf[65536];
	FILE *fp;
	size_t n;
	int fd;

	if (rs->stdin_tmp != NULL)
		return error_set(ERROR_USAGE, "standard input ('-') named twice");
	strbuf_addf(&sb, "%s/capplan-profile-XXXXXX", dir != NULL && *dir !=
	    '\0' ? dir : "/tmp");
	rs->stdin_tmp = strbuf_detach(&sb);
	fd = mkstemp(rs->stdin_tmp);
	if (fd == -1 || (fp = fdopen(fd, "w")) == NULL) {
		free(rs->stdin_tmp);
		rs->stdin_tmp = NULL;
		return error_set_errno(ERROR_IO, "cannot spool stdin");
	}
	while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0)
		if (fwrite(buf, 1, n, fp) != n)
			break;
	if (ferror(stdin) || fclose(fp) != 0)
		return error_set_errno(ERROR_IO, "cannot spool stdin");
	rs->paths[i] = rs->stdin_tmp;
	rs->names[i] = "<stdin>";
	return 0;
}

static int
rs_init(struct run_state *rs, struct profile_run *run, char *const *paths,
    size_t npaths)
{
	size_t i;

	memset(rs, 0, sizeof(*rs));
	rs->run = run;
	rs->npaths = npaths;
	rs->spill_fd = -1;
	rs->paths = xcalloc(npaths, sizeof(char *));
	rs->names = xcalloc(npaths, sizeof(char *));
	rs->has_host = xcalloc(npaths, sizeof(bool));
	rs->st = xcalloc(npaths, sizeof(*rs->st));
	strmap_init(&rs->index);
	pthread_mutex_init(&rs->lock, NULL);
	for (i = 0; i < npaths; i++) {
		rs->paths[i] = paths[i];
		rs->names[i] = paths[i];
		if (strcmp(paths[i], "-") == 0 && spool_stdin(rs, i) == -1)
			return -1;
	}
	return 0;
}

static void
rs_release(struct run_state *rs)
{
	size_t i, j;

	for (i = 0; i < rs->nhosts; i++) {
		free(rs->hosts[i].name);
		for (j = 0; j < rs->hosts[i].nchunks; j++)
			free(rs->hosts[i].chunks[j].mem);
		free(rs->hosts[i].chunks);
		free(rs->hosts[i].files);
	}
	if (rs->results != NULL)
		for (i = 0; i < rs->nhosts; i++)
			profile_release(&rs->results[i]);
	free(rs->hosts);
	free(rs->results);
	free(rs->built);
	free(rs->dups);
	free(rs->order);
	free(rs->paths);
	free(rs->names);
	free(rs->has_host);
	free(rs->st);
	free(rs->fail_msg);
	strmap_release(&rs->index);
	pthread_mutex_destroy(&rs->lock);
	if (rs->spill_fd != -1)
		close(rs->spill_fd);
	if (rs->stdin_tmp != NULL)
		unlink(rs->stdin_tmp);
	free(rs->stdin_tmp);
}

static const struct hostent *sort_hosts;

static int
order_cmp(const void *a, const void *b)
{
	return strcmp(sort_hosts[*(const size_t *)a].name,
	    sort_hosts[*(const size_t *)b].name);
}

/* hosts in name order, and room for their profiles; single-threaded */
static void
order_hosts(struct run_state *rs)
{
	size_t i;

	rs->order = xcalloc(rs->nhosts + 1, sizeof(size_t));
	for (i = 0; i < rs->nhosts; i++)
		rs->order[i] = i;
	sort_hosts = rs->hosts;
	array_sort(rs->order, rs->nhosts, sizeof(size_t), order_cmp);
	sort_hosts = NULL;
	rs->results = xcalloc(rs->nhosts + 1, sizeof(struct profile));
	rs->built = xcalloc(rs->nhosts + 1, sizeof(bool));
	rs->dups = xcalloc(rs->nhosts + 1, sizeof(size_t));
}

/* Move the built profiles into ps, in host order. */
static void
collect(struct run_state *rs, struct profile_set *ps)
{
	size_t i;

	ps->profiles = xcalloc(rs->nhosts + 1, sizeof(struct profile));
	ps->percentile = rs->run->cfg->percentile;
	for (i = 0; i < rs->nhosts; i++)
		if (rs->built[i]) {
			ps->profiles[ps->nprofiles++] = rs->results[i];
			memset(&rs->results[i], 0, sizeof(rs->results[i]));
		}
}

static unsigned
workers_count(const struct profile_run *run)
{
	long n = run->workers > 0 ? (long)run->workers :
	    sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > WORKERS_MAX ? WORKERS_MAX : (unsigned)n;
}

static int
run_steps(struct run_state *rs, struct worker *w, unsigned nw)
{
	if (par_for(rs, w, nw, rs->npaths, scan_header) == -1)
		return -1;
	assign_stem_files(rs);
	if (par_for(rs, w, nw, rs->npaths, read_host_file) == -1)
		return -1;
	order_hosts(rs);
	return par_for(rs, w, nw, rs->nhosts, profile_host);
}

int
profile_run(struct profile_run *run, char *const *paths, size_t npaths,
    struct profile_set *ps)
{
	struct run_state rs;
	struct worker *w;
	unsigned nw = workers_count(run), k;
	int ret = -1;

	memset(ps, 0, sizeof(*ps));
	run->used_workers = nw;
	w = xcalloc(nw, sizeof(*w));
	for (k = 0; k < nw; k++) {
		w[k].rs = &rs;
		strmap_init(&w[k].local.index);
	}
	if (rs_init(&rs, run, paths, npaths) == 0 &&
	    run_steps(&rs, w, nw) == 0) {
		collect(&rs, ps);
		warn_files(&rs);
		warn_hosts(&rs);
		warn_inventory(&rs);
		profile_set_notes(ps, run->cfg->min_days, PROFILE_NOTES_ALL,
		    note_line, run);
		ret = 0;
	}
	for (k = 0; k < nw; k++) {
		local_release(&w[k].local);
		strmap_release(&w[k].local.index);
		free(w[k].buf);
	}
	free(w);
	rs_release(&rs);
	return ret;
}

void
profile_run_release(struct profile_run *run)
{
	size_t i;

	if (run == NULL)
		return;
	for (i = 0; i < run->nwarnings; i++)
		free(run->warnings[i]);
	free(run->warnings);
	run->warnings = NULL;
	run->nwarnings = 0;
}
