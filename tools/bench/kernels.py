#!/usr/bin/python3
"""Reference side of the kernel benchmarks (run by tools/bench/run-kernels.sh).

Run with Debian's /usr/bin/python3 (python3-numpy, python3-pil), the libraries the W&B
client uses for the same work:

  kernels.py inputs DIR                  deterministic inputs as .npy files (JMH reads them too)
  kernels.py reference DIR OUT.json      times numpy / Pillow / json on those inputs (median of
                                         N runs, gc off as timeit does), writes numpy's results
                                         (histogram counts/edges, SHA-256 of uint8 outputs,
                                         output sizes) for the exactness checks
  kernels.py compare JMH.json REF.json FACTS.json OUT.md
                                         the side-by-side table (stdout and markdown)

Ratio = reference time / our time: above 1 means we are faster.
"""
import contextlib
import gc
import hashlib
import io
import json
import os
import platform
import statistics
import sys
import time

import numpy as np

SIDES = (256, 512, 1024, 2048)
IMAGE_SIDES = (256, 512, 1024)
COUNTS = (10_000, 1_000_000, 10_000_000)
BINS = (64, 512)
POINTS = 1_000_000
LIMIT = 300_000
SEED = 20240611


# ----------------------------------------------------------------------------------------
# inputs
# ----------------------------------------------------------------------------------------

def make_inputs(d):
    os.makedirs(d, exist_ok=True)
    rng = np.random.default_rng(SEED)
    for side in SIDES:
        u = rng.random((side, side, 3))  # float64 in [0, 1)
        for dtype in (np.float32, np.float64):
            base = u.astype(dtype)
            name = np.dtype(dtype).name
            # the branch inputs, each derived in the array's own precision
            np.save(f"{d}/norm_{name}_unit_{side}.npy", base)
            np.save(f"{d}/norm_{name}_signed_{side}.npy", base * dtype(2) - dtype(1))
            np.save(f"{d}/norm_{name}_clip_{side}.npy", base * dtype(270) - dtype(7.5))
        np.save(f"{d}/norm_uint8_{side}.npy", rng.integers(0, 256, (side, side, 3), dtype=np.uint8))
    for n in COUNTS:
        v = rng.standard_normal(n)
        np.save(f"{d}/hist_float64_{n}.npy", v)
        np.save(f"{d}/hist_float32_{n}.npy", v.astype(np.float32))
    for side in IMAGE_SIDES:
        np.save(f"{d}/img_random_{side}.npy", rng.integers(0, 256, (side, side, 3), dtype=np.uint8))
        np.save(f"{d}/img_smooth_{side}.npy", smooth_image(side))
    xyz = rng.standard_normal((POINTS, 3)) * 20.0
    rgb = rng.integers(0, 256, (POINTS, 3)).astype(np.float64)
    cloud = np.concatenate([xyz, rgb], axis=1)
    np.save(f"{d}/pc_float64.npy", cloud)
    np.save(f"{d}/pc_float32.npy", cloud.astype(np.float32))


def smooth_image(side):
    """A synthetic photo-like picture: gradients and slow waves, no noise."""
    y, x = np.mgrid[0:side, 0:side].astype(np.float64) / side
    r = 255 * x
    g = 255 * y
    b = 127.5 + 100 * np.sin(9 * x + 5 * y) * np.cos(7 * y)
    return np.clip(np.stack([r, g, b], axis=2), 0, 255).astype(np.uint8)


# ----------------------------------------------------------------------------------------
# the reference kernels: what the W&B client does with numpy / Pillow / json
# ----------------------------------------------------------------------------------------

def wandb_image_normalize(data):
    """wandb.Image on an array, normalize=True: _warn_on_invalid_data_range,
    _guess_and_rescale_to_0_255, _convert_to_uint8 (wandb/sdk/data_types/image.py)."""
    if np.min(data) < 0 or np.max(data) > 255:
        pass  # wandb.termwarn(...)
    data_min = data.min()
    data_max = data.max()
    if 0 <= data_min and data_max <= 1:
        data = (data * 255).astype(np.uint8)
    elif -1 <= data_min and data_max <= 1:
        data = (255 * 0.5 * (data + 1)).astype(np.uint8)
    else:
        data = data.clip(0, 255).astype(np.uint8)
    return data.astype(np.uint8)


