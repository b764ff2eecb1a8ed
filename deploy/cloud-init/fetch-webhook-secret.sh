#!/usr/bin/env bash
# Puts the webhook secret in /etc/pilot/webhook-secret (0600, owner pilot), read from the
# cloud's secret store with the VM's own identity. Once there, it is kept: a reboot
# changes nothing (to rotate, delete the file and restart pilot-webhook-secret.service).
# The secret goes from curl to python3 to the file through pipes: never to argv or logs.
set -euo pipefail
# shellcheck source=metadata.sh
. "$(dirname "$0")/metadata.sh"

secret_file=${PILOT_WEBHOOK_SECRET_FILE:-/etc/pilot/webhook-secret}
owner=${PILOT_USER:-pilot}
secrets_manager_url=${PILOT_SECRETS_MANAGER_URL:-https://secretsmanager.$PILOT_REGION.amazonaws.com}
secret_manager_url=${PILOT_SECRET_MANAGER_URL:-https://secretmanager.googleapis.com}

if [ -s "$secret_file" ]; then exit 0; fi

# AWS: Secrets Manager GetSecretValue, signed with the instance role (curl >= 7.75).
aws_secret() {
  aws_credentials_config |
    curl -fsS --max-time 10 -K - --aws-sigv4 "aws:amz:$PILOT_REGION:secretsmanager" \
      -H 'Content-Type: application/x-amz-json-1.1' -H 'X-Amz-Target: secretsmanager.GetSecretValue' \
      --data "{\"SecretId\":\"$PILOT_NAME/webhook-secret\"}" "$secrets_manager_url/" |
    python3 -c 'import json, sys; sys.stdout.write(json.load(sys.stdin)["SecretString"])' >"$1" &&
    [ -s "$1" ]
}

# GCP: Secret Manager's latest version, with the service account's access token.
gcp_secret() {
  : "${PILOT_GCP_PROJECT:?}"
  gcp_credentials_config |
    curl -fsS --max-time 10 -K - \
      "$secret_manager_url/v1/projects/$PILOT_GCP_PROJECT/secrets/$PILOT_NAME-webhook-secret/versions/latest:access" |
    python3 -c 'import base64, json, sys; sys.stdout.buffer.write(base64.b64decode(json.load(sys.stdin)["payload"]["data"]))' >"$1" &&
    [ -s "$1" ]
}

umask 077
tmp=$(mktemp "$secret_file.XXXXXX")
trap 'rm -f "$tmp"' EXIT
with_retries "the webhook secret ($PILOT_CLOUD)" "${PILOT_CLOUD}_secret" "$tmp"
chown "$owner:$owner" "$tmp"
chmod 0600 "$tmp"
mv "$tmp" "$secret_file"
echo "pilot: webhook secret written to $secret_file"
