using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace RomanaAws.Tests.Shared;

/// <summary>
/// One controller replica as its own process (<c>romana-aws controller</c>, the built CLI), so a test can do to it
/// what happens to a real one: SIGKILL, SIGSTOP past its lease, SIGCONT. Settings go in as the environment variables
/// the controller reads (<c>ROMANA_SECTION__KEY</c>); EC2 calls are signed with its own access key id
/// (<see cref="Caller"/>), which the simulator's write log records, to tell the replicas' writes apart.
/// </summary>
internal sealed class ControllerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ControllerProcess(Process process, string caller, int port)
    {
        _process = process;
        Caller = caller;
        Port = port;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(3) };
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The access key id its EC2 calls are signed with.</summary>
    public string Caller { get; }

    public int Port { get; }

    public int Pid => _process.Id;

    public HttpClient Http { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Everything it printed so far (for a failing assertion's message).</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>The built CLI (the configuration this test assembly was built in), or null when it was not built.</summary>
    public static string? Cli()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var path = Path.Combine(Repo.Root, "src", "RomanaAws.Cli", "bin", configuration, "net10.0", "romana-aws");
        return File.Exists(path) ? path : null;
    }

    public static ControllerProcess Start(string cli, string config, string caller, IReadOnlyDictionary<string, string> settings)
    {
        var port = FreePort();
        var start = new ProcessStartInfo(cli, ["controller", "--config", config, "--log-format", "json"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        start.Environment["ROMANA_CONTROLLER__LISTEN"] = $"127.0.0.1:{port}";
        start.Environment["AWS_ACCESS_KEY_ID"] = caller;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = "romana-test";
        start.Environment["POD_NAME"] = caller;
        start.Environment["DOTNET_gcServer"] = "0";
        return new ControllerProcess(Process.Start(start)!, caller, port);
    }

    /// <summary>Its <c>/readyz</c> answer, or null while it does not answer.</summary>
    public async Task<JsonElement?> ReadyAsync()
    {
        try
        {
            using var response = await Http.GetAsync(new Uri("readyz", UriKind.Relative));
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Its role in <c>/readyz</c> ("leader", "follower", ...), or null while it does not answer.</summary>
    public async Task<string?> RoleAsync() => (await ReadyAsync()) is { } ready && ready.TryGetProperty("role", out var role) ? role.GetString() : null;

    /// <summary>Whether its <c>/v1/routes</c> says the VPC routes are the desired ones (false while it does not answer).</summary>
    public async Task<bool> InSyncAsync()
    {
        try
        {
            using var routes = await Http.GetAsync(new Uri("v1/routes", UriKind.Relative));
            return routes.IsSuccessStatusCode && JsonDocument.Parse(await routes.Content.ReadAsStringAsync()).RootElement.GetProperty("inSync").GetBoolean();
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>SIGKILL: no shutdown, no lease revoked (what a crashed node or an OOM kill does).</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
    }

    /// <summary>SIGSTOP: frozen, as a long GC pause or a stalled VM; its lease runs out while it cannot notice.</summary>
    public Task PauseAsync() => SignalAsync("STOP");

    /// <summary>SIGCONT: it runs on from where it stopped.</summary>
    public Task ResumeAsync() => SignalAsync("CONT");

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await SignalAsync("CONT");
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Http.Dispose();
    }

    private async Task SignalAsync(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        await kill.WaitForExitAsync();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 2_000 && _output.TryDequeue(out _))
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
