# shellcheck shell=bash disable=SC2034  # (variables for the scripts that source this file)
# Sourced by the kind job's steps (k8s/e2e/*.sh): pinned versions, the namespace, the API's address,
# and small helpers. Every step runs as well from a terminal against a kind cluster named conduit.
set -euo pipefail
E2E=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
K8S=$(dirname "$E2E")
REPO=$(dirname "$K8S")
# shellcheck source=versions.env
. "$E2E/versions.env"
NS=conduit
CLUSTER=${KIND_CLUSTER_NAME:-conduit}
# through the Ingress: kind maps the node's port 80 to the host's (overlays/local/kind-cluster.yaml)
API=${CONDUIT_API_URL:-http://localhost/api}
SERVICES=(gateway user-service post-service comment-service trending-service)

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

# call METHOD PATH [JSON] [TOKEN]: sets CALL_STATUS (the HTTP status; 000 when nothing answered)
# and CALL_BODY, in this shell (so not in a $(...) or a pipeline). Never fails: the caller judges.
call() {
  local method=$1 path=$2 body=${3:-} token=${4:-} out
  local args=(-s -X "$method" --max-time 15 -H 'Content-Type: application/json' -w '\n%{http_code}')
  if [ -n "$token" ]; then args+=(-H "Authorization: Token $token"); fi
  if [ -n "$body" ]; then args+=(--data "$body"); fi
  out=$(curl "${args[@]}" "$API$path" 2>/dev/null) || true
  CALL_STATUS=${out##*$'\n'}
  CALL_BODY=${out%$'\n'*}
  [[ "$CALL_STATUS" =~ ^[0-9]{3}$ ]] || CALL_STATUS=000
}

# field JQ: a value of the last call's JSON body, empty when absent or not JSON
field() { jq -r "$1 // empty" <<<"$CALL_BODY" 2>/dev/null || true; }

# the rendered overlay (kubectl's built-in Kustomize), once per overlay
render() { kubectl kustomize "$K8S/overlays/$1"; }

# wait_until SECONDS DESCRIPTION COMMAND...: retries COMMAND every 2 s until it succeeds
wait_until() {
  local deadline=$((SECONDS + $1)) what=$2
  shift 2
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || die "$what: not within the time allowed"
    sleep 2
  done
}
