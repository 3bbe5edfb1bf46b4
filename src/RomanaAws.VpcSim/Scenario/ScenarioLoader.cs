using System.Net;
using System.Text.RegularExpressions;
using RomanaAws.VpcSim.World;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace RomanaAws.VpcSim.Scenario;

/// <summary>Reads a scenario (YAML or JSON, which YAML parses too), checks it whole, and seeds a world with it.</summary>
public static partial class ScenarioLoader
{
    public static ScenarioFile Parse(string text, string source)
    {
        var deserializer = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
        ScenarioFile? scenario;
        try
        {
            scenario = deserializer.Deserialize<ScenarioFile>(text);
        }
        catch (YamlException ex)
        {
            var why = ex.InnerException?.Message ?? ex.Message;
            throw new ScenarioException(source, [$"line {ex.Start.Line}, column {ex.Start.Column}: {why}"]);
        }

        scenario ??= new ScenarioFile();
        var problems = Validate(scenario);
        return problems.Count > 0 ? throw new ScenarioException(source, problems) : scenario;
    }

    /// <summary>Every problem of a scenario, each naming its field, the value and what would be valid.</summary>
    public static IReadOnlyList<string> Validate(ScenarioFile s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var problems = new List<string>();
        if (s.Vpc?.Cidr is null || !IpMath.TryParseCidr(s.Vpc.Cidr, out var vpc) || vpc.BaseAddress.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            problems.Add($"vpc.cidr: '{s.Vpc?.Cidr}' must be an IPv4 CIDR with clear host bits, such as 172.20.0.0/16");
            vpc = default;
        }

        if (s.Credentials is { } c && (string.IsNullOrWhiteSpace(c.AccessKeyId) || string.IsNullOrWhiteSpace(c.SecretAccessKey)))
        {
            problems.Add("credentials: give both accessKeyId and secretAccessKey, or omit credentials to accept any signature");
        }

        if (s.RouteLimit is < 1 or > 1000)
        {
            problems.Add($"routeLimit: {s.RouteLimit} must be from 1 to 1000");
        }

        if (s.Zones.Count == 0)
        {
            problems.Add("zones: list at least one Availability Zone, such as us-east-1a");
        }

        CheckIds(problems, "vpc.id", s.Vpc?.Id, "vpc");
        var subnetNames = Names(problems, "subnets", s.Subnets.Select(x => x.Name).ToList());
        for (var i = 0; i < s.Subnets.Count; i++)
        {
            var subnet = s.Subnets[i];
            CheckIds(problems, $"subnets[{i}].id", subnet.Id, "subnet");
            if (subnet.Zone is null || !s.Zones.Contains(subnet.Zone))
            {
                problems.Add($"subnets[{i}].zone: '{subnet.Zone}' is not one of zones ({string.Join(", ", s.Zones)})");
            }

            if (!IpMath.TryParseCidr(subnet.Cidr, out var cidr) || (vpc != default && (!vpc.Contains(cidr.BaseAddress) || cidr.PrefixLength < vpc.PrefixLength)))
            {
                problems.Add($"subnets[{i}].cidr: '{subnet.Cidr}' must be a CIDR with clear host bits inside vpc.cidr {s.Vpc?.Cidr}");
            }
            else if (cidr.PrefixLength > 28)
            {
                problems.Add($"subnets[{i}].cidr: '{subnet.Cidr}' is smaller than /28, the smallest subnet AWS allows");
            }
        }

        var instanceNames = Names(problems, "instances", s.Instances.Select(x => x.Name).ToList());
        if (s.RouteTables.Count(t => t.Main) != 1)
        {
            problems.Add($"routeTables: exactly one table must have main: true (found {s.RouteTables.Count(t => t.Main)})");
        }

        _ = Names(problems, "routeTables", s.RouteTables.Select(x => x.Name).ToList());
        for (var i = 0; i < s.RouteTables.Count; i++)
        {
            ValidateTable(problems, s.RouteTables[i], i, subnetNames, instanceNames);
        }

        var associated = s.RouteTables.SelectMany(t => t.Subnets).GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        problems.AddRange(associated.Select(n => $"routeTables: subnet '{n}' is associated with more than one table"));
        for (var i = 0; i < s.Instances.Count; i++)
        {
            var instance = s.Instances[i];
            CheckIds(problems, $"instances[{i}].id", instance.Id, "i");
            if (instance.Subnet is null || !subnetNames.Contains(instance.Subnet))
            {
                problems.Add($"instances[{i}].subnet: '{instance.Subnet}' is not a subnet name ({string.Join(", ", subnetNames)})");
            }

            if (!InstanceStateNames.TryParse(instance.State, out _))
            {
                problems.Add($"instances[{i}].state: '{instance.State}' must be one of pending, running, stopping, stopped, shutting-down, terminated");
            }

            if (instance.PrivateIp is not null && !IPAddress.TryParse(instance.PrivateIp, out _))
            {
                problems.Add($"instances[{i}].privateIp: '{instance.PrivateIp}' is not an IPv4 address");
            }
            else if (instance.PrivateIp is not null && s.Subnets.FirstOrDefault(x => x.Name == instance.Subnet) is { } home && IpMath.TryParseCidr(home.Cidr, out var homeCidr))
            {
                var ip = IPAddress.Parse(instance.PrivateIp);
                var offset = homeCidr.Contains(ip) ? IpMath.ToUInt32(ip) - IpMath.ToUInt32(homeCidr.BaseAddress) : 0;
                if (!homeCidr.Contains(ip) || offset < 4 || offset >= (1u << (32 - homeCidr.PrefixLength)) - 1)
                {
                    problems.Add($"instances[{i}].privateIp: {instance.PrivateIp} is not a usable address of subnet '{home.Name}' ({home.Cidr}; AWS reserves the first four and the last)");
                }
                else if (s.Instances.Take(i).Any(o => o.PrivateIp == instance.PrivateIp))
                {
                    problems.Add($"instances[{i}].privateIp: {instance.PrivateIp} is used by an earlier instance");
                }
            }

            if (instance.ExtraInterfaces is < 0 or > 14)
            {
                problems.Add($"instances[{i}].extraInterfaces: {instance.ExtraInterfaces} must be from 0 to 14");
            }
        }

        return problems;
    }

