namespace RomanaAws.Cni.Spec;

/// <summary>The parts of a <c>prevResult</c> DEL and CHECK read: interfaces (name, MAC, sandbox) and IPs (address/prefix, interface index).</summary>
internal sealed record PrevResult(IReadOnlyList<ResultInterface> Interfaces, IReadOnlyList<ResultIp> Ips)
{
    /// <summary>The host-side interface (no sandbox) named by prevResult, if any.</summary>
    public string? HostInterface => Interfaces.FirstOrDefault(i => string.IsNullOrEmpty(i.Sandbox))?.Name;

    /// <summary>The first IP whose interface index points at <paramref name="ifName"/> in a sandbox.</summary>
    public string? AddressOf(string ifName) =>
        Ips.FirstOrDefault(ip => ip.Interface is { } i && i >= 0 && i < Interfaces.Count && Interfaces[i].Name == ifName && !string.IsNullOrEmpty(Interfaces[i].Sandbox))?.Address;
}

internal sealed record ResultInterface(string Name, string? Mac, string? Sandbox);

internal sealed record ResultIp(string Address, int? Interface);
