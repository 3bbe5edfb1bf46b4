# RomanaAws images, built by scripts/build-image.sh from what it published ahead of time into artifacts/image/
# (no SDK in the build, none in the images):
#   romana-aws:      the CLI, self-contained and ReadyToRun (no .NET runtime needed; not Native AOT: see docs/operations.md)
#   romana-aws-cni:  the CNI plugin, Native AOT
# Two targets:
#   controller: the VPC route controller, as a non-root user (it needs no kernel privileges).
#   agent:      the node agent, with iproute2, iptables, ipset, procps (sysctl) and bird2 (routing mode bgp); runs as root with NET_ADMIN on the host network.
# The bases are arguments: the registry's Debian by default, or local ones made by scripts/base-image.sh from Debian's
# packages (debootstrap --variant=minbase) on machines without a registry, which carry the agent's tools already.
# Both run the same self-describing CLI: ENTRYPOINT is romana-aws, CMD is the subcommand (the kops addon overrides args).

ARG BASE=docker.io/library/debian:bookworm-slim
ARG AGENT_BASE=docker.io/library/debian:bookworm-slim

FROM ${BASE} AS controller
# No ICU in the image: every text the program formats or compares is culture-invariant.
ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
COPY artifacts/image/romana-aws/ /app/
# The kops addon's runAsUser/fsGroup: a numeric user, no account needed in the image.
USER 1654
EXPOSE 9610
ENTRYPOINT ["/app/romana-aws"]
CMD ["controller", "--config", "/etc/romana-aws/config.yaml"]

FROM ${AGENT_BASE} AS agent
# The tools the agent runs; the local base has them already (and then nothing is downloaded here).
RUN if ! command -v ip >/dev/null || ! command -v iptables >/dev/null || ! command -v ipset >/dev/null || ! command -v sysctl >/dev/null; then \
      apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends iproute2 iptables ipset procps bird2 \
      && rm -rf /var/lib/apt/lists/*; \
    fi
ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
COPY artifacts/image/romana-aws/ /app/
# The plugin the kops addon's init container installs into the host's /opt/cni/bin (romana-aws cni install).
COPY artifacts/image/romana-aws-cni /opt/romana-aws/romana-aws-cni
EXPOSE 9612
ENTRYPOINT ["/app/romana-aws"]
CMD ["agent", "--controller", "https://romana-aws-controller.romana-aws.svc:9610/", "--controller-ca", "/etc/romana-aws-tls/ca.crt", "--token-file", "/var/run/secrets/romana-aws/token"]
