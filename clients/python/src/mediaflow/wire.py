"""The gateway's wire format: one ``multipart/form-data`` log call per step.

A call holds a ``log`` part (``{"step": N, "data": {key: item | [items]}}``) and one part per
array (``.npy``, what ``np.save`` writes) or file. Encoding happens on the sender thread,
never in ``log()``.
"""

from __future__ import annotations

import io
import json
import uuid
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

import numpy as np

from .media import Media, Parts, _plain


@dataclass
class Call:
    """One committed ``log()`` row waiting to be sent: a step (None for the run's summary) and its data."""

    step: Optional[int]
    data: Dict[str, Any]
    nbytes: int = 0
    items: int = 0
    seq: int = 0
    extra: Dict[str, Any] = field(default_factory=dict)


def measure(data: Dict[str, Any]) -> Tuple[int, int]:
    """(bytes held, media items) of one row, for the queue's byte budget and the counters."""
    nbytes, items = 256, 0
    for value in data.values():
        for v in (value if isinstance(value, (list, tuple)) else [value]):
            if isinstance(v, Media):
                nbytes += v._nbytes()
                items += v._item_count()
            else:
                nbytes += 64
    return nbytes, items


def _value_json(value: Any, parts: Parts) -> Any:
    if isinstance(value, Media):
        return value._spec(parts)
    if isinstance(value, (list, tuple)) and any(isinstance(v, Media) for v in value):
        return [_value_json(v, parts) for v in value]
    return _plain(value)


def merge(calls: List[Call]) -> Dict[str, Any]:
    """The data of several calls of one step, later keys winning (the reference's row semantics)."""
    data: Dict[str, Any] = {}
    for call in calls:
        data.update(call.data)
    return data


def encode(step: Optional[int], data: Dict[str, Any]) -> Tuple[bytes, str]:
    """The request body and its Content-Type for one step's data."""
    parts = Parts()
    log: Dict[str, Any] = {"data": {str(k): _value_json(v, parts) for k, v in data.items()}}
    if step is not None:
        log = {"step": int(step), **log}
    boundary = "mediaflow-" + uuid.uuid4().hex
    out = io.BytesIO()
    _part(out, boundary, "log", None, "application/json", json.dumps(log, allow_nan=False).encode("utf-8"))
    for name, file_name, payload in parts.items:
        if isinstance(payload, np.ndarray):
            buf = io.BytesIO()
            np.lib.format.write_array(buf, payload, allow_pickle=False)
            payload = buf.getvalue()
        _part(out, boundary, name, file_name, "application/octet-stream", payload)
    out.write(("--%s--\r\n" % boundary).encode("ascii"))
    return out.getvalue(), "multipart/form-data; boundary=" + boundary


def _part(out: io.BytesIO, boundary: str, name: str, file_name: Optional[str], content_type: str,
          payload: bytes) -> None:
    disposition = 'form-data; name="%s"' % name
    if file_name is not None:
        disposition += '; filename="%s"' % file_name
    out.write(("--%s\r\nContent-Disposition: %s\r\nContent-Type: %s\r\n\r\n"
               % (boundary, disposition, content_type)).encode("utf-8"))
    out.write(payload)
    out.write(b"\r\n")
