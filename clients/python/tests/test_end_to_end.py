"""The client against the real stack (gateway, Kafka, transform, sink, SQLite), next to hand-made HTTP calls.

Run by ``PythonClientIT`` (embedded-stack) inside ``./mvnw -B verify``; by hand against ``bin/mediaflow up``:
``MEDIAFLOW_TEST_URL=http://127.0.0.1:8080 MEDIAFLOW_TEST_SQLITE=mediaflow-data/metadata.db
MEDIAFLOW_TEST_API_KEY=mf_... /usr/bin/python3 -m pytest clients/python/tests``.
"""

from __future__ import annotations

import io
import json
import socket
import threading
import time
import uuid
import wave

import numpy as np
import pytest
import requests

import mediaflow
from conftest import free_port

# columns that differ between two runs of the same content; the rest must be equal
_IDENTITY_COLUMNS = {"project", "run", "object_key", "object_keys", "producer_id", "logged_at", "stored_at"}

SDF = ("methane\n  manual\n\n  1  0  0  0  0  0  0  0  0  0999 V2000\n"
       "    0.0000    0.0000    0.0000 C   0  0  0  0  0  0  0  0  0  0  0  0\nM  END\n$$$$\n")


def npy(arr) -> bytes:
    buf = io.BytesIO()
    np.save(buf, arr)
    return buf.getvalue()


def wav_bytes() -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes((np.sin(np.arange(800) / 5) * 3000).astype("<i2").tobytes())
    return buf.getvalue()


def png_bytes() -> bytes:
    pil = pytest.importorskip("PIL.Image", reason="python3-pil is not installed")
    buf = io.BytesIO()
    pil.fromarray((np.arange(48 * 32 * 3) % 251).astype(np.uint8).reshape(32, 48, 3)).save(buf, "PNG")
    return buf.getvalue()


def gif_bytes() -> bytes:
    pil = pytest.importorskip("PIL.Image", reason="python3-pil is not installed")
    frames = [pil.fromarray(np.full((16, 16), v, np.uint8)) for v in (0, 128, 255)]
    buf = io.BytesIO()
    frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:], duration=100)
    return buf.getvalue()


