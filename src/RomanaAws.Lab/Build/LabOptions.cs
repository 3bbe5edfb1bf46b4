namespace RomanaAws.Lab.Build;

/// <summary>
/// What to build the lab from: the simulator scenario, the controller config, the <c>romana-aws</c> command line that
/// starts the product's processes (file + leading arguments, e.g. <c>dotnet romana-aws.dll</c>), the CNI plugin binary,
/// the pods' OCI image archive (scripts/cni-lab/build-image.sh: busybox and pod-echo), pods per worker node, and
/// whether to lift the controller's flap-damping cap (<c>health.maxFailovers</c>, 5 per 10 minutes per group by
/// default) for repeated failover trials.
/// </summary>
public sealed record LabOptions(string Scenario, string ControllerConfig, string RomanaAws, IReadOnlyList<string> RomanaAwsPrefix, string Plugin, string Image, int PodsPerNode, bool LiftFailoverCap = false);
