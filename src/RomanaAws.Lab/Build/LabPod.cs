namespace RomanaAws.Lab.Build;

/// <summary>A pod of the lab: its namespace, node, zone and address.</summary>
public sealed record LabPod(string Namespace, string InstanceId, string Zone, string Address);
