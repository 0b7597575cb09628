#!/usr/bin/env bash
# CPU per operation of the pipeline plumbing changed for issue 13 (sink S3 PUT, Avro serialize),
# the previous code and the current one side by side in one JVM, rounds alternating:
#
#   tools/bench/run-plumbing.sh [rounds=7] [sizes=65536,1048576,8388608]
#
# Prints a markdown table for BENCHMARKS.md, "Pipeline plumbing (issue 13)". Pinned to one core
# (taskset -c 1) when taskset is there. See dev.mediaflow.bench.plumbing.PlumbingBench.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
echo "building benchmarks (-Pbench) ..."
if ! ./mvnw -q -B -o -Pbench -pl benchmarks -am package -DskipTests; then
  echo "offline build failed; trying with Maven Central"
  ./mvnw -q -B -Pbench -pl benchmarks -am package -DskipTests
fi
PIN=()
if command -v taskset >/dev/null; then PIN=(taskset -c 1); fi
"${PIN[@]}" java -Xmx2g -cp "$ROOT/benchmarks/target/classes:$ROOT/benchmarks/target/lib/*" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn dev.mediaflow.bench.plumbing.PlumbingBench "$@"
