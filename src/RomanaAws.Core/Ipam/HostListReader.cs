using RomanaAws.Core.Configuration;
using RomanaAws.Core.Net;

namespace RomanaAws.Core.Ipam;

/// <summary>
/// Reads a hosts file (YAML or JSON): a list of <c>{instanceId, zone, subnet, ip}</c>, either at the top level or
/// under a <c>hosts</c> key. Every problem is reported at once with its path and line, conflicts (an instance id or IP
/// listed twice, a subnet under two zones) with the earlier entry they clash with. Linear in the number of hosts.
/// </summary>
public static class HostListReader
{
    private static readonly string[] HostKeys = ["instanceId", "zone", "subnet", "ip"];

    public static IReadOnlyList<HostSpec> Parse(string text, string source)
    {
        var root = ConfigDocumentReader.Read(text, source, DocumentLimits.HostList);
        var errors = new List<ConfigError>();
        IReadOnlyList<ConfigNode> items = [];
        if (root is ConfigSequence sequence)
        {
            items = sequence.Items;
        }
        else if (MappingReader.Open(root, errors, "hosts") is { } reader)
        {
            items = reader.List("hosts", required: true) ?? [];
        }

        var hosts = new List<HostSpec>(items.Count);
        var ids = new Dictionary<string, ConfigNode>(items.Count, StringComparer.Ordinal);
        var ips = new Dictionary<System.Net.IPAddress, (string Host, ConfigNode Node)>(items.Count);
        var subnetZones = new Dictionary<string, (string Zone, ConfigNode Node)>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var host = MappingReader.Open(item, errors, HostKeys);
            if (host is null)
            {
                continue;
            }

            var id = host.Text("instanceId", required: true);
            var zone = host.Text("zone", required: true);
            var subnet = host.Text("subnet", required: true);
            var ipText = host.Text("ip", required: true);
            if (id is not null && !Ipam.InstanceIdPattern().IsMatch(id))
            {
                host.Error("instanceId", "must look like i-0123456789abcdef0 (i- and 8 or 17 lowercase hex digits)");
            }

            if (subnet is not null && !Ipam.SubnetIdPattern().IsMatch(subnet))
            {
                host.Error("subnet", "must look like subnet-0123456789abcdef0 (subnet- and 8 or 17 lowercase hex digits)");
            }

            System.Net.IPAddress? ip = null;
            if (ipText is not null && !Cidr.TryParseAddress(ipText, out ip))
            {
                host.Error("ip", "must be the instance's private IPv4 or IPv6 address, such as 172.20.32.10");
            }

            if (id is not null && !ids.TryAdd(id, item))
            {
                host.Error("instanceId", $"is listed twice: first at {Where(ids[id])}; list each instance once");
            }

            if (ip is not null && !ips.TryAdd(ip, (id ?? "?", item)))
            {
                var (holder, node) = ips[ip];
                host.Error("ip", $"is already the IP of host {holder} at {Where(node)}; each instance has its own private IP");
            }

            if (subnet is not null && zone is not null && !subnetZones.TryAdd(subnet, (zone, item)))
            {
                var (firstZone, firstNode) = subnetZones[subnet];
                if (firstZone != zone)
                {
                    host.Error("subnet", $"is listed in zone '{zone}' here but in zone '{firstZone}' at {Where(firstNode)}; a VPC subnet lies in exactly one Availability Zone");
                }
            }

            if (id is not null && zone is not null && subnet is not null && ip is not null)
            {
                hosts.Add(new HostSpec(id, zone, subnet, ip));
            }
        }

        return errors.Count > 0 ? throw new ConfigException(source, errors) : hosts;
    }

    private static string Where(ConfigNode node) => node.Line is { } line ? $"{node.Path} (line {line})" : node.Path;
}