def numpy_normalize(data):
    """The same rule with the least numpy work: one min, one max, one conversion. uint8 needs
    only the max (lo >= 0 always): at most 1 takes the unit rule, else clip(0, 255), the identity."""
    if data.dtype == np.uint8:
        if data.max() <= 1:
            return data * np.uint8(255)  # 0 or 1 -> 0 or 255
        return data.copy()
    lo = data.min()
    hi = data.max()
    if 0 <= lo and hi <= 1:
        return (data * 255).astype(np.uint8)
    if -1 <= lo and hi <= 1:
        return (255 * 0.5 * (data + 1)).astype(np.uint8)
    return data.clip(0, 255).astype(np.uint8)


def pil_encode(a, fmt):
    from PIL import Image
    buf = io.BytesIO()
    Image.fromarray(a).save(buf, format=fmt)  # Pillow defaults: PNG zlib 6, JPEG quality 75
    return buf.getvalue()


def cloud_decode_validate(raw, dtype):
    a = np.frombuffer(raw, dtype=dtype).reshape(-1, 6)
    if not np.isfinite(a[:, :3]).all():
        raise ValueError("non-finite coordinate")
    c = a[:, 3:]
    if not ((c >= 0) & (c <= 255)).all():
        raise ValueError("colour out of range")
    return a


def truncate_head(raw, dtype):
    return cloud_decode_validate(raw, dtype)[:LIMIT]


def truncate_strided(raw, dtype):
    a = cloud_decode_validate(raw, dtype)
    n = len(a)
    return a[(np.arange(LIMIT) * n) // LIMIT]


def ply_bytes(kept):
    """Binary little-endian PLY as PlyWriter writes it: float coordinates when lossless."""
    xyz = kept[:, :3]
    single = kept.dtype == np.float32 or bool((xyz.astype(np.float32) == xyz).all())
    coord = "<f4" if single else "<f8"
    rec = np.empty(len(kept), dtype=[("x", coord), ("y", coord), ("z", coord),
                                     ("red", "u1"), ("green", "u1"), ("blue", "u1")])
    rec["x"] = xyz[:, 0]
    rec["y"] = xyz[:, 1]
    rec["z"] = xyz[:, 2]
    colours = np.floor(kept[:, 3:] + 0.5).astype(np.uint8)
    rec["red"] = colours[:, 0]
    rec["green"] = colours[:, 1]
    rec["blue"] = colours[:, 2]
    kind = "float" if single else "double"
    header = ("ply\nformat binary_little_endian 1.0\n"
              f"comment mediaflow original_count {POINTS}\n"
              "comment mediaflow truncated true strategy HEAD\n"
              f"element vertex {len(kept)}\n"
              f"property {kind} x\nproperty {kind} y\nproperty {kind} z\n"
              "property uchar red\nproperty uchar green\nproperty uchar blue\nend_header\n")
    return header.encode("ascii") + rec.tobytes()


def pts_json_dump(points_list):
    """wandb.Object3D(numpy): json.dump of the list to a file (here an in-memory one)."""
    out = io.StringIO()
    json.dump({"type": "lidar/beta", "points": points_list, "boxes": [], "vectors": []}, out)
    return out.getvalue()


# ----------------------------------------------------------------------------------------
# timing
# ----------------------------------------------------------------------------------------

def median_time(fn, min_repeats=5, max_repeats=40, budget_s=1.5):
    """Median wall time of fn() in ms, after one warm-up call; gc off as timeit does."""
    gc.collect()
    gc.disable()
    try:
        fn()
        times = []
        deadline = time.perf_counter() + budget_s
        while len(times) < max_repeats and (len(times) < min_repeats or time.perf_counter() < deadline):
            t0 = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t0) * 1e3)
        return statistics.median(times), len(times)
    finally:
        gc.enable()


def sha256(a):
    return hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()


