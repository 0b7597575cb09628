#!/usr/bin/env bash
# Times every query of docs/QUERIES.md on PostgreSQL over generated data (1,000,000 items,
# 5,000,000 boxes, 100,000 histograms) in a schema of its own, dropped afterwards.
#
#   tools/bench/run-queries.sh [jdbcUrl] [reps]     default jdbc:postgresql://127.0.0.1:5432/test?user=postgres, 5
#
# BENCH_PLANS=1 also prints every EXPLAIN ANALYZE plan. See BENCHMARKS.md ("Queries").
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
URL=${1:-jdbc:postgresql://127.0.0.1:5432/test?user=postgres}
REPS=${2:-5}
echo "building benchmarks (-Pbench) ..."
if ! ./mvnw -q -B -o -Pbench -pl benchmarks -am package -DskipTests; then
  echo "offline build failed; trying with Maven Central"
  ./mvnw -q -B -Pbench -pl benchmarks -am package -DskipTests
fi
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
java -cp "$ROOT/benchmarks/target/classes:$ROOT/benchmarks/target/lib/*" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  dev.mediaflow.bench.queries.QueryBench "$URL" "$ROOT/docs/QUERIES.md" "$REPS"
