#!/usr/bin/env bash
# End-to-end load test on the embedded stack through the HTTP gateway (the real ingest path).
#
#   tools/bench/run-e2e.sh [key=value ...]     e.g. peakSeconds=40 halfSeconds=30 clients=4
#
# Starts a fresh embedded stack (KRaft broker, Apicurio, S3Proxy, SQLite, the three services)
# under $BENCH_WORK/e2e-data, probes which media types flow end to end, measures raw Kafka
# produce+consume of the same bytes on the same broker, then peak and half-of-peak load with
# 1 and with 2 transform+sink instances. Prints progress every 5 s and a summary; bounded by
# `timeout` (default 570 s). Summary JSON: $BENCH_WORK/e2e.json. See BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
WORK=${BENCH_WORK:-/tmp/mediaflow-bench}
LIMIT=${BENCH_E2E_TIMEOUT:-570}
mkdir -p "$WORK"
echo "building benchmarks (-Pbench) ..."
if ! ./mvnw -q -B -o -Pbench -pl benchmarks -am package -DskipTests; then
  echo "offline build failed; trying with Maven Central"
  ./mvnw -q -B -Pbench -pl benchmarks -am package -DskipTests
fi
rm -rf "$WORK/e2e-data"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'),"\
  "load average $(cut -d' ' -f1-3 /proc/loadavg)"
timeout --signal=TERM --kill-after=30 "$LIMIT" \
  java -Xmx6g --add-modules jdk.incubator.vector -cp "$ROOT/benchmarks/target/classes:$ROOT/benchmarks/target/lib/*" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  dev.mediaflow.bench.e2e.E2eBench "$WORK/e2e-data" out="$WORK/e2e.json" "$@"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
