#!/usr/bin/env bash
# Proves that the native build of every service gets as far as the compiler: Quarkus' native-sources
# build (quarkus.native.sources-only) must succeed and leave native-image.args and the runner jar,
# which is exactly what each Dockerfile.native compiles with Mandrel (no GraalVM can run here).
# It works in a copy of the repository under k8s/target, so that no other module's target/ is
# touched (system-tests needs their quarkus-app folders). `./mvnw verify` runs it (module
# conduit-k8s, phase integration-test); -Dnative-check.skip=true or -DskipTests skips it.
set -euo pipefail

k8s="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$k8s")"
services="${NATIVE_CHECK_SERVICES:-gateway user-service post-service comment-service trending-service}"
work="$k8s/target/native-check"
log="$k8s/target/native-check.log"
modules="$(echo $services | tr ' ' ',')"
start=$(date +%s)

rm -rf "$work"
mkdir -p "$work"
# the sources only: no build output, no local data, no history
tar -C "$repo" --exclude=./.git --exclude=./data --exclude='*/target' --exclude=./target \
  --exclude=node_modules -cf - . | tar -C "$work" -xf -

if ! (cd "$work" && ./mvnw -B -q package -Dnative -Dquarkus.native.sources-only=true \
      -Dmaven.test.skip=true -pl "$modules" -am) >"$log" 2>&1; then
  echo "native-sources build FAILED for $modules; the end of $log:" >&2
  tail -n 80 "$log" >&2
  exit 1
fi

failed=0
for s in $services; do
  out="$work/$s/target/native-sources"
  if [ -s "$out/native-image.args" ] && compgen -G "$out/*-runner.jar" >/dev/null; then
    echo "native-sources $s: OK ($(wc -w < "$out/native-image.args") native-image arguments, $(ls "$out/lib" | wc -l) jars)"
  else
    echo "native-sources $s: FAILED, no native-image.args or runner jar in $out" >&2
    failed=1
  fi
done
echo "native-sources build of $modules: $(( $(date +%s) - start )) s"
exit $failed
