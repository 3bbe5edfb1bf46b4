namespace RomanaAws.Lab.Build;

/// <summary>
/// What to build the lab from: the simulator scenario, the controller config, the <c>romana-aws</c> command line that
/// starts the product's processes (file + leading arguments, e.g. <c>dotnet romana-aws.dll</c>), the CNI plugin binary,
/// and pods per worker node.
/// </summary>
public sealed record LabOptions(string Scenario, string ControllerConfig, string RomanaAws, IReadOnlyList<string> RomanaAwsPrefix, string Plugin, int PodsPerNode);