def wanted(section):
    """BENCH_ONLY=encode,histogram,… times only those reference sections (default: all)."""
    only = os.environ.get("BENCH_ONLY", "")
    return not only or section in only.split(",")


def reference(d, out_path):
    results = {}

    def record(kid, **kv):
        results.setdefault(kid, {}).update(kv)
        print(f"  {kid:40s} " + " ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}"
                                          for k, v in kv.items() if k != "sha256"), flush=True)

    print("normalization (numpy)", flush=True)
    for dtype in ("float32", "float64") if wanted("normalize") else ():
        for branch in ("unit", "signed", "clip"):
            for side in SIDES:
                a = np.load(f"{d}/norm_{dtype}_{branch}_{side}.npy")
                ms, n = median_time(lambda: numpy_normalize(a))
                wms, _ = median_time(lambda: wandb_image_normalize(a))
                out = numpy_normalize(a)
                assert np.array_equal(out, wandb_image_normalize(a))
                record(f"normalize/{dtype}/{branch}/{side}", ms=ms, wandb_ms=wms, repeats=n,
                       sha256=sha256(out), bytes_in=a.nbytes)
    for side in SIDES if wanted("normalize") else ():
        a = np.load(f"{d}/norm_uint8_{side}.npy")
        ms, n = median_time(lambda: numpy_normalize(a))
        wms, _ = median_time(lambda: wandb_image_normalize(a))
        out = numpy_normalize(a)
        assert np.array_equal(out, wandb_image_normalize(a))
        record(f"normalize/uint8/passthrough/{side}", ms=ms, wandb_ms=wms, repeats=n,
               sha256=sha256(out), bytes_in=a.nbytes)

    print("histograms (np.histogram)", flush=True)
    for dtype in ("float32", "float64"):  # the expected counts and edges always (KernelFacts reads them)
        for count in COUNTS:
            v = np.load(f"{d}/hist_{dtype}_{count}.npy")
            for bins in BINS:
                ms, n = median_time(lambda: np.histogram(v, bins=bins)) if wanted("histogram") else (None, 0)
                counts, edges = np.histogram(v, bins=bins)
                base = f"{d}/histexp_{dtype}_{count}_{bins}"
                np.save(base + "_counts.npy", counts.astype(np.int64))
                np.save(base + "_edges.npy", edges)
                record(f"histogram/{dtype}/{count}/{bins}", ms=ms, repeats=n, bytes_in=v.nbytes)

    print("encoders (Pillow, default settings)", flush=True)
    for fmt, pil_fmt in (("png", "PNG"), ("jpg", "JPEG")) if wanted("encode") else ():
        for kind in ("random", "smooth"):
            for side in IMAGE_SIDES:
                a = np.load(f"{d}/img_{kind}_{side}.npy")
                ms, n = median_time(lambda: pil_encode(a, pil_fmt))
                record(f"encode/{fmt}/{kind}/{side}", ms=ms, repeats=n,
                       bytes=len(pil_encode(a, pil_fmt)), bytes_in=a.nbytes)

    print("point clouds (numpy, json)", flush=True)
    for dtype in ("float32", "float64") if wanted("pointcloud") else ():
        raw = np.load(f"{d}/pc_{dtype}.npy").tobytes()
        kid = f"pointcloud/{dtype}/"
        ms, n = median_time(lambda: truncate_head(raw, dtype))
        kept = truncate_head(raw, dtype)
        record(kid + "truncate-head", ms=ms, repeats=n, bytes_in=len(raw),
               kept_sha256=sha256(kept.astype(np.float64)))
        ms, n = median_time(lambda: truncate_strided(raw, dtype))
        record(kid + "truncate-strided", ms=ms, repeats=n, bytes_in=len(raw))
        ms, n = median_time(lambda: ply_bytes(kept))
        record(kid + "ply", ms=ms, repeats=n, bytes=len(ply_bytes(kept)))
        points = kept.tolist()
        dump_ms, n = median_time(lambda: pts_json_dump(points), min_repeats=3, budget_s=0)
        wandb_ms, _ = median_time(lambda: pts_json_dump(kept.tolist()), min_repeats=3, budget_s=0)
        dumps_ms, _ = median_time(lambda: json.dumps(
            {"type": "lidar/beta", "points": points, "boxes": [], "vectors": []}), min_repeats=3, budget_s=0)
        record(kid + "ptsjson", ms=dump_ms, wandb_ms=wandb_ms, dumps_ms=dumps_ms, repeats=n,
               bytes=len(pts_json_dump(points).encode("utf-8")))

    with open(out_path, "w") as f:
        json.dump({"environment": environment(), "kernels": results}, f, indent=1)


