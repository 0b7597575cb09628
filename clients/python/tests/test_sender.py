"""The sender against a scripted local gateway: step rules, batching, retries, backpressure, spool, finish."""

import time

import numpy as np
import pytest

import mediaflow
from conftest import FakeGateway, free_port


def image():
    return mediaflow.Image(np.zeros((8, 8, 3), dtype=np.float32))


def new_run(url, name="r", **options):
    options.setdefault("quiet", True)
    options.setdefault("backoff_base", 0.05)
    return mediaflow.Run("p", name, url, "mf_key", **options)


def test_should_follow_the_reference_step_rules(fake_gateway):
    # Given a run
    run = new_run(fake_gateway.url)

    # When it logs with auto steps, commit=False, an explicit step, and a step lower than the current one
    run.log({"a": image()})                      # step 0
    run.log({"b": image()}, commit=False)        # step 1, open
    run.log({"c": image()})                      # step 1, committed
    with pytest.warns(mediaflow.MediaflowWarning, match="less than the current step"):
        run.log({"d": image()}, step=0)          # ignored
    run.log({"e": image()}, step=5)              # step 5, open until a later step
    run.log({"f": image()}, step=5)
    run.log({"g": image()}, step=7, commit=True)
    run.log({"h": image()})                      # step 8
    run.finish()

    # Then the gateway saw these steps and keys
    seen = [(r.log["step"], sorted(r.log["data"])) for r in fake_gateway.requests]
    assert seen == [(0, ["a"]), (1, ["b", "c"]), (5, ["e", "f"]), (7, ["g"]), (8, ["h"])]
    assert all(r.headers["Authorization"] == "Bearer mf_key" for r in fake_gateway.requests)
    assert all(r.path == "/v1/projects/p/runs/r/log" for r in fake_gateway.requests)


def test_should_batch_consecutive_calls_of_one_step_into_one_request(fake_gateway):
    # Given a gateway slow enough for calls to pile up
    fake_gateway.delay = 0.3
    run = new_run(fake_gateway.url)

    # When the first call is in flight and four more rows of step 1 arrive (commit=False)
    run.log({"a": image()})
    time.sleep(0.1)
    for k in "bcde":
        run.log({k: image()}, step=1, commit=False)
    run.finish()

    # Then they went as one request with one part per array
    assert len(fake_gateway.requests) == 2
    assert sorted(fake_gateway.requests[1].log["data"]) == ["b", "c", "d", "e"]
    assert len(fake_gateway.requests[1].part_names()) == 5  # log + 4 arrays


def test_should_honour_retry_after_on_429_and_back_off_on_503(fake_gateway):
    # Given a gateway answering 429 (Retry-After: 1) then 503 then 200
    fake_gateway.script = [(429, {"Retry-After": "1"}, None), (503, {}, None)]
    run = new_run(fake_gateway.url)

    # When one call is logged
    run.log({"a": image()})
    stats = run.finish()

    # Then it was sent three times, the second at least Retry-After later, and accepted once
    times = [r.at for r in fake_gateway.requests]
    print("[figures] 429 then 503: %d attempts, waited %.2f s after the 429 (Retry-After 1)"
          % (len(times), times[1] - times[0]))
    assert len(times) == 3 and times[1] - times[0] >= 1.0
    assert (stats.accepted, stats.retried, stats.rejected) == (1, 2, 0)


def test_should_retry_connection_errors_until_the_gateway_is_back():
    # Given no gateway on the port yet
    port = free_port()
    run = new_run("http://127.0.0.1:%d" % port)
    run.log({"a": image()})
    time.sleep(0.5)

    # When a gateway starts on that port
    gateway = _fake_on(port)
    try:
        stats = run.finish(timeout=20)
    finally:
        gateway.close()

    # Then the call arrived exactly once and was accepted
    assert len(gateway.requests) == 1 and stats.accepted == 1 and stats.retried >= 1


def _fake_on(port):
    """A FakeGateway bound to a chosen port (the one the client already retries)."""
    import http.server
    original = http.server.ThreadingHTTPServer.__init__

    def bind_port(self, address, handler, *a, **k):
        original(self, ("127.0.0.1", port), handler, *a, **k)
    http.server.ThreadingHTTPServer.__init__ = bind_port
    try:
        return FakeGateway()
    finally:
        http.server.ThreadingHTTPServer.__init__ = original


