using RomanaAws.VpcSim.Faults;

namespace RomanaAws.VpcSim;

/// <summary>Mutable run-time knobs shared by the endpoint and the admin API: faults and a seeded random source.</summary>
internal sealed class SimulatorState(int seed)
{
    private readonly Random _random = new(seed);
    private readonly Lock _sync = new();

    public FaultSettings Faults { get; set; } = FaultSettings.None;

    /// <summary>Fraction (0–1) of health-endpoint requests whose connection is dropped (lossy network).</summary>
    public double HealthDropRate { get; set; }

    public double NextDouble()
    {
        lock (_sync)
        {
            return _random.NextDouble();
        }
    }
}
