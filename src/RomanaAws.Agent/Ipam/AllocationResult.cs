namespace RomanaAws.Agent.Ipam;

/// <summary>What an ADD got: an address (new, or the one the attachment already held), or nothing free for its owner.</summary>
public sealed record AllocationResult(PodAttachment? Attachment, bool Existing, string? Problem)
{
    public bool Succeeded => Attachment is not null;

    public static AllocationResult Assigned(PodAttachment attachment, bool existing) => new(attachment, existing, null);

    public static AllocationResult NoFreeAddress(string problem) => new(null, false, problem);
}
