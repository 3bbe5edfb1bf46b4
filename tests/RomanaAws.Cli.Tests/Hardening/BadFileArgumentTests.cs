namespace RomanaAws.Cli.Tests.Hardening;

/// <summary>
/// Every command, every file argument, pointed at what a user may get wrong: <c>/dev/zero</c> (endless), an empty file, a
/// directory and a missing path. Each answer must be a named error (the path in the message) with exit 1 or 2, and never a
/// stack trace or a hang.
/// </summary>
public sealed class BadFileArgumentTests : IDisposable
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("romana-badfile-").FullName;

    public BadFileArgumentTests()
    {
        File.WriteAllText(Empty, string.Empty);
        Directory.CreateDirectory(Folder);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Empty => Path.Combine(_directory, "empty.yaml");

    private string Folder => Path.Combine(_directory, "a-directory");

    private string Missing => Path.Combine(_directory, "missing", "nothing.yaml");

    /// <summary>Command lines with one file argument as <c>{F}</c>; the others are valid (the shipped examples, a fresh state).</summary>
    public static TheoryData<string, string> Cases()
    {
        var topology = CliRun.Example("topology.yaml");
        var hosts = CliRun.Example("hosts.yaml");
        var lines = new[]
        {
            "topology validate --config {F}",
            "ipam plan --config {F}",
            $"ipam plan --config {topology} --hosts {{F}}",
            "ipam init --config {F} --state {NEW}",
            $"ipam init --config {topology} --state {{NEW}} --hosts {{F}}",
            $"ipam init --config {topology} --state {{F}}",
            "ipam apply --config {F} --state {STATE}",
            $"ipam apply --config {topology} --state {{F}}",
            "ipam show --state {F}",
            "ipam hosts add --state {F} --instance-id i-0000000000000aaaa --zone us-east-1a --subnet subnet-0a0a0a0a0a0a0a0a1 --ip 10.0.1.10",
            "ipam hosts remove --state {F} --instance-id i-0000000000000aaaa",
            "ipam allocate --state {F} --pod default/web --host i-0000abc0000000001 --owner default",
            "ipam release --state {F} --pod default/web",
            "controller --config {F} --once",
            "controller --config {F}",
            "routes --config {F}",
            "preflight --config {F}",
            "agent --desired {F} --instance-id i-0000000000000aaaa --once",
            "sim --scenario {F} --port 0",
            "cni install --from {F} --bin-dir {NEW}",
        };
        var data = new TheoryData<string, string>();
        foreach (var line in lines)
        {
            foreach (var kind in new[] { "dev-zero", "empty", "directory", "missing" })
            {
                // `ipam init --state` is created when missing: a missing path there is the normal case, not an error.
                if (!(kind == "missing" && line.StartsWith($"ipam init --config {topology} --state {{F}}", StringComparison.Ordinal)))
                {
                    data.Add(line, kind);
                }
            }
        }

        _ = hosts;
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Command_BadFileArgument_NamedErrorExitOneOrTwo(string line, string kind)
    {
        var file = kind switch
        {
            "dev-zero" => "/dev/zero",
            "empty" => Empty,
            "directory" => Folder,
            _ => Missing,
        };
        var state = Path.Combine(_directory, "state.json");
        if (line.Contains("{STATE}", StringComparison.Ordinal))
        {
            Assert.Equal(0, (await CliRun.Of("ipam", "init", "--config", CliRun.Example("topology.yaml"), "--state", state)).ExitCode);
        }

        var args = line.Split(' ').Select(a => a.Replace("{F}", file, StringComparison.Ordinal)
            .Replace("{NEW}", Path.Combine(_directory, "new.json"), StringComparison.Ordinal)
            .Replace("{STATE}", state, StringComparison.Ordinal)).ToArray();
        using var cancel = new CancellationTokenSource(HangGuard);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var run = CliApp.RunAsync(args, output, error, cancel.Token);
        var finished = await Task.WhenAny(run, Task.Delay(HangGuard + TimeSpan.FromSeconds(5), CancellationToken.None)) == run;
        Assert.True(finished && !cancel.IsCancellationRequested, $"'{string.Join(' ', args)}' did not finish (hang)");
        var code = await run;
        var text = output + error.ToString();
        Assert.True(code is 1 or 2, $"exit {code} for '{string.Join(' ', args)}': {text}");
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected", text, StringComparison.Ordinal);
        Assert.Contains(kind == "missing" ? Path.GetDirectoryName(file)! : file, text, StringComparison.Ordinal);
        Assert.True(text.Length < 4000, $"error output of {text.Length} characters");
    }
}
