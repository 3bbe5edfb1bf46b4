using RomanaAws.Core.Configuration;
using RomanaAws.Core.Ipam;
using RomanaAws.Core.Persistence;

namespace RomanaAws.Cli.Commands;

/// <summary>Runs a handler and turns what it throws into one clear message and the documented exit code.</summary>
internal static class CommandGuard
{
    public static async Task<int> RunAsync(CliContext context, Func<Task<int>> handler)
    {
        try
        {
            return await handler();
        }
        catch (ConfigException ex)
        {
            await context.Error.WriteLineAsync($"error: {Echo.CapMessage(ex.Message)}");
            return ExitCodes.BadUsage;
        }
        catch (InputFileException ex)
        {
            await context.Error.WriteLineAsync($"error: {Echo.CapMessage(ex.Message)}");
            return ExitCodes.BadUsage;
        }
        catch (RomanaAws.Aws.Ec2.Ec2ApiException ex)
        {
            await context.Error.WriteLineAsync($"error: EC2: {Echo.CapMessage(ex.Message)}");
            return ExitCodes.Failure;
        }
        catch (Exception ex) when (ex is IpamException or StateConflictException or IOException or UnauthorizedAccessException or RomanaAws.Etcd.EtcdUnavailableException)
        {
            await context.Error.WriteLineAsync($"error: {Echo.CapMessage(ex.Message)}");
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            await context.Error.WriteLineAsync("stopped");
            return ExitCodes.Failure;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The last line of defence: never a stack trace (or exit 134). Each of these is a bug to report and fix.
            await context.Error.WriteLineAsync($"error: unexpected {ex.GetType().Name}: {Echo.CapMessage(ex.Message)} (this is a bug in romana-aws; please report it with the command line)");
            return ExitCodes.Failure;
        }
    }

    /// <summary>Reads a file the user named, capped in size, with an error naming the option and path when it cannot be read.</summary>
    public static Task<string> ReadInputAsync(FileInfo file, string option, CancellationToken cancellationToken, int maxBytes = InputFile.DefaultMaxBytes)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(InputFile.ReadText(file.FullName, option, maxBytes));
    }
}
