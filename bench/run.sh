#!/usr/bin/env bash
# The benchmark of issues 12 and 15: builds the platform and the tool, starts the platform on free ports and
# a fresh data dir, seeds it, measures, writes BENCHMARKS.md and stops the platform.
#   bench/run.sh [--seconds 20] [--warmup 5] [--connections 64] [--threads 2] [--articles 200]
#                [--comments 5] [--scenarios list,article,comments,create|none] [--direct]
#                [--propagation 200] [--out FILE]
#   bench/run.sh --trending [--events 200000] [--guarantees exactly_once_v2,at_least_once] [--live 200]
#                [--out FILE]      (issue 15: trending-service's events/s and the live update delay;
#                                   writes only the section "Trending and live updates" of BENCHMARKS.md)
# BENCH_SKIP_BUILD=1 skips the build (reuses what is in the target folders); CONDUIT_SERVICE_JAVA_OPTS
# changes the services' JVM options as it does for ./conduit.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

for arg in "$@"; do
  case "$arg" in
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
  esac
done

if [ -n "${JAVA_HOME:-}" ]; then java="$JAVA_HOME/bin/java"; else java=$(command -v java || true); fi
[ -n "$java" ] && [ -x "$java" ] || { echo "bench: no Java found (JDK 17 or newer)" >&2; exit 1; }

if [ "${BENCH_SKIP_BUILD:-}" != 1 ]; then
  echo "building the platform and the benchmark ..."
  # with the class-data archives ./conduit's build makes, so the start is timed as ./conduit starts
  ./mvnw -B -q -ntp -DskipTests -Dquarkus.package.jar.appcds.enabled=true package \
    -pl local-stack,user-service,post-service,comment-service,gateway,trending-service,bench -am
  "$java" -Dconduit.home="$root" -cp local-stack/target/conduit-local-stack-1.0.0-SNAPSHOT.jar \
    dev.conduit.localstack.Launcher train || echo "bench: the training run failed; the services keep the archives of the build"
fi
[ -f bench/target/bench.classpath ] || { echo "bench: not built; run without BENCH_SKIP_BUILD" >&2; exit 1; }

# The gateway's limits (600 requests a minute per client) would turn the load into 429s. Lifted here,
# for the processes this run starts (they inherit the environment), never in the product's defaults.
export CONDUIT_GATEWAY_RATE_LIMIT_CLIENT_REQUESTS=1000000000
export CONDUIT_GATEWAY_RATE_LIMIT_USER_REQUESTS=1000000000
export CONDUIT_GATEWAY_RATE_LIMIT_AUTH_REQUESTS=1000000000

exec "$java" -Xms256m -Xmx512m -XX:+UseParallelGC -Dconduit.home="$root" -Dbench.command="bench/run.sh $*" \
  -cp "bench/target/classes:$(cat bench/target/bench.classpath)" dev.conduit.bench.Main "$@"
