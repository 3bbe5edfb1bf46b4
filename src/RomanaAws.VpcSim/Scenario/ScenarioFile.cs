namespace RomanaAws.VpcSim.Scenario;

#pragma warning disable CA1002, CA2227 // Plain mutable DTOs bound by YamlDotNet.

/// <summary>The scenario file: the world the simulator starts with. See docs/simulator.md.</summary>
public sealed class ScenarioFile
{
    public string Region { get; set; } = "us-east-1";

    public string AccountId { get; set; } = "123456789012";

    /// <summary>Routes per route table before <c>RouteLimitExceeded</c>.</summary>
    public int RouteLimit { get; set; } = 50;

    /// <summary>Instances (not terminated) the account may have; RunInstances past it is <c>InstanceLimitExceeded</c>.</summary>
    public int InstanceLimit { get; set; } = 1000;

    /// <summary>Seconds an instance spends pending, stopping or shutting-down.</summary>
    public double TransitionSeconds { get; set; }

    public ThrottlingSpec Throttling { get; set; } = new();

    /// <summary>Serve a health endpoint on loopback for every running instance (what the node agent serves on a node).</summary>
    public bool HealthEndpoints { get; set; }

    /// <summary>When set, every request's SigV4 signature is verified with this key pair (as AWS does).</summary>
    public CredentialsSpec? Credentials { get; set; }

    public VpcSpec? Vpc { get; set; }

    public List<string> Zones { get; set; } = [];

    public List<SubnetSpec> Subnets { get; set; } = [];

    public List<RouteTableSpec> RouteTables { get; set; } = [];

    public List<InstanceSpec> Instances { get; set; } = [];
}

public sealed class ThrottlingSpec
{
    public bool Enabled { get; set; } = true;

    public BucketSpec Mutating { get; set; } = new() { Capacity = 50, RefillPerSecond = 5 };

    public BucketSpec Describe { get; set; } = new() { Capacity = 100, RefillPerSecond = 20 };

    public BucketSpec UnfilteredDescribeInstances { get; set; } = new() { Capacity = 50, RefillPerSecond = 10 };
}

public sealed class CredentialsSpec
{
    public string? AccessKeyId { get; set; }

    public string? SecretAccessKey { get; set; }
}

public sealed class BucketSpec
{
    public int Capacity { get; set; }

    public double RefillPerSecond { get; set; }
}

public sealed class VpcSpec
{
    public string? Id { get; set; }

    public string? Cidr { get; set; }

    public Dictionary<string, string> Tags { get; set; } = [];
}

public sealed class SubnetSpec
{
    public string? Name { get; set; }

    public string? Id { get; set; }

    public string? Zone { get; set; }

    public string? Cidr { get; set; }

    public Dictionary<string, string> Tags { get; set; } = [];
}

public sealed class RouteTableSpec
{
    public string? Name { get; set; }

    public string? Id { get; set; }

    /// <summary>The VPC's main table (used by subnets without an explicit association). Exactly one table is main.</summary>
    public bool Main { get; set; }

    /// <summary>Subnets (by name) explicitly associated with this table.</summary>
    public List<string> Subnets { get; set; } = [];

    public Dictionary<string, string> Tags { get; set; } = [];

    public List<RouteSpec> Routes { get; set; } = [];

    /// <summary>A lower route limit for this table only.</summary>
    public int? RouteLimit { get; set; }
}

public sealed class RouteSpec
{
    public string? Destination { get; set; }

    public string? Gateway { get; set; }

    public string? NatGateway { get; set; }

    public string? VpcPeeringConnection { get; set; }

    public string? TransitGateway { get; set; }

    /// <summary>An instance (by name) of this scenario.</summary>
    public string? Instance { get; set; }
}

public sealed class InstanceSpec
{
    public string? Name { get; set; }

    public string? Id { get; set; }

    /// <summary>The subnet (by name).</summary>
    public string? Subnet { get; set; }

    public string? PrivateIp { get; set; }

    /// <summary>pending, running, stopping, stopped, shutting-down or terminated.</summary>
    public string State { get; set; } = "running";

    public Dictionary<string, string> Tags { get; set; } = [];

    /// <summary>Network interfaces beyond the primary (route writes with InstanceId are then rejected, as in EC2).</summary>
    public int ExtraInterfaces { get; set; }

    public bool SourceDestCheck { get; set; } = true;
}
