#!/usr/bin/env python3
"""Time the training thread spends per log of 16 images 224x224x3 float32: mediaflow client vs the reference path.

Reference path (what wandb.Image does in the training process, per image): normalise with numpy
as its ``to_uint8`` does, ``PIL.Image.fromarray``, encode as PNG and write the file to the run's
media directory. mediaflow path: ``run.log({"examples": [mediaflow.Image(x) for x in batch]})``,
i.e. construct (copy) and enqueue; encoding and HTTP happen on the sender thread.

Both run in this process, interleaved, on the same batches. The client sends to a gateway:
``--url`` (e.g. ``bin/mediaflow up``'s, with MEDIAFLOW_API_KEY) or, by default, a local HTTP
sink in this process that answers like the gateway (so the figure is the client's own cost).

    /usr/bin/python3 tools/bench/python_client_bench.py [--iterations 40] [--url http://127.0.0.1:8080]
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
from PIL import Image as PILImage

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "clients", "python", "src"))
import mediaflow  # noqa: E402


def reference_to_uint8(data: np.ndarray) -> np.ndarray:
    """wandb.Image.to_uint8: the reference's normalisation, in numpy."""
    dmin = np.min(data)
    if dmin < 0:
        data = (data - np.min(data)) / np.ptp(data)
    if np.max(data) <= 1.0:
        data = (data * 255).astype(np.int32)
    return data.clip(0, 255).astype(np.uint8)


def reference_log(batch, media_dir: str, step: int) -> int:
    """The reference's per-image path; returns the bytes written."""
    written = 0
    for i, x in enumerate(batch):
        path = os.path.join(media_dir, "examples_%d_%d.png" % (step, i))
        PILImage.fromarray(reference_to_uint8(x), mode="RGB").save(path, transparency=None)
        written += os.path.getsize(path)
    return written


def local_sink():
    """A gateway stand-in: reads the whole request, answers {"accepted": n}."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"]))
            log = json.loads(body.split(b"\r\n\r\n", 1)[1].split(b"\r\n--", 1)[0])
            n = sum(len(v) if isinstance(v, list) else 1 for v in log["data"].values())
            payload = json.dumps({"accepted": n, "rejected": []}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, "http://127.0.0.1:%d" % server.server_address[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--iterations", type=int, default=40)
    parser.add_argument("--images", type=int, default=16)
    parser.add_argument("--url", default=None, help="a gateway; default: a local sink in this process")
    args = parser.parse_args()
    server, url = (None, args.url) if args.url else local_sink()
    rng = np.random.default_rng(0)
    batches = [rng.random((args.images, 224, 224, 3), dtype=np.float32) for _ in range(4)]
    run = mediaflow.init(project="bench", name="python-client-bench-%d" % time.time(), url=url,
                         api_key=os.environ.get("MEDIAFLOW_API_KEY"), quiet=True)
    ours, theirs, ref_bytes = [], [], 0
    with tempfile.TemporaryDirectory() as media_dir:
        for step in range(args.iterations):
            batch = batches[step % len(batches)]
            t0 = time.perf_counter()
            run.log({"examples": [mediaflow.Image(x) for x in batch]})
            t1 = time.perf_counter()
            ref_bytes += reference_log(batch, media_dir, step)
            t2 = time.perf_counter()
            ours.append(t1 - t0)
            theirs.append(t2 - t1)
        t_finish = time.perf_counter()
        stats = run.finish(timeout=600)
        drain = time.perf_counter() - t_finish
    n = args.iterations * args.images
    med_ours, med_theirs = statistics.median(ours), statistics.median(theirs)
    print("python client bench: %d logs of %d images 224x224x3 float32 (%s)"
          % (args.iterations, args.images, "gateway " + url if args.url else "local sink"))
    print("  training-thread time per log   mediaflow: median %.2f ms, mean %.2f ms, p95 %.2f ms"
          % (med_ours * 1e3, statistics.mean(ours) * 1e3, sorted(ours)[int(0.95 * len(ours)) - 1] * 1e3))
    print("                                 reference: median %.1f ms, mean %.1f ms (numpy normalise + PNG + file)"
          % (med_theirs * 1e3, statistics.mean(theirs) * 1e3))
    print("  ratio (median): %.0fx less time in the training thread" % (med_theirs / med_ours))
    print("  bytes per image                mediaflow: %.0f sent (.npy float32 + multipart)   reference: %.0f PNG"
          % (stats.bytes_sent / n, ref_bytes / n))
    print("  accepted %d of %d, finish() drained the rest in %.2f s" % (stats.accepted, n, drain))
    if server:
        server.shutdown()


if __name__ == "__main__":
    main()
