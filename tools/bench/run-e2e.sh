#!/usr/bin/env bash
# End-to-end load test on the embedded stack through the HTTP gateway (the real ingest path).
#
#   tools/bench/run-e2e.sh [key=value ...]
#     e.g. mix=both runs=3     (the issue-13 measurement: both mixes, three fresh stacks)
#          peakSeconds=15 halfSeconds=10 mix=both     (a short check)
#
# Keys: mix=media|passthrough|both (media: arrays the kernels work on; passthrough: already-encoded
# PNG/JPEG files, np_histogram, a .glb mesh), runs=N (each on a fresh stack), peakSeconds (30),
# halfSeconds (20; 0 = none), passthroughHalf=true|false (false), clients (4), backlogMb (32),
# baselineMb (1500), warmupSeconds (8).
#
# Per run: a fresh embedded stack (KRaft broker, Apicurio, S3Proxy, SQLite, the three services)
# under $BENCH_WORK/e2e-data[/run-N]; probes which media types flow; per mix, raw Kafka
# produce+consume of the same payload bytes on the same broker, then peak and half-of-peak load
# with 1 and then 2 transform+sink instances. Each peak phase prints CPU per stage (gateway,
# transform, sink, broker, S3 endpoint, registry, GC/JIT), split into kernel time and the rest.
# Prints per-run tables (markdown) and, with runs>1, one combined table. Bounded by `timeout`
# (default 330 s per run; BENCH_E2E_TIMEOUT overrides the total). Summary JSON: $BENCH_WORK/e2e.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
WORK=${BENCH_WORK:-/tmp/mediaflow-bench}
RUNS=1
for arg in "$@"; do
  case "$arg" in runs=*) RUNS=${arg#runs=} ;; esac
done
LIMIT=${BENCH_E2E_TIMEOUT:-$((330 * RUNS + 60))}
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
