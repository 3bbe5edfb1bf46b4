using RomanaAws.Core.Persistence;
using RomanaAws.Tests.Shared;
using static RomanaAws.Core.Tests.Fixtures;

namespace RomanaAws.Core.Tests.Persistence;

/// <summary>What the store does to the file system: links, modes, owners, and files it must not read.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class FileIpamStateStoreFileTests : IDisposable
{
    private const UnixFileMode Mode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Mode0640 = Mode0600 | UnixFileMode.GroupRead;
    private const UnixFileMode Mode0444 = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private readonly string _directory = Directory.CreateTempSubdirectory("romana-state-").FullName;

    private string StatePath => Path.Combine(_directory, "state.json");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static IpamStateDocument Document(int pods)
    {
        var ipam = WithHosts(MakeTopology(), 3);
        for (var i = 0; i < pods; i++)
        {
            ipam.Allocate($"ns/p{i}", InstanceId(1), "ns");
        }

        return ipam.ToDocument();
    }

    [Fact]
    public async Task Save_ThroughASymlinkChain_WritesTheTargetAndKeepsTheLinks()
    {
        var realDirectory = Directory.CreateDirectory(Path.Combine(_directory, "real")).FullName;
        var target = Path.Combine(realDirectory, "state.json");
        var inner = Path.Combine(_directory, "inner.json");
        var outer = Path.Combine(_directory, "outer.json");
        File.CreateSymbolicLink(inner, Path.Combine("real", "state.json"));
        File.CreateSymbolicLink(outer, inner);

        var store = new FileIpamStateStore(outer);
        Assert.Equal(1, await store.SaveAsync(Document(1), 0, CancellationToken.None));
        Assert.Equal(2, await store.SaveAsync(Document(2), 1, CancellationToken.None));

        Assert.NotNull(new FileInfo(outer).LinkTarget);
        Assert.NotNull(new FileInfo(inner).LinkTarget);
        Assert.Null(new FileInfo(target).LinkTarget);
        var fromTarget = await new FileIpamStateStore(target).LoadAsync(CancellationToken.None);
        Assert.Equal(2, fromTarget!.Revision);
        Assert.Equal(2, fromTarget.Blocks.Sum(b => b.Pods.Count(p => p is not null)));
        Assert.Equal(["state.json", "state.json.lock"], Directory.GetFiles(realDirectory).Select(Path.GetFileName).Order());
        Assert.Equal(["inner.json", "outer.json"], Directory.GetFiles(_directory).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task Save_WriterThroughLinkAndWriterOnTarget_ShareOneLockAndRevision()
    {
        var link = Path.Combine(_directory, "link.json");
        File.CreateSymbolicLink(link, StatePath);
        await new FileIpamStateStore(link).SaveAsync(Document(1), 0, CancellationToken.None);
        await Assert.ThrowsAsync<StateConflictException>(() => new FileIpamStateStore(StatePath).SaveAsync(Document(2), 0, CancellationToken.None));
        Assert.Equal(2, await new FileIpamStateStore(StatePath).SaveAsync(Document(2), 1, CancellationToken.None));
        Assert.Equal(2, (await new FileIpamStateStore(link).LoadAsync(CancellationToken.None))!.Revision);
    }

    [Fact]
    public async Task Save_NewFile_Created0600()
    {
        await new FileIpamStateStore(StatePath).SaveAsync(Document(0), 0, CancellationToken.None);
        Assert.Equal(Mode0600, File.GetUnixFileMode(StatePath));
    }

    [Fact]
    public async Task Save_ExistingFile_KeepsItsMode()
    {
        var store = new FileIpamStateStore(StatePath);
        await store.SaveAsync(Document(0), 0, CancellationToken.None);
        File.SetUnixFileMode(StatePath, Mode0640);
        await store.SaveAsync(Document(1), 1, CancellationToken.None);
        Assert.Equal(Mode0640, File.GetUnixFileMode(StatePath));
    }

    [Fact]
    public async Task Save_FileOwnedByAnotherUser_KeepsTheOwner()
    {
        if (Environment.UserName != "root")
        {
            return; // only root can give a file to another user; as non-root there is nothing to keep
        }

        var store = new FileIpamStateStore(StatePath);
        await store.SaveAsync(Document(0), 0, CancellationToken.None);
        Assert.Equal(0, (await Repo.RunAsync("chown", "65534:65534", StatePath)).ExitCode);
        await store.SaveAsync(Document(1), 1, CancellationToken.None);
        var stat = await Repo.RunAsync("stat", "-c", "%u:%g %a", StatePath);
        Assert.Equal("65534:65534 600", stat.Output.Trim());
    }

    [Fact]
    public async Task Save_ReadOnlyFile_RefusedNamingFileAndModeAndUntouched()
    {
        var store = new FileIpamStateStore(StatePath);
        await store.SaveAsync(Document(0), 0, CancellationToken.None);
        File.SetUnixFileMode(StatePath, Mode0444);
        var before = await File.ReadAllBytesAsync(StatePath);
        var ex = await Assert.ThrowsAsync<IpamStateException>(() => store.SaveAsync(Document(1), 1, CancellationToken.None));
        Assert.Contains($"{StatePath}: the state file is read-only (mode 0444", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(StatePath));
        Assert.Equal(Mode0444, File.GetUnixFileMode(StatePath));
    }

    [Fact]
    public async Task Load_Directory_ClearError()
    {
        Directory.CreateDirectory(StatePath);
        var ex = await Assert.ThrowsAsync<IpamStateException>(() => new FileIpamStateStore(StatePath).LoadAsync(CancellationToken.None));
        Assert.Equal($"{StatePath}: is a directory, not a state file; give the path of the state file itself", ex.Message);
    }

    [Fact]
    public async Task Load_CharacterDevice_ClearErrorWithoutReading()
    {
        var ex = await Assert.ThrowsAsync<IpamStateException>(() => new FileIpamStateStore("/dev/zero").LoadAsync(CancellationToken.None));
        Assert.Equal("/dev/zero: is a character device, not a regular file; give the path of the state file itself", ex.Message);
    }

    [Fact]
    public async Task Load_EmptyFile_ClearError()
    {
        await File.WriteAllBytesAsync(StatePath, []);
        var ex = await Assert.ThrowsAsync<IpamStateException>(() => new FileIpamStateStore(StatePath).LoadAsync(CancellationToken.None));
        Assert.Contains($"{StatePath}: the state file is empty", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_LargerThanTheCap_RefusedWithoutReadingIt()
    {
        await using (var sparse = new FileStream(StatePath, FileMode.CreateNew))
        {
            sparse.SetLength(FileIpamStateStore.MaxStateBytes + 1);
        }

        var ex = await Assert.ThrowsAsync<IpamStateException>(() => new FileIpamStateStore(StatePath).LoadAsync(CancellationToken.None));
        Assert.Equal($"{StatePath}: the state file is larger than 256 MiB (268435457 bytes), the most romana-aws reads; it is not a state file romana-aws wrote", ex.Message);
    }
}
