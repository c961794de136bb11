#!/usr/bin/env bash
# Makes every Secret the platform reads, in namespace conduit, from fresh keys and passwords that go
# straight into the cluster: nothing secret is in this repository or in any Terraform state.
#
#   k8s/create-secrets.sh MEMBERS [TLS_CERT TLS_KEY]
#
# MEMBERS: the MongoDB replica set's size (1 for overlays/local, 3 for overlays/replicated-local and
# overlays/prod), for the services' connection strings. TLS_CERT/TLS_KEY (prod): the public host's
# certificate and key, stored as conduit-tls (or let cert-manager make conduit-tls instead).
# Run once per cluster: a Secret that exists already is left as it is (rotating is in k8s/README.md).
set -euo pipefail
members=${1:?usage: create-secrets.sh MEMBERS [TLS_CERT TLS_KEY]}
NS=conduit
kubectl get namespace "$NS" >/dev/null 2>&1 || kubectl apply -f "$(dirname "$0")/base/namespace.yaml"

exists() { kubectl -n "$NS" get secret "$1" >/dev/null 2>&1; }

# mongodb-0.mongodb:27017,mongodb-1.mongodb:27017,...
hosts=()
for ((i = 0; i < members; i++)); do hosts+=("mongodb-$i.mongodb:27017"); done
MONGO_HOSTS=$(IFS=,; echo "${hosts[*]}")

# JWT signing key (RSA 2048, PKCS#8): user-service's key folder; it signs with jwt-private.pem and
# publishes the public keys as a JWK set, which every verifier fetches (rotation: k8s/README.md)
if ! exists conduit-jwt; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$tmp/jwt-private.pem" 2>/dev/null
  kubectl -n $NS create secret generic conduit-jwt --from-file=jwt-private.pem="$tmp/jwt-private.pem"
fi

# MongoDB: administrator, replica-set keyfile, one password per service, and each service's
# connection string (its own user, its own database). Made together: the passwords must agree.
if ! exists mongodb-credentials; then
  ROOT_PW=$(openssl rand -hex 24); USER_PW=$(openssl rand -hex 24)
  POST_PW=$(openssl rand -hex 24); COMMENT_PW=$(openssl rand -hex 24)
  kubectl -n $NS create secret generic mongodb-credentials \
    --from-literal=root-username=root --from-literal=root-password="$ROOT_PW" \
    --from-literal=user-service-password="$USER_PW" \
    --from-literal=post-service-password="$POST_PW" \
    --from-literal=comment-service-password="$COMMENT_PW" \
    --from-literal=keyfile="$(openssl rand -base64 756 | tr -d '\n')"
  kubectl -n $NS create secret generic user-service-mongodb \
    --from-literal=MONGODB_URI="mongodb://user-service:$USER_PW@$MONGO_HOSTS/users?replicaSet=rs0&authSource=admin"
  kubectl -n $NS create secret generic post-service-mongodb \
    --from-literal=MONGODB_URI="mongodb://post-service:$POST_PW@$MONGO_HOSTS/posts?replicaSet=rs0&authSource=admin"
  kubectl -n $NS create secret generic comment-service-mongodb \
    --from-literal=MONGODB_URI="mongodb://comment-service:$COMMENT_PW@$MONGO_HOSTS/comments?replicaSet=rs0&authSource=admin"
  unset ROOT_PW USER_PW POST_PW COMMENT_PW
fi

if [ $# -ge 3 ] && ! exists conduit-tls; then
  kubectl -n $NS create secret tls conduit-tls --cert="$2" --key="$3"
fi
echo "create-secrets: Secrets in namespace $NS: $(kubectl -n $NS get secrets -o name | tr '\n' ' ')"
