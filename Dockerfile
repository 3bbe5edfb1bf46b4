# RomanaAws images: one build, two runtime targets (scripts/build-image.sh builds both).
#   controller: the VPC route controller, as a non-root user (it needs no kernel privileges).
#   agent:      the node agent, with iproute2, iptables and ipset; runs as root with NET_ADMIN on the host network.
# Both run the same self-describing CLI: ENTRYPOINT is romana-aws, CMD is the subcommand (the kops addon overrides args).

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/RomanaAws.Cli/RomanaAws.Cli.csproj -c Release -o /out -p:UseAppHost=false
# romana-aws-cni: Native AOT (the node has no .NET runtime); the ILCompiler links with clang and zlib.
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends clang zlib1g-dev \
 && scripts/publish-cni.sh /out-cni

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS controller
WORKDIR /app
COPY --from=build /out/ /app/
USER app
EXPOSE 9610
ENTRYPOINT ["dotnet", "/app/romana-aws.dll"]
CMD ["controller", "--config", "/etc/romana-aws/config.yaml"]

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS agent
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends iproute2 iptables ipset \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /out/ /app/
# The plugin the kops addon's init container installs into the host's /opt/cni/bin (romana-aws cni install).
COPY --from=build /out-cni/romana-aws-cni /opt/romana-aws/romana-aws-cni
EXPOSE 9612
ENTRYPOINT ["dotnet", "/app/romana-aws.dll"]
CMD ["agent", "--controller", "http://romana-aws-controller.kube-system.svc:9610/", "--policies", "/etc/romana-aws/policies"]
