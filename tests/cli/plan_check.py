#!/usr/bin/python3
"""plan_check.py - check a capplan plan independently of the planner.

usage: plan_check.py [--inventory inventory.csv] [--existing existing.csv]
                     plan.json placement.csv profiles.csv hosts.csv
                     capplan.conf [samples.csv ...]

Shares no code with capplan: it parses the inputs with Python's csv,
json and configparser modules and re-does every sum itself.

  - every server of profiles.csv is in placement.csv once, with the
    same decision and host as in plan.json; every host's guest list is
    the set of guests naming it;
  - per host and time slot, the summed demand of its guests is within
    capacity x (1 - headroom) for every planned resource: with samples
    given, the raw series (cpu_busy_pct / 100 x cpu_rating, mem_used_mib
    or the sized memory when not measured, ...) re-summed on a 300 s
    grid of its own; without, the profiles' hour-of-day slots, or their
    hour-of-week slots for a plan by week (a slot with no samples
    counting as the server's largest);
  - per host: vCPUs within threads x vcpu_per_pcpu, committed memory
    within memory x [overcommit] mem, guests within max_guests;
  - per guest: no memory slot above its sized memory, and a sized memory
    under the peak seen only with swap_risk set;
  - affinity groups on one host, anti-affinity groups apart, pins on the
    host named after the pin (of its model), excluded servers kept;
  - trust zones: each server's zone found again from the inventory's
    zone column, [zones] separate (tag:NAME, group:NAME) and [zone NAME]
    servers; a host's guests all of one zone, the zone the plan names
    for the host and the guest, of the zone's model, at most max_hosts
    active hosts a zone;
  - failure domains: anti-affinity groups with apart = domain in
    different domains; every host in one of [ha] domains;
  - existing hosts: every host of existing.csv in the plan, of its
    model, marked existing, and no other; each guest of one now (the
    inventory's current_host) on that host unless [existing] move = yes,
    with current_host and moved as the plan says; an existing host's
    zone and, with [ha] failure_domain, its rack, PDU or room as its
    domain;
  - balance: without samples (hour slots), the highest active host's
    peak share of a limit and the spread of the hosts' peaks, re-summed,
    are the plan's balance.peak_pct and spread_pct;
  - N+k and domain failures: with settings.failover_check "sets", for
    every set of k hosts (spares included) and, with domain_failures,
    every domain: the failed hosts' guests fit the surviving hosts of
    their zone in every slot within capacity less failover_headroom
    (first fit, largest first, anti-affinity kept), or each failed
    host's guests fit whole on a surviving empty spare of its zone, one
    spare each; with "spares", each zone has at least k spares, each of
    which holds any host of the zone.
  - availability: no model has more new hosts, spares included, than
    its 'available' count in hosts.csv (existing hosts do not count).
Prints one line per violation and exits 1 if there is any; else prints
"plan_check: ok ..." and exits 0.
"""
import configparser
import csv
import itertools
import json
import math
import sys
from datetime import datetime

EPS = 1e-9
RES = ["cpu_cu", "mem_mib", "disk_iops", "disk_kibps", "net_kibps"]
HEAD_KEY = {"cpu_cu": "cpu", "mem_mib": "mem", "disk_iops": "disk",
            "disk_kibps": "disk", "net_kibps": "net"}
CAP_COL = {"cpu_cu": "cpu_rating", "mem_mib": "mem_mib",
           "disk_iops": "disk_iops", "disk_kibps": "disk_kibps",
           "net_kibps": "net_kibps"}
GROWTH_KEYS = ["cpu", "mem", "disk", "net", "storage"]
GROWTH_OF = {"cpu_cu": "cpu", "mem_mib": "mem", "disk_iops": "disk",
             "disk_kibps": "disk", "net_kibps": "net"}
problems = []


def bad(msg):
    problems.append(msg)


def read_capplan_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    head = rows[1]
    return [dict(zip(head, r)) for r in rows[2:]]


def num(s, default=math.nan):
    return float(s) if s not in ("", None) else default


