#!/usr/bin/env bash
# RealWorld's public conformance suite (newman) against a fresh platform started by ./conduit, on
# a throw-away data dir. Exit status: newman's. Needs Node.js/npm and the collection from
# ../shared/realworld (conformance/newman.sh runs the suite; the kind job runs it through the Ingress).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

work=$(mktemp -d)
export CONDUIT_DATA="$work/data"
port=${CONDUIT_GATEWAY_PORT:-8080}
log="$work/conduit.log"

stop() {
  "$root/conduit" stop >/dev/null 2>&1 || true
  [ -n "${pid:-}" ] && wait "$pid" 2>/dev/null || true
}
trap stop EXIT

"$root/conduit" start >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  grep -q "Press Ctrl-C" "$log" && break
  kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; echo "conformance: the platform did not start" >&2; exit 1; }
  sleep 0.5
done
grep -q "Press Ctrl-C" "$log" || { cat "$log" >&2; echo "conformance: the platform was not up after 300 s" >&2; exit 1; }
grep -E "ready in|is up" "$log"

"$root/conformance/newman.sh" "http://localhost:$port/api"
