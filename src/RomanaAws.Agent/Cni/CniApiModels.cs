namespace RomanaAws.Agent.Cni;

/// <summary>What the plugin sends on ADD (owner: the pod's namespace, or namespace/segment).</summary>
public sealed record CniAddRequest(string ContainerId, string IfName, string Owner, string? Netns);

/// <summary>What the plugin sends on DEL and CHECK.</summary>
public sealed record CniKeyRequest(string ContainerId, string IfName);

/// <summary>An assigned address: the pod's /32 and the block it came from.</summary>
public sealed record CniAddress(string Address, string Block, bool Existing);

/// <summary>A refusal in the CNI error model: <see cref="Code"/> is the CNI error code the plugin returns (11: try again later).</summary>
public sealed record CniProblem(int Code, string Message);
