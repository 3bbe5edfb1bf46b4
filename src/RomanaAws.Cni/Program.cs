using RomanaAws.Cni;
using RomanaAws.Cni.Commands;
using RomanaAws.Cni.Netlink;
using RomanaAws.Cni.Spec;

// romana-aws-cni: executed by the container runtime per the CNI spec (environment + config on stdin, result on
// stdout). Every failure is the spec's error JSON on stdout with exit 1, never a stack trace.
var stdin = ReadStdin();
var version = ConfigReader.SniffVersion(stdin);
byte[] output;
int exit;
try
{
    var environment = CniEnvironment.Parse(Environment.GetEnvironmentVariable);
    var config = ConfigReader.Read(stdin, environment.Command);
    version = config.CniVersion;
    var timeout = environment.Command == CniCommand.Add ? TimeSpan.FromSeconds(30) : TimeSpan.FromSeconds(10);
    output = await new Plugin(environment, config, () => new AgentClient(config.AgentSocket, timeout), Console.Error).RunAsync();
    exit = CniExit.Success;
}
catch (CniFailure failure)
{
    output = ResultWriter.Error(version, failure.Code, failure.Message, failure.Details);
    exit = CniExit.Failure;
}
catch (NetlinkException failure)
{
    output = ResultWriter.Error(version, CniErrorCode.KernelFailure, failure.Message, null);
    exit = CniExit.Failure;
}
catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
{
    output = ResultWriter.Error(version, CniErrorCode.IoFailure, failure.Message, null);
    exit = CniExit.Failure;
}
#pragma warning disable CA1031 // The last resort: the runtime must get error JSON, whatever went wrong.
catch (Exception failure)
#pragma warning restore CA1031
{
    output = ResultWriter.Error(version, CniErrorCode.IoFailure, $"internal error ({failure.GetType().Name}): {failure.Message}", null);
    exit = CniExit.Failure;
}

using (var stdout = Console.OpenStandardOutput())
{
    stdout.Write(output);
}

return exit;

static byte[] ReadStdin()
{
    using var input = Console.OpenStandardInput();
    using var buffer = new MemoryStream();
    var chunk = new byte[16 * 1024];
    int read;
    while ((read = input.Read(chunk)) > 0 && buffer.Length <= (1 << 20))
    {
        buffer.Write(chunk, 0, read);
    }

    return buffer.ToArray();
}
