/*
 * probe.h - where the collector reads /proc and /sys: the root seam.
 *
 * Every file the collector reads is named relative to a root ("proc/stat",
 * "sys/block/sda/size"), so tests point the same code at a fake tree
 * (--root samples/proc/x/base) or at a sequence of snapshots (--replay):
 * sysstat's tests/root1 without a compile-time -DTEST.  A replay snapshot
 * is an overlay: a file is looked up in the snapshot directory first and
 * then under the root, so a snapshot holds only what changes.
 *
 * Live, the files read every sub-sample stay open and are re-read with
 * pread(fd, 0), which regenerates a /proc file and costs a third less than
 * open/read/close (research/collector.md section 1).  sysfs files are
 * small and read rarely (inventory, device classification): opened each
 * time.  A kept file found missing (no PSI in this kernel) is not looked
 * for again until the overlay changes.
 */
#ifndef COLLECTOR_PROBE_H
#define COLLECTOR_PROBE_H

#include <stdbool.h>
#include <stddef.h>

#include "common/strbuf.h"
#include "common/strmap.h"

#define PROBE_MAXFD 12

struct probe_fd {
	const char *rel;	/* a string constant: compared by value */
	int fd;			/* -1: the file does not exist */
};

struct probe {
	char *root;		/* "" for the real root, else a directory */
	char *overlay;		/* replay snapshot looked up first, or NULL */
	bool keep_open;		/* live mode: keep /proc fds, pread at 0 */
	struct probe_fd fds[PROBE_MAXFD];
	size_t nfds;
	struct strbuf path;	/* the last path built, for messages */
	struct strbuf scratch;	/* probe_line() reads here */
	struct strbuf text;	/* sources read their files here */
	/* device classification caches: name -> 1 physical, 0 not */
	struct strmap disk_phys;
	struct strmap nic_phys;
};

/*
 * Set up p to read under root (NULL or "/" is the real root).  Files stay
 * open between reads when keep_open is set.  Release with
 * probe_release().
 */
void probe_init(struct probe *p, const char *root, bool keep_open);
void probe_release(struct probe *p);

/* Look files up in dir before the root from now on (NULL: no overlay);
 * kept fds are closed, since the files they named may have changed. */
void probe_set_overlay(struct probe *p, const char *dir);

/*
 * Read the whole file rel into sb (replacing its contents).  Returns 0,
 * or -1 with errno set and ERROR_IO recorded naming the full path.
 */
int probe_read(struct probe *p, const char *rel, struct strbuf *sb);

/* As probe_read(), with rel built from a printf format. */
int probe_readf(struct probe *p, struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * The first line of the small file named by the format (a sysfs
 * attribute), blanks trimmed, in a buffer valid until the next call; NULL
 * when it cannot be read (nothing recorded: sysfs attributes are often
 * missing or fail with EINVAL, and that only means "unknown").
 */
const char *probe_line(struct probe *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Does the path named by the format exist (in the overlay or root)? */
bool probe_exists(struct probe *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * The names in directory rel (overlay first, else under the root),
 * sorted, without "." and "..": a new array of new strings in *names
 * (free with probe_list_free()).  Returns the count; 0 when the directory
 * cannot be read.
 */
size_t probe_list(struct probe *p, const char *rel, char ***names);
void probe_list_free(char **names, size_t n);

/*
 * The space used on the file system mounted at mnt (as /proc/self/mounts
 * writes it, octal escapes kept), in bytes: (f_blocks - f_bfree) x
 * f_frsize, as df counts it.  Under the real root, statvfs(3) on the
 * mount point.  Under another root (a fake tree, a replay) nothing can be
 * asked of a file system, so the tree's file "statvfs" stands in, the one
 * file of a tree that no real system has: a line a file system,
 * "MOUNTPOINT FRSIZE BLOCKS BFREE".  -1 when it cannot be known.
 */
int probe_fs_used(struct probe *p, const char *mnt, double *bytes);

/* The full path of rel as the last lookup saw it, for messages. */
const char *probe_path(struct probe *p, const char *rel);

#endif
