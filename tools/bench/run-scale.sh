#!/usr/bin/env bash
# Scale-out on the production topology, without Docker: three KRaft brokers, Apicurio, S3Proxy,
# PostgreSQL (127.0.0.1:5432) and the ingest/transform/sink services of docker-compose.yml as
# separate processes configured from that file (the cluster module's ProductionTopology).
#
#   tools/bench/run-scale.sh [key=value ...]     e.g. seconds=40 warmupSeconds=10 clients=4
#
# Runs the mixed workload (LoadMix: images, histograms, point clouds) closed loop with 1, then 2
# instances of every stage, and prints per phase the items/s, MB/s, bytes/item and the CPU
# seconds per item of each stage (from /proc/<pid>/stat of its processes), the brokers and this
# JVM, with the load average. Bounded by `timeout` (default 600 s). See OPERATIONS.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
WORK=${BENCH_WORK:-/tmp/mediaflow-bench}
LIMIT=${BENCH_SCALE_TIMEOUT:-600}
mkdir -p "$WORK"
echo "building benchmarks (-Pbench) ..."
if ! ./mvnw -q -B -o -Pbench -pl benchmarks -am package -DskipTests; then
  echo "offline build failed; trying with Maven Central"
  ./mvnw -q -B -Pbench -pl benchmarks -am package -DskipTests
fi
rm -rf "$WORK/scale-data"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'),"\
  "load average $(cut -d' ' -f1-3 /proc/loadavg)"
timeout --signal=TERM --kill-after=30 "$LIMIT" \
  java -Xmx2g -cp "$ROOT/benchmarks/target/classes:$ROOT/benchmarks/target/lib/*" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  dev.mediaflow.bench.e2e.ScaleBench "$WORK/scale-data" "$@"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
