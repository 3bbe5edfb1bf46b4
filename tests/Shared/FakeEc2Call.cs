using RomanaAws.Core.Net;

namespace RomanaAws.Tests.Shared;

/// <summary>One call the <see cref="FakeEc2"/> answered: the EC2 action, its arguments, and the error code it answered with (null: success).</summary>
internal sealed record FakeEc2Call(string Action, string? RouteTableId = null, Cidr? Destination = null, string? NetworkInterfaceId = null, bool DryRun = false)
{
    public string? Error { get; init; }

    /// <summary>A mutating action (CreateRoute, ReplaceRoute, DeleteRoute, ModifyNetworkInterfaceAttribute).</summary>
    public bool IsMutating => !Action.StartsWith("Describe", StringComparison.Ordinal);

    /// <summary>A mutating call that changed the world: not a dry run, not refused.</summary>
    public bool Wrote => IsMutating && !DryRun && Error is null;
}
