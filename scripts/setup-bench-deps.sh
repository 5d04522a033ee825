#!/usr/bin/env bash
# Debian packages `npm run bench` needs on the controller, on top of scripts/setup-test-deps.sh:
#   ansible          ansible-core 2.14 plus collections (community.postgresql)
#   ansible-mitogen  the Mitogen strategy plugins (tried; see bench/README.md)
#   time             GNU time, for controller peak RSS (/usr/bin/time -v)
# Idempotent.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bash "$here/setup-test-deps.sh"
pkgs=(ansible ansible-core ansible-mitogen time)
missing=()
for p in "${pkgs[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then echo "setup-bench-deps: need root to install: ${missing[*]}" >&2; exit 1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
