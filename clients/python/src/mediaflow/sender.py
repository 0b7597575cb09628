"""The background sender: the only place that encodes, talks HTTP, retries and spools.

``submit()`` is what the training thread pays for: it appends an already-snapshotted call to
an in-memory queue bounded in bytes. One daemon thread takes calls in order, merges
consecutive calls of the same step into one request (the gateway takes one step per call; steps
go back to back on one keep-alive session), and retries what the gateway could not take:
429 and 503 (honouring ``Retry-After``), other 5xx and connection errors, with exponential
backoff and jitter. With a spool directory, a call that fails once is written to disk, and
while the gateway is away the queue drains to disk too, so the training loop neither blocks nor
loses anything; spooled calls are sent first, oldest first, now or at the next ``init`` of the
same run.
"""

from __future__ import annotations

import email.utils
import json
import os
import random
import sys
import threading
import time
import urllib.parse
import warnings
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Deque, Dict, List, Optional, Tuple

import requests

from .wire import Call, encode, merge

RETRY_STATUSES = (429, 500, 502, 503, 504)


class MediaflowWarning(UserWarning):
    """Rejected items, dropped calls and outages the client reports without raising."""


@dataclass
class Stats:
    """What happened to the run's media items so far (``run.stats``)."""

    logged: int = 0
    accepted: int = 0
    rejected: int = 0
    retried: int = 0
    dropped: int = 0
    unsent: int = 0
    calls_sent: int = 0
    bytes_sent: int = 0
    spooled_calls: int = 0


@dataclass
class _Request:
    """An encoded request: what is retried and what the spool keeps."""

    endpoint: str
    step: Optional[int]
    body: bytes
    content_type: str
    items: int
    spool_path: Optional[str] = None
    held_bytes: int = 0


@dataclass
class _Outcome:
    done: bool
    retry_after: Optional[float] = None
    reason: str = ""
    rejected: List[Dict[str, Any]] = field(default_factory=list)


class Spool:
    """Encoded calls on disk, one file each: a JSON header line, then the multipart body."""

    def __init__(self, root: str, project: str, run: str) -> None:
        self.dir = os.path.join(root, urllib.parse.quote(project, safe=""), urllib.parse.quote(run, safe=""))
        os.makedirs(self.dir, exist_ok=True)
        existing = self.files()
        self._seq = (int(os.path.basename(existing[-1]).split(".")[0]) + 1) if existing else 0

    def files(self) -> List[str]:
        return sorted(os.path.join(self.dir, f) for f in os.listdir(self.dir) if f.endswith(".call"))

    def write(self, req: _Request) -> str:
        path = os.path.join(self.dir, "%012d.call" % self._seq)
        self._seq += 1
        header = {"endpoint": req.endpoint, "step": req.step, "content_type": req.content_type, "items": req.items}
        tmp = path + ".tmp"
        with open(tmp, "wb") as f:
            f.write(json.dumps(header).encode("utf-8") + b"\n")
            f.write(req.body)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)  # a crash leaves a whole call or none
        return path

    @staticmethod
    def read(path: str) -> _Request:
        with open(path, "rb") as f:
            header = json.loads(f.readline())
            body = f.read()
        return _Request(header["endpoint"], header["step"], body, header["content_type"], header["items"], path)


