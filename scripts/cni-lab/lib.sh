#!/usr/bin/env bash
# Shared helpers of the CNI lab (sourced, not run). Everything it creates is named with the prefix rcni-
# (network namespaces, containerd namespaces) or lives under $RCNI_RUN (/run/rcni), so cleanup is by name.
set -euo pipefail

RCNI_RUN=${RCNI_RUN:-/run/rcni}
RCNI_PLUGINS=${RCNI_PLUGINS:-/usr/lib/cni}   # Debian's containernetworking-plugins
RCNI_NS=rcni                                  # containerd namespace used by ctr -n
RCNI_IMAGE=docker.io/rcni/busybox:1

# romana-aws-cni (Native AOT) and the romana-aws CLI (the agent): built here when missing (needs the .NET SDK).
RCNI_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ROMANA_CNI_PLUGIN=${ROMANA_CNI_PLUGIN:-$RCNI_REPO/artifacts/cni/romana-aws-cni}
ROMANA_AWS=${ROMANA_AWS:-$RCNI_REPO/src/RomanaAws.Cli/bin/Release/net10.0/romana-aws}

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

rcni_need_root() { [[ $(id -u) -eq 0 ]] || die "must run as root (network namespaces, containerd)"; }

# Installs the Debian packages the lab needs when root and any is missing.
rcni_install() {
  local p missing=()
  for p in containerd runc containernetworking-plugins busybox-static iproute2 iptables; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  command -v apt-get >/dev/null || die "missing packages ${missing[*]} and no apt-get"
  log "installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Makes sure the plugin binary and the CLI exist (publishing / building them from this repository if not).
rcni_romana_build() {
  if [[ ! -x $ROMANA_CNI_PLUGIN ]]; then
    log "publishing romana-aws-cni (Native AOT) to $ROMANA_CNI_PLUGIN"
    "$RCNI_REPO/scripts/publish-cni.sh" "$(dirname "$ROMANA_CNI_PLUGIN")" >/dev/null
  fi
  if [[ ! -x $ROMANA_AWS ]]; then
    log "building romana-aws"
    dotnet build "$RCNI_REPO/src/RomanaAws.Cli" -c Release -nologo -v quiet >/dev/null
  fi
  [[ -x $ROMANA_CNI_PLUGIN && -x $ROMANA_AWS ]] || die "no $ROMANA_CNI_PLUGIN or $ROMANA_AWS"
}

# A plugin directory for the lab: Debian's reference plugins plus romana-aws-cni (what the kops addon's init
# container puts into /opt/cni/bin).
rcni_plugin_dir() { # dir
  mkdir -p "$1"
  cp -a "$RCNI_PLUGINS"/. "$1"/
  install -m 0755 "$ROMANA_CNI_PLUGIN" "$1/romana-aws-cni"
}

# Runs a command inside node N's network + mount namespace (nsenter, NOT ip netns exec: that one remounts
# /sys and runc then fails with "no cgroup mount found").
rcni_in() { local n=$1; shift; nsenter --net="/run/netns/rcni-$n" --mount="$RCNI_RUN/$n/mnt" -- "$@"; }

# ctr against node N's containerd, from inside the node (so ctr run --cni reads that node's /etc/cni/net.d).
rcni_ctr() { local n=$1; shift; rcni_in "$n" ctr --address "$RCNI_RUN/$n/containerd.sock" -n "$RCNI_NS" "$@"; }

# Starts node N's own containerd (root, state and sockets under $RCNI_RUN/N, no CRI) inside the node's network and
# mount namespace, and waits until it answers.
rcni_containerd_up() { # node
  local n=$1 d="$RCNI_RUN/$1"
  cat >"$d/config.toml" <<TOML
version = 2
root = "$d/root"
state = "$d/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$d/containerd.sock"
[ttrpc]
  address = "$d/containerd.sock.ttrpc"
TOML
  # a simple command (not the rcni_in function) so that $! is containerd itself: nsenter execs it
  nsenter --net="/run/netns/rcni-$n" --mount="$d/mnt" -- containerd --config "$d/config.toml" >"$d/containerd.log" 2>&1 &
  echo $! >"$d/containerd.pid"
  for _ in $(seq 100); do rcni_ctr "$n" version >/dev/null 2>&1 && break; sleep 0.1; done
  rcni_ctr "$n" version >/dev/null || die "containerd of $n did not start; see $d/containerd.log"
}

# Removes everything the lab created: containerd daemons (by pid file), mount namespaces, rcni-* netns.
rcni_cleanup() {
  local d pid ns
  if [[ -d $RCNI_RUN ]]; then
    for d in "$RCNI_RUN"/*/; do
      [[ -f $d/agent.pid ]] && kill -9 "$(<"$d/agent.pid")" 2>/dev/null || true
      [[ -f $d/containerd.pid ]] || continue
      pid=$(<"$d/containerd.pid")
      if kill -0 "$pid" 2>/dev/null; then
        # kill the node's tasks first so no shim is left behind
        local n; n=$(basename "$d")
        for t in $(rcni_ctr "$n" tasks ls -q 2>/dev/null || true); do rcni_ctr "$n" tasks kill -s KILL "$t" >/dev/null 2>&1 || true; done
        sleep 0.5
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
      fi
      # shims left of that node (their socket dir names the node's state dir)
      for pid in $(pgrep -f "containerd-shim-runc-v2 .*-address ${d}containerd.sock" 2>/dev/null || true); do kill -9 "$pid" 2>/dev/null || true; done
    done
    for d in "$RCNI_RUN"/*/; do
      [[ -d $d ]] || continue
      umount -R "$d/mnt" 2>/dev/null || true
      # overlay/native snapshots and shm mounts of the node
      { grep -o " $d[^ ]*" /proc/mounts || true; } | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
    done
    umount "$RCNI_RUN" 2>/dev/null || true
    rm -rf "$RCNI_RUN"
  fi
  for ns in $(ip netns list | awk '{print $1}' | grep '^rcni-' || true); do ip netns del "$ns" 2>/dev/null || true; done
}
