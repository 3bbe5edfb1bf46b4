#!/usr/bin/env bash
# Image sizes and cold starts (scripts/bench.sh runs this as root; record the output in docs/benchmarks.md).
#   scripts/image-bench.sh [RUNS]      (default 20 process starts per variant)
# Anchor, side by side in the same run: the same CLI framework-dependent and JIT-compiled (`dotnet romana-aws.dll`,
# what the old aspnet-based image ran) against the shipped self-contained ReadyToRun build.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
[[ -x artifacts/image/romana-aws/romana-aws && -f artifacts/images/controller.tar ]] || scripts/build-image.sh --local --archive artifacts/images romana-aws ci >/dev/null
dotnet build src/RomanaAws.Cli -c Release -nologo -v quiet >/dev/null

median() { sort -n | awk '{a[NR]=$1} END {m=a[int((NR+1)/2)]; p=a[int(NR*0.9+0.5)]; printf "median %d ms, p90 %d ms", m, p}'; }
starts() { # label, command...
  local label=$1; shift
  for _ in $(seq "$runs"); do
    local t0; t0=$(date +%s%N); "$@" >/dev/null; echo $(( ($(date +%s%N) - t0) / 1000000 ))
  done | { printf '%-58s ' "$label"; median; echo; }
}
echo "==> process start to exit, romana-aws --version ($runs runs each)"
starts "self-contained ReadyToRun (the images)" artifacts/image/romana-aws/romana-aws --version
starts "anchor: framework-dependent, JIT (dotnet romana-aws.dll)" dotnet src/RomanaAws.Cli/bin/Release/net10.0/romana-aws.dll --version
starts "romana-aws-cni (Native AOT), VERSION" env CNI_COMMAND=VERSION artifacts/image/romana-aws-cni

echo "==> sizes"
printf '%-58s %s\n' "published CLI (self-contained, ReadyToRun)" "$(du -sh artifacts/image/romana-aws | cut -f1)"
printf '%-58s %s\n' "romana-aws-cni (Native AOT)" "$(du -sh artifacts/image/romana-aws-cni | cut -f1)"
for image in localhost/romana-aws-base:bookworm localhost/romana-aws-base-agent:bookworm romana-aws:controller-ci romana-aws:agent-ci; do
  printf '%-58s %s\n' "$image (unpacked)" "$(buildah --storage-driver vfs images --format '{{.Size}}' "$image" 2>/dev/null | head -1)"
done
for target in controller agent; do
  printf '%-58s %s\n' "artifacts/images/$target.tar (OCI archive, compressed layers)" "$(du -sh "artifacts/images/$target.tar" | cut -f1)"
done

echo "==> in containerd (scripts/image-lab/run.sh, the DaemonSet's security context and host mounts)"
scripts/image-lab/run.sh artifacts/images/controller.tar artifacts/images/agent.tar -- --privileged --cap-add CAP_NET_ADMIN --cap-add CAP_NET_RAW \
  --mount type=bind,src=/run/xtables.lock,dst=/run/xtables.lock,options=rbind:rw --mount type=bind,src=/lib/modules,dst=/lib/modules,options=rbind:ro \
  --mount type=bind,src=/run/romana-aws,dst=/run/romana-aws,options=rbind:rw --mount type=bind,src=/etc/cni/net.d,dst=/host/etc/cni/net.d,options=rbind:rw \
  --mount type=bind,src=/var/run/netns,dst=/var/run/netns,options=rbind:ro:rslave 2>&1 | grep -E '^==> (cold start|imported|PASS|FAIL)'
