#!/usr/bin/env bash
# Builds a tiny OCI image archive from Debian's busybox-static, without a registry or a builder:
# a layer tar (/bin/busybox + applet symlinks + /www/index.html + /bin/pod-echo, the lab pods' TCP and UDP
# server, compiled static from pod-echo.c), a config JSON, a manifest and an index,
# packed as an OCI image layout tar that `ctr images import` accepts.
# Usage: build-image.sh OUT.tar   (image name: docker.io/rcni/busybox:1)
set -euo pipefail
out=${1:?usage: build-image.sh OUT.tar}
[[ -x /bin/busybox ]] || { echo "error: /bin/busybox missing (apt-get install busybox-static)" >&2; exit 1; }
command -v gcc >/dev/null || { echo "error: gcc missing (apt-get install gcc libc6-dev): it builds /bin/pod-echo" >&2; exit 1; }

work=$(mktemp -d /tmp/rcni-image.XXXXXX)
trap 'rm -rf "$work"' EXIT
root=$work/rootfs
mkdir -p "$root"/{bin,www,tmp,proc,sys,dev,etc} "$work"/oci/blobs/sha256
cp /bin/busybox "$root/bin/busybox"
for a in sh ls cat echo sleep ping wget httpd ip nc hostname ifconfig route true false; do ln -s busybox "$root/bin/$a"; done
echo rcni-hello >"$root/www/index.html"
gcc -static -O2 -o "$root/bin/pod-echo" "$(dirname "$0")/pod-echo.c"
echo 'root:x:0:0:root:/:/bin/sh' >"$root/etc/passwd"

sha() { sha256sum "$1" | cut -d' ' -f1; }
blob() { local h; h=$(sha "$1"); mv "$1" "$work/oci/blobs/sha256/$h"; echo "$h"; }

# deterministic layer: fixed mtime/owner, sorted names
tar --sort=name --mtime='2020-01-01 00:00Z' --owner=0 --group=0 --numeric-owner -C "$root" -cf "$work/layer.tar" .
layer_size=$(stat -c %s "$work/layer.tar")
layer=$(blob "$work/layer.tar")   # uncompressed: diff_id == digest

printf '{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/bin"],"Cmd":["/bin/sh"],"WorkingDir":"/"},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
  "$layer" >"$work/config.json"
config_size=$(stat -c %s "$work/config.json")
config=$(blob "$work/config.json")

printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%s}]}' \
  "$config" "$config_size" "$layer" "$layer_size" >"$work/manifest.json"
manifest_size=$(stat -c %s "$work/manifest.json")
manifest=$(blob "$work/manifest.json")

printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"platform":{"architecture":"amd64","os":"linux"},"annotations":{"io.containerd.image.name":"docker.io/rcni/busybox:1","org.opencontainers.image.ref.name":"1"}}]}' \
  "$manifest" "$manifest_size" >"$work/oci/index.json"
echo '{"imageLayoutVersion":"1.0.0"}' >"$work/oci/oci-layout"
tar -C "$work/oci" -cf "$out" oci-layout index.json blobs
echo "$out"