def environment():
    from PIL import Image, features
    import PIL
    cfg = io.StringIO()
    with contextlib.redirect_stdout(cfg):
        np.show_config()
    um = np.core._multiarray_umath
    return {
        "python": sys.version.split()[0],
        "python_executable": sys.executable,
        "numpy": np.__version__,
        "pillow": PIL.__version__,
        "zlib": features.version("zlib"),
        "libjpeg": features.version("jpg"),
        "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE", "(unset)"),
        "numpy_cpu_baseline": list(getattr(um, "__cpu_baseline__", [])),
        "numpy_cpu_dispatch": list(getattr(um, "__cpu_dispatch__", [])),
        "numpy_cpu_features_on": [k for k, v in getattr(um, "__cpu_features__", {}).items() if v],
        "numpy_show_config": cfg.getvalue(),
        "machine": platform.machine(),
        "affinity": sorted(os.sched_getaffinity(0)),
    }


# ----------------------------------------------------------------------------------------
# comparison
# ----------------------------------------------------------------------------------------

def jmh_scores(path):
    """Kernel id -> (median ms/op, mean ms/op) from JMH's JSON."""
    scores = {}
    for r in json.load(open(path)):
        cls, method = r["benchmark"].split(".")[-2:]
        p = r.get("params", {})
        if cls == "NormalizeBench":
            kid = f"normalize/{p['dtype']}/{p['branch']}/{p['side']}"
        elif cls == "PassThroughBench":
            kid = f"normalize/uint8/passthrough/{p['side']}"
        elif cls == "HistogramBench":
            kid = f"histogram/{p['dtype']}/{p['count']}/{p['bins']}"
        elif cls == "EncodeBench":
            kid = f"encode/{p['format']}/{p['kind']}/{p['side']}"
        elif cls == "PointCloudBench":
            op = {"truncateHead": "truncate-head", "truncateStrided": "truncate-strided",
                  "ply": "ply", "ptsJson": "ptsjson"}[method]
            kid = f"pointcloud/{p['dtype']}/{op}"
        else:
            continue
        if p.get("kernels") == "scalar":
            kid += "#scalar"  # the vector kernels keep the plain id: the headline figure
        m = r["primaryMetric"]
        assert m["scoreUnit"] == "ms/op", m["scoreUnit"]
        # sample mode: the median op time, like the reference's median of runs
        median = m.get("scorePercentiles", {}).get("50.0", m["score"])
        scores[kid] = (median, m["score"])
    return scores


def fmt_ms(v):
    return "—" if v is None else (f"{v:.3f}" if v < 10 else f"{v:.1f}")


def fmt_ratio(v):
    return "—" if v is None else f"{v:.2f}×"


def yes_no(ok):
    return "yes" if ok else "**no**"


def target_text(label, o_ms, ok):
    return f"{label}: " + ("not measured" if o_ms is None else yes_no(ok))


def kernel_cells(ours, before, kid, r_ms):
    """Before ms, scalar ms and their ratios vs the reference (issue 13's before/after)."""
    b = before.get(kid)
    s = ours.get(kid + "#scalar")
    b_ms = b[0] if b else None
    s_ms = s[0] if s else None
    return [fmt_ms(b_ms), fmt_ratio(r_ms / b_ms if b_ms and r_ms else None),
            fmt_ms(s_ms), fmt_ratio(r_ms / s_ms if s_ms and r_ms else None)]


KERNEL_HEADER = ["before ms", "ratio before", "scalar ms", "ratio scalar"]


