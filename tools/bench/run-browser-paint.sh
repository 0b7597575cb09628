#!/usr/bin/env bash
# Media browser (issue 11): time to first paint in headless Chromium of a run page with 1,000 steps
# x 16 images, of a slider move, and of 300,000-point clouds, against a fresh embedded stack
# (BrowserPaintBenchmark, a JUnit class outside the suite). Needs Debian's chromium and
# chromium-driver. About 10 minutes on a shared 2-core machine. Prints the [bench] lines;
# screenshots go to embedded-stack/target/browser-screenshots/. BENCH_STEPS=100 for a smaller run.
#
#   tools/bench/run-browser-paint.sh
#
# See BENCHMARKS.md ("Media browser (issue 11)").
set -euo pipefail
cd "$(dirname "$0")/../.."
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
./mvnw -B -pl embedded-stack -am verify -Dtest=none -Dit.test=BrowserPaintBenchmark \
  -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dbench.steps="${BENCH_STEPS:-1000}" "$@" 2>&1 | tee /tmp/mediaflow-browser-bench.log \
  | grep -E '\[bench\]|Tests run:|BUILD|ERROR'
echo "machine after: load average $(cut -d' ' -f1-3 /proc/loadavg)"