def every_media_type(tmp_path):
    """(client data, hand-made log data, hand-made files, rows expected): one of each class and input kind."""
    rng = np.random.default_rng(7)
    img = rng.random((24, 32, 3), dtype=np.float32)
    mask = (rng.random((24, 32)) * 3).astype(np.uint8)
    gray = (rng.random((20, 20)) * 255).astype(np.uint8)
    values = rng.standard_normal(5000)
    cloud = rng.random((500, 6)) * [1, 1, 1, 255, 255, 255]
    frames = (rng.random((6, 3, 16, 16)) * 255).astype(np.uint8)
    samples = (np.sin(np.arange(4000) / 7) * 0.5).astype(np.float32)
    cell = rng.random((8, 8), dtype=np.float32)
    boxes = {"predictions": {"box_data": [{"position": {"minX": 0.1, "maxX": 0.4, "minY": 0.2, "maxY": 0.6},
                                           "class_id": 1, "scores": {"conf": 0.9}, "box_caption": "cat"}],
                             "class_labels": {1: "cat"}}}
    png_path, gif_path, wav_path = tmp_path / "cat.png", tmp_path / "clip.gif", tmp_path / "tone.wav"
    png_path.write_bytes(png_bytes())
    gif_path.write_bytes(gif_bytes())
    wav_path.write_bytes(wav_bytes())
    pts = [[0, 0, 0], [1, 2, 3], [4, 5, 6]]
    pts_path, sdf_path = tmp_path / "cloud.pts.json", tmp_path / "methane.sdf"
    pts_path.write_text(json.dumps(pts))
    sdf_path.write_text(SDF)
    scene_boxes = [{"corners": [[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0], [1, 0, 1], [0, 1, 1], [1, 1, 1]],
                    "color": [255, 0, 0], "label": "car", "score": 0.8}]
    table = mediaflow.Table(columns=["id", "score", "image"])
    table.add_data(1, 0.5, mediaflow.Image(cell))
    table.add_data(2, 0.7, None)

    client = {
        "examples": [mediaflow.Image(img, caption="a sample", boxes=boxes, grouping=2,
                                     masks={"seg": {"mask_data": mask, "class_labels": {0: "bg", 1: "a", 2: "b"}}}),
                     mediaflow.Image(gray, normalize=False, file_type="bmp"),
                     mediaflow.Image(str(png_path), caption="from a file")],
        "weights": mediaflow.Histogram(values, num_bins=40),
        "precomputed": mediaflow.Histogram(np_histogram=([1, 2, 3], [0.0, 1.0, 2.0, 3.0])),
        "lidar": mediaflow.Object3D(cloud),
        "scene": mediaflow.Object3D.from_point_cloud(cloud[:, :3], scene_boxes),
        "mesh": mediaflow.Object3D(str(pts_path)),
        "rollout": mediaflow.Video(frames, fps=8),
        "clip": mediaflow.Video(str(gif_path)),
        "speech": mediaflow.Audio(samples, sample_rate=16000, caption="tone"),
        "recording": mediaflow.Audio(str(wav_path)),
        "preds": table,
        "report": mediaflow.Html("<h1>epoch 0</h1>"),
        "raw_report": mediaflow.Html(io.StringIO("<p>raw</p>"), inject=False),
        "mol": mediaflow.Molecule.from_smiles("CCO"),
        "methane": mediaflow.Molecule(str(sdf_path), caption="CH4"),
        "loss": 0.25,
    }
    scene_json = {"type": "lidar/beta", "points": "cloud3", "boxes": scene_boxes, "vectors": []}
    hand = {
        "examples": [{"_type": "image", "array": "img", "caption": "a sample", "grouping": 2,
                      "boxes": {"predictions": dict(boxes["predictions"], class_labels={"1": "cat"})},
                      "masks": {"seg": {"mask_data": "mask", "class_labels": {"0": "bg", "1": "a", "2": "b"}}}},
                     {"_type": "image", "array": "gray", "normalize": False, "file_type": "bmp"},
                     {"_type": "image", "file": "png", "caption": "from a file"}],
        "weights": {"_type": "histogram", "sequence": "values", "num_bins": 40},
        "precomputed": {"_type": "histogram", "np_histogram": [[1, 2, 3], [0.0, 1.0, 2.0, 3.0]]},
        "lidar": {"_type": "object3D", "points": "cloud"},
        "scene": {"_type": "object3D", "scene": scene_json},
        "mesh": {"_type": "object3D", "file": "pts"},
        "rollout": {"_type": "video", "frames": "frames", "fps": 8},
        "clip": {"_type": "video", "file": "gif"},
        "speech": {"_type": "audio", "samples": "samples", "sample_rate": 16000, "caption": "tone"},
        "recording": {"_type": "audio", "file": "wav"},
        "preds": {"_type": "table", "columns": ["id", "score", "image"],
                  "data": [[1, 0.5, {"_type": "image", "array": "cell"}], [2, 0.7, None]]},
        "report": {"_type": "html", "html": "<h1>epoch 0</h1>"},
        "raw_report": {"_type": "html", "html": "<p>raw</p>", "inject": False},
        "mol": {"_type": "molecule", "smiles": "CCO"},
        "methane": {"_type": "molecule", "file": "sdf", "caption": "CH4"},
        "loss": 0.25,
    }
    files = {"img": ("img.npy", npy(img)), "mask": ("mask.npy", npy(mask)), "gray": ("gray.npy", npy(gray)),
             "png": ("cat.png", png_path.read_bytes()), "values": ("values.npy", npy(values)),
             "cloud": ("cloud.npy", npy(cloud)), "cloud3": ("cloud3.npy", npy(np.ascontiguousarray(cloud[:, :3]))),
             "pts": ("cloud.pts.json", pts_path.read_bytes()), "frames": ("frames.npy", npy(frames)),
             "gif": ("clip.gif", gif_path.read_bytes()), "samples": ("samples.npy", npy(samples)),
             "wav": ("tone.wav", wav_path.read_bytes()), "cell": ("cell.npy", npy(cell)),
             "sdf": ("methane.sdf", SDF.encode())}
    return client, hand, files, 18  # 17 items + the table's image cell


def hand_made_call(stack, project, run, step, data, files):
    """The equivalent call built by hand with requests, as the README shows it with curl."""
    headers = {"Authorization": "Bearer " + stack.api_key} if stack.api_key else {}
    multipart = {"log": (None, json.dumps({"step": step, "data": data}), "application/json")}
    multipart.update(files)
    answer = requests.post("%s/v1/projects/%s/runs/%s/log" % (stack.url, project, run), files=multipart,
                           headers=headers, timeout=60)
    assert answer.status_code == 200, answer.text
    return answer.json()


def comparable(row, run):
    """A row without what names its run; a table's JSON references its cells by identity, so its hash differs."""
    skip = _IDENTITY_COLUMNS | ({"sha256"} if row["media_type"] == "table" else set())
    return {k: (v.replace(run, "<run>") if isinstance(v, str) else v) for k, v in row.items() if k not in skip}


