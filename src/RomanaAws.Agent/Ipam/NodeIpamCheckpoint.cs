namespace RomanaAws.Agent.Ipam;

/// <summary>The node's pod addresses as persisted (schema <c>romana-aws/node-ipam/v1</c>), written before an ADD is answered.</summary>
public sealed record NodeIpamCheckpoint
{
    public const string SchemaName = "romana-aws/node-ipam/v1";

    public string Schema { get; init; } = SchemaName;

    public required IReadOnlyList<PodAttachment> Attachments { get; init; }

    /// <summary>The node's usable blocks when it was written: after a restart ADDs are served from them before the first sync.</summary>
    public IReadOnlyList<Core.Agents.OwnedBlock> Blocks { get; init; } = [];

    /// <summary>The topology's network names when it was written (first the default), to check <c>romana.io/network</c> before the first sync.</summary>
    public IReadOnlyList<string> Networks { get; init; } = [];
}
