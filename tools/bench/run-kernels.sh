#!/usr/bin/env bash
# Kernel benchmarks, ours (JMH) and the reference (numpy / Pillow / json) side by side, in one run.
#
#   tools/bench/run-kernels.sh [JMH arguments, e.g. a benchmark regex]
#
# Without arguments every kernel benchmark runs (not the proposal prototypes: pass
# ProposalBench to measure those).
# 1. builds the benchmarks module (-Pbench)
# 2. writes deterministic inputs as .npy (tools/bench/kernels.py inputs), once per input version
# 3. times the reference with Debian's /usr/bin/python3 (numpy, Pillow), pinned to one core
# 4. runs JMH (single thread, one fork, JSON output), pinned to the same core
# 5. checks exactness and output sizes (KernelFacts) and prints the comparison table
#
# Environment: BENCH_WORK (default /tmp/mediaflow-bench), BENCH_CPU (default 1),
# JMH_OPTS (default "-f 1 -wi 4 -w 500ms -i 5 -r 500ms"), JMH_EXTRA (e.g. "-prof gc").
# BENCH_ONLY (e.g. "encode": time only those sections of the reference; JMH takes its own regex argument).
# BENCH_BEFORE: a directory with an older build's benchmarks (classes/ and lib/, e.g. copied from
# benchmarks/target of an earlier commit): its JMH runs too, in the same run, for a "before" column
# (with --add-modules jdk.incubator.vector as well, so a build with vector kernels runs them).
# The JVMs run with --add-modules jdk.incubator.vector (the Vector API kernels; the JVM prints an
# incubator warning); the normalization, histogram and point-cloud benchmarks measure both the
# vector and the scalar kernels (JMH parameter "kernels").
# Whole run: about 12 minutes on 2 cores. Results: $BENCH_WORK/{ref.json,jmh.json,facts.json,kernels.md}.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
WORK=${BENCH_WORK:-/tmp/mediaflow-bench}
CPU=${BENCH_CPU:-1}
PY=/usr/bin/python3  # Debian's, with python3-numpy and python3-pil: not a pyenv/venv python on PATH
JMH_OPTS=${JMH_OPTS:-"-f 1 -wi 4 -w 500ms -i 5 -r 500ms"}
mkdir -p "$WORK"
start=$(date +%s)
say() { printf '[%4ds] %s\n' $(( $(date +%s) - start )) "$*"; }

if ! "$PY" -c 'import numpy' 2>/dev/null; then
  say "installing python3-numpy (Debian)"; apt-get install -y -q python3-numpy >/dev/null
fi
if ! "$PY" -c 'import PIL' 2>/dev/null; then
  say "installing python3-pil (Debian)"; apt-get install -y -q python3-pil >/dev/null
fi

say "building benchmarks (-Pbench)"
if ! ./mvnw -q -B -o -Pbench -pl benchmarks -am package -DskipTests; then
  say "offline build failed; trying with Maven Central"
  ./mvnw -q -B -Pbench -pl benchmarks -am package -DskipTests
fi
CP="$ROOT/benchmarks/target/classes:$ROOT/benchmarks/target/lib/*"

stamp=$(sha256sum tools/bench/kernels.py | cut -c1-16)
if [ "$(cat "$WORK/inputs/.stamp" 2>/dev/null)" != "$stamp" ]; then
  say "writing inputs to $WORK/inputs (about 800 MB)"
  rm -rf "$WORK/inputs"
  "$PY" tools/bench/kernels.py inputs "$WORK/inputs"
  echo "$stamp" > "$WORK/inputs/.stamp"
fi
export MEDIAFLOW_BENCH_INPUTS="$WORK/inputs"

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "cpu flags (SIMD): $(grep -m1 flags /proc/cpuinfo | tr ' ' '\n' | grep -E '^(sse4_2|avx|avx2|avx512f|avx512bw)$' | tr '\n' ' ')"
  echo "memory: $(free -g | awk '/Mem:/{print $2}') GiB"
  echo "java: $(java -version 2>&1 | head -2 | tr '\n' ' ')"
  echo "numpy: $("$PY" -c 'import numpy; print(numpy.__version__)'), Pillow: $("$PY" -c 'import PIL; print(PIL.__version__)')"
  echo "OPENBLAS_CORETYPE: ${OPENBLAS_CORETYPE:-(unset)}"
  echo "pinned to CPU $CPU (taskset) on both sides"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$WORK/machine.txt"
cat "$WORK/machine.txt"

say "reference: numpy / Pillow / json on CPU $CPU"
taskset -c "$CPU" "$PY" tools/bench/kernels.py reference "$WORK/inputs" "$WORK/ref.json"

[ $# -eq 0 ] && set -- -e proposals  # the prototypes only when asked for
say "ours: JMH on CPU $CPU ($JMH_OPTS)"
# shellcheck disable=SC2086
taskset -c "$CPU" java -cp "$CP" org.openjdk.jmh.Main $JMH_OPTS -t 1 -bm sample -tu ms \
  -jvmArgs "-Xmx4g --add-modules jdk.incubator.vector" ${JMH_EXTRA:-} -rf json -rff "$WORK/jmh.json" "$@" | tee "$WORK/jmh.log" \
  | grep --line-buffered -E '^# (Benchmark|Parameters):|^Iteration +5|^Benchmark ' || true
BEFORE_JSON=""
if [ -n "${BENCH_BEFORE:-}" ]; then
  say "before: JMH of $BENCH_BEFORE on CPU $CPU ($JMH_OPTS)"
  # shellcheck disable=SC2086
  taskset -c "$CPU" java -cp "$BENCH_BEFORE/classes:$BENCH_BEFORE/lib/*" org.openjdk.jmh.Main $JMH_OPTS -t 1 -bm sample \
    -tu ms -jvmArgs "-Xmx4g --add-modules jdk.incubator.vector" ${JMH_EXTRA:-} -rf json -rff "$WORK/jmh-before.json" "$@" > "$WORK/jmh-before.log" || true
  BEFORE_JSON="$WORK/jmh-before.json"
fi

say "exactness and output sizes (KernelFacts)"
java -Xmx4g --add-modules jdk.incubator.vector -cp "$CP" dev.mediaflow.bench.kernels.KernelFacts "$WORK/inputs" "$WORK/facts.json"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$WORK/machine.txt"

"$PY" tools/bench/kernels.py compare "$WORK/jmh.json" "$WORK/ref.json" "$WORK/facts.json" "$WORK/kernels.md" $BEFORE_JSON
say "done; tables in $WORK/kernels.md, machine facts in $WORK/machine.txt"
