using System.Net;
using RomanaAws.Agent.Ipam;
using RomanaAws.Core.Agents;
using RomanaAws.Core.Net;

namespace RomanaAws.Agent.Tests.Ipam;

public sealed class CheckpointFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("romana-ckpt-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void SaveLoad_RoundTrip_Mode0600_NoTempLeft()
    {
        var file = new CheckpointFile(Path.Combine(_directory, "ipam.json"));
        Assert.Empty(file.Load().Attachments);
        var attachment = new PodAttachment(new AttachmentKey("abc", "eth0"), IPAddress.Parse("100.96.0.3"), Cidr.Parse("100.96.0.0/29"), "web", "/run/netns/x");
        file.Save(new NodeIpamCheckpoint { Attachments = [attachment] });
        Assert.Equal([attachment], file.Load().Attachments);
        Assert.True(OperatingSystem.IsWindows() || File.GetUnixFileMode(file.Path) == (UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.Single(Directory.GetFiles(_directory));
    }

    [Theory]
    [InlineData("{\"schema\":\"other\",\"attachments\":[]}", "is not romana-aws/node-ipam/v1")]
    [InlineData("{\"schema\":\"romana-aws/node-ipam/v1\",\"attachments\":[null]}", "attachments[0] is incomplete")]
    [InlineData("{\"schema\":\"romana-aws/node-ipam/v1\",\"attachments\":[{\"containerId\":\"a\",\"ifName\":\"eth0\",\"address\":\"10.0.0.9\",\"block\":\"100.96.0.0/29\",\"owner\":\"w\"}]}", "not inside its block")]
    [InlineData("{\"schema\":", "not a node IPAM checkpoint")]
    public void Load_Damaged_ErrorNamesTheFileAndTheEntry(string text, string expected)
    {
        var path = Path.Combine(_directory, "ipam.json");
        File.WriteAllText(path, text);
        var ex = Assert.Throws<InvalidDataException>(() => new CheckpointFile(path).Load());
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SaveLoad_Blocks_RoundTrip()
    {
        var file = new CheckpointFile(Path.Combine(_directory, "ipam.json"));
        OwnedBlock[] blocks = [new(Cidr.Parse("100.96.0.0/29"), "web"), new(Cidr.Parse("100.96.0.64/26"), "kube-system")];
        file.Save(new NodeIpamCheckpoint { Attachments = [], Blocks = blocks });
        var loaded = file.Load();
        Assert.Equal(blocks, loaded.Blocks);
        Assert.Empty(loaded.Attachments);
        Assert.Equal(NodeIpamCheckpoint.SchemaName, loaded.Schema);
    }

    [Fact]
    public void SaveLoad_Networks_RoundTrip_OlderFileIsTheDefaultNetwork()
    {
        var file = new CheckpointFile(Path.Combine(_directory, "ipam.json"));
        var attachment = new PodAttachment(new AttachmentKey("abc", "eth0"), IPAddress.Parse("100.160.0.3"), Cidr.Parse("100.160.0.0/28"), "web", null, "batch");
        OwnedBlock[] blocks = [new(Cidr.Parse("100.96.0.0/28"), "web"), new(Cidr.Parse("100.160.0.0/28"), "web", "batch")];
        file.Save(new NodeIpamCheckpoint { Attachments = [attachment], Blocks = blocks, Networks = ["pods", "batch"] });
        var loaded = file.Load();
        Assert.Equal([attachment], loaded.Attachments);
        Assert.Equal(blocks, loaded.Blocks);
        Assert.Equal(["pods", "batch"], loaded.Networks);

        File.WriteAllText(file.Path, "{\"schema\":\"romana-aws/node-ipam/v1\",\"attachments\":[],\"blocks\":[{\"cidr\":\"100.96.0.0/28\",\"owner\":\"web\"}]}");
        loaded = file.Load();
        Assert.Null(Assert.Single(loaded.Blocks).Network);
        Assert.Empty(loaded.Networks);
    }

    [Fact]
    public void Load_WrittenBeforeBlocksExisted_NoBlocks()
    {
        var path = Path.Combine(_directory, "ipam.json");
        File.WriteAllText(path, "{\"schema\":\"romana-aws/node-ipam/v1\",\"attachments\":[{\"containerId\":\"a\",\"ifName\":\"eth0\",\"address\":\"100.96.0.2\",\"block\":\"100.96.0.0/29\",\"owner\":\"w\"}]}");
        var loaded = new CheckpointFile(path).Load();
        Assert.Empty(loaded.Blocks);
        Assert.Equal("a", Assert.Single(loaded.Attachments).Key.ContainerId);
    }

    [Theory]
    [InlineData("[null]", 0)]
    [InlineData("[{\"cidr\":\"100.96.0.0/29\"}]", 0)]
    [InlineData("[{\"cidr\":\"100.96.0.0/29\",\"owner\":\"\"}]", 0)]
    [InlineData("[{\"owner\":\"web\"}]", 0)]
    [InlineData("[{\"cidr\":\"100.96.0.0/29\",\"owner\":\"web\"},{\"cidr\":\"not-a-cidr\",\"owner\":\"web\"}]", 1)]
    [InlineData("[{\"cidr\":\"100.96.0.0/29\",\"owner\":\"web\"},{\"cidr\":\"100.96.0.0/33\",\"owner\":\"web\"}]", 1)]
    public void Load_DamagedBlock_ErrorNamesTheFileAndTheBlock(string blocks, int index)
    {
        var path = Path.Combine(_directory, "ipam.json");
        File.WriteAllText(path, $"{{\"schema\":\"romana-aws/node-ipam/v1\",\"attachments\":[],\"blocks\":{blocks}}}");
        var ex = Assert.Throws<InvalidDataException>(() => new CheckpointFile(path).Load());
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains($"blocks[{index}] needs a CIDR and an owner", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SameBlockTwice_ErrorNamesTheRepeat()
    {
        var path = Path.Combine(_directory, "ipam.json");
        File.WriteAllText(path, "{\"schema\":\"romana-aws/node-ipam/v1\",\"attachments\":[],\"blocks\":[{\"cidr\":\"100.96.0.0/29\",\"owner\":\"web\"},{\"cidr\":\"100.96.0.0/29\",\"owner\":\"db\"}]}");
        var ex = Assert.Throws<InvalidDataException>(() => new CheckpointFile(path).Load());
        Assert.Contains($"{path}: blocks[1] repeats 100.96.0.0/29", ex.Message, StringComparison.Ordinal);
    }
}
