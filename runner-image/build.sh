#!/usr/bin/env bash
# Builds Pilot's Waypoint server/runner image (runner-image/Dockerfile) from the repository
# root and prints the digest to pin as `pilot bootstrap`'s runnerImage. Needs Docker with
# BuildKit (Docker 23 or later), npm and network access to Docker Hub and npm.
#
#   runner-image/build.sh                        # tag pilot-runner:<version of package.json>
#   IMAGE=registry.example.com/pilot-runner runner-image/build.sh
#   WAYPOINT_DIGEST=<64 hex> runner-image/build.sh   # hashicorp/waypoint:0.11.4 pinned by you
#   IMAGE=registry.example.com/pilot-runner PUSH=1 runner-image/build.sh   # and push it
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

waypoint_image="hashicorp/waypoint:0.11.4"
version="$(node -p 'require("./package.json").version')"
image="${IMAGE:-pilot-runner}:${version}"

# pilot-sync's bundle (plugins/pilot-sync/dist/pilot-sync.cjs) is built by npm ci at the
# root (the prepare script), from the lockfile only.
npm ci

# Waypoint's digest is not in the Dockerfile (see the comment there): take the one given,
# or resolve the tag once and say so, so that the next build can pin it.
digest="${WAYPOINT_DIGEST:-}"
if [[ -z "$digest" ]]; then
  docker pull --quiet "$waypoint_image" >/dev/null
  repo_digest="$(docker inspect --format '{{index .RepoDigests 0}}' "$waypoint_image")"
  digest="${repo_digest##*@sha256:}"
  echo "resolved ${waypoint_image} to sha256:${digest}; pin it with WAYPOINT_DIGEST=${digest}" >&2
fi
if [[ ! "$digest" =~ ^[0-9a-f]{64}$ ]]; then
  echo "WAYPOINT_DIGEST must be 64 lowercase hex digits (without sha256:), got '${digest}'" >&2
  exit 1
fi

DOCKER_BUILDKIT=1 docker build \
  --file runner-image/Dockerfile \
  --build-arg "WAYPOINT_DIGEST=${digest}" \
  --tag "$image" \
  .

# The image id is the digest of its config; the registry digest (registry/name@sha256:...,
# what runnerImage takes) exists only once the image is pushed.
if [[ "${PUSH:-}" == 1 ]]; then
  docker push "$image"
fi
echo "built ${image}"
echo "image id: $(docker inspect --format '{{.Id}}' "$image")"
if repo_digests="$(docker inspect --format '{{join .RepoDigests " "}}' "$image")" && [[ -n "$repo_digests" ]]; then
  echo "registry digest: ${repo_digests}"
fi
