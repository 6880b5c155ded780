/*
 * collect.c - one sub-sample or one stop at a time, rows to the output.
 *
 * The inventory is read again when a row says the hardware changed
 * (cpu_hotplug, dev_change) and when a row opens a new UTC day, and
 * recorded only when its text changed or the day did, so inventory.csv
 * is rewritten at most once a day in the steady state.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "collector/cmath.h"
#include "collector/collect.h"
#include "common/error.h"
#include "common/xalloc.h"

#define DAY_MS 86400000

/* tell each line of notes, when they differ from those told last */
static void
inventory_notes(struct collect *c, const struct strbuf *notes)
{
	const char *s, *nl;
	char *line;

	if (notes->len == c->inv_notes.len && (notes->len == 0 ||
	    memcmp(notes->buf, c->inv_notes.buf, notes->len) == 0))
		return;
	strbuf_reset(&c->inv_notes);
	strbuf_add(&c->inv_notes, notes->buf, notes->len);
	for (s = c->inv_notes.buf; c->cfg.note != NULL && *s != '\0';
	    s = nl) {
		nl = s + strcspn(s, "\n");
		line = xstrndup(s, (size_t)(nl - s));
		c->cfg.note(c->cfg.note_ctx, line);
		free(line);
		nl += *nl == '\n';
	}
}

/* the inventory, under the host name --hostname gives; its fallbacks
 * are told once (again only when they change) */
static struct server_inv *
inventory(struct collect *c)
{
	struct strbuf notes = STRBUF_INIT;
	struct server_inv *inv = inv_collect(c->probe, &notes);

	if (c->cfg.hostname != NULL) {
		free(inv->host);
		inv->host = xstrdup(c->cfg.hostname);
	}
	inventory_notes(c, &notes);
	strbuf_release(&notes);
	return inv;
}

int
collect_start(struct collect *c, const struct collect_cfg *cfg,
    struct probe *p, const struct clocks *t)
{
	struct output_cfg ocfg = { 0 };
	struct sampler_cfg scfg = { 0 };
	int64_t now_ms = (int64_t)cm_floor(t->real_s * 1000.0);

	memset(c, 0, sizeof(*c));
	c->cfg = *cfg;
	c->probe = p;
	ocfg.dir = cfg->outdir;
	ocfg.per_device = cfg->per_device;
	ocfg.qmax = cfg->qmax;
	ocfg.sync_s = cfg->sync_s;
	ocfg.note.fn = cfg->note;
	ocfg.note.ctx = cfg->note_ctx;
	ocfg.note.verbose = cfg->verbose;
	c->out = output_open(&ocfg, now_ms);
	if (c->out == NULL)
		return -1;
	c->inv = inventory(c);
	if (inv_check_text(c->inv) == -1 ||
	    output_inventory(c->out, c->inv, now_ms) == -1)
		return -1;
	scfg.interval_s = cfg->interval_s;
	scfg.sub_s = cfg->sub_s;
	scfg.once = cfg->once;
	scfg.base_flags = strcmp(c->inv->container, "no") != 0 ?
	    FLAG_IN_CONTAINER : 0;
	scfg.warn = cfg->note;
	scfg.warn_ctx = cfg->note_ctx;
	c->sampler = sampler_new(&scfg, p);
	return sampler_start(c->sampler, t);
}

int
collect_refresh(struct collect *c, int64_t now_ms)
{
	inv_free(c->inv);
	c->inv = inventory(c);
	if (inv_check_text(c->inv) == -1)
		return -1;
	return output_inventory(c->out, c->inv, now_ms);
}

static int
write_row(struct collect *c, const struct clocks *t)
{
	int64_t now_ms = (int64_t)cm_floor(t->real_s * 1000.0);
	const struct row *r = &c->row;

	if ((r->flags & (FLAG_CPU_HOTPLUG | FLAG_DEV_CHANGE)) ||
	    now_ms / DAY_MS != r->ts_ms / DAY_MS)
		if (collect_refresh(c, now_ms) == -1)
			return -1;
	if (output_row(c->out, r, c->inv->host) == -1)
		return -1;
	if (c->cfg.once)
		c->done = true;
	return 0;
}

int
collect_tick(struct collect *c, const struct clocks *t)
{
	int rc = sampler_tick(c->sampler, t, &c->row);

	if (rc <= 0)
		return rc;
	return write_row(c, t);
}

int
collect_finish(struct collect *c, const struct clocks *t)
{
	int rc = 0;

	if (!c->done)
		rc = sampler_finish(c->sampler, t, &c->row);
	if (rc == 1)
		rc = write_row(c, t);
	output_close(c->out);
	c->out = NULL;
	return rc;
}

void
collect_release(struct collect *c)
{
	if (c == NULL)
		return;
	output_close(c->out);
	sampler_free(c->sampler);
	inv_free(c->inv);
	strbuf_release(&c->inv_notes);
	row_release(&c->row);
	memset(c, 0, sizeof(*c));
}
