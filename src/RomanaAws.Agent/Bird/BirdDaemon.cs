using RomanaAws.Agent.Kernel;
using RomanaAws.Core.Agents;
using RomanaAws.Core.Persistence;

namespace RomanaAws.Agent.Bird;

/// <summary>
/// Drives BIRD 2 on the node (thin: what to announce is decided in Core, the text in <see cref="BirdConfig"/>). Writes
/// the configuration only when its text changed (checked with <c>bird -p</c> first, then written to a temporary file
/// and renamed, 0600: it may hold passwords), and applies it with <c>birdc configure</c>: a diff, never a restart, so
/// unchanged sessions stay up. Starts BIRD when its control socket does not answer (first start, or BIRD died).
/// </summary>
/// <param name="directory">bird.conf, bird.ctl (control socket), bird.pid and bird.log live here.</param>
public sealed class BirdDaemon(CommandRunner run, string directory, string node)
{
    private string? _applied;

    public string ConfigFile => Path.Combine(directory, "bird.conf");

    public string Socket => Path.Combine(directory, "bird.ctl");

    /// <summary>How many times the configuration was applied (a start or a <c>birdc configure</c>).</summary>
    public int Reconfigurations { get; private set; }

    /// <summary>Where the agent keeps BIRD's files unless told otherwise (<c>--bird-dir</c>): on /run, gone with a reboot.</summary>
    public const string DefaultDirectory = "/run/romana-aws/bird";

    /// <summary>Renders and applies the desired state's advertisement (BGP or OSPF): a new configuration, or BIRD started, only when needed.</summary>
    public async Task ApplyAsync(AgentDesiredState desired, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var log = Path.Combine(directory, "bird.log");
        var text = desired.Bgp is { } bgp ? BirdConfig.Render(bgp, ReadPasswords(bgp), log, node)
            : desired.Ospf is { } ospf ? BirdConfig.Render(ospf, log, node)
            : throw new ArgumentException("the desired state advertises nothing (routing mode vpc)", nameof(desired));
        var running = await RunningAsync(cancellationToken);
        if (running && text == _applied)
        {
            return;
        }

        Directory.CreateDirectory(directory);
        var onDisk = File.Exists(ConfigFile) ? await File.ReadAllTextAsync(ConfigFile, cancellationToken) : null;
        if (onDisk != text)
        {
            var temporary = ConfigFile + ".new";
            File.Delete(temporary);
            await using (var stream = ModeFile.CreateNew(temporary, ModeFile.OwnerOnly))
            {
                await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text), cancellationToken);
            }

            var check = await run.RunAsync("bird", ["-p", "-c", temporary], null, cancellationToken);
            if (!check.Ok)
            {
                throw new KernelException($"BIRD refused the rendered configuration {temporary} (a bug; please report it): {(check.Error + check.Output).Trim()}");
            }

            File.Move(temporary, ConfigFile, overwrite: true);
        }
        else if (running && _applied is null)
        {
            // The agent restarted under a running BIRD that already has exactly this: nothing to do.
            _applied = text;
            return;
        }

        if (running)
        {
            var answer = await run.RunCheckedAsync("birdc", ["-s", Socket, "configure", $"\"{ConfigFile}\""], null, cancellationToken);
            if (!BirdOutput.Reconfigured(answer))
            {
                throw new KernelException($"birdc configure {ConfigFile} did not reconfigure BIRD: {answer.Trim()}");
            }
        }
        else
        {
            await run.RunCheckedAsync("bird", ["-c", ConfigFile, "-s", Socket, "-P", Path.Combine(directory, "bird.pid")], null, cancellationToken);
        }

        _applied = text;
        Reconfigurations++;
    }

    /// <summary>BIRD's sessions (BGP) or neighbors (OSPF), and what it exports (a few birdc calls, each a few ms).</summary>
    public async Task<RoutingStatus> StatusAsync(AgentDesiredState desired, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desired);
        if (desired.Bgp is not { } bgp)
        {
            var neighbors = BirdOutput.OspfNeighbors(await run.RunCheckedAsync("birdc", ["-s", Socket, "show", "ospf", "neighbors", BirdConfig.OspfProtocol], null, cancellationToken));
            var prefixes = BirdOutput.Prefixes(await run.RunCheckedAsync("birdc", ["-s", Socket, "show", "route", "export", BirdConfig.OspfProtocol], null, cancellationToken));
            return new RoutingStatus(neighbors, new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { [BirdConfig.OspfProtocol] = prefixes }, Reconfigurations);
        }

        var names = bgp.Neighbors.ToDictionary(BirdConfig.ProtocolName, n => n.Address, StringComparer.Ordinal);
        var sessions = BirdOutput.Sessions(await run.RunCheckedAsync("birdc", ["-s", Socket, "show", "protocols"], null, cancellationToken), names);
        var exported = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var session in sessions)
        {
            exported[session.Protocol] = session.Established
                ? BirdOutput.Prefixes(await run.RunCheckedAsync("birdc", ["-s", Socket, "show", "route", "export", session.Protocol], null, cancellationToken))
                : [];
        }

        return new RoutingStatus(sessions, exported, Reconfigurations);
    }

    private async Task<bool> RunningAsync(CancellationToken cancellationToken) =>
        File.Exists(Socket) && (await run.RunAsync("birdc", ["-s", Socket, "show", "status"], null, cancellationToken)).Ok;

    private static Dictionary<string, string> ReadPasswords(BgpAdvertisement bgp)
    {
        var passwords = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in bgp.Neighbors.Select(n => n.PasswordFile).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            string password;
            try
            {
                password = File.ReadAllText(file).TrimEnd('\r', '\n');
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new KernelException($"the BGP password file {file} (racks[].peers[].passwordFile) cannot be read: {ex.Message}", ex);
            }

            if (password.Length is 0 or > 80 || password.Any(c => c is '"' or '\\' or '\n' or '\r' || char.IsControl(c)))
            {
                throw new KernelException($"the BGP password in {file} (racks[].peers[].passwordFile) must be 1–80 printable characters without '\"' or '\\' (TCP MD5 keys are at most 80 bytes)");
            }

            passwords[file] = password;
        }

        return passwords;
    }
}
