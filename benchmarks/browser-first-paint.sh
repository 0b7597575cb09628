#!/usr/bin/env bash
# Media browser (issue 11): time to first paint in headless Chromium of a run page with 1,000 steps
# x 16 images, of a slider move, and of 300,000-point clouds, against the embedded stack.
# Needs Debian's chromium and chromium-driver. About 5-10 minutes on 2 cores (logging 16,000
# images through the gateway is most of it). Prints the [bench] lines; screenshots go to
# embedded-stack/target/browser-screenshots/. BENCH_STEPS=100 for a quicker, smaller run.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -pl embedded-stack -am verify -Dtest=none -Dit.test=BrowserPaintBenchmark \
  -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dbench.steps="${BENCH_STEPS:-1000}" "$@" 2>&1 | tee /tmp/mediaflow-browser-bench.log | grep -E '\[bench\]|Tests run:|BUILD|ERROR'
