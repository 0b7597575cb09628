#!/usr/bin/python3
"""Encoders before/after vs Pillow by the fastest run, for a shared (loaded) machine.

On a machine whose load average is many times its core count, medians mostly measure the
other processes; the fastest of many runs is the closest either side gets to its own cost.

    encode_minof.py pillow INPUTS OUT.json          # Pillow defaults, min and median of N saves
    encode_minof.py alt INPUTS png/smooth/1024 …    # fastest Pillow save of ~4 s of saves per image
                                                     # (alternate with EncodeMinTimes, same arguments)
    encode_minof.py table PILLOW.json[,PILLOW2.json] BEFORE.json AFTER.json [FACTS.json]   # JMH JSONs (EncodeBench)
    encode_minof.py alttable PILLOW.log AFTER.log [BEFORE.log]   # the alt / EncodeMinTimes outputs, all rounds

Run pinned to the same core as the JMH runs (taskset -c 1), with Debian's /usr/bin/python3.
"""
import json
import os
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kernels  # noqa: E402


def pillow(d, out, repeats=40):
    res = {}
    for fmt, pil_fmt in (("png", "PNG"), ("jpg", "JPEG")):
        for kind in ("random", "smooth"):
            for side in kernels.IMAGE_SIDES:
                a = np.load(f"{d}/img_{kind}_{side}.npy")
                kernels.pil_encode(a, pil_fmt)
                times = []
                for _ in range(repeats if side < 1024 or fmt == "jpg" else repeats // 2):
                    t0 = time.perf_counter()
                    kernels.pil_encode(a, pil_fmt)
                    times.append((time.perf_counter() - t0) * 1e3)
                res[f"{fmt}/{kind}/{side}"] = {"min": min(times), "median": statistics.median(times),
                                               "bytes": len(kernels.pil_encode(a, pil_fmt))}
                print(f"  {fmt} {kind} {side}: min {min(times):.3f} ms", flush=True)
    json.dump(res, open(out, "w"), indent=1)


def alt(d, cases):
    for case in cases:
        fmt, kind, side = case.split("/")
        a = np.load(f"{d}/img_{kind}_{side}.npy")
        pil_fmt = "PNG" if fmt == "png" else "JPEG"
        best, runs, end = float("inf"), 0, time.perf_counter() + 4
        while time.perf_counter() < end or runs < 10:
            t0 = time.perf_counter()
            kernels.pil_encode(a, pil_fmt)
            best = min(best, time.perf_counter() - t0)
            runs += 1
        print(f"pillow {case} min {best * 1e3:.2f} ms ({runs} runs) {len(kernels.pil_encode(a, pil_fmt))} bytes",
              flush=True)


def jmh(path):
    out = {}
    for r in json.load(open(path)):
        p = r["params"]
        pct = r["primaryMetric"]["scorePercentiles"]
        out[f"{p['format']}/{p['kind']}/{p['side']}"] = (pct["0.0"], pct["50.0"])
    return out


def table(pillow_paths, before_path, after_path, facts_path=None):
    """pillow_paths: one or more comma-separated Pillow runs; each figure is the lower of them."""
    runs = [json.load(open(p)) for p in pillow_paths.split(",")]
    ref = {k: {"min": min(r[k]["min"] for r in runs), "median": min(r[k]["median"] for r in runs),
               "bytes": runs[0][k]["bytes"]} for k in runs[0]}
    before, after = jmh(before_path), jmh(after_path)
    facts = json.load(open(facts_path)) if facts_path else {}
    print("| input | before min / median ms | after min / median ms | Pillow min / median ms | ratio before (min) "
          "| ratio after (min) | after bytes / Pillow's | goal met (min)? |")
    print("|---|---|---|---|---|---|---|---|")
    for fmt in ("png", "jpg"):
        for kind in ("random", "smooth"):
            for side in kernels.IMAGE_SIDES:
                k = f"{fmt}/{kind}/{side}"
                b, a, p = before.get(k), after.get(k), ref[k]
                size = facts.get(f"encode/{k}", {}).get("bytes")
                size_ratio = size / p["bytes"] if size else None
                ra = p["min"] / a[0] if a else None
                goal = (ra is not None and ra >= 1.5 and size_ratio is not None and size_ratio <= 1.05) if fmt == "png" \
                    else (ra is not None and ra >= 1.0)
                print(f"| {fmt.upper()} {kind} {side}²×3 | {b[0]:.3f} / {b[1]:.3f} | {a[0]:.3f} / {a[1]:.3f} | "
                      f"{p['min']:.3f} / {p['median']:.3f} | {p['min'] / b[0]:.2f}× | {ra:.2f}× | "
                      f"{size_ratio:.3f} | {('≥1.5×, ≤1.05× size: ' if fmt == 'png' else '≥1×: ') + ('yes' if goal else '**no**')} |")


def alt_mins(path):
    """{case: (fastest ms over every round in the log, bytes)} from `alt` or EncodeMinTimes lines."""
    out = {}
    for line in open(path):
        f = line.split()
        if len(f) >= 5 and f[0] in ("pillow", "ours") and f[2] == "min":
            ms, size = float(f[3]), int(f[7]) if len(f) >= 9 else None  # older harnesses print no size
            out[f[1]] = (min(ms, out[f[1]][0]) if f[1] in out else ms, size)
    return out


def alt_table(pillow_log, after_log, before_log=None):
    """Markdown: Pillow's fastest time / ours, before and after; PNG goal ≥1.5× at ≤1.05× Pillow's bytes."""
    ref, after = alt_mins(pillow_log), alt_mins(after_log)
    before = alt_mins(before_log) if before_log else {}
    print("| input | before ms | after ms | Pillow ms | ratio before | ratio after | after bytes / Pillow's "
          "| goal met? |")
    print("|---|---|---|---|---|---|---|---|")
    for case in ref:
        if case not in after:
            continue
        p, a, b = ref[case], after[case], before.get(case)
        ratio, size = p[0] / a[0], a[1] / p[1]
        png = case.startswith("png")
        goal = ratio >= 1.5 and size <= 1.05 if png else ratio >= 1.0
        fmt, kind, side = case.split("/")
        print(f"| {fmt.upper()} {kind} {side}²×3 | {f'{b[0]:.2f}' if b else '—'} | {a[0]:.2f} | {p[0]:.2f} | "
              f"{f'{p[0] / b[0]:.2f}×' if b else '—'} | {ratio:.2f}× | {size:.3f} | "
              f"{('≥1.5×, ≤1.05× size: ' if png else '≥1×: ') + ('yes' if goal else '**no**')} |")


if __name__ == "__main__":
    if sys.argv[1] == "pillow":
        pillow(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "alt":
        alt(sys.argv[2], sys.argv[3:])
    elif sys.argv[1] == "table":
        table(*sys.argv[2:])
    elif sys.argv[1] == "alttable":
        alt_table(*sys.argv[2:])
    else:
        sys.exit(__doc__)
