using System.Net;
using System.Net.Sockets;
using RomanaAws.Agent.Kernel;
using RomanaAws.Agent.Policy;
using RomanaAws.Agent.Service;

namespace RomanaAws.Agent.Tests.Routing;

/// <summary>
/// Found by the lab (issue 12): a node cut off from the controller (its instance stopped, the wire down) made the
/// agent's desired-state fetch time out, and the TaskCanceledException of HttpClient's timeout killed the agent.
/// A sync against a controller that accepts and never answers must report the failure and keep the agent alive.
/// </summary>
public sealed class AgentSyncControllerTimeoutTests
{
    [Fact]
    public async Task Sync_ControllerNeverAnswers_ReportedNotThrown()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var url = new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/");
        using var http = new HttpClient { Timeout = TimeSpan.FromMilliseconds(300) };
        var sync = new AgentSync(new AgentSource(url, null, "i-00000001"), null, new LinuxKernel(new CommandRunner()), new PolicyOptions(), http, TimeProvider.System);

        var status = await sync.SyncAsync(CancellationToken.None);

        Assert.NotNull(status.LastError);
        Assert.Contains("did not answer", status.LastError, StringComparison.Ordinal);
        Assert.Contains(url.ToString(), status.LastError, StringComparison.Ordinal);
    }
}
