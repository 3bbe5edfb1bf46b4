namespace RomanaAws.Core.Routing;

/// <summary>What DescribeInstanceStatus says of an instance: its state, impaired status checks, pending scheduled events.</summary>
public sealed record InstanceStatusSnapshot(string InstanceId, InstanceLifecycle State, bool Impaired, IReadOnlyList<string> ScheduledEvents);