def client_run(stack, project, run, **options):
    options.setdefault("quiet", True)
    return mediaflow.init(project=project, name=run, url=options.pop("url", stack.url), api_key=stack.api_key,
                          **options)


def test_should_store_every_media_class_as_the_equivalent_hand_made_call_does(stack, tmp_path):
    # Given one of every media class (arrays, files, file objects, PIL-free paths, a table with a media cell)
    client, hand, files, expected = every_media_type(tmp_path)
    project, suffix = "py-client", uuid.uuid4().hex[:8]

    # When the client logs them at step 4 and a hand-made multipart call sends the same at step 4
    run = client_run(stack, project, "client-" + suffix)
    run.log(client, step=4)
    stats = run.finish()
    answer = hand_made_call(stack, project, "handmd-" + suffix, 4, hand, files)

    # Then both are accepted whole and every stored row is the same, column for column
    assert (stats.accepted, stats.rejected, run.rejected) == (expected, 0, [])
    assert answer == {"accepted": expected, "rejected": []}
    mine = stack.await_rows(project, "client-" + suffix, expected)
    theirs = stack.await_rows(project, "handmd-" + suffix, expected)
    print("[figures] every media class: %d items logged, %d rows stored by the client, %d by hand, %d types"
          % (stats.logged, len(mine), len(theirs), len({r["media_type"] for r in mine})))
    assert [comparable(r, "client-" + suffix) for r in mine] == [comparable(r, "handmd-" + suffix) for r in theirs]
    assert {r["media_type"] for r in mine} == {"image", "histogram", "object3D", "video", "audio", "table", "html",
                                               "molecule"}


def test_should_store_a_torch_chw_tensor_as_the_hand_made_tensor_call_does(stack):
    torch = pytest.importorskip("torch", reason="python3-torch is not installed: torch tensors not checked")
    # Given a CHW float tensor that requires grad and a hand-made "tensor" call of the same values
    tensor = torch.rand(3, 20, 30, requires_grad=True)
    values = tensor.detach().numpy().copy()
    project, suffix = "py-client", uuid.uuid4().hex[:8]

    # When the client logs it and the same goes by hand
    run = client_run(stack, project, "torch-" + suffix)
    run.log({"t": mediaflow.Image(tensor), "h": mediaflow.Histogram(torch.arange(100.0))})
    run.finish()
    hand_made_call(stack, project, "hand-torch-" + suffix, 0,
                   {"t": {"_type": "image", "tensor": "t"}, "h": {"_type": "histogram", "sequence": "h"}},
                   {"t": ("t.npy", npy(values)), "h": ("h.npy", npy(np.arange(100, dtype=np.float32)))})

    # Then the stored rows are the same (a 30×20 image, the same histogram)
    mine = stack.await_rows(project, "torch-" + suffix, 2)
    theirs = stack.await_rows(project, "hand-torch-" + suffix, 2)
    assert [comparable(r, "torch-" + suffix) for r in mine] == [comparable(r, "hand-torch-" + suffix) for r in theirs]
    assert (mine[1]["width"], mine[1]["height"]) == (30, 20)


def test_should_report_a_refused_item_and_store_its_neighbour_and_later_calls(stack):
    # Given a call with a key the gateway refuses (user keys may not end with .cells) next to a good one
    project, run_name = "py-client", "rejects-" + uuid.uuid4().hex[:8]
    run = client_run(stack, project, run_name)

    # When it is logged, then another good call
    with pytest.warns(mediaflow.MediaflowWarning, match="cells"):
        run.log({"bad.cells": mediaflow.Image(np.zeros((4, 4))), "good": mediaflow.Image(np.ones((4, 4)))})
        run.log({"later": mediaflow.Image(np.ones((4, 4)))})
        stats = run.finish()

    # Then the refusal names the item and its reason, and both good items are stored
    rows = stack.await_rows(project, run_name, 2)
    print("[figures] refused key: rejected %s; stored %s" % (run.rejected, [(r["log_key"], r["step"]) for r in rows]))
    assert len(run.rejected) == 1 and run.rejected[0]["key"] == "bad.cells" and run.rejected[0]["step"] == 0
    assert "cells" in run.rejected[0]["reason"]
    assert [(r["log_key"], r["step"]) for r in rows] == [("good", 0), ("later", 1)]
    assert (stats.accepted, stats.rejected) == (2, 1)