def compare(jmh_path, ref_path, facts_path, md_path, before_path=None):
    ours = jmh_scores(jmh_path)
    before = jmh_scores(before_path) if before_path and os.path.exists(before_path) else {}
    ref = json.load(open(ref_path))
    refk = ref["kernels"]
    facts = json.load(open(facts_path))
    sections = []  # (title, header, rows)

    def row_common(kid):
        o = ours.get(kid)
        r = refk.get(kid, {})
        o_ms = o[0] if o else None
        r_ms = r.get("ms")
        ratio = r_ms / o_ms if o_ms and r_ms else None
        return o, r, o_ms, r_ms, ratio

    rows = []
    for dtype in ("float32", "float64"):
        for branch in ("unit", "signed", "clip"):
            for side in SIDES:
                kid = f"normalize/{dtype}/{branch}/{side}"
                o, r, o_ms, r_ms, ratio = row_common(kid)
                need = 2.0 if branch == "clip" else 1.0  # issue 13's goals
                exact = facts.get(kid, {}).get("sha256") == r.get("sha256")
                wr = r.get("wandb_ms") / o_ms if o_ms and r.get("wandb_ms") else None
                rows.append([f"{dtype} {branch} {side}²×3", fmt_ms(o_ms), fmt_ms(r_ms), fmt_ratio(ratio),
                             fmt_ms(r.get("wandb_ms")), fmt_ratio(wr), "yes" if exact else "**no**",
                             target_text(f"≥{need:g}×", o_ms, ratio is not None and ratio >= need)]
                            + kernel_cells(ours, before, kid, r_ms))
    for side in SIDES:
        kid = f"normalize/uint8/passthrough/{side}"
        o, r, o_ms, r_ms, ratio = row_common(kid)
        exact = facts.get(kid, {}).get("sha256") == r.get("sha256")
        wr = r.get("wandb_ms") / o_ms if o_ms and r.get("wandb_ms") else None
        rows.append([f"uint8 pass-through {side}²×3", fmt_ms(o_ms), fmt_ms(r_ms), fmt_ratio(ratio),
                     fmt_ms(r.get("wandb_ms")), fmt_ratio(wr), "yes" if exact else "**no**",
                     target_text("≥1×", o_ms, ratio is not None and ratio >= 1)]
                    + kernel_cells(ours, before, kid, r_ms))
    sections.append(("Normalization (PixelNormalizer.toUint8 vs numpy)",
                     ["input", "ours ms", "numpy ms", "ratio", "wandb-path ms", "ratio vs wandb",
                      "same bytes", "target met?"] + KERNEL_HEADER, rows))

    rows = []
    for dtype in ("float32", "float64"):
        for count in COUNTS:
            for bins in BINS:
                kid = f"histogram/{dtype}/{count}/{bins}"
                o, r, o_ms, r_ms, ratio = row_common(kid)
                f = facts.get(kid, {})
                exact = f.get("exact") is True
                rows.append([f"{dtype} {count:.0e} values, {bins} bins", fmt_ms(o_ms), fmt_ms(r_ms),
                             fmt_ratio(ratio), "yes" if exact else
                             f"**no** ({f.get('count_mismatches')} counts, {f.get('edge_mismatches')} edges)",
                             target_text("≥2× and exact", o_ms, ratio is not None and ratio >= 2 and exact)]
                            + kernel_cells(ours, before, kid, r_ms))
    sections.append(("Histograms (NumpyHistogram.compute vs np.histogram)",
                     ["input", "ours ms", "numpy ms", "ratio", "bit-exact", "target met?"] + KERNEL_HEADER,
                     rows))

    rows = []
    for fmt in ("png", "jpg"):
        for kind in ("random", "smooth"):
            for side in IMAGE_SIDES:
                kid = f"encode/{fmt}/{kind}/{side}"
                o, r, o_ms, r_ms, ratio = row_common(kid)
                ob = facts.get(kid, {}).get("bytes")
                rb = r.get("bytes")
                size = ob / rb if ob and rb else None
                if fmt == "png":  # issue 13's goal (was 3×)
                    met = ratio is not None and ratio >= 1.5 and size is not None and size <= 1.05
                    target = target_text("≥1.5×, size ≤1.05×", o_ms, met)
                else:
                    target = target_text("≥1×", o_ms, ratio is not None and ratio >= 1)
                rows.append([f"{fmt.upper()} {kind} {side}²×3", fmt_ms(o_ms), fmt_ms(r_ms), fmt_ratio(ratio),
                             f"{ob:,}" if ob else "—", f"{rb:,}" if rb else "—",
                             f"{size:.3f}" if size else "—", target])
    sections.append(("Encoders (ImageProcessor.process vs PIL fromarray+save, defaults)",
                     ["input", "ours ms", "Pillow ms", "ratio", "ours bytes", "Pillow bytes",
                      "size ratio", "target met?"], rows))

    rows = []
    for dtype in ("float32", "float64"):
        for op in ("truncate-head", "truncate-strided", "ply", "ptsjson"):
            kid = f"pointcloud/{dtype}/{op}"
            o, r, o_ms, r_ms, ratio = row_common(kid)
            f = facts.get(kid, {})
            ob = f.get("bytes")
            rb = r.get("bytes")
            extra = ""
            target = "—"
            if op == "ply" and o_ms:
                gbs = ob / (o_ms / 1e3) / 1e9
                extra = f"{gbs:.2f} GB/s out"
                target = "≥1 GB/s: " + yes_no(gbs >= 1)
            elif op == "ptsjson" and o_ms:
                extra = (f"vs tolist+dump {r.get('wandb_ms') / o_ms:.1f}×, "
                         f"vs json.dumps {r.get('dumps_ms') / o_ms:.1f}×")
                target = "≥20× json.dump: " + yes_no(ratio is not None and ratio >= 20)
            elif op == "truncate-head":
                same = f.get("kept_sha256") == r.get("kept_sha256")
                extra = "same points" if same else "**points differ**"
            rows.append([f"{dtype} 1e6×6 {op}", fmt_ms(o_ms), fmt_ms(r_ms), fmt_ratio(ratio),
                         f"{ob:,}" if ob else "—", f"{rb:,}" if rb else "—", extra, target]
                        + kernel_cells(ours, before, kid, r_ms))
    sections.append(("Point cloud, 1,000,000 × 6 → 300,000 (decode+validate+cut; PLY; pts.json)",
                     ["kernel", "ours ms", "reference ms", "ratio", "ours bytes", "ref bytes",
                      "notes", "target met?"] + KERNEL_HEADER, rows))

    env = ref["environment"]
    lines = []
    for title, header, rows in sections:
        lines.append(f"### {title}\n")
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "|".join("---" for _ in header) + "|")
        for row in rows:
            lines.append("| " + " | ".join(row) + " |")
        lines.append("")
    lines.append(f"Reference: Python {env['python']} ({env['python_executable']}), numpy {env['numpy']}, "
                 f"Pillow {env['pillow']} (zlib {env['zlib']}, libjpeg {env['libjpeg']}), "
                 f"OPENBLAS_CORETYPE={env['openblas_coretype']}, CPU affinity {env['affinity']}; "
                 f"numpy SIMD baseline {' '.join(env['numpy_cpu_baseline'])}, "
                 f"dispatch {' '.join(env['numpy_cpu_dispatch'])}.")
    md = "\n".join(lines) + "\n"
    with open(md_path, "w") as f:
        f.write(md)
    for title, header, rows in sections:
        print(f"\n== {title}")
        widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
        print("  ".join(h.ljust(w) for h, w in zip(header, widths)))
        for row in rows:
            print("  ".join(str(c).replace("**", "").ljust(w) for c, w in zip(row, widths)))
    print("\n" + lines[-1])


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "inputs":
        make_inputs(sys.argv[2])
    elif cmd == "reference":
        reference(sys.argv[2], sys.argv[3])
    elif cmd == "compare":
        compare(*sys.argv[2:7])
    else:
        sys.exit(__doc__)
