#!/usr/bin/env bash
# Runs the benchmark suite of issue 6 (see README "Benchmarks"): builds the service jar and the test classes,
# then runs io.inventory.bench.Bench, which starts its own KRaft brokers in the JVM.
#   bench/run.sh            full run (about 20 min on 2 cores)
#   bench/run.sh --quick    every benchmark at a small size, under 3 minutes (CI runs it as BenchQuickIT)
#   bench/run.sh --profile  also records a JFR profile of the exactly-once throughput run
#   bench/run.sh --steady-state [--orders N] [--rate R] [--retention D] [--ttl D]
#                           the lifecycle's steady state (io.inventory.bench.SteadyState): orders created, then
#                           fulfilled, cancelled or expired, in a loop; store record counts and disk over time
#   bench/run.sh --latency [--rates 500,1000,2000,4000,6000] [--run PT20S] [--drain PT60S] [--settings interval-20,default]
#                           latency against offered load, broker and service in JVMs of their own, for each
#                           setting (io.inventory.bench.LatencyCurve)
#   bench/run.sh --restart [--products 1000000] [--variants dynamic,static,static-no-txn]
#                           SIGKILL then restart with N products: time to the first correct answer
#                           (io.inventory.bench.RestartTime)
# BENCH_JAVA_OPTS passes JVM options, e.g. -Dbench.only=eos (throughput and latency only), -Dbench.only=footprint
# (footprint, growth, restore and queries at the largest size only), -Dbench.sustained=0 (full sizes, runs not
# stretched to 60 s), -Dbench.levels=1000,100000 (growth steps; the last is the footprint and restore size) or
# -Dbench.env=STREAMS_MAX_TASK_IDLE_MS=-1 (settings for every in-JVM instance, to try a change).
# Writes bench/results/<timestamp>.json, .md (the table) and -*.png (the plots); prints the table.
set -euo pipefail
cd "$(dirname "$0")/.."

# Offline first (no network needed once the dependencies are in ~/.m2); online only when something is missing.
mvn_() { mvn -o -q "$@" || mvn -q "$@"; }
mvn_ package -DskipTests
mvn_ dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath

mkdir -p target/bench-work
main=io.inventory.bench.Bench
case "${1:-}" in
  --steady-state) main=io.inventory.bench.SteadyState; shift ;;
  --latency) main=io.inventory.bench.LatencyCurve; shift ;;
  --restart) main=io.inventory.bench.RestartTime; shift ;;
esac
exec java -Xmx1g ${BENCH_JAVA_OPTS:-} -Djava.io.tmpdir=target/bench-work \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  "$main" "$@"
