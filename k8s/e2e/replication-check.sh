#!/usr/bin/env bash
# Replication, proven on overlays/replicated-local (three MongoDB members, three Kafka brokers with
# min.insync.replicas 2): writes go on through the Ingress while the MongoDB primary and then one
# Kafka broker are deleted; afterwards every acknowledged write must be there.
#
# Each of REPLICATION_WRITES rounds (default 60, bounded, ~0.3 s apart) registers a user, sets its
# bio and publishes an article; an answer of 200/201 is an acknowledged write. Then:
# - MongoDB: each acknowledged user, bio and article reads back (GET /profiles, GET /articles).
# - Kafka: each user whose bio change was acknowledged comments on one article; comment-service
#   learns authors only from user-service's events (topic conduit.users), so every comment must
#   come to show its author's acknowledged bio.
# - Serving: after each deletion a write is acknowledged again within RECOVERY_SECONDS (default 90).
. "$(dirname "$0")/lib.sh"
writes=${REPLICATION_WRITES:-60}
recovery=${RECOVERY_SECONDS:-90}
run=$(date +%s)
work=$(mktemp -d)
attempts=$work/attempts # epoch kind round status
acked=$work/acked       # epoch kind round value
touch "$attempts" "$acked" "$work/tokens"

ok() { [ "$CALL_STATUS" = 200 ] || [ "$CALL_STATUS" = 201 ]; }
record() { # kind round value
  echo "$(date +%s) $1 $2 $CALL_STATUS" >>"$attempts"
  if ok; then echo "$(date +%s) $1 $2 $3" >>"$acked"; fi
}
register() { # username; the token in field .user.token
  call POST /users "{\"user\":{\"username\":\"$1\",\"email\":\"$1@example.com\",\"password\":\"password-$1\"}}"
}

register "rw${run}owner"
owner_token=$(field .user.token)
[ -n "$owner_token" ] || die "cannot register the article owner ($CALL_STATUS)"
call POST /articles '{"article":{"title":"Replication target","description":"d","body":"b"}}' "$owner_token"
target=$(field .article.slug)
[ -n "$target" ] || die "cannot publish the article to comment on ($CALL_STATUS)"

writer() {
  local i user token
  for ((i = 1; i <= writes; i++)); do
    user="rw${run}u$i"
    register "$user"
    record user "$i" "$user"
    token=$(field .user.token)
    if [ -n "$token" ]; then
      echo "$i $user $token" >>"$work/tokens"
      call PUT /user "{\"user\":{\"bio\":\"acked $run $i\"}}" "$token"
      record bio "$i" "acked $run $i"
      call POST /articles "{\"article\":{\"title\":\"Replication $run $i\",\"description\":\"d\",\"body\":\"b\"}}" "$token"
      record article "$i" "$(field .article.slug)"
    fi
    sleep 0.3
  done
}
rounds_done() { [ "$(awk '$2 == "user"' "$attempts" | wc -l)" -ge "$1" ]; }

writer &
writer_pid=$!
trap 'kill "$writer_pid" 2>/dev/null || true' EXIT

wait_until 300 "a quarter of the writes" rounds_done $((writes / 4))
primary=$(kubectl -n $NS exec mongodb-0 -c mongodb -- env HOME=/tmp mongosh --quiet --norc --eval 'db.hello().primary')
primary=${primary%%.*}
[[ "$primary" == mongodb-* ]] || die "no MongoDB primary ($primary)"
log "deleting the MongoDB primary $primary"
kubectl -n $NS delete pod "$primary" --wait=false
deleted_mongodb=$(date +%s)

wait_until 300 "half the writes" rounds_done $((writes / 2))
broker=conduit-dual-role-$((run % 3))
log "deleting the Kafka broker $broker"
kubectl -n $NS delete pod "$broker" --wait=false
deleted_kafka=$(date +%s)

wait "$writer_pid"
trap - EXIT
kubectl -n $NS rollout status statefulset/mongodb --timeout=5m
wait_until 300 "$broker back" kubectl -n $NS wait "pod/$broker" --for=condition=Ready --timeout=10s
kubectl -n $NS wait kafka/conduit --for=condition=Ready --timeout=10m

# serving: an acknowledged write soon after each deletion
for deleted in "$deleted_mongodb" "$deleted_kafka"; do
  first=$(awk -v t="$deleted" '$1 >= t { print $1; exit }' "$acked")
  [ -n "$first" ] || die "no write was acknowledged after the deletion at $deleted"
  [ $((first - deleted)) -le "$recovery" ] || die "writes stopped for $((first - deleted)) s after a deletion"
  log "a write was acknowledged $((first - deleted)) s after a deletion"
done

# MongoDB: every acknowledged write reads back
lost=0
missing() { log "lost: $*"; lost=$((lost + 1)); }
while read -r _ kind i value; do
  case $kind in
    user)
      call GET "/profiles/$value"
      [ "$CALL_STATUS" = 200 ] || missing "user $value ($CALL_STATUS)" ;;
    bio)
      call GET "/profiles/rw${run}u$i"
      [ "$(field .profile.bio)" = "$value" ] || missing "bio of rw${run}u$i ($CALL_STATUS $(field .profile.bio))" ;;
    article)
      if [ -n "$value" ]; then call GET "/articles/$value"; else CALL_STATUS=none; fi
      [ "$CALL_STATUS" = 200 ] || missing "article '$value' of round $i ($CALL_STATUS)" ;;
  esac
done <"$acked"

# Kafka: comment-service comes to know every acknowledged bio
expected=$work/expected
awk -v run="$run" '$2 == "bio" { printf "rw%su%s\t%s %s %s\n", run, $3, $4, $5, $6 }' "$acked" | sort >"$expected"
while read -r i user token; do
  grep -q "^$user	" "$expected" || continue
  for attempt in 1 2 3 4 5; do
    call POST "/articles/$target/comments" "{\"comment\":{\"body\":\"from round $i\"}}" "$token"
    ok && break
    [ "$attempt" -lt 5 ] || die "cannot comment after the deletions ($CALL_STATUS)"
    sleep 2
  done
done <"$work/tokens"
shown() {
  call GET "/articles/$target/comments"
  jq -r '.comments[] | "\(.author.username)\t\(.author.bio // "")"' <<<"$CALL_BODY" 2>/dev/null | sort -u >"$work/shown"
  [ -z "$(comm -23 "$expected" "$work/shown")" ]
}
deadline=$((SECONDS + 180))
until shown; do
  if [ "$SECONDS" -ge "$deadline" ]; then
    comm -23 "$expected" "$work/shown" | while IFS=$'\t' read -r author bio; do log "never at comment-service: $author's bio '$bio'"; done
    lost=$((lost + $(comm -23 "$expected" "$work/shown" | wc -l)))
    break
  fi
  sleep 3
done
log "comment-service shows $(comm -12 "$expected" "$work/shown" | wc -l) of $(wc -l <"$expected") acknowledged bios (events through conduit.users)"

attempted=$(wc -l <"$attempts")
acknowledged=$(wc -l <"$acked")
log "replication: $attempted writes, $acknowledged acknowledged, $((attempted - acknowledged)) refused during the deletions, $lost lost"
[ "$acknowledged" -gt 0 ] || die "no write was acknowledged"
[ "$lost" -eq 0 ] || die "$lost acknowledged write(s) lost"
