#!/usr/bin/env bash
# Sourced by the boot scripts: the instance metadata of AWS (IMDSv2) and GCP, and a retry
# loop. Credentials and tokens go to curl on stdin (-K -), never on its command line.
set -euo pipefail

# The endpoints are overridable for tests only; on the VM the defaults are the real ones.
aws_metadata_url=${PILOT_AWS_METADATA_URL:-http://169.254.169.254}
gcp_metadata_url=${PILOT_GCP_METADATA_URL:-http://metadata.google.internal}

# curl_header NAME VALUE: a curl config line carrying one header, quoted for curl's -K.
curl_header() {
  local value=${2//\\/\\\\}
  printf 'header = "%s: %s"\n' "$1" "${value//\"/\\\"}"
}

# aws_metadata PATH: one value of the instance metadata, through an IMDSv2 session token.
aws_metadata() {
  local token
  token=$(curl -fsS --max-time 5 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' "$aws_metadata_url/latest/api/token") &&
    curl_header X-aws-ec2-metadata-token "$token" | curl -fsS --max-time 5 -K - "$aws_metadata_url/latest/meta-data/$1"
}

# aws_credentials_config: curl config lines that sign with the instance role's credentials
# (user = key id:secret, plus the session token header), for curl --aws-sigv4.
aws_credentials_config() {
  local role
  role=$(aws_metadata iam/security-credentials/ | head -n 1) && [ -n "$role" ] &&
    aws_metadata "iam/security-credentials/$role" | python3 -c '
import json, sys
c = json.load(sys.stdin)
q = lambda s: "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\""
print("user = " + q(c["AccessKeyId"] + ":" + c["SecretAccessKey"]))
print("header = " + q("x-amz-security-token: " + c["Token"]))
'
}

# gcp_metadata PATH: one value of the metadata server.
gcp_metadata() {
  curl -fsS --max-time 5 -H 'Metadata-Flavor: Google' "$gcp_metadata_url/computeMetadata/v1/$1"
}

# gcp_credentials_config: a curl config line with the service account's access token.
gcp_credentials_config() {
  gcp_metadata instance/service-accounts/default/token |
    python3 -c 'import json, sys; t = json.load(sys.stdin)["access_token"]; print("header = \"Authorization: Bearer " + t + "\"")'
}

# public_ipv4: the VM's public address, as the cloud reports it.
public_ipv4() {
  case $PILOT_CLOUD in
    aws) aws_metadata public-ipv4 ;;
    gcp) gcp_metadata instance/network-interfaces/0/access-configs/0/external-ip ;;
    *) echo "pilot: unknown cloud $PILOT_CLOUD" >&2; return 1 ;;
  esac
}

# with_retries WHAT COMMAND...: runs COMMAND until it succeeds, waiting 2, 4, 8... and at
# most 60 s between tries, for PILOT_RETRY_SECONDS in all (default 900: IAM grants and
# new secrets take seconds to minutes to be readable). COMMAND runs where set -e does not
# apply, so it must chain its steps with &&.
with_retries() {
  local what=$1 wait=2 waited=0 limit=${PILOT_RETRY_SECONDS:-900}
  shift
  until "$@"; do
    if [ "$waited" -ge "$limit" ]; then
      echo "pilot: gave up waiting for $what after ${waited}s" >&2
      return 1
    fi
    echo "pilot: $what is not ready yet; trying again in ${wait}s" >&2
    sleep "$wait"
    waited=$((waited + wait))
    wait=$((wait * 2 > 60 ? 60 : wait * 2))
  done
}

# Every script reads the non-secret facts user-data.ts rendered.
# shellcheck source=/dev/null
. "${PILOT_BOOT_ENV:-/etc/pilot/boot.env}"
: "${PILOT_CLOUD:?}" "${PILOT_NAME:?}" "${PILOT_REGION:?}"
