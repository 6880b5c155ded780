#!/usr/bin/python3
"""mutate.py - the mutation score of capplan's fast tests.

usage: tests/mutate/mutate.py [--check] [--only ID[,ID...]] [--rev REV]
                              [--keep] [MUTANTS]

MUTANTS (default tests/mutate/mutants) lists mutants, one block each,
blocks apart by blank lines, '#' lines comments:

    id      planner-n1-available      a unique name
    file    planner/build.c           the file, from the top of the tree
    at      n_plus_1(struct build *b) optional: text found once in the file
    from    used[t] >=                the original text: found once in the
                                      file, or without 'at', or the first
                                      time within 3000 characters after 'at'
    to      used[t] >                 what replaces it
    equivalent  why                   optional: not run, not in the score

In 'from' and 'to', \\n is a newline, \\t a tab and \\\\ a backslash;
any other backslash is itself (so '\\0' is C's '\\0').  A
mutant whose text no longer matches is an error (exit 2), not a skip:
the list must follow the code.  --check only checks that every mutant
applies.

Otherwise the tree (git's files with build/std when it exists, with
their times; or REV's files, built afresh, and the work tree's Makefile
for its targets unit-tests and print-unit-tests: a score before a change)
is copied to a scratch folder, never the work tree; there, for each mutant: apply it, build (nice -n 15 make -j1),
run the fast tests in turn until one fails (the unit tests, plan-check,
the golden cases; no kvm/ tests), and put the file back.  A mutant is
killed when a test fails (or times out), survives when all pass.  The
unmutated copy must pass first.  Prints one line per mutant, then the
score (killed / (killed + survived)) and the survivors; exit 0, or 1 if
a mutant survived, 2 on an error.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
NEAR = 3000
TIMEOUT_S = 300
KEYS = ("id", "file", "at", "from", "to", "equivalent")


class MutantError(Exception):
    pass


def unescape(s):
    return re.sub(r"\\([nt\\])", lambda m: {"n": "\n", "t": "\t"}.get(
        m.group(1), m.group(1)), s)


def parse(path):
    mutants, cur, seen = [], {}, set()
    lines = open(path, encoding="utf-8").read().split("\n") + [""]
    for n, line in enumerate(lines, 1):
        if line.startswith("#"):
            continue
        if line.strip() == "":
            if cur:
                for k in ("id", "file", "from", "to"):
                    if k not in cur:
                        raise MutantError("%s:%d: mutant %s has no '%s'" %
                                          (path, n, cur.get("id", "?"), k))
                if cur["id"] in seen:
                    raise MutantError("%s:%d: mutant %s twice" %
                                      (path, n, cur["id"]))
                seen.add(cur["id"])
                mutants.append(cur)
                cur = {}
            continue
        key, _, val = line.partition(" ")
        if key not in KEYS:
            raise MutantError("%s:%d: unknown key '%s'" % (path, n, key))
        if key in cur:
            raise MutantError("%s:%d: '%s' twice" % (path, n, key))
        val = val.strip()
        cur[key] = unescape(val) if key in ("at", "from", "to") else val
        cur["line"] = cur.get("line", n)
    return mutants


def locate(m, text):
    """the offset of m's 'from' in text, or raise MutantError"""
    what = "%s (%s)" % (m["id"], m["file"])
    if "at" in m:
        if text.count(m["at"]) != 1:
            raise MutantError("mutant %s: 'at' text found %d times, not "
                              "once" % (what, text.count(m["at"])))
        a = text.index(m["at"])
        i = text.find(m["from"], a, a + len(m["at"]) + NEAR)
        if i < 0:
            raise MutantError("mutant %s: 'from' text not within %d "
                              "characters after 'at'" % (what, NEAR))
        return i
    if text.count(m["from"]) != 1:
        raise MutantError("mutant %s: 'from' text found %d times, not once"
                          % (what, text.count(m["from"])))
    return text.index(m["from"])


def mutate_text(m, text):
    i = locate(m, text)
    if m["from"] == m["to"]:
        raise MutantError("mutant %s: 'to' is 'from'" % m["id"])
    return text[:i] + m["to"] + text[i + len(m["from"]):]


def check_all(mutants, top):
    for m in mutants:
        p = os.path.join(top, m["file"])
        if not os.path.isfile(p):
            raise MutantError("mutant %s: no file %s" % (m["id"], m["file"]))
        mutate_text(m, open(p, encoding="utf-8").read())


# a plain build whatever make called us with: 'make check SANITIZE=1'
# passes its variables down in MAKEFLAGS, and the scratch copy's build
# and tests are build/std's
ENV = {k: v for k, v in os.environ.items()
       if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "SANITIZE",
                    "DEVELOPER", "CAPPLAN_BIN")}


def sh(cmd, cwd, log, timeout=TIMEOUT_S):
    """run cmd (a list) in cwd, output to log; True if it exited 0"""
    with open(log, "a") as f:
        f.write("$ %s\n" % " ".join(cmd))
        f.flush()
        try:
            return subprocess.run(cmd, cwd=cwd, stdout=f, stderr=f,
                                  stdin=subprocess.DEVNULL, env=ENV,
                                  timeout=timeout).returncode == 0
        except subprocess.TimeoutExpired:
            f.write("timed out after %d s\n" % timeout)
            return False


