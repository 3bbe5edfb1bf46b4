namespace RomanaAws.Cni.Spec;

/// <summary>The CNI spec's well-known error codes (SPEC.md "Error"), plus this plugin's own (100 and up).</summary>
internal static class CniErrorCode
{
    public const int IncompatibleVersion = 1;
    public const int UnsupportedField = 2;
    public const int InvalidEnvironment = 4;
    public const int IoFailure = 5;
    public const int InvalidConfig = 7;
    public const int TryAgainLater = 11;
    public const int NotAvailable = 50;
    public const int NotAvailableLimited = 51;

    /// <summary>CHECK found the kernel state or the agent's record different from what ADD set up.</summary>
    public const int CheckFailed = 100;

    /// <summary>Programming the kernel failed (netlink said no).</summary>
    public const int KernelFailure = 101;
}
