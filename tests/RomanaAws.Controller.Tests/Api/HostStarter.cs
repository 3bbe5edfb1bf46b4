using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using RomanaAws.Controller.Configuration;

namespace RomanaAws.Controller.Tests.Api;

/// <summary>Starts a controller host on a free loopback port (the config takes no port 0; a probed port can be taken by a parallel test before the bind, so it retries).</summary>
internal static class HostStarter
{
    public static async Task<(WebApplication App, int Port)> StartAsync(string configPath, IReadOnlyList<string> args, ControllerHostOptions options)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var config = ControllerConfig.Load(configPath, [$"--controller:listen=127.0.0.1:{port}", .. args]);
            var app = ControllerHost.Build(config, options);
            try
            {
                await app.StartAsync();
                return (app, port);
            }
            catch (IOException) when (attempt < 5)
            {
                await app.DisposeAsync();
            }
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
