using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using RomanaAws.CniProtocol;

namespace RomanaAws.Agent.Cni;

/// <summary>Serves <see cref="CniSocketApi"/> on a unix socket that only its owner (root on a node) may use: mode 0600.</summary>
public static class CniSocketHost
{
    public static async Task<WebApplication> StartAsync(
        string socketPath, PodAddressService addresses, Func<CniStatus> status, CancellationToken cancellationToken, Func<Ipam.AddressPool, CancellationToken, Task<string?>>? claim = null,
        Func<string, string, CancellationToken, Task<Kubernetes.OwnerDecision>>? owners = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(socketPath);
        var directory = Path.GetDirectoryName(Path.GetFullPath(socketPath))!;
        if (!Directory.Exists(directory))
        {
            // A new directory is 0700, so the socket is never reachable by others, even before its own chmod.
            _ = OperatingSystem.IsWindows() ? Directory.CreateDirectory(directory) : Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        if (File.Exists(socketPath))
        {
            // A socket left by a killed agent: nothing listens on it any more.
            File.Delete(socketPath);
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.ListenUnixSocket(socketPath));
        var app = builder.Build();
        CniSocketApi.Map(app, addresses, status, claim, owners);
        await app.StartAsync(cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(socketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return app;
    }
}
