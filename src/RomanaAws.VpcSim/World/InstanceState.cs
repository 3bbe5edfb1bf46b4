namespace RomanaAws.VpcSim.World;

/// <summary>EC2 instance states with their API codes.</summary>
internal enum InstanceState
{
    Pending = 0,
    Running = 16,
    ShuttingDown = 32,
    Terminated = 48,
    Stopping = 64,
    Stopped = 80,
}

internal static class InstanceStateNames
{
    public static string Name(this InstanceState state) => state switch
    {
        InstanceState.Pending => "pending",
        InstanceState.Running => "running",
        InstanceState.ShuttingDown => "shutting-down",
        InstanceState.Terminated => "terminated",
        InstanceState.Stopping => "stopping",
        InstanceState.Stopped => "stopped",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    public static bool TryParse(string? name, out InstanceState state)
    {
        foreach (var candidate in Enum.GetValues<InstanceState>())
        {
            if (candidate.Name() == name)
            {
                state = candidate;
                return true;
            }
        }

        state = default;
        return false;
    }
}
