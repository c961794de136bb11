#!/usr/bin/env bash
# The native images the workflow's native job built (docker save archives image-<service>.tar in
# DIR), tagged with the names the overlay runs, loaded into the kind node.
#   load-images.sh OVERLAY DIR
. "$(dirname "$0")/lib.sh"
overlay=${1:?usage: load-images.sh OVERLAY DIR}
dir=${2:?usage: load-images.sh OVERLAY DIR}
rendered=$(render "$overlay")

for s in "${SERVICES[@]}"; do
  archive="$dir/image-$s.tar"
  [ -f "$archive" ] || die "no image archive $archive"
  built=$(docker load -i "$archive" | sed -n 's/^Loaded image: //p' | head -1)
  [ -n "$built" ] || die "$archive holds no tagged image"
  wanted=$(awk -v s="$s" '$1 == "image:" && $2 ~ "(^|/)(conduit-)?" s ":" { print $2; exit }' <<<"$rendered")
  [ -n "$wanted" ] || die "overlays/$overlay runs no image for $s"
  docker tag "$built" "$wanted"
  kind load docker-image "$wanted" --name "$CLUSTER"
  log "$s: $built loaded as $wanted"
done
