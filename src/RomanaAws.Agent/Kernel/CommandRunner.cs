using System.Diagnostics;

namespace RomanaAws.Agent.Kernel;

/// <summary>The output of one command.</summary>
public sealed record CommandResult(int ExitCode, string Output, string Error)
{
    public bool Ok => ExitCode == 0;
}

/// <summary>
/// Runs the kernel tools (ip, iptables-restore, ipset, sysctl). With <see cref="Netns"/> set, every command runs in
/// that network namespace (<c>ip netns exec</c>): how tests and the demo run one agent per simulated host.
/// </summary>
public sealed class CommandRunner(string? netns = null)
{
    public string? Netns { get; } = netns;

    public async Task<CommandResult> RunAsync(string file, IReadOnlyList<string> args, string? stdin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        var info = Netns is null
            ? new ProcessStartInfo(file)
            : new ProcessStartInfo("ip") { ArgumentList = { "netns", "exec", Netns, file } };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.RedirectStandardInput = stdin is not null;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new KernelException($"{file} could not be started");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            // A tool missing from the image or the host: the agent needs ip (iproute2), iptables, ipset and sysctl (procps).
            throw new KernelException($"{info.FileName} cannot be run: {ex.Message}; the agent needs iproute2, iptables, ipset and procps (sysctl) on its PATH", ex);
        }

        using var started = process;
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin.AsMemory(), cancellationToken);
            process.StandardInput.Close();
        }

        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return new CommandResult(process.ExitCode, await output, await error);
    }

    /// <summary>Runs and throws <see cref="KernelException"/> with the command and its stderr when it fails.</summary>
    public async Task<string> RunCheckedAsync(string file, IReadOnlyList<string> args, string? stdin, CancellationToken cancellationToken)
    {
        var result = await RunAsync(file, args, stdin, cancellationToken);
        return result.Ok ? result.Output : throw new KernelException($"{file} {string.Join(' ', args)} failed ({result.ExitCode}): {result.Error.Trim()}");
    }
}

/// <summary>A kernel change the agent could not make.</summary>
public sealed class KernelException : Exception
{
    public KernelException()
    {
    }

    public KernelException(string message)
        : base(message)
    {
    }

    public KernelException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