def policy(path):
    cp = configparser.ConfigParser(comment_prefixes=(";", "#"),
                                   inline_comment_prefixes=None)
    cp.read(path)

    def get(sec, key, default):
        if cp.has_option(sec, key) and cp.get(sec, key).strip() != "":
            return cp.get(sec, key).strip()
        return default
    pol = {
        "head": {k: float(get("headroom", k, d)) for k, d in
                 (("cpu", "0.20"), ("mem", "0.10"), ("disk", "0.20"),
                  ("net", "0.20"))},
        "storage_head": float(get("headroom", "storage", "0.10")),
        "storage_size": get("storage", "size", "allocated"),
        "used_margin": float(get("storage", "used_margin", "0.25")),
        "assumed_gib": float(get("storage", "assumed_gib", "0")),
        "vcpu_per_pcpu": float(get("overcommit", "vcpu_per_pcpu", "4")),
        "mem_over": float(get("overcommit", "mem", "1.0")),
        "max_guests": int(get("overcommit", "max_guests", "0")),
        "failures": int(get("ha", "host_failures", "0")),
        "domain_failures": int(get("ha", "domain_failures", "0")),
        "domains": [s.strip() for s in
                    get("ha", "domains", "").split(",") if s.strip()],
        "apart_domain": set(),
        "move": get("existing", "move", "no").lower() in
        ("yes", "true", "1", "on"),
        "failure_domain": get("ha", "failure_domain", "none"),
        "failover_head": float(get("ha", "failover_headroom", "0")),
        "exclude": [s.strip() for s in
                    get("candidates", "exclude", "").split(",") if s.strip()],
        "groups": [],
        "separate": [s.strip() for s in
                     get("zones", "separate", "").split(",") if s.strip()],
        "zones": {},
        "growth": [],
        "adds": [],
    }
    for sec in cp.sections():
        if sec.startswith("add "):
            pol["adds"].append((sec[4:].strip(), cp.get(sec, "like"),
                                int(cp.get(sec, "count", fallback="1"))))
        if sec == "growth" or sec.startswith("growth "):
            pol["growth"].append((
                sec[len("growth"):].strip(),
                [s.strip() for s in cp.get(sec, "servers",
                                           fallback="").split(",")
                 if s.strip()],
                {k: float(cp.get(sec, k + "_pct"))
                 for k in GROWTH_KEYS if cp.has_option(sec, k + "_pct")}))
        if sec.startswith("zone "):
            pol["zones"][sec[5:].strip()] = {
                "servers": [s.strip() for s in
                            cp.get(sec, "servers", fallback="").split(",")
                            if s.strip()],
                "model": cp.get(sec, "model", fallback=None),
                "max_hosts": int(cp.get(sec, "max_hosts", fallback="0"))}
        if sec.startswith("anti-affinity ") and \
                cp.get(sec, "apart", fallback="host").strip() == "domain":
            pol["apart_domain"].add(sec[len("anti-affinity "):].strip())
        for kind in ("affinity", "anti-affinity", "pin"):
            if sec.startswith(kind + " "):
                servers = [s.strip() for s in
                           cp.get(sec, "servers", fallback="").split(",")
                           if s.strip()]
                pol["groups"].append((kind, sec[len(kind) + 1:].strip(),
                                      servers,
                                      cp.get(sec, "model", fallback=None)))
    return pol


def parse_ts(s):
    return datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").timestamp()


