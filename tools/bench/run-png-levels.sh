#!/usr/bin/env bash
# PNG speed and size per compression level (mediaflow.transform.png.compression.level) and
# compressor (libdeflate, the JDK's zlib) next to Pillow's compress_level, one core each side,
# in one run. About 6 minutes on 2 cores. Table: $BENCH_WORK/png-levels/png-levels.md.
#
# Environment: BENCH_WORK (default /tmp/mediaflow-bench), BENCH_CPU (default 1),
# JMH_OPTS (default "-wi 3 -w 500ms -i 5 -r 500ms"; one fork per compressor, set by PngLevelBench).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
WORK=${BENCH_WORK:-/tmp/mediaflow-bench}/png-levels
CPU=${BENCH_CPU:-1}
PY=/usr/bin/python3
JMH_OPTS=${JMH_OPTS:-"-wi 3 -w 500ms -i 5 -r 500ms"}
mkdir -p "$WORK"

if ! ./mvnw -q -B -o -Pbench -pl benchmarks -am package -DskipTests; then
  ./mvnw -q -B -Pbench -pl benchmarks -am package -DskipTests
fi
CP="$ROOT/benchmarks/target/classes:$ROOT/benchmarks/target/lib/*"
"$PY" tools/bench/png_levels.py inputs "$WORK/inputs"
export MEDIAFLOW_BENCH_INPUTS="$WORK/inputs"

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$WORK/machine.txt"
taskset -c "$CPU" "$PY" tools/bench/png_levels.py reference "$WORK/inputs" "$WORK/pillow.json"
# shellcheck disable=SC2086
taskset -c "$CPU" java -cp "$CP" org.openjdk.jmh.Main $JMH_OPTS -t 1 -bm sample -tu ms -jvmArgs "-Xmx2g --add-modules jdk.incubator.vector" \
  -rf json -rff "$WORK/jmh.json" PngLevelBench | grep -E '^Benchmark|^PngLevelBench' || true
java -Dmediaflow.png.compressor=auto -cp "$CP" dev.mediaflow.bench.kernels.PngLevelFacts "$WORK/inputs" \
  "$WORK/sizes-libdeflate.json" libdeflate
java -Dmediaflow.png.compressor=zlib -cp "$CP" dev.mediaflow.bench.kernels.PngLevelFacts "$WORK/inputs" \
  "$WORK/sizes-zlib.json" zlib
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$WORK/machine.txt"
"$PY" tools/bench/png_levels.py table "$WORK" | tee "$WORK/png-levels.md"
