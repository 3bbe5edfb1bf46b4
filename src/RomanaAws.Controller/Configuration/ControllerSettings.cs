namespace RomanaAws.Controller.Configuration;

#pragma warning disable CA1002, CA2227 // Options bound by Microsoft.Extensions.Configuration.

/// <summary>The <c>controller:</c> section. Defaults here; <see cref="SettingsBinder"/> reads them (types, ranges), <see cref="SettingsValidator"/> checks the rest.</summary>
public sealed class ControllerSettings
{
    public const string Section = "controller";

    /// <summary>The cluster's VPC; null to take it from the cluster instances.</summary>
    public string? VpcId { get; set; }

    /// <summary>Route tables to manage; empty to discover them (tagged for the cluster, else serving its subnets).</summary>
    public List<string> RouteTables { get; set; } = [];

    /// <summary>Periodic full reconcile, jittered ±10 %.</summary>
    [SettingRange(5, 3600)]
    public int ResyncSeconds { get; set; } = 30;

    [SettingRange(0, 1000)]
    public int MaxDeletesPerPass { get; set; } = 5;

    /// <summary>How long a terminated or vanished instance keeps its IPAM host (and blocks) before removal.</summary>
    [SettingRange(0, 86_400)]
    public int HostGraceSeconds { get; set; } = 300;

    /// <summary>Where the IPAM state lives: <c>file</c> (<see cref="StateFile"/>, one replica) or <c>etcd</c> (the etcd: section; replicas with leader election).</summary>
    public string StateBackend { get; set; } = "file";

    public string StateFile { get; set; } = "romana-ipam-state.json";

    /// <summary>This replica's API address for the others (block claims a standby forwards to the leader); null: derived from listen.</summary>
    public string? Advertise { get; set; }

    /// <summary>The HTTP API (health, routes, metrics): loopback by default.</summary>
    public string Listen { get; set; } = "127.0.0.1:9610";

    /// <summary>Plan and report, but make no mutating call.</summary>
    public bool DryRun { get; set; }
}
