#!/usr/bin/env bash
# Builds the testbed's Debian image. The image cache is keyed by a hash of THIS file,
# so any change here (packages, hooks) produces a fresh image on the next run.
# Usage: build-image.sh DEST_DIR
set -euo pipefail
dest=$1
packages=(
  systemd systemd-sysv dbus openssh-server sudo iproute2 procps
  python3 python3-venv python3-pip
  postgresql postgresql-client
  # what the modules and roles of this round reach for (Ansible needs the python3-* ones on the host)
  nginx cron git rsync curl ca-certificates openssl ufw locales kmod tzdata gnupg unzip xz-utils bzip2
  acl debconf-utils file python3-apt python3-debian python3-psycopg2 nodejs npm
  libcap2-bin make patch
  python3-passlib python3-pexpect python3-cryptography
)
mmdebstrap --quiet --variant=minbase --include="$(IFS=,; echo "${packages[*]}")" \
  --customize-hook='chroot "$1" useradd --create-home --shell /bin/bash deploy' \
  --customize-hook='echo "deploy ALL=(ALL) NOPASSWD: ALL" > "$1/etc/sudoers.d/deploy"; chmod 440 "$1/etc/sudoers.d/deploy"' \
  --customize-hook='mkdir -p "$1/root/.ssh" "$1/home/deploy/.ssh"; chmod 700 "$1/root/.ssh" "$1/home/deploy/.ssh"' \
  --customize-hook='chroot "$1" chown deploy:deploy /home/deploy/.ssh' \
  --customize-hook='rm -f "$1"/etc/ssh/ssh_host_*' \
  --customize-hook='echo "UseDNS no" > "$1/etc/ssh/sshd_config.d/testbed.conf"' \
  --customize-hook='ln -sf /dev/null "$1/etc/systemd/system/systemd-networkd-wait-online.service"' \
  --customize-hook='ln -sf /dev/null "$1/etc/systemd/system/getty@.service"; ln -sf /dev/null "$1/etc/systemd/system/console-getty.service"' \
  --customize-hook='chroot "$1" systemctl disable nginx >/dev/null 2>&1 || true' \
  bookworm "$dest"
