namespace RomanaAws.Controller.Kubernetes;

/// <summary>A Warning event to record on a Node (involvedObject kind Node, its name and uid).</summary>
public sealed record NodeEvent(string NodeName, string NodeUid, string Reason, string Message);