    private static void ValidateTable(List<string> problems, RouteTableSpec table, int i, List<string> subnetNames, List<string> instanceNames)
    {
        CheckIds(problems, $"routeTables[{i}].id", table.Id, "rtb");
        problems.AddRange(table.Subnets.Where(n => !subnetNames.Contains(n)).Select(n => $"routeTables[{i}].subnets: '{n}' is not a subnet name ({string.Join(", ", subnetNames)})"));
        for (var r = 0; r < table.Routes.Count; r++)
        {
            var route = table.Routes[r];
            var path = $"routeTables[{i}].routes[{r}]";
            if (!IpMath.TryParseCidr(route.Destination, out _))
            {
                problems.Add($"{path}.destination: '{route.Destination}' must be a CIDR with clear host bits, such as 0.0.0.0/0");
            }

            var targets = new[] { route.Gateway, route.NatGateway, route.VpcPeeringConnection, route.TransitGateway, route.Instance }.Count(t => t is not null);
            if (targets != 1)
            {
                problems.Add($"{path}: give exactly one target of gateway, natGateway, vpcPeeringConnection, transitGateway, instance (found {targets})");
            }

            if (route.Instance is not null && !instanceNames.Contains(route.Instance))
            {
                problems.Add($"{path}.instance: '{route.Instance}' is not an instance name ({string.Join(", ", instanceNames)})");
            }
        }

        var duplicates = table.Routes.GroupBy(r => r.Destination).Where(g => g.Count() > 1).Select(g => g.Key);
        problems.AddRange(duplicates.Select(d => $"routeTables[{i}].routes: destination {d} appears twice"));
    }

    private static List<string> Names(List<string> problems, string list, List<string?> names)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(names[i]))
            {
                problems.Add($"{list}[{i}].name: required (other entries refer to it)");
            }
            else if (names.Take(i).Contains(names[i]))
            {
                problems.Add($"{list}[{i}].name: '{names[i]}' is used twice");
            }
        }

        return names.OfType<string>().ToList();
    }

    private static void CheckIds(List<string> problems, string path, string? id, string prefix)
    {
        if (id is not null && !Regex.IsMatch(id, $"^{prefix}-([0-9a-f]{{8}}|[0-9a-f]{{17}})$"))
        {
            problems.Add($"{path}: '{id}' must look like {prefix}-0123456789abcdef0 ({prefix}- and 8 or 17 lowercase hex digits)");
        }
    }
}
