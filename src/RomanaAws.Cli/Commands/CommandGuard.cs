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
            await context.Error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.BadUsage;
        }
        catch (InputFileException ex)
        {
            await context.Error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.BadUsage;
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException ex)
        {
            await context.Error.WriteLineAsync($"error: invalid settings, {ex.Failures.Count()} problem(s):");
            foreach (var failure in ex.Failures)
            {
                await context.Error.WriteLineAsync($"  {failure}");
            }

            return ExitCodes.BadUsage;
        }
        catch (RomanaAws.Aws.Ec2.Ec2ApiException ex)
        {
            await context.Error.WriteLineAsync($"error: EC2: {ex.Message}");
            return ExitCodes.Failure;
        }
        catch (Exception ex) when (ex is IpamException or StateConflictException or IOException or UnauthorizedAccessException)
        {
            await context.Error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.Failure;
        }
    }

    /// <summary>Reads a file the user named, with an error naming the option and path when it cannot be read.</summary>
    public static async Task<string> ReadInputAsync(FileInfo file, string option, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllTextAsync(file.FullName, cancellationToken);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InputFileException($"{option} {file.FullName}: file not found");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InputFileException($"{option} {file.FullName}: cannot read: {ex.Message}");
        }
    }
}
