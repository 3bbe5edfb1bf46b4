#!/usr/bin/env bash
# The images' base on a machine without a registry: Debian bookworm from Debian's own packages, by
# `debootstrap --variant=minbase` (+ ca-certificates and libssl3, what the .NET runtime of romana-aws loads), committed
# into buildah's storage (vfs driver) as localhost/romana-aws-base:bookworm. The agent's base adds the kernel tools the
# agent runs (iproute2, iptables, ipset): localhost/romana-aws-base-agent:bookworm. Needs root, debootstrap, buildah.
#   scripts/base-image.sh [MIRROR]      (default http://deb.debian.org/debian)
# Elsewhere the bases are the registry's debian:bookworm-slim (scripts/build-image.sh without --local).
set -euo pipefail
mirror=${1:-http://deb.debian.org/debian}
suite=bookworm
[[ $(id -u) -eq 0 ]] || { echo "error: base-image.sh must run as root (debootstrap, buildah mount)" >&2; exit 1; }
for tool in debootstrap buildah; do
  command -v "$tool" >/dev/null || { echo "error: $tool missing (apt-get install $tool)" >&2; exit 1; }
done
b() { buildah --storage-driver vfs "$@"; }

work=$(mktemp -d /var/tmp/romana-base.XXXXXX)
trap 'rm -rf "$work"' EXIT
echo "==> debootstrap --variant=minbase $suite from $mirror"
debootstrap --variant=minbase --include=ca-certificates,libssl3 "$suite" "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
  || { tail -20 "$work/debootstrap.log" >&2; exit 1; }

# What an image does not need: the downloaded packages, apt's lists, documentation, man pages, locales.
slim() {
  rm -rf "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/* "$1"/usr/share/doc/* "$1"/usr/share/man/* "$1"/usr/share/info/* "$1"/var/log/*
  find "$1"/usr/share/locale -mindepth 1 -maxdepth 1 ! -name 'en*' -exec rm -rf {} + 2>/dev/null || true
}

# commit DIR NAME: a one-layer image of DIR's tree.
commit() {
  local c mnt
  c=$(b from scratch)
  mnt=$(b mount "$c")
  cp -a "$1"/. "$mnt"/
  b umount "$c" >/dev/null
  b rmi -f "$2" >/dev/null 2>&1 || true
  b config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --cmd /bin/sh "$c"
  b commit --rm "$c" "$2" >/dev/null
  echo "==> $2 ($(du -sh "$1" | cut -f1))"
}

echo "==> agent base: + iproute2 iptables ipset procps bird2"
cp -a "$work/rootfs" "$work/agent"
slim "$work/rootfs"
commit "$work/rootfs" localhost/romana-aws-base:$suite
cp /etc/resolv.conf "$work/agent/etc/resolv.conf"
chroot "$work/agent" sh -c "echo 'deb $mirror $suite main' > /etc/apt/sources.list && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends iproute2 iptables ipset procps bird2 >/dev/null" \
  || { echo "error: could not install the agent's tools into its base" >&2; exit 1; }
: >"$work/agent/etc/resolv.conf"
slim "$work/agent"
commit "$work/agent" localhost/romana-aws-base-agent:$suite
