#!/usr/bin/env bash
# First boot (cloud-init runcmd), as root, after the packages: the pilot user, its folders
# and files, Terraform held at its pin, the Pilot package, SSH off unless --ssh-cidr was
# given; then the units, started in the order their After=/Before= lines give. Safe to
# run again: it changes nothing the second time.
set -euo pipefail
# shellcheck source=metadata.sh
. "$(dirname "$0")/metadata.sh"
: "${PILOT_PACKAGE:?}"

# A system user with no password, no sudo, no shell, and not in the docker group: the
# daemon talks to Waypoint over gRPC, never to Docker.
if ! id -u pilot >/dev/null 2>&1; then
  useradd --system --user-group --home-dir /var/lib/pilot --no-create-home --shell /usr/sbin/nologin pilot
fi
install -d -m 0700 -o pilot -g pilot /var/lib/pilot
install -d -m 0750 -o root -g pilot /etc/pilot
chgrp pilot /etc/pilot/pilot.config.base.yaml
chmod 0640 /etc/pilot/pilot.config.base.yaml

# Installed at its pin by cloud-init; held so an `apt upgrade` does not move it.
apt-mark hold terraform >/dev/null

# The daemon: /opt/pilot/bin/pilot. Installed again only when the package changed: the spec,
# or the bundle's hash. A bundle is the tarball `pilot bootstrap` packed, fetched and checked first.
package=$PILOT_PACKAGE
installed="$PILOT_PACKAGE ${PILOT_BUNDLE_SHA256:-}"
if [ -n "${PILOT_BUNDLE_KEY:-}" ]; then
  "$(dirname "$0")/fetch-pilot-package.sh"
  package="${PILOT_BUNDLE_DIR:-/var/lib/pilot-boot}/$PILOT_PACKAGE"
fi
if [ ! -x /opt/pilot/bin/pilot ] || [ "$(cat /opt/pilot/.pilot-package 2>/dev/null)" != "$installed" ]; then
  npm install --global --prefix /opt/pilot --no-fund --no-audit "$package"
  printf '%s\n' "$installed" >/opt/pilot/.pilot-package
fi

# Without --runner-image, the Waypoint image is built here from the package's runner-image/.
"$(dirname "$0")/build-runner-image.sh"

if [ "${PILOT_SSH:-false}" != true ]; then
  # No --ssh-cidr: the firewall has no port 22 either; nothing listens.
  systemctl disable --now ssh.socket ssh.service >/dev/null 2>&1 || true
fi

systemctl daemon-reload
units=(docker.service pilot-configure.service pilot-webhook-secret.service waypoint-server.service
  waypoint-runner.service caddy.service pilot.service)
systemctl enable "${units[@]}"
# --no-block: the units wait for each other (the secret may take minutes to be readable);
# cloud-init need not.
systemctl start --no-block "${units[@]}"
