#!/usr/bin/env bash
# PNG (and, if asked, JPEG) against Pillow by alternating fastest runs, one core for both sides:
# Pillow (encode_minof.py alt), ours after (this checkout), ours before (BEFORE_CP, optional),
# each encoding every image for about 4 s and keeping its fastest call, ROUNDS times; each
# figure is the fastest over the rounds. Markdown table: $BENCH_WORK/png-alt/table.md.
# About 1.5 min per side and round for the six PNG cases.
#
#   tools/bench/run-png-alt.sh [CASE ...]     # default: png/{smooth,random}/{256,512,1024}
#
# Environment: BENCH_WORK (default /tmp/mediaflow-bench), BENCH_CPU (default 1), ROUNDS (2),
# BEFORE_CP: a classpath of an older benchmarks build ("DIR/classes:DIR/lib/*") to compare;
# JAVA_OPTS: more options for our JVMs (e.g. -Dmediaflow.simd=scalar: the fallback without vectors).
# The JVMs run with --add-modules jdk.incubator.vector (the Vector API PNG filters).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
WORK=${BENCH_WORK:-/tmp/mediaflow-bench}/png-alt
CPU=${BENCH_CPU:-1}
ROUNDS=${ROUNDS:-2}
PY=/usr/bin/python3
CASES=("$@")
if [ ${#CASES[@]} -eq 0 ]; then
  CASES=(png/smooth/1024 png/smooth/512 png/smooth/256 png/random/1024 png/random/512 png/random/256)
fi
mkdir -p "$WORK"

if ! ./mvnw -q -B -o -Pbench -pl benchmarks -am package -DskipTests; then
  ./mvnw -q -B -Pbench -pl benchmarks -am package -DskipTests
fi
CP="$ROOT/benchmarks/target/classes:$ROOT/benchmarks/target/lib/*"
[ -f "$WORK/inputs/img_smooth_1024.npy" ] || "$PY" tools/bench/kernels.py inputs "$WORK/inputs"
ours() {
  # shellcheck disable=SC2086
  taskset -c "$CPU" java -Xmx2g --add-modules jdk.incubator.vector ${JAVA_OPTS:-} -cp "$1" \
    dev.mediaflow.bench.kernels.EncodeMinTimes "$WORK/inputs" "${CASES[@]}" 2>/dev/null | grep '^ours'
}

: > "$WORK/pillow.log"; : > "$WORK/after.log"; : > "$WORK/before.log"
echo "start $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg), commit $(git rev-parse --short HEAD)" \
  | tee "$WORK/machine.txt"
for round in $(seq "$ROUNDS"); do
  taskset -c "$CPU" "$PY" tools/bench/encode_minof.py alt "$WORK/inputs" "${CASES[@]}" | tee -a "$WORK/pillow.log"
  ours "$CP" | tee -a "$WORK/after.log"
  if [ -n "${BEFORE_CP:-}" ]; then
    ours "$BEFORE_CP" | tee -a "$WORK/before.log"
  fi
  echo "after round $round $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$WORK/machine.txt"
done
if [ -n "${BEFORE_CP:-}" ]; then
  "$PY" tools/bench/encode_minof.py alttable "$WORK/pillow.log" "$WORK/after.log" "$WORK/before.log" | tee "$WORK/table.md"
else
  "$PY" tools/bench/encode_minof.py alttable "$WORK/pillow.log" "$WORK/after.log" | tee "$WORK/table.md"
fi
