#!/usr/bin/env bash
# Publishes romana-aws-cni with Native AOT (self-contained, no .NET runtime on the node) into DIR
# (default artifacts/cni). What the agent image carries and the kops addon's init container installs.
#   scripts/publish-cni.sh [DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-artifacts/cni}
dotnet publish src/RomanaAws.Cni -c Release -r linux-x64 -nologo -v quiet -p:DebugType=none -p:StripSymbols=true -o "$out"
rm -f "$out"/*.pdb "$out"/*.dbg
echo "$out/romana-aws-cni"
