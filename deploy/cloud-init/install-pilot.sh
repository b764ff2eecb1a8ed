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

# The daemon: /opt/pilot/bin/pilot. Installed again only when the package spec changed.
if [ ! -x /opt/pilot/bin/pilot ] || [ "$(cat /opt/pilot/.pilot-package 2>/dev/null)" != "$PILOT_PACKAGE" ]; then
  npm install --global --prefix /opt/pilot --no-fund --no-audit "$PILOT_PACKAGE"
  printf '%s\n' "$PILOT_PACKAGE" >/opt/pilot/.pilot-package
fi

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
