#!/usr/bin/env bash
# Every boot, before Caddy and the daemon: the site Caddy serves (the domain, else the
# VM's public IP with a self-signed certificate whose fingerprint goes to the serial
# console), and /etc/pilot/pilot.config.yaml from the rendered pilot.config.base.yaml plus
# what only the VM knows (the public URL, the shared network). Writes only what changed.
set -euo pipefail
# shellcheck source=metadata.sh
. "$(dirname "$0")/metadata.sh"

lib=$(dirname "$0")
etc=${PILOT_ETC:-/etc/pilot}
caddy_dir=${PILOT_CADDY_DIR:-/etc/caddy}
ec2_url=${PILOT_EC2_URL:-https://ec2.$PILOT_REGION.amazonaws.com}

# install_if_changed NEW TARGET: moves NEW over TARGET when they differ; true when it did.
install_if_changed() {
  if [ -f "$2" ] && cmp -s "$1" "$2"; then
    rm -f "$1"
    return 1
  fi
  mv "$1" "$2"
}

# self_signed IP: a certificate for the IP (kept while the IP stays the same), and its
# fingerprint on the console, where the cloud's console output shows it.
self_signed() {
  local dir=$caddy_dir/tls fingerprint
  install -d -m 0750 -o root -g "${PILOT_CADDY_GROUP:-caddy}" "$dir"
  if ! openssl x509 -in "$dir/pilot.crt" -noout -checkip "$1" 2>/dev/null | grep -q 'does match'; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
      -subj "/CN=$1" -addext "subjectAltName=IP:$1" \
      -keyout "$dir/pilot.key" -out "$dir/pilot.crt" 2>/dev/null
    chgrp "${PILOT_CADDY_GROUP:-caddy}" "$dir/pilot.key" "$dir/pilot.crt"
    chmod 0640 "$dir/pilot.key" "$dir/pilot.crt"
  fi
  fingerprint=$(openssl x509 -in "$dir/pilot.crt" -noout -fingerprint -sha256 | sed 's/.*=//; s/://g' | tr 'A-F' 'a-f')
  echo "pilot: TLS certificate sha256 fingerprint $fingerprint"
}

# aws_subnets VPC ROLE: the ids of the VPC's subnets the VM stack named <name>-vm-ROLE-<n>
# (src/drivers/aws/vm/network.ts; ROLE is app or db), one a line.
aws_subnets() {
  aws_credentials_config |
    curl -fsS --max-time 10 -K - --aws-sigv4 "aws:amz:$PILOT_REGION:ec2" \
      --data "Action=DescribeSubnets&Version=2016-11-15&Filter.1.Name=vpc-id&Filter.1.Value.1=$1&Filter.2.Name=tag:Name&Filter.2.Value.1=$PILOT_NAME-vm-$2-*" \
      "$ec2_url/" |
    python3 -c '
import sys, xml.etree.ElementTree as ET
ids = sorted(e.text for e in ET.parse(sys.stdin).iter() if e.tag.endswith("}subnetId") or e.tag == "subnetId")
print("\n".join(ids))
'
}

# shared_network: clouds.<cloud>.network for the config, as JSON, read from the cloud.
aws_network() {
  local mac vpc
  mac=$(aws_metadata mac) && vpc=$(aws_metadata "network/interfaces/macs/$mac/vpc-id") &&
    app=$(aws_subnets "$vpc" app) && database=$(aws_subnets "$vpc" db) &&
    [ -n "$app" ] && [ "$(echo "$database" | wc -l)" -ge 2 ] &&
    network=$(VPC=$vpc APP=$app DATABASE=$database python3 -c '
import json, os
print(json.dumps({"vpcId": os.environ["VPC"], "appSubnetIds": os.environ["APP"].split(), "databaseSubnetIds": os.environ["DATABASE"].split()}))
')
}
gcp_network() {
  local link
  link=$(gcp_metadata instance/network-interfaces/0/network) && network=$(printf '"%s"' "${link##*/}")
}

read_public_ipv4() { site=$(public_ipv4); }

if [ -n "${PILOT_DOMAIN:-}" ]; then
  site=$PILOT_DOMAIN
  template=Caddyfile.domain
else
  with_retries 'the public IP address' read_public_ipv4
  if ! [[ $site =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ ]]; then
    echo "pilot: the metadata gave no public IPv4 address: the VM needs one" >&2
    exit 1
  fi
  template=Caddyfile.ip
  self_signed "$site"
fi

network=''
if [ "${PILOT_SHARE_NETWORK:-false}" = true ]; then
  with_retries 'the shared network' "${PILOT_CLOUD}_network"
fi

umask 022
caddyfile=$(mktemp "$caddy_dir/Caddyfile.XXXXXX")
sed "s/@SITE@/$site/g" "$lib/$template" >"$caddyfile"
chmod 0644 "$caddyfile"
if install_if_changed "$caddyfile" "$caddy_dir/Caddyfile" && systemctl is-active --quiet caddy.service; then
  systemctl reload-or-restart caddy.service
fi

umask 027
config=$(mktemp "$etc/pilot.config.yaml.XXXXXX")
SITE=$site CLOUD=$PILOT_CLOUD NETWORK=$network python3 - "$etc/pilot.config.base.yaml" >"$config" <<'PY'
import json, os, sys, yaml
with open(sys.argv[1]) as f:
    config = yaml.safe_load(f)
config.setdefault("http", {})["publicUrl"] = "https://" + os.environ["SITE"]
if os.environ["NETWORK"]:
    config.setdefault("clouds", {})[os.environ["CLOUD"]] = {"network": json.loads(os.environ["NETWORK"])}
print("# Written at each boot by /usr/local/lib/pilot/configure.sh from pilot.config.base.yaml")
print("# (edit that one) and what the VM knows: http.publicUrl, the shared network.")
print(yaml.safe_dump(config, sort_keys=False, default_flow_style=False), end="")
PY
chgrp "${PILOT_USER:-pilot}" "$config"
chmod 0640 "$config"
if install_if_changed "$config" "$etc/pilot.config.yaml"; then
  echo "pilot: wrote $etc/pilot.config.yaml"
fi
