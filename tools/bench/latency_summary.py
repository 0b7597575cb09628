#!/usr/bin/python3
"""One markdown table row per half phase of one E2eBench run (see run-e2e-latency.sh), and
DIR/timeline.txt: the half phases' slowest items next to the group events logged around them.

usage: latency_summary.py RUN_DIR RUN_NUMBER LOAD_AVERAGE
"""
import csv
import math
import pathlib
import re
import sys

run_dir = pathlib.Path(sys.argv[1])
run, load = sys.argv[2], sys.argv[3]
DAY = 86_400_000

# slf4j-simple lines with -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS (the JVM runs in UTC here)
EVENT = re.compile(r"^(\d\d):(\d\d):(\d\d)\.(\d\d\d) \[([^\]]*)\] INFO (\S+) - (.*)$")
KEEP = ("Successfully joined group", "Revoke previously assigned", "Adding newly assigned",
        "sink assigned", "State transition", "Request joining group due to", "Lost previously assigned")
events = []
log = run_dir / "bench.log"
if log.exists():
    for line in log.read_text(errors="replace").splitlines():
        m = EVENT.match(line)
        if m and any(k in m.group(7) for k in KEEP):
            h, mi, s, ms = (int(x) for x in m.groups()[:4])
            events.append((((h * 60 + mi) * 60 + s) * 1000 + ms, m.group(5), m.group(7)[:160]))


def percentile(sorted_values, q):
    i = max(0, min(len(sorted_values) - 1, math.ceil(q * len(sorted_values)) - 1))
    return sorted_values[i]


timeline = []
for phase in ("media-half-1x", "media-half-2x"):
    path = run_dir / "latency" / (phase + ".csv")
    if not path.exists():
        print(f"| {run} | {load} | {phase} | (no data) | | | | | |")
        continue
    with path.open() as f:
        rows = [(int(r["ack_ms"]), int(r["stored_ms"]), r["item"]) for r in csv.DictReader(f) if r["stored_ms"]]
    lat = sorted(s - a for a, s, _ in rows)
    first, last = min(a for a, _, _ in rows), max(s for _, s, _ in rows)
    rate = len(rows) / ((max(a for a, _, _ in rows) - first) / 1e3)  # items stored / time from first to last ack
    within = [e for e in events if first % DAY <= e[0] <= last % DAY]
    joins = sum(1 for e in within if "Successfully joined group" in e[2])
    slow = sum(1 for x in lat if x > 2000)
    print(f"| {run} | {load} | {phase} | {rate:.1f} | {percentile(lat, .5)} | {percentile(lat, .99)} |"
          f" {lat[-1]} | {slow} | {joins} |")
    timeline.append(f"== {phase}: items acked from {first % DAY} ms of the day; group events in the phase:")
    timeline += [f"  {t} [{thread}] {text}" for t, thread, text in within]
    timeline.append("  slowest items (ack ms of day, latency ms, item):")
    for a, s, item in sorted(rows, key=lambda r: r[0] - r[1])[:25]:
        timeline.append(f"  {a % DAY} {s - a} {item}")
    # latency by second of the phase: where the tail sits in time
    timeline.append("  max latency per 2 s of acks (s from phase start: max ms, items):")
    buckets = {}
    for a, s, _ in rows:
        b = (a - first) // 2000 * 2
        m, n = buckets.get(b, (0, 0))
        buckets[b] = (max(m, s - a), n + 1)
    timeline += [f"  {b:4d}s {m:6d} {n}" for b, (m, n) in sorted(buckets.items())]
(run_dir / "timeline.txt").write_text("\n".join(timeline) + "\n")
