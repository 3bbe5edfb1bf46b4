#!/usr/bin/env bash
# Builds the controller and agent images with the Dockerfile at the repository root.
#   scripts/build-image.sh [--local] [--archive DIR] [REGISTRY/NAME] [TAG]   (default romana-aws, the commit's short hash)
#
# First the binaries are published ahead of time into artifacts/image/ (the CLI self-contained and ReadyToRun, the
# CNI plugin Native AOT), so the build needs no SDK and the images carry none. Then one of two paths:
#   registry path (default): the bases are the registry's debian:bookworm-slim; the builder is ENGINE (docker,
#     podman or buildah; default: the first found). Push yourself: docker push NAME:controller-TAG / NAME:agent-TAG.
#   local path (--local): no registry, no Docker engine (CI and these machines): the bases come from Debian's
#     packages (scripts/base-image.sh: debootstrap --variant=minbase, committed into buildah's storage), and buildah
#     builds with the vfs driver and chroot isolation. Needs root, buildah, debootstrap.
# --archive DIR also writes DIR/controller.tar and DIR/agent.tar (OCI archives, what `ctr images import` takes).
set -euo pipefail
cd "$(dirname "$0")/.."
local_path=false
archive=""
while [[ $# -gt 0 && $1 == --* ]]; do
  case $1 in
    --local) local_path=true; shift ;;
    --archive) archive=${2:?--archive needs a directory}; shift 2 ;;
    *) echo "error: unknown option $1 (give --local, --archive DIR)" >&2; exit 2 ;;
  esac
done
name=${1:-romana-aws}
tag=${2:-$(git rev-parse --short HEAD 2>/dev/null || echo dev)}

echo "==> publish romana-aws (self-contained, ReadyToRun) and romana-aws-cni (Native AOT) into artifacts/image/"
rm -rf artifacts/image
dotnet publish src/RomanaAws.Cli/RomanaAws.Cli.csproj -c Release -r linux-x64 --self-contained -p:PublishReadyToRun=true \
  -p:DebugType=none -p:SatelliteResourceLanguages=en -nologo -v quiet -o artifacts/image/romana-aws
scripts/publish-cni.sh artifacts/image >/dev/null

build_args=()
if $local_path; then
  engine=buildah
  command -v buildah >/dev/null || { echo "error: --local needs buildah (apt-get install buildah debootstrap)" >&2; exit 1; }
  scripts/base-image.sh
  build_args=(--build-arg BASE=localhost/romana-aws-base:bookworm --build-arg AGENT_BASE=localhost/romana-aws-base-agent:bookworm)
else
  engine=${ENGINE:-$(for e in docker podman buildah; do command -v $e >/dev/null && { echo $e; break; }; done)}
  [[ -n $engine ]] || { echo "error: no docker, podman or buildah found; install one, or set ENGINE" >&2; exit 1; }
fi

for target in controller agent; do
  image="$name:$target-$tag"
  echo "==> $engine build --target $target -t $image"
  if [[ $engine == buildah ]]; then
    buildah --storage-driver vfs rmi -f "$image" >/dev/null 2>&1 || true
    buildah --storage-driver vfs bud --isolation chroot --layers=false -q "${build_args[@]}" --target "$target" -t "$image" -f Dockerfile . >/dev/null
  else
    "$engine" build "${build_args[@]}" --target "$target" -t "$image" .
  fi
  if [[ -n $archive ]]; then
    mkdir -p "$archive"
    rm -f "$archive/$target.tar"
    if [[ $engine == buildah ]]; then
      buildah --storage-driver vfs push -q "$image" "oci-archive:$archive/$target.tar:$image" >/dev/null
    else
      "$engine" save -o "$archive/$target.tar" "$image"
    fi
    echo "==> $archive/$target.tar ($(du -h "$archive/$target.tar" | cut -f1))"
  fi
done
# vfs keeps full copies: drop what the rebuilt tags left behind.
[[ $engine == buildah ]] && buildah --storage-driver vfs rmi --prune >/dev/null 2>&1 || true
echo "built $name:controller-$tag and $name:agent-$tag"
