using System.Net;
using System.Net.Sockets;
using RomanaAws.VpcSim.World;

namespace RomanaAws.VpcSim.Scenario;

/// <summary>The checks of numbers and address space: limits, durations, the VPC block, subnet sizes.</summary>
public static partial class ScenarioLoader
{
    /// <summary>The most instances a scenario may allow (each running one may hold a loopback health port).</summary>
    public const int MaxInstanceLimit = 10_000;

    /// <summary>Blocks EC2 refuses as a VPC CIDR: "this network", loopback, link-local, multicast and reserved.</summary>
    private static readonly IPNetwork[] ForbiddenVpcBlocks =
        [IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("224.0.0.0/3")];

    private static IPNetwork? ValidateVpc(List<string> problems, VpcSpec? spec)
    {
        if (spec?.Id is { } id)
        {
            CheckIds(problems, "vpc.id", id, "vpc");
        }

        if (spec?.Cidr is null || !IpMath.TryParseCidr(spec.Cidr, out var vpc) || vpc.BaseAddress.AddressFamily != AddressFamily.InterNetwork)
        {
            problems.Add($"vpc.cidr: '{InputEcho.Of(spec?.Cidr)}' must be an IPv4 CIDR with clear host bits, such as 172.20.0.0/16");
            return null;
        }

        if (vpc.PrefixLength is < 16 or > 28 || ForbiddenVpcBlocks.Any(f => f.Contains(vpc.BaseAddress)))
        {
            problems.Add($"vpc.cidr: '{spec.Cidr}' must be a /16 to /28 block outside 0.0.0.0/8, 127.0.0.0/8, 169.254.0.0/16 and 224.0.0.0/3, as EC2 allows (such as 10.0.0.0/16 or 172.20.0.0/16)");
            return null;
        }

        return vpc;
    }

    private static void ValidateLimits(List<string> problems, ScenarioFile s)
    {
        if (s.RouteLimit is < 1 or > 1000)
        {
            problems.Add($"routeLimit: {s.RouteLimit} must be from 1 to 1000");
        }

        if (s.InstanceLimit is < 1 or > MaxInstanceLimit)
        {
            problems.Add($"instanceLimit: {s.InstanceLimit} must be from 1 to {MaxInstanceLimit}");
        }
        else if (s.Instances.Count(i => i.State != "terminated") > s.InstanceLimit)
        {
            problems.Add($"instances: {s.Instances.Count(i => i.State != "terminated")} instances that are not terminated exceed instanceLimit {s.InstanceLimit}");
        }

        if (!double.IsFinite(s.TransitionSeconds) || s.TransitionSeconds is < 0 or > 3600)
        {
            problems.Add(FormattableString.Invariant($"transitionSeconds: {s.TransitionSeconds} must be from 0 (instant) to 3600"));
        }

        if (!System.Text.RegularExpressions.Regex.IsMatch(s.AccountId ?? string.Empty, "^[0-9]{12}$"))
        {
            problems.Add($"accountId: '{InputEcho.Of(s.AccountId)}' must be 12 digits, such as 123456789012");
        }

        Bucket(problems, "throttling.mutating", s.Throttling.Mutating);
        Bucket(problems, "throttling.describe", s.Throttling.Describe);
        Bucket(problems, "throttling.unfilteredDescribeInstances", s.Throttling.UnfilteredDescribeInstances);
    }

    private static void Bucket(List<string> problems, string path, BucketSpec? bucket)
    {
        if (bucket is null)
        {
            problems.Add($"{path}: give capacity and refillPerSecond, or leave it out for the default");
            return;
        }

        if (bucket.Capacity is < 1 or > 1_000_000)
        {
            problems.Add($"{path}.capacity: {bucket.Capacity} must be at least 1 and at most 1000000 (throttling.enabled: false turns throttling off)");
        }

        if (!double.IsFinite(bucket.RefillPerSecond) || bucket.RefillPerSecond is <= 0 or > 1_000_000)
        {
            problems.Add(FormattableString.Invariant($"{path}.refillPerSecond: {bucket.RefillPerSecond} must be a number greater than 0 and at most 1000000"));
        }
    }

    /// <summary>A subnet overlaps no earlier one and has an address for every interface of its instances.</summary>
    private static void ValidateSubnetSpace(List<string> problems, ScenarioFile s, int i, IPNetwork cidr)
    {
        var subnet = s.Subnets[i];
        for (var j = 0; j < i; j++)
        {
            if (IpMath.TryParseCidr(s.Subnets[j].Cidr, out var other) && (other.Contains(cidr.BaseAddress) || cidr.Contains(other.BaseAddress)))
            {
                problems.Add($"subnets[{i}].cidr: {subnet.Cidr} overlaps subnets[{j}] ({s.Subnets[j].Cidr}); subnets of a VPC must not overlap");
            }
        }

        var usable = (1L << (32 - cidr.PrefixLength)) - 5;
        var needed = s.Instances.Where(x => x.Subnet == subnet.Name && subnet.Name is not null).Sum(x => 1L + Math.Max(0, x.ExtraInterfaces));
        if (needed > usable)
        {
            problems.Add($"subnets[{i}].cidr: {subnet.Cidr} has {usable} usable addresses but its instances need {needed} (one per interface; AWS reserves 5 per subnet)");
        }
    }
}
