namespace RomanaAws.Controller.Kubernetes;

/// <summary>A Node condition as the controller compares it: status ("True"/"False"/"Unknown"), reason, message.</summary>
public sealed record NodeCondition(string Status, string? Reason, string? Message);
