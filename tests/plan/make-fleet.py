#!/usr/bin/python3
"""make-fleet.py - write tests/plan/fleet/: a small made-up fleet whose
servers each exercise one rule of capplan plan (the golden cases 2xx use
it).  One day of hourly samples per server, in UTC; deterministic.

  web1..web4    busy by day (09:00-18:00), 4 CU servers
  batch1..3     busy by night: they complement the web servers
  db1, db2      an anti-affinity pair
  app1, app2    an affinity pair
  lic1          pinned to host 'licensed'
  idle1         idle CPU, disk and network: retired
  hot1          median CPU 96 %: saturated, kept
  huge1         needs more CPU than any host model: kept
  old1          excluded by the policy
  tagged1       tag 'legacy' in the inventory, keep_tags keeps it
Then run scripts: capplan profile writes fleet/profiles.csv.
"""
import math
import os

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fleet")
os.makedirs(out, exist_ok=True)

servers = {}  # name: (rating, mem_mib, cpu_pct(h), mem_used(h), iops, net, tags)


def day(lo, hi, start, end):
    return lambda h: hi if start <= h < end else lo


for i in range(1, 5):
    servers["web%d" % i] = (4, 8192, day(5, 60 + 5 * i, 9, 18),
                            lambda h: 4000 + 50 * h, 40, 300, "")
for i in range(1, 4):
    servers["batch%d" % i] = (4, 8192, day(4, 70 + 4 * i, 0, 7),
                              lambda h: 3000, 80, 100, "")
servers["db1"] = (8, 16384, lambda h: 30 + (h % 5), lambda h: 12000, 300,
                  500, "")
servers["db2"] = (8, 16384, lambda h: 32 + (h % 3), lambda h: 12000, 300,
                  500, "")
servers["app1"] = (4, 4096, lambda h: 20 + h, lambda h: 2000, 20, 200, "")
servers["app2"] = (4, 4096, lambda h: 25, lambda h: 2000, 20, 200, "")
servers["lic1"] = (4, 8192, lambda h: 40, lambda h: 6000, 10, 50, "")
servers["idle1"] = (2, 2048, lambda h: 0.5, lambda h: 500, 0.5, 1, "")
servers["hot1"] = (4, 8192, lambda h: 96, lambda h: 7000, 50, 50, "")
servers["huge1"] = (64, 65536, lambda h: 80, lambda h: 30000, 10, 10, "")
servers["old1"] = (2, 4096, lambda h: 30, lambda h: 1000, 10, 10, "")
servers["tagged1"] = (2, 4096, lambda h: 30, lambda h: 1000, 10, 10,
                      "legacy;web")

cols = ("ts,interval_s,cpu_busy_pct,ncpu_online,mem_total_mib,"
        "mem_used_mib,disk_read_iops,disk_write_iops,net_rx_kibps,"
        "net_tx_kibps")
for name, (rating, mem, cpu, used, iops, net, tags) in servers.items():
    with open(os.path.join(out, name + ".samples.csv"), "w") as f:
        f.write("capplan-samples,1\n%s\n" % cols)
        for h in range(24):
            f.write("2026-11-02T%02d:00:00Z,3600,%g,%d,%d,%g,%g,%g,%g,%g\n" %
                    (h, cpu(h), rating, mem, used(h), iops / 2, iops / 2,
                     net / 2, net / 2))
with open(os.path.join(out, "inventory.csv"), "w") as f:
    f.write("capplan-inventory,1\nhost,sockets,cores,threads,cpu_rating,"
            "mem_mib,tags\n")
    for name, (rating, mem, cpu, used, iops, net, tags) in servers.items():
        f.write("%s,1,%d,%d,%d,%d,%s\n" % (name, rating, rating, rating, mem,
                                           tags))
