#!/usr/bin/env bash
# Pass-through inspection (issue 13): EncodedImageInspector before (ImageIO) and after
# (libjpeg-turbo for JPEGs) on LoadMix.passThrough()'s files, min of ROUNDS rounds, one pinned
# core. Prints a markdown table (also $BENCH_WORK/inspect/table.md).
#
# Environment: BENCH_WORK (default /tmp/mediaflow-bench), BENCH_CPU (default 1), ROUNDS (30), REPS (20).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
WORK=${BENCH_WORK:-/tmp/mediaflow-bench}/inspect
CPU=${BENCH_CPU:-1}
mkdir -p "$WORK"
if ! ./mvnw -q -B -o -Pbench -pl benchmarks -am package -DskipTests; then
  ./mvnw -q -B -Pbench -pl benchmarks -am package -DskipTests
fi
CP="$ROOT/benchmarks/target/classes:$ROOT/benchmarks/target/lib/*"
{
  echo "$(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg), commit $(git rev-parse --short HEAD), cpu $CPU"
  echo
  taskset -c "$CPU" java -Xmx1g -cp "$CP" dev.mediaflow.bench.e2e.InspectMinTimes "${ROUNDS:-30}" "${REPS:-20}" 2>/dev/null
} | tee "$WORK/table.md"
