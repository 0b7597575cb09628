"""mediaflow: log training media with the reference SDK's call shapes, without blocking the training loop.

    import mediaflow
    run = mediaflow.init(project="my-project", name="run-1")   # MEDIAFLOW_URL, MEDIAFLOW_API_KEY
    for step in range(100):
        mediaflow.log({"examples": [mediaflow.Image(batch[i]) for i in range(16)]})
    run.finish()

``log()`` copies the arrays and queues them; a background thread encodes them as ``.npy``
parts and sends them to the gateway (``POST /v1/projects/{project}/runs/{run}/log``), where the
stream normalises and encodes them exactly as the reference does in the training process.
"""

from __future__ import annotations

import os
import time
from typing import Any, Dict, Optional

from .media import Audio, Histogram, Html, Image, Media, Molecule, Object3D, Table, Video
from .run import Run, Summary
from .sender import MediaflowWarning, Stats

__all__ = ["init", "log", "finish", "Run", "Summary", "Stats", "MediaflowWarning", "Media", "Image", "Histogram",
           "Object3D", "Video", "Audio", "Table", "Html", "Molecule", "run"]
__version__ = "0.1.0"

DEFAULT_URL = "http://127.0.0.1:8080"

#: The run of the last ``init()`` (the reference's ``wandb.run``), None before.
run: Optional[Run] = None


def init(project: Optional[str] = None, name: Optional[str] = None, url: Optional[str] = None,
         api_key: Optional[str] = None, **options: Any) -> Run:
    """Starts a run (finishing the previous one). Defaults: ``MEDIAFLOW_PROJECT`` (else ``uncategorized``),
    a ``run-<time>`` name, ``MEDIAFLOW_URL`` (else ``http://127.0.0.1:8080``), ``MEDIAFLOW_API_KEY``.

    Options: ``max_queue_bytes`` (256 MiB), ``on_full`` (``"block"`` or ``"drop"``), ``block_timeout``
    (60 s), ``batch_bytes`` (32 MiB), ``spool_dir`` (unset: no spool), ``finish_timeout`` (300 s), ``quiet``.
    Spooled calls of the same project and run are sent first.
    """
    global run
    if run is not None:
        run.finish()
    run = Run(project or os.environ.get("MEDIAFLOW_PROJECT") or "uncategorized",
              name or os.environ.get("MEDIAFLOW_RUN") or time.strftime("run-%Y%m%d-%H%M%S"),
              url or os.environ.get("MEDIAFLOW_URL") or DEFAULT_URL,
              api_key if api_key is not None else os.environ.get("MEDIAFLOW_API_KEY"),
              **options)
    return run


def log(data: Dict[str, Any], step: Optional[int] = None, commit: Optional[bool] = None) -> None:
    """``run.log`` of the current run."""
    if run is None:
        raise RuntimeError("You must call mediaflow.init() before mediaflow.log()")
    run.log(data, step=step, commit=commit)


def finish(timeout: Optional[float] = None) -> Optional[Stats]:
    """``run.finish`` of the current run, if any."""
    global run
    if run is None:
        return None
    stats, run = run.finish(timeout), None
    return stats
