#!/usr/bin/env bash
# The query API under the scale case of issue 11: 1,000 steps x 16 images, a histogram per step
# and 3 clouds of 300,000 points logged through the gateway of a fresh embedded stack (SQLite),
# then the run page's requests (cold and warm previews), the histogram series and a PLY, timed.
#
#   tools/bench/run-query-api.sh        ~5-10 min on a shared 2-core machine
#
# Data under $BENCH_WORK/query-api-data (deleted first unless BENCH_REUSE=1). See BENCHMARKS.md ("Query API (issue 11)").
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
WORK=${BENCH_WORK:-/tmp/mediaflow-bench}
mkdir -p "$WORK"
echo "building benchmarks (-Pbench) ..."
if ! ./mvnw -q -B -o -Pbench -pl benchmarks -am package -DskipTests; then
  echo "offline build failed; trying with Maven Central"
  ./mvnw -q -B -Pbench -pl benchmarks -am package -DskipTests
fi
# BENCH_REUSE=1 keeps the data of the previous run (only the measurements run again)
[ -n "${BENCH_REUSE:-}" ] || rm -rf "$WORK/query-api-data"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx3g -cp "$ROOT/benchmarks/target/classes:$ROOT/benchmarks/target/lib/*" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  dev.mediaflow.bench.queryapi.QueryApiBench "$WORK/query-api-data"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
