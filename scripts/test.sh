#!/usr/bin/env bash
# Runs every test suite of RomanaAws: the README's test command, and exactly what .ci/run calls.
# On a fresh Debian machine with only the .NET SDK, run as root, it first installs what the tests need.
# Ends with one summary line: "tests: N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages the test suites need: the node agent's integration tests build hosts and pods out of network
# namespaces and program them with the real tools; the CNI plugin is chained with the reference plugins
# (containernetworking-plugins) and run end to end by containerd + runc on a busybox-static image (with a static
# TCP/UDP server built by gcc for the cluster lab's pods); the controller's state and leader election run against a
# real etcd cluster started on loopback ports (etcd-server); the container images are built with buildah on Debian
# bases made by debootstrap and run by the same containerd (curl asks their /readyz); routing mode bgp runs BIRD 2
# (bird2) on the nodes against independent routers, GoBGP (gobgpd) and FRR (frr: ospfd, bgpd with bfdd), in two-rack
# namespace labs; the CloudFormation template is linted with cfn-lint from npm.
packages=(iproute2 iptables ipset netcat-openbsd iputils-ping procps containerd runc containernetworking-plugins busybox-static gcc libc6-dev etcd-server buildah debootstrap curl bird2 gobgpd frr)
command -v npm >/dev/null || packages+=(nodejs npm)
if ((${#packages[@]})); then
  missing=()
  for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if ((${#missing[@]})); then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
      echo "==> installing: ${missing[*]}"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
      # Where systemd runs, the packages start BIRD and FRR in the machine's own namespace: the labs run their own
      # daemons inside their namespaces only, so stop these.
      if [[ -d /run/systemd/system ]]; then systemctl disable --now bird.service frr.service >/dev/null 2>&1 || true; fi
    else
      echo "==> not root: cannot install ${missing[*]}; tests that need them will skip (or fail when CI=true)"
    fi
  fi
fi

if ! command -v dotnet >/dev/null; then
  echo "error: the .NET SDK is not on PATH; install .NET SDK 10.0.4xx (see global.json)" >&2
  exit 1
fi

# cfn-lint (npm) into .tools/, found there by the CloudFormation test (or set ROMANA_CFN_LINT).
if [[ ! -x .tools/node_modules/.bin/cfn-lint ]] && command -v npm >/dev/null; then
  echo "==> installing cfn-lint from npm into .tools/"
  npm install --silent --no-audit --no-fund --prefix .tools cfn-lint@1.9.7 >/dev/null 2>&1 || echo "==> cfn-lint could not be installed; its test will skip (or fail when CI=true)"
fi

# Debian's kubectl 1.20 (package kubernetes-client) into .tools/kubectl/, the independent client that validates the
# Kubernetes API stand-in (src/RomanaAws.KubeSim). Extracted rather than installed: /usr/bin/kubectl may belong to
# another package (the Google Cloud SDK's kubectl dispatcher), and the test calls this one by full path.
if [[ ! -x .tools/kubectl/kubectl ]] && command -v apt-get >/dev/null; then
  echo "==> extracting Debian's kubectl 1.20 (kubernetes-client) into .tools/kubectl/"
  kc=$(mktemp -d)
  if (cd "$kc" && { apt-get download kubernetes-client >/dev/null 2>&1 || { [[ $(id -u) -eq 0 ]] && apt-get update -qq && apt-get download kubernetes-client >/dev/null 2>&1; }; } && dpkg-deb -x kubernetes-client_*.deb root); then
    mkdir -p .tools/kubectl && cp "$kc/root/usr/bin/kubectl" .tools/kubectl/kubectl
  else
    echo "==> kubectl 1.20 could not be downloaded; the stand-in's kubectl test will skip (or fail when CI=true)"
  fi
  rm -rf "$kc"
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
results=artifacts/test-results
rm -rf "$results"
mkdir -p "$results"

echo "==> build (Release, warnings are errors)"
dotnet build RomanaAws.sln -c Release -nologo -v quiet

# The CNI plugin as it ships: Native AOT, self-contained (the tests invoke this binary as a runtime does).
echo "==> publish romana-aws-cni (Native AOT)"
export ROMANA_CNI_PLUGIN="$PWD/artifacts/cni/romana-aws-cni"
scripts/publish-cni.sh artifacts/cni >/dev/null

# The controller and agent images, built with the project's Dockerfile on local Debian bases (no registry here) and
# exported as OCI archives; tests/RomanaAws.Cli.Tests/Deployment/ImageTests runs them in containerd.
if [[ $(id -u) -eq 0 ]] && command -v buildah >/dev/null && command -v debootstrap >/dev/null; then
  echo "==> build the images (scripts/build-image.sh --local: debootstrap bases, buildah with vfs and chroot isolation)"
  scripts/build-image.sh --local --archive artifacts/images romana-aws ci | grep -E '^(==>|built)' | sed 's/^==>/   /'
else
  echo "==> not building the images (needs root, buildah and debootstrap); their test will skip (or fail when CI=true)"
fi

echo "==> test"
log="$results/dotnet-test.log"
set +e
# -m:1: one test assembly at a time. The containerd lab (Cni.Tests) and the cluster lab (Lab.Tests) each start a
# dozen processes in namespaces; run side by side on 2 cores they starve each other past their time bounds.
dotnet test RomanaAws.sln -c Release --no-build -nologo -m:1 --results-directory "$results" --logger "trx" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One closing line summed over every test assembly ("Passed!  - Failed: 0, Passed: 92, Skipped: 0, Total: 92 ...").
read -r passed failed skipped < <(grep -E '^(Passed|Failed)!' "$log" | awk -F'[:,]' '{f+=$2; p+=$4; s+=$6} END {print p+0, f+0, s+0}')
assemblies=$(grep -cE '^(Passed|Failed)!' "$log" || true)
if [[ $status -eq 0 && ${assemblies:-0} -eq 0 ]]; then
  echo "error: dotnet test ran no test assembly" >&2
  status=1
fi
echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
exit "$status"
