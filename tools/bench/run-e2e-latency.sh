#!/usr/bin/env bash
# Latency tail of the end-to-end bench (issue 13): runs the E2eBench N times in a row and prints,
# per run, p50/p99/max of ack → row for half-1x and half-2x, with the load average, plus the
# rebalances the consumer groups logged during each half phase.
#
#   tools/bench/run-e2e-latency.sh [runs=3] [key=value ...]   e.g. runs=3 peakSeconds=20 halfSeconds=30
#
# Other key=value options go to E2eBench (see run-e2e.sh). Per run, under $BENCH_WORK/latency/run-N:
# e2e.json, the per-item latencies of every phase (latency/<phase>.csv: ack_ms, stored_ms, ...)
# and bench.log, which has the Kafka group coordinator's join/assign/revoke lines with wall-clock
# times (the clock of stored_at and of the acks), so slow items can be lined up with rebalances.
# Summary table: $BENCH_WORK/latency/summary.md (markdown, for BENCHMARKS.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
WORK=${BENCH_WORK:-/tmp/mediaflow-bench}/latency
LIMIT=${BENCH_E2E_TIMEOUT:-570}
RUNS=3
ARGS=()
for a in "$@"; do
  case "$a" in
    runs=*) RUNS=${a#runs=} ;;
    *) ARGS+=("$a") ;;
  esac
done
mkdir -p "$WORK"
echo "building benchmarks (-Pbench) ..."
if ! ./mvnw -q -B -o -Pbench -pl benchmarks -am package -DskipTests; then
  ./mvnw -q -B -Pbench -pl benchmarks -am package -DskipTests
fi
LOGS=(
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn
  -Dorg.slf4j.simpleLogger.showDateTime=true
  -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS
  -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.consumer.internals.ConsumerCoordinator=info
  -Dorg.slf4j.simpleLogger.log.org.apache.kafka.streams.processor.internals.StreamThread=info
  -Dorg.slf4j.simpleLogger.log.dev.mediaflow.sink.consumer.SinkLoop=info
)
SUMMARY="$WORK/summary.md"
{
  echo "| run | load avg before | phase | items/s sent | p50 ms | p99 ms | max ms | > 2 s | group joins in phase |"
  echo "|---|---|---|---|---|---|---|---|---|"
} > "$SUMMARY"
for run in $(seq 1 "$RUNS"); do
  DIR="$WORK/run-$run"
  rm -rf "$DIR"
  mkdir -p "$DIR"
  LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
  echo "run $run of $RUNS: load average $LOAD"
  timeout --signal=TERM --kill-after=30 "$LIMIT" \
    java -Xmx6g --add-modules jdk.incubator.vector "${LOGS[@]}" \
    -cp "$ROOT/benchmarks/target/classes:$ROOT/benchmarks/target/lib/*" \
    dev.mediaflow.bench.e2e.E2eBench "$DIR/data" out="$DIR/e2e.json" latencyDir="$DIR/latency" "${ARGS[@]}" \
    > "$DIR/bench.log" 2>&1 || echo "run $run: bench exited with $? (see $DIR/bench.log)"
  grep -E '^\[ *[0-9.]+s\] phase (media-|passthrough-)?(half|peak)-[12]x: [0-9]' "$DIR/bench.log" || true
  /usr/bin/python3 "$ROOT/tools/bench/latency_summary.py" "$DIR" "$run" "$LOAD" >> "$SUMMARY"
  rm -rf "$DIR/data"
done
echo
cat "$SUMMARY"