def series(paths, prof):
    """server -> resource -> {slot: value} from the raw samples"""
    out = {}
    t0 = None
    rows = []
    for p in paths:
        with open(p, newline="", encoding="utf-8") as f:
            r = list(csv.reader(f))
        head = r[1]
        host = p.rsplit("/", 1)[-1].replace(".samples.csv", "")
        for row in r[2:]:
            d = dict(zip(head, row))
            h = d.get("host", host)
            ts = parse_ts(d["ts"])
            t0 = ts if t0 is None else min(t0, ts)
            rows.append((h, ts, d))
    for h, ts, d in rows:
        if h not in prof:
            continue
        slot = int((ts - t0) // 300)
        s = out.setdefault(h, {k: {} for k in RES})
        v = {
            "cpu_cu": num(d.get("cpu_busy_pct")) / 100 *
            num(prof[h]["cpu_rating"]),
            "mem_mib": num(d.get("mem_used_mib")),
            "disk_iops": num(d.get("disk_read_iops"), 0) +
            num(d.get("disk_write_iops"), 0),
            "disk_kibps": num(d.get("disk_read_kibps"), 0) +
            num(d.get("disk_write_kibps"), 0),
            "net_kibps": num(d.get("net_rx_kibps"), 0) +
            num(d.get("net_tx_kibps"), 0),
        }
        if math.isnan(v["mem_mib"]):
            v["mem_mib"] = num(prof[h]["size_mem_mib"])
        # a guest holds at most the memory it is given
        v["mem_mib"] = min(v["mem_mib"], num(prof[h]["size_mem_mib"],
                                              math.inf))
        for k in RES:
            if not math.isnan(v[k]):
                s[k][slot] = max(s[k].get(slot, 0), v[k])
    return out


def hour_slots(prof, week=False):
    """server -> resource -> {slot: value} from the profiles' h00..h23,
    or with week their w000..w167"""
    out = {}
    cols = ["w%03d" % i for i in range(168)] if week else \
        ["h%02d" % i for i in range(24)]
    for h, p in prof.items():
        out[h] = {}
        for k in RES:
            vals = [num(p.get("%s_%s" % (k, c), "")) for c in cols]
            finite = [v for v in vals if not math.isnan(v)]
            top = max(finite) if finite else 0
            if not finite and k == "mem_mib":
                top = num(p["size_mem_mib"])
            out[h][k] = {i: (top if math.isnan(v) else v)
                         for i, v in enumerate(vals)}
            if k == "mem_mib":
                size = num(p["size_mem_mib"], math.inf)
                out[h][k] = {i: min(v, size) for i, v in out[h][k].items()}
    return out


def load_of(guests, dem, k):
    tot = {}
    for g in guests:
        for slot, v in dem[g][k].items():
            tot[slot] = tot.get(slot, 0) + v
    return tot


STOR = {}     # guest -> disk GiB, when storage is planned


def growth_of(name, inv, pol):
    """the growth section label and {growth key: factor} of a server"""
    bare = next((g for g in pol["growth"] if g[0] == ""), None)
    named = [g for g in pol["growth"] if g[0] and (
        name in g[1] or (not g[1] and
                         inv.get(name, {}).get("group") == g[0]))]
    if len(named) > 1:
        bad("%s: in growth sections %s" % (name, [g[0] for g in named]))
    rule = named[0] if named else bare
    if rule is None:
        return None, {}
    pct = dict(bare[2]) if bare else {}
    if rule is not bare:
        pct.update(rule[2])
    label = "[growth %s]" % rule[0] if rule[0] else "[growth]"
    return label, {k: 1 + v / 100 for k, v in pct.items()}


def apply_growth(dem, inv, pol):
    grown = {}
    for name in dem:
        label, f = growth_of(name, inv, pol)
        grown[name] = (label, f)
        for k in dem[name]:
            if GROWTH_OF.get(k) in f:
                dem[name][k] = {t: v * f[GROWTH_OF[k]]
                                for t, v in dem[name][k].items()}
    return grown


def check_growth(plan, grown, dem, planned):
    for g in plan["guests"]:
        label, f = grown.get(g["name"], (None, {}))
        if g.get("growth") != label:
            bad("%s: growth section %s, the plan says %s" %
                (g["name"], label, g.get("growth")))
        for k in planned:
            if GROWTH_OF[k] not in f or not dem[g["name"]][k]:
                continue
            want = max(dem[g["name"]][k].values())
            got = max(g["profile"][k])
            if abs(got - want) > 1e-6 * max(1, abs(want)) + 0.01:
                bad("%s: %s peak %.4f, grown it is %.4f" %
                    (g["name"], k, got, want))


def storage_of(name, inv, pol):
    row = inv.get(name, {})
    alloc = num(row.get("disk_gib"))
    used = num(row.get("disk_used_gib")) * (1 + pol["used_margin"])
    first, second = (used, alloc) if pol["storage_size"] == "used" else \
        (alloc, used)
    f = growth_of(name, inv, pol)[1].get("storage", 1)
    for v in (first, second):
        if not math.isnan(v):
            return v * f
    return pol["assumed_gib"] if pol["assumed_gib"] > 0 else math.nan


def storage_fits(guests, model, pol):
    cap = num(model.get("storage_gib"))
    if not STOR or math.isnan(cap):
        return True
    return sum(STOR[g] for g in guests) <= \
        cap * (1 - pol["storage_head"]) * (1 + EPS)


def check_storage(plan, inv, pol, models, hosts, on):
    catalog = any(not math.isnan(num(m.get("storage_gib")))
                  for m in models.values())
    known = any(not math.isnan(storage_of(g["name"], inv, dict(
        pol, assumed_gib=0))) for g in plan["guests"]) or any(
        not math.isnan(num(r.get("disk_gib"))) or
        not math.isnan(num(r.get("disk_used_gib"))) for r in inv.values())
    said = plan["settings"].get("storage_size")
    if (catalog and known) != (said is not None):
        bad("storage: planned is %s, the inputs say %s" %
            (said is not None, catalog and known))
    if said is None:
        return
    for g in plan["guests"]:
        STOR[g["name"]] = storage_of(g["name"], inv, pol)
        if not abs(STOR[g["name"]] - (g.get("storage_gib") or 0)) <= 0.05:
            bad("%s: %.1f GiB of storage, the plan says %s" %
                (g["name"], STOR[g["name"]], g.get("storage_gib")))
    for name, h in hosts.items():
        model = models[h["model"]]
        tot = sum(STOR[g] for g in on.get(name, []))
        if not storage_fits(on.get(name, []), model, pol):
            bad("%s: %.1f GiB of storage over %s x (1 - %g)" %
                (name, tot, model["storage_gib"], pol["storage_head"]))
        if abs(tot - (h.get("storage_committed_gib") or 0)) > 0.05 * max(
                1, len(on.get(name, []))):
            bad("%s: its guests take %.1f GiB, the plan says %s" %
                (name, tot, h.get("storage_committed_gib")))


def fits(guests, dem, model, pol, planned, frac_free):
    if not storage_fits(guests, model, pol):
        return False
    for k in planned:
        cap = num(model[CAP_COL[k]])
        if math.isnan(cap):
            continue
        lim = cap * (1 - frac_free(k))
        for slot, v in load_of(guests, dem, k).items():
            if v > lim * (1 + EPS):
                return False
    return True


def zones_of(servers, inv, pol):
    """server -> zone name (None: no zone), found again from the inputs"""
    out = {}
    for s in servers:
        found = []
        row = inv.get(s, {})
        if row.get("zone"):
            found.append(row["zone"])
        tags = [t for t in row.get("tags", "").split(";") if t]
        for rule in pol["separate"]:
            kind, name = rule.split(":", 1)
            if (kind == "tag" and name in tags) or \
                    (kind == "group" and row.get("group") == name):
                found.append(name)
        for name, z in pol["zones"].items():
            if s in z["servers"]:
                found.append(name)
        if len(set(found)) > 1:
            bad("%s: in zones %s" % (s, sorted(set(found))))
        out[s] = found[0] if found else None
    return out


def check_existing(exist, inv, pol, hosts, guest_host, plan):
    """the existing hosts and their guests today"""
    for name, e in exist.items():
        h = hosts.get(name)
        if h is None:
            bad("existing host %s is not in the plan" % name)
            continue
        if h["model"] != e["model"] or not h.get("existing"):
            bad("existing host %s: a %s, existing %s in the plan" %
                (name, h["model"], h.get("existing")))
        fd = pol["failure_domain"]
        if fd != "none" and h.get("domain") != e.get(fd):
            bad("existing host %s: domain %s, its %s is %s" %
                (name, h.get("domain"), fd, e.get(fd)))
        if e.get("zone") and any(gz != e["zone"] for gz in
                                 [g.get("zone") for g in plan["guests"]
                                  if g["host"] == name]):
            bad("existing host %s of zone %s holds another zone's guest" %
                (name, e["zone"]))
    for name, h in hosts.items():
        if h.get("existing") and name not in exist:
            bad("%s is marked existing, but existing.csv does not list it"
                % name)
    for g in plan["guests"]:
        cur = inv.get(g["name"], {}).get("current_host") or None
        if cur not in exist:
            cur = None
        if g.get("current_host") != cur:
            bad("%s: current_host %s in the plan, %s in the inventory" %
                (g["name"], g.get("current_host"), cur))
        if cur is None:
            continue
        if not pol["move"] and guest_host[g["name"]] != cur:
            bad("%s: moved from %s to %s, though [existing] move = no" %
                (g["name"], cur, guest_host[g["name"]]))
        if g.get("moved") != (guest_host[g["name"]] != cur):
            bad("%s: moved is %s in the plan" % (g["name"], g.get("moved")))


def main(argv):
    inv, exist = {}, None
    while len(argv) > 2 and argv[1] in ("--inventory", "--existing"):
        rows = {r["host"]: r for r in read_capplan_csv(argv[2])}
        if argv[1] == "--inventory":
            inv = rows
        else:
            exist = rows
        argv = argv[:1] + argv[3:]
    if len(argv) < 6:
        print(__doc__)
        return 2
    plan = json.load(open(argv[1], encoding="utf-8"))
    place = read_capplan_csv(argv[2])
    prof = {p["host"]: p for p in read_capplan_csv(argv[3])}
    models = {m["model"]: m for m in read_capplan_csv(argv[4])}
    pol = policy(argv[5])
    added = {}
    for name, like, count in pol["adds"]:
        for i in range(1, count + 1):
            added["%s-%d" % (name, i)] = like
            prof["%s-%d" % (name, i)] = dict(prof[like],
                                            host="%s-%d" % (name, i))
            if like in inv:
                inv["%s-%d" % (name, i)] = dict(inv[like], current_host="")
    week = plan["settings"]["resolution"] == "week"
    dem = series(argv[6:], prof) if len(argv) > 6 else \
        hour_slots(prof, week)
    for name, like in added.items():
        if name not in dem and like in dem:
            dem[name] = dem[like]
    grown = apply_growth(dem, inv, pol)
    planned = plan["settings"]["planned"]
    hosts = {h["name"]: h for h in plan["hosts"]}
    guest_host = {g["name"]: g["host"] for g in plan["guests"]}
    sized = {g["name"]: g for g in plan["guests"]}

    # every server once, consistent files
    seen = {}
    for row in place:
        name = row["server"].lstrip("'")
        if name in seen:
            bad("%s: twice in placement.csv" % name)
        seen[name] = row
    for name in prof:
        if name not in seen:
            bad("%s: not in placement.csv" % name)
        elif seen[name]["decision"] == "virtualize":
            if guest_host.get(name) != seen[name]["host"]:
                bad("%s: placement.csv says %s, plan.json %s" %
                    (name, seen[name]["host"], guest_host.get(name)))
            g = sized.get(name, {})
            st = g.get("storage_gib")
            want = "" if st is None else "%.1f" % st
            if seen[name].get("storage_gib") != want:
                bad("%s: placement.csv storage_gib %r, plan.json %r" %
                    (name, seen[name].get("storage_gib"), want))
            if seen[name].get("zone", "").lstrip("'") != (g.get("zone") or ""):
                bad("%s: placement.csv zone %r, plan.json %r" %
                    (name, seen[name].get("zone"), g.get("zone")))
    on = {}
    for g, h in guest_host.items():
        on.setdefault(h, []).append(g)
    for name, h in hosts.items():
        if sorted(h["guests"]) != sorted(on.get(name, [])):
            bad("%s: its guest list is not the guests naming it" % name)

    def head(k):
        return pol["head"][HEAD_KEY[k]]

    check_storage(plan, inv, pol, models, hosts, on)
    check_growth(plan, grown, dem, planned)
    for g in plan["guests"]:
        if g.get("like") != added.get(g["name"]):
            bad("%s: like %s, the policy says %s" %
                (g["name"], g.get("like"), added.get(g["name"])))
    for name in added:
        if name not in guest_host:
            bad("%s: an added server that is not a guest" % name)

    # capacity per slot, and the static limits
    over = 0
    for name, h in hosts.items():
        guests = on.get(name, [])
        model = models[h["model"]]
        for k in planned:
            cap = num(model[CAP_COL[k]])
            if math.isnan(cap):
                continue
            lim = cap * (1 - head(k))
            for slot, v in sorted(load_of(guests, dem, k).items()):
                if v > lim * (1 + EPS):
                    over += 1
                    bad("%s: %s %.6f over its limit %.6f in slot %d" %
                        (name, k, v, lim, slot))
        vcpus = sum(sized[g]["vcpus"] for g in guests)
        if vcpus > num(model["threads"]) * pol["vcpu_per_pcpu"] + EPS:
            bad("%s: %g vCPUs over %s threads x %g" %
                (name, vcpus, model["threads"], pol["vcpu_per_pcpu"]))
        mem = sum(sized[g]["mem_mib"] for g in guests)
        if mem > num(model["mem_mib"]) * pol["mem_over"] * (1 + EPS):
            bad("%s: %g MiB committed over %s x %g" %
                (name, mem, model["mem_mib"], pol["mem_over"]))
        if pol["max_guests"] > 0 and len(guests) > pol["max_guests"]:
            bad("%s: %d guests over max_guests %d" %
                (name, len(guests), pol["max_guests"]))

    # memory: no slot above what the guest is given, and no guest given
    # less than it was seen to use unless the plan says so
    for g in plan["guests"]:
        pm = g.get("profile", {}).get("mem_mib") or []
        if pm and max(pm) > g["mem_mib"] * (1 + EPS):
            bad("%s: reserves %.1f MiB in a slot, over its %.1f MiB" %
                (g["name"], max(pm), g["mem_mib"]))
        peak = g.get("mem_peak_mib")
        if peak is not None and peak > g["mem_mib"] and not g["swap_risk"]:
            bad("%s: given %.1f MiB after using %.1f MiB, no swap_risk" %
                (g["name"], g["mem_mib"], peak))

    # groups, pins, exclusions
    for kind, gname, servers, gmodel in pol["groups"]:
        placed = [s for s in servers if s in guest_host]
        where = [guest_host[s] for s in placed]
        if kind == "affinity" and len(set(where)) > 1:
            bad("affinity %s split over %s" % (gname, sorted(set(where))))
        if kind == "anti-affinity" and len(set(where)) != len(where):
            bad("anti-affinity %s shares a host: %s" % (gname, where))
        if kind == "pin":
            for s in placed:
                if guest_host[s] != gname:
                    bad("pin %s: %s is on %s" % (gname, s, guest_host[s]))
            if gname in hosts and gmodel and hosts[gname]["model"] != gmodel:
                bad("pin %s: host is a %s" % (gname, hosts[gname]["model"]))
    for s in pol["exclude"]:
        if s in prof and seen.get(s, {}).get("decision") != "keep":
            bad("excluded %s is not kept physical" % s)

    if exist is not None:
        check_existing(exist, inv, pol, hosts, guest_host, plan)

    # trust zones
    zone = zones_of(prof, inv, pol)
    for g in plan["guests"]:
        if g.get("zone") != zone[g["name"]]:
            bad("%s: zone %s in the plan, %s in the inputs" %
                (g["name"], g.get("zone"), zone[g["name"]]))
    hzone = {}
    for name, h in hosts.items():
        zs = set(zone[g] for g in on.get(name, []))
        if len(zs) > 1:
            bad("%s: holds guests of zones %s" % (name, sorted(
                zs, key=str)))
        hzone[name] = zs.pop() if len(zs) == 1 else h.get("zone")
        if on.get(name) and h.get("zone") != hzone[name]:
            bad("%s: the plan says zone %s, its guests are in %s" %
                (name, h.get("zone"), hzone[name]))
        rule = pol["zones"].get(hzone[name] or "", {})
        if rule.get("model") and h["model"] != rule["model"]:
            bad("%s: of zone %s is a %s, not a %s" %
                (name, hzone[name], h["model"], rule["model"]))
    for zname, rule in pol["zones"].items():
        n = sum(1 for name, h in hosts.items()
                if hzone[name] == zname and not h["spare"])
        if rule["max_hosts"] and n > rule["max_hosts"]:
            bad("zone %s: %d hosts, over max_hosts %d" %
                (zname, n, rule["max_hosts"]))

    # balance: the hosts' peak shares of their limits, re-summed
    bal = plan.get("balance") or {}
    act = [n for n, h in hosts.items() if not h["spare"]]
    if len(argv) <= 6 and act and bal.get("peak_pct") is not None:
        peaks = []
        for name in act:
            model = models[hosts[name]["model"]]
            m = 0
            for k in planned:
                cap = num(model[CAP_COL[k]])
                if math.isnan(cap):
                    continue
                lim = cap * (1 - head(k))
                m = max([m] + [v / lim for v in
                               load_of(on.get(name, []), dem, k).values()])
            peaks.append(100 * m)
        if abs(max(peaks) - bal["peak_pct"]) > 0.01:
            bad("balance: the highest host peak is %.2f %%, the plan says "
                "%.2f %%" % (max(peaks), bal["peak_pct"]))
        if abs(max(peaks) - min(peaks) - bal["spread_pct"]) > 0.02:
            bad("balance: the spread of host peaks is %.2f points, the "
                "plan says %.2f" % (max(peaks) - min(peaks),
                                    bal["spread_pct"]))

    # failure domains
    for name, h in hosts.items():
        if pol["domains"] and h.get("domain") not in pol["domains"]:
            bad("%s: domain %s is not one of [ha] domains" %
                (name, h.get("domain")))
    for kind, gname, servers, _ in pol["groups"]:
        if kind == "anti-affinity" and gname in pol["apart_domain"]:
            doms = [hosts[guest_host[s]].get("domain") for s in servers
                    if s in guest_host]
            if len(set(doms)) != len(doms):
                bad("anti-affinity %s (apart = domain) shares a domain: %s"
                    % (gname, doms))

    # N+k and domain failures: a guest restarts only on a host of its zone
    active = [n for n, h in hosts.items() if not h["spare"]]
    spares = [n for n, h in hosts.items() if h["spare"]]
    anti = [set(sv) for kd, _, sv, _ in pol["groups"] if kd == "anti-affinity"]

    def ffree(k):
        return pol["failover_head"]

    def size(g, h):
        return sum(max(dem[g][k].values(), default=0) /
                   num(models[hosts[h]["model"]][CAP_COL[k]], 1)
                   for k in planned if not math.isnan(
                       num(models[hosts[h]["model"]][CAP_COL[k]])))

    def survives(down):
        rest = {b: list(on.get(b, [])) for b in hosts if b not in down}
        moving = sorted(((g, a) for a in down for g in on.get(a, [])),
                        key=lambda ga: (-size(ga[0], ga[1]), ga[0]))
        for g, a in moving:
            for b, gs in rest.items():
                if hzone[b] != hzone[a] or any(
                        g in grp and any(x in grp for x in gs)
                        for grp in anti):
                    continue
                if fits(gs + [g], dem, models[hosts[b]["model"]], pol,
                        planned, ffree):
                    gs.append(g)
                    break
            else:
                break
        else:
            return True
        taken = set()
        for a in down:
            if not on.get(a):
                continue
            for e in spares:
                if e in down or e in taken or hzone[e] != hzone[a]:
                    continue
                if fits(on[a], dem, models[hosts[e]["model"]], pol,
                        planned, ffree):
                    taken.add(e)
                    break
            else:
                return False
        return True

    check = plan["settings"].get("failover_check")
    k = pol["failures"]
    if k >= 1 and active and check == "sets":
        for down in itertools.combinations(sorted(hosts), min(k,
                                                              len(hosts))):
            if not survives(set(down)):
                bad("N+%d: the plan does not survive the loss of %s" %
                    (k, ", ".join(down)))
    elif k >= 1 and active and check == "spares":
        for zn in set(hzone[a] for a in active):
            zs = [e for e in spares if hzone[e] == zn and all(
                fits(on.get(a, []), dem, models[hosts[e]["model"]], pol,
                     planned, ffree) for a in active if hzone[a] == zn)]
            if len(zs) < k:
                bad("N+%d: zone %s has %d spares that can stand in for "
                    "any of its hosts" % (k, zn, len(zs)))
    elif k >= 1 and active:
        bad("N+%d: settings.failover_check is %s" % (k, check))
    if pol["domain_failures"] and active:
        for d in pol["domains"]:
            down = set(n for n, h in hosts.items() if h.get("domain") == d)
            if not survives(down):
                bad("the plan does not survive the loss of domain %s" % d)
    # availability: the spares count with the hosts
    count = {}
    for h in hosts.values():
        if not h.get("existing"):
            count[h["model"]] = count.get(h["model"], 0) + 1
    for m, n in sorted(count.items()):
        avail = num(models[m].get("available"))
        if not math.isnan(avail) and n > avail:
            bad("model %s: %d hosts (spares included) over its available "
                "count %g" % (m, n, avail))
    for p in problems:
        print("plan_check: " + p)
    if problems:
        return 1
    print("plan_check: ok: %d hosts (%d spare), %d guests, %s slots, "
          "0 over the limit" % (len(hosts), len(spares), len(guest_host),
                                "series" if len(argv) > 6 else
                                "week" if week else "hour"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