def test_should_report_rejected_items_as_warnings_and_on_run_rejected(fake_gateway):
    # Given a gateway that rejects one item of the call
    rejected = {"project": "p", "run": "r", "key": "bad", "step": 0, "index": 0, "reason": "key ends with .cells"}
    fake_gateway.script = [(200, {}, {"accepted": 1, "rejected": [rejected]})]
    run = new_run(fake_gateway.url, quiet=False)

    # When it logs a good and a bad item
    with pytest.warns(mediaflow.MediaflowWarning, match="key ends with .cells"):
        run.log({"good": image(), "bad": image()})
        stats = run.finish(quiet=True)

    # Then the rejection is on run.rejected and counted
    assert run.rejected == [rejected] and (stats.accepted, stats.rejected) == (1, 1)


def test_should_not_retry_a_403_and_count_its_items_rejected(fake_gateway):
    fake_gateway.script = [(403, {}, {"error_code": "forbidden", "message": "API key may not write to project"})]
    run = new_run(fake_gateway.url)
    run.log({"a": [image(), image()]})
    stats = run.finish()
    assert len(fake_gateway.requests) == 1 and stats.rejected == 2
    assert "may not write" in run.rejected[0]["reason"]


def test_should_drop_with_a_count_when_the_queue_is_full_and_on_full_is_drop(fake_gateway):
    # Given a slow gateway and a queue budget of about two images
    fake_gateway.delay = 0.5
    run = new_run(fake_gateway.url, on_full="drop", max_queue_bytes=2 * 900)

    # When ten calls are logged at once
    started = time.monotonic()
    with pytest.warns(mediaflow.MediaflowWarning, match="queue full"):
        for _ in range(10):
            run.log({"a": image()})
    elapsed = time.monotonic() - started
    stats = run.finish()

    # Then log() did not wait, and every call is either accepted or counted as dropped
    print("[figures] on_full=drop: 10 logs in %.4f s, %d dropped" % (elapsed, stats.dropped))
    assert elapsed < 0.2 and stats.dropped >= 5 and stats.accepted + stats.dropped == 10


def test_should_block_up_to_the_timeout_when_the_queue_is_full(fake_gateway):
    fake_gateway.delay = 1.0
    run = new_run(fake_gateway.url, max_queue_bytes=900, block_timeout=0.3)
    run.log({"a": image()})
    run.log({"b": image()})
    started = time.monotonic()
    with pytest.warns(mediaflow.MediaflowWarning, match="queue full"):
        run.log({"c": image()})
    waited = time.monotonic() - started
    stats = run.finish()
    assert 0.25 <= waited < 1.0 and stats.dropped == 1


def test_should_spool_during_an_outage_and_resend_at_the_next_init_of_the_run(tmp_path, fake_gateway):
    # Given a run with a spool whose gateway is down
    dead = "http://127.0.0.1:%d" % free_port()
    first = new_run(dead, name="spooled", spool_dir=str(tmp_path))
    for step in range(3):
        first.log({"a": image()})

    # When it finishes without reaching the gateway
    stats = first.finish(timeout=1.0)
    assert first.spooled() == 3 and stats.accepted == 0

    # Then the next init of the same run sends the spooled calls first, in order, and empties the spool
    second = new_run(fake_gateway.url, name="spooled", spool_dir=str(tmp_path))
    second.log({"b": image()}, step=3)
    second.finish()
    assert [r.log["step"] for r in fake_gateway.requests] == [0, 1, 2, 3]
    assert second.spooled() == 0 and second.stats.accepted == 4


def test_should_drain_the_queue_on_finish_and_print_a_summary(fake_gateway, capsys):
    fake_gateway.delay = 0.05
    run = new_run(fake_gateway.url, quiet=False)
    for _ in range(20):
        run.log({"a": [image(), image()]})
    stats = run.finish()
    err = capsys.readouterr().err
    assert stats.accepted == 40 and len(fake_gateway.requests) == 20
    assert "logged 40, accepted 40, rejected 0, retried 0, dropped 0, unsent 0, still spooled 0" in err


def test_should_send_summary_media_without_a_step(fake_gateway):
    run = new_run(fake_gateway.url)
    run.summary.update({"final": mediaflow.Histogram(np.arange(100))})
    run.finish()
    assert fake_gateway.requests[0].path == "/v1/projects/p/runs/r/summary"
    assert "step" not in fake_gateway.requests[0].log


def test_should_log_large_arrays_as_32_bin_histograms_as_the_reference_does(fake_gateway):
    run = new_run(fake_gateway.url)
    run.log({"weights": np.arange(100.0), "lr": 0.1})
    run.finish()
    data = fake_gateway.requests[0].log["data"]
    assert data["weights"]["_type"] == "histogram" and data["weights"]["num_bins"] == 32 and data["lr"] == 0.1
