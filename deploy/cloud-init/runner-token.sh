#!/usr/bin/env bash
# Before the Waypoint runner starts: its runner token, in /var/lib/waypoint-runner/runner.env.
# `waypoint install -platform=docker` (v0.11.4, internal/cli/install.go) gives its runner a
# token it made with the CLI's own (GenerateLoginToken), then adopts it; here the daemon
# holds the only user token (it called BootstrapToken on its first start), so this script
# waits for it and asks the server once for a runner token bound to the id "static" that
# never expires (`waypoint runner token`, GenerateRunnerToken: "pre-adoption", so no human
# approves the runner). The daemon's token only goes, by an env file, to that one
# short-lived CLI container on this VM; the runner gets its own, narrower token.
set -euo pipefail
# shellcheck source=metadata.sh
. "$(dirname "$0")/metadata.sh"
: "${PILOT_RUNNER_IMAGE:?}"

state=${PILOT_RUNNER_STATE:-/var/lib/waypoint-runner}
daemon_token=${PILOT_WAYPOINT_TOKEN_FILE:-/var/lib/pilot/waypoint-token}
server='waypoint-server:9701'

if [ -s "$state/runner.env" ]; then exit 0; fi

umask 077
install -d -m 0700 "$state"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

with_retries "the daemon's Waypoint token ($daemon_token)" test -s "$daemon_token"
token=$(<"$daemon_token")
printf 'WAYPOINT_SERVER_ADDR=%s\nWAYPOINT_SERVER_TLS=true\nWAYPOINT_SERVER_TLS_SKIP_VERIFY=true\nWAYPOINT_SERVER_TOKEN=%s\n' \
  "$server" "$token" >"$work/cli.env"
unset token

runner_token() {
  docker run --rm --network waypoint --env-file "$work/cli.env" "$PILOT_RUNNER_IMAGE" \
    runner token -id=static -expires-in=0s >"$work/out"
}
with_retries 'a runner token from the Waypoint server' runner_token
# The token is the last line the CLI printed: base58, nothing else.
token=$(grep -v '^[[:space:]]*$' "$work/out" | tail -n 1)
if ! [[ $token =~ ^[1-9A-HJ-NP-Za-km-z]+$ ]]; then
  echo "pilot: 'waypoint runner token' printed no token" >&2
  exit 1
fi
printf 'WAYPOINT_SERVER_ADDR=%s\nWAYPOINT_SERVER_TLS=true\nWAYPOINT_SERVER_TLS_SKIP_VERIFY=true\nWAYPOINT_SERVER_TOKEN=%s\n' \
  "$server" "$token" >"$work/runner.env"
mv "$work/runner.env" "$state/runner.env"
echo "pilot: runner token written to $state/runner.env"
