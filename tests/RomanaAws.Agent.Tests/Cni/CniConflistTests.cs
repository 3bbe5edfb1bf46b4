using System.Text.Json;
using RomanaAws.Agent.Cni;

namespace RomanaAws.Agent.Tests.Cni;

public sealed class CniConflistTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("romana-conflist-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static CniNodeOptions Options(string version = "1.0.0", int? mtu = null) =>
        new("/run/romana-aws/cni.sock", "/var/lib/romana-aws/ipam.json", null, version, mtu, "kube-system", TimeSpan.FromMinutes(2));

    [Theory]
    [InlineData("1.0.0")]
    [InlineData("1.1.0")]
    public void Render_NoMtu_RomanaThenPortmap(string version)
    {
        using var document = JsonDocument.Parse(CniConflist.Render(Options(version)));
        var root = document.RootElement;
        Assert.Equal(version, root.GetProperty("cniVersion").GetString());
        Assert.Equal("romana-aws", root.GetProperty("name").GetString());
        var plugins = root.GetProperty("plugins").EnumerateArray().ToList();
        Assert.Equal(2, plugins.Count);

        Assert.Equal("romana-aws-cni", plugins[0].GetProperty("type").GetString());
        Assert.Equal("/run/romana-aws/cni.sock", plugins[0].GetProperty("agentSocket").GetString());
        Assert.Equal("kube-system", plugins[0].GetProperty("defaultOwner").GetString());
        Assert.False(plugins[0].TryGetProperty("mtu", out _));

        Assert.Equal("portmap", plugins[1].GetProperty("type").GetString());
        Assert.True(plugins[1].GetProperty("capabilities").GetProperty("portMappings").GetBoolean());
        Assert.True(plugins[1].GetProperty("snat").GetBoolean());
    }

    [Fact]
    public void Render_Mtu_WrittenAsANumber()
    {
        using var document = JsonDocument.Parse(CniConflist.Render(Options(mtu: 9001)));
        var mtu = document.RootElement.GetProperty("plugins")[0].GetProperty("mtu");
        Assert.Equal(JsonValueKind.Number, mtu.ValueKind);
        Assert.Equal(9001, mtu.GetInt32());
    }

    [Fact]
    public void Write_NewDirectory_CreatedWithOnlyTheConflist()
    {
        var directory = Path.Combine(_directory, "etc", "cni", "net.d");
        var path = CniConflist.Write(directory, Options());
        Assert.Equal(Path.Combine(directory, "10-romana-aws.conflist"), path);
        Assert.Equal(CniConflist.Render(Options()), File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFileSystemEntries(directory));
    }

    [Fact]
    public void Write_ExistingFile_ReplacedAndNoTempLeft()
    {
        var path = Path.Combine(_directory, CniNodeOptions.ConflistName);
        File.WriteAllText(path, "{\"old\":true, and longer than the new content will be ......................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................}");
        File.WriteAllText(Path.Combine(_directory, "05-other.conflist"), "{}");
        Assert.Equal(path, CniConflist.Write(_directory, Options(mtu: 1450)));
        Assert.Equal(CniConflist.Render(Options(mtu: 1450)), File.ReadAllText(path));
        Assert.Equal(["05-other.conflist", "10-romana-aws.conflist"], Directory.GetFileSystemEntries(_directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Write_RenameFails_ThrowsAndLeavesNoTempFile()
    {
        // A directory where the conflist should go: the rename cannot replace it.
        var blocker = Path.Combine(_directory, CniNodeOptions.ConflistName);
        Directory.CreateDirectory(blocker);
        Assert.ThrowsAny<IOException>(() => CniConflist.Write(_directory, Options()));
        Assert.Equal([blocker], Directory.GetFileSystemEntries(_directory));
    }
}
