#!/usr/bin/env bash
# RealWorld's public conformance suite (newman, pinned in package-lock.json) against a running
# platform: conformance/newman.sh API_URL (e.g. http://localhost:8080/api). Each run registers a new
# user, so it can run again on the same data. Exit status: newman's. The collection comes from
# ../shared/realworld, or from CONDUIT_CONFORMANCE_COLLECTION (CI checks out RealWorld's repository).
set -euo pipefail
api=${1:?usage: newman.sh API_URL}
root=$(cd "$(dirname "$0")/.." && pwd)
collection=${CONDUIT_CONFORMANCE_COLLECTION:-$root/../shared/realworld/Conduit.postman_collection.json}
[ -f "$collection" ] || { echo "conformance: no collection at $collection" >&2; exit 1; }
command -v npm >/dev/null || { echo "conformance: npm is needed to run newman" >&2; exit 1; }

(cd "$root/conformance" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
report=$work/newman.json
stamp=$(date +%s)
status=0
"$root/conformance/node_modules/.bin/newman" run "$collection" \
  --global-var "APIURL=$api" \
  --global-var "USERNAME=u$stamp" --global-var "EMAIL=u$stamp@mail.com" --global-var "PASSWORD=password" \
  --reporters cli,json --reporter-cli-no-banner --reporter-json-export "$report" || status=$?
# one closing line in the plain "N passed, N failed" form, counting newman's assertions
# shellcheck disable=SC2016 # (JavaScript in single quotes)
node -e 'const s = require(process.argv[1]).run.stats.assertions;
  console.log(`conformance: ${s.total - s.failed} passed, ${s.failed} failed`);' "$report" || true
exit "$status"
