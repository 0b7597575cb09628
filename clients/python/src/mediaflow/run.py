"""``Run``: the reference's ``log``/``finish``/``summary`` call shapes over the background sender."""

from __future__ import annotations

import atexit
import copy
import sys
import threading
import warnings
from typing import Any, Dict, List, Optional

import numpy as np

from .media import Histogram, Table, _is_torch
from .sender import MediaflowWarning, Sender, Stats
from .wire import Call, measure

# the reference turns a logged array of more than 32 values into a 32-bin histogram
_ARRAY_AS_HISTOGRAM = 32


class Summary:
    """``run.summary``: media logged once to the run, not to a step (``POST .../summary``).

    The gateway stores these items with the reserved step ``-1``; updating a key again
    overwrites its one row.
    """

    def __init__(self, run: "Run") -> None:
        self._run = run
        self._values: Dict[str, Any] = {}

    def update(self, values: Dict[str, Any]) -> None:
        data = self._run._convert(values)
        self._values.update(data)
        self._run._submit(Call(step=None, data=data))

    def __setitem__(self, key: str, value: Any) -> None:
        self.update({key: value})

    def __getitem__(self, key: str) -> Any:
        return self._values[key]


class Run:
    """One training run logging to a mediaflow gateway. ``log()`` never encodes nor waits on the network."""

    def __init__(self, project: str, name: str, url: str, api_key: Optional[str] = None, *,
                 max_queue_bytes: int = 256 << 20, on_full: str = "block", block_timeout: float = 60.0,
                 batch_bytes: int = 32 << 20, spool_dir: Optional[str] = None, finish_timeout: float = 300.0,
                 quiet: bool = False, **sender_options: Any) -> None:
        self.project, self.name, self.url = project, name, url
        self.finish_timeout, self.quiet = finish_timeout, quiet
        self._sender = Sender(url, project, name, api_key, max_queue_bytes=max_queue_bytes, on_full=on_full,
                              block_timeout=block_timeout, batch_bytes=batch_bytes, spool_dir=spool_dir,
                              quiet=quiet, **sender_options)
        self._lock = threading.Lock()
        self._step = 0
        self._pending: Dict[str, Any] = {}
        self._finished = False
        self.summary = Summary(self)
        atexit.register(self._finish_at_exit)

    # ------------------------------------------------------------ the reference's calls

    @property
    def step(self) -> int:
        """The step the next ``log()`` without ``step`` writes to."""
        return self._step

    @property
    def rejected(self) -> List[Dict[str, Any]]:
        """Items (or calls) the gateway refused, each with its identity and ``reason``."""
        return list(self._sender.rejected)

    @property
    def stats(self) -> Stats:
        return self._sender.stats

    def log(self, data: Dict[str, Any], step: Optional[int] = None, commit: Optional[bool] = None) -> None:
        """Logs ``data`` at ``step``, with the reference's rules.

        Without ``step`` the row goes to the current step, which then advances; ``commit=False``
        keeps the row open so later calls add to the same step. With ``step`` lower than the current
        one the data is ignored with a warning; a higher one commits the open row first. An explicit
        ``step`` keeps its row open until a later step (or ``commit=True``, or ``finish()``).
        """
        if not isinstance(data, dict):
            raise ValueError("mediaflow.log must be passed a dictionary")
        if self._finished:
            raise RuntimeError("run %s is finished: log() after finish()" % self.name)
        converted = self._convert(data)
        with self._lock:
            if step is not None:
                step = int(step)
                if step < self._step:
                    warnings.warn("Tried to log to step %d that is less than the current step %d. Steps must be "
                                  "monotonically increasing, so this data will be ignored." % (step, self._step),
                                  MediaflowWarning, stacklevel=2)
                    return
                if step > self._step:
                    self._commit()
                    self._step = step
            self._pending.update(converted)
            if commit is None:
                commit = step is None
            if commit:
                self._commit()
                self._step += 1

    def finish(self, timeout: Optional[float] = None, quiet: Optional[bool] = None) -> Stats:
        """Commits the open row, sends what is queued (a progress line while it waits) and prints a summary."""
        if self._finished:
            return self.stats
        with self._lock:
            self._commit()
            self._finished = True
        quiet = self.quiet if quiet is None else quiet
        self._sender.close(self.finish_timeout if timeout is None else timeout, progress=not quiet)
        s = self.stats
        if not quiet:
            print("[mediaflow] run %s/%s finished: logged %d, accepted %d, rejected %d, retried %d, dropped %d, "
                  "unsent %d, still spooled %d calls" % (self.project, self.name, s.logged, s.accepted, s.rejected,
                                                          s.retried, s.dropped, s.unsent, self._sender.spooled()),
                  file=sys.stderr, flush=True)
        atexit.unregister(self._finish_at_exit)
        return s

    def spooled(self) -> int:
        """Calls waiting in the spool directory."""
        return self._sender.spooled()

    def __enter__(self) -> "Run":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.finish()

    # ------------------------------------------------------------ internals

    def _convert(self, data: Dict[str, Any]) -> Dict[str, Any]:
        """A snapshot of one row: media as they are (they copied their arrays), tables copied, arrays converted."""
        out: Dict[str, Any] = {}
        for key, value in data.items():
            if isinstance(value, Table):
                value = copy.copy(value)
                value.data = [list(row) for row in value.data]  # add_data after log() must not change what was logged
            elif isinstance(value, np.ndarray) or _is_torch(value):
                size = value.numel() if _is_torch(value) else value.size
                if size > _ARRAY_AS_HISTOGRAM:
                    value = Histogram(value, num_bins=_ARRAY_AS_HISTOGRAM)
            out[str(key)] = value
        return out

    def _commit(self) -> None:
        if self._pending:
            self._submit(Call(step=self._step, data=self._pending))
            self._pending = {}

    def _submit(self, call: Call) -> None:
        call.nbytes, call.items = measure(call.data)
        if call.items == 0:
            return  # plain values only: the gateway stores media, nothing to send
        self._sender.submit(call)

    def _finish_at_exit(self) -> None:
        if not self._finished:
            self.finish()

