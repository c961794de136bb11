#!/usr/bin/env bash
# RealWorld's public conformance suite (newman) against a fresh platform started by ./conduit, on
# a throw-away data dir. Exit status: newman's. Needs Node.js/npm (newman comes from the npm
# registry, pinned in package-lock.json) and the collection from ../shared/realworld.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
collection=${CONDUIT_CONFORMANCE_COLLECTION:-$root/../shared/realworld/Conduit.postman_collection.json}
[ -f "$collection" ] || { echo "conformance: no collection at $collection" >&2; exit 1; }
command -v npm >/dev/null || { echo "conformance: npm is needed to run newman" >&2; exit 1; }

work=$(mktemp -d)
export CONDUIT_DATA="$work/data"
port=${CONDUIT_GATEWAY_PORT:-8080}
log="$work/conduit.log"

stop() {
  "$root/conduit" stop >/dev/null 2>&1 || true
  [ -n "${pid:-}" ] && wait "$pid" 2>/dev/null || true
}
trap stop EXIT

(cd "$root/conformance" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)

"$root/conduit" start >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  grep -q "Press Ctrl-C" "$log" && break
  kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; echo "conformance: the platform did not start" >&2; exit 1; }
  sleep 0.5
done
grep -q "Press Ctrl-C" "$log" || { cat "$log" >&2; echo "conformance: the platform was not up after 300 s" >&2; exit 1; }
grep -E "ready in|is up" "$log"

stamp=$(date +%s)
status=0
"$root/conformance/node_modules/.bin/newman" run "$collection" \
  --global-var "APIURL=http://localhost:$port/api" \
  --global-var "USERNAME=u$stamp" --global-var "EMAIL=u$stamp@mail.com" --global-var "PASSWORD=password" \
  --reporters cli,json --reporter-cli-no-banner --reporter-json-export "$work/newman.json" || status=$?
# one closing line in the plain "N passed, N failed" form, counting newman's assertions
node -e 'const s = require(process.argv[1]).run.stats.assertions;
  console.log(`conformance: ${s.total - s.failed} passed, ${s.failed} failed`);' "$work/newman.json" || true
exit "$status"