class Sender:
    """Sends a run's calls from a daemon thread; see the module doc for the policy."""

    def __init__(self, url: str, project: str, run: str, api_key: Optional[str] = None, *,
                 max_queue_bytes: int = 256 << 20, on_full: str = "block", block_timeout: float = 60.0,
                 batch_bytes: int = 32 << 20, spool_dir: Optional[str] = None, backoff_base: float = 0.5,
                 backoff_max: float = 30.0, request_timeout: float = 60.0, quiet: bool = False) -> None:
        if on_full not in ("block", "drop"):
            raise ValueError('on_full must be "block" or "drop"')
        quoted = urllib.parse.quote(project, safe="") + "/runs/" + urllib.parse.quote(run, safe="")
        self._base = url.rstrip("/") + "/v1/projects/" + quoted
        self.max_queue_bytes, self.on_full, self.block_timeout = max_queue_bytes, on_full, block_timeout
        self.batch_bytes, self.backoff_base, self.backoff_max = batch_bytes, backoff_base, backoff_max
        self.request_timeout, self.quiet = request_timeout, quiet
        self.stats = Stats()
        self.rejected: List[Dict[str, Any]] = []
        self._session = requests.Session()
        if api_key:
            self._session.headers["Authorization"] = "Bearer " + api_key
        self._spool = Spool(spool_dir, project, run) if spool_dir else None
        self._queue: Deque[Call] = deque()
        self._queued_bytes = 0
        self._cond = threading.Condition()
        self._closing = False
        self._abort = threading.Event()
        self._busy = False
        self._warned: Dict[str, int] = {}
        self._thread = threading.Thread(target=self._loop, name="mediaflow-sender", daemon=True)
        self._thread.start()

    # ------------------------------------------------------------ training thread side

    def submit(self, call: Call) -> bool:
        """Queues a call; False when it was dropped (queue full under ``on_full``)."""
        with self._cond:
            self.stats.logged += call.items
            if self._closing:
                raise RuntimeError("this run is finished: log() after finish()")
            if not self._wait_for_room(call.nbytes):
                self.stats.dropped += call.items
                self._warn("dropped", "queue full (%d bytes queued, budget %d): dropped step %s (%d items)"
                           % (self._queued_bytes, self.max_queue_bytes, call.step, call.items))
                return False
            self._queue.append(call)
            self._queued_bytes += call.nbytes
            self._cond.notify_all()
            return True

    def _wait_for_room(self, nbytes: int) -> bool:
        # a call larger than the whole budget still goes through an empty queue
        def fits() -> bool:
            return not self._queue or self._queued_bytes + nbytes <= self.max_queue_bytes
        if fits():
            return True
        if self.on_full == "drop":
            return False
        return self._cond.wait_for(fits, timeout=self.block_timeout)

    def pending(self) -> Tuple[int, int]:
        """(calls, bytes) still held in memory."""
        with self._cond:
            return len(self._queue) + (1 if self._busy else 0), self._queued_bytes

    def spooled(self) -> int:
        return len(self._spool.files()) if self._spool else 0

    def close(self, timeout: float, progress: bool) -> None:
        """Sends what is queued, up to ``timeout`` seconds; then spools (or counts as unsent) the rest."""
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        deadline, last_line = time.monotonic() + timeout, 0.0
        while self._thread.is_alive() and time.monotonic() < deadline:
            self._thread.join(min(0.5, max(0.0, deadline - time.monotonic())))
            if progress and self._thread.is_alive() and time.monotonic() - last_line >= 1.0:
                calls, nbytes = self.pending()
                spooled = self.spooled()
                self._print("[mediaflow] finishing: %d calls (%.1f MB) in memory%s left to send"
                            % (calls, nbytes / 1e6, ", %d spooled" % spooled if spooled else ""))
                last_line = time.monotonic()
        if self._thread.is_alive():
            self._abort.set()
            with self._cond:
                self._cond.notify_all()
            self._thread.join(30)
        self._session.close()

    # ------------------------------------------------------------ sender thread

    def _loop(self) -> None:
        while True:
            if self._spool and self._spool.files():
                if not self._send_spooled():
                    return  # aborted: what is left stays spooled
                continue
            with self._cond:
                while not self._queue and not self._closing:
                    self._cond.wait()
                if not self._queue:
                    return
                batch = self._take_batch()
                self._busy = True
            held = sum(c.nbytes for c in batch)
            try:
                req = self._encode(batch, held)
                if req is not None:
                    self._deliver(req)
            finally:
                with self._cond:
                    self._busy = False
                    self._queued_bytes -= held
                    self._cond.notify_all()
            if self._abort.is_set():
                self._give_up_queue()
                return

    def _take_batch(self) -> List[Call]:
        """Consecutive calls of one step (and endpoint), up to ``batch_bytes``."""
        batch = [self._queue.popleft()]
        size = batch[0].nbytes
        while self._queue and self._queue[0].step == batch[0].step and size + self._queue[0].nbytes <= self.batch_bytes:
            size += self._queue[0].nbytes
            batch.append(self._queue.popleft())
        return batch

    def _encode(self, batch: List[Call], held: int) -> Optional[_Request]:
        endpoint = "summary" if batch[0].step is None else "log"
        try:
            body, content_type = encode(batch[0].step, merge(batch))
        except Exception as e:  # noqa: BLE001 - a bad value must not kill the sender
            items = sum(c.items for c in batch)
            self.stats.rejected += items
            self._reject_call(batch[0].step, "cannot encode the call: %r" % e)
            return None
        return _Request(endpoint, batch[0].step, body, content_type, sum(c.items for c in batch), held_bytes=held)

    def _deliver(self, req: _Request) -> bool:
        """Sends until done; on the first failure, hands the call to the spool if there is one."""
        attempt = 0
        while True:
            outcome = self._post(req)
            if outcome.done:
                return True
            self.stats.retried += 1
            self._warn("retry", "gateway busy or away (%s); retrying with backoff" % outcome.reason)
            if self._spool and req.spool_path is None:
                req.spool_path = self._spool.write(req)
                self.stats.spooled_calls += 1
                return False  # the loop resends it from the spool, in order
            if not self._sleep(self._backoff(attempt, outcome.retry_after)):
                return False
            attempt += 1

    def _send_spooled(self) -> bool:
        attempt = 0
        while True:
            files = self._spool.files()
            if not files:
                return True
            req = Spool.read(files[0])
            outcome = self._post(req)
            if outcome.done:
                os.remove(req.spool_path)
                attempt = 0
                continue
            self.stats.retried += 1
            self._spool_queue()  # the gateway is away: free the memory, keep the order
            if not self._sleep(self._backoff(attempt, outcome.retry_after)):
                return False
            attempt += 1

    def _spool_queue(self) -> None:
        with self._cond:
            batches = []
            while self._queue:
                batches.append(self._take_batch())
        for batch in batches:
            held = sum(c.nbytes for c in batch)
            req = self._encode(batch, held)
            if req is not None:
                self._spool.write(req)
                self.stats.spooled_calls += 1
            with self._cond:
                self._queued_bytes -= held
                self._cond.notify_all()

    def _give_up_queue(self) -> None:
        """finish() ran out of time: spool what is left, or count it as unsent."""
        if self._spool:
            self._spool_queue()
            return
        with self._cond:
            while self._queue:
                call = self._queue.popleft()
                self.stats.unsent += call.items
                self._queued_bytes -= call.nbytes

    def _sleep(self, seconds: float) -> bool:
        """Waits before a retry; False when finish() gave up meanwhile."""
        return not self._abort.wait(seconds)

    def _backoff(self, attempt: int, retry_after: Optional[float]) -> float:
        if retry_after is not None:
            return retry_after * random.uniform(1.0, 1.1)
        ceiling = min(self.backoff_max, self.backoff_base * (2 ** attempt))
        return random.uniform(ceiling / 2, ceiling)  # jitter: clients of one outage do not retry in lockstep

    def _post(self, req: _Request) -> _Outcome:
        try:
            response = self._session.post(self._base + "/" + req.endpoint, data=req.body,
                                          headers={"Content-Type": req.content_type},
                                          timeout=(10, self.request_timeout))
        except requests.RequestException as e:
            return _Outcome(False, reason="%s: %s" % (type(e).__name__, e))
        self.stats.bytes_sent += len(req.body)
        status = response.status_code
        if status in RETRY_STATUSES:
            return _Outcome(False, _retry_after(response.headers.get("Retry-After")),
                            "HTTP %d %s" % (status, response.text[:200]))
        body = _json(response)
        if status == 200 and not isinstance(body.get("accepted"), int):
            # an answer cut short (urllib3 1.x does not check Content-Length): the items may or may not be
            # stored, and resending overwrites the same identities
            return _Outcome(False, None, "HTTP 200 with an unreadable answer %r" % response.text[:100])
        rejected = body.get("rejected") or []
        if status == 200 and any(str(r.get("reason", "")).startswith("not stored:") for r in rejected):
            # Kafka did not acknowledge those in time: resend the call (identities make it idempotent)
            return _Outcome(False, None, "items not stored in time: %s" % rejected[0].get("reason"))
        self.stats.calls_sent += 1
        if status == 200:
            self.stats.accepted += int(body.get("accepted", 0))
            self._record_rejected(rejected)
            return _Outcome(True)
        self._record_rejected(rejected)
        if not rejected:
            self.stats.rejected += req.items
            self._reject_call(req.step, "HTTP %d: %s" % (status, body.get("message") or body.get("error")
                                                         or response.text[:300]))
        return _Outcome(True)

    def _record_rejected(self, rejected: List[Dict[str, Any]]) -> None:
        for r in rejected:
            self.rejected.append(r)
            self.stats.rejected += 1
            self._warn("rejected:" + str(r.get("key")), "item %s/%s/%s/%s/%s rejected: %s" % (
                r.get("project"), r.get("run"), r.get("key"), r.get("step"), r.get("index"), r.get("reason")))

    def _reject_call(self, step: Optional[int], reason: str) -> None:
        self.rejected.append({"step": step, "reason": reason})
        self._warn("call:" + reason[:40], "call of step %s refused: %s" % (step, reason))

    def _warn(self, kind: str, message: str) -> None:
        """A warning, at most the first and then every 100th of a kind (an outage must not flood stderr)."""
        count = self._warned.get(kind, 0)
        self._warned[kind] = count + 1
        if count % 100 == 0:
            warnings.warn("[mediaflow] " + message + (" (%d times so far)" % (count + 1) if count else ""),
                          MediaflowWarning, stacklevel=2)

    @staticmethod
    def _print(line: str) -> None:
        print(line, file=sys.stderr, flush=True)


def _retry_after(value: Optional[str]) -> Optional[float]:
    """Retry-After as seconds (a number, or an HTTP date)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        when = email.utils.parsedate_to_datetime(value)
        return max(0.0, when.timestamp() - time.time()) if when else None


def _json(response: requests.Response) -> Dict[str, Any]:
    try:
        body = response.json()
        return body if isinstance(body, dict) else {}
    except ValueError:
        return {}
