#!/usr/bin/env bash
# Fetches the Pilot package `pilot bootstrap` packed and its stack uploaded to the state
# bucket (PILOT_BUNDLE_KEY), with the VM's own identity, into PILOT_BUNDLE_DIR; checks
# its SHA-256 against the one rendered into boot.env, and keeps it only if it matches.
# Without a bundle (--pilot-package given) it does nothing. A second run finds the file.
set -euo pipefail
# shellcheck source=metadata.sh
. "$(dirname "$0")/metadata.sh"

[ -n "${PILOT_BUNDLE_KEY:-}" ] || exit 0
: "${PILOT_BUNDLE_SHA256:?}" "${PILOT_STATE_BUCKET:?}" "${PILOT_PACKAGE:?}"
dir=${PILOT_BUNDLE_DIR:-/var/lib/pilot-boot}
target="$dir/$PILOT_PACKAGE"
s3_url=${PILOT_S3_URL:-https://$PILOT_STATE_BUCKET.s3.$PILOT_REGION.amazonaws.com}
gcs_url=${PILOT_GCS_URL:-https://storage.googleapis.com}

matches() {
  [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d ' ' -f 1)" = "$PILOT_BUNDLE_SHA256" ]
}

# AWS: S3 GetObject signed with the instance role (the hash of the empty body, which S3 requires).
aws_bundle() {
  aws_credentials_config |
    curl -fsS --max-time 300 -K - --aws-sigv4 "aws:amz:$PILOT_REGION:s3" \
      -H 'x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' \
      -o "$1" "$s3_url/$PILOT_BUNDLE_KEY" &&
    matches "$1"
}

# GCP: the object's media through the JSON API, with the service account's token.
gcp_bundle() {
  local object
  object=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$PILOT_BUNDLE_KEY")
  gcp_credentials_config |
    curl -fsS --max-time 300 -K - -o "$1" "$gcs_url/storage/v1/b/$PILOT_STATE_BUCKET/o/$object?alt=media" &&
    matches "$1"
}

if matches "$target"; then exit 0; fi
install -d -m 0700 "$dir"
tmp=$(mktemp "$target.XXXXXX")
trap 'rm -f "$tmp"' EXIT
# A wrong hash is tried again too: an upload still under way reads short.
with_retries "the Pilot package ($PILOT_CLOUD)" "${PILOT_CLOUD}_bundle" "$tmp"
mv "$tmp" "$target"
echo "pilot: the Pilot package is at $target (sha256 $PILOT_BUNDLE_SHA256)"
