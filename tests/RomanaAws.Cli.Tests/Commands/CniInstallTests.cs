namespace RomanaAws.Cli.Tests.Commands;

/// <summary><c>romana-aws cni install</c>: what the kops addon's init container runs on every node.</summary>
public sealed class CniInstallTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("romana-cni-install-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Plugin(string content)
    {
        var path = Path.Combine(_directory, "romana-aws-cni.src");
        File.WriteAllText(path, content);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    [Fact]
    public async Task Install_NewAndExisting_CopiedExecutableReplacedAtomically()
    {
        var bin = Path.Combine(_directory, "opt", "cni", "bin");
        var first = await CliRun.Of("cni", "install", "--from", Plugin("v1"), "--bin-dir", bin);
        Assert.True(first.ExitCode == 0, first.Error);
        var target = Path.Combine(bin, "romana-aws-cni");
        Assert.Equal("v1", File.ReadAllText(target));
        Assert.True(OperatingSystem.IsWindows() || (File.GetUnixFileMode(target) & (UnixFileMode)0x1FF) == (UnixFileMode)0x1ED); // 0755

        var second = await CliRun.Of("cni", "install", "--from", Plugin("v2"), "--bin-dir", bin);
        Assert.Equal(0, second.ExitCode);
        Assert.Equal("v2", File.ReadAllText(target));
        Assert.Equal(["romana-aws-cni"], Directory.GetFiles(bin).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Install_NotAnExecutable_NamedErrorNothingWritten()
    {
        var plain = Path.Combine(_directory, "plain");
        File.WriteAllText(plain, "#!/bin/sh\n");
        var bin = Path.Combine(_directory, "bin");
        var run = await CliRun.Of("cni", "install", "--from", plain, "--bin-dir", bin);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(plain, run.Error, StringComparison.Ordinal);
        Assert.Contains("not a plugin executable", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(bin, "romana-aws-cni")));
    }
}
