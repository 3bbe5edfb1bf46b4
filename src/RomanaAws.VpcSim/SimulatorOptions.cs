using System.Net;
using Microsoft.Extensions.Logging;

namespace RomanaAws.VpcSim;

/// <summary>Where and how the simulator runs.</summary>
public sealed record SimulatorOptions
{
    /// <summary>Loopback by default: the simulator is never reachable from elsewhere unless asked.</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Loopback;

    /// <summary>0 = an ephemeral port (tests); the CLI's default is 4566, LocalStack's.</summary>
    public int Port { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where the simulator logs rejected requests and failures (nothing when null).</summary>
    public ILoggerFactory? Logging { get; init; }

    /// <summary>Seed of the random source behind injected faults and jitter, so runs repeat.</summary>
    public int Seed { get; init; } = 1;
}
