#!/usr/bin/env bash
# Renders the kops addon for one cluster: the topology ConfigMap from the cluster's pod CIDR and zones.
# Usage: kops-addon/render.sh CLUSTER_NAME POD_CIDR ZONES [OUT_DIR]
#   ZONES is comma-separated (us-east-1a,us-east-1b); the region is the zones' prefix.
#   Environment: ETCD_ENDPOINTS (required: the etcd client URLs holding the IPAM state, comma-separated, such as
#   https://10.0.0.5:2379,https://10.0.0.6:2379,https://10.0.0.7:2379; docs/operations.md), IMAGE (default
#   ghcr.io/romana/romana-aws), VERSION (default 0.1.0).
# Writes OUT_DIR/addon.yaml (the channel), OUT_DIR/vVERSION.yaml (the manifest), OUT_DIR/cluster-spec.yaml (to merge
# into the kops cluster spec) and OUT_DIR/migrate-from-file.yaml (the one-off upgrade Job); default OUT_DIR kops-addon/out.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if (($# < 3)); then
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
cluster=$1 cidr=$2 zones=$3 out=${4:-$here/out}
image=${IMAGE:-ghcr.io/romana/romana-aws} version=${VERSION:-0.1.0}
[[ $cluster =~ ^[a-zA-Z0-9][a-zA-Z0-9.-]*$ ]] || { echo "CLUSTER_NAME '$cluster': must be a DNS-style name such as demo.k8s.local" >&2; exit 2; }
[[ $cidr =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}/[0-9]{1,2}$ ]] || { echo "POD_CIDR '$cidr': must be an IPv4 CIDR such as 100.96.0.0/11" >&2; exit 2; }
[[ $zones =~ ^[a-z0-9-]+[a-z](,[a-z0-9-]+[a-z])*$ ]] || { echo "ZONES '$zones': must be comma-separated zone names such as us-east-1a,us-east-1b" >&2; exit 2; }
etcd=${ETCD_ENDPOINTS:-}
[[ -n $etcd ]] || { echo "ETCD_ENDPOINTS is not set: give the etcd client URLs, comma-separated, such as https://10.0.0.5:2379,https://10.0.0.6:2379,https://10.0.0.7:2379 (docs/operations.md)" >&2; exit 2; }
[[ $etcd =~ ^https://[a-zA-Z0-9.-]+:[0-9]{1,5}(,https://[a-zA-Z0-9.-]+:[0-9]{1,5})*$ ]] || { echo "ETCD_ENDPOINTS '$etcd': must be comma-separated https://HOST:PORT client URLs (TLS with client certificates), such as https://10.0.0.5:2379,https://10.0.0.6:2379" >&2; exit 2; }
region=${zones%%,*}; region=${region%?}
mkdir -p "$out"
render() {
  sed -e "s|\${CLUSTER_NAME}|$cluster|g" -e "s|\${POD_CIDR}|$cidr|g" -e "s|\${ZONES}|${zones//,/, }|g" \
      -e "s|\${REGION}|$region|g" -e "s|\${ETCD_ENDPOINTS}|${etcd//,/, }|g" -e "s|\${IMAGE}|$image|g" -e "s|\${VERSION}|$version|g" "$1"
}
render "$here/manifest.template.yaml" > "$out/v$version.yaml"
render "$here/cluster-spec.yaml" > "$out/cluster-spec.yaml"
# The Job's etcd: section comes from the environment, one variable per endpoint (etcd:endpoints:N).
endpoint_env="" i=0
IFS=, read -ra endpoints <<<"$etcd"
for endpoint in "${endpoints[@]}"; do
  endpoint_env+="            - { name: ROMANA_ETCD__ENDPOINTS__$i, value: \"$endpoint\" }\\n"
  i=$((i + 1))
done
render "$here/migrate-from-file.template.yaml" | sed "s|^ *# ETCD_ENDPOINTS_ENV\$|${endpoint_env%\\n}|" > "$out/migrate-from-file.yaml"
# kops channels re-apply an addon when its manifestHash changes (the version alone is not compared).
hash=$(sha256sum "$out/v$version.yaml" | cut -d' ' -f1)
render "$here/addon.template.yaml" | sed "s|\${MANIFEST_HASH}|$hash|" > "$out/addon.yaml"
echo "rendered $out/addon.yaml, $out/v$version.yaml, $out/cluster-spec.yaml and $out/migrate-from-file.yaml for $cluster ($cidr over ${zones//,/, } in $region, state on etcd ${etcd//,/, })"