def test_should_store_the_summary_histogram_once_at_step_minus_one(stack):
    # Given a run that logs a histogram at step 0 and the same key and a final one to its summary
    project, run_name = "py-client", "summary-" + uuid.uuid4().hex[:8]
    run = client_run(stack, project, run_name)

    # When
    run.log({"hist": mediaflow.Histogram(np.arange(10.0))})
    run.summary.update({"final_hist": mediaflow.Histogram(np.arange(100.0)), "hist": mediaflow.Histogram(np.ones(5))})
    stats = run.finish()

    # Then the summary items are rows at step -1, apart from the step-0 row of the same key
    rows = stack.await_rows(project, run_name, 3)
    print("[figures] summary: %s" % [(r["log_key"], r["step"], r["media_type"]) for r in rows])
    assert (stats.accepted, stats.rejected, run.rejected) == (3, 0, [])
    assert [(r["log_key"], r["step"], r["media_type"]) for r in rows] == [
        ("final_hist", -1, "histogram"), ("hist", -1, "histogram"), ("hist", 0, "histogram")]
    assert json.loads(rows[0]["metadata_json"])["_type"] == "histogram"


class TcpProxy:
    """A local TCP proxy to the gateway that can be cut (listener closed, connections reset) and restored."""

    def __init__(self, target_url: str) -> None:
        host_port = target_url.split("://", 1)[1].split("/", 1)[0]
        self.target = (host_port.split(":")[0], int(host_port.split(":")[1]))
        self.port = free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        self._listener = None
        self._conns = []
        self.up()

    def up(self) -> None:
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", self.port))
        self._listener.listen(16)
        threading.Thread(target=self._accept, args=(self._listener,), daemon=True).start()

    def down(self) -> None:
        try:
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() thread; close() alone does not
        except OSError:
            pass
        self._listener.close()
        for c in self._conns:
            try:
                c.shutdown(socket.SHUT_RDWR)  # resets what is in flight, as a gateway restart does
                c.close()
            except OSError:
                pass
        self._conns = []

    def _accept(self, listener) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            self._conns += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src, dst) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.close()
                except OSError:
                    pass


def test_should_lose_and_double_nothing_when_the_gateway_goes_away_twice_mid_run(stack):
    # Given a run logging through a proxy to the gateway
    proxy = TcpProxy(stack.url)
    project, run_name = "py-client", "outage-" + uuid.uuid4().hex[:8]
    run = client_run(stack, project, run_name, url=proxy.url, backoff_base=0.2, backoff_max=2.0)

    # When the gateway is unreachable twice for 1.5 s while 30 steps of 2 images are logged
    log_times = []
    for step in range(30):
        if step in (8, 20):
            proxy.down()
        if step in (12, 24):
            time.sleep(1.5)
            proxy.up()
        started = time.perf_counter()
        run.log({"examples": [mediaflow.Image(np.full((16, 16, 3), step, np.uint8)) for _ in range(2)]})
        log_times.append(time.perf_counter() - started)
        time.sleep(0.05)
    stats = run.finish(timeout=120)

    # Then every item is stored once, log() never waited on the outage, and the retries are counted
    rows = stack.await_rows(project, run_name, 60)
    print("[figures] two 1.5 s gateway outages over 30 steps x 2 images: accepted %d, retried %d, rows %d, "
          "slowest log() %.2f ms" % (stats.accepted, stats.retried, len(rows), max(log_times) * 1e3))
    assert len(rows) == 60 and len({(r["step"], r["item_index"]) for r in rows}) == 60
    assert stats.accepted == 60 and stats.rejected == 0 and stats.retried >= 2 and stats.dropped == 0
    assert max(log_times) < 0.1
    proxy.down()


def test_should_resend_the_spool_at_the_next_init_after_the_gateway_restarts(stack, tmp_path):
    # Given a run with a spool whose gateway is down for its whole life
    proxy = TcpProxy(stack.url)
    proxy.down()
    project, run_name = "py-client", "spool-" + uuid.uuid4().hex[:8]
    first = client_run(stack, project, run_name, url=proxy.url, spool_dir=str(tmp_path))
    for _ in range(3):
        first.log({"examples": mediaflow.Image(np.zeros((8, 8)))})
    first.finish(timeout=1.0)
    spooled = first.spooled()

    # When the gateway is back and the same run is initialised again
    proxy.up()
    second = client_run(stack, project, run_name, url=proxy.url, spool_dir=str(tmp_path))
    second.log({"examples": mediaflow.Image(np.ones((8, 8)))}, step=3)
    stats = second.finish(timeout=60)

    # Then the spooled steps and the new one are stored, and the spool is empty
    rows = stack.await_rows(project, run_name, 4)
    print("[figures] spool: %d calls spooled while down, %d stored after the restart, %d left"
          % (spooled, len(rows), second.spooled()))
    assert spooled == 3 and [r["step"] for r in rows] == [0, 1, 2, 3]
    assert second.spooled() == 0 and stats.accepted == 4
    proxy.down()
