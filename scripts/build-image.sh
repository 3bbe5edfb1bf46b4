#!/usr/bin/env bash
# Builds the controller and agent images from the Dockerfile at the repository root.
# Usage: scripts/build-image.sh [REGISTRY/NAME] [TAG]   (default romana-aws, the commit's short hash)
# Needs docker (or podman: ENGINE=podman). Pushing is left to you: docker push NAME:controller-TAG / NAME:agent-TAG.
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:-romana-aws}
tag=${2:-$(git rev-parse --short HEAD 2>/dev/null || echo dev)}
engine=${ENGINE:-docker}
if ! command -v "$engine" >/dev/null; then
  echo "error: $engine not found; install Docker or set ENGINE=podman" >&2
  exit 1
fi
for target in controller agent; do
  echo "==> $engine build --target $target -t $name:$target-$tag"
  "$engine" build --target "$target" -t "$name:$target-$tag" .
done
echo "built $name:controller-$tag and $name:agent-$tag"
