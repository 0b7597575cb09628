#!/usr/bin/python3
"""PNG compression levels: Pillow's compress_level next to ours (libdeflate and the JDK's zlib).

    png_levels.py inputs DIR             # img_smooth_1024.npy, img_random_1024.npy
    png_levels.py reference DIR OUT.json # Pillow, compress_level 1..9, median of timed saves
    png_levels.py table WORK             # markdown table from WORK/{pillow.json,jmh.json,sizes-*.json}

Run by tools/bench/run-png-levels.sh with Debian's /usr/bin/python3 (python3-numpy, python3-pil).
"""
import io
import json
import os
import sys

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kernels  # noqa: E402  (same smooth picture and the same timing as run-kernels.sh)

LEVELS = (1, 3, 6, 7, 9, 12)


def make_inputs(d):
    os.makedirs(d, exist_ok=True)
    np.save(f"{d}/img_smooth_1024.npy", kernels.smooth_image(1024))
    rng = np.random.default_rng(20261202)
    np.save(f"{d}/img_random_1024.npy", rng.integers(0, 256, (1024, 1024, 3), dtype=np.uint8))


def pillow_png(a, level):
    buf = io.BytesIO()
    Image.fromarray(a).save(buf, format="PNG", compress_level=level)
    return buf.getvalue()


def reference(d, out):
    res = {}
    for kind in ("smooth", "random"):
        a = np.load(f"{d}/img_{kind}_1024.npy")
        for level in range(1, 10):
            ms, n = kernels.median_time(lambda: pillow_png(a, level))
            res[f"{kind}/{level}"] = {"ms": ms, "bytes": len(pillow_png(a, level)), "repeats": n}
            print(f"  Pillow {kind} compress_level={level}: {ms:.1f} ms, {res[f'{kind}/{level}']['bytes']:,} B",
                  flush=True)
    json.dump(res, open(out, "w"), indent=1)


def table(work):
    pillow = json.load(open(f"{work}/pillow.json"))
    ours = {}
    for r in json.load(open(f"{work}/jmh.json")):
        method = r["benchmark"].split(".")[-1]
        p = r["params"]
        m = r["primaryMetric"]
        ours[(method, p["kind"], int(p["level"]))] = m.get("scorePercentiles", {}).get("50.0", m["score"])
    sizes = {}
    for name in ("libdeflate", "zlib"):
        for line in open(f"{work}/sizes-{name}.json"):
            s = json.loads(line)
            sizes[(name, s["kind"], s["level"])] = s["bytes"]
    lines = ["| image 1024²×3 | level | Pillow ms | Pillow bytes | libdeflate ms | libdeflate bytes | zlib ms | zlib bytes"
             " | libdeflate vs Pillow 6: speed, size | zlib vs Pillow 6: speed, size |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for kind in ("smooth", "random"):
        p6 = pillow[f"{kind}/6"]
        for level in LEVELS:
            pl = pillow.get(f"{kind}/{level}")
            cells = [kind, str(level), f"{pl['ms']:.1f}" if pl else "—", f"{pl['bytes']:,}" if pl else "—"]
            versus = []
            for name in ("libdeflate", "zlib"):
                ms = ours.get((name, kind, level))
                b = sizes.get((name, kind, level))
                cells += [f"{ms:.1f}" if ms else "—", f"{b:,}" if b else "—"]
                versus.append(f"{p6['ms'] / ms:.2f}×, {b / p6['bytes']:.3f}×" if ms and b else "—")
            lines.append("| " + " | ".join(cells + versus) + " |")
    print("\n".join(lines))


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "inputs":
        make_inputs(sys.argv[2])
    elif cmd == "reference":
        reference(sys.argv[2], sys.argv[3])
    elif cmd == "table":
        table(sys.argv[2])
    else:
        sys.exit(__doc__)
