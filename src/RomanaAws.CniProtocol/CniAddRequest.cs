namespace RomanaAws.CniProtocol;

/// <summary>What the plugin sends on ADD. <paramref name="Owner"/>: the pod's namespace (or the configured default owner).</summary>
public sealed record CniAddRequest(string ContainerId, string IfName, string Owner, string? Netns);
