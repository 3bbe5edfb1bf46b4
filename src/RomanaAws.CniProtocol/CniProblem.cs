namespace RomanaAws.CniProtocol;

/// <summary>A refusal in the CNI error model: <see cref="Code"/> is the CNI error code the plugin returns (4, 7, 11, 50, 51).</summary>
public sealed record CniProblem(int Code, string Message);
