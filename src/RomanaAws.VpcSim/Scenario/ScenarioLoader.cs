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
        ArgumentNullException.ThrowIfNull(text);
        if (FirstNonPrintable(text) is { } bad)
        {
            // YAML allows only printable characters; YamlDotNet's scanner can spend seconds on a NUL (found by fuzzing).
            throw new ScenarioException(source, [$"the character \\u{(int)text[bad]:x4} at offset {bad} is not allowed in YAML (only printable characters, tab, CR and LF)"]);
        }

        var deserializer = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
        ScenarioFile? scenario;
        try
        {
            scenario = deserializer.Deserialize<ScenarioFile>(text);
        }
        catch (YamlException ex)
        {
            var why = ex.InnerException?.Message ?? ex.Message;
            throw new ScenarioException(source, [$"line {ex.Start.Line}, column {ex.Start.Column}: {InputEcho.Of(why)}"]);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException or OverflowException)
        {
            // YamlDotNet throws these, not YamlException, for some malformed YAML (a tag that is no URI, a stray "...").
            throw new ScenarioException(source, [$"not valid YAML: {InputEcho.Of(ex.Message)}"]);
        }

        scenario ??= new ScenarioFile();
        if (NullProblems(scenario, string.Empty) is { Count: > 0 } nulls)
        {
            throw new ScenarioException(source, nulls);
        }
        var problems = Validate(scenario);
        return problems.Count > 0 ? throw new ScenarioException(source, problems) : scenario;
    }

    /// <summary>Every problem of a scenario, each naming its field, the value and what would be valid.</summary>
    public static IReadOnlyList<string> Validate(ScenarioFile s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var problems = new List<string>();
        var vpc = ValidateVpc(problems, s.Vpc);
        ValidateLimits(problems, s);
        if (s.Credentials is { } c && (string.IsNullOrWhiteSpace(c.AccessKeyId) || string.IsNullOrWhiteSpace(c.SecretAccessKey)))
        {
            problems.Add("credentials: give both accessKeyId and secretAccessKey, or omit credentials to accept any signature");
        }

        if (s.Zones.Count == 0)
        {
            problems.Add("zones: list at least one Availability Zone, such as us-east-1a");
        }

        problems.AddRange(s.Zones.Select((z, i) => (z, i)).Where(x => s.Zones.IndexOf(x.z) < x.i).Select(x => $"zones[{x.i}]: '{InputEcho.Of(x.z)}' is listed twice"));
        var zones = InputEcho.Of(string.Join(", ", s.Zones));
        var subnetNames = Names(problems, "subnets", s.Subnets.Select(x => x.Name).ToList());
        var subnetList = InputEcho.Of(string.Join(", ", subnetNames));
        Unique(problems, "subnets", s.Subnets.Select(x => x.Id).ToList(), "subnet");
        for (var i = 0; i < s.Subnets.Count; i++)
        {
            var subnet = s.Subnets[i];
            if (subnet.Zone is null || !s.Zones.Contains(subnet.Zone))
            {
                problems.Add($"subnets[{i}].zone: '{InputEcho.Of(subnet.Zone)}' is not one of zones ({zones})");
            }

            if (!IpMath.TryParseCidr(subnet.Cidr, out var cidr) || (vpc is { } v && (!v.Contains(cidr.BaseAddress) || cidr.PrefixLength < v.PrefixLength)))
            {
                problems.Add($"subnets[{i}].cidr: '{InputEcho.Of(subnet.Cidr)}' must be a CIDR with clear host bits inside vpc.cidr {InputEcho.Of(s.Vpc?.Cidr)}");
            }
            else if (cidr.PrefixLength > 28)
            {
                problems.Add($"subnets[{i}].cidr: '{subnet.Cidr}' is smaller than /28, the smallest subnet AWS allows");
            }
            else
            {
                ValidateSubnetSpace(problems, s, i, cidr);
            }
        }

        var instanceNames = Names(problems, "instances", s.Instances.Select(x => x.Name).ToList());
        if (s.RouteTables.Count(t => t.Main) != 1)
        {
            problems.Add($"routeTables: exactly one table must have main: true (found {s.RouteTables.Count(t => t.Main)})");
        }

        _ = Names(problems, "routeTables", s.RouteTables.Select(x => x.Name).ToList());
        Unique(problems, "routeTables", s.RouteTables.Select(x => x.Id).ToList(), "rtb");
        for (var i = 0; i < s.RouteTables.Count; i++)
        {
            ValidateTable(problems, s, i, subnetNames, instanceNames, vpc);
        }

        var associated = s.RouteTables.SelectMany(t => t.Subnets).GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        problems.AddRange(associated.Select(n => $"routeTables: subnet '{InputEcho.Of(n)}' is associated with more than one table"));
        Unique(problems, "instances", s.Instances.Select(x => x.Id).ToList(), "i");
        for (var i = 0; i < s.Instances.Count; i++)
        {
            ValidateInstance(problems, s, i, subnetNames, subnetList);
        }

        return problems;
    }

    private static void ValidateInstance(List<string> problems, ScenarioFile s, int i, List<string> subnetNames, string subnetList)
    {
        var instance = s.Instances[i];
        if (instance.Subnet is null || !subnetNames.Contains(instance.Subnet))
        {
            problems.Add($"instances[{i}].subnet: '{InputEcho.Of(instance.Subnet)}' is not a subnet name ({subnetList})");
        }

        if (!InstanceStateNames.TryParse(instance.State, out _))
        {
            problems.Add($"instances[{i}].state: '{InputEcho.Of(instance.State)}' must be one of pending, running, stopping, stopped, shutting-down, terminated");
        }

        if (instance.PrivateIp is not null && (!IPAddress.TryParse(instance.PrivateIp, out var parsed) || parsed.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork))
        {
            problems.Add($"instances[{i}].privateIp: '{InputEcho.Of(instance.PrivateIp)}' is not an IPv4 address");
        }
        else if (instance.PrivateIp is not null && s.Subnets.FirstOrDefault(x => x.Name == instance.Subnet) is { } home && IpMath.TryParseCidr(home.Cidr, out var homeCidr))
        {
            var ip = IPAddress.Parse(instance.PrivateIp);
            var offset = homeCidr.Contains(ip) ? IpMath.ToUInt32(ip) - IpMath.ToUInt32(homeCidr.BaseAddress) : 0;
            if (!homeCidr.Contains(ip) || offset < 4 || offset >= (1u << (32 - homeCidr.PrefixLength)) - 1)
            {
                problems.Add($"instances[{i}].privateIp: {instance.PrivateIp} is not a usable address of subnet '{InputEcho.Of(home.Name)}' ({home.Cidr}; AWS reserves the first four and the last)");
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

    private static void ValidateTable(List<string> problems, ScenarioFile s, int i, List<string> subnetNames, List<string> instanceNames, IPNetwork? vpc)
    {
        var table = s.RouteTables[i];
        var subnetList = InputEcho.Of(string.Join(", ", subnetNames));
        var instanceList = InputEcho.Of(string.Join(", ", instanceNames));
        problems.AddRange(table.Subnets.Where(n => !subnetNames.Contains(n)).Select(n => $"routeTables[{i}].subnets: '{InputEcho.Of(n)}' is not a subnet name ({subnetList})"));
        if (table.RouteLimit is < 1 or > 1000)
        {
            problems.Add($"routeTables[{i}].routeLimit: {table.RouteLimit} must be from 1 to 1000 (or left out for routeLimit {s.RouteLimit})");
        }
        else if (table.Routes.Count + 1 > (table.RouteLimit ?? s.RouteLimit))
        {
            problems.Add($"routeTables[{i}].routes: {table.Routes.Count} routes and the local route exceed the table's route limit of {table.RouteLimit ?? s.RouteLimit}");
        }

        for (var r = 0; r < table.Routes.Count; r++)
        {
            var route = table.Routes[r];
            var path = $"routeTables[{i}].routes[{r}]";
            if (!IpMath.TryParseCidr(route.Destination, out var destination) || destination.BaseAddress.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
            {
                problems.Add($"{path}.destination: '{InputEcho.Of(route.Destination)}' must be an IPv4 CIDR with clear host bits, such as 0.0.0.0/0");
            }
            else if (vpc is { } v && destination == v)
            {
                problems.Add($"{path}.destination: {route.Destination} is the VPC's local route, which every table has already; route a different block");
            }

            var targets = new[] { route.Gateway, route.NatGateway, route.VpcPeeringConnection, route.TransitGateway, route.Instance }.Count(t => t is not null);
            if (targets != 1)
            {
                problems.Add($"{path}: give exactly one target of gateway, natGateway, vpcPeeringConnection, transitGateway, instance (found {targets})");
            }

            if (route.Instance is not null && !instanceNames.Contains(route.Instance))
            {
                problems.Add($"{path}.instance: '{InputEcho.Of(route.Instance)}' is not an instance name ({instanceList})");
            }
        }

        var duplicates = table.Routes.GroupBy(r => r.Destination).Where(g => g.Count() > 1).Select(g => g.Key);
        problems.AddRange(duplicates.Select(d => $"routeTables[{i}].routes: destination {InputEcho.Of(d)} appears twice"));
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
                problems.Add($"{list}[{i}].name: '{InputEcho.Of(names[i])}' is used twice");
            }
        }

        return names.OfType<string>().ToList();
    }

    /// <summary>Each given id has AWS's shape and is not the id of an earlier entry of the list.</summary>
    private static void Unique(List<string> problems, string list, List<string?> ids, string prefix)
    {
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < ids.Count; i++)
        {
            if (ids[i] is not { } id)
            {
                continue;
            }

            CheckIds(problems, $"{list}[{i}].id", id, prefix);
            if (first.TryGetValue(id, out var earlier))
            {
                problems.Add($"{list}[{i}].id: '{InputEcho.Of(id)}' is already the id of {list}[{earlier}]; ids must be unique (or leave id out to have one generated)");
            }
            else
            {
                first.Add(id, i);
            }
        }
    }

    private static void CheckIds(List<string> problems, string path, string? id, string prefix)
    {
        if (id is not null && !Regex.IsMatch(id, $"^{prefix}-([0-9a-f]{{8}}|[0-9a-f]{{17}})$"))
        {
            problems.Add($"{path}: '{InputEcho.Of(id)}' must look like {prefix}-0123456789abcdef0 ({prefix}- and 8 or 17 lowercase hex digits)");
        }
    }
}