def copy_tree(scratch, rev):
    if rev:
        a = subprocess.run(["git", "-C", TOP, "archive", rev],
                           stdout=subprocess.PIPE, check=True).stdout
        subprocess.run(["tar", "-x", "-C", scratch], input=a, check=True)
    else:
        out = subprocess.run(["git", "-C", TOP, "ls-files", "-z", "--cached",
                              "--others", "--exclude-standard"],
                             stdout=subprocess.PIPE, check=True).stdout
        for f in out.decode().split("\0"):
            if f and os.path.isfile(os.path.join(TOP, f)):
                os.makedirs(os.path.join(scratch, os.path.dirname(f)),
                            exist_ok=True)
                shutil.copy2(os.path.join(TOP, f), os.path.join(scratch, f))
    b = os.path.join(TOP, "build", "std")
    if rev:		# the make targets this script needs
        shutil.copy2(os.path.join(TOP, "Makefile"), scratch)
    elif os.path.isdir(b):	# objects and their times: only changes rebuild
        shutil.copytree(b, os.path.join(scratch, "build", "std"),
                        symlinks=True)


MAKE = ["nice", "-n", "15", "make", "-j1"]


def build(scratch, log):
    return sh(MAKE + ["all", "unit-tests"], scratch, log)


def fast_tests(scratch, log):
    """None if every fast test passed, else the name of the first failing"""
    units = subprocess.run(MAKE + ["-s", "print-unit-tests"], cwd=scratch,
                           stdout=subprocess.PIPE, text=True, env=ENV,
                           check=True).stdout.split()
    env = ["env", "CAPPLAN_BIN=build/std", "nice", "-n", "15"]
    for name, cmd in (("unit", ["sh", "tests/unit/run.sh"] + units),
                      ("plan-check", ["sh", "tests/cli/plan-check.sh"]),
                      ("golden", ["sh", "tests/cli/run.sh"])):
        if not sh(env + cmd, scratch, log):
            return name
    return None


def main(argv):
    check_only, only, rev, keep, path = False, None, None, False, None
    args = argv[1:]
    while args:
        a = args.pop(0)
        if a == "--check":
            check_only = True
        elif a == "--only" and args:
            only = args.pop(0).split(",")
        elif a == "--rev" and args:
            rev = args.pop(0)
        elif a == "--keep":
            keep = True
        elif a.startswith("-") or path is not None:
            print(__doc__, file=sys.stderr)
            return 2
        else:
            path = a
    path = path or os.path.join(TOP, "tests", "mutate", "mutants")
    try:
        mutants = parse(path)
        if only:
            unknown = set(only) - {m["id"] for m in mutants}
            if unknown:
                raise MutantError("no mutant %s" % ", ".join(sorted(unknown)))
            mutants = [m for m in mutants if m["id"] in only]
        if not rev:
            check_all(mutants, TOP)
    except MutantError as e:
        print("mutate: %s" % e, file=sys.stderr)
        return 2
    if check_only:
        print("mutate: all %d mutants apply" % len(mutants))
        return 0
    scratch = tempfile.mkdtemp(prefix="capplan-mutate.")
    log = os.path.join(scratch, "mutate.log")
    try:
        return run(mutants, scratch, rev, log)
    except MutantError as e:
        print("mutate: %s" % e, file=sys.stderr)
        return 2
    finally:
        if keep:
            print("mutate: scratch copy and log kept in %s" % scratch)
        else:
            shutil.rmtree(scratch, ignore_errors=True)


def run(mutants, scratch, rev, log):
    tree = os.path.join(scratch, "tree")
    os.mkdir(tree)
    copy_tree(tree, rev)
    check_all(mutants, tree)
    t0 = time.time()
    if not build(tree, log) or fast_tests(tree, log) is not None:
        raise MutantError("the unmutated copy does not build or pass its "
                          "fast tests: see %s (--keep)" % log)
    killed, survived, broken, equiv = [], [], [], []
    for k, m in enumerate(mutants, 1):
        if "equivalent" in m:
            equiv.append(m)
            print("[%2d/%d] equivalent %s: %s" % (k, len(mutants), m["id"],
                                                 m["equivalent"]))
            continue
        p = os.path.join(tree, m["file"])
        orig = open(p, encoding="utf-8").read()
        open(p, "w", encoding="utf-8").write(mutate_text(m, orig))
        t = time.time()
        try:
            if not build(tree, log):
                broken.append(m)
                res = "does not build"
            else:
                by = fast_tests(tree, log)
                if by:
                    killed.append(m)
                    res = "killed by %s" % by
                else:
                    survived.append(m)
                    res = "SURVIVED"
        finally:
            open(p, "w", encoding="utf-8").write(orig)
            os.utime(p)	# newer than the mutant's object: rebuilt next
        print("[%2d/%d] %-40s %s (%.0f s)" % (k, len(mutants), m["id"], res,
                                             time.time() - t), flush=True)
    n = len(killed) + len(survived)
    print("mutate: %d mutants: %d killed, %d survived, %d equivalent, "
          "%d did not build" % (len(mutants), len(killed), len(survived),
                                len(equiv), len(broken)))
    if n:
        print("mutate: score %.1f %% (%d of %d non-equivalent mutants "
              "killed) in %.0f s" % (100.0 * len(killed) / n, len(killed), n,
                                     time.time() - t0))
    for m in survived:
        print("survivor: %s: %s: '%s' -> '%s'" % (
            m["id"], m["file"], m["from"].replace("\n", "\\n"),
            m["to"].replace("\n", "\\n")))
    for m in broken:
        print("did not build: %s (%s)" % (m["id"], m["file"]))
    return 1 if survived or broken else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
