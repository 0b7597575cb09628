#!/usr/bin/env bash
# Load test at the edge (issue 9): the HTTP gateway of the embedded stack under a mix of good
# clients, stalled connections and 200 MB uploads, for a bounded time.
#
#   tools/bench/run-edge.sh [seconds] [EdgeLoad options, e.g. --stalled 0 --api-key KEY]
#
# 1. builds the benchmarks module (-Pbench)
# 2. starts a fresh embedded stack in its own JVM (EdgeStack, -Xmx$BENCH_EDGE_HEAP, default 2g as
#    bin/demo): the gateway runs there with transform, sink and S3Proxy; that JVM samples its heap
# 3. runs the load (EdgeLoad, its own JVM): 64 good clients (small / medium / 16 MiB calls), 32
#    connections that stall after their headers, 4 uploaders of 201 MB parts, a health probe;
#    default 60 s; every call has a timeout, so a hung or dead gateway still gets a report
# 4. stops the stack (SIGTERM) and prints the report (also in $BENCH_WORK/edge-report.txt)
#
# API key: --api-key KEY or the environment variable MEDIAFLOW_API_KEY (sent as Authorization: Bearer).
# Environment: BENCH_WORK (default /tmp/mediaflow-bench), BENCH_EDGE_HEAP (default 2g).
# Measure on a quiet machine: the report starts with the load average before and after.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
WORK=${BENCH_WORK:-/tmp/mediaflow-bench}
HEAP=${BENCH_EDGE_HEAP:-2g}
SECONDS_ARG=60
if [ $# -gt 0 ] && [[ "$1" =~ ^[0-9]+$ ]]; then SECONDS_ARG=$1; shift; fi
mkdir -p "$WORK"
echo "building benchmarks (-Pbench) ..."
if ! ./mvnw -q -B -o -Pbench -pl benchmarks -am package -DskipTests; then
  echo "offline build failed; trying with Maven Central"
  ./mvnw -q -B -Pbench -pl benchmarks -am package -DskipTests
fi
CP="$ROOT/benchmarks/target/classes:$ROOT/benchmarks/target/lib/*"
DATA="$WORK/edge-data"
READY="$WORK/edge-ready.properties"
STATS="$WORK/edge-stack-stats.properties"
LOG="$WORK/edge-stack.log"
rm -rf "$DATA" "$READY" "$STATS"

java "-Xmx$HEAP" --add-modules jdk.incubator.vector -cp "$CP" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  dev.mediaflow.bench.edge.EdgeStack "$DATA" "$READY" "$STATS" > "$LOG" 2>&1 &
STACK_PID=$!
stop_stack() {
  if kill -0 "$STACK_PID" 2>/dev/null; then
    kill -TERM "$STACK_PID" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$STACK_PID" 2>/dev/null || break; sleep 1; done
    kill -KILL "$STACK_PID" 2>/dev/null || true
  fi
}
trap stop_stack EXIT
echo "starting the embedded stack (log: $LOG) ..."
for _ in $(seq 1 180); do
  [ -f "$READY" ] && break
  if ! kill -0 "$STACK_PID" 2>/dev/null; then echo "the stack did not start:"; tail -30 "$LOG"; exit 1; fi
  sleep 1
done
[ -f "$READY" ] || { echo "the stack was not ready within 180 s"; tail -30 "$LOG"; exit 1; }
sleep 5 # the stack's services settle (group joins) before the load starts

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'),"\
    "$(free -g | awk '/Mem:/{print $2}') GiB; java $(java -version 2>&1 | head -1)"
  echo "code: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!BENCHMARKS.md' || echo ' (with local changes)')"
  echo "stack JVM: -Xmx$HEAP"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$WORK/edge-machine.txt"
cat "$WORK/edge-machine.txt"

java -Xmx1g -cp "$CP" dev.mediaflow.bench.edge.EdgeLoad --ready "$READY" --stats "$STATS" --stack-log "$LOG" \
  --seconds "$SECONDS_ARG" --out "$WORK/edge-report.body.txt" "$@"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$WORK/edge-machine.txt"
cat "$WORK/edge-machine.txt" "$WORK/edge-report.body.txt" > "$WORK/edge-report.txt"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "report: $WORK/edge-report.txt"
