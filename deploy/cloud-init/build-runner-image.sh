#!/usr/bin/env bash
# Builds the Waypoint server/runner image from the installed Pilot's runner-image/ when
# no --runner-image was given (PILOT_BUILD_RUNNER=true). Waypoint v0.11.4's image is
# pulled by its tag once and then pinned by the digest it had (runner-image/Dockerfile
# takes it as WAYPOINT_DIGEST). An image already built is kept: a reboot builds nothing.
set -euo pipefail
# shellcheck source=metadata.sh
. "$(dirname "$0")/metadata.sh"

[ "${PILOT_BUILD_RUNNER:-false}" = true ] || exit 0
: "${PILOT_RUNNER_IMAGE:?}"
package=${PILOT_PACKAGE_ROOT:-/opt/pilot/lib/node_modules/pilot}
waypoint=hashicorp/waypoint:0.11.4

if docker image inspect "$PILOT_RUNNER_IMAGE" >/dev/null 2>&1; then exit 0; fi
with_retries "$waypoint from Docker Hub" docker pull --quiet "$waypoint"
digest=$(docker image inspect --format '{{index .RepoDigests 0}}' "$waypoint")
digest=${digest##*@sha256:}
if ! [[ $digest =~ ^[0-9a-f]{64}$ ]]; then
  echo "pilot: $waypoint has no digest to pin (got \"$digest\")" >&2
  exit 1
fi
echo "pilot: building $PILOT_RUNNER_IMAGE on $waypoint@sha256:$digest"
docker build --quiet --build-arg "WAYPOINT_DIGEST=$digest" --tag "$PILOT_RUNNER_IMAGE" \
  --file "$package/runner-image/Dockerfile" "$package"
