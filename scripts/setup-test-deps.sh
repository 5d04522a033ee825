#!/usr/bin/env bash
# Debian packages the tests need (testbed hosts, ssh, a local apt/pip index, Debian's ansible for the
# differential tests, rsync and git for their modules). Idempotent.
set -euo pipefail
pkgs=(mmdebstrap systemd-container openssh-server openssh-client iproute2 dpkg-dev python3 postgresql-client
  ansible rsync git openssl)
missing=()
for p in "${pkgs[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then echo "setup-test-deps: need root to install: ${missing[*]}" >&2; exit 1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi
