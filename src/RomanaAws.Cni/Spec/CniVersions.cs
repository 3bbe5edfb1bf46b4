namespace RomanaAws.Cni.Spec;

/// <summary>The CNI versions this plugin speaks; its results follow the version the config names.</summary>
internal static class CniVersions
{
    public const string Latest = "1.1.0";

    public static readonly IReadOnlyList<string> Supported = ["0.4.0", "1.0.0", "1.1.0"];

    /// <summary>Refuses (code 1) a version this plugin does not speak, and STATUS/GC under a version older than 1.1.0.</summary>
    public static void Require(string version, CniCommand command)
    {
        if (!Supported.Contains(version))
        {
            throw new CniFailure(CniErrorCode.IncompatibleVersion, $"incompatible CNI versions: the config says cniVersion '{CniArgs.Clip(version)}'; this plugin supports {string.Join(", ", Supported)}");
        }

        if (command is CniCommand.Status or CniCommand.Gc && version != "1.1.0")
        {
            throw new CniFailure(CniErrorCode.IncompatibleVersion, $"{command.ToString().ToUpperInvariant()} is a CNI 1.1.0 command; the config says cniVersion '{version}'");
        }
    }
}
